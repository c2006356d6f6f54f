/* script.c: the script format (strict reader, canonical writer) and the shared answer checks. */
#include "model/script.h"

#include "core/msg.h"
#include "core/util.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCRIPT_FORMAT "vertelpunt-script/1"

enum {
	TEXT_MAX = 20000, /* characters in one text of the script */
	STORY_TEXT_MAX = 100000,
	STORY_TITLE_MAX = 200,
	OTHER_TEXT_MAX = 500,
	NOTE_MAX = 2000,
	OPTIONS_MAX = 200,
	QUESTIONS_MAX = 500,
	SECTIONS_MAX = 100,
	CONDITION_VALUES_MAX = 200,
};

static const char *const type_names[Q_TYPE_COUNT] = {
        "story", "text",   "choice", "multi", "scale",  "dyad",
        "triad", "stones", "pin",    "date",  "number",
};

const char *q_type_name(enum q_type t)
{
	assert(t >= 0 && t < Q_TYPE_COUNT);
	return type_names[t];
}

int q_type_parse(const char *name)
{
	for (int i = 0; i < Q_TYPE_COUNT; i++)
		if (strcmp(type_names[i], name) == 0)
			return i;
	return -1;
}

int q_type_signifies(enum q_type t)
{
	return t == Q_CHOICE || t == Q_MULTI || t == Q_SCALE || t == Q_DYAD || t == Q_TRIAD ||
	       t == Q_STONES;
}

const char *ltext_get(const struct ltext *t, const char *lang)
{
	const char *nl = "";
	for (int i = 0; i < t->n; i++) {
		if (lang && strcmp(t->lang[i], lang) == 0 && t->s[i][0])
			return t->s[i];
		if (strcmp(t->lang[i], "nl") == 0)
			nl = t->s[i];
	}
	return nl;
}

static const char *ltext_nl(const struct ltext *t)
{
	return ltext_get(t, "nl");
}

/* Characters (code points) in valid UTF-8. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* ---- reading -------------------------------------------------------------- */

struct rd {
	struct script *s;
	char *err;
	size_t errlen;
	char path[256];
};

static int fail(struct rd *p, const char *field, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static int fail(struct rd *p, const char *field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const char *sep = p->path[0] && field && field[0] != '[' ? "." : "";
	if (field)
		snprintf(p->err, p->errlen, "%s%s%s: %s", p->path, sep, field, msg);
	else if (p->path[0])
		snprintf(p->err, p->errlen, "%s: %s", p->path, msg);
	else
		snprintf(p->err, p->errlen, "%s", msg);
	return -1;
}

/* Path helpers: push appends to the path and returns the old length. */
static size_t push(struct rd *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static size_t push(struct rd *p, const char *fmt, ...)
{
	size_t old = strlen(p->path);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->path + old, sizeof p->path - old, fmt, ap);
	va_end(ap);
	return old;
}
static void pop(struct rd *p, size_t old)
{
	p->path[old] = 0;
}

/* Refuses keys not in allowed (a NULL-terminated list). */
static int only_keys(struct rd *p, json_t *obj, const char *const *allowed)
{
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v)
	{
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, k) == 0)
				ok = 1;
		if (!ok)
			return fail(p, k, "unknown key");
	}
	return 0;
}

static int id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > SCRIPT_ID_MAX)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return 0;
	return 1;
}

static int key_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > SCRIPT_KEY_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

static int get_id(struct rd *p, json_t *obj, const char *key, const char **out)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return fail(p, key, "missing");
	if (!json_is_string(v) || !id_ok(json_string_value(v)))
		return fail(p, key, "must be 1-64 letters, digits, '-', '_' or '.'");
	*out = arena_strdup(p->s->a, json_string_value(v));
	return 0;
}

static int get_bool(struct rd *p, json_t *obj, const char *key, int dflt, int *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		*out = dflt;
		return 0;
	}
	if (!json_is_boolean(v))
		return fail(p, key, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

static int get_int(struct rd *p, json_t *obj, const char *key, int lo, int hi, int dflt, int *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		*out = dflt;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return fail(p, key, "must be a whole number from %d to %d", lo, hi);
	*out = (int)json_integer_value(v);
	return 0;
}

static void note_lang(struct script *s, const char *lang)
{
	for (int i = 0; i < s->nlangs; i++)
		if (strcmp(s->langs[i], lang) == 0)
			return;
	if (s->nlangs < LTEXT_MAX)
		s->langs[s->nlangs++] = lang;
}

/* A text object; required: must exist (with nl). nl is kept first. */
static int get_ltext(struct rd *p, json_t *obj, const char *key, int required, struct ltext *out)
{
	memset(out, 0, sizeof *out);
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			return fail(p, key, "missing (a text such as {\"nl\": \"...\"})");
		return 0;
	}
	if (!json_is_object(v))
		return fail(p, key, "must be a text such as {\"nl\": \"...\", \"en\": \"...\"}");
	json_t *nl = json_object_get(v, "nl");
	if (!nl)
		return fail(p, key, "has no Dutch text (\"nl\")");
	if (json_object_size(v) > LTEXT_MAX)
		return fail(p, key, "has more than %d languages", LTEXT_MAX);
	const char *lang;
	json_t *t;
	int pass;
	for (pass = 0; pass < 2; pass++) {
		json_object_foreach(v, lang, t)
		{
			int is_nl = strcmp(lang, "nl") == 0;
			if (is_nl != (pass == 0))
				continue;
			size_t ln = strlen(lang);
			if (ln < 2 || ln > 3 || !islower((unsigned char)lang[0]) ||
			    !islower((unsigned char)lang[1]) ||
			    (ln == 3 && !islower((unsigned char)lang[2]))) {
				size_t old = push(p, "%s%s", p->path[0] ? "." : "", key);
				int rc =
				        fail(p, lang, "not a language code (2 or 3 small letters)");
				pop(p, old);
				return rc;
			}
			if (!json_is_string(t)) {
				size_t old = push(p, "%s%s", p->path[0] ? "." : "", key);
				int rc = fail(p, lang, "must be text");
				pop(p, old);
				return rc;
			}
			const char *str = json_string_value(t);
			if (!util_utf8_clean(str, json_string_length(t)) ||
			    utf8_chars(str) > TEXT_MAX) {
				size_t old = push(p, "%s%s", p->path[0] ? "." : "", key);
				int rc =
				        fail(p, lang, "must be plain text of at most %d characters",
				             TEXT_MAX);
				pop(p, old);
				return rc;
			}
			const char *l = arena_strdup(p->s->a, lang);
			out->lang[out->n] = l;
			out->s[out->n] = arena_strdup(p->s->a, str);
			out->n++;
			note_lang(p->s, l);
		}
	}
	return 0;
}

/* An array of {"id", "label"|"text"}; ids unique within it. */
static int get_options(struct rd *p, json_t *obj, const char *key, const char *textkey, int min,
                       int max, struct q_option **out, int *n)
{
	json_t *arr = json_object_get(obj, key);
	if (!arr)
		return fail(p, key, "missing");
	if (!json_is_array(arr))
		return fail(p, key, "must be a list");
	size_t cnt = json_array_size(arr);
	if ((int)cnt < min || (int)cnt > max) {
		if (min == max)
			return fail(p, key, "must have exactly %d entries, not %zu", min, cnt);
		return fail(p, key, "must have %d to %d entries, not %zu", min, max, cnt);
	}
	struct q_option *o = arena_zalloc(p->s->a, (cnt ? cnt : 1) * sizeof *o);
	for (size_t i = 0; i < cnt; i++) {
		json_t *e = json_array_get(arr, i);
		size_t old = push(p, "%s%s[%zu]", p->path[0] ? "." : "", key, i);
		const char *allowed[] = {"id", textkey, NULL};
		if (!json_is_object(e)) {
			int rc = fail(p, NULL, "must be an object with id and %s", textkey);
			pop(p, old);
			return rc;
		}
		if (only_keys(p, e, allowed) || get_id(p, e, "id", &o[i].id) ||
		    get_ltext(p, e, textkey, 1, &o[i].label)) {
			pop(p, old);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(o[j].id, o[i].id) == 0) {
				int rc = fail(p, "id", "duplicate id \"%s\"", o[i].id);
				pop(p, old);
				return rc;
			}
		pop(p, old);
	}
	*out = o;
	*n = (int)cnt;
	return 0;
}

static int date_ok(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return 0;
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

static int get_date(struct rd *p, json_t *obj, const char *key, const char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_string(v) || !date_ok(json_string_value(v)))
		return fail(p, key, "must be a date as YYYY-MM-DD");
	*out = arena_strdup(p->s->a, json_string_value(v));
	return 0;
}

static int get_number(struct rd *p, json_t *obj, const char *key, int *has, double *out)
{
	json_t *v = json_object_get(obj, key);
	*has = 0;
	if (!v)
		return 0;
	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return fail(p, key, "must be a number");
	*has = 1;
	*out = json_number_value(v);
	return 0;
}

static int get_axis(struct rd *p, json_t *obj, const char *key, struct axis *out)
{
	json_t *v = json_object_get(obj, key);
	memset(out, 0, sizeof *out);
	if (!v)
		return fail(p, key, "missing (an axis {\"label\", \"low\", \"high\"})");
	if (!json_is_object(v))
		return fail(p, key, "must be an axis {\"label\", \"low\", \"high\"}");
	static const char *const allowed[] = {"label", "low", "high", NULL};
	size_t old = push(p, "%s%s", p->path[0] ? "." : "", key);
	int rc = only_keys(p, v, allowed) || get_ltext(p, v, "label", 0, &out->label) ||
	                         get_ltext(p, v, "low", 0, &out->low) ||
	                         get_ltext(p, v, "high", 0, &out->high)
	                 ? -1
	                 : 0;
	pop(p, old);
	return rc;
}

static const char *const common_keys[] = {
        "id",       "type",           "text",        "help",
        "required", "not_applicable", "perspective", "once_per_person",
        "show_if",  "continues",
};
enum { NCOMMON = sizeof common_keys / sizeof common_keys[0] };

static const char *const *type_keys(enum q_type t)
{
	static const char *const story[] = {"prompts", "ask_title", NULL};
	static const char *const text[] = {"long", "max_length", NULL};
	static const char *const choice[] = {"options", "other", NULL};
	static const char *const multi[] = {"options", "other", "min", "max", NULL};
	static const char *const scale[] = {"points", "low", "high", NULL};
	static const char *const dyad[] = {"poles", NULL};
	static const char *const triad[] = {"corners", NULL};
	static const char *const stones[] = {"stones", "x", "y", NULL};
	static const char *const pin[] = {"image", "ask_note", NULL};
	static const char *const date[] = {"min", "max", NULL};
	static const char *const number[] = {"min", "max", "integer", NULL};
	static const char *const *const all[Q_TYPE_COUNT] = {
	        story, text, choice, multi, scale, dyad, triad, stones, pin, date, number,
	};
	return all[t];
}

static int upload_token_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 128)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return 0;
	return 1;
}

static int option_index(const struct question *q, const char *id)
{
	for (int i = 0; i < q->noptions; i++)
		if (strcmp(q->options[i].id, id) == 0)
			return i;
	return -1;
}

static int parse_condition(struct rd *p, json_t *obj, struct question *q)
{
	json_t *c = json_object_get(obj, "show_if");
	if (!c)
		return 0;
	size_t old = push(p, ".show_if");
	int rc = -1;
	static const char *const allowed[] = {"question", "is", NULL};
	if (!json_is_object(c)) {
		fail(p, NULL, "must be {\"question\": ID, \"is\": [values]}");
		goto out;
	}
	const char *target;
	if (only_keys(p, c, allowed) || get_id(p, c, "question", &target))
		goto out;
	const struct question *t = NULL;
	for (int i = 0; i < p->s->nquestions; i++)
		if (strcmp(p->s->questions[i]->id, target) == 0)
			t = p->s->questions[i];
	if (!t) {
		if (strcmp(target, q->id) == 0)
			fail(p, "question", "a question cannot depend on itself");
		else
			fail(p, "question",
			     "\"%s\" is not an earlier question (a condition can only look back)",
			     target);
		goto out;
	}
	if (t->type != Q_CHOICE && t->type != Q_MULTI && t->type != Q_SCALE) {
		fail(p, "question", "\"%s\" is a %s question; conditions need a choice or scale",
		     target, q_type_name(t->type));
		goto out;
	}
	json_t *is = json_object_get(c, "is");
	if (!is || !json_is_array(is) || json_array_size(is) < 1 ||
	    json_array_size(is) > CONDITION_VALUES_MAX) {
		fail(p, "is", "must be a list of one or more values");
		goto out;
	}
	q->show_if_question = t->id;
	q->show_if_count = (int)json_array_size(is);
	q->show_if_values = arena_zalloc(p->s->a, (size_t)q->show_if_count * sizeof(char *));
	for (size_t i = 0; i < json_array_size(is); i++) {
		json_t *v = json_array_get(is, i);
		char num[16];
		if (t->type == Q_SCALE) {
			if (!json_is_integer(v) || json_integer_value(v) < 1 ||
			    json_integer_value(v) > t->points) {
				fail(p, "is", "value %zu must be a point from 1 to %d", i + 1,
				     t->points);
				goto out;
			}
			snprintf(num, sizeof num, "%d", (int)json_integer_value(v));
			q->show_if_values[i] = arena_strdup(p->s->a, num);
		} else {
			if (!json_is_string(v) || option_index(t, json_string_value(v)) < 0) {
				fail(p, "is", "value %zu is not an option of \"%s\"", i + 1,
				     target);
				goto out;
			}
			q->show_if_values[i] = arena_strdup(p->s->a, json_string_value(v));
		}
	}
	rc = 0;
out:
	pop(p, old);
	return rc;
}

static int parse_continues(struct rd *p, json_t *obj, struct question *q)
{
	json_t *c = json_object_get(obj, "continues");
	if (!c)
		return 0;
	size_t old = push(p, ".continues");
	int rc = -1;
	static const char *const allowed[] = {"question", "options", NULL};
	if (!json_is_object(c)) {
		fail(p, NULL, "must be {\"question\": ID, \"options\": {OLD: NEW}}");
		goto out;
	}
	if (only_keys(p, c, allowed) || get_id(p, c, "question", &q->continues_question))
		goto out;
	json_t *m = json_object_get(c, "options");
	if (m) {
		if (!json_is_object(m) || json_object_size(m) > OPTIONS_MAX) {
			fail(p, "options", "must map old option ids to new ones");
			goto out;
		}
		size_t n = json_object_size(m);
		q->continues_old = arena_zalloc(p->s->a, (n ? n : 1) * sizeof(char *));
		q->continues_new = arena_zalloc(p->s->a, (n ? n : 1) * sizeof(char *));
		const char *k;
		json_t *v;
		json_object_foreach(m, k, v)
		{
			if (!id_ok(k) || !json_is_string(v) ||
			    option_index(q, json_string_value(v)) < 0) {
				fail(p, "options", "\"%s\" must map to an option of this question",
				     k);
				goto out;
			}
			q->continues_old[q->continues_count] = arena_strdup(p->s->a, k);
			q->continues_new[q->continues_count] =
			        arena_strdup(p->s->a, json_string_value(v));
			q->continues_count++;
		}
	}
	rc = 0;
out:
	pop(p, old);
	return rc;
}

static int parse_question(struct rd *p, json_t *obj, struct question *q)
{
	if (!json_is_object(obj))
		return fail(p, NULL, "must be an object");
	json_t *idv = json_object_get(obj, "id");
	if (idv && json_is_string(idv)) {
		/* name the question in every later message */
		size_t n = strlen(p->path);
		snprintf(p->path + n, sizeof p->path - n, " (%.64s)", json_string_value(idv));
	}
	if (get_id(p, obj, "id", &q->id))
		return -1;
	json_t *tv = json_object_get(obj, "type");
	if (!tv || !json_is_string(tv))
		return fail(p, "type", "missing");
	int t = q_type_parse(json_string_value(tv));
	if (t < 0)
		return fail(
		        p, "type",
		        "unknown question type \"%s\" (story, text, choice, multi, scale, dyad, "
		        "triad, stones, pin, date, number)",
		        json_string_value(tv));
	q->type = (enum q_type)t;
	const char *allowed[NCOMMON + 8];
	size_t na = 0;
	for (size_t i = 0; i < NCOMMON; i++)
		allowed[na++] = common_keys[i];
	for (const char *const *k = type_keys(q->type); *k; k++)
		allowed[na++] = *k;
	allowed[na] = NULL;
	if (only_keys(p, obj, allowed))
		return -1;
	if (get_ltext(p, obj, "text", 1, &q->text) || get_ltext(p, obj, "help", 0, &q->help) ||
	    get_bool(p, obj, "required", 0, &q->required) ||
	    get_bool(p, obj, "not_applicable", 0, &q->not_applicable) ||
	    get_bool(p, obj, "once_per_person", 0, &q->once_per_person))
		return -1;
	q->perspective = PERSPECTIVE_TELLER;
	json_t *pv = json_object_get(obj, "perspective");
	if (pv) {
		const char *ps = json_is_string(pv) ? json_string_value(pv) : "";
		if (strcmp(ps, "teller") == 0)
			q->perspective = PERSPECTIVE_TELLER;
		else if (strcmp(ps, "professional") == 0)
			q->perspective = PERSPECTIVE_PROFESSIONAL;
		else
			return fail(p, "perspective", "must be \"teller\" or \"professional\"");
	}
	switch (q->type) {
	case Q_STORY:
		if (get_options(p, obj, "prompts", "text", 1, OPTIONS_MAX, &q->options,
		                &q->noptions) ||
		    get_bool(p, obj, "ask_title", 1, &q->ask_title))
			return -1;
		break;
	case Q_TEXT:
		if (get_bool(p, obj, "long", 0, &q->long_text) ||
		    get_int(p, obj, "max_length", 1, STORY_TEXT_MAX, q->long_text ? 20000 : 500,
		            &q->max_length))
			return -1;
		break;
	case Q_CHOICE:
	case Q_MULTI:
		if (get_options(p, obj, "options", "label", q->type == Q_CHOICE ? 2 : 1,
		                OPTIONS_MAX, &q->options, &q->noptions) ||
		    get_ltext(p, obj, "other", 0, &q->other))
			return -1;
		if (q->type == Q_MULTI) {
			int most = q->noptions + (q->other.n > 0);
			if (get_int(p, obj, "min", 0, most, 0, &q->min) ||
			    get_int(p, obj, "max", 1, most, most, &q->max))
				return -1;
			if (q->min > q->max)
				return fail(p, "min", "is more than max (%d > %d)", q->min, q->max);
		}
		break;
	case Q_SCALE:
		if (!json_object_get(obj, "points"))
			return fail(p, "points", "missing (5 or 7)");
		if (get_int(p, obj, "points", 5, 7, 5, &q->points))
			return -1;
		if (q->points == 6)
			return fail(p, "points", "must be 5 or 7");
		if (get_ltext(p, obj, "low", 1, &q->low) || get_ltext(p, obj, "high", 1, &q->high))
			return -1;
		break;
	case Q_DYAD:
		if (get_options(p, obj, "poles", "label", 2, 2, &q->options, &q->noptions))
			return -1;
		break;
	case Q_TRIAD:
		if (get_options(p, obj, "corners", "label", 3, 3, &q->options, &q->noptions))
			return -1;
		break;
	case Q_STONES:
		if (get_options(p, obj, "stones", "label", 1, OPTIONS_MAX, &q->options,
		                &q->noptions) ||
		    get_axis(p, obj, "x", &q->x) || get_axis(p, obj, "y", &q->y))
			return -1;
		break;
	case Q_PIN: {
		json_t *im = json_object_get(obj, "image");
		if (!im || !json_is_string(im) || !upload_token_ok(json_string_value(im)))
			return fail(p, "image", "must be the token of an uploaded image");
		q->image = arena_strdup(p->s->a, json_string_value(im));
		if (get_bool(p, obj, "ask_note", 1, &q->ask_note))
			return -1;
		break;
	}
	case Q_DATE:
		if (get_date(p, obj, "min", &q->date_min) || get_date(p, obj, "max", &q->date_max))
			return -1;
		if (q->date_min && q->date_max && strcmp(q->date_min, q->date_max) > 0)
			return fail(p, "min", "is after max");
		break;
	case Q_NUMBER:
		if (get_number(p, obj, "min", &q->has_min, &q->num_min) ||
		    get_number(p, obj, "max", &q->has_max, &q->num_max) ||
		    get_bool(p, obj, "integer", 0, &q->integer))
			return -1;
		if (q->has_min && q->has_max && q->num_min > q->num_max)
			return fail(p, "min", "is more than max");
		break;
	case Q_TYPE_COUNT: assert(0);
	}
	if (parse_condition(p, obj, q) || parse_continues(p, obj, q))
		return -1;
	return 0;
}

struct script *script_parse(json_t *root, char *err, size_t errlen)
{
	assert(err && errlen > 0);
	err[0] = 0;
	struct rd rd = {.err = err, .errlen = errlen};
	struct rd *p = &rd;
	if (!root || !json_is_object(root)) {
		snprintf(err, errlen, "a script must be a JSON object");
		return NULL;
	}
	arena *a = arena_new();
	struct script *s = arena_zalloc(a, sizeof *s);
	s->a = a;
	p->s = s;
	s->langs[s->nlangs++] = "nl";
	static const char *const allowed[] = {"format",  "key",    "title",    "introduction",
	                                      "privacy", "thanks", "sections", NULL};
	json_t *fmt = json_object_get(root, "format");
	if (!fmt || !json_is_string(fmt) || strcmp(json_string_value(fmt), SCRIPT_FORMAT) != 0) {
		fail(p, "format", "must be \"" SCRIPT_FORMAT "\"");
		goto bad;
	}
	if (only_keys(p, root, allowed))
		goto bad;
	json_t *key = json_object_get(root, "key");
	if (!key || !json_is_string(key) || !key_ok(json_string_value(key))) {
		fail(p, "key", "must be 1-64 small letters, digits or '-'");
		goto bad;
	}
	s->key = arena_strdup(a, json_string_value(key));
	if (get_ltext(p, root, "title", 1, &s->title) ||
	    get_ltext(p, root, "introduction", 0, &s->introduction) ||
	    get_ltext(p, root, "privacy", 1, &s->privacy) ||
	    get_ltext(p, root, "thanks", 0, &s->thanks))
		goto bad;
	json_t *secs = json_object_get(root, "sections");
	if (!secs || !json_is_array(secs) || json_array_size(secs) < 1) {
		fail(p, "sections", "must be a list of at least one section");
		goto bad;
	}
	if (json_array_size(secs) > SECTIONS_MAX) {
		fail(p, "sections", "more than %d sections", SECTIONS_MAX);
		goto bad;
	}
	size_t total = 0;
	for (size_t i = 0; i < json_array_size(secs); i++) {
		json_t *qs = json_object_get(json_array_get(secs, i), "questions");
		total += json_is_array(qs) ? json_array_size(qs) : 0;
	}
	if (total > QUESTIONS_MAX) {
		fail(p, "sections", "more than %d questions", QUESTIONS_MAX);
		goto bad;
	}
	s->nsections = (int)json_array_size(secs);
	s->sections = arena_zalloc(a, (size_t)s->nsections * sizeof *s->sections);
	s->questions = arena_zalloc(a, (total ? total : 1) * sizeof *s->questions);
	for (int i = 0; i < s->nsections; i++) {
		json_t *so = json_array_get(secs, (size_t)i);
		struct section *sec = &s->sections[i];
		size_t old = push(p, "sections[%d]", i);
		static const char *const sallowed[] = {"id", "title", "questions", NULL};
		if (!json_is_object(so)) {
			fail(p, NULL, "must be an object");
			goto bad;
		}
		if (only_keys(p, so, sallowed) || get_id(p, so, "id", &sec->id) ||
		    get_ltext(p, so, "title", 0, &sec->title))
			goto bad;
		for (int j = 0; j < i; j++)
			if (strcmp(s->sections[j].id, sec->id) == 0) {
				fail(p, "id", "duplicate section id \"%s\"", sec->id);
				goto bad;
			}
		json_t *qs = json_object_get(so, "questions");
		if (!qs || !json_is_array(qs) || json_array_size(qs) < 1) {
			fail(p, "questions", "must be a list of at least one question");
			goto bad;
		}
		sec->nquestions = (int)json_array_size(qs);
		sec->questions = arena_zalloc(a, (size_t)sec->nquestions * sizeof *sec->questions);
		for (int j = 0; j < sec->nquestions; j++) {
			struct question *q = &sec->questions[j];
			size_t qold = push(p, ".questions[%d]", j);
			if (parse_question(p, json_array_get(qs, (size_t)j), q))
				goto bad;
			for (int k = 0; k < s->nquestions; k++)
				if (strcmp(s->questions[k]->id, q->id) == 0) {
					fail(p, "id", "duplicate question id \"%s\"", q->id);
					goto bad;
				}
			q->index = s->nquestions;
			s->questions[s->nquestions++] = q;
			pop(p, qold);
		}
		pop(p, old);
	}
	return s;
bad:
	arena_free(a);
	return NULL;
}

struct script *script_parse_text(const char *text, size_t len, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "not valid JSON (line %d, column %d): %s", jerr.line,
		         jerr.column, jerr.text);
		return NULL;
	}
	struct script *s = script_parse(root, err, errlen);
	json_decref(root);
	return s;
}

void script_free(struct script *s)
{
	if (s)
		arena_free(s->a);
}

const struct question *script_question(const struct script *s, const char *id)
{
	for (int i = 0; i < s->nquestions; i++)
		if (strcmp(s->questions[i]->id, id) == 0)
			return s->questions[i];
	return NULL;
}

/* ---- writing -------------------------------------------------------------- */

static json_t *ltext_json(const struct ltext *t)
{
	json_t *o = json_object();
	for (int i = 0; i < t->n; i++)
		json_object_set_new(o, t->lang[i], json_string(t->s[i]));
	return o;
}

static void put_ltext(json_t *o, const char *key, const struct ltext *t)
{
	if (t->n)
		json_object_set_new(o, key, ltext_json(t));
}

static json_t *options_json(const struct question *q, const char *textkey)
{
	json_t *arr = json_array();
	for (int i = 0; i < q->noptions; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(q->options[i].id));
		json_object_set_new(o, textkey, ltext_json(&q->options[i].label));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *number_json(double v)
{
	if (v == floor(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *axis_json(const struct axis *ax)
{
	json_t *o = json_object();
	put_ltext(o, "label", &ax->label);
	put_ltext(o, "low", &ax->low);
	put_ltext(o, "high", &ax->high);
	return o;
}

static json_t *question_json(const struct script *s, const struct question *q)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(q->id));
	json_object_set_new(o, "type", json_string(q_type_name(q->type)));
	put_ltext(o, "text", &q->text);
	put_ltext(o, "help", &q->help);
	if (q->required)
		json_object_set_new(o, "required", json_true());
	if (q->not_applicable)
		json_object_set_new(o, "not_applicable", json_true());
	if (q->perspective == PERSPECTIVE_PROFESSIONAL)
		json_object_set_new(o, "perspective", json_string("professional"));
	if (q->once_per_person)
		json_object_set_new(o, "once_per_person", json_true());
	if (q->show_if_question) {
		json_t *c = json_object(), *is = json_array();
		const struct question *t = script_question(s, q->show_if_question);
		json_object_set_new(c, "question", json_string(q->show_if_question));
		for (int i = 0; i < q->show_if_count; i++)
			json_array_append_new(is, t && t->type == Q_SCALE
			                                  ? json_integer(atoi(q->show_if_values[i]))
			                                  : json_string(q->show_if_values[i]));
		json_object_set_new(c, "is", is);
		json_object_set_new(o, "show_if", c);
	}
	if (q->continues_question) {
		json_t *c = json_object();
		json_object_set_new(c, "question", json_string(q->continues_question));
		if (q->continues_old) {
			json_t *m = json_object();
			for (int i = 0; i < q->continues_count; i++)
				json_object_set_new(m, q->continues_old[i],
				                    json_string(q->continues_new[i]));
			json_object_set_new(c, "options", m);
		}
		json_object_set_new(o, "continues", c);
	}
	switch (q->type) {
	case Q_STORY:
		json_object_set_new(o, "prompts", options_json(q, "text"));
		if (!q->ask_title)
			json_object_set_new(o, "ask_title", json_false());
		break;
	case Q_TEXT:
		if (q->long_text)
			json_object_set_new(o, "long", json_true());
		if (q->max_length != (q->long_text ? 20000 : 500))
			json_object_set_new(o, "max_length", json_integer(q->max_length));
		break;
	case Q_CHOICE:
	case Q_MULTI:
		json_object_set_new(o, "options", options_json(q, "label"));
		put_ltext(o, "other", &q->other);
		if (q->type == Q_MULTI) {
			int most = q->noptions + (q->other.n > 0);
			if (q->min)
				json_object_set_new(o, "min", json_integer(q->min));
			if (q->max != most)
				json_object_set_new(o, "max", json_integer(q->max));
		}
		break;
	case Q_SCALE:
		json_object_set_new(o, "points", json_integer(q->points));
		put_ltext(o, "low", &q->low);
		put_ltext(o, "high", &q->high);
		break;
	case Q_DYAD: json_object_set_new(o, "poles", options_json(q, "label")); break;
	case Q_TRIAD: json_object_set_new(o, "corners", options_json(q, "label")); break;
	case Q_STONES:
		json_object_set_new(o, "stones", options_json(q, "label"));
		json_object_set_new(o, "x", axis_json(&q->x));
		json_object_set_new(o, "y", axis_json(&q->y));
		break;
	case Q_PIN:
		json_object_set_new(o, "image", json_string(q->image));
		if (!q->ask_note)
			json_object_set_new(o, "ask_note", json_false());
		break;
	case Q_DATE:
		if (q->date_min)
			json_object_set_new(o, "min", json_string(q->date_min));
		if (q->date_max)
			json_object_set_new(o, "max", json_string(q->date_max));
		break;
	case Q_NUMBER:
		if (q->has_min)
			json_object_set_new(o, "min", number_json(q->num_min));
		if (q->has_max)
			json_object_set_new(o, "max", number_json(q->num_max));
		if (q->integer)
			json_object_set_new(o, "integer", json_true());
		break;
	case Q_TYPE_COUNT: assert(0);
	}
	return o;
}

/* 1 when v prints exactly with 15 significant digits. */
static int short_enough(double v)
{
	char t[40];
	snprintf(t, sizeof t, "%.15g", v);
	return strtod(t, NULL) == v;
}

void script_emit(const struct script *s, buf *out)
{
	assert(s && out);
	/* Numbers keep their exact value; 15 digits print 0.3 as 0.3, and only
	 * a script with a number that needs more is written with 17. */
	int precision = 15;
	for (int i = 0; i < s->nquestions; i++) {
		const struct question *q = s->questions[i];
		if ((q->has_min && !short_enough(q->num_min)) ||
		    (q->has_max && !short_enough(q->num_max)))
			precision = 17;
	}
	json_t *root = json_object();
	json_object_set_new(root, "format", json_string(SCRIPT_FORMAT));
	json_object_set_new(root, "key", json_string(s->key));
	put_ltext(root, "title", &s->title);
	put_ltext(root, "introduction", &s->introduction);
	put_ltext(root, "privacy", &s->privacy);
	put_ltext(root, "thanks", &s->thanks);
	json_t *secs = json_array();
	for (int i = 0; i < s->nsections; i++) {
		const struct section *sec = &s->sections[i];
		json_t *so = json_object(), *qs = json_array();
		json_object_set_new(so, "id", json_string(sec->id));
		put_ltext(so, "title", &sec->title);
		for (int j = 0; j < sec->nquestions; j++)
			json_array_append_new(qs, question_json(s, &sec->questions[j]));
		json_object_set_new(so, "questions", qs);
		json_array_append_new(secs, so);
	}
	json_object_set_new(root, "sections", secs);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	                                      JSON_REAL_PRECISION(precision));
	json_decref(root);
	if (!text)
		abort();
	buf_puts(out, text);
	buf_putc(out, '\n');
	free(text);
}

/* ---- meaning -------------------------------------------------------------- */

static int option_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct q_option *const *)a)->id,
	              (*(const struct q_option *const *)b)->id);
}

void question_fingerprint(const struct question *q, char out[65])
{
	buf b;
	buf_init(&b);
	buf_puts(&b, q_type_name(q->type));
	buf_putc(&b, '\n');
	if (q->type == Q_SCALE)
		buf_printf(&b, "%d\n", q->points);
	if (q->type == Q_DYAD || q->type == Q_TRIAD) {
		/* Poles and corners carry the meaning of a position: their
		 * order and their Dutch labels count. */
		for (int i = 0; i < q->noptions; i++) {
			buf_puts(&b, q->options[i].id);
			buf_putc(&b, '\t');
			buf_puts(&b, ltext_nl(&q->options[i].label));
			buf_putc(&b, '\n');
		}
	} else if (q->type == Q_CHOICE || q->type == Q_MULTI || q->type == Q_STONES) {
		/* Options and stones are identified by their ids, in any order:
		 * a reworded label or a new order is the same question. Stones
		 * keep their labels (the label is what is placed). */
		const struct q_option **o = calloc((size_t)q->noptions, sizeof *o);
		if (!o)
			abort();
		for (int i = 0; i < q->noptions; i++)
			o[i] = &q->options[i];
		qsort(o, (size_t)q->noptions, sizeof *o, option_cmp);
		for (int i = 0; i < q->noptions; i++) {
			buf_puts(&b, o[i]->id);
			buf_putc(&b, '\t');
			if (q->type == Q_STONES)
				buf_puts(&b, ltext_nl(&o[i]->label));
			buf_putc(&b, '\n');
		}
		free(o);
	}
	util_hash_hex(b.data ? b.data : "", out);
	buf_free(&b);
}

/* ---- lint ----------------------------------------------------------------- */

static void lint_add(struct lint_result *r, enum lint_level level, const struct question *q,
                     const char *field, const char *msg, const char *detail)
{
	if (r->n % 16 == 0) {
		r->items = realloc(r->items, (size_t)(r->n + 16) * sizeof *r->items);
		if (!r->items)
			abort();
	}
	struct lint_item *it = &r->items[r->n++];
	it->level = level;
	it->question = q ? q->id : NULL;
	it->field = field;
	it->msg = msg;
	snprintf(it->detail, sizeof it->detail, "%s", detail ? detail : "");
	if (level == LINT_ERROR)
		r->errors++;
	else
		r->warnings++;
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* Case-insensitive (ASCII) equality after trimming. */
static int same_label(const char *a, const char *b)
{
	while (isspace((unsigned char)*a))
		a++;
	while (isspace((unsigned char)*b))
		b++;
	size_t na = strlen(a), nb = strlen(b);
	while (na && isspace((unsigned char)a[na - 1]))
		na--;
	while (nb && isspace((unsigned char)b[nb - 1]))
		nb--;
	return na == nb && strncasecmp(a, b, na) == 0;
}

static const struct {
	const char *word, *plain;
} officialese[] = {
        {"teneinde", "om"},
        {"middels", "met"},
        {"inzake", "over"},
        {"conform", "volgens"},
        {"ten behoeve van", "voor"},
        {"omtrent", "over"},
        {"alsmede", "en"},
        {"dienaangaande", "daarover"},
        {"derhalve", "daarom"},
        {"doch", "maar"},
        {"indien", "als"},
        {"woonachtig", "wonend"},
        {"verstrekken", "geven"},
        {"aanvang", "begin"},
        {"retourneren", "terugsturen"},
        {"ingevolge", "door"},
        {"onverwijld", "meteen"},
        {"uiteraard", "natuurlijk"},
        {"reeds", "al"},
        {"tevens", "ook"},
        {"wij verzoeken u", "wilt u"},
};

/* Finds word as a whole word (ASCII case-insensitive) in s. */
static int has_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = s; *p; p++) {
		if (strncasecmp(p, word, n) != 0)
			continue;
		int before = p == s || !isalpha((unsigned char)p[-1]);
		int after = !isalpha((unsigned char)p[n]);
		if (before && after)
			return 1;
	}
	return 0;
}

/* Plain-language checks on one Dutch text (B1). */
static void lint_plain(struct lint_result *r, const struct question *q, const char *field,
                       const char *s)
{
	int words = 0, in_word = 0, letters = 0, long_sentence = 0, max_words = 0;
	char longest[64] = "";
	const char *word_start = s;
	for (const char *p = s;; p++) {
		unsigned char c = (unsigned char)*p;
		int letter = c >= 0x80 ? ((c & 0xC0) != 0x80) : isalnum(c) || c == '-';
		int cont = c >= 0x80 && (c & 0xC0) == 0x80;
		if (letter || cont) {
			if (!in_word) {
				in_word = 1;
				words++;
				letters = 0;
				word_start = p;
			}
			if (letter && c != '-')
				letters++;
		} else {
			if (in_word && letters > 20 && !longest[0])
				snprintf(longest, sizeof longest, "%.*s",
				         (int)((p - word_start) < 60 ? (p - word_start) : 60),
				         word_start);
			in_word = 0;
			if (c == '.' || c == '?' || c == '!' || c == ':' || c == ';' || c == '\n' ||
			    c == 0) {
				if (words > 20)
					long_sentence = 1;
				if (words > max_words)
					max_words = words;
				words = 0;
			}
		}
		if (!c)
			break;
	}
	if (long_sentence) {
		char d[16];
		snprintf(d, sizeof d, "%d", max_words);
		lint_add(r, LINT_WARNING, q, field,
		         N_("A sentence has more than 20 words; plain language (B1) keeps "
		            "sentences short."),
		         d);
	}
	if (longest[0])
		lint_add(r, LINT_WARNING, q, field,
		         N_("A word has more than 20 letters; plain language (B1) uses short "
		            "words."),
		         longest);
	for (size_t i = 0; i < sizeof officialese / sizeof officialese[0]; i++)
		if (has_word(s, officialese[i].word)) {
			char d[160];
			snprintf(d, sizeof d, "%s -> %s", officialese[i].word,
			         officialese[i].plain);
			lint_add(r, LINT_WARNING, q, field,
			         N_("An officialese word has a plain alternative."), d);
		}
}

static const char *option_field(const struct question *q, int i, arena *a)
{
	const char *what = q->type == Q_STORY    ? "prompts"
	                   : q->type == Q_DYAD   ? "poles"
	                   : q->type == Q_TRIAD  ? "corners"
	                   : q->type == Q_STONES ? "stones"
	                                         : "options";
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%s[%d].%s.nl", what, i, q->type == Q_STORY ? "text" : "label");
	return arena_strdup(a, tmp);
}

void script_lint(const struct script *s, struct lint_result *r)
{
	assert(s && r);
	memset(r, 0, sizeof *r);
	int stories = 0, signif = 0;
	if (blank(ltext_nl(&s->title)))
		lint_add(r, LINT_ERROR, NULL, "title.nl", N_("The script has no Dutch title."),
		         NULL);
	if (blank(ltext_nl(&s->privacy)))
		lint_add(r, LINT_ERROR, NULL, "privacy.nl",
		         N_("The privacy text is empty: tell people who can read their story."),
		         NULL);
	lint_plain(r, NULL, "introduction.nl", ltext_nl(&s->introduction));
	lint_plain(r, NULL, "privacy.nl", ltext_nl(&s->privacy));
	lint_plain(r, NULL, "thanks.nl", ltext_nl(&s->thanks));
	lint_plain(r, NULL, "title.nl", ltext_nl(&s->title));
	for (int i = 0; i < s->nsections; i++)
		lint_plain(r, NULL, "sections.title.nl", ltext_nl(&s->sections[i].title));
	for (int i = 0; i < s->nquestions; i++) {
		const struct question *q = s->questions[i];
		if (q->type == Q_STORY)
			stories++;
		if (q_type_signifies(q->type) && q->perspective == PERSPECTIVE_TELLER &&
		    !q->once_per_person)
			signif++;
		if (blank(ltext_nl(&q->text)))
			lint_add(r, LINT_ERROR, q, "text.nl", N_("The question has no Dutch text."),
			         NULL);
		lint_plain(r, q, "text.nl", ltext_nl(&q->text));
		lint_plain(r, q, "help.nl", ltext_nl(&q->help));
		for (int j = 0; j < q->noptions; j++) {
			const char *label = ltext_nl(&q->options[j].label);
			if (blank(label))
				lint_add(r, LINT_ERROR, q, option_field(q, j, s->a),
				         N_("An option, pole, corner or stone has no Dutch label."),
				         q->options[j].id);
			else
				lint_plain(r, q, option_field(q, j, s->a), label);
			for (int k = 0; k < j; k++)
				if (!blank(label) &&
				    same_label(label, ltext_nl(&q->options[k].label)))
					lint_add(r, LINT_ERROR, q, option_field(q, j, s->a),
					         N_("Two options of this question have the same "
					            "label."),
					         label);
		}
		lint_plain(r, q, "other.nl", ltext_nl(&q->other));
		lint_plain(r, q, "low.nl", ltext_nl(&q->low));
		lint_plain(r, q, "high.nl", ltext_nl(&q->high));
		lint_plain(r, q, "x.label.nl", ltext_nl(&q->x.label));
		lint_plain(r, q, "x.low.nl", ltext_nl(&q->x.low));
		lint_plain(r, q, "x.high.nl", ltext_nl(&q->x.high));
		lint_plain(r, q, "y.label.nl", ltext_nl(&q->y.label));
		lint_plain(r, q, "y.low.nl", ltext_nl(&q->y.low));
		lint_plain(r, q, "y.high.nl", ltext_nl(&q->y.high));
		if (q->type == Q_SCALE) {
			if (blank(ltext_nl(&q->low)))
				lint_add(r, LINT_ERROR, q, "low.nl",
				         N_("The low end of the scale has no Dutch label."), NULL);
			if (blank(ltext_nl(&q->high)))
				lint_add(r, LINT_ERROR, q, "high.nl",
				         N_("The high end of the scale has no Dutch label."), NULL);
		}
		if (q->type == Q_STONES) {
			if (blank(ltext_nl(&q->x.low)) || blank(ltext_nl(&q->x.high)))
				lint_add(r, LINT_WARNING, q, "x",
				         N_("The horizontal axis has no Dutch labels at its ends."),
				         NULL);
			if (blank(ltext_nl(&q->y.low)) || blank(ltext_nl(&q->y.high)))
				lint_add(r, LINT_WARNING, q, "y",
				         N_("The vertical axis has no Dutch labels at its ends."),
				         NULL);
		}
		if ((q->type == Q_CHOICE || q->type == Q_MULTI) && q->other.n &&
		    blank(ltext_nl(&q->other)))
			lint_add(r, LINT_ERROR, q, "other.nl",
			         N_("The \"other\" option has no Dutch label."), NULL);
		for (int k = 0; k < i; k++)
			if (!blank(ltext_nl(&q->text)) &&
			    same_label(ltext_nl(&q->text), ltext_nl(&s->questions[k]->text)) &&
			    q->perspective == s->questions[k]->perspective)
				lint_add(r, LINT_WARNING, q, "text.nl",
				         N_("Another question has the same Dutch text."),
				         s->questions[k]->id);
		if (q->show_if_question && q->required) {
			/* fine: required only when asked */
		}
	}
	if (stories == 0)
		lint_add(r, LINT_ERROR, NULL, "sections",
		         N_("The script has no story question: add one so people can tell."), NULL);
	if (signif < 5 || signif > 7) {
		char d[16];
		snprintf(d, sizeof d, "%d", signif);
		lint_add(r, LINT_WARNING, NULL, "sections",
		         N_("5 to 7 signification questions for the teller are recommended."), d);
	}
}

void lint_result_free(struct lint_result *r)
{
	free(r->items);
	memset(r, 0, sizeof *r);
}

void lint_result_json(const struct lint_result *r, buf *out)
{
	buf_putc(out, '[');
	for (int i = 0; i < r->n; i++) {
		const struct lint_item *it = &r->items[i];
		if (i)
			buf_putc(out, ',');
		buf_puts(out, "{\"level\":");
		buf_json_str(out, it->level == LINT_ERROR ? "error" : "warning");
		buf_puts(out, ",\"question\":");
		if (it->question)
			buf_json_str(out, it->question);
		else
			buf_puts(out, "null");
		buf_puts(out, ",\"field\":");
		if (it->field)
			buf_json_str(out, it->field);
		else
			buf_puts(out, "null");
		buf_puts(out, ",\"message\":");
		buf_json_str(out, it->msg);
		buf_puts(out, ",\"detail\":");
		buf_json_str(out, it->detail);
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
}

/* ---- answers -------------------------------------------------------------- */

static int answer_fail(struct answer_error *e, const struct question *q, const char *msg,
                       const char *detail)
{
	e->question = q ? q->id : NULL;
	e->msg = msg;
	snprintf(e->detail, sizeof e->detail, "%s", detail ? detail : "");
	return -1;
}

static int in_range(json_t *v, double lo, double hi)
{
	if (!json_is_number(v))
		return 0;
	double x = json_number_value(v);
	return isfinite(x) && x >= lo && x <= hi;
}

static int text_ok(json_t *v, size_t max)
{
	return json_is_string(v) && util_utf8_clean(json_string_value(v), json_string_length(v)) &&
	       utf8_chars(json_string_value(v)) <= max;
}

static int check_other(const struct question *q, json_t *v, struct answer_error *e)
{
	if (!q->other.n)
		return answer_fail(e, q, N_("This question has no \"other\" option."), NULL);
	json_t *t = json_object_get(v, "other");
	if (json_object_size(v) != 1 || !t || !text_ok(t, OTHER_TEXT_MAX) ||
	    blank(json_string_value(t)))
		return answer_fail(e, q, N_("Write what \"other\" means (at most 500 characters)."),
		                   NULL);
	return 0;
}

static int check_one(const struct question *q, json_t *v, struct answer_error *e)
{
	char d[64];
	switch (q->type) {
	case Q_STORY: {
		if (!json_is_object(v))
			return answer_fail(e, q, N_("A story must have a prompt and a text."),
			                   NULL);
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x)
		{
			if (strcmp(k, "prompt") && strcmp(k, "title") && strcmp(k, "text"))
				return answer_fail(
				        e, q, N_("A story has only prompt, title and text."), k);
		}
		json_t *pr = json_object_get(v, "prompt");
		if (!pr || !json_is_string(pr) || option_index(q, json_string_value(pr)) < 0)
			return answer_fail(e, q, N_("Choose one of the prompts."), NULL);
		json_t *tx = json_object_get(v, "text");
		if (!tx || !text_ok(tx, STORY_TEXT_MAX) || blank(json_string_value(tx)))
			return answer_fail(e, q, N_("Write the story (at most 100000 characters)."),
			                   NULL);
		json_t *ti = json_object_get(v, "title");
		if (ti && !text_ok(ti, STORY_TITLE_MAX))
			return answer_fail(e, q, N_("The title is at most 200 characters."), NULL);
		return 0;
	}
	case Q_TEXT:
		if (!json_is_string(v))
			return answer_fail(e, q, N_("The answer must be text."), NULL);
		if (!text_ok(v, (size_t)q->max_length)) {
			snprintf(d, sizeof d, "%d", q->max_length);
			return answer_fail(e, q, N_("The answer is too long."), d);
		}
		return 0;
	case Q_CHOICE:
		if (json_is_object(v))
			return check_other(q, v, e);
		if (!json_is_string(v) || option_index(q, json_string_value(v)) < 0)
			return answer_fail(e, q, N_("That is not one of the options."),
			                   json_is_string(v) ? json_string_value(v) : NULL);
		return 0;
	case Q_MULTI: {
		if (!json_is_array(v))
			return answer_fail(e, q, N_("Give a list of options."), NULL);
		size_t n = json_array_size(v);
		int others = 0;
		for (size_t i = 0; i < n; i++) {
			json_t *x = json_array_get(v, i);
			if (json_is_object(x)) {
				if (check_other(q, x, e))
					return -1;
				if (++others > 1)
					return answer_fail(e, q, N_("\"Other\" can be given once."),
					                   NULL);
				continue;
			}
			if (!json_is_string(x) || option_index(q, json_string_value(x)) < 0)
				return answer_fail(e, q, N_("That is not one of the options."),
				                   json_is_string(x) ? json_string_value(x) : NULL);
			for (size_t j = 0; j < i; j++)
				if (json_equal(x, json_array_get(v, j)))
					return answer_fail(e, q, N_("An option is chosen twice."),
					                   json_string_value(x));
		}
		if ((int)n > q->max) {
			snprintf(d, sizeof d, "%d", q->max);
			return answer_fail(e, q, N_("Too many options are chosen."), d);
		}
		if ((int)n < q->min) {
			snprintf(d, sizeof d, "%d", q->min);
			return answer_fail(e, q, N_("Too few options are chosen."), d);
		}
		return 0;
	}
	case Q_SCALE:
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > q->points) {
			snprintf(d, sizeof d, "%d", q->points);
			return answer_fail(e, q, N_("Choose a point on the scale."), d);
		}
		return 0;
	case Q_DYAD:
		if (!in_range(v, 0, 100))
			return answer_fail(e, q, N_("A slider answer is a number from 0 to 100."),
			                   NULL);
		return 0;
	case Q_TRIAD: {
		if (!json_is_array(v) || json_array_size(v) != 3)
			return answer_fail(e, q, N_("A triangle answer has three weights."), NULL);
		double sum = 0;
		for (size_t i = 0; i < 3; i++) {
			json_t *x = json_array_get(v, i);
			if (!in_range(x, 0, 1.001))
				return answer_fail(
				        e, q,
				        N_("The weights of a triangle answer are from 0 to 1."),
				        NULL);
			sum += json_number_value(x);
		}
		if (fabs(sum - 1.0) > 0.001) {
			snprintf(d, sizeof d, "%.4f", sum);
			return answer_fail(
			        e, q, N_("The weights of a triangle answer must add up to 1."), d);
		}
		return 0;
	}
	case Q_STONES: {
		if (!json_is_object(v))
			return answer_fail(e, q, N_("Give a position for each stone placed."),
			                   NULL);
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x)
		{
			if (option_index(q, k) < 0)
				return answer_fail(e, q, N_("That is not one of the stones."), k);
			if (!json_is_array(x) || json_array_size(x) != 2 ||
			    !in_range(json_array_get(x, 0), 0, 100) ||
			    !in_range(json_array_get(x, 1), 0, 100))
				return answer_fail(
				        e, q, N_("A stone's position is [x, y] from 0 to 100."), k);
		}
		return 0;
	}
	case Q_PIN: {
		if (!json_is_object(v))
			return answer_fail(e, q, N_("A pin answer has x, y and a note."), NULL);
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x)
		{
			if (strcmp(k, "x") && strcmp(k, "y") && strcmp(k, "note"))
				return answer_fail(e, q, N_("A pin answer has x, y and a note."),
				                   k);
		}
		if (!in_range(json_object_get(v, "x"), 0, 100) ||
		    !in_range(json_object_get(v, "y"), 0, 100))
			return answer_fail(e, q, N_("The pin's x and y are from 0 to 100."), NULL);
		json_t *note = json_object_get(v, "note");
		if (note && !text_ok(note, NOTE_MAX))
			return answer_fail(e, q, N_("The note is at most 2000 characters."), NULL);
		return 0;
	}
	case Q_DATE: {
		const char *s = json_is_string(v) ? json_string_value(v) : NULL;
		if (!s || !date_ok(s))
			return answer_fail(e, q, N_("Give a date as YYYY-MM-DD."), NULL);
		if ((q->date_min && strcmp(s, q->date_min) < 0) ||
		    (q->date_max && strcmp(s, q->date_max) > 0))
			return answer_fail(e, q, N_("The date is outside the allowed period."), s);
		return 0;
	}
	case Q_NUMBER: {
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return answer_fail(e, q, N_("The answer must be a number."), NULL);
		double x = json_number_value(v);
		if (q->integer && x != floor(x))
			return answer_fail(e, q, N_("The answer must be a whole number."), NULL);
		if ((q->has_min && x < q->num_min) || (q->has_max && x > q->num_max))
			return answer_fail(e, q, N_("The number is outside the allowed range."),
			                   NULL);
		return 0;
	}
	case Q_TYPE_COUNT: break;
	}
	assert(0);
	return -1;
}

/* Whether the answer v of a choice or scale question matches one of the
 * condition's values. */
static int condition_met(const struct question *q, const struct question *t, json_t *v)
{
	if (!v || json_is_null(v))
		return 0;
	for (int i = 0; i < q->show_if_count; i++) {
		const char *want = q->show_if_values[i];
		if (t->type == Q_SCALE) {
			if (json_is_integer(v) && json_integer_value(v) == atoi(want))
				return 1;
		} else if (t->type == Q_CHOICE) {
			if (json_is_string(v) && strcmp(json_string_value(v), want) == 0)
				return 1;
		} else if (json_is_array(v)) {
			for (size_t j = 0; j < json_array_size(v); j++) {
				json_t *x = json_array_get(v, j);
				if (json_is_string(x) && strcmp(json_string_value(x), want) == 0)
					return 1;
			}
		}
	}
	return 0;
}

int script_check_answers(const struct script *s, json_t *answers, unsigned perspectives,
                         struct answer_error *e)
{
	assert(s && e);
	memset(e, 0, sizeof *e);
	if (!answers || !json_is_object(answers))
		return answer_fail(e, NULL, N_("The answers must be an object of question ids."),
		                   NULL);
	const char *k;
	json_t *v;
	json_object_foreach(answers, k, v)
	{
		if (!script_question(s, k)) {
			answer_fail(e, NULL, N_("The script has no question with this id."), k);
			snprintf(e->unknown, sizeof e->unknown, "%.64s", k);
			e->question = e->unknown;
			return -1;
		}
	}
	/* asked[i]: whether question i is asked, given the answers before it. */
	unsigned char *asked = calloc((size_t)s->nquestions + 1, 1);
	if (!asked)
		abort();
	int rc = 0;
	for (int i = 0; i < s->nquestions && rc == 0; i++) {
		const struct question *q = s->questions[i];
		asked[i] = 1;
		if (q->show_if_question) {
			const struct question *t = script_question(s, q->show_if_question);
			asked[i] = t && asked[t->index] &&
			           condition_met(q, t, json_object_get(answers, t->id));
		}
		json_t *a = json_object_get(answers, q->id);
		if (!asked[i]) {
			if (a)
				json_object_del(answers, q->id);
			continue;
		}
		if (!(q->perspective & perspectives)) {
			if (a)
				rc = answer_fail(
				        e, q,
				        q->perspective == PERSPECTIVE_PROFESSIONAL
				                ? N_("This question is answered by the "
				                     "professional.")
				                : N_("This question is answered by the teller."),
				        NULL);
			continue;
		}
		if (!a) {
			if (q->required)
				rc = answer_fail(e, q, N_("This question needs an answer."), NULL);
			continue;
		}
		if (json_is_null(a)) {
			if (!q->not_applicable)
				rc = answer_fail(
				        e, q, N_("\"Not applicable\" is not possible here."), NULL);
			continue;
		}
		rc = check_one(q, a, e);
	}
	free(asked);
	return rc;
}
