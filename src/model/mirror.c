/* mirror.c: mirror conversations: the facilitator, the listening officials, notes per round, improvement proposals with owner, verdict and follow-up, and the report to the panel, on top of the conversation they are a kind of. */
#include "model/mirror.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"
#include "model/participant.h"
#include "model/script_library.h"
#include "model/trajectory.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const round_names[MIRROR_NROUNDS] = {"experiences", "proposals", "questions"};

const char *mirror_round_name(int round)
{
	return round >= 0 && round < MIRROR_NROUNDS ? round_names[round] : "experiences";
}

int mirror_round_parse(const char *name)
{
	for (int i = 0; name && i < MIRROR_NROUNDS; i++)
		if (strcmp(name, round_names[i]) == 0)
			return i;
	return -1;
}

/* ---- checks -------------------------------------------------------------- */

static int one_of(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static const char *const verdicts[] = {"adopted", "not_adopted", "under_study", NULL};
static const char *const follow_ups[] = {"open", "in_progress", "done", NULL};

/* A name or team: at most 200 characters on one line. */
static int line_ok(const char *s)
{
	return util_text_ok(s, MIRROR_NAME_LEN) && !strpbrk(s, "\r\n\t");
}

const char *mirror_verdict_check(const char *verdict, const char *reason)
{
	if (!one_of(verdict, verdicts))
		return N_("Choose whether the proposal is adopted, not adopted or under study.");
	if (strcmp(verdict, "not_adopted") == 0 && util_blank(reason))
		return N_("Say why the proposal is not adopted.");
	if (reason && *reason && !util_text_ok(reason, CONVERSATION_TEXT_MAX))
		return N_("The reason may have at most 8000 characters.");
	return NULL;
}

const char *mirror_follow_up_check(const char *verdict, const char *follow_up, const char *on)
{
	if (!one_of(follow_up, follow_ups))
		return N_("Choose open, in progress or done.");
	if (util_blank(verdict) || strcmp(verdict, "not_adopted") == 0)
		return N_("Only an adopted proposal, or one under study, has a follow-up.");
	if (strcmp(follow_up, "open") != 0 && util_blank(on))
		return N_("Give the date: when it was done, or when it is expected.");
	if (!util_blank(on) && !trajectory_date_ok(on))
		return N_("Write the date as year-month-day, for example 2026-03-01.");
	return NULL;
}

const char *mirror_point_decision(const char *verdict)
{
	if (util_blank(verdict))
		return "open";
	return strcmp(verdict, "not_adopted") == 0 ? "not_taken" : "taken";
}

const char *mirror_check(const struct mirror_new *m)
{
	assert(m);
	struct conversation_new c = {.title = m->title};
	const char *bad = conversation_check(&c);
	if (bad)
		return bad;
	if (util_blank(m->facilitator_name) || !line_ok(m->facilitator_name))
		return N_("Give the name of the independent facilitator (at most 200 characters).");
	if (m->facilitator_org && *m->facilitator_org && !line_ok(m->facilitator_org))
		return N_("The organisation has at most 200 characters on one line.");
	return NULL;
}

const char *mirror_change_check(const struct mirror_change *c)
{
	assert(c);
	switch (c->action) {
	case MIRROR_ACT_FACILITATOR: {
		struct mirror_new m = {
		        .title = "x", .facilitator_name = c->name, .facilitator_org = c->org};
		return mirror_check(&m);
	}
	case MIRROR_ACT_OBSERVER:
		if (util_blank(c->name) || !line_ok(c->name))
			return N_("Give the name of the official who listens (at most 200 "
			          "characters).");
		if (c->team && *c->team && !line_ok(c->team))
			return N_("A team has at most 200 characters on one line.");
		return NULL;
	case MIRROR_ACT_ROUND_NOTE:
		if (mirror_round_parse(c->round) < 0)
			return N_("Choose the round the note belongs to.");
		if (util_blank(c->text) || !util_text_ok(c->text, CONVERSATION_TEXT_MAX))
			return N_("Write the note (at most 8000 characters).");
		return NULL;
	case MIRROR_ACT_PROPOSAL:
		if (util_blank(c->text) || !util_text_ok(c->text, CONVERSATION_TEXT_MAX))
			return N_("Write the proposal (at most 8000 characters).");
		if (util_blank(c->team) || !line_ok(c->team))
			return N_("Name the team that owns the proposal (at most 200 characters).");
		if (c->person_id < 0)
			return N_("Choose who made the proposal.");
		return NULL;
	case MIRROR_ACT_VERDICT:
		if (c->point_id <= 0)
			return N_("Choose the proposal to decide on.");
		return mirror_verdict_check(c->verdict, c->reason);
	case MIRROR_ACT_FOLLOW_UP:
		if (c->point_id <= 0)
			return N_("Choose the proposal to decide on.");
		if (!one_of(c->follow_up, follow_ups))
			return N_("Choose open, in progress or done.");
		if (c->follow_up && strcmp(c->follow_up, "open") != 0 && util_blank(c->on))
			return N_("Give the date: when it was done, or when it is expected.");
		if (!util_blank(c->on) && !trajectory_date_ok(c->on))
			return N_("Write the date as year-month-day, for example 2026-03-01.");
		if (c->note && *c->note && !util_text_ok(c->note, CONVERSATION_TEXT_MAX))
			return N_("The note may have at most 8000 characters.");
		return NULL;
	case MIRROR_ACT_REPORT_DRAFT:
	case MIRROR_ACT_REPORT_SENT:
		if (util_blank(c->text) || !util_text_ok(c->text, CONVERSATION_TEXT_MAX))
			return N_("Write the report (at most 8000 characters).");
		return NULL;
	}
	return N_("Unknown action.");
}

/* ---- helpers ------------------------------------------------------------- */

static int done_ok(int rc)
{
	return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

static json_t *int_or_null(db_stmt *s, int i)
{
	return db_col_is_null(s, i) ? json_null() : json_integer(db_col_int(s, i));
}

static json_t *text_or_null(db_stmt *s, int i)
{
	return db_col_is_null(s, i) ? json_null() : json_string(db_col_text(s, i));
}

/* Whether cid is a mirror conversation of trajectory tid: CONV_OK with
 * *closed and *held set, CONV_NOT_FOUND, or a negative db error. */
static int mirror_find(db *d, int64_t tid, int64_t cid, int *closed, int *held)
{
	db_stmt *s = db_prepare(d, "SELECT closed_at IS NOT NULL, held_at IS NOT NULL FROM "
	                           "conversations c JOIN mirror_conversations m ON "
	                           "m.conversation_id = c.id WHERE c.id = :id AND "
	                           "c.trajectory_id = :t AND c.kind = 'mirror'");
	db_bind_int(s, "id", cid);
	db_bind_int(s, "t", tid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*closed = (int)db_col_int(s, 0);
		*held = (int)db_col_int(s, 1);
	}
	db_finalize(s);
	return rc == DB_ROW ? CONV_OK : rc == DB_DONE ? CONV_NOT_FOUND : rc;
}

/* A change of the conversation itself, through its own writer (so its
 * checks, its status and its updated time are those of every
 * conversation). */
static int conversation_do(db *d, struct mirror_change *m, struct conversation_change *c)
{
	c->trajectory_id = m->trajectory_id;
	c->conversation_id = m->conversation_id;
	c->user_id = m->user_id;
	int rc = conversation_change_write(d, c);
	m->result = c->result;
	m->id = c->id;
	return rc;
}

/* ---- writes -------------------------------------------------------------- */

int mirror_create_write(db *d, void *ctx)
{
	struct mirror_new *m = ctx;
	assert(mirror_check(m) == NULL);
	struct conversation_new c = {
	        .trajectory_id = m->trajectory_id, .user_id = m->user_id, .title = m->title};
	int rc = conversation_create_write(d, &c);
	if (rc != DB_OK)
		return rc;
	m->id = c.id;
	db_stmt *s = db_prepare(d, "UPDATE conversations SET kind = 'mirror' WHERE id = :id");
	db_bind_int(s, "id", m->id);
	rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	s = db_prepare(d, "INSERT INTO mirror_conversations (conversation_id, facilitator_name, "
	                  "facilitator_org) VALUES (:c, :name, :org)");
	db_bind_int(s, "c", m->id);
	db_bind_text(s, "name", m->facilitator_name);
	db_bind_text(s, "org", m->facilitator_org ? m->facilitator_org : "");
	rc = db_step(s);
	db_finalize(s);
	return done_ok(rc);
}

static int act_facilitator(db *d, struct mirror_change *c)
{
	db_stmt *s = db_prepare(d, "UPDATE mirror_conversations SET facilitator_name = :name, "
	                           "facilitator_org = :org WHERE conversation_id = :c");
	db_bind_text(s, "name", c->name);
	db_bind_text(s, "org", c->org ? c->org : "");
	db_bind_int(s, "c", c->conversation_id);
	int rc = db_step(s);
	db_finalize(s);
	return done_ok(rc);
}

static int act_observer(db *d, struct mirror_change *c)
{
	db_stmt *s = db_prepare(d, "INSERT INTO mirror_observers (conversation_id, name, team, "
	                           "created_at) VALUES (:c, :name, :team, :now) RETURNING id");
	db_bind_int(s, "c", c->conversation_id);
	db_bind_text(s, "name", c->name);
	db_bind_text(s, "team", c->team ? c->team : "");
	db_bind_int(s, "now", clock_now());
	int rc = db_step(s);
	if (rc == DB_ROW)
		c->id = db_col_int(s, 0);
	db_finalize(s);
	return done_ok(rc);
}

static int act_round_note(db *d, struct mirror_change *c)
{
	struct conversation_change n = {.action = CONV_ACT_NOTE, .text = c->text};
	int rc = conversation_do(d, c, &n);
	if (rc != DB_OK || c->result != CONV_OK)
		return rc;
	db_stmt *s = db_prepare(d, "UPDATE conversation_notes SET round = :round WHERE id = :id");
	db_bind_text(s, "round", c->round);
	db_bind_int(s, "id", c->id);
	rc = db_step(s);
	db_finalize(s);
	return done_ok(rc);
}

static int act_proposal(db *d, struct mirror_change *c, int held)
{
	if (!held) {
		c->result = MIRROR_NOT_HELD;
		return DB_OK;
	}
	struct conversation_change p = {.action = CONV_ACT_POINT,
	                                .text = c->text,
	                                .theme = c->team,
	                                .person_id = c->person_id};
	int rc = conversation_do(d, c, &p);
	if (rc != DB_OK || c->result != CONV_OK)
		return rc;
	db_stmt *s = db_prepare(d, "INSERT INTO mirror_proposals (point_id, team) VALUES (:p, "
	                           ":team)");
	db_bind_int(s, "p", c->id);
	db_bind_text(s, "team", c->team);
	rc = db_step(s);
	db_finalize(s);
	return done_ok(rc);
}

/* The verdict of proposal point_id of the conversation into verdict (16
 * bytes, "" for none): DB_ROW, DB_DONE when it is not one of its
 * proposals. */
static int proposal_verdict(db *d, int64_t cid, int64_t point_id, char verdict[16])
{
	db_stmt *s = db_prepare(d, "SELECT coalesce(m.verdict, '') FROM mirror_proposals m JOIN "
	                           "conversation_points p ON p.id = m.point_id WHERE "
	                           "m.point_id = :p AND p.conversation_id = :c");
	db_bind_int(s, "p", point_id);
	db_bind_int(s, "c", cid);
	int rc = db_step(s);
	if (rc == DB_ROW)
		snprintf(verdict, 16, "%s", db_col_text(s, 0));
	db_finalize(s);
	return rc;
}

static int act_verdict(db *d, struct mirror_change *c)
{
	char old[16];
	int rc = proposal_verdict(d, c->conversation_id, c->point_id, old);
	if (rc == DB_DONE) {
		c->result = CONV_NOT_FOUND;
		return DB_OK;
	}
	if (rc != DB_ROW)
		return rc;
	struct conversation_change p = {.action = CONV_ACT_DECIDE,
	                                .point_id = c->point_id,
	                                .decision = mirror_point_decision(c->verdict),
	                                .reason = c->reason};
	rc = conversation_do(d, c, &p);
	if (rc != DB_OK || c->result != CONV_OK)
		return rc;
	/* Not adopted: nothing follows up. */
	db_stmt *s = db_prepare(
	        d, "UPDATE mirror_proposals SET verdict = :v, follow_up = CASE WHEN :v = "
	           "'not_adopted' THEN 'open' ELSE follow_up END, follow_up_on = CASE WHEN :v = "
	           "'not_adopted' THEN NULL ELSE follow_up_on END WHERE point_id = :p");
	db_bind_text(s, "v", c->verdict);
	db_bind_int(s, "p", c->point_id);
	rc = db_step(s);
	db_finalize(s);
	return done_ok(rc);
}

static int act_follow_up(db *d, struct mirror_change *c)
{
	char verdict[16];
	int rc = proposal_verdict(d, c->conversation_id, c->point_id, verdict);
	if (rc == DB_DONE) {
		c->result = CONV_NOT_FOUND;
		return DB_OK;
	}
	if (rc != DB_ROW)
		return rc;
	if (mirror_follow_up_check(verdict, c->follow_up, c->on)) {
		c->result = MIRROR_NO_FOLLOW_UP;
		return DB_OK;
	}
	db_stmt *s = db_prepare(d, "UPDATE mirror_proposals SET follow_up = :f, follow_up_on = "
	                           ":on, follow_up_note = :note WHERE point_id = :p");
	db_bind_text(s, "f", c->follow_up);
	if (util_blank(c->on))
		db_bind_null(s, "on");
	else
		db_bind_text(s, "on", c->on);
	db_bind_text(s, "note", c->note ? c->note : "");
	db_bind_int(s, "p", c->point_id);
	rc = db_step(s);
	db_finalize(s);
	c->id = c->point_id;
	return done_ok(rc);
}

static int report_sent(db *d, int64_t cid, int *sent)
{
	db_stmt *s = db_prepare(d, "SELECT report_sent_at IS NOT NULL FROM mirror_conversations "
	                           "WHERE conversation_id = :c");
	db_bind_int(s, "c", cid);
	int rc = db_step(s);
	*sent = rc == DB_ROW && db_col_int(s, 0);
	db_finalize(s);
	return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

static int act_report_draft(db *d, struct mirror_change *c)
{
	int sent = 0;
	int rc = report_sent(d, c->conversation_id, &sent);
	if (rc != DB_OK)
		return rc;
	if (sent) {
		c->result = MIRROR_SENT_ALREADY;
		return DB_OK;
	}
	db_stmt *s = db_prepare(d, "UPDATE mirror_conversations SET report = :text WHERE "
	                           "conversation_id = :c");
	db_bind_text(s, "text", c->text);
	db_bind_int(s, "c", c->conversation_id);
	rc = db_step(s);
	db_finalize(s);
	return done_ok(rc);
}

/* The report to everyone of the panel still waiting for it (invited, not
 * declined, not heard back): each one's feedback, recorded sent through
 * the conversation's own writer, by e-mail when their address is known,
 * else as a letter. All of them or none: a failure rolls the job back. */
static int act_report_sent(db *d, struct mirror_change *c, int held)
{
	if (!held) {
		c->result = MIRROR_NOT_HELD;
		return DB_OK;
	}
	db_stmt *s = db_prepare(d, "SELECT count(*) FROM conversation_points p JOIN "
	                           "mirror_proposals m ON m.point_id = p.id WHERE "
	                           "p.conversation_id = :c AND m.verdict IS NULL");
	db_bind_int(s, "c", c->conversation_id);
	int rc = db_step(s);
	int64_t undecided = rc == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	if (undecided > 0) {
		c->result = MIRROR_UNDECIDED;
		return DB_OK;
	}
	int64_t pids[CONVERSATION_PEOPLE_MAX];
	c->n_sent = 0;
	s = db_prepare(d, "SELECT id, participant_id FROM conversation_people WHERE "
	                  "conversation_id = :c AND invited_at IS NOT NULL AND response <> "
	                  "'declined' AND feedback_sent_at IS NULL AND participant_id IS NOT "
	                  "NULL ORDER BY id");
	db_bind_int(s, "c", c->conversation_id);
	while ((rc = db_step(s)) == DB_ROW && c->n_sent < CONVERSATION_PEOPLE_MAX) {
		c->sent_person[c->n_sent] = db_col_int(s, 0);
		pids[c->n_sent++] = db_col_int(s, 1);
	}
	db_finalize(s);
	if (rc != DB_DONE && rc != DB_ROW)
		return rc;
	if (c->n_sent == 0) {
		c->result = MIRROR_NOBODY;
		return DB_OK;
	}
	for (int k = 0; k < c->n_sent; k++) {
		json_t *contact = NULL;
		if (participant_contact_open(d, c->v, pids[k], &contact) != DB_OK)
			return DB_ERROR;
		const char *mail = json_string_value(json_object_get(contact, "email"));
		c->sent_by_letter[k] = util_blank(mail);
		json_decref(contact);
		struct conversation_change f = {.action = CONV_ACT_FEEDBACK_SENT,
		                                .person_id = c->sent_person[k],
		                                .text = c->text,
		                                .channel =
		                                        c->sent_by_letter[k] ? "letter" : "email"};
		if ((rc = conversation_do(d, c, &f)) != DB_OK)
			return rc;
		if (c->result != CONV_OK)
			return DB_ERROR; /* checked above: a broken invariant, roll back */
	}
	s = db_prepare(d, "UPDATE mirror_conversations SET report = :text, report_sent_at = :now, "
	                  "report_sent_by = :u WHERE conversation_id = :c");
	db_bind_text(s, "text", c->text);
	db_bind_int(s, "now", clock_now());
	if (c->user_id > 0)
		db_bind_int(s, "u", c->user_id);
	else
		db_bind_null(s, "u");
	db_bind_int(s, "c", c->conversation_id);
	rc = db_step(s);
	db_finalize(s);
	c->id = c->conversation_id;
	return done_ok(rc);
}

int mirror_change_write(db *d, void *ctx)
{
	struct mirror_change *c = ctx;
	assert(mirror_change_check(c) == NULL);
	c->id = 0;
	c->n_sent = 0;
	int closed = 0, held = 0;
	int rc = mirror_find(d, c->trajectory_id, c->conversation_id, &closed, &held);
	c->result = rc > 0 ? rc : closed ? CONV_CLOSED_ALREADY : CONV_OK;
	if (rc < 0 || c->result != CONV_OK)
		return rc < 0 ? rc : DB_OK;
	switch (c->action) {
	case MIRROR_ACT_FACILITATOR: return act_facilitator(d, c);
	case MIRROR_ACT_OBSERVER: return act_observer(d, c);
	case MIRROR_ACT_ROUND_NOTE: return act_round_note(d, c);
	case MIRROR_ACT_PROPOSAL: return act_proposal(d, c, held);
	case MIRROR_ACT_VERDICT: return act_verdict(d, c);
	case MIRROR_ACT_FOLLOW_UP: return act_follow_up(d, c);
	case MIRROR_ACT_REPORT_DRAFT: return act_report_draft(d, c);
	case MIRROR_ACT_REPORT_SENT: return act_report_sent(d, c, held);
	}
	abort();
}

/* ---- reads --------------------------------------------------------------- */

int mirror_kind_of(db *d, int64_t tid, int64_t cid, char kind[16])
{
	db_stmt *s = db_prepare(
	        d, "SELECT kind FROM conversations WHERE id = :c AND trajectory_id = :t");
	db_bind_int(s, "c", cid);
	db_bind_int(s, "t", tid);
	int rc = db_step(s);
	if (rc == DB_ROW)
		snprintf(kind, 16, "%s", db_col_text(s, 0));
	db_finalize(s);
	return rc;
}

int mirror_get_json(db *d, int64_t trajectory_id, int64_t cid, json_t **out)
{
	*out = NULL;
	db_stmt *s = db_prepare(
	        d, "SELECT m.facilitator_name, m.facilitator_org, m.report, m.report_sent_at FROM "
	           "mirror_conversations m JOIN conversations c ON c.id = m.conversation_id "
	           "WHERE c.id = :c AND c.trajectory_id = :t AND c.kind = 'mirror'");
	db_bind_int(s, "c", cid);
	db_bind_int(s, "t", trajectory_id);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc;
	}
	json_t *o = json_object();
	json_object_set_new(o, "facilitator_name", json_string(db_col_text(s, 0)));
	json_object_set_new(o, "facilitator_org", json_string(db_col_text(s, 1)));
	json_object_set_new(o, "report", json_string(db_col_text(s, 2)));
	json_object_set_new(o, "report_sent_at", int_or_null(s, 3));
	db_finalize(s);

	json_t *observers = json_array();
	s = db_prepare(d, "SELECT id, name, team FROM mirror_observers WHERE conversation_id = :c "
	                  "ORDER BY id");
	db_bind_int(s, "c", cid);
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *x = json_object();
		json_object_set_new(x, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(x, "name", json_string(db_col_text(s, 1)));
		json_object_set_new(x, "team", json_string(db_col_text(s, 2)));
		json_array_append_new(observers, x);
	}
	db_finalize(s);
	json_object_set_new(o, "observers", observers);

	json_t *notes = json_array();
	if (rc == DB_DONE) {
		s = db_prepare(d,
		               "SELECT n.id, coalesce(n.round, ''), n.body, n.created_at, "
		               "coalesce(u.display_name, '') FROM conversation_notes n LEFT JOIN "
		               "users u ON u.id = n.created_by WHERE n.conversation_id = :c "
		               "ORDER BY n.created_at, n.id");
		db_bind_int(s, "c", cid);
		while ((rc = db_step(s)) == DB_ROW) {
			json_t *x = json_object();
			json_object_set_new(x, "id", json_integer(db_col_int(s, 0)));
			json_object_set_new(x, "round", json_string(db_col_text(s, 1)));
			json_object_set_new(x, "body", json_string(db_col_text(s, 2)));
			json_object_set_new(x, "created_at", json_integer(db_col_int(s, 3)));
			json_object_set_new(x, "author", json_string(db_col_text(s, 4)));
			json_array_append_new(notes, x);
		}
		db_finalize(s);
	}
	json_object_set_new(o, "notes", notes);

	json_t *proposals = json_array();
	if (rc == DB_DONE) {
		s = db_prepare(d, "SELECT p.id, p.text, p.person_id, m.team, m.verdict, p.reason, "
		                  "m.follow_up, m.follow_up_on, m.follow_up_note FROM "
		                  "conversation_points p JOIN mirror_proposals m ON m.point_id = "
		                  "p.id WHERE p.conversation_id = :c ORDER BY p.id");
		db_bind_int(s, "c", cid);
		while ((rc = db_step(s)) == DB_ROW) {
			json_t *x = json_object();
			json_object_set_new(x, "id", json_integer(db_col_int(s, 0)));
			json_object_set_new(x, "text", json_string(db_col_text(s, 1)));
			json_object_set_new(x, "person_id", int_or_null(s, 2));
			json_object_set_new(x, "team", json_string(db_col_text(s, 3)));
			json_object_set_new(x, "verdict", text_or_null(s, 4));
			json_object_set_new(x, "reason", json_string(db_col_text(s, 5)));
			json_object_set_new(x, "follow_up", json_string(db_col_text(s, 6)));
			json_object_set_new(x, "follow_up_on", text_or_null(s, 7));
			json_object_set_new(x, "follow_up_note", json_string(db_col_text(s, 8)));
			json_array_append_new(proposals, x);
		}
		db_finalize(s);
	}
	json_object_set_new(o, "proposals", proposals);
	if (rc != DB_DONE) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return DB_ROW;
}

int mirror_list_json(db *d, int64_t trajectory_id, json_t **out)
{
	*out = json_array();
	db_stmt *s = db_prepare(
	        d, "SELECT c.id, c.title, c.status, m.facilitator_name, "
	           "(SELECT count(*) FROM conversation_people p WHERE p.conversation_id = c.id), "
	           "(SELECT count(*) FROM mirror_proposals x JOIN conversation_points p ON p.id = "
	           "x.point_id WHERE p.conversation_id = c.id), "
	           "(SELECT count(*) FROM conversation_people p WHERE p.conversation_id = c.id "
	           "AND c.held_at IS NOT NULL AND c.closed_at IS NULL AND p.invited_at IS NOT "
	           "NULL AND p.response <> 'declined' AND p.feedback_sent_at IS NULL) "
	           "FROM conversations c JOIN mirror_conversations m ON m.conversation_id = c.id "
	           "WHERE c.trajectory_id = :t AND c.kind = 'mirror' "
	           "ORDER BY c.created_at DESC, c.id DESC");
	db_bind_int(s, "t", trajectory_id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "title", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "status", json_string(db_col_text(s, 2)));
		json_object_set_new(o, "facilitator_name", json_string(db_col_text(s, 3)));
		json_object_set_new(o, "people", json_integer(db_col_int(s, 4)));
		json_object_set_new(o, "proposals", json_integer(db_col_int(s, 5)));
		json_object_set_new(o, "open_loops", json_integer(db_col_int(s, 6)));
		json_array_append_new(*out, o);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* "2026-03-01" as "1-3-2026", the way a Dutch letter writes a date. */
static void put_date(buf *out, const char *ymd)
{
	int y = 0, m = 0, day = 0;
	if (sscanf(ymd, "%d-%d-%d", &y, &m, &day) == 3)
		buf_printf(out, "%d-%d-%d", day, m, y);
	else
		buf_puts(out, ymd);
}

int mirror_report_draft(db *d, int64_t conversation_id, buf *out)
{
	db_stmt *s = db_prepare(d, "SELECT c.title, t.scope, t.contact_route FROM conversations c "
	                           "JOIN trajectories t ON t.id = c.trajectory_id WHERE c.id = :c "
	                           "AND c.kind = 'mirror'");
	db_bind_int(s, "c", conversation_id);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc;
	}
	char *title = strdup(db_col_text(s, 0)), *scope = strdup(db_col_text(s, 1)),
	     *contact = strdup(db_col_text(s, 2));
	db_finalize(s);
	if (!title || !scope || !contact)
		abort();
	buf_puts(out, "Beste deelnemer,\n\nDank u voor uw inbreng in het spiegelgesprek: ");
	conversation_put_sentence(out, title);
	buf_puts(out, " U vertelde over uw ervaringen en deed voorstellen om onze dienstverlening "
	              "beter te maken. Hieronder leest u wat de gemeente met elk voorstel doet.\n");

	s = db_prepare(d, "SELECT p.text, m.team, coalesce(m.verdict, ''), p.reason, m.follow_up, "
	                  "coalesce(m.follow_up_on, '') FROM conversation_points p JOIN "
	                  "mirror_proposals m ON m.point_id = p.id WHERE p.conversation_id = :c "
	                  "ORDER BY p.id");
	db_bind_int(s, "c", conversation_id);
	int n = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		buf_printf(out, "\n%d. Voorstel: ", ++n);
		conversation_put_sentence(out, db_col_text(s, 0));
		buf_puts(out, "\nWie: ");
		conversation_put_sentence(out, db_col_text(s, 1));
		const char *verdict = db_col_text(s, 2), *follow = db_col_text(s, 4),
		           *on = db_col_text(s, 5);
		if (strcmp(verdict, "adopted") == 0)
			buf_puts(out, "\nBesluit: dit voorstel nemen we over.");
		else if (strcmp(verdict, "under_study") == 0)
			buf_puts(out, "\nBesluit: dit voorstel onderzoeken we nog.");
		else if (strcmp(verdict, "not_adopted") == 0) {
			buf_puts(out, "\nBesluit: dit voorstel nemen we niet over, omdat ");
			conversation_put_reason(out, db_col_text(s, 3));
		} else
			buf_puts(out, "\nBesluit: hierover beslissen we nog.");
		if (strcmp(verdict, "adopted") == 0 || strcmp(verdict, "under_study") == 0) {
			if (strcmp(follow, "done") == 0) {
				buf_puts(out, "\nStand: dit is klaar");
				if (*on) {
					buf_puts(out, " sinds ");
					put_date(out, on);
				}
				buf_putc(out, '.');
			} else if (strcmp(follow, "in_progress") == 0) {
				buf_puts(out, "\nStand: we zijn ermee bezig");
				if (*on) {
					buf_puts(out, ". We verwachten het klaar te hebben op ");
					put_date(out, on);
				}
				buf_putc(out, '.');
			} else
				buf_puts(out, "\nStand: we zijn er nog niet mee begonnen.");
		}
		buf_putc(out, '\n');
	}
	db_finalize(s);
	if (rc == DB_DONE) {
		if (!n)
			buf_puts(out,
			         "\nIn het gesprek zijn geen voorstellen gedaan. We hebben goed "
			         "geluisterd naar uw ervaringen.\n");
		conversation_draft_close(out, scope, contact);
		rc = DB_OK;
	}
	free(title);
	free(scope);
	free(contact);
	return rc;
}

/* ---- the guide ------------------------------------------------------------ */

/* Appends a text object {"nl", "en"} of the template (copied). */
static void guide_add(json_t *arr, json_t *text)
{
	if (json_is_object(text))
		json_array_append_new(arr, json_deep_copy(text));
}

json_t *mirror_guide_json(void)
{
	int i = script_library_find("spiegelgesprek");
	const char *text = i < 0 ? NULL : script_library_text((size_t)i);
	json_t *t = text ? json_loads(text, 0, NULL) : NULL;
	if (!t)
		return NULL;
	json_t *o = json_object(), *rounds[MIRROR_NROUNDS];
	for (int r = 0; r < MIRROR_NROUNDS; r++) {
		rounds[r] = json_array();
		json_object_set_new(o, round_names[r], rounds[r]);
	}
	/* The template's sections in the rounds: the story and what it meant
	 * are the experiences, "what could be better" the proposals; the
	 * questions about the person are for the paper form, not the talk. */
	size_t k, q;
	json_t *sec, *question;
	json_array_foreach(json_object_get(t, "sections"), k, sec)
	{
		const char *id = json_string_value(json_object_get(sec, "id"));
		int r = id && (strcmp(id, "s-verhaal") == 0 || strcmp(id, "s-duiding") == 0)
		                ? MIRROR_ROUND_EXPERIENCES
		        : id && strcmp(id, "s-voorstel") == 0 ? MIRROR_ROUND_PROPOSALS
		                                              : -1;
		if (r < 0)
			continue;
		json_array_foreach(json_object_get(sec, "questions"), q, question)
		{
			json_t *prompts = json_object_get(question, "prompts");
			if (json_array_size(prompts) == 0) {
				guide_add(rounds[r], json_object_get(question, "text"));
				continue;
			}
			size_t p;
			json_t *prompt;
			json_array_foreach(prompts, p, prompt)
			        guide_add(rounds[r], json_object_get(prompt, "text"));
		}
	}
	json_decref(t);
	return o;
}
