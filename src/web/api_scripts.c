/* api_scripts.c: the JSON API of interview scripts: list, create, versions, status, lint, answer checks. */
#include "web/pages.h"

#include "http/server.h"
#include "model/script.h"
#include "model/script_store.h"
#include "core/util.h"
#include "web/i18n.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A problem+json answer with the place of the problem: the question id
 * and field (either may be NULL) and a detail value. */
static int problem_at(struct req *r, int status, const char *msg, const char *question,
                      const char *field, const char *value)
{
	web_error(r, status, msg);
	/* web_error ends the object with '}'; add the place before it. */
	if (r->out.len && r->out.data[r->out.len - 1] == '}') {
		r->out.len--;
		if (question) {
			buf_puts(&r->out, ",\"question\":");
			buf_json_str(&r->out, question);
		}
		if (field) {
			buf_puts(&r->out, ",\"field\":");
			buf_json_str(&r->out, field);
		}
		if (value && *value) {
			buf_puts(&r->out, ",\"value\":");
			buf_json_str(&r->out, value);
		}
		buf_putc(&r->out, '}');
	}
	return status;
}

/* The script id and version of the route ({id}, {n}); 0 when malformed. */
static int route_ids(struct req *r, int64_t *id, int *version)
{
	if (util_parse_id(req_param(r, 0), id))
		return 0;
	if (version) {
		int64_t v;
		if (util_parse_i64(req_param(r, 1), &v) || v < 1 || v > 1000000)
			return 0;
		*version = (int)v;
	}
	return 1;
}

static int result_status(struct req *r, int result, const char *detail)
{
	switch (result) {
	case SCRIPT_NOT_FOUND: return web_error(r, 404, NULL);
	case SCRIPT_NOT_DRAFT:
		return web_error(r, 409,
		                 N_("Only a draft can be changed. Make a new draft first."));
	case SCRIPT_LINT_FAILED:
		return problem_at(r, 422, N_("The script has errors. Solve them first (see lint)."),
		                  NULL, NULL, detail);
	case SCRIPT_IDENTITY:
		return problem_at(r, 422,
		                  N_("A question changed its meaning but kept its id. Give it a "
		                     "new id, or say which question it continues."),
		                  NULL, NULL, detail);
	case SCRIPT_BAD_STATUS:
		return problem_at(r, 409, N_("That status change is not possible."), NULL, NULL,
		                  detail);
	case SCRIPT_HAS_DRAFT:
		return problem_at(r, 409,
		                  N_("This script has a draft already. Change that draft, or "
		                     "publish or delete it first."),
		                  NULL, NULL, detail);
	case SCRIPT_IN_USE:
		return problem_at(r, 409,
		                  N_("An open collection uses this version. Close that collection "
		                     "first."),
		                  NULL, NULL, detail);
	case SCRIPT_KEY_CHANGED: return web_error(r, 409, N_("The key belongs to another script."));
	}
	return web_error(r, 500, NULL);
}

int api_scripts_list(struct req *r)
{
	buf j;
	buf_init(&j);
	if (script_list_json(req_db(r), r->app->org_id, &j) != DB_OK) {
		buf_free(&j);
		return web_error(r, 503, NULL);
	}
	return req_json(r, 200, &j);
}

struct api_save {
	struct script_save_job save;
	struct script_update_job update;
	struct script_copy_job copy;
	struct script_status_job status;
	struct script *script;
};

/* req_write hands the request to the job; the store's jobs take their own
 * struct, kept in the request's hctx. */
static int save_job(db *d, void *ctx)
{
	struct api_save *st = ((struct req *)ctx)->hctx;
	return script_save_write(d, &st->save);
}
static int update_job(db *d, void *ctx)
{
	struct api_save *st = ((struct req *)ctx)->hctx;
	return script_update_write(d, &st->update);
}
static int copy_job(db *d, void *ctx)
{
	struct api_save *st = ((struct req *)ctx)->hctx;
	return script_copy_write(d, &st->copy);
}
static int status_job(db *d, void *ctx)
{
	struct api_save *st = ((struct req *)ctx)->hctx;
	return script_status_write(d, &st->status);
}

static int saved_then(struct req *r)
{
	struct api_save *st = r->hctx;
	script_free(st->script);
	st->script = NULL;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (st->save.result != SCRIPT_OK)
		return result_status(r, st->save.result, st->save.detail);
	buf j;
	buf_init(&j);
	buf_printf(&j, "{\"id\":%lld,\"version\":%d,\"status\":\"draft\"}",
	           (long long)st->save.script_id, st->save.version);
	char loc[96];
	snprintf(loc, sizeof loc, "/api/v1/scripts/%lld/versions/%d", (long long)st->save.script_id,
	         st->save.version);
	req_set_header(r, "Location", arena_strdup(r->a, loc));
	return req_json(r, 201, &j);
}

/* Parses the request body as a script; answers 415/422 itself. */
static struct script *body_script(struct req *r, int *status)
{
	if (!r->json) {
		*status = web_error(r, 415, N_("Send the script as a JSON object."));
		return NULL;
	}
	char err[512];
	struct script *sc = script_parse(r->json, err, sizeof err);
	if (!sc)
		*status = problem_at(r, 422, N_("The script is not valid; nothing was stored."),
		                     NULL, NULL, err);
	return sc;
}

/* POST /api/v1/scripts: a script in the format of docs/formats.md; a new
 * script, or a new draft of the script with the same key. ?replace_draft=1
 * replaces that script's draft. */
int api_scripts_add(struct req *r)
{
	int status;
	struct script *sc = body_script(r, &status);
	if (!sc)
		return status;
	struct api_save *st = arena_zalloc(r->a, sizeof *st);
	st->script = sc;
	st->save.org_id = r->app->org_id;
	st->save.user_id = r->sess.user.id;
	st->save.script = sc;
	const char *rep = req_query(r, "replace_draft");
	st->save.replace_draft = rep && strcmp(rep, "1") == 0;
	r->hctx = st;
	return req_write(r, save_job, saved_then);
}

/* GET /api/v1/scripts/{id}: the script's versions. */
int api_script_versions(struct req *r)
{
	int64_t id;
	if (!route_ids(r, &id, NULL))
		return web_error(r, 404, NULL);
	buf j;
	buf_init(&j);
	int rc = script_versions_json(req_db(r), r->app->org_id, id, &j);
	if (rc != DB_OK) {
		buf_free(&j);
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	}
	return req_json(r, 200, &j);
}

/* GET /api/v1/scripts/{id}/versions/{n}: the version in our format, byte
 * for byte what `vertelpunt script export` writes. Its status is in the
 * header Vertelpunt-Script-Status. */
int api_script_version(struct req *r)
{
	int64_t id;
	int version;
	if (!route_ids(r, &id, &version))
		return web_error(r, 404, NULL);
	struct script_version v;
	int rc = script_version_get(req_db(r), r->app->org_id, id, version, &v);
	if (rc != DB_OK)
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	buf j;
	buf_init(&j);
	buf_puts(&j, v.body);
	req_set_header(r, "Vertelpunt-Script-Status", script_status_name(v.status));
	/* ?download=1: saved as a file named after the script and version. */
	const char *dl = req_query(r, "download");
	if (dl && strcmp(dl, "1") == 0) {
		char *cd = arena_alloc(r->a, 128);
		snprintf(cd, 128, "attachment; filename=\"%s-v%d.json\"", v.key, v.version);
		req_set_header(r, "Content-Disposition", cd);
	}
	script_version_free(&v);
	return req_json(r, 200, &j);
}

static int updated_then(struct req *r)
{
	struct api_save *st = r->hctx;
	script_free(st->script);
	st->script = NULL;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (st->update.result != SCRIPT_OK)
		return result_status(r, st->update.result, st->update.detail);
	buf j;
	buf_init(&j);
	buf_printf(&j, "{\"id\":%lld,\"version\":%d,\"status\":\"draft\"}",
	           (long long)st->update.script_id, st->update.version);
	return req_json(r, 200, &j);
}

/* PUT /api/v1/scripts/{id}/versions/{n}: replaces a draft. */
int api_script_version_put(struct req *r)
{
	int64_t id;
	int version, status;
	if (!route_ids(r, &id, &version))
		return web_error(r, 404, NULL);
	struct script *sc = body_script(r, &status);
	if (!sc)
		return status;
	struct api_save *st = arena_zalloc(r->a, sizeof *st);
	st->script = sc;
	st->update = (struct script_update_job){.org_id = r->app->org_id,
	                                        .user_id = r->sess.user.id,
	                                        .script_id = id,
	                                        .version = version,
	                                        .script = sc};
	r->hctx = st;
	return req_write(r, update_job, updated_then);
}

static int copied_then(struct req *r)
{
	struct api_save *st = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (st->copy.result != SCRIPT_OK) {
		char d[16];
		snprintf(d, sizeof d, "%d", st->copy.new_version);
		return result_status(r, st->copy.result, d);
	}
	buf j;
	buf_init(&j);
	buf_printf(&j, "{\"id\":%lld,\"version\":%d,\"status\":\"draft\"}",
	           (long long)st->copy.script_id, st->copy.new_version);
	return req_json(r, 201, &j);
}

/* POST /api/v1/scripts/{id}/versions {"from": N}: a new draft copied from
 * version N (default: the latest). */
int api_script_version_new(struct req *r)
{
	int64_t id;
	if (!route_ids(r, &id, NULL))
		return web_error(r, 404, NULL);
	int from = 0;
	if (r->json) {
		json_t *f = json_object_get(r->json, "from");
		if (f && (!json_is_integer(f) || json_integer_value(f) < 1 ||
		          json_integer_value(f) > 1000000))
			return problem_at(r, 422, N_("\"from\" must be a version number."), NULL,
			                  "from", NULL);
		if (f)
			from = (int)json_integer_value(f);
	}
	struct api_save *st = arena_zalloc(r->a, sizeof *st);
	st->copy = (struct script_copy_job){.org_id = r->app->org_id,
	                                    .user_id = r->sess.user.id,
	                                    .script_id = id,
	                                    .version = from};
	r->hctx = st;
	return req_write(r, copy_job, copied_then);
}

static int status_then(struct req *r)
{
	struct api_save *st = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (st->status.result != SCRIPT_OK)
		return result_status(r, st->status.result, st->status.detail);
	buf j;
	buf_init(&j);
	buf_printf(&j, "{\"id\":%lld,\"version\":%d,\"status\":", (long long)st->status.script_id,
	           st->status.version);
	buf_json_str(&j, st->status.to < 0 ? "deleted" : script_status_name(st->status.to));
	buf_putc(&j, '}');
	return req_json(r, 200, &j);
}

/* POST /api/v1/scripts/{id}/versions/{n}/status {"status": "pilot" |
 * "published" | "retired" | "deleted"} */
int api_script_status(struct req *r)
{
	int64_t id;
	int version;
	if (!route_ids(r, &id, &version))
		return web_error(r, 404, NULL);
	if (!r->json)
		return web_error(r, 415, N_("Send the new status as a JSON object."));
	json_t *sv = json_object_get(r->json, "status");
	const char *s = json_is_string(sv) ? json_string_value(sv) : "";
	int to = strcmp(s, "deleted") == 0 ? -1 : script_status_parse(s);
	if (to == SCRIPT_DRAFT || (to < 0 && strcmp(s, "deleted") != 0))
		return problem_at(r, 422,
		                  N_("The status is one of: pilot, published, retired, deleted."),
		                  NULL, "status", s);
	struct api_save *st = arena_zalloc(r->a, sizeof *st);
	st->status = (struct script_status_job){.org_id = r->app->org_id,
	                                        .user_id = r->sess.user.id,
	                                        .script_id = id,
	                                        .version = version,
	                                        .to = to};
	r->hctx = st;
	return req_write(r, status_job, status_then);
}

/* Loads (id, n) of the route; answers the error itself. */
static struct script *route_script(struct req *r, int *status)
{
	int64_t id;
	int version;
	if (!route_ids(r, &id, &version)) {
		*status = web_error(r, 404, NULL);
		return NULL;
	}
	char err[256];
	struct script *sc = script_load(req_db(r), r->app->org_id, id, version, err, sizeof err);
	if (!sc)
		*status = web_error(r, 404, NULL);
	return sc;
}

/* GET /api/v1/scripts/{id}/versions/{n}/lint */
int api_script_lint(struct req *r)
{
	int status;
	struct script *sc = route_script(r, &status);
	if (!sc)
		return status;
	struct lint_result lr;
	script_lint(sc, &lr);
	buf j;
	buf_init(&j);
	buf_printf(&j, "{\"errors\":%d,\"warnings\":%d,\"items\":", lr.errors, lr.warnings);
	lint_result_json(&lr, &j);
	buf_putc(&j, '}');
	lint_result_free(&lr);
	script_free(sc);
	return req_json(r, 200, &j);
}

/* POST /api/v1/scripts/{id}/versions/{n}/check {"answers": {...},
 * "perspectives": ["teller", "professional"]}: the checks every channel
 * applies to a story's answers. 200 {"answers": the answers as they would
 * be stored} or 422 naming the question. */
int api_script_check(struct req *r)
{
	if (!r->json)
		return web_error(r, 415, N_("Send the answers as a JSON object."));
	int status;
	struct script *sc = route_script(r, &status);
	if (!sc)
		return status;
	unsigned mask = PERSPECTIVE_TELLER;
	json_t *ps = json_object_get(r->json, "perspectives");
	if (ps) {
		mask = 0;
		size_t i;
		json_t *p;
		if (!json_is_array(ps))
			mask = 1u << 30;
		json_array_foreach(ps, i, p)
		{
			const char *s = json_is_string(p) ? json_string_value(p) : "";
			if (strcmp(s, "teller") == 0)
				mask |= PERSPECTIVE_TELLER;
			else if (strcmp(s, "professional") == 0)
				mask |= PERSPECTIVE_PROFESSIONAL;
			else
				mask |= 1u << 30;
		}
		if (mask == 0 || (mask & (1u << 30))) {
			script_free(sc);
			return problem_at(r, 422,
			                  N_("Perspectives are a list of \"teller\" and "
			                     "\"professional\"."),
			                  NULL, "perspectives", NULL);
		}
	}
	json_t *answers = json_object_get(r->json, "answers");
	struct answer_error e;
	if (script_check_answers(sc, answers, mask, &e) != 0) {
		/* e.question points into the script: answer before freeing it */
		int st = problem_at(r, 422, e.msg, e.question, e.question ? NULL : "answers",
		                    e.detail);
		script_free(sc);
		return st;
	}
	script_free(sc);
	char *text = json_dumps(answers, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!text)
		return web_error(r, 500, NULL);
	buf j;
	buf_init(&j);
	buf_puts(&j, "{\"answers\":");
	buf_puts(&j, text);
	buf_putc(&j, '}');
	free(text);
	return req_json(r, 200, &j);
}
