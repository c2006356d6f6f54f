/* index.c: the in-memory story index: building a collection's part from the database, and keeping it up to date. */
#include "analysis/index.h"

#include "core/clock.h"
#include "core/log.h"
#include "model/script_cache.h"

#include <assert.h>
#include <gsl/gsl_errno.h>
#include <errno.h>
/* jsmn is a single header (Debian libjsmn-dev): its functions stay in this file */
#define JSMN_STATIC
#define JSMN_STRICT
#include <jsmn.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const channel_names[AIX_CHANNELS] = {"web",   "kiosk", "face-to-face",
                                                        "phone", "paper", "import"};

const char *aix_channel_name(int c)
{
	return c >= 0 && c < AIX_CHANNELS ? channel_names[c] : "";
}

int aix_channel_parse(const char *name)
{
	for (int i = 0; i < AIX_CHANNELS; i++)
		if (strcmp(name, channel_names[i]) == 0)
			return i;
	return -1;
}

struct aix {
	char *url;
	pthread_mutex_t mu; /* parts, nparts, stop */
	struct aix_coll **parts;
	size_t nparts, capparts;
	struct aix_coll **tparts; /* trajectories' parts (aix_acquire_trajectory) */
	size_t ntparts, captparts;
	pthread_t poller;
	int running, stop;
	pthread_cond_t wake;
	int poked;
	int64_t watermark; /* highest story id the poller has dispatched */
	int build_threads; /* 1 or 2 (aix_set_build_threads) */
};

static aix *global_index;

void aix_set_global(aix *x)
{
	__atomic_store_n(&global_index, x, __ATOMIC_RELEASE);
}

aix *aix_global(void)
{
	return __atomic_load_n(&global_index, __ATOMIC_ACQUIRE);
}

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		abort();
	return q;
}

static roaring_bitmap_t *bm_new(void)
{
	roaring_bitmap_t *b = roaring_bitmap_create();
	if (!b)
		abort();
	return b;
}

/* A new version for a part whose rows changed (struct aix_coll, version). */
static uint64_t next_version(void)
{
	static uint64_t last;
	return __atomic_add_fetch(&last, 1, __ATOMIC_RELAXED);
}

/* ---- a part's columns ---------------------------------------------------- */

/* How many bitmaps a question type has beyond answered/na. */
static int question_nbm(const struct question *q)
{
	switch (q->type) {
	case Q_STORY: return q->noptions;
	case Q_CHOICE:
	case Q_MULTI: return q->noptions + 1; /* the last one: "other, namely" */
	case Q_SCALE: return q->points;
	default: return 0;
	}
}

/* Columns for the questions qs (empty), and the part's own bitmaps. */
static void coll_init_columns_of(struct aix_coll *c, struct question *const *qs, int nq)
{
	c->nq = nq;
	c->q = calloc(nq ? (size_t)nq : 1, sizeof *c->q);
	if (!c->q)
		abort();
	for (int i = 0; i < c->nq; i++) {
		struct aix_question *aq = &c->q[i];
		aq->q = qs[i];
		aq->idlen = strlen(aq->q->id);
		aq->nbm = question_nbm(aq->q);
		aq->bm = calloc((size_t)aq->nbm + 1, sizeof *aq->bm);
		if (!aq->bm)
			abort();
		for (int k = 0; k < aq->nbm; k++)
			aq->bm[k] = bm_new();
		aq->answered = bm_new();
		aq->na = bm_new();
	}
	c->pilot = bm_new();
	c->professional = bm_new();
	for (int k = 0; k < AIX_CHANNELS; k++)
		c->by_channel[k] = bm_new();
}

static void coll_init_columns(struct aix_coll *c)
{
	coll_init_columns_of(c, c->script->questions, c->script->nquestions);
}

/* Bytes of one row in a question's columns. */
static size_t question_row_bytes(const struct aix_question *aq)
{
	switch (aq->q->type) {
	case Q_STORY:
	case Q_CHOICE:
	case Q_SCALE: return 1;
	case Q_DYAD: return 2;
	case Q_TRIAD: return 6;
	case Q_STONES: return 2 * (size_t)aq->q->noptions;
	case Q_PIN: return 2;
	case Q_DATE:
	case Q_NUMBER: return 4;
	default: return 0;
	}
}

static void coll_grow(struct aix_coll *c, uint32_t need)
{
	if (need <= c->cap)
		return;
	uint32_t cap = c->cap ? c->cap : 1024;
	while (cap < need)
		cap = cap > UINT32_MAX / 2 ? UINT32_MAX : cap * 2;
	c->story_id = xrealloc(c->story_id, cap * sizeof *c->story_id);
	c->created_at = xrealloc(c->created_at, cap * sizeof *c->created_at);
	c->participant = xrealloc(c->participant, cap * sizeof *c->participant);
	c->channel = xrealloc(c->channel, cap * sizeof *c->channel);
	for (int i = 0; i < c->nq; i++) {
		struct aix_question *aq = &c->q[i];
		size_t rb = question_row_bytes(aq);
		if (!rb)
			continue;
		switch (aq->q->type) {
		case Q_DYAD:
		case Q_TRIAD: aq->u16 = xrealloc(aq->u16, cap * rb); break;
		case Q_DATE: aq->i32 = xrealloc(aq->i32, cap * rb); break;
		case Q_NUMBER: aq->f32 = xrealloc(aq->f32, cap * rb); break;
		default: aq->u8 = xrealloc(aq->u8, cap * rb);
		}
	}
	c->cap = cap;
}

static void coll_free_contents(struct aix_coll *c)
{
	for (int i = 0; i < c->nq; i++) {
		struct aix_question *aq = &c->q[i];
		for (int k = 0; k < aq->nbm; k++)
			roaring_bitmap_free(aq->bm[k]);
		free(aq->bm);
		roaring_bitmap_free(aq->answered);
		roaring_bitmap_free(aq->na);
		free(aq->u8);
		free(aq->u16);
		free(aq->i32);
		free(aq->f32);
	}
	free(c->q);
	free(c->story_id);
	free(c->created_at);
	free(c->participant);
	free(c->channel);
	if (c->pilot)
		roaring_bitmap_free(c->pilot);
	if (c->professional)
		roaring_bitmap_free(c->professional);
	for (int k = 0; k < AIX_CHANNELS; k++)
		if (c->by_channel[k])
			roaring_bitmap_free(c->by_channel[k]);
	c->q = NULL;
	c->nq = 0;
	c->story_id = NULL;
	c->created_at = NULL;
	c->participant = NULL;
	c->channel = NULL;
	c->pilot = c->professional = NULL;
	memset(c->by_channel, 0, sizeof c->by_channel);
	for (int k = 0; k < c->ncolls; k++)
		roaring_bitmap_free(c->by_coll[k]);
	free(c->by_coll);
	free(c->coll_id);
	free(c->built_from);
	c->by_coll = NULL;
	c->coll_id = c->built_from = NULL;
	c->ncolls = 0;
	c->n = c->cap = 0;
}

static uint8_t clamp_u8_100(double v)
{
	if (!(v >= 0))
		return 0;
	if (v > 100)
		return 100;
	return (uint8_t)lround(v);
}

/* Days since 1970-01-01 of "YYYY-MM-DD"; INT32_MIN when malformed. */
static int32_t days_of(const char *s)
{
	int y, m, d;
	if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1)
		return INT32_MIN;
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return INT32_MIN;
	/* days_from_civil (H. Hinnant) */
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

/* Marks row as missing in every column of aq (the default). */
static void set_missing(struct aix_question *aq, uint32_t row)
{
	switch (aq->q->type) {
	case Q_STORY:
	case Q_CHOICE:
	case Q_SCALE: aq->u8[row] = AIX_MISSING8; break;
	case Q_DYAD: aq->u16[row] = AIX_MISSING16; break;
	case Q_TRIAD:
		aq->u16[3 * (size_t)row] = AIX_MISSING16;
		aq->u16[3 * (size_t)row + 1] = aq->u16[3 * (size_t)row + 2] = 0;
		break;
	case Q_STONES:
		memset(aq->u8 + 2 * (size_t)row * aq->q->noptions, 255,
		       2 * (size_t)aq->q->noptions);
		break;
	case Q_PIN: aq->u8[2 * (size_t)row] = aq->u8[2 * (size_t)row + 1] = 255; break;
	case Q_DATE: aq->i32[row] = INT32_MIN; break;
	case Q_NUMBER: aq->f32[row] = NAN; break;
	default: break;
	}
}

static void set_na(struct aix_question *aq, uint32_t row)
{
	set_missing(aq, row);
	switch (aq->q->type) {
	case Q_STORY:
	case Q_CHOICE:
	case Q_SCALE: aq->u8[row] = AIX_NA8; break;
	case Q_DYAD: aq->u16[row] = AIX_NA16; break;
	case Q_TRIAD: aq->u16[3 * (size_t)row] = AIX_NA16; break;
	default: break;
	}
	roaring_bitmap_add(aq->na, row);
}

/* Answers are read with jsmn, a tokenizer that allocates nothing: with
 * jansson (a tree of allocated values per story) building the index of a
 * million stories took 14 s of CPU, most of it in malloc. The answers are
 * our own canonical JSON (checked when stored), so ids never hold escapes
 * and a raw comparison of a string token is exact. */
struct jdoc {
	const char *js;
	jsmntok_t *t;
	int n;
	int heap; /* t was allocated by jdoc_parse (free it) */
};

/* The index of the token after token i and everything inside it. */
static int tok_next(const struct jdoc *d, int i)
{
	int end = d->t[i].end, j = i + 1;
	while (j < d->n && d->t[j].start < end)
		j++;
	return j;
}

static int tok_is_string(const struct jdoc *d, int i)
{
	return i >= 0 && d->t[i].type == JSMN_STRING;
}

static int tok_eq(const struct jdoc *d, int i, const char *s)
{
	size_t n = (size_t)(d->t[i].end - d->t[i].start);
	return tok_is_string(d, i) && strlen(s) == n && memcmp(d->js + d->t[i].start, s, n) == 0;
}

/* 1 and the number in *v when token i is a JSON number. */
static int tok_num(const struct jdoc *d, int i, double *v)
{
	if (i < 0 || d->t[i].type != JSMN_PRIMITIVE)
		return 0;
	const char *p = d->js + d->t[i].start;
	size_t n = (size_t)(d->t[i].end - d->t[i].start);
	char b[64];
	if (n == 0 || n >= sizeof b || !(*p == '-' || (*p >= '0' && *p <= '9')))
		return 0;
	/* the usual answer is a small whole number (scales, dyads) */
	if (n <= 9) {
		long w = 0;
		size_t k = 0;
		while (k < n && p[k] >= '0' && p[k] <= '9')
			w = w * 10 + (p[k++] - '0');
		if (k == n) {
			*v = (double)w;
			return 1;
		}
	}
	memcpy(b, p, n);
	b[n] = 0;
	char *end;
	*v = strtod(b, &end);
	return *end == 0;
}

static int tok_is_null(const struct jdoc *d, int i)
{
	return d->t[i].type == JSMN_PRIMITIVE && d->js[d->t[i].start] == 'n';
}

/* The value token of key in the object at token obj, or -1. */
static int tok_get(const struct jdoc *d, int obj, const char *key)
{
	if (obj < 0 || d->t[obj].type != JSMN_OBJECT)
		return -1;
	int i = obj + 1;
	for (int k = 0; k < d->t[obj].size && i < d->n; k++) {
		if (tok_eq(d, i, key))
			return i + 1;
		i = tok_next(d, i + 1);
	}
	return -1;
}

/* The element tokens of the array at token arr: fills idx (up to max);
 * returns the array's size, or -1 when it is no array. */
static int tok_elems(const struct jdoc *d, int arr, int *idx, int max)
{
	if (arr < 0 || d->t[arr].type != JSMN_ARRAY)
		return -1;
	int i = arr + 1;
	for (int k = 0; k < d->t[arr].size && i < d->n; k++) {
		if (k < max)
			idx[k] = i;
		i = tok_next(d, i);
	}
	return d->t[arr].size;
}

static int option_index_tok(const struct question *q, const struct jdoc *d, int i)
{
	for (int k = 0; k < q->noptions; k++)
		if (tok_eq(d, i, q->options[k].id))
			return k;
	return -1;
}

/* Stores one answer (token v, not null) of row; 1 when it was understood,
 * 0 when it is left as missing (an answer the checks let in but the index
 * cannot place never happens for checked stories; imports of older data
 * may have one). */
static int set_answer(struct aix_question *aq, uint32_t row, const struct jdoc *d, int v)
{
	const struct question *q = aq->q;
	jsmntype_t type = d->t[v].type;
	switch (q->type) {
	case Q_STORY: {
		int p = tok_get(d, v, "prompt");
		int k = p >= 0 ? option_index_tok(q, d, p) : -1;
		if (k < 0 && q->noptions == 1)
			k = 0;
		if (k < 0)
			return 0;
		aq->u8[row] = (uint8_t)(k + 1);
		roaring_bitmap_add(aq->bm[k], row);
		return 1;
	}
	case Q_TEXT: return type == JSMN_STRING;
	case Q_CHOICE: {
		int k = type == JSMN_STRING   ? option_index_tok(q, d, v)
		        : type == JSMN_OBJECT ? q->noptions
		                              : -1;
		if (k < 0 || k > 253)
			return 0;
		aq->u8[row] = (uint8_t)(k + 1);
		roaring_bitmap_add(aq->bm[k], row);
		return 1;
	}
	case Q_MULTI: {
		if (type != JSMN_ARRAY)
			return 0;
		for (int i = v + 1, e = 0; e < d->t[v].size && i < d->n; e++, i = tok_next(d, i)) {
			int k = d->t[i].type == JSMN_STRING   ? option_index_tok(q, d, i)
			        : d->t[i].type == JSMN_OBJECT ? q->noptions
			                                      : -1;
			if (k >= 0)
				roaring_bitmap_add(aq->bm[k], row);
		}
		return 1;
	}
	case Q_SCALE: {
		double p;
		if (!tok_num(d, v, &p) || p != floor(p) || p < 1 || p > q->points)
			return 0;
		aq->u8[row] = (uint8_t)p;
		roaring_bitmap_add(aq->bm[(int)p - 1], row);
		return 1;
	}
	case Q_DYAD: {
		double x;
		if (!tok_num(d, v, &x) || !(x >= 0 && x <= 100))
			return 0;
		aq->u16[row] = (uint16_t)lround(x * AIX_DYAD_SCALE);
		return 1;
	}
	case Q_TRIAD: {
		int e[3];
		if (tok_elems(d, v, e, 3) != 3)
			return 0;
		double w[3], s = 0;
		for (int k = 0; k < 3; k++) {
			if (!tok_num(d, e[k], &w[k]) || !(w[k] >= 0))
				return 0;
			s += w[k];
		}
		if (!(s > 0))
			return 0;
		/* largest remainder, so the three stored weights sum to exactly
		 * AIX_TRIAD_SCALE and a zero stays a zero */
		uint16_t *o = aq->u16 + 3 * (size_t)row;
		long tot = 0;
		double rem[3];
		for (int k = 0; k < 3; k++) {
			double x = w[k] / s * AIX_TRIAD_SCALE;
			o[k] = (uint16_t)floor(x);
			rem[k] = x - o[k];
			tot += o[k];
		}
		while (tot < AIX_TRIAD_SCALE) {
			int best = 0;
			for (int k = 1; k < 3; k++)
				if (rem[k] > rem[best])
					best = k;
			o[best]++;
			rem[best] = -1;
			tot++;
		}
		return 1;
	}
	case Q_STONES: {
		if (type != JSMN_OBJECT)
			return 0;
		for (int k = 0; k < q->noptions; k++) {
			int e[2];
			double x, y;
			if (tok_elems(d, tok_get(d, v, q->options[k].id), e, 2) == 2 &&
			    tok_num(d, e[0], &x) && tok_num(d, e[1], &y)) {
				uint8_t *o = aq->u8 + 2 * ((size_t)row * q->noptions + k);
				o[0] = clamp_u8_100(x);
				o[1] = clamp_u8_100(y);
			}
		}
		return 1;
	}
	case Q_PIN: {
		double x, y;
		if (!tok_num(d, tok_get(d, v, "x"), &x) || !tok_num(d, tok_get(d, v, "y"), &y))
			return 0;
		aq->u8[2 * (size_t)row] = clamp_u8_100(x);
		aq->u8[2 * (size_t)row + 1] = clamp_u8_100(y);
		return 1;
	}
	case Q_DATE: {
		char b[16];
		size_t n = (size_t)(d->t[v].end - d->t[v].start);
		if (type != JSMN_STRING || n != 10)
			return 0;
		memcpy(b, d->js + d->t[v].start, n);
		b[n] = 0;
		int32_t day = days_of(b);
		if (day == INT32_MIN)
			return 0;
		aq->i32[row] = day;
		return 1;
	}
	case Q_NUMBER: {
		double x;
		if (!tok_num(d, v, &x))
			return 0;
		aq->f32[row] = (float)x;
		return 1;
	}
	default: return 0;
	}
}

/* The same tokens as jsmn's (strict mode) for well-formed JSON, made
 * faster: a string is skipped with memchr up to its closing quote instead
 * of byte by byte (a story's text is most of its answers' bytes). Returns
 * the number of tokens, JSMN_ERROR_NOMEM when cap is too small, or
 * JSMN_ERROR_INVAL for anything it is not sure of (deep nesting,
 * something that is no JSON): the caller then asks jsmn, which decides. */
static int fast_tokens(const char *js, size_t len, jsmntok_t *t, int cap)
{
	enum { DEPTH = 16 };
	int stack[DEPTH], depth = 0, n = 0, super = -1;
	size_t i = 0;
	while (i < len) {
		char ch = js[i];
		switch (ch) {
		case ' ':
		case '\t':
		case '\n':
		case '\r': i++; continue;
		case '{':
		case '[':
			if (n >= cap)
				return JSMN_ERROR_NOMEM;
			if (depth == DEPTH)
				return JSMN_ERROR_INVAL;
			t[n] = (jsmntok_t){ch == '{' ? JSMN_OBJECT : JSMN_ARRAY, (int)i, -1, 0};
			if (super >= 0)
				t[super].size++;
			stack[depth++] = super = n++;
			i++;
			continue;
		case '}':
		case ']': {
			if (depth == 0)
				return JSMN_ERROR_INVAL;
			int top = stack[--depth];
			if (t[top].type != (ch == '}' ? JSMN_OBJECT : JSMN_ARRAY))
				return JSMN_ERROR_INVAL;
			t[top].end = (int)i + 1;
			super = depth ? stack[depth - 1] : -1;
			i++;
			continue;
		}
		case '"': {
			size_t from = i + 1, at = from;
			for (;;) {
				const char *q = memchr(js + at, '"', len - at);
				if (!q)
					return JSMN_ERROR_INVAL;
				size_t end = (size_t)(q - js);
				/* an escaped quote has an odd number of backslashes
				 * before it */
				size_t bs = 0;
				while (end - bs > from && js[end - bs - 1] == '\\')
					bs++;
				if (bs % 2 == 0) {
					at = end;
					break;
				}
				at = end + 1;
			}
			if (n >= cap)
				return JSMN_ERROR_NOMEM;
			t[n] = (jsmntok_t){JSMN_STRING, (int)from, (int)at, 0};
			if (super >= 0)
				t[super].size++;
			n++;
			i = at + 1;
			continue;
		}
		case ':':
			if (n == 0 || t[n - 1].type != JSMN_STRING)
				return JSMN_ERROR_INVAL;
			super = n - 1;
			i++;
			continue;
		case ',':
			if (super >= 0 && t[super].type != JSMN_OBJECT &&
			    t[super].type != JSMN_ARRAY)
				super = depth ? stack[depth - 1] : -1;
			i++;
			continue;
		default: {
			if (!(ch == '-' || (ch >= '0' && ch <= '9') || ch == 't' || ch == 'f' ||
			      ch == 'n'))
				return JSMN_ERROR_INVAL;
			/* a primitive is never a key */
			if (super >= 0 && t[super].type == JSMN_OBJECT)
				return JSMN_ERROR_INVAL;
			size_t j = i;
			while (j < len && js[j] != ',' && js[j] != ']' && js[j] != '}' &&
			       js[j] != ' ' && js[j] != '\t' && js[j] != '\n' && js[j] != '\r' &&
			       js[j] != ':')
				j++;
			if (n >= cap)
				return JSMN_ERROR_NOMEM;
			t[n] = (jsmntok_t){JSMN_PRIMITIVE, (int)i, (int)j, 0};
			if (super >= 0)
				t[super].size++;
			n++;
			i = j;
			continue;
		}
		}
	}
	return depth == 0 && n > 0 ? n : JSMN_ERROR_INVAL;
}

/* Tokenizes text into d: into d->t (*cap tokens) when they fit, else into
 * a larger array from the heap (d->heap set: the caller frees d->t). 0, or
 * -1 when it is no JSON object. */
static int jdoc_parse(struct jdoc *d, int *cap, const char *text, size_t len)
{
	d->js = text;
	d->n = 0;
	if (!text)
		return -1;
	for (;;) {
		int n = fast_tokens(text, len, d->t, *cap);
		if (n == JSMN_ERROR_INVAL) {
			jsmn_parser p;
			jsmn_init(&p);
			n = jsmn_parse(&p, text, len, d->t, (unsigned)*cap);
		}
		if (n == JSMN_ERROR_NOMEM) {
			*cap *= 2;
			if (!d->heap) {
				d->t = xrealloc(NULL, (size_t)*cap * sizeof *d->t);
				d->heap = 1;
			} else {
				d->t = xrealloc(d->t, (size_t)*cap * sizeof *d->t);
			}
			continue;
		}
		if (n < 1 || d->t[0].type != JSMN_OBJECT)
			return -1;
		d->n = n;
		return 0;
	}
}

/* One story as read from the database. */
struct story_row {
	int64_t id, participant, created_at;
	int channel, pilot;
	const char *answers, *professional;
	size_t answers_len, professional_len;
};

/* The answers of one perspective (professional 0: the teller's) in
 * document d, into row: one pass over its keys, each looked up among the
 * questions (a question not in d stays missing). Stored answers are
 * canonical JSON, so a key never comes twice. */
static void append_answers(struct aix_coll *c, uint32_t row, const struct jdoc *d, int professional)
{
	int i = 1;
	for (int k = 0; k < d->t[0].size && i + 1 < d->n; k++, i = tok_next(d, i + 1)) {
		if (d->t[i].type != JSMN_STRING)
			continue;
		const char *key = d->js + d->t[i].start;
		size_t len = (size_t)(d->t[i].end - d->t[i].start);
		struct aix_question *aq = NULL;
		for (int j = 0; j < c->nq && !aq; j++) {
			struct aix_question *cand = &c->q[j];
			if (cand->idlen == len &&
			    (cand->q->perspective == PERSPECTIVE_PROFESSIONAL) == professional &&
			    memcmp(cand->q->id, key, len) == 0)
				aq = cand;
		}
		if (!aq)
			continue;
		int v = i + 1;
		if (tok_is_null(d, v))
			set_na(aq, row);
		else if (set_answer(aq, row, d, v))
			roaring_bitmap_add(aq->answered, row);
		else
			set_missing(aq, row);
	}
}

/* Appends one story as row c->n. The part must be write-locked (or not
 * yet published). */
static void coll_append(struct aix_coll *c, const struct story_row *s)
{
	if (c->n == UINT32_MAX || s->id > UINT32_MAX) {
		log_event(LOG_ERROR, "analysis",
		          "collection %lld: story id %lld does not fit the index", (long long)c->id,
		          (long long)s->id);
		return;
	}
	coll_grow(c, c->n + 1);
	uint32_t row = c->n;
	c->story_id[row] = (uint32_t)s->id;
	c->created_at[row] = s->created_at;
	c->participant[row] =
	        s->participant > 0 && s->participant <= UINT32_MAX ? (uint32_t)s->participant : 0;
	c->channel[row] = (uint8_t)s->channel;
	roaring_bitmap_add(c->by_channel[s->channel], row);
	if (s->pilot)
		roaring_bitmap_add(c->pilot, row);

	/* tokens on the stack; a story with more answers than that gets a
	 * larger array from the heap for the moment */
	enum { STACK_TOKENS = 512 };
	jsmntok_t stack[2][STACK_TOKENS];
	int cap[2] = {STACK_TOKENS, STACK_TOKENS};
	struct jdoc ans = {.t = stack[0]}, pro = {.t = stack[1]};
	int ans_ok = jdoc_parse(&ans, &cap[0], s->answers, s->answers_len) == 0;
	int pro_ok = s->professional &&
	             jdoc_parse(&pro, &cap[1], s->professional, s->professional_len) == 0;
	if (pro_ok && pro.t[0].size > 0)
		roaring_bitmap_add(c->professional, row);
	for (int i = 0; i < c->nq; i++)
		set_missing(&c->q[i], row);
	if (ans_ok)
		append_answers(c, row, &ans, 0);
	if (pro_ok)
		append_answers(c, row, &pro, 1);
	if (ans.heap)
		free(ans.t);
	if (pro.heap)
		free(pro.t);
	c->n = row + 1;
	c->last_story_id = s->id;
}

static int channel_of(const char *name)
{
	int ch = name ? aix_channel_parse(name) : -1;
	return ch < 0 ? AIX_IMPORT : ch;
}

static void row_from_stmt(db_stmt *st, struct story_row *s)
{
	s->id = db_col_int(st, 0);
	s->channel = channel_of(db_col_text(st, 1));
	s->pilot = (int)db_col_int(st, 2);
	s->participant = db_col_is_null(st, 3) ? 0 : db_col_int(st, 3);
	s->created_at = db_col_int(st, 4);
	/* the text's bytes with their length (no strlen over the story) */
	s->answers = db_col_blob(st, 5, &s->answers_len);
	s->professional = db_col_is_null(st, 6) ? NULL : db_col_blob(st, 6, &s->professional_len);
}

static int64_t generation_of(db *d, int64_t collection_id)
{
	db_stmt *st =
	        db_prepare(d, "SELECT generation FROM story_changes WHERE collection_id = :c");
	db_bind_int(st, "c", collection_id);
	int64_t g = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_finalize(st);
	return g;
}

/* Stories a statement of coll_read_range reads at most. PostgreSQL's
 * driver holds a statement's whole result in memory (libpq): read in one
 * statement, the stories of a start-up of 1,000,000 took about a gigabyte
 * that stayed with the process. */
enum { READ_CHUNK = 16384 };

/* Reads the collection's stories above c->last_story_id and below before
 * into c, READ_CHUNK at a time in the order of their ids. Returns rows
 * added, or -1 on a database error. */
static long coll_read_range(struct aix_coll *c, db *d, int64_t before)
{
	long added = 0;
	int64_t after = c->last_story_id; /* also past a row coll_append refused */
	for (;;) {
		db_stmt *st = db_prepare(
		        d, "SELECT id, channel, pilot, participant_id, created_at, answers, "
		           "professional FROM stories WHERE id > :last AND id < :before "
		           "AND +collection_id = :c ORDER BY id LIMIT :n");
		db_bind_int(st, "c", c->id);
		db_bind_int(st, "last", after);
		db_bind_int(st, "before", before);
		db_bind_int(st, "n", READ_CHUNK);
		long got = 0;
		int rc;
		while ((rc = db_step(st)) == DB_ROW) {
			struct story_row s;
			row_from_stmt(st, &s);
			coll_append(c, &s);
			after = s.id;
			got++;
		}
		db_finalize(st);
		if (rc != DB_DONE)
			return -1;
		added += got;
		if (got < READ_CHUNK)
			return added;
	}
}

static long coll_read_new(struct aix_coll *c, db *d)
{
	return coll_read_range(c, d, INT64_MAX);
}

/* A reading connection of the index reads the database through a memory
 * map (SQLite's mmap_size): a build reads the whole file, and copying it
 * page by page with pread was about a tenth of a build's CPU time. Only
 * reads go through the map; writes are never made on these connections. */
static void reader_tune(db *d)
{
	if (strcmp(db_driver_name(d), "sqlite") == 0)
		db_exec(d, "PRAGMA mmap_size = 8589934592");
}

/* The second half of a parallel build: its own connection and bitmaps,
 * rows numbered from first_row on, in its own column arrays. */
struct half {
	struct aix_coll part;
	const char *url;
	long rc;
};

static void *read_half(void *arg)
{
	struct half *h = arg;
	char err[256];
	db *d = db_open(h->url, err, sizeof err);
	if (d)
		reader_tune(d);
	h->rc = d ? coll_read_new(&h->part, d) : -1;
	db_close(d);
	return NULL;
}

/* Below this many stories one thread reads them all. */
enum { PARALLEL_MIN = 2000 };

/* Reads every story of c (columns initialised, empty). With many stories
 * the upper half of the ids is read by a second thread: parsing is most of
 * the work of a start-up. Rows are numbered by id either way, so the result
 * is the same. */
static long coll_read_all(struct aix_coll *c, db *d, const char *url)
{
	db_stmt *st = db_prepare(d, "SELECT count(*), coalesce(min(id), 0), coalesce(max(id), 0) "
	                            "FROM stories WHERE collection_id = :c");
	db_bind_int(st, "c", c->id);
	int64_t n = 0, lo = 0, hi = 0;
	if (db_step(st) == DB_ROW) {
		n = db_col_int(st, 0);
		lo = db_col_int(st, 1);
		hi = db_col_int(st, 2);
	}
	db_finalize(st);
	/* the columns at their size at once: growing them by doubling copied
	 * and faulted in every page several times */
	if (n > 0 && n <= UINT32_MAX)
		coll_grow(c, (uint32_t)n);
	if (n < PARALLEL_MIN || !url)
		return coll_read_new(c, d);
	int64_t split = lo + (hi - lo) / 2;
	st = db_prepare(d,
	                "SELECT count(*) FROM stories WHERE collection_id = :c AND id <= :split");
	db_bind_int(st, "c", c->id);
	db_bind_int(st, "split", split);
	int64_t below = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	if (below < 0 || below > UINT32_MAX)
		return coll_read_new(c, d);
	struct half h = {.part = {.id = c->id, .script = c->script}, .url = url};
	coll_init_columns(&h.part);
	coll_grow(&h.part, (uint32_t)n);
	h.part.n = (uint32_t)below;
	h.part.last_story_id = split;
	pthread_t t;
	if (pthread_create(&t, NULL, read_half, &h) != 0) {
		coll_free_contents(&h.part);
		return coll_read_new(c, d);
	}
	long first = coll_read_range(c, d, split + 1);
	pthread_join(t, NULL);
	if (first < 0 || h.rc < 0 || c->n != (uint32_t)below) {
		/* a story of the lower half was deleted meanwhile: read again */
		coll_free_contents(&h.part);
		coll_free_contents(c);
		c->last_story_id = 0;
		coll_init_columns(c);
		return first < 0 ? -1 : coll_read_new(c, d);
	}
	/* the upper half's rows into c's columns, its bitmaps or-ed in */
	uint32_t total = h.part.n;
	size_t from = below, cnt = total - below;
	if (cnt == 0) { /* nothing above the split after all */
		coll_free_contents(&h.part);
		return (long)c->n;
	}
	coll_grow(c, total);
	memcpy(c->story_id + from, h.part.story_id + from, cnt * sizeof *c->story_id);
	memcpy(c->created_at + from, h.part.created_at + from, cnt * sizeof *c->created_at);
	memcpy(c->participant + from, h.part.participant + from, cnt * sizeof *c->participant);
	memcpy(c->channel + from, h.part.channel + from, cnt * sizeof *c->channel);
	roaring_bitmap_or_inplace(c->pilot, h.part.pilot);
	roaring_bitmap_or_inplace(c->professional, h.part.professional);
	for (int k = 0; k < AIX_CHANNELS; k++)
		roaring_bitmap_or_inplace(c->by_channel[k], h.part.by_channel[k]);
	for (int i = 0; i < c->nq; i++) {
		struct aix_question *aq = &c->q[i], *bq = &h.part.q[i];
		size_t rb = question_row_bytes(aq);
		if (aq->u8)
			memcpy(aq->u8 + from * rb, bq->u8 + from * rb, cnt * rb);
		if (aq->u16)
			memcpy((char *)aq->u16 + from * rb, (char *)bq->u16 + from * rb, cnt * rb);
		if (aq->i32)
			memcpy((char *)aq->i32 + from * rb, (char *)bq->i32 + from * rb, cnt * rb);
		if (aq->f32)
			memcpy((char *)aq->f32 + from * rb, (char *)bq->f32 + from * rb, cnt * rb);
		for (int k = 0; k < aq->nbm; k++)
			roaring_bitmap_or_inplace(aq->bm[k], bq->bm[k]);
		roaring_bitmap_or_inplace(aq->answered, bq->answered);
		roaring_bitmap_or_inplace(aq->na, bq->na);
	}
	c->n = total;
	if (h.part.last_story_id > c->last_story_id)
		c->last_story_id = h.part.last_story_id;
	coll_free_contents(&h.part);
	return (long)total;
}

static void coll_optimize(struct aix_coll *c)
{
	for (int i = 0; i < c->nq; i++) {
		struct aix_question *aq = &c->q[i];
		for (int k = 0; k < aq->nbm; k++)
			roaring_bitmap_run_optimize(aq->bm[k]);
		roaring_bitmap_run_optimize(aq->answered);
		roaring_bitmap_run_optimize(aq->na);
	}
	roaring_bitmap_run_optimize(c->pilot);
	roaring_bitmap_run_optimize(c->professional);
	for (int k = 0; k < AIX_CHANNELS; k++)
		roaring_bitmap_run_optimize(c->by_channel[k]);
}

/* Builds a part's contents from the database. 0, or -1 when the collection
 * or its script cannot be read (c->org_id must be set, or 0 for any). */
static int coll_build(struct aix_coll *c, db *d, const char *url)
{
	db_stmt *st = db_prepare(d, "SELECT org_id, script_id, script_version, "
	                            "coalesce(trajectory_id, 0) FROM collections WHERE id = :id");
	db_bind_int(st, "id", c->id);
	int ok = db_step(st) == DB_ROW;
	if (ok) {
		c->org_id = db_col_int(st, 0);
		c->script_id = db_col_int(st, 1);
		c->script_version = (int)db_col_int(st, 2);
		c->trajectory_id = db_col_int(st, 3);
	}
	db_finalize(st);
	if (!ok)
		return -1;
	c->script = script_cache_get(d, c->org_id, c->script_id, c->script_version);
	if (!c->script)
		return -1;
	c->generation = generation_of(d, c->id);
	c->last_story_id = 0;
	coll_init_columns(c);
	if (coll_read_all(c, d, url) < 0) {
		coll_free_contents(c);
		return -1;
	}
	coll_optimize(c);
	c->version = next_version();
	return 0;
}

/* ---- the index ----------------------------------------------------------- */

aix *aix_new(const char *db_url)
{
	assert(db_url);
	/* GSL's default answer to a numerical problem is abort(): a query must
	 * get NaN (shown as null) instead, never stop the server. */
	gsl_set_error_handler_off();
	aix *x = calloc(1, sizeof *x);
	if (!x || !(x->url = strdup(db_url)))
		abort();
	pthread_mutex_init(&x->mu, NULL);
	pthread_cond_init(&x->wake, NULL);
	x->build_threads = 2;
	return x;
}

static void part_free(struct aix_coll *c)
{
	coll_free_contents(c);
	pthread_rwlock_destroy(&c->lock);
	pthread_mutex_destroy(&c->refresh_mu);
	free(c);
}

void aix_free(aix *x)
{
	if (!x)
		return;
	pthread_mutex_lock(&x->mu);
	x->stop = 1;
	pthread_cond_broadcast(&x->wake);
	int running = x->running;
	pthread_mutex_unlock(&x->mu);
	if (running)
		pthread_join(x->poller, NULL);
	if (aix_global() == x)
		aix_set_global(NULL);
	for (size_t i = 0; i < x->nparts; i++)
		part_free(x->parts[i]);
	free(x->parts);
	for (size_t i = 0; i < x->ntparts; i++)
		part_free(x->tparts[i]);
	free(x->tparts);
	pthread_mutex_destroy(&x->mu);
	pthread_cond_destroy(&x->wake);
	free(x->url);
	free(x);
}

/* The built part of a collection, or NULL; x->mu held. */
static struct aix_coll *find_part(aix *x, int64_t id)
{
	for (size_t i = 0; i < x->nparts; i++)
		if (x->parts[i]->id == id)
			return x->parts[i];
	return NULL;
}

static db *open_reader(aix *x)
{
	char err[256];
	db *d = db_open(x->url, err, sizeof err);
	if (!d)
		log_event(LOG_ERROR, "analysis", "cannot open %s: %s", x->url, err);
	else
		reader_tune(d);
	return d;
}

/* Builds and publishes the part of collection id; x->mu held (builds are
 * rare: the first query of a collection, or a start-up). NULL when it
 * cannot be built. */
static struct aix_coll *build_part(aix *x, db *d, int64_t id)
{
	struct aix_coll *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->id = id;
	if (coll_build(c, d, x->build_threads > 1 ? x->url : NULL) != 0) {
		free(c);
		return NULL;
	}
	pthread_rwlock_init(&c->lock, NULL);
	pthread_mutex_init(&c->refresh_mu, NULL);
	if (x->nparts == x->capparts) {
		x->capparts = x->capparts ? 2 * x->capparts : 16;
		x->parts = xrealloc(x->parts, x->capparts * sizeof *x->parts);
	}
	x->parts[x->nparts++] = c;
	return c;
}

/* A NUL-terminated copy of n bytes (NULL for NULL). */
static char *copy_bytes(const char *p, size_t n)
{
	if (!p)
		return NULL;
	char *q = xrealloc(NULL, n + 1);
	memcpy(q, p, n);
	q[n] = 0;
	return q;
}

/* Rebuilds part c in place (its stories were changed or deleted). */
static void rebuild_part(struct aix_coll *c, db *d, const char *url)
{
	struct aix_coll fresh = {.id = c->id};
	if (coll_build(&fresh, d, url) != 0)
		return;
	pthread_rwlock_wrlock(&c->lock);
	coll_free_contents(c);
	/* The locks and the use time belong to the part, not to its contents:
	 * threads may be waiting on them, so they are never copied. */
	memcpy(c, &fresh, offsetof(struct aix_coll, lock));
	pthread_rwlock_unlock(&c->lock);
}

/* Brings part c up to date: new stories appended, a rebuild when stories
 * were changed. New rows are read into a copy-free staging part first so
 * the write lock is held only for the append. c->refresh_mu held. */
static void catch_up(struct aix_coll *c, db *d, const char *url)
{
	if (generation_of(d, c->id) != c->generation) {
		rebuild_part(c, d, url);
		return;
	}
	db_stmt *st =
	        db_prepare(d, "SELECT id, channel, pilot, participant_id, created_at, answers, "
	                      "professional FROM stories WHERE id > :last AND +collection_id = :c "
	                      "ORDER BY id LIMIT 4096");
	for (;;) {
		db_reset(st);
		db_bind_int(st, "c", c->id);
		db_bind_int(st, "last", c->last_story_id);
		/* Parse outside the lock: the JSON is copied into a small batch. */
		struct story_row rows[256];
		char *texts[256][2];
		int nrows = 0, rc;
		while (nrows < 256 && (rc = db_step(st)) == DB_ROW) {
			row_from_stmt(st, &rows[nrows]);
			texts[nrows][0] = copy_bytes(rows[nrows].answers, rows[nrows].answers_len);
			texts[nrows][1] =
			        copy_bytes(rows[nrows].professional, rows[nrows].professional_len);
			rows[nrows].answers = texts[nrows][0];
			rows[nrows].professional = texts[nrows][1];
			nrows++;
		}
		if (nrows == 0)
			break;
		pthread_rwlock_wrlock(&c->lock);
		for (int i = 0; i < nrows; i++)
			coll_append(c, &rows[i]);
		c->version = next_version();
		pthread_rwlock_unlock(&c->lock);
		for (int i = 0; i < nrows; i++) {
			free(texts[i][0]);
			free(texts[i][1]);
		}
		if (nrows < 256)
			break;
	}
	db_finalize(st);
}

/* The poller and a query may both want to catch a part up: one at a time,
 * or a story would be appended twice. */
static void refresh_part(struct aix_coll *c, db *d, const char *url)
{
	pthread_mutex_lock(&c->refresh_mu);
	catch_up(c, d, url);
	pthread_mutex_unlock(&c->refresh_mu);
}

static int64_t mono_ms(void)
{
	return clock_mono_us() / 1000;
}

static int part_is_hot(struct aix_coll *c, int64_t now_ms)
{
	int64_t used = __atomic_load_n(&c->last_used_ms, __ATOMIC_RELAXED);
	return used && now_ms - used < AIX_HOT_MS;
}

struct aix_coll *aix_acquire(aix *x, int64_t org_id, int64_t collection_id)
{
	assert(x);
	int64_t now = mono_ms();
	pthread_mutex_lock(&x->mu);
	struct aix_coll *c = find_part(x, collection_id);
	int stale = 0;
	if (!c) {
		db *d = open_reader(x);
		c = d ? build_part(x, d, collection_id) : NULL;
		if (d)
			db_close(d);
	} else {
		/* The poller keeps only hot parts up to date. */
		stale = !x->running || !part_is_hot(c, now);
	}
	pthread_mutex_unlock(&x->mu);
	if (!c)
		return NULL;
	__atomic_store_n(&c->last_used_ms, now, __ATOMIC_RELAXED);
	if (stale) {
		db *d = open_reader(x);
		if (d) {
			refresh_part(c, d, x->build_threads > 1 ? x->url : NULL);
			db_close(d);
		}
	}
	if (org_id && c->org_id != org_id)
		return NULL;
	pthread_rwlock_rdlock(&c->lock);
	return c;
}

void aix_release(struct aix_coll *c)
{
	if (c)
		pthread_rwlock_unlock(&c->lock);
}

struct aix_question *aix_question(struct aix_coll *c, const char *id)
{
	for (int i = 0; i < c->nq; i++)
		if (strcmp(c->q[i].q->id, id) == 0)
			return &c->q[i];
	return NULL;
}

void aix_set_build_threads(aix *x, int n)
{
	assert(x && n >= 1);
	x->build_threads = n > 1 ? 2 : 1;
}

void aix_poke(aix *x)
{
	if (!x)
		return;
	pthread_mutex_lock(&x->mu);
	x->poked = 1;
	pthread_cond_signal(&x->wake);
	pthread_mutex_unlock(&x->mu);
}

/* Every tick: the hot parts (queried in the last AIX_HOT_MS) brought up to
 * date, one at a time; the others catch up when they are next acquired.
 * x->mu is held only while the list of parts is read, so a query can
 * acquire meanwhile. */
static void poll_once(aix *x, db *d)
{
	int64_t now = mono_ms();
	pthread_mutex_lock(&x->mu);
	size_t n = 0;
	struct aix_coll **copy = malloc((x->nparts ? x->nparts : 1) * sizeof *copy);
	if (!copy)
		abort();
	for (size_t i = 0; i < x->nparts; i++)
		if (part_is_hot(x->parts[i], now))
			copy[n++] = x->parts[i];
	pthread_mutex_unlock(&x->mu);
	if (n == 0) {
		free(copy);
		return;
	}
	/* A quick look first: nothing new and nothing changed is the usual
	 * tick. */
	db_stmt *st = db_prepare(d, "SELECT coalesce(max(id), 0), "
	                            "(SELECT coalesce(sum(generation), 0) FROM story_changes) "
	                            "FROM stories");
	int64_t top = 0, gens = 0;
	if (db_step(st) == DB_ROW) {
		top = db_col_int(st, 0);
		gens = db_col_int(st, 1);
	}
	db_finalize(st);
	static __thread int64_t last_top = -1, last_gens = -1;
	if (top != last_top || gens != last_gens) {
		for (size_t i = 0; i < n; i++)
			refresh_part(copy[i], d, x->build_threads > 1 ? x->url : NULL);
		last_top = top;
		last_gens = gens;
	}
	free(copy);
}

static void build_all(aix *x, db *d)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM collections ORDER BY id");
	int64_t *ids = NULL;
	size_t n = 0;
	db_collect_ids(st, &ids, &n);
	db_finalize(st);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < n; i++) {
		pthread_mutex_lock(&x->mu);
		if (!find_part(x, ids[i]))
			build_part(x, d, ids[i]);
		pthread_mutex_unlock(&x->mu);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (n)
		log_event(LOG_INFO, "analysis", "index of %zu collections built in %.0f ms", n,
		          (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	free(ids);
}

/* How the poller learns of new and changed stories. On SQLite (one
 * process) it looks every POLL_MS. On PostgreSQL several instances share
 * the database: it LISTENs on AIX_NOTIFY_CHANNEL, which writers notify at
 * commit (model/story.c, model/purge.c), and looks when told, waiting in
 * slices of WAIT_SLICE_MS so that aix_poke and aix_free are heard. It looks
 * at least every FALLBACK_MS anyway: what no notification announced (a
 * change made by a trigger, a notification lost with a connection) is
 * caught up by the look itself, which compares the highest story id and
 * the generations of story_changes (the watermark) with what the index
 * has seen. A lost connection is made again by db_wait, which then says
 * to look at once; while the database cannot be reached the poller tries
 * every DOWN_MS. */
enum { POLL_MS = 250, WAIT_SLICE_MS = 100, FALLBACK_MS = 2000, DOWN_MS = 500 };

/* Waits on x->wake for ms at most (x->mu held). */
static void wait_wake(aix *x, int ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&x->wake, &x->mu, &until);
}

/* Returns (x->mu held) when it is time to look, or to stop. */
static void poller_wait(aix *x, db *d, int listening, int64_t last_look)
{
	if (!listening) {
		if (!x->poked)
			wait_wake(x, POLL_MS);
		return;
	}
	while (!x->stop && !x->poked && mono_ms() - last_look < FALLBACK_MS) {
		pthread_mutex_unlock(&x->mu);
		int rc = db_wait(d, WAIT_SLICE_MS);
		pthread_mutex_lock(&x->mu);
		if (rc == 1)
			return;
		if (rc < 0 && !x->stop && !x->poked)
			wait_wake(x, DOWN_MS);
	}
}

static void *poller_main(void *arg)
{
	aix *x = arg;
	db *d;
	/* The database may not be reachable yet (PostgreSQL restarting):
	 * the poller tries again until it is, or until it is stopped. */
	while (!(d = open_reader(x))) {
		pthread_mutex_lock(&x->mu);
		if (!x->stop)
			wait_wake(x, 1000);
		int stop = x->stop;
		pthread_mutex_unlock(&x->mu);
		if (stop)
			return NULL;
	}
	build_all(x, d);
	int listening = db_listen(d, AIX_NOTIFY_CHANNEL) == DB_OK;
	int64_t last_look = mono_ms(), last_listen = last_look;
	pthread_mutex_lock(&x->mu);
	while (!x->stop) {
		poller_wait(x, d, listening, last_look);
		x->poked = 0;
		if (x->stop)
			break;
		pthread_mutex_unlock(&x->mu);
		/* not listening: on SQLite this stays so (at no cost); on
		 * PostgreSQL it was down at the first try */
		if (!listening && mono_ms() - last_listen >= FALLBACK_MS) {
			listening = db_listen(d, AIX_NOTIFY_CHANNEL) == DB_OK;
			last_listen = mono_ms();
		}
		poll_once(x, d);
		last_look = mono_ms();
		pthread_mutex_lock(&x->mu);
	}
	pthread_mutex_unlock(&x->mu);
	db_close(d);
	return NULL;
}

int aix_start(aix *x)
{
	assert(x);
	pthread_mutex_lock(&x->mu);
	int rc = 0;
	if (!x->running) {
		rc = pthread_create(&x->poller, NULL, poller_main, x);
		x->running = rc == 0;
	}
	pthread_mutex_unlock(&x->mu);
	return rc == 0 ? 0 : -1;
}

/* ---- a trajectory's part -------------------------------------------------- */

/* The column's bytes (whichever array the question's type has). */
static char *column_bytes(struct aix_question *aq)
{
	return aq->u8    ? (char *)aq->u8
	       : aq->u16 ? (char *)aq->u16
	       : aq->i32 ? (char *)aq->i32
	                 : (char *)aq->f32;
}

/* Whether two definitions of a question keep their answers the same way
 * (type, options in order, points), so values can be copied as they are. */
static int question_same_shape(const struct question *a, const struct question *b)
{
	if (a->type != b->type || a->noptions != b->noptions || a->points != b->points)
		return 0;
	for (int k = 0; k < a->noptions; k++)
		if (strcmp(a->options[k].id, b->options[k].id) != 0)
			return 0;
	return 1;
}

/* The index of the option with id in q, or -1. */
static int option_index(const struct question *q, const char *id)
{
	for (int k = 0; k < q->noptions; k++)
		if (strcmp(q->options[k].id, id) == 0)
			return k;
	return -1;
}

/* The trajectory's bitmap of a member's bitmap k of the same question
 * (another version of it: options matched by id, scale points by number);
 * -1 when the trajectory's definition has no such answer. */
static int bitmap_map(const struct question *dq, const struct question *sq, int k)
{
	switch (dq->type) {
	case Q_SCALE: return k < dq->points ? k : -1;
	case Q_STORY: return option_index(dq, sq->options[k].id);
	case Q_CHOICE:
	case Q_MULTI: return k == sq->noptions ? dq->noptions : option_index(dq, sq->options[k].id);
	default: return -1;
	}
}

/* Adds to dst the rows of src, each row r as to[r] (to is increasing, so
 * the mapped rows stay in order). */
static void bitmap_add_mapped(roaring_bitmap_t *dst, const roaring_bitmap_t *src,
                              const uint32_t *to)
{
	uint64_t n = roaring_bitmap_get_cardinality(src);
	if (!n)
		return;
	uint32_t *v = xrealloc(NULL, n * sizeof *v);
	roaring_bitmap_to_uint32_array(src, v);
	for (uint64_t i = 0; i < n; i++)
		v[i] = to[v[i]];
	roaring_bitmap_add_many(dst, n, v);
	free(v);
}

/* Fills t (zeroed but for id, org_id and trajectory fields) with the rows
 * of the parts m[0..nm-1] (read-locked, ascending by collection id): rows
 * in the order of story ids, questions matched by id. */
static void trajectory_merge(struct aix_coll *t, struct aix_coll *const *m, int nm)
{
	/* the questions: every id once, from the first collection that has it */
	int cap = 0, nq = 0;
	for (int j = 0; j < nm; j++)
		cap += m[j]->nq;
	struct question **qs = calloc((size_t)(cap ? cap : 1), sizeof *qs);
	if (!qs)
		abort();
	for (int j = 0; j < nm; j++)
		for (int i = 0; i < m[j]->nq; i++) {
			struct question *q = (struct question *)m[j]->q[i].q;
			int seen = 0;
			for (int k = 0; k < nq && !seen; k++)
				seen = strcmp(qs[k]->id, q->id) == 0;
			if (!seen)
				qs[nq++] = q;
		}
	if (nm) {
		t->script = m[0]->script;
		t->script_id = m[0]->script_id;
		t->script_version = m[0]->script_version;
	}
	coll_init_columns_of(t, qs, nq);
	free(qs);

	/* the rows: the members' rows merged by story id; to[j][r] is the row
	 * of member j's row r */
	uint64_t total = 0;
	for (int j = 0; j < nm; j++)
		total += m[j]->n;
	if (total > UINT32_MAX)
		abort(); /* far beyond the index's budget; never so many stories */
	uint32_t **to = xrealloc(NULL, (size_t)(nm ? nm : 1) * sizeof *to);
	uint32_t *at = xrealloc(NULL, (size_t)(nm ? nm : 1) * sizeof *at);
	for (int j = 0; j < nm; j++) {
		to[j] = xrealloc(NULL, (m[j]->n ? m[j]->n : 1) * sizeof **to);
		at[j] = 0;
	}
	coll_grow(t, (uint32_t)total);
	for (uint32_t row = 0; row < total; row++) {
		int best = -1;
		for (int j = 0; j < nm; j++)
			if (at[j] < m[j]->n &&
			    (best < 0 || m[j]->story_id[at[j]] < m[best]->story_id[at[best]]))
				best = j;
		const struct aix_coll *s = m[best];
		uint32_t r = at[best]++;
		to[best][r] = row;
		t->story_id[row] = s->story_id[r];
		t->created_at[row] = s->created_at[r];
		t->participant[row] = s->participant[r];
		t->channel[row] = s->channel[r];
		if (t->last_story_id < s->story_id[r])
			t->last_story_id = s->story_id[r];
	}
	t->n = (uint32_t)total;
	free(at);

	t->ncolls = nm;
	t->coll_id = xrealloc(NULL, (size_t)(nm ? nm : 1) * sizeof *t->coll_id);
	t->by_coll = xrealloc(NULL, (size_t)(nm ? nm : 1) * sizeof *t->by_coll);
	for (int j = 0; j < nm; j++) {
		const struct aix_coll *s = m[j];
		t->coll_id[j] = s->id;
		t->by_coll[j] = bm_new();
		roaring_bitmap_add_many(t->by_coll[j], s->n, to[j]);
		bitmap_add_mapped(t->pilot, s->pilot, to[j]);
		bitmap_add_mapped(t->professional, s->professional, to[j]);
		for (int k = 0; k < AIX_CHANNELS; k++)
			bitmap_add_mapped(t->by_channel[k], s->by_channel[k], to[j]);
	}

	for (int i = 0; i < t->nq; i++) {
		struct aix_question *dq = &t->q[i];
		size_t rb = question_row_bytes(dq);
		for (int j = 0; j < nm; j++) {
			struct aix_coll *s = m[j];
			struct aix_question *sq = aix_question(s, dq->q->id);
			int same = sq && question_same_shape(dq->q, sq->q);
			int remap = sq && !same && sq->q->type == dq->q->type &&
			            (dq->q->type == Q_STORY || dq->q->type == Q_CHOICE ||
			             dq->q->type == Q_MULTI || dq->q->type == Q_SCALE);
			if (!same && !remap) {
				/* not asked in this collection (or asked otherwise):
				 * missing */
				for (uint32_t r = 0; r < s->n; r++)
					set_missing(dq, to[j][r]);
				continue;
			}
			if (same) {
				char *dc = rb ? column_bytes(dq) : NULL;
				const char *sc = rb ? column_bytes(sq) : NULL;
				for (uint32_t r = 0; rb && r < s->n; r++)
					memcpy(dc + (size_t)to[j][r] * rb, sc + (size_t)r * rb, rb);
				bitmap_add_mapped(dq->answered, sq->answered, to[j]);
				for (int k = 0; k < dq->nbm; k++)
					bitmap_add_mapped(dq->bm[k], sq->bm[k], to[j]);
			} else {
				/* another version of the question: answers matched by
				 * option id (or scale point); an answer the
				 * trajectory's definition has no place for is missing */
				for (int k = 0; k < sq->nbm; k++) {
					int dk = bitmap_map(dq->q, sq->q, k);
					if (dk >= 0)
						bitmap_add_mapped(dq->bm[dk], sq->bm[k], to[j]);
				}
				for (uint32_t r = 0; r < s->n; r++) {
					uint32_t row = to[j][r];
					if (dq->q->type == Q_MULTI) {
						if (roaring_bitmap_contains(sq->answered, r))
							roaring_bitmap_add(dq->answered, row);
						continue;
					}
					uint8_t v = sq->u8[r];
					int dk = v == AIX_MISSING8 || v == AIX_NA8
					                 ? -1
					                 : bitmap_map(dq->q, sq->q, v - 1);
					dq->u8[row] = v == AIX_NA8 ? AIX_NA8
					              : dk < 0     ? AIX_MISSING8
					                           : (uint8_t)(dk + 1);
					if (dk >= 0)
						roaring_bitmap_add(dq->answered, row);
				}
			}
			bitmap_add_mapped(dq->na, sq->na, to[j]);
		}
	}
	for (int j = 0; j < nm; j++)
		free(to[j]);
	free(to);
	coll_optimize(t);
}

/* The trajectory's part, made when first asked for; x->mu held. */
static struct aix_coll *find_or_add_tpart(aix *x, int64_t id, int64_t org_id)
{
	for (size_t i = 0; i < x->ntparts; i++)
		if (x->tparts[i]->id == id)
			return x->tparts[i];
	struct aix_coll *t = calloc(1, sizeof *t);
	if (!t)
		abort();
	t->id = t->trajectory_id = id;
	t->org_id = org_id;
	t->trajectory = 1;
	pthread_rwlock_init(&t->lock, NULL);
	pthread_mutex_init(&t->refresh_mu, NULL);
	if (x->ntparts == x->captparts) {
		x->captparts = x->captparts ? 2 * x->captparts : 8;
		x->tparts = xrealloc(x->tparts, x->captparts * sizeof *x->tparts);
	}
	x->tparts[x->ntparts++] = t;
	return t;
}

struct aix_coll *aix_acquire_trajectory(aix *x, int64_t org_id, int64_t trajectory_id)
{
	assert(x);
	db *d = open_reader(x);
	if (!d)
		return NULL;
	db_stmt *st = db_prepare(d, "SELECT org_id FROM trajectories WHERE id = :t");
	db_bind_int(st, "t", trajectory_id);
	int64_t torg = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_finalize(st);
	if (torg < 0 || (org_id && torg != org_id)) {
		db_close(d);
		return NULL;
	}
	st = db_prepare(d, "SELECT id FROM collections WHERE trajectory_id = :t AND org_id = :o "
	                   "ORDER BY id");
	db_bind_int(st, "t", trajectory_id);
	db_bind_int(st, "o", torg);
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = db_collect_ids(st, &ids, &n);
	db_finalize(st);
	db_close(d);
	if (rc != DB_DONE) {
		free(ids);
		return NULL;
	}

	/* the collections' parts, each up to date and read-locked while the
	 * trajectory's is compared with them (and made again) */
	struct aix_coll **m = xrealloc(NULL, (n ? n : 1) * sizeof *m);
	int nm = 0;
	for (size_t i = 0; i < n; i++) {
		struct aix_coll *c = aix_acquire(x, torg, ids[i]);
		if (c)
			m[nm++] = c;
		else
			log_event(LOG_ERROR, "analysis",
			          "trajectory %lld: collection %lld cannot be indexed",
			          (long long)trajectory_id, (long long)ids[i]);
	}
	free(ids);
	int64_t *state = xrealloc(NULL, (size_t)(4 * nm + 1) * sizeof *state);
	for (int j = 0; j < nm; j++) {
		state[4 * j] = m[j]->id;
		state[4 * j + 1] = m[j]->generation;
		state[4 * j + 2] = m[j]->n;
		state[4 * j + 3] = m[j]->last_story_id;
	}

	pthread_mutex_lock(&x->mu);
	struct aix_coll *t = find_or_add_tpart(x, trajectory_id, torg);
	pthread_mutex_unlock(&x->mu);

	pthread_mutex_lock(&t->refresh_mu);
	if (!t->built_from || t->ncolls != nm ||
	    memcmp(t->built_from, state, (size_t)(4 * nm) * sizeof *state) != 0) {
		struct aix_coll fresh = {.id = trajectory_id,
		                         .org_id = torg,
		                         .trajectory = 1,
		                         .trajectory_id = trajectory_id};
		trajectory_merge(&fresh, m, nm);
		fresh.version = next_version();
		fresh.built_from = state;
		state = NULL;
		pthread_rwlock_wrlock(&t->lock);
		coll_free_contents(t);
		memcpy(t, &fresh, offsetof(struct aix_coll, lock));
		pthread_rwlock_unlock(&t->lock);
	}
	pthread_mutex_unlock(&t->refresh_mu);
	free(state);
	for (int j = 0; j < nm; j++)
		aix_release(m[j]);
	free(m);
	__atomic_store_n(&t->last_used_ms, mono_ms(), __ATOMIC_RELAXED);
	pthread_rwlock_rdlock(&t->lock);
	return t;
}

size_t aix_coll_bytes(const struct aix_coll *c)
{
	size_t b = (size_t)c->cap * (sizeof *c->story_id + sizeof *c->created_at +
	                             sizeof *c->participant + sizeof *c->channel);
	b += roaring_bitmap_size_in_bytes(c->pilot) + roaring_bitmap_size_in_bytes(c->professional);
	for (int k = 0; k < AIX_CHANNELS; k++)
		b += roaring_bitmap_size_in_bytes(c->by_channel[k]);
	for (int k = 0; k < c->ncolls; k++)
		b += roaring_bitmap_size_in_bytes(c->by_coll[k]);
	for (int i = 0; i < c->nq; i++) {
		const struct aix_question *aq = &c->q[i];
		b += (size_t)c->cap * question_row_bytes(aq);
		for (int k = 0; k < aq->nbm; k++)
			b += roaring_bitmap_size_in_bytes(aq->bm[k]);
		b += roaring_bitmap_size_in_bytes(aq->answered) +
		     roaring_bitmap_size_in_bytes(aq->na);
	}
	return b;
}
