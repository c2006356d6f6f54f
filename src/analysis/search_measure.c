/* search_measure.c: the measure "search": full-text search within a filter's stories, as the JSON document of the CLI and the API. */
#include "analysis/filter.h"
#include "analysis/measures.h"
#include "analysis/search.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

struct collect {
	const struct aix_coll *c;
	const roaring_bitmap_t *rows;
	int limit;
	int64_t count;
	json_t *stories;
	buf snip;
};

/* another collection's, not in the filter, or newer than the index: no */
static int in_rows(void *ctx, int64_t id)
{
	struct collect *k = ctx;
	int64_t row = filter_story_row(k->c, id);
	return row >= 0 && roaring_bitmap_contains(k->rows, (uint32_t)row);
}

static int on_hit(void *ctx, int64_t id, double rank, const char *snippet)
{
	struct collect *k = ctx;
	buf_reset(&k->snip);
	search_snippet_json(&k->snip, snippet);
	json_t *parts = json_loadb(k->snip.data, k->snip.len, 0, NULL);
	if (!parts)
		abort(); /* our own JSON */
	json_array_append_new(k->stories, json_pack("{s:I, s:f, s:o}", "story", (json_int_t)id,
	                                            "rank", rank, "snippet", parts));
	return (int64_t)json_array_size(k->stories) >= k->limit ? 1 : 0; /* 1: enough */
}

int measure_search(const struct measure_args *a, json_t **out, char *err, size_t errlen)
{
	assert(a && a->c && out);
	if (!a->d) {
		snprintf(err, errlen, "search needs the database");
		return 500;
	}
	if (!a->q) {
		snprintf(err, errlen, "the search text is empty: type one or more words");
		return 400;
	}
	if (a->limit > SEARCH_MAX_LIMIT) {
		snprintf(err, errlen, "limit: at most %d", SEARCH_MAX_LIMIT);
		return 400;
	}
	buf match;
	buf_init(&match);
	char qerr[256];
	if (search_query_build(a->q, &match, qerr, sizeof qerr)) {
		snprintf(err, errlen, "%s", qerr);
		buf_free(&match);
		return 400;
	}
	int status = 0;
	roaring_bitmap_t *rows = measure_rows(a, a->filter, &status, err, errlen);
	if (!rows) {
		buf_free(&match);
		return status;
	}
	/* the stories found, as rows of the part, within the filter */
	const struct aix_coll *c = a->c;
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = search_ids(a->d, match.data, &ids, &n);
	roaring_bitmap_t *found =
	        rc == DB_DONE ? filter_rows_of_ids(c, ids, n) : roaring_bitmap_create();
	free(ids);
	roaring_bitmap_and_inplace(found, rows);
	roaring_bitmap_free(rows);
	struct collect k = {
	        .c = c, .rows = found, .limit = a->limit ? a->limit : 20, .stories = json_array()};
	k.count = (int64_t)roaring_bitmap_get_cardinality(found);
	/* small-cell protection, as every measure: fewer than min_group
	 * stories found give no count and no stories */
	int min_group = a->min_group > 0 ? a->min_group : MEASURES_MIN_GROUP;
	int too_few = k.count < min_group;
	buf_init(&k.snip);
	if (rc == DB_DONE && !too_few) {
		/* FTS5 computes bm25 for every match before it knows the best:
		 * for a common word (100,000 matches) that is 150-300 ms. So
		 * above SEARCH_RANK_CAP matches in the part, only the newest
		 * SEARCH_RANK_CAP are ranked (count still counts them all). */
		int64_t from = 0;
		uint32_t row;
		if (k.count > SEARCH_RANK_CAP &&
		    roaring_bitmap_select(found, (uint32_t)(k.count - SEARCH_RANK_CAP), &row))
			from = c->story_id[row];
		rc = search_ranked_from(a->d, match.data, from, in_rows, on_hit, &k);
		if (rc == 1)
			rc = DB_DONE;
	}
	buf_free(&k.snip);
	buf_free(&match);
	roaring_bitmap_free(found);
	if (rc != DB_DONE) {
		json_decref(k.stories);
		snprintf(err, errlen, "search could not read the stories: %s", db_errmsg(a->d));
		return 500;
	}
	*out = json_pack("{s:s, s:s, s:o, s:b, s:o}", "query", a->q, "filter",
	                 a->filter ? a->filter : "", "count",
	                 too_few ? json_null() : json_integer((json_int_t)k.count), "too_few",
	                 too_few, "stories", k.stories);
	if (!too_few && k.count > SEARCH_RANK_CAP) /* only the newest were ranked */
		json_object_set_new(*out, "ranked_newest", json_integer(SEARCH_RANK_CAP));
	return 0;
}
