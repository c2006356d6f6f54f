/* mail.c: composes RFC 5322 / MIME messages: encoded words, base64 bodies, an optional text/calendar part. */
#include "io/mail.h"

#include "core/util.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int is_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

int mail_addr_check(const char *addr)
{
	if (!addr)
		return -1;
	size_t n = strlen(addr);
	const char *at = strrchr(addr, '@');
	if (n == 0 || n > MAIL_ADDR_MAX || !at || at == addr || !at[1] || at - addr > 64)
		return -1;
	/* local part: dot-atom (no leading, trailing or double dot) */
	for (const char *p = addr; p < at; p++) {
		if (*p == '.') {
			if (p == addr || p + 1 == at || p[1] == '.')
				return -1;
		} else if (!is_atext((unsigned char)*p)) {
			return -1;
		}
	}
	/* domain: labels of letters, digits and hyphens */
	size_t label = 0;
	for (const char *p = at + 1; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '.') {
			if (label == 0 || p[-1] == '-')
				return -1;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		           (c >= '0' && c <= '9') || c == '-') {
			if (label == 0 && c == '-')
				return -1;
			if (++label > 63)
				return -1;
		} else {
			return -1;
		}
	}
	return label == 0 || addr[n - 1] == '-' ? -1 : 0;
}

void mail_new_message_id(const char *from_addr, char out[MAIL_MESSAGE_ID_MAX + 1])
{
	char hex[33];
	util_random_hex(hex, 16);
	const char *at =
	        from_addr && mail_addr_check(from_addr) == 0 ? strrchr(from_addr, '@') : NULL;
	snprintf(out, MAIL_MESSAGE_ID_MAX + 1, "%s@%.*s", hex, MAIL_MESSAGE_ID_MAX - 40,
	         at ? at + 1 : "vertelpunt.invalid");
}

static int fail(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -1;
}

/* Header text: valid UTF-8 without any control character (CR and LF above
 * all: they would start a header of the sender's choosing). */
static int header_ok(const char *s)
{
	if (!s)
		return 1;
	size_t n = strlen(s);
	if (!util_utf8_clean(s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

static int ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static void b64(buf *out, const unsigned char *p, size_t n)
{
	size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	buf_reserve(out, cap);
	sodium_bin2base64(out->data + out->len, cap, p, n, sodium_base64_VARIANT_ORIGINAL);
	out->len += cap - 1;
	out->data[out->len] = '\0';
}

/* RFC 2047 encoded words (B encoding), each at most 75 characters, split
 * only between UTF-8 characters, separated by folding white space. */
static void encoded_words(buf *out, const char *s)
{
	size_t n = strlen(s), i = 0;
	int first = 1;
	while (i < n) {
		/* 39 bytes make 52 base64 characters, 64 with =?UTF-8?B? and ?=:
		 * a line stays within 78 after "Subject: ". */
		size_t take = n - i < 39 ? n - i : 39;
		while (i + take < n && ((unsigned char)s[i + take] & 0xC0) == 0x80)
			take--;
		if (!first)
			buf_puts(out, "\r\n ");
		buf_puts(out, "=?UTF-8?B?");
		b64(out, (const unsigned char *)s + i, take);
		buf_puts(out, "?=");
		i += take;
		first = 0;
	}
}

/* An unstructured header value (Subject): as is when it is short ASCII,
 * else as encoded words. */
static void unstructured(buf *out, const char *name, const char *value)
{
	buf_puts(out, name);
	buf_puts(out, ": ");
	if (ascii(value) && strlen(value) + strlen(name) + 2 <= 78)
		buf_puts(out, value);
	else
		encoded_words(out, value);
	buf_puts(out, "\r\n");
}

/* "Name" <addr>, or <addr> alone. */
static void mailbox(buf *out, const char *name, const char *addr)
{
	if (name && *name) {
		if (ascii(name)) {
			buf_putc(out, '"');
			for (const char *p = name; *p; p++) {
				if (*p == '"' || *p == '\\')
					buf_putc(out, '\\');
				buf_putc(out, *p);
			}
			buf_putc(out, '"');
		} else {
			encoded_words(out, name);
			buf_puts(out, "\r\n"); /* folded: the address goes on a line of its own */
		}
		buf_putc(out, ' ');
	}
	buf_putc(out, '<');
	buf_puts(out, addr);
	buf_putc(out, '>');
}

/* Text with every line end as CRLF, base64 in lines of 76. */
static void body_b64(buf *out, const char *text)
{
	buf crlf, enc;
	buf_init(&crlf);
	buf_init(&enc);
	for (const char *p = text; *p; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue;
		if (*p == '\n' || *p == '\r')
			buf_puts(&crlf, "\r\n");
		else
			buf_putc(&crlf, *p);
	}
	b64(&enc, (const unsigned char *)(crlf.data ? crlf.data : ""), crlf.len);
	for (size_t i = 0; i < enc.len; i += 76) {
		buf_append(out, enc.data + i, enc.len - i < 76 ? enc.len - i : 76);
		buf_puts(out, "\r\n");
	}
	buf_free(&crlf);
	buf_free(&enc);
}

static int message_id_ok(const char *id)
{
	const char *at = id ? strchr(id, '@') : NULL;
	if (!at || at == id || !at[1] || strlen(id) > MAIL_MESSAGE_ID_MAX)
		return 0;
	for (const char *p = id; *p; p++)
		if (!is_atext((unsigned char)*p) && *p != '.' && *p != '@')
			return 0;
	return strchr(at + 1, '@') == NULL;
}

int mail_compose(const struct mail_msg *m, buf *out, char *err, size_t errlen)
{
	if (mail_addr_check(m->from_addr) != 0)
		return fail(err, errlen, "The sender's e-mail address is not valid.");
	if (mail_addr_check(m->to_addr) != 0)
		return fail(err, errlen, "The recipient's e-mail address is not valid.");
	if (!m->subject || !*m->subject)
		return fail(err, errlen, "The message has no subject.");
	if (!header_ok(m->subject) || !header_ok(m->from_name) || !header_ok(m->to_name))
		return fail(err, errlen,
		            "A name or the subject holds a line break or another control "
		            "character, or is not valid UTF-8.");
	if (!m->body_text || !util_utf8_clean(m->body_text, strlen(m->body_text)))
		return fail(err, errlen, "The text of the message is missing or not valid UTF-8.");
	if (m->ics && !util_utf8_clean(m->ics, strlen(m->ics)))
		return fail(err, errlen, "The calendar part is not valid UTF-8.");
	if (!message_id_ok(m->message_id))
		return fail(err, errlen, "The Message-ID is not valid.");
	char date[64];
	time_t t = (time_t)m->date;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);

	buf_puts(out, "From: ");
	mailbox(out, m->from_name, m->from_addr);
	buf_puts(out, "\r\nTo: ");
	mailbox(out, m->to_name, m->to_addr);
	buf_puts(out, "\r\n");
	unstructured(out, "Subject", m->subject);
	buf_printf(out, "Date: %s\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n", date,
	           m->message_id);
	/* Automatic mail: no out-of-office replies, please (RFC 3834). */
	buf_puts(out, "Auto-Submitted: auto-generated\r\n");
	if (!m->ics) {
		buf_puts(out, "Content-Type: text/plain; charset=UTF-8\r\n"
		              "Content-Transfer-Encoding: base64\r\n\r\n");
		body_b64(out, m->body_text);
		return 0;
	}
	const char *method = strstr(m->ics, "\nMETHOD:CANCEL") ? "CANCEL" : "REQUEST";
	char boundary[40];
	util_random_hex(boundary + 4, 16);
	memcpy(boundary, "=_vp", 4);
	buf_printf(out,
	           "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n"
	           "This is a message in MIME format.\r\n"
	           "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	           "Content-Transfer-Encoding: base64\r\n\r\n",
	           boundary, boundary);
	body_b64(out, m->body_text);
	buf_printf(out,
	           "--%s\r\nContent-Type: text/calendar; charset=UTF-8; method=%s\r\n"
	           "Content-Transfer-Encoding: base64\r\n"
	           "Content-Disposition: attachment; filename=\"%s.ics\"\r\n\r\n",
	           boundary, method, strcmp(method, "CANCEL") == 0 ? "cancel" : "invite");
	body_b64(out, m->ics);
	buf_printf(out, "--%s--\r\n", boundary);
	return 0;
}
