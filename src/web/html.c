/* html.c: escaping emitters for HTML and SVG. */
#include "web/html.h"

#include "core/util.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
	unsigned c = p[0];
	size_t len;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (avail < len || !util_utf8_clean((const char *)p, len))
		return 0;
	return len;
}

void html_textn(buf *b, const char *s, size_t n)
{
	assert(b && (s || !n));
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		switch (*p) {
		case '&':
			buf_append(b, "&amp;", 5);
			p++;
			continue;
		case '<':
			buf_append(b, "&lt;", 4);
			p++;
			continue;
		case '>':
			buf_append(b, "&gt;", 4);
			p++;
			continue;
		case '"':
			buf_append(b, "&quot;", 6);
			p++;
			continue;
		case '\'':
			buf_append(b, "&#39;", 5);
			p++;
			continue;
		case '\0':
			buf_append(b, "\xEF\xBF\xBD", 3);
			p++;
			continue;
		default: break;
		}
		size_t l = utf8_len(p, (size_t)(e - p));
		/* Invalid UTF-8 and control characters (C0 but tab and newlines,
		 * DEL, C1) become U+FFFD. */
		int c1 = l == 2 && p[0] == 0xc2 && p[1] < 0xa0;
		if (l == 0 || c1 || (l == 1 && *p == 0x7f) ||
		    (l == 1 && *p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')) {
			buf_append(b, "\xEF\xBF\xBD", 3);
			p++;
			continue;
		}
		buf_append(b, p, l);
		p += l;
	}
}

void html_text(buf *b, const char *s)
{
	if (s)
		html_textn(b, s, strlen(s));
}

void html_attr(buf *b, const char *s)
{
	html_text(b, s);
}

void html_url(buf *b, const char *url)
{
	if (!url) {
		buf_putc(b, '#');
		return;
	}
	/* Scheme check after dropping what browsers ignore (controls, spaces).
	 * Only the first 15 characters are kept: a longer scheme is never one
	 * we allow, but a long relative path is fine. */
	char scheme[16];
	size_t k = 0;
	int long_scheme = 0;
	const char *p = url;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20)
			continue;
		if (c == ':' || c == '/' || c == '?' || c == '#')
			break;
		if (k < sizeof scheme - 1)
			scheme[k++] = (char)c;
		else
			long_scheme = 1;
	}
	scheme[k] = '\0';
	if (*p == ':' && (long_scheme ||
	                  (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0 &&
	                   strcasecmp(scheme, "mailto") != 0 && strcasecmp(scheme, "tel") != 0))) {
		buf_putc(b, '#');
		return;
	}
	html_attr(b, url);
}

void html_int(buf *b, long long v)
{
	buf_put_int(b, v);
}

void svg_num(buf *b, double v)
{
	/* Chart coordinates are small; clamping keeps the text short and the
	 * formatting inside tmp. */
	if (!isfinite(v))
		v = 0;
	if (v > 1e15)
		v = 1e15;
	if (v < -1e15)
		v = -1e15;
	char tmp[64];
	int n = snprintf(tmp, sizeof tmp, "%.3f", v);
	/* Trim trailing zeros: 12.500 -> 12.5, 3.000 -> 3. */
	while (n > 0 && tmp[n - 1] == '0')
		n--;
	if (n > 0 && tmp[n - 1] == '.')
		n--;
	if (n == 2 && tmp[0] == '-' && tmp[1] == '0')
		tmp[0] = '0', n = 1;
	buf_append(b, tmp, (size_t)n);
}

void html_raw_trusted(buf *b, const char *s, size_t n)
{
	buf_append(b, s, n);
}
