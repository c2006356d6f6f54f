/* test_search.c: full-text search over stories: the FTS5 table kept in step by the triggers, Dutch matching, bm25 order, snippets, deletion, and the query a person types (bad input included). */
#include "testutil.h"
#include "testdb.h"
#include "teststory.h"

#include "analysis/filter.h"
#include "analysis/search.h"
#include "core/clock.h"
#include "gen/embedded.h"
#include "model/purge.h"
#include "model/story.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"zoek\",\"title\":{\"nl\":\"Z\"},"
        "\"privacy\":{\"nl\":\"P\"},\"sections\":[{\"id\":\"s\",\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p1\",\"text\":{\"nl\":\"Een\"}}]},"
        "{\"id\":\"opmerking\",\"type\":\"text\",\"text\":{\"nl\":\"Opmerking\"}},"
        "{\"id\":\"hulp\",\"type\":\"choice\",\"text\":{\"nl\":\"Hulp\"},\"options\":["
        "{\"id\":\"rolstoelbus\",\"label\":{\"nl\":\"Bus\"}},"
        "{\"id\":\"taxi\",\"label\":{\"nl\":\"Taxi\"}}]}"
        "]}]}";

struct fixture {
	char dir[64], path[96];
	db *d;
	int64_t org;
	struct script *script;
	struct collection c;
	int next;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->script = test_story_setup(f->dir, f->path, &f->d, &f->org, "search", script_text, "Zoek",
	                             &f->c);
	if (!f->script)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	script_free(f->script);
	test_store_close(f->dir, f->path, f->d);
	free(f);
	return 0;
}

/* Stores a story with this title and text; returns its id. */
static int64_t add(struct fixture *f, const char *title, const char *text)
{
	json_t *b = json_pack("{sssssisss{s{ssssss}}}", "id", "", "channel", "web",
	                      "script_version", 1, "language", "nl", "answers", "verhaal", "prompt",
	                      "p1", "title", title, "text", text);
	char uuid[64];
	snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", ++f->next);
	json_object_set_new(b, "id", json_string(uuid));
	struct story_submit st = {.collection = &f->c, .user_id = 0};
	const char *msg = NULL;
	struct answer_error e = {0};
	int rc = story_prepare(&st, f->script, b, 0, &msg, &e);
	json_decref(b);
	if (rc != 0)
		fail_msg("story refused: %s", msg ? msg : "?");
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(story_submit_write(f->d, &st), 0);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(st.result, STORY_NEW);
	int64_t id = st.id;
	story_submit_free(&st);
	return id;
}

struct hits {
	int64_t id[16];
	double rank[16];
	char snippet[16][512];
	int n;
	int stop_after;  /* answer 7 after this many hits (0: never) */
	int64_t skip_id; /* want_not: this story is not wanted */
};

static int on_hit(void *ctx, int64_t id, double rank, const char *snippet)
{
	struct hits *h = ctx;
	if (h->n < 16) {
		h->id[h->n] = id;
		h->rank[h->n] = rank;
		snprintf(h->snippet[h->n], sizeof h->snippet[0], "%s", snippet);
		h->n++;
	}
	return h->stop_after && h->n >= h->stop_after ? 7 : 0;
}

static int want_not(void *ctx, int64_t id)
{
	return id != ((struct hits *)ctx)->skip_id;
}

/* The hits of what a person typed, in collection f->c. */
static struct hits *find(struct fixture *f, const char *q)
{
	static struct hits h;
	memset(&h, 0, sizeof h);
	buf m;
	buf_init(&m);
	char err[256];
	if (search_query_build(q, &m, err, sizeof err))
		fail_msg("%s: %s", q, err);
	assert_int_equal(search_run(f->d, &f->c.id, 1, 0, m.data, 10, on_hit, &h), DB_DONE);
	buf_free(&m);
	return &h;
}

static void test_dutch_matching(void **state)
{
	struct fixture *f = *state;
	int64_t a = add(f, "Lang wachten", "De wachtlijsten voor een woning zijn lang.");
	int64_t b = add(f, "Café", "In het café in het buurthuis vond ik mensen.");
	int64_t c = add(f, "Zorg", "Mijn mantelzorgondersteuning kwam pas na maanden.");
	int64_t d = add(f, "Auto", "Onze auto's staan bij het huisje.");
	add(f, "Niets", "Het ging goed met de hulp.");

	struct hits *h = find(f, "wachtlijst");
	assert_int_equal(h->n, 1);
	assert_int_equal(h->id[0], a);
	h = find(f, "cafe");
	assert_int_equal(h->n, 1);
	assert_int_equal(h->id[0], b);
	h = find(f, "mantelzorg");
	assert_int_equal(h->n, 1);
	assert_int_equal(h->id[0], c);
	h = find(f, "auto huis");
	assert_int_equal(h->n, 1);
	assert_int_equal(h->id[0], d);
	/* the title is searched too */
	h = find(f, "wachten");
	assert_int_equal(h->n, 1);
	/* a phrase, and every word must be there */
	h = find(f, "\"lang wachten\"");
	assert_int_equal(h->n, 1);
	h = find(f, "wachtlijst cafe");
	assert_int_equal(h->n, 0);
	/* the snippet marks the matched word of the original text */
	h = find(f, "wachtlijsten");
	assert_non_null(strstr(h->snippet[0], SEARCH_MARK_ON "wachtlijsten" SEARCH_MARK_OFF));
	buf j;
	buf_init(&j);
	search_snippet_json(&j, h->snippet[0]);
	assert_non_null(strstr(j.data, "{\"text\":\"wachtlijsten\",\"match\":true}"));
	buf_free(&j);
}

static void test_rank_order(void **state)
{
	struct fixture *f = *state;
	int64_t once = add(f, "Een",
	                   "Ik stond op de wachtlijst, en verder ging alles goed met hulp "
	                   "en steun van de buren en de familie.");
	int64_t often = add(f, "Twee", "Wachtlijst, wachtlijst, wachtlijst.");
	struct hits *h = find(f, "wachtlijst");
	assert_int_equal(h->n, 2);
	assert_int_equal(h->id[0], often);
	assert_int_equal(h->id[1], once);
	assert_true(h->rank[0] <= h->rank[1]);
}

static void test_delete_removes(void **state)
{
	struct fixture *f = *state;
	int64_t a = add(f, "Weg", "Een geheim verhaal over de scootmobiel.");
	assert_int_equal(find(f, "scootmobiel")->n, 1);
	db_stmt *s = db_prepare(f->d, "DELETE FROM stories WHERE id = :id");
	db_bind_int(s, "id", a);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	/* never found once deleted, even before the writer forgets it */
	assert_int_equal(find(f, "scootmobiel")->n, 0);
	assert_int_equal(search_forget_deleted(f->d), DB_OK);
	/* and the copy of the text is gone from the search table */
	s = db_prepare(f->d, "SELECT count(*) FROM story_search WHERE rowid = :id");
	db_bind_int(s, "id", a);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 0);
	db_finalize(s);
}

/* The daily purge removes stories past their retention period (30 days
 * here), and their texts leave the search table in the same job. */
static void test_purge_forgets(void **state)
{
	struct fixture *f = *state;
	int64_t a = add(f, "Oud", "Een verhaal over de trapleuning van lang geleden.");
	assert_int_equal(find(f, "trapleuning")->n, 1);
	struct purge_job j = {.now = clock_now() + 31 * 86400, .actor = "system", .origin = "test"};
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(purge_write(f->d, &j), 0);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_true(j.stories >= 1);
	purge_job_free(&j);
	db_stmt *s =
	        db_prepare(f->d, "SELECT (SELECT count(*) FROM story_search WHERE rowid = :id) "
	                         "+ (SELECT count(*) FROM story_search_gone)");
	db_bind_int(s, "id", a);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 0);
	db_finalize(s);
	assert_int_equal(find(f, "trapleuning")->n, 0);
}

static void bad(const char *q, const char *part)
{
	buf m;
	buf_init(&m);
	char err[256] = "";
	assert_int_equal(search_query_build(q, &m, err, sizeof err), -1);
	if (!strstr(err, part))
		fail_msg("%s: %s (expected %s)", q, err, part);
	buf_free(&m);
}

static void test_bad_queries(void **state)
{
	bad("", "empty");
	bad("   ", "empty");
	bad("de het een", "only common words");
	bad("\"wachtlijst", "not closed");
	bad("wachtlijst \"lang", "not closed");
	char *big = malloc(10001);
	memset(big, 'a', 10000);
	big[10000] = 0;
	bad(big, "too long");
	free(big);
	bad("zorg\xff", "UTF-8");
}

static void test_fts_syntax_is_text(void **state)
{
	struct fixture *f = *state;
	int64_t a = add(f, "Hulp", "Hulp bij het huishouden, NEAR het gemeentehuis.");
	/* FTS5's syntax characters only separate words */
	const char *qs[] = {"hulp*",  "^hulp",    "hulp)", "-hulp", "hulp:",
	                    "{hulp}", "hulp + +", "(hulp", "hulp'"};
	for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
		struct hits *h = find(f, qs[i]);
		if (h->n != 1 || h->id[0] != a)
			fail_msg("%s: %d hits", qs[i], h->n);
	}
	/* its operators are words: "OR" and "NOT" are not in the story, and
	 * "NEAR(hulp" is the phrase "near hulp", not there either */
	assert_int_equal(find(f, "hulp OR huis")->n, 0);
	assert_int_equal(find(f, "hulp AND NOT")->n, 0);
	assert_int_equal(find(f, "NEAR(hulp")->n, 0);
	assert_int_equal(find(f, "\"near het\"")->n, 1);
	assert_int_equal(find(f, "hulp NEAR")->n, 1);
}

/* The filter "text matches": its errors are the search's, at the text's
 * position; its canonical text parses again. */
static void test_filter_syntax(void **state)
{
	char err[256];
	struct filter *fl = filter_parse("text matches \"de het\"", NULL, err, sizeof err);
	assert_null(fl);
	if (!strstr(err, "at 14: the search text has only common words"))
		fail_msg("%s", err);
	assert_null(filter_parse("text matches \"\"", NULL, err, sizeof err));
	assert_non_null(strstr(err, "empty"));
	assert_null(filter_parse("text matches", NULL, err, sizeof err));
	assert_null(filter_parse("text likes x", NULL, err, sizeof err));
	assert_non_null(strstr(err, "expected contains"));
	fl = filter_parse("text matches \"lange wachtlijst\" and pilot", NULL, err, sizeof err);
	assert_non_null(fl);
	buf out;
	buf_init(&out);
	filter_print(fl, &out);
	assert_string_equal(out.data, "text matches \"lange wachtlijst\" and pilot");
	filter_free(fl);
	buf_free(&out);
}

/* Text answers are searched too (migration 024 and the writer); option
 * ids, which are strings in the answers as well, are not. */
static void test_text_answers(void **state)
{
	struct fixture *f = *state;
	json_t *b = json_pack("{sssssisss{s{ssssss}ssss}}", "id",
	                      "00000000-0000-4000-8000-000000000999", "channel", "web",
	                      "script_version", 1, "language", "nl", "answers", "verhaal", "prompt",
	                      "p1", "title", "Bus", "text", "Ik ging met de bus.", "opmerking",
	                      "De chauffeur was erg vriendelijk.", "hulp", "rolstoelbus");
	struct story_submit st = {.collection = &f->c, .user_id = 0};
	const char *msg = NULL;
	struct answer_error e = {0};
	if (story_prepare(&st, f->script, b, 0, &msg, &e) != 0)
		fail_msg("story refused: %s", msg ? msg : "?");
	json_decref(b);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(story_submit_write(f->d, &st), 0);
	assert_int_equal(db_commit(f->d), DB_OK);
	int64_t id = st.id;
	story_submit_free(&st);
	struct hits *h = find(f, "chauffeur");
	assert_int_equal(h->n, 1);
	assert_int_equal(h->id[0], id);
	assert_non_null(strstr(h->snippet[0], SEARCH_MARK_ON "chauffeur" SEARCH_MARK_OFF));
	assert_int_equal(find(f, "bus")->n, 1);
	/* the option id is no text */
	assert_int_equal(find(f, "rolstoelbus")->n, 0);
	/* migration 024 makes the same body for the stories already there
	 * (on PostgreSQL its own version; there the words of rows it makes are
	 * PostgreSQL's simple ones, so the body is what is compared) */
	int pg = strcmp(db_driver_name(f->d), "sqlite") != 0;
	const struct embedded_file *m = NULL;
	for (size_t i = 0; i < embedded_migrations_count; i++)
		if (strcmp(embedded_migrations[i].name,
		           pg ? "024_search_wider.postgres.sql" : "024_search_wider.sql") == 0)
			m = &embedded_migrations[i];
	assert_non_null(m);
	db_stmt *bq = db_prepare(f->d, "SELECT body FROM story_search WHERE rowid = :id");
	db_bind_int(bq, "id", id);
	assert_int_equal(db_step(bq), DB_ROW);
	char *before = strdup(db_col_text(bq, 0));
	db_finalize(bq);
	assert_int_equal(db_exec_trusted_script(f->d, (const char *)m->data), DB_OK);
	bq = db_prepare(f->d, "SELECT body FROM story_search WHERE rowid = :id");
	db_bind_int(bq, "id", id);
	assert_int_equal(db_step(bq), DB_ROW);
	assert_string_equal(db_col_text(bq, 0), before);
	db_finalize(bq);
	free(before);
	if (pg)
		return;
	h = find(f, "chauffeur");
	assert_int_equal(h->n, 1);
	assert_int_equal(h->id[0], id);
	assert_int_equal(find(f, "bus")->n, 1);
	assert_int_equal(find(f, "rolstoelbus")->n, 0);
}

/* search_ranked_from ranks only the stories from an id on (the measure
 * "search" ranks the newest SEARCH_RANK_CAP matches of a large part). */
static void test_ranked_from(void **state)
{
	struct fixture *f = *state;
	int64_t a = add(f, "Wachten", "Wachten, wachten en nog eens wachten op de wachtlijst.");
	int64_t b = add(f, "Ook", "Ik stond op een wachtlijst.");
	int64_t c = add(f, "En", "De wachtlijst was lang.");
	buf m;
	buf_init(&m);
	char err[256];
	assert_int_equal(search_query_build("wachtlijst", &m, err, sizeof err), 0);
	struct hits h = {0};
	assert_int_equal(search_ranked_from(f->d, m.data, 0, NULL, on_hit, &h), DB_DONE);
	assert_int_equal(h.n, 3);
	memset(&h, 0, sizeof h);
	assert_int_equal(search_ranked_from(f->d, m.data, b, NULL, on_hit, &h), DB_DONE);
	assert_int_equal(h.n, 2);
	for (int i = 0; i < h.n; i++)
		assert_true(h.id[i] == b || h.id[i] == c);
	assert_true(h.id[0] != a && h.id[1] != a);
	/* every one, each with its words marked; best first (bm25: lower
	 * is better), ties by story id */
	memset(&h, 0, sizeof h);
	assert_int_equal(search_ranked_from(f->d, m.data, a, NULL, on_hit, &h), DB_DONE);
	assert_int_equal(h.n, 3);
	for (int i = 0; i < h.n; i++) {
		assert_non_null(strstr(h.snippet[i], SEARCH_MARK_ON));
		if (i)
			assert_true(h.rank[i - 1] < h.rank[i] ||
			            (h.rank[i - 1] == h.rank[i] && h.id[i - 1] < h.id[i]));
	}
	struct hits all = h;
	/* want leaves stories out: b is not handed out, the others are */
	memset(&h, 0, sizeof h);
	h.skip_id = b;
	assert_int_equal(search_ranked_from(f->d, m.data, a, want_not, on_hit, &h), DB_DONE);
	assert_int_equal(h.n, 2);
	for (int i = 0, j = 0; i < all.n; i++) /* the same order, without b */
		if (all.id[i] != b)
			assert_int_equal(h.id[j++], all.id[i]);
	/* hit's non-zero answer stops it and is returned */
	memset(&h, 0, sizeof h);
	h.stop_after = 1;
	assert_int_equal(search_ranked_from(f->d, m.data, a, NULL, on_hit, &h), 7);
	assert_int_equal(h.n, 1);
	buf_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_dutch_matching, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_rank_order, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_ranked_from, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_text_answers, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_delete_removes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_purge_forgets, setup, teardown),
	        cmocka_unit_test(test_bad_queries),
	        cmocka_unit_test(test_filter_syntax),
	        cmocka_unit_test_setup_teardown(test_fts_syntax_is_text, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
