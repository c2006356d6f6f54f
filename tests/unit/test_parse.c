/* test_parse.c: unit tests of the urlencoded, multipart, cookie and JSON parsers. */
#include "testutil.h"

#include "core/arena.h"
#include "http/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each test gets a fresh arena in *state. */
static int setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

/* Length of a string literal without its NUL, so literals may hold "\0". */
#define LIT(s) (s), (sizeof(s) - 1)

static int form(arena *a, const char *s, struct kvlist *l, const char **err)
{
	*err = NULL;
	return parse_urlencoded(a, s, strlen(s), l, err);
}

/* ---- urlencoded ---- */

static void test_form_basic(void **state)
{
	struct kvlist l;
	const char *err;
	assert_int_equal(form(*state, "a=1&b=two&a=3", &l, &err), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.items[0].name, "a");
	assert_string_equal(l.items[0].value, "1");
	assert_int_equal(l.items[0].value_len, 1);
	assert_string_equal(l.items[1].name, "b");
	assert_string_equal(l.items[1].value, "two");
	assert_string_equal(kv_get(&l, "a"), "1"); /* the first one wins */
	assert_string_equal(kv_get(&l, "b"), "two");
	assert_null(kv_get(&l, "c"));
	assert_null(l.items[0].filename);
	assert_null(l.items[0].content_type);
}

static void test_form_empty(void **state)
{
	struct kvlist l = {.n = 99};
	const char *err;
	assert_int_equal(form(*state, "", &l, &err), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(parse_urlencoded(*state, NULL, 0, &l, &err), 0);
	assert_int_equal(l.n, 0);
	assert_null(kv_get(&l, "a"));
	/* Only separators: every segment is empty and skipped. */
	assert_int_equal(form(*state, "&&&", &l, &err), 0);
	assert_int_equal(l.n, 0);
}

static void test_form_no_equals_and_empty_segments(void **state)
{
	struct kvlist l;
	const char *err;
	assert_int_equal(form(*state, "&flag&&x=&y=1&", &l, &err), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.items[0].name, "flag");
	assert_string_equal(l.items[0].value, "");
	assert_int_equal(l.items[0].value_len, 0);
	assert_string_equal(l.items[1].name, "x");
	assert_string_equal(l.items[1].value, "");
	assert_string_equal(l.items[2].value, "1");
	/* Only the first '=' splits. */
	assert_int_equal(form(*state, "k=a=b", &l, &err), 0);
	assert_string_equal(kv_get(&l, "k"), "a=b");
	/* ';' is not a separator. */
	assert_int_equal(form(*state, "a=1;b=2", &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(kv_get(&l, "a"), "1;b=2");
}

static void test_form_plus_and_escapes(void **state)
{
	struct kvlist l;
	const char *err;
	assert_int_equal(
	        form(*state, "q=hello+world&p=1%2B1&n=caf%C3%A9+%e2%82%AC&%61b=%7e", &l, &err), 0);
	assert_string_equal(kv_get(&l, "q"), "hello world");
	assert_string_equal(kv_get(&l, "p"), "1+1");
	assert_string_equal(kv_get(&l, "n"), "caf\xc3\xa9 \xe2\x82\xac");
	assert_int_equal(kv_find(&l, "n")->value_len, 9);
	assert_string_equal(kv_get(&l, "ab"), "~");
	/* Tab, CR and LF are allowed in values (textarea contents). */
	assert_int_equal(form(*state, "t=a%0D%0Ab%09c", &l, &err), 0);
	assert_string_equal(kv_get(&l, "t"), "a\r\nb\tc");
}

static void test_form_bad_escapes(void **state)
{
	static const char *bad[] = {"a=%zz", "a=%4", "a=%",      "a=%4g",
	                            "a=%g4", "%=1",  "a=1&b=x%", "a=%%41"};
	struct kvlist l;
	const char *err;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(form(*state, bad[i], &l, &err), -1);
		assert_string_equal(err, "The form data has an invalid percent escape.");
		assert_int_equal(l.n, 0); /* nothing partial is left behind */
	}
}

static void test_form_nul_rejected(void **state)
{
	struct kvlist l;
	const char *err = NULL;
	assert_int_equal(form(*state, "a=x%00y", &l, &err), -1);
	assert_string_equal(err, "The form data contains a NUL character.");
	assert_int_equal(form(*state, "%00=1", &l, &err), -1);
	assert_string_equal(err, "The form data contains a NUL character.");
	/* A raw NUL byte inside the data (length given, not strlen). */
	err = NULL;
	assert_int_equal(parse_urlencoded(*state, LIT("a=x\0y"), &l, &err), -1);
	assert_string_equal(err, "The form data contains a NUL character.");
}

static void test_form_invalid_utf8(void **state)
{
	static const char *bad[] = {"a=%FF",      "a=%C3", "a=%C0%AF", "a=%ED%A0%80",   "%C3%28=1",
	                            "a=\xc3\x28", "a=%01", "a=%7F",    "a=%F4%90%80%80"};
	struct kvlist l;
	const char *err;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		err = NULL;
		assert_int_equal(form(*state, bad[i], &l, &err), -1);
		assert_string_equal(err, "The form data is not valid UTF-8 text.");
	}
}

static void test_form_field_limit(void **state)
{
	char *s = malloc(PARSE_MAX_FIELDS * 8 + 16);
	assert_non_null(s);
	size_t n = 0;
	for (int i = 0; i < PARSE_MAX_FIELDS; i++)
		n += (size_t)sprintf(s + n, "f%d=%d&", i, i % 10);
	struct kvlist l;
	const char *err = NULL;
	assert_int_equal(parse_urlencoded(*state, s, n, &l, &err), 0);
	assert_int_equal(l.n, PARSE_MAX_FIELDS);
	assert_string_equal(kv_get(&l, "f999"), "9");
	assert_true(l.cap >= l.n);
	n += (size_t)sprintf(s + n, "one=more");
	assert_int_equal(parse_urlencoded(*state, s, n, &l, &err), -1);
	assert_string_equal(err, "The form data has too many fields.");
	assert_int_equal(l.n, 0);
	free(s);
}

static void test_form_not_terminated(void **state)
{
	/* The parser must stop at len: the byte after it is not NUL here, and
	 * ASan flags any read past the heap block. */
	char *s = malloc(7);
	assert_non_null(s);
	memcpy(s, "a=1&b=2", 7);
	struct kvlist l;
	const char *err;
	assert_int_equal(parse_urlencoded(*state, s, 5, &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(kv_get(&l, "b"), "");
	assert_int_equal(parse_urlencoded(*state, s, 7, &l, &err), 0);
	assert_string_equal(kv_get(&l, "b"), "2");
	free(s);
}

static void test_url_decode_inplace(void **state)
{
	char s[] = "a+b%20c%2b";
	size_t n = strlen(s);
	assert_int_equal(url_decode_inplace(s, &n), 0);
	assert_string_equal(s, "a b c+");
	assert_int_equal(n, 6);

	char e[] = "";
	n = 0;
	assert_int_equal(url_decode_inplace(e, &n), 0);
	assert_int_equal(n, 0);

	char bad1[] = "x%0";
	n = strlen(bad1);
	assert_int_equal(url_decode_inplace(bad1, &n), -1);
	char bad2[] = "x%00y";
	n = strlen(bad2);
	assert_int_equal(url_decode_inplace(bad2, &n), -1);
	char bad3[] = "%x1";
	n = strlen(bad3);
	assert_int_equal(url_decode_inplace(bad3, &n), -1);
}

static void test_kv_add_grows(void **state)
{
	struct kvlist l = {0};
	char names[100][16];
	for (int i = 0; i < 100; i++) {
		snprintf(names[i], sizeof names[i], "k%d", i);
		kv_add(*state, &l, names[i], names[i], strlen(names[i]));
	}
	assert_int_equal(l.n, 100);
	assert_true(l.cap >= 100);
	for (int i = 0; i < 100; i++) {
		const struct kv *f = kv_find(&l, names[i]);
		assert_non_null(f);
		assert_ptr_equal(f, &l.items[i]);
		assert_ptr_equal(f->value, names[i]); /* kv_add copies nothing */
		assert_null(f->filename);
	}
	assert_null(kv_find(&l, "k100"));
}

/* ---- multipart ---- */

#define CT "multipart/form-data; boundary=XyZ"

static int mp(arena *a, const char *ct, const char *body, size_t len, struct kvlist *l,
              const char **err)
{
	*err = NULL;
	/* Copy to an exact-size heap block so reading past len is caught. */
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, body, len);
	int r = parse_multipart(a, ct, copy, len, l, err);
	free(copy);
	return r;
}

static void expect_mp_error(arena *a, const char *ct, const char *body, size_t len, const char *msg)
{
	struct kvlist l;
	const char *err;
	int r = mp(a, ct, body, len, &l, &err);
	if (r != -1 || !err || strcmp(err, msg) != 0)
		fail_msg("expected \"%s\", got %d \"%s\"", msg, r, err ? err : "(null)");
	assert_int_equal(l.n, 0);
}

static const char MP_FULL[] =
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"title\"\r\n"
        "\r\n"
        "Een verhaal over de m\xc3\xa4rkt\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"body\"\r\n"
        "\r\n"
        "line one\r\nline two\r\n"
        "--XyZ\r\n"
        "content-disposition: FORM-DATA; NAME=\"photo\"; filename=\"p.bin\"\r\n"
        "Content-Type: application/octet-stream\r\n"
        "\r\n"
        "\x00\x01\xff\r\n--Xy\x00Z"
        "\r\n"
        "--XyZ--\r\n";

static void test_mp_fields_and_file(void **state)
{
	struct kvlist l;
	const char *err;
	assert_int_equal(mp(*state, CT, LIT(MP_FULL), &l, &err), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.items[0].name, "title");
	assert_string_equal(l.items[0].value, "Een verhaal over de m\xc3\xa4rkt");
	assert_null(l.items[0].filename);
	assert_null(l.items[0].content_type);
	assert_string_equal(kv_get(&l, "body"), "line one\r\nline two");
	const struct kv *f = kv_find(&l, "photo");
	assert_non_null(f);
	assert_string_equal(f->filename, "p.bin");
	assert_string_equal(f->content_type, "application/octet-stream");
	static const char bin[] = "\x00\x01\xff\r\n--Xy\x00Z";
	assert_int_equal(f->value_len, sizeof bin - 1);
	assert_memory_equal(f->value, bin, sizeof bin - 1);
	assert_int_equal(f->value[f->value_len], '\0');
}

static void test_mp_file_defaults_and_empty(void **state)
{
	static const char body[] =
	        "--XyZ\r\n"
	        "Content-Disposition: form-data; name=\"upload\"; filename=\"\"\r\n"
	        "\r\n"
	        "\r\n"
	        "--XyZ\r\n"
	        "Content-Disposition: form-data; name=empty\r\n"
	        "\r\n"
	        "\r\n"
	        "--XyZ--";
	struct kvlist l;
	const char *err;
	assert_int_equal(mp(*state, CT, LIT(body), &l, &err), 0);
	assert_int_equal(l.n, 2);
	const struct kv *f = kv_find(&l, "upload");
	assert_string_equal(f->filename, "");
	assert_string_equal(f->content_type, "application/octet-stream");
	assert_int_equal(f->value_len, 0);
	assert_string_equal(kv_get(&l, "empty"), "");
}

static void test_mp_boundary_forms(void **state)
{
	static const char body[] = "--a b:c=d?\r\n"
	                           "Content-Disposition: form-data; name=\"x\"\r\n"
	                           "\r\n"
	                           "1\r\n"
	                           "--a b:c=d?--\r\n";
	static const char *ok[] = {
	        "multipart/form-data; boundary=\"a b:c=d?\"",
	        "Multipart/Form-Data;BOUNDARY=\"a b:c=d?\"",
	        "multipart/form-data; charset=utf-8; boundary=\"a b:c=d?\"; x=y",
	        "  multipart/form-data ;  boundary = \"a b:c=d?\" ; ",
	};
	struct kvlist l;
	const char *err;
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		assert_int_equal(mp(*state, ok[i], LIT(body), &l, &err), 0);
		assert_string_equal(kv_get(&l, "x"), "1");
	}
	/* An unquoted boundary with characters outside token is accepted too. */
	static const char body2[] = "--==a/b\r\n"
	                            "Content-Disposition: form-data; name=x\r\n\r\n2\r\n"
	                            "--==a/b--";
	assert_int_equal(mp(*state, "multipart/form-data; boundary===a/b", LIT(body2), &l, &err),
	                 0);
	assert_string_equal(kv_get(&l, "x"), "2");
}

static void test_mp_bad_content_type(void **state)
{
	static const char body[] = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
	                           "--XyZ--";
	arena *a = *state;
	expect_mp_error(a, NULL, LIT(body), "The request is not multipart/form-data.");
	expect_mp_error(a, "text/plain; boundary=XyZ", LIT(body),
	                "The request is not multipart/form-data.");
	expect_mp_error(a, "multipart/mixed; boundary=XyZ", LIT(body),
	                "The request is not multipart/form-data.");
	expect_mp_error(a, "multipart/form-data", LIT(body),
	                "The multipart Content-Type has no boundary.");
	expect_mp_error(a, "multipart/form-data; charset=utf-8", LIT(body),
	                "The multipart Content-Type has no boundary.");
	expect_mp_error(a, "multipart/form-data; boundary=", LIT(body),
	                "The multipart boundary is invalid.");
	expect_mp_error(a, "multipart/form-data; boundary=\"\"", LIT(body),
	                "The multipart boundary is invalid.");
	expect_mp_error(a, "multipart/form-data; boundary=\"XyZ \"", LIT(body),
	                "The multipart boundary is invalid.");
	expect_mp_error(a, "multipart/form-data; boundary=Xy*Z", LIT(body),
	                "The multipart boundary is invalid.");
	expect_mp_error(a,
	                "multipart/form-data; boundary="
	                "12345678901234567890123456789012345678901234567890123456789012345678901",
	                LIT(body), "The multipart boundary is invalid.");
	expect_mp_error(a, "multipart/form-data; boundary=XyZ; boundary=XyZ", LIT(body),
	                "The multipart Content-Type header is malformed.");
	expect_mp_error(a, "multipart/form-data; boundary=\"XyZ", LIT(body),
	                "The multipart Content-Type header is malformed.");
	expect_mp_error(a, "multipart/form-data; boundary", LIT(body),
	                "The multipart Content-Type header is malformed.");
	expect_mp_error(a, "multipart/form-data boundary=XyZ", LIT(body),
	                "The multipart Content-Type header is malformed.");
}

static void test_mp_boundary_70_chars(void **state)
{
	char ct[128], body[512];
	const char *b = "1234567890123456789012345678901234567890123456789012345678901234567890";
	assert_int_equal(strlen(b), 70);
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b);
	int n = snprintf(body, sizeof body,
	                 "--%s\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--%s--", b, b);
	struct kvlist l;
	const char *err;
	assert_int_equal(mp(*state, ct, body, (size_t)n, &l, &err), 0);
	assert_string_equal(kv_get(&l, "a"), "v");
}

static void test_mp_preamble_and_epilogue(void **state)
{
	static const char body[] = "This is the preamble.\r\n--XyZ is mentioned here\r\n"
	                           "--XyZ\r\n"
	                           "Content-Disposition: form-data; name=\"a\"\r\n"
	                           "\r\n"
	                           "v\r\n"
	                           "--XyZ--  \r\nepilogue, ignored\r\n--XyZ\r\n";
	struct kvlist l;
	const char *err;
	/* The preamble's "--XyZ is" line is no delimiter line: refused. */
	expect_mp_error(*state, CT, LIT(body), "The multipart body has a malformed boundary line.");
	static const char body2[] = "preamble\r\n"
	                            "--XyZ  \t\r\n" /* transport padding */
	                            "Content-Disposition: form-data; name=\"a\"\r\n"
	                            "\r\n"
	                            "v\r\n"
	                            "--XyZ--\r\nepilogue --XyZ\r\n";
	assert_int_equal(mp(*state, CT, LIT(body2), &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(kv_get(&l, "a"), "v");
}

static void test_mp_no_parts(void **state)
{
	struct kvlist l;
	const char *err;
	assert_int_equal(mp(*state, CT, LIT("--XyZ--\r\n"), &l, &err), 0);
	assert_int_equal(l.n, 0);
	expect_mp_error(*state, CT, "", 0, "The multipart body does not contain its boundary.");
	expect_mp_error(*state, CT, LIT("hello"),
	                "The multipart body does not contain its boundary.");
}

static void test_mp_missing_close(void **state)
{
	arena *a = *state;
	const char *msg = "The multipart body has no closing boundary.";
	expect_mp_error(a, CT, LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv"),
	                msg);
	expect_mp_error(a, CT, LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n"),
	                msg);
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ"),
	                msg);
	expect_mp_error(
	        a, CT, LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ\r\n"),
	        msg);
	expect_mp_error(a, CT, LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\n"), msg);
	expect_mp_error(a, CT, LIT("--XyZ\r\nContent-Disposition: form-da"), msg);
	expect_mp_error(a, CT, LIT("--XyZ"), msg);
	expect_mp_error(a, CT, LIT("--XyZ-"), "The multipart body has a malformed boundary line.");
}

static void test_mp_part_without_name(void **state)
{
	arena *a = *state;
	const char *msg = "A multipart part has no name.";
	expect_mp_error(a, CT, LIT("--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--"),
	                msg);
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: form-data; filename=\"f\"\r\n\r\nv\r\n"
	                    "--XyZ--"),
	                msg);
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n"
	                    "--XyZ--"),
	                msg);
	expect_mp_error(a, CT, LIT("--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--"),
	                "A multipart part has no Content-Disposition header.");
	expect_mp_error(a, CT, LIT("--XyZ\r\n\r\nv\r\n--XyZ--"),
	                "A multipart part has no Content-Disposition header.");
}

static void test_mp_disposition_errors(void **state)
{
	arena *a = *state;
	const char *cd = "A multipart part has a malformed Content-Disposition header.";
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n"
	                    "--XyZ--"),
	                "A multipart part is not form-data.");
	expect_mp_error(a, CT, LIT("--XyZ\r\nContent-Disposition: ; name=a\r\n\r\nv\r\n--XyZ--"),
	                cd);
	expect_mp_error(
	        a, CT, LIT("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--"),
	        cd);
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n"
	                    "--XyZ--"),
	                cd);
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
	                    "Content-Disposition: form-data; name=b\r\n\r\nv\r\n--XyZ--"),
	                cd);
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
	                    "Content-Disposition: form-data\r\n\r\nv\r\n--XyZ--"),
	                cd);
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: form-data; name=\"a\" junk\r\n\r\nv\r\n"
	                    "--XyZ--"),
	                cd);
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: form-data; name=\"a\x01\"\r\n\r\nv\r\n"
	                    "--XyZ--"),
	                cd);
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\nv\r\n"
	                    "--XyZ--"),
	                "A multipart part name is not valid UTF-8 text.");
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: form-data; name=a; filename=\"\xc3\"\r\n"
	                    "\r\nv\r\n--XyZ--"),
	                "A multipart file name is not valid UTF-8 text.");
}

static void test_mp_quoted_escapes(void **state)
{
	static const char body[] = "--XyZ\r\n"
	                           "Content-Disposition: form-data; name=\"say \\\"hi\\\"\"; "
	                           "filename=\"C:\\dir\\a\\\\b.txt\"; filename*=UTF-8''ignored\r\n"
	                           "Content-Type: text/plain; charset=utf-8\r\n"
	                           "X-Other: ignored\r\n"
	                           "\r\n"
	                           "data\r\n"
	                           "--XyZ--";
	struct kvlist l;
	const char *err;
	assert_int_equal(mp(*state, CT, LIT(body), &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].name, "say \"hi\"");
	/* Only \" and \\ are escapes; other backslashes are kept. */
	assert_string_equal(l.items[0].filename, "C:\\dir\\a\\b.txt");
	assert_string_equal(l.items[0].content_type, "text/plain; charset=utf-8");
	assert_string_equal(l.items[0].value, "data");
	/* The quote of a name may hold ';' and '='. */
	static const char body2[] = "--XyZ\r\n"
	                            "Content-Disposition: form-data; name=\"a;b=c\"\r\n\r\nv\r\n"
	                            "--XyZ--";
	assert_int_equal(mp(*state, CT, LIT(body2), &l, &err), 0);
	assert_string_equal(kv_get(&l, "a;b=c"), "v");
}

static void test_mp_lf_only_rejected(void **state)
{
	arena *a = *state;
	const char *msg = "The multipart body must use CRLF line endings.";
	expect_mp_error(a, CT, LIT("--XyZ\nContent-Disposition: form-data; name=a\n\nv\n--XyZ--\n"),
	                msg);
	expect_mp_error(a, CT,
	                LIT("preamble\n--XyZ\nContent-Disposition: form-data; name=a\n\nv\n"
	                    "--XyZ--\n"),
	                msg);
	expect_mp_error(
	        a, CT, LIT("--XyZ\r\nContent-Disposition: form-data; name=a\n\nv\r\n--XyZ--"), msg);
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\nv\r\n--XyZ--"),
	                msg);
}

static void test_mp_field_utf8(void **state)
{
	arena *a = *state;
	const char *msg = "A multipart field is not valid UTF-8 text.";
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n\xc3\x28\r\n"
	                    "--XyZ--"),
	                msg);
	expect_mp_error(
	        a, CT,
	        LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nx\0y\r\n--XyZ--"), msg);
	/* The same bytes in a file part are fine. */
	struct kvlist l;
	const char *err;
	assert_int_equal(mp(a, CT,
	                    LIT("--XyZ\r\nContent-Disposition: form-data; name=a; filename=f\r\n"
	                        "\r\n\xc3\x28\0\r\n--XyZ--"),
	                    &l, &err),
	                 0);
	assert_int_equal(l.items[0].value_len, 3);
	assert_memory_equal(l.items[0].value, "\xc3\x28\0", 4);
}

static void test_mp_header_limits(void **state)
{
	arena *a = *state;
	char body[4096];
	size_t n = (size_t)sprintf(body, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n");
	for (int i = 0; i < 15; i++)
		n += (size_t)sprintf(body + n, "X-H%d: v\r\n", i);
	size_t base = n;
	n += (size_t)sprintf(body + n, "\r\nv\r\n--XyZ--");
	struct kvlist l;
	const char *err;
	assert_int_equal(mp(a, CT, body, n, &l, &err), 0); /* 16 headers is the limit */
	n = base + (size_t)sprintf(body + base, "X-H16: v\r\n\r\nv\r\n--XyZ--");
	expect_mp_error(a, CT, body, n, "A multipart part has too many headers.");

	/* A header line of exactly 1024 bytes is fine, 1025 is not. */
	for (int extra = 0; extra < 2; extra++) {
		n = (size_t)sprintf(body, "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX: ");
		size_t fill = 1024 - 3 + (size_t)extra;
		memset(body + n, 'v', fill);
		n += fill;
		n += (size_t)sprintf(body + n, "\r\n\r\nv\r\n--XyZ--");
		if (extra)
			expect_mp_error(a, CT, body, n, "A multipart header line is too long.");
		else
			assert_int_equal(mp(a, CT, body, n, &l, &err), 0);
	}
	expect_mp_error(
	        a, CT,
	        LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\n folded\r\n\r\nv\r\n"
	            "--XyZ--"),
	        "A multipart part has a malformed header.");
	expect_mp_error(
	        a, CT,
	        LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\nNoColon\r\n\r\nv\r\n"
	            "--XyZ--"),
	        "A multipart part has a malformed header.");
	expect_mp_error(a, CT,
	                LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\n: x\r\n\r\nv\r\n"
	                    "--XyZ--"),
	                "A multipart part has a malformed header.");
	expect_mp_error(
	        a, CT,
	        LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Type: \xc3\xa9"
	            "\r\n\r\nv\r\n--XyZ--"),
	        "A multipart part has an invalid Content-Type.");
	expect_mp_error(
	        a, CT,
	        LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Type: a/b\r\n"
	            "Content-Type: a/b\r\n\r\nv\r\n--XyZ--"),
	        "A multipart part has an invalid Content-Type.");
}

static void test_mp_malformed_delimiter(void **state)
{
	arena *a = *state;
	/* "--XyZabc" inside a part: RFC 2046 forbids the boundary as a prefix. */
	expect_mp_error(
	        a, CT,
	        LIT("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZabc\r\n"
	            "--XyZ--"),
	        "The multipart body has a malformed boundary line.");
	expect_mp_error(a, CT, LIT("--XyZx\r\n"),
	                "The multipart body has a malformed boundary line.");
}

static void test_mp_part_limit(void **state)
{
	static const char part[] = "--XyZ\r\nContent-Disposition: form-data; name=f\r\n\r\nv\r\n";
	size_t cap = (PARSE_MAX_FIELDS + 1) * (sizeof part - 1) + 16;
	char *body = malloc(cap);
	assert_non_null(body);
	size_t n = 0;
	for (int i = 0; i < PARSE_MAX_FIELDS; i++) {
		memcpy(body + n, part, sizeof part - 1);
		n += sizeof part - 1;
	}
	memcpy(body + n, "--XyZ--", 7);
	struct kvlist l;
	const char *err;
	assert_int_equal(mp(*state, CT, body, n + 7, &l, &err), 0);
	assert_int_equal(l.n, PARSE_MAX_FIELDS);
	memcpy(body + n, part, sizeof part - 1);
	n += sizeof part - 1;
	memcpy(body + n, "--XyZ--", 7);
	expect_mp_error(*state, CT, body, n + 7, "The multipart body has too many parts.");
	free(body);
}

/* ---- cookies ---- */

static void test_cookies_basic(void **state)
{
	struct kvlist l;
	assert_int_equal(parse_cookies(*state, "sid=abc123; lang=nl;theme=dark", &l), 3);
	assert_int_equal(l.n, 3);
	assert_string_equal(kv_get(&l, "sid"), "abc123");
	assert_string_equal(kv_get(&l, "lang"), "nl");
	assert_string_equal(kv_get(&l, "theme"), "dark");
	assert_int_equal(kv_find(&l, "sid")->value_len, 6);
	assert_int_equal(parse_cookies(*state, "", &l), 0);
	assert_int_equal(parse_cookies(*state, NULL, &l), 0);
	assert_int_equal(l.n, 0);
}

static void test_cookies_spaces_and_quotes(void **state)
{
	struct kvlist l;
	assert_int_equal(
	        parse_cookies(*state, " \ta = 1 ;\tb=\"quoted value\" ; c=\"\" ; d=\"x ;", &l), 4);
	assert_string_equal(kv_get(&l, "a"), "1");
	assert_string_equal(kv_get(&l, "b"), "quoted value");
	assert_string_equal(kv_get(&l, "c"), "");
	assert_int_equal(kv_find(&l, "c")->value_len, 0);
	assert_string_equal(kv_get(&l, "d"), "\"x"); /* unbalanced quote kept */
	assert_int_equal(parse_cookies(*state, "e=\"", &l), 1);
	assert_string_equal(kv_get(&l, "e"), "\"");
	assert_int_equal(parse_cookies(*state, "f=a=b==", &l), 1);
	assert_string_equal(kv_get(&l, "f"), "a=b==");
}

static void test_cookies_malformed_skipped(void **state)
{
	struct kvlist l;
	int n = parse_cookies(*state,
	                      "noequals; =empty; bad name=1; bad\"q=2; ok=yes;;; ctl=a\x01z; "
	                      "tab=a\tz; u=\xff; x=1",
	                      &l);
	assert_int_equal(n, 2);
	assert_string_equal(l.items[0].name, "ok");
	assert_string_equal(l.items[0].value, "yes");
	assert_string_equal(l.items[1].name, "x");
	assert_null(kv_get(&l, "noequals"));
	assert_null(kv_get(&l, "ctl"));
	assert_null(kv_get(&l, "tab"));
	assert_null(kv_get(&l, "u"));
	/* Non-ASCII UTF-8 values are kept. */
	assert_int_equal(parse_cookies(*state, "n=caf\xc3\xa9", &l), 1);
	assert_string_equal(kv_get(&l, "n"), "caf\xc3\xa9");
}

static void test_cookies_host_prefix_and_duplicates(void **state)
{
	struct kvlist l;
	assert_int_equal(parse_cookies(*state,
	                               "__Host-vp_session=s1; __Secure-x=2; "
	                               "__Host-vp_session=s2",
	                               &l),
	                 3);
	assert_string_equal(kv_get(&l, "__Host-vp_session"), "s1");
	assert_string_equal(l.items[2].value, "s2");
	assert_string_equal(kv_get(&l, "__Secure-x"), "2");
	assert_null(kv_get(&l, "__host-vp_session")); /* names are case-sensitive */
}

static void test_cookies_limit(void **state)
{
	size_t cap = (PARSE_MAX_FIELDS + 10) * 12;
	char *s = malloc(cap);
	assert_non_null(s);
	size_t n = 0;
	for (int i = 0; i < PARSE_MAX_FIELDS + 5; i++)
		n += (size_t)sprintf(s + n, "c%d=v; ", i);
	struct kvlist l;
	assert_int_equal(parse_cookies(*state, s, &l), PARSE_MAX_FIELDS);
	assert_int_equal(l.n, PARSE_MAX_FIELDS);
	assert_non_null(kv_get(&l, "c999"));
	assert_null(kv_get(&l, "c1000"));
	free(s);
}

/* ---- JSON ---- */

static int json(const char *s, size_t len, json_t **j, const char **err)
{
	*err = NULL;
	*j = (json_t *)1; /* must be reset */
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, s, len);
	int r = parse_json_body(copy, len, j, err);
	free(copy);
	return r;
}

static void expect_json_error(const char *s, size_t len, const char *msg)
{
	json_t *j;
	const char *err;
	int r = json(s, len, &j, &err);
	if (r != -1 || !err || strcmp(err, msg) != 0)
		fail_msg("%.40s: expected \"%s\", got %d \"%s\"", s, msg, r, err ? err : "(null)");
	assert_null(j);
}

static void test_json_object(void **state)
{
	json_t *j;
	const char *err;
	assert_int_equal(json(LIT(" {\"a\": 1, \"b\": [true, null, \"x\\u00e9\"]}\n"), &j, &err),
	                 0);
	assert_non_null(j);
	assert_true(json_is_object(j));
	assert_int_equal(json_integer_value(json_object_get(j, "a")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "b"), 2)),
	                    "x\xc3\xa9");
	json_decref(j);
	assert_int_equal(json(LIT("{}"), &j, &err), 0);
	assert_int_equal(json_object_size(j), 0);
	json_decref(j);
	/* Brackets inside strings do not count towards the depth. */
	assert_int_equal(json(LIT("{\"s\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{\\\"["
	                          "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\\\"}"),
	                      &j, &err),
	                 0);
	json_decref(j);
}

static void test_json_not_object(void **state)
{
	const char *msg = "The JSON body must be an object.";
	expect_json_error(LIT("[1,2]"), msg);
	expect_json_error(LIT("\"text\""), msg);
	expect_json_error(LIT("42"), msg);
	expect_json_error(LIT("null"), msg);
}

static void test_json_invalid(void **state)
{
	const char *msg = "The request body is not valid JSON.";
	expect_json_error(LIT("{\"a\":1} x"), msg);
	expect_json_error(LIT("{\"a\":1}{}"), msg);
	expect_json_error(LIT("{\"a\":1}\0"), msg);
	expect_json_error(LIT("{\"a\":1"), msg);
	expect_json_error(LIT("{a:1}"), msg);
	expect_json_error(LIT("{\"a\":\"\xff\"}"), msg);
	expect_json_error(LIT("{\"a\":\"\xc3\"}"), msg);
	expect_json_error(LIT("{\"a\":\"x\\u0000y\"}"), msg);
	expect_json_error(LIT("{\"a\":\"x\0y\"}"), msg);
	expect_json_error(LIT("   "), msg);
	expect_json_error(LIT("{\"a\":1,}"), msg);
	expect_json_error("", 0, "The request body is empty.");
	json_t *j;
	const char *err = NULL;
	assert_int_equal(parse_json_body(NULL, 0, &j, &err), -1);
	assert_string_equal(err, "The request body is empty.");
}

static void test_json_duplicate_keys(void **state)
{
	expect_json_error(LIT("{\"a\":1,\"a\":2}"), "The JSON body has a duplicate key.");
	expect_json_error(LIT("{\"o\":{\"k\":1,\"k\":1}}"), "The JSON body has a duplicate key.");
}

/* depth nested containers, objects and arrays alternating: nested(3) is
 * {"a":[{}]}. */
static char *nested(int depth, size_t *len)
{
	char *s = malloc((size_t)depth * 6 + 8);
	assert_non_null(s);
	size_t n = 0;
	for (int i = 0; i < depth - 1; i++) {
		if (i % 2 == 0) {
			memcpy(s + n, "{\"a\":", 5);
			n += 5;
		} else {
			s[n++] = '[';
		}
	}
	memcpy(s + n, (depth - 1) % 2 == 0 ? "{}" : "[]", 2);
	n += 2;
	for (int i = depth - 2; i >= 0; i--)
		s[n++] = i % 2 == 0 ? '}' : ']';
	*len = n;
	return s;
}

static void test_json_depth(void **state)
{
	size_t n;
	json_t *j;
	const char *err;
	char *s = nested(1, &n);
	assert_int_equal(n, 2);
	assert_memory_equal(s, "{}", 2);
	free(s);
	s = nested(3, &n);
	assert_int_equal(n, 10);
	assert_memory_equal(s, "{\"a\":[{}]}", 10);
	free(s);

	s = nested(PARSE_MAX_JSON_DEPTH, &n);
	assert_int_equal(json(s, n, &j, &err), 0);
	json_decref(j);
	free(s);
	s = nested(PARSE_MAX_JSON_DEPTH - 1, &n);
	assert_int_equal(json(s, n, &j, &err), 0);
	json_decref(j);
	free(s);
	s = nested(PARSE_MAX_JSON_DEPTH + 1, &n);
	expect_json_error(s, n, "The JSON body is nested too deeply.");
	free(s);
	s = nested(5000, &n); /* beyond jansson's own limit of 2048 */
	expect_json_error(s, n, "The JSON body is nested too deeply.");
	free(s);
	/* Siblings do not add up: many shallow containers are fine. */
	static const char wide[] = "{\"a\":[[],[],[],[],[],[],[],[],[],[],[],[],[],[],[],[],[],[],"
	                           "[],[],[],[],[],[],[],[],[],[],[],[],[],[],[],[],[],[],[],[]]}";
	assert_int_equal(json(LIT(wide), &j, &err), 0);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_form_basic, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_form_empty, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_form_no_equals_and_empty_segments, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_form_plus_and_escapes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_form_bad_escapes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_form_nul_rejected, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_form_invalid_utf8, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_form_field_limit, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_form_not_terminated, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_url_decode_inplace, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_kv_add_grows, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_fields_and_file, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_file_defaults_and_empty, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_boundary_forms, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_bad_content_type, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_boundary_70_chars, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_preamble_and_epilogue, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_no_parts, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_missing_close, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_part_without_name, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_disposition_errors, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_quoted_escapes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_lf_only_rejected, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_field_utf8, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_header_limits, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_malformed_delimiter, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_mp_part_limit, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_cookies_basic, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_cookies_spaces_and_quotes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_cookies_malformed_skipped, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_cookies_host_prefix_and_duplicates, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_cookies_limit, setup, teardown),
	        cmocka_unit_test(test_json_object),
	        cmocka_unit_test(test_json_not_object),
	        cmocka_unit_test(test_json_invalid),
	        cmocka_unit_test(test_json_duplicate_keys),
	        cmocka_unit_test(test_json_depth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
