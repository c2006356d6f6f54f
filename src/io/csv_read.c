/* csv_read.c: the CSV reader (RFC 4180, also LF line ends and a byte order mark) for the importers. */
#include "io/csv.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CSV_FIELDS_MAX = 10000 };

static void *grow(void *p, size_t n, size_t size)
{
	void *q = realloc(p, n * size);
	if (!q)
		abort();
	return q;
}

/* Appends the field in f to row r and resets f. */
static void push_field(struct csv_row *r, size_t *cap, buf *f)
{
	if (r->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		r->field = grow(r->field, *cap, sizeof *r->field);
	}
	size_t n = 0;
	r->field[r->n++] = buf_detach(f, &n);
	buf_init(f);
}

static void free_row(struct csv_row *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->field[i]);
	free(r->field);
	r->field = NULL;
	r->n = 0;
}

int csv_read(const char *data, size_t len, struct csv_table *out, char *err, size_t errlen)
{
	assert(out && (data || len == 0));
	memset(out, 0, sizeof *out);
	size_t i = 0, line = 1, tcap = 0;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	buf f;
	buf_init(&f);
	while (i < len) {
		struct csv_row r = {.line = line};
		size_t cap = 0;
		for (;;) {
			/* One field starts at i. */
			if (i < len && data[i] == '"') {
				size_t start_line = line;
				i++;
				for (;;) {
					if (i >= len) {
						snprintf(err, errlen,
						         "line %zu: a quoted field is not closed",
						         start_line);
						goto bad;
					}
					if (data[i] == '"') {
						if (i + 1 < len && data[i + 1] == '"') {
							buf_putc(&f, '"');
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (data[i] == '\n')
						line++;
					buf_putc(&f, data[i++]);
				}
				if (i < len && data[i] != ',' && data[i] != '\n' &&
				    !(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n') &&
				    !(data[i] == '\r' && i + 1 == len)) {
					snprintf(
					        err, errlen,
					        "line %zu: text after the closing quote of a field",
					        line);
					goto bad;
				}
			} else {
				while (i < len && data[i] != ',' && data[i] != '\n' &&
				       !(data[i] == '\r' && (i + 1 == len || data[i + 1] == '\n')))
					buf_putc(&f, data[i++]);
			}
			push_field(&r, &cap, &f);
			if (r.n > CSV_FIELDS_MAX) {
				snprintf(err, errlen, "line %zu: more than %d fields", line,
				         CSV_FIELDS_MAX);
				goto bad;
			}
			if (i < len && data[i] == ',') {
				i++;
				continue;
			}
			/* End of the row: CRLF, LF, a lone CR at the end, or the end. */
			if (i < len && data[i] == '\r')
				i++;
			if (i < len && data[i] == '\n')
				i++;
			line++;
			break;
		}
		if (out->nrows == tcap) {
			tcap = tcap ? tcap * 2 : 64;
			out->rows = grow(out->rows, tcap, sizeof *out->rows);
		}
		out->rows[out->nrows++] = r;
		continue;
	bad:
		free_row(&r);
		buf_free(&f);
		csv_table_free(out);
		return -1;
	}
	buf_free(&f);
	return 0;
}

void csv_table_free(struct csv_table *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		free_row(&t->rows[i]);
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

int csv_row_blank(const struct csv_row *r)
{
	for (size_t i = 0; i < r->n; i++)
		for (const char *p = r->field[i]; *p; p++)
			if (*p != ' ' && *p != '\t')
				return 0;
	return 1;
}
