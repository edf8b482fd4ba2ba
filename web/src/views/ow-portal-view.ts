import type { RouterLocation } from '@vaadin/router';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { viewStyles } from '../components/shared-styles.ts';
import '../components/ow-portal-answer.ts';
import '../components/ow-portal-comment.ts';
import '../components/ow-portal-report.ts';
import '../components/ow-portal-track.ts';
import { LatestRequest } from '../data/latest.ts';
import { searchAnswers, searchServices, type ServiceHit } from '../data/portal.ts';
import type { KbHit } from '../data/kb.ts';

type Section = 'home' | 'report' | 'track' | 'answers' | 'comment';

const sections: { section: Exclude<Section, 'answers'>; path: string; label: string }[] = [
  { section: 'home', path: '/portal', label: 'Find an answer' },
  { section: 'report', path: '/portal/report', label: 'Report a problem' },
  { section: 'track', path: '/portal/track', label: 'Check on a request' },
  { section: 'comment', path: '/portal/comment', label: 'Send a comment' },
];

const titles: Record<Section, string> = {
  home: 'How can we help?',
  report: 'Report a problem',
  track: 'Check on a request',
  answers: 'Answer',
  comment: 'Send a comment',
};

/**
 * The public portal, for residents without an account: find an answer (type, choose, read: three
 * steps), report a problem, look a request up by its number, send a comment. Each part has its own
 * address (/portal/report, /portal/track/2026-000123, /portal/answers/trash-day…) to share or bookmark.
 */
@customElement('ow-portal-view')
export class OwPortalView extends LitElement {
  static override styles = [
    viewStyles,
    css`
      nav ul { display: flex; gap: 0.4rem; flex-wrap: wrap; list-style: none; padding: 0; margin: 0 0 1.2rem; }
      nav a { display: block; padding: 0.45rem 0.9rem; border: 1px solid var(--ow-border); border-radius: 999px; text-decoration: none; background: var(--ow-surface); }
      nav a[aria-current='page'] { background: var(--ow-accent); color: var(--ow-accent-text); border-color: var(--ow-accent); font-weight: 600; }
      .search { display: grid; gap: 0.3rem; max-width: 40rem; font-size: 1rem; }
      .search input { font-size: 1.1rem; padding: 0.65rem 0.8rem; }
      .results { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1.5rem; margin-top: 1rem; max-width: 60rem; }
      .results ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.6rem; }
      .results li a { font-weight: 600; }
      .results p { margin: 0.15rem 0 0; font-size: 0.9rem; }
      mark { background: #fff3b0; color: inherit; }
    `,
  ];

  @property({ attribute: false }) location?: RouterLocation;

  @state() private q = '';
  @state() private answers: KbHit[] = [];
  @state() private services: ServiceHit[] = [];
  @state() private searched = '';
  @state() private message = '';

  private readonly latest = new LatestRequest<[{ hits: KbHit[] }, { hits: ServiceHit[] }]>(200);

  private get section(): Section {
    const name = this.location?.params['section'];
    return typeof name === 'string' && name in titles ? (name as Section) : 'home';
  }

  private param(name: string): string {
    const value = this.location?.params[name];
    return typeof value === 'string' ? value : '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.latest.cancel();
  }

  private onSearch(event: Event): void {
    this.q = (event.target as HTMLInputElement).value;
    const q = this.q.trim();
    if (!q) {
      this.latest.cancel();
      this.searched = '';
      return;
    }
    this.latest.later(() =>
      void this.latest.now(
        (signal) => Promise.all([searchAnswers(q, signal), searchServices(q, signal)]),
        ([answers, services]) => {
          this.answers = answers.hits;
          this.services = services.hits;
          this.searched = q;
          this.message = '';
        },
        () => (this.message = 'The search is not available just now. Please try again in a moment, or call 311.'),
      ),
    );
  }

  private renderHome() {
    const q = this.q.trim();
    const current = this.searched !== '' && this.searched === q;
    return html`<label class="search">Search for an answer or a service
        <input type="search" name="q" autocomplete="off" placeholder="trash day, parking permit, pothole…" .value=${this.q} @input=${this.onSearch} autofocus />
      </label>
      ${this.message ? html`<p class="form-error" role="alert">${this.message}</p>` : nothing}
      ${current
        ? html`<div class="results" role="region" aria-label="Search results">
            <section>
              <h2>Answers</h2>
              ${this.answers.length === 0
                ? html`<p role="status">No answer matches “${q}”. Try other words, <a href="/portal/comment">ask us in a comment</a>, or call 311.</p>`
                : html`<ul>${this.answers.map((a) => html`<li><a href="/portal/answers/${a.slug}">${a.title}</a><p>${a.summary || a.snippet.map((s) => (s.hit ? html`<mark>${s.text}</mark>` : s.text))}</p></li>`)}</ul>`}
            </section>
            <section>
              <h2>Report a problem</h2>
              ${this.services.length === 0
                ? html`<p>No service matches “${q}”.</p>`
                : html`<ul>${this.services.map((s) => html`<li><a href="/portal/report/${s.code}">${s.name}</a><p>${s.path}</p></li>`)}</ul>`}
            </section>
          </div>`
        : html`<p>Type a few words: answers to common questions and the problems you can report appear as you type. You can also <a href="/portal/track">check on a request</a> with its number.</p>`}`;
  }

  private renderSection() {
    switch (this.section) {
      case 'report':
        return html`<ow-portal-report .service=${this.param('code')}></ow-portal-report>`;
      case 'track':
        return html`<ow-portal-track .number=${this.param('code')}></ow-portal-track>`;
      case 'answers':
        return html`<ow-portal-answer .slug=${this.param('code')}></ow-portal-answer>`;
      case 'comment':
        return html`<ow-portal-comment></ow-portal-comment>`;
      default:
        return this.renderHome();
    }
  }

  override render() {
    const section = this.section;
    return html`<nav aria-label="Portal">
        <ul>${sections.map((s) => html`<li><a href=${s.path} aria-current=${s.section === section || (section === 'answers' && s.section === 'home') ? 'page' : 'false'}>${s.label}</a></li>`)}</ul>
      </nav>
      <h1>${titles[section]}</h1>
      ${this.renderSection()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-portal-view': OwPortalView;
  }
}
