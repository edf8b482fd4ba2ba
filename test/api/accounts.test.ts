import { eq } from 'drizzle-orm';
import t from 'tap';
import { sessions } from '../../db/schema/accounts.ts';
import { buildApp } from '../../server/app.ts';
import { csrfHeader, sessionCookie } from '../../server/plugins/auth.ts';
import { buildTestApp, createTestUser, isSignedIn, signIn, signedInAs, testConfig } from '../helper.ts';

const login = (username: string, password: string) => ({ method: 'POST' as const, url: '/api/auth/login', payload: { username, password } });

t.test('signing in sets an HttpOnly, SameSite=Lax session cookie and answers the user and a CSRF token', async (t) => {
  const { app } = await buildTestApp(t);
  const { user, password } = await createTestUser(app, 'clerk', 'Maria');
  const res = await app.inject(login('MARIA', password));
  t.equal(res.statusCode, 200, 'usernames are not case-sensitive');
  const body = res.json();
  t.equal(body.user.id, user.id);
  t.notOk('passwordHash' in body.user, 'the hash never leaves the server');
  t.type(body.csrfToken, 'string');
  const cookie = res.cookies.find((c) => c.name === sessionCookie)!;
  t.ok(cookie.httpOnly, 'HttpOnly');
  t.equal(cookie.sameSite, 'Lax');
  t.notOk(cookie.secure, 'not Secure over plain HTTP (COOKIE_SECURE=auto)');
  t.ok(new Date(cookie.expires!).getTime() > Date.now() + 11 * 3_600_000, 'lasts the absolute session length');
});

t.test('the cookie is Secure over HTTPS behind a trusted proxy, or when configured', async (t) => {
  const proxied = await buildTestApp(t, { TRUST_PROXY: 'true' });
  const a = await createTestUser(proxied.app, 'clerk');
  const viaTls = await proxied.app.inject({ ...login(a.user.username, a.password), headers: { 'x-forwarded-proto': 'https' } });
  t.ok(viaTls.cookies.find((c) => c.name === sessionCookie)!.secure, 'auto: Secure when the request came over HTTPS');

  const forced = await buildTestApp(t, { COOKIE_SECURE: 'true' });
  const b = await createTestUser(forced.app, 'clerk');
  const res = await forced.app.inject(login(b.user.username, b.password));
  t.ok(res.cookies.find((c) => c.name === sessionCookie)!.secure, 'COOKIE_SECURE=true');
});

t.test('a wrong password, an unknown username and a disabled user all get the same answer', async (t) => {
  const { app } = await buildTestApp(t);
  const admin = await signedInAs(app, 'admin');
  const { user, password } = await createTestUser(app, 'clerk');
  const disabled = await app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: admin.headers, payload: { version: user.version, active: false } });
  t.equal(disabled.statusCode, 200);

  const answers = [
    await app.inject(login(admin.user.username, 'not-the-password')),
    await app.inject(login('nobody-by-this-name', 'whatever-password')),
    await app.inject(login(user.username, password)),
  ];
  for (const res of answers) {
    t.equal(res.statusCode, 401);
    t.same(res.json(), { statusCode: 401, code: 'LOGIN_FAILED', error: 'Unauthorized', message: 'Wrong username or password.' });
    t.notOk(res.cookies.some((c) => c.name === sessionCookie && c.value), 'no session');
  }
  const anonymous = await app.inject({ method: 'GET', url: '/api/auth/session' });
  t.same(anonymous.json(), { user: null, csrfToken: null, expiresAt: null }, 'asking "who am I?" unsigned is not an error');
});

t.test('sessions live in the database: a restarted server keeps people signed in', async (t) => {
  const config = testConfig(t);
  const first = await buildApp({ config });
  const { user, password } = await createTestUser(first, 'dispatcher');
  const session = await signIn(first, user.username, password);
  await first.close();

  const second = await buildApp({ config });
  t.teardown(() => second.close());
  const res = await second.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: session.cookie } });
  t.equal(res.statusCode, 200);
  t.equal(res.json().user.username, user.username);
  t.equal(res.json().csrfToken, session.csrfToken);
});

t.test('sign-in rotates the session and sign-out revokes it', async (t) => {
  const { app } = await buildTestApp(t);
  const { user, password } = await createTestUser(app, 'clerk');
  const first = await signIn(app, user.username, password);
  const again = await app.inject({ ...login(user.username, password), headers: { cookie: first.cookie } });
  const second = `${sessionCookie}=${again.cookies.find((c) => c.name === sessionCookie)!.value}`;
  t.not(second, first.cookie, 'a new token');
  t.equal(await isSignedIn(app, first.cookie), false, 'the old one is gone');

  const csrfToken = again.json().csrfToken as string;
  const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: second, [csrfHeader]: csrfToken } });
  t.equal(out.statusCode, 204);
  t.match(out.headers['set-cookie'], new RegExp(`${sessionCookie}=;`), 'the cookie is cleared');
  t.equal(await isSignedIn(app, second), false, 'and the session revoked');
});

t.test('idle and absolute expiry end a session', async (t) => {
  const { app } = await buildTestApp(t, { SESSION_IDLE_MINUTES: '30' });
  const { user, password } = await createTestUser(app, 'clerk');
  const idle = await signIn(app, user.username, password);
  const old = new Date(Date.now() - 31 * 60_000).toISOString();
  app.db.update(sessions).set({ lastSeenAt: old }).where(eq(sessions.userId, user.id)).run();
  t.equal(await isSignedIn(app, idle.cookie), false, 'idle for 31 of 30 minutes');

  const absolute = await signIn(app, user.username, password);
  app.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000).toISOString() }).where(eq(sessions.userId, user.id)).run();
  t.equal(await isSignedIn(app, absolute.cookie), false, 'past its absolute end');
  t.equal(app.db.select().from(sessions).all().length, 0, 'expired sessions are deleted');

  const forgotten = await signIn(app, user.username, password);
  app.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000).toISOString() }).where(eq(sessions.userId, user.id)).run();
  t.ok(forgotten.cookie, 'a session nobody presents again…');
  await signIn(app, user.username, password);
  t.equal(app.db.select().from(sessions).all().length, 1, '…is purged at the next sign-in, leaving only the new one');
});

t.test('changing your password ends your other sessions and renews the current one', async (t) => {
  const { app } = await buildTestApp(t);
  const { user, password } = await createTestUser(app, 'clerk');
  const desk = await signIn(app, user.username, password);
  const laptop = await signIn(app, user.username, password);

  const wrong = await app.inject({ method: 'POST', url: '/api/auth/password', headers: desk.headers, payload: { currentPassword: 'guess-guess-guess', newPassword: 'a-new-long-password' } });
  t.equal(wrong.statusCode, 400);
  t.same(wrong.json().details, [{ field: '/body/currentPassword', message: 'is not your current password' }]);

  const weak = await app.inject({ method: 'POST', url: '/api/auth/password', headers: desk.headers, payload: { currentPassword: password, newPassword: 'short' } });
  t.equal(weak.statusCode, 400);
  t.same(weak.json().details, [{ field: '/body/newPassword', message: 'must be at least 10 characters long' }]);

  const res = await app.inject({ method: 'POST', url: '/api/auth/password', headers: desk.headers, payload: { currentPassword: password, newPassword: 'a-new-long-password' } });
  t.equal(res.statusCode, 200);
  const renewed = `${sessionCookie}=${res.cookies.find((c) => c.name === sessionCookie)!.value}`;
  t.equal(await isSignedIn(app, renewed), true, 'the current device stays signed in');
  t.equal(await isSignedIn(app, desk.cookie), false, 'under a new token');
  t.equal(await isSignedIn(app, laptop.cookie), false, 'other devices are signed out');
  t.equal((await app.inject(login(user.username, password))).statusCode, 401, 'the old password no longer works');
  t.equal((await app.inject(login(user.username, 'a-new-long-password'))).statusCode, 200, 'the new one does');
});

t.test('disabling a user ends their sessions at once; the last administrator cannot be removed', async (t) => {
  const { app } = await buildTestApp(t);
  const admin = await signedInAs(app, 'admin');
  const clerk = await signedInAs(app, 'clerk');
  const res = await app.inject({ method: 'PATCH', url: `/api/users/${clerk.user.id}`, headers: admin.headers, payload: { version: clerk.user.version, active: false } });
  t.equal(res.statusCode, 200);
  t.equal(res.json().active, false);
  t.equal(res.json().version, clerk.user.version + 1);
  t.equal(await isSignedIn(app, clerk.cookie), false, 'signed out');

  const demote = await app.inject({ method: 'PATCH', url: `/api/users/${admin.user.id}`, headers: admin.headers, payload: { version: admin.user.version, role: 'clerk' } });
  t.equal(demote.statusCode, 409);
  t.equal(demote.json().code, 'LAST_ADMIN');

  const stale = await app.inject({ method: 'PATCH', url: `/api/users/${clerk.user.id}`, headers: admin.headers, payload: { version: clerk.user.version, role: 'dispatcher' } });
  t.equal(stale.statusCode, 409, 'a stale version is a lost update');
  t.equal(stale.json().code, 'VERSION_CONFLICT');
  const after = await app.inject({ method: 'GET', url: `/api/users/${clerk.user.id}`, headers: admin.headers });
  t.equal(after.json().role, 'clerk', 'and changes nothing');
});

t.test('a cross-site form post with the session cookie is refused and changes nothing (CSRF)', async (t) => {
  const { app } = await buildTestApp(t);
  const admin = await signedInAs(app, 'admin');
  const newUser = { username: 'mallory', displayName: 'Mallory', email: 'm@evil.example', role: 'admin', password: 'an-evil-long-password' };

  // What a hostile page's <form method=post action="https://311.city/api/users"> makes the browser send.
  const form = await app.inject({
    method: 'POST',
    url: '/api/users',
    headers: { cookie: admin.cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(newUser).toString(),
  });
  t.equal(form.statusCode, 403);
  t.equal(form.json().code, 'CSRF_REJECTED');

  const noToken = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin.cookie }, payload: newUser });
  t.equal(noToken.statusCode, 403, 'JSON without the CSRF token is refused too');
  const wrongToken = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin.cookie, [csrfHeader]: 'x'.repeat(32) }, payload: newUser });
  t.equal(wrongToken.statusCode, 403, 'a wrong token is refused');
  const foreignOrigin = await app.inject({ method: 'POST', url: '/api/users', headers: { ...admin.headers, origin: 'https://evil.example' }, payload: newUser });
  t.equal(foreignOrigin.statusCode, 403, 'the right token from a foreign origin is refused');

  const list = await app.inject({ method: 'GET', url: '/api/users?q=mallory', headers: admin.headers });
  t.equal(list.json().total, 0, 'nothing was created');

  const ok = await app.inject({ method: 'POST', url: '/api/users', headers: { ...admin.headers, origin: 'http://localhost:80' }, payload: newUser });
  t.equal(ok.statusCode, 201, 'the app itself, with its token, may');
});

t.test('repeated failed sign-ins lock the username for a while, existing or not; a reset unlocks it', async (t) => {
  const { app } = await buildTestApp(t);
  const admin = await signedInAs(app, 'admin');
  const { user, password } = await createTestUser(app, 'clerk');
  for (const username of [user.username, 'no-such-user']) {
    const codes = [];
    for (let i = 0; i < 10; i++) codes.push((await app.inject(login(username, `wrong-password-${i}`))).statusCode);
    t.same(codes.slice(0, 9), Array(9).fill(401), `${username}: the first nine failures are plain failures`);
    t.equal(codes[9], 429, `${username}: the tenth locks`);
  }
  const locked = await app.inject(login(user.username, password));
  t.equal(locked.statusCode, 429, 'even the right password is refused while locked');
  t.equal(locked.json().code, 'LOGIN_LOCKED');
  t.match(locked.json().message, /Try again in 15 minutes/);
  t.ok(Number(locked.headers['retry-after']) > 800, 'Retry-After says when');
  const other = await app.inject(login('no-such-user', 'wrong-password-x'));
  t.same(other.json().code, 'LOGIN_LOCKED', 'an unknown username locks the same way, so locks reveal nothing');

  const reset = await app.inject({ method: 'POST', url: `/api/users/${user.id}/password`, headers: admin.headers, payload: { password: 'reset-by-the-admin' } });
  t.equal(reset.statusCode, 204);
  t.equal((await app.inject(login(user.username, 'reset-by-the-admin'))).statusCode, 200, 'the reset lifts the lock');
});

t.test('guesses sent all at once cannot slip past the limit, and a lock is audited once', async (t) => {
  const { app } = await buildTestApp(t);
  const { user, password } = await createTestUser(app, 'clerk');
  const burst = await Promise.all([
    ...Array.from({ length: 60 }, (_, i) => app.inject(login(user.username, `guess-number-${i}`))),
    app.inject(login(user.username, password)),
  ]);
  const codes = burst.map((r) => r.statusCode);
  t.ok(codes.filter((c) => c === 401).length <= 9, `at most nine plain failures (${codes.filter((c) => c === 401).length})`);
  t.equal(codes.at(-1), 429, 'the right password at the end of the burst is refused: the username is locked');
  const audit = await signedInAs(app, 'admin');
  const failed = await app.inject({ method: 'GET', url: `/api/audit?action=auth.login_failed&limit=500`, headers: audit.headers });
  t.ok(failed.json().items.length <= 10, `at most ten passwords were checked (${failed.json().items.length})`);
  const locks = await app.inject({ method: 'GET', url: '/api/audit?action=auth.locked', headers: audit.headers });
  t.same(locks.json().items.map((e: { entityId: string }) => e.entityId), [`user:${user.username}`], 'the lock is audited once, however many were refused');
});

t.test('successful sign-ins do not count against a shared address', async (t) => {
  const { app } = await buildTestApp(t);
  const { user, password } = await createTestUser(app, 'clerk');
  const codes = [];
  for (let i = 0; i < 55; i++) codes.push((await app.inject(login(user.username, password))).statusCode);
  t.same(new Set(codes), new Set([200]), 'a whole shift signing in behind one address is never locked out');
});

t.test('many failures from one address lock that address for every username', async (t) => {
  const { app } = await buildTestApp(t);
  const { user, password } = await createTestUser(app, 'clerk');
  for (let i = 0; i < 50; i++) await app.inject(login(`sprayed-${i}`, 'password-spray-1'));
  const res = await app.inject(login(user.username, password));
  t.equal(res.statusCode, 429);
  const elsewhere = await app.inject({ ...login(user.username, password), remoteAddress: '10.1.2.3' });
  t.equal(elsewhere.statusCode, 200, 'another address is not affected');
});

t.test('administrators manage users; bad input names the field and changes nothing', async (t) => {
  const { app } = await buildTestApp(t);
  const admin = await signedInAs(app, 'admin');
  const create = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload });
  const good = { username: 'j.smith', displayName: 'Jo Smith', email: 'jo@city.example', role: 'clerk', password: 'correct horse battery' };

  const created = await create(good);
  t.equal(created.statusCode, 201);
  t.match(created.json(), { username: 'j.smith', role: 'clerk', active: true, version: 1 });

  const taken = await create({ ...good, username: 'J.Smith' });
  t.equal(taken.statusCode, 409);
  t.same(taken.json().details, [{ field: '/body/username', message: 'is already taken' }]);

  const bad = await create({ username: 'x y', displayName: '', email: 'not-an-email', role: 'mayor', password: 'p' });
  t.equal(bad.statusCode, 400);
  const fields = (bad.json().details as { field: string }[]).map((d) => d.field).sort();
  t.same(fields, ['/body/displayName', '/body/email', '/body/password', '/body/role', '/body/username'], 'every bad field is named at once, the password too');

  const weak = await create({ ...good, username: 'k.lee', password: 'k.lee-is-me-ok' });
  t.same(weak.json().details, [{ field: '/body/password', message: 'must not contain the username' }]);
  const common = await create({ ...good, username: 'k.lee', password: 'password123' });
  t.same(common.json().details, [{ field: '/body/password', message: 'is too common or too easy to guess' }]);

  const list = await app.inject({ method: 'GET', url: '/api/users?role=clerk', headers: admin.headers });
  t.same(list.json().items.map((u: { username: string }) => u.username), ['j.smith'], 'only the good one exists');
});

t.test('the audit trail records sign-ins, failures, role changes and disables; admins can filter it', async (t) => {
  const { app } = await buildTestApp(t);
  const admin = await signedInAs(app, 'admin');
  const clerk = await signedInAs(app, 'clerk');
  await app.inject(login(clerk.user.username, 'wrong-password-1'));
  const promoted = await app.inject({ method: 'PATCH', url: `/api/users/${clerk.user.id}`, headers: admin.headers, payload: { version: 1, role: 'dispatcher' } });
  await app.inject({ method: 'PATCH', url: `/api/users/${clerk.user.id}`, headers: admin.headers, payload: { version: promoted.json().version, active: false } });

  const all = await app.inject({ method: 'GET', url: `/api/audit?entityType=user&entityId=${clerk.user.id}`, headers: admin.headers });
  t.equal(all.statusCode, 200);
  const actions = (all.json().items as { action: string }[]).map((e) => e.action);
  t.same(actions, ['user.disabled', 'user.role_changed', 'auth.login_failed', 'auth.login', 'user.created'], 'newest first');

  const roleChange = await app.inject({ method: 'GET', url: '/api/audit?action=user.role_changed', headers: admin.headers });
  t.match(roleChange.json().items[0], {
    actorUserId: admin.user.id,
    actorLabel: admin.user.username,
    entityType: 'user',
    entityId: String(clerk.user.id),
    changes: { role: { before: 'clerk', after: 'dispatcher' } },
  });

  const page = await app.inject({ method: 'GET', url: '/api/audit?limit=2', headers: admin.headers });
  t.equal(page.json().items.length, 2);
  const next = await app.inject({ method: 'GET', url: `/api/audit?limit=2&before=${page.json().nextBefore}`, headers: admin.headers });
  t.ok(next.json().items[0].id < page.json().items[1].id, 'the cursor pages on to older entries');

  const noPasswords = await app.inject({ method: 'GET', url: '/api/audit?limit=500', headers: admin.headers });
  t.notMatch(noPasswords.body, /scrypt\$|passwordHash/, 'no password hash is ever audited');
});
