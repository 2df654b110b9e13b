// Live updates: the API's /events stream (Server-Sent Events), read with
// fetch() so that the token travels in the Authorization header. EventSource
// cannot send headers, and a token in the URL would land in logs.
import {ApiError, authHeader, session, SESSION_ENDED} from './api.js';

const listeners = new Set();
let controller = null;
let state = 'off';          // off | connecting | live | retrying
let retryDelayMs = 1000;
const MAX_RETRY_DELAY_MS = 15000;

// fn({kind: 'jobs'|'locks'|'subscribed', data}) for each event; returns an
// unsubscribe function. 'subscribed' comes after every (re)connection:
// state read after it misses no change, so views reload then.
export function onEvent(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit(kind, data) {
  for (const fn of [...listeners]) {
    try {
      fn({kind, data});
    } catch (e) {
      console.error('event listener failed', e);
    }
  }
}

function setState(s) {
  state = s;
  document.dispatchEvent(new CustomEvent('switchyard:live', {detail: s}));
}

export function liveState() {
  return state;
}

// Splits the stream into events (blank-line separated blocks of field lines).
function parseBlock(block) {
  let kind = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') kind = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length) return null;
  try {
    return {kind, data: JSON.parse(data.join('\n'))};
  } catch (e) {
    return null;
  }
}

async function run(signal) {
  setState('connecting');
  const res = await fetch('api/v1.0/events', {
    headers: {...authHeader(), Accept: 'text/event-stream'}, cache: 'no-store', credentials: 'omit', signal,
  });
  if (res.status === 401) throw new ApiError(401, 'the token was refused');
  if (!res.ok || !res.body) throw new ApiError(res.status, `events: ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let subscribed = false;
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!subscribed) {
        // The server's first block is ": subscribed".
        subscribed = true;
        retryDelayMs = 1000;
        setState('live');
        emit('subscribed', null);
      }
      const e = parseBlock(block);
      // The server ends a stream whose token expired: so does the session.
      if (e && e.kind === 'end' && e.data?.reason === 'token expired') throw new ApiError(401, 'the token expired');
      if (e) emit(e.kind, e.data);
    }
  }
}

// Keeps one stream open while signed in, reconnecting with backoff.
export function startEvents() {
  stopEvents();
  const c = new AbortController();
  controller = c;
  (async () => {
    while (!c.signal.aborted && session.current()) {
      try {
        await run(c.signal);
      } catch (e) {
        if (c.signal.aborted) break;
        if (e instanceof ApiError && e.status === 401) {
          session.clear();
          window.dispatchEvent(new CustomEvent(SESSION_ENDED, {detail: `Signed out: ${e.message}.`}));
          break;
        }
      }
      if (c.signal.aborted) break;
      setState('retrying');
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      retryDelayMs = Math.min(retryDelayMs * 2, MAX_RETRY_DELAY_MS);
    }
  })();
}

export function stopEvents() {
  if (controller) controller.abort();
  controller = null;
  setState('off');
}
