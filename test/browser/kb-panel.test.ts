import t from 'tap';
import { systemActor } from '../../server/audit/service.ts';
import { loadSampleArticles } from '../../server/kb/seed.ts';
import { browserTest, openBrowser } from '../browser-helper.ts';
import { createTestUser, loadHierarchy } from '../helper.ts';

/** Real questions callers ask, and the article that answers each (from the sample knowledge base). */
const questions = [
  { ask: 'when is trash day', answer: 'trash-collection-day' },
  { ask: 'no heat in apartment', answer: 'heat-and-hot-water-rentals' },
  { ask: 'my car was towed', answer: 'street-cleaning-and-towing' },
  { ask: 'birth certificate', answer: 'birth-death-marriage-certificates' },
  { ask: 'ogrzewanie', answer: 'heat-and-hot-water-rentals-pl' },
  { ask: 'СМІТТЯ', answer: 'trash-collection-day-uk' },
];

t.test('from the desk, an answer is three steps away: type, pick, read — with the keyboard alone', browserTest(), async (t) => {
  const { app, baseUrl, page, errors } = await openBrowser(t);
  loadHierarchy(app.db);
  loadSampleArticles(app.db, systemActor);
  const { user, password } = await createTestUser(app, 'clerk');
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Service desk' }).waitFor();

  const panel = page.locator('ow-kb-panel');
  for (const { ask, answer } of questions) {
    const title = (await app.inject({ method: 'GET', url: `/api/kb/articles/${answer}`, headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).json().title as string;
    // 1. type (results come as the clerk types; wait for those of the whole question)
    const answered = page.waitForResponse((r) => r.url().includes('/api/kb/search') && new URL(r.url()).searchParams.get('q') === ask);
    await panel.getByRole('combobox', { name: 'Search answers' }).focus();
    await page.keyboard.type(ask);
    await answered;
    const options = panel.getByRole('option');
    await options.filter({ hasText: title }).first().waitFor();
    const titles = await options.locator('.title').allInnerTexts();
    const at = titles.findIndex((x) => x.startsWith(title));
    t.ok(at >= 0 && at < 3, `“${ask}”: “${title}” is among the first three results (at ${at + 1})`);
    // 2. pick
    for (let i = 0; i < at; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    // 3. read
    await panel.getByRole('heading', { level: 2, name: title }).waitFor();
    t.ok(await panel.getByRole('region', { name: 'Call script' }).isVisible(), `“${ask}”: the call script is shown first`);
    await page.keyboard.press('Escape');
    await panel.getByRole('combobox', { name: 'Search answers' }).fill('');
  }

  // Mark the answer, rate it, and follow a related article: one click each.
  await panel.getByRole('combobox', { name: 'Search answers' }).fill('trash day');
  await panel.getByRole('option').filter({ hasText: 'When is my trash and recycling collected?' }).waitFor();
  await panel.getByRole('option').filter({ hasText: 'When is my trash and recycling collected?' }).click();
  await panel.getByRole('heading', { level: 2, name: 'When is my trash and recycling collected?' }).waitFor();
  await panel.getByRole('button', { name: 'This answered the caller' }).click();
  await panel.getByRole('status').filter({ hasText: 'Recorded as the answer to this call.' }).waitFor();
  await panel.getByRole('button', { name: 'Useful', exact: true }).click();
  await panel.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();
  const related = panel.getByRole('button', { name: /recycl/i }).first();
  await related.click();
  await panel.getByRole('heading', { level: 2, name: /recycl/i }).waitFor();
  t.pass('a related article is one click away');

  const counts = (await app.inject({ method: 'GET', url: '/api/kb/articles/trash-collection-day', headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).json().counts;
  t.equal(counts.uses, 1, 'the use was recorded');
  t.equal(counts.useful, 1, 'and the rating');
  t.same(errors, [], 'no console errors');
});
