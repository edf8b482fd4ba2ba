// The public portal's calls (/api/public): no session, so no CSRF token; the server limits them per address.
import { api, query } from './api.ts';
import type { AddressHit } from './addresses.ts';
import type { Question } from './hierarchy.ts';
import type { KbHit, KbLanguage } from './kb.ts';
import type { Answer } from './requests.ts';

export interface ServiceHit {
  code: string;
  name: string;
  path: string;
}

export interface PublicService extends ServiceHit {
  description: string;
  questions: Question[];
  needsLocation: boolean;
  turnaroundHours: number | null;
}

export interface Reporter {
  name?: string;
  email?: string;
  phone?: string;
}

export interface PortalReport {
  problemCode: string;
  answers: Record<string, Answer>;
  location: { addressId?: number | null; text?: string; latitude?: number | null; longitude?: number | null };
  description: string;
  mediaUrl?: string;
  contact?: Reporter;
  notify?: boolean;
}

export interface Reported {
  number: string;
  service: string;
  expectedAt: string | null;
  notices: string[];
  notify: boolean;
}

export type CommentKind = 'compliment' | 'complaint' | 'suggestion' | 'other';

export interface Tracked {
  number: string;
  kind: 'problem' | 'question' | 'comment';
  service: string | null;
  status: 'open' | 'closed' | 'cancelled';
  statusNotes: string | null;
  address: string | null;
  requestedAt: string;
  updatedAt: string;
  expectedAt: string | null;
  notes: { at: string; summary: string; description: string | null }[];
}

export interface PublicArticle {
  slug: string;
  title: string;
  summary: string;
  bodyHtml: string;
  phones: { label: string; number: string }[];
  links: { label: string; url: string }[];
  language: KbLanguage;
  related: { slug: string; title: string; language: string }[];
  updatedAt: string;
}

const path = encodeURIComponent;

export const searchServices = (q: string, signal?: AbortSignal) => api<{ hits: ServiceHit[] }>('GET', `/public/services${query({ q, limit: 8 })}`, undefined, signal);
export const getService = (code: string, signal?: AbortSignal) => api<PublicService>('GET', `/public/services/${path(code)}`, undefined, signal);
export const searchPublicAddresses = (q: string, signal?: AbortSignal) => api<{ hits: AddressHit[] }>('GET', `/public/addresses${query({ q, limit: 8 })}`, undefined, signal);
export const reportProblem = (report: PortalReport) => api<Reported>('POST', '/public/reports', report);
export const sendComment = (comment: { kind: CommentKind; text: string; contact?: Reporter; replyWanted: boolean }) => api<{ number: string; replyWanted: boolean }>('POST', '/public/comments', comment);
export const trackRequest = (number: string, signal?: AbortSignal) => api<Tracked>('GET', `/public/requests/${path(number)}`, undefined, signal);
export const searchAnswers = (q: string, signal?: AbortSignal) => api<{ hits: KbHit[] }>('GET', `/public/kb/search${query({ q, limit: 8 })}`, undefined, signal);
export const getAnswer = (slug: string, signal?: AbortSignal) => api<PublicArticle>('GET', `/public/kb/articles/${path(slug)}`, undefined, signal);
export const rateAnswer = (slug: string, useful: boolean, note: string) => api<void>('POST', `/public/kb/articles/${path(slug)}/feedback`, { useful, note });
