import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { viewStyles } from '../components/shared-styles.ts';

/** Administration */
@customElement('ow-admin-view')
export class OwAdminView extends LitElement {
  static override styles = viewStyles;

  override render() {
    return html`<h1>Administration</h1>
      <p>The problem-code hierarchy, the knowledge base and the staff accounts.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-admin-view': OwAdminView;
  }
}
