/* fuzz_filter.c: libFuzzer target for the filter parser: never crashes, a refusal names its position, and what it accepts prints canonically (print, parse, print gives the same text). */
#include "analysis/filter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The parser takes a NUL-terminated text; a NUL inside ends it. */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	char err[256];
	struct filter *f = filter_parse(text, NULL, err, sizeof err);
	free(text);
	if (!f) {
		/* A refusal always says where: "at N: ...". */
		if (strncmp(err, "at ", 3) != 0 || !strstr(err, ": "))
			abort();
		return 0;
	}
	buf a, b;
	buf_init(&a);
	buf_init(&b);
	filter_print(f, &a);
	struct filter *g = filter_parse(a.data ? a.data : "", NULL, err, sizeof err);
	if (!g)
		abort();
	filter_print(g, &b);
	if (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len) != 0))
		abort();
	if (filter_includes_pilot(f) != filter_includes_pilot(g))
		abort();
	filter_free(g);
	filter_free(f);
	buf_free(&a);
	buf_free(&b);
	return 0;
}
