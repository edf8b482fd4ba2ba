// `npm run bench [-- --quick]`: every benchmark in turn, each in its own process (so one's memory and
// caches do not colour the next), with the same arguments.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// The city-scale run comes last: it reuses the database it builds, and the others' numbers stay their own.
const benchmarks = ['hierarchy-search.ts', 'kb-search.ts', 'duplicates.ts', 'reports.ts', 'city-scale.ts'];

let failed = false;
for (const file of benchmarks) {
  console.log(`\n=== ${file}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, file), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
