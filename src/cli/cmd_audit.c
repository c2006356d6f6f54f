/* cmd_audit.c: the audit sub-command: verify the access log's hash chain, list its entries. */
#include "cli/cli.h"
#include "core/util.h"
#include "model/audit.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

int cmd_audit(int argc, char **argv);

static int audit_verify_cmd(const char *url, int argc)
{
	if (argc != 2)
		return cli_fail("audit", "verify takes no arguments besides --db");
	db *d = cli_open_migrated("audit", url);
	if (!d)
		return 1;
	int64_t rows = 0, bad = 0;
	int rc = audit_verify(d, &rows, &bad);
	db_close(d);
	if (rc == DB_OK) {
		printf("{\"ok\":true,\"rows\":%lld}\n", (long long)rows);
		return 0;
	}
	if (rc == AUDIT_BROKEN) {
		printf("{\"ok\":false,\"rows_checked\":%lld,\"first_bad_id\":%lld}\n",
		       (long long)rows, (long long)bad);
		return cli_fail("audit",
		                "the access log was changed: the chain breaks at entry %lld "
		                "(%lld entries before it are intact)",
		                (long long)bad, (long long)rows);
	}
	return cli_fail("audit", "cannot read the access log (%d)", rc);
}

static int audit_list_cmd(const char *url, int argc, char **argv)
{
	const char *subject = NULL;
	int64_t limit = 100;
	static const struct option opts[] = {
	        {"subject", required_argument, 0, 's'}, {"limit", required_argument, 0, 'l'}, {0}};
	int ch;
	optind = 2;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's')
			subject = optarg;
		else if (ch == 'l') {
			if (util_parse_i64(optarg, &limit) || limit < 1 || limit > 1000000)
				return cli_fail("audit",
				                "--limit wants a number from 1 to 1000000");
		} else
			return cli_fail("audit", "see 'vertelpunt help audit'");
	}
	if (optind < argc)
		return cli_fail("audit", "unexpected argument '%s'", argv[optind]);
	if (subject && (!*subject || strlen(subject) > AUDIT_SUBJECT_MAX))
		return cli_fail("audit", "--subject wants a participant code of 1 to %d characters",
		                AUDIT_SUBJECT_MAX);
	db *d = cli_open_migrated("audit", url);
	if (!d)
		return 1;
	buf b;
	buf_init(&b);
	int rc = audit_list_json(d, subject, limit, &b);
	db_close(d);
	if (rc != DB_OK) {
		buf_free(&b);
		return cli_fail("audit", "cannot read the access log (%d)", rc);
	}
	cli_print(&b);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	if (argc < 2)
		return cli_fail("audit", "which action? see 'vertelpunt help audit'");
	if (strcmp(argv[1], "verify") == 0)
		return audit_verify_cmd(url, argc);
	if (strcmp(argv[1], "list") == 0)
		return audit_list_cmd(url, argc, argv);
	return cli_fail("audit", "unknown action '%s'; see 'vertelpunt help audit'", argv[1]);
}
