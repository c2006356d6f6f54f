/* api_users.c: the JSON API of the foundation: OpenAPI description, who am I, staff accounts. */
#include "web/pages.h"

#include "http/server.h"
#include "web/i18n.h"
#include "web/users_common.h"

#include <jansson.h>
#include <string.h>

int api_openapi(struct req *r)
{
	const struct asset *a = asset_find("openapi.json");
	if (!a)
		return web_error(r, 404, NULL);
	buf_reset(&r->out);
	buf_append(&r->out, a->data, a->len);
	r->resp_type = "application/json";
	return 200;
}

int api_me(struct req *r)
{
	buf j;
	buf_init(&j);
	buf_printf(&j, "{\"id\":%lld,\"username\":", (long long)r->sess.user.id);
	buf_json_str(&j, r->sess.user.username);
	buf_puts(&j, ",\"name\":");
	buf_json_str(&j, r->sess.user.display_name);
	buf_puts(&j, ",\"role\":");
	buf_json_str(&j, role_name(r->sess.user.role));
	buf_puts(&j, ",\"organisation\":");
	buf_json_str(&j, r->app->org_name);
	buf_puts(&j, ",\"csrf_token\":");
	buf_json_str(&j, r->sess.csrf);
	buf_putc(&j, '}');
	return req_json(r, 200, &j);
}

int api_users_list(struct req *r)
{
	buf j;
	buf_init(&j);
	if (user_list_json(req_db(r), &j) != DB_OK) {
		buf_free(&j);
		return web_error(r, 503, NULL);
	}
	return req_json(r, 200, &j);
}

static int add_then(struct req *r)
{
	struct user_new *st = r->hctx;
	if (r->write_rc == DB_CONSTRAINT)
		return web_error(r, 409, "This username is already taken.");
	if (r->write_rc != 0)
		return web_error(r, 503, NULL);
	buf j;
	buf_init(&j);
	buf_printf(&j, "{\"id\":%lld,\"username\":", (long long)st->id);
	buf_json_str(&j, st->username);
	buf_puts(&j, ",\"name\":");
	buf_json_str(&j, st->display_name);
	buf_puts(&j, ",\"role\":");
	buf_json_str(&j, role_name(st->role));
	buf_puts(&j, ",\"one_time_password\":");
	buf_json_str(&j, st->password);
	buf_putc(&j, '}');
	return req_json(r, 201, &j);
}

/* POST /api/v1/users {"username": "...", "name": "...", "role": "..."} */
int api_users_add(struct req *r)
{
	if (!r->json)
		return web_error(r, 415, "Send the new account as a JSON object.");
	const char *fields[] = {"username", "name", "role"};
	for (size_t i = 0; i < 3; i++) {
		json_t *v = json_object_get(r->json, fields[i]);
		if (!v || !json_is_string(v))
			return web_error(r, 422, "Give username, name and role as text.");
	}
	struct user_new *st = arena_zalloc(r->a, sizeof *st);
	const char *bad = user_new_prepare(st, r->app->org_id,
	                                   json_string_value(json_object_get(r->json, "username")),
	                                   json_string_value(json_object_get(r->json, "name")),
	                                   json_string_value(json_object_get(r->json, "role")));
	if (bad)
		return web_error(r, 422, bad);
	r->hctx = st;
	return req_write(r, user_new_write, add_then);
}
