// The signed-in user, shared by the shell, the route guards and the views.
import { api, setCsrfToken } from './api.ts';

export type Role = 'clerk' | 'dispatcher' | 'admin';

export interface User {
  id: number;
  username: string;
  displayName: string;
  email: string;
  role: Role;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  passwordChangedAt: string;
  version: number;
}

interface SessionInfo {
  user: User;
  csrfToken: string;
  expiresAt: string;
}

type CurrentSession = SessionInfo | { user: null; csrfToken: null; expiresAt: null };

let current: User | null = null;
let loaded: Promise<User | null> | null = null;

function apply(info: CurrentSession | null): User | null {
  current = info?.user ?? null;
  setCsrfToken(info?.csrfToken ?? null);
  window.dispatchEvent(new CustomEvent('ow-session-changed', { detail: { user: current } }));
  return current;
}

/** The signed-in user, asked of the server once per page load (and after sign-in/out). */
export function currentUser(): Promise<User | null> {
  loaded ??= api<CurrentSession>('GET', '/auth/session').then(apply, (error: unknown) => {
    loaded = null;
    throw error;
  });
  return loaded;
}

export async function signIn(username: string, password: string): Promise<User> {
  const info = await api<SessionInfo>('POST', '/auth/login', { username, password });
  loaded = Promise.resolve(apply(info));
  return info.user;
}

export async function signOut(): Promise<void> {
  try {
    await api<void>('POST', '/auth/logout');
  } finally {
    loaded = Promise.resolve(apply(null));
  }
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  const info = await api<SessionInfo>('POST', '/auth/password', { currentPassword, newPassword });
  loaded = Promise.resolve(apply(info));
}

/** Forget the session after the server said 401 (expired, revoked elsewhere). */
export function forgetSession(): void {
  if (current) loaded = Promise.resolve(apply(null));
}

/** The same rule as the server's: admins may use every area. */
export function roleAllows(role: Role, allowed: readonly Role[]): boolean {
  return role === 'admin' || allowed.includes(role);
}

const destinationKey = 'ow-after-sign-in';

/** Where to go after signing in (kept across a reload of the sign-in page, for this tab only). */
export function rememberDestination(path: string): void {
  sessionStorage.setItem(destinationKey, path);
}

/** The remembered destination, once; only a path on this site, so it can never redirect elsewhere. */
export function takeDestination(): string | null {
  const path = sessionStorage.getItem(destinationKey);
  sessionStorage.removeItem(destinationKey);
  return path && path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/login') ? path : null;
}

export function homeFor(role: Role): string {
  return role === 'admin' ? '/admin' : role === 'dispatcher' ? '/dispatch' : '/desk';
}
