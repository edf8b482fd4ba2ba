import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import t, { type Test } from 'tap';
import type { Db } from '../../db/connection.ts';
import { auditLog } from '../../db/schema/audit.ts';
import { hierarchyNodes } from '../../db/schema/hierarchy.ts';
import { readCityFolder, sampleCityDir, type DepartmentFile } from '../../server/hierarchy/files.ts';
import { freshDb, loadHierarchy as load, tempDir } from '../helper.ts';

const repoRoot = join(import.meta.dirname, '..', '..');



const levelCounts = (db: Db) =>
  Object.fromEntries(
    db.select({ level: hierarchyNodes.level, n: count() }).from(hierarchyNodes).where(eq(hierarchyNodes.status, 'active')).groupBy(hierarchyNodes.level).all().map((r) => [r.level, r.n]),
  );

/** A copy of the sample city to change. */
function sampleCopy(t: Test): string {
  const dir = join(tempDir(t), 'city');
  cpSync(sampleCityDir, dir, { recursive: true });
  return dir;
}

const editDepartment = (dir: string, file: string, edit: (d: DepartmentFile) => void) => {
  const path = join(dir, 'departments', file);
  const data = JSON.parse(readFileSync(path, 'utf8')) as DepartmentFile;
  edit(data);
  writeFileSync(path, JSON.stringify(data, null, 2));
};

t.test('the sample city loads, and loading it again changes nothing', async (t) => {
  const { db } = freshDb(t);
  const first = load(db, sampleCityDir);
  const counts = levelCounts(db);
  t.ok(counts.department! >= 8, `${counts.department} departments`);
  t.ok(counts.provider! >= 20, `${counts.provider} providers`);
  t.ok(counts.category! >= 40, `${counts.category} categories`);
  t.ok(counts.problem_code! >= 150, `${counts.problem_code} problem codes`);
  t.equal(first.created.length, db.select({ n: count() }).from(hierarchyNodes).get()!.n, 'every node is reported as created');

  const auditBefore = db.select({ n: count() }).from(auditLog).get()!.n;
  const second = load(db, sampleCityDir);
  t.same({ created: second.created, updated: second.updated, retired: second.retired }, { created: [], updated: [], retired: [] });
  t.equal(second.unchanged, first.created.length);
  t.equal(db.select({ n: count() }).from(auditLog).get()!.n, auditBefore, 'a second run writes nothing, not even audit entries');
});

t.test('edits are applied by code, and a code no longer in the files is retired, not deleted', async (t) => {
  const { db } = freshDb(t);
  load(db, sampleCityDir);
  const dir = sampleCopy(t);
  let removed = '';
  let renamed = '';
  editDepartment(dir, 'pwd.json', (d) => {
    const category = d.providers[0]!.categories[0]!;
    renamed = category.problemCodes[0]!.code;
    category.problemCodes[0]!.name = 'Renamed for the test';
    removed = category.problemCodes.pop()!.code;
  });
  const originalName = db.select().from(hierarchyNodes).where(eq(hierarchyNodes.code, renamed)).get()!.name;
  const summary = load(db, dir);
  t.same(summary.updated, [renamed]);
  t.same(summary.retired, [removed]);
  t.same(summary.created, []);
  const row = db.select().from(hierarchyNodes).where(eq(hierarchyNodes.code, removed)).get()!;
  t.equal(row.status, 'retired', 'the removed code is still there, retired');
  const edited = db.select().from(hierarchyNodes).where(eq(hierarchyNodes.code, renamed)).get()!;
  t.equal(edited.name, 'Renamed for the test');
  t.equal(edited.version, 2, 'its version moved on');
  const audit = db.select().from(auditLog).where(eq(auditLog.entityId, renamed)).all().at(-1)!;
  t.equal(audit.action, 'hierarchy.updated');
  t.same(audit.changes, { name: { before: originalName, after: 'Renamed for the test' } }, 'the audit names just the changed field');
});

t.test('every problem in the files is reported with file and JSON path, and nothing is changed', async (t) => {
  const dir = sampleCopy(t);
  editDepartment(dir, 'pwd.json', (d) => {
    const code = d.providers[0]!.categories[0]!.problemCodes[0]!;
    (code as unknown as Record<string, unknown>).colour = 'red';
    code.questions = [{ code: 'KIND', variable: true, datatype: 'singlevaluelist', required: true, order: 1, description: 'Which kind?' }];
  });
  editDepartment(dir, 'park.json', (d) => {
    d.providers[0]!.categories[0]!.problemCodes[0]!.standardWorkOrder = { provider: 'NO-SUCH-PROVIDER' };
  });
  editDepartment(dir, 'isd.json', (d) => {
    d.providers[0]!.code = 'PWD';
  });
  writeFileSync(join(dir, 'departments', 'broken.json'), '{ "code": ');

  // Two passes: schema problems first (all of them), then the cross-file rules.
  const { hierarchy, problems } = readCityFolder(dir);
  t.notOk(hierarchy);
  const found = problems.map((p) => `${p.file.split('/').slice(-2).join('/')} ${p.path} ${p.message}`);
  t.match(found.join('\n'), /departments\/pwd\.json \/providers\/0\/categories\/0\/problemCodes\/0 unknown property "colour"/);
  t.match(found.join('\n'), /departments\/pwd\.json \/providers\/0\/categories\/0\/problemCodes\/0\/questions\/0 missing property "values"/);
  t.match(found.join('\n'), /departments\/broken\.json \/ not valid JSON/);

  rmSync(join(dir, 'departments', 'broken.json'));
  editDepartment(dir, 'pwd.json', (d) => {
    const code = d.providers[0]!.categories[0]!.problemCodes[0]!;
    delete (code as unknown as Record<string, unknown>).colour;
    code.questions![0]!.values = [{ key: 'A', name: 'A' }, { key: 'A', name: 'Again' }];
  });
  const second = readCityFolder(dir).problems.map((p) => `${p.file.split('/').slice(-2).join('/')} ${p.path} ${p.message}`).join('\n');
  t.match(second, /departments\/pwd\.json \/providers\/0\/categories\/0\/problemCodes\/0\/questions\/0\/values\/1\/key value key A appears twice/);
  t.match(second, /departments\/park\.json \/providers\/0\/categories\/0\/problemCodes\/0\/standardWorkOrder\/provider no service provider has the code NO-SUCH-PROVIDER/);
  t.match(second, /departments\/pwd\.json \/code code PWD is already used at .*isd\.json#\/providers\/0|departments\/isd\.json \/providers\/0\/code code PWD is already used/);

  // The command: lists every problem, exits 1, and the database it was pointed at is untouched.
  const { db, path } = freshDb(t);
  load(db, sampleCityDir);
  const before = JSON.stringify(db.select().from(hierarchyNodes).all());
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/load-hierarchy.ts', dir], { cwd: repoRoot, env: { PATH: process.env.PATH, DATABASE_PATH: path }, encoding: 'utf8' });
  t.equal(run.status, 1);
  t.match(run.stderr, /problems; nothing was changed\./);
  t.ok(run.stderr.split('\n').length >= 4, 'every problem has its own line');
  t.equal(JSON.stringify(db.select().from(hierarchyNodes).all()), before, 'the database is unchanged');
});

t.test('a change the database cannot take rolls back the whole load', async (t) => {
  const { db } = freshDb(t);
  load(db, sampleCityDir);
  const before = JSON.stringify(db.select().from(hierarchyNodes).all());
  const auditBefore = db.select({ n: count() }).from(auditLog).get()!.n;
  const dir = sampleCopy(t);
  editDepartment(dir, 'pwd.json', (d) => {
    d.name = 'Changed before the failure';
    // A category's code reused as a problem code elsewhere: codes never change level.
    const category = d.providers[0]!.categories[0]!;
    const other = d.providers[0]!.categories[1]!;
    other.problemCodes[0]!.code = category.code;
    category.code = `${category.code}-NEW`;
  });
  t.throws(() => load(db, dir), /never changes level/);
  t.equal(JSON.stringify(db.select().from(hierarchyNodes).all()), before, 'no node changed');
  t.equal(db.select({ n: count() }).from(auditLog).get()!.n, auditBefore, 'no audit entry written');
});
