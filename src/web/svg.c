/* svg.c: SVG elements with every number and string escaped. */
#include "web/svg.h"

#include "web/html.h"

#include <assert.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static void attr_num(buf *b, const char *name_lit_eq, double v)
{
	/* name_lit_eq is one of the literals below, e.g. " x=\"". */
	buf_puts(b, name_lit_eq);
	svg_num(b, v);
	buf_putc(b, '"');
}

static void attr_class(buf *b, const char *cls)
{
	if (cls && *cls) {
		html_lit(b, " class=\"");
		html_attr(b, cls);
		html_lit(b, "\"");
	}
}

void svg_begin(buf *b, double width, double height, const char *title, const char *desc)
{
	assert(title);
	html_lit(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ");
	svg_num(b, width);
	html_lit(b, " ");
	svg_num(b, height);
	html_lit(b, "\"");
	attr_num(b, " width=\"", width);
	attr_num(b, " height=\"", height);
	html_lit(b, "><title>");
	html_text(b, title);
	html_lit(b, "</title>");
	if (desc) {
		html_lit(b, "<desc>");
		html_text(b, desc);
		html_lit(b, "</desc>");
	}
}

void svg_end(buf *b)
{
	html_lit(b, "</svg>");
}

void svg_group_begin(buf *b, const char *cls)
{
	html_lit(b, "<g");
	attr_class(b, cls);
	html_lit(b, ">");
}

void svg_group_end(buf *b)
{
	html_lit(b, "</g>");
}

void svg_rect(buf *b, double x, double y, double w, double h, const char *cls)
{
	html_lit(b, "<rect");
	attr_num(b, " x=\"", x);
	attr_num(b, " y=\"", y);
	attr_num(b, " width=\"", w < 0 ? 0 : w);
	attr_num(b, " height=\"", h < 0 ? 0 : h);
	attr_class(b, cls);
	html_lit(b, "/>");
}

void svg_circle(buf *b, double cx, double cy, double r, const char *cls)
{
	html_lit(b, "<circle");
	attr_num(b, " cx=\"", cx);
	attr_num(b, " cy=\"", cy);
	attr_num(b, " r=\"", r < 0 ? 0 : r);
	attr_class(b, cls);
	html_lit(b, "/>");
}

void svg_line(buf *b, double x1, double y1, double x2, double y2, const char *cls)
{
	html_lit(b, "<line");
	attr_num(b, " x1=\"", x1);
	attr_num(b, " y1=\"", y1);
	attr_num(b, " x2=\"", x2);
	attr_num(b, " y2=\"", y2);
	attr_class(b, cls);
	html_lit(b, "/>");
}

void svg_path(buf *b, const double *xy, size_t n, int closed, const char *cls)
{
	assert(xy || n == 0);
	if (closed)
		html_lit(b, "<polygon points=\"");
	else
		html_lit(b, "<polyline points=\"");
	for (size_t i = 0; i < n; i++) {
		if (i)
			html_lit(b, " ");
		svg_num(b, xy[2 * i]);
		html_lit(b, ",");
		svg_num(b, xy[2 * i + 1]);
	}
	html_lit(b, "\"");
	attr_class(b, cls);
	html_lit(b, "/>");
}

void svg_text(buf *b, double x, double y, const char *anchor, const char *cls, const char *text)
{
	html_lit(b, "<text");
	attr_num(b, " x=\"", x);
	attr_num(b, " y=\"", y);
	if (anchor && strcmp(anchor, "middle") == 0)
		html_lit(b, " text-anchor=\"middle\"");
	else if (anchor && strcmp(anchor, "end") == 0)
		html_lit(b, " text-anchor=\"end\"");
	attr_class(b, cls);
	html_lit(b, ">");
	html_text(b, text ? text : "");
	html_lit(b, "</text>");
}

void svg_begin_group(buf *b, double width, double height, const char *cls, const char *title,
                     const char *desc)
{
	assert(title);
	html_lit(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"group\" viewBox=\"0 0 ");
	svg_num(b, width);
	html_lit(b, " ");
	svg_num(b, height);
	html_lit(b, "\"");
	attr_num(b, " width=\"", width);
	attr_num(b, " height=\"", height);
	attr_class(b, cls);
	html_lit(b, "><title>");
	html_text(b, title);
	html_lit(b, "</title>");
	if (desc) {
		html_lit(b, "<desc>");
		html_text(b, desc);
		html_lit(b, "</desc>");
	}
}

void svg_link_begin(buf *b, const char *url, const char *label)
{
	assert(url);
	html_lit(b, "<a href=\"");
	html_url(b, url);
	html_lit(b, "\">");
	svg_title(b, label);
}

void svg_link_end(buf *b)
{
	html_lit(b, "</a>");
}

void svg_mark_begin(buf *b, const char *cls, const char *label)
{
	assert(label);
	html_lit(b, "<g tabindex=\"0\" role=\"img\"");
	attr_class(b, cls);
	html_lit(b, " aria-label=\"");
	html_attr(b, label);
	html_lit(b, "\">");
	svg_title(b, label);
}

void svg_title(buf *b, const char *text)
{
	html_lit(b, "<title>");
	html_text(b, text ? text : "");
	html_lit(b, "</title>");
}

void svg_image(buf *b, double x, double y, double w, double h, const char *url)
{
	html_lit(b, "<image");
	attr_num(b, " x=\"", x);
	attr_num(b, " y=\"", y);
	attr_num(b, " width=\"", w);
	attr_num(b, " height=\"", h);
	html_lit(b, " href=\"");
	html_url(b, url);
	html_lit(b, "\"/>");
}

void svg_image_data(buf *b, double x, double y, double w, double h, const char *type,
                    const void *data, size_t len)
{
	assert(b && data);
	/* only the two types uploads have; the bytes go in as base64, whose
	 * alphabet needs no escaping */
	const char *t = type && strcmp(type, "image/jpeg") == 0 ? "image/jpeg" : "image/png";
	size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	char *enc = malloc(n);
	if (!enc)
		abort();
	sodium_bin2base64(enc, n, data, len, sodium_base64_VARIANT_ORIGINAL);
	html_lit(b, "<image");
	attr_num(b, " x=\"", x);
	attr_num(b, " y=\"", y);
	attr_num(b, " width=\"", w);
	attr_num(b, " height=\"", h);
	html_lit(b, " href=\"data:");
	html_attr(b, t);
	html_lit(b, ";base64,");
	html_attr(b, enc);
	html_lit(b, "\"/>");
	free(enc);
}
