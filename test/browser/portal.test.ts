// The public portal in the browser, signed out: a resident finds the pothole service by searching,
// answers its question, chooses an address, leaves an e-mail, and gets a number and the promise; the
// track page follows the request to its close. A second resident reports the same hole from where they
// stand (the browser's location) and is put on the same work. A third finds an answer in three steps
// and rates it, and sends a comment. What was saved is read back from the API, not from the page only.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import t from 'tap';
import { loadSampleAddresses } from '../../server/addresses/import.ts';
import { systemActor } from '../../server/audit/service.ts';
import { loadSampleArticles } from '../../server/kb/seed.ts';
import { browserTest, openBrowser } from '../browser-helper.ts';
import { loadHierarchy, signedInAs } from '../helper.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- API answers read in tests

const timeZone = 'America/New_York';
/** 14 Boylston St, Jamaica Plain, as the sample registry places it. */
const boylston14 = { latitude: 42.3191, longitude: -71.1107 };

interface Resident {
  context: BrowserContext;
  page: Page;
  errors: string[];
  requests: string[];
}

async function resident(browser: Browser, options: { geolocation?: { latitude: number; longitude: number } } = {}): Promise<Resident> {
  const context = await browser.newContext({
    timezoneId: timeZone,
    locale: 'en-US',
    viewport: { width: 1280, height: 1000 },
    ...(options.geolocation ? { geolocation: options.geolocation, permissions: ['geolocation'] } : {}),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    // A refused write (400, 429) is logged by the browser as a failed resource; it is not a page error.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  return { context, page, errors, requests };
}

/** "Wednesday, November 25, 5:00 PM" in the city's zone: how the portal must tell the promise. */
function spoken(iso: string): string {
  const at = new Date(iso);
  const day = at.toLocaleDateString('en-US', { timeZone, weekday: 'long', month: 'long', day: 'numeric' });
  return `${day}, ${at.toLocaleTimeString('en-US', { timeZone, hour: 'numeric', minute: '2-digit' })}`;
}

t.test('a resident reports a pothole and follows it to its close; a second report from the same spot joins the same work', browserTest(), async (t) => {
  const { app, baseUrl, browser } = await openBrowser(t);
  loadHierarchy(app.db);
  await loadSampleAddresses(app.db);
  const dispatcher = await signedInAs(app, 'dispatcher');
  const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Json) => (await app.inject({ method, url, headers: dispatcher.headers, ...(payload ? { payload } : {}) })).json();
  const count = () => (app.db.$client.prepare('SELECT count(*) AS n FROM customer_requests').get() as { n: number }).n;

  const ana = await resident(browser);
  const { page } = ana;
  await page.goto(`${baseUrl}/portal`);
  await page.getByRole('heading', { level: 1, name: 'How can we help?' }).waitFor();
  // Step 1: the service, found by searching from the portal's first page.
  await page.getByLabel('Search for an answer or a service').fill('pothole');
  const service = page.getByRole('link', { name: 'Pothole repair', exact: true });
  await service.waitFor();
  await service.press('Enter');
  await page.waitForURL(/\/portal\/report\/S0301$/);
  await page.getByText('Usually done within 3 days').waitFor();

  // Sent empty: every problem is told next to its field, and nothing is saved.
  const before = count();
  await page.getByRole('button', { name: 'Send report' }).press('Enter');
  await page.getByRole('alert').filter({ hasText: 'Please check what is marked below.' }).waitFor();
  await page.locator('ow-question-preview').getByText(/is required: Where is the pothole located/).waitFor();
  await page.getByText(/is required for Pothole repair: an address or coordinates/).waitFor();
  t.equal(count(), before, 'a refused report saves nothing');

  // Step 2: the question, by keyboard. Step 3: the address from the registry. Step 4: details and e-mail.
  const where = page.locator('ow-question-preview').getByRole('combobox', { name: /Where is the pothole located/ });
  await where.focus();
  await page.keyboard.type('Street');
  await page.getByLabel('Describe the problem (optional)').fill('Deep hole by the bus stop, <b>watch out</b>');
  const address = page.locator('ow-address-search').getByRole('combobox', { name: 'Address or place' });
  await address.fill('14 Boylston');
  await page.locator('ow-address-search').getByRole('option', { name: /14 Boylston St/ }).first().waitFor();
  await address.press('Enter');
  await page.getByLabel('Give my contact details').check();
  await page.getByLabel('Your name').fill('Ana Souza');
  await page.getByLabel('E-mail', { exact: true }).fill('ana.souza@example.org');
  await page.getByLabel('E-mail me when the work is done').check();
  await page.screenshot({ path: '/tmp/portal-form.png', fullPage: true });
  await page.getByRole('button', { name: 'Send report' }).press('Enter');

  const done = page.locator('.done');
  await done.getByRole('heading', { name: /your report was received/ }).waitFor();
  const number = (await done.locator('.number').innerText()).trim();
  t.match(number, /^\d{4}-\d{6}$/, `the number is shown: ${number}`);
  const saved = await api('GET', `/api/requests/${number}`);
  t.match(saved, { channel: 'web', source: 'portal', problemCode: 'S0301', answers: { WHISPOLO: 'STREE001' }, location: { verified: true, text: /14 Boylston St/ }, replyWanted: true, replyTo: 'ana.souza@example.org' });
  t.match(saved.contact, { name: 'Ana Souza' });
  t.match(await done.innerText(), new RegExp(`We expect Pothole repair to be done by ${spoken(saved.promisedAt)}`), 'the promise is the work order’s due date, in words');
  await page.screenshot({ path: '/tmp/portal-reported.png', fullPage: true });

  // Track: from the confirmation to the request's page.
  await done.getByRole('link', { name: 'See its status' }).click();
  await page.waitForURL(new RegExp(`/portal/track/${number}$`));
  const result = page.locator('ow-portal-track section.result');
  await result.getByRole('heading', { name: `Request ${number} Open` }).waitFor();
  t.match(await result.innerText(), /Pothole repair[\s\S]*14 Boylston St[\s\S]*Expected by[\s\S]*made for this request/, 'what, where, the promise, the history');

  // A second resident stands by the hole and uses the browser's location: the same work.
  const ben = await resident(browser, { geolocation: { latitude: boylston14.latitude + 0.00005, longitude: boylston14.longitude } });
  await ben.page.goto(`${baseUrl}/portal/report/S0301`);
  await ben.page.locator('ow-question-preview').getByRole('combobox', { name: /Where is the pothole located/ }).selectOption('STREE001');
  await ben.page.getByRole('button', { name: 'Use my current location' }).click();
  await ben.page.getByText(/Your location is used \(42\.3191\d, -71\.1107\d\)/).waitFor();
  await ben.page.getByLabel('Landmark or details of the place (optional)').fill('in front of the bakery');
  await ben.page.getByRole('button', { name: 'Send report' }).click();
  const second = (await ben.page.locator('.done .number').innerText()).trim();
  const secondSaved = await api('GET', `/api/requests/${second}`);
  t.match(secondSaved, { contact: null, location: { latitude: boylston14.latitude + 0.00005, longitude: boylston14.longitude, text: 'in front of the bakery', verified: false } });
  t.equal(secondSaved.workOrder.number, saved.workOrder.number, 'a report 6 m away joins the first report’s work order');
  await ben.page.goto(`${baseUrl}/portal/track/${second}`);
  await ben.page.getByText(`Duplicate of ${number}`).waitFor();

  // The dispatcher finishes the work; the first resident reloads the track page and sees the outcome.
  let workOrder = await api('PATCH', `/api/work-orders/${saved.workOrder.number}`, { version: (await api('GET', `/api/work-orders/${saved.workOrder.number}`)).version, assignee: 'Crew 7' });
  workOrder = await api('POST', `/api/work-orders/${workOrder.number}/status`, { version: workOrder.version, status: 'in_progress' });
  workOrder = await api('POST', `/api/work-orders/${workOrder.number}/status`, { version: workOrder.version, status: 'completed', note: 'Filled with hot asphalt' });
  t.equal(workOrder.status, 'completed');
  await page.reload();
  await result.getByRole('heading', { name: `Request ${number} Closed` }).waitFor();
  t.match(await result.innerText(), /Outcome\s*Filled with hot asphalt/);
  await page.screenshot({ path: '/tmp/portal-track.png', fullPage: true });
  const owed = await api('GET', '/api/answers-owed?status=pending');
  t.match(owed.items, [{ request: number, method: 'email', to: 'ana.souza@example.org' }], 'Ana, who asked, is owed an e-mail; Ben, anonymous, is not');

  // A number that is not one is told plainly.
  await page.getByLabel('Request number').fill('2026-999999');
  await page.getByRole('button', { name: 'Look up' }).click();
  await page.getByRole('alert').filter({ hasText: 'No request has the number 2026-999999' }).waitFor();

  for (const r of [ana, ben]) {
    t.same(r.errors, [], 'no page errors and no CSP violations');
    t.same(r.requests.filter((url) => !url.startsWith(baseUrl)), [], 'nothing is asked of any other site');
  }
});

t.test('a resident finds an answer in three steps and rates it, sends a comment, and what they type is shown as text', browserTest(), async (t) => {
  const { app, baseUrl, browser } = await openBrowser(t);
  loadHierarchy(app.db);
  loadSampleArticles(app.db, systemActor);
  const clerk = await signedInAs(app, 'clerk');
  const r = await resident(browser);
  const { page } = r;

  // Typed markup is shown as the words typed, never run.
  await page.goto(`${baseUrl}/portal`);
  const search = page.getByLabel('Search for an answer or a service');
  await search.fill('<img src=x onerror="document.title=\'pwned\'">');
  await page.getByText('No service matches “<img src=x onerror="document.title=\'pwned\'">”.').waitFor();
  t.not(await page.title(), 'pwned', 'the markup typed did not run');

  // 1: type; 2: choose; 3: read — then rate.
  await search.fill('car towed');
  const answer = page.getByRole('link', { name: /Street cleaning/ });
  await answer.waitFor();
  await answer.press('Enter');
  await page.waitForURL(/\/portal\/answers\/street-cleaning-and-towing$/);
  await page.getByRole('heading', { level: 2, name: /Street cleaning/ }).waitFor();
  await page.getByRole('button', { name: 'No' }).click();
  await page.getByLabel('What was missing or wrong? (optional)').fill('It does not say what the tow costs');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Thank you: your rating helps us improve the answers.').waitFor();
  const feedback = app.db.$client.prepare("SELECT useful, note, channel FROM kb_feedback ORDER BY id DESC LIMIT 1").get();
  t.same(feedback, { useful: 0, note: 'It does not say what the tow costs', channel: 'portal' }, 'the rating is saved as the portal’s');
  await page.screenshot({ path: '/tmp/portal-answer.png', fullPage: true });

  // A comment: a reply by e-mail needs the e-mail, said next to the field; then it is sent.
  await page.getByRole('link', { name: 'Send a comment' }).click();
  await page.getByRole('heading', { level: 1, name: 'Send a comment' }).waitFor();
  await page.getByLabel('Kind of comment').selectOption('compliment');
  await page.getByLabel('What would you like to tell us?').fill('The crew on Boylston St was quick and kind.');
  await page.getByLabel('Give my contact details').check();
  await page.getByLabel('Your name').fill('Chloé Brontë');
  await page.getByLabel('I would like a reply by e-mail').check();
  await page.getByRole('button', { name: 'Send comment' }).click();
  await page.getByText('is needed to tell you by e-mail; give it, or untick the box').waitFor();
  await page.getByLabel('E-mail', { exact: true }).fill('chloe@example.org');
  await page.getByRole('button', { name: 'Send comment' }).click();
  await page.getByRole('heading', { name: /your comment was received/ }).waitFor();
  const number = (await page.locator('.done .number').innerText()).trim();
  const saved = (await app.inject({ method: 'GET', url: `/api/requests/${number}`, headers: clerk.headers })).json();
  t.match(saved, { type: 'comment', commentKind: 'compliment', status: 'awaiting_reply', replyTo: 'chloe@example.org', contact: { name: 'Chloé Brontë' } });

  t.same(r.errors, [], 'no page errors and no CSP violations');
  t.same(r.requests.filter((url) => !url.startsWith(baseUrl)), [], 'nothing is asked of any other site');
});

t.test('a report can be made with the keyboard alone, every control reached by Tab and named by its label', browserTest(), async (t) => {
  const { app, baseUrl, browser } = await openBrowser(t);
  loadHierarchy(app.db);
  await loadSampleAddresses(app.db);
  const r = await resident(browser);
  const { page } = r;
  const focusedName = () =>
    page.evaluate(() => {
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      const label = active?.closest('label')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      return `${active?.tagName.toLowerCase()}|${active?.getAttribute('name') ?? ''}|${active?.textContent?.trim() ?? ''}|${label}`;
    });
  /** Tab until the focus is on what `matches`; fails after 25 presses. */
  const tabTo = async (matches: RegExp) => {
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      if (matches.test(await focusedName())) return;
    }
    throw new Error(`Tab never reached ${matches}; last: ${await focusedName()}`);
  };
  await page.goto(`${baseUrl}/portal/report`);
  await page.getByLabel('Search the services').focus();
  await page.keyboard.type('pothole');
  await page.locator('ul.services').getByRole('button', { name: 'Pothole repair', exact: true }).waitFor();
  await tabTo(/^button\|\|Pothole repair\|/);
  await page.keyboard.press('Enter');
  await tabTo(/^select\|WHISPOLO\|/);
  await page.keyboard.type('Street');
  await tabTo(/^input\|\|.*\|Address or place/);
  await page.keyboard.type('14 Boylston');
  await page.locator('ow-address-search').getByRole('option', { name: /14 Boylston St/ }).first().waitFor();
  await page.keyboard.press('Enter');
  await tabTo(/^input\|who\|.*Stay anonymous/);
  await page.keyboard.press('ArrowDown');
  await tabTo(/^input\|name\|/);
  await page.keyboard.type('Ana Souza');
  await tabTo(/^input\|email\|/);
  await page.keyboard.type('ana.souza@example.org');
  await tabTo(/^input\|by-email\|/);
  await page.keyboard.press('Space');
  await tabTo(/^button\|\|Send report/);
  await page.keyboard.press('Enter');
  const number = (await page.locator('.done .number').innerText()).trim();
  const clerk = await signedInAs(app, 'clerk');
  const saved = (await app.inject({ method: 'GET', url: `/api/requests/${number}`, headers: clerk.headers })).json();
  t.match(saved, { answers: { WHISPOLO: 'STREE001' }, location: { verified: true, text: /14 Boylston St/ }, replyWanted: true, replyTo: 'ana.souza@example.org', contact: { name: 'Ana Souza' } }, 'everything typed was saved');
  t.same(r.errors, [], 'no page errors');
});

