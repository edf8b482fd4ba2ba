import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { viewStyles } from '../components/shared-styles.ts';

/** Service desk */
@customElement('ow-desk-view')
export class OwDeskView extends LitElement {
  static override styles = viewStyles;

  override render() {
    return html`<h1>Service desk</h1>
      <p>Take a contact: every call, e-mail or visit is saved the moment it starts, then answered, filed as a problem or recorded as a comment.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-desk-view': OwDeskView;
  }
}
