/* test_shutdown.c: the real binary under SIGTERM: in-flight requests finish, new ones are refused, the database closes cleanly (a file, or a PostgreSQL schema with VP_TEST_DB). */
#include "../unit/testutil.h"

#include "httpclient.h"
#include "unit/testdb.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

static char bin[600], dir[256], dbpath[300], keypath[300], logpath[300];

static int run(char *const argv[], const char *out)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int setup(void **state)
{
	/* The binary sits next to the tests folder: BUILD/tests/x -> BUILD/vertelpunt. */
	char self[512];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	snprintf(bin, sizeof bin, "%s/../vertelpunt", dirname(self));
	snprintf(dir, sizeof dir, "/tmp/vp-stop-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(dbpath, sizeof dbpath, "%s/vp.db", dir);
	if (test_db_pg_url() && test_db_pg_make(dir, dbpath, sizeof dbpath) != 0)
		return -1;
	snprintf(keypath, sizeof keypath, "%s/vp.key", dir);
	snprintf(logpath, sizeof logpath, "%s/log", dir);
	char *init[] = {bin, "init", "--db", dbpath, "--key", keypath, NULL};
	return run(init, logpath) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];
	if (getenv("VP_KEEP"))
		return 0;
	test_db_pg_drop(dbpath);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int wait_port(const char *log, int timeout_ms)
{
	for (int t = 0; t < timeout_ms; t += 20) {
		FILE *f = fopen(log, "r");
		char line[1024];
		while (f && fgets(line, sizeof line, f)) {
			const char *p = strstr(line, "\"msg\":\"http://127.0.0.1:");
			if (p && strstr(line, "\"event\":\"listening\"")) {
				fclose(f);
				return atoi(p + 24);
			}
		}
		if (f)
			fclose(f);
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return -1;
}

static void test_sigterm_graceful(void **state)
{
	char servelog[320];
	snprintf(servelog, sizeof servelog, "%s/serve.log", dir);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(servelog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 2);
		execl(bin, bin, "serve", "--db", dbpath, "--key", keypath, "--listen",
		      "127.0.0.1:0", (char *)NULL);
		_exit(127);
	}
	int port = wait_port(servelog, 10000);
	assert_true(port > 0);

	/* A request in flight: headers and half of its body sent. */
	int fd = http_connect((unsigned short)port);
	assert_true(fd >= 0);
	const char *head = "POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
	                   "Content-Type: application/x-www-form-urlencoded\r\n"
	                   "Content-Length: 27\r\n\r\nusername=a&pass";
	assert_int_equal(http_send_all(fd, head, strlen(head)), 0);
	struct timespec ts = {0, 200 * 1000 * 1000};
	nanosleep(&ts, NULL);
	assert_int_equal(kill(pid, SIGTERM), 0);
	nanosleep(&ts, NULL);

	/* New connections are no longer accepted. */
	int fd2 = http_connect((unsigned short)port);
	assert_true(fd2 < 0);

	/* The one in flight still gets its answer (403: no CSRF token). */
	assert_int_equal(http_send_all(fd, "word=secret1", 13 - 1), 0);
	buf got;
	buf_init(&got);
	http_read_all(fd, &got, 5000);
	assert_non_null(got.data);
	assert_memory_equal(got.data, "HTTP/1.1 403", 12);
	buf_free(&got);

	int st = 0;
	for (int t = 0; t < 100 && waitpid(pid, &st, WNOHANG) == 0; t++)
		nanosleep(&ts, NULL);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);

	/* Closed cleanly: on SQLite the last connection checkpointed and
	 * removed the WAL (PostgreSQL has no file of ours to look at). */
	char wal[340];
	snprintf(wal, sizeof wal, "%s-wal", dbpath);
	struct stat sb;
	if (!test_db_pg_url())
		assert_true(stat(wal, &sb) != 0 || sb.st_size == 0);
	FILE *f = fopen(servelog, "r");
	assert_non_null(f);
	char line[1024];
	int stopped = 0;
	while (fgets(line, sizeof line, f))
		stopped |= strstr(line, "\"event\":\"stopped\"") != NULL;
	fclose(f);
	assert_true(stopped);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sigterm_graceful),
	};
	return cmocka_run_group_tests_name("shutdown", tests, setup, teardown);
}
