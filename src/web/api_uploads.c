/* api_uploads.c: uploading an image (POST /api/v1/uploads) and serving it back (GET /uploads/{token}). */
#include "web/pages.h"

#include "core/log.h"
#include "core/msg.h"
#include "core/util.h"
#include "http/server.h"
#include "io/image.h"
#include "model/collection.h"
#include "model/trajectory.h"
#include "model/upload.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

struct upload_job {
	struct upload u;
	const char *dir;
};

static int status_for(int image_rc)
{
	switch (image_rc) {
	case IMAGE_UNSUPPORTED: return 415;
	case IMAGE_TOO_LARGE: return 413;
	case IMAGE_TOO_MANY_PIXELS: return 422;
	case IMAGE_CORRUPT: return 422;
	default: return 500;
	}
}

static int create_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct upload_job *j = r->hctx;
	return upload_insert(d, &j->u);
}

static int create_then(struct req *r)
{
	struct upload_job *j = r->hctx;
	if (r->write_rc != 0) {
		/* The row is not there, so the file must not be either. */
		if (upload_file_remove(j->dir, j->u.token) != 0)
			log_event(LOG_ERROR, "upload",
			          "cannot remove the file of a failed upload: %s", strerror(errno));
		return web_error(r, 503, NULL);
	}
	buf b;
	buf_init(&b);
	buf_printf(&b, "{\"id\":%lld,\"token\":\"%s\",\"url\":\"/uploads/%s\",\"name\":",
	           (long long)j->u.id, j->u.token, j->u.token);
	buf_json_str(&b, j->u.original_name);
	buf_printf(&b,
	           ",\"content_type\":\"%s\",\"bytes\":%lld,\"width\":%d,\"height\":%d,"
	           "\"blake2b\":\"%s\"}",
	           j->u.content_type, (long long)j->u.bytes, j->u.width, j->u.height, j->u.blake2b);
	return req_json(r, 201, &b);
}

/* POST /api/v1/uploads, multipart/form-data with the image in the file
 * field "file". The bytes decide the type, not the name or the part's
 * Content-Type. */
int api_uploads_add(struct req *r)
{
	const char *how = N_("Send the image as multipart/form-data in the file field \"file\".");
	if (!r->content_type || strncasecmp(r->content_type, "multipart/form-data", 19) != 0)
		return web_error(r, 415, how);
	const struct kv *f = kv_find(&r->form, "file");
	if (!f || !f->filename)
		return web_error(r, 400, how);
	if (f->value_len == 0)
		return web_error(r, 400, "The file is empty.");

	/* The file is durable before the row commits; create_then removes it
	 * when the row does not commit. */
	struct upload_job *j = arena_zalloc(r->a, sizeof *j);
	j->dir = page_upload_dir(r);
	const char *msg = NULL;
	int rc = upload_store_image(f->value, f->value_len, f->filename, r->app->cfg.upload_limit,
	                            r->app->cfg.upload_max_pixels, r->sess.user.org_id,
	                            r->sess.user.id, j->dir, &j->u, &msg);
	if (rc < 0)
		return web_error(r, status_for(rc), msg);
	if (rc > 0)
		return web_error(r, 500, NULL);
	r->hctx = j;
	return req_write(r, create_write, create_then);
}

/* Content-Disposition (RFC 6266): an ASCII fallback in filename="..." (other
 * characters as '_') and the exact UTF-8 name in filename*=UTF-8''...
 * (percent-encoded outside RFC 8187's attr-char). In the arena. */
static const char *content_disposition(struct req *r, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	buf b;
	buf_init(&b);
	buf_puts(&b, "inline; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(" .-_()[]+,", *p))
			buf_putc(&b, (char)*p);
		else if (*p < 0x80 || *p >= 0xc0) /* one '_' per character */
			buf_putc(&b, '_');
	}
	buf_puts(&b, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p)) {
			buf_putc(&b, (char)*p);
		} else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[*p >> 4]);
			buf_putc(&b, hex[*p & 15]);
		}
	}
	const char *v = arena_strdup(r->a, b.data);
	buf_free(&b);
	return v;
}

/* GET /uploads/{token}: the stored image, to staff of the organisation that
 * uploaded it. Unknown, malformed and other organisations' tokens are all
 * 404. No-store and nosniff come with every response (server.c). */
int page_upload(struct req *r)
{
	const char *token = req_param(r, 0);
	struct upload u;
	int rc = upload_token_valid(token) ? upload_by_token(req_db(r), token, &u) : DB_DONE;
	/* Staff see their organisation's uploads; anyone sees an image that a
	 * script shows at an open collection's link (a map for a pin), or that
	 * a trajectory's public page shows (its plan). */
	if (rc == DB_ROW && !(r->logged_in && u.org_id == r->sess.user.org_id) &&
	    collection_shows_upload(req_db(r), u.token) != 1 &&
	    trajectory_shows_upload(req_db(r), u.token) != 1)
		rc = DB_DONE;
	if (rc == DB_DONE)
		return web_error(r, 404, NULL);
	if (rc != DB_ROW)
		return web_error(r, 503, NULL);
	const char *type = strcmp(u.content_type, "image/png") == 0    ? "image/png"
	                   : strcmp(u.content_type, "image/jpeg") == 0 ? "image/jpeg"
	                                                               : NULL;
	buf_reset(&r->out);
	if (!type || upload_file_read(page_upload_dir(r), u.token, u.bytes, &r->out) != 0) {
		log_event(LOG_ERROR, "upload", "the file of upload %lld is missing or changed: %s",
		          (long long)u.id, strerror(errno));
		buf_reset(&r->out);
		return web_error(r, 404, NULL);
	}
	r->resp_type = type;
	req_set_header(r, "Content-Disposition", content_disposition(r, u.original_name));
	return 200;
}
