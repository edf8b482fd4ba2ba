// Customer requests: the desk's record of every contact (see server/intake).
import { api, query } from './api.ts';
import type { AuditEntry } from './audit.ts';
import type { WorkOrderStatus } from './work-orders.ts';

export type Channel = 'phone' | 'email' | 'fax' | 'walk_in' | 'mail' | 'web' | 'mobile_app' | 'open311';
export type RequestType = 'information' | 'action' | 'comment';
export type RequestStatus = 'open' | 'ready' | 'in_progress' | 'awaiting_reply' | 'closed' | 'cancelled';
export type CommentKind = 'compliment' | 'complaint' | 'suggestion' | 'other';
export type ReplyMethod = 'email' | 'phone' | 'letter';
export type Answer = string | number | string[];

export const deskChannels: Channel[] = ['phone', 'email', 'fax', 'walk_in', 'mail'];
export const channelNames: Record<Channel, string> = {
  phone: 'Phone',
  email: 'E-mail',
  fax: 'Fax',
  walk_in: 'Walk-in',
  mail: 'Mail',
  web: 'Web portal',
  mobile_app: 'Mobile app',
  open311: 'Open311 partner',
};
export const typeNames: Record<RequestType, string> = { information: 'Information', action: 'Action', comment: 'Comment' };
export const statusNames: Record<RequestStatus, string> = {
  open: 'Open',
  ready: 'Ready for work order',
  in_progress: 'On work order',
  awaiting_reply: 'Reply owed',
  closed: 'Closed',
  cancelled: 'Cancelled',
};
export const commentKindNames: Record<CommentKind, string> = { compliment: 'Compliment', complaint: 'Complaint', suggestion: 'Suggestion', other: 'Other' };
export const replyMethodNames: Record<ReplyMethod, string> = { email: 'E-mail', phone: 'Phone call-back', letter: 'Letter' };

export interface RequestLocation {
  addressId: number | null;
  text: string;
  latitude: number | null;
  longitude: number | null;
  verified: boolean;
}

export interface CustomerRequest {
  number: string;
  type: RequestType | null;
  status: RequestStatus;
  channel: Channel;
  source: string;
  clerk: { id: number; username: string; displayName: string } | null;
  interactionId: number;
  contact: { id: number; name: string; organisation: string; phones: { label: string; number: string }[]; emails: string[]; postalAddress: string; preferredReply: ReplyMethod | null } | null;
  description: string;
  answer: string;
  resolvedAtFirstContact: boolean | null;
  convertedAt: string | null;
  problemCode: string | null;
  classification: { code: string; name: string; path: { level: string; code: string; name: string }[] } | null;
  problemCodeStatus: 'active' | 'retired' | null;
  answers: Record<string, Answer>;
  notices: { code: string; description: string }[];
  location: RequestLocation | null;
  /** A link to a photo of the problem, as the reporter gave it (portal, Open311). */
  mediaUrl: string | null;
  commentKind: CommentKind | null;
  about: { code: string; name: string; level: string; status: string } | null;
  replyWanted: boolean;
  replyMethod: ReplyMethod | null;
  replyTo: string;
  replyText: string;
  repliedAt: string | null;
  articles: { slug: string; title: string }[];
  cancelReason: string;
  startedAt: string;
  endedAt: string | null;
  closedAt: string | null;
  updatedAt: string;
  version: number;
  siblings: { number: string; type: RequestType | null; status: RequestStatus }[];
  /** The work order an action request is on (in_progress, or closed with it); null before. */
  workOrder: { number: string; status: WorkOrderStatus; dueAt: string; assignee: string } | null;
  /** What the caller was told: the work order's due date when the request joined it. */
  promisedAt: string | null;
  /** Why the clerk made new work although likely duplicates existed ('' when none did, or it was linked). */
  newWorkReason: string;
  /** What the caller is told when the work order is completed or cancelled. */
  resolution: string;
}

/** An open work order that may be the same problem as a ready request (GET /requests/:number/duplicates). */
export interface DuplicateCandidate {
  number: string;
  status: WorkOrderStatus;
  classification: { code: string; name: string; path: { level: string; code: string; name: string }[] };
  locationText: string;
  assignee: string;
  createdAt: string;
  dueAt: string;
  /** Metres between the two places; null when matched by the same registry address. */
  distanceMeters: number | null;
  callers: number;
  /** 0–1, best first. */
  score: number;
  strong: boolean;
  /** Why it looks like the same problem, in words: "same code", "20 m", "2 days ago", "3 callers". */
  reasons: string[];
}

export interface DuplicateRule {
  radiusMeters: number;
  windowDays: number;
  scope: string;
  matchAttribute: string | null;
}

export interface Duplicates {
  request: string;
  /** The problem code's rule; null when it has none (then nothing is a duplicate). */
  rule: DuplicateRule | null;
  candidates: DuplicateCandidate[];
}

/** Link a ready request to an open work order, or create one (a reason is required when candidates exist). */
export type FilingDecision = { decision: 'link'; workOrder: string } | { decision: 'create'; reason?: string };

export interface FileResult {
  request: CustomerRequest;
  workOrder: string;
  /** True when the request joined an existing work order, false when it made a new one. */
  linked: boolean;
  candidates: DuplicateCandidate[];
}

export interface RequestChanges {
  type?: RequestType;
  contactId?: number | null;
  description?: string;
  answer?: string;
  resolvedAtFirstContact?: boolean;
  problemCode?: string | null;
  answers?: Record<string, Answer | null>;
  location?: { addressId?: number | null; text?: string; latitude?: number | null; longitude?: number | null } | null;
  commentKind?: CommentKind | null;
  about?: string | null;
  replyWanted?: boolean;
  replyMethod?: ReplyMethod | null;
  replyTo?: string;
}

export interface RequestListItem {
  number: string;
  type: RequestType | null;
  status: RequestStatus;
  channel: Channel;
  summary: string;
  problemCode: string | null;
  problemName: string | null;
  locationText: string;
  contactId: number | null;
  contactName: string | null;
  replyWanted: boolean;
  replyMethod: ReplyMethod | null;
  replyTo: string;
  startedAt: string;
  closedAt: string | null;
}

export interface RequestFilters {
  number?: string;
  contactId?: number;
  caller?: string;
  address?: string;
  type?: RequestType;
  status?: RequestStatus;
  channel?: Channel;
  from?: string;
  to?: string;
  before?: string;
  limit?: number;
}

const path = (number: string) => `/requests/${encodeURIComponent(number)}`;

/** Starts a contact; the key makes a retried click (or a retry after a network error) create one request. */
export const createRequest = (input: { channel?: Channel; sameContactAs?: string; contactId?: number | null }, idempotencyKey: string) =>
  api<CustomerRequest>('POST', '/requests', input, undefined, { 'idempotency-key': idempotencyKey });
export const getRequest = (number: string, signal?: AbortSignal) => api<CustomerRequest>('GET', path(number), undefined, signal);
export const updateRequest = (number: string, version: number, changes: RequestChanges) => api<CustomerRequest>('PATCH', path(number), { version, ...changes });
export const completeRequest = (number: string, version: number) => api<CustomerRequest>('POST', `${path(number)}/complete`, { version });
export const convertRequest = (number: string, version: number) => api<CustomerRequest>('POST', `${path(number)}/convert`, { version });
export const cancelRequest = (number: string, version: number, reason: string) => api<CustomerRequest>('POST', `${path(number)}/cancel`, { version, reason });
export const replyToRequest = (number: string, version: number, text: string) => api<CustomerRequest>('POST', `${path(number)}/reply`, { version, text });
export const addArticle = (number: string, slug: string) => api<CustomerRequest>('POST', `${path(number)}/articles`, { slug });
export const removeArticle = (number: string, slug: string) => api<CustomerRequest>('DELETE', `${path(number)}/articles/${encodeURIComponent(slug)}`);
export const listRequests = (filters: RequestFilters, signal?: AbortSignal) =>
  api<{ items: RequestListItem[]; nextBefore: string | null }>('GET', `/requests${query({ ...filters })}`, undefined, signal);
export const duplicates = (number: string, signal?: AbortSignal) => api<Duplicates>('GET', `${path(number)}/duplicates`, undefined, signal);
export const fileRequest = (number: string, version: number, decision: FilingDecision) => api<FileResult>('POST', `${path(number)}/work-order`, { version, ...decision });
export const requestHistory = (number: string, signal?: AbortSignal) => api<{ items: AuditEntry[] }>('GET', `${path(number)}/history`, undefined, signal);

/**
 * A due date as it is said to a caller: "Wednesday, November 25, 5:00 PM" (the year only when it is
 * not this one). In the browser's time zone: the clerk's desk is in the city.
 */
export function promiseWords(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const day = at.toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', ...(at.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}) });
  return `${day}, ${at.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' })}`;
}
