/* ical.h: iCalendar (RFC 5545) invitations and cancellations of one appointment, built with libical. */
#ifndef VP_ICAL_H
#define VP_ICAL_H

#include "core/buf.h"

#include <stddef.h>
#include <stdint.h>

enum ical_kind { VP_ICAL_REQUEST, VP_ICAL_CANCEL };

struct ical_attendee {
	const char *addr; /* e-mail address, written as mailto: */
	const char *name; /* display name (CN) or NULL */
};

/* One appointment. Texts may hold any UTF-8, newlines included: libical
 * escapes (\n \, \; \\) and folds lines at 75 octets.
 *
 * The same appointment keeps its uid for ever: an update is sent with the
 * same uid and a higher sequence, a cancellation with the same uid, method
 * CANCEL and (again) a higher sequence. Calendar programs match on uid and
 * take the highest sequence. */
struct ical_event {
	enum ical_kind method; /* METHOD and STATUS (CONFIRMED / CANCELLED) */
	const char *uid;       /* caller-given and stable, e.g. "conversation-42@host" */
	int sequence;          /* 0 for the first invitation, +1 for every change */
	int64_t dtstamp;       /* when this version was made (clock_now()) */
	int64_t start, end;    /* seconds since the epoch; written in UTC */
	const char *summary;
	const char *description;                     /* or NULL */
	const char *location;                        /* or NULL */
	const char *url;                             /* a video link, or NULL */
	const char *organizer_addr, *organizer_name; /* address required, name or NULL */
	const struct ical_attendee *attendees;
	size_t nattendees;
};

/* Appends the VCALENDAR with one VEVENT (CRLF line ends) to out. Returns 0,
 * or -1 with an English message in err (nothing appended) when the event
 * is incomplete: no uid, no summary, end not after start, a negative
 * sequence, or an address that is not a plain e-mail address. */
int ical_build(const struct ical_event *e, buf *out, char *err, size_t errlen);

#endif
