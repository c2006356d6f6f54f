/* test_uploads.c: the real server: uploading images, refusing everything else, serving them back with safe headers. */
#include "../unit/testutil.h"

#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "io/image.h"
#include "model/user.h"

#include <jansson.h>
#include <sodium.h>
#include <sys/stat.h>
#include <vips/vips.h>

#define STAFF_PW "staff password 123"
#define OTHER_PW "other org password 1"

enum {
	BODY_LIMIT = 64 * 1024,    /* every other route */
	UPLOAD_LIMIT = 256 * 1024, /* POST /api/v1/uploads */
	MAX_PIXELS = 500 * 500
};

static char updir[300];
static int ipn;

static void new_jar(struct jar *j)
{
	memset(j, 0, sizeof *j);
	ipn++;
	snprintf(j->ip, sizeof j->ip, "10.7.%d.%d", ipn / 250, ipn % 250 + 1);
}

/* An account whose display name is its username. */
static int64_t add_user(db *d, int64_t org, const char *name, unsigned role, const char *pw)
{
	int64_t id = fixture_user(d, org, name, name, role, pw, 0);
	assert_true(id > 0);
	return id;
}

static int setup(void **state)
{
	if (image_init() != 0)
		return -1;
	db *d = fixture_open("uploads");
	int64_t org, org2;
	if (!d || org_ensure(d, "Gemeente Test", &org) != DB_OK ||
	    org_ensure(d, "Gemeente Elders", &org2) != DB_OK)
		return -1;
	snprintf(updir, sizeof updir, "%s/uploads", dir);
	add_user(d, org, "staff", ROLE_GESPREKSVOERDER, STAFF_PW);
	add_user(d, org, "reader", ROLE_MEELEZER, STAFF_PW);
	add_user(d, org2, "other", ROLE_GESPREKSVOERDER, OTHER_PW);
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.body_limit = BODY_LIMIT;
	cfg.upload_limit = UPLOAD_LIMIT;
	cfg.upload_max_pixels = MAX_PIXELS;
	cfg.conn_timeout = 5;
	/* upload_dir stays NULL: uploads/ next to the database. */
	return fixture_start(d, &cfg);
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* ---- helpers ------------------------------------------------------------- */

static void login(struct jar *j, const char *user, const char *pw)
{
	assert_int_equal(fixture_login(j, user, pw, NULL), 303);
}

/* The session's CSRF token, from GET /api/v1/me. */
static void api_csrf(struct jar *j, char out[65])
{
	wt_api_csrf(j, out, 65);
}

#define BOUNDARY "vpUploadBoundary42"

/* A multipart body with the CSRF token (unless NULL) and one part named
 * field (a file part when filename is not NULL). */
static void multipart(buf *b, const char *csrf, const char *field, const char *filename,
                      const char *ctype, const void *data, size_t len)
{
	buf_init(b);
	if (csrf)
		buf_printf(b,
		           "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"csrf_token\""
		           "\r\n\r\n%s\r\n",
		           csrf);
	buf_printf(b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"", field);
	if (filename)
		buf_printf(b, "; filename=\"%s\"\r\nContent-Type: %s", filename, ctype);
	buf_puts(b, "\r\n\r\n");
	buf_append(b, data, len);
	buf_puts(b, "\r\n--" BOUNDARY "--\r\n");
}

static int post_upload(struct jar *j, const char *csrf, const char *filename, const char *ctype,
                       const void *data, size_t len, struct http_resp *r)
{
	buf b;
	multipart(&b, csrf, "file", filename, ctype, data, len);
	int rc = http_do(port, j, "POST", "/api/v1/uploads",
	                 "multipart/form-data; boundary=" BOUNDARY, NULL, b.data, b.len, r);
	buf_free(&b);
	assert_int_equal(rc, 0);
	return r->status;
}

/* Status of an upload, with the response's problem type checked for errors. */
static int upload_status(struct jar *j, const char *csrf, const char *filename, const void *data,
                         size_t len)
{
	struct http_resp r;
	int st = post_upload(j, csrf, filename, "application/octet-stream", data, len, &r);
	if (st >= 400)
		assert_string_equal(http_header(&r, "Content-Type"), "application/problem+json");
	http_free(&r);
	return st;
}

/* A w x h RGB PNG or JPEG: noise when noisy (incompressible), else a ramp. */
static void *make_image(enum image_type t, int w, int h, int noisy, size_t *len)
{
	size_t n = (size_t)w * h * 3;
	unsigned char *px = malloc(n);
	assert_non_null(px);
	if (noisy)
		randombytes_buf(px, n);
	else
		for (size_t i = 0; i < n; i++) /* a smooth left-to-right ramp */
			px[i] = (unsigned char)((i / 3) % (size_t)w * 255 / (size_t)w);
	VipsImage *img = vips_image_new_from_memory_copy(px, n, w, h, 3, VIPS_FORMAT_UCHAR);
	free(px);
	assert_non_null(img);
	void *out = NULL;
	int rc = t == IMAGE_PNG ? vips_pngsave_buffer(img, &out, len, "compression", 9, NULL)
	                        : vips_jpegsave_buffer(img, &out, len, NULL);
	g_object_unref(img);
	assert_int_equal(rc, 0);
	return out;
}

static void le(buf *b, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		buf_putc(b, (char)(v >> (8 * i)));
}

/* jpg with an APP1 EXIF segment holding a Make and a GPS latitude. */
static void jpeg_with_gps(const unsigned char *jpg, size_t len, buf *out)
{
	buf t;
	buf_init(&t);
	buf_append(&t, "Exif\0\0II*\0", 10);
	le(&t, 8, 4);
	le(&t, 2, 2); /* IFD0: Make, GPS pointer */
	le(&t, 0x010f, 2), le(&t, 2, 2), le(&t, 7, 4), le(&t, 68, 4);
	le(&t, 0x8825, 2), le(&t, 4, 2), le(&t, 1, 4), le(&t, 38, 4);
	le(&t, 0, 4);
	le(&t, 2, 2); /* GPS IFD at 38: LatitudeRef, Latitude */
	le(&t, 0x0001, 2), le(&t, 2, 2), le(&t, 2, 4), le(&t, 'N', 4);
	le(&t, 0x0002, 2), le(&t, 5, 2), le(&t, 3, 4), le(&t, 76, 4);
	le(&t, 0, 4);
	buf_append(&t, "SpyCam\0\0", 8); /* at 68, then the latitude at 76 */
	uint32_t lat[6] = {52, 1, 5, 1, 7, 1};
	for (int i = 0; i < 6; i++)
		le(&t, lat[i], 4);
	buf_init(out);
	buf_append(out, jpg, 2);
	unsigned char h[4] = {0xff, 0xe1, (unsigned char)((t.len + 2) >> 8),
	                      (unsigned char)(t.len + 2)};
	buf_append(out, h, 4);
	buf_append(out, t.data, t.len);
	buf_append(out, jpg + 2, len - 2);
	buf_free(&t);
}

/* Checks a 201 answer and returns its token (static). */
static const char *created(struct http_resp *r, const char *type, int w, int h, json_t **obj)
{
	static char token[64];
	assert_int_equal(r->status, 201);
	assert_string_equal(http_header(r, "Content-Type"), "application/json");
	json_t *o = json_loadb(r->body, r->body_len, 0, NULL);
	assert_non_null(o);
	assert_true(json_integer_value(json_object_get(o, "id")) > 0);
	const char *t = json_string_value(json_object_get(o, "token"));
	assert_non_null(t);
	assert_int_equal(strlen(t), 32);
	assert_int_equal(strspn(t, "0123456789abcdef"), 32);
	snprintf(token, sizeof token, "%s", t);
	char url[80];
	snprintf(url, sizeof url, "/uploads/%s", t);
	assert_string_equal(json_string_value(json_object_get(o, "url")), url);
	assert_string_equal(json_string_value(json_object_get(o, "content_type")), type);
	assert_int_equal(json_integer_value(json_object_get(o, "width")), w);
	assert_int_equal(json_integer_value(json_object_get(o, "height")), h);
	assert_true(json_integer_value(json_object_get(o, "bytes")) > 0);
	if (obj)
		*obj = o;
	else
		json_decref(o);
	return token;
}

/* ---- tests --------------------------------------------------------------- */

static void test_png_round_trip(void **state)
{
	struct jar j;
	new_jar(&j);
	login(&j, "staff", STAFF_PW);
	char csrf[65];
	api_csrf(&j, csrf);
	size_t len;
	void *png = make_image(IMAGE_PNG, 64, 48, 0, &len);
	struct http_resp r;
	post_upload(&j, csrf, "Plattegrond wijk Oost \xc3\xa9\xc3\xa9n.png", "image/png", png, len,
	            &r);
	json_t *o;
	const char *token = created(&r, "image/png", 64, 48, &o);
	assert_string_equal(json_string_value(json_object_get(o, "name")),
	                    "Plattegrond wijk Oost \xc3\xa9\xc3\xa9n.png");
	int64_t bytes = json_integer_value(json_object_get(o, "bytes"));
	char path[80];
	snprintf(path, sizeof path, "%s", json_string_value(json_object_get(o, "url")));
	json_decref(o);
	http_free(&r);

	/* The file: named by the token alone, private to the server's user,
	 * in a private folder, with no temporary file left. */
	char file[400];
	snprintf(file, sizeof file, "%s/%s", updir, token);
	struct stat st;
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, bytes);
	assert_int_equal(stat(updir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -q tmp", updir);
	assert_int_not_equal(system(cmd), 0);

	assert_int_equal(http_get(port, &j, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(http_header(&r, "Content-Type"), "image/png");
	assert_string_equal(http_header(&r, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(http_header(&r, "Cache-Control"), "no-store");
	assert_string_equal(http_header(&r, "Content-Disposition"),
	                    "inline; filename=\"Plattegrond wijk Oost __n.png\"; "
	                    "filename*=UTF-8''Plattegrond%20wijk%20Oost%20%C3%A9%C3%A9n.png");
	assert_int_equal(r.body_len, bytes);
	assert_int_equal(image_sniff(r.body, r.body_len), IMAGE_PNG);
	http_free(&r);
	g_free(png);

	/* Also for a read-only colleague of the same organisation. */
	struct jar k;
	new_jar(&k);
	login(&k, "reader", STAFF_PW);
	assert_int_equal(http_get(port, &k, path, &r), 0);
	assert_int_equal(r.status, 200);
	http_free(&r);
	/* Not for staff of another organisation. */
	new_jar(&k);
	login(&k, "other", OTHER_PW);
	assert_int_equal(http_get(port, &k, path, &r), 0);
	assert_int_equal(r.status, 404);
	http_free(&r);
}

static void test_jpeg_loses_exif(void **state)
{
	struct jar j;
	new_jar(&j);
	login(&j, "reader", STAFF_PW); /* every staff role may upload */
	char csrf[65];
	api_csrf(&j, csrf);
	size_t len;
	unsigned char *jpg = make_image(IMAGE_JPEG, 80, 60, 0, &len);
	buf in;
	jpeg_with_gps(jpg, len, &in);
	assert_non_null(memmem(in.data, in.len, "SpyCam", 6));
	struct http_resp r;
	/* The name says PNG, the part says GIF: the bytes decide. */
	post_upload(&j, csrf, "IMG_0001.png", "image/gif", in.data, in.len, &r);
	json_t *o;
	created(&r, "image/jpeg", 80, 60, &o);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "IMG_0001.jpg");
	char path[80];
	snprintf(path, sizeof path, "%s", json_string_value(json_object_get(o, "url")));
	json_decref(o);
	http_free(&r);
	assert_int_equal(http_get(port, &j, path, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(http_header(&r, "Content-Type"), "image/jpeg");
	assert_string_equal(http_header(&r, "Content-Disposition"),
	                    "inline; filename=\"IMG_0001.jpg\"; filename*=UTF-8''IMG_0001.jpg");
	assert_int_equal(image_sniff(r.body, r.body_len), IMAGE_JPEG);
	assert_null(memmem(r.body, r.body_len, "Exif", 4));
	assert_null(memmem(r.body, r.body_len, "SpyCam", 6));
	http_free(&r);
	buf_free(&in);
	g_free(jpg);
}

static void test_names_cleaned(void **state)
{
	struct jar j;
	new_jar(&j);
	login(&j, "staff", STAFF_PW);
	char csrf[65];
	api_csrf(&j, csrf);
	size_t len;
	void *png = make_image(IMAGE_PNG, 8, 8, 0, &len);
	static const struct {
		const char *sent, *stored;
	} names[] = {
	        {"../../etc/pass\\\"wd.svg", "pass_wd.png"},
	        {"C:\\\\Users\\\\jan\\\\schets.PNG", "schets.png"},
	        {"", "upload.png"},
	        {"...", "upload.png"},
	        {"kaart\xe2\x80\xaegnp.exe", "kaart_gnp.png"}, /* right-to-left override */
	        {"  .verborgen.jpeg  ", "verborgen.png"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct http_resp r;
		post_upload(&j, csrf, names[i].sent, "image/png", png, len, &r);
		json_t *o;
		created(&r, "image/png", 8, 8, &o);
		const char *got = json_string_value(json_object_get(o, "name"));
		if (strcmp(got, names[i].stored) != 0)
			fail_msg("name %zu: got \"%s\", want \"%s\"", i, got, names[i].stored);
		json_decref(o);
		http_free(&r);
	}
	g_free(png);
}

static void test_refused_types(void **state)
{
	struct jar j;
	new_jar(&j);
	login(&j, "staff", STAFF_PW);
	char csrf[65];
	api_csrf(&j, csrf);
	const char svg[] = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	                   "onload=\"alert(1)\"><rect width=\"10\" height=\"10\"/></svg>";
	assert_int_equal(upload_status(&j, csrf, "kaart.svg", svg, sizeof svg - 1), 415);
	assert_int_equal(upload_status(&j, csrf, "kaart.png", svg, sizeof svg - 1), 415);
	const char html[] = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";
	assert_int_equal(upload_status(&j, csrf, "foto.jpg", html, sizeof html - 1), 415);
	const char text[] = "Dit is geen plaatje, alleen tekst.\n";
	assert_int_equal(upload_status(&j, csrf, "plan.png", text, sizeof text - 1), 415);
	const char gif[] = "GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,"
	                   "\0\0\0\0\x01\0\x01\0\0\x02\x02\x44\x01\0;";
	assert_int_equal(upload_status(&j, csrf, "anim.gif", gif, sizeof gif - 1), 415);

	/* Polyglots: a real PNG with markup after its header, and with markup
	 * appended after its end. */
	size_t len;
	unsigned char *png = make_image(IMAGE_PNG, 8, 8, 0, &len);
	buf b;
	buf_init(&b);
	buf_append(&b, png, 33);
	buf_puts(&b, "<html><script>fetch('/api/v1/users')</script></html>");
	buf_append(&b, png + 33, len - 33);
	assert_int_equal(upload_status(&j, csrf, "poly.png", b.data, b.len), 415);
	buf_reset(&b);
	buf_append(&b, png, len);
	buf_puts(&b, "<script>alert(1)</script>");
	assert_int_equal(upload_status(&j, csrf, "poly2.png", b.data, b.len), 415);
	buf_free(&b);
	g_free(png);

	/* A body that is not multipart is the wrong type too. */
	struct http_resp r;
	char extra[120];
	snprintf(extra, sizeof extra, "X-CSRF-Token: %s\r\n", csrf);
	assert_int_equal(
	        http_do(port, &j, "POST", "/api/v1/uploads", "image/png", extra, "x", 1, &r), 0);
	assert_int_equal(r.status, 415);
	http_free(&r);
	assert_int_equal(http_do(port, &j, "POST", "/api/v1/uploads",
	                         "application/x-www-form-urlencoded", extra, "file=x", 6, &r),
	                 0);
	assert_int_equal(r.status, 415);
	http_free(&r);
}

static void test_damaged_and_malformed(void **state)
{
	struct jar j;
	new_jar(&j);
	login(&j, "staff", STAFF_PW);
	char csrf[65];
	api_csrf(&j, csrf);
	size_t len;
	unsigned char *png = make_image(IMAGE_PNG, 32, 32, 1, &len);
	/* A truncated image is a PNG that cannot be read. */
	assert_int_equal(upload_status(&j, csrf, "half.png", png, len / 2), 422);
	/* An empty file. */
	assert_int_equal(upload_status(&j, csrf, "leeg.png", "", 0), 400);

	struct http_resp r;
	buf b;
	/* No "file" part, or "file" as a plain field. */
	multipart(&b, csrf, "bestand", "x.png", "image/png", png, len);
	assert_int_equal(http_do(port, &j, "POST", "/api/v1/uploads",
	                         "multipart/form-data; boundary=" BOUNDARY, NULL, b.data, b.len,
	                         &r),
	                 0);
	assert_int_equal(r.status, 400);
	http_free(&r);
	buf_free(&b);
	multipart(&b, csrf, "file", NULL, NULL, "abc", 3);
	assert_int_equal(http_do(port, &j, "POST", "/api/v1/uploads",
	                         "multipart/form-data; boundary=" BOUNDARY, NULL, b.data, b.len,
	                         &r),
	                 0);
	assert_int_equal(r.status, 400);
	http_free(&r);
	buf_free(&b);
	/* No closing delimiter. */
	multipart(&b, csrf, "file", "x.png", "image/png", png, len);
	b.len -= strlen("\r\n--" BOUNDARY "--\r\n");
	char extra[120];
	snprintf(extra, sizeof extra, "X-CSRF-Token: %s\r\n", csrf);
	assert_int_equal(http_do(port, &j, "POST", "/api/v1/uploads",
	                         "multipart/form-data; boundary=" BOUNDARY, extra, b.data, b.len,
	                         &r),
	                 0);
	assert_int_equal(r.status, 400);
	assert_string_equal(http_header(&r, "Content-Type"), "application/problem+json");
	http_free(&r);
	buf_free(&b);
	g_free(png);
}

static void test_limits(void **state)
{
	struct jar j;
	new_jar(&j);
	login(&j, "staff", STAFF_PW);
	char csrf[65];
	api_csrf(&j, csrf);
	size_t len;
	/* Over the form limit but under the upload limit: accepted. */
	void *mid = make_image(IMAGE_PNG, 200, 200, 1, &len);
	assert_true(len > BODY_LIMIT && len < UPLOAD_LIMIT - 1024);
	struct http_resp r;
	post_upload(&j, csrf, "ruis.png", "image/png", mid, len, &r);
	created(&r, "image/png", 200, 200, NULL);
	http_free(&r);
	/* The larger limit is for signed-in staff only; others get the form
	 * limit (before their body is read). */
	struct jar anon;
	new_jar(&anon);
	assert_int_equal(upload_status(&anon, "x", "ruis.png", mid, len), 413);
	g_free(mid);

	/* Over the upload limit. */
	void *big = make_image(IMAGE_PNG, 320, 320, 1, &len);
	assert_true(len > UPLOAD_LIMIT);
	assert_int_equal(upload_status(&j, csrf, "groot.png", big, len), 413);
	g_free(big);

	/* More pixels than allowed, in few bytes. */
	void *wide = make_image(IMAGE_PNG, 501, 500, 0, &len);
	assert_true(len < UPLOAD_LIMIT);
	assert_int_equal(upload_status(&j, csrf, "breed.png", wide, len), 422);
	g_free(wide);
	void *ok = make_image(IMAGE_JPEG, 500, 500, 0, &len);
	post_upload(&j, csrf, "precies.jpg", "image/jpeg", ok, len, &r);
	created(&r, "image/jpeg", 500, 500, NULL);
	http_free(&r);
	g_free(ok);
}

static void test_access(void **state)
{
	size_t len;
	void *png = make_image(IMAGE_PNG, 8, 8, 0, &len);
	struct jar j;
	new_jar(&j);
	/* Not signed in. */
	assert_int_equal(upload_status(&j, "x", "a.png", png, len), 401);
	login(&j, "staff", STAFF_PW);
	char csrf[65];
	api_csrf(&j, csrf);
	/* Without a CSRF token, or with a wrong one. */
	assert_int_equal(upload_status(&j, NULL, "a.png", png, len), 403);
	char wrong[65];
	memcpy(wrong, csrf, sizeof wrong);
	wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
	assert_int_equal(upload_status(&j, wrong, "a.png", png, len), 403);
	/* The token in the header works as well as in the form. */
	buf b;
	multipart(&b, NULL, "file", "a.png", "image/png", png, len);
	char extra[120];
	snprintf(extra, sizeof extra, "X-CSRF-Token: %s\r\n", csrf);
	struct http_resp r;
	assert_int_equal(http_do(port, &j, "POST", "/api/v1/uploads",
	                         "multipart/form-data; boundary=" BOUNDARY, extra, b.data, b.len,
	                         &r),
	                 0);
	char path[80];
	snprintf(path, sizeof path, "/uploads/%s", created(&r, "image/png", 8, 8, NULL));
	http_free(&r);
	buf_free(&b);
	g_free(png);

	/* Unknown and malformed tokens. */
	const char *bad[] = {"/uploads/0123456789abcdef0123456789abcdef",
	                     "/uploads/0123456789ABCDEF0123456789ABCDEF", "/uploads/x",
	                     "/uploads/..%2F..%2Ftest.db", "/uploads/.tmp-0"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(http_get(port, &j, bad[i], &r), 0);
		if (r.status != 404)
			fail_msg("%s: %d", bad[i], r.status);
		http_free(&r);
	}
	/* A visitor without a session gets 404: no open collection's script
	 * shows this image (tests/http/test_stories_api.c has one that does). */
	struct jar anon;
	new_jar(&anon);
	assert_int_equal(http_get(port, &anon, path, &r), 0);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body, "\x89PNG"));
	http_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_png_round_trip),
	        cmocka_unit_test(test_jpeg_loses_exif),
	        cmocka_unit_test(test_names_cleaned),
	        cmocka_unit_test(test_refused_types),
	        cmocka_unit_test(test_damaged_and_malformed),
	        cmocka_unit_test(test_limits),
	        cmocka_unit_test(test_access),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
