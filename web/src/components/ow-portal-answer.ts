import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { getAnswer, rateAnswer, type PublicArticle } from '../data/portal.ts';
import { portalStyles, problemsOf } from './portal-shared.ts';

/** One published answer of the knowledge base, and "did this answer your question?". */
@customElement('ow-portal-answer')
export class OwPortalAnswer extends LitElement {
  static override styles = [
    portalStyles,
    css`
      article { background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 6px; padding: 1rem 1.4rem; max-width: 46rem; }
      .summary { font-size: 1.05rem; color: inherit; }
      .body { line-height: 1.55; }
      ul.plain { list-style: none; padding: 0; display: grid; gap: 0.3rem; }
      .rate { margin-top: 1.2rem; border-top: 1px solid var(--ow-border); padding-top: 0.9rem; display: grid; gap: 0.6rem; max-width: 40rem; }
    `,
  ];

  @property() slug = '';

  @state() private article: PublicArticle | null = null;
  @state() private message = '';
  @state() private rating: 'ask' | 'note' | 'thanks' = 'ask';
  @state() private note = '';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('slug') && this.slug) void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.article = await getAnswer(this.slug);
      this.message = '';
      this.rating = 'ask';
      this.note = '';
    } catch (error) {
      this.article = null;
      this.message = problemsOf(error).message;
    }
  }

  private async rate(useful: boolean, note = ''): Promise<void> {
    try {
      await rateAnswer(this.slug, useful, note);
      this.rating = 'thanks';
      this.message = '';
    } catch (error) {
      this.message = problemsOf(error).message;
    }
  }

  private renderRating() {
    if (this.rating === 'thanks') return html`<p role="status">Thank you: your rating helps us improve the answers.</p>`;
    if (this.rating === 'note') {
      return html`<label>What was missing or wrong? (optional)
          <textarea rows="3" maxlength="1000" .value=${this.note} @input=${(e: Event) => (this.note = (e.target as HTMLTextAreaElement).value)}></textarea></label>
        <div class="row"><button type="button" class="primary" @click=${() => this.rate(false, this.note)}>Send</button>
          <a href="/portal/comment">Or ask us in a comment</a></div>`;
    }
    return html`<div class="row" role="group" aria-label="Did this answer your question?">
      <span>Did this answer your question?</span>
      <button type="button" @click=${() => this.rate(true)}>Yes</button>
      <button type="button" @click=${() => (this.rating = 'note')}>No</button>
    </div>`;
  }

  override render() {
    const a = this.article;
    if (!a) return this.message ? html`<p class="error" role="alert">${this.message}</p>` : html`<p>Loading…</p>`;
    return html`<article>
      <h2>${a.title}</h2>
      ${a.summary ? html`<p class="summary">${a.summary}</p>` : nothing}
      <!-- Rendered by the server from Markdown with raw HTML turned off. -->
      <div class="body">${unsafeHTML(a.bodyHtml)}</div>
      ${a.phones.length > 0 ? html`<h3>Phone</h3><ul class="plain">${a.phones.map((p) => html`<li>${p.label}: <a href="tel:${p.number.replace(/[^0-9+]/g, '')}">${p.number}</a></li>`)}</ul>` : nothing}
      ${a.links.length > 0 ? html`<h3>Links</h3><ul class="plain">${a.links.map((l) => html`<li><a href=${l.url} rel="noopener noreferrer">${l.label}</a></li>`)}</ul>` : nothing}
      ${a.related.length > 0 ? html`<h3>Related</h3><ul class="plain">${a.related.map((r) => html`<li><a href="/portal/answers/${r.slug}">${r.title}</a></li>`)}</ul>` : nothing}
      <section class="rate" aria-label="Rate this answer">${this.renderRating()}${this.message ? html`<p class="error" role="alert">${this.message}</p>` : nothing}</section>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-portal-answer': OwPortalAnswer;
  }
}
