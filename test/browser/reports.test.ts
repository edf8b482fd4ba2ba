// A manager's look at the reports in a real browser: the dashboard opens on the last 30 days, the date range
// and the department are changed in the filters (and stay in the address bar), the figures and the
// charts change with them, a wrong range is refused next to the field, and a CSV is downloaded and read.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import t from 'tap';
import { browserTest, openBrowser } from '../browser-helper.ts';
import { loadHierarchy, signedInAs } from '../helper.ts';
import { knownSet } from '../reports-fixture.ts';

/** Waits until `read` gives a value `done` accepts, and returns it (the views load asynchronously). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const view = (page: Page) => page.locator('ow-reports-view');
const figure = (page: Page, id: string) => view(page).locator(`[data-figure="${id}"]`).innerText();
const chart = (page: Page, heading: string) => view(page).locator(`ow-report-chart[heading="${heading}"]`);
/** The chart's figures as its table gives them (closed or not): [label, value…] per row. */
const chartRows = (page: Page, heading: string) =>
  chart(page, heading)
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').trim())));
/** What the canvas shows, as an image: it differs when the chart drew other bars. */
const pixels = (page: Page, heading: string) => chart(page, heading).locator('canvas').evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL());

t.test('a manager changes the period and the department, sees the charts change, and downloads a CSV', browserTest(), async (t) => {
  const { app, baseUrl, page, errors, requests } = await openBrowser(t);
  loadHierarchy(app.db);
  knownSet(app.db);
  const manager = await signedInAs(app, 'dispatcher');

  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(manager.user.username);
  await page.getByLabel('Password').fill(manager.password);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Work areas' }).getByRole('link', { name: 'Reports' }).click();
  const opened = Date.now();
  await view(page).getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
  await until(() => figure(page, 'requests'), (text) => text === '0', 'the last 30 days (nothing of March 2026 in them)');
  await until(() => figure(page, 'opened'), (text) => text === '0', 'service levels loaded');
  t.comment(`dashboard shown in ${Date.now() - opened} ms (not asserted: timing belongs in the bench)`);

  // The period: 1–10 March 2026, typed into the labelled date fields.
  await view(page).getByLabel('From').fill('2026-03-01');
  await view(page).getByLabel('To (included)').fill('2026-03-10');
  await until(() => figure(page, 'requests'), (text) => text === '9', 'the known set’s nine requests');
  t.equal(await figure(page, 'opened'), '5', 'five work orders opened');
  t.equal(await figure(page, 'on-time'), '33.3%', 'one of three completed on time');
  t.equal(await figure(page, 'fcr'), '33.3%', 'first-contact resolution');
  t.same(await chartRows(page, 'By department'), [['Public Works Department', '3'], ['Inspectional Services Department', '1']]);
  const url = new URL(page.url());
  t.same([url.pathname, url.searchParams.get('from'), url.searchParams.get('to')], ['/reports', '2026-03-01', '2026-03-10'], 'the period is in the address bar');
  const seriesBefore = await pixels(page, 'Requests by days and type');
  const byDayBefore = await chartRows(page, 'Requests by days and type');
  t.same(byDayBefore.find((row) => row[0] === '2026-03-02'), ['2026-03-02', '2', '0', '0'], 'two information requests on 2 March');

  // The department: Public Works.
  await view(page).getByLabel('Department', { exact: true }).selectOption({ label: 'Public Works Department' });
  await until(() => figure(page, 'requests'), (text) => text === '3', 'Public Works’ three requests');
  t.same(await chartRows(page, 'By department'), [['Public Works Department', '3']], 'the department chart shows only Public Works');
  t.same((await chartRows(page, 'Requests by days and type')).find((row) => row[0] === '2026-03-02'), ['2026-03-02', '0', '0', '0'], 'the information requests are gone');
  t.not(await pixels(page, 'Requests by days and type'), seriesBefore, 'the chart was drawn again with other bars');
  t.equal(await figure(page, 'opened'), '3', 'service levels follow the department');
  t.equal(new URL(page.url()).searchParams.get('department'), 'PWD');

  // The view is shared by its address: another page opened on it shows the same.
  await page.reload();
  await until(() => figure(page, 'requests'), (text) => text === '3', 'the same view after a reload');
  t.equal(await view(page).getByLabel('Department', { exact: true }).inputValue(), 'PWD', 'the filter is read back from the address');
  t.equal(await view(page).getByLabel('From').inputValue(), '2026-03-01');

  // A period that ends before it starts is refused next to the field.
  await view(page).getByLabel('From').fill('2026-03-20');
  await view(page).getByText('must not be after the end of the period (from 2026-03-20, to 2026-03-10)').first().waitFor();
  t.equal(await view(page).getByLabel('From').getAttribute('aria-invalid'), 'true', 'the field is marked');
  await view(page).getByLabel('From').fill('2026-03-01');
  await until(() => figure(page, 'requests'), (text) => text === '3', 'back to the period');
  await page.screenshot({ path: '/tmp/reports-dashboard.png', fullPage: true });

  // The department chart's CSV, as Excel would get it.
  const downloading = page.waitForEvent('download');
  await chart(page, 'By department').getByRole('link', { name: 'Download CSV of By department' }).click();
  const download = await downloading;
  t.equal(download.suggestedFilename(), 'volumes-department-2026-03-01-to-2026-03-10.csv');
  const bytes = readFileSync((await download.path())!);
  t.same([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte-order mark first');
  t.equal(bytes.subarray(3).toString('utf8'), 'Department,Code,Requests\r\nPublic Works Department,PWD,3\r\n', 'the figures of the chart, filtered as shown');

  const unexpected = errors.filter((e) => !/Failed to load resource: the server responded with a status of 400/.test(e));
  t.same(unexpected, [], 'no console errors or CSP violations (only the refused period’s 400s)');
  t.same(requests.filter((u) => !u.startsWith(baseUrl)), [], 'nothing is fetched from anywhere else');
});

t.test('clerks have no reports', browserTest(), async (t) => {
  const { app, baseUrl, page } = await openBrowser(t);
  const clerk = await signedInAs(app, 'clerk');
  await page.goto(`${baseUrl}/reports`);
  await page.getByLabel('Username').fill(clerk.user.username);
  await page.getByLabel('Password').fill(clerk.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();
  const nav = await page.getByRole('navigation', { name: 'Work areas' }).getByRole('link').allInnerTexts();
  t.notOk(nav.includes('Reports'), `no Reports in the clerk's navigation (${nav.join(', ')})`);
});
