// The dispatcher's day in a real browser: the queue filtered and walked with the keyboard, a work order
// assigned, ticked, started and completed (its callers' requests close and answers fall due), an answer
// marked sent in the outbox, a duplicate work order merged and a request split off. Every outcome is
// read back from the API, not from the page only.
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import t from 'tap';
import { browserTest, openBrowser } from '../browser-helper.ts';
import { createTestCaller, loadHierarchy, signedInAs, type SignedIn } from '../helper.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API answers read in tests

// 40 Hereford St, Boston; other reports are placed `metres` north of it.
const here = { latitude: 42.3494, longitude: -71.0858 };
const north = (metres: number) => ({ latitude: here.latitude + metres / 111_195, longitude: here.longitude });

async function call(app: FastifyInstance, who: SignedIn, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Json): Promise<Json> {
  const res = await app.inject({ method, url: `/api${url}`, headers: who.headers, ...(payload ? { payload } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return res.json();
}

interface Report {
  code?: string;
  answers?: Json;
  text: string;
  at: { latitude: number; longitude: number };
  description: string;
}

/** A complete action request made by the clerk, as the desk makes one: the caller wants an e-mail when it is done. */
async function ready(app: FastifyInstance, clerk: SignedIn, contactId: number, report: Report): Promise<Json> {
  let r = await call(app, clerk, 'POST', '/requests', { channel: 'phone', contactId });
  r = await call(app, clerk, 'PATCH', `/requests/${r.number}`, {
    version: r.version,
    type: 'action',
    problemCode: report.code ?? 'S0301',
    description: report.description,
    location: { text: report.text, ...report.at },
    replyWanted: true,
    replyMethod: 'email',
  });
  if (report.answers) r = await call(app, clerk, 'PATCH', `/requests/${r.number}`, { version: r.version, answers: report.answers });
  return call(app, clerk, 'POST', `/requests/${r.number}/complete`, { version: r.version });
}

const pothole = { answers: { WHISPOLO: 'STREE001' } };

/** A new work order for a ready request. */
async function create(app: FastifyInstance, clerk: SignedIn, request: Json): Promise<string> {
  return (await call(app, clerk, 'POST', `/requests/${request.number}/work-order`, { version: request.version, decision: 'create' })).workOrder;
}

async function link(app: FastifyInstance, clerk: SignedIn, request: Json, workOrder: string): Promise<void> {
  await call(app, clerk, 'POST', `/requests/${request.number}/work-order`, { version: request.version, decision: 'link', workOrder });
}

/** The numbers in the queue once it has loaded (an empty list while the next one loads: the old one is dimmed then). */
const queueShown = (page: Page) => async () => {
  const view = page.locator('ow-dispatch-view');
  if ((await view.locator('.stale').count()) > 0) return [];
  return view.getByRole('table', { name: 'Work orders' }).locator('tbody tr td.number').allInnerTexts();
};

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

const query = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);

/** The text of the element that has the focus, however deep in shadow roots. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return { tag: active?.tagName.toLowerCase(), name: active?.getAttribute('name') ?? null, text: active?.textContent?.trim() ?? '' };
  });

t.test('a dispatcher filters the queue, works a work order to the end, sends an answer owed, merges and splits', browserTest(), async (t) => {
  const { app, baseUrl, page, errors } = await openBrowser(t);
  loadHierarchy(app.db);
  const contactId = createTestCaller(app.db).id;
  const clerk = await signedInAs(app, 'clerk');
  const dispatcher = await signedInAs(app, 'dispatcher');
  const get = (url: string) => call(app, dispatcher, 'GET', url);

  // Two callers report the pothole at 40 Hereford St: one work order, two requests.
  const first = await ready(app, clerk, contactId, { ...pothole, text: '40 Hereford St', at: here, description: 'Deep pothole in the right lane' });
  const hereford = await create(app, clerk, first);
  const second = await ready(app, clerk, contactId, { ...pothole, text: '44 Hereford St', at: north(20), description: 'Same pothole, getting bigger' });
  await link(app, clerk, second, hereford);
  // Another pothole 400 m away, overdue; a dead tree (another department); two callers at a third pothole.
  const boylston = await create(app, clerk, await ready(app, clerk, contactId, { ...pothole, text: 'Boylston St at Hereford', at: north(400), description: 'Pothole by the crosswalk' }));
  const tree = await create(app, clerk, await ready(app, clerk, contactId, { code: 'DEAD_TREE', text: 'Commonwealth Ave mall', at: north(250), description: 'Dead elm leaning over the path' }));
  const thirdA = await ready(app, clerk, contactId, { ...pothole, text: 'Newbury St', at: north(1000), description: 'Pothole at the corner' });
  const newbury = await create(app, clerk, thirdA);
  const thirdB = await ready(app, clerk, contactId, { ...pothole, text: 'Newbury St', at: north(1005), description: 'Another pothole across the street' });
  await link(app, clerk, thirdB, newbury);
  const late = await get(`/work-orders/${boylston}`);
  await call(app, dispatcher, 'PATCH', `/work-orders/${boylston}`, { version: late.version, dueAt: new Date(Date.now() - 26 * 3_600_000).toISOString() });

  // Signed out, the dispatcher signs in and lands on the queue.
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(dispatcher.user.username);
  await page.getByLabel('Password').fill(dispatcher.password);
  await page.keyboard.press('Enter');
  const queue = page.locator('ow-dispatch-view');
  await queue.getByRole('heading', { level: 1, name: 'Dispatch' }).waitFor();
  // The dead tree's turnaround differs from the potholes': the order is the due dates', read from the API.
  const byDue = (await get('/work-orders')).items.map((w: Json) => w.number);
  t.equal(byDue[0], boylston, 'the overdue one is due first');
  t.ok(byDue.includes(tree), 'the dead tree is in the queue too');
  t.same(await until(queueShown(page), (n) => n.length === 4, 'the whole queue'), byDue, 'every open work order, soonest due first (the overdue one on top)');
  const lateRow = queue.getByRole('row').filter({ hasText: boylston });
  t.match(await lateRow.innerText(), /Overdue, due 1 days ago|Overdue, due 26 h ago/, 'the overdue row says so in words, not by colour alone');
  t.match(await queue.getByRole('row').filter({ hasText: hereford }).innerText(), /Normal\s+New\s+Pothole repair\s+S0301[\s\S]*Highway Maintenance\s+40 Hereford St\s+not assigned\s+2$/, 'a row: priority, status, problem, provider, location, assignee, callers');
  await page.screenshot({ path: '/tmp/dispatch-queue.png', fullPage: true });

  // "/" goes to the filters; the provider is chosen by typing its name; the lists apply at once.
  await page.keyboard.press('/');
  t.same((await focused(page)).name, 'department', '/ focuses the filters');
  await page.keyboard.press('Tab');
  t.same((await focused(page)).name, 'provider');
  await page.keyboard.type('Highway');
  t.same(await until(queueShown(page), (n) => n.length === 3, 'Highway Maintenance’s work orders'), [boylston, hereford, newbury], 'the dead tree is another provider’s');
  t.same(query(page), { provider: 'PWD-HWY' }, 'the URL carries the provider');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  t.same((await focused(page)).name, 'overdue', 'Tab reaches the overdue box');
  await page.keyboard.press('Space');
  t.same(await until(queueShown(page), (n) => n.length === 1, 'the overdue one'), [boylston], 'only the overdue work order');
  t.same(query(page), { provider: 'PWD-HWY', overdue: 'true' });

  // A reload (or a shared link) keeps the filters.
  await page.reload();
  t.same(await until(queueShown(page), (n) => n.length === 1, 'the queue after a reload'), [boylston]);
  const filters = queue.getByRole('search', { name: 'Filter work orders' });
  t.equal(await filters.getByLabel('Service provider').inputValue(), 'PWD-HWY', 'the provider is back in its list');
  t.ok(await filters.getByLabel('Overdue only').isChecked(), 'and overdue is still ticked');
  await filters.getByLabel('Department').selectOption({ label: 'Parks & Recreation Department' });
  await queue.getByRole('status').filter({ hasText: 'No work order matches these filters' }).waitFor();
  t.same(query(page), { department: 'PARK', overdue: 'true' }, 'a provider of another department is dropped when the department changes');

  // Back to Highway Maintenance, every status; then walk the rows with j/k and open one with Enter.
  await filters.getByLabel('Department').focus();
  await page.keyboard.press('Escape');
  await filters.getByRole('button', { name: 'Clear filters' }).click();
  t.same(await until(queueShown(page), (n) => n.length === 4, 'the whole queue'), byDue);
  t.same(query(page), {}, 'no filters, no query');
  await filters.getByLabel('Assignee').focus();
  await page.keyboard.press('Escape');
  t.equal((await focused(page)).text, boylston, 'Escape in the filters goes to the first row');
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  t.equal((await focused(page)).text, byDue[2], 'j moves down');
  await page.keyboard.press('k');
  t.equal((await focused(page)).text, byDue[1], 'k moves up');
  t.equal(byDue[1], hereford, 'the Hereford St pothole is second');
  t.match(await queue.locator('tbody tr.selected').innerText(), hereford, 'the selected row is marked');
  await page.screenshot({ path: '/tmp/dispatch-selected.png' });
  await page.keyboard.press('Enter');
  await page.waitForURL(`${baseUrl}/work-orders/${hereford}`);

  // The work order: what, where, when, who called.
  const view = page.locator('ow-work-order-view');
  await view.getByRole('heading', { level: 1, name: `Work order ${hereford}` }).waitFor();
  const overview = await view.getByRole('region', { name: 'What and where' }).innerText();
  t.match(overview, /Problem\s*Pothole repair S0301/);
  t.match(overview, /Classification\s*Public Works Department › Highway Maintenance › Street Repair › Pothole repair/, 'the classification path');
  t.match(overview, /Service provider\s*Highway Maintenance PWD-HWY/);
  t.match(overview, /Location\s*40 Hereford St/);
  t.match(overview, /Due\s*.*\(in 3 days\)/, 'the due date and how far off it is');
  const callers = view.getByRole('table', { name: 'Requests on this work order' });
  t.equal(await callers.locator('tbody tr').count(), 2, 'both callers');
  t.match(await callers.getByRole('row').filter({ hasText: first.number }).innerText(), /In progress\s+Maria Delgado[\s\S]*617-555-0142\s+Yes, by E-mail\s+maria\.delgado@example\.org/, 'caller, phone, and how they want to hear back');
  t.equal(await callers.getByRole('link', { name: second.number }).getAttribute('href'), `/requests/${second.number}`);
  await page.screenshot({ path: '/tmp/work-order.png', fullPage: true });

  // Someone else raises the priority meanwhile: the dispatcher's save meets a newer version.
  const before = await get(`/work-orders/${hereford}`);
  await call(app, dispatcher, 'PATCH', `/work-orders/${hereford}`, { version: before.version, priority: 'high' });
  const assignment = view.getByRole('form', { name: 'Assignment' });
  await assignment.getByLabel('Assignee').fill('Crew 7');
  await assignment.getByLabel('Assignee').press('Enter');
  await view.getByRole('alert').filter({ hasText: 'was changed by someone else while you had it open' }).waitFor();
  await view.locator('.subtitle').getByText('High priority').waitFor();
  t.pass('a version conflict is said plainly and the view reloads with the other change');
  t.equal((await get(`/work-orders/${hereford}`)).assignee, '', 'nothing was saved over the other change');
  t.equal(await assignment.getByLabel('Priority').inputValue(), 'high', 'the form shows the priority saved meanwhile');
  await assignment.getByLabel('Assignee').press('Enter');
  await view.locator('.subtitle').getByText('Assigned').waitFor();
  let saved = await get(`/work-orders/${hereford}`);
  t.equal(saved.assignee, 'Crew 7', 'assigned to the crew');
  t.equal(saved.status, 'assigned', 'naming a crew assigns it');
  t.equal(saved.priority, 'high', 'and the other change stands');

  // Tick a task with the keyboard.
  const tasks = view.getByRole('list', { name: 'Tasks' });
  await tasks.getByRole('checkbox', { name: 'Inspect the pothole' }).focus();
  await page.keyboard.press('Space');
  await view.getByRole('status').filter({ hasText: 'Done: Inspect the pothole' }).waitFor();
  saved = await get(`/work-orders/${hereford}`);
  t.match(saved.tasks[0], { text: 'Inspect the pothole', done: true, doneBy: dispatcher.user.username }, 'the task is done, with who ticked it');
  t.equal(saved.tasks[1].done, false, 'the others are not');
  t.ok(await tasks.getByRole('checkbox', { name: 'Inspect the pothole' }).isChecked());

  // Start the work, then complete it: the resolution is required and every caller is told.
  const statusForm = view.getByRole('form', { name: 'Change the status' });
  await statusForm.getByRole('button', { name: 'Start work' }).click();
  await view.locator('.subtitle').getByText('In progress').waitFor();
  t.equal((await get(`/work-orders/${hereford}`)).status, 'in_progress');
  t.same(
    await statusForm.getByRole('group', { name: 'Move to' }).getByRole('button').allInnerTexts(),
    ['Put on hold', 'Complete', 'Cancel work order'],
    'the moves the server allows now',
  );
  await statusForm.getByRole('button', { name: 'Complete' }).click();
  await statusForm.getByText('Note for the status change is required to complete').waitFor();
  t.equal(await statusForm.getByLabel('Note for the status change').getAttribute('aria-invalid'), 'true', 'completing without a resolution is refused next to the field');
  t.equal((await get(`/work-orders/${hereford}`)).status, 'in_progress', 'and nothing changed');
  await statusForm.getByLabel('Note for the status change').fill('Filled the pothole with hot asphalt.');
  await statusForm.getByRole('button', { name: 'Complete' }).click();
  await view.getByRole('status').filter({ hasText: '2 requests were closed with it; 2 callers are owed an answer' }).waitFor();
  saved = await get(`/work-orders/${hereford}`);
  t.equal(saved.status, 'completed');
  t.equal(saved.resolution, 'Filled the pothole with hot asphalt.');
  t.ok(saved.reopenUntil, 'it can still be reopened');
  for (const r of [first, second]) {
    const request = await get(`/requests/${r.number}`);
    t.equal(request.status, 'closed', `${r.number} is closed with its work order`);
    t.equal(request.resolution, 'Filled the pothole with hot asphalt.', 'with what the caller is told');
  }
  const owed = await get('/answers-owed');
  t.same(owed.items.map((e: Json) => e.request).sort(), [first.number, second.number].sort(), 'one answer owed to each caller who asked');
  t.ok(owed.items.every((e: Json) => e.method === 'email' && e.to === 'maria.delgado@example.org' && e.workOrder === hereford), 'by e-mail, to the address on record');
  await view.getByRole('form', { name: 'Reopen the work order' }).waitFor();
  t.equal(await view.getByRole('form', { name: 'Change the status' }).count(), 0, 'a completed work order offers reopening instead of moves');
  const history = await view.getByRole('list', { name: 'Changes, oldest first' }).locator(':scope > li').allInnerTexts();
  t.match(history.at(-1), /Completed[\s\S]*Status\s*In progress\s*→\s*Completed[\s\S]*Resolution\s*Filled the pothole with hot asphalt\./, 'the history shows the completion');
  t.ok(history.some((h) => /Changed[\s\S]*Tasks/.test(h)), 'and the ticked task');
  await page.screenshot({ path: '/tmp/work-order-completed.png', fullPage: true });

  // The outbox: the answers owed, oldest first, with the text to send; one is marked sent.
  await page.getByRole('navigation', { name: 'Work areas' }).getByRole('link', { name: 'Answers owed' }).click();
  const outbox = page.locator('ow-answers-owed-view');
  await outbox.getByRole('heading', { level: 1, name: 'Answers owed' }).waitFor();
  const entries = outbox.locator('article');
  await until(() => entries.count(), (n) => n === 2, 'both answers');
  const firstEntry = entries.first();
  const firstText = await firstEntry.innerText();
  t.match(firstText, new RegExp(`Your request ${first.number}: Pothole repair — done`), 'the subject');
  t.match(firstText, /Method\s*E-mail\s*To\s*maria\.delgado@example\.org\s*Recipient\s*Maria Delgado/);
  t.match(firstText, /The work was completed on .*: Filled the pothole with hot asphalt\./, 'the text to send tells the resolution');
  t.equal(await firstEntry.getByRole('link', { name: hereford }).getAttribute('href'), `/work-orders/${hereford}`);
  t.equal(await firstEntry.getByRole('link', { name: first.number, exact: true }).getAttribute('href'), `/requests/${first.number}`);
  await page.screenshot({ path: '/tmp/answers-owed.png', fullPage: true });
  await firstEntry.getByRole('button', { name: 'Copy text' }).click();
  await firstEntry.getByRole('status').filter({ hasText: /Copied to the clipboard|The text is selected/ }).waitFor();
  t.pass('the text is copied, or selected to copy by hand where the clipboard is refused');
  await firstEntry.getByLabel('Note').fill('Sent from the 311 mailbox');
  await firstEntry.getByLabel('Note').press('Enter');
  await outbox.getByRole('status').filter({ hasText: `Marked done: the answer to Maria Delgado about request ${first.number}` }).waitFor();
  await until(() => entries.count(), (n) => n === 1, 'one answer left');
  t.equal((await focused(page)).text.startsWith(`Your request ${second.number}`), true, 'the keyboard goes on with the next answer');
  const sent = await get('/answers-owed?status=done');
  t.equal(sent.items.length, 1);
  t.match(sent.items[0], { request: first.number, status: 'done', doneNote: 'Sent from the 311 mailbox', doneBy: dispatcher.user.displayName }, 'marked sent, by whom, with the note');
  t.equal((await get('/answers-owed')).total, 1, 'one answer still owed');
  // The tabs with the arrow keys.
  await outbox.getByRole('tab', { name: 'To send' }).focus();
  await page.keyboard.press('ArrowRight');
  await until(async () => outbox.getByRole('tab', { selected: true }).innerText(), (name) => name === 'Sent', 'the Sent tab');
  t.same(query(page), { status: 'done' }, 'the tab is in the URL');
  await until(() => entries.count(), (n) => n === 1, 'the sent answer');
  t.match(await entries.first().innerText(), /Sent\s*.* by Test dispatcher[\s\S]*Note\s*Sent from the 311 mailbox/, 'when, by whom and how it went');
  t.equal(await entries.first().getByRole('button', { name: 'Mark done' }).count(), 0, 'a sent answer is not sent twice');

  // Merge: the Boylston work order turns out to be the Newbury one.
  await page.goto(`${baseUrl}/work-orders/${boylston}`);
  await view.getByRole('heading', { level: 1, name: `Work order ${boylston}` }).waitFor();
  t.match(await view.locator('.subtitle').innerText(), /⚠ Overdue/, 'the header says it is overdue');
  t.match(await view.getByRole('region', { name: 'What and where' }).innerText(), /Due\s*.*overdue: it was due/, 'and so does its due date');
  const mergeForm = view.getByRole('form', { name: 'Merge into another work order' });
  await mergeForm.getByLabel('Work order number').fill('W2999-999999');
  await mergeForm.getByLabel('Work order number').press('Enter');
  await mergeForm.getByText('names no work order: there is no W2999-999999').waitFor();
  t.equal(await mergeForm.getByLabel('Work order number').getAttribute('aria-invalid'), 'true', 'an unknown number is refused next to the field');
  await mergeForm.getByLabel('Work order number').fill(newbury);
  await mergeForm.getByLabel('Work order number').press('Enter');
  const confirm = view.getByRole('group', { name: 'Confirm the merge' });
  await confirm.waitFor();
  t.match(await confirm.innerText(), new RegExp(`Merge ${boylston} into ${newbury} \\(Pothole repair at Newbury St, new, 2 callers\\)\\?`), 'the other work order is shown before anything happens');
  t.equal((await get(`/work-orders/${boylston}`)).status, 'new', 'nothing is merged before the confirmation');
  await page.screenshot({ path: '/tmp/work-order-merge.png', fullPage: true });
  t.equal((await focused(page)).text, `Confirm merge into ${newbury}`, 'the confirmation has the focus');
  await page.keyboard.press('Enter');
  await view.getByRole('status').filter({ hasText: `${boylston} was merged into ${newbury}` }).waitFor();
  const merged = await get(`/work-orders/${boylston}`);
  t.match(merged, { status: 'cancelled', duplicateOf: newbury, resolution: `Duplicate of ${newbury}` }, 'the merged one closes as a duplicate');
  const into = await get(`/work-orders/${newbury}`);
  t.same(into.requests.map((r: Json) => r.number).sort(), [thirdA.number, thirdB.number, late.requests[0].number].sort(), 'its request moved to the other one');
  t.same(into.mergedHere, [boylston]);
  t.match(await view.getByRole('region', { name: 'What and where' }).innerText(), new RegExp(`Duplicate of\\s*${newbury}`));

  // Split: the second Newbury caller reported another pothole across the street.
  await view.getByRole('status').getByRole('link', { name: newbury }).click();
  await view.getByRole('heading', { level: 1, name: `Work order ${newbury}` }).waitFor();
  t.match(await view.getByRole('region', { name: 'What and where' }).innerText(), new RegExp(`Merged here\\s*${boylston}`));
  await view.getByRole('button', { name: `Split off ${thirdB.number}` }).click();
  const splitForm = view.getByRole('form', { name: 'Split off a request' });
  t.equal(await splitForm.getByLabel('Request').inputValue(), thirdB.number, 'the request chosen is preselected');
  t.equal((await focused(page)).name, 'reason', 'and the reason has the focus');
  await page.keyboard.type('A second pothole across the street, not the same one');
  await splitForm.getByRole('button', { name: 'Split off to a new work order' }).click();
  await view.getByRole('status').filter({ hasText: `${thirdB.number} was split off to a new work order` }).waitFor();
  const moved = await get(`/requests/${thirdB.number}`);
  t.not(moved.workOrder.number, newbury, 'the request is on a new work order');
  t.match(moved.newWorkReason, /A second pothole across the street/);
  const split = await get(`/work-orders/${moved.workOrder.number}`);
  t.same(split.requests.map((r: Json) => r.number), [thirdB.number]);
  t.equal(split.provider.code, 'PWD-HWY', 'made from the code’s standard work order');
  t.same((await get(`/work-orders/${newbury}`)).requests.filter((r: Json) => r.status === 'in_progress').map((r: Json) => r.number).sort(), [thirdA.number, late.requests[0].number].sort(), 'the others stay');

  // The console holds only the refusals the test provoked (the unknown work order, the version conflict).
  const unexpected = errors.filter((e) => !/Failed to load resource: the server responded with a status of (404|409)/.test(e));
  t.same(unexpected, [], 'no other console errors or CSP violations');
});

t.test('a clerk reads a work order and the answers owed, but changes nothing on it and has no queue', browserTest(), async (t) => {
  const { app, baseUrl, page, errors } = await openBrowser(t);
  loadHierarchy(app.db);
  const contactId = createTestCaller(app.db).id;
  const clerk = await signedInAs(app, 'clerk');
  const number = await create(app, clerk, await ready(app, clerk, contactId, { ...pothole, text: '40 Hereford St', at: here, description: 'Deep pothole' }));

  await page.goto(`${baseUrl}/work-orders/${number}`);
  await page.getByLabel('Username').fill(clerk.user.username);
  await page.getByLabel('Password').fill(clerk.password);
  await page.keyboard.press('Enter');
  const view = page.locator('ow-work-order-view');
  await view.getByRole('heading', { level: 1, name: `Work order ${number}` }).waitFor();
  t.equal(new URL(page.url()).pathname, `/work-orders/${number}`, 'back at the work order after signing in');
  t.match(await view.getByRole('region', { name: 'Assignment and tasks' }).innerText(), /Assignee\s*not assigned/, 'the assignment is shown');
  t.equal(await view.getByRole('form').count(), 0, 'but no form to change anything');
  t.ok(await view.getByRole('checkbox', { name: 'Inspect the pothole' }).isDisabled(), 'tasks cannot be ticked');
  await view.getByText('Only dispatchers change work orders').waitFor();
  const nav = await page.getByRole('navigation', { name: 'Work areas' }).getByRole('link').allInnerTexts();
  t.ok(nav.includes('Answers owed') && !nav.includes('Dispatch'), `the clerk has the answers owed but no queue (${nav.join(', ')})`);
  await page.goto(`${baseUrl}/dispatch`);
  await page.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();
  await page.goto(`${baseUrl}/answers-owed`);
  await page.locator('ow-answers-owed-view').getByRole('status').filter({ hasText: 'No answers are owed' }).waitFor();
  t.same(errors, [], 'no console errors');
});
