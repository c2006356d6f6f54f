/* test_themes_patterns.c: themes as conditions of the pattern finder (theme = N, labelled by its terms, only once the themes are computed), the question "theme" of crosstab, compare and what is rising, and themes over all of a story's text (its text answers too), on stories with planted topics and an outcome planted to differ by topic. */
#include "testutil.h"
#include "testdb.h"
#include "teststory.h"
#include "topics.h"

#include "analysis/index.h"
#include "analysis/measures.h"
#include "analysis/themes_measure.h"
#include "model/story.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"tp\",\"title\":{\"nl\":\"T\"},"
        "\"privacy\":{\"nl\":\"P\"},\"sections\":[{\"id\":\"s\",\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"
        "{\"id\":\"opmerking\",\"type\":\"text\",\"text\":{\"nl\":\"Opmerking\"}},"
        "{\"id\":\"wijk\",\"type\":\"choice\",\"text\":{\"nl\":\"Wijk\"},\"options\":["
        "{\"id\":\"noord\",\"label\":{\"nl\":\"Noord\"}},{\"id\":\"zuid\",\"label\":{\"nl\":"
        "\"Zuid\"}}]},"
        "{\"id\":\"geholpen\",\"type\":\"dyad\",\"text\":{\"nl\":\"Geholpen\"},"
        "\"poles\":[{\"id\":\"niet\",\"label\":{\"nl\":\"Niet\"}},"
        "{\"id\":\"wel\",\"label\":{\"nl\":\"Wel\"}}]}"
        "]}]}";

/* The three topics of topics.h. The taxi and waiting-list stories tell theirs in the
 * story; the cleaning stories only in the text answer (their story is a
 * sentence every story could have): themes read both. */
enum { PER_TOPIC = 30, NSTORIES = 3 * PER_TOPIC };

struct fixture {
	char dir[64], path[96];
	db *d;
	int64_t org;
	struct script *script;
	struct collection c;
	int topic[NSTORIES];
};

/* The outcome: the waiting-list stories (topic 1) score about 30 points
 * lower; the district carries nothing. */
static int outcome(int t, int j)
{
	static const int noise[] = {-9, 4, -2, 7, 0, -5, 9, -7, 3, 1};
	return (t == 1 ? 35 : 65) + noise[(j * 7 + t) % 10];
}

/* Stories from .. from + n - 1 of the three topics (story i: topic i % 3). */
static void add_stories(struct fixture *f, int from, int n)
{
	for (int i = from; i < from + n; i++) {
		int t = i % 3, j = i / 3;
		char uuid[40], text[600], remark[400];
		snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", i + 1);
		topic_text(remark, sizeof remark, t, j, 0);
		if (t == 2)
			snprintf(text, sizeof text, "%s", topic_shared[j % 3]);
		else
			snprintf(text, sizeof text, "%s %s", remark, topic_shared[j % 3]);
		json_t *b = json_pack("{sssssisss{s{ssssss}sssssi}}", "id", uuid, "channel", "web",
		                      "script_version", 1, "language", "nl", "answers", "verhaal",
		                      "prompt", "p", "title", "Mijn verhaal", "text", text,
		                      "opmerking", t == 2 ? remark : "Niets meer.", "wijk",
		                      j % 2 ? "zuid" : "noord", "geholpen", outcome(t, j));
		struct story_submit st = {.collection = &f->c};
		const char *msg = NULL;
		struct answer_error e = {0};
		if (story_prepare(&st, f->script, b, 0, &msg, &e))
			fail_msg("story %d: %s", i, msg ? msg : "?");
		json_decref(b);
		assert_int_equal(db_begin(f->d), DB_OK);
		assert_int_equal(story_submit_write(f->d, &st), 0);
		assert_int_equal(db_commit(f->d), DB_OK);
		assert_int_equal(st.result, STORY_NEW);
		story_submit_free(&st);
		if (i < NSTORIES)
			f->topic[i] = t;
	}
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->script = test_story_setup(f->dir, f->path, &f->d, &f->org, "themepat", script_text,
	                             "Thema's", &f->c);
	if (!f->script)
		return -1;
	add_stories(f, 0, NSTORIES);
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

/* The one number a statement gives (db_prepare takes literals only). */
#define one_int(d, sql) one_int_of(db_prepare(d, sql))
static int64_t one_int_of(db_stmt *st)
{
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	int64_t v = db_col_int(st, 0);
	db_finalize(st);
	return v;
}

static int has_theme_condition(const json_t *doc)
{
	size_t i, k;
	json_t *p, *cond;
	json_array_foreach(json_object_get(doc, "patterns"), i, p) json_array_foreach(
	        json_object_get(p, "conditions"), k,
	        cond) if (strcmp(json_string_value(json_object_get(cond, "question")), "theme") ==
	                  0) return 1;
	return 0;
}

static void test_theme_patterns(void **state)
{
	struct fixture *f = *state;
	aix *x = aix_new(f->path);
	struct aix_coll *c = aix_acquire(x, f->org, f->c.id);
	assert_non_null(c);
	assert_int_equal(c->n, NSTORIES);
	struct measure_args a = {.c = c, .d = f->d, .outcome = "geholpen"};
	json_t *doc = NULL;
	char err[256];
	/* no themes computed yet: the choice questions only */
	assert_int_equal(measure_patterns(&a, &doc, err, sizeof err), 0);
	assert_true(json_is_null(json_object_get(doc, "themes")));
	assert_false(has_theme_condition(doc));
	json_int_t tested_before = json_integer_value(json_object_get(doc, "tested"));
	json_decref(doc);

	/* the themes of all stories (the default request): the three topics,
	 * the cleaning stories found by their text answers alone */
	struct themes_request t = {0};
	json_t *themes = NULL;
	assert_int_equal(measure_themes(&a, &t, &themes, err, sizeof err), 0);
	assert_int_equal(json_integer_value(json_object_get(themes, "k")), 3);
	struct themes_snapshot ts;
	assert_int_equal(themes_snapshot_get(c, &ts), 1);
	assert_int_equal(ts.k, 3);
	int planted[NSTORIES], found[NSTORIES];
	for (uint32_t r = 0; r < c->n; r++) {
		planted[r] = f->topic[c->story_id[r] - 1];
		found[r] = ts.row_theme[r] - 1;
	}
	assert_true(themes_adjusted_rand(found, planted, NSTORIES) > 0.99);
	int waiting = 0, cleaning = 0; /* theme numbers 1..3 */
	for (uint32_t r = 0; r < c->n; r++) {
		if (planted[r] == 1)
			waiting = ts.row_theme[r];
		if (planted[r] == 2)
			cleaning = ts.row_theme[r];
	}
	/* the label of the cleaning theme has words only its text answers have */
	assert_non_null(strstr(ts.label[cleaning - 1], "schoonmaakster"));
	assert_non_null(strstr(ts.label[waiting - 1], "wachtlijst")
	                        ? strstr(ts.label[waiting - 1], "wachtlijst")
	                        : strstr(ts.label[waiting - 1], "indicatie"));
	json_decref(themes);

	/* now each theme is a condition too, first the planted one */
	assert_int_equal(measure_patterns(&a, &doc, err, sizeof err), 0);
	assert_int_equal(json_integer_value(json_object_get(doc, "themes")), 3);
	/* 3 themes alone and 3 x 2 with the district, with the same correction */
	assert_int_equal(json_integer_value(json_object_get(doc, "tested")), tested_before + 3 + 6);
	const json_t *top = json_array_get(json_object_get(doc, "patterns"), 0);
	char want[32];
	snprintf(want, sizeof want, "theme = %d", waiting);
	assert_string_equal(json_string_value(json_object_get(top, "filter")), want);
	assert_int_equal(json_integer_value(json_object_get(top, "n")), PER_TOPIC);
	assert_true(json_number_value(json_object_get(top, "difference")) < -20);
	assert_true(json_number_value(json_object_get(top, "q")) < 0.001);
	const json_t *cond = json_array_get(json_object_get(top, "conditions"), 0);
	assert_string_equal(json_string_value(json_object_get(cond, "question")), "theme");
	snprintf(want, sizeof want, "%d", waiting);
	assert_string_equal(json_string_value(json_object_get(cond, "option")), want);
	assert_string_equal(json_string_value(json_object_get(cond, "label")),
	                    ts.label[waiting - 1]);
	/* the pattern's filter opens exactly its stories */
	json_t *cnt = NULL;
	struct measure_args ca = {
	        .c = c, .d = f->d, .filter = json_string_value(json_object_get(top, "filter"))};
	assert_int_equal(measure_count(&ca, &cnt, err, sizeof err), 0);
	assert_int_equal(json_integer_value(json_object_get(cnt, "n")), PER_TOPIC);
	json_decref(cnt);
	/* the district carries nothing: no pattern of it alone is significant */
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(doc, "patterns"), i, p)
	{
		const json_t *conds = json_object_get(p, "conditions");
		if (json_array_size(conds) == 1 &&
		    strcmp(json_string_value(json_object_get(json_array_get(conds, 0), "question")),
		           "wijk") == 0)
			assert_true(json_number_value(json_object_get(p, "q")) > 0.05);
	}
	json_decref(doc);
	/* within a filter, the themes of all stories still take part */
	a.filter = "wijk = noord";
	assert_int_equal(measure_patterns(&a, &doc, err, sizeof err), 0);
	top = json_array_get(json_object_get(doc, "patterns"), 0);
	snprintf(want, sizeof want, "theme = %d", waiting);
	/* ("wijk = noord and theme = N" ties with it here: the same stories) */
	assert_non_null(strstr(json_string_value(json_object_get(top, "filter")), want));
	assert_int_equal(json_integer_value(json_object_get(top, "n")), PER_TOPIC / 2);
	json_decref(doc);
	themes_snapshot_free(&ts);
	aix_release(c);
	aix_free(x);
}

/* The themes as a question ("theme"), once computed, a choice question
 * whose cross-table with the district counts what the filters "theme = N
 * and wijk = W" count; compare and what is rising give each theme's share
 * in two groups. (The 409 before any themes are computed is tested over
 * HTTP and on the command line: the themes cache is the process's, and
 * test_theme_patterns has filled it.) */
static void test_theme_question(void **state)
{
	struct fixture *f = *state;
	aix *x = aix_new(f->path);
	struct aix_coll *c = aix_acquire(x, f->org, f->c.id);
	assert_non_null(c);
	char err[256];
	json_t *doc = NULL;
	struct measure_args a = {.c = c, .d = f->d, .q = "theme", .q2 = "wijk"};
	struct themes_request t = {0};
	json_t *themes = NULL;
	struct measure_args all = {.c = c, .d = f->d};
	assert_int_equal(measure_themes(&all, &t, &themes, err, sizeof err), 0);
	json_decref(themes);
	assert_true(themes_version(c) != 0);
	/* the command line (not shared): nothing stored */
	assert_int_equal(one_int(f->d, "SELECT count(*) FROM theme_results"), 0);

	assert_int_equal(measure_crosstab(&a, &doc, err, sizeof err), 0);
	assert_int_equal(json_array_size(json_object_get(doc, "rows")), 3);
	for (int i = 0; i < 3; i++)
		for (int k = 0; k < 2; k++) {
			char filter[64];
			snprintf(filter, sizeof filter, "theme = %d and wijk = %s", i + 1,
			         k ? "zuid" : "noord");
			json_t *cnt = NULL;
			struct measure_args ca = {.c = c, .d = f->d, .filter = filter};
			assert_int_equal(measure_count(&ca, &cnt, err, sizeof err), 0);
			json_t *cell = json_array_get(
			        json_array_get(json_object_get(doc, "counts"), (size_t)i),
			        (size_t)k);
			assert_int_equal(json_integer_value(json_object_get(cnt, "n")),
			                 json_integer_value(cell));
			json_decref(cnt);
		}
	json_decref(doc);

	/* each theme's share in two groups: 15 stories of each topic in each
	 * district, so no theme differs */
	struct measure_args cmp = {
	        .c = c, .d = f->d, .q = "theme", .a = "wijk = noord", .b = "wijk = zuid"};
	assert_int_equal(measure_compare(&cmp, &doc, err, sizeof err), 0);
	assert_int_equal(json_array_size(json_object_get(doc, "questions")), 3);
	json_t *first = json_array_get(json_object_get(doc, "questions"), 0);
	assert_int_equal(json_integer_value(json_object_get(first, "count_a")), PER_TOPIC / 2);
	assert_true(fabs(json_number_value(json_object_get(first, "difference"))) < 1e-9);
	json_decref(doc);
	assert_int_equal(measure_themes_rising(&cmp, &doc, err, sizeof err), 0);
	assert_int_equal(json_integer_value(json_object_get(doc, "themes")), 3);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "a"), "filter")),
	                    "wijk = noord");
	json_decref(doc);
	/* one period only; no stories to find the last quarter in; a question
	 * compare cannot take */
	cmp.b = NULL;
	assert_int_equal(measure_themes_rising(&cmp, &doc, err, sizeof err), 400);
	assert_non_null(strstr(err, "give both periods"));
	struct measure_args none = {.c = c, .d = f->d, .filter = "wijk = noord and wijk = zuid"};
	assert_int_equal(measure_themes_rising(&none, &doc, err, sizeof err), 422);
	assert_non_null(strstr(err, "no stories here"));
	cmp.b = "wijk = zuid";
	cmp.q = "opmerking";
	assert_int_equal(measure_compare(&cmp, &doc, err, sizeof err), 422);
	aix_release(c);
	aix_free(x);
}

static int count_calls(void *ctx, const char *stage, double done)
{
	(void)stage;
	(void)done;
	++*(int *)ctx;
	return 0;
}

/* The rows of theme 1..3 of the newest themes, as counts, and each row's
 * theme into row_theme (c->n). */
static void snapshot_rows(const struct aix_coll *c, int *row_theme)
{
	struct themes_snapshot ts;
	assert_int_equal(themes_snapshot_get(c, &ts), 1);
	assert_int_equal(ts.k, 3);
	memcpy(row_theme, ts.row_theme, c->n * sizeof *row_theme);
	themes_snapshot_free(&ts);
}

/* As a server does (themes_set_shared), with nothing computed yet: a new
 * index, the collection's part in *c, its themes computed (the default
 * request) into *doc. */
static aix *shared_themes(struct fixture *f, struct aix_coll **c, json_t **doc)
{
	themes_cache_clear();
	themes_set_shared(1);
	aix *x = aix_new(f->path);
	*c = aix_acquire(x, f->org, f->c.id);
	assert_non_null(*c);
	char err[256];
	struct measure_args all = {.c = *c, .d = f->d};
	struct themes_request t = {0};
	assert_int_equal(measure_themes(&all, &t, doc, err, sizeof err), 0);
	return x;
}

/* Two instances on one database: the themes one computes are stored
 * (theme_results), and the other, with nothing computed, reads them
 * instead of computing: the same answer, the same "theme = N". */
static void test_themes_shared(void **state)
{
	struct fixture *f = *state;
	struct aix_coll *c;
	json_t *doc = NULL;
	aix *x = shared_themes(f, &c, &doc);
	char err[256];
	struct measure_args all = {.c = c, .d = f->d};
	assert_int_equal(one_int(f->d, "SELECT count(*) FROM theme_results"), 1);
	assert_int_equal(one_int(f->d, "SELECT stories FROM theme_results WHERE part = 'c1'"),
	                 NSTORIES);
	assert_int_equal(one_int(f->d, "SELECT length(assignment) FROM theme_results"),
	                 5 * NSTORIES);
	/* a filtered or other request is not stored */
	json_t *other = NULL;
	struct themes_request k4 = {.k = 4};
	assert_int_equal(measure_themes(&all, &k4, &other, err, sizeof err), 0);
	json_decref(other);
	assert_int_equal(one_int(f->d, "SELECT count(*) FROM theme_results"), 1);
	int before[NSTORIES], after[NSTORIES];
	snapshot_rows(c, before);
	int64_t stamp = one_int(f->d, "SELECT stamp FROM theme_results");

	/* "another instance": nothing computed in this process */
	themes_cache_clear();
	struct themes_snapshot none;
	assert_int_equal(themes_snapshot_get(c, &none), 0);
	themes_snapshot_free(&none);
	int calls = 0;
	struct themes_request watched = {.progress = count_calls, .progress_ctx = &calls};
	json_t *again = NULL;
	assert_int_equal(measure_themes(&all, &watched, &again, err, sizeof err), 0);
	assert_int_equal(calls, 0); /* read, not computed */
	assert_true(json_equal(doc, again));
	json_decref(again);
	snapshot_rows(c, after);
	assert_memory_equal(before, after, sizeof before);
	assert_int_equal(one_int(f->d, "SELECT stamp FROM theme_results"), stamp);

	/* "theme = 1" in a filter, with nothing computed here: the stored themes */
	themes_cache_clear();
	json_t *cnt = NULL;
	struct measure_args t1 = {.c = c, .d = f->d, .filter = "theme = 1"};
	assert_int_equal(measure_count(&t1, &cnt, err, sizeof err), 0);
	int in1 = 0;
	for (int r = 0; r < NSTORIES; r++)
		in1 += before[r] == 1;
	assert_int_equal(json_integer_value(json_object_get(cnt, "n")), in1);
	json_decref(cnt);

	/* what is stored older than what this process has stays unread */
	uint64_t v = themes_version(c);
	assert_int_equal(db_exec(f->d, "UPDATE theme_results SET stamp = stamp - 1000, result = "
	                               "'{\"k\": 1, \"themes\": []}'"),
	                 DB_OK);
	themes_sync(f->d, c);
	assert_int_equal(themes_version(c), v);
	/* a newer one is read; a damaged one is not (logged) */
	assert_int_equal(db_exec(f->d, "UPDATE theme_results SET stamp = stamp + 5000"), DB_OK);
	themes_sync(f->d, c);
	struct themes_snapshot newer;
	assert_int_equal(themes_snapshot_get(c, &newer), 1);
	assert_int_equal(newer.k, 1);
	themes_snapshot_free(&newer);
	themes_cache_clear();
	static const unsigned char seven[7] = {1, 0, 0, 0, 1, 2, 0};
	db_stmt *st = db_prepare(f->d, "UPDATE theme_results SET assignment = :a");
	db_bind_blob(st, "a", seven, sizeof seven);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
	themes_sync(f->d, c);
	assert_int_equal(themes_snapshot_get(c, &none), 0);
	themes_snapshot_free(&none);

	json_decref(doc);
	aix_release(c);
	aix_free(x);
	themes_set_shared(0);
}

/* The refresh the server runs once across its instances: the stored
 * themes of a part whose stories changed are computed again, by a
 * background job that stores them; up-to-date ones are left alone. */
static void test_themes_refresh(void **state)
{
	struct fixture *f = *state;
	struct aix_coll *c;
	json_t *doc = NULL;
	aix *x = shared_themes(f, &c, &doc);
	struct themes_request t = {0};
	json_decref(doc);
	aix_release(c);
	struct themes_part *parts = NULL;
	long n = themes_stored(f->d, &parts);
	assert_int_equal(n, 1);
	assert_int_equal(parts[0].id, f->c.id);
	assert_int_equal(parts[0].org, f->org);
	assert_int_equal(parts[0].trajectory, 0);
	assert_int_equal(parts[0].stories, NSTORIES);
	assert_int_equal(themes_refresh(x, f->path, parts, n, 0), 0); /* up to date */
	free(parts);

	add_stories(f, NSTORIES, 3);
	n = themes_stored(f->d, &parts);
	assert_int_equal(n, 1);
	assert_int_equal(themes_refresh(x, f->path, parts, n, 0), 1);
	free(parts);
	struct themes_job_status st = {.state = THEMES_JOB_RUNNING};
	for (int i = 0; i < 6000 && st.state == THEMES_JOB_RUNNING; i++) {
		struct timespec ms10 = {0, 10 * 1000 * 1000};
		nanosleep(&ms10, NULL);
		themes_job_status(f->c.id, 0, NULL, &t, &st);
	}
	assert_int_equal(st.state, THEMES_JOB_DONE);
	assert_int_equal(one_int(f->d, "SELECT stories FROM theme_results"), NSTORIES + 3);
	n = themes_stored(f->d, &parts);
	assert_int_equal(themes_refresh(x, f->path, parts, n, 0), 0);
	free(parts);
	/* no themes stored: nothing */
	assert_int_equal(db_exec(f->d, "DELETE FROM theme_results"), DB_OK);
	assert_int_equal(themes_stored(f->d, &parts), 0);
	assert_null(parts);
	aix_free(x);
	themes_set_shared(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_theme_patterns, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_theme_question, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_themes_shared, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_themes_refresh, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
