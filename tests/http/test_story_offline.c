/* test_story_offline.c: the real server: the offline story form, the service worker and manifest, and consent sent with a story through the API. */
#include "../unit/testutil.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "model/collection.h"
#include "model/script_store.h"

#include <jansson.h>
#include <sodium.h>

#define PRIVACY_NL "Alleen het team leest dit. Wij bewaren het een jaar."
#define PRIVACY_EN "Only the team reads this. We keep it for a year."

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"offline\",\"title\":{\"nl\":\"Buurt\"},"
        "\"privacy\":{\"nl\":\"" PRIVACY_NL "\",\"en\":\"" PRIVACY_EN "\"},"
        "\"thanks\":{\"nl\":\"Dank u wel.\"},\"sections\":["
        "{\"id\":\"s1\",\"title\":{\"nl\":\"Uw verhaal\"},\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"required\":true,\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"
        "{\"id\":\"gevoel\",\"type\":\"choice\",\"text\":{\"nl\":\"Gevoel\"},\"options\":["
        "{\"id\":\"goed\",\"label\":{\"nl\":\"Goed\"}},{\"id\":\"slecht\",\"label\":{\"nl\":"
        "\"Slecht\"}}]},"
        "{\"id\":\"waarom\",\"type\":\"text\",\"text\":{\"nl\":\"Waarom?\"},"
        "\"show_if\":{\"question\":\"gevoel\",\"is\":[\"slecht\"]}}]},"
        "{\"id\":\"s2\",\"questions\":["
        "{\"id\":\"oordeel\",\"type\":\"scale\",\"perspective\":\"professional\",\"text\":"
        "{\"nl\":\"Oordeel\"},\"points\":5,\"low\":{\"nl\":\"Laag\"},\"high\":{\"nl\":\"Hoog\"}}]},"
        "{\"id\":\"s3\",\"questions\":["
        "{\"id\":\"leeftijd\",\"type\":\"number\",\"integer\":true,\"text\":{\"nl\":\"Leeftijd\"}}"
        "]}]}";

static char open_token[40], closed_token[40];
static char hash_nl[65], hash_en[65];

static int setup(void **state)
{
	int64_t org, sid;
	db *d = wt_open_with_script("offline", script_text, &org, &sid, NULL);
	if (!d)
		return -1;
	wt_collection(d, org, sid, "Verhalen uit de buurt", open_token);
	wt_closed_collection(d, org, sid, closed_token);
	util_hash_hex(PRIVACY_NL, hash_nl);
	util_hash_hex(PRIVACY_EN, hash_en);
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.story_rate_ip = 100000;
	cfg.story_rate_collection = 100000;
	return fixture_start(d, &cfg);
}

static int teardown(void **state)
{
	return fixture_stop();
}

static int ipn;

static void send_story(const char *body, struct http_resp *r)
{
	struct jar j;
	memset(&j, 0, sizeof j);
	wt_ip(j.ip, sizeof j.ip, 7, ++ipn);
	wt_send_story(open_token, body, strlen(body), &j, NULL, r);
}

/* A story with consent (consent: the JSON of the "consent" value, or NULL). */
static int send_with(const char *uuid, const char *consent, struct http_resp *r)
{
	char body[1024];
	snprintf(body, sizeof body,
	         "{\"id\":\"%s\",\"channel\":\"web\",\"script_version\":1,\"answers\":"
	         "{\"verhaal\":{\"prompt\":\"p\",\"text\":\"Het buurtfeest.\"}}%s%s}",
	         uuid, consent ? ",\"consent\":" : "", consent ? consent : "");
	send_story(body, r);
	return r->status;
}

/* The stored consent of story uuid: its hash ("" when NULL) and time. */
static int stored_consent(const char *uuid, char hash[65], int64_t *at)
{
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	assert_non_null(d);
	db_stmt *s = db_prepare(d, "SELECT consent_text_hash, consent_at FROM stories "
	                           "WHERE uuid = :u");
	db_bind_text(s, "u", uuid);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		snprintf(hash, 65, "%s", db_col_is_null(s, 0) ? "" : db_col_text(s, 0));
		*at = db_col_is_null(s, 1) ? -1 : db_col_int(s, 1);
	}
	db_finalize(s);
	db_close(d);
	return rc;
}

static int count_stories(const char *uuid)
{
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	assert_non_null(d);
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM stories WHERE uuid = :u");
	db_bind_text(s, "u", uuid);
	assert_int_equal(db_step(s), DB_ROW);
	int n = (int)db_col_int(s, 0);
	db_finalize(s);
	db_close(d);
	return n;
}

/* ---- the page -------------------------------------------------------------- */

static void test_offline_page(void **state)
{
	char path[128];
	snprintf(path, sizeof path, "/v/%s/offline", open_token);
	struct http_resp r;
	assert_int_equal(http_get(port, NULL, path, &r), 0);
	assert_int_equal(r.status, 200);
	const char *html = r.body;
	char pat[200];
	/* What offline.js needs to make the story. */
	snprintf(pat, sizeof pat,
	         "data-vp-offline data-vp-token=\"%s\" data-vp-version=\"1\" "
	         "data-vp-lang=\"nl\" data-vp-privacy-hash=\"%s\"",
	         open_token, hash_nl);
	assert_non_null(strstr(html, pat));
	assert_non_null(strstr(html, "data-vp-messages=\"{&quot;Step {n} of {m}&quot;:"));
	/* The privacy text, consent, and the teller's questions on one page,
	 * conditions included (the script hides them); not the professional's. */
	assert_non_null(strstr(html, PRIVACY_NL));
	assert_non_null(strstr(html, "type=\"checkbox\" id=\"consent\" name=\"consent\""));
	assert_non_null(strstr(html,
	                       "id=\"q-verhaal\" data-vp-question data-vp-id=\"verhaal\" "
	                       "data-vp-type=\"story\" data-vp-required data-vp-prompt=\"p\""));
	assert_non_null(strstr(html, "data-vp-show-if=\"gevoel\" data-vp-show-is=\"slecht\""));
	assert_non_null(strstr(html, "id=\"q-leeftijd\""));
	assert_null(strstr(html, "q-oordeel"));
	/* Two steps for the teller (s2 has none) after consent. */
	int steps = 0;
	for (const char *p = html; (p = strstr(p, " data-vp-step ")) != NULL; p++)
		steps++;
	assert_int_equal(steps, 3);
	/* The scripts, and a way on without them. */
	assert_non_null(strstr(html, "<script src=\"/static/widgets.js?v="));
	assert_non_null(strstr(html, "<script src=\"/static/offline.js?v="));
	snprintf(pat, sizeof pat, "<noscript>");
	assert_non_null(strstr(html, pat));
	snprintf(pat, sizeof pat, "href=\"/v/%s\">", open_token);
	assert_non_null(strstr(html, pat));
	/* The status is polite, for screen readers too. */
	assert_non_null(strstr(html, "role=\"status\" aria-live=\"polite\" data-vp-queue-status"));
	/* No draft on the server: no story cookie. */
	for (int i = 0; http_header_n(&r, "Set-Cookie", i); i++)
		assert_null(strstr(http_header_n(&r, "Set-Cookie", i), "vp_story"));
	http_free(&r);
}

static void test_offline_page_english(void **state)
{
	struct jar j;
	memset(&j, 0, sizeof j);
	snprintf(j.ip, sizeof j.ip, "10.8.0.1");
	struct http_resp r;
	assert_int_equal(http_get(port, &j, "/taal/en", &r), 0);
	http_free(&r);
	char path[128];
	snprintf(path, sizeof path, "/v/%s/offline", open_token);
	assert_int_equal(http_get(port, &j, path, &r), 0);
	assert_int_equal(r.status, 200);
	char pat[120];
	snprintf(pat, sizeof pat, "data-vp-lang=\"en\" data-vp-privacy-hash=\"%s\"", hash_en);
	assert_non_null(strstr(r.body, pat));
	assert_non_null(strstr(r.body, PRIVACY_EN));
	http_free(&r);
}

/* Unknown and closed links: the same 404 as the step form's. */
static void test_offline_not_found(void **state)
{
	const char *paths[] = {"/v/ffffffffffffffffffffffffffffffff/offline", "/v/kort/offline",
	                       NULL};
	char closed[128];
	snprintf(closed, sizeof closed, "/v/%s/offline", closed_token);
	paths[2] = closed;
	struct http_resp first;
	assert_int_equal(http_get(port, NULL, "/v/ffffffffffffffffffffffffffffffff", &first), 0);
	assert_int_equal(first.status, 404);
	for (int i = 0; i < 3; i++) {
		struct http_resp r;
		assert_int_equal(http_get(port, NULL, paths[i], &r), 0);
		assert_int_equal(r.status, 404);
		assert_int_equal(r.body_len, first.body_len);
		assert_memory_equal(r.body, first.body, r.body_len);
		http_free(&r);
	}
	http_free(&first);
}

/* ---- service worker and manifest ---------------------------------------- */

static void test_service_worker(void **state)
{
	struct http_resp r;
	assert_int_equal(http_get(port, NULL, "/sw.js", &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(http_header(&r, "Content-Type"), "text/javascript; charset=utf-8");
	assert_string_equal(http_header(&r, "Cache-Control"), "no-cache");
	assert_null(http_header_n(&r, "Cache-Control", 1));
	assert_non_null(strstr(r.body, "addEventListener('fetch'"));
	assert_non_null(strstr(http_header(&r, "Content-Security-Policy"), "script-src 'self'"));
	char etag[64] = "";
	const char *e = http_header(&r, "ETag");
	assert_non_null(e);
	assert_true(strlen(e) < sizeof etag);
	memcpy(etag, e, strlen(e) + 1);
	assert_int_equal(etag[0], '"');
	http_free(&r);
	/* Revalidated: the same version is 304. */
	char hdr[128];
	snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag);
	assert_int_equal(http_do(port, NULL, "GET", "/sw.js", NULL, hdr, NULL, 0, &r), 0);
	assert_int_equal(r.status, 304);
	http_free(&r);
	/* Only GET (and HEAD). */
	assert_int_equal(http_do(port, NULL, "POST", "/sw.js", "text/plain", NULL, "x", 1, &r), 0);
	assert_int_equal(r.status, 405);
	http_free(&r);
}

static void test_manifest(void **state)
{
	struct http_resp r;
	assert_int_equal(http_get(port, NULL, "/manifest.webmanifest", &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(http_header(&r, "Content-Type"), "application/manifest+json");
	assert_string_equal(http_header(&r, "Cache-Control"), "no-cache");
	json_t *m = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(m);
	assert_string_equal(json_string_value(json_object_get(m, "start_url")), "/code");
	assert_string_equal(json_string_value(json_object_get(m, "scope")), "/");
	json_t *icon = json_array_get(json_object_get(m, "icons"), 0);
	assert_string_equal(json_string_value(json_object_get(icon, "src")), "/static/favicon.svg");
	json_decref(m);
	http_free(&r);
	/* The icon it names exists. */
	assert_int_equal(http_get(port, NULL, "/static/favicon.svg", &r), 0);
	assert_int_equal(r.status, 200);
	http_free(&r);
}

/* ---- consent through the API ---------------------------------------------- */

static void test_consent_stored(void **state)
{
	const char *uuid = "aaaaaaaa-0000-4000-8000-000000000001";
	char consent[200], hash[65];
	int64_t at = 0;
	snprintf(consent, sizeof consent, "{\"text_hash\":\"%s\",\"at\":1767225600}", hash_nl);
	struct http_resp r, again;
	assert_int_equal(send_with(uuid, consent, &r), 201);
	assert_int_equal(stored_consent(uuid, hash, &at), DB_ROW);
	assert_string_equal(hash, hash_nl);
	assert_int_equal(at, 1767225600);
	/* The same story again (an offline queue retrying): 200, the same
	 * receipt, one story. */
	assert_int_equal(send_with(uuid, consent, &again), 200);
	assert_int_equal(again.body_len, r.body_len);
	assert_memory_equal(again.body, r.body, r.body_len);
	assert_int_equal(count_stories(uuid), 1);
	http_free(&r);
	http_free(&again);
	/* The text itself is kept once, by its hash. */
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	db_stmt *s = db_prepare(d, "SELECT text FROM consent_texts WHERE hash = :h");
	db_bind_text(s, "h", hash_nl);
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), PRIVACY_NL);
	db_finalize(s);
	db_close(d);
}

static void test_consent_other_language(void **state)
{
	const char *uuid = "aaaaaaaa-0000-4000-8000-000000000002";
	char consent[200], hash[65];
	int64_t at = 0;
	snprintf(consent, sizeof consent, "{\"text_hash\":\"%s\",\"at\":1767225601}", hash_en);
	struct http_resp r;
	assert_int_equal(send_with(uuid, consent, &r), 201);
	http_free(&r);
	assert_int_equal(stored_consent(uuid, hash, &at), DB_ROW);
	assert_string_equal(hash, hash_en);
}

/* A device clock ahead of ours: the consent counts from now, not later. */
static void test_consent_future_is_now(void **state)
{
	const char *uuid = "aaaaaaaa-0000-4000-8000-000000000003";
	char consent[200], hash[65];
	int64_t at = 0, before = clock_now();
	snprintf(consent, sizeof consent, "{\"text_hash\":\"%s\",\"at\":%lld}", hash_nl,
	         (long long)before + 86400 * 365);
	struct http_resp r;
	assert_int_equal(send_with(uuid, consent, &r), 201);
	http_free(&r);
	assert_int_equal(stored_consent(uuid, hash, &at), DB_ROW);
	assert_true(at >= before && at <= clock_now());
}

/* Without consent, as before: allowed (kiosks and staff record consent
 * their own way); nothing is stored for it. */
static void test_consent_absent(void **state)
{
	const char *uuid = "aaaaaaaa-0000-4000-8000-000000000004";
	char hash[65];
	int64_t at = 0;
	struct http_resp r;
	assert_int_equal(send_with(uuid, NULL, &r), 201);
	http_free(&r);
	assert_int_equal(stored_consent(uuid, hash, &at), DB_ROW);
	assert_string_equal(hash, "");
	assert_int_equal(at, -1);
}

static void test_consent_refused(void **state)
{
	char unknown[65];
	util_hash_hex("Een andere privacytekst.", unknown);
	char c1[200], c2[200];
	snprintf(c1, sizeof c1, "{\"text_hash\":\"%s\",\"at\":1767225600}", unknown);
	snprintf(c2, sizeof c2, "{\"text_hash\":\"%s\",\"at\":\"gisteren\"}", hash_nl);
	char c3[200], c4[200], c5[200];
	snprintf(c3, sizeof c3, "{\"text_hash\":\"%s\"}", hash_nl);
	snprintf(c4, sizeof c4, "{\"text_hash\":\"%s\",\"at\":1767225600,\"by\":\"x\"}", hash_nl);
	snprintf(c5, sizeof c5, "{\"text_hash\":\"%s\",\"at\":0}", hash_nl);
	const char *cases[] = {c1, c2, c3, c4, c5, "true", "{\"text_hash\":7,\"at\":1}"};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char uuid[40];
		snprintf(uuid, sizeof uuid, "bbbbbbbb-0000-4000-8000-%012zu", i);
		struct http_resp r;
		int st = send_with(uuid, cases[i], &r);
		if (st != 422)
			fail_msg("case %zu: %d %.*s", i, st, (int)r.body_len, r.body);
		json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
		assert_non_null(j);
		assert_string_equal(json_string_value(json_object_get(j, "value")), "consent");
		assert_non_null(json_string_value(json_object_get(j, "detail")));
		json_decref(j);
		http_free(&r);
		/* Nothing stored: the same id may come again, fixed. */
		assert_int_equal(count_stories(uuid), 0);
	}
	/* The unknown text says what to do. */
	struct http_resp r;
	assert_int_equal(send_with("bbbbbbbb-0000-4000-8000-000000000000", c1, &r), 422);
	assert_non_null(strstr(r.body, "privacy"));
	http_free(&r);
	/* Fixed, the same id is taken. */
	char good[200];
	snprintf(good, sizeof good, "{\"text_hash\":\"%s\",\"at\":1767225600}", hash_nl);
	assert_int_equal(send_with("bbbbbbbb-0000-4000-8000-000000000000", good, &r), 201);
	http_free(&r);
}

/* The API's description names the consent. */
static void test_openapi_consent(void **state)
{
	struct http_resp r;
	assert_int_equal(http_get(port, NULL, "/api/v1/openapi.json", &r), 0);
	assert_int_equal(r.status, 200);
	json_t *d = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(d);
	json_t *post = json_object_get(
	        json_object_get(json_object_get(d, "paths"), "/collections/{token}/stories"),
	        "post");
	assert_non_null(json_object_get(json_object_get(post, "responses"), "201"));
	json_t *schemas = json_object_get(json_object_get(d, "components"), "schemas");
	json_t *props = json_object_get(json_object_get(schemas, "StorySubmission"), "properties");
	assert_non_null(json_object_get(props, "consent"));
	json_t *consent = json_object_get(json_object_get(schemas, "StoryConsent"), "properties");
	assert_non_null(json_object_get(consent, "text_hash"));
	assert_non_null(json_object_get(consent, "at"));
	json_decref(d);
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_offline_page),
	        cmocka_unit_test(test_offline_page_english),
	        cmocka_unit_test(test_offline_not_found),
	        cmocka_unit_test(test_service_worker),
	        cmocka_unit_test(test_manifest),
	        cmocka_unit_test(test_consent_stored),
	        cmocka_unit_test(test_consent_other_language),
	        cmocka_unit_test(test_consent_future_is_now),
	        cmocka_unit_test(test_consent_absent),
	        cmocka_unit_test(test_consent_refused),
	        cmocka_unit_test(test_openapi_consent),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
