// Work orders: the dispatch queue and each work order's life (see server/work-orders).
import { api, query } from './api.ts';
import type { AuditEntry } from './audit.ts';
import type { Channel, ReplyMethod } from './requests.ts';

export type WorkOrderStatus = 'new' | 'assigned' | 'in_progress' | 'on_hold' | 'completed' | 'cancelled';
/** What the queue can show: one status, or `open` (every status still to be worked), `closed`, `all`. */
export type QueueStatus = WorkOrderStatus | 'open' | 'closed' | 'all';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
/** The statuses of the requests a work order carries (an action request's life). */
export type LinkedRequestStatus = 'open' | 'ready' | 'in_progress' | 'closed' | 'cancelled';

export const workOrderStatusNames: Record<WorkOrderStatus, string> = {
  new: 'New',
  assigned: 'Assigned',
  in_progress: 'In progress',
  on_hold: 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const queueStatusNames: Record<QueueStatus, string> = {
  open: 'Still to do (not closed)',
  ...workOrderStatusNames,
  closed: 'Closed (completed or cancelled)',
  all: 'Any status',
};

export const priorityNames: Record<Priority, string> = { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' };

export const linkedRequestStatusNames: Record<LinkedRequestStatus, string> = {
  open: 'Open',
  ready: 'Ready for work order',
  in_progress: 'In progress',
  closed: 'Closed',
  cancelled: 'Cancelled',
};

/** The button that moves a work order to each status. */
export const transitionNames: Record<WorkOrderStatus, string> = {
  new: 'Back to new',
  assigned: 'Mark assigned',
  in_progress: 'Start work',
  on_hold: 'Put on hold',
  completed: 'Complete',
  cancelled: 'Cancel work order',
};

/** The moves that need a note, and what it must say. */
export const noteNeeded: Partial<Record<WorkOrderStatus, string>> = {
  on_hold: 'what the work waits for',
  completed: 'what was done — every caller is told',
  cancelled: 'why no work will be done — every caller is told',
};

export interface WorkOrderListItem {
  number: string;
  status: WorkOrderStatus;
  priority: Priority;
  workType: string;
  problemCode: string;
  problemName: string;
  providerName: string;
  assignee: string;
  locationText: string;
  dueAt: string;
  createdAt: string;
  overdue: boolean;
  callers: number;
}

export interface QueueFilters {
  status?: QueueStatus;
  department?: string;
  provider?: string;
  problemCode?: string;
  priority?: Priority;
  overdue?: boolean;
  assignee?: string;
  number?: string;
  limit?: number;
  offset?: number;
}

export interface Task {
  text: string;
  done: boolean;
  doneAt: string | null;
  doneBy: string | null;
}

export interface NodeBrief {
  code: string;
  name: string;
  status: 'active' | 'retired';
}

export interface LinkedRequest {
  number: string;
  status: LinkedRequestStatus;
  channel: Channel;
  description: string;
  locationText: string;
  contactName: string | null;
  contactPhone: string | null;
  replyWanted: boolean;
  replyMethod: ReplyMethod | null;
  replyTo: string;
  promisedAt: string | null;
  startedAt: string;
}

export interface WorkOrderNote {
  id: number;
  text: string;
  at: string;
  author: string | null;
}

export interface WorkOrder {
  number: string;
  status: WorkOrderStatus;
  priority: Priority;
  workType: string;
  classification: { code: string; name: string; path: { level: string; code: string; name: string }[] };
  problemCode: NodeBrief;
  provider: NodeBrief;
  department: NodeBrief;
  assignee: string;
  tasks: Task[];
  description: string;
  location: { addressId: number | null; text: string; latitude: number | null; longitude: number | null };
  matchValue: string | null;
  temporaryDueAt: string | null;
  dueAt: string;
  overdue: boolean;
  resolution: string;
  duplicateOf: string | null;
  mergedHere: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  version: number;
  /** The statuses it may move to now; reopening is its own action (see `reopenUntil`). */
  transitions: WorkOrderStatus[];
  /** Set while a closed work order can still be reopened. */
  reopenUntil: string | null;
  requests: LinkedRequest[];
  notes: WorkOrderNote[];
}

export interface WorkOrderChanges {
  assignee?: string;
  priority?: Priority;
  dueAt?: string;
  description?: string;
  tasks?: { text: string; done: boolean }[];
}

/** "in 3 days", "5 h ago": how far a time is from now, roughly. */
export function fromNow(iso: string, now = Date.now()): string {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  const size = Math.abs(minutes);
  if (size < 1) return 'just now';
  const amount = size < 60 ? `${size} min` : size < 48 * 60 ? `${Math.round(size / 60)} h` : `${Math.round(size / 1440)} days`;
  return minutes >= 0 ? `in ${amount}` : `${amount} ago`;
}

const path = (number: string) => `/work-orders/${encodeURIComponent(number)}`;

export const workOrderNumberPattern = /^W\d{4}-\d{6,}$/;

/** A page of the queue; `total` is counted up to 10,000 (`totalIsAtLeast`: more match). */
export interface WorkOrderPage {
  items: WorkOrderListItem[];
  total: number;
  totalIsAtLeast: boolean;
}

export const listWorkOrders = (filters: QueueFilters, signal?: AbortSignal) =>
  api<WorkOrderPage>('GET', `/work-orders${query({ ...filters })}`, undefined, signal);
export const getWorkOrder = (number: string, signal?: AbortSignal) => api<WorkOrder>('GET', path(number), undefined, signal);
export const workOrderHistory = (number: string, signal?: AbortSignal) => api<{ items: AuditEntry[] }>('GET', `${path(number)}/history`, undefined, signal);
export const updateWorkOrder = (number: string, version: number, changes: WorkOrderChanges) => api<WorkOrder>('PATCH', path(number), { version, ...changes });
export const moveWorkOrder = (number: string, version: number, status: WorkOrderStatus, note?: string) =>
  api<WorkOrder>('POST', `${path(number)}/status`, { version, status, ...(note ? { note } : {}) });
export const reopenWorkOrder = (number: string, version: number, reason: string) => api<WorkOrder>('POST', `${path(number)}/reopen`, { version, reason });
export const addWorkOrderNote = (number: string, text: string) => api<WorkOrder>('POST', `${path(number)}/notes`, { text });
export const mergeWorkOrder = (number: string, version: number, into: string) => api<{ merged: WorkOrder; into: WorkOrder }>('POST', `${path(number)}/merge`, { version, into });
export const splitRequest = (number: string, version: number, request: string, reason: string) =>
  api<{ from: WorkOrder; to: WorkOrder }>('POST', `${path(number)}/split`, { version, request, reason });
