/* cmd_identity.c: `vertelpunt user link-identity` and `unlink-identity`: which outside identity (OpenID Connect issuer and subject) is which staff account. */
#include "cli/cli.h"
#include "model/identity.h"

#include <getopt.h>
#include <string.h>

int cli_user_identity(const char *url, int argc, char **argv, int unlink)
{
	const char *usage = unlink ? "usage: vertelpunt user unlink-identity USERNAME --issuer URL "
	                             "--subject SUB"
	                           : "usage: vertelpunt user link-identity USERNAME --issuer URL "
	                             "--subject SUB";
	static const struct option opts[] = {
	        {"issuer", required_argument, 0, 'i'}, {"subject", required_argument, 0, 's'}, {0}};
	struct identity_link l = {.unlink = unlink};
	if (argc < 3)
		return cli_fail("user", "%s", usage);
	l.username = argv[2];
	int ch;
	optind = 3;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'i')
			l.issuer = optarg;
		else if (ch == 's')
			l.subject = optarg;
		else
			return cli_fail("user", "%s", usage);
	}
	if (optind < argc || !l.issuer || !l.subject)
		return cli_fail("user", "%s", usage);
	db *d = cli_open_migrated("user", url);
	if (!d)
		return 1;
	l.org_id = cli_first_org(d);
	db_close(d);
	if (cli_run_job("user", url, identity_link_write, &l))
		return cli_fail("user", "could not store the link");
	if (l.result == IDENTITY_INVALID)
		return cli_fail("user",
		                "issuer and subject must be non-empty UTF-8 (at most 512 and "
		                "255 bytes)");
	if (l.result == IDENTITY_UNKNOWN)
		return cli_fail("user", unlink ? "no such link" : "no user %s", l.username);
	if (l.result == DB_CONSTRAINT)
		return cli_fail("user", "that identity is linked to another account");
	buf out;
	buf_init(&out);
	buf_puts(&out, "{\"user\":");
	buf_json_str(&out, l.username);
	buf_puts(&out, ",\"issuer\":");
	buf_json_str(&out, l.issuer);
	buf_puts(&out, ",\"subject\":");
	buf_json_str(&out, l.subject);
	buf_printf(&out, ",\"linked\":%s}", unlink ? "false" : "true");
	cli_print(&out);
	return 0;
}
