/* fuzz_urlencoded.c: libFuzzer target for parse_urlencoded and url_decode_inplace. */
#include "core/arena.h"
#include "core/buf.h"
#include "core/util.h"
#include "http/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Percent-encodes every byte that is not unreserved, so the result parses
 * back to exactly s. */
static void encode(buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_append(b, e, 3);
		}
	}
}

static void check_list(const struct kvlist *l)
{
	if (l->n > PARSE_MAX_FIELDS || l->n > l->cap || (l->n && !l->items))
		abort();
	for (size_t i = 0; i < l->n; i++) {
		const struct kv *f = &l->items[i];
		if (!f->name || !f->value || f->filename || f->content_type)
			abort();
		if (f->value[f->value_len] != '\0' || strlen(f->value) != f->value_len)
			abort();
		if (!util_utf8_clean(f->name, strlen(f->name)) ||
		    !util_utf8_clean(f->value, f->value_len))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new();
	struct kvlist l;
	const char *err = NULL;
	int r = parse_urlencoded(a, (const char *)data, size, &l, &err);
	if (r == 0) {
		check_list(&l);
		/* Round trip: encode what was parsed, parse it again, compare. */
		buf b;
		buf_init(&b);
		for (size_t i = 0; i < l.n; i++) {
			if (i)
				buf_putc(&b, '&');
			encode(&b, l.items[i].name, strlen(l.items[i].name));
			buf_putc(&b, '=');
			encode(&b, l.items[i].value, l.items[i].value_len);
		}
		struct kvlist l2;
		if (parse_urlencoded(a, b.data ? b.data : "", b.len, &l2, &err) != 0)
			abort();
		if (l2.n != l.n)
			abort();
		for (size_t i = 0; i < l.n; i++) {
			if (strcmp(l.items[i].name, l2.items[i].name) != 0 ||
			    l.items[i].value_len != l2.items[i].value_len ||
			    memcmp(l.items[i].value, l2.items[i].value, l.items[i].value_len) != 0)
				abort();
		}
		buf_free(&b);
	} else if (r != -1 || !err || l.n != 0) {
		abort();
	}

	/* url_decode_inplace on the whole input: never longer, terminated. */
	char *s = arena_strndup(a, (const char *)data, size);
	size_t n = size;
	if (url_decode_inplace(s, &n) == 0) {
		if (n > size || s[n] != '\0' || strlen(s) != n)
			abort();
	}
	arena_free(a);
	return 0;
}
