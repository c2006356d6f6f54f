/* server.c: libmicrohttpd glue: limits, the request life cycle, dispatch, security checks. */
#include "http/server.h"

#include "analysis/index.h"
#include "analysis/themes_measure.h"

#include "core/clock.h"
#include "model/purge.h"
#include "model/schedule.h"
#include "model/conversation_mail.h"
#include "model/dialogue_mail.h"
#include "model/trajectory.h"
#include "model/initiative.h"
#include "model/audit.h"
#include "model/outbox.h"
#include "model/script_cache.h"
#include "model/upload.h"
#include "core/log.h"
#include "core/msg.h"
#include "core/util.h"
#include "db/migrate.h"
#include "http/routes.h"
#include "model/session.h"
#include "web/i18n.h"
#include "web/pages.h"

#include <arpa/inet.h>
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { MAINTENANCE_SECONDS = 300, REMINDER_SECONDS = 60 };
/* The outbox sender's round when nothing wakes it (model/outbox.h). */
enum { MAIL_ROUND_MS = 5000, MAIL_ROUND_LIMIT = 50 };

enum { STATE_NEW, STATE_BODY, STATE_PENDING, STATE_WRITTEN, STATE_SENT };

void app_config_defaults(struct app_config *c)
{
	memset(c, 0, sizeof *c);
	c->db_url = "var/vertelpunt.db";
	c->listen = "127.0.0.1:8080";
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	c->threads = n > 0 && n < 64 ? (int)n : 2;
	c->conn_timeout = 30;
	c->conn_limit = 1000;
	c->per_ip_limit = 200;
	c->body_limit = 1024 * 1024;
	c->upload_limit = 10 * 1024 * 1024;
	c->upload_max_pixels = 40 * 1000 * 1000;
	c->story_rate_ip = 60;
	c->story_rate_collection = 6000;
	c->analysis_min_group = 10;
	c->smtp.timeout = 60;
	c->mail_max_attempts = OUTBOX_DEFAULT_MAX_ATTEMPTS;
}

/* ---- request helpers ---------------------------------------------------- */

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(struct req *r, const char *name)
{
	return kv_get(&r->query, name);
}

const char *req_form(struct req *r, const char *name)
{
	return kv_get(&r->form, name);
}

const char *req_cookie(struct req *r, const char *name)
{
	return kv_get(&r->cookies, name);
}

const char *req_param(struct req *r, int i)
{
	return i >= 0 && i < r->nparams ? r->params[i] : NULL;
}

void req_set_header(struct req *r, const char *name, const char *value)
{
	assert(r->nheaders < REQ_MAX_HEADERS);
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = value;
	r->nheaders++;
}

int req_redirect(struct req *r, const char *local_path)
{
	/* Only same-site paths: "/x" but not "//host" or "/\host". */
	if (!local_path || local_path[0] != '/' || local_path[1] == '/' || local_path[1] == '\\' ||
	    strpbrk(local_path, "\r\n"))
		local_path = "/";
	req_set_header(r, "Location", arena_strdup(r->a, local_path));
	buf_reset(&r->out);
	r->resp_type = "text/plain; charset=utf-8";
	return 303;
}

int req_json(struct req *r, int status, buf *json)
{
	buf_reset(&r->out);
	buf_append(&r->out, json->data ? json->data : "", json->len);
	buf_free(json);
	r->resp_type = "application/json";
	return status;
}

void req_set_cookie(struct req *r, const char *name, const char *value, int max_age, int http_only)
{
	buf b;
	buf_init(&b);
	/* Secure also on http://127.0.0.1: browsers treat loopback as a secure
	 * context, and __Host- cookies are refused without it. */
	buf_printf(&b, "%s=%s; Path=/; Secure; SameSite=Lax%s", name, value,
	           http_only ? "; HttpOnly" : "");
	if (max_age >= 0)
		buf_printf(&b, "; Max-Age=%d", max_age);
	req_set_header(r, "Set-Cookie", arena_strdup(r->a, b.data));
	buf_free(&b);
}

static void close_db(void *p)
{
	db_close(p);
}

struct db *req_db(struct req *r)
{
	db *d = pthread_getspecific(r->app->db_key);
	if (!d) {
		char err[256];
		d = db_open(r->app->cfg.db_url, err, sizeof err);
		if (!d) {
			log_event(LOG_ERROR, "db_open", "%s", err);
			abort();
		}
		pthread_setspecific(r->app->db_key, d);
	}
	return d;
}

/* ---- when the database is away ---------------------------------------- */

/* A request thread's connection is opened at its first request. When the
 * database cannot be reached then (PostgreSQL restarting), the request
 * gets 503 instead of the abort in req_db; an open connection that is
 * lost is made again by the driver on its next use (db_pg.c). Routes that
 * need no database (static files, /healthz) are served either way. */
static int route_needs_db(const struct route *rt)
{
	return rt->fn != page_static && rt->fn != page_healthz && rt->fn != page_security_txt;
}

static int req_db_ready(struct req *r)
{
	if (pthread_getspecific(r->app->db_key))
		return 0;
	char err[256];
	db *d = db_open(r->app->cfg.db_url, err, sizeof err);
	if (!d) {
		log_event(LOG_ERROR, "db_open", "%s", err);
		return -1;
	}
	pthread_setspecific(r->app->db_key, d);
	return 0;
}

/* ---- writes ------------------------------------------------------------- */

static void write_done(void *ctx, int rc)
{
	struct req *r = ctx;
	r->write_rc = rc;
	r->state = STATE_WRITTEN;
	MHD_resume_connection(r->conn);
}

int req_write(struct req *r, int (*fn)(struct db *d, void *r), handler_fn then)
{
	assert(r->state != STATE_PENDING && then && fn);
	r->then = then;
	r->state = STATE_PENDING;
	MHD_suspend_connection(r->conn);
	writer_submit(r->app->w, fn, write_done, r);
	return REQ_PENDING;
}

/* ---- responses ---------------------------------------------------------- */

static void security_headers(struct req *r, struct MHD_Response *resp)
{
	/* A route marked ROUTE_FRAMEABLE (the script preview) may be shown in a
	 * frame of our own pages; nothing else may be framed at all. */
	int frameable = r->route && (r->route->flags & ROUTE_FRAMEABLE);
	MHD_add_response_header(
	        resp, "Content-Security-Policy",
	        frameable ? "default-src 'self'; script-src 'self'; style-src 'self'; "
	                    "img-src 'self' data:; font-src 'self'; connect-src "
	                    "'self'; form-action 'self'; frame-ancestors 'self'; "
	                    "base-uri 'none'; object-src 'none'"
	                  : "default-src 'self'; script-src 'self'; style-src 'self'; "
	                    "img-src 'self' data:; font-src 'self'; connect-src "
	                    "'self'; form-action 'self'; frame-ancestors 'none'; "
	                    "base-uri 'none'; object-src 'none'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", frameable ? "SAMEORIGIN" : "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy",
	                        "camera=(), microphone=(), geolocation=(), payment=()");
	if (r->app->cfg.hsts)
		MHD_add_response_header(resp, "Strict-Transport-Security",
		                        "max-age=31536000; includeSubDomains");
	if (!r->cacheable)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->route && (r->route->flags & ROUTE_API))
		MHD_add_response_header(resp, "API-Version", "1.0.0");
}

static enum MHD_Result send_response(struct req *r, int status)
{
	assert(status >= 100 && status < 600);
	size_t len;
	char *body = buf_detach(&r->out, &len);
	struct MHD_Response *resp =
	        MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type",
	                        r->resp_type ? r->resp_type : "text/html; charset=utf-8");
	security_headers(r, resp);
	for (int i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
	r->status = status;
	r->state = STATE_SENT;
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result send_error(struct req *r, int status, const char *msg)
{
	return send_response(r, web_error(r, status, msg));
}

/* ---- the request life cycle --------------------------------------------- */

static const char *client_ip(struct req *r)
{
	const union MHD_ConnectionInfo *ci =
	        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char tmp[INET6_ADDRSTRLEN] = "?";
	if (r->app->cfg.trust_proxy) {
		const char *fwd = req_header(r, "X-Forwarded-For");
		if (fwd && *fwd) {
			/* The proxy appends the address it saw last; only a
			 * well-formed address is taken. */
			const char *last = strrchr(fwd, ',');
			last = last ? last + 1 : fwd;
			while (*last == ' ')
				last++;
			char *cand = arena_strndup(r->a, last, strcspn(last, " "));
			unsigned char bin[sizeof(struct in6_addr)];
			if (inet_pton(AF_INET, cand, bin) == 1 ||
			    inet_pton(AF_INET6, cand, bin) == 1)
				return cand;
		}
	}
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, tmp,
			          sizeof tmp);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, tmp,
			          sizeof tmp);
	}
	return arena_strdup(r->a, tmp);
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
	struct req *r = cls;
	if (r->query.n < PARSE_MAX_FIELDS)
		kv_add(r->a, &r->query, arena_strdup(r->a, key),
		       arena_strdup(r->a, value ? value : ""), value ? strlen(value) : 0);
	return MHD_YES;
}

static const char *pick_lang(struct req *r)
{
	const char *c = req_cookie(r, LANG_COOKIE);
	if (c && i18n_has(c))
		return c;
	const char *al = req_header(r, "Accept-Language");
	return i18n_negotiate(al);
}

/* Parses the body by its Content-Type. Returns 0, or an HTTP status. */
static int parse_body(struct req *r, const char **err)
{
	const char *ct = req_header(r, "Content-Type");
	r->content_type = ct;
	if (r->body.len == 0 && !ct)
		return 0;
	if (!ct) {
		*err = N_("The request has a body but no Content-Type.");
		return 415;
	}
	const char *data = r->body.data ? r->body.data : "";
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
		return parse_urlencoded(r->a, data, r->body.len, &r->form, err) ? 400 : 0;
	if (strncasecmp(ct, "multipart/form-data", 19) == 0)
		return parse_multipart(r->a, ct, data, r->body.len, &r->form, err) ? 400 : 0;
	if (strncasecmp(ct, "application/json", 16) == 0)
		return parse_json_body(data, r->body.len, &r->json, err) ? 400 : 0;
	*err = N_("This type of request body is not supported.");
	return 415;
}

static int csrf_ok(struct req *r)
{
	const char *token = req_form(r, "csrf_token");
	if (!token)
		token = req_header(r, "X-CSRF-Token");
	if (!token)
		return 0;
	if (r->logged_in)
		return util_streq_ct(token, r->sess.csrf);
	/* Without a session: double submit against the __Host- cookie. */
	const char *cookie = req_cookie(r, CSRF_COOKIE);
	return cookie && strlen(cookie) == 64 && util_streq_ct(token, cookie);
}

struct touch_ctx {
	char id_hash[65];
	int64_t now;
};

static int touch_fn(db *d, void *ctx)
{
	struct touch_ctx *t = ctx;
	return session_touch(d, t->id_hash, t->now);
}

static void touch_done(void *ctx, int rc)
{
	free(ctx);
}

static void load_session(struct req *r)
{
	const char *sid = req_cookie(r, SESSION_COOKIE);
	if (!sid || r->logged_in) /* on_access may have loaded it already */
		return;
	int64_t now = clock_now();
	int found = req_db_ready(r) == 0 ? session_lookup(req_db(r), sid, now, &r->sess) : DB_ERROR;
	if (found != DB_ROW) {
		r->db_down = found != DB_DONE; /* not "no session": 503, not a login */
		return;
	}
	r->logged_in = 1;
	/* Idle time counts from the last request; written at most once a
	 * minute, without waiting for it. */
	if (now - r->sess.last_seen >= SESSION_TOUCH_SECONDS) {
		struct touch_ctx *t = malloc(sizeof *t);
		if (!t)
			abort();
		memcpy(t->id_hash, r->sess.id_hash, sizeof t->id_hash);
		t->now = now;
		writer_submit(r->app->w, touch_fn, touch_done, t);
	}
}

const char *req_csrf_token(struct req *r)
{
	if (r->logged_in)
		return r->sess.csrf;
	if (r->csrf_anon[0])
		return r->csrf_anon;
	const char *c = req_cookie(r, CSRF_COOKIE);
	if (c && strlen(c) == 64 && strspn(c, "0123456789abcdef") == 64) {
		memcpy(r->csrf_anon, c, 65);
		return r->csrf_anon;
	}
	util_random_hex(r->csrf_anon, 32);
	req_set_cookie(r, CSRF_COOKIE, r->csrf_anon, -1, 1);
	return r->csrf_anon;
}

/* What someone who must still replace a one-time password may open. */
static int must_change_allows(const struct route *rt)
{
	return rt->fn == page_password_form || rt->fn == page_password || rt->fn == page_logout ||
	       rt->fn == page_static || rt->fn == page_healthz || rt->fn == page_language ||
	       rt->fn == page_security_txt || rt->fn == api_me || rt->fn == api_openapi;
}

/* Whether the signed-in user may see the collection or trajectory the
 * route's {id} names: 1, 0 (also for an id that is not one), or -1 on a
 * database error. A refusal is logged: someone tried an id not theirs. */
static int record_access(struct req *r, const struct route *rt)
{
	int64_t id;
	if (!r->logged_in || util_parse_id(req_param(r, 0), &id) != 0)
		return 0;
	int may = (rt->flags & ROUTE_COLLECTION)
	                  ? collection_user_may(req_db(r), r->app->org_id, &r->sess.user, id)
	          : (rt->flags & ROUTE_INITIATIVE)
	                  ? initiative_user_may(req_db(r), r->app->org_id, &r->sess.user, id)
	                  : trajectory_user_may(req_db(r), r->app->org_id, &r->sess.user, id);
	if (may == 0)
		log_event(LOG_WARN, "access", "%s %s refused to user %lld: not on its trajectory",
		          r->method, r->path, (long long)r->sess.user.id);
	return may < 0 ? -1 : may;
}

static int dispatch(struct req *r)
{
	buf allow;
	buf_init(&allow);
	/* The first call of on_access may have found the route already. */
	enum route_result rr = r->route ? ROUTE_FOUND : route_match(r, r->method, r->path, &allow);
	if (rr == ROUTE_NOT_FOUND) {
		buf_free(&allow);
		return web_error(r, 404, NULL);
	}
	if (rr == ROUTE_BAD_METHOD) {
		req_set_header(r, "Allow", arena_strdup(r->a, allow.data));
		buf_free(&allow);
		return web_error(r, 405, NULL);
	}
	buf_free(&allow);
	const struct route *rt = r->route;
	if (r->body_too_large)
		return web_error(r, 413, NULL);

	if (route_needs_db(rt) && req_db_ready(r))
		return web_error(r, 503, NULL);
	load_session(r);
	if (r->db_down && route_needs_db(rt))
		return web_error(r, 503, NULL);
	if (!(rt->roles & ROLE_PUBLIC)) {
		if (!r->logged_in) {
			if (rt->flags & ROUTE_API)
				return web_error(r, 401, NULL);
			buf next;
			buf_init(&next);
			buf_puts(&next, "/login?next=");
			for (const char *p = r->path; *p; p++) {
				if (strchr("/-_.~", *p) || (*p >= 'a' && *p <= 'z') ||
				    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
					buf_putc(&next, *p);
				else
					buf_printf(&next, "%%%02X", (unsigned char)*p);
			}
			int st = req_redirect(r, next.data);
			buf_free(&next);
			return st;
		}
		if (!(rt->roles & r->sess.user.role))
			return web_error(r, 403, NULL);
	}
	/* A one-time password must be replaced before anything else. */
	if (r->logged_in && r->sess.user.must_change_password && !must_change_allows(rt)) {
		/* Whoever set the one-time password knows it: nothing may be
		 * done with it but choosing one's own. */
		if (rt->flags & ROUTE_API)
			return web_error(r, 403, "Change your one-time password first.");
		return req_redirect(r, "/account/password");
	}
	if (rt->flags & (ROUTE_COLLECTION | ROUTE_TRAJECTORY | ROUTE_INITIATIVE)) {
		int may = record_access(r, rt);
		if (may < 0)
			return web_error(r, 503, NULL);
		if (!may)
			return web_error(r, 404, NULL);
	}
	const char *err = NULL;
	int st = parse_body(r, &err);
	if (st)
		return web_error(r, st, err);
	if ((rt->flags & ROUTE_CSRF) && !csrf_ok(r))
		return web_error(r, 403,
		                 "The form has expired or did not come from this site. "
		                 "Please try again.");
	return rt->fn(r);
}

static enum MHD_Result finish(struct req *r, int status)
{
	if (status == REQ_PENDING)
		return MHD_YES;
	return send_response(r, status);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **con_cls)
{
	struct app *app = cls;
	struct req *r = *con_cls;
	if (!r) {
		arena *a = arena_new();
		r = arena_zalloc(a, sizeof *r);
		r->a = a;
		r->app = app;
		r->conn = conn;
		r->start_us = clock_mono_us();
		r->method = arena_strdup(a, method);
		r->path = arena_strdup(a, url);
		r->body_limit = app->cfg.body_limit;
		buf_init(&r->body);
		buf_init(&r->out);
		*con_cls = r;
		atomic_fetch_add(&app->inflight, 1);
		r->ip = client_ip(r);
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, r);
		const char *cookie = req_header(r, "Cookie");
		if (cookie)
			parse_cookies(r->a, cookie, &r->cookies);
		r->lang = pick_lang(r);
		/* An upload route (ROUTE_UPLOAD) takes a larger body, but only
		 * from a user who may call it: the route follows from method and path,
		 * so it and the session are looked up before the body is read. */
		if (route_match(r, r->method, r->path, NULL) == ROUTE_FOUND &&
		    (r->route->flags & ROUTE_UPLOAD)) {
			load_session(r);
			if (r->logged_in && (r->route->roles & r->sess.user.role) &&
			    !r->sess.user.must_change_password &&
			    app->cfg.upload_limit > r->body_limit)
				r->body_limit = app->cfg.upload_limit;
		}
		const char *cl = req_header(r, "Content-Length");
		if (cl) {
			int64_t n;
			if (util_parse_i64(cl, &n) || n < 0)
				return send_error(r, 400,
				                  "The Content-Length header is not valid.");
			if ((uint64_t)n > r->body_limit)
				return send_error(r, 413, NULL);
		}
		/* The response is queued on the next call, not this first one:
		 * queueing it here makes libmicrohttpd close the connection
		 * instead of keeping it alive. */
		r->state = STATE_BODY;
		return MHD_YES;
	}
	if (r->state == STATE_BODY) {
		if (*upload_data_size) {
			if (!r->body_too_large && r->body.len + *upload_data_size <= r->body_limit)
				buf_append(&r->body, upload_data, *upload_data_size);
			else
				r->body_too_large = 1;
			*upload_data_size = 0;
			return MHD_YES;
		}
		r->state = STATE_NEW;
		if (r->body_too_large)
			return send_error(r, 413, NULL);
		return finish(r, dispatch(r));
	}
	if (r->state == STATE_WRITTEN) {
		r->state = STATE_NEW;
		return finish(r, r->then(r));
	}
	/* Called again while pending or after the response was queued. */
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct app *app = cls;
	struct req *r = *con_cls;
	if (!r)
		return;
	int64_t dur = clock_mono_us() - r->start_us;
	/* The path is logged without its query string (which may hold secrets). */
	log_request(r->method, r->path, r->state == STATE_SENT ? r->status : 0, dur,
	            r->logged_in ? r->sess.user.id : 0, r->ip);
	if (r->json)
		json_decref(r->json);
	buf_free(&r->body);
	buf_free(&r->out);
	arena_free(r->a);
	*con_cls = NULL;
	atomic_fetch_sub(&app->inflight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_event(LOG_WARN, "http", "%s", msg);
}

/* ---- start and stop ----------------------------------------------------- */

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	int64_t port;
	if (util_parse_i64(colon + 1, &port) || port < 0 || port > 65535)
		return -1;
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	return 0;
}

/* The outbox sender: sends what is due, then waits for outbox_wake or the
 * next round. Its claims and results are writer jobs like any other. */
static void *mail_sender(void *p)
{
	struct app *app = p;
	while (!atomic_load(&app->mail_stop)) {
		struct outbox_pass pass;
		outbox_send_due(app->w, app->vault, &app->cfg.smtp, app->cfg.mail_max_attempts,
		                MAIL_ROUND_LIMIT, &pass);
		if (pass.sent || pass.retry || pass.failed)
			log_event(LOG_INFO, "mail", "sent %d, to try again %d, failed %d",
			          pass.sent, pass.retry, pass.failed);
		if (!atomic_load(&app->mail_stop))
			outbox_wait(MAIL_ROUND_MS);
	}
	return NULL;
}

static void mail_sender_start(struct app *app)
{
	atomic_store(&app->mail_stop, 0);
	if (!app->cfg.smtp.url || !*app->cfg.smtp.url) {
		log_event(LOG_WARN, "mail",
		          "e-mail is not configured (--smtp-url): messages wait in the outbox");
		return;
	}
	if (pthread_create(&app->mail_thread, NULL, mail_sender, app) == 0)
		app->mail_running = 1;
	else
		log_event(LOG_ERROR, "mail", "the outbox sender could not start");
}

static void mail_sender_stop(struct app *app)
{
	if (!app->mail_running)
		return;
	atomic_store(&app->mail_stop, 1);
	outbox_wake();
	pthread_join(app->mail_thread, NULL);
	app->mail_running = 0;
}

int server_start(struct app *app, const struct app_config *cfg, char *err, size_t errlen)
{
	memset(app, 0, sizeof *app);
	app->cfg = *cfg;
	struct sockaddr_in sa;
	if (parse_listen(cfg->listen, &sa)) {
		snprintf(err, errlen,
		         "--listen wants ADDRESS:PORT, such as 127.0.0.1:8080 (got %s)",
		         cfg->listen);
		return -1;
	}
	if (!cfg->key_path) {
		snprintf(err, errlen, "a database URL needs --key FILE");
		return -1;
	}
	app->vault = vault_load(cfg->key_path, err, errlen);
	if (!app->vault)
		return -1;
	db *d = db_open(cfg->db_url, err, errlen);
	if (!d || migrate_apply(d, NULL, err, errlen)) {
		db_close(d);
		vault_free(app->vault);
		app->vault = NULL;
		return -1;
	}
	db_stmt *s = db_prepare(d, "SELECT id, name FROM organisations ORDER BY id LIMIT 1");
	if (db_step(s) == DB_ROW) {
		app->org_id = db_col_int(s, 0);
		snprintf(app->org_name, sizeof app->org_name, "%s", db_col_text(s, 1));
	}
	db_finalize(s);
	db_close(d);
	app->w = writer_start(cfg->db_url, err, errlen);
	if (!app->w) {
		vault_free(app->vault);
		app->vault = NULL;
		return -1;
	}
	pthread_key_create(&app->db_key, close_db);
	atomic_store(&app->inflight, 0);
	/* The story index builds itself in the background; a query that comes
	 * first builds its own collection's part. */
	app->index = aix_new(cfg->db_url);
	themes_set_shared(1); /* every instance on the database: the same themes */
	aix_start(app->index);
	aix_set_global(app->index);
	/* Bursts: a family at one address, a kiosk's queue after a lost
	 * connection, a busy evening on one collection. */
	app->rl_story_ip = ratelimit_new(cfg->story_rate_ip, cfg->story_rate_ip / 2 + 10);
	app->rl_story_collection =
	        ratelimit_new(cfg->story_rate_collection, cfg->story_rate_collection / 2 + 10);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	/* Per-connection memory is libmicrohttpd's default 32 KiB: it is
	 * cleared for every request, and 128 KiB cost 15% of the CPU per
	 * request (docs/benchmarks.md). Bodies are copied out of it. */
	struct MHD_Daemon *daemon = MHD_start_daemon(
	        flags, 0, NULL, NULL, on_access, app, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, app,
	        MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
	        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->conn_timeout,
	        MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->conn_limit,
	        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_limit,
	        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024, MHD_OPTION_NOTIFY_COMPLETED,
	        on_completed, app, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_END);
	if (!daemon) {
		snprintf(err, errlen, "cannot listen on %s: %s", cfg->listen, strerror(errno));
		aix_free(app->index);
		app->index = NULL;
		writer_stop(app->w);
		app->w = NULL;
		vault_free(app->vault);
		app->vault = NULL;
		ratelimit_free(app->rl_story_ip);
		ratelimit_free(app->rl_story_collection);
		app->rl_story_ip = app->rl_story_collection = NULL;
		return -1;
	}
	app->daemon = daemon;
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
	app->port = di ? di->port : ntohs(sa.sin_port);
	mail_sender_start(app);
	return 0;
}

void server_stop(struct app *app, int grace_ms)
{
	if (!app->daemon)
		return;
	/* Stop accepting; let what is in flight finish. */
	MHD_socket ls = MHD_quiesce_daemon(app->daemon);
	/* The socket stays open until MHD_stop_daemon (threads may still look
	 * at it), but shutting it down makes the kernel refuse new
	 * connections now instead of queueing them in the backlog. */
	if (ls != MHD_INVALID_SOCKET)
		shutdown(ls, SHUT_RDWR);
	int64_t until = clock_mono_us() + (int64_t)grace_ms * 1000;
	while (atomic_load(&app->inflight) > 0 && clock_mono_us() < until) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(app->daemon);
	app->daemon = NULL;
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	themes_jobs_stop(); /* they read the index */
	aix_free(app->index);
	app->index = NULL;
	mail_sender_stop(app);
	writer_stop(app->w);
	app->w = NULL;
	pthread_key_delete(app->db_key);
	vault_free(app->vault);
	app->vault = NULL;
	ratelimit_free(app->rl_story_ip);
	ratelimit_free(app->rl_story_collection);
	app->rl_story_ip = app->rl_story_collection = NULL;
	script_cache_clear();
}

static int purge_fn(db *d, void *ctx)
{
	int64_t *n = ctx;
	*n = 0;
	/* Expired sessions: one instance at a time (model/schedule.h). */
	int rc = schedule_exclusive(d, "sessions");
	if (rc != 1)
		return rc;
	*n = session_purge(d, clock_now());
	return *n < 0 ? DB_ERROR : 0;
}

/* The retention purge, once a day across every instance on the database
 * (model/schedule.h); ran says whether this instance did it. */
struct daily_purge_job {
	struct purge_job j;
	int ran;
};

static int daily_purge_write(db *d, void *ctx)
{
	struct daily_purge_job *p = ctx;
	p->ran = schedule_claim(d, "purge", 86400, p->j.now);
	if (p->ran != 1)
		return p->ran < 0 ? p->ran : 0;
	return purge_write(d, &p->j);
}

/* Once a day: what has passed its retention period (model/purge.h), then
 * the write-ahead log back into the database. */
static void daily_purge(struct app *app)
{
	int64_t now = clock_now();
	struct daily_purge_job p = {.j = {.now = now, .actor = "system", .origin = "serve"}};
	struct purge_job *j = &p.j;
	if (writer_run(app->w, daily_purge_write, &p) != 0) {
		log_event(LOG_ERROR, "purge", "could not remove what has expired");
		purge_job_free(j);
		return;
	}
	if (p.ran != 1) { /* not due, or another instance's */
		purge_job_free(j);
		return;
	}
	char dir[512], err[256];
	if (app->cfg.upload_dir && *app->cfg.upload_dir)
		snprintf(dir, sizeof dir, "%s", app->cfg.upload_dir);
	else
		upload_dir_default(app->cfg.db_url, dir, sizeof dir);
	purge_remove_files(j, dir);
	purge_job_free(j);
	log_event(LOG_INFO, "purge",
	          "removed %lld stories, %lld drafts, %lld uploads, the texts of %lld e-mails, "
	          "the conversations of %lld closed trajectories",
	          (long long)j->stories, (long long)j->drafts, (long long)j->uploads,
	          (long long)j->mail, (long long)j->trajectories);
	db *d = db_open(app->cfg.db_url, err, sizeof err);
	if (!d || db_compact(d, 0, err, sizeof err) != 0)
		log_event(LOG_ERROR, "purge", "checkpoint: %s", err);
	db_close(d);
}

static int seal_write(db *d, void *ctx)
{
	struct audit_seal_job *j = ctx;
	j->made = 0;
	/* One instance at a time seals (model/schedule.h). */
	int rc = schedule_exclusive(d, "audit-seal");
	if (rc != 1)
		return rc;
	return audit_seal_job(d, j);
}

/* A keyed seal of the access log's head when it moved (model/audit.h). The
 * log line is a witness outside the database: it names the entry and its
 * hash, so even a rewrite that also removes seals shows against it. */
static void seal_audit_head(struct app *app)
{
	struct audit_seal_job j = {.v = app->vault};
	int rc = writer_run(app->w, seal_write, &j);
	if (rc == AUDIT_BROKEN)
		log_event(LOG_ERROR, "audit-seal",
		          "not sealed: the access log does not verify from its last seal on; "
		          "run vertelpunt audit verify");
	else if (rc != 0)
		log_event(LOG_ERROR, "audit-seal", "could not seal the access log (%d)", rc);
	else if (j.made > 0)
		log_event(LOG_INFO, "audit-seal", "seal %lld: entry %lld, hash %s, key %u",
		          (long long)j.last.seal_id, (long long)j.last.log_id, j.last.log_hash,
		          (unsigned)j.last.key_id);
}

struct reminder_job {
	struct conversation_mail m;
	int queued;
};

static int reminder_write(db *d, void *ctx)
{
	struct reminder_job *j = ctx;
	j->queued = 0;
	/* One instance at a time queues reminders (model/schedule.h); the
	 * outbox's dedup keys keep each reminder to one message. */
	int rc = schedule_exclusive(d, "reminders");
	if (rc != 1)
		return rc;
	rc = conversation_mail_reminders(d, &j->m, clock_now(), &j->queued);
	/* dialogue sessions (model/dialogue_mail.h): the same outbox, once each */
	return rc == DB_OK ? dialogue_mail_reminders(d, &j->m, clock_now(), &j->queued) : rc;
}

int server_public_url_check(const char *url)
{
	const char *host = strncmp(url, "https://", 8) == 0  ? url + 8
	                   : strncmp(url, "http://", 7) == 0 ? url + 7
	                                                     : NULL;
	if (!host || !*host || *host == '/' || *host == ':')
		return -1;
	for (const char *p = host; *p; p++) {
		if (*p == '/' && p[1] == '\0')
			break;
		if (!isalnum((unsigned char)*p) && !strchr(".-:[]", *p))
			return -1;
	}
	return 0;
}

const char *server_public_url_trim(char *url)
{
	size_t n = strlen(url);
	if (n && url[n - 1] == '/')
		url[n - 1] = '\0';
	return url;
}

const char *server_mail_organizer(const struct app *app)
{
	/* Calendar invitations need an organiser address; without a
	 * configured sender they wait in the outbox with this one. */
	return app->cfg.smtp.from && *app->cfg.smtp.from ? app->cfg.smtp.from
	                                                 : "noreply@vertelpunt.invalid";
}

int server_reminders(struct app *app)
{
	struct reminder_job j = {.m = {.v = app->vault,
	                               .base_url = app->cfg.public_url ? app->cfg.public_url : "",
	                               .organizer = server_mail_organizer(app)}};
	if (writer_run(app->w, reminder_write, &j) != 0) {
		log_event(LOG_ERROR, "reminders", "could not queue the reminders that are due");
		return -1;
	}
	if (j.queued)
		log_event(LOG_INFO, "reminders", "queued %d reminders", j.queued);
	return j.queued;
}

/* The themes stored for "theme = N" (analysis/themes_measure.h) computed
 * again where stories came or went since: every THEMES_REFRESH_SECONDS,
 * once across the instances (model/schedule.h). The claim commits before
 * the computations, which run as background jobs: an instance killed
 * meanwhile leaves them to the next round, of whichever instance. */
struct themes_claim {
	int ran;
	long n;
	struct themes_part *parts;
};

static int themes_claim_write(db *d, void *ctx)
{
	struct themes_claim *j = ctx;
	free(j->parts); /* a job run again after a busy database */
	j->parts = NULL;
	j->n = 0;
	j->ran = schedule_claim(d, "themes", THEMES_REFRESH_SECONDS, clock_now());
	if (j->ran != 1)
		return j->ran < 0 ? j->ran : 0;
	j->n = themes_stored(d, &j->parts);
	return j->n < 0 ? (int)j->n : 0;
}

int server_themes_refresh(struct app *app)
{
	struct themes_claim j = {0};
	if (!app->index || writer_run(app->w, themes_claim_write, &j) != 0) {
		log_event(LOG_ERROR, "themes", "could not look for themes to compute again");
		free(j.parts);
		return -1;
	}
	int started = j.ran == 1 ? themes_refresh(app->index, app->cfg.db_url, j.parts, j.n,
	                                          app->cfg.analysis_min_group)
	                         : 0;
	if (started)
		log_event(LOG_INFO, "themes", "computing the themes of %d parts again", started);
	free(j.parts);
	return started;
}

int64_t server_maintenance(struct app *app)
{
	daily_purge(app);
	seal_audit_head(app);
	server_themes_refresh(app);
	int64_t n = 0;
	if (writer_run(app->w, purge_fn, &n) != 0)
		n = -1;
	if (n != 0)
		log_event(n < 0 ? LOG_ERROR : LOG_INFO, "maintenance",
		          n < 0 ? "could not remove expired sessions"
		                : "removed %lld expired sessions and old login failures",
		          (long long)n);
	return n;
}

int server_run(const struct app_config *cfg)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* threads started below inherit it */
	signal(SIGPIPE, SIG_IGN);
	struct app *app = calloc(1, sizeof *app);
	if (!app)
		abort();
	char err[512];
	if (server_start(app, cfg, err, sizeof err)) {
		fprintf(stderr, "vertelpunt serve: %s\n", err);
		free(app);
		return 1;
	}
	char host[64];
	snprintf(host, sizeof host, "%.*s", (int)(strrchr(cfg->listen, ':') - cfg->listen),
	         cfg->listen);
	log_event(LOG_INFO, "listening", "http://%s:%u/", host, (unsigned)app->port);
	server_maintenance(app);
	server_reminders(app);
	int sig = 0;
	for (int tick = 1;; tick++) {
		struct timespec every = {REMINDER_SECONDS, 0};
		sig = sigtimedwait(&set, NULL, &every);
		if (sig < 0) {
			if (errno == EAGAIN) {
				server_reminders(app);
				if (tick % (MAINTENANCE_SECONDS / REMINDER_SECONDS) == 0)
					server_maintenance(app);
			}
			continue;
		}
		if (sig == SIGHUP)
			continue;
		break;
	}
	log_event(LOG_INFO, "stopping", "signal %d: finishing requests in flight", sig);
	server_stop(app, 10000);
	log_event(LOG_INFO, "stopped", "database closed");
	free(app);
	return 0;
}
