/* cli.c: helpers shared by the sub-commands. */
#include "cli/cli.h"
#include "db/writer.h"

#include "db/migrate.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cli_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "vertelpunt %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

void cli_print(buf *b)
{
	fwrite(b->data ? b->data : "", 1, b->len, stdout);
	fputc('\n', stdout);
	buf_free(b);
}

const char *cli_opt_db(int *argc, char **argv)
{
	const char *d = DEFAULT_DB;
	int k = 1;
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < *argc) {
			d = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			d = argv[i] + 5;
		} else {
			argv[k++] = argv[i];
		}
	}
	*argc = k;
	argv[k] = NULL;
	return d;
}

int cli_ensure_parent_dir(const char *path)
{
	if (strstr(path, "://"))
		return 0;
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", path);
	char *dir = dirname(tmp);
	if (strcmp(dir, ".") == 0)
		return 0;
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

db *cli_open_migrated(const char *cmd, const char *url)
{
	char err[512];
	db *d = db_open(url, err, sizeof err);
	if (!d) {
		cli_fail(cmd, "%s", err);
		return NULL;
	}
	if (migrate_apply(d, NULL, err, sizeof err)) {
		cli_fail(cmd, "%s", err);
		db_close(d);
		return NULL;
	}
	return d;
}

const char *cli_opt_key(int *argc, char **argv, const char *db_url)
{
	const char *k = NULL;
	int j = 1;
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--key") == 0 && i + 1 < *argc)
			k = argv[++i];
		else if (strncmp(argv[i], "--key=", 6) == 0)
			k = argv[i] + 6;
		else
			argv[j++] = argv[i];
	}
	*argc = j;
	argv[j] = NULL;
	if (k)
		return k;
	/* A process runs one command: one static copy is enough. */
	static char path[4096];
	char *def = vault_default_path(db_url);
	if (!def)
		return NULL;
	snprintf(path, sizeof path, "%s", def);
	free(def);
	return path;
}

vault *cli_load_vault(const char *cmd, const char *key_path)
{
	if (!key_path) {
		cli_fail(cmd, "a database URL needs --key FILE");
		return NULL;
	}
	char err[512];
	vault *v = vault_load(key_path, err, sizeof err);
	if (!v)
		cli_fail(cmd, "%s", err);
	return v;
}

int64_t cli_first_org(db *d)
{
	db_stmt *s = db_prepare(d, "SELECT id FROM organisations ORDER BY id LIMIT 1");
	int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	return id;
}

int cli_read_file(const char *cmd, const char *path, size_t max, buf *b)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return cli_fail(cmd, "%s: %s", path, strerror(errno));
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_append(b, chunk, n);
		if (b->len > max) {
			if (f != stdin)
				fclose(f);
			return cli_fail(cmd, "%s: larger than %zu bytes", path, max);
		}
	}
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad)
		return cli_fail(cmd, "%s: read error", path);
	return 0;
}

int cli_run_job(const char *cmd, const char *url, int (*fn)(db *d, void *ctx), void *job)
{
	char err[256];
	writer *w = writer_start(url, err, sizeof err);
	if (!w)
		return cli_fail(cmd, "%s", err);
	int rc = writer_run(w, fn, job);
	writer_stop(w);
	return rc;
}

int cli_next_opt(const char *cmd, int argc, char **argv, const struct option *opts, int *bad)
{
	int ch = getopt_long(argc, argv, "", opts, NULL);
	if (ch == '?' || ch == ':') {
		const char *what = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
		cli_fail(cmd, "%s '%s'; see 'vertelpunt help %s'",
		         ch == ':' ? "missing value for" : "unknown option", what, cmd);
		*bad = 1;
	}
	return ch;
}
