/* arena.c: a chain of blocks; large requests get a block of their own. */
#include "core/arena.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_BLOCK = 16384, ARENA_ALIGN = 16 };

struct block {
	struct block *next;
	size_t used;
	size_t cap;
	_Alignas(16) unsigned char mem[];
};

struct arena {
	struct block *head;
	size_t total;
};

static struct block *block_new(size_t cap)
{
	struct block *b = malloc(sizeof *b + cap);
	if (!b)
		abort();
	b->next = NULL;
	b->used = 0;
	b->cap = cap;
	return b;
}

arena *arena_new(void)
{
	arena *a = malloc(sizeof *a);
	if (!a)
		abort();
	a->head = block_new(ARENA_BLOCK);
	a->total = 0;
	return a;
}

void arena_free(arena *a)
{
	if (!a)
		return;
	struct block *b = a->head;
	while (b) {
		struct block *n = b->next;
		free(b);
		b = n;
	}
	free(a);
}

void *arena_alloc(arena *a, size_t n)
{
	assert(a);
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ARENA_ALIGN)
		abort();
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	a->total += need;
	if (need > ARENA_BLOCK / 4) {
		/* A big allocation gets its own block behind the head so the
		 * head's free space stays usable for small ones. */
		struct block *b = block_new(need);
		b->used = need;
		b->next = a->head->next;
		a->head->next = b;
		return b->mem;
	}
	if (a->head->cap - a->head->used < need) {
		struct block *b = block_new(ARENA_BLOCK);
		b->next = a->head;
		a->head = b;
	}
	void *p = a->head->mem + a->head->used;
	a->head->used += need;
	return p;
}

void *arena_zalloc(arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	memset(p, 0, n ? n : 1);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	assert(s);
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	assert(s);
	return arena_strndup(a, s, strlen(s));
}

size_t arena_used(const arena *a)
{
	assert(a);
	return a->total;
}
