/* fuzz_search.c: libFuzzer target for the search text and the Dutch tokenizer: never crashes, a refusal has a message, what is accepted is FTS5 strings joined by AND, and every token lies inside the text. */
#include "analysis/search.h"
#include "analysis/tokenize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int check_token(void *ctx, const char *tok, int len, int start, int end, int colocated)
{
	size_t n = *(size_t *)ctx;
	if (len <= 0 || len > 4 * TOK_MAX_WORD || start < 0 || end <= start || (size_t)end > n)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tok *t;
	if (!t && !(t = tok_new()))
		abort();
	/* the tokenizer takes any bytes, NULs included */
	tok_run(t, (const char *)data, size, TOK_DOCUMENT, check_token, &size);
	tok_run(t, (const char *)data, size, TOK_QUERY, check_token, &size);

	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	buf m;
	buf_init(&m);
	char err[256] = "";
	if (search_query_build(text, &m, err, sizeof err)) {
		if (!err[0])
			abort();
	} else {
		/* "..." (AND "...")*: an even number of quotes, starting with one */
		size_t q = 0;
		for (size_t i = 0; i < m.len; i++)
			q += m.data[i] == '"';
		if (!m.len || m.data[0] != '"' || q % 2 != 0)
			abort();
	}
	buf_free(&m);
	free(text);
	return 0;
}
