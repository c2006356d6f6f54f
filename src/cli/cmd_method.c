/* cmd_method.c: `vertelpunt method`: the catalogue of methods (werkvormen) as JSON. */
#include "cli/cli.h"
#include "core/arena.h"
#include "core/util.h"
#include "model/method.h"

#include <string.h>

#define CMD "method"

static int cmd_list(const char *url)
{
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	buf out;
	buf_init(&out);
	int rc = method_list_json(d, &out);
	db_close(d);
	if (rc != DB_OK) {
		buf_free(&out);
		return cli_fail(CMD, "could not read the methods");
	}
	cli_print(&out);
	return 0;
}

/* One method by its id or its slug. */
static int cmd_show(const char *url, const char *key)
{
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	arena *a = arena_new();
	struct method m;
	int64_t id;
	int rc = util_parse_id(key, &id) == 0 ? method_by_id(d, id, a, &m)
	                                      : method_by_slug(d, key, a, &m);
	db_close(d);
	if (rc != DB_ROW) {
		arena_free(a);
		return rc == DB_DONE ? cli_fail(CMD, "no method '%s'", key)
		                     : cli_fail(CMD, "could not read the methods");
	}
	buf out;
	buf_init(&out);
	method_json(&m, &out);
	arena_free(a);
	cli_print(&out);
	return 0;
}

int cmd_method(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	if (argc < 2)
		return cli_fail(CMD, "which action? (see `vertelpunt help method`)");
	const char *action = argv[1];
	if (strcmp(action, "list") == 0 && argc == 2)
		return cmd_list(url);
	if (strcmp(action, "show") == 0 && argc == 3)
		return cmd_show(url, argv[2]);
	if (strcmp(action, "list") == 0 || strcmp(action, "show") == 0)
		return cli_fail(CMD,
		                "usage: vertelpunt method list | vertelpunt method show ID|SLUG");
	return cli_fail(CMD, "%s: unknown action (see `vertelpunt help method`)", action);
}
