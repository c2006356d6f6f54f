/* participant.h: residents and clients by pseudonymous code, with their contact data sealed. */
#ifndef VP_PARTICIPANT_H
#define VP_PARTICIPANT_H

#include "core/buf.h"
#include "core/vault.h"
#include "db/db.h"

#include <jansson.h>
#include <stdint.h>

enum { PARTICIPANT_CODE_LEN = 12, CONTACT_FIELD_MAX = 500 };

/* Contact details as given (any may be NULL or ""). */
struct contact {
	const char *name;
	const char *address;
	const char *phone;
	const char *email;
};

/* NULL when fine, else an English message id. */
const char *contact_check(const struct contact *c);
/* Normalisations used for the blind indexes: e-mail trimmed and lower-case;
 * phone digits only, +31/0031 written as 0; name lower-case with single
 * spaces. out has room for CONTACT_FIELD_MAX + 1 bytes. */
void contact_norm_email(const char *in, char *out);
void contact_norm_phone(const char *in, char *out);
void contact_norm_name(const char *in, char *out);

/* Creates a participant with a fresh code ("VP-XXXX-XXXX") and, if any
 * field is given, its sealed contact data. Writer job. */
int participant_create(db *d, const vault *v, const struct contact *c,
                       char code_out[PARTICIPANT_CODE_LEN + 1], int64_t *id_out);
/* Corrects the contact data: a field given (non-NULL) replaces the stored
 * one ("" removes it); a NULL field keeps what is stored. DB_DONE when no
 * such participant, DB_ERROR when the stored data does not open. */
int participant_set_contact(db *d, const vault *v, int64_t id, const struct contact *c);
/* Appends a JSON array of the participants matching query: a participant
 * code, or an e-mail address, phone number or name (exact after
 * normalisation). Each element: {"id","code","created_at","contact":{...}}.
 * Opening the contact data needs the vault; a value that does not open is
 * reported as "contact":null with "contact_error":true. */
int participant_find_json(db *d, const vault *v, const char *query, buf *out);
/* Opens the contact data of participant id into *out, a JSON object
 * ({"name","address","phone","email"}, only those stored; empty when none
 * or no such participant); json_decref it. DB_OK, or DB_ERROR (and *out
 * NULL) when the stored data does not open. */
int participant_contact_open(db *d, const vault *v, int64_t id, json_t **out);
/* The id of the participant with code (case-insensitive): DB_ROW or DB_DONE. */
int participant_by_code(db *d, const char *code, int64_t *id_out,
                        char code_out[PARTICIPANT_CODE_LEN + 1]);
/* Everything stored about one participant as one JSON object: the
 * participant with its contact data, its consents and the access log
 * entries about it ("who has seen my data"). */
int participant_export_json(db *d, const vault *v, int64_t id, buf *out);
/* Erases the participant with its contact data and consents (the access
 * log keeps the pseudonymous code only). Writer job. DB_DONE when absent. */
int participant_erase(db *d, int64_t id);

/* Re-seals every contact with the vault's active key and recomputes the
 * indexes (key rotation). Writer job. Returns rows re-sealed, or -1. */
int64_t participant_reseal_all(db *d, const vault *v);

#endif
