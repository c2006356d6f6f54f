/* test_conversation.c: kitchen-table conversations: the status from the facts, invitations with personal links (refused until the trajectory is ready), answers, appointments without overlap, points and decisions, personal feedback, open loops and closing. */
#include "testutil.h"
#include "testdb.h"
#include "teststory.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "db/migrate.h"
#include "model/conversation.h"
#include "model/participant.h"
#include "model/purge.h"
#include "model/trajectory.h"
#include "model/user.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

struct fixture {
	char dir[64], path[96], key[128];
	db *d;
	vault *v;
	int64_t org, anna, bea, carl;
	char tokens[2][CONVERSATION_TOKEN_LEN + 1]; /* links made in test_invite */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_store_open(f->dir, f->path, &f->d, &f->org, "conversation") ||
	    test_vault_make(f->dir, f->key, &f->v))
		return -1;
	if (user_insert(f->d, f->org, "anna", "Anna", ROLE_GESPREKSVOERDER, "x", 0, &f->anna) !=
	            DB_OK ||
	    user_insert(f->d, f->org, "bea", "Bea", ROLE_GESPREKSVOERDER, "x", 0, &f->bea) !=
	            DB_OK ||
	    user_insert(f->d, f->org, "carl", "Carl", ROLE_GESPREKSVOERDER, "x", 0, &f->carl) !=
	            DB_OK)
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

/* A trajectory by anna; ready: with scope, rationale and contact route. */
static int64_t trajectory(struct fixture *f, const char *title, int ready)
{
	struct trajectory_new t = {.org_id = f->org, .user_id = f->anna, .f = {.title = title}};
	assert_int_equal(trajectory_create_write(f->d, &t), DB_OK);
	if (ready) {
		struct trajectory_update u = {
		        .org_id = f->org,
		        .id = t.id,
		        .user_id = f->anna,
		        .f = {.title = title,
		              .scope = "U praat mee over de plek van de bankjes. We gebruiken uw "
		                       "inbreng voor het ontwerp",
		              .selection_rationale = "U woont direct aan het plein.",
		              .contact_route = "bel 14 020 of mail plein@gemeente.example"}};
		assert_int_equal(trajectory_update_write(f->d, &u), DB_OK);
		assert_true(u.found);
	}
	return t.id;
}

static int64_t conversation(struct fixture *f, int64_t traj, const char *title)
{
	struct conversation_new c = {.trajectory_id = traj, .user_id = f->anna, .title = title};
	assert_null(conversation_check(&c));
	assert_int_equal(conversation_create_write(f->d, &c), DB_OK);
	assert_true(c.id > 0);
	return c.id;
}

static int64_t person(struct fixture *f, int64_t traj, int64_t conv, const char *name,
                      const char *email, const char *phone)
{
	struct conversation_person_new p = {.v = f->v,
	                                    .trajectory_id = traj,
	                                    .conversation_id = conv,
	                                    .kind = "resident",
	                                    .name = name,
	                                    .email = email,
	                                    .phone = phone};
	assert_null(conversation_person_check(&p));
	assert_int_equal(conversation_person_write(f->d, &p), DB_OK);
	assert_int_equal(p.result, CONV_OK);
	return p.id;
}

static const char *status(struct fixture *f, int64_t conv)
{
	static char out[32];
	db_stmt *s = db_prepare(f->d, "SELECT status FROM conversations WHERE id = :id");
	db_bind_int(s, "id", conv);
	assert_int_equal(db_step(s), DB_ROW);
	snprintf(out, sizeof out, "%s", db_col_text(s, 0));
	db_finalize(s);
	return out;
}

static int invite(struct fixture *f, int64_t traj, int64_t conv, const char *channel,
                  struct conversation_invite *i)
{
	memset(i, 0, sizeof *i);
	i->v = f->v;
	i->trajectory_id = traj;
	i->conversation_id = conv;
	i->channel = channel;
	i->text = "Wilt u met ons praten over het plein?";
	assert_null(conversation_invite_check(i));
	assert_int_equal(conversation_invite_write(f->d, i), DB_OK);
	return i->result;
}

static int change(struct fixture *f, struct conversation_change *c)
{
	assert_null(conversation_change_check(c));
	assert_int_equal(conversation_change_write(f->d, c), DB_OK);
	return c->result;
}

static int appoint(struct fixture *f, int64_t traj, int64_t conv, int64_t starts, int minutes,
                   int64_t official, struct conversation_appointment *a)
{
	memset(a, 0, sizeof *a);
	a->trajectory_id = traj;
	a->conversation_id = conv;
	a->a = (struct appointment_fields){.starts_at = starts,
	                                   .minutes = minutes,
	                                   .place_kind = "home",
	                                   .place = "",
	                                   .official_user_id = official,
	                                   .remind_minutes = -1};
	assert_int_equal(conversation_appointment_write(f->d, a), DB_OK);
	return a->result;
}

/* ---- the status, table-driven ------------------------------------------- */

static void test_status_table(void **state)
{
	(void)state;
	struct row {
		struct conversation_facts f;
		int want;
	} rows[] = {
	        /* the steps in order */
	        {{0}, CONV_DRAFT},
	        {{.people = 2}, CONV_DRAFT},
	        {{.people = 2, .invited = 1}, CONV_INVITED},
	        {{.people = 2, .invited = 2, .appointment = 1}, CONV_APPOINTMENT},
	        {{.people = 2, .invited = 2, .appointment = 1, .reminded = 1}, CONV_REMINDED},
	        {{.people = 2, .invited = 2, .appointment = 1, .reminded = 1, .held = 1},
	         CONV_HELD},
	        {{.people = 2,
	          .invited = 2,
	          .appointment = 1,
	          .held = 1,
	          .points = 3,
	          .open_points = 3},
	         CONV_HELD},
	        {{.people = 2,
	          .invited = 2,
	          .appointment = 1,
	          .held = 1,
	          .points = 3,
	          .open_points = 1},
	         CONV_HELD},
	        {{.people = 2, .invited = 2, .appointment = 1, .held = 1, .points = 3, .owed = 2},
	         CONV_DECIDED},
	        {{.people = 2,
	          .invited = 2,
	          .appointment = 1,
	          .held = 1,
	          .points = 3,
	          .owed = 2,
	          .fed_back = 1},
	         CONV_DECIDED},
	        {{.people = 2,
	          .invited = 2,
	          .appointment = 1,
	          .held = 1,
	          .points = 3,
	          .owed = 2,
	          .fed_back = 2},
	         CONV_FEEDBACK},
	        {{.closed = 1, .people = 2, .invited = 2, .held = 1, .owed = 2, .fed_back = 2},
	         CONV_CLOSED},
	        /* odd combinations */
	        {{.closed = 1}, CONV_CLOSED},                        /* closed as a draft */
	        {{.closed = 1, .held = 1, .owed = 2}, CONV_CLOSED},  /* with loops, a reason */
	        {{.people = 1, .appointment = 1}, CONV_APPOINTMENT}, /* made by phone */
	        {{.people = 1, .invited = 1, .held = 1, .appointment = 1},
	         CONV_HELD}, /* no reminder */
	        {{.people = 1, .invited = 1, .held = 1},
	         CONV_HELD}, /* appointment cancelled since */
	        /* held without points: straight to feedback once everyone heard back */
	        {{.people = 2, .invited = 2, .appointment = 1, .held = 1, .owed = 2, .fed_back = 2},
	         CONV_FEEDBACK},
	        {{.people = 2, .invited = 2, .appointment = 1, .held = 1, .owed = 2, .fed_back = 1},
	         CONV_HELD},
	        /* open points keep feedback back even when all got a message */
	        {{.invited = 2, .held = 1, .points = 2, .open_points = 1, .owed = 2, .fed_back = 2},
	         CONV_HELD},
	        /* everyone declined: nobody owed, so no feedback step */
	        {{.invited = 2, .held = 1, .points = 1, .owed = 0}, CONV_DECIDED},
	        {{.invited = 2, .held = 1, .owed = 0}, CONV_HELD},
	        /* feedback sent before the talk does not count */
	        {{.invited = 2, .appointment = 1, .owed = 2, .fed_back = 2}, CONV_APPOINTMENT},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		int got = conversation_status_of(&rows[i].f);
		if (got != rows[i].want)
			fail_msg("row %zu: %s, want %s", i, conversation_status_name(got),
			         conversation_status_name(rows[i].want));
	}
	for (int s = 0; s < CONV_NSTATUS; s++)
		assert_int_equal(conversation_status_parse(conversation_status_name(s)), s);
	assert_int_equal(conversation_status_parse("bogus"), -1);
	assert_int_equal(conversation_status_parse(NULL), -1);
}

static void test_checks(void **state)
{
	(void)state;
	int64_t now = 1700000000;
	struct appointment_fields a = {.starts_at = now + 3600,
	                               .minutes = 60,
	                               .place_kind = "video",
	                               .place = "https://meet.example/abc",
	                               .remind_minutes = -1};
	assert_null(appointment_check(&a, now));
	a.starts_at = now;
	assert_non_null(appointment_check(&a, now));
	a.starts_at = now + 3600;
	a.place = "meet.example/abc";
	assert_non_null(appointment_check(&a, now));
	a.place_kind = "phone";
	a.place = "";
	assert_null(appointment_check(&a, now));
	a.minutes = 4;
	assert_non_null(appointment_check(&a, now));
	a.minutes = 601;
	assert_non_null(appointment_check(&a, now));
	a.minutes = 30;
	a.place_kind = "garden";
	assert_non_null(appointment_check(&a, now));
	a.place_kind = "home";
	a.remind_minutes = 43201;
	assert_non_null(appointment_check(&a, now));

	assert_true(conversation_token_valid("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01234"));
	assert_false(conversation_token_valid("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_0123"));
	assert_false(conversation_token_valid("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_01+34"));
	assert_false(conversation_token_valid(NULL));

	struct conversation_person_new p = {.name = "Alleen een naam"};
	assert_non_null(conversation_person_check(&p)); /* no way to reach them */
	p.email = "geen adres";
	assert_non_null(conversation_person_check(&p));
	p.email = "a@example.nl";
	assert_null(conversation_person_check(&p));
	p.kind = "alien";
	assert_non_null(conversation_person_check(&p));

	struct conversation_new c = {.title = "twee\nregels"};
	assert_non_null(conversation_check(&c));
	c.title = " ";
	assert_non_null(conversation_check(&c));

	struct conversation_answer an = {.response = "other_time"};
	assert_non_null(conversation_answer_check(&an)); /* which time, then? */
	an.note = "Liever dinsdagavond";
	assert_null(conversation_answer_check(&an));
	an.response = "maybe";
	assert_non_null(conversation_answer_check(&an));

	struct conversation_invite in = {.channel = "fax", .text = "Hallo"};
	assert_non_null(conversation_invite_check(&in));
	in.channel = "email";
	assert_null(conversation_invite_check(&in));
	in.text = "";
	assert_non_null(conversation_invite_check(&in));

	struct conversation_change ch = {
	        .action = CONV_ACT_DECIDE, .point_id = 1, .decision = "not_taken"};
	assert_non_null(conversation_change_check(&ch)); /* why not? */
	ch.reason = "   ";
	assert_non_null(conversation_change_check(&ch));
	ch.reason = "Het past niet in het budget";
	assert_null(conversation_change_check(&ch));
	ch.decision = "maybe";
	assert_non_null(conversation_change_check(&ch));
	ch = (struct conversation_change){.action = CONV_ACT_FEEDBACK_SENT,
	                                  .person_id = 1,
	                                  .text = "Dank u",
	                                  .channel = "pigeon"};
	assert_non_null(conversation_change_check(&ch));
	ch.channel = "letter";
	assert_null(conversation_change_check(&ch));
	ch = (struct conversation_change){.action = CONV_ACT_POINT, .text = ""};
	assert_non_null(conversation_change_check(&ch));
	ch.action = 99;
	assert_non_null(conversation_change_check(&ch));
}

/* ---- invitations --------------------------------------------------------- */

static void test_invite(void **state)
{
	struct fixture *f = *state;
	int64_t traj = trajectory(f, "Bankjes op het plein", 0);
	int64_t conv = conversation(f, traj, "Aan tafel bij de Dijkstraat");
	assert_string_equal(status(f, conv), "draft");
	int64_t p1 = person(f, traj, conv, "Fatima el Amrani", "fatima@example.nl", NULL);
	int64_t p2 = person(f, traj, conv, "Jan de Vries", NULL, "06-12345678");
	assert_true(p1 > 0 && p2 > p1);

	/* not in this trajectory */
	int64_t other = trajectory(f, "Ander traject", 1);
	struct conversation_invite i;
	assert_int_equal(invite(f, other, conv, "letter", &i), CONV_NOT_FOUND);

	/* the trajectory lacks scope, rationale and contact route */
	assert_int_equal(invite(f, traj, conv, "letter", &i), CONV_NOT_READY);
	assert_int_equal(i.n, 0);
	struct trajectory_update u = {.org_id = f->org,
	                              .id = traj,
	                              .f = {.title = "Bankjes op het plein",
	                                    .scope = "De plek van de bankjes.",
	                                    .selection_rationale = "U woont aan het plein."}};
	assert_int_equal(trajectory_update_write(f->d, &u), DB_OK);
	assert_int_equal(invite(f, traj, conv, "letter", &i), CONV_NOT_READY); /* no route */
	traj = trajectory(f, "Bankjes klaar", 1);
	conv = conversation(f, traj, "Aan tafel");
	p1 = person(f, traj, conv, "Fatima el Amrani", "fatima@example.nl", NULL);
	p2 = person(f, traj, conv, "Jan de Vries", NULL, "06-12345678");

	/* by e-mail while Jan has no address: nobody is invited */
	assert_int_equal(invite(f, traj, conv, "email", &i), CONV_NO_CONTACT);
	assert_int_equal(i.n, 0);
	assert_int_equal(i.email[0][0], '\0');
	db_stmt *s = db_prepare(f->d, "SELECT count(*) FROM conversation_people WHERE "
	                              "conversation_id = :c AND (invited_at IS NOT NULL OR "
	                              "token_hash IS NOT NULL)");
	db_bind_int(s, "c", conv);
	assert_int_equal(count(f, s), 0);
	assert_string_equal(status(f, conv), "draft");

	/* by letter: both, each with a link of their own */
	assert_int_equal(invite(f, traj, conv, "letter", &i), CONV_OK);
	assert_int_equal(i.n, 2);
	assert_int_equal(i.person_id[0], p1);
	assert_int_equal(i.person_id[1], p2);
	assert_string_equal(i.name[0], "Fatima el Amrani");
	assert_string_equal(i.email[0], "fatima@example.nl");
	assert_string_equal(i.email[1], "");
	for (int k = 0; k < 2; k++) {
		assert_int_equal(strlen(i.token[k]), CONVERSATION_TOKEN_LEN);
		assert_true(conversation_token_valid(i.token[k]));
	}
	assert_string_not_equal(i.token[0], i.token[1]);
	assert_string_equal(status(f, conv), "invited");
	/* only the hash is stored, and the link expires */
	char h[65];
	util_hash_hex(i.token[0], h);
	s = db_prepare(f->d, "SELECT count(*) FROM conversation_people WHERE id = :p AND "
	                     "token_hash = :h AND token_expires_at > invited_at + 59 * 86400 AND "
	                     "invited_channel = 'letter'");
	db_bind_int(s, "p", p1);
	db_bind_text(s, "h", h);
	assert_int_equal(count(f, s), 1);
	for (int k = 0; k < 2; k++) {
		s = db_prepare(f->d, "SELECT count(*) FROM conversation_people WHERE "
		                     "instr(token_hash, :t) > 0 OR instr(response_note, :t) > 0");
		db_bind_text(s, "t", i.token[k]);
		assert_int_equal(count(f, s), 0);
	}
	memcpy(f->tokens, i.token, sizeof f->tokens);

	/* inviting again invites only who is new */
	int64_t p3 = person(f, traj, conv, NULL, "kees@example.nl", NULL);
	assert_int_equal(invite(f, traj, conv, "email", &i), CONV_OK);
	assert_int_equal(i.n, 1);
	assert_int_equal(i.person_id[0], p3);
	assert_string_equal(i.email[0], "kees@example.nl");
	assert_string_equal(i.name[0], "");
	assert_string_not_equal(i.token[0], f->tokens[0]);
	assert_int_equal(invite(f, traj, conv, "email", &i), CONV_OK);
	assert_int_equal(i.n, 0);

	/* the table is full at CONVERSATION_PEOPLE_MAX */
	for (int k = 3; k < CONVERSATION_PEOPLE_MAX; k++)
		person(f, traj, conv, NULL, NULL, "06-87654321");
	struct conversation_person_new extra = {
	        .v = f->v, .trajectory_id = traj, .conversation_id = conv, .phone = "0201234567"};
	assert_int_equal(conversation_person_write(f->d, &extra), DB_OK);
	assert_int_equal(extra.result, CONV_TOO_MANY);
	extra.trajectory_id = other;
	assert_int_equal(conversation_person_write(f->d, &extra), DB_OK);
	assert_int_equal(extra.result, CONV_NOT_FOUND);
}

/* ---- answers through the personal link ----------------------------------- */

static void test_answer(void **state)
{
	struct fixture *f = *state;
	int64_t traj = trajectory(f, "Speeltuin", 1);
	int64_t conv = conversation(f, traj, "Gesprek speeltuin");
	person(f, traj, conv, "A", "a@example.nl", NULL);
	person(f, traj, conv, "B", "b@example.nl", NULL);
	int64_t pc = person(f, traj, conv, "C", "c@example.nl", NULL);
	struct conversation_invite i;
	assert_int_equal(invite(f, traj, conv, "email", &i), CONV_OK);
	assert_int_equal(i.n, 3);

	struct conversation_answer a = {.token = i.token[0], .response = "accepted"};
	assert_int_equal(conversation_answer_write(f->d, &a), DB_OK);
	assert_int_equal(a.result, CONV_OK);
	assert_int_equal(a.conversation_id, conv);
	a = (struct conversation_answer){
	        .token = i.token[1], .response = "other_time", .note = "Liever 's avonds"};
	assert_null(conversation_answer_check(&a));
	assert_int_equal(conversation_answer_write(f->d, &a), DB_OK);
	assert_int_equal(a.result, CONV_OK);
	a = (struct conversation_answer){.token = i.token[2], .response = "declined"};
	assert_int_equal(conversation_answer_write(f->d, &a), DB_OK);
	assert_int_equal(a.result, CONV_OK);
	db_stmt *s = db_prepare(f->d, "SELECT count(*) FROM conversation_people WHERE "
	                              "conversation_id = :c AND (response = 'accepted' OR "
	                              "(response = 'other_time' AND response_note = 'Liever ''s "
	                              "avonds') OR (response = 'declined' AND id = :pc)) AND "
	                              "responded_at IS NOT NULL");
	db_bind_int(s, "c", conv);
	db_bind_int(s, "pc", pc);
	assert_int_equal(count(f, s), 3);

	/* what the link shows: no contact data */
	json_t *j = NULL;
	assert_int_equal(conversation_by_token_json(f->d, i.token[1], clock_now(), &j), DB_ROW);
	assert_string_equal(json_string_value(json_object_get(j, "title")), "Gesprek speeltuin");
	json_t *t = json_object_get(j, "trajectory");
	assert_string_equal(json_string_value(json_object_get(t, "title")), "Speeltuin");
	assert_non_null(strstr(json_string_value(json_object_get(t, "scope")), "bankjes"));
	json_t *me = json_object_get(j, "answer");
	assert_string_equal(json_string_value(json_object_get(me, "response")), "other_time");
	assert_true(json_is_null(json_object_get(j, "appointment")));
	char *dump = json_dumps(j, 0);
	assert_null(strstr(dump, "b@example.nl"));
	free(dump);
	json_decref(j);

	/* unknown and malformed links */
	char wrong[CONVERSATION_TOKEN_LEN + 1];
	memcpy(wrong, i.token[0], sizeof wrong);
	wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
	a = (struct conversation_answer){.token = wrong, .response = "accepted"};
	assert_int_equal(conversation_answer_write(f->d, &a), DB_OK);
	assert_int_equal(a.result, CONV_NOT_FOUND);
	a.token = "kort";
	assert_int_equal(conversation_answer_write(f->d, &a), DB_OK);
	assert_int_equal(a.result, CONV_NOT_FOUND);
	assert_int_equal(conversation_by_token_json(f->d, "kort", clock_now(), &j), DB_DONE);

	/* a link expires */
	clock_advance((int64_t)CONVERSATION_LINK_DAYS * 86400 + 60);
	a = (struct conversation_answer){.token = i.token[0], .response = "declined"};
	assert_int_equal(conversation_answer_write(f->d, &a), DB_OK);
	assert_int_equal(a.result, CONV_NOT_FOUND);
	assert_int_equal(conversation_by_token_json(f->d, i.token[0], clock_now(), &j), DB_DONE);
	clock_reset();
	s = db_prepare(f->d, "SELECT count(*) FROM conversation_people WHERE "
	                     "conversation_id = :c AND response = 'accepted'");
	db_bind_int(s, "c", conv);
	assert_int_equal(count(f, s), 1); /* the expired answer changed nothing */
}

/* ---- appointments -------------------------------------------------------- */

static void test_appointment(void **state)
{
	struct fixture *f = *state;
	int64_t traj = trajectory(f, "Rotonde", 1);
	int64_t c1 = conversation(f, traj, "Eerste tafel");
	int64_t c2 = conversation(f, traj, "Tweede tafel");
	int64_t now = clock_now(), day = now + 7 * 86400;
	struct conversation_appointment a;

	assert_int_equal(appoint(f, traj, c1, now - 60, 60, f->anna, &a), CONV_IN_PAST);
	assert_int_equal(appoint(f, traj, c1, now, 60, f->anna, &a), CONV_IN_PAST);
	assert_string_equal(status(f, c1), "draft");

	assert_int_equal(appoint(f, traj, c1, day, 60, f->anna, &a), CONV_OK);
	assert_int_equal(a.sequence, 0);
	char uid[80], prefix[40];
	snprintf(uid, sizeof uid, "%s", a.uid);
	snprintf(prefix, sizeof prefix, "vp-conv-%lld-", (long long)c1);
	assert_memory_equal(uid, prefix, strlen(prefix));
	assert_non_null(strstr(uid, "@vertelpunt"));
	assert_true(strlen(uid) > strlen(prefix) + strlen("@vertelpunt") + 8);
	assert_string_equal(status(f, c1), "appointment");
	db_stmt *s = db_prepare(f->d, "SELECT remind_minutes FROM appointments WHERE "
	                              "conversation_id = :c");
	db_bind_int(s, "c", c1);
	assert_int_equal(count(f, s), 2880);

	/* anna has no time then: the overlap names the other conversation */
	assert_int_equal(appoint(f, traj, c2, day + 30 * 60, 60, f->anna, &a), CONV_OVERLAP);
	assert_int_equal(a.other_conversation, c1);
	assert_int_equal(appoint(f, traj, c2, day - 30 * 60, 31, f->anna, &a), CONV_OVERLAP);
	/* right after it, or with someone else, is fine */
	assert_int_equal(appoint(f, traj, c2, day + 60 * 60, 30, f->anna, &a), CONV_OK);
	assert_int_equal(appoint(f, traj, c2, day + 30 * 60, 60, f->bea, &a), CONV_OK);
	assert_int_equal(a.sequence, 1);

	/* moving keeps the calendar uid, the sequence goes up; a moved
	 * appointment is checked against others, not itself */
	assert_int_equal(appoint(f, traj, c1, day + 15 * 60, 60, f->anna, &a), CONV_OK);
	assert_string_equal(a.uid, uid);
	assert_int_equal(a.sequence, 1);
	assert_int_equal(appoint(f, traj, c1, day + 2 * 86400, 90, f->anna, &a), CONV_OK);
	assert_string_equal(a.uid, uid);
	assert_int_equal(a.sequence, 2);

	/* a reminder sent for the old time is not one for the new time */
	s = db_prepare(f->d, "UPDATE appointments SET reminded_at = :now WHERE "
	                     "conversation_id = :c");
	db_bind_int(s, "now", now);
	db_bind_int(s, "c", c1);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	assert_true(conversation_refresh_status(f->d, c1) == CONV_REMINDED);
	assert_string_equal(status(f, c1), "reminded");
	assert_int_equal(appoint(f, traj, c1, day + 3 * 86400, 90, f->anna, &a), CONV_OK);
	assert_string_equal(status(f, c1), "appointment");

	/* a cancelled appointment is in nobody's way */
	int64_t c3 = conversation(f, traj, "Derde tafel");
	assert_int_equal(appoint(f, traj, c3, day + 3 * 86400, 60, f->anna, &a), CONV_OVERLAP);
	assert_int_equal(a.other_conversation, c1);
	s = db_prepare(f->d, "UPDATE appointments SET cancelled = 1 WHERE conversation_id = :c");
	db_bind_int(s, "c", c1);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	assert_int_equal(appoint(f, traj, c3, day + 3 * 86400, 60, f->anna, &a), CONV_OK);
	assert_int_equal(conversation_refresh_status(f->d, c1), CONV_DRAFT);

	/* not in this trajectory */
	int64_t other = trajectory(f, "Elders", 1);
	assert_int_equal(appoint(f, other, c1, day + 9 * 86400, 60, f->anna, &a), CONV_NOT_FOUND);
}

/* ---- the talk: held, notes, points, decisions ---------------------------- */

static void test_talk(void **state)
{
	struct fixture *f = *state;
	int64_t traj = trajectory(f, "Groen in de wijk", 1);
	int64_t conv = conversation(f, traj, "Tafel groen");
	int64_t pa = person(f, traj, conv, "A", "a@example.nl", NULL);
	int64_t other_conv = conversation(f, traj, "Andere tafel");
	int64_t stranger = person(f, traj, other_conv, "X", "x@example.nl", NULL);

	struct conversation_change c = {
	        .trajectory_id = traj, .conversation_id = conv, .action = CONV_ACT_HELD};
	assert_int_equal(change(f, &c), CONV_NO_APPOINTMENT);
	struct conversation_appointment a;
	assert_int_equal(appoint(f, traj, conv, clock_now() + 3600, 60, f->anna, &a), CONV_OK);
	assert_int_equal(change(f, &c), CONV_OK);
	assert_string_equal(status(f, conv), "held");

	c = (struct conversation_change){.trajectory_id = traj,
	                                 .conversation_id = conv,
	                                 .user_id = f->anna,
	                                 .action = CONV_ACT_NOTE,
	                                 .text = "Koffie gehad, plan op tafel."};
	assert_int_equal(change(f, &c), CONV_OK);
	assert_true(c.id > 0);

	c = (struct conversation_change){.trajectory_id = traj,
	                                 .conversation_id = conv,
	                                 .action = CONV_ACT_POINT,
	                                 .person_id = stranger,
	                                 .text = "Meer bomen"};
	assert_int_equal(change(f, &c), CONV_NOT_FOUND); /* not at this table */
	c.person_id = pa;
	assert_int_equal(change(f, &c), CONV_OK);
	int64_t pt1 = c.id;
	c.person_id = 0;
	c.text = "Een bankje in de schaduw";
	c.theme = "zitten";
	assert_int_equal(change(f, &c), CONV_OK);
	int64_t pt2 = c.id;
	assert_string_equal(status(f, conv), "held");

	/* not taken along without a reason: refused by the check and by the
	 * database */
	c = (struct conversation_change){.trajectory_id = traj,
	                                 .conversation_id = conv,
	                                 .user_id = f->anna,
	                                 .action = CONV_ACT_DECIDE,
	                                 .point_id = pt1,
	                                 .decision = "not_taken"};
	assert_non_null(conversation_change_check(&c));
	db_stmt *s = db_prepare(f->d, "UPDATE conversation_points SET decision = 'not_taken' "
	                              "WHERE id = :id");
	db_bind_int(s, "id", pt1);
	assert_int_equal(db_step(s), DB_CONSTRAINT);
	db_finalize(s);

	c.decision = "taken";
	assert_int_equal(change(f, &c), CONV_OK);
	assert_string_equal(status(f, conv), "held"); /* one point still open */
	c.point_id = pt2;
	c.decision = "not_taken";
	c.reason = "Het budget is op.";
	assert_int_equal(change(f, &c), CONV_OK);
	assert_string_equal(status(f, conv), "decided");
	/* a point of another conversation */
	c.conversation_id = other_conv;
	assert_int_equal(change(f, &c), CONV_NOT_FOUND);

	json_t *j = NULL;
	assert_int_equal(conversation_get_json(f->d, f->v, traj, conv, &j), DB_ROW);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "decided");
	assert_int_equal(json_array_size(json_object_get(j, "notes")), 1);
	json_t *points = json_object_get(j, "points");
	assert_int_equal(json_array_size(points), 2);
	assert_true(json_is_null(json_object_get(json_array_get(points, 1), "person_id")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(points, 1), "reason")),
	                    "Het budget is op.");
	json_t *people = json_object_get(j, "people");
	assert_string_equal(json_string_value(json_object_get(json_array_get(people, 0), "email")),
	                    "a@example.nl");
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(j, "appointment"), "ical_uid")),
	        a.uid);
	json_decref(j);
	assert_int_equal(conversation_get_json(f->d, f->v, traj + 1000, conv, &j), DB_DONE);

	assert_int_equal(conversation_list_json(f->d, traj, &j), DB_OK);
	assert_int_equal(json_array_size(j), 2);
	/* newest first */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 0), "id")),
	                 other_conv);
	char *text = json_dumps(j, 0);
	assert_null(strstr(text, "@example.nl"));
	free(text);
	json_decref(j);
}

/* ---- feedback, open loops, closing --------------------------------------- */

static void test_feedback_draft(void **state)
{
	struct fixture *f = *state;
	int64_t traj = trajectory(f, "Het nieuwe plein", 1);
	int64_t conv = conversation(f, traj, "Tafel plein");
	int64_t pa = person(f, traj, conv, "Fatima", "fa@example.nl", NULL);
	int64_t pb = person(f, traj, conv, "Jan", "jan@example.nl", NULL);
	struct conversation_change c = {.trajectory_id = traj,
	                                .conversation_id = conv,
	                                .action = CONV_ACT_POINT,
	                                .person_id = pa,
	                                .text = "Meer bomen langs de rand"};
	assert_int_equal(change(f, &c), CONV_OK);
	int64_t taken = c.id;
	c.text = "Een fontein!";
	assert_int_equal(change(f, &c), CONV_OK);
	int64_t refused = c.id;
	c.text = "Parkeren voor bezoek";
	assert_int_equal(change(f, &c), CONV_OK);
	c.person_id = pb;
	c.text = "Jan zijn punt";
	assert_int_equal(change(f, &c), CONV_OK);
	c.person_id = 0;
	c.text = "Verlichting 's nachts";
	assert_int_equal(change(f, &c), CONV_OK);
	c = (struct conversation_change){.trajectory_id = traj,
	                                 .conversation_id = conv,
	                                 .action = CONV_ACT_DECIDE,
	                                 .point_id = taken,
	                                 .decision = "taken"};
	assert_int_equal(change(f, &c), CONV_OK);
	c.point_id = refused;
	c.decision = "not_taken";
	c.reason = "Een fontein past niet in het budget.";
	assert_int_equal(change(f, &c), CONV_OK);

	buf b;
	buf_init(&b);
	assert_int_equal(conversation_feedback_draft(f->d, conv, pa, &b), DB_OK);
	const char *t = b.data;
	assert_non_null(strstr(t, "Beste deelnemer,"));
	assert_non_null(strstr(t, "Dank u voor het gesprek over Het nieuwe plein."));
	assert_non_null(strstr(t, "U zei: Meer bomen langs de rand. Dit nemen we mee."));
	assert_non_null(strstr(t, "U zei: Een fontein! Dit nemen we niet mee, omdat een "
	                          "fontein past niet in het budget."));
	assert_non_null(strstr(t, "U zei: Parkeren voor bezoek. Hierover beslissen we nog."));
	assert_non_null(strstr(t, "Verlichting 's nachts. Hierover beslissen we nog."));
	assert_null(strstr(t, "Jan zijn punt")); /* someone else's point */
	assert_non_null(strstr(t, "Wat we met uw inbreng doen: U praat mee over de plek van de "
	                          "bankjes. We gebruiken uw inbreng voor het ontwerp."));
	assert_non_null(strstr(t, "bel 14 020 of mail plein@gemeente.example"));
	/* no name, no contact data of the person */
	assert_null(strstr(t, "Fatima"));
	assert_null(strstr(t, "fa@example.nl"));
	/* the order of the points is kept */
	assert_true(strstr(t, "Meer bomen") < strstr(t, "fontein"));
	buf_reset(&b);
	assert_int_equal(conversation_feedback_draft(f->d, conv, pb, &b), DB_OK);
	assert_non_null(strstr(b.data, "U zei: Jan zijn punt. Hierover beslissen we nog."));
	assert_null(strstr(b.data, "fontein"));
	buf_reset(&b);
	/* a person of another table */
	int64_t other = conversation(f, traj, "Andere");
	assert_int_equal(conversation_feedback_draft(f->d, other, pa, &b), DB_DONE);
	/* without points: still a message */
	int64_t pc = person(f, traj, other, NULL, "c@example.nl", NULL);
	assert_int_equal(conversation_feedback_draft(f->d, other, pc, &b), DB_OK);
	assert_non_null(strstr(b.data, "Dank u voor het gesprek"));
	assert_null(strstr(b.data, "U zei"));
	buf_free(&b);
}

static json_t *loops(struct fixture *f, int64_t viewer, int64_t now)
{
	json_t *j = NULL;
	assert_int_equal(conversation_open_loops_json(f->d, f->org, viewer, now, &j), DB_OK);
	assert_true(json_is_array(j));
	return j;
}

static void test_feedback_loops_close(void **state)
{
	struct fixture *f = *state;
	int64_t traj = trajectory(f, "Fietspad", 1);
	int64_t conv = conversation(f, traj, "Tafel fietspad");
	int64_t pa = person(f, traj, conv, "A", "fa@example.nl", NULL);
	int64_t pb = person(f, traj, conv, "B", "fb@example.nl", NULL);
	int64_t pc = person(f, traj, conv, "C", "fc@example.nl", NULL);
	struct conversation_invite i;
	assert_int_equal(invite(f, traj, conv, "email", &i), CONV_OK);
	char first[CONVERSATION_TOKEN_LEN + 1];
	memcpy(first, i.token[0], sizeof first);
	struct conversation_answer an = {.token = i.token[2], .response = "declined"};
	assert_int_equal(conversation_answer_write(f->d, &an), DB_OK);
	struct conversation_appointment a;
	assert_int_equal(appoint(f, traj, conv, clock_now() + 3600, 60, f->bea, &a), CONV_OK);

	/* nobody waits before the talk */
	int64_t now = clock_now();
	json_t *j = loops(f, 0, now);
	size_t before = json_array_size(j);
	json_decref(j);

	struct conversation_change c = {.trajectory_id = traj,
	                                .conversation_id = conv,
	                                .user_id = f->anna,
	                                .action = CONV_ACT_HELD};
	assert_int_equal(change(f, &c), CONV_OK);
	/* three days later two people wait (C declined) */
	j = loops(f, 0, now + 3 * 86400 + 100);
	assert_int_equal(json_array_size(j), before + 2);
	int seen = 0;
	for (size_t k = 0; k < json_array_size(j); k++) {
		json_t *o = json_array_get(j, k);
		if (json_integer_value(json_object_get(o, "conversation_id")) != conv)
			continue;
		seen++;
		assert_int_equal(json_integer_value(json_object_get(o, "days")), 3);
		assert_int_equal(json_integer_value(json_object_get(o, "trajectory_id")), traj);
		assert_string_equal(json_string_value(json_object_get(o, "trajectory_title")),
		                    "Fietspad");
		assert_int_equal(strlen(json_string_value(json_object_get(o, "participant_code"))),
		                 12);
		assert_true(json_integer_value(json_object_get(o, "person_id")) != pc);
	}
	assert_int_equal(seen, 2);
	char *text = json_dumps(j, 0);
	assert_null(strstr(text, "@example.nl"));
	free(text);
	json_decref(j);
	/* only the trajectories the viewer is on: anna made it, carl is not on it */
	j = loops(f, f->carl, now);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	j = loops(f, f->anna, now);
	assert_int_equal(json_array_size(j), before + 2);
	json_decref(j);

	/* closing with loops open needs a reason */
	c.action = CONV_ACT_CLOSE;
	assert_int_equal(change(f, &c), CONV_LOOPS_OPEN);
	assert_string_equal(status(f, conv), "held");

	/* the draft, then what was sent */
	c = (struct conversation_change){.trajectory_id = traj,
	                                 .conversation_id = conv,
	                                 .user_id = f->anna,
	                                 .action = CONV_ACT_FEEDBACK_DRAFT,
	                                 .person_id = pa,
	                                 .text = "Beste deelnemer, dank u."};
	assert_int_equal(change(f, &c), CONV_OK);
	c.action = CONV_ACT_FEEDBACK_SENT;
	c.channel = "email";
	c.text = "Beste deelnemer, dank u wel.";
	assert_int_equal(change(f, &c), CONV_OK);
	c.action = CONV_ACT_FEEDBACK_DRAFT; /* what was sent stays */
	c.text = "Iets anders";
	assert_int_equal(change(f, &c), CONV_CLOSED_ALREADY);
	db_stmt *s = db_prepare(f->d, "SELECT count(*) FROM conversation_people WHERE id = :p AND "
	                              "feedback = 'Beste deelnemer, dank u wel.' AND "
	                              "feedback_channel = 'email' AND feedback_sent_at IS NOT NULL "
	                              "AND feedback_reviewed_by = :u");
	db_bind_int(s, "p", pa);
	db_bind_int(s, "u", f->anna);
	assert_int_equal(count(f, s), 1);
	assert_string_equal(status(f, conv), "held");
	j = loops(f, 0, now);
	assert_int_equal(json_array_size(j), before + 1);
	json_decref(j);
	c = (struct conversation_change){.trajectory_id = traj,
	                                 .conversation_id = conv,
	                                 .user_id = f->anna,
	                                 .action = CONV_ACT_FEEDBACK_SENT,
	                                 .person_id = pb,
	                                 .channel = "letter",
	                                 .text = "Beste deelnemer, dank u."};
	assert_int_equal(change(f, &c), CONV_OK);
	/* held without points, everyone owed heard back */
	assert_string_equal(status(f, conv), "feedback");
	j = loops(f, 0, now);
	assert_int_equal(json_array_size(j), before);
	json_decref(j);

	c = (struct conversation_change){.trajectory_id = traj,
	                                 .conversation_id = conv,
	                                 .user_id = f->anna,
	                                 .action = CONV_ACT_CLOSE};
	assert_int_equal(change(f, &c), CONV_OK);
	assert_string_equal(status(f, conv), "closed");

	/* nothing changes in a closed conversation */
	struct conversation_change all[] = {
	        {.action = CONV_ACT_HELD},
	        {.action = CONV_ACT_NOTE, .text = "Nog iets"},
	        {.action = CONV_ACT_POINT, .text = "Nog een punt"},
	        {.action = CONV_ACT_DECIDE, .point_id = 1, .decision = "taken"},
	        {.action = CONV_ACT_FEEDBACK_DRAFT, .person_id = pc, .text = "x"},
	        {.action = CONV_ACT_FEEDBACK_SENT,
	         .person_id = pc,
	         .text = "x",
	         .channel = "email"},
	        {.action = CONV_ACT_CLOSE, .reason = "nog eens"},
	};
	for (size_t k = 0; k < sizeof all / sizeof *all; k++) {
		all[k].trajectory_id = traj;
		all[k].conversation_id = conv;
		assert_int_equal(change(f, &all[k]), CONV_CLOSED_ALREADY);
	}
	assert_int_equal(appoint(f, traj, conv, clock_now() + 86400, 60, f->bea, &a),
	                 CONV_CLOSED_ALREADY);
	assert_int_equal(invite(f, traj, conv, "email", &i), CONV_CLOSED_ALREADY);
	struct conversation_person_new p = {
	        .v = f->v, .trajectory_id = traj, .conversation_id = conv, .phone = "0612345678"};
	assert_int_equal(conversation_person_write(f->d, &p), DB_OK);
	assert_int_equal(p.result, CONV_CLOSED_ALREADY);
	an = (struct conversation_answer){.token = first, .response = "declined"};
	assert_int_equal(conversation_answer_write(f->d, &an), DB_OK);
	assert_int_equal(an.result, CONV_CLOSED_ALREADY);
	s = db_prepare(f->d, "SELECT count(*) FROM conversation_notes WHERE conversation_id = :c");
	db_bind_int(s, "c", conv);
	assert_int_equal(count(f, s), 0);
	assert_string_equal(status(f, conv), "closed");
}

static void test_close_with_reason(void **state)
{
	struct fixture *f = *state;
	int64_t traj = trajectory(f, "Parkeren", 1);
	int64_t conv = conversation(f, traj, "Tafel parkeren");
	person(f, traj, conv, "A", "pa@example.nl", NULL);
	struct conversation_invite i;
	assert_int_equal(invite(f, traj, conv, "email", &i), CONV_OK);
	struct conversation_appointment a;
	assert_int_equal(appoint(f, traj, conv, clock_now() + 600, 30, f->carl, &a), CONV_OK);
	struct conversation_change c = {
	        .trajectory_id = traj, .conversation_id = conv, .action = CONV_ACT_HELD};
	assert_int_equal(change(f, &c), CONV_OK);
	c.action = CONV_ACT_CLOSE;
	c.reason = "   ";
	assert_int_equal(change(f, &c), CONV_LOOPS_OPEN);
	c.reason = "De deelnemer is verhuisd en niet meer bereikbaar.";
	assert_int_equal(change(f, &c), CONV_OK);
	db_stmt *s = db_prepare(f->d, "SELECT count(*) FROM conversations WHERE id = :c AND "
	                              "status = 'closed' AND closed_reason = :r");
	db_bind_int(s, "c", conv);
	db_bind_text(s, "r", c.reason);
	assert_int_equal(count(f, s), 1);
	/* a closed conversation waits for nobody */
	json_t *j = loops(f, f->anna, clock_now());
	for (size_t k = 0; k < json_array_size(j); k++)
		assert_true(json_integer_value(json_object_get(json_array_get(j, k),
		                                               "conversation_id")) != conv);
	json_decref(j);
}

/* The database file holds none of the people's e-mail addresses, nor a
 * personal link. */
static void test_sealed(void **state)
{
	struct fixture *f = *state;
	db_exec(f->d, "PRAGMA wal_checkpoint(TRUNCATE)");
	static const char *const addresses[] = {"fatima@example.nl", "kees@example.nl",
	                                        "a@example.nl",      "fa@example.nl",
	                                        "jan@example.nl",    "pa@example.nl"};
	static const char *const files[] = {"", "-wal"};
	for (size_t k = 0; k < 2; k++) {
		char p[128];
		snprintf(p, sizeof p, "%s%s", f->path, files[k]);
		FILE *fp = fopen(p, "rb");
		if (!fp)
			continue;
		static char data[16 << 20];
		size_t n = fread(data, 1, sizeof data, fp);
		fclose(fp);
		if (k == 0)
			assert_true(n > 0);
		for (size_t a = 0; a < sizeof addresses / sizeof *addresses; a++)
			assert_null(memmem(data, n, addresses[a], strlen(addresses[a])));
		for (int t = 0; t < 2; t++) {
			assert_int_equal(strlen(f->tokens[t]), CONVERSATION_TOKEN_LEN);
			assert_null(memmem(data, n, f->tokens[t], CONVERSATION_TOKEN_LEN));
		}
		/* the control: the trajectory's own route is stored in clear */
		if (k == 0)
			assert_non_null(memmem(data, n, "plein@gemeente.example", 22));
	}
}

/* A closed trajectory past its retention period: its conversations and
 * contact requests go, with the contact data of people nothing else refers
 * to; the trajectory itself stays; the access log says what went. */
static void test_purge_after_retention(void **state)
{
	struct fixture *f = *state;
	int64_t t = trajectory(f, "Oud traject", 1);
	int64_t c = conversation(f, t, "Keukentafel oud");
	person(f, t, c, "Oma Oud", "oma@example.org", NULL);
	struct contact_request_new cr = {.v = f->v,
	                                 .trajectory_id = t,
	                                 .name = "Opa Oud",
	                                 .email = "opa@example.org",
	                                 .message = "Ik wil ook meedoen."};
	assert_null(contact_request_check(&cr));
	assert_int_equal(contact_request_write(f->d, &cr), DB_OK);
	struct trajectory_update u = {
	        .org_id = f->org, .id = t, .f = {.title = "Oud traject", .retention_days = 30}};
	assert_int_equal(trajectory_update_write(f->d, &u), DB_OK);
	struct trajectory_close tc = {.org_id = f->org, .id = t, .close = 1, .reason = "klaar"};
	assert_int_equal(trajectory_close_write(f->d, &tc), DB_OK);
	long long people_before = count(f, db_prepare(f->d, "SELECT count(*) FROM participants"));
	/* within the retention period: nothing goes */
	struct purge_job j = {.now = clock_now() + 29 * 86400, .actor = "system", .origin = "test"};
	assert_int_equal(purge_write(f->d, &j), DB_OK);
	assert_int_equal(j.trajectories, 0);
	db_stmt *s =
	        db_prepare(f->d, "SELECT count(*) FROM conversations WHERE trajectory_id = :t");
	db_bind_int(s, "t", t);
	assert_int_equal(count(f, s), 1);
	/* after it: the conversation, the request and both people's data go */
	j.now = clock_now() + 31 * 86400;
	assert_int_equal(purge_write(f->d, &j), DB_OK);
	assert_int_equal(j.trajectories, 1);
	s = db_prepare(f->d, "SELECT count(*) FROM conversations WHERE trajectory_id = :t");
	db_bind_int(s, "t", t);
	assert_int_equal(count(f, s), 0);
	s = db_prepare(f->d, "SELECT count(*) FROM contact_requests WHERE trajectory_id = :t");
	db_bind_int(s, "t", t);
	assert_int_equal(count(f, s), 0);
	assert_int_equal(count(f, db_prepare(f->d, "SELECT count(*) FROM participants")),
	                 people_before - 2);
	s = db_prepare(f->d, "SELECT count(*) FROM trajectories WHERE id = :t");
	db_bind_int(s, "t", t);
	assert_int_equal(count(f, s), 1);
	assert_int_equal(
	        count(f, db_prepare(f->d, "SELECT count(*) FROM audit_log WHERE "
	                                  "object_type = 'trajectory' AND action = "
	                                  "'delete' AND detail LIKE '1 conversations, 1 "
	                                  "contact requests and the contact data of 2 %'")),
	        1);
	/* a second run finds nothing more */
	assert_int_equal(purge_write(f->d, &j), DB_OK);
	assert_int_equal(j.trajectories, 0);
	purge_job_free(&j);
}

/* A person's export holds their conversations with the points they raised
 * and the decisions, and the messages they sent; erasing them removes the
 * messages. */
static void test_export_and_erase(void **state)
{
	struct fixture *f = *state;
	int64_t t = trajectory(f, "Export traject", 1);
	int64_t c = conversation(f, t, "Keukentafel export");
	int64_t p = person(f, t, c, "Els Export", "els@example.org", NULL);
	struct contact_request_new cr = {.v = f->v,
	                                 .trajectory_id = t,
	                                 .email = "els2@example.org",
	                                 .message = "Mijn vraag over de bankjes."};
	assert_int_equal(contact_request_write(f->d, &cr), DB_OK);
	db_stmt *s =
	        db_prepare(f->d, "SELECT participant_id FROM conversation_people WHERE id = :p");
	db_bind_int(s, "p", p);
	int64_t pid = count(f, s);
	/* a point of hers, decided */
	s = db_prepare(f->d,
	               "INSERT INTO conversation_points (conversation_id, person_id, text, "
	               "decision, reason, created_at) VALUES (:c, :p, 'Meer groen', 'not_taken', "
	               "'geen budget', 1)");
	db_bind_int(s, "c", c);
	db_bind_int(s, "p", p);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	buf out;
	buf_init(&out);
	assert_int_equal(participant_export_json(f->d, f->v, pid, &out), DB_OK);
	json_t *ex = json_loads(out.data, 0, NULL);
	assert_non_null(ex);
	json_t *conv = json_array_get(json_object_get(ex, "conversations"), 0);
	assert_string_equal(json_string_value(json_object_get(conv, "trajectory")),
	                    "Export traject");
	json_t *pt = json_array_get(json_object_get(conv, "points"), 0);
	assert_string_equal(json_string_value(json_object_get(pt, "text")), "Meer groen");
	assert_string_equal(json_string_value(json_object_get(pt, "reason")), "geen budget");
	assert_true(json_is_array(json_object_get(ex, "stories")));
	assert_non_null(json_object_get(ex, "access_log"));
	json_decref(ex);
	buf_reset(&out);
	/* the contact request's sender: the message opened in their export */
	s = db_prepare(f->d, "SELECT participant_id FROM contact_requests WHERE id = :r");
	db_bind_int(s, "r", cr.id);
	int64_t sender = count(f, s);
	assert_int_equal(participant_export_json(f->d, f->v, sender, &out), DB_OK);
	ex = json_loads(out.data, 0, NULL);
	json_t *msg = json_array_get(json_object_get(ex, "contact_requests"), 0);
	assert_string_equal(json_string_value(json_object_get(msg, "message")),
	                    "Mijn vraag over de bankjes.");
	json_decref(ex);
	buf_free(&out);
	/* erasing the sender removes the message too */
	assert_int_equal(participant_erase(f->d, sender), DB_OK);
	s = db_prepare(f->d, "SELECT count(*) FROM contact_requests WHERE id = :r");
	db_bind_int(s, "r", cr.id);
	assert_int_equal(count(f, s), 0);
}

/* A trajectory with people waiting for feedback closes only with a reason. */
static void test_trajectory_close_waits(void **state)
{
	struct fixture *f = *state;
	int64_t t = trajectory(f, "Wachten", 1);
	int64_t c = conversation(f, t, "Keukentafel wachten");
	person(f, t, c, "Wim Wacht", "wim@example.org", NULL);
	struct conversation_invite inv = {.v = f->v,
	                                  .trajectory_id = t,
	                                  .conversation_id = c,
	                                  .channel = "letter",
	                                  .text = "Welkom"};
	assert_int_equal(conversation_invite_write(f->d, &inv), DB_OK);
	assert_int_equal(inv.result, CONV_OK);
	struct conversation_appointment ap = {.trajectory_id = t,
	                                      .conversation_id = c,
	                                      .a = {.starts_at = clock_now() + 86400,
	                                            .minutes = 60,
	                                            .place_kind = "town_hall",
	                                            .remind_minutes = -1}};
	assert_int_equal(conversation_appointment_write(f->d, &ap), DB_OK);
	assert_int_equal(ap.result, CONV_OK);
	struct conversation_change held = {
	        .trajectory_id = t, .conversation_id = c, .action = CONV_ACT_HELD};
	assert_int_equal(conversation_change_write(f->d, &held), DB_OK);
	assert_int_equal(held.result, CONV_OK);
	struct trajectory_close tc = {.org_id = f->org, .id = t, .close = 1};
	assert_int_equal(trajectory_close_write(f->d, &tc), DB_OK);
	assert_int_equal(tc.result, TRAJECTORY_NEEDS_REASON);
	tc.reason = "Wim is verhuisd; de brief kwam terug.";
	assert_int_equal(trajectory_close_write(f->d, &tc), DB_OK);
	assert_int_equal(tc.result, TRAJECTORY_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_status_table),
	        cmocka_unit_test(test_checks),
	        cmocka_unit_test(test_invite),
	        cmocka_unit_test(test_answer),
	        cmocka_unit_test(test_appointment),
	        cmocka_unit_test(test_talk),
	        cmocka_unit_test(test_feedback_draft),
	        cmocka_unit_test(test_feedback_loops_close),
	        cmocka_unit_test(test_close_with_reason),
	        cmocka_unit_test(test_purge_after_retention),
	        cmocka_unit_test(test_export_and_erase),
	        cmocka_unit_test(test_trajectory_close_waits),
	        cmocka_unit_test(test_sealed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
