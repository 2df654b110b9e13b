// Sign-in: paste a bearer token, or arrive through a one-time link.
import {ApiError, session} from './api.js';
import {h, fill} from './dom.js';

export function mountSignIn(main, message, onSignedIn) {
  document.title = 'Sign in · Switchyard';
  const input = h('input', {type: 'password', id: 'token', name: 'token', autocomplete: 'off', spellcheck: 'false',
                            required: true, 'aria-describedby': 'token-help'});
  const error = h('p', {class: 'form-error', role: 'alert', id: 'signin-error'});
  const button = h('button', {type: 'submit', class: 'primary'}, 'Sign in');
  const form = h('form', {class: 'signin', id: 'signin-form'},
    h('h1', {tabindex: -1}, 'Sign in to Switchyard'),
    message ? h('p', {class: 'notice notice-info', id: 'signin-message'}, message) : null,
    h('label', {for: 'token'}, 'Bearer token'),
    input,
    h('p', {id: 'token-help', class: 'help'},
      'Paste a token from ', h('code', {}, 'switchyard token --sub NAME --role read|operator|admin'),
      ', or open the one-time link that ', h('code', {}, 'switchyard token --link'),
      ' prints. The token is kept in this browser tab only, until it closes or you sign out.'),
    error,
    button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    error.textContent = '';
    try {
      await session.signIn(input.value);
      input.value = '';
      onSignedIn();
    } catch (err) {
      error.textContent = err instanceof ApiError && err.status === 401
        ? `The token was refused: ${err.message}.` : err.message;
      button.disabled = false;
      input.focus();
    }
  });
  fill(main, form);
  input.focus();
  return {dispose() {}};
}

// Redeems a one-time link's code; returns a message for the sign-in page
// when that fails ('' when signed in).
export async function redeemLinkCode(code) {
  try {
    await session.redeemLink(decodeURIComponent(code));
    return '';
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 410 || err.status === 400))
      return `This sign-in link cannot be used (${err.message}). Links work once and for a few minutes: ` +
             'run switchyard token --link again, or paste a token.';
    return `Signing in with the link failed: ${err.message}`;
  }
}
