/* demo.h: the demo vertelpunt: a Wmo script, participants and stories drawn from a seed, with planted effects the pattern engine must find. */
#ifndef VP_DEMO_H
#define VP_DEMO_H

#include "db/db.h"
#include "model/collection.h"
#include "model/script.h"
#include "model/story.h"

#include <stddef.h>
#include <stdint.h>

/* The demo script (templates/demo/wmo-vertelpunt-demo.json), embedded with
 * the templates but not part of the script library. */
#define DEMO_SCRIPT_FILE      "wmo-vertelpunt-demo.json"
#define DEMO_SCRIPT_KEY       "wmo-vertelpunt-demo"
#define DEMO_COLLECTION_TITLE "Ervaringen Wmo 2024-2025 (demo)"

enum { DEMO_STORIES_MAX = 10000000 };

struct demo_options {
	int64_t stories; /* 1..DEMO_STORIES_MAX */
	uint64_t seed;
	int null_effects; /* 1: every answer drawn independently (--null) */
	/* 0: none; t + 1: topic t is planted more in the last quarter, 2025-Q4
	 * (--rising-topic NAME): TOPIC_RISING_WEIGHT added to its weight */
	int rising_topic;
};

/* ---- the planted effects, as data (docs/analysis.md, "Demo data") ------ */

enum demo_effect_kind {
	/* Within the stories matching `when`, those with group_question =
	 * group_option differ on the outcome from the rest by size. */
	DEMO_EFFECT_GROUP,
	/* The stories of period_b differ from those of period_a by size. */
	DEMO_EFFECT_PERIOD,
	/* Each later story of the same person differs from the one before by
	 * size (people who tell again). */
	DEMO_EFFECT_OVER_TIME,
	/* Within `when`, the professional's answer (outcome_pro) minus the
	 * teller's (outcome) is size. */
	DEMO_EFFECT_PERSPECTIVE,
	/* Within `when`, the share of stories with group_question =
	 * group_option is size higher than in the other stories (an
	 * association of two choice questions). */
	DEMO_EFFECT_SHARE,
};

struct demo_condition {
	const char *question, *option; /* question NULL: no condition */
};

struct demo_effect {
	const char *name; /* short, stable: "dagbesteding-eenzaamheid" */
	enum demo_effect_kind kind;
	const char *outcome;     /* the question id the effect shows in */
	const char *corner;      /* a triad's corner id (its mean weight), else NULL */
	const char *outcome_pro; /* PERSPECTIVE: the professional's question */
	struct demo_condition when;
	struct demo_condition group;                          /* GROUP and SHARE */
	const char *period_a;                                 /* PERIOD: "2024" */
	const char *period_b;                                 /* PERIOD: "2025" */
	int64_t period_a_start, period_b_start, period_b_end; /* unix seconds (UTC) */
	/* The planted difference in the model before answers are clipped to
	 * their range: points (0-100) for a dyad, a weight (0-1) for a triad
	 * corner, a share (0-1) for SHARE. 0: a planted absence, the engine
	 * should not find it. */
	double size;
	const char *description; /* one English sentence */
};

/* The effects the generator plants (none of them with null_effects). The
 * array is static; *n gets its length. */
const struct demo_effect *demo_effects(size_t *n);

/* ---- the planted topics and group words (docs/analysis.md, "The planted
 * effects"): in the story texts only, never in the answers ------------- */

/* Every story's text carries one planted topic: 2 to 4 sentences of it
 * mixed with the rest. The topic is not stored anywhere; a test compares
 * the themes found (analysis/themes.h) with demo_planted_topic. */
struct demo_plan;
enum { DEMO_TOPICS = 7 };

/* The topic's short, stable name ("vervoer", ...), t in 0..DEMO_TOPICS-1. */
const char *demo_topic_name(int t);
/* The topic of that name, or -1. */
int demo_topic_parse(const char *name);

/* The planted topic (0..DEMO_TOPICS-1) of story i of the plan: a pure
 * function of the seed, i and the teller's situation, the same as the
 * text of demo_story_body(p, i, ...) carries. */
int demo_planted_topic(const struct demo_plan *p, int64_t i);

/* Group words for keyness: the stories whose descriptor question =
 * option (a district) use these words markedly more than the rest. */
struct demo_group_words {
	const char *question, *option;
	const char *const *words; /* folded stems as the tokenizer gives them */
	size_t nwords;
	double share_in, share_out; /* stories with a sentence of them */
};
const struct demo_group_words *demo_group_words(size_t *n);

/* ---- the generator ------------------------------------------------------ */

/* The whole plan of a demo: who tells when. Allocated by demo_plan_new,
 * freed by demo_plan_free. */
struct demo_plan;

struct demo_plan *demo_plan_new(const struct demo_options *o);
void demo_plan_free(struct demo_plan *p);
int64_t demo_plan_stories(const struct demo_plan *p);
int64_t demo_plan_participants(const struct demo_plan *p);
/* The participant (0-based, in order of their first story) of story i and
 * whether story i is that person's first. Stories are in time order. */
int64_t demo_story_participant(const struct demo_plan *p, int64_t i, int *first);

/* Story i (0 <= i < stories) as a submission body for story_prepare:
 * {"id", "channel", "script_version", "language", "answers",
 * "professional"?, "consent"?} with its created_at in *created_at.
 * consent_hash: the hash of the privacy text agreed to (util_hash_hex),
 * or NULL for none. The same plan, i and collection_id give the same body
 * on every machine (the generator uses its own PRNG and only + - * / on
 * doubles). New reference. */
json_t *demo_story_body(const struct demo_plan *p, int64_t i, int64_t collection_id,
                        int script_version, const char *consent_hash, int64_t *created_at);

/* ---- storing ---------------------------------------------------------- */

/* A writer job: stories [from, to) of the plan, each through story_prepare
 * (done before the job, by demo_batch_prepare) and story_submit_write,
 * creating a participant (without contact data) at a person's first
 * story, and one access-log entry for the batch. */
struct demo_batch {
	struct demo_plan *plan;
	const struct collection *collection;
	int64_t from, to;
	struct story_submit *st; /* to - from of them */
	/* out */
	int64_t stored, participants_new;
	int gone; /* the collection stopped taking stories */
};
/* Prepares the batch's stories with the checks of every channel. 0, or -1
 * with the story and the reason in err (a bug in the generator). */
int demo_batch_prepare(struct demo_batch *b, const struct script *s, char *err, size_t errlen);
int demo_batch_write(db *d, void *ctx);
void demo_batch_free(struct demo_batch *b);

#endif
