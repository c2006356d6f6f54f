/* participant.c: pseudonymous participants; contact data sealed with the vault, found by blind index. */
#include "model/participant.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"
#include "model/audit.h"
#include "model/consent.h"
#include "model/dialogue.h"
#include "model/trajectory.h"

#include <ctype.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *contact_check(const struct contact *c)
{
	const char *f[] = {c->name, c->address, c->phone, c->email};
	for (int i = 0; i < 4; i++) {
		size_t n = f[i] ? strlen(f[i]) : 0;
		if (n > CONTACT_FIELD_MAX || !util_utf8_clean(f[i] ? f[i] : "", n))
			return N_("A contact detail is too long or has characters that are not "
			          "allowed.");
	}
	if (c->email && *c->email && (!strchr(c->email, '@') || strpbrk(c->email, " \t\r\n")))
		return N_("The e-mail address is not valid.");
	if (c->phone && *c->phone) {
		char digits[CONTACT_FIELD_MAX + 1];
		contact_norm_phone(c->phone, digits);
		if (strlen(digits) < 6 || strspn(c->phone, "0123456789 +-()./") != strlen(c->phone))
			return N_("The phone number is not valid.");
	}
	return NULL;
}

void contact_norm_email(const char *in, char *out)
{
	size_t k = 0;
	while (*in == ' ' || *in == '\t')
		in++;
	for (; *in && k < CONTACT_FIELD_MAX; in++)
		out[k++] = (char)tolower((unsigned char)*in);
	while (k && (out[k - 1] == ' ' || out[k - 1] == '\t'))
		k--;
	out[k] = '\0';
}

void contact_norm_phone(const char *in, char *out)
{
	size_t k = 0;
	for (; *in && k < CONTACT_FIELD_MAX; in++)
		if (*in >= '0' && *in <= '9')
			out[k++] = *in;
	out[k] = '\0';
	/* +31 6 12345678 and 0031 6 ... are 06 12345678 */
	const char *rest = NULL;
	if (k > 4 && memcmp(out, "0031", 4) == 0)
		rest = out + 4;
	else if (k == 11 && memcmp(out, "31", 2) == 0)
		rest = out + 2;
	if (rest) {
		memmove(out + 1, rest, strlen(rest) + 1);
		out[0] = '0';
	}
}

void contact_norm_name(const char *in, char *out)
{
	size_t k = 0;
	int space = 1;
	for (; *in && k < CONTACT_FIELD_MAX; in++) {
		unsigned char c = (unsigned char)*in;
		if (c == ' ' || c == '\t') {
			if (!space)
				out[k++] = ' ';
			space = 1;
			continue;
		}
		out[k++] = (char)tolower(c);
		space = 0;
	}
	while (k && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
}

static int has(const char *s)
{
	return s && *s;
}

static void new_code(char out[PARTICIPANT_CODE_LEN + 1])
{
	/* 32 characters: a random byte modulo 32 is uniform, so one call
	 * gives every character (each call is a system call). */
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	_Static_assert(sizeof alphabet - 1 == 32, "256 must be a multiple of the alphabet's size");
	unsigned char r[PARTICIPANT_CODE_LEN];
	randombytes_buf(r, sizeof r);
	memcpy(out, "VP-", 3);
	for (int i = 3; i < PARTICIPANT_CODE_LEN; i++)
		out[i] = i == 7 ? '-' : alphabet[r[i] % 32];
	out[PARTICIPANT_CODE_LEN] = '\0';
}

static void contact_ad(int64_t id, char *ad, size_t n)
{
	snprintf(ad, n, "participant:%lld:contact", (long long)id);
}

/* Seals c for participant id and writes it with its indexes. */
static int store_contact(db *d, const vault *v, int64_t id, const struct contact *c)
{
	buf plain, sealed;
	buf_init(&plain);
	buf_init(&sealed);
	const char *names[] = {"name", "address", "phone", "email"};
	const char *vals[] = {c->name, c->address, c->phone, c->email};
	buf_putc(&plain, '{');
	for (int i = 0, first = 1; i < 4; i++) {
		if (!has(vals[i]))
			continue;
		if (!first)
			buf_putc(&plain, ',');
		first = 0;
		buf_json_str(&plain, names[i]);
		buf_putc(&plain, ':');
		buf_json_str(&plain, vals[i]);
	}
	buf_putc(&plain, '}');
	char ad[64], norm[CONTACT_FIELD_MAX + 1], ix_name[65], ix_email[65], ix_phone[65];
	contact_ad(id, ad, sizeof ad);
	vault_seal(v, plain.data, plain.len, ad, &sealed);
	sodium_memzero(plain.data, plain.len);
	buf_free(&plain);
	db_stmt *s = db_prepare(
	        d,
	        "INSERT INTO participant_contacts (participant_id, sealed, key_id, name_index, "
	        "email_index, phone_index, updated_at) VALUES (:id, :sealed, :key, :ni, :ei, :pi, "
	        ":at) ON CONFLICT (participant_id) DO UPDATE SET sealed = excluded.sealed, "
	        "key_id = excluded.key_id, name_index = excluded.name_index, "
	        "email_index = excluded.email_index, phone_index = excluded.phone_index, "
	        "updated_at = excluded.updated_at");
	db_bind_int(s, "id", id);
	db_bind_blob(s, "sealed", sealed.data, sealed.len);
	db_bind_int(s, "key", vault_active_id(v));
	contact_norm_name(has(c->name) ? c->name : "", norm);
	vault_blind_index(v, "name", norm, ix_name);
	db_bind_text(s, "ni", *norm ? ix_name : NULL);
	contact_norm_email(has(c->email) ? c->email : "", norm);
	vault_blind_index(v, "email", norm, ix_email);
	db_bind_text(s, "ei", *norm ? ix_email : NULL);
	contact_norm_phone(has(c->phone) ? c->phone : "", norm);
	vault_blind_index(v, "phone", norm, ix_phone);
	db_bind_text(s, "pi", *norm ? ix_phone : NULL);
	db_bind_int(s, "at", clock_now());
	int rc = db_step(s);
	db_finalize(s);
	buf_free(&sealed);
	return rc == DB_DONE ? DB_OK : rc;
}

int participant_create(db *d, const vault *v, const struct contact *c,
                       char code_out[PARTICIPANT_CODE_LEN + 1], int64_t *id_out)
{
	int rc = DB_CONSTRAINT;
	int64_t id = 0;
	/* 40 random bits: a clash is rare; try again when it happens. */
	for (int attempt = 0; attempt < 5 && rc == DB_CONSTRAINT; attempt++) {
		new_code(code_out);
		db_stmt *s = db_prepare(d, "INSERT INTO participants (code, created_at) "
		                           "VALUES (:code, :at) RETURNING id");
		db_bind_text(s, "code", code_out);
		db_bind_int(s, "at", clock_now());
		rc = db_step(s);
		if (rc == DB_ROW)
			id = db_col_int(s, 0);
		db_finalize(s);
	}
	if (rc != DB_ROW)
		return rc;
	if (id_out)
		*id_out = id;
	if (has(c->name) || has(c->address) || has(c->phone) || has(c->email))
		return store_contact(d, v, id, c);
	return DB_OK;
}

/* Opens the stored contact of participant id into a JSON object (new
 * reference), an empty object when there is none; NULL when it does not
 * open. */
static json_t *load_contact(db *d, const vault *v, int64_t id)
{
	db_stmt *s = db_prepare(d, "SELECT sealed FROM participant_contacts "
	                           "WHERE participant_id = :id");
	db_bind_int(s, "id", id);
	json_t *obj = NULL;
	if (db_step(s) == DB_ROW) {
		size_t n = 0;
		const void *sealed = db_col_blob(s, 0, &n);
		char ad[64];
		contact_ad(id, ad, sizeof ad);
		buf plain;
		buf_init(&plain);
		if (vault_open(v, sealed, n, ad, &plain) == 0)
			obj = json_loadb(plain.data, plain.len, 0, NULL);
		if (plain.data)
			sodium_memzero(plain.data, plain.len);
		buf_free(&plain);
	} else {
		obj = json_object();
	}
	db_finalize(s);
	return obj;
}

int participant_contact_open(db *d, const vault *v, int64_t id, json_t **out)
{
	*out = load_contact(d, v, id);
	return *out ? DB_OK : DB_ERROR;
}

int participant_set_contact(db *d, const vault *v, int64_t id, const struct contact *c)
{
	db_stmt *s = db_prepare(d, "SELECT 1 FROM participants WHERE id = :id");
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DB_DONE : rc;
	json_t *old = load_contact(d, v, id);
	if (!old)
		return DB_ERROR;
	struct contact merged = {
	        c->name ? c->name : json_string_value(json_object_get(old, "name")),
	        c->address ? c->address : json_string_value(json_object_get(old, "address")),
	        c->phone ? c->phone : json_string_value(json_object_get(old, "phone")),
	        c->email ? c->email : json_string_value(json_object_get(old, "email")),
	};
	rc = store_contact(d, v, id, &merged);
	json_decref(old);
	return rc;
}

/* Appends one participant (the current row of s: id, code, created_at,
 * sealed) as JSON. */
static void row_json(const vault *v, db_stmt *s, buf *out)
{
	int64_t id = db_col_int(s, 0);
	char at[21], ad[64];
	clock_iso(db_col_int(s, 2), at);
	buf_printf(out, "{\"id\":%lld,\"code\":", (long long)id);
	buf_json_str(out, db_col_text(s, 1));
	buf_printf(out, ",\"created_at\":\"%s\",\"contact\":", at);
	size_t n = 0;
	const void *sealed = db_col_is_null(s, 3) ? NULL : db_col_blob(s, 3, &n);
	if (!sealed) {
		buf_puts(out, "{}}");
		return;
	}
	buf plain;
	buf_init(&plain);
	contact_ad(id, ad, sizeof ad);
	if (vault_open(v, sealed, n, ad, &plain) == 0)
		buf_append(out, plain.data, plain.len);
	else
		buf_puts(out, "null,\"contact_error\":true");
	if (plain.data)
		sodium_memzero(plain.data, plain.len);
	buf_free(&plain);
	buf_putc(out, '}');
}

int participant_find_json(db *d, const vault *v, const char *query, buf *out)
{
	char norm[CONTACT_FIELD_MAX + 1], ix_name[65], ix_email[65], ix_phone[65];
	const char *q = query ? query : "";
	contact_norm_name(q, norm);
	vault_blind_index(v, "name", norm, ix_name);
	contact_norm_email(q, norm);
	vault_blind_index(v, "email", norm, ix_email);
	contact_norm_phone(q, norm);
	vault_blind_index(v, "phone", norm, ix_phone);
	char code[64];
	snprintf(code, sizeof code, "%s", q);
	for (char *p = code; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	db_stmt *s =
	        db_prepare(d, "SELECT p.id, p.code, p.created_at, c.sealed FROM participants p "
	                      "LEFT JOIN participant_contacts c ON c.participant_id = p.id "
	                      "WHERE p.code = :code OR c.name_index = :ni OR c.email_index = :ei "
	                      "OR (c.phone_index = :pi AND :has_phone) ORDER BY p.id");
	db_bind_text(s, "code", code);
	db_bind_text(s, "ni", ix_name);
	db_bind_text(s, "ei", ix_email);
	db_bind_text(s, "pi", ix_phone);
	db_bind_int(s, "has_phone", strlen(norm) >= 6);
	int rc, first = 1;
	buf_putc(out, '[');
	while ((rc = db_step(s)) == DB_ROW) {
		if (!first)
			buf_putc(out, ',');
		first = 0;
		row_json(v, s, out);
	}
	buf_putc(out, ']');
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int64_t participant_reseal_all(db *d, const vault *v)
{
	/* Collect the ids first: re-sealing writes the rows the query reads. */
	db_stmt *s = db_prepare(d, "SELECT participant_id FROM participant_contacts "
	                           "WHERE key_id <> :active ORDER BY participant_id");
	db_bind_int(s, "active", vault_active_id(v));
	int64_t *ids;
	size_t n;
	int rc = db_collect_ids(s, &ids, &n);
	db_finalize(s);
	int64_t done = 0;
	for (size_t i = 0; i < n && rc == DB_DONE; i++) {
		/* A value no key opens stops the rotation: nothing is lost, the
		 * transaction is rolled back and the old key stays. */
		json_t *o = load_contact(d, v, ids[i]);
		if (!o) {
			rc = DB_ERROR;
			break;
		}
		struct contact c = {json_string_value(json_object_get(o, "name")),
		                    json_string_value(json_object_get(o, "address")),
		                    json_string_value(json_object_get(o, "phone")),
		                    json_string_value(json_object_get(o, "email"))};
		if (store_contact(d, v, ids[i], &c) != DB_OK)
			rc = DB_ERROR;
		else
			done++;
		json_decref(o);
	}
	free(ids);
	return rc == DB_DONE ? done : -1;
}

int participant_by_code(db *d, const char *code, int64_t *id_out,
                        char code_out[PARTICIPANT_CODE_LEN + 1])
{
	char upper[PARTICIPANT_CODE_LEN + 1];
	size_t n = code ? strlen(code) : 0;
	if (n != PARTICIPANT_CODE_LEN)
		return DB_DONE;
	for (size_t i = 0; i <= n; i++)
		upper[i] = (char)toupper((unsigned char)code[i]);
	db_stmt *s = db_prepare(d, "SELECT id, code FROM participants WHERE code = :code");
	db_bind_text(s, "code", upper);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*id_out = db_col_int(s, 0);
		if (code_out)
			snprintf(code_out, PARTICIPANT_CODE_LEN + 1, "%s", db_col_text(s, 1));
	}
	db_finalize(s);
	return rc;
}

/* Appends one JSON member per kind of record about participant id:
 * ",\"stories\":[...],\"conversations\":[...],\"initiatives\":[...],
 * \"contact_requests\":[...]".
 * Stories with both perspectives (what the person told, and what the
 * professional answered about it); conversations with the person's answer
 * to the invitation, the points they raised with the decision on each, and
 * the feedback they were sent. */
static int told_and_said_json(db *d, const vault *v, int64_t id, buf *out)
{
	json_t *all = json_object(), *stories = json_array(), *convs = json_array(),
	       *requests = json_array();
	db_stmt *s = db_prepare(d, "SELECT st.id, c.title, st.created_at, st.channel, st.answers, "
	                           "st.professional FROM stories st JOIN collections c ON c.id = "
	                           "st.collection_id WHERE st.participant_id = :p ORDER BY st.id");
	db_bind_int(s, "p", id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(db_col_int(s, 0)));
		json_object_set_new(o, "collection", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "created_at", json_integer(db_col_int(s, 2)));
		json_object_set_new(o, "channel", json_string(db_col_text(s, 3)));
		json_t *a = json_loads(db_col_text(s, 4), 0, NULL);
		json_object_set_new(o, "answers", a ? a : json_null());
		json_t *pro = db_col_is_null(s, 5) ? NULL : json_loads(db_col_text(s, 5), 0, NULL);
		json_object_set_new(o, "professional", pro ? pro : json_null());
		json_array_append_new(stories, o);
	}
	db_finalize(s);
	if (rc == DB_DONE) {
		s = db_prepare(d,
		               "SELECT p.id, c.title, t.title, p.response, p.feedback, "
		               "p.feedback_sent_at FROM conversation_people p JOIN conversations "
		               "c ON c.id = p.conversation_id JOIN trajectories t ON "
		               "t.id = c.trajectory_id WHERE p.participant_id = :p ORDER BY p.id");
		db_bind_int(s, "p", id);
		while ((rc = db_step(s)) == DB_ROW) {
			json_t *o = json_object();
			int64_t person = db_col_int(s, 0);
			json_object_set_new(o, "conversation", json_string(db_col_text(s, 1)));
			json_object_set_new(o, "trajectory", json_string(db_col_text(s, 2)));
			json_object_set_new(o, "response", json_string(db_col_text(s, 3)));
			json_object_set_new(o, "feedback", json_string(db_col_text(s, 4)));
			json_object_set_new(o, "feedback_sent_at",
			                    db_col_is_null(s, 5) ? json_null()
			                                         : json_integer(db_col_int(s, 5)));
			json_t *points = json_array();
			db_stmt *q = db_prepare(
			        d, "SELECT text, decision, reason FROM "
			           "conversation_points WHERE person_id = :p ORDER BY id");
			db_bind_int(q, "p", person);
			while (db_step(q) == DB_ROW) {
				json_t *pt = json_object();
				json_object_set_new(pt, "text", json_string(db_col_text(q, 0)));
				json_object_set_new(pt, "decision", json_string(db_col_text(q, 1)));
				json_object_set_new(pt, "reason", json_string(db_col_text(q, 2)));
				json_array_append_new(points, pt);
			}
			db_finalize(q);
			json_object_set_new(o, "points", points);
			json_array_append_new(convs, o);
		}
		db_finalize(s);
	}
	/* Citizen initiatives the person is an initiator of (model/initiative.h). */
	json_t *inits = json_array();
	if (rc == DB_DONE) {
		s = db_prepare(d,
		               "SELECT i.title, i.idea, i.status, i.created_at FROM "
		               "initiative_people p JOIN initiatives i ON i.id = p.initiative_id "
		               "WHERE p.participant_id = :p ORDER BY i.id");
		db_bind_int(s, "p", id);
		while ((rc = db_step(s)) == DB_ROW) {
			json_t *o = json_object();
			json_object_set_new(o, "initiative", json_string(db_col_text(s, 0)));
			json_object_set_new(o, "idea", json_string(db_col_text(s, 1)));
			json_object_set_new(o, "status", json_string(db_col_text(s, 2)));
			json_object_set_new(o, "created_at", json_integer(db_col_int(s, 3)));
			json_array_append_new(inits, o);
		}
		db_finalize(s);
	}
	if (rc == DB_DONE)
		rc = contact_request_by_participant_json(d, v, id, requests);
	else
		rc = rc == DB_ROW ? DB_ERROR : rc;
	json_t *dialogue = json_array();
	if (rc == DB_OK)
		rc = dialogue_registrations_by_participant_json(d, v, id, dialogue);
	json_object_set_new(all, "stories", stories);
	json_object_set_new(all, "conversations", convs);
	json_object_set_new(all, "initiatives", inits);
	json_object_set_new(all, "contact_requests", requests);
	json_object_set_new(all, "dialogue_registrations", dialogue);
	if (rc == DB_OK) {
		char *text = json_dumps(all, JSON_COMPACT);
		if (!text)
			abort();
		/* the object's members, without its braces, after ',' */
		size_t n = strlen(text);
		buf_putc(out, ',');
		buf_append(out, text + 1, n - 2);
		free(text);
	}
	json_decref(all);
	return rc;
}

int participant_export_json(db *d, const vault *v, int64_t id, buf *out)
{
	db_stmt *s =
	        db_prepare(d, "SELECT p.id, p.code, p.created_at, c.sealed FROM participants p "
	                      "LEFT JOIN participant_contacts c ON c.participant_id = p.id "
	                      "WHERE p.id = :id");
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc;
	}
	char code[PARTICIPANT_CODE_LEN + 1];
	snprintf(code, sizeof code, "%s", db_col_text(s, 1));
	buf_puts(out, "{\"participant\":");
	row_json(v, s, out);
	db_finalize(s);
	buf_puts(out, ",\"consents\":");
	rc = consent_list_json(d, id, out);
	if (rc == DB_OK)
		rc = told_and_said_json(d, v, id, out);
	if (rc == DB_OK) {
		buf_puts(out, ",\"access_log\":");
		rc = audit_list_json(d, code, 0, out);
	}
	buf_putc(out, '}');
	return rc;
}

int participant_erase(db *d, int64_t id)
{
	/* What only makes sense with the person goes with them: their
	 * messages from a public page. Their stories and their place at a
	 * conversation stay, no longer linked to anyone. */
	db_stmt *s = db_prepare(d, "DELETE FROM contact_requests WHERE participant_id = :id");
	db_bind_int(s, "id", id);
	int rc0 = db_step(s);
	db_finalize(s);
	if (rc0 != DB_DONE)
		return rc0;
	s = db_prepare(d, "DELETE FROM participants WHERE id = :id");
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	return db_changes(d) > 0 ? DB_OK : DB_DONE;
}
