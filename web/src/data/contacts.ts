import { api, query } from './api.ts';

export interface ContactPhone {
  label: string;
  number: string;
}

export type ReplyMethod = 'email' | 'phone' | 'letter';

export const replyMethodNames: Record<ReplyMethod, string> = { email: 'E-mail', phone: 'Phone', letter: 'Letter' };

/** What the clerk edits; an edit sends all of it. */
export interface ContactInput {
  name: string;
  organisation: string;
  phones: ContactPhone[];
  emails: string[];
  postalAddress: string;
  /** The registry address the postal address is, when it is a known one. */
  addressId: number | null;
  preferredReply: ReplyMethod | null;
  language: string;
  notes: string;
}

export interface Contact extends ContactInput {
  id: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type MatchedField = 'name' | 'email' | 'phone' | 'address';

export interface ContactHit {
  id: number;
  name: string;
  organisation: string;
  phones: ContactPhone[];
  emails: string[];
  postalAddress: string;
  /** Which fields the typed text was found in. */
  matched: MatchedField[];
}

/** How a contact is named on screen: the person, the organisation, or both. */
export function contactLabel(c: { name: string; organisation: string }): string {
  return c.name && c.organisation ? `${c.name} (${c.organisation})` : c.name || c.organisation;
}

/** Callers matching a name, phone, e-mail or address as typed, best first (at most 25). */
export const searchContacts = (q: string, signal?: AbortSignal, limit = 8) => api<{ hits: ContactHit[] }>('GET', `/contacts${query({ q, limit })}`, undefined, signal);
export const getContact = (id: number, signal?: AbortSignal) => api<Contact>('GET', `/contacts/${id}`, undefined, signal);
/** Fields left out start empty. */
export const createContact = (input: Partial<ContactInput>, idempotencyKey: string) =>
  api<Contact>('POST', '/contacts', input, undefined, { 'idempotency-key': idempotencyKey });
/** Replaces every editable field; a stale `version` is refused with VERSION_CONFLICT (409). */
export const updateContact = (id: number, input: ContactInput & { version: number }) => api<Contact>('PUT', `/contacts/${id}`, input);
