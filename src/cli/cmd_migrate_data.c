/* cmd_migrate_data.c: `vertelpunt migrate-data`: moves a SQLite installation to PostgreSQL and verifies it. */
#include "cli/cli.h"
#include "db/copy.h"
#include "db/migrate.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Exit codes beyond 0 (done) and 1 (an error, said on stderr). */
enum { EXIT_TARGET_HAS_DATA = 2, EXIT_MISMATCH = 3 };

static const char *CMD = "migrate-data";

static int is_pg_url(const char *url)
{
	return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

static void on_progress(void *ctx, const char *table, int64_t rows)
{
	fprintf(stderr, "vertelpunt %s: %s: %lld rows\n", CMD, table, (long long)rows);
}

/* A database's message on one line (PostgreSQL's has a CONTEXT line). */
static const char *one_line(char *msg)
{
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	return msg;
}

/* The comparison as a table on stdout; 1 when every line matches. */
static int print_result(const struct copy_result *res)
{
	int bad = 0;
	printf("%-28s %10s  %-32s  %s\n", "table", "rows", "checksum", "ok");
	for (size_t i = 0; i < res->n; i++) {
		const struct copy_table *c = &res->tables[i];
		printf("%-28s %10lld  %-32s  %s\n", c->name, (long long)c->rows_from, c->sum_from,
		       c->ok ? "ok" : "DIFFERENT");
		if (!c->ok) {
			printf("%-28s %10lld  %-32s  (target)\n", "", (long long)c->rows_to,
			       c->sum_to);
			bad++;
		}
	}
	if (bad)
		printf("%d of %zu tables differ\n", bad, res->n);
	else
		printf("all %zu tables match\n", res->n);
	fflush(stdout);
	return bad == 0;
}

/* Opens the source read-only in spirit: it must exist, be a Vertelpunt
 * database and be at this program's schema version (nothing is written). */
static db *open_source(const char *path)
{
	if (access(path, R_OK) != 0) {
		cli_fail(CMD, "no database file at %s", path);
		return NULL;
	}
	char err[512];
	db *d = db_open(path, err, sizeof err);
	if (!d) {
		cli_fail(CMD, "cannot open %s: %s", path, err);
		return NULL;
	}
	int has = db_table_exists(d, "schema_migrations");
	if (has != 1) {
		cli_fail(CMD, "%s is not a Vertelpunt database%s%s", path, has < 0 ? ": " : "",
		         has < 0 ? db_errmsg(d) : "");
		db_close(d);
		return NULL;
	}
	int v = migrate_current(d), latest = migrate_latest();
	if (v != latest) {
		if (v < latest)
			cli_fail(CMD,
			         "%s is at schema version %d, this program at %d: first run "
			         "'vertelpunt migrate --db %s' (stop its server first), then try "
			         "again",
			         path, v, latest, path);
		else
			cli_fail(
			        CMD,
			        "%s is at schema version %d, newer than this program (%d): use the "
			        "vertelpunt that wrote it",
			        path, v, latest);
		db_close(d);
		return NULL;
	}
	return d;
}

int cmd_migrate_data(int argc, char **argv)
{
	const char *from = NULL, *to = NULL;
	int verify_only = 0, bad = 0, ch;
	static const struct option opts[] = {{"from", required_argument, 0, 'f'},
	                                     {"to", required_argument, 0, 't'},
	                                     {"verify-only", no_argument, 0, 'v'},
	                                     {0}};
	optind = 1;
	opterr = 0;
	while ((ch = cli_next_opt(CMD, argc, argv, opts, &bad)) != -1) {
		if (bad)
			return 1;
		if (ch == 'f')
			from = optarg;
		else if (ch == 't')
			to = optarg;
		else if (ch == 'v')
			verify_only = 1;
	}
	if (optind < argc)
		return cli_fail(CMD, "unexpected argument '%s'", argv[optind]);
	if (!from || !*from || !to || !*to)
		return cli_fail(CMD, "--from FILE and --to postgres://... are both needed; see "
		                     "'vertelpunt help migrate-data'");
	if (is_pg_url(from) || strstr(from, "://"))
		return cli_fail(CMD, "--from must be a SQLite database file, not a URL");
	if (!is_pg_url(to))
		return cli_fail(CMD, "--to must be a PostgreSQL URL "
		                     "(postgres://USER@HOST:PORT/NAME)");
	db *src = open_source(strncmp(from, "sqlite:", 7) == 0 ? from + 7 : from);
	if (!src)
		return 1;
	char err[512];
	db *dst = db_open(to, err, sizeof err);
	if (!dst) {
		db_close(src);
		return cli_fail(CMD, "cannot connect to the PostgreSQL database: %s",
		                one_line(err));
	}
	int rc;
	struct copy_result res = {0};
	if (verify_only) {
		int v = migrate_current(dst);
		if (v != migrate_latest()) {
			rc = cli_fail(
			        CMD,
			        "the target is at schema version %d, not %d: nothing to verify", v,
			        migrate_latest());
			goto out;
		}
		rc = copy_verify(src, dst, &res, err, sizeof err);
		if (rc < 0) {
			rc = cli_fail(CMD, "%s", one_line(err));
			goto out;
		}
		rc = print_result(&res) ? 0 : EXIT_MISMATCH;
		if (rc)
			cli_fail(CMD, "the target differs from the source (see the table)");
		goto out;
	}
	/* The target gets this program's schema first, then must be empty. */
	if (migrate_apply(dst, NULL, err, sizeof err)) {
		rc = cli_fail(CMD, "cannot bring the target to schema version %d: %s",
		              migrate_latest(), one_line(err));
		goto out;
	}
	int empty = copy_check_target(src, dst, err, sizeof err);
	if (empty != 0) {
		cli_fail(
		        CMD, "%s%s", one_line(err),
		        empty > 0
		                ? "; nothing was copied (migrate-data fills an empty database only)"
		                : "");
		rc = empty > 0 ? EXIT_TARGET_HAS_DATA : 1;
		goto out;
	}
	fprintf(stderr, "vertelpunt %s: copying %s to PostgreSQL in one transaction\n", CMD, from);
	rc = copy_database(src, dst, &res, on_progress, NULL, err, sizeof err);
	if (rc < 0) {
		rc = cli_fail(CMD, "%s; nothing was kept on the target", one_line(err));
		goto out;
	}
	print_result(&res);
	if (rc > 0) {
		cli_fail(CMD, "the copy differs from the source (see the table); nothing was kept "
		              "on the target");
		rc = EXIT_MISMATCH;
	}
out:
	copy_result_free(&res);
	db_close(dst);
	db_close(src);
	return rc;
}
