/* tokenize.h: the Dutch tokenizer of full-text search: folding, stop words, stemming, compound parts. */
#ifndef VP_TOKENIZE_H
#define VP_TOKENIZE_H

/*
 * Pure C (utf8proc and libstemmer, no SQLite): src/db/db_sqlite.c wraps it
 * as the FTS5 tokenizer "vertelpunt_nl". What it does to a text, in order
 * (docs/analysis.md, "Search", says the same for analysts):
 *
 * 1. Words are runs of letters, digits and combining marks; an apostrophe
 *    (' or U+2019) between letters belongs to the word. Anything else
 *    separates words ("Wmo-loket" is "wmo" and "loket").
 * 2. A word is normalised (NFC), case-folded and stripped of diacritics by
 *    utf8proc: "Café" and "cafe", "ideeën" and "ideeen" are the same.
 * 3. "'s" at the end is dropped ("auto's" -> "auto"); other apostrophes
 *    split ("zo'n" -> "zo", "n").
 * 4. Stop words (the Snowball Dutch list, compiled in) and one-letter words
 *    are dropped; numbers ("2025", "3") are kept as they are, and so is any
 *    word with a digit in it ("wmo2015").
 * 5. Diminutives lose -tje(s), -pje(s), -je(s) when at least three letters
 *    remain ("huisje" -> "huis"), then the Snowball Dutch stemmer stems
 *    ("wachtlijsten" -> "wachtlijst").
 * 6. Compounds (documents only, not queries): besides the whole word's stem,
 *    a word is split at known parts from a compiled-in list of frequent
 *    Dutch compound parts (tokenize.c), each optionally followed by the
 *    linking -s- or -en-; every part found from the start, and the rest
 *    after the last part (when at least four letters), is added as a stem
 *    at the same position. So "mantelzorgondersteuning" also gives
 *    "mantel", "mantelzorg", "zorg" and "ondersteun", and the query
 *    "mantelzorg" finds it. A compound whose first part is not in the list
 *    is found only by its whole word.
 *
 * Words longer than TOK_MAX_WORD bytes are skipped (no Dutch word is).
 */

#include <stddef.h>

#define TOK_MAX_WORD 96

enum {
	TOK_DOCUMENT = 0, /* a text being indexed: compound parts too */
	TOK_QUERY = 1,    /* a query: whole words only */
};

/* Called for each token: tok (len bytes, not NUL-terminated) came from the
 * bytes [start, end) of the text; colocated is 1 for a compound part at the
 * same position as the token before. A non-zero return stops the run and is
 * returned by tok_run. */
typedef int (*tok_emit_fn)(void *ctx, const char *tok, int len, int start, int end, int colocated);

struct tok;

/* A tokenizer (holds a Snowball stemmer, which is not thread-safe: one per
 * thread or connection). Returns NULL when out of memory. */
struct tok *tok_new(void);
void tok_free(struct tok *t);

/* Tokenizes text (len bytes, UTF-8; invalid bytes separate words) and calls
 * emit for each token. Returns 0 or emit's non-zero answer. */
int tok_run(struct tok *t, const char *text, size_t len, int mode, tok_emit_fn emit, void *ctx);

/* 1 when the folded word w (len bytes) is a stop word. */
int tok_is_stop(const char *w, size_t len);

#endif
