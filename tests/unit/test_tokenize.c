/* test_tokenize.c: the Dutch tokenizer on Dutch cases: diacritics, plurals, diminutives, apostrophes, compounds, numbers, stop words, empty and long input. */
#include "testutil.h"

#include "analysis/tokenize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tokens of a run, space separated; a colocated token is written with
 * a leading '+'. */
struct out {
	char s[65536];
	size_t n;
	int count;
	int bad_offsets;
	size_t textlen;
};

static int collect(void *ctx, const char *tok, int len, int start, int end, int colocated)
{
	struct out *o = ctx;
	if (start < 0 || end > (int)o->textlen || start >= end)
		o->bad_offsets++;
	if (o->n + (size_t)len + 3 < sizeof o->s) {
		if (o->n)
			o->s[o->n++] = ' ';
		if (colocated)
			o->s[o->n++] = '+';
		memcpy(o->s + o->n, tok, (size_t)len);
		o->n += (size_t)len;
		o->s[o->n] = 0;
	}
	o->count++;
	return 0;
}

static const char *toks(const char *text, int mode)
{
	static struct out o;
	memset(&o, 0, sizeof o);
	o.textlen = strlen(text);
	struct tok *t = tok_new();
	assert_non_null(t);
	assert_int_equal(tok_run(t, text, strlen(text), mode, collect, &o), 0);
	tok_free(t);
	assert_int_equal(o.bad_offsets, 0);
	return o.s;
}

/* Document and query give the same first (whole-word) token. */
static void same(const char *a, const char *b)
{
	char x[512];
	snprintf(x, sizeof x, "%s", toks(a, TOK_QUERY));
	assert_string_equal(x, toks(b, TOK_QUERY));
	assert_true(x[0] != 0);
}

static void test_diacritics(void **state)
{
	same("Café", "cafe");
	same("CAFÉ", "café");
	same("ideeën", "ideeen");
	same("ruïne", "ruine");
	/* decomposed input (e + combining diaeresis) folds the same */
	same("ide\x65\xcc\x88\x65n", "ideeen");
}

static void test_plural_and_diminutive(void **state)
{
	same("wachtlijsten", "wachtlijst");
	same("wachttijden", "wachttijd");
	same("gemeenten", "gemeente");
	same("huisje", "huis");
	same("huisjes", "huis");
	same("boompje", "boom");
	same("hulpmiddelen", "hulpmiddel");
}

static void test_apostrophes(void **state)
{
	same("auto's", "auto");
	same("auto\xe2\x80\x99s", "auto");
	same("foto's", "foto");
	assert_string_equal(toks("de auto's van 't dorp", TOK_QUERY), "auto dorp");
}

static void test_stop_words_and_case(void **state)
{
	assert_string_equal(toks("De wachttijd was VEEL te lang", TOK_QUERY), "wachttijd lang");
	assert_string_equal(toks("de het een en van", TOK_QUERY), "");
	assert_true(tok_is_stop("niet", 4));
	assert_false(tok_is_stop("zorg", 4));
}

static void test_numbers(void **state)
{
	assert_string_equal(toks("In 2025 wachtte ik 3 maanden", TOK_QUERY), "2025 wacht 3 maand");
	assert_string_equal(toks("wmo2015 12,5", TOK_QUERY), "wmo2015 12 5");
}

static void test_separators(void **state)
{
	assert_string_equal(toks("Wmo-loket: hulp!", TOK_QUERY), "wmo loket hulp");
	/* invalid UTF-8 separates words and never crashes */
	assert_string_equal(toks("zorg\xff\xfehulp", TOK_QUERY), "zorg hulp");
}

static void test_compounds(void **state)
{
	const char *d = toks("mantelzorgondersteuning", TOK_DOCUMENT);
	/* the whole stem first, the parts colocated */
	assert_non_null(strstr(d, "mantelzorgondersteun"));
	assert_non_null(strstr(d, "+mantelzorg"));
	assert_non_null(strstr(d, "+zorg"));
	assert_non_null(strstr(d, "+ondersteun"));
	/* a query is not split */
	assert_string_equal(toks("mantelzorgondersteuning", TOK_QUERY), "mantelzorgondersteun");
	/* the query's stem is one of the document's tokens */
	assert_string_equal(toks("mantelzorg", TOK_QUERY), "mantelzorg");
	/* linking -s- and -en- */
	d = toks("wachtlijstbeleid", TOK_DOCUMENT);
	assert_non_null(strstr(d, "+wachtlijst"));
	assert_non_null(strstr(d, "+beleid"));
	d = toks("gemeentehuis zorgenkind", TOK_DOCUMENT);
	assert_non_null(strstr(d, "+gemeent"));
	assert_non_null(strstr(d, "+huis"));
	assert_non_null(strstr(d, "+kind"));
	/* a plain word is not split into itself */
	assert_string_equal(toks("zorgen", TOK_DOCUMENT), "zorg");
	assert_string_equal(toks("huis", TOK_DOCUMENT), "huis");
}

static void test_empty_and_long(void **state)
{
	assert_string_equal(toks("", TOK_QUERY), "");
	assert_string_equal(toks("   ,.!  ", TOK_DOCUMENT), "");
	/* 10,000 characters: words and a single long run */
	char *big = malloc(10001);
	for (int i = 0; i < 10000; i++)
		big[i] = "wachtlijst "[i % 11];
	big[10000] = 0;
	struct out *o = calloc(1, sizeof *o);
	o->textlen = 10000;
	struct tok *t = tok_new();
	assert_int_equal(tok_run(t, big, 10000, TOK_DOCUMENT, collect, o), 0);
	/* 909 words, each the whole stem and its parts wacht and lijst; the
	 * last "w" is one letter */
	assert_int_equal(o->count, 3 * (10000 / 11));
	assert_int_equal(o->bad_offsets, 0);
	memset(big, 'a', 10000);
	memset(o, 0, sizeof *o);
	o->textlen = 10000;
	assert_int_equal(tok_run(t, big, 10000, TOK_DOCUMENT, collect, o), 0);
	assert_int_equal(o->count, 0); /* longer than any word: skipped */
	tok_free(t);
	free(o);
	free(big);
}

static int stop_after_one(void *ctx, const char *tok, int len, int start, int end, int colocated)
{
	++*(int *)ctx;
	return 7;
}

static void test_emit_stops(void **state)
{
	int n = 0;
	struct tok *t = tok_new();
	assert_int_equal(tok_run(t, "zorg hulp huis", 14, TOK_QUERY, stop_after_one, &n), 7);
	assert_int_equal(n, 1);
	tok_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_diacritics),  cmocka_unit_test(test_plural_and_diminutive),
	        cmocka_unit_test(test_apostrophes), cmocka_unit_test(test_stop_words_and_case),
	        cmocka_unit_test(test_numbers),     cmocka_unit_test(test_separators),
	        cmocka_unit_test(test_compounds),   cmocka_unit_test(test_empty_and_long),
	        cmocka_unit_test(test_emit_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
