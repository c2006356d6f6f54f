/* image.c: uploaded images: magic-byte sniffing, polyglot markers, and re-encoding through libvips. */
#include "io/image.h"

#include "core/msg.h"

#include <assert.h>
#include <pthread.h>
#include <string.h>
#include <vips/vips.h>

enum { SCAN_HEAD = 1024, SCAN_TAIL = 1024, JPEG_MAX_SCANS = 100 };

static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* ---- sniffing ------------------------------------------------------------ */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int is_png(const unsigned char *p, size_t len)
{
	/* The signature, then the first chunk, which must be IHDR. */
	return len >= 16 && memcmp(p, png_sig, 8) == 0 && memcmp(p + 12, "IHDR", 4) == 0;
}

static int is_jpeg(const unsigned char *p, size_t len)
{
	return len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff;
}

/* Markers of markup. tag: must be followed by a byte that ends a tag name
 * (or the end of the file), as in the WHATWG MIME sniffing rules. */
static const struct {
	const char *s;
	size_t len;
	int tag;
} markers[] = {
        {"<!doctype", 9, 0}, {"<!--", 4, 0},    {"<?xml", 5, 0},   {"<?php", 5, 0},
        {"<html", 5, 1},     {"<head", 5, 1},   {"<body", 5, 1},   {"<script", 7, 1},
        {"<svg", 4, 1},      {"<iframe", 7, 1}, {"<object", 7, 1}, {"<embed", 6, 1},
        {"<style", 6, 1},    {"<title", 6, 1},  {"<meta", 5, 1},   {"<link", 5, 1},
        {"<base", 5, 1},     {"<form", 5, 1},   {"<img", 4, 1},    {"<div", 4, 1},
        {"<table", 6, 1},    {"<font", 5, 1},   {"<a", 2, 1},      {"<b", 2, 1},
        {"<p", 2, 1},        {"<br", 3, 1},     {"<h1", 3, 1},     {"javascript:", 11, 0},
};

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int ends_tag(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '/' || c == '>';
}

/* 1 when a marker starts anywhere in p[from..to); a marker may run on past
 * to, up to len. */
static int scan(const unsigned char *p, size_t len, size_t from, size_t to)
{
	if (to > len)
		to = len;
	for (size_t i = from; i < to; i++) {
		unsigned char c = lower(p[i]);
		if (c != '<' && c != 'j')
			continue;
		for (size_t m = 0; m < sizeof markers / sizeof markers[0]; m++) {
			size_t n = markers[m].len;
			if ((unsigned char)markers[m].s[0] != c || n > len - i)
				continue;
			size_t k = 1;
			while (k < n && lower(p[i + k]) == (unsigned char)markers[m].s[k])
				k++;
			if (k < n)
				continue;
			if (!markers[m].tag || i + n == len || ends_tag(p[i + n]))
				return 1;
		}
	}
	return 0;
}

/* Text chunks, and anything after IEND. */
static int png_markup(const unsigned char *p, size_t len)
{
	size_t off = 8;
	while (len - off >= 12) {
		uint32_t n = be32(p + off);
		const unsigned char *type = p + off + 4;
		if (n > len - off - 12)
			return 0; /* truncated: the decoder will refuse it */
		if ((memcmp(type, "tEXt", 4) == 0 || memcmp(type, "iTXt", 4) == 0) &&
		    scan(p, len, off + 8, off + 8 + n))
			return 1;
		off += 12 + (size_t)n;
		if (memcmp(type, "IEND", 4) == 0)
			return off < len && scan(p, len, off, len);
	}
	return 0;
}

/* 1 when every chunk of a PNG lies within the file and IEND is there.
 * libvips feeds libpng zeros past the end of its buffer, so a chunk that
 * claims 2 GiB in a file of 200 bytes would have libpng read and checksum
 * 2 GiB of zeros before it fails: seconds of CPU per request. */
static int png_complete(const unsigned char *p, size_t len)
{
	size_t off = 8;
	while (len - off >= 12) {
		uint32_t n = be32(p + off);
		if (n > 0x7fffffffu || n > len - off - 12)
			return 0;
		int end = memcmp(p + off + 4, "IEND", 4) == 0;
		off += 12 + (size_t)n;
		if (end)
			return 1;
	}
	return 0;
}

/* The number of scans (SOS markers) of a JPEG. In entropy-coded data a
 * 0xFF byte is always followed by 0x00 or a restart marker, so every
 * FF DA in the file is a real start of scan. Each scan of a progressive
 * JPEG makes libjpeg pass over the whole image again: thousands of tiny
 * scans in a few hundred KiB would cost minutes of CPU. */
static size_t jpeg_scans(const unsigned char *p, size_t len)
{
	size_t n = 0;
	for (const unsigned char *q = p; (q = memchr(q, 0xff, len - (size_t)(q - p))) != NULL;) {
		if ((size_t)(q - p) + 1 >= len)
			break;
		n += q[1] == 0xda;
		q++;
	}
	return n;
}

/* Comment and application segments up to the start of the image data,
 * and the last KiB. */
static int jpeg_markup(const unsigned char *p, size_t len)
{
	if (len > SCAN_TAIL && scan(p, len, len - SCAN_TAIL, len))
		return 1;
	size_t off = 2;
	while (len - off >= 4) {
		unsigned char m = p[off + 1];
		if (p[off] != 0xff)
			return 0;
		if (m == 0xff) { /* fill byte */
			off++;
			continue;
		}
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd8)) { /* no length */
			off += 2;
			continue;
		}
		if (m == 0xda || m == 0xd9) /* start of scan, end of image */
			return 0;
		size_t n = (size_t)p[off + 2] << 8 | p[off + 3];
		if (n < 2 || n > len - off - 2)
			return 0;
		if ((m == 0xfe || (m >= 0xe0 && m <= 0xef)) && scan(p, len, off + 4, off + 2 + n))
			return 1;
		off += 2 + n;
	}
	return 0;
}

int image_has_markup(const void *bytes, size_t len)
{
	const unsigned char *p = bytes;
	if (!len)
		return 0;
	assert(p);
	if (scan(p, len, 0, SCAN_HEAD))
		return 1;
	if (is_png(p, len))
		return png_markup(p, len);
	if (is_jpeg(p, len))
		return jpeg_markup(p, len);
	return 0;
}

enum image_type image_sniff(const void *bytes, size_t len)
{
	const unsigned char *p = bytes;
	if (!p || len == 0)
		return IMAGE_UNKNOWN;
	enum image_type t = is_png(p, len)    ? IMAGE_PNG
	                    : is_jpeg(p, len) ? IMAGE_JPEG
	                                      : IMAGE_UNKNOWN;
	if (t != IMAGE_UNKNOWN && image_has_markup(p, len))
		return IMAGE_UNKNOWN;
	return t;
}

const char *image_mime(enum image_type t)
{
	switch (t) {
	case IMAGE_PNG: return "image/png";
	case IMAGE_JPEG: return "image/jpeg";
	default: return NULL;
	}
}

/* ---- libvips ------------------------------------------------------------- */

static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static int vips_state = -1;

static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
	/* libvips warnings would land on stderr between our JSON log lines;
	 * every failure that matters comes back as an error code. */
}

static void vips_start(void)
{
	if (VIPS_INIT("vertelpunt") != 0)
		return;
	/* Predictable memory: one worker per operation, nothing cached. */
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	vips_cache_set_max_mem(0);
	vips_cache_set_max_files(0);
	/* Only the two loaders we call may ever run on outside bytes. */
	vips_block_untrusted_set(TRUE);
	vips_operation_block_set("VipsForeignLoad", TRUE);
	vips_operation_block_set("VipsForeignLoadPngBuffer", FALSE);
	vips_operation_block_set("VipsForeignLoadJpegBuffer", FALSE);
	g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO,
	                  quiet, NULL);
	vips_state = 0;
}

int image_init(void)
{
	pthread_once(&vips_once, vips_start);
	return vips_state;
}

/* The header is read now, pixels when the image is written. The loaders
 * take a non-const pointer but do not write through it. */
static VipsImage *load(enum image_type t, const void *bytes, size_t len, VipsAccess access)
{
	VipsImage *img = NULL;
	void *p = (void *)bytes;
	int rc = t == IMAGE_PNG ? vips_pngload_buffer(p, len, &img, "access", access, "fail_on",
	                                              VIPS_FAIL_ON_ERROR, NULL)
	                        : vips_jpegload_buffer(p, len, &img, "access", access, "fail_on",
	                                               VIPS_FAIL_ON_ERROR, NULL);
	return rc == 0 ? img : NULL;
}

static int orientation(VipsImage *img)
{
	int o = 1;
	if (vips_image_get_typeof(img, VIPS_META_ORIENTATION) &&
	    vips_image_get_int(img, VIPS_META_ORIENTATION, &o) != 0)
		o = 1;
	return o;
}

/* After libvips started: drops img and the error text libvips kept. */
static int fail(VipsImage *img, int rc, const char *msg, const char **err)
{
	if (img)
		g_object_unref(img);
	vips_error_clear();
	*err = msg;
	return rc;
}

int image_reencode(const void *bytes, size_t len, size_t max_bytes, int64_t max_pixels, buf *out,
                   struct image_info *info, const char **err)
{
	assert(out && info && err);
	assert(bytes || len == 0);
	memset(info, 0, sizeof *info);
	*err = NULL;
	if (len > max_bytes) {
		*err = N_("The file is too large.");
		return IMAGE_TOO_LARGE;
	}
	enum image_type t = image_sniff(bytes, len);
	if (t == IMAGE_UNKNOWN) {
		*err = N_("Only JPEG and PNG images are accepted.");
		return IMAGE_UNSUPPORTED;
	}
	if (image_init() != 0) {
		*err = N_("Images cannot be processed right now.");
		return IMAGE_INTERNAL;
	}

	const char *corrupt = N_("The image is damaged or incomplete and cannot be read.");
	if ((t == IMAGE_PNG && !png_complete(bytes, len)) ||
	    (t == IMAGE_JPEG && jpeg_scans(bytes, len) > JPEG_MAX_SCANS))
		return fail(NULL, IMAGE_CORRUPT, corrupt, err);
	VipsImage *img = load(t, bytes, len, VIPS_ACCESS_SEQUENTIAL);
	if (!img)
		return fail(NULL, IMAGE_CORRUPT, corrupt, err);
	int64_t w = vips_image_get_width(img), h = vips_image_get_height(img);
	if (w <= 0 || h <= 0 || w * h > max_pixels)
		return fail(img, IMAGE_TOO_MANY_PIXELS, N_("The image has too many pixels."), err);
	int o = orientation(img);
	if (o >= 2 && o <= 8) {
		/* Turning needs the whole image: load it again for random access. */
		g_object_unref(img);
		VipsImage *whole = load(t, bytes, len, VIPS_ACCESS_RANDOM), *upright = NULL;
		if (!whole)
			return fail(NULL, IMAGE_CORRUPT, corrupt, err);
		int rc = vips_autorot(whole, &upright, NULL);
		g_object_unref(whole);
		if (rc != 0)
			return fail(NULL, IMAGE_CORRUPT, corrupt, err);
		img = upright;
	}

	void *data = NULL;
	size_t n = 0;
	int rc = t == IMAGE_PNG ? vips_pngsave_buffer(img, &data, &n, "strip", TRUE, NULL)
	                        : vips_jpegsave_buffer(img, &data, &n, "strip", TRUE, "Q", 90,
	                                               "optimize_coding", TRUE, NULL);
	int ow = vips_image_get_width(img), oh = vips_image_get_height(img);
	if (rc != 0 || !data || n == 0) {
		g_free(data);
		return fail(img, IMAGE_CORRUPT, corrupt, err);
	}
	g_object_unref(img);
	buf_append(out, data, n);
	g_free(data);
	info->type = t;
	info->width = ow;
	info->height = oh;
	return IMAGE_OK;
}
