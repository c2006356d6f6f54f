/* fuzz_script.c: libFuzzer target for the script reader: never crashes, and what it accepts round-trips byte for byte and lints. */
#include "model/script.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	struct script *s = script_parse_text((const char *)data, size, err, sizeof err);
	if (!s) {
		/* A refusal always says why. */
		if (!err[0])
			abort();
		return 0;
	}
	/* Canonical: emit, parse, emit gives the same bytes. */
	buf a, b;
	buf_init(&a);
	buf_init(&b);
	script_emit(s, &a);
	struct script *t = script_parse_text(a.data, a.len, err, sizeof err);
	if (!t)
		abort();
	script_emit(t, &b);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
		abort();
	struct lint_result lr;
	script_lint(t, &lr);
	buf lj;
	buf_init(&lj);
	lint_result_json(&lr, &lj);
	json_t *parsed = json_loadb(lj.data, lj.len, 0, NULL);
	if (!parsed || (size_t)lr.n != json_array_size(parsed))
		abort();
	json_decref(parsed);
	lint_result_free(&lr);
	/* The empty answers object is checked without harm. */
	json_t *answers = json_object();
	struct answer_error e;
	script_check_answers(t, answers, PERSPECTIVE_TELLER | PERSPECTIVE_PROFESSIONAL, &e);
	json_decref(answers);
	buf_free(&lj);
	buf_free(&a);
	buf_free(&b);
	script_free(t);
	script_free(s);
	return 0;
}
