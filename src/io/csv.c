/* csv.c: the CSV writer: RFC 4180 quoting, CRLF rows, formula-injection guard, locale-free numbers. */
#include "io/csv.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csv_init(csv *c, buf *out, unsigned flags)
{
	assert(c && out);
	c->out = out;
	c->flags = flags;
	c->col = 0;
	if (flags & CSV_BOM)
		buf_append(out, "\xef\xbb\xbf", 3);
}

static void separator(csv *c)
{
	if (c->col++)
		buf_putc(c->out, (c->flags & CSV_SEMICOLON) ? ';' : ',');
}

static int trigger(unsigned char ch)
{
	return ch == '=' || ch == '+' || ch == '-' || ch == '@';
}

int csv_needs_guard(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!s || n == 0)
		return 0;
	if (trigger(p[0]) || p[0] == '\t' || p[0] == '\r')
		return 1;
	/* Full-width = + - @: EF BC 9D, EF BC 8B, EF BC 8D, EF BC A0. */
	if (n >= 3 && p[0] == 0xef && p[1] == 0xbc &&
	    (p[2] == 0x9d || p[2] == 0x8b || p[2] == 0x8d || p[2] == 0xa0))
		return 1;
	size_t i = 0;
	while (i < n && p[i] == ' ')
		i++;
	return i > 0 && i < n && trigger(p[i]);
}

void csv_textn(csv *c, const char *s, size_t n)
{
	assert(c && c->out);
	separator(c);
	if (!s || n == 0)
		return;
	int guard = csv_needs_guard(s, n);
	int quote = 0;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == ';' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (quote)
		buf_putc(c->out, '"');
	if (guard)
		buf_putc(c->out, '\'');
	if (!quote) {
		buf_append(c->out, s, n);
		return;
	}
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"') {
			buf_append(c->out, s + from, i + 1 - from); /* the quote, then again */
			buf_putc(c->out, '"');
			from = i + 1;
		}
	}
	buf_append(c->out, s + from, n - from);
	buf_putc(c->out, '"');
}

void csv_text(csv *c, const char *s)
{
	csv_textn(c, s, s ? strlen(s) : 0);
}

void csv_num(csv *c, double v)
{
	assert(c && c->out);
	separator(c);
	if (!isfinite(v))
		return;
	char tmp[40];
	/* The shortest of 15, 16, 17 significant digits that reads back. */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		/* A locale may have made the decimal sign a comma; %g writes no
		 * other comma, and strtod needs the locale's own sign. */
		if (strtod(tmp, NULL) == v)
			break;
	}
	char dec = (c->flags & CSV_SEMICOLON) ? ',' : '.';
	for (char *p = tmp; *p; p++)
		if (*p == '.' || *p == ',')
			*p = dec;
	buf_puts(c->out, tmp);
}

void csv_int(csv *c, int64_t v)
{
	assert(c && c->out);
	separator(c);
	buf_put_int(c->out, v);
}

void csv_end_row(csv *c)
{
	assert(c && c->out);
	buf_append(c->out, "\r\n", 2);
	c->col = 0;
}
