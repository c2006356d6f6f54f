/* ical.c: builds iCalendar invitations and cancellations with libical (escaping and folding are libical's). */
#include "io/ical.h"

#include "core/util.h"
#include "io/mail.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -1;
}

static int text_ok(const char *s)
{
	return !s || util_utf8_clean(s, strlen(s));
}

/* A parameter value (CN) cannot hold a line break or a double quote in
 * RFC 5545; they become spaces (none at the end). In a malloc'ed copy. */
static char *param_text(const char *s)
{
	char *c = strdup(s);
	if (!c)
		abort();
	for (char *p = c; *p; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t' || *p == '"')
			*p = ' ';
	for (size_t n = strlen(c); n && c[n - 1] == ' ';)
		c[--n] = '\0';
	return c;
}

/* Text with its line ends as LF (CR LF and a lone CR too): RFC 5545 has
 * one line break in text, written \n. A malloc'ed copy, or NULL. */
static char *lf_text(const char *s)
{
	if (!s)
		return NULL;
	char *c = strdup(s), *o = c;
	if (!c)
		abort();
	for (const char *p = s; *p; p++) {
		if (*p == '\r') {
			*o++ = '\n';
			if (p[1] == '\n')
				p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return c;
}

static icalproperty *person(icalproperty *p, const char *name)
{
	if (name && *name) {
		char *cn = param_text(name);
		icalproperty_add_parameter(p, icalparameter_new_cn(cn));
		free(cn);
	}
	return p;
}

static char *mailto(const char *addr)
{
	size_t n = strlen(addr) + 8;
	char *s = malloc(n);
	if (!s)
		abort();
	snprintf(s, n, "mailto:%s", addr);
	return s;
}

static struct icaltimetype utc(int64_t t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

int ical_build(const struct ical_event *e, buf *out, char *err, size_t errlen)
{
	if (!e->uid || !*e->uid || !util_utf8_clean(e->uid, strlen(e->uid)) ||
	    strpbrk(e->uid, "\r\n"))
		return fail(err, errlen, "The appointment has no valid UID.");
	if (!e->summary || !*e->summary)
		return fail(err, errlen, "The appointment has no subject.");
	if (!text_ok(e->summary) || !text_ok(e->description) || !text_ok(e->location) ||
	    !text_ok(e->url) || !text_ok(e->organizer_name))
		return fail(err, errlen, "A text of the appointment is not valid UTF-8.");
	if (e->sequence < 0)
		return fail(err, errlen, "The sequence number of the appointment is negative.");
	if (e->end <= e->start)
		return fail(err, errlen, "The appointment must end after it starts.");
	if (!e->organizer_addr || mail_addr_check(e->organizer_addr) != 0)
		return fail(err, errlen, "The organizer's e-mail address is not valid.");
	for (size_t i = 0; i < e->nattendees; i++) {
		if (!e->attendees[i].addr || mail_addr_check(e->attendees[i].addr) != 0)
			return fail(err, errlen, "An attendee's e-mail address is not valid.");
		if (!text_ok(e->attendees[i].name))
			return fail(err, errlen, "An attendee's name is not valid UTF-8.");
	}
	int cancel = e->method == VP_ICAL_CANCEL;
	icalcomponent *cal = icalcomponent_vanew(
	        ICAL_VCALENDAR_COMPONENT, icalproperty_new_prodid("-//Vertelpunt//Vertelpunt//NL"),
	        icalproperty_new_version("2.0"), icalproperty_new_calscale("GREGORIAN"),
	        icalproperty_new_method(cancel ? ICAL_METHOD_CANCEL : ICAL_METHOD_REQUEST), NULL);
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	icalcomponent_add_property(ev, icalproperty_new_uid(e->uid));
	icalcomponent_add_property(ev, icalproperty_new_sequence(e->sequence));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc(e->dtstamp)));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(utc(e->start)));
	icalcomponent_add_property(ev, icalproperty_new_dtend(utc(e->end)));
	char *summary = lf_text(e->summary), *description = lf_text(e->description),
	     *location = lf_text(e->location);
	icalcomponent_add_property(ev, icalproperty_new_summary(summary));
	if (description && *description)
		icalcomponent_add_property(ev, icalproperty_new_description(description));
	if (location && *location)
		icalcomponent_add_property(ev, icalproperty_new_location(location));
	free(summary);
	free(description);
	free(location);
	if (e->url && *e->url)
		icalcomponent_add_property(ev, icalproperty_new_url(e->url));
	icalcomponent_add_property(ev, icalproperty_new_status(cancel ? ICAL_STATUS_CANCELLED
	                                                              : ICAL_STATUS_CONFIRMED));
	icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
	char *m = mailto(e->organizer_addr);
	icalcomponent_add_property(ev, person(icalproperty_new_organizer(m), e->organizer_name));
	free(m);
	for (size_t i = 0; i < e->nattendees; i++) {
		m = mailto(e->attendees[i].addr);
		icalproperty *a = person(icalproperty_new_attendee(m), e->attendees[i].name);
		free(m);
		icalproperty_add_parameter(a, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
		icalproperty_add_parameter(a,
		                           icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
		icalproperty_add_parameter(a, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
		icalcomponent_add_property(ev, a);
	}
	icalcomponent_add_component(cal, ev);
	char *text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (!text)
		return fail(err, errlen, "The calendar text could not be made.");
	/* libical ends lines with CRLF already (RFC 5545 3.1). */
	buf_puts(out, text);
	free(text);
	return 0;
}
