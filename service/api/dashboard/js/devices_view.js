// #/devices: the inventory with sync state and last seen, filtered, sorted
// and paged by the API.
import {api} from './api.js';
import {fill, h, timeAgo} from './dom.js';
import {keepCurrent, keepFocus, showList} from './live.js';
import {errorBox, pager, sortHeader, tableBox} from './widgets.js';

const DEFAULT_PER_PAGE = 50;
const CHOICES = {
  platform: ['frr', 'eos', 'junos'],
  device_type: ['ACCESS', 'DIST', 'CORE', 'UNKNOWN'],
  state: ['MANAGED', 'UNMANAGED'],
  synchronized: ['true', 'false'],
};
const ENDED = new Set(['FINISHED', 'EXCEPTION', 'ABORTED']);

export function syncBadge(d) {
  if (d.synchronized) return h('span', {class: 'badge sync-yes'}, 'synchronized');
  return h('span', {class: 'badge sync-no'}, d.confhash ? 'not synchronized' : 'never synced');
}

function apiQuery(q) {
  const out = {page: q.page || 1, per_page: q.per_page || DEFAULT_PER_PAGE, sort: q.sort || 'hostname'};
  if (q.hostname) out['filter[hostname][contains]'] = q.hostname;
  if (q.group) out['filter[group]'] = q.group;
  for (const k of Object.keys(CHOICES)) if (q[k]) out[`filter[${k}]`] = q[k];
  return out;
}

export function mountDevices(main, q) {
  document.title = 'Devices · Switchyard';
  const go = (changes) => showList('#/devices', q, changes);
  const selects = {};
  const labels = {platform: 'Platform', device_type: 'Type', state: 'State', synchronized: 'Synchronized'};
  for (const [k, values] of Object.entries(CHOICES)) {
    selects[k] = h('select', {id: `filter-${k}`, name: k}, h('option', {value: ''}, 'any'),
      values.map((v) => h('option', {value: v, selected: q[k] === v}, v)));
    selects[k].addEventListener('change', () => go({[k]: selects[k].value}));
  }
  const hostname = h('input', {type: 'search', id: 'filter-hostname', value: q.hostname || '', placeholder: 'contains…'});
  const group = h('input', {type: 'search', id: 'filter-group', value: q.group || '', placeholder: 'exact name'});
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': 'filter devices'},
    h('label', {class: 'field'}, 'Hostname', hostname),
    Object.entries(selects).map(([k, s]) => h('label', {class: 'field'}, labels[k], s)),
    h('label', {class: 'field'}, 'Group', group),
    h('div', {class: 'filter-buttons'},
      h('button', {type: 'submit', class: 'primary'}, 'Filter'),
      h('button', {type: 'button', class: 'secondary', onclick: () => { location.hash = '#/devices'; }}, 'Clear')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const changes = {hostname: hostname.value.trim(), group: group.value.trim()};
    for (const [k, s] of Object.entries(selects)) changes[k] = s.value;
    go(changes);
  });
  const results = h('div', {class: 'results'});
  fill(main, h('h1', {tabindex: -1}, 'Devices'), form, results);

  const sort = q.sort || 'hostname';
  const onSort = (s) => go({sort: s});
  let shown = '';
  const reload = async () => {
    try {
      const {data, headers} = await api('devices', {query: apiQuery(q)});
      const list = data.devices;
      const total = Number(headers.get('X-Total-Count') || list.length);
      const text = JSON.stringify([list, total]);
      if (text === shown) return;
      shown = text;
      keepFocus(results, () => fill(results, list.length === 0 ? h('p', {class: 'empty'}, 'No devices match.') :
        tableBox(
          h('thead', {}, h('tr', {},
            sortHeader('Hostname', 'hostname', sort, onSort),
            sortHeader('Address', 'management_ip', sort, onSort, 'col-wide'),
            sortHeader('Platform', 'platform', sort, onSort),
            sortHeader('Type', 'device_type', sort, onSort, 'col-wide'),
            sortHeader('State', 'state', sort, onSort, 'col-wide'),
            h('th', {scope: 'col'}, 'Sync'),
            h('th', {scope: 'col'}, 'Last seen'),
            h('th', {scope: 'col', class: 'col-wide'}, 'Groups'))),
          h('tbody', {}, list.map((d) => h('tr', {'data-device': d.hostname},
            h('th', {scope: 'row'}, h('a', {href: `#/device/${encodeURIComponent(d.hostname)}`,
                                           'data-key': `device-${d.hostname}`}, d.hostname)),
            h('td', {class: 'col-wide'}, `${d.management_ip}${d.port && d.port !== 22 ? `:${d.port}` : ''}`),
            h('td', {}, d.platform),
            h('td', {class: 'col-wide'}, d.device_type),
            h('td', {class: 'col-wide'}, d.state),
            h('td', {}, syncBadge(d)),
            h('td', {}, timeAgo(d.last_seen)),
            h('td', {class: 'col-wide'}, (d.groups || []).join(', ')))))),
        pager({page: Number(q.page || 1), perPage: Number(q.per_page || DEFAULT_PER_PAGE), total,
               onPage: (p) => go({page: p}), onPerPage: (n) => go({per_page: n})})));
    } catch (e) {
      shown = '';
      fill(results, errorBox(e));
    }
  };
  // A job that ends may have changed sync states and last-seen times.
  const live = keepCurrent({
    reload,
    wants: (e) => e.kind === 'jobs' && (e.data?.jobs || []).some((j) => ENDED.has(j.status)),
  });
  live.now();
  return live;
}
