/* story_csv.h: stories as CSV (docs/formats.md, "Stories as CSV"): one row to one submission. */
#ifndef VP_STORY_CSV_H
#define VP_STORY_CSV_H

#include "model/script.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* One cell decoded into the answer form of question q (not for story
 * questions, whose text, prompt and title come from three columns, nor
 * for a pin's note). Returns 0 with *out a new reference (json null for
 * "NA") or *out NULL for an empty cell (unanswered); -1 with a message in
 * err when the cell cannot be an answer. The answer itself is judged by
 * script_check_answers later; this only reads the spreadsheet form. */
int story_csv_cell(const struct question *q, const char *cell, json_t **out, char *err,
                   size_t errlen);

/* Checks a header row: every column is id, told_at, channel, language, a
 * question id, or QID.prompt / QID.title (story) / QID.note (pin) of one;
 * no column twice. Returns -1 with the column named in err. */
int story_csv_header(const struct script *s, char *const *col, size_t n, char *err, size_t errlen);

/* One row as a submission body for story_prepare ({"id", "channel",
 * "script_version", "language", "answers", "professional"}), a new
 * reference. The id is the row's id column or, without one, a UUID
 * derived from salt and the row's columns and cells (the same row gives
 * the same id). *told_at gets the told_at column as seconds since 1970
 * (UTC), 0 when absent. Returns NULL with the column (question id or
 * column name) in bad_col and a message in err. */
json_t *story_csv_row(const struct script *s, int script_version, const char *salt,
                      char *const *col, char *const *cell, size_t n, int64_t *told_at,
                      char *bad_col, size_t bad_len, char *err, size_t errlen);

/* A UUID (version 8, RFC 9562) from the BLAKE2b hash of data[0..len). */
void story_csv_derive_uuid(const void *data, size_t len, char out[37]);

#endif
