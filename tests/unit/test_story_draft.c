/* test_story_draft.c: drafts of the story form: start with consent, save, resume code, expiry, conditions, one-answer checks, sending once; kiosk and staff drafts, discarding, contact details linked to a participant. */
#include "testutil.h"
#include "testdb.h"
#include "teststory.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/migrate.h"
#include "model/collection.h"
#include "model/script_store.h"
#include "model/story.h"
#include "model/story_draft.h"
#include "model/user.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"concept\",\"title\":{\"nl\":\"V\"},"
        "\"privacy\":{\"nl\":\"Alleen het team leest dit.\"},\"sections\":[{\"id\":\"s\","
        "\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"required\":true,\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"
        "{\"id\":\"gevoel\",\"type\":\"choice\",\"text\":{\"nl\":\"Gevoel\"},\"options\":["
        "{\"id\":\"goed\",\"label\":{\"nl\":\"Goed\"}},{\"id\":\"slecht\",\"label\":{\"nl\":"
        "\"Slecht\"}}]},"
        "{\"id\":\"waarom\",\"type\":\"choice\",\"text\":{\"nl\":\"Waarom?\"},\"options\":["
        "{\"id\":\"druk\",\"label\":{\"nl\":\"Druk\"}},{\"id\":\"stil\",\"label\":{\"nl\":"
        "\"Stil\"}}],\"show_if\":{\"question\":\"gevoel\",\"is\":[\"slecht\"]}},"
        "{\"id\":\"hoe\",\"type\":\"scale\",\"points\":5,\"low\":{\"nl\":\"Laag\"},\"high\":"
        "{\"nl\":\"Hoog\"},\"text\":{\"nl\":\"Hoe erg?\"},\"show_if\":{\"question\":\"waarom\","
        "\"is\":[\"druk\"]}},"
        "{\"id\":\"cijfer\",\"type\":\"scale\",\"points\":5,\"low\":{\"nl\":\"Laag\"},\"high\":"
        "{\"nl\":\"Hoog\"},\"text\":{\"nl\":\"Cijfer\"}},"
        "{\"id\":\"extra\",\"type\":\"text\",\"text\":{\"nl\":\"Extra\"},\"show_if\":"
        "{\"question\":\"cijfer\",\"is\":[1,2]}}"
        "]}]}";

struct fixture {
	char dir[64], path[96];
	db *d;
	int64_t org;
	struct script *script;
	struct collection c;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	/* A show_if on a text question may be refused by the reader: then
	 * the test script is wrong, not the model. */
	f->script = test_story_setup(f->dir, f->path, &f->d, &f->org, "draft", script_text,
	                             "Concepten", &f->c);
	if (!f->script)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	clock_reset();
	if (!f)
		return 0;
	script_free(f->script);
	test_store_close(f->dir, f->path, f->d);
	free(f);
	return 0;
}

static void start(struct fixture *f, struct story_draft_start *j, const char *old)
{
	memset(j, 0, sizeof *j);
	j->collection_id = f->c.id;
	j->old_secret = old;
	j->consent_text = "Alleen het team leest dit.";
	j->language = "nl";
	assert_int_equal(story_draft_start_write(f->d, j), DB_OK);
	assert_true(j->id > 0);
	assert_int_equal(strlen(j->secret), STORY_DRAFT_SECRET_LEN);
}

static void test_start_and_read(void **state)
{
	struct fixture *f = *state;
	struct story_draft_start j;
	start(f, &j, NULL);
	struct story_draft d;
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, j.secret, clock_now(), &d), DB_ROW);
	assert_int_equal(d.id, j.id);
	assert_string_equal(d.answers, "{}");
	assert_int_equal(d.step, 1);
	char norm[STORY_UUID_LEN + 1];
	assert_true(story_uuid_normalise(d.uuid, norm));
	assert_int_equal(d.uuid[14], '4'); /* a version 4 UUID */
	assert_int_equal(d.expires_at, d.created_at + STORY_DRAFT_DAYS * 86400);
	assert_true(d.consent_at > 0);
	char uuid[STORY_UUID_LEN + 1];
	memcpy(uuid, d.uuid, sizeof uuid);
	story_draft_free(&d);
	/* The secret is not stored, only its hash. */
	db_stmt *s = db_prepare(f->d, "SELECT COUNT(*) FROM story_drafts WHERE secret_hash = :s");
	db_bind_text(s, "s", j.secret);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 0);
	db_finalize(s);
	/* The text shown is kept once. */
	s = db_prepare(f->d, "SELECT t.text FROM consent_texts t JOIN story_drafts d ON "
	                     "d.consent_text_hash = t.hash WHERE d.id = :id");
	db_bind_int(s, "id", j.id);
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "Alleen het team leest dit.");
	db_finalize(s);
	/* Another collection, a wrong secret, a short one: nothing. */
	assert_int_equal(story_draft_by_secret(f->d, f->c.id + 1, j.secret, clock_now(), &d),
	                 DB_DONE);
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, "abc", clock_now(), &d), DB_DONE);
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, NULL, clock_now(), &d), DB_DONE);
	/* Consent again with the old secret keeps the draft (and its uuid),
	 * with a new secret. */
	struct story_draft_save sv = {.id = j.id, .answers = "{\"gevoel\":\"goed\"}", .step = 2};
	assert_int_equal(story_draft_save_write(f->d, &sv), DB_OK);
	struct story_draft_start k;
	start(f, &k, j.secret);
	assert_int_equal(k.id, j.id);
	assert_int_equal(k.step, 2);
	assert_string_not_equal(k.secret, j.secret);
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, j.secret, clock_now(), &d), DB_DONE);
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, k.secret, clock_now(), &d), DB_ROW);
	assert_string_equal(d.uuid, uuid);
	assert_string_equal(d.answers, "{\"gevoel\":\"goed\"}");
	story_draft_free(&d);
}

static void test_resume_code_and_expiry(void **state)
{
	struct fixture *f = *state;
	struct story_draft_start j;
	start(f, &j, NULL);
	struct story_draft_save sv = {
	        .id = j.id, .answers = "{\"cijfer\":3}", .step = 1, .new_code = 1};
	assert_int_equal(story_draft_save_write(f->d, &sv), DB_OK);
	assert_int_equal(sv.found, 1);
	assert_int_equal(strlen(sv.code), COLLECTION_CODE_LEN);
	assert_null(strpbrk(sv.code, "01OIL"));
	char first[9];
	memcpy(first, sv.code, sizeof first);
	/* A new code replaces the old one. */
	assert_int_equal(story_draft_save_write(f->d, &sv), DB_OK);
	assert_string_not_equal(sv.code, first);
	struct story_draft_resume rj = {.collection_id = f->c.id, .code = first};
	assert_int_equal(story_draft_resume_write(f->d, &rj), DB_OK);
	assert_int_equal(rj.found, 0);
	rj.code = sv.code;
	rj.collection_id = f->c.id + 1;
	assert_int_equal(story_draft_resume_write(f->d, &rj), DB_OK);
	assert_int_equal(rj.found, 0);
	rj.collection_id = f->c.id;
	assert_int_equal(story_draft_resume_write(f->d, &rj), DB_OK);
	assert_int_equal(rj.found, 1);
	/* The resumed draft has a new secret; the old cookie opens nothing. */
	struct story_draft d;
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, j.secret, clock_now(), &d), DB_DONE);
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, rj.secret, clock_now(), &d), DB_ROW);
	assert_string_equal(d.answers, "{\"cijfer\":3}");
	story_draft_free(&d);
	/* 30 days later it is gone for the form. */
	clock_advance((int64_t)STORY_DRAFT_DAYS * 86400 + 1);
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, rj.secret, clock_now(), &d), DB_DONE);
	assert_int_equal(story_draft_resume_write(f->d, &rj), DB_OK);
	assert_int_equal(rj.found, 0);
	sv.new_code = 0;
	assert_int_equal(story_draft_save_write(f->d, &sv), DB_OK);
	assert_int_equal(sv.found, 0);
	clock_reset();
}

static void test_asked(void **state)
{
	struct fixture *f = *state;
	const struct script *s = f->script;
	unsigned char asked[16];
	json_t *a = json_pack("{s:s, s:s}", "gevoel", "goed", "waarom", "druk");
	story_draft_asked(s, a, asked);
	assert_int_equal(asked[script_question(s, "verhaal")->index], 1);
	assert_int_equal(asked[script_question(s, "waarom")->index], 0);
	assert_int_equal(asked[script_question(s, "hoe")->index], 0); /* depends on a hidden one */
	assert_int_equal(asked[script_question(s, "extra")->index], 0);
	json_object_set_new(a, "gevoel", json_string("slecht"));
	json_object_set_new(a, "cijfer", json_integer(2));
	story_draft_asked(s, a, asked);
	assert_int_equal(asked[script_question(s, "waarom")->index], 1);
	assert_int_equal(asked[script_question(s, "extra")->index], 1);
	assert_int_equal(asked[script_question(s, "hoe")->index], 1);
	json_object_set_new(a, "gevoel", json_null());
	story_draft_asked(s, a, asked);
	assert_int_equal(asked[script_question(s, "waarom")->index], 0);
	story_draft_asked(s, NULL, asked);
	assert_int_equal(asked[script_question(s, "extra")->index], 0);
	json_decref(a);
}

static void test_check_one(void **state)
{
	struct fixture *f = *state;
	const struct script *s = f->script;
	struct answer_error e;
	json_t *v = json_integer(9);
	assert_int_equal(story_draft_check_one(script_question(s, "cijfer"), v, &e), -1);
	assert_string_equal(e.question, "cijfer");
	assert_non_null(e.msg);
	json_decref(v);
	v = json_integer(3);
	assert_int_equal(story_draft_check_one(script_question(s, "cijfer"), v, &e), 0);
	json_decref(v);
	/* Its condition does not matter here: only the answer. */
	v = json_string("druk");
	assert_int_equal(story_draft_check_one(script_question(s, "waarom"), v, &e), 0);
	json_decref(v);
	v = json_string("ander");
	assert_int_equal(story_draft_check_one(script_question(s, "gevoel"), v, &e), -1);
	json_decref(v);
	v = json_null(); /* "not applicable" is not allowed here */
	assert_int_equal(story_draft_check_one(script_question(s, "gevoel"), v, &e), -1);
	json_decref(v);
}

static void test_send_once(void **state)
{
	struct fixture *f = *state;
	struct story_draft_start j;
	start(f, &j, NULL);
	struct story_draft d;
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, j.secret, clock_now(), &d), DB_ROW);
	json_t *body = json_pack("{s:s, s:s, s:i, s:{s:{s:s, s:s}}}", "id", d.uuid, "channel",
	                         "web", "script_version", 1, "answers", "verhaal", "prompt", "p",
	                         "text", "Het ging goed.");
	struct story_submit st = {.collection = &f->c};
	const char *msg;
	struct answer_error e;
	assert_int_equal(story_prepare(&st, f->script, body, 0, &msg, &e), 0);
	struct story_draft_send sj = {.draft_id = d.id,
	                              .secret = j.secret,
	                              .consent_text_hash = d.consent_text_hash,
	                              .consent_at = d.consent_at,
	                              .st = &st};
	assert_int_equal(story_draft_send_write(f->d, &sj), DB_OK);
	assert_int_equal(st.result, STORY_NEW);
	char receipt[STORY_RECEIPT_LEN + 1];
	memcpy(receipt, st.receipt, sizeof receipt);
	/* The draft is gone; the receipt is there for the same browser. */
	struct story_draft gone;
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, j.secret, clock_now(), &gone),
	                 DB_DONE);
	char again[STORY_RECEIPT_LEN + 1];
	assert_int_equal(story_draft_sent_receipt(f->d, f->c.id, j.secret, clock_now(), again),
	                 DB_ROW);
	assert_string_equal(again, receipt);
	/* A second send (two clicks read the draft at once) stores nothing new. */
	assert_int_equal(story_draft_send_write(f->d, &sj), DB_OK);
	assert_int_equal(st.result, STORY_SAME);
	assert_string_equal(st.receipt, receipt);
	db_stmt *s = db_prepare(f->d, "SELECT COUNT(*), MIN(consent_text_hash), MIN(consent_at) "
	                              "FROM stories WHERE uuid = :u");
	db_bind_text(s, "u", d.uuid);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	assert_string_equal(db_col_text(s, 1), d.consent_text_hash);
	assert_int_equal(db_col_int(s, 2), d.consent_at);
	db_finalize(s);
	/* After an hour the receipt is no longer shown. */
	assert_int_equal(story_draft_sent_receipt(f->d, f->c.id, j.secret,
	                                          clock_now() + STORY_DRAFT_SENT_SECONDS + 1,
	                                          again),
	                 DB_DONE);
	story_submit_free(&st);
	story_draft_free(&d);
	json_decref(body);
}

static int64_t drafts_with(struct fixture *f, const char *channel)
{
	db_stmt *s = db_prepare(f->d, "SELECT COUNT(*) FROM story_drafts WHERE channel = :c");
	db_bind_text(s, "c", channel);
	assert_int_equal(db_step(s), DB_ROW);
	int64_t n = db_col_int(s, 0);
	db_finalize(s);
	return n;
}

static void test_kiosk_and_staff_drafts(void **state)
{
	struct fixture *f = *state;
	struct story_draft_start web;
	start(f, &web, NULL);
	/* The browser becomes a kiosk: its web draft goes, a kiosk draft comes. */
	int64_t kiosks = drafts_with(f, "kiosk");
	struct story_draft_start k = {.collection_id = f->c.id,
	                              .old_secret = web.secret,
	                              .consent_text = "Alleen het team leest dit.",
	                              .language = "nl",
	                              .channel = "kiosk"};
	assert_int_equal(story_draft_start_write(f->d, &k), DB_OK);
	struct story_draft d;
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, web.secret, clock_now(), &d),
	                 DB_DONE);
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, k.secret, clock_now(), &d), DB_ROW);
	assert_string_equal(d.channel, "kiosk");
	assert_int_equal(d.user_id, 0);
	story_draft_free(&d);
	assert_int_equal(drafts_with(f, "kiosk"), kiosks + 1);
	/* The next teller at the kiosk: a new draft, the last one's gone. */
	struct story_draft_start k2 = k;
	k2.old_secret = k.secret;
	assert_int_equal(story_draft_start_write(f->d, &k2), DB_OK);
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, k.secret, clock_now(), &d), DB_DONE);
	assert_int_equal(drafts_with(f, "kiosk"), kiosks + 1);
	/* A web start with a kiosk's cookie does not take the kiosk draft over. */
	struct story_draft_start w2 = {.collection_id = f->c.id,
	                               .old_secret = k2.secret,
	                               .consent_text = "Alleen het team leest dit.",
	                               .language = "nl"};
	assert_int_equal(story_draft_start_write(f->d, &w2), DB_OK);
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, k2.secret, clock_now(), &d), DB_ROW);
	story_draft_free(&d);
	assert_int_equal(drafts_with(f, "kiosk"), kiosks + 1);
	/* Discarding: the draft and nothing else. */
	struct story_draft_discard x = {.collection_id = f->c.id, .secret = k2.secret};
	assert_int_equal(story_draft_discard_write(f->d, &x), DB_OK);
	assert_int_equal(x.found, 1);
	assert_int_equal(drafts_with(f, "kiosk"), kiosks);
	assert_int_equal(story_draft_discard_write(f->d, &x), DB_OK);
	assert_int_equal(x.found, 0);
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, w2.secret, clock_now(), &d), DB_ROW);
	story_draft_free(&d);
	/* A staff member's draft keeps the member and the channel. */
	int64_t uid = 0;
	assert_int_equal(
	        user_insert(f->d, f->org, "gerda", "Gerda", ROLE_GESPREKSVOERDER, "x", 0, &uid),
	        DB_OK);
	struct story_draft_start sd = {.collection_id = f->c.id,
	                               .consent_text = "Alleen het team leest dit.",
	                               .language = "nl",
	                               .channel = "paper",
	                               .user_id = uid};
	assert_int_equal(story_draft_start_write(f->d, &sd), DB_OK);
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, sd.secret, clock_now(), &d), DB_ROW);
	assert_string_equal(d.channel, "paper");
	assert_int_equal(d.user_id, uid);
	story_draft_free(&d);
	/* A channel the table does not know is refused. */
	struct story_draft_start bad = sd;
	bad.channel = "import";
	assert_true(story_draft_start_write(f->d, &bad) != DB_OK);
}

/* Sends a story with contact from a new draft; the participant's id. */
static int64_t send_with_contact(struct fixture *f, const vault *v, const char *email,
                                 const char *phone, char code[PARTICIPANT_CODE_LEN + 1])
{
	struct story_draft_start j;
	start(f, &j, NULL);
	struct story_draft d;
	assert_int_equal(story_draft_by_secret(f->d, f->c.id, j.secret, clock_now(), &d), DB_ROW);
	json_t *body = json_pack("{s:s, s:s, s:i, s:{s:{s:s, s:s}}}", "id", d.uuid, "channel",
	                         "web", "script_version", 1, "answers", "verhaal", "prompt", "p",
	                         "text", "Graag bericht.");
	struct story_submit st = {.collection = &f->c};
	const char *msg;
	struct answer_error e;
	assert_int_equal(story_prepare(&st, f->script, body, 0, &msg, &e), 0);
	struct contact c = {.email = email, .phone = phone};
	struct story_draft_send sj = {.draft_id = d.id,
	                              .secret = j.secret,
	                              .consent_text_hash = d.consent_text_hash,
	                              .consent_at = d.consent_at,
	                              .st = &st,
	                              .vault = v,
	                              .contact = &c,
	                              .feedback_text = "We sturen u bericht."};
	assert_int_equal(story_draft_send_write(f->d, &sj), DB_OK);
	assert_int_equal(st.result, STORY_NEW);
	assert_true(st.participant_id > 0);
	assert_int_equal(strlen(sj.participant_code), PARTICIPANT_CODE_LEN);
	memcpy(code, sj.participant_code, PARTICIPANT_CODE_LEN + 1);
	db_stmt *s = db_prepare(f->d, "SELECT participant_id FROM stories WHERE id = :id");
	db_bind_int(s, "id", st.id);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), st.participant_id);
	db_finalize(s);
	int64_t pid = st.participant_id;
	story_submit_free(&st);
	story_draft_free(&d);
	json_decref(body);
	return pid;
}

static void test_contact_links_participant(void **state)
{
	struct fixture *f = *state;
	char key[128], err[256];
	snprintf(key, sizeof key, "%s/test.key", f->dir);
	assert_int_equal(vault_create_file(key, err, sizeof err), 0);
	vault *v = vault_load(key, err, sizeof err);
	assert_non_null(v);
	char a[PARTICIPANT_CODE_LEN + 1], b[PARTICIPANT_CODE_LEN + 1], c[PARTICIPANT_CODE_LEN + 1];
	int64_t p1 = send_with_contact(f, v, "Bewoner@Voorbeeld.nl", NULL, a);
	/* The same address written otherwise, with a phone number now: the
	 * same participant, whose stored contact is not changed. */
	int64_t p2 = send_with_contact(f, v, " bewoner@voorbeeld.nl", "06-12345678", b);
	assert_int_equal(p2, p1);
	assert_string_equal(a, b);
	struct contact by_phone = {.phone = "+31 6 1234 5678"};
	int64_t found = 0;
	assert_int_equal(story_draft_contact_participant(f->d, v, &by_phone, &found), DB_DONE);
	/* A phone number alone: someone new, found by it afterwards. */
	int64_t p3 = send_with_contact(f, v, NULL, "0612345678", c);
	assert_true(p3 != p1);
	assert_int_equal(story_draft_contact_participant(f->d, v, &by_phone, &found), DB_ROW);
	assert_int_equal(found, p3);
	/* Each sending recorded its consent for feedback. */
	db_stmt *s = db_prepare(f->d, "SELECT COUNT(*) FROM consents WHERE purpose = 'feedback' "
	                              "AND participant_id = :p AND channel = 'web'");
	db_bind_int(s, "p", p1);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 2);
	db_finalize(s);
	vault_free(v);
	unlink(key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_start_and_read),
	        cmocka_unit_test(test_resume_code_and_expiry),
	        cmocka_unit_test(test_asked),
	        cmocka_unit_test(test_check_one),
	        cmocka_unit_test(test_send_once),
	        cmocka_unit_test(test_kiosk_and_staff_drafts),
	        cmocka_unit_test(test_contact_links_participant),
	};
	return cmocka_run_group_tests_name("story_draft", tests, setup, teardown);
}
