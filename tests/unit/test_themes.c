/* test_themes.c: themes: the adjusted Rand index on textbook cases, spherical k-means on a small fixed fixture (exact assignments, the chosen k, labels), determinism, bad options, and the planted topics of the demo found again (ARI >= 0.8). */
#include "testutil.h"

#include "analysis/themes.h"
#include "core/buf.h"
#include "core/log.h"
#include "model/demo.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

/* Reference values: scikit-learn's documentation of adjusted_rand_score
 * (sklearn.metrics.adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) =
 * 0.5714285714285714 = 4/7, [0, 0, 1, 1] against [0, 1, 0, 1] = -0.5, a
 * relabelling 1.0, everything together against everything apart 0.0). */
static void test_adjusted_rand(void **state)
{
	(void)state;
	const int a1[] = {0, 0, 1, 2}, b1[] = {0, 0, 1, 1};
	assert_true(fabs(themes_adjusted_rand(a1, b1, 4) - 4.0 / 7.0) < 1e-12);
	assert_true(fabs(themes_adjusted_rand(b1, a1, 4) - 4.0 / 7.0) < 1e-12);
	const int a2[] = {0, 0, 1, 1}, b2[] = {0, 1, 0, 1};
	assert_true(fabs(themes_adjusted_rand(a2, b2, 4) + 0.5) < 1e-12);
	const int a3[] = {0, 0, 1, 1, 2, 2}, b3[] = {2, 2, 0, 0, 1, 1};
	assert_true(fabs(themes_adjusted_rand(a3, b3, 6) - 1.0) < 1e-12);
	const int a4[] = {0, 0, 0, 0}, b4[] = {0, 1, 2, 3};
	assert_true(fabs(themes_adjusted_rand(a4, b4, 4)) < 1e-12);
	/* an item without a label is left out */
	const int a5[] = {0, 0, 1, 2, -1}, b5[] = {0, 0, 1, 1, 0};
	assert_true(fabs(themes_adjusted_rand(a5, b5, 5) - 4.0 / 7.0) < 1e-12);
	const int a6[] = {0}, b6[] = {0};
	assert_true(isnan(themes_adjusted_rand(a6, b6, 1)));
}

/* Three plain topics, four texts each, interleaved. */
static const char *const fixture[] = {
        "De regiotaxi kwam te laat en de chauffeur wist de weg niet.",
        "Ik sta al maanden op de wachtlijst voor een indicatie.",
        "De schoonmaakster komt maar twee uur, het stof blijft liggen.",
        "Met de taxi naar het ziekenhuis: de regiotaxi was vol.",
        "De indicatie kwam na vier maanden op de wachtlijst.",
        "Stofzuigen lukt niet meer, de schoonmaakster is vaak ziek.",
        "De chauffeur van de regiotaxi was vriendelijk, de taxi kwam laat.",
        "Na maanden wachten kwam de brief over mijn indicatie.",
        "Een andere schoonmaakster elke week, en het stof blijft.",
        "De taxi moet ik bellen, zegt de chauffeur van de regiotaxi.",
        "De wachtlijst voor een indicatie duurt maanden.",
        "Stofzuigen en het stof afnemen doet de schoonmaakster niet goed.",
};
enum { NFIXTURE = sizeof fixture / sizeof fixture[0] };

static struct themes_corpus *fixture_corpus(void)
{
	struct themes_corpus *c = themes_corpus_new();
	for (int i = 0; i < NFIXTURE; i++)
		themes_corpus_add(c, fixture[i], strlen(fixture[i]));
	struct themes_options o = {.min_df = 2, .bigram_min_df = 2};
	themes_corpus_weigh(c, &o);
	return c;
}

static int label_has(const struct themes_corpus *c, const struct themes_theme *t, const char *w)
{
	for (int i = 0; i < t->nterms; i++)
		if (strcmp(themes_term_label(c, t->term[i]), w) == 0)
			return 1;
	return 0;
}

static void test_fixture(void **state)
{
	(void)state;
	struct themes_corpus *c = fixture_corpus();
	assert_int_equal(themes_corpus_docs(c), NFIXTURE);
	assert_true(themes_corpus_terms(c) > 5);
	/* a fixed k and seed: the exact themes (largest first; equal sizes by
	 * their first document) */
	struct themes_options o = {.k = 3, .seed = 42, .threads = 1};
	struct themes_result r;
	char err[256];
	assert_int_equal(themes_find(c, &o, &r, err, sizeof err), 0);
	assert_int_equal(r.k, 3);
	const int want[NFIXTURE] = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2};
	for (int i = 0; i < NFIXTURE; i++)
		assert_int_equal(r.theme[i], want[i]);
	for (int j = 0; j < 3; j++) {
		assert_int_equal(r.themes[j].size, 4);
		assert_int_equal(r.themes[j].nreps, 4);
		assert_int_equal(r.theme[r.themes[j].rep[0]], j);
		for (int q = 1; q < r.themes[j].nreps; q++)
			assert_true(r.themes[j].rep_cos[q] <= r.themes[j].rep_cos[q - 1]);
	}
	assert_true(label_has(c, &r.themes[0], "regiotaxi"));
	assert_true(label_has(c, &r.themes[1], "indicatie"));
	assert_true(label_has(c, &r.themes[2], "schoonmaakster"));
	themes_result_free(&r);
	/* k chosen in 2..5: 3 */
	o = (struct themes_options){.k_min = 2, .k_max = 5, .seed = 42};
	assert_int_equal(themes_find(c, &o, &r, err, sizeof err), 0);
	for (int k = r.k_min; k <= r.k_max; k++)
		print_message("k %d: silhouette %.4f\n", k, r.silhouette[k - r.k_min]);
	assert_int_equal(r.k, 3);
	assert_int_equal(r.k_min, 2);
	assert_int_equal(r.k_max, 5);
	assert_true(r.silhouette[1] > r.silhouette[0] && r.silhouette[1] > r.silhouette[2]);
	for (int i = 0; i < NFIXTURE; i++)
		assert_int_equal(r.theme[i], want[i]);
	themes_result_free(&r);
	themes_corpus_free(c);
}

static void test_bad_options(void **state)
{
	(void)state;
	struct themes_corpus *c = fixture_corpus();
	struct themes_result r;
	char err[256];
	struct themes_options o = {.k = 1};
	assert_int_equal(themes_find(c, &o, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "number of themes"));
	o = (struct themes_options){.k = THEMES_K_LIMIT + 1};
	assert_int_equal(themes_find(c, &o, &r, err, sizeof err), -1);
	o = (struct themes_options){.k_min = 6, .k_max = 4};
	assert_int_equal(themes_find(c, &o, &r, err, sizeof err), -1);
	/* 12 texts cannot make 7 themes of at least 2 */
	o = (struct themes_options){.k = 7};
	assert_int_equal(themes_find(c, &o, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "too few stories"));
	themes_corpus_free(c);
	/* nothing but stop words and empty texts */
	c = themes_corpus_new();
	for (int i = 0; i < 20; i++)
		themes_corpus_add(c, i % 2 ? "de het een" : "", i % 2 ? 10 : 0);
	themes_corpus_weigh(c, NULL);
	assert_int_equal(themes_corpus_terms(c), 0);
	o = (struct themes_options){0};
	assert_int_equal(themes_find(c, &o, &r, err, sizeof err), -1);
	themes_corpus_free(c);
}

static int cancel_at_choosing(void *ctx, const char *stage, double done)
{
	int *calls = ctx;
	(*calls)++;
	return strcmp(stage, "choosing") == 0 && done > 0;
}

static void test_cancel(void **state)
{
	(void)state;
	struct themes_corpus *c = fixture_corpus();
	int calls = 0;
	struct themes_options o = {
	        .k_min = 2, .k_max = 5, .progress = cancel_at_choosing, .progress_ctx = &calls};
	struct themes_result r;
	char err[256];
	assert_int_equal(themes_find(c, &o, &r, err, sizeof err), 1);
	assert_int_equal(calls, 2);
	assert_null(r.theme);
	themes_corpus_free(c);
}

/* The demo's texts (title and text, as stored) of n stories. */
static struct themes_corpus *demo_corpus(struct demo_plan *p, int64_t n)
{
	struct themes_corpus *c = themes_corpus_new();
	buf b;
	buf_init(&b);
	for (int64_t i = 0; i < n; i++) {
		int64_t at;
		json_t *body = demo_story_body(p, i, 1, 1, NULL, &at);
		json_t *v = json_object_get(json_object_get(body, "answers"), "q-verhaal");
		buf_reset(&b);
		buf_puts(&b, json_string_value(json_object_get(v, "title")));
		buf_putc(&b, '\n');
		buf_puts(&b, json_string_value(json_object_get(v, "text")));
		themes_corpus_add(c, b.data, b.len);
		json_decref(body);
	}
	buf_free(&b);
	return c;
}

/* The same texts, added at once (tokenized by two threads). */
static struct themes_corpus *demo_corpus_many(struct demo_plan *p, int64_t n)
{
	char **texts = malloc((size_t)n * sizeof *texts);
	size_t *lens = malloc((size_t)n * sizeof *lens);
	buf b;
	buf_init(&b);
	for (int64_t i = 0; i < n; i++) {
		int64_t at;
		json_t *body = demo_story_body(p, i, 1, 1, NULL, &at);
		json_t *v = json_object_get(json_object_get(body, "answers"), "q-verhaal");
		buf_reset(&b);
		buf_puts(&b, json_string_value(json_object_get(v, "title")));
		buf_putc(&b, '\n');
		buf_puts(&b, json_string_value(json_object_get(v, "text")));
		texts[i] = strdup(b.data);
		lens[i] = b.len;
		json_decref(body);
	}
	buf_free(&b);
	struct themes_corpus *c = themes_corpus_new();
	themes_corpus_add_many(c, (const char *const *)texts, lens, (size_t)n, 2);
	for (int64_t i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	free(lens);
	return c;
}

/* The quality test of issue 10: on 3,000 demo stories the themes found
 * (k chosen in 3..12, default options) recover the planted topics with an
 * adjusted Rand index of at least 0.8; the same seed gives the same
 * themes, with one thread or two. */
static void test_demo_topics(void **state)
{
	(void)state;
	enum { N = 3000 };
	struct demo_options d = {.stories = N, .seed = 1};
	struct demo_plan *p = demo_plan_new(&d);
	struct themes_corpus *c = demo_corpus(p, N);
	themes_corpus_weigh(c, NULL);
	int *planted = malloc(N * sizeof *planted);
	for (int64_t i = 0; i < N; i++)
		planted[i] = demo_planted_topic(p, i);
	struct themes_options o = {.seed = 1};
	struct themes_result r, r1;
	char err[256];
	assert_int_equal(themes_find(c, &o, &r, err, sizeof err), 0);
	double ari = themes_adjusted_rand(r.theme, planted, N);
	print_message("demo, %d stories: k = %d, ARI %.3f, %zu terms\n", N, r.k, ari,
	              themes_corpus_terms(c));
	for (int j = 0; j < r.k; j++) {
		print_message("  theme %d (%zu):", j + 1, r.themes[j].size);
		for (int t = 0; t < r.themes[j].nterms && t < 6; t++)
			print_message(" %s", themes_term_label(c, r.themes[j].term[t]));
		print_message("\n");
	}
	assert_true(ari >= 0.8);
	assert_int_equal(r.k, DEMO_TOPICS);
	o.threads = 1;
	assert_int_equal(themes_find(c, &o, &r1, err, sizeof err), 0);
	assert_int_equal(r1.k, r.k);
	assert_memory_equal(r1.theme, r.theme, N * sizeof *r.theme);
	themes_result_free(&r1);
	/* the texts tokenized by two threads make the same corpus */
	struct themes_corpus *c2 = demo_corpus_many(p, N);
	themes_corpus_weigh(c2, NULL);
	assert_int_equal(themes_corpus_terms(c2), themes_corpus_terms(c));
	for (uint32_t t = 0; t < themes_corpus_terms(c); t++)
		assert_string_equal(themes_term_label(c2, t), themes_term_label(c, t));
	o.threads = 2;
	assert_int_equal(themes_find(c2, &o, &r1, err, sizeof err), 0);
	assert_memory_equal(r1.theme, r.theme, N * sizeof *r.theme);
	themes_result_free(&r1);
	themes_corpus_free(c2);
	themes_result_free(&r);
	free(planted);
	themes_corpus_free(c);
	demo_plan_free(p);
}

int main(void)
{
	log_set_enabled(0);
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_adjusted_rand), cmocka_unit_test(test_fixture),
	        cmocka_unit_test(test_bad_options),   cmocka_unit_test(test_cancel),
	        cmocka_unit_test(test_demo_topics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
