/* embedded.h: files compiled into the binary by tools/embed.c (see the Makefile). */
#ifndef VP_EMBEDDED_H
#define VP_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;
	const unsigned char *data; /* followed by a NUL byte not counted in len */
	size_t len;
};

extern const struct embedded_file embedded_assets[];
extern const size_t embedded_assets_count;
extern const struct embedded_file embedded_migrations[];
extern const size_t embedded_migrations_count;
extern const struct embedded_file embedded_catalogs[];
extern const size_t embedded_catalogs_count;
/* The script library (the JSON files in templates/scripts). */
extern const struct embedded_file embedded_templates[];
extern const size_t embedded_templates_count;

#endif
