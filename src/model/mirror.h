/* mirror.h: mirror conversations (spiegelgesprekken): a conversation of kind mirror with a panel, an independent facilitator, the officials who listen, notes per round, improvement proposals with the team that owns them, a decision and a follow-up, and the report to the panel. */
#ifndef VP_MIRROR_H
#define VP_MIRROR_H

#include "core/buf.h"
#include "core/vault.h"
#include "db/db.h"
#include "model/conversation.h"

#include <jansson.h>
#include <stdint.h>

/* A mirror conversation is a conversation (model/conversation.h) of kind
 * "mirror": the panel are its people (contact sealed, invited by e-mail or
 * letter with a personal link), it has the appointment, the status, the
 * points and the feedback loop of every conversation. An improvement
 * proposal is a point; its decision there is "taken" when adopted or under
 * study and "not_taken" (with the reason) when not adopted, so a
 * conversation is "decided" when every proposal has a verdict. The report
 * to the panel is one text, recorded as each panel member's feedback when
 * sent, so whoever has not had it is an open loop on /gesprekken. */

enum { MIRROR_NAME_LEN = 200 }; /* a name or a team, on one line */

/* The three rounds the facilitator leads, in order. */
enum mirror_round {
	MIRROR_ROUND_EXPERIENCES, /* the panel tells its experiences */
	MIRROR_ROUND_PROPOSALS,   /* experiences become improvement proposals */
	MIRROR_ROUND_QUESTIONS,   /* the listening officials ask their questions */
	MIRROR_NROUNDS
};
const char *mirror_round_name(int round); /* "experiences", "proposals", "questions" */
int mirror_round_parse(const char *name); /* -1 when unknown */

/* The results of a change beyond those of enum conversation_result. */
enum mirror_result {
	MIRROR_NOT_HELD = 20,     /* a proposal or the report before the talk took place */
	MIRROR_UNDECIDED = 21,    /* the report while a proposal has no verdict */
	MIRROR_NO_FOLLOW_UP = 22, /* a follow-up of a proposal without verdict, or not adopted */
	MIRROR_SENT_ALREADY = 23, /* the report was sent: it is the record now */
	MIRROR_NOBODY = 24,       /* the report, but nobody of the panel is waiting for it */
};

/* The checks of a proposal's verdict and follow-up (English message ids,
 * NULL when fine). A verdict is adopted, not_adopted (needs a reason) or
 * under_study; a follow-up is open, in_progress or done, its date
 * (YYYY-MM-DD) needed when in progress (expected) or done, and there is
 * none for a proposal without verdict or not adopted (verdict NULL or ""
 * for none). */
const char *mirror_verdict_check(const char *verdict, const char *reason);
const char *mirror_follow_up_check(const char *verdict, const char *follow_up, const char *on);
/* The decision of the conversation's point for a verdict: "taken",
 * "not_taken", or "open" for none. */
const char *mirror_point_decision(const char *verdict);

/* A new mirror conversation in a trajectory: title and the independent
 * facilitator (name, and organisation or "" when independent on their own). */
struct mirror_new {
	int64_t trajectory_id, user_id;
	const char *title, *facilitator_name, *facilitator_org;
	/* out */
	int64_t id;
};
const char *mirror_check(const struct mirror_new *m);
int mirror_create_write(db *d, void *ctx);

enum mirror_action {
	MIRROR_ACT_FACILITATOR,  /* name, org */
	MIRROR_ACT_OBSERVER,     /* name, team: an official who listens */
	MIRROR_ACT_ROUND_NOTE,   /* round, text */
	MIRROR_ACT_PROPOSAL,     /* text, team, person_id (0: the panel as a whole) */
	MIRROR_ACT_VERDICT,      /* point_id, verdict, reason */
	MIRROR_ACT_FOLLOW_UP,    /* point_id, follow_up, on, note */
	MIRROR_ACT_REPORT_DRAFT, /* text */
	MIRROR_ACT_REPORT_SENT,  /* text: to everyone of the panel still waiting */
};
struct mirror_change {
	const vault *v; /* report sent: whose e-mail address is known */
	int64_t trajectory_id, conversation_id, user_id;
	int action;
	const char *name, *org, *team;
	const char *round, *text;
	int64_t person_id, point_id;
	const char *verdict, *reason;
	const char *follow_up, *on, *note;
	/* out */
	int result; /* CONV_OK, CONV_NOT_FOUND, CONV_CLOSED_ALREADY or a mirror_result */
	int64_t id;
	/* report sent: the panel members it went to, and how (by e-mail to who
	 * has an address, else as a letter to print) */
	int n_sent;
	int64_t sent_person[CONVERSATION_PEOPLE_MAX];
	int sent_by_letter[CONVERSATION_PEOPLE_MAX];
};
const char *mirror_change_check(const struct mirror_change *c);
int mirror_change_write(db *d, void *ctx);

/* What only a mirror conversation has, as an object: facilitator_name,
 * facilitator_org, report, report_sent_at, observers [{id, name, team}],
 * notes [{id, round, body, created_at, author}], proposals [{id, text,
 * person_id, team, verdict, reason, follow_up, follow_up_on,
 * follow_up_note}]. DB_ROW, or DB_DONE when cid is not a mirror
 * conversation of that trajectory. */
int mirror_get_json(db *d, int64_t trajectory_id, int64_t cid, json_t **out);
/* The kind of conversation cid of trajectory tid ("kitchen_table" or
 * "mirror") into kind (16 bytes). DB_ROW, or DB_DONE when tid has no such
 * conversation. */
int mirror_kind_of(db *d, int64_t tid, int64_t cid, char kind[16]);
/* The mirror conversations of a trajectory, newest first: id, title,
 * status, facilitator_name, people, proposals, open_loops. */
int mirror_list_json(db *d, int64_t trajectory_id, json_t **out);
/* The report to the panel drafted from the proposals, their verdicts and
 * follow-up (and the trajectory's scope and contact route), in plain
 * Dutch, without names, for the official to review. DB_OK or DB_DONE. */
int mirror_report_draft(db *d, int64_t conversation_id, buf *out);

/* The facilitator's guide from the spiegelgesprek template of the script
 * library: {"experiences": [...], "proposals": [...], "questions": [...]},
 * each an array of questions as {"nl": ..., "en": ...} (the story
 * question's prompts among them). NULL when the template is missing;
 * the caller frees. */
json_t *mirror_guide_json(void);

#endif
