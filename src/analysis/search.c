/* search.c: full-text search over the stories: the query a person types, made safe for FTS5, and ranked hits with snippets. */
#include "analysis/search.h"

#include "analysis/tokenize.h"
#include "core/util.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int count_token(void *ctx, const char *tok, int len, int start, int end, int colocated)
{
	++*(int *)ctx;
	return 0;
}

int search_query_build(const char *q, buf *out, char *err, size_t errlen)
{
	assert(q && out && err);
	size_t len = strlen(q);
	if (len > SEARCH_MAX_QUERY) {
		snprintf(err, errlen, "the search text is too long: at most %d characters",
		         SEARCH_MAX_QUERY);
		return -1;
	}
	if (!util_utf8_clean(q, len)) {
		snprintf(err, errlen, "the search text is not valid text (UTF-8)");
		return -1;
	}
	struct tok *t = tok_new();
	if (!t)
		abort();
	int terms = 0, kept = 0;
	size_t start_len = out->len;
	const char *p = q;
	while (*p) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
			continue;
		}
		const char *a, *b;
		if (*p == '"') {
			a = p + 1;
			b = strchr(a, '"');
			if (!b) {
				tok_free(t);
				out->len = start_len;
				if (out->data)
					out->data[out->len] = 0;
				snprintf(err, errlen,
				         "a quote (\") is not closed: put a phrase between two "
				         "quotes");
				return -1;
			}
			p = b + 1;
		} else {
			a = p;
			while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' &&
			       *p != '"')
				p++;
			b = p;
		}
		terms++;
		int n = 0;
		tok_run(t, a, (size_t)(b - a), TOK_QUERY, count_token, &n);
		if (!n)
			continue;
		if (kept++)
			buf_puts(out, " AND ");
		buf_putc(out, '"');
		buf_append(out, a, (size_t)(b - a)); /* holds no '"' */
		buf_putc(out, '"');
	}
	tok_free(t);
	if (kept)
		return 0;
	snprintf(err, errlen,
	         terms ? "the search text has only common words (like \"de\", \"het\", "
	                 "\"een\"): add a word that says what you look for"
	               : "the search text is empty: type one or more words");
	return -1;
}

/* The collections as a JSON array for json_each. */
static void colls_json(buf *b, const int64_t *colls, int ncolls)
{
	buf_putc(b, '[');
	for (int i = 0; i < ncolls; i++) {
		if (i)
			buf_putc(b, ',');
		buf_put_int(b, colls[i]);
	}
	buf_putc(b, ']');
}

int search_run(db *d, const int64_t *colls, int ncolls, int pilot, const char *match, int limit,
               int (*hit)(void *ctx, int64_t story_id, double rank, const char *snippet), void *ctx)
{
	assert(d && match && hit && limit > 0);
	if (db_fts(d)) /* the driver's own (db.h, struct db_fts) */
		return db_fts(d)->search(d, match, colls, ncolls, pilot, limit, 0, 1, 0, hit, ctx);
	buf cj;
	buf_init(&cj);
	colls_json(&cj, colls, ncolls);
	db_stmt *s = db_prepare(d, "SELECT s.id, bm25(story_search), "
	                           "snippet(story_search, 0, char(2), char(3), '...', 24) "
	                           "FROM story_search JOIN stories s ON s.id = story_search.rowid "
	                           "WHERE story_search MATCH :q "
	                           "AND s.collection_id IN (SELECT value FROM json_each(:colls)) "
	                           "AND (:pilot OR s.pilot = 0) "
	                           "ORDER BY bm25(story_search), s.id LIMIT :limit");
	db_bind_text(s, "q", match);
	db_bind_text(s, "colls", cj.data);
	db_bind_int(s, "pilot", pilot ? 1 : 0);
	db_bind_int(s, "limit", limit);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		const char *snip = db_col_text(s, 2);
		int r = hit(ctx, db_col_int(s, 0), db_col_double(s, 1), snip ? snip : "");
		if (r) {
			rc = r;
			break;
		}
	}
	db_finalize(s);
	buf_free(&cj);
	return rc;
}

struct id_list {
	int64_t *ids;
	size_t n, cap;
};

static int collect_id(void *ctx, int64_t story_id, double rank, const char *snippet)
{
	struct id_list *l = ctx;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		int64_t *p = realloc(l->ids, l->cap * sizeof *p);
		if (!p)
			abort();
		l->ids = p;
	}
	l->ids[l->n++] = story_id;
	return 0;
}

int search_ids(db *d, const char *match, int64_t **ids, size_t *n)
{
	assert(d && match && ids && n);
	if (db_fts(d)) {
		struct id_list l = {NULL, 0, 0};
		int rc = db_fts(d)->search(d, match, NULL, 0, 1, 0, 1, 0, 0, collect_id, &l);
		*ids = l.ids;
		*n = l.n;
		return rc;
	}
	db_stmt *s = db_prepare(d, "SELECT rowid FROM story_search WHERE story_search MATCH :q "
	                           "ORDER BY rowid");
	db_bind_text(s, "q", match);
	int rc = db_collect_ids(s, ids, n);
	db_finalize(s);
	return rc;
}

int search_ranked(db *d, const char *match,
                  int (*hit)(void *ctx, int64_t story_id, double rank, const char *snippet),
                  void *ctx)
{
	return search_ranked_from(d, match, 0, NULL, hit, ctx);
}

/* The driver's search hands every hit out; want is asked first. */
struct wanted {
	int (*want)(void *ctx, int64_t story_id);
	int (*hit)(void *ctx, int64_t story_id, double rank, const char *snippet);
	void *ctx;
};

static int hit_if_wanted(void *ctx, int64_t story_id, double rank, const char *snippet)
{
	struct wanted *w = ctx;
	return w->want(w->ctx, story_id) ? w->hit(w->ctx, story_id, rank, snippet) : 0;
}

struct ranked {
	int64_t id;
	double rank;
};

static int by_rank(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Every match from from_id on, unsorted, with its bm25 (FTS5's own ORDER
 * BY rank takes about twice as long for the same rows), sorted here. */
static int ranked_list(db *d, const char *match, int64_t from_id, struct ranked **out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT rowid, bm25(story_search) FROM story_search "
	                           "WHERE story_search MATCH :q AND rowid >= :from");
	db_bind_text(s, "q", match);
	db_bind_int(s, "from", from_id);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			struct ranked *p = realloc(*out, cap * sizeof *p);
			if (!p)
				abort();
			*out = p;
		}
		(*out)[(*n)++] = (struct ranked){db_col_int(s, 0), db_col_double(s, 1)};
	}
	db_finalize(s);
	if (rc == DB_DONE && *n)
		qsort(*out, *n, sizeof **out, by_rank);
	return rc;
}

int search_ranked_from(db *d, const char *match, int64_t from_id,
                       int (*want)(void *ctx, int64_t story_id),
                       int (*hit)(void *ctx, int64_t story_id, double rank, const char *snippet),
                       void *ctx)
{
	assert(d && match && hit);
	if (db_fts(d)) {
		struct wanted w = {want, hit, ctx};
		return db_fts(d)->search(d, match, NULL, 0, 1, 0, 0, 1, from_id,
		                         want ? hit_if_wanted : hit, want ? (void *)&w : ctx);
	}
	struct ranked *list;
	size_t n;
	int rc = ranked_list(d, match, from_id, &list, &n);
	/* a snippet only for the stories handed out: it reads and tokenizes
	 * the story's text */
	db_stmt *s = db_prepare(d, "SELECT snippet(story_search, 0, char(2), char(3), '...', 24) "
	                           "FROM story_search WHERE story_search MATCH :q AND rowid = :id");
	for (size_t i = 0; rc == DB_DONE && i < n; i++) {
		if (want && !want(ctx, list[i].id))
			continue;
		db_reset(s);
		db_bind_text(s, "q", match);
		db_bind_int(s, "id", list[i].id);
		int step = db_step(s);
		if (step != DB_ROW && step != DB_DONE) {
			rc = step;
			break;
		}
		const char *snip = step == DB_ROW ? db_col_text(s, 0) : "";
		int r = hit(ctx, list[i].id, list[i].rank, snip);
		if (r) {
			rc = r;
			break;
		}
	}
	db_finalize(s);
	free(list);
	return rc;
}

/* The text search finds a story by, one part per line: the title and text
 * of each story answer, then every answer to a text question, the teller's
 * and the professional's (as 024_search_wider.sql made it for the stories
 * there were). Empty when the story has none. */
static int story_body(db *d, int64_t id, buf *body)
{
	db_stmt *s = db_prepare(
	        d,
	        "SELECT e.value ->> 'title', e.value ->> 'text' "
	        "FROM stories s, json_each(s.answers) e WHERE s.id = :id AND "
	        "CASE WHEN e.type = 'object' THEN e.value ->> 'text' END IS NOT NULL "
	        "UNION ALL "
	        "SELECT e.value ->> 'title', e.value ->> 'text' "
	        "FROM stories s, json_each(coalesce(s.professional, '{}')) e WHERE s.id = :id "
	        "AND CASE WHEN e.type = 'object' THEN e.value ->> 'text' END IS NOT NULL "
	        "UNION ALL "
	        "SELECT NULL, e.value FROM stories s, json_each(s.answers) e WHERE s.id = :id "
	        "AND e.type = 'text' AND e.value <> '' AND e.key IN (SELECT q.question_id "
	        "FROM script_questions q WHERE q.script_id = s.script_id AND q.version = "
	        "s.script_version AND q.type = 'text') "
	        "UNION ALL "
	        "SELECT NULL, e.value FROM stories s, json_each(coalesce(s.professional, '{}')) e "
	        "WHERE s.id = :id AND e.type = 'text' AND e.value <> '' AND e.key IN (SELECT "
	        "q.question_id FROM script_questions q WHERE q.script_id = s.script_id AND "
	        "q.version = s.script_version AND q.type = 'text')");
	db_bind_int(s, "id", id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		if (body->len)
			buf_putc(body, '\n');
		if (!db_col_is_null(s, 0)) {
			buf_puts(body, db_col_text(s, 0));
			buf_putc(body, '\n');
		}
		buf_puts(body, db_col_text(s, 1));
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int search_index_story(db *d, int64_t id)
{
	assert(d && id > 0);
	buf body;
	buf_init(&body);
	int rc = story_body(d, id, &body);
	if (rc == DB_OK && body.len) { /* no story text: nothing to find */
		if (db_fts(d)) {
			rc = db_fts(d)->index_story(d, id, body.data);
		} else {
			db_stmt *s = db_prepare(d, "INSERT INTO story_search (rowid, body) "
			                           "VALUES (:id, :body)");
			db_bind_int(s, "id", id);
			db_bind_text(s, "body", body.data);
			rc = db_step(s);
			db_finalize(s);
			rc = rc == DB_DONE ? DB_OK : rc;
		}
	}
	buf_free(&body);
	return rc;
}

int search_forget_deleted(db *d)
{
	assert(d);
	if (db_fts(d))
		return db_fts(d)->forget_deleted(d);
	db_stmt *s = db_prepare(d, "DELETE FROM story_search "
	                           "WHERE rowid IN (SELECT id FROM story_search_gone)");
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	s = db_prepare(d, "DELETE FROM story_search_gone");
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

void search_snippet_json(buf *out, const char *snippet)
{
	buf_putc(out, '[');
	int first = 1, on = 0;
	const char *p = snippet;
	while (*p) {
		size_t n = strcspn(p, SEARCH_MARK_ON SEARCH_MARK_OFF);
		if (n) {
			char *part = strndup(p, n);
			if (!part)
				abort();
			buf_puts(out, first ? "{\"text\":" : ",{\"text\":");
			buf_json_str(out, part);
			buf_puts(out, on ? ",\"match\":true}" : ",\"match\":false}");
			free(part);
			first = 0;
		}
		p += n;
		if (*p) {
			on = *p == SEARCH_MARK_ON[0];
			p++;
		}
	}
	buf_putc(out, ']');
}
