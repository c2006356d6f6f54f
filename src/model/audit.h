/* audit.h: the access log (NEN 7513): append-only, hash-chained, per person. */
#ifndef VP_AUDIT_H
#define VP_AUDIT_H

#include "core/buf.h"
#include "core/vault.h"
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

/* ---- keyed seals of the log's head (013_audit_seals.sql) ----
 *
 * The chain has no secret: whoever can write the database file can rewrite
 * it consistently. A seal is an HMAC-SHA-256 (key derived from vault key
 * key_id for the purpose "audit-seal" only) over "log_id|log_hash|at|key_id"
 * of one row, kept in audit_seals. As each row's hash covers every row
 * before it, one intact seal protects the whole chain up to its row; rows
 * after the newest seal are protected by the chain only. */

/* Seals the current head, inside a writer job (same rules as audit_append),
 * when it moved since the last seal or that seal was made with another key
 * than the active one. Before sealing it checks what it extends: the newest
 * seal whose key v holds, and the chain from that seal's row to the head
 * (the whole chain when there is no such seal), so it never puts a seal on
 * a rewritten chain. Returns the new seal's id, 0 when nothing needed a
 * seal (an empty log, or the head sealed already), AUDIT_BROKEN when the
 * check failed, or a db_rc error. */
int64_t audit_seal(db *d, const vault *v, int64_t now);

/* audit_verify, then every seal: its mac verifies with its key, and its
 * log_hash is the hash of row log_id in the (intact) chain. Seals made with
 * a key v no longer holds, or of rows removed by a retention purge, cannot
 * be checked and are skipped (audit_seal_stats counts all seals). Returns
 * DB_OK, AUDIT_BROKEN with *first_bad_id = the chain's first bad row or the
 * lowest row id of a seal that fails, or a db_rc error. *seals_checked is
 * the number of seals that verified. */
int audit_verify_sealed(db *d, const vault *v, int64_t *rows_checked, int64_t *seals_checked,
                        int64_t *first_bad_id);

/* The newest seal. *seal_id = 0 when there is none. */
struct audit_seal_info {
	int64_t seal_id, log_id, at;
	uint32_t key_id;
	char log_hash[65];
};
int audit_seal_last(db *d, struct audit_seal_info *out);
/* The number of seals, and how many were made with keys other than key_id. */
int audit_seal_count(db *d, uint32_t key_id, int64_t *all, int64_t *other_keys);

/* audit_seal as a writer job (db/writer.h writer_fn), for the server's
 * housekeeping and `vertelpunt audit seal`: ctx is a struct audit_seal_job
 * with v and now (0 = clock_now) set; made (audit_seal's result, when not
 * an error) and last (the newest seal after it) are set anew on each run.
 * Returns 0 or the error. */
struct audit_seal_job {
	const vault *v;
	int64_t now;
	int64_t made;
	struct audit_seal_info last;
};
int audit_seal_job(db *d, void *ctx);

/* For `vertelpunt key rotate`, in one writer job, with v holding the old
 * keys and the new active one, before the old keys are dropped: verifies
 * log and seals (AUDIT_BROKEN: stop, keep the old keys), appends an entry
 * by actor naming the seals that can no longer be checked once the old keys
 * are gone, and seals the head, that entry included, with the new key.
 * Returns the new seal's id, or an error as audit_seal. */
int64_t audit_seal_rotation(db *d, const vault *v, int64_t now, const char *actor);

/* Appends a JSON array of entries, newest first, to out: all of them, or
 * those about one participant (subject_code not NULL). limit <= 0 means no
 * limit. Returns DB_OK or a db_rc error. */
int audit_list_json(db *d, const char *subject_code, int64_t limit, buf *out);

/* The actor of a command-line change: "cli:" and the Unix user name (or
 * "cli:uid<N>" when it has none). */
void audit_cli_actor(char *out, size_t outlen);

#endif
