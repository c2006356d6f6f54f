/* page_picture.c: pictures sent with a staff form (a script question's image, a trajectory's plan): re-encoded, stored under a new token before their row commits, and removed again when the change does not happen. */
#include "web/pages.h"

#include "core/log.h"
#include "http/server.h"

#include <errno.h>
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
	p->dir = page_upload_dir(r);
	if (upload_store_image(f->value, f->value_len, f->filename, r->app->cfg.upload_limit,
	                       r->app->cfg.upload_max_pixels, r->sess.user.org_id, r->sess.user.id,
	                       p->dir, &p->up, msg) != 0)
		return -1;
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
