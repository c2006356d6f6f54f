/* themes.c: the themes people talk about: terms and their TF-IDF weights, spherical k-means, the choice of k, labels and representative documents. */
#include "analysis/themes.h"

#include "analysis/stats.h"
#include "analysis/tokenize.h"
#include "core/buf.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		abort();
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

/* ---- the vocabulary: every stem and phrase seen, by id ------------------- */

struct term {
	uint32_t str;   /* offset of the NUL-terminated stem or "stem stem" in chars */
	uint32_t label; /* offset of the label in chars; UINT32_MAX: none yet */
	uint32_t df;    /* documents */
	uint32_t last;  /* the last document counted in df, + 1 */
	uint32_t hash;  /* of str, compared before the bytes */
	uint8_t phrase; /* 1: two words */
};

struct themes_corpus {
	struct tok *tok;
	/* the vocabulary */
	char *chars;
	size_t nchars, capchars;
	struct term *terms;
	uint32_t nterms, capterms;
	uint32_t *slots; /* open addressing: term id + 1, 0 empty */
	uint32_t nslots;
	/* the documents as term ids, one after the other */
	uint32_t *raw;
	size_t nraw, capraw;
	size_t *raw_off; /* ndocs + 1 */
	size_t ndocs, capdocs;
	/* after themes_corpus_weigh: sparse vectors over features */
	int weighed;
	uint32_t nfeat;
	uint32_t *term_of_feat;
	size_t *off; /* ndocs + 1 */
	uint32_t *idx;
	float *val;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint32_t chars_put(struct themes_corpus *c, const char *s, size_t n)
{
	if (c->nchars + n + 1 > c->capchars) {
		c->capchars = (c->capchars + n + 1) * 2;
		c->chars = xrealloc(c->chars, c->capchars);
	}
	if (c->nchars + n + 1 > UINT32_MAX)
		abort(); /* 4 GiB of distinct words: not a text collection */
	uint32_t at = (uint32_t)c->nchars;
	memcpy(c->chars + at, s, n);
	c->chars[at + n] = 0;
	c->nchars += n + 1;
	return at;
}

static void slots_grow(struct themes_corpus *c)
{
	uint32_t n = c->nslots ? c->nslots * 2 : 1024;
	uint32_t *s = xcalloc(n, sizeof *s);
	for (uint32_t t = 0; t < c->nterms; t++) {
		uint32_t h = c->terms[t].hash & (n - 1);
		while (s[h])
			h = (h + 1) & (n - 1);
		s[h] = t + 1;
	}
	free(c->slots);
	c->slots = s;
	c->nslots = n;
}

/* The id of the term s (n bytes), added when new. */
static uint32_t term_id(struct themes_corpus *c, const char *s, size_t n, int phrase)
{
	if ((c->nterms + 1) * 2 > c->nslots)
		slots_grow(c);
	uint32_t hash = (uint32_t)hash_bytes(s, n);
	uint32_t h = hash & (c->nslots - 1);
	while (c->slots[h]) {
		struct term *t = &c->terms[c->slots[h] - 1];
		const char *str = c->chars + t->str;
		if (t->hash == hash && memcmp(str, s, n) == 0 && str[n] == 0)
			return c->slots[h] - 1;
		h = (h + 1) & (c->nslots - 1);
	}
	if (c->nterms == c->capterms) {
		c->capterms = c->capterms ? c->capterms * 2 : 1024;
		c->terms = xrealloc(c->terms, c->capterms * sizeof *c->terms);
	}
	uint32_t id = c->nterms++;
	c->terms[id] = (struct term){.str = chars_put(c, s, n),
	                             .label = UINT32_MAX,
	                             .hash = hash,
	                             .phrase = (uint8_t)phrase};
	c->slots[h] = id + 1;
	return id;
}

static void raw_put(struct themes_corpus *c, uint32_t id)
{
	if (c->nraw == c->capraw) {
		c->capraw = c->capraw ? c->capraw * 2 : 4096;
		c->raw = xrealloc(c->raw, c->capraw * sizeof *c->raw);
	}
	c->raw[c->nraw++] = id;
	struct term *t = &c->terms[id];
	if (t->last != c->ndocs + 1) {
		t->last = (uint32_t)(c->ndocs + 1);
		t->df++;
	}
}

struct themes_corpus *themes_corpus_new(void)
{
	struct themes_corpus *c = xcalloc(1, sizeof *c);
	c->tok = tok_new();
	if (!c->tok)
		abort();
	c->capdocs = 1024;
	c->raw_off = xmalloc((c->capdocs + 1) * sizeof *c->raw_off);
	c->raw_off[0] = 0;
	return c;
}

void themes_corpus_free(struct themes_corpus *c)
{
	if (!c)
		return;
	tok_free(c->tok);
	free(c->chars);
	free(c->terms);
	free(c->slots);
	free(c->raw);
	free(c->raw_off);
	free(c->term_of_feat);
	free(c->off);
	free(c->idx);
	free(c->val);
	free(c);
}

/* Tokenizing one document: the whole-word stem before (for phrases) and
 * its written form. */
struct add_ctx {
	struct themes_corpus *c;
	const char *text;
	char prev[2 * TOK_MAX_WORD + 2];
	int prevlen; /* 0: none */
	char prev_form[TOK_MAX_WORD + 1];
	int prev_formlen;
};

/* The written form of text[start, end), lower-cased (ASCII letters: a
 * label, not a key). */
static int written_form(const char *text, int start, int end, char *out)
{
	int n = end - start;
	if (n > TOK_MAX_WORD)
		n = TOK_MAX_WORD;
	for (int i = 0; i < n; i++) {
		char ch = text[start + i];
		out[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
	}
	out[n] = 0;
	return n;
}

/* One token into the vocabulary and the document: its stem (and, for a
 * whole word, its written form, which also makes a phrase with the word
 * before). */
static void add_token(struct add_ctx *a, const char *tok, int len, const char *form, int formlen,
                      int colocated)
{
	struct themes_corpus *c = a->c;
	uint32_t id = term_id(c, tok, (size_t)len, 0);
	raw_put(c, id);
	if (colocated) /* a compound's part: a term, not a word of a phrase */
		return;
	if (c->terms[id].label == UINT32_MAX)
		c->terms[id].label = chars_put(c, form, (size_t)formlen);
	if (a->prevlen) {
		char p[2 * TOK_MAX_WORD + 2];
		memcpy(p, a->prev, (size_t)a->prevlen);
		p[a->prevlen] = ' ';
		memcpy(p + a->prevlen + 1, tok, (size_t)len);
		uint32_t pid = term_id(c, p, (size_t)(a->prevlen + 1 + len), 1);
		raw_put(c, pid);
		if (c->terms[pid].label == UINT32_MAX) {
			char l[2 * TOK_MAX_WORD + 2];
			int m = snprintf(l, sizeof l, "%s %.*s", a->prev_form, formlen, form);
			c->terms[pid].label = chars_put(c, l, (size_t)m);
		}
	}
	memcpy(a->prev, tok, (size_t)len);
	a->prevlen = len;
	memcpy(a->prev_form, form, (size_t)formlen);
	a->prev_form[formlen] = 0;
	a->prev_formlen = formlen;
}

static int add_emit(void *ctx, const char *tok, int len, int start, int end, int colocated)
{
	struct add_ctx *a = ctx;
	char form[TOK_MAX_WORD + 1];
	int formlen = colocated ? 0 : written_form(a->text, start, end, form);
	add_token(a, tok, len, form, formlen, colocated);
	return 0;
}

static void doc_begin(struct themes_corpus *c)
{
	assert(!c->weighed);
	if (c->ndocs == c->capdocs) {
		c->capdocs *= 2;
		c->raw_off = xrealloc(c->raw_off, (c->capdocs + 1) * sizeof *c->raw_off);
	}
}

static void doc_end(struct themes_corpus *c)
{
	c->ndocs++;
	c->raw_off[c->ndocs] = c->nraw;
}

void themes_corpus_add(struct themes_corpus *c, const char *text, size_t len)
{
	assert(c && (text || !len));
	doc_begin(c);
	struct add_ctx a = {.c = c, .text = text};
	if (len)
		tok_run(c->tok, text, len, TOK_DOCUMENT, add_emit, &a);
	doc_end(c);
}

/* ---- many documents at once: tokenized in threads, added in order ------- */

/* A thread's tokens as records: a byte of flags (1: a compound's part; 255:
 * the document ends), the stem's length and bytes, and for a whole word
 * its written form's length and bytes. */
struct tok_part {
	const char *const *texts;
	const size_t *lens;
	size_t from, to;
	buf out;
	const char *text; /* the document being tokenized */
};

static int part_emit(void *ctx, const char *tok, int len, int start, int end, int colocated)
{
	struct tok_part *p = ctx;
	buf_putc(&p->out, (char)(colocated ? 1 : 0));
	buf_putc(&p->out, (char)len);
	buf_append(&p->out, tok, (size_t)len);
	if (!colocated) {
		char form[TOK_MAX_WORD + 1];
		int n = written_form(p->text, start, end, form);
		buf_putc(&p->out, (char)n);
		buf_append(&p->out, form, (size_t)n);
	}
	return 0;
}

static void *part_run(void *arg)
{
	struct tok_part *p = arg;
	struct tok *t = tok_new();
	if (!t)
		abort();
	for (size_t i = p->from; i < p->to; i++) {
		p->text = p->texts[i];
		if (p->lens[i])
			tok_run(t, p->texts[i], p->lens[i], TOK_DOCUMENT, part_emit, p);
		buf_putc(&p->out, (char)255);
	}
	tok_free(t);
	return NULL;
}

void themes_corpus_add_many(struct themes_corpus *c, const char *const *texts, const size_t *lens,
                            size_t n, int threads)
{
	assert(c && (texts || !n));
	if (threads < 1)
		threads = 1;
	if (threads > 8)
		threads = 8;
	if ((size_t)threads > n / 256 + 1)
		threads = (int)(n / 256 + 1);
	struct tok_part part[8];
	pthread_t th[8];
	for (int t = 0; t < threads; t++) {
		part[t] = (struct tok_part){.texts = texts,
		                            .lens = lens,
		                            .from = n * (size_t)t / (size_t)threads,
		                            .to = n * (size_t)(t + 1) / (size_t)threads};
		buf_init(&part[t].out);
	}
	for (int t = 1; t < threads; t++)
		if (pthread_create(&th[t], NULL, part_run, &part[t]))
			abort();
	part_run(&part[0]);
	for (int t = 0; t < threads; t++) {
		if (t)
			pthread_join(th[t], NULL);
		const unsigned char *q = (const unsigned char *)part[t].out.data;
		const unsigned char *end = q + part[t].out.len;
		for (size_t i = part[t].from; i < part[t].to; i++) {
			doc_begin(c);
			struct add_ctx a = {.c = c};
			while (q < end && *q != 255) {
				int colocated = *q++;
				int len = *q++;
				const char *tok = (const char *)q;
				q += len;
				int formlen = 0;
				const char *form = "";
				if (!colocated) {
					formlen = *q++;
					form = (const char *)q;
					q += formlen;
				}
				add_token(&a, tok, len, form, formlen, colocated);
			}
			q++; /* the document's end */
			doc_end(c);
		}
		buf_free(&part[t].out);
	}
}

size_t themes_corpus_docs(const struct themes_corpus *c)
{
	return c->ndocs;
}

size_t themes_corpus_terms(const struct themes_corpus *c)
{
	return c->nfeat;
}

const char *themes_term_label(const struct themes_corpus *c, uint32_t feat)
{
	assert(c->weighed && feat < c->nfeat);
	const struct term *t = &c->terms[c->term_of_feat[feat]];
	return c->chars + (t->label != UINT32_MAX ? t->label : t->str);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

void themes_corpus_weigh(struct themes_corpus *c, const struct themes_options *o)
{
	assert(c && !c->weighed);
	c->weighed = 1;
	size_t n = c->ndocs;
	size_t min_df = o && o->min_df > 0 ? (size_t)o->min_df : n / 1000 > 2 ? n / 1000 : 2;
	size_t min_df2 = o && o->bigram_min_df > 0 ? (size_t)o->bigram_min_df
	                 : n / 200 > 3             ? n / 200
	                                           : 3;
	double max_df = o && o->max_df > 0 ? o->max_df : 0.5;
	/* Features in the order of the terms' first appearance: the same
	 * documents in the same order give the same numbering. */
	uint32_t *feat_of_term = xmalloc(c->nterms * sizeof *feat_of_term);
	c->term_of_feat = xmalloc(c->nterms * sizeof *c->term_of_feat);
	double *idf = xmalloc(c->nterms * sizeof *idf);
	c->nfeat = 0;
	for (uint32_t t = 0; t < c->nterms; t++) {
		const struct term *x = &c->terms[t];
		int keep = x->df >= (x->phrase ? min_df2 : min_df) && x->df <= max_df * (double)n;
		feat_of_term[t] = keep ? c->nfeat : UINT32_MAX;
		if (keep) {
			idf[c->nfeat] = log((1.0 + (double)n) / (1.0 + x->df)) + 1.0;
			c->term_of_feat[c->nfeat++] = t;
		}
	}
	c->off = xmalloc((n + 1) * sizeof *c->off);
	c->idx = xmalloc((c->nraw ? c->nraw : 1) * sizeof *c->idx);
	c->val = xmalloc((c->nraw ? c->nraw : 1) * sizeof *c->val);
	size_t at = 0, scratch_cap = 0;
	uint32_t *scratch = NULL;
	for (size_t d = 0; d < n; d++) {
		c->off[d] = at;
		size_t from = c->raw_off[d], to = c->raw_off[d + 1], m = 0;
		if (to - from > scratch_cap) {
			scratch_cap = (to - from) * 2;
			scratch = xrealloc(scratch, scratch_cap * sizeof *scratch);
		}
		for (size_t i = from; i < to; i++)
			if (feat_of_term[c->raw[i]] != UINT32_MAX)
				scratch[m++] = feat_of_term[c->raw[i]];
		if (m)
			qsort(scratch, m, sizeof *scratch, cmp_u32);
		double norm = 0;
		size_t start = at;
		for (size_t i = 0; i < m;) {
			size_t j = i;
			while (j < m && scratch[j] == scratch[i])
				j++;
			double w = (1.0 + log((double)(j - i))) * idf[scratch[i]];
			c->idx[at] = scratch[i];
			c->val[at++] = (float)w;
			norm += w * w;
			i = j;
		}
		if (norm > 0) {
			double s = 1.0 / sqrt(norm);
			for (size_t i = start; i < at; i++)
				c->val[i] = (float)(c->val[i] * s);
		}
	}
	c->off[n] = at;
	free(scratch);
	free(idf);
	free(feat_of_term);
	/* The raw ids are not needed any more. */
	free(c->raw);
	c->raw = NULL;
	c->nraw = c->capraw = 0;
}

/* ---- spherical k-means ------------------------------------------------- */

/* A run over a set of documents (docs[0..m-1], document numbers). */
struct km {
	const struct themes_corpus *c;
	const size_t *docs;
	size_t m;
	int k;
	uint32_t v;     /* features */
	double *cent;   /* k x v, each of length 1 */
	int *assign;    /* m */
	double *best;   /* m: cosine to the own centroid */
	double *second; /* m: the best cosine to another centroid */
	int threads;
};

static double dot_dense(const struct themes_corpus *c, size_t d, const double *cent)
{
	double s = 0;
	for (size_t i = c->off[d]; i < c->off[d + 1]; i++)
		s += c->val[i] * cent[c->idx[i]];
	return s;
}

struct assign_part {
	struct km *km;
	size_t from, to;
	size_t changed;
};

static void *assign_range(void *arg)
{
	struct assign_part *p = arg;
	struct km *km = p->km;
	p->changed = 0;
	for (size_t i = p->from; i < p->to; i++) {
		size_t d = km->docs[i];
		int bj = 0;
		double b = -2, s2 = -2;
		for (int j = 0; j < km->k; j++) {
			double s = dot_dense(km->c, d, km->cent + (size_t)j * km->v);
			if (s > b) {
				s2 = b;
				b = s;
				bj = j;
			} else if (s > s2) {
				s2 = s;
			}
		}
		if (km->assign[i] != bj)
			p->changed++;
		km->assign[i] = bj;
		km->best[i] = b;
		km->second[i] = s2;
	}
	return NULL;
}

/* Assigns every document to its closest centroid (ties: the lower
 * number); the number of documents that changed. Threads split the
 * documents; each document's answer does not depend on them. */
static size_t km_assign(struct km *km)
{
	int nt = km->threads;
	if (nt < 1 || km->m < 2000)
		nt = 1;
	if (nt > 8)
		nt = 8;
	struct assign_part part[8];
	pthread_t th[8];
	for (int t = 0; t < nt; t++)
		part[t] = (struct assign_part){.km = km,
		                               .from = km->m * (size_t)t / (size_t)nt,
		                               .to = km->m * (size_t)(t + 1) / (size_t)nt};
	for (int t = 1; t < nt; t++)
		if (pthread_create(&th[t], NULL, assign_range, &part[t]))
			abort();
	assign_range(&part[0]);
	size_t changed = part[0].changed;
	for (int t = 1; t < nt; t++) {
		pthread_join(th[t], NULL);
		changed += part[t].changed;
	}
	return changed;
}

/* Centroids as the normalised sums of their documents. An empty theme
 * takes the document farthest from its own centroid (the lowest number
 * among equals), so k stays k. */
static void km_update(struct km *km)
{
	size_t kv = (size_t)km->k * km->v;
	memset(km->cent, 0, kv * sizeof *km->cent);
	size_t *size = xcalloc((size_t)km->k, sizeof *size);
	for (size_t i = 0; i < km->m; i++) {
		size_t d = km->docs[i];
		double *cj = km->cent + (size_t)km->assign[i] * km->v;
		for (size_t x = km->c->off[d]; x < km->c->off[d + 1]; x++)
			cj[km->c->idx[x]] += km->c->val[x];
		size[km->assign[i]]++;
	}
	for (int j = 0; j < km->k; j++) {
		double *cj = km->cent + (size_t)j * km->v;
		if (!size[j]) {
			size_t far = 0;
			for (size_t i = 1; i < km->m; i++)
				if (km->best[i] < km->best[far])
					far = i;
			size_t d = km->docs[far];
			km->best[far] = 2; /* not taken twice */
			for (size_t x = km->c->off[d]; x < km->c->off[d + 1]; x++)
				cj[km->c->idx[x]] = km->c->val[x];
		}
		double norm = 0;
		for (uint32_t t = 0; t < km->v; t++)
			norm += cj[t] * cj[t];
		if (norm > 0) {
			double s = 1.0 / sqrt(norm);
			for (uint32_t t = 0; t < km->v; t++)
				cj[t] *= s;
		}
	}
	free(size);
}

/* k-means++ seeding: the first centroid a document drawn uniformly, each
 * next one a document drawn with probability proportional to 1 - its best
 * cosine to the centroids so far. */
static void km_seed(struct km *km, uint64_t *rng)
{
	memset(km->cent, 0, (size_t)km->k * km->v * sizeof *km->cent);
	double *dist = xmalloc(km->m * sizeof *dist);
	size_t pick = (size_t)stats_rand_below(rng, km->m);
	for (int j = 0; j < km->k; j++) {
		size_t d = km->docs[pick];
		double *cj = km->cent + (size_t)j * km->v;
		for (size_t x = km->c->off[d]; x < km->c->off[d + 1]; x++)
			cj[km->c->idx[x]] = km->c->val[x];
		if (j + 1 == km->k)
			break;
		double total = 0;
		for (size_t i = 0; i < km->m; i++) {
			double s = 1.0 - dot_dense(km->c, km->docs[i], cj);
			if (s < 0)
				s = 0;
			if (j == 0 || s < dist[i])
				dist[i] = s;
			total += dist[i];
		}
		if (total <= 0) { /* every document on a centroid: any will do */
			pick = (size_t)stats_rand_below(rng, km->m);
			continue;
		}
		double u = (double)(stats_rand_next(rng) >> 11) * 0x1.0p-53 * total;
		pick = km->m - 1;
		for (size_t i = 0; i < km->m; i++) {
			if (u < dist[i]) {
				pick = i;
				break;
			}
			u -= dist[i];
		}
	}
	free(dist);
}

/* Iterates until no document moves (or max_iter); the mean cosine to the
 * own centroid. */
static double km_iterate(struct km *km, int max_iter)
{
	for (size_t i = 0; i < km->m; i++)
		km->assign[i] = -1;
	for (int it = 0; it < max_iter; it++) {
		size_t changed = km_assign(km);
		if (!changed)
			break;
		km_update(km);
	}
	double s = 0;
	for (size_t i = 0; i < km->m; i++)
		s += km->best[i];
	return km->m ? s / (double)km->m : 0;
}

static void km_init(struct km *km, const struct themes_corpus *c, const size_t *docs, size_t m,
                    int k, int threads)
{
	*km = (struct km){.c = c, .docs = docs, .m = m, .k = k, .v = c->nfeat, .threads = threads};
	km->cent = xcalloc((size_t)k * (c->nfeat ? c->nfeat : 1), sizeof *km->cent);
	km->assign = xmalloc(m * sizeof *km->assign);
	km->best = xmalloc(m * sizeof *km->best);
	km->second = xmalloc(m * sizeof *km->second);
}

static void km_free(struct km *km)
{
	free(km->cent);
	free(km->assign);
	free(km->best);
	free(km->second);
}

/* The best of restarts seeded runs; km keeps the best's centroids and
 * assignments. Returns its mean cosine, or NAN when cancelled. */
static double km_best(struct km *km, uint64_t seed, int restarts, int max_iter)
{
	size_t kv = (size_t)km->k * km->v;
	double *keep = xmalloc(kv * sizeof *keep);
	double best = -INFINITY;
	uint64_t rng = seed ^ (0x9e3779b97f4a7c15ULL * (uint64_t)km->k);
	for (int r = 0; r < restarts; r++) {
		km_seed(km, &rng);
		double obj = km_iterate(km, max_iter);
		if (obj > best) {
			best = obj;
			memcpy(keep, km->cent, kv * sizeof *keep);
		}
	}
	memcpy(km->cent, keep, kv * sizeof *keep);
	free(keep);
	km_assign(km);
	return best;
}

/* The simplified silhouette of km's assignment, each document left out of
 * its own theme (otherwise a theme of one or two documents looks tight
 * because its centroid is mostly the document itself, and small k loses
 * to large k on few documents): a = 1 - cos(x, S - x), S the sum of the
 * theme's documents; b = 1 - the best cos(x, centroid) of another theme;
 * s = (b - a) / max(a, b), 0 for a theme of one document (as Rousseeuw's
 * silhouette). */
static double km_silhouette(const struct km *km)
{
	size_t kv = (size_t)km->k * km->v;
	double *sum = xcalloc(kv, sizeof *sum);
	double *norm2 = xcalloc((size_t)km->k, sizeof *norm2);
	size_t *size = xcalloc((size_t)km->k, sizeof *size);
	const struct themes_corpus *c = km->c;
	for (size_t i = 0; i < km->m; i++) {
		size_t d = km->docs[i];
		double *sj = sum + (size_t)km->assign[i] * km->v;
		for (size_t x = c->off[d]; x < c->off[d + 1]; x++)
			sj[c->idx[x]] += c->val[x];
		size[km->assign[i]]++;
	}
	for (int j = 0; j < km->k; j++)
		for (uint32_t t = 0; t < km->v; t++)
			norm2[j] += sum[(size_t)j * km->v + t] * sum[(size_t)j * km->v + t];
	double total = 0;
	for (size_t i = 0; i < km->m; i++) {
		int own = km->assign[i];
		if (size[own] < 2)
			continue;
		size_t d = km->docs[i];
		double xs = dot_dense(c, d, sum + (size_t)own * km->v);
		double rest2 = norm2[own] - 2 * xs + 1;
		double a = 1 - (rest2 > 1e-12 ? (xs - 1) / sqrt(rest2) : 0);
		double bcos = -1;
		for (int j = 0; j < km->k; j++) {
			if (j == own || !size[j])
				continue;
			double cs = dot_dense(c, d, sum + (size_t)j * km->v) / sqrt(norm2[j]);
			if (cs > bcos)
				bcos = cs;
		}
		double b = 1 - bcos;
		double mx = a > b ? a : b;
		total += mx > 0 ? (b - a) / mx : 0;
	}
	free(sum);
	free(norm2);
	free(size);
	return km->m ? total / (double)km->m : 0;
}

/* ---- the whole computation -------------------------------------------- */

static int progress(const struct themes_options *o, const char *stage, double done)
{
	return o->progress ? o->progress(o->progress_ctx, stage, done) : 0;
}

static int cmp_size_t(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

struct size_order {
	size_t size, first;
	int j;
};

static int cmp_size(const void *a, const void *b)
{
	const struct size_order *x = a, *y = b;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

int themes_find(const struct themes_corpus *c, const struct themes_options *o,
                struct themes_result *out, char *err, size_t errlen)
{
	assert(c && c->weighed && o && out);
	memset(out, 0, sizeof *out);
	int k_min = o->k ? o->k : o->k_min ? o->k_min : THEMES_K_MIN;
	int k_max = o->k ? o->k : o->k_max ? o->k_max : THEMES_K_MAX;
	if (k_min < 2 || k_max > THEMES_K_LIMIT || k_min > k_max) {
		snprintf(err, errlen,
		         "the number of themes must be from 2 to %d (and the least "
		         "no more than the most)",
		         THEMES_K_LIMIT);
		return -1;
	}
	int restarts = o->restarts > 0 ? o->restarts : 4;
	int max_iter = o->max_iter > 0 ? o->max_iter : 50;
	size_t sample_max = o->sample > 0 ? (size_t)o->sample : 4000;
	int threads = o->threads > 0 ? o->threads : 2;

	/* The documents with a term. */
	size_t n = c->ndocs, m = 0;
	size_t *docs = xmalloc(n * sizeof *docs);
	for (size_t d = 0; d < n; d++)
		if (c->off[d + 1] > c->off[d])
			docs[m++] = d;
	if (m < 2 * (size_t)k_max) {
		free(docs);
		snprintf(err, errlen,
		         "too few stories with words to find themes in: %zu (at least %d needed "
		         "for %d themes)",
		         m, 2 * k_max, k_max);
		return -1;
	}
	/* The sample to choose k on: every document, or a seeded draw of
	 * sample_max (a partial Fisher-Yates shuffle), in document order. */
	size_t ns = m < sample_max ? m : sample_max;
	size_t *sample = xmalloc(m * sizeof *sample);
	memcpy(sample, docs, m * sizeof *sample);
	if (ns < m) {
		uint64_t rng = o->seed ^ 0x5851f42d4c957f2dULL;
		for (size_t i = 0; i < ns; i++) {
			size_t j = i + (size_t)stats_rand_below(&rng, m - i);
			size_t x = sample[i];
			sample[i] = sample[j];
			sample[j] = x;
		}
		qsort(sample, ns, sizeof *sample, cmp_size_t);
	}
	out->k_min = k_min;
	out->k_max = k_max;
	out->sample = ns;
	out->silhouette = xmalloc((size_t)(k_max - k_min + 1) * sizeof *out->silhouette);
	int best_k = k_min;
	double best_s = -INFINITY;
	double *best_cent = NULL;
	for (int k = k_min; k <= k_max; k++) {
		if (progress(o, "choosing", (double)(k - k_min) / (k_max - k_min + 1))) {
			free(best_cent);
			free(docs);
			free(sample);
			themes_result_free(out);
			return 1;
		}
		struct km km;
		km_init(&km, c, sample, ns, k, threads);
		km_best(&km, o->seed, restarts, max_iter);
		double s = km_silhouette(&km);
		out->silhouette[k - k_min] = s;
		if (s > best_s) {
			best_s = s;
			best_k = k;
			free(best_cent);
			best_cent = km.cent;
			km.cent = NULL;
		}
		km_free(&km);
	}
	free(sample);
	if (progress(o, "themes", 0)) {
		free(best_cent);
		free(docs);
		themes_result_free(out);
		return 1;
	}
	/* Every document, from the chosen k's centroids. */
	struct km km;
	km_init(&km, c, docs, m, best_k, threads);
	memcpy(km.cent, best_cent, (size_t)best_k * km.v * sizeof *km.cent);
	free(best_cent);
	for (size_t i = 0; i < m; i++)
		km.assign[i] = -1;
	double obj = 0;
	for (int it = 0; it < max_iter; it++) {
		size_t changed = km_assign(&km);
		if (!changed)
			break;
		km_update(&km);
		if (progress(o, "themes", (double)(it + 1) / max_iter)) {
			km_free(&km);
			free(docs);
			themes_result_free(out);
			return 1;
		}
	}
	for (size_t i = 0; i < m; i++)
		obj += km.best[i];
	out->objective = obj / (double)m;

	/* Number the themes by size, largest first. */
	int k = best_k;
	struct size_order *ord = xcalloc((size_t)k, sizeof *ord);
	for (int j = 0; j < k; j++) {
		ord[j].j = j;
		ord[j].first = SIZE_MAX;
	}
	for (size_t i = 0; i < m; i++) {
		struct size_order *x = &ord[km.assign[i]];
		x->size++;
		if (x->first == SIZE_MAX)
			x->first = docs[i];
	}
	qsort(ord, (size_t)k, sizeof *ord, cmp_size);
	int *num = xmalloc((size_t)k * sizeof *num);
	for (int j = 0; j < k; j++)
		num[ord[j].j] = j;
	out->k = k;
	out->n = n;
	out->no_terms = n - m;
	out->theme = xmalloc((n ? n : 1) * sizeof *out->theme);
	for (size_t d = 0; d < n; d++)
		out->theme[d] = -1;
	for (size_t i = 0; i < m; i++)
		out->theme[docs[i]] = num[km.assign[i]];
	out->themes = xcalloc((size_t)k, sizeof *out->themes);

	/* Labels: mean weight in the theme minus in the rest. */
	uint32_t v = c->nfeat;
	double *sum = xcalloc((size_t)k * (v ? v : 1), sizeof *sum);
	double *all = xcalloc(v ? v : 1, sizeof *all);
	for (size_t i = 0; i < m; i++) {
		size_t d = docs[i];
		double *sj = sum + (size_t)num[km.assign[i]] * v;
		for (size_t x = c->off[d]; x < c->off[d + 1]; x++) {
			sj[c->idx[x]] += c->val[x];
			all[c->idx[x]] += c->val[x];
		}
	}
	for (int j = 0; j < k; j++) {
		struct themes_theme *th = &out->themes[j];
		th->size = ord[j].size;
		const double *sj = sum + (size_t)j * v;
		double in = (double)th->size, rest = (double)(m - th->size);
		for (uint32_t t = 0; t < v; t++) {
			double score = sj[t] / in - (rest > 0 ? (all[t] - sj[t]) / rest : 0);
			/* a stem only ever seen as a compound's part ("tak" of
			 * "zorgtaken") weighs in the themes but is no label */
			if (score <= 0 || c->terms[c->term_of_feat[t]].label == UINT32_MAX)
				continue;
			/* insertion into the top THEMES_TERMS (ties: the lower feature) */
			int at = th->nterms;
			while (at > 0 && th->term_score[at - 1] < score)
				at--;
			if (at >= THEMES_TERMS)
				continue;
			int last = th->nterms < THEMES_TERMS ? th->nterms : THEMES_TERMS - 1;
			for (int q = last; q > at; q--) {
				th->term[q] = th->term[q - 1];
				th->term_score[q] = th->term_score[q - 1];
			}
			th->term[at] = t;
			th->term_score[at] = score;
			if (th->nterms < THEMES_TERMS)
				th->nterms++;
		}
	}
	/* Representatives: the closest to the centroid (ties: the lower
	 * document). */
	for (size_t i = 0; i < m; i++) {
		struct themes_theme *th = &out->themes[num[km.assign[i]]];
		double s = km.best[i];
		int at = th->nreps;
		while (at > 0 && th->rep_cos[at - 1] < s)
			at--;
		if (at >= THEMES_REPS)
			continue;
		int last = th->nreps < THEMES_REPS ? th->nreps : THEMES_REPS - 1;
		for (int q = last; q > at; q--) {
			th->rep[q] = th->rep[q - 1];
			th->rep_cos[q] = th->rep_cos[q - 1];
		}
		th->rep[at] = docs[i];
		th->rep_cos[at] = s;
		if (th->nreps < THEMES_REPS)
			th->nreps++;
	}
	free(sum);
	free(all);
	free(num);
	free(ord);
	km_free(&km);
	free(docs);
	progress(o, "themes", 1);
	return 0;
}

void themes_result_free(struct themes_result *r)
{
	if (!r)
		return;
	free(r->theme);
	free(r->themes);
	free(r->silhouette);
	memset(r, 0, sizeof *r);
}

/* ---- adjusted Rand index ------------------------------------------------ */

static double pairs(double x)
{
	return x * (x - 1) / 2;
}

double themes_adjusted_rand(const int *a, const int *b, size_t n)
{
	int ka = 0, kb = 0;
	for (size_t i = 0; i < n; i++) {
		if (a[i] >= ka)
			ka = a[i] + 1;
		if (b[i] >= kb)
			kb = b[i] + 1;
	}
	if (!ka || !kb)
		return NAN;
	double *t = xcalloc((size_t)ka * (size_t)kb, sizeof *t);
	double *ra = xcalloc((size_t)ka, sizeof *ra), *rb = xcalloc((size_t)kb, sizeof *rb);
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		if (a[i] < 0 || b[i] < 0)
			continue;
		t[(size_t)a[i] * (size_t)kb + (size_t)b[i]]++;
		ra[a[i]]++;
		rb[b[i]]++;
		total++;
	}
	double index = 0, sa = 0, sb = 0;
	for (size_t i = 0; i < (size_t)ka * (size_t)kb; i++)
		index += pairs(t[i]);
	for (int i = 0; i < ka; i++)
		sa += pairs(ra[i]);
	for (int j = 0; j < kb; j++)
		sb += pairs(rb[j]);
	free(t);
	free(ra);
	free(rb);
	if (total < 2)
		return NAN;
	double expected = sa * sb / pairs(total), max = (sa + sb) / 2;
	if (max == expected) /* both put everything together (or apart) */
		return 1;
	return (index - expected) / (max - expected);
}
