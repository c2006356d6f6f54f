/* conversation.h: kitchen-table conversations: the people invited with a personal link, the appointment, the talk's notes and points with a decision on each, personal feedback, and the status a team acts on. */
#ifndef VP_CONVERSATION_H
#define VP_CONVERSATION_H

#include "core/buf.h"
#include "core/vault.h"
#include "db/db.h"

#include <jansson.h>
#include <stdint.h>

enum {
	CONVERSATION_TITLE_MAX = 200,
	CONVERSATION_TEXT_MAX = 8000,
	CONVERSATION_PEOPLE_MAX = 12, /* a kitchen table seats 2-4; a few more for a family */
	CONVERSATION_TOKEN_LEN = 43,  /* a personal link: 256 random bits, base64url */
	CONVERSATION_LINK_DAYS = 60,  /* a personal link works this long after it is made */
};

/* The statuses, in order. Each follows from the facts (see
 * conversation_status_of), never set by hand. */
enum conversation_status {
	CONV_DRAFT,       /* people added, nobody invited yet */
	CONV_INVITED,     /* invitations out */
	CONV_APPOINTMENT, /* a time and place */
	CONV_REMINDED,    /* the reminder went out */
	CONV_HELD,        /* the talk took place */
	CONV_DECIDED,     /* every point has a decision */
	CONV_FEEDBACK,    /* everyone who spoke heard back */
	CONV_CLOSED,
	CONV_NSTATUS
};
const char *conversation_status_name(int status);
int conversation_status_parse(const char *name); /* -1 when unknown */

/* The facts a status follows from. */
struct conversation_facts {
	int closed;
	int people, invited;     /* people at the table; of whom invited */
	int appointment;         /* a time and place that is not cancelled */
	int reminded;            /* its reminder went out */
	int held;                /* the talk took place */
	int points, open_points; /* points raised; of which undecided */
	int owed, fed_back;      /* people owed feedback (invited, not declined); who got it */
};
/* The status of a conversation with these facts: the furthest step
 * reached, walking the steps in order. */
int conversation_status_of(const struct conversation_facts *f);

/* ---- preconditions and checks (English message ids, NULL when fine) ---- */

/* A personal link token has the right form (43 base64url characters). */
int conversation_token_valid(const char *token);

/* Appointment: starts_at must be in the future (now), minutes 5..600, a
 * place kind; for video the place is an https link. */
struct appointment_fields {
	int64_t starts_at;
	int minutes;
	const char *place_kind; /* home, town_hall, video, phone, other */
	const char *place;
	int64_t official_user_id;
	int remind_minutes; /* -1: the default, 2 days */
};
const char *appointment_check(const struct appointment_fields *a, int64_t now);

/* ---- writes (writer jobs; result codes below) ---------------------------- */

enum conversation_result {
	CONV_OK = 0,
	CONV_NOT_FOUND = 1,      /* no such conversation in that trajectory */
	CONV_NOT_READY = 2,      /* the trajectory lacks scope, rationale or contact route */
	CONV_NO_CONTACT = 3,     /* an e-mail step for someone without an e-mail address */
	CONV_OVERLAP = 4,        /* the official has another appointment then */
	CONV_IN_PAST = 5,        /* the time has passed */
	CONV_CLOSED_ALREADY = 6, /* nothing changes in a closed conversation; nor sent feedback */
	CONV_LOOPS_OPEN = 7,     /* closing while people wait for feedback, without a reason */
	CONV_TOO_MANY = 8,       /* more people than CONVERSATION_PEOPLE_MAX */
	CONV_NO_APPOINTMENT = 9, /* held before a time was agreed */
	CONV_NO_MATERIAL = 10,   /* a pin on the plan while the trajectory has no picture */
};

struct conversation_new {
	int64_t trajectory_id, user_id, method_id;
	const char *title;
	/* out */
	int64_t id;
};
/* NULL when fine: a title of at most CONVERSATION_TITLE_MAX characters on
 * one line. */
const char *conversation_check(const struct conversation_new *c);
int conversation_create_write(db *d, void *ctx);

/* Adds a person: a new participant with their contact data sealed (any of
 * name, email, phone, address; at least one way to reach them). */
struct conversation_person_new {
	const vault *v;
	int64_t trajectory_id, conversation_id;
	const char *kind; /* resident, entrepreneur, organisation */
	const char *name, *email, *phone, *address;
	/* out */
	int result;
	int64_t id;
	char code[16]; /* the new participant's pseudonymous code */
};
const char *conversation_person_check(const struct conversation_person_new *p);
int conversation_person_write(db *d, void *ctx);

/* Invites everyone not invited yet: makes each a personal link (token out
 * for the caller to put in the message, only its hash stored) and records
 * the channel. Refused (CONV_NOT_READY) while the trajectory's
 * preconditions are missing; CONV_NO_CONTACT when channel is "email" and
 * someone has no e-mail address (nobody is invited then). */
struct conversation_invite {
	const vault *v;
	int64_t trajectory_id, conversation_id;
	const char *channel; /* email or letter */
	const char *text;    /* the invitation as edited */
	/* out */
	int result;
	int n; /* people invited */
	int64_t person_id[CONVERSATION_PEOPLE_MAX];
	char token[CONVERSATION_PEOPLE_MAX][CONVERSATION_TOKEN_LEN + 1];
	char email[CONVERSATION_PEOPLE_MAX][321]; /* opened for sending; wiped by the caller */
	char name[CONVERSATION_PEOPLE_MAX][256];
};
/* NULL when fine: channel email or letter, a text of at most
 * CONVERSATION_TEXT_MAX characters. */
const char *conversation_invite_check(const struct conversation_invite *i);
int conversation_invite_write(db *d, void *ctx);

/* The answer through a personal link: accepted, declined or other_time
 * (with a note). result CONV_NOT_FOUND for an unknown or expired link. */
struct conversation_answer {
	const char *token;
	const char *response;
	const char *note;
	/* out */
	int result;
	int64_t conversation_id;
};
/* NULL when fine: a known response; other_time needs a note (what they
 * propose); a note of at most 2000 characters. */
const char *conversation_answer_check(const struct conversation_answer *a);
int conversation_answer_write(db *d, void *ctx);
/* What a personal link shows: the conversation, its trajectory's public
 * texts, the appointment and the person's answer so far. DB_ROW or DB_DONE
 * (unknown or expired). */
int conversation_by_token_json(db *d, const char *token, int64_t now, json_t **out);

/* Sets or moves the appointment (same calendar uid, sequence + 1). */
struct conversation_appointment {
	int64_t trajectory_id, conversation_id;
	struct appointment_fields a;
	/* out */
	int result;
	int64_t other_conversation; /* CONV_OVERLAP: the one in the way */
	char uid[80];
	int sequence;
};
int conversation_appointment_write(db *d, void *ctx);

/* Marks the talk held (needs an appointment), adds a note, a point, a
 * decision: one job struct, one action. */
enum conversation_action {
	CONV_ACT_HELD,
	CONV_ACT_NOTE,
	CONV_ACT_POINT,
	CONV_ACT_DECIDE,
	CONV_ACT_FEEDBACK_DRAFT,
	CONV_ACT_FEEDBACK_SENT,
	CONV_ACT_CLOSE,
	CONV_ACT_CANCEL_APPOINTMENT, /* the time is off: same calendar uid, sequence + 1 */
};
struct conversation_change {
	int64_t trajectory_id, conversation_id, user_id;
	int action;
	const char *text;     /* note, point, feedback text */
	const char *theme;    /* point */
	int64_t person_id;    /* point (0: the table as a whole), feedback */
	int64_t point_id;     /* decide */
	const char *decision; /* decide: taken or not_taken */
	const char *reason;   /* decide (required for not_taken); close with open loops */
	const char *channel;  /* feedback sent: email or letter */
	/* note: where on the trajectory's picture (percent from the left and
	 * from the top), when has_pin */
	int has_pin;
	double pin_x, pin_y;
	/* out */
	int result;
	int64_t id;
};
const char *conversation_change_check(const struct conversation_change *c);
int conversation_change_write(db *d, void *ctx);

/* Recomputes and stores the status from the facts; returns it (or a
 * negative db error). Every write above calls it. */
int conversation_refresh_status(db *d, int64_t conversation_id);

/* ---- reads ------------------------------------------------------------- */

/* One conversation with its people (contact data opened with v), the
 * appointment, notes, points and the status. DB_ROW or DB_DONE. */
int conversation_get_json(db *d, const vault *v, int64_t trajectory_id, int64_t id, json_t **out);
/* The conversations of a trajectory (no personal data), newest first. */
int conversation_list_json(db *d, int64_t trajectory_id, json_t **out);
/* A personal feedback message drafted from the person's points and the
 * decisions on them (and the trajectory's scope), in Dutch, for the
 * official to edit. DB_OK, DB_DONE when the person is not at that table. */
int conversation_feedback_draft(db *d, int64_t conversation_id, int64_t person_id, buf *out);
/* The pieces of the drafts, for the drafts of other formats
 * (model/mirror.c): s as a sentence (trimmed, a full stop added when it
 * has no end mark); a reason as it follows "omdat" (its own "omdat" left
 * out, a capital made small unless it starts an abbreviation). */
void conversation_put_sentence(buf *out, const char *s);
/* The end of a feedback draft: what is done with the input (the
 * trajectory's scope) and how to reach us, each when given. */
void conversation_draft_close(buf *out, const char *scope, const char *contact);
void conversation_put_reason(buf *out, const char *r);
/* Open loops: people whose talk was held and who have not heard back, with
 * how many days they have waited; those of trajectories viewer sees (0:
 * all), longest wait first. */
int conversation_open_loops_json(db *d, int64_t org_id, int64_t viewer, int64_t now, json_t **out);

/* What a trajectory's public page may say about its conversations, in
 * numbers only (no texts, no people): {"held": talks held, "points":
 * points raised, "taken", "not_taken", "open": points by decision,
 * "heard_back": people who had their personal feedback}. DB_OK. */
int conversation_public_summary_json(db *d, int64_t trajectory_id, json_t **out);

/* The conversations still open that user_id works on (as the lead, or on
 * the trajectory: any when user_id sees all, see trajectory_viewer), with
 * their status, the appointment's start if any, and the trajectory: what
 * the team acts on next. Earliest step first, then the appointment. */
int conversation_todo_json(db *d, int64_t org_id, int64_t viewer, json_t **out);

#endif
