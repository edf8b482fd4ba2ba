// Every app-wide event, typed once.
import type { Contact } from './data/contacts.ts';
import type { Answer, FileResult } from './data/requests.ts';
import type { AddressHit } from './data/addresses.ts';
import type { User } from './data/session.ts';
import type { NodeDetail, Question, SearchHit } from './data/hierarchy.ts';

declare global {
  interface WindowEventMap {
    /** The signed-in user changed (sign-in, sign-out, password change). */
    'ow-session-changed': CustomEvent<{ user: User | null }>;
    /** The server answered 401: the session ended elsewhere. */
    'ow-signed-out': CustomEvent<void>;
  }
  interface HTMLElementEventMap {
    /** A problem code was chosen in <ow-problem-code-search>. */
    'ow-problem-code-selected': CustomEvent<SearchHit>;
    /** The clerk answered a question in <ow-question-preview> (null: the answer was emptied). */
    'ow-answers-changed': CustomEvent<{ code: string; value: Answer | null }>;
    /** <ow-question-builder> changed its list of questions. */
    'ow-questions-changed': CustomEvent<{ questions: Question[] }>;
    /** A node was chosen in <ow-hierarchy-tree>. */
    'ow-node-selected': CustomEvent<{ code: string }>;
    /** <ow-node-editor> created, saved, moved, retired or reactivated a node: its new state. */
    'ow-node-changed': CustomEvent<{ node: NodeDetail; message: string }>;
    /**
     * A location was chosen in <ow-address-search>: an address of the registry, or (address null) text
     * that is not in it, to be kept as an unverified address.
     */
    'ow-address-selected': CustomEvent<{ address: AddressHit; text: string } | { address: null; text: string }>;
    /** The clerk marked an article in <ow-kb-panel> as the one that answered the caller. */
    'ow-kb-article-used': CustomEvent<{ slug: string; title: string }>;
    /** The caller was chosen, created or edited in <ow-caller-panel>; null when the caller stays anonymous. */
    'ow-contact-selected': CustomEvent<{ contact: Contact | null }>;
    /** <ow-duplicate-candidates> put the request on a work order (linked or new): the server's answer. */
    'ow-work-order-filed': CustomEvent<FileResult>;
    /**
     * <ow-duplicate-candidates> was told the request changed elsewhere (another version, or no longer
     * ready): whoever holds the request reloads it.
     */
    'ow-request-stale': CustomEvent<{ number: string }>;
  }
}

/** Fires a typed, bubbling, composed event from `target`. */
export function fire<K extends keyof HTMLElementEventMap>(target: EventTarget, type: K, detail: HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
