/* themes.h: the themes people talk about: TF-IDF over stems and frequent two-word phrases, grouped by spherical k-means with k chosen by the simplified silhouette. */
#ifndef VP_THEMES_H
#define VP_THEMES_H

/*
 * docs/analysis.md, "Themes", says the same for analysts.
 *
 * Documents are texts (a story's title and texts); terms are the stems of
 * analysis/tokenize.h (compound parts included) and the two-word phrases
 * of consecutive whole-word stems. A stem is a term when at least min_df
 * documents have it, a phrase when at least bigram_min_df do; a term in
 * more than max_df of the documents says nothing about a theme and is
 * dropped. Weights: (1 + ln tf) x (ln((1 + n) / (1 + df)) + 1), each
 * document's vector scaled to length 1 (L2), kept sparse.
 *
 * Themes: spherical k-means (cosine similarity; centroids the normalised
 * mean of their documents), seeded by k-means++ from a fixed seed, the
 * best of `restarts` runs (highest total similarity). k is chosen in
 * [k_min, k_max] on a sample of at most `sample` documents (all when fewer)
 * by the highest simplified silhouette: per document a = 1 - cos(own
 * centroid), b = 1 - max cos(another centroid), s = (b - a) / max(a, b),
 * averaged. The chosen k's sample centroids then seed the run over every
 * document, iterated to convergence. Themes are numbered 0..k-1 by size,
 * largest first (ties: the lower first document). The same documents,
 * options and seed give the same themes on every machine with the same
 * libm; the thread count does not change them.
 *
 * A theme's label: its most characteristic terms, those whose mean weight
 * in the theme exceeds their mean weight in the other documents most;
 * its representative documents: those closest to its centroid.
 */

#include <stddef.h>
#include <stdint.h>

enum {
	THEMES_K_MIN = 3,
	THEMES_K_MAX = 12,
	THEMES_K_LIMIT = 30, /* the largest k an analyst may ask for */
	THEMES_TERMS = 10,   /* terms per theme's label */
	THEMES_REPS = 5,     /* representative documents per theme */
};

/* Called now and then with the stage ("terms", "choosing", "themes") and
 * the part done (0..1); a non-zero answer cancels the computation. */
typedef int (*themes_progress_fn)(void *ctx, const char *stage, double done);

struct themes_options {
	int k;             /* a fixed number of themes; 0: chosen in k_min..k_max */
	int k_min, k_max;  /* 0: THEMES_K_MIN, THEMES_K_MAX */
	uint64_t seed;     /* 0 is a seed like any other */
	int restarts;      /* 0: 4 */
	int sample;        /* documents to choose k on; 0: 4000 */
	int max_iter;      /* 0: 50 */
	int min_df;        /* 0: max(2, n / 1000) */
	int bigram_min_df; /* 0: max(3, n / 200) */
	double max_df;     /* 0: 0.5 */
	int threads;       /* 0: 2 */
	themes_progress_fn progress;
	void *progress_ctx;
};

/* The documents and their term vectors. */
struct themes_corpus;

/* A new empty corpus (owns a tokenizer). Free with themes_corpus_free. */
struct themes_corpus *themes_corpus_new(void);
void themes_corpus_free(struct themes_corpus *c);
/* Adds a document (text of len bytes, UTF-8): document number
 * themes_corpus_docs(c) before the call. */
void themes_corpus_add(struct themes_corpus *c, const char *text, size_t len);
/* The same for n documents at once, tokenized by threads (each with its
 * own tokenizer) and added in their order: the corpus is the same as n
 * calls of themes_corpus_add. */
void themes_corpus_add_many(struct themes_corpus *c, const char *const *texts, const size_t *lens,
                            size_t n, int threads);
size_t themes_corpus_docs(const struct themes_corpus *c);
/* Chooses the terms and weighs the documents (after the last add; once). */
void themes_corpus_weigh(struct themes_corpus *c, const struct themes_options *o);
/* Terms kept, and a term's label: its most common written form among the
 * documents for a stem ("wachtlijsten" for "wachtlijst"), both words for a
 * phrase. */
size_t themes_corpus_terms(const struct themes_corpus *c);
const char *themes_term_label(const struct themes_corpus *c, uint32_t term);

struct themes_theme {
	size_t size; /* documents */
	int nterms;
	uint32_t term[THEMES_TERMS];
	double term_score[THEMES_TERMS]; /* mean weight in the theme minus in the rest */
	int nreps;
	size_t rep[THEMES_REPS]; /* document numbers, closest first */
	double rep_cos[THEMES_REPS];
};

struct themes_result {
	int k;
	size_t n;                    /* documents */
	size_t no_terms;             /* documents with no term kept: no theme */
	int *theme;                  /* per document 0..k-1, -1 without terms (malloc'd) */
	struct themes_theme *themes; /* k of them, largest first (malloc'd) */
	int k_min, k_max;            /* the range tried (k_min = k_max = k when fixed) */
	double *silhouette;          /* per k tried, k_min first (malloc'd) */
	size_t sample;               /* documents k was chosen on */
	double objective;            /* mean cosine to the own centroid, all documents */
};

/* Finds the themes of the weighed corpus. 0; 1 when cancelled by the
 * progress function; -1 with a message in err when the options are out
 * of range or there are too few documents with terms for k themes (fewer
 * than 2 k). Allocates the result's arrays: free with themes_result_free. */
int themes_find(const struct themes_corpus *c, const struct themes_options *o,
                struct themes_result *out, char *err, size_t errlen);
void themes_result_free(struct themes_result *r);

/* The adjusted Rand index of two labellings of n items (labels 0..ka-1 and
 * 0..kb-1; a negative label is left out with its item), Hubert and Arabie
 * (1985). 1 for the same partition, about 0 for chance. NaN when fewer
 * than 2 items are left. Allocates a ka x kb table (freed). */
double themes_adjusted_rand(const int *a, const int *b, size_t n);

#endif
