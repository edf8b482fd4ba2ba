// Every app-wide event, typed once.
import type { User } from './data/session.ts';

declare global {
  interface WindowEventMap {
    /** The signed-in user changed (sign-in, sign-out, password change). */
    'ow-session-changed': CustomEvent<{ user: User | null }>;
    /** The server answered 401: the session ended elsewhere. */
    'ow-signed-out': CustomEvent<void>;
  }
}

export {};
