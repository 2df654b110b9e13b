// Pieces the views share: status badges, progress bars, pagers, the confirm
// dialog, notices, and the diff viewer.
import {formatDuration, h, fill} from './dom.js';

export const JOB_STATUSES = ['SCHEDULED', 'RUNNING', 'ABORTING', 'FINISHED', 'EXCEPTION', 'ABORTED'];
export const ACTIVE_STATUSES = new Set(['SCHEDULED', 'RUNNING', 'ABORTING']);

// The status as text on a colour (the text alone says it; colour helps).
export function statusBadge(status) {
  const known = JOB_STATUSES.includes(status) ? status : 'UNKNOWN';
  return h('span', {class: `badge status-${known}`, 'data-status': status}, status || 'UNKNOWN');
}

// A job's progress: a bar of devices done out of total, the phase, and the
// ETA when the API reports one (eta_seconds). Indeterminate while running
// without a count yet.
export function jobProgress(job) {
  const p = job.progress && typeof job.progress === 'object' ? job.progress : null;
  const running = job.status === 'RUNNING' || job.status === 'ABORTING';
  const total = p && Number.isFinite(p.total) ? p.total : null;
  const done = p && Number.isFinite(p.done) ? p.done : null;
  const box = h('div', {class: 'progress', 'data-job-progress': job.id});
  if (total !== null && total > 0 && done !== null) {
    const label = `${done} of ${total} devices done`;
    box.append(h('progress', {max: total, value: Math.min(done, total), 'aria-label': label, title: label}));
    const words = [`${done}/${total}`];
    if (p.phase) words.push(p.phase);
    box.append(h('span', {class: 'progress-text'}, words.join(' · ')));
  } else if (running) {
    box.append(h('progress', {'aria-label': 'running'}));
  } else if (job.status === 'FINISHED') {
    const n = Array.isArray(job.finished_devices) ? job.finished_devices.length : 0;
    if (n) box.append(h('span', {class: 'progress-text'}, `${n} device${n === 1 ? '' : 's'}`));
  }
  if (running && Number.isFinite(job.eta_seconds)) {
    box.append(h('span', {class: 'eta', title: 'estimated time left, from earlier jobs of this kind'},
                 `ETA ${formatDuration(job.eta_seconds)}`));
  }
  return box;
}

// "Page 2 of 7 (341)" with previous/next and a page size choice.
export function pager({page, perPage, total, onPage, onPerPage, sizes = [25, 50, 100, 200]}) {
  const last = Math.max(1, Math.ceil(total / perPage));
  return h('nav', {class: 'pager', 'aria-label': 'pages'},
    h('button', {type: 'button', disabled: page <= 1, onclick: () => onPage(page - 1), 'aria-label': 'previous page'}, '‹ Previous'),
    h('span', {class: 'pager-text'}, `Page ${page} of ${last} (${total})`),
    h('button', {type: 'button', disabled: page >= last, onclick: () => onPage(page + 1), 'aria-label': 'next page'}, 'Next ›'),
    h('label', {class: 'pager-size'}, 'Per page ',
      h('select', {onchange: (e) => onPerPage(Number(e.target.value))},
        sizes.map((n) => h('option', {value: n, selected: n === perPage}, n)))));
}

// A modal confirmation (the native <dialog>: focus stays inside, Escape
// cancels). Resolves to the text of the reason field when asked for one,
// true when confirmed without one, false when cancelled.
export function confirmDialog({title, body, confirmLabel, danger = true, reasonLabel = null}) {
  return new Promise((resolve) => {
    const reason = reasonLabel ? h('input', {type: 'text', name: 'reason', maxlength: 1000, autocomplete: 'off'}) : null;
    const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': 'confirm-title'},
      h('form', {method: 'dialog'},
        h('h2', {id: 'confirm-title'}, title),
        h('div', {class: 'confirm-body'}, body),
        reason ? h('label', {class: 'field'}, reasonLabel, reason) : null,
        h('div', {class: 'confirm-buttons'},
          h('button', {type: 'submit', value: 'cancel', class: 'secondary'}, 'Cancel'),
          h('button', {type: 'submit', value: 'confirm', class: danger ? 'danger' : 'primary', 'data-confirm': ''},
            confirmLabel))));
    dialog.addEventListener('close', () => {
      const ok = dialog.returnValue === 'confirm';
      dialog.remove();
      resolve(ok ? (reason ? reason.value.trim() : true) : false);
    });
    document.body.append(dialog);
    dialog.showModal();
    (reason || dialog.querySelector('[value=cancel]')).focus();
  });
}

// A message in the page's notice area (role=status: screen readers read it).
export function notify(text, kind = 'info') {
  const area = document.getElementById('notices');
  if (!area) return;
  const note = h('div', {class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status'},
    h('span', {}, text),
    h('button', {type: 'button', class: 'link', 'aria-label': 'dismiss', onclick: () => note.remove()}, '×'));
  area.append(note);
  if (kind !== 'error') setTimeout(() => note.remove(), 8000);
}

export function errorBox(error) {
  return h('div', {class: 'notice notice-error', role: 'alert'}, error.message || String(error));
}

// A unified diff rendered by diff2html, inline or side by side, with a
// switch between the two. diff2html escapes the diff's text itself; its HTML
// is the only markup the dashboard writes, through the one Trusted Types
// policy the Content-Security-Policy allows.
let preferredFormat = 'line-by-line';
const diffHtml = window.trustedTypes
  ? window.trustedTypes.createPolicy('diff2html', {createHTML: (html) => html})
  : {createHTML: (html) => html};

export function diffView(diffText, labels = {from: 'running', to: 'intended'}) {
  const area = h('div', {class: 'diff-render'});
  const buttons = {};
  const render = (format) => {
    preferredFormat = format;
    for (const [f, b] of Object.entries(buttons)) b.setAttribute('aria-pressed', String(f === format));
    let text = diffText;
    // diff2html needs file headers; dtl's diffs have them, others may not.
    if (!/^(---|diff )/m.test(text)) text = `--- ${labels.from}\n+++ ${labels.to}\n${text}`;
    if (!window.Diff2Html) {
      fill(area, h('pre', {class: 'config'}, diffText));
      return;
    }
    area.innerHTML = diffHtml.createHTML(window.Diff2Html.html(text, {
      outputFormat: format, drawFileList: false, matching: 'lines', colorScheme: 'light',
    }));
  };
  buttons['line-by-line'] = h('button', {type: 'button', class: 'toggle', onclick: () => render('line-by-line')}, 'Inline');
  buttons['side-by-side'] = h('button', {type: 'button', class: 'toggle', onclick: () => render('side-by-side')}, 'Side by side');
  const box = h('div', {class: 'diff-view'},
    h('div', {class: 'diff-toolbar', role: 'group', 'aria-label': 'diff layout'},
      buttons['line-by-line'], buttons['side-by-side']),
    area);
  render(preferredFormat);
  return box;
}

// A <table> inside a box that scrolls sideways on narrow screens.
export function tableBox(...children) {
  return h('div', {class: 'table-box'}, h('table', {}, ...children));
}

// A column header that sorts: a button inside <th>, aria-sort on the <th>.
export function sortHeader(label, field, sort, onSort, extraClass = '') {
  const active = sort === field || sort === `-${field}`;
  const descending = sort === `-${field}`;
  const next = active && !descending ? `-${field}` : field;
  return h('th', {scope: 'col', class: extraClass || null,
                  'aria-sort': active ? (descending ? 'descending' : 'ascending') : 'none'},
    h('button', {type: 'button', class: 'sort', onclick: () => onSort(next), 'data-sort': field},
      label, h('span', {class: 'sort-mark', 'aria-hidden': 'true'}, active ? (descending ? ' ▼' : ' ▲') : '')));
}
