/* request.h: one HTTP request as handlers see it, and the response they build. */
#ifndef VP_REQUEST_H
#define VP_REQUEST_H

#include "core/arena.h"
#include "core/buf.h"
#include "http/parse.h"
#include "model/session.h"

#include <jansson.h>
#include <stdint.h>

struct app;
struct req;
struct route;
struct MHD_Connection;

enum { REQ_PENDING = 0 }; /* a handler's return value while a write is in flight */
enum { REQ_MAX_HEADERS = 16, REQ_MAX_PARAMS = 4 };

/* Returns an HTTP status with the response built in r, or REQ_PENDING after
 * req_write. */
typedef int (*handler_fn)(struct req *r);

struct req {
	arena *a; /* freed when the request completes */
	struct app *app;
	struct MHD_Connection *conn;
	const char *method;
	const char *path; /* decoded, without the query string */
	const char *ip;
	const char *lang; /* "nl" or "en" */
	int tls;
	const struct route *route;
	const char *params[REQ_MAX_PARAMS]; /* {name} segments of the route, in order */
	int nparams;

	struct kvlist query;
	struct kvlist form; /* urlencoded or multipart body */
	struct kvlist cookies;
	json_t *json; /* JSON body (an object), or NULL */
	buf body;
	size_t body_limit;
	int body_too_large;
	const char *content_type;

	int logged_in;
	int db_down; /* the session could not be looked up: the database is away (503) */
	struct session sess;
	char csrf_anon[65]; /* token of a visitor without a session (cookie) */

	/* The response. */
	int status;
	const char *resp_type;
	buf out;
	struct {
		const char *name, *value;
	} headers[REQ_MAX_HEADERS];
	int nheaders;
	int cacheable; /* static assets; everything else is no-store */

	/* An in-flight write (see req_write). */
	int state;
	int write_rc;
	handler_fn then;
	void *hctx; /* the handler's own state across a write */
	int64_t start_us;
	int done;
};

/* The current request's header value, or NULL. */
const char *req_header(struct req *r, const char *name);
const char *req_query(struct req *r, const char *name);
const char *req_form(struct req *r, const char *name);
const char *req_cookie(struct req *r, const char *name);
const char *req_param(struct req *r, int i);
/* Adds a response header; name and value must outlive the request (literals
 * or arena strings). */
void req_set_header(struct req *r, const char *name, const char *value);
/* A 303 to a local path (must start with '/'; anything else goes to '/'). */
int req_redirect(struct req *r, const char *local_path);
/* Sets a response body of JSON text (takes the buffer contents). */
int req_json(struct req *r, int status, buf *json);

/* Hands work to the writer: fn runs inside a group-commit transaction, then
 * the connection resumes and then(r) builds the response with r->write_rc
 * set to fn's result. The handler returns REQ_PENDING right after. */
int req_write(struct req *r, int (*fn)(struct db *d, void *r), handler_fn then);

/* The CSRF token for a form on this response: the session's, or for a
 * visitor without one the double-submit cookie's (set now if missing, so
 * only responses that carry a form set it). */
const char *req_csrf_token(struct req *r);

/* The read connection of the calling thread (opened on first use). */
struct db *req_db(struct req *r);

/* Cookie helpers: the session cookie is __Host- prefixed, HttpOnly and
 * SameSite=Lax; Secure when served over TLS or configured so. */
void req_set_cookie(struct req *r, const char *name, const char *value, int max_age, int http_only);

#define SESSION_COOKIE "__Host-vp_session"
#define CSRF_COOKIE    "__Host-vp_csrf"
#define LANG_COOKIE    "vp_lang"

#endif
