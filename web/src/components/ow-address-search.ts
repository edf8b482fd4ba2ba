import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from '../data/api.ts';
import { searchAddresses, type AddressHit } from '../data/addresses.ts';
import { fire } from '../events.ts';
import { LatestRequest } from '../data/latest.ts';
import { searchPublicAddresses } from '../data/portal.ts';

/**
 * Type an address or a place ("12 Hereford", "city hall", "02115"): the registry's matches as you
 * type, arrow keys move, Enter chooses, Escape closes. Fires `ow-address-selected` with the address;
 * or, for text the registry does not have (Enter with no match highlighted, or the last option),
 * with `address: null` and the text, to be kept as an unverified address.
 */
@customElement('ow-address-search')
export class OwAddressSearch extends LitElement {
  static override styles = css`
    :host { display: block; position: relative; }
    label { display: grid; gap: 0.25rem; font-weight: 600; font-size: 0.9rem; }
    input { font: inherit; font-weight: 400; padding: 0.45rem 0.6rem; border: 1px solid var(--ow-border); border-radius: 4px; }
    input:focus-visible { outline: 3px solid var(--ow-focus); outline-offset: 1px; }
    .hint { color: var(--ow-muted); font-size: 0.8rem; margin-top: 0.2rem; }
    ul { position: absolute; z-index: 10; left: 0; right: 0; margin: 0.15rem 0 0; padding: 0.25rem 0; list-style: none;
      background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; box-shadow: 0 6px 18px rgb(0 0 0 / 0.12);
      max-height: 22rem; overflow-y: auto; }
    li { padding: 0.4rem 0.7rem; cursor: pointer; }
    li[aria-selected='true'] { background: #e6f0fa; }
    .alias { font-weight: 600; margin-right: 0.4rem; }
    .free { border-top: 1px solid var(--ow-border); color: var(--ow-muted); font-style: italic; }
    .status { color: var(--ow-muted); font-size: 0.85rem; padding: 0.4rem 0.7rem; }
    .status.quiet { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; padding: 0; }
  `;

  @property() label = 'Address or place';
  @property() placeholder = 'Street address, place name or postcode: 12 Hereford St, City Hall…';
  /** Whose registry search: the desk's (signed in) or the public portal's. */
  @property() scope: 'desk' | 'public' = 'desk';
  /** The text in the field; set it to start from a known location. */
  @property() value = '';

  @state() private hits: AddressHit[] = [];
  /** The text the hits are for; differs from the field's while a search is on its way. */
  @state() private hitsFor = '';
  /** The highlighted option: a hit, `hits.length` for the "use the text" option, -1 for none. */
  @state() private active = -1;
  @state() private open = false;
  @state() private message = '';

  private readonly latest = new LatestRequest<{ hits: AddressHit[] }>(60);
  /** What the field showed when something was chosen: Enter on it again chooses nothing new. */
  private chosen: string | null = null;
  /** Whether the latest change of `value` was typed (or chosen) here rather than set from outside. */
  private ownChange = false;

  /** Empties the field (e.g. after the choice was used). */
  clear(): void {
    this.latest.cancel();
    this.value = '';
    this.hits = [];
    this.hitsFor = '';
    this.active = -1;
    this.open = false;
    this.chosen = null;
  }

  override focus(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.latest.cancel();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A value set from outside is a location already chosen, not a search to run.
    if (changed.has('value') && !this.ownChange) {
      this.chosen = this.value.trim();
      this.open = false;
    }
    this.ownChange = false;
  }

  private get text(): string {
    return this.value.trim();
  }

  /** How many options the list has: the hits, and the "use the text" option when there is text. */
  private get optionCount(): number {
    return this.hits.length + (this.text ? 1 : 0);
  }

  private onInput(event: Event): void {
    this.ownChange = true;
    this.value = (event.target as HTMLInputElement).value;
    this.chosen = null;
    this.latest.later(() => void this.search());
  }

  private async search(): Promise<void> {
    const q = this.text;
    if (!q) {
      this.latest.cancel();
      this.hits = [];
      this.hitsFor = '';
      this.open = false;
      return;
    }
    await this.latest.now(
      (signal) => (this.scope === 'public' ? searchPublicAddresses(q, signal) : searchAddresses(q, signal)),
      ({ hits }) => {
        this.hits = hits;
        this.hitsFor = q;
        this.active = hits.length > 0 ? 0 : -1;
        this.message = hits.length === 0 ? `No address in the registry matches “${q}”. Enter keeps it as an unverified address.` : `${hits.length} address${hits.length === 1 ? '' : 'es'} found.`;
        this.open = true;
      },
      (error) => {
        this.hits = [];
        this.hitsFor = q;
        this.active = -1;
        this.message = `${error instanceof ApiError ? error.summary : 'The search failed.'} Enter keeps “${q}” as an unverified address.`;
        this.open = true;
      },
    );
  }

  private choose(hit: AddressHit): void {
    this.ownChange = true;
    this.value = this.chosen = hit.label;
    this.open = false;
    this.active = -1;
    fire(this, 'ow-address-selected', { address: hit, text: hit.label });
  }

  private chooseText(): void {
    const text = this.text;
    if (!text) return;
    this.ownChange = true;
    this.value = this.chosen = text;
    this.open = false;
    this.active = -1;
    fire(this, 'ow-address-selected', { address: null, text });
  }

  /** Coming back to the field shows the matches for its text again, unless it holds a choice. */
  private onFocus(): void {
    if (this.text && this.hitsFor === this.text && this.text !== this.chosen) this.open = true;
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (this.hitsFor !== this.text) {
        void this.search();
        return;
      }
      this.open = true;
      const count = this.optionCount;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = count ? (this.active < 0 && step < 0 ? count - 1 : (this.active + step + count) % count) : -1;
      void this.updateComplete.then(() => this.renderRoot.querySelector(`#option-${this.active}`)?.scrollIntoView({ block: 'nearest' }));
    } else if (event.key === 'Enter') {
      if (!this.text || this.text === this.chosen) return;
      event.preventDefault();
      // The list on screen is for older text: show the current matches first rather than guess.
      if (this.hitsFor !== this.text) {
        void this.search();
        return;
      }
      const hit = this.open ? this.hits[this.active] : undefined;
      if (hit) this.choose(hit);
      else this.chooseText();
    } else if (event.key === 'Escape' && this.open) {
      event.preventDefault();
      this.open = false;
      this.active = -1;
    }
  }

  override render() {
    const text = this.text;
    const current = this.hitsFor === text && text !== '';
    const expanded = this.open && current;
    const free = this.hits.length;
    return html`<label
        >${this.label}
        <input
          role="combobox"
          type="search"
          autocomplete="off"
          spellcheck="false"
          aria-autocomplete="list"
          aria-controls="options"
          aria-describedby="hint"
          aria-expanded=${expanded ? 'true' : 'false'}
          aria-activedescendant=${expanded && this.active >= 0 ? `option-${this.active}` : ''}
          placeholder=${this.placeholder}
          .value=${this.value}
          @input=${this.onInput}
          @keydown=${this.onKeydown}
          @focus=${this.onFocus}
          @blur=${() => setTimeout(() => (this.open = false), 150)}
      /></label>
      <div id="hint" class="hint">${this.scope === 'public' ? 'Not in the list? Press Enter to use what you typed.' : 'An address not in the registry can still be used: press Enter on what you typed.'}</div>
      <div role="status" class="status ${expanded && this.hits.length === 0 ? '' : 'quiet'}">${expanded ? this.message : ''}</div>
      ${expanded
        ? html`<ul id="options" role="listbox" aria-label="Matching addresses">
            ${this.hits.map(
              (hit, i) => html`<li
                id="option-${i}"
                role="option"
                aria-selected=${i === this.active ? 'true' : 'false'}
                @mousedown=${(e: Event) => e.preventDefault()}
                @click=${() => this.choose(hit)}
              >
                ${hit.matchedAlias ? html`<span class="alias">${hit.matchedAlias}</span> ` : nothing}<span class="label">${hit.label}</span>
              </li>`,
            )}
            <li
              id="option-${free}"
              class="free"
              role="option"
              aria-selected=${this.active === free ? 'true' : 'false'}
              @mousedown=${(e: Event) => e.preventDefault()}
              @click=${() => this.chooseText()}
            >
              ${this.scope === 'public' ? html`Use “${text}” as I typed it` : html`Use “${text}” as an unverified address`}
            </li>
          </ul>`
        : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-address-search': OwAddressSearch;
  }
}
