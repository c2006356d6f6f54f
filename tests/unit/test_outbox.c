/* test_outbox.c: the durable outbox: queueing sealed, dedup keys, backoff, temporary failures to failed, retry, purge, re-sealing, the status of what a message belongs to. */
#include "testutil.h"
#include "testdb.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/migrate.h"
#include "db/writer.h"
#include "model/outbox.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct fixture {
	char dir[64];
	char path[96];
	char key[128];
	vault *v;
	writer *w;
};

static int setup(void **state)
{
	log_set_enabled(getenv("VP_TEST_LOG") != NULL);
	clock_reset();
	if (sodium_init() < 0)
		return -1;
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_db_make(f->dir, f->path, "outbox"))
		return -1;
	snprintf(f->key, sizeof f->key, "%s/k.key", f->dir);
	char err[256] = "";
	if (vault_create_file(f->key, err, sizeof err) ||
	    !(f->v = vault_load(f->key, err, sizeof err)))
		return -1;
	db *d = db_open(f->path, err, sizeof err);
	if (!d || migrate_apply(d, NULL, err, sizeof err))
		return -1;
	db_close(d);
	f->w = writer_start(f->path, err, sizeof err);
	if (!f->w)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	writer_stop(f->w);
	vault_free(f->v);
	unlink(f->key);
	test_db_remove(f->dir, f->path);
	free(f);
	clock_reset();
	return 0;
}

static const char *const ADDR = "wilhelmina.zonnebloem@voorbeeld-mail.nl";

struct queue_job {
	const vault *v;
	struct outbox_msg m;
	int64_t id;
	int rc;
};

static int queue_fn(db *d, void *ctx)
{
	struct queue_job *q = ctx;
	q->rc = outbox_queue(d, q->v, &q->m, &q->id);
	return q->rc == DB_OK ? 0 : q->rc;
}

static struct outbox_msg msg(const char *purpose, const char *dedup)
{
	struct outbox_msg m = {.purpose = purpose,
	                       .dedup_key = dedup,
	                       .to_addr = ADDR,
	                       .to_name = "Wilhelmina Zonnebloem",
	                       .subject = "Herinnering: uw gesprek",
	                       .body_text = "Beste Wilhelmina,\nTot donderdag.\n",
	                       .ref_kind = "conversation",
	                       .ref_id = 42};
	return m;
}

static int64_t queue(struct fixture *f, struct outbox_msg m, int want)
{
	struct queue_job q = {.v = f->v, .m = m};
	int rc = writer_run(f->w, queue_fn, &q);
	assert_int_equal(q.rc, want);
	assert_int_equal(rc, want);
	return q.id;
}

static int row(struct fixture *f, int64_t id, struct outbox_row *o)
{
	char err[256];
	db *d = db_open(f->path, err, sizeof err);
	struct outbox_row *rows;
	size_t n;
	assert_int_equal(outbox_list(d, NULL, 1000, &rows, &n), DB_OK);
	db_close(d);
	int found = -1;
	for (size_t i = 0; i < n; i++)
		if (rows[i].id == id) {
			*o = rows[i];
			found = 0;
		}
	free(rows);
	return found;
}

/* A port on 127.0.0.1 where nobody listens (bound, then closed). */
static int dead_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	socklen_t len = sizeof sa;
	getsockname(s, (struct sockaddr *)&sa, &len);
	close(s);
	return ntohs(sa.sin_port);
}

static void test_queue_sealed_and_dedup(void **state)
{
	struct fixture *f = *state;
	int64_t id = queue(f, msg("reminder", "reminder:conversation:42:participant:7"), DB_OK);
	assert_true(id > 0);
	/* The same reminder again: refused, nothing added. */
	queue(f, msg("reminder", "reminder:conversation:42:participant:7"), DB_CONSTRAINT);
	/* Without a key, as often as asked. */
	queue(f, msg("feedback", NULL), DB_OK);
	queue(f, msg("feedback", NULL), DB_OK);
	char err[256];
	db *d = db_open(f->path, err, sizeof err);
	int64_t c[4];
	assert_int_equal(outbox_counts(d, c), DB_OK);
	assert_int_equal(c[0], 3);
	struct outbox_row o;
	assert_int_equal(outbox_status(d, "conversation", 42, "reminder", &o), DB_ROW);
	assert_int_equal(o.id, id);
	assert_string_equal(o.status, "queued");
	assert_string_equal(o.dedup_key, "reminder:conversation:42:participant:7");
	assert_int_equal(outbox_status(d, "conversation", 43, NULL, &o), DB_DONE);
	/* The JSON list names no recipient and holds no text. */
	buf b;
	buf_init(&b);
	assert_int_equal(outbox_list_json(d, "queued", 10, &b), DB_OK);
	json_t *j = json_loads(b.data, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_array_size(j), 3);
	assert_null(strstr(b.data, "zonnebloem"));
	assert_null(strstr(b.data, "Herinnering"));
	json_decref(j);
	buf_free(&b);
	/* Neither does the database: the parts are sealed. On PostgreSQL the
	 * rows as stored, every column as text; on SQLite the file itself. */
	buf all;
	buf_init(&all);
	if (test_db_pg_url()) {
		db_stmt *s = db_prepare(d, "SELECT o::text FROM outbox o");
		while (db_step(s) == DB_ROW)
			buf_puts(&all, db_col_text(s, 0));
		db_finalize(s);
		assert_true(all.len > 0);
		db_close(d);
		assert_null(memmem(all.data, all.len, "zonnebloem", 10));
		assert_null(memmem(all.data, all.len, "Herinnering", 11));
		buf_free(&all);
		return;
	}
	db_close(d);
	FILE *fp = fopen(f->path, "rb");
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_append(&all, chunk, n);
	fclose(fp);
	char wal[128];
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	if ((fp = fopen(wal, "rb"))) {
		while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			buf_append(&all, chunk, n);
		fclose(fp);
	}
	assert_null(memmem(all.data, all.len, "zonnebloem", 10));
	assert_null(memmem(all.data, all.len, "Herinnering", 11));
	buf_free(&all);
}

static void test_bad_input(void **state)
{
	struct fixture *f = *state;
	struct outbox_msg m = msg("reminder", NULL);
	m.to_addr = "nobody";
	assert_non_null(outbox_check(&m));
	queue(f, m, OUTBOX_BAD_INPUT);
	m = msg("reminder", NULL);
	m.subject = "Hallo\r\nBcc: all@example.org";
	assert_non_null(outbox_check(&m));
	m = msg("Reminder!", NULL);
	assert_non_null(outbox_check(&m));
	m = msg("reminder", "");
	assert_non_null(outbox_check(&m));
	m = msg("reminder", NULL);
	m.body_text = NULL;
	assert_non_null(outbox_check(&m));
	m = msg("invitation", NULL);
	m.ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
	assert_null(outbox_check(&m));
}

static void test_backoff(void **state)
{
	assert_int_equal(outbox_backoff(1), 60);
	assert_int_equal(outbox_backoff(2), 300);
	assert_int_equal(outbox_backoff(3), 900);
	assert_int_equal(outbox_backoff(4), 3600);
	assert_int_equal(outbox_backoff(7), 720 * 60);
	assert_int_equal(outbox_backoff(100), 720 * 60);
}

static void test_not_configured_stays_queued(void **state)
{
	struct fixture *f = *state;
	int64_t id = queue(f, msg("feedback", NULL), DB_OK);
	struct smtp_config none = {0};
	struct outbox_pass p;
	outbox_send_due(f->w, f->v, &none, 3, 10, &p);
	assert_int_equal(p.sent + p.retry + p.failed, 0);
	struct outbox_row o;
	assert_int_equal(row(f, id, &o), 0);
	assert_string_equal(o.status, "queued");
	assert_int_equal(o.attempts, 0);
}

static void test_temporary_failures_then_failed_then_retry(void **state)
{
	struct fixture *f = *state;
	int64_t id = queue(f, msg("invitation", NULL), DB_OK);
	char url[64];
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", dead_port());
	struct smtp_config smtp = {.url = url, .from = "noreply@gemeente.example", .timeout = 5};
	struct outbox_pass p;
	struct outbox_row o;
	int64_t want_wait[] = {60, 300};
	for (int i = 0; i < 2; i++) {
		int64_t before = clock_now();
		outbox_send_due(f->w, f->v, &smtp, 3, 10, &p);
		assert_int_equal(p.retry, 1);
		assert_int_equal(row(f, id, &o), 0);
		assert_string_equal(o.status, "queued");
		assert_int_equal(o.attempts, i + 1);
		assert_true(o.next_attempt_at >= before + want_wait[i]);
		assert_true(o.next_attempt_at <= clock_now() + want_wait[i]);
		assert_true(o.last_error[0] != '\0');
		/* Not due yet: nothing happens. */
		outbox_send_due(f->w, f->v, &smtp, 3, 10, &p);
		assert_int_equal(p.retry + p.failed + p.sent, 0);
		clock_advance(want_wait[i]);
	}
	/* The third try of three: failed, and kept. */
	outbox_send_due(f->w, f->v, &smtp, 3, 10, &p);
	assert_int_equal(p.failed, 1);
	assert_int_equal(row(f, id, &o), 0);
	assert_string_equal(o.status, "failed");
	assert_int_equal(o.attempts, 3);
	assert_true(o.failed_at > 0);
	clock_advance(86400);
	outbox_send_due(f->w, f->v, &smtp, 3, 10, &p);
	assert_int_equal(p.retry + p.failed + p.sent, 0);
	/* An administrator puts it back. */
	struct outbox_retry_job rj = {.id = id};
	assert_int_equal(writer_run(f->w, outbox_retry_write, &rj), 0);
	assert_int_equal(rj.result, DB_OK);
	assert_int_equal(row(f, id, &o), 0);
	assert_string_equal(o.status, "queued");
	assert_int_equal(o.attempts, 0);
	/* Only a failed message can be put back. */
	assert_int_equal(writer_run(f->w, outbox_retry_write, &rj), 0);
	assert_int_equal(rj.result, DB_DONE);
	rj.id = 987654;
	assert_int_equal(writer_run(f->w, outbox_retry_write, &rj), 0);
	assert_int_equal(rj.result, DB_DONE);
}

static void test_not_before(void **state)
{
	struct fixture *f = *state;
	struct outbox_msg m = msg("reminder", NULL);
	m.not_before = clock_now() + 3600;
	int64_t id = queue(f, m, DB_OK);
	char url[64];
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", dead_port());
	struct smtp_config smtp = {.url = url, .from = "noreply@gemeente.example", .timeout = 5};
	struct outbox_pass p;
	outbox_send_due(f->w, f->v, &smtp, 3, 10, &p);
	assert_int_equal(p.retry + p.failed + p.sent, 0);
	clock_advance(3600);
	outbox_send_due(f->w, f->v, &smtp, 3, 10, &p);
	assert_int_equal(p.retry, 1);
	struct outbox_row o;
	assert_int_equal(row(f, id, &o), 0);
	assert_int_equal(o.attempts, 1);
}

struct purge_ctx {
	int64_t now, n;
};

static int purge_fn(db *d, void *ctx)
{
	struct purge_ctx *p = ctx;
	p->n = outbox_purge(d, p->now);
	return p->n < 0 ? DB_ERROR : 0;
}

struct reseal_ctx {
	const vault *v;
	int64_t n;
};

static int reseal_fn(db *d, void *ctx)
{
	struct reseal_ctx *r = ctx;
	r->n = outbox_reseal_all(d, r->v);
	return r->n < 0 ? DB_ERROR : 0;
}

static void test_purge_and_reseal(void **state)
{
	struct fixture *f = *state;
	int64_t a = queue(f, msg("feedback", NULL), DB_OK);
	int64_t b = queue(f, msg("feedback", NULL), DB_OK);
	char err[256];
	db *d = db_open(f->path, err, sizeof err);
	db_stmt *s =
	        db_prepare(d, "UPDATE outbox SET status = 'sent', sent_at = :t WHERE id = :id");
	db_bind_int(s, "t", clock_now() - 31 * 86400);
	db_bind_int(s, "id", a);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	db_close(d);
	/* Key rotation re-seals both; the new key opens them. */
	char kerr[256];
	assert_int_equal(vault_file_add_key(f->key, kerr, sizeof kerr), 0);
	vault *v2 = vault_load(f->key, kerr, sizeof kerr);
	assert_non_null(v2);
	struct reseal_ctx rc = {.v = v2};
	assert_int_equal(writer_run(f->w, reseal_fn, &rc), 0);
	assert_int_equal(rc.n, 2);
	rc.n = -5;
	assert_int_equal(writer_run(f->w, reseal_fn, &rc), 0);
	assert_int_equal(rc.n, 0);
	/* The sent one loses its parts after 30 days; the queued one keeps them. */
	struct purge_ctx pc = {.now = clock_now()};
	assert_int_equal(writer_run(f->w, purge_fn, &pc), 0);
	assert_int_equal(pc.n, 1);
	d = db_open(f->path, err, sizeof err);
	s = db_prepare(d, "SELECT id FROM outbox WHERE sealed IS NULL");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), a);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	db_close(d);
	struct outbox_row o;
	assert_int_equal(row(f, a, &o), 0);
	assert_string_equal(o.status, "sent");
	assert_int_equal(row(f, b, &o), 0);
	assert_string_equal(o.status, "queued");
	vault_free(v2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_queue_sealed_and_dedup, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_backoff, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_not_configured_stays_queued, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_temporary_failures_then_failed_then_retry,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_not_before, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_purge_and_reseal, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
