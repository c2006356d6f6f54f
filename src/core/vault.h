/* vault.h: encryption at rest of personal data, with keys kept in a file outside the database. */
#ifndef VP_VAULT_H
#define VP_VAULT_H

#include "core/buf.h"

#include <stddef.h>
#include <stdint.h>

/* A vault holds the keys of one installation, read from its key file (by
 * default next to the database: var/vertelpunt.db -> var/vertelpunt.key;
 * permissions 0600, refused when group or others may read it).
 *
 * The key file is text, one key per line, oldest first:
 *     vpkey1 <id> <64 hex digits>
 * The last line is the active key: new values are sealed with it; older keys
 * only open values sealed before a rotation (see `vertelpunt key rotate`).
 *
 * A sealed value is binary: version byte 1, the key id (4 bytes, little
 * endian), a 24-byte random nonce, then the XChaCha20-Poly1305 ciphertext
 * with its 16-byte tag (libsodium crypto_aead_xchacha20poly1305_ietf). The
 * associated data names the value's place ("participant:42:email"), so a
 * sealed value copied to another row or field does not open. */
typedef struct vault vault;

enum {
	VAULT_KEY_BYTES = 32,
	VAULT_OVERHEAD = 1 + 4 + 24 + 16, /* sealed length = plain length + this */
	VAULT_MAX_KEYS = 16,
};

/* The default key file for a database path ("x.db" -> "x.key", else
 * path + ".key"); NULL for a URL (a key file must then be named). Caller
 * frees. */
char *vault_default_path(const char *db_path);
/* Creates a key file with one fresh key (O_EXCL, mode 0600, fsynced).
 * Fails if the file exists. */
int vault_create_file(const char *path, char *err, size_t errlen);
/* Reads a key file. NULL with a message on failure. */
vault *vault_load(const char *path, char *err, size_t errlen);
void vault_free(vault *v);
uint32_t vault_active_id(const vault *v);
/* The active key's bytes (for stream encryption of backups); 32 bytes. */
const unsigned char *vault_active_key(const vault *v);
/* The key with id, or NULL. */
const unsigned char *vault_key(const vault *v, uint32_t id);

/* Seals n bytes of plain with the active key and ad; appends to out. */
void vault_seal(const vault *v, const void *plain, size_t n, const char *ad, buf *out);
/* Opens a sealed value; appends the plain bytes to out (NUL-terminated as
 * buf always is). Returns 0, or -1 when it is damaged, sealed for another
 * place (ad), or sealed with a key the vault no longer has. */
int vault_open(const vault *v, const void *sealed, size_t n, const char *ad, buf *out);
/* The id of the key a sealed value was made with (0 if malformed). */
uint32_t vault_sealed_key_id(const void *sealed, size_t n);

/* A blind index: a keyed hash (BLAKE2b-256, key derived from the active
 * key for the purpose "index") of an already normalised value, as 64 hex
 * digits, so a contact detail can be found without storing it in clear. */
void vault_blind_index(const vault *v, const char *purpose, const char *normalised, char out[65]);

/* Rotation, in two steps so a crash in between loses nothing:
 * vault_file_add_key appends a new active key to the file (written to a
 * temporary file, fsynced, renamed); after every value was re-sealed,
 * vault_file_keep_active rewrites the file with only the active key. */
int vault_file_add_key(const char *path, char *err, size_t errlen);
int vault_file_keep_active(const char *path, char *err, size_t errlen);

#endif
