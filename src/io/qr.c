/* qr.c: QR codes (libqrencode) drawn as SVG through the escaping emitters. */
#include "io/qr.h"

#include "web/html.h"
#include "web/svg.h"

#include <assert.h>
#include <qrencode.h>
#include <string.h>

/* Longest text we try: level M in byte mode holds at most 2331 bytes;
 * anything longer is refused before libqrencode works on it. */
enum { QR_TEXT_MAX = 2331 };

int qr_svg(buf *out, const char *text, int module_px)
{
	assert(out);
	if (!text || !*text || module_px < 1 || module_px > QR_MODULE_MAX ||
	    strlen(text) > QR_TEXT_MAX)
		return -1;
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return -1; /* EINVAL, ERANGE (too long) or ENOMEM: no image */
	int w = q->width;
	double size = (double)(w + 2 * QR_QUIET) * module_px;
	svg_begin(out, size, size, text, NULL);
	/* The light background, quiet zone included, so the code reads on any
	 * page colour and in dark mode. */
	html_lit(out, "<rect width=\"");
	svg_num(out, size);
	html_lit(out, "\" height=\"");
	svg_num(out, size);
	html_lit(out, "\" fill=\"#fff\"/><path fill=\"#000\" shape-rendering=\"crispEdges\" d=\"");
	/* Each run of dark modules in a row is one rectangle: M x y h w v 1 h -w z
	 * (in pixels, absolute start). */
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			html_lit(out, "M");
			svg_num(out, (double)(x + QR_QUIET) * module_px);
			html_lit(out, " ");
			svg_num(out, (double)(y + QR_QUIET) * module_px);
			html_lit(out, "h");
			svg_num(out, (double)run * module_px);
			html_lit(out, "v");
			svg_num(out, module_px);
			html_lit(out, "h-");
			svg_num(out, (double)run * module_px);
			html_lit(out, "z");
			x += run;
		}
	}
	html_lit(out, "\"/>");
	svg_end(out);
	int version = q->version;
	QRcode_free(q);
	return version;
}
