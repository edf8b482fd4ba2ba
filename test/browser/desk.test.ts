// The clerk's desk in a real browser, with the keyboard alone: an information call answered from the
// knowledge base, an action call with the code's questions answered, a comment wanting a reply, and a
// request saved at first contact that survives a reload mid-call. What was saved is read back from
// the API, not from the page only.
import type { Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { loadSampleAddresses } from '../../server/addresses/import.ts';
import { systemActor } from '../../server/audit/service.ts';
import { loadSampleArticles } from '../../server/kb/seed.ts';
import { browserTest, openBrowser, type BrowserSession } from '../browser-helper.ts';
import { createTestCaller, createTestUser, loadHierarchy } from '../helper.ts';

interface Desk extends BrowserSession {
  cookie: () => Promise<string>;
}

async function openDesk(t: Test): Promise<Desk> {
  const session = await openBrowser(t);
  const { app, page, baseUrl } = session;
  loadHierarchy(app.db);
  loadSampleArticles(app.db, systemActor);
  await loadSampleAddresses(app.db);
  createTestCaller(app.db);
  const { user, password } = await createTestUser(app, 'clerk');
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Service desk' }).waitFor();
  const cookie = async () => (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  return { ...session, cookie };
}

/** The request as the server has it now. */
async function saved(desk: Desk, number: string) {
  const res = await desk.app.inject({ method: 'GET', url: `/api/requests/${number}`, headers: { cookie: await desk.cookie() } });
  return res.json();
}

/** Alt+N, and the number the new request got (it is in the address bar at once). */
async function newContact(page: Page): Promise<string> {
  await page.keyboard.press('Alt+n');
  await page.waitForURL(/\/desk\/\d{4}-\d{6}$/);
  await page.getByRole('heading', { level: 1, name: /^Request \d{4}-\d{6}$/ }).waitFor();
  return page.url().split('/').pop()!;
}

/** The text of the element that has the focus, however deep in shadow roots. */
const focusedText = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.textContent?.trim();
  });

const settled = (page: Page) => page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor();

t.test('an information call answered from the knowledge base, with the keyboard alone', browserTest(), async (t) => {
  const desk = await openDesk(t);
  const { page, errors } = desk;
  const number = await newContact(page);
  t.ok(await page.getByRole('timer', { name: 'Contact length' }).isVisible(), 'a running timer shows the contact’s length');
  const first = await saved(desk, number);
  t.equal(first.status, 'open', 'saved before anything else was typed');
  t.equal(first.channel, 'phone');

  // Anonymous caller: straight to the type.
  await page.keyboard.press('Alt+1');
  const question = page.getByRole('textbox', { name: 'Question the caller asked' });
  await question.waitFor();
  t.ok(await question.evaluate((el) => el.matches(':focus')), 'Alt+1 goes to the question');
  await page.keyboard.type('Which day is trash collected on Hereford St?');
  await page.keyboard.press('Alt+k');
  await page.keyboard.type('trash day');
  const panel = page.locator('ow-kb-panel');
  await panel.getByRole('option').first().waitFor();
  await page.keyboard.press('Enter');
  await panel.getByRole('heading', { level: 2 }).waitFor();
  const title = await panel.getByRole('heading', { level: 2 }).innerText();
  await page.keyboard.press('Tab');
  t.equal(await focusedText(page), 'This answered the caller');
  await page.keyboard.press('Enter');
  await panel.getByText('Recorded as the answer to this call.').waitFor();
  await page.getByRole('region', { name: 'Request' }).getByText(title).waitFor();
  await page.keyboard.press('Control+Enter');
  await page.locator('[data-status]').filter({ hasText: 'Closed' }).waitFor();

  const done = await saved(desk, number);
  t.equal(done.type, 'information');
  t.equal(done.status, 'closed');
  t.equal(done.description, 'Which day is trash collected on Hereford St?');
  t.same(done.articles.map((a: { title: string }) => a.title), [title], 'the article used is on the request');
  t.equal(done.resolvedAtFirstContact, true);
  t.same(errors, [], 'no errors in the console');
});

t.test('an action call: caller found as typed, problem code, answers, address — keyboard alone', browserTest(), async (t) => {
  const desk = await openDesk(t);
  const { page, errors } = desk;
  const number = await newContact(page);
  // The caller search has the focus after Alt+N.
  await page.keyboard.type('617 555 01');
  await page.locator('ow-caller-panel').getByRole('option', { name: /Maria Delgado/ }).waitFor();
  await page.keyboard.press('Enter');
  await settled(page);
  await page.getByRole('heading', { name: 'Earlier requests' }).waitFor();

  await page.keyboard.press('Alt+2');
  await page.getByRole('combobox', { name: 'Problem code' }).waitFor();
  await page.keyboard.type('bulk item');
  await page.locator('ow-problem-code-search').getByRole('option').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  // The first question has the focus: which items (a list of boxes), then how many.
  const questions = page.locator('ow-question-preview');
  await questions.getByRole('checkbox').first().waitFor();
  const boxes = await questions.getByRole('checkbox').count();
  await page.keyboard.press('Space');
  await settled(page);
  for (let i = 0; i < boxes; i++) await page.keyboard.press('Tab');
  await page.keyboard.type('2');
  await page.keyboard.press('Tab');
  await page.keyboard.type('40 Hereford');
  await page.locator('ow-address-search').getByRole('option', { name: /40 Hereford St/ }).waitFor();
  await page.keyboard.press('Enter');
  await page.getByText('verified address').waitFor();
  await page.keyboard.press('Control+Enter');
  await page.locator('[data-status]').filter({ hasText: 'Ready for work order' }).waitFor();

  const done = await saved(desk, number);
  t.equal(done.type, 'action');
  t.equal(done.status, 'ready');
  t.equal(done.contact.name, 'Maria Delgado');
  t.equal(done.problemCode, 'BULK_ITEM_PICKUP');
  t.same(done.answers, { ITEMS: ['FURNITURE'], ITEM_COUNT: 2 });
  t.match(done.location, { text: '40 Hereford St, 02115', verified: true });

  // Moving on from a ready action request without a work order is asked about once.
  await page.keyboard.press('Alt+a');
  await page.getByRole('alert').filter({ hasText: `${number} is not on a work order yet` }).waitFor();
  t.ok(page.url().endsWith(number), 'the first press stays on the request');
  // One window: another request for the same caller without re-entering them (the second press leaves it ready).
  await page.keyboard.press('Alt+a');
  await page.waitForURL((url) => !url.pathname.endsWith(number));
  const second = await saved(desk, page.url().split('/').pop()!);
  t.equal(second.contact.name, 'Maria Delgado', 'the caller carries over');
  t.equal(second.siblings.length, 2);
  t.same(errors, []);
});

t.test('a comment wanting a reply, and a request that survives a reload mid-call', browserTest(), async (t) => {
  const desk = await openDesk(t);
  const { page, errors } = desk;
  const number = await newContact(page);
  await page.keyboard.type('maria');
  await page.locator('ow-caller-panel').getByRole('option', { name: /Maria Delgado/ }).waitFor();
  await page.keyboard.press('Enter');
  await settled(page);
  await page.keyboard.press('Alt+3');
  const kind = page.getByRole('combobox', { name: 'Kind' });
  await kind.waitFor();
  t.ok(await kind.evaluate((el) => el.matches(':focus')), 'Alt+3 goes to the kind of comment');
  await page.keyboard.type('Complaint');
  await page.keyboard.press('Tab'); // about
  await page.keyboard.press('Tab'); // what the caller said
  await page.keyboard.type('The crew left the trench on Hereford St open for two weeks.');
  await page.keyboard.press('Tab'); // saves the text; on to "wants a reply"
  await settled(page);

  // The browser reloads mid-call: the request is there, as saved.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: `Request ${number}` }).waitFor();
  await page.getByRole('textbox', { name: 'What the caller said' }).waitFor();
  t.equal(await page.getByRole('textbox', { name: 'What the caller said' }).inputValue(), 'The crew left the trench on Hereford St open for two weeks.');
  t.equal(await page.getByRole('combobox', { name: 'Kind' }).inputValue(), 'complaint');

  await page.getByRole('textbox', { name: 'What the caller said' }).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await page.getByRole('combobox', { name: 'Reply by' }).waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.type('E-mail');
  await page.keyboard.press('Tab');
  await settled(page);
  await page.getByRole('textbox', { name: /Reply to/ }).waitFor();
  await page.keyboard.press('Control+Enter');
  await page.locator('[data-status]').filter({ hasText: 'Reply owed' }).waitFor();

  const done = await saved(desk, number);
  t.equal(done.type, 'comment');
  t.equal(done.status, 'awaiting_reply', 'waits in "replies owed"');
  t.equal(done.commentKind, 'complaint');
  t.equal(done.replyMethod, 'email');
  t.equal(done.replyTo, 'maria.delgado@example.org');
  await page.screenshot({ path: '/tmp/desk-comment.png', fullPage: true });
  t.same(errors, []);
});
