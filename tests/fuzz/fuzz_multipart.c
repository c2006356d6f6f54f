/* fuzz_multipart.c: libFuzzer target for parse_multipart.
 *
 * The first byte picks the mode: even, the rest is a body under the fixed
 * Content-Type "multipart/form-data; boundary=XyZ" and what parses is
 * written out again and must parse back the same; odd, the first line of
 * the rest is the Content-Type and the remainder the body. */
#include "core/arena.h"
#include "core/buf.h"
#include "core/util.h"
#include "http/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_list(const struct kvlist *l)
{
	if (l->n > PARSE_MAX_FIELDS || l->n > l->cap || (l->n && !l->items))
		abort();
	for (size_t i = 0; i < l->n; i++) {
		const struct kv *f = &l->items[i];
		if (!f->name || !*f->name || !f->value || f->value[f->value_len] != '\0')
			abort();
		if (!util_utf8_clean(f->name, strlen(f->name)))
			abort();
		if (f->filename) {
			if (!f->content_type || !util_utf8_clean(f->filename, strlen(f->filename)))
				abort();
		} else {
			if (f->content_type || strlen(f->value) != f->value_len ||
			    !util_utf8_clean(f->value, f->value_len))
				abort();
		}
	}
}

static void quoted(buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* Writes l out as a multipart body with boundary XyZ and parses it again. */
static void round_trip(arena *a, const char *ct, const struct kvlist *l)
{
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < l->n; i++) {
		const struct kv *f = &l->items[i];
		buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=");
		quoted(&b, f->name);
		if (f->filename) {
			buf_puts(&b, "; filename=");
			quoted(&b, f->filename);
			buf_puts(&b, "\r\nContent-Type: ");
			buf_puts(&b, f->content_type);
		}
		buf_puts(&b, "\r\n\r\n");
		buf_append(&b, f->value, f->value_len);
		buf_puts(&b, "\r\n");
	}
	buf_puts(&b, "--XyZ--\r\n");
	/* Escaping can make a header line longer than the parser's limit
	 * (1 KiB): such a body is refused, rightly, so there is nothing to
	 * compare. */
	for (const char *p = b.data, *e = b.data + b.len; p < e;) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);
		if (n > 1024 && !memchr(p, '\0', n) && strncmp(p, "Content-", 8) == 0) {
			buf_free(&b);
			return;
		}
		p += n + 1;
	}
	struct kvlist l2;
	const char *err = NULL;
	if (parse_multipart(a, ct, b.data, b.len, &l2, &err) != 0 || l2.n != l->n)
		abort();
	for (size_t i = 0; i < l->n; i++) {
		const struct kv *f = &l->items[i], *g = &l2.items[i];
		if (strcmp(f->name, g->name) || f->value_len != g->value_len ||
		    memcmp(f->value, g->value, f->value_len) || !f->filename != !g->filename)
			abort();
		if (f->filename &&
		    (strcmp(f->filename, g->filename) || strcmp(f->content_type, g->content_type)))
			abort();
	}
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	arena *a = arena_new();
	const char *ct = "multipart/form-data; boundary=XyZ";
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	int fixed = (data[0] & 1) == 0;
	if (!fixed) {
		const char *nl = memchr(body, '\n', len);
		size_t ctlen = nl ? (size_t)(nl - body) : len;
		ct = arena_strndup(a, body, ctlen); /* stops at a NUL, as a header would */
		body += nl ? ctlen + 1 : ctlen;
		len -= nl ? ctlen + 1 : ctlen;
	}
	/* An exact-size copy, so any read past len is an ASan report. */
	char *copy = malloc(len ? len : 1);
	if (!copy)
		abort();
	if (len)
		memcpy(copy, body, len);
	struct kvlist l;
	const char *err = NULL;
	int r = parse_multipart(a, ct, copy, len, &l, &err);
	if (r == 0) {
		check_list(&l);
		if (fixed)
			round_trip(a, ct, &l);
	} else if (r != -1 || !err || l.n != 0) {
		abort();
	}
	free(copy);
	arena_free(a);
	return 0;
}
