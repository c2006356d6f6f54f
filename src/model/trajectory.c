/* trajectory.c: trajectories (participation processes), who may see them, and contact requests from their public page. */
#include "model/trajectory.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"
#include "model/participant.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const trajectory_rungs[6] = {"informeren",   "raadplegen",   "adviseren",
                                         "coproduceren", "meebeslissen", "zelfbeheer"};

int trajectory_rung_valid(const char *name)
{
	for (size_t i = 0; name && i < sizeof trajectory_rungs / sizeof *trajectory_rungs; i++)
		if (strcmp(name, trajectory_rungs[i]) == 0)
			return 1;
	return 0;
}

/* A date written as YYYY-MM-DD that exists. */
static int date_ok(const char *s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return 0;
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

int trajectory_date_ok(const char *s)
{
	return s && date_ok(s);
}

const char *trajectory_check(const struct trajectory_fields *f)
{
	assert(f);
	if (util_blank(f->title) || !util_text_ok(f->title, TRAJECTORY_TITLE_MAX) ||
	    strpbrk(f->title, "\r\n\t"))
		return N_("Give the trajectory a subject of at most 200 characters on one line.");
	const char *texts[] = {
	        f->question,      f->scope,   f->target_group, f->selection_rationale,
	        f->contact_route, f->outcome, f->material_alt};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		if (!util_blank(texts[i]) && !util_text_ok(texts[i], TRAJECTORY_TEXT_MAX))
			return N_("Each text may have at most 4000 characters.");
	if (!util_blank(f->ladder) && !trajectory_rung_valid(f->ladder))
		return N_("Choose a rung of the participation ladder.");
	if (!util_blank(f->starts_on) && !date_ok(f->starts_on))
		return N_("Write the start date as year-month-day, for example 2026-03-01.");
	if (!util_blank(f->ends_on) && !date_ok(f->ends_on))
		return N_("Write the end date as year-month-day, for example 2026-06-30.");
	if (!util_blank(f->starts_on) && !util_blank(f->ends_on) &&
	    strcmp(f->ends_on, f->starts_on) < 0)
		return N_("The end date cannot come before the start date.");
	if (f->retention_days < 0 || f->retention_days > 36500)
		return N_("The retention period is 1 to 36500 days.");
	if (!util_blank(f->material_token) &&
	    (strlen(f->material_token) > 64 ||
	     strspn(f->material_token, "0123456789abcdef") != strlen(f->material_token)))
		return N_("That image is not one of the uploaded images.");
	return NULL;
}

unsigned trajectory_missing(const char *scope, const char *selection_rationale,
                            const char *contact_route)
{
	unsigned m = 0;
	if (util_blank(scope))
		m |= TRAJECTORY_NEEDS_SCOPE;
	if (util_blank(selection_rationale))
		m |= TRAJECTORY_NEEDS_RATIONALE;
	if (util_blank(contact_route))
		m |= TRAJECTORY_NEEDS_CONTACT;
	return m;
}

int trajectory_role_sees_all(unsigned role)
{
	return (role & ROLE_BEHEERDER) != 0;
}

int64_t trajectory_viewer(const struct user *u)
{
	return !u || trajectory_role_sees_all(u->role) ? 0 : u->id;
}

int trajectory_user_may(db *d, int64_t org_id, const struct user *u, int64_t id)
{
	assert(u);
	db_stmt *s = db_prepare(d, "SELECT t.id FROM trajectories t WHERE t.id = :id AND "
	                           "t.org_id = :org AND (:viewer = 0 OR EXISTS (SELECT 1 FROM "
	                           "trajectory_staff s WHERE s.trajectory_id = t.id AND "
	                           "s.user_id = :viewer))");
	db_bind_int(s, "id", id);
	db_bind_int(s, "org", org_id);
	db_bind_int(s, "viewer", trajectory_viewer(u));
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : (rc > 0 ? -rc : rc);
}

int collection_user_may(db *d, int64_t org_id, const struct user *u, int64_t collection_id)
{
	assert(u);
	db_stmt *s = db_prepare(
	        d, "SELECT c.id FROM collections c WHERE c.id = :id AND c.org_id = :org AND "
	           "(c.trajectory_id IS NULL OR :viewer = 0 OR EXISTS (SELECT 1 FROM "
	           "trajectory_staff s WHERE s.trajectory_id = c.trajectory_id AND "
	           "s.user_id = :viewer))");
	db_bind_int(s, "id", collection_id);
	db_bind_int(s, "org", org_id);
	db_bind_int(s, "viewer", trajectory_viewer(u));
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : (rc > 0 ? -rc : rc);
}

static void bind_text_or_empty(db_stmt *s, const char *name, const char *v)
{
	db_bind_text(s, name, v ? v : "");
}

static void bind_text_or_null(db_stmt *s, const char *name, const char *v)
{
	if (util_blank(v))
		db_bind_null(s, name);
	else
		db_bind_text(s, name, v);
}

/* Binds the fields shared by insert and update. */
static void bind_fields(db_stmt *s, const struct trajectory_fields *f)
{
	db_bind_text(s, "title", f->title);
	bind_text_or_empty(s, "question", f->question);
	bind_text_or_empty(s, "scope", f->scope);
	db_bind_text(s, "ladder", util_blank(f->ladder) ? "raadplegen" : f->ladder);
	bind_text_or_empty(s, "target", f->target_group);
	bind_text_or_empty(s, "rationale", f->selection_rationale);
	bind_text_or_empty(s, "contact", f->contact_route);
	bind_text_or_null(s, "starts", f->starts_on);
	bind_text_or_null(s, "ends", f->ends_on);
	bind_text_or_empty(s, "outcome", f->outcome);
	bind_text_or_null(s, "material", f->material_token);
	bind_text_or_empty(s, "alt", f->material_alt);
	db_bind_int(s, "days", f->retention_days ? f->retention_days : 730);
	db_bind_int(s, "published", f->published ? 1 : 0);
	db_bind_int(s, "now", clock_now());
}

int trajectory_create_write(db *d, void *ctx)
{
	struct trajectory_new *t = ctx;
	assert(trajectory_check(&t->f) == NULL);
	char base[TRAJECTORY_SLUG_MAX + 1];
	util_slug(t->f.title, base, sizeof base, "traject");
	/* The first free of base, base-2, base-3, ... */
	int rc = DB_CONSTRAINT;
	for (int k = 1; k < 1000 && rc == DB_CONSTRAINT; k++) {
		if (k == 1)
			snprintf(t->slug, sizeof t->slug, "%s", base);
		else
			snprintf(t->slug, sizeof t->slug, "%s-%d", base, k);
		db_stmt *s = db_prepare(
		        d,
		        "INSERT INTO trajectories (org_id, slug, title, question, scope, ladder, "
		        "target_group, selection_rationale, contact_route, starts_on, ends_on, "
		        "outcome, material_token, material_alt, retention_days, published, "
		        "created_at, created_by, updated_at) VALUES (:org, :slug, :title, "
		        ":question, :scope, :ladder, :target, :rationale, :contact, :starts, "
		        ":ends, "
		        ":outcome, :material, :alt, :days, :published, :now, :user, :now) "
		        "ON CONFLICT (slug) DO NOTHING RETURNING id");
		db_bind_int(s, "org", t->org_id);
		db_bind_text(s, "slug", t->slug);
		bind_fields(s, &t->f);
		if (t->user_id)
			db_bind_int(s, "user", t->user_id);
		else
			db_bind_null(s, "user");
		rc = db_step(s);
		if (rc == DB_ROW)
			t->id = db_col_int(s, 0);
		db_finalize(s);
		if (rc == DB_DONE)
			rc = DB_CONSTRAINT;
	}
	if (rc != DB_ROW)
		return rc;
	if (t->user_id) {
		db_stmt *s = db_prepare(d, "INSERT INTO trajectory_staff (trajectory_id, user_id, "
		                           "responsible) VALUES (:t, :u, 1)");
		db_bind_int(s, "t", t->id);
		db_bind_int(s, "u", t->user_id);
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc;
	}
	return DB_OK;
}

int trajectory_update_write(db *d, void *ctx)
{
	struct trajectory_update *t = ctx;
	assert(trajectory_check(&t->f) == NULL);
	db_stmt *s = db_prepare(
	        d, "UPDATE trajectories SET title = :title, question = :question, scope = :scope, "
	           "ladder = :ladder, target_group = :target, selection_rationale = :rationale, "
	           "contact_route = :contact, starts_on = :starts, ends_on = :ends, "
	           "outcome = :outcome, material_token = CASE WHEN :clear THEN NULL ELSE "
	           "coalesce(:material, material_token) END, material_alt = :alt, "
	           "retention_days = :days, published = :published, updated_at = :now "
	           "WHERE id = :id AND org_id = :org RETURNING id");
	bind_fields(s, &t->f);
	db_bind_int(s, "clear", t->material_clear);
	db_bind_int(s, "id", t->id);
	db_bind_int(s, "org", t->org_id);
	int rc = db_step(s);
	db_finalize(s);
	t->found = rc == DB_ROW;
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int trajectory_close_write(db *d, void *ctx)
{
	struct trajectory_close *c = ctx;
	c->result = TRAJECTORY_OK;
	db_stmt *s;
	if (c->close) {
		/* People who talked with us and wait to hear back (in conversations
		 * still open): closing then needs the reason on record. */
		s = db_prepare(d,
		               "SELECT count(*) FROM conversation_people p JOIN conversations cv "
		               "ON cv.id = p.conversation_id JOIN trajectories t ON "
		               "t.id = cv.trajectory_id WHERE cv.trajectory_id = :id AND "
		               "t.org_id = :org AND cv.held_at IS NOT NULL AND cv.closed_at IS "
		               "NULL AND p.invited_at IS NOT NULL AND p.response <> 'declined' AND "
		               "p.feedback_sent_at IS NULL");
		db_bind_int(s, "id", c->id);
		db_bind_int(s, "org", c->org_id);
		int rc = db_step(s);
		int64_t waiting = rc == DB_ROW ? db_col_int(s, 0) : 0;
		db_finalize(s);
		if (rc != DB_ROW)
			return rc;
		if (waiting > 0 && util_blank(c->reason)) {
			c->result = TRAJECTORY_NEEDS_REASON;
			return DB_OK;
		}
		s = db_prepare(d, "UPDATE trajectories SET status = 'closed', closed_at = :now, "
		                  "closed_reason = :reason, updated_at = :now "
		                  "WHERE id = :id AND org_id = :org RETURNING id");
		bind_text_or_null(s, "reason", c->reason);
	} else {
		s = db_prepare(d, "UPDATE trajectories SET status = 'open', closed_at = NULL, "
		                  "closed_reason = NULL, updated_at = :now "
		                  "WHERE id = :id AND org_id = :org RETURNING id");
	}
	db_bind_int(s, "now", clock_now());
	db_bind_int(s, "id", c->id);
	db_bind_int(s, "org", c->org_id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc == DB_DONE)
		c->result = TRAJECTORY_NOT_FOUND;
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int exists_in_org(db *d, db_stmt *s, int64_t id, int64_t org_id)
{
	db_bind_int(s, "id", id);
	db_bind_int(s, "org", org_id);
	int rc = db_step(s);
	db_finalize(s);
	return rc;
}

int trajectory_staff_write(db *d, void *ctx)
{
	struct trajectory_staff_change *c = ctx;
	c->found = 0;
	c->last = 0;
	int rc = exists_in_org(
	        d, db_prepare(d, "SELECT 1 FROM trajectories WHERE id = :id AND org_id = :org"),
	        c->id, c->org_id);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DB_OK : rc;
	rc = exists_in_org(d,
	                   db_prepare(d, "SELECT 1 FROM users WHERE id = :id AND org_id = :org "
	                                 "AND disabled = 0"),
	                   c->user_id, c->org_id);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DB_OK : rc;
	c->found = 1;
	db_stmt *s;
	if (c->add) {
		s = db_prepare(d,
		               "INSERT INTO trajectory_staff (trajectory_id, user_id, responsible) "
		               "VALUES (:t, :u, :r) ON CONFLICT (trajectory_id, user_id) DO UPDATE "
		               "SET responsible = excluded.responsible");
		db_bind_int(s, "r", c->responsible ? 1 : 0);
	} else {
		/* Someone must stay answerable for the trajectory. */
		db_stmt *q =
		        db_prepare(d, "SELECT count(*) FROM trajectory_staff WHERE "
		                      "trajectory_id = :t AND responsible = 1 AND user_id <> :u");
		db_bind_int(q, "t", c->id);
		db_bind_int(q, "u", c->user_id);
		rc = db_step(q);
		int64_t others = rc == DB_ROW ? db_col_int(q, 0) : -1;
		db_finalize(q);
		if (others < 0)
			return rc == DB_ROW ? DB_ERROR : rc;
		q = db_prepare(d,
		               "SELECT responsible FROM trajectory_staff WHERE trajectory_id = :t "
		               "AND user_id = :u");
		db_bind_int(q, "t", c->id);
		db_bind_int(q, "u", c->user_id);
		int is_responsible = db_step(q) == DB_ROW && db_col_int(q, 0) == 1;
		db_finalize(q);
		if (is_responsible && others == 0) {
			c->last = 1;
			return DB_OK;
		}
		s = db_prepare(d, "DELETE FROM trajectory_staff WHERE trajectory_id = :t AND "
		                  "user_id = :u");
	}
	db_bind_int(s, "t", c->id);
	db_bind_int(s, "u", c->user_id);
	rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int trajectory_methods_write(db *d, void *ctx)
{
	struct trajectory_methods_set *m = ctx;
	m->found = 0;
	int rc = exists_in_org(
	        d, db_prepare(d, "SELECT 1 FROM trajectories WHERE id = :id AND org_id = :org"),
	        m->id, m->org_id);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DB_OK : rc;
	for (size_t i = 0; i < m->n; i++) {
		db_stmt *s = db_prepare(d, "SELECT 1 FROM methods WHERE id = :id");
		db_bind_int(s, "id", m->method_ids[i]);
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_ROW)
			return rc == DB_DONE ? DB_OK : rc;
	}
	db_stmt *s = db_prepare(d, "DELETE FROM trajectory_methods WHERE trajectory_id = :t");
	db_bind_int(s, "t", m->id);
	rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	for (size_t i = 0; i < m->n; i++) {
		s = db_prepare(d,
		               "INSERT INTO trajectory_methods (trajectory_id, method_id) VALUES "
		               "(:t, :m) ON CONFLICT DO NOTHING");
		db_bind_int(s, "t", m->id);
		db_bind_int(s, "m", m->method_ids[i]);
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc;
	}
	m->found = 1;
	return DB_OK;
}

#define TRAJECTORY_COLUMNS                                                                       \
	"t.id, t.slug, t.title, t.question, t.scope, t.ladder, t.target_group, "                 \
	"t.selection_rationale, t.contact_route, coalesce(t.starts_on, ''), "                    \
	"coalesce(t.ends_on, ''), t.outcome, coalesce(t.material_token, ''), t.material_alt, "   \
	"t.retention_days, t.published, t.status, coalesce(t.closed_reason, ''), t.created_at, " \
	"t.updated_at "

static json_t *row_json(db_stmt *s)
{
	static const char *const names[] = {"id",
	                                    "slug",
	                                    "title",
	                                    "question",
	                                    "scope",
	                                    "ladder",
	                                    "target_group",
	                                    "selection_rationale",
	                                    "contact_route",
	                                    "starts_on",
	                                    "ends_on",
	                                    "outcome",
	                                    "material_token",
	                                    "material_alt",
	                                    "retention_days",
	                                    "published",
	                                    "status",
	                                    "closed_reason",
	                                    "created_at",
	                                    "updated_at"};
	json_t *o = json_object();
	for (int i = 0; i < (int)(sizeof names / sizeof *names); i++) {
		if (i == 0 || i == 14 || i == 18 || i == 19)
			json_object_set_new(o, names[i], json_integer(db_col_int(s, i)));
		else if (i == 15)
			json_object_set_new(o, names[i], json_boolean(db_col_int(s, i)));
		else
			json_object_set_new(o, names[i], json_string(db_col_text(s, i)));
	}
	json_t *missing = json_array();
	unsigned m = trajectory_missing(db_col_text(s, 4), db_col_text(s, 7), db_col_text(s, 8));
	if (m & TRAJECTORY_NEEDS_SCOPE)
		json_array_append_new(missing, json_string("scope"));
	if (m & TRAJECTORY_NEEDS_RATIONALE)
		json_array_append_new(missing, json_string("selection_rationale"));
	if (m & TRAJECTORY_NEEDS_CONTACT)
		json_array_append_new(missing, json_string("contact_route"));
	json_object_set_new(o, "missing", missing);
	return o;
}

/* Appends the rows of a query as objects with the given keys (each
 * column an integer when its key starts with '#'). */
static int rows_json(db_stmt *s, const char *const *keys, int n, json_t *arr)
{
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *o = json_object();
		for (int i = 0; i < n; i++) {
			if (keys[i][0] == '#')
				json_object_set_new(o, keys[i] + 1, json_integer(db_col_int(s, i)));
			else
				json_object_set_new(o, keys[i], json_string(db_col_text(s, i)));
		}
		json_array_append_new(arr, o);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int trajectory_get_json(db *d, int64_t org_id, int64_t id, json_t **out)
{
	*out = NULL;
	db_stmt *s = db_prepare(d, "SELECT " TRAJECTORY_COLUMNS
	                           "FROM trajectories t WHERE t.id = :id AND t.org_id = :org");
	db_bind_int(s, "id", id);
	db_bind_int(s, "org", org_id);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc;
	}
	json_t *o = row_json(s);
	db_finalize(s);

	json_t *staff = json_array();
	static const char *const staff_keys[] = {"#id", "username", "display_name", "#responsible"};
	s = db_prepare(d, "SELECT u.id, u.username, u.display_name, s.responsible FROM "
	                  "trajectory_staff s JOIN users u ON u.id = s.user_id WHERE "
	                  "s.trajectory_id = :t ORDER BY s.responsible DESC, u.display_name");
	db_bind_int(s, "t", id);
	rc = rows_json(s, staff_keys, 4, staff);
	json_object_set_new(o, "staff", staff);

	json_t *methods = json_array();
	if (rc == DB_OK) {
		s = db_prepare(d,
		               "SELECT method_id FROM trajectory_methods WHERE trajectory_id = :t "
		               "ORDER BY method_id");
		db_bind_int(s, "t", id);
		while ((rc = db_step(s)) == DB_ROW)
			json_array_append_new(methods, json_integer(db_col_int(s, 0)));
		db_finalize(s);
		rc = rc == DB_DONE ? DB_OK : rc;
	}
	json_object_set_new(o, "methods", methods);

	json_t *colls = json_array();
	static const char *const coll_keys[] = {"#id", "title", "#closed", "#stories"};
	if (rc == DB_OK) {
		s = db_prepare(d,
		               "SELECT c.id, c.title, c.closed, (SELECT count(*) FROM stories st "
		               "WHERE st.collection_id = c.id) FROM collections c WHERE "
		               "c.trajectory_id = :t ORDER BY c.id DESC");
		db_bind_int(s, "t", id);
		rc = rows_json(s, coll_keys, 4, colls);
	}
	json_object_set_new(o, "collections", colls);

	if (rc == DB_OK) {
		s = db_prepare(d,
		               "SELECT count(*) FROM contact_requests WHERE trajectory_id = :t AND "
		               "handled_at IS NULL");
		db_bind_int(s, "t", id);
		rc = db_step(s);
		json_object_set_new(o, "open_contact_requests",
		                    json_integer(rc == DB_ROW ? db_col_int(s, 0) : 0));
		db_finalize(s);
		rc = rc == DB_ROW ? DB_OK : rc;
	}
	if (rc != DB_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return DB_ROW;
}

int trajectory_public_json(db *d, const char *slug, json_t **out)
{
	*out = NULL;
	if (!slug || strlen(slug) > TRAJECTORY_SLUG_MAX + 7)
		return DB_DONE;
	db_stmt *s = db_prepare(d, "SELECT " TRAJECTORY_COLUMNS ", t.org_id FROM trajectories t "
	                           "WHERE t.slug = :slug AND t.published = 1");
	db_bind_text(s, "slug", slug);
	int rc = db_step(s);
	if (rc != DB_ROW) {
		db_finalize(s);
		return rc;
	}
	json_t *o = row_json(s);
	int64_t id = db_col_int(s, 0);
	db_finalize(s);
	/* What a resident may see: no retention, no staff accounts. */
	json_object_del(o, "retention_days");
	json_object_del(o, "closed_reason");
	json_t *names = json_array();
	static const char *const keys[] = {"display_name"};
	s = db_prepare(d, "SELECT u.display_name FROM trajectory_staff s JOIN users u ON "
	                  "u.id = s.user_id WHERE s.trajectory_id = :t AND s.responsible = 1 "
	                  "ORDER BY u.display_name");
	db_bind_int(s, "t", id);
	rc = rows_json(s, keys, 1, names);
	json_object_set_new(o, "responsible", names);
	if (rc != DB_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return DB_ROW;
}

int trajectory_list_json(db *d, int64_t org_id, int64_t viewer, buf *out)
{
	db_stmt *s = db_prepare(
	        d, "SELECT " TRAJECTORY_COLUMNS
	           ", (SELECT count(*) FROM collections c WHERE c.trajectory_id = t.id), "
	           "(SELECT count(*) FROM contact_requests r WHERE r.trajectory_id = t.id AND "
	           "r.handled_at IS NULL) FROM trajectories t WHERE t.org_id = :org AND "
	           "(:viewer = 0 OR EXISTS (SELECT 1 FROM trajectory_staff s WHERE "
	           "s.trajectory_id = t.id AND s.user_id = :viewer)) "
	           "ORDER BY t.status = 'closed', t.created_at DESC, t.id DESC");
	db_bind_int(s, "org", org_id);
	db_bind_int(s, "viewer", viewer);
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *o = row_json(s);
		json_object_set_new(o, "collections", json_integer(db_col_int(s, 20)));
		json_object_set_new(o, "open_contact_requests", json_integer(db_col_int(s, 21)));
		json_array_append_new(arr, o);
	}
	db_finalize(s);
	if (rc == DB_DONE) {
		char *text = json_dumps(arr, JSON_COMPACT);
		if (!text)
			abort();
		buf_puts(out, text);
		free(text);
	}
	json_decref(arr);
	return rc == DB_DONE ? DB_OK : rc;
}

/* ---- contact requests ---------------------------------------------------- */

const char *contact_request_check(const struct contact_request_new *c)
{
	if (util_blank(c->message) || !util_text_ok(c->message, TRAJECTORY_MESSAGE_MAX))
		return N_("Write your message (at most 4000 characters).");
	if (util_blank(c->email) && util_blank(c->phone))
		return N_("Give an e-mail address or a phone number, so we can answer you.");
	struct contact k = {.name = c->name, .email = c->email, .phone = c->phone};
	return contact_check(&k);
}

static void message_ad(int64_t id, char *out, size_t n)
{
	snprintf(out, n, "contact_request:%lld", (long long)id);
}

int contact_request_write(db *d, void *ctx)
{
	struct contact_request_new *c = ctx;
	assert(contact_request_check(c) == NULL);
	struct contact k = {.name = c->name, .email = c->email, .phone = c->phone};
	char code[PARTICIPANT_CODE_LEN + 1];
	int64_t pid = 0;
	int rc = participant_create(d, c->v, &k, code, &pid);
	if (rc == DB_OK)
		snprintf(c->code, sizeof c->code, "%s", code);
	if (rc != DB_OK)
		return rc;
	/* The id is known before the message is sealed with it as associated
	 * data: a sealed message moved to another row does not open. */
	db_stmt *s =
	        db_prepare(d, "INSERT INTO contact_requests (trajectory_id, participant_id, "
	                      "message, created_at) VALUES (:t, :p, :empty, :now) RETURNING id");
	db_bind_blob(s, "empty", "", 0); /* x'' is a bit string on PostgreSQL */
	db_bind_int(s, "t", c->trajectory_id);
	db_bind_int(s, "p", pid);
	db_bind_int(s, "now", clock_now());
	rc = db_step(s);
	if (rc == DB_ROW)
		c->id = db_col_int(s, 0);
	db_finalize(s);
	if (rc != DB_ROW)
		return rc;
	char ad[64];
	message_ad(c->id, ad, sizeof ad);
	buf sealed;
	buf_init(&sealed);
	vault_seal(c->v, c->message, strlen(c->message), ad, &sealed);
	s = db_prepare(d, "UPDATE contact_requests SET message = :m WHERE id = :id");
	db_bind_blob(s, "m", sealed.data, sealed.len);
	db_bind_int(s, "id", c->id);
	rc = db_step(s);
	db_finalize(s);
	buf_free(&sealed);
	return rc == DB_DONE ? DB_OK : rc;
}

/* The opened message of a row, or NULL (json null) when it does not open. */
static json_t *open_message(const vault *v, int64_t id, const void *sealed, size_t n)
{
	char ad[64];
	message_ad(id, ad, sizeof ad);
	buf plain;
	buf_init(&plain);
	json_t *out = json_null();
	if (vault_open(v, sealed, n, ad, &plain) == 0) {
		json_decref(out);
		out = json_stringn(plain.data ? plain.data : "", plain.len);
	}
	if (plain.data)
		sodium_memzero(plain.data, plain.len);
	buf_free(&plain);
	return out ? out : json_null();
}

int contact_request_list_json(db *d, const vault *v, int64_t trajectory_id, json_t **out)
{
	*out = json_array();
	db_stmt *s =
	        db_prepare(d, "SELECT r.id, r.created_at, coalesce(r.handled_at, 0), "
	                      "coalesce(p.code, ''), r.message, coalesce(r.participant_id, 0) "
	                      "FROM contact_requests r LEFT JOIN participants p ON "
	                      "p.id = r.participant_id WHERE r.trajectory_id = :t "
	                      "ORDER BY r.handled_at IS NOT NULL, r.created_at DESC, r.id DESC");
	db_bind_int(s, "t", trajectory_id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *o = json_object();
		int64_t id = db_col_int(s, 0);
		json_object_set_new(o, "id", json_integer(id));
		json_object_set_new(o, "created_at", json_integer(db_col_int(s, 1)));
		int64_t handled = db_col_int(s, 2);
		json_object_set_new(o, "handled_at", handled ? json_integer(handled) : json_null());
		json_object_set_new(o, "participant_code", json_string(db_col_text(s, 3)));
		size_t n = 0;
		const void *sealed = db_col_blob(s, 4, &n);
		json_object_set_new(o, "message", open_message(v, id, sealed, n));
		/* The sender's contact data, opened from the participant. */
		int64_t pid = db_col_int(s, 5);
		json_t *contact = NULL;
		if (pid) {
			buf j;
			buf_init(&j);
			if (participant_find_json(d, v, db_col_text(s, 3), &j) == DB_OK && j.data) {
				json_t *arr = json_loads(j.data, 0, NULL);
				contact = json_incref(
				        json_object_get(json_array_get(arr, 0), "contact"));
				json_decref(arr);
			}
			buf_free(&j);
		}
		const char *keys[] = {"name", "email", "phone"};
		for (int i = 0; i < 3; i++) {
			json_t *val = contact ? json_object_get(contact, keys[i]) : NULL;
			json_object_set(o, keys[i], val ? val : json_null());
		}
		json_decref(contact);
		json_array_append_new(*out, o);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int contact_request_by_participant_json(db *d, const vault *v, int64_t participant_id, json_t *out)
{
	db_stmt *s = db_prepare(d, "SELECT r.id, t.title, r.created_at, r.message FROM "
	                           "contact_requests r JOIN trajectories t ON t.id = "
	                           "r.trajectory_id WHERE r.participant_id = :p ORDER BY r.id");
	db_bind_int(s, "p", participant_id);
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		json_t *o = json_object();
		size_t n = 0;
		const void *sealed = db_col_blob(s, 3, &n);
		json_object_set_new(o, "trajectory", json_string(db_col_text(s, 1)));
		json_object_set_new(o, "created_at", json_integer(db_col_int(s, 2)));
		json_object_set_new(o, "message", open_message(v, db_col_int(s, 0), sealed, n));
		json_array_append_new(out, o);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int contact_request_handled_write(db *d, void *ctx)
{
	struct contact_request_handled *h = ctx;
	db_stmt *s = db_prepare(d, "UPDATE contact_requests SET handled_at = :now, handled_by = :u "
	                           "WHERE id = :id AND trajectory_id = :t RETURNING id");
	db_bind_int(s, "now", clock_now());
	if (h->user_id)
		db_bind_int(s, "u", h->user_id);
	else
		db_bind_null(s, "u");
	db_bind_int(s, "id", h->id);
	db_bind_int(s, "t", h->trajectory_id);
	int rc = db_step(s);
	db_finalize(s);
	h->found = rc == DB_ROW;
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int64_t contact_request_reseal_all(db *d, const vault *v)
{
	db_stmt *s = db_prepare(d, "SELECT id FROM contact_requests ORDER BY id");
	int64_t *ids;
	size_t n;
	int rc = db_collect_ids(s, &ids, &n);
	db_finalize(s);
	if (rc != DB_DONE)
		return -1;
	int64_t done = 0;
	for (size_t i = 0; i < n && done >= 0; i++) {
		s = db_prepare(d, "SELECT message FROM contact_requests WHERE id = :id");
		db_bind_int(s, "id", ids[i]);
		if (db_step(s) != DB_ROW) {
			db_finalize(s);
			continue;
		}
		size_t len = 0;
		const void *sealed = db_col_blob(s, 0, &len);
		if (vault_sealed_key_id(sealed, len) == vault_active_id(v)) {
			db_finalize(s);
			continue;
		}
		char ad[64];
		message_ad(ids[i], ad, sizeof ad);
		buf plain, resealed;
		buf_init(&plain);
		buf_init(&resealed);
		int ok = vault_open(v, sealed, len, ad, &plain) == 0;
		db_finalize(s);
		if (ok) {
			vault_seal(v, plain.data ? plain.data : "", plain.len, ad, &resealed);
			s = db_prepare(d,
			               "UPDATE contact_requests SET message = :m WHERE id = :id");
			db_bind_blob(s, "m", resealed.data, resealed.len);
			db_bind_int(s, "id", ids[i]);
			done = db_step(s) == DB_DONE ? done + 1 : -1;
			db_finalize(s);
		} else {
			done = -1;
		}
		if (plain.data)
			sodium_memzero(plain.data, plain.len);
		buf_free(&plain);
		buf_free(&resealed);
	}
	free(ids);
	return done;
}

int trajectory_shows_upload(db *d, const char *upload_token)
{
	db_stmt *s = db_prepare(d, "SELECT 1 FROM trajectories WHERE published = 1 AND "
	                           "material_token = :t LIMIT 1");
	db_bind_text(s, "t", upload_token);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}
