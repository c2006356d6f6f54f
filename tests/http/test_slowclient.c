/* test_slowclient.c: a slowloris attack on 127.0.0.1: others are still served, and the trickling connections time out. */
#include "../unit/testutil.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
// clang-format on

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <time.h>

enum {
	ATTACKERS = 150,         /* below the per-IP limit set below */
	PER_IP_LIMIT = 400,      /* all test connections come from 127.0.0.1 */
	CONN_TIMEOUT = 3,        /* seconds of inactivity */
	TRICKLE_MS = 250,        /* pause between two bytes on one connection */
	ATTACK_MAX_MS = 12000,   /* the helper thread stops by itself after this */
	CHECKS = 8,              /* GET /healthz during the attack */
	CHECK_EVERY_MS = 500,    /* between two checks */
	ANSWER_MS = 2000,        /* a check must be answered within this */
	CLOSE_SLACK_MS = 5000,   /* after the timeout, until every trickler is closed */
	MIN_IDLE_CLOSE_MS = 2000 /* a trickler is closed no sooner after its last byte */
};

/* The headers that never end: one more 'a' at a time after the prefix. */
static const char prefix[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

struct attack {
	int fds[ATTACKERS];
	size_t sent[ATTACKERS];       /* bytes sent on each */
	int64_t last_us[ATTACKERS];   /* when the last byte went out */
	int64_t closed_us[ATTACKERS]; /* when the server closed it (0: open) */
	atomic_int closed_during;     /* closed by the server while trickling */
	atomic_int stop;
	int64_t deadline_us;
	pthread_t thread;
	int running;
};
static struct attack atk;

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* 1 when the server has closed fd (EOF or reset); reads and drops any data. */
static int peer_closed(int fd)
{
	char tmp[512];
	for (;;) {
		ssize_t k = recv(fd, tmp, sizeof tmp, MSG_DONTWAIT);
		if (k == 0)
			return 1;
		if (k < 0)
			return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
	}
}

/* The helper thread: one byte on every open connection, then a pause;
 * until told to stop or its own deadline passes. */
static void *trickle(void *arg)
{
	struct attack *a = arg;
	while (!atomic_load(&a->stop) && clock_mono_us() < a->deadline_us) {
		for (int i = 0; i < ATTACKERS; i++) {
			if (a->closed_us[i])
				continue;
			if (peer_closed(a->fds[i])) {
				a->closed_us[i] = clock_mono_us();
				atomic_fetch_add(&a->closed_during, 1);
				continue;
			}
			char c = a->sent[i] < sizeof prefix - 1 ? prefix[a->sent[i]] : 'a';
			ssize_t k = send(a->fds[i], &c, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (k == 1) {
				a->sent[i]++;
				a->last_us[i] = clock_mono_us();
			} else if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
				a->closed_us[i] = clock_mono_us();
				atomic_fetch_add(&a->closed_during, 1);
			}
		}
		for (int t = 0; t < TRICKLE_MS / 25 && !atomic_load(&a->stop); t++)
			sleep_ms(25);
	}
	return NULL;
}

static void attack_stop(void)
{
	if (atk.running) {
		atomic_store(&atk.stop, 1);
		pthread_join(atk.thread, NULL);
		atk.running = 0;
	}
}

static void attack_close_all(void)
{
	for (int i = 0; i < ATTACKERS; i++)
		if (atk.fds[i] >= 0) {
			close(atk.fds[i]);
			atk.fds[i] = -1;
		}
}

static int setup(void **state)
{
	for (int i = 0; i < ATTACKERS; i++)
		atk.fds[i] = -1;
	db *d = fixture_open("slow");
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.body_limit = 1024 * 1024;
	cfg.conn_timeout = CONN_TIMEOUT;
	cfg.per_ip_limit = PER_IP_LIMIT;
	return fixture_start(d, &cfg);
}

static int teardown(void **state)
{
	/* Also after a failed assertion: the thread is joined, the sockets closed. */
	attack_stop();
	attack_close_all();
	return fixture_stop();
}

/* Connections the server holds now, over all its worker threads. */
static unsigned server_connections(void)
{
	const union MHD_DaemonInfo *di =
	        MHD_get_daemon_info(app.daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return di ? di->num_connections : 0;
}

/* GET /healthz on a fresh connection; returns the milliseconds until the
 * whole answer was in, or -1 when it was not a 200 within ANSWER_MS. */
static int healthz_ms(void)
{
	int64_t start = clock_mono_us();
	int fd = http_connect(port);
	if (fd < 0)
		return -1;
	const char *rq = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
	if (http_send_all(fd, rq, strlen(rq))) {
		close(fd);
		return -1;
	}
	struct http_resp r;
	buf_init(&r.raw);
	char tmp[4096];
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	for (;;) {
		int left = ANSWER_MS - (int)((clock_mono_us() - start) / 1000);
		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			break;
		ssize_t k = recv(fd, tmp, sizeof tmp, 0);
		if (k <= 0)
			break; /* Connection: close: the answer is complete */
		buf_append(&r.raw, tmp, (size_t)k);
	}
	close(fd);
	int ms = (int)((clock_mono_us() - start) / 1000);
	http_parse(&r);
	int ok = r.status == 200 && r.body_len == 15 &&
	         memcmp(r.body, "{\"status\":\"ok\"}", 15) == 0;
	http_free(&r);
	return ok && ms < ANSWER_MS ? ms : -1;
}

static void test_slowloris(void **state)
{
	int64_t t0 = clock_mono_us();
	assert_true(healthz_ms() >= 0);

	for (int i = 0; i < ATTACKERS; i++) {
		atk.fds[i] = http_connect(port);
		assert_true(atk.fds[i] >= 0);
	}
	atomic_store(&atk.stop, 0);
	atomic_store(&atk.closed_during, 0);
	atk.deadline_us = clock_mono_us() + (int64_t)ATTACK_MAX_MS * 1000;
	assert_int_equal(pthread_create(&atk.thread, NULL, trickle, &atk), 0);
	atk.running = 1;

	/* The attack is real: the server holds all of them (half-sent
	 * requests; every byte restarts their inactivity timeout). */
	unsigned held = 0;
	for (int t = 0; t < 100 && held < ATTACKERS; t++) {
		sleep_ms(50);
		held = server_connections();
	}
	print_message("  server holds %u connections\n", held);
	assert_true(held >= ATTACKERS);

	int worst = 0;
	for (int c = 0; c < CHECKS; c++) {
		int ms = healthz_ms();
		if (ms < 0)
			fail_msg("check %d during the attack: no 200 within %d ms", c, ANSWER_MS);
		if (ms > worst)
			worst = ms;
		sleep_ms(CHECK_EVERY_MS);
	}
	print_message("  %d checks during the attack, slowest %d ms\n", CHECKS, worst);
	/* The connections were still trickling all along, so the checks were
	 * answered while the server held them all. */
	assert_int_equal(atomic_load(&atk.closed_during), 0);
	assert_true(server_connections() >= ATTACKERS);
	size_t min_sent = SIZE_MAX;
	for (int i = 0; i < ATTACKERS; i++)
		if (atk.sent[i] < min_sent)
			min_sent = atk.sent[i];
	assert_true(min_sent >= 10); /* every one sent bytes over several seconds */

	/* Stop trickling, keep the sockets open: the server must close them
	 * itself once they have been idle for its timeout. */
	attack_stop();
	int64_t stopped = clock_mono_us();
	int64_t until = stopped + (int64_t)(CONN_TIMEOUT * 1000 + CLOSE_SLACK_MS) * 1000;
	int open = ATTACKERS;
	while (open > 0 && clock_mono_us() < until) {
		struct pollfd pfds[ATTACKERS];
		int map[ATTACKERS], n = 0;
		for (int i = 0; i < ATTACKERS; i++)
			if (!atk.closed_us[i]) {
				pfds[n].fd = atk.fds[i];
				pfds[n].events = POLLIN;
				pfds[n].revents = 0;
				map[n++] = i;
			}
		if (poll(pfds, (nfds_t)n, 100) <= 0)
			continue;
		for (int k = 0; k < n; k++)
			if (pfds[k].revents && peer_closed(pfds[k].fd)) {
				atk.closed_us[map[k]] = clock_mono_us();
				open--;
			}
	}
	if (open)
		fail_msg("%d of %d trickling connections still open %d s after the last byte", open,
		         ATTACKERS, CONN_TIMEOUT + CLOSE_SLACK_MS / 1000);
	int64_t first = INT64_MAX, last = 0;
	for (int i = 0; i < ATTACKERS; i++) {
		int64_t idle = atk.closed_us[i] - atk.last_us[i];
		if (idle < (int64_t)MIN_IDLE_CLOSE_MS * 1000)
			fail_msg("connection %d closed %lld ms after its last byte, before the "
			         "timeout",
			         i, (long long)(idle / 1000));
		if (idle < first)
			first = idle;
		if (idle > last)
			last = idle;
	}
	print_message("  trickling connections closed %lld..%lld ms after their last byte\n",
	              (long long)(first / 1000), (long long)(last / 1000));
	attack_close_all();

	/* Afterwards: the server answers and holds nothing of the attack. */
	assert_true(healthz_ms() >= 0);
	unsigned left = server_connections();
	for (int t = 0; t < 40 && left > 0; t++) {
		sleep_ms(50);
		left = server_connections();
	}
	assert_int_equal(left, 0);
	print_message("  %lld ms in all\n", (long long)((clock_mono_us() - t0) / 1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_slowloris),
	};
	return cmocka_run_group_tests_name("slowclient", tests, setup, teardown);
}
