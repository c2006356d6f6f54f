/* parse.c: parsers of outside input: urlencoded and multipart forms, cookies, JSON bodies. */
#include "http/parse.h"

#include "core/msg.h"
#include "core/util.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
	KV_FIRST_CAP = 16,
	MP_MAX_BOUNDARY = 70,      /* RFC 2046 section 5.1.1 */
	MP_MAX_HEADERS = 16,       /* header lines per part */
	MP_MAX_HEADER_LINE = 1024, /* bytes per header line, CRLF not counted */
};

/* The messages below reach the user in a 400 response; keep them plain. */
static const char ERR_FORM_ESCAPE[] = N_("The form data has an invalid percent escape.");
static const char ERR_FORM_NUL[] = N_("The form data contains a NUL character.");
static const char ERR_FORM_UTF8[] = N_("The form data is not valid UTF-8 text.");
static const char ERR_FORM_FIELDS[] = N_("The form data has too many fields.");

static const char ERR_MP_TYPE[] = N_("The request is not multipart/form-data.");
static const char ERR_MP_CTYPE[] = N_("The multipart Content-Type header is malformed.");
static const char ERR_MP_NO_BOUNDARY[] = N_("The multipart Content-Type has no boundary.");
static const char ERR_MP_BAD_BOUNDARY[] = N_("The multipart boundary is invalid.");
static const char ERR_MP_NO_DELIM[] = N_("The multipart body does not contain its boundary.");
static const char ERR_MP_NO_CLOSE[] = N_("The multipart body has no closing boundary.");
static const char ERR_MP_DELIM_LINE[] = N_("The multipart body has a malformed boundary line.");
static const char ERR_MP_CRLF[] = N_("The multipart body must use CRLF line endings.");
static const char ERR_MP_PARTS[] = N_("The multipart body has too many parts.");
static const char ERR_MP_HEADERS[] = N_("A multipart part has too many headers.");
static const char ERR_MP_HEADER_LONG[] = N_("A multipart header line is too long.");
static const char ERR_MP_HEADER[] = N_("A multipart part has a malformed header.");
static const char ERR_MP_NO_CD[] = N_("A multipart part has no Content-Disposition header.");
static const char ERR_MP_CD[] = N_("A multipart part has a malformed Content-Disposition header.");
static const char ERR_MP_NOT_FORM[] = N_("A multipart part is not form-data.");
static const char ERR_MP_NO_NAME[] = N_("A multipart part has no name.");
static const char ERR_MP_NAME_UTF8[] = N_("A multipart part name is not valid UTF-8 text.");
static const char ERR_MP_FILENAME[] = N_("A multipart file name is not valid UTF-8 text.");
static const char ERR_MP_PART_CTYPE[] = N_("A multipart part has an invalid Content-Type.");
static const char ERR_MP_VALUE_UTF8[] = N_("A multipart field is not valid UTF-8 text.");

static const char ERR_JSON_EMPTY[] = N_("The request body is empty.");
static const char ERR_JSON_SYNTAX[] = N_("The request body is not valid JSON.");
static const char ERR_JSON_DUP[] = N_("The JSON body has a duplicate key.");
static const char ERR_JSON_OBJECT[] = N_("The JSON body must be an object.");
static const char ERR_JSON_DEEP[] = N_("The JSON body is nested too deeply.");

static void kvlist_init(struct kvlist *l)
{
	l->items = NULL;
	l->n = 0;
	l->cap = 0;
}

void kv_add(arena *a, struct kvlist *l, const char *name, const char *value, size_t value_len)
{
	assert(a && l && name && value);
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : KV_FIRST_CAP;
		if (cap > SIZE_MAX / sizeof *l->items)
			abort();
		struct kv *items = arena_alloc(a, cap * sizeof *items);
		if (l->n)
			memcpy(items, l->items, l->n * sizeof *items);
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n++] = (struct kv){.name = name, .value = value, .value_len = value_len};
}

const struct kv *kv_find(const struct kvlist *l, const char *name)
{
	assert(l && name);
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return &l->items[i];
	return NULL;
}

const char *kv_get(const struct kvlist *l, const char *name)
{
	const struct kv *f = kv_find(l, name);
	return f ? f->value : NULL;
}

static bool is_ws(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 9110 tchar. */
static bool is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* True when [s, s+n) equals the NUL-terminated lit, ignoring ASCII case. */
static bool span_eq_ci(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/* ---- urlencoded ---- */

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum decode_result { DECODE_OK, DECODE_ESCAPE, DECODE_NUL };

/* Decodes s[0..*len) in place; s[*len] must be writable because the result is
 * NUL-terminated. On failure s is left partly decoded. */
static enum decode_result decode_component(char *s, size_t *len)
{
	size_t n = *len, i = 0, o = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (n - i < 3)
				return DECODE_ESCAPE;
			int hi = hex_value((unsigned char)s[i + 1]);
			int lo = hex_value((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return DECODE_ESCAPE;
			c = (unsigned char)(hi << 4 | lo);
			i += 3;
		} else {
			if (c == '+')
				c = ' ';
			i++;
		}
		if (c == '\0')
			return DECODE_NUL;
		s[o++] = (char)c;
	}
	s[o] = '\0';
	*len = o;
	return DECODE_OK;
}

int url_decode_inplace(char *s, size_t *len)
{
	assert(s && len);
	return decode_component(s, len) == DECODE_OK ? 0 : -1;
}

/* Copies and decodes one name or value of a form into the arena. */
static int form_piece(arena *a, const char *s, size_t n, char **out, size_t *out_len,
                      const char **err)
{
	char *p = arena_strndup(a, s, n);
	switch (decode_component(p, &n)) {
	case DECODE_OK: break;
	case DECODE_ESCAPE: *err = ERR_FORM_ESCAPE; return -1;
	case DECODE_NUL: *err = ERR_FORM_NUL; return -1;
	}
	if (!util_utf8_clean(p, n)) {
		*err = ERR_FORM_UTF8;
		return -1;
	}
	*out = p;
	*out_len = n;
	return 0;
}

int parse_urlencoded(arena *a, const char *data, size_t len, struct kvlist *out, const char **err)
{
	assert(a && out && err && (data || len == 0));
	kvlist_init(out);
	if (len == 0)
		return 0;
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *seg_end = amp ? amp : end;
		if (seg_end > p) {
			if (out->n >= PARSE_MAX_FIELDS) {
				*err = ERR_FORM_FIELDS;
				goto fail;
			}
			const char *eq = memchr(p, '=', (size_t)(seg_end - p));
			const char *name_end = eq ? eq : seg_end;
			char *name, *value = NULL;
			size_t name_len, value_len = 0;
			if (form_piece(a, p, (size_t)(name_end - p), &name, &name_len, err))
				goto fail;
			if (eq && form_piece(a, eq + 1, (size_t)(seg_end - eq - 1), &value,
			                     &value_len, err))
				goto fail;
			kv_add(a, out, name, value ? value : "", value_len);
		}
		p = amp ? amp + 1 : end;
	}
	return 0;
fail:
	kvlist_init(out);
	return -1;
}

/* ---- header parameters (Content-Type, Content-Disposition) ---- */

/* A character of an unquoted parameter value. RFC 9110 wants a token, but
 * clients put '/', ':', '=' and the like into unquoted boundaries, so we take
 * any visible character that cannot end or start something else. */
static bool is_value_char(unsigned char c)
{
	return c > 0x20 && c != 0x7f && c != ';' && c != '"';
}

/* Reads a token or quoted-string at *pp into a new arena string. In a quoted
 * string only \" and \\ are escapes; any other backslash is kept as it is,
 * because browsers do not escape backslashes in file names (they send
 * filename="a\b.txt"). Returns -1 when the value is malformed. */
static int read_param_value(arena *a, const char **pp, const char *end, char **val, size_t *val_len)
{
	const char *p = *pp;
	if (p < end && *p == '"') {
		char *o = arena_alloc(a, (size_t)(end - p));
		size_t n = 0;
		p++;
		for (;;) {
			if (p == end)
				return -1;
			unsigned char c = (unsigned char)*p++;
			if (c == '"')
				break;
			if (c == '\\' && p < end && (*p == '"' || *p == '\\'))
				c = (unsigned char)*p++;
			else if ((c < 0x20 && c != '\t') || c == 0x7f)
				return -1;
			o[n++] = (char)c;
		}
		o[n] = '\0';
		*val = o;
		*val_len = n;
	} else {
		const char *s = p;
		while (p < end && is_value_char((unsigned char)*p))
			p++;
		*val = arena_strndup(a, s, (size_t)(p - s));
		*val_len = (size_t)(p - s);
	}
	*pp = p;
	return 0;
}

struct param {
	const char *name; /* not terminated: name_len bytes */
	size_t name_len;
	char *value;
	size_t value_len;
};

/* Reads the next "; name=value" at *pp. Empty parameters (";;") and a
 * trailing ';' are skipped. Returns 1 with *out set, 0 at the end, -1 when
 * the text is malformed. */
static int next_param(arena *a, const char **pp, const char *end, struct param *out)
{
	const char *p = *pp;
	for (;;) {
		while (p < end && is_ws((unsigned char)*p))
			p++;
		if (p == end) {
			*pp = p;
			return 0;
		}
		if (*p != ';')
			return -1;
		p++;
		while (p < end && is_ws((unsigned char)*p))
			p++;
		if (p == end) {
			*pp = p;
			return 0;
		}
		if (*p != ';')
			break;
	}
	out->name = p;
	while (p < end && is_tchar((unsigned char)*p))
		p++;
	out->name_len = (size_t)(p - out->name);
	if (out->name_len == 0)
		return -1;
	while (p < end && is_ws((unsigned char)*p))
		p++;
	if (p == end || *p != '=')
		return -1;
	p++;
	while (p < end && is_ws((unsigned char)*p))
		p++;
	if (read_param_value(a, &p, end, &out->value, &out->value_len))
		return -1;
	*pp = p;
	return 1;
}

/* ---- multipart ---- */

/* RFC 2046 bchars. */
static bool is_bchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c && strchr("'()+_,-./:=? ", c) != NULL;
}

/* Takes the boundary from a Content-Type header value. */
static int multipart_boundary(arena *a, const char *ct, char **boundary, size_t *blen,
                              const char **err)
{
	if (!ct) {
		*err = ERR_MP_TYPE;
		return -1;
	}
	const char *p = ct, *end = ct + strlen(ct);
	while (p < end && is_ws((unsigned char)*p))
		p++;
	const char *type = p;
	while (p < end && (is_tchar((unsigned char)*p) || *p == '/'))
		p++;
	if (!span_eq_ci(type, (size_t)(p - type), "multipart/form-data")) {
		*err = ERR_MP_TYPE;
		return -1;
	}
	*boundary = NULL;
	struct param prm;
	int r;
	while ((r = next_param(a, &p, end, &prm)) == 1) {
		if (!span_eq_ci(prm.name, prm.name_len, "boundary"))
			continue;
		if (*boundary) {
			/* Two boundaries: which one a proxy used is anyone's guess. */
			*err = ERR_MP_CTYPE;
			return -1;
		}
		*boundary = prm.value;
		*blen = prm.value_len;
	}
	if (r < 0) {
		*err = ERR_MP_CTYPE;
		return -1;
	}
	if (!*boundary) {
		*err = ERR_MP_NO_BOUNDARY;
		return -1;
	}
	if (*blen < 1 || *blen > MP_MAX_BOUNDARY || (*boundary)[*blen - 1] == ' ') {
		*err = ERR_MP_BAD_BOUNDARY;
		return -1;
	}
	for (size_t i = 0; i < *blen; i++) {
		if (!is_bchar((unsigned char)(*boundary)[i])) {
			*err = ERR_MP_BAD_BOUNDARY;
			return -1;
		}
	}
	return 0;
}

/* What follows "--boundary": "--" closes the body (1), optional white space
 * and CRLF start another part (0, *pp after the CRLF); anything else is an
 * error (-1). */
static int after_delimiter(const char **pp, const char *end, const char **err)
{
	const char *p = *pp;
	if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
		*pp = p + 2; /* the epilogue after it is ignored */
		return 1;
	}
	while (p < end && is_ws((unsigned char)*p))
		p++;
	if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
		*pp = p + 2;
		return 0;
	}
	if (p < end && *p == '\n')
		*err = ERR_MP_CRLF;
	else if (p == end)
		*err = ERR_MP_NO_CLOSE;
	else
		*err = ERR_MP_DELIM_LINE;
	return -1;
}

struct part_head {
	char *name;
	char *filename;
	char *content_type;
};

static int content_disposition(arena *a, const char *v, const char *end, struct part_head *h,
                               const char **err)
{
	const char *p = v;
	while (p < end && is_tchar((unsigned char)*p))
		p++;
	if (!span_eq_ci(v, (size_t)(p - v), "form-data")) {
		*err = p == v ? ERR_MP_CD : ERR_MP_NOT_FORM;
		return -1;
	}
	struct param prm;
	int r;
	while ((r = next_param(a, &p, end, &prm)) == 1) {
		char **slot;
		if (span_eq_ci(prm.name, prm.name_len, "name"))
			slot = &h->name;
		else if (span_eq_ci(prm.name, prm.name_len, "filename"))
			slot = &h->filename;
		else
			continue; /* filename* and the like: RFC 7578 section 4.2 */
		if (*slot) {
			*err = ERR_MP_CD;
			return -1;
		}
		*slot = prm.value;
		if (!util_utf8_clean(prm.value, prm.value_len)) {
			*err = slot == &h->name ? ERR_MP_NAME_UTF8 : ERR_MP_FILENAME;
			return -1;
		}
	}
	if (r < 0) {
		*err = ERR_MP_CD;
		return -1;
	}
	if (!h->name || !*h->name) {
		*err = ERR_MP_NO_NAME;
		return -1;
	}
	return 0;
}

/* Reads the header lines of one part, up to and including the empty line. */
static int part_headers(arena *a, const char **pp, const char *end, struct part_head *h,
                        const char **err)
{
	const char *p = *pp;
	int count = 0;
	bool have_cd = false;
	h->name = h->filename = h->content_type = NULL;
	for (;;) {
		size_t window = (size_t)(end - p);
		if (window > MP_MAX_HEADER_LINE + 2)
			window = MP_MAX_HEADER_LINE + 2;
		const char *eol = memchr(p, '\n', window);
		if (!eol) {
			*err = window == MP_MAX_HEADER_LINE + 2 ? ERR_MP_HEADER_LONG
			                                        : ERR_MP_NO_CLOSE;
			return -1;
		}
		if (eol == p || eol[-1] != '\r') {
			*err = ERR_MP_CRLF;
			return -1;
		}
		const char *line = p, *line_end = eol - 1;
		p = eol + 1;
		if (line == line_end)
			break;
		if (++count > MP_MAX_HEADERS) {
			*err = ERR_MP_HEADERS;
			return -1;
		}
		const char *colon = line;
		while (colon < line_end && is_tchar((unsigned char)*colon))
			colon++;
		if (colon == line || colon == line_end || *colon != ':') {
			/* Also refuses obsolete line folding (a line starting
			 * with white space), which RFC 7578 does not use. */
			*err = ERR_MP_HEADER;
			return -1;
		}
		const char *v = colon + 1, *v_end = line_end;
		while (v < v_end && is_ws((unsigned char)*v))
			v++;
		while (v_end > v && is_ws((unsigned char)v_end[-1]))
			v_end--;
		if (span_eq_ci(line, (size_t)(colon - line), "Content-Disposition")) {
			if (have_cd) {
				*err = ERR_MP_CD;
				return -1;
			}
			have_cd = true;
			if (content_disposition(a, v, v_end, h, err))
				return -1;
		} else if (span_eq_ci(line, (size_t)(colon - line), "Content-Type")) {
			if (h->content_type || v == v_end) {
				*err = ERR_MP_PART_CTYPE;
				return -1;
			}
			for (const char *c = v; c < v_end; c++) {
				if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f) {
					*err = ERR_MP_PART_CTYPE;
					return -1;
				}
			}
			h->content_type = arena_strndup(a, v, (size_t)(v_end - v));
		}
		/* Other headers (Content-Transfer-Encoding...) are ignored. */
	}
	if (!have_cd) {
		*err = ERR_MP_NO_CD;
		return -1;
	}
	*pp = p;
	return 0;
}

int parse_multipart(arena *a, const char *content_type, const char *data, size_t len,
                    struct kvlist *out, const char **err)
{
	assert(a && out && err && (data || len == 0));
	kvlist_init(out);
	char *boundary = NULL;
	size_t blen = 0;
	if (multipart_boundary(a, content_type, &boundary, &blen, err))
		goto fail;
	if (len == 0) {
		*err = ERR_MP_NO_DELIM;
		goto fail;
	}

	/* delim is CRLF "--" boundary; the first one may lack its CRLF when
	 * there is no preamble. */
	size_t dlen = blen + 4;
	char *delim = arena_alloc(a, dlen + 1);
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen);
	delim[dlen] = '\0';

	const char *p, *end = data + len;
	if (len >= dlen - 2 && memcmp(data, delim + 2, dlen - 2) == 0) {
		p = data + dlen - 2;
	} else {
		const char *q = memmem(data, len, delim, dlen);
		if (!q) {
			*err = memmem(data, len, delim + 1, dlen - 1) ? ERR_MP_CRLF
			                                              : ERR_MP_NO_DELIM;
			goto fail;
		}
		p = q + dlen;
	}
	int r = after_delimiter(&p, end, err);
	if (r < 0)
		goto fail;
	while (r == 0) {
		if (out->n >= PARSE_MAX_FIELDS) {
			*err = ERR_MP_PARTS;
			goto fail;
		}
		struct part_head h;
		if (part_headers(a, &p, end, &h, err))
			goto fail;
		const char *q = memmem(p, (size_t)(end - p), delim, dlen);
		if (!q) {
			*err = ERR_MP_NO_CLOSE;
			goto fail;
		}
		size_t vlen = (size_t)(q - p);
		if (!h.filename && !util_utf8_clean(p, vlen)) {
			*err = ERR_MP_VALUE_UTF8;
			goto fail;
		}
		kv_add(a, out, h.name, arena_strndup(a, p, vlen), vlen);
		if (h.filename) {
			struct kv *f = &out->items[out->n - 1];
			f->filename = h.filename;
			f->content_type =
			        h.content_type ? h.content_type : "application/octet-stream";
		}
		p = q + dlen;
		r = after_delimiter(&p, end, err);
		if (r < 0)
			goto fail;
	}
	return 0;
fail:
	kvlist_init(out);
	return -1;
}

/* ---- cookies ---- */

/* One "name=value" of a Cookie header; malformed pairs are dropped. */
static void cookie_pair(arena *a, const char *s, const char *e, struct kvlist *out)
{
	while (s < e && is_ws((unsigned char)*s))
		s++;
	while (e > s && is_ws((unsigned char)e[-1]))
		e--;
	const char *eq = memchr(s, '=', (size_t)(e - s));
	if (!eq)
		return;
	const char *ne = eq;
	while (ne > s && is_ws((unsigned char)ne[-1]))
		ne--;
	if (ne == s)
		return;
	for (const char *c = s; c < ne; c++)
		if (!is_tchar((unsigned char)*c))
			return;
	const char *v = eq + 1;
	while (v < e && is_ws((unsigned char)*v))
		v++;
	if (e - v >= 2 && *v == '"' && e[-1] == '"')
		v++, e--;
	for (const char *c = v; c < e; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c == 0x7f)
			return;
	if (!util_utf8_clean(v, (size_t)(e - v)))
		return;
	kv_add(a, out, arena_strndup(a, s, (size_t)(ne - s)), arena_strndup(a, v, (size_t)(e - v)),
	       (size_t)(e - v));
}

int parse_cookies(arena *a, const char *header, struct kvlist *out)
{
	assert(a && out);
	kvlist_init(out);
	if (!header)
		return 0;
	const char *p = header;
	while (*p && out->n < PARSE_MAX_FIELDS) {
		size_t n = strcspn(p, ";");
		cookie_pair(a, p, p + n, out);
		p += n;
		if (*p == ';')
			p++;
	}
	return (int)out->n;
}

/* ---- JSON ---- */

/* True when the brackets of data nest deeper than PARSE_MAX_JSON_DEPTH.
 * Checked before jansson parses, so a deep body costs no allocations; exact
 * for valid JSON, and invalid JSON is refused by jansson anyway. */
static bool json_too_deep(const char *data, size_t len)
{
	int depth = 0;
	bool in_string = false, escaped = false;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			if (++depth > PARSE_MAX_JSON_DEPTH)
				return true;
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return false;
}

int parse_json_body(const char *data, size_t len, json_t **out, const char **err)
{
	assert(out && err && (data || len == 0));
	*out = NULL;
	if (len == 0) {
		*err = ERR_JSON_EMPTY;
		return -1;
	}
	if (json_too_deep(data, len)) {
		*err = ERR_JSON_DEEP;
		return -1;
	}
	/* Without JSON_DISABLE_EOF_CHECK jansson refuses anything but white
	 * space after the value; JSON_DECODE_ANY lets a bare scalar through so
	 * that it gets the clearer "must be an object" message. */
	json_error_t jerr;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!j) {
		*err = json_error_code(&jerr) == json_error_duplicate_key ? ERR_JSON_DUP
		                                                          : ERR_JSON_SYNTAX;
		return -1;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		*err = ERR_JSON_OBJECT;
		return -1;
	}
	*out = j;
	return 0;
}
