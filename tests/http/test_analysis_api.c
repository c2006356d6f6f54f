/* test_analysis_api.c: the pattern engine over HTTP: every measure on stories sent through the real story endpoint, filters in URLs, small cells, every bad input. */
#include "../unit/testutil.h"

#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "model/collection.h"
#include "model/participant.h"
#include "model/script_store.h"
#include "model/story.h"
#include "model/user.h"

#include <jansson.h>
#include <math.h>
#include <time.h>

#define READER_PW "reader password 123"
#define TAKER_PW  "taker password 1234"

/* A story question, a choice of three, a choice of two, a dyad, a triad, a
 * 5-point scale, and the professional's dyad with the teller's poles. */
#define SCRIPT_TEXT(KEY)                                                                           \
	"{\"format\":\"vertelpunt-script/1\",\"key\":\"" KEY "\",\"title\":{\"nl\":\"Analyse\"},"  \
	"\"privacy\":{\"nl\":\"Alleen het team leest dit.\"},\"sections\":[{\"id\":\"s\","         \
	"\"questions\":["                                                                          \
	"{\"id\":\"verhaal\",\"type\":\"story\",\"required\":true,\"text\":{\"nl\":\"Vertel\"},"   \
	"\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]},"                         \
	"{\"id\":\"situatie\",\"type\":\"choice\",\"text\":{\"nl\":\"Situatie\"},\"options\":["    \
	"{\"id\":\"alleen\",\"label\":{\"nl\":\"Alleen\"}},{\"id\":\"samen\",\"label\":{\"nl\":"   \
	"\"Samen\"}},{\"id\":\"zorg\",\"label\":{\"nl\":\"Zorg\"}}]},"                             \
	"{\"id\":\"hulp\",\"type\":\"choice\",\"text\":{\"nl\":\"Hulp\"},\"options\":["            \
	"{\"id\":\"ja\",\"label\":{\"nl\":\"Ja\"}},{\"id\":\"nee\",\"label\":{\"nl\":\"Nee\"}}]}," \
	"{\"id\":\"geholpen\",\"type\":\"dyad\",\"not_applicable\":true,\"text\":{\"nl\":"         \
	"\"Geholpen?\"},\"poles\":[{\"id\":\"niet\",\"label\":{\"nl\":\"Niet\"}},{\"id\":\"wel\"," \
	"\"label\":{\"nl\":\"Wel\"}}]},"                                                           \
	"{\"id\":\"steun\",\"type\":\"triad\",\"not_applicable\":true,\"text\":{\"nl\":"           \
	"\"Steun\"},\"corners\":[{\"id\":\"zelf\",\"label\":{\"nl\":\"Zelf\"}},{\"id\":"           \
	"\"netwerk\",\"label\":{\"nl\":\"Netwerk\"}},{\"id\":\"gemeente\",\"label\":{\"nl\":"      \
	"\"Gemeente\"}}]},"                                                                        \
	"{\"id\":\"tevreden\",\"type\":\"scale\",\"text\":{\"nl\":\"Tevreden\"},\"points\":5,"     \
	"\"low\":{\"nl\":\"Niet\"},\"high\":{\"nl\":\"Heel\"}},"                                   \
	"{\"id\":\"pro-geholpen\",\"type\":\"dyad\",\"perspective\":\"professional\",\"text\":"    \
	"{\"nl\":\"Geholpen (consulent)\"},\"poles\":[{\"id\":\"niet\",\"label\":{\"nl\":"         \
	"\"Niet\"}},{\"id\":\"wel\",\"label\":{\"nl\":\"Wel\"}}]}"                                 \
	"]}]}"

/* ---- the stories, planned ---------------------------------------------------
 *
 * NSTORIES stories go to the collection "Open" through the public endpoint.
 * Story i:
 *   situatie  alleen, samen, zorg by i % 3 (32 each); k = i / 3
 *   hulp      ja: alleen when k is even (16 of 32), samen when k % 4 != 0
 *             (24), zorg when k % 4 == 0 (8); the others nee. So the
 *             cross-table situatie x hulp is [[16, 16], [24, 8], [8, 24]].
 *   geholpen  30 + (7 i) % 21, plus 40 for samen with ja (the planted
 *             pattern); "not applicable" when i % 16 == 15, left out when
 *             i % 16 == 7
 *   steun     alleen (0.6, 0.3, 0.1), samen (0.2, 0.3, 0.5), zorg
 *             (0.1, 0.1, 0.8); "not applicable" when i % 16 == 11
 *   tevreden  1 + (i / 2) % 5
 *   i % 4 == 1: taken face to face by a staff member, who adds
 *             pro-geholpen = geholpen + 10 (24 stories); the rest "web"
 *   i % 8 == 0: the text mentions the "appelboom" (12 stories) */

enum { NSTORIES = 96, ABSENT = -1, NA = -2 };

struct plan {
	int sit, ja, geholpen, steun_na, tevreden, staff, appel;
};

static const char *const sit_id[3] = {"alleen", "samen", "zorg"};
static const double steun_of[3][3] = {{0.6, 0.3, 0.1}, {0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}};

static struct plan plan_of(int i)
{
	struct plan p;
	p.sit = i % 3;
	int k = i / 3;
	p.ja = p.sit == 0 ? k % 2 == 0 : p.sit == 1 ? k % 4 != 0 : k % 4 == 0;
	p.geholpen = 30 + (7 * i) % 21 + (p.sit == 1 && p.ja ? 40 : 0);
	if (i % 16 == 15)
		p.geholpen = NA;
	else if (i % 16 == 7)
		p.geholpen = ABSENT;
	p.steun_na = i % 16 == 11;
	p.tevreden = 1 + (i / 2) % 5;
	p.staff = i % 4 == 1;
	p.appel = i % 8 == 0;
	return p;
}

/* The collections: "Open" (the planned stories), "Opnieuw" (12 people
 * with two stories each, stored through the model in setup), "Later"
 * (empty until test_new_story_counted), "Anders" (another organisation). */
static long long open_id, again_id, later_id, other_org_id;
static char open_token[40], later_token[40];
static struct jar reader, taker;
static char taker_csrf[80];
static int ipn;

/* "Opnieuw": person k (0..11) tells on 2025-02-01 (geholpen 40 + k) and
 * again on 2025-05-01 (55 + k), through story_prepare and
 * story_submit_write as every channel stores a story. */
static void seed_again(db *d, int64_t org, int64_t sid)
{
	char token[40];
	again_id = wt_collection_for(d, org, sid, "Opnieuw", "Analyse testen", 3650, token);
	struct collection c;
	assert_int_equal(collection_by_token(d, token, &c), DB_ROW);
	char err[256];
	const char *text = SCRIPT_TEXT("analyse");
	struct script *s = script_parse_text(text, strlen(text), err, sizeof err);
	assert_non_null(s);
	struct contact none = {0};
	for (int k = 0; k < 12; k++) {
		char code[PARTICIPANT_CODE_LEN + 1];
		int64_t pid;
		assert_int_equal(participant_create(d, NULL, &none, code, &pid), DB_OK);
		for (int t = 0; t < 2; t++) {
			char uuid[40];
			snprintf(uuid, sizeof uuid, "bbbbbbbb-0000-4000-8000-%012d", 2 * k + t);
			json_t *body = json_pack(
			        "{s:s, s:s, s:i, s:{s:{s:s, s:s, s:s}, s:s, s:i}}", "id", uuid,
			        "channel", "web", "script_version", 1, "answers", "verhaal",
			        "prompt", "p", "title", "Weer", "text", "Ik vertel het opnieuw.",
			        "situatie", "alleen", "geholpen", (t ? 55 : 40) + k);
			struct story_submit st = {.collection = &c, .participant_id = pid};
			const char *msg = NULL;
			struct answer_error e;
			assert_int_equal(story_prepare(&st, s, body, 0, &msg, &e), 0);
			/* 2025-02-01 and 2025-05-01, 10:00 UTC, an hour apart per person */
			st.created_at = (t ? 1746093600 : 1738404000) + 3600 * k;
			assert_int_equal(story_submit_write(d, &st), 0);
			assert_int_equal(st.result, STORY_NEW);
			story_submit_free(&st);
			json_decref(body);
		}
	}
	script_free(s);
}

/* ---- requests -------------------------------------------------------------- */

/* GET /api/v1/collections/<id>/analysis<rest> as who (NULL: not logged
 * in); rest is taken as it is (already encoded). Returns the status;
 * *out the body as JSON (or NULL). */
static int get_as(struct jar *who, long long id, const char *rest, json_t **out)
{
	char path[1024];
	snprintf(path, sizeof path, "/api/v1/collections/%lld/analysis%s", id, rest);
	struct jar tmp;
	if (who)
		tmp = *who;
	struct http_resp r;
	assert_int_equal(http_get(port, who ? &tmp : NULL, path, &r), 0);
	int st = r.status;
	json_error_t je;
	json_t *j = r.body_len ? json_loadb(r.body, r.body_len, 0, &je) : NULL;
	if (st >= 400) {
		/* every error is problem+json with the status in it */
		const char *ct = http_header(&r, "Content-Type");
		assert_non_null(ct);
		assert_non_null(strstr(ct, "application/problem+json"));
		assert_non_null(j);
		assert_int_equal(json_integer_value(json_object_get(j, "status")), st);
	} else {
		if (!j)
			print_message("not JSON: %.*s\n", (int)r.body_len, r.body);
		assert_non_null(j);
	}
	http_free(&r);
	if (out)
		*out = j;
	else
		json_decref(j);
	return st;
}

/* GET as the reader; asserts want and returns the JSON document. */
static json_t *get_ok(long long id, const char *rest)
{
	json_t *j = NULL;
	int st = get_as(&reader, id, rest, &j);
	if (st != 200)
		print_message("GET ...%s: %d %s\n", rest, st,
		              json_string_value(json_object_get(j, "detail")));
	assert_int_equal(st, 200);
	return j;
}

/* rest + "?filter=" + the encoded filter (+ more, already encoded). */
static json_t *get_filtered(long long id, const char *rest, const char *filter, const char *more)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, rest);
	buf_puts(&b, "?filter=");
	wt_enc(&b, filter);
	if (more)
		buf_puts(&b, more);
	json_t *j = get_ok(id, b.data);
	buf_free(&b);
	return j;
}

/* The status of a request, and the problem's detail copied to detail. */
static int status_of(long long id, const char *rest, char *detail, size_t cap)
{
	json_t *j = NULL;
	int st = get_as(&reader, id, rest, &j);
	if (detail) {
		const char *d = json_string_value(json_object_get(j, "detail"));
		snprintf(detail, cap, "%s", d ? d : "");
	}
	json_decref(j);
	return st;
}

/* A JSON number (integer or real) or NaN for null/absent. */
static double num(json_t *j)
{
	return json_is_number(j) ? json_number_value(j) : NAN;
}

/* A count as the API shows it: 1..9 stories are too few (null). */
static void assert_cell(json_t *o, const char *key, json_int_t want)
{
	json_t *v = json_object_get(o, key);
	if (want > 0 && want < 10)
		assert_true(json_is_null(v));
	else
		assert_int_equal(json_integer_value(v), want);
	assert_true(json_is_null(v) || json_is_integer(v));
}

static json_int_t count_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/* Sends story i of the plan to token's link: a resident from an address
 * of their own, or the staff member with the session's CSRF header. */
static void send_planned(const char *token, int i, const char *uuid_prefix)
{
	struct plan p = plan_of(i);
	buf b;
	buf_init(&b);
	buf_printf(&b,
	           "{\"id\":\"%s-0000-4000-8000-%012d\",\"channel\":\"%s\",\"script_version\":1,"
	           "\"answers\":{\"verhaal\":{\"prompt\":\"p\",\"title\":\"Verhaal %d\","
	           "\"text\":\"Verhaal nummer %d%s.\"},\"situatie\":\"%s\",\"hulp\":\"%s\","
	           "\"tevreden\":%d",
	           uuid_prefix, i, p.staff ? "face-to-face" : "web", i, i,
	           p.appel ? " over de appelboom" : "", sit_id[p.sit], p.ja ? "ja" : "nee",
	           p.tevreden);
	if (p.geholpen == NA)
		buf_puts(&b, ",\"geholpen\":null");
	else if (p.geholpen != ABSENT)
		buf_printf(&b, ",\"geholpen\":%d", p.geholpen);
	if (p.steun_na)
		buf_puts(&b, ",\"steun\":null");
	else
		buf_printf(&b, ",\"steun\":[%g,%g,%g]", steun_of[p.sit][0], steun_of[p.sit][1],
		           steun_of[p.sit][2]);
	buf_putc(&b, '}');
	if (p.staff)
		buf_printf(&b, ",\"professional\":{\"pro-geholpen\":%d}", p.geholpen + 10);
	buf_putc(&b, '}');
	struct jar j;
	if (p.staff) {
		j = taker;
	} else {
		memset(&j, 0, sizeof j);
		wt_ip(j.ip, sizeof j.ip, 7, ++ipn);
	}
	struct http_resp r;
	wt_send_story(token, b.data, b.len, &j, p.staff ? taker_csrf : NULL, &r);
	if (r.status != 201)
		print_message("story %d: %d %.*s\n", i, r.status, (int)r.body_len, r.body);
	assert_int_equal(r.status, 201);
	http_free(&r);
	buf_free(&b);
}

/* Polls /analysis/count until it says n (the poller reads new stories
 * every 250 ms): a functional check, so up to 5 s. Returns 1 when seen. */
static int wait_for_count(long long id, json_int_t n)
{
	for (int t = 0; t < 100; t++) {
		json_t *j = get_ok(id, "/count");
		json_t *v = json_object_get(j, "n");
		int seen = json_is_integer(v) && json_integer_value(v) == n;
		json_decref(j);
		if (seen)
			return 1;
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return 0;
}

static struct app_config config;

static int setup(void **state)
{
	db *d = fixture_open("analysis");
	int64_t org, other;
	if (!d || org_ensure(d, "Gemeente Analyse", &org) != DB_OK ||
	    org_ensure(d, "Gemeente Anders", &other) != DB_OK)
		return -1;
	if (fixture_user(d, org, "lezer", "Lex Lezer", ROLE_MEELEZER, READER_PW, 0) <= 0 ||
	    fixture_user(d, org, "consulent", "Connie Consulent", ROLE_GESPREKSVOERDER, TAKER_PW,
	                 0) <= 0)
		return -1;
	int64_t sid = wt_script(d, org, SCRIPT_TEXT("analyse"), NULL);
	open_id = wt_collection_for(d, org, sid, "Open", "Analyse testen", 3650, open_token);
	later_id = wt_collection_for(d, org, sid, "Later", "Analyse testen", 3650, later_token);
	seed_again(d, org, sid);
	/* Another organisation's collection, on its own script. */
	int64_t osid = wt_script(d, other, SCRIPT_TEXT("anders"), NULL);
	other_org_id = wt_collection_for(d, other, osid, "Anders", "Analyse testen", 3650, NULL);
	fixture_config(&config);
	config.story_rate_ip = 100000;
	config.story_rate_collection = 100000;
	config.analysis_min_group = 10;
	if (fixture_start(d, &config) != 0)
		return -1;
	wt_login(&reader, "lezer", READER_PW, "10.8.0.1", NULL);
	wt_login(&taker, "consulent", TAKER_PW, "10.8.0.2", NULL);
	struct jar tmp = taker;
	wt_api_csrf(&tmp, taker_csrf, sizeof taker_csrf);
	for (int i = 0; i < NSTORIES; i++)
		send_planned(open_token, i, "aaaaaaaa");
	assert_true(wait_for_count(open_id, NSTORIES));
	return 0;
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* ---- every measure --------------------------------------------------------- */

static void test_questions(void **state)
{
	json_t *j = get_ok(open_id, "");
	assert_int_equal(count_of(j, "id"), open_id);
	assert_int_equal(count_of(j, "stories"), NSTORIES);
	assert_int_equal(count_of(j, "pilot_stories"), 0);
	assert_int_equal(count_of(j, "script_version"), 1);
	json_t *qs = json_object_get(j, "questions");
	assert_int_equal(json_array_size(qs), 7);
	static const char *const ids[] = {"verhaal", "situatie", "hulp",        "geholpen",
	                                  "steun",   "tevreden", "pro-geholpen"};
	static const char *const types[] = {"story", "choice", "choice", "dyad",
	                                    "triad", "scale",  "dyad"};
	for (size_t i = 0; i < 7; i++) {
		json_t *q = json_array_get(qs, i);
		assert_string_equal(json_string_value(json_object_get(q, "id")), ids[i]);
		assert_string_equal(json_string_value(json_object_get(q, "type")), types[i]);
		assert_string_equal(json_string_value(json_object_get(q, "perspective")),
		                    i == 6 ? "professional" : "teller");
	}
	json_t *opts = json_object_get(json_array_get(qs, 1), "options");
	assert_int_equal(json_array_size(opts), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(opts, 2), "id")),
	                    "zorg");
	assert_int_equal(count_of(json_array_get(qs, 5), "points"), 5);
	json_decref(j);
}

static void test_count(void **state)
{
	json_t *j = get_ok(open_id, "/count");
	assert_int_equal(count_of(j, "collection"), open_id);
	assert_string_equal(json_string_value(json_object_get(j, "filter")), "");
	assert_int_equal(count_of(j, "n"), NSTORIES);
	assert_false(json_is_true(json_object_get(j, "too_few")));
	json_t *ch = json_object_get(j, "by_channel");
	assert_int_equal(count_of(ch, "web"), 72);
	assert_int_equal(count_of(ch, "face-to-face"), 24);
	assert_null(json_object_get(ch, "kiosk"));
	assert_int_equal(count_of(j, "professional"), 24);
	/* every story today: one quarter */
	json_t *bp = json_object_get(j, "by_period");
	assert_int_equal(json_array_size(bp), 1);
	char want[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	snprintf(want, sizeof want, "%04d-Q%d", tm.tm_year + 1900, tm.tm_mon / 3 + 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(bp, 0), "period")),
	                    want);
	assert_int_equal(count_of(json_array_get(bp, 0), "n"), NSTORIES);
	json_decref(j);
	/* by quarter, in time order, for the stories told in 2025 */
	j = get_ok(again_id, "/count");
	assert_int_equal(count_of(j, "n"), 24);
	bp = json_object_get(j, "by_period");
	assert_int_equal(json_array_size(bp), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(bp, 0), "period")),
	                    "2025-Q1");
	assert_int_equal(count_of(json_array_get(bp, 0), "n"), 12);
	assert_string_equal(json_string_value(json_object_get(json_array_get(bp, 1), "period")),
	                    "2025-Q2");
	assert_int_equal(count_of(json_array_get(bp, 1), "n"), 12);
	json_decref(j);
}

static void test_distribution_choice(void **state)
{
	json_t *j = get_ok(open_id, "/distribution/situatie");
	assert_string_equal(json_string_value(json_object_get(j, "question")), "situatie");
	assert_string_equal(json_string_value(json_object_get(j, "type")), "choice");
	assert_int_equal(count_of(j, "n"), NSTORIES);
	assert_int_equal(count_of(j, "missing"), 0);
	json_t *opts = json_object_get(j, "options");
	assert_int_equal(json_array_size(opts), 3);
	for (int k = 0; k < 3; k++) {
		json_t *o = json_array_get(opts, k);
		assert_string_equal(json_string_value(json_object_get(o, "id")), sit_id[k]);
		assert_int_equal(count_of(o, "count"), 32);
		assert_float_equal(num(json_object_get(o, "percent")), 100.0 / 3, 1e-5);
		json_t *ci = json_object_get(o, "ci");
		assert_int_equal(json_array_size(ci), 2);
		assert_true(num(json_array_get(ci, 0)) < 100.0 / 3);
		assert_true(num(json_array_get(ci, 1)) > 100.0 / 3);
	}
	json_decref(j);
	j = get_ok(open_id, "/distribution/hulp");
	opts = json_object_get(j, "options");
	assert_int_equal(count_of(json_array_get(opts, 0), "count"), 48);
	assert_int_equal(count_of(json_array_get(opts, 1), "count"), 48);
	json_decref(j);
	/* a scale: counts per point */
	j = get_ok(open_id, "/distribution/tevreden");
	int per[6] = {0};
	double sum = 0;
	for (int i = 0; i < NSTORIES; i++) {
		per[plan_of(i).tevreden]++;
		sum += plan_of(i).tevreden;
	}
	opts = json_object_get(j, "options");
	assert_int_equal(json_array_size(opts), 5);
	for (int k = 0; k < 5; k++) {
		json_t *o = json_array_get(opts, k);
		char id[16];
		snprintf(id, sizeof id, "%d", k + 1);
		assert_string_equal(json_string_value(json_object_get(o, "id")), id);
		assert_int_equal(count_of(o, "count"), per[k + 1]);
	}
	assert_float_equal(num(json_object_get(j, "mean")), sum / NSTORIES, 1e-6);
	json_decref(j);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* R's quantile type 7 of sorted values. */
static double q7(const int *v, int n, double p)
{
	double h = (n - 1) * p;
	int lo = (int)floor(h);
	return v[lo] + (h - lo) * (v[lo + 1 < n ? lo + 1 : lo] - v[lo]);
}

static void test_distribution_dyad(void **state)
{
	int v[NSTORIES], n = 0, na = 0, missing = 0;
	double sum = 0;
	for (int i = 0; i < NSTORIES; i++) {
		struct plan p = plan_of(i);
		if (p.geholpen == NA)
			na++;
		else if (p.geholpen == ABSENT)
			missing++;
		else
			v[n++] = p.geholpen, sum += p.geholpen;
	}
	qsort(v, (size_t)n, sizeof *v, cmp_int);
	json_t *j = get_ok(open_id, "/distribution/geholpen?bins=5");
	assert_int_equal(count_of(j, "n"), n);
	assert_cell(j, "not_applicable", na);
	assert_cell(j, "missing", missing);
	assert_int_equal(n, 84);
	assert_int_equal(na, 6); /* too few to show */
	assert_float_equal(num(json_object_get(j, "mean")), sum / n, 1e-6);
	assert_float_equal(num(json_object_get(j, "median")), q7(v, n, 0.5), 1e-6);
	json_t *qs = json_object_get(j, "quartiles");
	assert_float_equal(num(json_array_get(qs, 0)), q7(v, n, 0.25), 1e-6);
	assert_float_equal(num(json_array_get(qs, 1)), q7(v, n, 0.75), 1e-6);
	/* five bins of 20 points; a bin of 1..9 stories shows no count */
	json_t *h = json_object_get(j, "histogram");
	assert_int_equal(json_array_size(h), 5);
	for (int b = 0; b < 5; b++) {
		json_t *e = json_array_get(h, b);
		assert_float_equal(num(json_object_get(e, "from")), 20.0 * b, 1e-9);
		assert_float_equal(num(json_object_get(e, "to")), 20.0 * (b + 1), 1e-9);
		int c = 0;
		for (int i = 0; i < n; i++)
			c += v[i] >= 20 * b && (v[i] < 20 * (b + 1) || (b == 4 && v[i] == 100));
		json_t *cnt = json_object_get(e, "count");
		if (c == 0 || c >= 10)
			assert_int_equal(json_integer_value(cnt), c);
		else
			assert_true(json_is_null(cnt));
	}
	json_decref(j);
}

static void test_crosstab(void **state)
{
	json_t *j = get_ok(open_id, "/crosstab/situatie/hulp");
	assert_string_equal(json_string_value(json_object_get(j, "question")), "situatie");
	assert_string_equal(json_string_value(json_object_get(j, "by")), "hulp");
	assert_int_equal(count_of(j, "n"), NSTORIES);
	json_t *rows = json_object_get(j, "rows"), *cols = json_object_get(j, "columns");
	assert_int_equal(json_array_size(rows), 3);
	assert_int_equal(json_array_size(cols), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(cols, 1), "id")),
	                    "nee");
	/* [[16, 16], [24, 8], [8, 24]]: the cells of 8 are too few to show */
	json_t *c = json_object_get(j, "counts");
	assert_int_equal(json_integer_value(json_array_get(json_array_get(c, 0), 0)), 16);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(c, 0), 1)), 16);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(c, 1), 0)), 24);
	assert_true(json_is_null(json_array_get(json_array_get(c, 1), 1)));
	assert_true(json_is_null(json_array_get(json_array_get(c, 2), 0)));
	assert_int_equal(json_integer_value(json_array_get(json_array_get(c, 2), 1)), 24);
	/* chi-square of that table by hand: expected 16 in every cell, so
	 * X2 = 4 (8^2 / 16) = 16 with 2 degrees of freedom; V = sqrt(16 / 96) */
	json_t *cs = json_object_get(j, "chi_square");
	assert_float_equal(num(json_object_get(cs, "statistic")), 16.0, 1e-6);
	assert_int_equal(json_integer_value(json_object_get(cs, "df")), 2);
	assert_float_equal(num(json_object_get(cs, "cramers_v")), sqrt(16.0 / 96), 1e-6);
	assert_float_equal(num(json_object_get(cs, "p")), exp(-8.0), 1e-9); /* chi2(2) */
	json_t *res = json_object_get(j, "residuals");
	assert_true(num(json_array_get(json_array_get(res, 1), 0)) > 0);
	assert_true(num(json_array_get(json_array_get(res, 2), 0)) < 0);
	json_decref(j);
}

static void test_triad(void **state)
{
	/* The geometric mean of identical answers is that answer. */
	json_t *j = get_filtered(open_id, "/triad/steun", "situatie = samen", NULL);
	assert_string_equal(json_string_value(json_object_get(j, "question")), "steun");
	int n = 0, na = 0;
	for (int i = 0; i < NSTORIES; i++)
		if (plan_of(i).sit == 1)
			plan_of(i).steun_na ? na++ : n++;
	assert_int_equal(count_of(j, "n"), n);
	assert_cell(j, "not_applicable", na);
	json_t *g = json_object_get(j, "geomean");
	for (int k = 0; k < 3; k++)
		assert_float_equal(num(json_array_get(g, k)), steun_of[1][k], 1e-5);
	/* ILR of (0.2, 0.3, 0.5) */
	json_t *z = json_object_get(j, "ilr_mean");
	assert_float_equal(num(json_array_get(z, 0)),
	                   sqrt(2.0 / 3) * (log(0.2) - 0.5 * (log(0.3) + log(0.5))), 1e-5);
	assert_float_equal(num(json_array_get(z, 1)), sqrt(0.5) * (log(0.3) - log(0.5)), 1e-5);
	json_t *corners = json_object_get(j, "corners");
	assert_string_equal(json_string_value(json_object_get(json_array_get(corners, 2), "id")),
	                    "gemeente");
	json_decref(j);
	/* All three kinds of answer: a 95% region, zones and bins. */
	j = get_ok(open_id, "/triad/steun?bins=4");
	n = 0;
	for (int i = 0; i < NSTORIES; i++)
		n += !plan_of(i).steun_na;
	assert_int_equal(count_of(j, "n"), n);
	json_t *ci = json_object_get(j, "ci");
	assert_true(json_is_object(ci));
	assert_float_equal(num(json_object_get(ci, "level")), 0.95, 1e-9);
	assert_true(json_array_size(json_object_get(ci, "points")) > 8);
	json_t *zones = json_object_get(j, "zones");
	assert_non_null(json_object_get(zones, "centre"));
	json_t *bins = json_object_get(j, "bins");
	assert_int_equal(json_integer_value(json_object_get(bins, "per_side")), 4);
	assert_int_equal(json_array_size(json_object_get(bins, "counts")), 16);
	json_decref(j);
	/* distribution of a triad is the triad document */
	j = get_ok(open_id, "/distribution/steun");
	assert_non_null(json_object_get(j, "geomean"));
	json_decref(j);
}

static json_t *finding(json_t *doc, const char *question)
{
	json_t *qs = json_object_get(doc, "questions");
	for (size_t i = 0; i < json_array_size(qs); i++) {
		json_t *q = json_array_get(qs, i);
		if (strcmp(json_string_value(json_object_get(q, "question")), question) == 0)
			return q;
	}
	fail_msg("compare has no %s", question);
	return NULL;
}

static void test_compare(void **state)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, "/compare?a=");
	wt_enc(&b, "hulp = ja");
	buf_puts(&b, "&b=");
	wt_enc(&b, "hulp = nee");
	json_t *j = get_ok(open_id, b.data);
	buf_free(&b);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "a"), "filter")),
	                    "hulp = ja");
	assert_int_equal(count_of(json_object_get(j, "a"), "n"), 48);
	assert_int_equal(count_of(json_object_get(j, "b"), "n"), 48);
	assert_null(json_object_get(j, "overlap"));
	double sa = 0, sb = 0;
	int na = 0, nb = 0;
	for (int i = 0; i < NSTORIES; i++) {
		struct plan p = plan_of(i);
		if (p.geholpen < 0)
			continue;
		if (p.ja)
			sa += p.geholpen, na++;
		else
			sb += p.geholpen, nb++;
	}
	/* the planted +40 for samen with ja */
	json_t *f = finding(j, "geholpen");
	assert_string_equal(json_string_value(json_object_get(f, "test")), "mann-whitney");
	assert_int_equal(count_of(f, "n_a"), na);
	assert_int_equal(count_of(f, "n_b"), nb);
	assert_float_equal(num(json_object_get(f, "mean_a")), sa / na, 1e-5);
	assert_float_equal(num(json_object_get(f, "mean_b")), sb / nb, 1e-5);
	assert_true(sa / na - sb / nb > 15);
	/* Mann-Whitney U of a against b by hand: pairs with a above b, ties
	 * a half; the rank-biserial r = 2 U / (n_a n_b) - 1 */
	double u = 0;
	for (int x = 0; x < NSTORIES; x++)
		for (int y = 0; y < NSTORIES; y++) {
			struct plan px = plan_of(x), py = plan_of(y);
			if (px.geholpen < 0 || py.geholpen < 0 || !px.ja || py.ja)
				continue;
			u += px.geholpen > py.geholpen ? 1 : px.geholpen == py.geholpen ? 0.5 : 0;
		}
	assert_float_equal(num(json_object_get(f, "statistic")), u, 1e-6);
	assert_float_equal(num(json_object_get(f, "effect")), 2 * u / (na * nb) - 1, 1e-6);
	assert_true(num(json_object_get(f, "p")) < 0.05);
	assert_true(num(json_object_get(f, "q")) < 0.05);
	/* every question has its test; the list is ordered by effect size */
	json_t *qs = json_object_get(j, "questions");
	double last = INFINITY;
	for (size_t i = 0; i < json_array_size(qs); i++) {
		double e = fabs(num(json_object_get(json_array_get(qs, i), "effect")));
		if (isnan(e))
			continue;
		assert_true(e <= last + 1e-9);
		last = e;
	}
	/* the triad: a permutation test is not needed for groups of 30+ */
	f = finding(j, "steun");
	assert_string_equal(json_string_value(json_object_get(f, "test")), "hotelling");
	json_decref(j);
	/* compare needs both filters */
	assert_int_equal(status_of(open_id, "/compare?a=hulp%20%3D%20ja", NULL, 0), 400);
}

static void test_patterns(void **state)
{
	json_t *j = get_ok(open_id, "/patterns?outcome=geholpen&limit=3");
	assert_string_equal(json_string_value(json_object_get(j, "outcome")), "geholpen");
	int n = 0;
	double s = 0;
	int pn = 0;
	double ps = 0;
	for (int i = 0; i < NSTORIES; i++) {
		struct plan p = plan_of(i);
		if (p.geholpen < 0)
			continue;
		n++, s += p.geholpen;
		if (p.sit == 1 && p.ja)
			pn++, ps += p.geholpen;
	}
	assert_int_equal(count_of(j, "n"), n);
	assert_float_equal(num(json_object_get(j, "mean")), s / n, 1e-5);
	assert_true(count_of(j, "tested") >= 3);
	assert_true(count_of(j, "significant") >= 1);
	json_t *pats = json_object_get(j, "patterns");
	assert_int_equal(json_array_size(pats), 3);
	/* the planted subgroup first */
	json_t *p0 = json_array_get(pats, 0);
	assert_string_equal(json_string_value(json_object_get(p0, "filter")),
	                    "situatie = samen and hulp = ja");
	json_t *conds = json_object_get(p0, "conditions");
	assert_int_equal(json_array_size(conds), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(conds, 0), "option")),
	                    "samen");
	assert_int_equal(count_of(p0, "n"), pn);
	assert_int_equal(count_of(p0, "n_rest"), n - pn);
	assert_float_equal(num(json_object_get(p0, "mean")), ps / pn, 1e-5);
	assert_float_equal(num(json_object_get(p0, "mean_rest")), (s - ps) / (n - pn), 1e-5);
	assert_float_equal(num(json_object_get(p0, "difference")), ps / pn - (s - ps) / (n - pn),
	                   1e-5);
	json_t *ci = json_object_get(p0, "ci");
	assert_true(num(json_array_get(ci, 0)) > 30);
	assert_true(num(json_object_get(p0, "q")) < 0.001);
	/* its filter, given back, selects that subgroup */
	json_t *c = get_filtered(open_id, "/count",
	                         json_string_value(json_object_get(p0, "filter")), NULL);
	assert_int_equal(count_of(c, "n"), 24);
	json_decref(c);
	json_decref(j);
}

static void test_perspectives(void **state)
{
	/* found by shape: the professional's dyad with the same poles */
	const char *paths[] = {"/perspectives/geholpen", "/perspectives/geholpen/pro-geholpen",
	                       "/perspectives/pro-geholpen"};
	for (size_t k = 0; k < 3; k++) {
		json_t *j = get_ok(open_id, paths[k]);
		assert_string_equal(json_string_value(json_object_get(j, "question")), "geholpen");
		assert_string_equal(json_string_value(json_object_get(j, "professional_question")),
		                    "pro-geholpen");
		assert_int_equal(count_of(j, "n"), 24);
		/* the consultant said 10 more every time */
		json_t *md = json_object_get(j, "mean_difference");
		assert_float_equal(num(json_object_get(md, "value")), 10, 1e-6);
		json_t *most = json_object_get(j, "differ_most");
		assert_int_equal(json_array_size(most), 10);
		json_t *m0 = json_array_get(most, 0);
		assert_float_equal(num(json_object_get(m0, "professional")) -
		                           num(json_object_get(m0, "teller")),
		                   10, 1e-6);
		json_decref(j);
	}
	json_t *j = get_ok(open_id, "/perspectives/geholpen?limit=3");
	assert_int_equal(json_array_size(json_object_get(j, "differ_most")), 3);
	json_decref(j);
	/* a scale has no professional counterpart here */
	assert_int_equal(status_of(open_id, "/perspectives/tevreden", NULL, 0), 422);
}

static void test_over_time(void **state)
{
	json_t *j = get_ok(again_id, "/over-time/geholpen");
	assert_int_equal(count_of(j, "people"), 12);
	assert_false(json_is_true(json_object_get(j, "too_few")));
	assert_float_equal(num(json_object_get(j, "mean_first")), 45.5, 1e-6);
	assert_float_equal(num(json_object_get(j, "mean_last")), 60.5, 1e-6);
	assert_float_equal(num(json_object_get(json_object_get(j, "mean_change"), "value")), 15,
	                   1e-6);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "test"), "name")),
	                    "wilcoxon-signed-rank");
	json_t *tr = json_object_get(j, "trajectories");
	assert_int_equal(json_array_size(tr), 12);
	json_t *st = json_object_get(json_array_get(tr, 0), "stories");
	assert_int_equal(json_array_size(st), 2);
	assert_true(count_of(json_array_get(st, 0), "at") < count_of(json_array_get(st, 1), "at"));
	json_decref(j);
	j = get_ok(again_id, "/over-time/geholpen?limit=5");
	assert_int_equal(json_array_size(json_object_get(j, "trajectories")), 5);
	json_decref(j);
	/* the stories of "Open" have no participant: nobody to follow */
	j = get_ok(open_id, "/over-time/geholpen");
	assert_true(json_is_integer(json_object_get(j, "people")));
	assert_int_equal(count_of(j, "people"), 0);
	assert_true(json_is_true(json_object_get(j, "too_few")));
	assert_null(json_object_get(j, "trajectories"));
	json_decref(j);
}

/* ---- filters in the URL ---------------------------------------------------- */

static void test_filters(void **state)
{
	static const struct {
		const char *filter;
		json_int_t n;
	} cases[] = {
	        {"situatie = samen and hulp = ja", 24},
	        {"situatie = \"samen\"", 32},
	        {"not situatie = alleen", 64},
	        {"situatie in (alleen, zorg) and hulp = nee", 40},
	        {"text contains \"appelboom\"", 12},
	        {"channel = face-to-face", 24},
	        {"perspective = professional", 24},
	        {"geholpen is na", 6}, /* too few: null */
	        {"geholpen is na or geholpen is missing", 12},
	        {"geholpen >= 70", 0}, /* filled in below */
	        {"steun[gemeente] > 0.6", 0},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		json_int_t want = cases[k].n;
		if (strchr(cases[k].filter, '>')) {
			want = 0;
			for (int i = 0; i < NSTORIES; i++) {
				struct plan p = plan_of(i);
				want += cases[k].filter[0] == 'g' ? p.geholpen >= 70
				                                  : !p.steun_na && p.sit == 2;
			}
		}
		json_t *j = get_filtered(open_id, "/count", cases[k].filter, NULL);
		json_t *n = json_object_get(j, "n");
		if (want > 0 && want < 10 ? !json_is_null(n) : json_integer_value(n) != want)
			print_message("filter %s: n %lld, want %lld\n", cases[k].filter,
			              (long long)json_integer_value(n), (long long)want);
		assert_cell(j, "n", want);
		assert_string_equal(json_string_value(json_object_get(j, "filter")),
		                    cases[k].filter);
		json_decref(j);
	}
	/* '+' for a space, as a form sends it */
	json_t *j = get_ok(open_id, "/count?filter=situatie+%3D+zorg");
	assert_int_equal(count_of(j, "n"), 32);
	json_decref(j);
	/* a filter narrows every measure */
	j = get_filtered(open_id, "/distribution/hulp", "situatie = alleen", NULL);
	assert_int_equal(count_of(json_array_get(json_object_get(j, "options"), 0), "count"), 16);
	json_decref(j);
	j = get_filtered(again_id, "/count", "period = 2025-Q1", NULL);
	assert_int_equal(count_of(j, "n"), 12);
	json_decref(j);
}

/* ---- small cells and the minimum group ------------------------------------- */

static void test_small_cells(void **state)
{
	/* 8 stories: zorg with ja */
	json_t *j = get_filtered(open_id, "/count", "situatie = zorg and hulp = ja", NULL);
	assert_true(json_is_null(json_object_get(j, "n")));
	assert_true(json_is_true(json_object_get(j, "too_few")));
	assert_true(json_is_null(json_object_get(json_object_get(j, "by_channel"), "web")));
	json_decref(j);
	j = get_filtered(open_id, "/distribution/geholpen", "situatie = zorg and hulp = ja", NULL);
	assert_true(json_is_null(json_object_get(j, "n")));
	assert_true(json_is_true(json_object_get(j, "too_few")));
	assert_null(json_object_get(j, "mean"));
	assert_null(json_object_get(j, "histogram"));
	json_decref(j);
	j = get_filtered(open_id, "/triad/steun", "situatie = zorg and hulp = ja", NULL);
	assert_true(json_is_null(json_object_get(j, "n")));
	assert_null(json_object_get(j, "geomean"));
	json_decref(j);
	j = get_filtered(open_id, "/crosstab/situatie/hulp", "situatie = zorg and hulp = ja", NULL);
	assert_true(json_is_null(json_object_get(j, "n")));
	assert_null(json_object_get(j, "counts"));
	json_decref(j);
	/* a comparison with a small group shows neither its size nor its
	 * figures */
	j = get_ok(open_id, "/compare?a=situatie%20%3D%20zorg%20and%20hulp%20%3D%20ja"
	                    "&b=hulp%20%3D%20nee");
	assert_true(json_is_null(json_object_get(json_object_get(j, "a"), "n")));
	assert_int_equal(count_of(json_object_get(j, "b"), "n"), 48);
	json_t *f = finding(j, "geholpen");
	assert_true(json_is_null(json_object_get(f, "n_a")));
	assert_true(json_is_true(json_object_get(f, "too_few")));
	assert_null(json_object_get(f, "mean_a"));
	json_decref(j);
	/* nor the overlap of two groups, when it is small */
	j = get_ok(open_id, "/compare?a=situatie%20%3D%20zorg&b=hulp%20%3D%20ja");
	assert_true(json_is_null(json_object_get(j, "overlap")));
	json_decref(j);
	/* a story alone */
	j = get_filtered(open_id, "/count", "text contains \"nummer 17.\"", NULL);
	assert_true(json_is_null(json_object_get(j, "n")));
	assert_true(json_is_true(json_object_get(j, "too_few")));
	json_decref(j);
	/* nothing at all is not a small group to protect: 0 */
	j = get_filtered(open_id, "/count", "text contains \"banaan\"", NULL);
	assert_int_equal(count_of(j, "n"), 0);
	json_decref(j);
}

/* The server's minimum (cfg.analysis_min_group = 10): 10 stories show, 9 do
 * not. "Opnieuw" has first answers 40..51: below 50 are ten, below 49 nine. */
static void test_min_group(void **state)
{
	assert_int_equal(config.analysis_min_group, 10);
	json_t *j = get_filtered(again_id, "/count", "geholpen < 50", NULL);
	assert_int_equal(count_of(j, "n"), 10);
	assert_false(json_is_true(json_object_get(j, "too_few")));
	json_decref(j);
	j = get_filtered(again_id, "/count", "geholpen < 49", NULL);
	assert_true(json_is_null(json_object_get(j, "n")));
	assert_true(json_is_true(json_object_get(j, "too_few")));
	json_decref(j);
	j = get_filtered(again_id, "/distribution/geholpen", "geholpen < 50", NULL);
	assert_int_equal(count_of(j, "n"), 10);
	assert_float_equal(num(json_object_get(j, "mean")), 44.5, 1e-6);
	json_decref(j);
	j = get_filtered(again_id, "/over-time/geholpen", "participant is known", NULL);
	assert_int_equal(count_of(j, "people"), 12);
	json_decref(j);
}

/* ---- bad input --------------------------------------------------------------- */

static void test_not_found(void **state)
{
	char d1[256], d2[256];
	/* unknown and another organisation's collection: the same answer */
	assert_int_equal(status_of(999999, "", d1, sizeof d1), 404);
	assert_int_equal(status_of(other_org_id, "", d2, sizeof d2), 404);
	assert_string_equal(d1, d2);
	static const char *const rest[] = {"/count", "/distribution/situatie",
	                                   "/crosstab/situatie/hulp"};
	for (size_t k = 0; k < 3; k++) {
		assert_int_equal(status_of(999999, rest[k], NULL, 0), 404);
		assert_int_equal(status_of(other_org_id, rest[k], NULL, 0), 404);
	}
	struct jar tmp = reader;
	struct http_resp r;
	assert_int_equal(http_get(port, &tmp, "/api/v1/collections/abc/analysis/count", &r), 0);
	assert_int_equal(r.status, 404);
	http_free(&r);
	/* unknown measure */
	assert_int_equal(status_of(open_id, "/frob", NULL, 0), 404);
	assert_int_equal(status_of(open_id, "/frob/situatie", NULL, 0), 404);
	/* unknown question, named in the message */
	assert_int_equal(status_of(open_id, "/distribution/nope", d1, sizeof d1), 404);
	assert_non_null(strstr(d1, "nope"));
	assert_int_equal(status_of(open_id, "/crosstab/situatie/nope", NULL, 0), 404);
	assert_int_equal(status_of(open_id, "/triad/nope", NULL, 0), 404);
	assert_int_equal(status_of(open_id, "/over-time/nope", NULL, 0), 404);
	assert_int_equal(status_of(open_id, "/perspectives/geholpen/nope", NULL, 0), 404);
	assert_int_equal(status_of(open_id, "/patterns?outcome=nope", NULL, 0), 404);
}

static void test_bad_filter(void **state)
{
	char d[256];
	/* "situatie = = x": the second "=" is at 12 */
	assert_int_equal(status_of(open_id, "/count?filter=situatie%20%3D%20%3D%20x", d, sizeof d),
	                 400);
	assert_non_null(strstr(d, "at 12"));
	assert_int_equal(status_of(open_id, "/count?filter=situatie%20%3D%20nope", d, sizeof d),
	                 400);
	assert_non_null(strstr(d, "at 12"));
	assert_non_null(strstr(d, "nope"));
	assert_int_equal(status_of(open_id, "/count?filter=bestaat%20%3D%20x", d, sizeof d), 400);
	assert_non_null(strstr(d, "at 1"));
	assert_int_equal(status_of(open_id, "/distribution/geholpen?filter=%22open", d, sizeof d),
	                 400);
	assert_int_equal(status_of(open_id, "/compare?a=hulp%20%3D%20ja&b=hulp%20%3D", d, sizeof d),
	                 400);
	assert_int_equal(status_of(open_id, "/patterns?outcome=geholpen&filter=(", d, sizeof d),
	                 400);
}

static void test_wrong_type(void **state)
{
	static const char *const rest[] = {
	        "/triad/situatie",
	        "/triad/geholpen",
	        "/crosstab/geholpen/situatie",
	        "/crosstab/situatie/steun",
	        "/patterns?outcome=situatie",
	        "/over-time/situatie",
	        "/perspectives/situatie",
	        "/perspectives/geholpen/steun",
	        "/perspectives/geholpen/geholpen",
	        "/perspectives/pro-geholpen/pro-geholpen",
	};
	for (size_t k = 0; k < sizeof rest / sizeof rest[0]; k++) {
		char d[256];
		int st = status_of(open_id, rest[k], d, sizeof d);
		if (st != 422)
			print_message("%s: %d\n", rest[k], st);
		assert_int_equal(st, 422);
		assert_true(strlen(d) > 0);
	}
}

static void test_bad_parameters(void **state)
{
	static const char *const rest[] = {
	        "/distribution/geholpen?bins=0",
	        "/distribution/geholpen?bins=51",
	        "/triad/steun?bins=-1",
	        "/triad/steun?bins=1.5",
	        "/patterns?outcome=geholpen&limit=abc",
	        "/patterns?outcome=geholpen&limit=0",
	        "/patterns?outcome=geholpen&limit=1001",
	        "/count?limit=abc",
	        "/patterns",
	        "/compare",
	};
	for (size_t k = 0; k < sizeof rest / sizeof rest[0]; k++) {
		int st = status_of(open_id, rest[k], NULL, 0);
		if (st != 400)
			print_message("%s: %d\n", rest[k], st);
		assert_int_equal(st, 400);
	}
	/* the limits themselves are fine */
	json_t *j = get_ok(open_id, "/distribution/geholpen?bins=50");
	assert_int_equal(json_array_size(json_object_get(j, "histogram")), 50);
	json_decref(j);
	j = get_ok(open_id, "/patterns?outcome=geholpen&limit=1000");
	json_decref(j);
	j = get_ok(open_id, "/triad/steun?bins=1");
	assert_int_equal(json_array_size(json_object_get(json_object_get(j, "bins"), "counts")), 1);
	json_decref(j);
}

static void test_not_logged_in(void **state)
{
	static const char *const rest[] = {"", "/count", "/distribution/situatie",
	                                   "/crosstab/situatie/hulp"};
	for (size_t k = 0; k < 4; k++) {
		json_t *j = NULL;
		assert_int_equal(get_as(NULL, open_id, rest[k], &j), 401);
		/* no figure leaks into the refusal */
		assert_null(json_object_get(j, "n"));
		json_decref(j);
	}
	/* a made-up session is no session */
	struct jar fake;
	memset(&fake, 0, sizeof fake);
	snprintf(fake.ip, sizeof fake.ip, "10.8.9.9");
	memset(fake.session, 'a', 64);
	assert_int_equal(get_as(&fake, open_id, "/count", NULL), 401);
}

/* ---- the index follows new stories ------------------------------------------- */

static void test_new_story_counted(void **state)
{
	json_t *j = get_ok(later_id, "/count");
	assert_int_equal(count_of(j, "n"), 0);
	json_decref(j);
	for (int i = 0; i < 12; i++)
		send_planned(later_token, i, "cccccccc");
	/* the poller's next tick; no restart, no rebuild asked */
	assert_true(wait_for_count(later_id, 12));
	j = get_ok(later_id, "/distribution/situatie");
	assert_int_equal(count_of(j, "n"), 12);
	json_decref(j);
}

/* ---- the API's description --------------------------------------------------- */

static void test_openapi(void **state)
{
	struct http_resp r;
	assert_int_equal(http_get(port, NULL, "/api/v1/openapi.json", &r), 0);
	assert_int_equal(r.status, 200);
	json_t *d = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(d);
	json_t *paths = json_object_get(d, "paths");
	static const char *const want[] = {"/collections/{id}/analysis",
	                                   "/collections/{id}/analysis/{measure}",
	                                   "/collections/{id}/analysis/{measure}/{q}",
	                                   "/collections/{id}/analysis/{measure}/{q}/{q2}"};
	for (size_t i = 0; i < 4; i++) {
		json_t *get = json_object_get(json_object_get(paths, want[i]), "get");
		if (!get)
			print_message("openapi.json lacks GET %s\n", want[i]);
		assert_non_null(get);
		json_t *resp = json_object_get(get, "responses");
		assert_non_null(json_object_get(resp, "200"));
		assert_non_null(json_object_get(resp, "401"));
		assert_non_null(json_object_get(resp, "404"));
	}
	json_t *schemas = json_object_get(json_object_get(d, "components"), "schemas");
	static const char *const doc[] = {
	        "AnalysisQuestions", "AnalysisCount",        "AnalysisDistribution",
	        "AnalysisCrosstab",  "AnalysisTriad",        "AnalysisCompare",
	        "AnalysisOverTime",  "AnalysisPerspectives", "AnalysisPatterns"};
	for (size_t i = 0; i < sizeof doc / sizeof doc[0]; i++) {
		if (!json_object_get(schemas, doc[i]))
			print_message("openapi.json lacks schema %s\n", doc[i]);
		assert_non_null(json_object_get(schemas, doc[i]));
	}
	json_t *tri = json_object_get(json_object_get(schemas, "AnalysisTriad"), "properties");
	static const char *const fields[] = {"n", "too_few", "geomean", "ilr_mean", "ci"};
	for (size_t i = 0; i < 5; i++)
		assert_non_null(json_object_get(tri, fields[i]));
	assert_non_null(json_object_get(
	        json_object_get(json_object_get(schemas, "AnalysisPatterns"), "properties"),
	        "patterns"));
	assert_non_null(json_object_get(
	        json_object_get(json_object_get(schemas, "AnalysisQuestions"), "properties"),
	        "questions"));
	json_decref(d);
	http_free(&r);
}

/* ---- the minimum from the configuration -------------------------------------- */

/* Last: the server again with --analysis-min-group 13 on the same
 * database: a group of 12 is now too few, 24 is not. */
static void test_min_group_configured(void **state)
{
	server_stop(&app, 2000);
	struct app_config cfg = config;
	cfg.analysis_min_group = 13;
	char err[256];
	assert_int_equal(server_start(&app, &cfg, err, sizeof err), 0);
	port = app.port;
	wt_login(&reader, "lezer", READER_PW, "10.8.0.3", NULL);
	assert_true(wait_for_count(again_id, 24));
	json_t *j = get_filtered(again_id, "/count", "period = 2025-Q1", NULL);
	assert_true(json_is_null(json_object_get(j, "n")));
	assert_true(json_is_true(json_object_get(j, "too_few")));
	json_decref(j);
	j = get_ok(again_id, "/over-time/geholpen");
	assert_true(json_is_null(json_object_get(j, "people")));
	assert_true(json_is_true(json_object_get(j, "too_few")));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_questions),
	        cmocka_unit_test(test_count),
	        cmocka_unit_test(test_distribution_choice),
	        cmocka_unit_test(test_distribution_dyad),
	        cmocka_unit_test(test_crosstab),
	        cmocka_unit_test(test_triad),
	        cmocka_unit_test(test_compare),
	        cmocka_unit_test(test_patterns),
	        cmocka_unit_test(test_perspectives),
	        cmocka_unit_test(test_over_time),
	        cmocka_unit_test(test_filters),
	        cmocka_unit_test(test_small_cells),
	        cmocka_unit_test(test_min_group),
	        cmocka_unit_test(test_not_found),
	        cmocka_unit_test(test_bad_filter),
	        cmocka_unit_test(test_wrong_type),
	        cmocka_unit_test(test_bad_parameters),
	        cmocka_unit_test(test_not_logged_in),
	        cmocka_unit_test(test_new_story_counted),
	        cmocka_unit_test(test_openapi),
	        cmocka_unit_test(test_min_group_configured),
	};
	return cmocka_run_group_tests_name("analysis api", tests, setup, teardown);
}
