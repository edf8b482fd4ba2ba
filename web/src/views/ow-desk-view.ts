import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import '../components/ow-kb-panel.ts';
import { viewStyles } from '../components/shared-styles.ts';

/** The clerk's desk. The contact form arrives with the desk issue; the knowledge base is here now. */
@customElement('ow-desk-view')
export class OwDeskView extends LitElement {
  static override styles = [viewStyles, css`:host { max-width: none; } .layout { display: grid; grid-template-columns: minmax(0, 1fr) minmax(22rem, 34rem); gap: 1.5rem; align-items: start; }`];

  override render() {
    return html`<h1>Service desk</h1>
      <div class="layout">
        <p>Take a contact: every call, e-mail or visit is saved the moment it starts, then answered, filed as a problem or recorded as a comment.</p>
        <ow-kb-panel></ow-kb-panel>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-desk-view': OwDeskView;
  }
}
