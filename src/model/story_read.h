/* story_read.h: a stored story read back for the explorer (its answers, when and how it came in, its teller's code). */
#ifndef VP_STORY_READ_H
#define VP_STORY_READ_H

#include "db/db.h"

#include <jansson.h>
#include <stdint.h>

struct story_read {
	int64_t id;
	int64_t created_at; /* unix seconds */
	char channel[16];
	char receipt[16];
	char participant_code[64]; /* "" when told without a code */
	json_t *answers;           /* the teller's answers (an object) */
	json_t *professional;      /* the professional's, or NULL */
};

/* Story id of collection collection_id into out. Returns DB_ROW, DB_DONE
 * when there is no such story in that collection, or a db_rc error. Free
 * with story_read_free (also after DB_DONE). */
int story_read_one(db *d, int64_t collection_id, int64_t id, struct story_read *out);
void story_read_free(struct story_read *s);

#endif
