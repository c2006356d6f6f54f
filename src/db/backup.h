/* backup.h: encrypted, consistent online backups of the database, and their checked restore. */
#ifndef VP_BACKUP_H
#define VP_BACKUP_H

#include "core/vault.h"
#include "db/db.h"

#include <stddef.h>
#include <stdint.h>

/* A backup is one file, "VPBACKUP1" format, all numbers little endian:
 *
 *   magic          10 bytes  "VPBACKUP1\n"
 *   header         88 bytes  key_id u32, created i64 (seconds since the
 *                            epoch), schema u32 (highest migration applied),
 *                            plain_bytes u64 (size of the database copy),
 *                            plain_hash[32] (BLAKE2b-256 of the copy),
 *                            key_check[16], header_check[16]
 *   stream header  24 bytes  crypto_secretstream_xchacha20poly1305
 *   chunks                   64 KiB of the copy each, + 17 bytes; the last
 *                            one shorter (or empty) and tagged FINAL
 *
 * The stream key is derived from the vault key the header names
 * (crypto_kdf_derive_from_key, context "vpbackup", subkey 1). The first
 * chunk carries magic and header as additional data, so a changed header
 * does not decrypt, and secretstream chains the chunks, so none can be
 * dropped, repeated or reordered, and a missing FINAL tag shows a cut.
 * key_check (BLAKE2b-128 of a fixed text, keyed with subkey 2) and
 * header_check (unkeyed BLAKE2b-128 of magic and the fields before it)
 * protect nothing; they tell "wrong key file" and "damaged header" apart
 * from other damage, for clearer messages.
 *
 * A backup is only as secret as the key file, and only as useful: restoring
 * needs the key file that holds the key with the backup's key id, which
 * after `vertelpunt key rotate` is no longer the current one. Keep the key
 * file apart from the backups, and keep old key files as long as the
 * backups made with them (docs/backup.md). */

enum { BACKUP_HASH_HEX = 65 };

struct backup_info {
	uint32_t key_id;
	int64_t created;                     /* seconds since the epoch */
	int schema;                          /* highest migration applied in the copy */
	uint64_t plain_bytes;                /* size of the database copy */
	uint64_t file_bytes;                 /* size of the backup file */
	char plain_blake2b[BACKUP_HASH_HEX]; /* BLAKE2b-256 of the copy, hex */
	char file_sha256[BACKUP_HASH_HEX];   /* SHA-256 of the backup file, hex (sha256sum) */
};

/* Writes an encrypted backup of d to out_path with the vault's active key.
 * The online copy goes to a temporary file (mode 0600, locked while in use)
 * in work_dir (NULL: the folder of out_path), is hashed, encrypted into a
 * temporary file next to out_path, fsynced and renamed into place; the
 * copy in clear is removed on every path out, and copies left by a killed
 * run are removed by the next one. An existing out_path is replaced only
 * with overwrite. d must be a migrated Vertelpunt database, not inside a
 * transaction, and not used by another thread meanwhile. Returns 0 and
 * fills info, or -1 with a one-line message in err. */
int backup_write(db *d, const vault *v, const char *out_path, const char *work_dir, int overwrite,
                 struct backup_info *info, char *err, size_t errlen);

/* Checks a backup as a restore would, without installing it: decrypts to a
 * temporary file in work_dir (NULL: $TMPDIR or /tmp), verifies every chunk,
 * the FINAL tag, length and hash, then opens the copy and runs the
 * database's integrity check and looks for schema_migrations. The copy is
 * removed afterwards. Returns 0 and fills info, or -1 with err. */
int backup_verify(const vault *v, const char *in_path, const char *work_dir,
                  struct backup_info *info, char *err, size_t errlen);

/* Restores a backup to target_db_path after the checks of backup_verify,
 * made on a temporary file next to the target, which is then moved into
 * place (mode 0600) with one link or rename. Without force, refuses when
 * the target exists. With force, still refuses while the target has a
 * -wal, -shm or -journal file (a server has it open, or crashed: start and
 * stop it once); the old file is kept as TARGET.before-restore-TIME, whose
 * path goes to previous (previous[0] = '\0' when there was none). Nothing
 * is written at the target when a check fails. Returns 0, or -1 with err. */
int backup_restore(const vault *v, const char *in_path, const char *target_db_path, int force,
                   struct backup_info *info, char *previous, size_t previous_len, char *err,
                   size_t errlen);

/* Removes the temporary files of a backup, verify or restore in progress.
 * Async-signal-safe: for a SIGINT/SIGTERM handler, so an interrupted run
 * leaves no copy of the database in clear. */
void backup_remove_pending(void);

#endif
