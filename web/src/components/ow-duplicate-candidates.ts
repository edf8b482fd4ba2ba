import { Task, TaskStatus } from '@lit/task';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from '../data/api.ts';
import {
  duplicates,
  fileRequest,
  promiseWords,
  type DuplicateCandidate,
  type DuplicateRule,
  type Duplicates,
  type FilingDecision,
} from '../data/requests.ts';
import { workOrderStatusNames } from '../data/work-orders.ts';
import { fire } from '../events.ts';

const errorOf = (error: unknown) => (error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', error instanceof Error ? error.message : String(error)));

/** "same problem code · within 30 m · opened in the last 30 days": what the search looked for. */
function ruleWords(rule: DuplicateRule): string {
  const scope = rule.scope === 'category' ? 'same category' : 'same problem code';
  return [scope, `within ${rule.radiusMeters} m`, `opened in the last ${rule.windowDays} day${rule.windowDays === 1 ? '' : 's'}`, rule.matchAttribute ? `same ${rule.matchAttribute}` : '']
    .filter(Boolean)
    .join(' · ');
}

/**
 * A ready action request's likely duplicates, best first, and the clerk's decision: link the request
 * to one (↑/↓ choose, Enter links) or create a new work order — with a reason when there were
 * candidates, so new work beside a likely duplicate is always explained. Calls the server itself and
 * fires `ow-work-order-filed` with its answer; `ow-request-stale` when the request changed elsewhere.
 */
@customElement('ow-duplicate-candidates')
export class OwDuplicateCandidates extends LitElement {
  static override styles = css`
    :host { display: block; background: var(--ow-surface); border: 2px solid var(--ow-accent); border-radius: 6px; padding: 0.9rem 1rem; }
    h2 { font-size: 1.05rem; margin: 0 0 0.3rem; display: flex; gap: 0.6rem; align-items: baseline; flex-wrap: wrap; }
    p { margin: 0.2rem 0; line-height: 1.45; }
    label { display: grid; gap: 0.25rem; font-weight: 600; font-size: 0.9rem; }
    input { font: inherit; font-weight: 400; padding: 0.45rem 0.6rem; border: 1px solid var(--ow-border); border-radius: 4px; }
    input[aria-invalid='true'] { border-color: var(--ow-danger); }
    button { font: inherit; font-size: 0.92rem; padding: 0.45rem 0.9rem; border: 1px solid var(--ow-border); border-radius: 4px; background: #fff; cursor: pointer; }
    button.primary { background: var(--ow-accent); color: #fff; border-color: var(--ow-accent); font-weight: 600; }
    button:disabled { opacity: 0.6; cursor: default; }
    .keys { font-size: 0.85rem; font-weight: 400; color: var(--ow-muted); }
    kbd { font: inherit; font-size: 0.78rem; border: 1px solid currentColor; border-bottom-width: 2px; border-radius: 3px; padding: 0 0.3rem; }
    :focus-visible { outline: 3px solid var(--ow-focus); outline-offset: 2px; }
    .muted { color: var(--ow-muted); font-size: 0.88rem; }
    .rule { color: var(--ow-muted); font-size: 0.85rem; margin-bottom: 0.6rem; }
    ul[role='listbox'] { list-style: none; margin: 0.5rem 0; padding: 0.25rem; display: grid; gap: 0.3rem; border: 1px solid var(--ow-border); border-radius: 4px; max-height: 24rem; overflow-y: auto; }
    li[role='option'] { padding: 0.5rem 0.65rem; border-radius: 4px; border: 1px solid transparent; cursor: pointer; display: grid; gap: 0.15rem; }
    li[aria-selected='true'] { background: #e6f0fa; border-color: #9dc0e6; }
    ul[role='listbox']:focus-visible li[aria-selected='true'] { border-color: var(--ow-accent); box-shadow: inset 3px 0 0 var(--ow-accent); }
    .head { display: flex; gap: 0.5rem; align-items: baseline; flex-wrap: wrap; }
    .number { font-weight: 700; font-variant-numeric: tabular-nums; }
    .badge { font-size: 0.78rem; background: #eef1f4; border-radius: 999px; padding: 0.05rem 0.5rem; }
    .badge.strong { background: #fff1c2; }
    .reasons { font-weight: 600; color: #0f5132; }
    .meta { color: var(--ow-muted); font-size: 0.85rem; }
    .row { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: end; margin-top: 0.5rem; }
    form { display: grid; gap: 0.4rem; margin-top: 0.75rem; padding-top: 0.75rem; border-top: 1px solid var(--ow-border); }
    form.alone { border-top: 0; padding-top: 0; margin-top: 0.4rem; }
    .field-error { color: var(--ow-danger); font-size: 0.85rem; }
    .form-error { color: var(--ow-danger); background: #fdecea; border: 1px solid #f5c2bd; border-radius: 4px; padding: 0.5rem 0.75rem; margin: 0.5rem 0; }
  `;

  /** The ready request to file. */
  @property() number = '';
  /** The request's version: the decision is sent with it, and a new version searches again (the place may have changed). */
  @property({ type: Number }) version = 0;
  /**
   * Where the holder still saves changes to the request (the desk): resolves with its version once
   * those saves are done, so the decision never overtakes a change the clerk just made.
   */
  @property({ attribute: false }) settle?: () => Promise<number>;
  /** The keyboard shortcut that brings the focus here, shown to the clerk (the desk's Alt+W). */
  @property() shortcut = '';

  /** The chosen candidate's work order number (the best one until the clerk moves). */
  @state() private selected: string | null = null;
  @state() private error: ApiError | null = null;
  @state() private busy = false;

  /** Set when focus() came before the candidates: they take the focus once they are shown. */
  private wantsFocus = false;

  private readonly data = new Task(this, {
    task: ([number], { signal }) => duplicates(number, signal),
    args: () => [this.number, this.version] as const,
    onComplete: (found: Duplicates) => {
      if (!found.candidates.some((c) => c.number === this.selected)) this.selected = found.candidates[0]?.number ?? null;
    },
  });

  /** The list (the best candidate chosen), or "Create new work order" when nothing looks alike. */
  override focus(): void {
    if (this.data.status !== TaskStatus.COMPLETE) {
      this.wantsFocus = true;
      return;
    }
    this.renderRoot.querySelector<HTMLElement>('[role=listbox], button[data-create]')?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('number')) {
      this.selected = null;
      this.error = null;
    }
  }

  protected override updated(): void {
    if (this.wantsFocus && this.data.status === TaskStatus.COMPLETE) {
      this.wantsFocus = false;
      this.focus();
    }
  }

  private async file(decision: FilingDecision): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      const version = this.settle ? await this.settle() : this.version;
      const result = await fileRequest(this.number, version, decision);
      fire(this, 'ow-work-order-filed', result);
    } catch (caught) {
      const error = (this.error = errorOf(caught));
      if (error.code === 'VERSION_CONFLICT' || error.code === 'INVALID_STATE' || error.status === 404) {
        // The chosen work order closed meanwhile, or the request changed: show the list as it is now.
        if (error.details.some((d) => d.field === '/body/workOrder')) void this.data.run();
        else fire(this, 'ow-request-stale', { number: this.number });
      } else if (error.details.some((d) => d.field === '/body/reason') && !this.data.value?.candidates.length) {
        // Someone else's work order appeared since the list was shown: the clerk sees it before deciding.
        void this.data.run();
      }
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid=true]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  private link(): void {
    if (this.selected) void this.file({ decision: 'link', workOrder: this.selected });
  }

  private create(event: SubmitEvent): void {
    event.preventDefault();
    const reason = (this.renderRoot.querySelector<HTMLInputElement>('input[name=reason]')?.value ?? '').trim();
    void this.file(reason ? { decision: 'create', reason } : { decision: 'create' });
  }

  private onListKeydown(event: KeyboardEvent, candidates: DuplicateCandidate[]): void {
    const at = Math.max(0, candidates.findIndex((c) => c.number === this.selected));
    const move = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: candidates.length - 1 }[event.key];
    if (move !== undefined) {
      event.preventDefault();
      this.selected = candidates[Math.min(candidates.length - 1, Math.max(0, move))]!.number;
      void this.updateComplete.then(() => this.renderRoot.querySelector('li[aria-selected=true]')?.scrollIntoView({ block: 'nearest' }));
    } else if (event.key === 'Enter' && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      this.link();
    }
  }

  private fieldError(field: string) {
    return this.error?.details.find((d) => d.field === `/body/${field}`)?.message;
  }

  private renderCandidate(c: DuplicateCandidate) {
    return html`<li id="wo-${c.number}" role="option" aria-selected=${c.number === this.selected ? 'true' : 'false'}
        @click=${() => (this.selected = c.number)} @dblclick=${() => this.link()}>
      <div class="head">
        <span class="number">${c.number}</span>
        <span>${c.classification.name}</span>
        <span class="badge">${workOrderStatusNames[c.status] ?? c.status}</span>
        ${c.strong ? html`<span class="badge strong">very likely the same</span>` : nothing}
      </div>
      <div>${c.locationText || html`<span class="muted">no address</span>`}</div>
      <div class="reasons">${c.reasons.join(' · ')}</div>
      <div class="meta">${c.assignee ? `Assigned to ${c.assignee}` : 'Not assigned yet'} · due ${promiseWords(c.dueAt)}</div>
    </li>`;
  }

  private renderFound(found: Duplicates) {
    const { candidates, rule } = found;
    const reasonError = this.fieldError('reason');
    const linkError = this.fieldError('workOrder');
    const other = this.error && !reasonError ? this.error : null;
    const chosen = candidates.find((c) => c.number === this.selected);
    return html`
      ${rule ? html`<div class="rule">Looked for: ${ruleWords(rule)}</div>` : nothing}
      ${candidates.length
        ? html`<p id="dup-hint">${candidates.length === 1 ? 'This open work order looks' : `These ${candidates.length} open work orders look`} like the same problem. Link the request to one
              (<kbd>↑</kbd> <kbd>↓</kbd> choose, <kbd>Enter</kbd> links), or create new work and say why.</p>
            <ul role="listbox" tabindex="0" aria-label="Open work orders that may be the same problem" aria-describedby="dup-hint"
              aria-activedescendant=${chosen ? `wo-${chosen.number}` : ''} aria-keyshortcuts=${this.shortcut || nothing}
              @keydown=${(e: KeyboardEvent) => this.onListKeydown(e, candidates)}>
              ${candidates.map((c) => this.renderCandidate(c))}
            </ul>
            ${linkError ? html`<div class="field-error" role="alert">${other?.message ?? `The work order ${linkError}.`}</div>` : nothing}
            <div class="row">
              <button type="button" class="primary" ?disabled=${!chosen || this.busy} @click=${() => this.link()}>
                Link to this work order${chosen ? `: ${chosen.number}` : ''} <kbd>Enter</kbd></button>
            </div>`
        : html`<p id="dup-hint"><strong>No open work order looks like this problem.</strong> Create a new one.</p>`}
      ${other && !linkError ? html`<div class="form-error" role="alert">${other.summary}</div>` : nothing}
      <form class=${candidates.length ? '' : 'alone'} aria-label="Create new work order" novalidate @submit=${(e: SubmitEvent) => this.create(e)}>
        ${candidates.length
          ? html`<label>Why is this new work, not one of the above?
                <input name="reason" maxlength="1000" autocomplete="off" aria-invalid=${reasonError ? 'true' : 'false'}
                  aria-describedby=${reasonError ? 'reason-error' : 'reason-hint'} /></label>
              ${reasonError
                ? html`<span class="field-error" id="reason-error" role="alert">Reason ${reasonError}.</span>`
                : html`<span class="muted" id="reason-hint">Required when likely duplicates exist, e.g. “other side of the street, a second hole”.</span>`}`
          : nothing}
        <div class="row"><button type="submit" class=${candidates.length ? '' : 'primary'} data-create ?disabled=${this.busy}>Create new work order</button></div>
      </form>`;
  }

  override render() {
    return html`<section aria-labelledby="dup-title">
      <h2 id="dup-title">Work order: likely duplicates
        ${this.shortcut ? html`<span class="keys">${this.shortcut.split('+').map((key, i) => html`${i ? '+' : ''}<kbd>${key}</kbd>`)}</span>` : nothing}</h2>
      ${this.data.render({
        initial: () => html`<p class="muted">Looking for open work orders like this one…</p>`,
        pending: () => (this.data.value ? this.renderFound(this.data.value) : html`<p class="muted" role="status">Looking for open work orders like this one…</p>`),
        complete: (found) => this.renderFound(found),
        error: (error) => {
          if (error instanceof DOMException && error.name === 'AbortError') return nothing;
          return html`<div class="form-error" role="alert">The likely duplicates could not be loaded: ${errorOf(error).summary}
            <button type="button" @click=${() => void this.data.run()}>Try again</button></div>`;
        },
      })}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-duplicate-candidates': OwDuplicateCandidates;
  }
}
