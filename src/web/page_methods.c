/* page_methods.c: the catalogue of methods (werkvormen): the list, one method in full, and the administrators' form to edit or add one. */
#include "web/pages.h"

#include "core/util.h"
#include "http/routes.h"
#include "http/server.h"
#include "model/method.h"
#include "web/html.h"
#include "web/i18n.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Empty rows the form offers below the steps and tips there are. */
enum { EMPTY_ROWS = 2, FORM_ROWS_READ = 50 };

int method_may_edit(struct req *r)
{
	return route_allows(r, "POST", "/werkvormen/nieuw");
}

/* ---- texts in the interface language -------------------------------------------- */

/* 1 when the English interface has to show the Dutch text of t. */
static int shows_dutch(struct req *r, const struct method_text *t)
{
	return strcmp(r->lang, "en") == 0 && !(t->en && *t->en);
}

static const char *pick(struct req *r, const struct method_text *t)
{
	return strcmp(r->lang, "en") == 0 && t->en && *t->en ? t->en : t->nl;
}

/* " lang=\"nl\"" on an element that shows Dutch in the English interface. */
static void lang_of(struct req *r, const struct method_text *t)
{
	if (shows_dutch(r, t))
		html_lit(&r->out, " lang=\"nl\"");
}

static const char *rung_label(struct req *r, int rung)
{
	switch (rung) {
	case RUNG_INFORMEREN: return T(r, "Informing");
	case RUNG_RAADPLEGEN: return T(r, "Consulting");
	case RUNG_ADVISEREN: return T(r, "Advising");
	case RUNG_COPRODUCEREN: return T(r, "Co-producing");
	case RUNG_MEEBESLISSEN: return T(r, "Co-deciding");
	case RUNG_ZELFBEHEER: return T(r, "Self-management");
	default: return "?";
	}
}

/* "Consulting (rung 2 of 6)" */
static void rung_text(struct req *r, int rung)
{
	buf *b = &r->out;
	html_text(b, rung_label(r, rung));
	html_lit(b, " (");
	html_text(b, T(r, "rung"));
	html_lit(b, " ");
	html_int(b, rung + 1);
	html_lit(b, " ");
	html_text(b, T(r, "of"));
	html_lit(b, " ");
	html_int(b, RUNG_COUNT);
	html_lit(b, ")");
}

static const char *method_path(struct req *r, int64_t id, const char *tail)
{
	char tmp[96];
	snprintf(tmp, sizeof tmp, "/werkvormen/%lld%s", (long long)id, tail ? tail : "");
	return arena_strdup(r->a, tmp);
}

/* One fact of a method: <dt>label</dt><dd>text</dd>, "-" when empty. */
static void fact(struct req *r, const char *label, const struct method_text *t)
{
	buf *b = &r->out;
	html_lit(b, "<dt>");
	html_text(b, label);
	html_lit(b, "</dt><dd");
	lang_of(r, t);
	html_lit(b, ">");
	html_text(b, *pick(r, t) ? pick(r, t) : "-");
	html_lit(b, "</dd>");
}

static void facts(struct req *r, const struct method *m)
{
	buf *b = &r->out;
	html_lit(b, "<dl class=\"vp-facts vp-method-facts\">");
	fact(r, T(r, "Target group"), &m->target_group);
	fact(r, T(r, "Number of participants"), &m->participants);
	fact(r, T(r, "Degree of interaction"), &m->interaction);
	html_lit(b, "<dt>");
	html_text(b, T(r, "Rung on the participation ladder"));
	html_lit(b, "</dt><dd>");
	rung_text(r, m->rung);
	html_lit(b, "</dd></dl>");
}

static const char *ok_message(struct req *r)
{
	const char *ok = req_query(r, "ok");
	if (ok && strcmp(ok, "created") == 0)
		return T(r, "The method was added to the catalogue.");
	if (ok && strcmp(ok, "saved") == 0)
		return T(r, "Your changes to the method were saved.");
	return NULL;
}

static int load(struct req *r, struct method *m)
{
	int64_t id;
	if (r->nparams < 1 || util_parse_id(req_param(r, 0), &id))
		return 404;
	int rc = method_by_id(req_db(r), id, r->a, m);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 404 : 503;
}

/* ---- the list ----------------------------------------------------------------------- */

/* GET /werkvormen */
int page_methods(struct req *r)
{
	buf *b = &r->out;
	struct method *list;
	size_t n;
	if (method_list(req_db(r), r->a, &list, &n) != DB_OK)
		return web_error(r, 503, NULL);
	page_begin(r, T(r, "Methods"));
	html_lit(b, "<h1 class=\"utrecht-heading-1\">");
	html_text(b, T(r, "Methods"));
	html_lit(b, "</h1><p class=\"utrecht-paragraph vp-lead\">");
	html_text(b, T(r, "A method is a way to talk with residents. Choose the one that fits your "
	                  "question, the people you want to reach and the rung on the "
	                  "participation ladder."));
	html_lit(b, "</p>");
	const char *ok = ok_message(r);
	if (ok)
		page_alert(r, "ok", ok);
	if (method_may_edit(r)) {
		html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-button-link "
		            "utrecht-button-link--html-a utrecht-button-link--secondary-action\" "
		            "id=\"werkvorm-nieuw\" href=\"/werkvormen/nieuw\">");
		html_text(b, T(r, "Add a method"));
		html_lit(b, "</a></p>");
	}
	if (n == 0) {
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "There are no methods yet."));
		html_lit(b, "</p>");
	} else {
		html_lit(b, "<ul class=\"vp-cards vp-method-list\">");
		for (size_t i = 0; i < n; i++) {
			const struct method *m = &list[i];
			html_lit(b, "<li class=\"vp-card vp-method-card\"><h2 "
			            "class=\"utrecht-heading-2 "
			            "vp-card__title\"><a class=\"utrecht-link\" href=\"");
			html_url(b, method_path(r, m->id, NULL));
			html_lit(b, "\"");
			lang_of(r, &m->name);
			html_lit(b, ">");
			html_text(b, pick(r, &m->name));
			html_lit(b, "</a></h2><p class=\"utrecht-paragraph\"");
			lang_of(r, &m->goal);
			html_lit(b, ">");
			html_text(b, pick(r, &m->goal));
			html_lit(b, "</p>");
			facts(r, m);
			html_lit(b, "</li>");
		}
		html_lit(b, "</ul>");
	}
	page_end(r);
	return 200;
}

/* ---- one method ------------------------------------------------------------------------ */

static const char *missing_label(struct req *r, const char *field)
{
	if (strcmp(field, "name") == 0)
		return T(r, "name");
	if (strcmp(field, "goal") == 0)
		return T(r, "goal");
	if (strcmp(field, "target_group") == 0)
		return T(r, "target group");
	if (strcmp(field, "participants") == 0)
		return T(r, "number of participants");
	if (strcmp(field, "interaction") == 0)
		return T(r, "degree of interaction");
	if (strcmp(field, "steps") == 0)
		return T(r, "steps");
	return T(r, "tips");
}

static void items(struct req *r, const struct method_text *list, size_t n, int ordered)
{
	buf *b = &r->out;
	if (ordered)
		html_lit(b, "<ol class=\"utrecht-ordered-list vp-method-steps\">");
	else
		html_lit(b, "<ul class=\"utrecht-unordered-list vp-method-tips\">");
	for (size_t i = 0; i < n; i++) {
		if (ordered)
			html_lit(b, "<li class=\"utrecht-ordered-list__item\"");
		else
			html_lit(b, "<li class=\"utrecht-unordered-list__item\"");
		lang_of(r, &list[i]);
		html_lit(b, ">");
		html_text(b, pick(r, &list[i]));
		html_lit(b, "</li>");
	}
	if (ordered)
		html_lit(b, "</ol>");
	else
		html_lit(b, "</ul>");
}

/* A day as people write it: 1-3-2026 in Dutch, 2026-03-01 in English. */
static void day(struct req *r, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char tmp[32];
	if (strcmp(r->lang, "en") == 0)
		strftime(tmp, sizeof tmp, "%Y-%m-%d", &tm);
	else
		snprintf(tmp, sizeof tmp, "%d-%d-%d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
	html_text(&r->out, tmp);
}

/* GET /werkvormen/{id} */
int page_method(struct req *r)
{
	buf *b = &r->out;
	struct method m;
	int st = load(r, &m);
	if (st)
		return web_error(r, st, NULL);
	int may_edit = method_may_edit(r);
	page_begin(r, pick(r, &m.name));
	html_lit(b, "<p class=\"utrecht-paragraph vp-crumbs\"><a class=\"utrecht-link\" "
	            "href=\"/werkvormen\">");
	html_text(b, T(r, "All methods"));
	html_lit(b, "</a></p><h1 class=\"utrecht-heading-1\"");
	lang_of(r, &m.name);
	html_lit(b, ">");
	html_text(b, pick(r, &m.name));
	html_lit(b, "</h1>");
	const char *ok = ok_message(r);
	if (ok)
		page_alert(r, "ok", ok);
	const char *missing[7];
	int nm = method_missing_en(&m, missing);
	if (nm && (may_edit || strcmp(r->lang, "en") == 0)) {
		buf note;
		buf_init(&note);
		buf_puts(&note, T(r, "Not in English yet, shown in Dutch:"));
		for (int i = 0; i < nm; i++) {
			buf_puts(&note, i ? ", " : " ");
			buf_puts(&note, missing_label(r, missing[i]));
		}
		buf_putc(&note, '.');
		html_lit(b, "<div id=\"engels-ontbreekt\">");
		page_alert(r, "info", note.data);
		html_lit(b, "</div>");
		buf_free(&note);
	}
	html_lit(b, "<h2 class=\"utrecht-heading-2\">");
	html_text(b, T(r, "Goal"));
	html_lit(b, "</h2><div class=\"vp-method-goal\"");
	lang_of(r, &m.goal);
	html_lit(b, ">");
	script_paragraphs(r, pick(r, &m.goal), NULL);
	html_lit(b, "</div>");
	facts(r, &m);
	html_lit(b, "<h2 class=\"utrecht-heading-2\" id=\"stappenplan\">");
	html_text(b, T(r, "Step plan"));
	html_lit(b, "</h2>");
	items(r, m.steps, m.nsteps, 1);
	if (m.ntips) {
		html_lit(b, "<h2 class=\"utrecht-heading-2\" id=\"tips\">");
		html_text(b, T(r, "Tips"));
		html_lit(b, "</h2>");
		items(r, m.tips, m.ntips, 0);
	}
	/* The whole ladder, with this method's rung marked: where it stands
	 * is clearer next to the rungs above and below. */
	html_lit(b, "<h2 class=\"utrecht-heading-2\" id=\"ladder\">");
	html_text(b, T(r, "The participation ladder"));
	html_lit(b, "</h2><p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "From the lowest rung to the highest. The more a method lets residents "
	                  "decide, the higher its rung."));
	html_lit(b, "</p><ol class=\"utrecht-ordered-list vp-ladder\">");
	for (int i = 0; i < RUNG_COUNT; i++) {
		html_lit(b, "<li class=\"utrecht-ordered-list__item\">");
		if (i == m.rung) {
			html_lit(b, "<strong>");
			html_text(b, rung_label(r, i));
			html_lit(b, "</strong> (");
			html_text(b, T(r, "this method"));
			html_lit(b, ")");
		} else {
			html_text(b, rung_label(r, i));
		}
		html_lit(b, "</li>");
	}
	html_lit(b, "</ol><p class=\"utrecht-paragraph vp-card__meta\">");
	if (m.builtin && m.updated_at == m.created_at && !m.updated_by) {
		html_text(b, T(r, "From the catalogue that comes with Vertelpunt."));
	} else {
		html_text(b, T(r, "Last changed on"));
		html_lit(b, " ");
		day(r, m.updated_at);
		if (*m.updated_by_name) {
			html_lit(b, " ");
			html_text(b, T(r, "by"));
			html_lit(b, " ");
			html_text(b, m.updated_by_name);
		}
		html_lit(b, ".");
	}
	html_lit(b, "</p>");
	if (may_edit) {
		html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-button-link "
		            "utrecht-button-link--html-a utrecht-button-link--secondary-action\" "
		            "id=\"werkvorm-bewerken\" href=\"");
		html_url(b, method_path(r, m.id, "/bewerken"));
		html_lit(b, "\">");
		html_text(b, T(r, "Edit this method"));
		html_lit(b, "</a></p>");
	}
	page_end(r);
	return 200;
}

/* ---- the form -------------------------------------------------------------------------- */

struct form {
	int64_t id; /* 0: a new method */
	struct method m;
	struct method_error errs[METHOD_ERRORS_MAX];
	int nerrs;
	struct method_save save;
};

static const char *error_for(const struct form *f, const char *field)
{
	for (int i = 0; f && i < f->nerrs; i++)
		if (strcmp(f->errs[i].field, field) == 0)
			return f->errs[i].msg;
	return NULL;
}

static void error_summary(struct req *r, const struct form *f)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"vp-error-summary\" role=\"alert\" tabindex=\"-1\" "
	            "aria-labelledby=\"fouten-kop\"><h2 class=\"utrecht-heading-2 "
	            "vp-error-summary__title\" id=\"fouten-kop\">");
	html_text(b, T(r, "There is a problem"));
	html_lit(b, "</h2><ul class=\"utrecht-unordered-list vp-error-summary__list\">");
	for (int i = 0; i < f->nerrs; i++) {
		char anchor[32];
		snprintf(anchor, sizeof anchor, "#%s", f->errs[i].field);
		html_lit(b, "<li><a class=\"utrecht-link\" href=\"");
		html_url(b, anchor);
		html_lit(b, "\">");
		html_text(b, T(r, f->errs[i].msg));
		html_lit(b, "</a></li>");
	}
	html_lit(b, "</ul></div>");
}

/* A labelled input or textarea (rows > 0) with its help and error. */
static void field(struct req *r, const struct form *f, const char *id, const char *label,
                  const char *help, const char *value, const char *lang, int rows, int required)
{
	buf *b = &r->out;
	const char *err = error_for(f, id);
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--text");
	if (err)
		html_lit(b, " utrecht-form-field--invalid");
	html_lit(b,
	         "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	         "for=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_text(b, label);
	html_lit(b, "</label></div>");
	if (help) {
		html_lit(b, "<div class=\"utrecht-form-field__description\" id=\"");
		html_attr(b, id);
		html_lit(b, "-help\">");
		html_text(b, help);
		html_lit(b, "</div>");
	}
	if (err) {
		html_lit(b, "<p class=\"utrecht-form-field-error-message\" id=\"");
		html_attr(b, id);
		html_lit(b, "-error\">");
		html_text(b, T(r, err));
		html_lit(b, "</p>");
	}
	html_lit(b, "<div class=\"utrecht-form-field__input\">");
	if (rows)
		html_lit(b, "<textarea class=\"utrecht-textarea utrecht-textarea--html-textarea\" "
		            "rows=\"");
	else
		html_lit(b, "<input class=\"utrecht-textbox utrecht-textbox--html-input\" "
		            "type=\"text\" autocomplete=\"off\" size=\"");
	html_int(b, rows ? rows : 40);
	html_lit(b, "\" id=\"");
	html_attr(b, id);
	html_lit(b, "\" name=\"");
	html_attr(b, id);
	html_lit(b, "\" lang=\"");
	html_attr(b, lang);
	html_lit(b, "\"");
	if (required)
		html_lit(b, " required");
	if (help || err) {
		html_lit(b, " aria-describedby=\"");
		if (err) {
			html_attr(b, id);
			html_lit(b, "-error");
		}
		if (help) {
			if (err)
				html_lit(b, " ");
			html_attr(b, id);
			html_lit(b, "-help");
		}
		html_lit(b, "\"");
	}
	if (err)
		html_lit(b, " aria-invalid=\"true\"");
	if (rows) {
		html_lit(b, ">");
		html_text(b, value ? value : "");
		html_lit(b, "</textarea>");
	} else {
		html_lit(b, " value=\"");
		html_attr(b, value ? value : "");
		html_lit(b, "\">");
	}
	html_lit(b, "</div></div>");
}

/* The Dutch and the English field of one text. */
static void pair(struct req *r, const struct form *f, const char *key, const char *label_nl,
                 const char *label_en, const char *help, const struct method_text *t, int rows,
                 int required)
{
	char id[40];
	snprintf(id, sizeof id, "%s_nl", key);
	field(r, f, arena_strdup(r->a, id), label_nl, help, t->nl, "nl", rows, required);
	snprintf(id, sizeof id, "%s_en", key);
	field(r, f, arena_strdup(r->a, id), label_en, NULL, t->en, "en", rows, 0);
}

/* The rows of the steps or the tips: those there are and EMPTY_ROWS more,
 * at most METHOD_ITEMS_MAX. */
static void item_rows(struct req *r, const struct form *f, const char *kind,
                      const struct method_text *list, size_t n)
{
	buf *b = &r->out;
	int step = strcmp(kind, "step") == 0;
	size_t rows = n + EMPTY_ROWS;
	if (rows > METHOD_ITEMS_MAX)
		rows = n > METHOD_ITEMS_MAX ? n : METHOD_ITEMS_MAX;
	for (size_t i = 0; i < rows; i++) {
		const struct method_text empty = {"", ""};
		const struct method_text *t = i < n ? &list[i] : &empty;
		html_lit(b, "<fieldset class=\"utrecht-form-fieldset vp-method-item\"><legend "
		            "class=\"utrecht-form-fieldset__legend\">");
		html_text(b, step ? T(r, "Step") : T(r, "Tip"));
		html_lit(b, " ");
		html_int(b, (long long)i + 1);
		html_lit(b, "</legend>");
		char id[32];
		snprintf(id, sizeof id, "%s_nl_%zu", kind, i + 1);
		field(r, f, arena_strdup(r->a, id), T(r, "In Dutch"), NULL, t->nl, "nl", 3, 0);
		snprintf(id, sizeof id, "%s_en_%zu", kind, i + 1);
		field(r, f, arena_strdup(r->a, id), T(r, "In English"), NULL, t->en, "en", 3, 0);
		html_lit(b, "</fieldset>");
	}
}

static int form_page(struct req *r, struct form *f, int status)
{
	buf *b = &r->out;
	const struct method *m = &f->m;
	const char *title = f->id ? T(r, "Edit method") : T(r, "New method");
	page_begin(r, title);
	html_lit(b, "<p class=\"utrecht-paragraph vp-crumbs\"><a class=\"utrecht-link\" href=\"");
	html_url(b, f->id ? method_path(r, f->id, NULL) : "/werkvormen");
	html_lit(b, "\">");
	html_text(b, f->id ? T(r, "Back to the method") : T(r, "All methods"));
	html_lit(b, "</a></p><h1 class=\"utrecht-heading-1\">");
	html_text(b, title);
	html_lit(b, "</h1>");
	if (f->nerrs)
		error_summary(r, f);
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Write every text in plain Dutch: short sentences and common words. "
	                  "The English texts may follow later; until then the English pages "
	                  "show the Dutch."));
	html_lit(b, "</p><form class=\"vp-form vp-form--wide vp-method-form\" method=\"post\" "
	            "action=\"");
	html_url(b, f->id ? method_path(r, f->id, "/bewerken") : "/werkvormen/nieuw");
	html_lit(b, "\" novalidate>");
	page_csrf_field(r);
	pair(r, f, "name", T(r, "Name in Dutch (required)"), T(r, "Name in English"), NULL,
	     &m->name, 0, 1);
	pair(r, f, "goal", T(r, "Goal in Dutch (required)"), T(r, "Goal in English"),
	     T(r, "What does the method bring: for the residents and for the municipality?"),
	     &m->goal, 4, 1);
	pair(r, f, "target_group", T(r, "Target group in Dutch"), T(r, "Target group in English"),
	     T(r, "Who takes part, and how do you choose them?"), &m->target_group, 3, 0);
	pair(r, f, "participants", T(r, "Number of participants in Dutch"),
	     T(r, "Number of participants in English"),
	     T(r, "How many people take part, for example \"2 tot 4 personen\"."), &m->participants,
	     0, 0);
	pair(r, f, "interaction", T(r, "Degree of interaction in Dutch"),
	     T(r, "Degree of interaction in English"), T(r, "For example \"Hoog\" or \"Laag\"."),
	     &m->interaction, 0, 0);
	/* The rung: a select with the six rungs, lowest first. */
	const char *err = error_for(f, "rung");
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--select");
	if (err)
		html_lit(b, " utrecht-form-field--invalid");
	html_lit(b,
	         "\"><div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	         "for=\"rung\">");
	html_text(b, T(r, "Rung on the participation ladder (required)"));
	html_lit(b, "</label></div>");
	if (err) {
		html_lit(b, "<p class=\"utrecht-form-field-error-message\" id=\"rung-error\">");
		html_text(b, T(r, err));
		html_lit(b, "</p>");
	}
	html_lit(b, "<div class=\"utrecht-form-field__input\"><select class=\"utrecht-select "
	            "utrecht-select--html-select\" id=\"rung\" name=\"rung\" required");
	if (err)
		html_lit(b, " aria-invalid=\"true\" aria-describedby=\"rung-error\"");
	html_lit(b, ">");
	if (!method_rung_name(m->rung)) {
		html_lit(b, "<option value=\"\" selected>");
		html_text(b, T(r, "Choose a rung"));
		html_lit(b, "</option>");
	}
	for (int i = 0; i < RUNG_COUNT; i++) {
		html_lit(b, "<option value=\"");
		html_attr(b, method_rung_name(i));
		html_lit(b, "\"");
		if (i == m->rung)
			html_lit(b, " selected");
		html_lit(b, ">");
		html_int(b, i + 1);
		html_lit(b, ". ");
		html_text(b, rung_label(r, i));
		html_lit(b, "</option>");
	}
	html_lit(b, "</select></div></div>");
	html_lit(b, "<h2 class=\"utrecht-heading-2\" id=\"stappenplan\">");
	html_text(b, T(r, "Step plan"));
	html_lit(b, "</h2><p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "At least one step, in the order they are taken. Empty steps are left "
	                  "out. Need more rows? Save, and edit again."));
	html_lit(b, "</p>");
	item_rows(r, f, "step", m->steps, m->nsteps);
	html_lit(b, "<h2 class=\"utrecht-heading-2\" id=\"tips\">");
	html_text(b, T(r, "Tips"));
	html_lit(b, "</h2>");
	item_rows(r, f, "tip", m->tips, m->ntips);
	html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	            "utrecht-button--primary-action\" type=\"submit\" id=\"opslaan\">");
	html_text(b, f->id ? T(r, "Save changes") : T(r, "Add the method"));
	html_lit(b, "</button></div></form>");
	page_end(r);
	return status;
}

/* GET /werkvormen/{id}/bewerken */
int page_method_edit_form(struct req *r)
{
	struct form *f = arena_zalloc(r->a, sizeof *f);
	int st = load(r, &f->m);
	if (st)
		return web_error(r, st, NULL);
	f->id = f->m.id;
	return form_page(r, f, 200);
}

/* GET /werkvormen/nieuw */
int page_method_new_form(struct req *r)
{
	struct form *f = arena_zalloc(r->a, sizeof *f);
	f->m.rung = -1;
	return form_page(r, f, 200);
}

/* The form's steps or tips: KIND_nl_N and KIND_en_N for N = 1, 2, ... */
static void read_items(struct req *r, const char *kind, struct method_text **out, size_t *n)
{
	*out = arena_zalloc(r->a, FORM_ROWS_READ * sizeof **out);
	*n = 0;
	for (int i = 1; i <= FORM_ROWS_READ; i++) {
		char nl[32], en[32];
		snprintf(nl, sizeof nl, "%s_nl_%d", kind, i);
		snprintf(en, sizeof en, "%s_en_%d", kind, i);
		const char *tnl = req_form(r, nl), *ten = req_form(r, en);
		if (!tnl && !ten)
			continue;
		(*out)[*n].nl = tnl ? tnl : "";
		(*out)[*n].en = ten ? ten : "";
		(*n)++;
	}
}

static void read_form(struct req *r, struct method *m)
{
	const char *keys[] = {"name", "goal", "target_group", "participants", "interaction"};
	struct method_text *t[] = {&m->name, &m->goal, &m->target_group, &m->participants,
	                           &m->interaction};
	for (int i = 0; i < 5; i++) {
		char k[40];
		snprintf(k, sizeof k, "%s_nl", keys[i]);
		t[i]->nl = req_form(r, k);
		snprintf(k, sizeof k, "%s_en", keys[i]);
		t[i]->en = req_form(r, k);
	}
	m->rung = method_rung_parse(req_form(r, "rung"));
	read_items(r, "step", &m->steps, &m->nsteps);
	read_items(r, "tip", &m->tips, &m->ntips);
	method_prepare(m, r->a);
}

static int save_write(db *d, void *ctx)
{
	struct form *f = ((struct req *)ctx)->hctx;
	return method_save_write(d, &f->save);
}

static int save_then(struct req *r)
{
	struct form *f = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (f->save.result == METHOD_NOT_FOUND)
		return web_error(r, 404, NULL);
	return req_redirect(r,
	                    method_path(r, f->save.saved_id, f->id ? "?ok=saved" : "?ok=created"));
}

static int save(struct req *r, struct form *f)
{
	read_form(r, &f->m);
	f->nerrs = method_check(&f->m, f->errs, METHOD_ERRORS_MAX);
	if (f->nerrs)
		return form_page(r, f, 422);
	if (!f->id) {
		/* The slug is made once, from the Dutch name, as a script's key. */
		char slug[57];
		util_slug(f->m.name.nl, slug, sizeof slug, "werkvorm");
		f->m.slug = arena_strdup(r->a, slug);
	}
	f->save = (struct method_save){.id = f->id, .user_id = r->sess.user.id, .m = &f->m};
	r->hctx = f;
	return req_write(r, save_write, save_then);
}

/* POST /werkvormen/{id}/bewerken */
int page_method_edit(struct req *r)
{
	struct form *f = arena_zalloc(r->a, sizeof *f);
	struct method old;
	int st = load(r, &old);
	if (st)
		return web_error(r, st, NULL);
	f->id = old.id;
	return save(r, f);
}

/* POST /werkvormen/nieuw */
int page_method_new(struct req *r)
{
	struct form *f = arena_zalloc(r->a, sizeof *f);
	return save(r, f);
}
