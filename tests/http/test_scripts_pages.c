/* test_scripts_pages.c: the interview-script editor in the browser: list, new, every question type, options, order, refusals, import, library, status, roles, preview. */
#include "../unit/testutil.h"

#include "core/log.h"
#include "db/migrate.h"
#include "gen/embedded.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "io/image.h"
#include "model/user.h"

#include <jansson.h>

#define EDITOR_PW "editor password 123"
#define READER_PW "reader password 123"

static int ipn;

static int setup(void **state)
{
	db *d = wt_open_editor_and_reader("scriptpages", ROLE_ONDERZOEKER, EDITOR_PW, READER_PW);
	if (!d)
		return -1;
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.per_ip_limit = 40;
	cfg.upload_limit = 2 * 1024 * 1024;
	return fixture_start(d, &cfg);
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* ---- helpers ---------------------------------------------------------------- */

/* Logs in from the next address of 10.4 (English interface: the texts
 * are the message ids) and reads the session's form token. */
static void login(struct who *w, const char *user, const char *pw)
{
	char ip[32];
	wt_ip(ip, sizeof ip, 4, ++ipn);
	who_login(w, user, pw, ip);
}

/* The same without a response to look at. */
#define POST_STATUS(w, path, ...)                                   \
	({                                                          \
		struct http_resp rr_;                               \
		int st_ = who_post((w), (path), &rr_, __VA_ARGS__); \
		http_free(&rr_);                                    \
		st_;                                                \
	})

static int get_status(struct who *w, const char *path)
{
	struct http_resp r;
	int st = who_get(w, path, &r);
	http_free(&r);
	return st;
}

/* Makes a script with this title; returns its id (version 1). */
static long long create(struct who *w, const char *title)
{
	struct http_resp r;
	assert_int_equal(who_post(w, "/vragenlijsten", &r, "title", title, NULL), 303);
	long long id = 0;
	int v = 0;
	assert_int_equal(
	        sscanf(wt_location(&r), "/vragenlijsten/%lld/versies/%d?ok=created", &id, &v), 2);
	assert_int_equal(v, 1);
	http_free(&r);
	return id;
}

/* The stored version as JSON (through the API). */
static json_t *stored(struct who *w, long long id, int v)
{
	char path[96];
	snprintf(path, sizeof path, "/api/v1/scripts/%lld/versions/%d", id, v);
	struct http_resp r;
	assert_int_equal(who_get(w, path, &r), 200);
	json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
	http_free(&r);
	assert_non_null(j);
	return j;
}

static char *stored_text(struct who *w, long long id, int v)
{
	json_t *j = stored(w, id, v);
	char *s = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static json_t *question(json_t *root, const char *qid)
{
	size_t i, k;
	json_t *sec, *q;
	json_array_foreach(json_object_get(root, "sections"), i, sec)
	{
		json_array_foreach(json_object_get(sec, "questions"), k, q)
		{
			if (strcmp(json_string_value(json_object_get(q, "id")), qid) == 0)
				return q;
		}
	}
	return NULL;
}

/* The question ids in order, joined by spaces. */
static void order(json_t *root, char *out, size_t cap)
{
	out[0] = 0;
	size_t i, k;
	json_t *sec, *q;
	json_array_foreach(json_object_get(root, "sections"), i, sec)
	{
		if (i)
			strncat(out, "| ", cap - strlen(out) - 1);
		json_array_foreach(json_object_get(sec, "questions"), k, q)
		{
			strncat(out, json_string_value(json_object_get(q, "id")),
			        cap - strlen(out) - 1);
			strncat(out, " ", cap - strlen(out) - 1);
		}
	}
}

static char *path_of(long long id, int v, const char *tail)
{
	static char p[4][256];
	static int n;
	char *s = p[n++ % 4];
	snprintf(s, 256, "/vragenlijsten/%lld/versies/%d%s", id, v, tail);
	return s;
}

static const char *const types[] = {"story", "text",  "choice", "multi", "scale",
                                    "dyad",  "triad", "stones", "date",  "number"};

/* Adds a question of type to section s-1; returns 303 and its id in qid. */
static int add_question(struct who *w, long long id, const char *type, char *qid, size_t cap)
{
	struct http_resp r;
	int st = who_post(w, path_of(id, 1, "/vragen"), &r, "type", type, "section", "s-1", NULL);
	if (st == 303) {
		const char *l = strstr(wt_location(&r), "/vragen/");
		assert_non_null(l);
		snprintf(qid, cap, "%.*s", (int)strcspn(l + 8, "?"), l + 8);
	}
	http_free(&r);
	return st;
}

static long long count_scripts(void)
{
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	assert_non_null(d);
	db_stmt *s = db_prepare(d, "SELECT count(*) FROM script_versions");
	assert_int_equal(db_step(s), DB_ROW);
	long long n = (long long)db_col_int(s, 0);
	db_finalize(s);
	db_close(d);
	return n;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_list_and_create(void **state)
{
	struct who w;
	login(&w, "redacteur", EDITOR_PW);
	struct http_resp r;
	assert_int_equal(who_get(&w, "/vragenlijsten", &r), 200);
	assert_non_null(strstr(r.body, "action=\"/vragenlijsten\""));
	assert_non_null(strstr(r.body, "/vragenlijsten/bibliotheek/open-vertelpunt"));
	assert_non_null(strstr(r.body, "enctype=\"multipart/form-data\""));
	http_free(&r);

	long long id = create(&w, "Wonen in Oost: \xC3\xA9\xC3\xA9n ervaring");
	json_t *j = stored(&w, id, 1);
	assert_string_equal(json_string_value(json_object_get(j, "key")),
	                    "wonen-in-oost-een-ervaring");
	assert_non_null(json_object_get(json_object_get(j, "privacy"), "en"));
	assert_non_null(question(j, "q-verhaal"));
	json_decref(j);
	/* The same title again: the key gets -2. */
	long long id2 = create(&w, "Wonen in Oost: \xC3\xA9\xC3\xA9n ervaring");
	assert_true(id2 != id);
	j = stored(&w, id2, 1);
	assert_string_equal(json_string_value(json_object_get(j, "key")),
	                    "wonen-in-oost-een-ervaring-2");
	json_decref(j);

	assert_int_equal(who_get(&w, path_of(id, 1, "?ok=created"), &r), 200);
	assert_non_null(strstr(r.body, "Wonen in Oost"));
	assert_non_null(strstr(r.body, "The draft was made"));
	assert_non_null(strstr(r.body, "id=\"controle\""));
	http_free(&r);
	/* GET /vragenlijsten/{id}: to the newest version. */
	char p[64];
	snprintf(p, sizeof p, "/vragenlijsten/%lld", id);
	assert_int_equal(who_get(&w, p, &r), 303);
	assert_string_equal(wt_location(&r), path_of(id, 1, ""));
	http_free(&r);
	assert_int_equal(get_status(&w, "/vragenlijsten/999999"), 404);

	/* No title: refused, nothing stored. */
	long long before = count_scripts();
	assert_int_equal(who_post(&w, "/vragenlijsten", &r, "title", "   ", NULL), 422);
	assert_non_null(strstr(r.body, "Write a title"));
	http_free(&r);
	assert_int_equal(count_scripts(), before);
	/* A title with markup is text. */
	long long id3 = create(&w, "<script>alert(1)</script>");
	assert_int_equal(who_get(&w, path_of(id3, 1, ""), &r), 200);
	assert_null(strstr(r.body, "<script>alert"));
	assert_non_null(strstr(r.body, "&lt;script&gt;"));
	http_free(&r);
}

static void test_every_type(void **state)
{
	struct who w;
	login(&w, "redacteur", EDITOR_PW);
	long long id = create(&w, "Alle soorten");
	char qid[80];
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		assert_int_equal(add_question(&w, id, types[i], qid, sizeof qid), 303);
		char want[80];
		snprintf(want, sizeof want, "q-%s-1", types[i]);
		assert_string_equal(qid, want);
		struct http_resp r;
		char p[160];
		snprintf(p, sizeof p, "/vragen/%s?ok=added", qid);
		assert_int_equal(who_get(&w, path_of(id, 1, p), &r), 200);
		assert_non_null(strstr(r.body, "name=\"text-nl\""));
		assert_non_null(strstr(r.body, "name=\"new_id\""));
		http_free(&r);
	}
	/* A pin needs a picture. */
	struct http_resp r;
	const char *const f[] = {"type", "pin", "section", "s-1", NULL};
	assert_int_equal(
	        who_post_multipart(&w, path_of(id, 1, "/vragen"), NULL, NULL, NULL, 0, &r, f), 422);
	assert_non_null(strstr(r.body, "needs a picture"));
	http_free(&r);
	const struct embedded_file *png = wt_library_png();
	assert_non_null(png);
	assert_int_equal(who_post_multipart(&w, path_of(id, 1, "/vragen"), "nieuw-afbeelding",
	                                    "kaart.png", png->data, png->len, &r, f),
	                 303);
	assert_non_null(strstr(wt_location(&r), "/vragen/q-pin-1"));
	http_free(&r);
	/* A bad type, a bad section. */
	assert_int_equal(
	        POST_STATUS(&w, path_of(id, 1, "/vragen"), "type", "magic", "section", "s-1", NULL),
	        422);
	assert_int_equal(
	        POST_STATUS(&w, path_of(id, 1, "/vragen"), "type", "text", "section", "s-9", NULL),
	        422);

	json_t *j = stored(&w, id, 1);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		char want[80];
		snprintf(want, sizeof want, "q-%s-1", types[i]);
		json_t *q = question(j, want);
		assert_non_null(q);
		assert_string_equal(json_string_value(json_object_get(q, "type")), types[i]);
	}
	json_t *pin = question(j, "q-pin-1");
	assert_non_null(pin);
	char up[64];
	snprintf(up, sizeof up, "/uploads/%s", json_string_value(json_object_get(pin, "image")));
	assert_int_equal(strlen(up), 9 + 32);
	json_decref(j);
	/* The pin's picture is served, and shown on its form. */
	assert_int_equal(get_status(&w, up), 200);
	assert_int_equal(who_get(&w, path_of(id, 1, "/vragen/q-pin-1"), &r), 200);
	assert_non_null(strstr(r.body, up));
	http_free(&r);

	/* A new section, with its first question. */
	const char *const s[] = {
	        "type", "scale", "sectie-titel-nl", "Over u", "sectie-titel-en", "About you", NULL};
	assert_int_equal(
	        who_post_multipart(&w, path_of(id, 1, "/secties"), NULL, NULL, NULL, 0, &r, s),
	        303);
	assert_non_null(strstr(wt_location(&r), "/vragen/q-scale-2"));
	http_free(&r);
	j = stored(&w, id, 1);
	json_t *sec = json_array_get(json_object_get(j, "sections"), 1);
	assert_string_equal(json_string_value(json_object_get(sec, "id")), "s-2");
	assert_string_equal(json_string_value(json_object_get(json_object_get(sec, "title"), "en")),
	                    "About you");
	json_decref(j);
}

static void test_edit_options(void **state)
{
	struct who w;
	login(&w, "redacteur", EDITOR_PW);
	long long id = create(&w, "Opties bewerken");
	char qid[80];
	assert_int_equal(add_question(&w, id, "choice", qid, sizeof qid), 303);
	/* A German label on the first option, through the API: it must stay. */
	json_t *j = stored(&w, id, 1);
	json_t *opt0 = json_array_get(json_object_get(question(j, qid), "options"), 0);
	json_object_set_new(json_object_get(opt0, "label"), "de", json_string("Uber mich"));
	char *body = json_dumps(j, 0);
	json_decref(j);
	char hdr[200], path[96];
	snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s\r\n", w.token);
	snprintf(path, sizeof path, "/api/v1/scripts/%lld/versions/1", id);
	struct http_resp r;
	assert_int_equal(
	        http_do(port, &w.jar, "PUT", path, "application/json", hdr, body, strlen(body), &r),
	        0);
	assert_int_equal(r.status, 200);
	http_free(&r);
	free(body);

	/* The form shows both rows, two empty ones and the other language. */
	char p[160];
	snprintf(p, sizeof p, "/vragen/%s", qid);
	assert_int_equal(who_get(&w, path_of(id, 1, p), &r), 200);
	assert_non_null(strstr(r.body, "name=\"options-rows\" value=\"4\""));
	assert_non_null(strstr(r.body, "name=\"options-1-del\""));
	assert_null(strstr(r.body, "name=\"options-2-del\""));
	http_free(&r);

	/* Keep the first (new label), remove the second, add one without an id,
	 * and an "other" option. */
	assert_int_equal(
	        POST_STATUS(&w, path_of(id, 1, p), "text-nl", "Over wie gaat het?", "text-en",
	                    "Who is it about?", "id", qid, "perspective", "teller", "required", "1",
	                    "options-rows", "4", "options-0-id", "mijzelf", "options-0-label-nl",
	                    "Over mijzelf", "options-0-label-en", "Me", "options-0-from", "mijzelf",
	                    "options-1-id", "iemand-anders", "options-1-label-nl",
	                    "Over iemand anders", "options-1-from", "iemand-anders",
	                    "options-1-del", "1", "options-2-id", "", "options-2-label-nl",
	                    "Over mijn buurt", "options-2-label-en", "My neighbourhood",
	                    "options-2-from", "", "options-3-id", "", "options-3-label-nl", "",
	                    "options-3-from", "", "other-nl", "Iets anders, namelijk", NULL),
	        303);
	j = stored(&w, id, 1);
	json_t *q = question(j, qid);
	assert_non_null(q);
	assert_true(json_is_true(json_object_get(q, "required")));
	json_t *opts = json_object_get(q, "options");
	assert_int_equal(json_array_size(opts), 2);
	json_t *a = json_array_get(opts, 0), *b = json_array_get(opts, 1);
	assert_string_equal(json_string_value(json_object_get(a, "id")), "mijzelf");
	assert_string_equal(json_string_value(json_object_get(json_object_get(a, "label"), "en")),
	                    "Me");
	assert_string_equal(json_string_value(json_object_get(json_object_get(a, "label"), "de")),
	                    "Uber mich");
	assert_string_equal(json_string_value(json_object_get(b, "id")), "over-mijn-buurt");
	assert_string_equal(json_string_value(json_object_get(json_object_get(q, "other"), "nl")),
	                    "Iets anders, namelijk");
	assert_string_equal(json_string_value(json_object_get(json_object_get(q, "text"), "en")),
	                    "Who is it about?");
	json_decref(j);

	/* A condition on the choice: a text question asked only for "mijzelf". */
	char tq[80];
	assert_int_equal(add_question(&w, id, "text", tq, sizeof tq), 303);
	char tp[160];
	snprintf(tp, sizeof tp, "/vragen/%s", tq);
	char cond[120];
	snprintf(cond, sizeof cond, "%s:mijzelf", qid);
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, tp), "text-nl", "Wat deed u zelf?", "id",
	                             tq, "show_if", cond, "long", "1", "max_length", "900", NULL),
	                 303);
	j = stored(&w, id, 1);
	q = question(j, tq);
	json_t *c = json_object_get(q, "show_if");
	assert_string_equal(json_string_value(json_object_get(c, "question")), qid);
	assert_string_equal(json_string_value(json_array_get(json_object_get(c, "is"), 0)),
	                    "mijzelf");
	assert_int_equal(json_integer_value(json_object_get(q, "max_length")), 900);
	json_decref(j);
	/* Answers of two questions as the condition: refused by the form. */
	char cond2[120];
	snprintf(cond2, sizeof cond2, "q-verhaal:p-1");
	assert_int_equal(who_post(&w, path_of(id, 1, tp), &r, "text-nl", "Wat deed u zelf?", "id",
	                          tq, "show_if", cond, "show_if", cond2, NULL),
	                 422);
	assert_non_null(strstr(r.body, "one earlier question only"));
	http_free(&r);
	/* Renaming the choice's id takes the condition along. */
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, p), "text-nl", "Over wie gaat het?", "id",
	                             "q-wie", "options-rows", "2", "options-0-id", "mijzelf",
	                             "options-0-label-nl", "Over mijzelf", "options-0-from",
	                             "mijzelf", "options-1-id", "over-mijn-buurt",
	                             "options-1-label-nl", "Over mijn buurt", "options-1-from",
	                             "over-mijn-buurt", NULL),
	                 303);
	j = stored(&w, id, 1);
	assert_null(question(j, qid));
	assert_string_equal(json_string_value(json_object_get(
	                            json_object_get(question(j, tq), "show_if"), "question")),
	                    "q-wie");
	json_decref(j);
	/* Deleting the choice is refused: the text question depends on it. */
	char before[4096];
	char *t = stored_text(&w, id, 1);
	snprintf(before, sizeof before, "%s", t);
	free(t);
	assert_int_equal(who_post(&w, path_of(id, 1, "/vragen/q-wie/verwijderen"), &r, NULL), 422);
	assert_non_null(strstr(r.body, "not an earlier question"));
	http_free(&r);
	t = stored_text(&w, id, 1);
	assert_string_equal(t, before);
	free(t);
}

static void test_move_and_delete(void **state)
{
	struct who w;
	login(&w, "redacteur", EDITOR_PW);
	long long id = create(&w, "Volgorde");
	char a[80], b[80];
	assert_int_equal(add_question(&w, id, "dyad", a, sizeof a), 303);
	assert_int_equal(add_question(&w, id, "triad", b, sizeof b), 303);
	char out[512];
	json_t *j = stored(&w, id, 1);
	order(j, out, sizeof out);
	json_decref(j);
	assert_string_equal(out, "q-verhaal q-dyad-1 q-triad-1 ");

	struct http_resp r;
	assert_int_equal(who_post(&w, path_of(id, 1, "/vragen/q-triad-1/verplaatsen"), &r,
	                          "richting", "omhoog", NULL),
	                 303);
	assert_non_null(strstr(wt_location(&r), "ok=moved#vraag-q-triad-1"));
	http_free(&r);
	j = stored(&w, id, 1);
	order(j, out, sizeof out);
	json_decref(j);
	assert_string_equal(out, "q-verhaal q-triad-1 q-dyad-1 ");
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/vragen/q-verhaal/verplaatsen"),
	                             "richting", "omlaag", NULL),
	                 303);
	j = stored(&w, id, 1);
	order(j, out, sizeof out);
	json_decref(j);
	assert_string_equal(out, "q-triad-1 q-verhaal q-dyad-1 ");
	/* At the top already. */
	assert_int_equal(who_post(&w, path_of(id, 1, "/vragen/q-triad-1/verplaatsen"), &r,
	                          "richting", "omhoog", NULL),
	                 422);
	assert_non_null(strstr(r.body, "at the edge"));
	http_free(&r);
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/vragen/q-triad-1/verplaatsen"),
	                             "richting", "sideways", NULL),
	                 422);
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/vragen/q-nope/verplaatsen"), "richting",
	                             "omhoog", NULL),
	                 404);

	/* Into a new section and back across the border. */
	const char *const s[] = {"type", "date", NULL};
	assert_int_equal(
	        who_post_multipart(&w, path_of(id, 1, "/secties"), NULL, NULL, NULL, 0, &r, s),
	        303);
	http_free(&r);
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/vragen/q-dyad-1/verplaatsen"), "richting",
	                             "omlaag", NULL),
	                 303);
	j = stored(&w, id, 1);
	order(j, out, sizeof out);
	json_decref(j);
	assert_string_equal(out, "q-triad-1 q-verhaal | q-dyad-1 q-date-1 ");
	/* Deleting the dyad; then the date is the only question of its
	 * section: moving it up is refused, deleting takes the section. */
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/vragen/q-dyad-1/verwijderen"), NULL),
	                 303);
	assert_int_equal(who_post(&w, path_of(id, 1, "/vragen/q-date-1/verplaatsen"), &r,
	                          "richting", "omhoog", NULL),
	                 422);
	assert_non_null(strstr(r.body, "only question of its section"));
	http_free(&r);
	assert_int_equal(who_post(&w, path_of(id, 1, "/vragen/q-date-1/verwijderen"), &r, NULL),
	                 303);
	assert_non_null(strstr(wt_location(&r), "section_deleted"));
	http_free(&r);
	j = stored(&w, id, 1);
	order(j, out, sizeof out);
	json_decref(j);
	assert_string_equal(out, "q-triad-1 q-verhaal ");
	/* The last question stays. */
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/vragen/q-triad-1/verwijderen"), NULL),
	                 303);
	assert_int_equal(who_post(&w, path_of(id, 1, "/vragen/q-verhaal/verwijderen"), &r, NULL),
	                 422);
	assert_non_null(strstr(r.body, "only question"));
	http_free(&r);
}

static void test_broken_edit(void **state)
{
	struct who w;
	login(&w, "redacteur", EDITOR_PW);
	long long id = create(&w, "Kapot");
	char q[80];
	assert_int_equal(add_question(&w, id, "triad", q, sizeof q), 303);
	char *before = stored_text(&w, id, 1);
	/* Two corners with the same id: the reader refuses, naming the place;
	 * the typed texts are shown again; nothing is stored. */
	struct http_resp r;
	char p[160];
	snprintf(p, sizeof p, "/vragen/%s", q);
	assert_int_equal(who_post(&w, path_of(id, 1, p), &r, "text-nl", "Mijn getypte vraag", "id",
	                          q, "corners-rows", "3", "corners-0-id", "a", "corners-0-label-nl",
	                          "Een", "corners-0-from", "gemeente", "corners-1-id", "a",
	                          "corners-1-label-nl", "Twee", "corners-1-from", "omgeving",
	                          "corners-2-id", "c", "corners-2-label-nl", "Drie",
	                          "corners-2-from", "zelf", NULL),
	                 422);
	assert_non_null(strstr(r.body, "corners[1].id: duplicate id"));
	assert_non_null(strstr(r.body, "Mijn getypte vraag"));
	assert_non_null(strstr(r.body, "href=\"#corners-1-id\""));
	assert_non_null(strstr(r.body, "id=\"corners-1-id\""));
	http_free(&r);
	char *after = stored_text(&w, id, 1);
	assert_string_equal(before, after);
	free(after);
	/* A scale with 6 points, a multi with min > max, an empty id: refused. */
	char sq[80];
	assert_int_equal(add_question(&w, id, "scale", sq, sizeof sq), 303);
	free(before);
	before = stored_text(&w, id, 1);
	snprintf(p, sizeof p, "/vragen/%s", sq);
	assert_int_equal(who_post(&w, path_of(id, 1, p), &r, "text-nl", "Hoe?", "id", sq, "points",
	                          "6", "low-nl", "Laag", "high-nl", "Hoog", NULL),
	                 422);
	assert_non_null(strstr(r.body, "points: must be"));
	http_free(&r);
	assert_int_equal(who_post(&w, path_of(id, 1, p), &r, "text-nl", "Hoe?", "id", "", "points",
	                          "5", "low-nl", "Laag", "high-nl", "Hoog", NULL),
	                 422);
	assert_non_null(strstr(r.body, "must be 1-64 letters"));
	/* The form still goes to the stored question. */
	char action[200];
	snprintf(action, sizeof action, "action=\"%s\"", path_of(id, 1, p));
	assert_non_null(strstr(r.body, action));
	http_free(&r);
	/* A stale form (someone saved in between) is not stored either. */
	assert_int_equal(who_post(&w, path_of(id, 1, p), &r, "stamp", "1", "text-nl", "Hoe?", "id",
	                          sq, "points", "5", "low-nl", "Laag", "high-nl", "Hoog", NULL),
	                 409);
	http_free(&r);
	after = stored_text(&w, id, 1);
	assert_string_equal(before, after);
	free(after);
	free(before);
	/* A question that is not there. */
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/vragen/q-nope"), "text-nl", "x", NULL),
	                 404);
	assert_int_equal(get_status(&w, path_of(id, 1, "/vragen/q-nope")), 404);
	assert_int_equal(get_status(&w, path_of(id, 9, "")), 404);
	assert_int_equal(get_status(&w, "/vragenlijsten/1/versies/abc"), 404);
}

static void test_texts(void **state)
{
	struct who w;
	login(&w, "redacteur", EDITOR_PW);
	long long id = create(&w, "Teksten");
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/teksten"), "title-nl", "Nieuwe titel",
	                             "title-en", "New title", "introduction-nl",
	                             "Welkom.\r\n\r\nHet duurt 5 minuten.", "privacy-nl", "",
	                             "thanks-nl", "Dank u wel.", "sections-0-title-nl", "Deel 1",
	                             NULL),
	                 303);
	json_t *j = stored(&w, id, 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "title"), "en")),
	                    "New title");
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(j, "introduction"), "nl")),
	        "Welkom.\n\nHet duurt 5 minuten.");
	/* An empty optional section title goes; the privacy text is kept empty
	 * and the check says so. */
	json_t *sec = json_array_get(json_object_get(j, "sections"), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(sec, "title"), "nl")),
	                    "Deel 1");
	json_decref(j);
	struct http_resp r;
	assert_int_equal(who_get(&w, path_of(id, 1, ""), &r), 200);
	assert_non_null(strstr(r.body, "The privacy text is empty"));
	assert_non_null(strstr(r.body, "vp-lint__item--error"));
	http_free(&r);
	/* Publishing with a lint error is refused. */
	assert_int_equal(who_post(&w, path_of(id, 1, "/status"), &r, "naar", "published", NULL),
	                 422);
	assert_non_null(strstr(r.body, "has errors"));
	http_free(&r);
}

static void test_import(void **state)
{
	struct who w;
	login(&w, "redacteur", EDITOR_PW);
	static const char good[] =
	        "{\"format\":\"vertelpunt-script/1\",\"key\":\"ingevoerd\",\"title\":{\"nl\":"
	        "\"Ingevoerd\"},\"privacy\":{\"nl\":\"Alleen wij.\"},\"sections\":[{\"id\":\"s\","
	        "\"questions\":[{\"id\":\"q\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"
	        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]}]}]}";
	static const char bad[] =
	        "{\"format\":\"vertelpunt-script/1\",\"key\":\"kapot\",\"title\":{\"nl\":"
	        "\"Kapot\"},\"privacy\":{\"nl\":\"Alleen wij.\"},\"sections\":[{\"id\":\"s\","
	        "\"questions\":[{\"id\":\"q-x\",\"type\":\"magic\",\"text\":{\"nl\":\"Vertel\"}}]}]"
	        "}";
	long long before = count_scripts();
	struct http_resp r;
	assert_int_equal(who_post_multipart(&w, "/vragenlijsten/import", "file", "kapot.json", bad,
	                                    strlen(bad), &r, NULL),
	                 422);
	assert_non_null(
	        strstr(r.body, "sections[0].questions[0] (q-x).type: unknown question type"));
	http_free(&r);
	assert_int_equal(who_post_multipart(&w, "/vragenlijsten/import", "file", "x.json", "{nope",
	                                    5, &r, NULL),
	                 422);
	assert_non_null(strstr(r.body, "not valid JSON"));
	http_free(&r);
	assert_int_equal(
	        who_post_multipart(&w, "/vragenlijsten/import", NULL, NULL, NULL, 0, &r, NULL),
	        422);
	http_free(&r);
	assert_int_equal(POST_STATUS(&w, "/vragenlijsten/import", "file", "x", NULL), 415);
	assert_int_equal(count_scripts(), before);

	assert_int_equal(who_post_multipart(&w, "/vragenlijsten/import", "file", "goed.json", good,
	                                    strlen(good), &r, NULL),
	                 303);
	long long id;
	int v;
	assert_int_equal(
	        sscanf(wt_location(&r), "/vragenlijsten/%lld/versies/%d?ok=imported", &id, &v), 2);
	http_free(&r);
	assert_int_equal(count_scripts(), before + 1);
	/* The same key again while a draft exists: refused with a link to it. */
	assert_int_equal(who_post_multipart(&w, "/vragenlijsten/import", "file", "goed.json", good,
	                                    strlen(good), &r, NULL),
	                 409);
	assert_non_null(strstr(r.body, path_of(id, 1, "")));
	http_free(&r);
	assert_int_equal(count_scripts(), before + 1);
}

static void test_library(void **state)
{
	struct who w;
	login(&w, "redacteur", EDITOR_PW);
	struct http_resp r;
	assert_int_equal(who_post(&w, "/vragenlijsten/bibliotheek/spiegelgesprek", &r, NULL), 303);
	long long id;
	int v;
	assert_int_equal(
	        sscanf(wt_location(&r), "/vragenlijsten/%lld/versies/%d?ok=library", &id, &v), 2);
	http_free(&r);
	assert_int_equal(v, 1);
	/* Again: a draft exists; a clear refusal with a link to it. */
	assert_int_equal(who_post(&w, "/vragenlijsten/bibliotheek/spiegelgesprek", &r, NULL), 409);
	assert_non_null(strstr(r.body, "already has a draft"));
	assert_non_null(strstr(r.body, path_of(id, 1, "")));
	http_free(&r);
	/* Published, then used again: a new draft version of the same script. */
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/status"), "naar", "published", NULL),
	                 303);
	assert_int_equal(who_post(&w, "/vragenlijsten/bibliotheek/spiegelgesprek", &r, NULL), 303);
	assert_string_equal(wt_location(&r), path_of(id, 2, "?ok=library"));
	http_free(&r);
	/* A template with a picture (a pin question). */
	assert_int_equal(
	        who_post(&w, "/vragenlijsten/bibliotheek/ruimtelijk-plan-keukentafel", &r, NULL),
	        303);
	assert_int_equal(sscanf(wt_location(&r), "/vragenlijsten/%lld/versies/%d", &id, &v), 2);
	http_free(&r);
	json_t *j = stored(&w, id, 1);
	size_t i, k;
	json_t *sec, *q;
	int pins = 0;
	json_array_foreach(json_object_get(j, "sections"), i, sec)
	{
		json_array_foreach(json_object_get(sec, "questions"), k, q)
		{
			if (strcmp(json_string_value(json_object_get(q, "type")), "pin") == 0) {
				char up[64];
				snprintf(up, sizeof up, "/uploads/%s",
				         json_string_value(json_object_get(q, "image")));
				assert_int_equal(get_status(&w, up), 200);
				pins++;
			}
		}
	}
	json_decref(j);
	assert_true(pins > 0);
	assert_int_equal(POST_STATUS(&w, "/vragenlijsten/bibliotheek/bestaat-niet", NULL), 404);
}

static void test_status(void **state)
{
	struct who w;
	login(&w, "redacteur", EDITOR_PW);
	long long id = create(&w, "Status");
	char c[80];
	assert_int_equal(add_question(&w, id, "choice", c, sizeof c), 303);
	struct http_resp r;
	/* Deleting needs the tick. */
	assert_int_equal(who_post(&w, path_of(id, 1, "/status"), &r, "naar", "deleted", NULL), 422);
	http_free(&r);
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/status"), "naar", "draft", NULL), 422);
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/status"), "naar", "pilot", NULL), 303);
	assert_int_equal(who_get(&w, path_of(id, 1, "?ok=pilot"), &r), 200);
	assert_non_null(strstr(r.body, "vp-status--warning"));
	/* A pilot shows its content read-only: no editing forms. */
	assert_null(strstr(r.body, "/verplaatsen\""));
	assert_null(strstr(r.body, "name=\"title-nl\""));
	assert_non_null(strstr(r.body, "/nieuwe-versie"));
	http_free(&r);
	assert_int_equal(who_get(&w, path_of(id, 1, "/vragen/q-choice-1"), &r), 200);
	assert_non_null(strstr(r.body, "<fieldset class=\"vp-plain-fieldset\" disabled>"));
	http_free(&r);
	/* Not a draft: no change. */
	assert_int_equal(
	        POST_STATUS(&w, path_of(id, 1, "/vragen"), "type", "text", "section", "s-1", NULL),
	        409);
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/teksten"), "title-nl", "x", NULL), 409);
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/vragen/q-choice-1/verwijderen"), NULL),
	                 409);
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/status"), "naar", "published", NULL),
	                 303);
	/* A new version; changing the choice's options keeps the id: refused
	 * on publishing, with a way out. */
	assert_int_equal(who_post(&w, path_of(id, 1, "/nieuwe-versie"), &r, NULL), 303);
	assert_string_equal(wt_location(&r), path_of(id, 2, "?ok=copied"));
	http_free(&r);
	assert_int_equal(who_post(&w, path_of(id, 1, "/nieuwe-versie"), &r, NULL), 303);
	assert_string_equal(wt_location(&r), path_of(id, 2, "?ok=has_draft"));
	http_free(&r);
	const char *p = path_of(id, 2, "/vragen/q-choice-1");
	assert_int_equal(POST_STATUS(&w, p, "text-nl", "Over wie?", "id", "q-choice-1",
	                             "options-rows", "2", "options-0-id", "ja",
	                             "options-0-label-nl", "Ja", "options-0-from", "mijzelf",
	                             "options-1-id", "nee", "options-1-label-nl", "Nee",
	                             "options-1-from", "iemand-anders", NULL),
	                 303);
	assert_int_equal(who_post(&w, path_of(id, 2, "/status"), &r, "naar", "published", NULL),
	                 422);
	assert_non_null(strstr(r.body, "This is a new question (new id)"));
	assert_non_null(strstr(r.body, path_of(id, 2, "/vragen/q-choice-1")));
	http_free(&r);
	/* The way out: a new id. */
	assert_int_equal(who_post(&w, p, &r, "text-nl", "Over wie?", "id", "q-choice-1", "new_id",
	                          "1", "options-rows", "2", "options-0-id", "ja",
	                          "options-0-label-nl", "Ja", "options-0-from", "ja",
	                          "options-1-id", "nee", "options-1-label-nl", "Nee",
	                          "options-1-from", "nee", NULL),
	                 303);
	assert_non_null(strstr(wt_location(&r), "#vraag-q-choice-2"));
	http_free(&r);
	assert_int_equal(POST_STATUS(&w, path_of(id, 2, "/status"), "naar", "published", NULL),
	                 303);
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/status"), "naar", "retired", NULL), 303);
	assert_int_equal(POST_STATUS(&w, path_of(id, 1, "/status"), "naar", "published", NULL),
	                 409);
	/* A new draft, deleted again. */
	assert_int_equal(POST_STATUS(&w, path_of(id, 2, "/nieuwe-versie"), NULL), 303);
	assert_int_equal(who_post(&w, path_of(id, 3, "/status"), &r, "naar", "deleted", "bevestig",
	                          "1", NULL),
	                 303);
	assert_string_equal(wt_location(&r), "/vragenlijsten?ok=deleted");
	http_free(&r);
	assert_int_equal(get_status(&w, path_of(id, 3, "")), 404);
	assert_int_equal(POST_STATUS(&w, path_of(id, 9, "/status"), "naar", "published", NULL),
	                 404);
	assert_int_equal(POST_STATUS(&w, path_of(id, 9, "/nieuwe-versie"), NULL), 404);
}

static void test_reader(void **state)
{
	struct who ed, rd;
	login(&ed, "redacteur", EDITOR_PW);
	long long id = create(&ed, "Alleen lezen");
	login(&rd, "lezer", READER_PW);
	struct http_resp r;
	assert_int_equal(who_get(&rd, "/vragenlijsten", &r), 200);
	assert_null(strstr(r.body, "action=\"/vragenlijsten\""));
	assert_null(strstr(r.body, "/vragenlijsten/bibliotheek/"));
	http_free(&r);
	assert_int_equal(who_get(&rd, path_of(id, 1, ""), &r), 200);
	assert_null(strstr(r.body, "/verplaatsen"));
	assert_null(strstr(r.body, "/status\""));
	http_free(&r);
	assert_int_equal(who_get(&rd, path_of(id, 1, "/vragen/q-verhaal"), &r), 200);
	assert_non_null(strstr(r.body, "disabled"));
	http_free(&r);
	assert_int_equal(get_status(&rd, path_of(id, 1, "/voorbeeld")), 200);
	const char *posts[] = {"/vragenlijsten",
	                       "/vragenlijsten/import",
	                       "/vragenlijsten/bibliotheek/open-vertelpunt",
	                       path_of(id, 1, "/teksten"),
	                       path_of(id, 1, "/vragen"),
	                       path_of(id, 1, "/secties"),
	                       path_of(id, 1, "/vragen/q-verhaal"),
	                       path_of(id, 1, "/vragen/q-verhaal/verplaatsen"),
	                       NULL};
	for (int i = 0; posts[i]; i++)
		assert_int_equal(POST_STATUS(&rd, posts[i], "title", "x", "type", "text", NULL),
		                 403);
	assert_int_equal(POST_STATUS(&rd, path_of(id, 1, "/vragen/q-verhaal/verwijderen"), NULL),
	                 403);
	assert_int_equal(POST_STATUS(&rd, path_of(id, 1, "/status"), "naar", "published", NULL),
	                 403);
	assert_int_equal(POST_STATUS(&rd, path_of(id, 1, "/nieuwe-versie"), NULL), 403);
	/* Nothing changed; the editor still can. */
	json_t *j = stored(&ed, id, 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "title"), "nl")),
	                    "Alleen lezen");
	json_decref(j);
	/* Without a session: to the login page. */
	struct jar anon = {.ip = "10.4.9.9"};
	assert_int_equal(http_get(port, &anon, "/vragenlijsten", &r), 0);
	assert_int_equal(r.status, 303);
	http_free(&r);
}

static void test_preview(void **state)
{
	struct who w;
	login(&w, "redacteur", EDITOR_PW);
	long long id = create(&w, "Voorbeeld");
	char q[80];
	assert_int_equal(add_question(&w, id, "triad", q, sizeof q), 303);
	assert_int_equal(add_question(&w, id, "dyad", q, sizeof q), 303);
	struct http_resp r;
	assert_int_equal(who_get(&w, path_of(id, 1, "/voorbeeld"), &r), 200);
	/* In the interface language (English here), else Dutch. */
	assert_non_null(strstr(r.body, "Tell your story."));
	assert_non_null(strstr(r.body, "What helped you most?"));
	assert_non_null(strstr(r.body, "What was your story mostly about?"));
	assert_non_null(strstr(r.body, "Who can read your story?"));
	assert_non_null(strstr(r.body, "Only the staff of the municipality"));
	assert_non_null(strstr(r.body, "id=\"q-q-triad-1\""));
	assert_non_null(strstr(r.body, "type=\"submit\" disabled"));
	assert_non_null(strstr(r.body, "/static/widgets.js"));
	/* Our own pages may frame the preview; nobody else. */
	assert_non_null(
	        strstr(http_header(&r, "Content-Security-Policy"), "frame-ancestors 'self'"));
	assert_string_equal(http_header(&r, "X-Frame-Options"), "SAMEORIGIN");
	http_free(&r);
	assert_int_equal(who_get(&w, path_of(id, 1, "/voorbeeld/telefoon"), &r), 200);
	assert_non_null(strstr(r.body, "<iframe class=\"vp-phone__frame\" width=\"390\" "
	                               "height=\"844\""));
	assert_non_null(
	        strstr(http_header(&r, "Content-Security-Policy"), "frame-ancestors 'none'"));
	assert_string_equal(http_header(&r, "X-Frame-Options"), "DENY");
	http_free(&r);
	assert_int_equal(who_get(&w, path_of(id, 1, ""), &r), 200);
	assert_string_equal(http_header(&r, "X-Frame-Options"), "DENY");
	http_free(&r);
	assert_int_equal(get_status(&w, path_of(id, 7, "/voorbeeld")), 404);
	assert_int_equal(get_status(&w, path_of(id, 7, "/voorbeeld/telefoon")), 404);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_list_and_create), cmocka_unit_test(test_every_type),
	        cmocka_unit_test(test_edit_options),    cmocka_unit_test(test_move_and_delete),
	        cmocka_unit_test(test_broken_edit),     cmocka_unit_test(test_texts),
	        cmocka_unit_test(test_import),          cmocka_unit_test(test_library),
	        cmocka_unit_test(test_status),          cmocka_unit_test(test_reader),
	        cmocka_unit_test(test_preview),
	};
	return cmocka_run_group_tests_name("scripts_pages", tests, setup, teardown);
}
