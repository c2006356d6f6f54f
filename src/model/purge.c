/* purge.c: removes what has passed its retention period, and says so in the access log. */
#include "model/purge.h"

#include "analysis/index.h"
#include "analysis/search.h"
#include "model/audit.h"
#include "model/outbox.h"
#include "model/dialogue.h"
#include "model/participant.h"
#include "model/upload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int log_purge(struct purge_job *j, db *d, const char *object_type, const char *object_id,
                     const char *detail)
{
	struct audit_entry e = {.at = j->now,
	                        .actor = j->actor,
	                        .action = "delete",
	                        .object_type = object_type,
	                        .object_id = object_id,
	                        .origin = j->origin,
	                        .detail = detail};
	return audit_append(d, &e);
}

/* Stories past their collection's retention period, one collection at a
 * time, so the log says how many of which collection went. */
static int purge_stories(struct purge_job *j, db *d)
{
	db_stmt *s = db_prepare(
	        d,
	        "SELECT c.id, c.retention_days, COUNT(st.id) FROM collections c JOIN stories st "
	        "ON st.collection_id = c.id WHERE st.created_at <= :now - c.retention_days * 86400 "
	        "GROUP BY c.id, c.retention_days ORDER BY c.id");
	db_bind_int(s, "now", j->now);
	int rc;
	struct {
		int64_t id, days, n;
	} batch[64];
	int nb = 0;
	while ((rc = db_step(s)) == DB_ROW && nb < 64) {
		batch[nb].id = db_col_int(s, 0);
		batch[nb].days = db_col_int(s, 1);
		batch[nb].n = db_col_int(s, 2);
		nb++;
	}
	db_finalize(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc;
	for (int i = 0; i < nb; i++) {
		s = db_prepare(d, "DELETE FROM stories WHERE collection_id = :c AND "
		                  "created_at <= :now - :days * 86400");
		db_bind_int(s, "c", batch[i].id);
		db_bind_int(s, "now", j->now);
		db_bind_int(s, "days", batch[i].days);
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc;
		int64_t n = db_changes(d);
		j->stories += n;
		if (n > 0) /* every instance's index, at commit */
			db_notify(d, AIX_NOTIFY_CHANNEL);
		if ((rc = search_forget_deleted(d)) != DB_OK) /* their texts out of search */
			return rc;
		char id[24], detail[128];
		snprintf(id, sizeof id, "%lld", (long long)batch[i].id);
		snprintf(detail, sizeof detail,
		         "%lld stories past the retention period of %lld days", (long long)n,
		         (long long)batch[i].days);
		if ((rc = log_purge(j, d, "collection", id, detail)) != DB_OK)
			return rc;
	}
	return DB_OK;
}

static int purge_drafts(struct purge_job *j, db *d)
{
	if (db_table_exists(d, "story_drafts") != 1)
		return DB_OK;
	db_stmt *s = db_prepare(d, "DELETE FROM story_drafts WHERE expires_at <= :now");
	db_bind_int(s, "now", j->now);
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	j->drafts = db_changes(d);
	/* The receipts a browser may see again after sending (an hour). */
	if (db_table_exists(d, "story_drafts_sent") == 1) {
		s = db_prepare(d, "DELETE FROM story_drafts_sent WHERE expires_at <= :now");
		db_bind_int(s, "now", j->now);
		rc = db_step(s);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc;
	}
	if (j->drafts == 0)
		return DB_OK;
	char detail[96];
	snprintf(detail, sizeof detail, "%lld unfinished stories past their expiry",
	         (long long)j->drafts);
	return log_purge(j, d, "story_draft", "expired", detail);
}

static int purge_uploads(struct purge_job *j, db *d)
{
	db_stmt *s = db_prepare(d, "DELETE FROM uploads WHERE created_at <= :cutoff AND NOT EXISTS "
	                           "(SELECT 1 FROM script_versions v WHERE v.body LIKE "
	                           "'%' || uploads.token || '%') RETURNING token");
	db_bind_int(s, "cutoff", j->now - (int64_t)PURGE_UPLOAD_GRACE_DAYS * 86400);
	int rc;
	size_t cap = 0;
	while ((rc = db_step(s)) == DB_ROW) {
		if (j->ntokens == cap) {
			cap = cap ? cap * 2 : 16;
			j->tokens = realloc(j->tokens, cap * sizeof *j->tokens);
			if (!j->tokens)
				abort();
		}
		snprintf(j->tokens[j->ntokens++], 33, "%s", db_col_text(s, 0));
	}
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	j->uploads = (int64_t)j->ntokens;
	if (j->uploads == 0)
		return DB_OK;
	char detail[96];
	snprintf(detail, sizeof detail, "%lld uploaded images no script uses",
	         (long long)j->uploads);
	return log_purge(j, d, "upload", "unused", detail);
}

/* The texts and recipients of old e-mails (model/outbox.h). */
static int purge_mail(struct purge_job *j, db *d)
{
	j->mail = outbox_purge(d, j->now);
	if (j->mail < 0)
		return DB_ERROR;
	if (j->mail == 0)
		return DB_OK;
	char detail[96];
	snprintf(detail, sizeof detail, "the recipient and texts of %lld sent or failed e-mails",
	         (long long)j->mail);
	return log_purge(j, d, "outbox", "expired", detail);
}

/* 1 when nothing refers to participant id any more: no story, no place at
 * a conversation, no contact request, no citizen initiative. */
static int participant_unused(db *d, int64_t id)
{
	db_stmt *s = db_prepare(
	        d,
	        "SELECT (SELECT count(*) FROM stories WHERE participant_id = :p) + (SELECT "
	        "count(*) FROM conversation_people WHERE participant_id = :p) + (SELECT count(*) "
	        "FROM contact_requests WHERE participant_id = :p) + (SELECT count(*) FROM "
	        "initiative_people WHERE participant_id = :p)");
	db_bind_int(s, "p", id);
	int rc = db_step(s);
	int unused = rc == DB_ROW && db_col_int(s, 0) == 0;
	db_finalize(s);
	return rc == DB_ROW ? unused : rc < 0 ? rc : -1;
}

/* Closed trajectories past their retention period (counted from closing):
 * their conversations (people, appointments, notes, points, feedback) and
 * contact requests go, and the contact data of people nothing else refers
 * to is erased. What the trajectory says about itself stays: it has no
 * personal data, and its public page tells what was done with the input. */
static int purge_trajectories(struct purge_job *j, db *d)
{
	if (db_table_exists(d, "trajectories") != 1)
		return DB_OK;
	db_stmt *s = db_prepare(
	        d, "SELECT t.id, t.retention_days FROM trajectories t WHERE t.status = 'closed' "
	           "AND t.closed_at <= :now - t.retention_days * 86400 AND (EXISTS (SELECT 1 FROM "
	           "conversations c WHERE c.trajectory_id = t.id) OR EXISTS (SELECT 1 FROM "
	           "contact_requests r WHERE r.trajectory_id = t.id)) ORDER BY t.id LIMIT 64");
	db_bind_int(s, "now", j->now);
	int64_t ids[64], days[64];
	int n = 0, rc;
	while (n < 64 && (rc = db_step(s)) == DB_ROW) {
		ids[n] = db_col_int(s, 0);
		days[n] = db_col_int(s, 1);
		n++;
	}
	db_finalize(s);
	for (int i = 0; i < n; i++) {
		/* who took part, before their places go */
		s = db_prepare(
		        d, "SELECT p.participant_id FROM conversation_people p JOIN "
		           "conversations c ON c.id = p.conversation_id WHERE c.trajectory_id = "
		           ":t AND p.participant_id IS NOT NULL UNION SELECT participant_id FROM "
		           "contact_requests WHERE trajectory_id = :t AND participant_id IS NOT "
		           "NULL");
		db_bind_int(s, "t", ids[i]);
		int64_t *people;
		size_t npeople;
		rc = db_collect_ids(s, &people, &npeople);
		db_finalize(s);
		if (rc != DB_DONE)
			return rc;
		int64_t conversations = 0, requests = 0, erased = 0;
		s = db_prepare(d, "DELETE FROM conversations WHERE trajectory_id = :t");
		db_bind_int(s, "t", ids[i]);
		rc = db_step(s);
		db_finalize(s);
		conversations = db_changes(d);
		if (rc == DB_DONE) {
			s = db_prepare(d, "DELETE FROM contact_requests WHERE trajectory_id = :t");
			db_bind_int(s, "t", ids[i]);
			rc = db_step(s);
			db_finalize(s);
			requests = db_changes(d);
		}
		for (size_t k = 0; k < npeople && rc == DB_DONE; k++) {
			int unused = participant_unused(d, people[k]);
			if (unused < 0)
				rc = unused;
			else if (unused && participant_erase(d, people[k]) == DB_OK)
				erased++;
		}
		free(people);
		if (rc != DB_DONE)
			return rc;
		j->trajectories++;
		char id[24], detail[200];
		snprintf(id, sizeof id, "%lld", (long long)ids[i]);
		snprintf(detail, sizeof detail,
		         "%lld conversations, %lld contact requests and the contact data of %lld "
		         "people, %lld days after closing",
		         (long long)conversations, (long long)requests, (long long)erased,
		         (long long)days[i]);
		if ((rc = log_purge(j, d, "trajectory", id, detail)) != DB_OK)
			return rc;
	}
	return DB_OK;
}

/* Dialogue tables of closed trajectories past their retention period
 * (model/dialogue.h: sessions, registrations, turns, notes; the contact
 * data of people nothing else refers to). */
static int purge_dialogue(struct purge_job *j, db *d)
{
	if (db_table_exists(d, "dialogue_sessions") != 1)
		return DB_OK;
	db_stmt *s = db_prepare(
	        d, "SELECT t.id FROM trajectories t WHERE t.status = 'closed' AND t.closed_at <= "
	           ":now - t.retention_days * 86400 AND EXISTS (SELECT 1 FROM dialogue_sessions "
	           "x WHERE x.trajectory_id = t.id) ORDER BY t.id LIMIT 64");
	db_bind_int(s, "now", j->now);
	int64_t *ids;
	size_t n;
	int rc = db_collect_ids(s, &ids, &n);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	rc = DB_OK;
	for (size_t i = 0; i < n && rc == DB_OK; i++) {
		int64_t sessions = 0, erased = 0;
		rc = dialogue_purge_trajectory(d, ids[i], &sessions, &erased);
		if (rc != DB_OK)
			break;
		j->trajectories++;
		char id[24], detail[160];
		snprintf(id, sizeof id, "%lld", (long long)ids[i]);
		snprintf(detail, sizeof detail,
		         "%lld dialogue sessions with their registrations, and the contact data of "
		         "%lld people",
		         (long long)sessions, (long long)erased);
		rc = log_purge(j, d, "trajectory", id, detail);
	}
	free(ids);
	return rc;
}

int purge_write(db *d, void *ctx)
{
	struct purge_job *j = ctx;
	j->stories = j->drafts = j->uploads = 0;
	j->mail = 0;
	j->trajectories = 0;
	free(j->tokens);
	j->tokens = NULL;
	j->ntokens = 0;
	int rc = purge_stories(j, d);
	if (rc == DB_OK)
		rc = purge_drafts(j, d);
	if (rc == DB_OK)
		rc = purge_uploads(j, d);
	if (rc == DB_OK)
		rc = purge_mail(j, d);
	if (rc == DB_OK)
		rc = purge_trajectories(j, d);
	if (rc == DB_OK)
		rc = purge_dialogue(j, d);
	return rc;
}

void purge_remove_files(struct purge_job *j, const char *upload_dir)
{
	for (size_t i = 0; i < j->ntokens; i++)
		if (upload_token_valid(j->tokens[i]))
			upload_file_remove(upload_dir, j->tokens[i]);
}

void purge_job_free(struct purge_job *j)
{
	free(j->tokens);
	j->tokens = NULL;
	j->ntokens = 0;
}
