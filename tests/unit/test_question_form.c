/* test_question_form.c: unit tests of the question renderer and the posted fields back to answers. */
#include "testutil.h"

#include "core/arena.h"
#include "core/buf.h"
#include "http/parse.h"
#include "model/script.h"
#include "web/question_form.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every type once, some twice with other settings. */
static const char SCRIPT[] =
        "{\"format\": \"vertelpunt-script/1\", \"key\": \"test\","
        " \"title\": {\"nl\": \"Test\"}, \"privacy\": {\"nl\": \"Alleen wij lezen het.\"},"
        " \"sections\": [{\"id\": \"s1\", \"questions\": ["
        "  {\"id\": \"story\", \"type\": \"story\", \"text\": {\"nl\": \"Vertel\", \"en\": "
        "\"Tell\"},"
        "   \"required\": true, \"prompts\": [{\"id\": \"p1\", \"text\": {\"nl\": \"Een fijn "
        "moment\"}},"
        "   {\"id\": \"p2\", \"text\": {\"nl\": \"Een lastig moment\"}}]},"
        "  {\"id\": \"story1\", \"type\": \"story\", \"text\": {\"nl\": \"Nog een verhaal\"},"
        "   \"ask_title\": false, \"prompts\": [{\"id\": \"only\", \"text\": {\"nl\": \"Wat "
        "gebeurde "
        "er?\"}}]},"
        "  {\"id\": \"name\", \"type\": \"text\", \"text\": {\"nl\": \"Naam van de plek\"},"
        "   \"help\": {\"nl\": \"Eerste alinea.\\n\\nTweede alinea.\"}},"
        "  {\"id\": \"long\", \"type\": \"text\", \"text\": {\"nl\": \"Nog iets?\"}, \"long\": "
        "true,"
        "   \"max_length\": 1000, \"not_applicable\": true},"
        "  {\"id\": \"feel\", \"type\": \"choice\", \"text\": {\"nl\": \"Hoe voelde het?\"},"
        "   \"options\": [{\"id\": \"good\", \"label\": {\"nl\": \"Goed\"}},"
        "   {\"id\": \"bad\", \"label\": {\"nl\": \"Slecht\"}}], \"other\": {\"nl\": \"Anders, "
        "namelijk\"}},"
        "  {\"id\": \"topics\", \"type\": \"multi\", \"text\": {\"nl\": \"Waarover?\"},"
        "   \"options\": [{\"id\": \"home\", \"label\": {\"nl\": \"Wonen\"}},"
        "   {\"id\": \"work\", \"label\": {\"nl\": \"Werk\"}}, {\"id\": \"care\", \"label\": "
        "{\"nl\": "
        "\"Zorg\"}}],"
        "   \"other\": {\"nl\": \"Iets anders\"}, \"min\": 1, \"max\": 2},"
        "  {\"id\": \"sat\", \"type\": \"scale\", \"text\": {\"nl\": \"Hoe tevreden?\"}, "
        "\"points\": 5,"
        "   \"low\": {\"nl\": \"Niet\"}, \"high\": {\"nl\": \"Heel erg\"}},"
        "  {\"id\": \"dyad\", \"type\": \"dyad\", \"text\": {\"nl\": \"Alleen of samen?\"},"
        "   \"not_applicable\": true, \"poles\": [{\"id\": \"alone\", \"label\": {\"nl\": "
        "\"Alleen\"}},"
        "   {\"id\": \"together\", \"label\": {\"nl\": \"Samen\"}}]},"
        "  {\"id\": \"triad\", \"type\": \"triad\", \"text\": {\"nl\": \"Wie hielp?\"},"
        "   \"corners\": [{\"id\": \"me\", \"label\": {\"nl\": \"Ikzelf\"}},"
        "   {\"id\": \"family\", \"label\": {\"nl\": \"Familie\"}},"
        "   {\"id\": \"city\", \"label\": {\"nl\": \"De gemeente\"}}]},"
        "  {\"id\": \"stones\", \"type\": \"stones\", \"text\": {\"nl\": \"Leg de stenen\"},"
        "   \"stones\": [{\"id\": \"money\", \"label\": {\"nl\": \"Geld\"}},"
        "   {\"id\": \"time\", \"label\": {\"nl\": \"Tijd\"}}],"
        "   \"x\": {\"label\": {\"nl\": \"Belang\"}, \"low\": {\"nl\": \"klein\"}, \"high\": "
        "{\"nl\": "
        "\"groot\"}},"
        "   \"y\": {\"label\": {\"nl\": \"Invloed\"}, \"low\": {\"nl\": \"weinig\"}, \"high\": "
        "{\"nl\": "
        "\"veel\"}}},"
        "  {\"id\": \"pin\", \"type\": \"pin\", \"text\": {\"nl\": \"Waar was het?\"},"
        "   \"image\": \"abc_123\"},"
        "  {\"id\": \"when\", \"type\": \"date\", \"text\": {\"nl\": \"Wanneer?\"},"
        "   \"min\": \"2020-01-01\", \"max\": \"2030-12-31\"},"
        "  {\"id\": \"age\", \"type\": \"number\", \"text\": {\"nl\": \"Leeftijd\"}, \"min\": 0,"
        "   \"max\": 120, \"integer\": true},"
        "  {\"id\": \"amount\", \"type\": \"number\", \"text\": {\"nl\": \"Bedrag\"},"
        "   \"not_applicable\": true}"
        " ]}]}";

/* The same shape with hostile texts everywhere a person's text goes. */
#define EVIL "<script>alert(1)</script>\\\"><img src=x onerror=alert(2)>&amp;"
static const char EVIL_SCRIPT[] =
        "{\"format\": \"vertelpunt-script/1\", \"key\": \"evil\","
        " \"title\": {\"nl\": \"" EVIL "\"}, \"privacy\": {\"nl\": \"p\"},"
        " \"sections\": [{\"id\": \"s1\", \"questions\": ["
        "  {\"id\": \"story\", \"type\": \"story\", \"text\": {\"nl\": \"" EVIL "\"},"
        "   \"help\": {\"nl\": \"" EVIL "\"}, \"required\": true,"
        "   \"prompts\": [{\"id\": \"p1\", \"text\": {\"nl\": \"" EVIL "\"}},"
        "   {\"id\": \"p2\", \"text\": {\"nl\": \"" EVIL "\"}}]},"
        "  {\"id\": \"feel\", \"type\": \"choice\", \"text\": {\"nl\": \"" EVIL "\"},"
        "   \"options\": [{\"id\": \"a\", \"label\": {\"nl\": \"" EVIL "\"}},"
        "   {\"id\": \"b\", \"label\": {\"nl\": \"" EVIL "\"}}], \"other\": {\"nl\": \"" EVIL
        "\"}},"
        "  {\"id\": \"topics\", \"type\": \"multi\", \"text\": {\"nl\": \"" EVIL "\"},"
        "   \"options\": [{\"id\": \"a\", \"label\": {\"nl\": \"" EVIL "\"}},"
        "   {\"id\": \"b\", \"label\": {\"nl\": \"" EVIL "\"}}], \"other\": {\"nl\": \"" EVIL
        "\"}},"
        "  {\"id\": \"sat\", \"type\": \"scale\", \"text\": {\"nl\": \"" EVIL "\"}, \"points\": 7,"
        "   \"low\": {\"nl\": \"" EVIL "\"}, \"high\": {\"nl\": \"" EVIL "\"}},"
        "  {\"id\": \"dyad\", \"type\": \"dyad\", \"text\": {\"nl\": \"" EVIL "\"},"
        "   \"poles\": [{\"id\": \"l\", \"label\": {\"nl\": \"" EVIL "\"}},"
        "   {\"id\": \"r\", \"label\": {\"nl\": \"" EVIL "x\"}}]},"
        "  {\"id\": \"triad\", \"type\": \"triad\", \"text\": {\"nl\": \"" EVIL "\"},"
        "   \"corners\": [{\"id\": \"a\", \"label\": {\"nl\": \"" EVIL "a\"}},"
        "   {\"id\": \"b\", \"label\": {\"nl\": \"" EVIL "b\"}},"
        "   {\"id\": \"c\", \"label\": {\"nl\": \"" EVIL "c\"}}]},"
        "  {\"id\": \"stones\", \"type\": \"stones\", \"text\": {\"nl\": \"" EVIL "\"},"
        "   \"stones\": [{\"id\": \"s\", \"label\": {\"nl\": \"" EVIL "\"}}],"
        "   \"x\": {\"label\": {\"nl\": \"" EVIL "\"}, \"low\": {\"nl\": \"" EVIL "\"},"
        "   \"high\": {\"nl\": \"" EVIL "\"}},"
        "   \"y\": {\"label\": {\"nl\": \"" EVIL "\"}, \"low\": {\"nl\": \"" EVIL "\"},"
        "   \"high\": {\"nl\": \"" EVIL "\"}}},"
        "  {\"id\": \"pin\", \"type\": \"pin\", \"text\": {\"nl\": \"" EVIL
        "\"}, \"image\": \"t.k-n\"},"
        "  {\"id\": \"when\", \"type\": \"date\", \"text\": {\"nl\": \"" EVIL "\"},"
        "   \"not_applicable\": true},"
        "  {\"id\": \"n\", \"type\": \"number\", \"text\": {\"nl\": \"" EVIL "\"}}"
        " ]}]}";

struct fx {
	struct script *s;
	arena *a;
	buf b;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	char err[256];
	if (!fx)
		return -1;
	fx->s = script_parse_text(SCRIPT, sizeof SCRIPT - 1, err, sizeof err);
	if (!fx->s) {
		fprintf(stderr, "script: %s\n", err);
		return -1;
	}
	fx->a = arena_new();
	buf_init(&fx->b);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	script_free(fx->s);
	arena_free(fx->a);
	buf_free(&fx->b);
	free(fx);
	return 0;
}

static const char *tr_same(void *ctx, const char *msgid)
{
	(void)ctx;
	return msgid;
}

static const struct question *Q(struct fx *fx, const char *id)
{
	const struct question *q = script_question(fx->s, id);
	assert_non_null(q);
	return q;
}

static const char *render(struct fx *fx, const char *id, json_t *answer, const char *error)
{
	buf_reset(&fx->b);
	question_form_render(&fx->b, Q(fx, id), answer, "nl", error, tr_same, NULL);
	assert_non_null(fx->b.data);
	return fx->b.data;
}

/* ---- a small reader of our own markup ------------------------------------ */

/* Entities the emitters write, back to characters. */
static char *unescape(arena *a, const char *s, size_t n)
{
	static const struct {
		const char *ent, *ch;
	} ents[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
	char *out = arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		size_t j;
		for (j = 0; j < sizeof ents / sizeof ents[0]; j++) {
			size_t l = strlen(ents[j].ent);
			if (i + l <= n && strncmp(s + i, ents[j].ent, l) == 0) {
				out[k++] = ents[j].ch[0];
				i += l;
				break;
			}
		}
		if (j == sizeof ents / sizeof ents[0])
			out[k++] = s[i++];
	}
	out[k] = '\0';
	return out;
}

/* The value of attribute name in the tag [tag, end) (unescaped), "" for a
 * boolean attribute, NULL when absent. */
static const char *attr(arena *a, const char *tag, const char *end, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = tag; p + nl + 1 <= end; p++) {
		if (p[0] != ' ' || strncmp(p + 1, name, nl) != 0)
			continue;
		const char *after = p + 1 + nl;
		if (*after == '=' && after[1] == '"') {
			const char *v = after + 2, *q = memchr(v, '"', (size_t)(end - v));
			assert_non_null(q);
			return unescape(a, v, (size_t)(q - v));
		}
		if (*after == ' ' || *after == '>')
			return "";
	}
	return NULL;
}

static int has_attr_value(const char *html, const char *name, const char *value)
{
	char pat[300];
	snprintf(pat, sizeof pat, " %s=\"%s\"", name, value);
	return strstr(html, pat) != NULL;
}

/* What a browser would send for the controls in html: text fields, checked
 * radios and checkboxes, textareas; not controls without a name. */
static void submit(arena *a, const char *html, struct kvlist *form)
{
	*form = (struct kvlist){0};
	for (const char *p = html; (p = strchr(p, '<')) != NULL; p++) {
		int input = strncmp(p, "<input ", 7) == 0;
		int textarea = strncmp(p, "<textarea ", 10) == 0;
		if (!input && !textarea)
			continue;
		const char *end = strchr(p, '>');
		assert_non_null(end);
		const char *name = attr(a, p, end, "name");
		if (!name)
			continue;
		if (textarea) {
			const char *body = end + 1;
			const char *close = strstr(body, "</textarea>");
			assert_non_null(close);
			if (*body == '\n')
				body++;
			const char *v = unescape(a, body, (size_t)(close - body));
			kv_add(a, form, name, v, strlen(v));
			continue;
		}
		const char *type = attr(a, p, end, "type");
		const char *value = attr(a, p, end, "value");
		if (type && (!strcmp(type, "radio") || !strcmp(type, "checkbox"))) {
			if (!attr(a, p, end, "checked"))
				continue;
			if (!value)
				value = "on";
		}
		if (!value)
			value = "";
		kv_add(a, form, name, value, strlen(value));
	}
}

/* Sets (replaces or adds) one field. */
static void set(arena *a, struct kvlist *form, const char *name, const char *value)
{
	for (size_t i = 0; i < form->n; i++) {
		if (strcmp(form->items[i].name, name) == 0) {
			form->items[i].value = value;
			form->items[i].value_len = strlen(value);
			return;
		}
	}
	kv_add(a, form, name, value, strlen(value));
}

static struct kvlist fields(arena *a, int n, const char *const *kv)
{
	struct kvlist form = {0};
	for (int i = 0; i < n; i += 2)
		kv_add(a, &form, kv[i], kv[i + 1], strlen(kv[i + 1]));
	return form;
}

#define FORM(a, ...)                                                                          \
	fields((a), (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)), \
	       (const char *const[]){__VA_ARGS__})

/* Every <input>, <textarea> and <select> with an id has a <label for>, or
 * an aria-labelledby whose ids all exist; ids are unique. */
static void check_labels(arena *a, const char *html)
{
	for (const char *p = html; (p = strchr(p, '<')) != NULL; p++) {
		if (strncmp(p, "<input ", 7) && strncmp(p, "<textarea ", 10))
			continue;
		const char *end = strchr(p, '>');
		const char *id = attr(a, p, end, "id");
		assert_non_null(id);
		char pat[300];
		snprintf(pat, sizeof pat, " id=\"%s\"", id);
		const char *first = strstr(html, pat);
		assert_non_null(first);
		if (strstr(first + 1, pat)) {
			fail_msg("duplicate id %s", id);
		}
		const char *by = attr(a, p, end, "aria-labelledby");
		if (by) {
			char *ids = arena_strdup(a, by);
			for (char *t = strtok(ids, " "); t; t = strtok(NULL, " ")) {
				snprintf(pat, sizeof pat, " id=\"%s\"", t);
				if (!strstr(html, pat))
					fail_msg("aria-labelledby of %s names a missing id %s", id,
					         t);
			}
			continue;
		}
		if (!has_attr_value(html, "for", id))
			fail_msg("no label for %s", id);
	}
	/* Every aria-describedby names ids that exist. */
	for (const char *p = html; (p = strstr(p, " aria-describedby=\"")) != NULL; p++) {
		const char *v = p + 19, *q = strchr(v, '"');
		char *ids = arena_strndup(a, v, (size_t)(q - v));
		for (char *t = strtok(ids, " "); t; t = strtok(NULL, " ")) {
			char pat[300];
			snprintf(pat, sizeof pat, " id=\"%s\"", t);
			if (!strstr(html, pat))
				fail_msg("aria-describedby names a missing id %s", t);
		}
	}
}

/* ---- rendering --------------------------------------------------------------- */

static void test_render_every_type(void **state)
{
	struct fx *fx = *state;
	for (int i = 0; i < fx->s->nquestions; i++) {
		const struct question *q = fx->s->questions[i];
		const char *html = render(fx, q->id, NULL, NULL);
		char pat[200];
		snprintf(pat, sizeof pat, "<div class=\"vp-question vp-question--%s\" id=\"q-%s\"",
		         q_type_name(q->type), q->id);
		if (!strstr(html, pat))
			fail_msg("%s: no wrapper in %s", q->id, html);
		snprintf(pat, sizeof pat, " id=\"a-%s:label\"", q->id);
		assert_non_null(strstr(html, pat));
		check_labels(fx->a, html);
		/* Tags balance: as many <div and </div>. */
		int open = 0, close = 0;
		for (const char *p = html; (p = strstr(p, "<div")) != NULL; p++)
			open++;
		for (const char *p = html; (p = strstr(p, "</div>")) != NULL; p++)
			close++;
		assert_int_equal(open, close);
		/* Not applicable only where allowed. */
		snprintf(pat, sizeof pat, "name=\"a-%s:na\"", q->id);
		assert_int_equal(strstr(html, pat) != NULL, q->not_applicable);
		/* No inline style or script: the CSP forbids them. */
		assert_null(strstr(html, "style="));
		assert_null(strstr(html, "<script"));
		for (const char *p = html; (p = strstr(p, " on")) != NULL; p++) {
			const char *e = p + 3;
			while (*e >= 'a' && *e <= 'z')
				e++;
			if (*e == '=')
				fail_msg("%s: an event handler attribute", q->id);
		}
	}
}

static void test_render_story(void **state)
{
	struct fx *fx = *state;
	const char *html = render(fx, "story", NULL, NULL);
	/* A group: fieldset, legend with the question and the required marker. */
	assert_non_null(strstr(html, "<fieldset class=\"utrecht-form-fieldset"));
	assert_non_null(strstr(html, ">Vertel <span class=\"vp-question__required\">(required)"
	                             "</span></legend>"));
	assert_non_null(strstr(html,
	                       "type=\"radio\" id=\"a-story:prompt0\" name=\"a-story:prompt\" "
	                       "value=\"p1\""));
	assert_non_null(strstr(html, "id=\"a-story:title\" name=\"a-story:title\""));
	assert_non_null(strstr(
	        html,
	        "<textarea class=\"utrecht-textarea utrecht-textarea--html-"
	        "textarea\" rows=\"10\" maxlength=\"100000\" id=\"a-story\" name=\"a-story\""));
	assert_non_null(strstr(html, ">Your story</label>"));
	/* English texts where the script has them. */
	buf_reset(&fx->b);
	question_form_render(&fx->b, Q(fx, "story"), NULL, "en", NULL, tr_same, NULL);
	assert_non_null(strstr(fx->b.data, ">Tell <span"));
	/* One prompt: no radios; the prompt labels the text box; no title. */
	html = render(fx, "story1", NULL, NULL);
	assert_null(strstr(html, "type=\"radio\""));
	assert_null(strstr(html, ":title"));
	assert_non_null(strstr(html, "for=\"a-story1\">Wat gebeurde er?</label>"));
}

static void test_render_single_fields(void **state)
{
	struct fx *fx = *state;
	const char *html = render(fx, "name", NULL, NULL);
	/* One labelled field; help linked; paragraphs of the help. */
	assert_null(strstr(html, "<fieldset"));
	assert_non_null(strstr(html,
	                       "<label class=\"utrecht-form-label vp-question__label\" "
	                       "for=\"a-name\" id=\"a-name:label\">Naam van de plek</label>"));
	assert_non_null(strstr(html,
	                       "id=\"a-name:help\"><p class=\"vp-question__para\">Eerste "
	                       "alinea.</p><p class=\"vp-question__para\">Tweede alinea.</p>"));
	assert_non_null(strstr(html, "maxlength=\"500\" aria-describedby=\"a-name:help\""));
	json_t *v = json_string("Regel 1\nRegel 2 <b>");
	html = render(fx, "long", v, NULL);
	json_decref(v);
	assert_non_null(strstr(html, "<textarea"));
	assert_non_null(strstr(html, "maxlength=\"1000\""));
	assert_non_null(strstr(html, ">Regel 1\nRegel 2 &lt;b&gt;</textarea>"));
	assert_non_null(strstr(html, "id=\"a-long:na\" name=\"a-long:na\" value=\"1\" data-vp-na "
	                             "aria-describedby=\"a-long:label\""));
	html = render(fx, "when", NULL, NULL);
	assert_non_null(strstr(html, "type=\"date\""));
	assert_non_null(strstr(html, "min=\"2020-01-01\" max=\"2030-12-31\""));
	v = json_integer(42);
	html = render(fx, "age", v, NULL);
	json_decref(v);
	assert_non_null(strstr(html,
	                       "type=\"number\" step=\"1\" inputmode=\"numeric\" id=\"a-age\" "
	                       "name=\"a-age\" min=\"0\" max=\"120\" value=\"42\""));
	html = render(fx, "amount", NULL, NULL);
	assert_non_null(strstr(html, "step=\"any\" inputmode=\"decimal\""));
	assert_null(strstr(html, "min="));
}

static void test_render_options(void **state)
{
	struct fx *fx = *state;
	json_t *a = json_string("bad");
	const char *html = render(fx, "feel", a, NULL);
	json_decref(a);
	assert_non_null(strstr(html, "id=\"a-feel:opt1\" name=\"a-feel\" value=\"bad\" checked"));
	assert_non_null(strstr(html, "value=\"good\">"));
	assert_non_null(strstr(html, "value=\":other\">"));
	assert_non_null(strstr(html, "id=\"a-feel:other\" name=\"a-feel:other\" "
	                             "aria-labelledby=\"a-feel:other-label\""));
	/* multi: how many may be chosen is said and linked. */
	a = json_pack("[s{ss}]", "care", "other", "Sport & spel");
	html = render(fx, "topics", a, NULL);
	json_decref(a);
	assert_non_null(strstr(html, "type=\"checkbox\" id=\"a-topics:opt2\" name=\"a-topics\" "
	                             "value=\"care\" checked"));
	assert_non_null(strstr(html, "value=\":other\" checked"));
	assert_non_null(strstr(html, "value=\"Sport &amp; spel\""));
	assert_non_null(strstr(html, "Choose at least 1. Choose at most 2."));
	assert_non_null(strstr(html, "<fieldset class=\"utrecht-form-fieldset "
	                             "utrecht-form-fieldset--html-fieldset vp-question__fieldset\" "
	                             "aria-describedby=\"a-topics:help\""));
	/* scale: points with the ends' texts. */
	a = json_integer(4);
	html = render(fx, "sat", a, NULL);
	json_decref(a);
	assert_non_null(strstr(html, "id=\"a-sat:4\" name=\"a-sat\" value=\"4\" checked"));
	assert_non_null(strstr(html, "value=\"5\">"));
	assert_null(strstr(html, "value=\"6\""));
	assert_non_null(strstr(html, "</span>Niet</span>"));
	assert_non_null(strstr(html, "</span>Heel erg</span>"));
}

static void test_render_widgets(void **state)
{
	struct fx *fx = *state;
	/* dyad: a slider without a name (shown by the script) and the number. */
	json_t *a = json_integer(70);
	const char *html = render(fx, "dyad", a, NULL);
	json_decref(a);
	assert_non_null(strstr(html, "data-vp-widget=\"dyad\""));
	assert_non_null(strstr(html, "data-vp-widget-ui hidden><input class=\"vp-dyad__range\" "
	                             "type=\"range\" min=\"0\" max=\"100\" step=\"1\" value=\"70\" "
	                             "id=\"a-dyad:range\" aria-labelledby=\"a-dyad:label\""));
	assert_non_null(strstr(html,
	                       "type=\"number\" min=\"0\" max=\"100\" step=\"any\" "
	                       "inputmode=\"decimal\" id=\"a-dyad\" name=\"a-dyad\" value=\"70\""));
	assert_non_null(strstr(html, ">0 = Alleen, 100 = Samen</div>"));
	/* triad: the figure, and three percentages. */
	a = json_pack("[fff]", 0.5, 0.25, 0.25);
	html = render(fx, "triad", a, NULL);
	json_decref(a);
	assert_non_null(strstr(html, "role=\"application\" aria-labelledby=\"a-triad:label\""));
	assert_non_null(strstr(html, "<svg class=\"vp-triad__svg\""));
	assert_non_null(strstr(html, "id=\"a-triad:0\" name=\"a-triad:0\" value=\"50\""));
	assert_non_null(strstr(html, "id=\"a-triad:1\" name=\"a-triad:1\" value=\"25\""));
	assert_non_null(strstr(html, "id=\"a-triad:2\" name=\"a-triad:2\" value=\"25\""));
	assert_non_null(strstr(html, "for=\"a-triad:2\">De gemeente</label>"));
	assert_non_null(strstr(html, "aria-live=\"polite\""));
	/* stones: a stone in the answer is placed, one left out is "not placed". */
	a = json_pack("{s[ii]}", "money", 20, 80);
	html = render(fx, "stones", a, NULL);
	json_decref(a);
	assert_non_null(
	        strstr(html, "id=\"a-stones:money:x\" name=\"a-stones:money:x\" value=\"20\""));
	assert_non_null(
	        strstr(html, "id=\"a-stones:money:y\" name=\"a-stones:money:y\" value=\"80\""));
	assert_non_null(strstr(html, "id=\"a-stones:money:off\" name=\"a-stones:money:off\">"));
	assert_non_null(
	        strstr(html, "id=\"a-stones:time:off\" name=\"a-stones:time:off\" checked>"));
	assert_non_null(strstr(html, "<button type=\"button\" class=\"vp-stone\""));
	/* Without an answer nothing is ticked. */
	html = render(fx, "stones", NULL, NULL);
	assert_null(strstr(html, "checked"));
	/* pin: the picture of the upload, the numbers and the note. */
	a = json_pack("{sfsfss}", "x", 12.5, "y", 40.0, "note", "Bij de bank");
	html = render(fx, "pin", a, NULL);
	json_decref(a);
	assert_non_null(strstr(html, "src=\"/uploads/abc_123\""));
	assert_non_null(strstr(html, "alt=\"The picture for this question\""));
	assert_non_null(strstr(html, "name=\"a-pin:x\" value=\"12.5\""));
	assert_non_null(strstr(html, "name=\"a-pin:y\" value=\"40\""));
	assert_non_null(strstr(html, ">Bij de bank</textarea>"));
}

static void test_render_error(void **state)
{
	struct fx *fx = *state;
	const char *html = render(fx, "name", NULL, "Vul dit in <nu>");
	assert_non_null(strstr(html, "utrecht-form-field--invalid"));
	assert_non_null(strstr(html, "id=\"a-name:error\">Vul dit in &lt;nu&gt;</p>"));
	assert_non_null(strstr(html, "aria-describedby=\"a-name:help a-name:error\" "
	                             "aria-invalid=\"true\""));
	check_labels(fx->a, html);
	html = render(fx, "feel", NULL, "Kies er een");
	assert_non_null(strstr(html, "utrecht-form-fieldset--invalid\" "
	                             "aria-describedby=\"a-feel:error\""));
	assert_non_null(strstr(html, "value=\"good\" aria-invalid=\"true\""));
	html = render(fx, "triad", NULL, "Samen 100");
	assert_non_null(strstr(html, "utrecht-textbox--invalid"));
	check_labels(fx->a, html);
	/* An empty error is no error. */
	html = render(fx, "name", NULL, "");
	assert_null(strstr(html, "invalid"));
}

static void test_render_not_applicable(void **state)
{
	struct fx *fx = *state;
	json_t *na = json_null();
	const char *html = render(fx, "dyad", na, NULL);
	assert_non_null(strstr(html, "name=\"a-dyad:na\" value=\"1\" data-vp-na "
	                             "aria-describedby=\"a-dyad:label\" checked>"));
	assert_non_null(strstr(html, ">Not applicable</label>"));
	/* null where not allowed shows nothing ticked and no checkbox. */
	html = render(fx, "feel", na, NULL);
	assert_null(strstr(html, "checked"));
	assert_null(strstr(html, ":na"));
}

static void test_render_wrong_shapes(void **state)
{
	struct fx *fx = *state;
	/* Answers of the wrong shape are ignored, never a crash. */
	json_t *odd[] = {json_string("x"),    json_integer(3),
	                 json_pack("[i]", 1), json_pack("{s[s]}", "money", "a"),
	                 json_true(),         json_pack("{si}", "x", 1)};
	for (size_t k = 0; k < sizeof odd / sizeof odd[0]; k++) {
		for (int i = 0; i < fx->s->nquestions; i++)
			render(fx, fx->s->questions[i]->id, odd[k], NULL);
		json_decref(odd[k]);
	}
}

static void test_hostile_texts(void **state)
{
	struct fx *fx = *state;
	char err[256];
	struct script *s = script_parse_text(EVIL_SCRIPT, sizeof EVIL_SCRIPT - 1, err, sizeof err);
	if (!s)
		fail_msg("evil script: %s", err);
	json_t *evil = json_string("<script>alert(3)</script>\"><img src=x>");
	for (int i = 0; i < s->nquestions; i++) {
		for (int withans = 0; withans < 2; withans++) {
			buf_reset(&fx->b);
			question_form_render(&fx->b, s->questions[i], withans ? evil : NULL, "nl",
			                     "<script>alert(4)</script>", NULL, NULL);
			const char *html = fx->b.data;
			if (strstr(html, "<script") || strstr(html, "<img src=x"))
				fail_msg("%s: not escaped: %s", s->questions[i]->id, html);
			assert_non_null(strstr(html,
			                       "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;"
			                       "&lt;img src=x onerror=alert(2)&gt;&amp;amp;"));
			check_labels(fx->a, html);
		}
	}
	json_decref(evil);
	script_free(s);
}

/* The attributes offline.js and the live conditions of widgets.js read. */
static void test_data_attributes(void **state)
{
	struct fx *fx = *state;
	static const char cond[] =
	        "{\"format\": \"vertelpunt-script/1\", \"key\": \"cond\","
	        " \"title\": {\"nl\": \"C\"}, \"privacy\": {\"nl\": \"p\"},"
	        " \"sections\": [{\"id\": \"s1\", \"questions\": ["
	        "  {\"id\": \"feel\", \"type\": \"choice\", \"text\": {\"nl\": \"Hoe?\"},"
	        "   \"options\": [{\"id\": \"good\", \"label\": {\"nl\": \"Goed\"}},"
	        "   {\"id\": \"bad\", \"label\": {\"nl\": \"Slecht\"}},"
	        "   {\"id\": \"so.so\", \"label\": {\"nl\": \"Matig\"}}]},"
	        "  {\"id\": \"why\", \"type\": \"text\", \"text\": {\"nl\": \"Waarom?\"},"
	        "   \"show_if\": {\"question\": \"feel\", \"is\": [\"bad\", \"so.so\"]}},"
	        "  {\"id\": \"sat\", \"type\": \"scale\", \"text\": {\"nl\": \"Tevreden?\"},"
	        "   \"points\": 5, \"low\": {\"nl\": \"Niet\"}, \"high\": {\"nl\": \"Erg\"}},"
	        "  {\"id\": \"low\", \"type\": \"multi\", \"text\": {\"nl\": \"Wat?\"},"
	        "   \"show_if\": {\"question\": \"sat\", \"is\": [1, 2]},"
	        "   \"options\": [{\"id\": \"a\", \"label\": {\"nl\": \"A\"}},"
	        "   {\"id\": \"b\", \"label\": {\"nl\": \"B\"}}]}"
	        " ]}]}";
	char err[256];
	struct script *s = script_parse_text(cond, sizeof cond - 1, err, sizeof err);
	if (!s)
		fail_msg("script: %s", err);
	buf_reset(&fx->b);
	question_form_render(&fx->b, script_question(s, "why"), NULL, "nl", NULL, tr_same, NULL);
	assert_non_null(strstr(fx->b.data, "id=\"q-why\" data-vp-question data-vp-id=\"why\" "
	                                   "data-vp-type=\"text\" data-vp-show-if=\"feel\" "
	                                   "data-vp-show-is=\"bad so.so\">"));
	buf_reset(&fx->b);
	question_form_render(&fx->b, script_question(s, "low"), NULL, "nl", NULL, tr_same, NULL);
	assert_non_null(strstr(fx->b.data, "data-vp-type=\"multi\" data-vp-show-if=\"sat\" "
	                                   "data-vp-show-is=\"1 2\">"));
	/* Without a condition: none of its attributes. */
	buf_reset(&fx->b);
	question_form_render(&fx->b, script_question(s, "feel"), NULL, "nl", NULL, tr_same, NULL);
	assert_non_null(strstr(fx->b.data, "data-vp-id=\"feel\" data-vp-type=\"choice\">"));
	assert_null(strstr(fx->b.data, "data-vp-show-if"));
	script_free(s);
	/* Required, a whole number, the one prompt of a story. */
	assert_non_null(strstr(render(fx, "story", NULL, NULL),
	                       "data-vp-id=\"story\" data-vp-type=\"story\" data-vp-required>"));
	assert_non_null(strstr(render(fx, "story1", NULL, NULL),
	                       "data-vp-type=\"story\" data-vp-prompt=\"only\">"));
	assert_non_null(
	        strstr(render(fx, "age", NULL, NULL), "data-vp-type=\"number\" data-vp-integer>"));
	assert_null(strstr(render(fx, "amount", NULL, NULL), "data-vp-integer"));
}

static void test_scripts_tag(void **state)
{
	struct fx *fx = *state;
	buf_reset(&fx->b);
	question_form_scripts(&fx->b);
	assert_non_null(strstr(fx->b.data, "<script src=\"/static/widgets.js"));
	assert_non_null(strstr(fx->b.data, "\" defer></script>"));
	buf_reset(&fx->b);
	question_form_script(&fx->b, "offline.js");
	assert_non_null(strstr(fx->b.data, "<script src=\"/static/offline.js?v="));
}

/* ---- parsing ---------------------------------------------------------------- */

static int parse(struct fx *fx, const char *id, const struct kvlist *form, json_t **out,
                 const char **msg)
{
	return question_form_parse(Q(fx, id), form, out, msg);
}

/* Renders answer, "submits" the markup and reads it back. */
static void round_trip(struct fx *fx, const char *id, json_t *answer)
{
	struct kvlist form;
	json_t *out = NULL;
	const char *msg = NULL;
	submit(fx->a, render(fx, id, answer, NULL), &form);
	int rc = parse(fx, id, &form, &out, &msg);
	if (rc != 0)
		fail_msg("%s: %s", id, msg);
	if (!out || !json_equal(out, answer)) {
		char *want = json_dumps(answer, JSON_ENCODE_ANY),
		     *got = json_dumps(out, JSON_ENCODE_ANY);
		fail_msg("%s: want %s, got %s", id, want, got ? got : "(none)");
	}
	json_decref(out);
	json_decref(answer);
}

static void test_round_trips(void **state)
{
	struct fx *fx = *state;
	round_trip(fx, "story",
	           json_pack("{ssssss}", "prompt", "p2", "title", "Op de markt", "text",
	                     "Het begon zo.\n\nDaarna & toen <ging> \"het\" goed."));
	round_trip(fx, "story", json_pack("{ssss}", "prompt", "p1", "text", "Zonder titel"));
	round_trip(fx, "story1", json_pack("{ssss}", "prompt", "only", "text", "Eén prompt: 你好"));
	round_trip(fx, "name", json_string("De 'Kerk' & het plein"));
	round_trip(fx, "long", json_string("Twee\nregels"));
	round_trip(fx, "long", json_null());
	round_trip(fx, "feel", json_string("good"));
	round_trip(fx, "feel", json_pack("{ss}", "other", "Rustig"));
	round_trip(fx, "topics", json_pack("[ss]", "home", "care"));
	round_trip(fx, "topics", json_pack("[s{ss}]", "work", "other", "Sport"));
	round_trip(fx, "sat", json_integer(1));
	round_trip(fx, "sat", json_integer(5));
	round_trip(fx, "dyad", json_integer(0));
	round_trip(fx, "dyad", json_integer(100));
	round_trip(fx, "dyad", json_real(33.5));
	round_trip(fx, "dyad", json_null());
	round_trip(fx, "triad", json_pack("[fff]", 0.5, 0.25, 0.25));
	round_trip(fx, "triad", json_pack("[fff]", 1.0, 0.0, 0.0));
	round_trip(fx, "stones", json_pack("{s[ii]s[fi]}", "money", 0, 100, "time", 12.5, 50));
	round_trip(fx, "stones", json_pack("{s[ii]}", "time", 30, 70));
	round_trip(fx, "stones", json_object()); /* both left off on purpose */
	round_trip(fx, "pin", json_pack("{sfsi}", "x", 12.5, "y", 99));
	round_trip(fx, "pin", json_pack("{sisiss}", "x", 0, "y", 100, "note", "Hier <b>"));
	round_trip(fx, "when", json_string("2024-02-29"));
	round_trip(fx, "age", json_integer(42));
	round_trip(fx, "amount", json_real(-2.75));
	round_trip(fx, "amount", json_integer(1000000));
	round_trip(fx, "amount", json_null());
}

/* Triads with thirds come back within rounding, not exactly. */
static void test_triad_round_trip_thirds(void **state)
{
	struct fx *fx = *state;
	json_t *a = json_pack("[fff]", 1.0 / 3, 1.0 / 3, 1.0 / 3), *out = NULL;
	struct kvlist form;
	const char *msg;
	submit(fx->a, render(fx, "triad", a, NULL), &form);
	assert_string_equal(kv_get(&form, "a-triad:0"), "33.333");
	assert_int_equal(parse(fx, "triad", &form, &out, &msg), 0);
	for (size_t i = 0; i < 3; i++)
		assert_true(fabs(json_real_value(json_array_get(out, i)) - 1.0 / 3) < 1e-9);
	json_decref(a);
	json_decref(out);
}

static void test_empty_form_is_unanswered(void **state)
{
	struct fx *fx = *state;
	for (int i = 0; i < fx->s->nquestions; i++) {
		const struct question *q = fx->s->questions[i];
		struct kvlist form;
		json_t *out = (json_t *)1;
		const char *msg = NULL;
		/* What a browser sends for the untouched form. */
		submit(fx->a, render(fx, q->id, NULL, NULL), &form);
		if (question_form_parse(q, &form, &out, &msg) != 0 || out)
			fail_msg("%s: untouched form gave an answer or error %s", q->id,
			         msg ? msg : "");
		/* And for nothing at all. */
		struct kvlist none = {0};
		assert_int_equal(question_form_parse(q, &none, &out, &msg), 0);
		assert_null(out);
	}
}

static void test_not_applicable(void **state)
{
	struct fx *fx = *state;
	json_t *out;
	const char *msg;
	/* "Not applicable" wins over what else was filled in. */
	struct kvlist form = FORM(fx->a, "a-dyad", "40", "a-dyad:na", "1");
	assert_int_equal(parse(fx, "dyad", &form, &out, &msg), 0);
	assert_true(json_is_null(out));
	json_decref(out);
	/* Ticked in the rendered form of an answer. */
	json_t *v = json_integer(70);
	submit(fx->a, render(fx, "dyad", v, NULL), &form);
	json_decref(v);
	assert_string_equal(kv_get(&form, "a-dyad"), "70");
	set(fx->a, &form, "a-dyad:na", "1");
	assert_int_equal(parse(fx, "dyad", &form, &out, &msg), 0);
	assert_true(json_is_null(out));
	/* Only where the question allows it; else it is ignored. */
	form = FORM(fx->a, "a-feel", "good", "a-feel:na", "1");
	assert_int_equal(parse(fx, "feel", &form, &out, &msg), 0);
	assert_string_equal(json_string_value(out), "good");
	json_decref(out);
	form = FORM(fx->a, "a-feel:na", "1");
	assert_int_equal(parse(fx, "feel", &form, &out, &msg), 0);
	assert_null(out);
}

static void test_triad_percentages(void **state)
{
	struct fx *fx = *state;
	json_t *out;
	const char *msg;
	struct kvlist form = FORM(fx->a, "a-triad:0", "50", "a-triad:1", "30", "a-triad:2", "20");
	assert_int_equal(parse(fx, "triad", &form, &out, &msg), 0);
	assert_true(fabs(json_real_value(json_array_get(out, 0)) - 0.5) < 1e-12);
	assert_true(fabs(json_real_value(json_array_get(out, 1)) - 0.3) < 1e-12);
	assert_true(fabs(json_real_value(json_array_get(out, 2)) - 0.2) < 1e-12);
	json_decref(out);
	/* Whole thirds make 99: taken as thirds. */
	form = FORM(fx->a, "a-triad:0", "33", "a-triad:1", "33", "a-triad:2", "33");
	assert_int_equal(parse(fx, "triad", &form, &out, &msg), 0);
	assert_true(fabs(json_real_value(json_array_get(out, 2)) - 1.0 / 3) < 1e-12);
	json_decref(out);
	/* An empty box is 0; a comma is a decimal point. */
	form = FORM(fx->a, "a-triad:0", "62,5", "a-triad:1", " 37.5 ", "a-triad:2", "");
	assert_int_equal(parse(fx, "triad", &form, &out, &msg), 0);
	assert_true(fabs(json_real_value(json_array_get(out, 0)) - 0.625) < 1e-12);
	assert_true(fabs(json_real_value(json_array_get(out, 2))) < 1e-12);
	json_decref(out);
	/* Not 100: refused, with what was typed to show again. */
	form = FORM(fx->a, "a-triad:0", "50", "a-triad:1", "30", "a-triad:2", "30");
	assert_int_equal(parse(fx, "triad", &form, &out, &msg), -1);
	assert_string_equal(msg, "The three percentages must add up to 100.");
	assert_true(fabs(json_real_value(json_array_get(out, 2)) - 0.3) < 1e-12);
	const char *html = render(fx, "triad", out, "x");
	assert_non_null(strstr(html, "name=\"a-triad:2\" value=\"30\""));
	json_decref(out);
	static const char *const bad[] = {"-5",  "101", "abc",   "1e2", "0x10", "inf",
	                                  "nan", "5 5", "1.2.3", "--1", "+",    "."};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		form = FORM(fx->a, "a-triad:0", bad[i], "a-triad:1", "50", "a-triad:2", "50");
		out = NULL;
		if (parse(fx, "triad", &form, &out, &msg) != -1)
			fail_msg("accepted %s", bad[i]);
		assert_string_equal(msg, "Give each corner a percentage from 0 to 100.");
		json_decref(out);
	}
	form = FORM(fx->a, "a-triad:0", "0", "a-triad:1", "0", "a-triad:2", "0");
	assert_int_equal(parse(fx, "triad", &form, &out, &msg), -1);
	json_decref(out);
}

static void expect_bad(struct fx *fx, const char *id, struct kvlist form, const char *want_msg)
{
	json_t *out = NULL;
	const char *msg = NULL;
	if (parse(fx, id, &form, &out, &msg) != -1)
		fail_msg("%s: accepted", id);
	assert_non_null(msg);
	if (want_msg)
		assert_string_equal(msg, want_msg);
	json_decref(out);
}

static void expect_json(struct fx *fx, const char *id, struct kvlist form, const char *want)
{
	json_t *out = NULL;
	const char *msg = NULL;
	if (parse(fx, id, &form, &out, &msg) != 0)
		fail_msg("%s: refused: %s", id, msg);
	char *got = json_dumps(out, JSON_ENCODE_ANY | JSON_COMPACT);
	if (!got || strcmp(got, want) != 0)
		fail_msg("%s: want %s, got %s", id, want, got ? got : "(none)");
	free(got);
	json_decref(out);
}

static void expect_none(struct fx *fx, const char *id, struct kvlist form)
{
	json_t *out = NULL;
	const char *msg = NULL;
	assert_int_equal(parse(fx, id, &form, &out, &msg), 0);
	assert_null(out);
}

static void test_parse_conversions(void **state)
{
	struct fx *fx = *state;
	arena *a = fx->a;
	/* Text: white space at the ends goes, CR LF becomes LF. */
	expect_json(fx, "long", FORM(a, "a-long", "  een\r\ntwee\rdrie \r\n"),
	            "\"een\\ntwee\\ndrie\"");
	expect_none(fx, "name", FORM(a, "a-name", " \t\r\n "));
	expect_none(fx, "feel", FORM(a, "a-feel", "", "a-feel:other", "  "));
	expect_none(fx, "pin", FORM(a, "a-pin:x", "", "a-pin:y", " ", "a-pin:note", "\r\n"));
	/* Story: a title alone is no story yet, but is kept for the model to refuse. */
	expect_json(fx, "story", FORM(a, "a-story:title", "Titel"),
	            "{\"title\":\"Titel\",\"text\":\"\"}");
	expect_json(fx, "story1", FORM(a, "a-story1", "Tekst", "a-story1:title", "genegeerd"),
	            "{\"prompt\":\"only\",\"text\":\"Tekst\"}");
	expect_bad(fx, "story", FORM(a, "a-story", "x", "a-story:prompt", "p9"),
	           "Choose one of the questions for your story.");
	/* Choice: "other" typed without choosing it counts as chosen. */
	expect_json(fx, "feel", FORM(a, "a-feel:other", "Moe"), "{\"other\":\"Moe\"}");
	expect_json(fx, "feel", FORM(a, "a-feel", "bad", "a-feel:other", "Moe"), "\"bad\"");
	expect_bad(fx, "feel", FORM(a, "a-feel", ":other"), "Write your other answer in the box.");
	expect_bad(fx, "feel", FORM(a, "a-feel", "nope"), "Choose one of the answers.");
	expect_bad(fx, "feel", FORM(a, "a-feel", "Goed"), NULL);
	/* Multi: in the options' order, duplicates once. */
	expect_json(fx, "topics",
	            FORM(a, "a-topics", "care", "a-topics", "home", "a-topics", "care"),
	            "[\"home\",\"care\"]");
	expect_bad(fx, "topics", FORM(a, "a-topics", "home", "a-topics", "x"),
	           "Choose from the answers that are given.");
	expect_bad(fx, "topics", FORM(a, "a-topics", ":other", "a-topics:other", " "),
	           "Write your other answer in the box.");
	/* Scale. */
	expect_json(fx, "sat", FORM(a, "a-sat", "3"), "3");
	static const char *const bad_scale[] = {"0", "6", "2.5", "x", "-1", "3e0"};
	for (size_t i = 0; i < sizeof bad_scale / sizeof bad_scale[0]; i++)
		expect_bad(fx, "sat", FORM(a, "a-sat", bad_scale[i]),
		           "Choose one of the numbers of the scale.");
	/* Dyad. */
	expect_json(fx, "dyad", FORM(a, "a-dyad", "42"), "42");
	expect_json(fx, "dyad", FORM(a, "a-dyad", "42,5"), "42.5");
	expect_bad(fx, "dyad", FORM(a, "a-dyad", "100.5"), "Give a number from 0 to 100.");
	expect_bad(fx, "dyad", FORM(a, "a-dyad", "-0.1"), NULL);
	/* Stones. */
	expect_json(fx, "stones",
	            FORM(a, "a-stones:money:x", "10", "a-stones:money:y", "90", "a-stones:time:x",
	                 "", "a-stones:time:y", ""),
	            "{\"money\":[10,90]}");
	expect_json(fx, "stones",
	            FORM(a, "a-stones:money:x", "10", "a-stones:money:y", "90",
	                 "a-stones:money:off", "1"),
	            "{}");
	expect_bad(fx, "stones", FORM(a, "a-stones:money:x", "10"),
	           "Give both numbers for each stone you place, or tick Not placed.");
	expect_bad(fx, "stones", FORM(a, "a-stones:money:x", "10", "a-stones:money:y", "200"),
	           "Give numbers from 0 to 100 for the stones.");
	/* Pin. */
	expect_json(fx, "pin", FORM(a, "a-pin:x", "5", "a-pin:y", "6", "a-pin:note", ""),
	            "{\"x\":5,\"y\":6}");
	expect_bad(fx, "pin", FORM(a, "a-pin:note", "Daar"), "Put the pin on the picture.");
	expect_bad(fx, "pin", FORM(a, "a-pin:x", "5", "a-pin:y", "x"),
	           "Give numbers from 0 to 100 for the place on the picture.");
	/* Date: what browsers send, and what people type without a date field. */
	expect_json(fx, "when", FORM(a, "a-when", "2024-03-17"), "\"2024-03-17\"");
	expect_json(fx, "when", FORM(a, "a-when", " 7-3-2024 "), "\"2024-03-07\"");
	expect_json(fx, "when", FORM(a, "a-when", "17/03/2024"), "\"2024-03-17\"");
	expect_json(fx, "when", FORM(a, "a-when", "29.2.2024"), "\"2024-02-29\"");
	static const char *const bad_date[] = {"2023-02-29", "2024-13-01", "2024-1-1",
	                                       "17-03-24",   "gisteren",   "2024-03-17T10:00",
	                                       "0000-01-01", "17-3/2024"};
	for (size_t i = 0; i < sizeof bad_date / sizeof bad_date[0]; i++)
		expect_bad(fx, "when", FORM(a, "a-when", bad_date[i]),
		           "Give a date, for example 17-03-2024.");
	/* Number. */
	expect_json(fx, "amount", FORM(a, "a-amount", "-2,5"), "-2.5");
	expect_json(fx, "amount", FORM(a, "a-amount", "+7"), "7");
	expect_json(fx, "amount", FORM(a, "a-amount", "-0"), "0");
	expect_json(fx, "age", FORM(a, "a-age", "130"), "130"); /* the model checks max */
	expect_bad(fx, "age", FORM(a, "a-age", "2.5"), "Give a whole number, without decimals.");
	static const char *const bad_num[] = {"1e5", "0x10", "inf", "NaN", "1 000", "€5", "5-"};
	for (size_t i = 0; i < sizeof bad_num / sizeof bad_num[0]; i++)
		expect_bad(fx, "amount", FORM(a, "a-amount", bad_num[i]),
		           "Give a number, for example 12 or 2.5.");
}

/* What the renderer and parser make, the model accepts. */
static void test_model_accepts(void **state)
{
	struct fx *fx = *state;
	struct kvlist form = FORM(
	        fx->a, "a-story", "Mijn verhaal", "a-story:prompt", "p1", "a-story:title", "T",
	        "a-story1", "Nog een", "a-name", "Plein", "a-long:na", "1", "a-feel:other", "Moe",
	        "a-topics", "work", "a-sat", "2", "a-dyad", "12", "a-triad:0", "33", "a-triad:1",
	        "33", "a-triad:2", "33", "a-stones:money:x", "1", "a-stones:money:y", "2",
	        "a-stones:time:off", "1", "a-pin:x", "3", "a-pin:y", "4", "a-pin:note", "n",
	        "a-when", "1-1-2025", "a-age", "40", "a-amount:na", "1");
	json_t *answers = json_object();
	for (int i = 0; i < fx->s->nquestions; i++) {
		json_t *out = NULL;
		const char *msg = NULL;
		if (question_form_parse(fx->s->questions[i], &form, &out, &msg) != 0)
			fail_msg("%s: %s", fx->s->questions[i]->id, msg);
		assert_non_null(out);
		json_object_set_new(answers, fx->s->questions[i]->id, out);
	}
	struct answer_error e;
	if (script_check_answers(fx->s, answers, PERSPECTIVE_TELLER, &e) != 0)
		fail_msg("%s: %s %s", e.question ? e.question : "-", e.msg, e.detail);
	json_decref(answers);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_render_every_type, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_render_story, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_render_single_fields, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_render_options, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_render_widgets, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_render_error, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_render_not_applicable, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_render_wrong_shapes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_hostile_texts, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_data_attributes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_scripts_tag, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_round_trips, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_triad_round_trip_thirds, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_empty_form_is_unanswered, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_not_applicable, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_triad_percentages, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_parse_conversions, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_model_accepts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
