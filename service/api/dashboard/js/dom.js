// Building the page without innerHTML: every text from the API (device
// output, comments, hostnames) becomes a text node, never markup.

// h('a', {href: '#/jobs', class: 'x', onclick: fn}, 'text', child, [more]) -> Element.
// Attributes that are null, undefined or false are left out; true sets an
// empty attribute. `on<event>` keys become listeners.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// Replaces everything inside `el`.
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// A time as the API gives it (ISO 8601) -> "2026-05-04 13:02:11" in the
// browser's zone; '' for null.
export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
         `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

// 75 -> "1 min 15 s"
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  seconds = Math.max(0, Math.round(seconds));
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60), s = seconds % 60;
  if (m < 60) return s ? `${m} min ${s} s` : `${m} min`;
  const hr = Math.floor(m / 60), mm = m % 60;
  return mm ? `${hr} h ${mm} min` : `${hr} h`;
}

// "3 min ago" for a past ISO time; the exact time goes in a title.
export function timeAgo(iso) {
  if (!iso) return h('span', {class: 'muted'}, '—');
  const then = new Date(iso).getTime();
  const s = Math.round((Date.now() - then) / 1000);
  const text = s < -5 ? formatTime(iso) : s < 5 ? 'just now' : `${formatDuration(s)} ago`;
  return h('time', {datetime: iso, title: formatTime(iso)}, text);
}

// Seconds between two ISO times (the second defaults to now).
export function secondsBetween(fromIso, toIso) {
  if (!fromIso) return null;
  const to = toIso ? new Date(toIso).getTime() : Date.now();
  return (to - new Date(fromIso).getTime()) / 1000;
}

// Query string <-> plain object (the hash route's part after '?').
export function parseQuery(text) {
  const out = {};
  for (const [k, v] of new URLSearchParams(text || '')) out[k] = v;
  return out;
}

export function buildQuery(obj) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(obj)) if (v !== '' && v !== null && v !== undefined) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

// Collapses calls within `ms` into one (the last one's arguments).
export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}
