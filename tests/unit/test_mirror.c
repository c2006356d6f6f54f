/* test_mirror.c: mirror conversations: the verdict and follow-up rules, a panel from invitation to the report (proposals with team, verdict and follow-up; the report drafted from them and recorded sent to each panel member by e-mail or letter), and what a kitchen-table conversation is not. */
#include "testutil.h"
#include "testdb.h"
#include "teststory.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/migrate.h"
#include "model/conversation.h"
#include "model/mirror.h"
#include "model/trajectory.h"
#include "model/user.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

struct fixture {
	char dir[64], path[96], key[128];
	db *d;
	vault *v;
	int64_t org, anna;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_store_open(f->dir, f->path, &f->d, &f->org, "mirror") ||
	    test_vault_make(f->dir, f->key, &f->v))
		return -1;
	if (user_insert(f->d, f->org, "anna", "Anna", ROLE_GESPREKSVOERDER, "x", 0, &f->anna) !=
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

static int64_t trajectory(struct fixture *f)
{
	struct trajectory_new t = {.org_id = f->org, .user_id = f->anna, .f = {.title = "Wmo"}};
	assert_int_equal(trajectory_create_write(f->d, &t), DB_OK);
	struct trajectory_update u = {
	        .org_id = f->org,
	        .id = t.id,
	        .user_id = f->anna,
	        .f = {.title = "Hulp bij het huishouden",
	              .scope = "Over de dienstverlening van het Wmo-loket. De wet zelf ligt vast",
	              .selection_rationale = "U kreeg het afgelopen jaar hulp.",
	              .contact_route = "bel 14 020"}};
	assert_int_equal(trajectory_update_write(f->d, &u), DB_OK);
	return t.id;
}

static int64_t mirror(struct fixture *f, int64_t traj)
{
	struct mirror_new m = {.trajectory_id = traj,
	                       .user_id = f->anna,
	                       .title = "Spiegelgesprek Wmo-loket",
	                       .facilitator_name = "Fatima Leider",
	                       .facilitator_org = "Bureau Onafhankelijk"};
	assert_null(mirror_check(&m));
	assert_int_equal(mirror_create_write(f->d, &m), DB_OK);
	assert_true(m.id > 0);
	return m.id;
}

static int64_t panel_member(struct fixture *f, int64_t traj, int64_t conv, const char *name,
                            const char *email, const char *address)
{
	struct conversation_person_new p = {.v = f->v,
	                                    .trajectory_id = traj,
	                                    .conversation_id = conv,
	                                    .name = name,
	                                    .email = email,
	                                    .address = address};
	assert_null(conversation_person_check(&p));
	assert_int_equal(conversation_person_write(f->d, &p), DB_OK);
	assert_int_equal(p.result, CONV_OK);
	return p.id;
}

static int change(struct fixture *f, struct mirror_change *c)
{
	const char *bad = mirror_change_check(c);
	if (bad)
		fail_msg("check: %s", bad);
	c->v = f->v;
	c->user_id = f->anna;
	assert_int_equal(mirror_change_write(f->d, c), DB_OK);
	return c->result;
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

static void test_rules(void **state)
{
	(void)state;
	/* verdicts */
	assert_null(mirror_verdict_check("adopted", NULL));
	assert_null(mirror_verdict_check("under_study", ""));
	assert_non_null(mirror_verdict_check("not_adopted", "  "));
	assert_null(mirror_verdict_check("not_adopted", "Het budget is op."));
	assert_non_null(mirror_verdict_check("maybe", NULL));
	assert_non_null(mirror_verdict_check(NULL, NULL));
	/* follow-up: only of adopted or studied proposals; a date unless open */
	assert_null(mirror_follow_up_check("adopted", "open", NULL));
	assert_null(mirror_follow_up_check("adopted", "done", "2026-03-01"));
	assert_null(mirror_follow_up_check("under_study", "in_progress", "2026-04-30"));
	assert_non_null(mirror_follow_up_check("adopted", "done", ""));
	assert_non_null(mirror_follow_up_check("adopted", "done", "2026-02-30"));
	assert_non_null(mirror_follow_up_check("not_adopted", "in_progress", "2026-04-30"));
	assert_non_null(mirror_follow_up_check("", "open", NULL));
	assert_non_null(mirror_follow_up_check("adopted", "finished", "2026-04-30"));
	/* the point's decision follows the verdict */
	assert_string_equal(mirror_point_decision("adopted"), "taken");
	assert_string_equal(mirror_point_decision("under_study"), "taken");
	assert_string_equal(mirror_point_decision("not_adopted"), "not_taken");
	assert_string_equal(mirror_point_decision(NULL), "open");
	/* rounds */
	assert_int_equal(mirror_round_parse("proposals"), MIRROR_ROUND_PROPOSALS);
	assert_int_equal(mirror_round_parse("lunch"), -1);
	assert_string_equal(mirror_round_name(MIRROR_ROUND_QUESTIONS), "questions");
	/* creating needs the facilitator */
	struct mirror_new m = {.title = "Spiegel", .facilitator_name = " "};
	assert_non_null(mirror_check(&m));
	m.facilitator_name = "Fatima\nLeider";
	assert_non_null(mirror_check(&m));
	m.facilitator_name = "Fatima Leider";
	assert_null(mirror_check(&m));
	/* a proposal needs its owner */
	struct mirror_change c = {.action = MIRROR_ACT_PROPOSAL, .text = "Bel terug", .team = ""};
	assert_non_null(mirror_change_check(&c));
	c.team = "Team Wmo";
	assert_null(mirror_change_check(&c));
}

static void test_panel_to_report(void **state)
{
	struct fixture *f = *state;
	int64_t t = trajectory(f), c = mirror(f, t);
	char kind[16];
	assert_int_equal(mirror_kind_of(f->d, t, c, kind), DB_ROW);
	assert_string_equal(kind, "mirror");
	assert_int_equal(mirror_kind_of(f->d, t + 1000, c, kind), DB_DONE);
	/* a panel: one by e-mail, one only by letter, one who declines */
	int64_t p1 = panel_member(f, t, c, "Els", "els@example.org", NULL);
	int64_t p2 = panel_member(f, t, c, "Henk", NULL, "Dorpsstraat 1, 1234 AB Dorp");
	int64_t p3 = panel_member(f, t, c, "Ria", "ria@example.org", NULL);
	struct conversation_invite inv = {.v = f->v,
	                                  .trajectory_id = t,
	                                  .conversation_id = c,
	                                  .channel = "letter",
	                                  .text = "Wij nodigen u uit."};
	assert_int_equal(conversation_invite_write(f->d, &inv), DB_OK);
	assert_int_equal(inv.result, CONV_OK);
	assert_int_equal(inv.n, 3);
	db_stmt *s = db_prepare(f->d, "UPDATE conversation_people SET response = 'declined' "
	                              "WHERE id = :p");
	db_bind_int(s, "p", p3);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	/* the officials who listen */
	struct mirror_change o = {.trajectory_id = t,
	                          .conversation_id = c,
	                          .action = MIRROR_ACT_OBSERVER,
	                          .name = "Piet Ambtenaar",
	                          .team = "Team Wmo"};
	assert_int_equal(change(f, &o), CONV_OK);

	/* no proposal before the talk */
	struct mirror_change pr = {.trajectory_id = t,
	                           .conversation_id = c,
	                           .action = MIRROR_ACT_PROPOSAL,
	                           .text = "Bel binnen twee dagen terug",
	                           .team = "Team Wmo",
	                           .person_id = p1};
	assert_int_equal(change(f, &pr), MIRROR_NOT_HELD);
	/* the talk */
	struct conversation_appointment ap = {.trajectory_id = t,
	                                      .conversation_id = c,
	                                      .a = {.starts_at = clock_now() + 86400,
	                                            .minutes = 120,
	                                            .place_kind = "town_hall",
	                                            .place = "Zaal 2",
	                                            .remind_minutes = -1}};
	assert_int_equal(conversation_appointment_write(f->d, &ap), DB_OK);
	assert_int_equal(ap.result, CONV_OK);
	struct conversation_change held = {
	        .trajectory_id = t, .conversation_id = c, .action = CONV_ACT_HELD};
	assert_int_equal(conversation_change_write(f->d, &held), DB_OK);
	assert_string_equal(status(f, c), "held");

	/* notes per round */
	struct mirror_change n = {.trajectory_id = t,
	                          .conversation_id = c,
	                          .action = MIRROR_ACT_ROUND_NOTE,
	                          .round = "experiences",
	                          .text = "Het loket is lastig te bellen."};
	assert_int_equal(change(f, &n), CONV_OK);
	n.round = "questions";
	n.text = "Piet vroeg wat een goede terugbeltijd is.";
	assert_int_equal(change(f, &n), CONV_OK);

	/* three proposals */
	assert_int_equal(change(f, &pr), CONV_OK);
	int64_t a = pr.id;
	pr.text = "Een vaste contactpersoon";
	pr.person_id = 0;
	assert_int_equal(change(f, &pr), CONV_OK);
	int64_t b = pr.id;
	pr.text = "Gratis taxi naar het loket";
	pr.team = "Team Vervoer";
	pr.person_id = p2;
	assert_int_equal(change(f, &pr), CONV_OK);
	int64_t x = pr.id;

	/* the report waits for every verdict */
	struct mirror_change rep = {.trajectory_id = t,
	                            .conversation_id = c,
	                            .action = MIRROR_ACT_REPORT_SENT,
	                            .text = "Het verslag."};
	assert_int_equal(change(f, &rep), MIRROR_UNDECIDED);

	/* verdicts; a follow-up only where it may */
	struct mirror_change v = {.trajectory_id = t,
	                          .conversation_id = c,
	                          .action = MIRROR_ACT_VERDICT,
	                          .point_id = a,
	                          .verdict = "adopted"};
	assert_int_equal(change(f, &v), CONV_OK);
	struct mirror_change fu = {.trajectory_id = t,
	                           .conversation_id = c,
	                           .action = MIRROR_ACT_FOLLOW_UP,
	                           .point_id = b,
	                           .follow_up = "in_progress",
	                           .on = "2026-06-01"};
	assert_int_equal(change(f, &fu), MIRROR_NO_FOLLOW_UP); /* no verdict yet */
	v.point_id = b;
	v.verdict = "under_study";
	assert_int_equal(change(f, &v), CONV_OK);
	assert_int_equal(change(f, &fu), CONV_OK);
	v.point_id = x;
	v.verdict = "not_adopted";
	v.reason = "Omdat vervoer al via de Regiotaxi gaat.";
	assert_int_equal(change(f, &v), CONV_OK);
	fu.point_id = x;
	assert_int_equal(change(f, &fu), MIRROR_NO_FOLLOW_UP);
	fu.point_id = a;
	fu.follow_up = "done";
	fu.on = "2026-05-15";
	assert_int_equal(change(f, &fu), CONV_OK);
	/* a point of another conversation is not found */
	fu.point_id = 999999;
	assert_int_equal(change(f, &fu), CONV_NOT_FOUND);
	assert_string_equal(status(f, c), "decided");

	/* the draft: every proposal with its team, verdict and follow-up */
	buf draft;
	buf_init(&draft);
	assert_int_equal(mirror_report_draft(f->d, c, &draft), DB_OK);
	assert_non_null(strstr(draft.data, "spiegelgesprek: Spiegelgesprek Wmo-loket."));
	assert_non_null(strstr(draft.data, "1. Voorstel: Bel binnen twee dagen terug."));
	assert_non_null(strstr(draft.data, "Wie: Team Wmo."));
	assert_non_null(strstr(draft.data, "dit voorstel nemen we over.\nStand: dit is klaar "
	                                   "sinds 15-5-2026."));
	assert_non_null(strstr(draft.data, "onderzoeken we nog.\nStand: we zijn ermee bezig. We "
	                                   "verwachten het klaar te hebben op 1-6-2026."));
	assert_non_null(strstr(draft.data, "nemen we niet over, omdat vervoer al via de "
	                                   "Regiotaxi gaat."));
	assert_non_null(strstr(draft.data, "bel 14 020."));
	assert_null(strstr(draft.data, "Els"));
	assert_null(strstr(draft.data, "Henk"));

	/* reviewed and saved, then sent: Els by e-mail, Henk by letter, Ria
	 * declined and is owed nothing */
	struct mirror_change rd = {.trajectory_id = t,
	                           .conversation_id = c,
	                           .action = MIRROR_ACT_REPORT_DRAFT,
	                           .text = draft.data};
	assert_int_equal(change(f, &rd), CONV_OK);
	rep.text = draft.data;
	assert_int_equal(change(f, &rep), CONV_OK);
	assert_int_equal(rep.n_sent, 2);
	assert_int_equal(rep.sent_person[0], p1);
	assert_int_equal(rep.sent_by_letter[0], 0);
	assert_int_equal(rep.sent_person[1], p2);
	assert_int_equal(rep.sent_by_letter[1], 1);
	assert_string_equal(status(f, c), "feedback");
	s = db_prepare(f->d, "SELECT count(*) FROM conversation_people WHERE conversation_id = :c "
	                     "AND feedback_sent_at IS NOT NULL AND feedback = :text");
	db_bind_int(s, "c", c);
	db_bind_text(s, "text", draft.data);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 2);
	db_finalize(s);
	/* sent is the record: no new draft, nobody left to send to */
	assert_int_equal(change(f, &rd), MIRROR_SENT_ALREADY);
	assert_int_equal(change(f, &rep), MIRROR_NOBODY);

	json_t *got = NULL;
	assert_int_equal(mirror_get_json(f->d, t, c, &got), DB_ROW);
	assert_string_equal(json_string_value(json_object_get(got, "facilitator_name")),
	                    "Fatima Leider");
	assert_int_equal(json_array_size(json_object_get(got, "observers")), 1);
	assert_int_equal(json_array_size(json_object_get(got, "proposals")), 3);
	json_t *notes = json_object_get(got, "notes");
	assert_int_equal(json_array_size(notes), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(notes, 1), "round")),
	                    "questions");
	assert_true(json_integer_value(json_object_get(got, "report_sent_at")) > 0);
	json_decref(got);
	json_t *list = NULL;
	assert_int_equal(mirror_list_json(f->d, t, &list), DB_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "proposals")),
	                 3);
	json_decref(list);
	buf_free(&draft);
}

static void test_not_a_kitchen_table(void **state)
{
	struct fixture *f = *state;
	int64_t t = trajectory(f), other = trajectory(f), c = mirror(f, t);
	struct conversation_new k = {.trajectory_id = t, .title = "Keukentafel"};
	assert_int_equal(conversation_create_write(f->d, &k), DB_OK);
	/* a kitchen-table conversation is no mirror conversation */
	json_t *o = NULL;
	assert_int_equal(mirror_get_json(f->d, t, k.id, &o), DB_DONE);
	struct mirror_change n = {.trajectory_id = t,
	                          .conversation_id = k.id,
	                          .action = MIRROR_ACT_OBSERVER,
	                          .name = "Piet"};
	assert_int_equal(change(f, &n), CONV_NOT_FOUND);
	/* nor in another trajectory */
	assert_int_equal(mirror_get_json(f->d, other, c, &o), DB_DONE);
	n.trajectory_id = other;
	n.conversation_id = c;
	assert_int_equal(change(f, &n), CONV_NOT_FOUND);
	/* a closed one changes no more */
	struct conversation_change cl = {
	        .trajectory_id = t, .conversation_id = c, .action = CONV_ACT_CLOSE};
	assert_int_equal(conversation_change_write(f->d, &cl), DB_OK);
	n.trajectory_id = t;
	assert_int_equal(change(f, &n), CONV_CLOSED_ALREADY);
	/* the list of the trajectory has only the mirror conversations */
	json_t *list = NULL;
	assert_int_equal(mirror_list_json(f->d, t, &list), DB_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rules),
	        cmocka_unit_test(test_panel_to_report),
	        cmocka_unit_test(test_not_a_kitchen_table),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
