/* arena.h: region allocation for everything that lives as long as one request. */
#ifndef VP_ARENA_H
#define VP_ARENA_H

#include <stddef.h>

/* An arena hands out memory that is freed all at once by arena_free. It is
 * not thread-safe: one arena belongs to one request. Out of memory aborts. */
typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t n);  /* 16-byte aligned, not zeroed */
void *arena_zalloc(arena *a, size_t n); /* zeroed */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
size_t arena_used(const arena *a);

#endif
