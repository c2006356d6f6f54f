/* page_2fa.c: two-factor login: the code page after the password, enrolment, and one's own two-factor settings. */
#include "web/pages.h"

#include "core/clock.h"
#include "core/util.h"
#include "http/server.h"
#include "model/audit.h"
#include "model/session.h"
#include "model/totp.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/svg.h"

#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* A login whose password was right waits in a pending login (model/totp.h),
 * whose id travels in the session cookie. The server finds no session for
 * it, so every page for staff stays closed (they send the visitor to
 * /login, and /login sends a pending login here); only the public routes
 * below read it. A correct code replaces it with a real session. */

enum { QR_MODULE_PX = 5, QR_QUIET_MODULES = 4 };

/* ---- small pieces ----------------------------------------------------------- */

static int load_pending(struct req *r, struct totp_pending *p)
{
	return totp_pending_lookup(req_db(r), req_cookie(r, SESSION_COOKIE), clock_now(), p) ==
	       DB_ROW;
}

const char *page_2fa_pending_path(struct req *r)
{
	struct totp_pending p;
	if (r->logged_in || !load_pending(r, &p))
		return NULL;
	return p.kind == TOTP_PENDING_ENROL ? "/login/2fa/enrol" : "/login/2fa";
}

static int locked(struct req *r, int64_t user_id)
{
	char subject[32];
	totp_failure_subject(user_id, subject);
	return login_failures(req_db(r), subject, clock_now()) >= TOTP_MAX_FAILURES;
}

static int audit_2fa(db *d, struct req *r, const struct user *actor, const char *action,
                     const char *object, const char *detail)
{
	struct audit_entry e = {.actor_user_id = actor->id,
	                        .actor = actor->username,
	                        .action = action,
	                        .object_type = "user",
	                        .object_id = object,
	                        .origin = r->ip,
	                        .detail = detail};
	return audit_append(d, &e);
}

static void heading(struct req *r, const char *text, int level)
{
	buf *b = &r->out;
	if (level == 1)
		html_lit(b, "<h1 class=\"utrecht-heading-1\">");
	else
		html_lit(b, "<h2 class=\"utrecht-heading-2\">");
	html_text(b, text);
	if (level == 1)
		html_lit(b, "</h1>");
	else
		html_lit(b, "</h2>");
}

static void paragraph(struct req *r, const char *text)
{
	html_lit(&r->out, "<p class=\"utrecht-paragraph\">");
	html_text(&r->out, text);
	html_lit(&r->out, "</p>");
}

/* A text field with a label and a hint tied to it (aria-describedby).
 * numeric: a one-time code (digits keyboard, filled in by the phone). */
static void code_field(struct req *r, const char *id, const char *label, const char *hint,
                       int numeric, int autofocus)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--text\">"
	            "<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	            "for=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_text(b, label);
	html_lit(b, "</label></div><div class=\"utrecht-form-field__description "
	            "utrecht-form-field-description\" id=\"");
	html_attr(b, id);
	html_lit(b, "-hint\">");
	html_text(b, hint);
	html_lit(b, "</div><div class=\"utrecht-form-field__input\">"
	            "<input class=\"utrecht-textbox utrecht-textbox--html-input\" type=\"text\" "
	            "id=\"");
	html_attr(b, id);
	html_lit(b, "\" name=\"");
	html_attr(b, id);
	html_lit(b, "\" aria-describedby=\"");
	html_attr(b, id);
	html_lit(b, "-hint\" spellcheck=\"false\" autocapitalize=\"none\" required");
	if (numeric)
		html_lit(b,
		         " inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"9\"");
	else
		html_lit(b, " autocomplete=\"off\" maxlength=\"40\"");
	if (autofocus)
		html_lit(b, " autofocus");
	html_lit(b, "></div></div>");
}

/* The current password, to confirm a change of one's own settings. A
 * hidden username field lets password managers fill in the right one. */
static void password_field(struct req *r, const char *id)
{
	buf *b = &r->out;
	html_lit(b, "<input type=\"text\" name=\"username\" autocomplete=\"username\" hidden "
	            "value=\"");
	html_attr(b, r->sess.user.username);
	html_lit(b, "\"><div class=\"utrecht-form-field utrecht-form-field--text\">"
	            "<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	            "for=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_text(b, T(r, "Current password"));
	html_lit(b,
	         "</label></div><div class=\"utrecht-form-field__input\">"
	         "<input class=\"utrecht-textbox utrecht-textbox--html-input\" type=\"password\" "
	         "name=\"current\" autocomplete=\"current-password\" required id=\"");
	html_attr(b, id);
	html_lit(b, "\"></div></div>");
}

static void button(struct req *r, const char *text, int primary)
{
	buf *b = &r->out;
	html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button ");
	if (primary)
		html_lit(b, "utrecht-button--primary-action");
	else
		html_lit(b, "utrecht-button--secondary-action");
	html_lit(b, "\" type=\"submit\">");
	html_text(b, text);
	html_lit(b, "</button></div>");
}

static void link_paragraph(struct req *r, const char *href, const char *text)
{
	buf *b = &r->out;
	html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"");
	html_url(b, href);
	html_lit(b, "\">");
	html_text(b, text);
	html_lit(b, "</a></p>");
}

/* The form that ends a pending login ("Cancel"). */
static void cancel_form(struct req *r)
{
	buf *b = &r->out;
	html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"/login/2fa/cancel\">");
	page_csrf_field(r);
	html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
	            "utrecht-button--subtle\" type=\"submit\">");
	html_text(b, T(r, "Cancel and log out"));
	html_lit(b, "</button></div></form>");
}

/* The recovery codes, shown once after enrolment or renewal. */
static void recovery_list(struct req *r, char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1])
{
	buf *b = &r->out;
	heading(r, T(r, "Your recovery codes"), 2);
	paragraph(r, T(r, "If you lose your phone, you can log in with one of these codes instead "
	                  "of a code from the app. Each code works once."));
	page_alert(r, "warning",
	           T(r, "Write these codes down or print them, and keep them in a safe place. "
	                "They are shown only now."));
	html_lit(b, "<ul class=\"utrecht-unordered-list\">");
	for (int i = 0; i < TOTP_RECOVERY_COUNT; i++) {
		html_lit(b, "<li class=\"utrecht-unordered-list__item\"><code "
		            "class=\"utrecht-code vp-otp\">");
		html_text(b, codes[i]);
		html_lit(b, "</code></li>");
	}
	html_lit(b, "</ul>");
}

/* A QR code of text as SVG: one rectangle per run of dark modules, on a
 * white square with the quiet zone the standard asks for. Nothing when the
 * text does not fit a QR code (the key is shown as text as well). */
static void qr_svg(struct req *r, const char *text, const char *title)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return;
	buf *b = &r->out;
	double side = (double)(q->width + 2 * QR_QUIET_MODULES) * QR_MODULE_PX;
	html_lit(b, "<div class=\"vp-qr\">");
	svg_begin(b, side, side, title, NULL);
	html_lit(b, "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
	            "<g fill=\"#000\" shape-rendering=\"crispEdges\">");
	for (int y = 0; y < q->width; y++) {
		for (int x = 0; x < q->width;) {
			if (!(q->data[y * q->width + x] & 1)) {
				x++;
				continue;
			}
			int run = 0;
			while (x + run < q->width && (q->data[y * q->width + x + run] & 1))
				run++;
			svg_rect(b, (double)(x + QR_QUIET_MODULES) * QR_MODULE_PX,
			         (double)(y + QR_QUIET_MODULES) * QR_MODULE_PX,
			         (double)run * QR_MODULE_PX, QR_MODULE_PX, NULL);
			x += run;
		}
	}
	html_lit(b, "</g>");
	svg_end(b);
	html_lit(b, "</div>");
	QRcode_free(q);
}

/* Someone here without a pending login: never logged in, or it ended (it
 * took too long, was stopped, or an administrator reset the account). */
static int no_pending(struct req *r)
{
	buf *b = &r->out;
	page_begin(r, T(r, "Log in"));
	heading(r, T(r, "Log in"), 1);
	page_alert(r, "info",
	           T(r, "Log in with your username and password first. Did logging in take too "
	                "long? Then start again."));
	html_lit(b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"/login\">");
	html_text(b, T(r, "Log in"));
	html_lit(b, "</a></p>");
	page_end(r);
	return strcmp(r->method, "POST") == 0 ? 400 : 200;
}

/* ---- the code page after the password ----------------------------------------- */

static int code_form(struct req *r, int status, const char *error)
{
	buf *b = &r->out;
	page_begin(r, T(r, "Two-factor login"));
	heading(r, T(r, "Two-factor login"), 1);
	paragraph(r, T(r, "Your password is correct. Open the authenticator app on your phone and "
	                  "fill in the code it shows for Vertelpunt."));
	if (error)
		page_alert(r, "error", error);
	html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"/login/2fa\">");
	page_csrf_field(r);
	code_field(r, "code", T(r, "Code from the app"), T(r, "6 digits"), 1, 1);
	button(r, T(r, "Log in"), 1);
	html_lit(b, "</form>");
	heading(r, T(r, "No phone at hand?"), 2);
	paragraph(r, T(r, "Fill in one of your recovery codes instead. Each recovery code works "
	                  "once."));
	html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"/login/2fa\">");
	page_csrf_field(r);
	code_field(r, "recovery", T(r, "Recovery code"),
	           T(r, "16 letters and digits, such as abcd-efgh-jkmn-pqrs"), 0, 0);
	button(r, T(r, "Log in with a recovery code"), 0);
	html_lit(b, "</form>");
	paragraph(r, T(r, "Lost your phone and your recovery codes? Ask an administrator to reset "
	                  "your two-factor login."));
	cancel_form(r);
	page_end(r);
	return status;
}

static int locked_response(struct req *r)
{
	req_set_cookie(r, SESSION_COOKIE, "", 0, 1);
	req_set_header(r, "Retry-After", "900");
	return web_error(r, 429,
	                 "Too many wrong codes. Wait 15 minutes and log in again, or ask an "
	                 "administrator for help.");
}

int page_2fa_form(struct req *r)
{
	struct totp_pending p;
	if (r->logged_in)
		return req_redirect(r, "/");
	if (!load_pending(r, &p))
		return no_pending(r);
	if (p.kind == TOTP_PENDING_ENROL)
		return req_redirect(r, "/login/2fa/enrol");
	if (locked(r, p.user.id))
		return locked_response(r);
	return code_form(r, 200, NULL);
}

struct verify_state {
	struct totp_pending p;
	const char *code;     /* a code from the app, or NULL */
	const char *recovery; /* a recovery code, or NULL */
	int result;           /* DB_OK, TOTP_WRONG, TOTP_REPLAY, TOTP_NOT_ENROLLED */
	int locked;
	char sid[65], csrf[65];
};

static int verify_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct verify_state *st = r->hctx;
	int64_t now = clock_now();
	int64_t uid = st->p.user.id;
	char subject[32];
	totp_failure_subject(uid, subject);
	/* Someone with the password could try codes in parallel: the count
	 * is checked again here, where nothing comes in between. */
	if (login_failures(d, subject, now) >= TOTP_MAX_FAILURES) {
		st->locked = 1;
		return totp_pending_end_user(d, uid);
	}
	int rc = st->recovery ? totp_use_recovery(d, uid, st->recovery, now)
	                      : totp_check_code(d, r->app->vault, uid, st->code, now);
	st->result = rc;
	if (rc == DB_OK) {
		rc = totp_pending_delete(d, st->p.id_hash);
		rc = rc ? rc : login_failures_clear(d, subject);
		rc = rc ? rc : session_create(d, uid, r->ip, st->sid, st->csrf);
		return rc ? rc
		          : audit_2fa(d, r, &st->p.user, "login", st->p.user.username,
		                      st->recovery ? "second factor: recovery code"
		                                   : "second factor: code");
	}
	if (rc == TOTP_NOT_ENROLLED) /* reset by an administrator meanwhile */
		return totp_pending_delete(d, st->p.id_hash);
	if (rc != TOTP_WRONG && rc != TOTP_REPLAY)
		return rc;
	rc = login_failure_record(d, subject, now);
	if (rc)
		return rc;
	st->locked = login_failures(d, subject, now) >= TOTP_MAX_FAILURES;
	if (st->locked && (rc = totp_pending_end_user(d, uid)))
		return rc;
	const char *detail = st->recovery                ? "wrong recovery code"
	                     : st->result == TOTP_REPLAY ? "two-factor code used before"
	                                                 : "wrong two-factor code";
	char full[96];
	snprintf(full, sizeof full, "%s%s", detail, st->locked ? "; locked for 15 minutes" : "");
	return audit_2fa(d, r, &st->p.user, "login_failed", st->p.user.username, full);
}

static int verify_then(struct req *r)
{
	struct verify_state *st = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (st->locked)
		return locked_response(r);
	if (st->result == DB_OK) {
		req_set_cookie(r, SESSION_COOKIE, st->sid, -1, 1);
		return req_redirect(r, st->p.next);
	}
	if (st->result == TOTP_NOT_ENROLLED) {
		req_set_cookie(r, SESSION_COOKIE, "", 0, 1);
		return no_pending(r);
	}
	if (st->recovery)
		return code_form(r, 401,
		                 T(r, "This recovery code is not correct, or it was used before."));
	return code_form(r, 401,
	                 T(r, "The code is not correct. Fill in the code the app shows now."));
}

static int has(const char *s)
{
	return s && *s;
}

int page_2fa(struct req *r)
{
	struct verify_state *st = arena_zalloc(r->a, sizeof *st);
	if (r->logged_in)
		return req_redirect(r, "/");
	if (!load_pending(r, &st->p))
		return no_pending(r);
	if (st->p.kind == TOTP_PENDING_ENROL)
		return req_redirect(r, "/login/2fa/enrol");
	const char *code = req_form(r, "code"), *recovery = req_form(r, "recovery");
	if (has(code))
		st->code = code;
	else if (has(recovery))
		st->recovery = recovery;
	else
		return code_form(r, 400, T(r, "Fill in the code."));
	r->hctx = st;
	return req_write(r, verify_write, verify_then);
}

static int cancel_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct totp_pending *p = r->hctx;
	return totp_pending_delete(d, p->id_hash);
}

static int cancel_then(struct req *r)
{
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	req_set_cookie(r, SESSION_COOKIE, "", 0, 1);
	return req_redirect(r, "/");
}

int page_2fa_cancel(struct req *r)
{
	struct totp_pending *p = arena_zalloc(r->a, sizeof *p);
	if (r->logged_in) /* a real session is ended by /logout, not here */
		return req_redirect(r, "/");
	if (!load_pending(r, p))
		return cancel_then(r);
	r->hctx = p;
	return req_write(r, cancel_write, cancel_then);
}

/* ---- enrolment ---------------------------------------------------------------- */

/* Enrolment shows a new secret and asks for a first code. Until that code
 * arrives the secret is kept by the browser, in a hidden field, sealed with
 * the vault for this account and this session (or pending login): the GET
 * changes nothing, and a sealed secret from another form does not open. */
enum enrol_mode { ENROL_ACCOUNT, ENROL_LOGIN };

struct enrol_ctx {
	enum enrol_mode mode;
	struct user user;
	char bind[65]; /* the session's or the pending login's id hash */
	char next[256];
};

static void enrol_ad(const struct enrol_ctx *c, char ad[128])
{
	snprintf(ad, 128, "enrol:%lld:%s", (long long)c->user.id, c->bind);
}

/* Opens a hidden field's sealed secret; 0 when it is ours. */
static int enrol_open(struct req *r, const struct enrol_ctx *c, const char *hex,
                      unsigned char key[TOTP_SECRET_BYTES])
{
	unsigned char sealed[TOTP_SECRET_BYTES + VAULT_OVERHEAD];
	size_t n = 0;
	char ad[128];
	if (!hex || sodium_hex2bin(sealed, sizeof sealed, hex, strlen(hex), NULL, &n, NULL) != 0 ||
	    n != sizeof sealed)
		return -1;
	enrol_ad(c, ad);
	buf plain;
	buf_init(&plain);
	int ok = vault_open(r->app->vault, sealed, n, ad, &plain) == 0 &&
	         plain.len == TOTP_SECRET_BYTES;
	if (ok)
		memcpy(key, plain.data, TOTP_SECRET_BYTES);
	if (plain.data)
		sodium_memzero(plain.data, plain.len);
	buf_free(&plain);
	return ok ? 0 : -1;
}

/* The enrolment page. hex: the sealed secret of the form being answered
 * (shown again after a wrong code), or NULL for a new secret. */
static int enrol_page(struct req *r, const struct enrol_ctx *c, int status, const char *error,
                      const char *hex)
{
	unsigned char key[TOTP_SECRET_BYTES];
	if (!hex || enrol_open(r, c, hex, key)) {
		char ad[128];
		totp_secret_new(key);
		enrol_ad(c, ad);
		buf sealed;
		buf_init(&sealed);
		vault_seal(r->app->vault, key, sizeof key, ad, &sealed);
		char *h = arena_alloc(r->a, sealed.len * 2 + 1);
		util_hex((const unsigned char *)sealed.data, sealed.len, h);
		buf_free(&sealed);
		hex = h;
	}
	char b32[TOTP_SECRET_B32 + 1];
	totp_base32(key, b32);
	sodium_memzero(key, sizeof key);
	char issuer[300];
	snprintf(issuer, sizeof issuer, "Vertelpunt%s%s", r->app->org_name[0] ? " " : "",
	         r->app->org_name);
	buf uri;
	buf_init(&uri);
	totp_uri(&uri, issuer, c->user.username, b32);

	buf *b = &r->out;
	page_begin(r, T(r, "Set up two-factor login"));
	heading(r, T(r, "Set up two-factor login"), 1);
	if (c->mode == ENROL_LOGIN)
		page_alert(r, "info",
		           T(r, "Your organisation asks you to use two-factor login. Set it up now "
		                "to go on."));
	if (error)
		page_alert(r, "error", error);
	paragraph(r, T(r, "With two-factor login you need two things to log in: your password and "
	                  "a code from an app on your phone. Someone who finds out your password "
	                  "still cannot log in."));
	heading(r, T(r, "Step 1: install an app"), 2);
	paragraph(r, T(r, "Install an authenticator app on your phone, if you do not have one yet. "
	                  "Most of these apps work. Your password manager may also be able to make "
	                  "the codes."));
	heading(r, T(r, "Step 2: add Vertelpunt to the app"), 2);
	paragraph(r, T(r, "Scan this QR code with the app."));
	qr_svg(r, uri.data, T(r, "QR code to add Vertelpunt to your authenticator app"));
	paragraph(r, T(r, "Cannot scan the code? Type this key into the app instead. Choose a "
	                  "time-based code if the app asks."));
	html_lit(b, "<p class=\"utrecht-paragraph\"><code class=\"utrecht-code vp-otp\">");
	for (int i = 0; i < TOTP_SECRET_B32; i += 4) {
		if (i)
			html_lit(b, " ");
		html_textn(b, b32 + i, 4);
	}
	html_lit(b, "</code></p><div class=\"utrecht-form-field utrecht-form-field--textarea\">"
	            "<div class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	            "for=\"otpauth\">");
	html_text(b, T(r, "Or copy this link into the app"));
	html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><textarea "
	            "class=\"utrecht-textarea utrecht-textarea--html-textarea\" id=\"otpauth\" "
	            "rows=\"3\" readonly spellcheck=\"false\">");
	html_text(b, uri.data);
	html_lit(b, "</textarea></div></div>");
	sodium_memzero(uri.data, uri.len);
	buf_free(&uri);
	sodium_memzero(b32, sizeof b32);

	heading(r, T(r, "Step 3: fill in the code"), 2);
	html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"");
	if (c->mode == ENROL_LOGIN)
		html_lit(b, "/login/2fa/enrol");
	else
		html_lit(b, "/account/2fa");
	html_lit(b, "\">");
	page_csrf_field(r);
	html_lit(b, "<input type=\"hidden\" name=\"enrol\" value=\"");
	html_attr(b, hex);
	html_lit(b, "\">");
	code_field(r, "code", T(r, "Code from the app"), T(r, "6 digits"), 1, 0);
	button(r, T(r, "Turn on two-factor login"), 1);
	html_lit(b, "</form>");
	if (c->mode == ENROL_LOGIN)
		cancel_form(r);
	else
		link_paragraph(r, "/account", T(r, "Back to your account"));
	page_end(r);
	return status;
}

struct enrol_state {
	struct enrol_ctx c;
	unsigned char key[TOTP_SECRET_BYTES];
	int64_t step;
	int already;
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
	char sid[65], csrf[65];
};

static int enrol_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct enrol_state *st = r->hctx;
	int rc = totp_enrol(d, r->app->vault, st->c.user.id, st->key, st->step, st->codes);
	sodium_memzero(st->key, sizeof st->key);
	if (rc == TOTP_ENROLLED) {
		st->already = 1;
		return 0;
	}
	if (rc == DB_OK && st->c.mode == ENROL_LOGIN) {
		rc = totp_pending_delete(d, st->c.bind);
		rc = rc ? rc : session_create(d, st->c.user.id, r->ip, st->sid, st->csrf);
		rc = rc ? rc
		        : audit_2fa(d, r, &st->c.user, "login", st->c.user.username,
		                    "second factor: enrolment");
	}
	return rc ? rc
	          : audit_2fa(d, r, &st->c.user, "update", st->c.user.username,
	                      "two-factor enabled");
}

static int enrol_then(struct req *r)
{
	struct enrol_state *st = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (st->already)
		return st->c.mode == ENROL_ACCOUNT ? req_redirect(r, "/account/2fa")
		                                   : web_error(r, 409, NULL);
	if (st->c.mode == ENROL_LOGIN) {
		/* From here on the page is a logged-in one. */
		req_set_cookie(r, SESSION_COOKIE, st->sid, -1, 1);
		r->logged_in = 1;
		r->sess.user = st->c.user;
		memcpy(r->sess.csrf, st->csrf, sizeof st->csrf);
	}
	page_begin(r, T(r, "Two-factor login is on"));
	heading(r, T(r, "Two-factor login is on"), 1);
	page_alert(r, "ok",
	           T(r, "From now on you log in with your password and a code from the app."));
	recovery_list(r, st->codes);
	sodium_memzero(st->codes, sizeof st->codes);
	if (st->c.mode == ENROL_LOGIN)
		link_paragraph(r, st->c.next, T(r, "I have saved the codes. Go on."));
	else
		link_paragraph(r, "/account/2fa", T(r, "I have saved the codes. Go on."));
	page_end(r);
	return 200;
}

static int enrol_post(struct req *r, struct enrol_state *st)
{
	const char *hex = req_form(r, "enrol"), *code = req_form(r, "code");
	if (enrol_open(r, &st->c, hex, st->key))
		return enrol_page(r, &st->c, 400,
		                  T(r, "This form is too old. Add the new key below to the app and "
		                       "try again."),
		                  NULL);
	if (!has(code))
		return enrol_page(r, &st->c, 422, T(r, "Fill in the code."), hex);
	st->step = totp_match(st->key, sizeof st->key, clock_now(), 0, code, NULL);
	if (st->step < 0) {
		sodium_memzero(st->key, sizeof st->key);
		return enrol_page(r, &st->c, 422,
		                  T(r,
		                    "The code is not correct. Check that the app shows a code for "
		                    "Vertelpunt and fill in the code it shows now."),
		                  hex);
	}
	r->hctx = st;
	return req_write(r, enrol_write, enrol_then);
}

/* Enrolment that an account's requirement forces right after the password. */
static int login_enrol_ctx(struct req *r, struct enrol_ctx *c)
{
	struct totp_pending p;
	if (r->logged_in)
		return req_redirect(r, "/");
	if (!load_pending(r, &p))
		return no_pending(r);
	if (p.kind != TOTP_PENDING_ENROL)
		return req_redirect(r, "/login/2fa");
	c->mode = ENROL_LOGIN;
	c->user = p.user;
	memcpy(c->bind, p.id_hash, sizeof c->bind);
	memcpy(c->next, p.next, sizeof c->next);
	return 0;
}

int page_2fa_enrol_form(struct req *r)
{
	struct enrol_ctx c;
	int st = login_enrol_ctx(r, &c);
	return st ? st : enrol_page(r, &c, 200, NULL, NULL);
}

int page_2fa_enrol(struct req *r)
{
	struct enrol_state *st = arena_zalloc(r->a, sizeof *st);
	int rc = login_enrol_ctx(r, &st->c);
	return rc ? rc : enrol_post(r, st);
}

/* ---- one's own settings (/account/2fa) -------------------------------------- */

static void account_ctx(struct req *r, struct enrol_ctx *c)
{
	memset(c, 0, sizeof *c);
	c->mode = ENROL_ACCOUNT;
	c->user = r->sess.user;
	memcpy(c->bind, r->sess.id_hash, sizeof c->bind);
	snprintf(c->next, sizeof c->next, "/account/2fa");
}

static int settings_page(struct req *r, int status, const char *kind, const char *message)
{
	struct totp_status ts;
	if (totp_status_get(req_db(r), r->sess.user.id, &ts) != DB_OK)
		return web_error(r, 503, NULL);
	struct enrol_ctx c;
	account_ctx(r, &c);
	if (!ts.enrolled)
		return enrol_page(r, &c, status, kind && !strcmp(kind, "error") ? message : NULL,
		                  NULL);
	buf *b = &r->out;
	page_begin(r, T(r, "Two-factor login"));
	heading(r, T(r, "Two-factor login"), 1);
	if (message)
		page_alert(r, kind, message);
	paragraph(r, T(r, "Two-factor login is on for your account. You log in with your password "
	                  "and a code from the app on your phone."));
	char when[21];
	clock_iso(ts.enrolled_at, when);
	when[10] = '\0';
	html_lit(b, "<dl class=\"vp-facts\"><dt>");
	html_text(b, T(r, "Turned on"));
	html_lit(b, "</dt><dd>");
	html_text(b, when);
	html_lit(b, "</dd><dt>");
	html_text(b, T(r, "Recovery codes left"));
	html_lit(b, "</dt><dd>");
	html_int(b, ts.recovery_left);
	html_lit(b, "</dd></dl>");
	if (ts.recovery_left <= 3)
		page_alert(r, "warning",
		           T(r, "You have few recovery codes left. Make new ones below."));

	heading(r, T(r, "New recovery codes"), 2);
	paragraph(r, T(r, "You get ten new codes. The old codes stop working."));
	html_lit(b, "<form class=\"vp-form\" method=\"post\" action=\"/account/2fa/recovery\">");
	page_csrf_field(r);
	password_field(r, "current-recovery");
	button(r, T(r, "Make new recovery codes"), 0);
	html_lit(b, "</form>");

	heading(r, T(r, "Turn off two-factor login"), 2);
	if (ts.required) {
		paragraph(r,
		          T(r, "Your organisation asks you to use two-factor login, so you cannot "
		               "turn it off. Lost your phone? Ask an administrator to reset your "
		               "two-factor login."));
	} else {
		paragraph(r, T(r, "Without two-factor login, your password alone is enough to log "
		                  "in."));
		html_lit(
		        b,
		        "<form class=\"vp-form\" method=\"post\" action=\"/account/2fa/disable\">");
		page_csrf_field(r);
		password_field(r, "current-disable");
		button(r, T(r, "Turn off two-factor login"), 0);
		html_lit(b, "</form>");
	}
	link_paragraph(r, "/account", T(r, "Back to your account"));
	page_end(r);
	return status;
}

int page_account_2fa(struct req *r)
{
	return settings_page(r, 200, NULL, NULL);
}

int page_account_2fa_enrol(struct req *r)
{
	struct totp_status ts;
	if (totp_status_get(req_db(r), r->sess.user.id, &ts) != DB_OK)
		return web_error(r, 503, NULL);
	if (ts.enrolled)
		return req_redirect(r, "/account/2fa");
	struct enrol_state *st = arena_zalloc(r->a, sizeof *st);
	account_ctx(r, &st->c);
	return enrol_post(r, st);
}

static int password_ok(struct req *r)
{
	struct user u;
	char hash[PWHASH_MAX];
	const char *cur = req_form(r, "current");
	return cur && user_by_name(req_db(r), r->sess.user.username, &u, hash) == DB_ROW &&
	       user_verify_password(hash, cur);
}

struct own_state {
	int disable; /* 1: turn off; 0: new recovery codes */
	int result;
	char codes[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_LEN + 1];
};

static int own_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct own_state *st = r->hctx;
	int64_t uid = r->sess.user.id;
	if (st->disable) {
		/* The requirement is checked here too: an administrator may
		 * have set it since the page was shown. */
		struct totp_status ts;
		int rc = totp_status_get(d, uid, &ts);
		if (rc)
			return rc;
		if (ts.required) {
			st->result = TOTP_ENROLLED;
			return 0;
		}
		st->result = totp_disable(d, uid);
	} else {
		st->result = totp_recovery_renew(d, uid, st->codes);
	}
	if (st->result == TOTP_NOT_ENROLLED)
		return 0;
	if (st->result)
		return st->result;
	return audit_2fa(d, r, &r->sess.user, "update", r->sess.user.username,
	                 st->disable ? "two-factor disabled" : "recovery codes renewed");
}

static int own_then(struct req *r)
{
	struct own_state *st = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (st->result == TOTP_NOT_ENROLLED)
		return req_redirect(r, "/account/2fa");
	if (st->result == TOTP_ENROLLED)
		return settings_page(r, 409, "error",
		                     T(r, "Your organisation asks you to use two-factor login, so "
		                          "you cannot turn it off."));
	if (st->disable) {
		page_begin(r, T(r, "Two-factor login is off"));
		heading(r, T(r, "Two-factor login is off"), 1);
		page_alert(r, "ok",
		           T(r, "Two-factor login is off. You can remove Vertelpunt from the app "
		                "on your phone."));
		link_paragraph(r, "/account/2fa", T(r, "Set up two-factor login again"));
		link_paragraph(r, "/account", T(r, "Back to your account"));
		page_end(r);
		return 200;
	}
	page_begin(r, T(r, "New recovery codes"));
	heading(r, T(r, "New recovery codes"), 1);
	recovery_list(r, st->codes);
	sodium_memzero(st->codes, sizeof st->codes);
	link_paragraph(r, "/account/2fa", T(r, "I have saved the codes. Go on."));
	page_end(r);
	return 200;
}

static int own_change(struct req *r, int disable)
{
	if (!password_ok(r))
		return settings_page(r, 422, "error",
		                     T(r, "Your current password is not correct."));
	struct own_state *st = arena_zalloc(r->a, sizeof *st);
	st->disable = disable;
	r->hctx = st;
	return req_write(r, own_write, own_then);
}

int page_account_2fa_disable(struct req *r)
{
	return own_change(r, 1);
}

int page_account_2fa_recovery(struct req *r)
{
	return own_change(r, 0);
}
