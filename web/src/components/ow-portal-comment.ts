import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { sendComment, type CommentKind } from '../data/portal.ts';
import { commentKindNames } from '../data/requests.ts';
import { emptyReporter, errorText, portalStyles, problemsOf, reporterFields, reporterOf, type ReporterState } from './portal-shared.ts';

const kinds: CommentKind[] = ['compliment', 'complaint', 'suggestion', 'other'];

/** Tell the city something: a compliment, a complaint, a suggestion. Recorded, read, never work. */
@customElement('ow-portal-comment')
export class OwPortalComment extends LitElement {
  static override styles = portalStyles;

  @state() private kind: CommentKind = 'suggestion';
  @state() private text = '';
  @state() private reporter: ReporterState = emptyReporter();
  @state() private errors: Record<string, string> = {};
  @state() private message = '';
  @state() private sending = false;
  @state() private sent: { number: string; replyWanted: boolean } | null = null;

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.sending) return;
    if (!this.text.trim()) {
      this.errors = { text: 'is required: what you want to tell the city' };
      this.message = 'Please check what is marked below.';
      return;
    }
    this.sending = true;
    try {
      const contact = reporterOf(this.reporter);
      this.sent = await sendComment({ kind: this.kind, text: this.text, replyWanted: !this.reporter.anonymous && this.reporter.byEmail, ...(contact ? { contact } : {}) });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.done')?.focus();
    } catch (error) {
      ({ byField: this.errors, message: this.message } = problemsOf(error));
    } finally {
      this.sending = false;
    }
  }

  override render() {
    if (this.sent) {
      return html`<div class="done" tabindex="-1" role="status">
        <h2>Thank you — your comment was received</h2>
        <p>Its number is</p><p class="number">${this.sent.number}</p>
        <p>${this.sent.replyWanted ? 'We will reply by e-mail.' : 'It will be read by the team it is about.'}</p>
      </div>`;
    }
    return html`<form @submit=${this.submit} novalidate>
      ${this.message ? html`<div class="form-error" role="alert">${this.message}</div>` : nothing}
      <fieldset>
        <legend>Your comment</legend>
        <label>Kind of comment
          <select name="kind" @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as CommentKind)}>
            ${kinds.map((k) => html`<option value=${k} ?selected=${k === this.kind}>${commentKindNames[k]}</option>`)}
          </select>
        </label>
        <div class="field"><label>What would you like to tell us?
          <textarea name="text" rows="5" maxlength="4000" .value=${this.text} aria-invalid=${this.errors['text'] ? 'true' : 'false'} aria-describedby="text-error"
            @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}></textarea></label>
          ${errorText('text-error', this.errors['text'])}</div>
        <p class="hint">To report a problem that needs fixing, <a href="/portal/report">report it here</a> instead: it goes straight to a crew.</p>
      </fieldset>
      ${reporterFields(this.reporter, (next) => (this.reporter = next), this.errors, 'I would like a reply by e-mail')}
      <div class="row"><button class="primary" type="submit" ?disabled=${this.sending}>${this.sending ? 'Sending…' : 'Send comment'}</button></div>
    </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-portal-comment': OwPortalComment;
  }
}
