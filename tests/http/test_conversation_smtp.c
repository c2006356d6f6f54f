/* test_conversation_smtp.c: a kitchen-table conversation's e-mails end to end, from the pages through the outbox and the server's sender to a real SMTP server on 127.0.0.1 (tests/mail/smtpd.py): invitations, the calendar invitation, the reminder (moved clock) and the feedback each arrive exactly once, and a refusing server leads to a retry, not a loss. */
#include "../unit/testutil.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/migrate.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
#include "webtest.h"
// clang-format on
#include "io/when.h"
#include "model/outbox.h"
#include "model/trajectory.h"
#include "model/user.h"

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PW "a long password 1234"

static long long trajectory_id;
static pid_t smtpd_pid;
static char inbox[320], control[320], smtp_url[64];

/* Starts tests/mail/smtpd.py on a free port; fills smtp_url. */
static int smtpd_start(void)
{
	char portfile[320];
	snprintf(inbox, sizeof inbox, "%s/inbox", dir);
	snprintf(control, sizeof control, "%s/mode", dir);
	snprintf(portfile, sizeof portfile, "%s/port", dir);
	smtpd_pid = fork();
	if (smtpd_pid < 0)
		return -1;
	if (smtpd_pid == 0) {
		execl("/usr/bin/python3", "python3", "tests/mail/smtpd.py", "--dir", inbox,
		      "--control", control, "--port-file", portfile, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		FILE *f = fopen(portfile, "r");
		int p = 0;
		if (f) {
			if (fscanf(f, "%d", &p) != 1)
				p = 0;
			fclose(f);
		}
		if (p > 0) {
			snprintf(smtp_url, sizeof smtp_url, "smtp://127.0.0.1:%d", p);
			return 0;
		}
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
	}
	return -1;
}

static int setup(void **state)
{
	db *d = fixture_open("convsmtp");
	int64_t org;
	if (!d || org_ensure(d, "Gemeente Test", &org) != DB_OK)
		return -1;
	if (fixture_user(d, org, "anna", "Anna Gesprek", ROLE_GESPREKSVOERDER, PW, 0) <= 0)
		return -1;
	struct user anna;
	if (user_by_name(d, "anna", &anna, NULL) != DB_ROW)
		return -1;
	struct trajectory_new t = {.org_id = org,
	                           .user_id = anna.id,
	                           .f = {.title = "De Molenweg",
	                                 .scope = "De stoep en de bomen: open.",
	                                 .selection_rationale = "U woont aan de Molenweg.",
	                                 .contact_route = "Bel 14 020."}};
	if (trajectory_create_write(d, &t) != DB_OK)
		return -1;
	trajectory_id = t.id;
	if (smtpd_start() != 0)
		return -1;
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.per_ip_limit = 60;
	cfg.smtp.url = smtp_url;
	cfg.smtp.from = "gemeente@voorbeeld.example";
	cfg.smtp.timeout = 10;
	return fixture_start(d, &cfg);
}

static int teardown(void **state)
{
	if (smtpd_pid > 0) {
		kill(smtpd_pid, SIGTERM);
		waitpid(smtpd_pid, NULL, 0);
	}
	if (getenv("VP_KEEP"))
		return 0;
	return fixture_stop();
}

/* The messages the server accepted so far, oldest first: each its
 * envelope recipients and its text with every base64 part decoded. */
struct mail {
	char rcpt[128];
	char *text; /* malloc'ed */
};

static int eml_names(char names[][16], int max)
{
	DIR *dp = opendir(inbox);
	int n = 0;
	struct dirent *e;
	while (dp && (e = readdir(dp)) != NULL && n < max) {
		size_t len = strlen(e->d_name);
		if (len > 4 && len < 16 && strcmp(e->d_name + len - 4, ".eml") == 0)
			snprintf(names[n++], 16, "%.*s", (int)(len - 4), e->d_name);
	}
	if (dp)
		closedir(dp);
	qsort(names, (size_t)n, 16, (int (*)(const void *, const void *))strcmp);
	return n;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	buf b;
	buf_init(&b);
	char chunk[4096];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, k);
	fclose(f);
	buf_puts(&b, "");
	return b.data;
}

/* The headers as they are, then every base64 body decoded. */
static char *decode_eml(const char *raw)
{
	buf out;
	buf_init(&out);
	const char *marker = "Content-Transfer-Encoding: base64\r\n";
	const char *p = raw, *hit;
	const char *end_headers = strstr(raw, "\r\n\r\n");
	buf_append(&out, raw, end_headers ? (size_t)(end_headers - raw) : strlen(raw));
	while ((hit = strstr(p, marker)) != NULL) {
		hit = strstr(hit, "\r\n\r\n"); /* the part's other headers end */
		if (!hit)
			break;
		hit += 4;
		const char *stop = strstr(hit, "\r\n\r\n");
		const char *dash = strstr(hit, "\r\n--");
		if (!stop || (dash && dash < stop))
			stop = dash;
		if (!stop)
			stop = hit + strlen(hit);
		size_t len = (size_t)(stop - hit);
		unsigned char *bin = malloc(len + 1);
		size_t bin_len = 0;
		if (bin && sodium_base642bin(bin, len, hit, len, "\r\n", &bin_len, NULL,
		                             sodium_base64_VARIANT_ORIGINAL) == 0) {
			buf_puts(&out, "\n");
			buf_append(&out, (const char *)bin, bin_len);
		}
		free(bin);
		p = stop;
	}
	buf_puts(&out, "");
	return out.data;
}

static int mails(struct mail *m, int max)
{
	char names[64][16];
	int n = eml_names(names, 64);
	if (n > max)
		n = max;
	for (int i = 0; i < n; i++) {
		char path[sizeof inbox + 24];
		snprintf(path, sizeof path, "%.320s/%.15s.rcpt", inbox, names[i]);
		char *rc = slurp(path);
		snprintf(m[i].rcpt, sizeof m[i].rcpt, "%s", rc ? rc : "");
		m[i].rcpt[strcspn(m[i].rcpt, "\r\n")] = '\0';
		free(rc);
		snprintf(path, sizeof path, "%.320s/%.15s.eml", inbox, names[i]);
		char *raw = slurp(path);
		m[i].text = raw ? decode_eml(raw) : NULL;
		free(raw);
	}
	return n;
}

static void mails_free(struct mail *m, int n)
{
	for (int i = 0; i < n; i++)
		free(m[i].text);
}

/* Waits (at most 15 s) until the server holds want messages; returns how
 * many it holds then (after a short extra wait, so one too many shows). */
static int wait_for(int want)
{
	char names[64][16];
	for (int i = 0; i < 300; i++) {
		if (eml_names(names, 64) >= want)
			break;
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
	}
	struct timespec ts = {0, 400 * 1000000L};
	nanosleep(&ts, NULL);
	return eml_names(names, 64);
}

static int ipn;
static void login(struct who *w)
{
	char ip[32];
	wt_ip(ip, sizeof ip, 21, ++ipn);
	who_login(w, "anna", PW, ip);
}

static void make_conversation(struct who *w, const char *title, char *path, size_t cap)
{
	char p[64];
	snprintf(p, sizeof p, "/trajecten/%lld/gesprekken", trajectory_id);
	struct http_resp r;
	assert_int_equal(who_post(w, p, &r, "conversation-title", title, NULL), 303);
	const char *loc = wt_location(&r);
	const char *q = strchr(loc, '?');
	snprintf(path, cap, "%.*s", (int)(q ? q - loc : (long)strlen(loc)), loc);
	http_free(&r);
}

static int post(struct who *w, const char *conv, const char *tail, struct http_resp *r, ...)
{
	char p[160];
	snprintf(p, sizeof p, "%s%s", conv, tail);
	va_list ap;
	va_start(ap, r);
	int st = who_postv(w, p, r, ap);
	va_end(ap);
	return st;
}

static void add_person(struct who *w, const char *conv, const char *name, const char *email)
{
	struct http_resp r;
	assert_int_equal(post(w, conv, "/personen", &r, "kind", "resident", "name", name, "email",
	                      email, NULL),
	                 303);
	http_free(&r);
}

static void test_mails_arrive_once(void **state)
{
	struct who anna;
	login(&anna);
	char conv[96];
	make_conversation(&anna, "Keukentafel Molenweg 3", conv, sizeof conv);
	add_person(&anna, conv, "Ria Molen", "ria@example.org");
	add_person(&anna, conv, "Kees Molen", "kees@example.org");
	struct http_resp r;

	/* step 1: one invitation each, with its own personal link */
	assert_int_equal(post(&anna, conv, "/uitnodigen", &r, "channel", "email", "invitation-text",
	                      "Wij komen graag bij u langs om te praten over de stoep.", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(wait_for(2), 2);
	struct mail m[16];
	int n = mails(m, 16);
	assert_int_equal(n, 2);
	int ria = strcmp(m[0].rcpt, "ria@example.org") == 0 ? 0 : 1;
	assert_string_equal(m[ria].rcpt, "ria@example.org");
	assert_string_equal(m[1 - ria].rcpt, "kees@example.org");
	for (int i = 0; i < 2; i++) {
		assert_non_null(strstr(m[i].text, "Wij komen graag bij u langs"));
		assert_non_null(strstr(m[i].text, "http://127.0.0.1/uitnodiging/"));
	}
	char *l0 = strstr(m[0].text, "/uitnodiging/"), *l1 = strstr(m[1].text, "/uitnodiging/");
	assert_true(strncmp(l0, l1, 13 + 43) != 0);
	mails_free(m, n);

	/* step 2: the appointment: a calendar invitation each (METHOD:REQUEST) */
	char when[17];
	when_input_value(clock_now() + 5 * 86400, when);
	snprintf(when + 11, 6, "14:00");
	assert_int_equal(post(&anna, conv, "/afspraak", &r, "starts", when, "minutes", "60",
	                      "place_kind", "town_hall", "remind", "2880", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(wait_for(4), 4);
	n = mails(m, 16);
	for (int i = 2; i < 4; i++) {
		assert_non_null(strstr(m[i].text, "METHOD:REQUEST"));
		assert_non_null(strstr(m[i].text, "BEGIN:VEVENT"));
	}
	mails_free(m, n);

	/* the reminder: nothing before it is due; once when due; never twice,
	 * also when the scheduler runs again (as after a restart) */
	assert_int_equal(server_reminders(&app), 0);
	assert_int_equal(wait_for(5), 4);
	clock_advance(4 * 86400); /* less than two days before the talk */
	assert_int_equal(server_reminders(&app), 2);
	assert_int_equal(wait_for(6), 6);
	assert_int_equal(server_reminders(&app), 0);
	assert_int_equal(wait_for(7), 6);
	n = mails(m, 16);
	for (int i = 4; i < 6; i++)
		assert_non_null(strstr(m[i].text, "Graag herinneren we u aan ons gesprek"));
	mails_free(m, n);

	/* the talk (after its time) and the feedback: one message to the one
	 * it is for */
	clock_advance(2 * 86400);
	login(&anna); /* the session of days ago has expired */
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "held", NULL), 303);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM conversations WHERE held_at IS NOT NULL"),
	                 1);
	long long person = wt_count("SELECT min(id) FROM conversation_people");
	char pid[24], fkey[40], ckey[40];
	snprintf(pid, sizeof pid, "%lld", person);
	snprintf(fkey, sizeof fkey, "feedback-%lld", person);
	snprintf(ckey, sizeof ckey, "channel-%lld", person);
	assert_int_equal(post(&anna, conv, "/verloop", &r, "action", "feedback_sent", "person", pid,
	                      fkey, "Dank u. De stoep wordt breder.", ckey, "email", NULL),
	                 303);
	http_free(&r);
	assert_int_equal(wait_for(7), 7);
	n = mails(m, 16);
	assert_string_equal(m[6].rcpt, "ria@example.org");
	assert_non_null(strstr(m[6].text, "Dank u. De stoep wordt breder."));
	mails_free(m, n);
	/* recording it again (a double click) sends no second message */
	post(&anna, conv, "/verloop", &r, "action", "feedback_sent", "person", pid, fkey,
	     "Dank u. De stoep wordt breder.", ckey, "email", NULL);
	http_free(&r);
	assert_int_equal(wt_count("SELECT count(*) FROM outbox WHERE purpose = 'feedback'"), 1);
	assert_int_equal(wait_for(8), 7);
	clock_reset();
}

/* The server refuses for now (451): the invitation is kept and tried
 * again later; when the server accepts again it arrives, once. */
static void test_refusing_server_retries(void **state)
{
	char names[64][16];
	int before = eml_names(names, 64);
	FILE *f = fopen(control, "w");
	assert_non_null(f);
	fputs("451\n", f);
	fclose(f);
	struct who anna;
	login(&anna);
	char conv[96];
	make_conversation(&anna, "Keukentafel Molenweg 9", conv, sizeof conv);
	add_person(&anna, conv, "Fien Molen", "fien@example.org");
	struct http_resp r;
	assert_int_equal(post(&anna, conv, "/uitnodigen", &r, "channel", "email", "invitation-text",
	                      "Mogen wij bij u langskomen?", NULL),
	                 303);
	http_free(&r);
	/* tried, refused, queued again for later */
	long long tried = 0;
	for (int i = 0; i < 300 && tried == 0; i++) {
		tried = wt_count("SELECT count(*) FROM outbox WHERE purpose = 'invitation' AND "
		                 "attempts >= 1 AND status = 'queued' AND last_error <> ''");
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
	}
	assert_int_equal(tried, 1);
	assert_int_equal(eml_names(names, 64), before);
	/* the server accepts again; once the backoff has passed it arrives */
	f = fopen(control, "w");
	assert_non_null(f);
	fputs("ok\n", f);
	fclose(f);
	clock_advance(6 * 3600);
	outbox_wake();
	assert_int_equal(wait_for(before + 1), before + 1);
	struct mail m[64];
	int n = mails(m, 64);
	assert_string_equal(m[n - 1].rcpt, "fien@example.org");
	assert_non_null(strstr(m[n - 1].text, "Mogen wij bij u langskomen?"));
	mails_free(m, n);
	assert_int_equal(wt_count("SELECT count(*) FROM outbox WHERE purpose = 'invitation' AND "
	                          "status = 'sent' AND attempts = 2"),
	                 1);
	clock_reset();
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_mails_arrive_once),
	        cmocka_unit_test(test_refusing_server_retries),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
