/* export_html.h: a person's data (participant_export_json) as a readable HTML document. */
#ifndef VP_EXPORT_HTML_H
#define VP_EXPORT_HTML_H

#include "core/buf.h"

#include <jansson.h>

/* Appends a complete, self-contained HTML document (no scripts, no outside
 * resources) in lang ("nl" or "en") describing export, the object that
 * participant_export_json produced. Every value is escaped. */
void export_html(buf *out, json_t *export, const char *lang);

#endif
