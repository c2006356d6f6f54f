/* mail.h: composing one RFC 5322 e-mail message (UTF-8 text, optionally an iCalendar part), refusing header injection. */
#ifndef VP_MAIL_H
#define VP_MAIL_H

#include "core/buf.h"

#include <stddef.h>
#include <stdint.h>

enum { MAIL_ADDR_MAX = 254, MAIL_MESSAGE_ID_MAX = 128 };

/* 0 when addr is a plain address "local@domain" we are willing to send
 * to: printable ASCII, no spaces, angle brackets, quotes, commas or
 * semicolons, a dot-atom local part and a domain of letters, digits,
 * hyphens and dots; at most MAIL_ADDR_MAX bytes. -1 otherwise. Display
 * names go apart (struct mail_msg), never inside the address. */
int mail_addr_check(const char *addr);

/* A new Message-ID value (without angle brackets): 32 random hex digits
 * "@" domain (the domain of from_addr, or "vertelpunt.invalid"). out has
 * MAIL_MESSAGE_ID_MAX + 1 bytes. */
void mail_new_message_id(const char *from_addr, char out[MAIL_MESSAGE_ID_MAX + 1]);

struct mail_msg {
	const char *from_addr, *from_name; /* name may be NULL */
	const char *to_addr, *to_name;     /* name may be NULL */
	const char *subject;
	const char *body_text; /* UTF-8; LF or CRLF line ends */
	/* NULL, or an iCalendar text (io/ical.h). Its METHOD line decides
	 * the part's method=REQUEST or method=CANCEL. */
	const char *ics;
	const char *message_id; /* without angle brackets; kept across retries */
	int64_t date;           /* the Date header (seconds since the epoch) */
};

/* Appends the whole message (headers, CRLF line ends, a base64 body) to
 * out: text/plain; charset=UTF-8 alone, or multipart/mixed with the text
 * and a text/calendar part (so mail programs show the invitation with
 * buttons). Non-ASCII in Subject and display names becomes RFC 2047
 * encoded words. Returns 0, or -1 with an English message in err and
 * nothing appended: a malformed address, a CR or LF (or any control
 * character) in a header value, text that is not UTF-8, a malformed
 * Message-ID, or a missing subject or body. */
int mail_compose(const struct mail_msg *m, buf *out, char *err, size_t errlen);

#endif
