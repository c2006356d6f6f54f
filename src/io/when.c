/* when.c: times as people read and type them: the municipality's local time (Europe/Amsterdam, summer time included) to and from the stored UTC seconds. */
#include "io/when.h"

#include <libical/ical.h>
#include <stdio.h>
#include <string.h>

/* libical's own zone data (from the system's tzdata): the rules for summer
 * time are not written by hand. */
static icaltimezone *zone(void)
{
	return icaltimezone_get_builtin_timezone("Europe/Amsterdam");
}

int when_parse_local(const char *s, int64_t *out)
{
	int y, mo, d, h, mi;
	char tail;
	if (!s || strlen(s) != 16 ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi, &tail) != 5)
		return -1;
	if (y < 2000 || y > 2200 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || h < 0 ||
	    mi < 0 || d > icaltime_days_in_month(mo, y))
		return -1;
	struct icaltimetype t = icaltime_null_time();
	t.year = y;
	t.month = mo;
	t.day = d;
	t.hour = h;
	t.minute = mi;
	icaltimezone *z = zone();
	if (!z)
		return -1;
	*out = (int64_t)icaltime_as_timet_with_zone(t, z);
	return 0;
}

static struct icaltimetype local(int64_t t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0, zone());
}

void when_input_value(int64_t t, char out[17])
{
	struct icaltimetype l = local(t);
	unsigned y = (unsigned)l.year % 10000u, mo = (unsigned)l.month % 13u,
	         d = (unsigned)l.day % 32u, h = (unsigned)l.hour % 24u,
	         mi = (unsigned)l.minute % 60u;
	snprintf(out, 17, "%04u-%02u-%02uT%02u:%02u", y, mo, d, h, mi);
}

void when_text(int64_t t, const char *lang, char *out, size_t outlen)
{
	static const char *const nl_days[] = {"zondag",    "maandag", "dinsdag", "woensdag",
	                                      "donderdag", "vrijdag", "zaterdag"};
	static const char *const en_days[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
	                                      "Thursday", "Friday", "Saturday"};
	static const char *const nl_months[] = {"januari",   "februari", "maart",    "april",
	                                        "mei",       "juni",     "juli",     "augustus",
	                                        "september", "oktober",  "november", "december"};
	static const char *const en_months[] = {"January",   "February", "March",    "April",
	                                        "May",       "June",     "July",     "August",
	                                        "September", "October",  "November", "December"};
	struct icaltimetype l = local(t);
	int wd = icaltime_day_of_week(l) - 1; /* 1 = Sunday */
	int en = lang && strcmp(lang, "en") == 0;
	if (wd < 0 || wd > 6 || l.month < 1 || l.month > 12) {
		snprintf(out, outlen, "?");
		return;
	}
	snprintf(out, outlen, "%s %d %s %d, %02d:%02d", en ? en_days[wd] : nl_days[wd], l.day,
	         en ? en_months[l.month - 1] : nl_months[l.month - 1], l.year, l.hour, l.minute);
}
