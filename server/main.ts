// Process entry: read the configuration, open the app, listen, and shut down cleanly on a signal.
import { createDemoUsers } from './accounts/service.ts';
import { loadSampleAddresses } from './addresses/import.ts';
import { addressRegistryIsEmpty } from './addresses/service.ts';
import { buildApp } from './app.ts';
import { systemActor } from './audit/service.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { readCityFolder, sampleCityDir } from './hierarchy/files.ts';
import { applyHierarchy, hierarchyIsEmpty } from './hierarchy/loader.ts';
import { knowledgeBaseIsEmpty, loadSampleArticles } from './kb/seed.ts';
import { loadDemoWork, noRequestsYet } from './work-orders/demo.ts';
import { workOrderOptionsOf } from './work-orders/service.ts';

function loggerFor(config: Config) {
  // Readable lines for a person at a terminal, JSON for log collectors.
  return process.stdout.isTTY
    ? { level: config.LOG_LEVEL, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
    : { level: config.LOG_LEVEL };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`OneWindow cannot start.\n${error.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const app = await buildApp({ config, logger: loggerFor(config) });

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal} received: finishing requests in flight, then closing the database`);
    const timer = setTimeout(() => {
      app.log.error(`shutdown took longer than ${config.SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    app.close().then(
      () => {
        app.log.info('closed cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'error while closing');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  await app.ready();
  if (config.NODE_ENV === 'development' && hierarchyIsEmpty(app.db)) {
    // Demo mode starts with the sample city's hierarchy, so there is something to classify with.
    const { hierarchy, problems } = readCityFolder(sampleCityDir);
    if (!hierarchy) throw new Error(`the sample city's hierarchy files are broken: ${JSON.stringify(problems.slice(0, 5))}`);
    const summary = applyHierarchy(app.db, { ...systemActor, label: 'first start' }, hierarchy);
    app.log.info(`loaded the sample city's hierarchy: ${summary.created.length} departments, providers, categories and problem codes`);
  }
  if (config.NODE_ENV === 'development' && knowledgeBaseIsEmpty(app.db)) {
    const loaded = loadSampleArticles(app.db, { ...systemActor, label: 'first start' });
    app.log.info(`loaded the sample city's knowledge base: ${loaded} articles`);
  }
  if (config.NODE_ENV === 'development' && addressRegistryIsEmpty(app.db)) {
    const { addresses, aliases } = await loadSampleAddresses(app.db);
    app.log.info(`loaded the sample city's address registry: ${addresses.created} addresses, ${aliases.created} aliases`);
  }
  if (config.NODE_ENV === 'development' && noRequestsYet(app.db)) {
    const made = loadDemoWork(app.db, { ...systemActor, label: 'first start' }, workOrderOptionsOf(config));
    app.log.info(`filed demo reports at sample addresses: ${made} work orders in the dispatch queue`);
  }
  if (config.NODE_ENV === 'development') {
    const demo = await createDemoUsers(app.db);
    if (demo.length > 0) {
      const lines = demo.map((u) => `    ${u.role.padEnd(11)} username ${u.username.padEnd(11)} password ${u.password}`);
      // Printed once, on the first start of an empty database; they are not stored anywhere in clear.
      console.log(['', '  Demo users created (shown only this once; write them down):', ...lines, ''].join('\n'));
    }
  }

  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  app.log.info(`OneWindow is ready at http://${shownHost}:${port}/`);
}

main().catch((error: unknown) => {
  console.error('OneWindow failed to start:', error);
  process.exit(1);
});
