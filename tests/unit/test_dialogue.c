/* test_dialogue.c: dialogue tables: the placement at tables (everyone once, capacity, balance better than chance), registration with a waiting list and promotion by cancellation, closing, the mail each step queues, reminders once, speaking turns counted from start and stop. */
#include "testutil.h"
#include "testdb.h"
#include "teststory.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/migrate.h"
#include "model/dialogue.h"
#include "model/dialogue_agreement.h"
#include "model/dialogue_assign.h"
#include "model/dialogue_mail.h"
#include "model/participant.h"
#include "model/purge.h"
#include "model/trajectory.h"
#include "model/user.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the placement (pure) ------------------------------------------------ */

/* The fixture of the issue: 40 people, 4 districts x 4 age bands, drawn
 * unevenly (two districts and the older bands are larger), listed in
 * district order so a placement by order would be badly skewed. */
static void fixture_people(int traits[80])
{
	static const int district_of[40] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	                                    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2,
	                                    2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3};
	for (int i = 0; i < 40; i++) {
		traits[i * 2] = district_of[i];
		traits[i * 2 + 1] = (i * 7 + i / 5) % 4; /* age bands, mixed differently */
	}
}

static void test_assign_everyone_once_within_capacity(void **state)
{
	int traits[80];
	fixture_people(traits);
	struct dialogue_people p = {.n = 40, .k = 2, .traits = traits};
	int caps[4] = {10, 10, 10, 10};
	int table[40];
	assert_int_equal(dialogue_assign(&p, 4, caps, 42, table), 0);
	int size[4] = {0};
	for (int i = 0; i < 40; i++) {
		assert_in_range(table[i], 0, 3);
		size[table[i]]++;
	}
	for (int t = 0; t < 4; t++)
		assert_int_equal(size[t], 10);
	/* uneven capacities are respected too */
	int caps2[4] = {4, 20, 6, 12};
	assert_int_equal(dialogue_assign(&p, 4, caps2, 7, table), 0);
	memset(size, 0, sizeof size);
	for (int i = 0; i < 40; i++)
		size[table[i]]++;
	for (int t = 0; t < 4; t++)
		assert_true(size[t] <= caps2[t]);
	/* too little room: refused, nothing placed */
	int small[4] = {9, 9, 9, 9};
	for (int i = 0; i < 40; i++)
		table[i] = -7;
	assert_int_equal(dialogue_assign(&p, 4, small, 1, table), -1);
	assert_int_equal(table[0], -7);
	/* a category out of range is refused */
	traits[5] = DIALOGUE_CATEGORIES_MAX;
	assert_int_equal(dialogue_assign(&p, 4, caps, 1, table), -1);
}

static void test_assign_deterministic(void **state)
{
	int traits[80];
	fixture_people(traits);
	struct dialogue_people p = {.n = 40, .k = 2, .traits = traits};
	int caps[4] = {10, 10, 10, 10};
	int a[40], b[40];
	assert_int_equal(dialogue_assign(&p, 4, caps, 99, a), 0);
	assert_int_equal(dialogue_assign(&p, 4, caps, 99, b), 0);
	assert_memory_equal(a, b, sizeof a);
}

/* The balance is measurably better than chance: lower than every one of
 * 200 random placements of the same sizes, and under a quarter of their
 * mean. */
static void test_assign_better_than_random(void **state)
{
	int traits[80];
	fixture_people(traits);
	struct dialogue_people p = {.n = 40, .k = 2, .traits = traits};
	int caps[4] = {10, 10, 10, 10};
	int table[40];
	assert_int_equal(dialogue_assign(&p, 4, caps, 5, table), 0);
	double ours = dialogue_imbalance(&p, 4, table, NULL);
	double per[4];
	double sum = dialogue_imbalance(&p, 4, table, per);
	assert_true(fabs(per[0] + per[1] + per[2] + per[3] - sum) < 1e-9);
	/* by order: 10 to a table as listed */
	int by_order[40];
	for (int i = 0; i < 40; i++)
		by_order[i] = i / 10;
	double ordered = dialogue_imbalance(&p, 4, by_order, NULL);
	assert_true(ours < ordered / 4);
	srand(12345);
	double mean = 0, best_random = 1e9;
	for (int run = 0; run < 200; run++) {
		int r[40];
		for (int i = 0; i < 40; i++)
			r[i] = i / 10;
		for (int i = 39; i > 0; i--) {
			int j = rand() % (i + 1), tmp = r[i];
			r[i] = r[j];
			r[j] = tmp;
		}
		double x = dialogue_imbalance(&p, 4, r, NULL);
		mean += x / 200;
		if (x < best_random)
			best_random = x;
	}
	print_message("imbalance: ours %.2f, by order %.2f, random mean %.2f, best of 200 %.2f\n",
	              ours, ordered, mean, best_random);
	assert_true(ours < best_random);
	assert_true(ours < mean / 4);
}

static void test_imbalance_perfect(void **state)
{
	/* two districts, two tables, one of each per table: 0 */
	int traits[4] = {0, 1, 0, 1};
	struct dialogue_people p = {.n = 4, .k = 1, .traits = traits};
	int table[4] = {0, 0, 1, 1};
	assert_true(dialogue_imbalance(&p, 2, table, NULL) < 1e-12);
	int skew[4] = {0, 1, 0, 1};
	/* each table has 2 of one district, 0 of the other: 4 cells off by 1 */
	assert_true(fabs(dialogue_imbalance(&p, 2, skew, NULL) - 4.0) < 1e-12);
}

/* ---- the model with a database -------------------------------------------- */

struct fixture {
	char dir[64], path[96], key[128];
	db *d;
	vault *v;
	int64_t org, anna, bea, carl, traj;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_store_open(f->dir, f->path, &f->d, &f->org, "dialogue") ||
	    test_vault_make(f->dir, f->key, &f->v))
		return -1;
	if (user_insert(f->d, f->org, "anna", "Anna", ROLE_GESPREKSVOERDER, "x", 0, &f->anna) !=
	            DB_OK ||
	    user_insert(f->d, f->org, "bea", "Bea", ROLE_PROCESBEGELEIDER, "x", 0, &f->bea) !=
	            DB_OK ||
	    user_insert(f->d, f->org, "carl", "Carl", ROLE_PROCESBEGELEIDER, "x", 0, &f->carl) !=
	            DB_OK)
		return -1;
	struct trajectory_new t = {
	        .org_id = f->org,
	        .user_id = f->anna,
	        .f = {.title = "Afspraken over meedoen", .contact_route = "Bel 14 020."}};
	if (trajectory_create_write(f->d, &t) != DB_OK)
		return -1;
	f->traj = t.id;
	struct trajectory_staff_change sc = {
	        .org_id = f->org, .id = t.id, .user_id = f->bea, .add = 1};
	if (trajectory_staff_write(f->d, &sc) != DB_OK || !sc.found)
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

static long long count(struct fixture *f, db_stmt *s)
{
	assert_int_equal(db_step(s), DB_ROW);
	long long n = db_col_int(s, 0);
	db_finalize(s);
	return n;
}

static int64_t session(struct fixture *f, const char *title, int capacity, int64_t closes_in)
{
	int64_t now = clock_now();
	struct dialogue_session_new s = {.trajectory_id = f->traj,
	                                 .user_id = f->anna,
	                                 .title = title,
	                                 .starts_at = now + 7 * 86400,
	                                 .minutes = 120,
	                                 .online_url = "https://meet.example/tafel",
	                                 .closes_at = now + closes_in,
	                                 .capacity = capacity};
	assert_null(dialogue_session_check(&s, now));
	assert_int_equal(dialogue_session_create_write(f->d, &s), DB_OK);
	assert_true(s.id > 0);
	return s.id;
}

static struct dialogue_registration_new reg(struct fixture *f, int64_t sid, const char *name,
                                            const char *email, const char *district,
                                            const char *age)
{
	struct dialogue_registration_new g = {.v = f->v,
	                                      .trajectory_id = f->traj,
	                                      .session_id = sid,
	                                      .name = name,
	                                      .email = email,
	                                      .contribution = "Ervaring met de buurtraad",
	                                      .district = district,
	                                      .age_band = age,
	                                      .now = clock_now()};
	assert_null(dialogue_registration_check(&g));
	assert_int_equal(dialogue_register_write(f->d, &g), DB_OK);
	return g;
}

static void test_session_checks(void **state)
{
	struct fixture *f = *state;
	int64_t now = clock_now();
	struct dialogue_session_new s = {.trajectory_id = f->traj,
	                                 .title = "Eerste gesprek",
	                                 .starts_at = now + 86400,
	                                 .minutes = 120,
	                                 .place = "Stadhuis, zaal 2",
	                                 .closes_at = now + 3600,
	                                 .capacity = 40};
	assert_null(dialogue_session_check(&s, now));
	s.starts_at = now - 1;
	assert_non_null(dialogue_session_check(&s, now));
	s.starts_at = now + 86400;
	s.closes_at = now + 2 * 86400; /* closes after the start */
	assert_non_null(dialogue_session_check(&s, now));
	s.closes_at = now + 3600;
	s.place = "";
	assert_non_null(dialogue_session_check(&s, now)); /* neither place nor link */
	s.online_url = "javascript:alert(1)";
	assert_non_null(dialogue_session_check(&s, now));
	s.online_url = "https://meet.example/x";
	assert_null(dialogue_session_check(&s, now));
	s.capacity = 0;
	assert_non_null(dialogue_session_check(&s, now));
	/* a new session gets the four roles of government */
	int64_t sid = session(f, "Met tafels", 40, 86400);
	json_t *all = NULL;
	assert_int_equal(dialogue_sessions_json(f->d, f->traj, &all), DB_OK);
	json_t *one = NULL;
	size_t i;
	json_t *o;
	json_array_foreach(all, i, o) if (json_integer_value(json_object_get(o, "id")) == sid) one =
	        o;
	assert_non_null(one);
	json_t *tables = json_object_get(one, "tables");
	assert_int_equal(json_array_size(tables), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(tables, 3), "name")),
	                    "Participerende overheid");
	json_decref(all);
}

static void test_waiting_list_and_promotion(void **state)
{
	struct fixture *f = *state;
	int64_t sid = session(f, "Klein gesprek", 2, 86400);
	struct conversation_mail m = {.v = f->v, .base_url = "", .organizer = "org@example.org"};
	struct dialogue_registration_new a =
	        reg(f, sid, "Ada", "ada@example.org", "Noord", "30-44");
	struct dialogue_registration_new b = reg(f, sid, "Bob", "bob@example.org", "Zuid", "65-79");
	struct dialogue_registration_new c = reg(f, sid, "Cas", "cas@example.org", "Oost", "18-29");
	struct dialogue_registration_new e = reg(f, sid, "Eva", "eva@example.org", "Oost", "18-29");
	assert_int_equal(a.result, DIALOGUE_OK);
	assert_false(a.waiting);
	assert_false(b.waiting);
	assert_true(c.waiting);
	assert_int_equal(c.wait_position, 1);
	assert_true(e.waiting);
	assert_int_equal(e.wait_position, 2);
	int queued = 0;
	assert_int_equal(dialogue_mail_registration(f->d, &m, a.id, &queued), DB_OK);
	assert_int_equal(dialogue_mail_registration(f->d, &m, c.id, &queued), DB_OK);
	assert_int_equal(dialogue_mail_registration(f->d, &m, a.id, &queued), DB_OK); /* again */
	assert_int_equal(queued, 2);
	/* the confirmation carries the calendar invitation, the waiting one not */
	db_stmt *s =
	        db_prepare(f->d, "SELECT count(*) FROM outbox WHERE ref_kind = "
	                         "'dialogue_registration' AND ref_id = :r AND has_calendar = 1");
	db_bind_int(s, "r", a.id);
	assert_int_equal(count(f, s), 1);
	s = db_prepare(f->d, "SELECT count(*) FROM outbox WHERE ref_kind = "
	                     "'dialogue_registration' AND ref_id = :r AND has_calendar = 1");
	db_bind_int(s, "r", c.id);
	assert_int_equal(count(f, s), 0);

	/* someone waiting leaves: no place freed, nobody promoted */
	struct dialogue_cancel x = {.trajectory_id = f->traj, .registration_id = e.id};
	assert_int_equal(dialogue_cancel_write(f->d, &x), DB_OK);
	assert_int_equal(x.result, DIALOGUE_OK);
	assert_int_equal(x.promoted_id, 0);
	/* Bob cancels: Cas, first on the list, gets the place */
	struct dialogue_cancel y = {.trajectory_id = f->traj, .registration_id = b.id};
	assert_int_equal(dialogue_cancel_write(f->d, &y), DB_OK);
	assert_int_equal(y.result, DIALOGUE_OK);
	assert_int_equal(y.promoted_id, c.id);
	queued = 0;
	assert_int_equal(dialogue_mail_promoted(f->d, &m, y.promoted_id, &queued), DB_OK);
	assert_int_equal(queued, 1);
	s = db_prepare(f->d,
	               "SELECT count(*) FROM dialogue_registrations WHERE session_id = :s AND "
	               "status = 'registered'");
	db_bind_int(s, "s", sid);
	assert_int_equal(count(f, s), 2);
	/* cancelling twice is refused, nothing changes */
	struct dialogue_cancel z = {.trajectory_id = f->traj, .registration_id = b.id};
	assert_int_equal(dialogue_cancel_write(f->d, &z), DB_OK);
	assert_int_equal(z.result, DIALOGUE_CANCELLED);
	/* the data-subject export of Ada lists her registration */
	buf ex;
	buf_init(&ex);
	assert_int_equal(participant_export_json(f->d, f->v, a.participant_id, &ex), DB_OK);
	assert_non_null(strstr(ex.data, "\"dialogue_registrations\":[{"));
	assert_non_null(strstr(ex.data, "Ervaring met de buurtraad"));
	buf_free(&ex);
	/* a registration of another trajectory is not found */
	struct dialogue_cancel w = {.trajectory_id = f->traj + 100, .registration_id = a.id};
	assert_int_equal(dialogue_cancel_write(f->d, &w), DB_OK);
	assert_int_equal(w.result, DIALOGUE_NOT_FOUND);
}

static void test_registration_closed(void **state)
{
	struct fixture *f = *state;
	int64_t sid = session(f, "Bijna dicht", 10, 3600);
	clock_advance(3600);
	struct dialogue_registration_new g = {.v = f->v,
	                                      .trajectory_id = f->traj,
	                                      .session_id = sid,
	                                      .name = "Laat",
	                                      .email = "laat@example.org",
	                                      .now = clock_now()};
	assert_int_equal(dialogue_register_write(f->d, &g), DB_OK);
	assert_int_equal(g.result, DIALOGUE_CLOSED);
	db_stmt *s = db_prepare(f->d, "SELECT count(*) FROM dialogue_registrations WHERE "
	                              "session_id = :s");
	db_bind_int(s, "s", sid);
	assert_int_equal(count(f, s), 0);
	json_t *open = NULL;
	assert_int_equal(dialogue_open_sessions_json(f->d, f->traj, clock_now(), &open), DB_OK);
	size_t i;
	json_t *o;
	json_array_foreach(open, i, o)
	        assert_int_not_equal(json_integer_value(json_object_get(o, "id")), sid);
	json_decref(open);
	clock_reset();
	/* bad input */
	g.email = "";
	assert_non_null(dialogue_registration_check(&g));
	g.email = "laat@example.org";
	g.age_band = "honderd";
	assert_non_null(dialogue_registration_check(&g));
	g.age_band = "45-64";
	g.name = "";
	assert_non_null(dialogue_registration_check(&g));
}

static void test_support_task(void **state)
{
	struct fixture *f = *state;
	int64_t sid = session(f, "Met hulp", 10, 86400);
	struct dialogue_registration_new g = {.v = f->v,
	                                      .trajectory_id = f->traj,
	                                      .session_id = sid,
	                                      .name = "Hulp",
	                                      .phone = "06 12345678",
	                                      .needs_help = 1,
	                                      .now = clock_now()};
	assert_null(dialogue_registration_check(&g));
	assert_int_equal(dialogue_register_write(f->d, &g), DB_OK);
	/* the task goes to the responsible official (anna) */
	db_stmt *s = db_prepare(f->d, "SELECT support_user_id FROM dialogue_registrations WHERE "
	                              "id = :r");
	db_bind_int(s, "r", g.id);
	assert_int_equal(count(f, s), f->anna);
	struct dialogue_support j = {
	        .trajectory_id = f->traj, .registration_id = g.id, .user_id = f->bea, .done = 1};
	assert_int_equal(dialogue_support_write(f->d, &j), DB_OK);
	assert_int_equal(j.result, DIALOGUE_OK);
	s = db_prepare(f->d, "SELECT support_user_id FROM dialogue_registrations WHERE id = :r AND "
	                     "support_done_at IS NOT NULL");
	db_bind_int(s, "r", g.id);
	assert_int_equal(count(f, s), f->bea);
	/* carl is not on the trajectory */
	j.user_id = f->carl;
	assert_int_equal(dialogue_support_write(f->d, &j), DB_OK);
	assert_int_equal(j.result, DIALOGUE_NOT_FOUND);
}

static void test_place_and_turns(void **state)
{
	struct fixture *f = *state;
	int64_t sid = session(f, "Veertig mensen", 40, 86400);
	static const char *districts[4] = {"Noord", "Zuid", "Oost", "West"};
	static const char *ages[4] = {"18-29", "30-44", "45-64", "65-79"};
	int traits[80];
	fixture_people(traits);
	for (int i = 0; i < 40; i++) {
		char name[32], email[64];
		snprintf(name, sizeof name, "Inwoner %d", i);
		snprintf(email, sizeof email, "inwoner%d@example.org", i);
		reg(f, sid, name, email, districts[traits[i * 2]], ages[traits[i * 2 + 1]]);
	}
	struct dialogue_place_all pa = {.trajectory_id = f->traj, .session_id = sid, .seed = 1};
	assert_int_equal(dialogue_place_all_write(f->d, &pa), DB_OK);
	assert_int_equal(pa.result, DIALOGUE_OK);
	assert_int_equal(pa.placed, 40);
	db_stmt *s = db_prepare(f->d, "SELECT count(*) FROM dialogue_registrations WHERE "
	                              "session_id = :s AND table_id IS NOT NULL");
	db_bind_int(s, "s", sid);
	assert_int_equal(count(f, s), 40);
	s = db_prepare(f->d, "SELECT max(n) FROM (SELECT count(*) AS n FROM dialogue_registrations "
	                     "WHERE session_id = :s GROUP BY table_id) AS per_table");
	db_bind_int(s, "s", sid);
	assert_int_equal(count(f, s), 10);
	json_t *o = NULL;
	assert_int_equal(dialogue_session_json(f->d, f->v, f->traj, sid, &o), DB_ROW);
	assert_true(json_real_value(json_object_get(o, "imbalance")) >= 0);
	assert_true(fabs(json_real_value(json_object_get(o, "imbalance")) - pa.imbalance) < 1e-9);
	json_t *first = json_array_get(json_object_get(o, "registrations"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "name")), "Inwoner 0");
	int64_t t1 = json_integer_value(json_object_get(first, "table_id"));
	int64_t r1 = json_integer_value(json_object_get(first, "id"));
	int64_t other_table = 0;
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(o, "tables"), i, t)
	{
		assert_int_equal(json_integer_value(json_object_get(t, "seated")), 10);
		if (json_integer_value(json_object_get(t, "id")) != t1)
			other_table = json_integer_value(json_object_get(t, "id"));
	}
	json_decref(o);

	/* facilitators: bea at t1; carl is not on the trajectory */
	struct dialogue_facilitator fa = {
	        .trajectory_id = f->traj, .table_id = t1, .user_id = f->bea, .add = 1};
	assert_int_equal(dialogue_facilitator_write(f->d, &fa), DB_OK);
	assert_int_equal(fa.result, DIALOGUE_OK);
	fa.user_id = f->carl;
	assert_int_equal(dialogue_facilitator_write(f->d, &fa), DB_OK);
	assert_int_equal(fa.result, DIALOGUE_NOT_FOUND);
	struct user bea = {.id = f->bea, .role = ROLE_PROCESBEGELEIDER};
	struct user anna = {.id = f->anna, .role = ROLE_GESPREKSVOERDER};
	assert_int_equal(dialogue_user_may_act(f->d, f->traj, t1, &bea), 1);
	assert_int_equal(dialogue_user_may_act(f->d, f->traj, other_table, &bea), 0);
	assert_int_equal(dialogue_user_may_act(f->d, f->traj, other_table, &anna),
	                 1); /* responsible */
	assert_int_equal(dialogue_user_may_act(f->d, f->traj, 999999, &anna), -1);

	/* turns: r1 speaks 30 s, someone else 10 s, r1 again 5 s, stop */
	json_t *tab = NULL;
	assert_int_equal(dialogue_table_json(f->d, f->v, f->traj, t1, clock_now(), &tab), DB_ROW);
	json_t *people = json_object_get(tab, "people");
	assert_int_equal(json_array_size(people), 10);
	int64_t r2 =
	        json_integer_value(json_object_get(json_array_get(people, 1), "registration_id"));
	json_decref(tab);
	int64_t t0 = clock_now();
	struct dialogue_turn tu = {
	        .trajectory_id = f->traj, .table_id = t1, .registration_id = r1, .now = t0};
	assert_int_equal(dialogue_turn_write(f->d, &tu), DB_OK);
	assert_int_equal(tu.result, DIALOGUE_OK);
	tu.now = t0 + 30;
	tu.registration_id = r2;
	assert_int_equal(dialogue_turn_write(f->d, &tu), DB_OK);
	tu.now = t0 + 40;
	tu.registration_id = r1;
	assert_int_equal(dialogue_turn_write(f->d, &tu), DB_OK);
	tu.now = t0 + 42;
	assert_int_equal(dialogue_turn_write(f->d, &tu), DB_OK); /* a second tap: still speaking */
	/* while speaking, the seconds run on (read at t0 + 44) */
	assert_int_equal(dialogue_table_json(f->d, f->v, f->traj, t1, t0 + 44, &tab), DB_ROW);
	assert_int_equal(json_integer_value(json_object_get(tab, "speaking")), r1);
	json_decref(tab);
	tu.now = t0 + 45;
	tu.registration_id = 0;
	assert_int_equal(dialogue_turn_write(f->d, &tu), DB_OK);
	assert_int_equal(dialogue_table_json(f->d, f->v, f->traj, t1, t0 + 100, &tab), DB_ROW);
	assert_int_equal(json_integer_value(json_object_get(tab, "speaking")), 0);
	json_array_foreach(json_object_get(tab, "people"), i, t)
	{
		int64_t rid = json_integer_value(json_object_get(t, "registration_id"));
		if (rid == r1) {
			assert_int_equal(json_integer_value(json_object_get(t, "turns")), 2);
			assert_int_equal(json_integer_value(json_object_get(t, "seconds")), 35);
		} else if (rid == r2) {
			assert_int_equal(json_integer_value(json_object_get(t, "turns")), 1);
			assert_int_equal(json_integer_value(json_object_get(t, "seconds")), 10);
		}
	}
	json_decref(tab);
	/* someone at another table cannot speak at this one */
	struct dialogue_place_all again = pa;
	(void)again;
	db_stmt *q = db_prepare(f->d, "SELECT id FROM dialogue_registrations WHERE table_id = :t "
	                              "LIMIT 1");
	db_bind_int(q, "t", other_table);
	int64_t elsewhere = count(f, q);
	tu.registration_id = elsewhere;
	assert_int_equal(dialogue_turn_write(f->d, &tu), DB_OK);
	assert_int_equal(tu.result, DIALOGUE_NOT_PLACED);
	/* moving by hand */
	struct dialogue_move mv = {
	        .trajectory_id = f->traj, .registration_id = elsewhere, .table_id = t1};
	assert_int_equal(dialogue_move_write(f->d, &mv), DB_OK);
	assert_int_equal(mv.result, DIALOGUE_OK);
	tu.now = t0 + 200;
	assert_int_equal(dialogue_turn_write(f->d, &tu), DB_OK);
	assert_int_equal(tu.result, DIALOGUE_OK);
	/* notes */
	struct dialogue_note n = {.trajectory_id = f->traj,
	                          .table_id = t1,
	                          .user_id = f->bea,
	                          .kind = "proposal",
	                          .body = "De gemeente legt uit wat er met inbreng gebeurt."};
	assert_null(dialogue_note_check(&n));
	assert_int_equal(dialogue_note_write(f->d, &n), DB_OK);
	assert_int_equal(n.result, DIALOGUE_OK);
	n.kind = "gossip";
	assert_non_null(dialogue_note_check(&n));
}

static void test_reminders_once(void **state)
{
	struct fixture *f = *state;
	int64_t sid = session(f, "Herinnering", 10, 86400); /* starts in 7 days */
	struct dialogue_registration_new a = reg(f, sid, "Rik", "rik@example.org", "Noord", "");
	(void)a;
	struct conversation_mail m = {.v = f->v, .base_url = "", .organizer = "org@example.org"};
	int queued = 0;
	assert_int_equal(dialogue_mail_reminders(f->d, &m, clock_now(), &queued), DB_OK);
	db_stmt *s = db_prepare(f->d, "SELECT count(*) FROM outbox WHERE dedup_key LIKE "
	                              "'dialogue:reminder:session:%'");
	long long before = count(f, s);
	/* six days later: due; twice asked, once queued */
	int64_t later = clock_now() + 6 * 86400;
	assert_int_equal(dialogue_mail_reminders(f->d, &m, later, &queued), DB_OK);
	assert_int_equal(dialogue_mail_reminders(f->d, &m, later + 60, &queued), DB_OK);
	s = db_prepare(f->d, "SELECT count(*) FROM outbox WHERE dedup_key LIKE "
	                     "'dialogue:reminder:session:%'");
	assert_true(count(f, s) > before);
	s = db_prepare(f->d, "SELECT count(*) FROM outbox WHERE dedup_key = "
	                     "'dialogue:reminder:session:' || :s || ':registration:' || :r");
	db_bind_int(s, "s", sid);
	db_bind_int(s, "r", a.id);
	assert_int_equal(count(f, s), 1);
}

/* ---- agreements ------------------------------------------------------------ */

static void test_agreement_diff(void **state)
{
	json_t *d = agreement_diff("Een\nTwee\nDrie\nVier", "Een\nTwee anders\nDrie\nVier\nVijf");
	const char *want[][2] = {{"same", "Een"},  {"del", "Twee"},  {"add", "Twee anders"},
	                         {"same", "Drie"}, {"same", "Vier"}, {"add", "Vijf"}};
	assert_int_equal(json_array_size(d), 6);
	for (size_t i = 0; i < 6; i++) {
		json_t *o = json_array_get(d, i);
		assert_string_equal(json_string_value(json_object_get(o, "op")), want[i][0]);
		assert_string_equal(json_string_value(json_object_get(o, "text")), want[i][1]);
	}
	json_decref(d);
	/* from nothing: all added; to nothing: all removed; equal: all kept */
	d = agreement_diff("", "A\nB");
	assert_int_equal(json_array_size(d), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(d, 1), "op")), "add");
	json_decref(d);
	d = agreement_diff("A\nB", NULL);
	assert_string_equal(json_string_value(json_object_get(json_array_get(d, 0), "op")), "del");
	json_decref(d);
	d = agreement_diff("A\nB\nC", "A\nB\nC");
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(d, i), "op")),
		                    "same");
	json_decref(d);
	/* a moved line: one removed, one added, the rest kept */
	d = agreement_diff("A\nB\nC", "B\nC\nA");
	int del = 0, add = 0;
	for (size_t i = 0; i < json_array_size(d); i++) {
		const char *op = json_string_value(json_object_get(json_array_get(d, i), "op"));
		del += strcmp(op, "del") == 0;
		add += strcmp(op, "add") == 0;
	}
	assert_int_equal(del, 1);
	assert_int_equal(add, 1);
	json_decref(d);
}

static void test_agreement_versions(void **state)
{
	struct fixture *f = *state;
	int64_t sid = session(f, "Afspraken maken", 10, 86400);
	json_t *all = NULL;
	assert_int_equal(dialogue_sessions_json(f->d, f->traj, &all), DB_OK);
	int64_t t1 = 0, t2 = 0;
	size_t i;
	json_t *o;
	json_array_foreach(all, i, o) if (json_integer_value(json_object_get(o, "id")) == sid)
	{
		t1 = json_integer_value(
		        json_object_get(json_array_get(json_object_get(o, "tables"), 0), "id"));
		t2 = json_integer_value(
		        json_object_get(json_array_get(json_object_get(o, "tables"), 1), "id"));
	}
	json_decref(all);
	assert_true(t1 > 0 && t2 > 0);
	json_t *none = NULL;
	assert_int_equal(agreement_get_json(f->d, f->traj, 0, &none), DB_DONE);
	/* a status before any version: refused */
	struct agreement_status_set st = {.trajectory_id = f->traj, .status = "presented"};
	assert_null(agreement_status_check(&st));
	assert_int_equal(agreement_status_write(f->d, &st), DB_OK);
	assert_int_equal(st.result, AGREEMENT_NO_SET);

	struct agreement_save a = {.trajectory_id = f->traj, .user_id = f->anna, .base = 0, .n = 2};
	a.text[0] = "We zeggen vooraf wat er met uw inbreng gebeurt.";
	a.text[1] = "We geven iedereen een terugkoppeling.";
	a.sources[0][0] = t1;
	a.nsources[0] = 1;
	a.sources[1][0] = t1;
	a.sources[1][1] = t2;
	a.nsources[1] = 2;
	assert_null(agreement_save_check(&a));
	assert_int_equal(agreement_save_write(f->d, &a), DB_OK);
	assert_int_equal(a.result, AGREEMENT_OK);
	assert_int_equal(a.version, 1);
	/* two people both edit version 1: the first saves version 2, the
	 * second is refused and nothing of the first is overwritten */
	struct agreement_save b = a, c = a;
	b.base = 1;
	b.text[1] = "We geven iedereen binnen een maand een terugkoppeling.";
	c.base = 1;
	c.text[0] = "Iets heel anders.";
	assert_int_equal(agreement_save_write(f->d, &b), DB_OK);
	assert_int_equal(b.result, AGREEMENT_OK);
	assert_int_equal(b.version, 2);
	assert_int_equal(agreement_save_write(f->d, &c), DB_OK);
	assert_int_equal(c.result, AGREEMENT_CONFLICT);
	assert_int_equal(c.version, 2);
	json_t *v = NULL;
	assert_int_equal(agreement_get_json(f->d, f->traj, 0, &v), DB_ROW);
	assert_int_equal(json_integer_value(json_object_get(v, "version")), 2);
	assert_int_equal(json_array_size(json_object_get(v, "versions")), 2);
	json_t *first = json_array_get(json_object_get(v, "agreements"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "text")),
	                    "We zeggen vooraf wat er met uw inbreng gebeurt.");
	json_t *second = json_array_get(json_object_get(v, "agreements"), 1);
	assert_int_equal(json_integer_value(json_object_get(second, "number")), 2);
	assert_int_equal(json_array_size(json_object_get(second, "sources")), 2);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(json_object_get(second, "sources"), 1), "name")),
	                    "Presterende overheid");
	json_decref(v);
	/* version 1 is kept as it was */
	assert_int_equal(agreement_get_json(f->d, f->traj, 1, &v), DB_ROW);
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(json_object_get(v, "agreements"), 1), "text")),
	                    "We geven iedereen een terugkoppeling.");
	json_decref(v);
	assert_int_equal(agreement_get_json(f->d, f->traj, 9, &v), DB_DONE);
	/* a source outside the trajectory: refused */
	struct agreement_save x = b;
	x.base = 2;
	x.sources[0][0] = 999999;
	assert_int_equal(agreement_save_write(f->d, &x), DB_OK);
	assert_int_equal(x.result, AGREEMENT_BAD_TABLE);
	/* bad input */
	x.n = 0;
	assert_non_null(agreement_save_check(&x));
	x.n = 1;
	x.text[0] = "twee\nregels";
	assert_non_null(agreement_save_check(&x));
	/* statuses */
	st.status = "adopted_changed";
	st.decision = "";
	assert_non_null(agreement_status_check(&st));
	st.decision = "Afspraak 2: binnen zes weken.";
	assert_null(agreement_status_check(&st));
	assert_int_equal(agreement_status_write(f->d, &st), DB_OK);
	assert_int_equal(st.result, AGREEMENT_OK);
	st.status = "bogus";
	assert_non_null(agreement_status_check(&st));
	assert_int_equal(agreement_get_json(f->d, f->traj, 0, &v), DB_ROW);
	assert_string_equal(json_string_value(json_object_get(v, "status")), "adopted_changed");
	json_decref(v);
}

/* Retention: a closed trajectory's dialogue tables go after its period,
 * with the contact data of who registered; an open one keeps them. */
static void test_purge(void **state)
{
	struct fixture *f = *state;
	struct trajectory_new t = {.org_id = f->org, .user_id = f->anna, .f = {.title = "Oud"}};
	assert_int_equal(trajectory_create_write(f->d, &t), DB_OK);
	int64_t keep = f->traj;
	f->traj = t.id;
	int64_t sid = session(f, "Lang geleden", 10, 86400);
	struct dialogue_registration_new g = reg(f, sid, "Oud Lid", "oud@example.org", "", "");
	f->traj = keep;
	struct trajectory_close c = {.org_id = f->org, .id = t.id, .close = 1};
	assert_int_equal(trajectory_close_write(f->d, &c), DB_OK);
	assert_int_equal(c.result, TRAJECTORY_OK);
	db_stmt *s = db_prepare(f->d, "SELECT count(*) FROM dialogue_sessions");
	long long all = count(f, s);
	/* not yet past the period: nothing goes */
	struct purge_job pj = {.now = clock_now(), .actor = "test", .origin = "test"};
	assert_int_equal(purge_write(f->d, &pj), DB_OK);
	s = db_prepare(f->d, "SELECT count(*) FROM dialogue_sessions");
	assert_int_equal(count(f, s), all);
	pj.now = clock_now() + 731 * 86400LL;
	assert_int_equal(purge_write(f->d, &pj), DB_OK);
	purge_job_free(&pj);
	s = db_prepare(f->d, "SELECT count(*) FROM dialogue_sessions WHERE trajectory_id = :t");
	db_bind_int(s, "t", t.id);
	assert_int_equal(count(f, s), 0);
	s = db_prepare(f->d, "SELECT count(*) FROM dialogue_sessions");
	assert_int_equal(count(f, s), all - 1); /* the open trajectory's stay */
	s = db_prepare(f->d, "SELECT count(*) FROM participants WHERE id = :p");
	db_bind_int(s, "p", g.participant_id);
	assert_int_equal(count(f, s), 0);
	s = db_prepare(f->d, "SELECT count(*) FROM audit_log WHERE object_type = 'trajectory' AND "
	                     "detail LIKE '%dialogue sessions%'");
	assert_int_equal(count(f, s), 1);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
	        cmocka_unit_test(test_assign_everyone_once_within_capacity),
	        cmocka_unit_test(test_assign_deterministic),
	        cmocka_unit_test(test_assign_better_than_random),
	        cmocka_unit_test(test_imbalance_perfect),
	        cmocka_unit_test(test_agreement_diff),
	};
	const struct CMUnitTest with_db[] = {
	        cmocka_unit_test(test_session_checks),
	        cmocka_unit_test(test_waiting_list_and_promotion),
	        cmocka_unit_test(test_registration_closed),
	        cmocka_unit_test(test_support_task),
	        cmocka_unit_test(test_place_and_turns),
	        cmocka_unit_test(test_reminders_once),
	        cmocka_unit_test(test_agreement_versions),
	        cmocka_unit_test(test_purge),
	};
	int failed = cmocka_run_group_tests_name("dialogue_assign", pure, NULL, NULL);
	failed += cmocka_run_group_tests_name("dialogue", with_db, setup, teardown);
	return failed;
}
