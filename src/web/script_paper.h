/* script_paper.h: the printable paper version of a script version, as one HTML document. */
#ifndef VP_SCRIPT_PAPER_H
#define VP_SCRIPT_PAPER_H

#include "core/buf.h"
#include "model/script.h"

/* How the document is made. */
struct script_paper {
	const char *lang;       /* interface and script language ("nl", "en"); else Dutch */
	int version;            /* the version number printed at the top (0: none) */
	const char *org_name;   /* printed above the title, or NULL */
	const char *image_base; /* put before a pin question's image token: "/uploads/" */
	/* The stylesheet (assets/print.css): linked as css_href when set (the
	 * web page, whose CSP allows no inline style), else embedded in a
	 * <style> element so a saved file stands alone (the command line). */
	const char *css_href;
	const char *back_href; /* a link shown on screen only, or NULL */
	const char *icon_href; /* the page's icon, or NULL */
};

/* Appends the whole document (<!DOCTYPE html> to </html>) for s: title,
 * introduction, privacy text and a consent box; then every section with
 * its questions, numbered, drawn for a pen; then the professional's
 * questions in a part of their own. Every text is escaped; SVG is written
 * through the svg_ emitters. Allocates nothing that outlives the call. */
void script_paper_html(buf *b, const struct script *s, const struct script_paper *o);

#endif
