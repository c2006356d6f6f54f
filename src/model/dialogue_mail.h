/* dialogue_mail.h: the e-mail of dialogue tables, queued in the outbox with the change it belongs to: the confirmation of a registration with the calendar invitation, the waiting-list message, the message of a place that came free, and the reminders before each session. */
#ifndef VP_DIALOGUE_MAIL_H
#define VP_DIALOGUE_MAIL_H

#include "db/db.h"
#include "model/conversation_mail.h" /* struct conversation_mail: vault, base URL, organiser */

#include <stdint.h>

enum { DIALOGUE_REMIND_SECONDS = 2 * 86400 }; /* reminders go two days before a session */

/* Each runs inside the writer job of its change and queues through the
 * outbox with a dedup key, so asking twice queues once. People without an
 * e-mail address get nothing (the team phones them). DB_OK or a db error;
 * messages queued are added to *queued when not NULL. */

/* The confirmation of registration_id: registered, with the session's
 * calendar invitation; waiting, with the place on the list. */
int dialogue_mail_registration(db *d, const struct conversation_mail *m, int64_t registration_id,
                               int *queued);
/* A place came free and registration_id has it now: with the calendar
 * invitation. */
int dialogue_mail_promoted(db *d, const struct conversation_mail *m, int64_t registration_id,
                           int *queued);
/* The reminders that are due at now: sessions starting after now and
 * within DIALOGUE_REMIND_SECONDS, not reminded yet; one message per
 * registered person, then the session is marked reminded. Safe to run as
 * often as one likes (the scheduler does, every minute). */
int dialogue_mail_reminders(db *d, const struct conversation_mail *m, int64_t now, int *queued);

#endif
