/* test_method.c: unit tests of the catalogue of methods: the seeded six, validation, saving, and migrations that never overwrite an edit. */
#include "testutil.h"
#include "testdb.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/method.h"
#include "model/script.h"
#include "model/user.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
	char dir[64];
	char path[96];
	db *d;
	arena *a;
	int64_t user;
};

static int setup(void **state)
{
	log_set_enabled(0);
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_db_make(f->dir, f->path, "method"))
		return -1;
	char err[256] = "";
	f->d = db_open(f->path, err, sizeof err);
	if (!f->d || migrate_apply(f->d, NULL, err, sizeof err) != 0) {
		print_error("setup: %s\n", err);
		return -1;
	}
	int64_t org;
	if (org_ensure(f->d, "Gemeente Test", &org) != DB_OK ||
	    user_insert(f->d, org, "bea", "Bea Beheer", ROLE_BEHEERDER, "fake-hash", 0, &f->user) !=
	            DB_OK)
		return -1;
	f->a = arena_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->a);
	db_close(f->d);
	test_db_remove(f->dir, f->path);
	free(f);
	return 0;
}

static const char *const seeded[METHOD_SEEDED_COUNT] = {
        "keukentafelgesprek", "wmo-keukentafelgesprek", "spiegelgesprek",
        "dialoogtafel",       "burgerinitiatief",       "vertelpunt"};

/* A method that passes method_check. */
static struct method valid(arena *a)
{
	struct method m = {0};
	m.slug = "buurtwandeling";
	m.name = (struct method_text){"Buurtwandeling", "Neighbourhood walk"};
	m.goal =
	        (struct method_text){"U loopt samen door de buurt.", "You walk the area together."};
	m.rung = RUNG_RAADPLEGEN;
	m.nsteps = 2;
	m.steps = arena_zalloc(a, 2 * sizeof *m.steps);
	m.steps[0] = (struct method_text){"Spreek een route af.", "Agree on a route."};
	m.steps[1] = (struct method_text){"Loop en luister.", ""};
	return m;
}

static int has_error(const struct method_error *e, int n, const char *field)
{
	for (int i = 0; i < n; i++)
		if (strcmp(e[i].field, field) == 0)
			return 1;
	return 0;
}

/* ---- the seeded six ----------------------------------------------------------- */

static void test_rungs(void **state)
{
	(void)state;
	assert_string_equal(method_rung_name(RUNG_INFORMEREN), "informeren");
	assert_string_equal(method_rung_name(RUNG_ZELFBEHEER), "zelfbeheer");
	assert_null(method_rung_name(RUNG_COUNT));
	assert_null(method_rung_name(-1));
	for (int i = 0; i < RUNG_COUNT; i++)
		assert_int_equal(method_rung_parse(method_rung_name(i)), i);
	assert_int_equal(method_rung_parse("Raadplegen"), -1);
	assert_int_equal(method_rung_parse(NULL), -1);
}

/* Every seeded method is there by its slug, complete in both languages
 * and valid by the model's own rules. */
static void test_seeded(void **state)
{
	struct fixture *f = *state;
	struct method *list;
	size_t n;
	assert_int_equal(method_list(f->d, f->a, &list, &n), DB_OK);
	assert_int_equal(n, METHOD_SEEDED_COUNT);
	for (int i = 0; i < METHOD_SEEDED_COUNT; i++) {
		struct method m;
		assert_int_equal(method_by_slug(f->d, seeded[i], f->a, &m), DB_ROW);
		assert_true(m.builtin);
		assert_true(m.nsteps >= 3);
		assert_true(m.ntips >= 3);
		assert_true(*m.target_group.nl && *m.participants.nl && *m.interaction.nl);
		const char *missing[7];
		assert_int_equal(method_missing_en(&m, missing), 0);
		struct method_error e[METHOD_ERRORS_MAX];
		assert_int_equal(method_check(&m, e, METHOD_ERRORS_MAX), 0);
		struct method again;
		assert_int_equal(method_by_id(f->d, m.id, f->a, &again), DB_ROW);
		assert_string_equal(again.slug, seeded[i]);
	}
	struct method m;
	assert_int_equal(method_by_slug(f->d, "keukentafelgesprek", f->a, &m), DB_ROW);
	assert_int_equal(m.rung, RUNG_RAADPLEGEN); /* the seed says so */
	assert_string_equal(m.name.nl, "Keukentafelgesprek");
	assert_non_null(strstr(m.participants.nl, "2 tot 4"));
	assert_int_equal(method_by_slug(f->d, "dialoogtafel", f->a, &m), DB_ROW);
	assert_int_equal(m.rung, RUNG_MEEBESLISSEN);
	assert_int_equal(method_by_slug(f->d, "bestaat-niet", f->a, &m), DB_DONE);
	assert_int_equal(method_by_id(f->d, 999999, f->a, &m), DB_DONE);
}

/* The seeded Dutch is plain (B1) by the script library's own lint: no
 * sentence over 20 words, no word over 20 letters, no officialese. Each
 * text is put in a script's introduction and linted there. */
static void lint_dutch(const char *what, const char *text)
{
	json_t *doc = json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s}, s:[{s:s, s:[{s:s, s:s, "
	                        "s:{s:s}, s:[{s:s, s:{s:s}}]}]}]}",
	                        "format", "vertelpunt-script/1", "key", "lint", "title", "nl",
	                        "Lint", "introduction", "nl", text, "privacy", "nl",
	                        "Alleen de gemeente leest dit.", "sections", "id", "s", "questions",
	                        "id", "q", "type", "story", "text", "nl", "Vertel", "prompts", "id",
	                        "p", "text", "nl", "Vertel maar");
	assert_non_null(doc);
	char *json = json_dumps(doc, 0);
	json_decref(doc);
	char err[256];
	struct script *s = script_parse_text(json, strlen(json), err, sizeof err);
	free(json);
	if (!s)
		fail_msg("%s: %s", what, err);
	struct lint_result r = {0};
	script_lint(s, &r);
	for (int i = 0; i < r.n; i++)
		if (r.items[i].field && strcmp(r.items[i].field, "introduction.nl") == 0)
			fail_msg("%s: %s (%s): %s", what, r.items[i].msg, r.items[i].detail, text);
	lint_result_free(&r);
	script_free(s);
}

static void test_seeded_plain_dutch(void **state)
{
	struct fixture *f = *state;
	struct method *list;
	size_t n;
	assert_int_equal(method_list(f->d, f->a, &list, &n), DB_OK);
	for (size_t i = 0; i < n; i++) {
		const struct method *m = &list[i];
		lint_dutch(m->slug, m->name.nl);
		lint_dutch(m->slug, m->goal.nl);
		lint_dutch(m->slug, m->target_group.nl);
		lint_dutch(m->slug, m->participants.nl);
		lint_dutch(m->slug, m->interaction.nl);
		for (size_t k = 0; k < m->nsteps; k++)
			lint_dutch(m->slug, m->steps[k].nl);
		for (size_t k = 0; k < m->ntips; k++)
			lint_dutch(m->slug, m->tips[k].nl);
	}
}

/* The tips that the seeds insist on are in the catalogue: scope and what
 * happens with the input, why these people, and feedback afterwards. */
static void test_seeded_says_what_the_seeds_insist_on(void **state)
{
	struct fixture *f = *state;
	struct method m;
	assert_int_equal(method_by_slug(f->d, "keukentafelgesprek", f->a, &m), DB_ROW);
	buf all;
	buf_init(&all);
	for (size_t k = 0; k < m.ntips; k++)
		buf_puts(&all, m.tips[k].nl);
	for (size_t k = 0; k < m.nsteps; k++)
		buf_puts(&all, m.steps[k].nl);
	assert_non_null(strstr(all.data, "waarover mensen kunnen meepraten"));
	assert_non_null(strstr(all.data, "wat u met de inbreng gaat doen"));
	assert_non_null(strstr(all.data, "waarom u deze groep kiest"));
	assert_non_null(strstr(all.data, "Koppel persoonlijk terug"));
	buf_free(&all);
}

/* ---- validation ---------------------------------------------------------------- */

static void test_check_valid(void **state)
{
	struct fixture *f = *state;
	struct method m = valid(f->a);
	struct method_error e[METHOD_ERRORS_MAX];
	assert_int_equal(method_check(&m, e, METHOD_ERRORS_MAX), 0);
	const char *missing[7];
	/* English is optional, and shown as missing: the second step has none. */
	assert_int_equal(method_missing_en(&m, missing), 1);
	assert_string_equal(missing[0], "steps");
}

static void test_check_required(void **state)
{
	struct fixture *f = *state;
	struct method m = {0};
	m.rung = -1;
	struct method_error e[METHOD_ERRORS_MAX];
	int n = method_check(&m, e, METHOD_ERRORS_MAX);
	assert_int_equal(n, 4);
	assert_true(has_error(e, n, "name_nl"));
	assert_true(has_error(e, n, "goal_nl"));
	assert_true(has_error(e, n, "rung"));
	assert_true(has_error(e, n, "step_nl_1"));
	/* English alone does not make a Dutch name. */
	m = valid(f->a);
	m.name = (struct method_text){"", "Walk"};
	n = method_check(&m, e, METHOD_ERRORS_MAX);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].field, "name_nl");
	assert_string_equal(e[0].msg,
	                    "Give the method a Dutch name of at most 120 characters on one line.");
	m = valid(f->a);
	m.rung = RUNG_COUNT;
	assert_int_equal(method_check(&m, e, METHOD_ERRORS_MAX), 1);
	assert_string_equal(e[0].field, "rung");
}

static void test_check_lengths(void **state)
{
	struct fixture *f = *state;
	struct method_error e[METHOD_ERRORS_MAX];
	char name[600];
	memset(name, 'a', 121);
	name[121] = 0;
	struct method m = valid(f->a);
	m.name.nl = name;
	assert_int_equal(method_check(&m, e, METHOD_ERRORS_MAX), 1);
	assert_string_equal(e[0].field, "name_nl");
	/* 120 characters of two bytes each are fine. */
	for (int i = 0; i < 120; i++)
		memcpy(name + 2 * i, "\xc3\xab", 2);
	name[240] = 0;
	assert_int_equal(method_check(&m, e, METHOD_ERRORS_MAX), 0);
	m.name.nl = "Twee\nregels";
	assert_int_equal(method_check(&m, e, METHOD_ERRORS_MAX), 1);
	m = valid(f->a);
	m.participants.en = "two\tto four";
	assert_int_equal(method_check(&m, e, METHOD_ERRORS_MAX), 1);
	assert_string_equal(e[0].field, "participants_en");
	/* Bytes that are no UTF-8 text. */
	m = valid(f->a);
	m.goal.nl = "Goed \xff fout";
	assert_int_equal(method_check(&m, e, METHOD_ERRORS_MAX), 1);
	assert_string_equal(e[0].field, "goal_nl");
	char *goal = arena_zalloc(f->a, 2002);
	memset(goal, 'x', 2001);
	m = valid(f->a);
	m.goal.en = goal;
	assert_int_equal(method_check(&m, e, METHOD_ERRORS_MAX), 1);
	assert_string_equal(e[0].field, "goal_en");
	char *step = arena_zalloc(f->a, 1002);
	memset(step, 'x', 1001);
	m = valid(f->a);
	m.steps[1].nl = step;
	assert_int_equal(method_check(&m, e, METHOD_ERRORS_MAX), 1);
	assert_string_equal(e[0].field, "step_nl_2");
}

/* The form sends empty rows: prepare drops them and trims; a row with
 * English only stays and is refused with its own field. */
static void test_prepare_and_steps(void **state)
{
	struct fixture *f = *state;
	struct method m = valid(f->a);
	m.name.nl = "  Buurtwandeling \r\n";
	m.nsteps = 4;
	m.steps = arena_zalloc(f->a, 4 * sizeof *m.steps);
	m.steps[0] = (struct method_text){" ", ""};
	m.steps[1] = (struct method_text){"Eerst dit. ", " First this."};
	m.steps[2] = (struct method_text){NULL, NULL};
	m.steps[3] = (struct method_text){"", "English only"};
	m.ntips = 1;
	m.tips = arena_zalloc(f->a, sizeof *m.tips);
	m.tips[0] = (struct method_text){"", ""};
	method_prepare(&m, f->a);
	assert_string_equal(m.name.nl, "Buurtwandeling");
	assert_int_equal(m.nsteps, 2);
	assert_string_equal(m.steps[0].nl, "Eerst dit.");
	assert_string_equal(m.steps[0].en, "First this.");
	assert_int_equal(m.ntips, 0);
	struct method_error e[METHOD_ERRORS_MAX];
	assert_int_equal(method_check(&m, e, METHOD_ERRORS_MAX), 1);
	assert_string_equal(e[0].field, "step_nl_2");
	assert_string_equal(e[0].msg, "Every step needs a Dutch text.");
	/* Only empty rows: no step plan at all. */
	m = valid(f->a);
	m.steps[0] = (struct method_text){"", ""};
	m.steps[1] = (struct method_text){" ", "\n"};
	method_prepare(&m, f->a);
	assert_int_equal(method_check(&m, e, METHOD_ERRORS_MAX), 1);
	assert_string_equal(e[0].field, "step_nl_1");
	assert_string_equal(e[0].msg, "Give at least one step of the step plan, in Dutch.");
	/* 21 steps are too many. */
	m = valid(f->a);
	m.nsteps = 21;
	m.steps = arena_zalloc(f->a, 21 * sizeof *m.steps);
	for (int i = 0; i < 21; i++)
		m.steps[i] = (struct method_text){"Stap.", ""};
	assert_int_equal(method_check(&m, e, METHOD_ERRORS_MAX), 1);
	assert_string_equal(e[0].msg, "A step plan has at most 20 steps.");
}

/* ---- saving -------------------------------------------------------------------- */

static void test_insert_and_update(void **state)
{
	struct fixture *f = *state;
	struct method m = valid(f->a);
	struct method_save j = {.user_id = f->user, .m = &m};
	assert_int_equal(method_save_write(f->d, &j), DB_OK);
	assert_int_equal(j.result, METHOD_OK);
	assert_true(j.saved_id > 0);
	struct method got;
	assert_int_equal(method_by_id(f->d, j.saved_id, f->a, &got), DB_ROW);
	assert_string_equal(got.slug, "buurtwandeling");
	assert_false(got.builtin);
	assert_int_equal(got.nsteps, 2);
	assert_string_equal(got.steps[1].nl, "Loop en luister.");
	assert_string_equal(got.steps[1].en, "");
	assert_int_equal(got.updated_by, f->user);
	assert_string_equal(got.updated_by_name, "Bea Beheer");
	/* The same name again gets a slug of its own. */
	struct method_save j2 = {.user_id = f->user, .m = &m};
	assert_int_equal(method_save_write(f->d, &j2), DB_OK);
	assert_int_equal(method_by_id(f->d, j2.saved_id, f->a, &got), DB_ROW);
	assert_string_equal(got.slug, "buurtwandeling-2");
	/* A slug that cannot be one becomes "werkvorm". */
	m.slug = "Geen <slug>";
	struct method_save j3 = {.m = &m};
	assert_int_equal(method_save_write(f->d, &j3), DB_OK);
	assert_int_equal(method_by_id(f->d, j3.saved_id, f->a, &got), DB_ROW);
	assert_string_equal(got.slug, "werkvorm");
	assert_int_equal(got.updated_by, 0);
	/* An update changes the texts, never the slug. */
	m = valid(f->a);
	m.slug = "iets-anders";
	m.name.nl = "Wandeling door de wijk";
	m.rung = RUNG_ADVISEREN;
	struct method_save u = {.id = j.saved_id, .user_id = f->user, .m = &m};
	assert_int_equal(method_save_write(f->d, &u), DB_OK);
	assert_int_equal(u.result, METHOD_OK);
	assert_int_equal(method_by_id(f->d, j.saved_id, f->a, &got), DB_ROW);
	assert_string_equal(got.slug, "buurtwandeling");
	assert_string_equal(got.name.nl, "Wandeling door de wijk");
	assert_int_equal(got.rung, RUNG_ADVISEREN);
	/* No such method. */
	struct method_save none = {.id = 999999, .m = &m};
	assert_int_equal(method_save_write(f->d, &none), DB_OK);
	assert_int_equal(none.result, METHOD_NOT_FOUND);
}

/* An administrator's edit of a seeded method survives every later run of
 * the migrations: the seed is never put back over it. */
static void test_seed_never_overwrites_an_edit(void **state)
{
	struct fixture *f = *state;
	struct method m;
	assert_int_equal(method_by_slug(f->d, "spiegelgesprek", f->a, &m), DB_ROW);
	int64_t id = m.id;
	m.goal.nl = "Ons eigen doel.";
	m.nsteps = 1;
	struct method_save u = {.id = id, .user_id = f->user, .m = &m};
	assert_int_equal(method_save_write(f->d, &u), DB_OK);
	char err[256];
	buf applied;
	buf_init(&applied);
	assert_int_equal(migrate_apply(f->d, &applied, err, sizeof err), 0);
	assert_string_equal(applied.data, "[]");
	buf_free(&applied);
	/* And on a second connection, as at the next start. */
	db *d2 = db_open(f->path, err, sizeof err);
	assert_non_null(d2);
	assert_int_equal(migrate_apply(d2, NULL, err, sizeof err), 0);
	struct method got;
	assert_int_equal(method_by_slug(d2, "spiegelgesprek", f->a, &got), DB_ROW);
	assert_int_equal(got.id, id);
	assert_string_equal(got.goal.nl, "Ons eigen doel.");
	assert_int_equal(got.nsteps, 1);
	assert_true(got.builtin);
	struct method *list;
	size_t n;
	assert_int_equal(method_list(d2, f->a, &list, &n), DB_OK);
	assert_int_equal(n, METHOD_SEEDED_COUNT);
	db_close(d2);
}

/* The database refuses what the model would: a rung outside the ladder,
 * an empty Dutch name, a second method with the same slug. */
static void test_table_constraints(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->d, "UPDATE methods SET rung = 'praten' WHERE id = 1"),
	                 DB_CONSTRAINT);
	assert_int_equal(db_exec(f->d, "UPDATE methods SET name_nl = '' WHERE id = 1"),
	                 DB_CONSTRAINT);
	assert_int_equal(db_exec(f->d, "UPDATE methods SET slug = 'vertelpunt' WHERE id = 1"),
	                 DB_CONSTRAINT);
}

static void test_json(void **state)
{
	struct fixture *f = *state;
	buf b;
	buf_init(&b);
	assert_int_equal(method_list_json(f->d, &b), DB_OK);
	json_error_t je;
	json_t *arr = json_loads(b.data, 0, &je);
	assert_non_null(arr);
	assert_int_equal(json_array_size(arr), METHOD_SEEDED_COUNT);
	size_t i;
	json_t *o;
	int found = 0;
	json_array_foreach(arr, i, o)
	{
		if (strcmp(json_string_value(json_object_get(o, "slug")), "keukentafelgesprek"))
			continue;
		found = 1;
		assert_string_equal(json_string_value(json_object_get(o, "rung")), "raadplegen");
		assert_int_equal(json_integer_value(json_object_get(o, "rung_position")), 2);
		json_t *steps = json_object_get(o, "steps");
		assert_true(json_array_size(steps) >= 3);
		assert_non_null(json_string_value(json_object_get(json_array_get(steps, 0), "en")));
		assert_string_equal(
		        json_string_value(json_object_get(json_object_get(o, "name"), "en")),
		        "Kitchen-table conversation");
		assert_true(json_is_true(json_object_get(o, "builtin")));
		assert_true(json_is_null(json_object_get(o, "updated_by")));
		assert_int_equal(json_array_size(json_object_get(o, "missing_en")), 0);
	}
	assert_true(found);
	json_decref(arr);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rungs),
	        cmocka_unit_test_setup_teardown(test_seeded, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_seeded_plain_dutch, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_seeded_says_what_the_seeds_insist_on, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_check_valid, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_check_required, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_check_lengths, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_prepare_and_steps, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_insert_and_update, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_seed_never_overwrites_an_edit, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_table_constraints, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
