/* cmd_audit.c: the audit sub-command: verify the access log's hash chain and seals, seal its head, list its entries. */
#include "cli/cli.h"
#include "core/util.h"
#include "model/audit.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cmd_audit(int argc, char **argv);

/* Without a key file only the chain is checked: the seals need the key. */
static int audit_verify_cmd(const char *url, const char *key, int argc)
{
	if (argc != 2)
		return cli_fail("audit", "verify takes no arguments besides --db and --key");
	vault *v = NULL;
	if (key && access(key, F_OK) == 0 && !(v = cli_load_vault("audit", key)))
		return 1;
	db *d = cli_open_migrated("audit", url);
	if (!d) {
		vault_free(v);
		return 1;
	}
	int64_t rows = 0, seals = 0, bad = 0, all = 0, older = 0;
	int chain_broken = 0;
	struct audit_seal_info last;
	int rc = v ? audit_verify_sealed(d, v, &rows, &seals, &bad) : audit_verify(d, &rows, &bad);
	if (rc == AUDIT_BROKEN && v) {
		int64_t r2, b2;
		chain_broken = audit_verify(d, &r2, &b2) == AUDIT_BROKEN;
	}
	if (rc == DB_OK)
		rc = audit_seal_count(d, 0, &all, &older);
	if (rc == DB_OK)
		rc = audit_seal_last(d, &last);
	db_close(d);
	vault_free(v);
	if (rc == DB_OK && !v) {
		printf("{\"ok\":true,\"rows\":%lld,\"seals\":\"not checked (no key file)\"}\n",
		       (long long)rows);
		if (key)
			fprintf(stderr, "vertelpunt audit: seals: not checked (no key file %s)\n",
			        key);
		else
			fprintf(stderr, "vertelpunt audit: seals: not checked (no key file; a "
			                "database URL needs --key FILE)\n");
		return 0;
	}
	if (rc == DB_OK) {
		/* Seals made with keys dropped since, or of purged rows, are
		 * counted but cannot be checked. */
		printf("{\"ok\":true,\"rows\":%lld,\"seals\":%lld,\"seals_checked\":%lld,"
		       "\"seals_unchecked\":%lld,\"last_sealed_entry\":%lld}\n",
		       (long long)rows, (long long)all, (long long)seals, (long long)(all - seals),
		       (long long)last.log_id);
		return 0;
	}
	if (rc == AUDIT_BROKEN) {
		printf("{\"ok\":false,\"rows_checked\":%lld,", (long long)rows);
		if (v)
			printf("\"seals_checked\":%lld,", (long long)seals);
		printf("\"first_bad_id\":%lld}\n", (long long)bad);
		if (v && !chain_broken)
			return cli_fail("audit",
			                "the access log was rewritten: the seal of entry %lld does "
			                "not match (%lld seals before it are intact)",
			                (long long)bad, (long long)seals);
		return cli_fail("audit",
		                "the access log was changed: the chain breaks at entry %lld "
		                "(%lld entries before it are intact)",
		                (long long)bad, (long long)rows);
	}
	return cli_fail("audit", "cannot read the access log (%d)", rc);
}

static int audit_seal_cmd(const char *url, const char *key, int argc)
{
	if (argc != 2)
		return cli_fail("audit", "seal takes no arguments besides --db and --key");
	vault *v = cli_load_vault("audit", key);
	if (!v)
		return 1;
	struct audit_seal_job j = {.v = v};
	int rc = cli_run_job("audit", url, audit_seal_job, &j);
	vault_free(v);
	if (rc == AUDIT_BROKEN)
		return cli_fail("audit", "nothing sealed: the access log does not verify from its "
		                         "last seal on; see 'vertelpunt audit verify'");
	if (rc == 1)
		return 1;
	if (rc)
		return cli_fail("audit", "could not write to %s (%d)", url, rc);
	buf b;
	buf_init(&b);
	buf_printf(&b, "{\"sealed\":%s,\"seal_id\":%lld,\"log_id\":%lld,\"log_hash\":",
	           j.made > 0 ? "true" : "false", (long long)j.last.seal_id,
	           (long long)j.last.log_id);
	buf_json_str(&b, j.last.log_hash);
	buf_printf(&b, ",\"key_id\":%u}", (unsigned)j.last.key_id);
	cli_print(&b);
	return 0;
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
	const char *key = cli_opt_key(&argc, argv, url);
	if (argc < 2)
		return cli_fail("audit", "which action? see 'vertelpunt help audit'");
	if (strcmp(argv[1], "verify") == 0)
		return audit_verify_cmd(url, key, argc);
	if (strcmp(argv[1], "seal") == 0)
		return audit_seal_cmd(url, key, argc);
	if (strcmp(argv[1], "list") == 0)
		return audit_list_cmd(url, argc, argv);
	return cli_fail("audit", "unknown action '%s'; see 'vertelpunt help audit'", argv[1]);
}
