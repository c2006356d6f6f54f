/* csv.h: a CSV writer (RFC 4180) whose files are safe to open in Excel and LibreOffice, and the reader the importers use. */
#ifndef VP_CSV_H
#define VP_CSV_H

#include "core/buf.h"

#include <stddef.h>
#include <stdint.h>

/* The format: fields separated by ',' (';' with CSV_SEMICOLON), every row
 * ended by CRLF (also the last), a field quoted with '"' when it holds ','
 * ';' '"' CR or LF, a '"' inside doubled. Text is written as given and
 * should be UTF-8; CSV_BOM starts the file with a UTF-8 byte order mark so
 * Excel does not read it as Windows-1252.
 *
 * Formula injection: a spreadsheet runs a cell that starts with = + - or @
 * as a formula (and some also after a tab or CR), so a story text like
 * "=HYPERLINK(...)" could act when a colleague opens the export. csv_text
 * therefore puts a single quote (') before a text that starts with
 * = + - @ TAB or CR, or that starts with spaces followed by = + - or @, or
 * with a full-width = + - @ (U+FF1D, U+FF0B, U+FF0D, U+FF20). Excel shows
 * such a cell as text (the quote shows as part of the text in other
 * tools: it is visible, and that is the point). Numbers meant as numbers
 * go through csv_num or csv_int, which are never prefixed, so -3 stays a
 * number. A caller never writes a formula on purpose. */

enum csv_flags {
	CSV_BOM = 1 << 0,      /* start with EF BB BF */
	CSV_SEMICOLON = 1 << 1 /* ';' between fields and ',' as the decimal sign (Dutch Excel) */
};

typedef struct csv {
	buf *out;
	unsigned flags;
	int col; /* fields written on the current row */
} csv;

/* Starts a CSV file at the end of out (the caller owns out; nothing else is
 * allocated). Writes the BOM when asked. */
void csv_init(csv *c, buf *out, unsigned flags);
/* A text field, neutralised and quoted as described above. NULL is an
 * empty field. csv_textn takes n bytes (which may hold anything but are
 * copied as they are). */
void csv_text(csv *c, const char *s);
void csv_textn(csv *c, const char *s, size_t n);
/* A number field: the shortest decimal form that reads back as v ("0.1",
 * "-3", "1e+20"), with '.' as the decimal sign (',' with CSV_SEMICOLON),
 * independent of the C locale. NaN and infinities are an empty field. */
void csv_num(csv *c, double v);
void csv_int(csv *c, int64_t v);
/* Ends the current row with CRLF. */
void csv_end_row(csv *c);

/* 1 when csv_text would put a quote before s[0..n). */
int csv_needs_guard(const char *s, size_t n);

/* ---- reading (csv_read.c) ------------------------------------------------
 * The same format read back: fields separated by ',', rows ended by CRLF or
 * LF (a last row without one is fine), quoted fields with '"' doubled and
 * any character (also line ends) inside. A UTF-8 byte order mark at the
 * start is skipped. Nothing is unquoted beyond that: the guard quote csv_text
 * wrote stays in the text (the caller decides what a field means). An
 * empty line is a row of one empty field, so rows count as a spreadsheet
 * shows them (csv_row_blank tells such rows). */
struct csv_row {
	size_t n;     /* fields */
	char **field; /* NUL-terminated; a field may also hold NUL bytes (cut there) */
	size_t line;  /* the line of the file the row starts on, from 1 */
};
struct csv_table {
	size_t nrows;
	struct csv_row *rows;
};
/* Reads all of data[0..len) into out (malloc'ed; csv_table_free). Returns
 * 0, or -1 with a message naming the line in err (a quote that is not
 * closed, text after a closing quote, a field or row beyond the limits). */
int csv_read(const char *data, size_t len, struct csv_table *out, char *err, size_t errlen);
void csv_table_free(struct csv_table *t);
/* 1 when every field of r is empty or spaces (an empty line, or ",,,"). */
int csv_row_blank(const struct csv_row *r);

#endif
