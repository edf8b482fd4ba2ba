import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { viewStyles } from '../components/shared-styles.ts';

/** Sign in */
@customElement('ow-login-view')
export class OwLoginView extends LitElement {
  static override styles = viewStyles;

  override render() {
    return html`<h1>Sign in</h1>
      <p>Staff sign in to OneWindow here.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-login-view': OwLoginView;
  }
}
