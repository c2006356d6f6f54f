/* script_cache.c: a process-wide table of parsed, immutable script versions. */
#include "model/script_cache.h"

#include "model/script_store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	int64_t org_id, script_id;
	int version;
	struct script *script;
	struct entry *next;
};

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static struct entry *entries;

static struct script *find(int64_t org_id, int64_t script_id, int version)
{
	for (struct entry *e = entries; e; e = e->next)
		if (e->script_id == script_id && e->version == version && e->org_id == org_id)
			return e->script;
	return NULL;
}

const struct script *script_cache_get(db *d, int64_t org_id, int64_t script_id, int version)
{
	pthread_rwlock_rdlock(&lock);
	struct script *s = find(org_id, script_id, version);
	pthread_rwlock_unlock(&lock);
	if (s)
		return s;
	struct script_version v;
	if (script_version_get(d, org_id, script_id, version, &v) != DB_OK)
		return NULL;
	if (v.status == SCRIPT_DRAFT) {
		script_version_free(&v);
		return NULL;
	}
	char err[256];
	struct script *parsed = script_parse_text(v.body, strlen(v.body), err, sizeof err);
	script_version_free(&v);
	if (!parsed)
		return NULL;
	pthread_rwlock_wrlock(&lock);
	s = find(org_id, script_id, version);
	if (!s) {
		struct entry *e = calloc(1, sizeof *e);
		if (!e)
			abort();
		*e = (struct entry){org_id, script_id, version, parsed, entries};
		entries = e;
		s = parsed;
		parsed = NULL;
	}
	pthread_rwlock_unlock(&lock);
	script_free(parsed); /* another thread was first */
	return s;
}

void script_cache_clear(void)
{
	pthread_rwlock_wrlock(&lock);
	while (entries) {
		struct entry *e = entries;
		entries = e->next;
		script_free(e->script);
		free(e);
	}
	pthread_rwlock_unlock(&lock);
}
