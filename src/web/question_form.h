/* question_form.h: one question of a script as an accessible form field, and the posted fields back to its answer. */
#ifndef VP_QUESTION_FORM_H
#define VP_QUESTION_FORM_H

#include "core/buf.h"
#include "http/parse.h"
#include "model/script.h"

#include <jansson.h>

/* The script editor's preview and the resident's story form both render
 * their questions here, so a preview is exactly what a resident sees.
 *
 * Every type works without JavaScript. dyad, triad, stones and pin have a
 * widget (assets/widgets.js, served as /static/widgets.js) that sits in a
 * container with the `hidden` attribute until the script shows it, and
 * that keeps the plain number fields below it in sync; those fields are
 * what is posted, with or without the script. A page with such questions
 * loads the script once with question_form_scripts.
 *
 * Form field names: "a-" and the question id, then a suffix after ':'.
 * Question, option and stone ids never hold ':' (docs/formats.md), so no
 * two questions' names can meet. Element ids are the same strings.
 *
 *   every type  a-ID:na           checkbox "Not applicable" (value 1), only
 *                                 when q->not_applicable; wins over the rest
 *   story       a-ID              textarea, the story
 *               a-ID:prompt       radio, the prompt id (only with two or
 *                                 more prompts; one prompt is implied)
 *               a-ID:title        input, the title (only when ask_title)
 *   text        a-ID              input, or textarea when long; maxlength
 *   choice      a-ID              radio: an option id, or ":other"
 *               a-ID:other        input, the "other, namely" text
 *   multi       a-ID              checkboxes (repeated): option ids, ":other"
 *               a-ID:other        input, the "other, namely" text
 *   scale       a-ID              radio 1..points
 *   dyad        a-ID              number 0-100 (0 = left pole); the range
 *                                 slider of the widget has no name
 *   triad       a-ID:0 :1 :2      numbers, percent for the top, bottom left
 *                                 and bottom right corner (total 100)
 *   stones      a-ID:STONE:x      number 0-100 (x.low .. x.high)
 *               a-ID:STONE:y      number 0-100 (y.low at the bottom .. y.high
 *                                 at the top)
 *               a-ID:STONE:off    checkbox "Not placed" (value 1)
 *   pin         a-ID:x, a-ID:y    numbers 0-100, percent of the picture's
 *                                 width and height from the top left
 *               a-ID:note         textarea (only when ask_note)
 *   date        a-ID              input type=date (YYYY-MM-DD)
 *   number      a-ID              input type=number
 *
 * Other element ids: q-ID (the whole question, for links from an error
 * summary), a-ID:label (legend or label), a-ID:help, a-ID:error.
 *
 * The element q-ID carries data-vp-question, data-vp-id="ID",
 * data-vp-type="TYPE", and where they apply data-vp-required,
 * data-vp-integer (number), data-vp-prompt="PROMPT" (a story with one
 * prompt), data-vp-show-if="QID" data-vp-show-is="V1 V2" (its show_if: the
 * values separated by spaces). widgets.js hides a question whose condition
 * is not met by the answer on the same page (with `hidden`, so it is
 * neither seen nor read out; what was typed stays, and is not sent). */

/* Translates one of this module's English message ids. */
typedef const char *(*question_form_tr)(void *ctx, const char *msgid);

/* A question_form_tr for the interface language in ctx (a const char *
 * such as r->lang): question_form_render(..., question_form_tr_lang,
 * (void *)r->lang). */
const char *question_form_tr_lang(void *ctx, const char *msgid);

/* Writes question q to b (a <div class="vp-question"> with a fieldset, or
 * one labelled field for text, date and number without "not applicable").
 *
 * answer: the value to show (the JSON forms of docs/formats.md), json_null()
 * for "not applicable", or NULL for none. A value of the wrong shape is
 * ignored where it does not fit. lang: the language of the script's texts
 * (ltext_get: else Dutch). error_text: a message already in the reader's
 * language, shown with the question and marking it invalid, or NULL.
 * tr/tr_ctx: translation of this module's own texts; tr NULL means
 * i18n_get in lang (Dutch when lang is no interface language).
 * Allocates nothing that outlives the call. */
void question_form_render(buf *b, const struct question *q, json_t *answer, const char *lang,
                          const char *error_text, question_form_tr tr, void *tr_ctx);

/* <script src="/static/widgets.js?v=HASH" defer></script>, once per page
 * that renders questions (anywhere in the body, or the head). */
void question_form_scripts(buf *b);
/* <script src="/static/NAME?v=HASH" defer></script> for an embedded
 * script NAME (it must exist): widgets.js, offline.js. */
void question_form_script(buf *b, const char *name);

/* Reads question q's fields from a posted form (names above) and makes its
 * answer in the form of docs/formats.md. Returns:
 *    0  *answer_out is the answer (a new reference; json_decref it), or
 *       NULL when nothing was filled in (the question is unanswered), or
 *       json_null() when "not applicable" was ticked and q allows it;
 *   -1  the fields cannot be an answer (not a number, a triad that does not
 *       add up to 100, an option that does not exist...): *error_msgid is an
 *       English message id for the person (translate it), and *answer_out
 *       is NULL or, where something could be read, a value only for
 *       showing the form again with what was typed (never to be stored).
 * Only conversion: required, lengths, min and max and the rest are
 * script_check_answers's to check. Text loses the white space at its ends
 * (only white space is no answer) and CR LF becomes LF. Numbers are
 * decimal, with a point or a comma, without exponent; a triad's empty box
 * counts as 0 and its total may be 99 to 101 (whole thirds), the weights
 * are the percentages divided by their total. A date may also be D-M-YYYY
 * (with '-', '/' or '.') for browsers without a date field. Allocates only
 * the answer. */
int question_form_parse(const struct question *q, const struct kvlist *form, json_t **answer_out,
                        const char **error_msgid);

#endif
