/* routes.h: the routing table's types and lookup. The table itself is in routes.c. */
#ifndef VP_ROUTES_H
#define VP_ROUTES_H

#include "core/buf.h"
#include "http/request.h"
#include "model/user.h"

/* Who may call a route: role bits from model/user.h, or ROLE_PUBLIC for
 * everyone including visitors without a session. A route with roles == 0
 * has said nothing and fails test_routes. */
#define ROLE_PUBLIC (1u << 15)

enum route_flags {
	ROUTE_CSRF = 1 << 0,      /* state-changing: needs a valid CSRF token */
	ROUTE_NO_CSRF = 1 << 1,   /* explicitly without CSRF (safe methods only) */
	ROUTE_API = 1 << 2,       /* JSON API: errors as JSON, API-Version header */
	ROUTE_UPLOAD = 1 << 3,    /* may receive a body larger than the form limit */
	ROUTE_FRAMEABLE = 1 << 4, /* may be shown in a frame of our own origin (previews) */
	/* A public write without a token (a story sent to a collection's
	 * link, also from an offline queue hours later): anyone may send it,
	 * so it carries no authority of its own; a handler that grants more
	 * to a logged-in sender checks the session's token itself. Only for
	 * ROLE_PUBLIC routes (tests/unit/test_routes.c). */
	ROUTE_OPEN_POST = 1 << 5,
	/* The route's first parameter {id} is a collection's or a
	 * trajectory's id: the dispatcher lets through only a signed-in user
	 * who may see it (model/trajectory.h), and answers 404 to anyone else,
	 * as for a record that does not exist. Per-trajectory access is
	 * enforced here, once, not by each handler (tests/unit/test_routes.c
	 * checks every such path carries its flag). */
	ROUTE_COLLECTION = 1 << 6,
	ROUTE_TRAJECTORY = 1 << 7,
	/* {id} is a citizen initiative's: one outside a trajectory is for
	 * all staff, one in a trajectory follows that trajectory's access
	 * (model/initiative.h: initiative_user_may). */
	ROUTE_INITIATIVE = 1 << 8,
};

struct route {
	const char *method; /* "GET" (also answers HEAD), "POST", ... */
	const char *path;   /* "/a/{name}/b": {x} matches one non-empty segment */
	handler_fn fn;
	unsigned roles;
	unsigned flags;
};

extern const struct route routes[];
extern const size_t routes_count;

enum route_result { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };

/* Finds the route for method and path. On ROUTE_FOUND fills r->route and
 * r->params. On ROUTE_BAD_METHOD appends the allowed methods ("GET, POST")
 * to allow. */
enum route_result route_match(struct req *r, const char *method, const char *path, buf *allow);
/* 1 when the signed-in user's role may call the route method path (as
 * written in the table, "/verzamelingen/{id}/opnemen"): pages offer a form
 * only to who may send it, and who may is said once, in routes.c. */
int route_allows(struct req *r, const char *method, const char *path);
/* 1 when a route answers method on path. */
int route_exists(const char *method, const char *path);

#endif
