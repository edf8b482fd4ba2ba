// Every client route in one place. Views are loaded on first visit (one bundle chunk each).
import type { Route } from '@vaadin/router';

export interface NavArea {
  path: string;
  label: string;
}

/** The work areas shown in the app shell's navigation. */
export const navAreas: NavArea[] = [
  { path: '/desk', label: 'Desk' },
  { path: '/dispatch', label: 'Dispatch' },
  { path: '/admin', label: 'Admin' },
  { path: '/portal', label: 'Public portal' },
];

export const routes: Route[] = [
  { path: '/', redirect: '/desk' },
  { path: '/login', component: 'ow-login-view', action: async () => { await import('./views/ow-login-view.ts'); } },
  { path: '/desk', component: 'ow-desk-view', action: async () => { await import('./views/ow-desk-view.ts'); } },
  { path: '/dispatch', component: 'ow-dispatch-view', action: async () => { await import('./views/ow-dispatch-view.ts'); } },
  { path: '/admin', component: 'ow-admin-view', action: async () => { await import('./views/ow-admin-view.ts'); } },
  { path: '/portal', component: 'ow-portal-view', action: async () => { await import('./views/ow-portal-view.ts'); } },
  { path: '(.*)', component: 'ow-not-found-view', action: async () => { await import('./views/ow-not-found-view.ts'); } },
];
