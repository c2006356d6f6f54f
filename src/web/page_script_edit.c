/* page_script_edit.c: the editor of one script version: its texts, its questions, the checks and the status. */
#include "web/pages.h"

#include "core/log.h"
#include "core/util.h"
#include "http/server.h"
#include "io/image.h"
#include "model/script.h"
#include "model/script_store.h"
#include "model/upload.h"
#include "web/html.h"
#include "web/i18n.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Every change works on the draft's JSON: the stored body is loaded, the
 * json_t changed, and the reader (script_parse) judges the result. Only
 * what it accepts is stored, through script_update_write; its message is
 * shown otherwise, with what was typed. Languages other than nl and en
 * are carried along untouched. */

enum { ROWS_MAX = 200, NEW_ROWS = 2, EDIT_REFUSED = 4242 };

/* ---- small pieces ----------------------------------------------------------- */

static void para(struct req *r, const char *text)
{
	html_lit(&r->out, "<p class=\"utrecht-paragraph\">");
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

static void h3(struct req *r, const char *id, const char *text)
{
	html_lit(&r->out, "<h3 class=\"utrecht-heading-3 vp-ed-h3\"");
	if (id) {
		html_lit(&r->out, " id=\"");
		html_attr(&r->out, id);
		html_lit(&r->out, "\"");
	}
	html_lit(&r->out, ">");
	html_text(&r->out, text);
	html_lit(&r->out, "</h3>");
}

static void hidden_name(struct req *r, const char *name)
{
	html_lit(&r->out, "<span class=\"vp-visually-hidden\">: ");
	html_text(&r->out, name);
	html_lit(&r->out, "</span>");
}

static void hidden_input(struct req *r, const char *name, const char *value)
{
	html_lit(&r->out, "<input type=\"hidden\" name=\"");
	html_attr(&r->out, name);
	html_lit(&r->out, "\" value=\"");
	html_attr(&r->out, value);
	html_lit(&r->out, "\">");
}

static void button(struct req *r, int primary, const char *text, const char *hidden)
{
	if (primary)
		html_lit(&r->out, "<button class=\"utrecht-button utrecht-button--primary-action\" "
		                  "type=\"submit\">");
	else
		html_lit(&r->out,
		         "<button class=\"utrecht-button utrecht-button--secondary-action\" "
		         "type=\"submit\">");
	html_text(&r->out, text);
	if (hidden)
		hidden_name(r, hidden);
	html_lit(&r->out, "</button>");
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* A text object's string in lang ("" when absent). */
static const char *jlang(json_t *text, const char *lang)
{
	const char *s = json_string_value(json_object_get(text, lang));
	return s ? s : "";
}

/* A text in the interface language, else Dutch. */
static const char *jshow(struct req *r, json_t *text)
{
	const char *s = jlang(text, r->lang);
	return *s ? s : jlang(text, "nl");
}

/* A form value trimmed, with CR LF as LF (in the arena); "" when absent. */
static const char *form_text(struct req *r, const char *name)
{
	const char *s = req_form(r, name);
	if (!s)
		return "";
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	char *out = arena_alloc(r->a, n + 1), *o = out;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
			*o++ = s[i];
	*o = 0;
	return out;
}

static int form_on(struct req *r, const char *name)
{
	const char *v = req_form(r, name);
	return v && *v;
}

/* The element id for a reader's field path: "options[2].label.nl" ->
 * "options-2-label-nl"; conditions have one place, "show-if". */
static const char *field_anchor(struct req *r, const char *path)
{
	if (!path || !*path)
		return NULL;
	if (strncmp(path, "show_if", 7) == 0)
		return "show-if";
	char *out = arena_alloc(r->a, strlen(path) + 1), *o = out;
	for (const char *p = path; *p; p++) {
		char c = (*p == '[' || *p == ']' || *p == '.') ? '-' : *p;
		if (c == '-' && (o == out || o[-1] == '-'))
			continue;
		*o++ = c;
	}
	while (o > out && o[-1] == '-')
		o--;
	*o = 0;
	return out;
}

/* A reader's message "sections[1].questions[2] (q-x).options[0].id: ..."
 * split into the question id (or NULL) and the field path after it (or
 * NULL), both in the arena. */
static void reader_place(struct req *r, const char *err, const char **qid, const char **field)
{
	*qid = NULL;
	*field = NULL;
	const char *colon = strstr(err, ": ");
	size_t head = colon ? (size_t)(colon - err) : strlen(err);
	const char *open = strstr(err, "] (");
	if (open && (size_t)(open - err) < head) {
		const char *id = open + 3, *close = strchr(id, ')');
		if (close && (size_t)(close - err) < head) {
			*qid = arena_strndup(r->a, id, (size_t)(close - id));
			if (close[1] == '.')
				*field = arena_strndup(r->a, close + 2,
				                       head - (size_t)(close + 2 - err));
			return;
		}
	}
	if (head)
		*field = arena_strndup(r->a, err, head);
}

/* ---- the draft's JSON ---------------------------------------------------------- */

struct draft {
	int64_t id;
	int version;
	struct script_version v;
	json_t *root;
};

static void draft_close(struct draft *d)
{
	script_version_free(&d->v);
	json_decref(d->root);
	d->root = NULL;
}

/* Loads the route's version; answers 404/409/503 itself (returns -1 with
 * *status). With must_draft, only a draft. */
static int draft_open(struct req *r, struct draft *d, int must_draft, int *status)
{
	memset(d, 0, sizeof *d);
	if (!script_route_ids(r, &d->id, &d->version)) {
		*status = web_error(r, 404, NULL);
		return -1;
	}
	int rc = script_version_get(req_db(r), r->app->org_id, d->id, d->version, &d->v);
	if (rc != DB_OK) {
		*status = web_error(r, rc == DB_DONE ? 404 : 503, NULL);
		return -1;
	}
	if (must_draft && d->v.status != SCRIPT_DRAFT) {
		script_version_free(&d->v);
		*status = web_error(r, 409,
		                    N_("Only a draft can be changed. Make a new version first."));
		return -1;
	}
	d->root = json_loads(d->v.body, 0, NULL);
	if (!d->root) {
		script_version_free(&d->v);
		*status = web_error(r, 500, NULL);
		return -1;
	}
	return 0;
}

static json_t *sections_of(json_t *root)
{
	return json_object_get(root, "sections");
}

static json_t *questions_of(json_t *sec)
{
	return json_object_get(sec, "questions");
}

/* The question with id, and where it is; NULL when absent. */
static json_t *find_question(json_t *root, const char *qid, size_t *si, size_t *qi)
{
	size_t i, k;
	json_t *sec, *q;
	json_array_foreach(sections_of(root), i, sec)
	{
		json_array_foreach(questions_of(sec), k, q)
		{
			if (strcmp(jstr(q, "id"), qid) == 0) {
				if (si)
					*si = i;
				if (qi)
					*qi = k;
				return q;
			}
		}
	}
	return NULL;
}

/* Ids already used: in this draft, and by questions of earlier versions
 * (an id that meant something else once must not come back). */
struct idset {
	const char **s;
	size_t n, cap;
};

static void idset_add(struct req *r, struct idset *set, const char *id)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		const char **s = arena_alloc(r->a, cap * sizeof *s);
		if (set->n)
			memcpy(s, set->s, set->n * sizeof *s);
		set->s = s;
		set->cap = cap;
	}
	set->s[set->n++] = arena_strdup(r->a, id);
}

static int idset_has(const struct idset *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->s[i], id) == 0)
			return 1;
	return 0;
}

static void ids_of_root(struct req *r, json_t *root, struct idset *set)
{
	size_t i, k;
	json_t *sec, *q;
	json_array_foreach(sections_of(root), i, sec)
	{
		idset_add(r, set, jstr(sec, "id"));
		json_array_foreach(questions_of(sec), k, q) idset_add(r, set, jstr(q, "id"));
	}
}

static void ids_in_use(struct req *r, struct draft *d, struct idset *set)
{
	memset(set, 0, sizeof *set);
	ids_of_root(r, d->root, set);
	for (int v = 1; v < d->version; v++) {
		struct script_version old;
		if (script_version_get(req_db(r), r->app->org_id, d->id, v, &old) != DB_OK)
			continue;
		json_t *root = json_loads(old.body, 0, NULL);
		if (root)
			ids_of_root(r, root, set);
		json_decref(root);
		script_version_free(&old);
	}
}

static const char *fresh_id(struct req *r, const struct idset *set, const char *prefix)
{
	for (int k = 1;; k++) {
		const char *id = page_printf(r, "%s-%d", prefix, k);
		if (!idset_has(set, id))
			return id;
	}
}

/* Sets obj[key] to a text with nl and en from the form; other languages of
 * the old text stay. An optional text that ends up empty is removed. */
static void set_text(json_t *obj, const char *key, const char *nl, const char *en, int required)
{
	json_t *old = json_object_get(obj, key);
	json_t *t = json_object();
	json_object_set_new(t, "nl", json_string(nl));
	if (*en)
		json_object_set_new(t, "en", json_string(en));
	const char *k;
	json_t *v;
	if (json_is_object(old))
		json_object_foreach(old, k, v) if (strcmp(k, "nl") && strcmp(k, "en"))
		        json_object_set(t, k, v);
	if (!required && !*nl && json_object_size(t) == 1) {
		json_object_del(obj, key);
		json_decref(t);
	} else {
		json_object_set_new(obj, key, t);
	}
}

/* The same from the form fields BASE-nl and BASE-en. */
static void set_text_form(struct req *r, json_t *obj, const char *key, const char *base,
                          int required)
{
	set_text(obj, key, form_text(r, page_printf(r, "%s-nl", base)),
	         form_text(r, page_printf(r, "%s-en", base)), required);
}

static void set_flag(json_t *obj, const char *key, int on, int dflt)
{
	if (on == dflt)
		json_object_del(obj, key);
	else
		json_object_set_new(obj, key, on ? json_true() : json_false());
}

/* A number field: empty removes the key; a number is stored as such; what
 * is no number is stored as typed, for the reader to refuse by name. */
static void set_number(json_t *obj, const char *key, const char *s)
{
	if (!*s) {
		json_object_del(obj, key);
		return;
	}
	char *end;
	errno = 0;
	double x = strtod(s, &end);
	if (*end || errno || !isfinite(x) || end == s)
		json_object_set_new(obj, key, json_string(s));
	else if (x == floor(x) && fabs(x) < 9e15)
		json_object_set_new(obj, key, json_integer((json_int_t)x));
	else
		json_object_set_new(obj, key, json_real(x));
}

/* A question's options (prompts, poles, ...) from the form rows KEY-I-*,
 * each based on the stored entry it came from (KEY-I-from), so that its
 * other languages stay. New rows without an id get one from their label.
 * Every entry carries "_from" for showing the form again; strip_private
 * removes it before the reader sees the question. */
static json_t *read_rows(struct req *r, const char *key, const char *textkey, json_t *old,
                         int fixed)
{
	json_t *arr = json_array();
	int64_t n = 0;
	const char *rows = req_form(r, page_printf(r, "%s-rows", key));
	if (!rows || util_parse_i64(rows, &n) || n < 0)
		n = 0;
	if (n > ROWS_MAX + NEW_ROWS)
		n = ROWS_MAX + NEW_ROWS;
	for (int i = 0; i < (int)n; i++) {
		const char *id = form_text(r, page_printf(r, "%s-%d-id", key, i));
		const char *nl = form_text(r, page_printf(r, "%s-%d-%s-nl", key, i, textkey));
		const char *en = form_text(r, page_printf(r, "%s-%d-%s-en", key, i, textkey));
		const char *from = form_text(r, page_printf(r, "%s-%d-from", key, i));
		if (!fixed && form_on(r, page_printf(r, "%s-%d-del", key, i)))
			continue;
		if (!fixed && !*from && !*id && !*nl && !*en)
			continue; /* an empty new row */
		json_t *base = NULL;
		size_t k;
		json_t *o;
		if (*from)
			json_array_foreach(old, k, o) if (strcmp(jstr(o, "id"), from) == 0) base =
			        o;
		json_t *e = base ? json_deep_copy(base) : json_object();
		if (!*id) {
			char s[57];
			util_slug(*nl ? nl : en, s, 57, "vragenlijst");
			const char *cand =
			        strcmp(s, "vragenlijst") == 0 ? "o" : arena_strdup(r->a, s);
			const char *try = cand;
			for (int m = 2;; m++) {
				int taken = 0;
				json_array_foreach(arr, k, o) taken |=
				        strcmp(jstr(o, "id"), try) == 0;
				for (int j = 0; j < (int)n && !taken; j++)
					taken |= j != i &&
					         strcmp(form_text(r, page_printf(r, "%s-%d-id", key,
					                                         j)),
					                try) == 0;
				if (!taken && strcmp(try, "o") != 0)
					break;
				try = page_printf(r, "%s-%d", cand, m);
			}
			id = try;
		}
		json_object_set_new(e, "id", json_string(id));
		set_text(e, textkey, nl, en, 1);
		json_object_set_new(e, "_from", json_string(from));
		json_array_append_new(arr, e);
	}
	return arr;
}

/* A copy of q without the "_from" marks of read_rows. */
static json_t *strip_private(json_t *q)
{
	json_t *c = json_deep_copy(q);
	static const char *const keys[] = {"prompts", "options", "poles", "corners", "stones"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		size_t k;
		json_t *o;
		json_array_foreach(json_object_get(c, keys[i]), k, o) json_object_del(o, "_from");
	}
	return c;
}

/* The key of the options and the key of their text, per type. */
static const char *rows_key(int type)
{
	switch (type) {
	case Q_STORY: return "prompts";
	case Q_CHOICE:
	case Q_MULTI: return "options";
	case Q_DYAD: return "poles";
	case Q_TRIAD: return "corners";
	case Q_STONES: return "stones";
	default: return NULL;
	}
}

static const char *rows_textkey(int type)
{
	return type == Q_STORY ? "text" : "label";
}

static json_t *lt(const char *nl, const char *en)
{
	json_t *o = json_object();
	json_object_set_new(o, "nl", json_string(nl));
	json_object_set_new(o, "en", json_string(en));
	return o;
}

static json_t *entry(const char *id, const char *key, const char *nl, const char *en)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, key, lt(nl, en));
	return o;
}

static json_t *axis(const char *nl, const char *en)
{
	json_t *a = json_object();
	json_object_set_new(a, "label", lt(nl, en));
	json_object_set_new(a, "low", lt("Weinig", "Little"));
	json_object_set_new(a, "high", lt("Veel", "Much"));
	return a;
}

/* A new question of type with sensible first texts in plain Dutch and
 * English; the editor changes them next. image: the upload token for a pin
 * question. */
static json_t *new_question(int type, const char *id, const char *image)
{
	json_t *q = json_object(), *arr;
	json_object_set_new(q, "id", json_string(id));
	json_object_set_new(q, "type", json_string(q_type_name((enum q_type)type)));
	switch (type) {
	case Q_STORY:
		json_object_set_new(q, "text",
		                    lt("Vertel nog een verhaal.", "Tell another story."));
		arr = json_array();
		json_array_append_new(arr,
		                      entry("p-1", "text",
		                            "Vertel over een moment dat belangrijk voor u was.",
		                            "Tell us about a moment that mattered to you."));
		json_object_set_new(q, "prompts", arr);
		break;
	case Q_TEXT:
		json_object_set_new(
		        q, "text",
		        lt("Wat wilt u nog vertellen?", "What else would you like to tell us?"));
		break;
	case Q_CHOICE:
		json_object_set_new(q, "text",
		                    lt("Over wie gaat uw verhaal?", "Who is your story about?"));
		arr = json_array();
		json_array_append_new(arr,
		                      entry("mijzelf", "label", "Over mijzelf", "About myself"));
		json_array_append_new(arr, entry("iemand-anders", "label", "Over iemand anders",
		                                 "About someone else"));
		json_object_set_new(q, "options", arr);
		break;
	case Q_MULTI:
		json_object_set_new(q, "text",
		                    lt("Wie speelden een rol in uw verhaal?",
		                       "Who played a part in your story?"));
		arr = json_array();
		json_array_append_new(arr, entry("familie", "label", "Familie", "Family"));
		json_array_append_new(arr, entry("buren", "label", "Buren", "Neighbours"));
		json_array_append_new(
		        arr, entry("gemeente", "label", "De gemeente", "The municipality"));
		json_object_set_new(q, "options", arr);
		break;
	case Q_SCALE:
		json_object_set_new(
		        q, "text", lt("Hoe voelde u zich daarna?", "How did you feel afterwards?"));
		json_object_set_new(q, "points", json_integer(5));
		json_object_set_new(q, "low", lt("Heel slecht", "Very bad"));
		json_object_set_new(q, "high", lt("Heel goed", "Very good"));
		break;
	case Q_DYAD:
		json_object_set_new(q, "text",
		                    lt("Waar ging het in uw verhaal vooral om?",
		                       "What was your story mostly about?"));
		arr = json_array();
		json_array_append_new(
		        arr, entry("snel", "label", "Snel geholpen worden", "Getting help fast"));
		json_array_append_new(arr, entry("goed", "label", "Goed geholpen worden",
		                                 "Getting the right help"));
		json_object_set_new(q, "poles", arr);
		break;
	case Q_TRIAD:
		json_object_set_new(q, "text",
		                    lt("Wat hielp u het meest?", "What helped you most?"));
		arr = json_array();
		json_array_append_new(
		        arr, entry("gemeente", "label", "De gemeente", "The municipality"));
		json_array_append_new(
		        arr, entry("omgeving", "label", "Mensen om mij heen", "People around me"));
		json_array_append_new(arr, entry("zelf", "label", "Ikzelf", "Myself"));
		json_object_set_new(q, "corners", arr);
		break;
	case Q_STONES:
		json_object_set_new(q, "text",
		                    lt("Zet elke steen op de goede plek.",
		                       "Put each stone in the right place."));
		arr = json_array();
		json_array_append_new(arr, entry("steen-1", "label", "Steen 1", "Stone 1"));
		json_object_set_new(q, "stones", arr);
		json_object_set_new(q, "x", axis("Horizontaal", "Horizontal"));
		json_object_set_new(q, "y", axis("Verticaal", "Vertical"));
		break;
	case Q_PIN:
		json_object_set_new(q, "text",
		                    lt("Waar gebeurde het? Zet een speld op de kaart.",
		                       "Where did it happen? Put a pin on the map."));
		json_object_set_new(q, "image", json_string(image ? image : ""));
		break;
	case Q_DATE:
		json_object_set_new(q, "text", lt("Wanneer gebeurde het?", "When did it happen?"));
		break;
	case Q_NUMBER:
		json_object_set_new(
		        q, "text",
		        lt("Hoeveel mensen waren erbij?", "How many people were there?"));
		break;
	default: json_object_set_new(q, "text", lt("Nieuwe vraag", "New question")); break;
	}
	return q;
}

/* ---- writing ------------------------------------------------------------------------- */

struct edit_job {
	struct script_update_job update;
	struct script *script;
	struct page_picture pic;
	const char *redirect;
};

static int edit_write(db *d, void *ctx)
{
	struct edit_job *j = ((struct req *)ctx)->hctx;
	int rc;
	if ((rc = page_picture_insert(d, &j->pic)) != DB_OK)
		return rc;
	if ((rc = script_update_write(d, &j->update)) != DB_OK)
		return rc;
	/* A refusal rolls back the picture's row too. */
	return j->update.result == SCRIPT_OK ? 0 : EDIT_REFUSED;
}

static int edit_then(struct req *r)
{
	struct edit_job *j = r->hctx;
	script_free(j->script);
	j->script = NULL;
	if (r->write_rc != 0)
		page_picture_abandon(&j->pic);
	if (r->write_rc == EDIT_REFUSED) {
		if (j->update.result == SCRIPT_NOT_FOUND)
			return web_error(r, 404, NULL);
		return web_error(r, 409,
		                 N_("Only a draft can be changed. Make a new version first."));
	}
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	return req_redirect(r, j->redirect);
}

/* Stores the parsed sc as the draft's new body (and the picture in up, if
 * any), then sends the browser to redirect. Closes d. */
static int draft_save(struct req *r, struct draft *d, struct script *sc, struct edit_job *j,
                      const char *redirect)
{
	if (!j)
		j = arena_zalloc(r->a, sizeof *j);
	j->script = sc;
	j->redirect = redirect;
	j->update = (struct script_update_job){.org_id = r->app->org_id,
	                                       .user_id = r->sess.user.id,
	                                       .script_id = d->id,
	                                       .version = d->version,
	                                       .script = sc};
	draft_close(d);
	r->hctx = j;
	return req_write(r, edit_write, edit_then);
}

/* ---- form fields --------------------------------------------------------------------- */

enum ftype { FT_TEXT, FT_AREA, FT_INT, FT_REAL, FT_DATE };

static void field_open(struct req *r, const char *id, const char *label, const char *help)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--text\">"
	            "<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
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
	html_lit(b, "<div class=\"utrecht-form-field__input\">");
}

static void field_attrs(struct req *r, const char *id, const char *help, const char *lang)
{
	buf *b = &r->out;
	html_lit(b, " id=\"");
	html_attr(b, id);
	html_lit(b, "\" name=\"");
	html_attr(b, id);
	html_lit(b, "\"");
	if (help) {
		html_lit(b, " aria-describedby=\"");
		html_attr(b, id);
		html_lit(b, "-help\"");
	}
	if (lang) {
		html_lit(b, " lang=\"");
		html_attr(b, lang);
		html_lit(b, "\"");
	}
}

/* One labelled field; value as text ("" for none). */
static void field(struct req *r, enum ftype t, const char *id, const char *label, const char *help,
                  const char *value, const char *lang, int required)
{
	buf *b = &r->out;
	field_open(r, id, label, help);
	if (t == FT_AREA) {
		html_lit(b, "<textarea class=\"utrecht-textarea utrecht-textarea--html-textarea\" "
		            "rows=\"3\"");
		field_attrs(r, id, help, lang);
		if (required)
			html_lit(b, " required");
		html_lit(b, ">");
		html_text(b, value);
		html_lit(b, "</textarea></div></div>");
		return;
	}
	html_lit(b, "<input class=\"utrecht-textbox utrecht-textbox--html-input");
	if (t == FT_INT || t == FT_REAL || t == FT_DATE)
		html_lit(b, " vp-textbox--short");
	html_lit(b, "\"");
	switch (t) {
	case FT_INT: html_lit(b, " type=\"number\" step=\"1\""); break;
	case FT_REAL: html_lit(b, " type=\"text\" inputmode=\"decimal\""); break;
	case FT_DATE: html_lit(b, " type=\"date\""); break;
	default: html_lit(b, " type=\"text\""); break;
	}
	field_attrs(r, id, help, lang);
	html_lit(b, " autocomplete=\"off\" value=\"");
	html_attr(b, value);
	html_lit(b, "\"");
	if (required)
		html_lit(b, " required");
	html_lit(b, "></div></div>");
}

static void checkbox(struct req *r, const char *id, const char *label, const char *help,
                     int checked)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--checkbox vp-ed-check\">"
	            "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-checkbox "
	            "utrecht-checkbox--html-input\" type=\"checkbox\" value=\"1\"");
	field_attrs(r, id, help, NULL);
	if (checked)
		html_lit(b, " checked");
	html_lit(b, "> <label class=\"utrecht-form-label utrecht-form-label--checkbox\" for=\"");
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
	html_lit(b, "</div>");
}

static void fieldset_open(struct req *r, const char *id, const char *legend, const char *help)
{
	buf *b = &r->out;
	html_lit(b, "<fieldset class=\"utrecht-form-fieldset utrecht-form-fieldset--html-fieldset "
	            "vp-ed-fieldset\"");
	if (id) {
		html_lit(b, " id=\"");
		html_attr(b, id);
		html_lit(b, "\"");
	}
	html_lit(b, "><legend class=\"utrecht-form-fieldset__legend "
	            "utrecht-form-fieldset__legend--html-legend\">");
	html_text(b, legend);
	html_lit(b, "</legend>");
	if (help) {
		html_lit(b, "<p class=\"utrecht-paragraph vp-ed-fieldset__help\">");
		html_text(b, help);
		html_lit(b, "</p>");
	}
}

static void fieldset_close(struct req *r)
{
	html_lit(&r->out, "</fieldset>");
}

/* Languages of a text other than nl and en: kept, and said so. */
static void other_languages(struct req *r, json_t *text)
{
	buf *b = &r->out;
	const char *k;
	json_t *v;
	int n = 0;
	json_object_foreach(text, k, v)
	{
		if (!strcmp(k, "nl") || !strcmp(k, "en"))
			continue;
		if (n++ == 0) {
			html_lit(b, "<p class=\"utrecht-paragraph vp-ed-fieldset__help\">");
			html_text(b, T(r, "Also in other languages, kept as they are:"));
			html_lit(b, " ");
		} else {
			html_lit(b, ", ");
		}
		html_text(b, k);
	}
	if (n)
		html_lit(b, "</p>");
}

/* A text in Dutch and English: a fieldset with the fields BASE-nl and
 * BASE-en. */
static void text_fields(struct req *r, const char *base, const char *legend, const char *help,
                        json_t *text, enum ftype t, int required)
{
	fieldset_open(r, page_printf(r, "%s-group", base), legend, help);
	field(r, t, page_printf(r, "%s-nl", base), T(r, "Dutch"), NULL, jlang(text, "nl"), "nl",
	      required);
	field(r, t, page_printf(r, "%s-en", base), T(r, "English"), NULL, jlang(text, "en"), "en",
	      0);
	other_languages(r, text);
	fieldset_close(r);
}

/* ---- the editor page -------------------------------------------------------------- */

struct editor_msg {
	int status;
	const char *kind, *text, *detail, *href, *link_text;
	json_t *texts; /* the texts form as typed (after a refusal), or NULL */
};

static const char *ok_message(struct req *r, const char *ok)
{
	static const struct {
		const char *code, *msg;
	} msgs[] = {
	        {"created", N_("The draft was made. Add your questions, then check and test it.")},
	        {"library", N_("The example was stored as a draft. You can change it now.")},
	        {"imported", N_("The file was imported as a draft.")},
	        {"question_saved", N_("The question was saved.")},
	        {"moved", N_("The question was moved.")},
	        {"question_deleted", N_("The question was deleted.")},
	        {"section_deleted", N_("The question was deleted, and its section with it.")},
	        {"texts_saved", N_("The texts were saved.")},
	        {"pilot", N_("This version is now being tested (pilot).")},
	        {"published", N_("This version is now published.")},
	        {"retired", N_("This version is now retired. It takes no new stories.")},
	        {"copied", N_("This is the new draft. Change it, then test or publish it.")},
	        {"has_draft", N_("There is a draft already. This is it.")},
	};
	if (!ok)
		return NULL;
	for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
		if (strcmp(msgs[i].code, ok) == 0)
			return T(r, msgs[i].msg);
	return NULL;
}

static const char *status_text(struct req *r, int status)
{
	switch (status) {
	case SCRIPT_DRAFT:
		return T(r,
		         "This version is a draft. You can change it. Nobody can answer it yet.");
	case SCRIPT_PILOT:
		return T(r, "This version is being tested. People can answer it, but their stories "
		            "are marked as a test. It cannot be changed.");
	case SCRIPT_PUBLISHED:
		return T(r,
		         "This version is published: people can answer it. It cannot be changed. "
		         "Make a new version to change something.");
	default:
		return T(r, "This version is retired. It takes no new stories. The stories stay "
		            "readable.");
	}
}

static void status_form(struct req *r, struct draft *d, const char *to, const char *label,
                        const char *explain, int primary)
{
	buf *b = &r->out;
	html_lit(b, "<form class=\"vp-ed-action\" method=\"post\" action=\"");
	html_url(b, script_page_path(r, d->id, d->version, "/status"));
	html_lit(b, "\">");
	page_csrf_field(r);
	hidden_input(r, "naar", to);
	html_lit(b, "<div class=\"vp-ed-action__text\">");
	para(r, explain);
	html_lit(b, "</div>");
	button(r, primary, label, NULL);
	html_lit(b, "</form>");
}

static void status_section(struct req *r, struct draft *d, int may_edit, json_t *versions)
{
	buf *b = &r->out;
	h2(r, "status", T(r, "Status"));
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	script_status_badge(r, d->v.status);
	html_lit(b, " ");
	html_text(b, status_text(r, d->v.status));
	html_lit(b, "</p>");
	if (!may_edit)
		return;
	int st = d->v.status;
	if (st == SCRIPT_DRAFT) {
		status_form(r, d, "pilot", T(r, "Test (pilot)"),
		            T(r,
		              "Test the script with a few people first. Their stories are marked "
		              "as a test and left out of the analysis."),
		            0);
		status_form(r, d, "published", T(r, "Publish"),
		            T(r, "Publish: people can answer the script. After that it cannot be "
		                 "changed."),
		            1);
		html_lit(b, "<form class=\"vp-ed-action\" method=\"post\" action=\"");
		html_url(b, script_page_path(r, d->id, d->version, "/status"));
		html_lit(b, "\">");
		page_csrf_field(r);
		hidden_input(r, "naar", "deleted");
		html_lit(b, "<div class=\"vp-ed-action__text\">");
		para(r, T(r, "Delete this draft. This cannot be undone."));
		checkbox(r, "bevestig", T(r, "Yes, delete this draft"), NULL, 0);
		html_lit(b, "</div>");
		button(r, 0, T(r, "Delete the draft"), NULL);
		html_lit(b, "</form>");
		return;
	}
	if (st == SCRIPT_PILOT)
		status_form(r, d, "published", T(r, "Publish"),
		            T(r, "The test went well? Publish this version."), 1);
	if (st == SCRIPT_PILOT || st == SCRIPT_PUBLISHED)
		status_form(r, d, "retired", T(r, "Retire"),
		            T(r, "Retire this version: it takes no new stories. The stories stay."),
		            0);
	int draft = 0;
	size_t i;
	json_t *v;
	json_array_foreach(versions, i, v) if (strcmp(jstr(v, "status"), "draft") == 0) draft =
	        (int)json_integer_value(json_object_get(v, "version"));
	if (draft) {
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "There is a draft of a new version already."));
		html_lit(b, " <a class=\"utrecht-link\" href=\"");
		html_url(b, script_page_path(r, d->id, draft, NULL));
		html_lit(b, "\">");
		html_text(b, T(r, "Go to the draft"));
		html_lit(b, " (");
		html_text(b, T(r, "version"));
		html_lit(b, " ");
		html_int(b, draft);
		html_lit(b, ")</a></p>");
	} else {
		html_lit(b, "<form class=\"vp-ed-action\" method=\"post\" action=\"");
		html_url(b, script_page_path(r, d->id, d->version, "/nieuwe-versie"));
		html_lit(b, "\">");
		page_csrf_field(r);
		html_lit(b, "<div class=\"vp-ed-action__text\">");
		para(r, T(r, "To change something, make a new version. It starts as a copy of this "
		             "one."));
		html_lit(b, "</div>");
		button(r, 0, T(r, "Make a new version"), NULL);
		html_lit(b, "</form>");
	}
}

static void lint_section(struct req *r, struct draft *d, struct script *sc, int draft)
{
	buf *b = &r->out;
	struct lint_result lr;
	script_lint(sc, &lr);
	h2(r, "controle", T(r, "Check"));
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Errors"));
	html_lit(b, ": ");
	html_int(b, lr.errors);
	html_lit(b, ", ");
	html_text(b, T(r, "warnings"));
	html_lit(b, ": ");
	html_int(b, lr.warnings);
	html_lit(b, ".");
	if (draft) {
		html_lit(b, " ");
		html_text(b, lr.errors ? T(r, "Solve the errors before you test or publish.")
		                       : T(r, "No errors: you can test or publish."));
	}
	html_lit(b, "</p>");
	if (lr.n) {
		html_lit(b, "<ul class=\"vp-lint\">");
		for (int i = 0; i < lr.n; i++) {
			const struct lint_item *it = &lr.items[i];
			html_lit(b, "<li class=\"vp-lint__item vp-lint__item--");
			html_attr(b, it->level == LINT_ERROR ? "error" : "warning");
			html_lit(b, "\"><span class=\"vp-lint__level\">");
			html_text(b, it->level == LINT_ERROR ? T(r, "Error") : T(r, "Warning"));
			html_lit(b, "</span> <a class=\"utrecht-link\" href=\"");
			const struct question *q =
			        it->question ? script_question(sc, it->question) : NULL;
			const char *anchor = field_anchor(r, it->field);
			if (q) {
				html_url(b, script_page_path(r, d->id, d->version,
				                             page_printf(r, "/vragen/%s%s%s", q->id,
				                                         anchor ? "#" : "",
				                                         anchor ? anchor : "")));
				html_lit(b, "\">");
				html_text(b, T(r, "Question"));
				html_lit(b, " ");
				html_int(b, q->index + 1);
				html_lit(b, " (");
				html_text(b, q->id);
				html_lit(b, ")");
			} else {
				int sections = it->field && strcmp(it->field, "sections") == 0;
				html_url(b, sections ? "#vragen"
				                     : page_printf(r, "#%s",
				                                   anchor ? anchor : "teksten"));
				html_lit(b, "\">");
				html_text(b, sections ? T(r, "Questions") : T(r, "General texts"));
			}
			html_lit(b, "</a>: ");
			html_text(b, T(r, it->msg));
			if (it->detail[0]) {
				html_lit(b, " <span class=\"vp-lint__detail\">(");
				html_text(b, it->detail);
				html_lit(b, ")</span>");
			}
			html_lit(b, "</li>");
		}
		html_lit(b, "</ul>");
	}
	lint_result_free(&lr);
}

/* A condition in words: "only when q-x is a, b". */
static void condition_text(struct req *r, struct script *sc, const struct question *q)
{
	buf *b = &r->out;
	const struct question *t = script_question(sc, q->show_if_question);
	html_text(b, T(r, "only asked when the answer to question"));
	html_lit(b, " ");
	html_int(b, t ? t->index + 1 : 0);
	html_lit(b, " ");
	html_text(b, T(r, "is"));
	html_lit(b, " ");
	for (int i = 0; i < q->show_if_count; i++) {
		if (i)
			html_lit(b, ", ");
		const char *label = q->show_if_values[i];
		if (t)
			for (int k = 0; k < t->noptions; k++)
				if (strcmp(t->options[k].id, label) == 0)
					label = ltext_get(&t->options[k].label, r->lang);
		html_lit(b, "\xE2\x80\x9C");
		html_text(b, label);
		html_lit(b, "\xE2\x80\x9D");
	}
}

static void small_action(struct req *r, struct draft *d, const struct question *q, const char *tail,
                         const char *name, const char *value, const char *label, const char *qtext)
{
	buf *b = &r->out;
	html_lit(b, "<form class=\"vp-inline-form\" method=\"post\" action=\"");
	html_url(b, script_page_path(r, d->id, d->version,
	                             page_printf(r, "/vragen/%s/%s", q->id, tail)));
	html_lit(b, "\">");
	page_csrf_field(r);
	if (name)
		hidden_input(r, name, value);
	button(r, 0, label, qtext);
	html_lit(b, "</form>");
}

static void questions_section(struct req *r, struct draft *d, struct script *sc, int editable)
{
	buf *b = &r->out;
	h2(r, "vragen", T(r, "Questions"));
	for (int s = 0; s < sc->nsections; s++) {
		const struct section *sec = &sc->sections[s];
		const char *stitle = ltext_get(&sec->title, r->lang);
		h3(r, page_printf(r, "sectie-%d", s + 1),
		   *stitle ? page_printf(r, "%s %d: %s", T(r, "Section"), s + 1, stitle)
		           : page_printf(r, "%s %d", T(r, "Section"), s + 1));
		html_lit(b, "<ol class=\"vp-questions\" start=\"");
		html_int(b, sec->questions[0].index + 1);
		html_lit(b, "\" role=\"list\">");
		for (int k = 0; k < sec->nquestions; k++) {
			const struct question *q = &sec->questions[k];
			const char *text = ltext_get(&q->text, r->lang);
			html_lit(b, "<li class=\"vp-question-row\" id=\"");
			html_attr(b, page_printf(r, "vraag-%s", q->id));
			html_lit(b,
			         "\" tabindex=\"-1\"><p class=\"utrecht-paragraph "
			         "vp-question-row__text\"><span class=\"vp-question-row__num\">");
			html_int(b, q->index + 1);
			html_lit(b, ".</span> ");
			html_text(b, text);
			html_lit(b, "</p><p class=\"utrecht-paragraph vp-question-row__meta\">"
			            "<span class=\"vp-ed-tag\">");
			html_text(b, script_type_label(r, q->type));
			html_lit(b, "</span> <code class=\"utrecht-code\">");
			html_text(b, q->id);
			html_lit(b, "</code>");
			const char *flags[5];
			int nf = 0;
			if (q->required)
				flags[nf++] = T(r, "an answer is needed");
			if (q->not_applicable)
				flags[nf++] = T(r, "\"not applicable\" possible");
			if (q->perspective == PERSPECTIVE_PROFESSIONAL)
				flags[nf++] = T(r, "answered by the professional");
			if (q->once_per_person)
				flags[nf++] = T(r, "asked once per person");
			for (int f = 0; f < nf; f++) {
				html_lit(b, " <span class=\"vp-ed-flag\">");
				html_text(b, flags[f]);
				html_lit(b, "</span>");
			}
			if (q->show_if_question) {
				html_lit(b, " <span class=\"vp-ed-flag\">");
				condition_text(r, sc, q);
				html_lit(b, "</span>");
			}
			html_lit(b, "</p><div class=\"vp-question-row__actions\">"
			            "<a class=\"utrecht-button-link utrecht-button-link--html-a "
			            "utrecht-button-link--secondary-action\" href=\"");
			html_url(b, script_page_path(r, d->id, d->version,
			                             page_printf(r, "/vragen/%s", q->id)));
			html_lit(b, "\">");
			html_text(b, editable ? T(r, "Edit") : T(r, "View"));
			hidden_name(r, text);
			html_lit(b, "</a>");
			if (editable) {
				if (q->index > 0)
					small_action(r, d, q, "verplaatsen", "richting", "omhoog",
					             T(r, "Up"), text);
				if (q->index + 1 < sc->nquestions)
					small_action(r, d, q, "verplaatsen", "richting", "omlaag",
					             T(r, "Down"), text);
				small_action(r, d, q, "verwijderen", NULL, NULL, T(r, "Delete"),
				             text);
			}
			html_lit(b, "</div></li>");
		}
		html_lit(b, "</ol>");
	}
}

static void type_select(struct req *r, const char *id, int selected)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\">"
	            "<label class=\"utrecht-form-label\" for=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_text(b, T(r, "Type of question"));
	html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><select "
	            "class=\"utrecht-select utrecht-select--html-select\" id=\"");
	html_attr(b, id);
	html_lit(b, "\" name=\"type\">");
	for (int t = 0; t < Q_TYPE_COUNT; t++) {
		html_lit(b, "<option value=\"");
		html_attr(b, q_type_name((enum q_type)t));
		html_lit(b, "\"");
		if (t == selected)
			html_lit(b, " selected");
		html_lit(b, ">");
		html_text(b, script_type_label(r, t));
		html_lit(b, "</option>");
	}
	html_lit(b, "</select></div></div>");
}

static void picture_field(struct req *r, const char *id, const char *label, const char *help)
{
	buf *b = &r->out;
	field_open(r, id, label, help);
	html_lit(b, "<input class=\"vp-file\" type=\"file\" accept=\"image/png,image/jpeg\"");
	field_attrs(r, id, help, NULL);
	html_lit(b, "></div></div>");
}

static void add_forms(struct req *r, struct draft *d, struct script *sc)
{
	buf *b = &r->out;
	h3(r, "vraag-toevoegen", T(r, "Add a question"));
	html_lit(b, "<form class=\"vp-form\" method=\"post\" enctype=\"multipart/form-data\" "
	            "action=\"");
	html_url(b, script_page_path(r, d->id, d->version, "/vragen"));
	html_lit(b, "\">");
	page_csrf_field(r);
	type_select(r, "nieuw-type", Q_CHOICE);
	html_lit(b, "<div class=\"utrecht-form-field\"><div class=\"utrecht-form-field__label\">"
	            "<label class=\"utrecht-form-label\" for=\"nieuw-sectie\">");
	html_text(b, T(r, "In section"));
	html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><select "
	            "class=\"utrecht-select utrecht-select--html-select\" id=\"nieuw-sectie\" "
	            "name=\"section\">");
	for (int s = 0; s < sc->nsections; s++) {
		const char *t = ltext_get(&sc->sections[s].title, r->lang);
		html_lit(b, "<option value=\"");
		html_attr(b, sc->sections[s].id);
		html_lit(b, "\"");
		if (s + 1 == sc->nsections)
			html_lit(b, " selected");
		html_lit(b, ">");
		html_int(b, s + 1);
		if (*t) {
			html_lit(b, ". ");
			html_text(b, t);
		}
		html_lit(b, "</option>");
	}
	html_lit(b, "</select></div></div>");
	picture_field(r, "nieuw-afbeelding", T(r, "Picture (only for a pin on a picture)"),
	              T(r, "A JPEG or PNG file, for example a map."));
	html_lit(b, "<div class=\"utrecht-button-group\">");
	button(r, 0, T(r, "Add the question"), NULL);
	html_lit(b, "</div></form>");

	h3(r, "sectie-toevoegen", T(r, "Add a section"));
	para(r, T(r, "A section puts questions together under a heading. A new section starts "
	             "with one question."));
	html_lit(b, "<form class=\"vp-form\" method=\"post\" enctype=\"multipart/form-data\" "
	            "action=\"");
	html_url(b, script_page_path(r, d->id, d->version, "/secties"));
	html_lit(b, "\">");
	page_csrf_field(r);
	json_t *none = json_object();
	text_fields(r, "sectie-titel", T(r, "Heading of the section"), NULL, none, FT_TEXT, 0);
	json_decref(none);
	type_select(r, "sectie-type", Q_CHOICE);
	picture_field(r, "sectie-afbeelding", T(r, "Picture (only for a pin on a picture)"),
	              T(r, "A JPEG or PNG file, for example a map."));
	html_lit(b, "<div class=\"utrecht-button-group\">");
	button(r, 0, T(r, "Add the section"), NULL);
	html_lit(b, "</div></form>");
}

static void texts_form(struct req *r, struct draft *d, json_t *root)
{
	buf *b = &r->out;
	h2(r, "teksten", T(r, "General texts"));
	para(r, T(r, "People read these texts before and after the questions. Write plain "
	             "language (B1). The Dutch text is needed; the English text is shown to "
	             "people who chose English."));
	html_lit(b, "<form class=\"vp-form vp-form--wide\" method=\"post\" action=\"");
	html_url(b, script_page_path(r, d->id, d->version, "/teksten"));
	html_lit(b, "\">");
	page_csrf_field(r);
	hidden_input(r, "stamp", page_printf(r, "%lld", (long long)d->v.updated_at));
	text_fields(r, "title", T(r, "Title"), NULL, json_object_get(root, "title"), FT_TEXT, 1);
	text_fields(r, "introduction", T(r, "Introduction"),
	            T(r, "Shown first. Say what the questions are about and how long it takes."),
	            json_object_get(root, "introduction"), FT_AREA, 0);
	text_fields(r, "privacy", T(r, "Privacy: who can read the story"),
	            T(r, "Shown before anyone tells. Say who reads the stories, what happens with "
	                 "them, and how long they are kept."),
	            json_object_get(root, "privacy"), FT_AREA, 1);
	text_fields(r, "thanks", T(r, "Thanks"), T(r, "Shown after the story is sent."),
	            json_object_get(root, "thanks"), FT_AREA, 0);
	size_t i;
	json_t *sec;
	json_array_foreach(sections_of(root), i, sec)
	{
		text_fields(r, page_printf(r, "sections-%zu-title", i),
		            page_printf(r, "%s %zu: %s", T(r, "Section"), i + 1, T(r, "heading")),
		            NULL, json_object_get(sec, "title"), FT_TEXT, 0);
	}
	html_lit(b, "<div class=\"utrecht-button-group\">");
	button(r, 1, T(r, "Save the texts"), NULL);
	html_lit(b, "</div></form>");
}

static void texts_view(struct req *r, struct script *sc)
{
	buf *b = &r->out;
	h2(r, "teksten", T(r, "General texts"));
	static const char *const names[] = {N_("Introduction"),
	                                    N_("Privacy: who can read the story"), N_("Thanks")};
	const struct ltext *texts[] = {&sc->introduction, &sc->privacy, &sc->thanks};
	for (int i = 0; i < 3; i++) {
		if (!texts[i]->n)
			continue;
		h3(r, NULL, T(r, names[i]));
		html_lit(b, "<div class=\"vp-text-view\">");
		script_paragraphs(r, ltext_get(texts[i], r->lang), NULL);
		html_lit(b, "</div>");
	}
}

static void versions_section(struct req *r, struct draft *d, json_t *versions)
{
	buf *b = &r->out;
	h2(r, "versies", T(r, "All versions"));
	html_lit(b, "<ul class=\"vp-versions\">");
	size_t i;
	json_t *v;
	json_array_foreach(versions, i, v)
	{
		int n = (int)json_integer_value(json_object_get(v, "version"));
		html_lit(b, "<li>");
		if (n == d->version) {
			html_lit(b, "<strong>");
			html_text(b, T(r, "Version"));
			html_lit(b, " ");
			html_int(b, n);
			html_lit(b, "</strong> (");
			html_text(b, T(r, "this page"));
			html_lit(b, ")");
		} else {
			html_lit(b, "<a class=\"utrecht-link\" href=\"");
			html_url(b, script_page_path(r, d->id, n, NULL));
			html_lit(b, "\">");
			html_text(b, T(r, "Version"));
			html_lit(b, " ");
			html_int(b, n);
			html_lit(b, "</a>");
		}
		html_lit(b, " ");
		script_status_badge(r, script_status_parse(jstr(v, "status")));
		html_lit(b, "</li>");
	}
	html_lit(b, "</ul><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	html_url(b, page_printf(r, "/api/v1/scripts/%lld/versions/%d?download=1", (long long)d->id,
	                        d->version));
	html_lit(b, "\" download>");
	html_text(b, T(r, "Download this version as a file (JSON)"));
	html_lit(b, "</a></p>");
}

/* The editor of the route's version (or, for a version that is no draft or
 * someone who may not change it, the same content read-only). */
static int editor_page(struct req *r, const struct editor_msg *m)
{
	struct draft d;
	int status;
	if (draft_open(r, &d, 0, &status))
		return status;
	char err[512];
	struct script *sc = script_parse_text(d.v.body, strlen(d.v.body), err, sizeof err);
	buf vj;
	buf_init(&vj);
	json_t *versions = NULL;
	if (script_versions_json(req_db(r), r->app->org_id, d.id, &vj) == DB_OK)
		versions = json_loads(vj.data ? vj.data : "[]", 0, NULL);
	buf_free(&vj);
	if (!sc || !versions) {
		json_decref(versions);
		script_free(sc);
		draft_close(&d);
		return web_error(r, sc ? 503 : 500, NULL);
	}
	int may_edit = script_may_edit(r);
	int editable = may_edit && d.v.status == SCRIPT_DRAFT;
	buf *b = &r->out;
	const char *title = ltext_get(&sc->title, r->lang);
	page_begin(r, page_printf(r, "%s (%s %d)", title, T(r, "version"), d.version));
	html_lit(b, "<p class=\"utrecht-paragraph vp-crumbs\"><a class=\"utrecht-link\" "
	            "href=\"/vragenlijsten\">");
	html_text(b, T(r, "All interview scripts"));
	html_lit(b, "</a></p><h1 class=\"utrecht-heading-1\">");
	html_text(b, title);
	html_lit(b, "</h1><p class=\"utrecht-paragraph vp-lead\">");
	html_text(b, T(r, "Version"));
	html_lit(b, " ");
	html_int(b, d.version);
	html_lit(b, " ");
	script_status_badge(r, d.v.status);
	html_lit(b, " ");
	html_text(b, T(r, "Key"));
	html_lit(b, ": <code class=\"utrecht-code\">");
	html_text(b, d.v.key);
	html_lit(b, "</code></p>");
	if (m && m->text)
		script_alert(r, m->kind, m->text, m->detail, m->href, m->link_text);
	else if (ok_message(r, req_query(r, "ok")))
		page_alert(r, "ok", ok_message(r, req_query(r, "ok")));
	if (!may_edit)
		para(r, T(r, "You can look at this interview script. Changing it is for "
		             "administrators, analysts and facilitators."));

	html_lit(b, "<nav class=\"vp-toc\" aria-label=\"");
	html_attr(b, T(r, "On this page"));
	html_lit(b, "\"><ul class=\"vp-toc__list\">");
	static const char *const toc[][2] = {
	        {"#voorbeeld", N_("Preview")},     {"#status", N_("Status")},
	        {"#controle", N_("Check")},        {"#vragen", N_("Questions")},
	        {"#teksten", N_("General texts")}, {"#versies", N_("All versions")}};
	for (size_t i = 0; i < sizeof toc / sizeof toc[0]; i++) {
		html_lit(b, "<li><a class=\"utrecht-link\" href=\"");
		html_url(b, toc[i][0]);
		html_lit(b, "\">");
		html_text(b, T(r, toc[i][1]));
		html_lit(b, "</a></li>");
	}
	html_lit(b, "</ul></nav>");

	h2(r, "voorbeeld", T(r, "Preview"));
	html_lit(b, "<ul class=\"vp-links\"><li><a class=\"utrecht-link\" href=\"");
	html_url(b, script_page_path(r, d.id, d.version, "/voorbeeld"));
	html_lit(b, "\">");
	html_text(b, T(r, "See it as a resident does"));
	html_lit(b, "</a></li><li><a class=\"utrecht-link\" href=\"");
	html_url(b, script_page_path(r, d.id, d.version, "/voorbeeld/telefoon"));
	html_lit(b, "\">");
	html_text(b, T(r, "See it as on a phone"));
	html_lit(b, "</a></li><li><a class=\"utrecht-link vp-paper-link\" href=\"");
	html_url(b, script_page_path(r, d.id, d.version, "/papier"));
	html_lit(b, "\">");
	html_text(b, T(r, "Paper version"));
	html_lit(b, "</a></li></ul>");

	status_section(r, &d, may_edit, versions);
	lint_section(r, &d, sc, d.v.status == SCRIPT_DRAFT);
	questions_section(r, &d, sc, editable);
	if (editable) {
		add_forms(r, &d, sc);
		texts_form(r, &d, m && m->texts ? m->texts : d.root);
	} else {
		texts_view(r, sc);
	}
	versions_section(r, &d, versions);
	page_end(r);
	json_decref(versions);
	script_free(sc);
	draft_close(&d);
	return m ? m->status : 200;
}

/* GET /vragenlijsten/{id}/versies/{n} */
int page_script_version(struct req *r)
{
	return editor_page(r, NULL);
}

/* The editor with a refusal: the reader's message and a link to the
 * question it names. */
static int editor_refused(struct req *r, struct draft *d, const char *what, const char *err,
                          json_t *texts)
{
	const char *qid, *fieldpath;
	reader_place(r, err, &qid, &fieldpath);
	struct editor_msg m = {
	        .status = 422, .kind = "error", .text = what, .detail = err, .texts = texts};
	if (qid && find_question(d->root, qid, NULL, NULL)) {
		const char *anchor = field_anchor(r, fieldpath);
		m.href = script_page_path(r, d->id, d->version,
		                          page_printf(r, "/vragen/%s%s%s", qid, anchor ? "#" : "",
		                                      anchor ? anchor : ""));
		m.link_text = T(r, "Open that question");
	}
	m.detail = arena_strdup(r->a, err);
	draft_close(d);
	return editor_page(r, &m);
}

/* ---- general texts ---------------------------------------------------------------- */

static int stale(struct req *r, struct draft *d)
{
	const char *stamp = req_form(r, "stamp");
	int64_t t;
	return stamp && (util_parse_i64(stamp, &t) || t != d->v.updated_at);
}

/* POST /vragenlijsten/{id}/versies/{n}/teksten */
int page_script_texts(struct req *r)
{
	struct draft d;
	int status;
	if (draft_open(r, &d, 1, &status))
		return status;
	set_text_form(r, d.root, "title", "title", 1);
	set_text_form(r, d.root, "introduction", "introduction", 0);
	set_text_form(r, d.root, "privacy", "privacy", 1);
	set_text_form(r, d.root, "thanks", "thanks", 0);
	size_t i;
	json_t *sec;
	json_array_foreach(sections_of(d.root), i, sec)
	{
		const char *base = page_printf(r, "sections-%zu-title", i);
		if (req_form(r, page_printf(r, "%s-nl", base)))
			set_text_form(r, sec, "title", base, 0);
	}
	if (stale(r, &d)) {
		json_t *typed = json_incref(d.root);
		draft_close(&d);
		struct editor_msg m = {
		        .status = 409,
		        .kind = "error",
		        .text = T(r, "Someone else saved this script in the meantime. Your texts "
		                     "are not saved yet: check them and save again."),
		        .texts = typed};
		int st = editor_page(r, &m);
		json_decref(typed);
		return st;
	}
	char err[512];
	struct script *sc = script_parse(d.root, err, sizeof err);
	if (!sc) {
		json_t *typed = json_incref(d.root);
		int st = editor_refused(r, &d,
		                        T(r, "The texts were not saved. This is what is wrong:"),
		                        err, typed);
		json_decref(typed);
		return st;
	}
	return draft_save(r, &d, sc, NULL,
	                  script_page_path(r, d.id, d.version, "?ok=texts_saved#teksten"));
}

/* ---- adding ---------------------------------------------------------------------- */

/* Adds a question of the posted type to section si (or, when new_section,
 * to a new section at the end), then opens it. */
static int add_question(struct req *r, int new_section)
{
	struct draft d;
	int status;
	if (draft_open(r, &d, 1, &status))
		return status;
	const char *tname = req_form(r, "type");
	int type = tname ? q_type_parse(tname) : -1;
	json_t *secs = sections_of(d.root);
	json_t *target = NULL;
	if (!new_section) {
		const char *sid = req_form(r, "section");
		size_t i;
		json_t *sec;
		json_array_foreach(secs, i, sec) if (sid && strcmp(jstr(sec, "id"), sid) == 0)
		        target = sec;
	}
	struct editor_msg m = {.status = 422, .kind = "error"};
	if (type < 0)
		m.text = T(r, "Choose the type of question.");
	else if (!new_section && !target)
		m.text = T(r, "Choose a section.");
	else if (json_array_size(secs) >= 100 && new_section)
		m.text = T(r, "An interview script has at most 100 sections.");
	struct edit_job *j = arena_zalloc(r->a, sizeof *j);
	if (!m.text && type == Q_PIN) {
		const char *msg = NULL;
		int got = page_picture_take(
		        r, new_section ? "sectie-afbeelding" : "nieuw-afbeelding", &j->pic, &msg);
		if (got == 1)
			m.text = T(r, "A question with a pin needs a picture. Choose a JPEG or PNG "
			              "file.");
		else if (got < 0)
			m.text = T(r, msg);
	}
	if (m.text) {
		draft_close(&d);
		return editor_page(r, &m);
	}
	struct idset used;
	ids_in_use(r, &d, &used);
	const char *qid = fresh_id(r, &used, page_printf(r, "q-%s", q_type_name(type)));
	json_t *q = new_question(type, qid, j->pic.has ? j->pic.up.token : NULL);
	if (new_section) {
		target = json_object();
		json_object_set_new(target, "id", json_string(fresh_id(r, &used, "s")));
		set_text_form(r, target, "title", "sectie-titel", 0);
		json_object_set_new(target, "questions", json_array());
		json_array_append_new(secs, target);
	}
	json_array_append_new(questions_of(target), q);
	char err[512];
	struct script *sc = script_parse(d.root, err, sizeof err);
	if (!sc) {
		page_picture_abandon(&j->pic);
		return editor_refused(r, &d, T(r, "The question was not added:"), err, NULL);
	}
	return draft_save(
	        r, &d, sc, j,
	        script_page_path(r, d.id, d.version, page_printf(r, "/vragen/%s?ok=added", qid)));
}

/* POST /vragenlijsten/{id}/versies/{n}/vragen */
int page_script_question_add(struct req *r)
{
	return add_question(r, 0);
}

/* POST /vragenlijsten/{id}/versies/{n}/secties */
int page_script_section_add(struct req *r)
{
	return add_question(r, 1);
}

/* ---- moving and deleting ------------------------------------------------------------ */

/* POST .../vragen/{qid}/verplaatsen, richting=omhoog|omlaag: one place up
 * or down; at the edge of a section, into the section before or after. */
int page_script_question_move(struct req *r)
{
	struct draft d;
	int status;
	if (draft_open(r, &d, 1, &status))
		return status;
	const char *qid = req_param(r, 2);
	const char *dir = req_form(r, "richting");
	size_t si, qi;
	json_t *q = find_question(d.root, qid, &si, &qi);
	if (!q) {
		draft_close(&d);
		return web_error(r, 404, NULL);
	}
	int up = dir && strcmp(dir, "omhoog") == 0;
	if (!up && !(dir && strcmp(dir, "omlaag") == 0)) {
		draft_close(&d);
		struct editor_msg m = {
		        .status = 422, .kind = "error", .text = T(r, "Choose up or down.")};
		return editor_page(r, &m);
	}
	json_t *secs = sections_of(d.root);
	json_t *qs = questions_of(json_array_get(secs, si));
	size_t nq = json_array_size(qs), ns = json_array_size(secs);
	const char *refusal = NULL;
	json_incref(q);
	if (up && qi > 0) {
		json_array_remove(qs, qi);
		json_array_insert(qs, qi - 1, q);
	} else if (!up && qi + 1 < nq) {
		json_array_remove(qs, qi);
		json_array_insert(qs, qi + 1, q);
	} else if ((up && si == 0) || (!up && si + 1 == ns)) {
		refusal = T(r, "The question is at the edge already.");
	} else if (nq == 1) {
		refusal = T(r, "This is the only question of its section, so it stays there. Add "
		               "another question to the section first.");
	} else {
		json_array_remove(qs, qi);
		json_t *other = questions_of(json_array_get(secs, up ? si - 1 : si + 1));
		if (up)
			json_array_append(other, q);
		else
			json_array_insert(other, 0, q);
	}
	json_decref(q);
	if (refusal) {
		draft_close(&d);
		struct editor_msg m = {.status = 422, .kind = "error", .text = refusal};
		return editor_page(r, &m);
	}
	char err[512];
	struct script *sc = script_parse(d.root, err, sizeof err);
	if (!sc)
		return editor_refused(r, &d,
		                      T(r, "The question was not moved. This is what is wrong:"),
		                      err, NULL);
	return draft_save(
	        r, &d, sc, NULL,
	        script_page_path(r, d.id, d.version, page_printf(r, "?ok=moved#vraag-%s", qid)));
}

/* POST .../vragen/{qid}/verwijderen. The last question of a section takes
 * the section along; the last question of the script stays. */
int page_script_question_delete(struct req *r)
{
	struct draft d;
	int status;
	if (draft_open(r, &d, 1, &status))
		return status;
	const char *qid = req_param(r, 2);
	size_t si, qi;
	if (!find_question(d.root, qid, &si, &qi)) {
		draft_close(&d);
		return web_error(r, 404, NULL);
	}
	json_t *secs = sections_of(d.root);
	json_t *qs = questions_of(json_array_get(secs, si));
	int section_too = json_array_size(qs) == 1;
	if (section_too && json_array_size(secs) == 1) {
		draft_close(&d);
		struct editor_msg m = {
		        .status = 422,
		        .kind = "error",
		        .text = T(r,
		                  "This is the only question. An interview script needs at least "
		                  "one question: add another one first.")};
		return editor_page(r, &m);
	}
	if (section_too)
		json_array_remove(secs, si);
	else
		json_array_remove(qs, qi);
	char err[512];
	struct script *sc = script_parse(d.root, err, sizeof err);
	if (!sc) {
		/* Show the refusal on the stored draft, not the changed one. */
		json_decref(d.root);
		d.root = json_loads(d.v.body, 0, NULL);
		return editor_refused(r, &d,
		                      T(r, "The question was not deleted. Another question depends "
		                           "on it. This is what is wrong:"),
		                      err, NULL);
	}
	return draft_save(r, &d, sc, NULL,
	                  script_page_path(r, d.id, d.version,
	                                   section_too ? "?ok=section_deleted#vragen"
	                                               : "?ok=question_deleted#vragen"));
}

/* ---- status and new versions ------------------------------------------------------------ */

struct status_job {
	struct script_status_job status;
	struct script_copy_job copy;
};

static int status_write(db *d, void *ctx)
{
	struct status_job *j = ((struct req *)ctx)->hctx;
	return script_status_write(d, &j->status);
}

static int status_then(struct req *r)
{
	struct status_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	int64_t id = j->status.script_id;
	int v = j->status.version;
	struct editor_msg m = {.status = 409, .kind = "error"};
	switch (j->status.result) {
	case SCRIPT_OK:
		if (j->status.to < 0)
			return req_redirect(r, "/vragenlijsten?ok=deleted");
		return req_redirect(
		        r, script_page_path(
		                   r, id, v,
		                   page_printf(r, "?ok=%s", script_status_name(j->status.to))));
	case SCRIPT_NOT_FOUND: return web_error(r, 404, NULL);
	case SCRIPT_LINT_FAILED:
		m.status = 422;
		m.text = T(r, "This version has errors (see Check). Solve them first, then try "
		              "again.");
		m.href = "#controle";
		m.link_text = T(r, "Go to the check");
		break;
	case SCRIPT_IDENTITY: {
		char qid[SCRIPT_ID_MAX + 1] = "", other[SCRIPT_ID_MAX + 1] = "";
		int old = 0;
		m.status = 422;
		if (sscanf(j->status.detail, "%64s -> %64s", qid, other) == 2) {
			m.text = T(
			        r,
			        "Not possible yet: a question says it continues another question, "
			        "but no earlier version has that question.");
		} else {
			sscanf(j->status.detail, "%64s (%d)", qid, &old);
			m.text = T(
			        r,
			        "Not possible yet: a question has other options, poles, corners, "
			        "stones or scale points than in an earlier version, but kept its "
			        "id. Answers to both would be mixed up. Open the question and tick "
			        "\"This is a new question (new id)\", or put the old ones back.");
		}
		m.detail = arena_strdup(r->a, j->status.detail);
		if (*qid) {
			m.href = script_page_path(r, id, v, page_printf(r, "/vragen/%s", qid));
			m.link_text = T(r, "Open that question");
		}
		break;
	}
	case SCRIPT_BAD_STATUS: m.text = T(r, "That status change is not possible."); break;
	case SCRIPT_IN_USE:
		m.text = T(r, "An open collection uses this version. Close that collection first.");
		m.detail = arena_strdup(r->a, j->status.detail);
		break;
	default: m.text = T(r, "That status change is not possible."); break;
	}
	return editor_page(r, &m);
}

/* POST /vragenlijsten/{id}/versies/{n}/status, naar=pilot|published|
 * retired|deleted (deleted needs bevestig). */
int page_script_status(struct req *r)
{
	int64_t id;
	int version;
	if (!script_route_ids(r, &id, &version))
		return web_error(r, 404, NULL);
	const char *to = req_form(r, "naar");
	int st = !to ? -2 : strcmp(to, "deleted") == 0 ? -1 : script_status_parse(to);
	struct editor_msg m = {.status = 422, .kind = "error"};
	if (st == -2 || st == SCRIPT_DRAFT || (st == -1 && strcmp(to, "deleted") != 0))
		m.text = T(r, "Choose what should happen with this version.");
	else if (st == -1 && !form_on(r, "bevestig"))
		m.text = T(r, "Nothing was deleted. Tick the box to show you are sure.");
	if (m.text)
		return editor_page(r, &m);
	struct status_job *j = arena_zalloc(r->a, sizeof *j);
	j->status = (struct script_status_job){.org_id = r->app->org_id,
	                                       .user_id = r->sess.user.id,
	                                       .script_id = id,
	                                       .version = version,
	                                       .to = st};
	r->hctx = j;
	return req_write(r, status_write, status_then);
}

static int copy_write(db *d, void *ctx)
{
	struct status_job *j = ((struct req *)ctx)->hctx;
	return script_copy_write(d, &j->copy);
}

static int copy_then(struct req *r)
{
	struct status_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (j->copy.result == SCRIPT_NOT_FOUND)
		return web_error(r, 404, NULL);
	if (j->copy.result == SCRIPT_HAS_DRAFT)
		return req_redirect(r, script_page_path(r, j->copy.script_id, j->copy.new_version,
		                                        "?ok=has_draft"));
	return req_redirect(
	        r, script_page_path(r, j->copy.script_id, j->copy.new_version, "?ok=copied"));
}

/* POST /vragenlijsten/{id}/versies/{n}/nieuwe-versie: a new draft copied
 * from this version. */
int page_script_copy(struct req *r)
{
	int64_t id;
	int version;
	if (!script_route_ids(r, &id, &version))
		return web_error(r, 404, NULL);
	struct status_job *j = arena_zalloc(r->a, sizeof *j);
	j->copy = (struct script_copy_job){.org_id = r->app->org_id,
	                                   .user_id = r->sess.user.id,
	                                   .script_id = id,
	                                   .version = version};
	r->hctx = j;
	return req_write(r, copy_write, copy_then);
}

/* ---- one question ---------------------------------------------------------------------- */

struct qform {
	struct draft *d;
	const char *qid; /* the stored question's id (of the route) */
	json_t *q;       /* the question shown (stored, or as typed) */
	size_t index;    /* its place in the whole script */
	int editable;
	int status;
	const char *kind, *text, *detail, *href, *link_text;
};

/* The option rows of q (the stored ones, then empty rows to add). */
static void rows_fields(struct req *r, json_t *q, int type, int editable)
{
	buf *b = &r->out;
	const char *key = rows_key(type), *tk = rows_textkey(type);
	json_t *arr = json_object_get(q, key);
	int fixed = type == Q_DYAD ? 2 : type == Q_TRIAD ? 3 : 0;
	const char *legend = type == Q_STORY    ? T(r, "Prompts to choose from")
	                     : type == Q_DYAD   ? T(r, "The two ends")
	                     : type == Q_TRIAD  ? T(r, "The three corners")
	                     : type == Q_STONES ? T(r, "Stones")
	                                        : T(r, "Options");
	const char *help =
	        type == Q_STORY ? T(r, "The person picks one of these questions and tells. One is "
	                               "enough.")
	        : fixed         ? T(r,
	                            "Changing an id changes the meaning: answers are then counted apart.")
	                : T(r, "The id keeps answers together across versions. Leave it empty "
	                       "for a new row: it is made from the Dutch text. Tick \"Remove\" "
	                       "to take a row away.");
	fieldset_open(r, key, legend, help);
	size_t n = json_array_size(arr);
	size_t total = fixed ? n : n + (editable ? NEW_ROWS : 0);
	hidden_input(r, page_printf(r, "%s-rows", key), page_printf(r, "%zu", total));
	static const char *const dyad_names[] = {N_("Left end"), N_("Right end")};
	static const char *const triad_names[] = {N_("Top corner"), N_("Bottom left corner"),
	                                          N_("Bottom right corner")};
	for (size_t i = 0; i < total; i++) {
		json_t *o = i < n ? json_array_get(arr, i) : NULL;
		const char *rowname;
		if (type == Q_DYAD && i < 2)
			rowname = T(r, dyad_names[i]);
		else if (type == Q_TRIAD && i < 3)
			rowname = T(r, triad_names[i]);
		else if (!o)
			rowname = page_printf(r, "%s %zu", T(r, "New row"), i - n + 1);
		else
			rowname = page_printf(r, "%s %zu",
			                      type == Q_STORY    ? T(r, "Prompt")
			                      : type == Q_STONES ? T(r, "Stone")
			                                         : T(r, "Option"),
			                      i + 1);
		html_lit(b, "<fieldset class=\"utrecht-form-fieldset utrecht-form-fieldset--html-"
		            "fieldset vp-optrow\"><legend class=\"utrecht-form-fieldset__legend "
		            "utrecht-form-fieldset__legend--html-legend\">");
		html_text(b, rowname);
		html_lit(b, "</legend><div class=\"vp-optrow__fields\">");
		json_t *label = json_object_get(o, tk);
		field(r, FT_TEXT, page_printf(r, "%s-%zu-id", key, i), T(r, "Id"), NULL,
		      o ? jstr(o, "id") : "", NULL, 0);
		field(r, FT_TEXT, page_printf(r, "%s-%zu-%s-nl", key, i, tk), T(r, "Dutch"), NULL,
		      jlang(label, "nl"), "nl", 0);
		field(r, FT_TEXT, page_printf(r, "%s-%zu-%s-en", key, i, tk), T(r, "English"), NULL,
		      jlang(label, "en"), "en", 0);
		if (!fixed && o)
			checkbox(r, page_printf(r, "%s-%zu-del", key, i), T(r, "Remove"), NULL, 0);
		hidden_input(r, page_printf(r, "%s-%zu-from", key, i),
		             !o                            ? ""
		             : json_object_get(o, "_from") ? jstr(o, "_from")
		                                           : jstr(o, "id"));
		html_lit(b, "</div>");
		other_languages(r, label);
		html_lit(b, "</fieldset>");
	}
	fieldset_close(r);
}

static const char *num_text(struct req *r, json_t *v)
{
	if (json_is_integer(v))
		return page_printf(r, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return page_printf(r, "%.15g", json_real_value(v));
	if (json_is_string(v))
		return json_string_value(v);
	return "";
}

/* The condition: checkboxes of the answers of each earlier choice, multi
 * or scale question; the ticked ones (of one question) are the condition. */
static void condition_fields(struct req *r, json_t *root, json_t *q, size_t index)
{
	buf *b = &r->out;
	json_t *cond = json_object_get(q, "show_if");
	const char *cq = jstr(cond, "question");
	json_t *is = json_object_get(cond, "is");
	fieldset_open(r, "show-if", T(r, "When is this question asked?"),
	              T(r, "Always, unless you tick answers below. Then it is only asked when the "
	                   "answer to that earlier question is one of the ticked answers. Tick "
	                   "answers of one question only."));
	size_t i, k, seen = 0;
	json_t *sec, *o;
	int any = 0;
	json_array_foreach(sections_of(root), i, sec)
	{
		json_array_foreach(questions_of(sec), k, o)
		{
			if (seen++ >= index)
				break;
			int t = q_type_parse(jstr(o, "type"));
			if (t != Q_CHOICE && t != Q_MULTI && t != Q_SCALE)
				continue;
			any = 1;
			const char *oid = jstr(o, "id");
			fieldset_open(r, NULL,
			              page_printf(r, "%s %zu: %s", T(r, "Answer to question"), seen,
			                          jshow(r, json_object_get(o, "text"))),
			              NULL);
			html_lit(b, "<div class=\"vp-ed-checks\">");
			int npoints =
			        t == Q_SCALE ? (int)json_integer_value(json_object_get(o, "points"))
			                     : 0;
			size_t nopt = t == Q_SCALE
			                      ? (size_t)(npoints > 0 && npoints <= 7 ? npoints : 0)
			                      : json_array_size(json_object_get(o, "options"));
			for (size_t m = 0; m < nopt; m++) {
				const char *val, *label;
				if (t == Q_SCALE) {
					val = page_printf(r, "%zu", m + 1);
					label = val;
					if (m == 0)
						label = page_printf(
						        r, "1 (%s)",
						        jshow(r, json_object_get(o, "low")));
					else if (m + 1 == nopt)
						label = page_printf(
						        r, "%zu (%s)", m + 1,
						        jshow(r, json_object_get(o, "high")));
				} else {
					json_t *opt =
					        json_array_get(json_object_get(o, "options"), m);
					val = jstr(opt, "id");
					label = jshow(r, json_object_get(opt, "label"));
				}
				int on = 0;
				size_t x;
				json_t *w;
				if (strcmp(cq, oid) == 0)
					json_array_foreach(is, x, w)
					{
						const char *s = num_text(r, w);
						on |= strcmp(s, val) == 0;
					}
				const char *cid = page_printf(r, "show-if-%zu-%zu", seen, m);
				html_lit(b,
				         "<div class=\"utrecht-form-field "
				         "utrecht-form-field--checkbox "
				         "vp-ed-check\"><div "
				         "class=\"utrecht-form-field__input\"><input "
				         "class=\"utrecht-checkbox utrecht-checkbox--html-input\" "
				         "type=\"checkbox\" name=\"show_if\" id=\"");
				html_attr(b, cid);
				html_lit(b, "\" value=\"");
				html_attr(b, page_printf(r, "%s:%s", oid, val));
				html_lit(b, "\"");
				if (on)
					html_lit(b, " checked");
				html_lit(b, "> <label class=\"utrecht-form-label "
				            "utrecht-form-label--checkbox\" for=\"");
				html_attr(b, cid);
				html_lit(b, "\">");
				html_text(b, label);
				html_lit(b, "</label></div></div>");
			}
			html_lit(b, "</div>");
			fieldset_close(r);
		}
	}
	if (!any)
		para(r, T(r, "There is no earlier choice or scale question, so this question is "
		             "always asked."));
	fieldset_close(r);
}

static void axis_fields(struct req *r, json_t *q, const char *key, const char *legend)
{
	json_t *a = json_object_get(q, key);
	fieldset_open(r, key, legend, NULL);
	text_fields(r, page_printf(r, "%s-label", key), T(r, "Name of the axis"), NULL,
	            json_object_get(a, "label"), FT_TEXT, 0);
	text_fields(r, page_printf(r, "%s-low", key), T(r, "Label at the low end"), NULL,
	            json_object_get(a, "low"), FT_TEXT, 0);
	text_fields(r, page_printf(r, "%s-high", key), T(r, "Label at the high end"), NULL,
	            json_object_get(a, "high"), FT_TEXT, 0);
	fieldset_close(r);
}

static void type_fields(struct req *r, struct qform *f, int type)
{
	buf *b = &r->out;
	json_t *q = f->q;
	switch (type) {
	case Q_STORY:
		rows_fields(r, q, type, f->editable);
		checkbox(r, "ask_title", T(r, "Ask for a title of the story"), NULL,
		         !json_is_false(json_object_get(q, "ask_title")));
		break;
	case Q_TEXT:
		checkbox(r, "long", T(r, "Long answer (more lines)"), NULL,
		         json_is_true(json_object_get(q, "long")));
		field(r, FT_INT, "max_length", T(r, "Most characters"),
		      T(r, "Empty: 500 for a short answer, 20000 for a long one."),
		      num_text(r, json_object_get(q, "max_length")), NULL, 0);
		break;
	case Q_CHOICE:
	case Q_MULTI:
		rows_fields(r, q, type, f->editable);
		text_fields(r, "other", T(r, "Option \"other, namely\""),
		            T(r,
		              "The label of an option where people write their own answer. Empty: "
		              "no such option."),
		            json_object_get(q, "other"), FT_TEXT, 0);
		if (type == Q_MULTI) {
			fieldset_open(r, "min-max", T(r, "How many answers"),
			              T(r, "Empty: at least 0, at most all."));
			field(r, FT_INT, "min", T(r, "At least"), NULL,
			      num_text(r, json_object_get(q, "min")), NULL, 0);
			field(r, FT_INT, "max", T(r, "At most"), NULL,
			      num_text(r, json_object_get(q, "max")), NULL, 0);
			fieldset_close(r);
		}
		break;
	case Q_SCALE: {
		int points = (int)json_integer_value(json_object_get(q, "points"));
		html_lit(b, "<div class=\"utrecht-form-field\"><div "
		            "class=\"utrecht-form-field__label\">"
		            "<label class=\"utrecht-form-label\" for=\"points\">");
		html_text(b, T(r, "Number of points"));
		html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><select "
		            "class=\"utrecht-select utrecht-select--html-select vp-select--short\" "
		            "id=\"points\" name=\"points\"><option value=\"5\"");
		if (points != 7)
			html_lit(b, " selected");
		html_lit(b, ">5</option><option value=\"7\"");
		if (points == 7)
			html_lit(b, " selected");
		html_lit(b, ">7</option></select></div></div>");
		text_fields(r, "low", T(r, "Label of point 1 (low end)"), NULL,
		            json_object_get(q, "low"), FT_TEXT, 1);
		text_fields(r, "high", T(r, "Label of the highest point"), NULL,
		            json_object_get(q, "high"), FT_TEXT, 1);
		break;
	}
	case Q_DYAD:
	case Q_TRIAD: rows_fields(r, q, type, f->editable); break;
	case Q_STONES:
		rows_fields(r, q, type, f->editable);
		axis_fields(r, q, "x", T(r, "Horizontal axis"));
		axis_fields(r, q, "y", T(r, "Vertical axis"));
		break;
	case Q_PIN: {
		const char *image = jstr(q, "image");
		fieldset_open(r, "image-group", T(r, "Picture"), NULL);
		if (*image) {
			html_lit(
			        b,
			        "<figure class=\"vp-figure\"><img class=\"vp-pin-picture\" src=\"");
			html_url(b, page_printf(r, "/uploads/%s", image));
			html_lit(b, "\" alt=\"\"><figcaption>");
			html_text(b, T(r, "The picture people put their pin on now."));
			html_lit(b, "</figcaption></figure>");
		}
		if (f->editable)
			picture_field(r, "image", T(r, "Another picture"),
			              T(r, "A JPEG or PNG file. Empty: the picture stays."));
		fieldset_close(r);
		checkbox(r, "ask_note", T(r, "Ask for a note with the pin"), NULL,
		         !json_is_false(json_object_get(q, "ask_note")));
		break;
	}
	case Q_DATE:
		fieldset_open(r, "dates", T(r, "Allowed dates"), T(r, "Empty: any date."));
		field(r, FT_DATE, "min", T(r, "From"), NULL, jstr(q, "min"), NULL, 0);
		field(r, FT_DATE, "max", T(r, "Until"), NULL, jstr(q, "max"), NULL, 0);
		fieldset_close(r);
		break;
	case Q_NUMBER:
		fieldset_open(r, "numbers", T(r, "Allowed numbers"), T(r, "Empty: no limit."));
		field(r, FT_REAL, "min", T(r, "Lowest"), NULL,
		      num_text(r, json_object_get(q, "min")), NULL, 0);
		field(r, FT_REAL, "max", T(r, "Highest"), NULL,
		      num_text(r, json_object_get(q, "max")), NULL, 0);
		fieldset_close(r);
		checkbox(r, "integer", T(r, "Whole numbers only"), NULL,
		         json_is_true(json_object_get(q, "integer")));
		break;
	default: break;
	}
}

static int question_page(struct req *r, struct qform *f)
{
	buf *b = &r->out;
	struct draft *d = f->d;
	json_t *q = f->q;
	int type = q_type_parse(jstr(q, "type"));
	const char *text = jshow(r, json_object_get(q, "text"));
	/* The form goes to the stored question, whatever id was typed. */
	const char *self =
	        script_page_path(r, d->id, d->version, page_printf(r, "/vragen/%s", f->qid));
	page_begin(r, page_printf(r, "%s %zu: %s", T(r, "Question"), f->index + 1, text));
	html_lit(b, "<p class=\"utrecht-paragraph vp-crumbs\"><a class=\"utrecht-link\" "
	            "href=\"/vragenlijsten\">");
	html_text(b, T(r, "All interview scripts"));
	html_lit(b, "</a> / <a class=\"utrecht-link\" href=\"");
	html_url(b, script_page_path(r, d->id, d->version, "#vragen"));
	html_lit(b, "\">");
	html_text(b, d->v.title);
	html_lit(b, " (");
	html_text(b, T(r, "version"));
	html_lit(b, " ");
	html_int(b, d->version);
	html_lit(b, ")</a></p><h1 class=\"utrecht-heading-1\">");
	html_text(b, T(r, "Question"));
	html_lit(b, " ");
	html_int(b, (long long)f->index + 1);
	html_lit(b, "</h1><p class=\"utrecht-paragraph vp-lead\">");
	html_text(b, T(r, "Type"));
	html_lit(b, ": <span class=\"vp-ed-tag\">");
	html_text(b, script_type_label(r, type));
	html_lit(b, "</span></p>");
	if (f->text)
		script_alert(r, f->kind, f->text, f->detail, f->href, f->link_text);
	else if (req_query(r, "ok") && strcmp(req_query(r, "ok"), "added") == 0)
		page_alert(r, "ok",
		           T(r,
		             "The question was added. Write its texts and save. Delete it on the "
		             "previous page if you do not need it."));
	if (!f->editable)
		para(r,
		     d->v.status == SCRIPT_DRAFT
		             ? T(r, "You can look at this question. Changing it is for "
		                    "administrators, analysts and facilitators.")
		             : T(r, "This version is not a draft, so it cannot be changed. Make a "
		                    "new version to change something."));

	html_lit(b, "<form class=\"vp-form vp-form--wide\" method=\"post\" "
	            "enctype=\"multipart/form-data\" action=\"");
	html_url(b, self);
	html_lit(b, "\">");
	if (f->editable) {
		page_csrf_field(r);
		hidden_input(r, "stamp", page_printf(r, "%lld", (long long)d->v.updated_at));
	}
	html_lit(b, "<fieldset class=\"vp-plain-fieldset\"");
	if (!f->editable)
		html_lit(b, " disabled");
	html_lit(b, ">");
	text_fields(r, "text", T(r, "The question"),
	            T(r, "As the person reads it. Plain language."), json_object_get(q, "text"),
	            FT_AREA, 1);
	text_fields(r, "help", T(r, "Explanation under the question (if needed)"), NULL,
	            json_object_get(q, "help"), FT_AREA, 0);
	fieldset_open(r, "answering", T(r, "Answering"), NULL);
	checkbox(r, "required", T(r, "An answer is needed"), NULL,
	         json_is_true(json_object_get(q, "required")));
	checkbox(r, "not_applicable", T(r, "\"Not applicable\" can be chosen"), NULL,
	         json_is_true(json_object_get(q, "not_applicable")));
	checkbox(r, "once_per_person", T(r, "Ask once per person"),
	         T(r, "For facts about the person, such as age group or district. The answer is "
	              "used again for their later stories."),
	         json_is_true(json_object_get(q, "once_per_person")));
	fieldset_close(r);
	int pro = strcmp(jstr(q, "perspective"), "professional") == 0;
	fieldset_open(r, "perspective", T(r, "Who answers"), NULL);
	static const char *const who[][2] = {{"teller", N_("The person who tells")},
	                                     {"professional", N_("The professional who takes the "
	                                                         "story")}};
	for (int i = 0; i < 2; i++) {
		const char *id = page_printf(r, "perspective-%s", who[i][0]);
		html_lit(b,
		         "<div class=\"utrecht-form-field utrecht-form-field--radio vp-ed-check\">"
		         "<div class=\"utrecht-form-field__input\"><input class=\"utrecht-radio-"
		         "button utrecht-radio-button--html-input\" type=\"radio\" "
		         "name=\"perspective\" id=\"");
		html_attr(b, id);
		html_lit(b, "\" value=\"");
		html_attr(b, who[i][0]);
		html_lit(b, "\"");
		if (pro == i)
			html_lit(b, " checked");
		html_lit(b,
		         "> <label class=\"utrecht-form-label utrecht-form-label--radio\" for=\"");
		html_attr(b, id);
		html_lit(b, "\">");
		html_text(b, T(r, who[i][1]));
		html_lit(b, "</label></div></div>");
	}
	fieldset_close(r);
	type_fields(r, f, type);
	condition_fields(r, d->root, q, f->index);
	fieldset_open(r, "identity", T(r, "Id of the question"),
	              T(r, "The id keeps the answers of all versions together. Keep it when the "
	                   "meaning stays the same."));
	field(r, FT_TEXT, "id", T(r, "Id"), NULL, jstr(q, "id"), NULL, 1);
	checkbox(r, "new_id", T(r, "This is a new question (new id)"),
	         T(r,
	           "Tick this when you changed options, ends, corners, stones or scale points of "
	           "a question that was published before. The answers to the old and the new "
	           "question are then kept apart."),
	         0);
	fieldset_close(r);
	html_lit(b, "</fieldset>");
	if (f->editable) {
		html_lit(b, "<div class=\"utrecht-button-group\">");
		button(r, 1, T(r, "Save the question"), NULL);
		html_lit(b, "</div>");
	}
	html_lit(b, "</form><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	html_url(b, script_page_path(r, d->id, d->version, "#vragen"));
	html_lit(b, "\">");
	html_text(b, T(r, "Back to the interview script"));
	html_lit(b, "</a></p>");
	page_end(r);
	return f->status ? f->status : 200;
}

/* The place of q (0-based) in the whole script. */
static size_t index_of(json_t *root, const char *qid)
{
	size_t i, k, n = 0;
	json_t *sec, *q;
	json_array_foreach(sections_of(root), i, sec)
	{
		json_array_foreach(questions_of(sec), k, q)
		{
			if (strcmp(jstr(q, "id"), qid) == 0)
				return n;
			n++;
		}
	}
	return n;
}

/* GET /vragenlijsten/{id}/versies/{n}/vragen/{qid} */
int page_script_question_form(struct req *r)
{
	struct draft d;
	int status;
	if (draft_open(r, &d, 0, &status))
		return status;
	const char *qid = req_param(r, 2);
	json_t *q = find_question(d.root, qid, NULL, NULL);
	if (!q) {
		draft_close(&d);
		return web_error(r, 404, NULL);
	}
	struct qform f = {.d = &d,
	                  .qid = qid,
	                  .q = q,
	                  .index = index_of(d.root, qid),
	                  .editable = script_may_edit(r) && d.v.status == SCRIPT_DRAFT};
	int st = question_page(r, &f);
	draft_close(&d);
	return st;
}

/* The question from the form, based on the stored one (old). Returns the
 * new question (with "_from" marks), or NULL with *msg for a mistake the
 * reader cannot see (answers of two questions ticked as the condition). */
static json_t *read_question(struct req *r, struct draft *d, json_t *old, const char **msg,
                             const struct idset *used)
{
	json_t *q = json_deep_copy(old);
	int type = q_type_parse(jstr(old, "type"));
	*msg = NULL;
	if (form_on(r, "new_id"))
		json_object_set_new(
		        q, "id",
		        json_string(fresh_id(r, used, page_printf(r, "q-%s", jstr(old, "type")))));
	else
		json_object_set_new(q, "id", json_string(form_text(r, "id")));
	set_text_form(r, q, "text", "text", 1);
	set_text_form(r, q, "help", "help", 0);
	set_flag(q, "required", form_on(r, "required"), 0);
	set_flag(q, "not_applicable", form_on(r, "not_applicable"), 0);
	set_flag(q, "once_per_person", form_on(r, "once_per_person"), 0);
	const char *who = req_form(r, "perspective");
	if (who && strcmp(who, "professional") == 0)
		json_object_set_new(q, "perspective", json_string("professional"));
	else
		json_object_del(q, "perspective");
	const char *key = rows_key(type);
	if (key) {
		int fixed = type == Q_DYAD || type == Q_TRIAD;
		json_object_set_new(
		        q, key,
		        read_rows(r, key, rows_textkey(type), json_object_get(old, key), fixed));
	}
	switch (type) {
	case Q_STORY: set_flag(q, "ask_title", form_on(r, "ask_title"), 1); break;
	case Q_TEXT:
		set_flag(q, "long", form_on(r, "long"), 0);
		set_number(q, "max_length", form_text(r, "max_length"));
		break;
	case Q_CHOICE:
	case Q_MULTI:
		set_text_form(r, q, "other", "other", 0);
		if (type == Q_MULTI) {
			set_number(q, "min", form_text(r, "min"));
			set_number(q, "max", form_text(r, "max"));
		}
		break;
	case Q_SCALE:
		set_number(q, "points", form_text(r, "points"));
		set_text_form(r, q, "low", "low", 1);
		set_text_form(r, q, "high", "high", 1);
		break;
	case Q_STONES: {
		static const char *const axes[] = {"x", "y"};
		for (int i = 0; i < 2; i++) {
			json_t *a = json_object_get(q, axes[i]);
			a = json_is_object(a) ? json_deep_copy(a) : json_object();
			set_text_form(r, a, "label", page_printf(r, "%s-label", axes[i]), 0);
			set_text_form(r, a, "low", page_printf(r, "%s-low", axes[i]), 0);
			set_text_form(r, a, "high", page_printf(r, "%s-high", axes[i]), 0);
			json_object_set_new(q, axes[i], a);
		}
		break;
	}
	case Q_PIN: set_flag(q, "ask_note", form_on(r, "ask_note"), 1); break;
	case Q_DATE: {
		const char *lo = form_text(r, "min"), *hi = form_text(r, "max");
		if (*lo)
			json_object_set_new(q, "min", json_string(lo));
		else
			json_object_del(q, "min");
		if (*hi)
			json_object_set_new(q, "max", json_string(hi));
		else
			json_object_del(q, "max");
		break;
	}
	case Q_NUMBER:
		set_number(q, "min", form_text(r, "min"));
		set_number(q, "max", form_text(r, "max"));
		set_flag(q, "integer", form_on(r, "integer"), 0);
		break;
	default: break;
	}
	/* The condition: the ticked answers, all of one earlier question. */
	const char *target = NULL;
	json_t *is = json_array();
	for (size_t i = 0; i < r->form.n; i++) {
		const struct kv *kv = &r->form.items[i];
		if (strcmp(kv->name, "show_if") != 0 || kv->filename)
			continue;
		const char *colon = strchr(kv->value, ':');
		if (!colon)
			continue;
		const char *tq = arena_strndup(r->a, kv->value, (size_t)(colon - kv->value));
		if (target && strcmp(target, tq) != 0)
			*msg = T(r, "Tick answers of one earlier question only.");
		target = tq;
		json_t *tgt = find_question(d->root, tq, NULL, NULL);
		int64_t point;
		if (tgt && strcmp(jstr(tgt, "type"), "scale") == 0 &&
		    util_parse_i64(colon + 1, &point) == 0)
			json_array_append_new(is, json_integer(point));
		else
			json_array_append_new(is, json_string(colon + 1));
	}
	if (target) {
		json_t *c = json_object();
		json_object_set_new(c, "question", json_string(target));
		json_object_set_new(c, "is", is);
		json_object_set_new(q, "show_if", c);
	} else {
		json_decref(is);
		json_object_del(q, "show_if");
	}
	return q;
}

/* POST /vragenlijsten/{id}/versies/{n}/vragen/{qid} (multipart: a new
 * picture for a pin question may come along). */
int page_script_question_save(struct req *r)
{
	struct draft d;
	int status;
	if (draft_open(r, &d, 1, &status))
		return status;
	const char *qid = req_param(r, 2);
	size_t si, qi;
	json_t *old = find_question(d.root, qid, &si, &qi);
	if (!old) {
		draft_close(&d);
		return web_error(r, 404, NULL);
	}
	struct idset used;
	ids_in_use(r, &d, &used);
	const char *own = NULL;
	json_t *typed = read_question(r, &d, old, &own, &used);
	struct qform f = {.d = &d,
	                  .qid = qid,
	                  .q = typed,
	                  .index = index_of(d.root, qid),
	                  .editable = 1,
	                  .status = 422,
	                  .kind = "error"};
	struct edit_job *j = arena_zalloc(r->a, sizeof *j);
	const char *pic_msg = NULL;
	if (!own && stale(r, &d)) {
		f.status = 409;
		f.text =
		        T(r, "Someone else saved this script in the meantime. Your changes are not "
		             "saved yet: check them and save again.");
	} else if (own) {
		f.text = own;
	} else if (strcmp(jstr(old, "type"), "pin") == 0 &&
	           page_picture_take(r, "image", &j->pic, &pic_msg) < 0) {
		f.text = T(r, pic_msg);
	}
	if (f.text) {
		int st = question_page(r, &f);
		json_decref(typed);
		draft_close(&d);
		return st;
	}
	if (j->pic.has)
		json_object_set_new(typed, "image", json_string(j->pic.up.token));
	/* The new question in its place; conditions that named the old id
	 * follow a new one. */
	const char *new_id = arena_strdup(r->a, jstr(typed, "id"));
	json_t *clean = strip_private(typed);
	if (strcmp(new_id, qid) != 0) {
		size_t i, k;
		json_t *sec, *o;
		json_array_foreach(sections_of(d.root), i, sec)
		{
			json_array_foreach(questions_of(sec), k, o)
			{
				json_t *c = json_object_get(o, "show_if");
				if (c && strcmp(jstr(c, "question"), qid) == 0)
					json_object_set_new(c, "question", json_string(new_id));
			}
		}
	}
	json_t *qs = questions_of(json_array_get(sections_of(d.root), si));
	json_t *stored = json_incref(old);
	json_array_set_new(qs, qi, clean);
	char err[512];
	struct script *sc = script_parse(d.root, err, sizeof err);
	if (!sc) {
		page_picture_abandon(&j->pic);
		/* Show the form as typed, with the reader's message and where. */
		json_array_set_new(qs, qi, stored);
		const char *mq, *mfield;
		reader_place(r, err, &mq, &mfield);
		f.text = T(r, "The question was not saved. This is what is wrong (the place, then "
		              "the problem):");
		f.detail = arena_strdup(r->a, err);
		if (mq && strcmp(mq, new_id) != 0 && strcmp(mq, qid) != 0 &&
		    find_question(d.root, mq, NULL, NULL)) {
			f.href = script_page_path(r, d.id, d.version,
			                          page_printf(r, "/vragen/%s", mq));
			f.link_text = T(r, "Open the question it is about");
		} else if (mfield) {
			f.href = page_printf(r, "#%s", field_anchor(r, mfield));
			f.link_text = T(r, "Go to the field");
		}
		int st = question_page(r, &f);
		json_decref(typed);
		draft_close(&d);
		return st;
	}
	json_decref(stored);
	json_decref(typed);
	return draft_save(r, &d, sc, j,
	                  script_page_path(r, d.id, d.version,
	                                   page_printf(r, "?ok=question_saved#vraag-%s", new_id)));
}
