/* cmd_mail.c: `vertelpunt mail`: a test message, the outbox, retry, one pass of the sender, queueing; and the mail options serve shares. */
#include "cli/cmd_mail.h"

#include "cli/cli.h"
#include "core/clock.h"
#include "core/util.h"
#include "db/writer.h"
#include "io/ical.h"
#include "io/mail.h"
#include "model/outbox.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CMD "mail"

void mail_cli_defaults(struct mail_cli *m)
{
	memset(m, 0, sizeof *m);
	m->max_attempts = OUTBOX_DEFAULT_MAX_ATTEMPTS;
	m->smtp.timeout = 60;
}

int mail_cli_option(const char *cmd, int ch, const char *arg, struct mail_cli *m)
{
	int64_t v;
	switch (ch) {
	case 'U': m->smtp.url = arg; return 0;
	case 'S': m->smtp.starttls = 1; return 0;
	case 'u': m->smtp.user = arg; return 0;
	case 'P': m->password_file = arg; return 0;
	case 'F': m->smtp.from = arg; return 0;
	case 'N': m->smtp.from_name = arg; return 0;
	case 'M':
		if (util_parse_i64(arg, &v) || v < 1 || v > 100)
			return cli_fail(cmd, "--mail-max-attempts wants a number from 1 to 100");
		m->max_attempts = (int)v;
		return 0;
	case 'W':
		/* Below OUTBOX_STALE_SECONDS: a claim is never taken again
		 * while its try may still be running. */
		if (util_parse_i64(arg, &v) || v < 1 || v > 300)
			return cli_fail(cmd,
			                "--smtp-timeout wants a number of seconds from 1 to 300");
		m->smtp.timeout = (int)v;
		return 0;
	default: return -1;
	}
}

int mail_cli_finish(const char *cmd, struct mail_cli *m)
{
	if (!m->smtp.url) {
		if (m->smtp.user || m->password_file || m->smtp.starttls)
			return cli_fail(cmd, "the mail options need --smtp-url");
		return 0;
	}
	if (strncmp(m->smtp.url, "smtp://", 7) != 0 && strncmp(m->smtp.url, "smtps://", 8) != 0)
		return cli_fail(cmd, "--smtp-url must start with smtp:// or smtps://");
	if (m->smtp.starttls && strncmp(m->smtp.url, "smtps://", 8) == 0)
		return cli_fail(cmd,
		                "--smtp-starttls is for smtp://; smtps:// is encrypted already");
	if (!m->smtp.from || mail_addr_check(m->smtp.from) != 0)
		return cli_fail(cmd, "--smtp-url needs --mail-from with a valid e-mail address");
	if (m->smtp.from_name && (strpbrk(m->smtp.from_name, "\r\n") ||
	                          !util_utf8_clean(m->smtp.from_name, strlen(m->smtp.from_name))))
		return cli_fail(cmd, "--mail-from-name must be one line of text");
	if (m->password_file && !m->smtp.user)
		return cli_fail(cmd, "--smtp-password-file needs --smtp-user");
	if (m->smtp.user && !m->password_file)
		return cli_fail(cmd, "--smtp-user needs --smtp-password-file");
	if (m->password_file) {
		char err[512];
		char *pw = smtp_read_password_file(m->password_file, err, sizeof err);
		if (!pw)
			return cli_fail(cmd, "%s", err);
		m->smtp.password = pw; /* kept until exit */
	}
	return 0;
}

/* ---- the sub-commands ----------------------------------------------------- */

static int usage(void)
{
	return cli_fail(CMD, "which action? see 'vertelpunt help mail'");
}

/* "2026-11-25T10:00:00Z" or seconds since the epoch; -1 when neither. */
static int64_t parse_time(const char *s)
{
	int64_t v;
	if (util_parse_i64(s, &v) == 0)
		return v;
	struct tm tm = {0};
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return -1;
	return (int64_t)timegm(&tm);
}

struct queue_cli {
	const vault *v;
	struct outbox_msg m;
	int64_t id;
	int rc;
};

static int queue_fn(db *d, void *ctx)
{
	struct queue_cli *q = ctx;
	q->rc = outbox_queue(d, q->v, &q->m, &q->id);
	return q->rc;
}

static int mail_queue(const char *url, const char *key, int argc, char **argv)
{
	static const struct option opts[] = {{"to", required_argument, 0, 't'},
	                                     {"to-name", required_argument, 0, 'n'},
	                                     {"subject", required_argument, 0, 's'},
	                                     {"body-file", required_argument, 0, 'b'},
	                                     {"purpose", required_argument, 0, 'p'},
	                                     {"dedup-key", required_argument, 0, 'k'},
	                                     {"ref", required_argument, 0, 'r'},
	                                     {"not-before", required_argument, 0, 'a'},
	                                     {"event-uid", required_argument, 0, 'e'},
	                                     {"event-start", required_argument, 0, '1'},
	                                     {"event-end", required_argument, 0, '2'},
	                                     {"event-sequence", required_argument, 0, 'q'},
	                                     {"event-location", required_argument, 0, 'l'},
	                                     {"event-url", required_argument, 0, 'w'},
	                                     {"event-cancel", no_argument, 0, 'c'},
	                                     {"organizer", required_argument, 0, 'o'},
	                                     {0}};
	struct outbox_msg m = {.purpose = "test"};
	struct ical_event ev = {.method = VP_ICAL_REQUEST, .start = -1, .end = -1};
	const char *body_file = NULL;
	char refkind[41] = "";
	int64_t v;
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't': m.to_addr = optarg; break;
		case 'n': m.to_name = optarg; break;
		case 's': m.subject = optarg; break;
		case 'b': body_file = optarg; break;
		case 'p': m.purpose = optarg; break;
		case 'k': m.dedup_key = optarg; break;
		case 'r': {
			const char *colon = strchr(optarg, ':');
			if (!colon || (size_t)(colon - optarg) >= sizeof refkind ||
			    util_parse_id(colon + 1, &m.ref_id))
				return cli_fail(CMD,
				                "--ref wants KIND:ID, such as conversation:42");
			snprintf(refkind, sizeof refkind, "%.*s", (int)(colon - optarg), optarg);
			m.ref_kind = refkind;
			break;
		}
		case 'a':
			if ((m.not_before = parse_time(optarg)) < 0)
				return cli_fail(CMD, "--not-before wants YYYY-MM-DDTHH:MM:SSZ");
			break;
		case 'e': ev.uid = optarg; break;
		case '1': ev.start = parse_time(optarg); break;
		case '2': ev.end = parse_time(optarg); break;
		case 'q':
			if (util_parse_i64(optarg, &v) || v < 0 || v > 100000)
				return cli_fail(CMD, "--event-sequence wants a number from 0");
			ev.sequence = (int)v;
			break;
		case 'l': ev.location = optarg; break;
		case 'w': ev.url = optarg; break;
		case 'c': ev.method = VP_ICAL_CANCEL; break;
		case 'o': ev.organizer_addr = optarg; break;
		default: return cli_fail(CMD, "see 'vertelpunt help mail'");
		}
	}
	if (optind < argc)
		return cli_fail(CMD, "unexpected argument '%s'", argv[optind]);
	if (!m.to_addr || !m.subject || !body_file)
		return cli_fail(CMD, "queue needs --to, --subject and --body-file");
	buf body, ics;
	buf_init(&body);
	buf_init(&ics);
	if (cli_read_file(CMD, body_file, 1024 * 1024, &body))
		return 1;
	m.body_text = body.data ? body.data : "";
	if (ev.uid) {
		char err[256];
		ev.summary = m.subject;
		ev.description = m.body_text;
		ev.dtstamp = clock_now();
		struct ical_attendee a = {m.to_addr, m.to_name};
		ev.attendees = &a;
		ev.nattendees = 1;
		if (ev.start < 0 || ev.end < 0 || !ev.organizer_addr) {
			buf_free(&body);
			return cli_fail(CMD, "--event-uid needs --event-start and --event-end "
			                     "(YYYY-MM-DDTHH:MM:SSZ) and --organizer");
		}
		if (ical_build(&ev, &ics, err, sizeof err)) {
			buf_free(&body);
			return cli_fail(CMD, "%s", err);
		}
		m.ics = ics.data;
	}
	const char *bad = outbox_check(&m);
	if (bad) {
		buf_free(&body);
		buf_free(&ics);
		return cli_fail(CMD, "%s", bad);
	}
	db *d = cli_open_migrated(CMD, url);
	if (!d) {
		buf_free(&body);
		buf_free(&ics);
		return 1;
	}
	db_close(d);
	vault *vlt = cli_load_vault(CMD, key);
	if (!vlt) {
		buf_free(&body);
		buf_free(&ics);
		return 1;
	}
	struct queue_cli q = {.v = vlt, .m = m};
	int rc = cli_run_job(CMD, url, queue_fn, &q);
	vault_free(vlt);
	buf_free(&body);
	buf_free(&ics);
	if (rc == DB_CONSTRAINT)
		return cli_fail(CMD,
		                "a message with the dedup key '%s' was queued before; not queued "
		                "again",
		                m.dedup_key ? m.dedup_key : "");
	if (rc)
		return cli_fail(CMD, "could not queue the message (%d)", rc);
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"queued\":%lld}", (long long)q.id);
	cli_print(&out);
	return 0;
}

static int mail_outbox(const char *url, int argc, char **argv)
{
	static const struct option opts[] = {
	        {"status", required_argument, 0, 's'}, {"limit", required_argument, 0, 'l'}, {0}};
	const char *status = NULL;
	int64_t limit = 100;
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 's')
			status = optarg;
		else if (ch == 'l' && util_parse_i64(optarg, &limit) == 0 && limit > 0 &&
		         limit <= 100000)
			continue;
		else
			return cli_fail(CMD, "usage: vertelpunt mail outbox [--status "
			                     "queued|sending|sent|failed] [--limit N]");
	}
	if (optind < argc)
		return cli_fail(CMD, "unexpected argument '%s'", argv[optind]);
	if (status && strcmp(status, "queued") != 0 && strcmp(status, "sending") != 0 &&
	    strcmp(status, "sent") != 0 && strcmp(status, "failed") != 0)
		return cli_fail(CMD, "--status is one of queued, sending, sent, failed");
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	buf out;
	buf_init(&out);
	int rc = outbox_list_json(d, status, (int)limit, &out);
	db_close(d);
	if (rc != DB_OK) {
		buf_free(&out);
		return cli_fail(CMD, "cannot read the outbox");
	}
	cli_print(&out);
	return 0;
}

static int mail_retry(const char *url, int argc, char **argv)
{
	struct outbox_retry_job j = {0};
	if (argc != 2 || util_parse_id(argv[1], &j.id))
		return cli_fail(CMD, "usage: vertelpunt mail retry ID");
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	db_close(d);
	int rc = cli_run_job(CMD, url, outbox_retry_write, &j);
	if (rc)
		return cli_fail(CMD, "could not change the outbox (%d)", rc);
	if (j.result != DB_OK)
		return cli_fail(CMD,
		                "no failed message %lld (only a failed message can be tried "
		                "again)",
		                (long long)j.id);
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"queued\":%lld}", (long long)j.id);
	cli_print(&out);
	return 0;
}

static int mail_send_due(const char *url, const char *key, struct mail_cli *mc, int limit)
{
	if (!mc->smtp.url)
		return cli_fail(CMD,
		                "mail is not configured (--smtp-url, --mail-from): nothing was "
		                "sent, the messages stay queued");
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	db_close(d);
	vault *v = cli_load_vault(CMD, key);
	if (!v)
		return 1;
	char err[256];
	writer *w = writer_start(url, err, sizeof err);
	if (!w) {
		vault_free(v);
		return cli_fail(CMD, "%s", err);
	}
	struct outbox_pass p;
	outbox_send_due(w, v, &mc->smtp, mc->max_attempts, limit, &p);
	writer_stop(w);
	vault_free(v);
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"sent\":%d,\"retry\":%d,\"failed\":%d}", p.sent, p.retry, p.failed);
	cli_print(&out);
	return p.errors ? cli_fail(CMD, "the outbox could not be written") : 0;
}

static int mail_test(struct mail_cli *mc, const char *to)
{
	if (!mc->smtp.url)
		return cli_fail(CMD, "test needs --smtp-url and --mail-from");
	if (!to || mail_addr_check(to) != 0)
		return cli_fail(CMD, "test needs --to with a valid e-mail address");
	char mid[MAIL_MESSAGE_ID_MAX + 1], err[512];
	mail_new_message_id(mc->smtp.from, mid);
	struct mail_msg m = {.from_addr = mc->smtp.from,
	                     .from_name = mc->smtp.from_name,
	                     .to_addr = to,
	                     .subject = "Vertelpunt: testbericht / test message",
	                     .body_text =
	                             "Dit is een testbericht van Vertelpunt. De e-mail werkt.\n"
	                             "\n"
	                             "This is a test message from Vertelpunt. E-mail works.\n",
	                     .message_id = mid,
	                     .date = clock_now()};
	buf msg;
	buf_init(&msg);
	if (mail_compose(&m, &msg, err, sizeof err)) {
		buf_free(&msg);
		return cli_fail(CMD, "%s", err);
	}
	enum smtp_result r = smtp_send(&mc->smtp, to, msg.data, msg.len, err, sizeof err);
	buf_free(&msg);
	if (r != SMTP_OK)
		return cli_fail(CMD, "not sent (%s failure): %s",
		                r == SMTP_PERMANENT ? "permanent" : "temporary", err);
	buf out;
	buf_init(&out);
	buf_puts(&out, "{\"sent\":true,\"message_id\":");
	buf_json_str(&out, mid);
	buf_putc(&out, '}');
	cli_print(&out);
	return 0;
}

int cmd_mail(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	const char *key = cli_opt_key(&argc, argv, url);
	if (argc < 2)
		return usage();
	const char *action = argv[1];
	/* The sub-command's own arguments, with the action as argv[0]. */
	argc--;
	argv++;
	if (strcmp(action, "outbox") == 0)
		return mail_outbox(url, argc, argv);
	if (strcmp(action, "retry") == 0)
		return mail_retry(url, argc, argv);
	if (strcmp(action, "queue") == 0)
		return mail_queue(url, key, argc, argv);
	/* test and send-due take the mail options. */
	struct mail_cli mc;
	mail_cli_defaults(&mc);
	static const struct option opts[] = {MAIL_CLI_OPTIONS,
	                                     {"to", required_argument, 0, 't'},
	                                     {"limit", required_argument, 0, 'l'},
	                                     {0}};
	const char *to = NULL;
	int64_t limit = 1000;
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int rc = mail_cli_option(CMD, ch, optarg, &mc);
		if (rc == 1)
			return 1;
		if (rc == 0)
			continue;
		if (ch == 't')
			to = optarg;
		else if (ch == 'l' && util_parse_i64(optarg, &limit) == 0 && limit > 0)
			continue;
		else
			return cli_fail(CMD, "see 'vertelpunt help mail'");
	}
	if (optind < argc)
		return cli_fail(CMD, "unexpected argument '%s'", argv[optind]);
	if (mail_cli_finish(CMD, &mc))
		return 1;
	if (strcmp(action, "test") == 0)
		return mail_test(&mc, to);
	if (strcmp(action, "send-due") == 0)
		return mail_send_due(url, key, &mc, (int)(limit > 100000 ? 100000 : limit));
	return cli_fail(CMD, "unknown action '%s'; see 'vertelpunt help mail'", action);
}
