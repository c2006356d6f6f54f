/* log.h: structured log lines (one JSON object per line) on stderr. */
#ifndef VP_LOG_H
#define VP_LOG_H

#include <stdint.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level min);
/* Set to 0 to silence all output (unit tests). */
void log_set_enabled(int on);
/* One event line: {"time":..,"level":..,"event":..,"msg":..}. msg is
 * printf-formatted and JSON-escaped. */
void log_event(enum log_level lvl, const char *event, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* One access line per request. path must already be stripped of its query. */
void log_request(const char *method, const char *path, int status, int64_t duration_us,
                 int64_t user_id, const char *ip);

#endif
