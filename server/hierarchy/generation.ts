// The hierarchy's generation: a random token that migration 0013's triggers change with every change to
// the hierarchy or the city's defaults, by any process. What is kept from the hierarchy (resolved nodes,
// duplicate rules, the search's words) is kept with the token it was read under, and one tiny read tells
// whether it still holds. A token that a rolled-back change made is never seen again.
import { perConnection, type Db } from '../../db/connection.ts';

const generation = perConnection((db: Pick<Db, '$client'>) => db.$client.prepare<[], number>('SELECT token FROM hierarchy_generation WHERE id = 1').pluck());

export function hierarchyGeneration(db: Pick<Db, '$client'>): number {
  return generation(db).get()!;
}
