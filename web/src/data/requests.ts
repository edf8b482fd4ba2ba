// Customer requests: the desk's record of every contact (see server/intake).
import { api, query } from './api.ts';
import type { AuditEntry } from './audit.ts';

export type Channel = 'phone' | 'email' | 'fax' | 'walk_in' | 'mail' | 'web' | 'mobile_app' | 'open311';
export type RequestType = 'information' | 'action' | 'comment';
export type RequestStatus = 'open' | 'ready' | 'awaiting_reply' | 'closed' | 'cancelled';
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
export const requestHistory = (number: string, signal?: AbortSignal) => api<{ items: AuditEntry[] }>('GET', `${path(number)}/history`, undefined, signal);
