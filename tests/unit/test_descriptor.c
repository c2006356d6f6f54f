/* test_descriptor.c: participant descriptors: the newest earlier answer of the same person to a question with the same id is carried; answers that no longer fit, other people's and other organisations' are not. */
#include "testutil.h"
#include "testdb.h"
#include "teststory.h"

#include "core/log.h"
#include "db/migrate.h"
#include "model/collection.h"
#include "model/descriptor.h"
#include "model/participant.h"
#include "model/script_store.h"
#include "model/story.h"
#include "model/user.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

/* The first script: age band and district are asked once per person. */
static const char script_a[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"eerste\",\"title\":{\"nl\":\"A\"},"
        "\"privacy\":{\"nl\":\"Privacy.\"},\"sections\":[{\"id\":\"s\",\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},\"prompts\":"
        "[{\"id\":\"p\",\"text\":{\"nl\":\"Wat gebeurde er?\"}}]},"
        "{\"id\":\"leeftijd\",\"type\":\"choice\",\"once_per_person\":true,\"text\":{\"nl\":"
        "\"Leeftijd\"},\"options\":[{\"id\":\"jong\",\"label\":{\"nl\":\"Jong\"}},{\"id\":"
        "\"oud\",\"label\":{\"nl\":\"Oud\"}}]},"
        "{\"id\":\"wijk\",\"type\":\"choice\",\"once_per_person\":true,\"text\":{\"nl\":"
        "\"Wijk\"},\"options\":[{\"id\":\"noord\",\"label\":{\"nl\":\"Noord\"}},{\"id\":"
        "\"zuid\",\"label\":{\"nl\":\"Zuid\"}}]},"
        "{\"id\":\"rol\",\"type\":\"choice\",\"once_per_person\":true,\"perspective\":"
        "\"professional\",\"text\":{\"nl\":\"Rol\"},\"options\":[{\"id\":\"mantelzorger\","
        "\"label\":{\"nl\":\"Mantelzorger\"}},{\"id\":\"client\",\"label\":{\"nl\":"
        "\"Client\"}}]}]}]}";

/* The second script asks the same descriptors, but its districts differ
 * (east and west), and "verhaal" is not a descriptor here. */
static const char script_b[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"tweede\",\"title\":{\"nl\":\"B\"},"
        "\"privacy\":{\"nl\":\"Privacy.\"},\"sections\":[{\"id\":\"s\",\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},\"prompts\":"
        "[{\"id\":\"p\",\"text\":{\"nl\":\"Wat gebeurde er?\"}}]},"
        "{\"id\":\"leeftijd\",\"type\":\"choice\",\"once_per_person\":true,\"text\":{\"nl\":"
        "\"Leeftijd\"},\"options\":[{\"id\":\"jong\",\"label\":{\"nl\":\"Jong\"}},{\"id\":"
        "\"oud\",\"label\":{\"nl\":\"Oud\"}}]},"
        "{\"id\":\"wijk\",\"type\":\"choice\",\"once_per_person\":true,\"text\":{\"nl\":"
        "\"Wijk\"},\"options\":[{\"id\":\"oost\",\"label\":{\"nl\":\"Oost\"}},{\"id\":"
        "\"west\",\"label\":{\"nl\":\"West\"}}]},"
        "{\"id\":\"rol\",\"type\":\"choice\",\"once_per_person\":true,\"perspective\":"
        "\"professional\",\"text\":{\"nl\":\"Rol\"},\"options\":[{\"id\":\"mantelzorger\","
        "\"label\":{\"nl\":\"Mantelzorger\"}},{\"id\":\"client\",\"label\":{\"nl\":"
        "\"Client\"}}]}]}]}";

struct fixture {
	char dir[64], path[96];
	db *d;
	int64_t org, other_org;
	struct script *a, *b;
	struct collection ca, cb, cother;
	int64_t p, q;
	int n;
};

static void collection_for(struct fixture *f, int64_t org, struct script *s, struct collection *c)
{
	test_collection(f->d, org, test_script_save(f->d, org, s, 1), "Verhalen", c);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_store_open(f->dir, f->path, &f->d, &f->org, "descriptor") ||
	    org_ensure(f->d, "Gemeente Anders", &f->other_org) != DB_OK)
		return -1;
	f->a = test_script_parse(script_a);
	f->b = test_script_parse(script_b);
	if (!f->a || !f->b)
		return -1;
	collection_for(f, f->org, f->a, &f->ca);
	collection_for(f, f->org, f->b, &f->cb);
	collection_for(f, f->other_org, f->a, &f->cother);
	struct contact none = {0};
	char code[PARTICIPANT_CODE_LEN + 1];
	if (participant_create(f->d, NULL, &none, code, &f->p) != DB_OK ||
	    participant_create(f->d, NULL, &none, code, &f->q) != DB_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (!f)
		return 0;
	script_free(f->a);
	script_free(f->b);
	test_store_close(f->dir, f->path, f->d);
	free(f);
	return 0;
}

/* Stores a story of participant p in c at time at, answers and
 * professional as JSON text (professional may be NULL). */
static void story(struct fixture *f, struct collection *c, const struct script *s, int64_t p,
                  int64_t at, const char *answers, const char *professional)
{
	char uuid[40];
	snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", ++f->n);
	json_t *body = json_pack("{s:s, s:s, s:i, s:o}", "id", uuid, "channel",
	                         professional ? "face-to-face" : "web", "script_version", 1,
	                         "answers", json_loads(answers, 0, NULL));
	if (professional)
		json_object_set_new(body, "professional", json_loads(professional, 0, NULL));
	struct story_submit st = {.collection = c, .participant_id = p, .created_at = at};
	const char *msg;
	struct answer_error e;
	assert_int_equal(story_prepare(&st, s, body, professional != NULL, &msg, &e), 0);
	assert_int_equal(story_submit_write(f->d, &st), DB_OK);
	assert_int_equal(st.result, STORY_NEW);
	story_submit_free(&st);
	json_decref(body);
}

static void test_nothing_before(void **state)
{
	struct fixture *f = *state;
	json_t *out = json_object();
	assert_int_equal(descriptor_carry(f->d, f->a, f->org, f->p, out), 0);
	assert_int_equal(json_object_size(out), 0);
	/* No participant: nothing to look up. */
	assert_int_equal(descriptor_carry(f->d, f->a, f->org, 0, out), 0);
	json_decref(out);
}

static void test_newest_answer_carried(void **state)
{
	struct fixture *f = *state;
	story(f, &f->ca, f->a, f->p, 1000,
	      "{\"verhaal\":{\"prompt\":\"p\",\"text\":\"Eerst\"},\"leeftijd\":\"jong\","
	      "\"wijk\":\"noord\"}",
	      "{\"rol\":\"mantelzorger\"}");
	story(f, &f->ca, f->a, f->p, 2000,
	      "{\"verhaal\":{\"prompt\":\"p\",\"text\":\"Later\"},\"leeftijd\":\"oud\"}", NULL);
	/* Someone else, and the same person in another organisation. */
	story(f, &f->ca, f->a, f->q, 3000, "{\"wijk\":\"zuid\",\"leeftijd\":\"jong\"}", NULL);
	story(f, &f->cother, f->a, f->p, 4000, "{\"wijk\":\"zuid\",\"leeftijd\":\"jong\"}", NULL);

	json_t *out = json_object();
	assert_int_equal(descriptor_carry(f->d, f->a, f->org, f->p, out), 3);
	assert_string_equal(json_string_value(json_object_get(out, "leeftijd")), "oud");
	assert_string_equal(json_string_value(json_object_get(out, "wijk")), "noord");
	/* The professional's descriptor from the professional's answers. */
	assert_string_equal(json_string_value(json_object_get(out, "rol")), "mantelzorger");
	/* Not a descriptor: not carried. */
	assert_null(json_object_get(out, "verhaal"));
	json_decref(out);

	/* The other script: "noord" is not one of its districts, so that
	 * question is asked again; the age band still fits. */
	out = json_object();
	assert_int_equal(descriptor_carry(f->d, f->b, f->org, f->p, out), 2);
	assert_string_equal(json_string_value(json_object_get(out, "leeftijd")), "oud");
	assert_null(json_object_get(out, "wijk"));
	json_decref(out);

	/* What is already in out stays and is not looked up. */
	out = json_pack("{s:s}", "leeftijd", "jong");
	assert_int_equal(descriptor_carry(f->d, f->a, f->org, f->p, out), 2);
	assert_string_equal(json_string_value(json_object_get(out, "leeftijd")), "jong");
	json_decref(out);

	/* The other organisation sees only its own story. */
	out = json_object();
	assert_int_equal(descriptor_carry(f->d, f->a, f->other_org, f->p, out), 2);
	assert_string_equal(json_string_value(json_object_get(out, "wijk")), "zuid");
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_nothing_before),
	        cmocka_unit_test(test_newest_answer_carried),
	};
	return cmocka_run_group_tests_name("descriptor", tests, setup, teardown);
}
