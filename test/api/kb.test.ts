import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { buildTestApp, loadHierarchy, signedInAs, type SignedIn } from '../helper.ts';

async function setup(t: Test): Promise<{ app: FastifyInstance; admin: SignedIn; clerk: SignedIn }> {
  const { app } = await buildTestApp(t);
  await app.ready();
  loadHierarchy(app.db);
  return { app, admin: await signedInAs(app, 'admin'), clerk: await signedInAs(app, 'clerk') };
}

const article = (slug: string, over: Record<string, unknown> = {}) => ({
  slug,
  title: `Title of ${slug}`,
  summary: 'A short summary.',
  body: 'Plain body text about nothing in particular.',
  callScript: 'Read this to the caller.',
  phones: [{ label: 'Public Works', number: '617-635-4900' }],
  links: [{ label: 'Schedule', url: 'https://www.example.gov/schedule' }],
  keywords: [],
  language: 'en',
  audience: 'public',
  owner: 'Public Works',
  reviewDate: '2027-06-01',
  related: [],
  categories: [],
  problemCodes: [],
  ...over,
});

async function create(app: FastifyInstance, admin: SignedIn, body: object, publish = true) {
  const res = await app.inject({ method: 'POST', url: '/api/kb/articles', headers: admin.headers, payload: body });
  if (res.statusCode !== 201) throw new Error(res.body);
  const created = res.json();
  if (!publish) return created;
  const published = await app.inject({ method: 'POST', url: `/api/kb/articles/${created.slug}/status`, headers: admin.headers, payload: { version: created.version, status: 'published' } });
  return published.json();
}

async function search(app: FastifyInstance, who: SignedIn, q: string, extra = '') {
  const res = await app.inject({ method: 'GET', url: `/api/kb/search?q=${encodeURIComponent(q)}${extra}`, headers: who.headers });
  return (res.json() as { hits: { slug: string; snippet: { text: string; hit: boolean }[] }[] }).hits;
}

t.test('a whole sentence from the caller finds the article with the most of its words', async (t) => {
  const { app, admin, clerk } = await setup(t);
  await create(app, admin, article('towing', { title: 'Where is my towed car?', keywords: ['tow', 'towed'] }));
  await create(app, admin, article('pools', { title: 'Pool hours', body: 'Open daily; bring a lock for your locker.' }));
  t.equal((await search(app, clerk, 'how do I get my towed car back'))[0]?.slug, 'towing');
  const insights = (await app.inject({ method: 'GET', url: '/api/kb/insights', headers: admin.headers })).json();
  t.same(insights.searchMisses, [], 'an answered question is not a gap');
});

t.test('a draft is invisible to the desk until it is published', async (t) => {
  const { app, admin, clerk } = await setup(t);
  const draft = await create(app, admin, article('bulk-pickup', { title: 'Bulk item pickup', keywords: ['sofa', 'mattress'] }), false);
  t.equal(draft.status, 'draft');
  t.equal((await app.inject({ method: 'GET', url: '/api/kb/articles/bulk-pickup', headers: clerk.headers })).statusCode, 404);
  t.same(await search(app, clerk, 'mattress'), []);
  await app.inject({ method: 'POST', url: '/api/kb/articles/bulk-pickup/status', headers: admin.headers, payload: { version: draft.version, status: 'published' } });
  t.equal((await search(app, clerk, 'mattress'))[0]?.slug, 'bulk-pickup', 'published, it is found');
  t.equal((await app.inject({ method: 'GET', url: '/api/kb/articles/bulk-pickup', headers: clerk.headers })).statusCode, 200);
});

t.test('search: every language folded, prefixes as you type, title and keywords above body, snippets, filters', async (t) => {
  const { app, admin, clerk } = await setup(t);
  await create(app, admin, article('odbior-smieci', { title: 'Odbiór śmieci w Łodzi', body: 'Śmieci z Łódź odbieramy we wtorki. Worki wystawiaj do 7:00.', language: 'pl' }));
  await create(app, admin, article('smittia-uk', { title: 'Вивезення сміття', body: 'Сміття вивозять щовівторка. Виставте мішки до 7:00.', language: 'uk' }));
  await create(app, admin, article('recycling-rules', { title: 'Recycling: what goes in the blue bin', body: 'Paper, cans and bottles.', problemCodes: ['MISSED_RECYCLING'] }));
  await create(app, admin, article('street-sweeping', { title: 'Street sweeping schedule', body: 'Crews sweep each street monthly; recycling bins must be moved off the street first.' }));

  t.equal((await search(app, clerk, 'lodz'))[0]?.slug, 'odbior-smieci', '"lodz" finds "Łódź"');
  t.equal((await search(app, clerk, 'SMIECI'))[0]?.slug, 'odbior-smieci', 'case and accents fold');
  t.equal((await search(app, clerk, 'СМІТТЯ'))[0]?.slug, 'smittia-uk', 'Cyrillic in any case');
  t.equal((await search(app, clerk, 'вивез'))[0]?.slug, 'smittia-uk', 'Cyrillic prefix');
  await create(app, admin, article('rajon-uk', { title: 'Послуги у вашому районі', body: 'Українською мовою: який район?', language: 'uk' }));
  t.equal((await search(app, clerk, 'район'))[0]?.slug, 'rajon-uk', 'й keeps its mark, as the index does');
  t.equal((await search(app, clerk, 'УКРАЇНСЬКОЮ'))[0]?.slug, 'rajon-uk', 'ї too');
  const recycling = await search(app, clerk, 'recyc');
  t.same(recycling.map((h) => h.slug), ['recycling-rules', 'street-sweeping'], 'prefix; the title match ranks above the body match');
  const snippet = recycling[1]!.snippet;
  t.ok(snippet.some((p) => p.hit && /^recycling$/i.test(p.text)), 'the snippet marks the word found');
  const lodz = (await search(app, clerk, 'lodz'))[0]!.snippet.map((p) => p.text).join('');
  t.match(lodz, 'Łódź', 'the snippet shows the original letters, not the folded ones');
  t.same((await search(app, clerk, 'bin', '&problemCode=MISSED_RECYCLING')).map((h) => h.slug), ['recycling-rules'], 'filter by problem code');
  t.same(await search(app, clerk, 'bin', '&problemCode=S0301'), [], 'a filter with no article finds nothing');
});

t.test('searches that find nothing are recorded as gaps, once however they were typed', async (t) => {
  const { app, admin, clerk } = await setup(t);
  for (const typed of ['xq', 'xqz', 'xqzw', 'xqz']) await search(app, clerk, typed);
  await search(app, clerk, 'Bicycle licence');
  await search(app, clerk, 'bicycle LICENCE');
  await search(app, clerk, 'jury duty');
  const insights = (await app.inject({ method: 'GET', url: '/api/kb/insights', headers: admin.headers })).json();
  t.same(
    insights.searchMisses.map((m: { query: string; count: number }) => `${m.query.toLowerCase()} ×${m.count}`).sort(),
    ['bicycle licence ×1', 'jury duty ×1', 'xqzw ×1'],
    'typing as you go leaves one gap (the longest); the same words typed again within a minute are not counted twice',
  );
});

t.test('Markdown is rendered safely: no script, event handler or javascript: link survives', async (t) => {
  const { app, admin, clerk } = await setup(t);
  const body = '# Title\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) and [ok](https://www.example.gov/ok)\n\n- one\n- two';
  await create(app, admin, article('unsafe', { body }));
  const html = (await app.inject({ method: 'GET', url: '/api/kb/articles/unsafe', headers: clerk.headers })).json().bodyHtml as string;
  t.notMatch(html, /<script/i);
  t.notMatch(html, /<img/i);
  t.notMatch(html, /href="javascript:/i);
  t.match(html, '<h1>Title</h1>');
  t.match(html, '<li>one</li>');
  t.match(html, /<a href="https:\/\/www\.example\.gov\/ok" rel="noopener noreferrer" target="_blank">ok<\/a>/);
  const preview = await app.inject({ method: 'POST', url: '/api/kb/preview', headers: admin.headers, payload: { body } });
  t.notMatch(preview.json().html, /<script|<img|href="javascript:/i, 'the editor preview is just as safe');
});

t.test('related articles show from both sides; an archived one is flagged for admins and hidden from the desk', async (t) => {
  const { app, admin, clerk } = await setup(t);
  await create(app, admin, article('a-heat'));
  const b = await create(app, admin, article('b-cooling', { related: ['a-heat'] }));
  const a = (await app.inject({ method: 'GET', url: '/api/kb/articles/a-heat', headers: clerk.headers })).json();
  t.same(a.related.map((r: { slug: string }) => r.slug), ['b-cooling'], 'A shows B although only B named A');
  await app.inject({ method: 'POST', url: '/api/kb/articles/b-cooling/status', headers: admin.headers, payload: { version: b.version, status: 'archived' } });
  const forAdmin = (await app.inject({ method: 'GET', url: '/api/kb/articles/a-heat', headers: admin.headers })).json();
  t.same(forAdmin.related.map((r: { slug: string; archived: boolean }) => [r.slug, r.archived]), [['b-cooling', true]], 'flagged as archived');
  const forDesk = (await app.inject({ method: 'GET', url: '/api/kb/articles/a-heat', headers: clerk.headers })).json();
  t.same(forDesk.related, [], 'the desk is not sent to an archived article');
});

t.test('every save is a version; an older one can be viewed and restored; a stale save is refused', async (t) => {
  const { app, admin } = await setup(t);
  const v = await create(app, admin, article('dog-licence', { title: 'Dog licences', body: 'Original body.' }));
  const put = (version: number, over: object) =>
    app.inject({ method: 'PUT', url: '/api/kb/articles/dog-licence', headers: admin.headers, payload: { ...article('dog-licence', { title: 'Dog licences', ...over }), slug: undefined, version } });
  const edited = await put(v.version, { body: 'New body.', note: 'fee changed' });
  t.equal(edited.statusCode, 200, edited.body);
  t.equal(edited.json().body, 'New body.');
  const stale = await put(v.version, { body: 'Lost update' });
  t.equal(stale.statusCode, 409);
  t.equal(stale.json().code, 'VERSION_CONFLICT');

  const versions = (await app.inject({ method: 'GET', url: '/api/kb/articles/dog-licence/versions', headers: admin.headers })).json().items;
  t.same(versions.map((x: { version: number; note: string }) => [x.version, x.note]), [[3, 'fee changed'], [2, 'published'], [1, 'created']]);
  const first = (await app.inject({ method: 'GET', url: '/api/kb/articles/dog-licence/versions/1', headers: admin.headers })).json();
  t.equal(first.body, 'Original body.');
  t.equal(first.changedByLabel, admin.user.username, 'who changed it');
  const restored = await app.inject({ method: 'POST', url: '/api/kb/articles/dog-licence/restore', headers: admin.headers, payload: { version: edited.json().version, restore: 1 } });
  t.equal(restored.json().body, 'Original body.');
  t.equal(restored.json().version, 4, 'restoring is a new version; nothing is lost');
  t.equal(restored.json().status, 'published', 'and keeps the current status');
});

t.test('views, uses ("this answered the caller") and ratings are counted; insights show the best, the worst and reviews due', async (t) => {
  const { app, admin, clerk } = await setup(t);
  await create(app, admin, article('trash-day', { title: 'Trash day' }));
  await create(app, admin, article('parking', { title: 'Parking tickets', reviewDate: '2026-01-01' }));
  for (let i = 0; i < 3; i++) await app.inject({ method: 'POST', url: '/api/kb/articles/trash-day/views', headers: clerk.headers });
  const used = await app.inject({ method: 'POST', url: '/api/kb/articles/trash-day/uses', headers: clerk.headers });
  t.equal(used.statusCode, 204);
  await app.inject({ method: 'POST', url: '/api/kb/articles/parking/feedback', headers: clerk.headers, payload: { useful: false, note: 'Fine amounts are out of date' } });
  await app.inject({ method: 'POST', url: '/api/kb/articles/trash-day/feedback', headers: clerk.headers, payload: { useful: true } });
  const counts = (await app.inject({ method: 'GET', url: '/api/kb/articles/trash-day', headers: clerk.headers })).json().counts;
  t.same(counts, { views: 3, uses: 1, useful: 1, notUseful: 0 });
  const insights = (await app.inject({ method: 'GET', url: '/api/kb/insights', headers: admin.headers })).json();
  t.same(insights.topArticles.map((a: { slug: string; uses: number; views: number }) => [a.slug, a.uses, a.views]), [['trash-day', 1, 3]]);
  t.same(insights.poorlyRated.map((a: { slug: string }) => a.slug), ['parking']);
  t.same(insights.dueForReview.map((a: { slug: string }) => a.slug), ['parking']);
  t.equal((await app.inject({ method: 'GET', url: '/api/kb/insights', headers: clerk.headers })).statusCode, 403, 'insights are for administrators');
});

t.test('the public reads published public articles only, without desk details, and rates them within limits', async (t) => {
  const { app, admin } = await setup(t);
  await create(app, admin, article('pool-hours', { title: 'Pool hours' }));
  await create(app, admin, article('abusive-caller', { title: 'Handling an abusive caller', audience: 'desk' }));
  const found = await app.inject({ method: 'GET', url: '/api/public/kb/search?q=hours' });
  t.same(found.json().hits.map((h: { slug: string }) => h.slug), ['pool-hours']);
  t.same((await app.inject({ method: 'GET', url: '/api/public/kb/search?q=abusive' })).json().hits, [], 'desk-only articles are not searchable publicly');
  t.equal((await app.inject({ method: 'GET', url: '/api/public/kb/articles/abusive-caller' })).statusCode, 404);
  const pool = (await app.inject({ method: 'GET', url: '/api/public/kb/articles/pool-hours' })).json();
  t.notOk('callScript' in pool || 'owner' in pool || 'counts' in pool || 'body' in pool, 'no call script, owner, counts or Markdown source');
  const codes = [];
  for (let i = 0; i < 11; i++) codes.push((await app.inject({ method: 'POST', url: '/api/public/kb/articles/pool-hours/feedback', payload: { useful: true } })).statusCode);
  t.same(codes.slice(0, 10), Array(10).fill(204));
  t.equal(codes[10], 429, 'ratings from one address are limited');
});

t.test('bad articles name their fields and change nothing', async (t) => {
  const { app, admin } = await setup(t);
  const res = await app.inject({
    method: 'POST',
    url: '/api/kb/articles',
    headers: admin.headers,
    payload: article('Bad Slug!', { links: [{ label: 'x', url: 'javascript:alert(1)' }], phones: [{ label: 'x', number: 'call me' }], language: 'fr' }),
  });
  t.equal(res.statusCode, 400);
  t.same(res.json().details.map((d: { field: string }) => d.field).sort(), ['/body/language', '/body/links/0/url', '/body/phones/0/number', '/body/slug']);
  const badDate = await app.inject({ method: 'POST', url: '/api/kb/articles', headers: admin.headers, payload: article('fine-date', { reviewDate: 'tomorrow' }) });
  t.same(badDate.json().details, [{ field: '/body/reviewDate', message: 'must be a date like 2027-03-01' }], 'a bad date is named in words');
  const refs = await app.inject({ method: 'POST', url: '/api/kb/articles', headers: admin.headers, payload: article('fine-slug', { related: ['no-such-article'], categories: ['S0301'], problemCodes: ['NOPE'] }) });
  t.same(
    refs.json().details.map((d: { field: string; message: string }) => `${d.field} ${d.message}`),
    ['/body/related/0 names no article (no-such-article)', '/body/categories/0 S0301 is a problem code, not a category', '/body/problemCodes/0 names no problem code (NOPE)'],
  );
  t.equal((await app.inject({ method: 'GET', url: '/api/kb/articles', headers: admin.headers })).json().total, 0, 'nothing was created');
});
