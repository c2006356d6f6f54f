/* test_story_form.c: the real server: a resident tells a story through the form at /v/{token}: consent, steps, errors, conditions, resume code, sending once, honeypot, 404s, CSRF. */
#include "../unit/testutil.h"

#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "model/collection.h"
#include "model/script_store.h"
#include "model/user.h"

#include <jansson.h>
#include <sodium.h>

/* Three sections for the teller (story; a choice with a question shown
 * only for "slecht", a triad, a dyad; a number) and one for the
 * professional, which the form leaves out: 3 steps and the check. */
static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"buurt\",\"title\":{\"nl\":\"Buurt\"},"
        "\"introduction\":{\"nl\":\"Wij willen weten hoe het is in uw buurt.\"},"
        "\"privacy\":{\"nl\":\"Alleen het buurtteam leest uw verhaal.\"},"
        "\"thanks\":{\"nl\":\"Dank u wel voor uw verhaal.\"},\"sections\":["
        "{\"id\":\"s1\",\"title\":{\"nl\":\"Uw verhaal\"},\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"required\":true,\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Wat gebeurde er?\"}}]}]},"
        "{\"id\":\"s2\",\"title\":{\"nl\":\"Hoe was het?\"},\"questions\":["
        "{\"id\":\"gevoel\",\"type\":\"choice\",\"required\":true,\"text\":{\"nl\":\"Gevoel\"},"
        "\"options\":[{\"id\":\"goed\",\"label\":{\"nl\":\"Goed\"}},{\"id\":\"slecht\","
        "\"label\":{\"nl\":\"Slecht\"}}]},"
        "{\"id\":\"waarom\",\"type\":\"text\",\"text\":{\"nl\":\"Wat was niet goed?\"},"
        "\"show_if\":{\"question\":\"gevoel\",\"is\":[\"slecht\"]}},"
        "{\"id\":\"steun\",\"type\":\"triad\",\"text\":{\"nl\":\"Wie hielp?\"},\"corners\":["
        "{\"id\":\"a\",\"label\":{\"nl\":\"Ik\"}},{\"id\":\"b\",\"label\":{\"nl\":\"Buren\"}},"
        "{\"id\":\"c\",\"label\":{\"nl\":\"Gemeente\"}}]},"
        "{\"id\":\"regie\",\"type\":\"dyad\",\"not_applicable\":true,\"text\":{\"nl\":\"Wie?\"},"
        "\"poles\":[{\"id\":\"ik\",\"label\":{\"nl\":\"Ik\"}},{\"id\":\"zij\",\"label\":"
        "{\"nl\":\"Anderen\"}}]}]},"
        "{\"id\":\"s3\",\"title\":{\"nl\":\"Over u\"},\"questions\":["
        "{\"id\":\"leeftijd\",\"type\":\"number\",\"integer\":true,\"min\":0,\"max\":120,"
        "\"text\":{\"nl\":\"Leeftijd\"}}]},"
        "{\"id\":\"s4\",\"questions\":["
        "{\"id\":\"oordeel\",\"type\":\"scale\",\"perspective\":\"professional\",\"text\":"
        "{\"nl\":\"Oordeel\"},\"points\":5,\"low\":{\"nl\":\"Laag\"},\"high\":{\"nl\":\"Hoog\"}}"
        "]}]}";

static char open_token[40], closed_token[40], expired_token[40];

static int get(struct browser *t, const char *path, struct http_resp *r)
{
	return browser_send(t, "GET", path, NULL, r);
}

/* POSTs form (without the token) to /v/TOKEN + tail, with the teller's
 * CSRF token; the response in r (free it). */
static int post(struct browser *t, const char *token, const char *tail, const char *form,
                struct http_resp *r)
{
	char path[160];
	snprintf(path, sizeof path, "/v/%s%s", token, tail);
	return browser_post(t, path, t->csrf, form, r);
}

static int post_status(struct browser *t, const char *tail, const char *form, char *loc, size_t cap)
{
	char path[160];
	snprintf(path, sizeof path, "/v/%s%s", open_token, tail);
	return browser_post_loc(t, path, t->csrf, form, loc, cap);
}

/* The privacy hash of the start page (the text shown). */
static void start_fields(struct browser *t, char *privacy, size_t cap)
{
	char path[80];
	snprintf(path, sizeof path, "/v/%s", open_token);
	struct http_resp r;
	assert_int_equal(get(t, path, &r), 200);
	assert_int_equal(html_hidden(&r, "privacy", privacy, cap), 0);
	http_free(&r);
	assert_int_equal(strlen(t->csrf), 64);
}

/* Consent given: the teller has a draft and is on step 1. */
static void start(struct browser *t)
{
	browser_new(t, 7);
	char privacy[80], form[200], loc[200], want[200];
	start_fields(t, privacy, sizeof privacy);
	snprintf(form, sizeof form, "privacy=%s&consent=1&website=", privacy);
	assert_int_equal(post_status(t, "/start", form, loc, sizeof loc), 303);
	snprintf(want, sizeof want, "/v/%s/stap/1", open_token);
	assert_string_equal(loc, want);
	assert_int_equal(strlen(t->story), 64);
}

static long long count(const char *sql_table)
{
	if (strcmp(sql_table, "stories") == 0)
		return wt_count("SELECT COUNT(*) FROM stories");
	if (strcmp(sql_table, "story_drafts") == 0)
		return wt_count("SELECT COUNT(*) FROM story_drafts");
	return wt_count("SELECT COUNT(*) FROM consent_texts");
}

static int setup(void **state)
{
	int64_t org, sid;
	db *d = wt_open_with_script("storyform", script_text, &org, &sid, NULL);
	if (!d)
		return -1;
	wt_collection(d, org, sid, "Verhalen uit de buurt", open_token);
	wt_closed_collection(d, org, sid, closed_token);
	wt_collection(d, org, sid, "Voorbij", expired_token);
	assert_int_equal(
	        db_exec(d, "UPDATE collections SET ends_at = 1000 WHERE title = 'Voorbij'"), DB_OK);
	return wt_start_stories(d);
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* ---- tests ---------------------------------------------------------------- */

static void test_start_page(void **state)
{
	struct browser t;
	browser_new(&t, 7);
	char path[80];
	snprintf(path, sizeof path, "/v/%s", open_token);
	struct http_resp r;
	assert_int_equal(get(&t, path, &r), 200);
	assert_true(wt_has(&r, "Verhalen uit de buurt"));
	assert_true(wt_has(&r, "Wij willen weten hoe het is in uw buurt."));
	assert_true(wt_has(&r, "Alleen het buurtteam leest uw verhaal."));
	assert_true(wt_has(&r, "type=\"checkbox\" id=\"consent\" name=\"consent\" value=\"1\""));
	/* The honeypot: hidden from people and from the tab order. */
	assert_true(
	        wt_has(&r, "<div class=\"vp-hp\" aria-hidden=\"true\"><label for=\"website\">"));
	assert_true(wt_has(&r, "name=\"website\" tabindex=\"-1\" autocomplete=\"off\""));
	char tok[80];
	assert_int_equal(html_hidden(&r, "csrf_token", tok, sizeof tok), 0);
	assert_string_equal(tok, t.csrf);
	http_free(&r);
}

/* Unknown, closed and expired links, and junk, give the same bytes. */
static void test_not_found_identical(void **state)
{
	const char *tails[] = {"", "/stap/1", "/verder"};
	buf first;
	buf_init(&first);
	for (size_t k = 0; k < sizeof tails / sizeof tails[0]; k++) {
		const char *tokens[] = {"ffffffffffffffffffffffffffffffff", closed_token,
		                        expired_token, "niet-een-token"};
		for (size_t i = 0; i < 4; i++) {
			struct browser t;
			browser_new(&t, 7);
			char path[120];
			snprintf(path, sizeof path, "/v/%s%s", tokens[i], tails[k]);
			struct http_resp r;
			assert_int_equal(get(&t, path, &r), 404);
			if (!first.len)
				buf_append(&first, r.body, r.body_len);
			else if (first.len != r.body_len || memcmp(first.data, r.body, r.body_len))
				fail_msg("404 of %s differs from the first", path);
			http_free(&r);
		}
	}
	/* A POST to a closed link too. */
	struct browser t;
	browser_new(&t, 7);
	struct http_resp r;
	char path[80];
	snprintf(path, sizeof path, "/v/%s", open_token);
	assert_int_equal(get(&t, path, &r), 200);
	http_free(&r);
	assert_int_equal(post(&t, closed_token, "/start", "consent=1", &r), 404);
	assert_true(first.len == r.body_len && memcmp(first.data, r.body, r.body_len) == 0);
	http_free(&r);
	buf_free(&first);
}

static void test_consent_required(void **state)
{
	struct browser t;
	browser_new(&t, 7);
	char privacy[80], form[200];
	start_fields(&t, privacy, sizeof privacy);
	long long drafts = count("story_drafts");
	snprintf(form, sizeof form, "privacy=%s&website=", privacy);
	struct http_resp r;
	assert_int_equal(post(&t, open_token, "/start", form, &r), 422);
	assert_true(wt_has(&r, "class=\"vp-error-summary\""));
	assert_true(wt_has(&r, "href=\"#consent\""));
	assert_true(wt_has(&r, "aria-invalid=\"true\" aria-describedby=\"consent-error\""));
	http_free(&r);
	assert_int_equal(count("story_drafts"), drafts);
	assert_string_equal(t.story, "");
	/* With consent: a draft, the text shown kept by its hash. */
	start(&t);
	assert_int_equal(count("story_drafts"), drafts + 1);
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	db_stmt *s = db_prepare(d, "SELECT t.text FROM story_drafts s JOIN consent_texts t ON "
	                           "t.hash = s.consent_text_hash ORDER BY s.id DESC LIMIT 1");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "Alleen het buurtteam leest uw verhaal.");
	db_finalize(s);
	db_close(d);
}

static void test_csrf(void **state)
{
	struct browser t;
	browser_new(&t, 7);
	char privacy[80];
	start_fields(&t, privacy, sizeof privacy);
	long long drafts = count("story_drafts");
	char path[80], form[200];
	snprintf(path, sizeof path, "/v/%s/start", open_token);
	snprintf(form, sizeof form, "privacy=%s&consent=1", privacy);
	struct http_resp r;
	browser_send(&t, "POST", path, form, &r); /* no token */
	assert_int_equal(r.status, 403);
	http_free(&r);
	char bad[300];
	snprintf(bad, sizeof bad,
	         "csrf_token=00000000000000000000000000000000000000000000000000000000000000"
	         "00&%s",
	         form);
	browser_send(&t, "POST", path, bad, &r);
	assert_int_equal(r.status, 403);
	http_free(&r);
	assert_int_equal(count("story_drafts"), drafts);
	/* The steps too. */
	start(&t);
	snprintf(path, sizeof path, "/v/%s/stap/1", open_token);
	browser_send(&t, "POST", path, "action=next&a-verhaal=x", &r);
	assert_int_equal(r.status, 403);
	http_free(&r);
}

static void test_steps_keep_answers(void **state)
{
	struct browser t;
	start(&t);
	char loc[200], want[200], path[120];
	struct http_resp r;
	snprintf(path, sizeof path, "/v/%s/stap/1", open_token);
	assert_int_equal(get(&t, path, &r), 200);
	assert_true(wt_has(&r, "max=\"4\" value=\"1\"")); /* 3 steps and the check */
	assert_false(wt_has(&r, "value=\"back\""));       /* nothing before step 1 */
	http_free(&r);
	assert_int_equal(post_status(&t, "/stap/1",
	                             "action=next&a-verhaal=Het+buurtfeest&a-verhaal:title=Feest",
	                             loc, sizeof loc),
	                 303);
	snprintf(want, sizeof want, "/v/%s/stap/2", open_token);
	assert_string_equal(loc, want);
	/* Back saves what was typed, also what is not finished. */
	assert_int_equal(
	        post_status(&t, "/stap/2",
	                    "action=back&a-gevoel=goed&a-steun:0=20&a-steun:1=30&a-regie=70", loc,
	                    sizeof loc),
	        303);
	snprintf(want, sizeof want, "/v/%s/stap/1", open_token);
	assert_string_equal(loc, want);
	assert_int_equal(get(&t, path, &r), 200);
	assert_true(wt_has(&r, ">Het buurtfeest</textarea>"));
	assert_true(wt_has(&r, "value=\"Feest\""));
	http_free(&r);
	snprintf(path, sizeof path, "/v/%s/stap/2", open_token);
	assert_int_equal(get(&t, path, &r), 200);
	assert_true(wt_has(&r, "max=\"4\" value=\"2\""));
	assert_true(wt_has(&r, "value=\"goed\" checked"));
	assert_true(wt_has(&r, "name=\"a-steun:0\" value=\"20\""));
	assert_true(wt_has(&r, "name=\"a-regie\" value=\"70\""));
	assert_true(wt_has(&r, "value=\"back\""));
	assert_true(wt_has(&r, "value=\"later\""));
	http_free(&r);
}

static void test_bad_answer_keeps_the_rest(void **state)
{
	struct browser t;
	start(&t);
	char loc[200];
	assert_int_equal(post_status(&t, "/stap/1", "action=next&a-verhaal=Iets", loc, sizeof loc),
	                 303);
	struct http_resp r;
	/* The triad adds up to 80; the required choice is missing on the
	 * next try. */
	assert_int_equal(post(&t, open_token, "/stap/2",
	                      "action=next&a-gevoel=goed&a-steun:0=50&a-steun:1=20&a-steun:2=10"
	                      "&a-regie=30",
	                      &r),
	                 422);
	assert_true(wt_has(&r, "class=\"vp-error-summary\""));
	assert_true(wt_has(&r, "href=\"#q-steun\""));
	assert_true(wt_has(&r, "id=\"a-steun:error\""));
	assert_true(wt_has(&r, "value=\"goed\" checked"));
	assert_true(wt_has(&r, "name=\"a-regie\" value=\"30\""));
	assert_true(wt_has(&r, "name=\"a-steun:2\" value=\"10\""));
	http_free(&r);
	assert_int_equal(post(&t, open_token, "/stap/2",
	                      "action=next&a-steun:0=50&a-steun:1=20&a-steun:2=30", &r),
	                 422);
	assert_true(wt_has(&r, "href=\"#q-gevoel\""));
	assert_false(wt_has(&r, "href=\"#q-steun\""));
	http_free(&r);
	/* A number out of range. */
	assert_int_equal(post_status(&t, "/stap/2", "action=next&a-gevoel=goed", loc, sizeof loc),
	                 303);
	assert_int_equal(post(&t, open_token, "/stap/3", "action=next&a-leeftijd=300", &r), 422);
	assert_true(wt_has(&r, "href=\"#q-leeftijd\""));
	assert_true(wt_has(&r, "value=\"300\""));
	http_free(&r);
}

static void test_conditions(void **state)
{
	struct browser t;
	start(&t);
	char loc[200], want[200], path[120];
	assert_int_equal(post_status(&t, "/stap/1", "action=next&a-verhaal=Iets", loc, sizeof loc),
	                 303);
	struct http_resp r;
	snprintf(path, sizeof path, "/v/%s/stap/2", open_token);
	assert_int_equal(get(&t, path, &r), 200);
	assert_false(wt_has(&r, "id=\"q-waarom\""));
	http_free(&r);
	/* "slecht" makes the next question appear: the page stays, without
	 * an error for a question not seen before. */
	assert_int_equal(post(&t, open_token, "/stap/2", "action=next&a-gevoel=slecht", &r), 200);
	assert_true(wt_has(&r, "id=\"q-waarom\""));
	assert_false(wt_has(&r, "vp-error-summary"));
	http_free(&r);
	assert_int_equal(post_status(&t, "/stap/2", "action=next&a-gevoel=slecht&a-waarom=Te+druk",
	                             loc, sizeof loc),
	                 303);
	snprintf(want, sizeof want, "/v/%s/stap/3", open_token);
	assert_string_equal(loc, want);
	assert_int_equal(post_status(&t, "/stap/3", "action=next", loc, sizeof loc), 303);
	snprintf(path, sizeof path, "/v/%s/stap/4", open_token);
	assert_int_equal(get(&t, path, &r), 200);
	assert_true(wt_has(&r, "Te druk"));
	assert_false(wt_has(&r, "Oordeel")); /* the professional's question */
	http_free(&r);
	/* Back to "goed": the answer to the hidden question is not sent. */
	assert_int_equal(post_status(&t, "/stap/2", "action=next&a-gevoel=goed", loc, sizeof loc),
	                 303);
	assert_int_equal(get(&t, path, &r), 200);
	assert_false(wt_has(&r, "Te druk"));
	http_free(&r);
	long long stories = count("stories");
	assert_int_equal(post(&t, open_token, "/versturen", "x=1", &r), 200);
	http_free(&r);
	assert_int_equal(count("stories"), stories + 1);
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	db_stmt *s = db_prepare(d, "SELECT answers FROM stories ORDER BY id DESC LIMIT 1");
	assert_int_equal(db_step(s), DB_ROW);
	assert_null(strstr(db_col_text(s, 0), "waarom"));
	assert_non_null(strstr(db_col_text(s, 0), "\"gevoel\":\"goed\""));
	db_finalize(s);
	db_close(d);
}

static void test_resume_code(void **state)
{
	struct browser t;
	start(&t);
	char loc[200], want[200], path[120];
	assert_int_equal(post_status(&t, "/stap/1", "action=next&a-verhaal=Bewaard+verhaal", loc,
	                             sizeof loc),
	                 303);
	struct http_resp r;
	assert_int_equal(post(&t, open_token, "/stap/2", "action=later&a-gevoel=slecht", &r), 200);
	const char *p = strstr(r.body, "id=\"verder-code\">");
	assert_non_null(p);
	char code[16];
	snprintf(code, sizeof code, "%.9s", p + strlen("id=\"verder-code\">"));
	assert_int_equal(strlen(code), 9);
	assert_int_equal(code[4], '-');
	for (int i = 0; i < 9; i++)
		assert_null(i == 4 ? NULL : strchr("01OIL", code[i])); /* no look-alikes */
	http_free(&r);
	/* Another phone: no cookie. A wrong code first. */
	struct browser u;
	browser_new(&u, 7);
	snprintf(path, sizeof path, "/v/%s/verder", open_token);
	assert_int_equal(get(&u, path, &r), 200);
	assert_true(wt_has(&r, "name=\"code\""));
	http_free(&r);
	assert_int_equal(post(&u, open_token, "/verder", "code=2222-2222", &r), 422);
	assert_true(wt_has(&r, "vp-error-summary"));
	http_free(&r);
	assert_int_equal(post(&u, open_token, "/verder", "code=abc", &r), 422);
	http_free(&r);
	/* Typed in small letters with a space. */
	char form[200];
	snprintf(form, sizeof form, "code=%c%c%c%c+%c%c%c%c", code[0] | 0x20, code[1] | 0x20,
	         code[2] | 0x20, code[3] | 0x20, code[5] | 0x20, code[6] | 0x20, code[7] | 0x20,
	         code[8] | 0x20);
	assert_int_equal(post_status(&u, "/verder", form, loc, sizeof loc), 303);
	snprintf(want, sizeof want, "/v/%s/stap/2", open_token);
	assert_string_equal(loc, want);
	assert_int_equal(strlen(u.story), 64);
	snprintf(path, sizeof path, "/v/%s/stap/1", open_token);
	assert_int_equal(get(&u, path, &r), 200);
	assert_true(wt_has(&r, ">Bewaard verhaal</textarea>"));
	http_free(&r);
	/* The first phone's cookie no longer opens the draft. */
	assert_int_equal(get(&t, path, &r), 303);
	http_free(&r);
	/* The code works only at its own collection's link. */
	snprintf(form, sizeof form, "csrf_token=%s&code=%.4s%.4s", u.csrf, code, code + 5);
	snprintf(path, sizeof path, "/v/%s/verder", closed_token);
	browser_send(&u, "POST", path, form, &r);
	assert_int_equal(r.status, 404);
	http_free(&r);
}

static void finish_story(struct browser *t)
{
	char loc[200];
	assert_int_equal(
	        post_status(t, "/stap/1", "action=next&a-verhaal=Een+keer", loc, sizeof loc), 303);
	assert_int_equal(post_status(t, "/stap/2",
	                             "action=next&a-gevoel=goed&a-steun:0=33&a-steun:1=33&a-steun:"
	                             "2=33&a-regie:na=1",
	                             loc, sizeof loc),
	                 303);
	assert_int_equal(post_status(t, "/stap/3", "action=next&a-leeftijd=71", loc, sizeof loc),
	                 303);
}

static void receipt_of(struct http_resp *r, char out[16])
{
	const char *p = r->body ? strstr(r->body, "id=\"ontvangstcode\">") : NULL;
	assert_non_null(p);
	snprintf(out, 13, "%s", p + strlen("id=\"ontvangstcode\">"));
	assert_memory_equal(out, "VT-", 3);
}

static void test_double_submit_stores_once(void **state)
{
	struct browser t;
	start(&t);
	finish_story(&t);
	long long stories = count("stories");
	struct http_resp r;
	char path[120];
	snprintf(path, sizeof path, "/v/%s/stap/4", open_token);
	assert_int_equal(get(&t, path, &r), 200);
	assert_true(wt_has(&r, "max=\"4\" value=\"4\""));
	http_free(&r);
	char one[16], two[16];
	assert_int_equal(post(&t, open_token, "/versturen", "x=1", &r), 200);
	receipt_of(&r, one);
	assert_true(wt_has(&r, "Dank u wel voor uw verhaal."));
	http_free(&r);
	assert_int_equal(post(&t, open_token, "/versturen", "x=1", &r), 200);
	receipt_of(&r, two);
	http_free(&r);
	assert_string_equal(one, two);
	assert_int_equal(count("stories"), stories + 1);
	/* The draft is gone; the story has the consent and its answers. */
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	db_stmt *s = db_prepare(d, "SELECT s.answers, s.channel, t.text, s.consent_at > 0, "
	                           "(SELECT COUNT(*) FROM story_drafts WHERE uuid = s.uuid) "
	                           "FROM stories s JOIN consent_texts t ON t.hash = "
	                           "s.consent_text_hash WHERE s.receipt = :r");
	db_bind_text(s, "r", one);
	assert_int_equal(db_step(s), DB_ROW);
	assert_non_null(strstr(db_col_text(s, 0), "\"regie\":null"));
	assert_non_null(strstr(db_col_text(s, 0), "\"leeftijd\":71"));
	assert_string_equal(db_col_text(s, 1), "web");
	assert_string_equal(db_col_text(s, 2), "Alleen het buurtteam leest uw verhaal.");
	assert_int_equal(db_col_int(s, 3), 1);
	assert_int_equal(db_col_int(s, 4), 0);
	db_finalize(s);
	db_close(d);
	/* Another browser without the draft gets nothing of it. */
	struct browser u;
	browser_new(&u, 7);
	assert_int_equal(get(&u, "/v/ffffffffffffffffffffffffffffffff", &r), 404);
	http_free(&r);
	snprintf(path, sizeof path, "/v/%s", open_token);
	assert_int_equal(get(&u, path, &r), 200);
	http_free(&r);
	assert_int_equal(post(&u, open_token, "/versturen", "x=1", &r), 303);
	http_free(&r);
}

static void test_honeypot_stores_nothing(void **state)
{
	struct browser t;
	browser_new(&t, 7);
	char privacy[80], form[200], loc[200], want[200];
	start_fields(&t, privacy, sizeof privacy);
	long long drafts = count("story_drafts"), texts = count("consent_texts");
	snprintf(form, sizeof form, "privacy=%s&consent=1&website=http%%3A%%2F%%2Fspam.example",
	         privacy);
	assert_int_equal(post_status(&t, "/start", form, loc, sizeof loc), 303);
	snprintf(want, sizeof want, "/v/%s/stap/1", open_token);
	assert_string_equal(loc, want);
	assert_string_equal(t.story, "");
	assert_int_equal(count("story_drafts"), drafts);
	assert_int_equal(count("consent_texts"), texts);
	/* Without a draft the step sends the visitor to the start. */
	struct http_resp r;
	assert_int_equal(get(&t, want, &r), 303);
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_start_page),
	        cmocka_unit_test(test_not_found_identical),
	        cmocka_unit_test(test_consent_required),
	        cmocka_unit_test(test_csrf),
	        cmocka_unit_test(test_steps_keep_answers),
	        cmocka_unit_test(test_bad_answer_keeps_the_rest),
	        cmocka_unit_test(test_conditions),
	        cmocka_unit_test(test_resume_code),
	        cmocka_unit_test(test_double_submit_stores_once),
	        cmocka_unit_test(test_honeypot_stores_nothing),
	};
	return cmocka_run_group_tests_name("story_form", tests, setup, teardown);
}
