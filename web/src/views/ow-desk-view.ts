import type { RouterLocation } from '@vaadin/router';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '../components/ow-address-search.ts';
import '../components/ow-caller-panel.ts';
import '../components/ow-duplicate-candidates.ts';
import '../components/ow-kb-panel.ts';
import '../components/ow-problem-code-search.ts';
import '../components/ow-question-preview.ts';
import { viewStyles } from '../components/shared-styles.ts';
import { ApiError } from '../data/api.ts';
import { getNode, getTree, type NodeDetail, type Question, type TreeNode } from '../data/hierarchy.ts';
import {
  addArticle,
  cancelRequest,
  channelNames,
  commentKindNames,
  completeRequest,
  convertRequest,
  createRequest,
  deskChannels,
  getRequest,
  listRequests,
  promiseWords,
  removeArticle,
  replyMethodNames,
  statusNames,
  typeNames,
  updateRequest,
  type Answer,
  type Channel,
  type CommentKind,
  type CustomerRequest,
  type FileResult,
  type ReplyMethod,
  type RequestChanges,
  type RequestListItem,
  type RequestType,
} from '../data/requests.ts';

const channelKey = 'ow-desk-channel';

/** mm:ss (or h:mm:ss) between two instants. */
function elapsed(fromIso: string, to: number): string {
  const total = Math.max(0, Math.floor((to - Date.parse(fromIso)) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** What became of a request the clerk finished, in a sentence. */
function outcome(r: CustomerRequest): string {
  const said: Record<CustomerRequest['status'], string> = {
    open: 'is still open',
    ready: 'is ready for its work order',
    in_progress: `is on work order ${r.workOrder?.number ?? ''}`,
    awaiting_reply: 'is saved and waits in “replies owed”',
    closed: 'is closed',
    cancelled: `is cancelled: ${r.cancelReason}`,
  };
  return `Request ${r.number} ${said[r.status]}.`;
}

/**
 * The clerk's desk. Alt+N starts a contact: the request is saved at once (its number is in the URL,
 * so a reload mid-call comes back to it), then the caller, the type and the type's form follow, each
 * change saved as the clerk leaves a field. A completed action request shows its likely duplicates at
 * once: the clerk links it to one or creates new work, then reads the promise date to the caller.
 * Keyboard: Alt+N new contact, Alt+1/2/3 information / action / comment, Alt+C caller search, Alt+K
 * knowledge base, Ctrl+Enter complete, Alt+W the work order (likely duplicates), Alt+A another
 * request for the same caller.
 */
@customElement('ow-desk-view')
export class OwDeskView extends LitElement {
  static override styles = [
    viewStyles,
    css`
      :host { max-width: none; }
      .bar { display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: center; margin-bottom: 1rem; }
      .bar h1 { margin: 0; }
      .timer { font-variant-numeric: tabular-nums; font-size: 1.25rem; font-weight: 700; background: #eef1f4; border-radius: 4px; padding: 0.15rem 0.6rem; }
      .pill { font-size: 0.85rem; background: #eef1f4; border-radius: 999px; padding: 0.15rem 0.6rem; }
      .layout { display: grid; grid-template-columns: minmax(15rem, 19rem) minmax(0, 1fr) minmax(18rem, 27rem); gap: 1.25rem; align-items: start; }
      .layout > *, section.card > * { min-width: 0; }
      section.card :is(select, textarea, input:not([type='checkbox']):not([type='radio'])) { width: 100%; box-sizing: border-box; }
      button.primary kbd { color: inherit; background: transparent; border-color: currentColor; }
      .start-layout { grid-template-columns: minmax(0, 1fr) minmax(20rem, 30rem); }
      @media (max-width: 1100px) { .layout { grid-template-columns: minmax(0, 1fr); } }
      section.card { background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 6px; padding: 0.9rem 1rem; display: grid; gap: 0.8rem; }
      section.card h2 { margin: 0; font-size: 1.05rem; }
      fieldset { border: 1px solid var(--ow-border); border-radius: 4px; margin: 0; padding: 0.5rem 0.75rem; display: flex; flex-wrap: wrap; gap: 0.5rem 1.2rem; }
      fieldset.plain { border: 0; padding: 0; }
      legend { font-weight: 600; font-size: 0.9rem; padding: 0 0.25rem; }
      .choice { display: flex; gap: 0.35rem; align-items: center; font-weight: 400; }
      textarea { font: inherit; font-weight: 400; padding: 0.45rem 0.6rem; border: 1px solid var(--ow-border); border-radius: 4px; resize: vertical; }
      textarea[aria-invalid='true'] { border-color: var(--ow-danger); }
      .row { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: end; }
      .row label { flex: 1 1 8rem; }
      .path { color: var(--ow-muted); font-size: 0.88rem; }
      .muted { color: var(--ow-muted); font-size: 0.88rem; }
      .verified { color: #0f5132; font-weight: 600; }
      .unverified { color: #8a5300; font-weight: 600; }
      ul.plain { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; }
      kbd { font: inherit; font-size: 0.8rem; border: 1px solid var(--ow-border); border-bottom-width: 2px; border-radius: 3px; padding: 0 0.3rem; background: #fff; }
      .start { display: grid; gap: 1rem; max-width: 34rem; }
      .done { display: grid; gap: 0.6rem; }
      .saving { color: var(--ow-muted); font-size: 0.85rem; }
      .middle { display: grid; gap: 1.25rem; align-content: start; }
      .promise { font-size: 1.15rem; line-height: 1.5; background: #eef6ee; border-left: 5px solid #2e7d32; border-radius: 4px; padding: 0.7rem 0.9rem; margin: 0; color: var(--ow-text); max-width: none; }
      .promise h3 { margin: 0 0 0.3rem; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: #2e7d32; }
      .promise .reason { font-size: 0.9rem; color: var(--ow-muted); margin: 0.3rem 0 0; }
    `,
  ];

  /** Set by the router: /desk or /desk/<number>. */
  @property({ attribute: false }) location?: RouterLocation;

  @state() private request: CustomerRequest | null = null;
  @state() private code: NodeDetail | null = null;
  @state() private errors: Record<string, string> = {};
  @state() private message = '';
  @state() private notice = '';
  @state() private now = Date.now();
  @state() private channel: Channel = (localStorage.getItem(channelKey) as Channel | null) ?? 'phone';
  @state() private earlier: RequestListItem[] = [];
  @state() private aboutOptions: { code: string; name: string }[] = [];
  @state() private cancelling = false;
  @state() private pending = 0;
  /** How the request shown got its work order, when it happened here: linked to an existing one, or new. */
  @state() private filed: { number: string; linked: boolean } | null = null;

  private clock?: ReturnType<typeof setInterval>;
  /** The Idempotency-Key of a creation not yet answered, and what it asked for. */
  private creating?: { asked: string; key: string };
  /** Saves go one after another, each with the version the one before returned. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly onKey = (event: KeyboardEvent) => this.shortcut(event);
  /** The request's version once the saves on their way are done. */
  private readonly settled = async (): Promise<number> => {
    await this.queue;
    return this.request?.version ?? 0;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKey);
    this.clock = setInterval(() => (this.now = Date.now()), 1000);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('keydown', this.onKey);
    clearInterval(this.clock);
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('location')) {
      const number = (this.location?.params as Record<string, string> | undefined)?.['number'];
      if (number && number !== this.request?.number) void this.load(number);
      if (!number) this.request = null;
    }
  }

  private async load(number: string, keepMessage = false): Promise<void> {
    try {
      this.show(await getRequest(number));
      this.errors = {};
      if (!keepMessage) this.message = '';
    } catch (error) {
      this.message = error instanceof ApiError ? error.summary : String(error);
    }
  }

  /** Shows `request`, and fetches what depends on it (the code's questions, the caller's other requests). */
  private show(request: CustomerRequest): void {
    const before = this.request;
    this.request = request;
    if (request.problemCode && request.problemCode !== this.code?.code) void getNode(request.problemCode).then((n) => (this.code = n), () => (this.code = null));
    if (!request.problemCode) this.code = null;
    if (request.contact?.id !== before?.contact?.id || before?.number !== request.number) void this.loadEarlier(request);
    if (request.type === 'comment' && this.aboutOptions.length === 0) void this.loadAboutOptions();
  }

  private async loadEarlier(request: CustomerRequest): Promise<void> {
    if (!request.contact) {
      this.earlier = [];
      return;
    }
    const { items } = await listRequests({ contactId: request.contact.id, limit: 10 });
    this.earlier = items.filter((i) => i.number !== request.number);
  }

  private async loadAboutOptions(): Promise<void> {
    const tree = await getTree(false);
    const flat: { code: string; name: string }[] = [];
    const walk = (nodes: TreeNode[], prefix: string) => {
      for (const n of nodes) {
        if (n.level !== 'department' && n.level !== 'provider') continue;
        flat.push({ code: n.code, name: prefix + n.name });
        walk(n.children, `${n.name} › `);
      }
    };
    walk(tree, '');
    this.aboutOptions = flat;
  }

  private fail(error: unknown): void {
    if (error instanceof ApiError) {
      this.errors = Object.fromEntries(error.details.map((d) => [d.field.replace(/^\/body/, ''), d.message]));
      this.message = error.details.length ? 'Please check the fields marked below.' : error.summary;
      if (error.code === 'VERSION_CONFLICT' && this.request) {
        this.message = 'This request was changed elsewhere and is shown as saved now; your last change was not saved. Make it again.';
        void this.load(this.request.number, true);
      }
    } else this.message = String(error);
  }

  /** Runs `step` after the saves before it; `step` gets the request as it is now. */
  private enqueue(step: (r: CustomerRequest) => Promise<CustomerRequest>, done?: (r: CustomerRequest) => void): Promise<void> {
    this.pending++;
    const run = this.queue.then(async () => {
      try {
        if (!this.request) return;
        const updated = await step(this.request);
        this.errors = {};
        this.message = '';
        this.show(updated);
        done?.(updated);
      } catch (error) {
        this.fail(error);
      } finally {
        this.pending--;
      }
    });
    this.queue = run;
    return run;
  }

  private save(changes: RequestChanges): Promise<void> {
    return this.enqueue((r) => updateRequest(r.number, r.version, changes));
  }

  /** The ready request the clerk was warned about leaving without a work order (a second press leaves it). */
  private leavingReady: string | null = null;

  private async newContact(sameContactAs?: string): Promise<void> {
    if (this.pending > 0) await this.queue;
    const r = this.request;
    // Action requests always end on a work order: moving on from one that is not yet asks once.
    if (r?.type === 'action' && r.status === 'ready' && this.leavingReady !== r.number) {
      this.leavingReady = r.number;
      this.message = `${r.number} is not on a work order yet: link it to one or make new work (Alt+W) before you move on. Press the same key again to leave it ready; it stays in Requests under “Ready for work order”.`;
      await this.updateComplete;
      this.renderRoot.querySelector('ow-duplicate-candidates')?.focus();
      return;
    }
    this.leavingReady = null;
    try {
      // The same key until a creation succeeds: pressing again after a lost answer gets the request
      // the server already made, never a second one.
      const body = sameContactAs ? { sameContactAs } : { channel: this.channel };
      const asked = JSON.stringify(body);
      if (this.creating?.asked !== asked) this.creating = { asked, key: crypto.randomUUID() };
      const request = await createRequest(body, this.creating.key);
      this.creating = undefined;
      this.code = null;
      this.errors = {};
      this.message = '';
      this.notice = '';
      this.show(request);
      // The address bar names the request (a reload mid-call comes back to it) without the router
      // replacing this view, so the focus stays where the clerk works.
      window.history.pushState(null, '', `/desk/${request.number}`);
      await this.updateComplete;
      if (sameContactAs) this.focusType();
      else {
        const caller = this.renderRoot.querySelector('ow-caller-panel');
        caller?.reset();
        await caller?.updateComplete;
        caller?.focus();
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private focusType(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[name=type]:checked, input[name=type]')?.focus();
  }

  /** Leaves the field being typed in, so its change is saved before a shortcut moves on. */
  private commitField(): void {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    (active as HTMLElement | null)?.blur?.();
  }

  private shortcut(event: KeyboardEvent): void {
    if (event.altKey && !event.ctrlKey && !event.metaKey) {
      const r = this.request;
      const open = r?.status === 'open';
      const byCode: Record<string, () => void> = {
        KeyN: () => void this.newContact(),
        KeyA: () => r && r.status !== 'open' && void this.newContact(r.number),
        Digit1: () => open && this.chooseType('information'),
        Digit2: () => open && this.chooseType('action'),
        Digit3: () => open && this.chooseType('comment'),
        KeyC: () => this.renderRoot.querySelector('ow-caller-panel')?.focus(),
        KeyK: () => this.renderRoot.querySelector('ow-kb-panel')?.focus(),
        // After the field just left is saved: the decision goes with the request's latest version.
        KeyW: () => void this.queue.then(() => this.updateComplete).then(() => this.renderRoot.querySelector('ow-duplicate-candidates')?.focus()),
      };
      const act = byCode[event.code];
      if (act) {
        event.preventDefault();
        if (event.code !== 'KeyC' && event.code !== 'KeyK') this.commitField();
        act();
      }
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && this.request?.status === 'open') {
      event.preventDefault();
      // The field being typed in saves on change; leave it first so its value goes with the completion.
      this.commitField();
      void this.complete();
    }
  }

  private chooseType(type: RequestType): void {
    if (this.request?.type === type) return;
    void this.save({ type }).then(async () => {
      await this.updateComplete;
      const first = { information: 'textarea[name=description]', action: 'ow-problem-code-search', comment: 'select[name=commentKind]' }[type];
      (this.renderRoot.querySelector(first) as HTMLElement | null)?.focus();
    });
  }

  /** Classifies the request, then takes the clerk to the code's first question. */
  private async chooseCode(code: string): Promise<void> {
    await this.save({ problemCode: code });
    if (this.code?.code !== code && this.request?.problemCode === code) this.code = await getNode(code);
    await this.updateComplete;
    const form = this.renderRoot.querySelector('ow-question-preview');
    await form?.updateComplete;
    (form?.renderRoot.querySelector('input, select, textarea') as HTMLElement | null)?.focus();
  }

  private async complete(): Promise<void> {
    await this.enqueue(
      (r) => completeRequest(r.number, r.version),
      (r) => {
        this.notice = outcome(r);
        // A ready action request goes on a work order next: the clerk sees its likely duplicates at once.
        void this.updateComplete.then(() =>
          r.status === 'ready' ? this.renderRoot.querySelector('ow-duplicate-candidates')?.focus() : this.renderRoot.querySelector<HTMLButtonElement>('button[data-next]')?.focus(),
        );
      },
    );
    if (Object.keys(this.errors).length > 0) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid=true]')?.focus();
    }
  }

  private err(field: string) {
    const message = this.errors[field];
    return message ? html`<span class="field-error" id="err${field.replace(/\W/g, '-')}">${message}</span>` : nothing;
  }

  private invalid(field: string) {
    return this.errors[field] ? 'true' : 'false';
  }

  private textArea(name: 'description' | 'answer', label: string, rows = 3) {
    const r = this.request!;
    return html`<label>${label}
        <textarea name=${name} rows=${rows} .value=${r[name]} aria-invalid=${this.invalid(`/${name}`)} ?disabled=${r.status !== 'open' && r.status !== 'ready'}
          @change=${(e: Event) => void this.save({ [name]: (e.target as HTMLTextAreaElement).value })}></textarea></label>${this.err(`/${name}`)}`;
  }

  private renderStart() {
    return html`<div class="layout start-layout"><div class="start">
      <h1>Service desk</h1>
      <p>Every call, e-mail, letter or visit is saved the moment it starts. Press <kbd>Alt</kbd>+<kbd>N</kbd> for a new contact.</p>
      <div class="row">
        <label>Channel
          <select name="channel" @change=${(e: Event) => {
            this.channel = (e.target as HTMLSelectElement).value as Channel;
            localStorage.setItem(channelKey, this.channel);
          }}>
            ${deskChannels.map((c) => html`<option value=${c} ?selected=${c === this.channel}>${channelNames[c]}</option>`)}
          </select>
        </label>
        <button type="button" class="primary" @click=${() => void this.newContact()}>New contact <kbd>Alt</kbd>+<kbd>N</kbd></button>
      </div>
      ${this.message ? html`<p class="form-error" role="alert">${this.message}</p>` : nothing}
    </div>
    <ow-kb-panel></ow-kb-panel></div>`;
  }

  private renderCaller(r: CustomerRequest) {
    return html`<section class="card" aria-label="Caller">
      <p class="muted">Find the caller: <kbd>Alt</kbd>+<kbd>C</kbd></p>
      <ow-caller-panel .contactId=${r.contact?.id ?? null} @ow-contact-selected=${(e: CustomEvent<{ contact: { id: number } | null }>) => void this.save({ contactId: e.detail.contact?.id ?? null })}></ow-caller-panel>
      ${r.contact
        ? html`<h2>Earlier requests</h2>
            ${this.earlier.length
              ? html`<ul class="plain">${this.earlier.map(
                  (i) => html`<li><a href="/requests/${i.number}">${i.number}</a> · ${i.type ? typeNames[i.type] : 'not typed'} · <strong>${statusNames[i.status]}</strong>
                    <div class="muted">${i.problemName ?? i.summary}${i.locationText ? ` · ${i.locationText}` : ''} · ${new Date(i.startedAt).toLocaleDateString()}</div></li>`,
                )}</ul>`
              : html`<p class="muted">None before this one.</p>`}`
        : nothing}
    </section>`;
  }

  private renderReply(r: CustomerRequest) {
    const disabled = r.status !== 'open' && r.status !== 'ready';
    return html`<fieldset class="plain">
        <label class="choice"><input type="checkbox" name="replyWanted" .checked=${r.replyWanted} ?disabled=${disabled}
          @change=${(e: Event) => void this.save({ replyWanted: (e.target as HTMLInputElement).checked })} /> The caller wants a reply</label>
      </fieldset>
      ${r.replyWanted
        ? html`<div class="row">
            <label>Reply by
              <select name="replyMethod" aria-invalid=${this.invalid('/replyMethod')} ?disabled=${disabled} @change=${(e: Event) => void this.save({ replyMethod: ((e.target as HTMLSelectElement).value || null) as ReplyMethod | null })}>
                <option value=""></option>
                ${(Object.keys(replyMethodNames) as ReplyMethod[]).map((m) => html`<option value=${m} ?selected=${r.replyMethod === m}>${replyMethodNames[m]}</option>`)}
              </select></label>
            <label>Reply to (e-mail, phone or postal address)
              <input name="replyTo" .value=${r.replyTo} aria-invalid=${this.invalid('/replyTo')} ?disabled=${disabled} @change=${(e: Event) => void this.save({ replyTo: (e.target as HTMLInputElement).value })} /></label>
          </div>
          ${this.err('/replyMethod')}${this.err('/replyTo')}`
        : nothing}`;
  }

  private renderInformation(r: CustomerRequest) {
    return html`${this.textArea('description', 'Question the caller asked')}
      ${this.textArea('answer', 'Answer given')}
      <div>
        <strong>Articles used</strong>
        ${r.articles.length
          ? html`<ul class="plain">${r.articles.map(
              (a) => html`<li>${a.title} ${r.status === 'open' ? html`<button type="button" class="link" aria-label="Remove ${a.title}" @click=${() => void this.enqueue((x) => removeArticle(x.number, a.slug))}>remove</button>` : nothing}</li>`,
            )}</ul>`
          : html`<p class="muted">None yet: find one in the knowledge base (<kbd>Alt</kbd>+<kbd>K</kbd>) and choose “This answered the caller”.</p>`}
      </div>
      <label class="choice"><input type="checkbox" name="notResolved" .checked=${r.resolvedAtFirstContact === false} ?disabled=${r.status !== 'open'}
        @change=${(e: Event) => void this.save({ resolvedAtFirstContact: !(e.target as HTMLInputElement).checked })} /> Not resolved at first contact</label>`;
  }

  private renderAction(r: CustomerRequest) {
    const questions: Question[] = (this.code?.settings as { questions?: Question[] } | undefined)?.questions ?? [];
    const answerErrors = Object.fromEntries(Object.entries(this.errors).filter(([f]) => f.startsWith('/answers/')).map(([f, m]) => [f.slice('/answers/'.length), m]));
    const editable = r.status === 'open' || r.status === 'ready';
    const loc = r.location;
    return html`${editable
        ? html`<ow-problem-code-search label="Problem code" @ow-problem-code-selected=${(e: CustomEvent<{ code: string }>) => void this.chooseCode(e.detail.code)}></ow-problem-code-search>`
        : nothing}
      ${this.err('/problemCode')}
      ${r.classification
        ? html`<div><strong>${r.classification.name}</strong> <span class="muted">${r.classification.code}</span>
            <div class="path">${r.classification.path.map((p) => p.name).join(' › ')}</div>
            ${r.problemCodeStatus === 'retired' ? html`<div class="unverified">This code has been retired since.</div>` : nothing}</div>`
        : nothing}
      ${r.classification
        ? html`<section aria-label="Questions"><ow-question-preview .questions=${questions} .answers=${r.answers} .errors=${answerErrors} ?disabled=${!editable}
            @ow-answers-changed=${(e: CustomEvent<{ code: string; value: Answer | null }>) => void this.saveAnswer(e.detail.code, e.detail.value)}></ow-question-preview></section>`
        : nothing}
      <div>
        <strong>Location</strong>
        ${loc
          ? html`<div>${loc.text || 'Coordinates only'} ${loc.latitude !== null ? html`<span class="muted">(${loc.latitude.toFixed(5)}, ${loc.longitude!.toFixed(5)})</span>` : nothing}
              <span class=${loc.verified ? 'verified' : 'unverified'}>${loc.verified ? 'verified address' : 'unverified'}</span></div>`
          : html`<div class="muted">Not given yet.</div>`}
        ${editable
          ? html`<ow-address-search
                @ow-address-selected=${(e: CustomEvent<{ address: { id: number } | null; text?: string }>) =>
                  void this.save({ location: e.detail.address ? { addressId: e.detail.address.id } : { text: e.detail.text ?? '' } })}
              ></ow-address-search>
              <form class="row" aria-label="Coordinates" @submit=${(e: Event) => this.saveCoordinates(e)}>
                <label>Latitude <input name="latitude" inputmode="decimal" aria-invalid=${this.invalid('/location/latitude')} /></label>
                <label>Longitude <input name="longitude" inputmode="decimal" aria-invalid=${this.invalid('/location/longitude')} /></label>
                <button type="submit">Use coordinates</button>
              </form>`
          : nothing}
        ${this.err('/location')}${this.err('/location/addressId')}${this.err('/location/latitude')}${this.err('/location/longitude')}
      </div>
      ${this.textArea('description', 'Description (what the caller says)')}`;
  }

  /** One answer, merged into the answers as saved when its turn comes (answers saved before it stay). */
  private saveAnswer(code: string, value: Answer | null): Promise<void> {
    return this.enqueue((r) => {
      const answers: Record<string, Answer> = { ...r.answers };
      if (value === null) delete answers[code];
      else answers[code] = value;
      return updateRequest(r.number, r.version, { answers });
    });
  }

  private saveCoordinates(event: Event): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = (name: string) => {
      const text = (form.elements.namedItem(name) as HTMLInputElement).value.trim().replace(',', '.');
      return text === '' ? null : Number(text);
    };
    const latitude = value('latitude');
    const longitude = value('longitude');
    if ((latitude !== null && Number.isNaN(latitude)) || (longitude !== null && Number.isNaN(longitude))) {
      this.errors = { ...this.errors, '/location/latitude': 'must be a number like 42.3601' };
      return;
    }
    void this.save({ location: { text: this.request?.location?.verified ? '' : (this.request?.location?.text ?? ''), latitude, longitude } });
  }

  private renderComment(r: CustomerRequest) {
    const disabled = r.status !== 'open';
    return html`<div class="row">
        <label>Kind
          <select name="commentKind" aria-invalid=${this.invalid('/commentKind')} ?disabled=${disabled} @change=${(e: Event) => void this.save({ commentKind: ((e.target as HTMLSelectElement).value || null) as CommentKind | null })}>
            <option value=""></option>
            ${(Object.keys(commentKindNames) as CommentKind[]).map((k) => html`<option value=${k} ?selected=${r.commentKind === k}>${commentKindNames[k]}</option>`)}
          </select></label>
        <label>About (optional)
          <select name="about" ?disabled=${disabled} @change=${(e: Event) => void this.save({ about: (e.target as HTMLSelectElement).value || null })}>
            <option value="">Nobody in particular</option>
            ${this.aboutOptions.map((o) => html`<option value=${o.code} ?selected=${r.about?.code === o.code}>${o.name}</option>`)}
          </select></label>
      </div>
      ${this.err('/commentKind')}${this.err('/about')}
      ${this.textArea('description', 'What the caller said', 4)}`;
  }

  private renderForm(r: CustomerRequest) {
    const open = r.status === 'open';
    const types: RequestType[] = ['information', 'action', 'comment'];
    return html`<section class="card" aria-label="Request">
      <fieldset>
        <legend>Type</legend>
        ${types.map(
          (t, i) => html`<label class="choice"><input type="radio" name="type" value=${t} .checked=${r.type === t} ?disabled=${!open} aria-invalid=${this.invalid('/type')}
              @change=${() => this.chooseType(t)} /> ${typeNames[t]} <kbd>Alt</kbd>+<kbd>${i + 1}</kbd></label>`,
        )}
      </fieldset>
      ${this.err('/type')}
      ${r.type === 'information' ? this.renderInformation(r) : nothing}
      ${r.type === 'action' ? this.renderAction(r) : nothing}
      ${r.type === 'comment' ? this.renderComment(r) : nothing}
      ${r.type && r.type !== 'information' ? this.renderReply(r) : nothing}
      ${this.message ? html`<p class="form-error" role="alert">${this.message}</p>` : nothing}
      ${open
        ? html`<div class="row">
            <button type="button" class="primary" @click=${() => void this.complete()}>${r.type === 'action' ? 'Save: ready for work order' : 'Complete'} <kbd>Ctrl</kbd>+<kbd>Enter</kbd></button>
            ${r.type === 'information' ? html`<button type="button" @click=${() => void this.enqueue((x) => convertRequest(x.number, x.version))}>Convert to action request</button>` : nothing}
            <button type="button" @click=${() => (this.cancelling = true)}>Cancel request…</button>
          </div>`
        : r.workOrder
          ? nothing
          : this.renderDone(r)}
      ${this.cancelling ? this.renderCancel() : nothing}
    </section>`;
  }

  private renderDone(r: CustomerRequest) {
    return html`<div class="done">
      <p class="notice" role="status">${this.notice || outcome(r)}</p>
      ${this.renderNext(r)}
    </div>`;
  }

  /** What the clerk does after a request: another for the same caller, a new contact, or its record. */
  private renderNext(r: CustomerRequest) {
    return html`<div class="row">
        ${r.status !== 'cancelled' ? html`<button type="button" class=${r.status === 'ready' && r.type === 'action' ? '' : 'primary'} data-next @click=${() => void this.newContact(r.number)}>Another request for this caller <kbd>Alt</kbd>+<kbd>A</kbd></button>` : nothing}
        <button type="button" @click=${() => void this.newContact()}>New contact <kbd>Alt</kbd>+<kbd>N</kbd></button>
        ${r.type === 'information' && r.status === 'closed' ? html`<button type="button" @click=${() => void this.enqueue((x) => convertRequest(x.number, x.version))}>Convert to action request</button>` : nothing}
        <a href="/requests/${r.number}">Open the record</a>
      </div>`;
  }

  /** The request's work order and, while it is open, the date to read to the caller. */
  private renderWorkOrder(r: CustomerRequest) {
    const wo = r.workOrder!;
    // Linked or new is known when it happened at this desk; a reason for new work also says it was new.
    const linked = this.filed?.number === r.number ? this.filed.linked : r.newWorkReason ? false : null;
    const how = linked === null ? '' : linked ? ' (linked to an existing one)' : ' (a new one)';
    const number = html`<a href="/work-orders/${wo.number}">${wo.number}</a>`;
    const due = r.promisedAt ?? wo.dueAt;
    return html`<section class="card" aria-label="Work order">
      ${r.status === 'in_progress'
        ? html`<div class="promise" role="status" data-promise>
            <h3>Read to the caller</h3>
            On work order ${number}${how} — tell the caller: <strong>we expect this done by ${promiseWords(due)}.</strong>
            ${r.newWorkReason ? html`<p class="reason">New work because: ${r.newWorkReason}</p>` : nothing}
          </div>`
        : html`<p class="notice" role="status">${outcome(r)} Work order ${number}${r.resolution ? `: ${r.resolution}` : '.'}</p>`}
      ${this.renderNext(r)}
    </section>`;
  }

  private async onFiled(result: FileResult): Promise<void> {
    this.filed = { number: result.request.number, linked: result.linked };
    this.errors = {};
    this.message = '';
    this.show(result.request);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button[data-next]')?.focus();
  }

  private renderCancel() {
    const submit = (e: Event) => {
      e.preventDefault();
      const reason = ((e.target as HTMLFormElement).elements.namedItem('reason') as HTMLInputElement).value;
      void this.enqueue(
        (x) => cancelRequest(x.number, x.version, reason),
        () => (this.cancelling = false),
      );
    };
    return html`<form aria-label="Cancel the request" @submit=${submit}>
      <label>Why is it cancelled? <input name="reason" required aria-invalid=${this.invalid('/reason')} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.cancelling = false)} /></label>
      ${this.err('/reason')}
      <div class="row"><button type="submit">Cancel the request</button><button type="button" @click=${() => (this.cancelling = false)}>Keep it</button></div>
    </form>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed as Map<string, unknown>).has('cancelling') && this.cancelling) this.renderRoot.querySelector<HTMLInputElement>('input[name=reason]')?.focus();
  }

  override render() {
    const r = this.request;
    if (!r) return this.renderStart();
    const end = r.endedAt ? Date.parse(r.endedAt) : this.now;
    return html`<div class="bar">
        <h1>Request ${r.number}</h1>
        <span class="pill">${channelNames[r.channel]}</span>
        <span class="pill" data-status>${statusNames[r.status]}</span>
        <span class="timer" role="timer" aria-label="Contact length">${elapsed(r.startedAt, end)}</span>
        ${r.siblings.length > 1 ? html`<span class="muted">This contact: ${r.siblings.map((s) => (s.number === r.number ? html`<strong>${s.number}</strong> ` : html`<a href="/desk/${s.number}">${s.number}</a> `))}</span>` : nothing}
        <span class="saving" role="status">${this.pending > 0 ? 'Saving…' : 'Saved'}</span>
      </div>
      <div class="layout">
        ${this.renderCaller(r)}
        <div class="middle">
          ${r.type === 'action' && r.status === 'ready'
            ? html`<ow-duplicate-candidates .number=${r.number} .version=${r.version} shortcut="Alt+W" .settle=${this.settled}
                @ow-work-order-filed=${(e: CustomEvent<FileResult>) => void this.onFiled(e.detail)}
                @ow-request-stale=${() => void this.load(r.number, true)}></ow-duplicate-candidates>`
            : nothing}
          ${r.workOrder ? this.renderWorkOrder(r) : nothing}
          ${this.renderForm(r)}
        </div>
        <ow-kb-panel .requestNumber=${r.status === 'open' && (r.type === null || r.type === 'information') ? r.number : undefined}
          @ow-kb-article-used=${(e: CustomEvent<{ slug: string }>) => void this.enqueue((x) => addArticle(x.number, e.detail.slug))}></ow-kb-panel>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-desk-view': OwDeskView;
  }
}
