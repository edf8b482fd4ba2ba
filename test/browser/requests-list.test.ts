import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import t from 'tap';
import { systemActor } from '../../server/audit/service.ts';
import { loadSampleArticles } from '../../server/kb/seed.ts';
import { browserTest, openBrowser } from '../browser-helper.ts';
import { loadHierarchy, signedInAs, type SignedIn } from '../helper.ts';

type Req = { number: string; version: number };

/** The requests a morning at the desk leaves behind, made through the real API as the clerk. */
async function seed(app: FastifyInstance, clerk: SignedIn) {
  const call = async <T>(method: 'POST' | 'PATCH', url: string, payload: object, expect = 200): Promise<T> => {
    const res = await app.inject({ method, url: `/api${url}`, headers: clerk.headers, payload });
    if (res.statusCode !== expect) throw new Error(`${method} ${url} failed: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };
  const contact = (body: object) => call<{ id: number }>('POST', '/contacts', body, 201);
  const start = (body: object) => call<Req>('POST', '/requests', body, 201);
  const patch = (r: Req, body: object) => call<Req>('PATCH', `/requests/${r.number}`, { version: r.version, ...body });
  const complete = (r: Req) => call<Req & { status: string }>('POST', `/requests/${r.number}/complete`, { version: r.version });

  const maria = await contact({ name: 'Maria Delgado', phones: [{ label: 'mobile', number: '617-555-0142' }], emails: ['maria.delgado@example.org'] });
  const jonas = await contact({ name: 'Jonas Petrauskas', phones: [{ label: 'home', number: '617-555-0199' }] });

  let pothole = await start({ channel: 'phone', contactId: maria.id });
  pothole = await patch(pothole, {
    type: 'action',
    problemCode: 'S0301',
    description: 'Deep pothole, cars swerving into the bike lane',
    location: { text: 'Behind the library on Boylston, near the bike rack' },
    answers: { WHISPOLO: 'STREE001', ISITHAZA: 'YES001' },
  });
  pothole = await complete(pothole);

  let trash = await start({ channel: 'email', contactId: jonas.id });
  trash = await patch(trash, { type: 'information', description: 'Which day is trash collected on Hereford St?', answer: 'Tuesday; recycling every other Tuesday.' });
  trash = await complete(trash);

  // Same call as the pothole: Maria also complains, and wants an answer by e-mail.
  let complaint = await start({ sameContactAs: pothole.number });
  complaint = await patch(complaint, { type: 'comment', commentKind: 'complaint', about: 'PWD', description: 'The crew left the street dug up for two weeks.', replyWanted: true, replyMethod: 'email' });
  complaint = await complete(complaint);
  if ((complaint as { status?: string }).status !== 'awaiting_reply') throw new Error('the complaint should wait for a reply');

  let thanks = await start({ channel: 'walk_in', contactId: jonas.id });
  thanks = await patch(thanks, { type: 'comment', commentKind: 'compliment', description: 'Thank you for the new bench on the Common' });
  thanks = await complete(thanks);

  const open = await start({ channel: 'walk_in' });
  return { pothole, trash, complaint, thanks, open };
}

/** Polls until `read` returns what `ok` accepts (the list loads after each filter); fails with the last value. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeout = 5000): Promise<T> {
  const end = Date.now() + timeout;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** The numbers in the list once it has loaded: an empty list while the next one loads (the old one is dimmed then). */
const numbersShown = (page: Page) => async () => {
  const view = page.locator('ow-requests-view');
  if ((await view.locator('.stale').count()) > 0) return [];
  return view.getByRole('table').locator('tbody tr td.number').allInnerTexts();
};

const query = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);

t.test('requests are found by type, caller and number; filters live in the URL; a request shows its history; a reply owed is answered and leaves the list', browserTest(), async (t) => {
  const { app, baseUrl, page, errors } = await openBrowser(t);
  loadHierarchy(app.db);
  loadSampleArticles(app.db, systemActor);
  const clerk = await signedInAs(app, 'clerk');
  const r = await seed(app, clerk);
  await page.setViewportSize({ width: 1400, height: 1000 });

  // A signed-out clerk following a link to the list signs in and lands on it.
  await page.goto(`${baseUrl}/requests`);
  await page.getByLabel('Username').fill(clerk.user.username);
  await page.getByLabel('Password').fill(clerk.password);
  await page.keyboard.press('Enter');
  const view = page.locator('ow-requests-view');
  await view.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
  const all = [r.open, r.thanks, r.complaint, r.trash, r.pothole].map((x) => x.number);
  t.same(await until(numbersShown(page), (n) => n.length === 5, 'all five requests'), all, 'every request, newest first');
  const potholeRow = view.getByRole('row').filter({ hasText: r.pothole.number });
  t.match(await potholeRow.innerText(), /Action[\s\S]*Ready for work order[\s\S]*Phone[\s\S]*Maria Delgado[\s\S]*Pothole repair[\s\S]*S0301[\s\S]*Behind the library on Boylston/, 'a row shows type, status, channel, caller, problem and location');
  await page.screenshot({ path: '/tmp/requests-list.png', fullPage: true });

  // By type: the select applies at once.
  const filters = view.getByRole('search', { name: 'Filter requests' });
  await filters.getByLabel('Type').selectOption({ label: 'Comment' });
  t.same(await until(numbersShown(page), (n) => n.length === 2, 'the two comments'), [r.thanks.number, r.complaint.number], 'only comments');
  t.same(query(page), { type: 'comment' }, 'the URL carries the type');

  // By caller: words of the name, Enter searches.
  await filters.getByLabel('Caller').fill('maria');
  await filters.getByLabel('Caller').press('Enter');
  t.same(await until(numbersShown(page), (n) => n.length === 1, 'Maria’s comment'), [r.complaint.number], 'Maria’s comment only');
  t.same(query(page), { caller: 'maria', type: 'comment' }, 'the URL carries both filters');

  // A reload (or a shared link) shows the same list with the same filters filled in.
  await page.reload();
  await view.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
  t.same(await until(numbersShown(page), (n) => n.length === 1, 'the list after reload'), [r.complaint.number], 'the same list after a reload');
  t.equal(await filters.getByLabel('Caller').inputValue(), 'maria', 'the caller filter is back in its field');
  t.equal(await filters.getByLabel('Type').inputValue(), 'comment', 'and the type in its select');

  // By number (its beginning finds it too), from a clean slate.
  await view.getByRole('button', { name: 'All requests' }).click();
  await until(numbersShown(page), (n) => n.length === 5, 'all requests again');
  t.same(query(page), {}, 'no filters, no query');
  await filters.getByLabel('Number').fill(r.trash.number);
  await filters.getByLabel('Number').press('Enter');
  t.same(await until(numbersShown(page), (n) => n.length === 1, 'the trash question'), [r.trash.number], 'found by its number');
  await filters.getByLabel('Number').fill('20x6');
  await filters.getByLabel('Number').press('Enter');
  await filters.getByText('Use digits and dashes only').waitFor();
  t.equal(await filters.getByLabel('Number').getAttribute('aria-invalid'), 'true', 'a malformed number is refused next to its field');
  t.equal(query(page).number, r.trash.number, 'and the URL keeps the last good search');
  await filters.getByLabel('Number').fill('');
  await filters.getByLabel('Caller').fill('nobody-like-this');
  await filters.getByLabel('Caller').press('Enter');
  await view.getByRole('status').filter({ hasText: 'No request matches these filters' }).waitFor();
  t.pass('an empty result says so in words');

  // Open one: everything recorded, in words, and its history.
  await view.getByRole('button', { name: 'All requests' }).click();
  await until(numbersShown(page), (n) => n.length === 5, 'all requests again');
  await view.getByRole('link', { name: r.pothole.number }).click();
  const one = page.locator('ow-request-view');
  await one.getByRole('heading', { level: 1, name: `Request ${r.pothole.number}` }).waitFor();
  t.equal(new URL(page.url()).pathname, `/requests/${r.pothole.number}`);
  const problem = one.getByRole('region', { name: 'Problem' });
  const problemText = await problem.innerText();
  t.match(problemText, /Pothole repair[\s\S]*S0301/, 'the problem code as recorded');
  t.match(problemText, /Public Works Department › .* › Pothole repair/, 'with its classification path');
  t.match(problemText, /Where is the pothole located\?\s*Street/, 'answers in the question’s words and the value’s name');
  t.match(problemText, /Is it hazardous\?\s*Yes/);
  t.match(problemText, /unverified/, 'an address not in the registry is marked unverified');
  t.match(await one.getByRole('region', { name: 'Caller' }).innerText(), /Maria Delgado[\s\S]*617-555-0142[\s\S]*maria\.delgado@example\.org/, 'the caller with phones and e-mails');
  t.match(await one.getByRole('region', { name: 'Overview' }).innerText(), /Contact length\s*\d+ s/, 'how long the contact took');
  const siblings = one.getByRole('region', { name: 'Other requests of the same contact' });
  t.ok(await siblings.getByRole('link', { name: r.complaint.number }).isVisible(), 'the complaint of the same call is linked');

  const history = one.getByRole('list', { name: 'Changes, oldest first' });
  const entries = await history.locator(':scope > li').allInnerTexts();
  t.equal(entries.length, 3, 'created, changed, completed');
  t.match(entries[0], new RegExp(`Contact started[\\s\\S]*by ${clerk.user.username}[\\s\\S]*Channel\\s*Phone`), 'who started it, and how');
  t.match(entries[1], /Changed[\s\S]*Type\s*Action[\s\S]*Problem code\s*Pothole repair \(S0301\)[\s\S]*Answers\s*Where is the pothole located\? Street; Is it hazardous\? Yes/, 'each field set, in words');
  t.match(entries[2], /Completed[\s\S]*Status\s*Open\s*→\s*Ready for work order/, 'a change shows before → after');
  t.notOk(await one.getByRole('link', { name: 'Continue at the desk' }).count(), 'a request no longer open is not continued at the desk');
  await page.screenshot({ path: '/tmp/request-one.png', fullPage: true });

  // The open request of this clerk can be continued at the desk.
  await page.goto(`${baseUrl}/requests/${r.open.number}`);
  await one.getByRole('heading', { level: 1, name: `Request ${r.open.number}` }).waitFor();
  t.equal(await one.getByRole('link', { name: 'Continue at the desk' }).getAttribute('href'), `/desk/${r.open.number}`);

  // Made by mistake: cancelled with a reason, never deleted.
  await one.getByText('Cancel this request…').click();
  const cancelForm = one.getByRole('form', { name: 'Cancel the request' });
  await cancelForm.getByRole('button', { name: 'Cancel request' }).click();
  await cancelForm.getByText('Reason is required').waitFor();
  t.pass('a cancellation without a reason is refused next to the field');
  await cancelForm.getByLabel('Reason').fill('Walked in at the wrong counter');
  await cancelForm.getByRole('button', { name: 'Cancel request' }).click();
  await one.getByRole('status').filter({ hasText: 'is cancelled' }).waitFor();
  t.match(await one.getByRole('region', { name: 'Overview' }).innerText(), /Reason for cancelling\s*Walked in at the wrong counter/);
  t.equal(await one.getByRole('link', { name: 'Continue at the desk' }).count(), 0, 'a cancelled request is not continued');
  t.equal(await one.getByText('Cancel this request…').count(), 0, 'nor cancelled twice');

  // Replies owed: one keystroke from the list.
  await page.goto(`${baseUrl}/requests`);
  await view.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
  await until(numbersShown(page), (n) => n.length === 5, 'the whole list');
  await page.keyboard.press('Alt+r');
  t.same(await until(numbersShown(page), (n) => n.length === 1, 'the replies owed'), [r.complaint.number], 'only the comment that waits for a reply');
  t.same(query(page), { status: 'awaiting_reply', type: 'comment' }, 'replies owed is a URL too');
  t.equal(await view.getByRole('button', { name: /Replies owed/ }).getAttribute('aria-pressed'), 'true');
  t.match(await view.getByRole('table', { name: 'Replies owed' }).getByRole('row').filter({ hasText: r.complaint.number }).innerText(), /E-mail\s+to Maria Delgado/, 'how to reply and to whom');
  await page.screenshot({ path: '/tmp/replies-owed.png', fullPage: true });

  // Reply from the request page.
  await view.getByRole('link', { name: r.complaint.number }).click();
  await one.getByRole('heading', { level: 1, name: `Request ${r.complaint.number}` }).waitFor();
  const replyForm = one.getByRole('form', { name: 'Record the reply' });
  t.match(await replyForm.innerText(), /Reply by E-mail to maria\.delgado@example\.org/, 'the form says how and to whom');
  await replyForm.getByRole('button', { name: 'Record reply and close' }).click();
  await replyForm.getByText('Reply is required').waitFor();
  t.equal(await replyForm.getByLabel('Reply').getAttribute('aria-invalid'), 'true', 'an empty reply is refused next to the field');
  await replyForm.getByLabel('Reply').fill('We are sorry; the trench is scheduled to be closed on Monday.');
  await replyForm.getByRole('button', { name: 'Record reply and close' }).click();
  await one.getByRole('status').filter({ hasText: 'Reply recorded' }).waitFor();
  await one.locator('.subtitle').getByText('Closed').waitFor();
  t.equal(await one.getByRole('form', { name: 'Record the reply' }).count(), 0, 'no reply form on a closed request');
  const replyText = await one.getByRole('region', { name: 'Reply to the customer' }).innerText();
  t.match(replyText, /What was replied\s*We are sorry; the trench is scheduled to be closed on Monday\./);
  const last = (await history.locator(':scope > li').allInnerTexts()).at(-1) ?? '';
  t.match(last, new RegExp(`Reply recorded[\\s\\S]*by ${clerk.user.username}[\\s\\S]*Status\\s*Reply owed\\s*→\\s*Closed`), 'the reply is in the history');
  await page.screenshot({ path: '/tmp/request-replied.png', fullPage: true });

  // Back to the list: the replies owed are empty now.
  await one.getByRole('link', { name: '← All requests' }).click();
  await view.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
  await view.getByRole('button', { name: /Replies owed/ }).click();
  await view.getByRole('status').filter({ hasText: 'No replies are owed' }).waitFor();
  t.pass('the answered comment has left the replies owed');

  // More than a page: "Load more" brings the rest, from where the first page ended.
  for (let i = 0; i < 24; i++) {
    const res = await app.inject({ method: 'POST', url: '/api/requests', headers: clerk.headers, payload: { channel: 'mail' } });
    if (res.statusCode !== 201) throw new Error(res.body);
  }
  await view.getByRole('button', { name: 'All requests' }).click();
  await until(numbersShown(page), (n) => n.length === 25, 'the first page');
  t.match(await view.locator('.count').innerText(), /^25\+ requests/, 'the count says there are more');
  await view.getByRole('button', { name: 'Load more' }).click();
  const everything = await until(numbersShown(page), (n) => n.length === 29, 'every request');
  t.equal(new Set(everything).size, 29, 'no request twice');
  t.equal(everything.at(-1), r.pothole.number, 'down to the first one');
  await view.getByText('That is all of them.').waitFor();

  t.same(errors, [], 'no console errors');
});
