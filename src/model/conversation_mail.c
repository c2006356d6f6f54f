/* conversation_mail.c: the e-mail of kitchen-table conversations, queued in the outbox with the change it belongs to: invitations with the personal link, the calendar invitation and its updates, reminders before the talk, and the personal feedback. */
#include "model/conversation_mail.h"

#include "core/buf.h"
#include "core/clock.h"
#include "io/when.h"
#include "io/ical.h"
#include "model/outbox.h"
#include "model/participant.h"

#include <assert.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* "Beste Jan Plein," or "Beste deelnemer,". */
static void greeting(buf *b, const char *name)
{
	buf_puts(b, "Beste ");
	buf_puts(b, name && *name ? name : "deelnemer");
	buf_puts(b, ",\n\n");
}

static int queue(db *d, const struct conversation_mail *m, const struct outbox_msg *msg,
                 int *queued)
{
	int rc = outbox_queue(d, m->v, msg, NULL);
	if (rc == DB_OK && queued)
		(*queued)++;
	/* Queued before (the same dedup key): nothing more to do. */
	return rc == DB_CONSTRAINT ? DB_OK : rc;
}

/* The person's opened contact data; *out NULL when it does not open. */
static int contact_of(db *d, const vault *v, int64_t participant_id, json_t **out)
{
	*out = NULL;
	if (!participant_id)
		return DB_OK;
	int rc = participant_contact_open(d, v, participant_id, out);
	return rc == DB_ERROR ? DB_OK : rc; /* a value that does not open: no mail */
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

int conversation_mail_invitations(db *d, const struct conversation_mail *m,
                                  const struct conversation_invite *inv, int *queued)
{
	assert(m && inv && inv->result == CONV_OK);
	db_stmt *s = db_prepare(d, "SELECT t.title, t.contact_route FROM conversations c JOIN "
	                           "trajectories t ON t.id = c.trajectory_id WHERE c.id = :c");
	db_bind_int(s, "c", inv->conversation_id);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc == DB_DONE ? DB_ERROR : rc;
	}
	buf title, contact;
	buf_init(&title);
	buf_init(&contact);
	buf_puts(&title, db_col_text(s, 0));
	buf_puts(&contact, db_col_text(s, 1));
	db_finalize(s);
	rc = DB_OK;
	for (int i = 0; i < inv->n && rc == DB_OK; i++) {
		buf body, subject, key;
		buf_init(&body);
		buf_init(&subject);
		buf_init(&key);
		greeting(&body, inv->name[i]);
		buf_puts(&body, inv->text);
		buf_puts(&body, "\n\nGeef uw antwoord met uw persoonlijke link:\n");
		buf_printf(&body, "%s/uitnodiging/%s\n\n", m->base_url, inv->token[i]);
		char until[80];
		when_text(clock_now() + (int64_t)CONVERSATION_LINK_DAYS * 86400, "nl", until,
		          sizeof until);
		buf_printf(&body, "De link werkt tot %s. Geef de link niet aan anderen.\n", until);
		if (contact.len) {
			buf_puts(&body, "\nVragen? ");
			buf_puts(&body, contact.data);
			buf_puts(&body, "\n");
		}
		buf_printf(&subject, "Uitnodiging: %s", title.data ? title.data : "");
		buf_printf(&key, "invitation:person:%lld", (long long)inv->person_id[i]);
		struct outbox_msg msg = {.purpose = "invitation",
		                         .dedup_key = key.data,
		                         .to_addr = inv->email[i],
		                         .to_name = *inv->name[i] ? inv->name[i] : NULL,
		                         .subject = subject.data,
		                         .body_text = body.data,
		                         .ref_kind = "conversation",
		                         .ref_id = inv->conversation_id};
		rc = queue(d, m, &msg, queued);
		sodium_memzero(body.data, body.len); /* the link is a secret */
		buf_free(&body);
		buf_free(&subject);
		buf_free(&key);
	}
	buf_free(&title);
	buf_free(&contact);
	return rc;
}

/* The appointment of a conversation with what a message about it says. */
struct appt {
	int64_t starts_at;
	int minutes, sequence, cancelled;
	char kind[16];
	char uid[100];
	buf place, title, subject_of, contact;
};

static int appt_load(db *d, int64_t conversation_id, struct appt *a)
{
	memset(a, 0, sizeof *a);
	buf_init(&a->place);
	buf_init(&a->title);
	buf_init(&a->subject_of);
	buf_init(&a->contact);
	db_stmt *s = db_prepare(
	        d,
	        "SELECT a.starts_at, a.minutes, a.ical_sequence, a.cancelled, a.place_kind, "
	        "a.ical_uid, a.place, c.title, t.title, t.contact_route FROM appointments a JOIN "
	        "conversations c ON c.id = a.conversation_id JOIN trajectories t ON "
	        "t.id = c.trajectory_id WHERE a.conversation_id = :c");
	db_bind_int(s, "c", conversation_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		a->starts_at = db_col_int(s, 0);
		a->minutes = (int)db_col_int(s, 1);
		a->sequence = (int)db_col_int(s, 2);
		a->cancelled = (int)db_col_int(s, 3);
		snprintf(a->kind, sizeof a->kind, "%s", db_col_text(s, 4));
		snprintf(a->uid, sizeof a->uid, "%s", db_col_text(s, 5));
		buf_puts(&a->place, db_col_text(s, 6));
		buf_puts(&a->title, db_col_text(s, 7));
		buf_puts(&a->subject_of, db_col_text(s, 8));
		buf_puts(&a->contact, db_col_text(s, 9));
	}
	db_finalize(s);
	return rc;
}

static void appt_free(struct appt *a)
{
	buf_free(&a->place);
	buf_free(&a->title);
	buf_free(&a->subject_of);
	buf_free(&a->contact);
}

/* The time and place in words, in Dutch time (the appointment was typed
 * in it). */
static void appt_text(const struct appt *a, buf *b)
{
	char when[80];
	when_text(a->starts_at, "nl", when, sizeof when);
	buf_printf(b, "%s (%d minuten)", when, a->minutes);
	static const char *const kinds[] = {"home", "town_hall", "video", "phone", "other"};
	static const char *const words[] = {"bij u thuis", "op het gemeentehuis", "via video",
	                                    "via de telefoon", ""};
	for (int i = 0; i < 5; i++)
		if (strcmp(a->kind, kinds[i]) == 0 && *words[i])
			buf_printf(b, ", %s", words[i]);
	if (a->place.len && strcmp(a->kind, "video") != 0) {
		buf_puts(b, ": ");
		buf_puts(b, a->place.data);
	}
}

/* Calls fn for every person of the conversation with an e-mail address
 * who has not declined. */
static int each_recipient(db *d, const vault *v, int64_t conversation_id,
                          int (*fn)(db *d, void *ctx, int64_t person, const char *addr,
                                    const char *name),
                          void *ctx)
{
	db_stmt *s = db_prepare(d, "SELECT id, coalesce(participant_id, 0) FROM "
	                           "conversation_people WHERE conversation_id = :c AND "
	                           "response <> 'declined' AND invited_at IS NOT NULL ORDER BY id");
	db_bind_int(s, "c", conversation_id);
	int64_t ids[CONVERSATION_PEOPLE_MAX * 2][2];
	int n = 0, rc;
	while (n < CONVERSATION_PEOPLE_MAX * 2 && (rc = db_step(s)) == DB_ROW) {
		ids[n][0] = db_col_int(s, 0);
		ids[n][1] = db_col_int(s, 1);
		n++;
	}
	db_finalize(s);
	rc = DB_OK;
	for (int i = 0; i < n && rc == DB_OK; i++) {
		json_t *c = NULL;
		rc = contact_of(d, v, ids[i][1], &c);
		if (rc == DB_OK && c && *jstr(c, "email"))
			rc = fn(d, ctx, ids[i][0], jstr(c, "email"), jstr(c, "name"));
		json_decref(c);
	}
	return rc;
}

struct appt_job {
	const struct conversation_mail *m;
	struct appt *a;
	int64_t conversation_id;
	int reminder;
	int *queued;
};

static int appt_one(db *d, void *ctx, int64_t person, const char *addr, const char *name)
{
	struct appt_job *j = ctx;
	struct appt *a = j->a;
	buf body, subject, key, ics;
	buf_init(&body);
	buf_init(&subject);
	buf_init(&key);
	buf_init(&ics);
	greeting(&body, name);
	if (a->cancelled)
		buf_puts(&body,
		         "De afspraak voor ons gesprek gaat niet door. Het ging om ons gesprek "
		         "over ");
	else if (j->reminder)
		buf_puts(&body, "Graag herinneren we u aan ons gesprek over ");
	else if (a->sequence > 0)
		buf_puts(&body, "De afspraak voor ons gesprek is veranderd. Het gesprek over ");
	else
		buf_puts(&body, "Hierbij de afspraak voor ons gesprek over ");
	buf_puts(&body, a->subject_of.data ? a->subject_of.data : "");
	buf_puts(&body, ":\n\n");
	appt_text(a, &body);
	buf_puts(&body, "\n");
	if (strcmp(a->kind, "video") == 0) {
		buf_puts(&body, "\nDe videolink: ");
		buf_puts(&body, a->place.data ? a->place.data : "");
		buf_puts(&body, "\nHulp nodig met de video? Neem voor het gesprek contact op, dan "
		                "helpen we u.\n");
	}
	if (a->contact.len) {
		buf_puts(&body, "\nKunt u niet, of heeft u vragen? ");
		buf_puts(&body, a->contact.data);
		buf_puts(&body, "\n");
	}
	buf_printf(&subject, "%s: %s",
	           a->cancelled  ? "Afgezegd"
	           : j->reminder ? "Herinnering"
	                         : "Afspraak",
	           a->subject_of.data ? a->subject_of.data : "");
	buf_printf(&key, "%s:conversation:%lld:seq:%d:person:%lld",
	           a->cancelled  ? "cancellation"
	           : j->reminder ? "reminder"
	                         : "appointment",
	           (long long)j->conversation_id, a->sequence, (long long)person);
	struct ical_attendee who = {.addr = addr, .name = name && *name ? name : NULL};
	struct ical_event ev = {.method = a->cancelled ? VP_ICAL_CANCEL : VP_ICAL_REQUEST,
	                        .uid = a->uid,
	                        .sequence = a->sequence,
	                        .dtstamp = clock_now(),
	                        .start = a->starts_at,
	                        .end = a->starts_at + (int64_t)a->minutes * 60,
	                        .summary = a->subject_of.data ? a->subject_of.data : "Gesprek",
	                        .description = a->contact.data,
	                        .location = strcmp(a->kind, "video") != 0 ? a->place.data : NULL,
	                        .url = strcmp(a->kind, "video") == 0 ? a->place.data : NULL,
	                        .organizer_addr = j->m->organizer,
	                        .attendees = &who,
	                        .nattendees = 1};
	char err[200];
	/* The reminder is text only: the calendar has the appointment already. */
	int with_ics = !j->reminder && ical_build(&ev, &ics, err, sizeof err) == 0;
	struct outbox_msg msg = {.purpose = a->cancelled  ? "cancellation"
	                                    : j->reminder ? "reminder"
	                                                  : "appointment",
	                         .dedup_key = key.data,
	                         .to_addr = addr,
	                         .to_name = name && *name ? name : NULL,
	                         .subject = subject.data,
	                         .body_text = body.data,
	                         .ics = with_ics ? ics.data : NULL,
	                         .ref_kind = "conversation",
	                         .ref_id = j->conversation_id};
	int rc = queue(d, j->m, &msg, j->queued);
	buf_free(&body);
	buf_free(&subject);
	buf_free(&key);
	buf_free(&ics);
	return rc;
}

int conversation_mail_appointment(db *d, const struct conversation_mail *m, int64_t conversation_id,
                                  int *queued)
{
	struct appt a;
	int rc = appt_load(d, conversation_id, &a);
	if (rc == DB_ROW) {
		struct appt_job j = {
		        .m = m, .a = &a, .conversation_id = conversation_id, .queued = queued};
		rc = each_recipient(d, m->v, conversation_id, appt_one, &j);
	} else {
		rc = rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
	}
	appt_free(&a);
	return rc;
}

int conversation_mail_reminders(db *d, const struct conversation_mail *m, int64_t now, int *queued)
{
	db_stmt *s = db_prepare(d, "SELECT a.conversation_id FROM appointments a JOIN "
	                           "conversations c ON c.id = a.conversation_id WHERE "
	                           "a.cancelled = 0 AND a.reminded_at IS NULL AND "
	                           "c.closed_at IS NULL AND a.starts_at > :now AND "
	                           "a.starts_at - a.remind_minutes * 60 <= :now "
	                           "ORDER BY a.starts_at LIMIT 200");
	db_bind_int(s, "now", now);
	int64_t *ids;
	size_t n;
	int rc = db_collect_ids(s, &ids, &n);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	rc = DB_OK;
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		struct appt a;
		rc = appt_load(d, ids[i], &a);
		if (rc == DB_ROW) {
			struct appt_job j = {.m = m,
			                     .a = &a,
			                     .conversation_id = ids[i],
			                     .reminder = 1,
			                     .queued = queued};
			rc = each_recipient(d, m->v, ids[i], appt_one, &j);
		} else if (rc == DB_DONE) {
			rc = DB_OK;
		}
		appt_free(&a);
		if (rc != DB_OK)
			break;
		db_stmt *u = db_prepare(d, "UPDATE appointments SET reminded_at = :now WHERE "
		                           "conversation_id = :c");
		db_bind_int(u, "now", now);
		db_bind_int(u, "c", ids[i]);
		rc = db_step(u) == DB_DONE ? DB_OK : DB_ERROR;
		db_finalize(u);
		if (rc == DB_OK && conversation_refresh_status(d, ids[i]) < 0)
			rc = DB_ERROR;
	}
	free(ids);
	return rc;
}

int conversation_mail_feedback(db *d, const struct conversation_mail *m, int64_t conversation_id,
                               int64_t person_id, int *queued)
{
	db_stmt *s = db_prepare(
	        d, "SELECT coalesce(p.participant_id, 0), p.feedback, t.title FROM "
	           "conversation_people p JOIN conversations c ON c.id = p.conversation_id JOIN "
	           "trajectories t ON t.id = c.trajectory_id WHERE p.id = :p AND "
	           "p.conversation_id = :c");
	db_bind_int(s, "p", person_id);
	db_bind_int(s, "c", conversation_id);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc == DB_DONE ? DB_OK : rc;
	}
	int64_t pid = db_col_int(s, 0);
	buf text, subject;
	buf_init(&text);
	buf_init(&subject);
	buf_puts(&text, db_col_text(s, 1));
	buf_printf(&subject, "Wat we deden met uw inbreng: %s", db_col_text(s, 2));
	db_finalize(s);
	json_t *c = NULL;
	rc = contact_of(d, m->v, pid, &c);
	if (rc == DB_OK && c && *jstr(c, "email")) {
		char key[80];
		snprintf(key, sizeof key, "feedback:person:%lld", (long long)person_id);
		struct outbox_msg msg = {.purpose = "feedback",
		                         .dedup_key = key,
		                         .to_addr = jstr(c, "email"),
		                         .to_name = *jstr(c, "name") ? jstr(c, "name") : NULL,
		                         .subject = subject.data,
		                         .body_text = text.data ? text.data : "",
		                         .ref_kind = "conversation",
		                         .ref_id = conversation_id};
		rc = queue(d, m, &msg, queued);
	}
	json_decref(c);
	buf_free(&text);
	buf_free(&subject);
	return rc;
}

int conversation_invitation_draft(db *d, int64_t conversation_id, buf *out)
{
	db_stmt *s = db_prepare(d, "SELECT t.title, t.question, t.selection_rationale, t.scope, "
	                           "t.contact_route, c.kind FROM conversations c JOIN trajectories "
	                           "t ON t.id = c.trajectory_id WHERE c.id = :c");
	db_bind_int(s, "c", conversation_id);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc;
	}
	/* A mirror conversation (model/mirror.h): a panel, a facilitator,
	 * officials who listen. */
	int mirror = strcmp(db_col_text(s, 5), "mirror") == 0;
	if (mirror)
		buf_printf(out, "Wij nodigen u uit voor een spiegelgesprek over %s.\n",
		           db_col_text(s, 0));
	else
		buf_printf(out, "Wij nodigen u uit voor een gesprek aan de keukentafel over %s.\n",
		           db_col_text(s, 0));
	static const char *const leads[] = {NULL, "Onze vraag aan u: ", "Waarom u? ",
	                                    "Waarover we praten, en wat we met uw inbreng doen: ",
	                                    "Vragen? Of wilt u dat iemand anders meepraat? "};
	for (int i = 1; i < 5; i++) {
		const char *t = db_col_text(s, i);
		if (!t || !*t)
			continue;
		buf_puts(out, "\n");
		buf_puts(out, leads[i]);
		buf_puts(out, t);
		buf_puts(out, "\n");
	}
	if (mirror)
		buf_puts(out,
		         "\nIn een spiegelgesprek vertelt u samen met andere inwoners hoe u "
		         "onze hulp ervaart, en wat beter kan. Een onafhankelijke gespreksleider "
		         "leidt het gesprek. Medewerkers van de gemeente luisteren. Aan het eind "
		         "mogen zij u vragen stellen. Het gesprek duurt ongeveer twee uur.\n");
	else
		buf_puts(out, "\nHet gesprek duurt ongeveer een uur. U kunt ook met de video of de "
		              "telefoon meedoen.\n");
	db_finalize(s);
	return DB_OK;
}
