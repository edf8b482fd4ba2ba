import { Task } from '@lit/task';
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { viewStyles } from '../components/shared-styles.ts';
import { listAudit, type AuditEntry } from '../data/audit.ts';

/** The audit trail, newest first, filtered by entity and action. */
@customElement('ow-audit-view')
export class OwAuditView extends LitElement {
  static override styles = [viewStyles, css`.filters { display: flex; gap: 0.75rem; margin-bottom: 1rem; } .filters label { font-weight: 400; } code { font-size: 0.85rem; }`];

  @state() private entityType = '';
  @state() private action = '';

  private readonly entries = new Task(this, {
    task: ([entityType, action], { signal }) => listAudit({ entityType, action, limit: 200 }, signal),
    args: () => [this.entityType, this.action] as const,
  });

  private changes(entry: AuditEntry) {
    if (!entry.changes) return '';
    return Object.entries(entry.changes)
      .map(([field, { before, after }]) => `${field}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`)
      .join('; ');
  }

  override render() {
    const input = (label: string, value: string, set: (v: string) => void, placeholder: string) =>
      html`<label>${label} <input .value=${value} placeholder=${placeholder} @change=${(e: Event) => set((e.target as HTMLInputElement).value.trim())} /></label>`;
    return html`<h1>Audit trail</h1>
      <div class="filters">
        ${input('Entity', this.entityType, (v) => (this.entityType = v), 'user')}
        ${input('Action', this.action, (v) => (this.action = v), 'user.role_changed')}
      </div>
      ${this.entries.render({
        pending: () => html`<p>Loading…</p>`,
        error: (error) => html`<div class="form-error" role="alert">${error instanceof Error ? error.message : String(error)}</div>`,
        complete: ({ items }) => html`<table>
          <thead><tr><th>When</th><th>Who</th><th>What</th><th>Entity</th><th>Changes</th></tr></thead>
          <tbody>
            ${items.map(
              (e) => html`<tr>
                <td>${new Date(e.at).toLocaleString()}</td>
                <td>${e.actorLabel}</td>
                <td><code>${e.action}</code></td>
                <td>${e.entityType}${e.entityId ? ` ${e.entityId}` : ''}</td>
                <td>${this.changes(e)}</td>
              </tr>`,
            )}
          </tbody>
        </table>`,
      })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-audit-view': OwAuditView;
  }
}
