/* outbox.c: the durable e-mail outbox: queue (sealed), claim, send, mark, retry with backoff, purge, reseal. */
#include "model/outbox.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/msg.h"
#include "core/util.h"
#include "io/mail.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- waking the sender ---------------------------------------------------- */

static pthread_mutex_t wake_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cv = PTHREAD_COND_INITIALIZER;
static unsigned long wake_gen;

void outbox_wake(void)
{
	pthread_mutex_lock(&wake_mu);
	wake_gen++;
	pthread_cond_broadcast(&wake_cv);
	pthread_mutex_unlock(&wake_mu);
}

void outbox_wait(int ms)
{
	/* One waiter (the sender thread): a wake that came while it was busy
	 * is seen here and returns at once, so none is lost. */
	static unsigned long seen;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&wake_mu);
	while (seen == wake_gen)
		if (pthread_cond_timedwait(&wake_cv, &wake_mu, &until) != 0)
			break;
	seen = wake_gen;
	pthread_mutex_unlock(&wake_mu);
}

/* ---- checking and sealing ---------------------------------------------------- */

static int purpose_ok(const char *p)
{
	size_t n = p ? strlen(p) : 0;
	return n >= 1 && n <= OUTBOX_PURPOSE_MAX &&
	       strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

const char *outbox_check(const struct outbox_msg *m)
{
	if (!purpose_ok(m->purpose))
		return N_("The purpose of the message must be 1 to 40 lower-case letters, digits, "
		          "hyphens or underscores.");
	if (m->dedup_key && (!*m->dedup_key || strlen(m->dedup_key) > OUTBOX_DEDUP_MAX ||
	                     !util_utf8_clean(m->dedup_key, strlen(m->dedup_key))))
		return N_("The message's key against doubles is empty, too long or not valid.");
	if (m->ref_kind && (strlen(m->ref_kind) > 40 || !purpose_ok(m->ref_kind)))
		return N_("What the message belongs to is not valid.");
	if (mail_addr_check(m->to_addr) != 0)
		return N_("The e-mail address is not valid.");
	/* What will be composed at sending time must compose now. */
	struct mail_msg mm = {.from_addr = "check@vertelpunt.invalid",
	                      .to_addr = m->to_addr,
	                      .to_name = m->to_name,
	                      .subject = m->subject,
	                      .body_text = m->body_text,
	                      .ics = m->ics,
	                      .message_id = "check@vertelpunt.invalid",
	                      .date = 0};
	buf tmp;
	buf_init(&tmp);
	char err[256];
	int rc = mail_compose(&mm, &tmp, err, sizeof err);
	if (tmp.data)
		sodium_memzero(tmp.data, tmp.len);
	buf_free(&tmp);
	if (rc != 0)
		return N_("The message cannot be sent: a name or the subject holds a line break, "
		          "or a text is missing or not valid.");
	return NULL;
}

static void seal_ad(int64_t id, char *ad, size_t n)
{
	snprintf(ad, n, "outbox:%lld", (long long)id);
}

static void put_field(buf *b, const char *name, const char *v, int *first)
{
	if (!v)
		return;
	if (!*first)
		buf_putc(b, ',');
	*first = 0;
	buf_json_str(b, name);
	buf_putc(b, ':');
	buf_json_str(b, v);
}

/* The sealed parts of message id. */
static void seal_parts(const vault *v, int64_t id, const char *to, const char *to_name,
                       const char *subject, const char *body, const char *ics, buf *sealed)
{
	buf plain;
	buf_init(&plain);
	int first = 1;
	buf_putc(&plain, '{');
	put_field(&plain, "to", to, &first);
	put_field(&plain, "to_name", to_name, &first);
	put_field(&plain, "subject", subject, &first);
	put_field(&plain, "body", body, &first);
	put_field(&plain, "ics", ics, &first);
	buf_putc(&plain, '}');
	char ad[48];
	seal_ad(id, ad, sizeof ad);
	vault_seal(v, plain.data, plain.len, ad, sealed);
	sodium_memzero(plain.data, plain.len);
	buf_free(&plain);
}

/* Opens the sealed parts (a JSON object, new reference), or NULL. */
static json_t *open_parts(const vault *v, int64_t id, const void *sealed, size_t n)
{
	char ad[48];
	seal_ad(id, ad, sizeof ad);
	buf plain;
	buf_init(&plain);
	json_t *o = NULL;
	if (sealed && vault_open(v, sealed, n, ad, &plain) == 0)
		o = json_loadb(plain.data, plain.len, 0, NULL);
	if (plain.data)
		sodium_memzero(plain.data, plain.len);
	buf_free(&plain);
	return o;
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int outbox_queue(db *d, const vault *v, const struct outbox_msg *m, int64_t *id_out)
{
	if (outbox_check(m))
		return OUTBOX_BAD_INPUT;
	char mid[MAIL_MESSAGE_ID_MAX + 1];
	mail_new_message_id(NULL, mid);
	int64_t now = clock_now();
	db_stmt *s = db_prepare(
	        d, "INSERT INTO outbox (purpose, dedup_key, ref_kind, ref_id, message_id, status, "
	           "attempts, created_at, next_attempt_at, has_calendar) VALUES (:purpose, :dedup, "
	           ":kind, :ref, :mid, 'queued', 0, :now, :next, :cal) RETURNING id");
	db_bind_text(s, "purpose", m->purpose);
	db_bind_text(s, "dedup", m->dedup_key);
	db_bind_text(s, "kind", m->ref_kind);
	if (m->ref_kind)
		db_bind_int(s, "ref", m->ref_id);
	else
		db_bind_null(s, "ref");
	db_bind_text(s, "mid", mid);
	db_bind_int(s, "now", now);
	db_bind_int(s, "next", m->not_before > now ? m->not_before : now);
	db_bind_int(s, "cal", m->ics != NULL);
	int rc = db_step(s);
	int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	/* The seal names the row, so the id comes first. */
	buf sealed;
	buf_init(&sealed);
	seal_parts(v, id, m->to_addr, m->to_name, m->subject, m->body_text, m->ics, &sealed);
	s = db_prepare(d, "UPDATE outbox SET sealed = :sealed, key_id = :key WHERE id = :id");
	db_bind_blob(s, "sealed", sealed.data, sealed.len);
	db_bind_int(s, "key", vault_active_id(v));
	db_bind_int(s, "id", id);
	rc = db_step(s);
	db_finalize(s);
	buf_free(&sealed);
	if (rc != DB_DONE)
		return rc;
	if (id_out)
		*id_out = id;
	/* The sender's claim is a writer job too: it runs after this batch
	 * commits, so waking it now is never too early. */
	outbox_wake();
	return DB_OK;
}

/* ---- reading ------------------------------------------------------------------ */

#define ROW_COLUMNS                                                                              \
	"id, COALESCE(ref_id, 0), attempts, created_at, next_attempt_at, COALESCE(sent_at, 0), " \
	"COALESCE(failed_at, 0), purpose, status, COALESCE(ref_kind, ''), "                      \
	"COALESCE(dedup_key, ''), message_id, COALESCE(last_error, ''), has_calendar"

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static void read_row(db_stmt *s, struct outbox_row *o)
{
	memset(o, 0, sizeof *o);
	o->id = db_col_int(s, 0);
	o->ref_id = db_col_int(s, 1);
	o->attempts = db_col_int(s, 2);
	o->created_at = db_col_int(s, 3);
	o->next_attempt_at = db_col_int(s, 4);
	o->sent_at = db_col_int(s, 5);
	o->failed_at = db_col_int(s, 6);
	copy(o->purpose, sizeof o->purpose, db_col_text(s, 7));
	copy(o->status, sizeof o->status, db_col_text(s, 8));
	copy(o->ref_kind, sizeof o->ref_kind, db_col_text(s, 9));
	copy(o->dedup_key, sizeof o->dedup_key, db_col_text(s, 10));
	copy(o->message_id, sizeof o->message_id, db_col_text(s, 11));
	copy(o->last_error, sizeof o->last_error, db_col_text(s, 12));
	o->has_calendar = (int)db_col_int(s, 13);
}

int outbox_status(db *d, const char *ref_kind, int64_t ref_id, const char *purpose,
                  struct outbox_row *out)
{
	db_stmt *s = db_prepare(d, "SELECT " ROW_COLUMNS " FROM outbox WHERE ref_kind = :kind AND "
	                           "ref_id = :ref AND (:purpose IS NULL OR purpose = :purpose) "
	                           "ORDER BY id DESC LIMIT 1");
	db_bind_text(s, "kind", ref_kind);
	db_bind_int(s, "ref", ref_id);
	db_bind_text(s, "purpose", purpose);
	int rc = db_step(s);
	if (rc == DB_ROW)
		read_row(s, out);
	db_finalize(s);
	return rc;
}

int outbox_get(db *d, int64_t id, struct outbox_row *out)
{
	db_stmt *s = db_prepare(d, "SELECT " ROW_COLUMNS " FROM outbox WHERE id = :id");
	db_bind_int(s, "id", id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		read_row(s, out);
	db_finalize(s);
	return rc;
}

int outbox_list(db *d, const char *status, int limit, struct outbox_row **rows, size_t *n)
{
	*rows = NULL;
	*n = 0;
	db_stmt *s = db_prepare(d, "SELECT " ROW_COLUMNS " FROM outbox WHERE :status IS NULL OR "
	                           "status = :status ORDER BY id DESC LIMIT :limit");
	db_bind_text(s, "status", status);
	db_bind_int(s, "limit", limit > 0 ? limit : 100);
	int rc;
	size_t cap = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*rows = realloc(*rows, cap * sizeof **rows);
			if (!*rows)
				abort();
		}
		read_row(s, &(*rows)[(*n)++]);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

static void json_time(buf *b, const char *name, int64_t t)
{
	buf_printf(b, ",\"%s\":", name);
	if (!t) {
		buf_puts(b, "null");
		return;
	}
	char iso[21];
	clock_iso(t, iso);
	buf_json_str(b, iso);
}

int outbox_list_json(db *d, const char *status, int limit, buf *out)
{
	struct outbox_row *rows;
	size_t n;
	int rc = outbox_list(d, status, limit, &rows, &n);
	if (rc != DB_OK)
		return rc;
	buf_putc(out, '[');
	for (size_t i = 0; i < n; i++) {
		struct outbox_row *o = &rows[i];
		buf_printf(out, "%s{\"id\":%lld,\"purpose\":", i ? "," : "", (long long)o->id);
		buf_json_str(out, o->purpose);
		buf_puts(out, ",\"status\":");
		buf_json_str(out, o->status);
		buf_printf(out, ",\"attempts\":%lld", (long long)o->attempts);
		json_time(out, "created_at", o->created_at);
		json_time(out, "next_attempt_at",
		          strcmp(o->status, "queued") == 0 ? o->next_attempt_at : 0);
		json_time(out, "sent_at", o->sent_at);
		json_time(out, "failed_at", o->failed_at);
		buf_puts(out, ",\"last_error\":");
		if (o->last_error[0])
			buf_json_str(out, o->last_error);
		else
			buf_puts(out, "null");
		buf_puts(out, ",\"ref_kind\":");
		if (o->ref_kind[0]) {
			buf_json_str(out, o->ref_kind);
			buf_printf(out, ",\"ref_id\":%lld", (long long)o->ref_id);
		} else {
			buf_puts(out, "null,\"ref_id\":null");
		}
		buf_puts(out, ",\"dedup_key\":");
		if (o->dedup_key[0])
			buf_json_str(out, o->dedup_key);
		else
			buf_puts(out, "null");
		buf_puts(out, ",\"message_id\":");
		buf_json_str(out, o->message_id);
		buf_printf(out, ",\"calendar\":%s}", o->has_calendar ? "true" : "false");
	}
	buf_putc(out, ']');
	free(rows);
	return DB_OK;
}

int outbox_counts(db *d, int64_t counts[4])
{
	static const char *const names[] = {"queued", "sending", "sent", "failed"};
	memset(counts, 0, 4 * sizeof *counts);
	db_stmt *s = db_prepare(d, "SELECT status, COUNT(*) FROM outbox GROUP BY status");
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		for (int i = 0; i < 4; i++)
			if (strcmp(db_col_text(s, 0), names[i]) == 0)
				counts[i] = db_col_int(s, 1);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* ---- changing ------------------------------------------------------------------ */

int outbox_retry_write(db *d, void *ctx)
{
	struct outbox_retry_job *j = ctx;
	db_stmt *s = db_prepare(d, "UPDATE outbox SET status = 'queued', attempts = 0, "
	                           "next_attempt_at = :now, failed_at = NULL WHERE id = :id AND "
	                           "status = 'failed' AND sealed IS NOT NULL");
	db_bind_int(s, "now", clock_now());
	db_bind_int(s, "id", j->id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	j->result = db_changes(d) == 1 ? DB_OK : DB_DONE;
	if (j->result == DB_OK)
		outbox_wake();
	return 0;
}

int64_t outbox_backoff(int64_t attempts)
{
	static const int64_t minutes[] = {1, 5, 15, 60, 180, 360};
	if (attempts < 1)
		attempts = 1;
	if (attempts > (int64_t)(sizeof minutes / sizeof minutes[0]))
		return 720 * 60;
	return minutes[attempts - 1] * 60;
}

/* The claim: one due message (queued and due, or left in sending by a
 * worker that died), now "sending" with this claim time; its sealed
 * parts are copied out. */
struct claim_job {
	int64_t now;
	/* out */
	int found, stale;
	int64_t id, attempts, created_at;
	char message_id[129];
	buf sealed;
};

static int claim_fn(db *d, void *ctx)
{
	struct claim_job *c = ctx;
	c->found = c->stale = 0;
	buf_reset(&c->sealed);
	/* Several instances may pick the same message at once (PostgreSQL's
	 * SELECT does not wait for another's uncommitted claim). The UPDATE
	 * repeats the SELECT's condition: PostgreSQL evaluates it again on the
	 * row as the other claim committed it, so only one claim wins; the
	 * loser looks again and finds the next message or none. */
	for (int tries = 0; tries < 8; tries++) {
		db_stmt *s = db_prepare(
		        d,
		        "SELECT id, status FROM outbox WHERE (status = 'queued' AND "
		        "next_attempt_at <= :now) OR (status = 'sending' AND claimed_at <= :stale) "
		        "ORDER BY next_attempt_at, id LIMIT 1");
		db_bind_int(s, "now", c->now);
		db_bind_int(s, "stale", c->now - OUTBOX_STALE_SECONDS);
		int rc = db_step(s);
		if (rc == DB_ROW) {
			c->id = db_col_int(s, 0);
			c->stale = strcmp(db_col_text(s, 1), "sending") == 0;
		}
		db_finalize(s);
		if (rc == DB_DONE)
			return 0;
		if (rc != DB_ROW)
			return rc;
		s = db_prepare(d, "UPDATE outbox SET status = 'sending', claimed_at = :now, "
		                  "attempts = attempts + 1 WHERE id = :id AND ((status = 'queued' "
		                  "AND next_attempt_at <= :now) OR (status = 'sending' AND "
		                  "claimed_at <= :stale)) RETURNING attempts, created_at, "
		                  "message_id, sealed");
		db_bind_int(s, "now", c->now);
		db_bind_int(s, "stale", c->now - OUTBOX_STALE_SECONDS);
		db_bind_int(s, "id", c->id);
		rc = db_step(s);
		if (rc == DB_ROW) {
			c->found = 1;
			c->attempts = db_col_int(s, 0);
			c->created_at = db_col_int(s, 1);
			copy(c->message_id, sizeof c->message_id, db_col_text(s, 2));
			size_t n = 0;
			const void *p = db_col_is_null(s, 3) ? NULL : db_col_blob(s, 3, &n);
			if (p)
				buf_append(&c->sealed, p, n);
		}
		db_finalize(s);
		if (rc != DB_DONE)
			return rc == DB_ROW ? 0 : rc;
		/* another instance claimed it first */
	}
	return 0;
}

/* The result of one try, recorded only if the claim is still ours. */
struct mark_job {
	int64_t id, claimed_at, now, attempts;
	int max_attempts;
	enum smtp_result result;
	const char *error;
	/* out */
	int outcome; /* 0 sent, 1 retry, 2 failed, -1 the claim was not ours any more */
};

static int mark_fn(db *d, void *ctx)
{
	struct mark_job *m = ctx;
	db_stmt *s;
	if (m->result == SMTP_OK) {
		m->outcome = 0;
		s = db_prepare(d,
		               "UPDATE outbox SET status = 'sent', sent_at = :now, claimed_at = "
		               "NULL, last_error = NULL WHERE id = :id AND status = 'sending' AND "
		               "claimed_at = :claimed");
	} else if (m->result == SMTP_TEMPORARY && m->attempts < m->max_attempts) {
		m->outcome = 1;
		s = db_prepare(d,
		               "UPDATE outbox SET status = 'queued', next_attempt_at = :next, "
		               "claimed_at = NULL, last_error = :error WHERE id = :id AND status = "
		               "'sending' AND claimed_at = :claimed");
		db_bind_int(s, "next", m->now + outbox_backoff(m->attempts));
		db_bind_text(s, "error", m->error);
	} else {
		m->outcome = 2;
		s = db_prepare(d,
		               "UPDATE outbox SET status = 'failed', failed_at = :now, claimed_at "
		               "= NULL, last_error = :error WHERE id = :id AND status = 'sending' "
		               "AND claimed_at = :claimed");
		db_bind_text(s, "error", m->error);
	}
	if (m->outcome != 1)
		db_bind_int(s, "now", m->now);
	db_bind_int(s, "id", m->id);
	db_bind_int(s, "claimed", m->claimed_at);
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	if (db_changes(d) != 1)
		m->outcome = -1;
	return 0;
}

/* Composes and sends one claimed message; the result and error. */
static enum smtp_result send_one(const vault *v, const struct smtp_config *smtp,
                                 struct claim_job *c, char *err, size_t errlen)
{
	json_t *o = open_parts(v, c->id, c->sealed.data, c->sealed.len);
	if (!o) {
		snprintf(err, errlen, "the stored message does not open with the key file");
		return SMTP_PERMANENT;
	}
	struct mail_msg mm = {.from_addr = smtp->from,
	                      .from_name = smtp->from_name,
	                      .to_addr = jstr(o, "to"),
	                      .to_name = jstr(o, "to_name"),
	                      .subject = jstr(o, "subject"),
	                      .body_text = jstr(o, "body"),
	                      .ics = jstr(o, "ics"),
	                      .message_id = c->message_id,
	                      .date = c->created_at};
	buf msg;
	buf_init(&msg);
	enum smtp_result r;
	if (mail_compose(&mm, &msg, err, errlen) != 0) {
		/* The sender address is ours to fix; a bad message is not. */
		r = mail_addr_check(smtp->from) != 0 ? SMTP_TEMPORARY : SMTP_PERMANENT;
	} else {
		r = smtp_send(smtp, mm.to_addr, msg.data, msg.len, err, errlen);
	}
	if (msg.data)
		sodium_memzero(msg.data, msg.len);
	buf_free(&msg);
	json_decref(o);
	return r;
}

void outbox_send_due(writer *w, const vault *v, const struct smtp_config *smtp, int max_attempts,
                     int limit, struct outbox_pass *out)
{
	memset(out, 0, sizeof *out);
	if (!smtp || !smtp->url || !*smtp->url)
		return;
	if (max_attempts < 1)
		max_attempts = OUTBOX_DEFAULT_MAX_ATTEMPTS;
	struct claim_job c = {0};
	buf_init(&c.sealed);
	for (int i = 0; i < limit; i++) {
		c.now = clock_now();
		if (writer_run(w, claim_fn, &c) != 0) {
			out->errors++;
			break;
		}
		if (!c.found)
			break;
		if (c.stale)
			log_event(LOG_WARN, "mail",
			          "message %lld was left in sending (a stopped worker); sending it "
			          "again "
			          "with the same Message-ID",
			          (long long)c.id);
		char err[256] = "";
		enum smtp_result r = send_one(v, smtp, &c, err, sizeof err);
		struct mark_job m = {.id = c.id,
		                     .claimed_at = c.now,
		                     .now = clock_now(),
		                     .attempts = c.attempts,
		                     .max_attempts = max_attempts,
		                     .result = r,
		                     .error = err};
		if (writer_run(w, mark_fn, &m) != 0) {
			out->errors++;
			break;
		}
		switch (m.outcome) {
		case 0: out->sent++; break;
		case 1:
			out->retry++;
			log_event(LOG_WARN, "mail",
			          "message %lld not sent (try %lld), again later: %s",
			          (long long)c.id, (long long)c.attempts, err);
			break;
		case 2:
			out->failed++;
			log_event(LOG_ERROR, "mail", "message %lld failed after %lld tries: %s",
			          (long long)c.id, (long long)c.attempts, err);
			break;
		default: break;
		}
	}
	if (c.sealed.data)
		sodium_memzero(c.sealed.data, c.sealed.len);
	buf_free(&c.sealed);
}

/* ---- retention and keys --------------------------------------------------------- */

int64_t outbox_purge(db *d, int64_t now)
{
	if (db_table_exists(d, "outbox") != 1)
		return 0;
	db_stmt *s = db_prepare(d, "UPDATE outbox SET sealed = NULL, key_id = NULL WHERE sealed IS "
	                           "NOT NULL AND ((status = 'sent' AND sent_at <= :sent) OR "
	                           "(status = 'failed' AND failed_at <= :failed))");
	db_bind_int(s, "sent", now - (int64_t)OUTBOX_KEEP_SENT_DAYS * 86400);
	db_bind_int(s, "failed", now - (int64_t)OUTBOX_KEEP_FAILED_DAYS * 86400);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? db_changes(d) : -1;
}

int64_t outbox_reseal_all(db *d, const vault *v)
{
	if (db_table_exists(d, "outbox") != 1)
		return 0;
	db_stmt *s = db_prepare(d, "SELECT id FROM outbox WHERE sealed IS NOT NULL AND key_id <> "
	                           ":active ORDER BY id");
	db_bind_int(s, "active", vault_active_id(v));
	int64_t *ids;
	size_t n;
	int rc = db_collect_ids(s, &ids, &n);
	db_finalize(s);
	int64_t done = 0;
	for (size_t i = 0; i < n && rc == DB_DONE; i++) {
		s = db_prepare(d, "SELECT sealed FROM outbox WHERE id = :id");
		db_bind_int(s, "id", ids[i]);
		json_t *o = NULL;
		if (db_step(s) == DB_ROW) {
			size_t len = 0;
			const void *p = db_col_blob(s, 0, &len);
			o = open_parts(v, ids[i], p, len);
		}
		db_finalize(s);
		if (!o) {
			rc = DB_ERROR;
			break;
		}
		buf sealed;
		buf_init(&sealed);
		seal_parts(v, ids[i], jstr(o, "to"), jstr(o, "to_name"), jstr(o, "subject"),
		           jstr(o, "body"), jstr(o, "ics"), &sealed);
		json_decref(o);
		s = db_prepare(d,
		               "UPDATE outbox SET sealed = :sealed, key_id = :key WHERE id = :id");
		db_bind_blob(s, "sealed", sealed.data, sealed.len);
		db_bind_int(s, "key", vault_active_id(v));
		db_bind_int(s, "id", ids[i]);
		if (db_step(s) != DB_DONE)
			rc = DB_ERROR;
		else
			done++;
		db_finalize(s);
		buf_free(&sealed);
	}
	free(ids);
	return rc == DB_DONE ? done : -1;
}
