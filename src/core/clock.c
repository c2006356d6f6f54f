/* clock.c: wall and monotonic time. */
#include "core/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Atomic int64_t offset;

/* Tests of whole processes (tests/cli/test_mail.sh) move the clock of a
 * command with VP_TEST_CLOCK_OFFSET=SECONDS in its environment. Nothing
 * else reads it; unset (always, outside tests) it changes nothing. */
__attribute__((constructor)) static void clock_offset_from_env(void)
{
	const char *s = getenv("VP_TEST_CLOCK_OFFSET");
	if (!s || !*s)
		return;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end == '\0')
		atomic_store(&offset, (int64_t)v);
}

int64_t clock_now(void)
{
	return (int64_t)time(NULL) + atomic_load(&offset);
}

int64_t clock_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + atomic_load(&offset) * 1000;
}

int64_t clock_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void clock_advance(int64_t delta)
{
	atomic_fetch_add(&offset, delta);
}

void clock_reset(void)
{
	atomic_store(&offset, 0);
}

void clock_iso(int64_t t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
