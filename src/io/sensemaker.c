/* sensemaker.c: the SenseMaker framework-definition importer: signifiers to questions, pages to sections, and a report. */
#include "io/sensemaker.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A SenseMaker definition (see tests/fixtures/sensemaker/ and the table in
 * docs/formats.md) is a JSON object whose scalars are wrapped in
 * one-element arrays ("name": ["ADemo"]) and whose questions ("signifiers")
 * come either as one flat array or per page under "sections". Each
 * signifier has an id, a type, a title (HTML), the flags required,
 * allow_na, fragment and sticky, and a "content" object whose keys depend
 * on the type. The importer works in steps: collect puts the signifiers
 * in display order with their page, classify finds the story,
 * build_questions turns signifiers into questions, texts_and_skips turns
 * labels into the introduction and the thanks and records what is
 * skipped, and sensemaker_to_script_layout assembles the script. Nothing
 * of the definition is changed; the result shares no memory with it. */

enum { PLACE_MAX = 160, SLUG_MAX = 64, NO_ORDER = INT_MIN };

enum kind { K_OTHER, K_LABEL, K_STORY, K_TEXT, K_LIST, K_TRIAD, K_DYAD, K_STONES };

/* One signifier, in display order once collect has run. */
struct item {
	json_t *sig; /* borrowed from the definition */
	const char *id, *type;
	char place[PLACE_MAX]; /* where it is in the definition, for messages */
	int order;             /* its "order", NO_ORDER when absent */
	int page;              /* page number from 0 */
	const char *page_id;   /* the page's SenseMaker id, or NULL */
	int unplaced;          /* a layout was given and does not show it */
	enum kind kind;
	json_t *question; /* the built question (owned), or NULL */
};

/* A freetext that holds the "other" answer of a list. */
struct other_link {
	const char *text_id, *list_id, *option_id;
	size_t list_pos;
};

struct conv {
	json_t *def;
	char *err;
	size_t errlen;
	char lang[4]; /* the definition's language code, "" when none */
	struct item *items;
	size_t n;
	int mixed; /* flat signifiers of several pages mixed by their order numbers */
	struct other_link *links;
	size_t nlinks;
	json_t *skipped, *notes; /* the report's arrays */
};

/* ---- small helpers ------------------------------------------------------- */

/* Allocation failure aborts (DESIGN rule 6). */
static json_t *must(json_t *j)
{
	if (!j)
		abort();
	return j;
}

static void set(json_t *o, const char *key, json_t *v)
{
	if (json_object_set_new(o, key, must(v)) != 0)
		abort();
}

static void append(json_t *a, json_t *v)
{
	if (json_array_append_new(a, must(v)) != 0)
		abort();
}

/* A JSON string of s; s is valid UTF-8 here (it comes from jansson or
 * from html_text), but a defect must not become a NULL. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	return j ? j : must(json_string(""));
}

__attribute__((format(printf, 2, 3))) static int fail(struct conv *c, const char *fmt, ...)
{
	if (c->errlen && c->err[0] == '\0') {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

__attribute__((format(printf, 2, 3))) static void note(struct conv *c, const char *fmt, ...)
{
	buf b;
	buf_init(&b);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	append(c->notes, jstr(b.data ? b.data : ""));
	buf_free(&b);
}

static void skip(struct conv *c, const struct item *it, const char *reason)
{
	json_t *o = must(json_object());
	set(o, "id", jstr(it->id));
	set(o, "type", jstr(it->type));
	set(o, "reason", jstr(reason));
	append(c->skipped, o);
}

/* Top-level values are wrapped in one-element arrays; signifier fields are not. */
static json_t *unwrap(json_t *v)
{
	return json_is_array(v) ? json_array_get(v, 0) : v;
}

static const char *top_str(struct conv *c, const char *key)
{
	json_t *v = unwrap(json_object_get(c->def, key));
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int flag(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_string(v))
		return strcmp(json_string_value(v), "true") == 0;
	return json_is_true(v);
}

/* A whole number from a JSON integer, real or numeric string; dflt otherwise. */
static int number(json_t *v, int dflt)
{
	double d;
	if (json_is_integer(v)) {
		d = (double)json_integer_value(v);
	} else if (json_is_real(v)) {
		d = json_real_value(v);
	} else if (json_is_string(v)) {
		char *end;
		const char *s = json_string_value(v);
		d = strtod(s, &end);
		if (end == s || *end != '\0')
			return dflt;
	} else {
		return dflt;
	}
	if (!isfinite(d))
		return dflt;
	if (d > INT_MAX / 2)
		return INT_MAX / 2;
	if (d < INT_MIN / 2)
		return INT_MIN / 2;
	return (int)d;
}

/* The order number of a signifier or section, NO_ORDER when absent. */
static int order_of(json_t *o)
{
	json_t *v = json_object_get(o, "order");
	if (!json_is_integer(v) && !json_is_real(v))
		return NO_ORDER;
	return number(v, NO_ORDER);
}

/* docs/formats.md, "Ids": 1-64 letters, digits, '-', '_' and '.'. */
static int id_ok(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char ch = s[n];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'))
			return 0;
	}
	return n >= 1 && n <= 64;
}

/* Copies at most max bytes of s to out (max + 1 bytes) without cutting a
 * UTF-8 sequence, so messages stay valid text. */
static void clip(const char *s, size_t max, char *out)
{
	size_t n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out, s, n);
	out[n] = '\0';
}

static int ascii_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
}

static int is_alpha(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int ascii_eq_nocase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
			return 0;
	return *a == *b;
}

/* Stable insertion sort of idx[0..n) by key[idx[i]]; NO_ORDER keys keep
 * their place relative to each other and sort first. Lists are short. */
static void sort_by_order(size_t *idx, size_t n, const int *key)
{
	for (size_t i = 1; i < n; i++) {
		size_t v = idx[i], j = i;
		while (j > 0 && key[idx[j - 1]] > key[v]) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = v;
	}
}

/* ---- HTML to plain text --------------------------------------------------- */

/* SenseMaker titles and labels are HTML fragments from a rich-text editor.
 * Our texts are plain (docs/formats.md, "Texts"): tags are dropped,
 * entities decoded, runs of white space become one space. With
 * paragraphs (labels that become the introduction or the thanks) a block
 * element or two <br> in a row end a paragraph, written as a blank line;
 * without, everything is one line. The editor sometimes stored markup the
 * author typed as escaped text ("&lt;font color='blue'&gt;"): a known tag
 * escaped like that is dropped as well, any other "&lt;" stays a "<". */

struct txt {
	buf b;
	int space, para, brs, paragraphs;
};

static void txt_flush(struct txt *t)
{
	if (t->b.len) {
		if (t->para)
			buf_append(&t->b, "\n\n", 2);
		else if (t->space)
			buf_putc(&t->b, ' ');
	}
	t->space = t->para = 0;
}

static void txt_put(struct txt *t, const char *s, size_t n)
{
	txt_flush(t);
	buf_append(&t->b, s, n);
	t->brs = 0;
}

static const char *const block_tags[] = {
        "p",     "div",        "h1",    "h2",      "h3",      "h4",     "h5",     "h6",    "li",
        "ul",    "ol",         "aside", "section", "article", "header", "footer", "hr",    "tr",
        "table", "blockquote", "pre",   "dl",      "dt",      "dd",     "center", "title", NULL};

/* Tags the editor is known to store escaped; only these are dropped
 * when they appear as "&lt;name ...&gt;". */
static const char *const escaped_tags[] = {
        "font", "b",  "i",  "u",  "em", "strong", "span", "div",    "p",   "br",  "h1", "h2",
        "h3",   "h4", "h5", "h6", "a",  "small",  "big",  "center", "sup", "sub", NULL};

static int in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

/* What a tag does to the text around it. */
static void txt_tag(struct txt *t, const char *name)
{
	if (strcmp(name, "br") == 0) {
		if (t->paragraphs && t->brs++ >= 1)
			t->para = 1;
		else
			t->space = 1;
	} else if (in_list(block_tags, name)) {
		if (t->paragraphs)
			t->para = 1;
		else
			t->space = 1;
	}
	/* inline tags (b, i, span, font, a...) join the text around them */
}

/* Reads a tag name (letters and digits, lower-cased) at s into name
 * (16 bytes); returns its length, 0 when s does not start with a letter. */
static size_t tag_name(const char *s, char name[16])
{
	size_t n = 0;
	if (!is_alpha((unsigned char)s[0]))
		return 0;
	while (is_alpha((unsigned char)s[n]) || (s[n] >= '0' && s[n] <= '9')) {
		if (n < 15)
			name[n] = (char)ascii_lower((unsigned char)s[n]);
		n++;
	}
	name[n < 15 ? n : 15] = '\0';
	return n;
}

/* The '>' that ends the tag whose attributes start at s (quotes
 * respected), or NULL. */
static const char *tag_end(const char *s)
{
	char quote = 0;
	for (; *s; s++) {
		if (quote) {
			if (*s == quote)
				quote = 0;
		} else if (*s == '"' || *s == '\'') {
			quote = *s;
		} else if (*s == '>') {
			return s;
		}
	}
	return NULL;
}

/* Case-insensitive search for the closing tag "</name" from s. */
static const char *find_close(const char *s, const char *name)
{
	size_t n = strlen(name);
	for (; (s = strchr(s, '<')) != NULL; s++) {
		if (s[1] != '/')
			continue;
		size_t k = 0;
		while (k < n && ascii_lower((unsigned char)s[2 + k]) == name[k])
			k++;
		if (k == n && !is_alpha((unsigned char)s[2 + n]))
			return s;
	}
	return NULL;
}

/* Handles a '<' at s; returns the position after what it consumed. */
static const char *txt_markup(struct txt *t, const char *s)
{
	char name[16];
	if (strncmp(s, "<!--", 4) == 0) {
		const char *e = strstr(s + 4, "-->");
		return e ? e + 3 : s + strlen(s);
	}
	int closing = s[1] == '/';
	const char *p = s + 1 + closing;
	size_t n = tag_name(p, name);
	if (n == 0 && !(s[1] == '!' || s[1] == '?')) {
		txt_put(t, "<", 1); /* "a < b": not markup */
		return s + 1;
	}
	const char *e = tag_end(p + n);
	if (!e) {
		txt_put(t, "<", 1);
		return s + 1;
	}
	if (n && !closing && (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)) {
		const char *c = find_close(e + 1, name);
		const char *ce = c ? tag_end(c) : NULL;
		return ce ? ce + 1 : s + strlen(s);
	}
	if (n)
		txt_tag(t, name);
	return e + 1;
}

/* An escaped known tag ("&lt;font color='blue'&gt;") at s: returns the
 * position after it, having applied the tag, or NULL when it is not one. */
static const char *txt_escaped_tag(struct txt *t, const char *s)
{
	char name[16];
	const char *p = s + 4; /* after "&lt;" */
	if (*p == '/')
		p++;
	size_t n = tag_name(p, name);
	if (n == 0 || !in_list(escaped_tags, name))
		return NULL;
	p += n;
	if (!(*p == ' ' || *p == '/' || *p == '&'))
		return NULL;
	for (size_t k = 0; p[k] && k < 300; k++) {
		if (p[k] == '<' || strncmp(p + k, "&lt;", 4) == 0)
			return NULL;
		if (strncmp(p + k, "&gt;", 4) == 0) {
			txt_tag(t, name);
			return p + k + 4;
		}
	}
	return NULL;
}

static void put_utf8(struct txt *t, unsigned long cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	txt_put(t, u, n);
}

static const struct {
	const char *name;
	unsigned long cp;
} entities[] = {
        {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
        {"apos", '\''},    {"nbsp", 0xa0},    {"shy", 0xad},     {"hellip", 0x2026},
        {"mdash", 0x2014}, {"ndash", 0x2013}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
        {"sbquo", 0x201a}, {"ldquo", 0x201c}, {"rdquo", 0x201d}, {"bdquo", 0x201e},
        {"laquo", 0xab},   {"raquo", 0xbb},   {"euro", 0x20ac},  {"copy", 0xa9},
        {"reg", 0xae},     {"trade", 0x2122}, {"deg", 0xb0},     {"middot", 0xb7},
        {"bull", 0x2022},  {"times", 0xd7},   {"eacute", 0xe9},  {"Eacute", 0xc9},
        {"egrave", 0xe8},  {"ecirc", 0xea},   {"euml", 0xeb},    {"iuml", 0xef},
        {"ouml", 0xf6},    {"uuml", 0xfc},    {"auml", 0xe4},    {"Auml", 0xc4},
        {"Ouml", 0xd6},    {"Uuml", 0xdc},    {"aacute", 0xe1},  {"agrave", 0xe0},
        {"acirc", 0xe2},   {"oacute", 0xf3},  {"ograve", 0xf2},  {"ocirc", 0xf4},
        {"uacute", 0xfa},  {"ugrave", 0xf9},  {"iacute", 0xed},  {"igrave", 0xec},
        {"ccedil", 0xe7},  {"ntilde", 0xf1},  {"szlig", 0xdf},   {"zwnj", 0x200c},
        {"zwj", 0x200d},
};

/* Applies one decoded code point: white space and invisible characters
 * become a space or nothing; everything else is written. */
static void txt_codepoint(struct txt *t, unsigned long cp)
{
	if (cp == 0xa0 || cp == '\t' || cp == '\n' || cp == '\r' || cp == ' ' || cp == 0x2028 ||
	    cp == 0x2029)
		t->space = 1;
	else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xad || cp == 0x200c ||
	         cp == 0x200d || (cp >= 0xd800 && cp < 0xe000) || cp > 0x10ffff)
		; /* controls, soft hyphens, joiners, surrogates: dropped */
	else
		put_utf8(t, cp);
}

/* Handles a '&' at s; returns the position after what it consumed. */
static const char *txt_entity(struct txt *t, const char *s)
{
	if (strncmp(s, "&lt;", 4) == 0) {
		const char *after = txt_escaped_tag(t, s);
		if (after)
			return after;
	}
	const char *semi = NULL;
	for (size_t k = 1; s[k] && k < 12; k++) {
		if (s[k] == ';') {
			semi = s + k;
			break;
		}
	}
	if (semi && s[1] == '#') {
		int hex = s[2] == 'x' || s[2] == 'X';
		const char *d = s + 2 + hex;
		unsigned long cp = 0;
		int ok = d < semi;
		for (const char *q = d; q < semi && ok; q++) {
			int v = *q >= '0' && *q <= '9'          ? *q - '0'
			        : hex && *q >= 'a' && *q <= 'f' ? *q - 'a' + 10
			        : hex && *q >= 'A' && *q <= 'F' ? *q - 'A' + 10
			                                        : -1;
			if (v < 0)
				ok = 0;
			else if ((cp = cp * (hex ? 16 : 10) + (unsigned long)v) > 0x10ffff)
				cp = 0x110000; /* stays out of range */
		}
		if (ok) {
			txt_codepoint(t, cp);
			return semi + 1;
		}
	} else if (semi) {
		size_t n = (size_t)(semi - s - 1);
		for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++) {
			if (strlen(entities[i].name) == n &&
			    strncmp(entities[i].name, s + 1, n) == 0) {
				txt_codepoint(t, entities[i].cp);
				return semi + 1;
			}
		}
	}
	txt_put(t, "&", 1); /* not an entity we know: literal */
	return s + 1;
}

/* Plain text of the HTML fragment s (malloc'ed; the caller frees). */
static char *html_text(const char *s, int paragraphs)
{
	struct txt t = {.paragraphs = paragraphs};
	buf_init(&t.b);
	buf_reserve(&t.b, strlen(s) + 1);
	while (*s) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '<') {
			s = txt_markup(&t, s);
		} else if (ch == '&') {
			s = txt_entity(&t, s);
		} else if (ch == 0xc2 && (unsigned char)s[1] == 0xa0) {
			t.space = 1; /* a raw no-break space */
			s += 2;
		} else if (ch <= 0x20 || ch == 0x7f) { /* white space and controls */
			t.space = 1;
			s++;
		} else {
			txt_put(&t, s, 1);
			s++;
		}
	}
	buf_append(&t.b, "", 0); /* terminates the text, also an empty one */
	return buf_detach(&t.b, NULL);
}

/* Whether a label reads like a thank-you (in the languages SenseMaker
 * projects in the Netherlands and around tend to use). */
static int is_thanks(const char *text)
{
	static const char *const words[] = {
	        "thank",          "bedank",    "dank u",   "dank je", "dank voor",
	        "hartelijk dank", "dankjewel", "dankuwel", "danke",   "merci",
	        "gracias",        "grazie",    "obrigad",  NULL};
	size_t n = strlen(text);
	char *low = malloc(n + 1);
	if (!low)
		abort();
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)ascii_lower((unsigned char)text[i]);
	int found = 0;
	for (const char *const *w = words; *w && !found; w++)
		found = strstr(low, *w) != NULL;
	free(low);
	return found;
}

/* ---- the script's key ------------------------------------------------------ */

/* A key ("a-z0-9-", at most 64) from a name: letters lower-cased, the
 * accented letters of Latin-1 without their accents, anything else a
 * single '-'. out has SLUG_MAX + 1 bytes; "" when nothing is left. */
static void slug(const char *s, char out[SLUG_MAX + 1])
{
	/* U+00C0..U+00FF; '-' where there is no plain letter. */
	static const char latin1[] = "aaaaaaaceeeeiiiidnooooo-ouuuuy-s"
	                             "aaaaaaaceeeeiiiidnooooo-ouuuuy-y";
	size_t n = 0;
	int dash = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && n < SLUG_MAX; p++) {
		char ch = 0;
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			ch = (char)*p;
		else if (*p >= 'A' && *p <= 'Z')
			ch = (char)ascii_lower(*p);
		else if (*p == 0xc3 && p[1] >= 0x80 && p[1] <= 0xbf) {
			ch = latin1[p[1] - 0x80];
			p++;
		}
		if (ch == 0 || ch == '-') {
			dash = n > 0;
			continue;
		}
		if (dash && n < SLUG_MAX)
			out[n++] = '-';
		dash = 0;
		if (n < SLUG_MAX)
			out[n++] = ch;
	}
	while (n > 0 && out[n - 1] == '-')
		n--;
	out[n] = '\0';
}

/* ---- texts ------------------------------------------------------------------ */

/* A text object: the definition's language and Dutch (nl first). */
static json_t *ltext(struct conv *c, const char *s)
{
	json_t *o = must(json_object());
	set(o, "nl", jstr(s));
	if (c->lang[0] && strcmp(c->lang, "nl") != 0)
		set(o, c->lang, jstr(s));
	return o;
}

/* The language code of the definition: "en", "nl-NL" -> "nl"; "" when
 * absent or not a code. */
static void language(struct conv *c)
{
	const char *s = top_str(c, "language");
	c->lang[0] = '\0';
	if (!s) {
		note(c, "the definition names no language: its texts were taken as Dutch (nl)");
		return;
	}
	size_t n = 0;
	while (n < 4 && is_alpha((unsigned char)s[n]))
		n++;
	if ((n == 2 || n == 3) && (s[n] == '\0' || s[n] == '-' || s[n] == '_')) {
		for (size_t i = 0; i < n; i++)
			c->lang[i] = (char)ascii_lower((unsigned char)s[i]);
		c->lang[n] = '\0';
	} else {
		char shown[40];
		clip(s, 32, shown);
		note(c,
		     "the language \"%s\" is not a language code: the texts were taken as Dutch "
		     "(nl)",
		     shown);
	}
}

/* ---- collecting the signifiers in display order ----------------------------- */

static struct item *push(struct conv *c, size_t *cap)
{
	if (c->n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		c->items = realloc(c->items, *cap * sizeof *c->items);
		if (!c->items)
			abort();
	}
	struct item *it = &c->items[c->n++];
	memset(it, 0, sizeof *it);
	return it;
}

/* Checks one signifier and appends it; where names its place for messages. */
static int add_signifier(struct conv *c, size_t *cap, json_t *sig, const char *where)
{
	if (!json_is_object(sig))
		return fail(c, "%s: not an object", where);
	const char *id = get_str(sig, "id");
	if (!id || !id[0])
		return fail(c, "%s: no id", where);
	char shown[72];
	clip(id, 64, shown);
	const char *type = get_str(sig, "type");
	if (!type)
		return fail(c, "%s (%s): no type", where, shown);
	struct item *it = push(c, cap);
	it->sig = sig;
	it->id = id;
	it->type = type;
	it->order = order_of(sig);
	snprintf(it->place, sizeof it->place, "%s (%s)", where, shown);
	return 0;
}

/* Duplicate ids anywhere refuse the definition: answers are kept by id. */
static int check_duplicates(struct conv *c)
{
	for (size_t i = 1; i < c->n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->items[i].id, c->items[j].id) == 0)
				return fail(c, "%s: duplicate id (also %s)", c->items[i].place,
				            c->items[j].place);
	return 0;
}

/* The definition's own pages: "sections": [{"id", "order", "signifiers"}]. */
static int collect_sections(struct conv *c, json_t *secs)
{
	size_t cap = 0, ns = json_array_size(secs);
	size_t *idx = calloc(ns + 1, sizeof *idx);
	int *key = calloc(ns + 1, sizeof *key);
	if (!idx || !key)
		abort();
	for (size_t s = 0; s < ns; s++) {
		idx[s] = s;
		key[s] = order_of(json_array_get(secs, s));
	}
	sort_by_order(idx, ns, key);
	int rc = 0;
	for (size_t k = 0; k < ns && rc == 0; k++) {
		size_t s = idx[k];
		json_t *sec = json_array_get(secs, s);
		json_t *sigs = json_object_get(sec, "signifiers");
		char where[64];
		if (!json_is_array(sigs)) {
			rc = fail(c, "sections[%zu]: no signifiers array", s);
			break;
		}
		size_t first = c->n;
		for (size_t i = 0; i < json_array_size(sigs) && rc == 0; i++) {
			snprintf(where, sizeof where, "sections[%zu].signifiers[%zu]", s, i);
			rc = add_signifier(c, &cap, json_array_get(sigs, i), where);
		}
		if (rc)
			break;
		/* Within a page, the order numbers give the order when all have one. */
		size_t m = c->n - first;
		int all = 1;
		for (size_t i = first; i < c->n; i++)
			all &= c->items[i].order != NO_ORDER;
		if (all && m > 1) {
			size_t *pi = malloc(m * sizeof *pi);
			int *pk = malloc(m * sizeof *pk);
			struct item *copy = malloc(m * sizeof *copy);
			if (!pi || !pk || !copy)
				abort();
			for (size_t i = 0; i < m; i++) {
				pi[i] = i;
				pk[i] = c->items[first + i].order;
				copy[i] = c->items[first + i];
			}
			sort_by_order(pi, m, pk);
			for (size_t i = 0; i < m; i++)
				c->items[first + i] = copy[pi[i]];
			free(pi);
			free(pk);
			free(copy);
		}
		const char *sid = get_str(sec, "id");
		for (size_t i = first; i < c->n; i++) {
			c->items[i].page = (int)k;
			c->items[i].page_id = sid;
		}
	}
	free(idx);
	free(key);
	return rc;
}

/* Pages of a flat array without a layout. Exports number the signifiers
 * per page ("order" 1, 2, ... on every page). Listed page after page, a
 * navigation signifier or a restart of the numbers ends a page. Some
 * exports instead list all pages mixed together sorted by those numbers
 * (1, 1, 2, 2, 3, ...): then which page a signifier is on cannot be told. */
static void flat_pages(struct conv *c)
{
	int all = 1, dup = 0, down = 0;
	for (size_t i = 0; i < c->n; i++) {
		all &= c->items[i].order != NO_ORDER;
		if (i > 0 && c->items[i].order == c->items[i - 1].order)
			dup = 1;
		if (i > 0 && c->items[i].order < c->items[i - 1].order)
			down = 1;
	}
	if (all && dup && !down) {
		c->mixed = 1;
		note(c, "the signifiers of several pages are listed mixed together by their order "
		        "numbers, so their pages cannot be told without the layout file: the "
		        "questions form one section in the definition's order, and labels that "
		        "share their number with another signifier were skipped (import with "
		        "the layout to place them)");
		return;
	}
	int page = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (i > 0 && (strcmp(c->items[i - 1].type, "navigation") == 0 ||
		              (all && c->items[i].order <= c->items[i - 1].order)))
			page++;
		c->items[i].page = page;
	}
}

/* Pages from the layout's settings.sections (see sensemaker.h). */
static int layout_pages(struct conv *c, json_t *layout)
{
	json_t *secs = NULL;
	if (json_is_object(layout))
		secs = json_object_get(json_object_get(layout, "settings"), "sections");
	for (size_t i = 0; json_is_array(layout) && i < json_array_size(layout) && !secs; i++)
		secs = json_object_get(json_object_get(json_array_get(layout, i), "settings"),
		                       "sections");
	if (!json_is_array(secs))
		return fail(c, "layout: no settings.sections array");

	size_t ns = json_array_size(secs);
	size_t *idx = calloc(ns + 1, sizeof *idx);
	int *key = calloc(ns + 1, sizeof *key);
	struct item *placed = calloc(c->n + 1, sizeof *placed);
	char *used = calloc(c->n + 1, 1);
	if (!idx || !key || !placed || !used)
		abort();
	for (size_t s = 0; s < ns; s++) {
		idx[s] = s;
		key[s] = order_of(json_array_get(secs, s));
	}
	sort_by_order(idx, ns, key);
	size_t np = 0, unknown = 0;
	int rc = 0;
	for (size_t k = 0; k < ns && rc == 0; k++) {
		json_t *sec = json_array_get(secs, idx[k]);
		json_t *sigs = json_object_get(sec, "signifiers");
		if (!json_is_array(sigs)) {
			rc = fail(c, "layout: settings.sections[%zu]: no signifiers array", idx[k]);
			break;
		}
		size_t m = json_array_size(sigs);
		size_t *si = calloc(m + 1, sizeof *si);
		int *sk = calloc(m + 1, sizeof *sk);
		if (!si || !sk)
			abort();
		for (size_t i = 0; i < m; i++) {
			si[i] = i;
			sk[i] = order_of(json_array_get(sigs, i));
		}
		sort_by_order(si, m, sk);
		for (size_t i = 0; i < m; i++) {
			const char *id = get_str(json_array_get(sigs, si[i]), "id");
			size_t j = 0;
			while (id && j < c->n && strcmp(c->items[j].id, id) != 0)
				j++;
			if (!id || j == c->n) {
				unknown++;
				continue;
			}
			if (used[j])
				continue; /* shown twice: the first place counts */
			used[j] = 1;
			placed[np] = c->items[j];
			placed[np].page = (int)k;
			placed[np].page_id = get_str(sec, "id");
			np++;
		}
		free(si);
		free(sk);
	}
	if (rc == 0) {
		/* What the layout does not show follows, to be skipped. */
		for (size_t j = 0; j < c->n; j++) {
			if (used[j])
				continue;
			placed[np] = c->items[j];
			placed[np].page = (int)ns;
			placed[np].unplaced = 1;
			np++;
		}
		memcpy(c->items, placed, np * sizeof *placed);
		if (unknown)
			note(c,
			     "the layout names %zu signifiers the definition does not have; they "
			     "were ignored",
			     unknown);
	}
	free(idx);
	free(key);
	free(placed);
	free(used);
	return rc;
}

static int collect(struct conv *c, json_t *layout)
{
	json_t *sigs = json_object_get(c->def, "signifiers");
	json_t *secs = json_object_get(c->def, "sections");
	size_t cap = 0;
	if (json_is_array(sigs)) {
		char where[48];
		for (size_t i = 0; i < json_array_size(sigs); i++) {
			snprintf(where, sizeof where, "signifiers[%zu]", i);
			if (add_signifier(c, &cap, json_array_get(sigs, i), where) < 0)
				return -1;
		}
		if (check_duplicates(c) < 0)
			return -1;
		if (layout)
			return layout_pages(c, layout);
		flat_pages(c);
		return 0;
	}
	if (json_is_array(secs)) {
		if (collect_sections(c, secs) < 0 || check_duplicates(c) < 0)
			return -1;
		if (layout)
			note(c, "the definition has its own sections; the layout was not needed");
		return 0;
	}
	return fail(c, "definition: no signifiers array");
}

/* ---- questions --------------------------------------------------------------- */

static json_t *content_of(const struct item *it)
{
	return json_object_get(it->sig, "content");
}

/* The question's text; an empty title is reported and left empty for the
 * editor to fill in. */
static char *title_text(struct conv *c, const struct item *it)
{
	const char *title = get_str(it->sig, "title");
	char *s = html_text(title ? title : "", 0);
	if (!s[0])
		note(c, "%s has no title: its question text is empty", it->place);
	return s;
}

static json_t *question_head(struct conv *c, const struct item *it, const char *type)
{
	json_t *q = must(json_object());
	set(q, "id", jstr(it->id));
	set(q, "type", jstr(type));
	char *text = title_text(c, it);
	set(q, "text", ltext(c, text));
	free(text);
	if (flag(it->sig, "required"))
		set(q, "required", json_true());
	if (flag(it->sig, "allow_na"))
		set(q, "not_applicable", json_true());
	if (flag(it->sig, "sticky"))
		set(q, "once_per_person", json_true());
	return q;
}

/* Options, poles, corners or stones from content[key]: objects with an id
 * and a text under text_key (HTML). want is the exact number needed (0:
 * at least one, else the refusal says "empty"). Hidden list items
 * ("visible": false) are left out and counted in *hidden. Returns the
 * array or NULL with err set. */
static json_t *options(struct conv *c, const struct item *it, const char *key, const char *text_key,
                       size_t want, const char *empty, size_t *hidden)
{
	json_t *arr = json_object_get(content_of(it), key);
	size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
	if (want && n != want) {
		fail(c, "%s: %s needs %s labels (has %zu)", it->place, it->type,
		     want == 3 ? "three" : "two", n);
		return NULL;
	}
	if (n == 0) {
		fail(c, "%s: %s", it->place, empty);
		return NULL;
	}
	json_t *out = must(json_array());
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, i);
		const char *id = get_str(o, "id");
		char shown[72];
		if (!id || !id[0]) {
			fail(c, "%s.content.%s[%zu]: no id", it->place, key, i);
			goto bad;
		}
		clip(id, 64, shown);
		if (!id_ok(id)) {
			fail(c,
			     "%s.content.%s[%zu] (%s): the id does not fit the id rule (1-64 "
			     "letters, "
			     "digits, '-', '_', '.')",
			     it->place, key, i, shown);
			goto bad;
		}
		for (size_t j = 0; j < i; j++) {
			const char *other = get_str(json_array_get(arr, j), "id");
			if (other && strcmp(other, id) == 0) {
				fail(c, "%s.content.%s[%zu] (%s): duplicate id (also %s[%zu])",
				     it->place, key, i, shown, key, j);
				goto bad;
			}
		}
		if (hidden && json_is_false(json_object_get(o, "visible"))) {
			(*hidden)++;
			continue;
		}
		const char *raw = get_str(o, text_key);
		if (!raw)
			raw = get_str(o, "title");
		char *label = html_text(raw ? raw : "", 0);
		if (!label[0])
			note(c, "%s.content.%s[%zu] (%s) has no text: its label is empty",
			     it->place, key, i, shown);
		json_t *opt = must(json_object());
		set(opt, "id", jstr(id));
		set(opt, "label", ltext(c, label));
		free(label);
		append(out, opt);
	}
	return out;
bad:
	json_decref(out);
	return NULL;
}

static json_t *build_list(struct conv *c, const struct item *it)
{
	size_t hidden = 0;
	json_t *opts = options(c, it, "items", "title", 0, "list without items", &hidden);
	if (!opts)
		return NULL;
	size_t n = json_array_size(opts);
	if (n == 0) {
		json_decref(opts);
		fail(c, "%s: list without items (all are hidden)", it->place);
		return NULL;
	}
	if (hidden)
		note(c, "%s: %zu hidden items were left out", it->place, hidden);
	json_t *content = content_of(it);
	int maxr = number(json_object_get(content, "max_responses"), 0);
	int minr = number(json_object_get(content, "min_responses"), 0);
	json_t *q;
	if (maxr == 1 && n >= 2) {
		q = question_head(c, it, "choice");
		set(q, "options", opts);
		return q;
	}
	int max = maxr <= 0 || (size_t)maxr > n ? (int)n : maxr;
	int min = minr < 0 ? 0 : minr > max ? max : minr;
	if (maxr == 1)
		note(c,
		     "%s: a list with one item (a check box) became a multiple-choice question "
		     "with at most one answer",
		     it->place);
	q = question_head(c, it, "multi");
	set(q, "options", opts);
	/* The canonical form leaves out the defaults: min 0, max all options. */
	if (min)
		set(q, "min", json_integer(min));
	if ((size_t)max != n)
		set(q, "max", json_integer(max));
	return q;
}

static json_t *build_poles(struct conv *c, const struct item *it, const char *type, const char *key,
                           size_t want)
{
	json_t *opts = options(c, it, "labels", "text", want, "", NULL);
	if (!opts)
		return NULL;
	json_t *q = question_head(c, it, type);
	set(q, key, opts);
	return q;
}

static json_t *axis(struct conv *c, json_t *a)
{
	static const char *const from[] = {"name", "start_label", "end_label"};
	static const char *const to[] = {"label", "low", "high"};
	json_t *o = must(json_object());
	for (int i = 0; i < 3; i++) {
		const char *s = get_str(a, from[i]);
		char *text = html_text(s ? s : "", 0);
		if (text[0]) /* the reader takes absent axis texts; empty ones are noise */
			set(o, to[i], ltext(c, text));
		free(text);
	}
	return o;
}

static json_t *build_stones(struct conv *c, const struct item *it)
{
	json_t *stones = options(c, it, "stones", "title", 0, "stones without stones", NULL);
	if (!stones)
		return NULL;
	json_t *content = content_of(it);
	json_t *ax = json_object_get(content, "axis");
	json_t *q = question_head(c, it, "stones");
	set(q, "stones", stones);
	set(q, "x", axis(c, json_object_get(ax, "x")));
	set(q, "y", axis(c, json_object_get(ax, "y")));
	int empty = 1;
	for (int k = 0; k < 2; k++) {
		json_t *a = json_object_get(ax, k ? "y" : "x");
		const char *keys[] = {"name", "start_label", "end_label"};
		for (int i = 0; i < 3; i++) {
			const char *s = get_str(a, keys[i]);
			empty &= !s || !s[0];
		}
	}
	if (empty)
		note(c,
		     "%s: the axes have no labels (SenseMaker may draw them on the canvas "
		     "image): give them texts in the editor",
		     it->place);
	const char *bg = get_str(content, "background_image");
	if (bg && bg[0])
		note(c, "%s: the canvas image is not imported", it->place);
	return q;
}

static json_t *build_story(struct conv *c, const struct item *it)
{
	json_t *q = question_head(c, it, "story");
	json_t *prompts = must(json_array());
	json_t *p = must(json_object());
	set(p, "id", jstr("prompt-1"));
	set(p, "text", json_deep_copy(json_object_get(q, "text")));
	append(prompts, p);
	set(q, "prompts", prompts);
	set(q, "ask_title", json_false());
	return q;
}

static json_t *build_text(struct conv *c, const struct item *it, size_t pos)
{
	json_t *q = question_head(c, it, "text");
	for (size_t i = 0; i < c->nlinks; i++) {
		const struct other_link *l = &c->links[i];
		if (strcmp(l->text_id, it->id) != 0 || l->list_pos >= pos)
			continue;
		json_t *cond = must(json_object());
		set(cond, "question", jstr(l->list_id));
		json_t *is = must(json_array());
		append(is, jstr(l->option_id));
		set(cond, "is", is);
		set(q, "show_if", cond);
		note(c,
		     "%s holds the \"other\" answer of list %s: it is asked only when option %s "
		     "is chosen",
		     it->place, l->list_id, l->option_id);
		break;
	}
	if (flag(content_of(it), "multiline"))
		set(q, "long", json_true());
	return q;
}

/* Lists name the freetext that holds their "other" answer, on the list
 * ("other_signifier_id" in content, with an item titled "Other" or like
 * other_text) or on the item itself. */
static void find_other_links(struct conv *c)
{
	for (size_t p = 0; p < c->n; p++) {
		const struct item *it = &c->items[p];
		if (it->kind != K_LIST)
			continue;
		json_t *content = content_of(it);
		json_t *items = json_object_get(content, "items");
		const char *list_other = get_str(content, "other_signifier_id");
		const char *other_text = get_str(content, "other_text");
		char *want = html_text(other_text ? other_text : "", 0);
		const char *match = NULL;
		int matches = 0;
		for (size_t i = 0; i < json_array_size(items); i++) {
			json_t *o = json_array_get(items, i);
			const char *id = get_str(o, "id");
			if (!id || json_is_false(json_object_get(o, "visible")))
				continue;
			const char *own = get_str(o, "other_signifier_id");
			if (own && own[0]) {
				c->links = realloc(c->links, (c->nlinks + 1) * sizeof *c->links);
				if (!c->links)
					abort();
				c->links[c->nlinks++] = (struct other_link){own, it->id, id, p};
				continue;
			}
			const char *title = get_str(o, "title");
			char *t = html_text(title ? title : "", 0);
			if (ascii_eq_nocase(t, "other") || ascii_eq_nocase(t, "anders") ||
			    (want[0] && ascii_eq_nocase(t, want))) {
				match = id;
				matches++;
			}
			free(t);
		}
		free(want);
		if (!list_other || !list_other[0])
			continue;
		if (matches == 1) {
			c->links = realloc(c->links, (c->nlinks + 1) * sizeof *c->links);
			if (!c->links)
				abort();
			c->links[c->nlinks++] = (struct other_link){list_other, it->id, match, p};
		} else {
			note(c,
			     "%s names %s for its \"other\" answer but no single item is the "
			     "\"other\" item: that question is always asked",
			     it->place, list_other);
		}
	}
}

/* ---- putting it together ------------------------------------------------------ */

static void classify(struct conv *c)
{
	static const struct {
		const char *type;
		enum kind kind;
	} kinds[] = {{"label", K_LABEL}, {"freetext", K_TEXT}, {"list", K_LIST},
	             {"triad", K_TRIAD}, {"dyad", K_DYAD},     {"stones", K_STONES}};
	for (size_t i = 0; i < c->n; i++) {
		struct item *it = &c->items[i];
		it->kind = K_OTHER;
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !it->unplaced; k++)
			if (strcmp(it->type, kinds[k].type) == 0)
				it->kind = kinds[k].kind;
	}
	/* The story: the fragment_signifier_id, else the first freetext marked
	 * as fragment. Other fragments become text questions. */
	const char *fsid = top_str(c, "fragment_signifier_id");
	size_t story = SIZE_MAX;
	for (size_t i = 0; fsid && i < c->n && story == SIZE_MAX; i++)
		if (c->items[i].kind == K_TEXT && strcmp(c->items[i].id, fsid) == 0)
			story = i;
	if (fsid && fsid[0] && story == SIZE_MAX) {
		char shown[72];
		clip(fsid, 64, shown);
		note(c, "fragment_signifier_id %s names no freetext that is shown", shown);
	}
	for (size_t i = 0; i < c->n && story == SIZE_MAX; i++)
		if (c->items[i].kind == K_TEXT && flag(c->items[i].sig, "fragment"))
			story = i;
	if (story == SIZE_MAX) {
		note(c,
		     "no freetext is marked as the fragment (the story): the script has no story "
		     "question yet, and the lint will ask for one");
		return;
	}
	c->items[story].kind = K_STORY;
	note(c,
	     "%s is the story question (one prompt: its title; no title asked, as in "
	     "SenseMaker)",
	     c->items[story].place);
	for (size_t i = 0; i < c->n; i++)
		if (c->items[i].kind == K_TEXT && flag(c->items[i].sig, "fragment"))
			note(c,
			     "%s is marked as a fragment too: it became a text question (a script "
			     "has one story)",
			     c->items[i].place);
}

static int build_questions(struct conv *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct item *it = &c->items[i];
		if (it->kind == K_LABEL || it->kind == K_OTHER)
			continue;
		if (!id_ok(it->id))
			return fail(
			        c,
			        "%s: the id does not fit the id rule (1-64 letters, digits, '-', "
			        "'_', '.')",
			        it->place);
		switch (it->kind) {
		case K_STORY: it->question = build_story(c, it); break;
		case K_TEXT: it->question = build_text(c, it, i); break;
		case K_LIST: it->question = build_list(c, it); break;
		case K_TRIAD: it->question = build_poles(c, it, "triad", "corners", 3); break;
		case K_DYAD: it->question = build_poles(c, it, "dyad", "poles", 2); break;
		case K_STONES: it->question = build_stones(c, it); break;
		default: break;
		}
		if (!it->question)
			return -1;
	}
	return 0;
}

/* Whether the page of a label is known: in a mixed flat array only when
 * no other signifier has its order number. */
static int page_known(const struct conv *c, size_t i)
{
	if (!c->mixed)
		return 1;
	for (size_t j = 0; j < c->n; j++)
		if (j != i && c->items[j].order == c->items[i].order)
			return 0;
	return 1;
}

static void add_paragraph(buf *b, const char *text)
{
	if (b->len)
		buf_puts(b, "\n\n");
	buf_puts(b, text);
}

/* Labels become the introduction or the thanks, or are skipped; every
 * other signifier that is not a question is skipped. */
static void texts_and_skips(struct conv *c, buf *intro, buf *thanks)
{
	size_t first = SIZE_MAX, last = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (c->items[i].question) {
			if (first == SIZE_MAX)
				first = i;
			last = i;
		}
	}
	buf intro_ids, thanks_ids;
	buf_init(&intro_ids);
	buf_init(&thanks_ids);
	for (size_t i = 0; i < c->n; i++) {
		struct item *it = &c->items[i];
		if (it->question)
			continue;
		if (it->unplaced) {
			skip(c, it, "not placed in the layout: the collector does not show it");
			continue;
		}
		if (it->kind == K_OTHER) {
			if (strcmp(it->type, "navigation") == 0)
				skip(c, it,
				     c->mixed
				             ? "navigation button"
				             : "navigation button (its pages became the sections)");
			else if (strcmp(it->type, "save") == 0)
				skip(c, it, "save button (Vertelpunt has its own send button)");
			else
				skip(c, it, "no Vertelpunt question type for this signifier type");
			continue;
		}
		const char *raw = get_str(content_of(it), "text");
		char *text = html_text(raw ? raw : "", 1);
		if (!text[0]) {
			skip(c, it, "empty label");
		} else if (!page_known(c, i)) {
			skip(c, it,
			     "label of unknown page (the definition mixes its pages); import "
			     "with the layout to place it");
		} else if (i < first) {
			add_paragraph(intro, text);
			buf_puts(&intro_ids, intro_ids.len ? ", " : "");
			buf_puts(&intro_ids, it->id);
		} else if (i > last && is_thanks(text)) {
			add_paragraph(thanks, text);
			buf_puts(&thanks_ids, thanks_ids.len ? ", " : "");
			buf_puts(&thanks_ids, it->id);
		} else if (i > last) {
			skip(c, it, "label after the last question that is not a thank-you");
		} else {
			skip(c, it,
			     "label between questions (a script has no texts between questions)");
		}
		free(text);
	}
	if (intro_ids.len)
		note(c, "the introduction was made from the labels %s", intro_ids.data);
	if (thanks_ids.len)
		note(c, "the thanks were made from the labels %s", thanks_ids.data);
	buf_free(&intro_ids);
	buf_free(&thanks_ids);
}

/* One section per page that has questions. Page ids are kept when they
 * fit the id rule; otherwise "section-N". */
static json_t *sections(struct conv *c)
{
	json_t *out = must(json_array());
	json_t *cur = NULL;
	int page = -1;
	for (size_t i = 0; i < c->n; i++) {
		struct item *it = &c->items[i];
		if (!it->question)
			continue;
		if (!cur || it->page != page) {
			page = it->page;
			size_t k = json_array_size(out);
			char gen[32];
			const char *sid = it->page_id && id_ok(it->page_id) ? it->page_id : NULL;
			for (size_t m = 0; sid && m < k; m++)
				if (strcmp(json_string_value(
				                   json_object_get(json_array_get(out, m), "id")),
				           sid) == 0)
					sid = NULL;
			for (size_t n = k + 1; !sid; n++) {
				snprintf(gen, sizeof gen, "section-%zu", n);
				sid = gen;
				for (size_t m = 0; m < k; m++)
					if (strcmp(json_string_value(json_object_get(
					                   json_array_get(out, m), "id")),
					           gen) == 0)
						sid = NULL;
			}
			json_t *sec = must(json_object());
			set(sec, "id", jstr(sid));
			cur = must(json_array());
			set(sec, "questions", cur);
			append(out, sec);
		}
		append(cur, it->question);
		it->question = NULL; /* now owned by the section */
	}
	return out;
}

static const char privacy_nl[] =
        "De gemeente bewaart uw verhaal. Dit script komt uit SenseMaker en heeft nog geen eigen "
        "privacytekst. Vóór het gebruik moet hier staan wie uw verhaal kan lezen en wat ermee "
        "gebeurt.";
static const char privacy_en[] =
        "Your story is stored by the municipality. This script was imported from SenseMaker and "
        "has no privacy text of its own yet. Before it is used, this text must say who can read "
        "your story and what happens with it.";

static void write_report(struct conv *c, int imported, buf *report)
{
	json_t *r = must(json_object());
	set(r, "imported", json_integer(imported));
	set(r, "skipped", json_incref(c->skipped));
	set(r, "notes", json_incref(c->notes));
	char *s = json_dumps(r, JSON_COMPACT);
	if (!s)
		abort();
	buf_puts(report, s);
	free(s);
	json_decref(r);
}

json_t *sensemaker_to_script_layout(json_t *definition, json_t *layout, buf *report, char *err,
                                    size_t errlen)
{
	assert(definition);
	assert(err || errlen == 0);
	struct conv c = {.def = definition, .err = err, .errlen = errlen};
	if (errlen)
		err[0] = '\0';
	json_t *out = NULL;
	buf intro, thanks;
	buf_init(&intro);
	buf_init(&thanks);
	c.skipped = must(json_array());
	c.notes = must(json_array());
	if (!json_is_object(definition)) {
		fail(&c, "definition: not a JSON object");
		goto done;
	}
	if (layout && !json_is_object(layout) && !json_is_array(layout)) {
		fail(&c, "layout: not a JSON object or array");
		goto done;
	}
	language(&c);
	if (collect(&c, layout) < 0)
		goto done;
	classify(&c);
	find_other_links(&c);
	if (build_questions(&c) < 0)
		goto done;
	int imported = 0;
	for (size_t i = 0; i < c.n; i++)
		imported += c.items[i].question != NULL;
	if (imported == 0) {
		fail(&c, "definition: no signifier becomes a question");
		goto done;
	}
	texts_and_skips(&c, &intro, &thanks);

	out = must(json_object());
	set(out, "format", jstr("vertelpunt-script/1"));
	const char *name = top_str(&c, "name"), *code = top_str(&c, "code");
	char *title = html_text(name && name[0] ? name : code ? code : "", 0);
	char key[SLUG_MAX + 1] = "";
	slug(title, key);
	if (!key[0] && code)
		slug(code, key);
	if (!key[0])
		strcpy(key, "sensemaker");
	set(out, "key", jstr(key));
	if (!title[0]) {
		free(title);
		title = strdup("SenseMaker");
		if (!title)
			abort();
		note(&c, "the definition has no name: the title is \"SenseMaker\"");
	}
	set(out, "title", ltext(&c, title));
	free(title);
	if (intro.len)
		set(out, "introduction", ltext(&c, intro.data));
	json_t *privacy = must(json_object());
	set(privacy, "nl", jstr(privacy_nl));
	set(privacy, "en", jstr(privacy_en));
	set(out, "privacy", privacy);
	note(&c, "SenseMaker has no privacy text: a default text was put in; replace it with the "
	         "municipality's own before the script is used");
	if (thanks.len)
		set(out, "thanks", ltext(&c, thanks.data));
	if (c.lang[0] && strcmp(c.lang, "nl") != 0)
		note(&c,
		     "the texts are in \"%s\" and were copied to \"nl\" so that the script can be "
		     "read; translate them before the script is used",
		     c.lang);
	set(out, "sections", sections(&c));
	if (report)
		write_report(&c, imported, report);
done:
	for (size_t i = 0; i < c.n; i++)
		json_decref(c.items[i].question);
	free(c.items);
	free(c.links);
	json_decref(c.skipped);
	json_decref(c.notes);
	buf_free(&intro);
	buf_free(&thanks);
	return out;
}

json_t *sensemaker_to_script(json_t *definition, buf *report, char *err, size_t errlen)
{
	return sensemaker_to_script_layout(definition, NULL, report, err, errlen);
}
