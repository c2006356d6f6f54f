/* descriptor.c: participant descriptors (questions asked once per person): the answers a participant gave before, carried into a new story. */
#include "model/descriptor.h"

#include "model/story_draft.h"

#include <assert.h>
#include <string.h>

/* The descriptors of s still without an answer in out. */
static int missing(const struct script *s, json_t *out)
{
	int n = 0;
	for (int i = 0; i < s->nquestions; i++)
		if (s->questions[i]->once_per_person && !json_object_get(out, s->questions[i]->id))
			n++;
	return n;
}

int descriptor_carry(db *d, const struct script *s, int64_t org_id, int64_t participant_id,
                     json_t *out)
{
	assert(d && s && out && json_is_object(out));
	if (participant_id <= 0 || !missing(s, out))
		return 0;
	db_stmt *st = db_prepare(d, "SELECT s.answers, s.professional FROM stories s "
	                            "JOIN collections c ON c.id = s.collection_id "
	                            "WHERE s.participant_id = :p AND c.org_id = :org "
	                            "ORDER BY s.created_at DESC, s.id DESC");
	db_bind_int(st, "p", participant_id);
	db_bind_int(st, "org", org_id);
	int rc = DB_DONE, carried = 0;
	while (missing(s, out) && (rc = db_step(st)) == DB_ROW) {
		json_t *given[2] = {
		        json_loads(db_col_text(st, 0), 0, NULL),
		        db_col_is_null(st, 1) ? NULL : json_loads(db_col_text(st, 1), 0, NULL)};
		for (int i = 0; i < s->nquestions; i++) {
			const struct question *q = s->questions[i];
			if (!q->once_per_person || json_object_get(out, q->id))
				continue;
			json_t *from = given[q->perspective == PERSPECTIVE_PROFESSIONAL];
			json_t *v = from ? json_object_get(from, q->id) : NULL;
			struct answer_error e;
			if (!v || story_draft_check_one(q, v, &e) != 0)
				continue;
			json_object_set(out, q->id, v);
			carried++;
		}
		json_decref(given[0]);
		json_decref(given[1]);
	}
	if (!missing(s, out))
		rc = DB_DONE;
	db_finalize(st);
	return rc == DB_DONE ? carried : (rc < 0 ? rc : -1);
}
