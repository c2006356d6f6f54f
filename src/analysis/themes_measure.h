/* themes_measure.h: themes of a collection's or trajectory's stories within a filter: the JSON document of the CLI and the API, the cache per collection, filter and options, and the background job of the explorer page. */
#ifndef VP_THEMES_MEASURE_H
#define VP_THEMES_MEASURE_H

#include "analysis/index.h"
#include "analysis/measures.h"
#include "analysis/themes.h"

#include <jansson.h>
#include <stdint.h>

/* What an analyst asks: a fixed k (0: chosen in k_min..k_max, 0: the
 * defaults) and the seed. */
struct themes_request {
	int k, k_min, k_max;
	uint64_t seed;
	int min_group; /* small-group protection (0: MEASURES_MIN_GROUP); measure_themes
	                * takes its measure_args' when that is set */
	themes_progress_fn progress; /* may be NULL; a non-zero answer cancels */
	void *progress_ctx;
};

/* Checks the request's numbers: 0, or 400 with a message. */
int themes_request_check(const struct themes_request *t, char *err, size_t errlen);

/* The themes of the stories of a->c that a->filter selects (texts: each
 * story's titles and texts of its story questions and its text answers,
 * the teller's and the professional's, as search has them; read from
 * a->d), as
 *   {"filter", "stories", "without_words", "k", "k_min", "k_max",
 *    "chosen_by": "silhouette" | "fixed", "seed", "sample",
 *    "silhouette": [{"k", "score"}...], "themes": [{"theme": 1.., "stories",
 *    "share", "too_few", "terms": [{"term", "score"}...], "closest":
 *    [story ids]}...]}
 * Small-group protection: a theme of fewer than a->min_group stories has
 * stories null, too_few true, and no terms and no stories. Cached per part
 * (its version: new stories make it stale), filter and request; 0 with a
 * new reference, 1 when cancelled, or an HTTP-like status (400 bad filter
 * or numbers, 422 too few stories with words) with a message. */
int measure_themes(const struct measure_args *a, const struct themes_request *t, json_t **out,
                   char *err, size_t errlen);

/* In the server the themes of all stories with the default request are
 * kept in the database too (theme_results), so that several instances on
 * one database mean the same themes: measure_themes stores them when it
 * computes them (themes_set_shared).
 * themes_sync reads the stored ones of c's part into the cache when they
 * are newer than the newest in it (another instance computed them since):
 * then they are what "theme = N", the themes as a question and the
 * pattern finder use, and, when computed over the stories the part has
 * now, the answer to the default request. One small query when there is
 * nothing new; d NULL: nothing. */
void themes_sync(db *d, const struct aix_coll *c);

/* Whether measure_themes stores and themes_sync reads (default off: the
 * command line keeps its themes to itself, as before; the server turns it
 * on at start). */
void themes_set_shared(int on);

/* Keeping the stored themes current (the server, every THEMES_REFRESH_SECONDS,
 * once across the instances on the database: model/schedule.h). */
enum { THEMES_REFRESH_SECONDS = 900 };
struct themes_part {
	int64_t org, id; /* the collection's or trajectory's */
	int trajectory;
	int64_t stories, last_story_id; /* what the stored themes were computed over */
};
/* The parts with themes stored (theme_results): a malloc'd array in *out
 * (free; NULL when none), their number, or a db error (< 0). */
long themes_stored(db *d, struct themes_part **out);
/* Starts a background job (themes_job_start, the default request with
 * min_group) for each of the n parts whose stored themes were computed
 * over other stories than x has now; the job stores its result. Returns
 * how many were started; parts that are gone, or up to date, are left. */
int themes_refresh(aix *x, const char *db_url, const struct themes_part *parts, long n,
                   int min_group);

/* Empties the cache (tests: a process that computed nothing yet). */
void themes_cache_clear(void);

/* The cached result for the same part version, filter and request, or
 * NULL (a new reference). */
json_t *themes_cached(const struct aix_coll *c, const char *filter, const struct themes_request *t);

/* The theme (1..k; 0: none) of each row of c in the newest cached result
 * of c's stories without a filter and with the default request (k, seed
 * 0), matched by story id: a malloc'd array of c->n, k in *k; NULL when
 * there is none. Stories stored after that computation are in no theme
 * until the themes are computed again. For the filter "theme = N". */
int *themes_rows(const struct aix_coll *c, int *k);

/* The same themes for the pattern finder (measures.c), which tries each
 * as the condition "theme = N": k (0: none computed), each row's theme
 * as themes_rows gives it, each theme's label (its first
 * THEMES_LABEL_TERMS terms joined by ", "; "" for a theme of too few
 * stories) and the part version they were computed at, which names them
 * (documents built from them are cached under it). Returns 1 with the
 * arrays malloc'd (free with themes_snapshot_free), 0 when there are
 * none (all fields 0). */
enum { THEMES_LABEL_TERMS = 3 };
struct themes_snapshot {
	int k;
	int *row_theme; /* c->n: 1..k, 0 none */
	char **label;   /* k */
	uint64_t version;
};
int themes_snapshot_get(const struct aix_coll *c, struct themes_snapshot *s);
void themes_snapshot_free(struct themes_snapshot *s);

/* ---- the themes as a question (docs/analysis.md, "Themes as a question") --
 *
 * THEMES_QUESTION ("theme") names a choice question made of the themes of
 * themes_snapshot_get: option "N" is theme N, labelled by its first terms
 * ("" for a theme of too few stories), its bitmap the stories in it; a
 * story without words (or stored since the themes were computed) has no
 * answer. The measures take it wherever they take a choice question
 * (distribution, crosstab, compare's question), once the themes are
 * computed; a question of the script with that id comes first. */
#define THEMES_QUESTION "theme"

/* A new question of the themes of s over c's rows (s from
 * themes_snapshot_get with k > 0); free with themes_question_free. */
struct aix_question *themes_question_new(const struct aix_coll *c, const struct themes_snapshot *s);
void themes_question_free(struct aix_question *aq);

/* The version of the newest themes themes_snapshot_get would give (0:
 * none), for keys of documents built from them. */
uint64_t themes_version(const struct aix_coll *c);

/* What is rising: each theme's share among the stories with words of
 * period a (earlier) and period b (later), both within a->filter, with
 * the difference (b minus a, percentage points) and its 95% interval
 * (Newcombe), chi-square p and Benjamini-Hochberg q, the largest rise
 * first. a->a and a->b are the periods as filters (e.g. "period =
 * 2025-Q3"); NULL or "": the last quarter with stories in the filter and
 * the quarter before it. The themes are those of themes_snapshot_get (409
 * when none are computed). The document:
 *   {"a": {"filter", "n"}, "b": {...}, "filter", "themes": k,
 *    "rising": [{"theme", "label", "n_a", "n_b", "count_a", "count_b",
 *                "percent_a", "percent_b", "difference", "ci", "p", "q"}...]}
 * with small-group protection as in compare. */
int measure_themes_rising(const struct measure_args *a, json_t **out, char *err, size_t errlen);

/* ---- the explorer's background job ------------------------------------- */

enum themes_job_state {
	THEMES_JOB_NONE,
	THEMES_JOB_RUNNING,
	THEMES_JOB_DONE,
	THEMES_JOB_FAILED,
	THEMES_JOB_CANCELLED
};

struct themes_job_status {
	enum themes_job_state state;
	double done;     /* 0..1 */
	char stage[16];  /* "reading", "choosing", "themes" */
	char error[256]; /* FAILED: why */
};

/* Starts (or finds) the job computing the themes of collection (or, with
 * trajectory set, trajectory) id of org within filter, in a thread of its
 * own with its own connection to db_url; the result lands in the cache.
 * st gets the job's state: RUNNING, DONE (themes_cached has it), FAILED
 * or CANCELLED (a later call starts it again). */
void themes_job_start(aix *x, const char *db_url, int64_t org, int64_t id, int trajectory,
                      const char *filter, const struct themes_request *t,
                      struct themes_job_status *st);
/* The job's state without starting one (NONE when there is none). */
void themes_job_status(int64_t id, int trajectory, const char *filter,
                       const struct themes_request *t, struct themes_job_status *st);
/* Asks the job to stop; 1 when there was one running. */
int themes_job_cancel(int64_t id, int trajectory, const char *filter,
                      const struct themes_request *t);

/* Stops every running job and waits until they have ended (the server,
 * before it frees the index). */
void themes_jobs_stop(void);

#endif
