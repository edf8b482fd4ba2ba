// Sign-in, sessions and the brute-force throttle. Sessions live in the database, so a restart keeps
// people signed in and several server processes share them; the cookie's token is stored only as an
// HMAC keyed with the session secret, so a copy of the database signs nobody in.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { perConnection, type Db } from '../../db/connection.ts';
import { loginThrottle, sessions, users } from '../../db/schema/accounts.ts';
import { DomainError } from '../errors.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { dummyHashPromise, verifyPassword } from './passwords.ts';
import { toPublicUser, type PublicUser } from './service.ts';

export interface SessionSettings {
  secret: string;
  idleMinutes: number;
  maxHours: number;
  /** Added delay per failed sign-in after the third, in ms. */
  loginDelayMs: number;
}

export interface SessionCredentials {
  token: string;
  csrfToken: string;
  expiresAt: string;
}

export interface ActiveSession {
  user: PublicUser;
  csrfToken: string;
  expiresAt: string;
}

type DbOrTx = Pick<Db, 'select' | 'insert' | 'update' | 'delete'>;

function hashToken(secret: string, token: string): string {
  return createHmac('sha256', secret).update(token).digest('base64url');
}

export function createSession(db: DbOrTx, settings: SessionSettings, userId: number, client: { ip?: string; userAgent?: string }): SessionCredentials {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + settings.maxHours * 3_600_000).toISOString();
  db.insert(sessions)
    .values({
      idHash: hashToken(settings.secret, token),
      userId,
      csrfToken,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt,
      ip: client.ip ?? null,
      userAgent: client.userAgent?.slice(0, 300) ?? null,
    })
    .run();
  return { token, csrfToken, expiresAt };
}

/** Every request with a cookie asks for its session: the query is built once per connection, not each time. */
const sessionQuery = perConnection((db) => db.select().from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.idHash, sql.placeholder('idHash'))).prepare());

/** The session behind a cookie token, or null when it does not exist, has expired or its user is disabled. */
export function findSession(db: Db, settings: SessionSettings, token: string): ActiveSession | null {
  const idHash = hashToken(settings.secret, token);
  const found = sessionQuery(db).get({ idHash });
  if (!found) return null;
  const now = Date.now();
  const idleLimit = Date.parse(found.sessions.lastSeenAt) + settings.idleMinutes * 60_000;
  if (now >= Date.parse(found.sessions.expiresAt) || now >= idleLimit || !found.users.active) {
    db.delete(sessions).where(eq(sessions.idHash, idHash)).run();
    return null;
  }
  // Written at most once a minute: enough for the idle limit, cheap on a busy desk.
  if (now - Date.parse(found.sessions.lastSeenAt) > 60_000) {
    db.update(sessions).set({ lastSeenAt: new Date(now).toISOString() }).where(eq(sessions.idHash, idHash)).run();
  }
  return { user: toPublicUser(found.users), csrfToken: found.sessions.csrfToken, expiresAt: found.sessions.expiresAt };
}

/** Sessions past their end, or idle too long, that nobody presented again; run at each sign-in. */
function purgeEndedSessions(db: DbOrTx, settings: SessionSettings): void {
  const now = Date.now();
  db.delete(sessions)
    .where(or(lt(sessions.expiresAt, new Date(now).toISOString()), lt(sessions.lastSeenAt, new Date(now - settings.idleMinutes * 60_000).toISOString())))
    .run();
}

export function revokeSession(db: DbOrTx, settings: SessionSettings, token: string): void {
  db.delete(sessions).where(eq(sessions.idHash, hashToken(settings.secret, token))).run();
}

export function revokeUserSessions(db: DbOrTx, userId: number): void {
  db.delete(sessions).where(eq(sessions.userId, userId)).run();
}

/** Compares the CSRF token a request sent with its session's, in constant time. */
export function csrfTokenMatches(session: ActiveSession, sent: string | undefined): boolean {
  if (!sent) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}

// --- Brute-force throttle -------------------------------------------------------------------------

/** Failures within this window count towards a lock. */
const throttleWindowMs = 15 * 60_000;
const lockMs = 15 * 60_000;
/** Failed sign-ins for one username before it locks; from one address (many usernames) before it locks. */
export const lockAfter = { username: 10, address: 50 };

/** Lifts a username's lock (an administrator has just set a new password for it). */
export function clearUsernameThrottle(db: DbOrTx, username: string): void {
  db.delete(loginThrottle).where(eq(loginThrottle.key, throttleKeys(username, '').username)).run();
}

interface ThrottleKeys {
  username: string;
  address: string;
}

function throttleKeys(username: string, ip: string): ThrottleKeys {
  return { username: `user:${username.trim().toLowerCase()}`, address: `ip:${ip}` };
}

function lockedFor(db: DbOrTx, keys: ThrottleKeys, now: number): number {
  let seconds = 0;
  for (const key of [keys.username, keys.address]) {
    const row = db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
    if (row?.lockedUntil && Date.parse(row.lockedUntil) > now) {
      seconds = Math.max(seconds, Math.ceil((Date.parse(row.lockedUntil) - now) / 1000));
    }
  }
  return seconds;
}

/**
 * Counts an attempt against the username and the address *before* the password is checked, in one
 * transaction, so guesses sent all at once cannot all slip past the limit while the hash is computed.
 * Throws LOGIN_LOCKED when either is locked. Returns the username's attempts in the current window.
 */
function reserveAttempt(db: Db, keys: ThrottleKeys, actor: Actor, now: number): number {
  return db.transaction((tx) => {
    const locked = lockedFor(tx, keys, now);
    if (locked > 0) throw lockedError(locked);
    let usernameAttempts = 0;
    for (const [key, limit] of [
      [keys.username, lockAfter.username],
      [keys.address, lockAfter.address],
    ] as const) {
      const row = tx.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get();
      const fresh = !row || now - Date.parse(row.firstFailureAt) > throttleWindowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const lockedUntil = failures >= limit ? new Date(now + lockMs).toISOString() : null;
      const firstFailureAt = fresh ? new Date(now).toISOString() : row.firstFailureAt;
      tx.insert(loginThrottle)
        .values({ key, failures, firstFailureAt, lockedUntil })
        .onConflictDoUpdate({ target: loginThrottle.key, set: { failures, firstFailureAt, lockedUntil } })
        .run();
      // Audited once, when the lock starts: refused attempts while locked write nothing.
      if (failures === limit) recordAudit(tx, actor, { entityType: 'session', entityId: key, action: 'auth.locked' });
      if (key === keys.username) usernameAttempts = failures;
    }
    // Old entries would otherwise pile up.
    tx.delete(loginThrottle)
      .where(lt(loginThrottle.firstFailureAt, new Date(now - throttleWindowMs - lockMs).toISOString()))
      .run();
    return usernameAttempts;
  });
}

/** A successful sign-in: the username starts afresh, and the address gets its reserved attempt back. */
function releaseAttempt(tx: DbOrTx, keys: ThrottleKeys): void {
  tx.delete(loginThrottle).where(eq(loginThrottle.key, keys.username)).run();
  tx.update(loginThrottle)
    .set({ failures: sql`max(${loginThrottle.failures} - 1, 0)` })
    .where(and(eq(loginThrottle.key, keys.address), isNull(loginThrottle.lockedUntil)))
    .run();
}

export interface LoginInput {
  username: string;
  password: string;
  ip: string;
  userAgent?: string;
}

const loginFailed = () => new DomainError('LOGIN_FAILED', 'Wrong username or password.');

/**
 * Signs a user in and opens a session. Failures say the same thing, and take as long, whether or not
 * the username exists; repeated failures slow down and then lock the username (or the address).
 */
export async function login(db: Db, settings: SessionSettings, input: LoginInput): Promise<{ user: PublicUser } & SessionCredentials> {
  const keys = throttleKeys(input.username, input.ip);
  const actor = { userId: null, label: input.username.trim().toLowerCase().slice(0, 100), ip: input.ip };
  const attempts = reserveAttempt(db, keys, actor, Date.now());

  const row = db.select().from(users).where(eq(users.username, input.username.trim().toLowerCase())).get();
  const valid = row ? await verifyPassword(input.password, row.passwordHash) : await verifyPassword(input.password, await dummyHashPromise);
  if (!row || !valid || !row.active) {
    recordAudit(db, actor, { entityType: 'user', entityId: row?.id ?? null, action: 'auth.login_failed' });
    if (attempts > 3) await sleep(Math.min(settings.loginDelayMs * (attempts - 3), 5_000));
    const nowLocked = lockedFor(db, keys, Date.now());
    if (nowLocked > 0) throw lockedError(nowLocked);
    throw loginFailed();
  }

  return db.transaction((tx) => {
    releaseAttempt(tx, keys);
    purgeEndedSessions(tx, settings);
    const credentials = createSession(tx, settings, row.id, input);
    recordAudit(tx, { userId: row.id, label: row.username, ip: input.ip }, { entityType: 'user', entityId: row.id, action: 'auth.login' });
    return { user: toPublicUser(row), ...credentials };
  });
}

function lockedError(seconds: number): DomainError {
  const minutes = Math.ceil(seconds / 60);
  return new DomainError(
    'LOGIN_LOCKED',
    `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to reset your password.`,
    undefined,
    seconds,
  );
}
