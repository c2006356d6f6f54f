/* script.h: interview scripts and their questions: the format, the checks, answer validation. */
#ifndef VP_SCRIPT_H
#define VP_SCRIPT_H

#include "core/arena.h"
#include "core/buf.h"

#include <jansson.h>
#include <stdint.h>

/* The format of docs/formats.md ("vertelpunt-script/1"). A parsed script
 * lives in its own arena: every string and array below belongs to it and
 * is freed by script_free. A parsed script is never changed afterwards, so
 * threads may share one (the collection side caches them). */

enum { LTEXT_MAX = 8, SCRIPT_ID_MAX = 64, SCRIPT_KEY_MAX = 64 };

/* A multilingual text; nl is always present in a parsed script except
 * where a field is optional and absent (n == 0). */
struct ltext {
	int n;
	const char *lang[LTEXT_MAX];
	const char *s[LTEXT_MAX];
};
/* The text in lang, else Dutch, else "" (never NULL). */
const char *ltext_get(const struct ltext *t, const char *lang);

enum q_type {
	Q_STORY,
	Q_TEXT,
	Q_CHOICE,
	Q_MULTI,
	Q_SCALE,
	Q_DYAD,
	Q_TRIAD,
	Q_STONES,
	Q_PIN,
	Q_DATE,
	Q_NUMBER,
	Q_TYPE_COUNT
};
/* "story", "text", ... and back (-1 when unknown). */
const char *q_type_name(enum q_type t);
int q_type_parse(const char *name);
/* Whether answers to this type are signification (choice, multi, scale,
 * dyad, triad, stones). */
int q_type_signifies(enum q_type t);

enum perspective { PERSPECTIVE_TELLER = 1, PERSPECTIVE_PROFESSIONAL = 2 };

/* An option, prompt, pole, corner or stone. */
struct q_option {
	const char *id;
	struct ltext label;
};

struct axis {
	struct ltext label, low, high;
};

struct question {
	const char *id;
	enum q_type type;
	struct ltext text, help;
	int required, not_applicable, once_per_person;
	enum perspective perspective;
	int index; /* position in the whole script, from 0 */

	/* show_if: answer of an earlier question is one of values */
	const char *show_if_question; /* NULL when always asked */
	int show_if_count;
	const char **show_if_values; /* option ids, or scale points as "3" */

	/* continues: carries on an earlier version's question */
	const char *continues_question; /* NULL when absent */
	int continues_count;
	const char **continues_old, **continues_new;

	/* story: prompts; choice, multi: options; dyad: 2 poles; triad: 3
	 * corners; stones: stones */
	int noptions;
	struct q_option *options;
	struct ltext other;              /* choice, multi: "other, namely" label (n == 0: none) */
	int ask_title;                   /* story */
	int long_text;                   /* text */
	int max_length;                  /* text (characters) */
	int min, max;                    /* multi: number of options chosen */
	int points;                      /* scale: 5 or 7 */
	struct ltext low, high;          /* scale ends */
	struct axis x, y;                /* stones */
	const char *image;               /* pin: upload token */
	int ask_note;                    /* pin */
	const char *date_min, *date_max; /* date, NULL when absent */
	int has_min, has_max, integer;   /* number */
	double num_min, num_max;
};

struct section {
	const char *id;
	struct ltext title;
	int nquestions;
	struct question *questions;
};

struct script {
	arena *a;
	const char *key;
	struct ltext title, introduction, privacy, thanks;
	int nsections;
	struct section *sections;
	int nquestions;
	struct question **questions; /* all questions in order */
	int nlangs;
	const char *langs[LTEXT_MAX]; /* every language used, nl first */
};

/* Parses a script from a JSON value. Returns the script (free with
 * script_free) or NULL with a message naming the place in err. */
struct script *script_parse(json_t *root, char *err, size_t errlen);
/* The same from text (len bytes). */
struct script *script_parse_text(const char *text, size_t len, char *err, size_t errlen);
void script_free(struct script *s);

/* Writes the canonical JSON text (docs/formats.md) to out. */
void script_emit(const struct script *s, buf *out);

/* The question with this id, or NULL. */
const struct question *script_question(const struct script *s, const char *id);

/* A fingerprint of a question's meaning (type, option ids, poles, corners,
 * stones, scale points); two versions of a question with the same id and
 * a different fingerprint need a new id or a continues entry. 64 hex
 * characters and a NUL. */
void question_fingerprint(const struct question *q, char out[65]);

/* Lint (docs/formats.md, "Checks"). Each finding names its place. */
enum lint_level { LINT_ERROR, LINT_WARNING };
struct lint_item {
	enum lint_level level;
	const char *question; /* question id, or NULL for the script */
	const char *field;    /* e.g. "options[2].label.nl", or NULL */
	const char *msg;      /* English message id (translated by the caller) */
	char detail[160];     /* a number, a word or a label the message refers to */
};
struct lint_result {
	int n, errors, warnings;
	struct lint_item *items; /* malloc'ed; lint_result_free */
};
void script_lint(const struct script *s, struct lint_result *out);
void lint_result_free(struct lint_result *r);
/* The findings as a JSON array of {"level", "question", "field", "message",
 * "detail"} with message in English. */
void lint_result_json(const struct lint_result *r, buf *out);

/* Answer validation, shared by every channel. answers is a JSON object
 * {question id: value} in the forms of docs/formats.md. perspectives is a
 * mask of the perspectives this submission answers (required questions of
 * other perspectives may be missing). Answers to questions that are not
 * asked because of show_if are removed from answers. Returns 0, or -1 with
 * err filled (the question, and an English message id). */
struct answer_error {
	const char *question; /* the question (or the unknown id); NULL when the
	                       * answers object itself is wrong */
	const char *msg;
	char detail[160];
	char unknown[SCRIPT_ID_MAX + 1]; /* holds an unknown id question points at */
};
int script_check_answers(const struct script *s, json_t *answers, unsigned perspectives,
                         struct answer_error *err);

#endif
