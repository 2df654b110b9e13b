// #/jobs: the job list with the API's filters, sorting and paging, live.
import {api} from './api.js';
import {fill, formatDuration, h, secondsBetween, timeAgo} from './dom.js';
import {keepCurrent, keepFocus, showList} from './live.js';
import {ACTIVE_STATUSES, JOB_STATUSES, errorBox, jobProgress, pager, sortHeader, statusBadge, tableBox} from './widgets.js';

const TEXT_FILTERS = [
  ['function_name', 'Function'],
  ['scheduled_by', 'Scheduled by'],
  ['comment', 'Comment'],
  ['ticket_ref', 'Ticket'],
];
const DEFAULT_PER_PAGE = 25;

// The route's query -> GET /jobs parameters.
function apiQuery(q) {
  const out = {
    page: q.page || 1, per_page: q.per_page || DEFAULT_PER_PAGE, sort: q.sort || '-id',
    filter_jobresult: 'config,diff',
  };
  if (q.status) out['filter[status]'] = q.status;
  for (const [field] of TEXT_FILTERS) if (q[field]) out[`filter[${field}][contains]`] = q[field];
  return out;
}

function why(job) {
  const parts = [];
  if (job.comment) parts.push(h('span', {class: 'comment'}, job.comment));
  if (job.ticket_ref) parts.push(h('span', {class: 'ticket'}, job.ticket_ref));
  return parts.length ? parts : h('span', {class: 'muted'}, '—');
}

function duration(job) {
  if (!job.start_time) return '';
  return formatDuration(secondsBetween(job.start_time, job.finish_time));
}

export function mountJobs(main, q) {
  document.title = 'Jobs · Switchyard';
  const go = (changes) => showList('#/jobs', q, changes);

  const status = h('select', {id: 'filter-status', name: 'status'},
    h('option', {value: ''}, 'any'),
    JOB_STATUSES.map((s) => h('option', {value: s, selected: q.status === s}, s)));
  status.addEventListener('change', () => go({status: status.value}));
  const inputs = {};
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': 'filter jobs'},
    h('label', {class: 'field'}, 'Status', status),
    TEXT_FILTERS.map(([field, label]) => {
      inputs[field] = h('input', {type: 'search', id: `filter-${field}`, name: field, value: q[field] || '',
                                  placeholder: 'contains…'});
      return h('label', {class: 'field'}, label, inputs[field]);
    }),
    h('div', {class: 'filter-buttons'},
      h('button', {type: 'submit', class: 'primary'}, 'Filter'),
      h('button', {type: 'button', class: 'secondary', onclick: () => { location.hash = '#/jobs'; }}, 'Clear')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const changes = {status: status.value};
    for (const [field] of TEXT_FILTERS) changes[field] = inputs[field].value.trim();
    go(changes);
  });

  const results = h('div', {class: 'results', 'aria-live': 'off'});
  fill(main, h('h1', {tabindex: -1}, 'Jobs'), form, results);

  let jobs = [];
  const sort = q.sort || '-id';
  const onSort = (s) => go({sort: s});
  const render = (list, total) => {
    const page = Number(q.page || 1), perPage = Number(q.per_page || DEFAULT_PER_PAGE);
    keepFocus(results, () => fill(results,
      list.length === 0 ? h('p', {class: 'empty'}, 'No jobs match.') :
      tableBox(
        h('thead', {}, h('tr', {},
          sortHeader('ID', 'id', sort, onSort),
          sortHeader('Status', 'status', sort, onSort),
          sortHeader('Function', 'function_name', sort, onSort),
          h('th', {scope: 'col'}, 'Progress'),
          sortHeader('Scheduled by', 'scheduled_by', sort, onSort, 'col-wide'),
          h('th', {scope: 'col', class: 'col-wide'}, 'Why'),
          sortHeader('Started', 'start_time', sort, onSort, 'col-wide'),
          h('th', {scope: 'col', class: 'col-wide'}, 'Duration'),
          sortHeader('Score', 'change_score', sort, onSort, 'col-wide'))),
        h('tbody', {}, list.map((job) => h('tr', {'data-job-id': job.id, 'data-status': job.status},
          h('td', {}, h('a', {href: `#/job/${job.id}`, 'data-key': `job-${job.id}`}, job.id)),
          h('td', {}, statusBadge(job.status)),
          h('td', {class: 'function'}, job.function_name),
          h('td', {}, jobProgress(job)),
          h('td', {class: 'col-wide'}, job.scheduled_by),
          h('td', {class: 'col-wide why'}, why(job)),
          h('td', {class: 'col-wide'}, timeAgo(job.start_time || job.scheduled_time)),
          h('td', {class: 'col-wide'}, duration(job)),
          h('td', {class: 'col-wide num'}, job.change_score ?? ''))))),
      pager({page, perPage, total, onPage: (p) => go({page: p}), onPerPage: (n) => go({per_page: n})})));
  };

  let shown = '';
  const reload = async () => {
    try {
      const {data, headers} = await api('jobs', {query: apiQuery(q)});
      jobs = data.jobs;
      const total = Number(headers.get('X-Total-Count') || jobs.length);
      // Nothing changed: leave the page alone (focus, hover, a click on its
      // way); times and durations are written again every half minute.
      const text = JSON.stringify([jobs, total, Math.floor(Date.now() / 30000)]);
      if (text === shown) return;
      shown = text;
      render(jobs, total);
    } catch (e) {
      shown = '';
      fill(results, errorBox(e));
    }
  };
  const live = keepCurrent({
    reload,
    wants: (e) => e.kind === 'jobs',
    polling: () => jobs.some((j) => ACTIVE_STATUSES.has(j.status)),
  });
  live.now();
  return live;
}
