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

/* Recomputes the chain from row from_id on (0: the whole chain). The first
 * row's prev_hash is taken as given when from_id > 0 (its own hash is still
 * recomputed) or when the chain starts at a checkpoint. */
static int chain_check(db *d, int64_t from_id, int64_t *rows_checked, int64_t *first_bad_id)
{
	*rows_checked = 0;
	*first_bad_id = 0;
	char expect[65];
	memcpy(expect, audit_genesis, sizeof expect);
	db_stmt *s = db_prepare(d, "SELECT id, at, actor_user_id, actor, action, object_type, "
	                           "object_id, subject_code, origin, detail, prev_hash, hash "
	                           "FROM audit_log WHERE id >= :from ORDER BY id");
	db_bind_int(s, "from", from_id);
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
		if (*rows_checked == 0 &&
		    (from_id > 0 || (strcmp(w.action, "checkpoint") == 0 &&
		                     strcmp(w.object_type, "audit_log") == 0)))
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

int audit_verify(db *d, int64_t *rows_checked, int64_t *first_bad_id)
{
	assert(d && rows_checked && first_bad_id);
	return chain_check(d, 0, rows_checked, first_bad_id);
}

/* ---- seals ---- */

/* The mac of a seal as 64 hex digits; 0, or -1 when v lacks the key. The
 * key is derived for this purpose only (keyed BLAKE2b over its name), so
 * the vault key itself never meets this mac. */
static int seal_mac(const vault *v, int64_t key_id, int64_t log_id, const char *log_hash,
                    int64_t at, char out[65])
{
	const unsigned char *key =
	        key_id > 0 && key_id <= UINT32_MAX ? vault_key(v, (uint32_t)key_id) : NULL;
	if (!key)
		return -1;
	unsigned char sub[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
	static const char purpose[] = "vertelpunt audit-seal v1";
	crypto_generichash(sub, sizeof sub, (const unsigned char *)purpose, sizeof purpose - 1, key,
	                   VAULT_KEY_BYTES);
	char text[160];
	int n = snprintf(text, sizeof text, "%lld|%s|%lld|%lld", (long long)log_id, log_hash,
	                 (long long)at, (long long)key_id);
	assert(n > 0 && (size_t)n < sizeof text);
	crypto_auth_hmacsha256(mac, (const unsigned char *)text, (unsigned long long)n, sub);
	sodium_memzero(sub, sizeof sub);
	util_hex(mac, sizeof mac, out);
	return 0;
}

/* 1 when the seal's mac is right, 0 when it is wrong, -1 when v lacks its
 * key. */
static int seal_mac_ok(const vault *v, int64_t key_id, int64_t log_id, const char *log_hash,
                       int64_t at, const char *mac)
{
	char want[65];
	if (seal_mac(v, key_id, log_id, log_hash, at, want) != 0)
		return -1;
	return strlen(mac) == 64 && sodium_memcmp(want, mac, 64) == 0;
}

static int64_t first_log_id(db *d)
{
	db_stmt *s = db_prepare(d, "SELECT COALESCE(MIN(id), 0) FROM audit_log");
	int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return id;
}

/* What a new seal extends must be intact: the newest seal whose key v
 * holds, and the chain from its row to the head; the whole chain when no
 * seal can be checked. */
static int seal_check_base(db *d, const vault *v)
{
	int64_t from = 0, rows, bad;
	int found = 0, ok = 1;
	db_stmt *s = db_prepare(d, "SELECT s.log_id, s.log_hash, s.key_id, s.at, s.mac, l.hash "
	                           "FROM audit_seals s LEFT JOIN audit_log l ON l.id = s.log_id "
	                           "ORDER BY s.id DESC");
	int rc;
	while (!found && (rc = db_step(s)) == DB_ROW) {
		int m = seal_mac_ok(v, db_col_int(s, 2), db_col_int(s, 0), db_col_text(s, 1),
		                    db_col_int(s, 3), db_col_text(s, 4));
		if (m < 0)
			continue; /* made with a key dropped since */
		found = 1;
		if (db_col_is_null(s, 5)) {
			/* Its row was purged; anything else is a break. */
			ok = db_col_int(s, 0) < first_log_id(d);
		} else {
			ok = m == 1 && strcmp(db_col_text(s, 1), db_col_text(s, 5)) == 0;
			from = db_col_int(s, 0);
		}
	}
	if (!found && rc != DB_DONE) {
		db_finalize(s);
		return rc;
	}
	db_finalize(s);
	if (!ok)
		return AUDIT_BROKEN;
	return chain_check(d, from, &rows, &bad);
}

int64_t audit_seal(db *d, const vault *v, int64_t now)
{
	assert(d && v);
	int rc = seal_check_base(d, v);
	if (rc != DB_OK)
		return rc;
	db_stmt *s = db_prepare(d, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
	rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc == DB_DONE ? 0 : rc;
	}
	int64_t log_id = db_col_int(s, 0);
	char log_hash[65];
	snprintf(log_hash, sizeof log_hash, "%s", db_col_text(s, 1));
	db_finalize(s);

	struct audit_seal_info last;
	rc = audit_seal_last(d, &last);
	if (rc != DB_OK)
		return rc;
	uint32_t key_id = vault_active_id(v);
	if (last.seal_id > 0 && last.log_id == log_id && strcmp(last.log_hash, log_hash) == 0 &&
	    last.key_id == key_id)
		return 0;
	assert(last.seal_id < INT64_MAX);
	int64_t at = now > 0 ? now : clock_now();
	char mac[65];
	rc = seal_mac(v, key_id, log_id, log_hash, at, mac);
	assert(rc == 0); /* the active key is always there */
	/* The id is given, not generated, as in audit_append. */
	s = db_prepare(d, "INSERT INTO audit_seals (id, log_id, log_hash, key_id, at, mac) "
	                  "VALUES (:id, :log_id, :log_hash, :key_id, :at, :mac)");
	db_bind_int(s, "id", last.seal_id + 1);
	db_bind_int(s, "log_id", log_id);
	db_bind_text(s, "log_hash", log_hash);
	db_bind_int(s, "key_id", key_id);
	db_bind_int(s, "at", at);
	db_bind_text(s, "mac", mac);
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? last.seal_id + 1 : rc;
}

int audit_seal_job(db *d, void *ctx)
{
	struct audit_seal_job *j = ctx;
	assert(d && j && j->v);
	j->made = audit_seal(d, j->v, j->now);
	if (j->made < 0)
		return (int)j->made;
	return audit_seal_last(d, &j->last);
}

int audit_verify_sealed(db *d, const vault *v, int64_t *rows_checked, int64_t *seals_checked,
                        int64_t *first_bad_id)
{
	assert(d && v && rows_checked && seals_checked && first_bad_id);
	*seals_checked = 0;
	int rc = chain_check(d, 0, rows_checked, first_bad_id);
	if (rc != DB_OK)
		return rc;
	int64_t first = first_log_id(d);
	if (first < 0)
		return DB_ERROR;
	/* In row order, so a rewritten chain is reported at the first sealed
	 * row whose hash changed. The chain is intact here: each row's stored
	 * hash is its recomputed one. */
	db_stmt *s = db_prepare(d, "SELECT s.log_id, s.log_hash, s.key_id, s.at, s.mac, l.hash "
	                           "FROM audit_seals s LEFT JOIN audit_log l ON l.id = s.log_id "
	                           "ORDER BY s.log_id, s.id");
	while ((rc = db_step(s)) == DB_ROW) {
		int64_t log_id = db_col_int(s, 0);
		int m = seal_mac_ok(v, db_col_int(s, 2), log_id, db_col_text(s, 1),
		                    db_col_int(s, 3), db_col_text(s, 4));
		if (m < 0)
			continue; /* a key dropped by a rotation: cannot be checked */
		if (db_col_is_null(s, 5) && log_id < first)
			continue; /* its row was removed by a retention purge */
		if (m == 0 || db_col_is_null(s, 5) ||
		    strcmp(db_col_text(s, 1), db_col_text(s, 5)) != 0) {
			*first_bad_id = log_id;
			rc = AUDIT_BROKEN;
			break;
		}
		(*seals_checked)++;
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int audit_seal_last(db *d, struct audit_seal_info *out)
{
	assert(d && out);
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT id, log_id, log_hash, key_id, at FROM audit_seals "
	                           "ORDER BY id DESC LIMIT 1");
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->seal_id = db_col_int(s, 0);
		out->log_id = db_col_int(s, 1);
		snprintf(out->log_hash, sizeof out->log_hash, "%s", db_col_text(s, 2));
		int64_t k = db_col_int(s, 3);
		out->key_id = k > 0 && k <= UINT32_MAX ? (uint32_t)k : 0;
		out->at = db_col_int(s, 4);
	}
	db_finalize(s);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int audit_seal_count(db *d, uint32_t key_id, int64_t *all, int64_t *other_keys)
{
	assert(d && all && other_keys);
	db_stmt *s = db_prepare(
	        d, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN key_id <> :key THEN 1 ELSE 0 END), 0) "
	           "FROM audit_seals");
	db_bind_int(s, "key", key_id);
	int rc = db_step(s);
	*all = rc == DB_ROW ? db_col_int(s, 0) : 0;
	*other_keys = rc == DB_ROW ? db_col_int(s, 1) : 0;
	db_finalize(s);
	return rc == DB_ROW ? DB_OK : rc;
}

int64_t audit_seal_rotation(db *d, const vault *v, int64_t now, const char *actor)
{
	assert(d && v && actor);
	int64_t rows, seals, bad, all, older;
	int rc = audit_verify_sealed(d, v, &rows, &seals, &bad);
	if (rc != DB_OK)
		return rc;
	uint32_t key_id = vault_active_id(v);
	rc = audit_seal_count(d, key_id, &all, &older);
	if (rc != DB_OK)
		return rc;
	char object_id[24], detail[AUDIT_DETAIL_MAX + 1];
	snprintf(object_id, sizeof object_id, "%lld", (long long)all);
	snprintf(detail, sizeof detail,
	         "key rotation to key %u: %lld of %lld seals were made with older keys and "
	         "verified now; they cannot be checked once those keys are dropped; the seal "
	         "after this entry covers them",
	         (unsigned)key_id, (long long)older, (long long)all);
	struct audit_entry e = {.at = now,
	                        .actor = actor,
	                        .action = "seal",
	                        .object_type = "audit_log",
	                        .object_id = object_id,
	                        .origin = "cli",
	                        .detail = detail};
	rc = audit_append(d, &e);
	if (rc != DB_OK)
		return rc;
	return audit_seal(d, v, now);
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
