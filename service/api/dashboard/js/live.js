// How a view stays current: it reloads when /events says something it shows
// changed (debounced, so a burst of events costs one request), after every
// (re)connection of the stream, and, while something it shows is running,
// every few seconds (progress counts move without events).
import {buildQuery} from './dom.js';
import {onEvent} from './events.js';

const POLL_MS = 2000;
const DEBOUNCE_MS = 250;

// reload(): Promise; wants(event) -> bool; polling() -> bool (keep polling).
export function keepCurrent({reload, wants = () => true, polling = () => false}) {
  let disposed = false;
  let timer = null;
  let inFlight = null;
  let again = false;

  const run = async () => {
    if (disposed) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = reload().catch(() => {}).finally(() => {
      inFlight = null;
      if (again && !disposed) {
        again = false;
        schedule(DEBOUNCE_MS);
      }
    });
  };
  const schedule = (ms) => {
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  const off = onEvent((e) => {
    if (e.kind === 'subscribed' || wants(e)) schedule(DEBOUNCE_MS);
  });
  const poll = setInterval(() => {
    if (!inFlight && polling()) run();
  }, POLL_MS);
  return {
    now: run,
    dispose() {
      disposed = true;
      off();
      clearTimeout(timer);
      clearInterval(poll);
    },
  };
}

// Re-renders `container` through `render` keeping keyboard focus on the
// element with the same data-key, so live updates never throw a keyboard
// user back to the top of the page.
export function keepFocus(container, render) {
  const active = document.activeElement;
  let selector = null;
  if (active && active !== container && container.contains(active)) {
    if (active.dataset.key) selector = `[data-key="${CSS.escape(active.dataset.key)}"]`;
    else if (active.id) selector = `#${CSS.escape(active.id)}`;
  }
  render();
  if (selector && !container.contains(document.activeElement)) container.querySelector(selector)?.focus();
}

// A list page (#/jobs, #/devices) with its query changed; any change but the
// page itself goes back to page 1.
export function showList(route, q, changes) {
  const next = {...q, ...changes};
  if (!('page' in changes)) next.page = '';
  location.hash = `${route}${buildQuery(next)}`;
}
