// Reports through the real API on a fresh database with the sample city's hierarchy (time zone
// America/New_York), over the known set of test/reports-fixture.ts (see its table): every figure is
// asserted exactly; one test goes through the desk's services instead, for today's reports.
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { buildTestApp, loadHierarchy, signedInAs, type SignedIn } from '../helper.ts';
import { aprilSet, knownSet } from '../reports-fixture.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API answers read in tests

interface Setup {
  app: FastifyInstance;
  manager: SignedIn;
}

async function setup(t: Test): Promise<Setup> {
  const { app } = await buildTestApp(t);
  await app.ready();
  loadHierarchy(app.db);
  return { app, manager: await signedInAs(app, 'dispatcher') };
}

async function get(s: Setup, url: string, who: SignedIn = s.manager) {
  return s.app.inject({ method: 'GET', url, headers: who.headers });
}

async function ok(s: Setup, url: string): Promise<Json> {
  const res = await get(s, url);
  if (res.statusCode !== 200) throw new Error(`GET ${url} → ${res.statusCode} ${res.body}`);
  return res.json();
}

const fields = (res: { json: () => { details?: { field: string }[] } }) => (res.json().details ?? []).map((d) => d.field);

const period = 'from=2026-03-01&to=2026-03-10';
const zeroDays = (keys: string[]) => keys.map((bucket) => ({ bucket, total: 0, information: 0, action: 0, comment: 0 }));
const day = (n: number) => `2026-03-${String(n).padStart(2, '0')}`;

// ---------------------------------------------------------------------------------------------

t.test('volumes: every figure of the known set, in the city’s days across the change to summer time', async (t) => {
  const s = await setup(t);
  knownSet(s.app.db);
  const r = await ok(s, `/api/reports/volumes?${period}`);
  t.same(r.range, { from: '2026-03-01', to: '2026-03-10', interval: 'day', timeZone: 'America/New_York', start: '2026-03-01T05:00:00.000Z', end: '2026-03-11T04:00:00.000Z' }, 'Boston midnights, EST then EDT');
  t.equal(r.total, 9, 'A–G, K and L: not the cancelled H, nor I and J just outside the city’s days, nor M');
  t.equal(r.cancelled, 1, 'H is counted on its own');
  const counts = (rows: Json[]) => Object.fromEntries(rows.map((x) => [x.key, x.count]));
  t.same(counts(r.byType), { information: 2, action: 4, comment: 2, untyped: 1 });
  t.same(counts(r.byChannel), { phone: 4, email: 1, fax: 0, walk_in: 1, mail: 1, web: 1, mobile_app: 1, open311: 0 });
  t.same(counts(r.commentsByKind), { compliment: 1, complaint: 1, suggestion: 0, other: 0 });
  t.same(r.byDepartment, [
    { key: 'PWD', name: 'Public Works Department', count: 3 },
    { key: 'ISD', name: 'Inspectional Services Department', count: 1 },
  ]);
  t.same(r.byProvider.map((x: Json) => [x.key, x.count]), [['PWD-HWY', 3], ['ISD-HOUS', 1]]);
  t.same(r.byCategory.map((x: Json) => [x.key, x.count]), [['PWD-HWY-STREET', 3], ['ISD-HOUS-COND', 1]]);
  t.same(r.byProblemCode, [
    { key: 'S0301', name: 'Pothole repair', count: 3 },
    { key: 'HEAT', name: 'Heat - excessive or insufficient', count: 1 },
  ]);
  t.same(r.series, [
    ...zeroDays([day(1)]),
    { bucket: day(2), total: 2, information: 2, action: 0, comment: 0 },
    { bucket: day(3), total: 2, information: 0, action: 2, comment: 0 },
    { bucket: day(4), total: 1, information: 0, action: 1, comment: 0 },
    { bucket: day(5), total: 1, information: 0, action: 0, comment: 0 },
    { bucket: day(6), total: 1, information: 0, action: 1, comment: 0 },
    { bucket: day(7), total: 1, information: 0, action: 0, comment: 1 },
    { bucket: day(8), total: 1, information: 0, action: 0, comment: 1 },
    ...zeroDays([day(9), day(10)]),
  ], 'F (08:30 UTC on the 8th) is on the 7th in Boston, G (03:30 UTC on the 9th) on the 8th; K has no type yet');
});

t.test('volumes by week and month, and filtered by department, channel and type', async (t) => {
  const s = await setup(t);
  knownSet(s.app.db);
  const weeks = await ok(s, `/api/reports/volumes?${period}&interval=week`);
  t.same(weeks.series.map((p: Json) => [p.bucket, p.total]), [['2026-02-23', 0], ['2026-03-02', 9], ['2026-03-09', 0]], 'weeks start on Monday; the first holds only Sunday 1 March');
  const months = await ok(s, `/api/reports/volumes?${period}&interval=month`);
  t.same(months.series.map((p: Json) => [p.bucket, p.total]), [['2026-03-01', 9]]);

  const pwd = await ok(s, `/api/reports/volumes?${period}&department=PWD`);
  t.equal(pwd.total, 3, 'the pothole requests C, D, L');
  t.same(pwd.series.filter((p: Json) => p.total > 0).map((p: Json) => [p.bucket, p.action]), [[day(3), 2], [day(6), 1]]);
  t.same(pwd.byDepartment.map((x: Json) => x.key), ['PWD']);
  t.equal((await ok(s, `/api/reports/volumes?${period}&provider=ISD-HOUS`)).total, 1);
  t.equal((await ok(s, `/api/reports/volumes?${period}&category=PWD-HWY-STREET&channel=phone`)).total, 1, 'L');
  t.equal((await ok(s, `/api/reports/volumes?${period}&problemCode=HEAT`)).total, 1, 'E');
  t.equal((await ok(s, `/api/reports/volumes?${period}&type=comment`)).total, 2);
  t.equal((await ok(s, `/api/reports/volumes?${period}&channel=phone&type=information`)).total, 2, 'A and B');
});

t.test('service levels: opened, completed, on time, open and overdue now, median and 90th percentile hours', async (t) => {
  const s = await setup(t);
  knownSet(s.app.db);
  const r = await ok(s, `/api/reports/service-levels?${period}`);
  t.equal(r.opened, 5, 'WO1, WO2, WO3, WO5, WO7 (WO4 is older; WO6 was merged)');
  t.equal(r.completed, 3, 'WO1, WO2 and WO4');
  t.equal(r.completedOnTime, 1, 'WO1');
  t.equal(r.onTimeShare, 1 / 3);
  t.equal(r.cancelled, 1, 'WO5; the merged WO6 is not counted');
  t.equal(r.openNow, 2, 'WO3 and WO7');
  t.equal(r.overdueNow, 1, 'WO3');
  t.same(r.byProblemCode, [
    { key: 'S0301', name: 'Pothole repair', completed: 2, medianHours: 48, p90Hours: 240, onTime: 1, onTimeShare: 0.5 },
    { key: 'HEAT', name: 'Heat - excessive or insufficient', completed: 1, medianHours: 100, p90Hours: 100, onTime: 0, onTimeShare: 0 },
  ]);
  t.same(r.byProvider.map((p: Json) => [p.key, p.completed, p.medianHours, p.p90Hours]), [['PWD-HWY', 2, 48, 240], ['ISD-HOUS', 1, 100, 100]]);
  const active = r.series.filter((p: Json) => p.opened + p.completed > 0);
  t.same(active, [
    { bucket: day(2), opened: 0, completed: 1 },
    { bucket: day(3), opened: 1, completed: 0 },
    { bucket: day(4), opened: 1, completed: 0 },
    { bucket: day(5), opened: 0, completed: 1 },
    { bucket: day(6), opened: 1, completed: 0 },
    { bucket: day(8), opened: 0, completed: 1 },
    { bucket: day(9), opened: 1, completed: 0 },
    { bucket: day(10), opened: 1, completed: 0 },
  ]);

  const pwd = await ok(s, `/api/reports/service-levels?${period}&department=PWD`);
  t.same([pwd.opened, pwd.completed, pwd.completedOnTime, pwd.openNow, pwd.overdueNow], [3, 2, 1, 1, 1], 'only the potholes');
  const early = await ok(s, '/api/reports/service-levels?from=2026-01-01&to=2026-01-31');
  t.same([early.opened, early.completed, early.onTimeShare, early.byProblemCode], [0, 0, null, []], 'a quiet month has no share rather than a made-up one');
});

t.test('the desk: first-contact resolution, contact length, callers per work order, replies and answers owed', async (t) => {
  const s = await setup(t);
  knownSet(s.app.db);
  const r = await ok(s, `/api/reports/desk?${period}`);
  t.same(r.informationRequests, { handled: 3, resolvedAtFirstContact: 1, rate: 1 / 3, converted: 1 }, 'A resolved, B not, C converted');
  t.same(r.contactLength.all, { key: 'all', name: 'All desk channels', requests: 6, averageSeconds: 250 }, 'A, B, C, F, G, L: 1,500 s');
  t.same(r.contactLength.byChannel.map((c: Json) => [c.key, c.requests, c.averageSeconds]), [['phone', 3, 360], ['email', 1, 120], ['fax', 0, null], ['walk_in', 1, 240], ['mail', 1, 60]]);
  t.same(r.workOrders, {
    workOrders: 5,
    callers: 4,
    duplicatesAvoided: 1,
    callersPerWorkOrder: 0.8,
    distribution: [
      { key: '0', name: '0 callers', count: 2 },
      { key: '1', name: '1 caller', count: 2 },
      { key: '2', name: '2 callers', count: 1 },
      { key: '3', name: '3 callers', count: 0 },
      { key: '4', name: '4 callers', count: 0 },
      { key: '5+', name: '5+ callers', count: 0 },
    ],
  }, 'WO1 has C and D (H was cancelled), WO2 E, WO3 L, WO5 and WO7 none');
  const daysSince = (iso: string) => Math.floor((Date.parse(r.asOf) - Date.parse(iso)) / 86_400_000);
  t.same(r.repliesOwed.count, 1, 'G');
  t.equal(r.repliesOwed.oldestSince, '2026-03-09T03:31:00.000Z');
  t.equal(r.repliesOwed.oldestDays, daysSince('2026-03-09T03:31:00.000Z'));
  t.same(r.answersOwed.count, 1, 'the pending answer to E; the one sent is not owed');
  t.equal(r.answersOwed.oldestSince, '2026-03-08T20:10:00.000Z');
  const band = (days: number) => (days < 1 ? 'under-1-day' : days < 3 ? '1-3-days' : days < 7 ? '3-7-days' : days < 30 ? '7-30-days' : 'over-30-days');
  t.same(r.answersOwed.ages.filter((a: Json) => a.count > 0).map((a: Json) => a.key), [band(daysSince('2026-03-08T20:10:00.000Z'))]);

  const phone = await ok(s, `/api/reports/desk?${period}&channel=phone`);
  t.same(phone.informationRequests, { handled: 2, resolvedAtFirstContact: 1, rate: 0.5, converted: 0 });
  const pwd = await ok(s, `/api/reports/desk?${period}&department=PWD`);
  t.same([pwd.workOrders.workOrders, pwd.workOrders.callers], [3, 3], 'WO1, WO3, WO5 and their callers C, D, L');
});

t.test('the knowledge base: most used, worst rated and searches with no result in the period', async (t) => {
  const s = await setup(t);
  knownSet(s.app.db);
  const r = await ok(s, `/api/reports/knowledge-base?${period}`);
  t.same(r.mostUsed, [
    { slug: 'trash-day', title: 'Trash day', uses: 3, views: 1 },
    { slug: 'lodz-sister-city', title: 'Łódź, our sister city', uses: 1, views: 2 },
    { slug: 'parking-permits', title: 'Parking permits', uses: 1, views: 0 },
  ]);
  t.same(r.worstRated, [
    { slug: 'lodz-sister-city', title: 'Łódź, our sister city', ratings: 1, useful: 0, notUseful: 1, usefulShare: 0 },
    { slug: 'trash-day', title: 'Trash day', ratings: 3, useful: 2, notUseful: 1, usefulShare: 2 / 3 },
  ], 'parking permits was found wanting only before the period');
  t.same(r.searchMisses, [
    { query: 'Żółw', searches: 2, desk: 1, portal: 1, lastAt: '2026-03-04T15:00:00.000Z' },
    { query: '=HYPERLINK("http://x.example","win")', searches: 1, desk: 0, portal: 1, lastAt: '2026-03-05T15:00:00.000Z' },
  ]);
  t.same((await ok(s, `/api/reports/knowledge-base?${period}&limit=1`)).mostUsed.map((a: Json) => a.slug), ['trash-day']);
});

t.test('April: each kind of request counted once, at the bucket edges, under every filter, with cancelled ones apart', async (t) => {
  const s = await setup(t);
  knownSet(s.app.db);
  aprilSet(s.app.db);
  const april = 'from=2026-04-01&to=2026-04-30';
  const counts = (rows: Json[]) => Object.fromEntries(rows.map((x) => [x.key, x.count]));
  const r = await ok(s, `/api/reports/volumes?${april}`);
  t.equal(r.range.start, '2026-04-01T04:00:00.000Z');
  t.equal(r.total, 9, 'R1 at the first instant, R3–R5, R7–R11; not R2 at the end instant, nor the cancelled R6 and R12');
  t.equal(r.cancelled, 2, 'R6 and R12');
  t.same(counts(r.byType), { information: 1, action: 5, comment: 3, untyped: 0 });
  t.same(counts(r.byChannel), { phone: 1, email: 2, fax: 1, walk_in: 0, mail: 0, web: 2, mobile_app: 1, open311: 2 });
  t.same(counts(r.commentsByKind), { compliment: 0, complaint: 0, suggestion: 1, other: 2 });
  t.same(r.series.filter((p: Json) => p.total > 0), [
    { bucket: '2026-04-01', total: 2, information: 1, action: 0, comment: 1 },
    { bucket: '2026-04-02', total: 1, information: 0, action: 0, comment: 1 },
    { bucket: '2026-04-05', total: 1, information: 0, action: 0, comment: 1 },
    { bucket: '2026-04-10', total: 5, information: 0, action: 5, comment: 0 },
  ], 'R3, a millisecond before midnight, is on the 1st; R4, at midnight, on the 2nd');
  t.equal(r.series.length, 30);
  const weeks = await ok(s, `/api/reports/volumes?${april}&interval=week`);
  t.same(weeks.series.map((p: Json) => [p.bucket, p.total, p.comment]), [['2026-03-30', 4, 3], ['2026-04-06', 5, 0], ['2026-04-13', 0, 0], ['2026-04-20', 0, 0], ['2026-04-27', 0, 0]], 'R5 on Sunday the 5th closes the first week');

  const filtered = async (query: string) => {
    const f = await ok(s, `/api/reports/volumes?${april}&${query}`);
    return [f.total, f.cancelled, f.byProblemCode.map((x: Json) => [x.key, x.count])];
  };
  t.same(await filtered('channel=phone'), [1, 1, [['S0301', 1]]], 'R7; R6 cancelled');
  t.same(await filtered('type=action'), [5, 2, [['S0301', 5]]], 'R7–R11; R6 and R12 cancelled');
  t.same(await filtered('type=comment&channel=email'), [1, 0, []], 'R5');
  t.same(await filtered('department=PWD'), [5, 1, [['S0301', 5]]], 'R7–R11; R12 cancelled (R6 has no code)');
  t.same(await filtered('channel=walk_in&department=PWD'), [0, 1, []], 'only the cancelled R12');
  t.same(await filtered('problemCode=HEAT'), [0, 0, []]);
  t.same(await filtered('type=information&channel=fax&category=PWD-HWY-STREET'), [0, 0, []], 'R1 has no code');

  const desk = await ok(s, `/api/reports/desk?${april}`);
  t.same(desk.informationRequests, { handled: 2, resolvedAtFirstContact: 1, rate: 0.5, converted: 1 }, 'R1 resolved; R5 converted (a comment now); the converted R6 was cancelled');
  t.same(desk.contactLength.all, { key: 'all', name: 'All desk channels', requests: 4, averageSeconds: 105 }, 'R1, R5, R7, R11: 420 s; not the web R3 nor the cancelled R6 and R12');
  t.same(desk.contactLength.byChannel.map((c: Json) => [c.key, c.requests, c.averageSeconds]), [['phone', 1, 100], ['email', 2, 135], ['fax', 1, 50], ['walk_in', 0, null], ['mail', 0, null]]);
  t.same(desk.workOrders, {
    workOrders: 15,
    callers: 5,
    duplicatesAvoided: 4,
    callersPerWorkOrder: 5 / 15,
    distribution: [
      { key: '0', name: '0 callers', count: 14 },
      { key: '1', name: '1 caller', count: 0 },
      { key: '2', name: '2 callers', count: 0 },
      { key: '3', name: '3 callers', count: 0 },
      { key: '4', name: '4 callers', count: 0 },
      { key: '5+', name: '5+ callers', count: 1 },
    ],
  }, 'WO-A has R7–R11; the merged pothole is not counted');
  const email = await ok(s, `/api/reports/desk?${april}&channel=email`);
  t.same(email.informationRequests, { handled: 1, resolvedAtFirstContact: 0, rate: 0, converted: 1 });
  t.same([email.contactLength.all.requests, email.contactLength.all.averageSeconds], [2, 135]);
  const web = await ok(s, `/api/reports/desk?${april}&channel=web`);
  t.same(web.contactLength.all, { key: 'all', name: 'All desk channels', requests: 0, averageSeconds: null }, 'the portal has no desk contacts');
  t.same(web.informationRequests, { handled: 0, resolvedAtFirstContact: 0, rate: null, converted: 0 });
  const phone = await ok(s, `/api/reports/desk?${april}&channel=phone`);
  t.same(phone.informationRequests.converted, 0, 'R6 was converted, then cancelled');

  const levels = await ok(s, `/api/reports/service-levels?${april}`);
  t.same([levels.opened, levels.completed, levels.completedOnTime, levels.cancelled], [15, 13, 7, 0], 'not the merged pothole, nor the one completed at the end instant');
  t.same(levels.byProblemCode.map((x: Json) => [x.key, x.completed, x.medianHours, x.p90Hours, x.onTime, x.onTimeShare]), [
    ['S0301', 10, 5, 9, 6, 0.6],
    ['HEAT', 2, 12, 30, 1, 0.5],
    ['SIDEWALK_REPAIR', 1, 100, 100, 0, 0],
  ], 'ranks 5 and 9 of ten (not the order they were made or completed in), 1 and 2 of two');
  t.same(levels.byProvider.map((x: Json) => [x.key, x.completed, x.medianHours, x.p90Hours, x.onTime]), [['PWD-HWY', 11, 6, 10, 6], ['ISD-HOUS', 2, 12, 30, 1]], 'ranks 6 and 10 of eleven');
  const ranks = (r: Json) => [...r.byProblemCode, ...r.byProvider].map((x: Json) => [x.key, x.completed, x.medianHours, x.p90Hours, x.onTime]);
  const tenDays = await ok(s, '/api/reports/service-levels?from=2026-04-12&to=2026-04-21');
  t.same(ranks(tenDays), ranks(levels), 'ten days, short beside the completions’ span (2 March – 1 May): sorted from the closed index, the same ranks');
  const twoMonths = await ok(s, '/api/reports/service-levels?from=2026-03-01&to=2026-04-30');
  t.same(ranks(twoMonths), [
    ['S0301', 12, 6, 48, 7],
    ['HEAT', 3, 30, 100, 1],
    ['SIDEWALK_REPAIR', 1, 100, 100, 0],
    ['PWD-HWY', 13, 7, 100, 7],
    ['ISD-HOUS', 3, 30, 100, 1],
  ], 'March and April together: WO1 (48 h), WO4 (240 h) and WO2 (100 h) join the ranks');
  const street = await ok(s, `/api/reports/service-levels?${april}&category=PWD-HWY-STREET`);
  t.same(street.byProvider.map((x: Json) => [x.key, x.completed, x.medianHours, x.p90Hours]), [['PWD-HWY', 10, 5, 9]], 'the sidewalk repair is in another category');
  t.same(street.byProblemCode.map((x: Json) => x.key), ['S0301']);

  const kb = await ok(s, `/api/reports/knowledge-base?${april}`);
  t.same(kb.mostUsed, [{ slug: 'trash-day', title: 'Trash day', uses: 0, views: 1 }], 'viewed, never used; no other article was opened in April');
});

t.test('CSV: a UTF-8 file with a byte-order mark, RFC 4180 quoting, the city’s letters intact and no formulas', async (t) => {
  const s = await setup(t);
  knownSet(s.app.db);
  const res = await get(s, `/api/reports/volumes.csv?${period}&table=department`);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  t.equal(res.headers['content-disposition'], 'attachment; filename="volumes-department-2026-03-01-to-2026-03-10.csv"');
  t.same([...res.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 byte-order mark');
  t.equal(res.rawPayload.subarray(3).toString('utf8'), 'Department,Code,Requests\r\nPublic Works Department,PWD,3\r\nInspectional Services Department,ISD,1\r\n');

  const series = await get(s, `/api/reports/volumes.csv?${period}&table=series&interval=week`);
  t.equal(series.body.replace(/^\uFEFF/, ''), 'Bucket starts,Requests,Information,Action,Comment\r\n2026-02-23,0,0,0,0\r\n2026-03-02,9,2,4,2\r\n2026-03-09,0,0,0,0\r\n');

  const rated = await get(s, `/api/reports/knowledge-base.csv?${period}&table=worst-rated`);
  t.equal(rated.rawPayload.subarray(3).toString('utf8'), 'Article,Slug,Ratings,Useful,Not useful,Share useful\r\n"Łódź, our sister city",lodz-sister-city,1,0,1,0\r\nTrash day,trash-day,3,2,1,0.6667\r\n', 'a comma is quoted; Ł, ó, ź as written');
  const misses = await get(s, `/api/reports/knowledge-base.csv?${period}&table=search-misses`);
  t.equal(
    misses.rawPayload.subarray(3).toString('utf8'),
    'Search,Searches,Desk,Portal,Last searched\r\nŻółw,2,1,1,2026-03-04T15:00:00.000Z\r\n"\'=HYPERLINK(""http://x.example"",""win"")",1,0,1,2026-03-05T15:00:00.000Z\r\n',
    'quotes doubled; a formula typed on the portal stays text',
  );

  const levels = await get(s, `/api/reports/service-levels.csv?${period}&table=problem-code`);
  t.equal(levels.body.replace(/^\uFEFF/, ''), 'Problem code,Code,Completed,Median hours,90th percentile hours,On time,Share on time\r\nPothole repair,S0301,2,48,240,1,0.5\r\nHeat - excessive or insufficient,HEAT,1,100,100,0,0\r\n');
  const desk = await get(s, `/api/reports/desk.csv?${period}&table=contact-length`);
  t.equal(desk.body.replace(/^\uFEFF/, ''), 'Channel,Contacts,Average seconds\r\nAll desk channels,6,250\r\nPhone,3,360\r\nE-mail,1,120\r\nFax,0,\r\nWalk-in,1,240\r\nMail,1,60\r\n');
  for (const [report, tables] of Object.entries({
    volumes: ['series', 'type', 'channel', 'comment-kind', 'department', 'provider', 'category', 'problem-code'],
    'service-levels': ['summary', 'series', 'problem-code', 'provider'],
    desk: ['summary', 'contact-length', 'callers', 'replies-owed', 'answers-owed'],
    'knowledge-base': ['most-used', 'worst-rated', 'search-misses'],
  })) {
    for (const table of tables) {
      const one = await get(s, `/api/reports/${report}.csv?${period}&table=${table}`);
      t.equal(one.statusCode, 200, `${report} ${table}`);
    }
  }
});

t.test('a request taken at the desk today is in today’s reports (the services, not rows written by hand)', async (t) => {
  const s = await setup(t);
  const clerk = await signedInAs(s.app, 'clerk');
  const call = async (method: 'POST' | 'PATCH', url: string, payload: Json) => {
    const res = await s.app.inject({ method, url, headers: clerk.headers, payload });
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json() as Json;
  };
  let r = await call('POST', '/api/requests', { channel: 'phone' });
  r = await call('PATCH', `/api/requests/${r.number}`, { version: r.version, type: 'information', description: 'When is trash day?', answer: 'Thursdays.' });
  await call('POST', `/api/requests/${r.number}/complete`, { version: r.version });
  const volumes = await ok(s, '/api/reports/volumes');
  t.equal(volumes.total, 1);
  t.same(volumes.byChannel.find((c: Json) => c.key === 'phone').count, 1);
  const desk = await ok(s, '/api/reports/desk');
  t.same(desk.informationRequests, { handled: 1, resolvedAtFirstContact: 1, rate: 1, converted: 0 });
  t.equal(desk.contactLength.all.requests, 1);
});

t.test('a period or place that makes no sense is a 400 naming the field', async (t) => {
  const s = await setup(t);
  const bad = async (url: string, field: string) => {
    const res = await get(s, url);
    t.equal(res.statusCode, 400, `${url} → 400`);
    t.equal(res.json().code, 'VALIDATION_FAILED');
    t.ok(fields(res).includes(field), `${url} names ${field} (${res.body})`);
    return res;
  };
  const after = await bad('/api/reports/volumes?from=2026-03-10&to=2026-03-01', '/querystring/from');
  t.match(after.json().message, /must not be after the end of the period/);
  await bad('/api/reports/volumes?from=2026-02-30&to=2026-03-01', '/querystring/from');
  await bad('/api/reports/volumes?from=yesterday', '/querystring/from');
  await bad('/api/reports/service-levels?from=2000-01-01&to=2026-01-01', '/querystring/from');
  const unknown = await bad('/api/reports/volumes?department=NOPE', '/querystring/department');
  t.match(unknown.json().message, /names no department \(NOPE\)/);
  await bad('/api/reports/service-levels?department=PWD-HWY', '/querystring/department');
  await bad('/api/reports/desk?provider=PWD', '/querystring/provider');
  await bad('/api/reports/volumes?problemCode=PWD-HWY-STREET', '/querystring/problemCode');
  await bad('/api/reports/volumes?channel=pigeon', '/querystring/channel');
  await bad('/api/reports/volumes?interval=year', '/querystring/interval');
  await bad('/api/reports/volumes?colour=red', '/querystring/colour');
  await bad('/api/reports/volumes.csv', '/querystring/table');
  await bad('/api/reports/desk.csv?table=department', '/querystring/table');
  const both = await get(s, '/api/reports/volumes?from=2026-03-10&to=2026-03-01&department=NOPE');
  t.same(fields(both), ['/querystring/from', '/querystring/department'], 'every wrong field at once');
  const clerk = await signedInAs(s.app, 'clerk');
  t.equal((await get(s, '/api/reports/volumes', clerk)).statusCode, 403, 'clerks do not see reports');
});
