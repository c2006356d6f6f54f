/* cmd_demo.c: `vertelpunt demo`: a database filled with a demo Wmo vertelpunt (script, collection, participants, stories with planted effects). */
#include "cli/cli.h"
#include "core/buf.h"
#include "core/util.h"
#include "db/writer.h"
#include "gen/embedded.h"
#include "model/collection.h"
#include "model/demo.h"
#include "model/script.h"
#include "model/script_store.h"
#include "model/story.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CMD "demo"

/* Stories per writer job: one transaction each. */
enum { DEMO_BATCH = 5000 };

/* In src/main.c: `vertelpunt init` with its defaults. */
int cli_init_default(const char *cmd, const char *url, const char *key, char *password,
                     int *already);

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The demo script, parsed from its embedded file. */
static struct script *demo_script(char *err, size_t errlen)
{
	for (size_t k = 0; k < embedded_templates_count; k++)
		if (strcmp(embedded_templates[k].name, DEMO_SCRIPT_FILE) == 0)
			return script_parse_text((const char *)embedded_templates[k].data,
			                         embedded_templates[k].len, err, errlen);
	snprintf(err, errlen, "%s is not built in", DEMO_SCRIPT_FILE);
	return NULL;
}

/* The script (published: the one stored before when it says the same,
 * else a new version) and a new collection, in one writer job. */
struct setup_job {
	int64_t org_id;
	const struct script *script;
	const char *body; /* its canonical text */
	struct script_save_job save;
	struct script_status_job status;
	struct collection_new cn;
	int stage; /* what failed: 1 save, 2 publish, 3 collection */
};

/* The newest published version of the demo script that has exactly our
 * body: 1 with *id and *version, else 0. */
static int published_before(db *d, struct setup_job *j, int64_t *id, int *version)
{
	db_stmt *s = db_prepare(d, "SELECT s.id, MAX(v.version) FROM scripts s "
	                           "JOIN script_versions v ON v.script_id = s.id "
	                           "WHERE s.org_id = :o AND s.key = :k AND v.status = 'published' "
	                           "GROUP BY s.id");
	db_bind_int(s, "o", j->org_id);
	db_bind_text(s, "k", DEMO_SCRIPT_KEY);
	int found = db_step(s) == DB_ROW;
	if (found) {
		*id = db_col_int(s, 0);
		*version = (int)db_col_int(s, 1);
	}
	db_finalize(s);
	if (!found)
		return 0;
	struct script_version v;
	if (script_version_get(d, j->org_id, *id, *version, &v) != DB_OK)
		return 0;
	int same = v.body && strcmp(v.body, j->body) == 0;
	script_version_free(&v);
	return same;
}

static int setup_write(db *d, void *ctx)
{
	struct setup_job *j = ctx;
	j->stage = 0;
	int64_t id;
	int version, rc;
	if (!published_before(d, j, &id, &version)) {
		j->save = (struct script_save_job){
		        .org_id = j->org_id, .script = j->script, .replace_draft = 1};
		if ((rc = script_save_write(d, &j->save)) != 0)
			return rc;
		if (j->save.result != SCRIPT_OK)
			return j->stage = 1;
		j->status = (struct script_status_job){.org_id = j->org_id,
		                                       .script_id = j->save.script_id,
		                                       .version = j->save.version,
		                                       .to = SCRIPT_PUBLISHED};
		if ((rc = script_status_write(d, &j->status)) != 0)
			return rc;
		if (j->status.result != SCRIPT_OK)
			return j->stage = 2;
		id = j->save.script_id;
		version = j->save.version;
	}
	j->cn.script_id = id;
	j->cn.script_version = version;
	if ((rc = collection_create_write(d, &j->cn)) != 0)
		return rc;
	if (j->cn.result != COLLECTION_OK)
		return j->stage = 3;
	return 0;
}

/* --stories and --seed: whole numbers. */
static int parse_count(const char *s, int64_t *out)
{
	return util_parse_i64(s, out) == 0 ? 0 : -1;
}

static int parse_seed(const char *s, uint64_t *out)
{
	if (!s[0] || s[0] == '-' || s[0] == '+')
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* One batch in flight: the writer calls done when it committed. */
struct slot {
	struct demo_batch b;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int busy, rc;
};

static void slot_done(void *ctx, int rc)
{
	struct slot *s = ctx;
	pthread_mutex_lock(&s->mu);
	s->busy = 0;
	s->rc = rc;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

static void slot_wait(struct slot *s)
{
	pthread_mutex_lock(&s->mu);
	while (s->busy)
		pthread_cond_wait(&s->cv, &s->mu);
	pthread_mutex_unlock(&s->mu);
}

/* Stores every story of the plan, one writer job per batch. While the
 * writer stores one batch, the next is made and checked here: the two
 * halves of the work run on two cores. 0, or 1 after printing why (the
 * batches stored before stay: each is complete). */
static int store_stories(const char *url, struct demo_plan *plan, const struct collection *c,
                         const struct script *sc, int64_t *stored, int64_t *participants)
{
	char err[512];
	writer *w = writer_start(url, err, sizeof err);
	if (!w)
		return cli_fail(CMD, "%s", err);
	struct slot slots[2];
	memset(slots, 0, sizeof slots);
	for (int k = 0; k < 2; k++) {
		pthread_mutex_init(&slots[k].mu, NULL);
		pthread_cond_init(&slots[k].cv, NULL);
	}
	int64_t n = demo_plan_stories(plan);
	int rc = 0, k = 0;
	for (int64_t from = 0; from < n || slots[0].b.st || slots[1].b.st; k ^= 1) {
		struct slot *s = &slots[k];
		/* The batch this slot held: wait for it and count it. */
		if (s->b.st) {
			slot_wait(s);
			if (s->b.gone && !rc)
				rc = cli_fail(CMD, "the collection stopped taking stories");
			else if (s->rc && !rc)
				rc = cli_fail(CMD, "could not store the stories (%d)", s->rc);
			else if (!s->rc) {
				*stored += s->b.stored;
				*participants += s->b.participants_new;
			}
			demo_batch_free(&s->b);
		}
		if (rc)
			from = n; /* make no more; wait for what is in flight */
		if (from >= n)
			continue;
		s->b = (struct demo_batch){.plan = plan,
		                           .collection = c,
		                           .from = from,
		                           .to = from + DEMO_BATCH < n ? from + DEMO_BATCH : n};
		from = s->b.to;
		if (demo_batch_prepare(&s->b, sc, err, sizeof err)) {
			rc = cli_fail(CMD, "a demo story does not pass the checks: %s", err);
			demo_batch_free(&s->b);
			continue;
		}
		s->busy = 1;
		writer_submit(w, demo_batch_write, slot_done, s);
	}
	writer_stop(w);
	for (int j = 0; j < 2; j++) {
		pthread_mutex_destroy(&slots[j].mu);
		pthread_cond_destroy(&slots[j].cv);
	}
	return rc;
}

/* --planted-topics FILE: "story,topic" (the story's uuid, the topic's
 * name) per story, for tests that compare the themes found with the topics
 * planted; the topics are in no table. */
static int write_planted(const char *path, const struct demo_plan *p, const struct collection *c)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return cli_fail(CMD, "cannot write %s: %s", path, strerror(errno));
	fputs("story,topic\n", f);
	for (int64_t i = 0; i < demo_plan_stories(p); i++) {
		int64_t at;
		json_t *b = demo_story_body(p, i, c->id, c->script_version, NULL, &at);
		fprintf(f, "%s,%s\n", json_string_value(json_object_get(b, "id")),
		        demo_topic_name(demo_planted_topic(p, i)));
		json_decref(b);
	}
	if (fclose(f))
		return cli_fail(CMD, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	const char *url = cli_opt_db(&argc, argv);
	const char *key = cli_opt_key(&argc, argv, url);
	static const struct option opts[] = {{"stories", required_argument, 0, 'n'},
	                                     {"seed", required_argument, 0, 's'},
	                                     {"null", no_argument, 0, '0'},
	                                     {"planted-topics", required_argument, 0, 'p'},
	                                     {"rising-topic", required_argument, 0, 'r'},
	                                     {0}};
	const char *planted = NULL;
	struct demo_options o = {.seed = 1};
	int have_n = 0, ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'n') {
			if (parse_count(optarg, &o.stories) || o.stories < 1 ||
			    o.stories > DEMO_STORIES_MAX)
				return cli_fail(CMD, "--stories wants a whole number from 1 to %d",
				                DEMO_STORIES_MAX);
			have_n = 1;
		} else if (ch == 's') {
			if (parse_seed(optarg, &o.seed))
				return cli_fail(CMD, "--seed wants a whole number from 0 to "
				                     "18446744073709551615");
		} else if (ch == '0') {
			o.null_effects = 1;
		} else if (ch == 'p') {
			planted = optarg;
		} else if (ch == 'r') {
			int t = demo_topic_parse(optarg);
			if (t < 0) {
				buf names;
				buf_init(&names);
				for (int k = 0; k < DEMO_TOPICS; k++)
					buf_printf(&names, "%s%s", k ? ", " : "",
					           demo_topic_name(k));
				cli_fail(CMD, "--rising-topic wants one of %s", names.data);
				buf_free(&names);
				return 1;
			}
			o.rising_topic = t + 1;
		} else {
			return cli_fail(CMD, "see 'vertelpunt help demo'");
		}
	}
	if (optind < argc)
		return cli_fail(CMD, "unexpected argument '%s'", argv[optind]);
	if (!have_n)
		return cli_fail(CMD, "how many stories? give --stories N (1 to %d)",
		                DEMO_STORIES_MAX);
	/* Every participant code and receipt takes random bytes; the system's
	 * generator costs a system call each time (several per participant
	 * code), which for a million stories is most of the work. In this
	 * process libsodium's own generator serves them instead: ChaCha20,
	 * seeded from the system, as strong, without the calls. */
	randombytes_set_implementation(&randombytes_internal_implementation);
	char err[512];
	struct script *sc = demo_script(err, sizeof err);
	if (!sc)
		return cli_fail(CMD, "the demo script does not load: %s", err);

	/* A fresh database is initialised as `vertelpunt init` does. */
	if (cli_ensure_parent_dir(url)) {
		script_free(sc);
		return cli_fail(CMD, "cannot create the folder of %s: %s", url, strerror(errno));
	}
	db *d = cli_open_migrated(CMD, url);
	if (!d) {
		script_free(sc);
		return 1;
	}
	int64_t org = cli_first_org(d);
	db_close(d);
	char password[25] = "";
	int initialised = 0;
	if (!org) {
		int already = 0;
		if (cli_init_default(CMD, url, key, password, &already)) {
			script_free(sc);
			return 1;
		}
		initialised = !already;
		d = cli_open_migrated(CMD, url);
		org = d ? cli_first_org(d) : 0;
		if (d)
			db_close(d);
		if (!org) {
			script_free(sc);
			return cli_fail(CMD, "the database has no organisation after init");
		}
	}

	buf body;
	buf_init(&body);
	script_emit(sc, &body);
	struct setup_job j = {
	        .org_id = org,
	        .script = sc,
	        .body = body.data,
	        .cn = {.org_id = org,
	               .title = DEMO_COLLECTION_TITLE,
	               .purpose = "Een demo met verzonnen verhalen van inwoners die hulp kregen "
	                          "via de Wmo, uit 2024 en 2025. Zo ziet u meteen hoe patronen "
	                          "eruitzien.",
	               /* The stories date from 2024: kept ten years, so the
	                * daily purge leaves the demo alone. */
	               .retention_days = 3650}};
	int rc = 1;
	struct demo_plan *plan = NULL;
	const char *bad = collection_check(&j.cn);
	if (bad) {
		cli_fail(CMD, "the collection: %s", bad);
		goto out;
	}
	int wrc = cli_run_job(CMD, url, setup_write, &j);
	if (j.stage == 1) {
		cli_fail(CMD, "the demo script could not be stored (%d): %s", j.save.result,
		         j.save.detail);
		goto out;
	}
	if (j.stage == 2) {
		cli_fail(CMD, "the demo script could not be published (%d): %s", j.status.result,
		         j.status.detail);
		goto out;
	}
	if (j.stage == 3 || wrc) {
		cli_fail(CMD, "the collection could not be made (%d)", wrc);
		goto out;
	}
	struct collection c;
	d = cli_open_migrated(CMD, url);
	if (!d)
		goto out;
	int found = collection_by_id(d, org, j.cn.id, &c);
	db_close(d);
	if (found != DB_ROW) {
		cli_fail(CMD, "could not read the new collection");
		goto out;
	}

	plan = demo_plan_new(&o);
	int64_t stored = 0, participants = 0;
	if (store_stories(url, plan, &c, sc, &stored, &participants))
		goto out;
	if (planted && write_planted(planted, plan, &c))
		goto out;
	buf out;
	buf_init(&out);
	buf_printf(&out,
	           "{\"collection\":%lld,\"script\":%lld,\"script_version\":%d,\"token\":\"%s\","
	           "\"stories\":%lld,\"participants\":%lld,\"seed\":%llu,\"null\":%s,"
	           "\"seconds\":%.2f",
	           (long long)c.id, (long long)c.script_id, c.script_version, c.token,
	           (long long)stored, (long long)participants, (unsigned long long)o.seed,
	           o.null_effects ? "true" : "false", seconds_since(&t0));
	if (initialised) {
		buf_puts(&out, ",\"initialised\":true,\"admin\":{\"username\":\"beheerder\","
		               "\"one_time_password\":");
		buf_json_str(&out, password);
		buf_putc(&out, '}');
	}
	buf_putc(&out, '}');
	cli_print(&out);
	rc = 0;
out:
	demo_plan_free(plan);
	buf_free(&body);
	script_free(sc);
	return rc;
}
