/* test_identity.c: login through an outside identity provider: only linked identities get in, never by e-mail or name, disabled accounts stay out, and two-factor login is asked for when the provider did not do it. */
#include "testutil.h"
#include "testdb.h"

#include "db/migrate.h"
#include "model/identity.h"
#include "model/totp.h"
#include "model/user.h"

#include <string.h>

struct fixture {
	char dir[64], path[96];
	db *d;
	int64_t org, other_org, anna, bea;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f || test_db_make(f->dir, f->path, "identity"))
		return -1;
	char err[256] = "";
	f->d = db_open(f->path, err, sizeof err);
	if (!f->d || migrate_apply(f->d, NULL, err, sizeof err) != 0) {
		print_error("setup: %s\n", err);
		return -1;
	}
	if (org_ensure(f->d, "Gemeente Test", &f->org) != DB_OK ||
	    org_ensure(f->d, "Gemeente Anders", &f->other_org) != DB_OK)
		return -1;
	if (user_insert(f->d, f->org, "anna", "Anna", ROLE_GESPREKSVOERDER, "x", 0, &f->anna) !=
	            DB_OK ||
	    user_insert(f->d, f->org, "bea", "Bea", ROLE_BEHEERDER, "x", 0, &f->bea) != DB_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->d);
	test_db_remove(f->dir, f->path);
	free(f);
	return 0;
}

static int link_as(struct fixture *f, const char *user, const char *iss, const char *sub,
                   int unlink)
{
	struct identity_link l = {.org_id = f->org,
	                          .username = user,
	                          .issuer = iss,
	                          .subject = sub,
	                          .unlink = unlink};
	assert_int_equal(identity_link_write(f->d, &l), DB_OK);
	return l.result;
}

#define ISS "https://login.gemeente.example"

static void test_only_linked_identities(void **state)
{
	struct fixture *f = *state;
	struct user u;
	struct external_identity id = {.issuer = ISS, .subject = "sub-anna", .mfa = 1};
	/* not linked: refused, however the name or e-mail in the token reads */
	assert_int_equal(identity_login(f->d, f->org, &id, &u), IDENTITY_UNKNOWN);
	assert_int_equal(link_as(f, "anna", ISS, "sub-anna", 0), DB_OK);
	assert_int_equal(identity_login(f->d, f->org, &id, &u), IDENTITY_OK);
	assert_int_equal(u.id, f->anna);
	assert_int_equal(u.role, ROLE_GESPREKSVOERDER);
	/* linking again is fine; to someone else refused */
	assert_int_equal(link_as(f, "anna", ISS, "sub-anna", 0), DB_OK);
	assert_int_equal(link_as(f, "bea", ISS, "sub-anna", 0), DB_CONSTRAINT);
	assert_int_equal(identity_login(f->d, f->org, &id, &u), IDENTITY_OK);
	assert_int_equal(u.id, f->anna);
	/* the same subject at another issuer is another person */
	struct external_identity other = {.issuer = "https://evil.example", .subject = "sub-anna"};
	assert_int_equal(identity_login(f->d, f->org, &other, &u), IDENTITY_UNKNOWN);
	/* another organisation does not see the link */
	assert_int_equal(identity_login(f->d, f->other_org, &id, &u), IDENTITY_UNKNOWN);
	/* unknown accounts and bad values */
	assert_int_equal(link_as(f, "niemand", ISS, "x", 0), IDENTITY_UNKNOWN);
	assert_int_equal(link_as(f, "anna", "", "x", 0), IDENTITY_INVALID);
	assert_int_equal(link_as(f, "anna", ISS, "\xff", 0), IDENTITY_INVALID);
	struct external_identity empty = {.issuer = ISS, .subject = ""};
	assert_int_equal(identity_login(f->d, f->org, &empty, &u), IDENTITY_INVALID);
	/* unlinked: out again */
	assert_int_equal(link_as(f, "anna", ISS, "sub-anna", 1), DB_OK);
	assert_int_equal(identity_login(f->d, f->org, &id, &u), IDENTITY_UNKNOWN);
	assert_int_equal(link_as(f, "anna", ISS, "sub-anna", 1), IDENTITY_UNKNOWN);
}

static void test_disabled_and_second_factor(void **state)
{
	struct fixture *f = *state;
	struct user u;
	assert_int_equal(link_as(f, "bea", ISS, "sub-bea", 0), DB_OK);
	struct external_identity id = {.issuer = ISS, .subject = "sub-bea", .mfa = 0};
	assert_int_equal(identity_login(f->d, f->org, &id, &u), IDENTITY_OK);
	/* required two-factor login: the provider's counts, else our own code */
	assert_int_equal(totp_set_required(f->d, f->bea, 1), DB_OK);
	assert_int_equal(identity_login(f->d, f->org, &id, &u), IDENTITY_NEEDS_CODE);
	id.mfa = 1;
	assert_int_equal(identity_login(f->d, f->org, &id, &u), IDENTITY_OK);
	assert_int_equal(identity_touch_write(f->d, &id), DB_OK);
	/* a disabled account stays out, with or without a second factor */
	assert_int_equal(user_set_disabled(f->d, f->bea, 1), DB_OK);
	assert_int_equal(identity_login(f->d, f->org, &id, &u), IDENTITY_DISABLED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_only_linked_identities, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_disabled_and_second_factor, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
