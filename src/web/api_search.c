/* api_search.c: full-text search over HTTP: GET /api/v1/collections/{id}/search and /api/v1/trajectories/{id}/search?q=...&filter=...&limit=... (the document of `vertelpunt analyse ... search`), each story returned written to the access log. */
#include "analysis/filter.h"
#include "analysis/index.h"
#include "analysis/measures.h"
#include "analysis/search.h"
#include "core/util.h"
#include "http/request.h"
#include "http/server.h"
#include "model/audit.h"
#include "model/story_read.h"
#include "web/i18n.h"
#include "web/pages.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the access-log job needs and the answer sent once it is stored. */
struct found {
	int n;
	int64_t *id;
	char (*code)[64];
	buf json;
};

static int log_job(db *d, void *ctx)
{
	struct req *r = ctx;
	struct found *f = r->hctx;
	for (int i = 0; i < f->n; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)f->id[i]);
		struct audit_entry e = {.actor_user_id = r->sess.user.id,
		                        .actor = r->sess.user.username,
		                        .action = "view",
		                        .object_type = "story",
		                        .object_id = id,
		                        .subject_code = f->code[i][0] ? f->code[i] : NULL,
		                        .origin = r->ip,
		                        .detail = "search"};
		int rc = audit_append(d, &e);
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

/* The answer goes out only when the log entries are stored. */
static int logged(struct req *r)
{
	struct found *f = r->hctx;
	if (r->write_rc != 0) {
		buf_free(&f->json);
		return web_error(r, 503, NULL);
	}
	return req_json(r, 200, &f->json);
}

/* The collection story id belongs to in part c (a trajectory's part: the
 * collection whose rows hold it). */
static int64_t collection_of(const struct aix_coll *c, int64_t id)
{
	if (!c->trajectory)
		return c->id;
	int64_t row = filter_story_row(c, id);
	for (int j = 0; row >= 0 && j < c->ncolls; j++)
		if (roaring_bitmap_contains(c->by_coll[j], (uint32_t)row))
			return c->coll_id[j];
	return 0;
}

static int search(struct req *r, int trajectory)
{
	const char *limit = req_query(r, "limit");
	int64_t n = 0;
	if (limit && *limit && (util_parse_i64(limit, &n) || n < 1 || n > SEARCH_MAX_LIMIT))
		return web_error(r, 400, N_("limit must be a whole number from 1 to 1000."));
	struct measure_args a = {
	        .filter = req_query(r, "filter"),
	        .q = req_query(r, "q"),
	        .min_group = r->app->cfg.analysis_min_group,
	        .limit = (int)n,
	};
	if (!a.q || util_blank(a.q))
		return web_error(r, 400, N_("Type one or more words to search for (q=...)."));
	int status = 0;
	struct aix_coll *c = api_analysis_part(r, trajectory, &status);
	if (!c)
		return status;
	a.c = c;
	a.d = req_db(r);
	json_t *out = NULL;
	char err[512];
	status = measure_search(&a, &out, err, sizeof err);
	if (status) {
		aix_release(c);
		return web_error(r, status, arena_strdup(r->a, err));
	}
	/* the tellers' codes of the stories shown, for the access log */
	json_t *stories = json_object_get(out, "stories");
	struct found *f = arena_zalloc(r->a, sizeof *f);
	size_t k = json_array_size(stories);
	f->id = arena_zalloc(r->a, (k ? k : 1) * sizeof *f->id);
	f->code = arena_zalloc(r->a, (k ? k : 1) * sizeof *f->code);
	for (size_t i = 0; i < k; i++) {
		int64_t id =
		        json_integer_value(json_object_get(json_array_get(stories, i), "story"));
		struct story_read s;
		int rc = story_read_one(req_db(r), collection_of(c, id), id, &s);
		f->id[f->n] = id;
		if (rc == DB_ROW)
			snprintf(f->code[f->n], sizeof f->code[0], "%s", s.participant_code);
		f->n++;
		story_read_free(&s);
	}
	aix_release(c);
	char *text = json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(out);
	if (!text)
		return web_error(r, 503, NULL);
	buf_init(&f->json);
	buf_puts(&f->json, text);
	free(text);
	r->hctx = f;
	return req_write(r, log_job, logged);
}

/* GET /api/v1/collections/{id}/search */
int api_search(struct req *r)
{
	return search(r, 0);
}

/* GET /api/v1/trajectories/{id}/search: the stories of all its collections */
int api_trajectory_search(struct req *r)
{
	return search(r, 1);
}
