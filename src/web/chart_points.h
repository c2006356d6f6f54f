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
 * and a legend of the numbers. Neither has links: the filter syntax
 * cannot name a place on a picture or canvas. With too_few in the
 * document, the chart is the "too few stories" paragraph.
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
