// Writes the hierarchy in the database back out as a city folder, in the format load-hierarchy reads:
// `node --import tsx scripts/export-hierarchy.ts <folder>`. The folder is made to mirror the database:
// city.json and departments/*.json are overwritten, and department files the database does not hold are
// removed. The written folder is then read back with the loader's own checks.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { closeDatabase, openDatabase } from '../db/connection.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { DomainError } from '../server/errors.ts';
import { exportHierarchy, writeCityFolder, type ExportedHierarchy } from '../server/hierarchy/export.ts';
import { readCityFolder } from '../server/hierarchy/files.ts';
import { hierarchyIsEmpty } from '../server/hierarchy/loader.ts';

function main(): number {
  const dir = process.argv[2];
  if (!dir || dir.startsWith('-')) {
    console.error('usage: node --import tsx scripts/export-hierarchy.ts <city folder>   (writes city.json and departments/*.json there)');
    return 2;
  }
  const config = loadConfig();
  // openDatabase would create (and migrate) a missing file; an export has nothing to read from one.
  if (config.DATABASE_PATH !== ':memory:' && !existsSync(config.DATABASE_PATH)) {
    console.error(`There is no database at ${resolve(config.DATABASE_PATH)} (DATABASE_PATH); nothing was written.`);
    return 1;
  }
  const db = openDatabase(config.DATABASE_PATH);
  let exported: ExportedHierarchy;
  try {
    if (hierarchyIsEmpty(db)) {
      console.error(`The database at ${resolve(config.DATABASE_PATH)} holds no hierarchy; load one with npm run load-hierarchy. Nothing was written.`);
      return 1;
    }
    exported = exportHierarchy(db);
  } catch (error) {
    if (error instanceof DomainError) {
      console.error(`${error.message}\nNothing was written.`);
      return 1;
    }
    throw error;
  } finally {
    closeDatabase(db);
  }
  if (exported.departments.length === 0) {
    console.error('Every department in the database is retired; there is nothing to export. Nothing was written.');
    return 1;
  }

  const { removed } = writeCityFolder(dir, exported);
  const providers = exported.departments.flatMap((d) => d.data.providers);
  const categories = providers.flatMap((p) => p.categories);
  const problemCodes = categories.flatMap((c) => c.problemCodes);
  const retired = problemCodes.filter((pc) => pc.status === 'retired').length;
  console.log(
    `wrote ${exported.departments.length} departments, ${providers.length} providers, ${categories.length} categories and ` +
      `${problemCodes.length} problem codes${retired ? ` (${retired} retired)` : ''} to ${resolve(dir)}`,
  );
  if (removed.length) console.log(`removed ${removed.length} department file${removed.length === 1 ? '' : 's'} the database does not hold: ${removed.join(', ')}`);

  // A database edited by hand can hold what the files cannot say (e.g. a category left with no problem
  // code); say so now rather than at the next load.
  const { problems } = readCityFolder(dir);
  if (problems.length > 0) {
    for (const p of problems) console.error(`${p.file}: ${p.path}: ${p.message}`);
    console.error(`The written folder has ${problems.length} problem${problems.length === 1 ? '' : 's'} and would not load as it is.`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
  } else throw error;
}
