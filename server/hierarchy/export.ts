// Writes the live hierarchy back out as a city folder (city.json + departments/*.json) in the format the
// loader reads, so that load → export → load → export is a fixed point. Keys are written in the order the
// sample files use, so an exported file diffs cleanly against a hand-written one.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { cityProfile, hierarchyNodes, type HierarchyLevel } from '../../db/schema/hierarchy.ts';
import { DomainError } from '../errors.ts';
import type { CategoryFile, CityFile, DepartmentFile, ProblemCodeFile, ProviderFile, Settings } from './files.ts';

/** What the sample files put in `$schema`: paths relative to a city folder inside hierarchy-config/. */
export const citySchemaRef = '../city.schema.json';
export const departmentSchemaRef = '../../schema.json';

export interface ExportedHierarchy {
  city: CityFile & { $schema?: string };
  departments: { fileName: string; data: DepartmentFile & { $schema?: string } }[];
}

type Row = typeof hierarchyNodes.$inferSelect;
type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A copy of `value` with `keys` first, in that order, then any other key as stored. Unknown keys are kept
 * rather than dropped: the schema rejects them on the next load, which is better than losing them quietly.
 */
function ordered(value: Plain, keys: readonly string[], nested: Record<string, (v: unknown) => unknown> = {}): Plain {
  const out: Plain = {};
  const put = (key: string) => {
    if (value[key] === undefined) return;
    out[key] = nested[key] ? nested[key](value[key]) : value[key];
  };
  keys.forEach(put);
  Object.keys(value)
    .filter((key) => !keys.includes(key))
    .forEach(put);
  return out;
}

const objectIn =
  (keys: readonly string[], nested: Record<string, (v: unknown) => unknown> = {}) =>
  (value: unknown) =>
    isPlain(value) ? ordered(value, keys, nested) : value;
const listOf = (each: (v: unknown) => unknown) => (value: unknown) => (Array.isArray(value) ? value.map(each) : value);

// The key orders of hierarchy-config/schema.json, which the sample files follow.
const workOrder = objectIn(['workType', 'priority', 'tasks', 'provider']);
const settingParts = {
  standardWorkOrder: workOrder,
  turnaround: objectIn(['temporaryHours', 'permanentHours']),
  // null (no duplicate detection) passes through unchanged.
  duplicateRule: objectIn(['radiusMeters', 'windowDays', 'scope', 'matchAttribute']),
};
const settingKeys = ['standardWorkOrder', 'turnaround', 'duplicateRule', 'needsLocation', 'public'] as const;
const question = objectIn(['code', 'variable', 'datatype', 'required', 'order', 'description', 'datatypeDescription', 'values'], {
  values: listOf(objectIn(['key', 'name'])),
});
const problemCodeKeys = ['keywords', 'synonyms', 'questions', ...settingKeys] as const;
/** Columns of their own; a copy inside `settings` must not overwrite them. */
const columnKeys = ['code', 'name', 'description', 'status'];

/** `defaults` as the files write it: left out when the node sets nothing. */
function defaultsOf(settings: unknown): { defaults?: Settings } {
  if (!isPlain(settings) || Object.keys(settings).length === 0) return {};
  return { defaults: ordered(settings, settingKeys, settingParts) as Settings };
}

/** `description` as the files write it: the loader stores a missing one as '', so '' is left out. */
const descriptionOf = (row: Row): { description?: string } => (row.description === '' ? {} : { description: row.description });

function problemCodeOf(row: Row): ProblemCodeFile {
  const settings = isPlain(row.settings) ? Object.fromEntries(Object.entries(row.settings).filter(([key]) => !columnKeys.includes(key))) : {};
  return {
    code: row.code,
    name: row.name,
    description: row.description,
    ...(ordered(settings, problemCodeKeys, { ...settingParts, questions: listOf(question) }) as Omit<ProblemCodeFile, 'code' | 'name' | 'description'>),
    // Active is the default and is left out, as in the sample files.
    ...(row.status === 'retired' ? { status: 'retired' as const } : {}),
  };
}

/**
 * The live hierarchy in the shape of the files. Retired departments, providers and categories are left
 * out: the format has no status for them, and a load of the export retires them again, as they are.
 * Retired problem codes are written with `"status": "retired"` under their (active) category.
 */
export function exportHierarchy(db: Db): ExportedHierarchy {
  const stored = db.select().from(cityProfile).where(eq(cityProfile.key, 'city')).get();
  if (!stored || !isPlain(stored.value)) throw new DomainError('NOT_FOUND', 'The database holds no city profile (city.json); load a city folder first.');

  // Siblings by position; equal positions happen when the loader retired a node and left its old
  // position behind, and are broken by id, i.e. the order the nodes were created in.
  const rows = db.select().from(hierarchyNodes).orderBy(asc(hierarchyNodes.parentId), asc(hierarchyNodes.position), asc(hierarchyNodes.id)).all();
  const children = new Map<number | null, Row[]>();
  for (const row of rows) {
    const siblings = children.get(row.parentId) ?? [];
    siblings.push(row);
    children.set(row.parentId, siblings);
  }
  const below = (parentId: number | null, level: HierarchyLevel, includeRetired = false) =>
    (children.get(parentId) ?? []).filter((row) => row.level === level && (includeRetired || row.status === 'active'));

  const departments = below(null, 'department').map((d) => {
    const providers = below(d.id, 'provider').map(
      (p): ProviderFile => ({
        code: p.code,
        name: p.name,
        ...descriptionOf(p),
        ...defaultsOf(p.settings),
        categories: below(p.id, 'category').map(
          (c): CategoryFile => ({
            code: c.code,
            name: c.name,
            ...descriptionOf(c),
            ...defaultsOf(c.settings),
            problemCodes: below(c.id, 'problem_code', true).map(problemCodeOf),
          }),
        ),
      }),
    );
    const data = { $schema: departmentSchemaRef, code: d.code, name: d.name, ...descriptionOf(d), ...defaultsOf(d.settings), providers };
    return { fileName: `${d.code.toLowerCase()}.json`, data };
  });

  // The stored `$schema` (if city.json had one) was relative to the folder it was loaded from; write ours.
  const { $schema: _stored, defaults, ...city } = stored.value;
  const cityFile = {
    $schema: citySchemaRef,
    ...ordered(city, ['name', 'description', 'timezone', 'source']),
    ...defaultsOf(defaults),
  } as ExportedHierarchy['city'];
  return { city: cityFile, departments };
}

export interface WriteSummary {
  /** Paths of the files written, city.json first. */
  written: string[];
  /** Department files that were in the folder but are not in the export. */
  removed: string[];
}

const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes `exported` to `dir` (created if needed): city.json and departments/<code>.json, 2-space JSON with
 * a final newline. Other departments/*.json files are removed, so the folder mirrors the database exactly.
 */
export function writeCityFolder(dir: string, exported: ExportedHierarchy): WriteSummary {
  const departmentsDir = join(dir, 'departments');
  mkdirSync(departmentsDir, { recursive: true });
  const written = [join(dir, 'city.json')];
  writeFileSync(written[0]!, jsonText(exported.city));
  for (const { fileName, data } of exported.departments) {
    const path = join(departmentsDir, fileName);
    writeFileSync(path, jsonText(data));
    written.push(path);
  }
  const keep = new Set(exported.departments.map((d) => d.fileName));
  const removed = readdirSync(departmentsDir)
    .filter((f) => f.endsWith('.json') && !keep.has(f))
    .map((f) => join(departmentsDir, f));
  for (const path of removed) rmSync(path);
  return { written, removed };
}
