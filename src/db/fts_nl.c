/* fts_nl.c: the Dutch tokenizer (analysis/tokenize.h) registered with SQLite's FTS5 as "vertelpunt_nl". */
#include "db/fts_nl.h"

#include "analysis/tokenize.h"

#include <assert.h>
#include <stdlib.h>

/* The FTS5 tokenizer interface (fts5_api, fts5_tokenizer) is declared in
 * sqlite3.h; see https://sqlite.org/fts5.html, "Custom Tokenizers". */

static int nl_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	struct tok *t = tok_new();
	if (!t)
		return SQLITE_NOMEM;
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void nl_delete(Fts5Tokenizer *t)
{
	tok_free((struct tok *)t);
}

struct nl_run {
	void *ctx;
	int (*token)(void *, int, const char *, int, int, int);
};

static int nl_emit(void *ctx, const char *tok, int len, int start, int end, int colocated)
{
	struct nl_run *r = ctx;
	return r->token(r->ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, tok, len, start, end);
}

static int nl_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
                       int (*token)(void *, int, const char *, int, int, int))
{
	struct nl_run r = {ctx, token};
	if (n <= 0)
		return SQLITE_OK;
	return tok_run((struct tok *)t, text, (size_t)n,
	               (flags & FTS5_TOKENIZE_QUERY) ? TOK_QUERY : TOK_DOCUMENT, nl_emit, &r);
}

int fts_nl_register(fts5_api *api)
{
	assert(api);
	if (api->iVersion < 2)
		return SQLITE_ERROR;
	static fts5_tokenizer nl = {nl_create, nl_delete, nl_tokenize};
	return api->xCreateTokenizer(api, "vertelpunt_nl", NULL, &nl, NULL);
}
