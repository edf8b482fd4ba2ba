// Every client route in one place. Views are loaded on first visit (one bundle chunk each); guarded
// routes send a signed-out user to /login (and back afterwards) and show "not allowed" to other roles.
import type { Commands, Route, RouteContext } from '@vaadin/router';
import { currentUser, homeFor, rememberDestination, roleAllows, type Role } from './data/session.ts';

export interface NavArea {
  path: string;
  label: string;
  /** Who sees it; null: everyone, signed in or not. */
  roles: readonly Role[] | null;
}

/** The work areas shown in the app shell's navigation. */
export const navAreas: NavArea[] = [
  { path: '/desk', label: 'Desk', roles: ['clerk'] },
  { path: '/requests', label: 'Requests', roles: ['clerk', 'dispatcher', 'admin'] },
  { path: '/dispatch', label: 'Dispatch', roles: ['dispatcher'] },
  { path: '/answers-owed', label: 'Answers owed', roles: ['clerk', 'dispatcher', 'admin'] },
  { path: '/reports', label: 'Reports', roles: ['dispatcher', 'admin'] },
  { path: '/admin', label: 'Admin', roles: ['admin'] },
  { path: '/portal', label: 'Public portal', roles: null },
];

type Loader = () => Promise<unknown>;

/** A route action that loads the view only for a signed-in user whose role may see it. */
function guarded(roles: readonly Role[] | 'signed-in', load: Loader) {
  return async (context: RouteContext, commands: Commands) => {
    const user = await currentUser();
    if (!user) {
      rememberDestination(context.pathname + (context.search ?? ''));
      return commands.redirect('/login');
    }
    if (roles !== 'signed-in' && !roleAllows(user.role, roles)) {
      await import('./views/ow-not-allowed-view.ts');
      return commands.component('ow-not-allowed-view');
    }
    await load();
    return undefined;
  };
}

export const routes: Route[] = [
  {
    path: '/',
    action: async (_context: RouteContext, commands: Commands) => {
      const user = await currentUser();
      return commands.redirect(user ? homeFor(user.role) : '/login');
    },
  },
  { path: '/login', component: 'ow-login-view', action: async () => { await import('./views/ow-login-view.ts'); } },
  { path: '/desk', component: 'ow-desk-view', action: guarded(['clerk'], () => import('./views/ow-desk-view.ts')) },
  { path: '/desk/:number', component: 'ow-desk-view', action: guarded(['clerk'], () => import('./views/ow-desk-view.ts')) },
  { path: '/requests', component: 'ow-requests-view', action: guarded(['clerk', 'dispatcher', 'admin'], () => import('./views/ow-requests-view.ts')) },
  { path: '/requests/:number', component: 'ow-request-view', action: guarded(['clerk', 'dispatcher', 'admin'], () => import('./views/ow-request-view.ts')) },
  { path: '/dispatch', component: 'ow-dispatch-view', action: guarded(['dispatcher'], () => import('./views/ow-dispatch-view.ts')) },
  { path: '/work-orders/:number', component: 'ow-work-order-view', action: guarded(['dispatcher', 'clerk', 'admin'], () => import('./views/ow-work-order-view.ts')) },
  { path: '/answers-owed', component: 'ow-answers-owed-view', action: guarded(['clerk', 'dispatcher', 'admin'], () => import('./views/ow-answers-owed-view.ts')) },
  { path: '/reports', component: 'ow-reports-view', action: guarded(['dispatcher', 'admin'], () => import('./views/ow-reports-view.ts')) },
  { path: '/admin', component: 'ow-admin-view', action: guarded(['admin'], () => import('./views/ow-admin-view.ts')) },
  { path: '/admin/users', component: 'ow-users-view', action: guarded(['admin'], () => import('./views/ow-users-view.ts')) },
  { path: '/admin/hierarchy', component: 'ow-hierarchy-view', action: guarded(['admin'], () => import('./views/ow-hierarchy-view.ts')) },
  { path: '/admin/kb', component: 'ow-kb-admin-view', action: guarded(['admin'], () => import('./views/ow-kb-admin-view.ts')) },
  { path: '/admin/api-keys', component: 'ow-api-keys-view', action: guarded(['admin'], () => import('./views/ow-api-keys-view.ts')) },
  { path: '/admin/audit', component: 'ow-audit-view', action: guarded(['admin'], () => import('./views/ow-audit-view.ts')) },
  { path: '/account', component: 'ow-account-view', action: guarded('signed-in', () => import('./views/ow-account-view.ts')) },
  { path: '/portal/:section?/:code?', component: 'ow-portal-view', action: async () => { await import('./views/ow-portal-view.ts'); } },
  { path: '(.*)', component: 'ow-not-found-view', action: async () => { await import('./views/ow-not-found-view.ts'); } },
];
