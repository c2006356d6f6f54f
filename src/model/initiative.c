/* initiative.c: citizen initiatives: intake, initiators with sealed contact, the first conversation with the template's checklist, the pipeline and its history, the overview with success factors. */
#include "model/initiative.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"
#include "model/conversation.h"
#include "model/participant.h"
#include "model/script_library.h"
#include "model/trajectory.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[INIT_NSTATUS] = {"idea", "first_conversation",
                                                       "collaboration", "realised", "stopped"};

const char *initiative_status_name(int status)
{
	return status >= 0 && status < INIT_NSTATUS ? status_names[status] : "idea";
}

int initiative_status_parse(const char *name)
{
	for (int i = 0; name && i < INIT_NSTATUS; i++)
		if (strcmp(name, status_names[i]) == 0)
			return i;
	return -1;
}

const char *initiative_move_check(int from, int to, const char *reason)
{
	if (to < 0 || to >= INIT_NSTATUS)
		return N_("Choose a status.");
	if (from == INIT_REALISED || from == INIT_STOPPED)
		return N_("A realised or stopped initiative does not change any more.");
	if (to == from)
		return N_("The initiative already has that status.");
	if (to == INIT_STOPPED) {
		if (util_blank(reason))
			return N_("Say why the initiative stops.");
		if (!util_text_ok(reason, INITIATIVE_TEXT_MAX))
			return N_("The reason may have at most 8000 characters.");
		return NULL;
	}
	if (to < from)
		return N_("An initiative does not go back to an earlier status.");
	if (to != from + 1)
		return N_("An initiative moves one step at a time: idea, first conversation, "
		          "collaboration, realised.");
	return NULL;
}

/* ---- checks -------------------------------------------------------------- */

static int text_ok(const char *s)
{
	return !s || !*s || util_text_ok(s, INITIATIVE_TEXT_MAX);
}

const char *initiative_check(const struct initiative_new *n)
{
	assert(n);
	if (util_blank(n->title) || !util_text_ok(n->title, INITIATIVE_TITLE_MAX) ||
	    strpbrk(n->title, "\r\n\t"))
		return N_("Give the initiative a name of at most 200 characters on one line.");
	if (util_blank(n->idea) || !util_text_ok(n->idea, INITIATIVE_TEXT_MAX))
		return N_("Describe the idea (at most 8000 characters).");
	if (!text_ok(n->ask) || !text_ok(n->neighbourhood) ||
	    (n->neighbourhood && strpbrk(n->neighbourhood, "\r\n\t")))
		return N_("The neighbourhood is one line; what they ask has at most 8000 "
		          "characters.");
	return NULL;
}

const char *initiative_person_check(const struct initiative_person_new *p)
{
	assert(p);
	if (util_blank(p->name))
		return N_("Give the initiator's name.");
	struct conversation_person_new c = {
	        .name = p->name, .email = p->email, .phone = p->phone, .address = p->address};
	return conversation_person_check(&c);
}

/* 1 when id is a question of the first-talk template. */
static int checklist_has(json_t *list, const char *id)
{
	size_t i;
	json_t *q;
	json_array_foreach(list, i, q)
	{
		if (id && strcmp(json_string_value(json_object_get(q, "id")), id) == 0)
			return 1;
	}
	return 0;
}

const char *initiative_talk_check(const struct initiative_talk *t)
{
	assert(t);
	if (!util_blank(t->talk_on) && !trajectory_date_ok(t->talk_on))
		return N_("Write the date as year-month-day, for example 2026-03-01.");
	if (!text_ok(t->outcome) || !text_ok(t->roles) || !text_ok(t->next_steps))
		return N_("Each text may have at most 8000 characters.");
	if (t->n < 0 || t->n > INITIATIVE_CHECKLIST_MAX)
		return N_("Unknown question in the checklist.");
	json_t *list = initiative_checklist_json();
	const char *bad = NULL;
	for (int i = 0; i < t->n && !bad; i++) {
		if (!list || !checklist_has(list, t->question_id[i]))
			bad = N_("Unknown question in the checklist.");
		else if (!text_ok(t->answer[i]))
			bad = N_("Each text may have at most 8000 characters.");
	}
	json_decref(list);
	return bad;
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

/* The status of initiative id of the organisation: INIT_OK with *status,
 * INIT_NOT_FOUND, or a negative db error. */
static int initiative_find(db *d, int64_t org_id, int64_t id, int *status, int *has_outcome)
{
	db_stmt *s = db_prepare(d, "SELECT status, length(trim(outcome)) > 0 FROM initiatives "
	                           "WHERE id = :id AND org_id = :org");
	db_bind_int(s, "id", id);
	db_bind_int(s, "org", org_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*status = initiative_status_parse(db_col_text(s, 0));
		if (has_outcome)
			*has_outcome = (int)db_col_int(s, 1);
	}
	db_finalize(s);
	return rc == DB_ROW ? INIT_OK : rc == DB_DONE ? INIT_NOT_FOUND : rc;
}

/* Sets the status and records it in the history. */
static int set_status(db *d, int64_t id, int64_t user_id, int status, const char *reason)
{
	int64_t now = clock_now();
	db_stmt *s = db_prepare(d, "UPDATE initiatives SET status = :s, stopped_reason = :reason, "
	                           "status_since = :now, updated_at = :now WHERE id = :id");
	db_bind_text(s, "s", initiative_status_name(status));
	db_bind_text(s, "reason", status == INIT_STOPPED && reason ? reason : "");
	db_bind_int(s, "now", now);
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	s = db_prepare(d, "INSERT INTO initiative_status_history (initiative_id, status, reason, "
	                  "changed_at, changed_by) VALUES (:id, :s, :reason, :now, :u)");
	db_bind_int(s, "id", id);
	db_bind_text(s, "s", initiative_status_name(status));
	db_bind_text(s, "reason", reason ? reason : "");
	db_bind_int(s, "now", now);
	if (user_id > 0)
		db_bind_int(s, "u", user_id);
	else
		db_bind_null(s, "u");
	rc = db_step(s);
	db_finalize(s);
	return done_ok(rc);
}

int initiative_user_may(db *d, int64_t org_id, const struct user *u, int64_t id)
{
	assert(u);
	db_stmt *s = db_prepare(
	        d, "SELECT i.id FROM initiatives i WHERE i.id = :id AND i.org_id = :org AND "
	           "(i.trajectory_id IS NULL OR :viewer = 0 OR EXISTS (SELECT 1 FROM "
	           "trajectory_staff s WHERE s.trajectory_id = i.trajectory_id AND "
	           "s.user_id = :viewer))");
	db_bind_int(s, "id", id);
	db_bind_int(s, "org", org_id);
	db_bind_int(s, "viewer", trajectory_viewer(u));
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : (rc > 0 ? -rc : rc);
}

/* ---- writes -------------------------------------------------------------- */

int initiative_create_write(db *d, void *ctx)
{
	struct initiative_new *n = ctx;
	assert(initiative_check(n) == NULL);
	n->id = 0;
	n->result = INIT_OK;
	db_stmt *s;
	int rc;
	if (n->trajectory_id > 0) {
		s = db_prepare(d, "SELECT 1 FROM trajectories WHERE id = :t AND org_id = :org");
		db_bind_int(s, "t", n->trajectory_id);
		db_bind_int(s, "org", n->org_id);
		rc = db_step(s);
		db_finalize(s);
		if (rc == DB_DONE) {
			n->result = INIT_NOT_FOUND;
			return DB_OK;
		}
		if (rc != DB_ROW)
			return rc;
	}
	int64_t now = clock_now();
	s = db_prepare(d, "INSERT INTO initiatives (org_id, trajectory_id, title, idea, "
	                  "neighbourhood, ask, contact_user_id, status_since, created_at, "
	                  "created_by, updated_at) VALUES (:org, :t, :title, :idea, :hood, :ask, "
	                  ":contact, :now, :now, :u, :now) RETURNING id");
	db_bind_int(s, "org", n->org_id);
	if (n->trajectory_id > 0)
		db_bind_int(s, "t", n->trajectory_id);
	else
		db_bind_null(s, "t");
	db_bind_text(s, "title", n->title);
	db_bind_text(s, "idea", n->idea);
	db_bind_text(s, "hood", n->neighbourhood ? n->neighbourhood : "");
	db_bind_text(s, "ask", n->ask ? n->ask : "");
	int64_t contact = n->contact_user_id > 0 ? n->contact_user_id : n->user_id;
	if (contact > 0)
		db_bind_int(s, "contact", contact);
	else
		db_bind_null(s, "contact");
	db_bind_int(s, "now", now);
	if (n->user_id > 0)
		db_bind_int(s, "u", n->user_id);
	else
		db_bind_null(s, "u");
	rc = db_step(s);
	if (rc == DB_ROW)
		n->id = db_col_int(s, 0);
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	s = db_prepare(d, "INSERT INTO initiative_status_history (initiative_id, status, "
	                  "changed_at, changed_by) VALUES (:id, 'idea', :now, :u)");
	db_bind_int(s, "id", n->id);
	db_bind_int(s, "now", now);
	if (n->user_id > 0)
		db_bind_int(s, "u", n->user_id);
	else
		db_bind_null(s, "u");
	rc = db_step(s);
	db_finalize(s);
	return done_ok(rc);
}

int initiative_person_write(db *d, void *ctx)
{
	struct initiative_person_new *p = ctx;
	assert(initiative_person_check(p) == NULL);
	p->id = 0;
	int status = 0;
	int rc = initiative_find(d, p->org_id, p->initiative_id, &status, NULL);
	p->result = rc > 0 ? rc : INIT_OK;
	if (rc != INIT_OK)
		return rc < 0 ? rc : DB_OK;
	if (status == INIT_REALISED || status == INIT_STOPPED) {
		p->result = INIT_FINISHED;
		return DB_OK;
	}
	db_stmt *s = db_prepare(d, "SELECT count(*) FROM initiative_people WHERE "
	                           "initiative_id = :i");
	db_bind_int(s, "i", p->initiative_id);
	rc = db_step(s);
	int64_t n = rc == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	if (n >= INITIATIVE_PEOPLE_MAX) {
		p->result = INIT_TOO_MANY;
		return DB_OK;
	}
	struct contact c = {p->name, p->address, p->phone, p->email};
	char code[PARTICIPANT_CODE_LEN + 1];
	int64_t pid = 0;
	if ((rc = participant_create(d, p->v, &c, code, &pid)) != DB_OK)
		return rc;
	snprintf(p->code, sizeof p->code, "%s", code);
	s = db_prepare(d, "INSERT INTO initiative_people (initiative_id, participant_id, "
	                  "created_at) VALUES (:i, :p, :now) RETURNING id");
	db_bind_int(s, "i", p->initiative_id);
	db_bind_int(s, "p", pid);
	db_bind_int(s, "now", clock_now());
	rc = db_step(s);
	if (rc == DB_ROW)
		p->id = db_col_int(s, 0);
	db_finalize(s);
	return done_ok(rc);
}

int initiative_talk_write(db *d, void *ctx)
{
	struct initiative_talk *t = ctx;
	int status = 0;
	int rc = initiative_find(d, t->org_id, t->initiative_id, &status, NULL);
	t->result = rc > 0 ? rc : INIT_OK;
	if (rc != INIT_OK)
		return rc < 0 ? rc : DB_OK;
	if (status == INIT_REALISED || status == INIT_STOPPED) {
		t->result = INIT_FINISHED;
		return DB_OK;
	}
	int64_t now = clock_now();
	db_stmt *s = db_prepare(d, "UPDATE initiatives SET talk_on = :on, outcome = :outcome, "
	                           "roles = :roles, next_steps = :next, updated_at = :now WHERE "
	                           "id = :id");
	if (util_blank(t->talk_on))
		db_bind_null(s, "on");
	else
		db_bind_text(s, "on", t->talk_on);
	db_bind_text(s, "outcome", t->outcome ? t->outcome : "");
	db_bind_text(s, "roles", t->roles ? t->roles : "");
	db_bind_text(s, "next", t->next_steps ? t->next_steps : "");
	db_bind_int(s, "now", now);
	db_bind_int(s, "id", t->initiative_id);
	rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	for (int i = 0; i < t->n; i++) {
		s = db_prepare(d, "INSERT INTO initiative_checklist (initiative_id, question_id, "
		                  "done, answer, updated_at) VALUES (:i, :q, :done, :answer, :now) "
		                  "ON CONFLICT (initiative_id, question_id) DO UPDATE SET "
		                  "done = excluded.done, answer = excluded.answer, "
		                  "updated_at = excluded.updated_at");
		db_bind_int(s, "i", t->initiative_id);
		db_bind_text(s, "q", t->question_id[i]);
		db_bind_int(s, "done", t->done[i] ? 1 : 0);
		db_bind_text(s, "answer", t->answer[i] ? t->answer[i] : "");
		db_bind_int(s, "now", now);
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc;
	}
	/* Preparing the talk leaves it an idea; a date or an outcome means
	 * the first conversation is here. */
	if (status == INIT_IDEA && (!util_blank(t->talk_on) || !util_blank(t->outcome)))
		return set_status(d, t->initiative_id, t->user_id, INIT_FIRST_CONVERSATION, NULL);
	return DB_OK;
}

int initiative_move_write(db *d, void *ctx)
{
	struct initiative_move *m = ctx;
	m->refusal = NULL;
	int status = 0, outcome = 0;
	int rc = initiative_find(d, m->org_id, m->initiative_id, &status, &outcome);
	m->result = rc > 0 ? rc : INIT_OK;
	if (rc != INIT_OK)
		return rc < 0 ? rc : DB_OK;
	int to = initiative_status_parse(m->to);
	m->refusal = initiative_move_check(status, to, m->reason);
	if (m->refusal) {
		m->result = INIT_BAD_MOVE;
		return DB_OK;
	}
	if (to == INIT_COLLABORATION && !outcome) {
		m->result = INIT_NO_OUTCOME;
		return DB_OK;
	}
	return set_status(d, m->initiative_id, m->user_id, to, m->reason);
}

/* ---- reads --------------------------------------------------------------- */

/* The first-talk template, parsed; NULL when missing. */
static json_t *first_talk_template(void)
{
	int i = script_library_find("burgerinitiatief-eerste-gesprek");
	const char *text = i < 0 ? NULL : script_library_text((size_t)i);
	return text ? json_loads(text, 0, NULL) : NULL;
}

json_t *initiative_model_json(void)
{
	json_t *t = first_talk_template();
	json_t *intro = t ? json_incref(json_object_get(t, "introduction")) : NULL;
	json_decref(t);
	return intro;
}

json_t *initiative_checklist_json(void)
{
	json_t *t = first_talk_template();
	if (!t)
		return NULL;
	json_t *out = json_array();
	size_t k, q;
	json_t *sec, *question;
	json_array_foreach(json_object_get(t, "sections"), k, sec)
	{
		json_array_foreach(json_object_get(sec, "questions"), q, question)
		{
			const char *id = json_string_value(json_object_get(question, "id"));
			if (!id || json_array_size(out) >= INITIATIVE_CHECKLIST_MAX)
				continue;
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(id));
			json_object_set(o, "section", json_object_get(sec, "title"));
			json_object_set(o, "text", json_object_get(question, "text"));
			json_array_append_new(out, o);
		}
	}
	json_decref(t);
	return out;
}

int initiative_get_json(db *d, const vault *v, int64_t org_id, int64_t id, json_t **out)
{
	*out = NULL;
	db_stmt *s = db_prepare(
	        d, "SELECT i.id, i.title, i.idea, i.neighbourhood, i.ask, i.contact_user_id, "
	           "coalesce(u.display_name, ''), i.status, i.stopped_reason, "
	           "coalesce(i.talk_on, ''), i.outcome, i.roles, i.next_steps, i.status_since, "
	           "i.trajectory_id, coalesce(t.title, ''), i.created_at FROM initiatives i "
	           "LEFT JOIN users u ON u.id = i.contact_user_id LEFT JOIN trajectories t ON "
	           "t.id = i.trajectory_id WHERE i.id = :id AND i.org_id = :org");
	db_bind_int(s, "id", id);
	db_bind_int(s, "org", org_id);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc;
	}
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
	static const char *const texts[] = {"title", "idea", "neighbourhood", "ask"};
	for (int k = 0; k < 4; k++)
		json_object_set_new(o, texts[k], json_string(db_col_text(s, 1 + k)));
	json_object_set_new(o, "contact_user_id", int_or_null(s, 5));
	json_object_set_new(o, "contact_name", json_string(db_col_text(s, 6)));
	static const char *const more[] = {"status",  "stopped_reason", "talk_on",
	                                   "outcome", "roles",          "next_steps"};
	for (int k = 0; k < 6; k++)
		json_object_set_new(o, more[k], json_string(db_col_text(s, 7 + k)));
	json_object_set_new(o, "status_since", json_integer(db_col_int(s, 13)));
	json_object_set_new(o, "trajectory_id", int_or_null(s, 14));
	json_object_set_new(o, "trajectory_title", json_string(db_col_text(s, 15)));
	json_object_set_new(o, "created_at", json_integer(db_col_int(s, 16)));
	db_finalize(s);

	json_t *people = json_array();
	s = db_prepare(d, "SELECT p.id, coalesce(p.participant_id, 0), coalesce(x.code, '') FROM "
	                  "initiative_people p LEFT JOIN participants x ON x.id = "
	                  "p.participant_id WHERE p.initiative_id = :i ORDER BY p.id");
	db_bind_int(s, "i", id);
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *p = json_object();
		json_object_set_new(p, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(p, "participant_code", json_string(db_col_text(s, 2)));
		int64_t pid = db_col_int(s, 1);
		json_t *c = NULL;
		if (pid && participant_contact_open(d, v, pid, &c) != DB_OK)
			json_object_set_new(p, "contact_error", json_true());
		static const char *const keys[] = {"name", "email", "phone", "address"};
		for (int k = 0; k < 4; k++) {
			json_t *val = c ? json_object_get(c, keys[k]) : NULL;
			json_object_set_new(p, keys[k], val ? json_incref(val) : json_string(""));
		}
		json_decref(c);
		json_array_append_new(people, p);
	}
	db_finalize(s);
	json_object_set_new(o, "people", people);

	json_t *checklist = json_object();
	if (rc == DB_DONE) {
		s = db_prepare(d,
		               "SELECT question_id, done, answer FROM initiative_checklist WHERE "
		               "initiative_id = :i");
		db_bind_int(s, "i", id);
		while ((rc = db_step(s)) == DB_ROW) {
			json_t *c = json_object();
			json_object_set_new(c, "done", json_boolean(db_col_int(s, 1)));
			json_object_set_new(c, "answer", json_string(db_col_text(s, 2)));
			json_object_set_new(checklist, db_col_text(s, 0), c);
		}
		db_finalize(s);
	}
	json_object_set_new(o, "checklist", checklist);

	json_t *history = json_array();
	if (rc == DB_DONE) {
		s = db_prepare(
		        d, "SELECT h.status, h.reason, h.changed_at, "
		           "coalesce(u.display_name, '') FROM initiative_status_history h "
		           "LEFT JOIN users u ON u.id = h.changed_by WHERE h.initiative_id = :i "
		           "ORDER BY h.id");
		db_bind_int(s, "i", id);
		while ((rc = db_step(s)) == DB_ROW) {
			json_t *h = json_object();
			json_object_set_new(h, "status", json_string(db_col_text(s, 0)));
			json_object_set_new(h, "reason", json_string(db_col_text(s, 1)));
			json_object_set_new(h, "changed_at", json_integer(db_col_int(s, 2)));
			json_object_set_new(h, "by", json_string(db_col_text(s, 3)));
			json_array_append_new(history, h);
		}
		db_finalize(s);
	}
	json_object_set_new(o, "history", history);
	if (rc != DB_DONE) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return DB_ROW;
}

/* The visibility of an initiative i for :viewer, as in
 * initiative_user_may. */
#define VISIBLE                                                                              \
	"(i.trajectory_id IS NULL OR :viewer = 0 OR EXISTS (SELECT 1 FROM trajectory_staff " \
	"s WHERE s.trajectory_id = i.trajectory_id AND s.user_id = :viewer))"

int initiative_list_json(db *d, int64_t org_id, int64_t viewer, json_t **out)
{
	*out = json_array();
	db_stmt *s = db_prepare(
	        d, "SELECT i.id, i.title, i.neighbourhood, i.status, i.status_since, "
	           "i.trajectory_id, coalesce(t.title, ''), coalesce(u.display_name, '') FROM "
	           "initiatives i LEFT JOIN trajectories t ON t.id = i.trajectory_id LEFT JOIN "
	           "users u ON u.id = i.contact_user_id WHERE i.org_id = :org AND " VISIBLE
	           " ORDER BY i.created_at DESC, i.id DESC");
	db_bind_int(s, "org", org_id);
	db_bind_int(s, "viewer", viewer);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "title", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "neighbourhood", json_string(db_col_text(s, 2)));
		json_object_set_new(o, "status", json_string(db_col_text(s, 3)));
		json_object_set_new(o, "status_since", json_integer(db_col_int(s, 4)));
		json_object_set_new(o, "trajectory_id", int_or_null(s, 5));
		json_object_set_new(o, "trajectory_title", json_string(db_col_text(s, 6)));
		json_object_set_new(o, "contact_name", json_string(db_col_text(s, 7)));
		json_array_append_new(*out, o);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int initiative_overview_json(db *d, int64_t org_id, int64_t viewer, int64_t now, json_t **out)
{
	*out = NULL;
	int64_t count[INIT_NSTATUS] = {0}, periods[INIT_NSTATUS] = {0};
	double seconds[INIT_NSTATUS] = {0};
	db_stmt *s = db_prepare(d, "SELECT i.status, count(*) FROM initiatives i WHERE "
	                           "i.org_id = :org AND " VISIBLE " GROUP BY i.status");
	db_bind_int(s, "org", org_id);
	db_bind_int(s, "viewer", viewer);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		int st = initiative_status_parse(db_col_text(s, 0));
		if (st >= 0)
			count[st] = db_col_int(s, 1);
	}
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	/* Each period in a status runs until the next status, or until now. */
	s = db_prepare(d, "SELECT h.status, h.changed_at, (SELECT min(n.changed_at) FROM "
	                  "initiative_status_history n WHERE n.initiative_id = h.initiative_id "
	                  "AND n.id > h.id) FROM initiative_status_history h JOIN initiatives i "
	                  "ON i.id = h.initiative_id WHERE i.org_id = :org AND " VISIBLE);
	db_bind_int(s, "org", org_id);
	db_bind_int(s, "viewer", viewer);
	while ((rc = db_step(s)) == DB_ROW) {
		int st = initiative_status_parse(db_col_text(s, 0));
		if (st < 0)
			continue;
		int64_t from = db_col_int(s, 1), to = db_col_is_null(s, 2) ? now : db_col_int(s, 2);
		periods[st]++;
		seconds[st] += (double)(to > from ? to - from : 0);
	}
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	json_t *o = json_object(), *counts = json_object(), *time = json_object();
	for (int k = 0; k < INIT_NSTATUS; k++) {
		json_object_set_new(counts, status_names[k], json_integer(count[k]));
		json_t *t = json_object();
		json_object_set_new(t, "periods", json_integer(periods[k]));
		json_object_set_new(t, "days",
		                    json_real(periods[k] ? seconds[k] / periods[k] / 86400.0 : 0));
		json_object_set_new(time, status_names[k], t);
	}
	json_object_set_new(o, "counts", counts);
	json_object_set_new(o, "time", time);

	/* The success factors: per checklist question, how many realised and
	 * how many stopped initiatives had it ticked or answered. */
	json_t *factors = json_array();
	json_t *list = initiative_checklist_json();
	s = db_prepare(d, "SELECT c.question_id, sum(CASE WHEN i.status = 'realised' THEN 1 ELSE 0 "
	                  "END), sum(CASE WHEN i.status = 'stopped' THEN 1 ELSE 0 END) FROM "
	                  "initiative_checklist c JOIN initiatives i ON i.id = "
	                  "c.initiative_id WHERE i.org_id = :org AND " VISIBLE
	                  " AND (c.done = 1 OR length(trim(c.answer)) > 0) GROUP BY c.question_id");
	db_bind_int(s, "org", org_id);
	db_bind_int(s, "viewer", viewer);
	json_t *had = json_object();
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *h = json_array();
		json_array_append_new(h, json_integer(db_col_int(s, 1)));
		json_array_append_new(h, json_integer(db_col_int(s, 2)));
		json_object_set_new(had, db_col_text(s, 0), h);
	}
	db_finalize(s);
	size_t k;
	json_t *q;
	json_array_foreach(list, k, q)
	{
		const char *id = json_string_value(json_object_get(q, "id"));
		json_t *h = json_object_get(had, id), *f = json_object();
		json_object_set_new(f, "id", json_string(id));
		json_object_set(f, "text", json_object_get(q, "text"));
		json_object_set_new(f, "realised",
		                    json_integer(json_integer_value(json_array_get(h, 0))));
		json_object_set_new(f, "realised_of", json_integer(count[INIT_REALISED]));
		json_object_set_new(f, "stopped",
		                    json_integer(json_integer_value(json_array_get(h, 1))));
		json_object_set_new(f, "stopped_of", json_integer(count[INIT_STOPPED]));
		json_array_append_new(factors, f);
	}
	json_decref(had);
	json_decref(list);
	json_object_set_new(o, "factors", factors);
	if (rc != DB_DONE) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return DB_OK;
}
