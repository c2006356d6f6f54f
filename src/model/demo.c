/* demo.c: the demo vertelpunt: participants and Wmo stories drawn from a seed, with planted effects (docs/analysis.md, "Demo data"). */
#include "model/demo.h"

#include "core/buf.h"
#include "core/util.h"
#include "model/audit.h"
#include "model/participant.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the PRNG: splitmix64 to seed, xoshiro256** to draw ----------------

 * Our own generator, not rand(): the same seed gives the same stories on
 * every machine. Doubles are made from 53 random bits and only combined
 * with + - * / and comparisons (IEEE 754 rounds those exactly the same
 * everywhere; the build's -std=c17 keeps the compiler from fusing them),
 * so no libm function can make two machines differ. */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A stream for (seed, purpose, index): streams of different stories do
 * not depend on each other, so any story can be made on its own. */
static void rng_seed(struct rng *r, uint64_t seed, uint64_t purpose, uint64_t index)
{
	uint64_t x = seed;
	x ^= splitmix64(&(uint64_t){purpose * 0x100000001b3ULL + 1});
	x ^= splitmix64(&(uint64_t){index ^ 0x5851f42d4c957f2dULL}) * 3;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform on [0, 1). */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform on 0..n-1 (n small: the bias of the modulo is below 2^-40). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(rng_next(r) % n);
}

static int rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

/* A standard normal, approximately: the sum of 12 uniforms minus 6 (mean 0,
 * variance 1, within +-6). Only additions, so it is the same everywhere. */
static double rng_normal(struct rng *r)
{
	double t = 0;
	for (int i = 0; i < 12; i++)
		t += rng_unit(r);
	return t - 6.0;
}

/* An index drawn with the given weights (they need not sum to 1). */
static int rng_pick(struct rng *r, const double *w, int n)
{
	double total = 0;
	for (int i = 0; i < n; i++)
		total += w[i];
	double u = rng_unit(r) * total;
	for (int i = 0; i < n - 1; i++) {
		if (u < w[i])
			return i;
		u -= w[i];
	}
	return n - 1;
}

/* P_TOPIC: the planted topic and its sentences, a stream of its own so the
 * answers (drawn from P_STORY) are the same with or without topics. */
enum { P_PLAN = 1, P_PERSON, P_STORY, P_UUID, P_TOPIC };

/* ---- the demo's world ------------------------------------------------- */

static const char *const situations[] = {
        "alleen-wonend",       "mantelzorger", "lichamelijke-beperking",
        "psychische-klachten", "geldzorgen",   "eenzaamheid"};
enum { S_ALONE, S_CARER, S_PHYSICAL, S_MENTAL, S_MONEY, S_LONELY, NSITUATIONS };
static const double situation_w[NSITUATIONS] = {0.20, 0.14, 0.26, 0.13, 0.12, 0.15};

static const char *const interventions[] = {"huishoudelijke-hulp", "dagbesteding",
                                            "begeleiding-thuis",   "hulpmiddel",
                                            "woningaanpassing",    "alleen-advies"};
enum { I_HOUSEHOLD, I_DAYCARE, I_GUIDANCE, I_AID, I_ADAPTATION, I_ADVICE, NINTERVENTIONS };
static const double intervention_w[NINTERVENTIONS] = {0.27, 0.14, 0.16, 0.18, 0.10, 0.15};
/* Effect 6 (who gets an adaptation): the other options keep their
 * proportions. */
enum { ADAPTATION_PHYSICAL_PCT = 25, ADAPTATION_OTHER_PCT = 7 };

static const char *const ages[] = {"tot-30", "30-49", "50-64", "65-79", "80-plus", "zeg-niet"};
static const double age_w[] = {0.07, 0.14, 0.20, 0.32, 0.22, 0.05};
static const char *const districts[] = {"centrum",  "molenwijk",    "de-beemden",
                                        "kerkveld", "noorderhaven", "buitengebied"};
static const double district_w[] = {0.18, 0.22, 0.16, 0.17, 0.15, 0.12};

static const char *const channels[] = {"web", "face-to-face", "phone", "kiosk", "paper"};
static const double channel_w[] = {0.35, 0.25, 0.15, 0.10, 0.15};
/* The share of stories a consultant adds answers to, per channel: about
 * 40% in all. */
static const double channel_pro[] = {0.15, 0.90, 0.50, 0.10, 0.30};

static const char *const prompts[] = {"p-verschil", "p-gesprek", "p-vriend"};
static const double prompt_w[] = {0.45, 0.35, 0.20};

/* 2024-Q1 .. 2025-Q4 (UTC), with more stories as the vertelpunt becomes
 * known. */
static const int64_t quarter_start[9] = {1704067200, 1711929600, 1719792000, 1727740800, 1735689600,
                                         1743465600, 1751328000, 1759276800, 1767225600};
static const double quarter_w[8] = {0.09, 0.10, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16};
#define YEAR_2025 1735689600

/* The model's numbers (docs/analysis.md, "Demo data"). */
#define HELPED_BASE      48.0  /* mean of the outcome dyad before any effect */
#define HELPED_NOISE     18.0  /* sd of one story's outcome around its mean */
#define PERSON_NOISE     10.0  /* sd of a person's own level */
#define EFFECT_DAYCARE   25.0  /* effect 1 */
#define EFFECT_ADAPT     20.0  /* effect 2 */
#define HEARD_BASE       66.0  /* the "heard" dyad in 2024 */
#define HEARD_NOISE      20.0  /* sd */
#define EFFECT_HEARD     -15.0 /* effect 3a: 2025 against 2024 */
#define EFFECT_AGAIN     15.0  /* effect 4: per later story of a person */
#define AGAIN_START      -20.0 /* people who tell again start lower */
#define EFFECT_PRO       30.0  /* effect 5: consultant minus client */
#define PRO_TRIAD_NOISE  0.10  /* sd of the consultant's triad weights around the client's */
#define PRO_NOISE        10.0  /* sd of the consultant's view around the client's */
#define TRIAD_NOISE      0.20  /* sd of each corner's weight before closing */
#define TRIAD_CORNER_PCT 7     /* answers put exactly on a corner */
/* Satisfaction (1-5) follows the outcome and feeling heard:
 * round(1.5 + 4 * (0.65 helped + 0.35 heard) / 100 + 0.8 noise). */
#define SATISFACTION_BASE  1.5
#define SATISFACTION_NOISE 0.8
static const double triad_2024[3] = {0.40, 0.35, 0.25};
static const double triad_2025[3] = {0.30, 0.30, 0.40}; /* effect 3b */
/* With --null: one distribution for every story. */
#define NULL_HELPED       47.0
#define NULL_HELPED_NOISE 24.0
#define NULL_HEARD        58.0
static const double triad_null[3] = {0.35, 0.325, 0.325};
static const double satisfaction_null[5] = {0.07, 0.13, 0.28, 0.33, 0.19};

/* ---- the effects as data ---------------------------------------------- */

static const struct demo_effect effects[] = {
        {.name = "dagbesteding-eenzaamheid",
         .kind = DEMO_EFFECT_GROUP,
         .outcome = "q-geholpen",
         .when = {"q-situatie", "eenzaamheid"},
         .group = {"q-interventie", "dagbesteding"},
         .size = EFFECT_DAYCARE,
         .description = "For people who often feel lonely, day activities help 25 points more "
                        "than the other kinds of support."},
        {.name = "dagbesteding-alleen-wonend",
         .kind = DEMO_EFFECT_GROUP,
         .outcome = "q-geholpen",
         .when = {"q-situatie", "alleen-wonend"},
         .group = {"q-interventie", "dagbesteding"},
         .size = EFFECT_DAYCARE,
         .description = "For people who live alone, day activities help 25 points more than "
                        "the other kinds of support."},
        {.name = "dagbesteding-geldzorgen",
         .kind = DEMO_EFFECT_GROUP,
         .outcome = "q-geholpen",
         .when = {"q-situatie", "geldzorgen"},
         .group = {"q-interventie", "dagbesteding"},
         .size = 0,
         .description = "For people who worry about money, day activities help no more than "
                        "other support (a planted absence)."},
        {.name = "woningaanpassing-lichamelijke-beperking",
         .kind = DEMO_EFFECT_GROUP,
         .outcome = "q-geholpen",
         .when = {"q-situatie", "lichamelijke-beperking"},
         .group = {"q-interventie", "woningaanpassing"},
         .size = EFFECT_ADAPT,
         .description = "An adaptation of the home helps people with a physical disability 20 "
                        "points more than other support; for everyone else it makes no "
                        "difference."},
        {.name = "gehoord-2025",
         .kind = DEMO_EFFECT_PERIOD,
         .outcome = "q-gehoord",
         .period_a = "2024",
         .period_b = "2025",
         .period_a_start = 1704067200,
         .period_b_start = YEAR_2025,
         .period_b_end = 1767225600,
         .size = EFFECT_HEARD,
         .description = "In 2025 people felt heard 15 points less than in 2024."},
        {.name = "steun-gemeente-2025",
         .kind = DEMO_EFFECT_PERIOD,
         .outcome = "q-steun",
         .corner = "gemeente",
         .period_a = "2024",
         .period_b = "2025",
         .period_a_start = 1704067200,
         .period_b_start = YEAR_2025,
         .period_b_end = 1767225600,
         .size = 0.15,
         .description = "In 2025 the triad moves towards the municipality: its corner's mean "
                        "weight goes from 0.25 to 0.40 (own strength 0.40 to 0.30, people "
                        "around 0.35 to 0.30)."},
        {.name = "opnieuw-vertellen",
         .kind = DEMO_EFFECT_OVER_TIME,
         .outcome = "q-geholpen",
         .size = EFFECT_AGAIN,
         .description = "People who tell again rate the help 15 points higher with each later "
                        "story (their first story is 20 points below the others')."},
        {.name = "consulent-psychische-klachten",
         .kind = DEMO_EFFECT_PERSPECTIVE,
         .outcome = "q-geholpen",
         .outcome_pro = "q-pro-geholpen",
         .when = {"q-situatie", "psychische-klachten"},
         .size = EFFECT_PRO,
         .description = "For clients with mental health problems the consultant rates the help "
                        "30 points higher than the client does; elsewhere they agree."},
        {.name = "woningaanpassing-toewijzing",
         .kind = DEMO_EFFECT_SHARE,
         .outcome = "q-interventie",
         .when = {"q-situatie", "lichamelijke-beperking"},
         .group = {"q-interventie", "woningaanpassing"},
         .size = (ADAPTATION_PHYSICAL_PCT - ADAPTATION_OTHER_PCT) / 100.0,
         .description = "People with a physical disability get an adaptation of the home more "
                        "often: 25% against 7% of the others."},
};

const struct demo_effect *demo_effects(size_t *n)
{
	*n = sizeof effects / sizeof effects[0];
	return effects;
}

/* ---- the plan: who tells when ----------------------------------------- */

struct plan_story {
	int64_t created_at;
	uint32_t person; /* in order of drawing (the person's stream) */
	uint8_t ordinal; /* 0: the person's first story */
	uint8_t count;   /* the person's stories */
};

struct demo_plan {
	struct demo_options o;
	int64_t nstories, npersons;
	struct plan_story *stories;
	uint32_t *participant_of; /* person -> participant number (first story order) */
	uint32_t *person_of;      /* participant number -> person */
	int64_t *participant_ids; /* filled as the batches store them */
};

static int story_cmp(const void *a, const void *b)
{
	const struct plan_story *x = a, *y = b;
	if (x->created_at != y->created_at)
		return x->created_at < y->created_at ? -1 : 1;
	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	return (int)x->ordinal - (int)y->ordinal;
}

/* A moment in the two years: a quarter by its weight, a day in it, a time
 * between 08:00 and 21:00. */
static int64_t draw_moment(struct rng *r)
{
	int q = rng_pick(r, quarter_w, 8);
	int64_t days = (quarter_start[q + 1] - quarter_start[q]) / 86400;
	int64_t day = (int64_t)rng_below(r, (uint32_t)days);
	return quarter_start[q] + day * 86400 + 8 * 3600 + (int64_t)rng_below(r, 13 * 3600);
}

struct demo_plan *demo_plan_new(const struct demo_options *o)
{
	assert(o && o->stories >= 1 && o->stories <= DEMO_STORIES_MAX);
	struct demo_plan *p = calloc(1, sizeof *p);
	if (!p)
		abort();
	p->o = *o;
	p->nstories = o->stories;
	p->stories = malloc((size_t)o->stories * sizeof *p->stories);
	if (!p->stories)
		abort();
	struct rng r;
	rng_seed(&r, o->seed, P_PLAN, 0);
	/* About 30% of people tell 2 to 4 times, at increasing moments. */
	static const double again_w[3] = {0.5, 0.3, 0.2};
	int64_t n = 0;
	uint32_t person = 0;
	while (n < o->stories) {
		int k = rng_chance(&r, 0.30) ? 2 + rng_pick(&r, again_w, 3) : 1;
		if (k > o->stories - n)
			k = (int)(o->stories - n);
		int64_t t[4];
		for (int j = 0; j < k; j++) {
			t[j] = draw_moment(&r);
			for (int m = j; m > 0 && t[m] < t[m - 1]; m--) {
				int64_t x = t[m];
				t[m] = t[m - 1];
				t[m - 1] = x;
			}
		}
		for (int j = 0; j < k; j++)
			p->stories[n++] = (struct plan_story){.created_at = t[j],
			                                      .person = person,
			                                      .ordinal = (uint8_t)j,
			                                      .count = (uint8_t)k};
		person++;
	}
	p->npersons = person;
	qsort(p->stories, (size_t)n, sizeof *p->stories, story_cmp);
	p->participant_of = malloc((size_t)person * sizeof *p->participant_of);
	p->person_of = malloc((size_t)person * sizeof *p->person_of);
	p->participant_ids = calloc((size_t)person, sizeof *p->participant_ids);
	if (!p->participant_of || !p->person_of || !p->participant_ids)
		abort();
	uint32_t next = 0;
	for (int64_t i = 0; i < n; i++)
		if (p->stories[i].ordinal == 0) {
			p->participant_of[p->stories[i].person] = next;
			p->person_of[next++] = p->stories[i].person;
		}
	assert(next == person);
	return p;
}

void demo_plan_free(struct demo_plan *p)
{
	if (!p)
		return;
	free(p->stories);
	free(p->participant_of);
	free(p->person_of);
	free(p->participant_ids);
	free(p);
}

int64_t demo_plan_stories(const struct demo_plan *p)
{
	return p->nstories;
}
int64_t demo_plan_participants(const struct demo_plan *p)
{
	return p->npersons;
}

int64_t demo_story_participant(const struct demo_plan *p, int64_t i, int *first)
{
	assert(i >= 0 && i < p->nstories);
	if (first)
		*first = p->stories[i].ordinal == 0;
	return p->participant_of[p->stories[i].person];
}

/* ---- one person ---------------------------------------------------------- */

struct person {
	int situation, intervention; /* kept over their stories (with effects) */
	int age, district;           /* -1: not answered */
	double level;                /* their own level on the outcome */
};

static int draw_intervention(struct rng *r, int situation, int effects_on)
{
	if (!effects_on || situation < 0)
		return rng_pick(r, intervention_w, NINTERVENTIONS);
	double w[NINTERVENTIONS];
	double adapt = situation == S_PHYSICAL ? ADAPTATION_PHYSICAL_PCT / 100.0
	                                       : ADAPTATION_OTHER_PCT / 100.0;
	double rest = 1.0 - intervention_w[I_ADAPTATION];
	for (int i = 0; i < NINTERVENTIONS; i++)
		w[i] = i == I_ADAPTATION ? adapt : intervention_w[i] * (1.0 - adapt) / rest;
	return rng_pick(r, w, NINTERVENTIONS);
}

static void draw_person(const struct demo_plan *p, uint32_t who, struct person *out)
{
	struct rng r;
	rng_seed(&r, p->o.seed, P_PERSON, who);
	out->situation = rng_pick(&r, situation_w, NSITUATIONS);
	out->intervention = draw_intervention(&r, out->situation, !p->o.null_effects);
	out->age = rng_chance(&r, 0.03) ? -1 : rng_pick(&r, age_w, 6);
	out->district = rng_chance(&r, 0.04) ? -1 : rng_pick(&r, district_w, 6);
	out->level = PERSON_NOISE * rng_normal(&r);
}

/* ---- answers ------------------------------------------------------------- */

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* A whole number: halves away from zero (x >= 0 here). */
static int round_int(double x)
{
	return (int)(x + 0.5);
}

/* Weights w (not negative) closed to three decimals whose whole numbers
 * of thousandths sum to 1000; all zero counts as the middle. */
static void close_triad(double w[3], double out[3])
{
	double sum = w[0] + w[1] + w[2];
	if (sum <= 0)
		w[0] = w[1] = w[2] = 1, sum = 3;
	int a = round_int(1000 * w[0] / sum), b = round_int(1000 * w[1] / sum);
	if (a + b > 1000)
		b = 1000 - a;
	out[0] = a / 1000.0;
	out[1] = b / 1000.0;
	out[2] = (1000 - a - b) / 1000.0;
}

/* A triad answer around the means m: each weight with noise (sd sd), cut
 * at 0 and 1, then closed. */
static void triad_around(struct rng *r, const double m[3], double sd, double out[3])
{
	double w[3];
	for (int i = 0; i < 3; i++)
		w[i] = clamp(m[i] + sd * rng_normal(r), 0, 1);
	close_triad(w, out);
}

/* A teller's triad answer: around m, some exactly on a corner. */
static void draw_triad(struct rng *r, const double m[3], double out[3])
{
	if (rng_below(r, 100) < TRIAD_CORNER_PCT) {
		int c = rng_pick(r, m, 3);
		for (int i = 0; i < 3; i++)
			out[i] = i == c;
		return;
	}
	triad_around(r, m, TRIAD_NOISE, out);
}

static json_t *triad_json(const double w[3])
{
	return json_pack("[fff]", w[0], w[1], w[2]);
}

/* Satisfaction 1..5 from a latent value on 1..5. */
static int scale5(double latent)
{
	return (int)clamp(round_int(clamp(latent, 0.5, 5.49)), 1, 5);
}

/* ---- story texts ------------------------------------------------------ */

/* Sentence pools. %n: someone close, %d: a number of days, %w: a number of
 * weeks. */
static const char *const opening[NSITUATIONS][3] = {
        [S_ALONE] = {"Sinds mijn man is overleden woon ik alleen.",
                     "Ik woon al jaren alleen in een flat aan de rand van de wijk.",
                     "Ik woon alleen en mijn kinderen wonen ver weg."},
        [S_CARER] = {"Ik zorg elke dag voor mijn moeder, zij heeft dementie.",
                     "Mijn man is ziek en ik doe bijna alles voor hem.",
                     "Naast mijn werk zorg ik voor mijn broer met een beperking."},
        [S_PHYSICAL] = {"Na mijn beroerte kan ik slecht lopen.",
                        "Door reuma kan ik veel dingen niet meer zelf.",
                        "Ik zit sinds een ongeluk in een rolstoel."},
        [S_MENTAL] = {"Ik heb al lang last van depressie.",
                      "Sinds een paar jaar heb ik veel angst en onrust.",
                      "Ik ben na een burn-out thuis komen te zitten."},
        [S_MONEY] = {"Ik heb schulden en de rekeningen stapelen zich op.",
                     "Sinds ik mijn baan kwijt ben, is er weinig geld.",
                     "Ik maak me elke maand zorgen of ik de huur kan betalen."},
        [S_LONELY] = {"Ik zie soms dagen niemand.",
                      "Sinds mijn vriendin is verhuisd, voel ik me vaak alleen.",
                      "De dagen zijn lang en stil, ik praat met bijna niemand."},
};
static const char *const opening_none[] = {"Ik wil graag iets vertellen over de hulp.",
                                           "Het is een lang verhaal, maar ik probeer het kort."};

static const char *const conversation[3][3] = {
        {"In het gesprek met de gemeente had ik het gevoel dat er niet echt werd geluisterd.",
         "De consulent had haast en vulde vooral een formulier in.",
         "Ik moest mijn verhaal drie keer vertellen aan steeds iemand anders."},
        {"Het gesprek ging redelijk, al ging het snel.",
         "De consulent was vriendelijk, maar ik kon niet alles kwijt.",
         "We hebben aan de keukentafel gepraat, dat was wel prettig."},
        {"De consulent nam echt de tijd en luisterde goed.",
         "Ik voelde me serieus genomen in het gesprek.",
         "Er werd goed naar mij geluisterd, ook naar %n."},
};

static const char *const support[NINTERVENTIONS][2] = {
        [I_HOUSEHOLD] = {"Nu komt er %d keer per week iemand helpen in het huishouden.",
                         "Ik kreeg hulp bij het schoonmaken en de was."},
        [I_DAYCARE] = {"Ik ga nu %d dagen per week naar de dagbesteding.",
                       "Via de gemeente kan ik naar een dagbesteding in de buurt."},
        [I_GUIDANCE] = {"Er komt nu een begeleider bij mij thuis, %d keer per week.",
                        "Ik krijg begeleiding thuis, om mijn dagen weer op orde te krijgen."},
        [I_AID] = {"Na %w weken kreeg ik een scootmobiel.",
                   "Ik kreeg een rollator en later een rolstoel."},
        [I_ADAPTATION] = {"Na %w weken werd er een traplift geplaatst.",
                          "De badkamer is aangepast, met een douchezitje en beugels."},
        [I_ADVICE] = {"Ik kreeg alleen advies en een folder mee.",
                      "Er kwam geen hulp, wel een paar tips en een telefoonnummer."},
};

static const char *const outcome[3][4] = {
        {"Eerlijk gezegd merk ik er weinig van.", "Het heeft mij niet echt geholpen.",
         "Ik zit nog steeds met hetzelfde probleem.", "Het paste niet bij wat ik nodig had."},
        {"Het helpt een beetje, maar het is nog zwaar.",
         "Sommige dagen gaat het beter, andere dagen niet.",
         "Het is een begin, maar ik ben er nog niet.",
         "Het scheelt wel iets, vooral in de ochtend."},
        {"Dat heeft mij echt geholpen.", "Ik voel me een stuk beter dan een jaar geleden.",
         "Ik kan weer dingen die ik lang niet kon.", "Het maakt een groot verschil, ook voor %n."},
};

static const char *const detail[NSITUATIONS][2] = {
        [S_ALONE] = {"'s Avonds is het huis erg stil.", "%n komt af en toe langs."},
        [S_CARER] = {"Ik ben vaak moe en heb weinig tijd voor mezelf.",
                     "%n neemt soms een dag van mij over."},
        [S_PHYSICAL] = {"De trap was elke dag een probleem.",
                        "Boodschappen doen lukt niet zonder hulp."},
        [S_MENTAL] = {"Sommige dagen kom ik mijn bed bijna niet uit.",
                      "Ik wil graag weer meedoen, maar dat is moeilijk."},
        [S_MONEY] = {"Ik durf de post soms niet open te maken.",
                     "Ik schaam me ervoor en praat er niet graag over."},
        [S_LONELY] = {"Ik mis het praten met mensen.", "%n belt wel eens, maar niet vaak."},
};

static const char *const again[] = {
        "Dit is de tweede keer dat ik hier iets vertel.",
        "Ik vertelde al eerder over mijn situatie, nu weet ik meer.",
        "Sinds mijn vorige verhaal is er wel wat veranderd.",
};

static const char *const advice[3][2] = {
        {"Aan een vriend zou ik zeggen: laat je niet wegsturen.",
         "Mijn advies: schrijf op wat je nodig hebt, anders word je niet gehoord."},
        {"Aan een vriend zou ik zeggen: vraag het gewoon, maar verwacht niet te veel.",
         "Mijn advies: neem iemand mee naar het gesprek."},
        {"Aan een vriend zou ik zeggen: vraag op tijd om hulp.",
         "Mijn advies: wacht niet te lang, het kan echt helpen."},
};

static const char *const close_people[] = {"mijn dochter", "mijn zoon", "de buurvrouw",
                                           "een vriendin", "mijn zus",  "de buurman"};
static const char *const small_numbers[] = {"twee", "drie", "vier", "vijf", "zes"};

static const char *const titles[NINTERVENTIONS][3][2] = {
        [I_HOUSEHOLD] = {{"Nog steeds een rommelig huis", "Hulp die niet past"},
                         {"Een schoner huis, maar...", "Hulp in huis"},
                         {"Eindelijk weer rust in huis", "Een opgeruimd huis"}},
        [I_DAYCARE] = {{"Niet mijn plek", "Dagbesteding was niets voor mij"},
                       {"Soms even de deur uit", "Een paar dagen in de week"},
                       {"Weer onder de mensen", "Iets om naar uit te kijken"}},
        [I_GUIDANCE] = {{"Begeleiding zonder resultaat", "Weer een nieuw gezicht"},
                        {"Langzaam vooruit", "Iemand die meekijkt"},
                        {"Weer grip op mijn dagen", "Een begeleider die luistert"}},
        [I_AID] = {{"Een hulpmiddel in de gang", "Lang wachten"},
                   {"Iets meer vrijheid", "Een begin"},
                   {"Weer zelf naar de markt", "Mijn scootmobiel"}},
        [I_ADAPTATION] = {{"Een aanpassing die weinig doet", "Verbouwing voor niets"},
                          {"Een beetje makkelijker", "De traplift"},
                          {"Weer boven slapen", "Veilig in mijn eigen huis"}},
        [I_ADVICE] = {{"Alleen een folder", "Weggestuurd"},
                      {"Goede tips, maar geen hulp", "Een gesprek en verder niets"},
                      {"Een duwtje in de goede richting", "Zelf verder met goed advies"}},
};
static const char *const titles_none[] = {"Mijn verhaal", "Hoe het nu gaat", "Over de hulp"};

/* Appends a sentence of a pool, filling in %n, %d and %w. */
static void say(buf *b, struct rng *r, const char *sentence)
{
	if (b->len)
		buf_putc(b, ' ');
	for (const char *c = sentence; *c; c++) {
		if (c[0] != '%' || !c[1]) {
			buf_putc(b, *c);
			continue;
		}
		int at_start = c == sentence;
		c++;
		if (*c == 'n') {
			size_t at = b->len;
			buf_puts(b, close_people[rng_below(r, 6)]);
			if (at_start)
				b->data[at] = (char)(b->data[at] - 'a' + 'A');
		} else if (*c == 'd') {
			buf_puts(b, small_numbers[rng_below(r, 3)]);
		} else if (*c == 'w') {
			buf_puts(b, small_numbers[rng_below(r, 5)]);
		}
	}
}

/* ---- the planted topics (docs/analysis.md, "The planted effects") ------

 * What people talk about besides their situation and their support: each
 * story gets one topic, drawn from its own stream (P_TOPIC) with the
 * teller's situation's natural topic three times as likely as each other
 * (uniform under --null), and 2 to 4 different sentences of it. The
 * sentences share a core of words (with compounds, plurals and
 * diminutives), as people talking about one thing do. */

static const char *const topic_names[DEMO_TOPICS] = {"vervoer",       "schoonmaak", "contact",
                                                     "overbelasting", "wachttijd",  "woning",
                                                     "eigen-bijdrage"};
enum { T_TRANSPORT, T_CLEANING, T_CONTACT, T_CARER, T_WAITING, T_HOUSING, T_MONEY };
enum { TOPIC_SENTENCES = 8 };

static const char *const topic_sentences[DEMO_TOPICS][TOPIC_SENTENCES] = {
        [T_TRANSPORT] = {"De regiotaxi komt vaak te laat, soms wacht ik een uur.",
                         "Met de taxi naar het ziekenhuis is elke keer een hele onderneming.",
                         "Het vervoer is slecht geregeld, de chauffeur kent de weg niet.",
                         "Ik heb een pasje voor het Wmo-vervoer, maar de ritten zijn duur.",
                         "Het taxibusje haalt mij op, maar ik zit er soms anderhalf uur in.",
                         "Ritjes met de regiotaxi moet ik een dag van tevoren bellen.",
                         "Zonder vervoer kom ik de deur niet uit, de taxi is mijn enige kans.",
                         "De chauffeurs van de taxi zijn aardig, maar de ritten duren lang."},
        [T_CLEANING] = {"De schoonmaakster komt maar twee uur, dat is te kort om alles te doen.",
                        "Stofzuigen en dweilen lukt mij zelf niet meer.",
                        "Steeds komt er een andere schoonmaakster, ik moet alles opnieuw "
                        "uitleggen.",
                        "De ramen en de vloeren worden niet meer gepoetst.",
                        "Mijn schoonmaakuren zijn gehalveerd, nu blijft het stof liggen.",
                        "Ik wil graag dat de schoonmaakster ook de ramen lapt.",
                        "Het poetsen van de keuken en het stofzuigen kost mij de hele dag.",
                        "Een schoon huis geeft mij rust, maar de schoonmaakster is vaak ziek."},
        [T_CONTACT] = {"Ik zou graag meer contact hebben met de buren.",
                       "In het buurthuis drink ik soms koffie, dan heb ik even een praatje.",
                       "Een bezoekje van een vrijwilliger zou veel voor mij betekenen.",
                       "Ik mis gezelschap en contact, vooral in het weekend.",
                       "Bij de koffieochtend in het buurthuis leerde ik nieuwe mensen kennen.",
                       "Een praatje met de buren maakt mijn dag al beter.",
                       "Contact met andere mensen vind ik moeilijk, maar ik wil het wel.",
                       "De vrijwilliger komt elke week op bezoek en drinkt koffie met mij."},
        [T_CARER] = {"Als mantelzorger ben ik overbelast, ik slaap slecht.",
                     "De mantelzorg valt mij zwaar, ik heb geen tijd meer voor mijn eigen "
                     "leven.",
                     "Ik heb gevraagd om respijtzorg, zodat ik even kan bijkomen.",
                     "Mijn zorgtaken houden nooit op, ook niet 's nachts.",
                     "Ik ben uitgeput van de mantelzorg en voel me schuldig als ik rust neem.",
                     "Een mantelzorgcompliment is aardig, maar ik heb meer aan respijtzorg.",
                     "Andere mantelzorgers in de praatgroep zijn ook overbelast.",
                     "De mantelzorgondersteuning gaf mij tips om mijn zorgtaken te delen."},
        [T_WAITING] = {"De wachttijd voor de indicatie was meer dan vier maanden.",
                       "Ik sta al maanden op een wachtlijst en hoor niets.",
                       "Na mijn aanvraag duurde het maanden voordat er een beslissing kwam.",
                       "Over de indicatie kreeg ik een brief die ik niet begreep.",
                       "De wachtlijsten zijn lang, intussen moet ik het zelf oplossen.",
                       "Ik belde drie keer om te vragen hoe het met mijn aanvraag stond.",
                       "Door de lange wachttijd werd mijn situatie eerst slechter.",
                       "De herindicatie kwam na een lange wachttijd, zonder gesprek."},
        [T_HOUSING] = {"Mijn woning is niet meer geschikt, ik wil graag verhuizen.",
                       "Ik sta ingeschreven voor een seniorenwoning, maar die zijn er bijna "
                       "niet.",
                       "De woningcorporatie wilde de drempels niet weghalen.",
                       "Een gelijkvloerse woning zou alles makkelijker maken.",
                       "Verhuizen naar een kleinere woning durf ik nog niet aan.",
                       "De drempels en de smalle deurtjes in mijn woning zijn lastig.",
                       "Via de woningcorporatie kreeg ik een woning op de begane grond "
                       "aangeboden.",
                       "Ik woon al veertig jaar in deze woning en wil niet verhuizen."},
        [T_MONEY] = {"De eigen bijdrage voor de hulp vind ik te hoog.",
                     "Ik kreeg een rekening van het CAK die ik niet had verwacht.",
                     "Ik weet niet of ik de eigen bijdrage kan blijven betalen.",
                     "Door de kosten van de eigen bijdrage heb ik de hulp een tijd opgezegd.",
                     "Elke maand gaat er geld naar de eigen bijdrage, dat merk ik goed.",
                     "Niemand vertelde mij vooraf wat de hulp zou kosten.",
                     "De facturen van het CAK zijn moeilijk te begrijpen.",
                     "Een paar euro eigen bijdrage per maand lijkt weinig, maar voor mij is "
                     "het veel."},
};

/* The situation's natural topic (weight 3 against 1 for each other). */
static const int topic_of_situation[NSITUATIONS] = {
        [S_ALONE] = T_CONTACT,  [S_CARER] = T_CARER, [S_PHYSICAL] = T_TRANSPORT,
        [S_MENTAL] = T_WAITING, [S_MONEY] = T_MONEY, [S_LONELY] = T_CONTACT};
#define TOPIC_NATURAL_WEIGHT 3.0
/* --rising-topic: added to the topic's weight in the last quarter, so it
 * is about twice as common there as before (what is rising). */
#define TOPIC_RISING_WEIGHT 3.0

/* Group words: people in the outlying district ("buitengebied") talk about
 * the bus, its stop and the village hall: a sentence of these in 60% of
 * their stories, 2% of the others'. */
#define GROUP_DISTRICT  5 /* districts[5] = "buitengebied" */
#define GROUP_SHARE_IN  0.60
#define GROUP_SHARE_OUT 0.02
static const char *const group_sentences[] = {
        "De bus rijdt hier maar twee keer per dag en de halte is ver weg.",
        "In het dorpshuis is elke week wel iets te doen.",
        "Vanuit ons dorp is het een half uur lopen naar de bushalte.",
        "Het dorpshuis is de plek waar ik mensen zie, als de bus tenminste rijdt.",
};
static const char *const group_stems[] = {"bus", "halt", "dorpshuis", "dorp"};
static const struct demo_group_words group_words[] = {
        {.question = "q-wijk",
         .option = "buitengebied",
         .words = group_stems,
         .nwords = sizeof group_stems / sizeof group_stems[0],
         .share_in = GROUP_SHARE_IN,
         .share_out = GROUP_SHARE_OUT},
};

const char *demo_topic_name(int t)
{
	assert(t >= 0 && t < DEMO_TOPICS);
	return topic_names[t];
}

int demo_topic_parse(const char *name)
{
	for (int t = 0; name && t < DEMO_TOPICS; t++)
		if (strcmp(name, topic_names[t]) == 0)
			return t;
	return -1;
}

const struct demo_group_words *demo_group_words(size_t *n)
{
	*n = sizeof group_words / sizeof group_words[0];
	return group_words;
}

/* Seeds the topic stream of story i and draws its topic first. */
static int topic_draw(const struct demo_plan *p, int64_t i, struct rng *rt)
{
	struct person who;
	draw_person(p, p->stories[i].person, &who);
	rng_seed(rt, p->o.seed, P_TOPIC, (uint64_t)i);
	double w[DEMO_TOPICS];
	for (int t = 0; t < DEMO_TOPICS; t++)
		w[t] = 1.0;
	if (!p->o.null_effects)
		w[topic_of_situation[who.situation]] = TOPIC_NATURAL_WEIGHT;
	if (p->o.rising_topic > 0 && p->o.rising_topic <= DEMO_TOPICS &&
	    p->stories[i].created_at >= quarter_start[7])
		w[p->o.rising_topic - 1] += TOPIC_RISING_WEIGHT;
	return rng_pick(rt, w, DEMO_TOPICS);
}

int demo_planted_topic(const struct demo_plan *p, int64_t i)
{
	assert(p && i >= 0 && i < p->nstories);
	struct rng rt;
	return topic_draw(p, i, &rt);
}

/* The topic's sentences of one story: 2 to 4 different ones, in the order
 * they are told. */
struct topic_say {
	int n, next;
	const char *s[4];
};

static void topic_choose(struct rng *rt, int topic, struct topic_say *ts)
{
	int idx[TOPIC_SENTENCES];
	for (int k = 0; k < TOPIC_SENTENCES; k++)
		idx[k] = k;
	ts->n = 2 + (int)rng_below(rt, 3);
	ts->next = 0;
	for (int k = 0; k < ts->n; k++) { /* a partial Fisher-Yates shuffle */
		int j = k + (int)rng_below(rt, (uint32_t)(TOPIC_SENTENCES - k));
		int x = idx[k];
		idx[k] = idx[j];
		idx[j] = x;
		ts->s[k] = topic_sentences[topic][idx[k]];
	}
}

/* Says the topic's next sentence, if any is left. */
static void topic_next(buf *b, struct rng *rt, struct topic_say *ts)
{
	if (ts->next < ts->n)
		say(b, rt, ts->s[ts->next++]);
}

static int band(int value)
{
	return value < 35 ? 0 : value < 65 ? 1 : 2;
}

/* The story's text and title from r (the answers' stream, drawn exactly as
 * before topics were planted) and rt (the topic's stream: its sentences,
 * spread over the text, and the district's group words). */
static void compose(buf *text, buf *title, struct rng *r, struct rng *rt, int topic, int district,
                    int situation, int intervention, int helped, int heard, int prompt, int ordinal)
{
	int hb = band(helped), cb = band(heard);
	struct topic_say ts;
	topic_choose(rt, topic, &ts);
	int group = rng_chance(rt, district == GROUP_DISTRICT ? GROUP_SHARE_IN : GROUP_SHARE_OUT);
	if (situation >= 0)
		say(text, r, opening[situation][rng_below(r, 3)]);
	else
		say(text, r, opening_none[rng_below(r, 2)]);
	topic_next(text, rt, &ts);
	if (ordinal > 0)
		say(text, r, again[ordinal == 1 ? 0 : 1 + rng_below(r, 2)]);
	if (prompt == 1 || intervention < 0 || rng_chance(r, 0.5))
		say(text, r, conversation[cb][rng_below(r, 3)]);
	if (intervention >= 0)
		say(text, r, support[intervention][rng_below(r, 2)]);
	topic_next(text, rt, &ts);
	if (situation >= 0 && rng_chance(r, 0.5))
		say(text, r, detail[situation][rng_below(r, 2)]);
	if (group)
		say(text, rt, group_sentences[rng_below(rt, 4)]);
	say(text, r, outcome[hb][rng_below(r, 4)]);
	topic_next(text, rt, &ts);
	topic_next(text, rt, &ts);
	if (prompt == 2)
		say(text, r, advice[hb][rng_below(r, 2)]);
	if (intervention >= 0)
		buf_puts(title, titles[intervention][hb][rng_below(r, 2)]);
	else
		buf_puts(title, titles_none[rng_below(r, 3)]);
}

/* ---- one story ----------------------------------------------------------- */

/* A UUID of version 7 (RFC 9562): the moment of telling in milliseconds,
 * then random bits. Stories are stored in time order, so the unique index
 * on uuid grows at its end instead of everywhere at once. */
static void uuid_text(struct rng *r, int64_t at, char out[STORY_UUID_LEN + 1])
{
	unsigned char u[16];
	uint64_t ms = (uint64_t)at * 1000 + rng_below(r, 1000);
	uint64_t a = rng_next(r), b = rng_next(r);
	for (int k = 0; k < 6; k++)
		u[k] = (unsigned char)(ms >> (8 * (5 - k)));
	for (int k = 0; k < 2; k++)
		u[6 + k] = (unsigned char)(a >> (8 * k));
	for (int k = 0; k < 8; k++)
		u[8 + k] = (unsigned char)(b >> (8 * k));
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x70); /* version 7 */
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80); /* variant 10 */
	static const char hex[] = "0123456789abcdef";
	char *o = out;
	for (int k = 0; k < 16; k++) {
		if (k == 4 || k == 6 || k == 8 || k == 10)
			*o++ = '-';
		*o++ = hex[u[k] >> 4];
		*o++ = hex[u[k] & 15];
	}
	*o = 0;
}

json_t *demo_story_body(const struct demo_plan *p, int64_t i, int64_t collection_id,
                        int script_version, const char *consent_hash, int64_t *created_at)
{
	assert(p && i >= 0 && i < p->nstories);
	const struct plan_story *ps = &p->stories[i];
	const int effects_on = !p->o.null_effects;
	struct person who;
	draw_person(p, ps->person, &who);
	struct rng r;
	rng_seed(&r, p->o.seed, P_STORY, (uint64_t)i);
	struct rng ru;
	rng_seed(&ru, p->o.seed ^ ((uint64_t)collection_id * 0x9e3779b97f4a7c15ULL), P_UUID,
	         (uint64_t)i);
	char uuid[STORY_UUID_LEN + 1];
	uuid_text(&ru, ps->created_at, uuid);
	*created_at = ps->created_at;
	const int later = ps->created_at >= YEAR_2025;

	int channel = rng_pick(&r, channel_w, 5);
	int prompt = rng_pick(&r, prompt_w, 3);
	/* Without effects every answer is drawn on its own, per story. */
	int situation = effects_on ? who.situation : rng_pick(&r, situation_w, NSITUATIONS);
	int intervention = effects_on ? who.intervention : draw_intervention(&r, -1, 0);
	if (rng_chance(&r, 0.01))
		situation = -1;
	if (rng_chance(&r, 0.01))
		intervention = -1;

	/* The outcome dyad: "did it help". */
	double helped_mean;
	if (effects_on) {
		helped_mean = HELPED_BASE + who.level;
		if (intervention == I_DAYCARE && (situation == S_LONELY || situation == S_ALONE))
			helped_mean += EFFECT_DAYCARE;
		if (intervention == I_ADAPTATION && situation == S_PHYSICAL)
			helped_mean += EFFECT_ADAPT;
		if (ps->count > 1)
			helped_mean += AGAIN_START + EFFECT_AGAIN * ps->ordinal;
	} else {
		helped_mean = NULL_HELPED;
	}
	double helped_latent =
	        helped_mean + (effects_on ? HELPED_NOISE : NULL_HELPED_NOISE) * rng_normal(&r);
	int helped = round_int(clamp(helped_latent, 0, 100));
	double heard_latent = (effects_on ? HEARD_BASE + (later ? EFFECT_HEARD : 0) : NULL_HEARD) +
	                      HEARD_NOISE * rng_normal(&r);
	int heard = round_int(clamp(heard_latent, 0, 100));
	double triad[3];
	draw_triad(&r, effects_on ? (later ? triad_2025 : triad_2024) : triad_null, triad);
	int satisfaction = effects_on ? scale5(SATISFACTION_BASE +
	                                       4 * (0.65 * helped / 100.0 + 0.35 * heard / 100.0) +
	                                       SATISFACTION_NOISE * rng_normal(&r))
	                              : 1 + rng_pick(&r, satisfaction_null, 5);

	json_t *answers = json_object();
	buf text, title;
	buf_init(&text);
	buf_init(&title);
	struct rng rt;
	int topic = topic_draw(p, i, &rt);
	compose(&text, &title, &r, &rt, topic, who.district, situation, intervention, helped, heard,
	        prompt, ps->ordinal);
	json_object_set_new(answers, "q-verhaal",
	                    json_pack("{sssoso}", "prompt", prompts[prompt], "title",
	                              json_stringn(title.data, title.len), "text",
	                              json_stringn(text.data, text.len)));
	buf_free(&text);
	buf_free(&title);
	if (situation >= 0)
		json_object_set_new(answers, "q-situatie", json_string(situations[situation]));
	if (intervention >= 0)
		json_object_set_new(answers, "q-interventie",
		                    json_string(interventions[intervention]));
	/* Not applicable (null) and left unanswered (absent), a few percent. */
	if (rng_chance(&r, 0.04))
		json_object_set_new(answers, "q-geholpen", json_null());
	else if (!rng_chance(&r, 0.03))
		json_object_set_new(answers, "q-geholpen", json_integer(helped));
	if (rng_chance(&r, 0.05))
		json_object_set_new(answers, "q-steun", json_null());
	else if (!rng_chance(&r, 0.03))
		json_object_set_new(answers, "q-steun", triad_json(triad));
	if (!rng_chance(&r, 0.03))
		json_object_set_new(answers, "q-gehoord", json_integer(heard));
	if (!rng_chance(&r, 0.03))
		json_object_set_new(answers, "q-tevredenheid", json_integer(satisfaction));
	/* Descriptors: given once by the person, then carried into their later
	 * stories (as the story form does, model/descriptor.c). */
	if (who.age >= 0)
		json_object_set_new(answers, "q-leeftijd", json_string(ages[who.age]));
	if (who.district >= 0)
		json_object_set_new(answers, "q-wijk", json_string(districts[who.district]));

	json_t *pro = NULL;
	if (rng_chance(&r, channel_pro[channel])) {
		pro = json_object();
		if (rng_chance(&r, 0.03)) {
			json_object_set_new(pro, "q-pro-geholpen", json_null());
		} else {
			double v = effects_on ? helped_latent + PRO_NOISE * rng_normal(&r) +
			                                (situation == S_MENTAL ? EFFECT_PRO : 0)
			                      : NULL_HELPED + NULL_HELPED_NOISE * rng_normal(&r);
			json_object_set_new(pro, "q-pro-geholpen",
			                    json_integer(round_int(clamp(v, 0, 100))));
		}
		if (rng_chance(&r, 0.04)) {
			json_object_set_new(pro, "q-pro-steun", json_null());
		} else {
			double w[3];
			if (effects_on) /* the consultant's view near the client's */
				triad_around(&r, triad, PRO_TRIAD_NOISE, w);
			else
				draw_triad(&r, triad_null, w);
			json_object_set_new(pro, "q-pro-steun", triad_json(w));
		}
		if (!rng_chance(&r, 0.02)) {
			int sat = effects_on ? scale5(SATISFACTION_BASE +
			                              4 *
			                                      clamp(helped_latent +
			                                                    (situation == S_MENTAL
			                                                             ? EFFECT_PRO
			                                                             : 0),
			                                            0, 100) /
			                                      100.0 +
			                              SATISFACTION_NOISE * rng_normal(&r))
			                     : 1 + rng_pick(&r, satisfaction_null, 5);
			json_object_set_new(pro, "q-pro-tevredenheid", json_integer(sat));
		}
	}
	json_t *body = json_pack("{sssssisssoso*}", "id", uuid, "channel", channels[channel],
	                         "script_version", script_version, "language", "nl", "answers",
	                         answers, "professional", pro);
	if (!body)
		abort();
	/* The privacy text was shown and agreed to when the story was told. */
	if (consent_hash)
		json_object_set_new(body, "consent",
		                    json_pack("{sssI}", "text_hash", consent_hash, "at",
		                              (json_int_t)ps->created_at));
	return body;
}

/* ---- storing ----------------------------------------------------------- */

int demo_batch_prepare(struct demo_batch *b, const struct script *s, char *err, size_t errlen)
{
	assert(b && b->plan && b->collection && b->from <= b->to);
	size_t n = (size_t)(b->to - b->from);
	b->st = calloc(n ? n : 1, sizeof *b->st);
	if (!b->st)
		abort();
	char consent[65];
	util_hash_hex(ltext_get(&s->privacy, "nl"), consent);
	for (size_t k = 0; k < n; k++) {
		int64_t i = b->from + (int64_t)k, at = 0;
		json_t *body = demo_story_body(b->plan, i, b->collection->id,
		                               b->collection->script_version, consent, &at);
		struct story_submit *st = &b->st[k];
		st->collection = b->collection;
		st->created_at = at;
		const char *msg = NULL;
		struct answer_error e;
		int rc = story_prepare(st, s, body, 1, &msg, &e);
		json_decref(body);
		if (rc) {
			snprintf(err, errlen, "story %lld: %s%s%s (%s)", (long long)i,
			         e.question ? e.question : "", e.question ? ": " : "", msg,
			         e.detail);
			return -1;
		}
	}
	return 0;
}

int demo_batch_write(db *d, void *ctx)
{
	struct demo_batch *b = ctx;
	struct demo_plan *p = b->plan;
	b->stored = b->participants_new = 0;
	b->gone = 0;
	struct contact none = {0};
	/* A bulk load: on SQLite, a page cache of 256 MiB on the writer's
	 * connection keeps the indexes of receipts and participant codes
	 * (random keys) in memory. */
	int rc;
	if (strcmp(db_driver_name(d), "sqlite") == 0 &&
	    (rc = db_exec(d, "PRAGMA cache_size = -262144")) != DB_OK)
		return rc;
	for (int64_t i = b->from; i < b->to; i++) {
		struct story_submit *st = &b->st[i - b->from];
		int first;
		int64_t who = demo_story_participant(p, i, &first);
		if (first) {
			char code[PARTICIPANT_CODE_LEN + 1];
			if ((rc = participant_create(d, NULL, &none, code,
			                             &p->participant_ids[who])) != DB_OK)
				return rc;
			b->participants_new++;
		}
		st->participant_id = p->participant_ids[who];
		if ((rc = story_submit_write(d, st)) != DB_OK)
			return rc;
		if (st->result == STORY_GONE) {
			b->gone = 1;
			return 1;
		}
		if (st->result == STORY_CONFLICT)
			return DB_CONSTRAINT;
		/* Stored before (the same batch again): the person made for it
		 * is not needed. */
		if (st->result == STORY_SAME && first) {
			if ((rc = participant_erase(d, p->participant_ids[who])) != DB_OK)
				return rc;
			b->participants_new--;
		}
		b->stored += st->result == STORY_NEW;
	}
	/* One entry for the batch: the participants have no personal data
	 * (no contact data, a code only). */
	char actor[AUDIT_ACTOR_MAX + 1], id[24], what[96];
	audit_cli_actor(actor, sizeof actor);
	snprintf(id, sizeof id, "%lld", (long long)b->collection->id);
	snprintf(what, sizeof what, "demo: %lld stories, %lld participants", (long long)b->stored,
	         (long long)b->participants_new);
	struct audit_entry e = {.actor = actor,
	                        .action = "create",
	                        .object_type = "collection",
	                        .object_id = id,
	                        .origin = "cli",
	                        .detail = what};
	return audit_append(d, &e);
}

void demo_batch_free(struct demo_batch *b)
{
	if (b->st)
		for (int64_t i = 0; i < b->to - b->from; i++)
			story_submit_free(&b->st[i]);
	free(b->st);
	b->st = NULL;
}
