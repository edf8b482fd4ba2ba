// Answers owed: what customers are told when the work on their request ends (see server/outbox).
import { api, query } from './api.ts';
import type { ReplyMethod } from './requests.ts';

export type OutboxStatus = 'pending' | 'done' | 'withdrawn';

export const outboxStatusNames: Record<OutboxStatus, string> = { pending: 'To send', done: 'Sent', withdrawn: 'Withdrawn' };

export interface AnswerOwed {
  id: number;
  /** The request number the answer is about. */
  request: string;
  workOrder: string | null;
  method: ReplyMethod;
  /** Where it goes: an e-mail address, a phone number, a postal address. */
  to: string;
  recipient: string;
  subject: string;
  text: string;
  status: OutboxStatus;
  createdAt: string;
  doneAt: string | null;
  doneBy: string | null;
  doneNote: string;
}

export interface OutboxFilters {
  status?: OutboxStatus;
  method?: ReplyMethod;
  /** The `next` of the page before. */
  before?: number;
  limit?: number;
}

export const listAnswersOwed = (filters: OutboxFilters, signal?: AbortSignal) =>
  api<{ items: AnswerOwed[]; total: number; next: number | null }>('GET', `/answers-owed${query({ ...filters })}`, undefined, signal);
export const markAnswerDone = (id: number, note: string) => api<AnswerOwed>('POST', `/answers-owed/${id}/done`, note ? { note } : {});
