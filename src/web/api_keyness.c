/* api_keyness.c: keyness over HTTP: GET /api/v1/collections/{id}/keyness and /api/v1/trajectories/{id}/keyness?filter=F&against=F2&limit=N (the document of `vertelpunt analyse ... keyness`). */
#include "analysis/index.h"
#include "analysis/keyness.h"
#include "analysis/measures.h"
#include "core/util.h"
#include "http/request.h"
#include "http/server.h"
#include "web/i18n.h"
#include "web/pages.h"

#include <jansson.h>
#include <stdlib.h>

/* Words and counts, no story and no teller: the same access as the
 * analysis API, and nothing for the access log. */
static int keyness(struct req *r, int trajectory)
{
	const char *limit = req_query(r, "limit");
	int64_t n = 0;
	if (limit && *limit && (util_parse_i64(limit, &n) || n < 1 || n > KEYNESS_MAX_LIMIT))
		return web_error(r, 400, N_("limit must be a whole number from 1 to 1000."));
	struct measure_args a = {
	        .filter = req_query(r, "filter"),
	        .b = req_query(r, "against"),
	        .min_group = r->app->cfg.analysis_min_group,
	        .limit = (int)n,
	};
	return api_analysis_measure(r, trajectory, measure_keyness, &a);
}

int api_keyness(struct req *r)
{
	return keyness(r, 0);
}

int api_trajectory_keyness(struct req *r)
{
	return keyness(r, 1);
}
