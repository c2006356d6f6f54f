/* api_stories.c: the public story endpoint: a story sent to a collection's link, stored exactly once. */
#include "web/pages.h"

#include "core/clock.h"
#include "core/ratelimit.h"
#include "core/util.h"
#include "http/server.h"
#include "model/collection.h"
#include "model/script_cache.h"
#include "model/story.h"
#include "web/i18n.h"

#include <stdio.h>
#include <string.h>

/* Unknown, closed and expired links get the same bytes: nobody learns
 * which links exist. */
static int not_found(struct req *r)
{
	return web_error(r, 404, NULL);
}

static int limited(struct req *r, int wait)
{
	char *v = arena_alloc(r->a, 16);
	snprintf(v, 16, "%d", wait > 0 ? wait : 1);
	req_set_header(r, "Retry-After", v);
	return web_error(r, 429, NULL);
}

struct story_ctx {
	struct collection c;
	struct story_submit st;
};

static int story_job(db *d, void *ctx)
{
	struct story_ctx *sc = ((struct req *)ctx)->hctx;
	return story_submit_write(d, &sc->st);
}

static int stored_then(struct req *r)
{
	struct story_ctx *sc = r->hctx;
	story_submit_free(&sc->st);
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	switch (sc->st.result) {
	case STORY_GONE: return not_found(r);
	case STORY_CONFLICT:
		return web_error(r, 409,
		                 N_("Another story was already sent with this id. Nothing was "
		                    "changed."));
	case STORY_NEW:
	case STORY_SAME: break;
	}
	buf j;
	buf_init(&j);
	buf_puts(&j, "{\"id\":");
	buf_json_str(&j, sc->st.uuid);
	buf_puts(&j, ",\"receipt\":");
	buf_json_str(&j, sc->st.receipt);
	buf_putc(&j, '}');
	return req_json(r, sc->st.result == STORY_NEW ? 201 : 200, &j);
}

/* The collection of a token, from a small cache per thread (a busy link
 * gets many stories a second; one query each is measurable). An entry
 * lives a second: a collection closed or retired meanwhile is refused by
 * the writer job anyway (STORY_GONE), so a stale entry costs nothing. */
enum { CACHE_SLOTS = 8, CACHE_MS = 1000 };
static __thread struct {
	int64_t at_ms;
	struct collection c;
} cache[CACHE_SLOTS];

static int collection_cached(struct req *r, const char *token, struct collection *out)
{
	int64_t now = clock_mono_us() / 1000;
	int oldest = 0;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i].at_ms && now - cache[i].at_ms < CACHE_MS &&
		    strcmp(cache[i].c.token, token) == 0) {
			*out = cache[i].c;
			return DB_ROW;
		}
		if (cache[i].at_ms < cache[oldest].at_ms)
			oldest = i;
	}
	int rc = collection_by_token(req_db(r), token, out);
	if (rc == DB_ROW) {
		cache[oldest].c = *out;
		cache[oldest].at_ms = now;
	}
	return rc;
}

/* POST /api/v1/collections/{token}/stories: docs/formats.md, "Stories".
 * 201 {"id", "receipt"} once the story is durably stored; 200 with the
 * same receipt for the same id and content again; 409 for the same id
 * with other content; 422 naming the question for a bad answer; 429 with
 * Retry-After past the rate limits. */
int api_story_add(struct req *r)
{
	const char *token = req_param(r, 0);
	struct story_ctx *sc = arena_zalloc(r->a, sizeof *sc);
	int rc = collection_cached(r, token, &sc->c);
	if (rc == DB_DONE || (rc == DB_ROW && !collection_accepts(&sc->c, clock_now())))
		return not_found(r);
	if (rc != DB_ROW)
		return web_error(r, 503, NULL);
	int wait = 0;
	int64_t now = clock_mono_us() / 1000;
	if (r->app->rl_story_ip && !ratelimit_take(r->app->rl_story_ip, r->ip, now, &wait))
		return limited(r, wait);
	if (r->app->rl_story_collection &&
	    !ratelimit_take(r->app->rl_story_collection, sc->c.token, now, &wait))
		return limited(r, wait);
	if (!r->json)
		return web_error(r, 415, N_("Send the story as a JSON object."));
	const struct script *s =
	        script_cache_get(req_db(r), sc->c.org_id, sc->c.script_id, sc->c.script_version);
	if (!s)
		return not_found(r);
	/* A staff member who takes the story may add the professional's
	 * answers; the session's CSRF token must come with it, so a page of
	 * another site cannot do that in their name. */
	const char *tok = req_header(r, "X-CSRF-Token");
	int staff = r->logged_in && r->sess.user.org_id == sc->c.org_id && tok &&
	            util_streq_ct(tok, r->sess.csrf);
	sc->st.collection = &sc->c;
	sc->st.user_id = staff ? r->sess.user.id : 0;
	const char *msg = NULL;
	struct answer_error e;
	int status = story_prepare(&sc->st, s, r->json, staff, &msg, &e);
	if (status) {
		story_submit_free(&sc->st);
		web_error(r, status, msg);
		/* Name the question (and what was wrong) for the form. */
		if ((e.question || e.detail[0]) && r->out.len &&
		    r->out.data[r->out.len - 1] == '}') {
			r->out.len--;
			if (e.question) {
				buf_puts(&r->out, ",\"question\":");
				buf_json_str(&r->out, e.question);
			}
			if (e.detail[0]) {
				buf_puts(&r->out, ",\"value\":");
				buf_json_str(&r->out, e.detail);
			}
			buf_putc(&r->out, '}');
		}
		return status;
	}
	r->hctx = sc;
	return req_write(r, story_job, stored_then);
}
