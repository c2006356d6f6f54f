/* search.h: full-text search over the stories: the query a person types, made safe for FTS5, and ranked hits with snippets. */
#ifndef VP_SEARCH_H
#define VP_SEARCH_H

/*
 * What a person types (docs/analysis.md, "Search"): words and "phrases in
 * double quotes"; a story is found when it has every word and phrase
 * (after the tokenizer of analysis/tokenize.h: folded, stemmed, compound
 * parts). Nothing else is syntax: FTS5's own operators, *, ^, :, ( and )
 * are ordinary characters here (they separate words), so no input can
 * make FTS5 fail. Ranked by bm25, best first, ties by story id.
 */

#include "core/buf.h"
#include "db/db.h"

#include <jansson.h>

#include <stddef.h>
#include <stdint.h>

#define SEARCH_MAX_QUERY 500 /* bytes */
#define SEARCH_MAX_LIMIT 1000

/* Makes the FTS5 MATCH expression of the query q in out (appended): each
 * word and phrase as an FTS5 string, joined by AND. 0, or -1 with a clear
 * message in err: empty, too long, an unbalanced quote, or only common
 * words ("de", "het", "een" ...) that search cannot find. Does not touch
 * the database; pure enough to fuzz. */
int search_query_build(const char *q, buf *out, char *err, size_t errlen);

/* One hit: the story, its bm25 rank (lower is better) and a snippet with
 * the matched words between the bytes SEARCH_MARK_ON and SEARCH_MARK_OFF
 * (control characters that never occur in stored text: the emitters turn
 * them into <mark> or JSON parts). */
#define SEARCH_MARK_ON  "\x02"
#define SEARCH_MARK_OFF "\x03"

/* Calls hit for each of at most limit stories of the collections colls
 * (ncolls ids; pilot stories only with pilot set) matching the MATCH
 * expression match (from search_query_build), best first. Returns DB_DONE,
 * a db error code, or hit's non-zero answer. */
int search_run(db *d, const int64_t *colls, int ncolls, int pilot, const char *match, int limit,
               int (*hit)(void *ctx, int64_t story_id, double rank, const char *snippet),
               void *ctx);

/* The story ids (ascending, malloc'd into *ids, n in *n; free) of every
 * story matching match, of any collection: the caller keeps those of its
 * part (filter_story_row), which is faster than asking SQLite to join. */
int search_ids(db *d, const char *match, int64_t **ids, size_t *n);

/* Calls hit for the stories matching match, best first, of any
 * collection, until hit answers non-zero (a caller that keeps only its
 * part's stories stops once it has enough: FTS5 ranks without a join, and
 * makes a snippet only for the stories it hands out). Returns DB_DONE, a
 * db error code, or hit's answer. */
int search_ranked(db *d, const char *match,
                  int (*hit)(void *ctx, int64_t story_id, double rank, const char *snippet),
                  void *ctx);

/* The same, only for stories with an id of at least from_id (only those
 * are ranked: the measure "search" ranks the newest SEARCH_RANK_CAP
 * matches of its part, see search_measure.c), and only for those want
 * answers non-zero for (NULL: every one), asked before a snippet is made.
 * Ties in rank go by story id. */
int search_ranked_from(db *d, const char *match, int64_t from_id,
                       int (*want)(void *ctx, int64_t story_id),
                       int (*hit)(void *ctx, int64_t story_id, double rank, const char *snippet),
                       void *ctx);

/* Ranking costs about 1.5 microseconds per matching story: above this many
 * matches, the measure "search" ranks the newest this many (documented in
 * docs/analysis.md, "Search"). */
#define SEARCH_RANK_CAP 2000

/* The writer's side (023_story_search.sql): puts the text of the stored
 * story id into the search table (nothing when it has no story text);
 * takes the texts of deleted stories out of it. Call inside the writer's
 * transaction. Return DB_OK or the error. */
int search_index_story(db *d, int64_t id);
int search_forget_deleted(db *d);

/* Appends the snippet as JSON: an array of {"text": ..., "match": bool}. */
void search_snippet_json(buf *out, const char *snippet);

/* The measure "search" (measures.h): the stories of a->c that a->filter
 * selects and the search text a->q finds, best first, at most a->limit
 * (0: 20; at most SEARCH_MAX_LIMIT):
 *   {"query": Q, "filter": F, "count": N, "too_few": B, "stories": [{"story":
 *    ID, "rank": R, "snippet": [{"text": T, "match": B}, ...]}, ...]}
 * count is how many were found in all (the list stops at limit); fewer
 * than a->min_group (small-cell protection, measures.h): count null,
 * too_few true, no stories. 400 with a clear message for a bad search
 * text or filter. */
struct measure_args;
int measure_search(const struct measure_args *a, json_t **out, char *err, size_t errlen);

#endif
