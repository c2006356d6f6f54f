/* consent.h: consent records: the exact text shown, time, channel, and withdrawal. */
#ifndef VP_CONSENT_H
#define VP_CONSENT_H

#include "core/buf.h"
#include "db/db.h"

#include <stdint.h>

enum { CONSENT_TEXT_MAX = 20000, CONSENT_FIELD_MAX = 200 };

/* 1 when channel is one of web, kiosk, face-to-face, phone, paper, cli. */
int consent_channel_ok(const char *channel);
/* NULL when fine, else an English message id. */
const char *consent_check(const char *purpose, const char *text_version, const char *text,
                          const char *channel);
/* Records consent of participant_id for purpose, with the exact text that
 * was shown (stored once by its hash). Writer job. DB_CONSTRAINT when the
 * participant does not exist. */
/* Keeps a consent text once, by the hex BLAKE2b-256 hash of its bytes
 * (written to hash): the exact text a person agreed to. DB_OK or an error. */
int consent_text_put(db *d, const char *text, char hash[65]);
int consent_record(db *d, int64_t participant_id, const char *purpose, const char *text_version,
                   const char *text, const char *channel, int64_t *id_out);
/* Records withdrawal of participant_id's consent consent_id. DB_DONE when
 * that participant has no such consent or it was withdrawn already. Writer
 * job. */
int consent_withdraw(db *d, int64_t participant_id, int64_t consent_id, const char *channel);
/* Appends a JSON array of participant_id's consents, oldest first, each
 * with the text shown. */
int consent_list_json(db *d, int64_t participant_id, buf *out);
/* 1 when participant_id has an unwithdrawn consent for purpose. */
int consent_active(db *d, int64_t participant_id, const char *purpose);

#endif
