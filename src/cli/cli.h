/* cli.h: what the sub-commands share: errors, --db, JSON output, opening a migrated database. */
#ifndef VP_CLI_H
#define VP_CLI_H

#include "core/buf.h"
#include "core/vault.h"
#include "db/db.h"

#include <stddef.h>
#include <stdint.h>

#define DEFAULT_DB "var/vertelpunt.db"

/* "vertelpunt CMD: message" on stderr; returns 1 (the exit status). */
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes b and a newline to stdout, then frees b. */
void cli_print(buf *b);
/* Takes "--db FILE" or "--db=FILE" out of argv (default DEFAULT_DB) and
 * shortens argc accordingly. */
const char *cli_opt_db(int *argc, char **argv);
/* Creates the folder of a database file if it is missing (one level). */
int cli_ensure_parent_dir(const char *path);
/* Opens url and applies pending migrations; NULL after printing an error. */
db *cli_open_migrated(const char *cmd, const char *url);

/* The organisation the command line works for: the first one (0 when
 * `vertelpunt init` has not run). */
int64_t cli_first_org(db *d);
/* Reads a whole file ("-": standard input) of at most max bytes into b.
 * 0, or 1 after printing "vertelpunt CMD: PATH: why". */
int cli_read_file(const char *cmd, const char *path, size_t max, buf *b);
/* Runs one writer job on a writer of its own (started and stopped here):
 * the job's result, or 1 after printing why the writer could not start. */
int cli_run_job(const char *cmd, const char *url, int (*fn)(db *d, void *ctx), void *job);

struct option;
/* getopt_long (set optind = 1 and opterr = 0 first) with our own one-line
 * message for an unknown option or a missing value: then *bad is set and
 * the message printed. */
int cli_next_opt(const char *cmd, int argc, char **argv, const struct option *opts, int *bad);

/* Takes "--key FILE" out of argv; without it, the key file that belongs
 * to the database (vault_default_path). Returns NULL for a database URL
 * without --key. The result is static (or argv's): valid until exit. */
const char *cli_opt_key(int *argc, char **argv, const char *db_url);
/* Loads the key file; NULL after printing an error. */
vault *cli_load_vault(const char *cmd, const char *key_path);

/* `vertelpunt trajectory demo ID USERNAME` (cmd_trajectory_demo.c). */
int cli_trajectory_demo(const char *url, int argc, char **argv);
/* `vertelpunt user link-identity|unlink-identity USERNAME --issuer URL
 * --subject SUB` (cmd_identity.c). */
int cli_user_identity(const char *url, int argc, char **argv, int unlink);

#endif
