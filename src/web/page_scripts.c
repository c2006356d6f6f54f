/* page_scripts.c: the interview-script pages: the list, a new script, the library, import, and the preview. */
#include "web/pages.h"

#include "core/util.h"
#include "gen/embedded.h"
#include "http/routes.h"
#include "http/server.h"
#include "model/script.h"
#include "model/script_library.h"
#include "model/script_store.h"
#include "model/upload.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/question_form.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- shared with page_script_edit.c --------------------------------------- */

int script_route_ids(struct req *r, int64_t *id, int *version)
{
	if (util_parse_id(req_param(r, 0), id))
		return 0;
	if (version) {
		int64_t v;
		if (util_parse_i64(req_param(r, 1), &v) || v < 1 || v > 1000000)
			return 0;
		*version = (int)v;
	}
	return 1;
}

const char *script_page_path(struct req *r, int64_t id, int version, const char *tail)
{
	char tmp[512];
	if (version)
		snprintf(tmp, sizeof tmp, "/vragenlijsten/%lld/versies/%d%s", (long long)id,
		         version, tail ? tail : "");
	else
		snprintf(tmp, sizeof tmp, "/vragenlijsten/%lld%s", (long long)id, tail ? tail : "");
	return arena_strdup(r->a, tmp);
}

/* Who may change scripts is said once, in routes.c (EDITORS): the roles of
 * the route that makes a new script. */
int script_may_edit(struct req *r)
{
	return route_allows(r, "POST", "/vragenlijsten");
}

const char *script_status_label(struct req *r, int status)
{
	switch (status) {
	case SCRIPT_DRAFT: return T(r, "draft");
	case SCRIPT_PILOT: return T(r, "being tested (pilot)");
	case SCRIPT_PUBLISHED: return T(r, "published");
	case SCRIPT_RETIRED: return T(r, "retired");
	default: return "?";
	}
}

void script_status_badge(struct req *r, int status)
{
	buf *b = &r->out;
	static const char *const kind[] = {"neutral", "warning", "success", "inactive"};
	html_lit(b, "<span class=\"utrecht-status-badge vp-status vp-status--");
	html_attr(b, status >= 0 && status <= 3 ? kind[status] : "neutral");
	html_lit(b, "\">");
	html_text(b, script_status_label(r, status));
	html_lit(b, "</span>");
}

const char *script_type_label(struct req *r, int type)
{
	switch (type) {
	case Q_STORY: return T(r, "Story");
	case Q_TEXT: return T(r, "Text");
	case Q_CHOICE: return T(r, "Choice (one answer)");
	case Q_MULTI: return T(r, "Choice (more answers)");
	case Q_SCALE: return T(r, "Scale");
	case Q_DYAD: return T(r, "Slider between two ends (dyad)");
	case Q_TRIAD: return T(r, "Triangle (triad)");
	case Q_STONES: return T(r, "Stones on a field");
	case Q_PIN: return T(r, "Pin on a picture");
	case Q_DATE: return T(r, "Date");
	case Q_NUMBER: return T(r, "Number");
	default: return "?";
	}
}

void script_paragraphs(struct req *r, const char *text, const char *cls)
{
	script_paragraphs_buf(&r->out, text, cls);
}

void script_paragraphs_buf(buf *b, const char *text, const char *cls)
{
	const char *p = text;
	while (p && *p) {
		const char *end = strstr(p, "\n\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n && (p[n - 1] == '\n' || p[n - 1] == ' '))
			n--;
		if (n) {
			html_lit(b, "<p class=\"utrecht-paragraph vp-prose");
			if (cls) {
				html_lit(b, " ");
				html_attr(b, cls);
			}
			html_lit(b, "\">");
			html_textn(b, p, n);
			html_lit(b, "</p>");
		}
		if (!end)
			break;
		p = end + 2;
		while (*p == '\n')
			p++;
	}
}

/* ---- small pieces ---------------------------------------------------------- */

static void heading(struct req *r, int level, const char *id, const char *text)
{
	buf *b = &r->out;
	if (level == 1)
		html_lit(b, "<h1 class=\"utrecht-heading-1\"");
	else if (level == 2)
		html_lit(b, "<h2 class=\"utrecht-heading-2\"");
	else
		html_lit(b, "<h3 class=\"utrecht-heading-3\"");
	if (id) {
		html_lit(b, " id=\"");
		html_attr(b, id);
		html_lit(b, "\"");
	}
	html_lit(b, ">");
	html_text(b, text);
	if (level == 1)
		html_lit(b, "</h1>");
	else if (level == 2)
		html_lit(b, "</h2>");
	else
		html_lit(b, "</h3>");
}

static void para(struct req *r, const char *text)
{
	html_lit(&r->out, "<p class=\"utrecht-paragraph\">");
	html_text(&r->out, text);
	html_lit(&r->out, "</p>");
}

/* After a button's visible text, for screen readers: ": what". */
static void hidden_name(struct req *r, const char *name)
{
	html_lit(&r->out, "<span class=\"vp-visually-hidden\">: ");
	html_text(&r->out, name);
	html_lit(&r->out, "</span>");
}

/* An alert with a text and a link after it. */
void script_alert(struct req *r, const char *kind, const char *text, const char *detail,
                  const char *href, const char *link_text)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-alert utrecht-alert--");
	html_attr(b, kind);
	html_lit(b, "\" role=\"");
	html_attr(b, strcmp(kind, "error") == 0 ? "alert" : "status");
	html_lit(b, "\"><div class=\"utrecht-alert__content\"><p class=\"utrecht-paragraph\">");
	html_text(b, text);
	html_lit(b, "</p>");
	if (detail && *detail) {
		html_lit(b,
		         "<p class=\"utrecht-paragraph\"><code class=\"utrecht-code vp-reader\">");
		html_text(b, detail);
		html_lit(b, "</code></p>");
	}
	if (href) {
		html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
		html_url(b, href);
		html_lit(b, "\">");
		html_text(b, link_text);
		html_lit(b, "</a></p>");
	}
	html_lit(b, "</div></div>");
}

/* The first paragraph of text, at most about 300 bytes (in the arena). */
static const char *first_paragraph(struct req *r, const char *text)
{
	const char *end = strstr(text, "\n\n");
	size_t n = end ? (size_t)(end - text) : strlen(text);
	if (n > 300) {
		n = 300;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
		char *s = arena_alloc(r->a, n + 4);
		memcpy(s, text, n);
		memcpy(s + n, "\xE2\x80\xA6", 4); /* ... */
		return s;
	}
	return arena_strndup(r->a, text, n);
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static long long jint(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* ---- the list ---------------------------------------------------------------- */

struct list_msg {
	int status;
	const char *kind, *text, *detail, *href, *link_text;
	const char *title; /* the title typed in the new-script form */
};

static const char *ok_message(struct req *r, const char *ok)
{
	if (!ok)
		return NULL;
	if (strcmp(ok, "deleted") == 0)
		return T(r, "The draft was deleted.");
	return NULL;
}

static void script_list(struct req *r, json_t *list)
{
	buf *b = &r->out;
	if (json_array_size(list) == 0) {
		para(r, T(r, "There are no interview scripts yet. Make a new one, or start from an "
		             "example below."));
		return;
	}
	html_lit(b, "<ul class=\"vp-cards\">");
	size_t i;
	json_t *s;
	json_array_foreach(list, i, s)
	{
		json_t *versions = json_object_get(s, "versions");
		json_t *latest = json_array_get(versions, 0);
		int64_t id = (int64_t)jint(s, "id");
		html_lit(b, "<li class=\"vp-card\"><h3 class=\"utrecht-heading-3 vp-card__title\">"
		            "<a class=\"utrecht-link\" href=\"");
		html_url(b,
		         script_page_path(r, id, latest ? (int)jint(latest, "version") : 0, NULL));
		html_lit(b, "\">");
		html_text(b, *jstr(s, "title") ? jstr(s, "title") : jstr(s, "key"));
		html_lit(b, "</a></h3><p class=\"utrecht-paragraph vp-card__meta\">");
		html_text(b, T(r, "Key"));
		html_lit(b, ": <code class=\"utrecht-code\">");
		html_text(b, jstr(s, "key"));
		html_lit(b, "</code></p><ul class=\"vp-versions\">");
		size_t k;
		json_t *v;
		json_array_foreach(versions, k, v)
		{
			int n = (int)jint(v, "version");
			html_lit(b, "<li><a class=\"utrecht-link\" href=\"");
			html_url(b, script_page_path(r, id, n, NULL));
			html_lit(b, "\">");
			html_text(b, T(r, "Version"));
			html_lit(b, " ");
			html_int(b, n);
			html_lit(b, "</a> ");
			script_status_badge(r, script_status_parse(jstr(v, "status")));
			html_lit(b, " <span class=\"vp-lint-count\">");
			html_text(b, T(r, "Errors"));
			html_lit(b, ": ");
			html_int(b, jint(v, "lint_errors"));
			html_lit(b, ", ");
			html_text(b, T(r, "warnings"));
			html_lit(b, ": ");
			html_int(b, jint(v, "lint_warnings"));
			html_lit(b, "</span></li>");
		}
		html_lit(b, "</ul></li>");
	}
	html_lit(b, "</ul>");
}

static void library_list(struct req *r, int may_edit)
{
	buf *b = &r->out;
	html_lit(b, "<ul class=\"vp-cards\">");
	for (size_t i = 0; i < script_library_count(); i++) {
		const char *name = script_library_name(i);
		const struct embedded_file *f = NULL;
		for (size_t k = 0; k < embedded_templates_count; k++)
			if (strcmp(embedded_templates[k].name, name) == 0)
				f = &embedded_templates[k];
		if (!f)
			continue;
		char err[256];
		struct script *sc =
		        script_parse_text((const char *)f->data, f->len, err, sizeof err);
		if (!sc)
			continue; /* tests/unit keeps the library parsing */
		const char *title = ltext_get(&sc->title, r->lang);
		size_t n = strlen(name);
		const char *base = arena_strndup(r->a, name, n > 5 ? n - 5 : n);
		html_lit(b,
		         "<li class=\"vp-card\"><h3 class=\"utrecht-heading-3 vp-card__title\">");
		html_text(b, title);
		html_lit(b, "</h3>");
		const char *intro = ltext_get(&sc->introduction, r->lang);
		if (*intro) {
			html_lit(b, "<p class=\"utrecht-paragraph\">");
			html_text(b, first_paragraph(r, intro));
			html_lit(b, "</p>");
		}
		html_lit(b, "<p class=\"utrecht-paragraph vp-card__meta\">");
		html_int(b, sc->nquestions);
		html_lit(b, " ");
		html_text(b, sc->nquestions == 1 ? T(r, "question") : T(r, "questions"));
		html_lit(b, ". ");
		html_text(b, T(r, "Key"));
		html_lit(b, ": <code class=\"utrecht-code\">");
		html_text(b, sc->key);
		html_lit(b, "</code></p>");
		if (may_edit) {
			char action[256];
			snprintf(action, sizeof action, "/vragenlijsten/bibliotheek/%s", base);
			html_lit(b, "<form class=\"vp-inline-form\" method=\"post\" action=\"");
			html_url(b, action);
			html_lit(b, "\">");
			page_csrf_field(r);
			html_lit(
			        b,
			        "<button class=\"utrecht-button utrecht-button--secondary-action\" "
			        "type=\"submit\">");
			html_text(b, T(r, "Use this example"));
			hidden_name(r, title);
			html_lit(b, "</button></form>");
		}
		html_lit(b, "</li>");
		script_free(sc);
	}
	html_lit(b, "</ul>");
}

static int list_page(struct req *r, const struct list_msg *m)
{
	buf *b = &r->out;
	int may_edit = script_may_edit(r);
	buf lj;
	buf_init(&lj);
	int rc = script_list_json(req_db(r), r->app->org_id, &lj);
	json_t *list = rc == DB_OK ? json_loads(lj.data ? lj.data : "[]", 0, NULL) : NULL;
	buf_free(&lj);
	if (!list)
		return web_error(r, 503, NULL);

	page_begin(r, T(r, "Interview scripts"));
	heading(r, 1, NULL, T(r, "Interview scripts"));
	html_lit(b, "<p class=\"utrecht-paragraph vp-lead\">");
	html_text(b, T(r, "An interview script holds the questions people answer when they tell "
	                  "a story. You make a draft, test it, and then publish it."));
	html_lit(b, "</p>");
	if (m && m->text)
		script_alert(r, m->kind, m->text, m->detail, m->href, m->link_text);
	else if (ok_message(r, req_query(r, "ok")))
		page_alert(r, "ok", ok_message(r, req_query(r, "ok")));
	if (!may_edit)
		para(r, T(r, "You can look at the interview scripts. Changing them is for "
		             "administrators, analysts and facilitators."));

	heading(r, 2, "lijst", T(r, "All interview scripts"));
	script_list(r, list);
	json_decref(list);

	if (may_edit) {
		heading(r, 2, "nieuw", T(r, "New interview script"));
		para(r, T(r, "Give the script a title. You get a draft with a privacy text and one "
		             "story question. You can change everything after that."));
		html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"/vragenlijsten\">");
		page_csrf_field(r);
		page_text_field(r, "title", T(r, "Title"), NULL, "text", "off", m ? m->title : NULL,
		                FIELD_REQUIRED);
		html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
		            "utrecht-button--primary-action\" type=\"submit\">");
		html_text(b, T(r, "Make the draft"));
		html_lit(b, "</button></div></form>");
	}

	heading(r, 2, "bibliotheek", T(r, "Examples to start from"));
	para(r, T(r, "These interview scripts are ready to use. Using one makes a draft that you "
	             "can change."));
	library_list(r, may_edit);

	if (may_edit) {
		heading(r, 2, "importeren", T(r, "Import a file"));
		para(r, T(r, "A file in the Vertelpunt format (JSON), for example one that was "
		             "downloaded from another Vertelpunt. It becomes a draft. Nothing is "
		             "stored when the file has a mistake."));
		html_lit(b,
		         "<form class=\"vp-form\" method=\"post\" action=\"/vragenlijsten/import\" "
		         "enctype=\"multipart/form-data\">");
		page_csrf_field(r);
		html_lit(b, "<div class=\"utrecht-form-field\"><div "
		            "class=\"utrecht-form-field__label\">"
		            "<label class=\"utrecht-form-label\" for=\"file\">");
		html_text(b, T(r, "File"));
		html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><input "
		            "class=\"vp-file\" type=\"file\" id=\"file\" name=\"file\" "
		            "accept=\".json,application/json\" required></div></div>"
		            "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
		            "utrecht-button--secondary-action\" type=\"submit\">");
		html_text(b, T(r, "Import"));
		html_lit(b, "</button></div></form>");
	}
	page_end(r);
	return m ? m->status : 200;
}

/* GET /vragenlijsten */
int page_scripts(struct req *r)
{
	return list_page(r, NULL);
}

/* GET /vragenlijsten/{id}: the script's newest version. */
int page_script_latest(struct req *r)
{
	int64_t id;
	if (!script_route_ids(r, &id, NULL))
		return web_error(r, 404, NULL);
	struct script_version v;
	int rc = script_version_get(req_db(r), r->app->org_id, id, 0, &v);
	if (rc != DB_OK)
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	int n = v.version;
	script_version_free(&v);
	return req_redirect(r, script_page_path(r, id, n, NULL));
}

/* ---- storing a new script or a new draft -------------------------------------- */

struct create_job {
	struct script_save_job save;
	struct script *script;
	const char *title;                 /* new: the title typed */
	struct script_library_job library; /* library */
	int from_library;
};

/* What every "stored as a draft" answer says when the key had a draft. */
static int has_draft_page(struct req *r, struct create_job *j, const char *what)
{
	struct list_msg m = {.status = 409,
	                     .kind = "error",
	                     .text = what,
	                     .href = script_page_path(r, j->save.script_id, j->save.version, NULL),
	                     .link_text = T(r, "Go to that draft")};
	return list_page(r, &m);
}

static int saved_then(struct req *r)
{
	struct create_job *j = r->hctx;
	if (j->from_library) {
		if (r->write_rc != 0)
			script_library_abandon(&j->library);
		script_library_done(&j->library);
		j->save = j->library.save;
		if (r->write_rc == 1)
			r->write_rc = 0; /* refused: the result says why */
	} else {
		script_free(j->script);
		j->script = NULL;
	}
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (j->save.result == SCRIPT_HAS_DRAFT)
		return has_draft_page(
		        r, j,
		        T(r, "Nothing was stored: this interview script already has a "
		             "draft. Change that draft, or publish or delete it first."));
	if (j->save.result != SCRIPT_OK)
		return web_error(r, 409, N_("The key belongs to another script."));
	return req_redirect(r, script_page_path(r, j->save.script_id, j->save.version,
	                                        j->from_library ? "?ok=library" : "?ok=created"));
}

static int save_write(db *d, void *ctx)
{
	struct create_job *j = ((struct req *)ctx)->hctx;
	return script_save_write(d, &j->save);
}

static int library_write(db *d, void *ctx)
{
	struct create_job *j = ((struct req *)ctx)->hctx;
	return script_library_write(d, &j->library);
}

static json_t *lt(const char *nl, const char *en)
{
	json_t *o = json_object();
	json_object_set_new(o, "nl", json_string(nl));
	if (en)
		json_object_set_new(o, "en", json_string(en));
	return o;
}

/* A new draft: the title, a privacy text in plain Dutch and English, one
 * section with one story question with one prompt. */
static json_t *new_script_json(const char *key, const char *title)
{
	json_t *root = json_object();
	json_object_set_new(root, "format", json_string("vertelpunt-script/1"));
	json_object_set_new(root, "key", json_string(key));
	json_object_set_new(root, "title", lt(title, NULL));
	json_object_set_new(
	        root, "privacy",
	        lt("Alleen de medewerkers van de gemeente die de verhalen lezen en bundelen, "
	           "kunnen "
	           "uw verhaal lezen.\n\nU hoeft uw naam niet te geven. Bij uw verhaal "
	           "staat alleen een code.\n\nLaten we een verhaal zien in een verslag? Dan halen "
	           "we eerst alles weg waaraan iemand u kan herkennen.\n\nWe bewaren uw verhaal 2 "
	           "jaar. Daarna halen we het weg. U mag altijd vragen om uw verhaal te zien of "
	           "weg te halen.",
	           "Only the staff of the municipality who read and combine the stories can read "
	           "your story.\n\nYou do not have to give your name. Your story only "
	           "carries a code.\n\nDo we show a story in a report? Then we first remove "
	           "anything that could identify you.\n\nWe keep your story for 2 years. After "
	           "that we delete it. You can always ask to see your story or to have it "
	           "deleted."));
	json_t *prompt = json_object();
	json_object_set_new(prompt, "id", json_string("p-1"));
	json_object_set_new(prompt, "text",
	                    lt("Vertel over een moment dat belangrijk voor u was.",
	                       "Tell us about a moment that mattered to you."));
	json_t *q = json_object();
	json_object_set_new(q, "id", json_string("q-verhaal"));
	json_object_set_new(q, "type", json_string("story"));
	json_object_set_new(q, "text", lt("Vertel uw verhaal.", "Tell your story."));
	json_object_set_new(q, "required", json_true());
	json_t *prompts = json_array();
	json_array_append_new(prompts, prompt);
	json_object_set_new(q, "prompts", prompts);
	json_t *qs = json_array();
	json_array_append_new(qs, q);
	json_t *sec = json_object();
	json_object_set_new(sec, "id", json_string("s-1"));
	json_object_set_new(sec, "title", lt("Uw verhaal", "Your story"));
	json_object_set_new(sec, "questions", qs);
	json_t *secs = json_array();
	json_array_append_new(secs, sec);
	json_object_set_new(root, "sections", secs);
	return root;
}

/* Runs on the writer: the key is chosen inside the transaction, so two
 * scripts made at once with the same title get different keys. */
static int create_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct create_job *j = r->hctx;
	script_free(j->script); /* a job may run twice */
	j->script = NULL;
	j->save.script = NULL;
	buf lj;
	buf_init(&lj);
	int rc = script_list_json(d, j->save.org_id, &lj);
	json_t *list = rc == DB_OK ? json_loads(lj.data ? lj.data : "[]", 0, NULL) : NULL;
	buf_free(&lj);
	if (!list)
		return rc == DB_OK ? DB_ERROR : rc;
	char base[57], key[80]; /* base is at most 56 bytes: "-N" still fits 64 */
	util_slug(j->title, base, 57, "vragenlijst");
	snprintf(key, sizeof key, "%s", base);
	for (int n = 2;; n++) {
		int taken = 0;
		size_t i;
		json_t *s;
		json_array_foreach(list, i, s) taken |= strcmp(jstr(s, "key"), key) == 0;
		if (!taken)
			break;
		snprintf(key, sizeof key, "%s-%d", base, n);
	}
	json_decref(list);
	json_t *root = new_script_json(key, j->title);
	char err[256];
	j->script = script_parse(root, err, sizeof err);
	json_decref(root);
	if (!j->script)
		return DB_ERROR; /* the title passed the checks below, so this is a bug */
	j->save.script = j->script;
	j->save.only_script_id = 0;
	return script_save_write(d, &j->save);
}

static int create_then(struct req *r)
{
	struct create_job *j = r->hctx;
	script_free(j->script);
	j->script = NULL;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (j->save.result != SCRIPT_OK)
		return web_error(r, 409, NULL);
	return req_redirect(r,
	                    script_page_path(r, j->save.script_id, j->save.version, "?ok=created"));
}

/* Trims spaces at both ends (in the arena); NULL stays NULL. */
static const char *trimmed(struct req *r, const char *s)
{
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(r->a, s, n);
}

/* POST /vragenlijsten: title -> a new draft. */
int page_script_create(struct req *r)
{
	const char *title = trimmed(r, req_form(r, "title"));
	struct list_msg m = {.status = 422, .kind = "error", .title = title};
	if (!title || !*title)
		m.text = T(r, "Write a title for the interview script.");
	else if (strlen(title) > 200 || !util_utf8_clean(title, strlen(title)) ||
	         strchr(title, '\n'))
		m.text = T(r, "The title is at most 200 characters on one line.");
	if (m.text)
		return list_page(r, &m);
	struct create_job *j = arena_zalloc(r->a, sizeof *j);
	j->title = title;
	j->save.org_id = r->app->org_id;
	j->save.user_id = r->sess.user.id;
	r->hctx = j;
	return req_write(r, create_write, create_then);
}

/* POST /vragenlijsten/bibliotheek/{name}: a template as a draft (a new
 * script, or a new draft version of the script with its key). */
int page_script_library(struct req *r)
{
	int index = script_library_find(req_param(r, 0));
	if (index < 0)
		return web_error(r, 404, NULL);
	struct create_job *j = arena_zalloc(r->a, sizeof *j);
	j->from_library = 1;
	j->library.save.org_id = r->app->org_id;
	j->library.save.user_id = r->sess.user.id;
	char err[512];
	if (script_library_prepare(index, page_upload_dir(r), &j->library, err, sizeof err) != 0) {
		script_library_done(&j->library);
		return web_error(r, 500, NULL);
	}
	r->hctx = j;
	return req_write(r, library_write, saved_then);
}

/* POST /vragenlijsten/import: a file in our format (multipart, "file"). */
int page_script_import(struct req *r)
{
	struct list_msg m = {.status = 422, .kind = "error"};
	const struct kv *f = kv_find(&r->form, "file");
	if (!r->content_type || strncasecmp(r->content_type, "multipart/form-data", 19) != 0) {
		m.status = 415;
		m.text = T(r, "Send the file with the import form.");
	} else if (!f || !f->filename || !*f->filename) {
		m.text = T(r, "Choose a file to import.");
	} else if (f->value_len == 0) {
		m.text = T(r, "The file is empty. Nothing was stored.");
	}
	if (m.text)
		return list_page(r, &m);
	char err[512];
	struct script *sc = script_parse_text(f->value, f->value_len, err, sizeof err);
	if (!sc) {
		m.text =
		        T(r, "The file was not imported; nothing was stored. This is what is wrong "
		             "(the place in the file, then the problem):");
		m.detail = arena_strdup(r->a, err);
		return list_page(r, &m);
	}
	struct create_job *j = arena_zalloc(r->a, sizeof *j);
	j->script = sc;
	j->save.org_id = r->app->org_id;
	j->save.user_id = r->sess.user.id;
	j->save.script = sc;
	r->hctx = j;
	return req_write(r, save_write, saved_then);
}

/* ---- preview -------------------------------------------------------------------- */

/* GET /vragenlijsten/{id}/versies/{n}/voorbeeld: the version as a resident
 * sees it, in the interface language. The form sends nothing. */
int page_script_preview(struct req *r)
{
	int64_t id;
	int version;
	if (!script_route_ids(r, &id, &version))
		return web_error(r, 404, NULL);
	char err[256];
	struct script *sc = script_load(req_db(r), r->app->org_id, id, version, err, sizeof err);
	if (!sc)
		return web_error(r, 404, NULL);
	buf *b = &r->out;
	const char *lang = r->lang;
	const char *title = ltext_get(&sc->title, lang);
	/* The frame as a resident sees it: a visitor without a session. */
	int logged_in = r->logged_in;
	r->logged_in = 0;
	page_begin(r, title);
	r->logged_in = logged_in;
	html_lit(b, "<div class=\"vp-preview-note\" role=\"note\"><p class=\"utrecht-paragraph\">"
	            "<strong>");
	html_text(b, T(r, "Preview:"));
	html_lit(b, "</strong> ");
	html_text(b, T(r, "this is how residents see this interview script. Nothing you fill in "
	                  "is saved."));
	html_lit(b, " <a class=\"utrecht-link\" target=\"_top\" href=\"");
	html_url(b, script_page_path(r, id, version, NULL));
	html_lit(b, "\">");
	html_text(b, T(r, "Back to the editor"));
	html_lit(b, "</a></p></div>");
	heading(r, 1, NULL, title);
	const char *intro = ltext_get(&sc->introduction, lang);
	if (*intro)
		script_paragraphs(r, intro, "vp-lead");
	html_lit(b, "<section class=\"vp-privacy\" aria-labelledby=\"privacy-kop\">"
	            "<h2 class=\"utrecht-heading-2\" id=\"privacy-kop\">");
	html_text(b, T(r, "Who can read your story?"));
	html_lit(b, "</h2>");
	script_paragraphs(r, ltext_get(&sc->privacy, lang), NULL);
	html_lit(b, "</section><form class=\"vp-story-form\" method=\"get\" action=\"#\" "
	            "aria-describedby=\"voorbeeld-opmerking\">");
	for (int i = 0; i < sc->nsections; i++) {
		const struct section *s = &sc->sections[i];
		html_lit(b, "<section class=\"vp-story-section\">");
		if (s->title.n) {
			html_lit(b, "<h2 class=\"utrecht-heading-2\">");
			html_text(b, ltext_get(&s->title, lang));
			html_lit(b, "</h2>");
		}
		for (int k = 0; k < s->nquestions; k++)
			question_form_render(b, &s->questions[k], NULL, lang, NULL,
			                     question_form_tr_lang, (void *)r->lang);
		html_lit(b, "</section>");
	}
	html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	            "utrecht-button--primary-action\" type=\"submit\" disabled>");
	html_text(b, T(r, "Send my story"));
	html_lit(b, "</button></div><p class=\"utrecht-paragraph vp-preview-note\" "
	            "id=\"voorbeeld-opmerking\">");
	html_text(b, T(r, "Preview: nothing is sent or saved."));
	html_lit(b, "</p></form>");
	const char *thanks = ltext_get(&sc->thanks, lang);
	if (*thanks) {
		html_lit(b, "<section class=\"vp-preview-after\" aria-labelledby=\"daarna-kop\">"
		            "<h2 class=\"utrecht-heading-2\" id=\"daarna-kop\">");
		html_text(b, T(r, "After sending, people read:"));
		html_lit(b, "</h2>");
		script_paragraphs(r, thanks, NULL);
		html_lit(b, "</section>");
	}
	question_form_scripts(b);
	page_end(r);
	script_free(sc);
	return 200;
}

/* GET /vragenlijsten/{id}/versies/{n}/voorbeeld/telefoon: the preview in a
 * frame the size of a phone (390 x 844 CSS pixels). */
int page_script_preview_phone(struct req *r)
{
	int64_t id;
	int version;
	if (!script_route_ids(r, &id, &version))
		return web_error(r, 404, NULL);
	struct script_version v;
	int rc = script_version_get(req_db(r), r->app->org_id, id, version, &v);
	if (rc != DB_OK)
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	buf *b = &r->out;
	page_begin(r, T(r, "Preview on a phone"));
	heading(r, 1, NULL, T(r, "Preview on a phone"));
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "This is how the interview script looks on a phone screen of 390 by 844 "
	                  "pixels. You can scroll and fill in the form inside the frame."));
	html_lit(b, "</p><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	html_url(b, script_page_path(r, id, version, NULL));
	html_lit(b, "\">");
	html_text(b, T(r, "Back to the editor"));
	html_lit(b, "</a> | <a class=\"utrecht-link\" href=\"");
	html_url(b, script_page_path(r, id, version, "/voorbeeld"));
	html_lit(b, "\">");
	html_text(b, T(r, "Open the preview on the whole screen"));
	html_lit(b, "</a></p><div class=\"vp-phone\"><iframe class=\"vp-phone__frame\" "
	            "width=\"390\" height=\"844\" src=\"");
	html_url(b, script_page_path(r, id, version, "/voorbeeld"));
	html_lit(b, "\" title=\"");
	html_attr(b, T(r, "Preview on a phone"));
	html_lit(b, ": ");
	html_attr(b, v.title);
	html_lit(b, "\"></iframe></div>");
	page_end(r);
	script_version_free(&v);
	return 200;
}
