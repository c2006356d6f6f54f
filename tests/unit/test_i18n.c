/* test_i18n.c: unit tests of message lookup in the embedded gettext catalogs. */
#include "testutil.h"

#include "web/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_known(void **state)
{
	assert_string_equal(i18n_get("nl", "Log in"), "Inloggen");
	assert_string_equal(i18n_get("en", "Log in"), "Log in");
	assert_string_equal(i18n_get("nl", "Log out"), "Uitloggen");
	assert_string_equal(i18n_get("nl", "Password"), "Wachtwoord");
	assert_string_equal(i18n_get("nl", "A password has at least 12 characters."),
	                    "Een wachtwoord heeft minstens 12 tekens.");
}

static void test_unknown_msgid(void **state)
{
	const char *id = "No such message, surely";
	assert_ptr_equal(i18n_get("nl", id), id);
	assert_ptr_equal(i18n_get("en", id), id);
	/* Close to a real msgid is not the msgid. */
	assert_string_equal(i18n_get("nl", "Log in "), "Log in ");
	assert_string_equal(i18n_get("nl", "log in"), "log in");
}

static void test_unknown_lang(void **state)
{
	const char *id = "Log in";
	assert_ptr_equal(i18n_get("de", id), id);
	assert_ptr_equal(i18n_get("", id), id);
	assert_ptr_equal(i18n_get("NL", id), id);
	assert_ptr_equal(i18n_get("nl-NL", id), id);
	assert_ptr_equal(i18n_get(NULL, id), id);
	assert_null(i18n_get("nl", NULL));
}

/* The empty msgid holds the catalog's header in a .mo file; it is no
 * message and must not leak into a page. */
static void test_empty_msgid(void **state)
{
	assert_string_equal(i18n_get("nl", ""), "");
	assert_string_equal(i18n_get("en", ""), "");
}

static void test_has(void **state)
{
	assert_true(i18n_has("nl"));
	assert_true(i18n_has("en"));
	assert_false(i18n_has("de"));
	assert_false(i18n_has(""));
	assert_false(i18n_has(NULL));
	assert_false(i18n_has("NL"));
	assert_false(i18n_has("nl-NL"));
	assert_false(i18n_has("e"));
}

static void test_negotiate(void **state)
{
	/* Dutch first, whatever the browser says (see i18n.h). */
	assert_string_equal(i18n_negotiate(NULL), "nl");
	assert_string_equal(i18n_negotiate("en-US,en;q=0.9"), "nl");
	assert_string_equal(i18n_negotiate("nl"), "nl");
}

/* Reads one quoted PO string starting at p (after the opening quote). */
static void po_unquote(const char *p, char *out, size_t cap)
{
	size_t k = 0;
	for (; *p && *p != '"' && k + 1 < cap; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			out[k++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
		} else {
			out[k++] = *p;
		}
	}
	out[k] = '\0';
}

/* Every single-line entry of po/LANG.po is found in the embedded catalog:
 * checks the binary search over all the sorted msgids, not a few. */
static void check_po(const char *lang)
{
	char path[64];
	snprintf(path, sizeof path, "po/%s.po", lang);
	FILE *fp = fopen(path, "r");
	if (!fp) {
		print_message("%s not found (run from the repository root)\n", path);
		skip();
	}
	char line[4096], id[4096] = "", str[4096];
	int have_id = 0, checked = 0;
	while (fgets(line, sizeof line, fp)) {
		if (strncmp(line, "msgid \"", 7) == 0) {
			po_unquote(line + 7, id, sizeof id);
			have_id = 1;
		} else if (have_id && strncmp(line, "msgstr \"", 8) == 0) {
			po_unquote(line + 8, str, sizeof str);
			have_id = 0;
			if (!id[0])
				continue; /* the header */
			const char *want = str[0] ? str : id;
			const char *got = i18n_get(lang, id);
			if (strcmp(got, want) != 0)
				fail_msg("%s: \"%s\" -> \"%s\", want \"%s\"", lang, id, got, want);
			checked++;
		}
	}
	fclose(fp);
	assert_true(checked > 10);
}

static void test_whole_catalog_nl(void **state)
{
	check_po("nl");
}

static void test_whole_catalog_en(void **state)
{
	check_po("en");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_known),
	        cmocka_unit_test(test_unknown_msgid),
	        cmocka_unit_test(test_unknown_lang),
	        cmocka_unit_test(test_empty_msgid),
	        cmocka_unit_test(test_has),
	        cmocka_unit_test(test_negotiate),
	        cmocka_unit_test(test_whole_catalog_nl),
	        cmocka_unit_test(test_whole_catalog_en),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
