/* httpclient.h: a tiny raw-socket HTTP/1.1 client and in-process server fixture for the HTTP tests. */
#ifndef VP_HTTPCLIENT_H
#define VP_HTTPCLIENT_H

#include "core/buf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

struct http_resp {
	int status;
	buf raw;          /* the whole response */
	const char *body; /* into raw */
	size_t body_len;
	size_t head_len;
};

static inline int http_connect(unsigned short port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static inline int http_send_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

static inline void http_parse(struct http_resp *r)
{
	r->status = 0;
	r->body = NULL;
	r->body_len = 0;
	if (!r->raw.data)
		return;
	sscanf(r->raw.data, "HTTP/1.%*d %d", &r->status);
	const char *e = strstr(r->raw.data, "\r\n\r\n");
	if (e) {
		r->head_len = (size_t)(e - r->raw.data) + 4;
		r->body = e + 4;
		r->body_len = r->raw.len - r->head_len;
	}
}

/* Appends what arrives on fd to out until the peer closes or nothing came
 * for timeout_ms; then closes fd. */
static inline void http_read_all(int fd, buf *out, int timeout_ms)
{
	char tmp[8192];
	ssize_t k;
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	while (poll(&pfd, 1, timeout_ms) > 0 && (k = recv(fd, tmp, sizeof tmp, 0)) > 0)
		buf_append(out, tmp, (size_t)k);
	close(fd);
}

/* Sends raw bytes and reads until the server closes (or timeout_ms passes). */
static inline int http_raw(unsigned short port, const char *req, size_t len, struct http_resp *out,
                           int timeout_ms)
{
	buf_init(&out->raw);
	int fd = http_connect(port);
	if (fd < 0)
		return -1;
	if (http_send_all(fd, req, len)) {
		/* The server may answer early (413) and close; read what came. */
	}
	http_read_all(fd, &out->raw, timeout_ms);
	http_parse(out);
	return out->status ? 0 : -1;
}

static inline void http_free(struct http_resp *r)
{
	buf_free(&r->raw);
}

/* The value of header name in r (first occurrence, or the n-th with
 * http_header_n), copied to a static buffer; NULL when absent. */
static inline const char *http_header_n(struct http_resp *r, const char *name, int n)
{
	static __thread char val[4096];
	if (!r->raw.data)
		return NULL;
	size_t nl = strlen(name);
	const char *p = strstr(r->raw.data, "\r\n");
	while (p && (size_t)(p - r->raw.data) < r->head_len) {
		p += 2;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			if (n-- == 0) {
				const char *v = p + nl + 1;
				while (*v == ' ')
					v++;
				const char *end = strstr(v, "\r\n");
				size_t l = end ? (size_t)(end - v) : strlen(v);
				if (l >= sizeof val)
					l = sizeof val - 1;
				memcpy(val, v, l);
				val[l] = '\0';
				return val;
			}
		}
		p = strstr(p, "\r\n");
	}
	return NULL;
}

static inline const char *http_header(struct http_resp *r, const char *name)
{
	return http_header_n(r, name, 0);
}

/* A cookie jar holding the two cookies the app sets, plus the language. */
struct jar {
	char session[128];
	char csrf[128];
	char lang[16];
	char ip[64]; /* sent as X-Forwarded-For (the test server trusts it) */
};

static inline void jar_take(struct jar *j, struct http_resp *r)
{
	for (int i = 0;; i++) {
		const char *sc = http_header_n(r, "Set-Cookie", i);
		if (!sc)
			break;
		char *target = NULL;
		size_t cap = 0;
		const char *v = NULL;
		if (strncmp(sc, "__Host-vp_session=", 18) == 0)
			target = j->session, cap = sizeof j->session, v = sc + 18;
		else if (strncmp(sc, "__Host-vp_csrf=", 15) == 0)
			target = j->csrf, cap = sizeof j->csrf, v = sc + 15;
		else if (strncmp(sc, "vp_lang=", 8) == 0)
			target = j->lang, cap = sizeof j->lang, v = sc + 8;
		if (!target)
			continue;
		size_t l = strcspn(v, ";");
		if (l >= cap)
			l = cap - 1;
		memcpy(target, v, l);
		target[l] = '\0';
	}
}

/* One request with the jar's cookies. body may be NULL. extra is more raw
 * header lines, each ending in \r\n, or NULL. */
static inline int http_do(unsigned short port, struct jar *j, const char *method, const char *path,
                          const char *ctype, const char *extra, const char *body, size_t body_len,
                          struct http_resp *out)
{
	buf rq;
	buf_init(&rq);
	buf_printf(&rq, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n", method, path);
	if (j && j->ip[0])
		buf_printf(&rq, "X-Forwarded-For: %s\r\n", j->ip);
	if (j && (j->session[0] || j->csrf[0] || j->lang[0])) {
		buf_puts(&rq, "Cookie: ");
		int first = 1;
		if (j->session[0])
			buf_printf(&rq, "__Host-vp_session=%s", j->session), first = 0;
		if (j->csrf[0])
			buf_printf(&rq, "%s__Host-vp_csrf=%s", first ? "" : "; ", j->csrf),
			        first = 0;
		if (j->lang[0])
			buf_printf(&rq, "%svp_lang=%s", first ? "" : "; ", j->lang);
		buf_puts(&rq, "\r\n");
	}
	if (ctype)
		buf_printf(&rq, "Content-Type: %s\r\n", ctype);
	if (extra)
		buf_puts(&rq, extra);
	if (body)
		buf_printf(&rq, "Content-Length: %zu\r\n", body_len);
	buf_puts(&rq, "\r\n");
	if (body)
		buf_append(&rq, body, body_len);
	int rc = http_raw(port, rq.data, rq.len, out, 10000);
	buf_free(&rq);
	if (j)
		jar_take(j, out);
	return rc;
}

static inline int http_get(unsigned short port, struct jar *j, const char *path,
                           struct http_resp *out)
{
	return http_do(port, j, "GET", path, NULL, NULL, NULL, 0, out);
}

static inline int http_post_form(unsigned short port, struct jar *j, const char *path,
                                 const char *form, struct http_resp *out)
{
	return http_do(port, j, "POST", path, "application/x-www-form-urlencoded", NULL, form,
	               strlen(form), out);
}

/* Finds value="..." of the hidden input named name in an HTML body. */
static inline int html_hidden(struct http_resp *r, const char *name, char *out, size_t cap)
{
	char pat[128];
	snprintf(pat, sizeof pat, "name=\"%s\" value=\"", name);
	const char *p = r->body ? strstr(r->body, pat) : NULL;
	if (!p)
		return -1;
	p += strlen(pat);
	size_t l = strcspn(p, "\"");
	if (l >= cap)
		return -1;
	memcpy(out, p, l);
	out[l] = '\0';
	return 0;
}

#endif
