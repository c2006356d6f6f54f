/* explore_points.c: what the explorer adds for pin and stones questions: their texts in the interface language and the pin's picture for its chart. */
#include "web/explore.h"

#include "core/arena.h"
#include "model/upload.h"
#include "web/chart.h"
#include "web/pages.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

void explore_points_localise(json_t *doc, const struct question *q, const char *lang)
{
	assert(doc && q);
	if (q->type != Q_STONES)
		return;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(doc, "stones"), i, e)
	{
		const char *id = json_string_value(json_object_get(e, "id"));
		for (int k = 0; id && k < q->noptions; k++)
			if (strcmp(q->options[k].id, id) == 0)
				json_object_set_new(
				        e, "label",
				        json_string(ltext_get(&q->options[k].label, lang)));
	}
	const struct axis *ax[2] = {&q->x, &q->y};
	static const char *const names[2] = {"x", "y"};
	json_t *axes = json_object();
	for (int k = 0; k < 2; k++)
		json_object_set_new(axes, names[k],
		                    json_pack("{s:s, s:s, s:s}", "label",
		                              ltext_get(&ax[k]->label, lang), "low",
		                              ltext_get(&ax[k]->low, lang), "high",
		                              ltext_get(&ax[k]->high, lang)));
	json_object_set_new(doc, "axes", axes);
}

void explore_picture(struct req *r, const struct question *q, struct chart_opts *o, int embed)
{
	assert(r && q && o);
	if (q->type != Q_PIN || !q->image || !upload_token_valid(q->image))
		return;
	struct upload u;
	if (upload_by_token(req_db(r), q->image, &u) != DB_ROW)
		return; /* the picture is gone: the grid alone */
	o->image_width = u.width;
	o->image_height = u.height;
	size_t n = strlen(q->image) + 16;
	char *url = arena_alloc(r->a, n);
	snprintf(url, n, "/uploads/%s", q->image);
	o->image_url = url;
	if (!embed)
		return;
	buf data;
	buf_init(&data);
	if (upload_file_read(page_upload_dir(r), u.token, u.bytes, &data) == 0 && data.len) {
		void *copy = arena_alloc(r->a, data.len);
		memcpy(copy, data.data, data.len);
		o->image_data = copy;
		o->image_len = data.len;
		o->image_type =
		        strcmp(u.content_type, "image/jpeg") == 0 ? "image/jpeg" : "image/png";
	}
	buf_free(&data);
}
