/* upload.h: uploaded images: their rows, their files in the upload folder, their cleaned names. */
#ifndef VP_UPLOAD_H
#define VP_UPLOAD_H

#include "core/buf.h"
#include "db/db.h"

#include <stddef.h>
#include <stdint.h>

enum {
	UPLOAD_TOKEN_LEN = 32, /* 128 random bits in hex */
	UPLOAD_NAME_MAX = 100, /* code points of a cleaned name, extension included */
	UPLOAD_NAME_SIZE = UPLOAD_NAME_MAX * 4 + 1
};

struct upload {
	int64_t id;
	int64_t org_id;
	char token[UPLOAD_TOKEN_LEN + 1];
	char original_name[UPLOAD_NAME_SIZE];
	char content_type[16]; /* "image/jpeg" or "image/png" */
	int64_t bytes;
	int width, height;
	char blake2b[65];   /* hex of the stored file's BLAKE2b-256 */
	int64_t created_by; /* 0 when the account is gone */
	int64_t created_at;
};

/* A fresh token: 32 lower-case hex digits from libsodium's generator. */
void upload_new_token(char out[UPLOAD_TOKEN_LEN + 1]);
/* 1 when s has the form of a token (so it is safe as a file name). */
int upload_token_valid(const char *s);

/* Cleans the file name a browser sent, for storage and for
 * Content-Disposition: keeps only what follows the last '/' or '\';
 * replaces control characters (C0, DEL, C1), '"', bidirectional overrides
 * and invalid UTF-8 by '_'; trims spaces and dots at both ends; drops the
 * extension and puts on the one of content_type (".jpg", ".png"), so the
 * name never claims another type; at most UPLOAD_NAME_MAX code points;
 * "upload" when nothing is left. name may be NULL. out has
 * UPLOAD_NAME_SIZE bytes. */
void upload_clean_name(const char *name, const char *content_type, char out[UPLOAD_NAME_SIZE]);

/* The default upload folder for a database URL: "uploads" in the folder of
 * the database file ("var/vertelpunt.db" -> "var/uploads"), or
 * "var/uploads" for a server database (postgres://). */
void upload_dir_default(const char *db_url, char *out, size_t outlen);

/* Stores data as dir/token: creates dir (mode 0700) when missing, writes
 * a temporary file dir/.tmp-TOKEN (0600, O_EXCL), fsyncs it, renames it to
 * dir/token without replacing an existing file, and fsyncs the folder. Do
 * this before the row commits, and upload_file_remove when it does not.
 * Returns 0, or -1 with a message in err (nothing is left behind). */
int upload_file_store(const char *dir, const char *token, const void *data, size_t len, char *err,
                      size_t errlen);
/* Removes dir/token. 0, or -1 (errno set). */
int upload_file_remove(const char *dir, const char *token);
/* Appends the contents of dir/token to out when it is a regular file of
 * exactly expect bytes (not a symbolic link). 0, or -1 (errno set; EIO
 * for a size that differs). */
int upload_file_read(const char *dir, const char *token, int64_t expect, buf *out);

/* An image as sent (file name filename, may be NULL): re-encoded without
 * its metadata (io/image.h: at most max_bytes and max_pixels), stored under
 * a new token in dir (upload_file_store), and u filled for upload_insert
 * (org_id and created_by as given). 0; or image_reencode's IMAGE_* code
 * (< 0) when the image is refused, or 1 when it could not be stored (the
 * reason logged), each with *msg an English message id for the sender and
 * nothing left behind. */
int upload_store_image(const void *data, size_t len, const char *filename, size_t max_bytes,
                       int64_t max_pixels, int64_t org_id, int64_t created_by, const char *dir,
                       struct upload *u, const char **msg);

/* Inserts u (everything but id and created_at, which are set). Runs in a
 * writer job. DB_OK, or a db_rc error. */
int upload_insert(db *d, struct upload *u);
/* DB_ROW and u filled when the token exists, DB_DONE when not. */
int upload_by_token(db *d, const char *token, struct upload *u);

#endif
