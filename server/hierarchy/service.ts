// The live hierarchy: reading the tree and any node with what it inherits, and the administrator's
// edits. Every write carries the node's version (a stale one is a conflict), is checked as the files
// are, keeps the search index in step, and is audited. Nothing is ever deleted.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { cityProfile, hierarchyNodes, type HierarchyLevel } from '../../db/schema/hierarchy.ts';
import { listAudit, recordAudit, type Actor } from '../audit/service.ts';
import { assertNoProblems, DomainError, type FieldProblem } from '../errors.ts';
import { problemCodeProblems, resolveSettings, shapeProblems, type ChainLink, type CityFile, type ProblemCodeFile, type Settings } from './files.ts';
import { hierarchyGeneration } from './generation.ts';
import { problemCodeIdsUnder, reindexProblemCodes } from './search.ts';

type NodeRow = typeof hierarchyNodes.$inferSelect;
type Tx = Db;
type Reader = Pick<Db, 'select' | 'all' | 'get' | 'run' | 'insert' | 'update' | '$client'>;

export interface TreeNode {
  code: string;
  level: HierarchyLevel;
  name: string;
  status: 'active' | 'retired';
  version: number;
  /** Active problem codes at or below this node. */
  activeProblemCodes: number;
  children: TreeNode[];
}

const parentLevel: Record<HierarchyLevel, HierarchyLevel | null> = {
  department: null,
  provider: 'department',
  category: 'provider',
  problem_code: 'category',
};

const levelName = (level: HierarchyLevel) => level.replace('_', ' ');

/** The whole tree in order, with counts; retired nodes only when asked for. */
export function getTree(db: Db, includeRetired: boolean): TreeNode[] {
  const rows = db.select().from(hierarchyNodes).orderBy(asc(hierarchyNodes.position), asc(hierarchyNodes.id)).all();
  const nodes = new Map<number, TreeNode & { parentId: number | null }>();
  for (const row of rows) {
    if (!includeRetired && row.status === 'retired') continue;
    nodes.set(row.id, { code: row.code, level: row.level, name: row.name, status: row.status, version: row.version, activeProblemCodes: 0, children: [], parentId: row.parentId });
  }
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    if (node.parentId === null) roots.push(node);
    else nodes.get(node.parentId)?.children.push(node);
  }
  const count = (node: TreeNode): number => {
    node.activeProblemCodes = node.level === 'problem_code' ? (node.status === 'active' ? 1 : 0) : node.children.reduce((n, c) => n + count(c), 0);
    return node.activeProblemCodes;
  };
  roots.forEach(count);
  const strip = (node: TreeNode & { parentId?: number | null }): TreeNode => {
    const { parentId: _parentId, ...rest } = node;
    return { ...rest, children: rest.children.map(strip) };
  };
  return roots.map(strip);
}

function findRow(db: Reader, code: string): NodeRow {
  const row = db.select().from(hierarchyNodes).where(eq(hierarchyNodes.code, code)).get();
  if (!row) throw new DomainError('NOT_FOUND', `There is no department, provider, category or problem code ${code}.`);
  return row;
}

/** The node's ancestors, department first. */
function ancestorsOf(db: Reader, row: NodeRow): NodeRow[] {
  const chain: NodeRow[] = [];
  let parentId = row.parentId;
  while (parentId !== null) {
    const parent = db.select().from(hierarchyNodes).where(eq(hierarchyNodes.id, parentId)).get()!;
    chain.unshift(parent);
    parentId = parent.parentId;
  }
  return chain;
}

function cityDefaults(db: Reader): Settings | undefined {
  const city = db.select().from(cityProfile).where(eq(cityProfile.key, 'city')).get()?.value as CityFile | undefined;
  return city?.defaults;
}

function chainOf(db: Reader, row: NodeRow, ancestors: NodeRow[]): ChainLink[] {
  return [{ source: 'city', settings: cityDefaults(db) }, ...[...ancestors, row].map((n) => ({ source: n.code, settings: n.settings as Settings }))];
}

export interface NodeDetail {
  code: string;
  level: HierarchyLevel;
  name: string;
  description: string;
  status: 'active' | 'retired';
  position: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** From the department down to the parent. */
  path: { code: string; level: HierarchyLevel; name: string; status: 'active' | 'retired' }[];
  /** What the node itself says: a problem code's fields, or the defaults it passes down. */
  settings: Record<string, unknown>;
  /** For problem codes: every setting after inheritance, and which level it came from. */
  resolved: { value: Record<string, unknown>; from: Record<string, string> } | null;
  children: { code: string; level: HierarchyLevel; name: string; status: 'active' | 'retired'; position: number }[];
}

/**
 * Nodes as read, for as long as the hierarchy and the city's defaults are unchanged: triggers give
 * hierarchy_generation a new random token on every change, by any process, so one tiny read tells
 * whether what was resolved still holds. (A token a rolled-back change made is never seen again.) The
 * desk reads the same few codes on every request of every contact. Callers treat the node as read-only.
 */
let resolved: { token: number; nodes: Map<string, NodeDetail> } = { token: Number.NaN, nodes: new Map() };

const resolvedNodesKept = 20_000;

export function getNode(db: Reader, code: string): NodeDetail {
  const token = hierarchyGeneration(db);
  if (token !== resolved.token) resolved = { token, nodes: new Map() };
  const known = resolved.nodes.get(code);
  if (known) return known;
  const node = readNode(db, code);
  if (resolved.nodes.size >= resolvedNodesKept) resolved.nodes.clear();
  resolved.nodes.set(code, node);
  return node;
}

function readNode(db: Reader, code: string): NodeDetail {
  const row = findRow(db, code);
  const ancestors = ancestorsOf(db, row);
  const provider = ancestors.find((a) => a.level === 'provider');
  const children = db
    .select()
    .from(hierarchyNodes)
    .where(eq(hierarchyNodes.parentId, row.id))
    .orderBy(asc(hierarchyNodes.position), asc(hierarchyNodes.id))
    .all()
    .map((c) => ({ code: c.code, level: c.level, name: c.name, status: c.status, position: c.position }));
  const resolved = row.level === 'problem_code' ? resolveSettings(chainOf(db, row, ancestors), provider!.code) : null;
  return {
    code: row.code,
    level: row.level,
    name: row.name,
    description: row.description,
    status: row.status,
    position: row.position,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    path: ancestors.map((a) => ({ code: a.code, level: a.level, name: a.name, status: a.status })),
    settings: row.settings,
    resolved: resolved as NodeDetail['resolved'],
    children,
  };
}

/** A node's own settings, checked against the hierarchy schema (`problemCode` for codes, `settings` else). */
function checkShape(level: HierarchyLevel, code: string, name: string, description: string, settings: Record<string, unknown>): FieldProblem[] {
  if (level === 'problem_code') {
    return shapeProblems('problemCode', { code, name, description, ...settings })
      .filter((p) => !p.path.startsWith('/code') && !p.path.startsWith('/name') && !p.path.startsWith('/description'))
      .map((p) => ({ field: `/body/settings${p.path}`, message: p.message }));
  }
  return shapeProblems('settings', settings).map((p) => ({ field: `/body/settings${p.path}`, message: p.message }));
}

/** Checks every active problem code at or below `row` with the settings it would inherit now. */
function checkProblemCodesBelow(tx: Reader, row: NodeRow): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const providerCodes = new Set(
    tx.select({ code: hierarchyNodes.code }).from(hierarchyNodes).where(and(eq(hierarchyNodes.level, 'provider'), eq(hierarchyNodes.status, 'active'))).all().map((r) => r.code),
  );
  for (const id of problemCodeIdsUnder(tx, row.id)) {
    const pc = tx.select().from(hierarchyNodes).where(eq(hierarchyNodes.id, id)).get()!;
    if (pc.status !== 'active') continue;
    const ancestors = ancestorsOf(tx, pc);
    const provider = ancestors.find((a) => a.level === 'provider')!;
    const { value } = resolveSettings(chainOf(tx, pc, ancestors), provider.code);
    for (const p of problemCodeProblems({ code: pc.code, questions: (pc.settings as Pick<ProblemCodeFile, 'questions'>).questions }, value, (c) => providerCodes.has(c))) {
      const field = pc.id === row.id ? `/body/settings${p.path}` : `/body/settings`;
      problems.push({ field, message: pc.id === row.id ? p.message : `would leave ${pc.code} below it invalid: ${p.message}` });
    }
  }
  return problems;
}


function assertVersion(row: NodeRow, version: number): void {
  if (row.version !== version) {
    throw new DomainError('VERSION_CONFLICT', `${row.code} was changed by someone else since you opened it (now version ${row.version}); reload it and make your change again.`);
  }
}

function childIds(tx: Reader, parentId: number | null, except?: number): number[] {
  return tx
    .select({ id: hierarchyNodes.id })
    .from(hierarchyNodes)
    .where(and(parentId === null ? isNull(hierarchyNodes.parentId) : eq(hierarchyNodes.parentId, parentId), except === undefined ? undefined : sql`${hierarchyNodes.id} <> ${except}`))
    .orderBy(asc(hierarchyNodes.position), asc(hierarchyNodes.id))
    .all()
    .map((s) => s.id);
}

/** Numbers siblings 0…n in the given order. */
function renumber(tx: Reader, ids: number[]): void {
  ids.forEach((id, index) => tx.update(hierarchyNodes).set({ position: index }).where(eq(hierarchyNodes.id, id)).run());
}

/** Puts `id` at `position` among the children of `parentId` (at the end when undefined). */
function placeAmongSiblings(tx: Reader, id: number, parentId: number | null, position: number | undefined): void {
  const siblings = childIds(tx, parentId, id);
  siblings.splice(position === undefined ? siblings.length : Math.max(0, Math.min(position, siblings.length)), 0, id);
  renumber(tx, siblings);
}

/** After a change at `row`: the search rows below it. */
function afterChange(tx: Reader, row: NodeRow): void {
  reindexProblemCodes(tx, problemCodeIdsUnder(tx, row.id));
}

const audited = (row: NodeRow) => ({ level: row.level, parent: row.parentId, name: row.name, description: row.description, position: row.position, status: row.status, settings: row.settings });

export interface NewNode {
  level: HierarchyLevel;
  parentCode: string | null;
  code: string;
  name: string;
  description?: string;
  settings?: Record<string, unknown>;
  position?: number;
}

export function createNode(db: Db, actor: Actor, input: NewNode): NodeDetail {
  return db.transaction((tx) => {
    const settings = input.settings ?? {};
    const problems: FieldProblem[] = [];
    if (tx.select({ id: hierarchyNodes.id }).from(hierarchyNodes).where(eq(hierarchyNodes.code, input.code)).get()) {
      problems.push({ field: '/body/code', message: `is already used (codes are unique across all levels, retired ones included)` });
    }
    const wantedParent = parentLevel[input.level];
    let parent: NodeRow | undefined;
    if (wantedParent === null) {
      if (input.parentCode) problems.push({ field: '/body/parentCode', message: 'must be empty: a department is at the top' });
    } else if (!input.parentCode) {
      problems.push({ field: '/body/parentCode', message: `is required: a ${levelName(input.level)} belongs to a ${levelName(wantedParent)}` });
    } else {
      parent = tx.select().from(hierarchyNodes).where(eq(hierarchyNodes.code, input.parentCode)).get();
      if (!parent) problems.push({ field: '/body/parentCode', message: `names no node (${input.parentCode})` });
      else if (parent.level !== wantedParent) problems.push({ field: '/body/parentCode', message: `must be a ${levelName(wantedParent)}, and ${parent.code} is a ${levelName(parent.level)}` });
      else if (parent.status !== 'active') problems.push({ field: '/body/parentCode', message: `${parent.code} is retired; reactivate it first` });
    }
    problems.push(...checkShape(input.level, input.code, input.name, input.description ?? '', settings));
    assertNoProblems(problems, 'The change');

    const now = new Date().toISOString();
    const row = tx
      .insert(hierarchyNodes)
      .values({ level: input.level, code: input.code, parentId: parent?.id ?? null, name: input.name.trim(), description: input.description?.trim() ?? '', position: 0, settings, createdAt: now, updatedAt: now })
      .returning()
      .get();
    placeAmongSiblings(tx, row.id, row.parentId, input.position);
    assertNoProblems(checkProblemCodesBelow(tx, row), 'The change');
    const created = findRow(tx, row.code);
    recordAudit(tx, actor, { entityType: 'hierarchy_node', entityId: created.code, action: 'hierarchy.created', after: audited(created) });
    afterChange(tx, created);
    return getNode(tx, created.code);
  });
}

export interface NodeChanges {
  version: number;
  name?: string;
  description?: string;
  /** Replaces the node's own settings as a whole (the editor sends them all). */
  settings?: Record<string, unknown>;
}

export function updateNode(db: Db, actor: Actor, code: string, changes: NodeChanges): NodeDetail {
  return db.transaction((tx) => {
    const row = findRow(tx, code);
    assertVersion(row, changes.version);
    const next = { name: changes.name?.trim() ?? row.name, description: changes.description?.trim() ?? row.description, settings: changes.settings ?? row.settings };
    assertNoProblems(checkShape(row.level, row.code, next.name, next.description, next.settings), 'The change');
    if (JSON.stringify(next) === JSON.stringify({ name: row.name, description: row.description, settings: row.settings })) return getNode(tx, code);
    tx.update(hierarchyNodes).set({ ...next, version: row.version + 1, updatedAt: new Date().toISOString() }).where(eq(hierarchyNodes.id, row.id)).run();
    const after = findRow(tx, code);
    if (after.status === 'active') assertNoProblems(checkProblemCodesBelow(tx, after), 'The change');
    recordAudit(tx, actor, { entityType: 'hierarchy_node', entityId: code, action: 'hierarchy.updated', before: audited(row), after: audited(after) });
    afterChange(tx, after);
    return getNode(tx, code);
  });
}

export function moveNode(db: Db, actor: Actor, code: string, move: { version: number; parentCode?: string | null; position?: number }): NodeDetail {
  return db.transaction((tx) => {
    const row = findRow(tx, code);
    assertVersion(row, move.version);
    let parentId = row.parentId;
    if (move.parentCode !== undefined && move.parentCode !== null) {
      const parent = tx.select().from(hierarchyNodes).where(eq(hierarchyNodes.code, move.parentCode)).get();
      const wanted = parentLevel[row.level];
      if (!parent) throw new DomainError('VALIDATION_FAILED', `There is no node ${move.parentCode} to move ${code} under.`, [{ field: '/body/parentCode', message: `names no node (${move.parentCode})` }]);
      if (parent.level !== wanted) {
        const rule = wanted ? `A ${levelName(row.level)} can only move under a ${levelName(wanted)}.` : 'A department stands at the top; it moves only within the list of departments.';
        throw new DomainError('VALIDATION_FAILED', rule, [
          { field: '/body/parentCode', message: wanted ? `must be a ${levelName(wanted)}, and ${parent.code} is a ${levelName(parent.level)}` : 'must be empty for a department' },
        ]);
      }
      // Levels already rule out a cycle; the walk up says so in as many words, whatever the levels.
      if ([...ancestorsOf(tx, parent), parent].some((a) => a.id === row.id)) {
        throw new DomainError('VALIDATION_FAILED', `${code} cannot move under itself or a node below it.`, [{ field: '/body/parentCode', message: 'is the node itself or below it' }]);
      }
      if (parent.status !== 'active' && row.status === 'active') {
        throw new DomainError('VALIDATION_FAILED', `${parent.code} is retired; an active node cannot move under it.`, [{ field: '/body/parentCode', message: `${parent.code} is retired` }]);
      }
      parentId = parent.id;
    } else if (move.parentCode === null && row.level !== 'department') {
      throw new DomainError('VALIDATION_FAILED', `Only a department stands at the top.`, [{ field: '/body/parentCode', message: 'is required' }]);
    }
    const oldParentId = row.parentId;
    tx.update(hierarchyNodes).set({ parentId, version: row.version + 1, updatedAt: new Date().toISOString() }).where(eq(hierarchyNodes.id, row.id)).run();
    placeAmongSiblings(tx, row.id, parentId, move.position);
    if (oldParentId !== parentId) renumber(tx, childIds(tx, oldParentId));
    const after = findRow(tx, code);
    if (after.status === 'active') assertNoProblems(checkProblemCodesBelow(tx, after), 'The change');
    recordAudit(tx, actor, { entityType: 'hierarchy_node', entityId: code, action: 'hierarchy.moved', before: audited(row), after: audited(after) });
    afterChange(tx, after);
    return getNode(tx, code);
  });
}

function setStatus(tx: Tx, actor: Actor, row: NodeRow, status: 'active' | 'retired'): void {
  tx.update(hierarchyNodes).set({ status, version: row.version + 1, updatedAt: new Date().toISOString() }).where(eq(hierarchyNodes.id, row.id)).run();
  recordAudit(tx, actor, { entityType: 'hierarchy_node', entityId: row.code, action: status === 'retired' ? 'hierarchy.retired' : 'hierarchy.reactivated', before: { status: row.status }, after: { status } });
}

/** Retires a node; one with active children only with `cascade`, which retires them all. */
export function retireNode(db: Db, actor: Actor, code: string, input: { version: number; cascade?: boolean }): NodeDetail {
  return db.transaction((tx) => {
    const row = findRow(tx, code);
    assertVersion(row, input.version);
    if (row.status === 'retired') return getNode(tx, code);
    const activeBelow = tx
      .all<{ id: number }>(sql`
        WITH RECURSIVE below(id) AS (SELECT id FROM hierarchy_nodes WHERE parent_id = ${row.id}
          UNION ALL SELECT n.id FROM hierarchy_nodes n JOIN below b ON n.parent_id = b.id)
        SELECT n.id FROM hierarchy_nodes n JOIN below b ON b.id = n.id WHERE n.status = 'active'`)
      .map((r) => r.id);
    if (activeBelow.length > 0 && !input.cascade) {
      throw new DomainError('CONFLICT', `${code} has ${activeBelow.length} active node${activeBelow.length === 1 ? '' : 's'} below it; retire them with it (cascade) or move them first.`, [
        { field: '/body/cascade', message: `is required: ${activeBelow.length} active node${activeBelow.length === 1 ? '' : 's'} below` },
      ]);
    }
    setStatus(tx, actor, row, 'retired');
    for (const id of activeBelow) setStatus(tx, actor, tx.select().from(hierarchyNodes).where(eq(hierarchyNodes.id, id)).get()!, 'retired');
    // Codes elsewhere may send their work to a provider retired here; that would leave them unworkable.
    const orphaned = tx.all<{ code: string; provider: string }>(sql`
      SELECT pc.code, json_extract(pc.settings, '$.standardWorkOrder.provider') AS provider
      FROM hierarchy_nodes pc JOIN hierarchy_nodes p ON p.code = json_extract(pc.settings, '$.standardWorkOrder.provider')
      WHERE pc.level = 'problem_code' AND pc.status = 'active' AND p.status = 'retired'`);
    if (orphaned.length > 0) {
      throw new DomainError('CONFLICT', `Active codes send their work to a provider this would retire: ${orphaned.map((o) => `${o.code} → ${o.provider}`).join(', ')}. Give them another provider first.`, [
        { field: '/body/cascade', message: `would leave ${orphaned.map((o) => o.code).join(', ')} without a provider` },
      ]);
    }
    afterChange(tx, row);
    return getNode(tx, code);
  });
}

/** Brings a retired node back (its parent must be active); its children stay as they are. */
export function reactivateNode(db: Db, actor: Actor, code: string, input: { version: number }): NodeDetail {
  return db.transaction((tx) => {
    const row = findRow(tx, code);
    assertVersion(row, input.version);
    if (row.status === 'active') return getNode(tx, code);
    const parent = row.parentId === null ? null : tx.select().from(hierarchyNodes).where(eq(hierarchyNodes.id, row.parentId)).get()!;
    if (parent && parent.status !== 'active') {
      throw new DomainError('CONFLICT', `${code} is under ${parent.code}, which is retired; reactivate ${parent.code} first.`);
    }
    setStatus(tx, actor, row, 'active');
    const after = findRow(tx, code);
    assertNoProblems(checkProblemCodesBelow(tx, after), 'The change');
    afterChange(tx, after);
    return getNode(tx, code);
  });
}

/** The node's change history, newest first. */
export function nodeHistory(db: Db, code: string, limit: number) {
  findRow(db, code);
  return listAudit(db, { entityType: 'hierarchy_node', entityId: code, limit });
}

