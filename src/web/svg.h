/* svg.h: escaping emitters for server-rendered SVG charts. */
#ifndef VP_SVG_H
#define VP_SVG_H

#include "core/buf.h"

#include <stddef.h>

/* All numbers go through svg_num (finite, 3 decimals); all text and class
 * names through the HTML escapers. cls may be NULL. The chart is an image
 * with an accessible name (title) and an optional longer description. */
void svg_begin(buf *b, double width, double height, const char *title, const char *desc);
void svg_end(buf *b);
void svg_group_begin(buf *b, const char *cls);
void svg_group_end(buf *b);
void svg_rect(buf *b, double x, double y, double w, double h, const char *cls);
void svg_circle(buf *b, double cx, double cy, double r, const char *cls);
void svg_line(buf *b, double x1, double y1, double x2, double y2, const char *cls);
/* A polyline or, with closed set, a polygon through n points (xy pairs). */
void svg_path(buf *b, const double *xy, size_t n, int closed, const char *cls);
/* anchor: "start", "middle" or "end" (anything else is "start"). */
void svg_text(buf *b, double x, double y, const char *anchor, const char *cls, const char *text);

#endif
