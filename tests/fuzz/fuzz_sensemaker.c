/* fuzz_sensemaker.c: libFuzzer target for sensemaker_to_script: any JSON in; a refusal, or a canonical script the reader takes. */
#include "io/sensemaker.h"
#include "model/script.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The reader's limits (script.c) are the only reason an imported script
 * may be refused: a text of more than 20000 characters, a list of more
 * than 200 items, more than 500 questions or 100 sections. Anything else
 * is a defect of the importer. */
static int limit_message(const char *err)
{
	return strstr(err, "at most 20000 characters") || strstr(err, " to 200 entries") ||
	       strstr(err, "more than 500 questions") || strstr(err, "more than 100 sections");
}

static void check(json_t *def, json_t *layout)
{
	char err[512];
	buf report;
	buf_init(&report);
	json_t *out = sensemaker_to_script_layout(def, layout, &report, err, sizeof err);
	if (!out) {
		/* A refusal names its place and writes no report. */
		if (!err[0] || report.len)
			abort();
		buf_free(&report);
		return;
	}
	json_error_t jerr;
	json_t *r = json_loadb(report.data, report.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!r || !json_is_integer(json_object_get(r, "imported")) ||
	    !json_is_array(json_object_get(r, "skipped")) ||
	    !json_is_array(json_object_get(r, "notes")))
		abort();
	json_decref(r);
	buf_free(&report);

	struct script *s = script_parse(out, err, sizeof err);
	if (!s) {
		if (!limit_message(err))
			abort();
		json_decref(out);
		return;
	}
	/* Already canonical: the writer gives back the very same text. */
	char *mine =
	        json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	buf emitted;
	buf_init(&emitted);
	script_emit(s, &emitted);
	size_t n = mine ? strlen(mine) : 0;
	if (!mine || emitted.len != n + 1 || memcmp(emitted.data, mine, n) != 0)
		abort();
	free(mine);
	buf_free(&emitted);
	script_free(s);
	json_decref(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *def = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	                         &jerr);
	if (!def)
		return 0;
	check(def, NULL);
	/* A seed may carry a layout under "fuzz_layout" (an unknown key the
	 * importer ignores otherwise) to reach the layout's code too. */
	json_t *layout = json_object_get(def, "fuzz_layout");
	if (layout)
		check(def, layout);
	json_decref(def);
	return 0;
}
