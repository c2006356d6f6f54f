/* users_common.h: creating a staff account, shared by the admin page and the API. */
#ifndef VP_USERS_COMMON_H
#define VP_USERS_COMMON_H

#include "core/util.h"
#include "model/user.h"

struct user_new {
	int64_t org_id;
	char username[USERNAME_MAX + 1];
	char display_name[DISPLAY_NAME_MAX * 4 + 1];
	unsigned role;
	char password[25]; /* the one-time password, shown once */
	char hash[PWHASH_MAX];
	int64_t id;
};

/* Validates the input, generates and hashes a one-time password. Returns
 * NULL, or an English message id. */
const char *user_new_prepare(struct user_new *st, int64_t org_id, const char *username,
                             const char *display_name, const char *role);
/* Writer job; ctx is the request whose hctx is a prepared struct user_new. */
int user_new_write(db *d, void *ctx);

#endif
