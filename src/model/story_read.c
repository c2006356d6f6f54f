/* story_read.c: a stored story read back for the explorer (its answers, when and how it came in, its teller's code). */
#include "model/story_read.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

int story_read_one(db *d, int64_t collection_id, int64_t id, struct story_read *out)
{
	assert(d && out);
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT s.created_at, s.channel, s.receipt, p.code, s.answers, "
	                           "s.professional FROM stories s "
	                           "LEFT JOIN participants p ON p.id = s.participant_id "
	                           "WHERE s.id = :id AND s.collection_id = :c");
	db_bind_int(s, "id", id);
	db_bind_int(s, "c", collection_id);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		out->id = id;
		out->created_at = db_col_int(s, 0);
		snprintf(out->channel, sizeof out->channel, "%s", db_col_text(s, 1));
		snprintf(out->receipt, sizeof out->receipt, "%s", db_col_text(s, 2));
		if (!db_col_is_null(s, 3))
			snprintf(out->participant_code, sizeof out->participant_code, "%s",
			         db_col_text(s, 3));
		out->answers = json_loads(db_col_text(s, 4), 0, NULL);
		if (!db_col_is_null(s, 5))
			out->professional = json_loads(db_col_text(s, 5), 0, NULL);
		if (!json_is_object(out->answers)) {
			json_decref(out->answers);
			out->answers = json_object();
		}
	}
	db_finalize(s);
	return rc;
}

void story_read_free(struct story_read *s)
{
	if (!s)
		return;
	json_decref(s->answers);
	json_decref(s->professional);
	s->answers = s->professional = NULL;
}
