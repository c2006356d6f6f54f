/* filter.c: the filter language of the pattern engine: the parser, the canonical printer and the evaluation to a bitmap of rows. */
#include "analysis/filter.h"
#include "analysis/search.h"
#include "analysis/themes_measure.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * A filter is a tree: "and" and "or" nodes with any number of children
 * (nested ones of the same kind are merged, so "(a and b) and c" is one
 * node of three), "not" nodes, and conditions at the leaves. The parser is
 * a plain recursive descent over the grammar of filter.h, one token ahead.
 * Error positions are 1-based byte offsets into the text ("at 1" is the
 * first byte; the end of the text is its length + 1).
 *
 * A condition keeps its ids and values as text: a filter parsed without a
 * collection (c == NULL) can be evaluated later against one, so every
 * check against the questions lives in cond_run, which both the parser
 * (to check only) and filter_eval (to compute) call.
 */

enum {
	FILTER_MAX_TEXT = 4096,
	FILTER_MAX_DEPTH = 32,
	FILTER_MAX_CONDS = 256,
	ROWS_CHUNK = 2048,
};

enum tok {
	T_END,
	T_ID,
	T_STR,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_LP,
	T_RP,
	T_LB,
	T_RB,
	T_COMMA
};

/* Kinds of condition. C_EQ, C_NE and C_IN compare a question's answer with
 * values; channel conditions reuse them with qid NULL. */
enum cond_kind {
	C_EQ,
	C_NE,
	C_IN,
	C_CMP,    /* QID CMP NUMBER|DATE */
	C_CORNER, /* QID [CORNER] CMP NUMBER; also a pin's QID [x|y] and a stone's
	           * QID [STONE] [x|y] CMP NUMBER (percent 0..100) */
	C_IS,     /* QID is na|missing|answered */
	C_CHANNEL,
	C_PERIOD,
	C_CREATED,
	C_PERSPECTIVE,
	C_PARTICIPANT,
	C_TEXT,
	C_PILOT,
	C_COLLECTION, /* "collection" =|!=|in ids (op as for channel) */
	C_TRAJECTORY, /* "trajectory" =|!=|in ids */
	C_MATCH,      /* "text matches" QUERY: full-text search (analysis/search.h) */
	C_THEME,      /* "theme" =|!=|in numbers: the cached themes (analysis/themes_measure.h) */
};

enum cmp { CMP_LT, CMP_LE, CMP_GT, CMP_GE };
static const char *const cmp_text[] = {"<", "<=", ">", ">="};

enum is_what { IS_NA, IS_MISSING, IS_ANSWERED };
static const char *const is_text[] = {"na", "missing", "answered"};

enum period_form { P_YEAR, P_QUARTER, P_MONTH, P_DAY, P_RANGE };

struct cond {
	enum cond_kind kind;
	size_t pos;   /* 0-based offset of the condition's first token */
	char *qid;    /* question id (NULL for channel, period...) */
	char *corner; /* C_CORNER: a triad's corner, a pin's axis, or a stone */
	size_t cpos;
	char *axis; /* C_CORNER with a second [ ]: a stone's axis, "x" or "y" */
	size_t apos;
	enum tok op;  /* C_CHANNEL, C_COLLECTION, C_TRAJECTORY: T_EQ, T_NE or T_ID (in) */
	enum cmp cmp; /* C_CMP, C_CORNER, C_CREATED */
	int nval;     /* values of =, !=, in, channel; the operand of C_CMP and C_CORNER */
	char **val;
	size_t *vpos;
	int what; /* C_IS: enum is_what; C_PERSPECTIVE: 1 professional, 0 teller;
	                  * C_PARTICIPANT: 1 known, 0 unknown */
	enum period_form form;
	int y1, m1, d1, y2, m2,
	        d2; /* C_PERIOD (quarter in m1 for P_QUARTER); C_CREATED: y1-m1-d1 */
	char *text; /* C_TEXT, C_MATCH */
};

enum node_kind { N_OR, N_AND, N_NOT, N_COND };

struct node {
	enum node_kind kind;
	int nkids, capkids;
	struct node **kids; /* N_OR, N_AND: nkids >= 2; N_NOT: 1 */
	struct cond *cond;  /* N_COND */
};

struct filter {
	struct node *root; /* NULL: the empty filter (every story) */
	int pilot;
};

/* ---- small helpers ------------------------------------------------------ */

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s);
	char *d = xcalloc(n + 1, 1);
	memcpy(d, s, n);
	return d;
}

static int id_char(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '_' || ch == '.';
}

static void set_err(char *err, size_t errlen, size_t pos, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* Writes "at POS: message" (POS 1-based) to err. */
static void set_err(char *err, size_t errlen, size_t pos, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	int n = snprintf(err, errlen, "at %zu: ", pos + 1);
	if (n < 0 || (size_t)n >= errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* A strict decimal number: -?DIGITS(.DIGITS)? */
static int number_ok(const char *s)
{
	if (*s == '-')
		s++;
	if (!(*s >= '0' && *s <= '9'))
		return 0;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '.') {
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == 0;
}

/* The canonical text of a strict number, in place: no leading zeros, no
 * trailing zeros after the point, no "-0". The value is unchanged. */
static void number_canon(char *s)
{
	char *p = s, *w = s;
	int neg = *p == '-';
	if (neg)
		p++;
	while (*p == '0' && p[1] >= '0' && p[1] <= '9')
		p++;
	char *dot = strchr(p, '.');
	if (dot) {
		char *e = dot + strlen(dot);
		while (e > dot + 1 && e[-1] == '0')
			e--;
		if (e == dot + 1)
			e = dot;
		*e = 0;
	}
	int zero = 1;
	for (const char *q = p; *q; q++)
		if (*q >= '1' && *q <= '9')
			zero = 0;
	if (neg && !zero)
		*w++ = '-';
	memmove(w, p, strlen(p) + 1);
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

/* Reads exactly n digits at s; -1 when they are not there. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!(s[i] >= '0' && s[i] <= '9'))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD", a real day of the calendar (year 1000 to 9999). */
static int date_parse(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	*y = digits(s, 4), *m = digits(s + 5, 2), *d = digits(s + 8, 2);
	if (*y < 1000 || *m < 1 || *m > 12 || *d < 1 || *d > month_days(*y, *m))
		return -1;
	return 0;
}

/* Unix seconds of 00:00 UTC on a (valid) day. */
static int64_t day_start(int y, int m, int d)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
	return (int64_t)timegm(&tm);
}

/* Days since 1970-01-01 of a valid day (the unit of date columns). */
static int32_t day_number(int y, int m, int d)
{
	return (int32_t)(day_start(y, m, d) / 86400);
}

/* A period: 2025, 2025-Q3, 2025-07, 2025-07-14, or DAY..DAY. */
static int period_parse(const char *s, struct cond *k)
{
	const char *dots = strstr(s, "..");
	if (dots) {
		char a[16];
		size_t n = (size_t)(dots - s);
		if (n >= sizeof a)
			return -1;
		memcpy(a, s, n);
		a[n] = 0;
		if (date_parse(a, &k->y1, &k->m1, &k->d1) ||
		    date_parse(dots + 2, &k->y2, &k->m2, &k->d2))
			return -1;
		k->form = P_RANGE;
		return 0;
	}
	size_t n = strlen(s);
	k->y1 = digits(s, 4);
	if (n < 4 || k->y1 < 1000)
		return -1;
	if (n == 4) {
		k->form = P_YEAR;
		return 0;
	}
	if (n == 7 && s[4] == '-' && (s[5] == 'Q' || s[5] == 'q') && s[6] >= '1' && s[6] <= '4') {
		k->form = P_QUARTER;
		k->m1 = s[6] - '0';
		return 0;
	}
	if (n == 7 && s[4] == '-') {
		k->m1 = digits(s + 5, 2);
		if (k->m1 < 1 || k->m1 > 12)
			return -1;
		k->form = P_MONTH;
		return 0;
	}
	if (date_parse(s, &k->y1, &k->m1, &k->d1))
		return -1;
	k->form = P_DAY;
	return 0;
}

/* The period as unix seconds [*from, *to). */
static void period_bounds(const struct cond *k, int64_t *from, int64_t *to)
{
	switch (k->form) {
	case P_YEAR: *from = day_start(k->y1, 1, 1), *to = day_start(k->y1 + 1, 1, 1); break;
	case P_QUARTER:
		*from = day_start(k->y1, 3 * k->m1 - 2, 1);
		*to = k->m1 == 4 ? day_start(k->y1 + 1, 1, 1) : day_start(k->y1, 3 * k->m1 + 1, 1);
		break;
	case P_MONTH:
		*from = day_start(k->y1, k->m1, 1);
		*to = k->m1 == 12 ? day_start(k->y1 + 1, 1, 1) : day_start(k->y1, k->m1 + 1, 1);
		break;
	case P_DAY: *from = day_start(k->y1, k->m1, k->d1), *to = *from + 86400; break;
	case P_RANGE:
		*from = day_start(k->y1, k->m1, k->d1);
		*to = day_start(k->y2, k->m2, k->d2) + 86400;
		break;
	}
}

/* ---- the tree ----------------------------------------------------------- */

static void cond_free(struct cond *k)
{
	if (!k)
		return;
	free(k->qid);
	free(k->corner);
	free(k->axis);
	for (int i = 0; i < k->nval; i++)
		free(k->val[i]);
	free(k->val);
	free(k->vpos);
	free(k->text);
	free(k);
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	for (int i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	cond_free(n->cond);
	free(n);
}

static struct node *node_new(enum node_kind kind)
{
	struct node *n = xcalloc(1, sizeof *n);
	n->kind = kind;
	return n;
}

/* Adds kid to n; a kid of the same kind ("and" in "and") gives its
 * children instead, so equal filters have equal trees. */
static void node_add(struct node *n, struct node *kid)
{
	if (kid->kind == n->kind && (n->kind == N_AND || n->kind == N_OR)) {
		for (int i = 0; i < kid->nkids; i++)
			node_add(n, kid->kids[i]);
		kid->nkids = 0;
		node_free(kid);
		return;
	}
	if (n->nkids == n->capkids) {
		n->capkids = n->capkids ? 2 * n->capkids : 4;
		n->kids = xrealloc(n->kids, (size_t)n->capkids * sizeof *n->kids);
	}
	n->kids[n->nkids++] = kid;
}

static void cond_add_value(struct cond *k, const char *v, size_t pos)
{
	k->val = xrealloc(k->val, (size_t)(k->nval + 1) * sizeof *k->val);
	k->vpos = xrealloc(k->vpos, (size_t)(k->nval + 1) * sizeof *k->vpos);
	k->val[k->nval] = xstrdup(v);
	k->vpos[k->nval] = pos;
	k->nval++;
}

/* ---- the lexer ------------------------------------------------------------ */

struct parser {
	const char *s;
	size_t len, i;
	enum tok t;
	size_t tpos;                  /* 0-based offset of the current token */
	char tv[FILTER_MAX_TEXT + 1]; /* its text: an id, or a string without quotes */
	const struct aix_coll *c;
	char *err;
	size_t errlen;
	int failed, depth, nconds, pilot;
};

static void fail(struct parser *p, size_t pos, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void fail(struct parser *p, size_t pos, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = 1;
	if (!p->err || p->errlen == 0)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	set_err(p->err, p->errlen, pos, "%s", msg);
}

/* Reads the next token into p->t, p->tpos and p->tv. */
static void next(struct parser *p)
{
	if (p->failed)
		return;
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
	                         p->s[p->i] == '\r'))
		p->i++;
	p->tpos = p->i;
	p->tv[0] = 0;
	if (p->i >= p->len) {
		p->t = T_END;
		return;
	}
	unsigned char ch = (unsigned char)p->s[p->i];
	if (id_char(ch)) {
		size_t n = 0;
		while (p->i < p->len && id_char((unsigned char)p->s[p->i]))
			p->tv[n++] = p->s[p->i++];
		p->tv[n] = 0;
		p->t = T_ID;
		return;
	}
	if (ch == '"') {
		size_t n = 0;
		p->i++;
		for (;;) {
			if (p->i >= p->len) {
				fail(p, p->tpos, "the string is not closed with \"");
				return;
			}
			char c = p->s[p->i++];
			if (c == '"')
				break;
			if (c == '\\') {
				if (p->i < p->len && (p->s[p->i] == '"' || p->s[p->i] == '\\')) {
					c = p->s[p->i++];
				} else {
					fail(p, p->i - 1,
					     "in a string only \\\" and \\\\ may follow a "
					     "backslash");
					return;
				}
			}
			p->tv[n++] = c;
		}
		p->tv[n] = 0;
		p->t = T_STR;
		return;
	}
	p->i++;
	switch (ch) {
	case '=': p->t = T_EQ; return;
	case '(': p->t = T_LP; return;
	case ')': p->t = T_RP; return;
	case '[': p->t = T_LB; return;
	case ']': p->t = T_RB; return;
	case ',': p->t = T_COMMA; return;
	case '<':
	case '>': {
		int eq = p->i < p->len && p->s[p->i] == '=';
		p->i += eq;
		p->t = ch == '<' ? (eq ? T_LE : T_LT) : (eq ? T_GE : T_GT);
		return;
	}
	case '!':
		if (p->i < p->len && p->s[p->i] == '=') {
			p->i++;
			p->t = T_NE;
			return;
		}
		break;
	default: break;
	}
	if (ch >= 0x20 && ch < 0x7f)
		fail(p, p->tpos, "unexpected character %c", ch);
	else
		fail(p, p->tpos,
		     "unexpected byte 0x%02x (outside quotes only letters, digits, - _ . "
		     "and = != < <= > >= ( ) [ ] , may appear)",
		     ch);
}

static int at_word(const struct parser *p, const char *w)
{
	return !p->failed && p->t == T_ID && strcmp(p->tv, w) == 0;
}

/* The current token as an id or a string (what QID, CORNER and VALUE may
 * be), copied to out; fails with "expected WHAT" otherwise. */
static int take_id(struct parser *p, const char *what, char **out, size_t *pos)
{
	if (p->failed)
		return -1;
	if (p->t != T_ID && p->t != T_STR) {
		fail(p, p->tpos, "expected %s", what);
		return -1;
	}
	if (pos)
		*pos = p->tpos;
	char *v = xstrdup(p->tv);
	next(p);
	if (p->failed) {
		free(v);
		return -1;
	}
	*out = v;
	return 0;
}

static int take_cmp(struct parser *p, enum cmp *out)
{
	switch (p->t) {
	case T_LT: *out = CMP_LT; break;
	case T_LE: *out = CMP_LE; break;
	case T_GT: *out = CMP_GT; break;
	case T_GE: *out = CMP_GE; break;
	default: return -1;
	}
	next(p);
	return p->failed ? -1 : 0;
}

/* ---- checking and evaluating one condition -------------------------------- */

/* Collects rows in ascending order into a bitmap, a chunk at a time (for
 * the few rows "text contains" gives). */
struct rows {
	roaring_bitmap_t *bm;
	size_t n;
	uint32_t buf[ROWS_CHUNK];
};

static void rows_flush(struct rows *r)
{
	if (r->n)
		roaring_bitmap_add_many(r->bm, r->n, r->buf);
	r->n = 0;
}

static roaring_bitmap_t *bm_empty(void)
{
	roaring_bitmap_t *b = roaring_bitmap_create();
	if (!b)
		abort();
	return b;
}

static roaring_bitmap_t *bm_copy(const roaring_bitmap_t *b)
{
	assert(b);
	roaring_bitmap_t *r = roaring_bitmap_copy(b);
	if (!r)
		abort();
	return r;
}

static roaring_bitmap_t *universe(const struct aix_coll *c)
{
	roaring_bitmap_t *b = bm_empty();
	if (c->n)
		roaring_bitmap_add_range_closed(b, 0, c->n - 1);
	return b;
}

/*
 * Scans of a column give a plain bitset first (bit i of word i / 64 for
 * row i: a loop the compiler vectorises, no branch per row), turned into
 * a bitmap at once through CRoaring's portable serialisation format
 * (github.com/RoaringBitmap/RoaringFormatSpec: the cookie without run
 * containers, a key and cardinality per 65536 rows, offsets, then each
 * container: an array of 16-bit values up to 4096 rows, else 1024 words).
 * Adding rows one by one instead took about ten times as long on a
 * million rows.
 */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the portable roaring format is little-endian; filter.c writes it natively"
#endif

enum { PORTABLE_NO_RUNS = 12346, ARRAY_MAX = 4096, CHUNK_WORDS = 1024 };

/* Words for n rows, not cleared: every scan writes each word. */
static uint64_t *bits_new(uint32_t n)
{
	uint64_t *w = malloc((((size_t)n + 63) / 64 + 1) * sizeof(uint64_t));
	if (!w)
		abort();
	return w;
}

static void put16(char **p, uint16_t v)
{
	memcpy(*p, &v, 2);
	*p += 2;
}

static void put32(char **p, uint32_t v)
{
	memcpy(*p, &v, 4);
	*p += 4;
}

/* The bitmap of the bitset w of n rows; frees w. */
static roaring_bitmap_t *bits_finish(uint64_t *w, uint32_t n)
{
	size_t nw = ((size_t)n + 63) / 64, nchunks = (nw + CHUNK_WORDS - 1) / CHUNK_WORDS;
	uint32_t *card = xcalloc(nchunks, sizeof *card);
	size_t ncont = 0, bytes = 8;
	for (size_t ch = 0; ch < nchunks; ch++) {
		size_t end = (ch + 1) * CHUNK_WORDS < nw ? (ch + 1) * CHUNK_WORDS : nw;
		uint32_t k = 0;
		for (size_t i = ch * CHUNK_WORDS; i < end; i++)
			k += (uint32_t)__builtin_popcountll(w[i]);
		card[ch] = k;
		if (k) {
			ncont++;
			bytes += 8 + (k > ARRAY_MAX ? 8 * CHUNK_WORDS : 2 * (size_t)k);
		}
	}
	if (ncont == 0) {
		free(card), free(w);
		return bm_empty();
	}
	char *out = malloc(bytes), *p = out;
	if (!out)
		abort();
	put32(&p, PORTABLE_NO_RUNS);
	put32(&p, (uint32_t)ncont);
	for (size_t ch = 0; ch < nchunks; ch++)
		if (card[ch]) {
			put16(&p, (uint16_t)ch);
			put16(&p, (uint16_t)(card[ch] - 1));
		}
	char *offsets = p;
	p += 4 * ncont;
	for (size_t ch = 0; ch < nchunks; ch++) {
		if (!card[ch])
			continue;
		put32(&offsets, (uint32_t)(p - out));
		size_t first = ch * CHUNK_WORDS;
		size_t end = first + CHUNK_WORDS < nw ? first + CHUNK_WORDS : nw;
		if (card[ch] > ARRAY_MAX) {
			memcpy(p, w + first, (end - first) * 8);
			memset(p + (end - first) * 8, 0, (CHUNK_WORDS - (end - first)) * 8);
			p += 8 * CHUNK_WORDS;
			continue;
		}
		for (size_t i = first; i < end; i++)
			for (uint64_t m = w[i]; m; m &= m - 1)
				put16(&p,
				      (uint16_t)(((i - first) << 6) + (size_t)__builtin_ctzll(m)));
	}
	assert((size_t)(p - out) == bytes);
	roaring_bitmap_t *b = roaring_bitmap_portable_deserialize_safe(out, bytes);
	if (!b)
		abort();
	free(out), free(card), free(w);
	return b;
}

/* Sets bit i of w for each row i < n for which ok (an expression of i)
 * holds, 64 rows to a word. */
#define BITS_SCAN(w, n, i, ok)                                   \
	for (uint32_t base_ = 0; base_ < (n); base_ += 64) {     \
		uint32_t end_ = (n)-base_ < 64 ? (n)-base_ : 64; \
		uint64_t m_ = 0;                                 \
		for (uint32_t b_ = 0; b_ < end_; b_++) {         \
			uint32_t i = base_ + b_;                 \
			m_ |= (uint64_t)((ok) ? 1 : 0) << b_;    \
		}                                                \
		(w)[base_ / 64] = m_;                            \
	}

/* Rows whose u16 value lies in [lo, hi] (missing and n/a are above 10000,
 * so a range within 0..10000 never takes them). */
static roaring_bitmap_t *scan_u16(const uint16_t *v, uint32_t n, int64_t lo, int64_t hi)
{
	if (lo < 0)
		lo = 0;
	if (hi > 100 * AIX_DYAD_SCALE)
		hi = 100 * AIX_DYAD_SCALE;
	if (lo > hi)
		return bm_empty();
	uint32_t l = (uint32_t)lo, span = (uint32_t)(hi - lo);
	uint64_t *w = bits_new(n);
	BITS_SCAN(w, n, i, (uint32_t)v[i] - l <= span);
	return bits_finish(w, n);
}

/* Rows whose int64 value lies in [lo, hi) (created_at). */
static roaring_bitmap_t *scan_i64(const int64_t *v, uint32_t n, int64_t lo, int64_t hi)
{
	if (lo >= hi)
		return bm_empty();
	uint64_t l = (uint64_t)lo, span = (uint64_t)hi - (uint64_t)lo;
	uint64_t *w = bits_new(n);
	BITS_SCAN(w, n, i, (uint64_t)v[i] - l < span);
	return bits_finish(w, n);
}

/* Rows whose date (days) lies in [lo, hi]; INT32_MIN (missing) never
 * does. */
static roaring_bitmap_t *scan_i32(const int32_t *v, uint32_t n, int64_t lo, int64_t hi)
{
	if (lo <= INT32_MIN)
		lo = INT32_MIN + 1;
	if (hi > INT32_MAX)
		hi = INT32_MAX;
	if (lo > hi)
		return bm_empty();
	uint32_t l = (uint32_t)(int32_t)lo, span = (uint32_t)(hi - lo);
	uint64_t *w = bits_new(n);
	BITS_SCAN(w, n, i, (uint32_t)v[i] - l <= span);
	return bits_finish(w, n);
}

/* Rows whose number compares with x (NaN, missing, never does). op: a
 * cmp, or -1 for equality. */
static roaring_bitmap_t *scan_f32(const float *v, uint32_t n, int op, float x)
{
	uint64_t *w = bits_new(n);
	switch (op) {
	case CMP_LT: BITS_SCAN(w, n, i, v[i] < x); break;
	case CMP_LE: BITS_SCAN(w, n, i, v[i] <= x); break;
	case CMP_GT: BITS_SCAN(w, n, i, v[i] > x); break;
	case CMP_GE: BITS_SCAN(w, n, i, v[i] >= x); break;
	default: BITS_SCAN(w, n, i, v[i] == x); break;
	}
	return bits_finish(w, n);
}

/* Rows whose triad weight of corner k (w[k] / sum) compares with x9 / 1e9,
 * exactly (in integers), so a weight of exactly 0.6 is not "> 0.6".
 * Missing and n/a (a first weight of 0xFFFE or more) never do. The index
 * stores weights that sum to AIX_TRIAD_SCALE; for those rows the test is
 * one comparison of w[k] with a whole-number threshold (a loop the
 * compiler vectorises); the rare other rows are compared one by one. */
static int corner_exact(const uint16_t *t, int k, enum cmp op, int64_t x9)
{
	int64_t s = (int64_t)t[0] + t[1] + t[2];
	int64_t lhs = (int64_t)t[k] * 1000000000, rhs = x9 * s;
	if (t[0] >= AIX_NA16 || s == 0)
		return 0;
	return op == CMP_LT   ? lhs < rhs
	       : op == CMP_LE ? lhs <= rhs
	       : op == CMP_GT ? lhs > rhs
	                      : lhs >= rhs;
}

static roaring_bitmap_t *scan_corner(const uint16_t *t, uint32_t n, int k, enum cmp op, int64_t x9)
{
	/* With sum S: w * 1e9 >= x9 * S  <=>  w >= ceil(x9 * S / 1e9) = lo;
	 * w * 1e9 > x9 * S  <=>  w >= floor(x9 * S / 1e9) + 1 = hi. */
	int64_t r = x9 * AIX_TRIAD_SCALE, q = r / 1000000000;
	uint32_t lo = (uint32_t)(q + (r % 1000000000 != 0)), hi = (uint32_t)(q + 1);
	uint32_t th = op == CMP_LT || op == CMP_GE ? lo : hi;
	int above = op == CMP_GE || op == CMP_GT; /* w >= th, else w < th */
	uint64_t *w = bits_new(n);
	/* One pass: E = the weights sum to the full scale, G = w[k] >= th,
	 * O = answered but not summing to the full scale. */
	for (uint32_t base = 0; base < n; base += 64) {
		uint32_t end = n - base < 64 ? n - base : 64;
		const uint16_t *x = t + 3 * (size_t)base;
		uint64_t e = 0, g = 0, o = 0;
		for (uint32_t b = 0; b < end; b++, x += 3) {
			uint32_t s = (uint32_t)x[0] + x[1] + x[2];
			e |= (uint64_t)(s == AIX_TRIAD_SCALE) << b;
			g |= (uint64_t)(x[k] >= th) << b;
			o |= (uint64_t)(s != AIX_TRIAD_SCALE && x[0] < AIX_NA16) << b;
		}
		w[base / 64] = above ? e & g : e & ~g;
		if (o) {
			for (uint64_t m = o; m; m &= m - 1) {
				uint32_t i = base + (uint32_t)__builtin_ctzll(m);
				if (corner_exact(t + 3 * (size_t)i, k, op, x9))
					w[base / 64] |= (uint64_t)1 << (i & 63);
			}
		}
	}
	return bits_finish(w, n);
}

/* Rows whose place on one axis (a pin's or a stone's, whole percent
 * 0..100; 255 when not placed) compares with x: the byte of row i is
 * v[i * stride]. The stored place is rounded to a whole percent (index.h),
 * so the comparison is with that, as the grid of measure_points counts. */
static roaring_bitmap_t *scan_place(const uint8_t *v, size_t stride, uint32_t n, enum cmp op,
                                    double x)
{
	double lo = 0, hi = 100;
	switch (op) {
	case CMP_LT: hi = ceil(x) - 1; break;
	case CMP_LE: hi = floor(x); break;
	case CMP_GT: lo = floor(x) + 1; break;
	case CMP_GE: lo = ceil(x); break;
	}
	lo = lo < 0 ? 0 : lo;
	hi = hi > 100 ? 100 : hi;
	if (lo > hi)
		return bm_empty();
	uint32_t l = (uint32_t)lo, span = (uint32_t)(hi - lo);
	uint64_t *w = bits_new(n);
	BITS_SCAN(w, n, i, (uint32_t)v[(size_t)i * stride] - l <= span);
	return bits_finish(w, n);
}

/* Rows with (known != 0) or without (known == 0) a participant. */
static roaring_bitmap_t *scan_participant(const uint32_t *v, uint32_t n, int known)
{
	uint64_t *w = bits_new(n);
	if (known)
		BITS_SCAN(w, n, i, v[i] != 0)
	else
		BITS_SCAN(w, n, i, v[i] == 0)
	return bits_finish(w, n);
}

/* Whether the integer a compares with the number x. */
static int cmp_holds(enum cmp op, double a, double x)
{
	switch (op) {
	case CMP_LT: return a < x;
	case CMP_LE: return a <= x;
	case CMP_GT: return a > x;
	default: return a >= x;
	}
}

/* x (a dyad value 0..100) in hundredths, snapped to a whole number when
 * within rounding of one, so 0.29 is 29 and not 28.999999999999996. */
static double hundredths(double x)
{
	double t = x * AIX_DYAD_SCALE, r = nearbyint(t);
	return fabs(t - r) < 1e-6 ? r : t;
}

/* The hundredths [lo, hi] for which "value op x" holds. */
static void dyad_range(int op, double x, int64_t *lo, int64_t *hi)
{
	double t = hundredths(x), l = 0, h = 100 * AIX_DYAD_SCALE;
	switch (op) {
	case CMP_LT: h = ceil(t) - 1; break;
	case CMP_LE: h = floor(t); break;
	case CMP_GT: l = floor(t) + 1; break;
	case CMP_GE: l = ceil(t); break;
	default: l = ceil(t), h = floor(t); break;
	}
	l = l < 0 ? 0 : l;
	h = h > 100 * AIX_DYAD_SCALE ? 100 * AIX_DYAD_SCALE : h;
	*lo = (int64_t)l, *hi = (int64_t)h;
	if (l > h)
		*lo = 1, *hi = 0;
}

/* What a condition is run against: the collection, the database (for
 * "text contains"), and where a bitmap goes; out == NULL only checks. */
struct run {
	const struct aix_coll *c;
	db *d;
	char *err;
	size_t errlen;
};

static const struct aix_question *find_question(const struct aix_coll *c, const char *id)
{
	/* aix_question does not change the part; it takes it non-const only
	 * because callers use the column to read. */
	return aix_question((struct aix_coll *)c, id);
}

/* A shortened id for a message (ids from a string may be long). */
#define SHOW(s) 64, (s)

/* The rows answered with value v (=), or checks v when out is NULL. */
static int value_rows(const struct run *x, const struct aix_question *aq, const char *v, size_t pos,
                      roaring_bitmap_t **out)
{
	const struct question *q = aq->q;
	uint32_t n = x->c->n;
	switch (q->type) {
	case Q_STORY:
	case Q_CHOICE:
	case Q_MULTI: {
		int k = -1;
		for (int i = 0; i < q->noptions && k < 0; i++)
			if (strcmp(q->options[i].id, v) == 0)
				k = i;
		if (k < 0 && q->type != Q_STORY && q->other.n > 0 && strcmp(v, "other") == 0)
			k = q->noptions;
		if (k < 0 || k >= aq->nbm) {
			set_err(x->err, x->errlen, pos, "%.*s has no %s %.*s", SHOW(q->id),
			        q->type == Q_STORY ? "prompt" : "option", SHOW(v));
			return -1;
		}
		if (out)
			*out = bm_copy(aq->bm[k]);
		return 0;
	}
	case Q_SCALE: {
		int p = number_ok(v) && !strchr(v, '.') && strlen(v) <= 2 ? atoi(v) : 0;
		if (p < 1 || p > q->points || p > aq->nbm) {
			set_err(x->err, x->errlen, pos,
			        "%.*s is a scale of 1 to %d: expected a whole number from 1 to %d, "
			        "got %.*s",
			        SHOW(q->id), q->points, q->points, SHOW(v));
			return -1;
		}
		if (out)
			*out = bm_copy(aq->bm[p - 1]);
		return 0;
	}
	case Q_DYAD: {
		double d = number_ok(v) ? strtod(v, NULL) : -1;
		if (!(d >= 0 && d <= 100)) {
			set_err(x->err, x->errlen, pos,
			        "%.*s is a dyad question: expected a number from 0 to 100, got "
			        "%.*s",
			        SHOW(q->id), SHOW(v));
			return -1;
		}
		if (out) {
			int64_t lo, hi;
			dyad_range(-1, d, &lo, &hi);
			*out = scan_u16(aq->u16, n, lo, hi);
		}
		return 0;
	}
	case Q_NUMBER: {
		if (!number_ok(v)) {
			set_err(x->err, x->errlen, pos,
			        "%.*s is a number question: expected a number, got %.*s",
			        SHOW(q->id), SHOW(v));
			return -1;
		}
		if (out)
			*out = scan_f32(aq->f32, n, -1, (float)strtod(v, NULL));
		return 0;
	}
	case Q_DATE: {
		int y, m, d;
		if (date_parse(v, &y, &m, &d)) {
			set_err(x->err, x->errlen, pos,
			        "%.*s is a date question: expected a date like 2025-07-14, got "
			        "%.*s",
			        SHOW(q->id), SHOW(v));
			return -1;
		}
		if (out)
			*out = scan_i32(aq->i32, n, day_number(y, m, d), day_number(y, m, d));
		return 0;
	}
	case Q_TRIAD:
		set_err(x->err, x->errlen, pos,
		        "%.*s is a triad question: compare the weight of a corner, like "
		        "%.*s[%.*s] > 0.6",
		        SHOW(q->id), SHOW(q->id), SHOW(q->noptions ? q->options[0].id : "corner"));
		return -1;
	default:
		set_err(x->err, x->errlen, pos,
		        "%.*s is a %s question: only \"is answered\", \"is na\" and \"is missing\" "
		        "apply",
		        SHOW(q->id), q_type_name(q->type));
		return -1;
	}
}

/* The LIKE pattern of "contains s": lower case (ASCII), with % _ and \
 * escaped by \, between two %. */
static void like_pattern(const char *s, buf *out)
{
	buf_putc(out, '%');
	for (; *s; s++) {
		char ch = *s;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (ch == '%' || ch == '_' || ch == '\\')
			buf_putc(out, '\\');
		buf_putc(out, ch);
	}
	buf_putc(out, '%');
}

/* The row of a story id (rows are in ascending id order), or -1. */
static int64_t row_of(const struct aix_coll *c, int64_t id)
{
	uint32_t lo = 0, hi = c->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c->story_id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n && c->story_id[lo] == id ? (int64_t)lo : -1;
}

int64_t filter_story_row(const struct aix_coll *c, int64_t id)
{
	return row_of(c, id);
}

roaring_bitmap_t *filter_rows_of_ids(const struct aix_coll *c, const int64_t *ids, size_t n)
{
	struct rows *r = xcalloc(1, sizeof *r);
	r->bm = bm_empty();
	/* Both lists ascend: one walk through the part's ids, galloping
	 * (doubling steps, then halving) past the stories not asked for. */
	uint32_t at = 0;
	int64_t prev = INT64_MIN;
	for (size_t i = 0; i < n && c->n; i++) {
		int64_t id = ids[i];
		if (id < prev) /* not ascending after all: start again */
			at = 0;
		prev = id;
		if (at < c->n && c->story_id[at] < id) {
			uint32_t lo = at, step = 1, hi = at + 1;
			while (hi < c->n && c->story_id[hi] < id) {
				lo = hi;
				step *= 2;
				hi = c->n - lo > step ? lo + step : c->n;
			}
			/* c->story_id[lo] < id; the first at or above id lies in (lo, hi] */
			while (lo + 1 < hi) {
				uint32_t mid = lo + (hi - lo) / 2;
				if (c->story_id[mid] < id)
					lo = mid;
				else
					hi = mid;
			}
			at = hi;
		}
		if (at >= c->n)
			break;
		if (c->story_id[at] != id) /* another collection's, or newer than the index */
			continue;
		r->buf[r->n++] = at;
		if (r->n == ROWS_CHUNK)
			rows_flush(r);
	}
	rows_flush(r);
	roaring_bitmap_t *b = r->bm;
	free(r);
	return b;
}

/* "text contains": asks the database for the collection's stories whose
 * story title or text, or a text answer (either perspective), contains
 * the text. SQLite's lower() and LIKE fold ASCII letters only, so "É"
 * does not find "é": acceptable until the Dutch text issue replaces this
 * with full-text search (FTS5 with the Dutch stemmer). */
static int text_rows(const struct run *x, const struct cond *k, roaring_bitmap_t **out)
{
	const struct aix_coll *c = x->c;
	if (!x->d) {
		set_err(x->err, x->errlen, k->pos, "\"text contains\" needs the database");
		return -1;
	}
	buf stories, texts, pattern;
	buf_init(&stories), buf_init(&texts), buf_init(&pattern);
	buf_putc(&stories, '['), buf_putc(&texts, '[');
	for (int i = 0; i < c->nq; i++) {
		const struct question *q = c->q[i].q;
		buf *b = q->type == Q_STORY ? &stories : q->type == Q_TEXT ? &texts : NULL;
		if (!b)
			continue;
		if (b->len > 1)
			buf_putc(b, ',');
		buf_json_str(b, q->id);
	}
	buf_putc(&stories, ']'), buf_putc(&texts, ']');
	like_pattern(k->text, &pattern);

	db_stmt *st = db_prepare(
	        x->d, "SELECT s.id FROM stories s WHERE s.collection_id IN "
	              "(SELECT CAST(value AS INTEGER) FROM json_each(:colls)) AND EXISTS ("
	              " SELECT 1 FROM json_each(s.answers) a WHERE"
	              "  (a.type = 'text' AND a.key IN (SELECT value FROM json_each(:texts))"
	              "   AND lower(a.value) LIKE :pattern ESCAPE '\\')"
	              "  OR (a.type = 'object' AND a.key IN (SELECT value FROM json_each(:stories))"
	              "   AND (lower(a.value ->> 'title') LIKE :pattern ESCAPE '\\'"
	              "    OR lower(a.value ->> 'text') LIKE :pattern ESCAPE '\\'))"
	              " UNION ALL"
	              " SELECT 1 FROM json_each(s.professional) a WHERE"
	              "  a.type = 'text' AND a.key IN (SELECT value FROM json_each(:texts))"
	              "  AND lower(a.value) LIKE :pattern ESCAPE '\\')"
	              " ORDER BY s.id");
	/* a trajectory's part: the stories of its collections */
	buf colls;
	buf_init(&colls);
	buf_putc(&colls, '[');
	if (c->trajectory)
		for (int j = 0; j < c->ncolls; j++)
			buf_printf(&colls, "%s%lld", j ? "," : "", (long long)c->coll_id[j]);
	else
		buf_printf(&colls, "%lld", (long long)c->id);
	buf_putc(&colls, ']');
	db_bind_text(st, "colls", colls.data);
	buf_free(&colls);
	db_bind_text(st, "texts", texts.data);
	db_bind_text(st, "stories", stories.data);
	db_bind_text(st, "pattern", pattern.data);
	buf_free(&stories), buf_free(&texts), buf_free(&pattern);

	struct rows *r = xcalloc(1, sizeof *r);
	r->bm = bm_empty();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t row = row_of(c, db_col_int(st, 0));
		if (row < 0) /* a story newer than the index is not a row yet */
			continue;
		r->buf[r->n++] = (uint32_t)row;
		if (r->n == ROWS_CHUNK)
			rows_flush(r);
	}
	rows_flush(r);
	roaring_bitmap_t *b = r->bm;
	free(r);
	if (rc != DB_DONE) {
		set_err(x->err, x->errlen, k->pos,
		        "\"text contains\" could not read the stories: %s", db_errmsg(x->d));
		db_finalize(st);
		roaring_bitmap_free(b);
		return -1;
	}
	db_finalize(st);
	*out = b;
	return 0;
}

/* "text matches": the rows of the stories full-text search finds for the
 * text (analysis/search.h), in the part's collections. */
static int match_rows(const struct run *x, const struct cond *k, roaring_bitmap_t **out)
{
	const struct aix_coll *c = x->c;
	if (!x->d) {
		set_err(x->err, x->errlen, k->pos, "\"text matches\" needs the database");
		return -1;
	}
	buf m;
	buf_init(&m);
	char err[160];
	if (search_query_build(k->text, &m, err, sizeof err)) { /* checked when parsed */
		set_err(x->err, x->errlen, k->pos, "%s", err);
		buf_free(&m);
		return -1;
	}
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = search_ids(x->d, m.data, &ids, &n); /* every collection's: rows are c's */
	buf_free(&m);
	if (rc != DB_DONE) {
		free(ids);
		set_err(x->err, x->errlen, k->pos,
		        "\"text matches\" could not search the stories: %s", db_errmsg(x->d));
		return -1;
	}
	*out = filter_rows_of_ids(c, ids, n);
	free(ids);
	return 0;
}

/* "collection" and "trajectory" conditions: every value must be one of the
 * part's (a collection's part has one collection and at most one
 * trajectory; a trajectory's part its collections and itself). */
static int scope_rows(const struct run *x, const struct cond *k, roaring_bitmap_t **out)
{
	const struct aix_coll *c = x->c;
	int is_coll = k->kind == C_COLLECTION;
	roaring_bitmap_t *acc = out ? bm_empty() : NULL;
	for (int i = 0; i < k->nval; i++) {
		int64_t id = strtoll(k->val[i], NULL, 10); /* digits: checked by the parser */
		int found = 0;
		if (is_coll && c->trajectory) {
			for (int j = 0; j < c->ncolls && !found; j++)
				if (c->coll_id[j] == id) {
					found = 1;
					if (acc)
						roaring_bitmap_or_inplace(acc, c->by_coll[j]);
				}
		} else {
			found = id == (is_coll ? c->id : c->trajectory_id);
			if (found && acc && c->n)
				roaring_bitmap_add_range_closed(acc, 0, c->n - 1);
		}
		if (!found) {
			buf here;
			buf_init(&here);
			if (is_coll && c->trajectory)
				for (int j = 0; j < c->ncolls; j++)
					buf_printf(&here, "%s%lld", j ? ", " : "",
					           (long long)c->coll_id[j]);
			else if (is_coll || c->trajectory_id)
				buf_printf(&here, "%lld",
				           (long long)(is_coll ? c->id : c->trajectory_id));
			set_err(x->err, x->errlen, k->vpos[i],
			        "%s %.*s is not part of this analysis (%s here: %s)",
			        is_coll ? "collection" : "trajectory", SHOW(k->val[i]),
			        is_coll ? "collections" : "trajectory",
			        here.len ? here.data : "none");
			buf_free(&here);
			if (acc)
				roaring_bitmap_free(acc);
			return -1;
		}
	}
	if (!acc)
		return 0;
	if (k->op == T_NE) {
		roaring_bitmap_t *u = universe(c);
		roaring_bitmap_andnot_inplace(u, acc);
		roaring_bitmap_free(acc);
		acc = u;
	}
	*out = acc;
	return 0;
}

/* A place on a pin's picture (Q[x], Q[y]) or a stones canvas (Q[STONE][x],
 * Q[STONE][y]): checks the names and, when out is not NULL, computes the
 * rows (placed, and on that side of the number). */
static int place_run(const struct run *x, const struct cond *k, const struct aix_question *aq,
                     roaring_bitmap_t **out)
{
	const struct question *q = aq->q;
	const char *axis = q->type == Q_PIN ? k->corner : k->axis;
	if (q->type == Q_PIN && k->axis) {
		set_err(x->err, x->errlen, k->apos,
		        "%.*s is a pin question: [x] or [y] without a stone, like %.*s[x] >= 20",
		        SHOW(q->id), SHOW(q->id));
		return -1;
	}
	if (q->type == Q_PIN && strcmp(axis, "x") != 0 && strcmp(axis, "y") != 0) {
		set_err(x->err, x->errlen, k->cpos,
		        "%.*s is a pin question: expected [x] (percent from the left) or [y] "
		        "(percent from the top), got [%.*s]",
		        SHOW(q->id), SHOW(k->corner));
		return -1;
	}
	int stone = 0;
	if (q->type == Q_STONES) {
		if (!axis) {
			set_err(x->err, x->errlen, k->cpos,
			        "%.*s is a stones question: name a stone and an axis, like "
			        "%.*s[%.*s][x] >= 20",
			        SHOW(q->id), SHOW(q->id),
			        SHOW(q->noptions ? q->options[0].id : "stone"));
			return -1;
		}
		stone = -1;
		for (int i = 0; i < q->noptions; i++)
			if (strcmp(q->options[i].id, k->corner) == 0)
				stone = i;
		if (stone < 0) {
			set_err(x->err, x->errlen, k->cpos, "%.*s has no stone %.*s", SHOW(q->id),
			        SHOW(k->corner));
			return -1;
		}
	}
	if (!out)
		return 0;
	int ax = strcmp(axis, "y") == 0;
	double v = strtod(k->val[0], NULL);
	if (q->type == Q_PIN)
		*out = scan_place(aq->u8 + ax, 2, x->c->n, k->cmp, v);
	else
		*out = scan_place(aq->u8 + 2 * (size_t)stone + ax, 2 * (size_t)q->noptions, x->c->n,
		                  k->cmp, v);
	roaring_bitmap_and_inplace(*out, aq->answered);
	return 0;
}

/* "theme" conditions: the themes last computed for all stories of the part
 * with the default request (themes_rows; computed now when there are none
 * and the database is at hand); an error when the number is not one of
 * them. "!=" is every story in another theme (a story without words, or
 * told since, is in none). */
static int theme_rows(const struct run *x, const struct cond *k, roaring_bitmap_t **out)
{
	const struct aix_coll *c = x->c;
	int nk = 0;
	if (out)
		themes_sync(x->d, c); /* computed by another instance since */
	int *theme = themes_rows(c, &nk);
	if (!theme && !out)
		return 0; /* parsing: checked when evaluated */
	if (!theme && x->d) {
		/* computed here (the command line has no cache yet), then cached */
		struct measure_args a = {.c = (struct aix_coll *)c, .d = x->d};
		struct themes_request t = {0};
		json_t *doc = NULL;
		char err[256];
		if (measure_themes(&a, &t, &doc, err, sizeof err) == 0) {
			json_decref(doc);
			theme = themes_rows(c, &nk);
		}
	}
	if (!theme) {
		set_err(x->err, x->errlen, k->pos,
		        "no themes have been computed for all stories here yet (compute the themes "
		        "without a filter first)");
		return -1;
	}
	roaring_bitmap_t *acc = out ? bm_empty() : NULL;
	uint8_t want[THEMES_K_LIMIT + 1] = {0};
	for (int i = 0; i < k->nval; i++) {
		long v = strtol(k->val[i], NULL, 10); /* digits: checked by the parser */
		if (v < 1 || v > nk) {
			set_err(x->err, x->errlen, k->vpos[i],
			        "theme %.*s does not exist (themes here: 1 to %d)", SHOW(k->val[i]),
			        nk);
			free(theme);
			if (acc)
				roaring_bitmap_free(acc);
			return -1;
		}
		want[v] = 1;
	}
	if (acc) {
		for (uint32_t r = 0; r < c->n; r++)
			if (theme[r] && (k->op == T_NE ? !want[theme[r]] : want[theme[r]]))
				roaring_bitmap_add(acc, r);
		*out = acc;
	}
	free(theme);
	return 0;
}

/* Checks condition k against the collection and, when out is not NULL,
 * computes its rows (a new bitmap). 0, or -1 with the message in x->err. */
static int cond_run(const struct run *x, const struct cond *k, roaring_bitmap_t **out)
{
	const struct aix_coll *c = x->c;
	const struct aix_question *aq = NULL;
	if (k->qid) {
		aq = find_question(c, k->qid);
		if (!aq) {
			set_err(x->err, x->errlen, k->pos, "unknown question %.*s", SHOW(k->qid));
			return -1;
		}
	}
	switch (k->kind) {
	case C_EQ:
	case C_IN:
	case C_NE: {
		roaring_bitmap_t *acc = out ? bm_empty() : NULL;
		for (int i = 0; i < k->nval; i++) {
			roaring_bitmap_t *b = NULL;
			if (value_rows(x, aq, k->val[i], k->vpos[i], out ? &b : NULL)) {
				if (acc)
					roaring_bitmap_free(acc);
				return -1;
			}
			if (acc) {
				roaring_bitmap_or_inplace(acc, b);
				roaring_bitmap_free(b);
			}
		}
		if (!out)
			return 0;
		if (k->kind == C_NE) {
			roaring_bitmap_t *a = bm_copy(aq->answered);
			roaring_bitmap_andnot_inplace(a, acc);
			roaring_bitmap_free(acc);
			acc = a;
		} else if (aq->q->type == Q_DYAD || aq->q->type == Q_NUMBER ||
		           aq->q->type == Q_DATE) {
			roaring_bitmap_and_inplace(acc, aq->answered);
		}
		*out = acc;
		return 0;
	}
	case C_CMP: {
		const struct question *q = aq->q;
		const char *v = k->val[0];
		size_t vpos = k->vpos[0];
		if (q->type == Q_DATE) {
			int y, m, d;
			if (date_parse(v, &y, &m, &d)) {
				set_err(x->err, x->errlen, vpos,
				        "%.*s is a date question: expected a date like 2025-07-14, "
				        "got "
				        "%.*s",
				        SHOW(q->id), SHOW(v));
				return -1;
			}
			if (out) {
				int64_t t = day_number(y, m, d), lo = INT32_MIN, hi = INT32_MAX;
				switch (k->cmp) {
				case CMP_LT: hi = t - 1; break;
				case CMP_LE: hi = t; break;
				case CMP_GT: lo = t + 1; break;
				case CMP_GE: lo = t; break;
				}
				*out = scan_i32(aq->i32, c->n, lo, hi);
				roaring_bitmap_and_inplace(*out, aq->answered);
			}
			return 0;
		}
		if (q->type != Q_SCALE && q->type != Q_DYAD && q->type != Q_NUMBER) {
			set_err(x->err, x->errlen, k->pos,
			        "%.*s is a %s question: < <= > >= apply to scale, dyad, number and "
			        "date questions",
			        SHOW(q->id), q_type_name(q->type));
			return -1;
		}
		if (!number_ok(v)) {
			set_err(x->err, x->errlen, vpos,
			        "%.*s is a %s question: expected a number, got %.*s", SHOW(q->id),
			        q_type_name(q->type), SHOW(v));
			return -1;
		}
		if (!out)
			return 0;
		double num = strtod(v, NULL);
		if (q->type == Q_SCALE) {
			*out = bm_empty();
			for (int pt = 1; pt <= q->points && pt <= aq->nbm; pt++)
				if (cmp_holds(k->cmp, pt, num))
					roaring_bitmap_or_inplace(*out, aq->bm[pt - 1]);
		} else if (q->type == Q_DYAD) {
			int64_t lo, hi;
			dyad_range((int)k->cmp, num, &lo, &hi);
			*out = scan_u16(aq->u16, c->n, lo, hi);
		} else {
			*out = scan_f32(aq->f32, c->n, (int)k->cmp, (float)num);
			roaring_bitmap_and_inplace(*out, aq->answered);
		}
		return 0;
	}
	case C_CORNER: {
		const struct question *q = aq->q;
		if (q->type == Q_PIN || q->type == Q_STONES)
			return place_run(x, k, aq, out);
		if (q->type != Q_TRIAD) {
			set_err(x->err, x->errlen, k->cpos,
			        "%.*s is a %s question: [ ] applies to triad, pin and stones "
			        "questions only",
			        SHOW(q->id), q_type_name(q->type));
			return -1;
		}
		if (k->axis) {
			set_err(x->err, x->errlen, k->apos,
			        "%.*s is a triad question: one [corner], like %.*s[%.*s] > 0.6",
			        SHOW(q->id), SHOW(q->id), SHOW(k->corner));
			return -1;
		}
		if (!(strtod(k->val[0], NULL) <= 1)) {
			set_err(x->err, x->errlen, k->vpos[0],
			        "expected a corner's weight: a number from 0 to 1");
			return -1;
		}
		int corner = -1;
		for (int i = 0; i < q->noptions && i < 3; i++)
			if (strcmp(q->options[i].id, k->corner) == 0)
				corner = i;
		if (corner < 0) {
			set_err(x->err, x->errlen, k->cpos, "%.*s has no corner %.*s", SHOW(q->id),
			        SHOW(k->corner));
			return -1;
		}
		if (out) {
			double w = strtod(k->val[0], NULL);
			*out = scan_corner(aq->u16, c->n, corner, k->cmp, llround(w * 1e9));
		}
		return 0;
	}
	case C_IS:
		if (out) {
			if (k->what == IS_NA) {
				*out = bm_copy(aq->na);
			} else if (k->what == IS_ANSWERED) {
				*out = bm_copy(aq->answered);
			} else {
				*out = universe(c);
				roaring_bitmap_andnot_inplace(*out, aq->answered);
				roaring_bitmap_andnot_inplace(*out, aq->na);
			}
		}
		return 0;
	case C_CHANNEL:
		if (out) {
			roaring_bitmap_t *acc = bm_empty();
			for (int i = 0; i < k->nval; i++) {
				int ch = aix_channel_parse(k->val[i]);
				assert(ch >= 0); /* checked by the parser */
				roaring_bitmap_or_inplace(acc, c->by_channel[ch]);
			}
			if (k->op == T_NE) {
				roaring_bitmap_t *u = universe(c);
				roaring_bitmap_andnot_inplace(u, acc);
				roaring_bitmap_free(acc);
				acc = u;
			}
			*out = acc;
		}
		return 0;
	case C_PERIOD:
		if (out) {
			int64_t from = 0, to = 0;
			period_bounds(k, &from, &to);
			*out = scan_i64(c->created_at, c->n, from, to);
		}
		return 0;
	case C_CREATED:
		if (out) {
			int64_t t = day_start(k->y1, k->m1, k->d1), lo = INT64_MIN, hi = INT64_MAX;
			switch (k->cmp) {
			case CMP_LT: hi = t; break;
			case CMP_LE: hi = t + 86400; break;
			case CMP_GT: lo = t + 86400; break;
			case CMP_GE: lo = t; break;
			}
			*out = scan_i64(c->created_at, c->n, lo, hi);
		}
		return 0;
	case C_PERSPECTIVE:
		if (out) {
			if (k->what) {
				*out = bm_copy(c->professional);
			} else {
				*out = universe(c);
				roaring_bitmap_andnot_inplace(*out, c->professional);
			}
		}
		return 0;
	case C_PARTICIPANT:
		if (out)
			*out = scan_participant(c->participant, c->n, k->what);
		return 0;
	case C_TEXT: return out ? text_rows(x, k, out) : 0;
	case C_MATCH: return out ? match_rows(x, k, out) : 0;
	case C_PILOT:
		if (out)
			*out = bm_copy(c->pilot);
		return 0;
	case C_COLLECTION:
	case C_TRAJECTORY: return scope_rows(x, k, out);
	case C_THEME: return theme_rows(x, k, out);
	}
	return 0;
}

/* ---- the parser ------------------------------------------------------------ */

static struct node *parse_expr(struct parser *p);

static struct node *cond_node(struct parser *p, struct cond *k)
{
	if (p->failed) {
		cond_free(k);
		return NULL;
	}
	if (p->c) {
		char msg[512];
		struct run x = {.c = p->c, .err = msg, .errlen = sizeof msg};
		if (cond_run(&x, k, NULL)) {
			/* msg already has its position */
			p->failed = 1;
			if (p->err && p->errlen)
				snprintf(p->err, p->errlen, "%s", msg);
			cond_free(k);
			return NULL;
		}
	}
	struct node *n = node_new(N_COND);
	n->cond = k;
	return n;
}

/* Values: "=" VALUE, "!=" VALUE, or "in" "(" VALUE ("," VALUE)* ")". The
 * operator is the current token. */
static void parse_values(struct parser *p, struct cond *k, const char *what)
{
	if (p->t == T_EQ || p->t == T_NE) {
		k->kind = p->t == T_EQ ? C_EQ : C_NE;
		k->op = p->t;
		next(p);
		char *v;
		size_t pos;
		if (take_id(p, what, &v, &pos) == 0) {
			cond_add_value(k, v, pos);
			free(v);
		}
		return;
	}
	k->kind = C_IN;
	k->op = T_ID;
	next(p);
	if (p->failed)
		return;
	if (p->t != T_LP) {
		fail(p, p->tpos, "expected ( after in");
		return;
	}
	next(p);
	for (;;) {
		char *v;
		size_t pos;
		if (take_id(p, what, &v, &pos))
			return;
		cond_add_value(k, v, pos);
		free(v);
		if (p->t == T_COMMA) {
			next(p);
			continue;
		}
		if (p->t != T_RP) {
			fail(p, p->tpos, "expected , or ) in the list after in");
			return;
		}
		next(p);
		return;
	}
}

static struct node *parse_cond(struct parser *p)
{
	if (p->failed)
		return NULL;
	if ((p->t != T_ID && p->t != T_STR) || at_word(p, "and") || at_word(p, "or")) {
		fail(p, p->tpos, "expected a condition, \"not\" or (%s",
		     p->t == T_END ? " at the end" : "");
		return NULL;
	}
	if (++p->nconds > FILTER_MAX_CONDS) {
		fail(p, p->tpos, "more than %d conditions", FILTER_MAX_CONDS);
		return NULL;
	}
	struct cond *k = xcalloc(1, sizeof *k);
	k->pos = p->tpos;
	if (at_word(p, "channel")) {
		k->kind = C_CHANNEL;
		next(p);
		if (p->t != T_EQ && p->t != T_NE && !at_word(p, "in")) {
			fail(p, p->tpos, "expected =, != or in after channel");
			return cond_node(p, k);
		}
		parse_values(p, k, "a channel");
		enum tok op = k->op;
		for (int i = 0; i < k->nval && !p->failed; i++)
			if (aix_channel_parse(k->val[i]) < 0)
				fail(p, k->vpos[i],
				     "unknown channel %.*s (web, kiosk, face-to-face, phone, "
				     "paper, "
				     "import)",
				     SHOW(k->val[i]));
		k->kind = C_CHANNEL;
		k->op = op;
		return cond_node(p, k);
	}
	if (at_word(p, "collection") || at_word(p, "trajectory")) {
		enum cond_kind kind = at_word(p, "collection") ? C_COLLECTION : C_TRAJECTORY;
		const char *word = kind == C_COLLECTION ? "collection" : "trajectory";
		next(p);
		if (p->t != T_EQ && p->t != T_NE && !at_word(p, "in")) {
			fail(p, p->tpos, "expected =, != or in after %s", word);
			return cond_node(p, k);
		}
		parse_values(p, k, kind == C_COLLECTION ? "a collection id" : "a trajectory id");
		for (int i = 0; i < k->nval && !p->failed; i++) {
			const char *v = k->val[i];
			size_t len = strlen(v), d = 0;
			while (d < len && v[d] >= '0' && v[d] <= '9')
				d++;
			if (len == 0 || d != len || len > 18 || v[0] == '0')
				fail(p, k->vpos[i], "expected a %s id (a whole number), got %.*s",
				     word, SHOW(v));
		}
		k->kind = kind;
		return cond_node(p, k);
	}
	if (at_word(p, "theme")) {
		next(p);
		if (p->t != T_EQ && p->t != T_NE && !at_word(p, "in")) {
			fail(p, p->tpos, "expected =, != or in after theme");
			return cond_node(p, k);
		}
		parse_values(p, k, "a theme number");
		for (int i = 0; i < k->nval && !p->failed; i++) {
			const char *v = k->val[i];
			size_t len = strlen(v), d = 0;
			while (d < len && v[d] >= '0' && v[d] <= '9')
				d++;
			if (len == 0 || d != len || len > 2 || v[0] == '0')
				fail(p, k->vpos[i], "expected a theme number (1 to %d), got %.*s",
				     THEMES_K_LIMIT, SHOW(v));
		}
		k->kind = C_THEME;
		return cond_node(p, k);
	}
	if (at_word(p, "period")) {
		k->kind = C_PERIOD;
		next(p);
		if (p->t != T_EQ) {
			fail(p, p->tpos, "expected = after period");
			return cond_node(p, k);
		}
		next(p);
		/* "2025-01-01..2025-03-31" is one id token; with spaces around ".."
		 * it is two or three, joined here. */
		char s[64];
		size_t pos = p->tpos;
		s[0] = 0;
		for (int parts = 0; parts < 3 && !p->failed && p->t == T_ID; parts++) {
			size_t have = strlen(s);
			if (have && !(have >= 2 && strcmp(s + have - 2, "..") == 0) &&
			    strncmp(p->tv, "..", 2) != 0)
				break;
			if (have + strlen(p->tv) >= sizeof s)
				break;
			memcpy(s + have, p->tv, strlen(p->tv) + 1);
			next(p);
		}
		if (p->failed)
			return cond_node(p, k);
		if (!s[0] || period_parse(s, k)) {
			fail(p, pos,
			     "expected a period like 2025, 2025-Q3, 2025-07, 2025-07-14 or "
			     "2025-01-01..2025-03-31");
			return cond_node(p, k);
		}
		if (k->form == P_RANGE &&
		    day_start(k->y2, k->m2, k->d2) < day_start(k->y1, k->m1, k->d1))
			fail(p, pos, "the period ends before it starts");
		return cond_node(p, k);
	}
	if (at_word(p, "created")) {
		k->kind = C_CREATED;
		next(p);
		if (p->failed || take_cmp(p, &k->cmp)) {
			fail(p, p->tpos,
			     "expected < <= > or >= after created (for one day: period = DATE)");
			return cond_node(p, k);
		}
		if (p->t != T_ID || date_parse(p->tv, &k->y1, &k->m1, &k->d1))
			fail(p, p->tpos, "expected a date like 2025-07-14");
		next(p);
		return cond_node(p, k);
	}
	if (at_word(p, "perspective")) {
		k->kind = C_PERSPECTIVE;
		next(p);
		if (p->t != T_EQ) {
			fail(p, p->tpos, "expected = after perspective");
			return cond_node(p, k);
		}
		next(p);
		if (at_word(p, "professional") || at_word(p, "teller"))
			k->what = at_word(p, "professional");
		else
			fail(p, p->tpos, "expected professional or teller");
		next(p);
		return cond_node(p, k);
	}
	if (at_word(p, "participant")) {
		k->kind = C_PARTICIPANT;
		next(p);
		if (!at_word(p, "is")) {
			fail(p, p->tpos, "expected is after participant");
			return cond_node(p, k);
		}
		next(p);
		if (at_word(p, "known") || at_word(p, "unknown"))
			k->what = at_word(p, "known");
		else
			fail(p, p->tpos, "expected known or unknown");
		next(p);
		return cond_node(p, k);
	}
	if (at_word(p, "text")) {
		k->kind = C_TEXT;
		next(p);
		if (at_word(p, "matches")) { /* full-text search */
			k->kind = C_MATCH;
			next(p);
			size_t pos = p->tpos;
			buf m;
			buf_init(&m);
			char err[160];
			if (take_id(p, "a search text in double quotes", &k->text, NULL) == 0 &&
			    search_query_build(k->text, &m, err, sizeof err))
				fail(p, pos, "%s", err);
			buf_free(&m);
			return cond_node(p, k);
		}
		if (!at_word(p, "contains")) {
			fail(p, p->tpos, "expected contains after text");
			return cond_node(p, k);
		}
		next(p);
		size_t pos = p->tpos;
		if (take_id(p, "a text in double quotes", &k->text, NULL) == 0 && !k->text[0])
			fail(p, pos, "the text to look for is empty");
		return cond_node(p, k);
	}
	if (at_word(p, "pilot")) {
		k->kind = C_PILOT;
		p->pilot = 1;
		next(p);
		return cond_node(p, k);
	}

	/* A question. */
	take_id(p, "a question id", &k->qid, NULL);
	if (p->failed)
		return cond_node(p, k);
	if (p->t == T_LB) {
		k->kind = C_CORNER;
		next(p);
		if (take_id(p, "a corner id", &k->corner, &k->cpos))
			return cond_node(p, k);
		if (p->t != T_RB) {
			fail(p, p->tpos, "expected ] after the corner");
			return cond_node(p, k);
		}
		next(p);
		if (p->t == T_LB) { /* a stone's axis: QID [STONE] [x|y] */
			next(p);
			if (take_id(p, "an axis: x or y", &k->axis, &k->apos))
				return cond_node(p, k);
			if (strcmp(k->axis, "x") != 0 && strcmp(k->axis, "y") != 0) {
				fail(p, k->apos, "expected x or y in %.*s[%.*s][ ], got %.*s",
				     SHOW(k->qid), SHOW(k->corner), SHOW(k->axis));
				return cond_node(p, k);
			}
			if (p->t != T_RB) {
				fail(p, p->tpos, "expected ] after the axis");
				return cond_node(p, k);
			}
			next(p);
		}
		if (p->failed || take_cmp(p, &k->cmp)) {
			fail(p, p->tpos, "expected < <= > or >= after %.*s[%.*s]%s%.*s%s",
			     SHOW(k->qid), SHOW(k->corner), k->axis ? "[" : "",
			     SHOW(k->axis ? k->axis : ""), k->axis ? "]" : "");
			return cond_node(p, k);
		}
		/* a place (a pin's [x] or [y], a stone's [S][x]) is in percent, a
		 * corner's weight 0..1; which one a single [x] is, the question's
		 * type says (checked in cond_run) */
		const struct aix_question *pq = p->c ? find_question(p->c, k->qid) : NULL;
		int place = k->axis || strcmp(k->corner, "x") == 0 || strcmp(k->corner, "y") == 0 ||
		            (pq && (pq->q->type == Q_PIN || pq->q->type == Q_STONES));
		double top = place ? 100 : 1;
		if (p->t != T_ID || !number_ok(p->tv) || !(strtod(p->tv, NULL) >= 0) ||
		    !(strtod(p->tv, NULL) <= top)) {
			fail(p, p->tpos,
			     place ? "expected a place in percent: a number from 0 to 100"
			           : "expected a corner's weight: a number from 0 to 1");
			return cond_node(p, k);
		}
		number_canon(p->tv);
		cond_add_value(k, p->tv, p->tpos);
		next(p);
		return cond_node(p, k);
	}
	if (p->t == T_EQ || p->t == T_NE || at_word(p, "in")) {
		parse_values(p, k, "a value");
		return cond_node(p, k);
	}
	if (at_word(p, "is")) {
		k->kind = C_IS;
		next(p);
		int w = -1;
		for (int i = 0; i < 3; i++)
			if (at_word(p, is_text[i]))
				w = i;
		if (w < 0)
			fail(p, p->tpos, "expected na, missing or answered after is");
		k->what = w;
		next(p);
		return cond_node(p, k);
	}
	if (take_cmp(p, &k->cmp) == 0) {
		k->kind = C_CMP;
		if (p->t != T_ID ||
		    (!number_ok(p->tv) && date_parse(p->tv, &k->y1, &k->m1, &k->d1))) {
			fail(p, p->tpos, "expected a number (or a date) after %s",
			     cmp_text[k->cmp]);
			return cond_node(p, k);
		}
		if (number_ok(p->tv))
			number_canon(p->tv);
		cond_add_value(k, p->tv, p->tpos);
		next(p);
		return cond_node(p, k);
	}
	fail(p, p->tpos, "expected = != in < <= > >= [ or is after %.*s", SHOW(k->qid));
	return cond_node(p, k);
}

static struct node *parse_factor(struct parser *p)
{
	if (p->failed)
		return NULL;
	if (at_word(p, "not") || p->t == T_LP) {
		if (++p->depth > FILTER_MAX_DEPTH) {
			fail(p, p->tpos, "more than %d levels of ( and \"not\"", FILTER_MAX_DEPTH);
			return NULL;
		}
		struct node *n;
		if (p->t == T_LP) {
			size_t open = p->tpos;
			next(p);
			n = parse_expr(p);
			if (!p->failed && p->t != T_RP)
				fail(p, p->tpos, "expected ) to close the ( at %zu", open + 1);
			next(p);
		} else {
			next(p);
			struct node *kid = parse_factor(p);
			n = NULL;
			if (kid) {
				n = node_new(N_NOT);
				node_add(n, kid);
			}
		}
		p->depth--;
		if (p->failed) {
			node_free(n);
			return NULL;
		}
		return n;
	}
	return parse_cond(p);
}

/* term ("and" term)* or factor ("or" factor)*, by kind. */
static struct node *parse_list(struct parser *p, enum node_kind kind)
{
	const char *word = kind == N_OR ? "or" : "and";
	struct node *first = kind == N_OR ? parse_list(p, N_AND) : parse_factor(p);
	if (!first || !at_word(p, word))
		return first;
	struct node *n = node_new(kind);
	node_add(n, first);
	while (!p->failed && at_word(p, word)) {
		next(p);
		struct node *kid = kind == N_OR ? parse_list(p, N_AND) : parse_factor(p);
		if (!kid)
			break;
		node_add(n, kid);
	}
	if (p->failed) {
		node_free(n);
		return NULL;
	}
	return n;
}

static struct node *parse_expr(struct parser *p)
{
	return parse_list(p, N_OR);
}

struct filter *filter_parse(const char *text, const struct aix_coll *c, char *err, size_t errlen)
{
	assert(text);
	if (err && errlen)
		err[0] = 0;
	size_t len = strlen(text);
	if (len > FILTER_MAX_TEXT) {
		set_err(err, errlen, FILTER_MAX_TEXT, "the filter is longer than %d bytes",
		        FILTER_MAX_TEXT);
		return NULL;
	}
	struct parser *p = xcalloc(1, sizeof *p);
	p->s = text, p->len = len, p->c = c, p->err = err, p->errlen = errlen;
	next(p);
	struct node *root = NULL;
	if (!p->failed && p->t != T_END) {
		root = parse_expr(p);
		if (!p->failed && p->t != T_END) {
			if (p->t == T_ID && (strcmp(p->tv, "AND") == 0 ||
			                     strcmp(p->tv, "OR") == 0 || strcmp(p->tv, "NOT") == 0))
				fail(p, p->tpos,
				     "expected and, or, or the end (keywords are lower case)");
			else if (p->t == T_RP)
				fail(p, p->tpos, "this ) closes no (");
			else
				fail(p, p->tpos, "expected and, or, or the end of the filter");
		}
	}
	if (p->failed) {
		node_free(root);
		free(p);
		return NULL;
	}
	struct filter *f = xcalloc(1, sizeof *f);
	f->root = root;
	f->pilot = p->pilot;
	free(p);
	return f;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	node_free(f->root);
	free(f);
}

int filter_includes_pilot(const struct filter *f)
{
	assert(f);
	return f->pilot;
}

/* ---- printing ------------------------------------------------------------- */

/* Words that start a condition or join them: a question with such an id is
 * printed in quotes, so it is not read as the keyword. */
static int reserved(const char *s)
{
	static const char *const words[] = {"and",         "or",          "not",    "in",
	                                    "is",          "channel",     "period", "created",
	                                    "perspective", "participant", "text",   "pilot",
	                                    "collection",  "trajectory",  "theme"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(s, words[i]) == 0)
			return 1;
	return 0;
}

void filter_quote(buf *out, const char *s)
{
	assert(out && s);
	buf_putc(out, '"');
	for (const char *q = s; *q; q++) {
		if (*q == '"' || *q == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *q);
	}
	buf_putc(out, '"');
}

static void print_id(buf *out, const char *s, int question)
{
	int bare = s[0] != 0 && !(question && reserved(s));
	for (const char *q = s; *q && bare; q++)
		bare = id_char((unsigned char)*q);
	if (bare)
		buf_puts(out, s);
	else
		filter_quote(out, s);
}

static void print_values(buf *out, const struct cond *k)
{
	if (k->op == T_ID) {
		buf_puts(out, " in (");
		for (int i = 0; i < k->nval; i++) {
			if (i)
				buf_puts(out, ", ");
			print_id(out, k->val[i], 0);
		}
		buf_putc(out, ')');
		return;
	}
	buf_puts(out, k->op == T_EQ ? " = " : " != ");
	print_id(out, k->val[0], 0);
}

static void print_day(buf *out, int y, int m, int d)
{
	buf_printf(out, "%04d-%02d-%02d", y, m, d);
}

static void print_cond(buf *out, const struct cond *k)
{
	switch (k->kind) {
	case C_EQ:
	case C_NE:
	case C_IN:
		print_id(out, k->qid, 1);
		print_values(out, k);
		break;
	case C_CMP:
		print_id(out, k->qid, 1);
		buf_printf(out, " %s %s", cmp_text[k->cmp], k->val[0]);
		break;
	case C_CORNER:
		print_id(out, k->qid, 1);
		buf_putc(out, '[');
		print_id(out, k->corner, 0);
		if (k->axis)
			buf_printf(out, "][%s", k->axis);
		buf_printf(out, "] %s %s", cmp_text[k->cmp], k->val[0]);
		break;
	case C_IS:
		print_id(out, k->qid, 1);
		buf_printf(out, " is %s", is_text[k->what]);
		break;
	case C_CHANNEL:
		buf_puts(out, "channel");
		print_values(out, k);
		break;
	case C_PERIOD:
		buf_puts(out, "period = ");
		switch (k->form) {
		case P_YEAR: buf_printf(out, "%04d", k->y1); break;
		case P_QUARTER: buf_printf(out, "%04d-Q%d", k->y1, k->m1); break;
		case P_MONTH: buf_printf(out, "%04d-%02d", k->y1, k->m1); break;
		case P_DAY: print_day(out, k->y1, k->m1, k->d1); break;
		case P_RANGE:
			print_day(out, k->y1, k->m1, k->d1);
			buf_puts(out, "..");
			print_day(out, k->y2, k->m2, k->d2);
			break;
		}
		break;
	case C_CREATED:
		buf_printf(out, "created %s ", cmp_text[k->cmp]);
		print_day(out, k->y1, k->m1, k->d1);
		break;
	case C_PERSPECTIVE:
		buf_puts(out, k->what ? "perspective = professional" : "perspective = teller");
		break;
	case C_PARTICIPANT:
		buf_puts(out, k->what ? "participant is known" : "participant is unknown");
		break;
	case C_TEXT:
		buf_puts(out, "text contains ");
		print_id(out, k->text, 0);
		break;
	case C_MATCH:
		buf_puts(out, "text matches ");
		print_id(out, k->text, 0);
		break;
	case C_PILOT: buf_puts(out, "pilot"); break;
	case C_COLLECTION:
	case C_TRAJECTORY:
		buf_puts(out, k->kind == C_COLLECTION ? "collection" : "trajectory");
		print_values(out, k);
		break;
	case C_THEME:
		buf_puts(out, "theme");
		print_values(out, k);
		break;
	}
}

/* Parentheses only where precedence needs them: "or" inside "and" or
 * "not", "and" inside "not". */
static void print_node(buf *out, const struct node *n, enum node_kind parent)
{
	int paren = (n->kind == N_OR && (parent == N_AND || parent == N_NOT)) ||
	            (n->kind == N_AND && parent == N_NOT);
	if (paren)
		buf_putc(out, '(');
	switch (n->kind) {
	case N_OR:
	case N_AND:
		for (int i = 0; i < n->nkids; i++) {
			if (i)
				buf_puts(out, n->kind == N_OR ? " or " : " and ");
			print_node(out, n->kids[i], n->kind);
		}
		break;
	case N_NOT:
		buf_puts(out, "not ");
		print_node(out, n->kids[0], N_NOT);
		break;
	case N_COND: print_cond(out, n->cond); break;
	}
	if (paren)
		buf_putc(out, ')');
}

void filter_print(const struct filter *f, buf *out)
{
	assert(f && out);
	buf_append(out, "", 0); /* out->data is a string even for the empty filter */
	if (f->root)
		print_node(out, f->root, N_OR);
}

/* ---- evaluation ------------------------------------------------------------ */

static roaring_bitmap_t *node_eval(const struct run *x, const struct node *n)
{
	switch (n->kind) {
	case N_COND: {
		roaring_bitmap_t *b = NULL;
		return cond_run(x, n->cond, &b) ? NULL : b;
	}
	case N_NOT: {
		roaring_bitmap_t *b = node_eval(x, n->kids[0]);
		if (b)
			roaring_bitmap_flip_inplace(b, 0, x->c->n);
		return b;
	}
	case N_AND:
	case N_OR: {
		roaring_bitmap_t *acc = node_eval(x, n->kids[0]);
		for (int i = 1; i < n->nkids && acc; i++) {
			roaring_bitmap_t *b = node_eval(x, n->kids[i]);
			if (!b) {
				roaring_bitmap_free(acc);
				return NULL;
			}
			if (n->kind == N_AND)
				roaring_bitmap_and_inplace(acc, b);
			else
				roaring_bitmap_or_inplace(acc, b);
			roaring_bitmap_free(b);
		}
		return acc;
	}
	}
	return NULL;
}

roaring_bitmap_t *filter_eval(const struct filter *f, const struct aix_coll *c, db *d, char *err,
                              size_t errlen)
{
	assert(f && c);
	if (err && errlen)
		err[0] = 0;
	struct run x = {.c = c, .d = d, .err = err, .errlen = errlen};
	roaring_bitmap_t *b = f->root ? node_eval(&x, f->root) : universe(c);
	if (b && !f->pilot)
		roaring_bitmap_andnot_inplace(b, c->pilot);
	return b;
}
