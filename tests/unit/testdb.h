/* testdb.h: a fresh database file in its own temporary folder, for tests that need one. */
#ifndef VP_TESTDB_H
#define VP_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Makes /tmp/vp-test-NAME-XXXXXX and sets path to test.db inside it (the
 * file itself is not created). dir needs 64 bytes, path 96. */
static inline int test_db_make(char dir[64], char path[96], const char *name)
{
	snprintf(dir, 64, "/tmp/vp-test-%.20s-XXXXXX", name);
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, 96, "%s/test.db", dir);
	return 0;
}

/* Removes the database with its WAL, shared-memory and journal files, and
 * the folder. */
static inline void test_db_remove(const char *dir, const char *path)
{
	static const char *suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[128];
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

#endif
