import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { viewStyles } from '../components/shared-styles.ts';

/** Public portal */
@customElement('ow-portal-view')
export class OwPortalView extends LitElement {
  static override styles = viewStyles;

  override render() {
    return html`<h1>Public portal</h1>
      <p>Report a problem, follow up on a request or find an answer without calling.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-portal-view': OwPortalView;
  }
}
