// The dashboard's entry point: routes (#/jobs, #/job/42, #/locks,
// #/devices, #/device/sw1), the header, sign-in and sign-out, and the live
// event stream.
import {session, SESSION_ENDED, watchExpiry} from './api.js';
import {startEvents, stopEvents} from './events.js';
import {parseQuery} from './dom.js';
import {mountSignIn, redeemLinkCode} from './signin_view.js';
import {mountJobs} from './jobs_view.js';
import {mountJob} from './job_view.js';
import {mountLocks} from './locks_view.js';
import {mountDevices} from './devices_view.js';
import {mountDevice} from './device_view.js';

const main = document.getElementById('main');
let current = null;        // the mounted view: {dispose()}
let signInMessage = '';    // why the user is back at sign-in
let afterSignIn = '#/jobs';

const routes = [
  [/^#\/jobs$/, 'jobs', (m, q) => mountJobs(main, q)],
  [/^#\/job\/(\d+)$/, 'jobs', (m) => mountJob(main, Number(m[1]))],
  [/^#\/locks$/, 'locks', () => mountLocks(main)],
  [/^#\/devices$/, 'devices', (m, q) => mountDevices(main, q)],
  [/^#\/device\/([^/?]+)$/, 'devices', (m, q) => mountDevice(main, decodeURIComponent(m[1]), q)],
];

function showHeader(signedIn) {
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('who').hidden = !signedIn;
  const s = session.current();
  document.getElementById('identity').textContent = s ? `${s.sub} (${s.roles.join(', ')})` : '';
}

function route() {
  if (current) current.dispose?.();
  current = null;
  const hash = location.hash || '#/jobs';
  if (!session.current()) {
    if (!hash.startsWith('#/signin')) afterSignIn = hash;
    showHeader(false);
    stopEvents();
    current = mountSignIn(main, signInMessage, () => {
      signInMessage = '';
      started();
      go(afterSignIn.startsWith('#/signin') ? '#/jobs' : afterSignIn);
    });
    return;
  }
  showHeader(true);
  const [path, query] = hash.split('?');
  for (const [pattern, section, mount] of routes) {
    const m = path.match(pattern);
    if (!m) continue;
    for (const a of document.querySelectorAll('#nav a')) {
      if (a.dataset.nav === section) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    current = mount(m, parseQuery(query));
    return;
  }
  location.replace('#/jobs');
}

// Shows `hash`: hashchange routes when it differs, else route now.
function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

// Signed in: the event stream and the expiry timer run.
function started() {
  watchExpiry();
  startEvents();
}

function signOut(message) {
  session.clear();
  document.getElementById('notices').replaceChildren();
  stopEvents();
  signInMessage = message || '';
  afterSignIn = location.hash.startsWith('#/signin') ? '#/jobs' : location.hash || '#/jobs';
  route();
}

window.addEventListener(SESSION_ENDED, (e) => signOut(e.detail));
window.addEventListener('hashchange', async () => {
  if (!(await redeemLinkInAddress())) route();
});
document.getElementById('signout').addEventListener('click', () => signOut('Signed out.'));
document.getElementById('skip').addEventListener('click', () => main.focus());
document.addEventListener('switchyard:live', (e) => {
  const el = document.getElementById('live');
  const text = {off: 'offline', connecting: 'connecting…', live: 'live', retrying: 'reconnecting…'}[e.detail];
  el.textContent = text;
  el.dataset.state = e.detail;
});

// A one-time sign-in link (`switchyard token --link`): the code is in the
// fragment, which browsers never send to the server. It leaves the address
// bar and this history entry before anything else happens; it is spent on
// first use. Opened in a new tab (boot) or pasted into a tab already showing
// the dashboard (hashchange: same document, no reload).
async function redeemLinkInAddress() {
  if (!location.hash.startsWith('#login=')) return false;
  const code = location.hash.slice('#login='.length);
  history.replaceState(null, '', `${location.pathname}${location.search}#/jobs`);
  session.clear();
  stopEvents();
  signInMessage = await redeemLinkCode(code);
  if (session.current()) started();
  route();
  return true;
}

async function boot() {
  if (await redeemLinkInAddress()) return;
  if (session.current()) started();
  route();
}

boot();
