// Applies a checked city hierarchy to the database in one transaction: nodes are created and updated
// by code, and nodes no longer in the files are retired (never deleted), so history keeps its codes.
// Applying the same files twice changes nothing.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { cityProfile, hierarchyNodes, type HierarchyLevel } from '../../db/schema/hierarchy.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { DomainError } from '../errors.ts';
import type { CityHierarchy, Settings } from './files.ts';
import { reindexProblemCodes } from './search.ts';

interface DesiredNode {
  level: HierarchyLevel;
  code: string;
  parentCode: string | null;
  name: string;
  description: string;
  position: number;
  status: 'active' | 'retired';
  settings: Record<string, unknown>;
}

export interface LoadSummary {
  created: string[];
  updated: string[];
  retired: string[];
  unchanged: number;
}

/** Drops undefined members, so a setting left out and one never written compare equal. */
function clean(value: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** JSON with object keys sorted: the same settings written in another key order are not a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function defaultsOf(defaults: Settings | undefined): Record<string, unknown> {
  return clean(defaults ?? {});
}

/** The nodes the files describe, parents before children, in file order. */
function desiredNodes(hierarchy: CityHierarchy): DesiredNode[] {
  const nodes: DesiredNode[] = [];
  hierarchy.departments.forEach(({ data: d }, di) => {
    nodes.push({ level: 'department', code: d.code, parentCode: null, name: d.name, description: d.description ?? '', position: di, status: 'active', settings: defaultsOf(d.defaults) });
    d.providers.forEach((p, pi) => {
      nodes.push({ level: 'provider', code: p.code, parentCode: d.code, name: p.name, description: p.description ?? '', position: pi, status: 'active', settings: defaultsOf(p.defaults) });
      p.categories.forEach((c, ci) => {
        nodes.push({ level: 'category', code: c.code, parentCode: p.code, name: c.name, description: c.description ?? '', position: ci, status: 'active', settings: defaultsOf(c.defaults) });
        c.problemCodes.forEach((pc, i) => {
          const { code, name, description, status, ...own } = pc;
          nodes.push({ level: 'problem_code', code, parentCode: c.code, name, description, position: i, status: status ?? 'active', settings: clean(own) });
        });
      });
    });
  });
  return nodes;
}

const compared = ['level', 'parentId', 'name', 'description', 'position', 'status', 'settings'] as const;

export function applyHierarchy(db: Db, actor: Actor, hierarchy: CityHierarchy): LoadSummary {
  const summary: LoadSummary = { created: [], updated: [], retired: [], unchanged: 0 };
  return db.transaction((tx) => {
    const existing = new Map(tx.select().from(hierarchyNodes).all().map((row) => [row.code, row]));
    const idOf = new Map<string, number>();
    const now = new Date().toISOString();

    for (const node of desiredNodes(hierarchy)) {
      const parentId = node.parentCode === null ? null : idOf.get(node.parentCode)!;
      const wanted = { level: node.level, parentId, name: node.name, description: node.description, position: node.position, status: node.status, settings: node.settings };
      const row = existing.get(node.code);
      if (!row) {
        const inserted = tx.insert(hierarchyNodes).values({ ...wanted, code: node.code, createdAt: now, updatedAt: now }).returning().get();
        idOf.set(node.code, inserted.id);
        recordAudit(tx, actor, { entityType: 'hierarchy_node', entityId: node.code, action: 'hierarchy.created', after: wanted });
        summary.created.push(node.code);
        continue;
      }
      idOf.set(node.code, row.id);
      existing.delete(node.code);
      if (row.level !== node.level) {
        throw new DomainError('CONFLICT', `${node.code} is a ${row.level.replace('_', ' ')} in the database and a ${node.level.replace('_', ' ')} in the files; a code never changes level.`);
      }
      const before = Object.fromEntries(compared.map((k) => [k, row[k]]));
      if (canonical(before) === canonical(Object.fromEntries(compared.map((k) => [k, wanted[k]])))) {
        summary.unchanged++;
        continue;
      }
      tx.update(hierarchyNodes).set({ ...wanted, updatedAt: now, version: row.version + 1 }).where(eq(hierarchyNodes.id, row.id)).run();
      recordAudit(tx, actor, { entityType: 'hierarchy_node', entityId: node.code, action: 'hierarchy.updated', before, after: wanted });
      summary.updated.push(node.code);
    }

    // Whatever the files no longer name is retired, not deleted: requests keep pointing at it.
    for (const row of existing.values()) {
      if (row.status === 'retired') {
        summary.unchanged++;
        continue;
      }
      tx.update(hierarchyNodes).set({ status: 'retired', updatedAt: now, version: row.version + 1 }).where(eq(hierarchyNodes.id, row.id)).run();
      recordAudit(tx, actor, { entityType: 'hierarchy_node', entityId: row.code, action: 'hierarchy.retired', before: { status: row.status }, after: { status: 'retired' } });
      summary.retired.push(row.code);
    }

    if (summary.created.length + summary.updated.length + summary.retired.length > 0) {
      reindexProblemCodes(tx);
    }

    // `$schema` is a path relative to the folder the file came from, not a fact about the city.
    const { $schema: _schema, ...city } = clean(hierarchy.city);
    const current = tx.select().from(cityProfile).where(eq(cityProfile.key, 'city')).get();
    if (canonical(current?.value) !== canonical(city)) {
      tx.insert(cityProfile).values({ key: 'city', value: city }).onConflictDoUpdate({ target: cityProfile.key, set: { value: city } }).run();
    }
    return summary;
  });
}

export function hierarchyIsEmpty(db: Db): boolean {
  return db.select({ id: hierarchyNodes.id }).from(hierarchyNodes).limit(1).get() === undefined;
}
