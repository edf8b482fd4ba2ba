// A ready pothole report goes on a work order at the desk, keyboard alone: the first report of a hole
// makes new work (nothing looks alike, so no reason is asked), a second report 14 m away by another
// clerk shows the first work order as the top candidate with its reasons and links to it, and new work
// beside a likely duplicate is refused without a reason and accepted with one. The promise read to the
// caller is the work order's due date. What was saved is read back from the API, not from the page only.
import type { Browser, Page, Route } from 'playwright-core';
import t from 'tap';
import { loadSampleAddresses } from '../../server/addresses/import.ts';
import { browserTest, openBrowser } from '../browser-helper.ts';
import { systemActor } from '../../server/audit/service.ts';
import { createContact } from '../../server/contacts/service.ts';
import { createTestCaller, createTestUser, loadHierarchy } from '../helper.ts';

// The browser's clock reads in the city's zone, as a clerk's in the city does.
const timeZone = 'America/New_York';

interface Clerk {
  page: Page;
  errors: string[];
  /** Every answer of the server that was not a success: "POST /api/… 400". */
  failures: string[];
  cookie: () => Promise<string>;
}

async function signInClerk(browser: Browser, baseUrl: string, username: string, password: string): Promise<Clerk> {
  const context = await browser.newContext({ timezoneId: timeZone, locale: 'en-US', viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const failures: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failures.push(`${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`);
  });
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Service desk' }).waitFor();
  const cookie = async () => (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  return { page, errors, failures, cookie };
}

/** The deepest element with the focus, described enough to assert on. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    const hosts: string[] = [];
    while (active?.shadowRoot?.activeElement) {
      hosts.push(active.tagName.toLowerCase());
      active = active.shadowRoot.activeElement;
    }
    return { hosts, tag: active?.tagName.toLowerCase(), role: active?.getAttribute('role') ?? null, name: active?.getAttribute('name') ?? null, text: active?.textContent?.trim() ?? '' };
  });

/** "Wednesday, November 25, 5:00 PM" in the city's zone: how the desk must say `iso` to the caller. */
function spoken(iso: string): string {
  const at = new Date(iso);
  const sameYear = at.getUTCFullYear() === new Date().getUTCFullYear();
  const day = at.toLocaleDateString('en-US', { timeZone, weekday: 'long', month: 'long', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) });
  return `${day}, ${at.toLocaleTimeString('en-US', { timeZone, hour: 'numeric', minute: '2-digit' })}`;
}

/** Who calls: found in the caller search by what is typed; they want the answer by e-mail. */
interface Caller {
  typed: string;
  name: RegExp;
}

/**
 * Alt+N, a pothole report (S0301, "in the street", at `address` from the typeahead) — anonymous, or
 * from `caller`, who wants a reply by e-mail — then Ctrl+Enter: the request is ready and the work-order
 * panel shows. Keyboard alone. Returns the number.
 */
async function fileReadyPothole(page: Page, address: RegExp, typed: string, caller?: Caller): Promise<string> {
  const before = page.url();
  await page.keyboard.press('Alt+n');
  await page.waitForURL((url) => /\/desk\/\d{4}-\d{6}$/.test(url.pathname) && url.href !== before);
  const number = page.url().split('/').pop()!;
  await page.getByRole('heading', { level: 1, name: `Request ${number}` }).waitFor();
  if (caller) {
    // The caller search has the focus after Alt+N.
    await page.keyboard.type(caller.typed);
    await page.locator('ow-caller-panel').getByRole('option', { name: caller.name }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Earlier requests' }).waitFor();
  }
  await page.keyboard.press('Alt+2');
  await page.getByRole('combobox', { name: 'Problem code' }).waitFor();
  await page.keyboard.type('pothole');
  const search = page.locator('ow-problem-code-search');
  await search.getByRole('option', { name: /Pothole repair/ }).first().waitFor();
  // Move to the pothole code with the arrows (it need not be the first hit).
  const names = await search.getByRole('option').allInnerTexts();
  const at = names.findIndex((n) => /Pothole repair/.test(n) && /S0301/.test(n));
  if (at < 0) throw new Error(`S0301 is not among the hits: ${JSON.stringify(names)}`);
  for (let i = 0; i < at; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  // The first question has the focus: where is the pothole located?
  const where = page.locator('ow-question-preview').getByRole('combobox', { name: /Where is the pothole located/ });
  await where.waitFor();
  await page.waitForFunction(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.getAttribute('name') === 'WHISPOLO';
  });
  await page.keyboard.type('Street');
  // Tab on through the other questions to the address search.
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('Tab');
    if ((await focused(page)).hosts.includes('ow-address-search')) break;
  }
  await page.keyboard.type(typed);
  await page.locator('ow-address-search').getByRole('option', { name: address }).waitFor();
  await page.keyboard.press('Enter');
  await page.getByText('verified address').waitFor();
  if (caller) {
    // Tab on to "The caller wants a reply", tick it, and choose e-mail: the address comes from the caller.
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('Tab');
      if ((await focused(page)).name === 'replyWanted') break;
    }
    await page.keyboard.press('Space');
    await page.getByRole('combobox', { name: 'Reply by' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type('E-mail');
    await page.keyboard.press('Tab');
    // The address to reply to is filled from the caller's record once the method is saved.
    const replyTo = page.getByRole('textbox', { name: /Reply to/ });
    for (let i = 0; i < 50 && (await replyTo.inputValue()) === ''; i++) await page.waitForTimeout(100);
  }
  await page.keyboard.press('Control+Enter');
  await page.locator('[data-status]').filter({ hasText: 'Ready for work order' }).waitFor();
  await page.locator('ow-duplicate-candidates').getByRole('heading', { name: /Work order: likely duplicates/ }).waitFor();
  return number;
}

t.test('the clerk sees likely duplicates before new work: link, or create with a reason; the promise is the due date', browserTest(), async (t) => {
  const { app, baseUrl, browser } = await openBrowser(t);
  loadHierarchy(app.db);
  await loadSampleAddresses(app.db);
  const a = await createTestUser(app, 'clerk', 'clerk.ada');
  const b = await createTestUser(app, 'clerk', 'clerk.bo');
  const api = async (clerk: Clerk, url: string) => {
    const res = await app.inject({ method: 'GET', url: `/api${url}`, headers: { cookie: await clerk.cookie() } });
    t.equal(res.statusCode, 200, `GET ${url}`);
    return res.json();
  };

  // --- Clerk A: the first report of the hole. Nothing looks alike: new work, no reason asked.
  const ada = await signInClerk(browser, baseUrl, a.user.username, a.password);
  const first = await fileReadyPothole(ada.page, /1185 Boylston St/, '1185 Boylston');
  const adaPanel = ada.page.locator('ow-duplicate-candidates');
  await adaPanel.getByText('No open work order looks like this problem.').waitFor();
  t.equal(await adaPanel.getByRole('listbox').count(), 0, 'no candidates are listed');
  t.equal(await adaPanel.getByRole('textbox', { name: /Why is this new work/ }).count(), 0, 'no reason is asked when nothing looks alike');
  t.match(await focused(ada.page), { hosts: ['ow-app', 'ow-desk-view', 'ow-duplicate-candidates'], tag: 'button', text: 'Create new work order' }, 'the panel has the focus at once after Ctrl+Enter');
  await ada.page.screenshot({ path: '/tmp/desk-duplicates-none.png', fullPage: true });
  await ada.page.keyboard.press('Enter');
  const adaPromise = ada.page.locator('[data-promise]');
  await adaPromise.waitFor();
  await ada.page.locator('[data-status]').filter({ hasText: 'On work order' }).waitFor();

  const firstSaved = await api(ada, `/requests/${first}`);
  t.equal(firstSaved.status, 'in_progress', 'the request is on its work order');
  t.match(firstSaved.workOrder?.number, /^W\d{4}-\d{6}$/);
  t.equal(firstSaved.newWorkReason, '', 'no reason was needed');
  const workOrder: string = firstSaved.workOrder.number;
  t.equal(firstSaved.promisedAt, firstSaved.workOrder.dueAt, 'the promise is the work order’s due date');
  t.match(
    (await adaPromise.innerText()).replace(/\s+/g, ' '),
    `On work order ${workOrder} (a new one) — tell the caller: we expect this done by ${spoken(firstSaved.promisedAt)}.`,
    'the clerk reads the promise in words',
  );
  t.match(await focused(ada.page), { tag: 'button', text: /Another request for this caller/ }, 'the focus moves on to the next request');

  // --- Clerk B, another browser: the same hole reported from next door, 14 m away.
  const bo = await signInClerk(browser, baseUrl, b.user.username, b.password);
  const second = await fileReadyPothole(bo.page, /1191 Boylston St/, '1191 Boylston');
  const boPanel = bo.page.locator('ow-duplicate-candidates');
  const list = boPanel.getByRole('listbox', { name: 'Open work orders that may be the same problem' });
  await list.waitFor();
  t.match(await focused(bo.page), { hosts: ['ow-app', 'ow-desk-view', 'ow-duplicate-candidates'], role: 'listbox' }, 'the candidates have the focus at once');
  const top = list.getByRole('option').first();
  t.equal(await top.getAttribute('aria-selected'), 'true', 'the top candidate is chosen first');
  const topText = await top.innerText();
  t.match(topText, workOrder, 'clerk A’s work order is the top candidate');
  t.match(topText, 'Pothole repair');
  t.match(topText, '1185 Boylston St');
  t.match(topText, /same code · \d+ m · within the hour · 1 caller/, 'its reasons, in words');
  t.match(topText, `due ${spoken(firstSaved.workOrder.dueAt)}`);
  await boPanel.screenshot({ path: '/tmp/desk-duplicates-candidates.png' });
  // Into the form to add what the caller says, and back: Alt+W saves the field, then brings the
  // focus to the candidates, so the decision goes with the request's latest version.
  await bo.page.getByRole('textbox', { name: 'Description (what the caller says)' }).focus();
  await bo.page.keyboard.type('Deep, by the bus stop');
  // A slow network: the save of the description is still on its way when the clerk decides.
  await bo.page.route(`**/api/requests/${second}`, async (route: Route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  });
  await bo.page.keyboard.press('Alt+w');
  await bo.page.waitForFunction(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.getAttribute('role') === 'listbox';
  });
  // (The request's URL stays slow from here on: nothing below depends on its speed.)
  t.match(await focused(bo.page), { hosts: ['ow-app', 'ow-desk-view', 'ow-duplicate-candidates'], role: 'listbox' }, 'Alt+W goes to the candidates');
  await bo.page.keyboard.press('Enter');
  const boPromise = bo.page.locator('[data-promise]');
  await boPromise.waitFor();
  t.match((await boPromise.innerText()).replace(/\s+/g, ' '), `On work order ${workOrder} (linked to an existing one) — tell the caller: we expect this done by ${spoken(firstSaved.workOrder.dueAt)}.`);
  await bo.page.screenshot({ path: '/tmp/desk-duplicates-linked.png', fullPage: true });

  const wo = await api(bo, `/work-orders/${workOrder}`);
  t.same(wo.requests.map((r: { number: string }) => r.number).sort(), [first, second].sort(), 'both reports are on one work order');
  for (const r of wo.requests as { number: string; status: string; promisedAt: string }[]) {
    t.equal(r.status, 'in_progress', `${r.number} is in progress`);
    t.equal(r.promisedAt, wo.dueAt, `${r.number} was promised the work order’s due date`);
  }
  const secondSaved = await api(bo, `/requests/${second}`);
  t.equal(secondSaved.workOrder.number, workOrder);
  t.equal(secondSaved.newWorkReason, '');
  t.equal(secondSaved.description, 'Deep, by the bus stop', 'the field left with Alt+W was saved before the link');

  // --- A third report at the first address: new work beside a likely duplicate needs a reason.
  const third = await fileReadyPothole(bo.page, /1185 Boylston St/, '1185 Boylston');
  await list.waitFor();
  t.match(await list.getByRole('option').first().innerText(), workOrder);
  // Tab: past "Link to this work order" to the reason, and on to "Create new work order" with it empty.
  await bo.page.keyboard.press('Tab');
  t.match(await focused(bo.page), { tag: 'button', text: `Link to this work order: ${workOrder} Enter` });
  await bo.page.keyboard.press('Tab');
  t.match(await focused(bo.page), { tag: 'input', name: 'reason' });
  await bo.page.keyboard.press('Tab');
  t.match(await focused(bo.page), { tag: 'button', text: 'Create new work order' });
  await bo.page.keyboard.press('Enter');
  const reasonError = boPanel.locator('#reason-error');
  await reasonError.waitFor();
  t.match(await reasonError.innerText(), `Reason is required: possible duplicates exist (${workOrder})`, 'the server’s refusal shows next to the field');
  t.match(await focused(bo.page), { tag: 'input', name: 'reason' }, 'the focus goes to the reason');
  t.equal(await boPanel.getByRole('textbox', { name: /Why is this new work/ }).getAttribute('aria-invalid'), 'true');
  t.equal((await api(bo, `/requests/${third}`)).status, 'ready', 'nothing was created without a reason');
  await boPanel.screenshot({ path: '/tmp/desk-duplicates-reason.png' });
  await bo.page.keyboard.type('Second hole on the other side of the street');
  await bo.page.keyboard.press('Enter');
  const thirdPromise = bo.page.locator('[data-promise]');
  await thirdPromise.waitFor();
  const thirdSaved = await api(bo, `/requests/${third}`);
  t.equal(thirdSaved.status, 'in_progress');
  t.not(thirdSaved.workOrder.number, workOrder, 'a new work order was made');
  t.equal(thirdSaved.newWorkReason, 'Second hole on the other side of the street', 'with the clerk’s reason');
  t.equal(thirdSaved.promisedAt, thirdSaved.workOrder.dueAt);
  t.match((await thirdPromise.innerText()).replace(/\s+/g, ' '), `On work order ${thirdSaved.workOrder.number} (a new one) — tell the caller: we expect this done by ${spoken(thirdSaved.promisedAt)}.`);
  t.match(await thirdPromise.innerText(), 'New work because: Second hole on the other side of the street');

  // --- Reopened on the desk, a request on a work order shows it and the promise (no candidates).
  await bo.page.goto(`${baseUrl}/desk/${second}`);
  await bo.page.getByRole('heading', { level: 1, name: `Request ${second}` }).waitFor();
  t.match((await bo.page.locator('[data-promise]').innerText()).replace(/\s+/g, ' '), `On work order ${workOrder} — tell the caller: we expect this done by ${spoken(firstSaved.workOrder.dueAt)}.`);
  t.equal(await bo.page.locator('ow-duplicate-candidates').count(), 0, 'no candidates once it is on a work order');

  // --- The request's record shows its work order and the promise.
  await bo.page.goto(`${baseUrl}/requests/${second}`);
  const section = bo.page.getByRole('region', { name: 'Work order' });
  await section.waitFor();
  t.equal(await section.getByRole('link', { name: workOrder }).getAttribute('href'), `/work-orders/${workOrder}`);
  t.match(await section.innerText(), spoken(firstSaved.workOrder.dueAt), 'the promised date is on the record');
  await bo.page.screenshot({ path: '/tmp/request-work-order.png', fullPage: true });

  t.same(ada.errors, [], 'no errors in clerk A’s console');
  t.same(ada.failures, []);
  // The one refusal asked for above is the only failure (the browser logs each failed fetch).
  t.same(bo.failures, [`POST /api/requests/${third}/work-order 400`], 'the only failed call is the refused new work without a reason');
  t.same(
    bo.errors.filter((e) => !/status of 400/.test(e)),
    [],
    'no other errors in clerk B’s console',
  );
});

t.test('a request left ready is finished from its record: the candidates show there too', browserTest(), async (t) => {
  const { app, baseUrl, browser } = await openBrowser(t);
  loadHierarchy(app.db);
  await loadSampleAddresses(app.db);
  const a = await createTestUser(app, 'clerk', 'clerk.cy');
  const clerk = await signInClerk(browser, baseUrl, a.user.username, a.password);
  const { page } = clerk;
  const first = await fileReadyPothole(page, /1185 Boylston St/, '1185 Boylston');
  await page.keyboard.press('Enter'); // new work: nothing looked alike
  await page.locator('[data-promise]').waitFor();
  // The second report is left ready: the clerk moved on before deciding.
  const second = await fileReadyPothole(page, /1191 Boylston St/, '1191 Boylston');
  await page.goto(`${baseUrl}/requests/${second}`);
  const panel = page.locator('ow-duplicate-candidates');
  const list = panel.getByRole('listbox', { name: 'Open work orders that may be the same problem' });
  await list.waitFor();
  const firstSaved = (await app.inject({ method: 'GET', url: `/api/requests/${first}`, headers: { cookie: await clerk.cookie() } })).json();
  t.match(await list.getByRole('option').first().innerText(), firstSaved.workOrder.number);
  await page.screenshot({ path: '/tmp/request-ready-candidates.png', fullPage: true });
  await list.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: `${second} is on work order ${firstSaved.workOrder.number} (linked to an existing one).` }).waitFor();
  await page.getByRole('region', { name: 'Work order' }).getByRole('link', { name: firstSaved.workOrder.number }).waitFor();
  const saved = (await app.inject({ method: 'GET', url: `/api/requests/${second}`, headers: { cookie: await clerk.cookie() } })).json();
  t.equal(saved.status, 'in_progress');
  t.equal(saved.workOrder.number, firstSaved.workOrder.number, 'linked from the record');
  t.equal(saved.promisedAt, firstSaved.workOrder.dueAt);
  t.equal(await panel.count(), 0, 'the panel is gone once the request is on a work order');
  t.same(clerk.errors, []);
  t.same(clerk.failures, []);
});

t.test('two callers report one pothole at two desks, a dispatcher completes the work, and both callers are owed an answer', browserTest(), async (t) => {
  const { app, baseUrl, browser } = await openBrowser(t);
  loadHierarchy(app.db);
  await loadSampleAddresses(app.db);
  createTestCaller(app.db); // Maria Delgado, maria.delgado@example.org
  createContact(app.db, systemActor, {
    name: 'James Okafor', organisation: '', phones: [{ label: 'home', number: '617-555-0199' }], emails: ['j.okafor@example.net'],
    postalAddress: '', addressId: null, preferredReply: 'email', language: '', notes: '',
  });
  const a = await createTestUser(app, 'clerk', 'clerk.eve');
  const b = await createTestUser(app, 'clerk', 'clerk.fin');
  const d = await createTestUser(app, 'dispatcher', 'dispatcher.gil');

  // Clerk A: Maria reports the hole; nothing like it is open, so it is new work.
  const ada = await signInClerk(browser, baseUrl, a.user.username, a.password);
  const first = await fileReadyPothole(ada.page, /1185 Boylston St/, '1185 Boylston', { typed: 'maria', name: /Maria Delgado/ });
  await ada.page.locator('ow-duplicate-candidates').getByText('No open work order looks like this problem.').waitFor();
  await ada.page.keyboard.press('Enter');
  await ada.page.locator('[data-promise]').waitFor();
  const get = async (url: string) => (await app.inject({ method: 'GET', url: `/api${url}`, headers: { cookie: await ada.cookie() } })).json();
  const workOrder: string = (await get(`/requests/${first}`)).workOrder.number;

  // Clerk B, at another desk: James reports the same hole from next door and links to Maria's work order.
  const bo = await signInClerk(browser, baseUrl, b.user.username, b.password);
  const second = await fileReadyPothole(bo.page, /1191 Boylston St/, '1191 Boylston', { typed: '617 555 0199', name: /James Okafor/ });
  const list = bo.page.locator('ow-duplicate-candidates').getByRole('listbox', { name: 'Open work orders that may be the same problem' });
  await list.waitFor();
  t.match(await list.getByRole('option').first().innerText(), workOrder, 'the first work order is the top candidate');
  await bo.page.keyboard.press('Enter');
  await bo.page.locator('[data-promise]').filter({ hasText: `On work order ${workOrder} (linked to an existing one)` }).waitFor();

  // The dispatcher: from the queue to the work order, assigns a crew, starts and completes the work.
  const dispatcher = await browser.newContext({ timezoneId: timeZone, locale: 'en-US', viewport: { width: 1400, height: 1000 } });
  const page = await dispatcher.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(d.user.username);
  await page.getByLabel('Password').fill(d.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Dispatch' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: workOrder });
  t.match(await row.innerText(), /Pothole repair[\s\S]*1185 Boylston St[\s\S]*2$/, 'in the queue with its two callers');
  await row.getByRole('link', { name: workOrder }).click();
  await page.getByRole('heading', { level: 1, name: `Work order ${workOrder}` }).waitFor();
  const assignment = page.getByRole('form', { name: 'Assignment' });
  await assignment.getByLabel('Assignee').fill('Crew 7');
  await assignment.getByLabel('Assignee').press('Enter');
  const statusForm = page.getByRole('form', { name: 'Change the status' });
  await statusForm.getByRole('button', { name: 'Start work' }).waitFor();
  await statusForm.getByRole('button', { name: 'Start work' }).click();
  await statusForm.getByRole('button', { name: 'Complete' }).waitFor();
  await statusForm.getByLabel('Note for the status change').fill('Filled the pothole with hot asphalt.');
  await statusForm.getByRole('button', { name: 'Complete' }).click();
  await page.getByRole('status').filter({ hasText: '2 requests were closed with it; 2 callers are owed an answer' }).waitFor();

  const done = await get(`/work-orders/${workOrder}`);
  t.equal(done.status, 'completed');
  t.equal(done.assignee, 'Crew 7');
  for (const number of [first, second]) {
    const r = await get(`/requests/${number}`);
    t.equal(r.status, 'closed', `${number} is closed with the work order`);
    t.equal(r.resolution, 'Filled the pothole with hot asphalt.');
  }
  const owed = (await get('/answers-owed')).items as { request: string; to: string; method: string; recipient: string }[];
  t.same(
    owed.map((o) => [o.request, o.method, o.to, o.recipient]),
    [
      [first, 'email', 'maria.delgado@example.org', 'Maria Delgado'],
      [second, 'email', 'j.okafor@example.net', 'James Okafor'],
    ],
    'both callers are in the answers-owed outbox, each by the way they chose',
  );

  // And the outbox shows both to whoever sends them.
  await page.goto(`${baseUrl}/answers-owed`);
  await page.getByRole('heading', { level: 1, name: 'Answers owed' }).waitFor();
  await page.getByText(`Your request ${second}: Pothole repair — done`).waitFor();
  t.ok(await page.getByText(`Your request ${first}: Pothole repair — done`).isVisible(), 'Maria’s answer is listed');
  await page.screenshot({ path: '/tmp/work-order-flow-outbox.png', fullPage: true });
  // Notes typed for two callers, then the first one marked done: each note stays with its own caller.
  const formFor = (n: string) => page.getByRole('form', { name: `Mark the answer for ${n} done` });
  await formFor(first).getByLabel('Note').fill('Sent from the 311 mailbox');
  await formFor(second).getByLabel('Note').fill('Sent, and he replied thanks');
  await formFor(first).getByRole('button', { name: 'Mark done' }).click();
  await formFor(first).waitFor({ state: 'detached' });
  t.equal(await formFor(second).getByLabel('Note').inputValue(), 'Sent, and he replied thanks', 'the second note is still the second caller’s');
  await formFor(second).getByRole('button', { name: 'Mark done' }).click();
  await formFor(second).waitFor({ state: 'detached' });
  const sent = (await get('/answers-owed?status=done')).items as { request: string; doneNote: string }[];
  t.same(sent.map((o) => [o.request, o.doneNote]).sort(), [[first, 'Sent from the 311 mailbox'], [second, 'Sent, and he replied thanks']].sort(), 'each answer is marked done with its own note');
  t.same([...ada.errors, ...bo.errors, ...errors], [], 'no errors in any console');
});
