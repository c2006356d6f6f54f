/* cmd_analyse.c: `vertelpunt analyse`: the pattern engine's measures on the command line, as the same JSON the API gives. */
#include "analysis/index.h"
#include "analysis/keyness.h"
#include "analysis/measures.h"
#include "analysis/search.h"
#include "analysis/themes_measure.h"
#include "cli/cli.h"
#include "core/util.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define CMD "analyse"

#define USAGE                                                                                 \
	"usage: vertelpunt analyse [--db FILE] collections | trajectories\n"                  \
	"       vertelpunt analyse [--db FILE] --collection ID MEASURE [ARGS] [--filter F]\n" \
	"       vertelpunt analyse [--db FILE] --trajectory ID MEASURE [ARGS] [--filter F]\n" \
	"  MEASURE: count | distribution Q | crosstab Q1 Q2 | triad Q | points Q\n"           \
	"           | compare --a FILTER --b FILTER | over-time Q | perspectives Q [Q2]\n"    \
	"           | patterns --outcome Q [--themes]\n"                                      \
	"           | search TEXT [--limit N]   (full-text search, best first)\n"             \
	"           | keyness [--against F2] [--limit N]   (words --filter uses more)\n"      \
	"           | themes [--k N | --k-min A --k-max B] [--seed S]\n"                      \
	"           | themes --rising [--a PERIOD --b PERIOD]   (what is rising)\n"           \
	"  Q may be theme (the themes as a question; --themes computes them first)"

static int print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
	json_decref(o);
	if (!s)
		return cli_fail(CMD, "out of memory");
	puts(s);
	free(s);
	return 0;
}

/* Every collection with its id, story count and questions. */
static int list_collections(const char *url)
{
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	int64_t org = cli_first_org(d);
	db_stmt *st = db_prepare(d, "SELECT id FROM collections WHERE org_id = :o ORDER BY id");
	db_bind_int(st, "o", org);
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = db_collect_ids(st, &ids, &n);
	db_finalize(st);
	db_close(d);
	if (rc != DB_DONE) {
		free(ids);
		return cli_fail(CMD, "cannot read the collections");
	}
	aix *x = aix_new(url);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct aix_coll *c = aix_acquire(x, org, ids[i]);
		if (!c)
			continue;
		uint64_t pilot = roaring_bitmap_get_cardinality(c->pilot);
		json_array_append_new(
		        arr, json_pack("{s:I, s:I, s:I, s:i, s:I, s:o}", "id", (json_int_t)c->id,
		                       "stories", (json_int_t)(c->n - pilot), "script",
		                       (json_int_t)c->script_id, "script_version",
		                       c->script_version, "pilot_stories", (json_int_t)pilot,
		                       "questions", measure_questions(c)));
		aix_release(c);
	}
	free(ids);
	aix_free(x);
	return print_json(json_pack("{s:o}", "collections", arr));
}

/* Every trajectory with its collections, story count and questions (those
 * of all its collections, matched by id). */
static int list_trajectories(const char *url)
{
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	int64_t org = cli_first_org(d);
	db_stmt *st = db_prepare(d, "SELECT id FROM trajectories WHERE org_id = :o ORDER BY id");
	db_bind_int(st, "o", org);
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = db_collect_ids(st, &ids, &n);
	db_finalize(st);
	db_close(d);
	if (rc != DB_DONE) {
		free(ids);
		return cli_fail(CMD, "cannot read the trajectories");
	}
	aix *x = aix_new(url);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		struct aix_coll *t = aix_acquire_trajectory(x, org, ids[i]);
		if (!t)
			continue;
		json_array_append_new(arr, measure_trajectory_head(t));
		aix_release(t);
	}
	free(ids);
	aix_free(x);
	return print_json(json_pack("{s:o}", "trajectories", arr));
}

/* Themes' progress on stderr, one line rewritten in place. */
static int themes_progress(void *ctx, const char *stage, double done)
{
	(void)ctx;
	fprintf(stderr, "\rthemes: %-8s %3d%%", stage, (int)(done * 100 + 0.5));
	return 0;
}

int cmd_analyse(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	static const struct option opts[] = {{"collection", required_argument, 0, 'c'},
	                                     {"trajectory", required_argument, 0, 't'},
	                                     {"filter", required_argument, 0, 'f'},
	                                     {"a", required_argument, 0, 'a'},
	                                     {"b", required_argument, 0, 'b'},
	                                     {"outcome", required_argument, 0, 'o'},
	                                     {"min-group", required_argument, 0, 'm'},
	                                     {"bins", required_argument, 0, 'n'},
	                                     {"limit", required_argument, 0, 'l'},
	                                     {"permutations", required_argument, 0, 'p'},
	                                     {"against", required_argument, 0, 'g'},
	                                     {"k", required_argument, 0, 'k'},
	                                     {"k-min", required_argument, 0, 'K'},
	                                     {"k-max", required_argument, 0, 'M'},
	                                     {"seed", required_argument, 0, 's'},
	                                     {"themes", no_argument, 0, 'T'},
	                                     {"rising", no_argument, 0, 'R'},
	                                     {0}};
	struct themes_request themes = {0};
	struct measure_args a = {0};
	int with_themes = 0; /* patterns: the themes computed first */
	int rising = 0;      /* themes: what is rising between two periods */
	int64_t collection = 0, trajectory = 0, v;
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (util_parse_id(optarg, &collection))
				return cli_fail(CMD, "--collection wants a collection id");
			break;
		case 't':
			if (util_parse_id(optarg, &trajectory))
				return cli_fail(CMD, "--trajectory wants a trajectory id");
			break;
		case 'f': a.filter = optarg; break;
		case 'a': a.a = optarg; break;
		case 'b': a.b = optarg; break;
		case 'g': a.b = optarg; break; /* keyness: the reference filter */
		case 'o': a.outcome = optarg; break;
		case 'm':
		case 'n':
		case 'l':
		case 'p':
			if (util_parse_i64(optarg, &v) || v < 1 || v > 100000)
				return cli_fail(CMD, "--%s wants a whole number from 1 to 100000",
				                ch == 'm'   ? "min-group"
				                : ch == 'n' ? "bins"
				                : ch == 'l' ? "limit"
				                            : "permutations");
			if (ch == 'm')
				a.min_group = (int)v;
			else if (ch == 'n')
				a.bins = (int)v;
			else if (ch == 'l')
				a.limit = (int)v;
			else
				a.permutations = (int)v;
			break;
		case 'k':
		case 'K':
		case 'M':
			if (util_parse_i64(optarg, &v) || v < 2 || v > THEMES_K_LIMIT)
				return cli_fail(CMD, "--%s wants a whole number from 2 to %d",
				                ch == 'k'   ? "k"
				                : ch == 'K' ? "k-min"
				                            : "k-max",
				                THEMES_K_LIMIT);
			*(ch == 'k'   ? &themes.k
			  : ch == 'K' ? &themes.k_min
			              : &themes.k_max) = (int)v;
			break;
		case 's':
			if (util_parse_i64(optarg, &v) || v < 0)
				return cli_fail(CMD, "--seed wants a whole number, 0 or more");
			themes.seed = (uint64_t)v;
			break;
		case 'T': with_themes = 1; break;
		case 'R': rising = 1; break;
		default: return cli_fail(CMD, "see `vertelpunt help analyse`");
		}
	}
	if (optind >= argc)
		return cli_fail(CMD, "%s", USAGE);
	const char *measure = argv[optind++];
	if (strcmp(measure, "collections") == 0) {
		if (optind < argc)
			return cli_fail(CMD, "unexpected argument '%s'", argv[optind]);
		return list_collections(url);
	}
	if (strcmp(measure, "trajectories") == 0) {
		if (optind < argc)
			return cli_fail(CMD, "unexpected argument '%s'", argv[optind]);
		return list_trajectories(url);
	}
	/* search is not a measure of the analysis API: its texts are read
	 * there only through /search, which logs each story */
	int is_themes = strcmp(measure, "themes") == 0;
	measure_fn fn = strcmp(measure, "search") == 0    ? measure_search
	                : strcmp(measure, "keyness") == 0 ? measure_keyness
	                                                  : measure_by_name(measure);
	if (!fn && !is_themes)
		return cli_fail(CMD, "%s: unknown measure\n%s", measure, USAGE);
	/* the measures that take the themes: the pattern finder's conditions
	 * and the question "theme" */
	if (with_themes && fn != measure_patterns && fn != measure_distribution &&
	    fn != measure_crosstab && fn != measure_compare)
		return cli_fail(CMD,
		                "--themes is for patterns, distribution, crosstab and compare");
	if (rising && !is_themes)
		return cli_fail(CMD, "--rising is for themes");
	if (collection && trajectory)
		return cli_fail(CMD, "--collection or --trajectory, not both");
	if (!collection && !trajectory)
		return cli_fail(CMD, "which collection or trajectory? (--collection ID or "
		                     "--trajectory ID; see `vertelpunt analyse collections` and "
		                     "`vertelpunt analyse trajectories`)");
	if (optind < argc)
		a.q = argv[optind++];
	if (optind < argc)
		a.q2 = argv[optind++];
	if (optind < argc)
		return cli_fail(CMD, "unexpected argument '%s'", argv[optind]);
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	int64_t org = cli_first_org(d);
	aix *x = aix_new(url);
	struct aix_coll *c = collection ? aix_acquire(x, org, collection)
	                                : aix_acquire_trajectory(x, org, trajectory);
	if (!c) {
		aix_free(x);
		db_close(d);
		return collection ? cli_fail(CMD, "no collection %lld", (long long)collection)
		                  : cli_fail(CMD, "no trajectory %lld", (long long)trajectory);
	}
	a.c = c;
	a.d = d;
	json_t *out = NULL;
	char err[512];
	int status;
	if (is_themes) {
		themes.progress = themes_progress;
		status = measure_themes(&a, &themes, &out, err, sizeof err);
		if (status != 400)
			fputc('\n', stderr); /* after the progress line */
		if (!status && rising) {
			/* the themes of all stories (the ones "theme = N" and the
			 * rising table take), then their shares in two periods */
			json_t *all = NULL, *r = NULL;
			if ((a.filter && *a.filter) || themes.k || themes.k_min || themes.k_max ||
			    themes.seed) {
				struct measure_args plain_args = {.c = c, .d = d};
				struct themes_request plain = {.progress = themes_progress};
				status = measure_themes(&plain_args, &plain, &all, err, sizeof err);
				fputc('\n', stderr);
				json_decref(all);
			}
			if (!status)
				status = measure_themes_rising(&a, &r, err, sizeof err);
			if (!status) {
				/* out is the cache's document: print a copy */
				json_t *copy = json_copy(out);
				json_decref(out);
				out = copy;
				json_object_set_new(out, "rising", r);
			}
		}
	} else {
		status = 0;
		if (with_themes) {
			/* the themes of all stories with the default request, the
			 * ones the pattern finder (and "theme = N") takes */
			struct measure_args all = {.c = c, .d = d, .min_group = a.min_group};
			struct themes_request plain = {.progress = themes_progress};
			status = measure_themes(&all, &plain, &out, err, sizeof err);
			fputc('\n', stderr);
			json_decref(out);
			out = NULL;
		}
		if (!status)
			status = fn(&a, &out, err, sizeof err);
	}
	aix_release(c);
	aix_free(x);
	db_close(d);
	if (status)
		return cli_fail(CMD, "%s", err);
	return print_json(out);
}
