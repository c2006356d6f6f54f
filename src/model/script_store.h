/* script_store.h: scripts and their versions in the database. */
#ifndef VP_SCRIPT_STORE_H
#define VP_SCRIPT_STORE_H

#include "core/buf.h"
#include "db/db.h"
#include "model/script.h"

#include <stdint.h>

/* Version statuses, stored by name. */
enum script_status { SCRIPT_DRAFT, SCRIPT_PILOT, SCRIPT_PUBLISHED, SCRIPT_RETIRED };
const char *script_status_name(enum script_status s); /* "draft", "pilot", ... */
int script_status_parse(const char *name);            /* -1 when unknown */

/* One stored version. body is the canonical JSON text (malloc'ed; free with
 * script_version_free). */
struct script_version {
	int64_t script_id;
	int version;
	enum script_status status;
	char key[SCRIPT_KEY_MAX + 1];
	char *title; /* Dutch title (malloc'ed) */
	char *body;
	int lint_errors, lint_warnings;
	int64_t created_at, updated_at;
	int latest; /* 1 when no higher version exists */
};
void script_version_free(struct script_version *v);

/* Reads on any connection. Return DB_OK, DB_DONE (not found) or an error. */
/* version 0: the highest version. */
int script_version_get(db *d, int64_t org_id, int64_t script_id, int version,
                       struct script_version *out);
/* JSON array of the organisation's scripts, newest first: [{"id", "key",
 * "title", "versions": [{"version", "status", "lint_errors",
 * "lint_warnings", "updated_at"}]}] */
int script_list_json(db *d, int64_t org_id, buf *out);
/* JSON array of one script's versions (as above, without the script). */
int script_versions_json(db *d, int64_t org_id, int64_t script_id, buf *out);

/* Writer jobs (run through req_write or writer_run). Each takes its struct
 * as ctx, checks what it must inside the transaction, and sets result and
 * the out fields anew on every run. */
enum script_result {
	SCRIPT_OK = 0,
	SCRIPT_NOT_FOUND = 1,   /* no such script or version in this organisation */
	SCRIPT_NOT_DRAFT = 2,   /* only a draft can change */
	SCRIPT_LINT_FAILED = 3, /* errors in the lint (see lint in the job) */
	SCRIPT_IDENTITY = 4,    /* a question changed meaning and kept its id (detail) */
	SCRIPT_BAD_STATUS = 5,  /* that status change is not allowed */
	SCRIPT_HAS_DRAFT = 6,   /* a draft exists already */
	SCRIPT_KEY_CHANGED = 7, /* a new body must keep the script's key */
	SCRIPT_IN_USE = 8,      /* an open collection collects with this version (detail) */
};

/* Stores a parsed script: as version 1 of a new script, or, when its key
 * exists in the organisation, as a new draft version of that script (or,
 * with replace_draft, replacing the existing draft's body). */
struct script_save_job {
	int64_t org_id, user_id;
	const struct script *script;
	int replace_draft;
	int64_t only_script_id; /* when not 0: the key must belong to this script */
	/* out */
	int result;
	int64_t script_id;
	int version;
	char detail[200];
};
int script_save_write(db *d, void *ctx);

/* Replaces the body of draft (script_id, version). */
struct script_update_job {
	int64_t org_id, user_id, script_id;
	int version;
	const struct script *script;
	int result;
	char detail[200];
};
int script_update_write(db *d, void *ctx);

/* Makes a new draft from version (the next number), unless a draft exists. */
struct script_copy_job {
	int64_t org_id, user_id, script_id;
	int version;
	int result;
	int new_version;
};
int script_copy_write(db *d, void *ctx);

/* Moves a version to a new status: draft -> pilot | published, pilot ->
 * published | retired, published -> retired. Pilot and published need a
 * clean lint and questions whose meaning kept their ids. Deleting is only
 * for drafts (to = -1). */
struct script_status_job {
	int64_t org_id, user_id, script_id;
	int version;
	int to; /* enum script_status, or -1 to delete a draft */
	int result;
	char detail[200];
};
int script_status_write(db *d, void *ctx);

/* Loads and parses a stored version (NULL when missing or broken; err). */
struct script *script_load(db *d, int64_t org_id, int64_t script_id, int version, char *err,
                           size_t errlen);

#endif
