/* fuzz_json.c: libFuzzer target for parse_json_body, checked against jansson alone. */
#include "http/parse.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Number of nested containers: {} is 1. */
static int depth(const json_t *j)
{
	int d = 0;
	if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)j, k, v)
		{
			int e = depth(v);
			d = e > d ? e : d;
		}
		return d + 1;
	}
	if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
		{
			int e = depth(v);
			d = e > d ? e : d;
		}
		return d + 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = (json_t *)1;
	const char *err = NULL;
	int r = parse_json_body((const char *)data, size, &j, &err);

	/* What jansson alone says about the same bytes. */
	json_error_t jerr;
	json_t *ref = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	                         &jerr);
	int ref_ok = ref && json_is_object(ref) && depth(ref) <= PARSE_MAX_JSON_DEPTH;

	if (r == 0) {
		if (!j || !json_is_object(j) || depth(j) > PARSE_MAX_JSON_DEPTH || !ref_ok)
			abort();
		if (!json_equal(j, ref))
			abort();
		/* Round trip through jansson's encoder. */
		char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!s)
			abort();
		json_t *again = json_loads(s, JSON_REJECT_DUPLICATES, &jerr);
		if (!again || !json_equal(j, again))
			abort();
		json_decref(again);
		free(s);
		json_decref(j);
	} else {
		if (r != -1 || j != NULL || !err || ref_ok)
			abort();
	}
	json_decref(ref);
	return 0;
}
