/* page_collections.c: the staff pages of collections: the list, a new one, details with link, code and QR code, a kiosk and a story taken with a client, closing, the printable poster and flyer. */
#include "web/pages.h"

#include "core/util.h"
#include "http/routes.h"
#include "http/server.h"
#include "io/qr.h"
#include "model/collection.h"
#include "model/trajectory.h"
#include "model/script_store.h"
#include "web/html.h"
#include "web/i18n.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- shared with api_collections.c ------------------------------------------ */

/* 1 when host is a plain host name or address with an optional port: what
 * may stand in a link printed on paper. */
const char *collection_link(struct req *r, const char *token)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "/v/%s", token);
	return page_absolute_url(r, tmp);
}

const char *collection_code_text(struct req *r, const char *code)
{
	char tmp[COLLECTION_CODE_LEN + 2];
	snprintf(tmp, sizeof tmp, "%.4s-%.4s", code, strlen(code) >= 4 ? code + 4 : "");
	return arena_strdup(r->a, tmp);
}

int64_t collection_parse_day(const char *s)
{
	struct tm tm = {0};
	if (!s || strlen(s) != 10)
		return -1;
	const char *end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end || tm.tm_year < 100 || tm.tm_year > 8000)
		return -1;
	/* timegm moves 2026-02-30 to 2 March: such a day does not exist. */
	int mday = tm.tm_mday, mon = tm.tm_mon;
	time_t t = timegm(&tm);
	if (tm.tm_mday != mday || tm.tm_mon != mon)
		return -1;
	return (int64_t)t;
}

int collection_may_edit(struct req *r)
{
	return route_allows(r, "POST", "/verzamelingen");
}

/* ---- small pieces ------------------------------------------------------------ */

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static long long jint(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static void para(struct req *r, const char *cls, const char *text)
{
	html_lit(&r->out, "<p class=\"utrecht-paragraph");
	if (cls) {
		html_lit(&r->out, " ");
		html_attr(&r->out, cls);
	}
	html_lit(&r->out, "\">");
	html_text(&r->out, text);
	html_lit(&r->out, "</p>");
}

static void h2(struct req *r, const char *id, const char *text)
{
	html_lit(&r->out, "<h2 class=\"utrecht-heading-2\" id=\"");
	html_attr(&r->out, id);
	html_lit(&r->out, "\">");
	html_text(&r->out, text);
	html_lit(&r->out, "</h2>");
}

static const char *path_of(struct req *r, long long id, const char *tail)
{
	char tmp[128];
	snprintf(tmp, sizeof tmp, "/verzamelingen/%lld%s", id, tail ? tail : "");
	return arena_strdup(r->a, tmp);
}

/* A day as people write it: 1-3-2026 in Dutch, 2026-03-01 in English. */
static const char *day_text(struct req *r, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char tmp[32];
	if (strcmp(r->lang, "en") == 0)
		strftime(tmp, sizeof tmp, "%Y-%m-%d", &tm);
	else
		snprintf(tmp, sizeof tmp, "%d-%d-%d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
	return arena_strdup(r->a, tmp);
}

/* "from 1-3-2026 until 31-5-2026"; ends_at is the start of the day after
 * the last day. */
static void period_text(struct req *r, long long starts, long long ends)
{
	buf *b = &r->out;
	if (!starts && !ends) {
		html_text(b, T(r, "No end date"));
		return;
	}
	if (starts) {
		html_text(b, T(r, "from"));
		html_lit(b, " ");
		html_text(b, day_text(r, starts));
	}
	if (ends) {
		if (starts)
			html_lit(b, " ");
		html_text(b, T(r, "until and including"));
		html_lit(b, " ");
		html_text(b, day_text(r, ends - 86400));
	}
}

enum coll_state { CS_OPEN, CS_CLOSED, CS_NOT_YET, CS_ENDED, CS_NOT_READY };

static enum coll_state state_of(json_t *c, int64_t now)
{
	if (json_is_true(json_object_get(c, "closed")))
		return CS_CLOSED;
	int st = script_status_parse(jstr(json_object_get(c, "script"), "status"));
	if (st != SCRIPT_PILOT && st != SCRIPT_PUBLISHED)
		return CS_NOT_READY;
	long long s = jint(c, "starts_at"), e = jint(c, "ends_at");
	if (s && now < s)
		return CS_NOT_YET;
	if (e && now >= e)
		return CS_ENDED;
	return CS_OPEN;
}

static void state_badge(struct req *r, enum coll_state s)
{
	buf *b = &r->out;
	static const char *const kind[] = {"success", "inactive", "neutral", "inactive", "warning"};
	const char *text = s == CS_OPEN      ? T(r, "open")
	                   : s == CS_CLOSED  ? T(r, "closed")
	                   : s == CS_NOT_YET ? T(r, "not open yet")
	                   : s == CS_ENDED   ? T(r, "period ended")
	                                     : T(r, "script version not usable");
	html_lit(b, "<span class=\"utrecht-status-badge vp-status vp-status--");
	html_attr(b, kind[s]);
	html_lit(b, "\">");
	html_text(b, text);
	html_lit(b, "</span>");
}

/* The organisation's collections and scripts as JSON (NULL on a database
 * error; the caller answers 503). */
static json_t *load_list(struct req *r, int (*fn)(db *, int64_t, buf *))
{
	buf j;
	buf_init(&j);
	int rc = fn(req_db(r), r->app->org_id, &j);
	json_t *list = rc == DB_OK ? json_loads(j.data ? j.data : "[]", 0, NULL) : NULL;
	buf_free(&j);
	return list;
}

/* The collections the signed-in user may see (model/trajectory.h). */
static json_t *load_collections(struct req *r)
{
	buf j;
	buf_init(&j);
	int rc = collection_list_json(req_db(r), r->app->org_id, trajectory_viewer(&r->sess.user),
	                              &j);
	json_t *list = rc == DB_OK ? json_loads(j.data ? j.data : "[]", 0, NULL) : NULL;
	buf_free(&j);
	return list;
}

/* The title of a script in scripts (script_list_json), or "". */
static const char *script_title(json_t *scripts, long long id)
{
	size_t i;
	json_t *s;
	json_array_foreach(scripts, i, s)
	{
		if (jint(s, "id") == id)
			return *jstr(s, "title") ? jstr(s, "title") : jstr(s, "key");
	}
	return "";
}

static void script_cell(struct req *r, json_t *c, json_t *scripts)
{
	buf *b = &r->out;
	json_t *sc = json_object_get(c, "script");
	long long sid = jint(sc, "id"), v = jint(sc, "version");
	html_lit(b, "<a class=\"utrecht-link\" href=\"");
	html_url(b, script_page_path(r, (int64_t)sid, (int)v, NULL));
	html_lit(b, "\">");
	html_text(b, script_title(scripts, sid));
	html_lit(b, ", ");
	html_text(b, T(r, "version"));
	html_lit(b, " ");
	html_int(b, v);
	html_lit(b, "</a> ");
	script_status_badge(r, script_status_parse(jstr(sc, "status")));
}

/* ---- the list and the form ---------------------------------------------------- */

struct form_state {
	int status;            /* 422 or 409 when shown again with a message */
	const char *error;     /* the message (translated) */
	const char *bad_field; /* the id of the field it is about, or NULL */
	const char *title, *purpose, *version, *from, *until, *retention, *trajectory;
};

static void field_label(struct req *r, const char *id, const char *label, const char *help)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
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
}

/* aria-describedby (help, and the error when it is about this field) and
 * aria-invalid. */
static void field_aria(struct req *r, const struct form_state *f, const char *id, int help)
{
	buf *b = &r->out;
	int bad = f && f->bad_field && strcmp(f->bad_field, id) == 0;
	if (help || bad) {
		html_lit(b, " aria-describedby=\"");
		if (bad)
			html_lit(b, "nieuw-fout");
		if (help) {
			if (bad)
				html_lit(b, " ");
			html_attr(b, id);
			html_lit(b, "-help");
		}
		html_lit(b, "\"");
	}
	if (bad)
		html_lit(b, " aria-invalid=\"true\" autofocus");
}

static void input_field(struct req *r, const struct form_state *f, const char *id,
                        const char *label, const char *help, const char *type, const char *value,
                        int required, const char *extra_cls)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--text\">");
	field_label(r, id, label, help);
	html_lit(b, "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-textbox "
	            "utrecht-textbox--html-input");
	if (extra_cls) {
		html_lit(b, " ");
		html_attr(b, extra_cls);
	}
	html_lit(b, "\" id=\"");
	html_attr(b, id);
	html_lit(b, "\" name=\"");
	html_attr(b, id);
	html_lit(b, "\" type=\"");
	html_attr(b, type);
	html_lit(b, "\" autocomplete=\"off\"");
	if (strcmp(type, "number") == 0)
		html_lit(b, " min=\"1\" max=\"36500\" step=\"1\" inputmode=\"numeric\"");
	if (required)
		html_lit(b, " required");
	field_aria(r, f, id, help != NULL);
	if (value) {
		html_lit(b, " value=\"");
		html_attr(b, value);
		html_lit(b, "\"");
	}
	html_lit(b, "></div></div>");
}

static int usable(json_t *v)
{
	int st = script_status_parse(jstr(v, "status"));
	return st == SCRIPT_PILOT || st == SCRIPT_PUBLISHED;
}

/* The options of the version select: every pilot or published version. */
static void version_options(struct req *r, json_t *scripts, const char *selected)
{
	buf *b = &r->out;
	size_t i, k;
	json_t *s, *v;
	json_array_foreach(scripts, i, s)
	{
		json_array_foreach(json_object_get(s, "versions"), k, v)
		{
			if (!usable(v))
				continue;
			int st = script_status_parse(jstr(v, "status"));
			char val[64];
			snprintf(val, sizeof val, "%lld:%lld", jint(s, "id"), jint(v, "version"));
			html_lit(b, "<option value=\"");
			html_attr(b, val);
			html_lit(b, "\"");
			if (selected && strcmp(selected, val) == 0)
				html_lit(b, " selected");
			html_lit(b, ">");
			html_text(b, *jstr(v, "title") ? jstr(v, "title") : jstr(s, "key"));
			html_lit(b, ", ");
			html_text(b, T(r, "version"));
			html_lit(b, " ");
			html_int(b, jint(v, "version"));
			html_lit(b, " (");
			html_text(b, script_status_label(r, st));
			html_lit(b, ")</option>");
		}
	}
}

static int count_versions(json_t *scripts)
{
	int n = 0;
	size_t i, k;
	json_t *s, *v;
	json_array_foreach(scripts, i, s)
	{
		json_array_foreach(json_object_get(s, "versions"), k, v) n += usable(v);
	}
	return n;
}

/* The trajectory a new collection belongs to: one the user works on, or
 * none (then every staff member sees its stories). selected: an id. */
static void trajectory_select(struct req *r, const char *selected)
{
	buf j;
	buf_init(&j);
	int rc = trajectory_list_json(req_db(r), r->app->org_id, trajectory_viewer(&r->sess.user),
	                              &j);
	json_t *list = rc == DB_OK ? json_loads(j.data ? j.data : "[]", 0, NULL) : NULL;
	buf_free(&j);
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--select\">");
	field_label(r, "trajectory", T(r, "Trajectory"),
	            T(r, "Only the staff of the trajectory see the stories. Without a trajectory, "
	                 "all staff see them."));
	html_lit(b, "<div class=\"utrecht-form-field__input\"><select class=\"utrecht-select "
	            "utrecht-select--html-select\" id=\"trajectory\" name=\"trajectory\" "
	            "aria-describedby=\"trajectory-help\"><option value=\"\">");
	html_text(b, T(r, "No trajectory"));
	html_lit(b, "</option>");
	size_t i;
	json_t *t;
	json_array_foreach(list, i, t)
	{
		if (strcmp(page_jstr(t, "status"), "closed") == 0)
			continue;
		char id[24];
		snprintf(id, sizeof id, "%lld", page_jint(t, "id"));
		html_lit(b, "<option value=\"");
		html_attr(b, id);
		html_lit(b, "\"");
		if (selected && strcmp(selected, id) == 0)
			html_lit(b, " selected");
		html_lit(b, ">");
		html_text(b, page_jstr(t, "title"));
		html_lit(b, "</option>");
	}
	html_lit(b, "</select></div></div>");
	json_decref(list);
}

static void new_form(struct req *r, json_t *scripts, const struct form_state *f)
{
	buf *b = &r->out;
	h2(r, "nieuw", T(r, "New collection"));
	if (f && f->error) {
		html_lit(b, "<div class=\"utrecht-alert utrecht-alert--error\" role=\"alert\" "
		            "id=\"nieuw-fout\"><div class=\"utrecht-alert__content\">"
		            "<p class=\"utrecht-paragraph\">");
		html_text(b, f->error);
		html_lit(b, "</p></div></div>");
	}
	if (count_versions(scripts) == 0) {
		para(r, NULL,
		     T(r, "A collection needs an interview script that is being tested (pilot) or "
		          "published. There is none yet."));
		html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
		            "href=\"/vragenlijsten\">");
		html_text(b, T(r, "Go to the interview scripts"));
		html_lit(b, "</a></p>");
		return;
	}
	para(r, NULL,
	     T(r, "A collection gives an interview script a public link, a short code and a QR "
	          "code. Residents use them to tell their story."));
	html_lit(b, "<form class=\"vp-form vp-coll-form\" method=\"post\" "
	            "action=\"/verzamelingen\">");
	page_csrf_field(r);
	input_field(r, f, "title", T(r, "Title"),
	            T(r, "Residents see this title, for example on the poster."), "text",
	            f ? f->title : NULL, 1, NULL);
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--textarea\">");
	field_label(r, "purpose", T(r, "Purpose"),
	            T(r, "Why do you collect these stories? What will you do with them?"));
	html_lit(b, "<div class=\"utrecht-form-field__input\"><textarea class=\"utrecht-textarea "
	            "utrecht-textarea--html-textarea\" id=\"purpose\" name=\"purpose\" rows=\"4\" "
	            "aria-required=\"true\"");
	field_aria(r, f, "purpose", 1);
	html_lit(b, ">");
	html_text(b, f && f->purpose ? f->purpose : "");
	html_lit(b, "</textarea></div></div>");
	trajectory_select(r, f ? f->trajectory : req_query(r, "traject"));
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--select\">");
	field_label(r, "version", T(r, "Interview script and version"),
	            T(r, "Only versions that are being tested (pilot) or published."));
	html_lit(b, "<div class=\"utrecht-form-field__input\"><select class=\"utrecht-select "
	            "utrecht-select--html-select\" id=\"version\" name=\"version\" required");
	field_aria(r, f, "version", 1);
	html_lit(b, ">");
	version_options(r, scripts, f ? f->version : NULL);
	html_lit(b, "</select></div></div>");
	html_lit(b,
	         "<fieldset class=\"utrecht-form-fieldset vp-coll-period\" "
	         "aria-describedby=\"periode-help\"><legend class=\"utrecht-form-fieldset__legend "
	         "utrecht-form-fieldset__legend--html-legend\">");
	html_text(b, T(r, "Period"));
	html_lit(b, "</legend><p class=\"utrecht-form-field__description\" id=\"periode-help\">");
	html_text(b, T(r, "Leave a date empty for no limit. The link works until the end of the "
	                  "last day."));
	html_lit(b, "</p>");
	input_field(r, f, "from", T(r, "From (first day)"), NULL, "date", f ? f->from : NULL, 0,
	            "vp-textbox--short");
	input_field(r, f, "until", T(r, "Until (last day)"), NULL, "date", f ? f->until : NULL, 0,
	            "vp-textbox--short");
	html_lit(b, "</fieldset>");
	char days[16];
	snprintf(days, sizeof days, "%d", COLLECTION_RETENTION_DEFAULT);
	input_field(r, f, "retention", T(r, "Keep stories for (days)"),
	            T(r, "After this many days the stories are deleted. 730 days is 2 years."),
	            "number", f && f->retention ? f->retention : days, 1, "vp-textbox--short");
	html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	            "utrecht-button--primary-action\" type=\"submit\">");
	html_text(b, T(r, "Make the collection"));
	html_lit(b, "</button></div></form>");
}

static const char *ok_message(struct req *r)
{
	const char *ok = req_query(r, "ok");
	if (!ok)
		return NULL;
	if (strcmp(ok, "created") == 0)
		return T(r, "The collection was made. Its link, code and QR code work now.");
	if (strcmp(ok, "closed") == 0)
		return T(r, "The collection is closed. Its link takes no more stories. The stories "
		            "stay.");
	return NULL;
}

static void coll_card(struct req *r, json_t *c, json_t *scripts, int64_t now)
{
	buf *b = &r->out;
	long long id = jint(c, "id");
	html_lit(b, "<li class=\"vp-card vp-coll-card\"><h3 class=\"utrecht-heading-3 "
	            "vp-card__title\"><a class=\"utrecht-link\" href=\"");
	html_url(b, path_of(r, id, NULL));
	html_lit(b, "\">");
	html_text(b, jstr(c, "title"));
	html_lit(b, "</a></h3><p class=\"utrecht-paragraph\">");
	state_badge(r, state_of(c, now));
	html_lit(b, "</p><dl class=\"vp-coll-meta\"><dt>");
	html_text(b, T(r, "Interview script"));
	html_lit(b, "</dt><dd>");
	script_cell(r, c, scripts);
	html_lit(b, "</dd><dt>");
	html_text(b, T(r, "Period"));
	html_lit(b, "</dt><dd>");
	period_text(r, jint(c, "starts_at"), jint(c, "ends_at"));
	html_lit(b, "</dd><dt>");
	html_text(b, T(r, "Stories"));
	html_lit(b, "</dt><dd>");
	html_int(b, jint(c, "stories"));
	html_lit(b, "</dd><dt>");
	html_text(b, T(r, "Link"));
	html_lit(b, "</dt><dd><code class=\"utrecht-code vp-coll-link\">");
	html_text(b, collection_link(r, jstr(c, "token")));
	html_lit(b, "</code></dd><dt>");
	html_text(b, T(r, "Code"));
	html_lit(b, "</dt><dd><code class=\"utrecht-code vp-coll-code\">");
	html_text(b, collection_code_text(r, jstr(c, "short_code")));
	html_lit(b, "</code></dd></dl></li>");
}

static int list_page(struct req *r, const struct form_state *f)
{
	buf *b = &r->out;
	json_t *list = load_collections(r);
	json_t *scripts = list ? load_list(r, script_list_json) : NULL;
	if (!list || !scripts) {
		json_decref(list);
		return web_error(r, 503, NULL);
	}
	int may_edit = collection_may_edit(r);
	int64_t now = (int64_t)time(NULL);
	page_begin(r, T(r, "Collections"));
	html_lit(b, "<h1 class=\"utrecht-heading-1\">");
	html_text(b, T(r, "Collections"));
	html_lit(b, "</h1>");
	para(r, "vp-lead",
	     T(r, "In a collection you gather stories with one interview script, for one purpose "
	          "and one period. Each collection has its own link, code and QR code."));
	const char *ok = ok_message(r);
	if (ok && !f)
		page_alert(r, "ok", ok);
	if (!may_edit)
		para(r, NULL,
		     T(r, "You can look at the collections. Making and closing them is for "
		          "administrators, analysts and facilitators."));
	h2(r, "lijst", T(r, "All collections"));
	if (json_array_size(list) == 0) {
		para(r, NULL, T(r, "There are no collections yet."));
	} else {
		html_lit(b, "<ul class=\"vp-cards vp-coll-list\" aria-labelledby=\"lijst\">");
		size_t i;
		json_t *c;
		json_array_foreach(list, i, c)
		{
			coll_card(r, c, scripts, now);
		}
		html_lit(b, "</ul>");
	}
	if (may_edit)
		new_form(r, scripts, f);
	json_decref(list);
	json_decref(scripts);
	page_end(r);
	return f && f->status ? f->status : 200;
}

/* GET /verzamelingen */
int page_collections(struct req *r)
{
	return list_page(r, NULL);
}

/* ---- making one ------------------------------------------------------------------ */

struct create_job {
	struct collection_new cn;
	struct form_state f;
};

static int create_write(db *d, void *ctx)
{
	struct create_job *j = ((struct req *)ctx)->hctx;
	return collection_create_write(d, &j->cn);
}

static int create_then(struct req *r)
{
	struct create_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (j->cn.result == COLLECTION_NO_SCRIPT) {
		j->f.status = 422;
		j->f.error = T(r, "Choose an interview script and version from the list.");
		j->f.bad_field = "version";
		return list_page(r, &j->f);
	}
	if (j->cn.result == COLLECTION_NO_TRAJECTORY) {
		j->f.error = T(r, "Choose a trajectory you work on, or none.");
		j->f.bad_field = "trajectory";
		return list_page(r, &j->f);
	}
	if (j->cn.result == COLLECTION_NOT_READY) {
		j->f.status = 409;
		j->f.error = T(r, "This version is a draft or retired. Choose a version that is "
		                  "being tested (pilot) or published.");
		j->f.bad_field = "version";
		return list_page(r, &j->f);
	}
	return req_redirect(r, path_of(r, (long long)j->cn.id, "?ok=created"));
}

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

/* "SCRIPT:VERSION" of the select; 0 when malformed. */
static int version_value(struct req *r, const char *s, int64_t *sid, int *ver)
{
	const char *colon = s ? strchr(s, ':') : NULL;
	int64_t v;
	if (!colon || util_parse_id(arena_strndup(r->a, s, (size_t)(colon - s)), sid) ||
	    util_parse_i64(colon + 1, &v) || v < 1 || v > 1000000)
		return 0;
	*ver = (int)v;
	return 1;
}

/* POST /verzamelingen: title, purpose, version ("SCRIPT:VERSION"), from,
 * until (YYYY-MM-DD or empty), retention (days). */
int page_collection_create(struct req *r)
{
	struct create_job *j = arena_zalloc(r->a, sizeof *j);
	struct form_state *f = &j->f;
	f->title = trimmed(r, req_form(r, "title"));
	f->purpose = trimmed(r, req_form(r, "purpose"));
	f->version = trimmed(r, req_form(r, "version"));
	f->from = trimmed(r, req_form(r, "from"));
	f->until = trimmed(r, req_form(r, "until"));
	f->retention = trimmed(r, req_form(r, "retention"));
	f->trajectory = trimmed(r, req_form(r, "trajectory"));
	f->status = 422;
	struct collection_new *cn = &j->cn;
	cn->org_id = r->app->org_id;
	cn->user_id = r->sess.user.id;
	cn->title = f->title ? f->title : "";
	cn->purpose = f->purpose ? f->purpose : "";
	cn->retention_days = COLLECTION_RETENTION_DEFAULT;
	int64_t sid = 0, days = 0;
	int ver = 0;
	if (!*cn->title) {
		f->error = T(r, "Write a title for the collection.");
		f->bad_field = "title";
	} else if (!*cn->purpose) {
		f->error = T(r, "Write the purpose: why you collect these stories.");
		f->bad_field = "purpose";
	} else if (!version_value(r, f->version, &sid, &ver)) {
		f->error = T(r, "Choose an interview script and version from the list.");
		f->bad_field = "version";
	} else if (f->from && *f->from && (cn->starts_at = collection_parse_day(f->from)) < 0) {
		f->error = T(
		        r,
		        "Write the first day as a date: year, month, day, for example 2026-03-01.");
		f->bad_field = "from";
	} else if (f->until && *f->until && (cn->ends_at = collection_parse_day(f->until)) < 0) {
		f->error = T(
		        r,
		        "Write the last day as a date: year, month, day, for example 2026-05-31.");
		f->bad_field = "until";
	} else if (f->retention && *f->retention &&
	           (util_parse_i64(f->retention, &days) || days < 1 || days > 36500)) {
		f->error = T(r, "The retention period is 1 to 36500 days.");
		f->bad_field = "retention";
	} else if (f->trajectory && *f->trajectory &&
	           (util_parse_id(f->trajectory, &cn->trajectory_id) ||
	            trajectory_user_may(req_db(r), r->app->org_id, &r->sess.user,
	                                cn->trajectory_id) != 1)) {
		f->error = T(r, "Choose a trajectory you work on, or none.");
		f->bad_field = "trajectory";
	}
	if (!f->error) {
		if (cn->ends_at > 0)
			cn->ends_at += 86400; /* until and including that day */
		if (days)
			cn->retention_days = (int)days;
		cn->script_id = sid;
		cn->script_version = ver;
		const char *bad = collection_check(cn);
		if (bad) {
			f->error = T(r, bad);
			f->bad_field = strstr(bad, "title")     ? "title"
			               : strstr(bad, "purpose") ? "purpose"
			               : strstr(bad, "period")  ? "until"
			                                        : "retention";
		}
	}
	if (f->error)
		return list_page(r, f);
	r->hctx = j;
	return req_write(r, create_write, create_then);
}

/* ---- one collection ------------------------------------------------------------------ */

/* 1 when the visitor's role may take a story with a client (the roles of
 * POST /verzamelingen/{id}/opnemen in routes.c). */
static int may_take_story(struct req *r)
{
	return route_allows(r, "POST", "/verzamelingen/{id}/opnemen");
}

/* An open collection: start a kiosk on this device (the story form full
 * screen, without a way out, starting again by itself), and, for who may,
 * take a story with a client. */
static void telling_section(struct req *r, json_t *c, long long id)
{
	buf *b = &r->out;
	h2(r, "vertellen", T(r, "Kiosk and stories taken with a client"));
	html_lit(b, "<div class=\"vp-coll-tell\"><section class=\"vp-coll-tell__kiosk\" "
	            "aria-labelledby=\"kiosk-kop\"><h3 class=\"utrecht-heading-3\" "
	            "id=\"kiosk-kop\">");
	html_text(b, T(r, "Kiosk"));
	html_lit(b, "</h3>");
	para(r, NULL,
	     T(r, "A tablet or computer in a public place where people tell their story one "
	          "after the other. The kiosk shows only the form. After sending, or when nobody "
	          "uses it for a while, it deletes what was typed and starts again."));
	para(r, NULL,
	     T(r, "Log out on this device first if other people will use it, or start the kiosk "
	          "on a device without a staff login."));
	char tmp[128];
	snprintf(tmp, sizeof tmp, "/v/%s/kiosk", jstr(c, "token"));
	html_lit(b, "<form class=\"vp-form vp-coll-kiosk-form\" method=\"get\" action=\"");
	html_url(b, tmp);
	html_lit(b, "\">");
	page_text_field(r, "stil", T(r, "Seconds without use before the kiosk warns"),
	                T(r, "From 1 to 3600. After the warning the kiosk waits 30 seconds more."),
	                "number", "off", "90", 0);
	html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	            "utrecht-button--primary-action vp-coll-kiosk\" type=\"submit\">");
	html_text(b, T(r, "Start kiosk"));
	html_lit(b, "</button></div></form></section>");
	if (may_take_story(r)) {
		html_lit(b,
		         "<section class=\"vp-coll-tell__staff\" aria-labelledby=\"opnemen-kop\">"
		         "<h3 class=\"utrecht-heading-3\" id=\"opnemen-kop\">");
		html_text(b, T(r, "Take a story with a client"));
		html_lit(b, "</h3>");
		para(r, NULL,
		     T(r, "Face to face, by phone, or from a paper form: you type the client's "
		          "answers, then your own answers as conversation lead. Both are stored "
		          "apart."));
		html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-button-link "
		            "utrecht-button-link--html-a utrecht-button-link--secondary-action "
		            "vp-button-link vp-coll-take\" href=\"");
		html_url(b, path_of(r, id, "/opnemen"));
		html_lit(b, "\">");
		html_text(b, T(r, "Take a story with a client"));
		html_lit(b, "</a></p></section>");
	}
	html_lit(b, "</div>");
}

/* The collection of the route's {id} from the list (with purpose and story
 * count), or NULL with the error answered in *status. Free with
 * json_decref of *list. */
static json_t *route_collection(struct req *r, json_t **list, int *status)
{
	int64_t id;
	*list = NULL;
	if (util_parse_id(req_param(r, 0), &id)) {
		*status = web_error(r, 404, NULL);
		return NULL;
	}
	*list = load_collections(r);
	if (!*list) {
		*status = web_error(r, 503, NULL);
		return NULL;
	}
	size_t i;
	json_t *c;
	json_array_foreach(*list, i, c)
	{
		if (jint(c, "id") == (long long)id)
			return c;
	}
	json_decref(*list);
	*list = NULL;
	*status = web_error(r, 404, NULL);
	return NULL;
}

/* The details; close_error (or NULL) is shown at the close form, which
 * then answers 422. */
static int details_page(struct req *r, const char *close_error)
{
	int status;
	json_t *list;
	json_t *c = route_collection(r, &list, &status);
	if (!c)
		return status;
	json_t *scripts = load_list(r, script_list_json);
	if (!scripts) {
		json_decref(list);
		return web_error(r, 503, NULL);
	}
	buf *b = &r->out;
	long long id = jint(c, "id");
	enum coll_state st = state_of(c, (int64_t)time(NULL));
	const char *link = collection_link(r, jstr(c, "token"));
	page_begin(r, jstr(c, "title"));
	html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
	            "href=\"/verzamelingen\">");
	html_text(b, T(r, "All collections"));
	html_lit(b, "</a></p><h1 class=\"utrecht-heading-1\">");
	html_text(b, jstr(c, "title"));
	html_lit(b, "</h1><p class=\"utrecht-paragraph\">");
	state_badge(r, st);
	html_lit(b, "</p>");
	const char *ok = ok_message(r);
	if (ok)
		page_alert(r, "ok", ok);

	h2(r, "delen", T(r, "Link, code and QR code"));
	para(r, NULL,
	     T(r, "Residents open the link, scan the QR code with their phone, or type the "
	          "code."));
	html_lit(b,
	         "<div class=\"vp-coll-share\"><dl class=\"vp-facts vp-coll-share__facts\"><dt>");
	html_text(b, T(r, "Link"));
	html_lit(b, "</dt><dd><a class=\"utrecht-link vp-coll-link\" href=\"");
	html_url(b, link);
	html_lit(b, "\">");
	html_text(b, link);
	html_lit(b, "</a></dd><dt>");
	html_text(b, T(r, "Code"));
	html_lit(b, "</dt><dd><code class=\"utrecht-code vp-coll-code\">");
	html_text(b, collection_code_text(r, jstr(c, "short_code")));
	html_lit(b, "</code></dd></dl><figure class=\"vp-coll-qr\">");
	qr_svg(b, link, 4);
	html_lit(b, "<figcaption>");
	html_text(b, T(r, "QR code with the link"));
	html_lit(b, "</figcaption></figure></div>");
	html_lit(b, "<ul class=\"utrecht-unordered-list vp-links vp-coll-print\"><li>"
	            "<a class=\"utrecht-link\" href=\"");
	html_url(b, path_of(r, id, "/poster"));
	html_lit(b, "\">");
	html_text(b, T(r, "Poster to print (A4)"));
	html_lit(b, "</a></li><li><a class=\"utrecht-link\" href=\"");
	html_url(b, path_of(r, id, "/flyer"));
	html_lit(b, "\">");
	html_text(b, T(r, "Flyer to print (A6)"));
	html_lit(b, "</a></li><li><a class=\"utrecht-link\" href=\"");
	html_url(b, path_of(r, id, "/qr.svg?download=1"));
	html_lit(b, "\" download>");
	html_text(b, T(r, "Download the QR code (SVG)"));
	html_lit(b, "</a></li>");
	/* The explorer's charts of this collection (page_explore.c). */
	html_lit(b, "<li><a class=\"utrecht-link vp-coll-explore\" href=\"");
	{
		char explore[64];
		snprintf(explore, sizeof explore, "/verkennen/%lld", id);
		html_url(b, explore);
	}
	html_lit(b, "\">");
	html_text(b, T(r, "Explore the stories"));
	html_lit(b, "</a></li></ul>");
	if (st == CS_OPEN)
		telling_section(r, c, id);

	h2(r, "gegevens", T(r, "Details"));
	html_lit(b, "<dl class=\"vp-facts\"><dt>");
	html_text(b, T(r, "Purpose"));
	html_lit(b, "</dt><dd>");
	script_paragraphs(r, jstr(c, "purpose"), NULL);
	html_lit(b, "</dd><dt>");
	html_text(b, T(r, "Interview script"));
	html_lit(b, "</dt><dd>");
	script_cell(r, c, scripts);
	html_lit(b, "</dd><dt>");
	html_text(b, T(r, "Period"));
	html_lit(b, "</dt><dd>");
	period_text(r, jint(c, "starts_at"), jint(c, "ends_at"));
	html_lit(b, "</dd><dt>");
	html_text(b, T(r, "Stories are kept for"));
	html_lit(b, "</dt><dd>");
	html_int(b, jint(c, "retention_days"));
	html_lit(b, " ");
	html_text(b, T(r, "days"));
	html_lit(b, "</dd><dt>");
	html_text(b, T(r, "Stories"));
	html_lit(b, "</dt><dd>");
	html_int(b, jint(c, "stories"));
	html_lit(b, "</dd></dl>");

	if (st != CS_CLOSED && collection_may_edit(r)) {
		h2(r, "sluiten", T(r, "Close the collection"));
		para(r, NULL,
		     T(r, "After closing, the link and the code take no more stories. The stories "
		          "that came in stay. You cannot open the collection again."));
		if (close_error) {
			html_lit(b,
			         "<div class=\"utrecht-alert utrecht-alert--error\" role=\"alert\" "
			         "id=\"sluiten-fout\"><div class=\"utrecht-alert__content\">"
			         "<p class=\"utrecht-paragraph\">");
			html_text(b, close_error);
			html_lit(b, "</p></div></div>");
		}
		html_lit(b, "<form class=\"vp-form vp-coll-close-form\" method=\"post\" action=\"");
		html_url(b, path_of(r, id, "/sluiten"));
		html_lit(b, "\">");
		page_csrf_field(r);
		/* Closing cannot be undone: a box to tick first. */
		html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--checkbox "
		            "vp-coll-confirm\"><div class=\"utrecht-form-field__input\"><input "
		            "class=\"utrecht-checkbox utrecht-checkbox--html-input\" "
		            "type=\"checkbox\" id=\"bevestig\" name=\"confirm\" value=\"yes\"");
		if (close_error)
			html_lit(b, " aria-invalid=\"true\" aria-describedby=\"sluiten-fout\" "
			            "autofocus");
		html_lit(b, "> <label class=\"utrecht-form-label utrecht-form-label--checkbox\" "
		            "for=\"bevestig\">");
		html_text(b, T(r, "Yes, close this collection. This cannot be undone."));
		html_lit(b,
		         "</label></div></div><div class=\"utrecht-button-group\"><button "
		         "class=\"utrecht-button utrecht-button--secondary-action vp-coll-close\" "
		         "type=\"submit\">");
		html_text(b, T(r, "Close the collection"));
		html_lit(b, "</button></div></form>");
	}
	json_decref(list);
	json_decref(scripts);
	page_end(r);
	return close_error ? 422 : 200;
}

/* GET /verzamelingen/{id} */
int page_collection(struct req *r)
{
	return details_page(r, NULL);
}

static int close_write(db *d, void *ctx)
{
	struct collection_close *cc = ((struct req *)ctx)->hctx;
	return collection_close_write(d, cc);
}

static int close_then(struct req *r)
{
	struct collection_close *cc = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (cc->result != COLLECTION_OK)
		return web_error(r, 404, NULL);
	return req_redirect(r, path_of(r, (long long)cc->id, "?ok=closed"));
}

/* POST /verzamelingen/{id}/sluiten: confirm=yes closes. */
int page_collection_close(struct req *r)
{
	struct collection_close *cc = arena_zalloc(r->a, sizeof *cc);
	if (util_parse_id(req_param(r, 0), &cc->id))
		return web_error(r, 404, NULL);
	cc->org_id = r->app->org_id;
	const char *confirm = req_form(r, "confirm");
	if (!confirm || strcmp(confirm, "yes") != 0)
		return details_page(r, T(r, "Tick the box to say that you want to close the "
		                            "collection."));
	r->hctx = cc;
	return req_write(r, close_write, close_then);
}

/* ---- print and download ------------------------------------------------------------- */

/* The poster (A4) or the flyer (A6): the page frame for the screen, and
 * only the sheet in print (assets/app.css, "collections"). */
static int print_page(struct req *r, int poster)
{
	int status;
	json_t *list;
	json_t *c = route_collection(r, &list, &status);
	if (!c)
		return status;
	buf *b = &r->out;
	long long id = jint(c, "id");
	const char *link = collection_link(r, jstr(c, "token"));
	const char *code = collection_code_text(r, jstr(c, "short_code"));
	page_begin(r, poster ? T(r, "Poster") : T(r, "Flyer"));
	html_lit(b, "<div class=\"vp-print-hide vp-sheet-note\"><p class=\"utrecht-paragraph\">"
	            "<a class=\"utrecht-link\" href=\"");
	html_url(b, path_of(r, id, NULL));
	html_lit(b, "\">");
	html_text(b, T(r, "Back to the collection"));
	html_lit(b, "</a></p><h1 class=\"utrecht-heading-1\">");
	html_text(b, poster ? T(r, "Poster") : T(r, "Flyer"));
	html_lit(b, ": ");
	html_text(b, jstr(c, "title"));
	html_lit(b, "</h1>");
	para(r, NULL,
	     poster ? T(r, "This page is made to print on A4 paper. Use Print in your browser "
	                   "(Ctrl+P). Only the poster below is printed.")
	            : T(r, "This page is made to print on A6 paper (a quarter of A4). Use Print "
	                   "in your browser (Ctrl+P). Only the flyer below is printed."));
	html_lit(b, "</div>");
	if (poster)
		html_lit(b,
		         "<article class=\"vp-sheet vp-sheet--a4\" aria-labelledby=\"sheet-kop\">");
	else
		html_lit(b,
		         "<article class=\"vp-sheet vp-sheet--a6\" aria-labelledby=\"sheet-kop\">");
	html_lit(b, "<p class=\"vp-sheet__org\">");
	html_text(b, r->app->org_name[0] ? r->app->org_name : "Vertelpunt");
	html_lit(b, "</p><h2 class=\"vp-sheet__call\" id=\"sheet-kop\">");
	html_text(b, T(r, "Tell us your story"));
	html_lit(b, "</h2><p class=\"vp-sheet__title\">");
	html_text(b, jstr(c, "title"));
	html_lit(b, "</p><figure class=\"vp-sheet__qr\">");
	qr_svg(b, link, 8);
	html_lit(b, "<figcaption>");
	html_text(b, T(r, "Scan the code with the camera of your phone."));
	html_lit(b, "</figcaption></figure><p class=\"vp-sheet__or\">");
	html_text(b, T(r, "Or go to this address:"));
	html_lit(b, "</p><p class=\"vp-sheet__link\">");
	html_text(b, link);
	html_lit(b, "</p><p class=\"vp-sheet__or\">");
	html_text(b, T(r, "Or go to the website below and type this code:"));
	html_lit(b, "</p><p class=\"vp-sheet__site\">");
	{
		/* The code page of the same site as the link. */
		const char *v = strstr(link, "/v/");
		size_t n = v ? (size_t)(v - link) : 0;
		char *at = arena_alloc(r->a, n + 6);
		memcpy(at, link, n);
		memcpy(at + n, "/code", 6);
		html_text(b, at);
	}
	html_lit(b, "</p><p class=\"vp-sheet__code\">");
	html_text(b, code);
	html_lit(b, "</p><p class=\"vp-sheet__offline\">");
	html_text(b, T(r, "No phone or computer? You can also tell your story at the counter of "
	                  "the town hall, or by phone. A staff member writes it down with you."));
	html_lit(b, "</p></article>");
	json_decref(list);
	page_end(r);
	return 200;
}

/* GET /verzamelingen/{id}/poster */
int page_collection_poster(struct req *r)
{
	return print_page(r, 1);
}

/* GET /verzamelingen/{id}/flyer */
int page_collection_flyer(struct req *r)
{
	return print_page(r, 0);
}

/* GET /verzamelingen/{id}/qr.svg: the QR code alone; ?download=1 as a file. */
int page_collection_qr(struct req *r)
{
	int status;
	json_t *list;
	json_t *c = route_collection(r, &list, &status);
	if (!c)
		return status;
	const char *link = collection_link(r, jstr(c, "token"));
	long long id = jint(c, "id");
	json_decref(list);
	buf_reset(&r->out);
	html_lit(&r->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (qr_svg(&r->out, link, 10) < 0)
		return web_error(r, 500, NULL);
	r->resp_type = "image/svg+xml";
	const char *dl = req_query(r, "download");
	if (dl && strcmp(dl, "1") == 0) {
		char *cd = arena_alloc(r->a, 96);
		snprintf(cd, 96, "attachment; filename=\"verzameling-%lld-qr.svg\"", id);
		req_set_header(r, "Content-Disposition", cd);
	}
	return 200;
}
