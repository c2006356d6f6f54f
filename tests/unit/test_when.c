/* test_when.c: local times typed and shown (Europe/Amsterdam) against UTC seconds, winter and summer time, days that do not exist. */
#include "testutil.h"

#include "io/when.h"

#include <string.h>

/* Reference values: `date -u -d 'TZ="Europe/Amsterdam" 2026-03-01 14:30' +%s`
 * gives 1772371800; with 2026-07-01 14:30 it gives 1782909000. */
static void test_parse(void **state)
{
	int64_t t;
	assert_int_equal(when_parse_local("2026-03-01T14:30", &t), 0);
	assert_int_equal(t, 1772371800);
	assert_int_equal(when_parse_local("2026-07-01T14:30", &t), 0);
	assert_int_equal(t, 1782909000);
	static const char *const bad[] = {"",
	                                  "2026-02-30T10:00",
	                                  "2026-13-01T10:00",
	                                  "2026-03-01T24:00",
	                                  "2026-03-01 14:30",
	                                  "2026-03-01T14:30:00",
	                                  "2026-03-01T14:3x",
	                                  "1999-03-01T14:30"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (when_parse_local(bad[i], &t) == 0)
			fail_msg("\"%s\" was taken as a time", bad[i]);
	assert_int_equal(when_parse_local(NULL, &t), -1);
	/* 29 February only in a leap year */
	assert_int_equal(when_parse_local("2028-02-29T09:00", &t), 0);
	assert_int_equal(when_parse_local("2027-02-29T09:00", &t), -1);
}

static void test_show(void **state)
{
	char v[17], text[80];
	when_input_value(1782909000, v);
	assert_string_equal(v, "2026-07-01T14:30");
	when_input_value(1772371800, v);
	assert_string_equal(v, "2026-03-01T14:30");
	when_text(1772371800, "nl", text, sizeof text);
	assert_string_equal(text, "zondag 1 maart 2026, 14:30");
	when_text(1782909000, "en", text, sizeof text);
	assert_string_equal(text, "Wednesday 1 July 2026, 14:30");
	/* round trip over a year, every 7 hours and 13 minutes */
	for (int64_t t = 1767225600; t < 1767225600 + 366 * 86400; t += 7 * 3600 + 13 * 60) {
		int64_t back;
		int64_t minute = t - t % 60;
		when_input_value(minute, v);
		assert_int_equal(when_parse_local(v, &back), 0);
		/* the hour that repeats in October may come back an hour early */
		if (back != minute && back != minute - 3600)
			fail_msg("%lld -> %s -> %lld", (long long)minute, v, (long long)back);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse),
	        cmocka_unit_test(test_show),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
