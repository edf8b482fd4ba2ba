// scripts/create-user: how the first administrator of a production install is made.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { closeDatabase, openDatabase } from '../../db/connection.ts';
import { findUserRowByUsername } from '../../server/accounts/service.ts';
import { verifyPassword } from '../../server/accounts/passwords.ts';
import { tempDir } from '../helper.ts';

const repoRoot = join(import.meta.dirname, '..', '..');

function createUser(dbPath: string, args: string[], stdin: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/create-user.ts', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', SESSION_SECRET: 'y'.repeat(40), DATABASE_PATH: dbPath },
    input: stdin,
    encoding: 'utf8',
  });
}

t.test('create-user makes an administrator from flags and a password on standard input', async (t) => {
  const path = join(tempDir(t), 'prod.db');
  const flags = ['--username', 'Chief', '--display-name', 'Łucja Żak', '--email', 'lz@city.example', '--role', 'admin', '--password-stdin'];
  const run = createUser(path, flags, 'the first admin password\n');
  t.equal(run.status, 0, run.stderr);
  t.match(run.stdout, /Created admin chief \(id 1\)/);

  const db = openDatabase(path);
  t.teardown(() => closeDatabase(db));
  const row = findUserRowByUsername(db, 'chief')!;
  t.equal(row.displayName, 'Łucja Żak');
  t.ok(await verifyPassword('the first admin password', row.passwordHash), 'the password works');

  const again = createUser(path, flags, 'the first admin password\n');
  t.equal(again.status, 2, 'a taken username is refused');
  t.match(again.stderr, /username is already taken\nNothing was created\./);

  const weak = createUser(path, ['--username', 'deputy', '--display-name', 'D', '--email', 'd@city.example', '--role', 'admin', '--password-stdin'], 'short\n');
  t.equal(weak.status, 2);
  t.match(weak.stderr, /password must be at least 10 characters long/);
  const badFields = createUser(path, ['--username', ' Bad Name!<script>', '--display-name', '', '--email', 'not-an-email', '--role', 'admin', '--password-stdin'], 'long enough password\n');
  t.equal(badFields.status, 2, 'the same rules as the API: bad fields are refused');
  t.match(badFields.stderr, /username must be 2 to 40 letters/);
  t.match(badFields.stderr, /displayName is required/);
  t.match(badFields.stderr, /email must be an e-mail address/);
  const badRole = createUser(path, ['--username', 'deputy', '--display-name', 'D', '--email', 'd@city.example', '--role', 'mayor', '--password-stdin'], 'long enough password\n');
  t.equal(badRole.status, 2);
  t.match(badRole.stderr, /role must be one of clerk, dispatcher, admin/);
});
