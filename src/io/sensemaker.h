/* sensemaker.h: turns a SenseMaker framework definition into an interview script (vertelpunt-script/1). */
#ifndef VP_SENSEMAKER_H
#define VP_SENSEMAKER_H

#include "core/buf.h"

#include <jansson.h>
#include <stddef.h>

/* Converts definition (the parsed *_Definition.json of a SenseMaker
 * export) into a NEW JSON object in the format of docs/formats.md, keys
 * in the documented order, following the table "SenseMaker framework
 * definitions" there. The caller owns the result (json_decref); the
 * definition is only read. The result is meant for script_parse, which
 * remains the judge of the format.
 *
 * What is kept: signifier ids as question ids, item, label and stone ids
 * as option, pole, corner and stone ids, titles as texts (HTML reduced to
 * plain text), required, allow_na (not_applicable) and sticky
 * (once_per_person). Texts are put under the definition's language and,
 * when that is not "nl", copied to "nl". Labels before the first question
 * become the introduction, a thank-you after the last question the
 * thanks; the privacy text is a default that asks for the municipality's
 * own. Pages become sections: the definition's "sections" when it has
 * them, else the pages that navigation signifiers (or a restart of the
 * order numbers) mark.
 *
 * report (may be NULL) gets appended, on success only, one compact JSON
 * object (no newline, so it can be embedded in other JSON as it is):
 * {"imported": N questions, "skipped": [{"id", "type", "reason"}],
 * "notes": ["..."]}: every signifier that was not imported and why, and
 * every choice the importer made that the user should check.
 *
 * Returns NULL when the definition cannot be imported, with a message in
 * err that names the place ("signifiers[12] (dee85953-...): triad needs
 * three labels"): not an object, no signifiers array, a signifier
 * without an id or type, an id that does not fit the id rule, duplicate
 * ids, a triad without three labels, a dyad without two, a list without
 * items, stones without stones, or nothing that becomes a question. */
json_t *sensemaker_to_script(json_t *definition, buf *report, char *err, size_t errlen);

/* The same with the export's *_Layout.json (an array of layouts, or one
 * layout object; NULL: none). A definition with a flat "signifiers" array
 * numbers the signifiers per page, and some exports list the pages mixed
 * together by those numbers; only the layout's settings.sections tell
 * which page a signifier is on and in which order. With a layout the
 * pages are taken from it, and signifiers the layout does not place are
 * skipped (the collector does not show them). Without it such a mixed
 * definition becomes one section and its labels of unknown page are
 * skipped (the report says so). A layout without settings.sections is
 * refused ("layout: ..."). */
json_t *sensemaker_to_script_layout(json_t *definition, json_t *layout, buf *report, char *err,
                                    size_t errlen);

#endif
