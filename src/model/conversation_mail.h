/* conversation_mail.h: the e-mail of kitchen-table conversations, queued in the outbox with the change it belongs to: invitations with the personal link, the calendar invitation and its updates, reminders before the talk, and the personal feedback. */
#ifndef VP_CONVERSATION_MAIL_H
#define VP_CONVERSATION_MAIL_H

#include "core/vault.h"
#include "db/db.h"
#include "model/conversation.h"

#include <stdint.h>

/* What every message needs besides the data: the vault (contact data is
 * opened, the message sealed again by the outbox), the address people open
 * their personal link at ("https://gemeente.example", no trailing '/'),
 * and the organiser's address for calendar invitations (the sender). */
struct conversation_mail {
	const vault *v;
	const char *base_url;
	const char *organizer;
};

/* All of these run inside the writer job of the change they belong to, so
 * a message is queued if and only if the change commits. Each message has
 * a dedup key, so asking twice queues once. They return DB_OK or a db
 * error; the count of messages queued goes to *queued when not NULL. */

/* The invitations of a successful e-mail invite job: one message per
 * person with the text, the personal link and until when it works. */
int conversation_mail_invitations(db *d, const struct conversation_mail *m,
                                  const struct conversation_invite *inv, int *queued);
/* The calendar invitation of the conversation's appointment (an update
 * when it moved, a cancellation when it was cancelled: same uid, its
 * sequence) to everyone with an e-mail address who has not declined. */
int conversation_mail_appointment(db *d, const struct conversation_mail *m, int64_t conversation_id,
                                  int *queued);
/* Reminders that are due at now: appointments not cancelled, not reminded
 * for their current time, starting after now and within their reminder
 * time. Queues one message per person with an e-mail address who has not
 * declined, marks the appointment reminded and refreshes the status. Safe
 * to run as often as one likes (the scheduler does, every minute): an
 * appointment is reminded once per time it is set to. */
int conversation_mail_reminders(db *d, const struct conversation_mail *m, int64_t now, int *queued);
/* The feedback of one person, as it was recorded sent by e-mail. */
int conversation_mail_feedback(db *d, const struct conversation_mail *m, int64_t conversation_id,
                               int64_t person_id, int *queued);

/* A first invitation text made from the conversation's trajectory, in
 * plain Dutch: the subject, the concrete question, why the person was
 * asked, what may be discussed and what happens with the input, and how
 * to reach the team; for the official to edit. DB_OK or DB_DONE. */
int conversation_invitation_draft(db *d, int64_t conversation_id, buf *out);

#endif
