/* api_collections.c: the JSON API of collections: list, create, close. */
#include "web/pages.h"

#include "core/util.h"
#include "http/server.h"
#include "model/collection.h"
#include "model/trajectory.h"
#include "web/i18n.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* A problem+json answer naming the field. */
static int problem_field(struct req *r, int status, const char *msg, const char *field)
{
	web_error(r, status, msg);
	/* web_error ends the object with '}'; add the field before it. */
	if (field && r->out.len && r->out.data[r->out.len - 1] == '}') {
		r->out.len--;
		buf_puts(&r->out, ",\"field\":");
		buf_json_str(&r->out, field);
		buf_putc(&r->out, '}');
	}
	return status;
}

/* GET /api/v1/collections */
int api_collections_list(struct req *r)
{
	buf j;
	buf_init(&j);
	if (collection_list_json(req_db(r), r->app->org_id, trajectory_viewer(&r->sess.user), &j) !=
	    DB_OK) {
		buf_free(&j);
		return web_error(r, 503, NULL);
	}
	return req_json(r, 200, &j);
}

struct api_job {
	struct collection_new cn;
	struct collection_close cc;
};

static int create_write(db *d, void *ctx)
{
	struct api_job *j = ((struct req *)ctx)->hctx;
	return collection_create_write(d, &j->cn);
}

static int create_then(struct req *r)
{
	struct api_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (j->cn.result == COLLECTION_NO_SCRIPT)
		return problem_field(r, 422, N_("There is no such interview script version."),
		                     "script_version");
	if (j->cn.result == COLLECTION_NO_TRAJECTORY)
		return problem_field(r, 422, N_("There is no such trajectory."), "trajectory_id");
	if (j->cn.result == COLLECTION_NOT_READY)
		return problem_field(r, 409,
		                     N_("This version is a draft or retired. Choose a version that "
		                        "is being tested (pilot) or published."),
		                     "script_version");
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"id\":%lld,\"token\":", (long long)j->cn.id);
	buf_json_str(&out, j->cn.token);
	buf_puts(&out, ",\"short_code\":");
	buf_json_str(&out, collection_code_text(r, j->cn.short_code));
	buf_puts(&out, ",\"link\":");
	buf_json_str(&out, collection_link(r, j->cn.token));
	buf_putc(&out, '}');
	return req_json(r, 201, &out);
}

/* A time from JSON: null or absent (0), Unix seconds, or "YYYY-MM-DD" (the
 * start of that day in UTC; with end set, the start of the day after, so
 * the day itself is included). -1 when malformed. */
static int64_t json_time(json_t *v, int end)
{
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		json_int_t t = json_integer_value(v);
		return t >= 0 && t < 253402300800LL ? (int64_t)t : -1;
	}
	if (json_is_string(v)) {
		int64_t t = collection_parse_day(json_string_value(v));
		return t < 0 ? -1 : t + (end ? 86400 : 0);
	}
	return -1;
}

/* POST /api/v1/collections {"title", "purpose", "script_id",
 * "script_version", "starts_at", "ends_at", "retention_days",
 * "trajectory_id"} */
int api_collections_add(struct req *r)
{
	if (!r->json)
		return web_error(r, 415, N_("Send the collection as a JSON object."));
	struct api_job *j = arena_zalloc(r->a, sizeof *j);
	struct collection_new *cn = &j->cn;
	cn->org_id = r->app->org_id;
	cn->user_id = r->sess.user.id;
	json_t *o = r->json;
	json_t *title = json_object_get(o, "title"), *purpose = json_object_get(o, "purpose");
	json_t *sid = json_object_get(o, "script_id"), *ver = json_object_get(o, "script_version");
	json_t *days = json_object_get(o, "retention_days");
	if (!json_is_string(title))
		return problem_field(r, 422,
		                     N_("Give the collection a title of at most 200 characters on "
		                        "one line."),
		                     "title");
	if (!json_is_string(purpose))
		return problem_field(r, 422,
		                     N_("Describe the purpose: why these stories are collected (at "
		                        "most 2000 characters)."),
		                     "purpose");
	if (!json_is_integer(sid) || json_integer_value(sid) < 1)
		return problem_field(r, 422, N_("\"script_id\" must be the id of a script."),
		                     "script_id");
	if (!json_is_integer(ver) || json_integer_value(ver) < 1 ||
	    json_integer_value(ver) > 1000000)
		return problem_field(r, 422, N_("\"script_version\" must be a version number."),
		                     "script_version");
	cn->title = json_string_value(title);
	cn->purpose = json_string_value(purpose);
	cn->script_id = (int64_t)json_integer_value(sid);
	cn->script_version = (int)json_integer_value(ver);
	if ((cn->starts_at = json_time(json_object_get(o, "starts_at"), 0)) < 0)
		return problem_field(r, 422,
		                     N_("A time is a date as YYYY-MM-DD, seconds since 1970, or "
		                        "null."),
		                     "starts_at");
	if ((cn->ends_at = json_time(json_object_get(o, "ends_at"), 1)) < 0)
		return problem_field(r, 422,
		                     N_("A time is a date as YYYY-MM-DD, seconds since 1970, or "
		                        "null."),
		                     "ends_at");
	json_t *traj = json_object_get(o, "trajectory_id");
	if (traj && !json_is_null(traj)) {
		/* Only into a trajectory the caller works on (404 rules apply:
		 * one they may not see is as absent as one that does not exist). */
		if (!json_is_integer(traj) || json_integer_value(traj) < 1 ||
		    trajectory_user_may(req_db(r), r->app->org_id, &r->sess.user,
		                        (int64_t)json_integer_value(traj)) != 1)
			return problem_field(r, 422, N_("There is no such trajectory."),
			                     "trajectory_id");
		cn->trajectory_id = (int64_t)json_integer_value(traj);
	}
	cn->retention_days = COLLECTION_RETENTION_DEFAULT;
	if (days && !json_is_null(days)) {
		if (!json_is_integer(days) || json_integer_value(days) < 1 ||
		    json_integer_value(days) > 36500)
			return problem_field(r, 422, N_("The retention period is 1 to 36500 days."),
			                     "retention_days");
		cn->retention_days = (int)json_integer_value(days);
	}
	const char *bad = collection_check(cn);
	if (bad) {
		const char *field = strstr(bad, "title")     ? "title"
		                    : strstr(bad, "purpose") ? "purpose"
		                    : strstr(bad, "period")  ? "ends_at"
		                                             : "retention_days";
		return problem_field(r, 422, bad, field);
	}
	r->hctx = j;
	return req_write(r, create_write, create_then);
}

static int close_write(db *d, void *ctx)
{
	struct api_job *j = ((struct req *)ctx)->hctx;
	return collection_close_write(d, &j->cc);
}

static int close_then(struct req *r)
{
	struct api_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (j->cc.result != COLLECTION_OK)
		return web_error(r, 404, NULL);
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"id\":%lld,\"closed\":true}", (long long)j->cc.id);
	return req_json(r, 200, &out);
}

/* POST /api/v1/collections/{id}/close */
int api_collection_close(struct req *r)
{
	struct api_job *j = arena_zalloc(r->a, sizeof *j);
	if (util_parse_id(req_param(r, 0), &j->cc.id))
		return web_error(r, 404, NULL);
	j->cc.org_id = r->app->org_id;
	r->hctx = j;
	return req_write(r, close_write, close_then);
}
