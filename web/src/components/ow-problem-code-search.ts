import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from '../data/api.ts';
import { searchProblemCodes, type SearchHit } from '../data/hierarchy.ts';
import { LatestRequest } from '../data/latest.ts';
import { fire } from '../events.ts';

/**
 * Type to find a problem code: results as you type, best first, each with its path; arrow keys move,
 * Enter chooses, Escape closes. Fires `ow-problem-code-selected`. The clerk's desk uses it to
 * classify a request; the hierarchy editor uses it to jump to a code.
 */
@customElement('ow-problem-code-search')
export class OwProblemCodeSearch extends LitElement {
  static override styles = css`
    :host { display: block; position: relative; }
    label { display: grid; gap: 0.25rem; font-weight: 600; font-size: 0.9rem; }
    input { font: inherit; font-weight: 400; padding: 0.45rem 0.6rem; border: 1px solid var(--ow-border); border-radius: 4px; }
    input:focus-visible { outline: 3px solid var(--ow-focus); outline-offset: 1px; }
    ul { position: absolute; z-index: 10; left: 0; right: 0; margin: 0.15rem 0 0; padding: 0.25rem 0; list-style: none;
      background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; box-shadow: 0 6px 18px rgb(0 0 0 / 0.12);
      max-height: 22rem; overflow-y: auto; }
    li { padding: 0.4rem 0.7rem; cursor: pointer; }
    li[aria-selected='true'] { background: #e6f0fa; }
    .name { font-weight: 600; }
    .code { color: var(--ow-muted); font-size: 0.8rem; margin-left: 0.4rem; }
    .path { color: var(--ow-muted); font-size: 0.8rem; }
    .retired { text-decoration: line-through; }
    .status { color: var(--ow-muted); font-size: 0.85rem; padding: 0.4rem 0.7rem; }
  `;

  @property() label = 'Problem code';
  @property() placeholder = 'Type what the caller describes: pothole, street light out…';

  @state() private query = '';
  @state() private hits: SearchHit[] = [];
  @state() private active = -1;
  @state() private open = false;
  @state() private message = '';

  private readonly latest = new LatestRequest<{ hits: SearchHit[] }>(60);

  /** Empties the field (e.g. after the choice was used). */
  clear(): void {
    this.query = '';
    this.hits = [];
    this.open = false;
  }

  override focus(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  private onInput(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    this.latest.later(() => void this.search());
  }

  private async search(): Promise<void> {
    const q = this.query.trim();
    if (!q) {
      this.latest.cancel();
      this.hits = [];
      this.open = false;
      return;
    }
    await this.latest.now(
      (signal) => searchProblemCodes(q, signal),
      ({ hits }) => {
        this.hits = hits;
        this.active = hits.length > 0 ? 0 : -1;
        this.message = hits.length === 0 ? `No problem code matches “${q}”.` : `${hits.length} problem code${hits.length === 1 ? '' : 's'} found.`;
        this.open = true;
      },
      (error) => {
        this.hits = [];
        this.message = error instanceof ApiError ? error.summary : 'The search failed.';
        this.open = true;
      },
    );
  }

  private choose(hit: SearchHit): void {
    this.query = hit.name;
    this.open = false;
    fire(this, 'ow-problem-code-selected', hit);
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!this.open && this.hits.length) this.open = true;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = this.hits.length ? (this.active + step + this.hits.length) % this.hits.length : -1;
      void this.updateComplete.then(() => this.renderRoot.querySelector(`#hit-${this.active}`)?.scrollIntoView({ block: 'nearest' }));
    } else if (event.key === 'Enter') {
      const hit = this.hits[this.active];
      if (this.open && hit) {
        event.preventDefault();
        this.choose(hit);
      }
    } else if (event.key === 'Escape' && this.open) {
      event.preventDefault();
      this.open = false;
    }
  }

  override render() {
    const expanded = this.open && (this.hits.length > 0 || this.message !== '');
    return html`<label
        >${this.label}
        <input
          role="combobox"
          type="search"
          autocomplete="off"
          spellcheck="false"
          aria-autocomplete="list"
          aria-controls="hits"
          aria-expanded=${expanded ? 'true' : 'false'}
          aria-activedescendant=${this.open && this.active >= 0 ? `hit-${this.active}` : ''}
          placeholder=${this.placeholder}
          .value=${this.query}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
          @blur=${() => setTimeout(() => (this.open = false), 150)}
      /></label>
      <div role="status" class="status" ?hidden=${!expanded || this.hits.length > 0}>${expanded ? this.message : ''}</div>
      ${expanded && this.hits.length > 0
        ? html`<ul id="hits" role="listbox" aria-label="Matching problem codes">
            ${this.hits.map(
              (hit, i) => html`<li
                id="hit-${i}"
                role="option"
                aria-selected=${i === this.active ? 'true' : 'false'}
                @mousedown=${(e: Event) => e.preventDefault()}
                @click=${() => this.choose(hit)}
              >
                <span class="name ${hit.status === 'retired' ? 'retired' : ''}">${hit.name}</span><span class="code">${hit.code}</span>
                <div class="path">${hit.path}</div>
              </li>`,
            )}
          </ul>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-problem-code-search': OwProblemCodeSearch;
  }
}
