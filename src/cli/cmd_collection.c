/* cmd_collection.c: `vertelpunt collection`: publish a script version for a purpose and a period, list and close collections. */
#include "cli/cli.h"
#include "core/util.h"
#include "db/writer.h"
#include "model/collection.h"
#include "model/script_store.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CMD "collection"

/* "YYYY-MM-DD" as the start of that day in UTC; -1 when malformed. */
static int64_t parse_day(const char *s)
{
	struct tm tm = {0};
	const char *end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end || strlen(s) != 10)
		return -1;
	return (int64_t)timegm(&tm);
}

static int cmd_add(const char *url, int argc, char **argv)
{
	static const struct option opts[] = {{"script", required_argument, 0, 's'},
	                                     {"version", required_argument, 0, 'v'},
	                                     {"title", required_argument, 0, 't'},
	                                     {"purpose", required_argument, 0, 'p'},
	                                     {"from", required_argument, 0, 'f'},
	                                     {"until", required_argument, 0, 'u'},
	                                     {"retention", required_argument, 0, 'r'},
	                                     {"trajectory", required_argument, 0, 'j'},
	                                     {0}};
	struct collection_new cn = {.retention_days = COLLECTION_RETENTION_DEFAULT};
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int64_t v = 0;
		switch (ch) {
		case 's':
			if (util_parse_id(optarg, &cn.script_id))
				return cli_fail(CMD, "--script wants a script id");
			break;
		case 'v':
			if (util_parse_i64(optarg, &v) || v < 1 || v > 1000000)
				return cli_fail(CMD, "--version wants a version number");
			cn.script_version = (int)v;
			break;
		case 't': cn.title = optarg; break;
		case 'p': cn.purpose = optarg; break;
		case 'f':
			if ((cn.starts_at = parse_day(optarg)) < 0)
				return cli_fail(CMD, "--from wants a date as YYYY-MM-DD");
			break;
		case 'u':
			/* until and including that day */
			if ((cn.ends_at = parse_day(optarg)) < 0)
				return cli_fail(CMD, "--until wants a date as YYYY-MM-DD");
			cn.ends_at += 86400;
			break;
		case 'r':
			if (util_parse_i64(optarg, &v) || v < 1 || v > 36500)
				return cli_fail(CMD,
				                "--retention wants a number of days (1-36500)");
			cn.retention_days = (int)v;
			break;
		case 'j':
			if (util_parse_id(optarg, &cn.trajectory_id))
				return cli_fail(CMD, "--trajectory wants a trajectory id");
			break;
		default: return cli_fail(CMD, "see `vertelpunt help collection`");
		}
	}
	if (optind < argc)
		return cli_fail(CMD, "unexpected argument '%s'", argv[optind]);
	if (!cn.script_id || !cn.title || !cn.purpose)
		return cli_fail(CMD, "usage: vertelpunt collection add --script ID [--version N] "
		                     "--title TITLE --purpose PURPOSE [--from DATE] [--until DATE] "
		                     "[--retention DAYS] [--trajectory ID]");
	const char *bad = collection_check(&cn);
	if (bad)
		return cli_fail(CMD, "%s", bad);
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	cn.org_id = cli_first_org(d);
	if (!cn.script_version) {
		/* The newest version that can collect. */
		db_stmt *s = db_prepare(d, "SELECT max(version) FROM script_versions WHERE "
		                           "script_id = :sid AND status IN ('pilot', 'published')");
		db_bind_int(s, "sid", cn.script_id);
		if (db_step(s) == DB_ROW)
			cn.script_version = (int)db_col_int(s, 0);
		db_finalize(s);
	}
	db_close(d);
	if (!cn.script_version)
		return cli_fail(CMD, "script %lld has no version in pilot or published",
		                (long long)cn.script_id);
	if (cli_run_job(CMD, url, collection_create_write, &cn))
		return cli_fail(CMD, "could not store the collection");
	if (cn.result == COLLECTION_NO_SCRIPT)
		return cli_fail(CMD, "no script %lld with version %d", (long long)cn.script_id,
		                cn.script_version);
	if (cn.result == COLLECTION_NOT_READY)
		return cli_fail(CMD, "version %d is not in pilot or published", cn.script_version);
	if (cn.result == COLLECTION_NO_TRAJECTORY)
		return cli_fail(CMD, "no trajectory %lld", (long long)cn.trajectory_id);
	buf out;
	buf_init(&out);
	buf_printf(&out,
	           "{\"id\":%lld,\"token\":\"%s\",\"short_code\":\"%.4s-%.4s\",\"link\":\"/v/%s\","
	           "\"script\":{\"id\":%lld,\"version\":%d}}",
	           (long long)cn.id, cn.token, cn.short_code, cn.short_code + 4, cn.token,
	           (long long)cn.script_id, cn.script_version);
	cli_print(&out);
	return 0;
}

static int cmd_list(const char *url)
{
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	buf out;
	buf_init(&out);
	int rc = collection_list_json(d, cli_first_org(d), 0, &out);
	db_close(d);
	if (rc != DB_OK) {
		buf_free(&out);
		return cli_fail(CMD, "could not read the collections");
	}
	cli_print(&out);
	return 0;
}

static int cmd_close(const char *url, int argc, char **argv)
{
	struct collection_close cc = {0};
	if (argc != 2 || util_parse_id(argv[1], &cc.id))
		return cli_fail(CMD, "usage: vertelpunt collection close ID");
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	cc.org_id = cli_first_org(d);
	db_close(d);
	if (cli_run_job(CMD, url, collection_close_write, &cc))
		return cli_fail(CMD, "could not close the collection");
	if (cc.result != COLLECTION_OK)
		return cli_fail(CMD, "no collection %lld", (long long)cc.id);
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"id\":%lld,\"closed\":true}", (long long)cc.id);
	cli_print(&out);
	return 0;
}

int cmd_collection(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	if (argc < 2)
		return cli_fail(CMD, "which action? (see `vertelpunt help collection`)");
	const char *action = argv[1];
	argc--, argv++;
	if (strcmp(action, "add") == 0)
		return cmd_add(url, argc, argv);
	if (strcmp(action, "list") == 0 && argc == 1)
		return cmd_list(url);
	if (strcmp(action, "close") == 0)
		return cmd_close(url, argc, argv);
	return cli_fail(CMD, "%s: unknown action (see `vertelpunt help collection`)", action);
}
