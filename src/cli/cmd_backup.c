/* cmd_backup.c: `vertelpunt backup` and `vertelpunt restore`: encrypted backups, checked restores. */
#include "cli/cli.h"
#include "core/clock.h"
#include "db/backup.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An interrupted backup or restore removes its temporary copy (the one in
 * clear, too) before it dies of the signal. */
static void on_signal(int sig)
{
	backup_remove_pending();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void guard_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* The file path of a database URL, or NULL for a server URL. */
static const char *db_file_path(const char *url)
{
	if (strstr(url, "://"))
		return NULL;
	return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* The folder part of path, in out ("." when there is none). */
static void folder_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, n, ".");
	else if (slash == path)
		snprintf(out, n, "/");
	else
		snprintf(out, n, "%.*s", (int)(slash - path), path);
}

static void info_json(buf *b, const struct backup_info *in)
{
	char created[21];
	clock_iso(in->created, created);
	buf_printf(b, ",\"bytes\":%llu,\"db_bytes\":%llu,\"key\":%u,\"schema\":%d,\"created\":",
	           (unsigned long long)in->file_bytes, (unsigned long long)in->plain_bytes,
	           in->key_id, in->schema);
	buf_json_str(b, created);
	buf_puts(b, ",\"sha256\":");
	buf_json_str(b, in->file_sha256);
}

int cmd_backup(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	const char *key = cli_opt_key(&argc, argv, url);
	const char *out = NULL;
	int force = 0, check = 0, bad = 0, ch;
	static const struct option opts[] = {{"out", required_argument, 0, 'o'},
	                                     {"force", no_argument, 0, 'f'},
	                                     {"check", no_argument, 0, 'c'},
	                                     {0}};
	optind = 1;
	opterr = 0;
	while ((ch = cli_next_opt("backup", argc, argv, opts, &bad)) != -1) {
		if (bad)
			return 1;
		if (ch == 'o')
			out = optarg;
		else if (ch == 'f')
			force = 1;
		else if (ch == 'c')
			check = 1;
	}
	if (optind < argc)
		return cli_fail("backup", "unexpected argument '%s'", argv[optind]);
	if (!out || !*out)
		return cli_fail("backup", "--out FILE is missing; see 'vertelpunt help backup'");
	const char *path = db_file_path(url);
	if (path && access(path, F_OK) != 0)
		return cli_fail("backup", "no database at %s", path);
	/* --force must not turn the database or its key into a backup. */
	char wal[4200];
	snprintf(wal, sizeof wal, "%s-wal", path ? path : "");
	if (same_file(out, path) || same_file(out, key) || (path && same_file(out, wal)))
		return cli_fail("backup", "--out %s is the database or its key file", out);
	vault *v = cli_load_vault("backup", key);
	if (!v)
		return 1;
	char err[512];
	db *d = db_open(url, err, sizeof err);
	if (!d) {
		vault_free(v);
		return cli_fail("backup", "%s", err);
	}
	/* The copy in clear is made beside the database, where the data is
	 * anyway, not beside the backup, which may be on other storage. */
	char work[4200];
	if (path)
		folder_of(path, work, sizeof work);
	guard_signals();
	struct backup_info info;
	int rc = backup_write(d, v, out, path ? work : NULL, force, &info, err, sizeof err);
	db_close(d);
	if (rc) {
		vault_free(v);
		return cli_fail("backup", "%s", err);
	}
	if (check) {
		struct backup_info again;
		rc = backup_verify(v, out, path ? work : NULL, &again, err, sizeof err);
		if (rc) {
			vault_free(v);
			return cli_fail("backup", "the backup was written but does not check: %s",
			                err);
		}
	}
	vault_free(v);
	buf b;
	buf_init(&b);
	buf_puts(&b, "{\"file\":");
	buf_json_str(&b, out);
	info_json(&b, &info);
	if (check)
		buf_puts(&b, ",\"checked\":true");
	buf_putc(&b, '}');
	cli_print(&b);
	return 0;
}

int cmd_restore(int argc, char **argv)
{
	const char *from = NULL, *to = NULL, *key = NULL;
	int force = 0, check = 0, bad = 0, ch;
	static const struct option opts[] = {
	        {"from", required_argument, 0, 'f'}, {"to", required_argument, 0, 't'},
	        {"key", required_argument, 0, 'k'},  {"force", no_argument, 0, 'F'},
	        {"check", no_argument, 0, 'c'},      {0}};
	optind = 1;
	opterr = 0;
	while ((ch = cli_next_opt("restore", argc, argv, opts, &bad)) != -1) {
		if (bad)
			return 1;
		switch (ch) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'k': key = optarg; break;
		case 'F': force = 1; break;
		case 'c': check = 1; break;
		default: break;
		}
	}
	if (optind < argc)
		return cli_fail("restore", "unexpected argument '%s'", argv[optind]);
	if (!from || !*from)
		return cli_fail("restore",
		                "--from BACKUP is missing; see 'vertelpunt help restore'");
	if (check && (to || force))
		return cli_fail("restore", "--check only checks; it takes no --to or --force");
	if (!check && (!to || !*to))
		return cli_fail("restore",
		                "--to DBFILE is missing (or use --check); see 'vertelpunt "
		                "help restore'");
	if (to && strstr(to, "://"))
		return cli_fail("restore", "--to must be a database file, not a URL");
	if (!key) {
		key = vault_default_path(to ? to : DEFAULT_DB); /* freed at exit */
		if (access(key, F_OK) != 0)
			return cli_fail("restore",
			                "no key file at %s: name the key file the backup was made "
			                "with, --key FILE",
			                key);
	}
	vault *v = cli_load_vault("restore", key);
	if (!v)
		return 1;
	char err[512];
	struct backup_info info;
	guard_signals();
	buf b;
	buf_init(&b);
	if (check) {
		if (backup_verify(v, from, NULL, &info, err, sizeof err)) {
			vault_free(v);
			buf_free(&b);
			return cli_fail("restore", "%s", err);
		}
		buf_puts(&b, "{\"ok\":true,\"file\":");
		buf_json_str(&b, from);
		info_json(&b, &info);
	} else {
		if (cli_ensure_parent_dir(to)) {
			vault_free(v);
			buf_free(&b);
			return cli_fail("restore", "cannot create the folder of %s: %s", to,
			                strerror(errno));
		}
		char previous[4300];
		if (backup_restore(v, from, to, force, &info, previous, sizeof previous, err,
		                   sizeof err)) {
			vault_free(v);
			buf_free(&b);
			return cli_fail("restore", "%s", err);
		}
		buf_puts(&b, "{\"restored\":");
		buf_json_str(&b, to);
		buf_puts(&b, ",\"from\":");
		buf_json_str(&b, from);
		info_json(&b, &info);
		buf_puts(&b, ",\"previous\":");
		if (previous[0])
			buf_json_str(&b, previous);
		else
			buf_puts(&b, "null");
	}
	vault_free(v);
	buf_putc(&b, '}');
	cli_print(&b);
	return 0;
}
