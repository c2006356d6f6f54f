/* test_mail.c: composing e-mail: headers, encoded words, base64 bodies, the calendar part, refused injection. */
#include "testutil.h"

#include "io/mail.h"

#include <sodium.h>
#include <string.h>

static struct mail_msg base(void)
{
	struct mail_msg m = {.from_addr = "noreply@gemeente.example",
	                     .from_name = "Gemeente Voorbeeld",
	                     .to_addr = "jan@voorbeeld.nl",
	                     .to_name = "Jan de Vries",
	                     .subject = "Uitnodiging voor een gesprek",
	                     .body_text = "Beste Jan,\nWelkom.\n",
	                     .message_id = "0123abcd@gemeente.example",
	                     .date = 1795600800};
	return m;
}

/* The value of header name (up to its CRLF, unfolded) into out. */
static int header(const char *msg, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);
	for (const char *p = msg; p && *p && !(p[0] == '\r' && p[1] == '\n');) {
		if (strncmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			size_t k = 0;
			while (*p && k + 1 < cap) {
				if (p[0] == '\r' && p[1] == '\n') {
					if (p[2] != ' ' && p[2] != '\t')
						break;
					p += 2;
					continue;
				}
				out[k++] = *p++;
			}
			out[k] = '\0';
			return 0;
		}
		p = strstr(p, "\r\n");
		if (p)
			p += 2;
	}
	return -1;
}

/* Decodes every "=?UTF-8?B?...?=" word of s (white space between words
 * dropped) into out. */
static void decode_words(const char *s, char *out, size_t cap)
{
	size_t k = 0;
	while ((s = strstr(s, "=?UTF-8?B?"))) {
		s += 10;
		const char *end = strstr(s, "?=");
		assert_non_null(end);
		size_t got = 0;
		assert_int_equal(sodium_base642bin((unsigned char *)out + k, cap - k - 1, s,
		                                   (size_t)(end - s), NULL, &got, NULL,
		                                   sodium_base64_VARIANT_ORIGINAL),
		                 0);
		k += got;
		s = end + 2;
	}
	out[k] = '\0';
}

/* Decodes base64 lines from p up to a line starting with "--" or the end. */
static void decode_body(const char *p, char *out, size_t cap)
{
	char joined[8192];
	size_t k = 0;
	while (*p && strncmp(p, "--", 2) != 0) {
		const char *nl = strstr(p, "\r\n");
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		memcpy(joined + k, p, n);
		k += n;
		p += n + (nl ? 2 : 0);
	}
	size_t got = 0;
	assert_int_equal(sodium_base642bin((unsigned char *)out, cap - 1, joined, k, NULL, &got,
	                                   NULL, sodium_base64_VARIANT_ORIGINAL),
	                 0);
	out[got] = '\0';
}

static void test_plain_message(void **state)
{
	struct mail_msg m = base();
	buf b;
	buf_init(&b);
	char err[256], v[512];
	assert_int_equal(mail_compose(&m, &b, err, sizeof err), 0);
	assert_int_equal(header(b.data, "From", v, sizeof v), 0);
	assert_string_equal(v, "\"Gemeente Voorbeeld\" <noreply@gemeente.example>");
	assert_int_equal(header(b.data, "To", v, sizeof v), 0);
	assert_string_equal(v, "\"Jan de Vries\" <jan@voorbeeld.nl>");
	assert_int_equal(header(b.data, "Subject", v, sizeof v), 0);
	assert_string_equal(v, "Uitnodiging voor een gesprek");
	assert_int_equal(header(b.data, "Date", v, sizeof v), 0);
	assert_string_equal(v, "Wed, 25 Nov 2026 10:00:00 +0000");
	assert_int_equal(header(b.data, "Message-ID", v, sizeof v), 0);
	assert_string_equal(v, "<0123abcd@gemeente.example>");
	assert_int_equal(header(b.data, "MIME-Version", v, sizeof v), 0);
	assert_string_equal(v, "1.0");
	assert_int_equal(header(b.data, "Content-Type", v, sizeof v), 0);
	assert_string_equal(v, "text/plain; charset=UTF-8");
	assert_int_equal(header(b.data, "Content-Transfer-Encoding", v, sizeof v), 0);
	assert_string_equal(v, "base64");
	/* Every line ends in CRLF and stays within 78 characters. */
	for (char *p = b.data, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		assert_true(nl > p && nl[-1] == '\r');
		assert_true(nl - p - 1 <= 78);
	}
	char body[512];
	decode_body(strstr(b.data, "\r\n\r\n") + 4, body, sizeof body);
	assert_string_equal(body, "Beste Jan,\r\nWelkom.\r\n");
	buf_free(&b);
}

static void test_non_ascii_headers(void **state)
{
	struct mail_msg m = base();
	/* Long enough for several encoded words, with 2-, 3- and 4-byte characters. */
	m.subject = "Uw gesprek over de Kastanjeallée en het café — terugkoppeling 🏠 "
	            "van de gemeente Súdwest-Fryslân";
	m.to_name = "Zoë Öztürk";
	m.body_text = "Groet uit Köln — één 🏠";
	buf b;
	buf_init(&b);
	char err[256], v[1024], dec[1024];
	assert_int_equal(mail_compose(&m, &b, err, sizeof err), 0);
	assert_int_equal(header(b.data, "Subject", v, sizeof v), 0);
	decode_words(v, dec, sizeof dec);
	assert_string_equal(dec, m.subject);
	assert_int_equal(header(b.data, "To", v, sizeof v), 0);
	assert_non_null(strstr(v, "<jan@voorbeeld.nl>"));
	decode_words(v, dec, sizeof dec);
	assert_string_equal(dec, "Zoë Öztürk");
	/* Headers hold ASCII only; no encoded word is longer than 75. */
	const char *end = strstr(b.data, "\r\n\r\n");
	for (const char *p = b.data; p < end; p++)
		assert_true((unsigned char)*p < 0x80);
	for (char *p = b.data, *nl; (nl = strchr(p, '\n')) && p < end; p = nl + 1)
		assert_true(nl - p - 1 <= 78);
	char body[512];
	decode_body(end + 4, body, sizeof body);
	assert_string_equal(body, m.body_text);
	buf_free(&b);
}

static void test_calendar_part(void **state)
{
	struct mail_msg m = base();
	m.ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";
	buf b;
	buf_init(&b);
	char err[256], v[512];
	assert_int_equal(mail_compose(&m, &b, err, sizeof err), 0);
	assert_int_equal(header(b.data, "Content-Type", v, sizeof v), 0);
	assert_non_null(strstr(v, "multipart/mixed; boundary=\""));
	char boundary[80];
	const char *q = strchr(v, '"') + 1;
	snprintf(boundary, sizeof boundary, "--%.*s", (int)(strchr(q, '"') - q), q);
	/* Two parts and the closing boundary. */
	const char *p1 = strstr(b.data, boundary);
	assert_non_null(p1);
	const char *p2 = strstr(p1 + 1, boundary);
	assert_non_null(p2);
	char close[90];
	snprintf(close, sizeof close, "%s--\r\n", boundary);
	assert_non_null(strstr(p2 + 1, close));
	assert_non_null(strstr(p1, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(
	        strstr(p2, "Content-Type: text/calendar; charset=UTF-8; method=REQUEST\r\n"));
	char ics[512];
	decode_body(strstr(p2, "\r\n\r\n") + 4, ics, sizeof ics);
	assert_string_equal(ics, m.ics);
	buf_free(&b);

	m.ics = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n";
	buf_init(&b);
	assert_int_equal(mail_compose(&m, &b, err, sizeof err), 0);
	assert_non_null(strstr(b.data, "text/calendar; charset=UTF-8; method=CANCEL"));
	buf_free(&b);
}

static void test_injection_refused(void **state)
{
	char err[256];
	buf b;
	buf_init(&b);
	struct mail_msg m = base();
	m.subject = "Hallo\r\nBcc: everyone@example.org";
	assert_int_equal(mail_compose(&m, &b, err, sizeof err), -1);
	assert_non_null(strstr(err, "line break"));
	m = base();
	m.subject = "Hallo\nBcc: everyone@example.org";
	assert_int_equal(mail_compose(&m, &b, err, sizeof err), -1);
	m = base();
	m.to_name = "Jan\r\nBcc: x@y.nl";
	assert_int_equal(mail_compose(&m, &b, err, sizeof err), -1);
	m = base();
	m.from_name = "Gemeente\n";
	assert_int_equal(mail_compose(&m, &b, err, sizeof err), -1);
	m = base();
	m.to_addr = "jan@voorbeeld.nl\r\nBcc: x@y.nl";
	assert_int_equal(mail_compose(&m, &b, err, sizeof err), -1);
	assert_non_null(strstr(err, "recipient"));
	m = base();
	m.to_addr = "jan@voorbeeld.nl>, <x@y.nl";
	assert_int_equal(mail_compose(&m, &b, err, sizeof err), -1);
	m = base();
	m.message_id = "abc>\r\nBcc: x@y.nl";
	assert_int_equal(mail_compose(&m, &b, err, sizeof err), -1);
	m = base();
	m.subject = "";
	assert_int_equal(mail_compose(&m, &b, err, sizeof err), -1);
	m = base();
	m.body_text = "\xc3";
	assert_int_equal(mail_compose(&m, &b, err, sizeof err), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void test_addresses(void **state)
{
	const char *good[] = {"a@b.nl", "jan.de.vries@voorbeeld.nl", "x+tag@sub.domain.example",
	                      "o'brien@ie.example", "user@localhost"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_int_equal(mail_addr_check(good[i]), 0);
	const char *bad[] = {"",         "plain",         "@b.nl",     "a@",
	                     "a b@c.nl", "a@b .nl",       "a@b..nl",   ".a@b.nl",
	                     "a.@b.nl",  "a..b@c.nl",     "a@-b.nl",   "a@b-.nl",
	                     "<a@b.nl>", "a@b.nl,c@d.nl", "a\"b@c.nl", "a@b.nl\n",
	                     "a;b@c.nl", "jé@b.nl",       "a@b@c.nl",  "a@[1.2.3.4]"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (mail_addr_check(bad[i]) == 0)
			fail_msg("accepted: %s", bad[i]);
	char longer[300];
	memset(longer, 'a', 250);
	memcpy(longer + 250, "@b.nl", 6);
	assert_int_equal(mail_addr_check(longer), -1);
}

static void test_message_id(void **state)
{
	char a[MAIL_MESSAGE_ID_MAX + 1], b[MAIL_MESSAGE_ID_MAX + 1];
	mail_new_message_id("noreply@gemeente.example", a);
	mail_new_message_id("noreply@gemeente.example", b);
	assert_string_not_equal(a, b);
	assert_int_equal(strlen(a), 32 + 1 + strlen("gemeente.example"));
	assert_non_null(strstr(a, "@gemeente.example"));
	mail_new_message_id(NULL, a);
	assert_non_null(strstr(a, "@vertelpunt.invalid"));
	/* The same id composes into the same header every time (retries). */
	struct mail_msg m = base();
	m.message_id = b;
	buf x, y;
	buf_init(&x);
	buf_init(&y);
	char err[256];
	assert_int_equal(mail_compose(&m, &x, err, sizeof err), 0);
	assert_int_equal(mail_compose(&m, &y, err, sizeof err), 0);
	assert_string_equal(x.data, y.data);
	buf_free(&x);
	buf_free(&y);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_plain_message), cmocka_unit_test(test_non_ascii_headers),
	        cmocka_unit_test(test_calendar_part), cmocka_unit_test(test_injection_refused),
	        cmocka_unit_test(test_addresses),     cmocka_unit_test(test_message_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
