import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { viewStyles } from '../components/shared-styles.ts';

/** Dispatch */
@customElement('ow-dispatch-view')
export class OwDispatchView extends LitElement {
  static override styles = viewStyles;

  override render() {
    return html`<h1>Dispatch</h1>
      <p>The queue of work orders: assign crews, move work along and close it so every caller hears back.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-dispatch-view': OwDispatchView;
  }
}
