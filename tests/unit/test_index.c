/* test_index.c: the in-memory story index: columns and bitmaps per question type, catching up on new stories, rebuilding after a deletion, and the fast ILR path. */
#include "testutil.h"
#include "testdb.h"
#include "teststory.h"

#include "analysis/index.h"
#include "analysis/measures.h"
#include "analysis/stats.h"
#include "core/log.h"
#include "db/migrate.h"
#include "model/collection.h"
#include "model/script_store.h"
#include "model/story.h"
#include "model/user.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"index\",\"title\":{\"nl\":\"I\"},"
        "\"privacy\":{\"nl\":\"P\"},\"sections\":[{\"id\":\"s\",\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p1\",\"text\":{\"nl\":\"Een\"}},{\"id\":\"p2\",\"text\":"
        "{\"nl\":\"Twee\"}}]},"
        "{\"id\":\"keus\",\"type\":\"choice\",\"not_applicable\":true,\"text\":{\"nl\":\"Keus\"},"
        "\"options\":[{\"id\":\"a\",\"label\":{\"nl\":\"A\"}},{\"id\":\"b\",\"label\":{\"nl\":"
        "\"B\"}}],"
        "\"other\":{\"nl\":\"Anders\"}},"
        "{\"id\":\"meer\",\"type\":\"multi\",\"text\":{\"nl\":\"Meer\"},"
        "\"options\":[{\"id\":\"x\",\"label\":{\"nl\":\"X\"}},{\"id\":\"y\",\"label\":{\"nl\":"
        "\"Y\"}},"
        "{\"id\":\"z\",\"label\":{\"nl\":\"Z\"}}]},"
        "{\"id\":\"schaal\",\"type\":\"scale\",\"text\":{\"nl\":\"Schaal\"},\"points\":5,"
        "\"low\":{\"nl\":\"Laag\"},\"high\":{\"nl\":\"Hoog\"}},"
        "{\"id\":\"lijn\",\"type\":\"dyad\",\"not_applicable\":true,\"text\":{\"nl\":\"Lijn\"},"
        "\"poles\":[{\"id\":\"l\",\"label\":{\"nl\":\"L\"}},{\"id\":\"r\",\"label\":{\"nl\":\"R\"}}"
        "]},"
        "{\"id\":\"drie\",\"type\":\"triad\",\"not_applicable\":true,\"text\":{\"nl\":\"Drie\"},"
        "\"corners\":[{\"id\":\"c1\",\"label\":{\"nl\":\"C1\"}},{\"id\":\"c2\",\"label\":"
        "{\"nl\":\"C2\"}},{\"id\":\"c3\",\"label\":{\"nl\":\"C3\"}}]},"
        "{\"id\":\"pro-lijn\",\"type\":\"dyad\",\"perspective\":\"professional\",\"text\":"
        "{\"nl\":\"Lijn volgens u\"},\"poles\":[{\"id\":\"l\",\"label\":{\"nl\":\"L\"}},"
        "{\"id\":\"r\",\"label\":{\"nl\":\"R\"}}]}"
        "]}]}";

struct fixture {
	char dir[64], path[96];
	db *d;
	int64_t org;
	struct script *script;
	struct collection c;
	int next;
	int in_tx; /* add() inside the caller's transaction */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->script = test_story_setup(f->dir, f->path, &f->d, &f->org, "index", script_text, "Index",
	                             &f->c);
	if (!f->script)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	script_free(f->script);
	test_store_close(f->dir, f->path, f->d);
	free(f);
	return 0;
}

/* Stores one story with these answers (JSON object text without braces)
 * and, when pro is not NULL, the professional's. */
static void add(struct fixture *f, const char *channel, const char *answers, const char *pro)
{
	char body[2048];
	f->next++;
	snprintf(
	        body, sizeof body,
	        "{\"id\":\"00000000-0000-4000-8000-%012d\",\"channel\":\"%s\",\"script_version\":1,"
	        "\"language\":\"nl\",\"answers\":{%s}%s%s%s}",
	        f->next, channel, answers, pro ? ",\"professional\":{" : "", pro ? pro : "",
	        pro ? "}" : "");
	struct story_submit st = {.collection = &f->c, .user_id = 0};
	json_t *b = json_loads(body, 0, NULL);
	assert_non_null(b);
	const char *msg = NULL;
	struct answer_error e = {0};
	int staff = pro != NULL || (strcmp(channel, "web") != 0 && strcmp(channel, "kiosk") != 0);
	int rc = story_prepare(&st, f->script, b, staff, &msg, &e);
	json_decref(b);
	if (rc != 0)
		fail_msg("story %d refused: %s (%s)", f->next, msg ? msg : "?", body);
	if (!f->in_tx)
		assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(story_submit_write(f->d, &st), 0);
	if (!f->in_tx)
		assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(st.result, STORY_NEW);
	story_submit_free(&st);
}

#define STORY(P) "\"verhaal\":{\"prompt\":\"" P "\",\"text\":\"Zo ging het.\"}"

static void test_columns(void **state)
{
	struct fixture *f = *state;
	add(f, "web",
	    STORY("p1") ",\"keus\":\"b\",\"meer\":[\"x\",\"z\"],\"schaal\":4,\"lijn\":37.25,"
	                "\"drie\":[0.5,0.25,0.25]",
	    NULL);
	add(f, "kiosk", STORY("p2") ",\"keus\":{\"other\":\"iets\"},\"lijn\":null,\"drie\":[0,0,1]",
	    NULL);
	add(f, "face-to-face", STORY("p2") ",\"keus\":null,\"drie\":null", "\"pro-lijn\":80");

	aix *x = aix_new(f->path);
	struct aix_coll *c = aix_acquire(x, f->org, f->c.id);
	assert_non_null(c);
	assert_int_equal(c->n, 3);
	assert_int_equal(c->channel[0], AIX_WEB);
	assert_int_equal(c->channel[2], AIX_FACE);
	assert_true(roaring_bitmap_contains(c->by_channel[AIX_KIOSK], 1));
	assert_true(roaring_bitmap_contains(c->professional, 2));
	assert_false(roaring_bitmap_contains(c->professional, 0));

	struct aix_question *v = aix_question(c, "verhaal");
	assert_int_equal(v->u8[0], 1);
	assert_int_equal(v->u8[1], 2);
	assert_true(roaring_bitmap_contains(v->bm[1], 2));

	struct aix_question *k = aix_question(c, "keus");
	assert_int_equal(k->u8[0], 2);       /* option b */
	assert_int_equal(k->u8[1], 3);       /* "other" after the options */
	assert_int_equal(k->u8[2], AIX_NA8); /* not applicable */
	assert_true(roaring_bitmap_contains(k->bm[2], 1));
	assert_true(roaring_bitmap_contains(k->na, 2));
	assert_false(roaring_bitmap_contains(k->answered, 2));

	struct aix_question *m = aix_question(c, "meer");
	assert_true(roaring_bitmap_contains(m->bm[0], 0));
	assert_false(roaring_bitmap_contains(m->bm[1], 0));
	assert_true(roaring_bitmap_contains(m->bm[2], 0));
	assert_false(roaring_bitmap_contains(m->answered, 1)); /* not answered: missing */
	assert_false(roaring_bitmap_contains(m->na, 1));

	struct aix_question *s = aix_question(c, "schaal");
	assert_int_equal(s->u8[0], 4);
	assert_true(roaring_bitmap_contains(s->bm[3], 0));
	assert_int_equal(s->u8[1], AIX_MISSING8);

	struct aix_question *l = aix_question(c, "lijn");
	assert_true(fabs(aix_dyad(l, 0) - 37.25) < 1e-9);
	assert_true(aix_dyad(l, 1) == -2);
	assert_true(aix_dyad(l, 2) == -1);

	struct aix_question *t = aix_question(c, "drie");
	double w[3];
	assert_int_equal(aix_triad(t, 0, w), 0);
	assert_true(fabs(w[0] - 0.5) < 1e-12 && fabs(w[1] - 0.25) < 1e-12);
	assert_int_equal(aix_triad(t, 1, w), 0);
	assert_true(w[0] == 0 && w[1] == 0 && w[2] == 1); /* zeros stay zeros */
	assert_int_equal(aix_triad(t, 2, w), -2);

	struct aix_question *p = aix_question(c, "pro-lijn");
	assert_true(fabs(aix_dyad(p, 2) - 80) < 1e-9);
	assert_true(aix_dyad(p, 0) == -1);
	assert_true(aix_coll_bytes(c) > 0);
	aix_release(c);

	/* a new story is read on the next acquire (no poller here) */
	add(f, "phone", STORY("p1") ",\"schaal\":2", NULL);
	c = aix_acquire(x, f->org, f->c.id);
	assert_int_equal(c->n, 4);
	assert_int_equal(aix_question(c, "schaal")->u8[3], 2);
	aix_release(c);

	/* a deleted story: the part is rebuilt without it */
	db_stmt *st =
	        db_prepare(f->d, "DELETE FROM stories WHERE id = (SELECT min(id) FROM stories)");
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
	c = aix_acquire(x, f->org, f->c.id);
	assert_int_equal(c->n, 3);
	assert_int_equal(c->channel[0], AIX_KIOSK);
	aix_release(c);

	/* another organisation's collection is not there */
	assert_null(aix_acquire(x, f->org + 1, f->c.id));
	assert_null(aix_acquire(x, f->org, f->c.id + 100));
	aix_free(x);
}

/* Story texts with escaped quotes, backslashes, and braces, brackets,
 * commas and colons inside strings: the answers after them are read all the
 * same (the reader skips a string up to its closing quote, counting the
 * backslashes before a quote). */
static void test_escapes_in_texts(void **state)
{
	struct fixture *f = *state;
	static const char *const texts[] = {
	        "Hij zei \\\"ja\\\" en ging.",           /* an escaped quote */
	        "Een pad: C:\\\\map\\\\",                /* ends in an escaped backslash */
	        "{\\\"keus\\\":\\\"a\\\"}, [1, 2]: nee", /* JSON inside the text */
	        "Regel\\none\\ttab \\u00e9 \\\\\\\" einde",
	};
	for (int i = 0; i < 4; i++) {
		char answers[512];
		snprintf(answers, sizeof answers,
		         "\"verhaal\":{\"prompt\":\"p2\",\"title\":\"%s\",\"text\":\"%s\"},"
		         "\"keus\":\"b\",\"schaal\":%d,\"drie\":[0.2,0.3,0.5]",
		         texts[i], texts[i], i + 1);
		add(f, "web", answers, NULL);
	}
	aix *x = aix_new(f->path);
	struct aix_coll *c = aix_acquire(x, f->org, f->c.id);
	assert_non_null(c);
	assert_int_equal(c->n, 4);
	for (uint32_t r = 0; r < 4; r++) {
		assert_int_equal(aix_question(c, "verhaal")->u8[r], 2);
		assert_int_equal(aix_question(c, "keus")->u8[r], 2);
		assert_int_equal(aix_question(c, "schaal")->u8[r], r + 1);
		double w[3];
		assert_int_equal(aix_triad(aix_question(c, "drie"), r, w), 0);
		assert_true(fabs(w[2] - 0.5) < 1e-12);
	}
	aix_release(c);
	aix_free(x);
}

/* The count of a part as JSON, through measure_count (the cache). */
static json_int_t counted(aix *x, struct fixture *f, json_t **doc)
{
	struct aix_coll *c = aix_acquire(x, f->org, f->c.id);
	assert_non_null(c);
	struct measure_args a = {.c = c, .min_group = 1};
	char err[256];
	assert_int_equal(measure_count(&a, doc, err, sizeof err), 0);
	aix_release(c);
	return json_integer_value(json_object_get(*doc, "n"));
}

/* Measures keep their documents while the part is unchanged: the same
 * document again (a copy: changing it changes nothing kept), a new one
 * after stories are added or deleted. */
static void test_measure_cache(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < 3; i++)
		add(f, "web", STORY("p1") ",\"schaal\":3", NULL);
	aix *x = aix_new(f->path);
	json_t *d1, *d2, *d3;
	assert_int_equal(counted(x, f, &d1), 3);
	json_object_set_new(d1, "n", json_integer(99)); /* the caller's copy */
	assert_int_equal(counted(x, f, &d2), 3);
	json_object_set_new(d1, "n", json_integer(3));
	assert_true(json_equal(d1, d2));
	json_decref(d1);
	json_decref(d2);
	add(f, "kiosk", STORY("p2"), NULL);
	assert_int_equal(counted(x, f, &d3), 4);
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(d3, "by_channel"), "kiosk")), 1);
	json_decref(d3);
	db_stmt *st =
	        db_prepare(f->d, "DELETE FROM stories WHERE id = (SELECT max(id) FROM stories)");
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
	assert_int_equal(counted(x, f, &d3), 3);
	json_decref(d3);
	aix_free(x);
}

/* The triad measure's fast path (a logarithm table over the index's
 * integer weights) gives the geometric mean of stats.c's triad_geomean. */
static void test_triad_fast_path(void **state)
{
	struct fixture *f = *state;
	static const double answers[][3] = {{0.5, 0.25, 0.25}, {0, 0.5, 0.5}, {1, 0, 0},
	                                    {0.2, 0.3, 0.5},   {0.6, 0.4, 0}, {0.125, 0.375, 0.5}};
	enum { N = sizeof answers / sizeof answers[0], REPEAT = 3 };
	for (int r = 0; r < REPEAT; r++)
		for (int i = 0; i < N; i++) {
			char a[256];
			snprintf(a, sizeof a,
			         STORY("p1") ",\"keus\":\"a\",\"drie\":[%.17g,%.17g,%.17g]",
			         answers[i][0], answers[i][1], answers[i][2]);
			add(f, "web", a, NULL);
		}
	double all[N * REPEAT][3];
	for (int r = 0; r < REPEAT; r++)
		memcpy(all[r * N], answers, sizeof answers);
	double g[3], ilr[2], cov[3];
	assert_int_equal(
	        triad_geomean((const double(*)[3])all, N * REPEAT, TRIAD_DELTA, g, ilr, cov), 0);

	aix *x = aix_new(f->path);
	struct aix_coll *c = aix_acquire(x, f->org, f->c.id);
	struct measure_args a = {.c = c, .q = "drie", .filter = "keus = a", .min_group = 10};
	json_t *out = NULL;
	char err[256];
	assert_int_equal(measure_triad(&a, &out, err, sizeof err), 0);
	json_t *gm = json_object_get(out, "geomean"), *im = json_object_get(out, "ilr_mean");
	for (int k = 0; k < 3; k++)
		assert_true(fabs(json_real_value(json_array_get(gm, (size_t)k)) - g[k]) < 2e-6);
	for (int k = 0; k < 2; k++)
		assert_true(fabs(json_real_value(json_array_get(im, (size_t)k)) - ilr[k]) < 2e-6);
	assert_int_equal(json_integer_value(json_object_get(out, "n")), N * REPEAT);
	json_decref(out);

	/* fewer than the minimum: no figure */
	a.min_group = N * REPEAT + 1;
	assert_int_equal(measure_triad(&a, &out, err, sizeof err), 0);
	assert_true(json_is_null(json_object_get(out, "n")));
	assert_true(json_is_true(json_object_get(out, "too_few")));
	assert_null(json_object_get(out, "geomean"));
	json_decref(out);

	/* wrong type and unknown question */
	a.q = "lijn";
	assert_int_equal(measure_triad(&a, &out, err, sizeof err), 422);
	a.q = "nope";
	assert_int_equal(measure_triad(&a, &out, err, sizeof err), 404);
	aix_release(c);
	aix_free(x);
}

/* A part read by two threads is the same as one read by one. */
/* Rows are every story once, in id order: nothing appended twice. */
static void assert_rows_unique(struct aix_coll *c)
{
	for (uint32_t i = 1; i < c->n; i++)
		assert_true(c->story_id[i] > c->story_id[i - 1]);
}

static void add_plain(struct fixture *f, int k)
{
	for (int i = 0; i < k; i++)
		add(f, "web", STORY("p1") ",\"keus\":\"a\"", NULL);
}

struct hammer {
	aix *x;
	struct fixture *f;
	volatile int stop;
	long acquired;
};

static void *hammer_main(void *arg)
{
	struct hammer *h = arg;
	while (!h->stop) {
		struct aix_coll *c = aix_acquire(h->x, h->f->org, h->f->c.id);
		assert_non_null(c);
		assert_rows_unique(c);
		aix_release(c);
		h->acquired++;
	}
	return NULL;
}

/* With the poller running: a part queried lately is kept up to date by the
 * poller; a part nobody looked at catches up when it is acquired; both at
 * once never append a story twice. */
static void test_poller_hot_and_cold(void **state)
{
	struct fixture *f = *state;
	add_plain(f, 10);
	aix *x = aix_new(f->path);
	assert_int_equal(aix_start(x), 0);
	struct aix_coll *c = aix_acquire(x, f->org, f->c.id);
	assert_non_null(c);
	assert_int_equal(c->n, 10);
	aix_release(c);

	/* hot: the poller brings the new stories in after a poke */
	add_plain(f, 5);
	aix_poke(x);
	int n = 0;
	for (int tries = 0; tries < 400 && n != 15; tries++) {
		nanosleep(&(struct timespec){0, 25 * 1000000L}, NULL);
		c = aix_acquire(x, f->org, f->c.id);
		n = (int)c->n;
		aix_release(c);
	}
	assert_int_equal(n, 15);

	/* cold: not queried for longer than AIX_HOT_MS, so the poller leaves it
	 * alone and the next acquire catches up itself, at once */
	__atomic_store_n(&c->last_used_ms, 1, __ATOMIC_RELAXED);
	add_plain(f, 7);
	c = aix_acquire(x, f->org, f->c.id);
	assert_int_equal(c->n, 22);
	assert_rows_unique(c);
	aix_release(c);

	/* queries and the poller racing while stories arrive */
	struct hammer h = {.x = x, .f = f};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, hammer_main, &h), 0);
	for (int round = 0; round < 20; round++) {
		add_plain(f, 3);
		aix_poke(x);
		__atomic_store_n(&c->last_used_ms, round % 2 ? 1 : 0, __ATOMIC_RELAXED);
	}
	h.stop = 1;
	pthread_join(t, NULL);
	__atomic_store_n(&c->last_used_ms, 1, __ATOMIC_RELAXED);
	c = aix_acquire(x, f->org, f->c.id);
	assert_int_equal(c->n, 82);
	assert_rows_unique(c);
	aix_release(c);
	assert_true(h.acquired > 0);
	aix_free(x);
}

static void test_parallel_build(void **state)
{
	struct fixture *f = *state;
	enum { N = 2600 };
	assert_int_equal(db_begin(f->d), DB_OK);
	f->in_tx = 1;
	for (int i = 0; i < N; i++) {
		char a[256];
		int u = i % 7, v = (i * 13) % 101;
		double w0 = u / 10.0, w1 = (1 - w0) * v / 100.0;
		snprintf(
		        a, sizeof a,
		        STORY("p%d") ",\"keus\":\"%s\",\"meer\":[\"%s\"],\"schaal\":%d,\"lijn\":%d,"
		                     "\"drie\":[%.17g,%.17g,%.17g]",
		        1 + i % 2, u < 3 ? "a" : "b", u < 4 ? "x" : "y", 1 + u % 5, v, w0, w1,
		        1 - w0 - w1);
		add(f, i % 3 ? "web" : "kiosk", a, NULL);
	}
	f->in_tx = 0;
	assert_int_equal(db_commit(f->d), DB_OK);
	aix *one = aix_new(f->path), *two = aix_new(f->path);
	aix_set_build_threads(one, 1);
	aix_set_build_threads(two, 2);
	struct aix_coll *a = aix_acquire(one, f->org, f->c.id),
	                *b = aix_acquire(two, f->org, f->c.id);
	assert_int_equal(a->n, N);
	assert_int_equal(b->n, N);
	assert_int_equal(a->last_story_id, b->last_story_id);
	assert_memory_equal(a->story_id, b->story_id, N * sizeof *a->story_id);
	assert_memory_equal(a->created_at, b->created_at, N * sizeof *a->created_at);
	assert_memory_equal(a->channel, b->channel, N);
	assert_true(roaring_bitmap_equals(a->by_channel[AIX_KIOSK], b->by_channel[AIX_KIOSK]));
	for (int i = 0; i < a->nq; i++) {
		struct aix_question *qa = &a->q[i], *qb = &b->q[i];
		if (qa->u8 && qa->q->type != Q_STONES && qa->q->type != Q_PIN)
			assert_memory_equal(qa->u8, qb->u8, N);
		if (qa->u16)
			assert_memory_equal(qa->u16, qb->u16, N * (qa->q->type == Q_TRIAD ? 6 : 2));
		for (int k = 0; k < qa->nbm; k++)
			assert_true(roaring_bitmap_equals(qa->bm[k], qb->bm[k]));
		assert_true(roaring_bitmap_equals(qa->answered, qb->answered));
		assert_true(roaring_bitmap_equals(qa->na, qb->na));
	}
	/* the triad measure's zones and bins (from integer weights) are those
	 * of triad_zone and triad_bin on the same answers */
	struct aix_question *t = aix_question(a, "drie");
	static const char *const zone_names[TRIAD_ZONES] = {"a",  "b",  "c",     "ab",
	                                                    "bc", "ac", "centre"};
	for (int k = 1; k <= 12; k += 3) {
		long zones[TRIAD_ZONES] = {0}, bins[144] = {0};
		for (uint32_t row = 0; row < a->n; row++) {
			double w[3];
			if (aix_triad(t, row, w) != 0)
				continue;
			zones[triad_zone(w)]++;
			bins[triad_bin(w, k)]++;
		}
		struct measure_args ma = {.c = a, .q = "drie", .min_group = 1, .bins = k};
		json_t *out = NULL;
		char err[256];
		assert_int_equal(measure_triad(&ma, &out, err, sizeof err), 0);
		for (int z = 0; z < TRIAD_ZONES; z++)
			assert_int_equal(json_integer_value(json_object_get(
			                         json_object_get(out, "zones"), zone_names[z])),
			                 zones[z]);
		json_t *counts = json_object_get(json_object_get(out, "bins"), "counts");
		assert_int_equal(json_array_size(counts), (size_t)(k * k));
		for (int b2 = 0; b2 < k * k; b2++)
			assert_int_equal(json_integer_value(json_array_get(counts, (size_t)b2)),
			                 bins[b2]);
		json_decref(out);
	}
	aix_release(a);
	aix_release(b);
	aix_free(one);
	aix_free(two);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_columns, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_escapes_in_texts, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_measure_cache, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_triad_fast_path, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_parallel_build, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_poller_hot_and_cold, setup, teardown),
	};
	return cmocka_run_group_tests_name("index", tests, NULL, NULL);
}
