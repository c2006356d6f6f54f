/* trajectory.h: trajectories (participation processes), who may see them, and contact requests from their public page. */
#ifndef VP_TRAJECTORY_H
#define VP_TRAJECTORY_H

#include "core/buf.h"
#include "core/vault.h"
#include "db/db.h"
#include "model/user.h"

#include <jansson.h>
#include <stdint.h>

enum {
	TRAJECTORY_TITLE_MAX = 200,   /* characters */
	TRAJECTORY_TEXT_MAX = 4000,   /* characters, each longer text */
	TRAJECTORY_SLUG_MAX = 60,     /* bytes of the readable part of a slug */
	TRAJECTORY_MESSAGE_MAX = 4000 /* characters of a contact request */
};

/* The rungs of the participation ladder, lowest first (stored names). */
extern const char *const trajectory_rungs[6];
/* 1 when name is one of trajectory_rungs. */
int trajectory_rung_valid(const char *name);

/* What a trajectory says about itself. Texts are NULL or "" when not
 * filled in yet; dates are "YYYY-MM-DD". */
struct trajectory_fields {
	const char *title, *question, *scope, *ladder, *target_group, *selection_rationale,
	        *contact_route, *starts_on, *ends_on, *outcome, *material_token, *material_alt;
	int retention_days; /* 0: the default, 730 */
	int published;      /* the public page is visible */
};

/* NULL when the fields can be stored, else an English message id. Only
 * the title is required: the rest is filled in as the trajectory is
 * prepared (trajectory_missing says what invitations still need). */
const char *trajectory_check(const struct trajectory_fields *f);
/* 1 when s is a date written as YYYY-MM-DD that exists (also for the
 * dates of other records: model/mirror.c, model/initiative.c). */
int trajectory_date_ok(const char *s);

/* The preconditions of any invitation the seeds insist on: bits of what
 * is still empty. 0 when invitations may be sent. */
enum {
	TRAJECTORY_NEEDS_SCOPE = 1 << 0,
	TRAJECTORY_NEEDS_RATIONALE = 1 << 1,
	TRAJECTORY_NEEDS_CONTACT = 1 << 2,
};
unsigned trajectory_missing(const char *scope, const char *selection_rationale,
                            const char *contact_route);

/* 1 when a trajectory with a public page shows the upload (its picture):
 * anyone may see it. 0 when not, or a db_rc error. */
int trajectory_shows_upload(db *d, const char *upload_token);

/* Whether a role sees every trajectory of the organisation (administrators)
 * rather than only those its user is on. */
int trajectory_role_sees_all(unsigned role);

/* 1 when user u may see trajectory id of organisation org_id, 0 when not
 * (also when there is none: the caller answers 404 either way), or a
 * negative db_rc error. */
int trajectory_user_may(db *d, int64_t org_id, const struct user *u, int64_t id);
/* The same for a collection: one outside any trajectory is seen by all
 * staff; one in a trajectory by that trajectory's staff. */
int collection_user_may(db *d, int64_t org_id, const struct user *u, int64_t collection_id);
/* The user id whose trajectories u sees, for list queries: 0 when u sees
 * all. */
int64_t trajectory_viewer(const struct user *u);

/* A new trajectory (a writer job): its creator is put on it as
 * responsible official. The slug is made from the title. */
struct trajectory_new {
	int64_t org_id, user_id;
	struct trajectory_fields f;
	/* out */
	int64_t id;
	char slug[TRAJECTORY_SLUG_MAX + 16];
};
int trajectory_create_write(db *d, void *ctx);

/* Replaces every field (a writer job). found 0 when there is no such
 * trajectory in the organisation. */
struct trajectory_update {
	int64_t org_id, id, user_id;
	/* f.material_token NULL or "" keeps the picture there is; a token
	 * replaces it; material_clear removes it. */
	struct trajectory_fields f;
	int material_clear;
	int found;
};
int trajectory_update_write(db *d, void *ctx);

/* Closes or reopens a trajectory (a writer job). Closing while feedback
 * loops are open needs a reason (the conversation side counts them);
 * result TRAJECTORY_OK, TRAJECTORY_NOT_FOUND, TRAJECTORY_NEEDS_REASON. */
enum { TRAJECTORY_OK = 0, TRAJECTORY_NOT_FOUND = 1, TRAJECTORY_NEEDS_REASON = 2 };
struct trajectory_close {
	int64_t org_id, id;
	int close; /* 1 close, 0 reopen */
	const char *reason;
	int result;
};
int trajectory_close_write(db *d, void *ctx);

/* Puts a user on a trajectory or takes them off (a writer job). found 0
 * when the trajectory or an active user of the organisation is missing;
 * last 1 when taking off would leave no responsible official (refused). */
struct trajectory_staff_change {
	int64_t org_id, id, user_id;
	int add, responsible;
	int found, last;
};
int trajectory_staff_write(db *d, void *ctx);

/* The trajectory as a JSON object with its fields, "missing" (the list of
 * preconditions not met: "scope", "selection_rationale", "contact_route"),
 * "staff" [{id, username, display_name, responsible}], "methods" [ids],
 * "collections" [{id, title, closed, stories}] and "open_contact_requests".
 * DB_ROW with *out set (json_decref it), DB_DONE when absent. */
int trajectory_get_json(db *d, int64_t org_id, int64_t id, json_t **out);
/* The published trajectory with this slug, for the public page: only what
 * may be shown to anyone (no staff names but the responsible officials'
 * display names, no contact requests). DB_ROW or DB_DONE. */
int trajectory_public_json(db *d, const char *slug, json_t **out);
/* The organisation's trajectories that viewer (trajectory_viewer) sees, as
 * a JSON array, newest first. */
int trajectory_list_json(db *d, int64_t org_id, int64_t viewer, buf *out);

/* Sets which methods a trajectory uses (a writer job): ids not in the
 * methods table are refused with found 0. */
struct trajectory_methods_set {
	int64_t org_id, id;
	const int64_t *method_ids;
	size_t n;
	int found;
};
int trajectory_methods_write(db *d, void *ctx);

/* A contact request from the public page (a writer job): the sender
 * becomes a participant with their contact data sealed, the message is
 * sealed too. */
struct contact_request_new {
	const vault *v;
	int64_t trajectory_id;
	const char *name, *email, *phone, *message;
	/* out */
	int64_t id;
	char code[16]; /* the sender's new pseudonymous code */
};
/* NULL when fine, else an English message id (a message, and an e-mail
 * address or a phone number to answer on). */
const char *contact_request_check(const struct contact_request_new *c);
int contact_request_write(db *d, void *ctx);
/* The trajectory's contact requests, newest first, opened with the vault:
 * [{id, created_at, handled_at, participant_code, name, email, phone,
 * message}] (a value that does not open is null). */
int contact_request_list_json(db *d, const vault *v, int64_t trajectory_id, json_t **out);
/* The requests one participant sent, opened ({trajectory, created_at,
 * message}), appended to the array out: for a data-subject export. */
int contact_request_by_participant_json(db *d, const vault *v, int64_t participant_id, json_t *out);
/* Marks one handled (a writer job); found 0 when it is not the
 * trajectory's. */
struct contact_request_handled {
	int64_t trajectory_id, id, user_id;
	int found;
};
int contact_request_handled_write(db *d, void *ctx);
/* Re-seals every contact request's message with the active key (key
 * rotation). Returns rows re-sealed, or -1. */
int64_t contact_request_reseal_all(db *d, const vault *v);

#endif
