import { Router } from '@vaadin/router';
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { field, formValues } from '../components/form-field.ts';
import { viewStyles } from '../components/shared-styles.ts';
import { ApiError } from '../data/api.ts';
import { homeFor, signIn, takeDestination } from '../data/session.ts';

/** Staff sign-in; afterwards back to where the user was going, else their role's home. */
@customElement('ow-login-view')
export class OwLoginView extends LitElement {
  static override styles = viewStyles;

  @state() private error: ApiError | null = null;
  @state() private busy = false;

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const { username = '', password = '' } = formValues(event.target as HTMLFormElement);
    this.busy = true;
    this.error = null;
    try {
      const user = await signIn(username, password);
      Router.go(takeDestination() ?? homeFor(user.role));
    } catch (error) {
      this.error = error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', String(error));
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<h1>Sign in</h1>
      <p>Sign in with your OneWindow staff account.</p>
      <form @submit=${this.submit} novalidate>
        ${this.error && this.error.details.length === 0 ? html`<div class="form-error" role="alert">${this.error.message}</div>` : nothing}
        ${field({ label: 'Username', name: 'username', autocomplete: 'username', required: true, autofocus: true, error: this.error?.fieldMessage('username') })}
        ${field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, error: this.error?.fieldMessage('password') })}
        <div><button class="primary" type="submit" ?disabled=${this.busy}>Sign in</button></div>
      </form>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-login-view': OwLoginView;
  }
}
