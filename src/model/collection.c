/* collection.c: collections: their links and codes, whether they take stories, creating and listing them. */
#include "model/collection.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"
#include "model/script_store.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* No 0/O, 1/I/L: a code read aloud or from paper is typed right. */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

int collection_token_valid(const char *s)
{
	if (!s || strlen(s) != COLLECTION_TOKEN_LEN)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

int collection_code_normalise(const char *in, char out[COLLECTION_CODE_LEN + 1])
{
	int n = 0;
	for (const char *p = in; p && *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		char c = (char)toupper((unsigned char)*p);
		if (!strchr(code_alphabet, c) || n >= COLLECTION_CODE_LEN)
			return -1;
		out[n++] = c;
	}
	out[n] = 0;
	return n == COLLECTION_CODE_LEN ? 0 : -1;
}

void collection_new_code(char out[COLLECTION_CODE_LEN + 1])
{
	/* One call for the randomness (each call is a system call, and every
	 * story's receipt is made here); bytes past the largest multiple of
	 * the alphabet's size are skipped, so every character is as likely. */
	const unsigned k = sizeof code_alphabet - 1, limit = 256 / k * k;
	int n = 0;
	while (n < COLLECTION_CODE_LEN) {
		unsigned char r[32];
		randombytes_buf(r, sizeof r);
		for (size_t i = 0; i < sizeof r && n < COLLECTION_CODE_LEN; i++)
			if (r[i] < limit)
				out[n++] = code_alphabet[r[i] % k];
	}
	out[COLLECTION_CODE_LEN] = 0;
}

static void fill(db_stmt *s, struct collection *c)
{
	memset(c, 0, sizeof *c);
	c->id = db_col_int(s, 0);
	c->org_id = db_col_int(s, 1);
	snprintf(c->token, sizeof c->token, "%s", db_col_text(s, 2));
	snprintf(c->short_code, sizeof c->short_code, "%s", db_col_text(s, 3));
	snprintf(c->title, sizeof c->title, "%s", db_col_text(s, 4));
	c->script_id = db_col_int(s, 5);
	c->script_version = (int)db_col_int(s, 6);
	int st = script_status_parse(db_col_text(s, 7));
	c->script_status = st < 0 ? SCRIPT_RETIRED : st;
	c->starts_at = db_col_int(s, 8);
	c->ends_at = db_col_int(s, 9);
	c->retention_days = (int)db_col_int(s, 10);
	c->closed = (int)db_col_int(s, 11);
	c->trajectory_id = db_col_int(s, 12);
}

#define COLLECTION_SELECT                                                                          \
	"SELECT c.id, c.org_id, c.token, c.short_code, c.title, c.script_id, c.script_version, "   \
	"v.status, coalesce(c.starts_at, 0), coalesce(c.ends_at, 0), c.retention_days, c.closed, " \
	"coalesce(c.trajectory_id, 0) "                                                            \
	"FROM collections c JOIN script_versions v ON v.script_id = c.script_id AND "              \
	"v.version = c.script_version "

static int one(db_stmt *s, struct collection *out)
{
	int rc = db_step(s);
	if (rc == DB_ROW)
		fill(s, out);
	db_finalize(s);
	return rc;
}

int collection_by_token(db *d, const char *token, struct collection *out)
{
	if (!collection_token_valid(token))
		return DB_DONE;
	db_stmt *s = db_prepare(d, COLLECTION_SELECT "WHERE c.token = :t");
	db_bind_text(s, "t", token);
	return one(s, out);
}

int collection_by_code(db *d, const char *code, struct collection *out)
{
	char norm[COLLECTION_CODE_LEN + 1];
	if (collection_code_normalise(code, norm) != 0)
		return DB_DONE;
	db_stmt *s = db_prepare(d, COLLECTION_SELECT "WHERE c.short_code = :c");
	db_bind_text(s, "c", norm);
	return one(s, out);
}

int collection_by_id(db *d, int64_t org_id, int64_t id, struct collection *out)
{
	db_stmt *s = db_prepare(d, COLLECTION_SELECT "WHERE c.id = :id AND c.org_id = :org");
	db_bind_int(s, "id", id);
	db_bind_int(s, "org", org_id);
	return one(s, out);
}

int collection_accepts(const struct collection *c, int64_t now)
{
	if (c->closed)
		return 0;
	if (c->script_status != SCRIPT_PILOT && c->script_status != SCRIPT_PUBLISHED)
		return 0;
	if (c->starts_at && now < c->starts_at)
		return 0;
	if (c->ends_at && now >= c->ends_at)
		return 0;
	return 1;
}

const char *collection_check(const struct collection_new *c)
{
	if (!util_text_ok(c->title, COLLECTION_TITLE_MAX) || strpbrk(c->title, "\r\n\t"))
		return N_("Give the collection a title of at most 200 characters on one line.");
	if (!util_text_ok(c->purpose, COLLECTION_PURPOSE_MAX))
		return N_("Describe the purpose: why these stories are collected (at most 2000 "
		          "characters).");
	if (c->retention_days < 1 || c->retention_days > 36500)
		return N_("The retention period is 1 to 36500 days.");
	if (c->starts_at && c->ends_at && c->ends_at <= c->starts_at)
		return N_("The end of the period must come after its start.");
	return NULL;
}

int collection_create_write(db *d, void *ctx)
{
	struct collection_new *c = ctx;
	c->result = COLLECTION_OK;
	c->id = 0;
	struct script_version v;
	int rc = script_version_get(d, c->org_id, c->script_id, c->script_version, &v);
	if (rc == DB_DONE) {
		c->result = COLLECTION_NO_SCRIPT;
		return 0;
	}
	if (rc != DB_OK)
		return rc;
	int ready = v.status == SCRIPT_PILOT || v.status == SCRIPT_PUBLISHED;
	c->script_version = v.version;
	script_version_free(&v);
	if (!ready) {
		c->result = COLLECTION_NOT_READY;
		return 0;
	}
	if (c->trajectory_id) {
		db_stmt *s = db_prepare(d, "SELECT 1 FROM trajectories WHERE id = :id AND "
		                           "org_id = :org");
		db_bind_int(s, "id", c->trajectory_id);
		db_bind_int(s, "org", c->org_id);
		rc = db_step(s);
		db_finalize(s);
		if (rc == DB_DONE) {
			c->result = COLLECTION_NO_TRAJECTORY;
			return 0;
		}
		if (rc != DB_ROW)
			return rc;
	}
	/* A code already taken (1 in 852 billion per pair) is drawn again. */
	for (int attempt = 0; attempt < 5; attempt++) {
		util_random_hex(c->token, COLLECTION_TOKEN_LEN / 2);
		collection_new_code(c->short_code);
		db_stmt *s = db_prepare(
		        d,
		        "INSERT INTO collections (org_id, token, short_code, title, purpose, "
		        "script_id, script_version, starts_at, ends_at, retention_days, "
		        "created_at, "
		        "created_by, trajectory_id) VALUES (:org, :token, :code, :title, :purpose, "
		        ":sid, :v, :starts, :ends, :days, :now, :user, :traj) "
		        "ON CONFLICT DO NOTHING RETURNING id");
		db_bind_int(s, "org", c->org_id);
		db_bind_text(s, "token", c->token);
		db_bind_text(s, "code", c->short_code);
		db_bind_text(s, "title", c->title);
		db_bind_text(s, "purpose", c->purpose);
		db_bind_int(s, "sid", c->script_id);
		db_bind_int(s, "v", c->script_version);
		if (c->starts_at)
			db_bind_int(s, "starts", c->starts_at);
		else
			db_bind_null(s, "starts");
		if (c->ends_at)
			db_bind_int(s, "ends", c->ends_at);
		else
			db_bind_null(s, "ends");
		db_bind_int(s, "days", c->retention_days);
		db_bind_int(s, "now", clock_now());
		if (c->trajectory_id)
			db_bind_int(s, "traj", c->trajectory_id);
		else
			db_bind_null(s, "traj");
		if (c->user_id)
			db_bind_int(s, "user", c->user_id);
		else
			db_bind_null(s, "user");
		rc = db_step(s);
		if (rc == DB_ROW)
			c->id = db_col_int(s, 0);
		db_finalize(s);
		if (rc == DB_ROW)
			return DB_OK;
		if (rc != DB_DONE)
			return rc;
	}
	return DB_CONSTRAINT;
}

int collection_close_write(db *d, void *ctx)
{
	struct collection_close *c = ctx;
	c->result = COLLECTION_OK;
	db_stmt *s = db_prepare(d, "UPDATE collections SET closed = 1 WHERE id = :id AND "
	                           "org_id = :org RETURNING id");
	db_bind_int(s, "id", c->id);
	db_bind_int(s, "org", c->org_id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc == DB_DONE)
		c->result = COLLECTION_NO_SCRIPT;
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int collection_shows_upload(db *d, const char *upload_token)
{
	/* The canonical writer (script_emit) writes a pin's image exactly as
	 * "image": "TOKEN", so a text match finds the versions that show it. */
	db_stmt *s = db_prepare(
	        d,
	        "SELECT 1 FROM collections c JOIN script_versions v ON v.script_id = c.script_id "
	        "AND v.version = c.script_version WHERE c.closed = 0 AND v.status IN ('pilot', "
	        "'published') AND v.body LIKE '%\"image\": \"' || :t || '\"%' LIMIT 1");
	db_bind_text(s, "t", upload_token);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

int collection_list_json(db *d, int64_t org_id, int64_t viewer, buf *out)
{
	db_stmt *s = db_prepare(
	        d,
	        "SELECT c.id, c.token, c.short_code, c.title, c.purpose, c.script_id, "
	        "c.script_version, v.status, coalesce(c.starts_at, 0), coalesce(c.ends_at, 0), "
	        "c.retention_days, c.closed, (SELECT COUNT(*) FROM stories st "
	        "WHERE st.collection_id = c.id), coalesce(c.trajectory_id, 0) FROM collections c "
	        "JOIN script_versions v ON v.script_id = c.script_id AND "
	        "v.version = c.script_version WHERE c.org_id = :org AND "
	        "(c.trajectory_id IS NULL OR :viewer = 0 OR EXISTS (SELECT 1 FROM "
	        "trajectory_staff ts WHERE ts.trajectory_id = c.trajectory_id AND "
	        "ts.user_id = :viewer)) ORDER BY c.created_at DESC, c.id DESC");
	db_bind_int(s, "org", org_id);
	db_bind_int(s, "viewer", viewer);
	int rc, first = 1;
	buf_putc(out, '[');
	while ((rc = db_step(s)) == DB_ROW) {
		if (!first)
			buf_putc(out, ',');
		first = 0;
		buf_printf(out, "{\"id\":%lld,\"token\":", (long long)db_col_int(s, 0));
		buf_json_str(out, db_col_text(s, 1));
		buf_puts(out, ",\"short_code\":");
		buf_json_str(out, db_col_text(s, 2));
		buf_puts(out, ",\"title\":");
		buf_json_str(out, db_col_text(s, 3));
		buf_puts(out, ",\"purpose\":");
		buf_json_str(out, db_col_text(s, 4));
		buf_printf(out, ",\"script\":{\"id\":%lld,\"version\":%lld,\"status\":",
		           (long long)db_col_int(s, 5), (long long)db_col_int(s, 6));
		buf_json_str(out, db_col_text(s, 7));
		buf_printf(out,
		           "},\"starts_at\":%lld,\"ends_at\":%lld,\"retention_days\":%lld,"
		           "\"closed\":%s,\"stories\":%lld,\"trajectory_id\":",
		           (long long)db_col_int(s, 8), (long long)db_col_int(s, 9),
		           (long long)db_col_int(s, 10), db_col_int(s, 11) ? "true" : "false",
		           (long long)db_col_int(s, 12));
		if (db_col_int(s, 13))
			buf_printf(out, "%lld}", (long long)db_col_int(s, 13));
		else
			buf_puts(out, "null}");
	}
	buf_putc(out, ']');
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}
