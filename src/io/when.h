/* when.h: times as people read and type them: the municipality's local time (Europe/Amsterdam, summer time included) to and from the stored UTC seconds. */
#ifndef VP_WHEN_H
#define VP_WHEN_H

#include <stddef.h>
#include <stdint.h>

/* "2026-03-01T14:30" (an <input type="datetime-local"> value, local time)
 * to seconds since the epoch. 0 when fine, -1 when it is not such a time
 * or the day does not exist. */
int when_parse_local(const char *s, int64_t *out);
/* t as "2026-03-01T14:30" local time, for a datetime-local input's value. */
void when_input_value(int64_t t, char out[17]);
/* t in words in the language ("nl" or "en"): "zondag 1 maart 2026, 14:30"
 * or "Sunday 1 March 2026, 14:30". */
void when_text(int64_t t, const char *lang, char *out, size_t outlen);

#endif
