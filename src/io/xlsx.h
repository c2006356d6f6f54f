/* xlsx.h: Excel workbooks (XLSX) through libxlsxwriter: sheets of text and number cells, written to a buffer. */
#ifndef VP_XLSX_H
#define VP_XLSX_H

#include "core/buf.h"

#include <stddef.h>

/*
 * Text cells are always strings, never formulas: libxlsxwriter stores a
 * string as a shared string, which no spreadsheet evaluates, so a story
 * text like "=HYPERLINK(...)" stays text (the CSV writer needs a guard
 * quote for that; this format does not). Numbers are numbers. A text
 * longer than a cell holds (32,767 characters) is cut at a character
 * boundary. Sheet names are made valid (at most 31 characters, none of
 * [ ] : * ? / \, unique within the workbook).
 *
 * libxlsxwriter writes to a file: the workbook is made in a temporary
 * file in $TMPDIR (or /tmp) that xlsx_finish reads into the caller's
 * buffer and removes. Not thread-safe per book; books are independent.
 */

typedef struct xlsx xlsx;

/* A new workbook, or NULL when the temporary file cannot be made. */
xlsx *xlsx_new(void);
/* Adds a sheet named (about) name; later cells go there. Returns 0 or -1. */
int xlsx_sheet(xlsx *x, const char *name);
/* Cells of the current sheet, rows and columns from 0. xlsx_head is a text
 * in bold (a header row). NULL text: an empty cell. */
void xlsx_text(xlsx *x, int row, int col, const char *s);
void xlsx_head(xlsx *x, int row, int col, const char *s);
void xlsx_num(xlsx *x, int row, int col, double v); /* NaN, infinities: empty */
/* Closes the workbook, appends the file to out and frees x (also on
 * error). Returns 0, or -1 when libxlsxwriter failed (out unchanged). */
int xlsx_finish(xlsx *x, buf *out);
/* Frees x without writing (after an error elsewhere). */
void xlsx_discard(xlsx *x);

/* The sheet name name becomes (at most 31 bytes + NUL in out): the
 * characters [ ] : * ? / \ replaced by '-', a leading or trailing '
 * dropped, cut at a UTF-8 character boundary; "Sheet" when nothing is
 * left. Exported for the tests. */
void xlsx_sheet_name(const char *name, char out[32]);

#endif
