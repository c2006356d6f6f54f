/* server.h: the HTTP server: libmicrohttpd setup, limits, start and graceful stop. */
#ifndef VP_SERVER_H
#define VP_SERVER_H

#include "core/ratelimit.h"
#include "core/vault.h"
#include "db/writer.h"
#include "io/smtp.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct app_config {
	const char *db_url;
	const char *key_path; /* key file for personal data (core/vault.h) */
	const char *listen;   /* "127.0.0.1:8080"; port 0 picks a free port */
	int threads;          /* worker threads (default: number of cores) */
	int conn_timeout;     /* seconds of inactivity before a connection closes */
	int conn_limit;       /* connections in total */
	int per_ip_limit;     /* connections per client address */
	size_t body_limit;    /* request body bytes */
	int trust_proxy;      /* take client address and https from X-Forwarded-* */
	int hsts;             /* send Strict-Transport-Security (behind HTTPS) */
	/* The address residents open links at ("https://vertelpunt.gemeente.nl",
	 * no trailing '/'; NULL: taken from each request's Host header). Links
	 * in e-mail the scheduler sends (reminders) need it. */
	const char *public_url;
	/* Uploads (docs/uploads.md): folder of the stored files (NULL: uploads/
	 * next to the database file, model/upload.h), the request body limit
	 * of ROUTE_UPLOAD routes for a signed-in user (also the largest file),
	 * and the most pixels (width * height) an image may have. */
	const char *upload_dir;
	size_t upload_limit;
	int64_t upload_max_pixels;
	/* Stories sent to a collection's public link: at most this many a
	 * minute per client address and per collection (0: no limit). */
	int story_rate_ip, story_rate_collection;
	/* Analysis: no figure for a group of fewer stories than this. */
	int analysis_min_group;
	/* E-mail (docs/mail.md): the mail server (smtp.url NULL: not
	 * configured, messages wait in the outbox) and the tries before a
	 * message is marked failed. */
	struct smtp_config smtp;
	int mail_max_attempts;
};

void app_config_defaults(struct app_config *c);

struct app {
	struct app_config cfg;
	writer *w;
	void *daemon; /* struct MHD_Daemon */
	uint16_t port;
	atomic_int inflight;
	pthread_key_t db_key;
	int64_t org_id;
	char org_name[256];
	vault *vault; /* keys for personal data, read at start */
	ratelimit *rl_story_ip, *rl_story_collection;
	struct aix *index; /* the in-memory story index (src/analysis/index.h) */
	/* The sender of the outbox (model/outbox.h), running when mail is
	 * configured: a round every few seconds and at every outbox_wake. */
	pthread_t mail_thread;
	int mail_running;
	atomic_int mail_stop;
};

/* Opens the database (applying migrations), starts the writer and the
 * listener. Returns 0 or -1 with err. */
int server_start(struct app *app, const struct app_config *cfg, char *err, size_t errlen);
/* Stops accepting, lets in-flight requests finish (up to grace_ms), then
 * stops the writer and closes the database. */
void server_stop(struct app *app, int grace_ms);
/* Housekeeping, run at start-up and every few minutes by server_run: the
 * daily purge, the access log's seal, the themes kept current, and
 * expired sessions and login failures older than the lockout window
 * removed. Returns the sessions and failures removed, or -1. */
int64_t server_maintenance(struct app *app);
/* Part of server_maintenance: when the themes are due to be kept current
 * (every THEMES_REFRESH_SECONDS, once across the instances on the
 * database), starts computing again the stored themes whose stories
 * changed. Returns how many computations it started, or -1. */
int server_themes_refresh(struct app *app);
/* Queues the reminders of conversations that are due (every minute, and
 * at start-up: model/conversation_mail.h). Returns how many, or -1. */
int server_reminders(struct app *app);
/* The address calendar invitations name as organiser. */
const char *server_mail_organizer(const struct app *app);
/* --public-url: 0 when url is http:// or https:// followed by a host (and
 * port) only, an optional trailing '/'; -1 otherwise. */
int server_public_url_check(const char *url);
/* url without its trailing '/' (url itself is changed). */
const char *server_public_url_trim(char *url);
/* Starts, blocks until SIGTERM or SIGINT, stops gracefully. Exit status. */
int server_run(const struct app_config *cfg);

#endif
