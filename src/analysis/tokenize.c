/* tokenize.c: the Dutch tokenizer of full-text search: folding, stop words, stemming, compound parts. */
#include "analysis/tokenize.h"

#include <assert.h>
#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct tok {
	struct sb_stemmer *stem;
};

/* The Snowball project's Dutch stop-word list
 * (https://snowballstem.org/algorithms/dutch/stop.txt, BSD licence), as it
 * is, without diacritics, sorted for bsearch. */
static const char *const stop_words[] = {
        "aan",    "al",    "alles",  "als",    "altijd", "andere", "ben",   "bij",   "daar",
        "dan",    "dat",   "de",     "der",    "deze",   "die",    "dit",   "doch",  "doen",
        "door",   "dus",   "een",    "eens",   "en",     "er",     "ge",    "geen",  "geweest",
        "haar",   "had",   "heb",    "hebben", "heeft",  "hem",    "het",   "hier",  "hij",
        "hoe",    "hun",   "iemand", "iets",   "ik",     "in",     "is",    "ja",    "je",
        "kan",    "kon",   "kunnen", "maar",   "me",     "meer",   "men",   "met",   "mij",
        "mijn",   "moet",  "na",     "naar",   "niet",   "niets",  "nog",   "nu",    "of",
        "om",     "omdat", "onder",  "ons",    "ook",    "op",     "over",  "reeds", "te",
        "tegen",  "toch",  "toen",   "tot",    "u",      "uit",    "uw",    "van",   "veel",
        "voor",   "want",  "waren",  "was",    "wat",    "werd",   "wezen", "wie",   "wil",
        "worden", "wordt", "zal",    "ze",     "zelf",   "zich",   "zij",   "zijn",  "zo",
        "zonder", "zou",
};

/*
 * Frequent Dutch compound parts, folded, sorted for bsearch. Chosen by hand
 * from what residents write about in Wmo, care, housing, work, money and
 * the municipality, plus frequent general nouns; a part must be at least
 * three letters. A part in this list splits a compound where it starts one
 * (or follows another part); the list is a trade-off: a longer list finds
 * more compounds and also splits a few words wrongly ("kerkhof" into
 * "kerk" and "hof" is harmless: the whole word is always kept too).
 */
static const char *const parts[] = {
        "aanpassing",    "aanvraag",  "afspraak",   "arbeid",       "arts",       "avond",
        "beleid",        "besluit",   "besteding",  "bewoner",      "bezoek",     "brief",
        "buren",         "buurt",     "dag",        "dienst",       "dokter",     "dorp",
        "eigen",         "ervaring",  "familie",    "fiets",        "geld",       "gemeente",
        "gesprek",       "gezin",     "gezondheid", "hulp",         "hulpmiddel", "huis",
        "huishoud",      "huur",      "inkomen",    "jeugd",        "kamer",      "kantoor",
        "keuken",        "kind",      "kinder",     "klacht",       "kosten",     "kracht",
        "lijst",         "loket",     "mantel",     "mantelzorg",   "medicijn",   "middel",
        "ondersteuning", "opvang",    "ouder",      "partner",      "pas",        "plan",
        "regel",         "regeling",  "rolstoel",   "scootmobiel",  "school",     "schuld",
        "sociaal",       "stad",      "taxi",       "team",         "tijd",       "toeslag",
        "trap",          "uitkering", "vervoer",    "vrijwilliger", "wacht",      "wachtlijst",
        "wachttijd",     "werk",      "wijk",       "woning",       "zieken",     "zorg",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int in_list(const char *const *list, size_t n, const char *w, size_t len)
{
	char key[TOK_MAX_WORD + 1];
	if (len > TOK_MAX_WORD)
		return 0;
	memcpy(key, w, len);
	key[len] = 0;
	const char *k = key;
	return bsearch(&k, list, n, sizeof *list, cmp_str) != NULL;
}

int tok_is_stop(const char *w, size_t len)
{
	return in_list(stop_words, sizeof stop_words / sizeof *stop_words, w, len);
}

struct tok *tok_new(void)
{
	struct tok *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->stem = sb_stemmer_new("dutch", "UTF_8");
	if (!t->stem) {
		free(t);
		return NULL;
	}
	return t;
}

void tok_free(struct tok *t)
{
	if (!t)
		return;
	sb_stemmer_delete(t->stem);
	free(t);
}

/* Whether codepoint c belongs to a word: letters, digits, marks. */
static int word_char(utf8proc_int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ND: return 1;
	default: return 0;
	}
}

static int is_apostrophe(utf8proc_int32_t c)
{
	return c == '\'' || c == 0x2019;
}

/* The codepoint at text[i] (its length in *n; an invalid byte is -1, 1). */
static utf8proc_int32_t cp_at(const char *text, size_t len, size_t i, size_t *n)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
	                                      (utf8proc_ssize_t)(len - i), &c);
	if (k <= 0) {
		*n = 1;
		return -1;
	}
	*n = (size_t)k;
	return c;
}

/* Emits the stem of the folded word w (len bytes) for [start, end). */
static int emit_stem(struct tok *t, const char *w, size_t len, int start, int end, int coloc,
                     tok_emit_fn emit, void *ctx)
{
	const sb_symbol *s = sb_stemmer_stem(t->stem, (const sb_symbol *)w, (int)len);
	if (!s) /* out of memory in the stemmer: the word unstemmed */
		return emit(ctx, w, (int)len, start, end, coloc);
	return emit(ctx, (const char *)s, sb_stemmer_length(t->stem), start, end, coloc);
}

static int ends_with(const char *w, size_t len, const char *suf)
{
	size_t n = strlen(suf);
	return len >= n && memcmp(w + len - n, suf, n) == 0;
}

/* The length of w without its diminutive ending, when three letters remain. */
static size_t strip_diminutive(const char *w, size_t len)
{
	static const char *const ends[] = {"tjes", "pjes", "jes", "tje", "pje", "je"};
	for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
		if (ends_with(w, len, ends[i]) && len - strlen(ends[i]) >= 3)
			return len - strlen(ends[i]);
	return len;
}

/* The compound parts of w (folded, len bytes): see tokenize.h. */
static int emit_parts(struct tok *t, const char *w, size_t len, int start, int end,
                      tok_emit_fn emit, void *ctx)
{
	const size_t nparts = sizeof parts / sizeof *parts;
	/* positions where a part may start: 0 and after each part found */
	unsigned char from[TOK_MAX_WORD + 1] = {0};
	from[0] = 1;
	size_t last_end = 0;
	int emitted = 0;
	for (size_t s = 0; s + 3 <= len; s++) {
		if (!from[s])
			continue;
		for (size_t e = s + 3; e <= len; e++) {
			if (!in_list(parts, nparts, w + s, e - s))
				continue;
			if (s == 0 && e == len) /* the whole word: not a compound */
				continue;
			if (e == len && s > 0) { /* the head */
			} else if (len - e < 3) {
				continue; /* "zorgen" is not "zorg" + "en" */
			}
			int rc = emit_stem(t, w + s, e - s, start, end, 1, emit, ctx);
			if (rc)
				return rc;
			if (++emitted >= 16)
				return 0;
			if (e > last_end)
				last_end = e;
			from[e] = 1;
			if (e + 1 <= len && w[e] == 's')
				from[e + 1] = 1;
			if (e + 2 <= len && w[e] == 'e' && w[e + 1] == 'n')
				from[e + 2] = 1;
		}
	}
	if (!emitted || last_end == len)
		return 0;
	/* the rest after the last part, as a head, after a linking -s- / -en- */
	size_t r = last_end;
	if (len - r >= 4 + 2 && w[r] == 'e' && w[r + 1] == 'n')
		r += 2;
	else if (len - r >= 4 + 1 && w[r] == 's')
		r += 1;
	if (len - r < 4)
		return 0;
	return emit_stem(t, w + r, len - r, start, end, 1, emit, ctx);
}

/* Folds, filters and emits one word text[start, end). */
static int word(struct tok *t, const char *text, size_t start, size_t end, int mode,
                tok_emit_fn emit, void *ctx)
{
	utf8proc_uint8_t *f = NULL;
	utf8proc_ssize_t n = utf8proc_map(
	        (const utf8proc_uint8_t *)text + start, (utf8proc_ssize_t)(end - start), &f,
	        UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
	if (n < 0) /* invalid UTF-8 cannot reach here; out of memory: skip */
		return 0;
	const char *w = (const char *)f;
	size_t len = (size_t)n;
	int rc = 0;
	if (len == 0 || len > TOK_MAX_WORD || (len == 1 && !(w[0] >= '0' && w[0] <= '9')) ||
	    tok_is_stop(w, len))
		goto out;
	int digit = 0;
	for (size_t i = 0; i < len; i++)
		digit |= w[i] >= '0' && w[i] <= '9';
	if (digit) {
		rc = emit(ctx, w, (int)len, (int)start, (int)end, 0);
		goto out;
	}
	size_t stemlen = strip_diminutive(w, len);
	rc = emit_stem(t, w, stemlen, (int)start, (int)end, 0, emit, ctx);
	if (!rc && mode == TOK_DOCUMENT && len >= 6)
		rc = emit_parts(t, w, len, (int)start, (int)end, emit, ctx);
out:
	free(f);
	return rc;
}

int tok_run(struct tok *t, const char *text, size_t len, int mode, tok_emit_fn emit, void *ctx)
{
	assert(t && emit && (text || len == 0));
	size_t i = 0;
	while (i < len) {
		size_t n;
		utf8proc_int32_t c = cp_at(text, len, i, &n);
		if (c < 0 || !word_char(c)) {
			i += n;
			continue;
		}
		size_t start = i, end = i + n;
		i = end;
		/* the word's run; an apostrophe between word characters splits it
		 * in two unless it is the final "'s" */
		while (i < len) {
			c = cp_at(text, len, i, &n);
			if (c >= 0 && word_char(c)) {
				end = i += n;
				continue;
			}
			if (c >= 0 && is_apostrophe(c) && i + n < len) {
				size_t n2, n3 = 0;
				utf8proc_int32_t c2 = cp_at(text, len, i + n, &n2);
				utf8proc_int32_t c3 =
				        i + n + n2 < len ? cp_at(text, len, i + n + n2, &n3) : -1;
				if ((c2 == 's' || c2 == 'S') && (c3 < 0 || !word_char(c3))) {
					/* "auto's": the word without "'s" */
					i += n + n2;
					break;
				}
			}
			break;
		}
		int rc = word(t, text, start, end, mode, emit, ctx);
		if (rc)
			return rc;
	}
	return 0;
}
