/* cmd_mail.h: the e-mail options that `vertelpunt serve` and `vertelpunt mail` share. */
#ifndef VP_CMD_MAIL_H
#define VP_CMD_MAIL_H

#include "io/smtp.h"

/* Rows for a getopt_long table (the short values are not used by serve's
 * other options). */
#define MAIL_CLI_OPTIONS                                                                 \
	{"smtp-url", required_argument, 0, 'U'}, {"smtp-starttls", no_argument, 0, 'S'}, \
	        {"smtp-user", required_argument, 0, 'u'},                                \
	        {"smtp-password-file", required_argument, 0, 'P'},                       \
	        {"mail-from", required_argument, 0, 'F'},                                \
	        {"mail-from-name", required_argument, 0, 'N'},                           \
	        {"mail-max-attempts", required_argument, 0, 'M'},                        \
	{                                                                                \
		"smtp-timeout", required_argument, 0, 'W'                                \
	}

#define MAIL_CLI_HELP                                                                       \
	"  --smtp-url URL         the mail server: smtp://HOST:587 or smtps://HOST:465;\n"  \
	"                         without it no e-mail is sent: messages wait in the\n"     \
	"                         outbox (docs/mail.md)\n"                                  \
	"  --smtp-starttls        require STARTTLS on smtp:// (refuse to send in clear)\n"  \
	"  --smtp-user USER       log in to the mail server as USER\n"                      \
	"  --smtp-password-file FILE\n"                                                     \
	"                         the password, first line of FILE (mode 0600); never on\n" \
	"                         the command line\n"                                       \
	"  --mail-from ADDRESS    the sender address of every message\n"                    \
	"  --mail-from-name NAME  the sender's name (default: none)\n"                      \
	"  --mail-max-attempts N  tries before a message is marked failed (default 8)\n"    \
	"  --smtp-timeout SECONDS time for one message (default 60, at most 300)\n"

/* The mail settings of a command line. */
struct mail_cli {
	struct smtp_config smtp;
	int max_attempts;
	const char *password_file;
};

void mail_cli_defaults(struct mail_cli *m);
/* Takes one option of MAIL_CLI_OPTIONS: 0 when taken, 1 after printing an
 * error as cmd, -1 when ch is not a mail option. */
int mail_cli_option(const char *cmd, int ch, const char *arg, struct mail_cli *m);
/* After the options: reads the password file, checks what goes together.
 * 0, or 1 after printing why. The password lives until exit. */
int mail_cli_finish(const char *cmd, struct mail_cli *m);

#endif
