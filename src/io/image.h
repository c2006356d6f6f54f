/* image.h: uploaded images: recognising JPEG and PNG by their bytes, and re-encoding them without metadata. */
#ifndef VP_IMAGE_H
#define VP_IMAGE_H

#include "core/buf.h"

#include <stddef.h>
#include <stdint.h>

enum image_type { IMAGE_UNKNOWN = 0, IMAGE_PNG, IMAGE_JPEG };

/* What image_reencode returns; the web layer maps each to a status. */
enum image_rc {
	IMAGE_OK = 0,
	IMAGE_UNSUPPORTED = -1,     /* not JPEG or PNG, or a polyglot (415) */
	IMAGE_TOO_LARGE = -2,       /* more bytes than max_bytes (413) */
	IMAGE_TOO_MANY_PIXELS = -3, /* width * height over max_pixels (422) */
	IMAGE_CORRUPT = -4,         /* the decoder refused it (422) */
	IMAGE_INTERNAL = -5         /* libvips could not start or save (500) */
};

/* The type of bytes[0..len) judged by its magic bytes only, never by a
 * name: PNG (the 8-byte signature followed by an IHDR chunk) or JPEG
 * (FF D8 FF). IMAGE_UNKNOWN for anything else, and also for a file that
 * starts like an image but carries HTML, SVG or script markup where a
 * browser or a careless tool might find it (image_has_markup): such a
 * polyglot is refused rather than cleaned. Pure; safe on any input. */
enum image_type image_sniff(const void *bytes, size_t len);

/* 1 when bytes holds markup that makes it a polyglot, else 0. Looked at:
 * the first KiB of any file; for PNG also the text chunks (tEXt, iTXt) and
 * whatever follows IEND; for JPEG also the comment and APPn segments before
 * the image data and the last KiB (where appended markup ends up). Markers, matched without regard to case: <!doctype <!-- <?xml
 * <?php javascript: and the tags html head body script svg iframe object
 * embed style title meta link base form img div table font a b p br h1
 * (a tag counts only when followed by space, '/', '>' or a line end, so that
 * short tags do not turn up by chance in compressed data). */
int image_has_markup(const void *bytes, size_t len);

/* The media type ("image/png", "image/jpeg") or NULL for IMAGE_UNKNOWN. */
const char *image_mime(enum image_type t);

struct image_info {
	enum image_type type; /* kept from the input */
	int width, height;    /* of the output, after applying the EXIF orientation */
};

/* Decodes bytes[0..len) with libvips and encodes it again in the same
 * format with every piece of metadata stripped (EXIF including GPS, XMP,
 * IPTC, ICC profile, comments, text chunks). A JPEG or PNG whose EXIF
 * orientation says it is turned is turned upright first, since the tag
 * that said so is stripped.
 *
 * Checks, in this order: len <= max_bytes (IMAGE_TOO_LARGE); image_sniff
 * (IMAGE_UNSUPPORTED); width * height <= max_pixels, read from the header
 * before any pixel is decoded (IMAGE_TOO_MANY_PIXELS); then a strict decode
 * (IMAGE_CORRUPT on any decoder error or truncation, and before decoding
 * for a PNG whose chunks do not all lie within len or that has no IEND, or
 * a JPEG of more than 100 scans: both would cost seconds of CPU). Only the JPEG and PNG
 * buffer loaders of libvips can run in this process (all others are
 * blocked), so no input reaches an SVG, PDF or ImageMagick loader.
 *
 * On IMAGE_OK the new file is appended to out (which the caller owns and
 * frees) and info is filled; on error out is left as it was and *err is an
 * English message id (a string literal). Thread-safe; libvips is
 * initialised on first use (image_init). Memory: the input is streamed
 * (sequential access), so decoding needs a few scanlines, except for
 * interlaced PNGs and turned images, which are decoded whole (up to
 * max_pixels times 8 bytes). */
int image_reencode(const void *bytes, size_t len, size_t max_bytes, int64_t max_pixels, buf *out,
                   struct image_info *info, const char **err);

/* Starts libvips once per process (thread-safe; later calls return the
 * first result): one worker thread per operation, no operation cache, only
 * the JPEG and PNG buffer loaders unblocked, libvips warnings not printed.
 * Returns 0 or -1. image_reencode calls it; calling it at start-up moves
 * the cost out of the first upload. */
int image_init(void);

#endif
