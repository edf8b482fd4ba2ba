import { kbAudiences, kbLanguages, kbStatuses } from '../../db/schema/kb.ts';

const slug = { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 80, description: 'lower-case words joined by dashes, like trash-collection-day' } as const;
const code = { type: 'string', maxLength: 40 } as const;
const text = (max: number) => ({ type: 'string', maxLength: max }) as const;
const version = { type: 'integer', minimum: 1 } as const;
const status = { type: 'string', enum: kbStatuses } as const;
const language = { type: 'string', enum: kbLanguages } as const;

const content = {
  title: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S', description: 'a title, not only spaces' },
  summary: text(1000),
  body: text(50000),
  callScript: text(4000),
  phones: {
    type: 'array',
    maxItems: 20,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['label', 'number'],
      properties: { label: { type: 'string', minLength: 1, maxLength: 120 }, number: { type: 'string', minLength: 1, maxLength: 40, pattern: '^[0-9+() .-]+$', description: 'a phone number: digits, spaces, + ( ) . -' } },
    },
  },
  links: {
    type: 'array',
    maxItems: 20,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['label', 'url'],
      properties: { label: { type: 'string', minLength: 1, maxLength: 120 }, url: { type: 'string', maxLength: 2000, pattern: '^https?://[^\\s]+$', description: 'a web address starting with https:// or http://' } },
    },
  },
  keywords: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 80 } },
  language,
  audience: { type: 'string', enum: kbAudiences },
  owner: text(200),
  reviewDate: { type: ['string', 'null'], format: 'date', description: 'a date like 2027-03-01' },
  related: { type: 'array', maxItems: 30, items: slug },
  categories: { type: 'array', maxItems: 30, items: code },
  problemCodes: { type: 'array', maxItems: 60, items: code },
} as const;

const contentKeys = Object.keys(content) as (keyof typeof content)[];

export const createBody = { type: 'object', additionalProperties: false, required: ['slug', ...contentKeys], properties: { slug, ...content } } as const;
export const updateBody = { type: 'object', additionalProperties: false, required: ['version', ...contentKeys], properties: { version, note: text(300), ...content } } as const;
export const statusBody = { type: 'object', additionalProperties: false, required: ['version', 'status'], properties: { version, status } } as const;
export const restoreBody = { type: 'object', additionalProperties: false, required: ['version', 'restore'], properties: { version, restore: version } } as const;
export const slugParams = { type: 'object', additionalProperties: false, required: ['slug'], properties: { slug: { type: 'string', maxLength: 80 } } } as const;
export const versionParams = { type: 'object', additionalProperties: false, required: ['slug', 'version'], properties: { slug: { type: 'string', maxLength: 80 }, version } } as const;
export const feedbackBody = { type: 'object', additionalProperties: false, required: ['useful'], properties: { useful: { type: 'boolean' }, note: text(1000) } } as const;
export const previewBody = { type: 'object', additionalProperties: false, required: ['body'], properties: { body: text(50000) } } as const;

export const searchQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['q'],
  properties: { q: text(200), category: code, problemCode: code, language, limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 } },
} as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { status, language, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, offset: { type: 'integer', minimum: 0, default: 0 } },
} as const;

export const insightsQuery = { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 } } } as const;

const snippetPart = { type: 'object', additionalProperties: false, required: ['text', 'hit'], properties: { text: { type: 'string' }, hit: { type: 'boolean' } } } as const;

export const searchResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['hits'],
  properties: {
    hits: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['slug', 'title', 'summary', 'language', 'audience', 'snippet'],
        properties: { slug: { type: 'string' }, title: { type: 'string' }, summary: { type: 'string' }, language: { type: 'string' }, audience: { type: 'string' }, snippet: { type: 'array', items: snippetPart } },
      },
    },
  },
} as const;

const anyArray = { type: 'array', items: {} } as const;

export const articleResponse = {
  $id: 'KbArticle',
  type: 'object',
  additionalProperties: false,
  properties: {
    slug: { type: 'string' },
    title: { type: 'string' },
    summary: { type: 'string' },
    body: { type: 'string' },
    bodyHtml: { type: 'string' },
    callScript: { type: 'string' },
    phones: anyArray,
    links: anyArray,
    keywords: anyArray,
    language: { type: 'string' },
    audience: { type: 'string' },
    owner: { type: 'string' },
    reviewDate: { type: ['string', 'null'] },
    related: anyArray,
    categories: anyArray,
    problemCodes: anyArray,
    classification: anyArray,
    status: { type: 'string' },
    version: { type: 'integer' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    counts: { type: 'object', additionalProperties: { type: 'integer' } },
  },
} as const;

export const listResponse = { type: 'object', additionalProperties: false, required: ['items', 'total'], properties: { items: anyArray, total: { type: 'integer' } } } as const;
export const versionsResponse = { type: 'object', additionalProperties: false, required: ['items'], properties: { items: anyArray } } as const;
export const versionResponse = { type: 'object', additionalProperties: true } as const;
export const insightsResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['topArticles', 'poorlyRated', 'searchMisses', 'dueForReview'],
  properties: { topArticles: anyArray, poorlyRated: anyArray, searchMisses: anyArray, dueForReview: anyArray },
} as const;
export const previewResponse = { type: 'object', additionalProperties: false, required: ['html'], properties: { html: { type: 'string' } } } as const;

/** What a resident sees: no call script, owner, review date or counts. */
export const publicArticleResponse = {
  type: 'object',
  additionalProperties: false,
  properties: {
    slug: { type: 'string' },
    title: { type: 'string' },
    summary: { type: 'string' },
    bodyHtml: { type: 'string' },
    phones: anyArray,
    links: anyArray,
    language: { type: 'string' },
    related: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, properties: { slug: { type: 'string' }, title: { type: 'string' }, language: { type: 'string' } } },
    },
    updatedAt: { type: 'string' },
  },
} as const;
