// Builds the app exactly as production does (buildApp, same ajv options, config validated by the
// same schema) on a fresh temporary database file; both are closed and removed when the test ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { buildApp } from '../server/app.ts';
import { loadConfig, type Config } from '../server/config.ts';

/** A temporary folder removed when `t` ends. */
export function tempDir(t: Test, prefix = 'onewindow-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function testConfig(t: Test, env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_PATH: join(tempDir(t), 'test.db'), ...env }, { dotenv: false });
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
}

export async function buildTestApp(t: Test, env: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(t, env);
  const app = await buildApp({ config });
  t.teardown(() => app.close());
  return { app, config };
}
