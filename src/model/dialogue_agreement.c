/* dialogue_agreement.c: the agreements (afspraken) of a trajectory's dialogue tables: one numbered list, saved in versions that never overwrite each other, the source tables of each agreement, a line diff between versions, and the council's decision. */
#include "model/dialogue_agreement.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

const char *const agreement_statuses[5] = {"draft", "presented", "adopted", "adopted_changed",
                                           "rejected"};

const char *agreement_save_check(const struct agreement_save *s)
{
	assert(s);
	if (s->n == 0)
		return N_("Write at least one agreement.");
	if (s->n > AGREEMENTS_MAX)
		return N_("A set has at most 50 agreements.");
	if (s->base < 0)
		return N_("The version this change is based on is missing.");
	for (size_t i = 0; i < s->n; i++) {
		if (util_blank(s->text[i]) || !util_text_ok(s->text[i], AGREEMENT_TEXT_MAX) ||
		    strpbrk(s->text[i], "\r\n"))
			return N_("Each agreement is one line of at most 1000 characters.");
		if (s->nsources[i] < 0 || s->nsources[i] > AGREEMENT_SOURCES_MAX)
			return N_("An agreement has at most 24 source tables.");
	}
	return NULL;
}

const char *agreement_status_check(const struct agreement_status_set *s)
{
	assert(s);
	int known = 0;
	for (int i = 0; i < 5; i++)
		known |= s->status && strcmp(s->status, agreement_statuses[i]) == 0;
	if (!known)
		return N_("Choose a status.");
	if (s->decision && *s->decision && !util_text_ok(s->decision, AGREEMENT_DECISION_MAX))
		return N_("The decision may have at most 8000 characters.");
	if ((strcmp(s->status, "adopted_changed") == 0 || strcmp(s->status, "rejected") == 0) &&
	    util_blank(s->decision))
		return N_(
		        "Write the council's decision: what was changed, or why it was rejected.");
	return NULL;
}

static int newest(db *d, int64_t trajectory_id, int *version)
{
	db_stmt *s = db_prepare(d, "SELECT coalesce(max(version), 0) FROM "
	                           "dialogue_agreement_versions WHERE trajectory_id = :t");
	db_bind_int(s, "t", trajectory_id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		*version = (int)db_col_int(s, 0);
	db_finalize(s);
	return rc == DB_ROW ? DB_OK : rc;
}

int agreement_save_write(db *d, void *ctx)
{
	struct agreement_save *a = ctx;
	assert(agreement_save_check(a) == NULL);
	a->result = AGREEMENT_OK;
	int rc = newest(d, a->trajectory_id, &a->version);
	if (rc != DB_OK)
		return rc;
	if (a->base != a->version) {
		a->result = AGREEMENT_CONFLICT;
		return DB_OK;
	}
	/* every source a table of this trajectory */
	for (size_t i = 0; i < a->n; i++)
		for (int k = 0; k < a->nsources[i]; k++) {
			db_stmt *s =
			        db_prepare(d, "SELECT 1 FROM dialogue_tables t JOIN "
			                      "dialogue_sessions s ON s.id = t.session_id WHERE "
			                      "t.id = :id AND s.trajectory_id = :tr");
			db_bind_int(s, "id", a->sources[i][k]);
			db_bind_int(s, "tr", a->trajectory_id);
			rc = db_step(s);
			db_finalize(s);
			if (rc == DB_DONE) {
				a->result = AGREEMENT_BAD_TABLE;
				return DB_OK;
			}
			if (rc != DB_ROW)
				return rc;
		}
	buf body;
	buf_init(&body);
	json_t *sources = json_array();
	for (size_t i = 0; i < a->n; i++) {
		if (i)
			buf_putc(&body, '\n');
		buf_puts(&body, a->text[i]);
		json_t *one = json_array();
		for (int k = 0; k < a->nsources[i]; k++)
			json_array_append_new(one, json_integer(a->sources[i][k]));
		json_array_append_new(sources, one);
	}
	char *src = json_dumps(sources, JSON_COMPACT);
	json_decref(sources);
	if (!src)
		abort();
	db_stmt *s = db_prepare(d, "INSERT INTO dialogue_agreement_versions (trajectory_id, "
	                           "version, body, sources, created_at, created_by) VALUES (:t, "
	                           ":v, :body, :src, :now, :by)");
	db_bind_int(s, "t", a->trajectory_id);
	db_bind_int(s, "v", a->base + 1);
	db_bind_text(s, "body", body.data ? body.data : "");
	db_bind_text(s, "src", src);
	db_bind_int(s, "now", clock_now());
	if (a->user_id > 0)
		db_bind_int(s, "by", a->user_id);
	else
		db_bind_null(s, "by");
	rc = db_step(s);
	db_finalize(s);
	free(src);
	buf_free(&body);
	if (rc == DB_CONSTRAINT) { /* the same version saved at once: the other was first */
		a->result = AGREEMENT_CONFLICT;
		return newest(d, a->trajectory_id, &a->version);
	}
	if (rc != DB_DONE)
		return rc;
	a->version = a->base + 1;
	return DB_OK;
}

int agreement_status_write(db *d, void *ctx)
{
	struct agreement_status_set *a = ctx;
	assert(agreement_status_check(a) == NULL);
	a->result = AGREEMENT_OK;
	int v = 0;
	int rc = newest(d, a->trajectory_id, &v);
	if (rc != DB_OK)
		return rc;
	if (v == 0) {
		a->result = AGREEMENT_NO_SET;
		return DB_OK;
	}
	db_stmt *s = db_prepare(
	        d, "INSERT INTO dialogue_agreement_status (trajectory_id, status, decision, "
	           "updated_at, updated_by) VALUES (:t, :st, :dec, :now, :by) ON CONFLICT "
	           "(trajectory_id) DO UPDATE SET status = excluded.status, decision = "
	           "excluded.decision, updated_at = excluded.updated_at, updated_by = "
	           "excluded.updated_by");
	db_bind_int(s, "t", a->trajectory_id);
	db_bind_text(s, "st", a->status);
	db_bind_text(s, "dec", a->decision ? a->decision : "");
	db_bind_int(s, "now", clock_now());
	if (a->user_id > 0)
		db_bind_int(s, "by", a->user_id);
	else
		db_bind_null(s, "by");
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* The name and session number of a table of the trajectory, or NULL. */
static json_t *table_ref(db *d, int64_t trajectory_id, int64_t table_id)
{
	db_stmt *s = db_prepare(d, "SELECT t.name, s.number FROM dialogue_tables t JOIN "
	                           "dialogue_sessions s ON s.id = t.session_id WHERE t.id = :id "
	                           "AND s.trajectory_id = :tr");
	db_bind_int(s, "id", table_id);
	db_bind_int(s, "tr", trajectory_id);
	json_t *o = NULL;
	if (db_step(s) == DB_ROW)
		o = json_pack("{sI ss sI}", "id", (json_int_t)table_id, "name", db_col_text(s, 0),
		              "session_number", (json_int_t)db_col_int(s, 1));
	db_finalize(s);
	return o;
}

int agreement_get_json(db *d, int64_t trajectory_id, int version, json_t **out)
{
	*out = NULL;
	int latest = 0;
	int rc = newest(d, trajectory_id, &latest);
	if (rc != DB_OK)
		return rc;
	if (version <= 0)
		version = latest;
	db_stmt *s = db_prepare(d, "SELECT body, sources FROM dialogue_agreement_versions WHERE "
	                           "trajectory_id = :t AND version = :v");
	db_bind_int(s, "t", trajectory_id);
	db_bind_int(s, "v", version);
	rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc;
	}
	json_t *o = json_pack("{si si ss ss s[] s[] ss}", "version", version, "latest", latest,
	                      "status", "draft", "decision", "", "agreements", "versions", "body",
	                      db_col_text(s, 0));
	json_t *sources = json_loads(db_col_text(s, 1), 0, NULL);
	db_finalize(s);
	json_t *list = json_object_get(o, "agreements");
	const char *p = json_string_value(json_object_get(o, "body"));
	for (int n = 1; p && *p; n++) {
		size_t len = strcspn(p, "\n");
		json_t *a = json_pack("{si s s# s[]}", "number", n, "text", p, (int)len, "sources");
		json_t *ids = json_array_get(sources, (size_t)n - 1);
		size_t i;
		json_t *id;
		json_array_foreach(ids, i, id)
		{
			json_t *ref = table_ref(d, trajectory_id, (int64_t)json_integer_value(id));
			if (ref)
				json_array_append_new(json_object_get(a, "sources"), ref);
		}
		json_array_append_new(list, a);
		p += len;
		if (*p == '\n')
			p++;
	}
	json_decref(sources);
	s = db_prepare(d, "SELECT status, decision FROM dialogue_agreement_status WHERE "
	                  "trajectory_id = :t");
	db_bind_int(s, "t", trajectory_id);
	if ((rc = db_step(s)) == DB_ROW) {
		json_object_set_new(o, "status", json_string(db_col_text(s, 0)));
		json_object_set_new(o, "decision", json_string(db_col_text(s, 1)));
	}
	db_finalize(s);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	s = db_prepare(d, "SELECT v.version, v.created_at, coalesce(u.display_name, '') FROM "
	                  "dialogue_agreement_versions v LEFT JOIN users u ON u.id = v.created_by "
	                  "WHERE v.trajectory_id = :t ORDER BY v.version DESC");
	db_bind_int(s, "t", trajectory_id);
	while ((rc = db_step(s)) == DB_ROW)
		json_array_append_new(json_object_get(o, "versions"),
		                      json_pack("{sI sI ss}", "version",
		                                (json_int_t)db_col_int(s, 0), "created_at",
		                                (json_int_t)db_col_int(s, 1), "author",
		                                db_col_text(s, 2)));
	db_finalize(s);
	if (rc != DB_DONE) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return DB_ROW;
}

int agreement_proposals_json(db *d, int64_t trajectory_id, json_t **out)
{
	*out = json_array();
	db_stmt *s =
	        db_prepare(d, "SELECT t.id, t.name, s.number, n.body, n.created_at FROM "
	                      "dialogue_notes n JOIN dialogue_tables t ON t.id = n.table_id "
	                      "JOIN dialogue_sessions s ON s.id = t.session_id WHERE "
	                      "s.trajectory_id = :t AND n.kind = 'proposal' ORDER BY s.number, "
	                      "t.position, n.id");
	db_bind_int(s, "t", trajectory_id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		json_array_append_new(*out, json_pack("{sI ss sI ss sI}", "table_id",
		                                      (json_int_t)db_col_int(s, 0), "table",
		                                      db_col_text(s, 1), "session_number",
		                                      (json_int_t)db_col_int(s, 2), "body",
		                                      db_col_text(s, 3), "created_at",
		                                      (json_int_t)db_col_int(s, 4)));
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* The lines of text (pointers into it, lengths), at most cap. */
static size_t split_lines(const char *text, const char **line, size_t *len, size_t cap)
{
	size_t n = 0;
	const char *p = text ? text : "";
	while (*p && n < cap) {
		size_t l = strcspn(p, "\n");
		line[n] = p;
		len[n] = l && p[l - 1] == '\r' ? l - 1 : l;
		n++;
		p += l;
		if (*p == '\n')
			p++;
	}
	return n;
}

static int same_line(const char *a, size_t al, const char *b, size_t bl)
{
	return al == bl && memcmp(a, b, al) == 0;
}

json_t *agreement_diff(const char *old_text, const char *new_text)
{
	enum { LINES = 2000 };
	const char **a = malloc(LINES * sizeof *a), **b = malloc(LINES * sizeof *b);
	size_t *al = malloc(LINES * sizeof *al), *bl = malloc(LINES * sizeof *bl);
	if (!a || !b || !al || !bl)
		abort();
	size_t n = split_lines(old_text, a, al, LINES), m = split_lines(new_text, b, bl, LINES);
	/* lcs[i][j]: the longest common subsequence of a[i..] and b[j..] */
	size_t w = m + 1;
	unsigned *lcs = calloc((n + 1) * w, sizeof *lcs);
	if (!lcs)
		abort();
	for (size_t i = n; i-- > 0;)
		for (size_t j = m; j-- > 0;)
			lcs[i * w + j] =
			        same_line(a[i], al[i], b[j], bl[j]) ? lcs[(i + 1) * w + j + 1] + 1
			        : lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] ? lcs[(i + 1) * w + j]
			                                                     : lcs[i * w + j + 1];
	json_t *out = json_array();
	size_t i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && same_line(a[i], al[i], b[j], bl[j])) {
			json_array_append_new(
			        out, json_pack("{ss ss#}", "op", "same", "text", a[i], (int)al[i]));
			i++, j++;
		} else if (i < n && (j == m || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
			json_array_append_new(
			        out, json_pack("{ss ss#}", "op", "del", "text", a[i], (int)al[i]));
			i++;
		} else {
			json_array_append_new(
			        out, json_pack("{ss ss#}", "op", "add", "text", b[j], (int)bl[j]));
			j++;
		}
	}
	free(lcs);
	free(a);
	free(b);
	free(al);
	free(bl);
	return out;
}
