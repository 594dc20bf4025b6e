// Which persons an organizer knows: the one definition of "known to this organizer", shared by every query that needs it.

/**
 * SQL condition: the person row `person` (a table alias) holds a registration in an activity of one of the
 * organizers in `organizers`, a bpchar[] parameter (`$2`). Reading a person and attaching one to a new
 * registration by id both stop at it, so an organizer never learns of another organizer's runners.
 * Its own aliases (kr, ka, ke) do not clash with the outer query's.
 */
export function personKnownToOrganizers(person: string, organizers: string): string {
  return `EXISTS (SELECT 1 FROM registration kr JOIN activity ka ON ka.id = kr.activity_id JOIN event ke ON ke.id = ka.event_id
                   WHERE kr.person_id = ${person}.id AND ke.organizer_id = ANY(${organizers}::bpchar[]))`;
}
