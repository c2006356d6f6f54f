/* cmd_import.c: `vertelpunt import`: stories from our CSV format into a collection, and a SenseMaker export as script, collection and stories. */
#include "cli/cli.h"
#include "core/clock.h"
#include "core/util.h"
#include "db/writer.h"
#include "io/csv.h"
#include "io/sensemaker.h"
#include "io/sensemaker_data.h"
#include "io/story_csv.h"
#include "model/audit.h"
#include "model/collection.h"
#include "model/participant.h"
#include "model/script.h"
#include "model/script_store.h"
#include "model/story.h"

#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "import"

enum { IMPORT_FILE_MAX = 256 << 20 };

static const char source_sensemaker[] = "sensemaker";

static int read_csv(const char *path, struct csv_table *t)
{
	buf b;
	buf_init(&b);
	if (cli_read_file(CMD, path, IMPORT_FILE_MAX, &b)) {
		buf_free(&b);
		return 1;
	}
	char err[256];
	int rc = csv_read(b.data ? b.data : "", b.len, t, err, sizeof err);
	buf_free(&b);
	if (rc)
		return cli_fail(CMD, "%s: %s (nothing imported)", path, err);
	if (t->nrows == 0)
		return cli_fail(CMD, "%s: no header row (nothing imported)", path);
	return 0;
}

/* The column a refusal of story_prepare is about: the question, else the
 * envelope field its message names. */
static const char *refused_column(const char *msg, const struct answer_error *e)
{
	if (e->question)
		return e->question;
	if (strstr(msg, "channel"))
		return "channel";
	if (strstr(msg, "language"))
		return "language";
	if (strstr(msg, "UUID"))
		return "id";
	return "(story)";
}

/* ---- rows left out (--skip-invalid) ------------------------------------------ */

/* Appends {"row", "line", "column", "question", "reason", "detail"} to
 * list: what docs/formats.md promises for every row --skip-invalid leaves
 * out. column and question may be NULL (the row as a whole is wrong). */
static void skip_row(json_t *list, size_t row, size_t line, const char *column,
                     const char *question, const char *reason, const char *detail)
{
	json_t *o = json_object();
	if (!o)
		abort();
	json_object_set_new(o, "row", json_integer((json_int_t)row));
	json_object_set_new(o, "line", json_integer((json_int_t)line));
	json_t *c = column ? json_string(column) : json_null();
	json_object_set_new(o, "column", c ? c : json_string("(not UTF-8)"));
	json_t *q = question ? json_string(question) : json_null();
	json_object_set_new(o, "question", q ? q : json_null());
	json_object_set_new(o, "reason", json_string(reason ? reason : ""));
	json_object_set_new(o, "detail", json_string(detail ? detail : ""));
	json_array_append_new(list, o);
}

static int by_row(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "row"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "row"));
	return (x > y) - (x < y);
}

/* Writes ,"skipped":N,"skipped_rows":[...] with the rows in file order. */
static void skipped_print(buf *out, json_t *list)
{
	size_t n = json_array_size(list);
	json_t **v = calloc(n ? n : 1, sizeof *v);
	if (!v)
		abort();
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(list, i));
	qsort(v, n, sizeof *v, by_row);
	json_array_clear(list);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, v[i]);
	free(v);
	buf_printf(out, ",\"skipped\":%zu,\"skipped_rows\":", n);
	char *txt = json_dumps(list, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
	if (!txt)
		abort();
	buf_puts(out, txt);
	free(txt);
}

/* ---- the stories, checked and stored ------------------------------------ */

/* The stories of one file: every row prepared, then compared with what is
 * stored already. */
struct batch {
	size_t n;
	struct story_submit *st;
	size_t *row;       /* the row in the file (header = 1) */
	size_t *line;      /* the line of the file the row starts on */
	size_t *src;       /* SenseMaker: the story's index in the export */
	char **responder;  /* SenseMaker responder ids (NULL: none) */
	unsigned char *is; /* 0: new, 1: stored already (same content), 2: again in the file */
	/* out of the writer job */
	size_t imported, already, participants_new, participants_linked;
	int gone;
	size_t conflict_row;
};

static void batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		story_submit_free(&b->st[i]);
	free(b->st);
	free(b->row);
	free(b->line);
	free(b->src);
	free(b->responder); /* the strings belong to the caller */
	free(b->is);
	memset(b, 0, sizeof *b);
}

static void batch_alloc(struct batch *b, size_t n)
{
	memset(b, 0, sizeof *b);
	b->st = calloc(n ? n : 1, sizeof *b->st);
	b->row = calloc(n ? n : 1, sizeof *b->row);
	b->line = calloc(n ? n : 1, sizeof *b->line);
	b->src = calloc(n ? n : 1, sizeof *b->src);
	b->responder = calloc(n ? n : 1, sizeof *b->responder);
	b->is = calloc(n ? n : 1, sizeof *b->is);
	if (!b->st || !b->row || !b->line || !b->src || !b->responder || !b->is)
		abort();
}

/* Takes story i out of b (a row --skip-invalid leaves out). */
static void batch_drop(struct batch *b, size_t i)
{
	assert(i < b->n);
	story_submit_free(&b->st[i]);
	size_t k = b->n - i - 1;
	memmove(&b->st[i], &b->st[i + 1], k * sizeof *b->st);
	memmove(&b->row[i], &b->row[i + 1], k * sizeof *b->row);
	memmove(&b->line[i], &b->line[i + 1], k * sizeof *b->line);
	memmove(&b->src[i], &b->src[i + 1], k * sizeof *b->src);
	memmove(&b->responder[i], &b->responder[i + 1], k * sizeof *b->responder);
	memmove(&b->is[i], &b->is[i + 1], k * sizeof *b->is);
	b->n--;
}

/* Prepares body as story i of b for collection c (b->row[i] and
 * b->line[i] set). Returns 0; or, when it does not pass the checks, 1
 * after printing the refusal with the row and column, or with skipped
 * (--skip-invalid) -1 after listing the row there. */
static int batch_prepare(struct batch *b, size_t i, const struct collection *c,
                         const struct script *sc, json_t *body, int64_t created_at,
                         const char *path, json_t *skipped)
{
	struct story_submit *st = &b->st[i];
	memset(st, 0, sizeof *st);
	st->collection = c;
	st->created_at = created_at;
	const char *msg = NULL;
	struct answer_error e;
	if (story_prepare(st, sc, body, 1, &msg, &e) != 0) {
		story_submit_free(st);
		if (skipped) {
			skip_row(skipped, b->row[i], b->line[i], refused_column(msg, &e),
			         e.question, msg, e.detail);
			return -1;
		}
		return cli_fail(CMD, "%s: row %zu, column %s: %s%s%s%s (nothing imported)", path,
		                b->row[i], refused_column(msg, &e), msg, e.detail[0] ? " (" : "",
		                e.detail, e.detail[0] ? ")" : "");
	}
	return 0;
}

/* Marks what is stored already; refuses (1, printed) a story stored with
 * other content or twice in the file with different content, or with
 * skipped (--skip-invalid) lists that row there and leaves it out. */
static int batch_compare(struct batch *b, db *d, const char *path, json_t *skipped)
{
	char why[160];
	for (size_t i = 0; i < b->n;) {
		int drop = 0;
		for (size_t j = 0; j < i; j++) {
			if (strcmp(b->st[i].uuid, b->st[j].uuid) != 0)
				continue;
			if (strcmp(b->st[i].content_hash, b->st[j].content_hash) != 0 && skipped) {
				snprintf(why, sizeof why, "row %zu", b->row[j]);
				skip_row(
				        skipped, b->row[i], b->line[i], "id", NULL,
				        "the story's id is also in another row, with other answers",
				        why);
				drop = 1;
				break;
			}
			if (strcmp(b->st[i].content_hash, b->st[j].content_hash) != 0)
				return cli_fail(
				        CMD,
				        "%s: row %zu, column id: story %s is also in row %zu, "
				        "with other answers (nothing imported)",
				        path, b->row[i], b->st[i].uuid, b->row[j]);
			b->is[i] = 2;
			break;
		}
		if (drop) {
			batch_drop(b, i);
			continue;
		}
		if (b->is[i]) {
			i++;
			continue;
		}
		db_stmt *s = db_prepare(d, "SELECT content_hash FROM stories WHERE uuid = :u");
		db_bind_text(s, "u", b->st[i].uuid);
		int rc = db_step(s);
		int same = rc == DB_ROW && strcmp(db_col_text(s, 0), b->st[i].content_hash) == 0;
		db_finalize(s);
		if (rc != DB_ROW && rc != DB_DONE)
			return cli_fail(CMD, "could not read the stories");
		if (rc == DB_ROW && !same && skipped) {
			skip_row(skipped, b->row[i], b->line[i], "id", NULL,
			         "the story is stored already with other content", b->st[i].uuid);
			batch_drop(b, i);
			continue;
		}
		if (rc == DB_ROW && !same)
			return cli_fail(CMD,
			                "%s: row %zu, column id: story %s is stored already with "
			                "other content (nothing imported)",
			                path, b->row[i], b->st[i].uuid);
		if (same)
			b->is[i] = 1;
		i++;
	}
	return 0;
}

/* The participant of an outside identity: found, or made with an empty
 * contact and remembered. */
static int participant_for(db *d, struct batch *b, const char *source, const char *external,
                           int64_t *id)
{
	db_stmt *s = db_prepare(d, "SELECT participant_id FROM participant_external_ids "
	                           "WHERE source = :s AND external_id = :e");
	db_bind_text(s, "s", source);
	db_bind_text(s, "e", external);
	int rc = db_step(s);
	if (rc == DB_ROW)
		*id = db_col_int(s, 0);
	db_finalize(s);
	if (rc == DB_ROW)
		return DB_OK;
	if (rc != DB_DONE)
		return rc;
	struct contact none = {0};
	char code[PARTICIPANT_CODE_LEN + 1];
	if ((rc = participant_create(d, NULL, &none, code, id)) != DB_OK)
		return rc;
	s = db_prepare(d, "INSERT INTO participant_external_ids (participant_id, source, "
	                  "external_id, created_at) VALUES (:p, :s, :e, :at)");
	db_bind_int(s, "p", *id);
	db_bind_text(s, "s", source);
	db_bind_text(s, "e", external);
	db_bind_int(s, "at", clock_now());
	rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	char actor[AUDIT_ACTOR_MAX + 1], idtxt[24];
	audit_cli_actor(actor, sizeof actor);
	snprintf(idtxt, sizeof idtxt, "%lld", (long long)*id);
	struct audit_entry e = {.actor = actor,
	                        .action = "create",
	                        .object_type = "participant",
	                        .object_id = idtxt,
	                        .subject_code = code,
	                        .origin = "cli",
	                        .detail = "import"};
	b->participants_new++;
	return audit_append(d, &e);
}

/* The writer job: every new story of the batch, with its participant. */
static int batch_write(db *d, void *ctx)
{
	struct batch *b = ctx;
	b->imported = b->already = b->participants_new = b->participants_linked = 0;
	b->gone = 0;
	b->conflict_row = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct story_submit *st = &b->st[i];
		if (b->is[i]) {
			b->already += b->is[i] == 1;
			continue;
		}
		st->participant_id = 0;
		int rc;
		if (b->responder[i] &&
		    (rc = participant_for(d, b, source_sensemaker, b->responder[i],
		                          &st->participant_id)) != DB_OK)
			return rc;
		b->participants_linked += st->participant_id != 0;
		if ((rc = story_submit_write(d, st)) != DB_OK)
			return rc;
		if (st->result == STORY_GONE) {
			b->gone = 1;
			return 1;
		}
		if (st->result == STORY_CONFLICT) {
			b->conflict_row = b->row[i];
			return 1;
		}
		if (st->result == STORY_SAME)
			b->already++;
		else
			b->imported++;
	}
	return 0;
}

/* Runs the batch's writer job; 0, or 1 after printing why. */
static int batch_store(struct batch *b, const char *url, const char *path)
{
	char err[256];
	writer *w = writer_start(url, err, sizeof err);
	if (!w)
		return cli_fail(CMD, "%s", err);
	int rc = writer_run(w, batch_write, b);
	writer_stop(w);
	if (b->gone)
		return cli_fail(CMD, "the collection takes no stories now (closed, or its version "
		                     "retired): nothing imported");
	if (b->conflict_row)
		return cli_fail(CMD,
		                "%s: row %zu: the story was stored meanwhile with other "
		                "content (nothing imported)",
		                path, b->conflict_row);
	if (rc)
		return cli_fail(CMD, "could not store the stories (%d): nothing imported", rc);
	return 0;
}

/* ---- import stories ---------------------------------------------------------- */

static int find_collection(db *d, int64_t org, const char *which, struct collection *c)
{
	int64_t id;
	int rc;
	if (collection_token_valid(which))
		rc = collection_by_token(d, which, c);
	else if (util_parse_id(which, &id) == 0)
		rc = collection_by_id(d, org, id, c);
	else
		return cli_fail(CMD, "--collection wants a collection id or its token");
	if (rc == DB_ROW && c->org_id != org)
		rc = DB_DONE;
	if (rc == DB_DONE)
		return cli_fail(CMD, "no collection %s", which);
	if (rc != DB_ROW)
		return cli_fail(CMD, "could not read the collection");
	if (c->closed || (c->script_status != SCRIPT_PILOT && c->script_status != SCRIPT_PUBLISHED))
		return cli_fail(CMD,
		                "collection %s takes no stories (closed, or its version retired)",
		                which);
	return 0;
}

static int cmd_stories(const char *url, int argc, char **argv)
{
	static const struct option opts[] = {{"collection", required_argument, 0, 'c'},
	                                     {"skip-invalid", no_argument, 0, 's'},
	                                     {0}};
	const char *which = NULL;
	int ch, skip = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'c')
			which = optarg;
		else if (ch == 's')
			skip = 1;
		else
			return cli_fail(CMD, "see `vertelpunt help import`");
	}
	if (!which || optind != argc - 1)
		return cli_fail(CMD, "usage: vertelpunt import stories --collection ID|TOKEN "
		                     "[--skip-invalid] FILE.csv");
	const char *path = argv[optind];
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	int64_t org = cli_first_org(d);
	struct collection c;
	if (find_collection(d, org, which, &c)) {
		db_close(d);
		return 1;
	}
	char err[512];
	struct script *sc = script_load(d, org, c.script_id, c.script_version, err, sizeof err);
	if (!sc) {
		db_close(d);
		return cli_fail(CMD, "the collection's script does not load: %s", err);
	}
	struct csv_table t = {0};
	struct batch b;
	int rc = 1;
	json_t *skipped = skip ? json_array() : NULL;
	if (skip && !skipped)
		abort();
	batch_alloc(&b, 0);
	if (read_csv(path, &t))
		goto out_script;
	const struct csv_row *head = &t.rows[0];
	if (story_csv_header(sc, head->field, head->n, err, sizeof err)) {
		cli_fail(CMD, "%s: %s (nothing imported)", path, err);
		goto out;
	}
	batch_free(&b);
	batch_alloc(&b, t.nrows);
	for (size_t r = 1; r < t.nrows; r++) {
		const struct csv_row *row = &t.rows[r];
		if (csv_row_blank(row))
			continue; /* empty lines and ",,," rows spreadsheets leave */
		if (row->n != head->n && skipped) {
			char why[96];
			snprintf(why, sizeof why, "%zu fields, the header has %zu", row->n,
			         head->n);
			skip_row(skipped, r + 1, row->line, NULL, NULL, why, "");
			continue;
		}
		if (row->n != head->n) {
			cli_fail(CMD,
			         "%s: row %zu (line %zu): %zu fields, the header has %zu "
			         "(nothing imported)",
			         path, r + 1, row->line, row->n, head->n);
			goto out;
		}
		int64_t told = 0;
		char col[SCRIPT_ID_MAX + 16];
		json_t *body = story_csv_row(sc, c.script_version, c.token, head->field, row->field,
		                             row->n, &told, col, sizeof col, err, sizeof err);
		if (!body && skipped) {
			skip_row(skipped, r + 1, row->line, col,
			         script_question(sc, col) ? col : NULL, err, "");
			continue;
		}
		if (!body) {
			cli_fail(CMD, "%s: row %zu, column %s: %s (nothing imported)", path, r + 1,
			         col, err);
			goto out;
		}
		b.row[b.n] = r + 1;
		b.line[b.n] = row->line;
		int bad = batch_prepare(&b, b.n, &c, sc, body, told, path, skipped);
		json_decref(body);
		if (bad > 0)
			goto out;
		if (bad == 0)
			b.n++;
	}
	if (batch_compare(&b, d, path, skipped))
		goto out;
	db_close(d);
	d = NULL;
	if (batch_store(&b, url, path))
		goto out;
	buf o;
	buf_init(&o);
	buf_printf(&o, "{\"imported\":%zu,\"already\":%zu", b.imported, b.already);
	if (skipped)
		skipped_print(&o, skipped);
	buf_putc(&o, '}');
	cli_print(&o);
	rc = 0;
out:
	csv_table_free(&t);
out_script:
	batch_free(&b);
	json_decref(skipped);
	script_free(sc);
	if (d)
		db_close(d);
	return rc;
}

/* ---- import sensemaker -------------------------------------------------------- */

/* Top-level values of a definition come wrapped in one-element arrays. */
static const char *def_str(json_t *def, const char *key)
{
	json_t *v = json_object_get(def, key);
	if (json_is_array(v))
		v = json_array_get(v, 0);
	return json_string_value(v);
}

static json_t *load_json(const char *path)
{
	buf b;
	buf_init(&b);
	if (cli_read_file(CMD, path, IMPORT_FILE_MAX, &b)) {
		buf_free(&b);
		return NULL;
	}
	json_error_t jerr;
	json_t *j = json_loadb(b.data ? b.data : "", b.len, JSON_REJECT_DUPLICATES, &jerr);
	buf_free(&b);
	if (!j)
		cli_fail(CMD, "%s: not valid JSON (line %d): %s (nothing imported)", path,
		         jerr.line, jerr.text);
	return j;
}

/* Script, publication, collection and the note of where it came from: one
 * writer job, so a failure leaves none of them. */
struct setup_job {
	struct script_save_job save;
	struct script_status_job status;
	struct collection_new cn;
	const char *external_id;
	int stage; /* what failed: 1 save, 2 publish, 3 collection */
};

static int setup_write(db *d, void *ctx)
{
	struct setup_job *j = ctx;
	j->stage = 0;
	int rc = script_save_write(d, &j->save);
	if (rc)
		return rc;
	if (j->save.result != SCRIPT_OK)
		return j->stage = 1;
	j->status.org_id = j->save.org_id;
	j->status.script_id = j->save.script_id;
	j->status.version = j->save.version;
	j->status.to = SCRIPT_PUBLISHED;
	if ((rc = script_status_write(d, &j->status)) != 0)
		return rc;
	if (j->status.result != SCRIPT_OK)
		return j->stage = 2;
	j->cn.script_id = j->save.script_id;
	j->cn.script_version = j->save.version;
	if ((rc = collection_create_write(d, &j->cn)) != 0)
		return rc;
	if (j->cn.result != COLLECTION_OK)
		return j->stage = 3;
	db_stmt *s = db_prepare(
	        d, "INSERT INTO import_sources (collection_id, source, external_id, created_at) "
	           "VALUES (:c, :s, :e, :at) ON CONFLICT (source, external_id) "
	           "DO UPDATE SET collection_id = excluded.collection_id");
	db_bind_int(s, "c", j->cn.id);
	db_bind_text(s, "s", source_sensemaker);
	db_bind_text(s, "e", j->external_id);
	db_bind_int(s, "at", clock_now());
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? 0 : rc;
}

/* The collection an earlier import of this definition made, when its
 * script version says exactly what this one says. 1 and *c when so. */
static int earlier_collection(db *d, int64_t org, const char *external_id, const struct script *sc,
                              struct collection *c)
{
	db_stmt *s = db_prepare(d, "SELECT collection_id FROM import_sources "
	                           "WHERE source = :s AND external_id = :e");
	db_bind_text(s, "s", source_sensemaker);
	db_bind_text(s, "e", external_id);
	int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	if (!id || collection_by_id(d, org, id, c) != DB_ROW)
		return 0;
	struct script_version v;
	if (script_version_get(d, org, c->script_id, c->script_version, &v) != DB_OK)
		return 0;
	buf ours;
	buf_init(&ours);
	script_emit(sc, &ours);
	int same = ours.data && v.body && strcmp(ours.data, v.body) == 0;
	buf_free(&ours);
	script_version_free(&v);
	return same;
}

static int cmd_sensemaker(const char *url, int argc, char **argv)
{
	static const struct option opts[] = {{"definition", required_argument, 0, 'd'},
	                                     {"data", required_argument, 0, 'a'},
	                                     {"layout", required_argument, 0, 'l'},
	                                     {"skip-invalid", no_argument, 0, 's'},
	                                     {0}};
	const char *def_path = NULL, *data_path = NULL, *layout_path = NULL;
	int ch, skip = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': def_path = optarg; break;
		case 'a': data_path = optarg; break;
		case 'l': layout_path = optarg; break;
		case 's': skip = 1; break;
		default: return cli_fail(CMD, "see `vertelpunt help import`");
		}
	}
	if (!def_path || !data_path || optind != argc)
		return cli_fail(CMD,
		                "usage: vertelpunt import sensemaker --definition D.json --data "
		                "F.csv [--layout L.json] [--skip-invalid]");
	json_t *def = load_json(def_path), *layout = NULL;
	if (!def)
		return 1;
	if (layout_path && !(layout = load_json(layout_path))) {
		json_decref(def);
		return 1;
	}
	int rc = 1;
	char err[1024];
	buf report, out;
	buf_init(&report);
	buf_init(&out);
	struct script *sc = NULL;
	struct csv_table t = {0};
	struct sm_data data = {0};
	struct batch b;
	db *d = NULL;
	json_t *skipped = skip ? json_array() : NULL;
	if (skip && !skipped)
		abort();
	batch_alloc(&b, 0);
	const char *def_id = def_str(def, "id");
	const char *name = def_str(def, "name");
	json_t *ours = sensemaker_to_script_layout(def, layout, &report, err, sizeof err);
	if (!ours) {
		cli_fail(CMD, "%s: %s (nothing imported)", def_path, err);
		goto out;
	}
	sc = script_parse(ours, err, sizeof err);
	json_decref(ours);
	if (!sc) {
		cli_fail(CMD, "%s: %s (nothing imported)", def_path, err);
		goto out;
	}
	struct lint_result lr;
	script_lint(sc, &lr);
	if (lr.errors) {
		buf items;
		buf_init(&items);
		lint_result_json(&lr, &items);
		cli_fail(CMD,
		         "%s: the script has %d lint errors and cannot be published (nothing "
		         "imported): %s",
		         def_path, lr.errors, items.data);
		buf_free(&items);
		lint_result_free(&lr);
		goto out;
	}
	lint_result_free(&lr);
	if (!def_id || !def_id[0])
		def_id = sc->key;
	if (read_csv(data_path, &t))
		goto out;
	if ((skip ? sensemaker_data_read_skipping : sensemaker_data_read)(sc, 1, def_id, &t, &data,
	                                                                  err, sizeof err)) {
		cli_fail(CMD, "%s: %s (nothing imported)", data_path, err);
		goto out;
	}
	for (size_t i = 0; skipped && i < json_array_size(data.bad); i++) {
		json_t *o = json_array_get(data.bad, i);
		skip_row(skipped, (size_t)json_integer_value(json_object_get(o, "row")),
		         (size_t)json_integer_value(json_object_get(o, "line")),
		         json_string_value(json_object_get(o, "column")),
		         json_string_value(json_object_get(o, "question")),
		         json_string_value(json_object_get(o, "reason")), "");
	}
	/* Every story checked before anything is stored: against a stand-in
	 * collection of version 1 (the checks do not depend on which). */
	struct collection c = {.script_version = 1, .script_status = SCRIPT_PUBLISHED};
	batch_free(&b);
	batch_alloc(&b, data.n);
	for (size_t i = 0; i < data.n; i++) {
		b.row[b.n] = data.stories[i].row;
		b.line[b.n] = data.stories[i].line;
		b.src[b.n] = i;
		b.responder[b.n] = data.stories[i].responder;
		int bad = batch_prepare(&b, b.n, &c, sc, data.stories[i].body,
		                        data.stories[i].created_at, data_path, skipped);
		if (bad > 0)
			goto out;
		if (bad == 0)
			b.n++;
	}
	d = cli_open_migrated(CMD, url);
	if (!d)
		goto out;
	int64_t org = cli_first_org(d);
	if (!org) {
		cli_fail(CMD, "no organisation: run `vertelpunt init` first");
		goto out;
	}
	int reused = earlier_collection(d, org, def_id, sc, &c);
	if (!reused) {
		/* A new collection holds none of these stories: any stored one
		 * is in another collection. */
		db_stmt *s = db_prepare(d, "SELECT 1 FROM stories WHERE uuid = :u");
		for (size_t i = 0; i < b.n;) {
			db_reset(s);
			db_bind_text(s, "u", b.st[i].uuid);
			int found = db_step(s) == DB_ROW;
			if (found && skipped) {
				skip_row(skipped, b.row[i], b.line[i], "id", NULL,
				         "the story is stored already in another collection",
				         b.st[i].uuid);
				batch_drop(&b, i);
				continue;
			}
			if (found) {
				db_finalize(s);
				cli_fail(CMD,
				         "%s: row %zu, column id: story %s is stored already in "
				         "another "
				         "collection (nothing imported)",
				         data_path, b.row[i], b.st[i].uuid);
				goto out;
			}
			i++;
		}
		db_finalize(s);
		db_close(d);
		d = NULL;
		char title[COLLECTION_TITLE_MAX * 4 + 1]; /* characters of up to 4 bytes */
		snprintf(title, sizeof title, "%s",
		         name && name[0] ? name : ltext_get(&sc->title, "nl"));
		struct setup_job j = {.save = {.org_id = org, .script = sc},
		                      .cn = {.org_id = org,
		                             .title = title,
		                             .purpose = "Ge\xc3\xafmporteerd uit SenseMaker",
		                             .retention_days = COLLECTION_RETENTION_DEFAULT},
		                      .external_id = def_id};
		const char *bad = collection_check(&j.cn);
		if (bad) {
			cli_fail(CMD, "%s: the collection: %s (nothing imported)", def_path, bad);
			goto out;
		}
		writer *w = writer_start(url, err, sizeof err);
		if (!w) {
			cli_fail(CMD, "%s", err);
			goto out;
		}
		int wrc = writer_run(w, setup_write, &j);
		writer_stop(w);
		if (j.stage == 1) {
			cli_fail(CMD,
			         "%s: the script could not be stored (%d): %s (nothing imported)",
			         def_path, j.save.result, j.save.detail);
			goto out;
		}
		if (j.stage == 2) {
			cli_fail(CMD,
			         "%s: the script could not be published (%d): %s (nothing "
			         "imported)",
			         def_path, j.status.result, j.status.detail);
			goto out;
		}
		if (j.stage == 3 || wrc) {
			cli_fail(CMD,
			         "%s: the collection could not be made (%d) (nothing imported)",
			         def_path, wrc);
			goto out;
		}
		d = cli_open_migrated(CMD, url);
		if (!d || collection_by_id(d, org, j.cn.id, &c) != DB_ROW) {
			cli_fail(CMD, "could not read the new collection");
			goto out;
		}
	}
	/* Now for real, in the collection; what passed above passes again. */
	for (size_t i = 0; i < b.n; i++) {
		struct sm_story *ds = &data.stories[b.src[i]];
		story_submit_free(&b.st[i]);
		json_object_set_new(ds->body, "script_version", json_integer(c.script_version));
		if (batch_prepare(&b, i, &c, sc, ds->body, ds->created_at, data_path, NULL))
			goto out;
	}
	if (batch_compare(&b, d, data_path, skipped))
		goto out;
	db_close(d);
	d = NULL;
	if (batch_store(&b, url, data_path))
		goto out;
	buf_printf(&out, "{\"script\":{\"id\":%lld,\"version\":%d,\"key\":", (long long)c.script_id,
	           c.script_version);
	buf_json_str(&out, sc->key);
	buf_printf(
	        &out,
	        "},\"collection\":{\"id\":%lld,\"token\":\"%s\",\"short_code\":\"%.4s-%.4s\","
	        "\"new\":%s},\"stories\":%zu,\"imported\":%zu,\"already\":%zu,"
	        "\"participants\":{\"new\":%zu,\"stories_linked\":%zu},\"report\":{\"definition\":",
	        (long long)c.id, c.token, c.short_code, c.short_code + 4, reused ? "false" : "true",
	        b.n, b.imported, b.already, b.participants_new, b.participants_linked);
	buf_puts(&out, report.data ? report.data : "null");
	buf_puts(&out, ",\"skipped_columns\":");
	char *sk = json_dumps(data.skipped, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (!sk)
		abort();
	buf_puts(&out, sk);
	free(sk);
	buf_putc(&out, '}');
	if (skipped)
		skipped_print(&out, skipped);
	buf_putc(&out, '}');
	cli_print(&out);
	rc = 0;
out:
	if (rc)
		buf_free(&out);
	if (d)
		db_close(d);
	batch_free(&b);
	json_decref(skipped);
	sensemaker_data_free(&data);
	csv_table_free(&t);
	script_free(sc);
	buf_free(&report);
	json_decref(def);
	json_decref(layout);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	if (argc < 2)
		return cli_fail(CMD, "what to import? (see `vertelpunt help import`)");
	const char *what = argv[1];
	argc--, argv++;
	if (strcmp(what, "stories") == 0)
		return cmd_stories(url, argc, argv);
	if (strcmp(what, "sensemaker") == 0)
		return cmd_sensemaker(url, argc, argv);
	return cli_fail(CMD, "%s: unknown (see `vertelpunt help import`)", what);
}
