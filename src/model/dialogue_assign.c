/* dialogue_assign.c: placing the registered people of a dialogue session at its tables, balanced over the characteristics they gave (pure, deterministic for a seed). */
#include "model/dialogue_assign.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: a small, well-mixed generator; the seed fixes the order. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int traits_ok(const struct dialogue_people *p)
{
	if (p->k < 0 || p->k > DIALOGUE_TRAITS_MAX || (p->n > 0 && p->k > 0 && !p->traits))
		return 0;
	for (size_t i = 0; i < p->n * (size_t)p->k; i++)
		if (p->traits[i] < 0 || p->traits[i] >= DIALOGUE_CATEGORIES_MAX)
			return 0;
	return 1;
}

/* Counts per (table, characteristic, category), and per (characteristic,
 * category) over everyone. */
struct tally {
	int ntables, k;
	double *count; /* [t][c][v] */
	double *total; /* [c][v] */
};

static size_t at3(const struct tally *y, int t, int c, int v)
{
	return ((size_t)t * (size_t)y->k + (size_t)c) * DIALOGUE_CATEGORIES_MAX + (size_t)v;
}

static int tally_init(struct tally *y, const struct dialogue_people *p, int ntables)
{
	y->ntables = ntables;
	y->k = p->k;
	size_t cells = (size_t)ntables * (size_t)(p->k ? p->k : 1) * DIALOGUE_CATEGORIES_MAX;
	y->count = calloc(cells, sizeof *y->count);
	y->total = calloc((size_t)(p->k ? p->k : 1) * DIALOGUE_CATEGORIES_MAX, sizeof *y->total);
	if (!y->count || !y->total)
		abort();
	for (size_t i = 0; i < p->n; i++)
		for (int c = 0; c < p->k; c++)
			y->total[(size_t)c * DIALOGUE_CATEGORIES_MAX +
			         (size_t)p->traits[i * (size_t)p->k + (size_t)c]] += 1;
	return 0;
}

static void tally_free(struct tally *y)
{
	free(y->count);
	free(y->total);
}

/* How many of category v of characteristic c table t would have if it
 * mirrored the whole group at its size. */
static double expected(const struct tally *y, int c, int v, double size, double n)
{
	return n > 0 ? y->total[(size_t)c * DIALOGUE_CATEGORIES_MAX + (size_t)v] * size / n : 0;
}

double dialogue_imbalance(const struct dialogue_people *p, int ntables, const int *table,
                          double *per_table)
{
	assert(p && table && ntables >= 1 && traits_ok(p));
	struct tally y;
	tally_init(&y, p, ntables);
	double *size = calloc((size_t)ntables, sizeof *size);
	if (!size)
		abort();
	for (size_t i = 0; i < p->n; i++) {
		assert(table[i] >= 0 && table[i] < ntables);
		size[table[i]] += 1;
		for (int c = 0; c < p->k; c++)
			y.count[at3(&y, table[i], c, p->traits[i * (size_t)p->k + (size_t)c])] += 1;
	}
	double sum = 0;
	for (int t = 0; t < ntables; t++) {
		double part = 0;
		for (int c = 0; c < p->k; c++)
			for (int v = 0; v < DIALOGUE_CATEGORIES_MAX; v++) {
				if (y.total[(size_t)c * DIALOGUE_CATEGORIES_MAX + (size_t)v] == 0)
					continue;
				double dv = y.count[at3(&y, t, c, v)] -
				            expected(&y, c, v, size[t], (double)p->n);
				part += dv * dv;
			}
		if (per_table)
			per_table[t] = part;
		sum += part;
	}
	free(size);
	tally_free(&y);
	return sum;
}

int dialogue_assign(const struct dialogue_people *p, int ntables, const int *capacity,
                    uint64_t seed, int *table_out)
{
	assert(p && capacity && table_out);
	if (ntables < 1 || !traits_ok(p))
		return -1;
	size_t room = 0;
	for (int t = 0; t < ntables; t++)
		room += capacity[t] > 0 ? (size_t)capacity[t] : 0;
	if (room < p->n)
		return -1;
	size_t n = p->n;
	int k = p->k;
	/* The sizes the tables end with: as even as the capacities allow, one
	 * at a time to the table with the fewest that still has room. */
	int *target = calloc((size_t)ntables, sizeof *target);
	int *filled = calloc((size_t)ntables, sizeof *filled);
	size_t *order = malloc((n ? n : 1) * sizeof *order);
	int *place = malloc((n ? n : 1) * sizeof *place);
	if (!target || !filled || !order || !place)
		abort();
	for (size_t i = 0; i < n; i++) {
		int best = -1;
		for (int t = 0; t < ntables; t++)
			if (target[t] < capacity[t] && (best < 0 || target[t] < target[best]))
				best = t;
		target[best]++;
	}
	/* The order people are placed in, shuffled by the seed (Fisher-Yates). */
	uint64_t state = seed;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(next_random(&state) % i);
		size_t tmp = order[i - 1];
		order[i - 1] = order[j];
		order[j] = tmp;
	}
	struct tally y;
	tally_init(&y, p, ntables);
#define TRAIT(i, c)     (p->traits[(i) * (size_t)k + (size_t)(c)])
#define EXPECT(t, c, v) expected(&y, (c), (v), (double)target[(t)], (double)n)
	/* Greedy: each to the table with room where they add the least. */
	for (size_t o = 0; o < n; o++) {
		size_t i = order[o];
		int best = -1;
		double best_delta = 0, best_left = 0;
		for (int t = 0; t < ntables; t++) {
			if (filled[t] >= target[t])
				continue;
			double delta = 0;
			for (int c = 0; c < k; c++) {
				int v = TRAIT(i, c);
				delta += 2 * (y.count[at3(&y, t, c, v)] - EXPECT(t, c, v)) + 1;
			}
			double left = (double)(target[t] - filled[t]) / (double)target[t];
			if (best < 0 || delta < best_delta - 1e-9 ||
			    (delta < best_delta + 1e-9 && left > best_left + 1e-9)) {
				best = t;
				best_delta = delta;
				best_left = left;
			}
		}
		assert(best >= 0);
		place[i] = best;
		filled[best]++;
		for (int c = 0; c < k; c++)
			y.count[at3(&y, best, c, TRAIT(i, c))] += 1;
	}
	/* Swaps: two people at different tables change places while that
	 * lowers the imbalance (sizes stay, so the capacities hold). Each
	 * swap lowers a finite sum, so this ends; the pass limit bounds it. */
	for (int pass = 0; pass < 50 && k > 0; pass++) {
		int improved = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				int a = place[i], b = place[j];
				if (a == b)
					continue;
				double delta = 0;
				for (int c = 0; c < k; c++) {
					int vi = TRAIT(i, c), vj = TRAIT(j, c);
					if (vi == vj)
						continue;
					delta += -2 * (y.count[at3(&y, a, c, vi)] -
					               EXPECT(a, c, vi)) +
					         1;
					delta += 2 * (y.count[at3(&y, a, c, vj)] -
					              EXPECT(a, c, vj)) +
					         1;
					delta += -2 * (y.count[at3(&y, b, c, vj)] -
					               EXPECT(b, c, vj)) +
					         1;
					delta += 2 * (y.count[at3(&y, b, c, vi)] -
					              EXPECT(b, c, vi)) +
					         1;
				}
				if (delta >= -1e-9)
					continue;
				for (int c = 0; c < k; c++) {
					int vi = TRAIT(i, c), vj = TRAIT(j, c);
					y.count[at3(&y, a, c, vi)] -= 1;
					y.count[at3(&y, a, c, vj)] += 1;
					y.count[at3(&y, b, c, vj)] -= 1;
					y.count[at3(&y, b, c, vi)] += 1;
				}
				place[i] = b;
				place[j] = a;
				improved = 1;
			}
		if (!improved)
			break;
	}
#undef TRAIT
#undef EXPECT
	memcpy(table_out, place, n * sizeof *place);
	tally_free(&y);
	free(target);
	free(filled);
	free(order);
	free(place);
	return 0;
}
