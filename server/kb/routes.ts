import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { actorOf } from '../accounts/service.ts';
import { limitPerAddress, openTo } from '../public-routes.ts';
import * as s from './schemas.ts';
import { searchArticles } from './search.ts';
import {
  addFeedback,
  createArticle,
  getArticle,
  getVersion,
  kbInsights,
  listArticles,
  listVersions,
  recordArticleEvent,
  renderMarkdown,
  restoreVersion,
  setArticleStatus,
  updateArticle,
} from './service.ts';

type Slug = { Params: FromSchema<typeof s.slugParams> };
const admin = { access: ['admin'] } as const;
const staff = { access: 'signed-in' } as const;

/** The desk's and the administrators' knowledge base, under /api/kb. */
const kbRoutes: FastifyPluginAsync = async (app) => {
  app.addSchema(s.articleResponse);
  const actor = (request: FastifyRequest) => actorOf(request.session!.user, request.ip);
  const article = { response: { 200: { $ref: 'KbArticle#' } } };

  app.get<{ Querystring: FromSchema<typeof s.searchQuery> }>('/kb/search', { config: staff, schema: { querystring: s.searchQuery, response: { 200: s.searchResponse } } }, async (request) => {
    const { q, ...options } = request.query;
    return { hits: searchArticles(app.db, q, { ...options, audience: 'desk' }) };
  });

  app.get<{ Querystring: FromSchema<typeof s.listQuery> }>('/kb/articles', { config: admin, schema: { querystring: s.listQuery, response: { 200: s.listResponse } } }, async (request) =>
    listArticles(app.db, request.query),
  );

  app.get<Slug>('/kb/articles/:slug', { config: staff, schema: { params: s.slugParams, ...article } }, async (request) =>
    // Administrators see drafts and archived articles too; the desk sees what is published.
    getArticle(app.db, request.params.slug, request.session!.user.role === 'admin' ? 'admin' : 'desk'),
  );

  app.post<{ Body: FromSchema<typeof s.createBody> }>('/kb/articles', { config: admin, schema: { body: s.createBody, response: { 201: { $ref: 'KbArticle#' } } } }, async (request, reply) =>
    reply.code(201).send(createArticle(app.db, actor(request), request.body)),
  );

  app.put<Slug & { Body: FromSchema<typeof s.updateBody> }>('/kb/articles/:slug', { config: admin, schema: { params: s.slugParams, body: s.updateBody, ...article } }, async (request) =>
    updateArticle(app.db, actor(request), request.params.slug, request.body),
  );

  app.post<Slug & { Body: FromSchema<typeof s.statusBody> }>('/kb/articles/:slug/status', { config: admin, schema: { params: s.slugParams, body: s.statusBody, ...article } }, async (request) =>
    setArticleStatus(app.db, actor(request), request.params.slug, request.body),
  );

  app.get<Slug>('/kb/articles/:slug/versions', { config: admin, schema: { params: s.slugParams, response: { 200: s.versionsResponse } } }, async (request) => ({
    items: listVersions(app.db, request.params.slug),
  }));

  app.get<{ Params: FromSchema<typeof s.versionParams> }>('/kb/articles/:slug/versions/:version', { config: admin, schema: { params: s.versionParams, response: { 200: s.versionResponse } } }, async (request) =>
    getVersion(app.db, request.params.slug, request.params.version),
  );

  app.post<Slug & { Body: FromSchema<typeof s.restoreBody> }>('/kb/articles/:slug/restore', { config: admin, schema: { params: s.slugParams, body: s.restoreBody, ...article } }, async (request) =>
    restoreVersion(app.db, actor(request), request.params.slug, request.body),
  );

  app.post<Slug>('/kb/articles/:slug/views', { config: staff, schema: { params: s.slugParams, response: { 204: { type: 'null' } } } }, async (request, reply) => {
    recordArticleEvent(app.db, request.params.slug, { kind: 'view', channel: 'desk', userId: request.session!.user.id });
    return reply.code(204).send();
  });

  // A use on a customer request is recorded through /requests/:number/articles, which links the two.
  app.post<Slug>('/kb/articles/:slug/uses', { config: staff, schema: { params: s.slugParams, response: { 204: { type: 'null' } } } }, async (request, reply) => {
    recordArticleEvent(app.db, request.params.slug, { kind: 'use', channel: 'desk', userId: request.session!.user.id });
    return reply.code(204).send();
  });

  app.post<Slug & { Body: FromSchema<typeof s.feedbackBody> }>('/kb/articles/:slug/feedback', { config: staff, schema: { params: s.slugParams, body: s.feedbackBody, response: { 204: { type: 'null' } } } }, async (request, reply) => {
    addFeedback(app.db, request.params.slug, { useful: request.body.useful, note: request.body.note ?? '', channel: 'desk', userId: request.session!.user.id });
    return reply.code(204).send();
  });

  app.get<{ Querystring: FromSchema<typeof s.insightsQuery> }>('/kb/insights', { config: admin, schema: { querystring: s.insightsQuery, response: { 200: s.insightsResponse } } }, async (request) =>
    kbInsights(app.db, request.query.limit),
  );

  app.post<{ Body: FromSchema<typeof s.previewBody> }>('/kb/preview', { config: admin, schema: { body: s.previewBody, response: { 200: s.previewResponse } } }, async (request) => ({
    html: renderMarkdown(request.body.body),
  }));

  await app.register(publicKbRoutes);
};

/** What the public portal reads and rates, under /api/public/kb: published public articles only. */
const publicKbRoutes: FastifyPluginAsync = async (app) => {
  await limitPerAddress(app);

  app.get<{ Querystring: FromSchema<typeof s.searchQuery> }>(
    '/public/kb/search',
    { config: openTo('reading'), schema: { querystring: s.searchQuery, response: { 200: s.searchResponse } } },
    async (request) => {
      const { q, ...options } = request.query;
      return { hits: searchArticles(app.db, q, { ...options, audience: 'public' }) };
    },
  );

  app.get<Slug>('/public/kb/articles/:slug', { config: openTo('reading'), schema: { params: s.slugParams, response: { 200: s.publicArticleResponse } } }, async (request) => {
    const found = getArticle(app.db, request.params.slug, 'public');
    recordArticleEvent(app.db, request.params.slug, { kind: 'view', channel: 'portal', userId: null });
    return found;
  });

  app.post<Slug & { Body: FromSchema<typeof s.feedbackBody> }>(
    '/public/kb/articles/:slug/feedback',
    { config: openTo('writing'), schema: { params: s.slugParams, body: s.feedbackBody, response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      addFeedback(app.db, request.params.slug, { useful: request.body.useful, note: request.body.note ?? '', channel: 'portal', userId: null });
      return reply.code(204).send();
    },
  );
};

export default kbRoutes;
