/* users_common.c: creating a staff account, shared by the admin page and the API. */
#include "web/users_common.h"

#include "core/msg.h"
#include "http/request.h"
#include "model/audit.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *user_new_prepare(struct user_new *st, int64_t org_id, const char *username,
                             const char *display_name, const char *role)
{
	char lower[USERNAME_MAX + 2];
	size_t n = 0;
	for (const char *p = username ? username : ""; *p && n < sizeof lower - 1; p++)
		lower[n++] = (char)tolower((unsigned char)*p);
	lower[n] = '\0';
	const char *bad = user_check_username(lower);
	if (!bad)
		bad = user_check_display_name(display_name);
	if (bad)
		return bad;
	st->role = role_parse(role);
	if (!st->role)
		return N_("Choose one of the roles.");
	st->org_id = org_id;
	memcpy(st->username, lower, n + 1); /* n <= USERNAME_MAX: checked above */
	snprintf(st->display_name, sizeof st->display_name, "%s", display_name);
	user_generate_password(st->password);
	if (user_hash_password(st->password, st->hash))
		return N_("Something went wrong on our side. Please try again later.");
	return NULL;
}

int user_new_write(db *d, void *ctx)
{
	struct req *r = ctx;
	struct user_new *st = r->hctx;
	int rc = user_insert(d, st->org_id, st->username, st->display_name, st->role, st->hash, 1,
	                     &st->id);
	if (rc)
		return rc;
	/* In the same job: the account and its log entry commit together. */
	char detail[48];
	snprintf(detail, sizeof detail, "role=%s", role_name(st->role));
	struct audit_entry e = {.actor_user_id = r->sess.user.id,
	                        .actor = r->sess.user.username,
	                        .action = "create",
	                        .object_type = "user",
	                        .object_id = st->username,
	                        .origin = r->ip,
	                        .detail = detail};
	return audit_append(d, &e);
}
