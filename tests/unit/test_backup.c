/* test_backup.c: encrypted online backups: round trip, tampering, wrong keys, refusals, backups under load. */
#include "testutil.h"
#include "testdb.h"

#include "core/log.h"
#include "db/backup.h"
#include "db/migrate.h"
#include "db/writer.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NEEDLE "needle-zeldzame-tekst"

struct fixture {
	char dir[64];
	char path[96];
	char key[128];
	char out[128];    /* the backup file */
	char target[128]; /* where restores go */
	db *d;
	vault *v;
};

static int setup(void **state)
{
	log_set_enabled(0);
	if (sodium_init() < 0)
		return -1;
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_db_make(f->dir, f->path, "backup"))
		return -1;
	snprintf(f->key, sizeof f->key, "%s/k.key", f->dir);
	snprintf(f->out, sizeof f->out, "%s/b.vpbackup", f->dir);
	snprintf(f->target, sizeof f->target, "%s/restored.db", f->dir);
	char err[256] = "";
	if (vault_create_file(f->key, err, sizeof err) ||
	    !(f->v = vault_load(f->key, err, sizeof err)))
		return -1;
	f->d = db_open(f->path, err, sizeof err);
	if (!f->d || migrate_apply(f->d, NULL, err, sizeof err))
		return -1;
	if (db_exec(f->d, "CREATE TABLE bt_rows (id INTEGER PRIMARY KEY, tag TEXT NOT NULL, "
	                  "data BLOB, n REAL)") != DB_OK ||
	    db_exec(f->d, "CREATE TABLE bt_counter (n INTEGER NOT NULL)") != DB_OK ||
	    db_exec(f->d, "INSERT INTO bt_counter (n) VALUES (0)") != DB_OK)
		return -1;
	*state = f;
	return 0;
}

/* Removes everything the tests put in the folder, then the folder. */
static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->d);
	vault_free(f->v);
	DIR *dh = opendir(f->dir);
	struct dirent *e;
	while (dh && (e = readdir(dh))) {
		if (e->d_name[0] == '.')
			continue;
		char p[400];
		snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
		unlink(p);
	}
	if (dh)
		closedir(dh);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* n rows of text, a blob of random bytes and a number; about n * 300 bytes. */
static void fill(db *d, int n)
{
	assert_int_equal(db_begin(d), DB_OK);
	db_stmt *s = db_prepare(d, "INSERT INTO bt_rows (tag, data, n) VALUES (:tag, :data, :n)");
	for (int i = 0; i < n; i++) {
		char tag[64];
		unsigned char data[256];
		snprintf(tag, sizeof tag, "%s %d", NEEDLE, i);
		randombytes_buf(data, sizeof data);
		db_bind_text(s, "tag", tag);
		db_bind_blob(s, "data", data, (size_t)(i % 257));
		db_bind_double(s, "n", i * 0.25);
		assert_int_equal(db_step(s), DB_DONE);
		db_reset(s);
	}
	db_finalize(s);
	assert_int_equal(db_commit(d), DB_OK);
}

/* Compares bt_rows and schema_migrations of two databases row by row. */
static void assert_same_rows(db *a, db *b)
{
	db_stmt *sa = db_prepare(a, "SELECT id, tag, data, n FROM bt_rows ORDER BY id");
	db_stmt *sb = db_prepare(b, "SELECT id, tag, data, n FROM bt_rows ORDER BY id");
	int rows = 0, ra, rb;
	while ((ra = db_step(sa)) == DB_ROW) {
		rb = db_step(sb);
		assert_int_equal(rb, DB_ROW);
		assert_int_equal(db_col_int(sa, 0), db_col_int(sb, 0));
		assert_string_equal(db_col_text(sa, 1), db_col_text(sb, 1));
		size_t na, nb;
		const void *pa = db_col_blob(sa, 2, &na);
		const void *pb = db_col_blob(sb, 2, &nb);
		assert_int_equal(na, nb);
		if (na)
			assert_memory_equal(pa, pb, na);
		assert_true(db_col_double(sa, 3) == db_col_double(sb, 3));
		rows++;
	}
	assert_int_equal(ra, DB_DONE);
	assert_int_equal(db_step(sb), DB_DONE);
	db_finalize(sa);
	db_finalize(sb);
	sa = db_prepare(a,
	                "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
	sb = db_prepare(b,
	                "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
	while ((ra = db_step(sa)) == DB_ROW) {
		assert_int_equal(db_step(sb), DB_ROW);
		assert_int_equal(db_col_int(sa, 0), db_col_int(sb, 0));
		assert_string_equal(db_col_text(sa, 1), db_col_text(sb, 1));
		assert_int_equal(db_col_int(sa, 2), db_col_int(sb, 2));
	}
	assert_int_equal(db_step(sb), DB_DONE);
	db_finalize(sa);
	db_finalize(sb);
	assert_true(rows > 0);
}

/* Temporary files of this module left in the folder (none, ever). */
static int leftovers(const char *dir)
{
	int n = 0;
	DIR *dh = opendir(dir);
	struct dirent *e;
	while (dh && (e = readdir(dh)))
		if (strstr(e->d_name, ".plain-") || strstr(e->d_name, ".restore-") ||
		    strstr(e->d_name, ".tmp-"))
			n++;
	if (dh)
		closedir(dh);
	return n;
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long len = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	unsigned char *p = malloc((size_t)len + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	*n = (size_t)len;
	return p;
}

static void spit(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	if (n)
		assert_int_equal(fwrite(p, 1, n, fp), n);
	fclose(fp);
}

static void write_backup(struct fixture *f, struct backup_info *info)
{
	char err[512] = "";
	int rc = backup_write(f->d, f->v, f->out, NULL, 0, info, err, sizeof err);
	if (rc)
		print_error("backup_write: %s\n", err);
	assert_int_equal(rc, 0);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	fill(f->d, 3000); /* some 600 KiB: several chunks */
	struct backup_info info, back;
	write_backup(f, &info);
	assert_int_equal(info.key_id, vault_active_id(f->v));
	assert_int_equal(info.schema, migrate_latest());
	assert_true(info.plain_bytes > 4 * 65536);
	uint64_t chunks = (info.plain_bytes + 65535) / 65536;
	assert_int_equal(info.file_bytes, 10 + 88 + 24 + info.plain_bytes + 17 * chunks);
	assert_int_equal(strlen(info.file_sha256), 64);
	struct stat st;
	assert_int_equal(stat(f->out, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal((uint64_t)st.st_size, info.file_bytes);

	char err[512] = "", previous[256];
	assert_int_equal(backup_verify(f->v, f->out, f->dir, &back, err, sizeof err), 0);
	assert_string_equal(back.file_sha256, info.file_sha256);
	assert_string_equal(back.plain_blake2b, info.plain_blake2b);
	int rc = backup_restore(f->v, f->out, f->target, 0, &back, previous, sizeof previous, err,
	                        sizeof err);
	if (rc)
		print_error("backup_restore: %s\n", err);
	assert_int_equal(rc, 0);
	assert_string_equal(previous, "");
	assert_int_equal(back.created, info.created);
	assert_int_equal(stat(f->target, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(leftovers(f->dir), 0);

	db *r = db_open(f->target, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(db_integrity_check(r, err, sizeof err), 0);
	assert_same_rows(f->d, r);
	db_close(r);
}

/* Nothing of the database is readable in the backup file. */
static void test_encrypted(void **state)
{
	struct fixture *f = *state;
	fill(f->d, 200);
	struct backup_info info;
	write_backup(f, &info);
	size_t n;
	unsigned char *p = slurp(f->out, &n);
	assert_memory_equal(p, "VPBACKUP1\n", 10);
	assert_null(memmem(p, n, NEEDLE, strlen(NEEDLE)));
	assert_null(memmem(p, n, "SQLite format 3", 15));
	assert_null(memmem(p, n, "schema_migrations", 17));
	assert_null(memmem(p, n, "CREATE TABLE", 12));
	free(p);
}

/* Every damage is refused, by verify and by restore, which writes nothing. */
static void test_tamper(void **state)
{
	struct fixture *f = *state;
	fill(f->d, 600);
	struct backup_info info;
	write_backup(f, &info);
	size_t n;
	unsigned char *good = slurp(f->out, &n);
	unsigned char *bad = malloc(n + 1);
	assert_non_null(bad);
	char path[160], err[512], previous[256];
	snprintf(path, sizeof path, "%s/bad.vpbackup", f->dir);

	size_t flips[] = {0,   9,   10,        14,    30,    60,    97,     98,    110,  121,
	                  122, 130, 122 + 500, 65536, 65700, n / 2, n - 17, n - 2, n - 1};
	for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
		memcpy(bad, good, n);
		bad[flips[i]] ^= 0x20;
		spit(path, bad, n);
		err[0] = '\0';
		assert_int_not_equal(backup_verify(f->v, path, f->dir, &info, err, sizeof err), 0);
		assert_true(strlen(err) > 10);
		assert_int_not_equal(backup_restore(f->v, path, f->target, 0, &info, previous,
		                                    sizeof previous, err, sizeof err),
		                     0);
		assert_int_not_equal(access(f->target, F_OK), 0);
	}
	size_t cuts[] = {0, 5, 10, 50, 98, 110, 122, 130, 122 + 65536 + 17, n - 17, n - 1};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		spit(path, good, cuts[i]);
		assert_int_not_equal(backup_verify(f->v, path, f->dir, &info, err, sizeof err), 0);
		if (cuts[i] >= 10)
			assert_non_null(strstr(err, "incomplete"));
		assert_int_not_equal(backup_restore(f->v, path, f->target, 0, &info, previous,
		                                    sizeof previous, err, sizeof err),
		                     0);
		assert_int_not_equal(access(f->target, F_OK), 0);
	}
	memcpy(bad, good, n);
	bad[n] = 'x';
	spit(path, bad, n + 1);
	assert_int_not_equal(backup_verify(f->v, path, f->dir, &info, err, sizeof err), 0);
	assert_non_null(strstr(err, "after its end"));
	/* A header edited to look consistent still does not decrypt: it is
	 * the first chunk's additional data. */
	memcpy(bad, good, n);
	bad[10 + 12] ^= 1; /* the schema version */
	crypto_generichash(bad + 10 + 72, 16, bad, 10 + 72, NULL, 0);
	spit(path, bad, n);
	assert_int_not_equal(backup_verify(f->v, path, f->dir, &info, err, sizeof err), 0);
	assert_non_null(strstr(err, "does not decrypt"));
	assert_int_equal(leftovers(f->dir), 0);
	free(good);
	free(bad);
}

static void test_not_a_backup(void **state)
{
	struct fixture *f = *state;
	char path[160], err[512] = "", previous[256];
	struct backup_info info;
	snprintf(path, sizeof path, "%s/hello.txt", f->dir);
	spit(path, "hello, world\n", 13);
	assert_int_not_equal(backup_verify(f->v, path, f->dir, &info, err, sizeof err), 0);
	assert_non_null(strstr(err, "not a Vertelpunt backup"));
	/* The database file itself. */
	assert_int_not_equal(backup_verify(f->v, f->path, f->dir, &info, err, sizeof err), 0);
	assert_non_null(strstr(err, "not a Vertelpunt backup"));
	spit(path, "VPBACKUP2\nsomething", 19);
	assert_int_not_equal(backup_verify(f->v, path, f->dir, &info, err, sizeof err), 0);
	assert_non_null(strstr(err, "does not know"));
	snprintf(path, sizeof path, "%s/missing", f->dir);
	assert_int_not_equal(backup_restore(f->v, path, f->target, 0, &info, previous,
	                                    sizeof previous, err, sizeof err),
	                     0);
	assert_non_null(strstr(err, "cannot open"));
	assert_int_not_equal(access(f->target, F_OK), 0);
}

/* Another installation's key file, and a key file rotated past the backup. */
static void test_wrong_key(void **state)
{
	struct fixture *f = *state;
	fill(f->d, 50);
	struct backup_info info;
	write_backup(f, &info);
	char other[160], err[512] = "", previous[256];
	snprintf(other, sizeof other, "%s/other.key", f->dir);
	assert_int_equal(vault_create_file(other, err, sizeof err), 0);
	vault *o = vault_load(other, err, sizeof err);
	assert_non_null(o);
	assert_int_equal(vault_active_id(o), info.key_id); /* the same id, another key */
	assert_int_not_equal(backup_verify(o, f->out, f->dir, &info, err, sizeof err), 0);
	assert_non_null(strstr(err, "not the one the backup was made with"));
	assert_int_not_equal(backup_restore(o, f->out, f->target, 0, &info, previous,
	                                    sizeof previous, err, sizeof err),
	                     0);
	assert_int_not_equal(access(f->target, F_OK), 0);
	vault_free(o);

	/* Mid-rotation the file holds the old key too: the backup opens. */
	assert_int_equal(vault_file_add_key(f->key, err, sizeof err), 0);
	vault *both = vault_load(f->key, err, sizeof err);
	assert_non_null(both);
	assert_int_equal(backup_verify(both, f->out, f->dir, &info, err, sizeof err), 0);
	vault_free(both);
	/* After it, the old key is gone, and so is the backup's. */
	assert_int_equal(vault_file_keep_active(f->key, err, sizeof err), 0);
	vault *rotated = vault_load(f->key, err, sizeof err);
	assert_non_null(rotated);
	assert_int_not_equal(backup_verify(rotated, f->out, f->dir, &info, err, sizeof err), 0);
	assert_non_null(strstr(err, "made with key 1, which this key file does not have"));
	vault_free(rotated);
	assert_int_equal(leftovers(f->dir), 0);
}

static void test_restore_refusals(void **state)
{
	struct fixture *f = *state;
	fill(f->d, 50);
	struct backup_info info;
	write_backup(f, &info);
	char err[512] = "", previous[256], p[200];
	spit(f->target, "old contents", 12);
	assert_int_not_equal(backup_restore(f->v, f->out, f->target, 0, &info, previous,
	                                    sizeof previous, err, sizeof err),
	                     0);
	assert_non_null(strstr(err, "--force"));
	size_t n;
	unsigned char *p0 = slurp(f->target, &n);
	assert_int_equal(n, 12);
	free(p0);
	/* A -wal beside the target: a server has it open. Refused even with force. */
	snprintf(p, sizeof p, "%s-wal", f->target);
	spit(p, "", 0);
	assert_int_not_equal(backup_restore(f->v, f->out, f->target, 1, &info, previous,
	                                    sizeof previous, err, sizeof err),
	                     0);
	assert_non_null(strstr(err, "-wal exists"));
	unlink(p);
	/* With force: replaced, the old file kept aside. */
	assert_int_equal(backup_restore(f->v, f->out, f->target, 1, &info, previous,
	                                sizeof previous, err, sizeof err),
	                 0);
	assert_non_null(strstr(previous, "restored.db.before-restore-"));
	p0 = slurp(previous, &n);
	assert_int_equal(n, 12);
	assert_memory_equal(p0, "old contents", 12);
	free(p0);
	db *r = db_open(f->target, err, sizeof err);
	assert_non_null(r);
	assert_same_rows(f->d, r);
	db_close(r);
	/* The target's folder must exist. */
	snprintf(p, sizeof p, "%s/nowhere/x.db", f->dir);
	assert_int_not_equal(backup_restore(f->v, f->out, p, 0, &info, previous, sizeof previous,
	                                    err, sizeof err),
	                     0);
	assert_non_null(strstr(err, "does not exist"));
	assert_int_equal(leftovers(f->dir), 0);
}

static void test_backup_refusals(void **state)
{
	struct fixture *f = *state;
	fill(f->d, 20);
	struct backup_info info;
	char err[512] = "", p[200];
	spit(f->out, "keep me", 7);
	assert_int_not_equal(backup_write(f->d, f->v, f->out, NULL, 0, &info, err, sizeof err), 0);
	assert_non_null(strstr(err, "exists already"));
	size_t n;
	unsigned char *p0 = slurp(f->out, &n);
	assert_int_equal(n, 7);
	free(p0);
	assert_int_equal(backup_write(f->d, f->v, f->out, NULL, 1, &info, err, sizeof err), 0);
	assert_int_equal(backup_verify(f->v, f->out, f->dir, &info, err, sizeof err), 0);
	snprintf(p, sizeof p, "%s/nowhere/b.vpbackup", f->dir);
	assert_int_not_equal(backup_write(f->d, f->v, p, NULL, 0, &info, err, sizeof err), 0);
	assert_non_null(strstr(err, "does not exist"));
	/* A database that is not Vertelpunt's. */
	snprintf(p, sizeof p, "%s/plain.db", f->dir);
	db *other = db_open(p, err, sizeof err);
	assert_non_null(other);
	assert_int_equal(db_exec(other, "CREATE TABLE x (a INTEGER)"), DB_OK);
	snprintf(p, sizeof p, "%s/other.vpbackup", f->dir);
	assert_int_not_equal(backup_write(other, f->v, p, NULL, 0, &info, err, sizeof err), 0);
	assert_non_null(strstr(err, "not a Vertelpunt database"));
	db_close(other);
	assert_int_not_equal(access(p, F_OK), 0);
	assert_int_equal(leftovers(f->dir), 0);
}

/* A copy in clear left by a killed run is removed by the next run; one
 * still locked by a running backup is not. */
static void test_stale_copies(void **state)
{
	struct fixture *f = *state;
	fill(f->d, 20);
	char stale[200], stale_wal[220], live[200];
	snprintf(stale, sizeof stale, "%s/vertelpunt-backup.plain-abc123", f->dir);
	snprintf(stale_wal, sizeof stale_wal, "%s-wal", stale);
	snprintf(live, sizeof live, "%s/vertelpunt-backup.plain-live00", f->dir);
	spit(stale, "secret", 6);
	spit(stale_wal, "secret", 6);
	spit(live, "in use", 6);
	int fd = open(live, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	struct backup_info info;
	write_backup(f, &info);
	assert_int_not_equal(access(stale, F_OK), 0);
	assert_int_not_equal(access(stale_wal, F_OK), 0);
	assert_int_equal(access(live, F_OK), 0);
	close(fd);
	unlink(live);
}

/* ---- online: backups while the writer commits ---------------------------- */

struct load {
	writer *w;
	atomic_int stop;
	atomic_long jobs;
};

/* One row and the counter, in one job: a consistent copy has them equal. */
static int load_job(db *d, void *ctx)
{
	unsigned char data[512];
	randombytes_buf(data, sizeof data);
	db_stmt *s = db_prepare(d, "INSERT INTO bt_rows (tag, data, n) VALUES (:tag, :data, :n)");
	db_bind_text(s, "tag", "online");
	db_bind_blob(s, "data", data, sizeof data);
	db_bind_double(s, "n", 1.5);
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	return db_exec(d, "UPDATE bt_counter SET n = n + 1");
}

static void *load_thread(void *arg)
{
	struct load *l = arg;
	while (!atomic_load(&l->stop)) {
		if (writer_run(l->w, load_job, NULL) == 0)
			atomic_fetch_add(&l->jobs, 1);
	}
	return NULL;
}

static int64_t one_int(db *d, int which)
{
	db_stmt *s = which ? db_prepare(d, "SELECT n FROM bt_counter")
	                   : db_prepare(d, "SELECT COUNT(*) FROM bt_rows WHERE tag = 'online'");
	int64_t v = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return v;
}

static void test_online(void **state)
{
	struct fixture *f = *state;
	fill(f->d, 2000);
	char err[512] = "", previous[256];
	struct load l = {0};
	l.w = writer_start(f->path, err, sizeof err);
	assert_non_null(l.w);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, load_thread, &l), 0);
	for (int i = 0; i < 500 && atomic_load(&l.jobs) < 20; i++)
		usleep(10000);
	long during = 0;
	for (int round = 0; round < 3; round++) {
		char out[160], target[160];
		snprintf(out, sizeof out, "%s/online-%d.vpbackup", f->dir, round);
		snprintf(target, sizeof target, "%s/online-%d.db", f->dir, round);
		struct backup_info info;
		long before = atomic_load(&l.jobs);
		int rc = backup_write(f->d, f->v, out, NULL, 0, &info, err, sizeof err);
		if (rc)
			print_error("backup_write under load: %s\n", err);
		assert_int_equal(rc, 0);
		during += atomic_load(&l.jobs) - before;
		rc = backup_restore(f->v, out, target, 0, &info, previous, sizeof previous, err,
		                    sizeof err);
		if (rc)
			print_error("backup_restore: %s\n", err);
		assert_int_equal(rc, 0);
		db *r = db_open(target, err, sizeof err);
		assert_non_null(r);
		assert_int_equal(db_integrity_check(r, err, sizeof err), 0);
		int64_t rows = one_int(r, 0), counter = one_int(r, 1);
		assert_true(rows >= 0);
		assert_int_equal(rows, counter); /* one commit's state, not a mix */
		db_close(r);
	}
	atomic_store(&l.stop, 1);
	pthread_join(th, NULL);
	writer_stop(l.w);
	assert_true(atomic_load(&l.jobs) > 0);
	assert_int_equal(one_int(f->d, 0), one_int(f->d, 1));
	/* Not a test of speed: only shown. */
	print_message("online: %ld writes committed during 3 backups\n", during);
	assert_int_equal(leftovers(f->dir), 0);
}

static void test_driver_checks(void **state)
{
	struct fixture *f = *state;
	char err[512] = "";
	assert_int_equal(db_integrity_check(f->d, err, sizeof err), 0);
	assert_int_equal(db_table_exists(f->d, "schema_migrations"), 1);
	assert_int_equal(db_table_exists(f->d, "no_such_table"), 0);
	/* A file that is not a database does not open, or fails the probe. */
	char p[200];
	snprintf(p, sizeof p, "%s/junk.db", f->dir);
	unsigned char junk[8192];
	memset(junk, 'j', sizeof junk);
	spit(p, junk, sizeof junk);
	db *j = db_open(p, err, sizeof err);
	if (j) {
		assert_int_equal(db_table_exists(j, "schema_migrations"), -1);
		assert_int_not_equal(db_integrity_check(j, err, sizeof err), 0);
		db_close(j);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_encrypted, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_tamper, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_not_a_backup, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_wrong_key, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_restore_refusals, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_backup_refusals, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_stale_copies, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_online, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_driver_checks, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
