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

/* A chart whose marks are links: like svg_begin, but role="group" (an
 * image's children are presentational, so links inside role="img" would
 * be hidden from assistive technology) and a class (may be NULL). */
void svg_begin_group(buf *b, double width, double height, const char *cls, const char *title,
                     const char *desc);
/* A link around marks (<a href>, focusable by keyboard) with its name in a
 * <title>; url goes through html_url. Close with svg_link_end. */
void svg_link_begin(buf *b, const char *url, const char *label);
void svg_link_end(buf *b);
/* A mark without a link that still takes keyboard focus and says what it
 * is: a group (tabindex 0, role img) named label, with its class (may be
 * NULL); for the marks of a chart begun with svg_begin_group, never inside
 * an svg_begin image (whose parts are hidden). Close with svg_group_end. */
void svg_mark_begin(buf *b, const char *cls, const char *label);
/* A <title> child: the name of the group or link it opens (hover text). */
void svg_title(buf *b, const char *text);
/* An <image> of the picture at url (through html_url) filling the box at
 * x, y of w by h (a plan under the pins drawn on it). */
void svg_image(buf *b, double x, double y, double w, double h, const char *url);
/* The same with the picture's bytes embedded (a data: URL in base64), for
 * a chart saved as a file of its own; type "image/png" or "image/jpeg". */
void svg_image_data(buf *b, double x, double y, double w, double h, const char *type,
                    const void *data, size_t len);

#endif
