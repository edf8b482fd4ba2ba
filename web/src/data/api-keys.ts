// API keys of the city's Open311 partners (see server/api-keys).
import { api } from './api.ts';

export interface ApiKey {
  id: number;
  partner: string;
  description: string;
  prefix: string;
  ratePerMinute: number;
  status: 'active' | 'revoked';
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
  version: number;
}

export const listApiKeys = (signal?: AbortSignal) => api<{ items: ApiKey[] }>('GET', '/api-keys', undefined, signal);
export const createApiKey = (input: { partner: string; description: string; ratePerMinute: number }) => api<ApiKey & { key: string }>('POST', '/api-keys', input);
export const updateApiKey = (id: number, changes: { version: number; ratePerMinute?: number; description?: string }) => api<ApiKey>('PATCH', `/api-keys/${id}`, changes);
export const revokeApiKey = (id: number, version: number) => api<ApiKey>('POST', `/api-keys/${id}/revoke`, { version });
