// A sync job's per-device table: outcome, change score, message, and each
// device's diff (inline or side by side) opened in place.
import {h} from './dom.js';
import {diffView, tableBox} from './widgets.js';

// What happened to one device, from its job_tasks (CNaaS-NMS's shape).
export function deviceOutcome(d, dryRun) {
  const tasks = Array.isArray(d.job_tasks) ? d.job_tasks : [];
  const strings = tasks.filter((t) => typeof t.result === 'string' && t.task_name !== 'Generate device config');
  const failedTask = tasks.find((t) => t.failed && typeof t.result === 'string');
  const message = d.failed && failedTask ? failedTask.result : (strings.length ? strings[strings.length - 1].result : '');
  const diff = tasks.map((t) => t.diff).find((x) => typeof x === 'string' && x !== '') || '';
  const config = tasks.find((t) => t.task_name === 'Generate device config')?.result;
  let outcome = 'in sync';
  if (d.failed) outcome = 'failed';
  else if (/^not started/.test(message)) outcome = 'not started';
  else if (diff) outcome = dryRun ? 'differs' : 'changed';
  return {outcome, message, diff, config: typeof config === 'string' ? config : ''};
}

const OUTCOME_ORDER = {'failed': 0, 'not started': 1, 'changed': 2, 'differs': 2, 'in sync': 3};
const OUTCOME_CLASS = {'failed': 'failed', 'not started': 'not-started', 'changed': 'changed', 'differs': 'changed',
                       'in sync': 'in-sync'};

// dryRun: a diff means "would change", not "changed".
export function deviceRows(devices, ui, dryRun) {
  const rows = Object.entries(devices).map(([host, d]) => ({host, d, ...deviceOutcome(d, dryRun)}));
  rows.sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome] || a.host.localeCompare(b.host));
  const counts = {};
  for (const r of rows) counts[r.outcome] = (counts[r.outcome] || 0) + 1;
  const tbody = h('tbody', {});
  for (const r of rows) {
    const detailId = `device-detail-${r.host}`;
    const detail = h('tr', {class: 'detail', id: detailId, hidden: !ui.expanded.has(r.host)},
      h('td', {colspan: 5}));
    const fillDetail = () => {
      const cell = detail.firstChild;
      if (cell.childNodes.length) return;
      cell.append(
        r.diff ? diffView(r.diff) : h('p', {class: 'muted'}, 'No diff.'),
        r.config ? h('details', {class: 'generated'}, h('summary', {}, 'Generated config'),
                     h('pre', {class: 'config'}, r.config)) : null);
    };
    const toggle = h('button', {type: 'button', class: 'secondary small', 'aria-expanded': String(ui.expanded.has(r.host)),
                                'aria-controls': detailId, 'data-key': `diff-${r.host}`, 'data-diff-for': r.host},
      r.diff ? 'Diff' : 'Details');
    toggle.addEventListener('click', () => {
      const open = detail.hidden;
      detail.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      if (open) {
        ui.expanded.add(r.host);
        fillDetail();
      } else {
        ui.expanded.delete(r.host);
      }
    });
    if (ui.expanded.has(r.host)) fillDetail();
    tbody.append(
      h('tr', {'data-device': r.host, 'data-outcome': r.outcome},
        h('th', {scope: 'row'}, h('a', {href: `#/device/${encodeURIComponent(r.host)}`}, r.host)),
        h('td', {}, h('span', {class: `badge outcome-${OUTCOME_CLASS[r.outcome]}`}, r.outcome)),
        h('td', {class: 'num'}, r.d.change_score ?? ''),
        h('td', {class: 'message'}, r.message),
        h('td', {}, (r.diff || r.config) ? toggle : null)),
      detail);
  }
  const summary = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ');
  return h('section', {class: 'devices-result', 'aria-labelledby': 'devices-title'},
    h('h2', {id: 'devices-title'}, `Devices (${rows.length})`, h('span', {class: 'h2-sub'}, summary)),
    tableBox(
      h('thead', {}, h('tr', {},
        h('th', {scope: 'col'}, 'Device'), h('th', {scope: 'col'}, 'Outcome'), h('th', {scope: 'col'}, 'Score'),
        h('th', {scope: 'col'}, 'Message'), h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Diff')))),
      tbody));
}
