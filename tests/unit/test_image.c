/* test_image.c: unit tests of io/image.c: sniffing, polyglots, re-encoding without metadata, limits, damaged input. */
#include "testutil.h"

#include "core/buf.h"
#include "io/image.h"

#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

/* ---- making test images -------------------------------------------------- */

/* A w x h image of bands 8-bit bands with a pattern, saved as PNG or JPEG
 * (g_malloc'd, *len bytes). */
static unsigned char *make_image(enum image_type t, int w, int h, int bands, size_t *len)
{
	size_t n = (size_t)w * h * bands;
	unsigned char *px = malloc(n);
	assert_non_null(px);
	for (size_t i = 0; i < n; i++)
		px[i] = (unsigned char)((i * 7) ^ (i / 13));
	VipsImage *img = vips_image_new_from_memory_copy(px, n, w, h, bands, VIPS_FORMAT_UCHAR);
	free(px);
	assert_non_null(img);
	void *out = NULL;
	int rc = t == IMAGE_PNG ? vips_pngsave_buffer(img, &out, len, NULL)
	                        : vips_jpegsave_buffer(img, &out, len, NULL);
	g_object_unref(img);
	assert_int_equal(rc, 0);
	return out;
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xffffffffu;
}

static void put_be32(buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
	                      (unsigned char)(v >> 8), (unsigned char)v};
	buf_append(b, x, 4);
}

/* png with one more chunk right after IHDR. */
static void png_with_chunk(const unsigned char *png, size_t len, const char *type, const void *data,
                           size_t n, buf *out)
{
	buf_init(out);
	buf_append(out, png, 33); /* signature + IHDR */
	put_be32(out, (uint32_t)n);
	size_t at = out->len;
	buf_append(out, type, 4);
	buf_append(out, data, n);
	put_be32(out, crc32_of((const unsigned char *)out->data + at, 4 + n));
	buf_append(out, png + 33, len - 33);
}

/* jpeg with one more segment right after SOI. */
static void jpeg_with_segment(const unsigned char *jpg, size_t len, unsigned char marker,
                              const void *data, size_t n, buf *out)
{
	buf_init(out);
	buf_append(out, jpg, 2);
	unsigned char h[4] = {0xff, marker, (unsigned char)((n + 2) >> 8), (unsigned char)(n + 2)};
	buf_append(out, h, 4);
	buf_append(out, data, n);
	buf_append(out, jpg + 2, len - 2);
}

static void le16(buf *b, unsigned v)
{
	unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
	buf_append(b, x, 2);
}

static void le32(buf *b, uint32_t v)
{
	le16(b, v & 0xffff);
	le16(b, v >> 16);
}

static void ifd_entry(buf *b, unsigned tag, unsigned type, uint32_t count, uint32_t value)
{
	le16(b, tag);
	le16(b, type);
	le32(b, count);
	le32(b, value);
}

/* An APP1 payload: "Exif\0\0" and a little-endian TIFF with IFD0 (Make,
 * Orientation when orient > 0, a GPS pointer) and a GPS IFD (version,
 * latitude N 52 5 0). */
static void make_exif(buf *b, const char *make, int orient)
{
	buf t;
	buf_init(&t);
	int n0 = orient > 0 ? 3 : 2;
	uint32_t ifd0 = 8, ifd0_end = ifd0 + 2 + 12 * (uint32_t)n0 + 4;
	uint32_t gps = ifd0_end, gps_end = gps + 2 + 12 * 3 + 4;
	uint32_t make_at = gps_end, make_len = (uint32_t)strlen(make) + 1;
	uint32_t lat_at = make_at + make_len + (make_len & 1);
	buf_append(&t, "II*\0", 4);
	le32(&t, ifd0);
	le16(&t, (unsigned)n0);
	ifd_entry(&t, 0x010f, 2, make_len, make_at); /* Make, ASCII */
	if (orient > 0)
		ifd_entry(&t, 0x0112, 3, 1, (uint32_t)orient); /* Orientation, SHORT */
	ifd_entry(&t, 0x8825, 4, 1, gps);                      /* GPS IFD, LONG */
	le32(&t, 0);
	le16(&t, 3);
	ifd_entry(&t, 0x0000, 1, 4, 0x00000202); /* GPSVersionID 2.2.0.0 */
	ifd_entry(&t, 0x0001, 2, 2, 'N');        /* GPSLatitudeRef "N" */
	ifd_entry(&t, 0x0002, 5, 3, lat_at);     /* GPSLatitude, 3 RATIONAL */
	le32(&t, 0);
	buf_append(&t, make, make_len);
	if (make_len & 1)
		buf_putc(&t, '\0');
	uint32_t lat[6] = {52, 1, 5, 1, 0, 1};
	for (int i = 0; i < 6; i++)
		le32(&t, lat[i]);
	buf_init(b);
	buf_append(b, "Exif\0\0", 6);
	buf_append(b, t.data, t.len);
	buf_free(&t);
}

static int has(const void *hay, size_t n, const char *needle, size_t m)
{
	return memmem(hay, n, needle, m) != NULL;
}

static int setup(void **state)
{
	return image_init();
}

/* ---- sniffing ------------------------------------------------------------ */

static void test_sniff_magic(void **state)
{
	size_t pl, jl;
	unsigned char *png = make_image(IMAGE_PNG, 8, 8, 3, &pl);
	unsigned char *jpg = make_image(IMAGE_JPEG, 8, 8, 3, &jl);
	assert_int_equal(image_sniff(png, pl), IMAGE_PNG);
	assert_int_equal(image_sniff(jpg, jl), IMAGE_JPEG);
	assert_int_equal(image_has_markup(png, pl), 0);
	assert_int_equal(image_has_markup(jpg, jl), 0);
	/* Too short, empty, nothing. */
	assert_int_equal(image_sniff(png, 15), IMAGE_UNKNOWN);
	assert_int_equal(image_sniff(jpg, 2), IMAGE_UNKNOWN);
	assert_int_equal(image_sniff(png, 0), IMAGE_UNKNOWN);
	assert_int_equal(image_sniff(NULL, 0), IMAGE_UNKNOWN);
	/* The PNG signature alone, without IHDR after it. */
	unsigned char sig[24] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
	                         0,    0,   0,   13,  'I',  'D',  'A',  'T'};
	assert_int_equal(image_sniff(sig, sizeof sig), IMAGE_UNKNOWN);
	/* Other formats. */
	const char *others[] = {"GIF89a\x01\0\x01\0\0\0\0", "BM\x3a\0\0\0\0\0\0\0\x36\0\0\0",
	                        "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "RIFF\x24\0\0\0WEBPVP8 ",
	                        "II*\0\x08\0\0\0\0\0\0\0"};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		assert_int_equal(image_sniff(others[i], 16), IMAGE_UNKNOWN);
	assert_string_equal(image_mime(IMAGE_PNG), "image/png");
	assert_string_equal(image_mime(IMAGE_JPEG), "image/jpeg");
	assert_null(image_mime(IMAGE_UNKNOWN));
	g_free(png);
	g_free(jpg);
}

static void test_sniff_svg_and_html(void **state)
{
	const char *texts[] = {
	        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
	        "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>",
	        "\xef\xbb\xbf<svg onload=alert(1)>",
	        "<!DOCTYPE html><html><body>hi</body></html>",
	        "<html><img src=x onerror=alert(1)>",
	        "just a text file that someone named plan.png\n",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		assert_int_equal(image_sniff(texts[i], strlen(texts[i])), IMAGE_UNKNOWN);
	assert_true(image_has_markup(texts[0], strlen(texts[0])));
	assert_true(image_has_markup(texts[3], strlen(texts[3])));
	assert_false(image_has_markup(texts[5], strlen(texts[5])));
}

static void test_polyglots(void **state)
{
	size_t pl, jl;
	unsigned char *png = make_image(IMAGE_PNG, 16, 16, 3, &pl);
	unsigned char *jpg = make_image(IMAGE_JPEG, 16, 16, 3, &jl);
	buf b;

	/* Markup right after the PNG header, as in the classic polyglot. */
	buf_init(&b);
	buf_append(&b, png, 33);
	buf_puts(&b, "<html><script>alert(document.cookie)</script></html>");
	assert_int_equal(image_sniff(b.data, b.len), IMAGE_UNKNOWN);
	buf_free(&b);

	/* In a tEXt chunk, in upper case. */
	const char text[] = "Comment\0<SCRIPT>alert(1)</SCRIPT>";
	png_with_chunk(png, pl, "tEXt", text, sizeof text - 1, &b);
	assert_int_equal(image_sniff(b.data, b.len), IMAGE_UNKNOWN);
	buf_free(&b);

	/* Deep inside a long tEXt chunk (past the first KiB). */
	buf pad;
	buf_init(&pad);
	buf_append(&pad, "Comment\0", 8);
	for (int i = 0; i < 300; i++)
		buf_puts(&pad, "abcd");
	buf_puts(&pad, "<svg/onload=alert(1)>");
	png_with_chunk(png, pl, "tEXt", pad.data, pad.len, &b);
	assert_true(b.len > 1200);
	assert_int_equal(image_sniff(b.data, b.len), IMAGE_UNKNOWN);
	buf_free(&b);
	buf_free(&pad);

	/* Appended after IEND. */
	buf_init(&b);
	buf_append(&b, png, pl);
	buf_puts(&b, "<iframe src=//evil.example>");
	assert_int_equal(image_sniff(b.data, b.len), IMAGE_UNKNOWN);
	buf_free(&b);

	/* A JPEG comment segment. */
	const char com[] = "<!doctype html><p>hello";
	jpeg_with_segment(jpg, jl, 0xfe, com, sizeof com - 1, &b);
	assert_int_equal(image_sniff(b.data, b.len), IMAGE_UNKNOWN);
	buf_free(&b);

	/* Appended to a JPEG. */
	buf_init(&b);
	buf_append(&b, jpg, jl);
	buf_puts(&b, "<body onload=alert(1)>");
	assert_int_equal(image_sniff(b.data, b.len), IMAGE_UNKNOWN);
	buf_free(&b);

	/* Harmless text in a chunk is fine, and so is "<abc": a short tag
	 * counts only when it ends. */
	const char ok[] = "Comment\0a < b, <abc and <pre";
	png_with_chunk(png, pl, "tEXt", ok, sizeof ok - 1, &b);
	assert_int_equal(image_sniff(b.data, b.len), IMAGE_PNG);
	buf_free(&b);
	g_free(png);
	g_free(jpg);
}

/* ---- re-encoding --------------------------------------------------------- */

static void test_reencode_png(void **state)
{
	size_t pl;
	unsigned char *png = make_image(IMAGE_PNG, 40, 30, 3, &pl);
	buf out;
	buf_init(&out);
	struct image_info info;
	const char *err = "x";
	assert_int_equal(image_reencode(png, pl, 1 << 20, 10000, &out, &info, &err), IMAGE_OK);
	assert_null(err);
	assert_int_equal(info.type, IMAGE_PNG);
	assert_int_equal(info.width, 40);
	assert_int_equal(info.height, 30);
	assert_int_equal(image_sniff(out.data, out.len), IMAGE_PNG);
	buf_free(&out);
	g_free(png);
}

static void test_reencode_kinds(void **state)
{
	/* Grey, grey with alpha, RGBA PNG; grey JPEG: the type is kept. */
	struct {
		enum image_type t;
		int bands;
	} kinds[] = {{IMAGE_PNG, 1}, {IMAGE_PNG, 2}, {IMAGE_PNG, 4}, {IMAGE_JPEG, 1}};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		size_t len;
		unsigned char *img = make_image(kinds[i].t, 17, 9, kinds[i].bands, &len);
		buf out;
		buf_init(&out);
		struct image_info info;
		const char *err;
		assert_int_equal(image_reencode(img, len, 1 << 20, 1000, &out, &info, &err),
		                 IMAGE_OK);
		assert_int_equal(info.type, kinds[i].t);
		assert_int_equal(image_sniff(out.data, out.len), kinds[i].t);
		assert_int_equal(info.width, 17);
		assert_int_equal(info.height, 9);
		buf_free(&out);
		g_free(img);
	}
	/* 16 bits per sample. */
	VipsImage *a = NULL, *b = NULL;
	assert_int_equal(vips_black(&a, 5, 4, "bands", 3, NULL), 0);
	assert_int_equal(vips_cast(a, &b, VIPS_FORMAT_USHORT, NULL), 0);
	void *p;
	size_t len;
	assert_int_equal(vips_pngsave_buffer(b, &p, &len, "bitdepth", 16, NULL), 0);
	g_object_unref(a);
	g_object_unref(b);
	buf out;
	buf_init(&out);
	struct image_info info;
	const char *err;
	assert_int_equal(image_reencode(p, len, 1 << 20, 1000, &out, &info, &err), IMAGE_OK);
	assert_int_equal(info.width, 5);
	buf_free(&out);
	g_free(p);
}

static void test_reencode_strips_exif_and_gps(void **state)
{
	size_t jl;
	unsigned char *jpg = make_image(IMAGE_JPEG, 32, 24, 3, &jl);
	buf exif, in, com;
	make_exif(&exif, "VPTestMake", 0);
	jpeg_with_segment(jpg, jl, 0xe1, exif.data, exif.len, &com);
	const char comment[] = "taken at Stadhuisplein 1";
	jpeg_with_segment((unsigned char *)com.data, com.len, 0xfe, comment, sizeof comment - 1,
	                  &in);

	/* The input really carries EXIF with a GPS position: libvips reads it. */
	VipsImage *v = vips_image_new_from_buffer(in.data, in.len, "", NULL);
	assert_non_null(v);
	const char *s = NULL;
	assert_int_equal(vips_image_get_string(v, "exif-ifd0-Make", &s), 0);
	assert_non_null(strstr(s, "VPTestMake"));
	assert_int_equal(vips_image_get_string(v, "exif-ifd3-GPSLatitudeRef", &s), 0);
	assert_non_null(strstr(s, "N"));
	g_object_unref(v);
	assert_true(has(in.data, in.len, "Exif", 4));

	buf out;
	buf_init(&out);
	struct image_info info;
	const char *err;
	assert_int_equal(image_reencode(in.data, in.len, 1 << 20, 10000, &out, &info, &err),
	                 IMAGE_OK);
	assert_int_equal(info.type, IMAGE_JPEG);
	assert_int_equal(info.width, 32);
	assert_int_equal(info.height, 24);
	assert_false(has(out.data, out.len, "Exif", 4));
	assert_false(has(out.data, out.len, "VPTestMake", 10));
	assert_false(has(out.data, out.len, "Stadhuisplein", 13));
	assert_false(has(out.data, out.len, "\xff\xe1", 2)); /* no APP1 (EXIF, XMP) */
	assert_false(has(out.data, out.len, "\xff\xfe", 2)); /* no comment */
	v = vips_image_new_from_buffer(out.data, out.len, "", NULL);
	assert_non_null(v);
	assert_int_equal(vips_image_get_typeof(v, VIPS_META_EXIF_NAME), 0);
	assert_int_equal(vips_image_get_typeof(v, "exif-ifd3-GPSLatitude"), 0);
	g_object_unref(v);
	buf_free(&out);
	buf_free(&in);
	buf_free(&com);
	buf_free(&exif);
	g_free(jpg);
}

static void test_reencode_strips_png_text(void **state)
{
	size_t pl;
	unsigned char *png = make_image(IMAGE_PNG, 12, 12, 3, &pl);
	const char text[] = "Comment\0home of Jan Jansen, Dorpsstraat 3";
	buf in, in2, exif;
	png_with_chunk(png, pl, "tEXt", text, sizeof text - 1, &in);
	make_exif(&exif, "VPTestMake", 0);
	png_with_chunk((unsigned char *)in.data, in.len, "eXIf", exif.data + 6, exif.len - 6, &in2);
	buf out;
	buf_init(&out);
	struct image_info info;
	const char *err;
	assert_int_equal(image_reencode(in2.data, in2.len, 1 << 20, 10000, &out, &info, &err),
	                 IMAGE_OK);
	assert_int_equal(info.type, IMAGE_PNG);
	assert_false(has(out.data, out.len, "Jansen", 6));
	assert_false(has(out.data, out.len, "tEXt", 4));
	assert_false(has(out.data, out.len, "eXIf", 4));
	assert_false(has(out.data, out.len, "VPTestMake", 10));
	buf_free(&out);
	buf_free(&in);
	buf_free(&in2);
	buf_free(&exif);
	g_free(png);
}

static void test_reencode_turns_upright(void **state)
{
	/* Orientation 6: the camera was turned; the stored pixels are 40 x 20
	 * and the picture is 20 x 40. The tag goes, so the pixels must turn. */
	size_t jl;
	unsigned char *jpg = make_image(IMAGE_JPEG, 40, 20, 3, &jl);
	buf exif, in;
	make_exif(&exif, "Phone", 6);
	jpeg_with_segment(jpg, jl, 0xe1, exif.data, exif.len, &in);
	buf out;
	buf_init(&out);
	struct image_info info;
	const char *err;
	assert_int_equal(image_reencode(in.data, in.len, 1 << 20, 10000, &out, &info, &err),
	                 IMAGE_OK);
	assert_int_equal(info.width, 20);
	assert_int_equal(info.height, 40);
	assert_false(has(out.data, out.len, "Exif", 4));
	buf_free(&out);
	buf_free(&in);
	buf_free(&exif);
	g_free(jpg);
}

/* ---- limits and damaged input -------------------------------------------- */

static void test_limits(void **state)
{
	size_t pl;
	unsigned char *png = make_image(IMAGE_PNG, 100, 100, 3, &pl);
	buf out;
	buf_init(&out);
	buf_puts(&out, "kept");
	struct image_info info;
	const char *err = NULL;
	assert_int_equal(image_reencode(png, pl, 1 << 20, 9999, &out, &info, &err),
	                 IMAGE_TOO_MANY_PIXELS);
	assert_non_null(err);
	assert_int_equal(out.len, 4);
	assert_int_equal(image_reencode(png, pl, pl - 1, 10000, &out, &info, &err),
	                 IMAGE_TOO_LARGE);
	assert_int_equal(out.len, 4);
	assert_int_equal(image_reencode(png, pl, pl, 10000, &out, &info, &err), IMAGE_OK);
	assert_true(out.len > 4);
	buf_free(&out);

	/* A header that claims 100000 x 100000 pixels over a few bytes of
	 * data: refused from the header, before anything is decoded. */
	unsigned char bomb[64];
	memcpy(bomb, png, 33);
	bomb[16] = 0, bomb[17] = 0x01, bomb[18] = 0x86, bomb[19] = 0xa0; /* width 100000 */
	bomb[20] = 0, bomb[21] = 0x01, bomb[22] = 0x86, bomb[23] = 0xa0; /* height */
	uint32_t crc = crc32_of(bomb + 12, 17);
	bomb[29] = (unsigned char)(crc >> 24), bomb[30] = (unsigned char)(crc >> 16);
	bomb[31] = (unsigned char)(crc >> 8), bomb[32] = (unsigned char)crc;
	buf_init(&out);
	buf_append(&out, bomb, 33);
	put_be32(&out, 2); /* an IDAT chunk holding only a zlib header */
	size_t at = out.len;
	buf_append(&out, "IDAT\x78\x9c", 6);
	put_be32(&out, crc32_of((const unsigned char *)out.data + at, 6));
	buf_append(&out, png + pl - 12, 12); /* IEND */
	memcpy(bomb, out.data, out.len);
	size_t bomb_len = out.len;
	buf_free(&out);
	buf_init(&out);
	assert_int_equal(
	        image_reencode(bomb, bomb_len, 1 << 20, 40 * 1000 * 1000, &out, &info, &err),
	        IMAGE_TOO_MANY_PIXELS);
	assert_int_equal(out.len, 0);

	/* The same for a JPEG: the frame header (SOF0) claims 60000 x 60000. */
	size_t jl;
	unsigned char *jpg = make_image(IMAGE_JPEG, 16, 16, 3, &jl);
	unsigned char *sof = memmem(jpg, jl, "\xff\xc0", 2);
	assert_non_null(sof);
	sof[5] = 0xea, sof[6] = 0x60, sof[7] = 0xea, sof[8] = 0x60;
	assert_int_equal(image_reencode(jpg, jl, 1 << 20, 40 * 1000 * 1000, &out, &info, &err),
	                 IMAGE_TOO_MANY_PIXELS);
	buf_free(&out);

	/* A progressive JPEG (about 10 scans) passes; more than 100 scans
	 * are refused before decoding (counted by their FF DA markers). */
	VipsImage *a = NULL;
	assert_int_equal(vips_black(&a, 64, 64, "bands", 3, NULL), 0);
	void *prog;
	size_t prog_len;
	assert_int_equal(vips_jpegsave_buffer(a, &prog, &prog_len, "interlace", TRUE, NULL), 0);
	g_object_unref(a);
	buf_init(&out);
	assert_int_equal(image_reencode(prog, prog_len, 1 << 20, 10000, &out, &info, &err),
	                 IMAGE_OK);
	buf_free(&out);
	buf many;
	buf_init(&many);
	for (int i = 0; i < 101; i++)
		buf_append(&many, "\xff\xda", 2);
	buf in;
	jpeg_with_segment(prog, prog_len, 0xfe, many.data, many.len, &in);
	buf_init(&out);
	assert_int_equal(image_reencode(in.data, in.len, 1 << 20, 10000, &out, &info, &err),
	                 IMAGE_CORRUPT);
	buf_free(&out);
	buf_free(&in);
	buf_free(&many);
	g_free(prog);
	g_free(jpg);
	g_free(png);
}

static void test_unsupported(void **state)
{
	buf out;
	buf_init(&out);
	struct image_info info;
	const char *err = NULL;
	const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>";
	assert_int_equal(image_reencode(svg, sizeof svg - 1, 1 << 20, 1000, &out, &info, &err),
	                 IMAGE_UNSUPPORTED);
	assert_non_null(err);
	assert_int_equal(image_reencode("", 0, 1 << 20, 1000, &out, &info, &err),
	                 IMAGE_UNSUPPORTED);
	assert_int_equal(out.len, 0);
	/* Loaders other than JPEG and PNG are blocked in this process. */
	VipsImage *v = vips_image_new_from_buffer(svg, sizeof svg - 1, "", NULL);
	assert_null(v);
	vips_error_clear();
	buf_free(&out);
}

static void test_corrupt(void **state)
{
	size_t pl, jl;
	unsigned char *png = make_image(IMAGE_PNG, 64, 64, 3, &pl);
	unsigned char *jpg = make_image(IMAGE_JPEG, 64, 64, 3, &jl);
	struct {
		const unsigned char *p;
		size_t len;
	} cases[] = {
	        {png, pl / 2}, /* truncated PNG */
	        {png, 33},     /* header only */
	        {jpg, jl / 2}, /* truncated JPEG */
	        {jpg, 20},     /* hardly more than the start */
	        {(const unsigned char *)"\xff\xd8\xff\0\0\0\0\0\0\0", 10},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf out;
		buf_init(&out);
		struct image_info info;
		const char *err = NULL;
		int rc =
		        image_reencode(cases[i].p, cases[i].len, 1 << 20, 10000, &out, &info, &err);
		if (rc != IMAGE_CORRUPT)
			fail_msg("case %zu: %d", i, rc);
		assert_non_null(err);
		assert_int_equal(out.len, 0);
		buf_free(&out);
	}
	/* A chunk that claims 2 GiB in a small file: refused at once, not
	 * after libpng has read 2 GiB of padding (found by fuzz_image). */
	buf b;
	const char nothing[] = "x";
	png_with_chunk(png, pl, "tEXt", nothing, 1, &b);
	b.data[33] = 0x7f, b.data[34] = 0xff, b.data[35] = 0xff, b.data[36] = 0xf0;
	buf big;
	buf_init(&big);
	struct image_info bi;
	const char *berr = NULL;
	assert_int_equal(image_reencode(b.data, b.len, 1 << 20, 10000, &big, &bi, &berr),
	                 IMAGE_CORRUPT);
	assert_non_null(berr);
	assert_int_equal(big.len, 0);
	buf_free(&b);
	/* A damaged PNG data chunk: the CRC no longer matches. */
	unsigned char *bad = malloc(pl);
	memcpy(bad, png, pl);
	unsigned char *idat = memmem(bad, pl, "IDAT", 4);
	assert_non_null(idat);
	idat[10] ^= 0x55;
	buf out;
	buf_init(&out);
	struct image_info info;
	const char *err;
	assert_int_equal(image_reencode(bad, pl, 1 << 20, 10000, &out, &info, &err), IMAGE_CORRUPT);
	buf_free(&out);
	free(bad);
	g_free(png);
	g_free(jpg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sniff_magic),
	        cmocka_unit_test(test_sniff_svg_and_html),
	        cmocka_unit_test(test_polyglots),
	        cmocka_unit_test(test_reencode_png),
	        cmocka_unit_test(test_reencode_kinds),
	        cmocka_unit_test(test_reencode_strips_exif_and_gps),
	        cmocka_unit_test(test_reencode_strips_png_text),
	        cmocka_unit_test(test_reencode_turns_upright),
	        cmocka_unit_test(test_limits),
	        cmocka_unit_test(test_unsupported),
	        cmocka_unit_test(test_corrupt),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
