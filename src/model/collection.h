/* collection.h: collections: one script version published for a purpose and a period, with a public link. */
#ifndef VP_COLLECTION_H
#define VP_COLLECTION_H

#include "core/buf.h"
#include "db/db.h"

#include <stdint.h>

enum {
	COLLECTION_TOKEN_LEN = 32, /* 128 random bits in hex: the link /v/TOKEN */
	COLLECTION_CODE_LEN = 8,   /* what a person types: XXXX-XXXX */
	COLLECTION_TITLE_MAX = 200,
	COLLECTION_PURPOSE_MAX = 2000,
	COLLECTION_RETENTION_DEFAULT = 730 /* days */
};

struct collection {
	int64_t id, org_id;
	char token[COLLECTION_TOKEN_LEN + 1];
	char short_code[COLLECTION_CODE_LEN + 1];
	char title[COLLECTION_TITLE_MAX * 4 + 1];
	int64_t script_id;
	int script_version;
	int script_status;          /* enum script_status of that version now */
	int64_t starts_at, ends_at; /* 0: no limit */
	int retention_days;
	int closed;
	int64_t trajectory_id; /* 0: outside any trajectory */
};

/* 1 when s has the form of a token (32 lower-case hex digits). */
int collection_token_valid(const char *s);
/* Normalises a typed short code ("k7m4 q2px", "K7M4-Q2PX") into out (8
 * upper-case characters); -1 when it cannot be one. */
int collection_code_normalise(const char *in, char out[COLLECTION_CODE_LEN + 1]);
/* A fresh short code. */
void collection_new_code(char out[COLLECTION_CODE_LEN + 1]);

/* DB_ROW with out filled, DB_DONE when there is none, or an error. */
int collection_by_token(db *d, const char *token, struct collection *out);
int collection_by_code(db *d, const char *code, struct collection *out);
int collection_by_id(db *d, int64_t org_id, int64_t id, struct collection *out);

/* Whether the collection takes stories at time now: not closed, inside
 * its period, and its script version in pilot or published. */
int collection_accepts(const struct collection *c, int64_t now);

/* A new collection (a writer job on its own struct). The script version
 * must be in pilot or published. */
enum collection_result {
	COLLECTION_OK = 0,
	COLLECTION_NO_SCRIPT = 1,     /* no such script version in the organisation */
	COLLECTION_NOT_READY = 2,     /* the version is a draft or retired */
	COLLECTION_NO_TRAJECTORY = 3, /* no such trajectory in the organisation */
};
struct collection_new {
	int64_t org_id, user_id;
	const char *title, *purpose;
	int64_t script_id;
	int script_version;
	int64_t starts_at, ends_at;
	int retention_days;
	int64_t trajectory_id; /* 0: none; else one of the organisation's */
	/* out */
	int result;
	int64_t id;
	char token[COLLECTION_TOKEN_LEN + 1];
	char short_code[COLLECTION_CODE_LEN + 1];
};
/* NULL when the fields are fine, else an English message id. */
const char *collection_check(const struct collection_new *c);
int collection_create_write(db *d, void *ctx);

/* Closes a collection: its link takes no more stories (its stories stay).
 * result COLLECTION_NO_SCRIPT when there is no such collection. */
struct collection_close {
	int64_t org_id, id;
	int result;
};
int collection_close_write(db *d, void *ctx);

/* 1 when an open collection's script version shows the upload (a pin
 * question's image): residents telling a story may see it. 0 when not,
 * or a db_rc error. */
int collection_shows_upload(db *d, const char *upload_token);

/* JSON array of the organisation's collections with their story counts
 * (and trajectory_id, null outside a trajectory) that viewer sees: 0 for
 * all, else a user id (model/trajectory.h: trajectory_viewer). */
int collection_list_json(db *d, int64_t org_id, int64_t viewer, buf *out);

#endif
