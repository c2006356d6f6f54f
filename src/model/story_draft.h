/* story_draft.h: a resident's story form kept between its pages: the draft, its resume code, consent, and sending it once. */
#ifndef VP_STORY_DRAFT_H
#define VP_STORY_DRAFT_H

#include "core/vault.h"
#include "db/db.h"
#include "model/participant.h"
#include "model/script.h"
#include "model/story.h"

#include <jansson.h>
#include <stdint.h>

enum {
	STORY_DRAFT_SECRET_LEN = 64,           /* hex: the __Host-vp_story cookie */
	STORY_DRAFT_DAYS = 30,                 /* a draft expires this long after it was made */
	STORY_DRAFT_SENT_SECONDS = 3600,       /* the receipt is shown again this long */
	STORY_DRAFT_ANSWERS_MAX = 1024 * 1024, /* bytes of answers JSON */
};

/* A draft as the pages read it. answers is malloc'ed (story_draft_free). */
struct story_draft {
	int64_t id, collection_id;
	char uuid[STORY_UUID_LEN + 1];
	char language[4];
	char *answers; /* a JSON object text */
	int step;
	char consent_text_hash[65];
	int64_t consent_at, created_at, expires_at;
	char channel[16];       /* web, kiosk, face-to-face, phone, paper */
	int64_t user_id;        /* the staff member taking it, or 0 */
	int64_t participant_id; /* the client it is about, or 0 */
};
void story_draft_free(struct story_draft *d);

/* The hash under which a secret or a resume code is stored. */
void story_draft_hash(const char *secret, char out[65]);

/* The draft of collection_id whose cookie secret is secret, unexpired at
 * now: DB_ROW with out filled, DB_DONE when there is none, or an error. */
int story_draft_by_secret(db *d, int64_t collection_id, const char *secret, int64_t now,
                          struct story_draft *out);

/* The receipt of the story sent from the draft with this secret, within
 * STORY_DRAFT_SENT_SECONDS: DB_ROW with receipt, DB_DONE, or an error. */
int story_draft_sent_receipt(db *d, int64_t collection_id, const char *secret, int64_t now,
                             char receipt[STORY_RECEIPT_LEN + 1]);

/* Which questions are asked given answers: asked[q->index] for every
 * question (show_if met, and the question it depends on asked). The same
 * rule as script_check_answers. asked has s->nquestions entries. */
void story_draft_asked(const struct script *s, json_t *answers, unsigned char *asked);

/* Checks one answer v (json null: "not applicable") to question q with
 * the checks every channel shares, apart from its condition. 0, or -1 with
 * e filled. */
int story_draft_check_one(const struct question *q, json_t *v, struct answer_error *e);

/* Writer job: consent given to start telling. Records the text shown in
 * consent_texts, and makes a draft with a new uuid and a new secret, or,
 * when old_secret names a web draft of the same collection and channel
 * is "web", renews its consent and secret (its answers stay). For any
 * other channel (a kiosk, a staff member) every start is a new teller:
 * a draft under old_secret in this collection without a resume code is
 * deleted, so nothing of the previous teller stays. channel NULL is
 * "web"; user_id and participant_id (0: none) are kept with the draft. */
struct story_draft_start {
	int64_t collection_id;
	const char *old_secret; /* the cookie, or NULL */
	const char *consent_text;
	const char *language;
	const char *channel;
	int64_t user_id, participant_id;
	/* out */
	char secret[STORY_DRAFT_SECRET_LEN + 1];
	int64_t id;
	int step;
};
int story_draft_start_write(db *d, void *ctx);

/* Writer job: saves the answers (a JSON object text) and the step; with
 * new_code also a fresh resume code (code, 8 characters, without the dash),
 * replacing any earlier one. found 0 when the draft is gone. */
struct story_draft_save {
	int64_t id;
	const char *answers;
	int step;
	int new_code;
	/* out */
	int found;
	char code[9];
	int64_t expires_at;
};
int story_draft_save_write(db *d, void *ctx);

/* Writer job: the draft of collection_id with this resume code (already
 * normalised, 8 characters), unexpired: gets a new secret (the old cookie
 * no longer opens it). found 0 when there is none. */
struct story_draft_resume {
	int64_t collection_id;
	const char *code;
	/* out */
	int found;
	int step;
	char secret[STORY_DRAFT_SECRET_LEN + 1];
};
int story_draft_resume_write(db *d, void *ctx);

/* Writer job: a teller leaves (a kiosk's reset, a staff member who
 * stops): the draft under secret in collection_id and the receipt kept
 * for it are deleted. found: whether there was a draft; participant_code:
 * the code of the participant it was about, or "". */
struct story_draft_discard {
	int64_t collection_id;
	const char *secret;
	/* out */
	int found;
	int64_t id;
	char participant_code[PARTICIPANT_CODE_LEN + 1];
};
int story_draft_discard_write(db *d, void *ctx);

/* The consent purpose recorded when a teller leaves contact details to
 * hear what was done with the story. */
#define STORY_DRAFT_FEEDBACK_PURPOSE "feedback"

/* Writer job: stores the story prepared in st (story_submit_write) with
 * the draft's consent, deletes the draft and remembers the receipt for
 * the sending browser. st->result as story_submit_write's.
 *
 * With contact (an e-mail address and/or phone number the teller typed,
 * checked with contact_check), the story is linked to a participant: the
 * one whose blind index of that e-mail address (else phone number)
 * matches, whose stored contact is left as it is, or a new one with the
 * contact sealed by vault. Consent for feedback is recorded for it with
 * feedback_text (the explanation shown) and channel st->channel.
 * Otherwise st->participant_id (a staff member's choice) stays.
 * participant_code: the participant's code after the job, or "".
 * Nothing of this happens when the story was stored already (a second
 * click). */
struct story_draft_send {
	int64_t draft_id;
	const char *secret;
	const char *consent_text_hash;
	int64_t consent_at;
	struct story_submit *st;
	const vault *vault;
	const struct contact *contact; /* or NULL */
	const char *feedback_text;
	/* out */
	char participant_code[PARTICIPANT_CODE_LEN + 1];
	int participant_new;
};
int story_draft_send_write(db *d, void *ctx);

/* The participant whose e-mail address (else phone number) has the blind
 * index of c's: DB_ROW with *id, DB_DONE when none, or an error. */
int story_draft_contact_participant(db *d, const vault *v, const struct contact *c, int64_t *id);

#endif
