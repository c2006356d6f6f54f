/* db_pg.c: the PostgreSQL driver (libpq): named parameters, prepared statements, typed binds, errors. */
#include "db/db.h"

#include "analysis/tokenize.h"
#include "core/buf.h"

#include <assert.h>
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* How this driver makes PostgreSQL look like the db_ layer (more in
 * docs/architecture.md, "The PostgreSQL driver"):
 *
 * - Parameters. The model writes :name; each SQL text is rewritten once per
 *   connection to $1, $2... (a name used twice gets one number), skipping
 *   string literals, quoted identifiers, comments and ::casts. The rewrite
 *   is cached by the address of the literal, as the SQLite driver's
 *   statements are.
 * - Types. db_bind_int sends int8, db_bind_double float8, db_bind_blob
 *   bytea (binary), db_bind_text text, NULL "unknown", so PostgreSQL's
 *   inference sees what SQLite's dynamic typing would. When PostgreSQL
 *   cannot use those types (a text compared with a bigint column, an int
 *   used as a truth value, a NULL whose type nothing determines) the
 *   statement is prepared again with looser types (see prepare_for).
 * - Prepared statements only: PQprepare under a name per (SQL, types),
 *   cached per connection; PQexecPrepared runs them. No value is ever
 *   spliced into SQL text.
 * - Results: the first db_step runs the statement and fetches all its rows
 *   (text format); later steps walk them. The model's statements return
 *   bounded result sets or are walked to the end anyway; the story index
 *   reads millions of stories in chunks of a bounded number (READ_CHUNK in
 *   analysis/index.c).
 *   Column getters read the text: NULL is "" and 0 as in SQLite, booleans
 *   read as 1 and 0, bytea is decoded.
 * - Statement atomicity. SQLite undoes only the failed statement inside a
 *   transaction; PostgreSQL aborts the whole transaction. So inside a
 *   transaction every statement that is not a SELECT runs under a savepoint
 *   (vp_stmt) that is released after it, or rolled back to when it fails.
 * - Errors. SQLSTATE class 23 (integrity constraint, also raised by the
 *   triggers of the PostgreSQL migrations) is DB_CONSTRAINT; 40001, 40P01
 *   and 55P03 (serialization failure, deadlock, lock not available: the
 *   connection waits at most lock_timeout = 10 s, like SQLite's busy
 *   timeout) are DB_BUSY.
 * - PRAGMA statements (SQLite tuning hints in the model: cache and mmap
 *   sizes) are accepted and do nothing.
 * - A lost connection (the server restarted, a network fault) is made again
 *   on the next use of the handle (see "Reconnecting" below): statements
 *   are prepared again, LISTENs renewed. A transaction the loss cut short is
 *   gone: every statement fails until ROLLBACK, and COMMIT fails, so
 *   nothing is taken for committed that was not. */

enum { MAX_PARAMS = 64 };

struct pg_sql {
	const char *key; /* the literal's address */
	char *text;      /* rewritten to $n */
	int nparams;
	char *names[MAX_PARAMS];
	int pragma;   /* a PRAGMA: runs as nothing */
	int txn;      /* BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, END */
	int select;   /* a SELECT: cannot fail half-way through a change */
	int commit;   /* COMMIT or END: sends the pending notifications first */
	int rollback; /* ROLLBACK of the whole transaction (not ROLLBACK TO) */
	int checked;  /* compiled once, so a syntax error aborts at db_prepare */
	struct pg_sql *next;
};

struct pg_prep {
	const char *key;
	char sig[MAX_PARAMS + 1]; /* one letter per parameter: i d b t n */
	char name[24];
	Oid types[MAX_PARAMS];
	struct pg_prep *next;
};

struct pg_db {
	struct db base;
	PGconn *c;
	char err[512];
	int64_t changes;
	struct pg_sql *sqls;
	struct pg_prep *preps;
	int nprep;
	struct tok *tok; /* full-text search's tokenizer, made when first needed */
	/* Reconnecting (see there): */
	int in_txn;             /* a transaction was open at the last answer */
	int txn_lost;           /* the connection was lost inside a transaction */
	int64_t retry_at_ms;    /* no new attempt to connect before this */
	const char *listens[8]; /* channels of db_listen (literals) */
	int nlistens;
	const char *notifies[8]; /* channels of db_notify for the next COMMIT */
	int nnotifies;
};

struct pg_stmt {
	struct db_stmt base;
	struct pg_sql *sql;
	char *vals[MAX_PARAMS];
	int lens[MAX_PARAMS];
	char kind[MAX_PARAMS]; /* 'i' 'd' 'b' 't' or 0/'n' (NULL) */
	PGresult *res;
	int row;               /* the current row, -1 before the first */
	int done;              /* executed and walked */
	unsigned char **blobs; /* decoded bytea of the current row */
	size_t *blob_lens;
};

#define PG(b) ((struct pg_db *)(b))
#define ST(b) ((struct pg_stmt *)(b))

static void set_err(struct pg_db *d, const char *msg)
{
	snprintf(d->err, sizeof d->err, "%s", msg && *msg ? msg : "unknown PostgreSQL error");
	size_t n = strlen(d->err);
	while (n > 0 && (d->err[n - 1] == '\n' || d->err[n - 1] == ' '))
		d->err[--n] = '\0';
}

static int map_state(const char *state)
{
	if (!state)
		return DB_ERROR;
	if (strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0)
		return DB_BUSY;
	return DB_ERROR;
}

/* The result's status as a db_rc; keeps the message of a failure. */
static int result_rc(struct pg_db *d, PGresult *r)
{
	if (PQstatus(d->c) == CONNECTION_OK) {
		PGTransactionStatusType ts = PQtransactionStatus(d->c);
		d->in_txn = ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR;
	}
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)
		return DB_OK;
	set_err(d, r ? PQresultErrorMessage(r) : PQerrorMessage(d->c));
	/* VP_DB_TRACE=1: every failure on stderr, for finding SQL that works
	 * on SQLite only (the tests silence the log). */
	static int trace = -1;
	if (trace < 0)
		trace = getenv("VP_DB_TRACE") != NULL;
	if (trace)
		fprintf(stderr, "db_pg: %s\n", d->err);
	return map_state(r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL);
}

/* Runs a parameterless command of the driver's own. */
static int run_simple(struct pg_db *d, const char *cmd)
{
	PGresult *r = PQexec(d->c, cmd);
	int rc = result_rc(d, r);
	PQclear(r);
	return rc;
}

static void no_notices(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* The settings of every session, at open and after a reconnect. */
static int session_setup(struct pg_db *d)
{
	PQsetNoticeProcessor(d->c, no_notices, NULL);
	/* UTF-8 and UTC whatever the server's defaults; lock waits end like
	 * SQLite's busy timeout; a commit returns only once it is on disk
	 * (the server's fsync and synchronous_commit decide the rest). */
	return run_simple(d, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; "
	                     "SET lock_timeout = '10s'; SET synchronous_commit = on; "
	                     "SET client_min_messages = warning");
}

static db *pg_open(const char *url, char *err, size_t errlen)
{
	struct pg_db *d = calloc(1, sizeof *d);
	if (!d)
		abort();
	d->base.drv = &db_pg_driver;
	d->c = PQconnectdb(url);
	if (!d->c || PQstatus(d->c) != CONNECTION_OK) {
		char msg[400];
		snprintf(msg, sizeof msg, "%s", d->c ? PQerrorMessage(d->c) : "out of memory");
		msg[strcspn(msg, "\n")] = '\0';
		snprintf(err, errlen, "cannot open database %s: %s", url, msg);
		PQfinish(d->c);
		free(d);
		return NULL;
	}
	if (session_setup(d) != DB_OK) {
		snprintf(err, errlen, "cannot set up database %s: %s", url, d->err);
		PQfinish(d->c);
		free(d);
		return NULL;
	}
	return &d->base;
}

static void pg_close(db *base)
{
	struct pg_db *d = PG(base);
	for (struct pg_sql *q = d->sqls, *n; q; q = n) {
		n = q->next;
		for (int i = 0; i < q->nparams; i++)
			free(q->names[i]);
		free(q->text);
		free(q);
	}
	for (struct pg_prep *p = d->preps, *n; p; p = n) {
		n = p->next;
		free(p);
	}
	if (d->tok)
		tok_free(d->tok);
	PQfinish(d->c);
	free(d);
}

static const char *pg_errmsg(db *base)
{
	return PG(base)->err;
}

static int is_ident(char c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

/* Rewrites :name to $n (see the top of this file). 0, or -1 when the SQL
 * has more parameters than MAX_PARAMS or an unterminated literal. */
static int rewrite(struct pg_sql *q, const char *sql)
{
	size_t len = strlen(sql);
	/* "$64" is never longer than ":x" plus two characters. */
	char *out = malloc(len * 2 + 1);
	if (!out)
		abort();
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		char c = sql[i];
		if (c == '\'' || c == '"') {
			size_t j = i + 1;
			for (;; j++) {
				if (j >= len) {
					free(out);
					return -1;
				}
				if (sql[j] == c) {
					if (j + 1 < len && sql[j + 1] == c) {
						j++;
						continue;
					}
					break;
				}
			}
			memcpy(out + o, sql + i, j + 1 - i);
			o += j + 1 - i;
			i = j + 1;
		} else if (c == '-' && sql[i + 1] == '-') {
			while (i < len && sql[i] != '\n')
				out[o++] = sql[i++];
		} else if (c == '/' && sql[i + 1] == '*') {
			const char *end = strstr(sql + i + 2, "*/");
			size_t j = end ? (size_t)(end - sql) + 2 : len;
			memcpy(out + o, sql + i, j - i);
			o += j - i;
			i = j;
		} else if (c == ':' && sql[i + 1] == ':') {
			out[o++] = ':';
			out[o++] = ':';
			i += 2;
		} else if (c == ':' && is_ident(sql[i + 1], 1)) {
			size_t j = i + 1;
			while (j < len && is_ident(sql[j], 0))
				j++;
			size_t n = j - i - 1;
			int k;
			for (k = 0; k < q->nparams; k++)
				if (strlen(q->names[k]) == n &&
				    strncmp(q->names[k], sql + i + 1, n) == 0)
					break;
			if (k == q->nparams) {
				if (q->nparams == MAX_PARAMS) {
					free(out);
					return -1;
				}
				q->names[k] = strndup(sql + i + 1, n);
				if (!q->names[k])
					abort();
				q->nparams++;
			}
			o += (size_t)sprintf(out + o, "$%d", k + 1);
			i = j;
		} else {
			out[o++] = sql[i++];
		}
	}
	out[o] = '\0';
	q->text = out;
	return 0;
}

static int starts_with_word(const char *sql, const char *word)
{
	while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '(')
		sql++;
	return strncasecmp(sql, word, strlen(word)) == 0 && !is_ident(sql[strlen(word)], 0);
}

static struct pg_sql *sql_of(struct pg_db *d, const char *sql)
{
	for (struct pg_sql *q = d->sqls; q; q = q->next)
		if (q->key == sql)
			return q;
	struct pg_sql *q = calloc(1, sizeof *q);
	if (!q)
		abort();
	q->key = sql;
	q->pragma = starts_with_word(sql, "PRAGMA");
	static const char *txn[] = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "END"};
	for (size_t i = 0; i < sizeof txn / sizeof txn[0]; i++)
		q->txn |= starts_with_word(sql, txn[i]);
	q->select = starts_with_word(sql, "SELECT");
	q->commit = starts_with_word(sql, "COMMIT") || starts_with_word(sql, "END");
	q->rollback = starts_with_word(sql, "ROLLBACK") && !strstr(sql, " TO ");
	if (rewrite(q, sql) != 0) {
		set_err(d, "cannot read the statement's parameters");
		for (int i = 0; i < q->nparams; i++)
			free(q->names[i]);
		free(q);
		return NULL;
	}
	q->next = d->sqls;
	d->sqls = q;
	return q;
}

/* Prepares (once) the statement for these parameter kinds; text and NULL
 * are given a type as the attempt says (see the top of this file). */
static struct pg_prep *find_prep(struct pg_db *d, struct pg_sql *q, const char *sig)
{
	for (struct pg_prep *p = d->preps; p; p = p->next)
		if (p->key == q->key && strcmp(p->sig, sig) == 0)
			return p;
	return NULL;
}

static struct pg_prep *prepare_for(struct pg_db *d, struct pg_sql *q, const char *sig)
{
	struct pg_prep *p = find_prep(d, q, sig);
	if (p)
		return p;
	p = calloc(1, sizeof *p);
	if (!p)
		abort();
	p->key = q->key;
	snprintf(p->sig, sizeof p->sig, "%s", sig);
	snprintf(p->name, sizeof p->name, "vp_%d", d->nprep++);
	int rc = DB_ERROR;
	/* The attempts, as types for int, text and NULL: typed first; then
	 * text as "unknown" (a '7' for a bigint column); then ints too (an int
	 * used as a truth value, as SQLite allows: '1' reads as true); then
	 * NULL as text (a NULL that nothing else types). */
	static const Oid tries[][3] = {
	        {20, 25, 0}, {20, 0, 0}, {0, 0, 0}, {20, 25, 25}, {0, 0, 25}};
	for (size_t attempt = 0; attempt < sizeof tries / sizeof tries[0] && rc != DB_OK;
	     attempt++) {
		for (int i = 0; i < q->nparams; i++) {
			switch (sig[i]) {
			case 'i': p->types[i] = tries[attempt][0]; break;
			case 'd': p->types[i] = 701; break; /* float8 */
			case 'b': p->types[i] = 17; break;  /* bytea */
			case 't': p->types[i] = tries[attempt][1]; break;
			default: p->types[i] = tries[attempt][2]; break;
			}
		}
		PGresult *r = PQprepare(d->c, p->name, q->text, q->nparams, p->types);
		rc = result_rc(d, r);
		const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
		PQclear(r);
		/* Only a type problem is worth another attempt: 42804 datatype
		 * mismatch, 42883 no such operator/function, 42P18 indeterminate
		 * type, 42725 ambiguous function, 42P08 inconsistent types deduced. */
		if (rc != DB_OK &&
		    !(state && (strcmp(state, "42804") == 0 || strcmp(state, "42883") == 0 ||
		                strcmp(state, "42P18") == 0 || strcmp(state, "42725") == 0 ||
		                strcmp(state, "42P08") == 0)))
			break;
		/* A failed PQprepare inside a transaction aborted it; the caller's
		 * savepoint (vp_stmt) is rolled back to before the next attempt. */
		if (rc != DB_OK && PQtransactionStatus(d->c) == PQTRANS_INERROR) {
			if (run_simple(d, "ROLLBACK TO SAVEPOINT vp_stmt") != DB_OK)
				break;
		}
	}
	if (rc != DB_OK) {
		free(p);
		return NULL;
	}
	p->next = d->preps;
	d->preps = p;
	return p;
}

/* ---- Reconnecting ----
 *
 * libpq marks a connection CONNECTION_BAD when a statement finds it lost.
 * The next use of the handle resets it (PQreset: the same parameters),
 * at most once per RECONNECT_MS while the server cannot be reached, so a
 * busy thread does not hammer a server that is starting. After a reset
 * the session is set up as at open, the prepared statements (which were
 * the old session's) are forgotten and prepared again when next run, and
 * the LISTENs are renewed. What was lost with the old session is a
 * transaction in progress: d->txn_lost makes the rest of it fail (see
 * txn_lost_rc) so that a COMMIT never seems to succeed for changes made
 * partly on one connection and partly on another. A statement that cannot
 * have changed anything (a SELECT, or one that found the connection lost
 * before it was sent) is run again once on the new connection when no
 * transaction was open. */

enum { RECONNECT_MS = 250 };

static int send_notifies(struct pg_db *d);

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int listen_now(struct pg_db *d, const char *channel)
{
	/* channel is an identifier literal checked by db.c; LISTEN takes no
	 * parameter, so it is quoted as an identifier by libpq. */
	char *id = PQescapeIdentifier(d->c, channel, strlen(channel));
	if (!id) {
		set_err(d, PQerrorMessage(d->c));
		return DB_ERROR;
	}
	buf cmd;
	buf_init(&cmd);
	buf_puts(&cmd, "LISTEN ");
	buf_puts(&cmd, id);
	PQfreemem(id);
	int rc = run_simple(d, cmd.data);
	buf_free(&cmd);
	return rc;
}

static int reconnect(struct pg_db *d)
{
	int64_t now = now_ms();
	if (d->retry_at_ms && now < d->retry_at_ms) {
		set_err(d, "the database cannot be reached (trying again shortly)");
		return -1;
	}
	PQreset(d->c);
	if (PQstatus(d->c) != CONNECTION_OK) {
		set_err(d, PQerrorMessage(d->c));
		d->retry_at_ms = now + RECONNECT_MS;
		return -1;
	}
	d->retry_at_ms = 0;
	d->in_txn = 0;
	for (struct pg_prep *p = d->preps, *n; p; p = n) {
		n = p->next;
		free(p);
	}
	d->preps = NULL;
	if (session_setup(d) != DB_OK)
		return -1;
	for (int i = 0; i < d->nlistens; i++)
		if (listen_now(d, d->listens[i]) != DB_OK)
			return -1;
	return 0;
}

/* Before a use of the handle: 0 when it is connected (again), -1 with a
 * message when not. A transaction open when the connection was lost is
 * marked lost. */
static int conn_ready(struct pg_db *d)
{
	if (PQstatus(d->c) == CONNECTION_OK)
		return 0;
	if (d->in_txn) {
		d->txn_lost = 1;
		d->in_txn = 0;
		d->nnotifies = 0;
	}
	return reconnect(d);
}

/* What a statement gets while the transaction is lost: ROLLBACK ends that
 * state (and succeeds: the server has rolled it back already), COMMIT ends
 * it and fails, anything else fails. */
static int txn_lost_rc(struct pg_db *d, const struct pg_sql *q)
{
	if (q->rollback || q->commit)
		d->txn_lost = 0;
	if (q->rollback)
		return DB_OK;
	set_err(d, q->commit ? "the connection to the database was lost: the transaction was "
	                       "rolled back, not committed"
	                     : "the connection to the database was lost in this transaction");
	return DB_ERROR;
}

static db_stmt *pg_prepare(db *base, const char *sql)
{
	struct pg_db *d = PG(base);
	struct pg_sql *q = sql_of(d, sql);
	if (!q)
		return NULL;
	struct pg_stmt *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->base.drv = &db_pg_driver;
	s->base.owner = base;
	s->sql = q;
	s->row = -1;
	/* A statement that does not compile aborts at db_prepare, as with
	 * SQLite: so it is compiled once per connection, outside transactions
	 * (where a failure would abort the transaction), with every parameter
	 * "unknown"; the typed versions are prepared at the first step. */
	if (q->checked || q->pragma || q->txn || d->txn_lost || conn_ready(d) != 0 ||
	    PQtransactionStatus(d->c) != PQTRANS_IDLE)
		return &s->base;
	q->checked = 1;
	if (q->nparams == 0) {
		if (!prepare_for(d, q, "")) {
			if (PQstatus(d->c) != CONNECTION_OK) { /* checked when next prepared */
				q->checked = 0;
				return &s->base;
			}
			free(s);
			return NULL;
		}
	} else {
		PGresult *r = PQprepare(d->c, "", q->text, 0, NULL);
		int rc = result_rc(d, r);
		const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
		int syntax = rc != DB_OK && state && strncmp(state, "42", 2) == 0 &&
		             strcmp(state, "42P18") != 0 && strcmp(state, "42804") != 0 &&
		             strcmp(state, "42883") != 0 && strcmp(state, "42725") != 0 &&
		             strcmp(state, "42P08") != 0;
		PQclear(r);
		if (PQstatus(d->c) != CONNECTION_OK)
			q->checked = 0;
		else if (syntax) {
			free(s);
			return NULL;
		}
	}
	return &s->base;
}

static void clear_row(struct pg_stmt *s)
{
	if (s->blobs) {
		int n = s->res ? PQnfields(s->res) : 0;
		for (int i = 0; i < n; i++)
			PQfreemem(s->blobs[i]);
		free(s->blobs);
		free(s->blob_lens);
		s->blobs = NULL;
		s->blob_lens = NULL;
	}
}

static void clear_result(struct pg_stmt *s)
{
	clear_row(s);
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->done = 0;
}

static void clear_binds(struct pg_stmt *s)
{
	for (int i = 0; i < s->sql->nparams; i++) {
		free(s->vals[i]);
		s->vals[i] = NULL;
		s->lens[i] = 0;
		s->kind[i] = 0;
	}
}

static void pg_finalize(db_stmt *base)
{
	struct pg_stmt *s = ST(base);
	clear_result(s);
	clear_binds(s);
	free(s);
}

static void pg_reset(db_stmt *base)
{
	clear_result(ST(base));
	clear_binds(ST(base));
}

static int pg_bind_index(db_stmt *base, const char *name)
{
	struct pg_sql *q = ST(base)->sql;
	for (int i = 0; i < q->nparams; i++)
		if (strcmp(q->names[i], name) == 0)
			return i + 1;
	return 0;
}

static void set_val(struct pg_stmt *s, int idx, char kind, const void *p, size_t n)
{
	assert(idx >= 1 && idx <= s->sql->nparams);
	int i = idx - 1;
	free(s->vals[i]);
	s->vals[i] = NULL;
	s->lens[i] = 0;
	s->kind[i] = kind;
	if (kind == 'n')
		return;
	s->vals[i] = malloc(n + 1);
	if (!s->vals[i])
		abort();
	memcpy(s->vals[i], p, n);
	s->vals[i][n] = '\0';
	s->lens[i] = (int)n;
}

static void pg_bind_text(db_stmt *s, int i, const char *v)
{
	set_val(ST(s), i, 't', v, strlen(v));
}

static void pg_bind_int(db_stmt *s, int i, int64_t v)
{
	char t[24];
	int n = snprintf(t, sizeof t, "%lld", (long long)v);
	set_val(ST(s), i, 'i', t, (size_t)n);
}

static void pg_bind_double(db_stmt *s, int i, double v)
{
	char t[32];
	int n = snprintf(t, sizeof t, "%.17g", v);
	set_val(ST(s), i, 'd', t, (size_t)n);
}

static void pg_bind_blob(db_stmt *s, int i, const void *p, size_t n)
{
	set_val(ST(s), i, 'b', p ? p : "", p ? n : 0);
}

static void pg_bind_null(db_stmt *s, int i)
{
	set_val(ST(s), i, 'n', NULL, 0);
}

/* The first word of a command tag that counts changed rows. */
static int64_t changed_rows(PGresult *r)
{
	const char *tag = PQcmdStatus(r);
	if (strncmp(tag, "INSERT", 6) == 0 || strncmp(tag, "UPDATE", 6) == 0 ||
	    strncmp(tag, "DELETE", 6) == 0 || strncmp(tag, "MERGE", 5) == 0)
		return strtoll(PQcmdTuples(r), NULL, 10);
	return -1;
}

static int execute(struct pg_stmt *s)
{
	struct pg_db *d = PG(s->base.owner);
	struct pg_sql *q = s->sql;
	if (q->pragma) {
		s->done = 1;
		return DB_DONE;
	}
	if (PQstatus(d->c) != CONNECTION_OK && d->in_txn) {
		d->txn_lost = 1;
		d->in_txn = 0;
		d->nnotifies = 0;
	}
	if (d->txn_lost) {
		int lrc = txn_lost_rc(d, q);
		s->done = 1;
		return lrc == DB_OK ? DB_DONE : lrc;
	}
	if (conn_ready(d) != 0) {
		s->done = 1;
		return DB_ERROR;
	}
	if (q->rollback)
		d->nnotifies = 0;
	/* db_notify's channels go out with the COMMIT (delivered at commit) */
	if (q->commit && d->nnotifies) {
		int nrc = send_notifies(d);
		if (nrc != DB_OK) {
			s->done = 1;
			return nrc;
		}
	}
	int idle = PQtransactionStatus(d->c) == PQTRANS_IDLE, retried = 0;
again:;
	char sig[MAX_PARAMS + 1];
	const char *vals[MAX_PARAMS];
	int fmts[MAX_PARAMS];
	for (int i = 0; i < q->nparams; i++) {
		sig[i] = s->kind[i] ? s->kind[i] : 'n';
		vals[i] = s->kind[i] && s->kind[i] != 'n' ? s->vals[i] : NULL;
		fmts[i] = s->kind[i] == 'b'; /* bytea binary, everything else text */
	}
	sig[q->nparams] = '\0';
	/* SQLite's statement atomicity inside a transaction (see the top); a
	 * SELECT is guarded only while its typed version is prepared, since
	 * a failed attempt there would abort the transaction. */
	int guard = PQtransactionStatus(d->c) == PQTRANS_INTRANS && !q->txn &&
	            (!q->select || !find_prep(d, q, sig));
	if (guard && run_simple(d, "SAVEPOINT vp_stmt") != DB_OK)
		return DB_ERROR;
	int rc = DB_ERROR;
	struct pg_prep *p = prepare_for(d, q, sig);
	if (p) {
		s->res = PQexecPrepared(d->c, p->name, q->nparams, vals, s->lens, fmts, 0);
		rc = result_rc(d, s->res);
	} else {
		rc = map_state(NULL);
	}
	if (guard) {
		char keep[sizeof d->err];
		memcpy(keep, d->err, sizeof keep);
		int grc = run_simple(d, rc == DB_OK ? "RELEASE SAVEPOINT vp_stmt"
		                                    : "ROLLBACK TO SAVEPOINT vp_stmt; "
		                                      "RELEASE SAVEPOINT vp_stmt");
		if (rc != DB_OK)
			memcpy(d->err, keep, sizeof keep);
		else if (grc != DB_OK)
			rc = grc;
	}
	if (rc != DB_OK) {
		if (s->res) {
			/* keep the SQLSTATE's meaning, drop the rows */
			PQclear(s->res);
			s->res = NULL;
		}
		/* a ROLLBACK that finds the connection lost has what it wanted:
		 * the server rolled the transaction back when the session ended */
		if (q->rollback && PQstatus(d->c) != CONNECTION_OK) {
			d->in_txn = 0;
			s->done = 1;
			return DB_DONE;
		}
		/* lost before anything could have changed: once more, anew */
		if (idle && !retried && !q->txn && (q->select || !p) &&
		    PQstatus(d->c) != CONNECTION_OK && reconnect(d) == 0) {
			retried = 1;
			goto again;
		}
		s->done = 1;
		return rc;
	}
	int64_t ch = changed_rows(s->res);
	if (ch >= 0)
		d->changes = ch;
	return DB_OK;
}

static int pg_step(db_stmt *base)
{
	struct pg_stmt *s = ST(base);
	if (s->done)
		return DB_DONE;
	if (!s->res) {
		int rc = execute(s);
		if (rc != DB_OK)
			return rc;
	}
	clear_row(s);
	if (PQresultStatus(s->res) != PGRES_TUPLES_OK || s->row + 1 >= PQntuples(s->res)) {
		s->done = 1;
		return DB_DONE;
	}
	s->row++;
	return DB_ROW;
}

static int pg_col_count(db_stmt *base)
{
	struct pg_stmt *s = ST(base);
	return s->res ? PQnfields(s->res) : 0;
}

static int valid(struct pg_stmt *s, int i)
{
	return s->res && s->row >= 0 && s->row < PQntuples(s->res) && i >= 0 &&
	       i < PQnfields(s->res);
}

static int pg_col_is_null(db_stmt *base, int i)
{
	struct pg_stmt *s = ST(base);
	return !valid(s, i) || PQgetisnull(s->res, s->row, i);
}

static const char *pg_col_text(db_stmt *base, int i)
{
	struct pg_stmt *s = ST(base);
	return valid(s, i) ? PQgetvalue(s->res, s->row, i) : "";
}

static int64_t pg_col_int(db_stmt *base, int i)
{
	const char *t = pg_col_text(base, i);
	if (PQftype(ST(base)->res, i) == 16) /* bool */
		return t[0] == 't';
	if (t[0] == 't' && t[1] == '\0') /* a boolean in a text context */
		return 1;
	/* as SQLite: the leading number of a text, 0 for none; a real is cut */
	char *end;
	long long v = strtoll(t, &end, 10);
	if (*end == '.' || *end == 'e' || *end == 'E')
		return (int64_t)strtod(t, NULL);
	return v;
}

static double pg_col_double(db_stmt *base, int i)
{
	const char *t = pg_col_text(base, i);
	if (PQftype(ST(base)->res, i) == 16)
		return t[0] == 't';
	return strtod(t, NULL);
}

static const void *pg_col_blob(db_stmt *base, int i, size_t *n)
{
	struct pg_stmt *s = ST(base);
	*n = 0;
	if (!valid(s, i) || PQgetisnull(s->res, s->row, i))
		return NULL;
	if (PQftype(s->res, i) != 17) { /* not bytea: the text's bytes */
		*n = (size_t)PQgetlength(s->res, s->row, i);
		return PQgetvalue(s->res, s->row, i);
	}
	int nf = PQnfields(s->res);
	if (!s->blobs) {
		s->blobs = calloc((size_t)nf, sizeof *s->blobs);
		s->blob_lens = calloc((size_t)nf, sizeof *s->blob_lens);
		if (!s->blobs || !s->blob_lens)
			abort();
	}
	if (!s->blobs[i]) {
		s->blobs[i] = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, i),
		                              &s->blob_lens[i]);
		if (!s->blobs[i])
			abort();
	}
	*n = s->blob_lens[i];
	return s->blobs[i];
}

static int pg_exec_script(db *base, const char *script)
{
	struct pg_db *d = PG(base);
	return run_simple(d, script);
}

static int pg_begin(db *base)
{
	struct pg_db *d = PG(base);
	/* a transaction lost before is over: this one starts afresh */
	d->txn_lost = 0;
	d->nnotifies = 0;
	if (conn_ready(d) != 0)
		return DB_ERROR;
	int rc = run_simple(d, "BEGIN");
	/* a connection found lost by BEGIN changed nothing: once more */
	if (rc != DB_OK && PQstatus(d->c) != CONNECTION_OK && reconnect(d) == 0)
		rc = run_simple(d, "BEGIN");
	return rc;
}

static int64_t pg_changes(db *base)
{
	return PG(base)->changes;
}

static int pg_backup_to(db *base, const char *path, char *err, size_t errlen)
{
	snprintf(err, errlen, "backup is not supported by this driver (postgres); use pg_dump");
	return -1;
}

/* What PostgreSQL lets us check from a connection: every constraint was
 * validated, every index is valid and ready, and (when the amcheck
 * extension is installed) every B-tree index agrees with its table.
 * Foreign keys are always enforced by PostgreSQL, so there is no
 * equivalent of SQLite's foreign_key_check to run. */
static int pg_integrity_check(db *base, char *err, size_t errlen)
{
	struct pg_db *d = PG(base);
	static const char *checks[] = {
	        "SELECT conrelid::regclass::text || ': constraint ' || conname || ' not validated' "
	        "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
	        "WHERE n.nspname = current_schema() AND NOT c.convalidated LIMIT 1",
	        "SELECT i.indexrelid::regclass::text || ': index not valid' FROM pg_index i "
	        "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = "
	        "c.relnamespace WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND "
	        "i.indisready) LIMIT 1",
	        "SELECT c.relname || ': ' || 'index check failed' FROM pg_class c "
	        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam "
	        "WHERE n.nspname = current_schema() AND c.relkind = 'i' AND a.amname = 'btree' "
	        "AND EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck') "
	        "AND NOT (SELECT bt_index_check(c.oid) IS NULL) LIMIT 1",
	};
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		PGresult *r = PQexec(d->c, checks[i]);
		int rc = result_rc(d, r);
		if (rc != DB_OK) {
			PQclear(r);
			/* amcheck's function is looked up only when installed */
			if (i == 2 && strstr(d->err, "bt_index_check"))
				continue;
			snprintf(err, errlen, "cannot check the database: %s", d->err);
			return -1;
		}
		if (PQntuples(r) > 0) {
			snprintf(err, errlen, "integrity check failed: %s", PQgetvalue(r, 0, 0));
			PQclear(r);
			return -1;
		}
		PQclear(r);
	}
	return 0;
}

static int pg_table_exists(db *base, const char *name)
{
	struct pg_db *d = PG(base);
	if (conn_ready(d) != 0)
		return -1;
	const char *vals[1] = {name};
	PGresult *r = PQexecParams(d->c,
	                           "SELECT 1 FROM information_schema.tables WHERE table_schema = "
	                           "current_schema() AND table_name = $1",
	                           1, NULL, vals, NULL, NULL, 0);
	int rc = result_rc(d, r);
	int found = rc == DB_OK ? PQntuples(r) > 0 : -1;
	PQclear(r);
	return found;
}

/* Without vacuum there is nothing to do: PostgreSQL's write-ahead log is
 * recycled by its checkpoints and autovacuum reuses free space. */
static int pg_compact(db *base, int vacuum, char *err, size_t errlen)
{
	struct pg_db *d = PG(base);
	if (PQtransactionStatus(d->c) != PQTRANS_IDLE) {
		snprintf(err, errlen, "cannot compact inside a transaction");
		return -1;
	}
	if (vacuum && run_simple(d, "VACUUM") != DB_OK) {
		snprintf(err, errlen, "VACUUM: %s", d->err);
		return -1;
	}
	return 0;
}

/* ---- full-text search (db.h, struct db_fts) ----
 *
 * story_search (023_story_search.postgres.sql) keeps each story's text and
 * a tsvector of the stems our own tokenizer (analysis/tokenize.h, the one
 * SQLite's FTS5 uses) makes of it, with positions: a compound's parts share
 * their word's position, as FTS5's colocated tokens do. A match expression
 * ("phrase" AND "phrase" ...) is tokenized the same way (whole words) into
 * a tsquery: a phrase's stems follow each other (<->), every phrase must
 * match (&). So a search finds the same stories on both drivers. Rank is
 * minus ts_rank_cd (lower is better, as bm25); snippets come from
 * ts_headline with the marks of analysis/search.h (bytes 2 and 3): it reads
 * the text with PostgreSQL's 'simple' configuration (words lower-cased, not
 * stemmed) and marks every word that begins with one of the query's stems
 * ('wachttijd':* marks "wachttijden"), near what FTS5's snippet marks. */

static struct tok *pg_tok(struct pg_db *d)
{
	if (!d->tok && !(d->tok = tok_new()))
		abort();
	return d->tok;
}

/* A lexeme in tsvector/tsquery input syntax: quoted, ' and \ escaped. */
static void put_lexeme(buf *b, const char *tok, int len)
{
	buf_putc(b, '\'');
	for (int i = 0; i < len; i++) {
		if (tok[i] == '\'' || tok[i] == '\\')
			buf_putc(b, tok[i]);
		buf_putc(b, tok[i]);
	}
	buf_putc(b, '\'');
}

struct tsv_run {
	buf *out;
	int pos; /* of the last word, from 1 */
};

static int tsv_token(void *ctx, const char *tok, int len, int start, int end, int colocated)
{
	struct tsv_run *r = ctx;
	if (!colocated || r->pos == 0)
		r->pos++;
	if (len > 2046) /* PostgreSQL's longest lexeme */
		return 0;
	if (r->out->len)
		buf_putc(r->out, ' ');
	put_lexeme(r->out, tok, len);
	/* positions stop at 16383 in a tsvector: later words still match */
	buf_putc(r->out, ':');
	buf_put_int(r->out, r->pos < 16383 ? r->pos : 16383);
	return 0;
}

static int pg_fts_index_story(db *base, int64_t id, const char *body)
{
	struct pg_db *d = PG(base);
	buf tsv;
	buf_init(&tsv);
	struct tsv_run r = {&tsv, 0};
	tok_run(pg_tok(d), body, strlen(body), TOK_DOCUMENT, tsv_token, &r);
	db_stmt *ins = db_prepare(base, "INSERT INTO story_search (rowid, body, tsv) "
	                                "VALUES (:id, :body, CAST(:tsv AS tsvector))");
	db_bind_int(ins, "id", id);
	db_bind_text(ins, "body", body);
	db_bind_text(ins, "tsv", tsv.data ? tsv.data : "");
	int rc = db_step(ins);
	db_finalize(ins);
	buf_free(&tsv);
	return rc == DB_DONE ? DB_OK : rc;
}

static int pg_fts_forget_deleted(db *d)
{
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

struct tsq_run {
	buf *out;
	int n;      /* tokens of this phrase so far */
	buf *marks; /* every stem as a prefix, for ts_headline: 'a':* | 'b':* */
};

static int tsq_token(void *ctx, const char *tok, int len, int start, int end, int colocated)
{
	struct tsq_run *r = ctx;
	if (len > 2046)
		return 0;
	if (r->n++)
		buf_puts(r->out, " <-> ");
	put_lexeme(r->out, tok, len);
	if (r->marks->len)
		buf_puts(r->marks, " | ");
	put_lexeme(r->marks, tok, len);
	buf_puts(r->marks, ":*");
	return 0;
}

/* The tsquery of a match expression (see above) in q, and its stems as
 * prefixes in marks (for ts_headline). 0 when no phrase has a word left. */
static int match_query(struct pg_db *d, const char *match, buf *q, buf *marks)
{
	int phrases = 0;
	for (const char *p = match; (p = strchr(p, '"'));) {
		const char *e = p + 1;
		buf one;
		buf_init(&one);
		for (; *e; e++) {
			if (*e == '"' && e[1] == '"') {
				buf_putc(&one, '"');
				e++;
				continue;
			}
			if (*e == '"')
				break;
			buf_putc(&one, *e);
		}
		p = *e ? e + 1 : e;
		if (!one.data)
			continue;
		buf part;
		buf_init(&part);
		struct tsq_run r = {&part, 0, marks};
		tok_run(pg_tok(d), one.data, one.len, TOK_QUERY, tsq_token, &r);
		if (r.n) {
			if (phrases++)
				buf_puts(q, " & ");
			buf_putc(q, '(');
			buf_append(q, part.data, part.len);
			buf_putc(q, ')');
		}
		buf_free(&part);
		buf_free(&one);
	}
	return phrases;
}

static int pg_fts_search(db *base, const char *match, const int64_t *colls, int ncolls, int pilot,
                         int limit, int by_id, int snippets, int64_t from_id,
                         int (*hit)(void *ctx, int64_t story_id, double rank, const char *snippet),
                         void *ctx)
{
	struct pg_db *d = PG(base);
	buf q, marks, cj;
	buf_init(&q);
	buf_init(&marks);
	buf_init(&cj);
	if (!match_query(d, match, &q, &marks)) {
		buf_free(&q);
		buf_free(&marks);
		return DB_DONE; /* only words that are never indexed: no story */
	}
	buf_putc(&cj, '[');
	for (int i = 0; colls && i < ncolls; i++) {
		if (i)
			buf_putc(&cj, ',');
		buf_put_int(&cj, colls[i]);
	}
	buf_putc(&cj, ']');
	db_stmt *s = db_prepare(
	        base, "SELECT s.id, -ts_rank_cd(x.tsv, CAST(:q AS tsquery)), "
	              "CASE WHEN :snippets::bigint <> 0 THEN ts_headline('simple', x.body, "
	              "CAST(:marks AS tsquery), "
	              "'StartSel=' || chr(2) || ', StopSel=' || chr(3) || "
	              "', MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=...') "
	              "ELSE '' END "
	              "FROM story_search x JOIN stories s ON s.id = x.rowid "
	              "WHERE x.tsv @@ CAST(:q AS tsquery) "
	              "AND (:all_colls::bigint <> 0 OR s.collection_id IN "
	              "(SELECT value::bigint FROM json_array_elements_text(:colls::json))) "
	              "AND (:pilot::bigint <> 0 OR s.pilot = 0) AND s.id >= :from::bigint "
	              "ORDER BY CASE WHEN :by_id::bigint <> 0 THEN s.id END, 2, s.id "
	              "LIMIT CASE WHEN :limit::bigint > 0 THEN :limit::bigint END");
	db_bind_text(s, "q", q.data);
	db_bind_text(s, "marks", marks.data ? marks.data : "");
	db_bind_text(s, "colls", cj.data);
	db_bind_int(s, "all_colls", colls ? 0 : 1);
	db_bind_int(s, "snippets", snippets);
	db_bind_int(s, "pilot", pilot ? 1 : 0);
	db_bind_int(s, "by_id", by_id);
	db_bind_int(s, "limit", limit);
	db_bind_int(s, "from", from_id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		int r = hit(ctx, db_col_int(s, 0), db_col_double(s, 1), db_col_text(s, 2));
		if (r) {
			rc = r;
			break;
		}
	}
	db_finalize(s);
	buf_free(&q);
	buf_free(&marks);
	buf_free(&cj);
	return rc;
}

/* ---- change notification (db.h: db_listen, db_notify, db_wait) ---- */

static int pg_listen(db *base, const char *channel)
{
	struct pg_db *d = PG(base);
	for (int i = 0; i < d->nlistens; i++)
		if (strcmp(d->listens[i], channel) == 0)
			return DB_OK;
	assert(d->nlistens < (int)(sizeof d->listens / sizeof d->listens[0]));
	if (conn_ready(d) != 0)
		return DB_ERROR;
	int rc = listen_now(d, channel);
	if (rc == DB_OK)
		d->listens[d->nlistens++] = channel;
	return rc;
}

/* pg_notify(channel, '') for each pending channel: NOTIFY inside a
 * transaction is delivered when it commits, once per channel. */
static int send_notifies(struct pg_db *d)
{
	int rc = DB_OK;
	for (int i = 0; i < d->nnotifies && rc == DB_OK; i++) {
		const char *vals[1] = {d->notifies[i]};
		PGresult *r = PQexecParams(d->c, "SELECT pg_notify($1, '')", 1, NULL, vals, NULL,
		                           NULL, 0);
		rc = result_rc(d, r);
		PQclear(r);
	}
	d->nnotifies = 0;
	return rc;
}

static void pg_notify(db *base, const char *channel)
{
	struct pg_db *d = PG(base);
	for (int i = 0; i < d->nnotifies; i++)
		if (strcmp(d->notifies[i], channel) == 0)
			return;
	assert(d->nnotifies < (int)(sizeof d->notifies / sizeof d->notifies[0]));
	d->notifies[d->nnotifies++] = channel;
	/* outside a transaction: now (a lost connection loses nothing here:
	 * whoever listens catches up when it reconnects) */
	if (!d->txn_lost && PQstatus(d->c) == CONNECTION_OK &&
	    PQtransactionStatus(d->c) == PQTRANS_IDLE)
		send_notifies(d);
}

/* Takes every notification that has arrived; 1 when there was one. */
static int take_notifies(struct pg_db *d)
{
	int got = 0;
	PGnotify *n;
	while ((n = PQnotifies(d->c))) {
		got = 1;
		PQfreemem(n);
	}
	return got;
}

static int pg_wait(db *base, int timeout_ms)
{
	struct pg_db *d = PG(base);
	if (PQstatus(d->c) != CONNECTION_OK)
		return conn_ready(d) == 0 ? 1 : DB_ERROR;
	if (PQconsumeInput(d->c) && take_notifies(d))
		return 1;
	int64_t until = now_ms() + timeout_ms;
	for (;;) {
		if (PQstatus(d->c) != CONNECTION_OK)
			return conn_ready(d) == 0 ? 1 : DB_ERROR;
		int64_t left = until - now_ms();
		if (left <= 0)
			return 0;
		struct pollfd pfd = {.fd = PQsocket(d->c), .events = POLLIN};
		int n = poll(&pfd, 1, (int)left);
		if (n < 0 && errno != EINTR) {
			set_err(d, strerror(errno));
			return DB_ERROR;
		}
		if (n <= 0)
			continue;
		/* readable: notifications, or the end of the connection */
		if (!PQconsumeInput(d->c)) {
			set_err(d, PQerrorMessage(d->c));
			if (PQstatus(d->c) == CONNECTION_OK)
				return DB_ERROR; /* a socket error: the next wait sees */
			continue;                /* lost: reconnect at the top */
		}
		if (take_notifies(d))
			return 1;
	}
}

/* db_lock and db_try_lock: a transaction-scoped advisory lock keyed by the
 * schema and the name, so installations in other schemas of the same
 * database (and parallel tests) do not exclude each other. The caller's
 * transaction holds it until COMMIT or ROLLBACK; a rolled-back savepoint
 * gives it back too. */
static int pg_lock(db *base, const char *name, int wait)
{
	struct pg_db *d = PG(base);
	if (d->txn_lost) { /* the transaction it would belong to is gone */
		set_err(d, "the connection to the database was lost in this transaction");
		return DB_ERROR;
	}
	const char *vals[1] = {name};
	PGresult *r = PQexecParams(
	        d->c,
	        wait ? "SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext($1)), "
	               "true"
	             : "SELECT pg_try_advisory_xact_lock(hashtext(current_schema()), hashtext($1))",
	        1, NULL, vals, NULL, NULL, 0);
	int rc = result_rc(d, r);
	if (rc == DB_OK && PQntuples(r) == 1) {
		const char *v = PQgetvalue(r, 0, wait ? 1 : 0);
		rc = wait ? DB_OK : strcmp(v, "t") == 0;
	} else if (rc == DB_OK) {
		rc = DB_ERROR;
	}
	PQclear(r);
	return rc;
}

static const struct db_fts pg_fts = {
        .index_story = pg_fts_index_story,
        .forget_deleted = pg_fts_forget_deleted,
        .search = pg_fts_search,
};

const struct db_driver db_pg_driver = {
        .name = "postgres",
        .open = pg_open,
        .close = pg_close,
        .errmsg = pg_errmsg,
        .prepare = pg_prepare,
        .finalize = pg_finalize,
        .reset = pg_reset,
        .bind_index = pg_bind_index,
        .bind_text = pg_bind_text,
        .bind_int = pg_bind_int,
        .bind_double = pg_bind_double,
        .bind_blob = pg_bind_blob,
        .bind_null = pg_bind_null,
        .step = pg_step,
        .col_count = pg_col_count,
        .col_is_null = pg_col_is_null,
        .col_int = pg_col_int,
        .col_double = pg_col_double,
        .col_text = pg_col_text,
        .col_blob = pg_col_blob,
        .exec_script = pg_exec_script,
        .begin = pg_begin,
        .changes = pg_changes,
        .backup_to = pg_backup_to,
        .integrity_check = pg_integrity_check,
        .table_exists = pg_table_exists,
        .compact = pg_compact,
        .lock = pg_lock,
        .fts = &pg_fts,
        .listen = pg_listen,
        .notify = pg_notify,
        .wait = pg_wait,
};
