// An administrator gives an Open311 partner a key in the browser: the key is shown once and works,
// its rate limit is changed, and once revoked it stops at once.
import t from 'tap';
import { useApiKey } from '../../server/api-keys/service.ts';
import { browserTest, openBrowser } from '../browser-helper.ts';
import { createTestUser } from '../helper.ts';

t.test('an administrator makes a partner key, sees it once, limits it and revokes it', browserTest(), async (t) => {
  const { app, baseUrl, page, errors } = await openBrowser(t);
  const { user, password } = await createTestUser(app, 'admin');
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
  await page.getByRole('link', { name: 'API keys' }).click();
  await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
  await page.getByText('No partner has a key yet.').waitFor();

  await page.getByText('New key').click();
  await page.getByLabel('Partner').fill('SeeClickFix');
  await page.getByLabel('What it is for, and who to call about it').fill('Resident app; ops@example.com');
  await page.getByLabel('Requests a minute').fill('120');
  await page.getByRole('button', { name: 'Make the key' }).click();
  const shown = page.locator('.new-key code');
  await shown.waitFor();
  const key = (await shown.innerText()).trim();
  t.match(key, /^ow_[A-Za-z0-9_-]{43}$/, 'the key is shown');
  t.equal(useApiKey(app.db, key).ok, true, 'and it is the key that works');
  const row = page.getByRole('row').filter({ hasText: 'SeeClickFix' });
  t.match(await row.innerText(), /SeeClickFix[\s\S]*ow_[A-Za-z0-9_-]{7}…[\s\S]*120 a minute[\s\S]*Active/);
  t.notMatch(await row.innerText(), key, 'the list shows only its beginning');
  await page.screenshot({ path: '/tmp/api-keys.png', fullPage: true });
  await page.getByRole('button', { name: 'I have copied it' }).click();
  t.equal(await page.locator('.new-key').count(), 0, 'once dismissed, the key is not shown again');

  await row.getByLabel('Requests a minute for SeeClickFix').fill('30');
  await row.getByRole('button', { name: 'Set limit' }).click();
  await page.getByRole('status').filter({ hasText: 'SeeClickFix may now send 30 requests a minute.' }).waitFor();
  t.equal((app.db.$client.prepare('SELECT rate_per_minute AS r FROM api_keys').get() as { r: number }).r, 30);

  await row.getByRole('button', { name: 'Revoke…' }).click();
  await row.getByRole('button', { name: 'Revoke now' }).click();
  await page.getByRole('status').filter({ hasText: 'is revoked: it stopped working now' }).waitFor();
  t.match(await page.getByRole('row').filter({ hasText: 'SeeClickFix' }).innerText(), /Revoked/);
  t.same(useApiKey(app.db, key), { ok: false, reason: 'revoked' }, 'the revoked key no longer works');
  t.same(errors, []);
});
