/* dialogue.h: dialogue tables (dialoogtafels) of a trajectory: sessions with tables and facilitators, open registration with a waiting list and promotion, support for joining online, the placement at tables, speaking turns and notes. */
#ifndef VP_DIALOGUE_H
#define VP_DIALOGUE_H

#include "core/vault.h"
#include "db/db.h"
#include "model/user.h"

#include <jansson.h>
#include <stdint.h>

enum {
	DIALOGUE_TITLE_MAX = 200,
	DIALOGUE_TEXT_MAX = 4000,
	DIALOGUE_TRAIT_MAX = 60, /* characters of a district or an age band */
	DIALOGUE_TABLES_MAX = 12,
};

/* The tables a new session gets: the four roles of government. */
extern const char *const dialogue_default_tables[4];
/* The age bands the registration form offers (stored as written). */
extern const char *const dialogue_age_bands[7];

enum dialogue_result {
	DIALOGUE_OK = 0,
	DIALOGUE_NOT_FOUND = 1,  /* no such session, table or registration there */
	DIALOGUE_CLOSED = 2,     /* registration for the session has closed */
	DIALOGUE_CANCELLED = 3,  /* the registration was cancelled before */
	DIALOGUE_NOT_PLACED = 4, /* a turn for someone who does not sit at the table */
	DIALOGUE_NO_ROOM = 5,    /* the tables together cannot seat everyone registered */
};

/* ---- sessions ------------------------------------------------------------ */

struct dialogue_session_new {
	int64_t trajectory_id, user_id;
	const char *title;
	int64_t starts_at;
	int minutes;
	const char *place;      /* a room's address, or "" */
	const char *online_url; /* a video link (https://), or "" */
	int64_t closes_at;      /* registration closes; not after the start */
	int capacity;
	const char *agenda;
	/* out */
	int64_t id;
	int number; /* 1, 2, 3... in the trajectory */
};
/* NULL when fine, else an English message id: a title on one line, a start
 * in the future (after now), 15..600 minutes, a place or an https link or
 * both, closing before the start, room for 1..1000 people. */
const char *dialogue_session_check(const struct dialogue_session_new *s, int64_t now);
/* Writer job: the session with the next number and its four tables. */
int dialogue_session_create_write(db *d, void *ctx);

/* ---- registration --------------------------------------------------------- */

struct dialogue_registration_new {
	const vault *v;
	int64_t trajectory_id, session_id;
	const char *name, *email, *phone; /* sealed with the new participant */
	const char *contribution, *access_needs, *district, *age_band;
	int needs_help; /* "I need help to join online": a support task */
	int64_t now;
	/* in: 0 makes a new participant with the contact data sealed; the id
	 * of one made by an earlier registration of the same form (the same
	 * person for several sessions) is reused. out: the participant. */
	int64_t participant_id;
	/* out */
	int result; /* DIALOGUE_OK, _NOT_FOUND, _CLOSED */
	int64_t id;
	int waiting;       /* 1: the session was full, on the waiting list */
	int wait_position; /* then: the place in the queue (1 is next) */
	char code[16];     /* the participant's pseudonymous code */
};
/* NULL when fine: a name, an e-mail address or phone number, texts within
 * their lengths, a known age band (or none). */
const char *dialogue_registration_check(const struct dialogue_registration_new *g);
/* Writer job: a registration, on the waiting list when the session is
 * full. After closes_at: result DIALOGUE_CLOSED and nothing stored. With
 * needs_help the support task goes to a responsible official of the
 * trajectory. */
int dialogue_register_write(db *d, void *ctx);

/* Cancels a registration; a place it frees goes to the first on the
 * waiting list (promoted_id, 0 when nobody waits). Writer job. */
struct dialogue_cancel {
	int64_t trajectory_id, registration_id;
	/* out */
	int result; /* DIALOGUE_OK, _NOT_FOUND, _CANCELLED */
	int64_t session_id, promoted_id;
};
int dialogue_cancel_write(db *d, void *ctx);

/* Cancelling by the person themselves, through the link in each of their
 * e-mails: "<id>-<32 hex digits>", the id and a keyed hash of it (the
 * vault's blind index for the purpose "dialogue_cancel"), so nothing needs
 * storing. A link made before a key rotation no longer works (the team can
 * still cancel). */
enum { DIALOGUE_CANCEL_TOKEN_LEN = 52 };
void dialogue_cancel_token(const vault *v, int64_t registration_id,
                           char out[DIALOGUE_CANCEL_TOKEN_LEN + 1]);
/* The registration a token names; 0 when it is not a token we made. */
int64_t dialogue_cancel_token_check(const vault *v, const char *token);
/* What the page of that link shows: status, trajectory_id,
 * trajectory_title, slug, session_title, number, starts_at, minutes.
 * DB_ROW, or DB_DONE when there is no such registration. */
int dialogue_registration_public_json(db *d, int64_t registration_id, json_t **out);

/* The support task of a registration: its contact person (a user on the
 * trajectory, 0: unchanged) and whether it is done. Writer job. */
struct dialogue_support {
	int64_t trajectory_id, registration_id, user_id;
	int done;
	int result;
};
int dialogue_support_write(db *d, void *ctx);

/* ---- tables ------------------------------------------------------------- */

/* Puts a staff member of the trajectory at a table as facilitator, or takes
 * them off. result DIALOGUE_NOT_FOUND when the table is not in the
 * trajectory or the user not on it. Writer job. */
struct dialogue_facilitator {
	int64_t trajectory_id, table_id, user_id;
	int add;
	int result;
};
int dialogue_facilitator_write(db *d, void *ctx);

/* Places every registered person of the session at one table
 * (model/dialogue_assign.h), balanced over district and age band; seats per
 * table: the session's capacity shared by its tables. Replaces the
 * placement there was. Writer job. imbalance: the figure after. */
struct dialogue_place_all {
	int64_t trajectory_id, session_id;
	uint64_t seed;
	int result; /* DIALOGUE_OK, _NOT_FOUND, _NO_ROOM */
	int placed;
	double imbalance;
};
int dialogue_place_all_write(db *d, void *ctx);

/* Moves one registered person to another table of the same session (by
 * hand, after the algorithm). Writer job. */
struct dialogue_move {
	int64_t trajectory_id, registration_id, table_id;
	int result;
};
int dialogue_move_write(db *d, void *ctx);

/* Whether user u may act at table table_id of trajectory_id: a facilitator
 * of that table, a responsible official of the trajectory, or someone who
 * sees every trajectory. 1 yes, 0 no, DIALOGUE_NOT_FOUND-as-negative: -1
 * when the table is not in the trajectory; or a negative db error < -1. */
int dialogue_user_may_act(db *d, int64_t trajectory_id, int64_t table_id, const struct user *u);

/* A speaking turn at a table: registration_id starts speaking (the turn
 * of whoever spoke before ends), or 0: nobody speaks now. Writer job. */
struct dialogue_turn {
	int64_t trajectory_id, table_id, registration_id, now;
	int result; /* DIALOGUE_OK, _NOT_FOUND, _NOT_PLACED */
};
int dialogue_turn_write(db *d, void *ctx);

/* A note or a draft proposal of a table. Writer job. */
struct dialogue_note {
	int64_t trajectory_id, table_id, user_id;
	const char *kind; /* note or proposal */
	const char *body;
	int result;
	int64_t id;
};
const char *dialogue_note_check(const struct dialogue_note *n);
int dialogue_note_write(db *d, void *ctx);

/* ---- retention ----------------------------------------------------------- */

/* Retention of one closed trajectory (inside the purge's writer job,
 * model/purge.c): its dialogue sessions go with their tables,
 * registrations, turns and notes, and the contact data of the people who
 * registered, unless a story, a conversation, a contact request or another
 * registration still refers to them. The agreements stay: they hold no
 * personal data and the public page shows them. Counts out. */
int dialogue_purge_trajectory(db *d, int64_t trajectory_id, int64_t *sessions, int64_t *erased);

/* ---- the evaluation after each session ---------------------------------- */

/* The template script of the evaluation (templates/scripts). */
#define DIALOGUE_EVALUATION_KEY "dialoogtafel-evaluatie"

/* The open collection of the trajectory on the evaluation script: DB_ROW
 * with its id and link token (33 bytes), DB_DONE when there is none. */
int dialogue_evaluation_find(db *d, int64_t trajectory_id, int64_t *collection_id, char *token);

/* Prepares the evaluation (a writer job): the evaluation script is taken
 * from the organisation's scripts, or installed from the library (lib,
 * prepared by the caller with script_library_prepare) and published; then
 * a collection of the trajectory is opened on it. Nothing happens when one
 * is open already. result 0, or DIALOGUE_NOT_FOUND when the script could
 * not be installed or published. */
struct script_library_job;
struct dialogue_evaluation_new {
	int64_t org_id, user_id, trajectory_id;
	struct script_library_job *lib;
	int result;
	int64_t collection_id;
	char token[33];
};
int dialogue_evaluation_write(db *d, void *ctx);

/* ---- reads --------------------------------------------------------------- */

/* The session of a registration, or of a table, in the trajectory: DB_ROW
 * with *session_id set, DB_DONE when it is not there. */
int dialogue_registration_session(db *d, int64_t trajectory_id, int64_t registration_id,
                                  int64_t *session_id);
int dialogue_table_session(db *d, int64_t trajectory_id, int64_t table_id, int64_t *session_id);
/* The dialogue registrations of one participant, appended to the array
 * out ({trajectory, session, starts_at, status, contribution, access_needs,
 * district, age_band, needs_help, table}): for a data-subject export. */
int dialogue_registrations_by_participant_json(db *d, const vault *v, int64_t participant_id,
                                               json_t *out);
/* Seals every registration's contribution and access needs again with
 * the active key (key rotation). How many, or -1 (nothing further done
 * when one does not open). */
int64_t dialogue_reseal_all(db *d, const vault *v);

/* The sessions of a trajectory, first first: [{id, number, title,
 * starts_at, minutes, place, online_url, closes_at, capacity, agenda,
 * registered, waiting, tables: [{id, position, name, theme, seated,
 * facilitators: [{id, display_name}]}]}]. */
int dialogue_sessions_json(db *d, int64_t trajectory_id, json_t **out);
/* One session of the trajectory like an element above, with
 * "registrations": [{id, participant_code, name, email, phone (opened with
 * v; null when they do not open), contribution, access_needs, district,
 * age_band, status, wait_position, needs_help, support_user_id,
 * support_name, support_done, table_id, created_at}] (registered first,
 * then the waiting list in order, then the cancelled) and "imbalance"
 * with per table "imbalance" (dialogue_assign.h) of the present placement.
 * DB_ROW or DB_DONE. */
int dialogue_session_json(db *d, const vault *v, int64_t trajectory_id, int64_t session_id,
                          json_t **out);
/* The sessions a resident can still register for (closes_at after now),
 * without counts of people: [{id, number, title, starts_at, minutes,
 * place, online_url, closes_at, full}]. */
int dialogue_open_sessions_json(db *d, int64_t trajectory_id, int64_t now, json_t **out);
/* One table for its facilitator: {id, name, theme, session: {...},
 * people: [{registration_id, participant_code, name, contribution,
 * access_needs, turns, seconds}], speaking: registration id or 0,
 * speaking_since, notes: [{id, kind, body, created_at, author}],
 * facilitators: [...]}. Names opened with v. DB_ROW or DB_DONE. */
int dialogue_table_json(db *d, const vault *v, int64_t trajectory_id, int64_t table_id, int64_t now,
                        json_t **out);

#endif
