import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { viewStyles } from '../components/shared-styles.ts';

/** The administrator's start page: what there is to keep. */
@customElement('ow-admin-view')
export class OwAdminView extends LitElement {
  static override styles = [viewStyles, css`ul { line-height: 2; } li span { color: var(--ow-muted); }`];

  override render() {
    return html`<h1>Administration</h1>
      <ul>
        <li><a href="/admin/hierarchy">Problem-code hierarchy</a> <span>— departments, providers, categories, problem codes, questions</span></li>
        <li><a href="/admin/kb">Knowledge base</a> <span>— articles, versions, what readers found useful and what they could not find</span></li>
        <li><a href="/admin/users">Users</a> <span>— staff accounts, roles, passwords</span></li>
        <li><a href="/admin/api-keys">API keys</a> <span>— Open311 partners: their keys and rate limits</span></li>
        <li><a href="/admin/audit">Audit trail</a> <span>— every change: who, when, what</span></li>
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-admin-view': OwAdminView;
  }
}
