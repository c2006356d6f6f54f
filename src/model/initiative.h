/* initiative.h: citizen initiatives (burgerinitiatieven): the intake of an idea of active residents, its initiators with sealed contact data, the first conversation with the checklist of the burgerinitiatief-eerste-gesprek template, the pipeline of statuses with their history, and the view over all initiatives with their success factors. */
#ifndef VP_INITIATIVE_H
#define VP_INITIATIVE_H

#include "core/buf.h"
#include "core/vault.h"
#include "db/db.h"
#include "model/user.h"

#include <jansson.h>
#include <stdint.h>

enum {
	INITIATIVE_TITLE_MAX = 200,
	INITIATIVE_TEXT_MAX = 8000,
	INITIATIVE_PEOPLE_MAX = 20,    /* initiators of one idea */
	INITIATIVE_CHECKLIST_MAX = 40, /* questions of the first-talk template */
};

/* The pipeline, in order; realised and stopped are where it ends. */
enum initiative_status {
	INIT_IDEA,
	INIT_FIRST_CONVERSATION,
	INIT_COLLABORATION,
	INIT_REALISED,
	INIT_STOPPED,
	INIT_NSTATUS
};
const char *initiative_status_name(int status); /* "idea", "first_conversation", ... */
int initiative_status_parse(const char *name);  /* -1 when unknown */

/* The status rule (an English message id, NULL when the move may be
 * made): a status moves forward one step at a time (idea, first
 * conversation, collaboration, realised), or to stopped from any status
 * before realised, with a reason; realised and stopped do not change any
 * more, and nothing goes back. */
const char *initiative_move_check(int from, int to, const char *reason);

enum initiative_result {
	INIT_OK = 0,
	INIT_NOT_FOUND = 1,  /* no such initiative (or trajectory) of the organisation */
	INIT_BAD_MOVE = 2,   /* refused by initiative_move_check against the stored status */
	INIT_NO_OUTCOME = 3, /* collaboration before the first conversation's outcome */
	INIT_TOO_MANY = 4,   /* more initiators than INITIATIVE_PEOPLE_MAX */
	INIT_FINISHED = 5,   /* a realised or stopped initiative changes no more */
};

/* Whether user u may see initiative id: one outside a trajectory is for
 * all staff, one in a trajectory for that trajectory's staff (see
 * trajectory_user_may). 1, 0 (also when there is none), or a negative db
 * error. */
int initiative_user_may(db *d, int64_t org_id, const struct user *u, int64_t id);

/* The intake. trajectory_id 0: not part of a trajectory. */
struct initiative_new {
	int64_t org_id, user_id, trajectory_id, contact_user_id;
	const char *title, *idea, *neighbourhood, *ask;
	/* out */
	int result;
	int64_t id;
};
/* NULL when fine: a title on one line (at most 200 characters), the idea,
 * texts of at most 8000 characters. */
const char *initiative_check(const struct initiative_new *n);
int initiative_create_write(db *d, void *ctx);

/* An initiator: a new participant, contact data sealed (a name and at
 * least one way to reach them: conversation_person_check's rules). */
struct initiative_person_new {
	const vault *v;
	int64_t org_id, initiative_id;
	const char *name, *email, *phone, *address;
	/* out */
	int result;
	int64_t id;
	char code[16];
};
const char *initiative_person_check(const struct initiative_person_new *p);
int initiative_person_write(db *d, void *ctx);

/* The first conversation: its date (YYYY-MM-DD or ""), outcome, agreed
 * roles, next steps, and the checklist: per question id of the template,
 * ticked and the answer. Moves an initiative still at idea to first
 * conversation when the talk has a date or an outcome. */
struct initiative_talk {
	int64_t org_id, initiative_id, user_id;
	const char *talk_on, *outcome, *roles, *next_steps;
	int n;
	const char *question_id[INITIATIVE_CHECKLIST_MAX];
	int done[INITIATIVE_CHECKLIST_MAX];
	const char *answer[INITIATIVE_CHECKLIST_MAX];
	/* out */
	int result;
};
/* NULL when fine: a real date, texts of at most 8000 characters, only
 * question ids of the template. */
const char *initiative_talk_check(const struct initiative_talk *t);
int initiative_talk_write(db *d, void *ctx);

/* A move in the pipeline (recorded in the history with who and when). */
struct initiative_move {
	int64_t org_id, initiative_id, user_id;
	const char *to, *reason;
	/* out */
	int result;
	const char *refusal; /* INIT_BAD_MOVE: the rule's message id */
};
int initiative_move_write(db *d, void *ctx);

/* ---- reads --------------------------------------------------------------- */

/* The checklist of the first conversation: the questions of the
 * burgerinitiatief-eerste-gesprek template, in order, as [{"id",
 * "section": {"nl","en"}, "text": {"nl","en"}}]; NULL when the template
 * is missing. The caller frees. */
json_t *initiative_checklist_json(void);
/* The conversation model of that template: its introduction, the points a
 * first talk goes through, as {"nl", "en"}; NULL when missing. The caller
 * frees. */
json_t *initiative_model_json(void);

/* One initiative with its initiators (contact opened with v), checklist
 * answers {question_id: {done, answer}}, status history and the contact
 * official's name. DB_ROW or DB_DONE. */
int initiative_get_json(db *d, const vault *v, int64_t org_id, int64_t id, json_t **out);
/* The initiatives viewer (trajectory_viewer) sees, newest first: id,
 * title, neighbourhood, status, status_since, trajectory_id,
 * trajectory_title, contact_name. */
int initiative_list_json(db *d, int64_t org_id, int64_t viewer, json_t **out);
/* Over the initiatives viewer sees: "counts" {status: n}, "time"
 * {status: {"periods": n, "days": mean days spent in it, the current
 * period until now}}, "factors": per checklist question [{"id", "realised":
 * ticked among realised, "realised_of", "stopped": ticked among stopped,
 * "stopped_of"}]. */
int initiative_overview_json(db *d, int64_t org_id, int64_t viewer, int64_t now, json_t **out);

#endif
