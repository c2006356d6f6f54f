/* conversation.c: kitchen-table conversations: invitations with personal links, the appointment, notes, points and decisions, personal feedback, and the status derived from the facts. */
#include "model/conversation.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"
#include "model/participant.h"
#include "model/trajectory.h"

#include <assert.h>
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const status_names[CONV_NSTATUS] = {
        "draft", "invited", "appointment", "reminded", "held", "decided", "feedback", "closed"};

const char *conversation_status_name(int status)
{
	return status >= 0 && status < CONV_NSTATUS ? status_names[status] : "draft";
}

int conversation_status_parse(const char *name)
{
	for (int i = 0; name && i < CONV_NSTATUS; i++)
		if (strcmp(name, status_names[i]) == 0)
			return i;
	return -1;
}

/* The status is the furthest step, in the order of the enum, whose own
 * condition holds:
 *
 *   closed       closed
 *   feedback     held, no point undecided (all decided, or none raised),
 *                owed > 0 and fed_back >= owed
 *   decided      held, points > 0 and open_points == 0
 *   held         held
 *   reminded     reminded
 *   appointment  appointment
 *   invited      invited > 0
 *   draft        otherwise
 *
 * A later step carries the earlier ones it needs in its own condition
 * (decided and feedback need held), so a step that was skipped in practice
 * does not hold a conversation back: an appointment made by phone without
 * a link, or a talk without a reminder, still reaches held; a talk where
 * no points were raised goes from held straight to feedback, because the
 * people at the table still hear back. */
int conversation_status_of(const struct conversation_facts *f)
{
	assert(f);
	if (f->closed)
		return CONV_CLOSED;
	if (f->held && f->open_points == 0 && f->owed > 0 && f->fed_back >= f->owed)
		return CONV_FEEDBACK;
	if (f->held && f->points > 0 && f->open_points == 0)
		return CONV_DECIDED;
	if (f->held)
		return CONV_HELD;
	if (f->reminded)
		return CONV_REMINDED;
	if (f->appointment)
		return CONV_APPOINTMENT;
	if (f->invited > 0)
		return CONV_INVITED;
	return CONV_DRAFT;
}

/* ---- checks -------------------------------------------------------------- */

static int one_of(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static const char *const place_kinds[] = {"home", "town_hall", "video", "phone", "other", NULL};
static const char *const person_kinds[] = {"resident", "entrepreneur", "organisation", NULL};
static const char *const channels[] = {"email", "letter", NULL};
static const char *const responses[] = {"accepted", "declined", "other_time", NULL};
static const char *const decisions[] = {"taken", "not_taken", NULL};

int conversation_token_valid(const char *token)
{
	if (!token || strlen(token) != CONVERSATION_TOKEN_LEN)
		return 0;
	for (const char *p = token; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return 0;
	return 1;
}

const char *appointment_check(const struct appointment_fields *a, int64_t now)
{
	assert(a);
	if (a->starts_at <= now)
		return N_("Choose a time in the future.");
	if (a->minutes < 5 || a->minutes > 600)
		return N_("A conversation takes 5 to 600 minutes.");
	if (!one_of(a->place_kind, place_kinds))
		return N_("Choose where the conversation takes place.");
	if (a->place && *a->place && !util_text_ok(a->place, 500))
		return N_("The place may have at most 500 characters.");
	/* A home address is contact data: it stays sealed with the person and
	 * is never copied into the appointment. */
	if (strcmp(a->place_kind, "home") == 0 && a->place && *a->place)
		return N_(
		        "Leave the address out for a visit at home: it is taken from the person's "
		        "details, where it is kept encrypted.");
	if (strcmp(a->place_kind, "video") == 0 &&
	    (!a->place || strncmp(a->place, "https://", 8) != 0 || strlen(a->place) < 12 ||
	     strpbrk(a->place, " \t\r\n")))
		return N_("For a video call, give the link that starts with https://.");
	if (a->remind_minutes != -1 && (a->remind_minutes < 0 || a->remind_minutes > 43200))
		return N_("The reminder goes 0 to 43200 minutes (30 days) before.");
	return NULL;
}

const char *conversation_check(const struct conversation_new *c)
{
	assert(c);
	if (util_blank(c->title) || !util_text_ok(c->title, CONVERSATION_TITLE_MAX) ||
	    strpbrk(c->title, "\r\n\t"))
		return N_("Give the conversation a title of at most 200 characters on one line.");
	return NULL;
}

const char *conversation_person_check(const struct conversation_person_new *p)
{
	assert(p);
	if (p->kind && *p->kind && !one_of(p->kind, person_kinds))
		return N_("Choose resident, entrepreneur or organisation.");
	if (util_blank(p->email) && util_blank(p->phone) && util_blank(p->address))
		return N_("Give an e-mail address, a phone number or an address, so we can reach "
		          "this person.");
	/* An address longer than this is not one anybody can send to. */
	if (p->email && strlen(p->email) > 320)
		return N_("The e-mail address is not valid.");
	struct contact c = {p->name, p->address, p->phone, p->email};
	return contact_check(&c);
}

const char *conversation_invite_check(const struct conversation_invite *i)
{
	assert(i);
	if (!one_of(i->channel, channels))
		return N_("Choose to send the invitation by e-mail or by letter.");
	if (util_blank(i->text) || !util_text_ok(i->text, CONVERSATION_TEXT_MAX))
		return N_("Write the invitation (at most 8000 characters).");
	return NULL;
}

const char *conversation_answer_check(const struct conversation_answer *a)
{
	assert(a);
	if (!one_of(a->response, responses))
		return N_("Choose whether you come, propose another time, or do not come.");
	if (strcmp(a->response, "other_time") == 0 && util_blank(a->note))
		return N_("Write which time suits you better.");
	if (a->note && *a->note && !util_text_ok(a->note, 2000))
		return N_("Your note may have at most 2000 characters.");
	return NULL;
}

const char *conversation_change_check(const struct conversation_change *c)
{
	assert(c);
	switch (c->action) {
	case CONV_ACT_HELD: return NULL;
	case CONV_ACT_CANCEL_APPOINTMENT: return NULL;
	case CONV_ACT_NOTE:
		if (util_blank(c->text) || !util_text_ok(c->text, CONVERSATION_TEXT_MAX))
			return N_("Write the note (at most 8000 characters).");
		if (c->has_pin &&
		    !(c->pin_x >= 0 && c->pin_x <= 100 && c->pin_y >= 0 && c->pin_y <= 100))
			return N_("Give numbers from 0 to 100 for the place on the picture.");
		return NULL;
	case CONV_ACT_POINT:
		if (util_blank(c->text) || !util_text_ok(c->text, CONVERSATION_TEXT_MAX))
			return N_("Write the point (at most 8000 characters).");
		if (c->theme && *c->theme &&
		    (!util_text_ok(c->theme, CONVERSATION_TITLE_MAX) ||
		     strpbrk(c->theme, "\r\n\t")))
			return N_("A theme has at most 200 characters on one line.");
		if (c->person_id < 0)
			return N_("Choose who raised the point.");
		return NULL;
	case CONV_ACT_DECIDE:
		if (c->point_id <= 0)
			return N_("Choose the point to decide on.");
		if (!one_of(c->decision, decisions))
			return N_("Choose whether the point is taken along or not.");
		if (strcmp(c->decision, "not_taken") == 0 && util_blank(c->reason))
			return N_("Say why the point is not taken along.");
		if (c->reason && *c->reason && !util_text_ok(c->reason, CONVERSATION_TEXT_MAX))
			return N_("The reason may have at most 8000 characters.");
		return NULL;
	case CONV_ACT_FEEDBACK_DRAFT:
	case CONV_ACT_FEEDBACK_SENT:
		if (c->person_id <= 0)
			return N_("Choose the person the feedback is for.");
		if (util_blank(c->text) || !util_text_ok(c->text, CONVERSATION_TEXT_MAX))
			return N_("Write the feedback (at most 8000 characters).");
		if (c->action == CONV_ACT_FEEDBACK_SENT && !one_of(c->channel, channels))
			return N_("Choose whether the feedback went by e-mail or by letter.");
		return NULL;
	case CONV_ACT_CLOSE:
		if (c->reason && *c->reason && !util_text_ok(c->reason, CONVERSATION_TEXT_MAX))
			return N_("The reason may have at most 8000 characters.");
		return NULL;
	}
	return N_("Unknown action.");
}

/* ---- helpers ------------------------------------------------------------- */

static void bind_id_or_null(db_stmt *s, const char *name, int64_t id)
{
	if (id > 0)
		db_bind_int(s, name, id);
	else
		db_bind_null(s, name);
}

/* A db_step result for a statement expected to change or return a row. */
static int done_ok(int rc)
{
	return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* Whether conversation id is in trajectory_id: CONV_OK with *closed set,
 * CONV_NOT_FOUND, or a negative db error. */
static int conversation_find(db *d, int64_t trajectory_id, int64_t id, int *closed)
{
	db_stmt *s = db_prepare(d, "SELECT closed_at IS NOT NULL FROM conversations "
	                           "WHERE id = :id AND trajectory_id = :t");
	db_bind_int(s, "id", id);
	db_bind_int(s, "t", trajectory_id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		*closed = (int)db_col_int(s, 0);
	db_finalize(s);
	return rc == DB_ROW ? CONV_OK : rc == DB_DONE ? CONV_NOT_FOUND : rc;
}

/* Marks the conversation changed and stores its status again. */
static int finish(db *d, int64_t id)
{
	db_stmt *s = db_prepare(d, "UPDATE conversations SET updated_at = :now WHERE id = :id");
	db_bind_int(s, "now", clock_now());
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	rc = conversation_refresh_status(d, id);
	return rc < 0 ? rc : DB_OK;
}

/* Copies src into dst (size n) without cutting a UTF-8 sequence. */
static void copy_utf8(char *dst, size_t n, const char *src)
{
	size_t len = src ? strlen(src) : 0;
	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

static json_t *int_or_null(db_stmt *s, int i)
{
	return db_col_is_null(s, i) ? json_null() : json_integer(db_col_int(s, i));
}

/* ---- facts and status ---------------------------------------------------- */

static int facts_of(db *d, int64_t id, struct conversation_facts *f)
{
	db_stmt *s = db_prepare(
	        d, "SELECT c.closed_at IS NOT NULL, c.held_at IS NOT NULL, "
	           "(SELECT count(*) FROM conversation_people p WHERE p.conversation_id = c.id), "
	           "(SELECT count(*) FROM conversation_people p WHERE p.conversation_id = c.id AND "
	           "p.invited_at IS NOT NULL), "
	           "(SELECT count(*) FROM appointments a WHERE a.conversation_id = c.id AND "
	           "a.cancelled = 0), "
	           "(SELECT count(*) FROM appointments a WHERE a.conversation_id = c.id AND "
	           "a.cancelled = 0 AND a.reminded_at IS NOT NULL), "
	           "(SELECT count(*) FROM conversation_points x WHERE x.conversation_id = c.id), "
	           "(SELECT count(*) FROM conversation_points x WHERE x.conversation_id = c.id AND "
	           "x.decision = 'open'), "
	           "(SELECT count(*) FROM conversation_people p WHERE p.conversation_id = c.id AND "
	           "p.invited_at IS NOT NULL AND p.response <> 'declined'), "
	           "(SELECT count(*) FROM conversation_people p WHERE p.conversation_id = c.id AND "
	           "p.invited_at IS NOT NULL AND p.response <> 'declined' AND "
	           "p.feedback_sent_at IS NOT NULL) "
	           "FROM conversations c WHERE c.id = :id");
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		f->closed = (int)db_col_int(s, 0);
		f->held = (int)db_col_int(s, 1);
		f->people = (int)db_col_int(s, 2);
		f->invited = (int)db_col_int(s, 3);
		f->appointment = db_col_int(s, 4) > 0;
		f->reminded = db_col_int(s, 5) > 0;
		f->points = (int)db_col_int(s, 6);
		f->open_points = (int)db_col_int(s, 7);
		f->owed = (int)db_col_int(s, 8);
		f->fed_back = (int)db_col_int(s, 9);
	}
	db_finalize(s);
	return rc;
}

int conversation_refresh_status(db *d, int64_t conversation_id)
{
	struct conversation_facts f = {0};
	int rc = facts_of(d, conversation_id, &f);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DB_ERROR : rc;
	int status = conversation_status_of(&f);
	db_stmt *s = db_prepare(d, "UPDATE conversations SET status = :s WHERE id = :id");
	db_bind_text(s, "s", conversation_status_name(status));
	db_bind_int(s, "id", conversation_id);
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? status : rc;
}

/* ---- writes -------------------------------------------------------------- */

int conversation_create_write(db *d, void *ctx)
{
	struct conversation_new *c = ctx;
	assert(conversation_check(c) == NULL);
	db_stmt *s = db_prepare(d, "INSERT INTO conversations (trajectory_id, method_id, title, "
	                           "lead_user_id, created_at, created_by, updated_at) VALUES "
	                           "(:t, :m, :title, :u, :now, :u, :now) RETURNING id");
	db_bind_int(s, "t", c->trajectory_id);
	bind_id_or_null(s, "m", c->method_id);
	db_bind_text(s, "title", c->title);
	bind_id_or_null(s, "u", c->user_id);
	db_bind_int(s, "now", clock_now());
	int rc = db_step(s);
	c->id = rc == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	return finish(d, c->id);
}

int conversation_person_write(db *d, void *ctx)
{
	struct conversation_person_new *p = ctx;
	assert(conversation_person_check(p) == NULL);
	p->id = 0;
	int closed = 0;
	int rc = conversation_find(d, p->trajectory_id, p->conversation_id, &closed);
	p->result = rc > 0 ? rc : closed ? CONV_CLOSED_ALREADY : CONV_OK;
	if (rc < 0 || p->result != CONV_OK)
		return rc < 0 ? rc : DB_OK;
	db_stmt *s = db_prepare(d, "SELECT count(*) FROM conversation_people "
	                           "WHERE conversation_id = :c");
	db_bind_int(s, "c", p->conversation_id);
	rc = db_step(s);
	int64_t n = rc == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	if (n >= CONVERSATION_PEOPLE_MAX) {
		p->result = CONV_TOO_MANY;
		return DB_OK;
	}
	struct contact c = {p->name, p->address, p->phone, p->email};
	char code[PARTICIPANT_CODE_LEN + 1];
	int64_t pid = 0;
	rc = participant_create(d, p->v, &c, code, &pid);
	if (rc == DB_OK)
		snprintf(p->code, sizeof p->code, "%s", code);
	if (rc != DB_OK)
		return rc;
	s = db_prepare(d, "INSERT INTO conversation_people (conversation_id, participant_id, kind) "
	                  "VALUES (:c, :p, :kind) RETURNING id");
	db_bind_int(s, "c", p->conversation_id);
	db_bind_int(s, "p", pid);
	db_bind_text(s, "kind", p->kind && *p->kind ? p->kind : "resident");
	rc = db_step(s);
	if (rc == DB_ROW)
		p->id = db_col_int(s, 0);
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	return finish(d, p->conversation_id);
}

/* 1 when the trajectory of the conversation may send invitations. */
static int trajectory_ready(db *d, int64_t trajectory_id, int *ready)
{
	db_stmt *s = db_prepare(d, "SELECT scope, selection_rationale, contact_route FROM "
	                           "trajectories WHERE id = :t");
	db_bind_int(s, "t", trajectory_id);
	int rc = db_step(s);
	*ready = rc == DB_ROW &&
	         trajectory_missing(db_col_text(s, 0), db_col_text(s, 1), db_col_text(s, 2)) == 0;
	db_finalize(s);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static void invite_wipe(struct conversation_invite *i)
{
	sodium_memzero(i->email, sizeof i->email);
	sodium_memzero(i->name, sizeof i->name);
	sodium_memzero(i->token, sizeof i->token);
	memset(i->person_id, 0, sizeof i->person_id);
	i->n = 0;
}

int conversation_invite_write(db *d, void *ctx)
{
	struct conversation_invite *i = ctx;
	assert(conversation_invite_check(i) == NULL);
	invite_wipe(i);
	int closed = 0;
	int rc = conversation_find(d, i->trajectory_id, i->conversation_id, &closed);
	i->result = rc > 0 ? rc : closed ? CONV_CLOSED_ALREADY : CONV_OK;
	if (rc < 0 || i->result != CONV_OK)
		return rc < 0 ? rc : DB_OK;
	int ready = 0;
	if ((rc = trajectory_ready(d, i->trajectory_id, &ready)) != DB_OK)
		return rc;
	if (!ready) {
		i->result = CONV_NOT_READY;
		return DB_OK;
	}
	/* Everyone not invited yet (an erased person has no participant and
	 * is not invited again). Every address is opened before anything is
	 * written: all are invited, or nobody. */
	db_stmt *s = db_prepare(d, "SELECT id, participant_id FROM conversation_people WHERE "
	                           "conversation_id = :c AND invited_at IS NULL AND "
	                           "participant_id IS NOT NULL ORDER BY id");
	db_bind_int(s, "c", i->conversation_id);
	int64_t pids[CONVERSATION_PEOPLE_MAX];
	while ((rc = db_step(s)) == DB_ROW && i->n < CONVERSATION_PEOPLE_MAX) {
		i->person_id[i->n] = db_col_int(s, 0);
		pids[i->n] = db_col_int(s, 1);
		i->n++;
	}
	db_finalize(s);
	if (rc != DB_DONE && rc != DB_ROW) {
		invite_wipe(i);
		return rc;
	}
	int email = strcmp(i->channel, "email") == 0;
	for (int k = 0; k < i->n; k++) {
		json_t *c = NULL;
		if (participant_contact_open(d, i->v, pids[k], &c) != DB_OK) {
			invite_wipe(i);
			return DB_ERROR;
		}
		const char *name = json_string_value(json_object_get(c, "name"));
		const char *mail = json_string_value(json_object_get(c, "email"));
		copy_utf8(i->name[k], sizeof i->name[k], name);
		if (mail && strlen(mail) < sizeof i->email[k])
			memcpy(i->email[k], mail, strlen(mail) + 1);
		json_decref(c);
		if (email && !i->email[k][0]) {
			invite_wipe(i);
			i->result = CONV_NO_CONTACT;
			return DB_OK;
		}
	}
	int64_t now = clock_now();
	for (int k = 0; k < i->n && rc != DB_ERROR; k++) {
		unsigned char raw[32];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2base64(i->token[k], sizeof i->token[k], raw, sizeof raw,
		                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		sodium_memzero(raw, sizeof raw);
		char hash[65];
		util_hash_hex(i->token[k], hash);
		s = db_prepare(d, "UPDATE conversation_people SET token_hash = :h, "
		                  "token_expires_at = :exp, invited_at = :now, "
		                  "invited_channel = :ch WHERE id = :id");
		db_bind_text(s, "h", hash);
		db_bind_int(s, "exp", now + (int64_t)CONVERSATION_LINK_DAYS * 86400);
		db_bind_int(s, "now", now);
		db_bind_text(s, "ch", i->channel);
		db_bind_int(s, "id", i->person_id[k]);
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_DONE) {
			invite_wipe(i);
			return rc;
		}
	}
	s = db_prepare(d, "UPDATE conversations SET invitation = :text WHERE id = :id");
	db_bind_text(s, "text", i->text);
	db_bind_int(s, "id", i->conversation_id);
	rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE || (rc = finish(d, i->conversation_id)) != DB_OK) {
		invite_wipe(i);
		return rc;
	}
	return DB_OK;
}

/* The person a token belongs to while the link works: DB_ROW with the
 * person and conversation ids, DB_DONE for an unknown or expired link. */
static int person_by_token(db *d, const char *token, int64_t now, int64_t *person,
                           int64_t *conversation)
{
	if (!conversation_token_valid(token))
		return DB_DONE;
	char hash[65];
	util_hash_hex(token, hash);
	db_stmt *s = db_prepare(d, "SELECT id, conversation_id FROM conversation_people WHERE "
	                           "token_hash = :h AND token_expires_at > :now");
	db_bind_text(s, "h", hash);
	db_bind_int(s, "now", now);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*person = db_col_int(s, 0);
		*conversation = db_col_int(s, 1);
	}
	db_finalize(s);
	return rc;
}

int conversation_answer_write(db *d, void *ctx)
{
	struct conversation_answer *a = ctx;
	assert(conversation_answer_check(a) == NULL);
	a->result = CONV_NOT_FOUND;
	a->conversation_id = 0;
	int64_t person = 0, conv = 0, now = clock_now();
	int rc = person_by_token(d, a->token, now, &person, &conv);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DB_OK : rc;
	a->conversation_id = conv;
	db_stmt *s = db_prepare(d, "SELECT closed_at IS NOT NULL FROM conversations WHERE id = :c");
	db_bind_int(s, "c", conv);
	rc = db_step(s);
	int closed = rc == DB_ROW && db_col_int(s, 0);
	db_finalize(s);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DB_OK : rc;
	if (closed) {
		a->result = CONV_CLOSED_ALREADY;
		return DB_OK;
	}
	s = db_prepare(d, "UPDATE conversation_people SET response = :r, response_note = :note, "
	                  "responded_at = :now WHERE id = :id");
	db_bind_text(s, "r", a->response);
	db_bind_text(s, "note", a->note ? a->note : "");
	db_bind_int(s, "now", now);
	db_bind_int(s, "id", person);
	rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	a->result = CONV_OK;
	return finish(d, conv);
}

int conversation_appointment_write(db *d, void *ctx)
{
	struct conversation_appointment *ap = ctx;
	const struct appointment_fields *a = &ap->a;
	/* Everything but the time, which may have passed since the check. */
	assert(appointment_check(a, INT64_MIN) == NULL);
	ap->other_conversation = 0;
	ap->uid[0] = '\0';
	ap->sequence = 0;
	int closed = 0;
	int rc = conversation_find(d, ap->trajectory_id, ap->conversation_id, &closed);
	ap->result = rc > 0 ? rc : closed ? CONV_CLOSED_ALREADY : CONV_OK;
	if (rc < 0 || ap->result != CONV_OK)
		return rc < 0 ? rc : DB_OK;
	if (a->starts_at <= clock_now()) {
		ap->result = CONV_IN_PAST;
		return DB_OK;
	}
	/* Another appointment of the same official that is not cancelled (nor
	 * of a closed conversation) and whose time intersects this one. */
	if (a->official_user_id > 0) {
		db_stmt *s = db_prepare(
		        d, "SELECT a.conversation_id FROM appointments a JOIN conversations c ON "
		           "c.id = a.conversation_id WHERE a.official_user_id = :u AND "
		           "a.cancelled = 0 AND c.closed_at IS NULL AND a.conversation_id <> :c "
		           "AND a.starts_at < :end AND :start < a.starts_at + a.minutes * 60 "
		           "ORDER BY a.starts_at LIMIT 1");
		db_bind_int(s, "u", a->official_user_id);
		db_bind_int(s, "c", ap->conversation_id);
		db_bind_int(s, "start", a->starts_at);
		db_bind_int(s, "end", a->starts_at + (int64_t)a->minutes * 60);
		rc = db_step(s);
		if (rc == DB_ROW)
			ap->other_conversation = db_col_int(s, 0);
		db_finalize(s);
		if (rc == DB_ROW) {
			ap->result = CONV_OVERLAP;
			return DB_OK;
		}
		if (rc != DB_DONE)
			return rc;
	}
	/* The calendar uid is made once; every change raises the sequence, so
	 * calendars update the same event. A new time asks for a new
	 * reminder. */
	char uid[80], rnd[17];
	util_random_hex(rnd, 8);
	snprintf(uid, sizeof uid, "vp-conv-%lld-%s@vertelpunt", (long long)ap->conversation_id,
	         rnd);
	db_stmt *s = db_prepare(
	        d, "INSERT INTO appointments (conversation_id, starts_at, minutes, place_kind, "
	           "place, official_user_id, ical_uid, ical_sequence, remind_minutes, "
	           "updated_at) VALUES (:c, :start, :min, :kind, :place, :u, :uid, 0, :remind, "
	           ":now) ON CONFLICT (conversation_id) DO UPDATE SET "
	           "reminded_at = CASE WHEN appointments.starts_at = excluded.starts_at AND "
	           "appointments.cancelled = 0 THEN appointments.reminded_at END, "
	           "starts_at = excluded.starts_at, minutes = excluded.minutes, "
	           "place_kind = excluded.place_kind, place = excluded.place, "
	           "official_user_id = excluded.official_user_id, "
	           "ical_sequence = appointments.ical_sequence + 1, "
	           "remind_minutes = excluded.remind_minutes, cancelled = 0, "
	           "updated_at = excluded.updated_at RETURNING ical_uid, ical_sequence");
	db_bind_int(s, "c", ap->conversation_id);
	db_bind_int(s, "start", a->starts_at);
	db_bind_int(s, "min", a->minutes);
	db_bind_text(s, "kind", a->place_kind);
	db_bind_text(s, "place", a->place ? a->place : "");
	bind_id_or_null(s, "u", a->official_user_id);
	db_bind_text(s, "uid", uid);
	db_bind_int(s, "remind", a->remind_minutes < 0 ? 2880 : a->remind_minutes);
	db_bind_int(s, "now", clock_now());
	rc = db_step(s);
	if (rc == DB_ROW) {
		snprintf(ap->uid, sizeof ap->uid, "%s", db_col_text(s, 0));
		ap->sequence = (int)db_col_int(s, 1);
	}
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	return finish(d, ap->conversation_id);
}

/* 1 when person_id sits at conversation_id's table. */
static int person_at(db *d, int64_t conversation_id, int64_t person_id, int *sent)
{
	db_stmt *s = db_prepare(d, "SELECT feedback_sent_at IS NOT NULL FROM conversation_people "
	                           "WHERE id = :p AND conversation_id = :c");
	db_bind_int(s, "p", person_id);
	db_bind_int(s, "c", conversation_id);
	int rc = db_step(s);
	if (rc == DB_ROW && sent)
		*sent = (int)db_col_int(s, 0);
	db_finalize(s);
	return rc;
}

static int change_held(db *d, struct conversation_change *c)
{
	db_stmt *s = db_prepare(d, "SELECT 1 FROM appointments WHERE conversation_id = :c AND "
	                           "cancelled = 0");
	db_bind_int(s, "c", c->conversation_id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc == DB_DONE) {
		c->result = CONV_NO_APPOINTMENT;
		return DB_OK;
	}
	if (rc != DB_ROW)
		return rc;
	s = db_prepare(d, "UPDATE conversations SET held_at = coalesce(held_at, :now) "
	                  "WHERE id = :c");
	db_bind_int(s, "now", clock_now());
	db_bind_int(s, "c", c->conversation_id);
	rc = db_step(s);
	db_finalize(s);
	return done_ok(rc);
}

static int change_note(db *d, struct conversation_change *c)
{
	/* A pin is on the trajectory's picture as it is now. */
	db_stmt *s = db_prepare(
	        d, "INSERT INTO conversation_notes (conversation_id, body, created_at, "
	           "created_by, pin_x, pin_y, material_token) SELECT c.id, :body, :now, :u, "
	           "CASE WHEN :pin THEN :x END, CASE WHEN :pin THEN :y END, CASE WHEN :pin THEN "
	           "t.material_token END FROM conversations c JOIN trajectories t ON t.id = "
	           "c.trajectory_id WHERE c.id = :c AND (NOT :pin OR t.material_token IS NOT "
	           "NULL) RETURNING id");
	db_bind_int(s, "c", c->conversation_id);
	db_bind_text(s, "body", c->text);
	db_bind_int(s, "now", clock_now());
	bind_id_or_null(s, "u", c->user_id);
	db_bind_int(s, "pin", c->has_pin ? 1 : 0);
	db_bind_double(s, "x", c->pin_x);
	db_bind_double(s, "y", c->pin_y);
	int rc = db_step(s);
	if (rc == DB_ROW)
		c->id = db_col_int(s, 0);
	db_finalize(s);
	if (rc == DB_DONE)
		c->result = CONV_NO_MATERIAL;
	return done_ok(rc);
}

static int change_point(db *d, struct conversation_change *c)
{
	if (c->person_id > 0) {
		int rc = person_at(d, c->conversation_id, c->person_id, NULL);
		if (rc == DB_DONE) {
			c->result = CONV_NOT_FOUND;
			return DB_OK;
		}
		if (rc != DB_ROW)
			return rc;
	}
	db_stmt *s = db_prepare(d, "INSERT INTO conversation_points (conversation_id, person_id, "
	                           "text, theme, created_at) VALUES (:c, :p, :text, :theme, :now) "
	                           "RETURNING id");
	db_bind_int(s, "c", c->conversation_id);
	bind_id_or_null(s, "p", c->person_id);
	db_bind_text(s, "text", c->text);
	db_bind_text(s, "theme", c->theme ? c->theme : "");
	db_bind_int(s, "now", clock_now());
	int rc = db_step(s);
	if (rc == DB_ROW)
		c->id = db_col_int(s, 0);
	db_finalize(s);
	return done_ok(rc);
}

static int change_decide(db *d, struct conversation_change *c)
{
	db_stmt *s = db_prepare(d, "UPDATE conversation_points SET decision = :dec, "
	                           "reason = :reason, decided_at = :now, decided_by = :u "
	                           "WHERE id = :id AND conversation_id = :c RETURNING id");
	db_bind_text(s, "dec", c->decision);
	db_bind_text(s, "reason", c->reason ? c->reason : "");
	db_bind_int(s, "now", clock_now());
	bind_id_or_null(s, "u", c->user_id);
	db_bind_int(s, "id", c->point_id);
	db_bind_int(s, "c", c->conversation_id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc == DB_DONE)
		c->result = CONV_NOT_FOUND;
	else if (rc == DB_ROW)
		c->id = c->point_id;
	return done_ok(rc);
}

static int change_feedback(db *d, struct conversation_change *c)
{
	int sent = 0;
	int rc = person_at(d, c->conversation_id, c->person_id, &sent);
	if (rc == DB_DONE) {
		c->result = CONV_NOT_FOUND;
		return DB_OK;
	}
	if (rc != DB_ROW)
		return rc;
	db_stmt *s;
	if (c->action == CONV_ACT_FEEDBACK_DRAFT) {
		/* What was sent is the record of it: a draft does not replace it. */
		if (sent) {
			c->result = CONV_CLOSED_ALREADY;
			return DB_OK;
		}
		s = db_prepare(d, "UPDATE conversation_people SET feedback = :text WHERE id = :p");
	} else {
		s = db_prepare(d, "UPDATE conversation_people SET feedback = :text, "
		                  "feedback_sent_at = :now, feedback_channel = :ch, "
		                  "feedback_reviewed_by = :u WHERE id = :p");
		db_bind_int(s, "now", clock_now());
		db_bind_text(s, "ch", c->channel);
		bind_id_or_null(s, "u", c->user_id);
	}
	db_bind_text(s, "text", c->text);
	db_bind_int(s, "p", c->person_id);
	rc = db_step(s);
	db_finalize(s);
	c->id = c->person_id;
	return done_ok(rc);
}

/* People who were at a held talk and wait for feedback. */
static int open_loops(db *d, int64_t conversation_id, int64_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT count(*) FROM conversation_people p JOIN "
	                           "conversations c ON c.id = p.conversation_id WHERE "
	                           "c.id = :c AND c.held_at IS NOT NULL AND "
	                           "p.invited_at IS NOT NULL AND p.response <> 'declined' AND "
	                           "p.feedback_sent_at IS NULL");
	db_bind_int(s, "c", conversation_id);
	int rc = db_step(s);
	*n = rc == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	return rc == DB_ROW ? DB_OK : rc;
}

static int change_close(db *d, struct conversation_change *c)
{
	int64_t loops = 0;
	int rc = open_loops(d, c->conversation_id, &loops);
	if (rc != DB_OK)
		return rc;
	if (loops > 0 && util_blank(c->reason)) {
		c->result = CONV_LOOPS_OPEN;
		return DB_OK;
	}
	db_stmt *s = db_prepare(d, "UPDATE conversations SET closed_at = :now, "
	                           "closed_reason = :reason WHERE id = :c");
	db_bind_int(s, "now", clock_now());
	if (util_blank(c->reason))
		db_bind_null(s, "reason");
	else
		db_bind_text(s, "reason", c->reason);
	db_bind_int(s, "c", c->conversation_id);
	rc = db_step(s);
	db_finalize(s);
	return done_ok(rc);
}

/* Cancels the appointment: kept as cancelled (its calendar uid stays, the
 * sequence goes up, so a cancellation can be sent), the reminder undone. */
static int change_cancel(db *d, struct conversation_change *c)
{
	db_stmt *s = db_prepare(d, "UPDATE appointments SET cancelled = 1, ical_sequence = "
	                           "ical_sequence + 1, reminded_at = NULL, updated_at = :now "
	                           "WHERE conversation_id = :c AND cancelled = 0 RETURNING 1");
	db_bind_int(s, "now", clock_now());
	db_bind_int(s, "c", c->conversation_id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc == DB_DONE)
		c->result = CONV_NO_APPOINTMENT;
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int conversation_change_write(db *d, void *ctx)
{
	struct conversation_change *c = ctx;
	assert(conversation_change_check(c) == NULL);
	c->id = 0;
	int closed = 0;
	int rc = conversation_find(d, c->trajectory_id, c->conversation_id, &closed);
	c->result = rc > 0 ? rc : closed ? CONV_CLOSED_ALREADY : CONV_OK;
	if (rc < 0 || c->result != CONV_OK)
		return rc < 0 ? rc : DB_OK;
	switch (c->action) {
	case CONV_ACT_HELD: rc = change_held(d, c); break;
	case CONV_ACT_NOTE: rc = change_note(d, c); break;
	case CONV_ACT_POINT: rc = change_point(d, c); break;
	case CONV_ACT_DECIDE: rc = change_decide(d, c); break;
	case CONV_ACT_FEEDBACK_DRAFT:
	case CONV_ACT_FEEDBACK_SENT: rc = change_feedback(d, c); break;
	case CONV_ACT_CLOSE: rc = change_close(d, c); break;
	case CONV_ACT_CANCEL_APPOINTMENT: rc = change_cancel(d, c); break;
	default: abort();
	}
	if (rc != DB_OK || c->result != CONV_OK)
		return rc;
	return finish(d, c->conversation_id);
}

/* ---- reads --------------------------------------------------------------- */

/* The appointment of a conversation as an object, or json null. */
static int appointment_json(db *d, int64_t conversation_id, int full, json_t **out)
{
	*out = NULL;
	db_stmt *s = db_prepare(
	        d, "SELECT a.starts_at, a.minutes, a.place_kind, a.place, a.official_user_id, "
	           "coalesce(u.display_name, ''), a.ical_uid, a.ical_sequence, a.remind_minutes, "
	           "a.reminded_at, a.cancelled, a.updated_at FROM appointments a LEFT JOIN users u "
	           "ON u.id = a.official_user_id WHERE a.conversation_id = :c");
	db_bind_int(s, "c", conversation_id);
	int rc = db_step(s);
	if (rc == DB_ROW && (full || !db_col_int(s, 10))) {
		json_t *o = json_object();
		json_object_set_new(o, "starts_at", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "minutes", json_integer(db_col_int(s, 1)));
		json_object_set_new(o, "place_kind", json_string(db_col_text(s, 2)));
		json_object_set_new(o, "place", json_string(db_col_text(s, 3)));
		json_object_set_new(o, "official_name", json_string(db_col_text(s, 5)));
		if (full) {
			json_object_set_new(o, "official_user_id", int_or_null(s, 4));
			json_object_set_new(o, "ical_uid", json_string(db_col_text(s, 6)));
			json_object_set_new(o, "ical_sequence", json_integer(db_col_int(s, 7)));
			json_object_set_new(o, "remind_minutes", json_integer(db_col_int(s, 8)));
			json_object_set_new(o, "reminded_at", int_or_null(s, 9));
			json_object_set_new(o, "cancelled", json_boolean(db_col_int(s, 10)));
			json_object_set_new(o, "updated_at", json_integer(db_col_int(s, 11)));
		}
		*out = o;
	}
	db_finalize(s);
	if (!*out)
		*out = json_null();
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int people_json(db *d, const vault *v, int64_t conversation_id, json_t *arr)
{
	db_stmt *s = db_prepare(
	        d, "SELECT p.id, coalesce(p.participant_id, 0), coalesce(x.code, ''), p.kind, "
	           "p.response, p.response_note, p.responded_at, p.invited_at, p.invited_channel, "
	           "p.token_expires_at, p.feedback, p.feedback_sent_at, p.feedback_channel, "
	           "p.feedback_reviewed_by FROM conversation_people p LEFT JOIN participants x "
	           "ON x.id = p.participant_id WHERE p.conversation_id = :c ORDER BY p.id");
	db_bind_int(s, "c", conversation_id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		int64_t pid = db_col_int(s, 1);
		json_object_set_new(o, "participant_code", json_string(db_col_text(s, 2)));
		json_object_set_new(o, "kind", json_string(db_col_text(s, 3)));
		json_object_set_new(o, "response", json_string(db_col_text(s, 4)));
		json_object_set_new(o, "response_note", json_string(db_col_text(s, 5)));
		json_object_set_new(o, "responded_at", int_or_null(s, 6));
		json_object_set_new(o, "invited_at", int_or_null(s, 7));
		json_object_set_new(o, "invited_channel",
		                    db_col_is_null(s, 8) ? json_null()
		                                         : json_string(db_col_text(s, 8)));
		json_object_set_new(o, "link_expires_at", int_or_null(s, 9));
		json_object_set_new(o, "feedback", json_string(db_col_text(s, 10)));
		json_object_set_new(o, "feedback_sent_at", int_or_null(s, 11));
		json_object_set_new(o, "feedback_channel",
		                    db_col_is_null(s, 12) ? json_null()
		                                          : json_string(db_col_text(s, 12)));
		json_object_set_new(o, "feedback_reviewed_by", int_or_null(s, 13));
		json_t *c = NULL;
		if (pid && participant_contact_open(d, v, pid, &c) != DB_OK)
			json_object_set_new(o, "contact_error", json_true());
		static const char *const keys[] = {"name", "email", "phone", "address"};
		for (int i = 0; i < 4; i++) {
			json_t *val = c ? json_object_get(c, keys[i]) : NULL;
			json_object_set(o, keys[i], val ? val : json_null());
		}
		json_decref(c);
		json_array_append_new(arr, o);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int conversation_get_json(db *d, const vault *v, int64_t trajectory_id, int64_t id, json_t **out)
{
	*out = NULL;
	db_stmt *s = db_prepare(
	        d, "SELECT c.id, c.trajectory_id, c.method_id, c.title, c.status, c.lead_user_id, "
	           "coalesce(u.display_name, ''), c.invitation, c.held_at, c.closed_at, "
	           "coalesce(c.closed_reason, ''), c.created_at, c.created_by, c.updated_at "
	           "FROM conversations c LEFT JOIN users u ON u.id = c.lead_user_id "
	           "WHERE c.id = :id AND c.trajectory_id = :t");
	db_bind_int(s, "id", id);
	db_bind_int(s, "t", trajectory_id);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc;
	}
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
	json_object_set_new(o, "trajectory_id", json_integer(db_col_int(s, 1)));
	json_object_set_new(o, "method_id", int_or_null(s, 2));
	json_object_set_new(o, "title", json_string(db_col_text(s, 3)));
	json_object_set_new(o, "status", json_string(db_col_text(s, 4)));
	json_object_set_new(o, "lead_user_id", int_or_null(s, 5));
	json_object_set_new(o, "lead_name", json_string(db_col_text(s, 6)));
	json_object_set_new(o, "invitation", json_string(db_col_text(s, 7)));
	json_object_set_new(o, "held_at", int_or_null(s, 8));
	json_object_set_new(o, "closed_at", int_or_null(s, 9));
	json_object_set_new(o, "closed_reason", json_string(db_col_text(s, 10)));
	json_object_set_new(o, "created_at", json_integer(db_col_int(s, 11)));
	json_object_set_new(o, "created_by", int_or_null(s, 12));
	json_object_set_new(o, "updated_at", json_integer(db_col_int(s, 13)));
	db_finalize(s);

	json_t *people = json_array();
	rc = people_json(d, v, id, people);
	json_object_set_new(o, "people", people);

	json_t *appt = NULL;
	if (rc == DB_OK)
		rc = appointment_json(d, id, 1, &appt);
	json_object_set_new(o, "appointment", appt ? appt : json_null());

	json_t *notes = json_array();
	if (rc == DB_OK) {
		s = db_prepare(d,
		               "SELECT n.id, n.body, n.created_at, n.created_by, "
		               "coalesce(u.display_name, ''), n.pin_x, n.pin_y, "
		               "coalesce(n.material_token, '') FROM conversation_notes n LEFT JOIN "
		               "users u ON u.id = n.created_by WHERE n.conversation_id = :c "
		               "ORDER BY n.created_at, n.id");
		db_bind_int(s, "c", id);
		while ((rc = db_step(s)) == DB_ROW) {
			json_t *n = json_object();
			json_object_set_new(n, "id", json_integer(db_col_int(s, 0)));
			json_object_set_new(n, "body", json_string(db_col_text(s, 1)));
			json_object_set_new(n, "created_at", json_integer(db_col_int(s, 2)));
			json_object_set_new(n, "created_by", int_or_null(s, 3));
			json_object_set_new(n, "author", json_string(db_col_text(s, 4)));
			if (!db_col_is_null(s, 5) && !db_col_is_null(s, 6)) {
				json_object_set_new(n, "pin_x", json_real(db_col_double(s, 5)));
				json_object_set_new(n, "pin_y", json_real(db_col_double(s, 6)));
				json_object_set_new(n, "material_token",
				                    json_string(db_col_text(s, 7)));
			}
			json_array_append_new(notes, n);
		}
		db_finalize(s);
		rc = rc == DB_DONE ? DB_OK : rc;
	}
	json_object_set_new(o, "notes", notes);

	json_t *points = json_array();
	if (rc == DB_OK) {
		s = db_prepare(d,
		               "SELECT id, person_id, text, theme, decision, reason, decided_at, "
		               "decided_by, created_at FROM conversation_points WHERE "
		               "conversation_id = :c ORDER BY id");
		db_bind_int(s, "c", id);
		while ((rc = db_step(s)) == DB_ROW) {
			json_t *p = json_object();
			json_object_set_new(p, "id", json_integer(db_col_int(s, 0)));
			json_object_set_new(p, "person_id", int_or_null(s, 1));
			json_object_set_new(p, "text", json_string(db_col_text(s, 2)));
			json_object_set_new(p, "theme", json_string(db_col_text(s, 3)));
			json_object_set_new(p, "decision", json_string(db_col_text(s, 4)));
			json_object_set_new(p, "reason", json_string(db_col_text(s, 5)));
			json_object_set_new(p, "decided_at", int_or_null(s, 6));
			json_object_set_new(p, "decided_by", int_or_null(s, 7));
			json_object_set_new(p, "created_at", json_integer(db_col_int(s, 8)));
			json_array_append_new(points, p);
		}
		db_finalize(s);
		rc = rc == DB_DONE ? DB_OK : rc;
	}
	json_object_set_new(o, "points", points);

	struct conversation_facts f = {0};
	int64_t loops = 0;
	if (rc == DB_OK)
		rc = facts_of(d, id, &f) == DB_ROW ? open_loops(d, id, &loops) : DB_ERROR;
	if (rc != DB_OK) {
		json_decref(o);
		return rc;
	}
	json_t *facts = json_object();
	json_object_set_new(facts, "people", json_integer(f.people));
	json_object_set_new(facts, "invited", json_integer(f.invited));
	json_object_set_new(facts, "appointment", json_boolean(f.appointment));
	json_object_set_new(facts, "reminded", json_boolean(f.reminded));
	json_object_set_new(facts, "held", json_boolean(f.held));
	json_object_set_new(facts, "points", json_integer(f.points));
	json_object_set_new(facts, "open_points", json_integer(f.open_points));
	json_object_set_new(facts, "owed", json_integer(f.owed));
	json_object_set_new(facts, "fed_back", json_integer(f.fed_back));
	json_object_set_new(facts, "open_loops", json_integer(loops));
	json_object_set_new(o, "facts", facts);
	*out = o;
	return DB_ROW;
}

int conversation_list_json(db *d, int64_t trajectory_id, json_t **out)
{
	*out = json_array();
	db_stmt *s = db_prepare(
	        d, "SELECT c.id, c.title, c.status, c.method_id, c.lead_user_id, "
	           "coalesce(u.display_name, ''), c.held_at, c.closed_at, c.created_at, "
	           "c.updated_at, "
	           "(SELECT count(*) FROM conversation_people p WHERE p.conversation_id = c.id), "
	           "(SELECT count(*) FROM conversation_people p WHERE p.conversation_id = c.id "
	           "AND p.invited_at IS NOT NULL), "
	           "(SELECT a.starts_at FROM appointments a WHERE a.conversation_id = c.id AND "
	           "a.cancelled = 0), "
	           "(SELECT count(*) FROM conversation_points x WHERE x.conversation_id = c.id "
	           "AND x.decision = 'open'), "
	           "(SELECT count(*) FROM conversation_people p WHERE p.conversation_id = c.id "
	           "AND c.held_at IS NOT NULL AND p.invited_at IS NOT NULL AND "
	           "p.response <> 'declined' AND p.feedback_sent_at IS NULL) "
	           "FROM conversations c LEFT JOIN users u ON u.id = c.lead_user_id "
	           "WHERE c.trajectory_id = :t ORDER BY c.created_at DESC, c.id DESC");
	db_bind_int(s, "t", trajectory_id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "title", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "status", json_string(db_col_text(s, 2)));
		json_object_set_new(o, "method_id", int_or_null(s, 3));
		json_object_set_new(o, "lead_user_id", int_or_null(s, 4));
		json_object_set_new(o, "lead_name", json_string(db_col_text(s, 5)));
		json_object_set_new(o, "held_at", int_or_null(s, 6));
		json_object_set_new(o, "closed_at", int_or_null(s, 7));
		json_object_set_new(o, "created_at", json_integer(db_col_int(s, 8)));
		json_object_set_new(o, "updated_at", json_integer(db_col_int(s, 9)));
		json_object_set_new(o, "people", json_integer(db_col_int(s, 10)));
		json_object_set_new(o, "invited", json_integer(db_col_int(s, 11)));
		json_object_set_new(o, "starts_at", int_or_null(s, 12));
		json_object_set_new(o, "open_points", json_integer(db_col_int(s, 13)));
		json_object_set_new(o, "open_loops", json_integer(db_col_int(s, 14)));
		json_array_append_new(*out, o);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int conversation_by_token_json(db *d, const char *token, int64_t now, json_t **out)
{
	*out = NULL;
	int64_t person = 0, conv = 0;
	int rc = person_by_token(d, token, now, &person, &conv);
	if (rc != DB_ROW)
		return rc;
	/* Only what the person may see: the conversation, the trajectory's
	 * public texts, the appointment and their own answer; no one's
	 * contact data, not even their own. */
	db_stmt *s = db_prepare(
	        d, "SELECT c.id, c.title, c.status, c.closed_at IS NOT NULL, t.id, t.title, "
	           "t.question, t.scope, t.selection_rationale, t.contact_route, t.target_group, "
	           "t.slug, t.published, p.kind, p.response, p.response_note, p.responded_at, "
	           "p.token_expires_at, c.invitation FROM conversation_people p JOIN conversations "
	           "c ON "
	           "c.id = p.conversation_id JOIN trajectories t ON t.id = c.trajectory_id "
	           "WHERE p.id = :p");
	db_bind_int(s, "p", person);
	rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc;
	}
	json_t *o = json_object();
	json_object_set_new(o, "conversation_id", json_integer(db_col_int(s, 0)));
	json_object_set_new(o, "title", json_string(db_col_text(s, 1)));
	json_object_set_new(o, "status", json_string(db_col_text(s, 2)));
	json_object_set_new(o, "closed", json_boolean(db_col_int(s, 3)));
	json_object_set_new(o, "invitation", json_string(db_col_text(s, 18)));
	json_t *t = json_object();
	json_object_set_new(t, "id", json_integer(db_col_int(s, 4)));
	static const char *const tkeys[] = {"title",         "question",
	                                    "scope",         "selection_rationale",
	                                    "contact_route", "target_group"};
	for (int i = 0; i < 6; i++)
		json_object_set_new(t, tkeys[i], json_string(db_col_text(s, 5 + i)));
	/* The public page's address only when there is one. */
	json_object_set_new(t, "slug",
	                    db_col_int(s, 12) ? json_string(db_col_text(s, 11)) : json_null());
	json_object_set_new(o, "trajectory", t);
	json_t *me = json_object();
	json_object_set_new(me, "kind", json_string(db_col_text(s, 13)));
	json_object_set_new(me, "response", json_string(db_col_text(s, 14)));
	json_object_set_new(me, "note", json_string(db_col_text(s, 15)));
	json_object_set_new(me, "responded_at", int_or_null(s, 16));
	json_object_set_new(me, "link_expires_at", int_or_null(s, 17));
	json_object_set_new(o, "answer", me);
	db_finalize(s);
	json_t *appt = NULL;
	rc = appointment_json(d, conv, 0, &appt);
	json_object_set_new(o, "appointment", appt ? appt : json_null());
	if (rc != DB_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return DB_ROW;
}

/* ---- feedback ------------------------------------------------------------ */

/* Appends s without trailing white space and, when it does not end a
 * sentence already, a full stop. */
static void put_sentence(buf *out, const char *s)
{
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	while (*s && isspace((unsigned char)*s))
		s++, n--;
	buf_append(out, s, n);
	if (!n || !strchr(".!?", s[n - 1]))
		buf_putc(out, '.');
}

/* The reason after "omdat": without its own "omdat", its first letter
 * small unless it starts an abbreviation ("RES", "Wmo" stays). */
static void put_reason(buf *out, const char *r)
{
	while (*r && isspace((unsigned char)*r))
		r++;
	if (strncasecmp(r, "omdat ", 6) == 0)
		r += 6;
	if (isupper((unsigned char)r[0]) && islower((unsigned char)r[1])) {
		buf_putc(out, (char)tolower((unsigned char)r[0]));
		r++;
	}
	put_sentence(out, r);
}

void conversation_draft_close(buf *out, const char *scope, const char *contact)
{
	if (!util_blank(scope)) {
		buf_puts(out, "\nWat we met uw inbreng doen: ");
		conversation_put_sentence(out, scope);
		buf_putc(out, '\n');
	}
	if (!util_blank(contact)) {
		buf_puts(out, "\nHebt u nog vragen? Neem dan contact met ons op: ");
		conversation_put_sentence(out, contact);
		buf_putc(out, '\n');
	}
}

void conversation_put_sentence(buf *out, const char *s)
{
	put_sentence(out, s);
}

void conversation_put_reason(buf *out, const char *r)
{
	put_reason(out, r);
}

int conversation_feedback_draft(db *d, int64_t conversation_id, int64_t person_id, buf *out)
{
	/* No name and no contact data: the draft is stored as it is (the
	 * greeting is generic; the sender may make it personal). */
	db_stmt *s = db_prepare(d, "SELECT t.title, t.scope, t.contact_route FROM "
	                           "conversation_people p JOIN conversations c ON "
	                           "c.id = p.conversation_id JOIN trajectories t ON "
	                           "t.id = c.trajectory_id WHERE p.id = :p AND c.id = :c");
	db_bind_int(s, "p", person_id);
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
	buf_puts(out, "Beste deelnemer,\n\nDank u voor het gesprek over ");
	put_sentence(out, title);
	buf_puts(out, "\n\n");

	s = db_prepare(d, "SELECT text, decision, reason, person_id IS NULL FROM "
	                  "conversation_points WHERE conversation_id = :c AND "
	                  "(person_id = :p OR person_id IS NULL) ORDER BY id");
	db_bind_int(s, "c", conversation_id);
	db_bind_int(s, "p", person_id);
	int any = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		any = 1;
		/* A point of the table as a whole was not necessarily this
		 * person's. */
		buf_puts(out, db_col_int(s, 3) ? "Aan tafel ging het ook over: " : "U zei: ");
		put_sentence(out, db_col_text(s, 0));
		const char *decision = db_col_text(s, 1);
		if (strcmp(decision, "taken") == 0) {
			buf_puts(out, " Dit nemen we mee.");
		} else if (strcmp(decision, "not_taken") == 0) {
			buf_puts(out, " Dit nemen we niet mee, omdat ");
			put_reason(out, db_col_text(s, 2));
		} else {
			buf_puts(out, " Hierover beslissen we nog.");
		}
		buf_putc(out, '\n');
	}
	db_finalize(s);
	if (rc == DB_DONE) {
		if (!any)
			buf_puts(out, "We hebben goed geluisterd naar wat u vertelde.\n");
		conversation_draft_close(out, scope, contact);
		rc = DB_OK;
	}
	free(title);
	free(scope);
	free(contact);
	return rc;
}

int conversation_open_loops_json(db *d, int64_t org_id, int64_t viewer, int64_t now, json_t **out)
{
	*out = json_array();
	db_stmt *s = db_prepare(
	        d, "SELECT c.id, c.title, t.id, t.title, p.id, coalesce(x.code, ''), c.held_at "
	           "FROM conversation_people p JOIN conversations c ON c.id = p.conversation_id "
	           "JOIN trajectories t ON t.id = c.trajectory_id LEFT JOIN participants x ON "
	           "x.id = p.participant_id WHERE t.org_id = :org AND c.held_at IS NOT NULL AND "
	           "c.closed_at IS NULL AND p.invited_at IS NOT NULL AND "
	           "p.response <> 'declined' AND p.feedback_sent_at IS NULL AND "
	           "(:viewer = 0 OR EXISTS (SELECT 1 FROM trajectory_staff s WHERE "
	           "s.trajectory_id = t.id AND s.user_id = :viewer)) "
	           "ORDER BY c.held_at, c.id, p.id");
	db_bind_int(s, "org", org_id);
	db_bind_int(s, "viewer", viewer);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "conversation_id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "conversation_title", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "trajectory_id", json_integer(db_col_int(s, 2)));
		json_object_set_new(o, "trajectory_title", json_string(db_col_text(s, 3)));
		json_object_set_new(o, "person_id", json_integer(db_col_int(s, 4)));
		json_object_set_new(o, "participant_code", json_string(db_col_text(s, 5)));
		int64_t held = db_col_int(s, 6);
		json_object_set_new(o, "held_at", json_integer(held));
		json_object_set_new(o, "days", json_integer(now > held ? (now - held) / 86400 : 0));
		json_array_append_new(*out, o);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int conversation_todo_json(db *d, int64_t org_id, int64_t viewer, json_t **out)
{
	*out = json_array();
	db_stmt *s = db_prepare(
	        d, "SELECT c.id, c.title, c.status, t.id, t.title, coalesce(a.starts_at, 0) FROM "
	           "conversations c JOIN trajectories t ON t.id = c.trajectory_id LEFT JOIN "
	           "appointments a ON a.conversation_id = c.id AND a.cancelled = 0 WHERE "
	           "t.org_id = :org AND c.closed_at IS NULL AND (:viewer = 0 OR c.lead_user_id = "
	           ":viewer OR EXISTS (SELECT 1 FROM trajectory_staff s WHERE s.trajectory_id = "
	           "t.id AND s.user_id = :viewer)) ORDER BY CASE c.status WHEN 'draft' THEN 0 "
	           "WHEN 'invited' THEN 1 WHEN 'appointment' THEN 2 WHEN 'reminded' THEN 3 WHEN "
	           "'held' THEN 4 WHEN 'decided' THEN 5 ELSE 6 END, a.starts_at, c.id");
	db_bind_int(s, "org", org_id);
	db_bind_int(s, "viewer", viewer);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "conversation_id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "conversation_title", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "status", json_string(db_col_text(s, 2)));
		json_object_set_new(o, "trajectory_id", json_integer(db_col_int(s, 3)));
		json_object_set_new(o, "trajectory_title", json_string(db_col_text(s, 4)));
		int64_t at = db_col_int(s, 5);
		json_object_set_new(o, "starts_at", at ? json_integer(at) : json_null());
		json_array_append_new(*out, o);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int conversation_public_summary_json(db *d, int64_t trajectory_id, json_t **out)
{
	db_stmt *s = db_prepare(
	        d, "SELECT (SELECT count(*) FROM conversations WHERE trajectory_id = :t AND "
	           "held_at IS NOT NULL), count(p.id), "
	           "coalesce(sum(CASE WHEN p.decision = 'taken' THEN 1 ELSE 0 END), 0), "
	           "coalesce(sum(CASE WHEN p.decision = 'not_taken' THEN 1 ELSE 0 END), 0), "
	           "coalesce(sum(CASE WHEN p.decision = 'open' THEN 1 ELSE 0 END), 0), (SELECT "
	           "count(*) FROM conversation_people cp JOIN conversations "
	           "c2 ON c2.id = cp.conversation_id WHERE c2.trajectory_id = :t AND "
	           "cp.feedback_sent_at IS NOT NULL) FROM conversation_points p JOIN "
	           "conversations c ON c.id = p.conversation_id WHERE c.trajectory_id = :t");
	db_bind_int(s, "t", trajectory_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*out = json_pack("{sI sI sI sI sI sI}", "held", (json_int_t)db_col_int(s, 0),
		                 "points", (json_int_t)db_col_int(s, 1), "taken",
		                 (json_int_t)db_col_int(s, 2), "not_taken",
		                 (json_int_t)db_col_int(s, 3), "open", (json_int_t)db_col_int(s, 4),
		                 "heard_back", (json_int_t)db_col_int(s, 5));
		rc = DB_OK;
	}
	db_finalize(s);
	return rc;
}
