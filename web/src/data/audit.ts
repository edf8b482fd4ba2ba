import { api, query } from './api.ts';

export interface AuditEntry {
  id: number;
  at: string;
  actorUserId: number | null;
  actorLabel: string;
  entityType: string;
  entityId: string | null;
  action: string;
  changes: Record<string, { before: unknown; after: unknown }> | null;
  ip: string | null;
}

export const listAudit = (params: { entityType?: string; entityId?: string; action?: string; before?: number; limit?: number }, signal?: AbortSignal) =>
  api<{ items: AuditEntry[]; nextBefore: number | null }>('GET', `/audit${query(params)}`, undefined, signal);
