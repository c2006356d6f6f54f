/* fuzz_cookie.c: libFuzzer target for parse_cookies. */
#include "core/arena.h"
#include "core/util.h"
#include "http/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new();
	/* A header value is a C string: it ends at the first NUL. */
	char *h = arena_strndup(a, (const char *)data, size);
	struct kvlist l;
	int n = parse_cookies(a, h, &l);
	if (n < 0 || (size_t)n != l.n || l.n > PARSE_MAX_FIELDS || l.n > l.cap)
		abort();
	for (size_t i = 0; i < l.n; i++) {
		const struct kv *f = &l.items[i];
		if (!f->name || !f->value || f->filename || f->content_type || !*f->name)
			abort();
		for (const char *c = f->name; *c; c++)
			if (*c <= ' ' || *c == '=' || *c == ';' || *c == '"' || *c == 0x7f)
				abort();
		if (f->value[f->value_len] != '\0' || strlen(f->value) != f->value_len)
			abort();
		if (!util_utf8_clean(f->value, f->value_len) || strpbrk(f->value, ";\t\r\n"))
			abort();
		/* Kept values never begin or end with white space. */
		if (f->value_len && (f->value[0] == ' ' || f->value[f->value_len - 1] == ' '))
			if (!strchr(h, '"'))
				abort();
		if (kv_find(&l, f->name) > f)
			abort();
	}
	arena_free(a);
	return 0;
}
