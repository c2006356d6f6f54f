/* test_story_csv.c: unit tests of io/story_csv.c, the CSV reader (io/csv_read.c) and io/sensemaker_data.c: cells per answer type, rows, derived ids, export columns. */
#include "testutil.h"

#include "io/csv.h"
#include "io/sensemaker_data.h"
#include "io/story_csv.h"
#include "model/script.h"

#include <stdlib.h>
#include <string.h>

static const char script_text[] =
        "{\"format\": \"vertelpunt-script/1\", \"key\": \"t\", \"title\": {\"nl\": \"T\"},"
        " \"privacy\": {\"nl\": \"P\"}, \"sections\": [{\"id\": \"s\", \"questions\": ["
        "{\"id\": \"v\", \"type\": \"story\", \"text\": {\"nl\": \"V\"},"
        " \"prompts\": [{\"id\": \"p1\", \"text\": {\"nl\": \"P1\"}}]},"
        "{\"id\": \"c\", \"type\": \"choice\", \"text\": {\"nl\": \"C\"},"
        " \"options\": [{\"id\": \"a\", \"label\": {\"nl\": \"A\"}}, {\"id\": \"b\","
        " \"label\": {\"nl\": \"B\"}}], \"other\": {\"nl\": \"Anders\"}},"
        "{\"id\": \"m\", \"type\": \"multi\", \"text\": {\"nl\": \"M\"},"
        " \"options\": [{\"id\": \"a\", \"label\": {\"nl\": \"A\"}}, {\"id\": \"b\","
        " \"label\": {\"nl\": \"B\"}}], \"other\": {\"nl\": \"Anders\"}},"
        "{\"id\": \"sc\", \"type\": \"scale\", \"text\": {\"nl\": \"S\"}, \"points\": 5,"
        " \"low\": {\"nl\": \"l\"}, \"high\": {\"nl\": \"h\"}},"
        "{\"id\": \"d\", \"type\": \"dyad\", \"text\": {\"nl\": \"D\"}, \"not_applicable\": true,"
        " \"poles\": [{\"id\": \"l\", \"label\": {\"nl\": \"L\"}}, {\"id\": \"r\", \"label\":"
        " {\"nl\": \"R\"}}]},"
        "{\"id\": \"t\", \"type\": \"triad\", \"text\": {\"nl\": \"T\"}, \"not_applicable\": true,"
        " \"corners\": [{\"id\": \"x\", \"label\": {\"nl\": \"X\"}}, {\"id\": \"y\", \"label\":"
        " {\"nl\": \"Y\"}}, {\"id\": \"z\", \"label\": {\"nl\": \"Z\"}}]},"
        "{\"id\": \"st\", \"type\": \"stones\", \"text\": {\"nl\": \"St\"},"
        " \"stones\": [{\"id\": \"g\", \"label\": {\"nl\": \"G\"}}, {\"id\": \"k\", \"label\":"
        " {\"nl\": \"K\"}}], \"x\": {\"label\": {\"nl\": \"x\"}}, \"y\": {\"label\": {\"nl\": "
        "\"y\"}}},"
        "{\"id\": \"n\", \"type\": \"number\", \"text\": {\"nl\": \"N\"}},"
        "{\"id\": \"dt\", \"type\": \"date\", \"text\": {\"nl\": \"Dt\"}},"
        "{\"id\": \"pro\", \"type\": \"text\", \"text\": {\"nl\": \"Pro\"}, \"perspective\":"
        " \"professional\"}"
        "]}]}";

static int setup(void **state)
{
	char err[256];
	struct script *s = script_parse_text(script_text, strlen(script_text), err, sizeof err);
	if (!s)
		fail_msg("script: %s", err);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	script_free(*state);
	return 0;
}

/* The cell decoded for question id, as compact JSON ("" when unanswered,
 * "ERR: message" when refused). The caller frees. */
static char *cell(const struct script *s, const char *id, const char *text)
{
	const struct question *q = script_question(s, id);
	assert_non_null(q);
	json_t *out = NULL;
	char err[200];
	if (story_csv_cell(q, text, &out, err, sizeof err) != 0) {
		assert_null(out);
		char *r = malloc(strlen(err) + 6);
		strcpy(r, "ERR: ");
		strcat(r, err);
		return r;
	}
	if (!out)
		return strdup("");
	char *r = json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(6));
	json_decref(out);
	return r;
}

static void expect(const struct script *s, const char *id, const char *text, const char *want)
{
	char *got = cell(s, id, text);
	if (strncmp(want, "ERR", 3) == 0 ? strncmp(got, "ERR", 3) != 0 : strcmp(got, want) != 0)
		fail_msg("%s \"%s\": got '%s', want '%s'", id, text, got, want);
	free(got);
}

static void test_cells(void **state)
{
	const struct script *s = *state;
	expect(s, "c", "a", "\"a\"");
	expect(s, "c", " b ", "\"b\"");
	expect(s, "c", "other:de huisarts", "{\"other\":\"de huisarts\"}");
	expect(s, "c", "", "");
	expect(s, "c", "  ", "");
	expect(s, "c", "NA", "null");
	expect(s, "m", "a;b", "[\"a\",\"b\"]");
	expect(s, "m", "b; other:x;y", "[\"b\",{\"other\":\"x;y\"}]");
	expect(s, "sc", "4", "4");
	expect(s, "sc", "vier", "ERR");
	expect(s, "d", "40", "40");
	expect(s, "d", "42,5", "42.5");
	expect(s, "n", "-3.25", "-3.25");
	expect(s, "n", "1e3", "1000");
	expect(s, "n", "1.000,5", "ERR");
	expect(s, "t", "0.2;0.3;0.5", "[0.2,0.3,0.5]");
	expect(s, "t", "20;30;50", "[0.2,0.3,0.5]");
	expect(s, "t", "33.3;33.3;33.4", "[0.333,0.333,0.334]");
	expect(s, "t", "30;30;30", "ERR");
	expect(s, "t", "0.5;0.5", "ERR");
	expect(s, "t", "0.5;0.5;0;1", "ERR");
	expect(s, "t", "-0.5;0.5;1", "ERR");
	expect(s, "t", "NA", "null");
	expect(s, "st", "g=10,20;k=80,90.5", "{\"g\":[10,20],\"k\":[80,90.5]}");
	expect(s, "st", "g=10", "ERR");
	expect(s, "st", "g=1,2;g=3,4", "ERR");
	expect(s, "st", "10,20", "ERR");
	expect(s, "dt", "2026-02-27", "\"2026-02-27\"");
	/* A text keeps its spaces; the guard quote of our export comes off. */
	expect(s, "pro", " ja ", "\" ja \"");
	expect(s, "pro", "'=1+1", "\"=1+1\"");
	expect(s, "pro", "'gewoon", "\"'gewoon\"");
	expect(s, "pro", "\xff", "ERR");
}

static json_t *row(const struct script *s, const char *salt, char **col, char **val, size_t n,
                   int64_t *told, char *bad)
{
	char err[200];
	json_t *b = story_csv_row(s, 3, salt, col, val, n, told, bad, 80, err, sizeof err);
	if (!b)
		snprintf(bad + strlen(bad), 80 - strlen(bad), ": %s", err);
	return b;
}

static void test_rows(void **state)
{
	const struct script *s = *state;
	char *col[] = {"told_at", "v", "v.title", "c", "pro", "language"};
	char *val[] = {"2026-03-02T14:30", "Het verhaal", "Kop", "a", "ernstig", ""};
	int64_t told;
	char bad[80];
	json_t *b = row(s, "salt", col, val, 6, &told, bad);
	assert_non_null(b);
	assert_int_equal(told, 1772461800);
	assert_int_equal(json_integer_value(json_object_get(b, "script_version")), 3);
	assert_string_equal(json_string_value(json_object_get(b, "channel")), "paper");
	assert_string_equal(json_string_value(json_object_get(b, "language")), "nl");
	json_t *a = json_object_get(b, "answers");
	assert_string_equal(json_string_value(json_object_get(json_object_get(a, "v"), "prompt")),
	                    "p1");
	assert_string_equal(json_string_value(json_object_get(json_object_get(a, "v"), "title")),
	                    "Kop");
	assert_null(json_object_get(a, "pro"));
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(b, "professional"), "pro")),
	        "ernstig");
	/* The derived id: a UUID, the same for the same row and salt only. */
	char id1[40], id2[40];
	snprintf(id1, sizeof id1, "%s", json_string_value(json_object_get(b, "id")));
	assert_int_equal(strlen(id1), 36);
	assert_int_equal(id1[14], '8');
	json_decref(b);
	b = row(s, "salt", col, val, 6, &told, bad);
	assert_string_equal(json_string_value(json_object_get(b, "id")), id1);
	json_decref(b);
	b = row(s, "other", col, val, 6, &told, bad);
	snprintf(id2, sizeof id2, "%s", json_string_value(json_object_get(b, "id")));
	assert_string_not_equal(id1, id2);
	json_decref(b);

	char *col2[] = {"id", "told_at"};
	char *val2[] = {"x", "2026-13-01"};
	bad[0] = 0;
	assert_null(row(s, "salt", col2, val2, 2, &told, bad));
	assert_true(strncmp(bad, "told_at", 7) == 0);
	char *col3[] = {"v", "sc"};
	char *val3[] = {"x", "3,5,1"};
	assert_null(row(s, "salt", col3, val3, 2, &told, bad));
	assert_true(strncmp(bad, "sc:", 3) == 0);
}

static void test_header(void **state)
{
	const struct script *s = *state;
	char err[200];
	char *good[] = {"id", "told_at", "channel", "language", "v", "v.prompt", "v.title", "sc"};
	assert_int_equal(story_csv_header(s, good, 8, err, sizeof err), 0);
	char *unknown[] = {"v", "kleur"};
	assert_int_equal(story_csv_header(s, unknown, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "column 2 (kleur)"));
	char *twice[] = {"v", "sc", "v"};
	assert_int_equal(story_csv_header(s, twice, 3, err, sizeof err), -1);
	assert_non_null(strstr(err, "twice"));
	char *note[] = {"sc.note"}; /* only a pin has a note */
	assert_int_equal(story_csv_header(s, note, 1, err, sizeof err), -1);
}

static void test_reader(void **state)
{
	struct csv_table t;
	char err[200];
	const char in[] = "\xef\xbb\xbf"
	                  "a,\"b,c\",\"d\"\"e\"\r\n"
	                  "\r\n"
	                  "1,\"regel\neen\",\n"
	                  "x";
	assert_int_equal(csv_read(in, sizeof in - 1, &t, err, sizeof err), 0);
	assert_int_equal(t.nrows, 4);
	assert_int_equal(t.rows[0].n, 3);
	assert_string_equal(t.rows[0].field[0], "a");
	assert_string_equal(t.rows[0].field[1], "b,c");
	assert_string_equal(t.rows[0].field[2], "d\"e");
	/* The empty line is a blank row: rows count as a spreadsheet shows them. */
	assert_int_equal(t.rows[1].n, 1);
	assert_true(csv_row_blank(&t.rows[1]));
	assert_false(csv_row_blank(&t.rows[0]));
	assert_int_equal(t.rows[2].line, 3);
	assert_string_equal(t.rows[2].field[1], "regel\neen");
	assert_string_equal(t.rows[2].field[2], "");
	assert_int_equal(t.rows[3].line, 5);
	assert_int_equal(t.rows[3].n, 1);
	csv_table_free(&t);

	assert_int_equal(csv_read("a,\"b\nc", 6, &t, err, sizeof err), -1);
	assert_string_equal(err, "line 1: a quoted field is not closed");
	assert_int_equal(csv_read("a\n\"b\"c", 6, &t, err, sizeof err), -1);
	assert_string_equal(err, "line 2: text after the closing quote of a field");
	assert_int_equal(csv_read("", 0, &t, err, sizeof err), 0);
	assert_int_equal(t.nrows, 0);
	csv_table_free(&t);
}

/* A SenseMaker-shaped export of the test script. */
static void test_sensemaker(void **state)
{
	const struct script *s = *state;
	const char in[] = "id,v,c,m_a,m_b,t_percentX,t_x,t_y,t_z,t_NA,d_percentX,d_l,d_NA,"
	                  "st_g_percentX,st_g_percentY,responder_id,server_upload_time,meta_x,"
	                  "m_hidden\n"
	                  "5a0c1e00-b7a1-11ee-9c41-0242ac110003,Tekst,b,1,1,0.5,0.2,0.2,0.6,,"
	                  "0.25,0.75,,0.1,0.9,r1,1705912200999,z,\n"
	                  "eigen-id,Twee,,,1,,,,,1,,,1,,,,,,\n";
	struct csv_table t;
	char err[200];
	assert_int_equal(csv_read(in, sizeof in - 1, &t, err, sizeof err), 0);
	struct sm_data d;
	if (sensemaker_data_read(s, 2, "def", &t, &d, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(d.n, 2);
	char *txt = json_dumps(d.stories[0].body,
	                       JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(6));
	assert_string_equal(txt,
	                    "{\"answers\":{\"c\":\"b\",\"d\":25,\"m\":[\"a\",\"b\"],"
	                    "\"st\":{\"g\":[10,90]},\"t\":[0.2,0.2,0.6],"
	                    "\"v\":{\"prompt\":\"p1\",\"text\":\"Tekst\"}},"
	                    "\"channel\":\"web\",\"id\":\"5a0c1e00-b7a1-11ee-9c41-0242ac110003\","
	                    "\"language\":\"nl\",\"script_version\":2}");
	free(txt);
	assert_int_equal(d.stories[0].created_at, 1705912200);
	assert_string_equal(d.stories[0].responder, "r1");
	assert_int_equal(d.stories[0].row, 2);
	json_t *a = json_object_get(d.stories[1].body, "answers");
	assert_true(json_is_null(json_object_get(a, "t")));
	assert_true(json_is_null(json_object_get(a, "d")));
	assert_null(d.stories[1].responder);
	/* Not a UUID: a derived one, stable. */
	const char *id = json_string_value(json_object_get(d.stories[1].body, "id"));
	assert_int_equal(strlen(id), 36);
	/* meta_x and an item the script lacks are reported. */
	txt = json_dumps(d.skipped, JSON_COMPACT);
	assert_non_null(strstr(txt, "\"column\":\"meta_x\""));
	assert_non_null(strstr(txt, "\"column\":\"m_hidden\""));
	assert_null(strstr(txt, "t_percentX"));
	free(txt);
	sensemaker_data_free(&d);
	csv_table_free(&t);

	const char bad[] = "v,t_x,t_y,t_z\nA,0.5,0.5,\n";
	assert_int_equal(csv_read(bad, sizeof bad - 1, &t, err, sizeof err), 0);
	assert_int_equal(sensemaker_data_read(s, 1, "def", &t, &d, err, sizeof err), -1);
	assert_string_equal(err,
	                    "row 2, question t: a triad needs the weights of its three corners");
	csv_table_free(&t);
	const char two[] = "c_a,c_b\n1,1\n";
	assert_int_equal(csv_read(two, sizeof two - 1, &t, err, sizeof err), 0);
	assert_int_equal(sensemaker_data_read(s, 1, "def", &t, &d, err, sizeof err), -1);
	assert_non_null(strstr(err, "more than one item"));
	csv_table_free(&t);
}

/* Skipping: the rows that cannot be read are listed with row, line,
 * column, question and reason; the others are read. */
static void test_sensemaker_skipping(void **state)
{
	const struct script *s = *state;
	const char in[] = "v,t_x,t_y,t_z,server_upload_time\n"
	                  "\"Een\nmet regel\",0.2,0.2,0.6,\n"
	                  "Twee,0.5,0.5,,\n"
	                  "Drie,,,,12x\n"
	                  "Vier,,,\n"
	                  "Vijf,,,,\n";
	struct csv_table t;
	char err[200];
	assert_int_equal(csv_read(in, sizeof in - 1, &t, err, sizeof err), 0);
	struct sm_data d;
	assert_int_equal(sensemaker_data_read(s, 1, "def", &t, &d, err, sizeof err), -1);
	assert_string_equal(err,
	                    "row 3, question t: a triad needs the weights of its three corners");
	if (sensemaker_data_read_skipping(s, 1, "def", &t, &d, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.stories[0].row, 2);
	assert_int_equal(d.stories[0].line, 2);
	assert_int_equal(d.stories[1].row, 6);
	assert_int_equal(d.stories[1].line, 7);
	char *txt = json_dumps(d.bad, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(
	        txt, "[{\"row\":3,\"line\":4,\"column\":null,\"question\":\"t\",\"reason\":"
	             "\"a triad needs the weights of its three corners\"},"
	             "{\"row\":4,\"line\":5,\"column\":\"server_upload_time\",\"question\":null,"
	             "\"reason\":\"not a time in milliseconds\"},"
	             "{\"row\":5,\"line\":6,\"column\":null,\"question\":null,\"reason\":"
	             "\"4 fields, the header has 5\"}]");
	free(txt);
	sensemaker_data_free(&d);
	csv_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_cells, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_rows, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_header, setup, teardown),
	        cmocka_unit_test(test_reader),
	        cmocka_unit_test_setup_teardown(test_sensemaker, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sensemaker_skipping, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
