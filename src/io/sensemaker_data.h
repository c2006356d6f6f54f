/* sensemaker_data.h: the stories of a SenseMaker data export (*_Data.csv) as submissions to the script its definition became. */
#ifndef VP_SENSEMAKER_DATA_H
#define VP_SENSEMAKER_DATA_H

#include "core/buf.h"
#include "io/csv.h"
#include "model/script.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* One story of the export. */
struct sm_story {
	json_t *body;       /* a submission for story_prepare (owned) */
	int64_t created_at; /* server_upload_time in seconds; 0 when absent */
	char *responder;    /* responder_id, or NULL (malloc'ed) */
	size_t row;         /* the row in the file, the header being row 1 */
	size_t line;        /* the line of the file the row starts on, from 1 */
};

struct sm_data {
	size_t n;
	struct sm_story *stories;
	json_t *skipped; /* [{"column", "reason"}]: columns not imported (owned) */
	/* Rows left out by sensemaker_data_read_skipping: [{"row", "line",
	 * "column", "question", "reason"}] (column, question null when the row
	 * as a whole is wrong); an empty array after sensemaker_data_read
	 * (owned). */
	json_t *bad;
};

/* Reads the export t (header and rows, as csv_read gives them) against
 * the script sensemaker_to_script made of its definition: signifier ids
 * are question ids, item, label and stone ids option, corner, pole and
 * stone ids. The column layout is that of tests/fixtures/sensemaker/
 * README.md. What each column becomes:
 *
 * - `<list>`: the chosen item's id; `<list>_<item>`: 1 when chosen;
 * - `<freetext>`: the text; the story question's becomes {"prompt": its
 *   first prompt, "text"};
 * - `<triad>_<corner>`: the corner weights, normalised to sum 1;
 *   `<triad>_NA` 1: not applicable (null); `_percentX`, `_percentY` are
 *   the same position again and not read;
 * - `<dyad>_percentX` 0..1: the answer 0..100; `<dyad>_NA`; the pole
 *   columns repeat percentX and are not read;
 * - `<stones>_<stone>_percentX`, `_percentY` 0..1: the stone at 0..100
 *   on both axes. SenseMaker's y grows upwards (a triad's top weight is
 *   its percentY), like ours (0 = the y axis's start label, low);
 * - `id` (a UUID, else a stable UUID derived from it and salt),
 *   `language`, `server_upload_time` (ms), `responder_id`.
 *
 * Every other column (project_id, version, meta_*, items the script left
 * out) goes into skipped with its reason; nothing is guessed. Returns 0, or
 * -1 with "row N, column C: ..." in err. salt: the definition's id. */
int sensemaker_data_read(const struct script *s, int script_version, const char *salt,
                         const struct csv_table *t, struct sm_data *out, char *err, size_t errlen);
/* The same, except that a row that cannot be read (a row with another
 * number of fields than the header, a cell that is not valid UTF-8, not a
 * time, not a number from 0 to 1, a triad without its three weights...)
 * does not refuse the file: it goes into out->bad and the other rows are
 * read. -1 only for what is wrong with the file itself (a column twice). */
int sensemaker_data_read_skipping(const struct script *s, int script_version, const char *salt,
                                  const struct csv_table *t, struct sm_data *out, char *err,
                                  size_t errlen);
void sensemaker_data_free(struct sm_data *d);

#endif
