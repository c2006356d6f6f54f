/* script_cache.h: parsed script versions shared by every request, for the versions that can no longer change. */
#ifndef VP_SCRIPT_CACHE_H
#define VP_SCRIPT_CACHE_H

#include "db/db.h"
#include "model/script.h"

#include <stdint.h>

/* The parsed script of (script_id, version), read from d on first use.
 * Pilot, published and retired versions never change, so the parsed copy
 * is kept for the life of the process and shared (read-only) by threads;
 * the returned pointer stays valid until script_cache_clear. A draft is
 * never cached: NULL (as for a missing version). Thread-safe. */
const struct script *script_cache_get(db *d, int64_t org_id, int64_t script_id, int version);
/* Frees every cached script (at shutdown, when no request runs). */
void script_cache_clear(void);

#endif
