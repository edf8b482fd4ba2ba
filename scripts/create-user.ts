// Creates a staff user: `npm run create-user -- --username ana --display-name "Ana Díaz"
//   --email ana@city.example --role admin` (asks for the password), or answer every question when
// run without flags. In production this is how the first administrator is made.
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { closeDatabase, openDatabase } from '../db/connection.ts';
import { roles, type Role } from '../db/schema/accounts.ts';
import { createUser } from '../server/accounts/service.ts';
import { systemActor } from '../server/audit/service.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { DomainError } from '../server/errors.ts';

const usage = `usage: npm run create-user -- [--username NAME] [--display-name "FULL NAME"] [--email ADDRESS]
                              [--role ${roles.join('|')}] [--password-stdin]
Asks for whatever is not given. The password is asked for twice without echo, or read from
standard input with --password-stdin. DATABASE_PATH chooses the database, as for npm start.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      'display-name': { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const config = loadConfig();

  // The password is typed without echo: the prompt is written, then keystrokes are swallowed.
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stdout.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY });
  const ask = async (question: string, given?: string) => given ?? (await rl.question(question)).trim();
  const askSecret = async (question: string) => {
    process.stdout.write(question);
    muted = true;
    const answer = await rl.question('');
    muted = false;
    process.stdout.write('\n');
    return answer;
  };

  try {
    const username = await ask('Username: ', values.username);
    const displayName = await ask('Full name: ', values['display-name']);
    const email = await ask('E-mail: ', values.email);
    const role = await ask(`Role (${roles.join(', ')}): `, values.role);
    if (!(roles as readonly string[]).includes(role)) {
      console.error(`role must be one of ${roles.join(', ')}`);
      return 2;
    }
    let password: string;
    if (values['password-stdin']) {
      password = (await rl.question('')).replace(/\r?\n$/, '');
    } else {
      password = await askSecret('Password: ');
      if ((await askSecret('Password again: ')) !== password) {
        console.error('The two passwords differ; nothing was created.');
        return 2;
      }
    }
    const db = openDatabase(config.DATABASE_PATH);
    try {
      const user = await createUser(db, systemActor, { username, displayName, email, role: role as Role, password });
      console.log(`Created ${user.role} ${user.username} (id ${user.id}) in ${config.DATABASE_PATH}.`);
      return 0;
    } finally {
      closeDatabase(db);
    }
  } finally {
    rl.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DomainError) {
      const problems = error instanceof DomainError && error.details ? error.details.map((d) => `${d.field.replace('/body/', '')} ${d.message}`) : [error.message];
      console.error(`${problems.join('\n')}\nNothing was created.`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
