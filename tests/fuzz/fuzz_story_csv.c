/* fuzz_story_csv.c: libFuzzer target for the CSV reader and the story CSV decoding: never crashes, every row decodes or is refused with a column named. */
#include "io/csv.h"
#include "io/story_csv.h"
#include "model/script.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One question of every type a CSV cell can answer. */
static const char script_text[] =
        "{\"format\":\"vertelpunt-script/1\",\"key\":\"f\",\"title\":{\"nl\":\"F\"},\"privacy\":"
        "{\"nl\":\"P\"},\"sections\":[{\"id\":\"s\",\"questions\":["
        "{\"id\":\"v\",\"type\":\"story\",\"text\":{\"nl\":\"V\"},\"prompts\":[{\"id\":\"p\","
        "\"text\":{\"nl\":\"P\"}}]},"
        "{\"id\":\"t\",\"type\":\"text\",\"text\":{\"nl\":\"T\"}},"
        "{\"id\":\"c\",\"type\":\"choice\",\"text\":{\"nl\":\"C\"},\"options\":[{\"id\":\"a\","
        "\"label\":{\"nl\":\"A\"}},{\"id\":\"b\",\"label\":{\"nl\":\"B\"}}],\"other\":{\"nl\":"
        "\"O\"}},"
        "{\"id\":\"m\",\"type\":\"multi\",\"text\":{\"nl\":\"M\"},\"options\":[{\"id\":\"a\","
        "\"label\":{\"nl\":\"A\"}},{\"id\":\"b\",\"label\":{\"nl\":\"B\"}}],\"other\":{\"nl\":"
        "\"O\"}},"
        "{\"id\":\"sc\",\"type\":\"scale\",\"text\":{\"nl\":\"S\"},\"points\":5,\"low\":{\"nl\":"
        "\"L\"},\"high\":{\"nl\":\"H\"}},"
        "{\"id\":\"d\",\"type\":\"dyad\",\"text\":{\"nl\":\"D\"},\"not_applicable\":true,"
        "\"poles\":[{\"id\":\"l\",\"label\":{\"nl\":\"L\"}},{\"id\":\"r\",\"label\":{\"nl\":"
        "\"R\"}}]},"
        "{\"id\":\"tr\",\"type\":\"triad\",\"text\":{\"nl\":\"T\"},\"corners\":[{\"id\":\"x\","
        "\"label\":{\"nl\":\"X\"}},{\"id\":\"y\",\"label\":{\"nl\":\"Y\"}},{\"id\":\"z\","
        "\"label\":{\"nl\":\"Z\"}}]},"
        "{\"id\":\"st\",\"type\":\"stones\",\"text\":{\"nl\":\"S\"},\"stones\":[{\"id\":\"k\","
        "\"label\":{\"nl\":\"K\"}}],\"x\":{},\"y\":{}},"
        "{\"id\":\"pi\",\"type\":\"pin\",\"text\":{\"nl\":\"P\"},\"image\":\"img\"},"
        "{\"id\":\"da\",\"type\":\"date\",\"text\":{\"nl\":\"D\"}},"
        "{\"id\":\"n\",\"type\":\"number\",\"text\":{\"nl\":\"N\"}}]}]}";

static struct script *script;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	if (!script) {
		script = script_parse_text(script_text, strlen(script_text), err, sizeof err);
		if (!script)
			abort();
	}
	struct csv_table t;
	if (csv_read((const char *)data, size, &t, err, sizeof err) != 0) {
		if (!err[0])
			abort();
		return 0;
	}
	if (t.nrows > 0 &&
	    story_csv_header(script, t.rows[0].field, t.rows[0].n, err, sizeof err) == 0) {
		for (size_t i = 1; i < t.nrows; i++) {
			if (t.rows[i].n != t.rows[0].n || csv_row_blank(&t.rows[i]))
				continue;
			char bad[80] = "";
			int64_t told = 0;
			json_t *row =
			        story_csv_row(script, 1, "fuzz", t.rows[0].field, t.rows[i].field,
			                      t.rows[0].n, &told, bad, sizeof bad, err, sizeof err);
			if (!row && !bad[0] && !err[0])
				abort(); /* a refusal always says where and why */
			json_decref(row);
		}
	}
	/* Every cell of the first row, decoded for every question type. */
	if (t.nrows > 0)
		for (size_t k = 0; k < t.rows[0].n; k++)
			for (int q = 1; q < script->nquestions; q++) {
				json_t *out = NULL;
				if (story_csv_cell(script->questions[q], t.rows[0].field[k], &out,
				                   err, sizeof err) == 0)
					json_decref(out);
			}
	csv_table_free(&t);
	return 0;
}
