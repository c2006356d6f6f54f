/* smtp.h: sending one composed message through an SMTP server with libcurl. */
#ifndef VP_SMTP_H
#define VP_SMTP_H

#include <stddef.h>

/* The settings (vertelpunt serve / mail: --smtp-url, --smtp-starttls,
 * --smtp-user, --smtp-password-file, --mail-from). url NULL: mail is not
 * configured, and nothing is sent. */
struct smtp_config {
	const char *url;       /* smtp://host:587 (STARTTLS with starttls) or smtps://host:465 */
	int starttls;          /* require STARTTLS on smtp:// (CURLUSESSL_ALL) */
	const char *user;      /* NULL: no authentication */
	const char *password;  /* read from a file, never from the command line */
	const char *from;      /* the envelope and header sender address */
	const char *from_name; /* display name of the sender, or NULL */
	int timeout;           /* seconds for the whole exchange (default 60) */
};

enum smtp_result {
	SMTP_OK = 0,
	SMTP_TEMPORARY = 1, /* try again later: no connection, timeout, 4xx, TLS or login trouble */
	SMTP_PERMANENT = 2, /* do not try again: 5xx (a refused recipient, a refused message) */
};

/* Sends msg (len bytes, CRLF line ends, as mail_compose makes it) from
 * cfg->from to one recipient. err gets what went wrong, with the server's
 * own reply when there was one ("451 4.3.0 try later"); e-mail addresses
 * in it are replaced by "[address]", so it can be stored and shown. */
enum smtp_result smtp_send(const struct smtp_config *cfg, const char *to_addr, const char *msg,
                           size_t len, char *err, size_t errlen);

/* Reads the password file (the first line, without its line end; the file
 * must not be readable by group or others). Returns a malloc'ed string,
 * or NULL with a message in err. */
char *smtp_read_password_file(const char *path, char *err, size_t errlen);

/* Replaces every word holding an '@' in s by "[address]", in place; s
 * has room for cap bytes and is cut to fit. */
void smtp_scrub_addresses(char *s, size_t cap);

#endif
