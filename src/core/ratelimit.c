/* ratelimit.c: sharded token buckets with a fixed memory budget. */
#include "core/ratelimit.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum { SHARDS = 64, SLOTS = 1024, PROBES = 16 };

struct bucket {
	uint64_t key;  /* 0: empty */
	int64_t at_ms; /* last refill */
	double tokens;
};

struct shard {
	pthread_mutex_t mu;
	struct bucket b[SLOTS];
};

struct ratelimit {
	double per_ms, burst;
	unsigned char hash_key[crypto_shorthash_KEYBYTES];
	struct shard shards[SHARDS];
};

ratelimit *ratelimit_new(int per_minute, int burst)
{
	assert(per_minute >= 0 && burst >= 0);
	ratelimit *rl = calloc(1, sizeof *rl);
	if (!rl)
		abort();
	rl->per_ms = per_minute / 60000.0;
	rl->burst = burst > 0 ? burst : 1;
	/* A keyed hash: nobody can pick keys that collide on purpose. */
	crypto_shorthash_keygen(rl->hash_key);
	for (int i = 0; i < SHARDS; i++)
		pthread_mutex_init(&rl->shards[i].mu, NULL);
	return rl;
}

void ratelimit_free(ratelimit *rl)
{
	if (!rl)
		return;
	for (int i = 0; i < SHARDS; i++)
		pthread_mutex_destroy(&rl->shards[i].mu);
	free(rl);
}

int ratelimit_take(ratelimit *rl, const char *key, int64_t now_ms, int *retry_after_s)
{
	assert(rl && key);
	if (retry_after_s)
		*retry_after_s = 0;
	if (rl->per_ms <= 0)
		return 1;
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, (const unsigned char *)key, strlen(key), rl->hash_key);
	uint64_t k;
	memcpy(&k, h, sizeof k);
	if (k == 0)
		k = 1;
	struct shard *sh = &rl->shards[k % SHARDS];
	size_t start = (size_t)((k / SHARDS) % SLOTS);
	pthread_mutex_lock(&sh->mu);
	struct bucket *hit = NULL, *oldest = NULL;
	for (int i = 0; i < PROBES; i++) {
		struct bucket *b = &sh->b[(start + (size_t)i) % SLOTS];
		if (b->key == k) {
			hit = b;
			break;
		}
		if (!oldest || b->key == 0 || (oldest->key != 0 && b->at_ms < oldest->at_ms))
			oldest = b;
	}
	if (!hit) {
		hit = oldest;
		hit->key = k;
		hit->at_ms = now_ms;
		hit->tokens = rl->burst;
	}
	double t = hit->tokens + (double)(now_ms - hit->at_ms) * rl->per_ms;
	if (t > rl->burst)
		t = rl->burst;
	hit->at_ms = now_ms;
	int ok = t >= 1.0;
	if (ok)
		t -= 1.0;
	else if (retry_after_s)
		*retry_after_s = (int)ceil((1.0 - t) / rl->per_ms / 1000.0 - 1e-9);
	hit->tokens = t;
	pthread_mutex_unlock(&sh->mu);
	return ok;
}
