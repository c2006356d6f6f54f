/* outbox.h: the durable outbox: e-mail queued in the database with what it belongs to, sent by a worker, retried with backoff, never lost. */
#ifndef VP_OUTBOX_H
#define VP_OUTBOX_H

#include "core/buf.h"
#include "core/vault.h"
#include "db/db.h"
#include "db/writer.h"
#include "io/smtp.h"

#include <stddef.h>
#include <stdint.h>

/* The life of a message (docs/mail.md):
 *
 *   queued --claim--> sending --250--> sent
 *      ^                 |--4xx, no connection, timeout--> queued (attempts < max, later)
 *      |                 |                              -> failed (attempts = max)
 *      |                 |--5xx--> failed (at once)
 *      +---- outbox_retry (an administrator) ---- failed
 *
 * A message left in "sending" longer than OUTBOX_STALE_SECONDS (the worker
 * died between the claim and the result) is claimed again. The guarantee is
 * at least once, never silently lost: a message is only marked sent after
 * the server accepted it, so a crash after the server's 250 and before the
 * mark commits sends it once more, with the same Message-ID. Nothing else
 * sends a message twice, and a dedup_key makes sure the same reminder is
 * never queued twice. */

enum {
	OUTBOX_STALE_SECONDS = 600, /* a claim older than this is taken again */
	OUTBOX_DEFAULT_MAX_ATTEMPTS = 8,
	OUTBOX_KEEP_SENT_DAYS = 30,    /* the sealed parts of a sent message are removed after */
	OUTBOX_KEEP_FAILED_DAYS = 180, /* ... and of a failed one */
	OUTBOX_BAD_INPUT = -20, /* outbox_queue: the message is not valid (see outbox_check) */
	OUTBOX_PURPOSE_MAX = 40,
	OUTBOX_DEDUP_MAX = 200,
};

struct outbox_msg {
	const char *purpose; /* "invitation", "reminder", "feedback", "test": [a-z0-9_-], 1-40 */
	const char *
	        dedup_key; /* NULL, or unique for ever ("reminder:conversation:42:participant:7") */
	const char *to_addr, *to_name;   /* recipient; name may be NULL */
	const char *subject, *body_text; /* UTF-8, body with LF or CRLF line ends */
	const char *ics;                 /* NULL, or iCalendar text (io/ical.h: ical_build) */
	const char *ref_kind;            /* what it belongs to ("conversation"), or NULL */
	int64_t ref_id;
	int64_t not_before; /* 0: as soon as possible; else not sent before this time */
};

/* NULL when m can be queued (and will compose), else an English message
 * id (T() it in a page). */
const char *outbox_check(const struct outbox_msg *m);

/* Queues m: a writer job (call it inside yours, so the message commits with
 * the change it belongs to, or not at all). The recipient and the texts
 * are sealed with v. Wakes the sender (outbox_wake). Returns DB_OK with the
 * new id in *id_out (may be NULL), DB_CONSTRAINT when the dedup_key was
 * queued before (nothing changes: not an error for a scheduler that asks
 * twice), OUTBOX_BAD_INPUT when outbox_check refuses m, or a db error. */
int outbox_queue(db *d, const vault *v, const struct outbox_msg *m, int64_t *id_out);

/* One row without its sealed parts (what the outbox page and the CLI show). */
struct outbox_row {
	int64_t id, ref_id, attempts, created_at, next_attempt_at, sent_at, failed_at;
	char purpose[OUTBOX_PURPOSE_MAX + 1];
	char status[8]; /* queued, sending, sent, failed */
	char ref_kind[41];
	char dedup_key[OUTBOX_DEDUP_MAX + 1];
	char message_id[129];
	char last_error[256];
	int has_calendar;
};

/* The newest message that belongs to (ref_kind, ref_id), of purpose (NULL:
 * any): DB_ROW with *out filled, DB_DONE when there is none. Shows a
 * message's state next to what it belongs to. */
int outbox_status(db *d, const char *ref_kind, int64_t ref_id, const char *purpose,
                  struct outbox_row *out);

/* One message by id: DB_ROW with *out filled, or DB_DONE. */
int outbox_get(db *d, int64_t id, struct outbox_row *out);

/* Messages, newest first, of status (NULL: all), at most limit. *rows is
 * malloc'ed (free it); DB_OK or a db error. */
int outbox_list(db *d, const char *status, int limit, struct outbox_row **rows, size_t *n);
/* The same as a JSON array (no recipient, no texts). */
int outbox_list_json(db *d, const char *status, int limit, buf *out);
/* Counts per status: {"queued":N,"sending":N,"sent":N,"failed":N}. */
int outbox_counts(db *d, int64_t counts[4]);

/* A failed message back to queued, due now, attempts counted from 0
 * again. Writer job (ctx: a struct outbox_retry_job). result: DB_OK, or
 * DB_DONE when there is no failed message with that id. */
struct outbox_retry_job {
	int64_t id;
	int result;
};
int outbox_retry_write(db *d, void *ctx);

/* One pass of the worker: claims due messages one at a time (each claim
 * and each result is its own writer job on w), composes each from its
 * sealed parts with smtp->from as sender, sends it with smtp_send, and
 * records the result, until none is due or limit were tried. Without
 * smtp->url nothing is claimed: the messages stay queued. */
struct outbox_pass {
	int sent, retry, failed, errors;
};
void outbox_send_due(writer *w, const vault *v, const struct smtp_config *smtp, int max_attempts,
                     int limit, struct outbox_pass *out);

/* The wait before try n+1 after n tries failed: 1, 5, 15, 60 minutes,
 * 3, 6, then 12 hours. */
int64_t outbox_backoff(int64_t attempts);

/* Removes the sealed parts of messages sent more than OUTBOX_KEEP_SENT_DAYS
 * ago and failed more than OUTBOX_KEEP_FAILED_DAYS ago (the row stays, as
 * the record that it was sent). Returns how many, or -1. Inside a writer
 * job (model/purge.c). */
int64_t outbox_purge(db *d, int64_t now);

/* Re-seals every message with the vault's active key (key rotation).
 * Writer job. Returns the count, or -1 when a value does not open. */
int64_t outbox_reseal_all(db *d, const vault *v);

/* Wakes the sender thread (vertelpunt serve) so a queued message goes out
 * now instead of at its next round; safe from any thread, cheap. */
void outbox_wake(void);
/* The sender's wait: returns when woken (also by a wake that came since
 * the last wait returned) or after ms milliseconds. One waiter only. */
void outbox_wait(int ms);

#endif
