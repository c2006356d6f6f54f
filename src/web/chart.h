/* chart.h: charts as SVG from the pattern engine's documents: ternary plot, histogram, bars with intervals, heat-map, and their data tables. */
#ifndef VP_CHART_H
#define VP_CHART_H

/*
 * Pure functions: each draws into a buf from a measure document (the same
 * JSON as the API and `vertelpunt analyse` give, see measures.h) and
 * allocates nothing that outlives the call. Every chart is an <svg> with a
 * <title> (the accessible name) and a <desc> (a one-sentence summary with
 * the figures), scaled by its viewBox (CSS: width 100%), and every number
 * goes through svg_num and every text through the escapers (DESIGN rule 4).
 * When the document says too_few, the chart is a paragraph "too few
 * stories" instead. Colour is never the only carrier: marks have labels or
 * titles, heat-map cells a signed number.
 *
 * Links: a chart's marks (a bar, a histogram bin, a heat-map cell) become
 * links when the caller gives an href function: it gets a filter
 * condition for the mark ("q-wijk = centrum", "q-geholpen >= 20 and
 * q-geholpen < 30") and returns the URL to open (or NULL for no link); the
 * chart escapes it with html_url.
 */

#include "core/buf.h"

#include <jansson.h>
#include <stddef.h>

typedef const char *(*chart_href_fn)(void *ctx, const char *condition);

struct chart_opts {
	const char *lang;   /* interface language for the texts ("nl", "en") */
	const char *title;  /* the accessible name (the question's text) */
	chart_href_fn href; /* may be NULL: no links */
	void *ctx;          /* for href */
	/* The link to the stories behind a mark (may be NULL): the ternary
	 * plot's bins link there (a bin has no narrower view), and the data
	 * table (chart_table_linked) gets a column of links there, one per
	 * row or cell, beside the marks that narrow the view. */
	chart_href_fn stories;
	/* A file of its own (an SVG download or its PNG), not a part of a
	 * page: the SVG carries its colours in a <style> of its own, a white
	 * background, and no links. */
	int standalone;
	/* A pin question's picture (chart_points.h): its URL (/uploads/TOKEN;
	 * NULL: none), or for a standalone file its bytes (image_type
	 * "image/png" or "image/jpeg"), embedded; its size in pixels (0:
	 * unknown, drawn square). */
	const char *image_url, *image_type;
	const void *image_data;
	size_t image_len;
	int image_width, image_height;
};

/* Up to this many answers a ternary plot draws each story as a point;
 * above it, ternary bins shaded by count. */
#define CHART_POINTS_MAX 200

/* The chart that fits the document: a triad document gives a ternary plot
 * (points: the weights of every answer, n of them, or NULL), a dyad a
 * histogram, a scale a histogram of its points, a choice, multiple choice
 * or story question bars with intervals, a cross-table (a document with
 * "by") a heat-map. A number question has no chart (its table says it
 * all). Returns 1 when it drew a chart, 0 when it wrote "too few stories"
 * or nothing. */
int chart_draw(buf *b, const json_t *doc, const struct chart_opts *o, const double (*points)[3],
               size_t npoints);

int chart_ternary(buf *b, const json_t *doc, const struct chart_opts *o, const double (*points)[3],
                  size_t npoints);
int chart_histogram(buf *b, const json_t *doc, const struct chart_opts *o);
int chart_bars(buf *b, const json_t *doc, const struct chart_opts *o);
int chart_heatmap(buf *b, const json_t *doc, const struct chart_opts *o);

/* The pieces of a data table (a region with a caption, a header row of n
 * cells; rows of a header cell and n numbers), for the charts of
 * chart_points.c. */
void chart_table_begin(buf *b, const char *caption, const char *const *head, size_t n);
void chart_table_row(buf *b, const char *head, const char *const *cells, size_t n);
void chart_table_end(buf *b);
/* The same with a last column "Stories behind it" when lang is not NULL,
 * and a row whose last cell links url (empty when NULL). */
void chart_table_begin_linked(buf *b, const char *caption, const char *const *head, size_t n,
                              const char *lang);
void chart_table_row_link(buf *b, const char *head, const char *const *cells, size_t n,
                          const char *url, const char *lang);
/* A row whose cells each link urls[i] (plain text when NULL), the link
 * named by the cell and names[i] (visually hidden: " stories: where"). */
void chart_table_row_cell_links(buf *b, const char *head, const char *const *cells,
                                const char *const *urls, const char *const *names, size_t n);

/* The "too few stories" paragraph. */
void chart_too_few(buf *b, const char *lang);

/* The data table with the same figures as the chart of doc (a <table>
 * with caption, through the html_ emitters); nothing when too_few. */
void chart_table(buf *b, const json_t *doc, const char *lang);
/* The same with a last column of links to the stories of each row (each
 * cell of a cross-table links its count) when o->stories is set. */
void chart_table_linked(buf *b, const json_t *doc, const struct chart_opts *o);

/* The filter condition of ternary bin `bin` of k per side of triad question
 * q with corner ids c[3] (appended to out): the bin's triangle in corner
 * weights, e.g. "q[a] >= 0.2 and q[a] < 0.3 and q[b] >= 0.5 and ...". */
void chart_bin_condition(buf *out, const char *q, const char *const c[3], int bin, int k);

/* ---- glyphs: one story's answer, small (the stories and cards pages) ---- */

/* A small triangle with the point of weights w (corner 0 at the top, 1
 * bottom left, 2 bottom right); an <svg role="img"> named by title with
 * desc as its text alternative. */
void chart_glyph_triad(buf *b, const double w[3], const char *title, const char *desc);
/* A small bar from lo to hi with a marker at v (a dyad 0..100, a scale
 * 1..points), named as above. */
void chart_glyph_bar(buf *b, double v, double lo, double hi, const char *title, const char *desc);

/* A number as text with at most dec decimals (a decimal comma in Dutch,
 * "\u2013" when not finite), in out. */
const char *chart_number(char out[32], double v, int dec, const char *lang);

/* A small interval bar: the estimate est with its interval [lo, hi] on an
 * axis from -span to span with 0 in the middle (an <svg role="img"> with
 * title and desc). */
void chart_interval(buf *b, double est, double lo, double hi, double span, const char *title,
                    const char *desc);
/* The same whose mark (the estimate and its interval) is a link to href,
 * named label (NULL: title), focusable by keyboard; href NULL: as
 * chart_interval. */
void chart_interval_link(buf *b, double est, double lo, double hi, double span, const char *title,
                         const char *desc, const char *href, const char *label);

/* ---- geometry (exported for the tests) ---------------------------------- */

/* The ternary plot's triangle: corner 0 (the first weight) at the top,
 * corner 1 bottom left, corner 2 bottom right. */
#define CHART_TRI_SIDE 300.0
#define CHART_TRI_X0   60.0
#define CHART_TRI_Y0   40.0
/* The drawing position of weights w (need not sum to 1: they are closed
 * first; all zero or not finite gives the centroid). */
void chart_ternary_xy(const double w[3], double *x, double *y);
/* The three corners (x, y pairs) of ternary bin `bin` of k per side, in
 * the numbering of triad_bin (stats.h). */
void chart_ternary_bin_polygon(int bin, int k, double xy[6]);

#endif
