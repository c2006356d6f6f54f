/* explore.h: what the explorer's pages share (page_explore.c): the collection lookup, the filter from the URL, and links between the pages. */
#ifndef VP_EXPLORE_H
#define VP_EXPLORE_H

#include "analysis/index.h"
#include "http/request.h"
#include "model/collection.h"
#include "model/script.h"

#include <jansson.h>

#include <roaring/roaring.h>
#include <stdint.h>

/* The longest filter the explorer takes (the URL carries it). */
#define EXPLORE_FILTER_MAX 2000

/* The collection of route parameter 0 (of this organisation) and its index
 * part, read-locked (aix_release it). Returns 0, or 404 when there is no
 * such collection. The one place the explorer's pages look a collection
 * up. */
int explore_open(struct req *r, int64_t *id, struct collection *coll, struct aix_coll **c);

/* The filter text raw (NULL or "": every story) parsed against c: its
 * canonical text in *canon (arena) and its rows (roaring_bitmap_free
 * them), or NULL with a message for the reader in *error (arena). */
roaring_bitmap_t *explore_filter(struct req *r, struct aix_coll *c, const char *raw,
                                 const char **canon, const char **error);

/* "/verkennen/{id}/{page}?filter=F&vraag=Q&rij=R&kolom=K" (page "" for
 * the explorer itself; each of the others left out when NULL or ""). In
 * the arena. */
const char *explore_link(struct req *r, int64_t id, const char *page, const char *filter,
                         const char *q, const char *rows, const char *cols);

/* The link to the stories of filter and cond together ("(filter) and
 * cond" in canonical form), or NULL when that does not parse. */
const char *explore_stories_link(struct req *r, struct aix_coll *c, const char *filter,
                                 const char *cond);

/* Questions that get a chart, and questions a cross-table can take. */
int explore_charted(const struct question *q);
int explore_categorical(const struct question *q);

/* The measure document of question q over rows (the filter's, canonical
 * text filter), with its texts in the interface language: a triad's
 * measure_triad, else measure_distribution. NULL when the engine has no
 * measure for it. json_decref it. */
json_t *explore_measure(struct req *r, struct aix_coll *c, const struct question *q,
                        const char *filter, const roaring_bitmap_t *rows);

/* The cross-table of questions q1 x q2 over rows, its labels in the
 * interface language and its title "Q1 x Q2", or NULL with a message in
 * *error (arena). */
json_t *explore_crosstab(struct req *r, struct aix_coll *c, const char *q1, const char *q2,
                         const char *filter, const roaring_bitmap_t *rows, const char **error);

/* Pin and stones questions (explore_points.c): a stones document's stone
 * labels and axes in the interface language (explore_measure does this),
 * and a pin question's picture for its chart in o (URL and size from its
 * upload row; with embed, for a file of its own, also its bytes, in the
 * arena). Nothing when the picture is gone: the grid is drawn alone. */
struct chart_opts;
void explore_points_localise(json_t *doc, const struct question *q, const char *lang);
void explore_picture(struct req *r, const struct question *q, struct chart_opts *o, int embed);

/* The weights of every answer of triad q within rows, when there are few
 * enough to draw as points (else NULL, *n = 0). free() them. */
double (*explore_triad_points(struct aix_coll *c, const struct question *q,
                              const roaring_bitmap_t *rows, size_t *n))[3];

/* ---- shared with the overview, people-over-time, perspectives and report
 * pages (defined in page_explore_patterns.c and page_explore_stories.c) ---- */

/* The start of an explorer page: its title (with "Error: " first when
 * error), the link back to the explorer, the heading "what: collection"
 * and the error summary pointing at field (labelled field_label). */
void explore_head(struct req *r, int64_t id, const struct collection *coll, const char *what,
                  const char *error, const char *field, const char *field_label);
/* filter and cond together ("(filter) and cond") in the filter's
 * canonical form, in the arena; NULL when that does not parse against c. */
const char *explore_combined(struct req *r, struct aix_coll *c, const char *filter,
                             const char *cond);
/* A text field of a GET form with its help text and error (or NULL). */
void explore_text_field(struct req *r, const char *name, const char *label, const char *help,
                        const char *value, const char *error);
/* The form's Show button, and the form's end. */
void explore_submit(struct req *r);
/* A pattern's conditions (of measure_patterns) in words, "Question:
 * option and Question: option", in the interface language, in out. */
void explore_pattern_words(struct req *r, struct aix_coll *c, const json_t *pattern, buf *out);

struct story_read;
/* One story as an article (a card when card): its texts (escaped), when,
 * channel, receipt and signification; without the tools to tag it. */
void explore_story_article(struct req *r, struct aix_coll *c, uint32_t row,
                           const struct story_read *s, int card);
/* The row of story id in c, or -1 when the index does not hold it (yet). */
int64_t explore_row_of(const struct aix_coll *c, int64_t story_id);
/* At most this many stories a page shows and logs at once. */
#define EXPLORE_LOG_MAX 50
/* Sends the page built in r->out once the access log holds a "view"
 * entry for each of the n stories shown (ids, the tellers' codes), with
 * detail ("report", "perspectives"); a 503 instead when it could not be
 * written. The handler returns what this returns. */
int explore_log_stories(struct req *r, int n, const int64_t *ids, const char (*codes)[64],
                        const char *detail);

#endif
