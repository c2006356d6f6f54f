/* story_draft.c: a resident's story form kept between its pages: drafts by cookie secret or resume code, consent, and sending once. */
#include "model/story_draft.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"
#include "model/collection.h"
#include "model/consent.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void story_draft_free(struct story_draft *d)
{
	free(d->answers);
	d->answers = NULL;
}

void story_draft_hash(const char *secret, char out[65])
{
	util_hash_hex(secret, out);
}

static void fill(db_stmt *s, struct story_draft *out)
{
	memset(out, 0, sizeof *out);
	out->id = db_col_int(s, 0);
	out->collection_id = db_col_int(s, 1);
	snprintf(out->uuid, sizeof out->uuid, "%s", db_col_text(s, 2));
	snprintf(out->language, sizeof out->language, "%s", db_col_text(s, 3));
	out->answers = strdup(db_col_text(s, 4));
	if (!out->answers)
		abort();
	out->step = (int)db_col_int(s, 5);
	snprintf(out->consent_text_hash, sizeof out->consent_text_hash, "%s", db_col_text(s, 6));
	out->consent_at = db_col_int(s, 7);
	out->created_at = db_col_int(s, 8);
	out->expires_at = db_col_int(s, 9);
	snprintf(out->channel, sizeof out->channel, "%s", db_col_text(s, 10));
	out->user_id = db_col_is_null(s, 11) ? 0 : db_col_int(s, 11);
	out->participant_id = db_col_is_null(s, 12) ? 0 : db_col_int(s, 12);
}

int story_draft_by_secret(db *d, int64_t collection_id, const char *secret, int64_t now,
                          struct story_draft *out)
{
	if (!secret || strlen(secret) != STORY_DRAFT_SECRET_LEN)
		return DB_DONE;
	char h[65];
	story_draft_hash(secret, h);
	db_stmt *s =
	        db_prepare(d, "SELECT id, collection_id, uuid, language, answers, step, "
	                      "consent_text_hash, consent_at, created_at, expires_at, channel, "
	                      "user_id, participant_id FROM story_drafts WHERE secret_hash = :h "
	                      "AND collection_id = :c "
	                      "AND expires_at > :now");
	db_bind_text(s, "h", h);
	db_bind_int(s, "c", collection_id);
	db_bind_int(s, "now", now);
	int rc = db_step(s);
	if (rc == DB_ROW)
		fill(s, out);
	db_finalize(s);
	return rc;
}

int story_draft_sent_receipt(db *d, int64_t collection_id, const char *secret, int64_t now,
                             char receipt[STORY_RECEIPT_LEN + 1])
{
	if (!secret || strlen(secret) != STORY_DRAFT_SECRET_LEN)
		return DB_DONE;
	char h[65];
	story_draft_hash(secret, h);
	db_stmt *s = db_prepare(d, "SELECT st.receipt FROM story_drafts_sent x JOIN stories st "
	                           "ON st.id = x.story_id WHERE x.secret_hash = :h "
	                           "AND st.collection_id = :c AND x.expires_at > :now");
	db_bind_text(s, "h", h);
	db_bind_int(s, "c", collection_id);
	db_bind_int(s, "now", now);
	int rc = db_step(s);
	if (rc == DB_ROW)
		snprintf(receipt, STORY_RECEIPT_LEN + 1, "%s", db_col_text(s, 0));
	db_finalize(s);
	return rc;
}

/* Whether the answer v of question t meets q's condition (the rule of
 * script_check_answers: option ids for choice and multi, points for a
 * scale). */
static int condition_met(const struct question *q, const struct question *t, json_t *v)
{
	if (!v || json_is_null(v))
		return 0;
	for (int i = 0; i < q->show_if_count; i++) {
		const char *want = q->show_if_values[i];
		if (t->type == Q_SCALE) {
			if (json_is_integer(v) && json_integer_value(v) == atoi(want))
				return 1;
		} else if (t->type == Q_CHOICE) {
			if (json_is_string(v) && strcmp(json_string_value(v), want) == 0)
				return 1;
		} else if (json_is_array(v)) {
			for (size_t j = 0; j < json_array_size(v); j++) {
				json_t *x = json_array_get(v, j);
				if (json_is_string(x) && strcmp(json_string_value(x), want) == 0)
					return 1;
			}
		}
	}
	return 0;
}

void story_draft_asked(const struct script *s, json_t *answers, unsigned char *asked)
{
	assert(s && asked);
	for (int i = 0; i < s->nquestions; i++) {
		const struct question *q = s->questions[i];
		asked[i] = 1;
		if (q->show_if_question) {
			const struct question *t = script_question(s, q->show_if_question);
			asked[i] = t && asked[t->index] &&
			           condition_met(q, t,
			                         answers ? json_object_get(answers, t->id) : NULL);
		}
	}
}

int story_draft_check_one(const struct question *q, json_t *v, struct answer_error *e)
{
	assert(q && v && e);
	/* A script of this one question, without its condition: the shared
	 * checks of script_check_answers for one answer. */
	struct question one = *q;
	one.show_if_question = NULL;
	one.show_if_count = 0;
	one.index = 0;
	struct question *list[1] = {&one};
	struct script tmp = {.nquestions = 1, .questions = list};
	json_t *a = json_object();
	json_object_set(a, q->id, v);
	int rc = script_check_answers(&tmp, a, q->perspective, e);
	json_decref(a);
	if (rc != 0)
		e->question = q->id;
	return rc;
}

static void new_uuid(char out[STORY_UUID_LEN + 1])
{
	unsigned char b[16];
	char hex[33];
	randombytes_buf(b, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	util_hex(b, sizeof b, hex);
	snprintf(out, STORY_UUID_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
	         hex + 16, hex + 20);
}

/* Stores the text shown once, by its BLAKE2b-256 hash (as consent.c does). */
int story_draft_start_write(db *d, void *ctx)
{
	struct story_draft_start *j = ctx;
	assert(j->consent_text && j->language);
	const char *channel = j->channel ? j->channel : "web";
	char hash[65], sh[65];
	int rc = consent_text_put(d, j->consent_text, hash);
	if (rc != DB_OK)
		return rc;
	int64_t now = clock_now();
	util_random_hex(j->secret, STORY_DRAFT_SECRET_LEN / 2);
	story_draft_hash(j->secret, sh);
	j->id = 0;
	j->step = 1;
	int web = strcmp(channel, "web") == 0;
	if (j->old_secret && strlen(j->old_secret) == STORY_DRAFT_SECRET_LEN) {
		char oh[65];
		story_draft_hash(j->old_secret, oh);
		if (!web) {
			/* Anywhere but the web the next person starts: the last
			 * one's answers go (a draft with a resume code stays). */
			db_stmt *s =
			        db_prepare(d, "DELETE FROM story_drafts WHERE secret_hash = :oh "
			                      "AND collection_id = :c AND code_hash IS NULL");
			db_bind_text(s, "oh", oh);
			db_bind_int(s, "c", j->collection_id);
			rc = db_step(s);
			db_finalize(s);
			if (rc != DB_DONE)
				return rc;
		} else {
			/* On the web the teller goes on with their own draft. */
			db_stmt *s = db_prepare(d, "UPDATE story_drafts SET secret_hash = :sh, "
			                           "consent_text_hash = :ch, consent_at = :now, "
			                           "updated_at = :now WHERE secret_hash = :oh "
			                           "AND collection_id = :c AND expires_at > :now "
			                           "AND channel = 'web' RETURNING id, step");
			db_bind_text(s, "sh", sh);
			db_bind_text(s, "ch", hash);
			db_bind_int(s, "now", now);
			db_bind_text(s, "oh", oh);
			db_bind_int(s, "c", j->collection_id);
			rc = db_step(s);
			if (rc == DB_ROW) {
				j->id = db_col_int(s, 0);
				j->step = (int)db_col_int(s, 1);
			}
			db_finalize(s);
			if (rc == DB_ROW)
				return DB_OK;
			if (rc != DB_DONE)
				return rc;
		}
	}
	char uuid[STORY_UUID_LEN + 1];
	new_uuid(uuid);
	db_stmt *s = db_prepare(d, "INSERT INTO story_drafts (secret_hash, collection_id, uuid, "
	                           "language, answers, step, consent_text_hash, consent_at, "
	                           "created_at, updated_at, expires_at, channel, user_id, "
	                           "participant_id) VALUES (:sh, :c, :u, :lang, '{}', 1, :ch, "
	                           ":now, :now, :now, :exp, :channel, :user, :p) RETURNING id");
	db_bind_text(s, "sh", sh);
	db_bind_int(s, "c", j->collection_id);
	db_bind_text(s, "u", uuid);
	db_bind_text(s, "lang", j->language);
	db_bind_text(s, "ch", hash);
	db_bind_int(s, "now", now);
	db_bind_int(s, "exp", now + (int64_t)STORY_DRAFT_DAYS * 86400);
	db_bind_text(s, "channel", channel);
	if (j->user_id)
		db_bind_int(s, "user", j->user_id);
	else
		db_bind_null(s, "user");
	if (j->participant_id)
		db_bind_int(s, "p", j->participant_id);
	else
		db_bind_null(s, "p");
	rc = db_step(s);
	if (rc == DB_ROW)
		j->id = db_col_int(s, 0);
	db_finalize(s);
	return rc == DB_ROW ? DB_OK : rc;
}

int story_draft_save_write(db *d, void *ctx)
{
	struct story_draft_save *j = ctx;
	assert(j->answers);
	int64_t now = clock_now();
	j->found = 0;
	j->code[0] = 0;
	db_stmt *s = db_prepare(d, "UPDATE story_drafts SET answers = :a, step = :step, "
	                           "updated_at = :now WHERE id = :id AND expires_at > :now "
	                           "RETURNING expires_at");
	db_bind_text(s, "a", j->answers);
	db_bind_int(s, "step", j->step);
	db_bind_int(s, "now", now);
	db_bind_int(s, "id", j->id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		j->found = 1;
		j->expires_at = db_col_int(s, 0);
	}
	db_finalize(s);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DB_OK : rc;
	if (!j->new_code)
		return DB_OK;
	/* The code is shown once; only its hash is kept. A code another
	 * draft has already is drawn again. */
	for (int attempt = 0; attempt < 5; attempt++) {
		char code[COLLECTION_CODE_LEN + 1], h[65];
		collection_new_code(code);
		story_draft_hash(code, h);
		s = db_prepare(d, "UPDATE story_drafts SET code_hash = :h WHERE id = :id AND NOT "
		                  "EXISTS (SELECT 1 FROM story_drafts WHERE code_hash = :h)");
		db_bind_text(s, "h", h);
		db_bind_int(s, "id", j->id);
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc;
		if (db_changes(d) > 0) {
			memcpy(j->code, code, sizeof j->code);
			return DB_OK;
		}
	}
	return DB_CONSTRAINT;
}

int story_draft_resume_write(db *d, void *ctx)
{
	struct story_draft_resume *j = ctx;
	j->found = 0;
	if (!j->code || strlen(j->code) != COLLECTION_CODE_LEN)
		return DB_OK;
	char ch[65], sh[65];
	story_draft_hash(j->code, ch);
	util_random_hex(j->secret, STORY_DRAFT_SECRET_LEN / 2);
	story_draft_hash(j->secret, sh);
	int64_t now = clock_now();
	db_stmt *s = db_prepare(d, "UPDATE story_drafts SET secret_hash = :sh, updated_at = :now "
	                           "WHERE code_hash = :ch AND collection_id = :c "
	                           "AND expires_at > :now AND channel = 'web' RETURNING step");
	db_bind_text(s, "sh", sh);
	db_bind_int(s, "now", now);
	db_bind_text(s, "ch", ch);
	db_bind_int(s, "c", j->collection_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		j->found = 1;
		j->step = (int)db_col_int(s, 0);
	}
	db_finalize(s);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int participant_code_of(db *d, int64_t id, char out[PARTICIPANT_CODE_LEN + 1]);

int story_draft_discard_write(db *d, void *ctx)
{
	struct story_draft_discard *j = ctx;
	j->found = 0;
	j->id = 0;
	j->participant_code[0] = 0;
	if (!j->secret || strlen(j->secret) != STORY_DRAFT_SECRET_LEN)
		return DB_OK;
	char h[65];
	story_draft_hash(j->secret, h);
	db_stmt *s = db_prepare(d, "DELETE FROM story_drafts WHERE secret_hash = :h "
	                           "AND collection_id = :c RETURNING id, participant_id");
	db_bind_text(s, "h", h);
	db_bind_int(s, "c", j->collection_id);
	int rc = db_step(s);
	int64_t pid = 0;
	if (rc == DB_ROW) {
		j->found = 1;
		j->id = db_col_int(s, 0);
		pid = db_col_is_null(s, 1) ? 0 : db_col_int(s, 1);
		rc = db_step(s);
	}
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	if (pid) {
		rc = participant_code_of(d, pid, j->participant_code);
		if (rc != DB_ROW && rc != DB_DONE)
			return rc;
	}
	/* The receipt of a story sent from here is not shown to the next one. */
	s = db_prepare(d, "DELETE FROM story_drafts_sent WHERE secret_hash = :h");
	db_bind_text(s, "h", h);
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int story_draft_contact_participant(db *d, const vault *v, const struct contact *c, int64_t *id)
{
	assert(d && v && c && id);
	char norm[CONTACT_FIELD_MAX + 1], ix[65];
	const char *kinds[] = {"email", "phone"};
	for (int k = 0; k < 2; k++) {
		const char *val = k == 0 ? c->email : c->phone;
		if (!val || !*val)
			continue;
		if (k == 0)
			contact_norm_email(val, norm);
		else
			contact_norm_phone(val, norm);
		if (!*norm)
			continue;
		vault_blind_index(v, kinds[k], norm, ix);
		db_stmt *s =
		        k == 0 ? db_prepare(d, "SELECT participant_id FROM participant_contacts "
		                               "WHERE email_index = :ix ORDER BY participant_id "
		                               "LIMIT 1")
		               : db_prepare(d, "SELECT participant_id FROM participant_contacts "
		                               "WHERE phone_index = :ix ORDER BY participant_id "
		                               "LIMIT 1");
		db_bind_text(s, "ix", ix);
		int rc = db_step(s);
		if (rc == DB_ROW)
			*id = db_col_int(s, 0);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc;
	}
	return DB_DONE;
}

static int has(const char *s)
{
	return s && *s;
}

static int participant_code_of(db *d, int64_t id, char out[PARTICIPANT_CODE_LEN + 1])
{
	db_stmt *s = db_prepare(d, "SELECT code FROM participants WHERE id = :id");
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		snprintf(out, PARTICIPANT_CODE_LEN + 1, "%s", db_col_text(s, 0));
	db_finalize(s);
	return rc;
}

/* The participant of the contact the teller left, found or made, with
 * their consent for feedback. */
static int link_contact(db *d, struct story_draft_send *j)
{
	const struct contact *c = j->contact;
	assert(j->vault && j->feedback_text);
	int64_t id = 0;
	int rc = story_draft_contact_participant(d, j->vault, c, &id);
	if (rc == DB_DONE) {
		/* Only what the form asks for is sealed: no name, no address. */
		struct contact only = {.email = c->email, .phone = c->phone};
		rc = participant_create(d, j->vault, &only, j->participant_code, &id);
		if (rc != DB_OK)
			return rc;
		j->participant_new = 1;
	} else if (rc != DB_ROW) {
		return rc;
	} else {
		rc = participant_code_of(d, id, j->participant_code);
		if (rc != DB_ROW)
			return rc == DB_DONE ? DB_ERROR : rc;
	}
	j->st->participant_id = id;
	return consent_record(d, id, STORY_DRAFT_FEEDBACK_PURPOSE, "form-1", j->feedback_text,
	                      j->st->channel, NULL);
}

int story_draft_send_write(db *d, void *ctx)
{
	struct story_draft_send *j = ctx;
	j->participant_code[0] = 0;
	j->participant_new = 0;
	int rc = story_submit_write(d, j->st);
	if (rc != DB_OK)
		return rc;
	if (j->st->result == STORY_GONE)
		return DB_OK;
	/* Only a new story gets its consent and its participant: a second
	 * click finds the story as it was stored. */
	if (j->st->result == STORY_NEW) {
		if (j->contact && (has(j->contact->email) || has(j->contact->phone))) {
			rc = link_contact(d, j);
		} else if (j->st->participant_id) {
			rc = participant_code_of(d, j->st->participant_id, j->participant_code);
			rc = rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_CONSTRAINT : rc;
		}
		if (rc != DB_OK)
			return rc;
		db_stmt *s = db_prepare(d, "UPDATE stories SET consent_text_hash = :h, "
		                           "consent_at = :at, participant_id = :p WHERE id = :id");
		db_bind_text(s, "h", j->consent_text_hash);
		db_bind_int(s, "at", j->consent_at);
		if (j->st->participant_id)
			db_bind_int(s, "p", j->st->participant_id);
		else
			db_bind_null(s, "p");
		db_bind_int(s, "id", j->st->id);
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc;
	}
	db_stmt *s = db_prepare(d, "DELETE FROM story_drafts WHERE id = :id");
	db_bind_int(s, "id", j->draft_id);
	rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	if (!j->secret || !j->st->id)
		return DB_OK;
	char h[65];
	story_draft_hash(j->secret, h);
	s = db_prepare(d, "INSERT INTO story_drafts_sent (secret_hash, story_id, expires_at) "
	                  "VALUES (:h, :id, :exp) ON CONFLICT (secret_hash) DO NOTHING");
	db_bind_text(s, "h", h);
	db_bind_int(s, "id", j->st->id);
	db_bind_int(s, "exp", clock_now() + STORY_DRAFT_SENT_SECONDS);
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}
