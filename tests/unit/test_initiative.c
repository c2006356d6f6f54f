/* test_initiative.c: citizen initiatives: the status rules, intake with sealed initiators, the first conversation's checklist, the pipeline with its history, who may see one, and the overview with time per status and success factors. */
#include "testutil.h"
#include "testdb.h"
#include "teststory.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/migrate.h"
#include "model/initiative.h"
#include "model/participant.h"
#include "model/trajectory.h"
#include "model/user.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

struct fixture {
	char dir[64], path[96], key[128];
	db *d;
	vault *v;
	int64_t org, anna, bea;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_store_open(f->dir, f->path, &f->d, &f->org, "initiative") ||
	    test_vault_make(f->dir, f->key, &f->v))
		return -1;
	if (user_insert(f->d, f->org, "anna", "Anna", ROLE_GESPREKSVOERDER, "x", 0, &f->anna) !=
	            DB_OK ||
	    user_insert(f->d, f->org, "bea", "Bea", ROLE_GESPREKSVOERDER, "x", 0, &f->bea) != DB_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	clock_reset();
	db_close(f->d);
	vault_free(f->v);
	unlink(f->key);
	test_db_remove(f->dir, f->path);
	free(f);
	return 0;
}

static int64_t initiative(struct fixture *f, const char *title, int64_t traj)
{
	struct initiative_new n = {.org_id = f->org,
	                           .user_id = f->anna,
	                           .trajectory_id = traj,
	                           .title = title,
	                           .idea = "Een moestuin op het braakliggende veldje.",
	                           .neighbourhood = "Molenwijk",
	                           .ask = "Grond en een waterpunt."};
	assert_null(initiative_check(&n));
	assert_int_equal(initiative_create_write(f->d, &n), DB_OK);
	assert_int_equal(n.result, INIT_OK);
	return n.id;
}

static int move(struct fixture *f, int64_t id, const char *to, const char *reason)
{
	struct initiative_move m = {.org_id = f->org,
	                            .initiative_id = id,
	                            .user_id = f->anna,
	                            .to = to,
	                            .reason = reason};
	assert_int_equal(initiative_move_write(f->d, &m), DB_OK);
	return m.result;
}

static int talk(struct fixture *f, int64_t id, const char *on, const char *outcome,
                const char *ticked)
{
	struct initiative_talk t = {.org_id = f->org,
	                            .initiative_id = id,
	                            .user_id = f->anna,
	                            .talk_on = on,
	                            .outcome = outcome,
	                            .roles = "Bewoners doen het tuinwerk.",
	                            .next_steps = "Offerte waterpunt."};
	t.question_id[t.n] = "q-zelf";
	t.done[t.n] = strcmp(ticked, "q-zelf") == 0;
	t.answer[t.n++] = "";
	t.question_id[t.n] = "q-lastig";
	t.done[t.n] = strcmp(ticked, "q-lastig") == 0;
	t.answer[t.n++] = "";
	assert_null(initiative_talk_check(&t));
	assert_int_equal(initiative_talk_write(f->d, &t), DB_OK);
	return t.result;
}

static const char *status(struct fixture *f, int64_t id)
{
	static char out[32];
	db_stmt *s = db_prepare(f->d, "SELECT status FROM initiatives WHERE id = :id");
	db_bind_int(s, "id", id);
	assert_int_equal(db_step(s), DB_ROW);
	snprintf(out, sizeof out, "%s", db_col_text(s, 0));
	db_finalize(s);
	return out;
}

static void test_rules(void **state)
{
	(void)state;
	/* forward one step at a time */
	assert_null(initiative_move_check(INIT_IDEA, INIT_FIRST_CONVERSATION, NULL));
	assert_null(initiative_move_check(INIT_FIRST_CONVERSATION, INIT_COLLABORATION, NULL));
	assert_null(initiative_move_check(INIT_COLLABORATION, INIT_REALISED, NULL));
	assert_non_null(initiative_move_check(INIT_IDEA, INIT_REALISED, NULL));
	assert_non_null(initiative_move_check(INIT_COLLABORATION, INIT_IDEA, NULL));
	assert_non_null(initiative_move_check(INIT_IDEA, INIT_IDEA, NULL));
	/* stopped needs a reason, from any status before the end */
	assert_non_null(initiative_move_check(INIT_IDEA, INIT_STOPPED, NULL));
	assert_non_null(initiative_move_check(INIT_IDEA, INIT_STOPPED, "  "));
	assert_null(initiative_move_check(INIT_IDEA, INIT_STOPPED,
	                                  "De initiatiefnemers "
	                                  "verhuizen."));
	assert_null(initiative_move_check(INIT_COLLABORATION, INIT_STOPPED, "Geen grond."));
	/* the end is the end */
	assert_non_null(initiative_move_check(INIT_REALISED, INIT_STOPPED, "x"));
	assert_non_null(initiative_move_check(INIT_STOPPED, INIT_IDEA, NULL));
	assert_non_null(initiative_move_check(INIT_IDEA, -1, NULL));
	/* names */
	assert_int_equal(initiative_status_parse("first_conversation"), INIT_FIRST_CONVERSATION);
	assert_int_equal(initiative_status_parse("done"), -1);
	/* intake checks */
	struct initiative_new n = {.title = "Moestuin", .idea = " "};
	assert_non_null(initiative_check(&n));
	n.idea = "Een moestuin.";
	n.title = "Moes\ntuin";
	assert_non_null(initiative_check(&n));
	n.title = "Moestuin";
	assert_null(initiative_check(&n));
	/* an initiator needs a name and a way to reach them */
	struct initiative_person_new p = {.name = "Wim"};
	assert_non_null(initiative_person_check(&p));
	p.email = "wim@example.org";
	assert_null(initiative_person_check(&p));
	/* the checklist is the template's */
	json_t *list = initiative_checklist_json();
	assert_non_null(list);
	assert_true(json_array_size(list) >= 10);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "id")),
	                    "q-verhaal");
	json_decref(list);
	struct initiative_talk t = {.n = 1, .question_id = {"q-bestaat-niet"}};
	assert_non_null(initiative_talk_check(&t));
	t.question_id[0] = "q-zelf";
	t.talk_on = "2026-02-30";
	assert_non_null(initiative_talk_check(&t));
	t.talk_on = "2026-02-27";
	assert_null(initiative_talk_check(&t));
}

static void test_pipeline(void **state)
{
	struct fixture *f = *state;
	int64_t id = initiative(f, "Moestuin Molenwijk", 0);
	assert_string_equal(status(f, id), "idea");
	/* initiators, sealed */
	struct initiative_person_new p = {.v = f->v,
	                                  .org_id = f->org,
	                                  .initiative_id = id,
	                                  .name = "Wim Tuin",
	                                  .email = "wim@example.org"};
	assert_int_equal(initiative_person_write(f->d, &p), DB_OK);
	assert_int_equal(p.result, INIT_OK);
	assert_true(p.id > 0);
	assert_non_null(strstr(p.code, "VP-"));
	/* collaboration needs the first conversation's outcome */
	assert_int_equal(move(f, id, "first_conversation", NULL), INIT_OK);
	assert_int_equal(move(f, id, "collaboration", NULL), INIT_NO_OUTCOME);
	assert_int_equal(
	        talk(f, id, "2026-03-01", "Zij doen het werk, wij regelen de grond.", "q-zelf"),
	        INIT_OK);
	assert_int_equal(move(f, id, "collaboration", NULL), INIT_OK);
	/* skipping and going back are refused, stopped without reason too */
	assert_int_equal(move(f, id, "idea", NULL), INIT_BAD_MOVE);
	assert_int_equal(move(f, id, "stopped", ""), INIT_BAD_MOVE);
	assert_int_equal(move(f, id, "realised", NULL), INIT_OK);
	assert_int_equal(move(f, id, "stopped", "Toch niet"), INIT_BAD_MOVE);
	assert_int_equal(talk(f, id, "", "x", "q-zelf"), INIT_FINISHED);
	assert_string_equal(status(f, id), "realised");

	json_t *o = NULL;
	assert_int_equal(initiative_get_json(f->d, f->v, f->org, id, &o), DB_ROW);
	assert_string_equal(json_string_value(json_object_get(o, "contact_name")), "Anna");
	json_t *people = json_object_get(o, "people");
	assert_int_equal(json_array_size(people), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(people, 0), "email")),
	                    "wim@example.org");
	json_t *history = json_object_get(o, "history");
	assert_int_equal(json_array_size(history), 4); /* idea, first, collaboration, realised */
	assert_true(json_is_true(json_object_get(
	        json_object_get(json_object_get(o, "checklist"), "q-zelf"), "done")));
	json_decref(o);
	/* the initiator's export (a request under the GDPR) names the initiative */
	db_stmt *ps =
	        db_prepare(f->d, "SELECT participant_id FROM initiative_people WHERE id = :p");
	db_bind_int(ps, "p", p.id);
	assert_int_equal(db_step(ps), DB_ROW);
	int64_t participant = db_col_int(ps, 0);
	db_finalize(ps);
	buf ex;
	buf_init(&ex);
	assert_int_equal(participant_export_json(f->d, f->v, participant, &ex), DB_OK);
	assert_non_null(strstr(ex.data, "\"initiatives\":[{\"initiative\":\"Moestuin Molenwijk\""));
	buf_free(&ex);
	/* another organisation's id: not found */
	assert_int_equal(initiative_get_json(f->d, f->v, f->org + 1, id, &o), DB_DONE);

	/* the talk moves an idea to its first conversation */
	int64_t other = initiative(f, "Buurtbieb", 0);
	assert_int_equal(talk(f, other, "", "", "q-lastig"), INIT_OK);
	assert_string_equal(status(f, other), "idea"); /* only prepared */
	assert_int_equal(talk(f, other, "2026-03-02", "", "q-lastig"), INIT_OK);
	assert_string_equal(status(f, other), "first_conversation");
	assert_int_equal(move(f, other, "stopped", "De bieb komt er al via de school."), INIT_OK);
	db_stmt *s = db_prepare(f->d, "SELECT stopped_reason FROM initiatives WHERE id = :id");
	db_bind_int(s, "id", other);
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "De bieb komt er al via de school.");
	db_finalize(s);

	/* the overview: counts, time per status, what realised and stopped had */
	clock_advance(10 * 86400);
	json_t *ov = NULL;
	assert_int_equal(initiative_overview_json(f->d, f->org, 0, clock_now(), &ov), DB_OK);
	json_t *counts = json_object_get(ov, "counts");
	assert_int_equal(json_integer_value(json_object_get(counts, "realised")), 1);
	assert_int_equal(json_integer_value(json_object_get(counts, "stopped")), 1);
	assert_int_equal(json_integer_value(json_object_get(counts, "idea")), 0);
	json_t *stopped_time = json_object_get(json_object_get(ov, "time"), "stopped");
	assert_int_equal(json_integer_value(json_object_get(stopped_time, "periods")), 1);
	assert_true(json_real_value(json_object_get(stopped_time, "days")) >= 9.9);
	size_t i;
	json_t *fct;
	int seen = 0;
	json_array_foreach(json_object_get(ov, "factors"), i, fct)
	{
		const char *q = json_string_value(json_object_get(fct, "id"));
		long long real = json_integer_value(json_object_get(fct, "realised")),
		          stop = json_integer_value(json_object_get(fct, "stopped"));
		assert_int_equal(json_integer_value(json_object_get(fct, "realised_of")), 1);
		assert_int_equal(json_integer_value(json_object_get(fct, "stopped_of")), 1);
		if (strcmp(q, "q-zelf") == 0) {
			assert_int_equal(real, 1);
			assert_int_equal(stop, 0);
			seen++;
		} else if (strcmp(q, "q-lastig") == 0) {
			assert_int_equal(real, 0);
			assert_int_equal(stop, 1);
			seen++;
		} else {
			assert_int_equal(real + stop, 0);
		}
	}
	assert_int_equal(seen, 2);
	json_decref(ov);
	clock_reset();
}

static void test_access(void **state)
{
	struct fixture *f = *state;
	/* a trajectory of anna's; bea is not on it */
	struct trajectory_new t = {.org_id = f->org, .user_id = f->anna, .f = {.title = "Groen"}};
	assert_int_equal(trajectory_create_write(f->d, &t), DB_OK);
	int64_t in = initiative(f, "Geveltuinen", t.id), out = initiative(f, "Bankje", 0);
	struct user anna, bea;
	assert_int_equal(user_by_id(f->d, f->anna, &anna), DB_ROW);
	assert_int_equal(user_by_id(f->d, f->bea, &bea), DB_ROW);
	assert_int_equal(initiative_user_may(f->d, f->org, &anna, in), 1);
	assert_int_equal(initiative_user_may(f->d, f->org, &bea, in), 0);
	assert_int_equal(initiative_user_may(f->d, f->org, &bea, out), 1);
	assert_int_equal(initiative_user_may(f->d, f->org, &bea, 999999), 0);
	/* and the list follows */
	json_t *list = NULL;
	assert_int_equal(initiative_list_json(f->d, f->org, trajectory_viewer(&bea), &list), DB_OK);
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o)
	        assert_int_not_equal(json_integer_value(json_object_get(o, "id")), in);
	json_decref(list);
	/* a trajectory of another organisation is refused at intake */
	struct initiative_new n = {.org_id = f->org + 1,
	                           .user_id = f->anna,
	                           .trajectory_id = t.id,
	                           .title = "Elders",
	                           .idea = "Iets"};
	assert_int_equal(initiative_create_write(f->d, &n), DB_OK);
	assert_int_equal(n.result, INIT_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rules),
	        cmocka_unit_test(test_pipeline),
	        cmocka_unit_test(test_access),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
