import { api, query } from './api.ts';

export type Level = 'department' | 'provider' | 'category' | 'problem_code';
export type Datatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

export interface Question {
  code: string;
  variable: boolean;
  datatype: Datatype;
  required: boolean;
  order: number;
  description: string;
  datatypeDescription?: string | null;
  values?: { key: string; name: string }[];
}

export interface DuplicateRule {
  radiusMeters: number;
  windowDays: number;
  scope: 'code' | 'category';
  matchAttribute?: string | null;
}

/** What a node itself says; every member optional (inherited when absent). */
export interface NodeSettings {
  keywords?: string[];
  synonyms?: string[];
  questions?: Question[];
  standardWorkOrder?: { workType?: string; priority?: string; tasks?: string[]; provider?: string };
  turnaround?: { temporaryHours?: number; permanentHours: number };
  duplicateRule?: DuplicateRule | null;
  needsLocation?: boolean;
  public?: boolean;
}

export interface TreeNode {
  code: string;
  level: Level;
  name: string;
  status: 'active' | 'retired';
  version: number;
  activeProblemCodes: number;
  children: TreeNode[];
}

export interface NodeDetail {
  code: string;
  level: Level;
  name: string;
  description: string;
  status: 'active' | 'retired';
  position: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  path: { code: string; level: Level; name: string; status: 'active' | 'retired' }[];
  settings: NodeSettings;
  resolved: { value: Required<Omit<NodeSettings, 'keywords' | 'synonyms' | 'questions'>>; from: Record<string, string> } | null;
  children: { code: string; level: Level; name: string; status: 'active' | 'retired'; position: number }[];
}

export interface SearchHit {
  code: string;
  name: string;
  path: string;
  status: 'active' | 'retired';
}

export const levelNames: Record<Level, string> = { department: 'Department', provider: 'Service provider', category: 'Service category', problem_code: 'Problem code' };
export const childLevel: Record<Level, Level | null> = { department: 'provider', provider: 'category', category: 'problem_code', problem_code: null };

export const getTree = (includeRetired: boolean, signal?: AbortSignal) => api<TreeNode[]>('GET', `/hierarchy/tree${query({ includeRetired })}`, undefined, signal);
export const getNode = (code: string, signal?: AbortSignal) => api<NodeDetail>('GET', `/hierarchy/nodes/${encodeURIComponent(code)}`, undefined, signal);
export const searchProblemCodes = (q: string, signal?: AbortSignal, limit = 10) =>
  api<{ hits: SearchHit[] }>('GET', `/hierarchy/search${query({ q, limit })}`, undefined, signal);
export const createNode = (input: { level: Level; parentCode: string | null; code: string; name: string; description?: string; settings?: NodeSettings }) =>
  api<NodeDetail>('POST', '/hierarchy/nodes', input);
export const updateNode = (code: string, changes: { version: number; name?: string; description?: string; settings?: NodeSettings }) =>
  api<NodeDetail>('PATCH', `/hierarchy/nodes/${encodeURIComponent(code)}`, changes);
export const moveNode = (code: string, move: { version: number; parentCode?: string | null; position?: number }) =>
  api<NodeDetail>('POST', `/hierarchy/nodes/${encodeURIComponent(code)}/move`, move);
export const retireNode = (code: string, version: number, cascade: boolean) => api<NodeDetail>('POST', `/hierarchy/nodes/${encodeURIComponent(code)}/retire`, { version, cascade });
export const reactivateNode = (code: string, version: number) => api<NodeDetail>('POST', `/hierarchy/nodes/${encodeURIComponent(code)}/reactivate`, { version });
export const nodeHistory = (code: string, signal?: AbortSignal) =>
  api<{ items: { id: number; at: string; actorLabel: string; action: string; changes: Record<string, { before: unknown; after: unknown }> | null }[] }>(
    'GET',
    `/hierarchy/nodes/${encodeURIComponent(code)}/history`,
    undefined,
    signal,
  );
