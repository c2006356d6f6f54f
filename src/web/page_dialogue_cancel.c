/* page_dialogue_cancel.c: /afmelden/{token}: a resident cancels their own registration for a dialogue session through the link in their e-mail; the place goes to the first on the waiting list. */
#include "web/pages.h"

#include "core/arena.h"
#include "core/clock.h"
#include "http/server.h"
#include "io/when.h"
#include "model/dialogue.h"
#include "model/dialogue_mail.h"
#include "web/html.h"
#include "web/i18n.h"

#include <string.h>

struct cancel_job {
	struct dialogue_cancel ca;
	struct conversation_mail mail;
};

/* The registration the link names, with what the page shows; the status
 * to answer with when there is none (404, 503), else 0. */
static int load(struct req *r, int64_t *rid, json_t **o)
{
	*rid = dialogue_cancel_token_check(r->app->vault, req_param(r, 0));
	if (!*rid)
		return 404;
	int rc = dialogue_registration_public_json(req_db(r), *rid, o);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 404 : 503;
}

/* The page: the session, and the button while cancelling is possible;
 * done: the cancellation just went through. */
static int show(struct req *r, json_t *o, int done, int status)
{
	const char *title = T(r, "Cancel your registration");
	page_begin(r, title);
	page_link_para(r, page_printf(r, "/meedoen/%s", page_jstr(o, "slug")),
	               page_jstr(o, "trajectory_title"));
	page_h1(r, title);
	char when[80];
	when_text(page_jint(o, "starts_at"), r->lang, when, sizeof when);
	page_para(r, "vp-lead",
	          page_printf(r, "%s %lld: %s. %s", T(r, "Session"), page_jint(o, "number"),
	                      page_jstr(o, "session_title"), when));
	const char *st = page_jstr(o, "status");
	if (done)
		page_alert(r, "ok",
		           T(r, "You have cancelled your registration. Thank you for letting us "
		                "know: your place goes to someone else."));
	else if (strcmp(st, "cancelled") == 0)
		page_alert(r, "info", T(r, "This registration has been cancelled already."));
	else if (page_jint(o, "starts_at") <= clock_now())
		page_alert(
		        r, "info",
		        T(r, "This session has begun or is over, so there is nothing to cancel."));
	else {
		page_para(r, NULL,
		          strcmp(st, "waiting") == 0
		                  ? T(r,
		                      "You are on the waiting list. If you cancel, you leave the "
		                      "list.")
		                  : T(r,
		                      "If you cannot come, cancel here. Then we give your place to "
		                      "the first person on the waiting list."));
		page_form_open(r, page_printf(r, "/afmelden/%s", req_param(r, 0)));
		page_submit(r, T(r, "Yes, cancel my registration"), 1);
		html_lit(&r->out, "</form>");
	}
	page_end(r);
	return status;
}

int page_dialogue_cancel(struct req *r)
{
	int64_t rid;
	json_t *o = NULL;
	int status = load(r, &rid, &o);
	if (status)
		return web_error(r, status, NULL);
	int rc = show(r, o, 0, 200);
	json_decref(o);
	return rc;
}

static int cancel_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct cancel_job *j = r->hctx;
	int rc = dialogue_cancel_write(d, &j->ca);
	if (rc != DB_OK || j->ca.result != DIALOGUE_OK)
		return rc;
	rc = page_audit_one(d, r, "cancel", "dialogue_registration", j->ca.registration_id, NULL);
	/* the person who gets the place hears it with the change */
	if (rc == DB_OK && j->ca.promoted_id)
		rc = dialogue_mail_promoted(d, &j->mail, j->ca.promoted_id, NULL);
	return rc;
}

static int cancel_then(struct req *r)
{
	struct cancel_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	int64_t rid;
	json_t *o = NULL;
	int status = load(r, &rid, &o);
	if (status)
		return web_error(r, status, NULL);
	int rc = show(r, o, j->ca.result == DIALOGUE_OK, 200);
	json_decref(o);
	return rc;
}

int page_dialogue_cancel_post(struct req *r)
{
	int64_t rid;
	json_t *o = NULL;
	int status = load(r, &rid, &o);
	if (status)
		return web_error(r, status, NULL);
	int64_t tid = page_jint(o, "trajectory_id"), starts = page_jint(o, "starts_at");
	if (starts <= clock_now()) {
		int rc = show(r, o, 0, 409);
		json_decref(o);
		return rc;
	}
	json_decref(o);
	struct cancel_job *j = arena_zalloc(r->a, sizeof *j);
	j->ca = (struct dialogue_cancel){.trajectory_id = tid, .registration_id = rid};
	conversation_mail_for(r, &j->mail);
	r->hctx = j;
	return req_write(r, cancel_write, cancel_then);
}
