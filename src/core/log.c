/* log.c: structured logging; every line is written with one write(2). */
#include "core/log.h"

#include "core/buf.h"
#include "core/clock.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <unistd.h>

static _Atomic int min_level = LOG_INFO;
static _Atomic int enabled = 1;

static const char *level_name[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level min)
{
	atomic_store(&min_level, (int)min);
}

void log_set_enabled(int on)
{
	atomic_store(&enabled, on);
}

static void emit(buf *b)
{
	buf_putc(b, '\n');
	ssize_t off = 0;
	while ((size_t)off < b->len) {
		ssize_t n = write(2, b->data + off, b->len - (size_t)off);
		if (n <= 0)
			break;
		off += n;
	}
	buf_free(b);
}

static void head(buf *b, enum log_level lvl)
{
	char ts[21];
	clock_iso(clock_now(), ts);
	buf_puts(b, "{\"time\":\"");
	buf_puts(b, ts);
	buf_puts(b, "\",\"level\":\"");
	buf_puts(b, level_name[lvl]);
	buf_putc(b, '"');
}

void log_event(enum log_level lvl, const char *event, const char *fmt, ...)
{
	if (!atomic_load(&enabled) || (int)lvl < atomic_load(&min_level))
		return;
	buf b, msg;
	buf_init(&b);
	buf_init(&msg);
	head(&b, lvl);
	buf_puts(&b, ",\"event\":");
	buf_json_str(&b, event);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	buf_puts(&b, ",\"msg\":");
	buf_json_str(&b, msg.data ? msg.data : "");
	buf_putc(&b, '}');
	buf_free(&msg);
	emit(&b);
}

void log_request(const char *method, const char *path, int status, int64_t duration_us,
                 int64_t user_id, const char *ip)
{
	if (!atomic_load(&enabled) || LOG_INFO < atomic_load(&min_level))
		return;
	buf b;
	buf_init(&b);
	head(&b, LOG_INFO);
	buf_puts(&b, ",\"event\":\"request\",\"method\":");
	buf_json_str(&b, method ? method : "");
	buf_puts(&b, ",\"path\":");
	buf_json_str(&b, path ? path : "");
	buf_printf(&b, ",\"status\":%d,\"duration_ms\":%.3f", status, (double)duration_us / 1000.0);
	if (user_id > 0)
		buf_printf(&b, ",\"user\":%lld", (long long)user_id);
	if (ip) {
		buf_puts(&b, ",\"ip\":");
		buf_json_str(&b, ip);
	}
	buf_putc(&b, '}');
	emit(&b);
}
