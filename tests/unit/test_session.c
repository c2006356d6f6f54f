/* test_session.c: unit tests of staff sessions (expiry, storage by hash) and the login throttle. */
#include "testutil.h"
#include "testdb.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/session.h"
#include "model/user.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int group_setup(void **state)
{
	log_set_enabled(0);
	return sodium_init() < 0 ? -1 : 0;
}

struct fixture {
	char dir[64];
	char path[96];
	db *d;
	int64_t uid;
};

static int setup(void **state)
{
	clock_reset();
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (test_db_make(f->dir, f->path, "session"))
		return -1;
	char err[256] = "";
	f->d = db_open(f->path, err, sizeof err);
	if (!f->d || migrate_apply(f->d, NULL, err, sizeof err) != 0) {
		print_error("setup: %s\n", err);
		return -1;
	}
	int64_t org;
	if (org_ensure(f->d, "Gemeente Test", &org) != DB_OK ||
	    user_insert(f->d, org, "ann", "Ann", ROLE_ONDERZOEKER, "fake-hash", 0, &f->uid) !=
	            DB_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	clock_reset();
	db_close(f->d);
	test_db_remove(f->dir, f->path);
	free(f);
	return 0;
}

static int is_lower_hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static void create(struct fixture *f, char id[65], char csrf[65])
{
	assert_int_equal(session_create(f->d, f->uid, "192.0.2.7", id, csrf), DB_OK);
}

static int lookup_now(struct fixture *f, const char *id)
{
	struct session s;
	return session_lookup(f->d, id, clock_now(), &s);
}

static int64_t count_sessions(db *d)
{
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM sessions");
	int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
	db_finalize(s);
	return n;
}

/* Stores a session row directly, by the hash of any string. */
static void insert_raw(db *d, int64_t uid, const char *raw_id, int64_t created, int64_t seen)
{
	char h[65];
	util_hash_hex(raw_id, h);
	db_stmt *s =
	        db_prepare(d, "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, "
	                      "last_seen, ip) VALUES (:h, :u, 'c', :c, :s, '')");
	db_bind_text(s, "h", h);
	db_bind_int(s, "u", uid);
	db_bind_int(s, "c", created);
	db_bind_int(s, "s", seen);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
}

/* ---- create and lookup ---- */

static void test_create_lookup(void **state)
{
	struct fixture *f = *state;
	char id[65], csrf[65];
	int64_t before = clock_now();
	create(f, id, csrf);
	int64_t after = clock_now();
	assert_true(is_lower_hex64(id));
	assert_true(is_lower_hex64(csrf));
	assert_string_not_equal(id, csrf);

	struct session s;
	assert_int_equal(session_lookup(f->d, id, clock_now(), &s), DB_ROW);
	char h[65];
	util_hash_hex(id, h);
	assert_string_equal(s.id_hash, h);
	assert_string_equal(s.csrf, csrf);
	assert_true(s.created_at >= before && s.created_at <= after);
	assert_int_equal(s.last_seen, s.created_at);
	assert_int_equal(s.user.id, f->uid);
	assert_string_equal(s.user.username, "ann");
	assert_string_equal(s.user.display_name, "Ann");
	assert_int_equal(s.user.role, ROLE_ONDERZOEKER);
	assert_int_equal(s.user.disabled, 0);
}

static void test_ids_unique(void **state)
{
	struct fixture *f = *state;
	char a[65], b[65], ca[65], cb[65];
	create(f, a, ca);
	create(f, b, cb);
	assert_string_not_equal(a, b);
	assert_string_not_equal(ca, cb);
	assert_int_equal(count_sessions(f->d), 2);
	assert_int_equal(lookup_now(f, a), DB_ROW);
	assert_int_equal(lookup_now(f, b), DB_ROW);
}

static void test_stored_by_hash(void **state)
{
	struct fixture *f = *state;
	char id[65], csrf[65];
	create(f, id, csrf);
	db_stmt *s = db_prepare(f->d, "SELECT id_hash, ip FROM sessions");
	assert_int_equal(db_step(s), DB_ROW);
	char h[65];
	util_hash_hex(id, h);
	assert_string_equal(db_col_text(s, 0), h);
	assert_string_not_equal(db_col_text(s, 0), id);
	assert_string_equal(db_col_text(s, 1), "192.0.2.7");
	db_finalize(s);
	/* The raw id is in no column of the row. */
	s = db_prepare(f->d,
	               "SELECT COUNT(*) FROM sessions WHERE id_hash = :id OR csrf_token = :id "
	               "OR ip = :id OR instr(id_hash, :id) > 0");
	db_bind_text(s, "id", id);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 0);
	db_finalize(s);
	/* The stored hash is not a cookie value that works. */
	assert_int_equal(lookup_now(f, h), DB_DONE);
}

static void test_unknown_id(void **state)
{
	struct fixture *f = *state;
	char id[65], csrf[65];
	create(f, id, csrf);
	char other[65];
	util_random_hex(other, 32);
	assert_int_equal(lookup_now(f, other), DB_DONE);
}

static void test_delete(void **state)
{
	struct fixture *f = *state;
	char id[65], csrf[65];
	create(f, id, csrf);
	struct session s;
	assert_int_equal(session_lookup(f->d, id, clock_now(), &s), DB_ROW);
	assert_int_equal(session_delete(f->d, s.id_hash), DB_OK);
	assert_int_equal(lookup_now(f, id), DB_DONE);
	assert_int_equal(count_sessions(f->d), 0);
}

/* ---- expiry ---- */

static void test_idle_timeout(void **state)
{
	struct fixture *f = *state;
	char id[65], csrf[65];
	create(f, id, csrf);
	clock_advance(29 * 60);
	assert_int_equal(lookup_now(f, id), DB_ROW);
	clock_advance(2 * 60); /* 31 minutes idle */
	assert_int_equal(lookup_now(f, id), DB_DONE);
}

static void test_idle_boundary(void **state)
{
	struct fixture *f = *state;
	char id[65], csrf[65];
	create(f, id, csrf);
	struct session s;
	assert_int_equal(session_lookup(f->d, id, clock_now(), &s), DB_ROW);
	int64_t t0 = s.last_seen;
	assert_int_equal(session_lookup(f->d, id, t0 + SESSION_IDLE_SECONDS, &s), DB_ROW);
	assert_int_equal(session_lookup(f->d, id, t0 + SESSION_IDLE_SECONDS + 1, &s), DB_DONE);
}

static void test_touch_extends(void **state)
{
	struct fixture *f = *state;
	char id[65], csrf[65], idle[65], csrf2[65];
	create(f, id, csrf);
	create(f, idle, csrf2);
	struct session s;
	assert_int_equal(session_lookup(f->d, id, clock_now(), &s), DB_ROW);
	clock_advance(20 * 60);
	assert_int_equal(session_touch(f->d, s.id_hash, clock_now()), DB_OK);
	clock_advance(20 * 60); /* 40 minutes after creation, 20 after the touch */
	assert_int_equal(lookup_now(f, id), DB_ROW);
	assert_int_equal(lookup_now(f, idle), DB_DONE); /* the untouched one expired */
	assert_int_equal(session_lookup(f->d, id, clock_now(), &s), DB_ROW);
	assert_true(clock_now() - s.last_seen >= 20 * 60 &&
	            clock_now() - s.last_seen <= 20 * 60 + 2);
}

static void test_touch_never_moves_back(void **state)
{
	struct fixture *f = *state;
	char id[65], csrf[65];
	create(f, id, csrf);
	struct session s;
	assert_int_equal(session_lookup(f->d, id, clock_now(), &s), DB_ROW);
	int64_t seen = s.last_seen;
	assert_int_equal(session_touch(f->d, s.id_hash, seen - 500), DB_OK);
	assert_int_equal(session_lookup(f->d, id, clock_now(), &s), DB_ROW);
	assert_int_equal(s.last_seen, seen);
	assert_int_equal(session_touch(f->d, s.id_hash, seen + 100), DB_OK);
	assert_int_equal(session_lookup(f->d, id, clock_now(), &s), DB_ROW);
	assert_int_equal(s.last_seen, seen + 100);
}

static void test_absolute_limit(void **state)
{
	struct fixture *f = *state;
	char id[65], csrf[65];
	create(f, id, csrf);
	struct session s;
	assert_int_equal(session_lookup(f->d, id, clock_now(), &s), DB_ROW);
	char hash[65];
	memcpy(hash, s.id_hash, sizeof hash);
	/* Busy all day: a touch every 29 minutes. */
	int minutes = 0;
	for (int step = 0; step < 30; step++) {
		clock_advance(29 * 60);
		minutes += 29;
		int rc = lookup_now(f, id);
		if (minutes < 12 * 60 - 1)
			assert_int_equal(rc, DB_ROW);
		else if (minutes > 12 * 60 + 1)
			assert_int_equal(rc, DB_DONE);
		assert_int_equal(session_touch(f->d, hash, clock_now()), DB_OK);
	}
	/* Touched a moment ago, yet expired. */
	assert_int_equal(lookup_now(f, id), DB_DONE);
}

static void test_clock_skew(void **state)
{
	struct fixture *f = *state;
	char id[65], csrf[65];
	create(f, id, csrf);
	struct session s;
	assert_int_equal(session_lookup(f->d, id, clock_now(), &s), DB_ROW);
	/* A session from the future (clock set back) is not trusted. */
	assert_int_equal(session_lookup(f->d, id, s.created_at - 3600, &s), DB_DONE);
}

static void test_disabled_user(void **state)
{
	struct fixture *f = *state;
	char id[65], csrf[65];
	create(f, id, csrf);
	/* Set the flag behind the model's back: lookup must check it itself. */
	db_stmt *s = db_prepare(f->d, "UPDATE users SET disabled = 1 WHERE id = :id");
	db_bind_int(s, "id", f->uid);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	assert_int_equal(count_sessions(f->d), 1);
	assert_int_equal(lookup_now(f, id), DB_DONE);
	s = db_prepare(f->d, "UPDATE users SET disabled = 0 WHERE id = :id");
	db_bind_int(s, "id", f->uid);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	assert_int_equal(lookup_now(f, id), DB_ROW);
	/* Disabling the model's way also ends the sessions. */
	assert_int_equal(user_set_disabled(f->d, f->uid, 1), DB_OK);
	assert_int_equal(lookup_now(f, id), DB_DONE);
	assert_int_equal(count_sessions(f->d), 0);
}

/* ---- malformed cookie values ---- */

static void test_malformed_ids(void **state)
{
	struct fixture *f = *state;
	char id[65], csrf[65];
	create(f, id, csrf);
	int64_t now = clock_now();

	char upper[65];
	for (int i = 0; i < 65; i++)
		upper[i] = (char)toupper((unsigned char)id[i]);
	char shorter[64];
	memcpy(shorter, id, 63), shorter[63] = '\0';
	char longer[66];
	memcpy(longer, id, 64), longer[64] = 'a', longer[65] = '\0';
	char nonhex[65];
	memcpy(nonhex, id, 65), nonhex[10] = 'g';
	char spaced[65];
	memcpy(spaced, id, 65), spaced[0] = ' ';
	const char *bad[] = {upper, shorter, longer, nonhex, spaced, "", "../../etc/passwd"};

	/* Give each malformed value a stored session of its own, so only the
	 * format check can refuse it. */
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		insert_raw(f->d, f->uid, bad[i], now, now);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct session s;
		if (session_lookup(f->d, bad[i], now, &s) != DB_DONE)
			fail_msg("malformed id \"%s\" accepted", bad[i]);
	}
	struct session s;
	assert_int_equal(session_lookup(f->d, NULL, now, &s), DB_DONE);
	assert_int_equal(session_lookup(f->d, id, now, &s), DB_ROW); /* the real one still works */
}

/* ---- purge ---- */

static void test_purge(void **state)
{
	struct fixture *f = *state;
	int64_t now = clock_now();
	char id[65], csrf[65];
	create(f, id, csrf);
	insert_raw(f->d, f->uid, "idle", now - SESSION_IDLE_SECONDS - 10,
	           now - SESSION_IDLE_SECONDS - 10);
	insert_raw(f->d, f->uid, "old", now - SESSION_ABSOLUTE_SECONDS - 10, now - 5);
	assert_int_equal(login_failure_record(f->d, "user:ann", now - 20 * 60), DB_OK);
	assert_int_equal(login_failure_record(f->d, "user:ann", now - 60), DB_OK);
	assert_int_equal(count_sessions(f->d), 3);

	assert_int_equal(session_purge(f->d, now), 3); /* 2 sessions, 1 failure */
	assert_int_equal(count_sessions(f->d), 1);
	assert_int_equal(lookup_now(f, id), DB_ROW);
	db_stmt *s = db_prepare(f->d, "SELECT COUNT(*) FROM login_failures");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	db_finalize(s);
	assert_int_equal(session_purge(f->d, now), 0);
}

/* ---- login throttle ---- */

static void test_login_failures_window(void **state)
{
	struct fixture *f = *state;
	int64_t now = clock_now();
	assert_int_equal(login_failures(f->d, "user:ann", now), 0);
	assert_int_equal(login_failure_record(f->d, "user:ann", now - 16 * 60),
	                 DB_OK); /* too old */
	assert_int_equal(login_failure_record(f->d, "user:ann", now - 14 * 60), DB_OK);
	assert_int_equal(login_failure_record(f->d, "user:ann", now - 60), DB_OK);
	assert_int_equal(login_failure_record(f->d, "user:ann", now), DB_OK);
	assert_int_equal(login_failure_record(f->d, "ip:192.0.2.7", now), DB_OK);
	assert_int_equal(login_failures(f->d, "user:ann", now), 3);
	assert_int_equal(login_failures(f->d, "ip:192.0.2.7", now), 1);
	assert_int_equal(login_failures(f->d, "user:bob", now), 0);
	assert_int_equal(login_failures(f->d, "user:an", now), 0);

	/* Time passes: the window moves with it. */
	clock_advance(2 * 60);
	assert_int_equal(login_failures(f->d, "user:ann", clock_now()), 2);
	clock_advance(15 * 60);
	assert_int_equal(login_failures(f->d, "user:ann", clock_now()), 0);
}

static void test_login_failures_clear(void **state)
{
	struct fixture *f = *state;
	int64_t now = clock_now();
	for (int i = 0; i < LOGIN_MAX_FAILURES; i++)
		assert_int_equal(login_failure_record(f->d, "user:ann", now - i), DB_OK);
	assert_int_equal(login_failure_record(f->d, "ip:192.0.2.7", now), DB_OK);
	assert_int_equal(login_failures(f->d, "user:ann", now), LOGIN_MAX_FAILURES);
	assert_int_equal(login_failures_clear(f->d, "user:ann"), DB_OK);
	assert_int_equal(login_failures(f->d, "user:ann", now), 0);
	assert_int_equal(login_failures(f->d, "ip:192.0.2.7", now), 1); /* other subjects stay */
	assert_int_equal(login_failures_clear(f->d, "user:nobody"), DB_OK);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_create_lookup),        T(test_ids_unique),    T(test_stored_by_hash),
	        T(test_unknown_id),           T(test_delete),        T(test_idle_timeout),
	        T(test_idle_boundary),        T(test_touch_extends), T(test_touch_never_moves_back),
	        T(test_absolute_limit),       T(test_clock_skew),    T(test_disabled_user),
	        T(test_malformed_ids),        T(test_purge),         T(test_login_failures_window),
	        T(test_login_failures_clear),
	};
#undef T
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
