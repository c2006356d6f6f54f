/* ratelimit.h: token buckets in memory, keyed by a string (an address, a collection), with a fixed memory budget. */
#ifndef VP_RATELIMIT_H
#define VP_RATELIMIT_H

#include <stdint.h>

/* A limiter lets through per_minute requests a minute per key, with bursts
 * up to burst. It keeps at most a fixed number of keys (about 65,000, in
 * 1.5 MiB); when full, the key seen longest ago is forgotten, which can
 * only make the limiter more lenient, never refuse wrongly. Thread-safe. */
typedef struct ratelimit ratelimit;

/* per_minute 0: no limit (every call is let through). */
ratelimit *ratelimit_new(int per_minute, int burst);
void ratelimit_free(ratelimit *rl);
/* 1 when the request may go on (a token was taken), 0 when not; then
 * *retry_after_s (may be NULL) is the wait in whole seconds. now_ms is
 * any monotonic clock in milliseconds. */
int ratelimit_take(ratelimit *rl, const char *key, int64_t now_ms, int *retry_after_s);

#endif
