/* page_conversations.c: kitchen-table conversations in a trajectory (people, invitation, appointment, the talk's notes and points, decisions, personal feedback), the personal invitation link, and the list of what needs doing. */
#include "core/arena.h"
#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"
#include "http/routes.h"
#include "http/server.h"
#include "model/audit.h"
#include "model/conversation.h"
#include "model/conversation_mail.h"
#include "model/mirror.h"
#include "model/trajectory.h"
#include "web/conversation_page.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/pages.h"
#include "web/question_form.h"
#include "web/svg.h"
#include "io/when.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared bits --------------------------------------------------------- */

static const char *conv_path(struct req *r, long long tid, long long cid, const char *tail)
{
	char tmp[200];
	/* The same handlers serve mirror conversations under their own path
	 * (page_mirror.c): an answer goes back where the request came from. */
	const char *kind =
	        strstr(r->path, "/spiegelgesprekken/") ? "spiegelgesprekken" : "gesprekken";
	snprintf(tmp, sizeof tmp, "/trajecten/%lld/%s/%lld%s", tid, kind, cid, tail ? tail : "");
	return arena_strdup(r->a, tmp);
}

/* The route's trajectory id (checked by the dispatcher) and conversation
 * id; 0 when the latter is not a number. */
static int64_t route_ids(struct req *r, int64_t *tid)
{
	int64_t cid = 0;
	util_parse_id(req_param(r, 0), tid);
	if (util_parse_id(req_param(r, 1), &cid) != 0)
		return 0;
	return cid;
}

const char *conversation_status_text(struct req *r, const char *status)
{
	static const char *const labels[CONV_NSTATUS] = {
	        N_("being prepared"), N_("invited"),        N_("appointment made"), N_("reminded"),
	        N_("held"),           N_("points decided"), N_("feedback sent"),    N_("closed")};
	int s = conversation_status_parse(status);
	return s < 0 ? status : T(r, labels[s]);
}

/* What the team does next, for a status. */
static const char *next_step(struct req *r, const char *status)
{
	static const char *const steps[CONV_NSTATUS] = {
	        N_("Next: add the people and send the invitation."),
	        N_("Next: agree on a time and place."),
	        N_("Next: the reminder goes out by itself before the talk."),
	        N_("Next: hold the talk, then note the points raised."),
	        N_("Next: decide on every point: taken along or not, and why."),
	        N_("Next: send everyone their personal feedback."),
	        N_("Next: close the conversation."),
	        N_("This conversation is closed.")};
	int s = conversation_status_parse(status);
	return s < 0 ? "" : T(r, steps[s]);
}

static const char *kind_label(struct req *r, const char *kind)
{
	if (strcmp(kind, "entrepreneur") == 0)
		return T(r, "entrepreneur");
	if (strcmp(kind, "organisation") == 0)
		return T(r, "organisation");
	return T(r, "resident");
}

static const char *response_label(struct req *r, const char *resp)
{
	if (strcmp(resp, "accepted") == 0)
		return T(r, "accepted");
	if (strcmp(resp, "declined") == 0)
		return T(r, "declined");
	if (strcmp(resp, "other_time") == 0)
		return T(r, "asks for another time");
	return T(r, "no answer yet");
}

static void submit(struct req *r, const char *text, int primary)
{
	if (primary)
		html_lit(&r->out,
		         "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
		         "utrecht-button--primary-action\" type=\"submit\">");
	else
		html_lit(&r->out,
		         "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
		         "utrecht-button--secondary-action\" type=\"submit\">");
	html_text(&r->out, text);
	html_lit(&r->out, "</button></div>");
}

/* <form method=post action=...> with the CSRF field. */
static void form_open(struct req *r, const char *action)
{
	html_lit(&r->out, "<form class=\"vp-form\" method=\"post\" action=\"");
	html_attr(&r->out, action);
	html_lit(&r->out, "\">");
	page_csrf_field(r);
}

static void hidden(struct req *r, const char *name, const char *value)
{
	html_lit(&r->out, "<input type=\"hidden\" name=\"");
	html_attr(&r->out, name);
	html_lit(&r->out, "\" value=\"");
	html_attr(&r->out, value);
	html_lit(&r->out, "\">");
}

/* What was typed in field of the form that was just refused, so the page
 * shown again keeps it: the form is the one posted to a path ending in
 * tail and, when action is not NULL, with that action. NULL otherwise. */
static const char *typed(struct req *r, const char *tail, const char *action, const char *field)
{
	size_t n = strlen(r->path), t = strlen(tail);
	if (strcmp(r->method, "POST") != 0 || n < t || strcmp(r->path + n - t, tail) != 0)
		return NULL;
	const char *a = req_form(r, "action");
	if (action && (!a || strcmp(a, action) != 0))
		return NULL;
	return req_form(r, field);
}

/* A select of (value, label) pairs. */
static void select_field(struct req *r, const char *id, const char *label,
                         const char *const *values, const char *const *labels, int n,
                         const char *selected)
{
	buf *b = &r->out;
	html_lit(b,
	         "<div class=\"utrecht-form-field utrecht-form-field--select\"><div "
	         "class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" for=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	html_text(b, label);
	html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><select "
	            "class=\"utrecht-select utrecht-select--html-select\" id=\"");
	html_attr(b, id);
	html_lit(b, "\" name=\"");
	html_attr(b, id);
	html_lit(b, "\">");
	for (int i = 0; i < n; i++) {
		html_lit(b, "<option value=\"");
		html_attr(b, values[i]);
		html_lit(b, "\"");
		if (selected && strcmp(selected, values[i]) == 0)
			html_lit(b, " selected");
		html_lit(b, ">");
		html_text(b, T(r, labels[i]));
		html_lit(b, "</option>");
	}
	html_lit(b, "</select></div></div>");
}

static const char *const channel_values[] = {"email", "letter"};
static const char *const channel_labels[] = {N_("by e-mail"), N_("as a printed letter")};

/* What the e-mail of a change needs: the vault, the address of personal
 * links on this host, the organiser of calendar invitations. */
static struct conversation_mail mail_of(struct req *r)
{
	const char *base = page_absolute_url(r, "/");
	size_t n = strlen(base);
	return (struct conversation_mail){.v = r->app->vault,
	                                  .base_url = arena_strndup(r->a, base, n ? n - 1 : 0),
	                                  .organizer = server_mail_organizer(r->app)};
}

/* ---- creating one -------------------------------------------------------- */

struct conv_job {
	struct conversation_new n;
	struct conversation_person_new p;
	struct conversation_invite inv;
	struct conversation_appointment ap;
	struct conversation_change ch;
	struct conversation_answer ans;
	int64_t tid, cid;
	json_t *view; /* the conversation, read before logging its view */
	struct conversation_mail mail;
	int mailed; /* messages queued with the change */
};

static int create_write(db *d, void *ctx)
{
	struct conv_job *j = ((struct req *)ctx)->hctx;
	return conversation_create_write(d, &j->n);
}

static int create_then(struct req *r)
{
	struct conv_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	return req_redirect(r, conv_path(r, j->n.trajectory_id, j->n.id, "?ok=created"));
}

/* POST /trajecten/{id}/gesprekken: title. */
int page_conversation_create(struct req *r)
{
	struct conv_job *j = arena_zalloc(r->a, sizeof *j);
	util_parse_id(req_param(r, 0), &j->n.trajectory_id);
	j->n.title = page_form_trimmed(r, "conversation-title");
	j->n.user_id = r->sess.user.id;
	if (conversation_check(&j->n)) {
		char back[80];
		snprintf(back, sizeof back, "/trajecten/%lld?fout=gesprek#gesprekken",
		         (long long)j->n.trajectory_id);
		return req_redirect(r, back);
	}
	r->hctx = j;
	return req_write(r, create_write, create_then);
}

/* ---- one conversation ---------------------------------------------------- */

static const char *ok_message(struct req *r)
{
	const char *ok = req_query(r, "ok");
	static const struct {
		const char *key, *text;
	} msgs[] = {
	        {"created", N_("The conversation was made. Add the people you will talk with.")},
	        {"person", N_("The person was added.")},
	        {"invited", N_("The invitations are in the outbox and go out by e-mail.")},
	        {"appointment", N_("The appointment was saved.")},
	        {"held", N_("The talk is marked as held.")},
	        {"note", N_("The note was saved.")},
	        {"point", N_("The point was added.")},
	        {"decided", N_("The decision was saved.")},
	        {"feedback", N_("The feedback was saved.")},
	        {"sent", N_("The feedback is recorded as sent.")},
	        {"closed", N_("The conversation is closed.")},
	        {"cancelled",
	         N_("The appointment is cancelled. Who has an e-mail address hears so.")},
	        {"answered", N_("Thank you. Your answer was saved.")},
	};
	for (size_t i = 0; ok && i < sizeof msgs / sizeof *msgs; i++)
		if (strcmp(ok, msgs[i].key) == 0)
			return T(r, msgs[i].text);
	return NULL;
}

static const char *result_message(struct req *r, int result)
{
	switch (result) {
	case CONV_NOT_READY:
		return T(r, "The trajectory is not ready for invitations: fill in what may be "
		            "discussed, why these people were chosen and how others can get in "
		            "touch first.");
	case CONV_NO_CONTACT:
		return T(r, "Someone has no e-mail address. Add one, or send the invitation as a "
		            "letter. Nobody was invited.");
	case CONV_OVERLAP: return T(r, "The official has another appointment at that time.");
	case CONV_IN_PAST: return T(r, "That time has passed. Choose a time in the future.");
	case CONV_CLOSED_ALREADY:
		return T(r, "This conversation is closed: nothing can be changed.");
	case CONV_LOOPS_OPEN:
		return T(r, "Some people have not heard back yet. Send their feedback first, or "
		            "write why the conversation closes without it.");
	case CONV_TOO_MANY: return T(r, "A conversation has at most 12 people.");
	case CONV_NO_APPOINTMENT: return T(r, "Agree on a time and place first.");
	case CONV_NO_MATERIAL:
		return T(r, "The trajectory has no picture to put a pin on. Add one to the "
		            "trajectory first.");
	default: return T(r, "That could not be done.");
	}
}

static void people_section(struct req *r, json_t *c, long long tid, long long cid, int open)
{
	buf *b = &r->out;
	page_h2(r, "mensen",
	        json_is_object(json_object_get(c, "mirror")) ? T(r, "The panel")
	                                                     : T(r, "People at the table"));
	json_t *people = json_object_get(c, "people");
	if (json_array_size(people) == 0)
		page_para(r, NULL, T(r, "Nobody has been added yet."));
	else {
		html_lit(b, "<ul class=\"utrecht-unordered-list\">");
		size_t i;
		json_t *p;
		json_array_foreach(people, i, p)
		{
			html_lit(b, "<li>");
			const char *name = page_jstr(p, "name");
			html_text(b, *name ? name : page_jstr(p, "participant_code"));
			html_lit(b, " (");
			html_text(b, kind_label(r, page_jstr(p, "kind")));
			html_lit(b, ") · ");
			if (*page_jstr(p, "email")) {
				html_text(b, page_jstr(p, "email"));
				html_lit(b, " · ");
			}
			if (*page_jstr(p, "phone")) {
				html_text(b, page_jstr(p, "phone"));
				html_lit(b, " · ");
			}
			if (*page_jstr(p, "address")) {
				html_text(b, page_jstr(p, "address"));
				html_lit(b, " · ");
			}
			if (json_integer_value(json_object_get(p, "invited_at")))
				html_text(b, response_label(r, page_jstr(p, "response")));
			else
				html_text(b, T(r, "not invited yet"));
			if (*page_jstr(p, "response_note")) {
				html_lit(b, ": ");
				html_text(b, page_jstr(p, "response_note"));
			}
			html_lit(b, "</li>");
		}
		html_lit(b, "</ul>");
	}
	if (!open)
		return;
	html_lit(b, "<details class=\"vp-details\"><summary>");
	html_text(b, T(r, "Add a person"));
	html_lit(b, "</summary>");
	form_open(r, conv_path(r, tid, cid, "/personen"));
	static const char *const kinds[] = {"resident", "entrepreneur", "organisation"};
	static const char *const kind_labels[] = {N_("resident"), N_("entrepreneur"),
	                                          N_("organisation")};
	const char *kind = typed(r, "/personen", NULL, "kind");
	select_field(r, "kind", T(r, "Who"), kinds, kind_labels, 3, kind ? kind : "resident");
	page_text_field(r, "name", T(r, "Name"), NULL, "text", "off",
	                typed(r, "/personen", NULL, "name"), 0);
	page_text_field(r, "email", T(r, "E-mail address"), NULL, "email", "off",
	                typed(r, "/personen", NULL, "email"), 0);
	page_text_field(r, "phone", T(r, "Phone number"), NULL, "tel", "off",
	                typed(r, "/personen", NULL, "phone"), 0);
	page_text_field(r, "address", T(r, "Address (for a letter or a visit)"), NULL, "text",
	                "off", typed(r, "/personen", NULL, "address"), 0);
	submit(r, T(r, "Add"), 0);
	html_lit(b, "</form></details>");
}

static void invitation_section(struct req *r, json_t *c, long long tid, long long cid)
{
	json_t *people = json_object_get(c, "people");
	int uninvited = 0;
	size_t i;
	json_t *p;
	json_array_foreach(people, i, p) uninvited +=
	        !json_integer_value(json_object_get(p, "invited_at"));
	page_h2(r, "uitnodiging", T(r, "Invitation"));
	if (json_array_size(json_object_get(c, "trajectory_missing")) > 0) {
		page_alert(r, "warning",
		           T(r, "The trajectory is not ready for invitations: fill in what may be "
		                "discussed, why these people were chosen and how others can get in "
		                "touch first."));
		return;
	}
	if (uninvited == 0) {
		page_para(r, NULL,
		          json_array_size(people) ? T(r, "Everyone has been invited.")
		                                  : T(r, "Add people first."));
		return;
	}
	page_para(r, NULL,
	          T(r, "Everyone not invited yet gets this text with a personal link. With the "
	               "link they accept, ask for another time, or decline."));
	form_open(r, conv_path(r, tid, cid, "/uitnodigen"));
	page_textarea_field(r, "invitation-text", T(r, "Invitation text"), NULL,
	                    page_jstr(c, "invitation"), 12, NULL);
	select_field(r, "channel", T(r, "Send"), channel_values, channel_labels, 2, "email");
	submit(r, T(r, "Invite"), 1);
	html_lit(&r->out, "</form>");
}

static void appointment_section(struct req *r, json_t *c, long long tid, long long cid, int open)
{
	buf *b = &r->out;
	page_h2(r, "afspraak", T(r, "Appointment"));
	json_t *a = json_object_get(c, "appointment");
	static const char *const places[] = {"home", "town_hall", "video", "phone", "other"};
	static const char *const place_labels[] = {N_("at home"), N_("at the town hall"),
	                                           N_("by video"), N_("by phone"), N_("elsewhere")};
	int cancelled = json_is_object(a) && json_is_true(json_object_get(a, "cancelled"));
	if (cancelled)
		page_para(r, NULL, T(r, "The appointment was cancelled. Set a new time below."));
	if (json_is_object(a) && !cancelled) {
		char when[80];
		when_text(page_jint(a, "starts_at"), r->lang, when, sizeof when);
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, when);
		html_lit(b, " · ");
		html_int(b, page_jint(a, "minutes"));
		html_lit(b, " ");
		html_text(b, T(r, "minutes"));
		html_lit(b, " · ");
		for (int i = 0; i < 5; i++)
			if (strcmp(page_jstr(a, "place_kind"), places[i]) == 0)
				html_text(b, T(r, place_labels[i]));
		if (*page_jstr(a, "place")) {
			html_lit(b, ": ");
			html_text(b, page_jstr(a, "place"));
		}
		html_lit(b, "</p>");
		if (strcmp(page_jstr(a, "place_kind"), "video") == 0)
			page_para(r, NULL,
			          T(r,
			            "For a video talk: tell the people that they can call the "
			            "contact route for help with the video link before the talk."));
	}
	if (!open)
		return;
	form_open(r, conv_path(r, tid, cid, "/afspraak"));
	char value[17] = "";
	if (json_is_object(a))
		when_input_value(page_jint(a, "starts_at"), value);
	const char *t_starts = typed(r, "/afspraak", NULL, "starts"),
	           *t_minutes = typed(r, "/afspraak", NULL, "minutes"),
	           *t_kind = typed(r, "/afspraak", NULL, "place_kind"),
	           *t_place = typed(r, "/afspraak", NULL, "place");
	page_text_field(r, "starts", T(r, "Date and time"), NULL, "datetime-local", "off",
	                t_starts ? t_starts
	                : *value ? value
	                         : NULL,
	                FIELD_REQUIRED);
	char mins[16];
	snprintf(mins, sizeof mins, "%lld", json_is_object(a) ? page_jint(a, "minutes") : 60LL);
	page_text_field(r, "minutes", T(r, "Duration (minutes)"), NULL, "number", "off",
	                t_minutes ? t_minutes : mins, 0);
	select_field(r, "place_kind", T(r, "Where"), places, place_labels, 5,
	             t_kind              ? t_kind
	             : json_is_object(a) ? page_jstr(a, "place_kind")
	                                 : "home");
	page_text_field(r, "place", T(r, "Address or video link"),
	                T(r,
	                  "For a video talk the link; for the town hall or elsewhere the room or "
	                  "address. For a visit at home leave it empty: the address is in the "
	                  "person's details."),
	                "text", "off",
	                t_place             ? t_place
	                : json_is_object(a) ? page_jstr(a, "place")
	                                    : NULL,
	                0);
	/* when the reminder goes out (minutes before; 2 days unless chosen) */
	static const char *const reminds[] = {"2880", "1440", "10080", "0"};
	static const char *const remind_labels[] = {N_("2 days before"), N_("1 day before"),
	                                            N_("1 week before"), N_("no reminder")};
	char remind_now[16] = "2880";
	const char *t_remind = typed(r, "/afspraak", NULL, "remind");
	if (json_is_object(a))
		snprintf(remind_now, sizeof remind_now, "%lld", page_jint(a, "remind_minutes"));
	select_field(r, "remind", T(r, "Reminder by e-mail"), reminds, remind_labels, 4,
	             t_remind ? t_remind : remind_now);
	submit(r, json_is_object(a) ? T(r, "Move the appointment") : T(r, "Save the appointment"),
	       0);
	html_lit(b, "</form>");
	if (json_is_object(a) && !cancelled && !json_integer_value(json_object_get(c, "held_at"))) {
		form_open(r, conv_path(r, tid, cid, "/verloop"));
		hidden(r, "action", "cancel");
		submit(r, T(r, "Cancel the appointment"), 0);
		html_lit(b, "</form>");
	}
}

/* "12% from the left, 40% from the top" of a note's pin. */
static void pin_place_text(struct req *r, json_t *note)
{
	char num[32];
	snprintf(num, sizeof num, "%.0f%% ", json_number_value(json_object_get(note, "pin_x")));
	html_text(&r->out, num);
	html_text(&r->out, T(r, "from the left"));
	snprintf(num, sizeof num, ", %.0f%% ", json_number_value(json_object_get(note, "pin_y")));
	html_text(&r->out, num);
	html_text(&r->out, T(r, "from the top"));
}

/* The trajectory's picture (a sketch, plan or map) with the pins of the
 * notes placed on it, numbered in the order of the notes; the numbers are
 * also written under each note, so the picture is not the only carrier. */
static void plan_figure(struct req *r, json_t *c)
{
	const char *token = page_jstr(c, "material_token");
	double w = (double)page_jint(c, "material_width"),
	       h = (double)page_jint(c, "material_height");
	if (!*token || w <= 0 || h <= 0)
		return;
	size_t i;
	json_t *n;
	int pins = 0;
	json_array_foreach(json_object_get(c, "notes"), i, n) pins +=
	        json_is_number(json_object_get(n, "pin_x")) &&
	        strcmp(page_jstr(n, "material_token"), token) == 0;
	if (pins == 0)
		return; /* the picture is in the note form */
	buf *b = &r->out;
	html_lit(b, "<figure class=\"vp-plan\">");
	const char *alt = page_jstr(c, "material_alt");
	svg_begin(b, w, h, *alt ? alt : T(r, "The trajectory's picture"),
	          T(r, "The numbered pins are the places the notes below point at."));
	svg_image(b, 0, 0, w, h, page_printf(r, "/uploads/%s", token));
	double rad = (w < h ? w : h) / 40.0;
	if (rad < 8)
		rad = 8;
	int pin = 0;
	json_array_foreach(json_object_get(c, "notes"), i, n)
	{
		if (!json_is_number(json_object_get(n, "pin_x")) ||
		    strcmp(page_jstr(n, "material_token"), token) != 0)
			continue;
		double x = json_number_value(json_object_get(n, "pin_x")) * w / 100.0,
		       y = json_number_value(json_object_get(n, "pin_y")) * h / 100.0;
		char label[16];
		snprintf(label, sizeof label, "%d", ++pin);
		svg_circle(b, x, y, rad, "vp-plan__pin");
		svg_text(b, x, y + rad * 0.35, "middle", "vp-plan__label", label);
	}
	svg_end(b);
	html_lit(b, "<figcaption class=\"utrecht-paragraph vp-muted\">");
	html_text(b, *alt ? alt : T(r, "The trajectory's picture"));
	html_lit(b, "</figcaption></figure>");
}

/* Where on the picture a note points: the picture with a pin to place
 * (assets/widgets.js) over two number fields that work without it. */
static void pin_field(struct req *r, json_t *c)
{
	buf *b = &r->out;
	html_lit(b, "<fieldset class=\"utrecht-form-fieldset vp-note-pin\"><legend "
	            "class=\"utrecht-form-fieldset__legend\" id=\"pin-label\">");
	html_text(b, T(r, "Where on the picture? (You may skip this.)"));
	html_lit(b, "</legend><div class=\"vp-pin\" data-vp-widget=\"pin\"><div "
	            "class=\"vp-widget\" data-vp-widget-ui hidden><p class=\"vp-widget__hint\" "
	            "id=\"pin-hint\">");
	html_text(b, T(r, "Tap or click on the picture to place the pin. With the keyboard: the "
	                  "arrow keys move it."));
	html_lit(b, "</p><p class=\"vp-visually-hidden\" aria-live=\"polite\" data-vp-live></p>"
	            "</div><div class=\"vp-pin__area vp-widget__area\" data-vp-area "
	            "data-vp-label=\"pin-label\" data-vp-hint=\"pin-hint\"><img "
	            "class=\"vp-pin__image\" draggable=\"false\" src=\"");
	html_url(b, page_printf(r, "/uploads/%s", page_jstr(c, "material_token")));
	html_lit(b, "\" alt=\"");
	const char *alt = page_jstr(c, "material_alt");
	html_attr(b, *alt ? alt : T(r, "The trajectory's picture"));
	html_lit(b, "\"><span class=\"vp-pin__marker\" data-vp-marker hidden></span></div>"
	            "<div class=\"vp-fallback vp-pin__numbers\"><p class=\"vp-fallback__intro\">");
	html_text(b, T(r, "Where on the picture, in percent:"));
	html_lit(b, "</p><div class=\"vp-fallback__row\">");
	static const char *const ids[] = {"pin_x", "pin_y"};
	const char *labels[] = {T(r, "From the left"), T(r, "From the top")};
	for (int k = 0; k < 2; k++) {
		html_lit(b, "<div class=\"vp-fallback__field\"><label class=\"utrecht-form-label\" "
		            "for=\"");
		html_attr(b, ids[k]);
		html_lit(b, "\">");
		html_text(b, labels[k]);
		html_lit(b, "</label> <input class=\"utrecht-textbox utrecht-textbox--html-input "
		            "vp-number\" type=\"number\" min=\"0\" max=\"100\" step=\"0.1\" "
		            "inputmode=\"decimal\" id=\"");
		html_attr(b, ids[k]);
		html_lit(b, "\" name=\"");
		html_attr(b, ids[k]);
		html_lit(b, "\" value=\"");
		html_attr(b, typed(r, "/verloop", "note", ids[k]));
		html_lit(b, "\"> %</div>");
	}
	html_lit(b, "</div></div></div></fieldset>");
	question_form_script(b, "widgets.js");
}

/* The points with a decision form each, notes, and adding both. */
static void talk_section(struct req *r, json_t *c, long long tid, long long cid, int open)
{
	buf *b = &r->out;
	page_h2(r, "gesprek", T(r, "The talk"));
	int held = json_integer_value(json_object_get(c, "held_at")) != 0;
	if (!held) {
		if (open && json_is_object(json_object_get(c, "appointment"))) {
			form_open(r, conv_path(r, tid, cid, "/verloop"));
			hidden(r, "action", "held");
			submit(r, T(r, "The talk took place"), 0);
			html_lit(b, "</form>");
		}
		page_para(r, NULL,
		          T(r, "Say at the start which points you can take along and which not, as "
		               "the trajectory's scope says."));
	}
	page_h2(r, "punten", T(r, "Points raised"));
	json_t *points = json_object_get(c, "points");
	if (json_array_size(points) == 0)
		page_para(r, NULL, T(r, "No points yet."));
	size_t i;
	json_t *p;
	json_array_foreach(points, i, p)
	{
		html_lit(b, "<section class=\"vp-card\"><p class=\"utrecht-paragraph\">");
		html_text(b, page_jstr(p, "text"));
		html_lit(b, "</p><p class=\"utrecht-paragraph vp-muted\">");
		if (*page_jstr(p, "theme")) {
			html_text(b, page_jstr(p, "theme"));
			html_lit(b, " · ");
		}
		const char *dec = page_jstr(p, "decision");
		html_text(b, strcmp(dec, "taken") == 0       ? T(r, "taken along")
		             : strcmp(dec, "not_taken") == 0 ? T(r, "not taken along")
		                                             : T(r, "not decided yet"));
		if (*page_jstr(p, "reason")) {
			html_lit(b, ": ");
			html_text(b, page_jstr(p, "reason"));
		}
		html_lit(b, "</p>");
		if (open && strcmp(dec, "open") == 0) {
			char pid[24];
			snprintf(pid, sizeof pid, "%lld", page_jint(p, "id"));
			form_open(r, conv_path(r, tid, cid, "/verloop"));
			hidden(r, "action", "decide");
			hidden(r, "point", pid);
			char id[40];
			snprintf(id, sizeof id, "decision-%s", pid);
			static const char *const decisions[] = {"taken", "not_taken"};
			static const char *const decision_labels[] = {N_("taken along"),
			                                              N_("not taken along")};
			select_field(r, id, T(r, "Decision"), decisions, decision_labels, 2,
			             "taken");
			snprintf(id, sizeof id, "reason-%s", pid);
			page_text_field(r, id, T(r, "Reason (needed when not taken along)"), NULL,
			                "text", "off", NULL, 0);
			submit(r, T(r, "Save the decision"), 0);
			html_lit(b, "</form>");
		}
		html_lit(b, "</section>");
	}
	if (open && held) {
		html_lit(b, "<details class=\"vp-details\"><summary>");
		html_text(b, T(r, "Add a point"));
		html_lit(b, "</summary>");
		form_open(r, conv_path(r, tid, cid, "/verloop"));
		hidden(r, "action", "point");
		/* who raised it: a person or the table */
		html_lit(b,
		         "<div class=\"utrecht-form-field utrecht-form-field--select\"><div "
		         "class=\"utrecht-form-field__label\"><label class=\"utrecht-form-label\" "
		         "for=\"person\">");
		html_text(b, T(r, "Raised by"));
		html_lit(b, "</label></div><div class=\"utrecht-form-field__input\"><select "
		            "class=\"utrecht-select utrecht-select--html-select\" id=\"person\" "
		            "name=\"person\"><option value=\"0\">");
		html_text(b, T(r, "the table as a whole"));
		html_lit(b, "</option>");
		json_t *q;
		json_array_foreach(json_object_get(c, "people"), i, q)
		{
			char pid[24];
			snprintf(pid, sizeof pid, "%lld", page_jint(q, "id"));
			html_lit(b, "<option value=\"");
			html_attr(b, pid);
			html_lit(b, "\">");
			const char *name = page_jstr(q, "name");
			html_text(b, *name ? name : page_jstr(q, "participant_code"));
			html_lit(b, "</option>");
		}
		html_lit(b, "</select></div></div>");
		page_textarea_field(r, "point-text", T(r, "The point"), NULL,
		                    typed(r, "/verloop", "point", "point-text"), 3, NULL);
		page_text_field(r, "theme", T(r, "Theme"),
		                T(r, "A word or two, to group points later."), "text", "off",
		                typed(r, "/verloop", "point", "theme"), 0);
		submit(r, T(r, "Add the point"), 0);
		html_lit(b, "</form></details>");
	}
	page_h2(r, "notities", T(r, "Notes"));
	const char *material = page_jstr(c, "material_token");
	plan_figure(r, c);
	int pin = 0;
	json_array_foreach(json_object_get(c, "notes"), i, p)
	{
		char when[80];
		when_text(page_jint(p, "created_at"), r->lang, when, sizeof when);
		html_lit(b, "<section class=\"vp-card\"><p class=\"utrecht-paragraph vp-muted\">");
		html_text(b, when);
		html_lit(b, "</p>");
		script_paragraphs(r, page_jstr(p, "body"), NULL);
		if (json_is_number(json_object_get(p, "pin_x"))) {
			html_lit(b, "<p class=\"utrecht-paragraph vp-muted\">");
			if (strcmp(page_jstr(p, "material_token"), material) == 0) {
				html_text(b, T(r, "Pin on the picture:"));
				html_lit(b, " ");
				html_int(b, ++pin);
				html_lit(b, " (");
			} else {
				html_text(b, T(r, "Pin on an earlier picture"));
				html_lit(b, " (");
			}
			pin_place_text(r, p);
			html_lit(b, ")</p>");
		}
		html_lit(b, "</section>");
	}
	if (open) {
		form_open(r, conv_path(r, tid, cid, "/verloop"));
		hidden(r, "action", "note");
		page_textarea_field(r, "note-text", T(r, "New note"),
		                    T(r, "No contact details here: they belong with the person."),
		                    typed(r, "/verloop", "note", "note-text"), 4, NULL);
		if (*material)
			pin_field(r, c);
		submit(r, T(r, "Save the note"), 0);
		html_lit(b, "</form>");
	}
}

static void feedback_section(struct req *r, json_t *c, long long tid, long long cid, int open)
{
	buf *b = &r->out;
	if (!json_integer_value(json_object_get(c, "held_at")))
		return;
	page_h2(r, "terugkoppeling", T(r, "Feedback to each person"));
	page_para(r, NULL,
	          T(r, "Everyone hears back what was done with what they said, and why not where "
	               "not. The draft comes from their points; check and change it before you "
	               "send it."));
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(c, "people"), i, p)
	{
		if (strcmp(page_jstr(p, "response"), "declined") == 0)
			continue;
		char pid[24];
		snprintf(pid, sizeof pid, "%lld", page_jint(p, "id"));
		const char *name = page_jstr(p, "name");
		html_lit(b, "<section class=\"vp-card\"><h3 class=\"utrecht-heading-3\">");
		html_text(b, *name ? name : page_jstr(p, "participant_code"));
		html_lit(b, "</h3>");
		int64_t sent = json_integer_value(json_object_get(p, "feedback_sent_at"));
		if (sent) {
			char when[80];
			when_text(sent, r->lang, when, sizeof when);
			html_lit(b, "<p class=\"utrecht-paragraph\">");
			html_text(b, T(r, "Sent on"));
			html_lit(b, " ");
			html_text(b, when);
			html_lit(b, "</p>");
			script_paragraphs(r, page_jstr(p, "feedback"), NULL);
			html_lit(b, "</section>");
			continue;
		}
		if (!open) {
			html_lit(b, "</section>");
			continue;
		}
		form_open(r, conv_path(r, tid, cid, "/verloop"));
		hidden(r, "person", pid);
		char id[40];
		snprintf(id, sizeof id, "feedback-%s", pid);
		page_textarea_field(r, id, T(r, "Feedback"), NULL, page_jstr(p, "feedback_draft"),
		                    10, NULL);
		snprintf(id, sizeof id, "channel-%s", pid);
		select_field(r, id, T(r, "Send"), channel_values, channel_labels, 2, "email");
		html_lit(b, "<div class=\"utrecht-button-group\"><button class=\"utrecht-button "
		            "utrecht-button--secondary-action\" type=\"submit\" name=\"action\" "
		            "value=\"feedback_draft\">");
		html_text(b, T(r, "Save the draft"));
		html_lit(b,
		         "</button><button class=\"utrecht-button utrecht-button--primary-action\" "
		         "type=\"submit\" name=\"action\" value=\"feedback_sent\">");
		html_text(b, T(r, "Send and record"));
		html_lit(b, "</button></div></form></section>");
	}
}

static void close_section(struct req *r, long long tid, long long cid)
{
	page_h2(r, "afsluiten", T(r, "Close the conversation"));
	form_open(r, conv_path(r, tid, cid, "/verloop"));
	hidden(r, "action", "close");
	page_textarea_field(r, "reason", T(r, "Reason (needed while people wait for feedback)"),
	                    NULL, NULL, 2, NULL);
	submit(r, T(r, "Close the conversation"), 0);
	html_lit(&r->out, "</form>");
}

/* 1 when the user's role may take a story with a client (the roles of
 * POST /verzamelingen/{id}/opnemen in routes.c). */
static int may_take_story(struct req *r)
{
	return route_allows(r, "POST", "/verzamelingen/{id}/opnemen");
}

/* A talk can also give stories: the trajectory's open collections, each a
 * link to taking a story with the person at the table. */
static void stories_section(struct req *r, json_t *c)
{
	json_t *colls = json_object_get(c, "trajectory_collections");
	size_t i, open = 0;
	json_t *k;
	json_array_foreach(colls, i, k) open += !page_jint(k, "closed");
	if (!open || !may_take_story(r))
		return;
	buf *b = &r->out;
	page_h2(r, "verhalen", T(r, "Stories from this talk"));
	page_para(r, NULL,
	          T(r, "Take a person's story with the trajectory's questions, with them at the "
	               "table. It is stored in the collection, apart from the notes."));
	html_lit(b, "<ul class=\"utrecht-unordered-list\">");
	json_array_foreach(colls, i, k)
	{
		if (page_jint(k, "closed"))
			continue;
		char href[64];
		snprintf(href, sizeof href, "/verzamelingen/%lld/opnemen", page_jint(k, "id"));
		html_lit(b, "<li><a class=\"utrecht-link\" href=\"");
		html_attr(b, href);
		html_lit(b, "\">");
		html_text(b, T(r, "Take a story:"));
		html_lit(b, " ");
		html_text(b, page_jstr(k, "title"));
		html_lit(b, "</a></li>");
	}
	html_lit(b, "</ul>");
}

static int render(struct req *r, json_t *c, long long tid, long long cid, const char *error,
                  int status)
{
	buf *b = &r->out;
	if (json_is_object(json_object_get(c, "mirror")))
		return page_mirror_render(r, c, tid, cid, error, status);
	page_begin(r, page_jstr(c, "title"));
	char back[64];
	snprintf(back, sizeof back, "/trajecten/%lld#gesprekken", tid);
	page_link_para(r, back, page_jstr(c, "trajectory_title"));
	page_h1(r, page_jstr(c, "title"));
	const char *ok = ok_message(r);
	if (error)
		page_alert(r, "error", error);
	else if (ok)
		page_alert(r, "ok", ok);
	int open = strcmp(page_jstr(c, "status"), "closed") != 0 && status != 404;
	html_lit(b, "<p class=\"utrecht-paragraph vp-lead\">");
	html_text(b, T(r, "Status:"));
	html_lit(b, " <strong>");
	html_text(b, conversation_status_text(r, page_jstr(c, "status")));
	html_lit(b, "</strong>. ");
	html_text(b, next_step(r, page_jstr(c, "status")));
	html_lit(b, "</p>");
	people_section(r, c, tid, cid, open);
	if (open)
		invitation_section(r, c, tid, cid);
	appointment_section(r, c, tid, cid, open);
	talk_section(r, c, tid, cid, open);
	if (open)
		stories_section(r, c);
	feedback_section(r, c, tid, cid, open);
	if (open)
		close_section(r, tid, cid);
	page_end(r);
	return status;
}

/* Opening the page shows contact data: each person shown is logged in the
 * access log first (one entry each, with their participant code). */
static int view_log_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct conv_job *j = r->hctx;
	return page_audit_views(d, r, json_object_get(j->view, "people"), "conversation_person");
}

/* What the page shows beside the conversation itself: its trajectory's
 * title and missing preconditions, and for each person without feedback
 * the draft made from their points. */
static int add_context(struct req *r, json_t *c, int64_t tid, int64_t cid)
{
	json_t *t = NULL;
	if (trajectory_get_json(req_db(r), r->app->org_id, tid, &t) != DB_ROW)
		return -1;
	json_object_set(c, "trajectory_title", json_object_get(t, "title"));
	json_object_set(c, "trajectory_missing", json_object_get(t, "missing"));
	json_object_set(c, "trajectory_collections", json_object_get(t, "collections"));
	json_object_set(c, "material_token", json_object_get(t, "material_token"));
	json_object_set(c, "material_alt", json_object_get(t, "material_alt"));
	json_decref(t);
	struct upload u;
	if (*page_jstr(c, "material_token") &&
	    upload_by_token(req_db(r), page_jstr(c, "material_token"), &u) == DB_ROW) {
		json_object_set_new(c, "material_width", json_integer(u.width));
		json_object_set_new(c, "material_height", json_integer(u.height));
	}
	/* A refused invitation shows the text as it was typed: nothing is lost. */
	const char *posted = req_form(r, "invitation-text");
	size_t plen = strlen(r->path), tail = strlen("/uitnodigen");
	if (posted && plen > tail && strcmp(r->path + plen - tail, "/uitnodigen") == 0)
		json_object_set_new(c, "invitation", json_string(posted));
	if (!*page_jstr(c, "invitation")) {
		buf draft;
		buf_init(&draft);
		if (conversation_invitation_draft(req_db(r), cid, &draft) == DB_OK && draft.data)
			json_object_set_new(c, "invitation", json_string(draft.data));
		buf_free(&draft);
	}
	if (!json_integer_value(json_object_get(c, "held_at")))
		return 0;
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(c, "people"), i, p)
	{
		if (*page_jstr(p, "feedback")) {
			json_object_set(p, "feedback_draft", json_object_get(p, "feedback"));
			continue;
		}
		buf d;
		buf_init(&d);
		int rc = conversation_feedback_draft(req_db(r), cid, page_jint(p, "id"), &d);
		json_object_set_new(p, "feedback_draft",
		                    json_string(rc == DB_OK && d.data ? d.data : ""));
		buf_free(&d);
		if (rc != DB_OK)
			return -1;
	}
	return 0;
}

struct view_state {
	struct conv_job j;
	const char *error;
	int status;
};

static int view_then(struct req *r)
{
	struct view_state *v = r->hctx;
	json_t *c = v->j.view;
	if (r->write_rc != 0) {
		json_decref(c);
		return web_error(r, 503, NULL);
	}
	int st = render(r, c, v->j.tid, v->j.cid, v->error, v->status);
	json_decref(c);
	return st;
}

/* Shows the conversation (after logging the view), with error and status
 * when a change was refused. */
static int show(struct req *r, const char *error, int status)
{
	struct view_state *v = arena_zalloc(r->a, sizeof *v);
	v->j.cid = route_ids(r, &v->j.tid);
	v->error = error;
	v->status = status;
	int rc = v->j.cid ? conversation_get_json(req_db(r), r->app->vault, v->j.tid, v->j.cid,
	                                          &v->j.view)
	                  : DB_DONE;
	if (rc != DB_ROW)
		return web_error(r, rc == DB_DONE ? 404 : 503, NULL);
	if (page_mirror_context(r, v->j.view, v->j.tid, v->j.cid) != 0 ||
	    add_context(r, v->j.view, v->j.tid, v->j.cid) != 0) {
		json_decref(v->j.view);
		return web_error(r, 503, NULL);
	}
	r->hctx = v;
	if (json_array_size(json_object_get(v->j.view, "people")) == 0) {
		r->write_rc = 0;
		return view_then(r);
	}
	return req_write(r, view_log_write, view_then);
}

int page_conversation(struct req *r)
{
	/* A mirror conversation has its own path, a kitchen-table one too. */
	int64_t tid = 0, cid = route_ids(r, &tid);
	char kind[16];
	int rc = cid ? mirror_kind_of(req_db(r), tid, cid, kind) : DB_DONE;
	if (rc == DB_ROW &&
	    (strcmp(kind, "mirror") == 0) != (strstr(r->path, "/spiegelgesprekken/") != NULL)) {
		char to[96];
		snprintf(to, sizeof to, "/trajecten/%lld/%s/%lld", (long long)tid,
		         strcmp(kind, "mirror") == 0 ? "spiegelgesprekken" : "gesprekken",
		         (long long)cid);
		return req_redirect(r, to);
	}
	return show(r, NULL, 200);
}

/* ---- changes ------------------------------------------------------------- */

static int person_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct conv_job *j = r->hctx;
	int rc = conversation_person_write(d, &j->p);
	if (rc == DB_OK && j->p.result == CONV_OK)
		rc = page_audit_one(d, r, "create", "conversation_person", j->p.id, j->p.code);
	return rc;
}

static int after_change(struct req *r, int result, const char *ok)
{
	struct conv_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (result == CONV_NOT_FOUND)
		return web_error(r, 404, NULL);
	if (result != CONV_OK)
		return show(r, result_message(r, result), 409);
	char tail[32];
	snprintf(tail, sizeof tail, "?ok=%s", ok);
	return req_redirect(r, conv_path(r, j->tid, j->cid, tail));
}

static int person_then(struct req *r)
{
	struct conv_job *j = r->hctx;
	return after_change(r, j->p.result, "person");
}

int page_conversation_person(struct req *r)
{
	struct conv_job *j = arena_zalloc(r->a, sizeof *j);
	j->cid = route_ids(r, &j->tid);
	if (!j->cid)
		return web_error(r, 404, NULL);
	j->p = (struct conversation_person_new){.v = r->app->vault,
	                                        .trajectory_id = j->tid,
	                                        .conversation_id = j->cid,
	                                        .kind = page_form_trimmed(r, "kind"),
	                                        .name = page_form_trimmed(r, "name"),
	                                        .email = page_form_trimmed(r, "email"),
	                                        .phone = page_form_trimmed(r, "phone"),
	                                        .address = page_form_trimmed(r, "address")};
	const char *bad = conversation_person_check(&j->p);
	if (bad)
		return show(r, T(r, bad), 422);
	r->hctx = j;
	return req_write(r, person_write, person_then);
}

/* The appointment and its calendar invitation (an update when it moved). */
static int appointment_write(db *d, void *ctx)
{
	struct conv_job *j = ((struct req *)ctx)->hctx;
	int rc = conversation_appointment_write(d, &j->ap);
	if (rc == DB_OK && j->ap.result == CONV_OK)
		rc = conversation_mail_appointment(d, &j->mail, j->cid, &j->mailed);
	return rc;
}

static int appointment_then(struct req *r)
{
	struct conv_job *j = r->hctx;
	return after_change(r, j->ap.result, "appointment");
}

int page_conversation_appointment(struct req *r)
{
	struct conv_job *j = arena_zalloc(r->a, sizeof *j);
	j->cid = route_ids(r, &j->tid);
	if (!j->cid)
		return web_error(r, 404, NULL);
	struct appointment_fields *a = &j->ap.a;
	int64_t minutes = 60;
	const char *m = page_form_trimmed(r, "minutes");
	if (when_parse_local(page_form_trimmed(r, "starts"), &a->starts_at) != 0)
		return show(
		        r,
		        T(r, "Give the date and time of the talk, for example 2026-03-01 14:30."),
		        422);
	if (*m && (util_parse_i64(m, &minutes) || minutes < 5 || minutes > 600))
		return show(r, T(r, "A talk lasts 5 to 600 minutes."), 422);
	a->minutes = (int)minutes;
	a->place_kind = page_form_trimmed(r, "place_kind");
	a->place = page_form_trimmed(r, "place");
	a->official_user_id = r->sess.user.id;
	const char *remind = page_form_trimmed(r, "remind");
	int64_t rm = -1;
	if (*remind && (util_parse_i64(remind, &rm) || rm < 0 || rm > 43200))
		return show(r, T(r, "Choose when the reminder goes out."), 422);
	a->remind_minutes = (int)rm;
	const char *bad = appointment_check(a, clock_now());
	if (bad)
		return show(r, T(r, bad), 422);
	j->ap.trajectory_id = j->tid;
	j->ap.conversation_id = j->cid;
	j->mail = mail_of(r);
	r->hctx = j;
	return req_write(r, appointment_write, appointment_then);
}

/* A change; feedback recorded as sent by e-mail is queued with it. */
/* The person of a conversation (JSON), with their contact data, or NULL. */
static json_t *person_of(json_t *c, int64_t person_id)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(c, "people"), i, p)
	{
		if (page_jint(p, "id") == person_id)
			return p;
	}
	return NULL;
}

static int change_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct conv_job *j = r->hctx;
	int rc = conversation_change_write(d, &j->ch);
	/* Feedback by letter: the letter shows the name and address, so it is
	 * read (and its reading logged) with the change. */
	if (rc == DB_OK && j->ch.result == CONV_OK && j->ch.action == CONV_ACT_FEEDBACK_SENT &&
	    j->ch.channel && strcmp(j->ch.channel, "letter") == 0) {
		rc = conversation_get_json(d, r->app->vault, j->tid, j->cid, &j->view);
		rc = rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
		json_t *p = rc == DB_OK ? person_of(j->view, j->ch.person_id) : NULL;
		if (p)
			rc = page_audit_one(d, r, "view", "conversation_person", j->ch.person_id,
			                    page_jstr(p, "participant_code"));
	}
	if (rc == DB_OK && j->ch.result == CONV_OK && j->ch.action == CONV_ACT_FEEDBACK_SENT &&
	    j->ch.channel && strcmp(j->ch.channel, "email") == 0)
		rc = conversation_mail_feedback(d, &j->mail, j->cid, j->ch.person_id, &j->mailed);
	if (rc == DB_OK && j->ch.result == CONV_OK && j->ch.action == CONV_ACT_CANCEL_APPOINTMENT)
		rc = conversation_mail_appointment(d, &j->mail, j->cid, &j->mailed);
	return rc;
}

/* The feedback letter, ready to print: address block, date, the text. */
static int feedback_letter(struct req *r, struct conv_job *j)
{
	json_t *p = person_of(j->view, j->ch.person_id);
	buf *b = &r->out;
	page_begin(r, T(r, "Letter to print"));
	page_link_para(r, conv_path(r, j->tid, j->cid, "#terugkoppeling"),
	               T(r, "Back to the conversation"));
	page_h1(r, T(r, "Letter to print"));
	page_alert(r, "ok",
	           T(r, "The feedback is recorded as sent. Print this letter and post it."));
	html_lit(b, "<article class=\"vp-letter\"><p class=\"utrecht-paragraph\">");
	if (p) {
		html_text(b, page_jstr(p, "name"));
		html_lit(b, "<br>");
		html_text(b, page_jstr(p, "address"));
	}
	html_lit(b, "</p><p class=\"utrecht-paragraph\">");
	char when[80];
	when_text(clock_now(), "nl", when, sizeof when);
	html_text(b, when);
	html_lit(b, "</p>");
	script_paragraphs(r, j->ch.text, NULL);
	html_lit(b, "</article>");
	page_end(r);
	json_decref(j->view);
	return 200;
}

static int change_then(struct req *r)
{
	struct conv_job *j = r->hctx;
	if (r->write_rc == 0 && j->ch.result == CONV_OK && j->view)
		return feedback_letter(r, j);
	json_decref(j->view);
	j->view = NULL;
	static const char *const oks[] = {"held",     "note", "point",  "decided",
	                                  "feedback", "sent", "closed", "cancelled"};
	_Static_assert(sizeof oks / sizeof *oks == CONV_ACT_CANCEL_APPOINTMENT + 1,
	               "one message per action");
	return after_change(r, j->ch.result, oks[j->ch.action]);
}

/* POST .../verloop: action held, note, point, decide, feedback_draft,
 * feedback_sent, close, with their fields. */
int page_conversation_change(struct req *r)
{
	struct conv_job *j = arena_zalloc(r->a, sizeof *j);
	j->cid = route_ids(r, &j->tid);
	if (!j->cid)
		return web_error(r, 404, NULL);
	struct conversation_change *c = &j->ch;
	c->trajectory_id = j->tid;
	c->conversation_id = j->cid;
	c->user_id = r->sess.user.id;
	const char *action = page_form_trimmed(r, "action");
	static const char *const actions[] = {"held",           "note",          "point", "decide",
	                                      "feedback_draft", "feedback_sent", "close", "cancel"};
	static const int codes[] = {CONV_ACT_HELD,           CONV_ACT_NOTE,
	                            CONV_ACT_POINT,          CONV_ACT_DECIDE,
	                            CONV_ACT_FEEDBACK_DRAFT, CONV_ACT_FEEDBACK_SENT,
	                            CONV_ACT_CLOSE,          CONV_ACT_CANCEL_APPOINTMENT};
	int found = 0;
	for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
		if (strcmp(action, actions[i]) == 0) {
			c->action = codes[i];
			found = 1;
		}
	if (!found)
		return show(r, T(r, "Choose what to do."), 422);
	char key[48];
	const char *person = page_form_trimmed(r, "person"), *point = page_form_trimmed(r, "point");
	if (*person && util_parse_i64(person, &c->person_id))
		return show(r, T(r, "Choose a person from the list."), 422);
	if (*point && util_parse_i64(point, &c->point_id))
		return web_error(r, 404, NULL);
	switch (c->action) {
	case CONV_ACT_NOTE: {
		c->text = page_form_trimmed(r, "note-text");
		const char *px = page_form_trimmed(r, "pin_x"), *py = page_form_trimmed(r, "pin_y");
		if (*px || *py) {
			char *ex = NULL, *ey = NULL;
			c->has_pin = 1;
			c->pin_x = strtod(px, &ex);
			c->pin_y = strtod(py, &ey);
			if (!*px || !*py || *ex || *ey || ex == px || ey == py)
				return show(r,
				            T(r, "Give numbers from 0 to 100 for the place on the "
				                 "picture."),
				            422);
		}
		break;
	}
	case CONV_ACT_POINT:
		c->text = page_form_trimmed(r, "point-text");
		c->theme = page_form_trimmed(r, "theme");
		break;
	case CONV_ACT_DECIDE:
		snprintf(key, sizeof key, "decision-%s", point);
		c->decision = page_form_trimmed(r, key);
		snprintf(key, sizeof key, "reason-%s", point);
		c->reason = page_form_trimmed(r, key);
		break;
	case CONV_ACT_FEEDBACK_DRAFT:
	case CONV_ACT_FEEDBACK_SENT:
		snprintf(key, sizeof key, "feedback-%s", person);
		c->text = page_form_trimmed(r, key);
		snprintf(key, sizeof key, "channel-%s", person);
		c->channel = page_form_trimmed(r, key);
		break;
	case CONV_ACT_CLOSE: c->reason = page_form_trimmed(r, "reason"); break;
	default: break;
	}
	const char *bad = conversation_change_check(c);
	if (bad)
		return show(r, T(r, bad), 422);
	j->mail = mail_of(r);
	r->hctx = j;
	return req_write(r, change_write, change_then);
}

/* ---- invitations --------------------------------------------------------- */

/* The invitations and, by e-mail, their messages: one transaction, so
 * nobody is marked invited without their message queued. */
static int invite_write(db *d, void *ctx)
{
	struct conv_job *j = ((struct req *)ctx)->hctx;
	int rc = conversation_invite_write(d, &j->inv);
	if (rc == DB_OK && j->inv.result == CONV_OK && strcmp(j->inv.channel, "email") == 0)
		rc = conversation_mail_invitations(d, &j->mail, &j->inv, &j->mailed);
	return rc;
}

/* The letters: one A4 page per person with the invitation and the personal
 * link; the links are shown only now. E-mail goes through the outbox. */
static int invite_then(struct req *r)
{
	struct conv_job *j = r->hctx;
	struct conversation_invite *inv = &j->inv;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (inv->result == CONV_NOT_FOUND)
		return web_error(r, 404, NULL);
	if (inv->result != CONV_OK)
		return show(r, result_message(r, inv->result), 409);
	if (strcmp(inv->channel, "letter") != 0) {
		for (int i = 0; i < inv->n; i++)
			sodium_memzero(inv->email[i], sizeof inv->email[i]);
		return req_redirect(r, conv_path(r, j->tid, j->cid, "?ok=invited"));
	}
	buf *b = &r->out;
	page_begin(r, T(r, "Invitations to print"));
	page_link_para(r, conv_path(r, j->tid, j->cid, NULL), T(r, "Back to the conversation"));
	page_h1(r, T(r, "Invitations to print"));
	page_alert(r, "warning",
	           T(r, "Print these letters now: the personal links are shown only once."));
	for (int i = 0; i < inv->n; i++) {
		html_lit(b, "<article class=\"vp-letter\">");
		if (*inv->name[i]) {
			html_lit(b, "<p class=\"utrecht-paragraph\">");
			html_text(b, T(r, "Dear"));
			html_lit(b, " ");
			html_text(b, inv->name[i]);
			html_lit(b, ",</p>");
		}
		script_paragraphs(r, inv->text, NULL);
		char path[80];
		snprintf(path, sizeof path, "/uitnodiging/%s", inv->token[i]);
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "Answer with your personal link:"));
		html_lit(b, "<br><strong class=\"vp-link-text\">");
		html_text(b, page_absolute_url(r, path));
		html_lit(b, "</strong></p></article>");
		sodium_memzero(inv->token[i], sizeof inv->token[i]);
		sodium_memzero(inv->email[i], sizeof inv->email[i]);
	}
	page_end(r);
	return 200;
}

int page_conversation_invite(struct req *r)
{
	struct conv_job *j = arena_zalloc(r->a, sizeof *j);
	j->cid = route_ids(r, &j->tid);
	if (!j->cid)
		return web_error(r, 404, NULL);
	j->inv = (struct conversation_invite){.v = r->app->vault,
	                                      .trajectory_id = j->tid,
	                                      .conversation_id = j->cid,
	                                      .channel = page_form_trimmed(r, "channel"),
	                                      .text = page_form_trimmed(r, "invitation-text")};
	const char *bad = conversation_invite_check(&j->inv);
	if (bad)
		return show(r, T(r, bad), 422);
	j->mail = mail_of(r);
	r->hctx = j;
	return req_write(r, invite_write, invite_then);
}

/* ---- the personal link (public) ------------------------------------------ */

static int invitation_page(struct req *r, const char *error, int status)
{
	const char *token = req_param(r, 0);
	json_t *c = NULL;
	int rc = conversation_token_valid(token)
	                 ? conversation_by_token_json(req_db(r), token, clock_now(), &c)
	                 : DB_DONE;
	if (rc != DB_ROW)
		return web_error(r, rc == DB_DONE ? 404 : 503,
		                 rc == DB_DONE ? N_("This link is not known or has expired. Please "
		                                    "contact the municipality.")
		                               : NULL);
	buf *b = &r->out;
	/* A personal link: not for search engines, not for other sites. */
	req_set_header(r, "Referrer-Policy", "no-referrer");
	req_set_header(r, "X-Robots-Tag", "noindex");
	json_t *t = json_object_get(c, "trajectory"), *me = json_object_get(c, "answer");
	page_begin(r, page_jstr(t, "title"));
	page_h1(r, page_jstr(t, "title"));
	const char *ok = ok_message(r);
	if (error)
		page_alert(r, "error", error);
	else if (ok)
		page_alert(r, "ok", ok);
	script_paragraphs(r, page_jstr(c, "invitation"), NULL);
	html_lit(b, "<dl class=\"vp-dl\">");
	const char *terms[] = {N_("What may be discussed, and what happens with it"),
	                       N_("Why we ask you"), N_("How you can get in touch")};
	const char *keys[] = {"scope", "selection_rationale", "contact_route"};
	for (int i = 0; i < 3; i++) {
		if (!*page_jstr(t, keys[i]))
			continue;
		html_lit(b, "<div class=\"vp-dl-row\"><dt>");
		html_text(b, T(r, terms[i]));
		html_lit(b, "</dt><dd>");
		script_paragraphs(r, page_jstr(t, keys[i]), NULL);
		html_lit(b, "</dd></div>");
	}
	json_t *a = json_object_get(c, "appointment");
	if (json_is_object(a)) {
		char when[80];
		when_text(page_jint(a, "starts_at"), r->lang, when, sizeof when);
		html_lit(b, "<div class=\"vp-dl-row\"><dt>");
		html_text(b, T(r, "When"));
		html_lit(b, "</dt><dd>");
		html_text(b, when);
		html_lit(b, "</dd></div>");
	}
	html_lit(b, "</dl>");
	page_h2(r, "antwoord", T(r, "Your answer"));
	const char *resp = page_jstr(me, "response");
	if (strcmp(resp, "none") != 0) {
		html_lit(b, "<p class=\"utrecht-paragraph\">");
		html_text(b, T(r, "Your answer so far:"));
		html_lit(b, " ");
		html_text(b, response_label(r, resp));
		html_lit(b, ". ");
		html_text(b, T(r, "You can change it."));
		html_lit(b, "</p>");
	}
	char action[80];
	snprintf(action, sizeof action, "/uitnodiging/%s", token);
	form_open(r, action);
	html_lit(b, "<fieldset class=\"utrecht-form-fieldset\"><legend "
	            "class=\"utrecht-form-fieldset__legend "
	            "utrecht-form-fieldset__legend--html-legend\">");
	html_text(b, T(r, "Do you take part?"));
	html_lit(b, "</legend>");
	static const char *const values[] = {"accepted", "other_time", "declined"};
	static const char *const labels[] = {N_("Yes, I take part"), N_("Yes, but at another time"),
	                                     N_("No, I do not take part")};
	for (int i = 0; i < 3; i++) {
		html_lit(b,
		         "<div class=\"utrecht-form-field utrecht-form-field--radio\"><div "
		         "class=\"utrecht-form-field__input\"><input class=\"utrecht-radio-button "
		         "utrecht-radio-button--html-input\" type=\"radio\" name=\"response\" "
		         "id=\"r-");
		html_attr(b, values[i]);
		html_lit(b, "\" value=\"");
		html_attr(b, values[i]);
		html_lit(b, "\"");
		if (strcmp(resp, values[i]) == 0 || (i == 0 && strcmp(resp, "none") == 0))
			html_lit(b, " checked");
		html_lit(b,
		         "><label class=\"utrecht-form-label utrecht-form-label--radio\" for=\"r-");
		html_attr(b, values[i]);
		html_lit(b, "\">");
		html_text(b, T(r, labels[i]));
		html_lit(b, "</label></div></div>");
	}
	html_lit(b, "</fieldset>");
	page_textarea_field(r, "note",
	                    T(r, "Which time suits you, or anything else we should know"),
	                    T(r, "Not needed. Please do not write about your health here."),
	                    page_jstr(me, "note"), 3, NULL);
	submit(r, T(r, "Send my answer"), 1);
	html_lit(b, "</form>");
	json_decref(c);
	page_end(r);
	return status;
}

int page_invitation(struct req *r)
{
	return invitation_page(r, NULL, 200);
}

static int answer_write(db *d, void *ctx)
{
	struct conv_job *j = ((struct req *)ctx)->hctx;
	return conversation_answer_write(d, &j->ans);
}

static int answer_then(struct req *r)
{
	struct conv_job *j = r->hctx;
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	if (j->ans.result != CONV_OK)
		return web_error(r, 404,
		                 N_("This link is not known or has expired. Please contact the "
		                    "municipality."));
	char back[80];
	snprintf(back, sizeof back, "/uitnodiging/%s?ok=answered", j->ans.token);
	return req_redirect(r, back);
}

int page_invitation_answer(struct req *r)
{
	struct conv_job *j = arena_zalloc(r->a, sizeof *j);
	const char *token = req_param(r, 0);
	if (!conversation_token_valid(token))
		return web_error(r, 404, NULL);
	j->ans = (struct conversation_answer){.token = arena_strdup(r->a, token),
	                                      .response = page_form_trimmed(r, "response"),
	                                      .note = page_form_trimmed(r, "note")};
	const char *bad = conversation_answer_check(&j->ans);
	if (bad)
		return invitation_page(r, T(r, bad), 422);
	r->hctx = j;
	return req_write(r, answer_write, answer_then);
}

/* ---- what needs doing ---------------------------------------------------- */

/* The open conversations with their next step, earliest step first. */
static void todo_section(struct req *r, json_t *todo)
{
	buf *b = &r->out;
	page_h2(r, "te-doen", T(r, "Conversations and their next step"));
	if (json_array_size(todo) == 0) {
		page_para(r, NULL, T(r, "No open conversations."));
		return;
	}
	html_lit(b, "<ul class=\"vp-cards\">");
	size_t i;
	json_t *c;
	json_array_foreach(todo, i, c)
	{
		html_lit(b, "<li class=\"vp-card\"><h3 class=\"utrecht-heading-3\"><a "
		            "class=\"utrecht-link\" href=\"");
		html_attr(b, conv_path(r, page_jint(c, "trajectory_id"),
		                       page_jint(c, "conversation_id"), NULL));
		html_lit(b, "\">");
		html_text(b, page_jstr(c, "conversation_title"));
		html_lit(b, "</a></h3><p class=\"utrecht-paragraph vp-muted\">");
		html_text(b, page_jstr(c, "trajectory_title"));
		html_lit(b, " · ");
		html_text(b, conversation_status_text(r, page_jstr(c, "status")));
		if (json_is_integer(json_object_get(c, "starts_at"))) {
			char when[80];
			when_text(page_jint(c, "starts_at"), r->lang, when, sizeof when);
			html_lit(b, " · ");
			html_text(b, when);
		}
		html_lit(b, "</p><p class=\"utrecht-paragraph\">");
		html_text(b, next_step(r, page_jstr(c, "status")));
		html_lit(b, "</p></li>");
	}
	html_lit(b, "</ul>");
}

/* GET /gesprekken: open feedback loops (longest wait first) of the
 * trajectories the user sees. */
int page_conversations_todo(struct req *r)
{
	json_t *loops = NULL;
	if (conversation_open_loops_json(req_db(r), r->app->org_id,
	                                 trajectory_viewer(&r->sess.user), clock_now(),
	                                 &loops) != DB_OK) {
		json_decref(loops);
		return web_error(r, 503, NULL);
	}
	json_t *todo = NULL;
	if (conversation_todo_json(req_db(r), r->app->org_id, trajectory_viewer(&r->sess.user),
	                           &todo) != DB_OK) {
		json_decref(todo);
		json_decref(loops);
		return web_error(r, 503, NULL);
	}
	buf *b = &r->out;
	page_begin(r, T(r, "Conversations"));
	page_h1(r, T(r, "Conversations"));
	todo_section(r, todo);
	json_decref(todo);
	page_h2(r, "wachten", T(r, "Waiting for feedback"));
	page_para(r, "vp-lead",
	          T(r, "People who talked with us and have not heard back yet. The longest wait "
	               "is at the top."));
	if (json_array_size(loops) == 0)
		page_para(r, NULL, T(r, "Everyone has heard back."));
	else {
		page_table_wrap(r, T(r, "Open feedback"));
		html_lit(b, "<table class=\"utrecht-table\"><thead "
		            "class=\"utrecht-table__header\"><tr "
		            "class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" "
		            "scope=\"col\">");
		html_text(b, T(r, "Conversation"));
		html_lit(b, "</th><th class=\"utrecht-table__header-cell\" scope=\"col\">");
		html_text(b, T(r, "Participant code"));
		html_lit(b, "</th><th class=\"utrecht-table__header-cell\" scope=\"col\">");
		html_text(b, T(r, "Days waiting"));
		html_lit(b, "</th></tr></thead><tbody class=\"utrecht-table__body\">");
		size_t i;
		json_t *l;
		json_array_foreach(loops, i, l)
		{
			html_lit(b, "<tr class=\"utrecht-table__row\"><td "
			            "class=\"utrecht-table__cell\"><a "
			            "class=\"utrecht-link\" href=\"");
			html_attr(b, conv_path(r, page_jint(l, "trajectory_id"),
			                       page_jint(l, "conversation_id"), "#terugkoppeling"));
			html_lit(b, "\">");
			html_text(b, page_jstr(l, "conversation_title"));
			html_lit(b, "</a> (");
			html_text(b, page_jstr(l, "trajectory_title"));
			html_lit(b, ")</td><td class=\"utrecht-table__cell\">");
			html_text(b, page_jstr(l, "participant_code"));
			html_lit(b, "</td><td class=\"utrecht-table__cell\">");
			html_int(b, page_jint(l, "days"));
			html_lit(b, "</td></tr>");
		}
		html_lit(b, "</tbody></table></div>");
	}
	json_decref(loops);
	page_end(r);
	return 200;
}

/* ---- shared with other pages (pages.h) ----------------------------------- */

void page_form_open(struct req *r, const char *action)
{
	form_open(r, action);
}

void page_submit(struct req *r, const char *text, int primary)
{
	submit(r, text, primary);
}

void page_hidden(struct req *r, const char *name, const char *value)
{
	hidden(r, name, value);
}

void page_select_field(struct req *r, const char *id, const char *label, const char *const *values,
                       const char *const *labels, int n, const char *selected)
{
	select_field(r, id, label, values, labels, n, selected);
}

void conversation_mail_for(struct req *r, struct conversation_mail *out)
{
	*out = mail_of(r);
}

/* ---- shared with the pages of other kinds of conversation ------------------ */

const char *conv_page_path(struct req *r, long long tid, long long cid, const char *tail)
{
	return conv_path(r, tid, cid, tail);
}

const char *conv_page_typed(struct req *r, const char *tail, const char *action, const char *field)
{
	return typed(r, tail, action, field);
}

void conv_page_people(struct req *r, json_t *c, long long tid, long long cid, int open)
{
	people_section(r, c, tid, cid, open);
}

void conv_page_invitation(struct req *r, json_t *c, long long tid, long long cid)
{
	invitation_section(r, c, tid, cid);
}

void conv_page_appointment(struct req *r, json_t *c, long long tid, long long cid, int open)
{
	appointment_section(r, c, tid, cid, open);
}

void conv_page_close(struct req *r, long long tid, long long cid)
{
	close_section(r, tid, cid);
}

const char *conv_page_ok_message(struct req *r)
{
	return ok_message(r);
}

const char *conv_page_result_message(struct req *r, int result)
{
	return result_message(r, result);
}

int conv_page_show(struct req *r, const char *error, int status)
{
	return show(r, error, status);
}
