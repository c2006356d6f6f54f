/* purge.h: retention: removing what has expired (stories past their collection's period, drafts, unused uploads). */
#ifndef VP_PURGE_H
#define VP_PURGE_H

#include "db/db.h"

#include <stddef.h>
#include <stdint.h>

enum { PURGE_UPLOAD_GRACE_DAYS = 30 };

/* The writer job. Removes, as of now:
 * - stories older than the retention period of their collection;
 * - story drafts past their expiry (when that table exists);
 * - uploads older than PURGE_UPLOAD_GRACE_DAYS that no script version
 *   refers to (their files are removed by purge_remove_files after the
 *   commit);
 * - the sealed recipient and texts of e-mails sent or failed long enough
 *   ago (model/outbox.h: outbox_purge; the rows stay);
 * and appends one access-log entry per collection and kind with the
 * counts (never story content). actor/origin name who ran it ("system" and
 * "serve" for the daily job, "cli:<user>" and "cli" for the command). */
struct purge_job {
	int64_t now;
	const char *actor, *origin;
	/* out, set anew on every run */
	int64_t stories, drafts, uploads;
	int64_t mail;         /* e-mails whose sealed parts were removed */
	int64_t trajectories; /* closed trajectories whose conversations went */
	char (*tokens)[33];   /* tokens of the removed uploads (malloc'ed) */
	size_t ntokens;
};
int purge_write(db *d, void *ctx);
/* Removes the files of the uploads the job removed (after its commit). */
void purge_remove_files(struct purge_job *j, const char *upload_dir);
void purge_job_free(struct purge_job *j);

#endif
