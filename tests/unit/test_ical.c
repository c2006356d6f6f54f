/* test_ical.c: iCalendar invitations, updates and cancellations, read back with libical. */
#include "testutil.h"

#include "io/ical.h"

#include <libical/ical.h>
#include <string.h>

static const struct ical_attendee people[] = {
        {"jan@voorbeeld.nl", "Jan de Vries"},
        {"fatima@voorbeeld.nl", "Fatima El Amrani"},
};

static struct ical_event base(void)
{
	struct ical_event e = {.method = VP_ICAL_REQUEST,
	                       .uid = "conversation-42@vertelpunt.example",
	                       .sequence = 0,
	                       .dtstamp = 1795000000,
	                       .start = 1795600800, /* 2026-11-25T10:00:00Z */
	                       .end = 1795604400,
	                       .summary = "Keukentafelgesprek over de Dorpsstraat",
	                       .description = "We praten over het plan.",
	                       .location = "Dorpsstraat 1, Voorbeeld",
	                       .url = "https://video.example/room/abc",
	                       .organizer_addr = "gemeente@voorbeeld.nl",
	                       .organizer_name = "Gemeente Voorbeeld",
	                       .attendees = people,
	                       .nattendees = 2};
	return e;
}

/* Builds e and parses the text back: the VEVENT (the calendar is in *cal,
 * free it). */
static icalcomponent *build_parse(const struct ical_event *e, icalcomponent **cal, buf *text)
{
	char err[256] = "";
	buf_init(text);
	assert_int_equal(ical_build(e, text, err, sizeof err), 0);
	*cal = icalparser_parse_string(text->data);
	assert_non_null(*cal);
	assert_int_equal(icalcomponent_isa(*cal), ICAL_VCALENDAR_COMPONENT);
	icalcomponent *ev = icalcomponent_get_first_component(*cal, ICAL_VEVENT_COMPONENT);
	assert_non_null(ev);
	/* Only one event, and nothing libical itself finds wrong. */
	assert_null(icalcomponent_get_next_component(*cal, ICAL_VEVENT_COMPONENT));
	icalcomponent_strip_errors(*cal);
	return ev;
}

static const char *param(icalproperty *p, icalparameter_kind k)
{
	icalparameter *x = icalproperty_get_first_parameter(p, k);
	return x ? icalparameter_as_ical_string(x) : NULL;
}

static void test_request_every_field(void **state)
{
	struct ical_event e = base();
	icalcomponent *cal;
	buf text;
	icalcomponent *ev = build_parse(&e, &cal, &text);
	/* Every line ends in CRLF and none is longer than 75 octets. */
	for (char *p = text.data, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		assert_true(nl > p && nl[-1] == '\r');
		assert_true(nl - p - 1 <= 75);
	}
	assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_REQUEST);
	assert_string_equal(icalcomponent_get_uid(ev), e.uid);
	assert_int_equal(icalcomponent_get_sequence(ev), 0);
	struct icaltimetype st = icalcomponent_get_dtstart(ev);
	assert_true(icaltime_is_utc(st));
	assert_int_equal((int64_t)icaltime_as_timet(st), e.start);
	assert_int_equal((int64_t)icaltime_as_timet(icalcomponent_get_dtend(ev)), e.end);
	assert_int_equal((int64_t)icaltime_as_timet(icalcomponent_get_dtstamp(ev)), e.dtstamp);
	assert_string_equal(icalcomponent_get_summary(ev), e.summary);
	assert_string_equal(icalcomponent_get_description(ev), e.description);
	assert_string_equal(icalcomponent_get_location(ev), e.location);
	icalproperty *url = icalcomponent_get_first_property(ev, ICAL_URL_PROPERTY);
	assert_non_null(url);
	assert_string_equal(icalproperty_get_url(url), e.url);
	assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
	icalproperty *org = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
	assert_string_equal(icalproperty_get_organizer(org), "mailto:gemeente@voorbeeld.nl");
	assert_string_equal(param(org, ICAL_CN_PARAMETER), "CN=Gemeente Voorbeeld");
	int n = 0;
	for (icalproperty *a = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); a;
	     a = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY), n++) {
		char want[80];
		snprintf(want, sizeof want, "mailto:%s", people[n].addr);
		assert_string_equal(icalproperty_get_attendee(a), want);
		icalparameter *cn = icalproperty_get_first_parameter(a, ICAL_CN_PARAMETER);
		assert_string_equal(icalparameter_get_cn(cn), people[n].name);
		icalparameter *rsvp = icalproperty_get_first_parameter(a, ICAL_RSVP_PARAMETER);
		assert_int_equal(icalparameter_get_rsvp(rsvp), ICAL_RSVP_TRUE);
	}
	assert_int_equal(n, 2);
	icalcomponent_free(cal);
	buf_free(&text);
}

static void test_update_and_cancel_keep_uid(void **state)
{
	struct ical_event e = base();
	icalcomponent *cal;
	buf text;
	e.sequence = 1;
	e.start += 3600;
	e.end += 3600;
	icalcomponent *ev = build_parse(&e, &cal, &text);
	assert_string_equal(icalcomponent_get_uid(ev), "conversation-42@vertelpunt.example");
	assert_int_equal(icalcomponent_get_sequence(ev), 1);
	assert_int_equal((int64_t)icaltime_as_timet(icalcomponent_get_dtstart(ev)), e.start);
	icalcomponent_free(cal);
	buf_free(&text);

	e.method = VP_ICAL_CANCEL;
	e.sequence = 2;
	ev = build_parse(&e, &cal, &text);
	assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_CANCEL);
	assert_string_equal(icalcomponent_get_uid(ev), "conversation-42@vertelpunt.example");
	assert_int_equal(icalcomponent_get_sequence(ev), 2);
	assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
	assert_non_null(strstr(text.data, "METHOD:CANCEL\r\n"));
	icalcomponent_free(cal);
	buf_free(&text);
}

static void test_hostile_text(void **state)
{
	/* Line breaks, the separators of RFC 5545, a backslash, a very long
	 * line and non-ASCII: all come back exactly. */
	char longline[3100] = "";
	while (strlen(longline) < 3000)
		strcat(longline, "\xc3\x89\xc3\xa9n zin; met, tekens\\ \xf0\x9f\x8f\xa0 ");
	/* (libical's parser drops white space at the end of a value) */
	strcat(longline, "einde");
	struct ical_event e = base();
	e.summary = "Gesprek; over \"wonen\", zorg\nen END:VEVENT\r\nBEGIN:VALARM";
	e.description = longline;
	e.location = "Straße 5,\nGöteborg; 🏠";
	struct ical_attendee odd[] = {{"a@b.nl", "Line\nBreak \"quoted\""}};
	e.attendees = odd;
	e.nattendees = 1;
	icalcomponent *cal;
	buf text;
	icalcomponent *ev = build_parse(&e, &cal, &text);
	/* A CR LF or a lone CR is a line break, which iCalendar writes as \n. */
	assert_string_equal(icalcomponent_get_summary(ev),
	                    "Gesprek; over \"wonen\", zorg\nen END:VEVENT\nBEGIN:VALARM");
	assert_string_equal(icalcomponent_get_description(ev), longline);
	assert_string_equal(icalcomponent_get_location(ev), e.location);
	/* The injected END:VEVENT stayed text: still one event, no alarm. */
	assert_null(icalcomponent_get_first_component(ev, ICAL_VALARM_COMPONENT));
	assert_null(strstr(text.data, "\r\nBEGIN:VALARM"));
	icalproperty *a = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	icalparameter *cn = icalproperty_get_first_parameter(a, ICAL_CN_PARAMETER);
	assert_string_equal(icalparameter_get_cn(cn), "Line Break  quoted");
	for (char *p = text.data, *nl; (nl = strchr(p, '\n')); p = nl + 1)
		assert_true(nl - p - 1 <= 75);
	icalcomponent_free(cal);
	buf_free(&text);
}

static void test_refused(void **state)
{
	char err[256];
	buf out;
	buf_init(&out);
	struct ical_event e = base();
	e.uid = "";
	assert_int_equal(ical_build(&e, &out, err, sizeof err), -1);
	assert_non_null(strstr(err, "UID"));
	e = base();
	e.end = e.start;
	assert_int_equal(ical_build(&e, &out, err, sizeof err), -1);
	e = base();
	e.organizer_addr = "gemeente@voorbeeld.nl\r\nATTENDEE:mailto:x@y.nl";
	assert_int_equal(ical_build(&e, &out, err, sizeof err), -1);
	struct ical_attendee bad[] = {{"not an address", NULL}};
	e = base();
	e.attendees = bad;
	e.nattendees = 1;
	assert_int_equal(ical_build(&e, &out, err, sizeof err), -1);
	e = base();
	e.summary = "\xff\xfe";
	assert_int_equal(ical_build(&e, &out, err, sizeof err), -1);
	assert_int_equal(out.len, 0);
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_request_every_field),
	        cmocka_unit_test(test_update_and_cancel_keep_uid),
	        cmocka_unit_test(test_hostile_text),
	        cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
