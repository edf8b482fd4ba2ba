import { Router } from '@vaadin/router';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { trackRequest, type Tracked } from '../data/portal.ts';
import { promiseWords } from '../data/requests.ts';
import { portalStyles, problemsOf } from './portal-shared.ts';

const statusWords: Record<Tracked['status'], string> = { open: 'Open', closed: 'Closed', cancelled: 'Withdrawn' };
const kindWords: Record<Tracked['kind'], string> = { problem: 'Problem reported', question: 'Question', comment: 'Comment' };
const when = (iso: string) => new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });

/** Look a request up by its number: its status, what was done, and its public history. */
@customElement('ow-portal-track')
export class OwPortalTrack extends LitElement {
  static override styles = [
    portalStyles,
    css`
      .status { display: inline-block; padding: 0.15rem 0.6rem; border-radius: 999px; font-weight: 700; font-size: 0.85rem; border: 1px solid; }
      .status.open { color: #084298; background: #e7f0ff; }
      .status.closed { color: #0f5132; background: #e8f5ee; }
      .status.cancelled { color: #555; background: #eee; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.35rem 1rem; margin: 0.8rem 0; }
      dt { font-weight: 600; color: var(--ow-muted); }
      dd { margin: 0; }
      ol { padding-left: 1.2rem; display: grid; gap: 0.4rem; }
      .when { color: var(--ow-muted); font-size: 0.85rem; }
      section.result { background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 6px; padding: 1rem 1.2rem; margin-top: 1rem; max-width: 40rem; }
      form { grid-template-columns: 1fr auto; align-items: end; max-width: 28rem; }
    `,
  ];

  /** The number in the URL (/portal/track/2026-000123). */
  @property() number = '';

  @state() private typed = '';
  @state() private found: Tracked | null = null;
  @state() private message = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('number')) {
      this.typed = this.number;
      if (this.number) void this.look(this.number);
      else this.found = null;
    }
  }

  private async look(number: string): Promise<void> {
    try {
      this.found = await trackRequest(number);
      this.message = '';
    } catch (error) {
      this.found = null;
      this.message = problemsOf(error).message;
    }
  }

  private submit(event: Event): void {
    event.preventDefault();
    const number = this.typed.trim();
    if (!number) {
      this.message = 'Type the request number from your confirmation, like 2026-000123.';
      return;
    }
    // The URL holds the number, so the page can be bookmarked and shared.
    if (number === this.number) void this.look(number);
    else Router.go(`/portal/track/${encodeURIComponent(number)}`);
  }

  private renderFound(r: Tracked) {
    return html`<section class="result" aria-labelledby="result-title">
      <h2 id="result-title">Request ${r.number} <span class="status ${r.status}">${statusWords[r.status]}</span></h2>
      <dl>
        <dt>What</dt><dd>${r.service ?? kindWords[r.kind]}</dd>
        ${r.address ? html`<dt>Where</dt><dd>${r.address}</dd>` : nothing}
        <dt>Received</dt><dd>${when(r.requestedAt)}</dd>
        ${r.expectedAt && r.status === 'open' ? html`<dt>Expected by</dt><dd>${promiseWords(r.expectedAt)}</dd>` : nothing}
        ${r.statusNotes ? html`<dt>${r.status === 'closed' ? 'Outcome' : 'Note'}</dt><dd>${r.statusNotes}</dd>` : nothing}
        <dt>Last change</dt><dd>${when(r.updatedAt)}</dd>
      </dl>
      <h3>History</h3>
      <ol>
        ${r.notes.map((n) => html`<li><span class="when">${when(n.at)}</span> — ${n.summary}${n.description ? html`: ${n.description}` : nothing}</li>`)}
      </ol>
    </section>`;
  }

  override render() {
    return html`<form @submit=${this.submit} novalidate>
        <label>Request number
          <input name="number" inputmode="numeric" autocomplete="off" placeholder="2026-000123" .value=${this.typed} aria-invalid=${this.message ? 'true' : 'false'} aria-describedby="track-error"
            @input=${(e: Event) => (this.typed = (e.target as HTMLInputElement).value)} />
        </label>
        <button class="primary" type="submit">Look up</button>
      </form>
      ${this.message ? html`<p class="error" id="track-error" role="alert">${this.message}</p>` : nothing}
      ${this.found ? this.renderFound(this.found) : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-portal-track': OwPortalTrack;
  }
}
