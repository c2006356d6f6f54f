/* clock.h: the wall clock, with an offset tests can move (session expiry, lockout windows). */
#ifndef VP_CLOCK_H
#define VP_CLOCK_H

#include <stdint.h>

int64_t clock_now(void);     /* seconds since the epoch, plus the test offset */
int64_t clock_now_ms(void);  /* milliseconds since the epoch, plus the offset */
int64_t clock_mono_us(void); /* monotonic microseconds, for durations; no offset */
/* Moves clock_now by delta seconds (tests only; thread-safe). A process
 * started with VP_TEST_CLOCK_OFFSET=SECONDS in its environment starts with
 * that offset (tests of whole commands only; see clock.c). */
void clock_advance(int64_t delta);
void clock_reset(void);
/* Formats t as RFC 3339 UTC ("2026-11-22T16:27:00Z") into out (>= 21 bytes). */
void clock_iso(int64_t t, char out[21]);

#endif
