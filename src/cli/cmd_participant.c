/* cmd_participant.c: `vertelpunt participant` (the rights of data subjects on the command line) and `vertelpunt key rotate`. */
#include "cli/cli.h"
#include "core/util.h"
#include "db/writer.h"
#include "model/audit.h"
#include "model/consent.h"
#include "model/outbox.h"
#include "model/dialogue.h"
#include "model/participant.h"
#include "model/trajectory.h"
#include "model/totp.h"
#include "web/export_html.h"

#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "participant"

/* One change or one logged read; fields used depend on the action. */
struct job {
	const vault *v;
	enum { J_ADD, J_CORRECT, J_CONSENT, J_WITHDRAW, J_ERASE, J_LOG_READ, J_RESEAL } kind;
	struct contact c;
	int64_t id;
	char code[PARTICIPANT_CODE_LEN + 1];
	const char *purpose, *version, *text, *channel;
	int64_t consent_id;
	const char *read_action; /* "view" or "export" */
	json_t *read_codes;      /* codes of the participants that were read */
	int64_t resealed;
};

static int log_entry(db *d, const char *action, const char *object_id, const char *subject,
                     const char *detail)
{
	char actor[AUDIT_ACTOR_MAX + 1];
	audit_cli_actor(actor, sizeof actor);
	struct audit_entry e = {.actor = actor,
	                        .action = action,
	                        .object_type = "participant",
	                        .object_id = object_id,
	                        .subject_code = subject,
	                        .origin = "cli",
	                        .detail = detail};
	return audit_append(d, &e);
}

static int job_fn(db *d, void *ctx)
{
	struct job *j = ctx;
	char idtxt[24];
	int rc = DB_OK;
	switch (j->kind) {
	case J_ADD:
		rc = participant_create(d, j->v, &j->c, j->code, &j->id);
		snprintf(idtxt, sizeof idtxt, "%lld", (long long)j->id);
		return rc ? rc : log_entry(d, "create", idtxt, j->code, NULL);
	case J_CORRECT:
		rc = participant_set_contact(d, j->v, j->id, &j->c);
		snprintf(idtxt, sizeof idtxt, "%lld", (long long)j->id);
		return rc ? rc : log_entry(d, "update", idtxt, j->code, "contact");
	case J_CONSENT:
		rc = consent_record(d, j->id, j->purpose, j->version, j->text, j->channel,
		                    &j->consent_id);
		snprintf(idtxt, sizeof idtxt, "%lld", (long long)j->id);
		return rc ? rc : log_entry(d, "create", idtxt, j->code, "consent");
	case J_WITHDRAW:
		rc = consent_withdraw(d, j->id, j->consent_id, j->channel);
		snprintf(idtxt, sizeof idtxt, "%lld", (long long)j->id);
		return rc ? rc : log_entry(d, "update", idtxt, j->code, "consent withdrawn");
	case J_ERASE:
		rc = participant_erase(d, j->id);
		snprintf(idtxt, sizeof idtxt, "%lld", (long long)j->id);
		return rc ? rc : log_entry(d, "delete", idtxt, j->code, "erased on request");
	case J_LOG_READ: {
		size_t i;
		json_t *p;
		json_array_foreach(j->read_codes, i, p)
		{
			snprintf(idtxt, sizeof idtxt, "%lld",
			         (long long)json_integer_value(json_object_get(p, "id")));
			rc = log_entry(d, j->read_action, idtxt,
			               json_string_value(json_object_get(p, "code")), NULL);
			if (rc)
				return rc;
		}
		return DB_OK;
	}
	case J_RESEAL: {
		/* Every sealed value: contact data, two-factor secrets and the
		 * messages of contact requests. */
		j->resealed = participant_reseal_all(d, j->v);
		int64_t t = j->resealed < 0 ? -1 : totp_reseal_all(d, j->v);
		int64_t m = t < 0 ? -1 : contact_request_reseal_all(d, j->v);
		if (t < 0 || m < 0)
			return DB_ERROR;
		j->resealed += t + m;
		/* and the e-mails in the outbox, and what people wrote when they
		 * registered for a dialogue table */
		t = outbox_reseal_all(d, j->v);
		m = t < 0 ? -1 : dialogue_reseal_all(d, j->v);
		if (t < 0 || m < 0)
			return DB_ERROR;
		j->resealed += t + m;
		return 0;
	}
	}
	return DB_ERROR;
}

/* Runs the job through a writer on url (after migrations). */
static int write(const char *cmd, const char *url, struct job *j)
{
	db *d = cli_open_migrated(cmd, url);
	if (!d)
		return -1000;
	db_close(d);
	char err[512];
	writer *w = writer_start(url, err, sizeof err);
	if (!w) {
		cli_fail(cmd, "%s", err);
		return -1000;
	}
	int rc = writer_run(w, job_fn, j);
	writer_stop(w);
	return rc;
}

/* Reads are logged before anything is shown: no log entry, no output. */
static int log_read(const char *url, const char *action, json_t *people)
{
	struct job j = {.kind = J_LOG_READ, .read_action = action, .read_codes = people};
	int rc = write(CMD, url, &j);
	if (rc && rc != -1000)
		cli_fail(CMD, "could not write the access log (%d); nothing is shown", rc);
	return rc;
}

static int parse_contact(int argc, char **argv, int first, struct contact *c)
{
	static const struct option opts[] = {{"name", required_argument, 0, 'n'},
	                                     {"address", required_argument, 0, 'a'},
	                                     {"phone", required_argument, 0, 'p'},
	                                     {"email", required_argument, 0, 'e'},
	                                     {0}};
	int ch;
	optind = first;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': c->name = optarg; break;
		case 'a': c->address = optarg; break;
		case 'p': c->phone = optarg; break;
		case 'e': c->email = optarg; break;
		default: return cli_fail(CMD, "see 'vertelpunt help participant'");
		}
	}
	if (optind < argc)
		return cli_fail(CMD, "unexpected argument '%s'", argv[optind]);
	const char *bad = contact_check(c);
	return bad ? cli_fail(CMD, "%s", bad) : 0;
}

/* Finds the participant named by code; prints an error when absent. */
static int lookup(const char *url, const char *code, struct job *j)
{
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	int rc = participant_by_code(d, code, &j->id, j->code);
	db_close(d);
	if (rc != DB_ROW)
		return cli_fail(CMD, "no participant with code '%s'", code);
	return 0;
}

static int act_find(const char *url, const vault *v, int argc, char **argv)
{
	if (argc != 3)
		return cli_fail(CMD, "usage: vertelpunt participant find CODE|E-MAIL|PHONE|NAME");
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	buf out;
	buf_init(&out);
	int rc = participant_find_json(d, v, argv[2], &out);
	db_close(d);
	json_t *people = rc == DB_OK ? json_loadb(out.data, out.len, 0, NULL) : NULL;
	int status = 0;
	if (!people)
		status = cli_fail(CMD, "cannot read the participants");
	else if (json_array_size(people) > 0 && log_read(url, "view", people))
		status = 1;
	if (status == 0)
		cli_print(&out);
	sodium_memzero(out.data, out.len);
	buf_free(&out);
	json_decref(people);
	return status;
}

static int act_export(const char *url, const vault *v, int argc, char **argv)
{
	const char *format = "json", *lang = "nl";
	static const struct option opts[] = {
	        {"format", required_argument, 0, 'f'}, {"lang", required_argument, 0, 'l'}, {0}};
	int ch;
	optind = 3;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'f')
			format = optarg;
		else if (ch == 'l')
			lang = optarg;
		else
			return cli_fail(CMD, "see 'vertelpunt help participant'");
	}
	if (argc < 3 || optind < argc || (strcmp(format, "json") && strcmp(format, "html")) ||
	    (strcmp(lang, "nl") && strcmp(lang, "en")))
		return cli_fail(CMD,
		                "usage: vertelpunt participant export CODE [--format json|html] "
		                "[--lang nl|en]");
	struct job j = {0};
	if (lookup(url, argv[2], &j))
		return 1;
	/* Log first, so the export itself is in the access log it contains. */
	json_t *who = json_pack("[{s:I,s:s}]", "id", (json_int_t)j.id, "code", j.code);
	int rc = log_read(url, "export", who);
	json_decref(who);
	if (rc)
		return 1;
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	buf out;
	buf_init(&out);
	rc = participant_export_json(d, v, j.id, &out);
	db_close(d);
	if (rc != DB_OK) {
		buf_free(&out);
		return cli_fail(CMD, "cannot read participant %s", j.code);
	}
	if (strcmp(format, "html") == 0) {
		json_t *ex = json_loadb(out.data, out.len, 0, NULL);
		buf html;
		buf_init(&html);
		export_html(&html, ex, lang);
		json_decref(ex);
		fwrite(html.data, 1, html.len, stdout);
		sodium_memzero(html.data, html.len);
		buf_free(&html);
	} else {
		fwrite(out.data, 1, out.len, stdout);
		fputc('\n', stdout);
	}
	sodium_memzero(out.data, out.len);
	buf_free(&out);
	return 0;
}

static int act_change(const char *url, const vault *v, const char *action, int argc, char **argv)
{
	struct job j = {.v = v};
	if (strcmp(action, "add") == 0) {
		j.kind = J_ADD;
		if (parse_contact(argc, argv, 2, &j.c))
			return 1;
	} else if (strcmp(action, "correct") == 0) {
		j.kind = J_CORRECT;
		if (argc < 3)
			return cli_fail(CMD,
			                "usage: vertelpunt participant correct CODE [--name N] "
			                "[--address A] [--phone P] [--email E]");
		if (lookup(url, argv[2], &j) || parse_contact(argc, argv, 3, &j.c))
			return 1;
	} else if (strcmp(action, "consent") == 0) {
		j.kind = J_CONSENT;
		const char *text_file = NULL;
		j.channel = "cli";
		static const struct option opts[] = {{"purpose", required_argument, 0, 'p'},
		                                     {"version", required_argument, 0, 'v'},
		                                     {"text-file", required_argument, 0, 't'},
		                                     {"channel", required_argument, 0, 'c'},
		                                     {0}};
		int ch;
		optind = 3;
		while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
			if (ch == 'p')
				j.purpose = optarg;
			else if (ch == 'v')
				j.version = optarg;
			else if (ch == 't')
				text_file = optarg;
			else if (ch == 'c')
				j.channel = optarg;
			else
				return cli_fail(CMD, "see 'vertelpunt help participant'");
		}
		if (argc < 3 || optind < argc || !text_file)
			return cli_fail(CMD,
			                "usage: vertelpunt participant consent CODE --purpose P "
			                "--version V --text-file FILE [--channel C]");
		static char text[CONSENT_TEXT_MAX + 2];
		FILE *f = fopen(text_file, "r");
		if (!f)
			return cli_fail(CMD, "cannot read %s", text_file);
		size_t n = fread(text, 1, sizeof text - 1, f);
		fclose(f);
		text[n] = '\0';
		j.text = text;
		const char *bad = consent_check(j.purpose, j.version, j.text, j.channel);
		if (bad)
			return cli_fail(CMD, "%s", bad);
		if (lookup(url, argv[2], &j))
			return 1;
	} else if (strcmp(action, "withdraw") == 0) {
		j.kind = J_WITHDRAW;
		j.channel = "cli";
		if (argc == 6 && strcmp(argv[4], "--channel") == 0)
			j.channel = argv[5];
		else if (argc != 4)
			return cli_fail(CMD,
			                "usage: vertelpunt participant withdraw CODE CONSENT_ID "
			                "[--channel C]");
		if (util_parse_id(argv[3], &j.consent_id))
			return cli_fail(CMD, "CONSENT_ID is a number");
		if (!consent_channel_ok(j.channel))
			return cli_fail(CMD, "unknown channel '%s'", j.channel);
		if (lookup(url, argv[2], &j))
			return 1;
	} else if (strcmp(action, "erase") == 0) {
		j.kind = J_ERASE;
		if (argc != 4 || strcmp(argv[3], "--yes") != 0)
			return cli_fail(CMD, "usage: vertelpunt participant erase CODE --yes "
			                     "(this cannot be undone)");
		if (lookup(url, argv[2], &j))
			return 1;
	} else {
		return cli_fail(CMD, "unknown action '%s'; see 'vertelpunt help participant'",
		                action);
	}
	int rc = write(CMD, url, &j);
	if (rc == -1000)
		return 1;
	if (rc == DB_DONE)
		return cli_fail(CMD, j.kind == J_WITHDRAW ? "no such consent, or withdrawn already"
		                                          : "no such participant");
	if (rc)
		return cli_fail(CMD, "could not write to %s (%d)", url, rc);
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"id\":%lld,\"code\":", (long long)j.id);
	buf_json_str(&out, j.code);
	if (j.kind == J_CONSENT || j.kind == J_WITHDRAW)
		buf_printf(&out, ",\"consent\":%lld", (long long)j.consent_id);
	if (j.kind == J_ERASE)
		buf_puts(&out, ",\"erased\":true");
	buf_putc(&out, '}');
	cli_print(&out);
	return 0;
}

int cmd_participant(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	const char *key = cli_opt_key(&argc, argv, url);
	if (argc < 2)
		return cli_fail(CMD, "which action? see 'vertelpunt help participant'");
	vault *v = cli_load_vault(CMD, key);
	if (!v)
		return 1;
	const char *action = argv[1];
	int status;
	if (strcmp(action, "find") == 0)
		status = act_find(url, v, argc, argv);
	else if (strcmp(action, "export") == 0)
		status = act_export(url, v, argc, argv);
	else
		status = act_change(url, v, action, argc, argv);
	vault_free(v);
	return status;
}

/* Before the old keys go: the access log and its seals verified with every
 * key, an entry naming the seals that can no longer be checked afterwards,
 * and a seal of the head with the new key (model/audit.h). */
static int rotation_seal_fn(db *d, void *ctx)
{
	struct audit_seal_job *j = ctx;
	char actor[AUDIT_ACTOR_MAX + 1];
	audit_cli_actor(actor, sizeof actor);
	j->made = audit_seal_rotation(d, j->v, j->now, actor);
	return j->made < 0 ? (int)j->made : 0;
}

/* vertelpunt key rotate: a new key, every sealed value re-sealed with it,
 * the access log sealed with it, the old key dropped. Safe to run again
 * after a crash at any point. */
int cmd_key(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	const char *key = cli_opt_key(&argc, argv, url);
	if (argc != 2 || strcmp(argv[1], "rotate") != 0)
		return cli_fail("key", "usage: vertelpunt key rotate [--db FILE] [--key FILE]");
	vault *v = cli_load_vault("key", key);
	if (!v)
		return 1;
	uint32_t old = vault_active_id(v);
	vault_free(v);
	char err[512];
	if (vault_file_add_key(key, err, sizeof err))
		return cli_fail("key", "%s", err);
	v = cli_load_vault("key", key);
	if (!v)
		return 1;
	struct job j = {.v = v, .kind = J_RESEAL};
	int rc = write("key", url, &j);
	uint32_t now = vault_active_id(v);
	struct audit_seal_job sj = {.v = v};
	if (!rc) {
		rc = cli_run_job("key", url, rotation_seal_fn, &sj);
		if (rc == AUDIT_BROKEN) {
			vault_free(v);
			return cli_fail("key",
			                "every value is sealed with the new key, but the access "
			                "log does not verify (see 'vertelpunt audit verify'); the "
			                "old keys stay in %s so its seals can still be checked",
			                key);
		}
	}
	vault_free(v);
	if (rc)
		return cli_fail("key",
		                "re-sealing failed (%d); both keys stay in %s, run the "
		                "rotation again",
		                rc == -1000 ? 0 : rc, key);
	if (vault_file_keep_active(key, err, sizeof err))
		return cli_fail("key", "%s (every value is sealed with the new key already)", err);
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"old_key\":%u,\"new_key\":%u,\"resealed\":%lld,\"audit_seal\":%lld}",
	           old, now, (long long)j.resealed, (long long)sj.made);
	cli_print(&out);
	return 0;
}
