/* fts_nl.h: the Dutch tokenizer (analysis/tokenize.h) registered with SQLite's FTS5 as "vertelpunt_nl". */
#ifndef VP_FTS_NL_H
#define VP_FTS_NL_H

#include <sqlite3.h>

/* Registers the tokenizer "vertelpunt_nl" with a connection's FTS5 (api:
 * db_sqlite.c asks each connection it opens for it, so the story_search
 * table of 023_story_search.sql can be read and written). Returns
 * SQLITE_OK or an error code. */
int fts_nl_register(fts5_api *api);

#endif
