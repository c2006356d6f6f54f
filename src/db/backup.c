/* backup.c: online copy through the driver, stream encryption with libsodium, checked restore. */
#include "db/backup.h"

#include "core/clock.h"
#include "core/util.h"
#include "db/migrate.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC        "VPBACKUP1\n"
#define KDF_CTX      "vpbackup"
#define CHECK_MSG    "vertelpunt backup key check"
#define PLAIN_PREFIX "vertelpunt-backup.plain-"

enum {
	MAGIC_LEN = 10,
	HASH_LEN = 32,
	CHECK_LEN = 16,
	HEADER_LEN = 4 + 8 + 4 + 8 + HASH_LEN + CHECK_LEN + CHECK_LEN,
	PREFIX_LEN = MAGIC_LEN + HEADER_LEN,
	SS_HEADER = crypto_secretstream_xchacha20poly1305_HEADERBYTES,
	SS_ABYTES = crypto_secretstream_xchacha20poly1305_ABYTES,
	CHUNK = 64 * 1024,
	PATH_CAP = 4200,
	PENDING_MAX = 32,
};
_Static_assert(sizeof MAGIC - 1 == MAGIC_LEN, "magic length");
_Static_assert(HEADER_LEN == 88, "header length as documented in backup.h");
_Static_assert(SS_HEADER == 24 && SS_ABYTES == 17, "secretstream sizes as documented");
_Static_assert(crypto_kdf_KEYBYTES == VAULT_KEY_BYTES, "vault keys are kdf master keys");
_Static_assert(sizeof KDF_CTX - 1 == crypto_kdf_CONTEXTBYTES, "kdf context length");

struct header {
	uint32_t key_id;
	int64_t created;
	uint32_t schema;
	uint64_t plain_bytes;
	unsigned char plain_hash[HASH_LEN];
	unsigned char key_check[CHECK_LEN];
};

/* ---- temporary files, removed on every way out ------------------------ */

/* Every temporary file (and the -journal, -wal and -shm SQLite may put
 * beside it) is listed here while it exists, so a signal handler can remove
 * them with nothing but unlink. */
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static char pending_path[PENDING_MAX][PATH_CAP + 16];
static volatile sig_atomic_t pending_used[PENDING_MAX];

static const char *const sidecar[] = {"", "-journal", "-wal", "-shm"};
enum { NSIDECAR = sizeof sidecar / sizeof sidecar[0] };

struct temp {
	char path[PATH_CAP];
	int fd; /* open, holding an flock, until temp_discard or temp_keep */
	int slot[NSIDECAR];
};

static int pending_add(const char *path)
{
	pthread_mutex_lock(&pending_lock);
	for (int i = 0; i < PENDING_MAX; i++) {
		if (!pending_used[i]) {
			snprintf(pending_path[i], sizeof pending_path[i], "%s", path);
			pending_used[i] = 1;
			pthread_mutex_unlock(&pending_lock);
			return i;
		}
	}
	pthread_mutex_unlock(&pending_lock);
	return -1;
}

static void pending_drop(int slot)
{
	if (slot < 0)
		return;
	pthread_mutex_lock(&pending_lock);
	pending_used[slot] = 0;
	pthread_mutex_unlock(&pending_lock);
}

void backup_remove_pending(void)
{
	for (int i = 0; i < PENDING_MAX; i++)
		if (pending_used[i])
			unlink(pending_path[i]);
}

/* Splits path into its folder ("." when it has none) and its last part. */
static void split_path(const char *path, char *dir, size_t dirlen, const char **base)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		snprintf(dir, dirlen, ".");
		*base = path;
	} else if (slash == path) {
		snprintf(dir, dirlen, "/");
		*base = slash + 1;
	} else {
		snprintf(dir, dirlen, "%.*s", (int)(slash - path), path);
		*base = slash + 1;
	}
}

/* Removes what a killed run left in dir: files named prefix + 6 characters
 * (+ a SQLite suffix) whose main file nobody holds the flock of. */
static void remove_stale(const char *dir, const char *prefix)
{
	DIR *dh = opendir(dir);
	if (!dh)
		return;
	size_t plen = strlen(prefix);
	struct dirent *e;
	while ((e = readdir(dh))) {
		size_t n = strlen(e->d_name);
		if (n < plen + 6 || strncmp(e->d_name, prefix, plen) != 0)
			continue;
		const char *rest = e->d_name + plen + 6;
		int known = 0;
		for (int i = 0; i < NSIDECAR; i++)
			known |= strcmp(rest, sidecar[i]) == 0;
		if (!known)
			continue;
		char name[PATH_CAP], main_name[PATH_CAP];
		if (snprintf(name, sizeof name, "%s/%s", dir, e->d_name) >= (int)sizeof name ||
		    snprintf(main_name, sizeof main_name, "%s/%.*s", dir, (int)(plen + 6),
		             e->d_name) >= (int)sizeof main_name)
			continue;
		int fd = open(main_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0) {
			if (errno == ENOENT)
				unlink(name); /* a sidecar whose main file is gone */
			continue;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			unlink(name);
		close(fd);
	}
	closedir(dh);
}

/* Creates dir/prefix + 6 random characters, mode 0600, locked, listed for
 * removal. The names are listed before the file is created, so a signal
 * in between cannot leave it behind. */
static int temp_create(struct temp *t, const char *dir, const char *prefix, char *err,
                       size_t errlen)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	t->fd = -1;
	for (int i = 0; i < NSIDECAR; i++)
		t->slot[i] = -1;
	remove_stale(dir, prefix);
	for (int attempt = 0; attempt < 100; attempt++) {
		char rnd[7];
		for (int i = 0; i < 6; i++)
			rnd[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
		rnd[6] = '\0';
		if (snprintf(t->path, sizeof t->path, "%s/%s%s", dir, prefix, rnd) >=
		    (int)sizeof t->path - 16) {
			snprintf(err, errlen, "the path %s is too long", dir);
			t->path[0] = '\0';
			return -1;
		}
		for (int i = 0; i < NSIDECAR; i++) {
			char p[PATH_CAP + 16];
			snprintf(p, sizeof p, "%s%s", t->path, sidecar[i]);
			t->slot[i] = pending_add(p);
			if (t->slot[i] < 0)
				abort(); /* more temporary files than this module ever makes */
		}
		t->fd = open(t->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (t->fd >= 0)
			break;
		int e = errno;
		for (int i = 0; i < NSIDECAR; i++) {
			pending_drop(t->slot[i]);
			t->slot[i] = -1;
		}
		if (e != EEXIST) {
			snprintf(err, errlen, "cannot create a temporary file in %s: %s", dir,
			         strerror(e));
			t->path[0] = '\0';
			return -1;
		}
	}
	if (t->fd < 0) {
		snprintf(err, errlen, "cannot create a temporary file in %s", dir);
		t->path[0] = '\0';
		return -1;
	}
	if (fchmod(t->fd, 0600) || flock(t->fd, LOCK_EX | LOCK_NB)) {
		snprintf(err, errlen, "cannot set up %s: %s", t->path, strerror(errno));
		return -1; /* the caller discards t */
	}
	return 0;
}

/* Unlinks the file and its sidecars (if any), closes and unlists. */
static void temp_discard(struct temp *t)
{
	if (!t->path[0])
		return;
	for (int i = 0; i < NSIDECAR; i++) {
		char p[PATH_CAP + 16];
		snprintf(p, sizeof p, "%s%s", t->path, sidecar[i]);
		unlink(p);
		pending_drop(t->slot[i]);
		t->slot[i] = -1;
	}
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	t->path[0] = '\0';
}

/* After the file was renamed into place: only closes and unlists. */
static void temp_keep(struct temp *t)
{
	for (int i = 0; i < NSIDECAR; i++) {
		pending_drop(t->slot[i]);
		t->slot[i] = -1;
	}
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	t->path[0] = '\0';
}

/* ---- small I/O helpers ------------------------------------------------ */

static int write_all(int fd, const void *p, size_t n)
{
	const unsigned char *s = p;
	while (n) {
		ssize_t k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		s += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Reads up to n bytes; fewer only at the end of the file. -1 on error. */
static ssize_t read_full(int fd, void *p, size_t n)
{
	unsigned char *s = p;
	size_t got = 0;
	while (got < n) {
		ssize_t k = read(fd, s + got, n - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

static void fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static void put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* ---- keys and the header ---------------------------------------------- */

static void derive_keys(const unsigned char *master,
                        unsigned char stream_key[crypto_secretstream_xchacha20poly1305_KEYBYTES],
                        unsigned char check[CHECK_LEN])
{
	unsigned char ck[crypto_generichash_KEYBYTES];
	crypto_kdf_derive_from_key(stream_key, crypto_secretstream_xchacha20poly1305_KEYBYTES, 1,
	                           KDF_CTX, master);
	crypto_kdf_derive_from_key(ck, sizeof ck, 2, KDF_CTX, master);
	crypto_generichash(check, CHECK_LEN, (const unsigned char *)CHECK_MSG, sizeof CHECK_MSG - 1,
	                   ck, sizeof ck);
	sodium_memzero(ck, sizeof ck);
}

static void encode_prefix(const struct header *h, unsigned char out[PREFIX_LEN])
{
	unsigned char *p = out;
	memcpy(p, MAGIC, MAGIC_LEN);
	p += MAGIC_LEN;
	put_u32(p, h->key_id);
	put_u64(p + 4, (uint64_t)h->created);
	put_u32(p + 12, h->schema);
	put_u64(p + 16, h->plain_bytes);
	memcpy(p + 24, h->plain_hash, HASH_LEN);
	memcpy(p + 24 + HASH_LEN, h->key_check, CHECK_LEN);
	crypto_generichash(p + 24 + HASH_LEN + CHECK_LEN, CHECK_LEN, out, PREFIX_LEN - CHECK_LEN,
	                   NULL, 0);
}

/* 0, or -1 when the header check does not match. */
static int decode_prefix(const unsigned char in[PREFIX_LEN], struct header *h)
{
	unsigned char check[CHECK_LEN];
	crypto_generichash(check, CHECK_LEN, in, PREFIX_LEN - CHECK_LEN, NULL, 0);
	if (sodium_memcmp(check, in + PREFIX_LEN - CHECK_LEN, CHECK_LEN) != 0)
		return -1;
	const unsigned char *p = in + MAGIC_LEN;
	h->key_id = get_u32(p);
	h->created = (int64_t)get_u64(p + 4);
	h->schema = get_u32(p + 12);
	h->plain_bytes = get_u64(p + 16);
	memcpy(h->plain_hash, p + 24, HASH_LEN);
	memcpy(h->key_check, p + 24 + HASH_LEN, CHECK_LEN);
	return 0;
}

static void fill_info(struct backup_info *info, const struct header *h, uint64_t file_bytes,
                      const unsigned char sha[crypto_hash_sha256_BYTES])
{
	info->key_id = h->key_id;
	info->created = h->created;
	info->schema = (int)h->schema;
	info->plain_bytes = h->plain_bytes;
	info->file_bytes = file_bytes;
	util_hex(h->plain_hash, HASH_LEN, info->plain_blake2b);
	util_hex(sha, crypto_hash_sha256_BYTES, info->file_sha256);
}

/* ---- the database side ------------------------------------------------ */

/* The highest migration applied, or -1 (with err) when d is not a
 * Vertelpunt database. */
static int schema_version(db *d, const char *what, char *err, size_t errlen)
{
	int t = db_table_exists(d, "schema_migrations");
	if (t != 1) {
		snprintf(err, errlen,
		         "%s is not a Vertelpunt database (no schema_migrations table)", what);
		return -1;
	}
	db_stmt *s = db_prepare(d, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
	int v = db_step(s) == DB_ROW ? (int)db_col_int(s, 0) : -1;
	db_finalize(s);
	if (v < 0)
		snprintf(err, errlen, "cannot read the schema version of %s: %s", what,
		         db_errmsg(d));
	return v;
}

/* Opens a decrypted copy and checks it: integrity, schema_migrations, the
 * schema version the header promised, one this program can run. */
static int check_copy(const char *path, const struct header *h, char *err, size_t errlen)
{
	char e[512];
	db *d = db_open(path, e, sizeof e);
	if (!d) {
		snprintf(err, errlen, "the restored copy does not open: %s", e);
		return -1;
	}
	int rc = -1;
	if (db_integrity_check(d, e, sizeof e)) {
		snprintf(err, errlen, "the restored copy is damaged: %s", e);
		goto out;
	}
	int v = schema_version(d, "the restored copy", err, errlen);
	if (v < 0)
		goto out;
	if ((uint32_t)v != h->schema) {
		snprintf(err, errlen, "the restored copy has schema %d, its header says %u", v,
		         h->schema);
		goto out;
	}
	if (v > migrate_latest()) {
		snprintf(err, errlen,
		         "the backup has schema version %d, this program knows up to %d: restore "
		         "it with a newer vertelpunt",
		         v, migrate_latest());
		goto out;
	}
	rc = 0;
out:
	db_close(d);
	return rc;
}

/* ---- writing ---------------------------------------------------------- */

/* Length and BLAKE2b-256 of a file. */
static int hash_file(const char *path, uint64_t *len, unsigned char hash[HASH_LEN], char *err,
                     size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read the copy %s: %s", path, strerror(errno));
		return -1;
	}
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, HASH_LEN);
	unsigned char *b = malloc(CHUNK);
	if (!b)
		abort();
	uint64_t n = 0;
	ssize_t k;
	while ((k = read_full(fd, b, CHUNK)) > 0) {
		crypto_generichash_update(&st, b, (size_t)k);
		n += (uint64_t)k;
	}
	free(b);
	close(fd);
	if (k < 0) {
		snprintf(err, errlen, "cannot read the copy %s: %s", path, strerror(errno));
		return -1;
	}
	crypto_generichash_final(&st, hash, HASH_LEN);
	*len = n;
	return 0;
}

/* Encrypts the copy at plain_path (of h->plain_bytes bytes, hashing to
 * h->plain_hash) into fd. */
static int encrypt_into(int fd, const char *plain_path, const struct header *h,
                        const unsigned char *key, unsigned char sha[crypto_hash_sha256_BYTES],
                        uint64_t *written, char *err, size_t errlen)
{
	int in = open(plain_path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		snprintf(err, errlen, "cannot read the copy %s: %s", plain_path, strerror(errno));
		return -1;
	}
	unsigned char prefix[PREFIX_LEN], sshdr[SS_HEADER];
	encode_prefix(h, prefix);
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_secretstream_xchacha20poly1305_init_push(&ss, sshdr, key);
	crypto_hash_sha256_state sh;
	crypto_hash_sha256_init(&sh);
	crypto_generichash_state bh;
	crypto_generichash_init(&bh, NULL, 0, HASH_LEN);
	unsigned char *m = malloc(CHUNK), *c = malloc(CHUNK + SS_ABYTES);
	if (!m || !c)
		abort();
	int rc = -1;
	uint64_t done = 0, out = 0;
	if (write_all(fd, prefix, sizeof prefix) || write_all(fd, sshdr, sizeof sshdr))
		goto io_error;
	crypto_hash_sha256_update(&sh, prefix, sizeof prefix);
	crypto_hash_sha256_update(&sh, sshdr, sizeof sshdr);
	out = sizeof prefix + sizeof sshdr;
	for (int first = 1;; first = 0) {
		uint64_t left = h->plain_bytes - done;
		size_t want = left < CHUNK ? (size_t)left : CHUNK;
		ssize_t k = read_full(in, m, want);
		if (k < 0) {
			snprintf(err, errlen, "cannot read the copy %s: %s", plain_path,
			         strerror(errno));
			goto out;
		}
		if ((size_t)k != want) {
			snprintf(err, errlen, "the copy %s changed while it was encrypted",
			         plain_path);
			goto out;
		}
		crypto_generichash_update(&bh, m, want);
		done += want;
		int last = done == h->plain_bytes;
		unsigned long long clen = 0;
		crypto_secretstream_xchacha20poly1305_push(
		        &ss, c, &clen, m, want, first ? prefix : NULL, first ? sizeof prefix : 0,
		        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
		if (write_all(fd, c, (size_t)clen))
			goto io_error;
		crypto_hash_sha256_update(&sh, c, (size_t)clen);
		out += clen;
		if (last)
			break;
	}
	/* The copy hashed the same twice and has nothing more: what was
	 * encrypted is what the header describes. */
	unsigned char again[HASH_LEN], extra;
	crypto_generichash_final(&bh, again, sizeof again);
	if (sodium_memcmp(again, h->plain_hash, HASH_LEN) != 0 || read_full(in, &extra, 1) != 0) {
		snprintf(err, errlen, "the copy %s changed while it was encrypted", plain_path);
		goto out;
	}
	if (fsync(fd)) {
		snprintf(err, errlen, "cannot write the backup: %s", strerror(errno));
		goto out;
	}
	crypto_hash_sha256_final(&sh, sha);
	*written = out;
	rc = 0;
	goto out;
io_error:
	snprintf(err, errlen, "cannot write the backup: %s", strerror(errno));
out:
	sodium_memzero(&ss, sizeof ss);
	sodium_memzero(m, CHUNK);
	free(m);
	free(c);
	close(in);
	return rc;
}

int backup_write(db *d, const vault *v, const char *out_path, const char *work_dir, int overwrite,
                 struct backup_info *info, char *err, size_t errlen)
{
	assert(d && v && out_path && info && err);
	memset(info, 0, sizeof *info);
	char out_dir[PATH_CAP], prefix[PATH_CAP];
	const char *out_base;
	if (strlen(out_path) > PATH_CAP - 64) {
		snprintf(err, errlen, "the path %s is too long", out_path);
		return -1;
	}
	split_path(out_path, out_dir, sizeof out_dir, &out_base);
	if (!*out_base) {
		snprintf(err, errlen, "%s names a folder, not a file", out_path);
		return -1;
	}
	struct stat st;
	if (lstat(out_path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, errlen, "%s exists and is not a regular file", out_path);
			return -1;
		}
		if (!overwrite) {
			snprintf(err, errlen,
			         "%s exists already; choose another name or use --force", out_path);
			return -1;
		}
	}
	if (stat(out_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "the folder %s does not exist", out_dir);
		return -1;
	}

	struct header h = {.key_id = vault_active_id(v), .created = clock_now()};
	int before = schema_version(d, "the database", err, errlen);
	if (before < 0)
		return -1;

	struct temp plain = {.fd = -1}, enc = {.fd = -1};
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	int rc = -1;
	/* One name for every backup's copy in clear, whatever out_path is, so
	 * the next run finds what a killed one left (see remove_stale). */
	if (temp_create(&plain, work_dir ? work_dir : out_dir, PLAIN_PREFIX, err, errlen))
		goto out;
	if (db_backup_to(d, plain.path, err, errlen))
		goto out;
	int after = schema_version(d, "the database", err, errlen);
	if (after < 0)
		goto out;
	if (after != before) {
		snprintf(err, errlen, "a migration ran during the backup; run the backup again");
		goto out;
	}
	h.schema = (uint32_t)after;
	if (hash_file(plain.path, &h.plain_bytes, h.plain_hash, err, errlen))
		goto out;

	derive_keys(vault_active_key(v), key, h.key_check);
	snprintf(prefix, sizeof prefix, "%s.tmp-", out_base);
	if (temp_create(&enc, out_dir, prefix, err, errlen))
		goto out;
	unsigned char sha[crypto_hash_sha256_BYTES];
	uint64_t written = 0;
	if (encrypt_into(enc.fd, plain.path, &h, key, sha, &written, err, errlen))
		goto out;
	/* The copy in clear goes before the backup appears. */
	temp_discard(&plain);
	if (overwrite ? rename(enc.path, out_path) : link(enc.path, out_path)) {
		snprintf(err, errlen, "cannot create %s: %s", out_path, strerror(errno));
		goto out;
	}
	if (!overwrite)
		unlink(enc.path);
	temp_keep(&enc);
	fsync_dir(out_dir);
	fill_info(info, &h, written, sha);
	rc = 0;
out:
	sodium_memzero(key, sizeof key);
	temp_discard(&plain);
	temp_discard(&enc);
	return rc;
}

/* ---- reading ---------------------------------------------------------- */

/* Reads, checks and decrypts the backup at in_path; the copy goes to
 * out_fd. Fills h. */
static int decrypt_from(const vault *v, const char *in_path, int out_fd, struct header *h,
                        struct backup_info *info, char *err, size_t errlen)
{
	int in = open(in_path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		snprintf(err, errlen, "cannot open the backup %s: %s", in_path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(in, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", in_path);
		close(in);
		return -1;
	}
	unsigned char prefix[PREFIX_LEN], sshdr[SS_HEADER];
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES], check[CHECK_LEN];
	unsigned char *m = malloc(CHUNK), *c = malloc(CHUNK + SS_ABYTES);
	if (!m || !c)
		abort();
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_hash_sha256_state sh;
	crypto_generichash_state bh;
	int rc = -1;

	ssize_t k = read_full(in, prefix, sizeof prefix);
	if (k < 0)
		goto io_error;
	if (k < MAGIC_LEN || memcmp(prefix, MAGIC, MAGIC_LEN) != 0) {
		if (k >= 8 && memcmp(prefix, "VPBACKUP", 8) == 0)
			snprintf(err, errlen,
			         "%s is a Vertelpunt backup of a format this program does not know "
			         "(made by a newer version?)",
			         in_path);
		else
			snprintf(err, errlen, "%s is not a Vertelpunt backup", in_path);
		goto out;
	}
	if (k < PREFIX_LEN)
		goto truncated;
	if (decode_prefix(prefix, h)) {
		snprintf(err, errlen, "the backup %s is damaged (its header does not check)",
		         in_path);
		goto out;
	}
	const unsigned char *master = vault_key(v, h->key_id);
	if (!master) {
		snprintf(err, errlen,
		         "the backup was made with key %u, which this key file does not have (key "
		         "%u is current): use the key file kept with the backup",
		         h->key_id, vault_active_id(v));
		goto out;
	}
	derive_keys(master, key, check);
	if (sodium_memcmp(check, h->key_check, CHECK_LEN) != 0) {
		snprintf(
		        err, errlen,
		        "the key file's key %u is not the one the backup was made with (a key file "
		        "of another installation?)",
		        h->key_id);
		goto out;
	}
	k = read_full(in, sshdr, sizeof sshdr);
	if (k < 0)
		goto io_error;
	if (k < SS_HEADER)
		goto truncated;
	if (crypto_secretstream_xchacha20poly1305_init_pull(&ss, sshdr, key) != 0)
		goto damaged;
	crypto_hash_sha256_init(&sh);
	crypto_hash_sha256_update(&sh, prefix, sizeof prefix);
	crypto_hash_sha256_update(&sh, sshdr, sizeof sshdr);
	crypto_generichash_init(&bh, NULL, 0, HASH_LEN);
	uint64_t done = 0, file_bytes = sizeof prefix + sizeof sshdr;
	for (int first = 1;; first = 0) {
		uint64_t left = h->plain_bytes - done;
		size_t want = (left < CHUNK ? (size_t)left : CHUNK) + SS_ABYTES;
		k = read_full(in, c, want);
		if (k < 0)
			goto io_error;
		if ((size_t)k < want)
			goto truncated;
		crypto_hash_sha256_update(&sh, c, want);
		file_bytes += want;
		unsigned long long mlen = 0;
		unsigned char tag = 0;
		if (crypto_secretstream_xchacha20poly1305_pull(&ss, m, &mlen, &tag, c, want,
		                                               first ? prefix : NULL,
		                                               first ? sizeof prefix : 0) != 0)
			goto damaged;
		done += mlen;
		int last = done == h->plain_bytes;
		if (last != (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL))
			goto damaged;
		crypto_generichash_update(&bh, m, (size_t)mlen);
		if (out_fd >= 0 && write_all(out_fd, m, (size_t)mlen)) {
			snprintf(err, errlen, "cannot write the restored copy: %s",
			         strerror(errno));
			goto out;
		}
		if (last)
			break;
	}
	unsigned char extra, hash[HASH_LEN];
	k = read_full(in, &extra, 1);
	if (k < 0)
		goto io_error;
	if (k > 0) {
		snprintf(err, errlen, "the backup %s has data after its end (damaged?)", in_path);
		goto out;
	}
	crypto_generichash_final(&bh, hash, sizeof hash);
	if (sodium_memcmp(hash, h->plain_hash, HASH_LEN) != 0) {
		snprintf(err, errlen, "the backup %s is damaged (its content hash does not match)",
		         in_path);
		goto out;
	}
	unsigned char sha[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&sh, sha);
	fill_info(info, h, file_bytes, sha);
	rc = 0;
	goto out;
truncated:
	snprintf(err, errlen, "the backup %s is incomplete (cut short)", in_path);
	goto out;
damaged:
	snprintf(err, errlen, "the backup %s is damaged or was changed (it does not decrypt)",
	         in_path);
	goto out;
io_error:
	snprintf(err, errlen, "cannot read the backup %s: %s", in_path, strerror(errno));
out:
	sodium_memzero(key, sizeof key);
	sodium_memzero(&ss, sizeof ss);
	sodium_memzero(m, CHUNK);
	free(m);
	free(c);
	close(in);
	return rc;
}

/* Decrypts into a fresh temporary file dir/prefixXXXXXX and checks the
 * copy. On success t holds the checked copy (fsynced, closed by SQLite,
 * still locked and listed); on failure t is discarded. */
static int restore_to_temp(const vault *v, const char *in_path, const char *dir, const char *prefix,
                           struct temp *t, struct backup_info *info, char *err, size_t errlen)
{
	struct header h;
	memset(info, 0, sizeof *info);
	if (temp_create(t, dir, prefix, err, errlen))
		goto fail;
	if (decrypt_from(v, in_path, t->fd, &h, info, err, errlen))
		goto fail;
	if (fsync(t->fd)) {
		snprintf(err, errlen, "cannot write %s: %s", t->path, strerror(errno));
		goto fail;
	}
	if (check_copy(t->path, &h, err, errlen))
		goto fail;
	/* SQLite removes -wal and -shm when the last connection closes; the
	 * checks wrote nothing, so anything left there holds nothing. */
	for (int i = 1; i < NSIDECAR; i++) {
		char p[PATH_CAP + 16];
		snprintf(p, sizeof p, "%s%s", t->path, sidecar[i]);
		unlink(p);
	}
	if (fsync(t->fd)) {
		snprintf(err, errlen, "cannot write %s: %s", t->path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	temp_discard(t);
	memset(info, 0, sizeof *info);
	return -1;
}

int backup_verify(const vault *v, const char *in_path, const char *work_dir,
                  struct backup_info *info, char *err, size_t errlen)
{
	assert(v && in_path && info && err);
	if (!work_dir) {
		work_dir = getenv("TMPDIR");
		if (!work_dir || !*work_dir)
			work_dir = "/tmp";
	}
	struct temp t = {.fd = -1};
	if (restore_to_temp(v, in_path, work_dir, "vertelpunt-check-", &t, info, err, errlen))
		return -1;
	temp_discard(&t);
	return 0;
}

int backup_restore(const vault *v, const char *in_path, const char *target_db_path, int force,
                   struct backup_info *info, char *previous, size_t previous_len, char *err,
                   size_t errlen)
{
	assert(v && in_path && target_db_path && info && err && previous && previous_len);
	previous[0] = '\0';
	memset(info, 0, sizeof *info);
	char dir[PATH_CAP], prefix[PATH_CAP];
	const char *base;
	if (strlen(target_db_path) > PATH_CAP - 64) {
		snprintf(err, errlen, "the path %s is too long", target_db_path);
		return -1;
	}
	split_path(target_db_path, dir, sizeof dir, &base);
	if (!*base) {
		snprintf(err, errlen, "%s names a folder, not a database file", target_db_path);
		return -1;
	}
	struct stat st;
	int exists = lstat(target_db_path, &st) == 0;
	if (exists && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a regular file", target_db_path);
		return -1;
	}
	if (exists && !force) {
		snprintf(err, errlen,
		         "%s exists; restore does not replace a database without --force",
		         target_db_path);
		return -1;
	}
	/* A -wal or -journal beside the target belongs to the old file: left
	 * there, SQLite would apply it to the restored one. */
	for (int i = 1; i < NSIDECAR; i++) {
		char p[PATH_CAP + 16];
		snprintf(p, sizeof p, "%s%s", target_db_path, sidecar[i]);
		if (access(p, F_OK) == 0) {
			snprintf(err, errlen,
			         "%s exists: a server has the database open (stop it first), or "
			         "stopped without closing it (start and stop it once)",
			         p);
			return -1;
		}
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "the folder %s does not exist", dir);
		return -1;
	}
	snprintf(prefix, sizeof prefix, "%s.restore-", base);
	struct temp t = {.fd = -1};
	if (restore_to_temp(v, in_path, dir, prefix, &t, info, err, errlen))
		return -1;
	int rc = -1;
	if (!exists) {
		/* link, not rename: never replaces a file that appeared meanwhile. */
		if (link(t.path, target_db_path)) {
			snprintf(err, errlen, "cannot create %s: %s", target_db_path,
			         strerror(errno));
			goto out;
		}
		unlink(t.path);
	} else {
		char stamp[21];
		clock_iso(clock_now(), stamp);
		for (int n = 1; n < 100; n++) {
			int w = n == 1 ? snprintf(previous, previous_len, "%s.before-restore-%s",
			                          target_db_path, stamp)
			               : snprintf(previous, previous_len, "%s.before-restore-%s-%d",
			                          target_db_path, stamp, n);
			if (w >= (int)previous_len) {
				snprintf(err, errlen, "the path %s is too long", target_db_path);
				previous[0] = '\0';
				goto out;
			}
			if (link(target_db_path, previous) == 0)
				break;
			if (errno != EEXIST) {
				snprintf(err, errlen, "cannot keep the old database as %s: %s",
				         previous, strerror(errno));
				previous[0] = '\0';
				goto out;
			}
		}
		if (rename(t.path, target_db_path)) {
			snprintf(err, errlen, "cannot replace %s: %s", target_db_path,
			         strerror(errno));
			unlink(previous);
			previous[0] = '\0';
			goto out;
		}
	}
	temp_keep(&t);
	fsync_dir(dir);
	rc = 0;
out:
	temp_discard(&t);
	if (rc)
		memset(info, 0, sizeof *info);
	return rc;
}
