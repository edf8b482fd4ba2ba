import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { viewStyles } from '../components/shared-styles.ts';
import { currentUser, homeFor, type User } from '../data/session.ts';

/** Shown instead of a view the signed-in user's role may not open. */
@customElement('ow-not-allowed-view')
export class OwNotAllowedView extends LitElement {
  static override styles = viewStyles;

  @state() private user: User | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void currentUser().then((user) => (this.user = user));
  }

  override render() {
    return html`<h1>Not allowed</h1>
      <p role="alert">
        Your role${this.user ? html` (<strong>${this.user.role}</strong>)` : ''} does not give access to
        <code>${window.location.pathname}</code>. If you need it, ask an administrator.
      </p>
      <p><a href=${this.user ? homeFor(this.user.role) : '/'}>Go to your start page</a></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-not-allowed-view': OwNotAllowedView;
  }
}
