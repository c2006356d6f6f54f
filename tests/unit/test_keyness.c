/* test_keyness.c: keyness: G2 and log ratio against R, planted words found first, phrases, small groups, new stories arriving, bad input. */
#include "testutil.h"
#include "testdb.h"
#include "teststory.h"

#include "analysis/index.h"
#include "analysis/keyness.h"
#include "analysis/measures.h"
#include "model/story.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Reference values from R 4 (two independent ways for G2):
 *   O <- matrix(c(30,70,20,280),2); E <- outer(rowSums(O),colSums(O))/sum(O)
 *   2*sum(O*log(O/E))                                        # 32.2852525174
 *   m <- glm(cbind(c(30,20),c(70,280)) ~ factor(1:2), family=binomial)
 *   m$null.deviance - m$deviance                             # 32.2852525174
 *   log2((30/100)/(20/300))                                  # 2.16992500144
 *   qchisq(0.05/1000, 1, lower.tail=FALSE)                   # 16.44811021
 *   O <- c(0,100,12,288); E <- c(3, 97, 9, 291); k <- O>0
 *   2*sum(O[k]*log(O[k]/E[k]))                               # 7.02724590331 */
static void test_g2_reference(void **state)
{
	assert_true(fabs(keyness_g2(30, 100, 20, 300) - 32.2852525174) < 1e-9);
	assert_true(fabs(keyness_log_ratio(30, 100, 20, 300) - 2.16992500144) < 1e-9);
	assert_true(fabs(keyness_bonferroni(0.05, 1000) - 16.44811021) < 1e-6);
	assert_true(fabs(keyness_g2(0, 100, 12, 300) - 7.02724590331) < 1e-9);
	/* the same share in both: nothing to tell */
	assert_true(keyness_g2(10, 100, 30, 300) < 1e-12);
	/* zero taken as 0.5 */
	assert_true(fabs(keyness_log_ratio(4, 100, 0, 300) - log2((4 / 100.0) / (0.5 / 300))) <
	            1e-12);
}

static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"keyness\",\"title\":{\"nl\":\"K\"},"
        "\"privacy\":{\"nl\":\"P\"},\"sections\":[{\"id\":\"s\",\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p1\",\"text\":{\"nl\":\"Een\"}}]},"
        "{\"id\":\"wijk\",\"type\":\"choice\",\"text\":{\"nl\":\"Wijk\"},"
        "\"options\":[{\"id\":\"noord\",\"label\":{\"nl\":\"Noord\"}},{\"id\":\"zuid\","
        "\"label\":{\"nl\":\"Zuid\"}},{\"id\":\"oost\",\"label\":{\"nl\":\"Oost\"}}]}"
        "]}]}";

struct fixture {
	char dir[64], path[96];
	db *d;
	int64_t org;
	struct script *script;
	struct collection c;
	int next;
	aix *x;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->script = test_story_setup(f->dir, f->path, &f->d, &f->org, "keyness", script_text,
	                             "Sleutel", &f->c);
	if (!f->script)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (f->x)
		aix_free(f->x);
	script_free(f->script);
	test_store_close(f->dir, f->path, f->d);
	free(f);
	return 0;
}

static void add(struct fixture *f, const char *wijk, const char *title, const char *text)
{
	json_t *b = json_pack("{sssssisss{s{ssssss}ss}}", "id", "", "channel", "web",
	                      "script_version", 1, "language", "nl", "answers", "verhaal", "prompt",
	                      "p1", "title", title, "text", text, "wijk", wijk);
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
	story_submit_free(&st);
}

/* Common sentences every district uses, so only the planted words differ. */
static const char *const common[] = {
        "Het gesprek met de consulent ging goed en ik kreeg uitleg.",
        "Ik woon al jaren in de buurt en de buren helpen soms.",
        "De brief van de gemeente was lastig te lezen.",
        "Mijn dochter kwam mee naar het gesprek.",
};

static void plant(struct fixture *f)
{
	char text[512];
	for (int i = 0; i < 60; i++) {
		const char *c = common[i % 4];
		/* noord: about waiting lists and wheelchairs, in 40 of its 60 */
		if (i % 3)
			snprintf(
			        text, sizeof text,
			        "%s De wachtlijsten voor een rolstoel zijn lang. Weinig geld over.",
			        c);
		else
			snprintf(text, sizeof text, "%s", c);
		add(f, "noord", i % 2 ? "Lang wachten" : "Een verhaal", text);
		/* zuid and oost: the common sentences, a few with the words */
		snprintf(text, sizeof text, "%s%s", c,
		         i % 20 == 0 ? " Er was een wachtlijst voor de rolstoel." : "");
		add(f, i % 2 ? "zuid" : "oost", "Een verhaal", text);
	}
}

static json_t *keyness(struct fixture *f, const char *filter, const char *against, int limit,
                       int *status)
{
	if (!f->x)
		f->x = aix_new(f->path);
	struct aix_coll *c = aix_acquire(f->x, f->org, f->c.id);
	assert_non_null(c);
	struct measure_args a = {.c = c, .d = f->d, .filter = filter, .b = against, .limit = limit};
	json_t *out = NULL;
	char err[512] = "";
	*status = measure_keyness(&a, &out, err, sizeof err);
	aix_release(c);
	if (*status)
		return json_pack("{ss}", "error", err);
	return out;
}

static const char *term(json_t *o, size_t i)
{
	return json_string_value(
	        json_object_get(json_array_get(json_object_get(o, "terms"), i), "stem"));
}

static void test_planted_first(void **state)
{
	struct fixture *f = *state;
	plant(f);
	int status;
	json_t *o = keyness(f, "wijk = noord", NULL, 0, &status);
	assert_int_equal(status, 0);
	assert_false(json_is_true(json_object_get(o, "too_few")));
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(o, "target"), "stories")), 60);
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(o, "reference"), "stories")),
	        60);
	/* the planted words and phrases, and nothing of the common sentences */
	json_t *terms = json_object_get(o, "terms");
	size_t n = json_array_size(terms);
	assert_true(n >= 4);
	const char *planted[] = {
	        "wachtlijst",          "rolstoel",      "lang",  "weinig",    "geld", "weinig geld",
	        "wachtlijst rolstoel", "rolstoel lang", "wacht", "lang wacht"};
	for (size_t i = 0; i < n; i++) {
		const char *s = term(o, i);
		int found = 0;
		for (size_t j = 0; j < sizeof planted / sizeof planted[0]; j++)
			found |= strcmp(s, planted[j]) == 0;
		if (!found)
			fail_msg("unexpected key term %zu: %s", i, s);
	}
	/* the first: "lang" in 50 noord stories (titles and texts), 0 others */
	json_t *t0 = json_array_get(terms, 0);
	assert_string_equal(term(o, 0), "lang");
	assert_int_equal(json_integer_value(json_object_get(t0, "target")), 50);
	double g = json_real_value(json_object_get(t0, "g2"));
	assert_true(g > KEYNESS_G2_CUTOFF);
	/* sorted by G2 */
	for (size_t i = 1; i < n; i++)
		assert_true(json_real_value(json_object_get(json_array_get(terms, i), "g2")) <=
		            json_real_value(json_object_get(json_array_get(terms, i - 1), "g2")));
	/* the written form, the phrase as written, a reference under the
	 * minimum group hidden */
	int saw_phrase = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *t = json_array_get(terms, i);
		const char *s = json_string_value(json_object_get(t, "stem"));
		if (strcmp(s, "wachtlijst") == 0) {
			assert_string_equal(json_string_value(json_object_get(t, "term")),
			                    "wachtlijsten");
			assert_true(json_is_null(json_object_get(t, "reference")));
			assert_true(fabs(json_real_value(json_object_get(t, "g2")) -
			                 keyness_g2(40, 60, 3, 60)) < 1e-5);
		}
		if (strcmp(s, "weinig geld") == 0) {
			saw_phrase = 1;
			assert_true(json_is_true(json_object_get(t, "phrase")));
			assert_string_equal(json_string_value(json_object_get(t, "term")),
			                    "weinig geld");
		}
	}
	assert_true(saw_phrase);
	/* "lang geld" would cross a sentence end: never a phrase */
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(term(o, i), "lang weinig");
	json_decref(o);

	/* the limit */
	o = keyness(f, "wijk = noord", NULL, 2, &status);
	assert_int_equal(json_array_size(json_object_get(o, "terms")), 2);
	json_decref(o);

	/* against another filter: noord against zuid */
	o = keyness(f, "wijk = noord", "wijk = zuid", 0, &status);
	assert_int_equal(status, 0);
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(o, "reference"), "stories")),
	        30);
	assert_true(json_array_size(json_object_get(o, "terms")) >= 2);
	json_decref(o);

	/* the rest: none of noord's words, but its own title */
	o = keyness(f, "wijk != noord", NULL, 0, &status);
	assert_int_equal(status, 0);
	assert_string_equal(term(o, 0), "verhal");
	for (size_t i = 0; i < json_array_size(json_object_get(o, "terms")); i++)
		assert_string_not_equal(term(o, i), "wachtlijst");
	json_decref(o);
}

static void test_small_and_bad(void **state)
{
	struct fixture *f = *state;
	plant(f);
	int status;
	/* a target under the minimum group: no terms */
	json_t *o = keyness(f, "wijk = noord and period = 2000", NULL, 0, &status);
	assert_int_equal(status, 0);
	assert_true(json_is_true(json_object_get(o, "too_few")));
	assert_true(json_is_null(json_object_get(json_object_get(o, "target"), "stories")));
	assert_int_equal(json_array_size(json_object_get(o, "terms")), 0);
	json_decref(o);
	/* every story as the target: the reference is empty */
	o = keyness(f, "", NULL, 0, &status);
	assert_int_equal(status, 0);
	assert_true(json_is_true(json_object_get(o, "too_few")));
	json_decref(o);
	/* bad filters and limits: 400 with a message */
	o = keyness(f, "wijk = ", NULL, 0, &status);
	assert_int_equal(status, 400);
	assert_non_null(strstr(json_string_value(json_object_get(o, "error")), "filter"));
	json_decref(o);
	o = keyness(f, "wijk = noord", "wijk = (", 0, &status);
	assert_int_equal(status, 400);
	assert_non_null(strstr(json_string_value(json_object_get(o, "error")), "against"));
	json_decref(o);
	o = keyness(f, "wijk = noord", NULL, KEYNESS_MAX_LIMIT + 1, &status);
	assert_int_equal(status, 400);
	json_decref(o);
}

/* Stories that arrive after the term lists were built count at once. */
static void test_new_stories(void **state)
{
	struct fixture *f = *state;
	plant(f);
	int status;
	json_t *o = keyness(f, "wijk = oost", NULL, 0, &status);
	assert_int_equal(status, 0);
	for (size_t i = 0; i < json_array_size(json_object_get(o, "terms")); i++)
		assert_string_not_equal(term(o, i), "fiets");
	json_decref(o);
	for (int i = 0; i < 20; i++)
		add(f, "oost", "Fiets", "Ik kreeg een driewielfiets en kan weer naar de markt.");
	o = keyness(f, "wijk = oost", NULL, 0, &status);
	assert_int_equal(status, 0);
	int found = 0;
	for (size_t i = 0; i < json_array_size(json_object_get(o, "terms")); i++)
		found |= strcmp(term(o, i), "markt") == 0;
	assert_true(found);
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(o, "target"), "stories")), 50);
	json_decref(o);
}

/* In the server, a large part is built in the background: 503 "being
 * prepared" until it is ready, then the same words as built at once. */
static void test_background_build(void **state)
{
	struct fixture *f = *state;
	plant(f);
	f->x = aix_new(f->path);
	aix_set_global(f->x);
	keyness_set_sync_max(10);
	int status;
	json_t *o = keyness(f, "wijk = noord", NULL, 0, &status);
	assert_int_equal(status, 503);
	assert_non_null(strstr(json_string_value(json_object_get(o, "error")), "being prepared"));
	json_decref(o);
	for (int i = 0; i < 200 && status == 503; i++) {
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
		o = keyness(f, "wijk = noord", NULL, 0, &status);
		if (status == 503)
			json_decref(o);
	}
	keyness_set_sync_max(50000);
	aix_set_global(NULL);
	assert_int_equal(status, 0);
	assert_string_equal(term(o, 0), "lang");
	assert_int_equal(json_integer_value(json_object_get(
	                         json_array_get(json_object_get(o, "terms"), 0), "target")),
	                 50);
	json_decref(o);
	/* new stories after the build are appended at once */
	for (int i = 0; i < 20; i++)
		add(f, "oost", "Fiets", "Ik kreeg een driewielfiets en kan weer naar de markt.");
	o = keyness(f, "wijk = oost", NULL, 0, &status);
	assert_int_equal(status, 0);
	int found = 0;
	for (size_t i = 0; i < json_array_size(json_object_get(o, "terms")); i++)
		found |= strcmp(term(o, i), "markt") == 0;
	assert_true(found);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_g2_reference),
	        cmocka_unit_test_setup_teardown(test_planted_first, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_small_and_bad, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_new_stories, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_background_build, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
