import { api, query } from './api.ts';
import type { Role, User } from './session.ts';

export interface UserList {
  items: User[];
  total: number;
}

export const listUsers = (params: { q?: string; role?: Role; active?: boolean; limit?: number; offset?: number }, signal?: AbortSignal) =>
  api<UserList>('GET', `/users${query(params)}`, undefined, signal);

export const createUser = (input: { username: string; displayName: string; email: string; role: Role; password: string }) =>
  api<User>('POST', '/users', input);

export const updateUser = (id: number, changes: { version: number; displayName?: string; email?: string; role?: Role; active?: boolean }) =>
  api<User>('PATCH', `/users/${id}`, changes);

export const resetPassword = (id: number, password: string) => api<void>('POST', `/users/${id}/password`, { password });
