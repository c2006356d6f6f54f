/* i18n.c: lookup in GNU .mo catalogs embedded in the binary (binary search on the sorted msgids). */
#include "web/i18n.h"

#include "gen/embedded.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

struct catalog {
	const char *lang;
	const unsigned char *data;
	size_t len;
	uint32_t n, orig, trans;
	int swap;
};

static struct catalog catalogs[4];
static int ncatalogs;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static uint32_t rd(const struct catalog *c, size_t off)
{
	uint32_t v;
	memcpy(&v, c->data + off, 4);
	if (c->swap)
		v = __builtin_bswap32(v);
	return v;
}

/* Checks the header and that every table entry lies inside the file. */
static int load(struct catalog *c)
{
	if (c->len < 28)
		return -1;
	uint32_t magic;
	memcpy(&magic, c->data, 4);
	if (magic == 0x950412de)
		c->swap = 0;
	else if (magic == 0xde120495)
		c->swap = 1;
	else
		return -1;
	c->n = rd(c, 8);
	c->orig = rd(c, 12);
	c->trans = rd(c, 16);
	if ((uint64_t)c->orig + 8ull * c->n > c->len || (uint64_t)c->trans + 8ull * c->n > c->len)
		return -1;
	for (uint32_t i = 0; i < c->n; i++) {
		for (int t = 0; t < 2; t++) {
			uint32_t base = t ? c->trans : c->orig;
			uint32_t l = rd(c, base + 8 * i), o = rd(c, base + 8 * i + 4);
			if ((uint64_t)o + l + 1 > c->len || c->data[o + l] != '\0')
				return -1;
		}
	}
	return 0;
}

static void init(void)
{
	for (size_t i = 0; i < embedded_catalogs_count && ncatalogs < 4; i++) {
		struct catalog *c = &catalogs[ncatalogs];
		c->lang = embedded_catalogs[i].name;
		c->data = embedded_catalogs[i].data;
		c->len = embedded_catalogs[i].len;
		if (load(c) == 0)
			ncatalogs++;
	}
}

int i18n_has(const char *lang)
{
	return lang && (strcmp(lang, "nl") == 0 || strcmp(lang, "en") == 0);
}

const char *i18n_negotiate(const char *accept_language)
{
	(void)accept_language;
	return "nl";
}

const char *i18n_get(const char *lang, const char *msgid)
{
	pthread_once(&once, init);
	if (!lang || !msgid || !*msgid)
		return msgid; /* "" would find the catalog's header entry */
	for (int k = 0; k < ncatalogs; k++) {
		const struct catalog *c = &catalogs[k];
		if (strcmp(c->lang, lang) != 0)
			continue;
		uint32_t lo = 0, hi = c->n;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			const char *o = (const char *)c->data + rd(c, c->orig + 8 * mid + 4);
			int cmp = strcmp(msgid, o);
			if (cmp == 0) {
				uint32_t tl = rd(c, c->trans + 8 * mid);
				const char *t =
				        (const char *)c->data + rd(c, c->trans + 8 * mid + 4);
				return tl ? t : msgid;
			}
			if (cmp < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		return msgid;
	}
	return msgid;
}
