/* cmd_script.c: `vertelpunt script`: import, export, lint and move interview scripts through their versions. */
#include "cli/cli.h"
#include "core/util.h"
#include "db/writer.h"
#include "gen/embedded.h"
#include "io/sensemaker.h"
#include "model/script.h"
#include "model/script_library.h"
#include "model/script_store.h"
#include "model/upload.h"
#include "web/script_paper.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "script"

enum { SCRIPT_FILE_MAX = 4 << 20 };

static void lint_print(const struct script *s, buf *out)
{
	struct lint_result lr;
	script_lint(s, &lr);
	buf_printf(out, "{\"errors\":%d,\"warnings\":%d,\"items\":", lr.errors, lr.warnings);
	lint_result_json(&lr, out);
	buf_putc(out, '}');
	lint_result_free(&lr);
}

static const char *result_text(int result)
{
	switch (result) {
	case SCRIPT_NOT_FOUND: return "no such script or version";
	case SCRIPT_NOT_DRAFT: return "only a draft can change";
	case SCRIPT_LINT_FAILED: return "the script has lint errors (see `vertelpunt script lint`)";
	case SCRIPT_IDENTITY:
		return "a question changed its meaning but kept its id: give it a new id, or say "
		       "what it continues";
	case SCRIPT_BAD_STATUS: return "that status change is not allowed";
	case SCRIPT_HAS_DRAFT:
		return "the script has a draft already (use --replace-draft, or publish or delete "
		       "the draft)";
	case SCRIPT_KEY_CHANGED: return "the key belongs to another script";
	case SCRIPT_IN_USE: return "an open collection uses this version: close it first";
	}
	return "failed";
}

/* Saves a parsed script through the writer and prints the result. */
static int save(const char *url, db *d, struct script *sc, int replace, const char *report)
{
	int64_t org = cli_first_org(d);
	if (!org)
		return cli_fail(CMD, "no organisation: run `vertelpunt init` first");
	char err[256];
	writer *w = writer_start(url, err, sizeof err);
	if (!w)
		return cli_fail(CMD, "%s", err);
	struct script_save_job j = {.org_id = org, .script = sc, .replace_draft = replace};
	int rc = writer_run(w, script_save_write, &j);
	writer_stop(w);
	if (rc != 0)
		return cli_fail(CMD, "could not store the script (%d)", rc);
	if (j.result != SCRIPT_OK)
		return cli_fail(CMD, "%s: %s%s%s", sc->key, result_text(j.result),
		                j.detail[0] ? ": " : "", j.detail);
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"id\":%lld,\"key\":", (long long)j.script_id);
	buf_json_str(&out, sc->key);
	buf_printf(&out, ",\"version\":%d,\"status\":\"draft\",\"lint\":", j.version);
	lint_print(sc, &out);
	if (report) {
		buf_puts(&out, ",\"report\":");
		buf_puts(&out, report);
	}
	buf_putc(&out, '}');
	cli_print(&out);
	return 0;
}

static int parse_version_opt(int *argc, char **argv, int *version)
{
	*version = 0;
	for (int i = 1; i < *argc; i++) {
		const char *v = NULL;
		int take = 0;
		if (strcmp(argv[i], "--version") == 0 && i + 1 < *argc)
			v = argv[i + 1], take = 2;
		else if (strncmp(argv[i], "--version=", 10) == 0)
			v = argv[i] + 10, take = 1;
		if (!take)
			continue;
		int64_t n;
		if (util_parse_i64(v, &n) || n < 1 || n > 1000000)
			return cli_fail(CMD, "--version needs a version number");
		*version = (int)n;
		for (int k = i; k + take <= *argc; k++)
			argv[k] = argv[k + take];
		*argc -= take;
		i--;
	}
	return 0;
}

static int take_flag(int *argc, char **argv, const char *flag)
{
	for (int i = 1; i < *argc; i++)
		if (strcmp(argv[i], flag) == 0) {
			for (int k = i; k < *argc; k++)
				argv[k] = argv[k + 1];
			(*argc)--;
			return 1;
		}
	return 0;
}

static int cmd_import(const char *url, int argc, char **argv)
{
	int replace = take_flag(&argc, argv, "--replace-draft");
	if (argc != 2)
		return cli_fail(CMD, "usage: vertelpunt script import [--replace-draft] FILE");
	buf text;
	buf_init(&text);
	if (cli_read_file(CMD, argv[1], SCRIPT_FILE_MAX, &text)) {
		buf_free(&text);
		return 1;
	}
	char err[512];
	struct script *sc =
	        script_parse_text(text.data ? text.data : "", text.len, err, sizeof err);
	buf_free(&text);
	if (!sc)
		return cli_fail(CMD, "%s: %s (nothing imported)", argv[1], err);
	db *d = cli_open_migrated(CMD, url);
	if (!d) {
		script_free(sc);
		return 1;
	}
	int rc = save(url, d, sc, replace, NULL);
	db_close(d);
	script_free(sc);
	return rc;
}

/* Takes "--layout FILE" out of argv; NULL when absent. */
static const char *take_layout(int *argc, char **argv)
{
	for (int i = 1; i + 1 < *argc; i++)
		if (strcmp(argv[i], "--layout") == 0) {
			const char *v = argv[i + 1];
			for (int k = i; k + 2 <= *argc; k++)
				argv[k] = argv[k + 2];
			*argc -= 2;
			return v;
		}
	return NULL;
}

static json_t *load_json_file(const char *path)
{
	buf text;
	buf_init(&text);
	if (cli_read_file(CMD, path, SCRIPT_FILE_MAX, &text)) {
		buf_free(&text);
		return NULL;
	}
	json_error_t jerr;
	json_t *j = json_loadb(text.data ? text.data : "", text.len, JSON_REJECT_DUPLICATES, &jerr);
	buf_free(&text);
	if (!j)
		cli_fail(CMD, "%s: not valid JSON (line %d): %s (nothing imported)", path,
		         jerr.line, jerr.text);
	return j;
}

static int cmd_import_sensemaker(const char *url, int argc, char **argv)
{
	int replace = take_flag(&argc, argv, "--replace-draft");
	const char *layout_path = take_layout(&argc, argv);
	if (argc != 2)
		return cli_fail(CMD, "usage: vertelpunt script import-sensemaker [--layout "
		                     "LAYOUT.json] DEFINITION.json");
	json_t *layout = NULL;
	if (layout_path && !(layout = load_json_file(layout_path)))
		return 1;
	buf text;
	buf_init(&text);
	if (cli_read_file(CMD, argv[1], SCRIPT_FILE_MAX, &text)) {
		buf_free(&text);
		return 1;
	}
	json_error_t jerr;
	json_t *def =
	        json_loadb(text.data ? text.data : "", text.len, JSON_REJECT_DUPLICATES, &jerr);
	buf_free(&text);
	if (!def)
		return cli_fail(CMD, "%s: not valid JSON (line %d): %s (nothing imported)", argv[1],
		                jerr.line, jerr.text);
	char err[512];
	buf report;
	buf_init(&report);
	json_t *ours = sensemaker_to_script_layout(def, layout, &report, err, sizeof err);
	json_decref(def);
	json_decref(layout);
	if (!ours) {
		buf_free(&report);
		return cli_fail(CMD, "%s: %s (nothing imported)", argv[1], err);
	}
	struct script *sc = script_parse(ours, err, sizeof err);
	json_decref(ours);
	if (!sc) {
		buf_free(&report);
		return cli_fail(CMD, "%s: %s (nothing imported)", argv[1], err);
	}
	db *d = cli_open_migrated(CMD, url);
	int rc = 1;
	if (d) {
		rc = save(url, d, sc, replace, report.data ? report.data : "null");
		db_close(d);
	}
	buf_free(&report);
	script_free(sc);
	return rc;
}

static int cmd_lint(int argc, char **argv)
{
	if (argc != 2)
		return cli_fail(CMD, "usage: vertelpunt script lint FILE");
	buf text;
	buf_init(&text);
	if (cli_read_file(CMD, argv[1], SCRIPT_FILE_MAX, &text)) {
		buf_free(&text);
		return 1;
	}
	char err[512];
	struct script *sc =
	        script_parse_text(text.data ? text.data : "", text.len, err, sizeof err);
	buf_free(&text);
	if (!sc)
		return cli_fail(CMD, "%s: %s", argv[1], err);
	struct lint_result lr;
	script_lint(sc, &lr);
	int errors = lr.errors;
	lint_result_free(&lr);
	buf out;
	buf_init(&out);
	lint_print(sc, &out);
	cli_print(&out);
	script_free(sc);
	return errors ? 1 : 0;
}

static int parse_id(const char *s, int64_t *id)
{
	if (util_parse_id(s, id))
		return cli_fail(CMD, "%s: not a script id", s);
	return 0;
}

static int cmd_export(const char *url, int argc, char **argv)
{
	int version;
	int64_t id;
	if (parse_version_opt(&argc, argv, &version))
		return 1;
	if (argc != 2)
		return cli_fail(CMD, "usage: vertelpunt script export ID [--version N]");
	if (parse_id(argv[1], &id))
		return 1;
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	struct script_version v;
	int rc = script_version_get(d, cli_first_org(d), id, version, &v);
	db_close(d);
	if (rc == DB_DONE)
		return cli_fail(CMD, "no script %lld%s", (long long)id,
		                version ? " with that version" : "");
	if (rc != DB_OK)
		return cli_fail(CMD, "could not read the script");
	fputs(v.body, stdout);
	script_version_free(&v);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* The printable paper form (HTML) on stdout. Pictures of pin questions
 * are linked from the uploads folder by their full path. */
static int cmd_paper(const char *url, int argc, char **argv)
{
	int version;
	int64_t id;
	const char *lang = "nl";
	if (parse_version_opt(&argc, argv, &version))
		return 1;
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--lang") == 0) {
			lang = argv[i + 1];
			memmove(&argv[i], &argv[i + 2], (size_t)(argc - i - 2) * sizeof *argv);
			argc -= 2;
			break;
		}
	if (strcmp(lang, "nl") != 0 && strcmp(lang, "en") != 0)
		return cli_fail(CMD, "--lang is nl or en");
	if (argc != 2)
		return cli_fail(CMD,
		                "usage: vertelpunt script paper ID [--version N] [--lang nl|en]");
	if (parse_id(argv[1], &id))
		return 1;
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	struct script_version v;
	int rc = script_version_get(d, cli_first_org(d), id, version, &v);
	db_close(d);
	if (rc == DB_DONE)
		return cli_fail(CMD, "no script %lld%s", (long long)id,
		                version ? " with that version" : "");
	if (rc != DB_OK)
		return cli_fail(CMD, "could not read the script");
	char err[512];
	struct script *sc = script_parse_text(v.body, strlen(v.body), err, sizeof err);
	if (!sc) {
		script_version_free(&v);
		return cli_fail(CMD, "the stored script does not read: %s", err);
	}
	char dir[4096], abs[4096 + 2];
	upload_dir_default(url, dir, sizeof dir);
	char *real = realpath(dir, NULL);
	snprintf(abs, sizeof abs, "%s/", real ? real : dir);
	free(real);
	struct script_paper o = {.lang = lang, .version = v.version, .image_base = abs};
	buf out;
	buf_init(&out);
	script_paper_html(&out, sc, &o);
	script_free(sc);
	script_version_free(&v);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	return fflush(stdout) == 0 ? 0 : 1;
}

static int cmd_list(const char *url)
{
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	buf out;
	buf_init(&out);
	int rc = script_list_json(d, cli_first_org(d), &out);
	db_close(d);
	if (rc != DB_OK) {
		buf_free(&out);
		return cli_fail(CMD, "could not read the scripts");
	}
	cli_print(&out);
	return 0;
}

/* script status ID VERSION pilot|published|retired|deleted */
static int cmd_status(const char *url, int argc, char **argv)
{
	int64_t id, version;
	if (argc != 4)
		return cli_fail(CMD, "usage: vertelpunt script status ID VERSION "
		                     "pilot|published|retired|deleted");
	if (parse_id(argv[1], &id))
		return 1;
	if (util_parse_i64(argv[2], &version) || version < 1 || version > 1000000)
		return cli_fail(CMD, "%s: not a version number", argv[2]);
	int to = strcmp(argv[3], "deleted") == 0 ? -1 : script_status_parse(argv[3]);
	if (to == SCRIPT_DRAFT || (to < 0 && strcmp(argv[3], "deleted") != 0))
		return cli_fail(CMD, "%s: the status is pilot, published, retired or deleted",
		                argv[3]);
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	struct script_status_job j = {
	        .org_id = cli_first_org(d), .script_id = id, .version = (int)version, .to = to};
	db_close(d);
	if (cli_run_job(CMD, url, script_status_write, &j))
		return cli_fail(CMD, "could not change the status");
	if (j.result != SCRIPT_OK)
		return cli_fail(CMD, "%s%s%s", result_text(j.result), j.detail[0] ? ": " : "",
		                j.detail);
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"id\":%lld,\"version\":%d,\"status\":", (long long)id, (int)version);
	buf_json_str(&out, argv[3]);
	buf_putc(&out, '}');
	cli_print(&out);
	return 0;
}

/* script edit ID [--version N]: a new draft from a version. */
static int cmd_edit(const char *url, int argc, char **argv)
{
	int version;
	int64_t id;
	if (parse_version_opt(&argc, argv, &version))
		return 1;
	if (argc != 2)
		return cli_fail(CMD, "usage: vertelpunt script edit ID [--version N]");
	if (parse_id(argv[1], &id))
		return 1;
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	struct script_copy_job j = {
	        .org_id = cli_first_org(d), .script_id = id, .version = version};
	db_close(d);
	if (cli_run_job(CMD, url, script_copy_write, &j))
		return cli_fail(CMD, "could not make a draft");
	if (j.result != SCRIPT_OK)
		return cli_fail(CMD, "%s", result_text(j.result));
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"id\":%lld,\"version\":%d,\"status\":\"draft\"}", (long long)id,
	           j.new_version);
	cli_print(&out);
	return 0;
}

static int cmd_templates(void)
{
	buf out;
	buf_init(&out);
	buf_putc(&out, '[');
	for (size_t i = 0; i < script_library_count(); i++) {
		const char *name = script_library_name(i);
		const struct embedded_file *f = NULL;
		for (size_t k = 0; k < embedded_templates_count; k++)
			if (strcmp(embedded_templates[k].name, name) == 0)
				f = &embedded_templates[k];
		char err[256];
		struct script *sc =
		        script_parse_text((const char *)f->data, f->len, err, sizeof err);
		if (i)
			buf_putc(&out, ',');
		buf_puts(&out, "{\"name\":");
		buf_json_str(&out, name);
		buf_puts(&out, ",\"key\":");
		buf_json_str(&out, sc ? sc->key : "");
		buf_puts(&out, ",\"title\":");
		buf_json_str(&out, sc ? ltext_get(&sc->title, "nl") : err);
		buf_putc(&out, '}');
		script_free(sc);
	}
	buf_putc(&out, ']');
	cli_print(&out);
	return 0;
}

/* script add-template NAME: a template as a draft, with the images it
 * brings stored as uploads next to the database. */
static int cmd_add_template(const char *url, int argc, char **argv)
{
	if (argc != 2)
		return cli_fail(CMD, "usage: vertelpunt script add-template NAME (see `vertelpunt "
		                     "script templates`)");
	int index = script_library_find(argv[1]);
	if (index < 0)
		return cli_fail(CMD, "%s: no such template", argv[1]);
	db *d = cli_open_migrated(CMD, url);
	if (!d)
		return 1;
	int64_t org = cli_first_org(d);
	db_close(d);
	if (!org)
		return cli_fail(CMD, "no organisation: run `vertelpunt init` first");
	char dir[512], err[512];
	upload_dir_default(url, dir, sizeof dir);
	struct script_library_job j = {.save = {.org_id = org}};
	if (script_library_prepare(index, dir, &j, err, sizeof err) != 0)
		return cli_fail(CMD, "%s: %s", argv[1], err);
	writer *w = writer_start(url, err, sizeof err);
	if (!w) {
		script_library_abandon(&j);
		script_library_done(&j);
		return cli_fail(CMD, "%s", err);
	}
	int rc = writer_run(w, script_library_write, &j);
	writer_stop(w);
	if (rc != 0 || j.save.result != SCRIPT_OK) {
		script_library_abandon(&j);
		int result = j.save.result;
		script_library_done(&j);
		if (result != SCRIPT_OK)
			return cli_fail(CMD, "%s: %s", argv[1], result_text(result));
		return cli_fail(CMD, "could not store the script (%d)", rc);
	}
	buf out;
	buf_init(&out);
	buf_printf(&out, "{\"id\":%lld,\"key\":", (long long)j.save.script_id);
	buf_json_str(&out, j.script->key);
	buf_printf(&out, ",\"version\":%d,\"status\":\"draft\",\"lint\":", j.save.version);
	lint_print(j.script, &out);
	buf_putc(&out, '}');
	cli_print(&out);
	script_library_done(&j);
	return 0;
}

int cmd_script(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	if (argc < 2)
		return cli_fail(CMD, "which action? (see `vertelpunt help script`)");
	const char *action = argv[1];
	argc--, argv++;
	if (strcmp(action, "import") == 0)
		return cmd_import(url, argc, argv);
	if (strcmp(action, "import-sensemaker") == 0)
		return cmd_import_sensemaker(url, argc, argv);
	if (strcmp(action, "export") == 0)
		return cmd_export(url, argc, argv);
	if (strcmp(action, "lint") == 0)
		return cmd_lint(argc, argv);
	if (strcmp(action, "paper") == 0)
		return cmd_paper(url, argc, argv);
	if (strcmp(action, "list") == 0 && argc == 1)
		return cmd_list(url);
	if (strcmp(action, "status") == 0)
		return cmd_status(url, argc, argv);
	if (strcmp(action, "edit") == 0)
		return cmd_edit(url, argc, argv);
	if (strcmp(action, "templates") == 0 && argc == 1)
		return cmd_templates();
	if (strcmp(action, "add-template") == 0)
		return cmd_add_template(url, argc, argv);
	return cli_fail(CMD, "%s: unknown action (see `vertelpunt help script`)", action);
}
