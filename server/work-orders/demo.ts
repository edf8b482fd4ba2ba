// Demo work for a first start, so the dispatch queue is not empty: reports at real addresses of the
// sample registry, of the problem codes Boston received most often (weights: 2015 case counts in the
// boston311-2015 records the registry comes from; potholes and bulk item pickups, among Boston's
// largest types but missing from that snapshot, get its largest weight). They go through the desk's
// own services — created, answered, completed, filed automatically — so duplicates are linked and
// every record has its history. A fixed seed makes every first start alike.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import type { Actor } from '../audit/service.ts';
import type { Question } from '../hierarchy/files.ts';
import { getNode } from '../hierarchy/service.ts';
import { completeRequest, createRequest, updateRequest } from '../intake/service.ts';
import { fileRequest, moveWorkOrder, updateWorkOrder, type WorkOrderOptions } from './service.ts';

const codeWeights: [code: string, weight: number][] = [
  ['STREET_LIGHT_OUT', 7956],
  ['S0301', 7956],
  ['BULK_ITEM_PICKUP', 7956],
  ['SIGN_REPAIR', 4825],
  ['GRAFFITI_REMOVAL', 4284],
  ['SIDEWALK_MAKE_SAFE', 4170],
  ['TREE_MAINTENANCE', 4002],
  ['EMPTY_LITTER_BASKET', 2973],
  ['ABANDONED_VEHICLE', 2607],
  ['DEAD_ANIMAL', 2247],
  ['TRAFFIC_SIGNAL_REPAIR', 2096],
];

/** mulberry32: a small seeded generator, so the demo is the same on every machine. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A database nobody has taken a contact in yet. */
export function noRequestsYet(db: Pick<Db, 'get'>): boolean {
  return db.get<{ n: number }>(sql`SELECT EXISTS (SELECT 1 FROM customer_requests) AS n`)!.n === 0;
}

/** Files `count` demo reports (a quarter of them again at an earlier report's address); returns the work orders made. */
export function loadDemoWork(db: Db, actor: Actor, options: WorkOrderOptions, count = 40): number {
  const random = seeded(311);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const total = codeWeights.reduce((sum, [, w]) => sum + w, 0);
  const weightedCode = () => {
    let r = random() * total;
    for (const [code, w] of codeWeights) if ((r -= w) < 0) return code;
    return codeWeights[0]![0];
  };
  const addresses = db.all<{ id: number }>(sql`SELECT id FROM addresses ORDER BY id`);
  if (addresses.length === 0) return 0;
  const earlier: { code: string; addressId: number }[] = [];
  const made = new Set<string>();
  for (let i = 0; i < count; i++) {
    const again = earlier.length > 0 && random() < 0.25 ? pick(earlier) : null;
    const code = again?.code ?? weightedCode();
    const addressId = again?.addressId ?? pick(addresses).id;
    earlier.push({ code, addressId });
    const questions = ((getNode(db, code).settings as { questions?: Question[] }).questions ?? []).filter((q) => q.variable && q.required);
    const answers: Record<string, unknown> = {};
    for (const q of questions) {
      if (q.datatype === 'singlevaluelist') answers[q.code] = pick(q.values!).key;
      else if (q.datatype === 'multivaluelist') answers[q.code] = [pick(q.values!).key];
      else if (q.datatype === 'number') answers[q.code] = 1 + Math.floor(random() * 3);
    }
    let request = createRequest(db, actor, { channel: pick(['phone', 'phone', 'phone', 'email', 'walk_in'] as const) }, { scope: 'demo', key: undefined, request: {} }).request;
    request = updateRequest(db, actor, request.number, { version: request.version, type: 'action', problemCode: code, answers, location: { addressId } });
    request = completeRequest(db, actor, request.number, { version: request.version });
    made.add(fileRequest(db, actor, request.number, { version: request.version, decision: 'auto' }, options).workOrder);
  }
  // A queue in motion: some work assigned, some of it started.
  for (const number of [...made].filter(() => random() < 0.4)) {
    const assigned = updateWorkOrder(db, actor, number, { version: db.get<{ v: number }>(sql`SELECT version AS v FROM work_orders WHERE number = ${number}`)!.v, assignee: `Crew ${1 + Math.floor(random() * 9)}` }, options);
    if (random() < 0.5) moveWorkOrder(db, actor, number, { version: assigned.version, status: 'in_progress' }, options);
  }
  return made.size;
}
