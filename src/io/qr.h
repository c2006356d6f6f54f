/* qr.h: QR codes (libqrencode) drawn as SVG through the escaping emitters. */
#ifndef VP_QR_H
#define VP_QR_H

#include "core/buf.h"

enum {
	QR_QUIET = 4,       /* modules of light margin around the code */
	QR_MODULE_MAX = 64, /* largest module size in pixels */
};

/* Appends an SVG image of text as a QR code (error correction level M,
 * the smallest version that holds it) to out: a light background, one
 * <path> of the dark modules, a quiet zone of QR_QUIET modules, role="img"
 * and a <title> holding text. The image is (width + 2 * QR_QUIET) *
 * module_px pixels square, where width = version * 4 + 17. Returns the QR
 * version (1-40), or -1 when text is empty, too long for a QR code, or
 * module_px is outside 1..QR_MODULE_MAX; out is then unchanged. */
int qr_svg(buf *out, const char *text, int module_px);

#endif
