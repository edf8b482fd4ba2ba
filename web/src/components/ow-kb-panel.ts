import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { ApiError } from '../data/api.ts';
import { getArticle, languageNames, rateArticle, recordUse, recordView, searchKb, type KbArticle, type KbHit, type SnippetPart } from '../data/kb.ts';
import { fire } from '../events.ts';

/**
 * The clerk's knowledge base: type, pick with ↑/↓ and Enter, read. The call script comes first, in
 * large type; related articles are one click away; "This answered the caller" records the use (and
 * fires `ow-kb-article-used` for the desk to attach to the request). Escape goes back to the results.
 */
@customElement('ow-kb-panel')
export class OwKbPanel extends LitElement {
  static override styles = css`
    :host { display: block; background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 6px; padding: 0.9rem 1rem; }
    h2 { font-size: 1.05rem; margin: 0 0 0.6rem; }
    label { display: grid; gap: 0.25rem; font-weight: 600; font-size: 0.9rem; }
    input, textarea { font: inherit; font-weight: 400; padding: 0.45rem 0.6rem; border: 1px solid var(--ow-border); border-radius: 4px; }
    ul[role='listbox'] { list-style: none; margin: 0.6rem 0 0; padding: 0; display: grid; gap: 0.2rem; }
    li[role='option'] { padding: 0.45rem 0.6rem; border-radius: 4px; cursor: pointer; border: 1px solid transparent; }
    li[aria-selected='true'] { background: #e6f0fa; border-color: #b6d0ea; }
    .title { font-weight: 600; }
    .snippet { color: var(--ow-muted); font-size: 0.88rem; margin-top: 0.15rem; }
    mark { background: #fff1a8; color: inherit; padding: 0 0.05em; }
    .lang { font-size: 0.72rem; background: #eef1f4; border-radius: 999px; padding: 0.05rem 0.45rem; margin-left: 0.35rem; color: var(--ow-muted); }
    .script { font-size: 1.15rem; line-height: 1.55; background: #eef6ee; border-left: 5px solid #2e7d32; padding: 0.7rem 0.9rem; margin: 0.6rem 0; }
    .script h3 { margin: 0 0 0.3rem; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: #2e7d32; }
    .body { line-height: 1.5; }
    .body :is(h1, h2, h3) { font-size: 1rem; }
    .row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-top: 0.6rem; }
    button { font: inherit; font-size: 0.9rem; padding: 0.4rem 0.8rem; border: 1px solid var(--ow-border); border-radius: 4px; background: #fff; cursor: pointer; }
    button.primary { background: var(--ow-accent); color: #fff; border-color: var(--ow-accent); font-weight: 600; }
    button.link { border: 0; background: none; color: var(--ow-accent); text-decoration: underline; padding: 0.1rem 0; }
    .status { color: var(--ow-muted); font-size: 0.88rem; margin-top: 0.5rem; }
    .done { color: #0f5132; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 0.8rem; margin: 0.4rem 0; }
    dt { color: var(--ow-muted); }
    :focus-visible { outline: 3px solid var(--ow-focus); outline-offset: 1px; }
  `;

  /** The customer request being handled: "This answered the caller" is then the desk's to attach. */
  @property() requestNumber?: string;

  @state() private query = '';
  @state() private hits: KbHit[] = [];
  @state() private active = 0;
  @state() private article: KbArticle | null = null;
  @state() private message = '';
  @state() private used = false;
  @state() private rated: 'useful' | 'not-useful' | null = null;

  private controller?: AbortController;
  private timer?: ReturnType<typeof setTimeout>;

  override focus(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=search]')?.focus();
  }

  private onInput(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.search(), 80);
  }

  private async search(): Promise<void> {
    this.controller?.abort();
    const q = this.query.trim();
    if (!q) {
      this.hits = [];
      this.message = '';
      return;
    }
    const controller = (this.controller = new AbortController());
    try {
      const { hits } = await searchKb(q, controller.signal);
      if (controller.signal.aborted) return;
      this.hits = hits;
      this.active = 0;
      this.message = hits.length ? `${hits.length} article${hits.length === 1 ? '' : 's'}` : `Nothing found for “${q}”. It has been noted for the knowledge-base team.`;
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      this.message = error instanceof ApiError ? error.summary : String(error);
    }
  }

  private async open(slug: string): Promise<void> {
    try {
      this.article = await getArticle(slug);
      this.used = false;
      this.rated = null;
      void recordView(slug).catch(() => undefined);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.article h2')?.focus();
    } catch (error) {
      this.message = error instanceof ApiError ? error.summary : String(error);
    }
  }

  private back(): void {
    this.article = null;
    void this.updateComplete.then(() => this.focus());
  }

  private onSearchKeydown(event: KeyboardEvent): void {
    if (!this.hits.length) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      this.active = (this.active + (event.key === 'ArrowDown' ? 1 : -1) + this.hits.length) % this.hits.length;
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void this.open(this.hits[this.active]!.slug);
    }
  }

  private async markUsed(article: KbArticle): Promise<void> {
    try {
      // On a request, the desk attaches the article (in turn with its other saves); otherwise the use is recorded here.
      if (!this.requestNumber) await recordUse(article.slug);
      fire(this, 'ow-kb-article-used', { slug: article.slug, title: article.title });
      this.used = true;
    } catch (error) {
      this.message = error instanceof ApiError ? error.summary : String(error);
    }
  }

  private async rate(article: KbArticle, useful: boolean): Promise<void> {
    const note = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea[name=note]')?.value ?? '';
    try {
      await rateArticle(article.slug, useful, note);
      this.rated = useful ? 'useful' : 'not-useful';
    } catch (error) {
      this.message = error instanceof ApiError ? error.summary : String(error);
    }
  }

  private renderSnippet(parts: SnippetPart[]) {
    return parts.map((p) => (p.hit ? html`<mark>${p.text}</mark>` : p.text));
  }

  private renderArticle(a: KbArticle) {
    return html`<div class="article" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.back()}>
      <button type="button" class="link" @click=${this.back}>← Back to results</button>
      <h2 tabindex="-1">${a.title}${a.language !== 'en' ? html`<span class="lang">${languageNames[a.language as keyof typeof languageNames] ?? a.language}</span>` : nothing}</h2>
      ${a.callScript ? html`<section class="script" aria-label="Call script"><h3>Read to the caller</h3>${a.callScript}</section>` : nothing}
      <div class="row">
        ${this.used
          ? html`<span class="done" role="status">Recorded as the answer to this call.</span>`
          : html`<button type="button" class="primary" @click=${() => void this.markUsed(a)}>This answered the caller</button>`}
      </div>
      ${a.phones.length
        ? html`<dl aria-label="Phone numbers">${a.phones.map((p) => html`<dt>${p.label}</dt><dd><a href="tel:${p.number.replace(/[^0-9+]/g, '')}">${p.number}</a></dd>`)}</dl>`
        : nothing}
      <div class="body">${unsafeHTML(a.bodyHtml)}</div>
      ${a.links.length ? html`<p>${a.links.map((l) => html`<a href=${l.url} target="_blank" rel="noopener noreferrer">${l.label}</a> `)}</p>` : nothing}
      ${a.related.length
        ? html`<h3>Related</h3>
            <ul>${a.related.map((r) => html`<li><button type="button" class="link" @click=${() => void this.open(r.slug)}>${r.title}</button></li>`)}</ul>`
        : nothing}
      <div class="row" role="group" aria-label="Was this article useful?">
        ${this.rated
          ? html`<span class="done" role="status">Thank you: rated ${this.rated === 'useful' ? 'useful' : 'not useful'}.</span>`
          : html`<label>Note for the knowledge-base team (optional) <textarea name="note" rows="2"></textarea></label>
              <button type="button" @click=${() => void this.rate(a, true)}>Useful</button>
              <button type="button" @click=${() => void this.rate(a, false)}>Not useful</button>`}
      </div>
    </div>`;
  }

  override render() {
    if (this.article) return this.renderArticle(this.article);
    return html`<h2>Knowledge base</h2>
      <label>Search answers
        <input
          type="search"
          role="combobox"
          aria-controls="kb-hits"
          aria-expanded=${this.hits.length > 0 ? 'true' : 'false'}
          aria-activedescendant=${this.hits.length ? `kb-hit-${this.active}` : ''}
          placeholder="What is the caller asking? e.g. trash day"
          .value=${this.query}
          @input=${this.onInput}
          @keydown=${this.onSearchKeydown}
      /></label>
      ${this.hits.length
        ? html`<ul id="kb-hits" role="listbox" aria-label="Articles">
            ${this.hits.map(
              (h, i) => html`<li id="kb-hit-${i}" role="option" aria-selected=${i === this.active ? 'true' : 'false'} @click=${() => void this.open(h.slug)}>
                <div class="title">${h.title}${h.language !== 'en' ? html`<span class="lang">${h.language}</span>` : nothing}</div>
                <div class="snippet">${this.renderSnippet(h.snippet)}</div>
              </li>`,
            )}
          </ul>`
        : nothing}
      <div class="status" role="status">${this.message}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-kb-panel': OwKbPanel;
  }
}
