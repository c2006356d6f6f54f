/* fuzz_image.c: libFuzzer target for image_sniff, image_has_markup and image_reencode.
 *
 * Every input is sniffed and then re-encoded under small limits (256 KiB,
 * 128 x 128 pixels, so one run stays fast). Checked: sniffing agrees with
 * itself and with image_reencode; a success gives an image of the same
 * type, within the pixel limit, that re-encodes again to the same size; a failure leaves the output buffer untouched and says why.
 * The seeds in corpus/image are tiny valid PNG and JPEG files. */
#include "core/buf.h"
#include "io/image.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_BYTES = 256 * 1024, MAX_PIXELS = 128 * 128 };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (image_init() != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so any read past size is an ASan report. */
	unsigned char *copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	if (size)
		memcpy(copy, data, size);

	enum image_type t = image_sniff(copy, size);
	if (t != image_sniff(copy, size))
		abort();
	if (t != IMAGE_UNKNOWN && image_has_markup(copy, size))
		abort();

	buf out;
	buf_init(&out);
	struct image_info info;
	const char *err = NULL;
	int rc = image_reencode(copy, size, MAX_BYTES, MAX_PIXELS, &out, &info, &err);
	if (rc == IMAGE_OK) {
		if (t == IMAGE_UNKNOWN || err || info.type != t || !out.len)
			abort();
		if (info.width <= 0 || info.height <= 0 ||
		    (int64_t)info.width * info.height > MAX_PIXELS)
			abort();
		if (t == IMAGE_PNG ? memcmp(out.data, "\x89PNG\r\n\x1a\n", 8) != 0
		                   : memcmp(out.data, "\xff\xd8\xff", 3) != 0)
			abort();
		/* What we store must itself pass, with the same dimensions;
		 * unless its compressed bytes happen to spell a marker, which
		 * image_sniff may then (rightly, if rarely) refuse. */
		buf again;
		buf_init(&again);
		struct image_info info2;
		int rc2 = image_reencode(out.data, out.len, (size_t)-1, MAX_PIXELS, &again, &info2,
		                         &err);
		if (!(rc2 == IMAGE_UNSUPPORTED && image_has_markup(out.data, out.len)) &&
		    (rc2 != IMAGE_OK || info2.width != info.width || info2.height != info.height))
			abort();
		buf_free(&again);
	} else {
		if (!err || out.len != 0)
			abort();
		if (rc == IMAGE_UNSUPPORTED && t != IMAGE_UNKNOWN)
			abort();
		if (rc != IMAGE_UNSUPPORTED && rc != IMAGE_TOO_LARGE &&
		    rc != IMAGE_TOO_MANY_PIXELS && rc != IMAGE_CORRUPT)
			abort();
	}
	buf_free(&out);
	free(copy);
	return 0;
}
