import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { viewStyles } from '../components/shared-styles.ts';
import { ApiError } from '../data/api.ts';
import {
  createArticle,
  getArticle,
  getVersion,
  kbInsights,
  languageNames,
  listArticles,
  listVersions,
  previewMarkdown,
  restoreVersion,
  setStatus,
  updateArticle,
  type KbArticle,
  type KbArticleInput,
  type KbLanguage,
  type KbStatus,
} from '../data/kb.ts';

const blank: KbArticleInput = {
  slug: '',
  title: '',
  summary: '',
  body: '',
  callScript: '',
  phones: [],
  links: [],
  keywords: [],
  language: 'en',
  audience: 'public',
  owner: '',
  reviewDate: null,
  related: [],
  categories: [],
  problemCodes: [],
};

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);
/** "Label: number" lines ⇄ objects, so phones and links are edited as plain text. */
const pairs = <K extends string, V extends string>(text: string, k: K, v: V) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.lastIndexOf(' | ');
      return (at < 0 ? { [k]: line, [v]: '' } : { [k]: line.slice(0, at).trim(), [v]: line.slice(at + 3).trim() }) as Record<K | V, string>;
    });

/** Knowledge-base administration: the articles, their editor with preview and versions, and the insights. */
@customElement('ow-kb-admin-view')
export class OwKbAdminView extends LitElement {
  static override styles = [
    viewStyles,
    css`
      :host { max-width: none; }
      .layout { display: grid; grid-template-columns: minmax(16rem, 22rem) 1fr; gap: 1.5rem; align-items: start; }
      .articles { max-height: 70vh; overflow: auto; background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; }
      .articles button { display: block; width: 100%; text-align: left; border: 0; border-bottom: 1px solid var(--ow-border); border-radius: 0; background: none; }
      .articles button[aria-current='true'] { background: #dbe9f7; }
      .meta { font-size: 0.78rem; color: var(--ow-muted); }
      form { max-width: none; }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0.75rem; }
      textarea { font: inherit; font-weight: 400; padding: 0.45rem 0.6rem; border: 1px solid var(--ow-border); border-radius: 4px; }
      .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
      .preview { background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; padding: 0.5rem 1rem; min-height: 8rem; }
      .actions { display: flex; gap: 0.6rem; flex-wrap: wrap; align-items: center; }
      .flag { color: var(--ow-danger); font-weight: 600; }
      .insights { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; }
      .insights section { background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; padding: 0.4rem 0.8rem; }
      .insights h3 { font-size: 0.95rem; }
      ol { padding-left: 1.2rem; font-size: 0.9rem; }
    `,
  ];

  @state() private selected: string | null = null;
  @state() private creating = false;
  @state() private draft: KbArticleInput = { ...blank };
  @state() private current: KbArticle | null = null;
  @state() private previewHtml = '';
  @state() private error: ApiError | null = null;
  @state() private notice = '';
  @state() private statusFilter: KbStatus | '' = '';

  private readonly articles = new Task(this, {
    task: ([status], { signal }) => listArticles(status ? { status } : {}, signal),
    args: () => [this.statusFilter] as const,
  });
  private readonly insights = new Task(this, { task: (_args, { signal }) => kbInsights(signal), args: () => [] as const });
  private readonly versions = new Task(this, {
    task: ([slug], { signal }) => (slug ? listVersions(slug, signal) : Promise.resolve(null)),
    args: () => [this.selected] as const,
  });

  private async select(slug: string): Promise<void> {
    this.creating = false;
    this.selected = slug;
    this.error = null;
    this.notice = '';
    this.show(await getArticle(slug));
  }

  private show(article: KbArticle): void {
    this.current = article;
    this.selected = article.slug;
    const { bodyHtml, related, classification: _c, status: _s, version: _v, createdAt: _a, updatedAt: _u, counts: _n, ...rest } = article;
    this.draft = { ...rest, related: related.map((r) => r.slug) };
    this.previewHtml = bodyHtml;
  }

  /** Whether the form holds edits not yet saved (publishing or archiving would drop them). */
  private get unsaved(): boolean {
    if (!this.current) return false;
    const { bodyHtml: _h, related, classification: _c, status: _s, version: _v, createdAt: _a, updatedAt: _u, counts: _n, ...saved } = this.current;
    return JSON.stringify({ ...saved, related: related.map((r) => r.slug) }) !== JSON.stringify(this.draft);
  }

  private startNew(): void {
    this.creating = true;
    this.current = null;
    this.selected = null;
    this.draft = { ...blank };
    this.previewHtml = '';
    this.error = null;
    this.notice = '';
  }

  private async act(action: () => Promise<KbArticle>, done: string): Promise<void> {
    this.error = null;
    this.notice = '';
    try {
      const article = await action();
      this.creating = false;
      this.show(article);
      this.notice = done;
      void this.articles.run();
      void this.versions.run();
      void this.insights.run();
    } catch (error) {
      this.error = error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', String(error));
    }
  }

  private save(event: SubmitEvent): void {
    event.preventDefault();
    const { slug: _slug, ...content } = this.draft;
    const current = this.current;
    if (this.creating) void this.act(() => createArticle(this.draft), `Created “${this.draft.title}” as a draft.`);
    else if (current) void this.act(() => updateArticle(current.slug, { ...content, version: current.version }), 'Saved.');
  }

  private async preview(): Promise<void> {
    try {
      this.previewHtml = (await previewMarkdown(this.draft.body)).html;
    } catch (error) {
      this.error = error instanceof ApiError ? error : null;
    }
  }

  private fieldError(name: string) {
    const messages = (this.error?.details ?? []).filter((d) => d.field === `/body/${name}` || d.field.startsWith(`/body/${name}/`)).map((d) => d.message);
    return messages.length ? html`<span class="field-error" role="alert">${messages.join('; ')}</span>` : nothing;
  }

  private text(label: string, key: 'title' | 'summary' | 'owner' | 'slug', disabled = false) {
    return html`<label>${label}
      <input .value=${this.draft[key]} ?disabled=${disabled} @change=${(e: Event) => (this.draft = { ...this.draft, [key]: (e.target as HTMLInputElement).value })} />
      ${this.fieldError(key)}</label>`;
  }

  private renderEditor() {
    const d = this.draft;
    const a = this.current;
    const set = (patch: Partial<KbArticleInput>) => (this.draft = { ...this.draft, ...patch });
    const archivedRelated = a?.related.filter((r) => r.archived) ?? [];
    return html`<h2>${this.creating ? 'New article' : (a?.title ?? '')}</h2>
      ${a ? html`<p class="meta">${a.status} · version ${a.version} · ${a.counts.views} views · ${a.counts.uses} uses · ${a.counts.useful} useful / ${a.counts.notUseful} not</p>` : nothing}
      ${this.notice ? html`<div class="notice" role="status">${this.notice}</div>` : nothing}
      ${this.error ? html`<div class="form-error" role="alert">Not saved. ${this.error.details.length ? html`<ul>${this.error.details.map((d) => html`<li>${d.field.replace('/body/', '').replaceAll('/', ' › ')}: ${d.message}</li>`)}</ul>` : this.error.message}</div>` : nothing}
      ${archivedRelated.length ? html`<p class="flag" role="alert">Related to archived: ${archivedRelated.map((r) => r.title).join(', ')} — replace or remove the link.</p>` : nothing}
      <form @submit=${this.save} novalidate>
        <div class="grid">${this.text('Slug (the article’s address)', 'slug', !this.creating)} ${this.text('Title', 'title')} ${this.text('Owner', 'owner')}</div>
        ${this.text('Summary', 'summary')}
        <div class="grid">
          <label>Language
            <select @change=${(e: Event) => set({ language: (e.target as HTMLSelectElement).value as KbLanguage })}>
              ${Object.entries(languageNames).map(([code, name]) => html`<option value=${code} ?selected=${d.language === code}>${name}</option>`)}
            </select></label>
          <label>Audience
            <select @change=${(e: Event) => set({ audience: (e.target as HTMLSelectElement).value as 'desk' | 'public' })}>
              <option value="public" ?selected=${d.audience === 'public'}>Public (portal and desk)</option>
              <option value="desk" ?selected=${d.audience === 'desk'}>Desk only</option>
            </select></label>
          <label>Next review <input type="date" .value=${d.reviewDate ?? ''} @change=${(e: Event) => set({ reviewDate: (e.target as HTMLInputElement).value || null })} />${this.fieldError('reviewDate')}</label>
        </div>
        <label>Call script (read aloud) <textarea rows="3" .value=${d.callScript} @change=${(e: Event) => set({ callScript: (e.target as HTMLTextAreaElement).value })}></textarea></label>
        <div class="columns">
          <label>Body (Markdown) <textarea rows="14" .value=${d.body} @change=${(e: Event) => set({ body: (e.target as HTMLTextAreaElement).value })}></textarea>${this.fieldError('body')}</label>
          <div>
            <div class="actions"><strong>Preview</strong> <button type="button" @click=${() => void this.preview()}>Refresh preview</button></div>
            <div class="preview" aria-label="Preview">${unsafeHTML(this.previewHtml)}</div>
          </div>
        </div>
        <div class="grid">
          <label>Phones, one per line: label | number
            <textarea rows="3" .value=${d.phones.map((p) => `${p.label} | ${p.number}`).join('\n')} @change=${(e: Event) => set({ phones: pairs((e.target as HTMLTextAreaElement).value, 'label', 'number') })}></textarea>${this.fieldError('phones')}</label>
          <label>Links, one per line: label | https://…
            <textarea rows="3" .value=${d.links.map((l) => `${l.label} | ${l.url}`).join('\n')} @change=${(e: Event) => set({ links: pairs((e.target as HTMLTextAreaElement).value, 'label', 'url') })}></textarea>${this.fieldError('links')}</label>
        </div>
        <div class="grid">
          <label>Keywords, comma-separated <input .value=${d.keywords.join(', ')} @change=${(e: Event) => set({ keywords: list((e.target as HTMLInputElement).value) })} /></label>
          <label>Related articles (slugs) <input .value=${d.related.join(', ')} @change=${(e: Event) => set({ related: list((e.target as HTMLInputElement).value) })} />${this.fieldError('related')}</label>
          <label>Categories (codes) <input .value=${d.categories.join(', ')} @change=${(e: Event) => set({ categories: list((e.target as HTMLInputElement).value) })} />${this.fieldError('categories')}</label>
          <label>Problem codes <input .value=${d.problemCodes.join(', ')} @change=${(e: Event) => set({ problemCodes: list((e.target as HTMLInputElement).value) })} />${this.fieldError('problemCodes')}</label>
        </div>
        <div class="actions">
          <button class="primary" type="submit">${this.creating ? 'Create draft' : 'Save'}</button>
          ${a && a.status !== 'published' ? html`<button type="button" ?disabled=${this.unsaved} title=${this.unsaved ? 'Save your changes first' : ''} @click=${() => void this.act(() => setStatus(a.slug, a.version, 'published'), 'Published.')}>Publish</button>` : nothing}
          ${a && a.status !== 'archived' ? html`<button type="button" ?disabled=${this.unsaved} title=${this.unsaved ? 'Save your changes first' : ''} @click=${() => void this.act(() => setStatus(a.slug, a.version, 'archived'), 'Archived.')}>Archive</button>` : nothing}
          ${this.unsaved ? html`<span class="meta">Unsaved changes: save them before publishing or archiving.</span>` : nothing}
        </div>
      </form>
      ${a
        ? html`<h2>Versions</h2>
            ${this.versions.render({
              complete: (v) =>
                v
                  ? html`<ol reversed>
                      ${v.items.map(
                        (x) => html`<li>
                          version ${x.version}, ${new Date(x.changedAt).toLocaleString()} by ${x.changedByLabel}${x.note ? ` — ${x.note}` : ''}
                          ${x.version !== a.version
                            ? html`<button type="button" @click=${async () => { this.previewHtml = (await getVersion(a.slug, x.version)).bodyHtml; }}>View</button>
                                <button type="button" @click=${() => void this.act(() => restoreVersion(a.slug, a.version, x.version), `Restored version ${x.version}.`)}>Restore</button>`
                            : html`(current)`}
                        </li>`,
                      )}
                    </ol>`
                  : nothing,
            })}`
        : nothing}`;
  }

  private renderInsights() {
    return this.insights.render({
      complete: (i) => html`<div class="insights">
        <section><h3>Most used</h3><ol>${i.topArticles.map((x) => html`<li>${x.title} — ${x.uses} uses, ${x.views} views</li>`)}</ol></section>
        <section><h3>Rated poorly</h3><ol>${i.poorlyRated.map((x) => html`<li>${x.title} — ${x.notUseful} not useful of ${x.useful + x.notUseful}</li>`)}</ol></section>
        <section><h3>Searches with no answer</h3><ol>${i.searchMisses.map((x) => html`<li>“${x.query}” × ${x.count}</li>`)}</ol></section>
        <section><h3>Due for review</h3><ol>${i.dueForReview.map((x) => html`<li><button type="button" class="link" @click=${() => void this.select(x.slug)}>${x.title}</button> (${x.reviewDate}, ${x.owner})</li>`)}</ol></section>
      </div>`,
    });
  }

  override render() {
    return html`<h1>Knowledge base</h1>
      ${this.renderInsights()}
      <div class="layout">
        <aside>
          <div class="actions">
            <button type="button" @click=${this.startNew}>New article</button>
            <label>Show
              <select @change=${(e: Event) => (this.statusFilter = (e.target as HTMLSelectElement).value as KbStatus | '')}>
                <option value="">all</option><option value="draft">drafts</option><option value="published">published</option><option value="archived">archived</option>
              </select></label>
          </div>
          ${this.articles.render({
            pending: () => html`<p>Loading…</p>`,
            complete: ({ items, total }) => html`<p class="meta">${total} articles</p>
              <nav class="articles" aria-label="Articles">
                ${items.map(
                  (x) => html`<button type="button" aria-current=${x.slug === this.selected ? 'true' : 'false'} @click=${() => void this.select(x.slug)}>
                    ${x.title}<div class="meta">${x.status} · ${x.language} · ${x.audience}${x.reviewDate ? ` · review ${x.reviewDate}` : ''}</div>
                  </button>`,
                )}
              </nav>`,
          })}
        </aside>
        <div>${this.creating || this.current ? this.renderEditor() : html`<p>Choose an article, or write a new one.</p>`}</div>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-kb-admin-view': OwKbAdminView;
  }
}
