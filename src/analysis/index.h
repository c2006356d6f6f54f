/* index.h: the in-memory story index: per collection, compact columns per question and bitmaps per option. */
#ifndef VP_INDEX_H
#define VP_INDEX_H

/*
 * The pattern engine reads only this index, never the database (except for
 * "text contains", which asks the database for story ids). One index per
 * process owns every collection's part (struct aix_coll). A part is built
 * from the database on first use (and at start-up by the server), then kept
 * up to date by a poll every second that reads stories with an id above the
 * highest seen (so stories stored by this server, by another process or by
 * an import on the command line all arrive), and that rebuilds a part whose
 * stories were changed or deleted (table story_changes, kept by triggers).
 *
 * Rows: the stories of one collection in the order of their ids, numbered
 * 0..n-1; pilot stories are rows too (filters leave them out unless asked).
 * Memory budget (docs/analysis.md): under 64 bytes per story, story texts
 * excluded: a few bytes per signification question in columns, plus
 * compressed bitmaps (CRoaring).
 *
 * Locking: each part has a read-write lock. Queries hold the read lock for
 * their whole computation; the poller takes the write lock only to append
 * rows it has already parsed, so a query never waits for the database and
 * the story writer never waits for the index.
 */

#include "db/db.h"
#include "model/script.h"

#include <pthread.h>
#include <roaring/roaring.h>
#include <stddef.h>
#include <stdint.h>

enum {
	AIX_MISSING8 = 0, /* u8 columns: no answer */
	AIX_NA8 = 255,    /* u8 columns: "not applicable" */
	AIX_MISSING16 = 0xFFFF,
	AIX_NA16 = 0xFFFE,
	AIX_DYAD_SCALE = 100, /* dyads kept in hundredths: 0..10000 */
	AIX_TRIAD_SCALE = 60000,
};

enum aix_channel { AIX_WEB, AIX_KIOSK, AIX_FACE, AIX_PHONE, AIX_PAPER, AIX_IMPORT, AIX_CHANNELS };
const char *aix_channel_name(int c);
int aix_channel_parse(const char *name); /* -1 when unknown */

/* One question's column. Which arrays exist depends on the type:
 *  story:  u8 = prompt index + 1; bm[] per prompt
 *  choice: u8 = option index + 1 (noptions + 1 = "other"); bm[] per option, then "other"
 *  multi:  bm[] per option, then "other"
 *  scale:  u8 = the point (1..points); bm[] per point (bm[0] = point 1)
 *  dyad:   u16 = value x 100 (0..10000)
 *  triad:  u16[3 * row] = weights x 60000 (summing to 60000 within rounding)
 *  stones: u8[2 * (row * noptions + stone)] = x, y rounded (0..100), 255: off the canvas
 *  pin:    u8[2 * row] = x, y rounded (0..100)
 *  date:   i32 = days since 1970-01-01
 *  number: f32
 *  text:   nothing but answered/na (the text stays in the database)
 * Missing and "not applicable" use AIX_MISSING* and AIX_NA* in u8/u16 and
 * the first weight of a triad; every question has the bitmaps answered
 * (a value, not null) and na (null). */
struct aix_question {
	const struct question *q; /* from the script (the script cache owns it) */
	size_t idlen;             /* strlen(q->id) */
	int nbm;
	roaring_bitmap_t **bm;
	roaring_bitmap_t *answered, *na;
	uint8_t *u8;
	uint16_t *u16;
	int32_t *i32;
	float *f32;
};

struct aix_coll {
	int64_t id, org_id, script_id;
	int script_version;
	const struct script *script; /* the collection's script version */

	uint32_t n, cap;                /* rows */
	int64_t last_story_id;          /* highest story id indexed */
	int64_t generation;             /* story_changes.generation when built */
	uint32_t *story_id;             /* per row (ids fit 32 bits here; checked) */
	int64_t *created_at;            /* per row, unix seconds */
	uint32_t *participant;          /* per row, participant id (0: none) */
	uint8_t *channel;               /* per row, enum aix_channel */
	roaring_bitmap_t *pilot;        /* rows told in a pilot */
	roaring_bitmap_t *professional; /* rows with the professional's answers */
	roaring_bitmap_t *by_channel[AIX_CHANNELS];

	int nq; /* every question of the script, in script order; the
	         * professional's answers are columns of their own questions */
	struct aix_question *q;

	/* A trajectory's part (aix_acquire_trajectory): id is the trajectory's,
	 * the rows are every story of its collections, by story id. A
	 * collection's part has trajectory 0, ncolls 0 and trajectory_id the
	 * trajectory it belongs to (0: none). */
	int trajectory;
	int64_t trajectory_id;
	int ncolls;
	int64_t *coll_id;           /* the collections, ascending */
	roaring_bitmap_t **by_coll; /* the rows of each collection */
	int64_t *built_from;        /* per collection: id, generation, rows, last story id */
	/* Changes whenever the rows do (a build, new rows appended, a
	 * rebuild): unique in the process, never reused, so (version, the
	 * arguments) names a measure's result (the cache in measures.c). */
	uint64_t version;

	/* Not contents: these stay when a part is rebuilt, so they come last
	 * (the rebuild copies everything before lock). */
	pthread_rwlock_t lock;
	pthread_mutex_t refresh_mu; /* one catch-up of this part at a time */
	int64_t last_used_ms;       /* atomic: monotonic ms of the last aix_acquire */
};

typedef struct aix aix;

/* A new empty index over the database at url (it opens its own read
 * connections). Free with aix_free. */
aix *aix_new(const char *db_url);
void aix_free(aix *x);

/* Threads that read a large collection's stories when its part is built
 * (default 2: parsing is most of a start-up; 1 for a machine with one
 * core). Rows are numbered by story id either way, so the part is the same. */
void aix_set_build_threads(aix *x, int n);

/* Starts the poller thread (the server does; the command line does not
 * need it). */
int aix_start(aix *x);

/* The part for collection id, built or brought up to date first, with its
 * read lock held: release with aix_release. NULL when the collection does
 * not exist in organisation org_id (or its script cannot be loaded).
 * Building takes the database. A part queried in the last AIX_HOT_MS is
 * kept up to date by the poller (new stories within its 250 ms tick); any
 * other part catches up here, so a query always sees what was stored
 * before its last tick, and stories sent to a collection nobody is
 * looking at cost the index nothing until someone does. */
enum { AIX_HOT_MS = 60000 };

/* The channel (db.h: db_notify) on which whoever adds, changes or deletes
 * stories tells the index of every instance sharing the database; the
 * poller waits for it on PostgreSQL and catches up (aix_start). */
#define AIX_NOTIFY_CHANNEL "vp_stories"
struct aix_coll *aix_acquire(aix *x, int64_t org_id, int64_t collection_id);
void aix_release(struct aix_coll *c);

/* The part of trajectory id: all stories of its collections as one part,
 * read-locked like aix_acquire's (release with aix_release). Questions are
 * matched by id across the collections (the first collection, by id, that
 * has a question gives its definition; options and scale points are
 * matched by id and number); a question a collection does not have, or has
 * with another type, is missing in that collection's rows. The part is a
 * copy made from the collections' parts, made again when one of them has
 * changed since. NULL when there is no such trajectory in organisation
 * org_id (0: any). */
struct aix_coll *aix_acquire_trajectory(aix *x, int64_t org_id, int64_t trajectory_id);

/* Looks up a question's column by id; NULL when the script has none. */
struct aix_question *aix_question(struct aix_coll *c, const char *id);

/* Wakes the poller now (after a story's 201), so it need not wait for its
 * next tick. Safe from any thread; a no-op when x is NULL. */
void aix_poke(aix *x);

/* The process's index (set by the server; NULL in the command line). */
void aix_set_global(aix *x);
aix *aix_global(void);

/* Bytes the index holds for c (columns and bitmaps), for the memory
 * benchmark and /status. */
size_t aix_coll_bytes(const struct aix_coll *c);

/* ---- reading values ------------------------------------------------------ */

/* A dyad's value 0..100, or -1 for missing, -2 for not applicable. */
static inline double aix_dyad(const struct aix_question *q, uint32_t row)
{
	uint16_t v = q->u16[row];
	return v == AIX_MISSING16 ? -1 : v == AIX_NA16 ? -2 : v / (double)AIX_DYAD_SCALE;
}

/* A triad's weights; 0 when answered, -1 missing, -2 not applicable. */
static inline int aix_triad(const struct aix_question *q, uint32_t row, double out[3])
{
	const uint16_t *w = q->u16 + 3 * (size_t)row;
	if (w[0] == AIX_MISSING16)
		return -1;
	if (w[0] == AIX_NA16)
		return -2;
	double s = (double)w[0] + w[1] + w[2];
	for (int i = 0; i < 3; i++)
		out[i] = w[i] / s;
	return 0;
}

#endif
