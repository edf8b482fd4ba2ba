import t from 'tap';
import { browserTest, openBrowser } from '../browser-helper.ts';
import { createTestUser } from '../helper.ts';

t.test('a clerk signs in with the keyboard, cannot open /admin (view or API), and signs out', browserTest(), async (t) => {
  const { app, baseUrl, page, errors } = await openBrowser(t);
  const { user, password } = await createTestUser(app, 'clerk', 'amira');

  await page.goto(`${baseUrl}/desk`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/login', 'a signed-out user is sent to sign in');

  // Keyboard only: the username field has focus; type, Tab, type, Enter.
  await page.getByLabel('Username').waitFor();
  await page.keyboard.type('amira');
  await page.keyboard.press('Tab');
  await page.keyboard.type('wrong password here');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
  t.pass('a wrong password is refused with a clear message');

  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Service desk' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/desk', 'back where the clerk was going');
  t.match(await page.locator('ow-app header').innerText(), user.displayName, 'the shell shows who is signed in');
  const nav = await page.getByRole('navigation', { name: 'Work areas' }).getByRole('link').allInnerTexts();
  t.same(nav, ['Desk', 'Requests', 'Answers owed', 'Public portal'], 'only the areas a clerk may use are offered');

  await page.goto(`${baseUrl}/admin/users`);
  await page.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();
  t.match(await page.locator('ow-not-allowed-view').getByRole('alert').innerText(), /clerk/, 'the not-allowed view names the role');
  const apiStatus = await page.evaluate(async () => (await fetch('/api/users')).status);
  t.equal(apiStatus, 403, 'and the API refuses the clerk too');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  const afterSignOut = await page.evaluate(async () => ((await (await fetch('/api/auth/session')).json()) as { user: unknown }).user);
  t.equal(afterSignOut, null, 'the session is over');
  await page.goto(`${baseUrl}/desk`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  t.pass('the desk asks for sign-in again');
  t.same(errors.filter((e) => !/401|403/.test(e)), [], 'no console errors besides the expected refusals');
  t.ok(errors.length <= 2, `only the refusals the test provoked are logged: ${errors.join(' | ')}`);
});

t.test('an administrator creates a user, changes a role and disables them on the users screen', browserTest(), async (t) => {
  const { app, baseUrl, page, errors } = await openBrowser(t);
  const { user, password } = await createTestUser(app, 'admin');
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();

  await page.getByText('New user').click();
  await page.getByLabel('Username').fill('t.okafor');
  await page.getByLabel('Full name').fill('Tobi Okafor');
  await page.getByLabel('E-mail').fill('tobi');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Create user' }).click();
  await page.locator('ow-users-view .field-error').first().waitFor();
  const fieldErrors = await page.locator('ow-users-view .field-error').allInnerTexts();
  t.ok(fieldErrors.length >= 1, `errors are shown next to the fields: ${fieldErrors.join(' | ')}`);

  await page.getByLabel('E-mail').fill('tobi@city.example');
  await page.getByLabel('Password', { exact: true }).fill('a long enough password');
  await page.getByRole('button', { name: 'Create user' }).click();
  await page.getByRole('status').filter({ hasText: 'Created t.okafor.' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: 't.okafor' });
  await row.waitFor();

  await row.getByRole('combobox', { name: 'Role of t.okafor' }).selectOption('dispatcher');
  await page.getByRole('status').filter({ hasText: 't.okafor is now dispatcher.' }).waitFor();
  await row.getByRole('button', { name: 'Disable' }).click();
  await page.getByRole('status').filter({ hasText: 't.okafor is disabled' }).waitFor();
  t.match(await row.innerText(), 'Disabled');

  const check = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 't.okafor', password: 'a long enough password' } });
  t.equal(check.statusCode, 401, 'the disabled user cannot sign in');
  t.same(errors.filter((e) => !/status of 400/.test(e)), [], 'no console errors besides the expected validation answer');
});
