/* test_trajectories.c: trajectories over HTTP: starting and changing one, its preconditions, who sees it (another trajectory's records answer 404, also by id in the URL), its public page and contact form. */
#include "../unit/testutil.h"

#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "model/trajectory.h"
#include "model/user.h"

#include <jansson.h>

#define PW "a long password 1234"

#define SCRIPT_TEXT                                                                           \
	"{\"format\":\"vertelpunt-script/1\",\"key\":\"traj\",\"title\":{\"nl\":\"Plein\"},"  \
	"\"privacy\":{\"nl\":\"Alleen de gemeente leest dit.\"},\"sections\":[{\"id\":\"s\"," \
	"\"questions\":[{\"id\":\"q\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"       \
	"\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]}]}]}"

static int ipn;
/* Seeded: trajectory "theirs" (only Bea on it) with a collection, and a
 * collection outside any trajectory. */
static long long theirs_id, theirs_coll, loose_coll, script_id;

static int setup(void **state)
{
	if (image_init() != 0)
		return -1;
	db *d = fixture_open("trajectories");
	int64_t org;
	if (!d || org_ensure(d, "Gemeente Test", &org) != DB_OK)
		return -1;
	if (fixture_user(d, org, "anna", "Anna Gesprek", ROLE_GESPREKSVOERDER, PW, 0) <= 0 ||
	    fixture_user(d, org, "bea", "Bea Ander", ROLE_GESPREKSVOERDER, PW, 0) <= 0 ||
	    fixture_user(d, org, "beheer", "Bert Beheer", ROLE_BEHEERDER, PW, 0) <= 0 ||
	    fixture_user(d, org, "lezer", "Lex Lezer", ROLE_MEELEZER, PW, 0) <= 0 ||
	    fixture_user(d, org, "piet", "Piet Proces", ROLE_PROCESBEGELEIDER, PW, 0) <= 0)
		return -1;
	struct user bea;
	if (user_by_name(d, "bea", &bea, NULL) != DB_ROW)
		return -1;
	struct trajectory_new t = {.org_id = org,
	                           .user_id = bea.id,
	                           .f = {.title = "Zorg in Noord", .scope = "Alles"}};
	if (trajectory_create_write(d, &t) != DB_OK)
		return -1;
	theirs_id = t.id;
	int64_t sid = wt_script(d, org, SCRIPT_TEXT, NULL);
	script_id = sid;
	struct collection_new cn = {.org_id = org,
	                            .title = "Verhalen Noord",
	                            .purpose = "Leren",
	                            .script_id = sid,
	                            .script_version = 1,
	                            .retention_days = 30,
	                            .trajectory_id = theirs_id};
	if (collection_create_write(d, &cn) != DB_OK || cn.result != COLLECTION_OK)
		return -1;
	theirs_coll = cn.id;
	loose_coll = wt_collection(d, org, sid, "Los", NULL);
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.per_ip_limit = 60;
	return fixture_start(d, &cfg);
}

static int teardown(void **state)
{
	return fixture_stop();
}

static void login(struct who *w, const char *user)
{
	char ip[32];
	wt_ip(ip, sizeof ip, 7, ++ipn);
	who_login(w, user, PW, ip);
}

static int get(struct who *w, const char *path)
{
	struct http_resp r;
	int st = who_get(w, path, &r);
	http_free(&r);
	return st;
}

/* Starts a trajectory as w; returns its id (from the redirect). */
static long long start(struct who *w, const char *title)
{
	struct http_resp r;
	assert_int_equal(who_post(w, "/trajecten", &r, "title", title, "ladder", "raadplegen",
	                          "retention", "365", NULL),
	                 303);
	long long id = 0;
	assert_int_equal(sscanf(wt_location(&r), "/trajecten/%lld?ok=created", &id), 1);
	http_free(&r);
	return id;
}

static void test_start_and_prepare(void **state)
{
	struct who anna;
	login(&anna, "anna");
	long long id = start(&anna, "Herinrichting van het Café-plein <b>");
	char path[64], edit[80];
	snprintf(path, sizeof path, "/trajecten/%lld", id);
	snprintf(edit, sizeof edit, "/trajecten/%lld/bewerken", id);
	struct http_resp r;
	assert_int_equal(who_get(&anna, path, &r), 200);
	/* escaped, with the three preconditions listed */
	assert_true(wt_has(&r, "Herinrichting van het Café-plein &lt;b&gt;"));
	assert_false(wt_has(&r, "plein <b>"));
	assert_true(wt_has(&r, "Before you can invite anyone, fill in:"));
	assert_true(wt_has(&r, "why these people or this area"));
	assert_true(wt_has(&r, "Anna Gesprek"));
	http_free(&r);

	/* bad input: refused with the reason, nothing changed */
	static const struct {
		const char *field, *value, *says;
	} bad[] = {
	        {"title", "", "Give the trajectory a subject"},
	        {"ladder", "hoogste", "Choose a rung"},
	        {"starts_on", "2026-02-30", "start date"},
	        {"retention", "0", "retention period"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *title = strcmp(bad[i].field, "title") == 0 ? bad[i].value : "Nieuw";
		const char *ladder =
		        strcmp(bad[i].field, "ladder") == 0 ? bad[i].value : "adviseren";
		const char *starts = strcmp(bad[i].field, "starts_on") == 0 ? bad[i].value : "";
		const char *days = strcmp(bad[i].field, "retention") == 0 ? bad[i].value : "30";
		assert_int_equal(who_post(&anna, edit, &r, "title", title, "ladder", ladder,
		                          "starts_on", starts, "retention", days, NULL),
		                 422);
		if (!wt_has(&r, bad[i].says))
			fail_msg("%s=%s: no \"%s\" in the answer", bad[i].field, bad[i].value,
			         bad[i].says);
		http_free(&r);
	}
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT title, ladder FROM trajectories WHERE id = :id");
	db_bind_int(s, "id", id);
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "Herinrichting van het Café-plein <b>");
	assert_string_equal(db_col_text(s, 1), "raadplegen");
	db_finalize(s);
	db_close(d);

	/* filled in: ready to invite, the public page shown */
	long long kt = wt_count("SELECT id FROM methods WHERE slug = 'keukentafelgesprek'");
	char method_field[40];
	snprintf(method_field, sizeof method_field, "method-%lld", kt);
	assert_int_equal(who_post(&anna, edit, &r, method_field, "1", "title", "Het Café-plein",
	                          "question", "Hoe wilt u het plein gebruiken?", "scope",
	                          "Bomen en banken: open. De weg: al besloten.", "ladder",
	                          "adviseren", "selection_rationale", "U woont aan het plein.",
	                          "contact_route", "Bel 14 020.", "starts_on", "2026-03-01",
	                          "ends_on", "2026-06-30", "retention", "400", "published", "1",
	                          NULL),
	                 303);
	http_free(&r);
	assert_int_equal(who_get(&anna, path, &r), 200);
	assert_true(wt_has(&r, "Ready to invite"));
	/* the method chosen, linked to the catalogue */
	char method_href[48];
	snprintf(method_href, sizeof method_href, "href=\"/werkvormen/%lld\"", kt);
	assert_true(wt_has(&r, method_href));
	assert_int_equal(wt_count("SELECT count(*) FROM trajectory_methods"), 1);
	/* the public address keeps the first title: links already sent stay */
	assert_true(wt_has(&r, "/meedoen/herinrichting-van-het-cafe-plein-b\""));
	http_free(&r);

	/* the public page: no login, what it is about, no staff accounts */
	struct browser b;
	browser_new(&b, 8);
	assert_int_equal(
	        browser_send(&b, "GET", "/meedoen/herinrichting-van-het-cafe-plein-b", NULL, &r),
	        200);
	assert_true(wt_has(&r, "Bomen en banken: open."));
	assert_true(wt_has(&r, "U woont aan het plein."));
	assert_true(wt_has(&r, "Anna Gesprek"));
	assert_false(wt_has(&r, "anna\""));
	assert_false(wt_has(&r, ">anna<"));
	http_free(&r);
}

static void test_public_contact(void **state)
{
	struct who anna;
	login(&anna, "anna");
	long long id = start(&anna, "Speeltuin Zuid");
	char edit[80], contact[80];
	snprintf(edit, sizeof edit, "/trajecten/%lld/bewerken", id);
	snprintf(contact, sizeof contact, "/trajecten/%lld/contact", id);
	struct http_resp r;
	/* not published: no public page */
	struct browser b;
	browser_new(&b, 8);
	assert_int_equal(browser_send(&b, "GET", "/meedoen/speeltuin-zuid", NULL, &r), 404);
	http_free(&r);
	assert_int_equal(
	        who_post(&anna, edit, &r, "title", "Speeltuin Zuid", "published", "1", NULL), 303);
	http_free(&r);
	assert_int_equal(browser_send(&b, "GET", "/meedoen/speeltuin-zuid", NULL, &r), 200);
	http_free(&r);
	char token[128];
	snprintf(token, sizeof token, "%s", b.token);
	/* without a way to answer: refused, and the message is kept in the form */
	assert_int_equal(browser_post(&b, "/meedoen/speeltuin-zuid/contact", token,
	                              "name=Jan&message=Mag%20ik%20meedoen%3F", &r),
	                 422);
	/* (a visitor without a language cookie reads Dutch) */
	assert_true(wt_has(&r, "Geef een e-mailadres of een telefoonnummer, zodat we u kunnen"));
	assert_true(wt_has(&r, "Mag ik meedoen?"));
	http_free(&r);
	assert_int_equal(browser_post(&b, "/meedoen/speeltuin-zuid/contact", token,
	                              "name=Jan%20Speel&email=jan.speel%40example.org&message="
	                              "Mijn%20zoon%20heeft%20een%20rolstoel.",
	                              &r),
	                 201);
	assert_true(wt_has(&r, "Uw bericht is naar het team gestuurd"));
	http_free(&r);
	/* the request is in the access log, by an anonymous sender, with the code */
	assert_int_equal(wt_count("SELECT count(*) FROM audit_log WHERE action = 'create' AND "
	                          "object_type = 'contact_request' AND actor = 'anonymous' AND "
	                          "subject_code LIKE 'VP-%'"),
	                 1);
	/* the database file alone reveals neither the address nor the message */
	assert_false(wt_db_reveals("jan.speel@example.org"));
	assert_false(wt_db_reveals("rolstoel"));

	/* the team reads it; the view is in the access log */
	long long before = wt_count("SELECT count(*) FROM audit_log WHERE action = 'view' AND "
	                            "object_type = 'contact_request'");
	assert_int_equal(who_get(&anna, contact, &r), 200);
	assert_true(wt_has(&r, "jan.speel@example.org"));
	assert_true(wt_has(&r, "Mijn zoon heeft een rolstoel."));
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM audit_log WHERE action = 'view' AND "
	                          "object_type = 'contact_request'"),
	                 before + 1);
	long long cid = wt_count("SELECT max(id) FROM contact_requests");
	char handled[120];
	snprintf(handled, sizeof handled, "/trajecten/%lld/contact/%lld/afgehandeld", id, cid);
	assert_int_equal(who_post(&anna, handled, &r, NULL), 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM contact_requests WHERE handled_at IS NULL "
	                          "AND id = (SELECT max(id) FROM contact_requests)"),
	                 0);
	/* a contact request of another trajectory cannot be marked through this one */
	snprintf(handled, sizeof handled, "/trajecten/%lld/contact/%lld/afgehandeld", theirs_id,
	         cid);
	assert_int_equal(who_post(&anna, handled, &r, NULL), 404);
	http_free(&r);
}

/* Staff see only the trajectories they are on: another one's pages, its
 * collections, their explorer and analysis answer 404 by id; lists leave
 * them out; administrators see all. */
static void test_per_trajectory_access(void **state)
{
	struct who anna, bea, admin;
	login(&anna, "anna");
	login(&bea, "bea");
	login(&admin, "beheer");
	const char *tails[] = {"", "/bewerken", "/contact"};
	for (size_t i = 0; i < 3; i++) {
		char p[96];
		snprintf(p, sizeof p, "/trajecten/%lld%s", theirs_id, tails[i]);
		assert_int_equal(get(&anna, p), 404);
		assert_int_equal(get(&bea, p), 200);
		assert_int_equal(get(&admin, p), 200);
	}
	const char *heads[] = {"/verzamelingen/", "/verkennen/", "/api/v1/collections/",
	                       "/verzamelingen/"};
	const char *ctails[] = {"", "", "/analysis", "/poster"};
	for (size_t i = 0; i < 4; i++) {
		char p[96];
		snprintf(p, sizeof p, "%s%lld%s", heads[i], theirs_coll, ctails[i]);
		int st = get(&anna, p);
		if (st != 404)
			fail_msg("%s as someone not on the trajectory: %d", p, st);
		assert_int_equal(get(&bea, p), 200);
		assert_int_equal(get(&admin, p), 200);
		snprintf(p, sizeof p, "%s%lld%s", heads[i], loose_coll, ctails[i]);
		assert_int_equal(get(&anna, p), 200);
	}
	/* a change through another trajectory's id is refused before it is read */
	char p[96];
	snprintf(p, sizeof p, "/trajecten/%lld/bewerken", theirs_id);
	struct http_resp r;
	assert_int_equal(who_post(&anna, p, &r, "title", "Overgenomen", NULL), 404);
	http_free(&r);
	/* taking a story with a client into another trajectory's collection */
	snprintf(p, sizeof p, "/verzamelingen/%lld/opnemen", theirs_coll);
	assert_int_equal(who_post(&anna, p, &r, NULL), 404);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM trajectories WHERE title = 'Overgenomen'"),
	                 0);
	/* lists */
	assert_int_equal(who_get(&anna, "/trajecten", &r), 200);
	assert_false(wt_has(&r, "Zorg in Noord"));
	http_free(&r);
	assert_int_equal(who_get(&bea, "/trajecten", &r), 200);
	assert_true(wt_has(&r, "Zorg in Noord"));
	http_free(&r);
	assert_int_equal(who_get(&anna, "/api/v1/collections", &r), 200);
	assert_false(wt_has(&r, "Verhalen Noord"));
	assert_true(wt_has(&r, "\"Los\""));
	http_free(&r);
	assert_int_equal(who_get(&anna, "/verzamelingen", &r), 200);
	assert_false(wt_has(&r, "Verhalen Noord"));
	http_free(&r);
	/* a collection cannot be put into a trajectory one is not on */
	struct who piet;
	login(&piet, "piet");
	char body[160], hdr[200];
	snprintf(body, sizeof body,
	         "{\"title\":\"X\",\"purpose\":\"Y\",\"script_id\":1,\"script_version\":1,"
	         "\"trajectory_id\":%lld}",
	         theirs_id);
	snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s\r\n", piet.token);
	assert_int_equal(http_do(port, &piet.jar, "POST", "/api/v1/collections", "application/json",
	                         hdr, body, strlen(body), &r),
	                 0);
	assert_int_equal(r.status, 422);
	assert_true(wt_has(&r, "trajectory_id"));
	http_free(&r);
	/* the same through the collection form; into one's own it works */
	char version[32], tid[24];
	snprintf(version, sizeof version, "%lld:1", script_id);
	snprintf(tid, sizeof tid, "%lld", theirs_id);
	assert_int_equal(who_post(&piet, "/verzamelingen", &r, "title", "Stiekem", "purpose", "P",
	                          "version", version, "trajectory", tid, NULL),
	                 422);
	assert_true(wt_has(&r, "Choose a trajectory you work on, or none."));
	http_free(&r);
	long long own = start(&piet, "Eigen traject");
	snprintf(tid, sizeof tid, "%lld", own);
	assert_int_equal(who_post(&piet, "/verzamelingen", &r, "title", "Eigen verhalen", "purpose",
	                          "P", "version", version, "trajectory", tid, NULL),
	                 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM collections WHERE title = 'Stiekem'"), 0);
	char q[200];
	snprintf(q, sizeof q, "/trajecten/%lld", own);
	assert_int_equal(who_get(&piet, q, &r), 200);
	assert_true(wt_has(&r, "Eigen verhalen"));
	http_free(&r);
	/* and Anna, not on it, does not see that collection */
	assert_int_equal(who_get(&anna, "/verzamelingen", &r), 200);
	assert_false(wt_has(&r, "Eigen verhalen"));
	http_free(&r);

	/* Bea puts Anna on it: now she sees it; the last responsible official
	 * cannot be taken off */
	snprintf(p, sizeof p, "/trajecten/%lld/medewerkers", theirs_id);
	assert_int_equal(who_post(&bea, p, &r, "action", "add", "username", "anna", NULL), 303);
	http_free(&r);
	snprintf(p, sizeof p, "/verzamelingen/%lld", theirs_coll);
	assert_int_equal(get(&anna, p), 200);
	snprintf(p, sizeof p, "/trajecten/%lld/medewerkers", theirs_id);
	assert_int_equal(who_post(&anna, p, &r, "action", "remove", "username", "bea", NULL), 409);
	assert_true(wt_has(&r, "last responsible official"));
	http_free(&r);
	assert_int_equal(who_post(&bea, p, &r, "action", "remove", "username", "anna", NULL), 303);
	http_free(&r);
	snprintf(p, sizeof p, "/verzamelingen/%lld", theirs_coll);
	assert_int_equal(get(&anna, p), 404);
	/* an unknown user name */
	snprintf(p, sizeof p, "/trajecten/%lld/medewerkers", theirs_id);
	assert_int_equal(who_post(&bea, p, &r, "action", "add", "username", "niemand", NULL), 422);
	http_free(&r);
	/* readers may look at their trajectories but not start one */
	struct who lezer;
	login(&lezer, "lezer");
	assert_int_equal(get(&lezer, "/trajecten"), 200);
	assert_int_equal(who_post(&lezer, "/trajecten", &r, "title", "Mag niet", NULL), 403);
	http_free(&r);
}

/* The picture that makes a trajectory visual: sent with the form, needs a
 * description, kept when the form is saved without a new one, shown on the
 * trajectory's page and its public page, removed on request; at the
 * kitchen table a note can put a pin on it. */
static void test_material_and_pins(void **state)
{
	struct who anna;
	login(&anna, "anna");
	long long id = start(&anna, "De Kastanjelaan");
	char path[64], edit[80], pub[96];
	snprintf(path, sizeof path, "/trajecten/%lld", id);
	snprintf(edit, sizeof edit, "/trajecten/%lld/bewerken", id);
	const struct embedded_file *png = wt_library_png();
	assert_non_null(png);
	struct http_resp r;
	long long uploads = wt_count("SELECT count(*) FROM uploads");

	/* the edit form sends files */
	assert_int_equal(who_get(&anna, edit, &r), 200);
	assert_true(wt_has(&r, "enctype=\"multipart/form-data\""));
	assert_true(wt_has(&r, "name=\"material\""));
	http_free(&r);
	/* a picture without a description: refused, nothing stored */
	const char *no_alt[] = {"title", "De Kastanjelaan", "ladder", "raadplegen", "retention",
	                        "365",   "published",       "1",      NULL};
	assert_int_equal(who_post_multipart(&anna, edit, "material", "plan.png", png->data,
	                                    png->len, &r, no_alt),
	                 422);
	assert_true(wt_has(&r, "Describe the picture in a sentence"));
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM uploads"), uploads);
	/* not a picture: refused with the reason, nothing stored */
	const char *fields[] = {"title",
	                        "De Kastanjelaan",
	                        "ladder",
	                        "raadplegen",
	                        "retention",
	                        "365",
	                        "published",
	                        "1",
	                        "material_alt",
	                        "Kaart van de laan met de nieuwe bomen.",
	                        NULL};
	assert_int_equal(who_post_multipart(&anna, edit, "material", "plan.png", "not a picture",
	                                    13, &r, fields),
	                 422);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM uploads"), uploads);
	/* with its description: stored and shown */
	assert_int_equal(who_post_multipart(&anna, edit, "material", "plan.png", png->data,
	                                    png->len, &r, fields),
	                 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM uploads"), uploads + 1);
	db *d = wt_open_db();
	db_stmt *st = db_prepare(d, "SELECT material_token FROM trajectories WHERE id = :id");
	db_bind_int(st, "id", id);
	assert_int_equal(db_step(st), DB_ROW);
	char token[40], img[64];
	snprintf(token, sizeof token, "%s", db_col_text(st, 0));
	db_finalize(st);
	db_close(d);
	assert_int_equal(strlen(token), 32);
	snprintf(img, sizeof img, "src=\"/uploads/%s\"", token);
	assert_int_equal(who_get(&anna, path, &r), 200);
	assert_true(wt_has(&r, img));
	assert_true(wt_has(&r, "alt=\"Kaart van de laan met de nieuwe bomen.\""));
	http_free(&r);
	/* saved again without a file: the picture and its description stay */
	assert_int_equal(who_post(&anna, edit, &r, "title", "De Kastanjelaan", "ladder",
	                          "raadplegen", "retention", "365", "published", "1",
	                          "material_alt", "Kaart van de laan met de nieuwe bomen.", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(who_get(&anna, path, &r), 200);
	assert_true(wt_has(&r, img));
	http_free(&r);
	/* the public page shows it, to anyone */
	snprintf(pub, sizeof pub, "/meedoen/de-kastanjelaan");
	struct browser b;
	browser_new(&b, 9);
	assert_int_equal(browser_send(&b, "GET", pub, NULL, &r), 200);
	assert_true(wt_has(&r, img));
	assert_true(wt_has(&r, "Kaart van de laan met de nieuwe bomen."));
	http_free(&r);
	char src[64];
	snprintf(src, sizeof src, "/uploads/%s", token);
	assert_int_equal(browser_send(&b, "GET", src, NULL, &r), 200);
	assert_string_equal(http_header(&r, "Content-Type"), "image/png");
	http_free(&r);

	/* at the kitchen table: a note with a pin on the picture */
	char convs[96], conv[96];
	snprintf(convs, sizeof convs, "/trajecten/%lld/gesprekken", id);
	assert_int_equal(who_post(&anna, convs, &r, "conversation-title", "Aan tafel", NULL), 303);
	wt_copy_location(&r, conv, sizeof conv);
	conv[strcspn(conv, "?")] = '\0';
	http_free(&r);
	assert_int_equal(who_get(&anna, conv, &r), 200);
	assert_true(wt_has(&r, "data-vp-widget=\"pin\""));
	assert_true(wt_has(&r, "name=\"pin_x\""));
	http_free(&r);
	char verloop[128];
	snprintf(verloop, sizeof verloop, "%s/verloop", conv);
	assert_int_equal(who_post(&anna, verloop, &r, "action", "note", "note-text",
	                          "Hier wil ze een bankje.", "pin_x", "150", "pin_y", "20", NULL),
	                 422);
	assert_true(wt_has(&r, "Hier wil ze een bankje."));
	http_free(&r);
	assert_int_equal(who_post(&anna, verloop, &r, "action", "note", "note-text",
	                          "Hier wil ze een bankje.", "pin_x", "25", "pin_y", "", NULL),
	                 422);
	http_free(&r);
	assert_int_equal(who_post(&anna, verloop, &r, "action", "note", "note-text",
	                          "Hier wil ze een bankje.", "pin_x", "25.5", "pin_y", "40", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(who_post(&anna, verloop, &r, "action", "note", "note-text",
	                          "Zonder speld.", "pin_x", "", "pin_y", "", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM conversation_notes WHERE pin_x = 25.5 AND "
	                          "pin_y = 40 AND material_token IS NOT NULL"),
	                 1);
	assert_int_equal(wt_count("SELECT count(*) FROM conversation_notes WHERE pin_x IS NULL"),
	                 1);
	assert_int_equal(who_get(&anna, conv, &r), 200);
	assert_true(wt_has(&r, "Hier wil ze een bankje."));
	assert_true(wt_has(&r, "Zonder speld."));
	assert_true(wt_has(&r, "class=\"vp-plan__pin\""));
	assert_true(wt_has(&r, "Pin on the picture:"));
	assert_true(wt_has(&r, "26% from the left"));
	http_free(&r);

	/* removed: gone from the pages; a new pin is refused with the reason */
	const char *remove[] = {"title", "De Kastanjelaan", "ladder", "raadplegen", "retention",
	                        "365",   "material_remove", "1",      NULL};
	assert_int_equal(who_post_multipart(&anna, edit, NULL, NULL, NULL, 0, &r, remove), 303);
	http_free(&r);
	assert_int_equal(who_get(&anna, path, &r), 200);
	assert_false(wt_has(&r, img));
	http_free(&r);
	/* residents no longer get the picture; staff still do (the old pin) */
	assert_int_equal(browser_send(&b, "GET", src, NULL, &r), 404);
	http_free(&r);
	assert_int_equal(who_get(&anna, src, &r), 200);
	http_free(&r);
	assert_int_equal(who_post(&anna, verloop, &r, "action", "note", "note-text", "Nog een.",
	                          "pin_x", "10", "pin_y", "10", NULL),
	                 409);
	assert_true(wt_has(&r, "no picture to put a pin on"));
	http_free(&r);
	/* the old pin is still described under its note */
	assert_int_equal(who_get(&anna, conv, &r), 200);
	assert_true(wt_has(&r, "Pin on an earlier picture"));
	http_free(&r);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_start_and_prepare),
	        cmocka_unit_test(test_public_contact),
	        cmocka_unit_test(test_per_trajectory_access),
	        cmocka_unit_test(test_material_and_pins),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
