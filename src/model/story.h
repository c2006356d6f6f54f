/* story.h: stories: a submission checked against its script, stored exactly once, with a receipt. */
#ifndef VP_STORY_H
#define VP_STORY_H

#include "db/db.h"
#include "model/collection.h"
#include "model/script.h"

#include <jansson.h>
#include <stdint.h>

enum {
	STORY_UUID_LEN = 36,
	STORY_RECEIPT_LEN = 12, /* "VT-K7M4-Q2PX" */
};

/* Channels, recorded with every story. */
int story_channel_ok(const char *channel);

/* 1 when s is a UUID in its text form (8-4-4-4-12 hex digits, any case);
 * out gets it in lower case. */
int story_uuid_normalise(const char *s, char out[STORY_UUID_LEN + 1]);

/* One submission, as the API takes it (docs/formats.md, "Stories"):
 * {"id": UUID, "channel": "web", "script_version": N, "answers": {...},
 * "language": "nl"} and, from a professional, "professional": {...}; and,
 * optionally, "consent": {"text_hash": HASH, "at": UNIX SECONDS}: the
 * privacy text the teller agreed to (util_hash_hex of one of the script's
 * privacy texts) and when. */
struct story_submit {
	/* in */
	const struct collection *collection;
	int64_t participant_id; /* 0: none */
	int64_t user_id;        /* 0: told without a staff member */
	int64_t created_at;     /* when it was told (imports); 0: now */
	/* set by story_prepare */
	char uuid[STORY_UUID_LEN + 1];
	char channel[16];
	char language[4];
	char *answers;      /* canonical JSON of the teller's answers (malloc'ed) */
	char *professional; /* of the professional's, or NULL */
	char content_hash[65];
	/* The consent given with the story ("consent"), or consent_text NULL:
	 * the script's privacy text that was shown (points into the script),
	 * its hash, and when it was given (never later than the story came). */
	const char *consent_text;
	char consent_text_hash[65];
	int64_t consent_at;
	/* out of the writer job */
	enum { STORY_NEW = 1, STORY_SAME = 2, STORY_CONFLICT = 3, STORY_GONE = 4 } result;
	int64_t id;
	char receipt[STORY_RECEIPT_LEN + 1];
};

/* Checks a submission body against the collection's script: the envelope
 * (id, channel, script_version, language), then every answer with the
 * checks every channel shares (script_check_answers). professional_ok:
 * whether this caller may give the professional's answers (a logged-in
 * staff member). Returns 0, or the HTTP status to answer (400, 409 for a
 * script version that is not the collection's, 422) with the message id
 * in *msg and, for an answer, the question in err. A "consent" whose
 * text_hash is none of the script's privacy texts is 422 with detail
 * "consent". Free with story_submit_free. */
int story_prepare(struct story_submit *st, const struct script *s, json_t *body,
                  int professional_ok, const char **msg, struct answer_error *err);
void story_submit_free(struct story_submit *st);

/* The writer job: stores the story once. The same uuid with the same
 * content gives result STORY_SAME and the first receipt; with other
 * content STORY_CONFLICT. STORY_GONE: the collection stopped taking stories
 * or its version changed meanwhile. A new story with a consent stores
 * the consent text (consent_texts) and its hash and time with it. */
int story_submit_write(db *d, void *ctx);
/* The db_lock every writer of new stories holds from before its id is
 * drawn to its COMMIT, so that story ids become visible in order. */
#define STORY_INSERT_LOCK "stories"

#endif
