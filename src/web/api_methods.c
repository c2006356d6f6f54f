/* api_methods.c: the JSON API of the catalogue of methods: the list and one method. */
#include "web/pages.h"

#include "core/msg.h"
#include "core/util.h"
#include "model/method.h"

/* GET /api/v1/methods */
int api_methods_list(struct req *r)
{
	buf j;
	buf_init(&j);
	if (method_list_json(req_db(r), &j) != DB_OK) {
		buf_free(&j);
		return web_error(r, 503, NULL);
	}
	return req_json(r, 200, &j);
}

/* GET /api/v1/methods/{id}: by id, or by slug ("keukentafelgesprek"). */
int api_method(struct req *r)
{
	const char *key = req_param(r, 0);
	struct method m;
	int64_t id;
	int rc = util_parse_id(key, &id) == 0 ? method_by_id(req_db(r), id, r->a, &m)
	                                      : method_by_slug(req_db(r), key, r->a, &m);
	if (rc == DB_DONE)
		return web_error(r, 404, N_("There is no such method."));
	if (rc != DB_ROW)
		return web_error(r, 503, NULL);
	buf j;
	buf_init(&j);
	method_json(&m, &j);
	return req_json(r, 200, &j);
}
