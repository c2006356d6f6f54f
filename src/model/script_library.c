/* script_library.c: installs templates of the script library, with the images they bring. */
#include "model/script_library.h"

#include "core/util.h"
#include "gen/embedded.h"
#include "model/demo.h"

#include <assert.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* A template of the library: an embedded JSON file other than the demo's
 * script (which `vertelpunt demo` installs with its stories). */
static int is_json(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && strcmp(name + n - 5, ".json") == 0 && strcmp(name, DEMO_SCRIPT_FILE) != 0;
}

size_t script_library_count(void)
{
	size_t n = 0;
	for (size_t i = 0; i < embedded_templates_count; i++)
		n += is_json(embedded_templates[i].name);
	return n;
}

static const struct embedded_file *nth(size_t i)
{
	for (size_t k = 0; k < embedded_templates_count; k++)
		if (is_json(embedded_templates[k].name) && i-- == 0)
			return &embedded_templates[k];
	return NULL;
}

const char *script_library_name(size_t i)
{
	const struct embedded_file *f = nth(i);
	return f ? f->name : NULL;
}

const char *script_library_text(size_t i)
{
	const struct embedded_file *f = nth(i);
	return f ? (const char *)f->data : NULL;
}

int script_library_find(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < script_library_count(); i++) {
		const char *f = script_library_name(i);
		if (strcmp(f, name) == 0 ||
		    (strncmp(f, name, n) == 0 && strcmp(f + n, ".json") == 0))
			return (int)i;
	}
	return -1;
}

static const struct embedded_file *library_image(const char *name)
{
	char file[128];
	snprintf(file, sizeof file, "%s.png", name);
	for (size_t k = 0; k < embedded_templates_count; k++)
		if (strcmp(embedded_templates[k].name, file) == 0)
			return &embedded_templates[k];
	return NULL;
}

/* Width and height from a PNG's IHDR chunk. */
static int png_size(const unsigned char *p, size_t len, int *w, int *h)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	if (len < 24 || memcmp(p, sig, 8) != 0 || memcmp(p + 12, "IHDR", 4) != 0)
		return -1;
	*w = (int)((unsigned)p[16] << 24 | (unsigned)p[17] << 16 | (unsigned)p[18] << 8 | p[19]);
	*h = (int)((unsigned)p[20] << 24 | (unsigned)p[21] << 16 | (unsigned)p[22] << 8 | p[23]);
	return *w > 0 && *h > 0 ? 0 : -1;
}

/* Stores the library image once and points every pin question that names
 * it at the new upload. */
static int attach_images(json_t *root, struct script_library_job *j, char *err, size_t errlen)
{
	size_t si, qi;
	json_t *sec, *q;
	json_array_foreach(json_object_get(root, "sections"), si, sec)
	{
		json_array_foreach(json_object_get(sec, "questions"), qi, q)
		{
			const char *type = json_string_value(json_object_get(q, "type"));
			const char *image = json_string_value(json_object_get(q, "image"));
			if (!type || strcmp(type, "pin") != 0 || !image)
				continue;
			const struct embedded_file *f = library_image(image);
			if (!f)
				continue; /* a real upload token, or the reader's problem */
			if (!j->has_upload) {
				struct upload *u = &j->up;
				memset(u, 0, sizeof *u);
				u->org_id = j->save.org_id;
				u->created_by = j->save.user_id;
				upload_new_token(u->token);
				snprintf(u->original_name, sizeof u->original_name, "%s.png",
				         image);
				snprintf(u->content_type, sizeof u->content_type, "image/png");
				u->bytes = (int64_t)f->len;
				if (png_size(f->data, f->len, &u->width, &u->height) != 0) {
					snprintf(err, errlen, "%s: not a PNG image", f->name);
					return -1;
				}
				unsigned char hash[32];
				crypto_generichash(hash, sizeof hash, f->data, f->len, NULL, 0);
				util_hex(hash, sizeof hash, u->blake2b);
				if (upload_file_store(j->upload_dir, u->token, f->data, f->len, err,
				                      errlen) != 0)
					return -1;
				j->has_upload = 1;
			}
			json_object_set_new(q, "image", json_string(j->up.token));
		}
	}
	return 0;
}

int script_library_prepare(int index, const char *upload_dir, struct script_library_job *j,
                           char *err, size_t errlen)
{
	assert(j && upload_dir);
	const struct embedded_file *f = index >= 0 ? nth((size_t)index) : NULL;
	j->script = NULL;
	j->has_upload = 0;
	snprintf(j->upload_dir, sizeof j->upload_dir, "%s", upload_dir);
	if (!f) {
		snprintf(err, errlen, "no such template");
		return -1;
	}
	json_error_t jerr;
	json_t *root = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "%s: %s", f->name, jerr.text);
		return -1;
	}
	int rc = attach_images(root, j, err, errlen);
	if (rc == 0) {
		j->script = script_parse(root, err, errlen);
		if (!j->script) {
			script_library_abandon(j);
			rc = -1;
		}
	}
	json_decref(root);
	j->save.script = j->script;
	return rc;
}

int script_library_write(db *d, void *ctx)
{
	struct script_library_job *j = ctx;
	if (j->has_upload) {
		int rc = upload_insert(d, &j->up);
		if (rc != DB_OK)
			return rc;
	}
	int rc = script_save_write(d, &j->save);
	if (rc != DB_OK)
		return rc;
	/* A refusal (a draft exists) must not leave the image's row behind:
	 * a non-zero result rolls this job back. */
	return j->save.result == SCRIPT_OK ? 0 : 1;
}

void script_library_abandon(struct script_library_job *j)
{
	if (j->has_upload) {
		upload_file_remove(j->upload_dir, j->up.token);
		j->has_upload = 0;
	}
}

void script_library_done(struct script_library_job *j)
{
	script_free(j->script);
	j->script = NULL;
	j->save.script = NULL;
}
