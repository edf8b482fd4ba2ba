import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LatestRequest } from '../data/latest.ts';
import { getService, reportProblem, searchServices, type PublicService, type Reported, type ServiceHit } from '../data/portal.ts';
import { promiseWords, type Answer } from '../data/requests.ts';
import './ow-address-search.ts';
import './ow-question-preview.ts';
import { emptyReporter, errorText, portalStyles, problemsOf, reporterFields, reporterOf, type ReporterState } from './portal-shared.ts';

interface Place {
  addressId: number | null;
  text: string;
  latitude: number | null;
  longitude: number | null;
}

const noPlace = (): Place => ({ addressId: null, text: '', latitude: null, longitude: null });

/**
 * Report a problem: find the service by searching, answer its questions, say where, stay anonymous or
 * leave details; the answer is the request's number and the date the city expects the work done.
 * `service` (a code, from the URL) starts with that service chosen.
 */
@customElement('ow-portal-report')
export class OwPortalReport extends LitElement {
  static override styles = portalStyles;

  @property() service = '';

  @state() private query = '';
  @state() private hits: ServiceHit[] = [];
  @state() private searched = '';
  @state() private chosen: PublicService | null = null;
  @state() private answers: Record<string, Answer> = {};
  @state() private description = '';
  @state() private mediaUrl = '';
  @state() private place: Place = noPlace();
  @state() private locating = '';
  @state() private reporter: ReporterState = emptyReporter();
  @state() private errors: Record<string, string> = {};
  @state() private message = '';
  @state() private sending = false;
  @state() private reported: Reported | null = null;

  private readonly latest = new LatestRequest<{ hits: ServiceHit[] }>(150);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('service') && this.service && this.service !== this.chosen?.code) void this.choose(this.service);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.latest.cancel();
  }

  private onQuery(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    const q = this.query.trim();
    if (!q) {
      this.latest.cancel();
      this.hits = [];
      this.searched = '';
      return;
    }
    this.latest.later(() =>
      void this.latest.now(
        (signal) => searchServices(q, signal),
        ({ hits }) => {
          this.hits = hits;
          this.searched = q;
        },
        (error) => (this.message = problemsOf(error).message),
      ),
    );
  }

  private async choose(code: string): Promise<void> {
    try {
      this.chosen = await getService(code);
      this.answers = {};
      this.errors = {};
      this.message = '';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#details')?.focus();
    } catch (error) {
      this.message = problemsOf(error).message;
    }
  }

  private change(): void {
    this.chosen = null;
    this.service = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#service-search')?.focus());
  }

  /** A field changed since the server's answer: its message no longer says what is there. */
  private settled(...fields: string[]): void {
    if (!fields.some((f) => f in this.errors)) return;
    const errors = { ...this.errors };
    for (const field of fields) delete errors[field];
    this.errors = errors;
  }

  private onAddress(event: HTMLElementEventMap['ow-address-selected']): void {
    const { address, text } = event.detail;
    this.place = address ? { addressId: address.id, text: address.label, latitude: null, longitude: null } : { ...noPlace(), text };
    this.settled('location', 'location/addressId');
  }

  private useMyLocation(): void {
    if (!('geolocation' in navigator)) {
      this.locating = 'This browser cannot tell where you are: type an address instead.';
      return;
    }
    this.locating = 'Finding where you are…';
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude } = position.coords;
        this.place = { addressId: null, text: this.place.addressId === null ? this.place.text : '', latitude, longitude };
        this.settled('location', 'location/addressId');
        this.locating = `Your location is used (${latitude.toFixed(5)}, ${longitude.toFixed(5)}). Add a landmark below if it helps the crew.`;
      },
      () => (this.locating = 'Your location could not be found (it may not be allowed): type an address instead.'),
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.chosen || this.sending) return;
    this.sending = true;
    try {
      const contact = reporterOf(this.reporter);
      this.reported = await reportProblem({
        problemCode: this.chosen.code,
        answers: this.answers,
        location: { ...this.place, text: this.place.addressId === null ? this.place.text : '' },
        description: this.description,
        ...(this.mediaUrl.trim() ? { mediaUrl: this.mediaUrl.trim() } : {}),
        ...(contact ? { contact, notify: this.reporter.byEmail } : {}),
      });
      this.errors = {};
      this.message = '';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.done')?.focus();
    } catch (error) {
      ({ byField: this.errors, message: this.message } = problemsOf(error));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.form-error')?.focus();
    } finally {
      this.sending = false;
    }
  }

  private again(): void {
    Object.assign(this, { reported: null, chosen: null, service: '', query: '', hits: [], searched: '', answers: {}, description: '', mediaUrl: '', place: noPlace(), locating: '', errors: {}, message: '' });
  }

  private renderSearch() {
    const q = this.query.trim();
    return html`<fieldset>
      <legend>1. What is the problem?</legend>
      <label>Search the services
        <input id="service-search" type="search" autocomplete="off" placeholder="pothole, graffiti, missed trash pickup…" .value=${this.query} @input=${this.onQuery} aria-describedby="service-hint" />
      </label>
      <span class="hint" id="service-hint">Type a word or two, then choose the service below.</span>
      ${this.searched && this.searched === q
        ? this.hits.length === 0
          ? html`<p role="status">No service matches “${q}”. Try other words, or <a href="/portal/comment">tell us in a comment</a>.</p>`
          : html`<ul class="services" aria-label="Services found">
              ${this.hits.map((h) => html`<li><button type="button" class="link" @click=${() => this.choose(h.code)}>${h.name}</button> <span class="hint">${h.path}</span></li>`)}
            </ul>`
        : nothing}
    </fieldset>`;
  }

  private renderForm(service: PublicService) {
    const answerErrors = Object.fromEntries(Object.entries(this.errors).flatMap(([k, v]) => (k.startsWith('answers/') ? [[k.slice('answers/'.length), v]] : [])));
    const locationError = this.errors['location'] ?? this.errors['location/addressId'];
    const hours = service.turnaroundHours;
    return html`<form @submit=${this.submit} novalidate>
      ${this.message ? html`<div class="form-error" role="alert" tabindex="-1">${this.message}</div>` : nothing}
      <fieldset>
        <legend>1. What is the problem?</legend>
        <p><strong>${service.name}</strong> <span class="hint">${service.path}</span></p>
        ${service.description ? html`<p class="hint">${service.description}</p>` : nothing}
        ${hours ? html`<p class="hint">Usually done within ${hours % 24 === 0 ? `${hours / 24} day${hours === 24 ? '' : 's'}` : `${hours} hours`}.</p>` : nothing}
        <div><button type="button" class="link" @click=${this.change}>Choose another service</button></div>
      </fieldset>
      <fieldset id="details" tabindex="-1">
        <legend>2. Tell us more</legend>
        <p class="hint">Your answers, description, photo link and the place are shown publicly with the request, as the city's open data; your name, e-mail and phone never are.</p>
        <ow-question-preview .questions=${service.questions} .answers=${this.answers} .errors=${answerErrors}
          @ow-answers-changed=${(e: HTMLElementEventMap['ow-answers-changed']) => {
            const { code, value } = e.detail;
            const answers = { ...this.answers };
            if (value === null) delete answers[code];
            else answers[code] = value;
            this.answers = answers;
            this.settled(`answers/${code}`);
          }}></ow-question-preview>
        <div class="field"><label>Describe the problem (optional)
          <textarea name="description" rows="3" maxlength="4000" .value=${this.description} aria-describedby="description-error"
            @input=${(e: Event) => (this.description = (e.target as HTMLTextAreaElement).value)}></textarea></label>
          ${errorText('description-error', this.errors['description'])}</div>
        <div class="field"><label>Link to a photo (optional)
          <input name="media-url" type="url" placeholder="https://…" .value=${this.mediaUrl} aria-invalid=${this.errors['mediaUrl'] ? 'true' : 'false'} aria-describedby="media-error"
            @input=${(e: Event) => (this.mediaUrl = (e.target as HTMLInputElement).value)} /></label>
          ${errorText('media-error', this.errors['mediaUrl'])}</div>
      </fieldset>
      <fieldset>
        <legend>3. Where is it?${service.needsLocation ? '' : ' (optional)'}</legend>
        <ow-address-search scope="public" label="Address or place" .value=${this.place.latitude === null ? this.place.text : ''} @ow-address-selected=${this.onAddress}></ow-address-search>
        <div class="row"><button type="button" @click=${this.useMyLocation}>Use my current location</button></div>
        ${this.locating ? html`<p role="status" class="hint">${this.locating}</p>` : nothing}
        ${this.place.latitude !== null
          ? html`<label>Landmark or details of the place (optional)
              <input name="place-text" .value=${this.place.text} @input=${(e: Event) => (this.place = { ...this.place, text: (e.target as HTMLInputElement).value })} /></label>`
          : nothing}
        ${errorText('location-error', locationError)}
      </fieldset>
      ${reporterFields(this.reporter, (next) => (this.reporter = next), this.errors, 'E-mail me when the work is done')}
      <div class="row"><button class="primary" type="submit" ?disabled=${this.sending}>${this.sending ? 'Sending…' : 'Send report'}</button></div>
    </form>`;
  }

  private renderDone(done: Reported) {
    return html`<div class="done" tabindex="-1" role="status">
      <h2>Thank you — your report was received</h2>
      <p>Your request number is</p>
      <p class="number">${done.number}</p>
      ${done.expectedAt ? html`<p>We expect <strong>${done.service}</strong> to be done by <strong>${promiseWords(done.expectedAt)}</strong>.</p>` : nothing}
      ${done.notices.map((n) => html`<p class="notice">${n}</p>`)}
      <p>${done.notify ? 'We will e-mail you when the work is done. ' : ''}Keep the number to look the request up.</p>
      <div class="row"><a href="/portal/track/${done.number}">See its status</a> <button type="button" @click=${this.again}>Report another problem</button></div>
    </div>`;
  }

  override render() {
    if (this.reported) return this.renderDone(this.reported);
    return this.chosen ? this.renderForm(this.chosen) : html`${this.message ? html`<div class="form-error" role="alert">${this.message}</div>` : nothing}${this.renderSearch()}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-portal-report': OwPortalReport;
  }
}
