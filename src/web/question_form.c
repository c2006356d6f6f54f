/* question_form.c: one question of a script as an accessible form field (preview and story form alike), and the posted fields back to its answer. */
#include "web/question_form.h"

#include "web/html.h"
#include "web/i18n.h"
#include "web/pages.h"
#include "web/svg.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value of a choice or multi field that stands for "other, namely".
 * ':' is no id character, so no option id can be this. */
#define OTHER_VALUE ":other"

/* Room for "a-" ID ":" ID ":off" and a NUL (ids are at most 64 bytes). */
enum { NAME_MAX = 2 + SCRIPT_ID_MAX + 1 + SCRIPT_ID_MAX + 8 };

/* ---- rendering: shared state and small emitters -------------------------- */

struct qf {
	buf *b;
	const struct question *q;
	const char *lang;
	const char *error;
	question_form_tr tr;
	void *tr_ctx;
	int na;       /* the answer is null: "not applicable" ticked */
	json_t *ans;  /* the answer, NULL when none or na */
	int has_help; /* a description is shown (help, or a hint of the type) */
};

const char *question_form_tr_lang(void *ctx, const char *msgid)
{
	return i18n_get((const char *)ctx, msgid);
}

/* This module's own texts. Each call site marks its msgid with N_ so that
 * xgettext finds it. */
static const char *tx(struct qf *f, const char *msgid)
{
	if (f->tr)
		return f->tr(f->tr_ctx, msgid);
	return i18n_get(i18n_has(f->lang) ? f->lang : "nl", msgid);
}

static const char *lt(struct qf *f, const struct ltext *t)
{
	return ltext_get(t, f->lang);
}

/* The element id / field name a-ID, then s1 and s2 (either may be NULL),
 * attribute-escaped. */
static void fid(struct qf *f, const char *s1, const char *s2)
{
	html_lit(f->b, "a-");
	html_attr(f->b, f->q->id);
	if (s1)
		html_attr(f->b, s1);
	if (s2)
		html_attr(f->b, s2);
}

/* id="a-ID<s1><s2>" name="a-ID<s1><s2>" */
static void id_name(struct qf *f, const char *s1, const char *s2)
{
	html_lit(f->b, " id=\"");
	fid(f, s1, s2);
	html_lit(f->b, "\" name=\"");
	fid(f, s1, s2);
	html_lit(f->b, "\"");
}

/* A number for a value attribute: at most 3 decimals (the 0-100 fields). */
static void attr_pct(buf *b, double v)
{
	svg_num(b, v);
}

/* A number question's value: as many digits as a double holds. */
static void attr_double(buf *b, double v)
{
	char tmp[40];
	if (!isfinite(v))
		return;
	snprintf(tmp, sizeof tmp, "%.15g", v);
	html_attr(b, tmp);
}

/* Text that may hold line breaks: each line escaped, <br> between. */
static void multiline(buf *b, const char *s)
{
	const char *p = s;
	for (;;) {
		const char *nl = strchr(p, '\n');
		if (!nl) {
			html_text(b, p);
			return;
		}
		html_textn(b, p, (size_t)(nl - p));
		html_lit(b, "<br>");
		p = nl + 1;
	}
}

/* aria-describedby for the help and error of the question, if any. */
static void describedby(struct qf *f)
{
	if (!f->has_help && !f->error)
		return;
	html_lit(f->b, " aria-describedby=\"");
	if (f->has_help)
		fid(f, ":help", NULL);
	if (f->has_help && f->error)
		html_lit(f->b, " ");
	if (f->error)
		fid(f, ":error", NULL);
	html_lit(f->b, "\"");
}

static void invalid_attr(struct qf *f)
{
	if (f->error)
		html_lit(f->b, " aria-invalid=\"true\"");
}

/* The question's text and the required marker (inside a legend or label). */
static void question_text(struct qf *f)
{
	multiline(f->b, lt(f, &f->q->text));
	if (f->q->required) {
		html_lit(f->b, " <span class=\"vp-question__required\">");
		html_text(f->b, tx(f, N_("(required)")));
		html_lit(f->b, "</span>");
	}
}

/* A translated sentence with "{n}" in it, the number put in its place
 * (translations are no printf formats: -Wformat-nonliteral, and safer). */
static void text_n(buf *b, const char *tmpl, long long n)
{
	const char *at = strstr(tmpl, "{n}");
	if (!at) {
		html_text(b, tmpl);
		return;
	}
	html_textn(b, tmpl, (size_t)(at - tmpl));
	html_int(b, n);
	html_text(b, at + 3);
}

/* A hint of the type itself, added to the help (multi: how many). */
static void type_hint(struct qf *f)
{
	const struct question *q = f->q;
	if (q->type != Q_MULTI)
		return;
	int n = q->noptions + (q->other.n > 0);
	html_lit(f->b, "<p class=\"vp-question__hint\">");
	if (q->min > 0 && q->min == q->max)
		text_n(f->b, tx(f, N_("Choose exactly {n}.")), q->min);
	else {
		if (q->min > 0)
			text_n(f->b, tx(f, N_("Choose at least {n}.")), q->min);
		if (q->min > 0 && q->max > 0 && q->max < n)
			html_lit(f->b, " ");
		if (q->max > 0 && q->max < n)
			text_n(f->b, tx(f, N_("Choose at most {n}.")), q->max);
	}
	html_lit(f->b, "</p>");
}

static int has_type_hint(const struct question *q)
{
	int n = q->noptions + (q->other.n > 0);
	return q->type == Q_MULTI && (q->min > 0 || (q->max > 0 && q->max < n));
}

/* The help text and the error message, with the ids describedby names. */
static void help_and_error(struct qf *f, int field)
{
	buf *b = f->b;
	if (f->has_help) {
		if (field)
			html_lit(b, "<div class=\"utrecht-form-field__description "
			            "utrecht-form-field-description vp-question__help\" id=\"");
		else
			html_lit(b,
			         "<div class=\"utrecht-form-field-description vp-question__help\" "
			         "id=\"");
		fid(f, ":help", NULL);
		html_lit(b, "\">");
		if (f->q->help.n > 0 && *lt(f, &f->q->help)) {
			/* A blank line separates paragraphs (docs/formats.md). */
			const char *s = lt(f, &f->q->help);
			while (*s) {
				const char *end = strstr(s, "\n\n");
				size_t n = end ? (size_t)(end - s) : strlen(s);
				char *para = malloc(n + 1);
				if (!para)
					abort();
				memcpy(para, s, n);
				para[n] = '\0';
				html_lit(b, "<p class=\"vp-question__para\">");
				multiline(b, para);
				html_lit(b, "</p>");
				free(para);
				s += n;
				while (*s == '\n')
					s++;
			}
		}
		type_hint(f);
		html_lit(b, "</div>");
	}
	if (f->error) {
		if (field)
			html_lit(b, "<p class=\"utrecht-form-field__error-message "
			            "utrecht-form-field-error-message vp-question__error\" id=\"");
		else
			html_lit(b,
			         "<p class=\"utrecht-form-field-error-message vp-question__error\" "
			         "id=\"");
		fid(f, ":error", NULL);
		html_lit(b, "\">");
		html_text(b, f->error);
		html_lit(b, "</p>");
	}
}

/* The attributes of a question's outer element: data-vp-question, and
 * what a script needs to read its answer (assets/offline.js) and to show
 * it only when its condition is met (assets/widgets.js): its id and type,
 * whether it is required, for a number whether it must be whole, for a
 * story with one prompt that prompt's id, and its show_if (the question it
 * looks at, and the values, separated by spaces: ids hold none). */
static void question_attrs(struct qf *f)
{
	buf *b = f->b;
	const struct question *q = f->q;
	html_lit(b, " data-vp-question data-vp-id=\"");
	html_attr(b, q->id);
	html_lit(b, "\" data-vp-type=\"");
	html_attr(b, q_type_name(q->type));
	html_lit(b, "\"");
	if (q->required)
		html_lit(b, " data-vp-required");
	if (q->type == Q_NUMBER && q->integer)
		html_lit(b, " data-vp-integer");
	if (q->type == Q_STORY && q->noptions == 1) {
		html_lit(b, " data-vp-prompt=\"");
		html_attr(b, q->options[0].id);
		html_lit(b, "\"");
	}
	if (q->show_if_question) {
		html_lit(b, " data-vp-show-if=\"");
		html_attr(b, q->show_if_question);
		html_lit(b, "\" data-vp-show-is=\"");
		for (int i = 0; i < q->show_if_count; i++) {
			if (i)
				html_lit(b, " ");
			html_attr(b, q->show_if_values[i]);
		}
		html_lit(b, "\"");
	}
}

/* The frame of a question with several controls: a fieldset whose legend
 * is the question, then its help and error. */
static void group_begin(struct qf *f)
{
	buf *b = f->b;
	html_lit(b, "<div class=\"vp-question vp-question--");
	html_attr(b, q_type_name(f->q->type));
	html_lit(b, "\" id=\"q-");
	html_attr(b, f->q->id);
	html_lit(b, "\"");
	question_attrs(f);
	html_lit(b, "><fieldset class=\"utrecht-form-fieldset "
	            "utrecht-form-fieldset--html-fieldset vp-question__fieldset");
	if (f->error)
		html_lit(b, " utrecht-form-fieldset--invalid");
	html_lit(b, "\"");
	describedby(f);
	html_lit(b, "><legend class=\"utrecht-form-fieldset__legend "
	            "utrecht-form-fieldset__legend--html-legend vp-question__label\" id=\"");
	fid(f, ":label", NULL);
	html_lit(b, "\">");
	question_text(f);
	html_lit(b, "</legend>");
	help_and_error(f, 0);
}

/* The "not applicable" checkbox: its label alone says little, so it is
 * described by the question. */
static void not_applicable(struct qf *f)
{
	buf *b = f->b;
	if (!f->q->not_applicable)
		return;
	html_lit(b,
	         "<div class=\"utrecht-form-field utrecht-form-field--checkbox vp-question__na\">"
	         "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-checkbox "
	         "utrecht-checkbox--html-input utrecht-checkbox--custom\" type=\"checkbox\"");
	id_name(f, ":na", NULL);
	html_lit(b, " value=\"1\" data-vp-na aria-describedby=\"");
	fid(f, ":label", NULL);
	html_lit(b, "\"");
	if (f->na)
		html_lit(b, " checked");
	html_lit(
	        b,
	        "></div><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label "
	        "utrecht-form-label--checkbox\" for=\"");
	fid(f, ":na", NULL);
	html_lit(b, "\">");
	html_text(b, tx(f, N_("Not applicable")));
	html_lit(b, "</label></div></div>");
}

static void group_end(struct qf *f)
{
	not_applicable(f);
	html_lit(f->b, "</fieldset></div>");
}

/* A radio or checkbox in the form-field markup. id: a-ID<idsfx><idsfx2>. */
static void choice_input(struct qf *f, const char *type, const char *name_sfx, const char *id_sfx,
                         const char *id_sfx2, const char *value, const char *label, int checked,
                         const char *label_id_sfx)
{
	buf *b = f->b;
	int radio = strcmp(type, "radio") == 0;
	if (radio)
		html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--radio "
		            "vp-option\"><div class=\"utrecht-form-field__input\"><input "
		            "class=\"utrecht-radio-button utrecht-radio-button--html-input\" "
		            "type=\"radio\"");
	else
		html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--checkbox "
		            "vp-option\"><div class=\"utrecht-form-field__input\"><input "
		            "class=\"utrecht-checkbox utrecht-checkbox--html-input "
		            "utrecht-checkbox--custom\" type=\"checkbox\"");
	html_lit(b, " id=\"");
	fid(f, id_sfx, id_sfx2);
	html_lit(b, "\" name=\"");
	fid(f, name_sfx, NULL);
	html_lit(b, "\" value=\"");
	html_attr(b, value);
	html_lit(b, "\"");
	if (checked)
		html_lit(b, " checked");
	invalid_attr(f);
	if (radio)
		html_lit(b, "></div><div class=\"utrecht-form-field__label\"><label "
		            "class=\"utrecht-form-label utrecht-form-label--radio\" for=\"");
	else
		html_lit(b, "></div><div class=\"utrecht-form-field__label\"><label "
		            "class=\"utrecht-form-label utrecht-form-label--checkbox\" for=\"");
	fid(f, id_sfx, id_sfx2);
	html_lit(b, "\"");
	if (label_id_sfx) {
		html_lit(b, " id=\"");
		fid(f, label_id_sfx, NULL);
		html_lit(b, "\"");
	}
	html_lit(b, ">");
	html_text(b, label);
	html_lit(b, "</label></div></div>");
}

/* A labelled text, number or date field inside a question (not the
 * question's own label) for the control a-ID<s1><s2>, with an optional
 * description (id ...:desc). The caller writes the control, then calls
 * field_end. */
static void field_begin(struct qf *f, const char *cls, const char *label, const char *desc,
                        const char *s1, const char *s2)
{
	buf *b = f->b;
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--text ");
	html_attr(b, cls);
	html_lit(b,
	         "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	         "for=\"");
	fid(f, s1, s2);
	html_lit(b, "\">");
	html_text(b, label);
	html_lit(b, "</label></div>");
	if (desc) {
		html_lit(b, "<div class=\"utrecht-form-field__description "
		            "utrecht-form-field-description\" id=\"");
		fid(f, s1, s2);
		html_lit(b, ":desc\">");
		html_text(b, desc);
		html_lit(b, "</div>");
	}
	html_lit(b, "<div class=\"utrecht-form-field__input\">");
}

static void field_end(struct qf *f, const char *suffix)
{
	if (suffix) {
		html_lit(f->b, "<span class=\"vp-unit\" aria-hidden=\"true\">");
		html_text(f->b, suffix);
		html_lit(f->b, "</span>");
	}
	html_lit(f->b, "</div></div>");
}

/* <input type="number" ...> of 0..100 for the fallbacks. desc: the field
 * has a description (id ...:desc). have: v is set. */
static void pct_input(struct qf *f, const char *s1, const char *s2, int desc, int have, double v,
                      const char *extra_describedby_sfx)
{
	buf *b = f->b;
	html_lit(b, "<input class=\"utrecht-textbox utrecht-textbox--html-input vp-number");
	if (f->error)
		html_lit(b, " utrecht-textbox--invalid");
	html_lit(b, "\" type=\"number\" min=\"0\" max=\"100\" step=\"any\" inputmode=\"decimal\"");
	id_name(f, s1, s2);
	if (have) {
		html_lit(b, " value=\"");
		attr_pct(b, v);
		html_lit(b, "\"");
	}
	if (desc || extra_describedby_sfx) {
		html_lit(b, " aria-describedby=\"");
		if (desc) {
			fid(f, s1, s2);
			html_lit(b, ":desc");
		}
		if (desc && extra_describedby_sfx)
			html_lit(b, " ");
		if (extra_describedby_sfx)
			fid(f, extra_describedby_sfx, NULL);
		html_lit(b, "\"");
	}
	invalid_attr(f);
	html_lit(b, ">");
}

/* A visually hidden live region that the widget fills. */
static void live_region(struct qf *f)
{
	html_lit(f->b, "<p class=\"vp-visually-hidden\" aria-live=\"polite\" data-vp-live></p>");
}

/* The hint above a widget (how to use it), id a-ID:hint. */
static void widget_hint(struct qf *f, const char *text)
{
	html_lit(f->b, "<p class=\"vp-widget__hint\" id=\"");
	fid(f, ":hint", NULL);
	html_lit(f->b, "\">");
	html_text(f->b, text);
	html_lit(f->b, "</p>");
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ---- rendering: one function per type ------------------------------------ */

static void render_story(struct qf *f)
{
	const struct question *q = f->q;
	buf *b = f->b;
	const char *prompt = jstr(f->ans, "prompt");
	const char *title = jstr(f->ans, "title");
	const char *text = jstr(f->ans, "text");
	group_begin(f);
	if (q->noptions > 1) {
		html_lit(b, "<fieldset class=\"utrecht-form-fieldset "
		            "utrecht-form-fieldset--html-fieldset "
		            "vp-story__prompts\"><legend class=\"utrecht-form-fieldset__legend "
		            "utrecht-form-fieldset__legend--html-legend vp-sublabel\">");
		html_text(b, tx(f, N_("Choose what you want to tell about")));
		html_lit(b, "</legend>");
		for (int i = 0; i < q->noptions; i++) {
			char idx[16];
			snprintf(idx, sizeof idx, "%d", i);
			choice_input(f, "radio", ":prompt", ":prompt", idx, q->options[i].id,
			             lt(f, &q->options[i].label),
			             prompt && strcmp(prompt, q->options[i].id) == 0, NULL);
		}
		html_lit(b, "</fieldset>");
	}
	if (q->ask_title) {
		field_begin(f, "vp-story__title", tx(f, N_("Title of your story")), NULL, ":title",
		            NULL);
		html_lit(b, "<input class=\"utrecht-textbox utrecht-textbox--html-input\" "
		            "type=\"text\" autocomplete=\"off\" maxlength=\"200\"");
		id_name(f, ":title", NULL);
		if (title) {
			html_lit(b, " value=\"");
			html_attr(b, title);
			html_lit(b, "\"");
		}
		html_lit(b, ">");
		field_end(f, NULL);
	}
	/* One prompt is the question the story answers: it labels the box. */
	const char *label =
	        q->noptions == 1 ? lt(f, &q->options[0].label) : tx(f, N_("Your story"));
	field_begin(f, "vp-story__text", label, NULL, NULL, NULL);
	html_lit(b, "<textarea class=\"utrecht-textarea utrecht-textarea--html-textarea");
	if (f->error)
		html_lit(b, " utrecht-textarea--invalid");
	html_lit(b, "\" rows=\"10\" maxlength=\"100000\"");
	id_name(f, NULL, NULL);
	invalid_attr(f);
	html_lit(b, ">");
	/* A newline right after <textarea> is dropped by the parser; keep a
	 * story that starts with one. */
	if (text && text[0] == '\n')
		html_lit(b, "\n");
	if (text)
		html_text(b, text);
	html_lit(b, "</textarea>");
	field_end(f, NULL);
	group_end(f);
}

/* text, date and number: one labelled field, and "not applicable" under
 * it described by the question's label. */
static void single_begin(struct qf *f)
{
	buf *b = f->b;
	html_lit(b, "<div class=\"vp-question vp-question--");
	html_attr(b, q_type_name(f->q->type));
	html_lit(b, "\" id=\"q-");
	html_attr(b, f->q->id);
	html_lit(b, "\"");
	question_attrs(f);
	html_lit(b, "><div class=\"utrecht-form-field utrecht-form-field--text "
	            "vp-question__field");
	if (f->error)
		html_lit(b, " utrecht-form-field--invalid");
	html_lit(b, "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label "
	            "vp-question__label\" for=\"");
	fid(f, NULL, NULL);
	html_lit(b, "\" id=\"");
	fid(f, ":label", NULL);
	html_lit(b, "\">");
	question_text(f);
	html_lit(b, "</label></div>");
	help_and_error(f, 1);
	html_lit(b, "<div class=\"utrecht-form-field__input\">");
}

static void single_end(struct qf *f)
{
	html_lit(f->b, "</div></div>");
	not_applicable(f);
	html_lit(f->b, "</div>");
}

static void render_text(struct qf *f)
{
	const struct question *q = f->q;
	buf *b = f->b;
	const char *v = json_string_value(f->ans);
	single_begin(f);
	if (q->long_text) {
		html_lit(b, "<textarea class=\"utrecht-textarea utrecht-textarea--html-textarea");
		if (f->error)
			html_lit(b, " utrecht-textarea--invalid");
		html_lit(b, "\" rows=\"6\"");
	} else {
		html_lit(b, "<input class=\"utrecht-textbox utrecht-textbox--html-input");
		if (f->error)
			html_lit(b, " utrecht-textbox--invalid");
		html_lit(b, "\" type=\"text\" autocomplete=\"off\"");
	}
	id_name(f, NULL, NULL);
	if (q->max_length > 0) {
		html_lit(b, " maxlength=\"");
		html_int(b, q->max_length);
		html_lit(b, "\"");
	}
	describedby(f);
	invalid_attr(f);
	if (q->long_text) {
		html_lit(b, ">");
		if (v && v[0] == '\n')
			html_lit(b, "\n");
		if (v)
			html_text(b, v);
		html_lit(b, "</textarea>");
	} else {
		if (v) {
			html_lit(b, " value=\"");
			html_attr(b, v);
			html_lit(b, "\"");
		}
		html_lit(b, ">");
	}
	single_end(f);
}

/* choice and multi: the options, then "other" with its text box. */
static void render_options(struct qf *f)
{
	const struct question *q = f->q;
	buf *b = f->b;
	const char *type = q->type == Q_CHOICE ? "radio" : "checkbox";
	const char *other = NULL; /* the "other" text of the answer */
	int other_on = 0;
	if (q->type == Q_CHOICE) {
		other = jstr(f->ans, "other");
		other_on = other != NULL;
	} else if (json_is_array(f->ans)) {
		size_t i;
		json_t *v;
		json_array_foreach(f->ans, i, v)
		{
			if (json_is_object(v) && jstr(v, "other")) {
				other = jstr(v, "other");
				other_on = 1;
			}
		}
	}
	group_begin(f);
	html_lit(b, "<div class=\"vp-options\">");
	for (int i = 0; i < q->noptions; i++) {
		const char *id = q->options[i].id;
		int on = 0;
		if (q->type == Q_CHOICE) {
			on = json_is_string(f->ans) && strcmp(json_string_value(f->ans), id) == 0;
		} else if (json_is_array(f->ans)) {
			size_t k;
			json_t *v;
			json_array_foreach(f->ans, k, v)
			{
				if (json_is_string(v) && strcmp(json_string_value(v), id) == 0)
					on = 1;
			}
		}
		char idx[16];
		snprintf(idx, sizeof idx, "%d", i);
		choice_input(f, type, NULL, ":opt", idx, id, lt(f, &q->options[i].label), on, NULL);
	}
	if (q->other.n > 0) {
		choice_input(f, type, NULL, ":opt-other", NULL, OTHER_VALUE, lt(f, &q->other),
		             other_on, ":other-label");
		html_lit(b, "<div class=\"vp-other\"><input class=\"utrecht-textbox "
		            "utrecht-textbox--html-input\" type=\"text\" autocomplete=\"off\" "
		            "maxlength=\"500\"");
		id_name(f, ":other", NULL);
		html_lit(b, " aria-labelledby=\"");
		fid(f, ":other-label", NULL);
		html_lit(b, "\"");
		if (other) {
			html_lit(b, " value=\"");
			html_attr(b, other);
			html_lit(b, "\"");
		}
		html_lit(b, "></div>");
	}
	html_lit(b, "</div>");
	group_end(f);
}

static void render_scale(struct qf *f)
{
	const struct question *q = f->q;
	buf *b = f->b;
	long long v = json_is_integer(f->ans) ? (long long)json_integer_value(f->ans) : 0;
	const char *low = lt(f, &q->low), *high = lt(f, &q->high);
	group_begin(f);
	html_lit(b, "<div class=\"vp-scale\"><div class=\"vp-scale__points\">");
	for (int i = 1; i <= q->points; i++) {
		char idx[16];
		snprintf(idx, sizeof idx, "%d", i);
		html_lit(b, "<div class=\"vp-scale__point\"><input class=\"utrecht-radio-button "
		            "utrecht-radio-button--html-input\" type=\"radio\" id=\"");
		fid(f, ":", idx);
		html_lit(b, "\" name=\"");
		fid(f, NULL, NULL);
		html_lit(b, "\" value=\"");
		html_int(b, i);
		html_lit(b, "\"");
		if (v == i)
			html_lit(b, " checked");
		invalid_attr(f);
		html_lit(b, "><label class=\"utrecht-form-label utrecht-form-label--radio "
		            "vp-scale__label\" for=\"");
		fid(f, ":", idx);
		html_lit(b, "\"><span class=\"vp-scale__number\">");
		html_int(b, i);
		html_lit(b, "</span>");
		/* The ends' texts belong to the first and last point; shown
		 * beside them on a narrow screen, under the row otherwise. */
		if (i == 1 && *low) {
			html_lit(b, "<span class=\"vp-scale__end\"><span "
			            "class=\"vp-visually-hidden\">: "
			            "</span>");
			html_text(b, low);
			html_lit(b, "</span>");
		}
		if (i == q->points && *high) {
			html_lit(b, "<span class=\"vp-scale__end\"><span "
			            "class=\"vp-visually-hidden\">: "
			            "</span>");
			html_text(b, high);
			html_lit(b, "</span>");
		}
		html_lit(b, "</label></div>");
	}
	html_lit(b, "</div><div class=\"vp-scale__ends\" aria-hidden=\"true\"><span>");
	html_text(b, low);
	html_lit(b, "</span><span>");
	html_text(b, high);
	html_lit(b, "</span></div></div>");
	group_end(f);
}

static void render_dyad(struct qf *f)
{
	const struct question *q = f->q;
	buf *b = f->b;
	const char *left = q->noptions > 0 ? lt(f, &q->options[0].label) : "";
	const char *right = q->noptions > 1 ? lt(f, &q->options[1].label) : "";
	int have = json_is_number(f->ans);
	double v = have ? json_number_value(f->ans) : 0;
	group_begin(f);
	html_lit(b, "<div class=\"vp-dyad\" data-vp-widget=\"dyad\" data-vp-closer=\"");
	html_attr(b, tx(f, N_("closer to")));
	html_lit(b, "\" data-vp-middle=\"");
	html_attr(b, tx(f, N_("in the middle")));
	html_lit(b, "\"><div class=\"vp-dyad__poles\"><span class=\"vp-dyad__pole\" id=\"");
	fid(f, ":pole0", NULL);
	html_lit(b, "\">");
	html_text(b, left);
	html_lit(b, "</span><span class=\"vp-dyad__pole vp-dyad__pole--right\" id=\"");
	fid(f, ":pole1", NULL);
	html_lit(b, "\">");
	html_text(b, right);
	html_lit(b, "</span></div><div class=\"vp-widget\" data-vp-widget-ui hidden>");
	/* No name: the number field below is what is posted, so an untouched
	 * slider answers nothing (a range always has a value). */
	html_lit(b, "<input class=\"vp-dyad__range\" type=\"range\" min=\"0\" max=\"100\" "
	            "step=\"1\" value=\"");
	attr_pct(b, have ? v : 50);
	html_lit(b, "\" id=\"");
	fid(f, ":range", NULL);
	html_lit(b, "\" aria-labelledby=\"");
	fid(f, ":label", NULL);
	html_lit(b, "\" aria-describedby=\"");
	fid(f, ":pole0", NULL);
	html_lit(b, " ");
	fid(f, ":pole1", NULL);
	html_lit(b, "\" data-vp-range></div>");
	html_lit(b, "<div class=\"vp-fallback\">");
	/* "0 = left, 100 = right": no sentence to translate. */
	size_t n = strlen(left) + strlen(right) + 32;
	char *desc = malloc(n);
	if (!desc)
		abort();
	snprintf(desc, n, "0 = %s, 100 = %s", left, right);
	field_begin(f, "vp-fallback__field", tx(f, N_("Number from 0 to 100")), desc, NULL, NULL);
	free(desc);
	pct_input(f, NULL, NULL, 1, have, v, NULL);
	field_end(f, NULL);
	html_lit(b, "</div></div>");
	group_end(f);
}

/* The triangle in a viewBox of 100 wide: top (50, 0), bottom left (0, H),
 * bottom right (100, H). widgets.js uses the same numbers. */
#define TRIAD_H 86.6025

static void render_triad(struct qf *f)
{
	const struct question *q = f->q;
	buf *b = f->b;
	double w[3] = {0, 0, 0};
	int have = json_is_array(f->ans) && json_array_size(f->ans) == 3;
	for (int i = 0; have && i < 3; i++) {
		json_t *x = json_array_get(f->ans, (size_t)i);
		if (!json_is_number(x))
			have = 0;
		else
			w[i] = json_number_value(x);
	}
	const char *label[3];
	for (int i = 0; i < 3; i++)
		label[i] = i < q->noptions ? lt(f, &q->options[i].label) : "";
	group_begin(f);
	html_lit(b, "<div class=\"vp-triad\" data-vp-widget=\"triad\"><div class=\"vp-widget\" "
	            "data-vp-widget-ui hidden>");
	widget_hint(f, tx(f, N_("Tap or click in the triangle to place the point, and drag it. "
	                        "With the keyboard: the arrow keys move the point.")));
	html_lit(b, "<div class=\"vp-triad__figure\"><span class=\"vp-triad__corner "
	            "vp-triad__corner--top\" aria-hidden=\"true\">");
	html_text(b, label[0]);
	html_lit(b, "</span><div class=\"vp-triad__area vp-widget__area\" tabindex=\"0\" "
	            "role=\"application\" aria-labelledby=\"");
	fid(f, ":label", NULL);
	html_lit(b, "\" aria-describedby=\"");
	fid(f, ":hint", NULL);
	html_lit(b, "\" data-vp-area data-vp-cleared=\"");
	html_attr(b, tx(f, N_("The point is taken away.")));
	html_lit(b, "\"><svg class=\"vp-triad__svg\" viewBox=\"-7 -7 114 ");
	svg_num(b, TRIAD_H + 14);
	html_lit(b, "\" aria-hidden=\"true\" focusable=\"false\" data-vp-svg>");
	const double tri[6] = {50, 0, 0, TRIAD_H, 100, TRIAD_H};
	svg_path(b, tri, 3, 1, "vp-triad__shape");
	/* Lines from each corner to the middle of the far side: where two
	 * corners weigh the same. */
	svg_line(b, 50, 0, 50, TRIAD_H, "vp-triad__guide");
	svg_line(b, 0, TRIAD_H, 75, TRIAD_H / 2, "vp-triad__guide");
	svg_line(b, 100, TRIAD_H, 25, TRIAD_H / 2, "vp-triad__guide");
	svg_circle(b, 50, TRIAD_H * 2 / 3, 5, "vp-triad__point");
	html_lit(b, "</svg></div><span class=\"vp-triad__corner vp-triad__corner--left\" "
	            "aria-hidden=\"true\">");
	html_text(b, label[1]);
	html_lit(b, "</span><span class=\"vp-triad__corner vp-triad__corner--right\" "
	            "aria-hidden=\"true\">");
	html_text(b, label[2]);
	html_lit(b, "</span></div>");
	live_region(f);
	html_lit(b, "</div><div class=\"vp-fallback vp-triad__numbers\"><p "
	            "class=\"vp-fallback__intro\" "
	            "id=\"");
	fid(f, ":numbers", NULL);
	html_lit(b, "\">");
	html_text(b, tx(f, N_("How much does each corner fit? Give each corner a percentage. "
	                      "Together they make 100.")));
	html_lit(b, "</p><div class=\"vp-fallback__row\">");
	static const char *const idx[3] = {":0", ":1", ":2"};
	for (int i = 0; i < 3; i++) {
		field_begin(f, "vp-fallback__field", label[i], NULL, idx[i], NULL);
		pct_input(f, idx[i], NULL, 0, have, w[i] * 100, ":numbers");
		field_end(f, "%");
	}
	html_lit(b, "</div><p class=\"vp-triad__total\" data-vp-total hidden>");
	html_text(b, tx(f, N_("Together:")));
	html_lit(b, " <output data-vp-sum>0</output>%. <span data-vp-total-bad hidden>");
	html_text(b, tx(f, N_("That must be 100.")));
	html_lit(b, "</span></p></div></div>");
	group_end(f);
}

static void render_stones(struct qf *f)
{
	const struct question *q = f->q;
	buf *b = f->b;
	group_begin(f);
	html_lit(b, "<div class=\"vp-stones\" data-vp-widget=\"stones\"><div class=\"vp-widget\" "
	            "data-vp-widget-ui hidden>");
	widget_hint(f,
	            tx(f, N_("Drag each stone onto the square, or tap a stone and then a place in "
	                     "the square. With the keyboard: choose a stone, then the arrow keys "
	                     "move it; Delete takes it off.")));
	html_lit(b, "<div class=\"vp-stones__board\"><p class=\"vp-stones__y-label\" "
	            "aria-hidden=\"true\">");
	html_text(b, lt(f, &q->y.label));
	html_lit(b, "</p><div class=\"vp-stones__canvas vp-widget__area\" data-vp-canvas><span "
	            "class=\"vp-stones__y-high\" aria-hidden=\"true\">");
	html_text(b, lt(f, &q->y.high));
	html_lit(b, "</span><span class=\"vp-stones__y-low\" aria-hidden=\"true\">");
	html_text(b, lt(f, &q->y.low));
	html_lit(b, "</span></div><div class=\"vp-stones__x\" aria-hidden=\"true\"><span>");
	html_text(b, lt(f, &q->x.low));
	html_lit(b, "</span><span class=\"vp-stones__x-label\">");
	html_text(b, lt(f, &q->x.label));
	html_lit(b, "</span><span>");
	html_text(b, lt(f, &q->x.high));
	html_lit(b, "</span></div></div><div class=\"vp-stones__tray\" data-vp-tray>");
	for (int i = 0; i < q->noptions; i++) {
		html_lit(b, "<button type=\"button\" class=\"vp-stone\" data-vp-stone=\"");
		html_int(b, i);
		html_lit(b, "\" aria-describedby=\"");
		fid(f, ":hint", NULL);
		html_lit(b, "\"><span class=\"vp-stone__badge\" aria-hidden=\"true\">");
		html_int(b, i + 1);
		html_lit(b, "</span><span class=\"vp-stone__label\">");
		html_text(b, lt(f, &q->options[i].label));
		html_lit(b, "</span></button>");
	}
	html_lit(b, "</div>");
	live_region(f);
	html_lit(b, "</div><div class=\"vp-fallback vp-stones__numbers\">");
	/* "0 = low, 100 = high" per axis. */
	const char *xl = lt(f, &q->x.low), *xh = lt(f, &q->x.high);
	const char *yl = lt(f, &q->y.low), *yh = lt(f, &q->y.high);
	size_t nx = strlen(xl) + strlen(xh) + 32, ny = strlen(yl) + strlen(yh) + 32;
	char *xdesc = malloc(nx), *ydesc = malloc(ny);
	if (!xdesc || !ydesc)
		abort();
	snprintf(xdesc, nx, "0 = %s, 100 = %s", xl, xh);
	snprintf(ydesc, ny, "0 = %s, 100 = %s", yl, yh);
	for (int i = 0; i < q->noptions; i++) {
		const char *sid = q->options[i].id;
		json_t *pos = json_object_get(f->ans, sid);
		int have = json_is_array(pos) && json_array_size(pos) == 2 &&
		           json_is_number(json_array_get(pos, 0)) &&
		           json_is_number(json_array_get(pos, 1));
		/* An answer without this stone: it was left off on purpose. */
		int off = json_is_object(f->ans) && !have;
		char sfx[SCRIPT_ID_MAX + 8];
		snprintf(sfx, sizeof sfx, ":%s", sid);
		html_lit(b, "<fieldset class=\"utrecht-form-fieldset "
		            "utrecht-form-fieldset--html-fieldset "
		            "vp-stones__stone\" data-vp-stone-fields=\"");
		html_int(b, i);
		html_lit(b, "\"><legend class=\"utrecht-form-fieldset__legend "
		            "utrecht-form-fieldset__legend--html-legend vp-sublabel\"><span "
		            "class=\"vp-stone__badge\" aria-hidden=\"true\">");
		html_int(b, i + 1);
		html_lit(b, "</span> ");
		html_text(b, lt(f, &q->options[i].label));
		html_lit(b, "</legend><div class=\"vp-fallback__row\">");
		field_begin(f, "vp-fallback__field", lt(f, &q->x.label), xdesc, sfx, ":x");
		pct_input(f, sfx, ":x", 1, have,
		          have ? json_number_value(json_array_get(pos, 0)) : 0, NULL);
		field_end(f, NULL);
		field_begin(f, "vp-fallback__field", lt(f, &q->y.label), ydesc, sfx, ":y");
		pct_input(f, sfx, ":y", 1, have,
		          have ? json_number_value(json_array_get(pos, 1)) : 0, NULL);
		field_end(f, NULL);
		html_lit(b, "</div><div class=\"utrecht-form-field utrecht-form-field--checkbox "
		            "vp-option\"><div class=\"utrecht-form-field__input\"><input "
		            "class=\"utrecht-checkbox utrecht-checkbox--html-input "
		            "utrecht-checkbox--custom\" type=\"checkbox\" value=\"1\"");
		id_name(f, sfx, ":off");
		if (off)
			html_lit(b, " checked");
		html_lit(b, "></div><div class=\"utrecht-form-field__label\"><label "
		            "class=\"utrecht-form-label utrecht-form-label--checkbox\" for=\"");
		fid(f, sfx, ":off");
		html_lit(b, "\">");
		html_text(b, tx(f, N_("Not placed")));
		html_lit(b, "</label></div></div></fieldset>");
	}
	free(xdesc);
	free(ydesc);
	html_lit(b, "</div></div>");
	group_end(f);
}

static void render_pin(struct qf *f)
{
	const struct question *q = f->q;
	buf *b = f->b;
	json_t *x = json_object_get(f->ans, "x"), *y = json_object_get(f->ans, "y");
	int have = json_is_number(x) && json_is_number(y);
	const char *note = jstr(f->ans, "note");
	group_begin(f);
	html_lit(b, "<div class=\"vp-pin\" data-vp-widget=\"pin\"><div class=\"vp-widget\" "
	            "data-vp-widget-ui hidden>");
	widget_hint(f, tx(f, N_("Tap or click on the picture to place the pin. With the keyboard: "
	                        "the arrow keys move it.")));
	live_region(f);
	html_lit(b, "</div>");
	/* The picture shows also without the script: the numbers below refer
	 * to it. widgets.js makes this area focusable. */
	html_lit(b, "<div class=\"vp-pin__area vp-widget__area\" data-vp-area data-vp-label=\"");
	fid(f, ":label", NULL);
	html_lit(b, "\" data-vp-hint=\"");
	fid(f, ":hint", NULL);
	html_lit(b, "\"><img class=\"vp-pin__image\" draggable=\"false\" src=\"");
	size_t n = strlen(q->image ? q->image : "") + 16;
	char *src = malloc(n);
	if (!src)
		abort();
	snprintf(src, n, "/uploads/%s", q->image ? q->image : "");
	html_url(b, src);
	free(src);
	html_lit(b, "\" alt=\"");
	html_attr(b, tx(f, N_("The picture for this question")));
	html_lit(b, "\"><span class=\"vp-pin__marker\" data-vp-marker hidden></span></div>");
	html_lit(b, "<div class=\"vp-fallback vp-pin__numbers\"><p class=\"vp-fallback__intro\">");
	html_text(b, tx(f, N_("Where on the picture, in percent:")));
	html_lit(b, "</p><div class=\"vp-fallback__row\">");
	field_begin(f, "vp-fallback__field", tx(f, N_("From the left")), NULL, ":x", NULL);
	pct_input(f, ":x", NULL, 0, have, json_number_value(x), NULL);
	field_end(f, "%");
	field_begin(f, "vp-fallback__field", tx(f, N_("From the top")), NULL, ":y", NULL);
	pct_input(f, ":y", NULL, 0, have, json_number_value(y), NULL);
	field_end(f, "%");
	html_lit(b, "</div></div>");
	if (q->ask_note) {
		field_begin(f, "vp-pin__note",
		            tx(f, N_("Why did you choose this place? (You may skip this.)")), NULL,
		            ":note", NULL);
		html_lit(b, "<textarea class=\"utrecht-textarea utrecht-textarea--html-textarea\" "
		            "rows=\"3\" maxlength=\"2000\"");
		id_name(f, ":note", NULL);
		html_lit(b, ">");
		if (note && note[0] == '\n')
			html_lit(b, "\n");
		if (note)
			html_text(b, note);
		html_lit(b, "</textarea>");
		field_end(f, NULL);
	}
	html_lit(b, "</div>");
	group_end(f);
}

static void render_date(struct qf *f)
{
	const struct question *q = f->q;
	buf *b = f->b;
	const char *v = json_string_value(f->ans);
	single_begin(f);
	html_lit(b, "<input class=\"utrecht-textbox utrecht-textbox--html-input vp-date");
	if (f->error)
		html_lit(b, " utrecht-textbox--invalid");
	html_lit(b, "\" type=\"date\" autocomplete=\"off\"");
	id_name(f, NULL, NULL);
	if (q->date_min) {
		html_lit(b, " min=\"");
		html_attr(b, q->date_min);
		html_lit(b, "\"");
	}
	if (q->date_max) {
		html_lit(b, " max=\"");
		html_attr(b, q->date_max);
		html_lit(b, "\"");
	}
	if (v) {
		html_lit(b, " value=\"");
		html_attr(b, v);
		html_lit(b, "\"");
	}
	describedby(f);
	invalid_attr(f);
	html_lit(b, ">");
	single_end(f);
}

static void render_number(struct qf *f)
{
	const struct question *q = f->q;
	buf *b = f->b;
	single_begin(f);
	html_lit(b, "<input class=\"utrecht-textbox utrecht-textbox--html-input vp-number");
	if (f->error)
		html_lit(b, " utrecht-textbox--invalid");
	if (q->integer)
		html_lit(b, "\" type=\"number\" step=\"1\" inputmode=\"numeric\"");
	else
		html_lit(b, "\" type=\"number\" step=\"any\" inputmode=\"decimal\"");
	id_name(f, NULL, NULL);
	if (q->has_min) {
		html_lit(b, " min=\"");
		attr_double(b, q->num_min);
		html_lit(b, "\"");
	}
	if (q->has_max) {
		html_lit(b, " max=\"");
		attr_double(b, q->num_max);
		html_lit(b, "\"");
	}
	if (json_is_number(f->ans)) {
		html_lit(b, " value=\"");
		attr_double(b, json_number_value(f->ans));
		html_lit(b, "\"");
	}
	describedby(f);
	invalid_attr(f);
	html_lit(b, ">");
	single_end(f);
}

void question_form_render(buf *b, const struct question *q, json_t *answer, const char *lang,
                          const char *error_text, question_form_tr tr, void *tr_ctx)
{
	assert(b && q && q->id);
	struct qf f = {.b = b,
	               .q = q,
	               .lang = lang ? lang : "nl",
	               .error = error_text && *error_text ? error_text : NULL,
	               .tr = tr,
	               .tr_ctx = tr_ctx};
	f.na = json_is_null(answer);
	f.ans = f.na ? NULL : answer;
	f.has_help = (q->help.n > 0 && *ltext_get(&q->help, f.lang)) || has_type_hint(q);
	switch (q->type) {
	case Q_STORY: render_story(&f); break;
	case Q_TEXT: render_text(&f); break;
	case Q_CHOICE:
	case Q_MULTI: render_options(&f); break;
	case Q_SCALE: render_scale(&f); break;
	case Q_DYAD: render_dyad(&f); break;
	case Q_TRIAD: render_triad(&f); break;
	case Q_STONES: render_stones(&f); break;
	case Q_PIN: render_pin(&f); break;
	case Q_DATE: render_date(&f); break;
	case Q_NUMBER: render_number(&f); break;
	default: assert(!"unknown question type"); break;
	}
}

void question_form_script(buf *b, const char *name)
{
	const struct asset *a = asset_find(name);
	assert(a);
	html_lit(b, "<script src=\"/static/");
	html_attr(b, name);
	html_lit(b, "?v=");
	html_textn(b, a->etag + 1, 12);
	html_lit(b, "\" defer></script>");
}

void question_form_scripts(buf *b)
{
	question_form_script(b, "widgets.js");
}

/* ---- parsing --------------------------------------------------------------- */

/* The value of field a-ID<s1><s2>, or NULL. */
static const char *field(const struct question *q, const struct kvlist *form, const char *s1,
                         const char *s2)
{
	char name[NAME_MAX];
	int n = snprintf(name, sizeof name, "a-%s%s%s", q->id, s1 ? s1 : "", s2 ? s2 : "");
	if (n < 0 || (size_t)n >= sizeof name)
		return NULL;
	return kv_get(form, name);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A JSON string of s without white space at the ends and with CR LF (and
 * lone CR) as LF; NULL when nothing is left or s is NULL. Invalid UTF-8
 * (the form parsers refuse it) also gives NULL. */
static json_t *clean_string(const char *s)
{
	if (!s)
		return NULL;
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	char *t = malloc(n + 1);
	if (!t)
		abort();
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r') {
			t[k++] = '\n';
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			t[k++] = s[i];
		}
	}
	json_t *j = json_stringn(t, k);
	free(t);
	return j;
}

static int is_blank(const char *s)
{
	if (!s)
		return 1;
	while (is_space(*s))
		s++;
	return *s == '\0';
}

/* A decimal number as people type it: optional sign, digits, and a point
 * or a comma before the decimals; spaces around. No exponents, no hex, no
 * inf or nan. Returns 1 for a blank field, 0 with *v, -1 when not a number. */
static int read_number(const char *s, double *v)
{
	if (is_blank(s))
		return 1;
	while (is_space(*s))
		s++;
	char tmp[64];
	size_t k = 0;
	int digits = 0, point = 0;
	if (*s == '-' || *s == '+')
		tmp[k++] = *s++;
	for (; *s && !is_space(*s); s++) {
		if (k >= sizeof tmp - 1)
			return -1;
		if (*s >= '0' && *s <= '9') {
			tmp[k++] = *s;
			digits++;
		} else if ((*s == '.' || *s == ',') && !point) {
			tmp[k++] = '.';
			point = 1;
		} else {
			return -1;
		}
	}
	while (is_space(*s))
		s++;
	if (*s || !digits)
		return -1;
	tmp[k] = '\0';
	char *end;
	double d = strtod(tmp, &end);
	if (*end || !isfinite(d))
		return -1;
	*v = d == 0 ? 0 : d; /* no -0 */
	return 0;
}

/* A JSON number: an integer when v is whole (and small enough), else a real. */
static json_t *json_num(double v)
{
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static int parse_story(const struct question *q, const struct kvlist *form, json_t **out,
                       const char **err)
{
	json_t *text = clean_string(field(q, form, NULL, NULL));
	json_t *title = q->ask_title ? clean_string(field(q, form, ":title", NULL)) : NULL;
	if (!text && !title)
		return 0;
	const char *prompt = NULL;
	if (q->noptions == 1) {
		prompt = q->options[0].id;
	} else {
		const char *p = field(q, form, ":prompt", NULL);
		for (int i = 0; p && i < q->noptions; i++)
			if (strcmp(p, q->options[i].id) == 0)
				prompt = q->options[i].id;
		if (!prompt && !is_blank(p)) {
			/* Only a changed form can send this; keep the text. */
			*err = N_("Choose one of the questions for your story.");
			json_t *o = json_object();
			if (title)
				json_object_set_new(o, "title", title);
			json_object_set_new(o, "text", text ? text : json_string(""));
			*out = o;
			return -1;
		}
	}
	json_t *o = json_object();
	if (prompt)
		json_object_set_new(o, "prompt", json_string(prompt));
	if (title)
		json_object_set_new(o, "title", title);
	json_object_set_new(o, "text", text ? text : json_string(""));
	*out = o;
	return 0;
}

static int parse_text(const struct question *q, const struct kvlist *form, json_t **out,
                      const char **err)
{
	*out = clean_string(field(q, form, NULL, NULL));
	return 0;
}

static const char *option_id(const struct question *q, const char *v)
{
	for (int i = 0; v && i < q->noptions; i++)
		if (strcmp(v, q->options[i].id) == 0)
			return q->options[i].id;
	return NULL;
}

static json_t *other_object(json_t *text)
{
	json_t *o = json_object();
	json_object_set_new(o, "other", text ? text : json_string(""));
	return o;
}

static int parse_choice(const struct question *q, const struct kvlist *form, json_t **out,
                        const char **err)
{
	const char *v = field(q, form, NULL, NULL);
	int has_other = q->other.n > 0;
	json_t *other = has_other ? clean_string(field(q, form, ":other", NULL)) : NULL;
	if (is_blank(v)) {
		/* Typed in the "other" box without choosing it: that is the
		 * choice. */
		if (other)
			*out = other_object(other);
		return 0;
	}
	if (has_other && strcmp(v, OTHER_VALUE) == 0) {
		*out = other_object(other);
		if (!other) {
			*err = N_("Write your other answer in the box.");
			return -1;
		}
		return 0;
	}
	json_decref(other);
	const char *id = option_id(q, v);
	if (!id) {
		*err = N_("Choose one of the answers.");
		return -1;
	}
	*out = json_string(id);
	return 0;
}

static int parse_multi(const struct question *q, const struct kvlist *form, json_t **out,
                       const char **err)
{
	char name[NAME_MAX];
	int n = snprintf(name, sizeof name, "a-%s", q->id);
	if (n < 0 || (size_t)n >= sizeof name)
		return 0;
	int has_other = q->other.n > 0;
	int other_on = 0, bad = 0;
	unsigned char *on = calloc((size_t)q->noptions + 1, 1);
	if (!on)
		abort();
	for (size_t i = 0; i < form->n; i++) {
		const struct kv *kv = &form->items[i];
		if (strcmp(kv->name, name) != 0 || is_blank(kv->value))
			continue;
		if (has_other && strcmp(kv->value, OTHER_VALUE) == 0) {
			other_on = 1;
			continue;
		}
		int found = 0;
		for (int k = 0; k < q->noptions; k++) {
			if (strcmp(kv->value, q->options[k].id) == 0) {
				on[k] = 1;
				found = 1;
			}
		}
		if (!found)
			bad = 1;
	}
	json_t *other = has_other ? clean_string(field(q, form, ":other", NULL)) : NULL;
	/* In the options' order, not the order they were sent in. */
	json_t *a = json_array();
	for (int k = 0; k < q->noptions; k++)
		if (on[k])
			json_array_append_new(a, json_string(q->options[k].id));
	free(on);
	if (other_on || other)
		json_array_append_new(a, other_object(other));
	if (bad) {
		*err = N_("Choose from the answers that are given.");
		*out = a;
		return -1;
	}
	if (other_on && !other) {
		*err = N_("Write your other answer in the box.");
		*out = a;
		return -1;
	}
	if (json_array_size(a) == 0) {
		json_decref(a);
		return 0;
	}
	*out = a;
	return 0;
}

static int parse_scale(const struct question *q, const struct kvlist *form, json_t **out,
                       const char **err)
{
	double v;
	int rc = read_number(field(q, form, NULL, NULL), &v);
	if (rc == 1)
		return 0;
	if (rc < 0 || v != floor(v) || v < 1 || v > q->points) {
		*err = N_("Choose one of the numbers of the scale.");
		return -1;
	}
	*out = json_integer((json_int_t)v);
	return 0;
}

/* A number 0..100 from field s1 s2: 1 blank, 0 with *v, -1 otherwise. */
static int read_pct(const struct question *q, const struct kvlist *form, const char *s1,
                    const char *s2, double *v)
{
	int rc = read_number(field(q, form, s1, s2), v);
	if (rc == 0 && (*v < 0 || *v > 100))
		return -1;
	return rc;
}

static int parse_dyad(const struct question *q, const struct kvlist *form, json_t **out,
                      const char **err)
{
	double v;
	int rc = read_pct(q, form, NULL, NULL, &v);
	if (rc == 1)
		return 0;
	if (rc < 0) {
		*err = N_("Give a number from 0 to 100.");
		return -1;
	}
	*out = json_num(v);
	return 0;
}

static int parse_triad(const struct question *q, const struct kvlist *form, json_t **out,
                       const char **err)
{
	static const char *const idx[3] = {":0", ":1", ":2"};
	double p[3];
	int blank = 0;
	for (int i = 0; i < 3; i++) {
		int rc = read_pct(q, form, idx[i], NULL, &p[i]);
		if (rc < 0) {
			*err = N_("Give each corner a percentage from 0 to 100.");
			return -1;
		}
		if (rc == 1) {
			p[i] = 0; /* an empty box counts as 0 */
			blank++;
		}
	}
	if (blank == 3)
		return 0;
	double sum = p[0] + p[1] + p[2];
	/* Whole numbers typed for thirds make 99: a point either way is
	 * rounding, not a different answer. */
	if (sum < 99 || sum > 101) {
		*err = N_("The three percentages must add up to 100.");
		*out = json_pack("[fff]", p[0] / 100, p[1] / 100, p[2] / 100);
		return -1;
	}
	*out = json_pack("[fff]", p[0] / sum, p[1] / sum, p[2] / sum);
	return 0;
}

static int parse_stones(const struct question *q, const struct kvlist *form, json_t **out,
                        const char **err)
{
	json_t *o = json_object();
	int answered = 0, rc = 0;
	for (int i = 0; i < q->noptions; i++) {
		char sfx[SCRIPT_ID_MAX + 8];
		snprintf(sfx, sizeof sfx, ":%s", q->options[i].id);
		if (!is_blank(field(q, form, sfx, ":off"))) {
			answered = 1;
			continue;
		}
		double x, y;
		int rx = read_pct(q, form, sfx, ":x", &x);
		int ry = read_pct(q, form, sfx, ":y", &y);
		if (rx == 1 && ry == 1)
			continue;
		if (rx < 0 || ry < 0) {
			*err = N_("Give numbers from 0 to 100 for the stones.");
			rc = -1;
			continue;
		}
		if (rx == 1 || ry == 1) {
			*err = N_(
			        "Give both numbers for each stone you place, or tick Not placed.");
			rc = -1;
			continue;
		}
		json_object_set_new(o, q->options[i].id,
		                    json_pack("[oo]", json_num(x), json_num(y)));
		answered = 1;
	}
	if (rc < 0) {
		*out = o;
		return -1;
	}
	if (!answered) {
		json_decref(o);
		return 0;
	}
	*out = o;
	return 0;
}

static int parse_pin(const struct question *q, const struct kvlist *form, json_t **out,
                     const char **err)
{
	double x, y;
	int rx = read_pct(q, form, ":x", NULL, &x);
	int ry = read_pct(q, form, ":y", NULL, &y);
	json_t *note = q->ask_note ? clean_string(field(q, form, ":note", NULL)) : NULL;
	json_t *o = json_object();
	if (rx == 0 && ry == 0) {
		json_object_set_new(o, "x", json_num(x));
		json_object_set_new(o, "y", json_num(y));
	}
	if (note)
		json_object_set_new(o, "note", note);
	if (rx == 1 && ry == 1 && !note) {
		json_decref(o);
		return 0;
	}
	*out = o;
	if (rx < 0 || ry < 0) {
		*err = N_("Give numbers from 0 to 100 for the place on the picture.");
		return -1;
	}
	if (rx == 1 || ry == 1) {
		*err = N_("Put the pin on the picture.");
		return -1;
	}
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* Reads up to max digits; returns the count (0: none). */
static int digits(const char **s, int max, int *v)
{
	int n = 0;
	*v = 0;
	while (n < max && **s >= '0' && **s <= '9') {
		*v = *v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	return n;
}

/* YYYY-MM-DD (what browsers send), or D-M-YYYY with '-', '/' or '.' (what
 * people type where a browser has no date field). */
static int read_date(const char *s, char out[16])
{
	int a, b, c, y, m, d;
	while (is_space(*s))
		s++;
	const char *p = s;
	int na = digits(&p, 4, &a);
	if (na == 4 && *p == '-') {
		p++;
		if (digits(&p, 2, &b) != 2 || *p++ != '-' || digits(&p, 2, &c) != 2)
			return -1;
		y = a, m = b, d = c;
	} else if (na >= 1 && na <= 2 && (*p == '-' || *p == '/' || *p == '.')) {
		char sep = *p++;
		if (digits(&p, 2, &b) < 1 || *p++ != sep || digits(&p, 4, &c) != 4)
			return -1;
		y = c, m = b, d = a;
	} else {
		return -1;
	}
	while (is_space(*p))
		p++;
	if (*p || y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	const int part[3][2] = {{y, 4}, {m, 2}, {d, 2}};
	char *o = out;
	for (int i = 0; i < 3; i++) {
		for (int k = part[i][1] - 1, v = part[i][0]; k >= 0; k--, v /= 10)
			o[k] = (char)('0' + v % 10);
		o += part[i][1];
		*o++ = i < 2 ? '-' : '\0';
	}
	return 0;
}

static int parse_date(const struct question *q, const struct kvlist *form, json_t **out,
                      const char **err)
{
	const char *v = field(q, form, NULL, NULL);
	if (is_blank(v))
		return 0;
	char date[16];
	if (read_date(v, date) < 0) {
		*err = N_("Give a date, for example 17-03-2024.");
		*out = clean_string(v);
		return -1;
	}
	*out = json_string(date);
	return 0;
}

static int parse_number(const struct question *q, const struct kvlist *form, json_t **out,
                        const char **err)
{
	double v;
	int rc = read_number(field(q, form, NULL, NULL), &v);
	if (rc == 1)
		return 0;
	if (rc < 0) {
		*err = N_("Give a number, for example 12 or 2.5.");
		return -1;
	}
	if (q->integer && v != floor(v)) {
		*err = N_("Give a whole number, without decimals.");
		*out = json_real(v);
		return -1;
	}
	*out = json_num(v);
	return 0;
}

int question_form_parse(const struct question *q, const struct kvlist *form, json_t **answer_out,
                        const char **error_msgid)
{
	assert(q && form && answer_out && error_msgid);
	*answer_out = NULL;
	*error_msgid = NULL;
	if (q->not_applicable && !is_blank(field(q, form, ":na", NULL))) {
		*answer_out = json_null();
		return 0;
	}
	int rc;
	switch (q->type) {
	case Q_STORY: rc = parse_story(q, form, answer_out, error_msgid); break;
	case Q_TEXT: rc = parse_text(q, form, answer_out, error_msgid); break;
	case Q_CHOICE: rc = parse_choice(q, form, answer_out, error_msgid); break;
	case Q_MULTI: rc = parse_multi(q, form, answer_out, error_msgid); break;
	case Q_SCALE: rc = parse_scale(q, form, answer_out, error_msgid); break;
	case Q_DYAD: rc = parse_dyad(q, form, answer_out, error_msgid); break;
	case Q_TRIAD: rc = parse_triad(q, form, answer_out, error_msgid); break;
	case Q_STONES: rc = parse_stones(q, form, answer_out, error_msgid); break;
	case Q_PIN: rc = parse_pin(q, form, answer_out, error_msgid); break;
	case Q_DATE: rc = parse_date(q, form, answer_out, error_msgid); break;
	case Q_NUMBER: rc = parse_number(q, form, answer_out, error_msgid); break;
	default:
		rc = -1;
		*error_msgid = N_("This question cannot be answered here.");
		break;
	}
	if (rc < 0 && !*error_msgid)
		*error_msgid = N_("This answer cannot be read.");
	return rc;
}
