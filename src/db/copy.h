/* copy.h: moving a whole SQLite database to PostgreSQL, table by table, and proving both hold the same. */
#ifndef VP_COPY_H
#define VP_COPY_H

#include "db/db.h"

#include <stddef.h>
#include <stdint.h>

/* One line of the comparison: a table's rows and checksum on both sides.
 * The checksum is computed the same way on both: each row's columns in a
 * canonical form (by the target's column type: NULL, whole number, real
 * number as %.17g, text or bytes with their length), hashed (BLAKE2b); the
 * row hashes sorted and hashed again, so the order rows come in does not
 * matter and every value does. */
struct copy_table {
	char name[64];
	int64_t rows_from, rows_to;
	char sum_from[33], sum_to[33]; /* 128 bits in hex */
	int ok;
};

struct copy_result {
	struct copy_table *tables; /* malloc'd; copy_result_free */
	size_t n;
};
void copy_result_free(struct copy_result *res);

/* Called now and then while a large table is copied (rows so far). */
typedef void (*copy_progress_fn)(void *ctx, const char *table, int64_t rows);

/* 0 when the target holds no data of its own (only rows its migrations put
 * there), 1 when it does (err names the first table with rows), -1 when it
 * cannot be read (err). Both databases must be at the same schema version. */
int copy_check_target(db *from, db *to, char *err, size_t errlen);

/* Copies every table of from (SQLite) into to (PostgreSQL, migrated to the
 * same schema version, holding no data: copy_check_target) in one
 * transaction on to: parents before children (foreign keys), ids kept,
 * NULLs and bytes exact; then moves to's id generators past the highest
 * ids, rebuilds to's full-text search data through its driver (db_fts), and
 * compares every table on both sides (res) before committing. Reads from in
 * one read transaction (one moment's state). Returns 0 when everything was
 * copied, matched and committed; 1 when a table did not match (rolled back,
 * res shows which); -1 on an error (rolled back, err says where). */
int copy_database(db *from, db *to, struct copy_result *res, copy_progress_fn progress, void *ctx,
                  char *err, size_t errlen);

/* Compares every table of from with to's copy (res). 0 when all match, 1
 * when one does not, -1 on an error (err). */
int copy_verify(db *from, db *to, struct copy_result *res, char *err, size_t errlen);

#endif
