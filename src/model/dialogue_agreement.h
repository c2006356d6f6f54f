/* dialogue_agreement.h: the agreements (afspraken) of a trajectory's dialogue tables: one numbered list, saved in versions that never overwrite each other, the source tables of each agreement, a line diff between versions, and the council's decision. */
#ifndef VP_DIALOGUE_AGREEMENT_H
#define VP_DIALOGUE_AGREEMENT_H

#include "db/db.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum {
	AGREEMENTS_MAX = 50,        /* agreements in one set */
	AGREEMENT_TEXT_MAX = 1000,  /* characters of one */
	AGREEMENT_SOURCES_MAX = 24, /* source tables of one */
	AGREEMENT_DECISION_MAX = 8000,
};

/* The statuses of the set, in order (stored names). */
extern const char
        *const agreement_statuses[5]; /* draft presented adopted adopted_changed rejected */

enum agreement_result {
	AGREEMENT_OK = 0,
	AGREEMENT_CONFLICT = 1,  /* saved on an older version than the newest: nothing written */
	AGREEMENT_NO_SET = 2,    /* a status for a set that has no version yet */
	AGREEMENT_BAD_TABLE = 3, /* a source that is not a table of the trajectory */
};

/* One save: the agreements in order, each with the ids of the tables it
 * came from; based on version base (0 for the first save). */
struct agreement_save {
	int64_t trajectory_id, user_id;
	int base;
	size_t n;
	const char *text[AGREEMENTS_MAX];
	int64_t sources[AGREEMENTS_MAX][AGREEMENT_SOURCES_MAX];
	int nsources[AGREEMENTS_MAX];
	/* out */
	int result;
	int version; /* the new version; on a conflict the newest there is */
};
/* NULL when fine: 1..AGREEMENTS_MAX agreements, each non-empty on one line
 * of at most AGREEMENT_TEXT_MAX characters. */
const char *agreement_save_check(const struct agreement_save *s);
/* Writer job: version base + 1, when base is the newest; else result
 * AGREEMENT_CONFLICT and nothing is written. */
int agreement_save_write(db *d, void *ctx);

/* The status of the set and the council's decision text (needed for
 * adopted with changes and rejected). Writer job. */
struct agreement_status_set {
	int64_t trajectory_id, user_id;
	const char *status, *decision;
	int result;
};
const char *agreement_status_check(const struct agreement_status_set *s);
int agreement_status_write(db *d, void *ctx);

/* Version version (0: the newest) of the trajectory's agreements:
 * {version, latest, status, decision, agreements: [{number, text, sources:
 * [{id, name, session_number}]}], versions: [{version, created_at, author}]}.
 * DB_ROW, or DB_DONE when there is no such version (no version at all:
 * DB_DONE for version 0 too). */
int agreement_get_json(db *d, int64_t trajectory_id, int version, json_t **out);

/* The proposals the tables drafted (notes of kind proposal), by session
 * and table: [{table_id, table, session_number, body, created_at}]. */
int agreement_proposals_json(db *d, int64_t trajectory_id, json_t **out);

/* A line diff of old and new (texts with one line a line): the longest
 * common subsequence of lines, then each line as kept, removed or added,
 * in reading order: [{"op":"same"|"del"|"add","text":...}]. Pure. */
json_t *agreement_diff(const char *old_text, const char *new_text);

#endif
