/* test_filter.c: the filter language: every kind of condition, precedence, pilot rows, missing answers, errors with positions, printing, and "text contains" against a real database. */
#include "testutil.h"
#include "testdb.h"

#include "analysis/filter.h"
#include "core/log.h"
#include "db/migrate.h"
#include "model/collection.h"
#include "model/script_store.h"
#include "model/story.h"
#include "model/user.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A script with a question of every type the filters know. */
static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"filters\",\"title\":{\"nl\":\"F\"},"
        "\"privacy\":{\"nl\":\"P\"},\"sections\":[{\"id\":\"s\",\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"required\":true,\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p1\",\"text\":{\"nl\":\"Een\"}},{\"id\":\"p2\",\"text\":"
        "{\"nl\":\"Twee\"}}]},"
        "{\"id\":\"situatie\",\"type\":\"choice\",\"not_applicable\":true,\"text\":{\"nl\":\"S\"},"
        "\"options\":[{\"id\":\"a\",\"label\":{\"nl\":\"A\"}},{\"id\":\"b\",\"label\":{\"nl\":"
        "\"B\"}},"
        "{\"id\":\"c\",\"label\":{\"nl\":\"C\"}}],\"other\":{\"nl\":\"Anders\"}},"
        "{\"id\":\"hulp\",\"type\":\"multi\",\"text\":{\"nl\":\"H\"},"
        "\"options\":[{\"id\":\"x\",\"label\":{\"nl\":\"X\"}},{\"id\":\"y\",\"label\":{\"nl\":"
        "\"Y\"}},"
        "{\"id\":\"z\",\"label\":{\"nl\":\"Z\"}}],\"other\":{\"nl\":\"Anders\"}},"
        "{\"id\":\"tevreden\",\"type\":\"scale\",\"text\":{\"nl\":\"T\"},\"points\":5,"
        "\"low\":{\"nl\":\"Laag\"},\"high\":{\"nl\":\"Hoog\"}},"
        "{\"id\":\"geholpen\",\"type\":\"dyad\",\"not_applicable\":true,\"text\":{\"nl\":\"G\"},"
        "\"poles\":[{\"id\":\"niet\",\"label\":{\"nl\":\"Niet\"}},{\"id\":\"veel\",\"label\":"
        "{\"nl\":\"Veel\"}}]},"
        "{\"id\":\"steun\",\"type\":\"triad\",\"not_applicable\":true,\"text\":{\"nl\":\"St\"},"
        "\"corners\":[{\"id\":\"ek\",\"label\":{\"nl\":\"Zelf\"}},{\"id\":\"nw\",\"label\":"
        "{\"nl\":\"Netwerk\"}},{\"id\":\"gm\",\"label\":{\"nl\":\"Gemeente\"}}]},"
        "{\"id\":\"opmerking\",\"type\":\"text\",\"text\":{\"nl\":\"O\"}},"
        "{\"id\":\"leeftijd\",\"type\":\"number\",\"text\":{\"nl\":\"L\"}},"
        "{\"id\":\"datum\",\"type\":\"date\",\"text\":{\"nl\":\"D\"}},"
        "{\"id\":\"pro\",\"type\":\"scale\",\"perspective\":\"professional\",\"text\":"
        "{\"nl\":\"Oordeel\"},\"points\":5,\"low\":{\"nl\":\"Laag\"},\"high\":{\"nl\":\"Hoog\"}},"
        "{\"id\":\"notitie\",\"type\":\"text\",\"perspective\":\"professional\",\"text\":"
        "{\"nl\":\"Notitie\"}}"
        "]}]}";

struct row_spec {
	const char *answers, *professional;
	int channel;
	const char *created; /* "YYYY-MM-DDTHH:MM:SS" UTC */
	uint32_t participant;
	int pilot;
};

/* Eight stories; row 3 is a pilot story. Comments give what the cases
 * below rely on. */
static const struct row_spec rows[] = {
        /* 0 */ {"{\"verhaal\":{\"prompt\":\"p1\",\"title\":\"Het loket\",\"text\":\"De "
                 "wachtlijst was lang.\"},\"situatie\":\"a\",\"hulp\":[\"x\",\"y\"],\"tevreden\":5,"
                 "\"geholpen\":80,\"steun\":[0.7,0.2,0.1],\"opmerking\":\"Geen\",\"leeftijd\":34,"
                 "\"datum\":\"2025-01-10\"}",
                 NULL, AIX_WEB, "2025-01-15T10:00:00", 0, 0},
        /* 1 */
        {"{\"verhaal\":{\"prompt\":\"p2\",\"title\":\"Snel\",\"text\":\"Ik werd snel "
         "GEHOLPEN, 100% goed_zo.\"},\"situatie\":\"b\",\"hulp\":[\"z\"],\"tevreden\":3,"
         "\"geholpen\":40.5,\"steun\":[0.6,0.2,0.2],\"leeftijd\":70.5,\"datum\":"
         "\"2025-03-01\"}",
         "{\"pro\":4,\"notitie\":\"Verwezen naar de Wijkteam-coach.\"}", AIX_KIOSK,
         "2025-03-31T23:59:59", 7, 0},
        /* 2 */
        {"{\"verhaal\":{\"prompt\":\"p1\",\"title\":\"Buren\",\"text\":\"Mijn buurman "
         "hielp.\"},\"situatie\":{\"other\":\"iets\"},\"hulp\":[{\"other\":\"buur\"}],"
         "\"tevreden\":1,\"geholpen\":null,\"steun\":[0.2,0.2,0.6],\"opmerking\":"
         "\"De WACHTLIJST!\"}",
         "{\"pro\":2}", AIX_FACE, "2025-04-01T00:00:00", 7, 0},
        /* 3 */
        {"{\"verhaal\":{\"prompt\":\"p1\",\"title\":\"Proef\",\"text\":\"Een "
         "wachtlijst in de proef.\"},\"situatie\":\"a\",\"tevreden\":4,\"geholpen\":0.29}",
         NULL, AIX_PHONE, "2025-07-14T12:00:00", 0, 1},
        /* 4 */
        {"{\"verhaal\":{\"prompt\":\"p2\",\"title\":\"Papier\",\"text\":\"Op papier.\"},"
         "\"situatie\":\"c\",\"hulp\":[\"x\"],\"geholpen\":100,\"steun\":[1,0,0],"
         "\"leeftijd\":-3}",
         NULL, AIX_PAPER, "2025-12-31T23:59:59", 0, 0},
        /* 5 */
        {"{\"verhaal\":{\"prompt\":\"p1\",\"text\":\"Alleen een verhaal.\"}}", NULL, AIX_IMPORT,
         "2026-01-01T00:00:00", 0, 0},
        /* 6 */
        {"{\"verhaal\":{\"prompt\":\"p1\",\"text\":\"Vorig jaar.\"},\"situatie\":null,"
         "\"tevreden\":2,\"geholpen\":0,\"steun\":null}",
         NULL, AIX_WEB, "2024-06-30T08:00:00", 0, 0},
        /* 7 */
        {"{\"verhaal\":{\"prompt\":\"p2\",\"title\":\"Midden\",\"text\":\"Alles "
         "gelijk.\"},\"situatie\":\"b\",\"hulp\":[\"x\",\"z\"],\"tevreden\":5,"
         "\"geholpen\":60,\"steun\":[0.3333,0.3333,0.3334]}",
         NULL, AIX_WEB, "2025-07-01T00:00:00", 9, 0},
};
enum { NROWS = sizeof rows / sizeof rows[0] };

static int64_t parse_time(const char *s)
{
	struct tm tm = {0};
	assert_non_null(strptime(s, "%Y-%m-%dT%H:%M:%S", &tm));
	return (int64_t)timegm(&tm);
}

static int option_of(const struct question *q, const char *id)
{
	for (int i = 0; i < q->noptions; i++)
		if (strcmp(q->options[i].id, id) == 0)
			return i;
	fail_msg("no option %s in %s", id, q->id);
	return -1;
}

/* A pin's or stones' answer in row i: 2 bytes a place (x, y rounded to a
 * whole percent), 255 when not placed (index.h). */
static void set_place(struct aix_question *aq, uint32_t i, json_t *v)
{
	const struct question *q = aq->q;
	int places = q->type == Q_PIN ? 1 : q->noptions;
	uint8_t *o = aq->u8 + 2 * (size_t)i * places;
	memset(o, 255, 2 * (size_t)places);
	if (!v)
		return;
	if (json_is_null(v)) {
		roaring_bitmap_add(aq->na, i);
		return;
	}
	roaring_bitmap_add(aq->answered, i);
	for (int k = 0; k < places; k++) {
		json_t *xy = q->type == Q_PIN ? v : json_object_get(v, q->options[k].id);
		json_t *x = q->type == Q_PIN ? json_object_get(v, "x") : json_array_get(xy, 0);
		json_t *y = q->type == Q_PIN ? json_object_get(v, "y") : json_array_get(xy, 1);
		if (x && y) {
			o[2 * k] = (uint8_t)lround(json_number_value(x));
			o[2 * k + 1] = (uint8_t)lround(json_number_value(y));
		}
	}
}

/* Fills the columns of row i of aq from one answer (NULL: missing), the
 * way index.h describes them. */
static void set_cell(struct aix_question *aq, uint32_t i, json_t *v)
{
	const struct question *q = aq->q;
	if (q->type == Q_PIN || q->type == Q_STONES) {
		set_place(aq, i, v);
		return;
	}
	if (aq->u8)
		aq->u8[i] = AIX_MISSING8;
	if (aq->u16)
		aq->u16[(q->type == Q_TRIAD ? 3 : 1) * (size_t)i] = AIX_MISSING16;
	if (aq->i32)
		aq->i32[i] = INT32_MIN;
	if (aq->f32)
		aq->f32[i] = NAN;
	if (!v)
		return;
	if (json_is_null(v)) {
		roaring_bitmap_add(aq->na, i);
		if (aq->u8)
			aq->u8[i] = AIX_NA8;
		if (aq->u16)
			aq->u16[(q->type == Q_TRIAD ? 3 : 1) * (size_t)i] = AIX_NA16;
		return;
	}
	roaring_bitmap_add(aq->answered, i);
	switch (q->type) {
	case Q_STORY: {
		int k = option_of(q, json_string_value(json_object_get(v, "prompt")));
		aq->u8[i] = (uint8_t)(k + 1);
		roaring_bitmap_add(aq->bm[k], i);
		break;
	}
	case Q_CHOICE: {
		int k = json_is_object(v) ? q->noptions : option_of(q, json_string_value(v));
		aq->u8[i] = (uint8_t)(k + 1);
		roaring_bitmap_add(aq->bm[k], i);
		break;
	}
	case Q_MULTI: {
		size_t j;
		json_t *e;
		json_array_foreach(v, j, e)
		{
			int k = json_is_object(e) ? q->noptions
			                          : option_of(q, json_string_value(e));
			roaring_bitmap_add(aq->bm[k], i);
		}
		break;
	}
	case Q_SCALE:
		aq->u8[i] = (uint8_t)json_integer_value(v);
		roaring_bitmap_add(aq->bm[json_integer_value(v) - 1], i);
		break;
	case Q_DYAD: aq->u16[i] = (uint16_t)lround(json_number_value(v) * AIX_DYAD_SCALE); break;
	case Q_TRIAD:
		for (int k = 0; k < 3; k++)
			aq->u16[3 * (size_t)i + k] = (uint16_t)lround(
			        json_number_value(json_array_get(v, (size_t)k)) * AIX_TRIAD_SCALE);
		break;
	case Q_NUMBER: aq->f32[i] = (float)json_number_value(v); break;
	case Q_DATE: {
		struct tm tm = {0};
		assert_non_null(strptime(json_string_value(v), "%Y-%m-%d", &tm));
		aq->i32[i] = (int32_t)(timegm(&tm) / 86400);
		break;
	}
	default: break;
	}
}

/* A part of the index made by hand from n row specs (ids: the story id of
 * each row). Free with coll_free. */
static struct aix_coll *coll_make(const struct script *s, const struct row_spec *r, uint32_t n,
                                  const int64_t *ids, int64_t collection_id)
{
	struct aix_coll *c = calloc(1, sizeof *c);
	assert_non_null(c);
	c->id = collection_id;
	c->script = s;
	c->n = c->cap = n;
	c->story_id = calloc(n + 1, sizeof *c->story_id);
	c->created_at = calloc(n + 1, sizeof *c->created_at);
	c->participant = calloc(n + 1, sizeof *c->participant);
	c->channel = calloc(n + 1, 1);
	c->pilot = roaring_bitmap_create();
	c->professional = roaring_bitmap_create();
	for (int k = 0; k < AIX_CHANNELS; k++)
		c->by_channel[k] = roaring_bitmap_create();
	c->nq = s->nquestions;
	c->q = calloc((size_t)c->nq, sizeof *c->q);
	for (int j = 0; j < c->nq; j++) {
		struct aix_question *aq = &c->q[j];
		const struct question *q = s->questions[j];
		aq->q = q;
		aq->answered = roaring_bitmap_create();
		aq->na = roaring_bitmap_create();
		aq->nbm = q->type == Q_STORY                          ? q->noptions
		          : q->type == Q_CHOICE || q->type == Q_MULTI ? q->noptions + 1
		          : q->type == Q_SCALE                        ? q->points
		                                                      : 0;
		if (aq->nbm) {
			aq->bm = calloc((size_t)aq->nbm, sizeof *aq->bm);
			for (int k = 0; k < aq->nbm; k++)
				aq->bm[k] = roaring_bitmap_create();
		}
		if (q->type == Q_STORY || q->type == Q_CHOICE || q->type == Q_SCALE)
			aq->u8 = calloc(n + 1, 1);
		if (q->type == Q_DYAD || q->type == Q_TRIAD)
			aq->u16 = calloc(3 * (size_t)n + 1, sizeof *aq->u16);
		if (q->type == Q_PIN || q->type == Q_STONES)
			aq->u8 = calloc(2 * (size_t)(n + 1) * (q->type == Q_PIN ? 1 : q->noptions),
			                1);
		if (q->type == Q_DATE)
			aq->i32 = calloc(n + 1, sizeof *aq->i32);
		if (q->type == Q_NUMBER)
			aq->f32 = calloc(n + 1, sizeof *aq->f32);
	}
	for (uint32_t i = 0; i < n; i++) {
		c->story_id[i] = (uint32_t)ids[i];
		c->created_at[i] = parse_time(r[i].created);
		c->participant[i] = r[i].participant;
		c->channel[i] = (uint8_t)r[i].channel;
		roaring_bitmap_add(c->by_channel[r[i].channel], i);
		if (r[i].pilot)
			roaring_bitmap_add(c->pilot, i);
		json_t *ans = json_loads(r[i].answers, 0, NULL);
		json_t *pro = r[i].professional ? json_loads(r[i].professional, 0, NULL) : NULL;
		assert_non_null(ans);
		if (pro)
			roaring_bitmap_add(c->professional, i);
		for (int j = 0; j < c->nq; j++) {
			json_t *src =
			        c->q[j].q->perspective == PERSPECTIVE_PROFESSIONAL ? pro : ans;
			set_cell(&c->q[j], i, src ? json_object_get(src, c->q[j].q->id) : NULL);
		}
		json_decref(ans);
		json_decref(pro);
	}
	c->last_story_id = n ? ids[n - 1] : 0;
	return c;
}

static void coll_free(struct aix_coll *c)
{
	for (int j = 0; j < c->nq; j++) {
		struct aix_question *aq = &c->q[j];
		for (int k = 0; k < aq->nbm; k++)
			roaring_bitmap_free(aq->bm[k]);
		free(aq->bm);
		roaring_bitmap_free(aq->answered);
		roaring_bitmap_free(aq->na);
		free(aq->u8), free(aq->u16), free(aq->i32), free(aq->f32);
	}
	free(c->q);
	for (int k = 0; k < AIX_CHANNELS; k++)
		roaring_bitmap_free(c->by_channel[k]);
	roaring_bitmap_free(c->pilot);
	roaring_bitmap_free(c->professional);
	free(c->story_id), free(c->created_at), free(c->participant), free(c->channel);
	free(c);
}

struct fixture {
	struct script *script;
	struct aix_coll *c;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[256];
	f->script = script_parse_text(script_text, strlen(script_text), err, sizeof err);
	if (!f->script) {
		fprintf(stderr, "script: %s\n", err);
		return -1;
	}
	int64_t ids[NROWS];
	for (int i = 0; i < NROWS; i++)
		ids[i] = 100 + 3 * i;
	f->c = coll_make(f->script, rows, NROWS, ids, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	coll_free(f->c);
	script_free(f->script);
	free(f);
	return 0;
}

static bool add_row(uint32_t v, void *p)
{
	buf *b = p;
	if (b->len)
		buf_putc(b, ' ');
	buf_put_int(b, v);
	return true;
}

/* The rows of a bitmap as "0 3 7". */
static void rows_text(const roaring_bitmap_t *bm, buf *out)
{
	buf_reset(out);
	roaring_iterate(bm, add_row, out);
	if (!out->data)
		buf_puts(out, "");
}

/* Parses text against c and evaluates it: the rows as "0 3 7", or the
 * error as "error: ...". */
static void run(struct aix_coll *c, db *d, const char *text, buf *out)
{
	char err[256];
	buf_reset(out);
	struct filter *f = filter_parse(text, c, err, sizeof err);
	if (!f) {
		buf_puts(out, "error: ");
		buf_puts(out, err);
		return;
	}
	roaring_bitmap_t *bm = filter_eval(f, c, d, err, sizeof err);
	filter_free(f);
	if (!bm) {
		buf_puts(out, "error: ");
		buf_puts(out, err);
		return;
	}
	rows_text(bm, out);
	roaring_bitmap_free(bm);
}

struct rcase {
	const char *filter, *rows;
};

static void check_cases(struct aix_coll *c, db *d, const struct rcase *cases, size_t n)
{
	buf out;
	buf_init(&out);
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		run(c, d, cases[i].filter, &out);
		if (strcmp(out.data, cases[i].rows) != 0) {
			print_message("%s\n  expected: %s\n  got:      %s\n", cases[i].filter,
			              cases[i].rows, out.data);
			bad++;
		}
	}
	buf_free(&out);
	assert_int_equal(bad, 0);
}

static void test_conditions(void **state)
{
	struct fixture *f = *state;
	static const struct rcase cases[] = {
	        /* the empty filter: every story but the pilot one */
	        {"", "0 1 2 4 5 6 7"},
	        {"   ", "0 1 2 4 5 6 7"},
	        /* choice */
	        {"situatie = a", "0"},
	        {"situatie=a", "0"},
	        {"situatie != a", "1 2 4 7"},
	        {"situatie in (b, c)", "1 4 7"},
	        {"situatie in (b)", "1 7"},
	        {"situatie = other", "2"},
	        {"situatie = \"a\"", "0"},
	        {"situatie is na", "6"},
	        {"situatie is missing", "5"},
	        {"situatie is answered", "0 1 2 4 7"},
	        /* multi: "=" is "chose this one" */
	        {"hulp = x", "0 4 7"},
	        {"hulp != x", "1 2"},
	        {"hulp in (y, z)", "0 1 7"},
	        {"hulp = other", "2"},
	        {"hulp is missing", "5 6"},
	        /* story prompt */
	        {"verhaal = p2", "1 4 7"},
	        {"verhaal != p2", "0 2 5 6"},
	        /* scale */
	        {"tevreden >= 4", "0 7"},
	        {"tevreden < 3", "2 6"},
	        {"tevreden = 3", "1"},
	        {"tevreden != 5", "1 2 6"},
	        {"tevreden > 2.5", "0 1 7"},
	        {"tevreden in (1, 2)", "2 6"},
	        /* dyad, in hundredths */
	        {"geholpen > 40.5", "0 4 7"},
	        {"geholpen >= 40.5", "0 1 4 7"},
	        {"geholpen >= 40.50", "0 1 4 7"},
	        {"geholpen = 40.5", "1"},
	        {"geholpen = 100", "4"},
	        {"geholpen = 0", "6"},
	        {"geholpen <= 0.29", "6"},
	        {"pilot and geholpen <= 0.29", "3"},
	        {"pilot and geholpen < 0.29", ""},
	        {"pilot and geholpen = 0.29", "3"},
	        {"pilot and geholpen > 0.28", "3"},
	        {"geholpen != 80", "1 4 6 7"},
	        {"geholpen is na", "2"},
	        {"geholpen > 100", ""},
	        {"geholpen < 0", ""},
	        {"geholpen > -5", "0 1 4 6 7"},
	        {"geholpen in (0, 100)", "4 6"},
	        /* triad corners: w / sum, exactly */
	        {"steun[ek] > 0.6", "0 4"},
	        {"steun[ek] >= 0.6", "0 1 4"},
	        {"steun[gm] >= 0.6", "2"},
	        {"steun[ek] < 0.5", "2 7"},
	        {"steun[nw] <= 0.2", "0 1 2 4"},
	        {"steun[gm] > 0.3333", "2 7"},
	        {"steun[ek] > 0.3333", "0 1 4"},
	        {"steun is na", "6"},
	        {"steun[\"ek\"] >= 1", "4"},
	        /* number */
	        {"leeftijd > 34", "1"},
	        {"leeftijd >= 34", "0 1"},
	        {"leeftijd < 0", "4"},
	        {"leeftijd = 70.5", "1"},
	        {"leeftijd != 34", "1 4"},
	        {"leeftijd is missing", "2 5 6 7"},
	        /* date */
	        {"datum < 2025-02-01", "0"},
	        {"datum = 2025-03-01", "1"},
	        {"datum >= 2025-01-10", "0 1"},
	        {"datum != 2025-03-01", "0"},
	        /* text question: only is */
	        {"opmerking is answered", "0 2"},
	        /* channel */
	        {"channel = web", "0 6 7"},
	        {"channel != web", "1 2 4 5"},
	        {"channel in (kiosk, phone)", "1"},
	        {"channel = face-to-face", "2"},
	        {"channel = import", "5"},
	        /* period (UTC calendar) and created */
	        {"period = 2025", "0 1 2 4 7"},
	        {"period = 2025-Q1", "0 1"},
	        {"period = 2025-q2", "2"},
	        {"period = 2025-Q4", "4"},
	        {"period = 2025-07", "7"},
	        {"period = 2025-12-31", "4"},
	        {"period = 2026", "5"},
	        {"period = 2025-03-31..2025-04-01", "1 2"},
	        {"period = 2025-03-31 .. 2025-04-01", "1 2"},
	        {"period = 2025-03-31.. 2025-04-01", "1 2"},
	        {"period = 2025-03-31 ..2025-04-01", "1 2"},
	        {"period = 2025-04-01..2025-04-01", "2"},
	        {"created < 2025-04-01", "0 1 6"},
	        {"created <= 2025-04-01", "0 1 2 6"},
	        {"created > 2025-12-31", "5"},
	        {"created >= 2025-07-01", "4 5 7"},
	        /* perspective, participant */
	        {"perspective = professional", "1 2"},
	        {"perspective = teller", "0 4 5 6 7"},
	        {"participant is known", "1 2 7"},
	        {"participant is unknown", "0 4 5 6"},
	        {"pro >= 3", "1"},
	        {"pro is missing", "0 4 5 6 7"},
	        /* pilot stories only when asked */
	        {"pilot", "3"},
	        {"not pilot", "0 1 2 4 5 6 7"},
	        {"situatie = a or pilot", "0 3"},
	        {"situatie = a and pilot", "3"},
	        {"channel = phone", ""},
	        {"channel = phone or pilot", "3"},
	        /* precedence: not > and > or; parentheses */
	        {"situatie = a or situatie = b and tevreden = 3", "0 1"},
	        {"(situatie = a or situatie = b) and tevreden = 3", "1"},
	        {"situatie = b and tevreden = 3 or situatie = a", "0 1"},
	        {"situatie = b and (tevreden = 3 or situatie = a)", "1"},
	        {"not situatie = a and tevreden = 5", "7"},
	        {"not (situatie = a and tevreden = 5)", "1 2 4 5 6 7"},
	        {"not not situatie = a", "0"},
	        {"((((situatie = a))))", "0"},
	        {"not situatie = a", "1 2 4 5 6 7"},
	        /* a row without an answer is neither "= x" nor "!= x" */
	        {"geholpen = 80 or geholpen != 80", "0 1 4 6 7"},
	        {"situatie = a or situatie != a", "0 1 2 4 7"},
	        {"not (situatie = a or situatie != a)", "5 6"},
	        /* a quoted question id */
	        {"\"situatie\" = a", "0"},
	};
	check_cases(f->c, NULL, cases, sizeof cases / sizeof cases[0]);
}

struct ecase {
	const char *filter, *error;
};

static void check_errors(const struct aix_coll *c, const struct ecase *cases, size_t n)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		char err[256] = "";
		struct filter *fl = filter_parse(cases[i].filter, c, err, sizeof err);
		if (fl || strcmp(err, cases[i].error) != 0) {
			print_message("%s\n  expected: %s\n  got:      %s\n", cases[i].filter,
			              cases[i].error, fl ? "(parsed)" : err);
			bad++;
		}
		filter_free(fl);
	}
	assert_int_equal(bad, 0);
}

static void test_errors_syntax(void **state)
{
	static const struct ecase cases[] = {
	        {"situatie =", "at 11: expected a value"},
	        {"situatie", "at 9: expected = != in < <= > >= [ or is after situatie"},
	        {"situatie = a and", "at 17: expected a condition, \"not\" or ( at the end"},
	        {"situatie = a and or", "at 18: expected a condition, \"not\" or ("},
	        {"(situatie = a", "at 14: expected ) to close the ( at 1"},
	        {"situatie = a)", "at 13: this ) closes no ("},
	        {"situatie = a AND x = b",
	         "at 14: expected and, or, or the end (keywords are lower case)"},
	        {"situatie = a x = b", "at 14: expected and, or, or the end of the filter"},
	        {"channel = fax",
	         "at 11: unknown channel fax (web, kiosk, face-to-face, phone, paper, import)"},
	        {"channel > web", "at 9: expected =, != or in after channel"},
	        {"channel in web", "at 12: expected ( after in"},
	        {"channel in (web kiosk)", "at 17: expected , or ) in the list after in"},
	        {"period = 2025-13",
	         "at 10: expected a period like 2025, 2025-Q3, 2025-07, 2025-07-14 or "
	         "2025-01-01..2025-03-31"},
	        {"period = 2025-02-29",
	         "at 10: expected a period like 2025, 2025-Q3, 2025-07, 2025-07-14 or "
	         "2025-01-01..2025-03-31"},
	        {"period = 2025-Q5",
	         "at 10: expected a period like 2025, 2025-Q3, 2025-07, 2025-07-14 or "
	         "2025-01-01..2025-03-31"},
	        {"period = 2025-04-01..2025-03-01", "at 10: the period ends before it starts"},
	        {"period 2025", "at 8: expected = after period"},
	        {"created = 2025-01-01",
	         "at 9: expected < <= > or >= after created (for one day: period = DATE)"},
	        {"created < 2025-1-1", "at 11: expected a date like 2025-07-14"},
	        {"perspective = resident", "at 15: expected professional or teller"},
	        {"participant is anonymous", "at 16: expected known or unknown"},
	        {"text contains", "at 14: expected a text in double quotes"},
	        {"text contains \"\"", "at 15: the text to look for is empty"},
	        {"text has x", "at 6: expected contains after text"},
	        {"x = \"abc", "at 5: the string is not closed with \""},
	        {"x = \"a\\nb\"", "at 7: in a string only \\\" and \\\\ may follow a backslash"},
	        {"x # y", "at 3: unexpected character #"},
	        {"x = a & y = b", "at 7: unexpected character &"},
	        {"x = \xc3\xa9",
	         "at 5: unexpected byte 0xc3 (outside quotes only letters, digits, - "
	         "_ . and = != < <= > >= ( ) [ ] , may appear)"},
	        {"x[a] > 1.5", "at 8: expected a corner's weight: a number from 0 to 1"},
	        {"x[a] > -0.1", "at 8: expected a corner's weight: a number from 0 to 1"},
	        {"x[a] = 0.5", "at 6: expected < <= > or >= after x[a]"},
	        {"x[x] > 101", "at 8: expected a place in percent: a number from 0 to 100"},
	        {"x[s][y] > -1", "at 11: expected a place in percent: a number from 0 to 100"},
	        {"x[s][z] > 1", "at 6: expected x or y in x[s][ ], got z"},
	        {"x[s][x > 1", "at 8: expected ] after the axis"},
	        {"x[s][] > 1", "at 6: expected an axis: x or y"},
	        {"x[s][y] = 1", "at 9: expected < <= > or >= after x[s][y]"},
	        {"x[a > 0.5", "at 5: expected ] after the corner"},
	        {"x > abc", "at 5: expected a number (or a date) after >"},
	        {"x > 1e5", "at 5: expected a number (or a date) after >"},
	        {"x > .5", "at 5: expected a number (or a date) after >"},
	        {"x is there", "at 6: expected na, missing or answered after is"},
	        {"not", "at 4: expected a condition, \"not\" or ( at the end"},
	        {"()", "at 2: expected a condition, \"not\" or ("},
	        {"= a", "at 1: expected a condition, \"not\" or ("},
	};
	(void)state;
	check_errors(NULL, cases, sizeof cases / sizeof cases[0]);
}

static void test_errors_questions(void **state)
{
	struct fixture *f = *state;
	static const struct ecase cases[] = {
	        {"onbekend = x", "at 1: unknown question onbekend"},
	        {"situatie = a and q-x is na", "at 18: unknown question q-x"},
	        {"situatie = d", "at 12: situatie has no option d"},
	        {"situatie in (a, b, dd)", "at 20: situatie has no option dd"},
	        {"verhaal = p3", "at 11: verhaal has no prompt p3"},
	        {"hulp = other-thing", "at 8: hulp has no option other-thing"},
	        {"situatie > 3",
	         "at 1: situatie is a choice question: < <= > >= apply to scale, dyad, number and "
	         "date questions"},
	        {"geholpen[ek] > 0.5",
	         "at 10: geholpen is a dyad question: [ ] applies to triad, pin and stones "
	         "questions only"},
	        {"geholpen = veel",
	         "at 12: geholpen is a dyad question: expected a number from 0 to 100, got veel"},
	        {"geholpen = 101",
	         "at 12: geholpen is a dyad question: expected a number from 0 to 100, got 101"},
	        {"geholpen > 2025-01-01",
	         "at 12: geholpen is a dyad question: expected a number, got 2025-01-01"},
	        {"steun[xx] > 0.5", "at 7: steun has no corner xx"},
	        {"steun = ek",
	         "at 9: steun is a triad question: compare the weight of a corner, like "
	         "steun[ek] > 0.6"},
	        {"opmerking = x",
	         "at 13: opmerking is a text question: only \"is answered\", \"is na\" and "
	         "\"is missing\" apply"},
	        {"opmerking < 3",
	         "at 1: opmerking is a text question: < <= > >= apply to scale, dyad, number and "
	         "date questions"},
	        {"tevreden = 9", "at 12: tevreden is a scale of 1 to 5: expected a whole number "
	                         "from 1 to 5, got 9"},
	        {"tevreden = 2.0",
	         "at 12: tevreden is a scale of 1 to 5: expected a whole number from 1 to 5, got "
	         "2.0"},
	        {"leeftijd = oud",
	         "at 12: leeftijd is a number question: expected a number, got oud"},
	        {"datum = gisteren",
	         "at 9: datum is a date question: expected a date like 2025-07-14, got gisteren"},
	        {"datum < 5",
	         "at 9: datum is a date question: expected a date like 2025-07-14, got 5"},
	        {"not (situatie = a or \"pilot\" is na)", "at 22: unknown question pilot"},
	};
	check_errors(f->c, cases, sizeof cases / sizeof cases[0]);
	/* The same filters parse without a collection (syntax only) and fail
	 * when evaluated, with the same message. */
	char err[256];
	struct filter *fl = filter_parse("situatie = a and q-x is na", NULL, err, sizeof err);
	assert_non_null(fl);
	assert_null(filter_eval(fl, f->c, NULL, err, sizeof err));
	assert_string_equal(err, "at 18: unknown question q-x");
	filter_free(fl);
	fl = filter_parse("geholpen = veel", NULL, err, sizeof err);
	assert_non_null(fl);
	assert_null(filter_eval(fl, f->c, NULL, err, sizeof err));
	assert_string_equal(err,
	                    "at 12: geholpen is a dyad question: expected a number from 0 to 100, "
	                    "got veel");
	filter_free(fl);
	/* text contains without a database */
	fl = filter_parse("text contains wachtlijst", f->c, err, sizeof err);
	assert_non_null(fl);
	assert_null(filter_eval(fl, f->c, NULL, err, sizeof err));
	assert_string_equal(err, "at 1: \"text contains\" needs the database");
	filter_free(fl);
}

static void test_limits(void **state)
{
	(void)state;
	char err[256];
	buf b;
	buf_init(&b);
	/* 4096 bytes is allowed, 4097 is not */
	buf_puts(&b, "x = ");
	while (b.len < 4096)
		buf_putc(&b, 'a');
	struct filter *fl = filter_parse(b.data, NULL, err, sizeof err);
	assert_non_null(fl);
	filter_free(fl);
	buf_putc(&b, 'a');
	assert_null(filter_parse(b.data, NULL, err, sizeof err));
	assert_string_equal(err, "at 4097: the filter is longer than 4096 bytes");
	/* nesting: 32 levels, not 33 */
	for (int depth = 32; depth <= 33; depth++) {
		buf_reset(&b);
		for (int i = 0; i < depth; i++)
			buf_puts(&b, i % 2 ? "not " : "(");
		buf_puts(&b, "x = a");
		for (int i = 0; i < depth; i++)
			if (i % 2 == 0)
				buf_putc(&b, ')');
		fl = filter_parse(b.data, NULL, err, sizeof err);
		if (depth == 32) {
			assert_non_null(fl);
			filter_free(fl);
		} else {
			assert_null(fl);
			assert_string_equal(err, "at 81: more than 32 levels of ( and \"not\"");
		}
	}
	/* 256 conditions, not 257 */
	for (int n = 256; n <= 257; n++) {
		buf_reset(&b);
		for (int i = 0; i < n; i++)
			buf_puts(&b, i ? " or x=a" : "x=a");
		fl = filter_parse(b.data, NULL, err, sizeof err);
		if (n == 256) {
			assert_non_null(fl);
			filter_free(fl);
		} else {
			assert_null(fl);
			assert_string_equal(err, "at 1793: more than 256 conditions");
		}
	}
	buf_free(&b);
	/* A NULL or tiny err buffer is fine. */
	assert_null(filter_parse("x =", NULL, NULL, 0));
	char tiny[4];
	assert_null(filter_parse("x =", NULL, tiny, sizeof tiny));
	assert_string_equal(tiny, "at ");
}

static void print_of(const char *text, buf *out)
{
	char err[256];
	buf_reset(out);
	struct filter *fl = filter_parse(text, NULL, err, sizeof err);
	if (!fl)
		fail_msg("%s: %s", text, err);
	filter_print(fl, out);
	if (!out->data)
		buf_puts(out, "");
	filter_free(fl);
}

static void test_print(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
	        {"", ""},
	        {"  situatie=a  ", "situatie = a"},
	        {"(situatie = a and (tevreden >= 4)) or not (channel in (web,kiosk) or pilot)",
	         "situatie = a and tevreden >= 4 or not (channel in (web, kiosk) or pilot)"},
	        {"(a = 1 and b = 2) and c = 3", "a = 1 and b = 2 and c = 3"},
	        {"a = 1 and (b = 2 or c = 3)", "a = 1 and (b = 2 or c = 3)"},
	        {"(a = 1 or b = 2) or (c = 3 or d = 4)", "a = 1 or b = 2 or c = 3 or d = 4"},
	        {"not (a = 1 and b = 2)", "not (a = 1 and b = 2)"},
	        {"not (not a = 1)", "not not a = 1"},
	        {"\"not\" = x", "\"not\" = x"},
	        {"\"q x\" = \"hello world\"", "\"q x\" = \"hello world\""},
	        {"x = \"a\\\"b\\\\c\"", "x = \"a\\\"b\\\\c\""},
	        {"x = \"abc\"", "x = abc"},
	        {"x = \"\"", "x = \"\""},
	        {"x[\"a b\"]>=0.50", "x[\"a b\"] >= 0.5"},
	        {"plek[x]>=020 and plek[ y ]<30.0", "plek[x] >= 20 and plek[y] < 30"},
	        {"stenen[\"s 1\"] [x]>=5.50", "stenen[\"s 1\"][x] >= 5.5"},
	        {"geholpen >= 040.50", "geholpen >= 40.5"},
	        {"geholpen > -0.0", "geholpen > 0"},
	        {"geholpen < 100.", "geholpen < 100."},
	        {"period = 2025-q3", "period = 2025-Q3"},
	        {"period = 2025-01-01 .. 2025-02-01", "period = 2025-01-01..2025-02-01"},
	        {"created>=2025-01-01", "created >= 2025-01-01"},
	        {"perspective = teller and participant is known",
	         "perspective = teller and participant is known"},
	        {"text contains \"wacht lijst\"", "text contains \"wacht lijst\""},
	        {"text contains wachtlijst", "text contains wachtlijst"},
	        {"x is na or y is missing or z is answered",
	         "x is na or y is missing or z is answered"},
	        {"x != 3", "x != 3"},
	        {"channel != web", "channel != web"},
	};
	buf out;
	buf_init(&out);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (strcmp(cases[i].in, "geholpen < 100.") == 0) {
			/* "100." is not a number: a trailing point is refused */
			char err[256];
			assert_null(filter_parse(cases[i].in, NULL, err, sizeof err));
			continue;
		}
		print_of(cases[i].in, &out);
		if (strcmp(out.data, cases[i].out) != 0)
			fail_msg("%s\n  expected: %s\n  got:      %s", cases[i].in, cases[i].out,
			         out.data);
	}
	buf_free(&out);
}

/* ---- generated filters ---------------------------------------------------- */

static uint32_t rnd(uint32_t n)
{
	return randombytes_uniform(n);
}

static void gen_space(buf *b)
{
	static const char *const sp[] = {" ", "  ", "\t", "\n ", " "};
	buf_puts(b, sp[rnd(5)]);
}

static void gen_id(buf *b, int question)
{
	static const char *const ids[] = {"situatie", "hulp", "tevreden", "geholpen", "a",  "q-1.x",
	                                  "not",      "text", "pilot",    "and",      "in", "",
	                                  "x y",      "é",    "a\"b",     "a\\b"};
	const char *s = ids[rnd(sizeof ids / sizeof ids[0])];
	int bare = s[0] && !strpbrk(s, " \"\\\xc3") &&
	           (!question || (strcmp(s, "not") && strcmp(s, "text") && strcmp(s, "pilot") &&
	                          strcmp(s, "and") && strcmp(s, "in")));
	if (bare && rnd(4)) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static void gen_num(buf *b)
{
	static const char *const nums[] = {"0", "1", "0.6", "40.5", "007", "-3", "0.50", "100"};
	buf_puts(b, nums[rnd(sizeof nums / sizeof nums[0])]);
}

static void gen_cond(buf *b)
{
	static const char *const cmps[] = {"<", "<=", ">", ">="};
	switch (rnd(12)) {
	case 0:
		gen_id(b, 1), gen_space(b), buf_puts(b, rnd(2) ? "=" : "!="), gen_space(b);
		gen_id(b, 0);
		break;
	case 1: {
		gen_id(b, 1), buf_puts(b, " in ("), gen_id(b, 0);
		for (uint32_t i = rnd(3); i > 0; i--)
			buf_puts(b, ","), gen_space(b), gen_id(b, 0);
		buf_puts(b, ")");
		break;
	}
	case 2: gen_id(b, 1), buf_puts(b, cmps[rnd(4)]), gen_num(b); break;
	case 3:
		gen_id(b, 1), buf_puts(b, "["), gen_id(b, 0), buf_puts(b, "]");
		if (rnd(3) == 0) /* a stone's place: percent */
			buf_puts(b, rnd(2) ? "[x] " : "[y]"), buf_puts(b, cmps[rnd(4)]),
			        buf_puts(b, rnd(2) ? " 20" : " 099.50");
		else
			buf_puts(b, " "), buf_puts(b, cmps[rnd(4)]),
			        buf_puts(b, rnd(2) ? " 0.6" : " 1");
		break;
	case 4: gen_id(b, 1), buf_puts(b, rnd(2) ? " is na" : " is missing"); break;
	case 5: buf_puts(b, rnd(2) ? "channel = web" : "channel in (kiosk,paper)"); break;
	case 6: {
		static const char *const p[] = {"2025",
		                                "2025-Q3",
		                                "2025-q1",
		                                "2025-07",
		                                "2025-07-14",
		                                "2025-01-01..2025-03-31",
		                                "2024-02-29 .. 2024-03-01"};
		buf_puts(b, "period = "), buf_puts(b, p[rnd(7)]);
		break;
	}
	case 7:
		buf_puts(b, "created "), buf_puts(b, cmps[rnd(4)]), buf_puts(b, " 2025-07-01");
		break;
	case 8: buf_puts(b, rnd(2) ? "perspective = teller" : "perspective=professional"); break;
	case 9: buf_puts(b, rnd(2) ? "participant is known" : "participant is unknown"); break;
	case 10: {
		/* any id but the empty one */
		size_t at = b->len;
		do {
			b->len = at;
			buf_puts(b, "text contains ");
			gen_id(b, 0);
		} while (strcmp(b->data + b->len - 2, "\"\"") == 0);
		break;
	}
	default: buf_puts(b, "pilot"); break;
	}
}

static void gen_expr(buf *b, int depth)
{
	uint32_t k = depth > 4 ? 0 : rnd(5);
	switch (k) {
	case 0:
	case 1: gen_cond(b); break;
	case 2: buf_puts(b, "not "), gen_expr(b, depth + 1); break;
	case 3: buf_puts(b, "("), gen_expr(b, depth + 1), buf_puts(b, ")"); break;
	default:
		gen_expr(b, depth + 1), gen_space(b), buf_puts(b, rnd(2) ? "and" : "or"),
		        gen_space(b), gen_expr(b, depth + 1);
		break;
	}
}

/* parse(print(parse(x))) prints as parse(x) on many generated filters. */
static void test_print_roundtrip(void **state)
{
	(void)state;
	buf in, once, twice;
	buf_init(&in), buf_init(&once), buf_init(&twice);
	char err[256];
	for (int i = 0; i < 5000; i++) {
		buf_reset(&in);
		gen_expr(&in, 0);
		struct filter *a = filter_parse(in.data, NULL, err, sizeof err);
		if (!a)
			fail_msg("generated filter refused: %s\n  %s", in.data, err);
		buf_reset(&once);
		filter_print(a, &once);
		struct filter *b = filter_parse(once.data, NULL, err, sizeof err);
		if (!b)
			fail_msg("printed filter refused: %s\n  %s", once.data, err);
		buf_reset(&twice);
		filter_print(b, &twice);
		if (strcmp(once.data, twice.data) != 0)
			fail_msg("%s\n  printed: %s\n  again:   %s", in.data, once.data,
			         twice.data);
		assert_int_equal(filter_includes_pilot(a), filter_includes_pilot(b));
		filter_free(a), filter_free(b);
	}
	buf_free(&in), buf_free(&once), buf_free(&twice);
}

/* Valid conditions on the fixture's questions, for the evaluation
 * properties. */
static const char *const valid[] = {
        "situatie = a",
        "situatie != b",
        "situatie in (b, other)",
        "hulp = x",
        "hulp != z",
        "tevreden >= 4",
        "tevreden < 3",
        "geholpen > 40.5",
        "geholpen <= 60",
        "geholpen is na",
        "steun[ek] > 0.6",
        "steun[gm] <= 0.2",
        "leeftijd > 0",
        "datum < 2025-02-01",
        "channel = web",
        "channel != kiosk",
        "period = 2025-Q1",
        "created >= 2025-07-01",
        "perspective = teller",
        "participant is known",
        "pilot",
        "verhaal = p1",
        "situatie is missing",
};

static void gen_valid(buf *b, int depth)
{
	uint32_t k = depth > 3 ? 0 : rnd(4);
	if (k == 0) {
		buf_puts(b, valid[rnd(sizeof valid / sizeof valid[0])]);
	} else if (k == 1) {
		buf_puts(b, "not ("), gen_valid(b, depth + 1), buf_puts(b, ")");
	} else {
		buf_puts(b, "("), gen_valid(b, depth + 1);
		buf_puts(b, k == 2 ? ") and (" : ") or ("), gen_valid(b, depth + 1);
		buf_puts(b, ")");
	}
}

static roaring_bitmap_t *eval_text(struct aix_coll *c, const char *text, int *pilot)
{
	char err[256];
	struct filter *f = filter_parse(text, c, err, sizeof err);
	if (!f)
		fail_msg("%s: %s", text, err);
	roaring_bitmap_t *b = filter_eval(f, c, NULL, err, sizeof err);
	if (!b)
		fail_msg("%s: %s", text, err);
	if (pilot)
		*pilot = filter_includes_pilot(f);
	filter_free(f);
	return b;
}

/* The printed filter selects the same rows; "not", "and" and "or" are the
 * complement, intersection and union (with pilot rows out unless asked). */
static void test_eval_properties(void **state)
{
	struct fixture *f = *state;
	buf x, y, t;
	buf_init(&x), buf_init(&y), buf_init(&t);
	roaring_bitmap_t *all = roaring_bitmap_create();
	roaring_bitmap_add_range_closed(all, 0, f->c->n - 1);
	for (int i = 0; i < 2000; i++) {
		buf_reset(&x), buf_reset(&y);
		gen_valid(&x, 0);
		gen_valid(&y, 0);
		int px, py, pp;
		roaring_bitmap_t *bx = eval_text(f->c, x.data, &px);
		roaring_bitmap_t *by = eval_text(f->c, y.data, &py);
		/* printed */
		char err[256];
		struct filter *fl = filter_parse(x.data, f->c, err, sizeof err);
		buf_reset(&t);
		filter_print(fl, &t);
		filter_free(fl);
		roaring_bitmap_t *bp = eval_text(f->c, t.data, &pp);
		assert_true(roaring_bitmap_equals(bx, bp));
		assert_int_equal(px, pp);
		roaring_bitmap_free(bp);
		/* and, or, with "pilot" added to both sides so pilot rows count
		 * the same way in the parts and the whole */
		const char *ops[] = {"and", "or"};
		for (int o = 0; o < 2; o++) {
			buf_reset(&t);
			buf_printf(&t, "(%s) %s (%s) and (pilot or not pilot)", x.data, ops[o],
			           y.data);
			roaring_bitmap_t *bw = eval_text(f->c, t.data, NULL);
			buf_reset(&t);
			buf_printf(&t, "(%s) and (pilot or not pilot)", x.data);
			roaring_bitmap_t *ax = eval_text(f->c, t.data, NULL);
			buf_reset(&t);
			buf_printf(&t, "(%s) and (pilot or not pilot)", y.data);
			roaring_bitmap_t *ay = eval_text(f->c, t.data, NULL);
			roaring_bitmap_t *want =
			        o == 0 ? roaring_bitmap_and(ax, ay) : roaring_bitmap_or(ax, ay);
			if (!roaring_bitmap_equals(bw, want))
				fail_msg("%s %s %s", x.data, ops[o], y.data);
			roaring_bitmap_free(bw), roaring_bitmap_free(ax), roaring_bitmap_free(ay);
			roaring_bitmap_free(want);
		}
		/* not */
		buf_reset(&t);
		buf_printf(&t, "not (%s) and (pilot or not pilot)", x.data);
		roaring_bitmap_t *bn = eval_text(f->c, t.data, NULL);
		buf_reset(&t);
		buf_printf(&t, "(%s) and (pilot or not pilot)", x.data);
		roaring_bitmap_t *ax = eval_text(f->c, t.data, NULL);
		roaring_bitmap_t *want = roaring_bitmap_andnot(all, ax);
		assert_true(roaring_bitmap_equals(bn, want));
		roaring_bitmap_free(bn), roaring_bitmap_free(ax), roaring_bitmap_free(want);
		/* without "pilot", no pilot row */
		if (!px)
			assert_false(roaring_bitmap_intersect(bx, f->c->pilot));
		roaring_bitmap_free(bx), roaring_bitmap_free(by);
	}
	roaring_bitmap_free(all);
	buf_free(&x), buf_free(&y), buf_free(&t);
}

/* An empty part (no stories yet) gives empty results, not errors. */
static void test_empty_collection(void **state)
{
	struct fixture *f = *state;
	struct aix_coll *c = coll_make(f->script, rows, 0, NULL, 2);
	buf out;
	buf_init(&out);
	static const char *const texts[] = {"",
	                                    "not situatie = a",
	                                    "geholpen > 3",
	                                    "steun[ek] > 0.5",
	                                    "period = 2025",
	                                    "participant is known"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		run(c, NULL, texts[i], &out);
		assert_string_equal(out.data, "");
	}
	buf_free(&out);
	coll_free(c);
}

/* Replaces column j's array of c (n rows) with a new one of size bytes. */
static void *column(void **slot, size_t bytes)
{
	free(*slot);
	*slot = calloc(1, bytes);
	assert_non_null(*slot);
	return *slot;
}

/* Scans of many rows (several 65536-row chunks, sparse and dense) give
 * the rows a plain loop over the columns gives. */
static void test_large(void **state)
{
	struct fixture *f = *state;
	const uint32_t n = 300001;
	struct aix_coll *c = coll_make(f->script, rows, 0, NULL, 3);
	c->n = c->cap = n;
	int64_t *created = column((void **)&c->created_at, n * sizeof *created);
	uint32_t *part = column((void **)&c->participant, n * sizeof *part);
	struct aix_question *dyad = NULL, *triad = NULL, *num = NULL, *date = NULL;
	for (int j = 0; j < c->nq; j++) {
		enum q_type t = c->q[j].q->type;
		dyad = t == Q_DYAD ? &c->q[j] : dyad;
		triad = t == Q_TRIAD ? &c->q[j] : triad;
		num = t == Q_NUMBER ? &c->q[j] : num;
		date = t == Q_DATE ? &c->q[j] : date;
	}
	uint16_t *dv = column((void **)&dyad->u16, n * 2);
	uint16_t *tv = column((void **)&triad->u16, 3 * (size_t)n * 2);
	float *nv = column((void **)&num->f32, n * sizeof *nv);
	int32_t *dd = column((void **)&date->i32, n * sizeof *dd);
	uint32_t seed = 12345;
#define NEXT() (seed = seed * 1103515245u + 12345u, (seed >> 8) & 0xFFFFFF)
	for (uint32_t i = 0; i < n; i++) {
		created[i] = 1735689600 + (int64_t)i * 211; /* from 2025-01-01, ~2 years */
		part[i] = NEXT() % 3 ? 0 : i + 1;
		uint32_t r = NEXT() % 100;
		if (r < 5) {
			dv[i] = AIX_MISSING16;
		} else if (r < 8) {
			dv[i] = AIX_NA16;
			roaring_bitmap_add(dyad->na, i);
		} else {
			dv[i] = i % 7 == 0 ? 1234 : (uint16_t)(NEXT() % 10001);
			roaring_bitmap_add(dyad->answered, i);
		}
		uint16_t *w = tv + 3 * (size_t)i;
		r = NEXT() % 100;
		if (r < 5) {
			w[0] = AIX_MISSING16, w[1] = w[2] = 0;
		} else if (r < 8) {
			w[0] = AIX_NA16, w[1] = w[2] = 0;
		} else if (r < 10) { /* weights that do not sum to 60000 */
			w[0] = (uint16_t)(NEXT() % 30000), w[1] = (uint16_t)(NEXT() % 30000);
			w[2] = (uint16_t)(NEXT() % 30000);
		} else if (r < 20) {
			w[0] = 36000, w[1] = 15000, w[2] = 9000; /* exactly 0.6, 0.25, 0.15 */
		} else {
			w[0] = (uint16_t)(NEXT() % 60001);
			w[1] = (uint16_t)(NEXT() % (60001u - w[0]));
			w[2] = (uint16_t)(60000 - w[0] - w[1]);
		}
		r = NEXT() % 100;
		nv[i] = r < 10 ? NAN : (float)(NEXT() % 10000) / 100.0f;
		dd[i] = r < 10 ? INT32_MIN : 20000 + (int32_t)(NEXT() % 400);
		if (r >= 10)
			roaring_bitmap_add(num->answered, i), roaring_bitmap_add(date->answered, i);
	}
#undef NEXT
	/* The rows a plain loop gives, per filter. */
	struct {
		const char *filter;
		int what;
	} cases[] = {
	        {"geholpen > 40.5", 0},       {"geholpen = 12.34", 1},
	        {"steun[nw] >= 0.25", 2},     {"steun[ek] < 0.6", 3},
	        {"steun[ek] > 0.6", 4},       {"steun[gm] <= 0.15", 5},
	        {"leeftijd <= 50", 6},        {"datum > 1970-01-01", 7},
	        {"period = 2025-Q2", 8},      {"created < 2025-03-01", 9},
	        {"participant is known", 10}, {"geholpen is missing", 11},
	};
	int64_t q2a = 1743465600, q2b = 1751328000, mar = 1740787200; /* 2025-04-01, 07-01, 03-01 */
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		roaring_bitmap_t *want = roaring_bitmap_create();
		for (uint32_t i = 0; i < n; i++) {
			const uint16_t *w = tv + 3 * (size_t)i;
			int64_t s = (int64_t)w[0] + w[1] + w[2];
			int tri = w[0] < AIX_NA16 && s > 0;
			int ok = 0;
			switch (cases[k].what) {
			case 0: ok = dv[i] <= 10000 && dv[i] > 4050; break;
			case 1: ok = dv[i] == 1234; break;
			case 2: ok = tri && (int64_t)w[1] * 100 >= 25 * s; break;
			case 3: ok = tri && (int64_t)w[0] * 10 < 6 * s; break;
			case 4: ok = tri && (int64_t)w[0] * 10 > 6 * s; break;
			case 5: ok = tri && (int64_t)w[2] * 100 <= 15 * s; break;
			case 6: ok = !isnan(nv[i]) && nv[i] <= 50; break;
			case 7: ok = dd[i] > 0; break;
			case 8: ok = created[i] >= q2a && created[i] < q2b; break;
			case 9: ok = created[i] < mar; break;
			case 10: ok = part[i] != 0; break;
			case 11: ok = dv[i] == AIX_MISSING16; break;
			}
			if (ok)
				roaring_bitmap_add(want, i);
		}
		roaring_bitmap_t *got = eval_text(c, cases[k].filter, NULL);
		if (!roaring_bitmap_equals(got, want))
			fail_msg("%s: %llu rows, expected %llu", cases[k].filter,
			         (unsigned long long)roaring_bitmap_get_cardinality(got),
			         (unsigned long long)roaring_bitmap_get_cardinality(want));
		assert_true(roaring_bitmap_get_cardinality(want) > 0);
		roaring_bitmap_free(got), roaring_bitmap_free(want);
	}
	coll_free(c);
}

/* The rows of a list of story ids (what search finds, of every
 * collection): the same as looking each one up, for ascending lists with
 * ids of other collections between, before and after the part's, runs of
 * neighbours and long jumps, and for a list out of order. */
static void test_rows_of_ids(void **state)
{
	struct fixture *f = *state;
	const uint32_t n = 200003;
	struct aix_coll *c = coll_make(f->script, rows, 0, NULL, 3);
	c->n = c->cap = n;
	uint32_t *sid = column((void **)&c->story_id, n * sizeof *sid);
	for (uint32_t i = 0; i < n; i++)
		sid[i] = 10 + 3 * i + (i > n / 2 ? 1000000 : 0); /* a gap halfway */
	size_t cap = 600000, m = 0;
	int64_t *ids = malloc(cap * sizeof *ids);
	assert_non_null(ids);
	/* runs of neighbours, small steps and, every 5000th, a jump of 77777 */
	for (int64_t id = 1, k = 0; id < sid[n - 1] + 50 && m < cap; m++, k++) {
		ids[m] = id;
		id += k % 5000 == 4999 ? 77777 : k % 10 < 6 ? 1 : 1 + k % 37;
	}
	for (int pass = 0; pass < 2; pass++) {
		if (pass) /* out of order: a few swapped pairs */
			for (size_t i = 0; i + 1 < m; i += 997) {
				int64_t t = ids[i];
				ids[i] = ids[i + 1], ids[i + 1] = t;
			}
		roaring_bitmap_t *want = roaring_bitmap_create();
		for (size_t i = 0; i < m; i++) {
			int64_t row = filter_story_row(c, ids[i]);
			if (row >= 0)
				roaring_bitmap_add(want, (uint32_t)row);
		}
		assert_true(roaring_bitmap_get_cardinality(want) > 1000);
		roaring_bitmap_t *got = filter_rows_of_ids(c, ids, m);
		assert_true(roaring_bitmap_equals(got, want));
		roaring_bitmap_free(got), roaring_bitmap_free(want);
	}
	/* nothing, ids all above, all below */
	roaring_bitmap_t *none = filter_rows_of_ids(c, ids, 0);
	assert_true(roaring_bitmap_is_empty(none));
	roaring_bitmap_free(none);
	int64_t far[] = {1, 2, 3, sid[n - 1] + 1, sid[n - 1] + 7};
	none = filter_rows_of_ids(c, far, 5);
	assert_true(roaring_bitmap_is_empty(none));
	roaring_bitmap_free(none);
	int64_t ends[] = {sid[0], sid[n - 1]};
	roaring_bitmap_t *two = filter_rows_of_ids(c, ends, 2);
	assert_int_equal(roaring_bitmap_get_cardinality(two), 2);
	assert_true(roaring_bitmap_contains(two, 0) && roaring_bitmap_contains(two, n - 1));
	roaring_bitmap_free(two);
	free(ids);
	coll_free(c);
}

/* ---- text contains, against a real database ------------------------------- */

static void test_text_contains(void **state)
{
	(void)state;
	log_set_enabled(0);
	assert_true(sodium_init() >= 0);
	char dir[64], path[96], err[256];
	assert_int_equal(test_db_make(dir, path, "filter"), 0);
	db *d = db_open(path, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(migrate_apply(d, NULL, err, sizeof err), 0);
	int64_t org;
	assert_int_equal(org_ensure(d, "Gemeente Test", &org), DB_OK);
	struct script *s = script_parse_text(script_text, strlen(script_text), err, sizeof err);
	assert_non_null(s);
	struct script_save_job sj = {.org_id = org, .script = s};
	assert_int_equal(script_save_write(d, &sj), 0);
	struct script_status_job stj = {
	        .org_id = org, .script_id = sj.script_id, .version = 1, .to = SCRIPT_PUBLISHED};
	assert_int_equal(script_status_write(d, &stj), 0);
	assert_int_equal(stj.result, SCRIPT_OK);

	/* Two collections with the same stories: the other one's must never
	 * be found. */
	int64_t ids[2][NROWS];
	struct collection coll[2];
	for (int k = 0; k < 2; k++) {
		struct collection_new cn = {.org_id = org,
		                            .title = "Filters",
		                            .purpose = "Testen.",
		                            .script_id = sj.script_id,
		                            .script_version = 1,
		                            .retention_days = 30};
		assert_int_equal(collection_create_write(d, &cn), 0);
		assert_int_equal(cn.result, COLLECTION_OK);
		assert_int_equal(collection_by_token(d, cn.token, &coll[k]), DB_ROW);
	}
	for (int i = 0; i < NROWS; i++) {
		for (int k = 1; k >= 0; k--) {
			buf body;
			buf_init(&body);
			unsigned char raw[16];
			char uuid[37];
			randombytes_buf(raw, sizeof raw);
			snprintf(uuid, sizeof uuid,
			         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%"
			         "02x",
			         raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7],
			         raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14],
			         raw[15]);
			buf_printf(
			        &body,
			        "{\"id\":\"%s\",\"channel\":\"face-to-face\",\"script_version\":1,"
			        "\"answers\":%s",
			        uuid, rows[i].answers);
			if (rows[i].professional)
				buf_printf(&body, ",\"professional\":%s", rows[i].professional);
			buf_puts(&body, "}");
			json_t *b = json_loads(body.data, 0, NULL);
			assert_non_null(b);
			struct story_submit st;
			memset(&st, 0, sizeof st);
			st.collection = &coll[k];
			const char *msg = NULL;
			struct answer_error ae;
			int rc = story_prepare(&st, s, b, 1, &msg, &ae);
			if (rc)
				fail_msg("row %d: %d %s %s", i, rc, msg ? msg : "",
				         ae.question ? ae.question : "");
			assert_int_equal(story_submit_write(d, &st), 0);
			assert_int_equal(st.result, STORY_NEW);
			ids[k][i] = st.id;
			story_submit_free(&st);
			json_decref(b);
			buf_free(&body);
		}
	}
	struct aix_coll *c = coll_make(s, rows, NROWS, ids[0], coll[0].id);
	static const struct rcase cases[] = {
	        /* story texts, any case (ASCII) */
	        {"text contains wachtlijst", "0 2"},
	        {"text contains WACHTLIJST or pilot", "0 2 3"},
	        /* text answers */
	        {"text contains \"de wachtlijst!\"", "2"},
	        /* titles */
	        {"text contains loket", "0"},
	        {"text contains \"Het Loket\"", "0"},
	        /* the professional's text answers */
	        {"text contains wijkteam", "1"},
	        /* % and _ are letters here, not wildcards */
	        {"text contains \"100%\"", "1"},
	        {"text contains \"goed_zo\"", "1"},
	        {"text contains \"o_d\"", ""},
	        {"text contains \"%\"", "1"},
	        /* option ids, prompt ids and keys are not text */
	        {"text contains p1", ""},
	        {"text contains prompt", ""},
	        {"text contains title", ""},
	        {"text contains zzz", ""},
	        /* combined */
	        {"text contains geholpen and channel = kiosk", "1"},
	        {"not text contains verhaal", "0 1 2 4 6 7"},
	        {"text contains een and (pilot or not pilot)", "0 3 5"}, /* "Geen" */
	        /* full-text search: stemmed; titles, story texts and text
	         * answers of both perspectives (024_search_wider.sql) */
	        {"text matches wachtlijsten", "0 2"},
	        {"text matches Wachtlijst or pilot", "0 2 3"},
	        {"text matches loket", "0"},
	        {"text matches geholpen and channel = kiosk", "1"},
	        {"text matches \"buurman hielp\"", "2"},
	        {"text matches buurman and text matches wachtlijst", "2"},
	        {"not text matches wachtlijst", "1 4 5 6 7"},
	        {"text matches wijkteam", "1"},
	        {"text matches p1", ""},
	};
	check_cases(c, d, cases, sizeof cases / sizeof cases[0]);
	/* A story newer than the part is not a row yet: left out. */
	struct aix_coll *older = coll_make(s, rows, 2, ids[0], coll[0].id);
	buf out;
	buf_init(&out);
	run(older, d, "text contains wachtlijst or text contains wijkteam", &out);
	assert_string_equal(out.data, "0 1");
	buf_free(&out);
	coll_free(older);
	coll_free(c);
	script_free(s);
	db_close(d);
	test_db_remove(dir, path);
}

/* ---- places on a pin's picture and a stones canvas ---------------------- */

static const char points_script[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"plekken\",\"title\":{\"nl\":\"P\"},"
        "\"privacy\":{\"nl\":\"P\"},\"sections\":[{\"id\":\"s\",\"questions\":["
        "{\"id\":\"verhaal\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"},"
        "\"prompts\":[{\"id\":\"p1\",\"text\":{\"nl\":\"Een\"}}]},"
        "{\"id\":\"plek\",\"type\":\"pin\",\"not_applicable\":true,\"text\":{\"nl\":\"Waar\"},"
        "\"image\":\"kaart-1\"},"
        "{\"id\":\"stenen\",\"type\":\"stones\",\"text\":{\"nl\":\"Leg\"},"
        "\"stones\":[{\"id\":\"geld\",\"label\":{\"nl\":\"Geld\"}},{\"id\":\"zorg\","
        "\"label\":{\"nl\":\"Zorg\"}}],"
        "\"x\":{\"label\":{\"nl\":\"Invloed\"},\"low\":{\"nl\":\"Weinig\"},\"high\":{\"nl\":"
        "\"Veel\"}},"
        "\"y\":{\"label\":{\"nl\":\"Belang\"},\"low\":{\"nl\":\"Laag\"},\"high\":{\"nl\":"
        "\"Hoog\"}}},"
        "{\"id\":\"steun\",\"type\":\"triad\",\"text\":{\"nl\":\"St\"},"
        "\"corners\":[{\"id\":\"x\",\"label\":{\"nl\":\"X\"}},{\"id\":\"nw\",\"label\":"
        "{\"nl\":\"Netwerk\"}},{\"id\":\"gm\",\"label\":{\"nl\":\"Gemeente\"}}]},"
        "{\"id\":\"geholpen\",\"type\":\"dyad\",\"text\":{\"nl\":\"G\"},"
        "\"poles\":[{\"id\":\"niet\",\"label\":{\"nl\":\"Niet\"}},{\"id\":\"veel\",\"label\":"
        "{\"nl\":\"Veel\"}}]}"
        "]}]}";

/* Row 0..7; comments say what the cases rely on. A pin's place is kept
 * rounded to a whole percent (29.6 is 30, 29.4 is 29). */
static const struct row_spec point_rows[] = {
        /* 0 */ {"{\"plek\":{\"x\":20,\"y\":40},\"stenen\":{\"geld\":[10,90],\"zorg\":[50,50]},"
                 "\"steun\":[0.5,0.3,0.2]}",
                 NULL, AIX_WEB, "2025-01-15T10:00:00", 0, 0},
        /* 1 */
        {"{\"plek\":{\"x\":29.4,\"y\":49},\"stenen\":{\"geld\":[19,99]}}", NULL, AIX_WEB,
         "2025-01-15T10:00:00", 0, 0},
        /* 2 */
        {"{\"plek\":{\"x\":29.6,\"y\":45},\"stenen\":{\"zorg\":[0,0]}}", NULL, AIX_WEB,
         "2025-01-15T10:00:00", 0, 0},
        /* 3 */
        {"{\"plek\":{\"x\":100,\"y\":100},\"stenen\":{\"geld\":[100,100],\"zorg\":[100,0]}}", NULL,
         AIX_WEB, "2025-01-15T10:00:00", 0, 0},
        /* 4 */ {"{\"plek\":null,\"stenen\":{}}", NULL, AIX_WEB, "2025-01-15T10:00:00", 0, 0},
        /* 5 */ {"{\"geholpen\":50}", NULL, AIX_WEB, "2025-01-15T10:00:00", 0, 0},
        /* 6 */
        {"{\"plek\":{\"x\":0,\"y\":0},\"stenen\":{\"geld\":[0,0]}}", NULL, AIX_WEB,
         "2025-01-15T10:00:00", 0, 0},
        /* 7: a pilot */
        {"{\"plek\":{\"x\":25,\"y\":45}}", NULL, AIX_WEB, "2025-01-15T10:00:00", 0, 1},
};
enum { NPOINT_ROWS = sizeof point_rows / sizeof point_rows[0] };

static int setup_points(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[256];
	f->script = script_parse_text(points_script, strlen(points_script), err, sizeof err);
	if (!f->script) {
		fprintf(stderr, "script: %s\n", err);
		return -1;
	}
	int64_t ids[NPOINT_ROWS];
	for (int i = 0; i < NPOINT_ROWS; i++)
		ids[i] = 10 + i;
	f->c = coll_make(f->script, point_rows, NPOINT_ROWS, ids, 1);
	*state = f;
	return 0;
}

static void test_places(void **state)
{
	struct fixture *f = *state;
	static const struct rcase cases[] = {
	        /* a cell of the pin grid: 20 <= x < 30, 40 <= y < 50 */
	        {"plek[x] >= 20 and plek[x] < 30 and plek[y] >= 40 and plek[y] < 50", "0 1"},
	        {"plek[x] >= 20 and plek[x] < 30 and plek[y] >= 40 and plek[y] < 50 or pilot",
	         "0 1 7"},
	        {"plek[x] >= 29.5", "2 3"},
	        {"plek[x] > 29", "2 3"},
	        {"plek[x] <= 29.9", "0 1 6"},
	        {"plek[x] < 0", ""},
	        {"plek[x] >= 0", "0 1 2 3 6"},
	        {"plek[x] <= 100 and plek[y] > 99.5", "3"},
	        {"plek[y] >= 90 and plek[y] <= 100", "3"},
	        {"not plek[x] >= 0", "4 5"},
	        /* stones: each stone on its own; an unplaced stone never matches */
	        {"stenen[geld][x] >= 10 and stenen[geld][x] < 20", "0 1"},
	        {"stenen[geld][y] >= 90", "0 1 3"},
	        {"stenen[zorg][x] >= 0", "0 2 3"},
	        {"stenen[zorg][y] < 1", "2 3"},
	        {"stenen[zorg][x] > 100", ""},
	        {"stenen[geld][x] >= 0 and stenen[zorg][x] >= 0", "0 3"},
	        /* a triad's corner may be called x: a weight, not a place */
	        {"steun[x] >= 0.5", "0"},
	        {"steun[x] > 50", "error: at 12: expected a corner's weight: a number from 0 to 1"},
	        /* wrong names and shapes */
	        {"plek[z] > 5",
	         "error: at 6: plek is a pin question: expected [x] (percent from the "
	         "left) or [y] (percent from the top), got [z]"},
	        {"plek[geld][x] > 5", "error: at 12: plek is a pin question: [x] or [y] without a "
	                              "stone, like plek[x] >= "
	                              "20"},
	        {"stenen[x] > 5", "error: at 8: stenen is a stones question: name a stone and an "
	                          "axis, like stenen[geld][x] >= 20"},
	        {"stenen[huis][x] > 5", "error: at 8: stenen has no stone huis"},
	        {"steun[x][y] > 0.5",
	         "error: at 10: steun is a triad question: one [corner], like steun[x] > 0.6"},
	        {"geholpen[x] > 5", "error: at 10: geholpen is a dyad question: [ ] applies to "
	                            "triad, pin and stones questions only"},
	        {"plek = 5", "error: at 8: plek is a pin question: only \"is answered\", \"is na\" "
	                     "and \"is missing\" apply"},
	        {"plek is na", "4"},
	};
	check_cases(f->c, NULL, cases, sizeof cases / sizeof cases[0]);
	/* parsed without a collection, the same messages when evaluated */
	char err[256];
	struct filter *fl = filter_parse("stenen[huis][x] > 5", NULL, err, sizeof err);
	assert_non_null(fl);
	assert_null(filter_eval(fl, f->c, NULL, err, sizeof err));
	assert_string_equal(err, "at 8: stenen has no stone huis");
	filter_free(fl);
	/* the canonical text round-trips and selects the same rows */
	fl = filter_parse("(plek[x]>=20.0 and plek[ x ]<30) and stenen[\"geld\"][y]>=090", f->c,
	                  err, sizeof err);
	assert_non_null(fl);
	buf out;
	buf_init(&out);
	filter_print(fl, &out);
	assert_string_equal(out.data, "plek[x] >= 20 and plek[x] < 30 and stenen[geld][y] >= 90");
	filter_free(fl);
	check_cases(f->c, NULL, (const struct rcase[]){{out.data, "0 1"}}, 1);
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_conditions, setup, teardown),
	        cmocka_unit_test(test_errors_syntax),
	        cmocka_unit_test_setup_teardown(test_errors_questions, setup, teardown),
	        cmocka_unit_test(test_limits),
	        cmocka_unit_test(test_print),
	        cmocka_unit_test(test_print_roundtrip),
	        cmocka_unit_test_setup_teardown(test_eval_properties, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_empty_collection, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_rows_of_ids, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_large, setup, teardown),
	        cmocka_unit_test(test_text_contains),
	        cmocka_unit_test_setup_teardown(test_places, setup_points, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
