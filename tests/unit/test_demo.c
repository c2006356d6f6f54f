/* test_demo.c: the demo generator: the same seed gives the same stories, every story passes the checks, the planted effects are there and absent under --null, the effects table names real questions, storing through the writer. */
#include "testutil.h"
#include "testdb.h"

#include "core/log.h"
#include "core/util.h"
#include "db/migrate.h"
#include "db/writer.h"
#include "gen/embedded.h"
#include "model/collection.h"
#include "model/demo.h"
#include "model/script_library.h"
#include "model/script_store.h"
#include "model/story.h"
#include "model/user.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <string.h>

#define Y2024 1704067200
#define Y2025 1735689600
#define Y2026 1767225600
/* Changed with the planted topics and group words (texts only). */
#define STORIES_SEED_7 "9f1d76f28d44761fadf108df7d7cdd894b2b27b9402862f8332923245faa28d2"

static struct script *load_script(void)
{
	for (size_t k = 0; k < embedded_templates_count; k++)
		if (strcmp(embedded_templates[k].name, DEMO_SCRIPT_FILE) == 0) {
			char err[256];
			struct script *s =
			        script_parse_text((const char *)embedded_templates[k].data,
			                          embedded_templates[k].len, err, sizeof err);
			if (!s)
				fail_msg("%s", err);
			return s;
		}
	fail_msg("%s is not embedded", DEMO_SCRIPT_FILE);
	return NULL;
}

static char *body_text(const struct demo_plan *p, int64_t i, int64_t *at)
{
	json_t *b = demo_story_body(p, i, 1, 1, NULL, at);
	char *t = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
	json_decref(b);
	return t;
}

static void test_same_seed_same_stories(void **state)
{
	(void)state;
	struct demo_options o = {.stories = 800, .seed = 7};
	struct demo_plan *a = demo_plan_new(&o), *b = demo_plan_new(&o);
	o.seed = 8;
	struct demo_plan *c = demo_plan_new(&o);
	assert_int_equal(demo_plan_stories(a), 800);
	assert_int_equal(demo_plan_participants(a), demo_plan_participants(b));
	int differ = 0;
	for (int64_t i = 0; i < 800; i++) {
		int64_t ta, tb, tc;
		char *x = body_text(a, i, &ta), *y = body_text(b, i, &tb),
		     *z = body_text(c, i, &tc);
		assert_string_equal(x, y);
		assert_int_equal(ta, tb);
		int fa, fb;
		assert_int_equal(demo_story_participant(a, i, &fa),
		                 demo_story_participant(b, i, &fb));
		assert_int_equal(fa, fb);
		differ += strcmp(x, z) != 0;
		free(x);
		free(y);
		free(z);
	}
	assert_true(differ > 790); /* another seed, other stories */
	/* The same on every machine: the hash of all 800 stories of seed 7,
	 * as this generator makes them (change it only with the generator,
	 * and the numbers in docs/analysis.md with it). */
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, 32);
	for (int64_t i = 0; i < 800; i++) {
		int64_t at;
		char *x = body_text(a, i, &at);
		crypto_generichash_update(&h, (const unsigned char *)x, strlen(x));
		free(x);
	}
	unsigned char sum[32];
	char hex[65];
	crypto_generichash_final(&h, sum, sizeof sum);
	util_hex(sum, sizeof sum, hex);
	print_message("seed 7, 800 stories: %s\n", hex);
	assert_string_equal(hex, STORIES_SEED_7);
	/* One fixed story, so a change of the generator (or a machine that
	 * draws differently) shows: seed 7, story 0. */
	int64_t at;
	json_t *first = demo_story_body(a, 0, 1, 1, NULL, &at);
	const char *id = json_string_value(json_object_get(first, "id"));
	assert_non_null(id);
	char norm[STORY_UUID_LEN + 1];
	assert_true(story_uuid_normalise(id, norm));
	assert_int_equal(norm[14], '7'); /* a version 7 UUID */
	assert_true(at >= Y2024 && at < Y2024 + 91 * 86400);
	json_decref(first);
	demo_plan_free(a);
	demo_plan_free(b);
	demo_plan_free(c);
}

/* The plan: two years, in time order, more stories in later quarters,
 * about 30% of people telling 2 to 4 times at increasing moments. */
static void test_plan(void **state)
{
	(void)state;
	struct demo_options o = {.stories = 20000, .seed = 3};
	struct demo_plan *p = demo_plan_new(&o);
	int64_t prev = 0, q1 = 0, q8 = 0;
	int64_t n = demo_plan_stories(p), np = demo_plan_participants(p);
	int64_t *count = calloc((size_t)np, sizeof *count),
	        *last = calloc((size_t)np, sizeof *last);
	for (int64_t i = 0; i < n; i++) {
		int64_t at;
		json_t *b = demo_story_body(p, i, 1, 1, NULL, &at);
		json_decref(b);
		assert_true(at >= Y2024 && at < Y2026);
		assert_true(at >= prev);
		prev = at;
		q1 += at < 1711929600;
		q8 += at >= 1759276800;
		int first;
		int64_t who = demo_story_participant(p, i, &first);
		assert_true(who >= 0 && who < np);
		assert_int_equal(first, count[who] == 0);
		assert_true(at >= last[who]);
		last[who] = at;
		count[who]++;
	}
	int64_t again = 0;
	for (int64_t k = 0; k < np; k++) {
		assert_true(count[k] >= 1 && count[k] <= 4);
		again += count[k] > 1;
	}
	double share = (double)again / (double)np;
	assert_true(share > 0.25 && share < 0.35);
	assert_true(q8 > q1 * 3 / 2);
	free(count);
	free(last);
	demo_plan_free(p);
}

/* Every story passes the checks every channel shares, with and without
 * effects; about 40% carry the consultant's answers. */
static void test_stories_pass_checks(void **state)
{
	(void)state;
	struct script *s = load_script();
	struct collection c = {.id = 1, .script_version = 1, .script_status = SCRIPT_PUBLISHED};
	char consent[65];
	util_hash_hex(ltext_get(&s->privacy, "nl"), consent);
	for (int null = 0; null <= 1; null++) {
		struct demo_options o = {.stories = 3000, .seed = 11, .null_effects = null};
		struct demo_plan *p = demo_plan_new(&o);
		int pro = 0, na = 0, missing = 0;
		for (int64_t i = 0; i < 3000; i++) {
			int64_t at;
			json_t *body = demo_story_body(p, i, c.id, 1, consent, &at);
			struct answer_error e;
			json_t *teller = json_deep_copy(json_object_get(body, "answers"));
			if (script_check_answers(s, teller, PERSPECTIVE_TELLER, &e) != 0)
				fail_msg("story %lld: %s: %s (%s)", (long long)i,
				         e.question ? e.question : "", e.msg, e.detail);
			json_t *g = json_object_get(teller, "q-geholpen");
			na += g && json_is_null(g);
			missing += !g;
			json_decref(teller);
			pro += json_object_get(body, "professional") != NULL;
			struct story_submit st = {.collection = &c, .created_at = at};
			const char *msg = NULL;
			if (story_prepare(&st, s, body, 1, &msg, &e) != 0)
				fail_msg("story %lld: %s: %s (%s)", (long long)i,
				         e.question ? e.question : "", msg, e.detail);
			assert_non_null(st.consent_text);
			story_submit_free(&st);
			json_decref(body);
		}
		assert_true(pro > 1050 && pro < 1400); /* 35% .. 47% */
		assert_true(na > 60 && na < 200);      /* about 4% */
		assert_true(missing > 40 && missing < 160);
		demo_plan_free(p);
	}
	script_free(s);
}

/* Means of the outcome dyad: per intervention within a situation. */
struct cell {
	double sum;
	int n;
};

static double mean(const struct cell *c)
{
	return c->n ? c->sum / c->n : NAN;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

struct tally {
	struct cell in[8], out[8]; /* dagbesteding vs rest, per situation index */
	struct cell by_intervention[6], all;
	struct cell heard[2];     /* 2024, 2025 */
	struct cell pro_minus[2]; /* psychische-klachten, the rest */
	struct cell again[2];     /* first and later stories of repeat tellers */
};

static const char *const sits[] = {"alleen-wonend",       "mantelzorger", "lichamelijke-beperking",
                                   "psychische-klachten", "geldzorgen",   "eenzaamheid"};
static const char *const ivs[] = {"huishoudelijke-hulp", "dagbesteding",     "begeleiding-thuis",
                                  "hulpmiddel",          "woningaanpassing", "alleen-advies"};

static int index_of(const char *const *list, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

static void tally(struct tally *t, int64_t n, uint64_t seed, int null)
{
	memset(t, 0, sizeof *t);
	struct demo_options o = {.stories = n, .seed = seed, .null_effects = null};
	struct demo_plan *p = demo_plan_new(&o);
	for (int64_t i = 0; i < n; i++) {
		int64_t at;
		json_t *b = demo_story_body(p, i, 1, 1, NULL, &at);
		json_t *a = json_object_get(b, "answers"),
		       *pro = json_object_get(b, "professional");
		int s = index_of(sits, 6, str(a, "q-situatie"));
		int iv = index_of(ivs, 6, str(a, "q-interventie"));
		json_t *g = json_object_get(a, "q-geholpen");
		json_t *h = json_object_get(a, "q-gehoord");
		if (json_is_integer(h)) {
			t->heard[at >= Y2025].sum += (double)json_integer_value(h);
			t->heard[at >= Y2025].n++;
		}
		if (json_is_integer(g)) {
			double v = (double)json_integer_value(g);
			t->all.sum += v, t->all.n++;
			if (iv >= 0)
				t->by_intervention[iv].sum += v, t->by_intervention[iv].n++;
			if (s >= 0 && iv >= 0) {
				struct cell *c = iv == 1 ? &t->in[s] : &t->out[s];
				c->sum += v, c->n++;
			}
			json_t *pg = json_object_get(pro, "q-pro-geholpen");
			if (json_is_integer(pg) && s >= 0) {
				struct cell *c = &t->pro_minus[s == 3 ? 0 : 1];
				c->sum += (double)json_integer_value(pg) - v, c->n++;
			}
		}
		json_decref(b);
	}
	demo_plan_free(p);
}

/* Effect 1: day activities help the lonely and those living alone 25
 * points more, not those with money worries; effects 3a and 5 too. */
static void test_effects_present(void **state)
{
	(void)state;
	struct tally t;
	tally(&t, 20000, 1, 0);
	double lonely = mean(&t.in[5]) - mean(&t.out[5]);
	double alone = mean(&t.in[0]) - mean(&t.out[0]);
	double money = mean(&t.in[4]) - mean(&t.out[4]);
	assert_true(lonely > 18 && lonely < 32);
	assert_true(alone > 18 && alone < 32);
	assert_true(fabs(money) < 6);
	double heard = mean(&t.heard[1]) - mean(&t.heard[0]);
	assert_true(heard < -10 && heard > -20);
	double pro = mean(&t.pro_minus[0]) - mean(&t.pro_minus[1]);
	assert_true(pro > 22 && pro < 36);
}

/* --null: no planted dependence; every mean within a few points. */
static void test_null_has_no_effects(void **state)
{
	(void)state;
	struct tally t;
	tally(&t, 20000, 1, 1);
	double all = mean(&t.all);
	for (int i = 0; i < 6; i++)
		assert_true(fabs(mean(&t.by_intervention[i]) - all) < 3);
	assert_true(fabs(mean(&t.in[5]) - mean(&t.out[5])) < 6);
	assert_true(fabs(mean(&t.in[0]) - mean(&t.out[0])) < 6);
	assert_true(fabs(mean(&t.heard[1]) - mean(&t.heard[0])) < 2);
	assert_true(fabs(mean(&t.pro_minus[0]) - mean(&t.pro_minus[1])) < 4);
	/* and the same stories with effects do differ */
	struct tally e;
	tally(&e, 20000, 1, 0);
	assert_true(fabs(mean(&e.by_intervention[1]) - mean(&e.all)) > 4);
}

/* The effects table names questions, options and corners of the script. */
static void test_effects_table(void **state)
{
	(void)state;
	struct script *s = load_script();
	size_t n;
	const struct demo_effect *e = demo_effects(&n);
	assert_true(n >= 6);
	int kinds = 0;
	for (size_t i = 0; i < n; i++) {
		kinds |= 1 << e[i].kind;
		assert_non_null(e[i].name);
		assert_non_null(e[i].description);
		const struct question *q = script_question(s, e[i].outcome);
		assert_non_null(q);
		if (e[i].corner) {
			assert_int_equal(q->type, Q_TRIAD);
			assert_true(
			        index_of((const char *const[]){q->options[0].id, q->options[1].id,
			                                       q->options[2].id},
			                 3, e[i].corner) >= 0);
		}
		if (e[i].outcome_pro) {
			const struct question *qp = script_question(s, e[i].outcome_pro);
			assert_non_null(qp);
			assert_int_equal(qp->perspective, PERSPECTIVE_PROFESSIONAL);
			assert_int_equal(qp->type, q->type);
			for (int k = 0; k < q->noptions; k++) /* same poles: they pair */
				assert_string_equal(qp->options[k].id, q->options[k].id);
		}
		const struct demo_condition *conds[2] = {&e[i].when, &e[i].group};
		for (int k = 0; k < 2; k++) {
			if (!conds[k]->question)
				continue;
			const struct question *cq = script_question(s, conds[k]->question);
			assert_non_null(cq);
			int found = 0;
			for (int m = 0; m < cq->noptions; m++)
				found |= strcmp(cq->options[m].id, conds[k]->option) == 0;
			assert_true(found);
		}
		if (e[i].kind == DEMO_EFFECT_PERIOD) {
			assert_true(e[i].period_a_start < e[i].period_b_start);
			assert_true(e[i].period_b_start < e[i].period_b_end);
		}
	}
	assert_int_equal(kinds, 0x1f); /* every kind once at least */
	script_free(s);
}

/* The library does not list the demo's script. */
static void test_not_in_library(void **state)
{
	(void)state;
	assert_int_equal(script_library_find(DEMO_SCRIPT_FILE), -1);
	assert_true(script_library_count() > 0);
}

/* Stored through the writer: every story once, a participant per person
 * at their first story, their later stories linked to them. */
static void test_store(void **state)
{
	(void)state;
	char dir[64], path[96], err[256];
	assert_int_equal(test_db_make(dir, path, "demo"), 0);
	db *d = db_open(path, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(migrate_apply(d, NULL, err, sizeof err), 0);
	int64_t org;
	assert_int_equal(org_ensure(d, "Gemeente Test", &org), DB_OK);
	struct script *s = load_script();
	struct script_save_job sj = {.org_id = org, .script = s};
	assert_int_equal(script_save_write(d, &sj), 0);
	assert_int_equal(sj.result, SCRIPT_OK);
	struct script_status_job pj = {
	        .org_id = org, .script_id = sj.script_id, .version = 1, .to = SCRIPT_PUBLISHED};
	assert_int_equal(script_status_write(d, &pj), 0);
	assert_int_equal(pj.result, SCRIPT_OK);
	struct collection_new cn = {.org_id = org,
	                            .title = DEMO_COLLECTION_TITLE,
	                            .purpose = "Test",
	                            .script_id = sj.script_id,
	                            .script_version = 1,
	                            .retention_days = 3650};
	assert_int_equal(collection_create_write(d, &cn), 0);
	struct collection c;
	assert_int_equal(collection_by_id(d, org, cn.id, &c), DB_ROW);

	struct demo_options o = {.stories = 700, .seed = 5};
	struct demo_plan *p = demo_plan_new(&o);
	writer *w = writer_start(path, err, sizeof err);
	assert_non_null(w);
	int64_t stored = 0, people = 0;
	for (int64_t from = 0; from < 700; from += 300) {
		struct demo_batch b = {.plan = p,
		                       .collection = &c,
		                       .from = from,
		                       .to = from + 300 < 700 ? from + 300 : 700};
		assert_int_equal(demo_batch_prepare(&b, s, err, sizeof err), 0);
		assert_int_equal(writer_run(w, demo_batch_write, &b), 0);
		stored += b.stored;
		people += b.participants_new;
		demo_batch_free(&b);
	}
	writer_stop(w);
	assert_int_equal(stored, 700);
	assert_int_equal(people, demo_plan_participants(p));
	db_stmt *q =
	        db_prepare(d, "SELECT COUNT(*), COUNT(DISTINCT participant_id), "
	                      "COUNT(professional), MIN(created_at), MAX(created_at), "
	                      "COUNT(consent_text_hash) FROM stories WHERE collection_id = :c");
	db_bind_int(q, "c", c.id);
	assert_int_equal(db_step(q), DB_ROW);
	assert_int_equal(db_col_int(q, 0), 700);
	assert_int_equal(db_col_int(q, 1), demo_plan_participants(p));
	assert_true(db_col_int(q, 2) > 200 && db_col_int(q, 2) < 360);
	assert_true(db_col_int(q, 3) >= Y2024 && db_col_int(q, 4) < Y2026);
	assert_int_equal(db_col_int(q, 5), 700);
	db_finalize(q);
	/* Stored again (the same uuids, the same content): nothing new. */
	w = writer_start(path, err, sizeof err);
	struct demo_batch b = {.plan = p, .collection = &c, .from = 0, .to = 300};
	assert_int_equal(demo_batch_prepare(&b, s, err, sizeof err), 0);
	assert_int_equal(writer_run(w, demo_batch_write, &b), 0);
	assert_int_equal(b.stored, 0);
	assert_int_equal(b.participants_new, 0);
	demo_batch_free(&b);
	q = db_prepare(d, "SELECT COUNT(*) FROM participants");
	assert_int_equal(db_step(q), DB_ROW);
	assert_int_equal(db_col_int(q, 0), demo_plan_participants(p));
	db_finalize(q);
	writer_stop(w);
	demo_plan_free(p);
	script_free(s);
	db_close(d);
	test_db_remove(dir, path);
}

/* The planted topics: every story's text carries words of its topic
 * (demo_planted_topic), every topic has its share, and people in the
 * outlying district use the group words markedly more. */
static void test_planted_topics(void **state)
{
	(void)state;
	/* a word every sentence of the topic has one of (folded) */
	static const char *const marks[DEMO_TOPICS][6] = {
	        {"taxi", "vervoer", "ritjes", NULL},
	        {"schoonmaak", "stofzuigen", "gepoetst", NULL},
	        {"contact", "buurthuis", "bezoek", "praatje", NULL},
	        {"mantelzorg", "respijtzorg", "zorgtaken", NULL},
	        {"wacht", "indicatie", "aanvraag", NULL},
	        {"woning", NULL},
	        {"eigen bijdrage", "cak", "kosten", NULL},
	};
	struct demo_options o = {.stories = 3000, .seed = 11};
	struct demo_plan *p = demo_plan_new(&o);
	assert_string_equal(demo_topic_name(0), "vervoer");
	int count[DEMO_TOPICS] = {0};
	size_t ng;
	const struct demo_group_words *g = demo_group_words(&ng);
	assert_int_equal(ng, 1);
	assert_string_equal(g->question, "q-wijk");
	int in = 0, in_words = 0, out = 0, out_words = 0;
	for (int64_t i = 0; i < 3000; i++) {
		int t = demo_planted_topic(p, i);
		assert_true(t >= 0 && t < DEMO_TOPICS);
		assert_int_equal(demo_planted_topic(p, i), t);
		count[t]++;
		int64_t at;
		json_t *b = demo_story_body(p, i, 1, 1, NULL, &at);
		json_t *answers = json_object_get(b, "answers");
		char *text = strdup(json_string_value(
		        json_object_get(json_object_get(answers, "q-verhaal"), "text")));
		for (char *c = text; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		/* at least two sentences of the topic: two of its marks, or one
		 * twice */
		int hits = 0;
		for (int m = 0; marks[t][m]; m++)
			for (const char *c = text; (c = strstr(c, marks[t][m])); c++)
				hits++;
		assert_true(hits >= 2);
		const char *district = json_string_value(json_object_get(answers, g->question));
		int words = strstr(text, "dorp") || strstr(text, " bus");
		if (district && strcmp(district, g->option) == 0)
			in++, in_words += words;
		else
			out++, out_words += words;
		free(text);
		json_decref(b);
	}
	for (int t = 0; t < DEMO_TOPICS; t++)
		assert_true(count[t] > 3000 * 0.07 && count[t] < 3000 * 0.25);
	assert_true(in > 200);
	assert_true((double)in_words / in > 0.5 && (double)in_words / in < 0.7);
	assert_true((double)out_words / out < 0.04);
	demo_plan_free(p);
}

int main(void)
{
	log_set_enabled(0);
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_same_seed_same_stories),
	        cmocka_unit_test(test_plan),
	        cmocka_unit_test(test_stories_pass_checks),
	        cmocka_unit_test(test_effects_present),
	        cmocka_unit_test(test_null_has_no_effects),
	        cmocka_unit_test(test_effects_table),
	        cmocka_unit_test(test_not_in_library),
	        cmocka_unit_test(test_store),
	        cmocka_unit_test(test_planted_topics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
