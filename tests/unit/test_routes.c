/* test_routes.c: unit tests of the routing table's rules and of route_match. */
#include "testutil.h"

#include "core/arena.h"
#include "core/buf.h"
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

/* ---- the table ---- */

static void test_roles_stated(void **state)
{
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		if (rt->roles == 0)
			fail_msg("%s %s says nothing about who may call it", rt->method, rt->path);
		if (rt->roles & ~(ROLE_ALL_STAFF | ROLE_PUBLIC))
			fail_msg("%s %s has unknown role bits 0x%x", rt->method, rt->path,
			         rt->roles);
		if (!rt->fn)
			fail_msg("%s %s has no handler", rt->method, rt->path);
	}
	assert_true(routes_count > 0);
}

static void test_methods_known(void **state)
{
	static const char *known[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
	for (size_t i = 0; i < routes_count; i++) {
		int ok = 0;
		for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
			ok |= strcmp(routes[i].method, known[k]) == 0;
		if (!ok)
			fail_msg("%s %s: unknown method", routes[i].method, routes[i].path);
	}
}

static void test_csrf_non_get(void **state)
{
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		if (strcmp(rt->method, "GET") == 0)
			continue;
		if (rt->flags & ROUTE_OPEN_POST) {
			if (rt->roles != ROLE_PUBLIC || (rt->flags & (ROUTE_CSRF | ROUTE_NO_CSRF)))
				fail_msg("%s %s: an open POST is public and states no CSRF flag",
				         rt->method, rt->path);
			continue;
		}
		if (!(rt->flags & ROUTE_CSRF) || (rt->flags & ROUTE_NO_CSRF))
			fail_msg("%s %s changes state without a CSRF check", rt->method, rt->path);
	}
}

static void test_csrf_get(void **state)
{
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		if (strcmp(rt->method, "GET") != 0)
			continue;
		int csrf = !!(rt->flags & ROUTE_CSRF), no_csrf = !!(rt->flags & ROUTE_NO_CSRF);
		if (csrf + no_csrf != 1)
			fail_msg("GET %s must state exactly one of ROUTE_CSRF, ROUTE_NO_CSRF",
			         rt->path);
		if (!no_csrf)
			fail_msg("GET %s needs a CSRF token: a GET must not change state",
			         rt->path);
	}
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Every staff route whose first parameter is a collection's or a
 * trajectory's id carries the flag that makes the dispatcher check the
 * user may see it; no other route carries it. */
static void test_record_access_flags(void **state)
{
	static const char *const collection_prefixes[] = {"/verzamelingen/{id}", "/verkennen/{id}",
	                                                  "/api/v1/collections/{id}"};
	static const char *const trajectory_prefixes[] = {"/trajecten/{id}",
	                                                  "/api/v1/trajectories/{id}"};
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		int coll = 0, traj = 0;
		for (size_t k = 0; k < sizeof collection_prefixes / sizeof *collection_prefixes;
		     k++)
			coll |= starts_with(rt->path, collection_prefixes[k]);
		for (size_t k = 0; k < sizeof trajectory_prefixes / sizeof *trajectory_prefixes;
		     k++)
			traj |= starts_with(rt->path, trajectory_prefixes[k]);
		if (coll != !!(rt->flags & ROUTE_COLLECTION))
			fail_msg("%s %s: ROUTE_COLLECTION %s", rt->method, rt->path,
			         coll ? "missing: anyone on the staff could open another "
			                "trajectory's collection"
			              : "on a route without a collection id");
		if (traj != !!(rt->flags & ROUTE_TRAJECTORY))
			fail_msg("%s %s: ROUTE_TRAJECTORY %s", rt->method, rt->path,
			         traj ? "missing" : "on a route without a trajectory id");
		int init = starts_with(rt->path, "/initiatieven/{id}");
		if (init != !!(rt->flags & ROUTE_INITIATIVE))
			fail_msg("%s %s: ROUTE_INITIATIVE %s", rt->method, rt->path,
			         init ? "missing" : "on a route without an initiative id");
		if ((coll || traj || init) && (rt->roles & ROLE_PUBLIC))
			fail_msg("%s %s: a record route is for signed-in staff", rt->method,
			         rt->path);
	}
}

static void test_paths(void **state)
{
	for (size_t i = 0; i < routes_count; i++) {
		const char *p = routes[i].path;
		if (p[0] != '/')
			fail_msg("path \"%s\" does not start with '/'", p);
		/* Parameters are whole segments: "/{x}" between slashes, closed. */
		int params = 0;
		for (const char *c = p; *c; c++) {
			if (*c == '{') {
				const char *close = strchr(c, '}');
				if (c[-1] != '/' || !close || close == c + 1 ||
				    (close[1] != '\0' && close[1] != '/'))
					fail_msg("path \"%s\": bad parameter", p);
				params++;
			}
		}
		if (params > REQ_MAX_PARAMS)
			fail_msg("path \"%s\": more than %d parameters", p, REQ_MAX_PARAMS);
		if (strlen(p) > 1 && p[strlen(p) - 1] == '/')
			fail_msg("path \"%s\" ends in '/'", p);
	}
}

static void test_no_duplicates(void **state)
{
	for (size_t i = 0; i < routes_count; i++)
		for (size_t k = i + 1; k < routes_count; k++)
			if (strcmp(routes[i].method, routes[k].method) == 0 &&
			    strcmp(routes[i].path, routes[k].path) == 0)
				fail_msg("%s %s is in the table twice", routes[i].method,
				         routes[i].path);
}

static void test_api_flag(void **state)
{
	int api = 0;
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		if (strncmp(rt->path, "/api/", 5) == 0) {
			api++;
			if (!(rt->flags & ROUTE_API))
				fail_msg("%s %s lacks ROUTE_API", rt->method, rt->path);
		}
	}
	assert_true(api > 0);
}

/* ---- route_match ---- */

struct fixture {
	struct req r;
	buf allow;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->r.a = arena_new();
	buf_init(&f->allow);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->r.a);
	buf_free(&f->allow);
	free(f);
	return 0;
}

static enum route_result match(struct fixture *f, const char *method, const char *path)
{
	arena *a = f->r.a;
	memset(&f->r, 0, sizeof f->r);
	f->r.a = a;
	buf_reset(&f->allow);
	return route_match(&f->r, method, path, &f->allow);
}

static const char *allow(struct fixture *f)
{
	return f->allow.data ? f->allow.data : "";
}

static void test_match_root(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(match(f, "GET", "/"), ROUTE_FOUND);
	assert_non_null(f->r.route);
	assert_string_equal(f->r.route->path, "/");
	assert_string_equal(f->r.route->method, "GET");
	assert_int_equal(f->r.nparams, 0);
}

static void test_match_param(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(match(f, "GET", "/static/app.css"), ROUTE_FOUND);
	assert_string_equal(f->r.route->path, "/static/{name}");
	assert_int_equal(f->r.nparams, 1);
	assert_string_equal(f->r.params[0], "app.css");

	assert_int_equal(match(f, "POST", "/beheer/gebruikers/42"), ROUTE_FOUND);
	assert_string_equal(f->r.route->path, "/beheer/gebruikers/{id}");
	assert_int_equal(f->r.nparams, 1);
	assert_string_equal(f->r.params[0], "42");

	assert_int_equal(match(f, "GET", "/taal/en"), ROUTE_FOUND);
	assert_string_equal(f->r.params[0], "en");
}

static void test_match_param_segment(void **state)
{
	struct fixture *f = *state;
	/* {name} takes exactly one non-empty segment. */
	assert_int_equal(match(f, "GET", "/static/"), ROUTE_NOT_FOUND);
	assert_int_equal(match(f, "GET", "/static"), ROUTE_NOT_FOUND);
	assert_int_equal(match(f, "GET", "/static/a/b.css"), ROUTE_NOT_FOUND);
	assert_int_equal(match(f, "GET", "/static//x"), ROUTE_NOT_FOUND);
}

static void test_match_not_found(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(match(f, "GET", "/nope"), ROUTE_NOT_FOUND);
	assert_null(f->r.route);
	assert_string_equal(allow(f), "");
	assert_int_equal(match(f, "GET", ""), ROUTE_NOT_FOUND);
	assert_int_equal(match(f, "GET", "/login/"), ROUTE_NOT_FOUND);
	assert_int_equal(match(f, "GET", "/LOGIN"), ROUTE_NOT_FOUND);
	assert_int_equal(match(f, "GET", "//"), ROUTE_NOT_FOUND);
	assert_int_equal(match(f, "GET", "/healthz/x"), ROUTE_NOT_FOUND);
	assert_int_equal(match(f, "GET", "/healthzz"), ROUTE_NOT_FOUND);
}

static void test_match_bad_method(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(match(f, "POST", "/"), ROUTE_BAD_METHOD);
	assert_string_equal(allow(f), "GET, HEAD");
	assert_int_equal(match(f, "DELETE", "/login"), ROUTE_BAD_METHOD);
	assert_string_equal(allow(f), "GET, HEAD, POST");
	assert_int_equal(match(f, "GET", "/logout"), ROUTE_BAD_METHOD);
	assert_string_equal(allow(f), "POST");
	assert_int_equal(match(f, "GET", "/beheer/gebruikers/7"), ROUTE_BAD_METHOD);
	assert_string_equal(allow(f), "POST");
	assert_int_equal(match(f, "get", "/"), ROUTE_BAD_METHOD); /* methods are case-sensitive */
	/* allow may be NULL. */
	assert_int_equal(route_match(&f->r, "PUT", "/", NULL), ROUTE_BAD_METHOD);
}

static void test_match_head(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(match(f, "HEAD", "/"), ROUTE_FOUND);
	assert_string_equal(f->r.route->method, "GET");
	assert_string_equal(f->r.route->path, "/");
	assert_int_equal(match(f, "HEAD", "/static/app.css"), ROUTE_FOUND);
	assert_string_equal(f->r.params[0], "app.css");
	assert_int_equal(match(f, "HEAD", "/logout"), ROUTE_BAD_METHOD);
	assert_string_equal(allow(f), "POST");
}

/* Every route in the table is reachable by its own method and path. */
static void test_match_every_route(void **state)
{
	struct fixture *f = *state;
	for (size_t i = 0; i < routes_count; i++) {
		char path[256];
		size_t k = 0;
		for (const char *p = routes[i].path; *p && k < sizeof path - 2;) {
			if (*p == '{') {
				path[k++] = 'x';
				p = strchr(p, '}') + 1;
			} else {
				path[k++] = *p++;
			}
		}
		path[k] = '\0';
		if (match(f, routes[i].method, path) != ROUTE_FOUND)
			fail_msg("%s %s is not found", routes[i].method, path);
		if (f->r.route != &routes[i])
			fail_msg("%s %s finds %s %s", routes[i].method, path, f->r.route->method,
			         f->r.route->path);
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_roles_stated),
	        cmocka_unit_test(test_methods_known),
	        cmocka_unit_test(test_csrf_non_get),
	        cmocka_unit_test(test_csrf_get),
	        cmocka_unit_test(test_paths),
	        cmocka_unit_test(test_record_access_flags),
	        cmocka_unit_test(test_no_duplicates),
	        cmocka_unit_test(test_api_flag),
	        T(test_match_root),
	        T(test_match_param),
	        T(test_match_param_segment),
	        T(test_match_not_found),
	        T(test_match_bad_method),
	        T(test_match_head),
	        T(test_match_every_route),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
