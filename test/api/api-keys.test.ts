// API keys of Open311 partners: made by administrators (the key shown once, only its hash kept), listed,
// limited and revoked; a key's rate limit is counted in the database, for every server process at once.
import t from 'tap';
import { useApiKey } from '../../server/api-keys/service.ts';
import { buildTestApp, signedInAs } from '../helper.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API answers read in tests

t.test('an administrator makes a key for a partner; the key is shown once and works; revoked, it stops at once', async (t) => {
  const { app } = await buildTestApp(t);
  await app.ready();
  const admin = await signedInAs(app, 'admin');
  const clerk = await signedInAs(app, 'clerk');
  const post = (url: string, payload: Json, who = admin) => app.inject({ method: 'POST', url, headers: who.headers, payload });

  t.equal((await post('/api/api-keys', { partner: 'SeeClickFix', ratePerMinute: 60 }, clerk)).statusCode, 403, 'only administrators');
  const blank = await post('/api/api-keys', { partner: '  ', ratePerMinute: 60 });
  t.equal(blank.statusCode, 400);
  t.same(blank.json().details.map((d: Json) => d.field), ['/body/partner']);
  t.equal((await post('/api/api-keys', { partner: 'X', ratePerMinute: 0 })).statusCode, 400, 'a rate of at least one a minute');

  const made = await post('/api/api-keys', { partner: 'SeeClickFix', description: 'Resident app; contact ops@example.com', ratePerMinute: 3 });
  t.equal(made.statusCode, 201, made.body);
  const key: Json = made.json();
  t.match(key.key, /^ow_[A-Za-z0-9_-]{43}$/, 'a long random key');
  t.equal(key.prefix, key.key.slice(0, 10));
  t.match(key, { partner: 'SeeClickFix', ratePerMinute: 3, status: 'active', createdBy: 'Test admin', lastUsedAt: null });
  const stored = app.db.$client.prepare('SELECT * FROM api_keys WHERE id = ?').get(key.id) as Json;
  t.not(stored.hash, key.key, 'the key itself is not stored');
  t.notMatch(JSON.stringify(stored), key.key);

  const list = (await app.inject({ method: 'GET', url: '/api/api-keys', headers: admin.headers })).json();
  t.equal(list.items.length, 1);
  t.equal(list.items[0].key, undefined, 'lists never show the key again');

  const now = new Date('2026-11-22T12:00:10Z');
  t.same(useApiKey(app.db, key.key, now), { ok: true, key: { id: key.id, partner: 'SeeClickFix' } });
  t.same(useApiKey(app.db, undefined, now), { ok: false, reason: 'missing' });
  t.same(useApiKey(app.db, `${key.key}x`, now), { ok: false, reason: 'unknown' });
  useApiKey(app.db, key.key, now);
  useApiKey(app.db, key.key, now);
  t.same(useApiKey(app.db, key.key, now), { ok: false, reason: 'rate_limited', retryAfterSeconds: 50, limit: 3 }, 'the fourth in a minute is over the limit');
  t.equal(useApiKey(app.db, key.key, new Date('2026-11-22T12:01:00Z')).ok, true, 'the next minute counts afresh');

  const raised = await app.inject({ method: 'PATCH', url: `/api/api-keys/${key.id}`, headers: admin.headers, payload: { version: key.version, ratePerMinute: 600 } });
  t.equal(raised.json().ratePerMinute, 600);
  const stale = await post(`/api/api-keys/${key.id}/revoke`, { version: key.version });
  t.equal(stale.statusCode, 409, 'a lost update is refused');
  const revoked = await post(`/api/api-keys/${key.id}/revoke`, { version: raised.json().version });
  t.match(revoked.json(), { status: 'revoked', revokedBy: 'Test admin' });
  t.same(useApiKey(app.db, key.key, new Date('2026-11-22T12:02:00Z')), { ok: false, reason: 'revoked' }, 'a revoked key stops at once');
  t.equal((await post(`/api/api-keys/${key.id}/revoke`, { version: revoked.json().version })).statusCode, 409, 'revoked once');
  const audit = (await app.inject({ method: 'GET', url: '/api/audit?entityType=api_key', headers: admin.headers })).json();
  t.same(audit.items.map((a: Json) => a.action).sort(), ['api_key.created', 'api_key.revoked', 'api_key.updated']);
  t.notMatch(JSON.stringify(audit), key.key, 'the audit trail never holds the key');
});
