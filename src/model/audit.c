/* audit.c: the access log: validation, the hash chain, verification and listing. */
#include "model/audit.h"

#include "core/clock.h"
#include "core/util.h"

#include <assert.h>
#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char audit_genesis[65] = "0000000000000000000000000000000000000000000000000000000000000000";

/* Names the encoding inside the hash, so a later change of the encoding
 * cannot be mistaken for this one. */
#define AUDIT_HASH_DOMAIN "vertelpunt audit_log v1"

/* A row as hashed: the caller's entry plus what the chain adds. */
struct audit_row {
	const char *prev_hash;
	int64_t id, at;
	int has_actor_user;
	int64_t actor_user_id;
	const char *actor, *action, *object_type, *object_id;
	const char *subject_code; /* NULL when the column is NULL */
	const char *origin, *detail;
};

/* A field is its length as 8 bytes big-endian, then its bytes; NULL is the
 * length 2^64-1 with no bytes. Integers are decimal text. Length-prefixing
 * makes the encoding unambiguous: no choice of field contents can make two
 * different rows encode alike. */
static void put_field(crypto_generichash_state *h, const char *s)
{
	uint64_t n = s ? (uint64_t)strlen(s) : UINT64_MAX;
	unsigned char len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (56 - 8 * i));
	crypto_generichash_update(h, len, sizeof len);
	if (s)
		crypto_generichash_update(h, (const unsigned char *)s, (unsigned long long)n);
}

static void put_int(crypto_generichash_state *h, int64_t v)
{
	char t[24];
	snprintf(t, sizeof t, "%lld", (long long)v);
	put_field(h, t);
}

/* Hex BLAKE2b-256 over the domain name and the fields in column order. */
static void row_hash(const struct audit_row *w, char out[65])
{
	crypto_generichash_state h;
	unsigned char raw[32];
	crypto_generichash_init(&h, NULL, 0, sizeof raw);
	put_field(&h, AUDIT_HASH_DOMAIN);
	put_field(&h, w->prev_hash);
	put_int(&h, w->id);
	put_int(&h, w->at);
	if (w->has_actor_user)
		put_int(&h, w->actor_user_id);
	else
		put_field(&h, NULL);
	put_field(&h, w->actor);
	put_field(&h, w->action);
	put_field(&h, w->object_type);
	put_field(&h, w->object_id);
	put_field(&h, w->subject_code);
	put_field(&h, w->origin);
	put_field(&h, w->detail);
	crypto_generichash_final(&h, raw, sizeof raw);
	util_hex(raw, sizeof raw, out);
}

/* Non-empty, at most max bytes of [a-z_]. */
static int word_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
			return 0;
	return 1;
}

/* At most max bytes of clean UTF-8 on one line; non-empty unless allowed. */
static int text_ok(const char *s, size_t max, int may_be_empty)
{
	if (!s)
		return 0;
	size_t n = strlen(s);
	if ((n == 0 && !may_be_empty) || n > max)
		return 0;
	return util_utf8_clean(s, n) && !strpbrk(s, "\t\r\n");
}

const char *audit_check(const struct audit_entry *e)
{
	assert(e);
	if (!word_ok(e->action, AUDIT_ACTION_MAX))
		return "The action is missing, too long or not of a-z and _.";
	if (!word_ok(e->object_type, AUDIT_OBJECT_TYPE_MAX))
		return "The object type is missing, too long or not of a-z and _.";
	if (!text_ok(e->actor, AUDIT_ACTOR_MAX, 0))
		return "The actor is missing, too long or not clean text.";
	if (!text_ok(e->object_id, AUDIT_OBJECT_ID_MAX, 0))
		return "The object id is missing, too long or not clean text.";
	if (e->subject_code && !text_ok(e->subject_code, AUDIT_SUBJECT_MAX, 0))
		return "The subject code is empty, too long or not clean text.";
	if (!text_ok(e->origin ? e->origin : "", AUDIT_ORIGIN_MAX, 1))
		return "The origin is too long or not clean text.";
	if (!text_ok(e->detail ? e->detail : "", AUDIT_DETAIL_MAX, 1))
		return "The detail is too long or not clean text.";
	if (e->at < 0 || e->actor_user_id < 0)
		return "The time or the actor's id is negative.";
	return NULL;
}

int audit_append(db *d, const struct audit_entry *e)
{
	assert(d && e);
	if (audit_check(e))
		return AUDIT_INVALID;
	char prev[65];
	int64_t last_id = 0;
	db_stmt *s = db_prepare(d, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
	int rc = db_step(s);
	if (rc == DB_ROW) {
		last_id = db_col_int(s, 0);
		snprintf(prev, sizeof prev, "%s", db_col_text(s, 1));
	} else {
		memcpy(prev, audit_genesis, sizeof prev);
	}
	db_finalize(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc;
	assert(last_id < INT64_MAX);

	struct audit_row w = {
	        .prev_hash = prev,
	        .id = last_id + 1,
	        .at = e->at > 0 ? e->at : clock_now(),
	        .has_actor_user = e->actor_user_id > 0,
	        .actor_user_id = e->actor_user_id,
	        .actor = e->actor,
	        .action = e->action,
	        .object_type = e->object_type,
	        .object_id = e->object_id,
	        .subject_code = e->subject_code,
	        .origin = e->origin ? e->origin : "",
	        .detail = e->detail ? e->detail : "",
	};
	char hash[65];
	row_hash(&w, hash);
	/* The id is given, not generated: it is part of the hash. Should two
	 * writers ever read the same last row, the primary key refuses the
	 * second insert instead of letting the chain fork. */
	s = db_prepare(d, "INSERT INTO audit_log (id, at, actor_user_id, actor, action, "
	                  "object_type, object_id, subject_code, origin, detail, prev_hash, hash) "
	                  "VALUES (:id, :at, :uid, :actor, :action, :otype, :oid, :subject, "
	                  ":origin, :detail, :prev, :hash)");
	db_bind_int(s, "id", w.id);
	db_bind_int(s, "at", w.at);
	if (w.has_actor_user)
		db_bind_int(s, "uid", w.actor_user_id);
	else
		db_bind_null(s, "uid");
	db_bind_text(s, "actor", w.actor);
	db_bind_text(s, "action", w.action);
	db_bind_text(s, "otype", w.object_type);
	db_bind_text(s, "oid", w.object_id);
	if (w.subject_code)
		db_bind_text(s, "subject", w.subject_code);
	else
		db_bind_null(s, "subject");
	db_bind_text(s, "origin", w.origin);
	db_bind_text(s, "detail", w.detail);
	db_bind_text(s, "prev", w.prev_hash);
	db_bind_text(s, "hash", hash);
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int audit_verify(db *d, int64_t *rows_checked, int64_t *first_bad_id)
{
	assert(d && rows_checked && first_bad_id);
	*rows_checked = 0;
	*first_bad_id = 0;
	char expect[65];
	memcpy(expect, audit_genesis, sizeof expect);
	db_stmt *s = db_prepare(d, "SELECT id, at, actor_user_id, actor, action, object_type, "
	                           "object_id, subject_code, origin, detail, prev_hash, hash "
	                           "FROM audit_log ORDER BY id");
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		struct audit_row w = {
		        .id = db_col_int(s, 0),
		        .at = db_col_int(s, 1),
		        .has_actor_user = !db_col_is_null(s, 2),
		        .actor_user_id = db_col_int(s, 2),
		        .actor = db_col_text(s, 3),
		        .action = db_col_text(s, 4),
		        .object_type = db_col_text(s, 5),
		        .object_id = db_col_text(s, 6),
		        .subject_code = db_col_is_null(s, 7) ? NULL : db_col_text(s, 7),
		        .origin = db_col_text(s, 8),
		        .detail = db_col_text(s, 9),
		        .prev_hash = db_col_text(s, 10),
		};
		/* After a retention purge the chain starts at the checkpoint
		 * row the purge appended first; its prev_hash is the anchor. */
		if (*rows_checked == 0 && strcmp(w.action, "checkpoint") == 0 &&
		    strcmp(w.object_type, "audit_log") == 0)
			snprintf(expect, sizeof expect, "%s", w.prev_hash);
		char hash[65];
		row_hash(&w, hash);
		if (strcmp(w.prev_hash, expect) != 0 || strcmp(hash, db_col_text(s, 11)) != 0) {
			*first_bad_id = w.id;
			rc = AUDIT_BROKEN;
			break;
		}
		memcpy(expect, hash, sizeof expect);
		(*rows_checked)++;
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

static void row_json(db_stmt *s, buf *out)
{
	char at[21];
	clock_iso(db_col_int(s, 1), at);
	buf_printf(out,
	           "{\"id\":%lld,\"at\":\"%s\",\"actor_user_id\":", (long long)db_col_int(s, 0),
	           at);
	if (db_col_is_null(s, 2))
		buf_puts(out, "null");
	else
		buf_put_int(out, db_col_int(s, 2));
	static const char *const names[] = {"actor",        "action", "object_type", "object_id",
	                                    "subject_code", "origin", "detail",      "hash"};
	for (int i = 0; i < 8; i++) {
		buf_printf(out, ",\"%s\":", names[i]);
		if (db_col_is_null(s, 3 + i))
			buf_puts(out, "null");
		else
			buf_json_str(out, db_col_text(s, 3 + i));
	}
	buf_putc(out, '}');
}

int audit_list_json(db *d, const char *subject_code, int64_t limit, buf *out)
{
	assert(d && out);
	db_stmt *s;
	if (subject_code) {
		s = db_prepare(d, "SELECT id, at, actor_user_id, actor, action, object_type, "
		                  "object_id, subject_code, origin, detail, hash FROM audit_log "
		                  "WHERE subject_code = :subject ORDER BY id DESC LIMIT :limit");
		db_bind_text(s, "subject", subject_code);
	} else {
		s = db_prepare(d, "SELECT id, at, actor_user_id, actor, action, object_type, "
		                  "object_id, subject_code, origin, detail, hash FROM audit_log "
		                  "ORDER BY id DESC LIMIT :limit");
	}
	db_bind_int(s, "limit", limit > 0 ? limit : INT64_MAX);
	int rc, first = 1;
	buf_putc(out, '[');
	while ((rc = db_step(s)) == DB_ROW) {
		if (!first)
			buf_putc(out, ',');
		first = 0;
		row_json(s, out);
	}
	buf_putc(out, ']');
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

void audit_cli_actor(char *out, size_t outlen)
{
	assert(out && outlen > 0);
	uid_t uid = geteuid();
	struct passwd pw, *found = NULL;
	char tmp[1024];
	if (getpwuid_r(uid, &pw, tmp, sizeof tmp, &found) == 0 && found && found->pw_name &&
	    *found->pw_name && strlen(found->pw_name) + 4 <= AUDIT_ACTOR_MAX &&
	    util_utf8_clean(found->pw_name, strlen(found->pw_name)) &&
	    !strpbrk(found->pw_name, "\t\r\n"))
		snprintf(out, outlen, "cli:%s", found->pw_name);
	else
		snprintf(out, outlen, "cli:uid%lu", (unsigned long)uid);
}
