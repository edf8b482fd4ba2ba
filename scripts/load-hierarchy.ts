// Loads a city's hierarchy files into the database: `npm run load-hierarchy -- hierarchy-config/sample-city`.
// Everything is checked first and every problem listed; only then is it applied, in one transaction.
import { closeDatabase, openDatabase } from '../db/connection.ts';
import { systemActor } from '../server/audit/service.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { DomainError } from '../server/errors.ts';
import { readCityFolder } from '../server/hierarchy/files.ts';
import { applyHierarchy } from '../server/hierarchy/loader.ts';

function main(): number {
  const dir = process.argv[2];
  if (!dir || dir.startsWith('-')) {
    console.error('usage: npm run load-hierarchy -- <city folder>   (a folder with city.json and departments/*.json)');
    return 2;
  }
  const config = loadConfig();
  const { hierarchy, problems } = readCityFolder(dir);
  if (!hierarchy) {
    for (const p of problems) console.error(`${p.file}: ${p.path}: ${p.message}`);
    console.error(`${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed.`);
    return 1;
  }
  const db = openDatabase(config.DATABASE_PATH);
  try {
    const summary = applyHierarchy(db, { ...systemActor, label: 'load-hierarchy' }, hierarchy);
    const list = (codes: string[]) => (codes.length ? `: ${codes.join(', ')}` : '');
    console.log(`created ${summary.created.length}${list(summary.created)}`);
    console.log(`updated ${summary.updated.length}${list(summary.updated)}`);
    console.log(`retired ${summary.retired.length}${list(summary.retired)}`);
    console.log(`unchanged ${summary.unchanged}`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      console.error(`${error.message}\nNothing was changed.`);
      return 1;
    }
    throw error;
  } finally {
    closeDatabase(db);
  }
}

try {
  process.exitCode = main();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
  } else throw error;
}
