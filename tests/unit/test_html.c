/* test_html.c: unit tests of the escaping HTML and SVG emitters. */
#include "testutil.h"

#include "core/buf.h"
#include "web/html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FFFD "\xef\xbf\xbd"

static int setup(void **state)
{
	buf *b = malloc(sizeof *b);
	if (!b)
		return -1;
	buf_init(b);
	*state = b;
	return 0;
}

static int teardown(void **state)
{
	buf_free(*state);
	free(*state);
	return 0;
}

/* Each emitter call starts from an empty buffer; returns its text. */
static const char *text(buf *b, const char *s)
{
	buf_reset(b);
	html_text(b, s);
	return b->data ? b->data : "";
}

static const char *textn(buf *b, const char *s, size_t n)
{
	buf_reset(b);
	html_textn(b, s, n);
	return b->data ? b->data : "";
}

static const char *url(buf *b, const char *s)
{
	buf_reset(b);
	html_url(b, s);
	return b->data;
}

static const char *num(buf *b, double v)
{
	buf_reset(b);
	svg_num(b, v);
	return b->data;
}

/* ---- text ---- */

static void test_text_escapes(void **state)
{
	buf *b = *state;
	assert_string_equal(text(b, "a & b < c > d \" e ' f"),
	                    "a &amp; b &lt; c &gt; d &quot; e &#39; f");
	assert_string_equal(text(b, "<script>alert('x')</script>"),
	                    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	assert_string_equal(text(b, "&amp;"), "&amp;amp;"); /* no double-decoding tricks */
	assert_string_equal(text(b, "plain"), "plain");
	assert_string_equal(text(b, ""), "");
	buf_reset(b);
	html_text(b, NULL);
	assert_int_equal(b->len, 0);
}

static void test_text_nul(void **state)
{
	buf *b = *state;
	const char *out = textn(b, "a\0b", 3);
	assert_int_equal(b->len, 5);
	assert_memory_equal(out, "a" FFFD "b", 5);
	assert_int_equal(strlen(b->data), b->len); /* no raw NUL in the output */
}

static void test_text_utf8(void **state)
{
	buf *b = *state;
	assert_string_equal(text(b, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
	                    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	assert_string_equal(text(b, "\xff"), FFFD);
	assert_string_equal(text(b, "a\xfe"
	                            "b"),
	                    "a" FFFD "b");
	assert_string_equal(text(b, "\xc3"), FFFD);         /* truncated at the end */
	assert_string_equal(text(b, "\xc3<"), FFFD "&lt;"); /* the '<' is not swallowed */
	assert_string_equal(text(b, "\xe2\x82"), FFFD FFFD);
	assert_string_equal(text(b, "\xc0\xbc"), FFFD FFFD); /* overlong '<' */
	assert_string_equal(text(b, "\xe0\x80\xbc"), FFFD FFFD FFFD);
	assert_string_equal(text(b, "\xed\xa0\x80"), FFFD FFFD FFFD); /* surrogate */
	assert_string_equal(text(b, "\xf4\x90\x80\x80"), FFFD FFFD FFFD FFFD);
	assert_string_equal(text(b, "\x80x"), FFFD "x");
	/* A length that cuts a sequence in half. */
	assert_string_equal(textn(b, "\xc3\xa9", 1), FFFD);
}

static void test_text_controls(void **state)
{
	buf *b = *state;
	assert_string_equal(text(b, "a\x01"
	                            "b"),
	                    "a" FFFD "b");
	assert_string_equal(text(b, "\x1b[31m"), FFFD "[31m");
	assert_string_equal(text(b, "\x08\x0b\x0c\x1f"), FFFD FFFD FFFD FFFD);
	assert_string_equal(text(b, "line\nnext\ttab\rcr"), "line\nnext\ttab\rcr");
}

static void test_attr(void **state)
{
	buf *b = *state;
	buf_reset(b);
	html_attr(b, "x\" onmouseover='alert(1)' <&>");
	assert_string_equal(b->data, "x&quot; onmouseover=&#39;alert(1)&#39; &lt;&amp;&gt;");
}

static void test_appends(void **state)
{
	buf *b = *state;
	buf_reset(b);
	html_lit(b, "<p class=\"x\">");
	html_text(b, "<b>");
	html_lit(b, "</p>");
	assert_string_equal(b->data, "<p class=\"x\">&lt;b&gt;</p>");
	assert_int_equal(b->len, strlen("<p class=\"x\">&lt;b&gt;</p>"));
	html_lit(b, "");
	assert_int_equal(b->len, strlen("<p class=\"x\">&lt;b&gt;</p>"));
	buf_reset(b);
	html_int(b, -1234567890123LL);
	assert_string_equal(b->data, "-1234567890123");
	buf_reset(b);
	html_raw_trusted(b, "<svg/>", 6);
	assert_string_equal(b->data, "<svg/>");
}

/* ---- url ---- */

static void test_url_blocked(void **state)
{
	buf *b = *state;
	static const char *bad[] = {
	        "javascript:alert(1)",
	        "JaVaScRiPt:alert(1)",
	        "JAVASCRIPT:alert(1)",
	        " javascript:alert(1)",
	        "java\tscript:alert(1)",
	        "java\nscript:alert(1)",
	        "java\rscript:alert(1)",
	        "\x01\x02javascript:alert(1)",
	        "javascript :alert(1)",
	        "data:text/html,<script>alert(1)</script>",
	        "DATA:text/html;base64,PHNjcmlwdD4=",
	        "vbscript:msgbox(1)",
	        "file:///etc/passwd",
	        "ftp://example.org/",
	        "blob:https://example.org/x",
	        "x:y",
	        "aaaaaaaaaaaaaaaaaaaaaaaaa:alert(1)",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *got = url(b, bad[i]);
		if (strcmp(got, "#") != 0)
			fail_msg("html_url let \"%s\" through as \"%s\"", bad[i], got);
	}
	assert_string_equal(url(b, NULL), "#");
}

static void test_url_allowed(void **state)
{
	buf *b = *state;
	static const struct {
		const char *in, *out;
	} ok[] = {
	        {"/path", "/path"},
	        {"/", "/"},
	        {"/a:b", "/a:b"}, /* a colon after the first '/' is no scheme */
	        {"https://example.org/a?b=1&c=2", "https://example.org/a?b=1&amp;c=2"},
	        {"HTTPS://example.org/", "HTTPS://example.org/"},
	        {"http://example.org", "http://example.org"},
	        {"mailto:info@example.org", "mailto:info@example.org"},
	        {"tel:+31201234567", "tel:+31201234567"},
	        {"a/b", "a/b"},
	        {"?q=1", "?q=1"},
	        {"?next=javascript:x", "?next=javascript:x"},
	        {"#x", "#x"},
	        {"", ""},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		const char *got = url(b, ok[i].in);
		if (strcmp(got, ok[i].out) != 0)
			fail_msg("html_url(\"%s\") = \"%s\", want \"%s\"", ok[i].in, got,
			         ok[i].out);
	}
}

static void test_url_escaped(void **state)
{
	buf *b = *state;
	/* A URL cannot break out of its attribute. */
	assert_string_equal(url(b, "/a\" onclick=\"alert(1)"), "/a&quot; onclick=&quot;alert(1)");
	assert_string_equal(url(b, "/a'><script>"), "/a&#39;&gt;&lt;script&gt;");
	/* A character reference for ':' stays text, not a colon. */
	assert_string_equal(url(b, "javascript&#58;alert(1)"), "javascript&amp;#58;alert(1)");
}

/* Relative URLs whose first segment is long are still relative URLs. */
static void test_url_long_relative(void **state)
{
	buf *b = *state;
	assert_string_equal(url(b, "abcdefghijklmn"), "abcdefghijklmn");   /* 14 */
	assert_string_equal(url(b, "abcdefghijklmno"), "abcdefghijklmno"); /* 15 */
	assert_string_equal(url(b, "gespreksverslagen/12"), "gespreksverslagen/12");
	assert_string_equal(url(b, "jaarverslag-2026-definitief.pdf"),
	                    "jaarverslag-2026-definitief.pdf");
}

/* ---- svg numbers ---- */

static void test_svg_num(void **state)
{
	buf *b = *state;
	assert_string_equal(num(b, 12.5), "12.5");
	assert_string_equal(num(b, 3), "3");
	assert_string_equal(num(b, 0), "0");
	assert_string_equal(num(b, 100), "100");
	assert_string_equal(num(b, 10.25), "10.25");
	assert_string_equal(num(b, -7.125), "-7.125");
	assert_string_equal(num(b, 1.23456), "1.235"); /* at most 3 decimals */
	assert_string_equal(num(b, 2.0004), "2");
	assert_string_equal(num(b, -2.5), "-2.5");
}

static void test_svg_num_negative_zero(void **state)
{
	buf *b = *state;
	assert_string_equal(num(b, -0.0), "0");
	assert_string_equal(num(b, -0.0001), "0"); /* rounds to -0.000 */
}

static void test_svg_num_non_finite(void **state)
{
	buf *b = *state;
	assert_string_equal(num(b, NAN), "0");
	assert_string_equal(num(b, -NAN), "0");
	assert_string_equal(num(b, INFINITY), "0");
	assert_string_equal(num(b, -INFINITY), "0");
}

/* The whole output is one finite number, large and of the right sign (a
 * fix may clamp what no drawing needs), with nothing after it. */
static void assert_one_big_number(buf *b, double v)
{
	const char *s = num(b, v);
	assert_int_equal(strlen(s), b->len); /* no NUL or stack garbage inside */
	for (const char *p = s; *p; p++)
		if (!strchr("0123456789.-+e", *p))
			fail_msg("svg_num(%g): unexpected byte 0x%02x", v, (unsigned char)*p);
	char *end;
	double back = strtod(s, &end);
	assert_int_equal(*end, '\0');
	assert_true(isfinite(back));
	assert_true((back < 0) == (v < 0));
	assert_true(fabs(back) >= 1e9);
}

static void test_svg_num_huge(void **state)
{
	buf *b = *state;
	assert_one_big_number(b, 1e20);
	assert_one_big_number(b, 1e300);
	assert_one_big_number(b, -1e300);
	assert_one_big_number(b, 1.7976931348623157e308);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_text_escapes),       T(test_text_nul),     T(test_text_utf8),
	        T(test_text_controls),      T(test_attr),         T(test_appends),
	        T(test_url_blocked),        T(test_url_allowed),  T(test_url_escaped),
	        T(test_url_long_relative),  T(test_svg_num),      T(test_svg_num_negative_zero),
	        T(test_svg_num_non_finite), T(test_svg_num_huge),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
