/* consent.c: consent given and withdrawn, with the text shown kept by hash. */
#include "model/consent.h"

#include "core/clock.h"
#include "core/msg.h"
#include "core/util.h"

#include <sodium.h>
#include <string.h>

static const char *channels[] = {"web", "kiosk", "face-to-face", "phone", "paper", "cli"};

int consent_channel_ok(const char *channel)
{
	for (size_t i = 0; channel && i < sizeof channels / sizeof channels[0]; i++)
		if (strcmp(channel, channels[i]) == 0)
			return 1;
	return 0;
}

static int short_text_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return n > 0 && n <= CONSENT_FIELD_MAX && util_utf8_clean(s, n) && !strpbrk(s, "\r\n\t");
}

const char *consent_check(const char *purpose, const char *text_version, const char *text,
                          const char *channel)
{
	if (!short_text_ok(purpose) || !short_text_ok(text_version))
		return N_("Give the purpose and the version of the consent text.");
	size_t n = text ? strlen(text) : 0;
	if (n == 0 || n > CONSENT_TEXT_MAX || !util_utf8_clean(text, n))
		return N_("Give the consent text as it was shown (at most 20000 characters).");
	if (!consent_channel_ok(channel))
		return N_("The channel is one of: web, kiosk, face-to-face, phone, paper.");
	return NULL;
}

int consent_text_put(db *d, const char *text, char hash[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
	util_hex(h, sizeof h, hash);
	db_stmt *s = db_prepare(d, "INSERT INTO consent_texts (hash, text, created_at) "
	                           "VALUES (:hash, :text, :at) ON CONFLICT (hash) DO NOTHING");
	db_bind_text(s, "hash", hash);
	db_bind_text(s, "text", text);
	db_bind_int(s, "at", clock_now());
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int consent_record(db *d, int64_t participant_id, const char *purpose, const char *text_version,
                   const char *text, const char *channel, int64_t *id_out)
{
	char hash[65];
	int rc = consent_text_put(d, text, hash);
	if (rc != DB_OK)
		return rc;
	db_stmt *s;
	s = db_prepare(d,
	               "INSERT INTO consents (participant_id, purpose, text_version, text_hash, "
	               "channel, given_at) VALUES (:p, :purpose, :version, :hash, :channel, :at) "
	               "RETURNING id");
	db_bind_int(s, "p", participant_id);
	db_bind_text(s, "purpose", purpose);
	db_bind_text(s, "version", text_version);
	db_bind_text(s, "hash", hash);
	db_bind_text(s, "channel", channel);
	db_bind_int(s, "at", clock_now());
	rc = db_step(s);
	if (rc == DB_ROW && id_out)
		*id_out = db_col_int(s, 0);
	db_finalize(s);
	return rc == DB_ROW ? DB_OK : rc;
}

int consent_withdraw(db *d, int64_t participant_id, int64_t consent_id, const char *channel)
{
	db_stmt *s = db_prepare(d, "UPDATE consents SET withdrawn_at = :at, "
	                           "withdrawn_channel = :channel WHERE id = :id "
	                           "AND participant_id = :p AND withdrawn_at IS NULL");
	db_bind_int(s, "at", clock_now());
	db_bind_text(s, "channel", channel);
	db_bind_int(s, "id", consent_id);
	db_bind_int(s, "p", participant_id);
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return rc;
	return db_changes(d) > 0 ? DB_OK : DB_DONE;
}

int consent_list_json(db *d, int64_t participant_id, buf *out)
{
	db_stmt *s =
	        db_prepare(d, "SELECT c.id, c.purpose, c.text_version, c.text_hash, c.channel, "
	                      "c.given_at, c.withdrawn_at, c.withdrawn_channel, t.text "
	                      "FROM consents c JOIN consent_texts t ON t.hash = c.text_hash "
	                      "WHERE c.participant_id = :p ORDER BY c.id");
	db_bind_int(s, "p", participant_id);
	int rc, first = 1;
	buf_putc(out, '[');
	while ((rc = db_step(s)) == DB_ROW) {
		char given[21], withdrawn[21];
		clock_iso(db_col_int(s, 5), given);
		buf_printf(out, "%s{\"id\":%lld,\"purpose\":", first ? "" : ",",
		           (long long)db_col_int(s, 0));
		first = 0;
		buf_json_str(out, db_col_text(s, 1));
		buf_puts(out, ",\"text_version\":");
		buf_json_str(out, db_col_text(s, 2));
		buf_puts(out, ",\"text_hash\":");
		buf_json_str(out, db_col_text(s, 3));
		buf_puts(out, ",\"channel\":");
		buf_json_str(out, db_col_text(s, 4));
		buf_printf(out, ",\"given_at\":\"%s\",\"withdrawn_at\":", given);
		if (db_col_is_null(s, 6)) {
			buf_puts(out, "null,\"withdrawn_channel\":null");
		} else {
			clock_iso(db_col_int(s, 6), withdrawn);
			buf_printf(out, "\"%s\",\"withdrawn_channel\":", withdrawn);
			buf_json_str(out, db_col_text(s, 7));
		}
		buf_puts(out, ",\"text\":");
		buf_json_str(out, db_col_text(s, 8));
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int consent_active(db *d, int64_t participant_id, const char *purpose)
{
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM consents WHERE participant_id = :p "
	                           "AND purpose = :purpose AND withdrawn_at IS NULL");
	db_bind_int(s, "p", participant_id);
	db_bind_text(s, "purpose", purpose);
	int n = db_step(s) == DB_ROW ? (int)db_col_int(s, 0) : 0;
	db_finalize(s);
	return n > 0;
}
