/* page_outbox.c: the administrator's page of outgoing e-mail (the outbox): status, tries, errors, and trying a failed message again. */
#include "web/pages.h"

#include "core/util.h"
#include "http/server.h"
#include "model/outbox.h"
#include "web/html.h"
#include "web/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OUTBOX_PAGE_ROWS = 200 };

static const char *status_label(struct req *r, const char *status)
{
	if (strcmp(status, "queued") == 0)
		return T(r, "waiting");
	if (strcmp(status, "sending") == 0)
		return T(r, "being sent");
	if (strcmp(status, "sent") == 0)
		return T(r, "sent");
	if (strcmp(status, "failed") == 0)
		return T(r, "failed");
	return status;
}

static const char *purpose_label(struct req *r, const char *purpose)
{
	if (strcmp(purpose, "invitation") == 0)
		return T(r, "invitation");
	if (strcmp(purpose, "reminder") == 0)
		return T(r, "reminder");
	if (strcmp(purpose, "feedback") == 0)
		return T(r, "feedback");
	if (strcmp(purpose, "test") == 0)
		return T(r, "test message");
	return purpose;
}

/* "2026-11-25 10:00 UTC", or "" for 0. */
static void when(int64_t t, char out[32])
{
	out[0] = '\0';
	if (!t)
		return;
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm);
}

static void cell(struct req *r, const char *text)
{
	html_lit(&r->out, "<td class=\"utrecht-table__cell\">");
	html_text(&r->out, text ? text : "");
	html_lit(&r->out, "</td>");
}

static void count_item(struct req *r, const char *label, int64_t n)
{
	html_lit(&r->out, "<li class=\"utrecht-unordered-list__item\">");
	html_text(&r->out, label);
	html_lit(&r->out, ": ");
	html_int(&r->out, n);
	html_lit(&r->out, "</li>");
}

static int outbox_page(struct req *r, int status, const char *kind, const char *message)
{
	buf *b = &r->out;
	struct outbox_row *rows = NULL;
	size_t n = 0;
	int64_t counts[4];
	if (outbox_list(req_db(r), NULL, OUTBOX_PAGE_ROWS, &rows, &n) != DB_OK ||
	    outbox_counts(req_db(r), counts) != DB_OK) {
		free(rows);
		return web_error(r, 503, NULL);
	}
	page_begin(r, T(r, "Outgoing e-mail"));
	html_lit(b, "<h1 class=\"utrecht-heading-1\">");
	html_text(b, T(r, "Outgoing e-mail"));
	html_lit(b, "</h1><p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Invitations, reminders and feedback wait here until the mail server has "
	                  "accepted them. A message the mail server does not accept is tried again "
	                  "later. After the last try it is marked as failed. Nothing is thrown "
	                  "away: you can try a failed message again."));
	html_lit(b, "</p>");
	if (message)
		page_alert(r, kind, message);
	if (!r->app->cfg.smtp.url || !*r->app->cfg.smtp.url)
		page_alert(r, "warning",
		           T(r, "E-mail is not set up on this server, so nothing is sent. Messages "
		                "keep waiting here until the mail server is set up (see "
		                "docs/mail.md)."));
	html_lit(b, "<ul class=\"utrecht-unordered-list\">");
	count_item(r, T(r, "Waiting"), counts[0] + counts[1]);
	count_item(r, T(r, "Sent"), counts[2]);
	count_item(r, T(r, "Failed"), counts[3]);
	html_lit(b, "</ul>");
	if (n == 0) {
		page_alert(r, "info", T(r, "There are no messages."));
		page_end(r);
		free(rows);
		return status;
	}
	const char *caption = T(r, "Messages, newest first");
	page_table_wrap(r, caption);
	html_lit(b, "<table class=\"utrecht-table\"><caption class=\"utrecht-table__caption\">");
	html_text(b, caption);
	html_lit(b, "</caption><thead class=\"utrecht-table__header\"><tr "
	            "class=\"utrecht-table__row\">");
	static const char *const heads[] = {
	        N_("Number"),   N_("Kind"),           N_("Belongs to"), N_("Status"), N_("Tries"),
	        N_("Next try"), N_("Sent or failed"), N_("Last error"), N_("Action")};
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		html_lit(b, "<th class=\"utrecht-table__header-cell\" scope=\"col\">");
		html_text(b, T(r, heads[i]));
		html_lit(b, "</th>");
	}
	html_lit(b, "</tr></thead><tbody class=\"utrecht-table__body\">");
	for (size_t i = 0; i < n; i++) {
		struct outbox_row *o = &rows[i];
		char idtxt[24], ref[80], next[32], done[32], tries[24];
		snprintf(idtxt, sizeof idtxt, "%lld", (long long)o->id);
		snprintf(tries, sizeof tries, "%lld", (long long)o->attempts);
		if (o->ref_kind[0])
			snprintf(ref, sizeof ref, "%s %lld", o->ref_kind, (long long)o->ref_id);
		else
			ref[0] = '\0';
		when(strcmp(o->status, "queued") == 0 ? o->next_attempt_at : 0, next);
		when(o->sent_at ? o->sent_at : o->failed_at, done);
		html_lit(
		        b,
		        "<tr class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" "
		        "scope=\"row\">");
		html_text(b, idtxt);
		html_lit(b, "</th>");
		cell(r, purpose_label(r, o->purpose));
		cell(r, ref);
		html_lit(b, "<td class=\"utrecht-table__cell\"><span class=\"vp-outbox-status "
		            "vp-outbox-status--");
		html_attr(b, o->status);
		html_lit(b, "\">");
		html_text(b, status_label(r, o->status));
		html_lit(b, "</span></td>");
		cell(r, tries);
		cell(r, next);
		cell(r, done);
		cell(r, o->last_error);
		html_lit(b, "<td class=\"utrecht-table__cell\">");
		if (strcmp(o->status, "failed") == 0) {
			html_lit(b, "<form class=\"vp-row-form\" method=\"post\" "
			            "action=\"/beheer/uitgaand/");
			html_attr(b, idtxt);
			html_lit(b, "/opnieuw\">");
			page_csrf_field(r);
			html_lit(
			        b,
			        "<button class=\"utrecht-button utrecht-button--secondary-action\" "
			        "type=\"submit\">");
			html_text(b, T(r, "Try again"));
			html_lit(b, "<span class=\"vp-visually-hidden\"> ");
			html_text(b, T(r, "message"));
			html_lit(b, " ");
			html_text(b, idtxt);
			html_lit(b, "</span></button></form>");
		}
		html_lit(b, "</td></tr>");
	}
	html_lit(b, "</tbody></table></div>");
	page_end(r);
	free(rows);
	return status;
}

int page_outbox(struct req *r)
{
	const char *done = req_query(r, "opnieuw");
	if (done && *done)
		return outbox_page(r, 200, "ok",
		                   T(r, "The message is back in the queue and will be sent soon."));
	return outbox_page(r, 200, NULL, NULL);
}

static int retry_fn(db *d, void *ctx)
{
	struct req *r = ctx;
	return outbox_retry_write(d, r->hctx);
}

static int retry_then(struct req *r)
{
	struct outbox_retry_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (j->result != DB_OK)
		return outbox_page(
		        r, 409, "error",
		        T(r, "This message has not failed, so it cannot be tried again."));
	return req_redirect(r, "/beheer/uitgaand?opnieuw=1");
}

int page_outbox_retry(struct req *r)
{
	int64_t id;
	struct outbox_row o;
	/* 404 for a message that is not there; 409 (from the job) for one
	 * that has not failed. */
	if (util_parse_id(req_param(r, 0), &id) != 0 || outbox_get(req_db(r), id, &o) != DB_ROW)
		return web_error(r, 404, NULL);
	struct outbox_retry_job *j = arena_zalloc(r->a, sizeof *j);
	j->id = id;
	r->hctx = j;
	return req_write(r, retry_fn, retry_then);
}
