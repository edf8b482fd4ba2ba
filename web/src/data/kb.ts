import { api, query } from './api.ts';

export interface SnippetPart {
  text: string;
  hit: boolean;
}

export interface KbHit {
  slug: string;
  title: string;
  summary: string;
  language: string;
  audience: string;
  snippet: SnippetPart[];
}

export type KbLanguage = 'en' | 'es' | 'uk' | 'pl' | 'ru';
export type KbStatus = 'draft' | 'published' | 'archived';

export interface KbArticleInput {
  slug: string;
  title: string;
  summary: string;
  body: string;
  callScript: string;
  phones: { label: string; number: string }[];
  links: { label: string; url: string }[];
  keywords: string[];
  language: KbLanguage;
  audience: 'desk' | 'public';
  owner: string;
  reviewDate: string | null;
  related: string[];
  categories: string[];
  problemCodes: string[];
}

export interface KbArticle extends Omit<KbArticleInput, 'related'> {
  bodyHtml: string;
  related: { slug: string; title: string; status: KbStatus; language: string; archived: boolean }[];
  classification: { code: string; name: string; level: string }[];
  status: KbStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
  counts: { views: number; uses: number; useful: number; notUseful: number };
}

export interface KbListItem {
  slug: string;
  title: string;
  language: KbLanguage;
  audience: string;
  status: KbStatus;
  reviewDate: string | null;
  updatedAt: string;
  version: number;
}

export const languageNames: Record<KbLanguage, string> = { en: 'English', es: 'Español', uk: 'Українська', pl: 'Polski', ru: 'Русский' };

export const searchKb = (q: string, signal?: AbortSignal, filters: { category?: string; problemCode?: string } = {}) =>
  api<{ hits: KbHit[] }>('GET', `/kb/search${query({ q, ...filters, limit: 10 })}`, undefined, signal);
export const getArticle = (slug: string, signal?: AbortSignal) => api<KbArticle>('GET', `/kb/articles/${encodeURIComponent(slug)}`, undefined, signal);
export const recordView = (slug: string) => api<void>('POST', `/kb/articles/${encodeURIComponent(slug)}/views`);
/** A use outside a customer request; on a request it is recorded with addArticle (data/requests.ts). */
export const recordUse = (slug: string) => api<void>('POST', `/kb/articles/${encodeURIComponent(slug)}/uses`);
export const rateArticle = (slug: string, useful: boolean, note: string) => api<void>('POST', `/kb/articles/${encodeURIComponent(slug)}/feedback`, { useful, note });
export const listArticles = (params: { status?: KbStatus; language?: KbLanguage }, signal?: AbortSignal) =>
  api<{ items: KbListItem[]; total: number }>('GET', `/kb/articles${query({ ...params, limit: 500 })}`, undefined, signal);
export const createArticle = (input: KbArticleInput) => api<KbArticle>('POST', '/kb/articles', input);
export const updateArticle = (slug: string, input: Omit<KbArticleInput, 'slug'> & { version: number; note?: string }) =>
  api<KbArticle>('PUT', `/kb/articles/${encodeURIComponent(slug)}`, input);
export const setStatus = (slug: string, version: number, status: KbStatus) => api<KbArticle>('POST', `/kb/articles/${encodeURIComponent(slug)}/status`, { version, status });
export const listVersions = (slug: string, signal?: AbortSignal) =>
  api<{ items: { version: number; changedByLabel: string; changedAt: string; note: string }[] }>('GET', `/kb/articles/${encodeURIComponent(slug)}/versions`, undefined, signal);
export const getVersion = (slug: string, version: number) => api<KbArticleInput & { version: number; bodyHtml: string; status: KbStatus }>('GET', `/kb/articles/${encodeURIComponent(slug)}/versions/${version}`);
export const restoreVersion = (slug: string, version: number, restore: number) => api<KbArticle>('POST', `/kb/articles/${encodeURIComponent(slug)}/restore`, { version, restore });
export const previewMarkdown = (body: string) => api<{ html: string }>('POST', '/kb/preview', { body });
export const kbInsights = (signal?: AbortSignal) =>
  api<{
    topArticles: { slug: string; title: string; uses: number; views: number }[];
    poorlyRated: { slug: string; title: string; useful: number; notUseful: number; share: number }[];
    searchMisses: { query: string; count: number; last: string }[];
    dueForReview: { slug: string; title: string; reviewDate: string; owner: string }[];
  }>('GET', '/kb/insights', undefined, signal);
