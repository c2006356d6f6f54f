/* api_analysis.c: the pattern engine over HTTP: /api/v1/collections/{id}/analysis/... and /api/v1/trajectories/{id}/analysis/... (the same documents as `vertelpunt analyse`). */
#include "analysis/index.h"
#include "analysis/measures.h"
#include "core/util.h"
#include "http/request.h"
#include "http/server.h"
#include "web/i18n.h"
#include "web/pages.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A whole number query parameter in 1..max, or 0 when absent; -1 when
 * malformed. */
static int query_int(struct req *r, const char *name, int max)
{
	const char *s = req_query(r, name);
	int64_t v;
	if (!s || !*s)
		return 0;
	if (util_parse_i64(s, &v) || v < 1 || v > max)
		return -1;
	return (int)v;
}

static int answer(struct req *r, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(o);
	if (!s)
		return web_error(r, 503, NULL);
	buf j;
	buf_init(&j);
	buf_puts(&j, s);
	free(s);
	return req_json(r, 200, &j);
}

/* The collection's (or, with trajectory set, the trajectory's) part of the
 * index, read-locked; NULL after answering. */
static struct aix_coll *collection_part(struct req *r, int trajectory, int *status)
{
	int64_t id;
	aix *x = r->app->index;
	if (util_parse_id(req_param(r, 0), &id)) {
		*status = web_error(r, 404, NULL);
		return NULL;
	}
	struct aix_coll *c = !x           ? NULL
	                     : trajectory ? aix_acquire_trajectory(x, r->app->org_id, id)
	                                  : aix_acquire(x, r->app->org_id, id);
	if (!c)
		*status = web_error(r, 404, NULL);
	return c;
}

/* GET /api/v1/collections/{id}/analysis: the questions that can be asked. */
int api_analysis_questions(struct req *r)
{
	int status = 0;
	struct aix_coll *c = collection_part(r, 0, &status);
	if (!c)
		return status;
	uint64_t pilot = roaring_bitmap_get_cardinality(c->pilot);
	json_t *o = json_pack("{s:I, s:I, s:I, s:i, s:I, s:o}", "id", (json_int_t)c->id, "stories",
	                      (json_int_t)(c->n - pilot), "script", (json_int_t)c->script_id,
	                      "script_version", c->script_version, "pilot_stories",
	                      (json_int_t)pilot, "questions", measure_questions(c));
	aix_release(c);
	return answer(r, o);
}

struct aix_coll *api_analysis_part(struct req *r, int trajectory, int *status)
{
	return collection_part(r, trajectory, status);
}

int api_analysis_measure(struct req *r, int trajectory,
                         int (*fn)(const struct measure_args *a, json_t **out, char *err,
                                   size_t errlen),
                         struct measure_args *a)
{
	int status = 0;
	struct aix_coll *c = collection_part(r, trajectory, &status);
	if (!c)
		return status;
	a->c = c;
	a->d = req_db(r);
	json_t *out = NULL;
	char err[512];
	status = fn(a, &out, err, sizeof err);
	aix_release(c);
	if (status)
		return web_error(r, status, arena_strdup(r->a, err));
	return answer(r, out);
}

static int run(struct req *r, int trajectory, const char *q, const char *q2)
{
	measure_fn fn = measure_by_name(req_param(r, 1));
	if (!fn)
		return web_error(r, 404, NULL);
	struct measure_args a = {
	        .filter = req_query(r, "filter"),
	        .q = q,
	        .q2 = q2,
	        .a = req_query(r, "a"),
	        .b = req_query(r, "b"),
	        .outcome = req_query(r, "outcome"),
	        .min_group = r->app->cfg.analysis_min_group,
	        .bins = query_int(r, "bins", 50),
	        .limit = query_int(r, "limit", 1000),
	};
	if (a.bins < 0 || a.limit < 0)
		return web_error(r, 400,
		                 N_("bins and limit must be whole numbers (bins up to 50, limit "
		                    "up to 1000)."));
	if (!a.q)
		a.q = req_query(r, "q");
	if (!a.q2)
		a.q2 = req_query(r, "q2");
	return api_analysis_measure(r, trajectory, fn, &a);
}

/* GET /api/v1/collections/{id}/analysis/{measure}[/{q}[/{q2}]] */
int api_analysis(struct req *r)
{
	return run(r, 0, NULL, NULL);
}

int api_analysis_q(struct req *r)
{
	return run(r, 0, req_param(r, 2), NULL);
}

int api_analysis_q2(struct req *r)
{
	return run(r, 0, req_param(r, 2), req_param(r, 3));
}

/* GET /api/v1/trajectories/{id}/analysis: the questions of all its
 * collections (matched by id) and the collections. */
int api_trajectory_analysis_questions(struct req *r)
{
	int status = 0;
	struct aix_coll *t = collection_part(r, 1, &status);
	if (!t)
		return status;
	json_t *o = measure_trajectory_head(t);
	aix_release(t);
	return answer(r, o);
}

/* GET /api/v1/trajectories/{id}/analysis/{measure}[/{q}[/{q2}]]: every
 * story of the trajectory's collections at once. */
int api_trajectory_analysis(struct req *r)
{
	return run(r, 1, NULL, NULL);
}

int api_trajectory_analysis_q(struct req *r)
{
	return run(r, 1, req_param(r, 2), NULL);
}

int api_trajectory_analysis_q2(struct req *r)
{
	return run(r, 1, req_param(r, 2), req_param(r, 3));
}
