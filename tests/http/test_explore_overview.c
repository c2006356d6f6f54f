/* test_explore_overview.c: the explorer's people over time, client and consultant, the overviews of a collection and a trajectory, and the report pages, on demo stories. */
#include "../unit/testutil.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "gen/embedded.h"
#include "model/collection.h"
#include "model/conversation.h"
#include "model/demo.h"
#include "model/script_store.h"
#include "model/story_set.h"
#include "model/trajectory.h"
#include "model/user.h"

#include <jansson.h>
#include <string.h>

#define PW "analyst password 123"

enum { NSTORIES = 900 };

static long long coll_id, other_id, traj_id, other_traj_id, set_id;
static struct jar analyst, outsider;
static struct app_config config;

/* The demo script's text (NUL-terminated, malloc'ed). */
static char *demo_text(void)
{
	for (size_t k = 0; k < embedded_templates_count; k++)
		if (strcmp(embedded_templates[k].name, DEMO_SCRIPT_FILE) == 0)
			return strndup((const char *)embedded_templates[k].data,
			               embedded_templates[k].len);
	return NULL;
}

/* NSTORIES demo stories (seed 1) into collection id of org. */
static void seed_demo(db *d, int64_t org, int64_t id, const char *text)
{
	struct collection c;
	assert_int_equal(collection_by_id(d, org, id, &c), DB_ROW);
	char err[256];
	struct script *s = script_parse_text(text, strlen(text), err, sizeof err);
	assert_non_null(s);
	struct demo_options o = {.stories = NSTORIES, .seed = 1};
	struct demo_plan *p = demo_plan_new(&o);
	struct demo_batch b = {.plan = p, .collection = &c, .from = 0, .to = NSTORIES};
	if (demo_batch_prepare(&b, s, err, sizeof err))
		fail_msg("demo: %s", err);
	assert_int_equal(demo_batch_write(d, &b), 0);
	assert_int_equal(b.stored, NSTORIES);
	demo_batch_free(&b);
	demo_plan_free(p);
	script_free(s);
}

/* A trajectory of org by user (with scope, rationale and contact route, so
 * it can invite). */
static int64_t trajectory(db *d, int64_t org, int64_t user, const char *title)
{
	struct trajectory_new t = {.org_id = org, .user_id = user, .f = {.title = title}};
	assert_int_equal(trajectory_create_write(d, &t), DB_OK);
	struct trajectory_update u = {
	        .org_id = org,
	        .id = t.id,
	        .user_id = user,
	        .f = {.title = title,
	              .scope = "U praat mee over de Wmo. We gebruiken uw verhaal voor beleid.",
	              .selection_rationale = "U kreeg hulp uit de Wmo.",
	              .contact_route = "bel 14 020"}};
	assert_int_equal(trajectory_update_write(d, &u), DB_OK);
	return t.id;
}

/* A conversation of trajectory traj held with two people invited: both
 * wait for feedback (two open loops). */
static void held_conversation(db *d, const vault *v, int64_t traj, int64_t user)
{
	struct conversation_new cn = {.trajectory_id = traj, .user_id = user, .title = "Tafel"};
	assert_int_equal(conversation_create_write(d, &cn), DB_OK);
	for (int i = 0; i < 2; i++) {
		struct conversation_person_new p = {.v = v,
		                                    .trajectory_id = traj,
		                                    .conversation_id = cn.id,
		                                    .kind = "resident",
		                                    .name = i ? "Bea" : "Ali",
		                                    .email = i ? "b@example.nl" : "a@example.nl"};
		assert_int_equal(conversation_person_write(d, &p), DB_OK);
		assert_int_equal(p.result, CONV_OK);
	}
	struct conversation_invite inv = {.v = v,
	                                  .trajectory_id = traj,
	                                  .conversation_id = cn.id,
	                                  .channel = "letter",
	                                  .text = "Wilt u met ons praten?"};
	assert_int_equal(conversation_invite_write(d, &inv), DB_OK);
	assert_int_equal(inv.result, CONV_OK);
	struct conversation_appointment a = {.trajectory_id = traj,
	                                     .conversation_id = cn.id,
	                                     .a = {.starts_at = clock_now() + 3600,
	                                           .minutes = 60,
	                                           .place_kind = "home",
	                                           .place = "",
	                                           .official_user_id = user,
	                                           .remind_minutes = -1}};
	assert_int_equal(conversation_appointment_write(d, &a), DB_OK);
	assert_int_equal(a.result, CONV_OK);
	struct conversation_change h = {.trajectory_id = traj,
	                                .conversation_id = cn.id,
	                                .user_id = user,
	                                .action = CONV_ACT_HELD};
	assert_int_equal(conversation_change_write(d, &h), DB_OK);
	assert_int_equal(h.result, CONV_OK);
}

static int setup(void **state)
{
	db *d = fixture_open("overview");
	int64_t org, other;
	if (!d || org_ensure(d, "Gemeente Overzicht", &org) != DB_OK ||
	    org_ensure(d, "Gemeente Anders", &other) != DB_OK)
		return -1;
	int64_t uid = fixture_user(d, org, "analist", "Ann Analist", ROLE_ONDERZOEKER, PW, 0);
	int64_t oid = fixture_user(d, org, "buiten", "Bo Buiten", ROLE_ONDERZOEKER, PW, 0);
	int64_t xid = fixture_user(d, other, "anders", "Ed Anders", ROLE_ONDERZOEKER, PW, 0);
	if (uid <= 0 || oid <= 0 || xid <= 0)
		return -1;
	char *text = demo_text();
	if (!text)
		return -1;
	traj_id = trajectory(d, org, uid, "Wmo luisteren");
	other_traj_id = trajectory(d, other, xid, "Anders luisteren");
	int64_t sid = wt_script(d, org, text, NULL);
	struct collection_new cn = {.org_id = org,
	                            .title = "Wmo verhalen",
	                            .purpose = "Leren van verhalen",
	                            .script_id = sid,
	                            .script_version = 1,
	                            .retention_days = 3650,
	                            .trajectory_id = traj_id};
	assert_int_equal(collection_create_write(d, &cn), 0);
	assert_int_equal(cn.result, COLLECTION_OK);
	coll_id = cn.id;
	seed_demo(d, org, coll_id, text);
	int64_t osid = wt_script(d, other, text, NULL);
	other_id = wt_collection_for(d, other, osid, "Anders", "Testen", 3650, NULL);
	free(text);
	char err[256];
	vault *v = vault_load(keypath, err, sizeof err);
	if (!v)
		return -1;
	held_conversation(d, v, traj_id, uid);
	vault_free(v);
	/* a story set of three stories, for the report */
	struct story_set_add_job sj = {
	        .collection_id = coll_id, .story_id = 5, .user_id = uid, .name = "Raad"};
	assert_int_equal(story_set_add_write(d, &sj), DB_OK);
	assert_true(sj.found);
	set_id = sj.set_added;
	for (int64_t s = 6; s <= 7; s++) {
		struct story_set_add_job more = {
		        .collection_id = coll_id, .story_id = s, .user_id = uid, .set_id = set_id};
		assert_int_equal(story_set_add_write(d, &more), DB_OK);
	}
	fixture_config(&config);
	config.analysis_min_group = 10;
	if (fixture_start(d, &config) != 0)
		return -1;
	wt_login(&analyst, "analist", PW, "10.31.1.1", "en");
	wt_login(&outsider, "buiten", PW, "10.31.1.2", "en");
	return 0;
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* GET path as j; the status, and the body (malloc'ed) in *body. */
static int get_as(struct jar *j, const char *path, char **body)
{
	struct jar tmp = *j;
	struct http_resp r;
	assert_int_equal(http_get(port, &tmp, path, &r), 0);
	int st = r.status;
	*body = strndup(r.body ? r.body : "", r.body_len);
	http_free(&r);
	return st;
}

/* GET /verkennen/<id>/<page><query> as the analyst. */
static int get(long long id, const char *page, const char *query, char **body)
{
	char path[1024];
	snprintf(path, sizeof path, "/verkennen/%lld%s%s%s", id, *page ? "/" : "", page,
	         query ? query : "");
	return get_as(&analyst, path, body);
}

/* The number after "key": in the JSON at path, or -1. */
static long long api_number(const char *path, const char *key)
{
	char *body;
	assert_int_equal(get_as(&analyst, path, &body), 200);
	json_error_t e;
	json_t *j = json_loads(body, 0, &e);
	free(body);
	long long v = json_is_integer(json_object_get(j, key))
	                      ? json_integer_value(json_object_get(j, key))
	                      : -1;
	json_decref(j);
	return v;
}

/* ---- people over time --------------------------------------------------------- */

static void test_people(void **state)
{
	char *body, want[256];
	/* the first question that can be followed: the slider "did it help" */
	assert_int_equal(get(coll_id, "mensen", NULL, &body), 200);
	assert_non_null(strstr(body, "<option value=\"q-geholpen\" selected>"));
	assert_null(strstr(body, "<option value=\"q-situatie\""));
	snprintf(want, sizeof want, "/api/v1/collections/%lld/analysis/over-time/q-geholpen",
	         coll_id);
	long long people = api_number(want, "people");
	assert_true(people >= 10);
	/* the test in words, with the same number of people as the engine */
	const char *sum = strstr(body, "id=\"mensen-samenvatting\">");
	assert_non_null(sum);
	snprintf(want, sizeof want, ">%lld people told two or more stories", people);
	assert_non_null(strstr(sum - 1, want));
	assert_non_null(strstr(sum, "Wilcoxon signed-rank test: p &lt; 0.001"));
	assert_non_null(strstr(sum, "probably not chance"));
	/* the slope chart with a focusable mark per person, and its figures */
	assert_non_null(strstr(body, "vp-slope"));
	assert_non_null(strstr(body, "vp-slope-mark vp-slope--up\" aria-label=\"Person 1: "));
	assert_non_null(strstr(body, "tabindex=\"0\" role=\"img\""));
	assert_non_null(strstr(body, "<caption class=\"utrecht-table__caption\">Each person"));
	/* the download: the engine's document */
	snprintf(want, sizeof want,
	         "href=\"/api/v1/collections/%lld/analysis/over-time/q-geholpen\"", coll_id);
	assert_non_null(strstr(body, want));
	free(body);

	/* a triangle: first and last answers on a ternary plot */
	assert_int_equal(get(coll_id, "mensen", "?vraag=q-steun", &body), 200);
	assert_non_null(strstr(body, "vp-tri-pairs"));
	assert_non_null(strstr(body, "Hotelling"));
	free(body);

	/* a filter narrows it, and appears in the links */
	assert_int_equal(
	        get(coll_id, "mensen", "?vraag=q-geholpen&filter=q-wijk%20%3D%20centrum", &body),
	        200);
	assert_non_null(strstr(body, "value=\"q-wijk = centrum\""));
	assert_non_null(strstr(body, "over-time/q-geholpen?filter=q-wijk%20%3D%20centrum"));
	free(body);

	/* too few people: no chart, no figures */
	assert_int_equal(
	        get(coll_id, "mensen", "?vraag=q-geholpen&filter=period%20%3D%202024-01", &body),
	        200);
	assert_non_null(strstr(body, "vp-chart-too-few"));
	assert_null(strstr(body, "vp-slope"));
	assert_null(strstr(body, "Person 1"));
	free(body);
}

static void test_people_errors(void **state)
{
	char *body;
	/* a choice cannot be followed as a number */
	assert_int_equal(get(coll_id, "mensen", "?vraag=q-situatie", &body), 400);
	assert_non_null(strstr(body, "Choose a question with a slider"));
	assert_non_null(strstr(body, "<title>Error: "));
	free(body);
	assert_int_equal(get(coll_id, "mensen", "?vraag=q-nope", &body), 400);
	free(body);
	/* a filter that does not parse: the parser's message, the text kept */
	assert_int_equal(get(coll_id, "mensen", "?filter=q-onbekend%20%3D%20x", &body), 400);
	assert_non_null(strstr(body, "at 1: unknown question q-onbekend"));
	assert_non_null(strstr(body, "value=\"q-onbekend = x\""));
	assert_null(strstr(body, "vp-slope"));
	free(body);
	assert_int_equal(get(coll_id, "mensen", "?filter=q-situatie%20%3D%20a%20AND", &body), 400);
	free(body);
	/* another organisation's collection, one that does not exist */
	assert_int_equal(get(other_id, "mensen", NULL, &body), 404);
	free(body);
	assert_int_equal(get(999999, "mensen", NULL, &body), 404);
	free(body);
	/* a colleague who is not on the trajectory */
	char path[128];
	snprintf(path, sizeof path, "/verkennen/%lld/mensen", coll_id);
	assert_int_equal(get_as(&outsider, path, &body), 404);
	free(body);
}

/* ---- client and consultant ---------------------------------------------------- */

static void test_perspectives(void **state)
{
	char *body, want[256];
	assert_int_equal(get(coll_id, "perspectieven", "?vraag=q-tevredenheid", &body), 200);
	/* only the teller's questions to choose */
	assert_non_null(strstr(body, "<option value=\"q-tevredenheid\" selected>"));
	assert_null(strstr(body, "<option value=\"q-pro-tevredenheid\""));
	snprintf(want, sizeof want, "/api/v1/collections/%lld/analysis/perspectives/q-tevredenheid",
	         coll_id);
	long long n = api_number(want, "n");
	assert_true(n >= 10);
	const char *sum = strstr(body, "id=\"perspectief-samenvatting\">");
	assert_non_null(sum);
	snprintf(want, sizeof want, ">In %lld stories both the teller and the consultant", n);
	assert_non_null(strstr(sum - 1, want));
	assert_non_null(strstr(sum, "Agreement (weighted kappa): 0."));
	/* drawn: the difference and kappa with their intervals, paired dots */
	assert_non_null(strstr(body, "<figcaption>Consultant minus teller: "));
	assert_non_null(strstr(body, "<figcaption>Agreement (weighted kappa): "));
	assert_non_null(strstr(body, "vp-dumbbell"));
	/* each story where they differ most links to it */
	const char *link = strstr(body, "class=\"utrecht-link vp-differ-link\" href=\"");
	assert_non_null(link);
	snprintf(want, sizeof want,
	         "/verkennen/%lld/perspectieven/verhalen?vraag=q-tevredenheid#verhaal-", coll_id);
	assert_non_null(strstr(link, want));
	free(body);

	/* the stories themselves, each logged */
	long long before = wt_count("SELECT COUNT(*) FROM audit_log WHERE action = 'view' AND "
	                            "detail = 'perspectives'");
	snprintf(want, sizeof want, "/verkennen/%lld/perspectieven/verhalen?vraag=q-tevredenheid",
	         coll_id);
	assert_int_equal(get_as(&analyst, want, &body), 200);
	assert_non_null(strstr(body, "class=\"vp-differ-story\" id=\"verhaal-"));
	assert_non_null(strstr(body, "vp-story-item"));
	int shown = 0;
	for (const char *p = body; (p = strstr(p, "class=\"vp-differ-story\"")); p++)
		shown++;
	assert_int_equal(shown, 10);
	free(body);
	long long after = wt_count("SELECT COUNT(*) FROM audit_log WHERE action = 'view' AND "
	                           "detail = 'perspectives'");
	assert_int_equal(after - before, 10);

	/* a triangle: the geometric means in words, pairs on a ternary plot */
	assert_int_equal(get(coll_id, "perspectieven", "?vraag=q-steun", &body), 200);
	assert_non_null(strstr(body, "vp-tri-pairs"));
	assert_non_null(strstr(body, "geometric mean"));
	free(body);
}

static void test_perspectives_errors(void **state)
{
	char *body;
	assert_int_equal(get(coll_id, "perspectieven", "?vraag=q-situatie", &body), 400);
	free(body);
	assert_int_equal(get(coll_id, "perspectieven", "?vraag=q-pro-geholpen", &body), 400);
	free(body);
	/* a question with no consultant's counterpart */
	assert_int_equal(get(coll_id, "perspectieven", "?vraag=q-gehoord", &body), 400);
	assert_non_null(strstr(body, "q-gehoord has no question of the other perspective"));
	free(body);
	assert_int_equal(get(coll_id, "perspectieven",
	                     "?vraag=q-geholpen&filter=q-geholpen%20%3D%20veel", &body),
	                 400);
	assert_non_null(strstr(body, "expected a number from 0 to 100, got veel"));
	free(body);
	assert_int_equal(get(coll_id, "perspectieven/verhalen", "?filter=(", &body), 400);
	free(body);
	/* a small group: neither figures nor stories */
	assert_int_equal(get(coll_id, "perspectieven/verhalen",
	                     "?vraag=q-geholpen&filter=period%20%3D%202024-01-02", &body),
	                 200);
	assert_non_null(strstr(body, "vp-chart-too-few"));
	assert_null(strstr(body, "vp-story-item"));
	free(body);
	assert_int_equal(get(other_id, "perspectieven", NULL, &body), 404);
	free(body);
	assert_int_equal(get(other_id, "perspectieven/verhalen", NULL, &body), 404);
	free(body);
}

/* ---- the overview of a collection ---------------------------------------------- */

/* How often needle occurs in hay. */
static int occurrences(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_overview(void **state)
{
	char *body, want[512];
	/* the explorer links to it first */
	assert_int_equal(get(coll_id, "", NULL, &body), 200);
	snprintf(want, sizeof want, "href=\"/verkennen/%lld/overzicht\"", coll_id);
	const char *ov = strstr(body, want);
	assert_non_null(ov);
	snprintf(want, sizeof want, "href=\"/verkennen/%lld/patronen\"", coll_id);
	assert_true(ov < strstr(body, want));
	free(body);

	assert_int_equal(get(coll_id, "overzicht", NULL, &body), 200);
	/* stories over time by channel: eight quarters, with the table */
	assert_non_null(strstr(body, "vp-stacked"));
	assert_non_null(strstr(body, ">2024-Q1<"));
	assert_non_null(strstr(body, ">2025-Q4<"));
	assert_non_null(strstr(body, "<title>2025-Q4, Online: ")); /* a link now */
	assert_non_null(strstr(body, "Stories per period and channel"));
	/* each quarter's total in the table as the engine counts it */
	{
		char path[128];
		snprintf(path, sizeof path, "/api/v1/collections/%lld/analysis/count", coll_id);
		char *doc;
		assert_int_equal(get_as(&analyst, path, &doc), 200);
		json_error_t je;
		json_t *j = json_loads(doc, 0, &je);
		free(doc);
		json_t *per = json_object_get(j, "by_period");
		assert_int_equal(json_array_size(per), 8);
		size_t k;
		json_t *e;
		json_array_foreach(per, k, e)
		{
			char head[96];
			snprintf(head, sizeof head, "scope=\"row\">%s</th>",
			         json_string_value(json_object_get(e, "period")));
			const char *row = strstr(body, head);
			assert_non_null(row);
			const char *end = strstr(row, "</tr>");
			snprintf(want, sizeof want, ">%lld</td></tr>",
			         (long long)json_integer_value(json_object_get(e, "n")));
			assert_non_null(end);
			assert_true(strncmp(end - strlen(want) + 5, want, strlen(want)) == 0);
		}
		json_decref(j);
	}
	/* the consultant's share, as the engine counts it */
	snprintf(want, sizeof want, "/api/v1/collections/%lld/analysis/count", coll_id);
	long long pro = api_number(want, "professional");
	snprintf(want, sizeof want, ">%lld of %d stories carry the consultant&#39;s answers too",
	         pro, NSTORIES);
	if (!strstr(body, want))
		print_message("want %s in %.300s\n", want, strstr(body, "adviseur-aandeel"));
	assert_non_null(strstr(body, want));
	/* three patterns and three changes, each one click from its evidence */
	assert_int_equal(occurrences(body, "class=\"vp-overview-pattern\""), 3);
	snprintf(want, sizeof want,
	         "class=\"utrecht-link vp-overview-evidence\" href=\"/verkennen/%lld?filter=q-",
	         coll_id);
	assert_true(occurrences(body, want) >= 3);
	assert_non_null(strstr(body, "2025-Q4 against 2025-Q3"));
	assert_int_equal(occurrences(body, "class=\"vp-overview-change\""), 3);
	snprintf(want, sizeof want,
	         "href=\"/verkennen/%lld/"
	         "vergelijken?a=period%%20%%3D%%202025-Q3&amp;b=period%%20%%3D%%"
	         "202025-Q4\"",
	         coll_id);
	assert_non_null(strstr(body, want));
	/* the trajectory's open loops: two people wait since the talk today */
	assert_non_null(strstr(body, "vp-overview-loops__count\">2</strong>"));
	assert_non_null(strstr(body, "href=\"/gesprekken\""));
	snprintf(want, sizeof want, "href=\"/verkennen/%lld/rapport\"", coll_id);
	assert_non_null(strstr(body, want));
	free(body);

	/* a filter narrows every part, and the links keep it */
	assert_int_equal(get(coll_id, "overzicht", "?filter=channel%20%3D%20face-to-face", &body),
	                 200);
	assert_null(strstr(body, "aria-label=\"2025-Q4, Online: "));
	snprintf(want, sizeof want,
	         "href=\"/verkennen/%lld/"
	         "vergelijken?a=channel%%20%%3D%%20face-to-face%%20and%%20period",
	         coll_id);
	assert_non_null(strstr(body, want));
	free(body);

	/* too few stories: no figures at all */
	assert_int_equal(get(coll_id, "overzicht", "?filter=period%20%3D%202024-01-02", &body),
	                 200);
	assert_null(strstr(body, "vp-stacked"));
	assert_null(strstr(body, "class=\"vp-overview-pattern\""));
	assert_non_null(strstr(body, "vp-chart-too-few"));
	free(body);
}

static void test_overview_errors(void **state)
{
	char *body;
	assert_int_equal(get(coll_id, "overzicht", "?filter=q-situatie%20%3D%20eenzaam", &body),
	                 400);
	assert_non_null(strstr(body, "at 14: q-situatie has no option eenzaam"));
	assert_null(strstr(body, "vp-stacked"));
	free(body);
	assert_int_equal(get(other_id, "overzicht", NULL, &body), 404);
	free(body);
	char path[128];
	snprintf(path, sizeof path, "/verkennen/%lld/overzicht", coll_id);
	assert_int_equal(get_as(&outsider, path, &body), 404);
	free(body);
}

/* ---- the overview of a trajectory ------------------------------------------------ */

static void test_trajectory_overview(void **state)
{
	char *body, path[256], want[256];
	/* the trajectory's page links to it */
	snprintf(path, sizeof path, "/trajecten/%lld", traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 200);
	snprintf(want, sizeof want, "href=\"/trajecten/%lld/overzicht\"", traj_id);
	assert_non_null(strstr(body, want));
	free(body);
	snprintf(path, sizeof path, "/trajecten/%lld/overzicht", traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 200);
	assert_non_null(strstr(body, "<title>Overview: Wmo luisteren"));
	/* the conversations by status, the open loops */
	assert_non_null(strstr(body, "Conversations by status"));
	assert_non_null(strstr(body, "held: 100%"));
	assert_non_null(strstr(body, "vp-overview-loops__count\">2</strong>"));
	/* each collection with its own parts, linked to its overview */
	assert_non_null(strstr(body, "vp-overview-collection__title\" id=\"c"));
	assert_non_null(strstr(body, ">Wmo verhalen</h2>"));
	snprintf(want, sizeof want, "href=\"/verkennen/%lld/overzicht\"", coll_id);
	assert_non_null(strstr(body, want));
	assert_int_equal(occurrences(body, "class=\"vp-overview-pattern\""), 3);
	assert_non_null(strstr(body, "vp-stacked"));
	free(body);
	/* a filter for every collection */
	snprintf(path, sizeof path, "/trajecten/%lld/overzicht?filter=channel%%20%%3D%%20web",
	         traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 200);
	snprintf(want, sizeof want,
	         "href=\"/verkennen/%lld/overzicht?filter=channel%%20%%3D%%20web\"", coll_id);
	assert_non_null(strstr(body, want));
	free(body);
	snprintf(path, sizeof path, "/trajecten/%lld/overzicht?filter=channel%%20%%3D%%20fax",
	         traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 400);
	assert_non_null(strstr(body, "Wmo verhalen: at "));
	free(body);
	/* another organisation's trajectory, and one the colleague is not on */
	snprintf(path, sizeof path, "/trajecten/%lld/overzicht", other_traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 404);
	free(body);
	snprintf(path, sizeof path, "/trajecten/%lld/overzicht", traj_id);
	assert_int_equal(get_as(&outsider, path, &body), 404);
	free(body);
}

/* ---- marks that open what is behind them ------------------------------------------- */

/* The trajectory overview's status bars: a bar with conversations links to
 * the trajectory's conversations of that status; an empty one still takes
 * keyboard focus with its name. The agreement intervals of client and
 * consultant link to the stories where they differ most. */
static void test_marks(void **state)
{
	char *body, path[256], want[256];
	snprintf(path, sizeof path, "/trajecten/%lld/overzicht", traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 200);
	const char *sec = strstr(body, "vp-overview-conversations");
	assert_non_null(sec);
	char *conv = strndup(sec, (size_t)(strstr(sec, "</section>") - sec));
	snprintf(want, sizeof want,
	         "<a href=\"/trajecten/%lld?status=held#gesprekken\"><title>held: 100%%</title>",
	         traj_id);
	assert_non_null(strstr(conv, want));
	assert_int_equal(occurrences(conv, "<a href="), 1);
	/* the seven other statuses: focusable, named, no link */
	assert_int_equal(occurrences(conv, "<g tabindex=\"0\" role=\"img\" aria-label=\""), 7);
	assert_non_null(strstr(conv, "aria-label=\"being prepared: 0%\""));
	free(conv);
	free(body);

	/* the link opens the list of that status; another status lists none */
	snprintf(path, sizeof path, "/trajecten/%lld?status=held", traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 200);
	assert_non_null(
	        strstr(body, "Only the conversations with the status: <strong>held</strong>"));
	assert_non_null(strstr(body, ">Tafel</a> · held"));
	free(body);
	snprintf(path, sizeof path, "/trajecten/%lld?status=draft", traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 200);
	assert_null(strstr(body, ">Tafel</a>"));
	free(body);
	/* an unknown status: a 400 that says so, and the whole list */
	snprintf(path, sizeof path, "/trajecten/%lld?status=%%3Cb%%3Ex", traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 400);
	assert_non_null(strstr(body, "There is no such conversation status."));
	assert_non_null(strstr(body, ">Tafel</a> · held"));
	assert_null(strstr(body, "<b>x"));
	free(body);
	/* the report to print has the bars without links */
	snprintf(path, sizeof path, "/trajecten/%lld/rapport", traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 200);
	assert_null(strstr(body, "?status=held"));
	free(body);

	/* the overview's stories over time: each part of a column opens the
	 * stories of that period and channel, as many as it says */
	assert_int_equal(get(coll_id, "overzicht", NULL, &body), 200);
	const char *st = strstr(body, "vp-stacked");
	assert_non_null(st);
	int links = 0;
	for (const char *a = st; (a = strstr(a, "<a href=\"")) && a < strstr(st, "</svg>"); a++) {
		const char *h = a + 9, *he = strchr(h, '"');
		const char *t = strstr(a, "<title>") + 7, *te = strstr(t, "</title>");
		char url[512], title[256];
		snprintf(url, sizeof url, "%.*s", (int)(he - h), h);
		snprintf(title, sizeof title, "%.*s", (int)(te - t), t);
		assert_non_null(strstr(url, "/verhalen?filter=period%20%3D%20"));
		assert_null(strstr(url, "&amp;"));
		long long n = atoll(strrchr(title, ':') + 2);
		assert_true(n >= 10);
		char *page;
		assert_int_equal(get_as(&analyst, url, &page), 200);
		const char *cnt = strstr(page, "id=\"verhalen-aantal\">");
		assert_non_null(cnt);
		if (atoll(cnt + strlen("id=\"verhalen-aantal\">")) != n)
			fail_msg("%s: %s stories listed, the chart says %lld", url,
			         cnt + strlen("id=\"verhalen-aantal\">"), n);
		free(page);
		if (++links == 3)
			break;
	}
	assert_int_equal(links, 3);
	/* the figures' table links the same counts */
	assert_non_null(strstr(st, "<span class=\"vp-visually-hidden\"> stories: 2024-Q1, "));
	free(body);

	/* the notable patterns' intervals open their stories, on the overview
	 * and on the pattern finder, where each row's interval links where its
	 * "Read the stories" does */
	assert_int_equal(get(coll_id, "overzicht", NULL, &body), 200);
	assert_int_equal(occurrences(body, "<span class=\"vp-pattern-diff\"><svg "
	                                   "xmlns=\"http://www.w3.org/2000/svg\" role=\"group\""),
	                 3);
	free(body);
	assert_int_equal(get(coll_id, "patronen", "?uitkomst=q-geholpen", &body), 200);
	int rows = occurrences(body, "class=\"utrecht-link vp-pattern-stories\" href=\"");
	assert_true(rows >= 3);
	assert_int_equal(occurrences(body, "viewBox=\"0 0 160 20\""), rows);
	for (const char *a = body;
	     (a = strstr(a, "<td class=\"utrecht-table__cell vp-pattern-diff\"")); a++) {
		const char *m = strstr(a, "<a href=\""),
		           *s2 = strstr(a, "vp-pattern-stories\" href=\"");
		assert_non_null(m);
		assert_non_null(s2);
		m += 9;
		s2 += strlen("vp-pattern-stories\" href=\"");
		size_t n = strcspn(m, "\"");
		assert_int_equal(n, strcspn(s2, "\""));
		assert_memory_equal(m, s2, n);
	}
	free(body);

	/* client and consultant: the difference and kappa link to the stories */
	assert_int_equal(get(coll_id, "perspectieven", "?vraag=q-tevredenheid", &body), 200);
	snprintf(want, sizeof want,
	         "<a "
	         "href=\"/verkennen/%lld/perspectieven/verhalen?vraag=q-tevredenheid\"><title>Read "
	         "the stories: The stories where they differ most</title>",
	         coll_id);
	assert_int_equal(occurrences(body, want), 2);
	assert_non_null(strstr(body, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"group\" "
	                             "viewBox=\"0 0 160 20\""));
	free(body);
	/* a triangle: each story's pair opens it, the means' pair is a mark */
	assert_int_equal(get(coll_id, "perspectieven", "?vraag=q-steun", &body), 200);
	snprintf(want, sizeof want,
	         "<a class=\"vp-tri-pair\" "
	         "href=\"/verkennen/%lld/perspectieven/verhalen?vraag=q-steun#verhaal-",
	         coll_id);
	assert_int_equal(occurrences(body, want), 10);
	assert_int_equal(occurrences(body, "<g tabindex=\"0\" role=\"img\" class=\"vp-tri-pair\""),
	                 1);
	free(body);
}

/* ---- reports ------------------------------------------------------------------------- */

static long long report_views(void)
{
	return wt_count("SELECT COUNT(*) FROM audit_log WHERE action = 'view' AND "
	                "object_type = 'story' AND detail = 'report'");
}

static void test_report(void **state)
{
	char *body, want[256];
	long long before = report_views();
	int st = get(coll_id, "rapport", "?van=2025-01-01&tot=2025-06-30", &body);
	if (st != 200)
		print_message("%s\n", strstr(body, "vp-error-summary")
		                              ? strstr(body, "vp-error-summary")
		                              : body);
	assert_int_equal(st, 200);
	/* what it covers: the period and n, as the engine counts them */
	assert_non_null(strstr(body, "id=\"rapport-periode\">2025-01-01 \u2013 2025-06-30<"));
	snprintf(
	        want, sizeof want,
	        "/api/v1/collections/%lld/analysis/count?filter=period%%20%%3D%%202025-01-01..2025-"
	        "06-30",
	        coll_id);
	long long n = api_number(want, "n");
	assert_true(n > 100);
	snprintf(want, sizeof want, "id=\"rapport-n\">%lld<", n);
	assert_non_null(strstr(body, want));
	/* half a year: per month */
	assert_non_null(strstr(body, "scope=\"row\">2025-01</th>"));
	assert_non_null(strstr(body, "scope=\"row\">2025-06</th>"));
	assert_null(strstr(body, "scope=\"row\">2025-07</th>"));
	assert_null(strstr(body, "scope=\"row\">2025-Q1</th>"));
	/* the charts, the patterns, five stories, each read logged */
	assert_non_null(strstr(body, "vp-stacked"));
	assert_non_null(strstr(body, "class=\"vp-overview-pattern\""));
	assert_non_null(strstr(body, "vp-report-question"));
	assert_int_equal(occurrences(body, "class=\"vp-story-item\""), 5);
	assert_int_equal(report_views() - before, 5);
	/* the report itself has no links that narrow a view */
	assert_null(strstr(body, "vp-overview-evidence"));
	free(body);

	/* a filter with the period: stated as typed, the period apart */
	assert_int_equal(get(coll_id, "rapport",
	                     "?van=2025-01-01&tot=2025-06-30&filter=q-wijk%20%3D%20centrum", &body),
	                 200);
	assert_non_null(strstr(body, "<dd><code>q-wijk = centrum</code></dd>"));
	assert_null(strstr(body, "created &gt;="));
	free(body);

	/* the analyst's own choice: a story set */
	char q[64];
	snprintf(q, sizeof q, "?selectie=%lld", set_id);
	before = report_views();
	assert_int_equal(get(coll_id, "rapport", q, &body), 200);
	assert_int_equal(occurrences(body, "class=\"vp-story-item\""), 3);
	assert_non_null(strstr(body, "Stories chosen for this report"));
	assert_int_equal(report_views() - before, 3);
	free(body);
	assert_int_equal(get(coll_id, "rapport", "?verhalen=0", &body), 200);
	assert_int_equal(occurrences(body, "class=\"vp-story-item\""), 0);
	free(body);

	/* small cells stay protected: no figures, no stories */
	before = report_views();
	assert_int_equal(get(coll_id, "rapport", "?van=2024-01-01&tot=2024-01-01", &body), 200);
	assert_non_null(strstr(body, "id=\"rapport-n\">too few<"));
	assert_int_equal(occurrences(body, "class=\"vp-story-item\""), 0);
	assert_null(strstr(body, "vp-stacked"));
	assert_int_equal(report_views() - before, 0);
	free(body);
}

static void test_report_errors(void **state)
{
	char *body;
	static const char *const bad[] = {"?van=2025-13-01", "?van=2025-02-01&tot=2025-01-01",
	                                  "?tot=gisteren",   "?verhalen=99",
	                                  "?verhalen=-1",    "?selectie=999999",
	                                  "?selectie=x",     "?filter=q-steun%20%3D%20netwerk"};
	long long before = report_views();
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int st = get(coll_id, "rapport", bad[i], &body);
		if (st != 400)
			print_message("%s: %d\n", bad[i], st);
		assert_int_equal(st, 400);
		assert_non_null(strstr(body, "vp-error-summary"));
		assert_null(strstr(body, "vp-story-item"));
		free(body);
	}
	assert_int_equal(report_views(), before);
	assert_int_equal(get(coll_id, "rapport", "?van=2025-13-01", &body), 400);
	assert_non_null(strstr(body, "Give the days as YYYY-MM-DD"));
	assert_non_null(strstr(body, "value=\"2025-13-01\""));
	free(body);
	assert_int_equal(get(other_id, "rapport", NULL, &body), 404);
	free(body);
}

static void test_trajectory_report(void **state)
{
	char *body, path[256];
	long long before = report_views();
	snprintf(path, sizeof path, "/trajecten/%lld/rapport?van=2025-01-01&tot=2025-12-31",
	         traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 200);
	assert_non_null(strstr(body, "<title>Report: Wmo luisteren"));
	assert_non_null(strstr(body, "id=\"rapport-periode\">2025-01-01 \u2013 2025-12-31<"));
	assert_non_null(strstr(body, "Conversations by status"));
	assert_non_null(strstr(body, ">Wmo verhalen</h2>"));
	assert_int_equal(occurrences(body, "class=\"vp-story-item\""), 3);
	assert_int_equal(report_views() - before, 3);
	free(body);
	snprintf(path, sizeof path, "/trajecten/%lld/rapport?van=2025-02-30", traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 400);
	free(body);
	snprintf(path, sizeof path, "/trajecten/%lld/rapport?filter=%%28", traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 400);
	free(body);
	snprintf(path, sizeof path, "/trajecten/%lld/rapport", other_traj_id);
	assert_int_equal(get_as(&analyst, path, &body), 404);
	free(body);
	snprintf(path, sizeof path, "/trajecten/%lld/rapport", traj_id);
	assert_int_equal(get_as(&outsider, path, &body), 404);
	free(body);
	assert_int_equal(report_views() - before, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_people),
	        cmocka_unit_test(test_people_errors),
	        cmocka_unit_test(test_perspectives),
	        cmocka_unit_test(test_perspectives_errors),
	        cmocka_unit_test(test_overview),
	        cmocka_unit_test(test_overview_errors),
	        cmocka_unit_test(test_trajectory_overview),
	        cmocka_unit_test(test_marks),
	        cmocka_unit_test(test_report),
	        cmocka_unit_test(test_report_errors),
	        cmocka_unit_test(test_trajectory_report),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
