/* smtp.c: one message to one recipient over SMTP (libcurl), with the server's reply sorted into temporary and permanent failures. */
#include "io/smtp.h"

#include "io/mail.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct upload {
	const char *p;
	size_t left;
	char reply[512]; /* the last reply line of the server with a 4xx or 5xx code */
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *ctx)
{
	struct upload *u = ctx;
	size_t n = size * nmemb;
	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* Keeps the server's last error reply ("550 5.1.1 no such user"). */
static int debug_cb(CURL *c, curl_infotype type, char *data, size_t size, void *ctx)
{
	struct upload *u = ctx;
	if (type != CURLINFO_HEADER_IN || size < 3 || (data[0] != '4' && data[0] != '5'))
		return 0;
	while (size && (data[size - 1] == '\n' || data[size - 1] == '\r'))
		size--;
	if (size >= sizeof u->reply)
		size = sizeof u->reply - 1;
	memcpy(u->reply, data, size);
	u->reply[size] = '\0';
	for (char *p = u->reply; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = ' ';
	return 0;
}

void smtp_scrub_addresses(char *s, size_t cap)
{
	char out[1024];
	size_t k = 0;
	const char *p = s;
	while (*p && k + 1 < sizeof out) {
		size_t n = strcspn(p, " \t<>()[],;:\"");
		if (n && memchr(p, '@', n)) {
			const char *w = "[address]";
			for (; *w && k + 1 < sizeof out; w++)
				out[k++] = *w;
			p += n;
			continue;
		}
		if (n == 0)
			n = 1;
		for (size_t i = 0; i < n && k + 1 < sizeof out; i++)
			out[k++] = p[i];
		p += n;
	}
	out[k] = '\0';
	snprintf(s, cap, "%s", out);
}

/* 5xx means "do not repeat this": but not an authentication refusal
 * (530, 534, 535, 538), which is ours to fix and then retry. */
static int permanent_code(long code)
{
	return code >= 500 && code < 600 && code != 530 && code != 534 && code != 535 &&
	       code != 538;
}

enum smtp_result smtp_send(const struct smtp_config *cfg, const char *to_addr, const char *msg,
                           size_t len, char *err, size_t errlen)
{
	if (!cfg->url || !*cfg->url) {
		snprintf(err, errlen, "mail is not configured (no --smtp-url)");
		return SMTP_TEMPORARY;
	}
	if (strncmp(cfg->url, "smtp://", 7) != 0 && strncmp(cfg->url, "smtps://", 8) != 0) {
		snprintf(err, errlen, "--smtp-url must start with smtp:// or smtps://");
		return SMTP_TEMPORARY;
	}
	if (!cfg->from || mail_addr_check(cfg->from) != 0) {
		snprintf(err, errlen, "the sender address (--mail-from) is not valid");
		return SMTP_TEMPORARY;
	}
	if (mail_addr_check(to_addr) != 0) {
		snprintf(err, errlen, "the recipient's address is not valid");
		return SMTP_PERMANENT;
	}
	pthread_once(&curl_once, curl_start);
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, errlen, "libcurl could not start");
		return SMTP_TEMPORARY;
	}
	struct upload u = {.p = msg, .left = len};
	char cerr[CURL_ERROR_SIZE] = "", from[MAIL_ADDR_MAX + 3], to[MAIL_ADDR_MAX + 3];
	snprintf(from, sizeof from, "<%s>", cfg->from);
	snprintf(to, sizeof to, "<%s>", to_addr);
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	curl_easy_setopt(c, CURLOPT_URL, cfg->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (cfg->starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (cfg->user && *cfg->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->password ? cfg->password : "");
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)(cfg->timeout > 0 ? cfg->timeout : 60));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	/* The debug callback sees the server's replies; nothing is printed. */
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, &u);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	if (rc == CURLE_OK) {
		if (errlen)
			err[0] = '\0';
		return SMTP_OK;
	}
	if (u.reply[0])
		snprintf(err, errlen, "%s", u.reply);
	else
		snprintf(err, errlen, "%s", cerr[0] ? cerr : curl_easy_strerror(rc));
	smtp_scrub_addresses(err, errlen);
	if (rc == CURLE_LOGIN_DENIED)
		return SMTP_TEMPORARY;
	return permanent_code(code) ? SMTP_PERMANENT : SMTP_TEMPORARY;
}

char *smtp_read_password_file(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen, "%s: group or others may read it; chmod 600 it", path);
		close(fd);
		return NULL;
	}
	char b[1024];
	ssize_t n = read(fd, b, sizeof b - 1);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	b[n] = '\0';
	b[strcspn(b, "\r\n")] = '\0';
	if (!*b) {
		snprintf(err, errlen, "%s: the file is empty", path);
		return NULL;
	}
	char *p = strdup(b);
	if (!p)
		abort();
	return p;
}
