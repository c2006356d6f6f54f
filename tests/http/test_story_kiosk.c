/* test_story_kiosk.c: the real server: the story form at a kiosk (/v/{token}/kiosk: no links out, timers, no resume code, reset that deletes the draft, no way back to the last teller's answers, channel "kiosk") and the optional contact details on the check page (sealed, consent for feedback, linked participant, bad input). */
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

/* Two sections for the teller and one for the professional, which the
 * public form and the kiosk leave out: 2 steps and the check. */
static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"kiosk\",\"title\":{\"nl\":\"Kiosk\"},"
        "\"privacy\":{\"nl\":\"Alleen het wijkteam leest uw verhaal.\"},"
        "\"thanks\":{\"nl\":\"Dank u wel.\"},\"sections\":["
        "{\"id\":\"s1\",\"title\":{\"nl\":\"Uw verhaal\"},\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"required\":true,\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Wat gebeurde er?\"}}]}]},"
        "{\"id\":\"s2\",\"title\":{\"nl\":\"Over u\"},\"questions\":["
        "{\"id\":\"leeftijd\",\"type\":\"choice\",\"once_per_person\":true,\"text\":{\"nl\":"
        "\"Leeftijd\"},\"options\":[{\"id\":\"jong\",\"label\":{\"nl\":\"Jong\"}},{\"id\":"
        "\"oud\",\"label\":{\"nl\":\"Oud\"}}]}]},"
        "{\"id\":\"s3\",\"questions\":["
        "{\"id\":\"oordeel\",\"type\":\"scale\",\"perspective\":\"professional\",\"text\":"
        "{\"nl\":\"Oordeel\"},\"points\":5,\"low\":{\"nl\":\"Laag\"},\"high\":{\"nl\":\"Hoog\"}}"
        "]}]}";

static char token[40], closed_token[40];

static int get(struct browser *t, const char *path, struct http_resp *r)
{
	return browser_send(t, "GET", path, NULL, r);
}

/* POSTs form with the teller's token to /v/TOKEN + tail. */
static int post(struct browser *t, const char *tail, const char *form, struct http_resp *r)
{
	char path[160];
	snprintf(path, sizeof path, "/v/%s%s", token, tail);
	return browser_post(t, path, t->csrf, form, r);
}

static int post_loc(struct browser *t, const char *tail, const char *form, char *loc, size_t cap)
{
	char path[160];
	snprintf(path, sizeof path, "/v/%s%s", token, tail);
	return browser_post_loc(t, path, t->csrf, form, loc, cap);
}

static const char *path_of(const char *tail)
{
	static char p[200];
	snprintf(p, sizeof p, "/v/%s%s", token, tail);
	return p;
}

/* Consent given at the start page under base ("" or "/kiosk"). */
static void start(struct browser *t, const char *base)
{
	char privacy[80], form[200], loc[200], tail[40];
	struct http_resp r;
	assert_int_equal(get(t, path_of(base), &r), 200);
	assert_int_equal(html_hidden(&r, "privacy", privacy, sizeof privacy), 0);
	http_free(&r);
	snprintf(form, sizeof form, "privacy=%s&consent=1&website=", privacy);
	snprintf(tail, sizeof tail, "%s/start", base);
	assert_int_equal(post_loc(t, tail, form, loc, sizeof loc), 303);
	snprintf(tail, sizeof tail, "%s/stap/1", base);
	assert_string_equal(loc, path_of(tail));
	assert_int_equal(strlen(t->story), 64);
}

static long long count_drafts(void)
{
	return wt_count("SELECT COUNT(*) FROM story_drafts");
}

static long long count_stories(void)
{
	return wt_count("SELECT COUNT(*) FROM stories");
}

static int setup(void **state)
{
	int64_t org, sid;
	db *d = wt_open_with_script("kiosk", script_text, &org, &sid, NULL);
	if (!d)
		return -1;
	wt_collection(d, org, sid, "Verhalen in het wijkcentrum", token);
	wt_closed_collection(d, org, sid, closed_token);
	return wt_start_stories(d);
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* ---- the kiosk ---------------------------------------------------------------- */

static void test_kiosk_frame_has_no_way_out(void **state)
{
	struct browser t;
	browser_new(&t, 9);
	struct http_resp r;
	assert_int_equal(get(&t, path_of("/kiosk"), &r), 200);
	assert_string_equal(http_header(&r, "Cache-Control"), "no-store");
	assert_true(wt_has(&r, "class=\"utrecht-document utrecht-document--surface vp-kiosk\""));
	assert_true(
	        wt_has(&r, "data-kiosk-idle=\"90\" data-kiosk-warn=\"30\" data-kiosk-back=\"20\""));
	assert_true(wt_has(&r, "src=\"/static/kiosk.js?v="));
	assert_true(wt_has(&r, "id=\"kiosk-fullscreen\" hidden>"));
	assert_true(wt_has(&r, "<dialog class=\"vp-kiosk-dialog\" id=\"kiosk-warning\""));
	/* In Dutch once po/pending/kiosk.json is merged, English before. */
	assert_true(wt_has(&r, "Ja, ik ga verder") || wt_has(&r, "Yes, I am going on"));
	/* The form starts at the kiosk, the reset stays in it. */
	char want[200];
	snprintf(want, sizeof want, "action=\"/v/%s/kiosk/start\"", token);
	assert_true(wt_has(&r, want));
	snprintf(want, sizeof want, "action=\"/v/%s/kiosk/opnieuw\"", token);
	assert_true(wt_has(&r, want));
	/* Nothing leads away: no header, footer, login, home or resume code. */
	assert_false(wt_has(&r, "<header"));
	assert_false(wt_has(&r, "<footer"));
	assert_false(wt_has(&r, "href=\"/login\""));
	assert_false(wt_has(&r, "href=\"/\""));
	assert_false(wt_has(&r, "/verder"));
	/* Every link on the page stays inside the kiosk (the language switch
	 * comes back to it). */
	for (const char *p = r.body; (p = strstr(p, "href=\"")) != NULL;) {
		p += 6;
		if (strncmp(p, "/static/", 8) == 0)
			continue;
		char kiosk[120];
		snprintf(kiosk, sizeof kiosk, "/taal/en?terug=/v/%s/kiosk\"", token);
		if (strncmp(p, kiosk, strlen(kiosk)) != 0)
			fail_msg("a link out of the kiosk: %.60s", p);
	}
	http_free(&r);
	/* Unknown and closed kiosks: 404 in the kiosk frame, the same bytes. */
	char a[120], b[120];
	snprintf(a, sizeof a, "/v/%s/kiosk", "ffffffffffffffffffffffffffffffff");
	snprintf(b, sizeof b, "/v/%s/kiosk", closed_token);
	struct http_resp r2;
	assert_int_equal(get(&t, a, &r), 404);
	assert_int_equal(get(&t, b, &r2), 404);
	assert_false(wt_has(&r, "<header"));
	assert_int_equal(r.body_len, r2.body_len);
	assert_memory_equal(r.body, r2.body, r.body_len);
	http_free(&r);
	http_free(&r2);
}

static void test_kiosk_timers(void **state)
{
	struct browser t;
	browser_new(&t, 9);
	struct http_resp r;
	assert_int_equal(get(&t, path_of("/kiosk?stil=5&waarschuwing=3&terug=4"), &r), 200);
	assert_string_equal(t.kiosk, "5.3.4");
	assert_true(
	        wt_has(&r, "data-kiosk-idle=\"5\" data-kiosk-warn=\"3\" data-kiosk-back=\"4\""));
	assert_true(wt_has(&r, "id=\"kiosk-warning-count\">3</span>"));
	http_free(&r);
	/* The next pages keep them (the cookie). */
	start(&t, "/kiosk");
	assert_int_equal(get(&t, path_of("/kiosk/stap/1"), &r), 200);
	assert_true(wt_has(&r, "data-kiosk-idle=\"5\""));
	http_free(&r);
	/* Only the idle time given: the others stay. */
	assert_int_equal(get(&t, path_of("/kiosk?stil=120"), &r), 200);
	assert_string_equal(t.kiosk, "120.3.4");
	http_free(&r);
	/* Bad values: a clear error, the timers as they were. */
	const char *bad[] = {"/kiosk?stil=0", "/kiosk?stil=3601", "/kiosk?waarschuwing=x",
	                     "/kiosk?terug=-5"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(get(&t, path_of(bad[i]), &r), 400);
		assert_true(wt_has(&r, "1 tot en met 3600") || wt_has(&r, "1 to 3600"));
		http_free(&r);
	}
	assert_string_equal(t.kiosk, "120.3.4");
	/* A tampered cookie: the defaults. */
	snprintf(t.kiosk, sizeof t.kiosk, "0.99999.x");
	assert_int_equal(get(&t, path_of("/kiosk"), &r), 200);
	assert_true(wt_has(&r, "data-kiosk-idle=\"90\""));
	http_free(&r);
}

/* Fills in the kiosk's two steps. */
static void kiosk_answers(struct browser *t, const char *story)
{
	char loc[200], form[300];
	snprintf(form, sizeof form, "action=next&a-verhaal=%s", story);
	assert_int_equal(post_loc(t, "/kiosk/stap/1", form, loc, sizeof loc), 303);
	assert_string_equal(loc, path_of("/kiosk/stap/2"));
	/* The professional's question is not read from a public form. */
	assert_int_equal(post_loc(t, "/kiosk/stap/2", "action=next&a-leeftijd=oud&a-oordeel=4", loc,
	                          sizeof loc),
	                 303);
	assert_string_equal(loc, path_of("/kiosk/stap/3"));
}

static void test_kiosk_story_and_reset_after_sending(void **state)
{
	struct browser t;
	browser_new(&t, 9);
	start(&t, "/kiosk");
	kiosk_answers(&t, "Het+wijkcentrum");
	struct http_resp r;
	assert_int_equal(get(&t, path_of("/kiosk/stap/3"), &r), 200);
	assert_true(wt_has(&r, "Het wijkcentrum"));
	assert_false(wt_has(&r, "Oordeel"));
	/* The contact block is there, but the browser must not remember it. */
	assert_true(
	        wt_has(&r, "name=\"email\" type=\"email\" maxlength=\"200\" autocomplete=\"off\""));
	assert_true(
	        wt_has(&r, "name=\"phone\" type=\"tel\" maxlength=\"200\" autocomplete=\"off\""));
	http_free(&r);
	long long stories = count_stories();
	assert_int_equal(post(&t, "/kiosk/versturen", "email=&phone=", &r), 200);
	assert_true(wt_has(&r, "id=\"ontvangstcode\">VT-"));
	assert_true(wt_has(&r, "data-kiosk-thanks=\"1\""));
	assert_true(wt_has(&r, "id=\"kiosk-back-count\">20</span>"));
	assert_true(wt_has(&r, "id=\"kiosk-again\""));
	assert_false(wt_has(&r, "<header"));
	http_free(&r);
	assert_int_equal(count_stories(), stories + 1);
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT channel, answers, professional IS NULL, participant_id "
	                           "IS NULL FROM stories ORDER BY id DESC LIMIT 1");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "kiosk");
	assert_non_null(strstr(db_col_text(s, 1), "\"leeftijd\":\"oud\""));
	assert_non_null(strstr(db_col_text(s, 1), "\"text\":\"Het wijkcentrum\""));
	assert_null(strstr(db_col_text(s, 1), "oordeel"));
	assert_int_equal(db_col_int(s, 2), 1);
	assert_int_equal(db_col_int(s, 3), 1);
	db_finalize(s);
	db_close(d);
	/* "Begin opnieuw": the receipt is gone for the next person, the
	 * cookie cleared, back at the start. */
	char old[80];
	snprintf(old, sizeof old, "%s", t.story);
	char loc[200];
	assert_int_equal(post_loc(&t, "/kiosk/opnieuw", "x=1", loc, sizeof loc), 303);
	assert_string_equal(loc, path_of("/kiosk"));
	assert_string_equal(t.story, "");
	snprintf(t.story, sizeof t.story, "%s", old); /* even with the old cookie */
	assert_int_equal(post_loc(&t, "/kiosk/versturen", "x=1", loc, sizeof loc), 303);
	assert_string_equal(loc, path_of("/kiosk"));
}

static void test_kiosk_reset_deletes_the_draft(void **state)
{
	struct browser t;
	browser_new(&t, 9);
	start(&t, "/kiosk");
	char loc[200];
	assert_int_equal(post_loc(&t, "/kiosk/stap/1", "action=next&a-verhaal=Geheim+verhaal", loc,
	                          sizeof loc),
	                 303);
	long long drafts = count_drafts();
	char old[80];
	snprintf(old, sizeof old, "%s", t.story);
	/* What the timer sends after inactivity. */
	assert_int_equal(post_loc(&t, "/kiosk/opnieuw", "x=1", loc, sizeof loc), 303);
	assert_string_equal(loc, path_of("/kiosk"));
	assert_string_equal(t.story, "");
	assert_int_equal(count_drafts(), drafts - 1);
	/* Going back in the browser finds nothing of it, even with the old
	 * cookie: each step sends to the start. */
	snprintf(t.story, sizeof t.story, "%s", old);
	struct http_resp r;
	assert_int_equal(get(&t, path_of("/kiosk/stap/1"), &r), 303);
	assert_string_equal(http_header(&r, "Location"), path_of("/kiosk"));
	assert_false(wt_has(&r, "Geheim"));
	http_free(&r);
	assert_int_equal(get(&t, path_of("/kiosk/stap/3"), &r), 303);
	http_free(&r);
	/* The start page offers nothing of an earlier teller. */
	assert_int_equal(get(&t, path_of("/kiosk"), &r), 200);
	assert_false(wt_has(&r, "Geheim"));
	assert_false(wt_has(&r, "/kiosk/stap/"));
	http_free(&r);
	/* Resetting without a draft is fine too. */
	assert_int_equal(post_loc(&t, "/kiosk/opnieuw", "x=1", loc, sizeof loc), 303);
}

static void test_kiosk_next_teller_starts_fresh(void **state)
{
	struct browser t;
	browser_new(&t, 9);
	start(&t, "/kiosk");
	char loc[200];
	assert_int_equal(post_loc(&t, "/kiosk/stap/1", "action=next&a-verhaal=Van+de+vorige", loc,
	                          sizeof loc),
	                 303);
	long long drafts = count_drafts();
	/* The next person starts without a reset (no script): the last one's
	 * draft goes, the new one is empty. */
	start(&t, "/kiosk");
	assert_int_equal(count_drafts(), drafts);
	struct http_resp r;
	assert_int_equal(get(&t, path_of("/kiosk/stap/1"), &r), 200);
	assert_false(wt_has(&r, "Van de vorige"));
	http_free(&r);
}

static void test_kiosk_no_resume_code(void **state)
{
	struct browser t;
	browser_new(&t, 9);
	start(&t, "/kiosk");
	struct http_resp r;
	assert_int_equal(get(&t, path_of("/kiosk/stap/1"), &r), 200);
	assert_false(wt_has(&r, "value=\"later\""));
	http_free(&r);
	/* Asked for anyway: saved, the page stays, no code. */
	assert_int_equal(post(&t, "/kiosk/stap/1", "action=later&a-verhaal=Iets", &r), 200);
	assert_false(wt_has(&r, "verder-code"));
	assert_true(wt_has(&r, ">Iets</textarea>"));
	http_free(&r);
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM story_drafts WHERE channel = 'kiosk' "
	                           "AND code_hash IS NOT NULL");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 0);
	db_finalize(s);
	db_close(d);
	/* The public form does not open a kiosk's draft (no code from there). */
	assert_int_equal(get(&t, path_of("/stap/1"), &r), 303);
	assert_string_equal(http_header(&r, "Location"), path_of(""));
	http_free(&r);
	assert_int_equal(post(&t, "/stap/1", "action=later&a-verhaal=Iets", &r), 303);
	assert_false(wt_has(&r, "verder-code"));
	http_free(&r);
}

static void test_kiosk_csrf(void **state)
{
	struct browser t;
	browser_new(&t, 9);
	start(&t, "/kiosk");
	long long drafts = count_drafts();
	const char *tails[] = {"/kiosk/opnieuw", "/kiosk/start", "/kiosk/stap/1",
	                       "/kiosk/versturen"};
	for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
		struct http_resp r;
		browser_send(&t, "POST", path_of(tails[i]), "consent=1&action=next&a-verhaal=x",
		             &r);
		assert_int_equal(r.status, 403);
		http_free(&r);
	}
	assert_int_equal(count_drafts(), drafts);
	assert_int_equal(strlen(t.story), 64);
}

/* ---- contact details on the form ------------------------------------------------- */

static void web_answers(struct browser *t)
{
	char loc[200];
	assert_int_equal(
	        post_loc(t, "/stap/1", "action=next&a-verhaal=Graag+bericht", loc, sizeof loc),
	        303);
	assert_int_equal(
	        post_loc(t, "/stap/2", "action=next&a-leeftijd=jong&a-oordeel=2", loc, sizeof loc),
	        303);
}

static void test_contact_block_explains(void **state)
{
	struct browser t;
	browser_new(&t, 9);
	start(&t, "");
	web_answers(&t);
	struct http_resp r;
	assert_int_equal(get(&t, path_of("/stap/3"), &r), 200);
	assert_true(wt_has(&r, "<legend class=\"utrecht-form-fieldset__legend\">"));
	assert_true(wt_has(&r, "id=\"contact-uitleg\""));
	assert_true(wt_has(&r, "versleuteld") || wt_has(&r, "encryption"));
	assert_true(wt_has(
	        &r, "name=\"email\" type=\"email\" maxlength=\"200\" autocomplete=\"email\""));
	assert_true(wt_has(&r, "aria-describedby=\"contact-uitleg\""));
	http_free(&r);
}

static void test_contact_bad_input_loses_nothing(void **state)
{
	struct browser t;
	browser_new(&t, 9);
	start(&t, "");
	web_answers(&t);
	long long stories = count_stories(), drafts = count_drafts();
	struct http_resp r;
	const char *bad[] = {"email=geen-adres&phone=", "email=&phone=12",
	                     "email=a%40b.nl&phone=06-1234abcd"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(post(&t, "/versturen", bad[i], &r), 422);
		assert_true(wt_has(&r, "class=\"vp-error-summary\""));
		assert_true(wt_has(&r, "href=\"#email\""));
		assert_true(wt_has(&r, "id=\"contact-error\""));
		assert_true(wt_has(&r, "aria-invalid=\"true\""));
		/* The answers are still there to send. */
		assert_true(wt_has(&r, "Graag bericht"));
		http_free(&r);
	}
	assert_int_equal(post(&t, "/versturen", "email=geen-adres", &r), 422);
	assert_true(wt_has(&r, "value=\"geen-adres\""));
	http_free(&r);
	assert_int_equal(count_stories(), stories);
	assert_int_equal(count_drafts(), drafts);
}

/* The participant of the newest story, its consent and what the database
 * holds of the contact. */
static void last_story_participant(int64_t *pid, char *code, size_t cap)
{
	db *d = wt_open_db();
	db_stmt *s = db_prepare(d, "SELECT s.participant_id, p.code FROM stories s JOIN "
	                           "participants p ON p.id = s.participant_id ORDER BY s.id DESC "
	                           "LIMIT 1");
	assert_int_equal(db_step(s), DB_ROW);
	*pid = db_col_int(s, 0);
	snprintf(code, cap, "%s", db_col_text(s, 1));
	db_finalize(s);
	db_close(d);
}

static void test_contact_links_a_participant(void **state)
{
	struct browser t;
	browser_new(&t, 9);
	start(&t, "");
	web_answers(&t);
	long long stories = count_stories();
	struct http_resp r;
	assert_int_equal(post(&t, "/versturen", "email=+Bewoner%40Voorbeeld.nl+&phone=", &r), 200);
	assert_true(wt_has(&r, "id=\"ontvangstcode\">VT-"));
	/* Not shown again anywhere. */
	assert_false(wt_has(&r, "oorbeeld.nl"));
	http_free(&r);
	assert_int_equal(count_stories(), stories + 1);
	int64_t pid;
	char code[20];
	last_story_participant(&pid, code, sizeof code);
	db *d = wt_open_db();
	/* The contact is sealed (no clear text), with its blind index. */
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM participant_contacts WHERE "
	                           "participant_id = :p AND email_index IS NOT NULL AND "
	                           "phone_index IS NULL AND instr(sealed, 'oorbeeld') = 0");
	db_bind_int(s, "p", pid);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
	/* Consent for feedback, with the text shown and the channel. */
	s = db_prepare(d, "SELECT c.channel, t.text FROM consents c JOIN consent_texts t ON "
	                  "t.hash = c.text_hash WHERE c.participant_id = :p AND "
	                  "c.purpose = 'feedback'");
	db_bind_int(s, "p", pid);
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "web");
	assert_true(strstr(db_col_text(s, 1), "e-mailadres") ||
	            strstr(db_col_text(s, 1), "e-mail address"));
	db_finalize(s);
	/* The story itself has no contact detail. */
	s = db_prepare(d, "SELECT COUNT(*) FROM stories WHERE participant_id = :p AND "
	                  "instr(answers, 'oorbeeld') = 0");
	db_bind_int(s, "p", pid);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
	db_close(d);

	/* The same address, written otherwise, at the kiosk: the same
	 * participant, a second feedback consent from the kiosk. */
	struct browser u;
	browser_new(&u, 9);
	start(&u, "/kiosk");
	kiosk_answers(&u, "Nog+een");
	assert_int_equal(post(&u, "/kiosk/versturen", "email=bewoner%40voorbeeld.NL&phone=", &r),
	                 200);
	assert_false(wt_has(&r, "bewoner"));
	http_free(&r);
	int64_t pid2;
	char code2[20];
	last_story_participant(&pid2, code2, sizeof code2);
	assert_int_equal(pid2, pid);
	d = wt_open_db();
	s = db_prepare(d, "SELECT COUNT(*) FROM consents WHERE participant_id = :p AND "
	                  "purpose = 'feedback' AND channel = 'kiosk'");
	db_bind_int(s, "p", pid);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
	db_close(d);

	/* A phone number only: a new participant. */
	struct browser v;
	browser_new(&v, 9);
	start(&v, "");
	web_answers(&v);
	assert_int_equal(post(&v, "/versturen", "email=&phone=%2B31+6+1234+5678", &r), 200);
	http_free(&r);
	int64_t pid3;
	last_story_participant(&pid3, code2, sizeof code2);
	assert_true(pid3 != pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_kiosk_frame_has_no_way_out),
	        cmocka_unit_test(test_kiosk_timers),
	        cmocka_unit_test(test_kiosk_story_and_reset_after_sending),
	        cmocka_unit_test(test_kiosk_reset_deletes_the_draft),
	        cmocka_unit_test(test_kiosk_next_teller_starts_fresh),
	        cmocka_unit_test(test_kiosk_no_resume_code),
	        cmocka_unit_test(test_kiosk_csrf),
	        cmocka_unit_test(test_contact_block_explains),
	        cmocka_unit_test(test_contact_bad_input_loses_nothing),
	        cmocka_unit_test(test_contact_links_a_participant),
	};
	return cmocka_run_group_tests_name("story_kiosk", tests, setup, teardown);
}
