/* story_csv.c: reads stories from our CSV format: column names, the spreadsheet form of each answer type, derived ids. */
#include "io/story_csv.h"

#include "core/buf.h"
#include "io/csv.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static json_t *must(json_t *j)
{
	if (!j)
		abort();
	return j;
}

/* Surrounding spaces are spreadsheet noise. Returns a malloc'ed copy. */
static char *trimmed(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	char *t = malloc(n + 1);
	if (!t)
		abort();
	memcpy(t, s, n);
	t[n] = 0;
	return t;
}

/* A number as a spreadsheet writes it: '.' or (alone) ',' as the decimal
 * sign. Returns 0 and *v, or -1. strtod reads '.' because the program
 * never changes LC_NUMERIC from "C". */
static int number(const char *s, double *v)
{
	char tmp[64];
	size_t n = strlen(s);
	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, s, n + 1);
	if (!strchr(tmp, '.')) {
		char *c = strchr(tmp, ',');
		if (c && !strchr(c + 1, ','))
			*c = '.';
	}
	for (char *p = tmp; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != '.' && *p != '-' && *p != '+' &&
		    *p != 'e' && *p != 'E')
			return -1;
	errno = 0;
	char *end;
	double d = strtod(tmp, &end);
	if (*end || errno || !isfinite(d))
		return -1;
	*v = d;
	return 0;
}

/* A whole number as an integer, so 40 is stored as 40, not 40.0. */
static json_t *num_json(double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		return must(json_integer((json_int_t)v));
	return must(json_real(v));
}

/* A text as written by our CSV writer: a guard quote before = + - @ is
 * taken off again (docs/formats.md, "Stories as CSV"). */
static const char *unguard(const char *s)
{
	if (s[0] == '\'' && csv_needs_guard(s + 1, strlen(s + 1)))
		return s + 1;
	return s;
}

/* "x,y" or "x;y" of two numbers. */
static int pair(const char *s, double *x, double *y)
{
	const char *sep = strchr(s, ';');
	if (!sep)
		sep = strchr(s, ',');
	if (!sep)
		return -1;
	char a[64], b[64];
	size_t na = (size_t)(sep - s);
	if (na >= sizeof a || strlen(sep + 1) >= sizeof b)
		return -1;
	memcpy(a, s, na);
	a[na] = 0;
	strcpy(b, sep + 1);
	char *ta = trimmed(a), *tb = trimmed(b);
	int rc = number(ta, x) || number(tb, y) ? -1 : 0;
	free(ta);
	free(tb);
	return rc;
}

static json_t *option_or_other(const char *s)
{
	if (strncmp(s, "other:", 6) == 0) {
		json_t *o = must(json_object());
		json_object_set_new(o, "other", must(json_string(s + 6)));
		return o;
	}
	return must(json_string(s));
}

static int triad(const char *s, json_t **out, char *err, size_t errlen)
{
	double w[3];
	const char *p = s;
	for (int i = 0; i < 3; i++) {
		const char *e = strchr(p, ';');
		if ((i < 2) != (e != NULL))
			goto bad;
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char tmp[64];
		if (n >= sizeof tmp)
			goto bad;
		memcpy(tmp, p, n);
		tmp[n] = 0;
		char *t = trimmed(tmp);
		int rc = number(t, &w[i]);
		free(t);
		if (rc || w[i] < 0)
			goto bad;
		p = e ? e + 1 : p + n;
	}
	double sum = w[0] + w[1] + w[2];
	/* Percentages summing to 100 (within rounding) become weights. */
	if (sum > 1.5) {
		if (fabs(sum - 100) > 1) {
			snprintf(err, errlen, "the three percentages sum to %g, not 100", sum);
			return -1;
		}
		for (int i = 0; i < 3; i++)
			w[i] /= sum;
	}
	*out = must(json_array());
	for (int i = 0; i < 3; i++)
		json_array_append_new(*out, must(json_real(w[i])));
	return 0;
bad:
	snprintf(err, errlen, "a triad answer is three numbers a;b;c");
	return -1;
}

static int stones(const struct question *q, const char *s, json_t **out, char *err, size_t errlen)
{
	json_t *o = must(json_object());
	char *copy = strdup(s);
	if (!copy)
		abort();
	char *save = NULL;
	for (char *part = strtok_r(copy, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(part, '=');
		double x, y;
		if (!eq) {
			snprintf(err, errlen, "a stone is written STONE=x,y");
			goto bad;
		}
		*eq = 0;
		char *id = trimmed(part);
		if (pair(eq + 1, &x, &y) != 0) {
			snprintf(err, errlen, "stone %.60s: a position is two numbers x,y", id);
			free(id);
			goto bad;
		}
		if (json_object_get(o, id)) {
			snprintf(err, errlen, "stone %.60s is given twice", id);
			free(id);
			goto bad;
		}
		json_t *xy = must(json_array());
		json_array_append_new(xy, num_json(x));
		json_array_append_new(xy, num_json(y));
		json_object_set_new(o, id, xy);
		free(id);
	}
	free(copy);
	(void)q;
	*out = o;
	return 0;
bad:
	free(copy);
	json_decref(o);
	return -1;
}

int story_csv_cell(const struct question *q, const char *cell, json_t **out, char *err,
                   size_t errlen)
{
	assert(q && cell && out);
	*out = NULL;
	json_t *utf8 = json_string(cell);
	if (!utf8) {
		snprintf(err, errlen, "the cell is not valid UTF-8");
		return -1;
	}
	json_decref(utf8);
	char *s = trimmed(cell);
	int rc = 0;
	double v;
	if (!s[0])
		goto done;
	if (strcmp(s, "NA") == 0) {
		*out = json_null();
		goto done;
	}
	switch (q->type) {
	case Q_STORY: /* read by story_csv_row */
	case Q_TEXT: *out = must(json_string(unguard(cell))); break;
	case Q_DATE: *out = must(json_string(s)); break;
	case Q_CHOICE: *out = option_or_other(s); break;
	case Q_MULTI: {
		*out = must(json_array());
		const char *p = s;
		while (*p) {
			while (*p == ' ')
				p++;
			/* "other:" takes the rest of the cell: its text may hold ';'. */
			const char *e = strncmp(p, "other:", 6) == 0 ? NULL : strchr(p, ';');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			char *part = malloc(n + 1);
			if (!part)
				abort();
			memcpy(part, p, n);
			part[n] = 0;
			char *t = trimmed(part);
			free(part);
			if (t[0])
				json_array_append_new(*out, option_or_other(t));
			free(t);
			p += n;
			if (*p == ';')
				p++;
		}
		break;
	}
	case Q_SCALE:
	case Q_NUMBER:
	case Q_DYAD:
		if (number(s, &v)) {
			snprintf(err, errlen, "\"%.40s\" is not a number", s);
			rc = -1;
		} else {
			*out = num_json(v);
		}
		break;
	case Q_TRIAD: rc = triad(s, out, err, errlen); break;
	case Q_STONES: rc = stones(q, s, out, err, errlen); break;
	case Q_PIN: {
		double x, y;
		if (pair(s, &x, &y)) {
			snprintf(err, errlen, "a pin is written x,y (percent from the top left)");
			rc = -1;
			break;
		}
		*out = must(json_object());
		json_object_set_new(*out, "x", num_json(x));
		json_object_set_new(*out, "y", num_json(y));
		break;
	}
	case Q_TYPE_COUNT: abort();
	}
done:
	free(s);
	return rc;
}

static int is_meta(const char *c)
{
	return strcmp(c, "id") == 0 || strcmp(c, "told_at") == 0 || strcmp(c, "channel") == 0 ||
	       strcmp(c, "language") == 0;
}

/* The question a column belongs to, and its suffix ("" for the answer
 * column itself, "prompt", "title", "note"); NULL when none. */
static const struct question *column_question(const struct script *s, const char *c,
                                              const char **suffix)
{
	const struct question *q = script_question(s, c);
	if (q) {
		*suffix = "";
		return q;
	}
	const char *dot = strrchr(c, '.');
	if (!dot || (size_t)(dot - c) > SCRIPT_ID_MAX)
		return NULL;
	char id[SCRIPT_ID_MAX + 1];
	memcpy(id, c, (size_t)(dot - c));
	id[dot - c] = 0;
	q = script_question(s, id);
	if (!q)
		return NULL;
	*suffix = dot + 1;
	if (q->type == Q_STORY && (strcmp(*suffix, "prompt") == 0 || strcmp(*suffix, "title") == 0))
		return q;
	if (q->type == Q_PIN && strcmp(*suffix, "note") == 0)
		return q;
	return NULL;
}

int story_csv_header(const struct script *s, char *const *col, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		const char *suffix;
		if (!is_meta(col[i]) && !column_question(s, col[i], &suffix)) {
			snprintf(
			        err, errlen,
			        "column %zu (%.80s): not a question of the script nor id, told_at, "
			        "channel or language",
			        i + 1, col[i]);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(col[i], col[j]) == 0) {
				snprintf(err, errlen, "column %zu (%.80s) is there twice", i + 1,
				         col[i]);
				return -1;
			}
	}
	return 0;
}

void story_csv_derive_uuid(const void *data, size_t len, char out[37])
{
	unsigned char h[16];
	crypto_generichash(h, sizeof h, data, len, NULL, 0);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x80); /* version 8: custom */
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80); /* variant RFC 9562 */
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[h[i] >> 4];
		out[o++] = hex[h[i] & 15];
	}
	out[o] = 0;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (also with a space) in UTC. */
static int64_t parse_told(const char *s)
{
	struct tm tm = {0};
	const char *end = NULL;
	size_t n = strlen(s);
	if (n == 10)
		end = strptime(s, "%Y-%m-%d", &tm);
	else if (n == 16 && (s[10] == 'T' || s[10] == ' '))
		end = strptime(s, s[10] == 'T' ? "%Y-%m-%dT%H:%M" : "%Y-%m-%d %H:%M", &tm);
	if (!end || *end)
		return -1;
	return (int64_t)timegm(&tm);
}

static void set_answer(const struct question *q, json_t *answers, json_t *prof, json_t *v)
{
	json_object_set_new(q->perspective == PERSPECTIVE_PROFESSIONAL ? prof : answers, q->id, v);
}

json_t *story_csv_row(const struct script *s, int script_version, const char *salt,
                      char *const *col, char *const *cell, size_t n, int64_t *told_at,
                      char *bad_col, size_t bad_len, char *err, size_t errlen)
{
	json_t *body = must(json_object());
	json_t *answers = must(json_object()), *prof = must(json_object());
	const char *id = NULL, *channel = "paper", *language = "nl";
	*told_at = 0;
	bad_col[0] = 0;
	/* Every cell first: a story or pin answer reads other columns too. */
	for (size_t i = 0; i < n; i++) {
		json_t *utf8 = json_string(cell[i]);
		if (!utf8) {
			snprintf(err, errlen, "the cell is not valid UTF-8");
			snprintf(bad_col, bad_len, "%s", col[i]);
			goto bad;
		}
		json_decref(utf8);
	}
	for (size_t i = 0; i < n; i++) {
		const char *c = col[i], *v = cell[i], *suffix = "";
		if (strcmp(c, "id") == 0) {
			if (v[0])
				id = v;
			continue;
		}
		if (strcmp(c, "told_at") == 0) {
			if (v[0] && (*told_at = parse_told(v)) < 0) {
				snprintf(err, errlen, "told_at is YYYY-MM-DD or YYYY-MM-DDTHH:MM");
				snprintf(bad_col, bad_len, "%s", c);
				goto bad;
			}
			continue;
		}
		if (strcmp(c, "channel") == 0) {
			if (v[0])
				channel = v;
			continue;
		}
		if (strcmp(c, "language") == 0) {
			if (v[0])
				language = v;
			continue;
		}
		const struct question *q = column_question(s, c, &suffix);
		if (!q) {
			snprintf(err, errlen, "not a column of this script");
			snprintf(bad_col, bad_len, "%s", c);
			goto bad;
		}
		if (suffix[0])
			continue; /* read with the answer column below */
		if (q->type == Q_STORY || q->type == Q_PIN) {
			/* Gathered from the question's columns together. */
			const char *text = v, *prompt = "", *title = "", *note = "";
			char name[SCRIPT_ID_MAX + 8];
			for (size_t j = 0; j < n; j++) {
				snprintf(name, sizeof name, "%s.prompt", q->id);
				if (strcmp(col[j], name) == 0)
					prompt = cell[j];
				snprintf(name, sizeof name, "%s.title", q->id);
				if (strcmp(col[j], name) == 0)
					title = cell[j];
				snprintf(name, sizeof name, "%s.note", q->id);
				if (strcmp(col[j], name) == 0)
					note = cell[j];
			}
			if (q->type == Q_PIN) {
				json_t *a = NULL;
				if (story_csv_cell(q, v, &a, err, errlen) != 0) {
					snprintf(bad_col, bad_len, "%s", c);
					goto bad;
				}
				if (a && json_is_object(a) && note[0])
					json_object_set_new(a, "note",
					                    must(json_string(unguard(note))));
				if (a)
					set_answer(q, answers, prof, a);
				continue;
			}
			if (strcmp(text, "NA") == 0) {
				set_answer(q, answers, prof, json_null());
				continue;
			}
			if (!text[0] && !title[0])
				continue; /* unanswered */
			json_t *a = must(json_object());
			json_object_set_new(a, "prompt",
			                    must(json_string(prompt[0]     ? prompt
			                                     : q->noptions ? q->options[0].id
			                                                   : "")));
			if (title[0])
				json_object_set_new(a, "title", must(json_string(unguard(title))));
			json_object_set_new(a, "text", must(json_string(unguard(text))));
			set_answer(q, answers, prof, a);
			continue;
		}
		json_t *a = NULL;
		if (story_csv_cell(q, v, &a, err, errlen) != 0) {
			snprintf(bad_col, bad_len, "%s", c);
			goto bad;
		}
		if (a)
			set_answer(q, answers, prof, a);
	}
	char uuid[37];
	if (!id) {
		/* The same row in the same collection gets the same id. */
		buf b;
		buf_init(&b);
		buf_puts(&b, "vertelpunt-story-csv\n");
		buf_puts(&b, salt ? salt : "");
		for (size_t i = 0; i < n; i++) {
			buf_putc(&b, '\n');
			buf_puts(&b, col[i]);
			buf_putc(&b, '=');
			buf_puts(&b, cell[i]);
		}
		story_csv_derive_uuid(b.data, b.len, uuid);
		buf_free(&b);
		id = uuid;
	}
	json_object_set_new(body, "id", must(json_string(id)));
	json_object_set_new(body, "channel", must(json_string(channel)));
	json_object_set_new(body, "script_version", must(json_integer(script_version)));
	json_object_set_new(body, "language", must(json_string(language)));
	json_object_set_new(body, "answers", answers);
	if (json_object_size(prof))
		json_object_set_new(body, "professional", prof);
	else
		json_decref(prof);
	return body;
bad:
	json_decref(answers);
	json_decref(prof);
	json_decref(body);
	return NULL;
}
