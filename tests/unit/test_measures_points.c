/* test_measures_points.c: the pin and stones measure (measure_points): counts, means, spreads and grids on a small fixture, small-cell protection, order independence; the filter conditions of the grid cells and stones the explorer links with. */
#include "testutil.h"
#include "testdb.h"
#include "teststory.h"

#include "analysis/index.h"
#include "analysis/measures.h"
#include "model/story.h"
#include "web/chart_points.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"punten\",\"title\":{\"nl\":\"P\"},"
        "\"privacy\":{\"nl\":\"P\"},\"sections\":[{\"id\":\"s\",\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p1\",\"text\":{\"nl\":\"Een\"}}]},"
        "{\"id\":\"keus\",\"type\":\"choice\",\"text\":{\"nl\":\"Keus\"},"
        "\"options\":[{\"id\":\"a\",\"label\":{\"nl\":\"A\"}},{\"id\":\"b\",\"label\":{\"nl\":"
        "\"B\"}}]},"
        "{\"id\":\"plek\",\"type\":\"pin\",\"not_applicable\":true,\"text\":{\"nl\":\"Waar\"},"
        "\"image\":\"kaart-1\"},"
        "{\"id\":\"stenen\",\"type\":\"stones\",\"not_applicable\":true,\"text\":{\"nl\":"
        "\"Leg\"},\"stones\":[{\"id\":\"s1\",\"label\":{\"nl\":\"Een\"}},{\"id\":\"s2\","
        "\"label\":{\"nl\":\"Twee\"}}],"
        "\"x\":{\"label\":{\"nl\":\"Invloed\"},\"low\":{\"nl\":\"Weinig\"},\"high\":{\"nl\":"
        "\"Veel\"}},"
        "\"y\":{\"label\":{\"nl\":\"Belang\"},\"low\":{\"nl\":\"Laag\"},\"high\":{\"nl\":"
        "\"Hoog\"}}}"
        "]}]}";

/* The nine stories of the fixture (answers without braces): pins at
 * (5,5) x3, (15,95) x2, (100,100), (50,50), one "not applicable", one
 * unanswered; stones in six of them, one "not applicable", two unanswered. */
static const char *const stories[] = {
        "\"keus\":\"a\",\"plek\":{\"x\":5,\"y\":5},\"stenen\":{\"s1\":[10,20],\"s2\":[90,80]}",
        "\"keus\":\"a\",\"plek\":{\"x\":5,\"y\":5},\"stenen\":{\"s1\":[10,20],\"s2\":[90,80]}",
        "\"keus\":\"a\",\"plek\":{\"x\":5,\"y\":5},\"stenen\":{\"s1\":[10,20],\"s2\":[90,80]}",
        "\"keus\":\"b\",\"plek\":{\"x\":15,\"y\":95},\"stenen\":{\"s1\":[12,22]}",
        "\"keus\":\"b\",\"plek\":{\"x\":15,\"y\":95},\"stenen\":{\"s1\":[12,22]}",
        "\"keus\":\"b\",\"plek\":{\"x\":100,\"y\":100},\"stenen\":{\"s1\":[100,0],\"s2\":[0,100]}",
        "\"keus\":\"b\",\"plek\":{\"x\":50,\"y\":50}",
        "\"keus\":\"b\",\"plek\":null,\"stenen\":null",
        "\"keus\":\"a\"",
};
enum { NSTORIES = sizeof stories / sizeof *stories };

struct fixture {
	char dir[64], path[96];
	db *d;
	int64_t org;
	struct script *script;
	struct collection fwd, rev; /* the same stories, stored in opposite orders */
	int next;
};

static void add(struct fixture *f, struct collection *c, const char *answers)
{
	char body[1024];
	f->next++;
	snprintf(body, sizeof body,
	         "{\"id\":\"00000000-0000-4000-8000-%012d\",\"channel\":\"web\",\"script_version\":"
	         "1,\"language\":\"nl\",\"answers\":{\"verhaal\":{\"prompt\":\"p1\",\"text\":"
	         "\"Zo ging het.\"},%s}}",
	         f->next, answers);
	struct story_submit st = {.collection = c, .user_id = 0};
	json_t *b = json_loads(body, 0, NULL);
	assert_non_null(b);
	const char *msg = NULL;
	struct answer_error e = {0};
	int rc = story_prepare(&st, f->script, b, 0, &msg, &e);
	json_decref(b);
	if (rc != 0)
		fail_msg("story %d refused: %s (%s)", f->next, msg ? msg : "?", body);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(story_submit_write(f->d, &st), 0);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(st.result, STORY_NEW);
	story_submit_free(&st);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_store_open(f->dir, f->path, &f->d, &f->org, "points"))
		return -1;
	int64_t sid;
	f->script = test_script_add(f->d, f->org, script_text, 1, &sid);
	if (!f->script)
		return -1;
	test_collection(f->d, f->org, sid, "Vooruit", &f->fwd);
	test_collection(f->d, f->org, sid, "Achteruit", &f->rev);
	for (int i = 0; i < NSTORIES; i++)
		add(f, &f->fwd, stories[i]);
	for (int i = NSTORIES - 1; i >= 0; i--)
		add(f, &f->rev, stories[i]);
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

static json_t *run(struct aix_coll *c, const char *q, const char *filter, int min, int expect)
{
	struct measure_args a = {.c = c, .q = q, .filter = filter, .min_group = min};
	json_t *out = NULL;
	char err[256] = "";
	int rc = measure_points(&a, &out, err, sizeof err);
	if (rc != expect)
		fail_msg("measure_points(%s): %d, expected %d (%s)", q, rc, expect, err);
	return out;
}

static void assert_num(const json_t *v, double want)
{
	assert_true(json_is_number(v));
	if (fabs(json_number_value(v) - want) > 1e-6)
		fail_msg("%.9g, expected %.9g", json_number_value(v), want);
}

static void assert_pair(const json_t *o, const char *key, double x, double y)
{
	const json_t *p = json_object_get(o, key);
	assert_true(json_is_array(p));
	assert_num(json_array_get(p, 0), x);
	assert_num(json_array_get(p, 1), y);
}

/* The grid: the cells named (index, count; -1 for "too few") hold that,
 * every other cell 0. */
static void assert_grid(const json_t *o, const int (*cells)[2], size_t ncells)
{
	const json_t *g = json_object_get(o, "grid");
	assert_int_equal(json_integer_value(json_object_get(g, "per_side")), MEASURES_GRID);
	const json_t *counts = json_object_get(g, "counts");
	assert_int_equal(json_array_size(counts), MEASURES_GRID * MEASURES_GRID);
	for (int k = 0; k < MEASURES_GRID * MEASURES_GRID; k++) {
		int want = 0;
		for (size_t i = 0; i < ncells; i++)
			if (cells[i][0] == k)
				want = cells[i][1];
		const json_t *v = json_array_get(counts, (size_t)k);
		if (want < 0)
			assert_true(json_is_null(v));
		else if (!json_is_integer(v) || json_integer_value(v) != want)
			fail_msg("cell %d: expected %d", k, want);
	}
}

static void test_grid_cell(void **state)
{
	(void)state;
	assert_int_equal(measure_grid_cell(0), 0);
	assert_int_equal(measure_grid_cell(9), 0);
	assert_int_equal(measure_grid_cell(10), 1);
	assert_int_equal(measure_grid_cell(55), 5);
	assert_int_equal(measure_grid_cell(99), 9);
	assert_int_equal(measure_grid_cell(100), 9);
	/* every value 0..100 in exactly one cell, cells in order */
	int per[MEASURES_GRID] = {0};
	for (int v = 0; v <= 100; v++)
		per[measure_grid_cell(v)]++;
	for (int k = 0; k < MEASURES_GRID; k++)
		assert_int_equal(per[k], k == MEASURES_GRID - 1 ? 11 : 10);
}

static void test_pin(void **state)
{
	struct fixture *f = *state;
	aix *x = aix_new(f->path);
	struct aix_coll *c = aix_acquire(x, f->org, f->fwd.id);
	assert_non_null(c);
	json_t *o = run(c, "plek", NULL, 3, 0);
	assert_string_equal(json_string_value(json_object_get(o, "type")), "pin");
	assert_string_equal(json_string_value(json_object_get(o, "image")), "kaart-1");
	assert_int_equal(json_integer_value(json_object_get(o, "n")), 7);
	assert_true(json_is_null(json_object_get(o, "not_applicable"))); /* 1 < 3 */
	assert_true(json_is_null(json_object_get(o, "missing")));
	assert_true(json_is_false(json_object_get(o, "too_few")));
	/* x 5,5,5,15,15,100,50 and y 5,5,5,95,95,100,50 (R: mean(), sd()) */
	assert_pair(o, "mean", 27.857143, 50.714286);
	assert_pair(o, "sd", 35.573532, 45.864708);
	/* (5,5): row 0 col 0; (15,95): row 9 col 1; (100,100): row 9 col 9;
	 * (50,50): row 5 col 5 */
	static const int cells[][2] = {{0, 3}, {91, -1}, {99, -1}, {55, -1}};
	assert_grid(o, cells, 4);
	json_decref(o);

	/* with a minimum of 1 every count shows */
	o = run(c, "plek", NULL, 1, 0);
	assert_int_equal(json_integer_value(json_object_get(o, "not_applicable")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "missing")), 1);
	static const int all[][2] = {{0, 3}, {91, 2}, {99, 1}, {55, 1}};
	assert_grid(o, all, 4);
	json_decref(o);

	/* a filter narrows it */
	o = run(c, "plek", "keus = a", 1, 0);
	assert_int_equal(json_integer_value(json_object_get(o, "n")), 3);
	assert_pair(o, "mean", 5, 5);
	assert_pair(o, "sd", 0, 0);
	json_decref(o);

	/* below the default minimum of 10: no figure at all */
	o = run(c, "plek", NULL, 0, 0);
	assert_true(json_is_true(json_object_get(o, "too_few")));
	assert_true(json_is_null(json_object_get(o, "n")));
	assert_null(json_object_get(o, "mean"));
	assert_null(json_object_get(o, "grid"));
	json_decref(o);

	/* distribution gives the same document */
	struct measure_args a = {.c = c, .q = "plek", .min_group = 3};
	json_t *d = NULL, *p = run(c, "plek", NULL, 3, 0);
	char err[256];
	assert_int_equal(measure_distribution(&a, &d, err, sizeof err), 0);
	assert_true(json_equal(d, p));
	json_decref(d);
	json_decref(p);
	assert_ptr_equal(measure_by_name("points"), measure_points);

	/* the wrong type, an unknown question, a bad filter */
	assert_null(run(c, "keus", NULL, 3, 422));
	assert_null(run(c, "nope", NULL, 3, 404));
	assert_null(run(c, "plek", "keus = zz", 3, 400));
	aix_release(c);
	aix_free(x);
}

static void test_stones(void **state)
{
	struct fixture *f = *state;
	aix *x = aix_new(f->path);
	struct aix_coll *c = aix_acquire(x, f->org, f->fwd.id);
	assert_non_null(c);
	json_t *o = run(c, "stenen", NULL, 3, 0);
	assert_string_equal(json_string_value(json_object_get(o, "type")), "stones");
	assert_int_equal(json_integer_value(json_object_get(o, "n")), 6);
	assert_true(json_is_null(json_object_get(o, "not_applicable"))); /* 1 */
	assert_true(json_is_null(json_object_get(o, "missing")));        /* 2 */
	const json_t *axes = json_object_get(o, "axes");
	assert_string_equal(json_string_value(json_object_get(json_object_get(axes, "x"), "label")),
	                    "Invloed");
	assert_string_equal(json_string_value(json_object_get(json_object_get(axes, "y"), "high")),
	                    "Hoog");
	const json_t *st = json_object_get(o, "stones");
	assert_int_equal(json_array_size(st), 2);

	/* s1: (10,20) x3, (12,22) x2, (100,0) */
	const json_t *s1 = json_array_get(st, 0);
	assert_string_equal(json_string_value(json_object_get(s1, "id")), "s1");
	assert_string_equal(json_string_value(json_object_get(s1, "label")), "Een");
	assert_int_equal(json_integer_value(json_object_get(s1, "placed")), 6);
	assert_int_equal(json_integer_value(json_object_get(s1, "not_placed")), 0);
	assert_pair(s1, "mean", 25.666667, 17.333333);
	assert_pair(s1, "sd", 36.428926, 8.547904);
	static const int c1[][2] = {{21, 5}, {9, -1}};
	assert_grid(s1, c1, 2);

	/* s2: (90,80) x3, (0,100); left off twice */
	const json_t *s2 = json_array_get(st, 1);
	assert_int_equal(json_integer_value(json_object_get(s2, "placed")), 4);
	assert_true(json_is_null(json_object_get(s2, "not_placed")));
	assert_pair(s2, "mean", 67.5, 85);
	assert_pair(s2, "sd", 45, 10);
	static const int c2[][2] = {{89, 3}, {90, -1}};
	assert_grid(s2, c2, 2);
	json_decref(o);

	/* a stone placed fewer times than the minimum has no figure */
	o = run(c, "stenen", NULL, 5, 0);
	s2 = json_array_get(json_object_get(o, "stones"), 1);
	assert_true(json_is_null(json_object_get(s2, "placed")));
	assert_true(json_is_true(json_object_get(s2, "too_few")));
	assert_null(json_object_get(s2, "mean"));
	s1 = json_array_get(json_object_get(o, "stones"), 0);
	assert_true(json_is_false(json_object_get(s1, "too_few")));
	json_decref(o);

	/* too few answers: no stone has a figure */
	o = run(c, "stenen", NULL, 0, 0);
	assert_true(json_is_true(json_object_get(o, "too_few")));
	s1 = json_array_get(json_object_get(o, "stones"), 0);
	assert_true(json_is_true(json_object_get(s1, "too_few")));
	assert_null(json_object_get(s1, "grid"));
	json_decref(o);
	aix_release(c);
	aix_free(x);
}

/* The filter condition of each grid cell (chart_pin_cell_condition, the
 * link of a cell in the explorer) selects exactly the stories the grid
 * counts there, and each stone's (chart_stone_condition) those that
 * placed it. */
static void test_cell_conditions(void **state)
{
	struct fixture *f = *state;
	aix *x = aix_new(f->path);
	struct aix_coll *c = aix_acquire(x, f->org, f->fwd.id);
	assert_non_null(c);
	json_t *all = run(c, "plek", NULL, 1, 0);
	const json_t *counts = json_object_get(json_object_get(all, "grid"), "counts");
	int64_t total = 0;
	buf cond;
	buf_init(&cond);
	for (int k = 0; k < MEASURES_GRID * MEASURES_GRID; k++) {
		buf_reset(&cond);
		chart_pin_cell_condition(&cond, "plek", k);
		json_t *o = run(c, "plek", cond.data, 1, 0);
		int64_t want = json_integer_value(json_array_get(counts, (size_t)k));
		int64_t got = json_integer_value(json_object_get(o, "n"));
		if (got != want)
			fail_msg("cell %d (%s): %lld stories, the grid counts %lld", k, cond.data,
			         (long long)got, (long long)want);
		total += got;
		json_decref(o);
	}
	assert_int_equal(total, json_integer_value(json_object_get(all, "n")));
	json_decref(all);
	all = run(c, "stenen", NULL, 1, 0);
	const json_t *st = json_object_get(all, "stones");
	for (size_t i = 0; i < json_array_size(st); i++) {
		const json_t *s = json_array_get(st, i);
		buf_reset(&cond);
		chart_stone_condition(&cond, "stenen", json_string_value(json_object_get(s, "id")));
		json_t *o = run(c, "stenen", cond.data, 1, 0);
		assert_int_equal(json_integer_value(json_object_get(o, "n")),
		                 json_integer_value(json_object_get(s, "placed")));
		json_decref(o);
	}
	json_decref(all);
	buf_free(&cond);
	aix_release(c);
	aix_free(x);
}

/* The same stories stored in the opposite order give the same documents. */
static void test_order(void **state)
{
	struct fixture *f = *state;
	aix *x = aix_new(f->path);
	struct aix_coll *a = aix_acquire(x, f->org, f->fwd.id);
	assert_non_null(a);
	static const char *const qs[] = {"plek", "stenen"};
	static const int mins[] = {1, 3};
	json_t *docs[2][2];
	for (int i = 0; i < 2; i++)
		for (int m = 0; m < 2; m++)
			docs[i][m] = run(a, qs[i], NULL, mins[m], 0);
	aix_release(a);
	struct aix_coll *b = aix_acquire(x, f->org, f->rev.id);
	assert_non_null(b);
	for (int i = 0; i < 2; i++)
		for (int m = 0; m < 2; m++) {
			json_t *o = run(b, qs[i], NULL, mins[m], 0);
			assert_true(json_equal(o, docs[i][m]));
			json_decref(o);
			json_decref(docs[i][m]);
		}
	aix_release(b);
	aix_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_grid_cell),
	        cmocka_unit_test_setup_teardown(test_pin, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_cell_conditions, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_stones, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_order, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
