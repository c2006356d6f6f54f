/* page_mirror.c: the pages of mirror conversations in a trajectory: the list and making one, the page of one (panel, facilitator and listening officials, the rounds with the script's guide and notes, improvement proposals with their verdict and follow-up, the report to the panel) and its changes. */
#include "core/arena.h"
#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"
#include "http/routes.h"
#include "http/server.h"
#include "model/conversation.h"
#include "model/conversation_mail.h"
#include "model/mirror.h"
#include "model/trajectory.h"
#include "web/conversation_page.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/pages.h"
#include "io/when.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *list_path(struct req *r, long long tid)
{
	char tmp[80];
	snprintf(tmp, sizeof tmp, "/trajecten/%lld/spiegelgesprekken", tid);
	return arena_strdup(r->a, tmp);
}

static const char *const round_titles[MIRROR_NROUNDS] = {
        N_("Round 1: experiences"), N_("Round 2: improvement proposals"),
        N_("Round 3: questions from the listening officials")};
static const char *const round_help[MIRROR_NROUNDS] = {
        N_("The panel tells how they experience the services. The officials only listen."),
        N_("The panel turns their experiences into proposals to improve the services."),
        N_("Now the officials who listened may ask the panel their questions.")};

static const char *const verdict_values[] = {"adopted", "under_study", "not_adopted"};
static const char *const verdict_labels[] = {N_("adopted"), N_("under study"), N_("not adopted")};
static const char *const follow_values[] = {"open", "in_progress", "done"};
static const char *const follow_labels[] = {N_("not started"), N_("in progress"), N_("done")};

static const char *label_of(struct req *r, const char *value, const char *const *values,
                            const char *const *labels, int n)
{
	for (int i = 0; value && i < n; i++)
		if (strcmp(value, values[i]) == 0)
			return T(r, labels[i]);
	return T(r, "not decided yet");
}

/* What the team does next, for a conversation's status. */
static const char *next_step(struct req *r, const char *status)
{
	static const char *const steps[CONV_NSTATUS] = {
	        N_("Next: add the panel (usually 8 to 12 people) and send the invitation."),
	        N_("Next: agree on a date and place."),
	        N_("Next: hold the conversation; the reminder goes out by itself."),
	        N_("Next: hold the conversation with the facilitator and the listening "
	           "officials, and note each round."),
	        N_("Next: note the improvement proposals and decide on each: adopted, not "
	           "adopted (with the reason) or under study."),
	        N_("Next: send the panel the report of what is done with their proposals."),
	        N_("Next: keep the follow-up of the proposals up to date, then close the "
	           "conversation."),
	        N_("This conversation is closed.")};
	int s = conversation_status_parse(status);
	return s < 0 ? "" : T(r, steps[s]);
}

static const char *ok_message(struct req *r)
{
	const char *ok = req_query(r, "ok");
	static const struct {
		const char *key, *text;
	} msgs[] = {
	        {"created", N_("The mirror conversation was made. Add the panel.")},
	        {"facilitator", N_("The facilitator was saved.")},
	        {"observer", N_("The official was added.")},
	        {"round_note", N_("The note was saved.")},
	        {"proposal", N_("The proposal was added.")},
	        {"verdict", N_("The decision was saved.")},
	        {"follow_up", N_("The follow-up was saved.")},
	        {"report_draft", N_("The report was saved as a draft.")},
	        {"report_sent", N_("The report is recorded as sent to the panel.")},
	};
	for (size_t i = 0; ok && i < sizeof msgs / sizeof *msgs; i++)
		if (strcmp(ok, msgs[i].key) == 0)
			return T(r, msgs[i].text);
	return conv_page_ok_message(r);
}

static const char *result_message(struct req *r, int result)
{
	switch (result) {
	case MIRROR_NOT_HELD: return T(r, "Mark the conversation as held first.");
	case MIRROR_UNDECIDED:
		return T(r, "Decide on every proposal first: the panel hears what is done with "
		            "each of them.");
	case MIRROR_NO_FOLLOW_UP:
		return T(r, "Only an adopted proposal, or one under study, has a follow-up.");
	case MIRROR_SENT_ALREADY: return T(r, "The report was sent; what was sent stays as it is.");
	case MIRROR_NOBODY: return T(r, "Nobody of the panel is waiting for the report.");
	default: return conv_page_result_message(r, result);
	}
}

/* ---- the page of one ------------------------------------------------------ */

int page_mirror_context(struct req *r, json_t *c, int64_t tid, int64_t cid)
{
	json_t *m = NULL;
	int rc = mirror_get_json(req_db(r), tid, cid, &m);
	if (rc == DB_DONE)
		return 0;
	if (rc != DB_ROW)
		return -1;
	if (!*page_jstr(m, "report")) {
		buf d;
		buf_init(&d);
		rc = mirror_report_draft(req_db(r), cid, &d);
		json_object_set_new(m, "report", json_string(rc == DB_OK && d.data ? d.data : ""));
		buf_free(&d);
		if (rc != DB_OK) {
			json_decref(m);
			return -1;
		}
	}
	json_t *guide = mirror_guide_json();
	json_object_set_new(m, "guide", guide ? guide : json_object());
	json_object_set_new(c, "mirror", m);
	return 0;
}

/* The name of a panel member (or their code), "" when not found. */
static const char *person_name(json_t *c, long long id)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(c, "people"), i, p)
	{
		if (page_jint(p, "id") == id)
			return *page_jstr(p, "name") ? page_jstr(p, "name")
			                             : page_jstr(p, "participant_code");
	}
	return "";
}

static void form_to(struct req *r, long long tid, long long cid, const char *action)
{
	page_form_open(r, conv_page_path(r, tid, cid, "/spiegel"));
	page_hidden(r, "action", action);
}

static const char *typed(struct req *r, const char *action, const char *field)
{
	return conv_page_typed(r, "/spiegel", action, field);
}

static void people_of_the_talk(struct req *r, json_t *c, json_t *m, long long tid, long long cid,
                               int open)
{
	buf *b = &r->out;
	page_h2(r, "gespreksleider", T(r, "Facilitator and listening officials"));
	html_lit(b, "<p class=\"utrecht-paragraph\">");
	html_text(b, T(r, "Independent facilitator:"));
	html_lit(b, " <strong>");
	html_text(b, page_jstr(m, "facilitator_name"));
	html_lit(b, "</strong>");
	if (*page_jstr(m, "facilitator_org")) {
		html_lit(b, " (");
		html_text(b, page_jstr(m, "facilitator_org"));
		html_lit(b, ")");
	}
	html_lit(b, "</p>");
	json_t *obs = json_object_get(m, "observers");
	if (json_array_size(obs) == 0)
		page_para(r, NULL, T(r, "No listening officials yet."));
	else {
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "Listening officials:"));
		html_lit(b, "</p><ul class=\"utrecht-unordered-list\">");
		size_t i;
		json_t *o;
		json_array_foreach(obs, i, o)
		{
			html_lit(b, "<li>");
			html_text(b, page_jstr(o, "name"));
			if (*page_jstr(o, "team")) {
				html_lit(b, " · ");
				html_text(b, page_jstr(o, "team"));
			}
			html_lit(b, "</li>");
		}
		html_lit(b, "</ul>");
	}
	if (!open)
		return;
	html_lit(b, "<details class=\"vp-details\"><summary>");
	html_text(b, T(r, "Add a listening official"));
	html_lit(b, "</summary>");
	form_to(r, tid, cid, "observer");
	page_text_field(r, "observer-name", T(r, "Name"), NULL, "text", "off",
	                typed(r, "observer", "observer-name"), 0);
	page_text_field(r, "observer-team", T(r, "Team"), NULL, "text", "off",
	                typed(r, "observer", "observer-team"), 0);
	page_submit(r, T(r, "Add"), 0);
	html_lit(b, "</form></details>");
	html_lit(b, "<details class=\"vp-details\"><summary>");
	html_text(b, T(r, "Change the facilitator"));
	html_lit(b, "</summary>");
	form_to(r, tid, cid, "facilitator");
	const char *t_name = typed(r, "facilitator", "facilitator");
	const char *t_org = typed(r, "facilitator", "facilitator-org");
	page_text_field(r, "facilitator", T(r, "Name of the facilitator"), NULL, "text", "off",
	                t_name ? t_name : page_jstr(m, "facilitator_name"), 0);
	page_text_field(r, "facilitator-org", T(r, "Organisation"), NULL, "text", "off",
	                t_org ? t_org : page_jstr(m, "facilitator_org"), 0);
	page_submit(r, T(r, "Save"), 0);
	html_lit(b, "</form></details>");
	(void)c;
}

/* The rounds: the guide from the script, the notes, a note to add. */
static void rounds_section(struct req *r, json_t *c, json_t *m, long long tid, long long cid,
                           int open)
{
	buf *b = &r->out;
	int held = json_integer_value(json_object_get(c, "held_at")) != 0;
	page_h2(r, "gesprek", T(r, "The conversation"));
	if (!held && open && json_is_object(json_object_get(c, "appointment"))) {
		page_form_open(r, conv_page_path(r, tid, cid, "/verloop"));
		page_hidden(r, "action", "held");
		page_submit(r, T(r, "The conversation took place"), 0);
		html_lit(b, "</form>");
	}
	page_para(r, NULL,
	          T(r, "The facilitator leads three rounds with the questions of the "
	               "spiegelgesprek script. Note what is said per round; no names or contact "
	               "details in the notes."));
	json_t *guide = json_object_get(m, "guide");
	for (int k = 0; k < MIRROR_NROUNDS; k++) {
		const char *round = mirror_round_name(k);
		html_lit(b, "<section class=\"vp-card\"><h3 class=\"utrecht-heading-3\">");
		html_text(b, T(r, round_titles[k]));
		html_lit(b, "</h3>");
		page_para(r, NULL, T(r, round_help[k]));
		json_t *qs = json_object_get(guide, round);
		if (json_array_size(qs)) {
			html_lit(b, "<ul class=\"utrecht-unordered-list\">");
			size_t i;
			json_t *q;
			json_array_foreach(qs, i, q)
			{
				const char *text = page_jstr(q, r->lang);
				html_lit(b, "<li>");
				html_text(b, *text ? text : page_jstr(q, "nl"));
				html_lit(b, "</li>");
			}
			html_lit(b, "</ul>");
		}
		size_t i;
		json_t *n;
		json_array_foreach(json_object_get(m, "notes"), i, n)
		{
			if (strcmp(page_jstr(n, "round"), round) != 0)
				continue;
			char when[80];
			when_text(page_jint(n, "created_at"), r->lang, when, sizeof when);
			html_lit(b,
			         "<div class=\"vp-note\"><p class=\"utrecht-paragraph vp-muted\">");
			html_text(b, when);
			html_lit(b, "</p>");
			script_paragraphs(r, page_jstr(n, "body"), NULL);
			html_lit(b, "</div>");
		}
		if (open) {
			form_to(r, tid, cid, "round_note");
			page_hidden(r, "round", round);
			char id[40];
			snprintf(id, sizeof id, "note-%s", round);
			const char *t_round = typed(r, "round_note", "round");
			page_textarea_field(r, id, T(r, "Note of this round"), NULL,
			                    t_round && strcmp(t_round, round) == 0
			                            ? typed(r, "round_note", id)
			                            : NULL,
			                    3, NULL);
			page_submit(r, T(r, "Save the note"), 0);
			html_lit(b, "</form>");
		}
		html_lit(b, "</section>");
	}
}

static void proposal_forms(struct req *r, json_t *p, long long tid, long long cid)
{
	char pid[24], id[48];
	snprintf(pid, sizeof pid, "%lld", page_jint(p, "id"));
	const char *verdict = page_jstr(p, "verdict");
	html_lit(&r->out, "<details class=\"vp-details\"><summary>");
	html_text(&r->out, *verdict ? T(r, "Change the decision") : T(r, "Decide"));
	html_lit(&r->out, "</summary>");
	form_to(r, tid, cid, "verdict");
	page_hidden(r, "point", pid);
	snprintf(id, sizeof id, "verdict-%s", pid);
	page_select_field(r, id, T(r, "Decision"), verdict_values, verdict_labels, 3,
	                  *verdict ? verdict : "adopted");
	snprintf(id, sizeof id, "reason-%s", pid);
	page_text_field(r, id, T(r, "Reason (needed when not adopted)"), NULL, "text", "off",
	                page_jstr(p, "reason"), 0);
	page_submit(r, T(r, "Save the decision"), 0);
	html_lit(&r->out, "</form></details>");
	if (!*verdict || strcmp(verdict, "not_adopted") == 0)
		return;
	html_lit(&r->out, "<details class=\"vp-details\"><summary>");
	html_text(&r->out, T(r, "Follow-up"));
	html_lit(&r->out, "</summary>");
	form_to(r, tid, cid, "follow_up");
	page_hidden(r, "point", pid);
	snprintf(id, sizeof id, "follow-up-%s", pid);
	page_select_field(r, id, T(r, "Where it stands"), follow_values, follow_labels, 3,
	                  page_jstr(p, "follow_up"));
	snprintf(id, sizeof id, "follow-up-on-%s", pid);
	page_text_field(r, id, T(r, "Date"),
	                T(r, "When it was done, or when it is expected. Needed unless not "
	                     "started."),
	                "date", "off", page_jstr(p, "follow_up_on"), 0);
	snprintf(id, sizeof id, "follow-up-note-%s", pid);
	page_text_field(r, id, T(r, "Note"), NULL, "text", "off", page_jstr(p, "follow_up_note"),
	                0);
	page_submit(r, T(r, "Save the follow-up"), 0);
	html_lit(&r->out, "</form></details>");
}

static void proposals_section(struct req *r, json_t *c, json_t *m, long long tid, long long cid,
                              int open)
{
	buf *b = &r->out;
	int held = json_integer_value(json_object_get(c, "held_at")) != 0;
	page_h2(r, "voorstellen", T(r, "Improvement proposals"));
	json_t *props = json_object_get(m, "proposals");
	if (json_array_size(props) == 0)
		page_para(r, NULL, T(r, "No proposals yet."));
	size_t i;
	json_t *p;
	json_array_foreach(props, i, p)
	{
		html_lit(b, "<section class=\"vp-card\"><p class=\"utrecht-paragraph\"><strong>");
		html_text(b, page_jstr(p, "text"));
		html_lit(b, "</strong></p><p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "Team:"));
		html_lit(b, " ");
		html_text(b, page_jstr(p, "team"));
		html_lit(b, " · ");
		long long by = page_jint(p, "person_id");
		html_text(b, T(r, "Proposed by:"));
		html_lit(b, " ");
		html_text(b, by ? person_name(c, by) : T(r, "the panel as a whole"));
		html_lit(b, "</p><p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "Decision:"));
		html_lit(b, " <strong>");
		html_text(b,
		          label_of(r, page_jstr(p, "verdict"), verdict_values, verdict_labels, 3));
		html_lit(b, "</strong>");
		if (*page_jstr(p, "reason")) {
			html_lit(b, ": ");
			html_text(b, page_jstr(p, "reason"));
		}
		const char *verdict = page_jstr(p, "verdict");
		if (*verdict && strcmp(verdict, "not_adopted") != 0) {
			html_lit(b, " · ");
			html_text(b, T(r, "Follow-up:"));
			html_lit(b, " ");
			html_text(b, label_of(r, page_jstr(p, "follow_up"), follow_values,
			                      follow_labels, 3));
			if (*page_jstr(p, "follow_up_on")) {
				html_lit(b, " (");
				html_text(b, page_jstr(p, "follow_up_on"));
				html_lit(b, ")");
			}
			if (*page_jstr(p, "follow_up_note")) {
				html_lit(b, ": ");
				html_text(b, page_jstr(p, "follow_up_note"));
			}
		}
		html_lit(b, "</p>");
		if (open)
			proposal_forms(r, p, tid, cid);
		html_lit(b, "</section>");
	}
	if (!open || !held)
		return;
	html_lit(b, "<details class=\"vp-details\"");
	if (typed(r, "proposal", "proposal-text"))
		html_lit(b, " open");
	html_lit(b, "><summary>");
	html_text(b, T(r, "Add a proposal"));
	html_lit(b, "</summary>");
	form_to(r, tid, cid, "proposal");
	page_textarea_field(r, "proposal-text", T(r, "The proposal"), NULL,
	                    typed(r, "proposal", "proposal-text"), 3, NULL);
	page_text_field(r, "team", T(r, "Team that owns it"),
	                T(r, "The team of the municipality that can carry it out."), "text", "off",
	                typed(r, "proposal", "team"), 0);
	html_lit(b, "<div class=\"utrecht-form-field utrecht-form-field--select\"><div "
	            "class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
	            "for=\"person\">");
	html_text(b, T(r, "Proposed by"));
	html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><select "
	            "class=\"utrecht-select utrecht-select--html-select\" id=\"person\" "
	            "name=\"person\"><option value=\"0\">");
	html_text(b, T(r, "the panel as a whole"));
	html_lit(b, "</option>");
	json_array_foreach(json_object_get(c, "people"), i, p)
	{
		char pid[24];
		snprintf(pid, sizeof pid, "%lld", page_jint(p, "id"));
		html_lit(b, "<option value=\"");
		html_attr(b, pid);
		html_lit(b, "\">");
		html_text(b, person_name(c, page_jint(p, "id")));
		html_lit(b, "</option>");
	}
	html_lit(b, "</select></div></div>");
	page_submit(r, T(r, "Add the proposal"), 0);
	html_lit(b, "</form></details>");
}

static void report_section(struct req *r, json_t *c, json_t *m, long long tid, long long cid,
                           int open)
{
	buf *b = &r->out;
	if (!json_integer_value(json_object_get(c, "held_at")))
		return;
	page_h2(r, "verslag", T(r, "Report to the panel"));
	int64_t sent = json_integer_value(json_object_get(m, "report_sent_at"));
	if (!sent) {
		page_para(r, NULL,
		          T(r, "The panel hears what is done with each proposal, and why not where "
		               "not. The draft comes from the proposals and decisions; check and "
		               "change it before you send it. It goes by e-mail to who has an "
		               "e-mail address; for the others you print a letter."));
	} else {
		char when[80];
		when_text(sent, r->lang, when, sizeof when);
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "Sent on"));
		html_lit(b, " ");
		html_text(b, when);
		html_lit(b, "</p>");
	}
	/* who has it, and how */
	html_lit(b, "<ul class=\"utrecht-unordered-list\">");
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(c, "people"), i, p)
	{
		if (!page_jint(p, "invited_at") ||
		    strcmp(page_jstr(p, "response"), "declined") == 0)
			continue;
		html_lit(b, "<li>");
		html_text(b, person_name(c, page_jint(p, "id")));
		html_lit(b, ": ");
		if (page_jint(p, "feedback_sent_at"))
			html_text(b, strcmp(page_jstr(p, "feedback_channel"), "letter") == 0
			                     ? T(r, "report sent as a letter")
			                     : T(r, "report sent by e-mail"));
		else
			html_text(b, T(r, "waiting for the report"));
		html_lit(b, "</li>");
	}
	html_lit(b, "</ul>");
	if (sent || !open) {
		script_paragraphs(r, page_jstr(m, "report"), NULL);
		/* someone invited after it went out can still get it */
		if (!open || !page_jint(json_object_get(c, "facts"), "open_loops"))
			return;
	}
	form_to(r, tid, cid, "report_sent");
	const char *t_report = conv_page_typed(r, "/spiegel", NULL, "report");
	page_textarea_field(r, "report", T(r, "Report"), NULL,
	                    t_report ? t_report : page_jstr(m, "report"), 14, NULL);
	if (!sent) {
		html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
		            "utrecht-button--secondary-action\" type=\"submit\" name=\"action\" "
		            "value=\"report_draft\">");
		html_text(b, T(r, "Save the draft"));
		html_lit(b, "</button></div>");
	}
	page_submit(r, T(r, "Send to the panel and record"), 1);
	html_lit(b, "</form>");
}

int page_mirror_render(struct req *r, json_t *c, long long tid, long long cid, const char *error,
                       int status)
{
	buf *b = &r->out;
	json_t *m = json_object_get(c, "mirror");
	page_begin(r, page_jstr(c, "title"));
	page_link_para(r, list_path(r, tid), page_jstr(c, "trajectory_title"));
	page_h1(r, page_jstr(c, "title"));
	const char *ok = ok_message(r);
	if (error)
		page_alert(r, "error", error);
	else if (ok)
		page_alert(r, "ok", ok);
	int open = strcmp(page_jstr(c, "status"), "closed") != 0 && status != 404;
	html_lit(b, "<p class=\"utrecht-paragraph vp-lead\">");
	html_text(b, T(r, "Mirror conversation."));
	html_lit(b, " ");
	html_text(b, T(r, "Status:"));
	html_lit(b, " <strong>");
	html_text(b, conversation_status_text(r, page_jstr(c, "status")));
	html_lit(b, "</strong>. ");
	html_text(b, next_step(r, page_jstr(c, "status")));
	html_lit(b, "</p>");
	people_of_the_talk(r, c, m, tid, cid, open);
	conv_page_people(r, c, tid, cid, open);
	if (open)
		conv_page_invitation(r, c, tid, cid);
	conv_page_appointment(r, c, tid, cid, open);
	rounds_section(r, c, m, tid, cid, open);
	proposals_section(r, c, m, tid, cid, open);
	report_section(r, c, m, tid, cid, open);
	if (open)
		conv_page_close(r, tid, cid);
	page_end(r);
	return status;
}

/* ---- the list of a trajectory, and making one ---------------------------- */

static int list_page(struct req *r, const char *error, int status)
{
	int64_t tid = 0;
	util_parse_id(req_param(r, 0), &tid);
	json_t *t = NULL, *list = NULL;
	if (trajectory_get_json(req_db(r), r->sess.user.org_id, tid, &t) != DB_ROW)
		return web_error(r, 404, NULL);
	if (mirror_list_json(req_db(r), tid, &list) != DB_OK) {
		json_decref(t);
		json_decref(list);
		return web_error(r, 503, NULL);
	}
	buf *b = &r->out;
	page_begin(r, T(r, "Mirror conversations"));
	char back[64];
	snprintf(back, sizeof back, "/trajecten/%lld", (long long)tid);
	page_link_para(r, back, page_jstr(t, "title"));
	page_h1(r, T(r, "Mirror conversations"));
	if (error)
		page_alert(r, "error", error);
	page_para(r, NULL,
	          T(r, "In a mirror conversation a panel of clients (usually 8 to 12) tells "
	               "officials how they experience the services. An independent facilitator "
	               "leads it; the officials listen and ask their questions at the end. The "
	               "panel hears what is done with their proposals."));
	if (json_array_size(list) == 0)
		page_para(r, NULL, T(r, "No mirror conversations yet."));
	else {
		html_lit(b, "<ul class=\"utrecht-unordered-list\">");
		size_t i;
		json_t *c;
		json_array_foreach(list, i, c)
		{
			char href[96];
			snprintf(href, sizeof href, "/trajecten/%lld/spiegelgesprekken/%lld",
			         (long long)tid, page_jint(c, "id"));
			html_lit(b, "<li><a class=\"utrecht-link\" href=\"");
			html_attr(b, href);
			html_lit(b, "\">");
			html_text(b, page_jstr(c, "title"));
			html_lit(b, "</a> · ");
			html_text(b, conversation_status_text(r, page_jstr(c, "status")));
			html_lit(b, " · ");
			html_int(b, page_jint(c, "people"));
			html_lit(b, " ");
			html_text(b, T(r, "in the panel"));
			html_lit(b, " · ");
			html_int(b, page_jint(c, "proposals"));
			html_lit(b, " ");
			html_text(b, T(r, "proposals"));
			if (page_jint(c, "open_loops")) {
				html_lit(b, " · ");
				html_int(b, page_jint(c, "open_loops"));
				html_lit(b, " ");
				html_text(b, T(r, "waiting for the report"));
			}
			html_lit(b, "</li>");
		}
		html_lit(b, "</ul>");
	}
	json_decref(list);
	json_decref(t);
	if (route_allows(r, "POST", "/trajecten/{id}/spiegelgesprekken")) {
		page_h2(r, "nieuw", T(r, "New mirror conversation"));
		page_form_open(r, list_path(r, tid));
		const char *posted = strcmp(r->method, "POST") == 0 ? "" : NULL;
		page_text_field(r, "mirror-title", T(r, "Title"),
		                T(r, "For example the service the panel talks about."), "text",
		                "off", posted ? req_form(r, "mirror-title") : NULL, 0);
		page_text_field(r, "facilitator", T(r, "Name of the independent facilitator"), NULL,
		                "text", "off", posted ? req_form(r, "facilitator") : NULL, 0);
		page_text_field(r, "facilitator-org", T(r, "Organisation of the facilitator"), NULL,
		                "text", "off", posted ? req_form(r, "facilitator-org") : NULL, 0);
		page_submit(r, T(r, "Make the mirror conversation"), 1);
		html_lit(b, "</form>");
	}
	page_end(r);
	return status;
}

int page_mirrors(struct req *r)
{
	return list_page(r, NULL, 200);
}

static int create_write(db *d, void *ctx)
{
	struct mirror_new *m = ((struct req *)ctx)->hctx;
	return mirror_create_write(d, m);
}

static int create_then(struct req *r)
{
	struct mirror_new *m = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	char to[96];
	snprintf(to, sizeof to, "/trajecten/%lld/spiegelgesprekken/%lld?ok=created",
	         (long long)m->trajectory_id, (long long)m->id);
	return req_redirect(r, to);
}

/* POST /trajecten/{id}/spiegelgesprekken: title, facilitator. */
int page_mirror_create(struct req *r)
{
	struct mirror_new *m = arena_zalloc(r->a, sizeof *m);
	util_parse_id(req_param(r, 0), &m->trajectory_id);
	m->user_id = r->sess.user.id;
	m->title = page_form_trimmed(r, "mirror-title");
	m->facilitator_name = page_form_trimmed(r, "facilitator");
	m->facilitator_org = page_form_trimmed(r, "facilitator-org");
	const char *bad = mirror_check(m);
	if (bad)
		return list_page(r, T(r, bad), 422);
	r->hctx = m;
	return req_write(r, create_write, create_then);
}

/* ---- changes -------------------------------------------------------------- */

struct mirror_job {
	struct mirror_change ch;
	struct conversation_mail mail;
	int mailed;
	json_t *view; /* report sent with letters: the panel with contact data */
};

static int change_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct mirror_job *j = r->hctx;
	int rc = mirror_change_write(d, &j->ch);
	if (rc != DB_OK || j->ch.result != CONV_OK || j->ch.action != MIRROR_ACT_REPORT_SENT)
		return rc;
	/* By e-mail: queued with the change. As a letter: the letter shows
	 * the name and address, so they are read (and logged) with it. */
	int letters = 0;
	for (int k = 0; k < j->ch.n_sent && rc == DB_OK; k++) {
		if (j->ch.sent_by_letter[k])
			letters++;
		else
			rc = conversation_mail_feedback(d, &j->mail, j->ch.conversation_id,
			                                j->ch.sent_person[k], &j->mailed);
	}
	if (rc != DB_OK || !letters)
		return rc;
	rc = conversation_get_json(d, r->app->vault, j->ch.trajectory_id, j->ch.conversation_id,
	                           &j->view);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DB_ERROR : rc;
	rc = DB_OK;
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(j->view, "people"), i, p)
	{
		for (int k = 0; k < j->ch.n_sent && rc == DB_OK; k++)
			if (j->ch.sent_by_letter[k] && j->ch.sent_person[k] == page_jint(p, "id"))
				rc = page_audit_one(d, r, "view", "conversation_person",
				                    page_jint(p, "id"),
				                    page_jstr(p, "participant_code"));
	}
	return rc;
}

/* The letters to print: one per panel member without an e-mail address. */
static int letters_page(struct req *r, struct mirror_job *j)
{
	buf *b = &r->out;
	long long tid = j->ch.trajectory_id, cid = j->ch.conversation_id;
	page_begin(r, T(r, "Letters to print"));
	page_link_para(r, conv_page_path(r, tid, cid, "#verslag"),
	               T(r, "Back to the conversation"));
	page_h1(r, T(r, "Letters to print"));
	page_alert(r, "ok",
	           T(r, "The report is recorded as sent. It went by e-mail to who has an e-mail "
	                "address; print these letters for the others and post them."));
	char when[80];
	when_text(clock_now(), "nl", when, sizeof when);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(j->view, "people"), i, p)
	{
		int letter = 0;
		for (int k = 0; k < j->ch.n_sent; k++)
			letter |= j->ch.sent_by_letter[k] &&
			          j->ch.sent_person[k] == page_jint(p, "id");
		if (!letter)
			continue;
		html_lit(b, "<article class=\"vp-letter\"><p class=\"utrecht-paragraph\">");
		html_text(b, page_jstr(p, "name"));
		html_lit(b, "<br>");
		html_text(b, page_jstr(p, "address"));
		html_lit(b, "</p><p class=\"utrecht-paragraph\">");
		html_text(b, when);
		html_lit(b, "</p>");
		script_paragraphs(r, j->ch.text, NULL);
		html_lit(b, "</article>");
	}
	page_end(r);
	json_decref(j->view);
	return 200;
}

static int change_then(struct req *r)
{
	struct mirror_job *j = r->hctx;
	if (r->write_rc != 0) {
		json_decref(j->view);
		return web_error(r, 503, NULL);
	}
	if (j->ch.result == CONV_NOT_FOUND)
		return web_error(r, 404, NULL);
	if (j->ch.result != CONV_OK)
		return conv_page_show(r, result_message(r, j->ch.result), 409);
	if (j->view)
		return letters_page(r, j);
	static const char *const oks[] = {"facilitator",  "observer",   "round_note",
	                                  "proposal",     "verdict",    "follow_up",
	                                  "report_draft", "report_sent"};
	static const char *const anchors[] = {"gespreksleider", "gespreksleider", "gesprek",
	                                      "voorstellen",    "voorstellen",    "voorstellen",
	                                      "verslag",        "verslag"};
	_Static_assert(sizeof oks / sizeof *oks == MIRROR_ACT_REPORT_SENT + 1,
	               "one message per action");
	char tail[64];
	snprintf(tail, sizeof tail, "?ok=%s#%s", oks[j->ch.action], anchors[j->ch.action]);
	return req_redirect(r, conv_page_path(r, j->ch.trajectory_id, j->ch.conversation_id, tail));
}

/* POST /trajecten/{id}/spiegelgesprekken/{cid}/spiegel: action facilitator,
 * observer, round_note, proposal, verdict, follow_up, report_draft,
 * report_sent, with their fields. */
int page_mirror_change(struct req *r)
{
	struct mirror_job *j = arena_zalloc(r->a, sizeof *j);
	struct mirror_change *c = &j->ch;
	util_parse_id(req_param(r, 0), &c->trajectory_id);
	if (util_parse_id(req_param(r, 1), &c->conversation_id) != 0)
		return web_error(r, 404, NULL);
	c->v = r->app->vault;
	c->user_id = r->sess.user.id;
	const char *action = page_form_trimmed(r, "action");
	static const char *const actions[] = {"facilitator",  "observer",   "round_note",
	                                      "proposal",     "verdict",    "follow_up",
	                                      "report_draft", "report_sent"};
	int found = 0;
	for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
		if (strcmp(action, actions[i]) == 0) {
			c->action = (int)i;
			found = 1;
		}
	/* The page of a conversation that is not a mirror conversation of
	 * this trajectory is not shown with an error: 404 first. */
	char kind[16];
	if (mirror_kind_of(req_db(r), c->trajectory_id, c->conversation_id, kind) != DB_ROW ||
	    strcmp(kind, "mirror") != 0)
		return web_error(r, 404, NULL);
	if (!found)
		return conv_page_show(r, T(r, "Choose what to do."), 422);
	const char *person = page_form_trimmed(r, "person"), *point = page_form_trimmed(r, "point");
	if (*person && util_parse_i64(person, &c->person_id))
		return conv_page_show(r, T(r, "Choose a person from the list."), 422);
	if (*point && util_parse_i64(point, &c->point_id))
		return web_error(r, 404, NULL);
	char key[64];
	switch (c->action) {
	case MIRROR_ACT_FACILITATOR:
		c->name = page_form_trimmed(r, "facilitator");
		c->org = page_form_trimmed(r, "facilitator-org");
		break;
	case MIRROR_ACT_OBSERVER:
		c->name = page_form_trimmed(r, "observer-name");
		c->team = page_form_trimmed(r, "observer-team");
		break;
	case MIRROR_ACT_ROUND_NOTE:
		c->round = page_form_trimmed(r, "round");
		if (mirror_round_parse(c->round) < 0)
			return conv_page_show(r, T(r, "Choose the round the note belongs to."),
			                      422);
		snprintf(key, sizeof key, "note-%s", c->round);
		c->text = page_form_trimmed(r, key);
		break;
	case MIRROR_ACT_PROPOSAL:
		c->text = page_form_trimmed(r, "proposal-text");
		c->team = page_form_trimmed(r, "team");
		break;
	case MIRROR_ACT_VERDICT:
		snprintf(key, sizeof key, "verdict-%s", point);
		c->verdict = page_form_trimmed(r, key);
		snprintf(key, sizeof key, "reason-%s", point);
		c->reason = page_form_trimmed(r, key);
		break;
	case MIRROR_ACT_FOLLOW_UP:
		snprintf(key, sizeof key, "follow-up-%s", point);
		c->follow_up = page_form_trimmed(r, key);
		snprintf(key, sizeof key, "follow-up-on-%s", point);
		c->on = page_form_trimmed(r, key);
		snprintf(key, sizeof key, "follow-up-note-%s", point);
		c->note = page_form_trimmed(r, key);
		break;
	default: c->text = page_form_trimmed(r, "report"); break;
	}
	const char *bad = mirror_change_check(c);
	if (bad)
		return conv_page_show(r, T(r, bad), 422);
	conversation_mail_for(r, &j->mail);
	r->hctx = j;
	return req_write(r, change_write, change_then);
}

/* ---- on the trajectory's page ---------------------------------------------- */

void page_mirror_trajectory_section(struct req *r, long long tid)
{
	json_t *list = NULL;
	page_h2(r, "spiegelgesprekken", T(r, "Mirror conversations"));
	if (mirror_list_json(req_db(r), tid, &list) == DB_OK && json_array_size(list)) {
		html_lit(&r->out, "<p class=\"utrecht-paragraph\">");
		html_int(&r->out, (long long)json_array_size(list));
		html_lit(&r->out, " ");
		html_text(&r->out, T(r, "mirror conversations with a panel of clients."));
		html_lit(&r->out, "</p>");
	}
	json_decref(list);
	page_link_para(r, list_path(r, tid), T(r, "To the mirror conversations"));
}
