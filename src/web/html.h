/* html.h: the only ways to put text into HTML and SVG: escaping emitters and literal markup. */
#ifndef VP_HTML_H
#define VP_HTML_H

#include "core/buf.h"

/* Markup comes only from string literals: html_lit accepts nothing else
 * (the "" concatenation does not compile with a variable). */
#define html_lit(b, s) buf_append((b), "" s "", sizeof(s) - 1)

/* Text content: escapes & < > " ' so it is safe in elements and quoted
 * attribute values alike. Invalid UTF-8 bytes become U+FFFD. */
void html_text(buf *b, const char *s);
void html_textn(buf *b, const char *s, size_t n);
/* An attribute value (without the quotes): same escaping as html_text. */
void html_attr(buf *b, const char *s);
/* A URL for href/src/action: only relative URLs and http(s)/mailto/tel
 * schemes pass; anything else (javascript:, data:, ...) becomes "#". The
 * result is attribute-escaped. */
void html_url(buf *b, const char *url);
void html_int(buf *b, long long v);
/* A number for SVG attributes: finite, at most 3 decimals; NaN/inf -> 0. */
void svg_num(buf *b, double v);
/* A raw write of markup that is not a literal (e.g. a trusted, embedded
 * file). Its own name so grep finds every use. */
void html_raw_trusted(buf *b, const char *s, size_t n);

#endif
