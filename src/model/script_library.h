/* script_library.h: the script library: ready-to-use templates compiled into the binary. */
#ifndef VP_SCRIPT_LIBRARY_H
#define VP_SCRIPT_LIBRARY_H

#include "db/db.h"
#include "model/script.h"
#include "model/script_store.h"
#include "model/upload.h"

#include <stddef.h>

/* The templates are the embedded JSON files of templates/scripts; images
 * they refer to by name (a pin question's "image": "voorbeeldkaart") are
 * embedded files of the same group ("voorbeeldkaart.png"). */
size_t script_library_count(void);
/* The i-th template's file name ("open-vertelpunt.json") and text. */
const char *script_library_name(size_t i);
/* The i-th template's JSON text (NUL-terminated), for the formats that
 * guide a talk with it (model/mirror.c, model/initiative.c). */
const char *script_library_text(size_t i);
/* The template called name, with or without ".json"; -1 when none. */
int script_library_find(const char *name);

/* Installing a template: prepare parses it and, when a pin question uses
 * a library image, stores that image in upload_dir as a new upload (with
 * a fresh token the question now points at); the writer job then adds the
 * upload's row and the script (as script_save_write does); when the job
 * did not store the script, abandon removes the image file again. Always
 * call script_library_done to free what prepare made. */
struct script_library_job {
	struct script_save_job save; /* org_id and user_id set by the caller */
	struct script *script;
	int has_upload;
	struct upload up;
	char upload_dir[512];
};
/* 0, or -1 with a message in err (nothing stored). */
int script_library_prepare(int index, const char *upload_dir, struct script_library_job *j,
                           char *err, size_t errlen);
int script_library_write(db *d, void *ctx);
void script_library_abandon(struct script_library_job *j);
void script_library_done(struct script_library_job *j);

#endif
