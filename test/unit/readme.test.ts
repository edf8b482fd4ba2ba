// The README is part of the product: its configuration table must name every variable the server reads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { configVariables } from '../../server/config.ts';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

t.test('the README configuration table lists every configuration variable with its default', async (t) => {
  for (const variable of configVariables) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${variable.name}\` |`));
    t.ok(row, `${variable.name} has a row`);
    if (row && variable.default !== undefined) t.match(row, `\`${String(variable.default)}\``, `${variable.name} shows its default`);
  }
});

t.test('the README quick start is the two commands', async (t) => {
  t.match(readme, '```sh\nnpm install && npm start\n```');
  t.match(readme, '```sh\nnpm test\n```');
});
