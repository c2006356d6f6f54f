/* util.c: random tokens, hashing of secrets, strict number parsing, UTF-8 checks. */
#include "core/util.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void util_hex(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void util_random_hex(char *out, size_t nbytes)
{
	unsigned char raw[64];
	assert(nbytes <= sizeof raw);
	randombytes_buf(raw, nbytes);
	util_hex(raw, nbytes, out);
}

void util_hash_hex(const char *s, char out[65])
{
	unsigned char h[32];
	assert(s);
	crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), NULL, 0);
	util_hex(h, sizeof h, out);
}

int util_streq_ct(const char *a, const char *b)
{
	if (!a || !b)
		return 0;
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}

int util_parse_i64(const char *s, int64_t *out)
{
	if (!s || !((*s >= '0' && *s <= '9') || *s == '-'))
		return -1; /* strtoll would skip leading white space */
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int util_parse_id(const char *s, int64_t *out)
{
	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 19)
		return -1;
	return util_parse_i64(s, out) || *out <= 0 ? -1 : 0;
}

int util_utf8_clean(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		unsigned c = *p;
		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return 0;
			if (c == 0x7f)
				return 0;
			p++;
			continue;
		}
		int len;
		unsigned cp;
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, cp = c & 0x07;
		else
			return 0;
		if (e - p < len)
			return 0;
		for (int i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		p += len;
	}
	return 1;
}

int util_text_ok(const char *s, size_t max_chars)
{
	size_t n = s ? strlen(s) : 0;
	return n > 0 && n <= max_chars * 4 && util_utf8_clean(s, n);
}

/* Latin letters with accents become plain; everything else not a-z or 0-9
 * separates words. */
static char fold_latin1(unsigned char c)
{
	c |= 0x20; /* upper to lower case in U+00C0..U+00DE */
	if (c >= 0xE0 && c <= 0xE5)
		return 'a';
	if (c == 0xE7)
		return 'c';
	if (c >= 0xE8 && c <= 0xEB)
		return 'e';
	if (c >= 0xEC && c <= 0xEF)
		return 'i';
	if (c == 0xF1)
		return 'n';
	if ((c >= 0xF2 && c <= 0xF6) || c == 0xF8)
		return 'o';
	if (c >= 0xF9 && c <= 0xFC)
		return 'u';
	if (c == 0xFD || c == 0xFF)
		return 'y';
	return 0;
}

void util_slug(const char *title, char *out, size_t outsize, const char *fallback)
{
	size_t k = 0;
	int gap = 0;
	for (const unsigned char *p = (const unsigned char *)title; *p && k + 1 < outsize;) {
		char c = 0;
		if (*p < 0x80) {
			c = isalnum(*p) ? (char)tolower(*p) : 0;
			p++;
		} else if (*p == 0xC3 && (p[1] & 0xC0) == 0x80) {
			c = fold_latin1((unsigned char)(0xC0 | (p[1] & 0x3F)));
			p += 2;
		} else {
			p++;
			while ((*p & 0xC0) == 0x80)
				p++;
		}
		if (!c) {
			gap = 1;
			continue;
		}
		if (gap && k && k + 2 < outsize)
			out[k++] = '-';
		gap = 0;
		out[k++] = c;
	}
	while (k && out[k - 1] == '-')
		k--;
	out[k] = 0;
	if (!k)
		snprintf(out, outsize, "%s", fallback);
}

int util_blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}
