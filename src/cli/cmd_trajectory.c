/* cmd_trajectory.c: `vertelpunt trajectory`: start, list, show and staff trajectories (participation processes). */
#include "cli/cli.h"
#include "core/util.h"
#include "http/server.h"
#include "model/upload.h"
#include "model/trajectory.h"
#include "model/user.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "trajectory"

static int print_json(json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT);
	if (!text)
		abort();
	buf out;
	buf_init(&out);
	buf_puts(&out, text);
	free(text);
	cli_print(&out);
	return 0;
}

/* The fields of add, from its options. Returns 0, or 1 after cli_fail. */
static int parse_fields(int argc, char **argv, struct trajectory_fields *f, const char **picture)
{
	static const struct option opts[] = {{"title", required_argument, 0, 't'},
	                                     {"question", required_argument, 0, 'q'},
	                                     {"scope", required_argument, 0, 's'},
	                                     {"ladder", required_argument, 0, 'l'},
	                                     {"target-group", required_argument, 0, 'g'},
	                                     {"rationale", required_argument, 0, 'r'},
	                                     {"contact", required_argument, 0, 'c'},
	                                     {"from", required_argument, 0, 'f'},
	                                     {"until", required_argument, 0, 'u'},
	                                     {"retention", required_argument, 0, 'd'},
	                                     {"publish", no_argument, 0, 'p'},
	                                     {"picture", required_argument, 0, 'i'},
	                                     {"picture-alt", required_argument, 0, 'a'},
	                                     {0}};
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int64_t v = 0;
		switch (ch) {
		case 't': f->title = optarg; break;
		case 'q': f->question = optarg; break;
		case 's': f->scope = optarg; break;
		case 'l': f->ladder = optarg; break;
		case 'g': f->target_group = optarg; break;
		case 'r': f->selection_rationale = optarg; break;
		case 'c': f->contact_route = optarg; break;
		case 'f': f->starts_on = optarg; break;
		case 'u': f->ends_on = optarg; break;
		case 'd':
			if (util_parse_i64(optarg, &v) || v < 1 || v > 36500)
				return cli_fail(CMD,
				                "--retention wants a number of days (1-36500)");
			f->retention_days = (int)v;
			break;
		case 'p': f->published = 1; break;
		case 'i': *picture = optarg; break;
		case 'a': f->material_alt = optarg; break;
		default: return cli_fail(CMD, "see `vertelpunt help trajectory`");
		}
	}
	if (optind < argc)
		return cli_fail(CMD, "unexpected argument '%s'", argv[optind]);
	if (!f->title)
		return cli_fail(CMD, "usage: vertelpunt trajectory add --title SUBJECT [...]");
	const char *bad = trajectory_check(f);
	if (bad)
		return cli_fail(CMD, "%s", bad);
	if (*picture && util_blank(f->material_alt))
		return cli_fail(CMD, "describe the picture with --picture-alt TEXT, for people who "
		                     "cannot see it");
	return 0;
}

/* A new trajectory with its picture (the upload's row first). */
struct add_job {
	struct trajectory_new t;
	struct upload up;
	int has_picture;
};

static int add_write(db *d, void *ctx)
{
	struct add_job *j = ctx;
	int rc = j->has_picture ? upload_insert(d, &j->up) : DB_OK;
	return rc == DB_OK ? trajectory_create_write(d, &j->t) : rc;
}

static int cmd_add(const char *url, int argc, char **argv)
{
	struct add_job j = {0};
	const char *picture = NULL;
	if (parse_fields(argc, argv, &j.t.f, &picture))
		return 1;
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	j.t.org_id = cli_first_org(d);
	db_close(d);
	char dir[4096];
	upload_dir_default(url, dir, sizeof dir);
	if (picture) {
		buf data;
		buf_init(&data);
		struct app_config cfg;
		app_config_defaults(&cfg);
		const char *msg = NULL;
		if (cli_read_file(CMD, picture, cfg.upload_limit, &data))
			return 1;
		int rc = upload_store_image(data.data, data.len, picture, cfg.upload_limit,
		                            cfg.upload_max_pixels, j.t.org_id, 0, dir, &j.up, &msg);
		buf_free(&data);
		if (rc != 0)
			return cli_fail(CMD, "%s: %s", picture, msg);
		j.has_picture = 1;
		j.t.f.material_token = j.up.token;
	}
	if (cli_run_job(CMD, url, add_write, &j)) {
		if (j.has_picture)
			upload_file_remove(dir, j.up.token);
		return cli_fail(CMD, "could not store the trajectory");
	}
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"id\":%lld,\"slug\":", (long long)j.t.id);
	buf_json_str(&out, j.t.slug);
	/* A slug is [a-z0-9-] only: no escaping needed. */
	buf_printf(&out, ",\"public_page\":\"/meedoen/%s\"", j.t.slug);
	if (j.has_picture)
		buf_printf(&out, ",\"picture\":\"/uploads/%s\"", j.up.token);
	buf_puts(&out, "}");
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
	int rc = trajectory_list_json(d, cli_first_org(d), 0, &out);
	db_close(d);
	if (rc != DB_OK) {
		buf_free(&out);
		return cli_fail(CMD, "could not read the trajectories");
	}
	cli_print(&out);
	return 0;
}

static int cmd_show(const char *url, int argc, char **argv)
{
	int64_t id;
	if (argc != 2 || util_parse_id(argv[1], &id))
		return cli_fail(CMD, "usage: vertelpunt trajectory show ID");
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	json_t *o = NULL;
	int rc = trajectory_get_json(d, cli_first_org(d), id, &o);
	db_close(d);
	if (rc == DB_DONE)
		return cli_fail(CMD, "no trajectory %lld", (long long)id);
	if (rc != DB_ROW)
		return cli_fail(CMD, "could not read the trajectory");
	print_json(o);
	json_decref(o);
	return 0;
}

/* assign ID USERNAME [--responsible] / unassign ID USERNAME */
static int cmd_staff(const char *url, int argc, char **argv, int add)
{
	int responsible = 0;
	if (add && argc == 4 && strcmp(argv[3], "--responsible") == 0) {
		responsible = 1;
		argc--;
	}
	struct trajectory_staff_change c = {.add = add, .responsible = responsible};
	if (argc != 3 || util_parse_id(argv[1], &c.id))
		return cli_fail(CMD, "usage: vertelpunt trajectory %s ID USERNAME%s",
		                add ? "assign" : "unassign", add ? " [--responsible]" : "");
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	c.org_id = cli_first_org(d);
	struct user u;
	int rc = user_by_name(d, argv[2], &u, NULL);
	db_close(d);
	if (rc != DB_ROW)
		return cli_fail(CMD, "no user %s", argv[2]);
	c.user_id = u.id;
	if (cli_run_job(CMD, url, trajectory_staff_write, &c))
		return cli_fail(CMD, "could not change who works on the trajectory");
	if (!c.found)
		return cli_fail(CMD, "no trajectory %lld, or %s is disabled", (long long)c.id,
		                argv[2]);
	if (c.last)
		return cli_fail(CMD, "%s is the last responsible official; name another first",
		                argv[2]);
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"trajectory\":%lld,\"user\":", (long long)c.id);
	buf_json_str(&out, argv[2]);
	buf_printf(&out, ",\"assigned\":%s,\"responsible\":%s}", add ? "true" : "false",
	           add && responsible ? "true" : "false");
	cli_print(&out);
	return 0;
}

int cmd_trajectory(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	if (argc < 2)
		return cli_fail(CMD, "which action? (see `vertelpunt help trajectory`)");
	const char *action = argv[1];
	argc--, argv++;
	if (strcmp(action, "add") == 0)
		return cmd_add(url, argc, argv);
	if (strcmp(action, "list") == 0 && argc == 1)
		return cmd_list(url);
	if (strcmp(action, "show") == 0)
		return cmd_show(url, argc, argv);
	if (strcmp(action, "assign") == 0)
		return cmd_staff(url, argc, argv, 1);
	if (strcmp(action, "unassign") == 0)
		return cmd_staff(url, argc, argv, 0);
	if (strcmp(action, "demo") == 0)
		return cli_trajectory_demo(url, argc, argv);
	return cli_fail(CMD, "%s: unknown action (see `vertelpunt help trajectory`)", action);
}
