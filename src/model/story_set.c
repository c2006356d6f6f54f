/* story_set.c: analysts' tags on stories and named sets of stories (019_story_sets.sql). */
#include "model/story_set.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Clean text on one line: valid UTF-8 without control characters. */
static int one_line(const char *s, size_t n)
{
	if (!util_utf8_clean(s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

const char *story_tags_parse(const char *text, char tags[STORY_TAGS_MAX][STORY_TAG_MAX + 1], int *n)
{
	assert(tags && n);
	*n = 0;
	const char *p = text ? text : "";
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *a = p, *z = p + len;
		while (a < z && (*a == ' ' || *a == '\t'))
			a++;
		while (z > a && (z[-1] == ' ' || z[-1] == '\t'))
			z--;
		size_t tl = (size_t)(z - a);
		if (tl > 0) {
			if (tl > STORY_TAG_MAX)
				return N_("A tag can be at most 40 characters long.");
			if (!one_line(a, tl))
				return N_("A tag can only hold plain text.");
			int seen = 0;
			for (int i = 0; i < *n; i++)
				if (strlen(tags[i]) == tl && memcmp(tags[i], a, tl) == 0)
					seen = 1;
			if (!seen) {
				if (*n >= STORY_TAGS_MAX)
					return N_("A story can have at most 10 tags.");
				memcpy(tags[*n], a, tl);
				tags[*n][tl] = '\0';
				(*n)++;
			}
		}
		if (!end)
			break;
		p = end + 1;
	}
	return NULL;
}

const char *story_set_name_check(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0)
		return N_("Give the set a name.");
	if (n > STORY_SET_NAME_MAX)
		return N_("A set's name can be at most 80 characters long.");
	if (!one_line(name, n))
		return N_("A set's name can only hold plain text.");
	return NULL;
}

/* 1 when story id belongs to the collection, 0 when not, < 0 on error. */
static int story_in(db *d, int64_t collection_id, int64_t story_id)
{
	db_stmt *s = db_prepare(d, "SELECT 1 FROM stories WHERE id = :id AND collection_id = :c");
	db_bind_int(s, "id", story_id);
	db_bind_int(s, "c", collection_id);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

int story_tags_write(db *d, void *ctx)
{
	struct story_tags_job *j = ctx;
	assert(j && j->n >= 0 && j->n <= STORY_TAGS_MAX);
	int in = story_in(d, j->collection_id, j->story_id);
	j->found = in > 0;
	if (in <= 0)
		return in < 0 ? in : DB_OK;
	db_stmt *s = db_prepare(d, "DELETE FROM story_tags WHERE story_id = :id");
	db_bind_int(s, "id", j->story_id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERROR;
	for (int i = 0; i < j->n; i++) {
		s = db_prepare(d, "INSERT INTO story_tags (story_id, tag, created_by, created_at) "
		                  "VALUES (:id, :tag, :user, :now)");
		db_bind_int(s, "id", j->story_id);
		db_bind_text(s, "tag", j->tags[i]);
		if (j->user_id)
			db_bind_int(s, "user", j->user_id);
		else
			db_bind_null(s, "user");
		db_bind_int(s, "now", clock_now());
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc < 0 ? rc : DB_ERROR;
	}
	return DB_OK;
}

int story_set_add_write(db *d, void *ctx)
{
	struct story_set_add_job *j = ctx;
	assert(j);
	j->set_added = 0;
	int in = story_in(d, j->collection_id, j->story_id);
	j->found = in > 0;
	if (in <= 0)
		return in < 0 ? in : DB_OK;
	db_stmt *s;
	int rc;
	if (j->set_id == 0) {
		s = db_prepare(
		        d, "INSERT INTO story_sets (collection_id, name, created_by, "
		           "created_at) VALUES (:c, :name, :user, :now) ON CONFLICT DO NOTHING");
		db_bind_int(s, "c", j->collection_id);
		db_bind_text(s, "name", j->name);
		if (j->user_id)
			db_bind_int(s, "user", j->user_id);
		else
			db_bind_null(s, "user");
		db_bind_int(s, "now", clock_now());
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc < 0 ? rc : DB_ERROR;
		s = db_prepare(
		        d, "SELECT id FROM story_sets WHERE collection_id = :c AND name = :name");
		db_bind_int(s, "c", j->collection_id);
		db_bind_text(s, "name", j->name);
	} else {
		s = db_prepare(d,
		               "SELECT id FROM story_sets WHERE collection_id = :c AND id = :id");
		db_bind_int(s, "c", j->collection_id);
		db_bind_int(s, "id", j->set_id);
	}
	rc = db_step(s);
	if (rc == DB_ROW)
		j->set_added = db_col_int(s, 0);
	db_finalize(s);
	if (rc == DB_DONE) {
		j->found = 0;
		return DB_OK;
	}
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERROR;
	s = db_prepare(d, "INSERT INTO story_set_items (set_id, story_id, added_at) "
	                  "VALUES (:set, :story, :now) ON CONFLICT DO NOTHING");
	db_bind_int(s, "set", j->set_added);
	db_bind_int(s, "story", j->story_id);
	db_bind_int(s, "now", clock_now());
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

int story_set_remove_write(db *d, void *ctx)
{
	struct story_set_remove_job *j = ctx;
	assert(j);
	db_stmt *s = db_prepare(d, "DELETE FROM story_set_items WHERE story_id = :story AND "
	                           "set_id = (SELECT id FROM story_sets WHERE id = :set AND "
	                           "collection_id = :c) RETURNING story_id");
	db_bind_int(s, "story", j->story_id);
	db_bind_int(s, "set", j->set_id);
	db_bind_int(s, "c", j->collection_id);
	int rc = db_step(s);
	j->found = rc == DB_ROW;
	while (rc == DB_ROW)
		rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERROR;
}

json_t *story_tags_of(db *d, int64_t story_id)
{
	db_stmt *s = db_prepare(d, "SELECT tag FROM story_tags WHERE story_id = :id ORDER BY tag");
	db_bind_int(s, "id", story_id);
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		json_array_append_new(out, json_string(db_col_text(s, 0)));
	db_finalize(s);
	if (rc != DB_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *story_sets_list(db *d, int64_t collection_id)
{
	db_stmt *s = db_prepare(d, "SELECT t.id, t.name, (SELECT COUNT(*) FROM story_set_items i "
	                           "WHERE i.set_id = t.id) FROM story_sets t "
	                           "WHERE t.collection_id = :c ORDER BY t.name");
	db_bind_int(s, "c", collection_id);
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(s)) == DB_ROW)
		json_array_append_new(out, json_pack("{s:I, s:s, s:I}", "id",
		                                     (json_int_t)db_col_int(s, 0), "name",
		                                     db_col_text(s, 1), "stories",
		                                     (json_int_t)db_col_int(s, 2)));
	db_finalize(s);
	if (rc != DB_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int story_set_name(db *d, int64_t collection_id, int64_t set_id, char name[STORY_SET_NAME_MAX + 1])
{
	db_stmt *s =
	        db_prepare(d, "SELECT name FROM story_sets WHERE id = :id AND collection_id = :c");
	db_bind_int(s, "id", set_id);
	db_bind_int(s, "c", collection_id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		snprintf(name, STORY_SET_NAME_MAX + 1, "%s", db_col_text(s, 0));
	db_finalize(s);
	return rc;
}

int story_set_stories(db *d, int64_t set_id, int64_t **ids, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT story_id FROM story_set_items WHERE set_id = :set "
	                           "ORDER BY added_at DESC, story_id DESC");
	db_bind_int(s, "set", set_id);
	int rc = db_collect_ids(s, ids, n);
	db_finalize(s);
	return rc;
}
