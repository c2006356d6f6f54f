/* test_qr.c: QR codes as SVG: size, quiet zone, finder patterns, determinism, refusals. */
#include "testutil.h"

#include "io/qr.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINK "https://vertelpunt.example.nl/v/0123456789abcdef0123456789abcdef"

/* The module grid read back from the SVG's one <path>: side x side cells,
 * quiet zone included; 1 for dark. Returns the grid (free it) or NULL. */
static unsigned char *grid_from_svg(const char *svg, int module_px, int side)
{
	const char *d = strstr(svg, "<path");
	if (!d || strstr(d + 1, "<path"))
		return NULL; /* exactly one path */
	d = strstr(d, " d=\"");
	if (!d)
		return NULL;
	d += 4;
	unsigned char *g = calloc((size_t)side * side, 1);
	while (*d == 'M') {
		double x, y, w, h, w2;
		int n = 0;
		if (sscanf(d, "M%lf %lfh%lfv%lfh-%lfz%n", &x, &y, &w, &h, &w2, &n) != 5 || !n ||
		    w != w2 || h != module_px) {
			free(g);
			return NULL;
		}
		int cx = (int)x / module_px, cy = (int)y / module_px, cw = (int)w / module_px;
		if ((int)x % module_px || (int)y % module_px || (int)w % module_px || cx < 0 ||
		    cy < 0 || cx + cw > side || cy >= side) {
			free(g);
			return NULL;
		}
		for (int i = 0; i < cw; i++)
			g[cy * side + cx + i] = 1;
		d += n;
	}
	if (*d != '"') {
		free(g);
		return NULL;
	}
	return g;
}

/* A finder pattern (7 x 7: dark ring, light ring, dark 3 x 3 centre) with
 * its top-left module at (x, y), and its light separator inside the grid. */
static int finder_at(const unsigned char *g, int side, int x, int y)
{
	for (int j = -1; j <= 7; j++)
		for (int i = -1; i <= 7; i++) {
			int gx = x + i, gy = y + j;
			if (gx < 0 || gy < 0 || gx >= side || gy >= side)
				continue;
			int want;
			if (i < 0 || j < 0 || i > 6 || j > 6)
				want = 0; /* separator */
			else if (i == 0 || j == 0 || i == 6 || j == 6)
				want = 1;
			else if (i == 1 || j == 1 || i == 5 || j == 5)
				want = 0;
			else
				want = 1;
			if (g[gy * side + gx] != want)
				return 0;
		}
	return 1;
}

static void test_structure(void **state)
{
	for (int px = 1; px <= 8; px += 7) {
		QRcode *q = QRcode_encodeString(LINK, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
		assert_non_null(q);
		int version = q->version;
		QRcode_free(q);
		buf b;
		buf_init(&b);
		assert_int_equal(qr_svg(&b, LINK, px), version);
		int width = version * 4 + 17;
		int side = width + 2 * QR_QUIET;
		char want[160];
		snprintf(want, sizeof want, "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\"",
		         side * px, side * px, side * px, side * px);
		assert_non_null(strstr(b.data, want));
		assert_non_null(strstr(b.data, "role=\"img\""));
		assert_non_null(strstr(b.data, "<title>" LINK "</title>"));
		assert_true(strncmp(b.data, "<svg ", 5) == 0);
		assert_true(strcmp(b.data + b.len - 6, "</svg>") == 0);
		unsigned char *g = grid_from_svg(b.data, px, side);
		assert_non_null(g);
		/* The quiet zone is empty. */
		for (int y = 0; y < side; y++)
			for (int x = 0; x < side; x++)
				if (x < QR_QUIET || y < QR_QUIET || x >= side - QR_QUIET ||
				    y >= side - QR_QUIET)
					assert_int_equal(g[y * side + x], 0);
		/* Finder patterns: top left, top right, bottom left; not bottom right. */
		assert_true(finder_at(g, side, QR_QUIET, QR_QUIET));
		assert_true(finder_at(g, side, QR_QUIET + width - 7, QR_QUIET));
		assert_true(finder_at(g, side, QR_QUIET, QR_QUIET + width - 7));
		assert_false(finder_at(g, side, QR_QUIET + width - 7, QR_QUIET + width - 7));
		/* Timing pattern on row 6 between the top finders: alternating. */
		for (int x = 8; x < width - 8; x++)
			assert_int_equal(g[(QR_QUIET + 6) * side + QR_QUIET + x], x % 2 == 0);
		free(g);
		buf_free(&b);
	}
}

static void test_deterministic(void **state)
{
	buf a, b;
	buf_init(&a);
	buf_init(&b);
	assert_true(qr_svg(&a, LINK, 4) > 0);
	assert_true(qr_svg(&b, LINK, 4) > 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	/* Another text gives another picture. */
	buf_reset(&b);
	assert_true(qr_svg(&b, LINK "x", 4) > 0);
	assert_false(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	buf_free(&a);
	buf_free(&b);
}

static void test_title_escaped(void **state)
{
	buf b;
	buf_init(&b);
	assert_true(qr_svg(&b, "https://x.nl/?a=1&b=<script>\"", 2) > 0);
	assert_non_null(strstr(b.data, "<title>https://x.nl/?a=1&amp;b=&lt;script&gt;&quot;"));
	assert_null(strstr(b.data, "<script"));
	buf_free(&b);
}

static void test_refusals(void **state)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, "before");
	size_t n = b.len;
	char *long_text = malloc(4001);
	memset(long_text, 'a', 4000);
	long_text[4000] = 0;
	assert_int_equal(qr_svg(&b, long_text, 4), -1);
	/* Just over what level M holds in byte mode (2331 bytes). */
	long_text[2332] = 0;
	assert_int_equal(qr_svg(&b, long_text, 4), -1);
	long_text[2331] = 0;
	assert_int_equal(qr_svg(&b, long_text, 1), 40);
	b.len = n;
	b.data[n] = 0;
	free(long_text);
	assert_int_equal(qr_svg(&b, "", 4), -1);
	assert_int_equal(qr_svg(&b, NULL, 4), -1);
	assert_int_equal(qr_svg(&b, LINK, 0), -1);
	assert_int_equal(qr_svg(&b, LINK, QR_MODULE_MAX + 1), -1);
	assert_int_equal(b.len, n);
	assert_string_equal(b.data, "before");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_structure),
	        cmocka_unit_test(test_deterministic),
	        cmocka_unit_test(test_title_escaped),
	        cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests_name("qr", tests, NULL, NULL);
}
