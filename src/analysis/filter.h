/* filter.h: the filter language of the pattern engine: parse a text, evaluate it to a bitmap of rows. */
#ifndef VP_FILTER_H
#define VP_FILTER_H

/*
 * One small text syntax, the same in the CLI (--filter, --a, --b), the API
 * (?filter=) and the explorer's URLs (docs/analysis.md, "Filters"):
 *
 *   expr    := term ("or" term)*
 *   term    := factor ("and" factor)*
 *   factor  := "not" factor | "(" expr ")" | cond
 *   cond    := QID "=" VALUE | QID "!=" VALUE | QID "in" "(" VALUE ("," VALUE)* ")"
 *            | QID CMP NUMBER                       dyad, scale, number (CMP: < <= > >=)
 *            | QID "[" CORNER "]" CMP NUMBER        triad weight of a corner, 0..1
 *            | QID "[" ("x" | "y") "]" CMP NUMBER   pin: place in percent from the left (x)
 *                                                   or the top (y), 0..100
 *            | QID "[" STONE "]" "[" ("x" | "y") "]" CMP NUMBER
 *                                                   stones: a stone's place on an axis, 0..100
 *            | QID "is" ("na" | "missing" | "answered")
 *            | "channel" ("=" | "!=" | "in") ...    web, kiosk, face-to-face, phone, paper, import
 *            | "period" "=" PERIOD                  2025, 2025-Q3, 2025-07, 2025-07-14
 *            | "period" ".." with dates: "period" "=" DATE ".." DATE (inclusive, UTC days)
 *            | "created" CMP DATE                   YYYY-MM-DD (UTC)
 *            | "perspective" "=" ("professional" | "teller")
 *                                                   stories with (without) the professional's answers
 *            | "participant" "is" ("known" | "unknown")
 *            | "text" "contains" STRING            story titles and texts, text answers
 *            | "text" "matches" STRING             full-text search of story titles and texts
 *                                                   (analysis/search.h: stems, compounds)
 *            | "pilot"                              (only with this: pilot stories count too)
 *            | ("collection" | "trajectory") ("=" | "!=" | "in") ...   ids (whole numbers)
 *
 * Keywords are lower case; QID, CORNER and VALUE are ids (letters, digits,
 * - _ .) or strings in double quotes ("\"" and "\\" escaped); NUMBER is a
 * decimal number. A choice's VALUE is an option id ("other" for "other,
 * namely"); for multi "=" means "chose this one"; for a scale a point; for a
 * story prompt the prompt id. "=" on a dyad or number compares the value.
 * Every condition is true only for rows with an answer (a row without an
 * answer is neither "= x" nor "!= x"); "not" is the plain complement within
 * the collection's stories.
 *
 * Unless the filter says "pilot" somewhere, pilot stories are left out.
 * An empty text is every story.
 */

#include "analysis/index.h"
#include "core/buf.h"
#include "db/db.h"

#include <roaring/roaring.h>
#include <stddef.h>

struct filter;

/* Parses text (NUL-terminated). Checks ids against the collection's
 * questions (c may be NULL to check the syntax only). Returns the filter
 * (free with filter_free) or NULL with a message in err naming the position
 * ("at 14: unknown question q-x", "at 3: expected a value"). */
struct filter *filter_parse(const char *text, const struct aix_coll *c, char *err, size_t errlen);
void filter_free(struct filter *f);

/* The canonical text of f (single spaces, strings quoted only when needed,
 * keywords lower case), so equal filters give equal URLs. Parsing it gives
 * the same filter. Appends to out. */
void filter_print(const struct filter *f, buf *out);

/* The rows of c for which f holds (pilot rows only when f asks). d is a
 * read connection for "text contains" (which asks the database); it may be
 * NULL when f has no such condition. Returns a new bitmap (the caller frees
 * it with roaring_bitmap_free), or NULL with a message in err. */
roaring_bitmap_t *filter_eval(const struct filter *f, const struct aix_coll *c, db *d, char *err,
                              size_t errlen);

/* The row of story id in c (rows are in ascending id order), or -1 when
 * it is not one (yet). */
int64_t filter_story_row(const struct aix_coll *c, int64_t id);

/* The rows of the stories with these ids (ascending, as search_ids gives
 * them; other orders work, slower) that are c's: a new bitmap. */
roaring_bitmap_t *filter_rows_of_ids(const struct aix_coll *c, const int64_t *ids, size_t n);

/* Appends s as a filter STRING in double quotes (" and \\ escaped), so
 * a text a page adds to a filter ("text matches ...") is read as one value. */
void filter_quote(buf *out, const char *s);

/* Whether f mentions "pilot". */
int filter_includes_pilot(const struct filter *f);

#endif
