/* parse.h: parsers of outside input: urlencoded forms, multipart forms, cookies, JSON bodies. */
#ifndef VP_PARSE_H
#define VP_PARSE_H

#include "core/arena.h"

#include <jansson.h>
#include <stddef.h>

/* One field of a form or one cookie. name and value are NUL-terminated
 * copies in the arena; value_len allows binary file contents (multipart)
 * with embedded NULs. filename and content_type are set only for multipart
 * file parts (else NULL). */
struct kv {
	const char *name;
	const char *value;
	size_t value_len;
	const char *filename;
	const char *content_type;
};

struct kvlist {
	struct kv *items;
	size_t n;
	size_t cap;
};

enum {
	PARSE_MAX_FIELDS = 1000,  /* more fields than this is refused */
	PARSE_MAX_JSON_DEPTH = 32 /* deeper JSON is refused */
};

/* All parsers: memory from the arena, nothing to free. Return 0 on success,
 * or -1 and set *err to a short English message (a string literal) that the
 * caller turns into a 400 response. They never abort on bad input. Input is
 * read up to len only (it need not be NUL-terminated). *out is overwritten
 * (not appended to) and is empty after an error, never partly filled. */

/* application/x-www-form-urlencoded (also query strings): '+' is a space,
 * %XX escapes are decoded; a bad escape, a NUL, invalid UTF-8 or more than
 * PARSE_MAX_FIELDS fields is an error. A field without '=' has value "".
 * Fields are separated by '&' only (not ';'); empty segments ("a=1&&b=2")
 * are skipped; "=v" gives a field with name "". Names and values must pass
 * util_utf8_clean (so tab, CR and LF are allowed, other controls are not). */
int parse_urlencoded(arena *a, const char *data, size_t len, struct kvlist *out, const char **err);

/* multipart/form-data (RFC 7578). content_type is the request's whole
 * Content-Type header value, from which the boundary is taken. Parts need a
 * Content-Disposition: form-data; name="..." header; filename="..." marks a
 * file part. A missing boundary, a part without a name, a missing closing
 * delimiter or more than PARSE_MAX_FIELDS parts is an error. Field (non
 * file) values must be valid UTF-8.
 *
 * Details: the boundary parameter (any case, quoted or not) must be 1..70
 * RFC 2046 bchars and appear once. Lines must end in CRLF: a body with bare
 * LF line endings is refused with its own message (browsers always send
 * CRLF, and guessing invites ambiguity). A preamble before the first
 * delimiter and an epilogue after the closing "--boundary--" are ignored;
 * white space after a delimiter is allowed; "--boundary" followed by other
 * text is an error. Each part may have at most 16 header lines of at most
 * 1024 bytes; folded header lines are refused. In quoted parameter values
 * \" and \\ are escapes and any other backslash is kept as is (browsers do
 * not escape backslashes in file names). filename is as sent (it may be ""
 * or hold a path): never use it as a path. A file part's content_type is its
 * Content-Type header or "application/octet-stream"; a field's Content-Type
 * header is ignored. Other part headers are ignored. */
int parse_multipart(arena *a, const char *content_type, const char *data, size_t len,
                    struct kvlist *out, const char **err);

/* The Cookie request header (RFC 6265 section 5.4): "a=b; c=d". Pairs that
 * are malformed are skipped, not fatal (browsers send what they have);
 * surrounding double quotes of a value are removed. Returns the number of
 * cookies kept (>= 0). Spaces and tabs around names and values are trimmed;
 * a pair is malformed when it has no '=', an empty name, a name that is not
 * an RFC 9110 token, or a value with control characters or invalid UTF-8.
 * header may be NULL (no cookies). Cookies after the first
 * PARSE_MAX_FIELDS are ignored. Duplicates are kept in order. */
int parse_cookies(arena *a, const char *header, struct kvlist *out);

/* A JSON request body: must be one UTF-8 JSON object (the envelope), at most
 * PARSE_MAX_JSON_DEPTH deep, no duplicate keys, nothing after it. On success
 * *out holds a new reference the caller must json_decref; on error *out is
 * NULL. Depth counts containers: {} is 1, {"a":[]} is 2. \u0000 in strings
 * is refused. */
int parse_json_body(const char *data, size_t len, json_t **out, const char **err);

/* The first value for name, or NULL. */
const char *kv_get(const struct kvlist *l, const char *name);
const struct kv *kv_find(const struct kvlist *l, const char *name);
/* Appends one pair (used by the parsers; copies nothing). The item array
 * grows by doubling in the arena a; l must start as {0} or come from a
 * parser that used the same arena. */
void kv_add(arena *a, struct kvlist *l, const char *name, const char *value, size_t value_len);

/* Decodes %XX and '+' in place for a query-string component, the way
 * parse_urlencoded does. Returns -1 on a bad escape or NUL (then s is left
 * partly decoded). On success *len is the new length and s[*len] is '\0', so
 * s[*len] must be writable on entry (e.g. s is a NUL-terminated copy). It
 * does not check UTF-8: do that with util_utf8_clean. */
int url_decode_inplace(char *s, size_t *len);

#endif
