/* copy.c: moving a whole SQLite database to PostgreSQL, table by table, and proving both hold the same. */
#include "db/copy.h"

#include "core/buf.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* This module sits between two known drivers: it reads the source's
 * catalog the SQLite way (pragma_table_list, pragma_table_info,
 * pragma_foreign_key_list) and the target's the PostgreSQL way
 * (information_schema, pg_get_serial_sequence, setval). Table and column
 * names come from those catalogs and reach SQL only through
 * db_prepare_table_select/_insert, which take plain names only. */

enum { DIGEST = 16, PROGRESS_EVERY = 10000, MAX_COLS = 200 };

struct col {
	char name[64];
	char type; /* the target's: 'i' whole number, 'r' real, 'b' bytes, 't' text */
};

struct table {
	char name[64];
	struct col *cols;
	const char **names; /* cols[i].name, for db_prepare_table_* */
	int ncols, npk;     /* the first npk columns are the primary key */
	char (*parents)[64];
	int nparents;
	int fts; /* the full-text search table: rebuilt on the target, only compared */
	int placed;
};

struct plan {
	struct table *t;
	size_t n;
};

/* Tables the migrations fill with rows of their own (015_methods: the
 * catalogue of methods): a new target holds those, and the copy replaces
 * them with the source's. */
static int seeded(const char *table)
{
	return strcmp(table, "methods") == 0;
}

static void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->t[i].cols);
		free(p->t[i].names);
		free(p->t[i].parents);
	}
	free(p->t);
	p->t = NULL;
	p->n = 0;
}

static struct table *plan_add(struct plan *p, const char *name)
{
	struct table *t = realloc(p->t, (p->n + 1) * sizeof *t);
	if (!t)
		abort();
	p->t = t;
	t = &p->t[p->n++];
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "%s", name);
	return t;
}

static void add_col(struct table *t, const char *name, char type)
{
	struct col *c = realloc(t->cols, (size_t)(t->ncols + 1) * sizeof *c);
	if (!c)
		abort();
	t->cols = c;
	c = &t->cols[t->ncols++];
	snprintf(c->name, sizeof c->name, "%s", name);
	c->type = type;
}

static void finish_names(struct table *t)
{
	t->names = calloc((size_t)t->ncols, sizeof *t->names);
	if (!t->names)
		abort();
	for (int i = 0; i < t->ncols; i++)
		t->names[i] = t->cols[i].name;
}

/* The canonical kind of a PostgreSQL data_type. */
static char kind_of(const char *pg_type)
{
	if (!strcmp(pg_type, "bigint") || !strcmp(pg_type, "integer") ||
	    !strcmp(pg_type, "smallint") || !strcmp(pg_type, "boolean"))
		return 'i';
	if (!strcmp(pg_type, "double precision") || !strcmp(pg_type, "real") ||
	    !strcmp(pg_type, "numeric"))
		return 'r';
	if (!strcmp(pg_type, "bytea"))
		return 'b';
	return 't';
}

/* The target's type of table.column, or 0 when it has no such column. */
static char target_type(db *to, const char *table, const char *column)
{
	db_stmt *s = db_prepare(to, "SELECT data_type FROM information_schema.columns "
	                            "WHERE table_schema = current_schema() AND "
	                            "table_name = :t AND column_name = :c");
	db_bind_text(s, "t", table);
	db_bind_text(s, "c", column);
	char k = db_step(s) == DB_ROW ? kind_of(db_col_text(s, 0)) : 0;
	db_finalize(s);
	return k;
}

static int64_t target_column_count(db *to, const char *table)
{
	db_stmt *s = db_prepare(to, "SELECT count(*) FROM information_schema.columns "
	                            "WHERE table_schema = current_schema() AND table_name = :t");
	db_bind_text(s, "t", table);
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return n;
}

static int describe(db *from, db *to, struct table *t, char *err, size_t errlen)
{
	db_stmt *s = db_prepare(from, "SELECT name, pk FROM pragma_table_info(:t) "
	                              "ORDER BY pk = 0, pk, cid");
	db_bind_text(s, "t", t->name);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		const char *c = db_col_text(s, 0);
		if (!db_is_plain_name(c) || t->ncols >= MAX_COLS) {
			snprintf(err, errlen,
			         "table %s: column name '%s' is not one Vertelpunt makes", t->name,
			         c);
			db_finalize(s);
			return -1;
		}
		char k = target_type(to, t->name, c);
		if (!k) {
			snprintf(err, errlen,
			         "the target's table %s has no column %s: are both at the same "
			         "schema version?",
			         t->name, c);
			db_finalize(s);
			return -1;
		}
		add_col(t, c, k);
		if (db_col_int(s, 1) > 0)
			t->npk++;
	}
	db_finalize(s);
	if (rc != DB_DONE || t->ncols == 0) {
		snprintf(err, errlen, "cannot read the columns of %s: %s", t->name,
		         db_errmsg(from));
		return -1;
	}
	if (target_column_count(to, t->name) != t->ncols) {
		snprintf(err, errlen,
		         "table %s has other columns on the target than in the source: are both at "
		         "the same schema version?",
		         t->name);
		return -1;
	}
	finish_names(t);
	s = db_prepare(from, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(:t)");
	db_bind_text(s, "t", t->name);
	while (db_step(s) == DB_ROW) {
		char(*p)[64] = realloc(t->parents, (size_t)(t->nparents + 1) * sizeof *p);
		if (!p)
			abort();
		t->parents = p;
		snprintf(t->parents[t->nparents++], 64, "%s", db_col_text(s, 0));
	}
	db_finalize(s);
	return 0;
}

static int placed_or_absent(const struct plan *p, const char *name, const char *self)
{
	if (strcmp(name, self) == 0)
		return 1; /* a row pointing at its own table: rows go in key order */
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->t[i].name, name) == 0)
			return p->t[i].placed;
	return 1;
}

/* Parents before children: a table goes when every table its foreign keys
 * point to has gone (in name order among those ready). */
static void order_by_parents(struct plan *p)
{
	struct table *out = calloc(p->n ? p->n : 1, sizeof *out);
	if (!out)
		abort();
	size_t k = 0;
	while (k < p->n) {
		size_t before = k;
		for (size_t i = 0; i < p->n; i++) {
			struct table *t = &p->t[i];
			if (t->placed)
				continue;
			int ready = 1;
			for (int j = 0; j < t->nparents && ready; j++)
				ready = placed_or_absent(p, t->parents[j], t->name);
			if (ready) {
				t->placed = 1;
				out[k++] = *t;
			}
		}
		if (k == before) /* a cycle: the rest as they come */
			for (size_t i = 0; i < p->n; i++)
				if (!p->t[i].placed) {
					p->t[i].placed = 1;
					out[k++] = p->t[i];
				}
	}
	free(p->t);
	p->t = out;
}

/* Every table to copy and compare, in the order to copy them. */
static int plan_make(db *from, db *to, struct plan *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	if (strcmp(db_driver_name(from), "sqlite") != 0 ||
	    strcmp(db_driver_name(to), "postgres") != 0) {
		snprintf(err, errlen, "copies from SQLite to PostgreSQL only");
		return -1;
	}
	db_stmt *s = db_prepare(from, "SELECT name FROM pragma_table_list WHERE schema = 'main' "
	                              "AND type = 'table' AND name NOT LIKE 'sqlite%' "
	                              "AND name <> 'schema_migrations' ORDER BY name");
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		const char *name = db_col_text(s, 0);
		if (!db_is_plain_name(name)) {
			snprintf(err, errlen, "table name '%s' is not one Vertelpunt makes", name);
			db_finalize(s);
			plan_free(p);
			return -1;
		}
		plan_add(p, name);
	}
	db_finalize(s);
	if (rc != DB_DONE) {
		snprintf(err, errlen, "cannot read the source's tables: %s", db_errmsg(from));
		plan_free(p);
		return -1;
	}
	for (size_t i = 0; i < p->n; i++)
		if (describe(from, to, &p->t[i], err, errlen)) {
			plan_free(p);
			return -1;
		}
	order_by_parents(p);
	/* The search table: FTS5 on SQLite (not a table to copy), the driver's
	 * own on the target; compared by story id and text. */
	if (db_fts(to) && db_table_exists(from, "story_search") == 1) {
		struct table *t = plan_add(p, "story_search");
		add_col(t, "rowid", 'i');
		add_col(t, "body", 't');
		t->npk = 1;
		t->fts = 1;
		t->placed = 1;
		finish_names(t);
	}
	/* Nothing on the target that the source lacks. */
	s = db_prepare(to, "SELECT table_name FROM information_schema.tables WHERE "
	                   "table_schema = current_schema() AND table_type = 'BASE TABLE' "
	                   "ORDER BY 1");
	while ((rc = db_step(s)) == DB_ROW) {
		const char *name = db_col_text(s, 0);
		int known = strcmp(name, "schema_migrations") == 0;
		for (size_t i = 0; i < p->n && !known; i++)
			known = strcmp(p->t[i].name, name) == 0;
		if (!known) {
			snprintf(err, errlen,
			         "the target has a table %s that the source lacks: are both at the "
			         "same schema version?",
			         name);
			db_finalize(s);
			plan_free(p);
			return -1;
		}
	}
	db_finalize(s);
	if (rc != DB_DONE) {
		snprintf(err, errlen, "cannot read the target's tables: %s", db_errmsg(to));
		plan_free(p);
		return -1;
	}
	return 0;
}

static void put_len(buf *b, size_t n)
{
	uint64_t v = n;
	unsigned char le[8];
	for (int i = 0; i < 8; i++)
		le[i] = (unsigned char)(v >> (8 * i));
	buf_append(b, le, 8);
}

/* Appends the current row of s in its canonical form to b. A value that
 * does not fit its column's type (a text in a whole-number column, a zero
 * byte in a text) is an error: copying it would change it. */
static int row_encode(db_stmt *s, const struct table *t, buf *b, char *err, size_t errlen)
{
	for (int i = 0; i < t->ncols; i++) {
		if (db_col_is_null(s, i)) {
			buf_putc(b, 'N');
			continue;
		}
		const char *text = db_col_text(s, i);
		char num[40];
		switch (t->cols[i].type) {
		case 'i':
			snprintf(num, sizeof num, "%lld", (long long)db_col_int(s, i));
			if (strcmp(num, text) != 0 && strcmp(text, "t") != 0 &&
			    strcmp(text, "f") != 0)
				goto misfit;
			buf_putc(b, 'i');
			buf_puts(b, num);
			buf_putc(b, ';');
			break;
		case 'r': {
			char *end;
			strtod(text, &end);
			if (end == text || *end)
				goto misfit;
			snprintf(num, sizeof num, "%.17g", db_col_double(s, i));
			buf_putc(b, 'r');
			buf_puts(b, num);
			buf_putc(b, ';');
			break;
		}
		case 'b': {
			size_t n = 0;
			const void *p = db_col_blob(s, i, &n);
			buf_putc(b, 'b');
			put_len(b, n);
			buf_append(b, p ? p : "", n);
			break;
		}
		default: {
			size_t n = 0;
			db_col_blob(s, i, &n);
			text = db_col_text(s, i); /* col_blob may have changed it */
			if (strlen(text) != n) {
				snprintf(err, errlen,
				         "table %s, column %s: a text with a zero byte in it",
				         t->name, t->cols[i].name);
				return -1;
			}
			buf_putc(b, 't');
			put_len(b, n);
			buf_append(b, text, n);
			break;
		}
		}
		continue;
	misfit:
		snprintf(err, errlen, "table %s, column %s: '%.40s' is not a %s", t->name,
		         t->cols[i].name, text, t->cols[i].type == 'i' ? "whole number" : "number");
		return -1;
	}
	return 0;
}

/* Row hashes, collected and then folded into a table checksum. */
struct sums {
	unsigned char (*d)[DIGEST];
	size_t n, cap;
};

static void sums_add(struct sums *m, const buf *row)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 1024;
		void *p = realloc(m->d, m->cap * sizeof *m->d);
		if (!p)
			abort();
		m->d = p;
	}
	crypto_generichash(m->d[m->n++], DIGEST, (const unsigned char *)row->data, row->len, NULL,
	                   0);
}

static int cmp_digest(const void *a, const void *b)
{
	return memcmp(a, b, DIGEST);
}

static void sums_finish(struct sums *m, int64_t *rows, char hex[33])
{
	if (m->n)
		qsort(m->d, m->n, DIGEST, cmp_digest);
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, DIGEST);
	unsigned char cnt[8];
	for (int i = 0; i < 8; i++)
		cnt[i] = (unsigned char)((uint64_t)m->n >> (8 * i));
	crypto_generichash_update(&st, cnt, 8);
	if (m->n)
		crypto_generichash_update(&st, (const unsigned char *)m->d, m->n * DIGEST);
	unsigned char out[DIGEST];
	crypto_generichash_final(&st, out, DIGEST);
	sodium_bin2hex(hex, 33, out, DIGEST);
	*rows = (int64_t)m->n;
	free(m->d);
	memset(m, 0, sizeof *m);
}

/* The rows and checksum of t in d. */
static int table_sum(db *d, const struct table *t, int64_t *rows, char hex[33], char *err,
                     size_t errlen)
{
	db_stmt *s = db_prepare_table_select(d, t->name, t->names, t->ncols, 0);
	struct sums m = {0};
	buf row;
	buf_init(&row);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		buf_reset(&row);
		if (row_encode(s, t, &row, err, errlen)) {
			rc = DB_ERROR;
			break;
		}
		sums_add(&m, &row);
	}
	if (rc != DB_DONE && !*err)
		snprintf(err, errlen, "cannot read table %s: %s", t->name, db_errmsg(d));
	db_finalize(s);
	buf_free(&row);
	sums_finish(&m, rows, hex);
	return rc == DB_DONE ? 0 : -1;
}

static const char *param_name(int i)
{
	static char names[MAX_COLS][16]; /* "c" and any int: the compiler checks the room */
	if (!names[i][0])
		snprintf(names[i], sizeof names[i], "c%d", i);
	return names[i];
}

/* Copies one table, noting the source's checksum and highest key. */
static int copy_table(db *from, db *to, const struct table *t, struct copy_table *out,
                      int64_t *max_id, copy_progress_fn progress, void *ctx, char *err,
                      size_t errlen)
{
	db_stmt *sel = db_prepare_table_select(from, t->name, t->names, t->ncols, t->npk);
	db_stmt *ins = db_prepare_table_insert(to, t->name, t->names, t->ncols);
	struct sums m = {0};
	buf row;
	buf_init(&row);
	int rc;
	*max_id = 0;
	while ((rc = db_step(sel)) == DB_ROW) {
		buf_reset(&row);
		if (row_encode(sel, t, &row, err, errlen)) {
			rc = DB_ERROR;
			break;
		}
		sums_add(&m, &row);
		for (int i = 0; i < t->ncols; i++) {
			const char *pn = param_name(i);
			if (db_col_is_null(sel, i)) {
				db_bind_null(ins, pn);
				continue;
			}
			size_t n = 0;
			const void *p;
			switch (t->cols[i].type) {
			case 'i': db_bind_int(ins, pn, db_col_int(sel, i)); break;
			case 'r': db_bind_double(ins, pn, db_col_double(sel, i)); break;
			case 'b':
				p = db_col_blob(sel, i, &n);
				db_bind_blob(ins, pn, p, n);
				break;
			default: db_bind_text(ins, pn, db_col_text(sel, i)); break;
			}
		}
		if (t->npk == 1 && t->cols[0].type == 'i' && db_col_int(sel, 0) > *max_id)
			*max_id = db_col_int(sel, 0);
		int irc = db_step(ins);
		db_reset(ins);
		if (irc != DB_DONE) {
			snprintf(err, errlen, "table %s, row %s%.40s: the target refused it: %s",
			         t->name, t->npk ? "with key " : "",
			         t->npk ? db_col_text(sel, 0) : "", db_errmsg(to));
			rc = DB_ERROR;
			break;
		}
		if (progress && m.n % PROGRESS_EVERY == 0)
			progress(ctx, t->name, (int64_t)m.n);
	}
	if (rc != DB_DONE && !*err)
		snprintf(err, errlen, "cannot read table %s: %s", t->name, db_errmsg(from));
	db_finalize(sel);
	db_finalize(ins);
	buf_free(&row);
	sums_finish(&m, &out->rows_from, out->sum_from);
	return rc == DB_DONE ? 0 : -1;
}

/* Moves the target's id generator of t (an identity column) past max_id,
 * so the next row made there gets a new id. */
static int move_ids(db *to, const struct table *t, int64_t max_id, char *err, size_t errlen)
{
	if (t->npk != 1 || t->cols[0].type != 'i' || max_id <= 0)
		return 0;
	db_stmt *s = db_prepare(to, "SELECT pg_get_serial_sequence(:t, :c)");
	db_bind_text(s, "t", t->name);
	db_bind_text(s, "c", t->cols[0].name);
	int rc = db_step(s);
	char seq[200] = "";
	if (rc == DB_ROW && !db_col_is_null(s, 0))
		snprintf(seq, sizeof seq, "%s", db_col_text(s, 0));
	db_finalize(s);
	if (rc != DB_ROW) {
		snprintf(err, errlen, "table %s: cannot find its id generator: %s", t->name,
		         db_errmsg(to));
		return -1;
	}
	if (!seq[0])
		return 0; /* a key without a generator */
	s = db_prepare(to, "SELECT setval(CAST(:seq AS regclass), :v)");
	db_bind_text(s, "seq", seq);
	db_bind_int(s, "v", max_id);
	rc = db_step(s);
	db_finalize(s);
	if (rc != DB_ROW) {
		snprintf(err, errlen, "table %s: cannot move its id generator: %s", t->name,
		         db_errmsg(to));
		return -1;
	}
	return 0;
}

/* Makes the target's search data anew through its driver, story by
 * story, from the texts the source's search table holds (the same body
 * search_index_story makes). */
static int rebuild_search(db *from, db *to, copy_progress_fn progress, void *ctx, char *err,
                          size_t errlen)
{
	const struct db_fts *fts = db_fts(to);
	if (!fts || !fts->index_story || db_table_exists(from, "story_search") != 1)
		return 0;
	if (db_exec(to, "DELETE FROM story_search") != DB_OK) {
		snprintf(err, errlen, "cannot empty the search table: %s", db_errmsg(to));
		return -1;
	}
	db_stmt *s = db_prepare(from, "SELECT rowid, body FROM story_search ORDER BY rowid");
	int64_t done = 0;
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		int64_t id = db_col_int(s, 0);
		if (fts->index_story(to, id, db_col_text(s, 1)) != DB_OK) {
			snprintf(err, errlen, "cannot index story %lld for search: %s",
			         (long long)id, db_errmsg(to));
			db_finalize(s);
			return -1;
		}
		if (progress && ++done % PROGRESS_EVERY == 0)
			progress(ctx, "story_search", done);
	}
	db_finalize(s);
	if (rc != DB_DONE) {
		snprintf(err, errlen, "cannot read the source's search texts: %s", db_errmsg(from));
		return -1;
	}
	return 0;
}

void copy_result_free(struct copy_result *res)
{
	if (!res)
		return;
	free(res->tables);
	res->tables = NULL;
	res->n = 0;
}

static void result_init(struct copy_result *res, const struct plan *p)
{
	res->n = p->n;
	res->tables = calloc(p->n ? p->n : 1, sizeof *res->tables);
	if (!res->tables)
		abort();
	for (size_t i = 0; i < p->n; i++)
		snprintf(res->tables[i].name, sizeof res->tables[i].name, "%s", p->t[i].name);
}

static int compare(struct copy_table *c)
{
	c->ok = c->rows_from == c->rows_to && strcmp(c->sum_from, c->sum_to) == 0;
	return c->ok;
}

int copy_check_target(db *from, db *to, char *err, size_t errlen)
{
	assert(from && to && err);
	err[0] = '\0';
	struct plan p;
	if (plan_make(from, to, &p, err, errlen))
		return -1;
	int rc = 0;
	for (size_t i = 0; i < p.n && rc == 0; i++) {
		const struct table *t = &p.t[i];
		if (seeded(t->name))
			continue;
		db_stmt *s = db_prepare_table_select(to, t->name, t->names, 1, 0);
		int step = db_step(s);
		db_finalize(s);
		if (step == DB_ROW) {
			snprintf(err, errlen, "the target holds data already (table %s has rows)",
			         t->name);
			rc = 1;
		} else if (step != DB_DONE) {
			snprintf(err, errlen, "cannot read the target's table %s: %s", t->name,
			         db_errmsg(to));
			rc = -1;
		}
	}
	plan_free(&p);
	return rc;
}

static void sum_target(db *to, const struct table *t, struct copy_table *c, char *err,
                       size_t errlen, int *failed)
{
	if (table_sum(to, t, &c->rows_to, c->sum_to, err, errlen))
		*failed = 1;
}

/* The start of a copy or a verification: a read transaction on from (one
 * moment of the source for every read that follows), the plan and an empty
 * result of it. 0, or -1 with err (nothing left open). */
static int start(db *from, db *to, struct plan *p, struct copy_result *res, char *err,
                 size_t errlen)
{
	assert(from && to && res && err);
	err[0] = '\0';
	memset(res, 0, sizeof *res);
	if (db_exec(from, "BEGIN") != DB_OK) {
		snprintf(err, errlen, "cannot read the source: %s", db_errmsg(from));
		return -1;
	}
	if (plan_make(from, to, p, err, errlen)) {
		db_rollback(from);
		return -1;
	}
	result_init(res, p);
	return 0;
}

int copy_database(db *from, db *to, struct copy_result *res, copy_progress_fn progress, void *ctx,
                  char *err, size_t errlen)
{
	struct plan p;
	if (start(from, to, &p, res, err, errlen))
		return -1;
	int failed = 0, all_ok = 1;
	if (db_begin(to) != DB_OK) {
		snprintf(err, errlen, "cannot start a transaction on the target: %s",
		         db_errmsg(to));
		failed = 1;
	}
	for (size_t i = 0; i < p.n && !failed; i++)
		if (seeded(p.t[i].name) && db_exec(to, "DELETE FROM methods") != DB_OK) {
			snprintf(err, errlen, "cannot empty the target's methods: %s",
			         db_errmsg(to));
			failed = 1;
		}
	for (size_t i = 0; i < p.n && !failed; i++) {
		const struct table *t = &p.t[i];
		if (t->fts)
			continue;
		int64_t max_id;
		if (copy_table(from, to, t, &res->tables[i], &max_id, progress, ctx, err, errlen) ||
		    move_ids(to, t, max_id, err, errlen))
			failed = 1;
	}
	if (!failed && rebuild_search(from, to, progress, ctx, err, errlen))
		failed = 1;
	/* Every table read back from the target, in the same transaction,
	 * before anything is committed. */
	for (size_t i = 0; i < p.n && !failed; i++) {
		struct copy_table *c = &res->tables[i];
		if (p.t[i].fts && table_sum(from, &p.t[i], &c->rows_from, c->sum_from, err, errlen))
			failed = 1;
		if (!failed)
			sum_target(to, &p.t[i], c, err, errlen, &failed);
		if (!failed && !compare(c))
			all_ok = 0;
	}
	int rc;
	if (failed) {
		db_rollback(to);
		rc = -1;
	} else if (!all_ok) {
		db_rollback(to);
		rc = 1;
	} else if (db_commit(to) != DB_OK) {
		snprintf(err, errlen, "the target did not commit: %s", db_errmsg(to));
		db_rollback(to);
		rc = -1;
	} else {
		rc = 0;
	}
	db_rollback(from);
	plan_free(&p);
	return rc;
}

int copy_verify(db *from, db *to, struct copy_result *res, char *err, size_t errlen)
{
	struct plan p;
	if (start(from, to, &p, res, err, errlen))
		return -1;
	int failed = 0, all_ok = 1;
	for (size_t i = 0; i < p.n && !failed; i++) {
		struct copy_table *c = &res->tables[i];
		if (table_sum(from, &p.t[i], &c->rows_from, c->sum_from, err, errlen))
			failed = 1;
		else
			sum_target(to, &p.t[i], c, err, errlen, &failed);
		if (!failed && !compare(c))
			all_ok = 0;
	}
	db_rollback(from);
	plan_free(&p);
	return failed ? -1 : all_ok ? 0 : 1;
}
