// Builds the app exactly as production does (buildApp, same ajv options, config validated by the
// same schema) on a fresh temporary database file; both are closed and removed when the test ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { closeDatabase, openDatabase, type Db } from '../db/connection.ts';
import type { Role } from '../db/schema/accounts.ts';
import { addresses } from '../db/schema/addresses.ts';
import { createUser, type PublicUser } from '../server/accounts/service.ts';
import { buildApp } from '../server/app.ts';
import { systemActor } from '../server/audit/service.ts';
import { readCityFolder, sampleCityDir } from '../server/hierarchy/files.ts';
import { createContact } from '../server/contacts/service.ts';
import { applyHierarchy } from '../server/hierarchy/loader.ts';
import { csrfHeader, sessionCookie } from '../server/plugins/auth.ts';
import { loadConfig, type Config } from '../server/config.ts';

/** A temporary folder removed when `t` ends. */
export function tempDir(t: Test, prefix = 'onewindow-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function testConfig(t: Test, env: Record<string, string> = {}): Config {
  // LOGIN_DELAY_MS=1 keeps the brute-force slow-down from slowing the tests themselves.
  return loadConfig(
    { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_PATH: join(tempDir(t), 'test.db'), LOGIN_DELAY_MS: '1', ...env },
    { dotenv: false },
  );
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
}

export async function buildTestApp(t: Test, env: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(t, env);
  const app = await buildApp({ config });
  t.teardown(() => app.close());
  return { app, config };
}

export interface SignedIn {
  user: PublicUser;
  password: string;
  /** The Cookie header to send. */
  cookie: string;
  csrfToken: string;
  /** Headers for a state-changing request: cookie and CSRF token. */
  headers: Record<string, string>;
}

let userCounter = 0;

/** Creates a user with `role` directly through the service (no HTTP), as an administrator would. */
export async function createTestUser(app: FastifyInstance, role: Role, username = `${role}${++userCounter}`): Promise<{ user: PublicUser; password: string }> {
  await app.ready();
  const password = `Pw-${Math.random().toString(36).slice(2, 10)}-long-enough`;
  const user = await createUser(app.db, systemActor, { username, displayName: `Test ${role}`, email: `${username}@city.example`, role, password });
  return { user, password };
}

/** Signs in over the API, as the web app does, and returns what later requests must send. */
export async function signIn(app: FastifyInstance, username: string, password: string): Promise<Omit<SignedIn, 'user' | 'password'>> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const session = res.cookies.find((c) => c.name === sessionCookie);
  if (!session) throw new Error('sign-in set no session cookie');
  const cookie = `${sessionCookie}=${session.value}`;
  const csrfToken = (res.json() as { csrfToken: string }).csrfToken;
  return { cookie, csrfToken, headers: { cookie, [csrfHeader]: csrfToken } };
}

export async function signedInAs(app: FastifyInstance, role: Role, username?: string): Promise<SignedIn> {
  const { user, password } = await createTestUser(app, role, username);
  return { user, password, ...(await signIn(app, user.username, password)) };
}

/** Whether `cookie` (a Cookie header) is a live session. */
export async function isSignedIn(app: FastifyInstance, cookie: string): Promise<boolean> {
  const res = await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
  return (res.json() as { user: unknown }).user !== null;
}

/** A new database file, migrated, closed when `t` ends. */
export function freshDb(t: Test): { db: Db; path: string } {
  const path = join(tempDir(t), 'test.db');
  const db = openDatabase(path);
  t.teardown(() => closeDatabase(db));
  return { db, path };
}

/** Loads a city folder of hierarchy files (the sample city by default), failing loudly on any problem. */
export function loadHierarchy(db: Db, dir = sampleCityDir) {
  const { hierarchy, problems } = readCityFolder(dir);
  if (!hierarchy) throw new Error(`the hierarchy files have problems: ${JSON.stringify(problems.slice(0, 5))}`);
  return applyHierarchy(db, systemActor, hierarchy);
}

/** A caller with a Boston phone, an e-mail and a postal address, made through the contacts service. */
export function createTestCaller(db: Db) {
  return createContact(db, systemActor, {
    name: 'Maria Delgado',
    organisation: '',
    phones: [{ label: 'mobile', number: '617-555-0142' }],
    emails: ['maria.delgado@example.org'],
    postalAddress: '29 Hereford St, Boston MA 02115',
    addressId: null,
    preferredReply: 'email',
    language: '',
    notes: '',
  }).contact;
}

/** 40 Hereford St, Boston: a real address of the sample registry, where the tests' problems are. */
export const hereford = { latitude: 42.3494, longitude: -71.0858 };

/** A point `metres` north of 40 Hereford St. */
export const northOfHereford = (metres: number) => ({ latitude: hereford.latitude + metres / 111_195, longitude: hereford.longitude });

/** Puts 40 Hereford St in the address registry (the registry has its own tests) and returns its id. */
export function addHerefordAddress(db: Db): number {
  const at = new Date().toISOString();
  return db
    .insert(addresses)
    .values({ number: '40', street: 'Hereford St', postcode: '02115', city: 'Back Bay', region: 'MA', ...hereford, createdAt: at, updatedAt: at })
    .returning({ id: addresses.id })
    .get().id;
}
