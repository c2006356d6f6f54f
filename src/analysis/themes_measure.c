/* themes_measure.c: themes of a part of the index within a filter: the stories' texts read, the JSON document, the cache, and the explorer's background job. */
#include "analysis/themes_measure.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int themes_request_check(const struct themes_request *t, char *err, size_t errlen)
{
	if (t->k && (t->k < 2 || t->k > THEMES_K_LIMIT)) {
		snprintf(err, errlen, "k: the number of themes must be from 2 to %d",
		         THEMES_K_LIMIT);
		return 400;
	}
	int lo = t->k_min ? t->k_min : THEMES_K_MIN, hi = t->k_max ? t->k_max : THEMES_K_MAX;
	if (!t->k && (lo < 2 || hi > THEMES_K_LIMIT || lo > hi)) {
		snprintf(err, errlen,
		         "k_min and k_max: the range of the number of themes must lie within 2 to "
		         "%d, the least no more than the most",
		         THEMES_K_LIMIT);
		return 400;
	}
	return 0;
}

/* ---- the cache ------------------------------------------------------------ */

/* A few results per process, the least recently used replaced: a result
 * names the part's version, so new stories make it a miss (and a new
 * computation), never a wrong answer. */
enum { CACHE_SLOTS = 8 };

struct cached {
	char *key;      /* part, version, request, filter */
	json_t *result; /* the document */
	int *row_theme; /* per row: 1..k, 0 none (rows of the part at that version) */
	uint32_t *ids;  /* per row: its story id (ascending) */
	uint32_t nrows;
	int64_t part_id;
	int trajectory, plain; /* plain: no filter, default request */
	uint64_t version;
	int64_t stamp; /* plain: when computed (unix ms), here or by another instance */
	uint64_t used;
};

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct cached cache[CACHE_SLOTS];
static uint64_t cache_tick;

static void request_key(buf *k, int64_t id, int trajectory, const struct themes_request *t,
                        const char *filter)
{
	buf_printf(k, "%c%lld|%d|%d|%d|%llu|%d|%s", trajectory ? 't' : 'c', (long long)id, t->k,
	           t->k_min, t->k_max, (unsigned long long)t->seed,
	           t->min_group > 0 ? t->min_group : MEASURES_MIN_GROUP, filter ? filter : "");
}

static void cache_key(buf *k, const struct aix_coll *c, const struct themes_request *t,
                      const char *filter)
{
	buf_printf(k, "v%llu|", (unsigned long long)c->version);
	request_key(k, c->id, c->trajectory, t, filter);
}

static int is_plain(const struct themes_request *t, const char *filter)
{
	return !t->k && !t->k_min && !t->k_max && !t->seed && (!filter || !*filter);
}

json_t *themes_cached(const struct aix_coll *c, const char *filter, const struct themes_request *t)
{
	buf k;
	buf_init(&k);
	cache_key(&k, c, t, filter);
	json_t *out = NULL;
	pthread_mutex_lock(&cache_mu);
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (cache[i].key && strcmp(cache[i].key, k.data) == 0) {
			cache[i].used = ++cache_tick;
			out = json_incref(cache[i].result);
			break;
		}
	pthread_mutex_unlock(&cache_mu);
	buf_free(&k);
	return out;
}

/* Puts a result into the cache under version (the part's version it
 * answers for): row_theme per story of ids (nrows, ascending; both taken
 * over), stamp when it was computed. */
static void cache_put_at(const struct aix_coll *c, uint64_t version, const char *filter,
                         const struct themes_request *t, json_t *result, int *row_theme,
                         uint32_t *ids, uint32_t nrows, int64_t stamp)
{
	buf k;
	buf_init(&k);
	buf_printf(&k, "v%llu|", (unsigned long long)version);
	request_key(&k, c->id, c->trajectory, t, filter);
	pthread_mutex_lock(&cache_mu);
	int slot = 0;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (!cache[i].key || strcmp(cache[i].key, k.data) == 0) {
			slot = i;
			break;
		}
		if (cache[i].used < cache[slot].used)
			slot = i;
	}
	struct cached *e = &cache[slot];
	free(e->key);
	json_decref(e->result);
	free(e->row_theme);
	free(e->ids);
	*e = (struct cached){.key = buf_detach(&k, NULL),
	                     .ids = ids,
	                     .result = json_incref(result),
	                     .row_theme = row_theme,
	                     .nrows = nrows,
	                     .part_id = c->id,
	                     .trajectory = c->trajectory,
	                     .plain = is_plain(t, filter),
	                     .version = version,
	                     .stamp = stamp,
	                     .used = ++cache_tick};
	pthread_mutex_unlock(&cache_mu);
	buf_free(&k);
}

void themes_cache_clear(void)
{
	pthread_mutex_lock(&cache_mu);
	for (int i = 0; i < CACHE_SLOTS; i++) {
		free(cache[i].key);
		json_decref(cache[i].result);
		free(cache[i].row_theme);
		free(cache[i].ids);
		cache[i] = (struct cached){0};
	}
	pthread_mutex_unlock(&cache_mu);
}

/* A result computed here over the part's rows as they are now. */
static void cache_put(const struct aix_coll *c, const char *filter, const struct themes_request *t,
                      json_t *result, int *row_theme, int64_t stamp)
{
	uint32_t *ids = malloc((c->n ? c->n : 1) * sizeof *ids);
	if (!ids)
		abort();
	memcpy(ids, c->story_id, c->n * sizeof *ids);
	cache_put_at(c, c->version, filter, t, result, row_theme, ids, c->n, stamp);
}

/* The newest plain result of c's part in the cache (cache_mu held), or
 * NULL: the latest computed, here or by another instance (themes_sync). */
static struct cached *newest_plain(const struct aix_coll *c)
{
	struct cached *e = NULL;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct cached *x = &cache[i];
		if (x->key && x->plain && x->part_id == c->id && x->trajectory == c->trajectory &&
		    (!e || x->stamp > e->stamp ||
		     (x->stamp == e->stamp && x->version > e->version)))
			e = x;
	}
	return e;
}

/* ---- the themes in the database ------------------------------------------ */

static void part_name(char *out, size_t cap, const struct aix_coll *c)
{
	snprintf(out, cap, "%c%lld", c->trajectory ? 't' : 'c', (long long)c->id);
}

/* Stores a plain result computed here (theme_results, migration 026), so
 * that every instance on the database means the same themes; a newer one
 * stored meanwhile stays. A failure is logged: the result is still this
 * process's. */
static void themes_store(db *d, const struct aix_coll *c, int min_group, const json_t *result,
                         const int *row_theme, int64_t stamp)
{
	char part[32];
	part_name(part, sizeof part, c);
	size_t len = (size_t)c->n * 5;
	unsigned char *blob = malloc(len ? len : 1);
	if (!blob)
		abort();
	for (uint32_t r = 0; r < c->n; r++) {
		uint32_t id = c->story_id[r];
		unsigned char *p = blob + (size_t)r * 5;
		p[0] = (unsigned char)id;
		p[1] = (unsigned char)(id >> 8);
		p[2] = (unsigned char)(id >> 16);
		p[3] = (unsigned char)(id >> 24);
		p[4] = (unsigned char)(row_theme[r] > 0 && row_theme[r] < 256 ? row_theme[r] : 0);
	}
	char *doc = json_dumps(result, JSON_COMPACT | JSON_REAL_PRECISION(17));
	db_stmt *st = db_prepare(
	        d, "INSERT INTO theme_results (part, collection_id, trajectory_id, org_id, stamp, "
	           "stories, last_story_id, min_group, result, assignment) VALUES (:part, :coll, "
	           ":traj, :org, :stamp, :n, :last, :min_group, :result, :assignment) ON CONFLICT "
	           "(part) DO UPDATE SET collection_id = excluded.collection_id, trajectory_id = "
	           "excluded.trajectory_id, org_id = excluded.org_id, stamp = excluded.stamp, "
	           "stories = excluded.stories, min_group = excluded.min_group, "
	           "last_story_id = excluded.last_story_id, result = excluded.result, "
	           "assignment = excluded.assignment WHERE excluded.stamp > theme_results.stamp");
	int rc = DB_ERROR;
	if (st && doc) {
		db_bind_text(st, "part", part);
		if (c->trajectory) {
			db_bind_null(st, "coll");
			db_bind_int(st, "traj", c->id);
		} else {
			db_bind_int(st, "coll", c->id);
			db_bind_null(st, "traj");
		}
		db_bind_int(st, "org", c->org_id);
		db_bind_int(st, "stamp", stamp);
		db_bind_int(st, "n", c->n);
		db_bind_int(st, "last", c->n ? c->story_id[c->n - 1] : 0);
		db_bind_int(st, "min_group", min_group);
		db_bind_text(st, "result", doc);
		db_bind_blob(st, "assignment", blob, len);
		rc = db_step(st);
	}
	if (rc != DB_DONE)
		log_event(LOG_WARN, "analysis", "themes of %s not stored: %s", part,
		          st ? db_errmsg(d) : "no statement");
	db_finalize(st);
	free(doc);
	free(blob);
}

/* Versions for results read from the database over other stories than the
 * part has now: unique in the process, never a part's (those count up
 * from 1), so they answer only for "theme = N", never for a request. */
static uint64_t foreign_version = (uint64_t)1 << 62;

static int shared; /* themes_set_shared */

void themes_set_shared(int on)
{
	__atomic_store_n(&shared, on != 0, __ATOMIC_RELAXED);
}

void themes_sync(db *d, const struct aix_coll *c)
{
	if (!d || !c || !__atomic_load_n(&shared, __ATOMIC_RELAXED))
		return;
	char part[32];
	part_name(part, sizeof part, c);
	pthread_mutex_lock(&cache_mu);
	struct cached *e = newest_plain(c);
	int64_t have = e ? e->stamp : 0;
	pthread_mutex_unlock(&cache_mu);
	/* a row only when it is newer than what this process has */
	db_stmt *st =
	        db_prepare(d, "SELECT stamp, result, assignment, min_group FROM theme_results "
	                      "WHERE part = :part AND stamp > :have");
	db_bind_text(st, "part", part);
	db_bind_int(st, "have", have);
	if (db_step(st) != DB_ROW) {
		db_finalize(st);
		return;
	}
	int64_t stamp = db_col_int(st, 0);
	json_t *result = json_loads(db_col_text(st, 1), 0, NULL);
	struct themes_request plain = {.min_group = (int)db_col_int(st, 3)};
	size_t len = 0;
	const unsigned char *blob = db_col_blob(st, 2, &len);
	uint32_t n = (uint32_t)(len / 5);
	uint32_t *ids = malloc((n ? n : 1) * sizeof *ids);
	int *row_theme = malloc((n ? n : 1) * sizeof *row_theme);
	if (!ids || !row_theme)
		abort();
	int ok = result && json_is_object(result) && len % 5 == 0;
	for (uint32_t r = 0; ok && r < n; r++) {
		const unsigned char *p = blob + (size_t)r * 5;
		ids[r] = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		         (uint32_t)p[3] << 24;
		row_theme[r] = p[4];
		if (r && ids[r] <= ids[r - 1])
			ok = 0;
	}
	db_finalize(st);
	if (!ok) {
		log_event(LOG_WARN, "analysis", "the themes stored for %s cannot be read", part);
		json_decref(result);
		free(ids);
		free(row_theme);
		return;
	}
	/* over the part's stories as they are now: the answer to the plain
	 * request too (every instance gives the same); otherwise only what
	 * "theme = N" means until the themes are computed again */
	uint64_t version;
	if (n == c->n && memcmp(ids, c->story_id, (size_t)n * sizeof *ids) == 0)
		version = c->version;
	else
		version = __atomic_add_fetch(&foreign_version, 1, __ATOMIC_RELAXED);
	cache_put_at(c, version, NULL, &plain, result, row_theme, ids, n, stamp);
	json_decref(result);
}

int *themes_rows(const struct aix_coll *c, int *k)
{
	struct themes_snapshot s;
	if (!themes_snapshot_get(c, &s))
		return NULL;
	int *out = s.row_theme;
	*k = s.k;
	s.row_theme = NULL;
	themes_snapshot_free(&s);
	return out;
}

/* "term, term, term": a theme's first terms in the document. */
static char *theme_label(const json_t *theme)
{
	buf b;
	buf_init(&b);
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(theme, "terms"), i, t)
	{
		if (i >= THEMES_LABEL_TERMS)
			break;
		if (i)
			buf_puts(&b, ", ");
		buf_puts(&b, json_string_value(json_object_get(t, "term")));
	}
	return buf_detach(&b, NULL);
}

int themes_snapshot_get(const struct aix_coll *c, struct themes_snapshot *s)
{
	assert(c && s);
	memset(s, 0, sizeof *s);
	pthread_mutex_lock(&cache_mu);
	struct cached *e = newest_plain(c);
	if (e) {
		/* by story id: rows of stories stored since are in no theme, and
		 * a part rebuilt (stories changed or deleted) still matches */
		s->row_theme = calloc(c->n ? c->n : 1, sizeof *s->row_theme);
		if (!s->row_theme)
			abort();
		s->k = (int)json_integer_value(json_object_get(e->result, "k"));
		s->version = e->version;
		uint32_t j = 0;
		for (uint32_t r = 0; r < c->n; r++) {
			while (j < e->nrows && e->ids[j] < c->story_id[r])
				j++;
			if (j < e->nrows && e->ids[j] == c->story_id[r])
				s->row_theme[r] = e->row_theme[j];
		}
		s->label = calloc((size_t)s->k + 1, sizeof *s->label);
		if (!s->label)
			abort();
		const json_t *themes = json_object_get(e->result, "themes");
		for (int t = 0; t < s->k; t++)
			s->label[t] = theme_label(json_array_get(themes, (size_t)t));
	}
	pthread_mutex_unlock(&cache_mu);
	return e != NULL;
}

void themes_snapshot_free(struct themes_snapshot *s)
{
	for (int t = 0; s->label && t < s->k; t++)
		free(s->label[t]);
	free(s->label);
	free(s->row_theme);
	memset(s, 0, sizeof *s);
}

/* ---- the themes as a question ------------------------------------------- */

/* One block: the column first (so the block is freed through it), then
 * the question it points to, its options and their texts. */
struct theme_question {
	struct aix_question aq;
	struct question q;
	struct q_option *opt;
	char (*ids)[16];
	char **labels;
};

struct aix_question *themes_question_new(const struct aix_coll *c, const struct themes_snapshot *s)
{
	assert(c && s && s->k > 0 && s->row_theme);
	struct theme_question *t = calloc(1, sizeof *t);
	int k = s->k;
	if (!t || !(t->opt = calloc((size_t)k, sizeof *t->opt)) ||
	    !(t->ids = calloc((size_t)k, sizeof *t->ids)) ||
	    !(t->labels = calloc((size_t)k, sizeof *t->labels)) ||
	    !(t->aq.bm = calloc((size_t)k + 1, sizeof *t->aq.bm)))
		abort();
	for (int i = 0; i < k; i++) {
		snprintf(t->ids[i], sizeof t->ids[i], "%d", i + 1);
		t->labels[i] = strdup(s->label[i] ? s->label[i] : "");
		if (!t->labels[i])
			abort();
		t->opt[i].id = t->ids[i];
		t->opt[i].label = (struct ltext){.n = 1, .lang = {"nl"}, .s = {t->labels[i]}};
	}
	t->q = (struct question){.id = THEMES_QUESTION,
	                         .type = Q_CHOICE,
	                         .text = {.n = 1, .lang = {"nl"}, .s = {"Thema"}},
	                         .perspective = PERSPECTIVE_TELLER,
	                         .index = -1,
	                         .noptions = k,
	                         .options = t->opt};
	t->aq.q = &t->q;
	t->aq.idlen = strlen(THEMES_QUESTION);
	t->aq.nbm = k + 1; /* the options, then an empty "other" as choice columns have */
	for (int i = 0; i <= k; i++)
		t->aq.bm[i] = roaring_bitmap_create();
	t->aq.answered = roaring_bitmap_create();
	t->aq.na = roaring_bitmap_create();
	t->aq.u8 = calloc(c->n ? c->n : 1, 1);
	if (!t->aq.u8)
		abort();
	for (uint32_t r = 0; r < c->n; r++) {
		int th = s->row_theme[r];
		if (th < 1 || th > k)
			continue;
		roaring_bitmap_add(t->aq.bm[th - 1], r);
		roaring_bitmap_add(t->aq.answered, r);
		t->aq.u8[r] = (uint8_t)(th <= 254 ? th : 0);
	}
	for (int i = 0; i <= k; i++)
		roaring_bitmap_run_optimize(t->aq.bm[i]);
	roaring_bitmap_run_optimize(t->aq.answered);
	return &t->aq;
}

void themes_question_free(struct aix_question *aq)
{
	if (!aq)
		return;
	struct theme_question *t = (struct theme_question *)aq;
	for (int i = 0; i < aq->nbm; i++)
		roaring_bitmap_free(aq->bm[i]);
	free(aq->bm);
	roaring_bitmap_free(aq->answered);
	roaring_bitmap_free(aq->na);
	free(aq->u8);
	for (int i = 0; i < t->q.noptions; i++)
		free(t->labels[i]);
	free(t->labels);
	free(t->ids);
	free(t->opt);
	free(t);
}

uint64_t themes_version(const struct aix_coll *c)
{
	assert(c);
	pthread_mutex_lock(&cache_mu);
	const struct cached *e = newest_plain(c);
	uint64_t v = e ? e->version : 0;
	pthread_mutex_unlock(&cache_mu);
	return v;
}

/* ---- keeping the stored themes current ------------------------------------ */

long themes_stored(db *d, struct themes_part **out)
{
	*out = NULL;
	db_stmt *st = db_prepare(d, "SELECT org_id, coalesce(collection_id, trajectory_id), "
	                            "trajectory_id IS NOT NULL, stories, last_story_id "
	                            "FROM theme_results ORDER BY part");
	if (!st)
		return DB_ERROR;
	long n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			struct themes_part *grown = realloc(*out, (size_t)cap * sizeof **out);
			if (!grown)
				abort();
			*out = grown;
		}
		(*out)[n++] = (struct themes_part){.org = db_col_int(st, 0),
		                                   .id = db_col_int(st, 1),
		                                   .trajectory = db_col_int(st, 2) != 0,
		                                   .stories = db_col_int(st, 3),
		                                   .last_story_id = db_col_int(st, 4)};
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(*out);
		*out = NULL;
		return rc < 0 ? rc : DB_ERROR;
	}
	return n;
}

int themes_refresh(aix *x, const char *db_url, const struct themes_part *parts, long n,
                   int min_group)
{
	int started = 0;
	for (long i = 0; i < n; i++) {
		const struct themes_part *p = &parts[i];
		struct aix_coll *c = p->trajectory ? aix_acquire_trajectory(x, p->org, p->id)
		                                   : aix_acquire(x, p->org, p->id);
		if (!c)
			continue;
		int current = (int64_t)c->n == p->stories &&
		              (c->n ? (int64_t)c->story_id[c->n - 1] : 0) == p->last_story_id;
		aix_release(c);
		if (current)
			continue;
		struct themes_request plain = {.min_group = min_group};
		struct themes_job_status st;
		themes_job_start(x, db_url, p->org, p->id, p->trajectory, NULL, &plain, &st);
		if (st.state == THEMES_JOB_RUNNING || st.state == THEMES_JOB_DONE)
			started++;
		else
			log_event(LOG_WARN, "analysis", "themes of %s %lld not refreshed now: %s",
			          p->trajectory ? "trajectory" : "collection", (long long)p->id,
			          st.error[0] ? st.error : "busy");
	}
	return started;
}

/* ---- the measure ----------------------------------------------------------- */

static int report(const struct themes_request *t, const char *stage, double done)
{
	return t->progress ? t->progress(t->progress_ctx, stage, done) : 0;
}

/* Reads the texts of the rows (ascending, so their story ids ascend) into
 * the corpus: one scan of the search table over the ids' range, merged;
 * then tokenized by two threads. */
static int read_texts(db *d, const struct aix_coll *c, const uint32_t *rows, size_t n,
                      struct themes_corpus *corpus, const struct themes_request *t)
{
	if (!n)
		return DB_DONE;
	db_stmt *s = db_prepare(d, "SELECT rowid, body FROM story_search WHERE rowid BETWEEN :lo "
	                           "AND :hi ORDER BY rowid");
	if (!s)
		return DB_ERROR;
	db_bind_int(s, "lo", c->story_id[rows[0]]);
	db_bind_int(s, "hi", c->story_id[rows[n - 1]]);
	char **texts = calloc(n, sizeof *texts);
	size_t *lens = calloc(n, sizeof *lens);
	if (!texts || !lens)
		abort();
	size_t i = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW && i < n) {
		int64_t id = db_col_int(s, 0);
		while (i < n && c->story_id[rows[i]] < id) /* a story without text */
			i++;
		if (i < n && c->story_id[rows[i]] == id) {
			const char *body = db_col_text(s, 1);
			if (body && *body) {
				lens[i] = strlen(body);
				texts[i] = malloc(lens[i] + 1);
				if (!texts[i])
					abort();
				memcpy(texts[i], body, lens[i] + 1);
			}
			i++;
			if (i % 8192 == 0 && report(t, "reading", 0.5 * (double)i / (double)n)) {
				rc = 1;
				break;
			}
		}
	}
	db_finalize(s);
	if (rc == DB_ROW || rc == DB_DONE) {
		for (size_t j = 0; j < n; j++)
			if (!texts[j])
				texts[j] = (char *)"";
		/* in slices, so progress moves and a stop is heard */
		enum { SLICE = 16384 };
		rc = DB_DONE;
		for (size_t from = 0; from < n; from += SLICE) {
			size_t m = n - from < SLICE ? n - from : SLICE;
			themes_corpus_add_many(corpus, (const char *const *)texts + from,
			                       lens + from, m, 2);
			if (report(t, "reading", 0.5 + 0.5 * (double)(from + m) / (double)n)) {
				rc = 1;
				break;
			}
		}
	}
	for (size_t j = 0; j < n; j++)
		if (lens[j])
			free(texts[j]);
	free(texts);
	free(lens);
	return rc;
}

struct progress_relay {
	const struct themes_request *t;
};

static int relay(void *ctx, const char *stage, double done)
{
	const struct progress_relay *p = ctx;
	return report(p->t, stage, done);
}

int measure_themes(const struct measure_args *a, const struct themes_request *req, json_t **out,
                   char *err, size_t errlen)
{
	assert(a && a->c && req && out);
	/* the small groups protected are part of the result (and its key) */
	struct themes_request request = *req;
	if (a->min_group > 0)
		request.min_group = a->min_group;
	if (request.min_group <= 0)
		request.min_group = MEASURES_MIN_GROUP;
	const struct themes_request *t = &request;
	int status = themes_request_check(t, err, errlen);
	if (status)
		return status;
	if (!a->d) {
		snprintf(err, errlen, "themes need the database");
		return 500;
	}
	roaring_bitmap_t *bm = measure_rows(a, a->filter, &status, err, errlen);
	if (!bm)
		return status;
	const struct aix_coll *c = a->c;
	int plain = is_plain(t, a->filter);
	if (plain) /* computed by another instance over the same stories: the same answer */
		themes_sync(a->d, c);
	if ((*out = themes_cached(c, a->filter, t))) {
		roaring_bitmap_free(bm);
		return 0;
	}
	size_t n = roaring_bitmap_get_cardinality(bm);
	uint32_t *rows = malloc((n ? n : 1) * sizeof *rows);
	if (!rows)
		abort();
	roaring_bitmap_to_uint32_array(bm, rows);
	roaring_bitmap_free(bm);
	struct themes_corpus *corpus = themes_corpus_new();
	int rc = read_texts(a->d, c, rows, n, corpus, t);
	if (rc != DB_DONE) {
		themes_corpus_free(corpus);
		free(rows);
		if (rc == 1)
			return 1;
		snprintf(err, errlen, "themes could not read the stories: %s", db_errmsg(a->d));
		return 500;
	}
	if (report(t, "terms", 0)) {
		themes_corpus_free(corpus);
		free(rows);
		return 1;
	}
	themes_corpus_weigh(corpus, NULL);
	struct progress_relay pr = {.t = t};
	struct themes_options o = {.k = t->k,
	                           .k_min = t->k_min,
	                           .k_max = t->k_max,
	                           .seed = t->seed,
	                           .progress = relay,
	                           .progress_ctx = &pr};
	struct themes_result r;
	rc = themes_find(corpus, &o, &r, err, errlen);
	if (rc) {
		themes_corpus_free(corpus);
		free(rows);
		return rc == 1 ? 1 : 422;
	}
	int min_group = t->min_group;
	json_t *sil = json_array();
	for (int k = r.k_min; k <= r.k_max; k++)
		json_array_append_new(
		        sil, json_pack("{s:i, s:f}", "k", k, "score", r.silhouette[k - r.k_min]));
	json_t *themes = json_array();
	for (int j = 0; j < r.k; j++) {
		const struct themes_theme *th = &r.themes[j];
		int too_few = th->size < (size_t)min_group;
		json_t *terms = json_array(), *closest = json_array();
		for (int q = 0; !too_few && q < th->nterms; q++)
			json_array_append_new(terms,
			                      json_pack("{s:s, s:f}", "term",
			                                themes_term_label(corpus, th->term[q]),
			                                "score", th->term_score[q]));
		for (int q = 0; !too_few && q < th->nreps; q++)
			json_array_append_new(
			        closest, json_integer((json_int_t)c->story_id[rows[th->rep[q]]]));
		json_array_append_new(
		        themes,
		        json_pack("{s:i, s:o, s:o, s:b, s:o, s:o}", "theme", j + 1, "stories",
		                  too_few ? json_null() : json_integer((json_int_t)th->size),
		                  "share",
		                  too_few ? json_null() : json_real((double)th->size / (double)n),
		                  "too_few", too_few, "terms", terms, "closest", closest));
	}
	*out = json_pack("{s:s, s:I, s:I, s:i, s:i, s:i, s:s, s:I, s:I, s:o, s:o}", "filter",
	                 a->filter ? a->filter : "", "stories", (json_int_t)n, "without_words",
	                 (json_int_t)r.no_terms, "k", r.k, "k_min", r.k_min, "k_max", r.k_max,
	                 "chosen_by", t->k ? "fixed" : "silhouette", "seed", (json_int_t)t->seed,
	                 "sample", (json_int_t)r.sample, "silhouette", sil, "themes", themes);
	if (!*out)
		abort();
	int *row_theme = calloc(c->n ? c->n : 1, sizeof *row_theme);
	if (!row_theme)
		abort();
	for (size_t i = 0; i < n; i++)
		row_theme[rows[i]] = r.theme[i] + 1; /* -1 (no words) becomes 0 */
	int64_t stamp = clock_now_ms();
	if (plain && __atomic_load_n(&shared, __ATOMIC_RELAXED))
		themes_store(a->d, c, t->min_group, *out, row_theme, stamp);
	cache_put(c, a->filter, t, *out, row_theme, stamp);
	themes_result_free(&r);
	themes_corpus_free(corpus);
	free(rows);
	return 0;
}

/* ---- the background job ------------------------------------------------- */

enum { JOB_SLOTS = 4, JOB_FAILED_KEEP_MS = 60000 };

struct job {
	char *key; /* request_key */
	struct themes_job_status st;
	int cancel;
	int64_t ended_ms;
	uint64_t used;
	/* the work */
	aix *x;
	char *db_url, *filter;
	int64_t org, id;
	int trajectory;
	struct themes_request t;
};

static pthread_mutex_t job_mu = PTHREAD_MUTEX_INITIALIZER;
static struct job jobs[JOB_SLOTS];
static uint64_t job_tick;

static struct job *job_find(const char *key)
{
	for (int i = 0; i < JOB_SLOTS; i++)
		if (jobs[i].key && strcmp(jobs[i].key, key) == 0)
			return &jobs[i];
	return NULL;
}

static int job_progress(void *ctx, const char *stage, double done)
{
	struct job *j = ctx;
	pthread_mutex_lock(&job_mu);
	snprintf(j->st.stage, sizeof j->st.stage, "%s", stage);
	/* reading and terms are the first fifth, choosing k the next three
	 * fifths, the run over every story the last */
	j->st.done = strcmp(stage, "reading") == 0    ? 0.15 * done
	             : strcmp(stage, "terms") == 0    ? 0.2
	             : strcmp(stage, "choosing") == 0 ? 0.2 + 0.6 * done
	                                              : 0.8 + 0.2 * done;
	int stop = j->cancel;
	pthread_mutex_unlock(&job_mu);
	return stop;
}

static void *job_run(void *arg)
{
	struct job *j = arg;
	char err[256] = "";
	int status = 500;
	db *d = db_open(j->db_url, err, sizeof err);
	if (d) {
		struct aix_coll *c = j->trajectory ? aix_acquire_trajectory(j->x, j->org, j->id)
		                                   : aix_acquire(j->x, j->org, j->id);
		if (c) {
			struct measure_args a = {.c = c, .d = d, .filter = j->filter};
			struct themes_request t = j->t;
			t.progress = job_progress;
			t.progress_ctx = j;
			json_t *out = NULL;
			status = measure_themes(&a, &t, &out, err, sizeof err);
			json_decref(out);
			aix_release(c);
		} else {
			snprintf(err, sizeof err, "no such collection or trajectory");
		}
		db_close(d);
	}
	pthread_mutex_lock(&job_mu);
	j->st.state = status == 0   ? THEMES_JOB_DONE
	              : status == 1 ? THEMES_JOB_CANCELLED
	                            : THEMES_JOB_FAILED;
	if (status == 0)
		j->st.done = 1;
	snprintf(j->st.error, sizeof j->st.error, "%s", status > 1 ? err : "");
	j->ended_ms = (clock_mono_us() / 1000);
	free(j->db_url);
	free(j->filter);
	j->db_url = j->filter = NULL;
	pthread_mutex_unlock(&job_mu);
	return NULL;
}

void themes_job_start(aix *x, const char *db_url, int64_t org, int64_t id, int trajectory,
                      const char *filter, const struct themes_request *t,
                      struct themes_job_status *st)
{
	assert(x && db_url && t && st);
	buf k;
	buf_init(&k);
	request_key(&k, id, trajectory, t, filter);
	pthread_mutex_lock(&job_mu);
	struct job *j = job_find(k.data);
	int64_t now = (clock_mono_us() / 1000);
	if (j && (j->st.state == THEMES_JOB_RUNNING ||
	          (j->st.state == THEMES_JOB_FAILED && now - j->ended_ms < JOB_FAILED_KEEP_MS))) {
		j->used = ++job_tick;
		*st = j->st;
		pthread_mutex_unlock(&job_mu);
		buf_free(&k);
		return;
	}
	if (!j) { /* a free slot, or the least recently used that is not running */
		for (int i = 0; i < JOB_SLOTS; i++)
			if (jobs[i].st.state != THEMES_JOB_RUNNING &&
			    (!j || !jobs[i].key || (j->key && jobs[i].used < j->used)))
				j = &jobs[i];
	}
	if (!j) { /* every slot busy: the caller shows this and tries later */
		memset(st, 0, sizeof *st);
		st->state = THEMES_JOB_FAILED;
		snprintf(st->error, sizeof st->error, "busy");
		pthread_mutex_unlock(&job_mu);
		buf_free(&k);
		return;
	}
	free(j->key);
	*j = (struct job){.key = buf_detach(&k, NULL),
	                  .st = {.state = THEMES_JOB_RUNNING},
	                  .used = ++job_tick,
	                  .x = x,
	                  .db_url = strdup(db_url),
	                  .filter = filter ? strdup(filter) : NULL,
	                  .org = org,
	                  .id = id,
	                  .trajectory = trajectory,
	                  .t = *t};
	snprintf(j->st.stage, sizeof j->st.stage, "reading");
	j->t.progress = NULL;
	j->t.progress_ctx = NULL;
	pthread_t th;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (!j->db_url || pthread_create(&th, &attr, job_run, j))
		abort();
	pthread_attr_destroy(&attr);
	*st = j->st;
	pthread_mutex_unlock(&job_mu);
	buf_free(&k);
}

void themes_job_status(int64_t id, int trajectory, const char *filter,
                       const struct themes_request *t, struct themes_job_status *st)
{
	buf k;
	buf_init(&k);
	request_key(&k, id, trajectory, t, filter);
	pthread_mutex_lock(&job_mu);
	struct job *j = job_find(k.data);
	if (j)
		*st = j->st;
	else
		*st = (struct themes_job_status){.state = THEMES_JOB_NONE};
	pthread_mutex_unlock(&job_mu);
	buf_free(&k);
}

int themes_job_cancel(int64_t id, int trajectory, const char *filter,
                      const struct themes_request *t)
{
	buf k;
	buf_init(&k);
	request_key(&k, id, trajectory, t, filter);
	pthread_mutex_lock(&job_mu);
	struct job *j = job_find(k.data);
	int was = j && j->st.state == THEMES_JOB_RUNNING;
	if (was)
		j->cancel = 1;
	pthread_mutex_unlock(&job_mu);
	buf_free(&k);
	return was;
}

void themes_jobs_stop(void)
{
	for (;;) {
		int running = 0;
		pthread_mutex_lock(&job_mu);
		for (int i = 0; i < JOB_SLOTS; i++)
			if (jobs[i].st.state == THEMES_JOB_RUNNING) {
				jobs[i].cancel = 1;
				running++;
			}
		pthread_mutex_unlock(&job_mu);
		if (!running)
			return;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}
