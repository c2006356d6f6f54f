/* story.c: checking a story submission against its script and storing it exactly once. */
#include "model/story.h"

#include "analysis/index.h"
#include "analysis/search.h"
#include "model/consent.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"
#include "model/script_store.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const channels[] = {"web", "kiosk", "face-to-face", "phone", "paper"};

int story_channel_ok(const char *channel)
{
	for (size_t i = 0; channel && i < sizeof channels / sizeof channels[0]; i++)
		if (strcmp(channel, channels[i]) == 0)
			return 1;
	return 0;
}

int story_uuid_normalise(const char *s, char out[STORY_UUID_LEN + 1])
{
	if (!s || strlen(s) != STORY_UUID_LEN)
		return 0;
	for (int i = 0; i < STORY_UUID_LEN; i++) {
		char c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!isxdigit((unsigned char)c)) {
			return 0;
		}
		out[i] = (char)tolower((unsigned char)c);
	}
	out[STORY_UUID_LEN] = 0;
	return 1;
}

void story_submit_free(struct story_submit *st)
{
	free(st->answers);
	free(st->professional);
	st->answers = st->professional = NULL;
}

/* "consent": {"text_hash": HASH, "at": SECONDS}: HASH must be one of the
 * script's privacy texts (in any of its languages), as the form showed it.
 * A time in the future (a device clock that runs ahead) counts as now. */
static int read_consent(struct story_submit *st, const struct script *s, json_t *c,
                        const char **msg, struct answer_error *err)
{
	snprintf(err->detail, sizeof err->detail, "consent");
	json_t *hash = json_object_get(c, "text_hash"), *at = json_object_get(c, "at");
	if (!json_is_object(c) || json_object_size(c) != 2 || !json_is_string(hash) ||
	    !json_is_integer(at) || json_integer_value(at) <= 0) {
		*msg = N_("Give the consent with text_hash (the hash of the privacy text that was "
		          "shown) and at (when, in seconds since 1970).");
		return 422;
	}
	const char *want = json_string_value(hash);
	for (int i = 0; i < s->privacy.n; i++) {
		char h[65];
		util_hash_hex(s->privacy.s[i], h);
		if (util_streq_ct(h, want)) {
			st->consent_text = s->privacy.s[i];
			memcpy(st->consent_text_hash, h, sizeof h);
		}
	}
	if (!st->consent_text) {
		*msg = N_("The text about privacy has changed. Show the current text and ask for "
		          "consent again.");
		return 422;
	}
	int64_t now = clock_now();
	st->consent_at = json_integer_value(at) < now ? json_integer_value(at) : now;
	err->detail[0] = 0;
	return 0;
}

static char *canonical(json_t *j)
{
	char *t = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
	if (!t)
		abort();
	return t;
}

int story_prepare(struct story_submit *st, const struct script *s, json_t *body,
                  int professional_ok, const char **msg, struct answer_error *err)
{
	memset(err, 0, sizeof *err);
	st->answers = st->professional = NULL;
	st->consent_text = NULL;
	st->consent_text_hash[0] = 0;
	st->consent_at = 0;
	if (!body || !json_is_object(body)) {
		*msg = N_("Send the story as a JSON object.");
		return 400;
	}
	const char *k;
	json_t *v;
	json_object_foreach(body, k, v)
	{
		if (strcmp(k, "id") && strcmp(k, "channel") && strcmp(k, "script_version") &&
		    strcmp(k, "answers") && strcmp(k, "language") && strcmp(k, "professional") &&
		    strcmp(k, "consent")) {
			*msg = N_("The story has a field that is not known.");
			snprintf(err->detail, sizeof err->detail, "%s", k);
			return 422;
		}
	}
	if (!story_uuid_normalise(json_string_value(json_object_get(body, "id")), st->uuid)) {
		*msg = N_("The story needs an id made on the device (a UUID).");
		return 422;
	}
	const char *ch = json_string_value(json_object_get(body, "channel"));
	if (!story_channel_ok(ch)) {
		*msg = N_("The channel is one of: web, kiosk, face-to-face, phone, paper.");
		return 422;
	}
	/* Face to face, by phone and from paper a staff member types. */
	if (strcmp(ch, "web") != 0 && strcmp(ch, "kiosk") != 0 && !professional_ok) {
		*msg = N_("Only a logged-in staff member can take a story in this channel.");
		return 422;
	}
	snprintf(st->channel, sizeof st->channel, "%s", ch);
	json_t *ver = json_object_get(body, "script_version");
	if (!json_is_integer(ver)) {
		*msg = N_("Give the version of the script the story answers.");
		return 422;
	}
	if (json_integer_value(ver) != st->collection->script_version) {
		*msg = N_("This collection uses another version of the questions. Reload the "
		          "page to get the current questions.");
		return 409;
	}
	const char *lang = json_string_value(json_object_get(body, "language"));
	if (!lang)
		lang = "nl";
	size_t ln = strlen(lang);
	if (ln < 2 || ln > 3 || !islower((unsigned char)lang[0]) ||
	    !islower((unsigned char)lang[1]) || (ln == 3 && !islower((unsigned char)lang[2]))) {
		*msg = N_("The language is a code of 2 or 3 small letters.");
		return 422;
	}
	snprintf(st->language, sizeof st->language, "%s", lang);
	json_t *consent = json_object_get(body, "consent");
	if (consent) {
		int status = read_consent(st, s, consent, msg, err);
		if (status)
			return status;
	}

	json_t *answers = json_object_get(body, "answers");
	json_t *prof = json_object_get(body, "professional");
	if (prof && !professional_ok) {
		*msg = N_("Only a logged-in staff member can give the professional's answers.");
		return 422;
	}
	if (!answers || !json_is_object(answers) || (prof && !json_is_object(prof))) {
		*msg = N_("The answers must be an object of question ids.");
		return 422;
	}
	/* Both perspectives are checked together (conditions may cross
	 * them), then stored apart. */
	json_t *all = json_deep_copy(answers);
	if (!all)
		abort();
	if (prof) {
		json_object_foreach(prof, k, v)
		{
			const struct question *q = script_question(s, k);
			if (q && q->perspective != PERSPECTIVE_PROFESSIONAL) {
				json_decref(all);
				*msg = N_("This question is answered by the teller.");
				err->question = q->id;
				return 422;
			}
			json_object_set(all, k, v);
		}
	}
	unsigned mask = PERSPECTIVE_TELLER | (prof ? PERSPECTIVE_PROFESSIONAL : 0);
	if (script_check_answers(s, all, mask, err) != 0) {
		*msg = err->msg;
		json_decref(all);
		return 422;
	}
	json_t *teller = json_object(), *pro = prof ? json_object() : NULL;
	json_object_foreach(all, k, v)
	{
		const struct question *q = script_question(s, k);
		json_object_set(q && q->perspective == PERSPECTIVE_PROFESSIONAL && pro ? pro
		                                                                       : teller,
		                k, v);
	}
	json_decref(all);
	st->answers = canonical(teller);
	st->professional = pro ? canonical(pro) : NULL;
	json_decref(teller);
	json_decref(pro);
	/* What makes two submissions of one id the same story. */
	crypto_generichash_state h;
	unsigned char out[32];
	crypto_generichash_init(&h, NULL, 0, sizeof out);
	char head[96];
	snprintf(head, sizeof head, "%lld\n%d\n%s\n%s\n", (long long)st->collection->id,
	         st->collection->script_version, st->channel, st->language);
	crypto_generichash_update(&h, (const unsigned char *)head, strlen(head));
	crypto_generichash_update(&h, (const unsigned char *)st->answers, strlen(st->answers));
	crypto_generichash_update(&h, (const unsigned char *)"\n", 1);
	if (st->professional)
		crypto_generichash_update(&h, (const unsigned char *)st->professional,
		                          strlen(st->professional));
	crypto_generichash_final(&h, out, sizeof out);
	util_hex(out, sizeof out, st->content_hash);
	return 0;
}

/* A receipt a person can keep and read out: VT-XXXX-XXXX. */
static void new_receipt(char out[STORY_RECEIPT_LEN + 1])
{
	char code[COLLECTION_CODE_LEN + 1];
	collection_new_code(code);
	snprintf(out, STORY_RECEIPT_LEN + 1, "VT-%.4s-%.4s", code, code + 4);
}

int story_submit_write(db *d, void *ctx)
{
	struct story_submit *st = ctx;
	st->result = STORY_NEW;
	st->id = 0;
	st->receipt[0] = 0;
	/* Story ids in commit order across instances: the story index reads
	 * the stories above the highest id it has seen (analysis/index.c), so
	 * no smaller id may commit after a larger one is visible. Every
	 * writer of stories takes this lock before its id is drawn and holds
	 * it to its COMMIT (PostgreSQL; on SQLite the write transaction
	 * already is exclusive). It also lets two instances given the same
	 * uuid at once find each other's story instead of a constraint. */
	int rc = db_lock(d, STORY_INSERT_LOCK);
	if (rc != DB_OK)
		return rc;
	db_stmt *s = db_prepare(d, "SELECT id, content_hash, receipt FROM stories WHERE uuid = :u");
	db_bind_text(s, "u", st->uuid);
	rc = db_step(s);
	if (rc == DB_ROW) {
		st->id = db_col_int(s, 0);
		st->result = strcmp(db_col_text(s, 1), st->content_hash) == 0 ? STORY_SAME
		                                                              : STORY_CONFLICT;
		snprintf(st->receipt, sizeof st->receipt, "%s", db_col_text(s, 2));
	}
	db_finalize(s);
	if (rc == DB_ROW)
		return 0;
	if (rc != DB_DONE)
		return rc;
	/* The version's status now: pilot stories are marked; a retired
	 * version takes no new ones. */
	s = db_prepare(d, "SELECT v.status, c.closed FROM collections c JOIN script_versions v "
	                  "ON v.script_id = c.script_id AND v.version = c.script_version "
	                  "WHERE c.id = :c AND c.script_version = :v");
	db_bind_int(s, "c", st->collection->id);
	db_bind_int(s, "v", st->collection->script_version);
	rc = db_step(s);
	int status = rc == DB_ROW ? script_status_parse(db_col_text(s, 0)) : -1;
	int closed = rc == DB_ROW ? (int)db_col_int(s, 1) : 1;
	db_finalize(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc;
	if (closed || (status != SCRIPT_PILOT && status != SCRIPT_PUBLISHED)) {
		st->result = STORY_GONE;
		return 0;
	}
	if (st->consent_text) {
		/* The text itself, kept once by its hash (as consents keep it). */
		char hash[65];
		rc = consent_text_put(d, st->consent_text, hash);
		if (rc != DB_OK)
			return rc;
	}
	for (int attempt = 0; attempt < 5; attempt++) {
		new_receipt(st->receipt);
		s = db_prepare(
		        d,
		        "INSERT INTO stories (uuid, collection_id, script_id, script_version, "
		        "channel, language, pilot, participant_id, answers, professional, "
		        "content_hash, receipt, created_at, created_by, consent_text_hash, "
		        "consent_at) VALUES (:u, :c, :sid, :v, :ch, :lang, :pilot, :p, :a, :pro, "
		        ":h, :r, :now, :user, :consent, :consent_at) "
		        "ON CONFLICT (receipt) DO NOTHING RETURNING id");
		db_bind_text(s, "u", st->uuid);
		db_bind_int(s, "c", st->collection->id);
		db_bind_int(s, "sid", st->collection->script_id);
		db_bind_int(s, "v", st->collection->script_version);
		db_bind_text(s, "ch", st->channel);
		db_bind_text(s, "lang", st->language);
		db_bind_int(s, "pilot", status == SCRIPT_PILOT);
		if (st->participant_id)
			db_bind_int(s, "p", st->participant_id);
		else
			db_bind_null(s, "p");
		db_bind_text(s, "a", st->answers);
		if (st->professional)
			db_bind_text(s, "pro", st->professional);
		else
			db_bind_null(s, "pro");
		db_bind_text(s, "h", st->content_hash);
		db_bind_text(s, "r", st->receipt);
		db_bind_int(s, "now", st->created_at > 0 ? st->created_at : clock_now());
		if (st->user_id)
			db_bind_int(s, "user", st->user_id);
		else
			db_bind_null(s, "user");
		if (st->consent_text) {
			db_bind_text(s, "consent", st->consent_text_hash);
			db_bind_int(s, "consent_at", st->consent_at);
		} else {
			db_bind_null(s, "consent");
			db_bind_null(s, "consent_at");
		}
		rc = db_step(s);
		if (rc == DB_ROW)
			st->id = db_col_int(s, 0);
		db_finalize(s);
		if (rc == DB_ROW) {                       /* its text into full-text search */
			db_notify(d, AIX_NOTIFY_CHANNEL); /* every instance's index, at commit */
			return search_index_story(d, st->id);
		}
		if (rc != DB_DONE)
			return rc;
	}
	return DB_CONSTRAINT;
}
