// Staff accounts: users, their roles and passwords. Every change is audited.
import { randomBytes } from 'node:crypto';
import { and, count, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { users, type Role } from '../../db/schema/accounts.ts';
import { assertNoProblems, DomainError, fieldError, type FieldProblem } from '../errors.ts';
import { recordAudit, systemActor, type Actor } from '../audit/service.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { clearUsernameThrottle, revokeUserSessions } from './sessions.ts';

type UserRow = typeof users.$inferSelect;

export interface PublicUser {
  id: number;
  username: string;
  displayName: string;
  email: string;
  role: Role;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string;
  version: number;
}

export function toPublicUser(row: UserRow): PublicUser {
  const { passwordHash: _hash, ...rest } = row;
  return rest;
}

/** What the audit trail keeps of a user: everything but the password hash. */
function audited(user: PublicUser) {
  const { createdAt: _c, updatedAt: _u, version: _v, ...fields } = user;
  return fields;
}

export function actorOf(user: PublicUser, ip?: string | null): Actor {
  return { userId: user.id, label: user.username, ip: ip ?? null };
}

export function findUserById(db: Db, id: number): PublicUser {
  const row = db.select().from(users).where(eq(users.id, id)).get();
  if (!row) throw new DomainError('NOT_FOUND', `There is no user ${id}.`);
  return toPublicUser(row);
}

export function findUserRowByUsername(db: Db, username: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.username, username.trim().toLowerCase())).get();
}

export interface UserListQuery {
  q?: string;
  role?: Role;
  active?: boolean;
  limit: number;
  offset: number;
}

export function listUsers(db: Db, query: UserListQuery): { items: PublicUser[]; total: number } {
  const where: SQL[] = [];
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      or(
        sql`${users.username} LIKE ${pattern} ESCAPE '\\'`,
        sql`${users.displayName} LIKE ${pattern} ESCAPE '\\'`,
        sql`${users.email} LIKE ${pattern} ESCAPE '\\'`,
      )!,
    );
  }
  if (query.role) where.push(eq(users.role, query.role));
  if (query.active !== undefined) where.push(eq(users.active, query.active));
  const filter = and(...where);
  const items = db.select().from(users).where(filter).orderBy(users.username).limit(query.limit).offset(query.offset).all();
  const total = db.select({ n: count() }).from(users).where(filter).get()?.n ?? 0;
  return { items: items.map(toPublicUser), total };
}

export interface NewUser {
  username: string;
  displayName: string;
  email: string;
  role: Role;
  password: string;
}

// The rules for a user's fields live here, not only in the route schemas, so every way in — the API,
// scripts/create-user, demo users — keeps them. The schemas repeat them to answer early and in one go.
const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,39}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function fieldProblems(input: { username?: string; displayName?: string; email?: string; password?: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.username !== undefined && !usernamePattern.test(input.username)) {
    problems.push({ field: '/body/username', message: 'must be 2 to 40 letters, digits, dots, dashes or underscores, starting with a letter or digit' });
  }
  if (input.displayName !== undefined && (input.displayName.length === 0 || input.displayName.length > 100)) {
    problems.push({ field: '/body/displayName', message: input.displayName.length === 0 ? 'is required' : 'must be at most 100 characters long' });
  }
  if (input.email !== undefined && (!emailPattern.test(input.email) || input.email.length > 254)) {
    problems.push({ field: '/body/email', message: 'must be an e-mail address, like name@city.gov' });
  }
  if (input.password !== undefined && input.username !== undefined) {
    const problem = passwordProblem(input.password, input.username);
    if (problem) problems.push({ field: '/body/password', message: problem });
  }
  return problems;
}


export async function createUser(db: Db, actor: Actor, input: NewUser): Promise<PublicUser> {
  const username = input.username.trim().toLowerCase();
  assertNoProblems(fieldProblems({ username, displayName: input.displayName.trim(), email: input.email.trim(), password: input.password }));
  if (findUserRowByUsername(db, username)) throw usernameTaken(username);
  const passwordHash = await hashPassword(input.password);
  const now = new Date().toISOString();
  return db.transaction((tx) => {
    // Checked again inside the transaction: another request may have taken the name while hashing.
    if (tx.select({ id: users.id }).from(users).where(eq(users.username, username)).get()) throw usernameTaken(username);
    const row = tx
      .insert(users)
      .values({
        username,
        displayName: input.displayName.trim(),
        email: input.email.trim(),
        role: input.role,
        passwordHash,
        passwordChangedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    const user = toPublicUser(row);
    recordAudit(tx, actor, { entityType: 'user', entityId: user.id, action: 'user.created', after: audited(user) });
    return user;
  });
}

function usernameTaken(username: string): DomainError {
  return new DomainError('USERNAME_TAKEN', `The username ${username} is already taken.`, [
    { field: '/body/username', message: 'is already taken' },
  ]);
}

export interface UserChanges {
  version: number;
  displayName?: string;
  email?: string;
  role?: Role;
  active?: boolean;
}

function activeAdminCount(db: Pick<Db, 'select'>): number {
  return db.select({ n: count() }).from(users).where(and(eq(users.role, 'admin'), eq(users.active, true))).get()?.n ?? 0;
}

export function updateUser(db: Db, actor: Actor, id: number, changes: UserChanges): PublicUser {
  return db.transaction((tx) => {
    const row = tx.select().from(users).where(eq(users.id, id)).get();
    if (!row) throw new DomainError('NOT_FOUND', `There is no user ${id}.`);
    if (row.version !== changes.version) {
      throw new DomainError('VERSION_CONFLICT', `User ${row.username} was changed by someone else since you opened it; reload and try again.`);
    }
    const before = toPublicUser(row);
    assertNoProblems(fieldProblems({ displayName: changes.displayName?.trim(), email: changes.email?.trim() }));
    const next = {
      displayName: changes.displayName?.trim() ?? row.displayName,
      email: changes.email?.trim() ?? row.email,
      role: changes.role ?? row.role,
      active: changes.active ?? row.active,
    };
    if (next.displayName === row.displayName && next.email === row.email && next.role === row.role && next.active === row.active) {
      return before; // Nothing changes: no new version, nothing to audit.
    }
    const losesAdmin = row.role === 'admin' && row.active && (next.role !== 'admin' || !next.active);
    if (losesAdmin && activeAdminCount(tx) <= 1) {
      throw new DomainError('LAST_ADMIN', `${row.username} is the last active administrator; make someone else an administrator first.`);
    }
    const after = toPublicUser(
      tx
        .update(users)
        .set({ ...next, updatedAt: new Date().toISOString(), version: row.version + 1 })
        .where(eq(users.id, id))
        .returning()
        .get(),
    );
    if (!after.active) revokeUserSessions(tx, id);

    // Role changes and disables are separate entries, so they can be found by action.
    if (before.role !== after.role) {
      recordAudit(tx, actor, { entityType: 'user', entityId: id, action: 'user.role_changed', before: { role: before.role }, after: { role: after.role } });
    }
    if (before.active !== after.active) {
      recordAudit(tx, actor, {
        entityType: 'user',
        entityId: id,
        action: after.active ? 'user.enabled' : 'user.disabled',
        before: { active: before.active },
        after: { active: after.active },
      });
    }
    const details = { displayName: before.displayName, email: before.email };
    const detailsAfter = { displayName: after.displayName, email: after.email };
    if (JSON.stringify(details) !== JSON.stringify(detailsAfter)) {
      recordAudit(tx, actor, { entityType: 'user', entityId: id, action: 'user.updated', before: details, after: detailsAfter });
    }
    return after;
  });
}

async function setPassword(db: Db, actor: Actor, user: UserRow, password: string, action: string, field: string): Promise<void> {
  const problem = passwordProblem(password, user.username);
  if (problem) throw fieldError(field, problem);
  const passwordHash = await hashPassword(password);
  const now = new Date().toISOString();
  db.transaction((tx) => {
    tx.update(users)
      .set({ passwordHash, passwordChangedAt: now, updatedAt: now, version: sql`${users.version} + 1` })
      .where(eq(users.id, user.id))
      .run();
    revokeUserSessions(tx, user.id);
    clearUsernameThrottle(tx, user.username);
    recordAudit(tx, actor, { entityType: 'user', entityId: user.id, action });
  });
}

/** An administrator sets a new password for someone; all of that user's sessions end. */
export async function resetPassword(db: Db, actor: Actor, id: number, password: string): Promise<void> {
  const row = db.select().from(users).where(eq(users.id, id)).get();
  if (!row) throw new DomainError('NOT_FOUND', `There is no user ${id}.`);
  await setPassword(db, actor, row, password, 'user.password_reset', '/body/password');
}

/** A user changes their own password; every session of theirs ends (the caller signs the current one in again). */
export async function changeOwnPassword(db: Db, actor: Actor, userId: number, current: string, next: string): Promise<void> {
  const row = db.select().from(users).where(eq(users.id, userId)).get();
  if (!row) throw new DomainError('NOT_FOUND', `There is no user ${userId}.`);
  if (!(await verifyPassword(current, row.passwordHash))) throw fieldError('/body/currentPassword', 'is not your current password');
  if (current === next) throw fieldError('/body/newPassword', 'must differ from the current password');
  await setPassword(db, actor, row, next, 'user.password_changed', '/body/newPassword');
}

export function countUsers(db: Db): number {
  return db.select({ n: count() }).from(users).get()?.n ?? 0;
}


export const demoAccounts: ReadonlyArray<{ username: string; displayName: string; role: Role }> = [
  { username: 'clerk', displayName: 'Demo Clerk', role: 'clerk' },
  { username: 'dispatcher', displayName: 'Demo Dispatcher', role: 'dispatcher' },
  { username: 'admin', displayName: 'Demo Administrator', role: 'admin' },
];

/**
 * On an empty database in demo mode: one user per role, each with a fresh random password, returned
 * so the caller can show them once. Returns [] when any user exists.
 */
export async function createDemoUsers(db: Db): Promise<{ username: string; role: Role; password: string }[]> {
  if (countUsers(db) > 0) return [];
  const created = [];
  for (const account of demoAccounts) {
    const password = `demo-${randomBytes(9).toString('base64url')}`;
    await createUser(db, systemActor, { ...account, email: `${account.username}@demo.invalid`, password });
    created.push({ username: account.username, role: account.role, password });
  }
  return created;
}
