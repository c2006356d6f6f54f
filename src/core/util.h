/* util.h: small helpers without a better home: random tokens, hex, comparisons. */
#ifndef VP_UTIL_H
#define VP_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Fills out with 2*nbytes hex chars of fresh randomness (libsodium) + NUL.
 * nbytes <= 64. */
void util_random_hex(char *out, size_t nbytes);
/* Hex of the BLAKE2b-256 hash of s (65 bytes out). Used to store session ids
 * and tokens so a database copy does not hold usable secrets. */
void util_hash_hex(const char *s, char out[65]);
void util_hex(const unsigned char *in, size_t n, char *out);
/* Constant-time string equality (different lengths compare unequal). */
int util_streq_ct(const char *a, const char *b);
/* Parses a decimal int64 strictly (whole string). Returns 0 on success. */
int util_parse_i64(const char *s, int64_t *out);
/* Parses a positive database id (1..2^63-1) strictly. Returns 0 on success. */
int util_parse_id(const char *s, int64_t *out);
/* 1 when s is valid UTF-8 with no NUL and no C0 controls except \t\n\r. */
int util_utf8_clean(const char *s, size_t n);
/* 1 when s is non-empty clean UTF-8 of at most max_chars characters
 * (counted generously as 4 bytes each). */
int util_text_ok(const char *s, size_t max_chars);
/* 1 when s is NULL or only spaces, tabs and line ends. */
int util_blank(const char *s);
/* A readable key from a title, for URLs and file names: lower-case a-z
 * and 0-9, Latin accents dropped ("Café in Oost" -> "cafe-in-oost"),
 * anything else one '-'; at most outsize - 1 bytes; fallback when nothing
 * is left. */
void util_slug(const char *title, char *out, size_t outsize, const char *fallback);

#endif
