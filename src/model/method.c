/* method.c: the catalogue of methods (werkvormen): reading, checking and saving them, their JSON. */
#include "model/method.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rung_names[RUNG_COUNT] = {"informeren",   "raadplegen",   "adviseren",
                                                   "coproduceren", "meebeslissen", "zelfbeheer"};

const char *method_rung_name(int rung)
{
	return rung >= 0 && rung < RUNG_COUNT ? rung_names[rung] : NULL;
}

int method_rung_parse(const char *name)
{
	for (int i = 0; name && i < RUNG_COUNT; i++)
		if (strcmp(rung_names[i], name) == 0)
			return i;
	return -1;
}

/* ---- reading ------------------------------------------------------------------ */

/* The steps or tips stored as a JSON array of {nl, en}, into a. A value
 * that is not such an array reads as no items: only this file writes it. */
static void items_from_json(const char *text, arena *a, struct method_text **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	json_t *arr = json_loads(text, 0, NULL);
	if (json_is_array(arr) && json_array_size(arr) > 0) {
		*out = arena_zalloc(a, json_array_size(arr) * sizeof **out);
		size_t i;
		json_t *it;
		json_array_foreach(arr, i, it)
		{
			const char *nl = json_string_value(json_object_get(it, "nl"));
			const char *en = json_string_value(json_object_get(it, "en"));
			(*out)[*n].nl = arena_strdup(a, nl ? nl : "");
			(*out)[*n].en = arena_strdup(a, en ? en : "");
			(*n)++;
		}
	}
	json_decref(arr);
}

/* The array text of items (malloc'ed; the caller frees it). */
static char *items_to_json(const struct method_text *items, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "nl", json_string(items[i].nl ? items[i].nl : ""));
		json_object_set_new(o, "en", json_string(items[i].en ? items[i].en : ""));
		json_array_append_new(arr, o);
	}
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (!s)
		abort();
	return s;
}

#define METHOD_SELECT                                                                          \
	"SELECT m.id, m.slug, m.name_nl, m.name_en, m.goal_nl, m.goal_en, m.target_group_nl, " \
	"m.target_group_en, m.participants_nl, m.participants_en, m.interaction_nl, "          \
	"m.interaction_en, m.rung, m.steps, m.tips, m.builtin, m.created_at, m.updated_at, "   \
	"coalesce(m.updated_by, 0), coalesce(u.display_name, '') FROM methods m "              \
	"LEFT JOIN users u ON u.id = m.updated_by "

static void fill(db_stmt *s, arena *a, struct method *m)
{
	memset(m, 0, sizeof *m);
	m->id = db_col_int(s, 0);
	m->slug = arena_strdup(a, db_col_text(s, 1));
	struct method_text *t[] = {&m->name, &m->goal, &m->target_group, &m->participants,
	                           &m->interaction};
	for (int i = 0; i < 5; i++) {
		t[i]->nl = arena_strdup(a, db_col_text(s, 2 + 2 * i));
		t[i]->en = arena_strdup(a, db_col_text(s, 3 + 2 * i));
	}
	int rung = method_rung_parse(db_col_text(s, 12));
	m->rung = rung < 0 ? RUNG_INFORMEREN : rung; /* the CHECK allows nothing else */
	items_from_json(db_col_text(s, 13), a, &m->steps, &m->nsteps);
	items_from_json(db_col_text(s, 14), a, &m->tips, &m->ntips);
	m->builtin = db_col_int(s, 15) != 0;
	m->created_at = db_col_int(s, 16);
	m->updated_at = db_col_int(s, 17);
	m->updated_by = db_col_int(s, 18);
	m->updated_by_name = arena_strdup(a, db_col_text(s, 19));
}

static int one(db_stmt *s, arena *a, struct method *out)
{
	int rc = db_step(s);
	if (rc == DB_ROW)
		fill(s, a, out);
	db_finalize(s);
	return rc;
}

int method_by_id(db *d, int64_t id, arena *a, struct method *out)
{
	db_stmt *s = db_prepare(d, METHOD_SELECT "WHERE m.id = :id");
	db_bind_int(s, "id", id);
	return one(s, a, out);
}

int method_by_slug(db *d, const char *slug, arena *a, struct method *out)
{
	db_stmt *s = db_prepare(d, METHOD_SELECT "WHERE m.slug = :slug");
	db_bind_text(s, "slug", slug ? slug : "");
	return one(s, a, out);
}

int method_list(db *d, arena *a, struct method **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	db_stmt *s = db_prepare(d, METHOD_SELECT "ORDER BY lower(m.name_nl), m.id");
	int rc;
	while ((rc = db_step(s)) == DB_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct method *grown = arena_alloc(a, ncap * sizeof *grown);
			if (*n)
				memcpy(grown, *out, *n * sizeof *grown);
			*out = grown;
			cap = ncap;
		}
		fill(s, a, &(*out)[(*n)++]);
	}
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

static int blank(const char *s)
{
	return !s || !*s;
}

static int items_lack_en(const struct method_text *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (blank(items[i].en))
			return 1;
	return 0;
}

int method_missing_en(const struct method *m, const char *out[7])
{
	int n = 0;
	if (blank(m->name.en))
		out[n++] = "name";
	if (blank(m->goal.en))
		out[n++] = "goal";
	if (!blank(m->target_group.nl) && blank(m->target_group.en))
		out[n++] = "target_group";
	if (!blank(m->participants.nl) && blank(m->participants.en))
		out[n++] = "participants";
	if (!blank(m->interaction.nl) && blank(m->interaction.en))
		out[n++] = "interaction";
	if (items_lack_en(m->steps, m->nsteps))
		out[n++] = "steps";
	if (items_lack_en(m->tips, m->ntips))
		out[n++] = "tips";
	return n;
}

/* ---- JSON ------------------------------------------------------------------------ */

static void text_json(buf *out, const char *key, const struct method_text *t)
{
	buf_printf(out, ",\"%s\":{\"nl\":", key);
	buf_json_str(out, t->nl ? t->nl : "");
	buf_puts(out, ",\"en\":");
	buf_json_str(out, t->en ? t->en : "");
	buf_putc(out, '}');
}

static void items_json(buf *out, const char *key, const struct method_text *items, size_t n)
{
	buf_printf(out, ",\"%s\":[", key);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, ',');
		buf_puts(out, "{\"nl\":");
		buf_json_str(out, items[i].nl ? items[i].nl : "");
		buf_puts(out, ",\"en\":");
		buf_json_str(out, items[i].en ? items[i].en : "");
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
}

void method_json(const struct method *m, buf *out)
{
	buf_printf(out, "{\"id\":%lld,\"slug\":", (long long)m->id);
	buf_json_str(out, m->slug ? m->slug : "");
	text_json(out, "name", &m->name);
	text_json(out, "goal", &m->goal);
	text_json(out, "target_group", &m->target_group);
	text_json(out, "participants", &m->participants);
	text_json(out, "interaction", &m->interaction);
	buf_puts(out, ",\"rung\":");
	buf_json_str(out, method_rung_name(m->rung));
	buf_printf(out, ",\"rung_position\":%d", m->rung + 1);
	items_json(out, "steps", m->steps, m->nsteps);
	items_json(out, "tips", m->tips, m->ntips);
	buf_printf(out, ",\"builtin\":%s,\"created_at\":%lld,\"updated_at\":%lld,\"updated_by\":",
	           m->builtin ? "true" : "false", (long long)m->created_at,
	           (long long)m->updated_at);
	if (m->updated_by)
		buf_printf(out, "%lld", (long long)m->updated_by);
	else
		buf_puts(out, "null");
	buf_puts(out, ",\"missing_en\":[");
	const char *missing[7];
	int nm = method_missing_en(m, missing);
	for (int i = 0; i < nm; i++) {
		if (i)
			buf_putc(out, ',');
		buf_json_str(out, missing[i]);
	}
	buf_puts(out, "]}");
}

int method_list_json(db *d, buf *out)
{
	arena *a = arena_new();
	struct method *list;
	size_t n;
	int rc = method_list(d, a, &list, &n);
	if (rc == DB_OK) {
		buf_putc(out, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_putc(out, ',');
			method_json(&list[i], out);
		}
		buf_putc(out, ']');
	}
	arena_free(a);
	return rc;
}

/* ---- validation ------------------------------------------------------------------- */

static const char *trim(const char *s, arena *a)
{
	if (!s)
		return "";
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(a, s, n);
}

static void trim_text(struct method_text *t, arena *a)
{
	t->nl = trim(t->nl, a);
	t->en = trim(t->en, a);
}

/* Trims the items and keeps those with a text in either language. */
static void prepare_items(struct method_text **items, size_t *n, arena *a)
{
	size_t k = 0;
	struct method_text *kept = *n ? arena_zalloc(a, *n * sizeof *kept) : NULL;
	for (size_t i = 0; i < *n; i++) {
		struct method_text t = (*items)[i];
		trim_text(&t, a);
		if (*t.nl || *t.en)
			kept[k++] = t;
	}
	*items = kept;
	*n = k;
}

void method_prepare(struct method *m, arena *a)
{
	struct method_text *t[] = {&m->name, &m->goal, &m->target_group, &m->participants,
	                           &m->interaction};
	for (int i = 0; i < 5; i++)
		trim_text(t[i], a);
	prepare_items(&m->steps, &m->nsteps, a);
	prepare_items(&m->tips, &m->ntips, a);
}

/* Characters in valid UTF-8 text; -1 when s is not clean text. */
static long chars(const char *s)
{
	size_t n = strlen(s);
	if (!util_utf8_clean(s, n))
		return -1;
	long c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static int too_long(const char *s, long max, int one_line)
{
	if (!s)
		return 0;
	long c = chars(s);
	return c < 0 || c > max || (one_line && strpbrk(s, "\r\n\t"));
}

struct errs {
	struct method_error *e;
	int n, max;
};

static void add(struct errs *es, const char *field, const char *msg)
{
	if (es->n < es->max) {
		snprintf(es->e[es->n].field, sizeof es->e[es->n].field, "%s", field);
		es->e[es->n].msg = msg;
	}
	es->n++;
}

/* The form's field id of item i: "step_nl_3" for the third step. */
static void add_item(struct errs *es, const char *kind, const char *lang, size_t i, const char *msg)
{
	char field[24];
	snprintf(field, sizeof field, "%s_%s_%zu", kind, lang, i + 1);
	add(es, field, msg);
}

static void check_items(struct errs *es, const char *kind, const struct method_text *items,
                        size_t n)
{
	int step = strcmp(kind, "step") == 0;
	for (size_t i = 0; i < n && i < METHOD_ITEMS_MAX; i++) {
		if (blank(items[i].nl))
			add_item(es, kind, "nl", i,
			         step ? N_("Every step needs a Dutch text.")
			              : N_("Every tip needs a Dutch text."));
		else if (too_long(items[i].nl, METHOD_ITEM_MAX, 0))
			add_item(es, kind, "nl", i,
			         step ? N_("A step has at most 1000 characters.")
			              : N_("A tip has at most 1000 characters."));
		if (too_long(items[i].en, METHOD_ITEM_MAX, 0))
			add_item(es, kind, "en", i,
			         step ? N_("A step has at most 1000 characters.")
			              : N_("A tip has at most 1000 characters."));
	}
}

int method_check(const struct method *m, struct method_error *errs, int max)
{
	struct errs es = {errs, 0, max};
	if (blank(m->name.nl) || too_long(m->name.nl, METHOD_NAME_MAX, 1))
		add(&es, "name_nl",
		    N_("Give the method a Dutch name of at most 120 characters on one line."));
	if (too_long(m->name.en, METHOD_NAME_MAX, 1))
		add(&es, "name_en", N_("The English name has at most 120 characters on one line."));
	if (blank(m->goal.nl) || too_long(m->goal.nl, METHOD_TEXT_MAX, 0))
		add(&es, "goal_nl", N_("Describe the goal in Dutch, in at most 2000 characters."));
	if (too_long(m->goal.en, METHOD_TEXT_MAX, 0))
		add(&es, "goal_en", N_("The goal has at most 2000 characters."));
	if (too_long(m->target_group.nl, METHOD_TEXT_MAX, 0))
		add(&es, "target_group_nl", N_("The target group has at most 2000 characters."));
	if (too_long(m->target_group.en, METHOD_TEXT_MAX, 0))
		add(&es, "target_group_en", N_("The target group has at most 2000 characters."));
	if (too_long(m->participants.nl, METHOD_SHORT_MAX, 1))
		add(&es, "participants_nl",
		    N_("The number of participants has at most 200 characters on one line."));
	if (too_long(m->participants.en, METHOD_SHORT_MAX, 1))
		add(&es, "participants_en",
		    N_("The number of participants has at most 200 characters on one line."));
	if (too_long(m->interaction.nl, METHOD_SHORT_MAX, 1))
		add(&es, "interaction_nl",
		    N_("The degree of interaction has at most 200 characters on one line."));
	if (too_long(m->interaction.en, METHOD_SHORT_MAX, 1))
		add(&es, "interaction_en",
		    N_("The degree of interaction has at most 200 characters on one line."));
	if (!method_rung_name(m->rung))
		add(&es, "rung", N_("Choose a rung on the participation ladder."));
	if (m->nsteps == 0)
		add(&es, "step_nl_1", N_("Give at least one step of the step plan, in Dutch."));
	else if (m->nsteps > METHOD_ITEMS_MAX)
		add(&es, "step_nl_1", N_("A step plan has at most 20 steps."));
	check_items(&es, "step", m->steps, m->nsteps);
	if (m->ntips > METHOD_ITEMS_MAX)
		add(&es, "tip_nl_1", N_("A method has at most 20 tips."));
	check_items(&es, "tip", m->tips, m->ntips);
	return es.n < max ? es.n : max;
}

/* ---- saving ------------------------------------------------------------------------ */

static int slug_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > METHOD_SLUG_MAX || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

static void bind_texts(db_stmt *s, const struct method *m, const char *steps, const char *tips)
{
	db_bind_text(s, "name_nl", m->name.nl);
	db_bind_text(s, "name_en", m->name.en ? m->name.en : "");
	db_bind_text(s, "goal_nl", m->goal.nl);
	db_bind_text(s, "goal_en", m->goal.en ? m->goal.en : "");
	db_bind_text(s, "tg_nl", m->target_group.nl ? m->target_group.nl : "");
	db_bind_text(s, "tg_en", m->target_group.en ? m->target_group.en : "");
	db_bind_text(s, "p_nl", m->participants.nl ? m->participants.nl : "");
	db_bind_text(s, "p_en", m->participants.en ? m->participants.en : "");
	db_bind_text(s, "i_nl", m->interaction.nl ? m->interaction.nl : "");
	db_bind_text(s, "i_en", m->interaction.en ? m->interaction.en : "");
	db_bind_text(s, "rung", method_rung_name(m->rung));
	db_bind_text(s, "steps", steps);
	db_bind_text(s, "tips", tips);
}

static void bind_user(db_stmt *s, int64_t user_id)
{
	if (user_id)
		db_bind_int(s, "user", user_id);
	else
		db_bind_null(s, "user");
}

static int update(db *d, struct method_save *j, const char *steps, const char *tips)
{
	db_stmt *s = db_prepare(
	        d, "UPDATE methods SET name_nl = :name_nl, name_en = :name_en, goal_nl = :goal_nl, "
	           "goal_en = :goal_en, target_group_nl = :tg_nl, target_group_en = :tg_en, "
	           "participants_nl = :p_nl, participants_en = :p_en, interaction_nl = :i_nl, "
	           "interaction_en = :i_en, rung = :rung, steps = :steps, tips = :tips, "
	           "updated_at = :now, updated_by = :user WHERE id = :id RETURNING id");
	bind_texts(s, j->m, steps, tips);
	db_bind_int(s, "now", clock_now());
	bind_user(s, j->user_id);
	db_bind_int(s, "id", j->id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc == DB_DONE) {
		j->result = METHOD_NOT_FOUND;
		return DB_OK;
	}
	if (rc != DB_ROW)
		return rc;
	j->saved_id = j->id;
	return DB_OK;
}

static int insert(db *d, struct method_save *j, const char *steps, const char *tips)
{
	const char *base = slug_ok(j->m->slug) ? j->m->slug : "werkvorm";
	/* "naam", then "naam-2", "naam-3"...: a slug once given stays. */
	for (int attempt = 1; attempt <= 1000; attempt++) {
		char slug[METHOD_SLUG_MAX + 1];
		if (attempt == 1)
			snprintf(slug, sizeof slug, "%s", base);
		else {
			char suffix[8];
			int k = snprintf(suffix, sizeof suffix, "-%d", attempt);
			snprintf(slug, sizeof slug, "%.*s%s", METHOD_SLUG_MAX - k, base, suffix);
		}
		db_stmt *s = db_prepare(
		        d,
		        "INSERT INTO methods (slug, name_nl, name_en, goal_nl, goal_en, "
		        "target_group_nl, target_group_en, participants_nl, participants_en, "
		        "interaction_nl, interaction_en, rung, steps, tips, builtin, created_at, "
		        "updated_at, updated_by) VALUES (:slug, :name_nl, :name_en, :goal_nl, "
		        ":goal_en, :tg_nl, :tg_en, :p_nl, :p_en, :i_nl, :i_en, :rung, :steps, "
		        ":tips, "
		        "0, :now, :now, :user) ON CONFLICT (slug) DO NOTHING RETURNING id");
		db_bind_text(s, "slug", slug);
		bind_texts(s, j->m, steps, tips);
		db_bind_int(s, "now", clock_now());
		bind_user(s, j->user_id);
		int rc = db_step(s);
		if (rc == DB_ROW)
			j->saved_id = db_col_int(s, 0);
		db_finalize(s);
		if (rc == DB_ROW)
			return DB_OK;
		if (rc != DB_DONE)
			return rc;
	}
	return DB_CONSTRAINT;
}

int method_save_write(db *d, void *ctx)
{
	struct method_save *j = ctx;
	j->result = METHOD_OK;
	j->saved_id = 0;
	char *steps = items_to_json(j->m->steps, j->m->nsteps);
	char *tips = items_to_json(j->m->tips, j->m->ntips);
	int rc = j->id ? update(d, j, steps, tips) : insert(d, j, steps, tips);
	free(steps);
	free(tips);
	return rc;
}
