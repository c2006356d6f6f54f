/* test_svg.c: the SVG emitters escape every string and clamp every number. */
#include "testutil.h"

#include "web/svg.h"

#include <math.h>
#include <string.h>

static void test_document(void **state)
{
	buf b;
	buf_init(&b);
	svg_begin(&b, 200, 100.5, "Stories <per> quarter", "A & B");
	svg_end(&b);
	assert_string_equal(
	        b.data, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 200 "
	                "100.5\" width=\"200\" height=\"100.5\"><title>Stories &lt;per&gt; "
	                "quarter</title><desc>A &amp; B</desc></svg>");
	buf_free(&b);
}

static void test_shapes_escape_and_clamp(void **state)
{
	buf b;
	buf_init(&b);
	svg_rect(&b, 1, 2, -3, NAN, "bar\" onload=\"x");
	assert_string_equal(b.data, "<rect x=\"1\" y=\"2\" width=\"0\" height=\"0\" "
	                            "class=\"bar&quot; onload=&quot;x\"/>");
	buf_reset(&b);
	svg_circle(&b, INFINITY, 0.12345, 2, NULL);
	assert_string_equal(b.data, "<circle cx=\"0\" cy=\"0.123\" r=\"2\"/>");
	buf_reset(&b);
	svg_line(&b, 0, 0, 10.5, -2, "axis");
	assert_string_equal(b.data,
	                    "<line x1=\"0\" y1=\"0\" x2=\"10.5\" y2=\"-2\" class=\"axis\"/>");
	buf_reset(&b);
	double xy[] = {0, 0, 1, 2, 3.25, 4};
	svg_path(&b, xy, 3, 1, "area");
	assert_string_equal(b.data, "<polygon points=\"0,0 1,2 3.25,4\" class=\"area\"/>");
	buf_reset(&b);
	svg_path(&b, xy, 2, 0, NULL);
	assert_string_equal(b.data, "<polyline points=\"0,0 1,2\"/>");
	buf_free(&b);
}

static void test_text(void **state)
{
	buf b;
	buf_init(&b);
	svg_text(&b, 5, 6, "middle", "label", "<script>alert('x')</script>");
	assert_string_equal(b.data, "<text x=\"5\" y=\"6\" text-anchor=\"middle\" class=\"label\">"
	                            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</text>");
	buf_reset(&b);
	svg_text(&b, 0, 0, "evil\"", NULL, NULL);
	assert_string_equal(b.data, "<text x=\"0\" y=\"0\"></text>");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_document),
	        cmocka_unit_test(test_shapes_escape_and_clamp),
	        cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests_name("svg", tests, NULL, NULL);
}
