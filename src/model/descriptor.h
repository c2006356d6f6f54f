/* descriptor.h: participant descriptors (questions asked once per person): the answers a participant gave before, carried into a new story. */
#ifndef VP_DESCRIPTOR_H
#define VP_DESCRIPTOR_H

#include "db/db.h"
#include "model/script.h"

#include <jansson.h>
#include <stdint.h>

/* Finds, for every question of s marked once_per_person, the newest answer
 * participant_id gave to a question with the same id in an earlier story
 * of organisation org_id (any collection, any script), and sets it in out
 * (a JSON object: question id -> answer). An earlier answer that does not
 * pass this question's checks (other options, another range) is not
 * carried: the question is asked again. A descriptor of the professional's
 * perspective is looked up in the professional's answers. Returns the
 * number carried (>= 0), or a negative db_rc error. out keeps what was set
 * before an error. */
int descriptor_carry(db *d, const struct script *s, int64_t org_id, int64_t participant_id,
                     json_t *out);

#endif
