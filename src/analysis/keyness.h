/* keyness.h: keyness: the words and two-word phrases a filter's stories use more than the rest (Dunning's G2 with Hardie's log ratio), over per-story term lists kept in memory. */
#ifndef VP_KEYNESS_H
#define VP_KEYNESS_H

/*
 * docs/analysis.md, "Keyness", says the same for analysts.
 *
 * Terms: the whole words of a story's searchable text (the body of
 * story_search: titles, story texts, text answers) after the tokenizer of
 * analysis/tokenize.h (folded, stop words dropped, stemmed; compound parts
 * are not terms), and two-word phrases: two words next to each other once
 * stop words are dropped (as an FTS5 phrase sees them), not across a
 * sentence end (. ! ? ; : or a new line). A term is shown as its most
 * frequent written form (lower case).
 *
 * Counts are document frequencies: a story counts once for a term however
 * often it uses it, so one long story cannot make a word key.
 *
 * For each term with a stories of the target's n1 and b of the
 * reference's n2, the 2x2 table (stories with and without the term, in
 * target and reference) gives Dunning's log-likelihood G2 (1 degree of
 * freedom) and the log ratio log2((a/n1) / (b/n2)) (Hardie 2014; a zero
 * count is taken as 0.5). Listed: terms the target uses more (a/n1 >
 * b/n2), in at least KEYNESS_MIN_STORIES target stories (or the minimum
 * group when larger), with G2 above KEYNESS_G2_CUTOFF (p < 0.001), by G2,
 * ties by term. Many terms are tested at once: the document also gives
 * the Bonferroni cut-off for all terms tested (family-wise p < 0.05).
 *
 * Memory: per part of the index (a collection's or a trajectory's), one
 * array of term ids per story (about 4 bytes per distinct word and phrase
 * of each story) and one vocabulary, built on first use from the texts
 * and brought up to date when the part's rows change (new stories are
 * tokenized and appended; a rebuilt part is tokenized again), so a query
 * only counts: it never tokenizes.
 */

#include "analysis/index.h"
#include "db/db.h"

#include <jansson.h>
#include <stddef.h>

#define KEYNESS_G2_CUTOFF   10.83 /* chi-squared, 1 df, p = 0.001 */
#define KEYNESS_MIN_STORIES 5
#define KEYNESS_MAX_LIMIT   1000

/* G2 of the 2x2 table: a of n1 target stories and b of n2 reference
 * stories have the term (0 <= a <= n1, 0 <= b <= n2, n1, n2 > 0):
 * 2 * sum O ln(O / E) over the four cells, a cell with O = 0 adding 0. */
double keyness_g2(double a, double n1, double b, double n2);

/* Hardie's log ratio: log2((a / n1) / (b / n2)), 0.5 for a zero count. */
double keyness_log_ratio(double a, double n1, double b, double n2);

/* The G2 above which p < alpha / tests (Bonferroni), 1 df. */
double keyness_bonferroni(double alpha, double tests);

/* The measure "keyness" (measures.h): the stories of a->c that a->filter
 * selects (the target) against a->b (the reference: the filter's
 * stories not in the target) or, when a->b is NULL or empty, every other
 * story of the part; at most a->limit terms (0: 30):
 *   {"filter": F, "against": F2 or null, "target": {"stories": N1},
 *    "reference": {"stories": N2}, "min_stories": M, "cutoff": 10.83,
 *    "tests": T, "bonferroni_cutoff": X, "too_few": B,
 *    "terms": [{"term": "wachtlijst", "stem": "wachtlijst", "phrase": false,
 *               "target": A, "reference": B, "target_share": A/N1,
 *               "reference_share": B/N2, "g2": G, "log_ratio": L}, ...]}
 * Small-cell protection: a target or reference under the minimum group
 * gives too_few true, null story counts and no terms; a reference count
 * under the minimum group is null (its share too). Needs a->d to read the
 * texts when the part's terms are not in memory yet. 400 for a bad filter
 * or limit; 503 while a large part's terms are built in the background
 * (keyness_set_sync_max). */
struct measure_args;
int measure_keyness(const struct measure_args *a, json_t **out, char *err, size_t errlen);

/* In the server (aix_global set), a part with more than n stories to
 * tokenize (default 50,000) is built by a background thread: meanwhile the
 * measure answers 503 with "being prepared". For tests. */
void keyness_set_sync_max(int n);

/* Bytes the term lists of c take (0 when not built), for benchmarks. */
size_t keyness_bytes(const struct aix_coll *c);

#endif
