/* bench_writer.c: durable group-commit throughput of the writer path (src/db/writer.c)
 * next to the raw rate of the same inserts in one SQLite transaction.
 *
 * A benchmark, not a test: it prints figures and never fails because the
 * machine was slow. Built and run by bench/run.sh; see docs/benchmarks.md.
 *
 * For each key kind (random v4 UUIDs, time-ordered v7-style UUIDs) and each
 * repetition, on a fresh database each time:
 *   raw     N inserts in one transaction on one connection (WAL, synchronous=FULL)
 *   raw+sp  the same with SAVEPOINT/RELEASE around each insert, as the writer does
 *   run     C client threads, each calling writer_run() (waits for the durable COMMIT)
 *           on one insert in a loop for S seconds
 *   submit  C jobs kept in flight with writer_submit() + done callbacks, resubmitted by
 *           K submitter threads (the shape of suspended connections in the server)
 * Medians over the repetitions are printed as a Markdown table. */
#include "db/db.h"
#include "db/writer.h"
#include "core/log.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum keys { KEYS_RANDOM, KEYS_TIME };
static const char *key_name[] = {"random v4", "time-ordered v7"};

static struct {
	double seconds;
	long rows;
	int clients, submitters, reps;
	int keys_from, keys_to;
	char dir[256];
	int keep;
	unsigned modes; /* bit per enum mode */
	int ckpt_ms;    /* the experiment's checkpoint interval */
} opt = {3.0, 100000, 64, 2, 3, KEYS_RANDOM, KEYS_TIME, "", 0, 0, 20};

/* ---- helpers -------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Bytes this process handed to write(2)/pwrite(2) so far (/proc/self/io wchar),
 * or -1. Tells how many WAL and database pages a row costs. */
static long long io_wchar(void)
{
	FILE *f = fopen("/proc/self/io", "r");
	if (!f)
		return -1;
	char line[128];
	long long v = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "wchar: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

struct story {
	char uuid[37];
	char body[301];
	int64_t n[7];
};

static const char lorem[] =
        "We spraken met bewoners over de buurt: wat er goed gaat, wat beter kan en wat "
        "ze zelf willen doen. Iemand vertelde over het speeltuintje dat weer open is, een "
        "ander over de bus die niet meer stopt bij de kerk. Samen zochten we uit wie er "
        "verder mee aan de slag wil en wanneer we elkaar weer zien, in het buurthuis op "
        "dinsdagavond na het eten, met koffie en een verhaal erbij voor wie dat wil. ";

static void make_uuid(char out[37], enum keys k, uint64_t *rng)
{
	unsigned char b[16];
	uint64_t r1 = splitmix(rng), r2 = splitmix(rng);
	memcpy(b, &r1, 8);
	memcpy(b + 8, &r2, 8);
	if (k == KEYS_TIME) {
		/* RFC 9562 version 7: 48-bit Unix milliseconds, then random bits. */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
		for (int i = 0; i < 6; i++)
			b[i] = (unsigned char)(ms >> (40 - 8 * i));
		b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));
	} else {
		b[6] = (unsigned char)(0x40 | (b[6] & 0x0f));
	}
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
	static const char hex[] = "0123456789abcdef";
	int o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

static void make_story(struct story *s, enum keys k, uint64_t *rng)
{
	make_uuid(s->uuid, k, rng);
	memcpy(s->body, lorem, 300);
	s->body[300] = '\0';
	uint64_t r = splitmix(rng);
	for (int i = 0; i < 8; i++) /* a little variety in the text */
		s->body[(r >> (8 * i)) % 300] = (char)('a' + (r >> (8 * i + 3)) % 26);
	for (int i = 0; i < 7; i++)
		s->n[i] = (int64_t)(splitmix(rng) % 1000);
}

/* The job: one insert, exactly the same code on every path. */
static int insert_story(db *d, void *ctx)
{
	struct story *s = ctx;
	db_stmt *st = db_prepare(d, "INSERT INTO stories (uuid, body, n1, n2, n3, n4, n5, n6, n7) "
	                            "VALUES (:uuid, :body, :n1, :n2, :n3, :n4, :n5, :n6, :n7)");
	db_bind_text(st, "uuid", s->uuid);
	db_bind_text(st, "body", s->body);
	db_bind_int(st, "n1", s->n[0]);
	db_bind_int(st, "n2", s->n[1]);
	db_bind_int(st, "n3", s->n[2]);
	db_bind_int(st, "n4", s->n[3]);
	db_bind_int(st, "n5", s->n[4]);
	db_bind_int(st, "n6", s->n[5]);
	db_bind_int(st, "n7", s->n[6]);
	int rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? 0 : rc;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_writer: %s: %s\n", what, msg);
	exit(1);
}

static db *fresh_db(const char *path)
{
	static const char *suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[512];
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
	char err[256] = "";
	db *d = db_open(path, err, sizeof err);
	if (!d)
		die("db_open", err);
	if (db_exec(d, "CREATE TABLE stories (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, "
	               "body TEXT NOT NULL, n1 INTEGER, n2 INTEGER, n3 INTEGER, n4 INTEGER, "
	               "n5 INTEGER, n6 INTEGER, n7 INTEGER)") != DB_OK)
		die("create table", db_errmsg(d));
	return d;
}

static void remove_db(const char *path)
{
	if (opt.keep)
		return;
	static const char *suffix[] = {"", "-wal", "-shm", "-journal"};
	char p[512];
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	double t[64];
	memcpy(t, v, sizeof(double) * (size_t)n);
	qsort(t, (size_t)n, sizeof t[0], cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* Latencies in microseconds, collected per thread and merged. */
struct lat {
	float *v;
	size_t n, cap;
};

static void lat_add(struct lat *l, double us)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4096;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (!l->v)
			abort();
	}
	l->v[l->n++] = (float)us;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

static double lat_pct(struct lat *l, double p)
{
	if (!l->n)
		return 0;
	qsort(l->v, l->n, sizeof l->v[0], cmp_float);
	size_t i = (size_t)(p * (double)(l->n - 1) + 0.5);
	return l->v[i];
}

/* One measurement. */
struct result {
	double rate;    /* rows or durable jobs per second */
	double commits; /* commits per second */
	double batch;   /* mean jobs per commit */
	int max_batch;
	double p50_ms, p99_ms, max_ms;
	double kib_per_row; /* bytes written (WAL + checkpoints) per row */
	long long failed;
	/* (c) only: writer-thread milliseconds per batch, see struct breakdown */
	double bd_jobs, bd_commit, bd_commit_p50, bd_commit_p99, bd_callbacks, bd_between;
};

/* ---- (a) raw: one transaction ------------------------------------------------ */

static struct result run_raw(const char *path, enum keys k, int savepoints)
{
	struct result res = {0};
	db *d = fresh_db(path);
	struct story *s = malloc(sizeof *s * 1024);
	if (!s)
		abort();
	uint64_t rng = (uint64_t)time(NULL) ^ 0x5eedULL;
	long long w0 = io_wchar();
	double t0 = now_s();
	if (db_begin(d) != DB_OK)
		die("begin", db_errmsg(d));
	for (long i = 0; i < opt.rows; i++) {
		struct story *x = &s[i % 1024];
		make_story(x, k, &rng);
		if (savepoints && db_savepoint(d) != DB_OK)
			die("savepoint", db_errmsg(d));
		if (insert_story(d, x) != 0)
			die("insert", db_errmsg(d));
		if (savepoints && db_savepoint_release(d) != DB_OK)
			die("release", db_errmsg(d));
	}
	if (db_commit(d) != DB_OK)
		die("commit", db_errmsg(d));
	double el = now_s() - t0;
	long long w1 = io_wchar();
	db_close(d);
	remove_db(path);
	free(s);
	res.rate = (double)opt.rows / el;
	res.commits = 1 / el;
	res.batch = (double)opt.rows;
	res.max_batch = (int)opt.rows;
	res.kib_per_row = w0 >= 0 ? (double)(w1 - w0) / 1024.0 / (double)opt.rows : 0;
	return res;
}

/* ---- (b) writer_run from C client threads ------------------------------------- */

struct run_shared {
	writer *w;
	enum keys k;
	pthread_barrier_t start;
	double deadline;
};

struct run_client {
	struct run_shared *sh;
	uint64_t rng;
	struct lat lat;
	long long ok, failed;
	double finished;
};

static void *run_client_main(void *arg)
{
	struct run_client *c = arg;
	struct story s;
	pthread_barrier_wait(&c->sh->start);
	double t;
	while ((t = now_s()) < c->sh->deadline) {
		make_story(&s, c->sh->k, &c->rng);
		double t0 = now_s();
		int rc = writer_run(c->sh->w, insert_story, &s);
		double t1 = now_s();
		if (rc == 0) {
			c->ok++;
			lat_add(&c->lat, (t1 - t0) * 1e6);
		} else {
			c->failed++;
		}
	}
	c->finished = now_s();
	return NULL;
}

static struct result finish_stats(writer *w, long long ok, long long failed, double el,
                                  long long wbytes, struct lat *all)
{
	struct result res = {0};
	struct writer_stats st;
	writer_get_stats(w, &st);
	res.rate = (double)ok / el;
	res.commits = (double)st.batches / el;
	res.batch = st.batches ? (double)st.jobs / (double)st.batches : 0;
	res.max_batch = st.max_batch;
	res.p50_ms = lat_pct(all, 0.50) / 1000;
	res.p99_ms = lat_pct(all, 0.99) / 1000;
	res.max_ms = all->n ? all->v[all->n - 1] / 1000 : 0;
	res.kib_per_row = ok && wbytes >= 0 ? (double)wbytes / 1024.0 / (double)ok : 0;
	res.failed = failed + st.commit_failures;
	return res;
}

/* The experiment behind the suggested fix (docs/benchmarks.md): no automatic
 * checkpoint inside the writer's COMMIT; a second connection runs PASSIVE
 * checkpoints every --ckpt-ms milliseconds instead. */
static int autocheckpoint_off(db *d, void *ctx)
{
	return db_exec(d, "PRAGMA wal_autocheckpoint=0") == DB_OK ? 0 : 1;
}

struct checkpointer {
	const char *path;
	atomic_int stop;
	long runs;
};

static void *checkpointer_main(void *arg)
{
	struct checkpointer *cp = arg;
	char err[256] = "";
	db *d = db_open(cp->path, err, sizeof err);
	if (!d)
		die("checkpointer db_open", err);
	struct timespec nap = {opt.ckpt_ms / 1000, (long)(opt.ckpt_ms % 1000) * 1000 * 1000};
	while (!atomic_load(&cp->stop)) {
		nanosleep(&nap, NULL);
		db_exec(d, "PRAGMA wal_checkpoint(PASSIVE)");
		cp->runs++;
	}
	db_close(d);
	return NULL;
}

static struct result run_writer_run(const char *path, enum keys k, int own_checkpointer)
{
	db_close(fresh_db(path));
	char err[256] = "";
	struct run_shared sh = {.k = k};
	sh.w = writer_start(path, err, sizeof err);
	if (!sh.w)
		die("writer_start", err);
	struct checkpointer cp = {.path = path};
	pthread_t cp_th;
	if (own_checkpointer) {
		if (writer_run(sh.w, autocheckpoint_off, NULL) != 0)
			die("wal_autocheckpoint", "could not turn it off");
		if (pthread_create(&cp_th, NULL, checkpointer_main, &cp))
			die("pthread_create", strerror(errno));
	}
	int n = opt.clients;
	struct run_client *c = calloc((size_t)n, sizeof *c);
	pthread_t *th = calloc((size_t)n, sizeof *th);
	if (!c || !th)
		abort();
	pthread_barrier_init(&sh.start, NULL, (unsigned)n + 1);
	for (int i = 0; i < n; i++) {
		c[i].sh = &sh;
		c[i].rng = (uint64_t)time(NULL) * 1000003u + (uint64_t)i * 7919u;
		if (pthread_create(&th[i], NULL, run_client_main, &c[i]))
			die("pthread_create", strerror(errno));
	}
	long long w0 = io_wchar();
	double t0 = now_s();
	sh.deadline = t0 + opt.seconds;
	pthread_barrier_wait(&sh.start);
	long long ok = 0, failed = 0;
	struct lat all = {0};
	double end = t0;
	for (int i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		ok += c[i].ok;
		failed += c[i].failed;
		if (c[i].finished > end)
			end = c[i].finished;
		for (size_t j = 0; j < c[i].lat.n; j++)
			lat_add(&all, c[i].lat.v[j]);
		free(c[i].lat.v);
	}
	if (own_checkpointer) {
		atomic_store(&cp.stop, 1);
		pthread_join(cp_th, NULL);
	}
	long long w1 = io_wchar();
	struct result res = finish_stats(sh.w, ok, failed, end - t0, w0 >= 0 ? w1 - w0 : -1, &all);
	writer_stop(sh.w);
	remove_db(path);
	pthread_barrier_destroy(&sh.start);
	free(all.v);
	free(c);
	free(th);
	return res;
}

/* ---- (c) writer_submit with callbacks, C jobs in flight ----------------------- */

/* Where the writer thread's time goes, seen from the jobs and the done
 * callbacks of path (c) alone (src/ is not instrumented): from the first
 * job of a batch to the end of its last job ("jobs": inserts, savepoints),
 * from there to the first done callback ("commit": COMMIT, its WAL writes and
 * fsync, and any auto-checkpoint), the callbacks, and from the last callback
 * to the next batch's first job ("between": taking the queue, BEGIN, the
 * first SAVEPOINT, and waiting for work). All on the writer thread. */
struct breakdown {
	int running;
	long batches;
	double batch_start, last_fn_end, first_done, last_done;
	double jobs, commit, callbacks, between;
	struct lat commit_lat;
};

struct slot {
	struct story s;
	double t0;
	struct sub_shared *sh;
};

struct sub_shared {
	writer *w;
	enum keys k;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int *ready; /* a stack of slot indexes waiting to be resubmitted */
	int nready;
	int inflight;
	int stop;
	double deadline, last_done;
	struct slot *slots;
	struct lat lat; /* written by the writer thread only (done callbacks) */
	long long ok, failed;
	struct breakdown bd; /* the writer thread only */
};

static int sub_insert(db *d, void *ctx)
{
	struct slot *s = ctx;
	struct breakdown *bd = &s->sh->bd;
	double t = now_s();
	if (!bd->running) {
		if (bd->batches) {
			bd->callbacks += bd->last_done - bd->first_done;
			bd->between += t - bd->last_done;
		}
		bd->batches++;
		bd->running = 1;
		bd->batch_start = t;
	}
	int rc = insert_story(d, &s->s);
	bd->last_fn_end = now_s();
	return rc;
}

static void sub_done(void *ctx, int rc)
{
	struct slot *s = ctx;
	struct sub_shared *sh = s->sh;
	double t = now_s();
	struct breakdown *bd = &sh->bd;
	if (bd->running) {
		bd->running = 0;
		bd->jobs += bd->last_fn_end - bd->batch_start;
		bd->commit += t - bd->last_fn_end;
		lat_add(&bd->commit_lat, (t - bd->last_fn_end) * 1e6);
		bd->first_done = t;
	}
	if (rc == 0) {
		sh->ok++;
		lat_add(&sh->lat, (t - s->t0) * 1e6);
	} else {
		sh->failed++;
	}
	pthread_mutex_lock(&sh->mu);
	sh->ready[sh->nready++] = (int)(s - sh->slots);
	sh->inflight--;
	sh->last_done = t;
	pthread_cond_broadcast(&sh->cv);
	pthread_mutex_unlock(&sh->mu);
	bd->last_done = now_s();
}

struct submitter {
	struct sub_shared *sh;
	uint64_t rng;
};

static void *submitter_main(void *arg)
{
	struct submitter *m = arg;
	struct sub_shared *sh = m->sh;
	for (;;) {
		pthread_mutex_lock(&sh->mu);
		while (!sh->nready && !sh->stop)
			pthread_cond_wait(&sh->cv, &sh->mu);
		if (sh->stop) {
			pthread_mutex_unlock(&sh->mu);
			return NULL;
		}
		int i = sh->ready[--sh->nready];
		if (now_s() >= sh->deadline) {
			/* Time is up: retire the slot. */
			pthread_mutex_unlock(&sh->mu);
			continue;
		}
		sh->inflight++;
		pthread_mutex_unlock(&sh->mu);
		struct slot *s = &sh->slots[i];
		make_story(&s->s, sh->k, &m->rng);
		s->t0 = now_s();
		writer_submit(sh->w, sub_insert, sub_done, s);
	}
}

static struct result run_writer_submit(const char *path, enum keys k)
{
	db_close(fresh_db(path));
	char err[256] = "";
	struct sub_shared sh = {.k = k};
	sh.w = writer_start(path, err, sizeof err);
	if (!sh.w)
		die("writer_start", err);
	int n = opt.clients, ns = opt.submitters;
	sh.slots = calloc((size_t)n, sizeof *sh.slots);
	sh.ready = calloc((size_t)n, sizeof *sh.ready);
	struct submitter *m = calloc((size_t)ns, sizeof *m);
	pthread_t *th = calloc((size_t)ns, sizeof *th);
	if (!sh.slots || !sh.ready || !m || !th)
		abort();
	pthread_mutex_init(&sh.mu, NULL);
	pthread_cond_init(&sh.cv, NULL);
	long long w0 = io_wchar();
	double t0 = now_s();
	sh.deadline = t0 + opt.seconds;
	pthread_mutex_lock(&sh.mu);
	for (int i = 0; i < n; i++) {
		sh.slots[i].sh = &sh;
		sh.ready[sh.nready++] = i;
	}
	pthread_mutex_unlock(&sh.mu);
	for (int i = 0; i < ns; i++) {
		m[i].sh = &sh;
		m[i].rng = (uint64_t)time(NULL) * 1000033u + (uint64_t)i * 104729u;
		if (pthread_create(&th[i], NULL, submitter_main, &m[i]))
			die("pthread_create", strerror(errno));
	}
	/* Wait for the deadline, then for every job in flight to finish. */
	struct timespec nap = {0, 20 * 1000 * 1000};
	while (now_s() < sh.deadline)
		nanosleep(&nap, NULL);
	pthread_mutex_lock(&sh.mu);
	while (sh.inflight > 0)
		pthread_cond_wait(&sh.cv, &sh.mu);
	sh.stop = 1;
	pthread_cond_broadcast(&sh.cv);
	double end = sh.last_done > t0 ? sh.last_done : now_s();
	pthread_mutex_unlock(&sh.mu);
	for (int i = 0; i < ns; i++)
		pthread_join(th[i], NULL);
	long long w1 = io_wchar();
	/* The writer thread wrote lat/ok/failed; the mutex hand-off above orders it. */
	struct result res =
	        finish_stats(sh.w, sh.ok, sh.failed, end - t0, w0 >= 0 ? w1 - w0 : -1, &sh.lat);
	/* The last done callback may still be returning: join the writer
	 * thread before reading the breakdown it keeps. */
	writer_stop(sh.w);
	struct breakdown *bd = &sh.bd;
	if (bd->batches > 1) {
		double nb = (double)bd->batches;
		res.bd_jobs = bd->jobs / nb * 1e3;
		res.bd_commit = bd->commit / nb * 1e3;
		res.bd_callbacks = bd->callbacks / (nb - 1) * 1e3;
		res.bd_between = bd->between / (nb - 1) * 1e3;
		res.bd_commit_p50 = lat_pct(&bd->commit_lat, 0.50) / 1e3;
		res.bd_commit_p99 = lat_pct(&bd->commit_lat, 0.99) / 1e3;
	}
	free(bd->commit_lat.v);
	remove_db(path);
	pthread_mutex_destroy(&sh.mu);
	pthread_cond_destroy(&sh.cv);
	free(sh.lat.v);
	free(sh.slots);
	free(sh.ready);
	free(m);
	free(th);
	return res;
}

/* ---- main ------------------------------------------------------------------- */

enum mode { M_RAW, M_RAW_SP, M_RUN, M_SUBMIT, M_RUN_CKPT, NMODES };
enum { DEFAULT_MODES = 0xf, RATIO_MODES = 1u << M_RAW | 1u << M_RUN | 1u << M_SUBMIT };
static const char *mode_name[] = {
        "(a) raw: one transaction, one connection",
        "(a') raw + SAVEPOINT/RELEASE per row",
        "(b) writer_run, one per client thread",
        "(c) writer_submit + callbacks, one job in flight per client",
        "(b') as (b), checkpoints moved off the writer (experiment)",
};

static void usage(void)
{
	fprintf(stderr,
	        "usage: bench_writer [--seconds S] [--rows N] [--clients C] [--submitters K]\n"
	        "                    [--reps R] [--keys random|time|both] [--dir DIR] [--keep]\n"
	        "                    [--experiment] [--ckpt-ms MS]\n"
	        "                    [--only raw|raw-sp|run|submit|experiment]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"seconds", required_argument, 0, 's'}, {"rows", required_argument, 0, 'n'},
	        {"clients", required_argument, 0, 'c'}, {"submitters", required_argument, 0, 'k'},
	        {"reps", required_argument, 0, 'r'},    {"keys", required_argument, 0, 'K'},
	        {"dir", required_argument, 0, 'd'},     {"keep", no_argument, 0, 'x'},
	        {"only", required_argument, 0, 'o'},    {"experiment", no_argument, 0, 'e'},
	        {"ckpt-ms", required_argument, 0, 'C'}, {0}};
	int ch, only = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's': opt.seconds = atof(optarg); break;
		case 'n': opt.rows = atol(optarg); break;
		case 'c': opt.clients = atoi(optarg); break;
		case 'k': opt.submitters = atoi(optarg); break;
		case 'r': opt.reps = atoi(optarg); break;
		case 'K':
			if (!strcmp(optarg, "random"))
				opt.keys_from = opt.keys_to = KEYS_RANDOM;
			else if (!strcmp(optarg, "time"))
				opt.keys_from = opt.keys_to = KEYS_TIME;
			else if (!strcmp(optarg, "both"))
				opt.keys_from = KEYS_RANDOM, opt.keys_to = KEYS_TIME;
			else
				usage();
			break;
		case 'd': snprintf(opt.dir, sizeof opt.dir, "%s", optarg); break;
		case 'x': opt.keep = 1; break;
		case 'e': opt.modes |= 1u << M_RUN_CKPT; break;
		case 'C': opt.ckpt_ms = atoi(optarg); break;
		case 'o':
			/* Profiling aid: run one path only (the table then shows only it). */
			only = 1;
			if (!strcmp(optarg, "raw"))
				opt.modes = 1u << M_RAW;
			else if (!strcmp(optarg, "raw-sp"))
				opt.modes = 1u << M_RAW_SP;
			else if (!strcmp(optarg, "run"))
				opt.modes = 1u << M_RUN;
			else if (!strcmp(optarg, "submit"))
				opt.modes = 1u << M_SUBMIT;
			else if (!strcmp(optarg, "experiment"))
				opt.modes = 1u << M_RUN_CKPT;
			else
				usage();
			break;
		default: usage();
		}
	}
	if (!only)
		opt.modes |= DEFAULT_MODES;
	if (optind < argc || opt.seconds <= 0 || opt.rows < 1 || opt.clients < 1 ||
	    opt.clients > 4096 || opt.submitters < 1 || opt.reps < 1 || opt.reps > 64 ||
	    opt.ckpt_ms < 1)
		usage();
	log_set_enabled(0);
	int made_dir = 0;
	if (!*opt.dir) {
		snprintf(opt.dir, sizeof opt.dir, "/tmp/vp-bench-writer-XXXXXX");
		if (!mkdtemp(opt.dir))
			die("mkdtemp", strerror(errno));
		made_dir = 1;
	}
	char path[512];
	snprintf(path, sizeof path, "%s/writer.db", opt.dir);

	static struct result res[2][NMODES][64];
	for (int rep = 0; rep < opt.reps; rep++) {
		for (int k = opt.keys_from; k <= opt.keys_to; k++) {
			if (opt.modes & (1u << M_RAW))
				res[k][M_RAW][rep] = run_raw(path, (enum keys)k, 0);
			if (opt.modes & (1u << M_RAW_SP))
				res[k][M_RAW_SP][rep] = run_raw(path, (enum keys)k, 1);
			if (opt.modes & (1u << M_RUN))
				res[k][M_RUN][rep] = run_writer_run(path, (enum keys)k, 0);
			if (opt.modes & (1u << M_SUBMIT))
				res[k][M_SUBMIT][rep] = run_writer_submit(path, (enum keys)k);
			if (opt.modes & (1u << M_RUN_CKPT))
				res[k][M_RUN_CKPT][rep] = run_writer_run(path, (enum keys)k, 1);
			fprintf(stderr,
			        "  rep %d %-15s raw %.0f/s  raw+sp %.0f/s  run %.0f/s (batch %.1f, "
			        "p99 %.1f ms)  submit %.0f/s (batch %.1f, p99 %.1f ms)\n",
			        rep + 1, key_name[k], res[k][M_RAW][rep].rate,
			        res[k][M_RAW_SP][rep].rate, res[k][M_RUN][rep].rate,
			        res[k][M_RUN][rep].batch, res[k][M_RUN][rep].p99_ms,
			        res[k][M_SUBMIT][rep].rate, res[k][M_SUBMIT][rep].batch,
			        res[k][M_SUBMIT][rep].p99_ms);
		}
	}

	printf("Writer path: %d clients, %.1f s per run, raw transaction of %ld rows, "
	       "medians of %d runs, fresh database each run (WAL, synchronous=FULL).\n\n",
	       opt.clients, opt.seconds, opt.rows, opt.reps);
	printf("| keys | path | rows or durable tx/s | ratio to raw | commits/s | mean batch | "
	       "max batch | p50 ms | p99 ms | KiB written/row |\n");
	printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (int k = opt.keys_from; k <= opt.keys_to; k++) {
		double raw = 0;
		for (int m = 0; m < NMODES; m++) {
			if (!(opt.modes & (1u << m)))
				continue;
			double v[64], cm[64], b[64], p50[64], p99[64], kib[64];
			int mb = 0;
			long long failed = 0;
			for (int r = 0; r < opt.reps; r++) {
				struct result *x = &res[k][m][r];
				v[r] = x->rate;
				cm[r] = x->commits;
				b[r] = x->batch;
				p50[r] = x->p50_ms;
				p99[r] = x->p99_ms;
				kib[r] = x->kib_per_row;
				if (x->max_batch > mb)
					mb = x->max_batch;
				failed += x->failed;
			}
			double rate = median(v, opt.reps);
			if (m == M_RAW)
				raw = rate;
			char name[96];
			snprintf(name, sizeof name, "%s", mode_name[m]);
			if (raw > 0)
				printf("| %s | %s | %.0f | %.2f | ", key_name[k], name, rate,
				       rate / raw);
			else
				printf("| %s | %s | %.0f | - | ", key_name[k], name, rate);
			if (m == M_RAW || m == M_RAW_SP)
				printf("1 per run | %ld | %ld | - | - | %.2f |\n", opt.rows,
				       opt.rows, median(kib, opt.reps));
			else
				printf("%.0f | %.1f | %d | %.2f | %.2f | %.2f |\n",
				       median(cm, opt.reps), median(b, opt.reps), mb,
				       median(p50, opt.reps), median(p99, opt.reps),
				       median(kib, opt.reps));
			if (failed)
				printf("\nWARNING: %lld jobs or commits failed in %s.\n\n", failed,
				       name);
		}
	}
	if (opt.modes & (1u << M_RUN_CKPT))
		printf("\n(b') runs PRAGMA wal_autocheckpoint=0 on the writer's connection (from a "
		       "job) "
		       "and PRAGMA wal_checkpoint(PASSIVE) on a second connection every %d ms.\n",
		       opt.ckpt_ms);
	if (opt.modes & (1u << M_SUBMIT)) {
		printf("\nWhere the writer thread's time goes in (c), milliseconds per commit "
		       "(medians of the runs' means; see struct breakdown in "
		       "bench/bench_writer.c):\n\n");
		printf("| keys | jobs (inserts + savepoints) | commit mean | commit p50 | commit "
		       "p99 "
		       "| done callbacks | between batches |\n");
		printf("|---|---:|---:|---:|---:|---:|---:|\n");
		for (int k = opt.keys_from; k <= opt.keys_to; k++) {
			double a[64], b[64], c[64], d[64], e[64], f[64];
			for (int r = 0; r < opt.reps; r++) {
				struct result *x = &res[k][M_SUBMIT][r];
				a[r] = x->bd_jobs;
				b[r] = x->bd_commit;
				c[r] = x->bd_commit_p50;
				d[r] = x->bd_commit_p99;
				e[r] = x->bd_callbacks;
				f[r] = x->bd_between;
			}
			printf("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", key_name[k],
			       median(a, opt.reps), median(b, opt.reps), median(c, opt.reps),
			       median(d, opt.reps), median(e, opt.reps), median(f, opt.reps));
		}
	}
	printf("\n");
	for (int k = opt.keys_from; k <= opt.keys_to && (opt.modes & RATIO_MODES) == RATIO_MODES;
	     k++) {
		double raw[64], run[64], sub[64];
		for (int r = 0; r < opt.reps; r++) {
			raw[r] = res[k][M_RAW][r].rate;
			run[r] = res[k][M_RUN][r].rate;
			sub[r] = res[k][M_SUBMIT][r].rate;
		}
		double a = median(raw, opt.reps), b = median(run, opt.reps),
		       c = median(sub, opt.reps);
		/* Each repetition measures raw and the writer back to back, so the
		 * ratio within a repetition is less disturbed by other load on the
		 * machine than the ratio of the medians. */
		double rb[64], rc[64];
		for (int r = 0; r < opt.reps; r++) {
			rb[r] = run[r] / raw[r];
			rc[r] = sub[r] / raw[r];
		}
		double mb = median(rb, opt.reps), mc = median(rc, opt.reps);
		printf("- %s keys: (b)/(a) = %.2f (median of per-run ratios %.2f; target >= 0.30: "
		       "%s); (c)/(a) = %.2f (per-run %.2f)\n",
		       key_name[k], b / a, mb, b / a >= 0.30 ? "met" : "NOT met", c / a, mc);
	}
	if (made_dir && !opt.keep)
		rmdir(opt.dir);
	return 0;
}
