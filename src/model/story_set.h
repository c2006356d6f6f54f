/* story_set.h: analysts' tags on stories and named sets of stories (019_story_sets.sql). */
#ifndef VP_STORY_SET_H
#define VP_STORY_SET_H

#include "db/db.h"

#include <jansson.h>
#include <stdint.h>

enum {
	STORY_TAG_MAX = 40,      /* bytes of one tag */
	STORY_TAGS_MAX = 10,     /* tags on one story */
	STORY_SET_NAME_MAX = 80, /* bytes of a set's name */
};

/* The tags in text (separated by commas; spaces around them dropped; the
 * same tag twice kept once) into tags; *n of them. NULL when fine, else an
 * English message id: a tag too long, too many, or not clean text. An
 * empty text is no tags. */
const char *story_tags_parse(const char *text, char tags[STORY_TAGS_MAX][STORY_TAG_MAX + 1],
                             int *n);
/* NULL when name can be a set's name (1..STORY_SET_NAME_MAX bytes of clean
 * text, on one line), else an English message id. */
const char *story_set_name_check(const char *name);

/* Writer jobs. Each first checks that the story (and the set) belongs to
 * collection_id: found = 0 when not, and nothing changes. */

/* Replaces the tags of a story with tags[0..n). */
struct story_tags_job {
	int64_t collection_id, story_id, user_id;
	int n;
	char tags[STORY_TAGS_MAX][STORY_TAG_MAX + 1];
	int found; /* out */
};
int story_tags_write(db *d, void *ctx);

/* Adds a story to set set_id, or (set_id 0) to the set called name, made
 * when there is none. */
struct story_set_add_job {
	int64_t collection_id, story_id, user_id, set_id;
	char name[STORY_SET_NAME_MAX + 1];
	int found;         /* out */
	int64_t set_added; /* out: the set's id */
};
int story_set_add_write(db *d, void *ctx);

/* Takes a story out of a set (found = 0 when it was not in it). */
struct story_set_remove_job {
	int64_t collection_id, set_id, story_id;
	int found; /* out */
};
int story_set_remove_write(db *d, void *ctx);

/* ---- reading ------------------------------------------------------------ */

/* The tags of a story, in the order of their text: a JSON array of
 * strings (json_decref it), or NULL on a database error. */
json_t *story_tags_of(db *d, int64_t story_id);
/* The collection's sets: [{"id", "name", "stories"}] by name (json_decref
 * it), or NULL on a database error. */
json_t *story_sets_list(db *d, int64_t collection_id);
/* The name of set set_id of the collection into name. DB_ROW, DB_DONE when
 * there is no such set, or an error. */
int story_set_name(db *d, int64_t collection_id, int64_t set_id, char name[STORY_SET_NAME_MAX + 1]);
/* The story ids of a set, last added first (malloc'ed into *ids, free()).
 * Returns DB_OK or an error. */
int story_set_stories(db *d, int64_t set_id, int64_t **ids, size_t *n);

#endif
