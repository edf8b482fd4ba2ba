import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { field, formValues } from '../components/form-field.ts';
import { viewStyles } from '../components/shared-styles.ts';
import { ApiError } from '../data/api.ts';
import { changePassword, currentUser, type User } from '../data/session.ts';

/** Your own account: who you are, and changing your password. */
@customElement('ow-account-view')
export class OwAccountView extends LitElement {
  static override styles = viewStyles;

  @state() private user: User | null = null;
  @state() private error: ApiError | null = null;
  @state() private done = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void currentUser().then((user) => (this.user = user));
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const values = formValues(form);
    this.error = null;
    this.done = false;
    if (values.newPassword !== values.repeatPassword) {
      this.error = new ApiError(400, 'VALIDATION_FAILED', 'The new password was not repeated the same.', [
        { field: '/body/repeatPassword', message: 'does not match the new password' },
      ]);
      return;
    }
    try {
      await changePassword(values.currentPassword ?? '', values.newPassword ?? '');
      form.reset();
      this.done = true;
    } catch (error) {
      this.error = error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', String(error));
    }
  }

  override render() {
    const u = this.user;
    return html`<h1>Your account</h1>
      ${u ? html`<p>${u.displayName} (${u.username}) · ${u.role} · ${u.email}</p>` : nothing}
      <h2>Change password</h2>
      <p>At least 10 characters; a few unrelated words are easy to remember and hard to guess. Your other signed-in devices will be signed out.</p>
      <form @submit=${this.submit} novalidate>
        ${this.done ? html`<div class="notice" role="status">Your password was changed.</div>` : nothing}
        ${this.error && !this.error.details.length ? html`<div class="form-error" role="alert">${this.error.message}</div>` : nothing}
        ${field({ label: 'Current password', name: 'currentPassword', type: 'password', autocomplete: 'current-password', required: true, error: this.error?.fieldMessage('currentPassword') })}
        ${field({ label: 'New password', name: 'newPassword', type: 'password', autocomplete: 'new-password', required: true, error: this.error?.fieldMessage('newPassword') })}
        ${field({ label: 'New password again', name: 'repeatPassword', type: 'password', autocomplete: 'new-password', required: true, error: this.error?.fieldMessage('repeatPassword') })}
        <div><button class="primary" type="submit">Change password</button></div>
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-account-view': OwAccountView;
  }
}
