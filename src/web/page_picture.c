/* page_picture.c: pictures sent with a staff form (a script question's image, a trajectory's plan): re-encoded, stored under a new token before their row commits, and removed again when the change does not happen. */
#include "web/pages.h"

#include "core/log.h"
#include "core/msg.h"
#include "core/util.h"
#include "http/server.h"
#include "io/image.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>

const char *page_upload_dir(struct req *r)
{
	if (r->app->cfg.upload_dir && *r->app->cfg.upload_dir)
		return r->app->cfg.upload_dir;
	char tmp[4096];
	upload_dir_default(r->app->cfg.db_url, tmp, sizeof tmp);
	return arena_strdup(r->a, tmp);
}

int page_picture_take(struct req *r, const char *name, struct page_picture *p, const char **msg)
{
	const struct kv *f = kv_find(&r->form, name);
	if (!f || !f->filename || !*f->filename || f->value_len == 0)
		return 1;
	buf img;
	buf_init(&img);
	struct image_info info;
	const char *err = NULL;
	int rc = image_reencode(f->value, f->value_len, r->app->cfg.upload_limit,
	                        r->app->cfg.upload_max_pixels, &img, &info, &err);
	if (rc != IMAGE_OK) {
		buf_free(&img);
		*msg = err ? err : N_("The picture cannot be used. Choose a JPEG or PNG file.");
		return -1;
	}
	struct upload *u = &p->up;
	memset(u, 0, sizeof *u);
	upload_new_token(u->token);
	u->org_id = r->sess.user.org_id;
	u->created_by = r->sess.user.id;
	snprintf(u->content_type, sizeof u->content_type, "%s", image_mime(info.type));
	upload_clean_name(f->filename, u->content_type, u->original_name);
	u->bytes = (int64_t)img.len;
	u->width = info.width;
	u->height = info.height;
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)img.data, img.len, NULL, 0);
	util_hex(h, sizeof h, u->blake2b);
	p->dir = page_upload_dir(r);
	char ferr[512];
	rc = upload_file_store(p->dir, u->token, img.data, img.len, ferr, sizeof ferr);
	buf_free(&img);
	if (rc != 0) {
		log_event(LOG_ERROR, "upload", "%s", ferr);
		*msg = N_("The picture could not be stored. Please try again later.");
		return -1;
	}
	p->has = 1;
	return 0;
}

int page_picture_insert(db *d, struct page_picture *p)
{
	return p->has ? upload_insert(d, &p->up) : DB_OK;
}

void page_picture_abandon(struct page_picture *p)
{
	if (p && p->has) {
		if (upload_file_remove(p->dir, p->up.token) != 0)
			log_event(LOG_ERROR, "upload",
			          "cannot remove the picture of a change that did not happen: %s",
			          strerror(errno));
		p->has = 0;
	}
}
