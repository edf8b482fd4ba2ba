import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import t, { type Test } from 'tap';
import type { Db } from '../../db/connection.ts';
import { auditLog } from '../../db/schema/audit.ts';
import { cityProfile, hierarchyNodes } from '../../db/schema/hierarchy.ts';
import { exportHierarchy, writeCityFolder } from '../../server/hierarchy/export.ts';
import { readCityFolder, sampleCityDir, type DepartmentFile } from '../../server/hierarchy/files.ts';
import { freshDb, loadHierarchy as load, tempDir } from '../helper.ts';

const repoRoot = join(import.meta.dirname, '..', '..');



/** Exports `db` into a new temporary folder and returns the folder. */
function exportTo(t: Test, db: Db, name: string): string {
  const dir = join(tempDir(t), name);
  writeCityFolder(dir, exportHierarchy(db));
  return dir;
}

/** Every file under `dir`, by path relative to it, with its exact content. */
function filesOf(dir: string): Map<string, string> {
  const paths = (readdirSync(dir, { recursive: true }) as string[]).filter((p) => statSync(join(dir, p)).isFile()).sort();
  return new Map(paths.map((p) => [p, readFileSync(join(dir, p), 'utf8')]));
}

/** The rows as the files describe them: the parent by code (ids may differ between databases). */
function nodeRows(db: Db) {
  const all = db.select().from(hierarchyNodes).all();
  const codeOf = new Map(all.map((r) => [r.id, r.code]));
  return all
    .map((r) => ({
      code: r.code,
      level: r.level,
      parentCode: r.parentId === null ? null : codeOf.get(r.parentId),
      name: r.name,
      description: r.description,
      position: r.position,
      status: r.status,
      settings: r.settings,
    }))
    .sort((a, b) => (a.code < b.code ? -1 : 1));
}

const cityRow = (db: Db) => db.select().from(cityProfile).where(eq(cityProfile.key, 'city')).get()?.value;
const auditCount = (db: Db) => db.select({ n: count() }).from(auditLog).get()!.n;
const readDepartment = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, 'departments', file), 'utf8')) as DepartmentFile;
const allProblemCodes = (d: DepartmentFile) => d.providers.flatMap((p) => p.categories.flatMap((c) => c.problemCodes));

t.test('load → export → load → export is a fixed point: the same files byte for byte and the same rows', async (t) => {
  const first = freshDb(t).db;
  load(first, sampleCityDir);
  const a = exportTo(t, first, 'A');
  t.same(readCityFolder(a).problems, [], 'the export reads back without a single problem');

  const second = freshDb(t).db;
  load(second, a);
  const b = exportTo(t, second, 'B');

  const filesA = filesOf(a);
  const filesB = filesOf(b);
  t.same([...filesB.keys()], [...filesA.keys()], 'the same files');
  t.ok(filesA.size >= 9, `${filesA.size} files: city.json and the department files`);
  for (const [path, text] of filesA) t.equal(filesB.get(path), text, `${path} is the same byte for byte`);

  t.strictSame(nodeRows(second), nodeRows(first), 'both databases hold the same nodes');
  t.equal(JSON.stringify(nodeRows(second)), JSON.stringify(nodeRows(first)), 'down to the key order inside settings');
  t.strictSame(cityRow(second), cityRow(first), 'and the same city profile');

  // The loader compares settings as JSON text, so a key written in another order would count as a change.
  const auditBefore = auditCount(first);
  const again = load(first, a);
  t.same({ created: again.created, updated: again.updated, retired: again.retired }, { created: [], updated: [], retired: [] }, 'loading the export into the database it came from changes nothing');
  t.equal(auditCount(first), auditBefore, 'not even an audit entry');
});

t.test('the export of the sample city is exactly the sample files: equal after parsing, and byte for byte', async (t) => {
  const { db } = freshDb(t);
  load(db, sampleCityDir);
  const exported = filesOf(exportTo(t, db, 'A'));
  const sample = filesOf(sampleCityDir);
  sample.delete('SOURCE.md'); // documentation of the sample, not part of the hierarchy
  t.same([...exported.keys()], [...sample.keys()], 'city.json and one file per department, named <code in lower case>.json');
  const withoutSchema = (text: string) => {
    const { $schema: _ignored, ...rest } = JSON.parse(text) as Record<string, unknown>;
    return rest;
  };
  for (const [path, text] of sample) {
    t.strictSame(withoutSchema(exported.get(path) ?? '{}'), withoutSchema(text), `${path}: the same content`);
    // Holds because the sample writes keys in the schema's order, every node has a description, no
    // `defaults: {}` and no explicit `"status": "active"` (the export leaves out what the loader defaults).
    t.equal(exported.get(path), text, `${path}: the same bytes, $schema and key order included`);
  }
});

t.test('a retired problem code is exported with "status": "retired" and stays retired when the export is loaded', async (t) => {
  const { db } = freshDb(t);
  load(db, sampleCityDir);
  const code = 'S0301';
  db.update(hierarchyNodes).set({ status: 'retired' }).where(eq(hierarchyNodes.code, code)).run();

  const a = exportTo(t, db, 'A');
  const pwd = readDepartment(a, 'pwd.json');
  const retired = allProblemCodes(pwd).find((pc) => pc.code === code)!;
  t.equal(retired.status, 'retired');
  t.equal(Object.keys(retired).at(-1), 'status', 'status is the last key, after the settings');
  t.notOk(
    allProblemCodes(pwd).some((pc) => pc.code !== code && 'status' in pc),
    'active codes carry no status (active is the default)',
  );

  const other = freshDb(t).db;
  load(other, a);
  t.equal(other.select().from(hierarchyNodes).where(eq(hierarchyNodes.code, code)).get()!.status, 'retired', 'retired in a database loaded from the export');
  const same = load(db, a);
  t.same([same.created, same.updated, same.retired], [[], [], []], 'and loading it into its own database changes nothing');
});

t.test('retired departments, providers and categories are left out; a code the loader retired keeps its place', async (t) => {
  const { db } = freshDb(t);
  load(db, sampleCityDir);
  // Remove a whole category and one problem code from the middle of another, as an editor would.
  const edited = join(tempDir(t), 'edited');
  cpSync(sampleCityDir, edited, { recursive: true });
  const pwd = readDepartment(edited, 'pwd.json');
  const [kept, dropped] = pwd.providers[0]!.categories as [DepartmentFile['providers'][0]['categories'][0], DepartmentFile['providers'][0]['categories'][0]];
  t.ok(kept.problemCodes.length >= 3, 'the first category has a middle code to remove');
  const middle = kept.problemCodes.splice(1, 1)[0]!;
  pwd.providers[0]!.categories.splice(1, 1);
  writeFileSync(join(edited, 'departments', 'pwd.json'), JSON.stringify(pwd, null, 2));
  const summary = load(db, edited);
  t.ok(summary.retired.includes(dropped.code) && summary.retired.includes(middle.code), 'the loader retired them');

  // A department file the database does not hold is removed from the target folder.
  const a = join(tempDir(t), 'A');
  cpSync(sampleCityDir, a, { recursive: true });
  writeFileSync(join(a, 'departments', 'stale.json'), '{}\n');
  const { removed } = writeCityFolder(a, exportHierarchy(db));
  t.same(removed, [join(a, 'departments', 'stale.json')]);
  t.notOk(existsSync(join(a, 'departments', 'stale.json')), 'the stale department file is gone');
  t.equal(existsSync(join(a, 'SOURCE.md')), true, 'files other than departments/*.json are left alone');
  t.same(readCityFolder(a).problems, []);

  const exported = readDepartment(a, 'pwd.json');
  const text = readFileSync(join(a, 'departments', 'pwd.json'), 'utf8');
  t.notOk(text.includes(`"${dropped.code}"`), 'the retired category is not in the export');
  for (const pc of dropped.problemCodes) t.notOk(text.includes(`"code": "${pc.code}"`), `nor its problem code ${pc.code}`);
  const codes = exported.providers[0]!.categories[0]!.problemCodes;
  t.same(
    codes.map((pc) => pc.code),
    [kept.problemCodes[0]!.code, middle.code, ...kept.problemCodes.slice(1).map((pc) => pc.code)],
    'the retired code is written where it was: equal positions are ordered by creation',
  );
  t.equal(codes[1]!.status, 'retired');

  // The loader left the retired code's old position behind, so the first load of the export renumbers
  // the codes after it; from then on export and load agree exactly.
  const first = load(db, a);
  t.same([first.created, first.retired], [[], []], 'nothing is created and nothing more retired');
  t.same(first.updated, kept.problemCodes.slice(1).map((pc) => pc.code), 'only the codes after the retired one move, by one position');
  t.equal(db.select().from(hierarchyNodes).where(eq(hierarchyNodes.code, dropped.code)).get()!.status, 'retired', 'the category stays retired');
  const b = exportTo(t, db, 'B');
  for (const [path, content] of filesOf(b)) t.equal(content, filesOf(a).get(path), `${path} is unchanged by the round trip`);
  const second = load(db, b);
  t.same([second.created, second.updated, second.retired], [[], [], []], 'and a second round changes nothing');
});

t.test('the export-hierarchy command writes the folder, and refuses without a folder or a hierarchy', async (t) => {
  const { db, path } = freshDb(t);
  load(db, sampleCityDir);
  const out = join(tempDir(t), 'out');
  const run = (args: string[], databasePath = path) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/export-hierarchy.ts', ...args], { cwd: repoRoot, env: { PATH: process.env.PATH, DATABASE_PATH: databasePath }, encoding: 'utf8' });

  const ok = run([out]);
  t.equal(ok.status, 0, ok.stderr);
  t.match(ok.stdout, /wrote 11 departments, \d+ providers, \d+ categories and \d+ problem codes to .*out/);
  t.ok(existsSync(join(out, 'city.json')), 'city.json written');
  const expected = join(tempDir(t), 'expected');
  writeCityFolder(expected, exportHierarchy(db));
  t.strictSame(filesOf(out), filesOf(expected), 'the same files as exportHierarchy + writeCityFolder');

  const usage = run([]);
  t.equal(usage.status, 2);
  t.match(usage.stderr, /usage: .*export-hierarchy/);

  const empty = freshDb(t);
  const none = run([join(tempDir(t), 'none')], empty.path);
  t.equal(none.status, 1);
  t.match(none.stderr, /holds no hierarchy/);
  const missing = run([join(tempDir(t), 'none')], join(tempDir(t), 'no-such.db'));
  t.equal(missing.status, 1);
  t.match(missing.stderr, /There is no database at/);
});
