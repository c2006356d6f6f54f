/* chart_points.h: charts of pin-on-image and stones answers as SVG (the picture with its grid of counts; the canvas with each stone's mean and spread) and their data tables. */
#ifndef VP_CHART_POINTS_H
#define VP_CHART_POINTS_H

/*
 * Like chart.h: pure functions over the document of measure_points (the
 * same JSON as `vertelpunt analyse points Q`), numbers through svg_num and
 * texts through the escapers. A pin chart is the question's picture
 * (o->image_url, or o->image_data for a file of its own) with the grid's
 * cells shaded by count (the sequential blues of the ternary bins, light
 * to dark) and the count written in each cell, so colour is never the
 * only carrier; a cell of too few stories is grey with a dash, an empty
 * one is left clear. The mean is a ringed cross. A stones chart is the
 * square canvas with its axis labels, each stone's mean as a numbered
 * circle with its spread (one standard deviation each way) as whiskers,
 * and a legend of the numbers. With o->stories set (and not standalone),
 * each grid cell with a count shown and each stone placed by enough
 * stories is a link (keyboard focus, named by its place and count) to its
 * stories: the condition of chart_pin_cell_condition or
 * chart_stone_condition; a count hidden as too few has no link. With
 * too_few in the document, the chart is the "too few stories" paragraph.
 */

#include "core/buf.h"
#include "web/chart.h"

#include <jansson.h>

int chart_pin(buf *b, const json_t *doc, const struct chart_opts *o);
int chart_stones(buf *b, const json_t *doc, const struct chart_opts *o);

/* The data table beside either chart: a pin's figures and its grid
 * (a row per band from the top, a column per band from the left), or a
 * row per stone. Nothing when too_few. */
void chart_points_table(buf *b, const json_t *doc, const char *lang);
/* The same with links to the stories (o->stories): each grid count, and a
 * last column per stone. */
void chart_points_table_linked(buf *b, const json_t *doc, const struct chart_opts *o);

/* The filter condition of pin grid cell `cell` (row by row, measures.h)
 * of question q, appended to out: exactly the places measure_points counts
 * there, "q[x] >= 20 and q[x] < 30 and q[y] >= 40 and q[y] < 50" (the last
 * band takes 100 too: "<= 100"). */
void chart_pin_cell_condition(buf *out, const char *q, int cell);
/* The stories that placed stone `stone` of stones question q:
 * "q[stone][x] >= 0". */
void chart_stone_condition(buf *out, const char *q, const char *stone);

/* ---- geometry (exported for the tests) ---------------------------------- */

/* A pin chart's picture: CHART_PIN_W wide at (CHART_PIN_X0, CHART_PIN_Y0),
 * as high as the picture's proportions say (width w, height h in pixels;
 * 0 or absurd proportions: square; kept between 1/4 and 2 times wide). */
#define CHART_PIN_W  400.0
#define CHART_PIN_X0 10.0
#define CHART_PIN_Y0 10.0
double chart_pin_height(int w, int h);
/* The drawing position of a pin at x, y percent (from the left, from the
 * top) on a picture drawn pw by ph at (CHART_PIN_X0, CHART_PIN_Y0). */
void chart_pin_xy(double x, double y, double pw, double ph, double *px, double *py);
/* The rectangle (x, y, width, height) of grid cell `cell` (row by row,
 * measures.h) on that picture; row 0 is the top. */
void chart_pin_cell(int cell, double pw, double ph, double rect[4]);

/* The stones canvas: a square of CHART_STONES_SIDE at (X0, Y0); y upwards. */
#define CHART_STONES_SIDE 300.0
#define CHART_STONES_X0   90.0
#define CHART_STONES_Y0   40.0
void chart_stones_xy(double x, double y, double *px, double *py);

#endif
