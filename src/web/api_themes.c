/* api_themes.c: themes over HTTP: /api/v1/collections/{id}/themes and /api/v1/trajectories/{id}/themes (the document of `vertelpunt analyse ... themes`). */
#include "analysis/themes_measure.h"
#include "core/util.h"
#include "http/request.h"
#include "http/server.h"
#include "web/i18n.h"
#include "web/pages.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The numbers of a themes request from the query (k, k_min, k_max, seed):
 * 0, or -1 when one is not a whole number in its range. */
static int themes_request_from_query(struct req *r, struct themes_request *t)
{
	memset(t, 0, sizeof *t);
	static const char *const names[] = {"k", "k_min", "k_max"};
	int *dst[] = {&t->k, &t->k_min, &t->k_max};
	for (int i = 0; i < 3; i++) {
		const char *s = req_query(r, names[i]);
		int64_t v;
		if (!s || !*s)
			continue;
		if (util_parse_i64(s, &v) || v < 2 || v > THEMES_K_LIMIT)
			return -1;
		*dst[i] = (int)v;
	}
	const char *s = req_query(r, "seed");
	int64_t v;
	if (s && *s) {
		if (util_parse_i64(s, &v) || v < 0)
			return -1;
		t->seed = (uint64_t)v;
	}
	char err[256];
	return themes_request_check(t, err, sizeof err) ? -1 : 0;
}

static int run(struct req *r, int trajectory)
{
	struct themes_request t;
	if (themes_request_from_query(r, &t))
		return web_error(r, 400,
		                 N_("k, k_min and k_max must be whole numbers from 2 to 30 (k_min "
		                    "no more than k_max), seed a whole number."));
	int status = 0;
	struct aix_coll *c = api_analysis_part(r, trajectory, &status);
	if (!c)
		return status;
	struct measure_args a = {.c = c,
	                         .d = req_db(r),
	                         .filter = req_query(r, "filter"),
	                         .min_group = r->app->cfg.analysis_min_group};
	json_t *out = NULL;
	char err[512];
	status = measure_themes(&a, &t, &out, err, sizeof err);
	const char *rising = req_query(r, "rising");
	if (!status && rising && strcmp(rising, "1") == 0) {
		/* what is rising: the themes of all stories (those "theme = N"
		 * names), their shares in periods a and b (default: the last two
		 * quarters) within the filter */
		struct themes_request plain = {0};
		json_t *all = NULL, *doc = NULL;
		struct measure_args pa = {.c = c, .d = a.d, .min_group = a.min_group};
		if (t.k || t.k_min || t.k_max || t.seed || (a.filter && *a.filter))
			status = measure_themes(&pa, &plain, &all, err, sizeof err);
		json_decref(all);
		a.a = req_query(r, "a");
		a.b = req_query(r, "b");
		if (!status)
			status = measure_themes_rising(&a, &doc, err, sizeof err);
		if (!status) {
			/* out is the cache's document: the answer is a copy */
			json_t *copy = json_copy(out);
			json_decref(out);
			out = copy;
			json_object_set_new(out, "rising", doc);
		} else {
			json_decref(out);
			out = NULL;
		}
	}
	aix_release(c);
	if (status)
		return web_error(r, status == 1 ? 503 : status, arena_strdup(r->a, err));
	char *s = json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(out);
	if (!s)
		return web_error(r, 503, NULL);
	buf j;
	buf_init(&j);
	buf_puts(&j, s);
	free(s);
	return req_json(r, 200, &j);
}

/* GET /api/v1/collections/{id}/themes?filter=&k=&k_min=&k_max=&seed=[&rising=1&a=&b=] */
int api_themes(struct req *r)
{
	return run(r, 0);
}

/* GET /api/v1/trajectories/{id}/themes?... */
int api_trajectory_themes(struct req *r)
{
	return run(r, 1);
}
