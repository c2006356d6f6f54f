/* method.h: the catalogue of methods (werkvormen): reading, checking and saving them. */
#ifndef VP_METHOD_H
#define VP_METHOD_H

#include "core/arena.h"
#include "core/buf.h"
#include "db/db.h"

#include <stddef.h>
#include <stdint.h>

/* Lengths in characters (UTF-8 may take up to 4 bytes each). */
enum {
	METHOD_SLUG_MAX = 56,
	METHOD_NAME_MAX = 120,
	METHOD_TEXT_MAX = 2000,  /* goal, target group */
	METHOD_SHORT_MAX = 200,  /* participants, interaction */
	METHOD_ITEM_MAX = 1000,  /* one step or one tip */
	METHOD_ITEMS_MAX = 20,   /* steps, and tips, per method */
	METHOD_ERRORS_MAX = 16,  /* what method_check reports at most */
	METHOD_SEEDED_COUNT = 6, /* the methods of 015_methods.sql */
};

/* The rungs of the participation ladder, lowest first. */
enum method_rung {
	RUNG_INFORMEREN,
	RUNG_RAADPLEGEN,
	RUNG_ADVISEREN,
	RUNG_COPRODUCEREN,
	RUNG_MEEBESLISSEN,
	RUNG_ZELFBEHEER,
	RUNG_COUNT
};
/* The stored name ("raadplegen") of a rung, or NULL. */
const char *method_rung_name(int rung);
/* The rung for a stored name, or -1. */
int method_rung_parse(const char *name);

/* A text in both languages; en is "" while nobody wrote it. */
struct method_text {
	const char *nl, *en;
};

struct method {
	int64_t id;
	const char *slug;
	struct method_text name, goal, target_group, participants, interaction;
	int rung;                  /* enum method_rung */
	struct method_text *steps; /* in order; at least one */
	size_t nsteps;
	struct method_text *tips;
	size_t ntips;
	int builtin; /* brought by the migration */
	int64_t created_at, updated_at;
	int64_t updated_by;          /* a user id, or 0 */
	const char *updated_by_name; /* that user's display name, or "" */
};

/* Reading. Every string of the result lives in arena a (the request's).
 * DB_ROW with out filled, DB_DONE when there is none, or an error. */
int method_by_id(db *d, int64_t id, arena *a, struct method *out);
int method_by_slug(db *d, const char *slug, arena *a, struct method *out);
/* Every method, by Dutch name; *out (in a) holds *n. DB_OK or an error. */
int method_list(db *d, arena *a, struct method **out, size_t *n);

/* The English fields that are still empty, as their names ("name", "goal",
 * "target_group", "participants", "interaction", "steps", "tips"; steps
 * and tips when any of them lacks English); returns how many (at most 7). */
int method_missing_en(const struct method *m, const char *out[7]);

/* JSON of one method: {id, slug, name:{nl,en}, ..., rung, rung_position
 * (1-6), steps:[{nl,en}], tips:[...], builtin, created_at, updated_at,
 * updated_by, missing_en:[...]}. */
void method_json(const struct method *m, buf *out);
/* JSON array of every method. DB_OK or an error. */
int method_list_json(db *d, buf *out);

/* Validation. method_prepare trims every text (in a) and leaves out steps
 * and tips that are empty in both languages, as a form sends them.
 * method_check then finds what is wrong: it fills errs with up to max
 * problems (field: the form field's id, as "name_nl", "rung", "step_nl_2";
 * msg: an English message id) and returns how many. */
struct method_error {
	char field[24];
	const char *msg;
};
void method_prepare(struct method *m, arena *a);
int method_check(const struct method *m, struct method_error *errs, int max);

/* A writer job: saves m (checked before) as a new method (id 0: a slug is
 * made unique by adding -2, -3... to the slug given) or over method id.
 * result METHOD_NOT_FOUND when id does not exist. The slug, builtin and
 * created_at of an existing method never change. */
enum method_result { METHOD_OK = 0, METHOD_NOT_FOUND = 1 };
struct method_save {
	int64_t id; /* 0: a new method */
	int64_t user_id;
	const struct method *m;
	/* out */
	int result;
	int64_t saved_id;
};
int method_save_write(db *d, void *ctx);

#endif
