import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { RouterLocation } from '@vaadin/router';
import { viewStyles } from '../components/shared-styles.ts';

/** Shown for any address the app does not know. */
@customElement('ow-not-found-view')
export class OwNotFoundView extends LitElement {
  static override styles = viewStyles;

  /** Set by the router when it renders this view. */
  @property({ attribute: false }) location?: RouterLocation;

  override render() {
    return html`<h1>Page not found</h1>
      <p>There is no page at <code>${this.location?.pathname ?? window.location.pathname}</code>.
        <a href="/desk">Go to the desk</a>.</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-not-found-view': OwNotFoundView;
  }
}
