/* upload.c: uploaded images: rows, files written durably under random names, cleaned file names. */
#include "model/upload.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/msg.h"
#include "core/util.h"
#include "io/image.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void upload_new_token(char out[UPLOAD_TOKEN_LEN + 1])
{
	util_random_hex(out, UPLOAD_TOKEN_LEN / 2);
}

int upload_token_valid(const char *s)
{
	return s && strlen(s) == UPLOAD_TOKEN_LEN &&
	       strspn(s, "0123456789abcdef") == UPLOAD_TOKEN_LEN;
}

/* ---- names --------------------------------------------------------------- */

/* Length of the UTF-8 sequence at p (at most n bytes), 0 when invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
	if (p[0] < 0xc2 || p[0] > 0xf4 || len > n || !util_utf8_clean((const char *)p, len))
		return 0;
	uint32_t v = p[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++)
		v = v << 6 | (p[i] & 0x3f);
	*cp = v;
	return len;
}

static int unwanted(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||     /* C1 controls */
	       cp == 0x200e || cp == 0x200f ||   /* LRM, RLM */
	       (cp >= 0x202a && cp <= 0x202e) || /* embeddings and overrides */
	       (cp >= 0x2066 && cp <= 0x2069) || /* isolates */
	       cp == 0xfeff;                     /* BOM, zero-width no-break space */
}

static int trim_char(char c)
{
	return c == ' ' || c == '.';
}

void upload_clean_name(const char *name, const char *content_type, char out[UPLOAD_NAME_SIZE])
{
	const char *ext = content_type && strcmp(content_type, "image/png") == 0 ? ".png" : ".jpg";
	const char *base = name ? name : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;

	/* Cleaned copy, at most UPLOAD_NAME_MAX - 4 code points. */
	char tmp[(UPLOAD_NAME_MAX - 4) * 4 + 1];
	size_t k = 0, cps = 0, n = strlen(base);
	const unsigned char *p = (const unsigned char *)base;
	for (size_t i = 0; i < n && cps < UPLOAD_NAME_MAX - 4;) {
		size_t len = 1;
		uint32_t cp = p[i];
		int bad = p[i] < 0x20 || p[i] == 0x7f || p[i] == '"';
		if (p[i] >= 0x80) {
			len = utf8_seq(p + i, n - i, &cp);
			bad = len == 0 || unwanted(cp);
			if (len == 0)
				len = 1;
		}
		if (bad) {
			tmp[k++] = '_';
		} else {
			memcpy(tmp + k, p + i, len);
			k += len;
		}
		i += len;
		cps++;
	}
	tmp[k] = '\0';

	/* Trim, drop the extension (the last '.' after the first character),
	 * trim again. */
	char *s = tmp;
	while (trim_char(*s))
		s++;
	char *dot = strrchr(s, '.');
	if (dot && dot > s)
		*dot = '\0';
	size_t len = strlen(s);
	while (len && trim_char(s[len - 1]))
		s[--len] = '\0';
	snprintf(out, UPLOAD_NAME_SIZE, "%s%s", len ? s : "upload", ext);
}

void upload_dir_default(const char *db_url, char *out, size_t outlen)
{
	assert(out && outlen);
	if (!db_url || strncmp(db_url, "postgres://", 11) == 0 ||
	    strncmp(db_url, "postgresql://", 13) == 0) {
		snprintf(out, outlen, "var/uploads");
		return;
	}
	const char *slash = strrchr(db_url, '/');
	if (!slash)
		snprintf(out, outlen, "uploads");
	else if (slash == db_url)
		snprintf(out, outlen, "/uploads");
	else
		snprintf(out, outlen, "%.*s/uploads", (int)(slash - db_url), db_url);
}

/* ---- files --------------------------------------------------------------- */

int upload_file_store(const char *dir, const char *token, const void *data, size_t len, char *err,
                      size_t errlen)
{
	assert(dir && upload_token_valid(token) && (data || !len));
	/* The default folder of a server database is var/uploads under the
	 * working folder (upload_dir_default): var/ is made too, as the
	 * database's own folder is for a file database. */
	int made = mkdir(dir, 0700);
	if (made != 0 && errno == ENOENT) {
		char parent[512];
		snprintf(parent, sizeof parent, "%s", dir);
		char *slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = '\0';
			if (mkdir(parent, 0750) == 0 || errno == EEXIST)
				made = mkdir(dir, 0700);
		}
	}
	if (made != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	char tmp[UPLOAD_TOKEN_LEN + 8];
	snprintf(tmp, sizeof tmp, ".tmp-%s", token);
	int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a file in %s: %s", dir, strerror(errno));
		close(dfd);
		return -1;
	}
	const char *c = data;
	size_t left = len;
	int rc = 0;
	while (left && rc == 0) {
		ssize_t k = write(fd, c, left);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			rc = -1;
			break;
		}
		c += k;
		left -= (size_t)k;
	}
	if (rc == 0 && fsync(fd) != 0)
		rc = -1;
	int saved = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	/* Never replace a file: a token is used once. Where the file system
	 * cannot rename that way, a hard link refuses an existing name too. */
	if (rc == 0 && renameat2(dfd, tmp, dfd, token, RENAME_NOREPLACE) != 0) {
		if ((errno == EINVAL || errno == ENOSYS) && linkat(dfd, tmp, dfd, token, 0) == 0) {
			unlinkat(dfd, tmp, 0);
		} else {
			rc = -1;
			saved = errno;
		}
	}
	if (rc != 0) {
		unlinkat(dfd, tmp, 0);
		snprintf(err, errlen, "cannot store an upload in %s: %s", dir, strerror(saved));
		close(dfd);
		return -1;
	}
	/* The rename itself is durable only once the folder is synced. */
	if (fsync(dfd) != 0) {
		saved = errno;
		unlinkat(dfd, token, 0);
		snprintf(err, errlen, "cannot sync %s: %s", dir, strerror(saved));
		close(dfd);
		return -1;
	}
	close(dfd);
	return 0;
}

int upload_file_remove(const char *dir, const char *token)
{
	if (!upload_token_valid(token)) {
		errno = EINVAL;
		return -1;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	int rc = unlinkat(dfd, token, 0);
	int saved = errno;
	close(dfd);
	errno = saved;
	return rc == 0 ? 0 : -1;
}

int upload_file_read(const char *dir, const char *token, int64_t expect, buf *out)
{
	if (!upload_token_valid(token) || expect < 0) {
		errno = EINVAL;
		return -1;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	int fd = openat(dfd, token, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int saved = errno;
	close(dfd);
	errno = saved;
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != expect) {
		close(fd);
		errno = EIO;
		return -1;
	}
	buf_reserve(out, (size_t)expect);
	size_t left = (size_t)expect;
	while (left) {
		ssize_t k = read(fd, out->data + out->len, left);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			saved = k < 0 ? errno : EIO;
			close(fd);
			errno = saved;
			return -1;
		}
		out->len += (size_t)k;
		left -= (size_t)k;
	}
	out->data[out->len] = '\0';
	close(fd);
	return 0;
}

/* ---- rows ---------------------------------------------------------------- */

int upload_insert(db *d, struct upload *u)
{
	assert(d && u && upload_token_valid(u->token));
	u->created_at = clock_now();
	db_stmt *s = db_prepare(
	        d, "INSERT INTO uploads (org_id, token, original_name, content_type, bytes, width, "
	           "height, blake2b, created_by, created_at) VALUES (:org, :token, :name, :type, "
	           ":bytes, :width, :height, :hash, :by, :at) RETURNING id");
	db_bind_int(s, "org", u->org_id);
	db_bind_text(s, "token", u->token);
	db_bind_text(s, "name", u->original_name);
	db_bind_text(s, "type", u->content_type);
	db_bind_int(s, "bytes", u->bytes);
	db_bind_int(s, "width", u->width);
	db_bind_int(s, "height", u->height);
	db_bind_text(s, "hash", u->blake2b);
	if (u->created_by > 0)
		db_bind_int(s, "by", u->created_by);
	else
		db_bind_null(s, "by");
	db_bind_int(s, "at", u->created_at);
	int rc = db_step(s);
	if (rc == DB_ROW)
		u->id = db_col_int(s, 0);
	db_finalize(s);
	return rc == DB_ROW ? DB_OK : rc;
}

int upload_by_token(db *d, const char *token, struct upload *u)
{
	assert(d && u);
	if (!upload_token_valid(token))
		return DB_DONE;
	db_stmt *s = db_prepare(d, "SELECT id, org_id, token, original_name, content_type, bytes, "
	                           "width, height, blake2b, created_by, created_at FROM uploads "
	                           "WHERE token = :token");
	db_bind_text(s, "token", token);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		memset(u, 0, sizeof *u);
		u->id = db_col_int(s, 0);
		u->org_id = db_col_int(s, 1);
		snprintf(u->token, sizeof u->token, "%s", db_col_text(s, 2));
		snprintf(u->original_name, sizeof u->original_name, "%s", db_col_text(s, 3));
		snprintf(u->content_type, sizeof u->content_type, "%s", db_col_text(s, 4));
		u->bytes = db_col_int(s, 5);
		u->width = (int)db_col_int(s, 6);
		u->height = (int)db_col_int(s, 7);
		snprintf(u->blake2b, sizeof u->blake2b, "%s", db_col_text(s, 8));
		u->created_by = db_col_is_null(s, 9) ? 0 : db_col_int(s, 9);
		u->created_at = db_col_int(s, 10);
	}
	db_finalize(s);
	return rc;
}

int upload_store_image(const void *data, size_t len, const char *filename, size_t max_bytes,
                       int64_t max_pixels, int64_t org_id, int64_t created_by, const char *dir,
                       struct upload *u, const char **msg)
{
	buf img;
	buf_init(&img);
	struct image_info info;
	const char *err = NULL;
	int irc = image_reencode(data, len, max_bytes, max_pixels, &img, &info, &err);
	if (irc != IMAGE_OK) {
		buf_free(&img);
		*msg = err ? err : N_("The picture cannot be used. Choose a JPEG or PNG file.");
		return irc;
	}
	memset(u, 0, sizeof *u);
	upload_new_token(u->token);
	u->org_id = org_id;
	u->created_by = created_by;
	snprintf(u->content_type, sizeof u->content_type, "%s", image_mime(info.type));
	upload_clean_name(filename, u->content_type, u->original_name);
	u->bytes = (int64_t)img.len;
	u->width = info.width;
	u->height = info.height;
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)img.data, img.len, NULL, 0);
	util_hex(h, sizeof h, u->blake2b);
	char ferr[512];
	int rc = upload_file_store(dir, u->token, img.data, img.len, ferr, sizeof ferr);
	buf_free(&img);
	if (rc != 0) {
		log_event(LOG_ERROR, "upload", "%s", ferr);
		*msg = N_("The picture could not be stored. Please try again later.");
		return 1;
	}
	return 0;
}
