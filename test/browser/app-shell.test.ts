import t from 'tap';
import { browserTest, openBrowser } from '../browser-helper.ts';
import { createTestUser } from '../helper.ts';

t.test('the app shell routes between views in a real browser', browserTest(), async (t) => {
  const { app, baseUrl, page, requests, errors } = await openBrowser(t);
  const { user, password } = await createTestUser(app, 'admin');
  const signedIn = await page.request.post(`${baseUrl}/api/auth/login`, { data: { username: user.username, password } });
  t.equal(signedIn.status(), 200, 'signed in (the cookie is shared with the page)');

  await page.goto(`${baseUrl}/desk`);
  await page.getByRole('heading', { level: 1, name: 'Service desk' }).waitFor();
  t.equal(await page.getByRole('link', { name: 'Desk' }).getAttribute('aria-current'), 'page', 'the Desk link is marked current');

  await page.getByRole('link', { name: 'Dispatch' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dispatch' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/dispatch', 'the address follows the navigation');
  t.equal(await page.getByRole('link', { name: 'Dispatch' }).getAttribute('aria-current'), 'page', 'the Dispatch link is marked current');
  t.equal(await page.getByRole('link', { name: 'Desk' }).getAttribute('aria-current'), 'false', 'the Desk link is no longer current');

  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'Service desk' }).waitFor();
  t.pass('the back button returns to the desk');

  await page.goto(`${baseUrl}/no/such/page`);
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  t.match(await page.locator('ow-not-found-view code').textContent(), '/no/such/page', 'the not-found view names the address');

  t.same(errors, [], 'no console errors or CSP violations');
  const foreign = requests.filter((url) => !url.startsWith(baseUrl) && !url.startsWith('data:'));
  t.same(foreign, [], 'the page requests nothing outside its own server');
});
