/* buf.h: the one growable byte buffer used for HTML, JSON, SVG, CSV and bodies. */
#ifndef VP_BUF_H
#define VP_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* A buffer owns its heap memory (malloc); buf_free releases it. data is
 * always NUL-terminated after any append, so it can be used as a C string
 * when it holds text. Allocation failure aborts (see DESIGN rule 6). */
typedef struct buf {
	char *data;
	size_t len;
	size_t cap;
} buf;

void buf_init(buf *b);
void buf_free(buf *b);
void buf_reset(buf *b);
void buf_reserve(buf *b, size_t extra);
void buf_append(buf *b, const void *p, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_put_int(buf *b, int64_t v);
/* Formatted append. Never give it HTML or SQL: the injection check in
 * scripts/check-injection.sh fails the build when a format string holds
 * markup or SQL. */
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hands the memory to the caller (who frees it with free) and empties b. */
char *buf_detach(buf *b, size_t *len);
/* Appends s as a JSON string literal, quotes included. */
void buf_json_str(buf *b, const char *s);

#endif
