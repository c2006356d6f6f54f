/* chart_people.h: charts of pairs and periods as SVG: each person's change (slope chart), two perspectives on one story (paired dots), pairs on a ternary plot, and stories per period stacked by channel. */
#ifndef VP_CHART_PEOPLE_H
#define VP_CHART_PEOPLE_H

/*
 * Like chart.h: pure functions drawing into a buf, numbers through svg_num
 * and texts through the escapers (DESIGN rule 4). Every chart has a
 * <title> and a <desc> (a summary in words, given by the caller), and
 * every mark can take keyboard focus and carries its figures in words
 * (a link when it has an href, else a focusable group with a name), so
 * colour is never the only carrier: direction is also a line style,
 * perspective also a shape, a channel also its place in the legend's order
 * and its number in the data table beside the chart.
 */

#include "core/buf.h"

#include <stddef.h>

/* Two values of one person or one story: a (first story, or the teller)
 * and b (last story, or the professional), a label for the mark and an
 * optional link (NULL: none). */
struct chart_pair {
	double a, b;
	const char *label;
	const char *href;
};

/* The texts of a pair chart. */
struct chart_pair_texts {
	const char *title, *desc;    /* accessible name and summary */
	const char *a_name, *b_name; /* "First story", "Last story" / "Teller", "Consultant" */
	const char *lang;
};

/* Slope chart: two axes from lo to hi (a dyad 0..100, a scale 1..points),
 * a line per pair from a to b, its style by direction (up solid, down
 * dashed, the same dotted), the means (mean_a, mean_b; NaN: none) as a
 * thick line, and a legend with the count in each direction. */
void chart_slope(buf *b, const struct chart_pair *p, size_t n, double lo, double hi, double mean_a,
                 double mean_b, const struct chart_pair_texts *t);

/* Paired dots: a row per pair on one axis lo..hi, a as a circle, b as a
 * square, joined by a line; each row links to its href. */
void chart_dumbbell(buf *b, const struct chart_pair *p, size_t n, double lo, double hi,
                    const struct chart_pair_texts *t);

/* Pairs of triad answers on a ternary plot (corners named c[3]): from a
 * (a circle) to b (a square). labels[i] names pair i (may be NULL). */
void chart_ternary_pairs(buf *b, const double (*a)[3], const double (*bw)[3], size_t n,
                         const char *const *labels, const char *const c[3],
                         const struct chart_pair_texts *t);
/* The same with a link per pair: hrefs[i] (NULL: a focusable mark). */
void chart_ternary_pairs_linked(buf *b, const double (*a)[3], const double (*bw)[3], size_t n,
                                const char *const *labels, const char *const *hrefs,
                                const char *const c[3], const struct chart_pair_texts *t);

/* Stories per period stacked by series: counts[i * nseries + s] for period
 * i and series s (NaN: a cell too small to show, drawn as one hatched
 * "too few" part of the column; totals[i] NaN: the whole column too few). */
void chart_stacked(buf *b, const char *const *periods, size_t np, const char *const *series,
                   size_t ns, const double *counts, const double *totals, const char *title,
                   const char *desc, const char *lang);
/* The same with a link per part: hrefs[i * ns + s] (NULL: none; hrefs
 * NULL: no links) opens the stories of period i and series s. */
void chart_stacked_linked(buf *b, const char *const *periods, size_t np, const char *const *series,
                          size_t ns, const double *counts, const double *totals, const char *title,
                          const char *desc, const char *lang, const char *const *hrefs);

#endif
