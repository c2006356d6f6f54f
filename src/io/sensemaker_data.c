/* sensemaker_data.c: reads a SenseMaker data export: classifies its columns by the script, then turns each row into a submission. */
#include "io/sensemaker_data.h"

#include "io/story_csv.h"
#include "model/story.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What one column of the export is. */
enum col_kind {
	C_SKIP,      /* not imported; reported */
	C_UNUSED,    /* explained but not read (a triad's percentX, a dyad's poles) */
	C_ID,        /* id */
	C_TIME,      /* server_upload_time */
	C_RESPONDER, /* responder_id */
	C_LANGUAGE,  /* language */
	C_VALUE,     /* the question's own column: text or an item id */
	C_ITEM,      /* <list>_<item> */
	C_CORNER,    /* <triad>_<corner> */
	C_NA,        /* <q>_NA */
	C_X,         /* <dyad>_percentX */
	C_STONE_X,   /* <stones>_<stone>_percentX */
	C_STONE_Y
};

struct col {
	enum col_kind kind;
	const struct question *q;
	int opt; /* option, corner or stone index */
};

static json_t *must(json_t *j)
{
	if (!j)
		abort();
	return j;
}

static int option_index(const struct question *q, const char *id, size_t n)
{
	for (int i = 0; i < q->noptions; i++)
		if (strlen(q->options[i].id) == n && strncmp(q->options[i].id, id, n) == 0)
			return i;
	return -1;
}

static void skipped(json_t *list, const char *column, const char *reason)
{
	json_t *o = must(json_object());
	json_t *c = json_string(column);
	json_object_set_new(o, "column", c ? c : must(json_string("(not UTF-8)")));
	json_object_set_new(o, "reason", must(json_string(reason)));
	json_array_append_new(list, o);
}

/* The kind of a column whose name is question q's id, '_' and suffix. */
static struct col classify_suffix(const struct question *q, const char *suffix, const char **reason)
{
	struct col c = {C_SKIP, q, -1};
	size_t n = strlen(suffix);
	switch (q->type) {
	case Q_CHOICE:
	case Q_MULTI:
		if ((c.opt = option_index(q, suffix, n)) >= 0)
			c.kind = C_ITEM;
		else
			*reason = "an item the script does not have (hidden in the definition?)";
		break;
	case Q_TRIAD:
		if (strcmp(suffix, "NA") == 0)
			c.kind = C_NA;
		else if (strcmp(suffix, "percentX") == 0 || strcmp(suffix, "percentY") == 0)
			c.kind = C_UNUSED;
		else if ((c.opt = option_index(q, suffix, n)) >= 0)
			c.kind = C_CORNER;
		else
			*reason = "not a corner of the triad";
		break;
	case Q_DYAD:
		if (strcmp(suffix, "NA") == 0)
			c.kind = C_NA;
		else if (strcmp(suffix, "percentX") == 0)
			c.kind = C_X;
		else if (option_index(q, suffix, n) >= 0)
			c.kind = C_UNUSED;
		else
			*reason = "not a pole of the dyad";
		break;
	case Q_STONES: {
		const char *u = strrchr(suffix, '_');
		if (u && (strcmp(u, "_percentX") == 0 || strcmp(u, "_percentY") == 0) &&
		    (c.opt = option_index(q, suffix, (size_t)(u - suffix))) >= 0)
			c.kind = u[8] == 'X' ? C_STONE_X : C_STONE_Y;
		else
			*reason = "not a stone's position";
		break;
	}
	default: *reason = "not a column this question has"; break;
	}
	return c;
}

static struct col classify(const struct script *s, const char *name, const char **reason)
{
	struct col c = {C_SKIP, NULL, -1};
	*reason = "SenseMaker metadata, not imported";
	if (strcmp(name, "id") == 0)
		c.kind = C_ID;
	else if (strcmp(name, "server_upload_time") == 0)
		c.kind = C_TIME;
	else if (strcmp(name, "responder_id") == 0)
		c.kind = C_RESPONDER;
	else if (strcmp(name, "language") == 0)
		c.kind = C_LANGUAGE;
	if (c.kind != C_SKIP)
		return c;
	const struct question *q = script_question(s, name);
	if (q) {
		c.q = q;
		if (q->type == Q_STORY || q->type == Q_TEXT || q->type == Q_CHOICE ||
		    q->type == Q_MULTI)
			c.kind = C_VALUE;
		else
			*reason = "not a column this question has";
		return c;
	}
	/* <question>_<suffix>: ids may hold '_' themselves, so every '_' is
	 * tried, the longest question id first. */
	size_t n = strlen(name);
	char id[SCRIPT_ID_MAX + 1];
	for (size_t i = n; i-- > 1;) {
		if (name[i] != '_' || i > SCRIPT_ID_MAX)
			continue;
		memcpy(id, name, i);
		id[i] = 0;
		if ((q = script_question(s, id)) != NULL)
			return classify_suffix(q, name + i + 1, reason);
	}
	if (strncmp(name, "meta_", 5) != 0 && strcmp(name, "project_id") != 0 &&
	    strcmp(name, "version") != 0 && strcmp(name, "definition_version") != 0)
		*reason = "the definition does not explain this column";
	return c;
}

/* A number 0..1 as SenseMaker writes it; -1 with err when not one. */
static int fraction(const char *v, double *out)
{
	errno = 0;
	char *end;
	double d = strtod(v, &end);
	if (end == v || *end || errno || !isfinite(d) || d < -0.001 || d > 1.001)
		return -1;
	*out = d < 0 ? 0 : d > 1 ? 1 : d;
	return 0;
}

static int is_one(const char *v)
{
	char *end;
	double d = strtod(v, &end);
	return end != v && !*end && d == 1;
}

/* 0..1 to 0..100, rounded to 1e-6 so float noise does not show. */
static json_t *percent(double f)
{
	double p = round(f * 100 * 1e6) / 1e6;
	if (p == floor(p))
		return must(json_integer((json_int_t)p));
	return must(json_real(p));
}

/* The answer to q from the row's cells; *out NULL when unanswered.
 * Returns 0, or -1 with err and, when one cell is to blame, *bad_col (its
 * index + 1). */
static int answer(const struct question *q, const struct col *cols, char *const *cell, size_t n,
                  json_t **out, size_t *bad_col, char *err, size_t errlen)
{
	*out = NULL;
	double w[3] = {0}, xy[2][64];
	int have[3] = {0}, na = 0, nx = 0;
	const char *value = NULL;
	json_t *items = NULL;
	unsigned char placed[2][64] = {{0}};
	for (size_t i = 0; i < n; i++) {
		const struct col *c = &cols[i];
		const char *v = cell[i];
		if (c->q != q || !v[0])
			continue;
		switch (c->kind) {
		case C_VALUE: value = v; break;
		case C_ITEM:
			if (!is_one(v))
				break;
			if (!items)
				items = must(json_array());
			json_array_append_new(items, must(json_string(q->options[c->opt].id)));
			break;
		case C_NA: na = is_one(v); break;
		case C_CORNER:
		case C_X:
		case C_STONE_X:
		case C_STONE_Y: {
			double f;
			if (fraction(v, &f)) {
				snprintf(err, errlen, "\"%.40s\" is not a number from 0 to 1", v);
				*bad_col = i + 1;
				json_decref(items);
				return -1;
			}
			if (c->kind == C_CORNER)
				w[c->opt] = f, have[c->opt] = 1;
			else if (c->kind == C_X)
				w[0] = f, nx = 1;
			else if (c->opt < 64)
				xy[c->kind == C_STONE_Y][c->opt] = f,
				              placed[c->kind == C_STONE_Y][c->opt] = 1;
			break;
		}
		default: break;
		}
	}
	switch (q->type) {
	case Q_STORY:
		if (value)
			*out = must(json_object()),
			json_object_set_new(*out, "prompt", must(json_string(q->options[0].id))),
			json_object_set_new(*out, "text", must(json_string(value)));
		break;
	case Q_TEXT:
		if (value)
			*out = must(json_string(value));
		break;
	case Q_CHOICE:
		if (value && items) {
			snprintf(err, errlen, "both an item id and item columns are given");
			goto fail;
		}
		if (items && json_array_size(items) > 1) {
			snprintf(err, errlen, "more than one item chosen of a one-answer list");
			goto fail;
		}
		if (value)
			*out = must(json_string(value));
		else if (items)
			*out = json_incref(json_array_get(items, 0));
		break;
	case Q_MULTI:
		if (value) {
			if (!items)
				items = must(json_array());
			json_array_append_new(items, must(json_string(value)));
		}
		*out = json_incref(items);
		break;
	case Q_TRIAD:
		if (na) {
			*out = json_null();
			break;
		}
		if (!have[0] && !have[1] && !have[2])
			break;
		if (!have[0] || !have[1] || !have[2] || w[0] + w[1] + w[2] <= 0) {
			snprintf(err, errlen, "a triad needs the weights of its three corners");
			goto fail;
		}
		*out = must(json_array());
		for (int k = 0; k < 3; k++)
			json_array_append_new(*out, must(json_real(w[k] / (w[0] + w[1] + w[2]))));
		break;
	case Q_DYAD:
		if (na)
			*out = json_null();
		else if (nx)
			*out = percent(w[0]);
		break;
	case Q_STONES:
		for (int k = 0; k < q->noptions && k < 64; k++) {
			if (placed[0][k] != placed[1][k]) {
				snprintf(err, errlen, "stone %.40s has only one of x and y",
				         q->options[k].id);
				goto fail;
			}
			if (!placed[0][k])
				continue;
			if (!*out)
				*out = must(json_object());
			json_t *p = must(json_array());
			json_array_append_new(p, percent(xy[0][k]));
			json_array_append_new(p, percent(xy[1][k]));
			json_object_set_new(*out, q->options[k].id, p);
		}
		break;
	default: break;
	}
	json_decref(items);
	return 0;
fail:
	json_decref(items);
	return -1;
}

void sensemaker_data_free(struct sm_data *d)
{
	for (size_t i = 0; i < d->n; i++) {
		json_decref(d->stories[i].body);
		free(d->stories[i].responder);
	}
	free(d->stories);
	json_decref(d->skipped);
	json_decref(d->bad);
	memset(d, 0, sizeof *d);
}

/* A row that cannot be read: refused (err, return -1) or, when skipping,
 * listed in out->bad (return 0). column, question may be NULL. */
static int row_error(struct sm_data *out, int skip, size_t row, size_t line, const char *column,
                     const char *question, const char *reason, char *err, size_t errlen)
{
	if (!skip) {
		if (column)
			snprintf(err, errlen, "row %zu, column %s: %s", row, column, reason);
		else if (question)
			snprintf(err, errlen, "row %zu, question %s: %s", row, question, reason);
		else
			snprintf(err, errlen, "row %zu (line %zu): %s", row, line, reason);
		return -1;
	}
	json_t *o = must(json_object());
	json_object_set_new(o, "row", must(json_integer((json_int_t)row)));
	json_object_set_new(o, "line", must(json_integer((json_int_t)line)));
	json_t *c = column ? json_string(column) : json_null();
	json_object_set_new(o, "column", c ? c : must(json_string("(not UTF-8)")));
	json_object_set_new(o, "question", question ? must(json_string(question)) : json_null());
	json_object_set_new(o, "reason", must(json_string(reason)));
	json_array_append_new(out->bad, o);
	return 0;
}

static int read_rows(const struct script *s, int script_version, const char *salt,
                     const struct csv_table *t, struct sm_data *out, int skip, char *err,
                     size_t errlen)
{
	assert(s && t && out);
	memset(out, 0, sizeof *out);
	out->bad = must(json_array());
	if (t->nrows < 1) {
		snprintf(err, errlen, "the file is empty (no header row)");
		return -1;
	}
	const struct csv_row *head = &t->rows[0];
	size_t n = head->n;
	struct col *cols = calloc(n ? n : 1, sizeof *cols);
	if (!cols)
		abort();
	out->skipped = must(json_array());
	for (size_t i = 0; i < n; i++) {
		const char *reason = "";
		cols[i] = classify(s, head->field[i], &reason);
		for (size_t j = 0; j < i; j++)
			if (strcmp(head->field[i], head->field[j]) == 0) {
				snprintf(err, errlen, "column %zu (%.80s) is there twice", i + 1,
				         head->field[i]);
				goto bad;
			}
		if (cols[i].kind == C_SKIP)
			skipped(out->skipped, head->field[i], reason);
	}
	out->stories = calloc(t->nrows, sizeof *out->stories);
	if (!out->stories)
		abort();
	for (size_t r = 1; r < t->nrows; r++) {
		const struct csv_row *row = &t->rows[r];
		size_t rowno = r + 1;
		if (csv_row_blank(row))
			continue;
		char msg[200];
		if (row->n != n) {
			snprintf(msg, sizeof msg, "%zu fields, the header has %zu", row->n, n);
			if (row_error(out, skip, rowno, row->line, NULL, NULL, msg, err, errlen))
				goto bad;
			continue;
		}
		size_t utf8_bad = 0;
		for (size_t i = 0; i < n && !utf8_bad; i++) {
			json_t *u = json_string(row->field[i]);
			if (!u)
				utf8_bad = i + 1;
			json_decref(u);
		}
		if (utf8_bad) {
			if (row_error(out, skip, rowno, row->line, head->field[utf8_bad - 1], NULL,
			              "not valid UTF-8", err, errlen))
				goto bad;
			continue;
		}
		struct sm_story *st = &out->stories[out->n];
		memset(st, 0, sizeof *st);
		st->row = rowno;
		st->line = row->line;
		int row_bad = 0;
		json_t *answers = must(json_object());
		const char *id = "", *lang = "nl";
		char langbuf[4] = "nl";
		for (size_t i = 0; i < n; i++) {
			const char *v = row->field[i];
			switch (cols[i].kind) {
			case C_ID: id = v; break;
			case C_TIME:
				if (v[0]) {
					errno = 0;
					char *end;
					long long ms = strtoll(v, &end, 10);
					if (*end || errno || ms < 0) {
						row_bad = 1;
						if (row_error(out, skip, rowno, row->line,
						              "server_upload_time", NULL,
						              "not a time in milliseconds", err,
						              errlen)) {
							json_decref(answers);
							goto bad;
						}
					}
					st->created_at = ms / 1000;
				}
				break;
			case C_RESPONDER:
				if (v[0] && !(st->responder = strdup(v)))
					abort();
				break;
			case C_LANGUAGE:
				/* "en", "nl-NL" -> "en", "nl"; anything else stays nl. */
				if (islower((unsigned char)v[0]) && islower((unsigned char)v[1]) &&
				    (!v[2] || v[2] == '-' || v[2] == '_')) {
					langbuf[0] = v[0], langbuf[1] = v[1], langbuf[2] = 0;
					lang = langbuf;
				}
				break;
			default: break;
			}
		}
		for (int qi = 0; qi < s->nquestions && !row_bad; qi++) {
			const struct question *q = s->questions[qi];
			json_t *a = NULL;
			size_t bad_col = 0;
			if (answer(q, cols, row->field, n, &a, &bad_col, msg, sizeof msg) != 0) {
				row_bad = 1;
				if (row_error(out, skip, rowno, row->line,
				              bad_col ? head->field[bad_col - 1] : NULL, q->id, msg,
				              err, errlen)) {
					json_decref(answers);
					goto bad;
				}
				break;
			}
			if (a)
				json_object_set_new(answers, q->id, a);
		}
		if (row_bad) {
			json_decref(answers);
			free(st->responder);
			memset(st, 0, sizeof *st);
			continue;
		}
		char uuid[STORY_UUID_LEN + 1];
		if (!story_uuid_normalise(id, uuid)) {
			/* A stable id from the export's own id (or the whole row). */
			buf b;
			buf_init(&b);
			buf_puts(&b, "vertelpunt-sensemaker\n");
			buf_puts(&b, salt ? salt : "");
			buf_putc(&b, '\n');
			if (id[0])
				buf_puts(&b, id);
			else
				for (size_t i = 0; i < n; i++) {
					buf_puts(&b, row->field[i]);
					buf_putc(&b, '\n');
				}
			story_csv_derive_uuid(b.data, b.len, uuid);
			buf_free(&b);
		}
		st->body = must(json_object());
		json_object_set_new(st->body, "id", must(json_string(uuid)));
		json_object_set_new(st->body, "channel", must(json_string("web")));
		json_object_set_new(st->body, "script_version", must(json_integer(script_version)));
		json_object_set_new(st->body, "language", must(json_string(lang)));
		json_object_set_new(st->body, "answers", answers);
		out->n++;
	}
	free(cols);
	return 0;
bad:
	free(cols);
	sensemaker_data_free(out);
	return -1;
}

int sensemaker_data_read(const struct script *s, int script_version, const char *salt,
                         const struct csv_table *t, struct sm_data *out, char *err, size_t errlen)
{
	return read_rows(s, script_version, salt, t, out, 0, err, errlen);
}

int sensemaker_data_read_skipping(const struct script *s, int script_version, const char *salt,
                                  const struct csv_table *t, struct sm_data *out, char *err,
                                  size_t errlen)
{
	return read_rows(s, script_version, salt, t, out, 1, err, errlen);
}
