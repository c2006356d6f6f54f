/* test_sensemaker.c: unit tests of io/sensemaker.c: the Wmo fixture field by field, pages, texts, refusals, ADemo. */
#include "testutil.h"

#include "core/buf.h"
#include "io/sensemaker.h"
#include "model/script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WMO_DEFINITION "tests/fixtures/sensemaker/Wmo_Definition.json"
#define WMO_DATA       "tests/fixtures/sensemaker/Wmo_Data.csv"
/* The real export (GPL, not in the repository); CI may not have it. */
#define ADEMO_DIR "/work/shared/fixtures/sensemaker-ademo"

/* ---- helpers ------------------------------------------------------------- */

static json_t *load(const char *path)
{
	json_error_t jerr;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!j)
		fail_msg("%s: %s (run from the repository root)", path, jerr.text);
	return j;
}

/* JSON from text written with ' for " (test definitions stay readable). */
static json_t *jq(const char *text)
{
	char *s = strdup(text);
	assert_non_null(s);
	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	json_error_t jerr;
	json_t *j = json_loads(s, JSON_REJECT_DUPLICATES, &jerr);
	if (!j)
		fail_msg("bad test JSON: %s in %s", jerr.text, s);
	free(s);
	return j;
}

/* A definition in the real shape around the given signifiers. */
static json_t *def_with(const char *language, const char *signifiers)
{
	buf b;
	buf_init(&b);
	buf_printf(&b, "{'name':['Test'],'code':['T'],'language':['%s'],'signifiers':[%s]}",
	           language, signifiers);
	json_t *j = jq(b.data);
	buf_free(&b);
	return j;
}

#define STORY                                                                                   \
	"{'id':'s1','type':'freetext','title':'Vertel','fragment':true,'content':{'multiline':" \
	"true}}"

/* Converts and checks that the result parses and is already canonical:
 * script_emit of the parsed script writes the very same bytes. */
static struct script *convert_ok(json_t *def, json_t *layout, json_t **out, json_t **report)
{
	char err[512] = "";
	buf rep;
	buf_init(&rep);
	json_t *j = sensemaker_to_script_layout(def, layout, &rep, err, sizeof err);
	if (!j)
		fail_msg("refused: %s", err);
	assert_string_equal(err, "");
	json_error_t jerr;
	json_t *r = json_loads(rep.data, 0, &jerr);
	if (!r)
		fail_msg("report is not JSON: %s", rep.data);
	buf_free(&rep);
	struct script *s = script_parse(j, err, sizeof err);
	if (!s)
		fail_msg("script_parse: %s", err);
	char *mine = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	assert_non_null(mine);
	buf emitted;
	buf_init(&emitted);
	script_emit(s, &emitted);
	size_t n = strlen(mine);
	if (emitted.len != n + 1 || memcmp(emitted.data, mine, n) != 0 || emitted.data[n] != '\n')
		fail_msg("not canonical:\n--- importer\n%s\n--- script_emit\n%s", mine,
		         emitted.data);
	free(mine);
	buf_free(&emitted);
	if (out)
		*out = j;
	else
		json_decref(j);
	if (report)
		*report = r;
	else
		json_decref(r);
	return s;
}

/* Expects a refusal with exactly this message, and no report. */
static void expect_refusal(json_t *def, json_t *layout, const char *want)
{
	char err[512] = "x";
	buf rep;
	buf_init(&rep);
	json_t *j = sensemaker_to_script_layout(def, layout, &rep, err, sizeof err);
	if (j) {
		char *s = json_dumps(j, 0);
		fail_msg("accepted, want \"%s\": %s", want, s);
	}
	if (strcmp(err, want) != 0)
		fail_msg("message \"%s\", want \"%s\"", err, want);
	assert_int_equal(rep.len, 0);
	buf_free(&rep);
}

static const char *nl(const struct ltext *t)
{
	for (int i = 0; i < t->n; i++)
		if (strcmp(t->lang[i], "nl") == 0)
			return t->s[i];
	return NULL;
}

/* The text in exactly these languages, all equal to want. */
static void expect_text(const struct ltext *t, const char *want, const char *lang2,
                        const char *what)
{
	if (!nl(t) || strcmp(nl(t), want) != 0)
		fail_msg("%s: nl \"%s\", want \"%s\"", what, nl(t) ? nl(t) : "(none)", want);
	assert_int_equal(t->n, lang2 ? 2 : 1);
	if (lang2) {
		assert_string_equal(t->lang[1], lang2);
		assert_string_equal(t->s[1], want);
	}
}

/* Whether the report's notes hold one that contains part. */
static int has_note(json_t *report, const char *part)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(report, "notes"), i, v)
	{
		if (strstr(json_string_value(v), part))
			return 1;
	}
	return 0;
}

/* The reason the report gives for skipping id, or NULL. */
static const char *skip_reason(json_t *report, const char *id)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(report, "skipped"), i, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "id")), id) == 0)
			return json_string_value(json_object_get(v, "reason"));
	}
	return NULL;
}

static int count_type(const struct script *s, enum q_type t)
{
	int n = 0;
	for (int i = 0; i < s->nquestions; i++)
		n += s->questions[i]->type == t;
	return n;
}

/* ---- the Wmo fixture, field by field ---------------------------------------- */

struct opt {
	const char *id, *label;
};

struct expect {
	const char *section, *id;
	enum q_type type;
	const char *text;
	int required, not_applicable, once_per_person;
	int min, max;      /* multi */
	int long_text;     /* text */
	int max_length;    /* text */
	struct opt opt[7]; /* options, prompts, poles, corners or stones */
	const char *show_if_question, *show_if_value;
};

static const struct expect wmo[] = {
        {.section = "section-1",
         .id = "c3d5e7f9-2d4f-4b8c-8e1a-3f5d7b9c1e42",
         .type = Q_CHOICE,
         .text = "Denk aan \xc3\xa9\xc3\xa9n moment met het Wmo-loket dat u:",
         .required = 1,
         .opt = {{"d4c6e8fa-3e5a-4c9d-9f2b-4a6e8c0d2f53", "blij of opgelucht maakte, OF"},
                 {"e5b7d9fb-4f6b-4dae-8a3c-5b7f9d1e3a64", "zorgen of ergernis gaf."}}},
        {.section = "section-1",
         .id = "f6a8cafc-5a7c-4ebf-9b4d-6c8a0e2f4b75",
         .type = Q_STORY,
         .text = "Wat gebeurde er? Vertel het in uw eigen woorden.",
         .required = 1,
         .opt = {{"prompt-1", "Wat gebeurde er? Vertel het in uw eigen woorden."}}},
        {.section = "section-1",
         .id = "07b9dbad-6b8d-4fc0-8c5e-7d9b1f3a5c86",
         .type = Q_TEXT,
         .text = "Welke kop zou u boven uw verhaal zetten?",
         .max_length = 500},
        {.section = "section-1",
         .id = "18cae0be-7c9e-40d1-9d6f-8eac2a4b6d97",
         .type = Q_MULTI,
         .text = "Wie mag dit lezen?",
         .min = 0,
         .max = 1,
         .opt = {{"29dbf1cf-8daf-41e2-8e7a-9fbd3b5c7ea8",
                  "Alleen mijn Wmo-consulent mag mijn verhaal lezen. Vink dit aan als u dat "
                  "wilt."}}},
        {.section = "section-2",
         .id = "5c0e24f2-b0d2-4415-9bad-c2e06e8fa1db",
         .type = Q_TRIAD,
         .text = "De hulp in mijn verhaal kwam vooral van...",
         .required = 1,
         .not_applicable = 1,
         .opt = {{"6d1f3503-c1e3-4526-8cbe-d3f17f90b2ec", "de gemeente"},
                 {"7e204614-d2f4-4637-9dcf-e4028a01c3fd", "familie, vrienden of buren"},
                 {"8f31572a-e305-4748-8ed0-f5139b12d40e", "mijzelf"}}},
        {.section = "section-2",
         .id = "904268ab-f416-4859-9fe1-06240c23e51f",
         .type = Q_DYAD,
         .text = "Het contact met het loket was...",
         .required = 1,
         .not_applicable = 1,
         .opt = {{"a15379bc-0527-496a-80f2-17351d34f620", "veel te snel klaar"},
                 {"b2648acd-1638-4a7b-9103-28462e450731", "veel te langdradig"}}},
        {.section = "section-2",
         .id = "c3759bde-2749-4b8c-8214-39573f561842",
         .type = Q_STONES,
         .text = "Hoe belangrijk waren deze onderwerpen, en hoe goed ging het?",
         .opt = {{"d486acef-385a-4c9d-9325-4a684a672953", "Vervoer"},
                 {"e597bdf0-496b-4dae-8436-5b795b783a64", "Huishoudelijke hulp"},
                 {"f6a8ce01-5a7c-4ebf-9547-6c8a6c894b75", "Aanpassing van de woning"}}},
        {.section = "section-2",
         .id = "07b9df12-6b8d-4fc0-8658-7d9b7d9a5c86",
         .type = Q_MULTI,
         .text = "Welke gevoelens passen bij uw verhaal? (kies er hoogstens 3)",
         .required = 1,
         .min = 1,
         .max = 3,
         .opt = {{"18cae023-7c9e-40d1-9769-8eac8eab6d97", "opgelucht"},
                 {"29dbf134-8daf-41e2-887a-9fbd9fbc7ea8", "boos"},
                 {"3aec0245-9eb0-42f3-998b-a0cea0cd8fb9", "geholpen"},
                 {"4bfd1356-afc1-4304-8a9c-b1dfb1de90ca", "onzeker"},
                 {"5c0e2467-b0d2-4415-9bad-c2e0c2efa1db", "teleurgesteld"},
                 {"6d1f3578-c1e3-4526-8cbe-d3f1d3f0b2ec", "weet ik niet"}}},
        {.section = "section-3",
         .id = "a15379bc-0527-496a-80f2-1735173f4620",
         .type = Q_CHOICE,
         .text = "Hoe oud bent u?",
         .required = 1,
         .once_per_person = 1,
         .opt = {{"b2648acd-1638-4a7b-9103-2846284a5731", "jonger dan 40"},
                 {"c3759bde-2749-4b8c-8214-3957395b6842", "40 tot 65"},
                 {"d486acef-385a-4c9d-9325-4a684a6c7953", "65 tot 80"},
                 {"e597bdf0-496b-4dae-8436-5b795b7d8a64", "80 of ouder"},
                 {"f6a8ce01-5a7c-4ebf-9547-6c8a6c8e9b75", "zeg ik liever niet"}}},
        {.section = "section-3",
         .id = "07b9df12-6b8d-4fc0-8658-7d9b7d9fac86",
         .type = Q_CHOICE,
         .text = "Hoe kwam u met het loket in contact?",
         .opt = {{"18cae023-7c9e-40d1-9769-8eac8ea0bd97", "telefoon"},
                 {"29dbf134-8daf-41e2-887a-9fbd9fb1cea8", "website of e-mail"},
                 {"3aec0245-9eb0-42f3-998b-a0cea0c2dfb9", "langs bij het gemeentehuis"},
                 {"4bfd1356-afc1-4304-8a9c-b1dfb1d3e0ca", "Anders"}}},
        {.section = "section-3",
         .id = "5c0e2467-b0d2-4415-9bad-c2e0c2e4f1db",
         .type = Q_TEXT,
         .text = "Anders, namelijk:",
         .max_length = 500,
         .show_if_question = "07b9df12-6b8d-4fc0-8658-7d9b7d9fac86",
         .show_if_value = "4bfd1356-afc1-4304-8a9c-b1dfb1d3e0ca"},
};

static void check_question(const struct script *s, const struct expect *e)
{
	const struct question *q = script_question(s, e->id);
	if (!q)
		fail_msg("question %s missing", e->id);
	if (q->type != e->type)
		fail_msg("%s: type %s, want %s", e->id, q_type_name(q->type), q_type_name(e->type));
	expect_text(&q->text, e->text, NULL, e->id);
	assert_int_equal(q->help.n, 0);
	if (q->required != e->required || q->not_applicable != e->not_applicable ||
	    q->once_per_person != e->once_per_person)
		fail_msg("%s: required %d not_applicable %d once_per_person %d", e->id, q->required,
		         q->not_applicable, q->once_per_person);
	assert_int_equal(q->perspective, PERSPECTIVE_TELLER);
	int nopt = 0;
	while (nopt < 7 && e->opt[nopt].id)
		nopt++;
	if (q->noptions != nopt)
		fail_msg("%s: %d options, want %d", e->id, q->noptions, nopt);
	for (int i = 0; i < nopt; i++) {
		assert_string_equal(q->options[i].id, e->opt[i].id);
		expect_text(&q->options[i].label, e->opt[i].label, NULL, e->opt[i].id);
	}
	assert_int_equal(q->other.n, 0);
	if (e->type == Q_MULTI) {
		assert_int_equal(q->min, e->min);
		assert_int_equal(q->max, e->max);
	}
	if (e->type == Q_TEXT) {
		assert_int_equal(q->long_text, e->long_text);
		assert_int_equal(q->max_length, e->max_length);
	}
	if (e->type == Q_STORY)
		assert_int_equal(q->ask_title, 0);
	if (e->show_if_question) {
		assert_non_null(q->show_if_question);
		assert_string_equal(q->show_if_question, e->show_if_question);
		assert_int_equal(q->show_if_count, 1);
		assert_string_equal(q->show_if_values[0], e->show_if_value);
	} else {
		assert_null(q->show_if_question);
	}
	assert_null(q->continues_question);
}

static void test_wmo_fixture(void **state)
{
	json_t *def = load(WMO_DEFINITION), *out, *report;
	struct script *s = convert_ok(def, NULL, &out, &report);

	assert_string_equal(s->key, "ervaringen-met-het-wmo-loket");
	expect_text(&s->title, "Ervaringen met het Wmo-loket", NULL, "title");
	expect_text(&s->introduction,
	            "Vertel ons over het Wmo-loket\n\n"
	            "De gemeente wil leren van uw ervaringen met het Wmo-loket. Er zijn geen goede "
	            "of foute antwoorden.\n\n"
	            "Het invullen duurt ongeveer 10 minuten.\n\n"
	            "Met uw antwoorden maken we de hulp & ondersteuning beter.",
	            NULL, "introduction");
	expect_text(&s->thanks,
	            "Hartelijk dank voor uw verhaal!\n\nKlik op Opslaan om het te versturen.", NULL,
	            "thanks");
	/* The default privacy text, Dutch and English. */
	assert_int_equal(s->privacy.n, 2);
	assert_string_equal(s->privacy.lang[0], "nl");
	assert_string_equal(s->privacy.lang[1], "en");
	assert_non_null(strstr(s->privacy.s[0], "De gemeente bewaart uw verhaal"));
	assert_non_null(strstr(s->privacy.s[0], "privacytekst"));
	assert_non_null(strstr(s->privacy.s[1], "stored by the municipality"));

	/* Three pages with questions (the navigation signifiers end them). */
	assert_int_equal(s->nsections, 3);
	size_t nexp = sizeof wmo / sizeof wmo[0];
	assert_int_equal(s->nquestions, (int)nexp);
	for (size_t i = 0; i < nexp; i++) {
		check_question(s, &wmo[i]);
		/* In the fixture's order, in the expected section. */
		assert_string_equal(s->questions[i]->id, wmo[i].id);
		const struct section *sec = NULL;
		for (int k = 0; k < s->nsections; k++)
			for (int m = 0; m < s->sections[k].nquestions; m++)
				if (&s->sections[k].questions[m] == s->questions[i])
					sec = &s->sections[k];
		assert_non_null(sec);
		assert_string_equal(sec->id, wmo[i].section);
		assert_int_equal(sec->title.n, 0);
	}
	/* The stones' axes. */
	const struct question *st = script_question(s, "c3759bde-2749-4b8c-8214-39573f561842");
	expect_text(&st->x.label, "Hoe goed het ging", NULL, "x.label");
	expect_text(&st->x.low, "slecht", NULL, "x.low");
	expect_text(&st->x.high, "goed", NULL, "x.high");
	expect_text(&st->y.label, "Belang", NULL, "y.label");
	expect_text(&st->y.low, "onbelangrijk", NULL, "y.low");
	expect_text(&st->y.high, "heel belangrijk", NULL, "y.high");

	/* The JSON itself: defaults left out as the canonical writer does. */
	json_t *multi = json_array_get(
	        json_object_get(json_array_get(json_object_get(out, "sections"), 0), "questions"),
	        3);
	assert_string_equal(json_string_value(json_object_get(multi, "type")), "multi");
	assert_null(json_object_get(multi, "min"));
	assert_null(json_object_get(multi, "max"));
	assert_null(json_object_get(multi, "required"));
	assert_null(json_object_get(json_object_get(out, "title"), "en"));

	/* The report: everything not imported, and why. */
	assert_int_equal(json_integer_value(json_object_get(report, "imported")), 11);
	static const char *const skipped[][3] = {
	        {"3aec02d0-9eb0-42f3-9f8b-a0ce4c6d8fb9", "navigation",
	         "navigation button (its pages became the sections)"},
	        {"4bfd13e1-afc1-4304-8a9c-b1df5d7e90ca", "label",
	         "label between questions (a script has no texts between questions)"},
	        {"7e204689-d2f4-4637-9dcf-e402e401c3fd", "navigation",
	         "navigation button (its pages became the sections)"},
	        {"8f31579a-e305-4748-8ed0-f513f512d40e", "navigation",
	         "navigation button (its pages became the sections)"},
	        {"904268ab-f416-4859-9fe1-0624062e351f", "label",
	         "label between questions (a script has no texts between questions)"},
	        {"7e204689-d2f4-4637-9dcf-e402e40613fd", "save",
	         "save button (Vertelpunt has its own send button)"},
	        {"8f31579a-e305-4748-8ed0-f513f5172a0e", "navigation",
	         "navigation button (its pages became the sections)"},
	};
	json_t *sk = json_object_get(report, "skipped");
	assert_int_equal(json_array_size(sk), sizeof skipped / sizeof skipped[0]);
	for (size_t i = 0; i < json_array_size(sk); i++) {
		json_t *e = json_array_get(sk, i);
		assert_int_equal(json_object_size(e), 3);
		assert_string_equal(json_string_value(json_object_get(e, "id")), skipped[i][0]);
		assert_string_equal(json_string_value(json_object_get(e, "type")), skipped[i][1]);
		assert_string_equal(json_string_value(json_object_get(e, "reason")), skipped[i][2]);
	}
	assert_true(
	        has_note(report, "f6a8cafc-5a7c-4ebf-9b4d-6c8a0e2f4b75) is the story question"));
	assert_true(
	        has_note(report, "18cae0be-7c9e-40d1-9d6f-8eac2a4b6d97): a list with one item"));
	assert_true(has_note(report, "introduction was made from the labels "
	                             "a1f3c5e7-0b2d-4f6a-8c9e-1d3b5f7a9c20, "
	                             "b2e4d6f8-1c3e-4a7b-9d0f-2e4c6a8b0d31"));
	assert_true(has_note(report, "thanks were made from the labels "
	                             "6d1f3578-c1e3-4526-8cbe-d3f1d3f502ec"));
	assert_true(has_note(report, "SenseMaker has no privacy text"));
	assert_true(has_note(report, "holds the \"other\" answer of list"));
	assert_false(has_note(report, "copied to"));

	/* The lint finds nothing that blocks a pilot. */
	struct lint_result lr;
	script_lint(s, &lr);
	assert_int_equal(lr.errors, 0);
	lint_result_free(&lr);

	script_free(s);
	json_decref(out);
	json_decref(report);
	json_decref(def);
}

/* Emit, parse, emit: the same bytes. */
static void test_round_trip(void **state)
{
	json_t *def = load(WMO_DEFINITION);
	struct script *s = convert_ok(def, NULL, NULL, NULL);
	buf a, b;
	buf_init(&a);
	buf_init(&b);
	script_emit(s, &a);
	char err[512];
	struct script *again = script_parse_text(a.data, a.len, err, sizeof err);
	if (!again)
		fail_msg("emitted script does not parse: %s", err);
	script_emit(again, &b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	buf_free(&a);
	buf_free(&b);
	script_free(again);
	script_free(s);
	json_decref(def);
}

/* The data file matches the definition: every question column of the
 * real layout is there (the story importer will rely on it). */
static void test_wmo_data_columns(void **state)
{
	FILE *fp = fopen(WMO_DATA, "rb");
	if (!fp)
		fail_msg("%s not found (run from the repository root)", WMO_DATA);
	char header[8192];
	assert_non_null(fgets(header, sizeof header, fp));
	int rows = 0;
	char line[8192];
	while (fgets(line, sizeof line, fp))
		rows++;
	fclose(fp);
	assert_memory_equal(header, "\xef\xbb\xbf\"id\",\"project_id\",", 21);
	assert_int_equal(rows, 6);
	json_t *def = load(WMO_DEFINITION);
	struct script *s = convert_ok(def, NULL, NULL, NULL);
	char col[200];
	for (int i = 0; i < s->nquestions; i++) {
		const struct question *q = s->questions[i];
		if (q->type == Q_TRIAD || q->type == Q_DYAD) {
			snprintf(col, sizeof col, "\"%s_percentX\"", q->id);
			assert_non_null(strstr(header, col));
			snprintf(col, sizeof col, "\"%s_NA\"", q->id);
			assert_non_null(strstr(header, col));
			for (int k = 0; k < q->noptions; k++) {
				snprintf(col, sizeof col, "\"%s_%s\"", q->id, q->options[k].id);
				assert_non_null(strstr(header, col));
			}
		} else if (q->type == Q_STONES) {
			for (int k = 0; k < q->noptions; k++) {
				snprintf(col, sizeof col, "\"%s_%s_percentY\"", q->id,
				         q->options[k].id);
				assert_non_null(strstr(header, col));
			}
		} else if (q->type == Q_MULTI && q->max > 1) {
			for (int k = 0; k < q->noptions; k++) {
				snprintf(col, sizeof col, "\"%s_%s\"", q->id, q->options[k].id);
				assert_non_null(strstr(header, col));
			}
		} else { /* one column: text, or the chosen item's id */
			snprintf(col, sizeof col, "\"%s\"", q->id);
			assert_non_null(strstr(header, col));
		}
	}
	script_free(s);
	json_decref(def);
}

/* ---- texts and languages ------------------------------------------------------ */

static void test_language_copied_to_nl(void **state)
{
	json_t *def = def_with("en", STORY ",{'id':'d1','type':'dyad','title':'<p>How <i>was</i> "
	                                   "it?</p>','content':{'labels':[{'id':'a','text':'good'},"
	                                   "{'id':'b','text':'bad'}]}}");
	json_t *report;
	struct script *s = convert_ok(def, NULL, NULL, &report);
	expect_text(&s->title, "Test", "en", "title");
	const struct question *q = script_question(s, "d1");
	expect_text(&q->text, "How was it?", "en", "d1.text");
	expect_text(&q->options[0].label, "good", "en", "pole a");
	expect_text(&q->options[1].label, "bad", "en", "pole b");
	expect_text(&script_question(s, "s1")->options[0].label, "Vertel", "en", "prompt");
	assert_true(has_note(report, "the texts are in \"en\" and were copied to \"nl\""));
	script_free(s);
	json_decref(report);
	json_decref(def);

	/* A region is dropped, capitals folded; no language or a bad one: Dutch. */
	static const char *const variants[][2] = {
	        {"nl-NL", NULL}, {"EN", "en"}, {"de_AT", "de"}, {"klingon", NULL}, {"", NULL}};
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		def = def_with(variants[i][0], STORY);
		s = convert_ok(def, NULL, NULL, &report);
		expect_text(&s->title, "Test", variants[i][1], variants[i][0]);
		if (!variants[i][1] && strcmp(variants[i][0], "nl-NL") != 0)
			assert_true(has_note(report, "taken as Dutch"));
		script_free(s);
		json_decref(report);
		json_decref(def);
	}
	def = jq("{'name':['T'],'signifiers':[" STORY "]}");
	s = convert_ok(def, NULL, NULL, &report);
	expect_text(&s->title, "T", NULL, "no language");
	assert_true(has_note(report, "names no language"));
	script_free(s);
	json_decref(report);
	json_decref(def);
}

/* One triad whose corner labels are the given HTML; returns the parsed
 * labels through s (caller frees). */
static struct script *triad_labels(const char *a, const char *b, const char *c)
{
	json_t *sigs = jq("[" STORY ",{'id':'t1','type':'triad','title':'T','content':{'labels':["
	                  "{'id':'a'},{'id':'b'},{'id':'c'}]}}]");
	json_t *labels =
	        json_object_get(json_object_get(json_array_get(sigs, 1), "content"), "labels");
	json_object_set_new(json_array_get(labels, 0), "text", json_string(a));
	json_object_set_new(json_array_get(labels, 1), "text", json_string(b));
	json_object_set_new(json_array_get(labels, 2), "text", json_string(c));
	json_t *def = jq("{'name':['T'],'language':['nl']}");
	json_object_set_new(def, "signifiers", sigs);
	struct script *s = convert_ok(def, NULL, NULL, NULL);
	json_decref(def);
	return s;
}

static void test_html_to_text(void **state)
{
	static const char *const cases[][2] = {
	        {"quality<br>demands", "quality demands"},
	        {"<div>heavily<br> micro-managed</div>", "heavily micro-managed"},
	        {"<i>safety</i>SCAN &amp; co", "safetySCAN & co"},
	        {"  a \t\n b  &nbsp; c\xc2\xa0 ", "a b c"},
	        {"caf&eacute; &#233;&#xE9; &euro;5 &hellip;",
	         "caf\xc3\xa9 \xc3\xa9\xc3\xa9 \xe2\x82\xac"
	         "5 \xe2\x80\xa6"},
	        {"&lt;font color='blue'&gt;blauw&lt;/font&gt;", "blauw"},
	        {"a &lt; b &gt; c", "a < b > c"},
	        {"a < b and 3<4", "a < b and 3<4"},
	        {"x &unknown; &amp y", "x &unknown; &amp y"},
	        {"<!-- note -->zichtbaar<script>alert(1)</script><style>p{}</style>!",
	         "zichtbaar!"},
	        {"<a href=\"x>y\">link</a> tekst", "link tekst"},
	        {"<p>een</p><p>twee</p>", "een twee"},
	        {"zacht&shy;streepje&#0;&#1;&#xD800;&#x110000;.", "zachtstreepje."},
	        {"open <b", "open <b"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct script *s = triad_labels(cases[i][0], "b", "c");
		const char *got = nl(&script_question(s, "t1")->options[0].label);
		if (strcmp(got, cases[i][1]) != 0)
			fail_msg("\"%s\" became \"%s\", want \"%s\"", cases[i][0], got,
			         cases[i][1]);
		script_free(s);
	}

	/* Labels keep their paragraphs: blocks and <br><br> end one. */
	json_t *def = def_with(
	        "nl", "{'id':'l1','type':'label','title':'New Project Element','content':{'text':"
	              "'<h3>Welkom</h3><p>Eerste<br>regel.<br><br>Tweede &nbsp;alinea.</p><ul><li>"
	              "een</li><li>twee</li></ul>'}}," STORY);
	struct script *s = convert_ok(def, NULL, NULL, NULL);
	expect_text(&s->introduction, "Welkom\n\nEerste regel.\n\nTweede alinea.\n\neen\n\ntwee",
	            NULL, "introduction");
	script_free(s);
	json_decref(def);
}

static void test_key(void **state)
{
	static const char *const cases[][3] = {
	        {"Ervaringen met het Wmo-loket", "X", "ervaringen-met-het-wmo-loket"},
	        {"\xc3\x89\xc3\xa9n Caf\xc3\xa9 \xe2\x80\x94 Zuid!", "X", "een-cafe-zuid"},
	        {"--- ", "Wmo_2024", "wmo-2024"},
	        {"", "", "sensemaker"},
	        {"\xe2\x98\x95", "", "sensemaker"},
	        {"Een heel lange naam voor een verhalenproject over de Wmo en de jeugdzorg in de "
	         "regio",
	         "X", "een-heel-lange-naam-voor-een-verhalenproject-over-de-wmo-en-de-j"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *def = def_with("nl", STORY);
		json_t *name = json_array(), *code = json_array();
		json_array_append_new(name, json_string(cases[i][0]));
		json_array_append_new(code, json_string(cases[i][1]));
		json_object_set_new(def, "name", name);
		json_object_set_new(def, "code", code);
		json_t *out;
		struct script *s = convert_ok(def, NULL, &out, NULL);
		if (strcmp(s->key, cases[i][2]) != 0)
			fail_msg("\"%s\": key \"%s\", want \"%s\"", cases[i][0], s->key,
			         cases[i][2]);
		assert_true(strlen(s->key) <= 64);
		script_free(s);
		json_decref(out);
		json_decref(def);
	}
}

/* ---- lists, stories, other signifiers ------------------------------------------- */

static void test_lists(void **state)
{
	json_t *report;
	json_t *def = def_with(
	        "nl", STORY
	        ",{'id':'c','type':'list','title':'C','content':{'max_responses':1,'items':["
	        "{'id':'a','title':'A'},{'id':'b','title':'B'}]}},"
	        "{'id':'all','type':'list','title':'M','content':{'max_responses':0,"
	        "'min_responses':0,'items':[{'id':'a','title':'A'},{'id':'b','title':'B'},"
	        "{'id':'c','title':'C'}]}},"
	        "{'id':'big','type':'list','title':'M','content':{'max_responses':9,"
	        "'min_responses':12,'items':[{'id':'a','title':'A'},{'id':'b','title':'B'}]}},"
	        "{'id':'str','type':'list','title':'M','content':{'max_responses':'2',"
	        "'min_responses':'1','items':[{'id':'a','title':'A'},{'id':'b','title':'B'},"
	        "{'id':'c','title':'C'}]}},"
	        "{'id':'hid','type':'list','title':'H','content':{'max_responses':1,'items':["
	        "{'id':'a','title':'A','visible':true},{'id':'x','title':'X','visible':false},"
	        "{'id':'b','title':'B'}]}}");
	struct script *s = convert_ok(def, NULL, NULL, &report);
	const struct question *q = script_question(s, "c");
	assert_int_equal(q->type, Q_CHOICE);
	assert_int_equal(q->noptions, 2);
	q = script_question(s, "all");
	assert_int_equal(q->type, Q_MULTI);
	assert_int_equal(q->min, 0);
	assert_int_equal(q->max, 3);
	q = script_question(s, "big"); /* max and min above the number of items */
	assert_int_equal(q->type, Q_MULTI);
	assert_int_equal(q->min, 2);
	assert_int_equal(q->max, 2);
	q = script_question(s, "str");
	assert_int_equal(q->min, 1);
	assert_int_equal(q->max, 2);
	q = script_question(s, "hid"); /* hidden items are not offered */
	assert_int_equal(q->type, Q_CHOICE);
	assert_int_equal(q->noptions, 2);
	assert_string_equal(q->options[1].id, "b");
	assert_true(has_note(report, "signifiers[5] (hid): 1 hidden items were left out"));
	script_free(s);
	json_decref(report);
	json_decref(def);
}

static void test_story_choice(void **state)
{
	/* No fragment_signifier_id: the first freetext marked as fragment; a
	 * second one becomes a text question. */
	json_t *report;
	json_t *def =
	        def_with("nl", "{'id':'t0','type':'freetext','title':'Naam?','content':{}},"
	                       "{'id':'f1','type':'freetext','title':'Eerste','fragment':true,"
	                       "'required':true,'content':{'multiline':true}},"
	                       "{'id':'f2','type':'freetext','title':'Tweede','fragment':true,"
	                       "'content':{'multiline':true}}");
	struct script *s = convert_ok(def, NULL, NULL, &report);
	assert_int_equal(script_question(s, "t0")->type, Q_TEXT);
	assert_int_equal(script_question(s, "f1")->type, Q_STORY);
	assert_int_equal(script_question(s, "f2")->type, Q_TEXT);
	assert_int_equal(script_question(s, "f2")->long_text, 1);
	assert_int_equal(script_question(s, "f2")->max_length, 20000);
	assert_true(has_note(report, "signifiers[2] (f2) is marked as a fragment too"));
	script_free(s);
	json_decref(report);

	/* fragment_signifier_id wins over the fragment flags. */
	json_t *fsid = json_array();
	json_array_append_new(fsid, json_string("f2"));
	json_object_set_new(def, "fragment_signifier_id", fsid);
	s = convert_ok(def, NULL, NULL, &report);
	assert_int_equal(script_question(s, "f1")->type, Q_TEXT);
	assert_int_equal(script_question(s, "f2")->type, Q_STORY);
	script_free(s);
	json_decref(report);

	/* One that names nothing: noted, and the flags decide. */
	json_array_set_new(fsid, 0, json_string("nowhere"));
	s = convert_ok(def, NULL, NULL, &report);
	assert_int_equal(script_question(s, "f1")->type, Q_STORY);
	assert_true(has_note(report, "fragment_signifier_id nowhere names no freetext"));
	script_free(s);
	json_decref(report);
	json_decref(def);

	/* No fragment at all: no story question, and the report says so. */
	def = def_with("nl", "{'id':'t0','type':'freetext','title':'Naam?','content':{}}");
	s = convert_ok(def, NULL, NULL, &report);
	assert_int_equal(count_type(s, Q_STORY), 0);
	assert_true(has_note(report, "the script has no story question yet"));
	script_free(s);
	json_decref(report);
	json_decref(def);
}

static void test_other_signifiers_skipped(void **state)
{
	json_t *report;
	json_t *def = def_with(
	        "nl", "{'id':'i','type':'label','content':{'text':'<p>Welkom</p>'}},"
	              "{'id':'a1','type':'audio','title':'Spreek in','content':{}}," STORY ","
	              "{'id':'mid','type':'label','content':{'text':'Nog iets'}},"
	              "{'id':'t','type':'freetext','title':'Titel','content':{}},"
	              "{'id':'e','type':'label','content':{'text':'<br>&nbsp;'}},"
	              "{'id':'bye','type':'label','content':{'text':'Tot ziens'}},"
	              "{'id':'dank','type':'label','content':{'text':'<h3>Thank you!</h3>'}},"
	              "{'id':'sv','type':'save','title':'SAVE','content':{}}");
	json_t *out;
	struct script *s = convert_ok(def, NULL, &out, &report);
	assert_int_equal(s->nquestions, 2);
	assert_int_equal(s->nsections, 1);
	assert_string_equal(s->sections[0].id, "section-1");
	expect_text(&s->introduction, "Welkom", NULL, "introduction");
	expect_text(&s->thanks, "Thank you!", NULL, "thanks");
	assert_string_equal(skip_reason(report, "a1"),
	                    "no Vertelpunt question type for this signifier type");
	assert_string_equal(skip_reason(report, "mid"),
	                    "label between questions (a script has no texts between questions)");
	assert_string_equal(skip_reason(report, "e"), "empty label");
	assert_string_equal(skip_reason(report, "bye"),
	                    "label after the last question that is not a thank-you");
	assert_string_equal(skip_reason(report, "sv"),
	                    "save button (Vertelpunt has its own send button)");
	assert_null(skip_reason(report, "i"));
	assert_null(skip_reason(report, "dank"));
	assert_int_equal(json_array_size(json_object_get(report, "skipped")), 5);
	assert_int_equal(json_integer_value(json_object_get(report, "imported")), 2);
	/* The keys in the documented order. */
	const char *key;
	json_t *v;
	static const char *const order[] = {"format",  "key",    "title",   "introduction",
	                                    "privacy", "thanks", "sections"};
	size_t k = 0;
	json_object_foreach(out, key, v)
	{
		assert_true(k < 7);
		assert_string_equal(key, order[k++]);
	}
	assert_int_equal(k, 7);
	script_free(s);
	json_decref(out);
	json_decref(report);
	json_decref(def);

	/* report may be NULL. */
	def = def_with("nl", STORY);
	char err[200];
	out = sensemaker_to_script(def, NULL, err, sizeof err);
	assert_non_null(out);
	json_decref(out);
	json_decref(def);
}

/* ---- pages ------------------------------------------------------------------------ */

/* Pages listed one after the other: navigation and restarting order
 * numbers end them; pages without questions leave no section. */
static void test_pages_flat(void **state)
{
	json_t *def = def_with(
	        "nl", "{'id':'q1','type':'freetext','order':1,'title':'A','content':{}},"
	              "{'id':'n1','type':'navigation','order':2,'content':{'direction':'next'}},"
	              "{'id':'q2','type':'freetext','order':1,'title':'B','content':{}},"
	              "{'id':'q3','type':'freetext','order':1,'title':'C','content':{}},"
	              "{'id':'n2','type':'navigation','order':2,'content':{}},"
	              "{'id':'n3','type':'navigation','order':3,'content':{}},"
	              "{'id':'q4','type':'freetext','order':1,'title':'D','content':{}}");
	struct script *s = convert_ok(def, NULL, NULL, NULL);
	assert_int_equal(s->nsections, 4);
	assert_int_equal(s->sections[0].nquestions, 1);
	assert_int_equal(s->sections[1].nquestions, 1);
	assert_string_equal(s->sections[1].questions[0].id, "q2");
	assert_string_equal(s->sections[2].questions[0].id, "q3");
	assert_string_equal(s->sections[3].id, "section-4");
	assert_string_equal(s->sections[3].questions[0].id, "q4");
	script_free(s);
	json_decref(def);
}

/* Pages mixed by their order numbers (as in the ADemo export): one
 * section; labels whose page is unknown are skipped. */
static void test_pages_mixed(void **state)
{
	json_t *report;
	json_t *def = def_with(
	        "nl", "{'id':'intro','type':'label','order':1,'content':{'text':'Welkom'}},"
	              "{'id':'bye','type':'label','order':1,'content':{'text':'Bedankt!'}},"
	              "{'id':'sv','type':'save','order':2,'content':{}},"
	              "{'id':'q1','type':'freetext','order':2,'title':'A','fragment':true,"
	              "'content':{}},"
	              "{'id':'q2','type':'freetext','order':3,'title':'B','content':{}},"
	              "{'id':'end','type':'label','order':4,'content':{'text':'Dank u wel'}}");
	struct script *s = convert_ok(def, NULL, NULL, &report);
	assert_int_equal(s->nsections, 1);
	assert_int_equal(s->nquestions, 2);
	assert_int_equal(s->introduction.n, 0);
	expect_text(&s->thanks, "Dank u wel", NULL, "thanks");
	assert_non_null(strstr(skip_reason(report, "intro"), "label of unknown page"));
	assert_non_null(strstr(skip_reason(report, "bye"), "label of unknown page"));
	assert_true(has_note(report, "listed mixed together by their order numbers"));
	script_free(s);
	json_decref(report);

	/* The layout places them. */
	json_t *layout = jq("[{'id':'L','settings':{'sections':["
	                    "{'id':'page-2','order':2,'signifiers':[{'id':'bye','order':1},{'id':'"
	                    "sv','order':2}]},"
	                    "{'id':'page-1','order':1,'signifiers':[{'id':'q2','order':3},{'id':'"
	                    "intro','order':1},"
	                    "{'id':'q1','order':2},{'id':'ghost','order':4}]}]}}]");
	s = convert_ok(def, layout, NULL, &report);
	assert_int_equal(s->nsections, 1);
	assert_string_equal(s->sections[0].id, "page-1");
	expect_text(&s->introduction, "Welkom", NULL, "introduction");
	expect_text(&s->thanks, "Bedankt!", NULL, "thanks");
	assert_string_equal(skip_reason(report, "end"),
	                    "not placed in the layout: the collector does not show it");
	assert_true(has_note(report, "the layout names 1 signifiers the definition does not have"));
	script_free(s);
	json_decref(report);
	json_decref(layout);
	json_decref(def);
}

/* Definitions with their own "sections" (newer exports). */
static void test_pages_sections(void **state)
{
	json_t *def = jq("{'name':['S'],'language':['nl'],'sections':["
	                 "{'id':'p2','order':2,'signifiers':[{'id':'b','type':'freetext','order':1,"
	                 "'title':'B','content':{}}]},"
	                 "{'id':'p1','order':1,'signifiers':["
	                 "{'id':'a2','type':'freetext','order':2,'title':'A2','content':{}},"
	                 "{'id':'a1','type':'freetext','order':1,'title':'A1','fragment':true,'"
	                 "content':{}}]},"
	                 "{'id':'p3','order':3,'signifiers':[{'id':'sv','type':'save','order':1,"
	                 "'content':{}}]}]}");
	struct script *s = convert_ok(def, NULL, NULL, NULL);
	assert_int_equal(s->nsections, 2);
	assert_string_equal(s->sections[0].id, "p1");
	assert_string_equal(s->sections[0].questions[0].id, "a1");
	assert_string_equal(s->sections[0].questions[1].id, "a2");
	assert_string_equal(s->sections[1].id, "p2");
	assert_int_equal(s->questions[0]->type, Q_STORY);
	script_free(s);
	json_decref(def);
}

/* ---- refusals ------------------------------------------------------------------------- */

static void test_refusals(void **state)
{
	json_t *def = jq("[1,2]");
	expect_refusal(def, NULL, "definition: not a JSON object");
	json_decref(def);
	def = jq("{'name':['x'],'signifiers':{}}");
	expect_refusal(def, NULL, "definition: no signifiers array");
	json_decref(def);
	def = jq("{'name':['x'],'sections':[{'id':'p','signifiers':5}]}");
	expect_refusal(def, NULL, "sections[0]: no signifiers array");
	json_decref(def);

	static const char *const cases[][2] = {
	        {STORY ",{'id':'t1','type':'triad','title':'T','content':{'labels':["
	               "{'id':'a','text':'A'},{'id':'b','text':'B'}]}}",
	         "signifiers[1] (t1): triad needs three labels (has 2)"},
	        {STORY ",{'id':'t1','type':'triad','title':'T','content':{'labels':{}}}",
	         "signifiers[1] (t1): triad needs three labels (has 0)"},
	        {"{'id':'d1','type':'dyad','title':'D','content':{'labels':[{'id':'a','text':'A'},"
	         "{'id':'b','text':'B'},{'id':'c','text':'C'}]}}",
	         "signifiers[0] (d1): dyad needs two labels (has 3)"},
	        {STORY ",{'id':'l1','type':'list','title':'L','content':{'items':{},"
	               "'max_responses':1}}",
	         "signifiers[1] (l1): list without items"},
	        {"{'id':'l1','type':'list','title':'L','content':{'items':[{'id':'a','title':'A',"
	         "'visible':false}]}}",
	         "signifiers[0] (l1): list without items (all are hidden)"},
	        {"{'id':'st','type':'stones','title':'S','content':{'stones':{}}}",
	         "signifiers[0] (st): stones without stones"},
	        {STORY ",{'id':'x','type':'label','content':{}},{'id':'x','type':'dyad'}",
	         "signifiers[2] (x): duplicate id (also signifiers[1] (x))"},
	        {"{'id':'l1','type':'list','title':'L','content':{'items':[{'id':'a','title':'A'},"
	         "{'id':'a','title':'B'}]}}",
	         "signifiers[0] (l1).content.items[1] (a): duplicate id (also items[0])"},
	        {"{'id':'l1','type':'list','title':'L','content':{'items':[{'title':'A'}]}}",
	         "signifiers[0] (l1).content.items[0]: no id"},
	        {"{'id':'d1','type':'dyad','title':'D','content':{'labels':[{'id':'a "
	         "b','text':'A'},"
	         "{'id':'b','text':'B'}]}}",
	         "signifiers[0] (d1).content.labels[0] (a b): the id does not fit the id rule "
	         "(1-64 "
	         "letters, digits, '-', '_', '.')"},
	        {"{'id':'has space','type':'freetext','title':'T','content':{}}",
	         "signifiers[0] (has space): the id does not fit the id rule (1-64 letters, "
	         "digits, "
	         "'-', '_', '.')"},
	        {"{'type':'label'}", "signifiers[0]: no id"},
	        {"{'id':'n','type':'label'},{'id':'m'}", "signifiers[1] (m): no type"},
	        {"7", "signifiers[0]: not an object"},
	        {"{'id':'n','type':'label','content':{'text':'Hallo'}},{'id':'s','type':'save'}",
	         "definition: no signifier becomes a question"},
	        {"", "definition: no signifier becomes a question"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		def = def_with("en", cases[i][0]);
		expect_refusal(def, NULL, cases[i][1]);
		json_decref(def);
	}

	/* Places inside sections name the section. */
	def = jq("{'sections':[{'id':'p','signifiers':[" STORY ",{'id':'t','type':'triad',"
	         "'content':{'labels':[]}}]}]}");
	expect_refusal(def, NULL,
	               "sections[0].signifiers[1] (t): triad needs three labels (has 0)");
	json_decref(def);

	/* A layout without sections. */
	def = def_with("nl", STORY);
	json_t *layout = jq("[{'settings':{}}]");
	expect_refusal(def, layout, "layout: no settings.sections array");
	json_decref(layout);
	layout = json_string("text");
	expect_refusal(def, layout, "layout: not a JSON object or array");
	json_decref(layout);
	layout = jq("{'settings':{'sections':[{'id':'p'}]}}");
	expect_refusal(def, layout, "layout: settings.sections[0]: no signifiers array");
	json_decref(layout);
	json_decref(def);

	/* A small err buffer gets a cut message, never an overflow. */
	def = def_with("nl", "{'id':'d1','type':'dyad','content':{}}");
	char err[8];
	assert_null(sensemaker_to_script(def, NULL, err, sizeof err));
	assert_string_equal(err, "signifi");
	json_decref(def);
}

/* ---- the real export (when present) ---------------------------------------------------- */

static void test_ademo(void **state)
{
	const char *dir = getenv("VP_SENSEMAKER_ADEMO");
	char path[512];
	snprintf(path, sizeof path, "%s/ADemo_Definition.json", dir ? dir : ADEMO_DIR);
	if (access(path, R_OK) != 0) {
		print_message("%s not found: skipped\n", path);
		skip();
	}
	json_t *def = load(path), *report;
	struct script *s = convert_ok(def, NULL, NULL, &report);
	assert_string_equal(s->key, "ademo");
	assert_int_equal(s->nquestions, 18);
	assert_int_equal(count_type(s, Q_STORY), 1);
	assert_int_equal(count_type(s, Q_TEXT), 1);
	assert_int_equal(count_type(s, Q_CHOICE), 5);
	assert_int_equal(count_type(s, Q_MULTI), 2);
	assert_int_equal(count_type(s, Q_TRIAD), 5);
	assert_int_equal(count_type(s, Q_DYAD), 3);
	assert_int_equal(count_type(s, Q_STONES), 1);
	int required = 0, na = 0, once = 0;
	for (int i = 0; i < s->nquestions; i++) {
		required += s->questions[i]->required;
		na += s->questions[i]->not_applicable;
		once += s->questions[i]->once_per_person;
	}
	assert_int_equal(required, 13);
	assert_int_equal(na, 8);
	assert_int_equal(once, 5);
	const struct question *q = script_question(s, "ca82ba5d-6102-4f69-94da-76c38c28ce9b");
	assert_int_equal(q->type, Q_STORY);
	expect_text(&q->text, "Briefly describe what happened:", "en", "story");
	q = script_question(s, "dee85953-7226-45c5-9add-c146e5f4096f");
	assert_string_equal(q->options[0].id, "0330c0c8-1800-4fc5-94b3-4712ba07d610");
	expect_text(&q->options[0].label, "quality demands", "en", "corner");
	expect_text(&q->options[2].label, "resource tensions", "en", "corner");
	q = script_question(s, "e533b24f-1ac4-4506-8b10-0b1169cc7282");
	assert_int_equal(q->type, Q_MULTI);
	assert_int_equal(q->noptions, 15);
	assert_int_equal(q->min, 1);
	assert_int_equal(q->max, 3);
	assert_int_equal(script_question(s, "6ed2b61d-77ff-4efc-a834-23c23e2eb4dc")->max, 1);
	/* Without the layout, the mixed pages leave the intro and thanks out. */
	assert_int_equal(s->nsections, 1);
	assert_int_equal(s->introduction.n, 0);
	assert_int_equal(json_array_size(json_object_get(report, "skipped")), 11);
	assert_true(has_note(report, "copied to \"nl\""));
	script_free(s);
	json_decref(report);

	/* The message of a refusal names the signifier. */
	json_t *broken = json_deep_copy(def);
	json_t *labels = json_object_get(
	        json_object_get(json_array_get(json_object_get(broken, "signifiers"), 12),
	                        "content"),
	        "labels");
	json_array_remove(labels, 2);
	expect_refusal(broken, NULL,
	               "signifiers[12] (dee85953-7226-45c5-9add-c146e5f4096f): triad needs three "
	               "labels (has 2)");
	json_decref(broken);

	snprintf(path, sizeof path, "%s/ADemo_Layout.json", dir ? dir : ADEMO_DIR);
	if (access(path, R_OK) == 0) {
		json_t *layout = load(path);
		s = convert_ok(def, layout, NULL, &report);
		assert_int_equal(s->nquestions, 18);
		assert_int_equal(s->nsections, 1);
		assert_string_equal(s->sections[0].id, "67c5f1b1-b7f4-4985-849c-1c57e4620e2b");
		assert_non_null(
		        strstr(nl(&s->introduction), "Thank-you for participating in safetySCAN!"));
		assert_null(strstr(nl(&s->introduction), "font"));
		assert_non_null(strstr(nl(&s->thanks), "Thank you for sharing your experience!"));
		assert_int_equal(json_array_size(json_object_get(report, "skipped")), 8);
		script_free(s);
		json_decref(report);
		json_decref(layout);
	}
	json_decref(def);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_wmo_fixture),
	        cmocka_unit_test(test_round_trip),
	        cmocka_unit_test(test_wmo_data_columns),
	        cmocka_unit_test(test_language_copied_to_nl),
	        cmocka_unit_test(test_html_to_text),
	        cmocka_unit_test(test_key),
	        cmocka_unit_test(test_lists),
	        cmocka_unit_test(test_story_choice),
	        cmocka_unit_test(test_other_signifiers_skipped),
	        cmocka_unit_test(test_pages_flat),
	        cmocka_unit_test(test_pages_mixed),
	        cmocka_unit_test(test_pages_sections),
	        cmocka_unit_test(test_refusals),
	        cmocka_unit_test(test_ademo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
