/* webtest.h: the helpers the HTTP tests share: logging in, browsers with cookies, forms with CSRF, percent-encoding, seeding scripts and collections, sending stories. */
#ifndef VP_WEBTEST_H
#define VP_WEBTEST_H

/* Needs testutil.h (cmocka), httpclient.h and fixture.h before it. */
#include "gen/embedded.h"
#include "io/image.h"
#include "model/collection.h"
#include "model/script_store.h"
#include "model/user.h"

#include <glob.h>
#include <jansson.h>
#include <stdarg.h>
#include <string.h>

/* ---- addresses and the database -------------------------------------------- */

/* The n-th client address of a test's network 10.net.x.y. */
static inline void wt_ip(char *out, size_t cap, int net, int n)
{
	snprintf(out, cap, "10.%d.%d.%d", net, n / 250, n % 250 + 1);
}

/* A connection of its own to the running server's database. */
static inline db *wt_open_db(void)
{
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	assert_non_null(d);
	return d;
}

/* Whether the stored database reveals text to someone who reads it without
 * the key: the SQLite file (after a checkpoint), or on PostgreSQL the test
 * schema's rows as pg_dump writes them (a bytea column there in hex, so the
 * text is looked for in hex too). */
static inline int wt_db_reveals(const char *text)
{
	size_t tlen = strlen(text);
	buf data;
	buf_init(&data);
	const char *schema = strstr(dbpath, "search_path%3D");
	if (strncmp(dbpath, "postgres", 8) == 0 && schema) {
		glob_t g;
		assert_int_equal(glob("/usr/lib/postgresql/*/bin/pg_dump", 0, NULL, &g), 0);
		char cmd[1024];
		snprintf(cmd, sizeof cmd, "'%s' --data-only --schema='%s' '%s'",
		         g.gl_pathv[g.gl_pathc - 1], schema + 14, test_db_pg_url());
		globfree(&g);
		FILE *p = popen(cmd, "r");
		assert_non_null(p);
		char chunk[65536];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
			buf_append(&data, chunk, n);
		assert_int_equal(pclose(p), 0);
		assert_non_null(memmem(data.data, data.len, "COPY ", 5)); /* a real dump */
	} else {
		db *d = wt_open_db();
		db_exec_literal(d, "PRAGMA wal_checkpoint(TRUNCATE)");
		db_close(d);
		FILE *f = fopen(dbpath, "rb");
		assert_non_null(f);
		char chunk[65536];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_append(&data, chunk, n);
		fclose(f);
	}
	int found = memmem(data.data, data.len, text, tlen) != NULL;
	if (!found && schema) {
		char hex[256];
		size_t i;
		for (i = 0; i < tlen && 2 * i + 2 < sizeof hex; i++)
			snprintf(hex + 2 * i, 3, "%02x", (unsigned char)text[i]);
		found = memmem(data.data, data.len, hex, 2 * i) != NULL;
	}
	buf_free(&data);
	return found;
}

/* The number statement s (a "SELECT COUNT(*) ...") gives, or -1; closes d. */
static inline long long wt_count_of(db *d, db_stmt *s)
{
	long long n = -1;
	if (s && db_step(s) == DB_ROW)
		n = db_col_int(s, 0);
	db_finalize(s);
	db_close(d);
	return n;
}

/* The number a literal "SELECT COUNT(*) ..." query gives, or -1. */
#define wt_count(sql)                                       \
	({                                                  \
		db *wt_d_ = wt_open_db();                   \
		wt_count_of(wt_d_, db_prepare(wt_d_, sql)); \
	})

/* ---- seeding ----------------------------------------------------------------- */

/* Parses a script from JSON text, saves it and publishes version 1;
 * returns its id. keep (or NULL) gets the parsed script (free it). */
static inline int64_t wt_script(db *d, int64_t org, const char *text, struct script **keep)
{
	char err[256];
	struct script *s = script_parse_text(text, strlen(text), err, sizeof err);
	if (!s)
		fail_msg("script: %s", err);
	struct script_save_job sj = {.org_id = org, .script = s};
	assert_int_equal(script_save_write(d, &sj), 0);
	assert_int_equal(sj.result, SCRIPT_OK);
	struct script_status_job pj = {
	        .org_id = org, .script_id = sj.script_id, .version = 1, .to = SCRIPT_PUBLISHED};
	assert_int_equal(script_status_write(d, &pj), 0);
	assert_int_equal(pj.result, SCRIPT_OK);
	if (keep)
		*keep = s;
	else
		script_free(s);
	return sj.script_id;
}

/* A collection on version 1 of script sid with this purpose and retention;
 * returns its id, its link token in token (40 bytes, or NULL). */
static inline int64_t wt_collection_for(db *d, int64_t org, int64_t sid, const char *title,
                                        const char *purpose, int retention_days, char *token)
{
	struct collection_new cn = {.org_id = org,
	                            .title = title,
	                            .purpose = purpose,
	                            .script_id = sid,
	                            .script_version = 1,
	                            .retention_days = retention_days};
	assert_int_equal(collection_create_write(d, &cn), 0);
	assert_int_equal(cn.result, COLLECTION_OK);
	if (token)
		snprintf(token, 40, "%s", cn.token);
	return cn.id;
}

/* The same for "Testen", kept 30 days. */
static inline int64_t wt_collection(db *d, int64_t org, int64_t sid, const char *title, char *token)
{
	return wt_collection_for(d, org, sid, title, "Testen", 30, token);
}

/* The seed of a story test: fixture_open(name) with "Gemeente Test" in
 * *org and script_text saved and published (its id in *sid; keep as for
 * wt_script). NULL when the folder or database cannot be made. */
static inline db *wt_open_with_script(const char *name, const char *script_text, int64_t *org,
                                      int64_t *sid, struct script **keep)
{
	db *d = fixture_open(name);
	if (!d || org_ensure(d, "Gemeente Test", org) != DB_OK)
		return NULL;
	*sid = wt_script(d, *org, script_text, keep);
	return d;
}

/* A collection "Dicht" on script sid that is closed; its token in token. */
static inline int64_t wt_closed_collection(db *d, int64_t org, int64_t sid, char *token)
{
	int64_t id = wt_collection(d, org, sid, "Dicht", token);
	assert_int_equal(db_exec(d, "UPDATE collections SET closed = 1 WHERE title = 'Dicht'"),
	                 DB_OK);
	return id;
}

/* Starts the server on the seed d with the test configuration, stories
 * from one address not limited (each test's tellers share few). */
static inline int wt_start_stories(db *d)
{
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.story_rate_ip = 100000;
	return fixture_start(d, &cfg);
}

/* The two accounts of the editor tests: "redacteur" (Rita Redacteur, with
 * editor_role) and "lezer" (Lex Lezer, a reader). 0 or -1. */
static inline int wt_editor_and_reader(db *d, int64_t org, unsigned editor_role,
                                       const char *editor_pw, const char *reader_pw)
{
	if (fixture_user(d, org, "redacteur", "Rita Redacteur", editor_role, editor_pw, 0) <= 0 ||
	    fixture_user(d, org, "lezer", "Lex Lezer", ROLE_MEELEZER, reader_pw, 0) <= 0)
		return -1;
	return 0;
}

/* The seed of the editor tests: image_init, fixture_open(name) with
 * "Gemeente Test" and the accounts of wt_editor_and_reader. NULL on
 * failure. */
static inline db *wt_open_editor_and_reader(const char *name, unsigned editor_role,
                                            const char *editor_pw, const char *reader_pw)
{
	int64_t org;
	if (image_init() != 0)
		return NULL;
	db *d = fixture_open(name);
	if (!d || org_ensure(d, "Gemeente Test", &org) != DB_OK ||
	    wt_editor_and_reader(d, org, editor_role, editor_pw, reader_pw) != 0)
		return NULL;
	return d;
}

/* The seed of the analysis API tests: fixture_open(name) with organisation
 * org_name (its id in *org) and the reader "lezer" (Lex Lezer) with
 * reader_pw. NULL on failure. */
static inline db *wt_open_with_reader(const char *name, const char *org_name, const char *reader_pw,
                                      int64_t *org)
{
	db *d = fixture_open(name);
	if (!d || org_ensure(d, org_name, org) != DB_OK ||
	    fixture_user(d, *org, "lezer", "Lex Lezer", ROLE_MEELEZER, reader_pw, 0) <= 0)
		return NULL;
	return d;
}

/* ---- logging in -------------------------------------------------------------- */

/* A fresh jar from ip (lang "" or NULL: none), logged in as user. */
static inline void wt_login(struct jar *j, const char *user, const char *pw, const char *ip,
                            const char *lang)
{
	memset(j, 0, sizeof *j);
	snprintf(j->ip, sizeof j->ip, "%s", ip);
	if (lang)
		snprintf(j->lang, sizeof j->lang, "%s", lang);
	assert_int_equal(fixture_login(j, user, pw, NULL), 303);
}

/* The session's CSRF token for the API, from GET /api/v1/me with j. */
static inline void wt_api_csrf(struct jar *j, char *out, size_t cap)
{
	struct http_resp r;
	assert_int_equal(http_get(port, j, "/api/v1/me", &r), 0);
	assert_int_equal(r.status, 200);
	json_t *me = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(me);
	snprintf(out, cap, "%s", json_string_value(json_object_get(me, "csrf_token")));
	json_decref(me);
	http_free(&r);
}

/* A staff member's jar with the token of the pages' forms. */
struct who {
	struct jar jar;
	char token[128];
};

/* Logs in from ip (English interface: the texts are the message ids) and
 * reads the session's form token from /account. */
static inline void who_login(struct who *w, const char *user, const char *pw, const char *ip)
{
	memset(w, 0, sizeof *w);
	wt_login(&w->jar, user, pw, ip, "en");
	struct http_resp r;
	assert_int_equal(http_get(port, &w->jar, "/account", &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(html_hidden(&r, "csrf_token", w->token, sizeof w->token), 0);
	http_free(&r);
}

/* ---- forms ------------------------------------------------------------------- */

/* Appends s percent-encoded (a space as %20). */
static inline void wt_enc(buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_')
			buf_putc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

/* POST path as w with its CSRF token and the NULL-terminated name, value
 * pairs in ap (encoded here). Returns the status; r is filled (free it). */
static inline int who_postv(struct who *w, const char *path, struct http_resp *r, va_list ap)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, "csrf_token=");
	buf_puts(&b, w->token);
	const char *name;
	while ((name = va_arg(ap, const char *))) {
		const char *value = va_arg(ap, const char *);
		buf_putc(&b, '&');
		wt_enc(&b, name);
		buf_putc(&b, '=');
		wt_enc(&b, value);
	}
	assert_int_equal(http_post_form(port, &w->jar, path, b.data, r), 0);
	buf_free(&b);
	return r->status;
}

static inline int who_post(struct who *w, const char *path, struct http_resp *r, ...)
{
	va_list ap;
	va_start(ap, r);
	int st = who_postv(w, path, r, ap);
	va_end(ap);
	return st;
}

/* Rendering a chart's text into a PNG (librsvg through libvips) loads
 * fontconfig's configuration once per process and keeps it to the end:
 * LeakSanitizer (make asan) would report that cache, which is not ours.
 * (Every HTTP test is its own program and includes this header once.) */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

/* A picture to send: the script library's PNG (a map). */
static inline const struct embedded_file *wt_library_png(void)
{
	for (size_t i = 0; i < embedded_templates_count; i++)
		if (strstr(embedded_templates[i].name, ".png"))
			return &embedded_templates[i];
	return NULL;
}

#define WT_BOUNDARY "vpWebtestBoundary7"

/* A multipart body: the CSRF token, fields (name, value pairs) and one file
 * part (when fname is not NULL). */
static inline int who_post_multipart(struct who *w, const char *path, const char *fname,
                                     const char *filename, const void *data, size_t len,
                                     struct http_resp *r, const char *const *fields)
{
	buf b;
	buf_init(&b);
	buf_printf(&b,
	           "--" WT_BOUNDARY
	           "\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
	           "%s\r\n",
	           w->token);
	for (int i = 0; fields && fields[i]; i += 2)
		buf_printf(&b,
		           "--" WT_BOUNDARY
		           "\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n"
		           "%s\r\n",
		           fields[i], fields[i + 1]);
	if (fname) {
		buf_printf(&b,
		           "--" WT_BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"; "
		           "filename=\"%s\"\r\nContent-Type: application/octet-stream\r\n\r\n",
		           fname, filename);
		buf_append(&b, data, len);
		buf_puts(&b, "\r\n");
	}
	buf_puts(&b, "--" WT_BOUNDARY "--\r\n");
	int rc = http_do(port, &w->jar, "POST", path, "multipart/form-data; boundary=" WT_BOUNDARY,
	                 NULL, b.data, b.len, r);
	buf_free(&b);
	assert_int_equal(rc, 0);
	return r->status;
}

static inline int who_get(struct who *w, const char *path, struct http_resp *r)
{
	assert_int_equal(http_get(port, &w->jar, path, r), 0);
	return r->status;
}

/* GET path as w: the status; the JSON document in *out (NULL when the
 * body is empty or no JSON; decref). */
static inline int who_get_json(struct who *w, const char *path, json_t **out)
{
	struct http_resp r;
	int st = who_get(w, path, &r);
	*out = r.body_len ? json_loadb(r.body, r.body_len, 0, NULL) : NULL;
	http_free(&r);
	return st;
}

/* j's "detail" contains detail, or the test fails naming what; decrefs j. */
static inline void wt_expect_detail(json_t *j, const char *what, const char *detail)
{
	const char *d = json_string_value(json_object_get(j, "detail"));
	if (!d || !strstr(d, detail))
		fail_msg("%s: %s (expected %s)", what, d ? d : "(none)", detail);
	json_decref(j);
}

/* The server of the analysis API tests: a database of wt_open_with_reader,
 * seeded by seed(d, org), served with fixture_config, the reader logged in
 * as w from ip. 0 or -1. */
static inline int wt_serve_with_reader(const char *name, const char *org_name,
                                       const char *reader_pw, void (*seed)(db *, int64_t),
                                       struct who *w, const char *ip)
{
	int64_t org;
	db *d = wt_open_with_reader(name, org_name, reader_pw, &org);
	if (!d)
		return -1;
	seed(d, org);
	static struct app_config config;
	fixture_config(&config);
	if (fixture_start(d, &config) != 0)
		return -1;
	who_login(w, "lezer", reader_pw, ip);
	return 0;
}

/* The Location header, or "". */
static inline const char *wt_location(struct http_resp *r)
{
	const char *l = http_header(r, "Location");
	return l ? l : "";
}

/* Copies the Location header (or "") into loc. */
static inline void wt_copy_location(struct http_resp *r, char *loc, size_t cap)
{
	const char *l = wt_location(r);
	size_t n = strlen(l);
	if (n >= cap)
		n = cap - 1;
	memcpy(loc, l, n);
	loc[n] = '\0';
}

static inline int wt_has(const struct http_resp *r, const char *s)
{
	return r->body && strstr(r->body, s) != NULL;
}

/* ---- a resident's browser ---------------------------------------------------- */

/* A browser by hand: its address and cookies (each "" when not set), and
 * the form token of the last page that had one. */
struct browser {
	char ip[32];
	char session[128];
	char csrf[80];
	char story[80];
	char kiosk[40];
	char token[128];
	char lang[8]; /* "": the visitor chose no language (Dutch) */
};

static int browsers;

/* A fresh browser from the next address of network 10.net. */
static inline void browser_new(struct browser *b, int net)
{
	memset(b, 0, sizeof *b);
	wt_ip(b->ip, sizeof b->ip, net, ++browsers);
}

/* Takes cookie name from a Set-Cookie value sc into out ("" when it is
 * removed); other cookies leave out alone. */
static inline void wt_take_cookie(const char *sc, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);
	if (strncmp(sc, name, n) != 0 || sc[n] != '=')
		return;
	const char *v = sc + n + 1;
	size_t l = strcspn(v, ";");
	if (l >= cap)
		l = cap - 1;
	memcpy(out, v, l);
	out[l] = '\0';
	if (strstr(sc, "Max-Age=0"))
		out[0] = '\0';
}

/* One request with the browser's cookies (form NULL: no body); keeps the
 * cookies it is sent and the page's form token. Returns the status. */
static inline int browser_send(struct browser *b, const char *method, const char *path,
                               const char *form, struct http_resp *r)
{
	struct jar j;
	memset(&j, 0, sizeof j);
	snprintf(j.ip, sizeof j.ip, "%s", b->ip);
	buf h;
	buf_init(&h);
	const char *sep = "Cookie: ";
	if (b->session[0])
		buf_printf(&h, "%s__Host-vp_session=%s", sep, b->session), sep = "; ";
	if (b->csrf[0])
		buf_printf(&h, "%s__Host-vp_csrf=%s", sep, b->csrf), sep = "; ";
	if (b->story[0])
		buf_printf(&h, "%s__Host-vp_story=%s", sep, b->story), sep = "; ";
	if (b->kiosk[0])
		buf_printf(&h, "%s__Host-vp_kiosk=%s", sep, b->kiosk), sep = "; ";
	if (b->lang[0])
		buf_printf(&h, "%svp_lang=%s", sep, b->lang), sep = "; ";
	if (h.len)
		buf_puts(&h, "\r\n");
	assert_int_equal(http_do(port, &j, method, path,
	                         form ? "application/x-www-form-urlencoded" : NULL,
	                         h.len ? h.data : NULL, form, form ? strlen(form) : 0, r),
	                 0);
	buf_free(&h);
	for (int i = 0;; i++) {
		const char *sc = http_header_n(r, "Set-Cookie", i);
		if (!sc)
			break;
		wt_take_cookie(sc, "__Host-vp_csrf", b->csrf, sizeof b->csrf);
		wt_take_cookie(sc, "__Host-vp_story", b->story, sizeof b->story);
		wt_take_cookie(sc, "__Host-vp_kiosk", b->kiosk, sizeof b->kiosk);
	}
	char tok[80];
	if (html_hidden(r, "csrf_token", tok, sizeof tok) == 0)
		snprintf(b->token, sizeof b->token, "%s", tok);
	return r->status;
}

/* POSTs "csrf_token=TOKEN&" form to path; the status, r filled. */
static inline int browser_post(struct browser *b, const char *path, const char *token,
                               const char *form, struct http_resp *r)
{
	char body[4096];
	snprintf(body, sizeof body, "csrf_token=%s&%s", token, form);
	return browser_send(b, "POST", path, body, r);
}

/* browser_post, keeping only the status and the Location (or "") in loc. */
static inline int browser_post_loc(struct browser *b, const char *path, const char *token,
                                   const char *form, char *loc, size_t cap)
{
	struct http_resp r;
	int st = browser_post(b, path, token, form, &r);
	if (loc)
		wt_copy_location(&r, loc, cap);
	http_free(&r);
	return st;
}

/* ---- the story API ----------------------------------------------------------- */

/* POSTs a story (JSON body) to the link token's API as jar j (a copy is
 * used), with the X-CSRF-Token header when csrf is not NULL. */
static inline void wt_send_story(const char *token, const char *body, size_t len,
                                 const struct jar *j, const char *csrf, struct http_resp *r)
{
	char path[128], hdr[128] = "";
	snprintf(path, sizeof path, "/api/v1/collections/%s/stories", token);
	struct jar tmp = *j;
	if (csrf)
		snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s\r\n", csrf);
	assert_int_equal(http_do(port, &tmp, "POST", path, "application/json", hdr[0] ? hdr : NULL,
	                         body, len, r),
	                 0);
}

#endif
