/* script_store.c: scripts and their versions in the database: save, copy, status, read. */
#include "model/script_store.h"

#include "core/clock.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {"draft", "pilot", "published", "retired"};

const char *script_status_name(enum script_status s)
{
	assert(s >= SCRIPT_DRAFT && s <= SCRIPT_RETIRED);
	return status_names[s];
}

int script_status_parse(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (name && strcmp(status_names[i], name) == 0)
			return i;
	return -1;
}

void script_version_free(struct script_version *v)
{
	free(v->title);
	free(v->body);
	v->title = v->body = NULL;
}

static char *dup_or_die(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();
	return d;
}

int script_version_get(db *d, int64_t org_id, int64_t script_id, int version,
                       struct script_version *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(
	        d, "SELECT v.script_id, v.version, v.status, s.key, v.title, v.body, "
	           "v.lint_errors, v.lint_warnings, v.created_at, v.updated_at, "
	           "(SELECT max(version) FROM script_versions WHERE script_id = v.script_id) "
	           "FROM script_versions v JOIN scripts s ON s.id = v.script_id "
	           "WHERE s.org_id = :org AND v.script_id = :sid AND (v.version = :v OR "
	           "(:v = 0 AND v.version = (SELECT max(version) FROM script_versions "
	           "WHERE script_id = :sid)))");
	db_bind_int(s, "org", org_id);
	db_bind_int(s, "sid", script_id);
	db_bind_int(s, "v", version);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->script_id = db_col_int(s, 0);
		out->version = (int)db_col_int(s, 1);
		int st = script_status_parse(db_col_text(s, 2));
		out->status = st < 0 ? SCRIPT_DRAFT : (enum script_status)st;
		snprintf(out->key, sizeof out->key, "%s", db_col_text(s, 3));
		out->title = dup_or_die(db_col_text(s, 4));
		out->body = dup_or_die(db_col_text(s, 5));
		out->lint_errors = (int)db_col_int(s, 6);
		out->lint_warnings = (int)db_col_int(s, 7);
		out->created_at = db_col_int(s, 8);
		out->updated_at = db_col_int(s, 9);
		out->latest = db_col_int(s, 10) == out->version;
		rc = DB_OK;
	} else if (rc == DB_DONE) {
		rc = DB_DONE;
	}
	db_finalize(s);
	return rc;
}

struct script *script_load(db *d, int64_t org_id, int64_t script_id, int version, char *err,
                           size_t errlen)
{
	struct script_version v;
	int rc = script_version_get(d, org_id, script_id, version, &v);
	if (rc != DB_OK) {
		snprintf(err, errlen, "%s",
		         rc == DB_DONE ? "no such script version" : db_errmsg(d));
		return NULL;
	}
	struct script *s = script_parse_text(v.body, strlen(v.body), err, errlen);
	script_version_free(&v);
	return s;
}

/* Appends {"version", "status", ...} objects of script_id to out. */
static int versions_json(db *d, int64_t script_id, buf *out)
{
	db_stmt *s = db_prepare(d, "SELECT version, status, lint_errors, lint_warnings, "
	                           "updated_at, title FROM script_versions "
	                           "WHERE script_id = :sid ORDER BY version DESC");
	db_bind_int(s, "sid", script_id);
	int rc, first = 1;
	buf_putc(out, '[');
	while ((rc = db_step(s)) == DB_ROW) {
		if (!first)
			buf_putc(out, ',');
		first = 0;
		buf_printf(out, "{\"version\":%lld,\"status\":", (long long)db_col_int(s, 0));
		buf_json_str(out, db_col_text(s, 1));
		buf_printf(out, ",\"lint_errors\":%lld,\"lint_warnings\":%lld,\"updated_at\":%lld",
		           (long long)db_col_int(s, 2), (long long)db_col_int(s, 3),
		           (long long)db_col_int(s, 4));
		buf_puts(out, ",\"title\":");
		buf_json_str(out, db_col_text(s, 5));
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int script_list_json(db *d, int64_t org_id, buf *out)
{
	int64_t *ids = NULL;
	size_t n = 0;
	db_stmt *s = db_prepare(d, "SELECT id FROM scripts WHERE org_id = :org "
	                           "ORDER BY created_at DESC, id DESC");
	db_bind_int(s, "org", org_id);
	int rc = db_collect_ids(s, &ids, &n);
	db_finalize(s);
	if (rc != DB_DONE) {
		free(ids);
		return rc;
	}
	rc = DB_OK;
	buf_putc(out, '[');
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		db_stmt *q = db_prepare(
		        d,
		        "SELECT s.key, v.title FROM scripts s JOIN script_versions v "
		        "ON v.script_id = s.id WHERE s.id = :id ORDER BY v.version DESC LIMIT 1");
		db_bind_int(q, "id", ids[i]);
		int r = db_step(q);
		if (i)
			buf_putc(out, ',');
		buf_printf(out, "{\"id\":%lld,\"key\":", (long long)ids[i]);
		buf_json_str(out, r == DB_ROW ? db_col_text(q, 0) : "");
		buf_puts(out, ",\"title\":");
		buf_json_str(out, r == DB_ROW ? db_col_text(q, 1) : "");
		db_finalize(q);
		if (r != DB_ROW && r != DB_DONE) {
			rc = r;
			break;
		}
		buf_puts(out, ",\"versions\":");
		rc = versions_json(d, ids[i], out);
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
	free(ids);
	return rc;
}

int script_versions_json(db *d, int64_t org_id, int64_t script_id, buf *out)
{
	db_stmt *s = db_prepare(d, "SELECT 1 FROM scripts WHERE id = :id AND org_id = :org");
	db_bind_int(s, "id", script_id);
	db_bind_int(s, "org", org_id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc == DB_DONE)
		return DB_DONE;
	if (rc != DB_ROW)
		return rc;
	return versions_json(d, script_id, out);
}

/* ---- writes --------------------------------------------------------------- */

/* The body, title and lint counts of a parsed script. body is malloc'ed. */
struct prepared {
	char *body;
	const char *title;
	int errors, warnings;
};

static void prepare(const struct script *sc, struct prepared *p)
{
	buf b;
	buf_init(&b);
	script_emit(sc, &b);
	p->body = buf_detach(&b, NULL);
	p->title = ltext_get(&sc->title, "nl");
	struct lint_result lr;
	script_lint(sc, &lr);
	p->errors = lr.errors;
	p->warnings = lr.warnings;
	lint_result_free(&lr);
}

static int insert_version(db *d, int64_t script_id, int version, int64_t user_id,
                          const struct prepared *p)
{
	db_stmt *s = db_prepare(
	        d, "INSERT INTO script_versions (script_id, version, status, title, body, "
	           "lint_errors, lint_warnings, created_at, created_by, updated_at) VALUES "
	           "(:sid, :v, 'draft', :title, :body, :e, :w, :now, :user, :now)");
	db_bind_int(s, "sid", script_id);
	db_bind_int(s, "v", version);
	db_bind_text(s, "title", p->title);
	db_bind_text(s, "body", p->body);
	db_bind_int(s, "e", p->errors);
	db_bind_int(s, "w", p->warnings);
	db_bind_int(s, "now", clock_now());
	if (user_id)
		db_bind_int(s, "user", user_id);
	else
		db_bind_null(s, "user");
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

static int replace_body(db *d, int64_t script_id, int version, const struct prepared *p)
{
	db_stmt *s = db_prepare(d, "UPDATE script_versions SET title = :title, body = :body, "
	                           "lint_errors = :e, lint_warnings = :w, updated_at = :now "
	                           "WHERE script_id = :sid AND version = :v AND status = 'draft'");
	db_bind_text(s, "title", p->title);
	db_bind_text(s, "body", p->body);
	db_bind_int(s, "e", p->errors);
	db_bind_int(s, "w", p->warnings);
	db_bind_int(s, "now", clock_now());
	db_bind_int(s, "sid", script_id);
	db_bind_int(s, "v", version);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* The highest version and the draft's number (0 when none). */
static int version_info(db *d, int64_t script_id, int *max_version, int *draft)
{
	db_stmt *s = db_prepare(d, "SELECT coalesce(max(version), 0), "
	                           "coalesce(max(CASE WHEN status = 'draft' THEN version END), 0) "
	                           "FROM script_versions WHERE script_id = :sid");
	db_bind_int(s, "sid", script_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*max_version = (int)db_col_int(s, 0);
		*draft = (int)db_col_int(s, 1);
		rc = DB_OK;
	}
	db_finalize(s);
	return rc;
}

int script_save_write(db *d, void *ctx)
{
	struct script_save_job *j = ctx;
	assert(j->script);
	j->result = SCRIPT_OK;
	j->script_id = 0;
	j->version = 0;
	j->detail[0] = 0;
	db_stmt *s = db_prepare(d, "SELECT id FROM scripts WHERE org_id = :org AND key = :key");
	db_bind_int(s, "org", j->org_id);
	db_bind_text(s, "key", j->script->key);
	int rc = db_step(s);
	int64_t sid = rc == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc;
	if (j->only_script_id && sid != j->only_script_id) {
		j->result = SCRIPT_KEY_CHANGED;
		return 0;
	}
	struct prepared p;
	prepare(j->script, &p);
	if (!sid) {
		s = db_prepare(d, "INSERT INTO scripts (org_id, key, created_at, created_by) "
		                  "VALUES (:org, :key, :now, :user) RETURNING id");
		db_bind_int(s, "org", j->org_id);
		db_bind_text(s, "key", j->script->key);
		db_bind_int(s, "now", clock_now());
		if (j->user_id)
			db_bind_int(s, "user", j->user_id);
		else
			db_bind_null(s, "user");
		rc = db_step(s);
		sid = rc == DB_ROW ? db_col_int(s, 0) : 0;
		db_finalize(s);
		if (rc != DB_ROW) {
			free(p.body);
			return rc;
		}
		rc = insert_version(d, sid, 1, j->user_id, &p);
		j->script_id = sid;
		j->version = 1;
		free(p.body);
		return rc;
	}
	int maxv, draft;
	rc = version_info(d, sid, &maxv, &draft);
	if (rc == DB_OK && draft && !j->replace_draft) {
		j->result = SCRIPT_HAS_DRAFT;
		j->script_id = sid;
		j->version = draft;
		snprintf(j->detail, sizeof j->detail, "%d", draft);
	} else if (rc == DB_OK && draft) {
		rc = replace_body(d, sid, draft, &p);
		j->script_id = sid;
		j->version = draft;
	} else if (rc == DB_OK) {
		rc = insert_version(d, sid, maxv + 1, j->user_id, &p);
		j->script_id = sid;
		j->version = maxv + 1;
	}
	free(p.body);
	return rc;
}

int script_update_write(db *d, void *ctx)
{
	struct script_update_job *j = ctx;
	j->result = SCRIPT_OK;
	j->detail[0] = 0;
	struct script_version v;
	int rc = script_version_get(d, j->org_id, j->script_id, j->version, &v);
	if (rc == DB_DONE) {
		j->result = SCRIPT_NOT_FOUND;
		return 0;
	}
	if (rc != DB_OK)
		return rc;
	if (v.status != SCRIPT_DRAFT)
		j->result = SCRIPT_NOT_DRAFT;
	else if (strcmp(v.key, j->script->key) != 0)
		j->result = SCRIPT_KEY_CHANGED;
	script_version_free(&v);
	if (j->result != SCRIPT_OK)
		return 0;
	struct prepared p;
	prepare(j->script, &p);
	rc = replace_body(d, j->script_id, j->version, &p);
	free(p.body);
	return rc;
}

int script_copy_write(db *d, void *ctx)
{
	struct script_copy_job *j = ctx;
	j->result = SCRIPT_OK;
	j->new_version = 0;
	struct script_version v;
	int rc = script_version_get(d, j->org_id, j->script_id, j->version, &v);
	if (rc == DB_DONE) {
		j->result = SCRIPT_NOT_FOUND;
		return 0;
	}
	if (rc != DB_OK)
		return rc;
	int maxv, draft;
	rc = version_info(d, j->script_id, &maxv, &draft);
	if (rc == DB_OK && draft) {
		j->result = SCRIPT_HAS_DRAFT;
		j->new_version = draft;
	} else if (rc == DB_OK) {
		struct prepared p = {.body = v.body,
		                     .title = v.title,
		                     .errors = v.lint_errors,
		                     .warnings = v.lint_warnings};
		rc = insert_version(d, j->script_id, maxv + 1, j->user_id, &p);
		j->new_version = maxv + 1;
	}
	script_version_free(&v);
	return rc;
}

/* Checks that every question keeps its meaning under its id (or says what
 * it continues) against earlier non-draft versions, and records the
 * questions of this version. */
static int record_questions(db *d, struct script_status_job *j, const struct script *sc)
{
	for (int i = 0; i < sc->nquestions; i++) {
		const struct question *q = sc->questions[i];
		char fp[65];
		question_fingerprint(q, fp);
		const char *identity = q->id;
		char ident_buf[SCRIPT_ID_MAX + 1] = "";
		db_stmt *s = db_prepare(d, "SELECT fingerprint, identity, version FROM "
		                           "script_questions WHERE script_id = :sid AND "
		                           "question_id = :q AND version < :v "
		                           "ORDER BY version DESC LIMIT 1");
		db_bind_int(s, "sid", j->script_id);
		db_bind_text(s, "q", q->continues_question ? q->continues_question : q->id);
		db_bind_int(s, "v", j->version);
		int rc = db_step(s);
		if (rc == DB_ROW) {
			int same = strcmp(db_col_text(s, 0), fp) == 0;
			snprintf(ident_buf, sizeof ident_buf, "%s", db_col_text(s, 1));
			if (!same && !q->continues_question) {
				j->result = SCRIPT_IDENTITY;
				snprintf(j->detail, sizeof j->detail, "%s (%lld)", q->id,
				         (long long)db_col_int(s, 2));
			}
			identity = ident_buf;
		} else if (rc == DB_DONE && q->continues_question) {
			j->result = SCRIPT_IDENTITY;
			snprintf(j->detail, sizeof j->detail, "%s -> %s", q->id,
			         q->continues_question);
		}
		db_finalize(s);
		if (rc != DB_ROW && rc != DB_DONE)
			return rc;
		if (j->result != SCRIPT_OK)
			return 0;
		s = db_prepare(d, "INSERT INTO script_questions (script_id, version, question_id, "
		                  "type, identity, fingerprint) VALUES (:sid, :v, :q, :type, "
		                  ":ident, :fp) ON CONFLICT (script_id, version, question_id) "
		                  "DO NOTHING");
		db_bind_int(s, "sid", j->script_id);
		db_bind_int(s, "v", j->version);
		db_bind_text(s, "q", q->id);
		db_bind_text(s, "type", q_type_name(q->type));
		db_bind_text(s, "ident", identity);
		db_bind_text(s, "fp", fp);
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc;
	}
	return DB_OK;
}

int script_status_write(db *d, void *ctx)
{
	struct script_status_job *j = ctx;
	j->result = SCRIPT_OK;
	j->detail[0] = 0;
	struct script_version v;
	int rc = script_version_get(d, j->org_id, j->script_id, j->version, &v);
	if (rc == DB_DONE) {
		j->result = SCRIPT_NOT_FOUND;
		return 0;
	}
	if (rc != DB_OK)
		return rc;
	enum script_status from = v.status;
	int to = j->to;
	int allowed = (from == SCRIPT_DRAFT &&
	               (to == -1 || to == SCRIPT_PILOT || to == SCRIPT_PUBLISHED)) ||
	              (from == SCRIPT_PILOT && (to == SCRIPT_PUBLISHED || to == SCRIPT_RETIRED)) ||
	              (from == SCRIPT_PUBLISHED && to == SCRIPT_RETIRED);
	if (!allowed) {
		j->result = SCRIPT_BAD_STATUS;
		snprintf(j->detail, sizeof j->detail, "%s", script_status_name(from));
		script_version_free(&v);
		return 0;
	}
	/* A version an open collection uses is not retired under it: its link
	 * must keep working. Close the collection (or move it on) first. */
	if (to == SCRIPT_RETIRED) {
		db_stmt *s = db_prepare(d, "SELECT title FROM collections WHERE script_id = :sid "
		                           "AND script_version = :v AND closed = 0 AND "
		                           "(ends_at IS NULL OR ends_at > :now) LIMIT 1");
		db_bind_int(s, "sid", j->script_id);
		db_bind_int(s, "v", j->version);
		db_bind_int(s, "now", clock_now());
		rc = db_step(s);
		if (rc == DB_ROW) {
			j->result = SCRIPT_IN_USE;
			snprintf(j->detail, sizeof j->detail, "%s", db_col_text(s, 0));
		}
		db_finalize(s);
		if (rc != DB_ROW && rc != DB_DONE) {
			script_version_free(&v);
			return rc;
		}
		if (j->result != SCRIPT_OK) {
			script_version_free(&v);
			return 0;
		}
	}
	if (to == -1) {
		script_version_free(&v);
		db_stmt *s = db_prepare(d, "DELETE FROM script_versions WHERE script_id = :sid "
		                           "AND version = :v AND status = 'draft'");
		db_bind_int(s, "sid", j->script_id);
		db_bind_int(s, "v", j->version);
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc;
		/* A script left without versions goes too. */
		s = db_prepare(d, "DELETE FROM scripts WHERE id = :sid AND NOT EXISTS "
		                  "(SELECT 1 FROM script_versions WHERE script_id = :sid)");
		db_bind_int(s, "sid", j->script_id);
		rc = db_step(s);
		db_finalize(s);
		return rc == DB_DONE ? DB_OK : rc;
	}
	if (from == SCRIPT_DRAFT) {
		char err[256];
		struct script *sc = script_parse_text(v.body, strlen(v.body), err, sizeof err);
		if (!sc) {
			/* A stored body always parsed when it was stored. */
			script_version_free(&v);
			return DB_ERROR;
		}
		struct lint_result lr;
		script_lint(sc, &lr);
		if (lr.errors) {
			j->result = SCRIPT_LINT_FAILED;
			snprintf(j->detail, sizeof j->detail, "%d", lr.errors);
		}
		lint_result_free(&lr);
		if (j->result == SCRIPT_OK)
			rc = record_questions(d, j, sc);
		script_free(sc);
		if (rc != DB_OK || j->result != SCRIPT_OK) {
			script_version_free(&v);
			return rc;
		}
	}
	script_version_free(&v);
	db_stmt *s;
	if (to == SCRIPT_PILOT)
		s = db_prepare(d, "UPDATE script_versions SET status = 'pilot', pilot_at = :now, "
		                  "updated_at = :now WHERE script_id = :sid AND version = :v");
	else if (to == SCRIPT_PUBLISHED)
		s = db_prepare(d, "UPDATE script_versions SET status = 'published', "
		                  "published_at = :now, updated_at = :now "
		                  "WHERE script_id = :sid AND version = :v");
	else
		s = db_prepare(d,
		               "UPDATE script_versions SET status = 'retired', retired_at = :now, "
		               "updated_at = :now WHERE script_id = :sid AND version = :v");
	db_bind_int(s, "now", clock_now());
	db_bind_int(s, "sid", j->script_id);
	db_bind_int(s, "v", j->version);
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}
