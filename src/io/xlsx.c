/* xlsx.c: Excel workbooks (XLSX) through libxlsxwriter: sheets of text and number cells, written to a buffer. */
#include "io/xlsx.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define CELL_MAX   32767 /* characters in a cell (Excel's limit) */
#define SHEETS_MAX 250

struct xlsx {
	char path[256];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	int nsheets;
	char names[SHEETS_MAX][32];
};

static const char *tmp_dir(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

xlsx *xlsx_new(void)
{
	xlsx *x = calloc(1, sizeof *x);
	if (!x)
		abort();
	snprintf(x->path, sizeof x->path, "%s/vertelpunt-xlsx-XXXXXX", tmp_dir());
	int fd = mkstemp(x->path);
	if (fd < 0) {
		free(x);
		return NULL;
	}
	close(fd);
	lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = (char *)tmp_dir()};
	x->wb = workbook_new_opt(x->path, &opt);
	if (!x->wb) {
		unlink(x->path);
		free(x);
		return NULL;
	}
	x->bold = workbook_add_format(x->wb);
	format_set_bold(x->bold);
	return x;
}

/* Cuts s to at most max bytes at a UTF-8 character boundary. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

void xlsx_sheet_name(const char *name, char out[32])
{
	assert(out);
	if (!name)
		name = "";
	size_t len = utf8_cut(name, strlen(name), 31);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = name[i];
		out[o++] = strchr("[]:*?/\\", ch) ? '-' : ch;
	}
	out[o] = '\0';
	while (o > 0 && out[o - 1] == '\'')
		out[--o] = '\0';
	size_t lead = 0;
	while (out[lead] == '\'')
		lead++;
	memmove(out, out + lead, o - lead + 1);
	if (!out[0])
		snprintf(out, 32, "Sheet");
}

int xlsx_sheet(xlsx *x, const char *name)
{
	assert(x);
	if (x->nsheets >= SHEETS_MAX)
		return -1;
	char base[32], cand[32];
	xlsx_sheet_name(name, base);
	snprintf(cand, sizeof cand, "%s", base);
	for (int k = 2;; k++) {
		int taken = 0;
		for (int i = 0; i < x->nsheets; i++)
			if (strcasecmp(x->names[i], cand) == 0)
				taken = 1;
		if (!taken)
			break;
		char suffix[16];
		snprintf(suffix, sizeof suffix, " (%d)", k);
		size_t keep = utf8_cut(base, strlen(base), 31 - strlen(suffix));
		snprintf(cand, sizeof cand, "%.*s%s", (int)keep, base, suffix);
	}
	x->ws = workbook_add_worksheet(x->wb, cand);
	if (!x->ws)
		return -1;
	snprintf(x->names[x->nsheets++], 32, "%s", cand);
	return 0;
}

static void text(xlsx *x, int row, int col, const char *s, lxw_format *f)
{
	assert(x && x->ws && row >= 0 && col >= 0);
	if (!s)
		return;
	size_t len = strlen(s);
	/* characters, roughly: the byte limit keeps any text within the cell */
	size_t n = utf8_cut(s, len, CELL_MAX);
	if (n == len) {
		worksheet_write_string(x->ws, (lxw_row_t)row, (lxw_col_t)col, s, f);
		return;
	}
	char *t = strndup(s, n);
	if (!t)
		abort();
	worksheet_write_string(x->ws, (lxw_row_t)row, (lxw_col_t)col, t, f);
	free(t);
}

void xlsx_text(xlsx *x, int row, int col, const char *s)
{
	text(x, row, col, s, NULL);
}

void xlsx_head(xlsx *x, int row, int col, const char *s)
{
	text(x, row, col, s, x->bold);
}

void xlsx_num(xlsx *x, int row, int col, double v)
{
	assert(x && x->ws && row >= 0 && col >= 0);
	if (isfinite(v))
		worksheet_write_number(x->ws, (lxw_row_t)row, (lxw_col_t)col, v, NULL);
}

int xlsx_finish(xlsx *x, buf *out)
{
	assert(x && out);
	if (x->nsheets == 0)
		xlsx_sheet(x, "Sheet");
	lxw_error e = workbook_close(x->wb);
	int rc = -1;
	if (e == LXW_NO_ERROR) {
		FILE *f = fopen(x->path, "rb");
		if (f) {
			size_t before = out->len;
			char chunk[16384];
			size_t n;
			while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
				buf_append(out, chunk, n);
			rc = ferror(f) ? -1 : 0;
			if (rc)
				out->len = before;
			fclose(f);
		}
	}
	unlink(x->path);
	free(x);
	return rc;
}

void xlsx_discard(xlsx *x)
{
	if (!x)
		return;
	workbook_close(x->wb);
	unlink(x->path);
	free(x);
}
