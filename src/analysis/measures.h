/* measures.h: the pattern engine's measures over a collection's index, each giving one JSON document. */
#ifndef VP_MEASURES_H
#define VP_MEASURES_H

/*
 * One function per measure of docs/analysis.md; the CLI (`vertelpunt
 * analyse`) and the API (/api/v1/collections/{id}/analysis/...) print the
 * same documents. Each takes a collection's part (read-locked by the
 * caller), a read connection for "text contains" (may be NULL), and its
 * arguments; it returns 0 with a new JSON object in *out (the caller
 * decrefs), or an HTTP-like status (400 bad argument, 404 unknown question,
 * 422 a question of the wrong type) with a message in err.
 *
 * Small-cell protection: a group (all rows of a filter, a cell of a
 * cross-table, a subgroup of the pattern finder) with fewer stories than
 * min_group gives no figure: its count is null and "too_few": true.
 *
 * Results never depend on the thread count or on the order stories were
 * stored in: every computation is a deterministic function of the set of
 * rows (permutation tests use a fixed seed).
 */

#include "analysis/index.h"
#include "db/db.h"

#include <jansson.h>
#include <stddef.h>

#define MEASURES_MIN_GROUP 10

struct measure_args {
	struct aix_coll *c;
	db *d;              /* for "text contains"; may be NULL */
	const char *filter; /* every measure: the rows (NULL or "": every story) */
	/* the rows of filter when the caller has them already (a page drawing
	 * many measures of one filter evaluates it once); NULL: evaluated here */
	const roaring_bitmap_t *rows;
	const char *q, *q2;  /* distribution/triad/over-time/perspectives: q; crosstab: q and q2;
	                         perspectives: q2 = the professional's question (NULL: found by shape) */
	const char *a, *b;   /* compare: the two filters */
	const char *outcome; /* patterns */
	int min_group;       /* 0: MEASURES_MIN_GROUP */
	int bins;  /* histogram bins (dyads: 10) / ternary bins per side (triads: 10); 0: default */
	int limit; /* patterns, perspectives, over-time: how many items to list; 0: default */
	int permutations; /* compare: permutations for small groups; 0: default 999 */
};

int measure_count(const struct measure_args *a, json_t **out, char *err, size_t errlen);
int measure_distribution(const struct measure_args *a, json_t **out, char *err, size_t errlen);
int measure_crosstab(const struct measure_args *a, json_t **out, char *err, size_t errlen);
int measure_triad(const struct measure_args *a, json_t **out, char *err, size_t errlen);
int measure_compare(const struct measure_args *a, json_t **out, char *err, size_t errlen);
int measure_over_time(const struct measure_args *a, json_t **out, char *err, size_t errlen);
int measure_perspectives(const struct measure_args *a, json_t **out, char *err, size_t errlen);
int measure_patterns(const struct measure_args *a, json_t **out, char *err, size_t errlen);
/* Pin on image and stones: n, not applicable, missing; a pin's mean x, y
 * with its standard deviation and a MEASURES_GRID x MEASURES_GRID grid of
 * counts; for stones the same per stone ("placed", "not_placed"). x and y
 * are 0..100 as stored (a pin: from the left and from the top of the
 * picture; stones: along the axes, y upwards). The grid's counts run row
 * by row, row gy holding the y values of cell gy (measure_grid_cell), so
 * the first row is a pin's top and the stones' bottom. */
int measure_points(const struct measure_args *a, json_t **out, char *err, size_t errlen);

/* The pin and stones grid: cells per side, and the cell of a value 0..100
 * (cell k holds 10k <= v < 10k + 10; the last also holds 100). */
#define MEASURES_GRID 10
static inline int measure_grid_cell(int v)
{
	int k = v * MEASURES_GRID / 100;
	return k < 0 ? 0 : k >= MEASURES_GRID ? MEASURES_GRID - 1 : k;
}

/* The measure of that name ("count", "distribution", ...), or NULL. */
typedef int (*measure_fn)(const struct measure_args *a, json_t **out, char *err, size_t errlen);
measure_fn measure_by_name(const char *name);

/* The collection's questions as JSON: [{"id", "type", "title", "perspective",
 * "options": [...]}...] (for `analyse collections` and the explorer). */
/* The rows of the filter text for a (a->rows when text is a->filter): a
 * new bitmap, or NULL with an HTTP-like status in *status and err. */
roaring_bitmap_t *measure_rows(const struct measure_args *a, const char *text, int *status,
                               char *err, size_t errlen);

json_t *measure_questions(const struct aix_coll *c);

/* The UTC quarter of unix time t as year * 4 + quarter - 1 (2025-Q3:
 * 2025 * 4 + 2). */
int64_t measure_quarter_key(int64_t t);

/* A trajectory's part as JSON: {"id", "stories", "pilot_stories",
 * "collections": [ids], "questions"} (for `analyse trajectories` and
 * /api/v1/trajectories/{id}/analysis). */
json_t *measure_trajectory_head(const struct aix_coll *t);

#endif
