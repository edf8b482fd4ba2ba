import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { field, formValues } from '../components/form-field.ts';
import { viewStyles } from '../components/shared-styles.ts';
import { ApiError } from '../data/api.ts';
import { createApiKey, listApiKeys, revokeApiKey, updateApiKey, type ApiKey } from '../data/api-keys.ts';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** Administrators make a key per Open311 partner (shown once), change its rate limit, and revoke it. */
@customElement('ow-api-keys-view')
export class OwApiKeysView extends LitElement {
  static override styles = [
    viewStyles,
    css`
      .revoked td { color: var(--ow-muted); }
      .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
      .actions input { width: 6rem; }
      .new-key { border: 2px solid var(--ow-accent, #0b5cad); padding: 0.75rem 1rem; border-radius: 4px; margin: 1rem 0; }
      .new-key code { font-size: 1rem; word-break: break-all; user-select: all; }
      details { margin-top: 1.5rem; }
      summary { cursor: pointer; font-weight: 600; }
      caption { text-align: left; color: var(--ow-muted); padding: 0.25rem 0; }
      td small { display: block; color: var(--ow-muted); }
    `,
  ];

  @state() private message: { kind: 'notice' | 'form-error'; text: string } | null = null;
  @state() private createError: ApiError | null = null;
  /** The key just made: shown here once, never again. */
  @state() private fresh: (ApiKey & { key: string }) | null = null;
  @state() private confirming: number | null = null;

  private readonly keys = new Task(this, { task: (_args, { signal }) => listApiKeys(signal), args: () => [] as const });

  private async act(action: () => Promise<unknown>, success: string): Promise<void> {
    this.message = null;
    try {
      await action();
      this.message = { kind: 'notice', text: success };
    } catch (error) {
      this.message = { kind: 'form-error', text: error instanceof ApiError ? error.summary : String(error) };
    }
    void this.keys.run();
  }

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const v = formValues(form);
    this.createError = null;
    try {
      this.fresh = await createApiKey({ partner: v.partner ?? '', description: v.description ?? '', ratePerMinute: Number(v.ratePerMinute) });
      form.reset();
      (form.elements.namedItem('ratePerMinute') as HTMLInputElement).value = '60';
      this.message = null;
      void this.keys.run();
    } catch (error) {
      this.createError = error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', String(error));
    }
  }

  private renderRow(k: ApiKey) {
    const active = k.status === 'active';
    return html`<tr class=${active ? '' : 'revoked'}>
      <td>${k.partner}${k.description ? html`<small>${k.description}</small>` : nothing}</td>
      <td><code>${k.prefix}…</code></td>
      <td>${k.ratePerMinute} a minute</td>
      <td>${active ? 'Active' : html`Revoked ${when(k.revokedAt)}${k.revokedBy ? ` by ${k.revokedBy}` : ''}`}</td>
      <td>${when(k.createdAt)}${k.createdBy ? html`<small>by ${k.createdBy}</small>` : nothing}</td>
      <td>${when(k.lastUsedAt)}</td>
      <td>
        ${active
          ? html`<div class="actions">
              <form
                class="actions"
                aria-label="Rate limit of ${k.partner}"
                @submit=${(e: SubmitEvent) => {
                  e.preventDefault();
                  const rate = Number(formValues(e.target as HTMLFormElement).rate);
                  void this.act(() => updateApiKey(k.id, { version: k.version, ratePerMinute: rate }), `${k.partner} may now send ${rate} requests a minute.`);
                }}
              >
                <input name="rate" type="number" min="1" max="100000" .value=${String(k.ratePerMinute)} aria-label="Requests a minute for ${k.partner}" />
                <button type="submit">Set limit</button>
              </form>
              ${this.confirming === k.id
                ? html`<button class="danger" type="button" @click=${() => { this.confirming = null; void this.act(() => revokeApiKey(k.id, k.version), `The key of ${k.partner} (${k.prefix}…) is revoked: it stopped working now.`); }}>Revoke now</button>
                    <button type="button" @click=${() => (this.confirming = null)}>Keep it</button>`
                : html`<button type="button" @click=${() => (this.confirming = k.id)}>Revoke…</button>`}
            </div>`
          : nothing}
      </td>
    </tr>`;
  }

  override render() {
    const e = this.createError;
    return html`<h1>API keys</h1>
      <p>Partners (resident apps, other agencies) send requests through the Open311 API with a key of their own. Each key has its own rate limit; a revoked key stops working at once.</p>
      ${this.fresh
        ? html`<div class="new-key" role="status">
            <p><strong>The key of ${this.fresh.partner}</strong> — copy it now and give it to the partner; it is not shown again:</p>
            <p><code>${this.fresh.key}</code></p>
            <button type="button" @click=${() => (this.fresh = null)}>I have copied it</button>
          </div>`
        : nothing}
      ${this.message ? html`<div class=${this.message.kind} role=${this.message.kind === 'notice' ? 'status' : 'alert'}>${this.message.text}</div>` : nothing}
      ${this.keys.render({
        pending: () => html`<p>Loading…</p>`,
        error: (error) => html`<div class="form-error" role="alert">${error instanceof Error ? error.message : String(error)}</div>`,
        complete: ({ items }) =>
          items.length === 0
            ? html`<p>No partner has a key yet.</p>`
            : html`<table>
                <caption>${items.filter((k) => k.status === 'active').length} active, ${items.filter((k) => k.status === 'revoked').length} revoked</caption>
                <thead><tr><th>Partner</th><th>Key</th><th>Limit</th><th>Status</th><th>Made</th><th>Last used</th><th>Actions</th></tr></thead>
                <tbody>${items.map((k) => this.renderRow(k))}</tbody>
              </table>`,
      })}
      <details ?open=${e !== null}>
        <summary>New key</summary>
        <form @submit=${this.create} novalidate>
          ${e && !e.details.length ? html`<div class="form-error" role="alert">${e.message}</div>` : nothing}
          ${field({ label: 'Partner', name: 'partner', required: true, error: e?.fieldMessage('partner') })}
          ${field({ label: 'What it is for, and who to call about it', name: 'description', error: e?.fieldMessage('description') })}
          ${field({ label: 'Requests a minute', name: 'ratePerMinute', type: 'number', required: true, value: '60', error: e?.fieldMessage('ratePerMinute') })}
          <div><button class="primary" type="submit">Make the key</button></div>
        </form>
      </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-api-keys-view': OwApiKeysView;
  }
}
