/* dialogue.c: dialogue tables (dialoogtafels) of a trajectory: sessions with tables and facilitators, open registration with a waiting list and promotion, support for joining online, the placement at tables, speaking turns and notes. */
#include "model/dialogue.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"
#include "model/dialogue_assign.h"
#include "model/collection.h"
#include "model/participant.h"
#include "model/script_library.h"
#include "model/script_store.h"
#include "model/trajectory.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>

const char *const dialogue_default_tables[4] = {"Rechtmatige overheid", "Presterende overheid",
                                                "Netwerkende overheid", "Participerende overheid"};

const char *const dialogue_age_bands[7] = {"tot 18", "18-29",       "30-44", "45-64",
                                           "65-79",  "80 en ouder", NULL};

/* ---- checks -------------------------------------------------------------- */

static int one_line(const char *s, size_t max)
{
	return !util_blank(s) && util_text_ok(s, max) && !strpbrk(s, "\r\n\t");
}

static int optional_text(const char *s, size_t max)
{
	return !s || !*s || util_text_ok(s, max);
}

static int https_link(const char *s)
{
	return s && strncmp(s, "https://", 8) == 0 && strlen(s) >= 12 && strlen(s) <= 500 &&
	       !strpbrk(s, " \t\r\n\"<>");
}

const char *dialogue_session_check(const struct dialogue_session_new *s, int64_t now)
{
	assert(s);
	if (!one_line(s->title, DIALOGUE_TITLE_MAX))
		return N_("Give the session a title of at most 200 characters on one line.");
	if (s->starts_at <= now)
		return N_("Choose a start time in the future.");
	if (s->minutes < 15 || s->minutes > 600)
		return N_("A session takes 15 to 600 minutes.");
	int has_place = s->place && *s->place, has_link = s->online_url && *s->online_url;
	if (!has_place && !has_link)
		return N_("Give the place, the link of the online meeting, or both.");
	if (has_place && !one_line(s->place, 500))
		return N_("The place may have at most 500 characters on one line.");
	if (has_link && !https_link(s->online_url))
		return N_("For an online session, give the link that starts with https://.");
	if (s->closes_at <= 0 || s->closes_at > s->starts_at)
		return N_("Registration must close before the session starts.");
	if (s->capacity < 1 || s->capacity > 1000)
		return N_("A session has room for 1 to 1000 people.");
	if (!optional_text(s->agenda, DIALOGUE_TEXT_MAX))
		return N_("The agenda may have at most 4000 characters.");
	return NULL;
}

const char *dialogue_registration_check(const struct dialogue_registration_new *g)
{
	assert(g);
	if (!one_line(g->name, 200))
		return N_("Write your name.");
	if (util_blank(g->email) && util_blank(g->phone))
		return N_("Give an e-mail address or a phone number, so we can reach you.");
	struct contact c = {.name = g->name, .email = g->email, .phone = g->phone};
	const char *bad = contact_check(&c);
	if (bad)
		return bad;
	if (!optional_text(g->contribution, DIALOGUE_TEXT_MAX))
		return N_("What you want to contribute may have at most 4000 characters.");
	if (!optional_text(g->access_needs, DIALOGUE_TEXT_MAX))
		return N_("What you need to take part may have at most 4000 characters.");
	if (g->district && *g->district && !one_line(g->district, DIALOGUE_TRAIT_MAX))
		return N_("The district may have at most 60 characters on one line.");
	if (g->age_band && *g->age_band) {
		int known = 0;
		for (int i = 0; dialogue_age_bands[i]; i++)
			known |= strcmp(g->age_band, dialogue_age_bands[i]) == 0;
		if (!known)
			return N_("Choose one of the age groups.");
	}
	return NULL;
}

const char *dialogue_note_check(const struct dialogue_note *n)
{
	assert(n);
	if (!n->kind || (strcmp(n->kind, "note") != 0 && strcmp(n->kind, "proposal") != 0))
		return N_("Choose a note or a proposal.");
	if (util_blank(n->body) || !util_text_ok(n->body, DIALOGUE_TEXT_MAX))
		return N_("Write the text (at most 4000 characters).");
	return NULL;
}

/* ---- helpers ------------------------------------------------------------- */

static int done_ok(int rc)
{
	return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* The session id of a table in the trajectory: DB_ROW, DB_DONE or an error. */
static int table_session(db *d, int64_t trajectory_id, int64_t table_id, int64_t *session_id)
{
	db_stmt *s = db_prepare(d, "SELECT t.session_id FROM dialogue_tables t JOIN "
	                           "dialogue_sessions s ON s.id = t.session_id WHERE t.id = :t AND "
	                           "s.trajectory_id = :tr");
	db_bind_int(s, "t", table_id);
	db_bind_int(s, "tr", trajectory_id);
	int rc = db_step(s);
	if (rc == DB_ROW && session_id)
		*session_id = db_col_int(s, 0);
	db_finalize(s);
	return rc;
}

/* ---- sessions ------------------------------------------------------------ */

int dialogue_session_create_write(db *d, void *ctx)
{
	struct dialogue_session_new *n = ctx;
	assert(n && n->title && n->trajectory_id > 0);
	db_stmt *s = db_prepare(d, "SELECT coalesce(max(number), 0) + 1 FROM dialogue_sessions "
	                           "WHERE trajectory_id = :t");
	db_bind_int(s, "t", n->trajectory_id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		n->number = (int)db_col_int(s, 0);
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	char uid[80], rnd[33];
	util_random_hex(rnd, 16);
	snprintf(uid, sizeof uid, "dialogue-%s@vertelpunt", rnd);
	s = db_prepare(d, "INSERT INTO dialogue_sessions (trajectory_id, number, title, starts_at, "
	                  "minutes, place, online_url, closes_at, capacity, agenda, ical_uid, "
	                  "created_at, created_by) VALUES (:t, :n, :title, :starts, :minutes, "
	                  ":place, :url, :closes, :cap, :agenda, :uid, :now, :by) RETURNING id");
	db_bind_int(s, "t", n->trajectory_id);
	db_bind_int(s, "n", n->number);
	db_bind_text(s, "title", n->title);
	db_bind_int(s, "starts", n->starts_at);
	db_bind_int(s, "minutes", n->minutes);
	db_bind_text(s, "place", n->place ? n->place : "");
	db_bind_text(s, "url", n->online_url ? n->online_url : "");
	db_bind_int(s, "closes", n->closes_at);
	db_bind_int(s, "cap", n->capacity);
	db_bind_text(s, "agenda", n->agenda ? n->agenda : "");
	db_bind_text(s, "uid", uid);
	db_bind_int(s, "now", clock_now());
	if (n->user_id > 0)
		db_bind_int(s, "by", n->user_id);
	else
		db_bind_null(s, "by");
	rc = db_step(s);
	if (rc == DB_ROW)
		n->id = db_col_int(s, 0);
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	for (int i = 0; i < 4 && rc >= 0; i++) {
		s = db_prepare(d, "INSERT INTO dialogue_tables (session_id, position, name) VALUES "
		                  "(:s, :p, :name)");
		db_bind_int(s, "s", n->id);
		db_bind_int(s, "p", i + 1);
		db_bind_text(s, "name", dialogue_default_tables[i]);
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc;
	}
	return DB_OK;
}

/* ---- registration --------------------------------------------------------- */

/* ---- what a registration says about the person, sealed ------------------- */

/* The associated data of a registration's sealed field: binds it to its
 * row and column. */
static void private_ad(int64_t id, const char *column, char *ad, size_t n)
{
	snprintf(ad, n, "dialogue_registrations:%lld:%s", (long long)id, column);
}

static void seal_one(const vault *v, int64_t id, const char *column, const char *text, buf *out)
{
	char ad[80];
	private_ad(id, column, ad, sizeof ad);
	vault_seal(v, text, strlen(text), ad, out);
}

/* Stores contribution and access needs of registration id sealed (NULL
 * when empty). */
static int seal_private(db *d, const vault *v, int64_t id, const char *contribution,
                        const char *needs)
{
	buf c, n;
	buf_init(&c);
	buf_init(&n);
	if (!util_blank(contribution))
		seal_one(v, id, "contribution", contribution, &c);
	if (!util_blank(needs))
		seal_one(v, id, "access_needs", needs, &n);
	db_stmt *s = db_prepare(d, "UPDATE dialogue_registrations SET contribution = :c, "
	                           "access_needs = :n WHERE id = :id");
	if (c.len)
		db_bind_blob(s, "c", c.data, c.len);
	else
		db_bind_null(s, "c");
	if (n.len)
		db_bind_blob(s, "n", n.data, n.len);
	else
		db_bind_null(s, "n");
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	db_finalize(s);
	buf_free(&c);
	buf_free(&n);
	return rc == DB_DONE ? DB_OK : rc;
}

/* The opened text of column col of row s (a sealed field of registration
 * id): "" when empty, null when it does not open (another key file). */
static json_t *open_private(const vault *v, int64_t id, const char *column, db_stmt *s, int col)
{
	size_t len = 0;
	const void *sealed = db_col_is_null(s, col) ? NULL : db_col_blob(s, col, &len);
	if (!sealed || !len)
		return json_string("");
	char ad[80];
	private_ad(id, column, ad, sizeof ad);
	buf plain;
	buf_init(&plain);
	json_t *out = vault_open(v, sealed, len, ad, &plain) == 0
	                      ? json_stringn(plain.data ? plain.data : "", plain.len)
	                      : json_null();
	if (plain.data)
		sodium_memzero(plain.data, plain.len);
	buf_free(&plain);
	return out ? out : json_null();
}

int64_t dialogue_reseal_all(db *d, const vault *v)
{
	db_stmt *s = db_prepare(d, "SELECT id FROM dialogue_registrations WHERE contribution IS "
	                           "NOT NULL OR access_needs IS NOT NULL ORDER BY id");
	int64_t *ids;
	size_t n;
	int rc = db_collect_ids(s, &ids, &n);
	db_finalize(s);
	if (rc != DB_DONE)
		return -1;
	int64_t done = 0;
	for (size_t i = 0; i < n && done >= 0; i++) {
		s = db_prepare(d, "SELECT contribution, access_needs FROM dialogue_registrations "
		                  "WHERE id = :id");
		db_bind_int(s, "id", ids[i]);
		if (db_step(s) != DB_ROW) {
			db_finalize(s);
			continue;
		}
		json_t *c = open_private(v, ids[i], "contribution", s, 0);
		json_t *a = open_private(v, ids[i], "access_needs", s, 1);
		db_finalize(s);
		if (json_is_string(c) && json_is_string(a))
			done = seal_private(d, v, ids[i], json_string_value(c),
			                    json_string_value(a)) == DB_OK
			               ? done + 1
			               : -1;
		else
			done = -1; /* sealed with a key that is not there: stop, lose nothing */
		json_decref(c);
		json_decref(a);
	}
	free(ids);
	return done;
}

int dialogue_register_write(db *d, void *ctx)
{
	struct dialogue_registration_new *g = ctx;
	assert(dialogue_registration_check(g) == NULL);
	g->result = DIALOGUE_OK;
	db_stmt *s = db_prepare(
	        d, "SELECT s.closes_at, s.capacity, (SELECT count(*) FROM dialogue_registrations "
	           "r WHERE r.session_id = s.id AND r.status = 'registered'), (SELECT "
	           "coalesce(max(wait_position), 0) FROM dialogue_registrations r WHERE "
	           "r.session_id = s.id AND r.status = 'waiting'), (SELECT count(*) FROM "
	           "dialogue_registrations r WHERE r.session_id = s.id AND r.status = 'waiting') "
	           "FROM dialogue_sessions s WHERE s.id = :s AND s.trajectory_id = :t");
	db_bind_int(s, "s", g->session_id);
	db_bind_int(s, "t", g->trajectory_id);
	int rc = db_step(s);
	int64_t closes = 0, cap = 0, registered = 0, last_wait = 0, waiting = 0;
	if (rc == DB_ROW) {
		closes = db_col_int(s, 0);
		cap = db_col_int(s, 1);
		registered = db_col_int(s, 2);
		last_wait = db_col_int(s, 3);
		waiting = db_col_int(s, 4);
	}
	db_finalize(s);
	if (rc == DB_DONE) {
		g->result = DIALOGUE_NOT_FOUND;
		return DB_OK;
	}
	if (rc != DB_ROW)
		return rc;
	if (g->now >= closes) {
		g->result = DIALOGUE_CLOSED;
		return DB_OK;
	}
	int64_t pid = g->participant_id;
	if (pid <= 0) {
		struct contact c = {.name = g->name, .email = g->email, .phone = g->phone};
		char code[PARTICIPANT_CODE_LEN + 1];
		rc = participant_create(d, g->v, &c, code, &pid);
		if (rc != DB_OK)
			return rc;
		snprintf(g->code, sizeof g->code, "%s", code);
		g->participant_id = pid;
	}
	g->waiting = registered >= cap;
	g->wait_position = g->waiting ? (int)waiting + 1 : 0;
	s = db_prepare(d, "INSERT INTO dialogue_registrations (session_id, participant_id, "
	                  "contribution, access_needs, district, age_band, status, wait_position, "
	                  "needs_help, support_user_id, created_at) VALUES (:s, :p, :contrib, "
	                  ":needs, :district, :age, :status, :wait, :help, (SELECT min(user_id) "
	                  "FROM trajectory_staff WHERE trajectory_id = :t AND responsible = 1 AND "
	                  ":help = 1), :now) RETURNING id");
	db_bind_int(s, "s", g->session_id);
	db_bind_int(s, "p", pid);
	db_bind_null(s, "contrib"); /* sealed below, with the row's id */
	db_bind_null(s, "needs");
	db_bind_text(s, "district", g->district ? g->district : "");
	db_bind_text(s, "age", g->age_band ? g->age_band : "");
	db_bind_text(s, "status", g->waiting ? "waiting" : "registered");
	if (g->waiting)
		db_bind_int(s, "wait", last_wait + 1);
	else
		db_bind_null(s, "wait");
	db_bind_int(s, "help", g->needs_help ? 1 : 0);
	db_bind_int(s, "t", g->trajectory_id);
	db_bind_int(s, "now", g->now);
	rc = db_step(s);
	if (rc == DB_ROW)
		g->id = db_col_int(s, 0);
	db_finalize(s);
	if (rc != DB_ROW)
		return done_ok(rc);
	return seal_private(d, g->v, g->id, g->contribution, g->access_needs);
}

int dialogue_cancel_write(db *d, void *ctx)
{
	struct dialogue_cancel *c = ctx;
	c->result = DIALOGUE_OK;
	c->promoted_id = 0;
	db_stmt *s =
	        db_prepare(d, "SELECT r.status, r.session_id FROM dialogue_registrations r "
	                      "JOIN dialogue_sessions s ON s.id = r.session_id WHERE r.id = :r "
	                      "AND s.trajectory_id = :t");
	db_bind_int(s, "r", c->registration_id);
	db_bind_int(s, "t", c->trajectory_id);
	int rc = db_step(s);
	char status[16] = "";
	if (rc == DB_ROW) {
		snprintf(status, sizeof status, "%s", db_col_text(s, 0));
		c->session_id = db_col_int(s, 1);
	}
	db_finalize(s);
	if (rc == DB_DONE) {
		c->result = DIALOGUE_NOT_FOUND;
		return DB_OK;
	}
	if (rc != DB_ROW)
		return rc;
	if (strcmp(status, "cancelled") == 0) {
		c->result = DIALOGUE_CANCELLED;
		return DB_OK;
	}
	s = db_prepare(d, "UPDATE dialogue_registrations SET status = 'cancelled', wait_position = "
	                  "NULL, table_id = NULL, cancelled_at = :now WHERE id = :r");
	db_bind_int(s, "now", clock_now());
	db_bind_int(s, "r", c->registration_id);
	rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	if (strcmp(status, "registered") != 0)
		return DB_OK; /* someone waiting left the queue: no place freed */
	/* The place goes to the first in the queue, if the session has not
	 * begun. */
	s = db_prepare(d, "SELECT r.id FROM dialogue_registrations r JOIN dialogue_sessions s ON "
	                  "s.id = r.session_id WHERE r.session_id = :s AND r.status = 'waiting' "
	                  "AND s.starts_at > :now ORDER BY r.wait_position, r.id LIMIT 1");
	db_bind_int(s, "s", c->session_id);
	db_bind_int(s, "now", clock_now());
	rc = db_step(s);
	if (rc == DB_ROW)
		c->promoted_id = db_col_int(s, 0);
	db_finalize(s);
	if (rc == DB_DONE)
		return DB_OK;
	if (rc != DB_ROW)
		return rc;
	s = db_prepare(d,
	               "UPDATE dialogue_registrations SET status = 'registered', wait_position = "
	               "NULL, promoted_at = :now WHERE id = :r");
	db_bind_int(s, "now", clock_now());
	db_bind_int(s, "r", c->promoted_id);
	rc = db_step(s);
	db_finalize(s);
	return done_ok(rc);
}

int dialogue_support_write(db *d, void *ctx)
{
	struct dialogue_support *j = ctx;
	j->result = DIALOGUE_OK;
	if (j->user_id > 0) {
		db_stmt *s =
		        db_prepare(d, "SELECT 1 FROM trajectory_staff WHERE trajectory_id = :t "
		                      "AND user_id = :u");
		db_bind_int(s, "t", j->trajectory_id);
		db_bind_int(s, "u", j->user_id);
		int rc = db_step(s);
		db_finalize(s);
		if (rc == DB_DONE) {
			j->result = DIALOGUE_NOT_FOUND;
			return DB_OK;
		}
		if (rc != DB_ROW)
			return rc;
	}
	db_stmt *s = db_prepare(
	        d, "UPDATE dialogue_registrations SET support_user_id = CASE WHEN :u > 0 THEN :u "
	           "ELSE support_user_id END, support_done_at = CASE WHEN :done = 1 THEN "
	           "coalesce(support_done_at, :now) ELSE NULL END WHERE id = :r AND needs_help = 1 "
	           "AND session_id IN (SELECT id FROM dialogue_sessions WHERE trajectory_id = :t)");
	db_bind_int(s, "u", j->user_id);
	db_bind_int(s, "done", j->done ? 1 : 0);
	db_bind_int(s, "now", clock_now());
	db_bind_int(s, "r", j->registration_id);
	db_bind_int(s, "t", j->trajectory_id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	if (db_changes(d) == 0)
		j->result = DIALOGUE_NOT_FOUND;
	return DB_OK;
}

/* ---- tables ------------------------------------------------------------- */

int dialogue_facilitator_write(db *d, void *ctx)
{
	struct dialogue_facilitator *f = ctx;
	f->result = DIALOGUE_OK;
	int rc = table_session(d, f->trajectory_id, f->table_id, NULL);
	if (rc == DB_ROW) {
		db_stmt *s =
		        db_prepare(d, "SELECT 1 FROM trajectory_staff WHERE trajectory_id = :t "
		                      "AND user_id = :u");
		db_bind_int(s, "t", f->trajectory_id);
		db_bind_int(s, "u", f->user_id);
		rc = db_step(s);
		db_finalize(s);
	}
	if (rc == DB_DONE) {
		f->result = DIALOGUE_NOT_FOUND;
		return DB_OK;
	}
	if (rc != DB_ROW)
		return rc;
	db_stmt *s;
	if (f->add)
		s = db_prepare(d,
		               "INSERT INTO dialogue_facilitators (table_id, user_id) VALUES (:t, "
		               ":u) ON CONFLICT DO NOTHING");
	else
		s = db_prepare(d, "DELETE FROM dialogue_facilitators WHERE table_id = :t AND "
		                  "user_id = :u");
	db_bind_int(s, "t", f->table_id);
	db_bind_int(s, "u", f->user_id);
	rc = db_step(s);
	db_finalize(s);
	return done_ok(rc);
}

/* A characteristic's value as a category number, numbering values in the
 * order they are first met (at most DIALOGUE_CATEGORIES_MAX; the rest
 * share the last). */
static int category_of(char (*seen)[DIALOGUE_TRAIT_MAX * 4 + 1], int *nseen, const char *value)
{
	for (int i = 0; i < *nseen; i++)
		if (strcmp(seen[i], value) == 0)
			return i;
	if (*nseen == DIALOGUE_CATEGORIES_MAX)
		return DIALOGUE_CATEGORIES_MAX - 1;
	snprintf(seen[*nseen], DIALOGUE_TRAIT_MAX * 4 + 1, "%s", value);
	return (*nseen)++;
}

struct seating {
	size_t n;
	int64_t *reg; /* registration ids */
	int *traits;  /* n x 2: district, age band */
	int *table;   /* n: table index, -1 when none */
	int ntables;
	int64_t table_ids[DIALOGUE_TABLES_MAX];
	int capacity; /* the session's */
};

static void seating_free(struct seating *st)
{
	free(st->reg);
	free(st->traits);
	free(st->table);
}

/* The registered people of a session with their characteristics and
 * tables. DB_ROW, DB_DONE (no such session) or an error. */
static int seating_load(db *d, int64_t trajectory_id, int64_t session_id, struct seating *st)
{
	memset(st, 0, sizeof *st);
	db_stmt *s = db_prepare(d, "SELECT capacity FROM dialogue_sessions WHERE id = :s AND "
	                           "trajectory_id = :t");
	db_bind_int(s, "s", session_id);
	db_bind_int(s, "t", trajectory_id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		st->capacity = (int)db_col_int(s, 0);
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	s = db_prepare(d, "SELECT id FROM dialogue_tables WHERE session_id = :s ORDER BY position");
	db_bind_int(s, "s", session_id);
	while ((rc = db_step(s)) == DB_ROW && st->ntables < DIALOGUE_TABLES_MAX)
		st->table_ids[st->ntables++] = db_col_int(s, 0);
	db_finalize(s);
	if (rc < 0)
		return rc;
	s = db_prepare(d, "SELECT count(*) FROM dialogue_registrations WHERE session_id = :s AND "
	                  "status = 'registered'");
	db_bind_int(s, "s", session_id);
	rc = db_step(s);
	size_t n = rc == DB_ROW ? (size_t)db_col_int(s, 0) : 0;
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	st->reg = calloc(n ? n : 1, sizeof *st->reg);
	st->traits = calloc((n ? n : 1) * 2, sizeof *st->traits);
	st->table = calloc(n ? n : 1, sizeof *st->table);
	if (!st->reg || !st->traits || !st->table)
		abort();
	char(*seen)[DIALOGUE_CATEGORIES_MAX][DIALOGUE_TRAIT_MAX * 4 + 1] = calloc(2, sizeof *seen);
	if (!seen)
		abort();
	int nseen[2] = {0, 0};
	s = db_prepare(d, "SELECT id, district, age_band, coalesce(table_id, 0) FROM "
	                  "dialogue_registrations WHERE session_id = :s AND status = 'registered' "
	                  "ORDER BY id");
	db_bind_int(s, "s", session_id);
	while (st->n < n && (rc = db_step(s)) == DB_ROW) {
		size_t i = st->n++;
		st->reg[i] = db_col_int(s, 0);
		/* district names compared as written, trimmed by the page */
		st->traits[i * 2] = category_of(seen[0], &nseen[0], db_col_text(s, 1));
		st->traits[i * 2 + 1] = category_of(seen[1], &nseen[1], db_col_text(s, 2));
		int64_t tid = db_col_int(s, 3);
		st->table[i] = -1;
		for (int t = 0; t < st->ntables; t++)
			if (st->table_ids[t] == tid)
				st->table[i] = t;
	}
	db_finalize(s);
	free(seen);
	return rc < 0 ? rc : DB_ROW;
}

int dialogue_place_all_write(db *d, void *ctx)
{
	struct dialogue_place_all *j = ctx;
	j->result = DIALOGUE_OK;
	struct seating st;
	int rc = seating_load(d, j->trajectory_id, j->session_id, &st);
	if (rc == DB_DONE || (rc == DB_ROW && st.ntables == 0)) {
		seating_free(&st);
		j->result = DIALOGUE_NOT_FOUND;
		return DB_OK;
	}
	if (rc != DB_ROW) {
		seating_free(&st);
		return rc;
	}
	/* Seats per table: the session's capacity shared by its tables (more
	 * when more people were let in by hand). */
	int per = (st.capacity + st.ntables - 1) / st.ntables;
	int need = (int)((st.n + (size_t)st.ntables - 1) / (size_t)st.ntables);
	int caps[DIALOGUE_TABLES_MAX];
	for (int t = 0; t < st.ntables; t++)
		caps[t] = per > need ? per : need;
	struct dialogue_people p = {.n = st.n, .k = 2, .traits = st.traits};
	int *out = calloc(st.n ? st.n : 1, sizeof *out);
	if (!out)
		abort();
	if (dialogue_assign(&p, st.ntables, caps, j->seed, out) != 0) {
		free(out);
		seating_free(&st);
		j->result = DIALOGUE_NO_ROOM;
		return DB_OK;
	}
	rc = DB_OK;
	for (size_t i = 0; i < st.n && rc == DB_OK; i++) {
		db_stmt *s = db_prepare(d, "UPDATE dialogue_registrations SET table_id = :t WHERE "
		                           "id = :r");
		db_bind_int(s, "t", st.table_ids[out[i]]);
		db_bind_int(s, "r", st.reg[i]);
		rc = done_ok(db_step(s));
		db_finalize(s);
	}
	j->placed = (int)st.n;
	j->imbalance = st.n ? dialogue_imbalance(&p, st.ntables, out, NULL) : 0;
	free(out);
	seating_free(&st);
	return rc;
}

int dialogue_move_write(db *d, void *ctx)
{
	struct dialogue_move *m = ctx;
	m->result = DIALOGUE_OK;
	db_stmt *s = db_prepare(
	        d, "UPDATE dialogue_registrations SET table_id = :t WHERE id = :r AND status = "
	           "'registered' AND session_id = (SELECT t.session_id FROM dialogue_tables t JOIN "
	           "dialogue_sessions s ON s.id = t.session_id WHERE t.id = :t AND "
	           "s.trajectory_id = :tr)");
	db_bind_int(s, "t", m->table_id);
	db_bind_int(s, "r", m->registration_id);
	db_bind_int(s, "tr", m->trajectory_id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	if (db_changes(d) == 0)
		m->result = DIALOGUE_NOT_FOUND;
	return DB_OK;
}

int dialogue_user_may_act(db *d, int64_t trajectory_id, int64_t table_id, const struct user *u)
{
	assert(u);
	int rc = table_session(d, trajectory_id, table_id, NULL);
	if (rc == DB_DONE)
		return -1;
	if (rc != DB_ROW)
		return rc < -1 ? rc : -2;
	if (trajectory_role_sees_all(u->role))
		return 1;
	db_stmt *s =
	        db_prepare(d, "SELECT (SELECT count(*) FROM dialogue_facilitators WHERE "
	                      "table_id = :t AND user_id = :u) + (SELECT count(*) FROM "
	                      "trajectory_staff WHERE trajectory_id = :tr AND user_id = :u AND "
	                      "responsible = 1)");
	db_bind_int(s, "t", table_id);
	db_bind_int(s, "u", u->id);
	db_bind_int(s, "tr", trajectory_id);
	rc = db_step(s);
	int may = rc == DB_ROW && db_col_int(s, 0) > 0;
	db_finalize(s);
	return rc == DB_ROW ? may : -2;
}

int dialogue_turn_write(db *d, void *ctx)
{
	struct dialogue_turn *j = ctx;
	j->result = DIALOGUE_OK;
	int rc = table_session(d, j->trajectory_id, j->table_id, NULL);
	if (rc == DB_DONE) {
		j->result = DIALOGUE_NOT_FOUND;
		return DB_OK;
	}
	if (rc != DB_ROW)
		return rc;
	if (j->registration_id > 0) {
		db_stmt *s = db_prepare(d, "SELECT 1 FROM dialogue_registrations WHERE id = :r AND "
		                           "table_id = :t AND status = 'registered'");
		db_bind_int(s, "r", j->registration_id);
		db_bind_int(s, "t", j->table_id);
		rc = db_step(s);
		db_finalize(s);
		if (rc == DB_DONE) {
			j->result = DIALOGUE_NOT_PLACED;
			return DB_OK;
		}
		if (rc != DB_ROW)
			return rc;
	}
	/* Whoever spoke stops; a tap on the one speaking changes nothing more. */
	db_stmt *s = db_prepare(d, "SELECT registration_id FROM dialogue_turns WHERE table_id = :t "
	                           "AND stopped_at IS NULL");
	db_bind_int(s, "t", j->table_id);
	rc = db_step(s);
	int64_t speaking = rc == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (speaking && speaking == j->registration_id)
		return DB_OK;
	s = db_prepare(d, "UPDATE dialogue_turns SET stopped_at = CASE WHEN started_at > :now THEN "
	                  "started_at ELSE :now END WHERE "
	                  "table_id = :t AND stopped_at IS NULL");
	db_bind_int(s, "now", j->now);
	db_bind_int(s, "t", j->table_id);
	rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE || j->registration_id <= 0)
		return done_ok(rc);
	s = db_prepare(d, "INSERT INTO dialogue_turns (table_id, registration_id, started_at) "
	                  "VALUES (:t, :r, :now)");
	db_bind_int(s, "t", j->table_id);
	db_bind_int(s, "r", j->registration_id);
	db_bind_int(s, "now", j->now);
	rc = db_step(s);
	db_finalize(s);
	return done_ok(rc);
}

int dialogue_note_write(db *d, void *ctx)
{
	struct dialogue_note *n = ctx;
	assert(dialogue_note_check(n) == NULL);
	n->result = DIALOGUE_OK;
	int rc = table_session(d, n->trajectory_id, n->table_id, NULL);
	if (rc == DB_DONE) {
		n->result = DIALOGUE_NOT_FOUND;
		return DB_OK;
	}
	if (rc != DB_ROW)
		return rc;
	db_stmt *s = db_prepare(d, "INSERT INTO dialogue_notes (table_id, kind, body, created_at, "
	                           "created_by) VALUES (:t, :kind, :body, :now, :by) RETURNING id");
	db_bind_int(s, "t", n->table_id);
	db_bind_text(s, "kind", n->kind);
	db_bind_text(s, "body", n->body);
	db_bind_int(s, "now", clock_now());
	if (n->user_id > 0)
		db_bind_int(s, "by", n->user_id);
	else
		db_bind_null(s, "by");
	rc = db_step(s);
	if (rc == DB_ROW)
		n->id = db_col_int(s, 0);
	db_finalize(s);
	return done_ok(rc);
}

/* ---- reads --------------------------------------------------------------- */

static json_t *session_row(db_stmt *s)
{
	/* columns: id, number, title, starts_at, minutes, place, online_url,
	 * closes_at, capacity, agenda */
	return json_pack("{sI sI ss sI sI ss ss sI sI ss}", "id", (json_int_t)db_col_int(s, 0),
	                 "number", (json_int_t)db_col_int(s, 1), "title", db_col_text(s, 2),
	                 "starts_at", (json_int_t)db_col_int(s, 3), "minutes",
	                 (json_int_t)db_col_int(s, 4), "place", db_col_text(s, 5), "online_url",
	                 db_col_text(s, 6), "closes_at", (json_int_t)db_col_int(s, 7), "capacity",
	                 (json_int_t)db_col_int(s, 8), "agenda", db_col_text(s, 9));
}

static int tables_json(db *d, int64_t session_id, json_t *session)
{
	json_t *tables = json_array();
	json_object_set_new(session, "tables", tables);
	db_stmt *s = db_prepare(d, "SELECT t.id, t.position, t.name, t.theme, (SELECT count(*) "
	                           "FROM dialogue_registrations r WHERE r.table_id = t.id AND "
	                           "r.status = 'registered') FROM dialogue_tables t WHERE "
	                           "t.session_id = :s ORDER BY t.position");
	db_bind_int(s, "s", session_id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		json_array_append_new(
		        tables,
		        json_pack("{sI sI ss ss sI s[]}", "id", (json_int_t)db_col_int(s, 0),
		                  "position", (json_int_t)db_col_int(s, 1), "name",
		                  db_col_text(s, 2), "theme", db_col_text(s, 3), "seated",
		                  (json_int_t)db_col_int(s, 4), "facilitators"));
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	size_t i;
	json_t *t;
	json_array_foreach(tables, i, t)
	{
		s = db_prepare(d, "SELECT u.id, u.display_name FROM dialogue_facilitators f JOIN "
		                  "users u ON u.id = f.user_id WHERE f.table_id = :t ORDER BY "
		                  "u.display_name");
		db_bind_int(s, "t", (int64_t)json_integer_value(json_object_get(t, "id")));
		json_t *fs = json_object_get(t, "facilitators");
		while ((rc = db_step(s)) == DB_ROW)
			json_array_append_new(fs, json_pack("{sI ss}", "id",
			                                    (json_int_t)db_col_int(s, 0),
			                                    "display_name", db_col_text(s, 1)));
		db_finalize(s);
		if (rc != DB_DONE)
			return rc;
	}
	return DB_OK;
}

int dialogue_sessions_json(db *d, int64_t trajectory_id, json_t **out)
{
	*out = json_array();
	db_stmt *s = db_prepare(
	        d, "SELECT id, number, title, starts_at, minutes, place, online_url, closes_at, "
	           "capacity, agenda, (SELECT count(*) FROM dialogue_registrations r WHERE "
	           "r.session_id = s.id AND r.status = 'registered'), (SELECT count(*) FROM "
	           "dialogue_registrations r WHERE r.session_id = s.id AND r.status = 'waiting'), "
	           "(SELECT count(*) FROM dialogue_registrations r WHERE r.session_id = s.id AND "
	           "r.needs_help = 1 AND r.support_done_at IS NULL AND r.status <> 'cancelled') "
	           "FROM dialogue_sessions s WHERE trajectory_id = :t ORDER BY number");
	db_bind_int(s, "t", trajectory_id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *o = session_row(s);
		json_object_set_new(o, "registered", json_integer(db_col_int(s, 10)));
		json_object_set_new(o, "waiting", json_integer(db_col_int(s, 11)));
		json_object_set_new(o, "support_open", json_integer(db_col_int(s, 12)));
		json_array_append_new(*out, o);
	}
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	size_t i;
	json_t *o;
	json_array_foreach(*out, i, o)
	{
		rc = tables_json(d, (int64_t)json_integer_value(json_object_get(o, "id")), o);
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

/* The opened contact data of a participant: name etc., or nulls. */
static void contact_into(db *d, const vault *v, int64_t pid, json_t *o, int all)
{
	json_t *c = NULL;
	if (pid > 0 && participant_contact_open(d, v, pid, &c) != DB_OK)
		c = NULL;
	const char *keys[] = {"name", "email", "phone"};
	for (int k = 0; k < (all ? 3 : 1); k++) {
		json_t *val = c ? json_object_get(c, keys[k]) : NULL;
		json_object_set_new(o, keys[k], val ? json_incref(val) : json_null());
	}
	json_decref(c);
}

int dialogue_session_json(db *d, const vault *v, int64_t trajectory_id, int64_t session_id,
                          json_t **out)
{
	*out = NULL;
	json_t *all = NULL;
	int rc = dialogue_sessions_json(d, trajectory_id, &all);
	if (rc != DB_OK) {
		json_decref(all);
		return rc;
	}
	size_t i;
	json_t *o;
	json_array_foreach(all, i, o)
	{
		if (json_integer_value(json_object_get(o, "id")) == session_id)
			*out = json_incref(o);
	}
	json_decref(all);
	if (!*out)
		return DB_DONE;
	json_t *regs = json_array();
	json_object_set_new(*out, "registrations", regs);
	db_stmt *s = db_prepare(
	        d, "SELECT r.id, coalesce(r.participant_id, 0), coalesce(p.code, ''), "
	           "r.contribution, r.access_needs, r.district, r.age_band, r.status, "
	           "r.wait_position, r.needs_help, coalesce(r.support_user_id, 0), "
	           "coalesce(u.display_name, ''), r.support_done_at IS NOT NULL, "
	           "coalesce(r.table_id, 0), r.created_at FROM dialogue_registrations r LEFT JOIN "
	           "participants p ON p.id = r.participant_id LEFT JOIN users u ON u.id = "
	           "r.support_user_id WHERE r.session_id = :s ORDER BY CASE r.status WHEN "
	           "'registered' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END, r.wait_position, r.id");
	db_bind_int(s, "s", session_id);
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *g = json_pack(
		        "{sI sI ss so so ss ss ss so sb sI ss sb sI sI}", "id",
		        (json_int_t)db_col_int(s, 0), "participant_id",
		        (json_int_t)db_col_int(s, 1), "participant_code", db_col_text(s, 2),
		        "contribution", open_private(v, db_col_int(s, 0), "contribution", s, 3),
		        "access_needs", open_private(v, db_col_int(s, 0), "access_needs", s, 4),
		        "district", db_col_text(s, 5), "age_band", db_col_text(s, 6), "status",
		        db_col_text(s, 7), "wait_position",
		        db_col_is_null(s, 8) ? json_null() : json_integer(db_col_int(s, 8)),
		        "needs_help", (int)db_col_int(s, 9), "support_user_id",
		        (json_int_t)db_col_int(s, 10), "support_name", db_col_text(s, 11),
		        "support_done", (int)db_col_int(s, 12), "table_id",
		        (json_int_t)db_col_int(s, 13), "created_at", (json_int_t)db_col_int(s, 14));
		json_array_append_new(regs, g);
	}
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	json_array_foreach(regs, i, o)
	{
		contact_into(d, v,
		             (int64_t)json_integer_value(json_object_get(o, "participant_id")), o,
		             1);
		json_object_del(o, "participant_id");
	}
	/* The balance of the placement as it stands. */
	struct seating st;
	rc = seating_load(d, trajectory_id, session_id, &st);
	if (rc == DB_ROW) {
		int complete = st.n > 0;
		for (size_t k = 0; k < st.n; k++)
			complete &= st.table[k] >= 0;
		if (complete) {
			struct dialogue_people p = {.n = st.n, .k = 2, .traits = st.traits};
			double per[DIALOGUE_TABLES_MAX];
			double sum = dialogue_imbalance(&p, st.ntables, st.table, per);
			json_object_set_new(*out, "imbalance", json_real(sum));
			json_t *tables = json_object_get(*out, "tables");
			for (int t = 0; t < st.ntables; t++) {
				json_t *tj = json_array_get(tables, (size_t)t);
				if (tj)
					json_object_set_new(tj, "imbalance", json_real(per[t]));
			}
		} else {
			json_object_set_new(*out, "imbalance", json_null());
		}
	}
	seating_free(&st);
	return rc == DB_ROW ? DB_ROW : rc == DB_DONE ? DB_DONE : rc;
}

int dialogue_open_sessions_json(db *d, int64_t trajectory_id, int64_t now, json_t **out)
{
	*out = json_array();
	db_stmt *s = db_prepare(
	        d, "SELECT id, number, title, starts_at, minutes, place, online_url, closes_at, "
	           "capacity, agenda, (SELECT count(*) FROM dialogue_registrations r WHERE "
	           "r.session_id = s.id AND r.status = 'registered') >= capacity FROM "
	           "dialogue_sessions s WHERE trajectory_id = :t AND closes_at > :now ORDER BY "
	           "number");
	db_bind_int(s, "t", trajectory_id);
	db_bind_int(s, "now", now);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *o = session_row(s);
		json_object_del(o, "capacity");
		json_object_set_new(o, "full", json_boolean(db_col_int(s, 10)));
		json_array_append_new(*out, o);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int dialogue_table_json(db *d, const vault *v, int64_t trajectory_id, int64_t table_id, int64_t now,
                        json_t **out)
{
	*out = NULL;
	db_stmt *s = db_prepare(
	        d, "SELECT t.id, t.name, t.theme, s.id, s.number, s.title, s.starts_at, s.minutes, "
	           "s.place, s.online_url, s.closes_at, s.capacity, s.agenda FROM dialogue_tables "
	           "t JOIN dialogue_sessions s ON s.id = t.session_id WHERE t.id = :t AND "
	           "s.trajectory_id = :tr");
	db_bind_int(s, "t", table_id);
	db_bind_int(s, "tr", trajectory_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		json_t *session = json_pack(
		        "{sI sI ss sI sI ss ss sI sI ss}", "id", (json_int_t)db_col_int(s, 3),
		        "number", (json_int_t)db_col_int(s, 4), "title", db_col_text(s, 5),
		        "starts_at", (json_int_t)db_col_int(s, 6), "minutes",
		        (json_int_t)db_col_int(s, 7), "place", db_col_text(s, 8), "online_url",
		        db_col_text(s, 9), "closes_at", (json_int_t)db_col_int(s, 10), "capacity",
		        (json_int_t)db_col_int(s, 11), "agenda", db_col_text(s, 12));
		*out = json_pack("{sI ss ss so s[] s[] sI sI}", "id", (json_int_t)db_col_int(s, 0),
		                 "name", db_col_text(s, 1), "theme", db_col_text(s, 2), "session",
		                 session, "people", "notes", "speaking", (json_int_t)0,
		                 "speaking_since", (json_int_t)0);
	}
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	json_t *people = json_object_get(*out, "people");
	s = db_prepare(
	        d, "SELECT r.id, coalesce(r.participant_id, 0), coalesce(p.code, ''), "
	           "r.contribution, r.access_needs, (SELECT count(*) FROM dialogue_turns x WHERE "
	           "x.table_id = r.table_id AND x.registration_id = r.id), (SELECT "
	           "coalesce(sum(coalesce(x.stopped_at, CASE WHEN x.started_at > :now THEN "
	           "x.started_at ELSE :now END) - x.started_at), 0) FROM dialogue_turns x WHERE "
	           "x.table_id = r.table_id AND x.registration_id = "
	           "r.id) FROM dialogue_registrations r LEFT JOIN participants p ON p.id = "
	           "r.participant_id WHERE r.table_id = :t AND r.status = 'registered' ORDER BY "
	           "r.id");
	db_bind_int(s, "t", table_id);
	db_bind_int(s, "now", now);
	while ((rc = db_step(s)) == DB_ROW)
		json_array_append_new(
		        people, json_pack("{sI sI ss so so sI sI}", "registration_id",
		                          (json_int_t)db_col_int(s, 0), "participant_id",
		                          (json_int_t)db_col_int(s, 1), "participant_code",
		                          db_col_text(s, 2), "contribution",
		                          open_private(v, db_col_int(s, 0), "contribution", s, 3),
		                          "access_needs",
		                          open_private(v, db_col_int(s, 0), "access_needs", s, 4),
		                          "turns", (json_int_t)db_col_int(s, 5), "seconds",
		                          (json_int_t)db_col_int(s, 6)));
	db_finalize(s);
	if (rc != DB_DONE)
		goto fail;
	size_t i;
	json_t *o;
	json_array_foreach(people, i, o)
	{
		contact_into(d, v,
		             (int64_t)json_integer_value(json_object_get(o, "participant_id")), o,
		             0);
		json_object_del(o, "participant_id");
	}
	s = db_prepare(d, "SELECT registration_id, started_at FROM dialogue_turns WHERE table_id "
	                  "= :t AND stopped_at IS NULL");
	db_bind_int(s, "t", table_id);
	rc = db_step(s);
	if (rc == DB_ROW) {
		json_object_set_new(*out, "speaking", json_integer(db_col_int(s, 0)));
		json_object_set_new(*out, "speaking_since", json_integer(db_col_int(s, 1)));
	}
	db_finalize(s);
	if (rc < 0)
		goto fail;
	json_t *notes = json_object_get(*out, "notes");
	s = db_prepare(d, "SELECT n.id, n.kind, n.body, n.created_at, coalesce(u.display_name, '') "
	                  "FROM dialogue_notes n LEFT JOIN users u ON u.id = n.created_by WHERE "
	                  "n.table_id = :t ORDER BY n.id");
	db_bind_int(s, "t", table_id);
	while ((rc = db_step(s)) == DB_ROW)
		json_array_append_new(notes, json_pack("{sI ss ss sI ss}", "id",
		                                       (json_int_t)db_col_int(s, 0), "kind",
		                                       db_col_text(s, 1), "body", db_col_text(s, 2),
		                                       "created_at", (json_int_t)db_col_int(s, 3),
		                                       "author", db_col_text(s, 4)));
	db_finalize(s);
	if (rc != DB_DONE)
		goto fail;
	/* its facilitators, as in the session overview */
	json_t *holder = json_object();
	rc = tables_json(d,
	                 (int64_t)json_integer_value(
	                         json_object_get(json_object_get(*out, "session"), "id")),
	                 holder);
	json_t *tables = json_object_get(holder, "tables");
	json_array_foreach(tables, i, o)
	{
		if (json_integer_value(json_object_get(o, "id")) == table_id)
			json_object_set(*out, "facilitators", json_object_get(o, "facilitators"));
	}
	json_decref(holder);
	if (rc != DB_OK)
		goto fail;
	return DB_ROW;
fail:
	json_decref(*out);
	*out = NULL;
	return rc < 0 ? rc : DB_ERROR;
}

/* ---- the evaluation after each session ---------------------------------- */

int dialogue_evaluation_find(db *d, int64_t trajectory_id, int64_t *collection_id, char *token)
{
	db_stmt *s = db_prepare(d, "SELECT c.id, c.token FROM collections c JOIN scripts s ON "
	                           "s.id = c.script_id WHERE c.trajectory_id = :t AND s.key = :key "
	                           "AND c.closed = 0 ORDER BY c.id DESC LIMIT 1");
	db_bind_int(s, "t", trajectory_id);
	db_bind_text(s, "key", DIALOGUE_EVALUATION_KEY);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*collection_id = db_col_int(s, 0);
		snprintf(token, 33, "%s", db_col_text(s, 1));
	}
	db_finalize(s);
	return rc;
}

int dialogue_evaluation_write(db *d, void *ctx)
{
	struct dialogue_evaluation_new *e = ctx;
	e->result = DIALOGUE_OK;
	int rc = dialogue_evaluation_find(d, e->trajectory_id, &e->collection_id, e->token);
	if (rc != DB_DONE)
		return done_ok(rc);
	/* the script: the organisation's own copy, or the template installed */
	int64_t script_id = 0;
	int version = 0;
	db_stmt *s = db_prepare(d, "SELECT s.id, coalesce((SELECT max(v.version) FROM "
	                           "script_versions v WHERE v.script_id = s.id AND v.status IN "
	                           "('pilot', 'published')), 0) FROM scripts s WHERE s.org_id = :o "
	                           "AND s.key = :key");
	db_bind_int(s, "o", e->org_id);
	db_bind_text(s, "key", DIALOGUE_EVALUATION_KEY);
	rc = db_step(s);
	if (rc == DB_ROW) {
		script_id = db_col_int(s, 0);
		version = (int)db_col_int(s, 1);
	}
	db_finalize(s);
	if (rc < 0)
		return rc;
	if (!script_id) {
		if (!e->lib) {
			e->result = DIALOGUE_NOT_FOUND;
			return DB_OK;
		}
		rc = script_library_write(d, e->lib);
		if (rc != DB_OK || e->lib->save.result != SCRIPT_OK) {
			e->result = DIALOGUE_NOT_FOUND;
			return rc < 0 ? rc : DB_OK;
		}
		script_id = e->lib->save.script_id;
	}
	if (!version) {
		/* the newest version (a draft: the template as installed) goes live */
		s = db_prepare(d, "SELECT max(version) FROM script_versions WHERE script_id = :s");
		db_bind_int(s, "s", script_id);
		rc = db_step(s);
		int newest = rc == DB_ROW ? (int)db_col_int(s, 0) : 0;
		db_finalize(s);
		struct script_status_job pj = {.org_id = e->org_id,
		                               .user_id = e->user_id,
		                               .script_id = script_id,
		                               .version = newest,
		                               .to = SCRIPT_PUBLISHED};
		rc = script_status_write(d, &pj);
		if (rc != 0 || pj.result != SCRIPT_OK) {
			e->result = DIALOGUE_NOT_FOUND;
			return rc < 0 ? rc : DB_OK;
		}
		version = newest;
	}
	struct collection_new cn = {.org_id = e->org_id,
	                            .user_id = e->user_id,
	                            .title = "Evaluatie dialoogtafels",
	                            .purpose = "Leren van de dialoogtafels: hoe was het voor de "
	                                       "deelnemers?",
	                            .script_id = script_id,
	                            .script_version = version,
	                            .retention_days = COLLECTION_RETENTION_DEFAULT,
	                            .trajectory_id = e->trajectory_id};
	rc = collection_create_write(d, &cn);
	if (rc != 0)
		return rc;
	if (cn.result != COLLECTION_OK) {
		e->result = DIALOGUE_NOT_FOUND;
		return DB_OK;
	}
	e->collection_id = cn.id;
	snprintf(e->token, sizeof e->token, "%s", cn.token);
	return DB_OK;
}

/* The keyed hash of a registration's id, 32 hex digits. */
static void cancel_mac(const vault *v, int64_t registration_id, char out[33])
{
	char id[24], full[65];
	snprintf(id, sizeof id, "%lld", (long long)registration_id);
	vault_blind_index(v, "dialogue_cancel", id, full);
	memcpy(out, full, 32);
	out[32] = '\0';
}

void dialogue_cancel_token(const vault *v, int64_t registration_id,
                           char out[DIALOGUE_CANCEL_TOKEN_LEN + 1])
{
	char mac[33];
	cancel_mac(v, registration_id, mac);
	snprintf(out, DIALOGUE_CANCEL_TOKEN_LEN + 1, "%lld-%s", (long long)registration_id, mac);
}

int64_t dialogue_cancel_token_check(const vault *v, const char *token)
{
	if (!token || strlen(token) > DIALOGUE_CANCEL_TOKEN_LEN)
		return 0;
	const char *dash = strchr(token, '-');
	if (!dash || dash == token || strlen(dash + 1) != 32)
		return 0;
	char id[24];
	size_t n = (size_t)(dash - token);
	if (n >= sizeof id)
		return 0;
	memcpy(id, token, n);
	id[n] = '\0';
	int64_t rid;
	if (util_parse_id(id, &rid) != 0)
		return 0;
	char mac[33];
	cancel_mac(v, rid, mac);
	return sodium_memcmp(mac, dash + 1, 32) == 0 ? rid : 0;
}

int dialogue_registration_public_json(db *d, int64_t registration_id, json_t **out)
{
	db_stmt *s = db_prepare(
	        d, "SELECT r.status, t.id, t.title, t.slug, s.title, s.number, s.starts_at, "
	           "s.minutes FROM dialogue_registrations r JOIN dialogue_sessions s ON s.id = "
	           "r.session_id JOIN trajectories t ON t.id = s.trajectory_id WHERE r.id = :r");
	db_bind_int(s, "r", registration_id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		*out = json_pack("{ss sI ss ss ss sI sI sI}", "status", db_col_text(s, 0),
		                 "trajectory_id", (json_int_t)db_col_int(s, 1), "trajectory_title",
		                 db_col_text(s, 2), "slug", db_col_text(s, 3), "session_title",
		                 db_col_text(s, 4), "number", (json_int_t)db_col_int(s, 5),
		                 "starts_at", (json_int_t)db_col_int(s, 6), "minutes",
		                 (json_int_t)db_col_int(s, 7));
	db_finalize(s);
	if (rc == DB_ROW && !*out)
		abort();
	return rc;
}

int dialogue_registration_session(db *d, int64_t trajectory_id, int64_t registration_id,
                                  int64_t *session_id)
{
	db_stmt *s = db_prepare(d, "SELECT r.session_id FROM dialogue_registrations r JOIN "
	                           "dialogue_sessions s ON s.id = r.session_id WHERE r.id = :r AND "
	                           "s.trajectory_id = :t");
	db_bind_int(s, "r", registration_id);
	db_bind_int(s, "t", trajectory_id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		*session_id = db_col_int(s, 0);
	db_finalize(s);
	return rc;
}

int dialogue_table_session(db *d, int64_t trajectory_id, int64_t table_id, int64_t *session_id)
{
	return table_session(d, trajectory_id, table_id, session_id);
}

int dialogue_registrations_by_participant_json(db *d, const vault *v, int64_t participant_id,
                                               json_t *out)
{
	db_stmt *s = db_prepare(
	        d, "SELECT tr.title, s.title, s.starts_at, r.status, r.contribution, "
	           "r.access_needs, r.district, r.age_band, r.needs_help, coalesce(t.name, ''), "
	           "r.id "
	           "FROM dialogue_registrations r JOIN dialogue_sessions s ON s.id = r.session_id "
	           "JOIN trajectories tr ON tr.id = s.trajectory_id LEFT JOIN dialogue_tables t ON "
	           "t.id = r.table_id WHERE r.participant_id = :p ORDER BY r.id");
	db_bind_int(s, "p", participant_id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		json_array_append_new(
		        out,
		        json_pack("{ss ss sI ss so so ss ss sb ss}", "trajectory",
		                  db_col_text(s, 0), "session", db_col_text(s, 1), "starts_at",
		                  (json_int_t)db_col_int(s, 2), "status", db_col_text(s, 3),
		                  "contribution",
		                  open_private(v, db_col_int(s, 10), "contribution", s, 4),
		                  "access_needs",
		                  open_private(v, db_col_int(s, 10), "access_needs", s, 5),
		                  "district", db_col_text(s, 6), "age_band", db_col_text(s, 7),
		                  "needs_help", (int)db_col_int(s, 8), "table", db_col_text(s, 9)));
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int dialogue_purge_trajectory(db *d, int64_t trajectory_id, int64_t *sessions, int64_t *erased)
{
	*sessions = *erased = 0;
	db_stmt *s = db_prepare(d, "SELECT DISTINCT r.participant_id FROM dialogue_registrations "
	                           "r JOIN dialogue_sessions s ON s.id = r.session_id WHERE "
	                           "s.trajectory_id = :t AND r.participant_id IS NOT NULL");
	db_bind_int(s, "t", trajectory_id);
	int64_t *people;
	size_t n;
	int rc = db_collect_ids(s, &people, &n);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	s = db_prepare(d, "DELETE FROM dialogue_sessions WHERE trajectory_id = :t");
	db_bind_int(s, "t", trajectory_id);
	rc = db_step(s);
	db_finalize(s);
	*sessions = db_changes(d);
	for (size_t i = 0; i < n && rc == DB_DONE; i++) {
		s = db_prepare(
		        d, "SELECT (SELECT count(*) FROM stories WHERE participant_id = :p) + "
		           "(SELECT count(*) FROM conversation_people WHERE participant_id = "
		           ":p) + (SELECT count(*) FROM contact_requests WHERE participant_id = "
		           ":p) + (SELECT count(*) FROM dialogue_registrations WHERE "
		           "participant_id = :p)");
		db_bind_int(s, "p", people[i]);
		rc = db_step(s);
		int unused = rc == DB_ROW && db_col_int(s, 0) == 0;
		db_finalize(s);
		if (rc != DB_ROW)
			break;
		rc = DB_DONE;
		if (unused) {
			int e = participant_erase(d, people[i]);
			if (e == DB_OK)
				(*erased)++;
			else if (e != DB_DONE)
				rc = e;
		}
	}
	free(people);
	return rc == DB_DONE ? DB_OK : rc;
}
