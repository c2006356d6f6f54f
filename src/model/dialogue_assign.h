/* dialogue_assign.h: placing the registered people of a dialogue session at its tables, balanced over the characteristics they gave (pure, deterministic for a seed). */
#ifndef VP_DIALOGUE_ASSIGN_H
#define VP_DIALOGUE_ASSIGN_H

#include <stddef.h>
#include <stdint.h>

enum {
	DIALOGUE_TRAITS_MAX = 4,     /* characteristics balanced over (district, age band...) */
	DIALOGUE_CATEGORIES_MAX = 64 /* distinct values of one characteristic */
};

/* The people: n of them, each with k characteristics given as category
 * numbers 0..DIALOGUE_CATEGORIES_MAX-1 (the caller maps "Noord", "30-44"
 * to numbers; "not given" is a category like any other), row-major:
 * traits[i * k + c]. */
struct dialogue_people {
	size_t n;
	int k;
	const int *traits;
};

/* The imbalance of a placement: over every table t, characteristic c and
 * category v, the squared difference between how many people of v sit at
 * t and how many would if every table mirrored the whole group
 * (total_v * size_t / n). 0 is perfect balance. per_table (ntables
 * doubles, or NULL) receives each table's share. */
double dialogue_imbalance(const struct dialogue_people *p, int ntables, const int *table,
                          double *per_table);

/* Places every person at exactly one of ntables tables, with at most
 * capacity[t] people at table t, keeping the imbalance low: the people in
 * an order shuffled by seed, each to the table with room where they add
 * the least imbalance (the emptier table on a tie), then swaps of two
 * people at different tables while one lowers the imbalance. The same
 * input and seed give the same placement. table_out gets n table numbers.
 * Returns 0, or -1 when the capacities together hold fewer than n people,
 * ntables < 1 or the traits are out of range (table_out untouched). */
int dialogue_assign(const struct dialogue_people *p, int ntables, const int *capacity,
                    uint64_t seed, int *table_out);

#endif
