/* dialogue_mail.c: the e-mail of dialogue tables, queued in the outbox with the change it belongs to: the confirmation of a registration with the calendar invitation, the waiting-list message, the message of a place that came free, and the reminders before each session. */
#include "model/dialogue_mail.h"

#include "core/buf.h"
#include "core/clock.h"
#include "io/ical.h"
#include "io/when.h"
#include "model/dialogue.h"
#include "model/outbox.h"
#include "model/participant.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* A registration with its session and trajectory, as a message needs it. */
struct reg {
	int64_t id, session_id, participant_id, starts_at;
	int minutes, number, wait_position;
	char status[16];
	char uid[100];
	buf title, place, url, subject_of, contact;
};

static void reg_free(struct reg *g)
{
	buf_free(&g->title);
	buf_free(&g->place);
	buf_free(&g->url);
	buf_free(&g->subject_of);
	buf_free(&g->contact);
}

static int reg_load(db *d, int64_t registration_id, struct reg *g)
{
	memset(g, 0, sizeof *g);
	buf_init(&g->title);
	buf_init(&g->place);
	buf_init(&g->url);
	buf_init(&g->subject_of);
	buf_init(&g->contact);
	db_stmt *s = db_prepare(
	        d, "SELECT r.id, r.session_id, coalesce(r.participant_id, 0), s.starts_at, "
	           "s.minutes, s.number, coalesce(r.wait_position, 0), r.status, s.ical_uid, "
	           "s.title, s.place, s.online_url, t.title, t.contact_route FROM "
	           "dialogue_registrations r JOIN dialogue_sessions s ON s.id = r.session_id JOIN "
	           "trajectories t ON t.id = s.trajectory_id WHERE r.id = :r");
	db_bind_int(s, "r", registration_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		g->id = db_col_int(s, 0);
		g->session_id = db_col_int(s, 1);
		g->participant_id = db_col_int(s, 2);
		g->starts_at = db_col_int(s, 3);
		g->minutes = (int)db_col_int(s, 4);
		g->number = (int)db_col_int(s, 5);
		g->wait_position = (int)db_col_int(s, 6);
		snprintf(g->status, sizeof g->status, "%s", db_col_text(s, 7));
		snprintf(g->uid, sizeof g->uid, "%s", db_col_text(s, 8));
		buf_puts(&g->title, db_col_text(s, 9));
		buf_puts(&g->place, db_col_text(s, 10));
		buf_puts(&g->url, db_col_text(s, 11));
		buf_puts(&g->subject_of, db_col_text(s, 12));
		buf_puts(&g->contact, db_col_text(s, 13));
	}
	db_finalize(s);
	return rc;
}

static const char *str(const buf *b)
{
	return b->data ? b->data : "";
}

/* When and where, in plain Dutch. */
static void when_where(const struct reg *g, buf *b)
{
	char when[80];
	when_text(g->starts_at, "nl", when, sizeof when);
	buf_printf(b, "Gesprek %d: %s\nWanneer: %s (%d minuten)\n", g->number, str(&g->title), when,
	           g->minutes);
	if (g->place.len)
		buf_printf(b, "Waar: %s\n", str(&g->place));
	if (g->url.len)
		buf_printf(b,
		           "Online: %s\nHulp nodig bij het online meedoen? Laat het ons weten, dan "
		           "helpen we u voor het gesprek.\n",
		           str(&g->url));
}

/* Queues one message about g to its participant; kind: "registered",
 * "waiting", "promoted" or "reminder". */
static int send(db *d, const struct conversation_mail *m, const struct reg *g, const char *kind,
                int *queued)
{
	json_t *c = NULL;
	if (!g->participant_id || participant_contact_open(d, m->v, g->participant_id, &c) != DB_OK)
		return DB_OK; /* erased, or it does not open: no mail */
	const char *addr = json_string_value(json_object_get(c, "email"));
	const char *name = json_string_value(json_object_get(c, "name"));
	if (!addr || !*addr) {
		json_decref(c);
		return DB_OK;
	}
	buf body, subject, key, ics;
	buf_init(&body);
	buf_init(&subject);
	buf_init(&key);
	buf_init(&ics);
	buf_printf(&body, "Beste %s,\n\n", name && *name ? name : "deelnemer");
	int with_ics = 0;
	if (strcmp(kind, "registered") == 0) {
		buf_printf(&body,
		           "Dank u wel voor uw aanmelding voor de dialoogtafels over %s. U "
		           "doet mee aan:\n\n",
		           str(&g->subject_of));
		with_ics = 1;
		buf_printf(&subject, "Aangemeld: dialoogtafel %s", str(&g->subject_of));
	} else if (strcmp(kind, "waiting") == 0) {
		buf_printf(&body,
		           "Dank u wel voor uw aanmelding voor de dialoogtafels over %s. Het "
		           "gesprek is vol. U staat op de wachtlijst, op plaats %d. Komt er een "
		           "plaats vrij, dan krijgt u meteen bericht.\n\n",
		           str(&g->subject_of), g->wait_position);
		buf_printf(&subject, "Wachtlijst: dialoogtafel %s", str(&g->subject_of));
	} else if (strcmp(kind, "promoted") == 0) {
		buf_printf(&body,
		           "Er is een plaats vrijgekomen. U doet nu mee aan de dialoogtafels "
		           "over %s:\n\n",
		           str(&g->subject_of));
		with_ics = 1;
		buf_printf(&subject, "U kunt meedoen: dialoogtafel %s", str(&g->subject_of));
	} else {
		buf_printf(&body, "Graag herinneren we u aan de dialoogtafel over %s:\n\n",
		           str(&g->subject_of));
		buf_printf(&subject, "Herinnering: dialoogtafel %s", str(&g->subject_of));
	}
	when_where(g, &body);
	if (m->base_url && *m->base_url) {
		char token[DIALOGUE_CANCEL_TOKEN_LEN + 1];
		dialogue_cancel_token(m->v, g->id, token);
		buf_printf(&body,
		           "\nKunt u niet komen? Meld u dan af via deze link. Dan geven we uw "
		           "plaats aan iemand anders:\n%s/afmelden/%s\n",
		           m->base_url, token);
	}
	if (g->contact.len)
		buf_printf(&body, "\nKunt u niet, of heeft u vragen? %s\n", str(&g->contact));
	if (strcmp(kind, "reminder") == 0)
		buf_printf(&key, "dialogue:reminder:session:%lld:registration:%lld",
		           (long long)g->session_id, (long long)g->id);
	else
		buf_printf(&key, "dialogue:%s:registration:%lld", kind, (long long)g->id);
	struct ical_attendee who = {.addr = addr, .name = name && *name ? name : NULL};
	char summary[300];
	snprintf(summary, sizeof summary, "Dialoogtafel: %s", str(&g->title));
	struct ical_event ev = {.method = VP_ICAL_REQUEST,
	                        .uid = g->uid,
	                        .sequence = 0,
	                        .dtstamp = clock_now(),
	                        .start = g->starts_at,
	                        .end = g->starts_at + (int64_t)g->minutes * 60,
	                        .summary = summary,
	                        .description = g->contact.data,
	                        .location = g->place.len ? g->place.data : NULL,
	                        .url = g->url.len ? g->url.data : NULL,
	                        .organizer_addr = m->organizer,
	                        .attendees = &who,
	                        .nattendees = 1};
	char err[200];
	if (with_ics && ical_build(&ev, &ics, err, sizeof err) != 0)
		with_ics = 0;
	struct outbox_msg msg = {.purpose = strcmp(kind, "reminder") == 0 ? "reminder" : "dialogue",
	                         .dedup_key = key.data,
	                         .to_addr = addr,
	                         .to_name = name && *name ? name : NULL,
	                         .subject = subject.data,
	                         .body_text = body.data,
	                         .ics = with_ics ? ics.data : NULL,
	                         .ref_kind = "dialogue_registration",
	                         .ref_id = g->id};
	int rc = outbox_queue(d, m->v, &msg, NULL);
	if (rc == DB_OK && queued)
		(*queued)++;
	if (rc == DB_CONSTRAINT)
		rc = DB_OK; /* queued before: once is enough */
	buf_free(&body);
	buf_free(&subject);
	buf_free(&key);
	buf_free(&ics);
	json_decref(c);
	return rc;
}

int dialogue_mail_registration(db *d, const struct conversation_mail *m, int64_t registration_id,
                               int *queued)
{
	struct reg g;
	int rc = reg_load(d, registration_id, &g);
	if (rc == DB_ROW)
		rc = strcmp(g.status, "cancelled") == 0
		             ? DB_OK
		             : send(d, m, &g,
		                    strcmp(g.status, "waiting") == 0 ? "waiting" : "registered",
		                    queued);
	else if (rc == DB_DONE)
		rc = DB_OK;
	reg_free(&g);
	return rc;
}

int dialogue_mail_promoted(db *d, const struct conversation_mail *m, int64_t registration_id,
                           int *queued)
{
	struct reg g;
	int rc = reg_load(d, registration_id, &g);
	if (rc == DB_ROW)
		rc = strcmp(g.status, "registered") == 0 ? send(d, m, &g, "promoted", queued)
		                                         : DB_OK;
	else if (rc == DB_DONE)
		rc = DB_OK;
	reg_free(&g);
	return rc;
}

int dialogue_mail_reminders(db *d, const struct conversation_mail *m, int64_t now, int *queued)
{
	db_stmt *s = db_prepare(d, "SELECT id FROM dialogue_sessions WHERE reminded_at IS NULL AND "
	                           "starts_at > :now AND starts_at - :ahead <= :now ORDER BY "
	                           "starts_at LIMIT 50");
	db_bind_int(s, "now", now);
	db_bind_int(s, "ahead", DIALOGUE_REMIND_SECONDS);
	int64_t *sessions;
	size_t ns;
	int rc = db_collect_ids(s, &sessions, &ns);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	rc = DB_OK;
	for (size_t i = 0; i < ns && rc == DB_OK; i++) {
		s = db_prepare(d, "SELECT id FROM dialogue_registrations WHERE session_id = :s AND "
		                  "status = 'registered' ORDER BY id");
		db_bind_int(s, "s", sessions[i]);
		int64_t *regs;
		size_t nr;
		rc = db_collect_ids(s, &regs, &nr);
		db_finalize(s);
		if (rc != DB_DONE)
			break;
		rc = DB_OK;
		for (size_t k = 0; k < nr && rc == DB_OK; k++) {
			struct reg g;
			rc = reg_load(d, regs[k], &g);
			rc = rc == DB_ROW    ? send(d, m, &g, "reminder", queued)
			     : rc == DB_DONE ? DB_OK
			                     : rc;
			reg_free(&g);
		}
		free(regs);
		if (rc != DB_OK)
			break;
		s = db_prepare(d, "UPDATE dialogue_sessions SET reminded_at = :now WHERE id = :s");
		db_bind_int(s, "now", now);
		db_bind_int(s, "s", sessions[i]);
		rc = db_step(s);
		db_finalize(s);
		rc = rc == DB_DONE ? DB_OK : rc;
	}
	free(sessions);
	return rc;
}
