import t from 'tap';
import { browserTest, openBrowser } from '../browser-helper.ts';
import { createTestUser, loadHierarchy } from '../helper.ts';

t.test('an admin adds a problem code with two questions; the search finds it by a synonym at once; retired, it is no longer offered', browserTest(), async (t) => {
  const { app, baseUrl, page, errors } = await openBrowser(t);
  loadHierarchy(app.db);
  const { user, password } = await createTestUser(app, 'admin');
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
  await page.getByRole('link', { name: 'Problem-code hierarchy' }).click();
  await page.getByRole('heading', { level: 1, name: 'Problem-code hierarchy' }).waitFor();

  // Browse to an existing category with the keyboard: Tab into the tree, ↓ to move, → to open, Enter to choose.
  const tree = page.getByRole('tree');
  await tree.getByRole('treeitem').first().waitFor();
  await tree.getByRole('treeitem').first().focus();
  await page.keyboard.press('End');
  const publicWorks = tree.getByRole('treeitem', { name: /Public Works Department/ });
  while (!(await publicWorks.evaluate((item) => item.matches(':focus')))) await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 2, name: /Street Repair/ }).waitFor();
  t.pass('the category was reached with the keyboard');

  await page.getByRole('button', { name: 'Add problem code here' }).click();
  await page.getByRole('heading', { level: 2, name: 'New problem code in Street Repair' }).waitFor();
  const editor = page.locator('ow-node-editor');
  await editor.getByLabel('Code', { exact: true }).fill('SINKING_MANHOLE');
  await editor.getByLabel('Name', { exact: true }).fill('Sinking manhole cover');
  await editor.getByLabel('Keywords, comma-separated').fill('manhole, cover');
  await editor.getByLabel('Synonyms, comma-separated').fill('sunken utility lid, dropped sewer cap');

  await editor.getByRole('button', { name: 'Add question' }).click();
  await editor.getByLabel('Asked as').nth(0).fill('How deep is the drop?');
  await editor.getByLabel('Answer').nth(0).selectOption('singlevaluelist');
  await editor.getByRole('button', { name: 'Add choice' }).click();
  await editor.getByLabel('Shown as').nth(0).fill('Less than 5 cm');
  await editor.getByRole('button', { name: 'Add choice' }).click();
  await editor.getByLabel('Shown as').nth(1).fill('5 cm or more');
  await editor.getByRole('button', { name: 'Add question' }).click();
  await editor.getByLabel('Asked as').nth(1).fill('Is traffic driving over it?');
  await editor.getByLabel('Required').nth(1).check();

  const preview = editor.locator('ow-question-preview');
  await preview.getByLabel('How deep is the drop?').waitFor();
  await preview.getByLabel(/Is traffic driving over it\?/).waitFor();
  t.equal(await preview.getByRole('option').count(), 3, 'the preview shows the questions as the clerk will see them: a choice of two (and blank)');

  await editor.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('status').filter({ hasText: 'Created SINKING_MANHOLE.' }).waitFor();
  await page.getByRole('heading', { level: 2, name: /Sinking manhole cover/ }).waitFor();

  // The same search component the desk uses: a synonym finds the new code at once.
  const search = page.getByRole('combobox', { name: 'Find a problem code' });
  await search.fill('sunken util');
  const option = page.getByRole('option', { name: /Sinking manhole cover/ });
  await option.waitFor();
  t.match(await option.innerText(), /Public Works Department › Highway Maintenance › Street Repair/, 'with its full path');
  await search.press('Enter');

  await page.getByRole('heading', { level: 2, name: /Sinking manhole cover/ }).waitFor();
  await editor.getByRole('button', { name: 'Retire' }).click();
  await page.getByRole('status').filter({ hasText: 'Retired SINKING_MANHOLE.' }).waitFor();
  t.ok(await tree.getByRole('treeitem', { name: /Street Repair/ }).isVisible(), 'the tree keeps its open branches after a change');

  await search.fill('');
  await search.fill('sunken util');
  // Another code also speaks of sunken utility works; once its answer is in, the retired one is missing.
  await page.getByRole('option', { name: /Pothole over water or sewer work/ }).waitFor();
  t.equal(await page.getByRole('option', { name: /Sinking manhole cover/ }).count(), 0, 'the retired code is no longer offered');

  const saved = (await app.inject({ method: 'GET', url: '/api/hierarchy/nodes/SINKING_MANHOLE', headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).json();
  t.equal(saved.settings.questions.length, 2, 'two questions were stored');
  t.same(saved.settings.questions[0].values.map((v: { name: string }) => v.name), ['Less than 5 cm', '5 cm or more']);
  t.equal(saved.status, 'retired');
  t.same(errors, [], 'no console errors');
});

t.test("editing one of a code's questions keeps the clerk's order; a refused save says why", browserTest(), async (t) => {
  const { app, baseUrl, page } = await openBrowser(t);
  loadHierarchy(app.db);
  const { user, password } = await createTestUser(app, 'admin');
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
  await page.goto(`${baseUrl}/admin/hierarchy`);
  const search = page.getByRole('combobox', { name: 'Find a problem code' });
  await search.fill('S0301');
  await page.getByRole('option', { name: /Pothole repair/ }).first().waitFor();
  await search.press('Enter');
  const editor = page.locator('ow-node-editor');
  await editor.getByRole('heading', { level: 2, name: /Pothole repair/ }).waitFor();
  const preview = editor.locator('ow-question-preview');
  const firstBefore = await preview.locator('label, .notice').first().innerText();
  await editor.getByLabel('Asked as').nth(1).fill('Is it hazardous to traffic?');
  await editor.getByLabel('Asked as').nth(1).press('Tab');
  t.equal(await preview.locator('label, .notice').first().innerText(), firstBefore, 'the first question the clerk sees is unchanged');
  t.match(firstBefore, /Where is the pothole located\?/, "DC's order: location first");

  await editor.getByLabel('Hours to a temporary fix').fill('500');
  await editor.getByRole('button', { name: 'Save changes' }).click();
  const alert = editor.getByRole('alert').filter({ hasText: 'Not saved.' });
  await alert.waitFor();
  t.match(await alert.innerText(), /temporary fix \(500 h\) cannot come after the permanent one/, 'the reason is shown');
});
