// Serves the bundled web app: hashed assets with long cache headers, and index.html for every
// client-side route (history API fallback) — never for /api/* or /open311/*, which answer JSON 404s.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { errorBody, sendError } from './errors.ts';

export interface WebPluginOptions {
  /** The folder the web build writes: index.html and assets/. */
  root: string;
}

const apiPrefixes = ['/api/', '/open311/'];

export default fp<WebPluginOptions>(
  async (app, { root }) => {
    const indexFile = join(root, 'index.html');
    const hasBuild = existsSync(indexFile);
    const indexHtml = hasBuild ? readFileSync(indexFile) : undefined;

    if (hasBuild) {
      await app.register(async (assets) => {
        // The web app's files are public: the pages themselves decide what to show whom.
        assets.addHook('onRoute', (route) => {
          route.config = { ...route.config, access: 'public' };
        });
        await assets.register(fastifyStatic, {
          root: join(root, 'assets'),
          prefix: '/assets/',
          index: false,
          wildcard: true,
          // File names carry a content hash, so a cached copy can never be stale.
          maxAge: '365d',
          immutable: true,
        });
      });
    } else {
      app.log.warn(`the web app is not built (no ${indexFile}); run npm run build`);
    }

    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      const isApi = apiPrefixes.some((p) => path.startsWith(p) || path === p.slice(0, -1));
      const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !isApi && !path.startsWith('/assets/');
      if (wantsPage && indexHtml) {
        return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(indexHtml);
      }
      return sendError(reply, errorBody('ROUTE_NOT_FOUND', `There is no ${request.method} ${path}.`));
    });
  },
  { name: 'web', dependencies: ['errors', 'auth'] },
);
