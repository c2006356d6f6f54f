/* fixture.h: the in-process server every HTTP test starts: a temporary folder with a key file and uploads, and a migrated database (a file there, or a PostgreSQL schema). */
#ifndef VP_FIXTURE_H
#define VP_FIXTURE_H

#include "core/log.h"
#include "core/vault.h"
#include "db/migrate.h"
#include "http/server.h"
#include "model/user.h"
#include "unit/testdb.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

/* One server per test binary (its group setup), shared by its tests. */
static struct app app;
static char dir[256], dbpath[300], keypath[300], fixture_updir[300];
static unsigned short port;

/* Makes /tmp/vp-NAME-XXXXXX with a key file and a migrated database, and
 * returns a connection to it inside a transaction, for the test to seed
 * (accounts, records). The database is test.db in that folder or, with
 * VP_TEST_DB=postgres://... (make http-pg), a fresh schema of that
 * database (tests/unit/testdb.h): dbpath is then its URL, which the server
 * and wt_open_db take like a file name. Quiet unless VP_TEST_LOG is set. */
static inline db *fixture_open(const char *name)
{
	log_set_enabled(getenv("VP_TEST_LOG") != NULL);
	if (sodium_init() < 0)
		return NULL;
	snprintf(dir, sizeof dir, "/tmp/vp-%.20s-XXXXXX", name);
	if (!mkdtemp(dir))
		return NULL;
	snprintf(keypath, sizeof keypath, "%s/test.key", dir);
	snprintf(fixture_updir, sizeof fixture_updir, "%s/uploads", dir);
	if (test_db_pg_url()) {
		if (test_db_pg_make(dir, dbpath, sizeof dbpath) != 0)
			return NULL;
	} else {
		snprintf(dbpath, sizeof dbpath, "%s/test.db", dir);
	}
	char err[256] = "";
	db *d = NULL;
	if (vault_create_file(keypath, err, sizeof err) == 0)
		d = db_open(dbpath, err, sizeof err);
	if (!d || migrate_apply(d, NULL, err, sizeof err) != 0 || db_begin(d) != DB_OK) {
		fprintf(stderr, "fixture: %s\n", err);
		db_close(d);
		return NULL;
	}
	return d;
}

/* A staff account; the password is hashed (argon2id: about 0.1 s). */
static inline int64_t fixture_user(db *d, int64_t org, const char *username, const char *display,
                                   unsigned role, const char *password, int must_change)
{
	char hash[PWHASH_MAX];
	int64_t id = 0;
	if (user_hash_password(password, hash) != 0 ||
	    user_insert(d, org, username, display, role, hash, must_change, &id) != DB_OK)
		return 0;
	return id;
}

/* The configuration the tests start from: this folder's database, key and
 * uploads (the folder's uploads/, also on PostgreSQL), a free port on 127.0.0.1, client addresses from X-Forwarded-For (so each
 * test can have its own), a 64 KiB body limit and a 3 s idle timeout. */
static inline void fixture_config(struct app_config *cfg)
{
	app_config_defaults(cfg);
	cfg->db_url = dbpath;
	cfg->key_path = keypath;
	cfg->upload_dir = fixture_updir;
	cfg->listen = "127.0.0.1:0";
	cfg->trust_proxy = 1;
	cfg->body_limit = 64 * 1024;
	cfg->conn_timeout = 3;
}

/* Commits the seed, closes d, starts the server with cfg. 0 or -1. */
static inline int fixture_start(db *d, const struct app_config *cfg)
{
	if (!d || db_commit(d) != DB_OK)
		return -1;
	db_close(d);
	char err[256];
	if (server_start(&app, cfg, err, sizeof err) != 0) {
		fprintf(stderr, "server_start: %s\n", err);
		return -1;
	}
	port = app.port;
	return 0;
}

/* Logs in through the form (the visitor's CSRF token from GET /login);
 * next (or NULL) is the page to go to after. Returns the status of POST
 * /login: 303 on success. Needs httpclient.h and cmocka before it. */
static inline int fixture_login(struct jar *j, const char *user, const char *pw, const char *next)
{
	struct http_resp r;
	assert_int_equal(http_get(port, j, "/login", &r), 0);
	char token[128];
	assert_int_equal(html_hidden(&r, "csrf_token", token, sizeof token), 0);
	http_free(&r);
	char form[512];
	snprintf(form, sizeof form, "csrf_token=%s&username=%s&password=%s%s%s", token, user, pw,
	         next ? "&next=" : "", next ? next : "");
	for (char *p = form; *p; p++)
		if (*p == ' ')
			*p = '+';
	assert_int_equal(http_post_form(port, j, "/login", form, &r), 0);
	int st = r.status;
	http_free(&r);
	return st;
}

/* Stops the server and removes the folder (and the PostgreSQL schema). */
static inline int fixture_stop(void)
{
	server_stop(&app, 2000);
	test_db_pg_drop(dbpath);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
