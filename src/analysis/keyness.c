/* keyness.c: keyness: the words and two-word phrases a filter's stories use more than the rest (Dunning's G2 with Hardie's log ratio), over per-story term lists kept in memory. */
#include "analysis/keyness.h"

#include "analysis/measures.h"
#include "analysis/tokenize.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- statistics ---------------------------------------------------------- */

static double cell(double o, double e)
{
	return o > 0 ? o * log(o / e) : 0;
}

double keyness_g2(double a, double n1, double b, double n2)
{
	assert(n1 > 0 && n2 > 0 && a >= 0 && a <= n1 && b >= 0 && b <= n2);
	double n = n1 + n2, with = a + b, without = n - with;
	double g = cell(a, n1 * with / n) + cell(n1 - a, n1 * without / n) +
	           cell(b, n2 * with / n) + cell(n2 - b, n2 * without / n);
	return g > 0 ? 2 * g : 0; /* rounding can give -1e-16 for equal shares */
}

double keyness_log_ratio(double a, double n1, double b, double n2)
{
	assert(n1 > 0 && n2 > 0);
	return log2(((a > 0 ? a : 0.5) / n1) / ((b > 0 ? b : 0.5) / n2));
}

double keyness_bonferroni(double alpha, double tests)
{
	assert(alpha > 0 && alpha < 1);
	return gsl_cdf_chisq_Qinv(alpha / (tests > 1 ? tests : 1), 1);
}

/* ---- the term lists of a part -------------------------------------------- */

static void *must(void *p)
{
	if (!p)
		abort();
	return p;
}

#define SURFACES 3 /* written forms remembered per term (Misra-Gries) */

struct term {
	char *stem; /* "wachtlijst", or "weinig geld" for a phrase */
	int phrase;
	uint32_t df; /* stories of the whole part with the term */
	char *surface[SURFACES];
	uint32_t seen[SURFACES];
};

struct kterms {
	/* which part: the database file, collection or trajectory, id */
	char *path;
	int trajectory;
	int64_t id;
	/* in step with the part at this version and these rows */
	uint64_t version;
	uint64_t gen;
	uint32_t n, last_story;
	uint64_t *off; /* n + 1: row r's terms are term[off[r] .. off[r + 1]) */
	uint32_t *ids;
	size_t cap_rows, cap_ids;
	/* the vocabulary: open addressing over term ids + 1 */
	struct term *t;
	uint32_t nt, cap_t;
	uint32_t *slot;
	size_t cap_slot;
	int building; /* a thread builds it (build_thread) */
	pthread_rwlock_t lock;
	struct kterms *next;
};

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static struct kterms *registry;

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static void vocab_grow(struct kterms *k)
{
	size_t cap = k->cap_slot ? 2 * k->cap_slot : 1024;
	uint32_t *slot = must(calloc(cap, sizeof *slot));
	for (uint32_t i = 0; i < k->nt; i++) {
		size_t j = hash(k->t[i].stem, strlen(k->t[i].stem)) & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = i + 1;
	}
	free(k->slot);
	k->slot = slot;
	k->cap_slot = cap;
}

/* The id of the term s (n bytes), added when new. */
static uint32_t vocab_id(struct kterms *k, const char *s, size_t n, int phrase)
{
	if (2 * ((size_t)k->nt + 1) > k->cap_slot)
		vocab_grow(k);
	size_t j = hash(s, n) & (k->cap_slot - 1);
	while (k->slot[j]) {
		const char *t = k->t[k->slot[j] - 1].stem;
		if (strncmp(t, s, n) == 0 && t[n] == 0)
			return k->slot[j] - 1;
		j = (j + 1) & (k->cap_slot - 1);
	}
	if (k->nt == k->cap_t) {
		k->cap_t = k->cap_t ? 2 * k->cap_t : 1024;
		k->t = must(realloc(k->t, k->cap_t * sizeof *k->t));
	}
	struct term *t = &k->t[k->nt];
	memset(t, 0, sizeof *t);
	t->stem = must(strndup(s, n));
	t->phrase = phrase;
	k->slot[j] = k->nt + 1;
	return k->nt++;
}

/* Counts one written form of term id (lower case ASCII letters; other
 * bytes as written). Misra-Gries: the most frequent form of a term wins
 * when it is used more than a quarter of the time. */
static void surface_seen(struct term *t, const char *s, size_t n)
{
	int free_slot = -1;
	for (int i = 0; i < SURFACES; i++) {
		if (t->surface[i] && strncmp(t->surface[i], s, n) == 0 && t->surface[i][n] == 0) {
			t->seen[i]++;
			return;
		}
		if (!t->seen[i] && free_slot < 0)
			free_slot = i;
	}
	if (free_slot >= 0) {
		free(t->surface[free_slot]);
		t->surface[free_slot] = must(strndup(s, n));
		t->seen[free_slot] = 1;
		return;
	}
	for (int i = 0; i < SURFACES; i++)
		t->seen[i]--;
}

static const char *surface_best(const struct term *t)
{
	int best = -1;
	for (int i = 0; i < SURFACES; i++)
		if (t->surface[i] && t->seen[i] && (best < 0 || t->seen[i] > t->seen[best]))
			best = i;
	return best < 0 ? t->stem : t->surface[best];
}

/* One story's words while it is tokenized. */
struct word {
	uint32_t stem_at; /* in the story's stem buffer */
	int stem_len, start, end;
};

struct story_words {
	struct word *w;
	size_t n, cap;
	buf stems;
};

static int on_token(void *ctx, const char *tok, int len, int start, int end, int colocated)
{
	struct story_words *sw = ctx;
	if (colocated)
		return 0; /* a compound part: the whole word is the term */
	if (sw->n == sw->cap) {
		sw->cap = sw->cap ? 2 * sw->cap : 64;
		sw->w = must(realloc(sw->w, sw->cap * sizeof *sw->w));
	}
	sw->w[sw->n++] = (struct word){(uint32_t)sw->stems.len, len, start, end};
	buf_append(&sw->stems, tok, (size_t)len);
	return 0;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

/* Whether the bytes between two words end a sentence. */
static int sentence_end(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strchr(".!?;:\n", s[i]))
			return 1;
	return 0;
}

#define PHRASE_SURFACE_MAX 80

/* Appends the terms of one story (text: its searchable body, may be NULL)
 * as row k->n. */
static void add_row(struct kterms *k, struct tok *tk, struct story_words *sw, const char *text,
                    uint32_t story_id)
{
	if (k->n + 2 > k->cap_rows) {
		k->cap_rows = k->cap_rows ? 2 * k->cap_rows : 1024;
		k->off = must(realloc(k->off, k->cap_rows * sizeof *k->off));
	}
	if (k->n == 0)
		k->off[0] = 0;
	uint64_t at = k->off[k->n];
	sw->n = 0;
	buf_reset(&sw->stems);
	if (text)
		tok_run(tk, text, strlen(text), TOK_DOCUMENT, on_token, sw);
	size_t most = 2 * sw->n;
	if (at + most > k->cap_ids) {
		while (at + most > k->cap_ids)
			k->cap_ids = k->cap_ids ? 2 * k->cap_ids : 1 << 16;
		k->ids = must(realloc(k->ids, k->cap_ids * sizeof *k->ids));
	}
	uint32_t *ids = k->ids + at;
	size_t m = 0;
	char lower[PHRASE_SURFACE_MAX + 1];
	buf two;
	buf_init(&two);
	for (size_t i = 0; i < sw->n; i++) {
		const struct word *w = &sw->w[i];
		uint32_t id = vocab_id(k, sw->stems.data + w->stem_at, (size_t)w->stem_len, 0);
		ids[m++] = id;
		int n = w->end - w->start;
		if (n <= PHRASE_SURFACE_MAX) {
			for (int j = 0; j < n; j++) {
				char c = text[w->start + j];
				lower[j] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
			}
			surface_seen(&k->t[id], lower, (size_t)n);
		}
		if (i == 0)
			continue;
		const struct word *p = &sw->w[i - 1];
		if (sentence_end(text + p->end, (size_t)(w->start - p->end)))
			continue;
		buf_reset(&two);
		buf_append(&two, sw->stems.data + p->stem_at, (size_t)p->stem_len);
		buf_putc(&two, ' ');
		buf_append(&two, sw->stems.data + w->stem_at, (size_t)w->stem_len);
		id = vocab_id(k, two.data, two.len, 1);
		ids[m++] = id;
		n = w->end - p->start;
		if (n <= PHRASE_SURFACE_MAX && !memchr(text + p->start, '\n', (size_t)n)) {
			for (int j = 0; j < n; j++) {
				char c = text[p->start + j];
				lower[j] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
			}
			surface_seen(&k->t[id], lower, (size_t)n);
		}
	}
	buf_free(&two);
	/* a story counts once per term */
	qsort(ids, m, sizeof *ids, cmp_u32);
	size_t u = 0;
	for (size_t i = 0; i < m; i++)
		if (!u || ids[u - 1] != ids[i])
			ids[u++] = ids[i];
	for (size_t i = 0; i < u; i++)
		k->t[ids[i]].df++;
	k->off[k->n + 1] = at + u;
	k->n++;
	k->last_story = story_id;
}

static void kterms_clear(struct kterms *k)
{
	for (uint32_t i = 0; i < k->nt; i++) {
		free(k->t[i].stem);
		for (int j = 0; j < SURFACES; j++)
			free(k->t[i].surface[j]);
	}
	free(k->t);
	free(k->slot);
	free(k->off);
	free(k->ids);
	k->t = NULL;
	k->slot = NULL;
	k->off = NULL;
	k->ids = NULL;
	k->nt = k->cap_t = k->n = k->last_story = 0;
	k->cap_slot = k->cap_rows = k->cap_ids = 0;
}

/* What the part's rows were made from: when it changes, rows were
 * changed or deleted, not only appended. */
static uint64_t part_generation(const struct aix_coll *c)
{
	if (!c->trajectory)
		return (uint64_t)c->generation;
	uint64_t h = 1469598103934665603ull;
	for (int j = 0; j < c->ncolls; j++)
		h = (h ^ (uint64_t)c->built_from[4 * j + 1]) * 1099511628211ull ^
		    (uint64_t)c->coll_id[j];
	return h;
}

/* Tokenizes the rows from k->n on of a part whose rows are the stories
 * story_id[0 .. n) (ascending), reading their texts. */
static int kterms_catch_up(struct kterms *k, const uint32_t *story_id, uint32_t n, db *d)
{
	if (k->n >= n)
		return DB_DONE;
	struct tok *tk = must(tok_new());
	struct story_words sw = {0};
	buf_init(&sw.stems);
	db_stmt *s = db_prepare(d, "SELECT rowid, body FROM story_search "
	                           "WHERE rowid >= :lo AND rowid <= :hi ORDER BY rowid");
	db_bind_int(s, "lo", story_id[k->n]);
	db_bind_int(s, "hi", story_id[n - 1]);
	int rc = db_step(s);
	/* merge: the rows (ascending story ids) with the texts there are
	 * (ascending rowids; other collections' stories in between) */
	while (k->n < n) {
		uint32_t want = story_id[k->n];
		while (rc == DB_ROW && db_col_int(s, 0) < want)
			rc = db_step(s);
		if (rc != DB_ROW && rc != DB_DONE)
			break;
		const char *text =
		        rc == DB_ROW && db_col_int(s, 0) == want ? db_col_text(s, 1) : NULL;
		add_row(k, tk, &sw, text, want);
	}
	db_finalize(s);
	free(sw.w);
	buf_free(&sw.stems);
	tok_free(tk);
	return rc == DB_ROW || rc == DB_DONE ? DB_DONE : rc;
}

/* ---- building a large part in the background ------------------------------ */

/* In the server (aix_global set), a part with more stories than this to
 * tokenize is built by a thread of its own, without the part's lock (a
 * million stories take 40 s, and a query holding the part's read lock
 * that long would hold up the index's updates): the query answers 503
 * "being prepared" meanwhile. The command line and the tests build at
 * once. */
static int sync_max = 50000;

void keyness_set_sync_max(int n)
{
	sync_max = n;
}

struct build_job {
	struct kterms *k;
	char *path;
	uint32_t *story_id, n;
	uint64_t gen;
};

static void *build_thread(void *arg)
{
	struct build_job *j = arg;
	struct kterms fresh = {0};
	char err[256];
	db *d = db_open(j->path, err, sizeof err);
	int rc = d ? kterms_catch_up(&fresh, j->story_id, j->n, d) : DB_ERROR;
	if (d)
		db_close(d);
	struct kterms *k = j->k;
	pthread_rwlock_wrlock(&k->lock);
	if (rc == DB_DONE) {
		/* the rows of the snapshot: a query appends what came since,
		 * or starts again when the part was rebuilt meanwhile */
		k->off = fresh.off, k->ids = fresh.ids, k->t = fresh.t, k->slot = fresh.slot;
		k->n = fresh.n, k->last_story = fresh.last_story, k->nt = fresh.nt;
		k->cap_t = fresh.cap_t, k->cap_slot = fresh.cap_slot;
		k->cap_rows = fresh.cap_rows, k->cap_ids = fresh.cap_ids;
		k->gen = j->gen;
		k->version = 0;
	} else {
		kterms_clear(&fresh);
	}
	k->building = 0;
	pthread_rwlock_unlock(&k->lock);
	free(j->story_id);
	free(j->path);
	free(j);
	return NULL;
}

/* Starts building k for part c in the background (k write-locked and
 * empty). 0, or -1 when no thread could be started. */
static int build_start(struct kterms *k, const struct aix_coll *c)
{
	struct build_job *j = must(calloc(1, sizeof *j));
	j->k = k;
	j->path = must(strdup(k->path));
	j->n = c->n;
	j->story_id = must(malloc((c->n ? c->n : 1) * sizeof *j->story_id));
	memcpy(j->story_id, c->story_id, c->n * sizeof *j->story_id);
	j->gen = part_generation(c);
	pthread_t th;
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	int rc = pthread_create(&th, &at, build_thread, j);
	pthread_attr_destroy(&at);
	if (rc != 0) {
		free(j->story_id);
		free(j->path);
		free(j);
		return -1;
	}
	k->building = 1;
	return 0;
}

/* The database's URL, so parts of two databases in one process (tests)
 * are never taken for each other. */
static char *db_path(db *d)
{
	return must(strdup(db_url(d)));
}

/* The term lists of part c, in step with it, read-locked (release with
 * pthread_rwlock_unlock(&k->lock)); NULL with a status in *status (503:
 * being built in the background; 500: the texts cannot be read) and a
 * message. The caller holds c's read lock, so c cannot change meanwhile. */
static struct kterms *kterms_acquire(const struct aix_coll *c, db *d, int *status, char *err,
                                     size_t errlen)
{
	char *path = db_path(d);
	pthread_mutex_lock(&registry_mu);
	struct kterms *k = registry;
	while (k && !(k->id == c->id && k->trajectory == c->trajectory && !strcmp(k->path, path)))
		k = k->next;
	if (!k) {
		k = must(calloc(1, sizeof *k));
		k->path = path;
		path = NULL;
		k->id = c->id;
		k->trajectory = c->trajectory;
		pthread_rwlock_init(&k->lock, NULL);
		k->next = registry;
		registry = k;
	}
	pthread_mutex_unlock(&registry_mu);
	free(path);
	pthread_rwlock_rdlock(&k->lock);
	if (!k->building && k->version == c->version && k->n == c->n)
		return k;
	pthread_rwlock_unlock(&k->lock);
	pthread_rwlock_wrlock(&k->lock);
	if (k->building) {
		pthread_rwlock_unlock(&k->lock);
		*status = 503;
		snprintf(err, errlen,
		         "the words of these stories are being prepared (once, after "
		         "a start): try again in a minute");
		return NULL;
	}
	uint64_t gen = part_generation(c);
	int appended =
	        k->n > 0 && k->n <= c->n && k->gen == gen && c->story_id[k->n - 1] == k->last_story;
	if (!appended && !(k->version == c->version && k->n == c->n))
		kterms_clear(k);
	if (aix_global() && k->path[0] && c->n - k->n > (uint32_t)sync_max && k->n == 0 &&
	    build_start(k, c) == 0) {
		pthread_rwlock_unlock(&k->lock);
		*status = 503;
		snprintf(err, errlen,
		         "the words of these stories are being prepared (once, after "
		         "a start): try again in a minute");
		return NULL;
	}
	int rc = kterms_catch_up(k, c->story_id, c->n, d);
	if (rc != DB_DONE) {
		snprintf(err, errlen, "keyness could not read the texts: %s", db_errmsg(d));
		kterms_clear(k);
		k->version = 0;
		pthread_rwlock_unlock(&k->lock);
		*status = 500;
		return NULL;
	}
	k->version = c->version;
	k->gen = gen;
	pthread_rwlock_unlock(&k->lock);
	pthread_rwlock_rdlock(&k->lock);
	return k;
}

size_t keyness_bytes(const struct aix_coll *c)
{
	size_t bytes = 0;
	pthread_mutex_lock(&registry_mu);
	for (struct kterms *k = registry; k; k = k->next) {
		if (k->id != c->id || k->trajectory != c->trajectory)
			continue;
		pthread_rwlock_rdlock(&k->lock);
		bytes += k->cap_rows * sizeof *k->off + k->cap_ids * sizeof *k->ids +
		         k->cap_t * sizeof *k->t + k->cap_slot * sizeof *k->slot;
		for (uint32_t i = 0; i < k->nt; i++)
			bytes += strlen(k->t[i].stem) + 1;
		pthread_rwlock_unlock(&k->lock);
	}
	pthread_mutex_unlock(&registry_mu);
	return bytes;
}

/* ---- the measure --------------------------------------------------------- */

struct counting {
	const struct kterms *k;
	uint32_t *cnt;
};

static bool count_row(uint32_t row, void *ctx)
{
	struct counting *g = ctx;
	const struct kterms *k = g->k;
	for (uint64_t i = k->off[row]; i < k->off[row + 1]; i++)
		g->cnt[k->ids[i]]++;
	return true;
}

/* The stories of rows (all rows of the part: nall) with each term, in
 * cnt (k->nt, zeroed here): by counting rows, or the whole part's counts
 * less those of the other rows, whichever counts fewer. */
static void count_terms(const struct kterms *k, const roaring_bitmap_t *rows, uint32_t *cnt)
{
	struct counting g = {k, cnt};
	memset(cnt, 0, k->nt * sizeof *cnt);
	uint64_t n = roaring_bitmap_get_cardinality(rows);
	if (2 * n <= k->n) {
		roaring_iterate(rows, count_row, &g);
		return;
	}
	roaring_bitmap_t *rest = roaring_bitmap_flip(rows, 0, k->n);
	roaring_iterate(rest, count_row, &g);
	roaring_bitmap_free(rest);
	for (uint32_t i = 0; i < k->nt; i++)
		cnt[i] = k->t[i].df - cnt[i];
}

struct key_term {
	uint32_t id;
	double g2, lr;
};

static int cmp_key(const void *x, const void *y, void *ctx)
{
	const struct key_term *a = x, *b = y;
	const struct kterms *k = ctx;
	if (a->g2 != b->g2)
		return a->g2 > b->g2 ? -1 : 1;
	return strcmp(k->t[a->id].stem, k->t[b->id].stem);
}

static json_t *round6(double v)
{
	return isfinite(v) ? json_real(round(v * 1e6) / 1e6) : json_null();
}

int measure_keyness(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	assert(a && a->c && out);
	if (a->limit < 0 || a->limit > KEYNESS_MAX_LIMIT) {
		snprintf(err, errlen, "limit: a whole number from 1 to %d", KEYNESS_MAX_LIMIT);
		return 400;
	}
	int status = 0;
	roaring_bitmap_t *target = measure_rows(a, a->filter, &status, err, errlen);
	if (!target)
		return status;
	int against = a->b && *a->b;
	roaring_bitmap_t *ref = measure_rows(a, against ? a->b : "", &status, err, errlen);
	if (!ref) {
		roaring_bitmap_free(target);
		if (against && strncmp(err, "filter:", 7) == 0) {
			char e2[512];
			snprintf(e2, sizeof e2, "against %s", err);
			snprintf(err, errlen, "%s", e2);
		}
		return status;
	}
	roaring_bitmap_andnot_inplace(ref, target);
	int min_group = a->min_group > 0 ? a->min_group : MEASURES_MIN_GROUP;
	int min_stories = min_group > KEYNESS_MIN_STORIES ? min_group : KEYNESS_MIN_STORIES;
	uint64_t n1 = roaring_bitmap_get_cardinality(target);
	uint64_t n2 = roaring_bitmap_get_cardinality(ref);
	int too_few = n1 < (uint64_t)min_group || n2 < (uint64_t)min_group;
	json_t *terms = json_array();
	size_t tested = 0;
	if (!too_few) {
		if (!a->d) {
			roaring_bitmap_free(target);
			roaring_bitmap_free(ref);
			json_decref(terms);
			snprintf(err, errlen, "keyness needs the database");
			return 500;
		}
		int st = 500;
		struct kterms *k = kterms_acquire(a->c, a->d, &st, err, errlen);
		if (!k) {
			roaring_bitmap_free(target);
			roaring_bitmap_free(ref);
			json_decref(terms);
			return st;
		}
		uint32_t *ct = must(malloc((k->nt ? k->nt : 1) * sizeof *ct));
		uint32_t *cr = must(malloc((k->nt ? k->nt : 1) * sizeof *cr));
		count_terms(k, target, ct);
		count_terms(k, ref, cr);
		struct key_term *kt = must(malloc((k->nt ? k->nt : 1) * sizeof *kt));
		size_t nk = 0;
		for (uint32_t i = 0; i < k->nt; i++) {
			if (ct[i] < (uint32_t)min_stories)
				continue;
			tested++;
			if ((double)ct[i] * (double)n2 <= (double)cr[i] * (double)n1)
				continue; /* not used more by the target */
			double g = keyness_g2(ct[i], (double)n1, cr[i], (double)n2);
			if (g <= KEYNESS_G2_CUTOFF)
				continue;
			kt[nk++] = (struct key_term){
			        i, g, keyness_log_ratio(ct[i], (double)n1, cr[i], (double)n2)};
		}
		qsort_r(kt, nk, sizeof *kt, cmp_key, k);
		size_t limit = a->limit ? (size_t)a->limit : 30;
		for (size_t j = 0; j < nk && j < limit; j++) {
			const struct term *t = &k->t[kt[j].id];
			uint32_t b = cr[kt[j].id];
			int hide = b < (uint32_t)min_group;
			json_array_append_new(
			        terms,
			        json_pack("{s:s, s:s, s:b, s:I, s:o, s:o, s:o, s:o, s:o}", "term",
			                  surface_best(t), "stem", t->stem, "phrase", t->phrase,
			                  "target", (json_int_t)ct[kt[j].id], "reference",
			                  hide ? json_null() : json_integer(b), "target_share",
			                  round6(ct[kt[j].id] / (double)n1), "reference_share",
			                  hide ? json_null() : round6(b / (double)n2), "g2",
			                  round6(kt[j].g2), "log_ratio", round6(kt[j].lr)));
		}
		free(kt);
		free(ct);
		free(cr);
		pthread_rwlock_unlock(&k->lock);
	}
	roaring_bitmap_free(target);
	roaring_bitmap_free(ref);
	*out = json_pack("{s:s, s:o, s:{s:o}, s:{s:o}, s:i, s:f, s:I, s:o, s:b, s:o}", "filter",
	                 a->filter ? a->filter : "", "against",
	                 against ? json_string(a->b) : json_null(), "target", "stories",
	                 too_few ? json_null() : json_integer((json_int_t)n1), "reference",
	                 "stories", too_few ? json_null() : json_integer((json_int_t)n2),
	                 "min_stories", min_stories, "cutoff", KEYNESS_G2_CUTOFF, "tests",
	                 (json_int_t)tested, "bonferroni_cutoff",
	                 tested ? round6(keyness_bonferroni(0.05, (double)tested)) : json_null(),
	                 "too_few", too_few, "terms", terms);
	return 0;
}
