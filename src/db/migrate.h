/* migrate.h: numbered schema migrations embedded in the binary. */
#ifndef VP_MIGRATE_H
#define VP_MIGRATE_H

#include "core/buf.h"
#include "db/db.h"

/* Applies every migration not yet applied, each in its own transaction, in
 * order. Appends a JSON array of the applied names to out (if not NULL).
 * Returns 0, or -1 with a message in err. */
int migrate_apply(db *d, buf *out, char *err, size_t errlen);
/* The highest migration version compiled into this binary. */
int migrate_latest(void);
/* The highest version applied to d (0 for a new database). */
int migrate_current(db *d);

#endif
