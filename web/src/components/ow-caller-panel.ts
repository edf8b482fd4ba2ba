import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ApiError } from '../data/api.ts';
import {
  contactLabel,
  createContact,
  getContact,
  replyMethodNames,
  searchContacts,
  updateContact,
  type Contact,
  type ContactHit,
  type ContactInput,
  type ReplyMethod,
} from '../data/contacts.ts';
import { LatestRequest } from '../data/latest.ts';
import { fire } from '../events.ts';
import { viewStyles } from './shared-styles.ts';

type Mode = 'search' | 'chosen' | 'anonymous' | 'new' | 'edit';

const emptyDraft = (): ContactInput => ({
  name: '',
  organisation: '',
  phones: [{ label: '', number: '' }],
  emails: [''],
  postalAddress: '',
  addressId: null,
  preferredReply: null,
  language: '',
  notes: '',
});

const phoneLike = /^[\d\s+().\/-]+$/;
const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';
const asApiError = (error: unknown) => (error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', String(error)));

/**
 * The desk's caller: find one as you type (name, phone, e-mail or address; ↑/↓ move, Enter picks,
 * Escape closes), add a new one, edit the one chosen, or take the call anonymously. Each field's
 * error from the server is shown under it. `contactId` down; `ow-contact-selected` up with the full
 * contact, or null for an anonymous caller. It knows nothing of requests.
 */
@customElement('ow-caller-panel')
export class OwCallerPanel extends LitElement {
  static override styles = [
    viewStyles,
    css`
      :host { display: block; padding: 0.9rem 1rem; max-width: none; background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 6px; }
      h2 { font-size: 1.05rem; margin: 0 0 0.6rem; }
      form { max-width: none; gap: 0.7rem; }
      .combo { position: relative; }
      ul[role='listbox'] { position: absolute; z-index: 10; left: 0; right: 0; margin: 0.15rem 0 0; padding: 0.25rem 0; list-style: none;
        background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; box-shadow: 0 6px 18px rgb(0 0 0 / 0.12);
        max-height: 24rem; overflow-y: auto; }
      li[role='option'] { padding: 0.4rem 0.7rem; cursor: pointer; }
      li[aria-selected='true'] { background: #e6f0fa; }
      .who { font-weight: 600; }
      .line { color: var(--ow-muted); font-size: 0.85rem; }
      .line.matched { color: inherit; font-weight: 600; }
      .status { color: var(--ow-muted); font-size: 0.88rem; margin-top: 0.4rem; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-top: 0.6rem; }
      .row { display: grid; grid-template-columns: 8rem 1fr auto; gap: 0.4rem; align-items: end; }
      .row.email { grid-template-columns: 1fr auto; }
      .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0.7rem; align-items: start; }
      .row .field, .pair .field { min-width: 0; }
      .row input, .pair input { width: 100%; box-sizing: border-box; }
      fieldset { border: 1px solid var(--ow-border); border-radius: 4px; padding: 0.5rem 0.7rem 0.7rem; margin: 0; display: grid; gap: 0.4rem; }
      legend { font-weight: 600; font-size: 0.9rem; padding: 0 0.25rem; }
      textarea { font: inherit; font-weight: 400; padding: 0.45rem 0.6rem; border: 1px solid var(--ow-border); border-radius: 4px; resize: vertical; }
      textarea[aria-invalid='true'] { border-color: var(--ow-danger); }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 0.8rem; margin: 0.3rem 0 0; }
      dt { color: var(--ow-muted); }
      dd { margin: 0; }
      .card { border-left: 4px solid var(--ow-accent); padding-left: 0.7rem; }
    `,
  ];

  /** The chosen caller's id; null when none is chosen (or the caller is anonymous). */
  @property({ type: Number, attribute: 'contact-id' }) contactId: number | null = null;

  @state() private mode: Mode = 'search';
  @state() private contact: Contact | null = null;
  @state() private query = '';
  @state() private searchedFor = '';
  @state() private hits: ContactHit[] = [];
  @state() private active = -1;
  @state() private open = false;
  @state() private message = '';
  @state() private draft: ContactInput = emptyDraft();
  @state() private error: ApiError | null = null;
  @state() private saving = false;

  private readonly latest = new LatestRequest<{ hits: ContactHit[] }>(80);
  private loadController?: AbortController;

  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('input[role=combobox], form input, button')?.focus();
  }

  /** Back to an empty search for the next call: no caller, not anonymous, no form. */
  reset(): void {
    this.latest.cancel();
    this.loadController?.abort();
    this.contact = null;
    this.mode = 'search';
    this.query = '';
    this.hits = [];
    this.open = false;
    this.message = '';
    this.error = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.latest.cancel();
    this.loadController?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('contactId')) return;
    if (this.contactId === null) {
      // Cleared from outside (a new call): back to searching, unless the clerk chose "anonymous".
      if (this.mode !== 'anonymous' && this.contact) {
        this.contact = null;
        this.mode = 'search';
      }
    } else if (this.contact?.id !== this.contactId) {
      void this.load(this.contactId);
    }
  }

  private async load(id: number): Promise<void> {
    this.loadController?.abort();
    const controller = (this.loadController = new AbortController());
    try {
      const contact = await getContact(id, controller.signal);
      if (controller.signal.aborted) return;
      this.contact = contact;
      this.mode = 'chosen';
      this.error = null;
    } catch (error) {
      if (isAbort(error)) return;
      this.contact = null;
      this.mode = 'search';
      this.message = asApiError(error).summary;
    }
  }

  // Searching.

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
      this.searchedFor = '';
      return;
    }
    await this.latest.now(
      (signal) => searchContacts(q, signal),
      ({ hits }) => {
        this.hits = hits;
        this.searchedFor = q;
        this.active = hits.length > 0 ? 0 : -1;
        this.message = hits.length === 0 ? `No caller matches “${q}”. Press Enter to add a new caller.` : `${hits.length} caller${hits.length === 1 ? '' : 's'} found.`;
        this.open = true;
      },
      (error) => {
        this.hits = [];
        this.message = asApiError(error).summary;
        this.open = true;
      },
    );
  }

  private async choose(hit: ContactHit): Promise<void> {
    this.open = false;
    this.loadController?.abort();
    const controller = (this.loadController = new AbortController());
    try {
      const contact = await getContact(hit.id, controller.signal);
      if (controller.signal.aborted) return;
      this.select(contact);
    } catch (error) {
      if (isAbort(error)) return;
      this.message = asApiError(error).summary;
      this.open = true;
    }
  }

  private select(contact: Contact): void {
    this.contact = contact;
    this.mode = 'chosen';
    this.error = null;
    this.query = '';
    this.hits = [];
    fire(this, 'ow-contact-selected', { contact });
    void this.focusAfterRender('[data-focus=chosen]');
  }

  private chooseAnonymous(): void {
    this.contact = null;
    this.mode = 'anonymous';
    this.open = false;
    fire(this, 'ow-contact-selected', { contact: null });
    void this.focusAfterRender('[data-focus=anonymous]');
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!this.open && this.hits.length) this.open = true;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = this.hits.length ? (this.active + step + this.hits.length) % this.hits.length : -1;
      void this.updateComplete.then(() => this.renderRoot.querySelector(`#caller-${this.active}`)?.scrollIntoView({ block: 'nearest' }));
    } else if (event.key === 'Enter') {
      const hit = this.hits[this.active];
      if (this.open && hit) {
        event.preventDefault();
        void this.choose(hit);
      } else if (this.open && this.hits.length === 0 && this.searchedFor !== '' && this.searchedFor === this.query.trim()) {
        // Nobody found for what was typed: the clerk adds the caller, starting from that text.
        event.preventDefault();
        this.startNew();
      }
    } else if (event.key === 'Escape' && this.open) {
      event.preventDefault();
      this.open = false;
    }
  }

  // Creating and editing.

  /** The Idempotency-Key of the new caller being entered. */
  private creationKey = '';

  /** A new caller, starting from what was typed in the search box (a phone, an e-mail or a name). */
  private startNew(): void {
    const draft = emptyDraft();
    const typed = this.query.trim();
    if (typed.includes('@')) draft.emails = [typed];
    else if (phoneLike.test(typed)) draft.phones = [{ label: '', number: typed }];
    else draft.name = typed;
    this.draft = draft;
    this.error = null;
    this.open = false;
    // One key for this new caller: a retry after a lost answer gets the caller already made.
    this.creationKey = crypto.randomUUID();
    this.mode = 'new';
    void this.focusAfterRender('input[name=name]');
  }

  private startEdit(): void {
    const c = this.contact;
    if (!c) return;
    this.draft = {
      name: c.name,
      organisation: c.organisation,
      phones: c.phones.length ? c.phones.map((p) => ({ ...p })) : [{ label: '', number: '' }],
      emails: c.emails.length ? [...c.emails] : [''],
      postalAddress: c.postalAddress,
      addressId: c.addressId,
      preferredReply: c.preferredReply,
      language: c.language,
      notes: c.notes,
    };
    this.error = null;
    this.mode = 'edit';
    void this.focusAfterRender('input[name=name]');
  }

  private cancelForm(): void {
    this.error = null;
    this.mode = this.contact ? 'chosen' : 'search';
    void this.focusAfterRender(this.contact ? '[data-focus=chosen]' : 'input[role=combobox]');
  }

  /** What is sent: blank phone and e-mail rows left out, text trimmed as the server would. */
  private payload(): ContactInput {
    const d = this.draft;
    return {
      ...d,
      name: d.name.trim(),
      organisation: d.organisation.trim(),
      phones: d.phones.map((p) => ({ label: p.label.trim(), number: p.number.trim() })).filter((p) => p.number !== '' || p.label !== ''),
      emails: d.emails.map((e) => e.trim()).filter(Boolean),
      postalAddress: d.postalAddress.trim(),
    };
  }

  private async save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.saving) return;
    const input = this.payload();
    // The server names rows by their place in what was sent: keep the form's rows in the same order.
    this.draft = { ...input, phones: input.phones.length ? input.phones : [{ label: '', number: '' }], emails: input.emails.length ? input.emails : [''] };
    this.saving = true;
    this.error = null;
    try {
      const editing = this.mode === 'edit' && this.contact;
      const saved = editing ? await updateContact(this.contact!.id, { ...input, version: this.contact!.version }) : await createContact(input, this.creationKey);
      this.select(saved);
    } catch (error) {
      this.error = asApiError(error);
      void this.focusAfterRender('[aria-invalid=true], .form-error');
    } finally {
      this.saving = false;
    }
  }

  private onFormKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.cancelForm();
  }

  /** After a conflict: the caller as saved now, the clerk's edits given up. */
  private async reloadLatest(): Promise<void> {
    const c = this.contact;
    if (!c) return;
    try {
      this.contact = await getContact(c.id);
      this.startEdit();
    } catch (error) {
      this.error = asApiError(error);
    }
  }

  private set<K extends keyof ContactInput>(key: K, value: ContactInput[K]): void {
    this.draft = { ...this.draft, [key]: value };
  }

  private setPhone(i: number, patch: Partial<ContactInput['phones'][number]>): void {
    this.set('phones', this.draft.phones.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  }

  private setEmail(i: number, value: string): void {
    this.set('emails', this.draft.emails.map((e, j) => (j === i ? value : e)));
  }

  private removeRow(key: 'phones' | 'emails', i: number): void {
    const rows = this.draft[key].filter((_, j) => j !== i);
    if (key === 'phones') this.set('phones', rows.length ? (rows as ContactInput['phones']) : [{ label: '', number: '' }]);
    else this.set('emails', rows.length ? (rows as string[]) : ['']);
    void this.focusAfterRender(`input[name=${key === 'phones' ? 'phone-number' : 'email'}-${Math.max(0, i - 1)}]`);
  }

  private addRow(key: 'phones' | 'emails'): void {
    if (key === 'phones') this.set('phones', [...this.draft.phones, { label: '', number: '' }]);
    else this.set('emails', [...this.draft.emails, '']);
    const last = this.draft[key].length - 1;
    void this.focusAfterRender(`input[name=${key === 'phones' ? 'phone-number' : 'email'}-${last}]`);
  }

  private async focusAfterRender(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  // Rendering.

  /** The server's messages for the field at `path` (below /body), e.g. `/phones/0/number`. */
  private errorFor(path: string): string | undefined {
    const messages = (this.error?.details ?? []).filter((d) => d.field === `/body${path}`).map((d) => d.message);
    return messages.length ? messages.join('; ') : undefined;
  }

  /** Messages of problems with no field on the form (e.g. the registry address, a whole list). */
  private unplacedErrors(): string[] {
    const placed = (field: string) =>
      /^\/body\/(name|organisation|postalAddress|preferredReply)$/.test(field) || /^\/body\/phones\/\d+\/(label|number)$/.test(field) || /^\/body\/emails\/\d+$/.test(field);
    return (this.error?.details ?? []).filter((d) => !placed(d.field)).map((d) => `${d.field.replace('/body/', '').replaceAll('/', ' › ')}: ${d.message}`);
  }

  private errorLine(id: string, message: string | undefined) {
    return message ? html`<span class="field-error" id=${id}>${message}</span>` : nothing;
  }

  private input(o: { label: string; name: string; path: string; value: string; type?: 'text' | 'email' | 'tel'; autocomplete?: string; onInput: (value: string) => void }) {
    const error = this.errorFor(o.path);
    const errorId = `${o.name}-error`;
    return html`<div class="field">
      <label
        >${o.label}
        <input
          name=${o.name}
          type=${o.type ?? 'text'}
          .value=${o.value}
          autocomplete=${ifDefined(o.autocomplete)}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${ifDefined(error ? errorId : undefined)}
          @input=${(e: Event) => o.onInput((e.target as HTMLInputElement).value)}
      /></label>
      ${this.errorLine(errorId, error)}
    </div>`;
  }

  private renderSearch() {
    const expanded = this.open && (this.hits.length > 0 || this.message !== '');
    return html`<div class="combo">
        <label
          >Find the caller
          <input
            role="combobox"
            type="search"
            autocomplete="off"
            spellcheck="false"
            aria-autocomplete="list"
            aria-controls="callers"
            aria-expanded=${expanded && this.hits.length > 0 ? 'true' : 'false'}
            aria-activedescendant=${this.open && this.active >= 0 ? `caller-${this.active}` : ''}
            placeholder="Name, phone, e-mail or address"
            .value=${this.query}
            @input=${this.onInput}
            @keydown=${this.onKeydown}
            @blur=${() => setTimeout(() => (this.open = false), 150)}
        /></label>
        ${expanded && this.hits.length > 0
          ? html`<ul id="callers" role="listbox" aria-label="Matching callers">
              ${this.hits.map((hit, i) => this.renderHit(hit, i))}
            </ul>`
          : nothing}
      </div>
      <div role="status" class="status">${expanded ? this.message : ''}</div>
      <div class="actions">
        <button type="button" @click=${this.startNew}>New caller</button>
        <button type="button" @click=${this.chooseAnonymous}>Anonymous</button>
        ${this.contact ? html`<button type="button" class="link" @click=${this.cancelForm}>Keep ${contactLabel(this.contact)}</button>` : nothing}
      </div>`;
  }

  private renderHit(hit: ContactHit, i: number) {
    const matched = (field: ContactHit['matched'][number]) => (hit.matched.includes(field) ? 'line matched' : 'line');
    return html`<li
      id="caller-${i}"
      role="option"
      aria-selected=${i === this.active ? 'true' : 'false'}
      @mousedown=${(e: Event) => e.preventDefault()}
      @click=${() => void this.choose(hit)}
    >
      <div class="who">${contactLabel(hit)}</div>
      ${hit.phones.length ? html`<div class=${matched('phone')}>${hit.phones.map((p) => p.number).join(' · ')}</div>` : nothing}
      ${hit.emails.length ? html`<div class=${matched('email')}>${hit.emails.join(' · ')}</div>` : nothing}
      ${hit.postalAddress ? html`<div class=${matched('address')}>${hit.postalAddress}</div>` : nothing}
    </li>`;
  }

  private renderChosen(c: Contact) {
    return html`<div class="card">
        <div class="who">${contactLabel(c)}</div>
        <dl>
          ${c.phones.length ? html`<dt>Phone</dt><dd>${c.phones.map((p) => (p.label ? `${p.number} (${p.label})` : p.number)).join(' · ')}</dd>` : nothing}
          ${c.emails.length ? html`<dt>E-mail</dt><dd>${c.emails.join(' · ')}</dd>` : nothing}
          ${c.postalAddress ? html`<dt>Address</dt><dd>${c.postalAddress}</dd>` : nothing}
          <dt>Reply by</dt><dd>${c.preferredReply ? replyMethodNames[c.preferredReply] : 'no preference'}</dd>
        </dl>
      </div>
      <div class="actions">
        <button type="button" data-focus="chosen" @click=${this.startEdit}>Edit</button>
        <button type="button" @click=${() => this.changeCaller()}>Change caller</button>
      </div>`;
  }

  private changeCaller(): void {
    this.mode = 'search';
    void this.focusAfterRender('input[role=combobox]');
  }

  private renderForm() {
    const d = this.draft;
    const editing = this.mode === 'edit';
    const unplaced = this.unplacedErrors();
    const conflict = this.error?.code === 'VERSION_CONFLICT';
    const replyError = this.errorFor('/preferredReply');
    return html`<form @submit=${this.save} @keydown=${this.onFormKeydown} novalidate aria-label=${editing ? 'Edit caller' : 'New caller'}>
      ${this.error && (conflict || unplaced.length || this.error.details.length === 0)
        ? html`<div class="form-error" role="alert" tabindex="-1">
            Not saved. ${unplaced.length ? html`<ul>${unplaced.map((m) => html`<li>${m}</li>`)}</ul>` : this.error.message}
            ${conflict ? html`<button type="button" class="link" @click=${() => void this.reloadLatest()}>Load the caller as saved now</button>` : nothing}
          </div>`
        : nothing}
      <div class="pair">
        ${this.input({ label: 'Name', name: 'name', path: '/name', value: d.name, autocomplete: 'off', onInput: (v) => this.set('name', v) })}
        ${this.input({ label: 'Organisation', name: 'organisation', path: '/organisation', value: d.organisation, autocomplete: 'off', onInput: (v) => this.set('organisation', v) })}
      </div>
      <fieldset>
        <legend>Phones</legend>
        ${d.phones.map(
          (p, i) => html`<div class="row">
            ${this.input({ label: 'Label', name: `phone-label-${i}`, path: `/phones/${i}/label`, value: p.label, autocomplete: 'off', onInput: (v) => this.setPhone(i, { label: v }) })}
            ${this.input({ label: `Phone ${i + 1}`, name: `phone-number-${i}`, path: `/phones/${i}/number`, value: p.number, type: 'tel', autocomplete: 'off', onInput: (v) => this.setPhone(i, { number: v }) })}
            <button type="button" aria-label="Remove phone ${i + 1}" @click=${() => this.removeRow('phones', i)}>Remove</button>
          </div>`,
        )}
        <div><button type="button" class="link" @click=${() => this.addRow('phones')}>Add a phone</button></div>
      </fieldset>
      <fieldset>
        <legend>E-mails</legend>
        ${d.emails.map(
          (e, i) => html`<div class="row email">
            ${this.input({ label: `E-mail ${i + 1}`, name: `email-${i}`, path: `/emails/${i}`, value: e, type: 'email', autocomplete: 'off', onInput: (v) => this.setEmail(i, v) })}
            <button type="button" aria-label="Remove e-mail ${i + 1}" @click=${() => this.removeRow('emails', i)}>Remove</button>
          </div>`,
        )}
        <div><button type="button" class="link" @click=${() => this.addRow('emails')}>Add an e-mail</button></div>
      </fieldset>
      <div class="field">
        <label
          >Postal address
          <textarea
            name="postalAddress"
            rows="2"
            .value=${d.postalAddress}
            aria-invalid=${this.errorFor('/postalAddress') ? 'true' : 'false'}
            aria-describedby=${ifDefined(this.errorFor('/postalAddress') ? 'postalAddress-error' : undefined)}
            @input=${(e: Event) => this.set('postalAddress', (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </label>
        ${this.errorLine('postalAddress-error', this.errorFor('/postalAddress'))}
      </div>
      <div class="field">
        <label
          >Reply by
          <select
            name="preferredReply"
            aria-invalid=${replyError ? 'true' : 'false'}
            aria-describedby=${ifDefined(replyError ? 'preferredReply-error' : undefined)}
            @change=${(e: Event) => this.set('preferredReply', ((e.target as HTMLSelectElement).value || null) as ReplyMethod | null)}
          >
            <option value="" ?selected=${d.preferredReply === null}>No preference</option>
            ${(Object.keys(replyMethodNames) as ReplyMethod[]).map((m) => html`<option value=${m} ?selected=${d.preferredReply === m}>${replyMethodNames[m]}</option>`)}
          </select>
        </label>
        ${this.errorLine('preferredReply-error', replyError)}
      </div>
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.saving}>${editing ? 'Save caller' : 'Add caller'}</button>
        <button type="button" @click=${this.cancelForm}>Cancel</button>
      </div>
    </form>`;
  }

  override render() {
    const heading = { search: 'Caller', chosen: 'Caller', anonymous: 'Caller', new: 'New caller', edit: 'Edit caller' }[this.mode];
    let body;
    if (this.mode === 'new' || this.mode === 'edit') body = this.renderForm();
    else if (this.mode === 'chosen' && this.contact) body = this.renderChosen(this.contact);
    else if (this.mode === 'anonymous')
      body = html`<p>The caller stays anonymous: no reply can be sent.</p>
        <div class="actions"><button type="button" data-focus="anonymous" @click=${() => this.changeCaller()}>Find the caller after all</button></div>`;
    else body = this.renderSearch();
    return html`<h2>${heading}</h2>${body}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-caller-panel': OwCallerPanel;
  }
}
