/* teststory.h: the setup the story tests share: a migrated database with an organisation, a script from JSON text saved (and published), a collection on it. */
#ifndef VP_TESTSTORY_H
#define VP_TESTSTORY_H

/* Needs testutil.h (cmocka) and testdb.h before it. */
#include "core/log.h"
#include "core/vault.h"
#include "db/migrate.h"
#include "model/collection.h"
#include "model/script_store.h"
#include "model/user.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* A migrated database in a folder of its own (see test_db_make) with the
 * organisation "Gemeente Test" in *org; logging off. 0 or -1. */
static inline int test_store_open(char dir[64], char path[96], db **d, int64_t *org,
                                  const char *name)
{
	log_set_enabled(0);
	if (sodium_init() < 0 || test_db_make(dir, path, name))
		return -1;
	char err[256];
	*d = db_open(path, err, sizeof err);
	if (!*d || migrate_apply(*d, NULL, err, sizeof err) ||
	    org_ensure(*d, "Gemeente Test", org) != DB_OK) {
		fprintf(stderr, "%s: %s\n", name, err);
		return -1;
	}
	return 0;
}

/* A new key file DIR/k.key (its path in key) and its keys loaded in *v,
 * for tests of sealed personal data. 0 or -1. */
static inline int test_vault_make(const char *dir, char key[128], vault **v)
{
	char err[256] = "";
	snprintf(key, 128, "%s/k.key", dir);
	if (vault_create_file(key, err, sizeof err) || !(*v = vault_load(key, err, sizeof err))) {
		fprintf(stderr, "vault: %s\n", err);
		return -1;
	}
	return 0;
}

/* Closes d and removes the database and its folder. */
static inline void test_store_close(const char *dir, const char *path, db *d)
{
	db_close(d);
	test_db_remove(dir, path);
}

/* The script in JSON text, or NULL with the reader's message on stderr. */
static inline struct script *test_script_parse(const char *text)
{
	char err[256];
	struct script *s = script_parse_text(text, strlen(text), err, sizeof err);
	if (!s)
		fprintf(stderr, "script: %s\n", err);
	return s;
}

/* Saves s as a new script of org (version 1) and publishes it when
 * publish is set; returns its id. */
static inline int64_t test_script_save(db *d, int64_t org, struct script *s, int publish)
{
	struct script_save_job sj = {.org_id = org, .script = s};
	assert_int_equal(script_save_write(d, &sj), 0);
	if (publish) {
		struct script_status_job pj = {.org_id = org,
		                               .script_id = sj.script_id,
		                               .version = 1,
		                               .to = SCRIPT_PUBLISHED};
		assert_int_equal(script_status_write(d, &pj), 0);
	}
	return sj.script_id;
}

/* test_script_parse and test_script_save in one: the parsed script (free
 * it), its id in *sid; NULL when the text is refused. */
static inline struct script *test_script_add(db *d, int64_t org, const char *text, int publish,
                                             int64_t *sid)
{
	struct script *s = test_script_parse(text);
	if (s)
		*sid = test_script_save(d, org, s, publish);
	return s;
}

/* A collection "title" (purpose "Testen", kept 30 days) on version 1 of
 * script sid, read back into c. */
static inline void test_collection(db *d, int64_t org, int64_t sid, const char *title,
                                   struct collection *c)
{
	struct collection_new cn = {.org_id = org,
	                            .title = title,
	                            .purpose = "Testen",
	                            .script_id = sid,
	                            .script_version = 1,
	                            .retention_days = 30};
	assert_int_equal(collection_create_write(d, &cn), 0);
	assert_int_equal(cn.result, COLLECTION_OK);
	assert_int_equal(collection_by_token(d, cn.token, c), DB_ROW);
}

/* The whole setup of a story test: test_store_open, the script text
 * saved and published (the parsed script returned: free it; its id in
 * *sid, or NULL) and a collection "title" on it in c. NULL on failure. */
static inline struct script *test_story_setup(char dir[64], char path[96], db **d, int64_t *org,
                                              const char *name, const char *text, const char *title,
                                              struct collection *c)
{
	int64_t sid;
	if (test_store_open(dir, path, d, org, name))
		return NULL;
	struct script *s = test_script_add(*d, *org, text, 1, &sid);
	if (s)
		test_collection(*d, *org, sid, title, c);
	return s;
}

#endif
