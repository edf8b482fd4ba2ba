// Runs the real server on a free port and drives Debian's Chromium through playwright-core.
// Without Chromium the browser tests are skipped loudly, except under CI, where they fail.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { buildTestApp } from './helper.ts';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Options for a browser test: skipped, with a loud message, when there is no Chromium — except under
 * CI, where a missing browser is an error, so a green CI run always means the browser tests ran.
 */
export function browserTest(): { skip: string | false } {
  if (existsSync(chromiumPath)) return { skip: false };
  const message = `Chromium not found at ${chromiumPath}: install Debian's chromium or set CHROMIUM_PATH`;
  if (process.env.CI) throw new Error(`${message} (browser tests cannot be skipped under CI)`);
  console.error(`\n*** BROWSER TESTS SKIPPED: ${message} ***\n`);
  return { skip: message };
}

export interface BrowserSession {
  app: FastifyInstance;
  baseUrl: string;
  page: Page;
  browser: Browser;
  /** Every URL the page requested, to prove nothing leaves the server's origin. */
  requests: string[];
  /** Console errors and uncaught page errors (CSP violations appear here). */
  errors: string[];
}

export async function openBrowser(t: Test, env: Record<string, string> = {}): Promise<BrowserSession> {
  const { app } = await buildTestApp(t, env);
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { app, baseUrl, page, browser, requests, errors };
}
