/* audit.h: the access log (NEN 7513): append-only, hash-chained, per person. */
#ifndef VP_AUDIT_H
#define VP_AUDIT_H

#include "core/buf.h"
#include "db/db.h"

#include <stddef.h>
#include <stdint.h>

/* Field limits in bytes. The log holds short, fixed vocabulary and
 * identifiers; never story text or contact data. */
enum {
	AUDIT_ACTOR_MAX = 128,
	AUDIT_ACTION_MAX = 32,
	AUDIT_OBJECT_TYPE_MAX = 32,
	AUDIT_OBJECT_ID_MAX = 128,
	AUDIT_SUBJECT_MAX = 64,
	AUDIT_ORIGIN_MAX = 64,
	AUDIT_DETAIL_MAX = 256,
};

/* Return values besides the db_rc ones. */
enum {
	AUDIT_INVALID = -20, /* audit_append: the entry failed audit_check */
	AUDIT_BROKEN = -21,  /* audit_verify: the chain is broken at *first_bad_id */
};

/* The 64 zeros that are the prev_hash of the first row. */
extern const char audit_genesis[65];

/* One entry as a caller describes it. Nothing is copied or kept. */
struct audit_entry {
	int64_t at;               /* unix seconds; 0 = now (clock_now) */
	int64_t actor_user_id;    /* the staff account acting; 0 = none (stored NULL) */
	const char *actor;        /* username, "cli:<unix user>", "anonymous" or "system" */
	const char *action;       /* [a-z_]+: view, export, create, update, delete, login, ... */
	const char *object_type;  /* [a-z_]+: user, participant, story, ... */
	const char *object_id;    /* the record's id or username */
	const char *subject_code; /* pseudonymous participant code; NULL if none */
	const char *origin;       /* client address, or "cli" */
	const char *detail;       /* short, no personal data; NULL = "" */
};

/* NULL when e can be stored, else an English message saying why not:
 * action and object_type non-empty [a-z_], actor and object_id non-empty,
 * every text within its limit, clean UTF-8 and on one line. */
const char *audit_check(const struct audit_entry *e);

/* Appends e to the chain: reads the last row's id and hash, computes the
 * new hash, inserts. Must run inside a writer job (or another transaction
 * that holds the write lock), so that reading the last hash and inserting
 * are one step no other writer can come between; the same transaction as
 * the change it records, so both commit or neither. Returns DB_OK,
 * AUDIT_INVALID, or a db_rc error. */
int audit_append(db *d, const struct audit_entry *e);

/* Recomputes the whole chain in id order. Returns DB_OK when every row is
 * intact (*first_bad_id = 0), AUDIT_BROKEN when a row's prev_hash is not
 * the hash of the row before it or its own hash does not match its fields
 * (*first_bad_id = that row's id), or a db_rc error. *rows_checked is the
 * number of rows found intact. The chain may start at a 'checkpoint' row
 * (left by a retention purge), whose prev_hash is then taken as given. */
int audit_verify(db *d, int64_t *rows_checked, int64_t *first_bad_id);

/* Appends a JSON array of entries, newest first, to out: all of them, or
 * those about one participant (subject_code not NULL). limit <= 0 means no
 * limit. Returns DB_OK or a db_rc error. */
int audit_list_json(db *d, const char *subject_code, int64_t limit, buf *out);

/* The actor of a command-line change: "cli:" and the Unix user name (or
 * "cli:uid<N>" when it has none). */
void audit_cli_actor(char *out, size_t outlen);

#endif
