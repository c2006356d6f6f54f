/* cmd_purge.c: `vertelpunt purge`: removes what has passed its retention period, then gives the space back. */
#include "cli/cli.h"
#include "core/clock.h"
#include "db/writer.h"
#include "model/audit.h"
#include "model/purge.h"
#include "model/upload.h"

#include <stdio.h>
#include <string.h>

#define CMD "purge"

int cmd_purge(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	int vacuum = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-vacuum") == 0)
			vacuum = 0;
		else
			return cli_fail(CMD, "usage: vertelpunt purge [--db FILE] [--no-vacuum]");
	}
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	db_close(d);
	char actor[AUDIT_ACTOR_MAX + 1], err[512];
	audit_cli_actor(actor, sizeof actor);
	struct purge_job j = {.now = clock_now(), .actor = actor, .origin = "cli"};
	writer *w = writer_start(url, err, sizeof err);
	if (!w)
		return cli_fail(CMD, "%s", err);
	int rc = writer_run(w, purge_write, &j);
	writer_stop(w);
	if (rc != 0) {
		purge_job_free(&j);
		return cli_fail(CMD, "could not remove what has expired (%d); nothing was removed",
		                rc);
	}
	char dir[512];
	upload_dir_default(url, dir, sizeof dir);
	purge_remove_files(&j, dir);
	purge_job_free(&j);
	d = db_open(url, err, sizeof err);
	if (!d || db_compact(d, vacuum, err, sizeof err) != 0) {
		db_close(d);
		return cli_fail(CMD, "removed, but could not compact the database: %s", err);
	}
	db_close(d);
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"stories\":%lld,\"drafts\":%lld,\"uploads\":%lld,\"vacuum\":%s}",
	           (long long)j.stories, (long long)j.drafts, (long long)j.uploads,
	           vacuum ? "true" : "false");
	cli_print(&out);
	return 0;
}
