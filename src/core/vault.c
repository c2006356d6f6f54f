/* vault.c: XChaCha20-Poly1305 sealing of personal data with keys from a 0600 key file. */
#include "core/vault.h"

#include "core/util.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct vault {
	int n;
	uint32_t id[VAULT_MAX_KEYS];
	unsigned char key[VAULT_MAX_KEYS][VAULT_KEY_BYTES];
};

enum { NONCE = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES };
_Static_assert(NONCE == 24, "nonce size");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == 16, "tag size");

char *vault_default_path(const char *db_path)
{
	if (!db_path || strstr(db_path, "://"))
		return NULL;
	size_t n = strlen(db_path);
	char *p = malloc(n + 5);
	if (!p)
		abort();
	if (n > 3 && strcmp(db_path + n - 3, ".db") == 0)
		snprintf(p, n + 5, "%.*s.key", (int)(n - 3), db_path);
	else
		snprintf(p, n + 5, "%s.key", db_path);
	return p;
}

static int write_all(int fd, const char *s, size_t n)
{
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

static void key_line(buf *b, uint32_t id, const unsigned char *key)
{
	char hex[2 * VAULT_KEY_BYTES + 1];
	util_hex(key, VAULT_KEY_BYTES, hex);
	buf_printf(b, "vpkey1 %u %s\n", id, hex);
}

/* Writes content to path through a temporary file in the same folder:
 * created 0600, fsynced, renamed over path, folder fsynced. With excl,
 * fails when path exists. */
static int write_key_file(const char *path, const buf *content, int excl, char *err, size_t errlen)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	if (excl && access(path, F_OK) == 0) {
		snprintf(err, errlen, "the key file %s exists already", path);
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write_all(fd, content->data, content->len) || fsync(fd)) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	int rc = excl ? link(tmp, path) : rename(tmp, path);
	if (excl)
		unlink(tmp);
	if (rc) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	char dir[4200];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int vault_create_file(const char *path, char *err, size_t errlen)
{
	unsigned char key[VAULT_KEY_BYTES];
	crypto_aead_xchacha20poly1305_ietf_keygen(key);
	buf b;
	buf_init(&b);
	buf_puts(&b, "# Vertelpunt key file: keep it secret, keep it apart from the database and "
	             "its backups.\n");
	key_line(&b, 1, key);
	sodium_memzero(key, sizeof key);
	int rc = write_key_file(path, &b, 1, err, errlen);
	sodium_memzero(b.data, b.len);
	buf_free(&b);
	return rc;
}

vault *vault_load(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open the key file %s: %s (run 'vertelpunt init')",
		         path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "the key file %s is not a regular file", path);
		close(fd);
		return NULL;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen,
		         "the key file %s may be read by others (mode %03o); run chmod 600 on it",
		         path, (unsigned)(st.st_mode & 0777));
		close(fd);
		return NULL;
	}
	char text[8192];
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n < 0 || n == (ssize_t)sizeof text - 1) {
		snprintf(err, errlen, "cannot read the key file %s", path);
		return NULL;
	}
	text[n] = '\0';
	vault *v = sodium_malloc(sizeof *v);
	if (!v)
		abort();
	memset(v, 0, sizeof *v);
	int lineno = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		lineno++;
		if (line[0] == '#' || line[0] == '\0')
			continue;
		unsigned id;
		char hex[2 * VAULT_KEY_BYTES + 2];
		int used = 0;
		if (sscanf(line, "vpkey1 %u %65s%n", &id, hex, &used) != 2 || line[used] != '\0' ||
		    strlen(hex) != 2 * VAULT_KEY_BYTES || id == 0 || v->n == VAULT_MAX_KEYS) {
			snprintf(err, errlen, "the key file %s has a bad line %d", path, lineno);
			vault_free(v);
			sodium_memzero(text, sizeof text);
			return NULL;
		}
		size_t got = 0;
		if (sodium_hex2bin(v->key[v->n], VAULT_KEY_BYTES, hex, strlen(hex), NULL, &got,
		                   NULL) ||
		    got != VAULT_KEY_BYTES) {
			snprintf(err, errlen, "the key file %s has a bad key on line %d", path,
			         lineno);
			vault_free(v);
			sodium_memzero(text, sizeof text);
			return NULL;
		}
		v->id[v->n++] = id;
	}
	sodium_memzero(text, sizeof text);
	if (v->n == 0) {
		snprintf(err, errlen, "the key file %s holds no key", path);
		vault_free(v);
		return NULL;
	}
	return v;
}

void vault_free(vault *v)
{
	if (v)
		sodium_free(v); /* zeroes the memory */
}

uint32_t vault_active_id(const vault *v)
{
	return v->id[v->n - 1];
}

const unsigned char *vault_active_key(const vault *v)
{
	return v->key[v->n - 1];
}

const unsigned char *vault_key(const vault *v, uint32_t id)
{
	for (int i = 0; i < v->n; i++)
		if (v->id[i] == id)
			return v->key[i];
	return NULL;
}

void vault_seal(const vault *v, const void *plain, size_t n, const char *ad, buf *out)
{
	assert(v && (plain || n == 0) && ad);
	uint32_t id = vault_active_id(v);
	buf_reserve(out, n + VAULT_OVERHEAD);
	unsigned char *p = (unsigned char *)out->data + out->len;
	p[0] = 1;
	p[1] = (unsigned char)id, p[2] = (unsigned char)(id >> 8), p[3] = (unsigned char)(id >> 16),
	p[4] = (unsigned char)(id >> 24);
	randombytes_buf(p + 5, NONCE);
	unsigned long long clen = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt(p + 5 + NONCE, &clen, plain, n,
	                                           (const unsigned char *)ad, strlen(ad), NULL,
	                                           p + 5, vault_active_key(v));
	out->len += 5 + NONCE + (size_t)clen;
	out->data[out->len] = '\0';
}

uint32_t vault_sealed_key_id(const void *sealed, size_t n)
{
	const unsigned char *p = sealed;
	if (!p || n < VAULT_OVERHEAD || p[0] != 1)
		return 0;
	return (uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 24;
}

int vault_open(const vault *v, const void *sealed, size_t n, const char *ad, buf *out)
{
	uint32_t id = vault_sealed_key_id(sealed, n);
	const unsigned char *key = id ? vault_key(v, id) : NULL;
	if (!key || !ad)
		return -1;
	const unsigned char *p = sealed;
	size_t clen = n - 5 - NONCE;
	buf_reserve(out, clen);
	unsigned long long mlen = 0;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
	            (unsigned char *)out->data + out->len, &mlen, NULL, p + 5 + NONCE, clen,
	            (const unsigned char *)ad, strlen(ad), p + 5, key) != 0)
		return -1;
	out->len += (size_t)mlen;
	out->data[out->len] = '\0';
	return 0;
}

void vault_blind_index(const vault *v, const char *purpose, const char *normalised, char out[65])
{
	unsigned char sub[crypto_generichash_KEYBYTES], h[32];
	/* A key of its own for indexes, derived from the active key, so the
	 * index reveals nothing about the sealing key. */
	crypto_generichash(sub, sizeof sub, (const unsigned char *)"vertelpunt blind index", 22,
	                   vault_active_key(v), VAULT_KEY_BYTES);
	crypto_generichash_state st;
	crypto_generichash_init(&st, sub, sizeof sub, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)purpose, strlen(purpose) + 1);
	crypto_generichash_update(&st, (const unsigned char *)normalised, strlen(normalised));
	crypto_generichash_final(&st, h, sizeof h);
	sodium_memzero(sub, sizeof sub);
	util_hex(h, sizeof h, out);
}

static int rewrite(const char *path, int add, char *err, size_t errlen)
{
	vault *v = vault_load(path, err, errlen);
	if (!v)
		return -1;
	buf b;
	buf_init(&b);
	buf_puts(&b, "# Vertelpunt key file: keep it secret, keep it apart from the database and "
	             "its backups.\n");
	if (add) {
		if (v->n == VAULT_MAX_KEYS) {
			snprintf(err, errlen,
			         "the key file %s holds %d keys already; finish the "
			         "last rotation first",
			         path, VAULT_MAX_KEYS);
			vault_free(v);
			buf_free(&b);
			return -1;
		}
		for (int i = 0; i < v->n; i++)
			key_line(&b, v->id[i], v->key[i]);
		unsigned char key[VAULT_KEY_BYTES];
		crypto_aead_xchacha20poly1305_ietf_keygen(key);
		key_line(&b, vault_active_id(v) + 1, key);
		sodium_memzero(key, sizeof key);
	} else {
		key_line(&b, vault_active_id(v), vault_active_key(v));
	}
	vault_free(v);
	int rc = write_key_file(path, &b, 0, err, errlen);
	sodium_memzero(b.data, b.len);
	buf_free(&b);
	return rc;
}

int vault_file_add_key(const char *path, char *err, size_t errlen)
{
	return rewrite(path, 1, err, errlen);
}

int vault_file_keep_active(const char *path, char *err, size_t errlen)
{
	return rewrite(path, 0, err, errlen);
}
