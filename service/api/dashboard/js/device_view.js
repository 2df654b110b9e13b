// #/device/<hostname>: one device, its config history, one config, and the
// diff between any two records (?from=<id>&to=<id>).
import {api} from './api.js';
import {buildQuery, fill, formatTime, h, timeAgo} from './dom.js';
import {keepCurrent} from './live.js';
import {syncBadge} from './devices_view.js';
import {diffView, errorBox, pager, tableBox} from './widgets.js';

const PER_PAGE = 25;
const ENDED = new Set(['FINISHED', 'EXCEPTION', 'ABORTED']);

export function mountDevice(main, hostname, q) {
  document.title = `${hostname} · Switchyard`;
  const path = `device/${encodeURIComponent(hostname)}`;
  const facts = h('div', {class: 'device-facts'});
  const historyBox = h('section', {class: 'history', 'aria-labelledby': 'history-title'});
  const compare = h('section', {class: 'compare', id: 'compare', 'aria-live': 'polite'});
  fill(main, h('p', {class: 'crumbs'}, h('a', {href: '#/devices'}, '‹ Devices')),
    h('h1', {tabindex: -1}, hostname), facts, historyBox, compare);
  const page = Number(q.page || 1);
  const go = (changes) => { location.hash = `#/device/${encodeURIComponent(hostname)}${buildQuery({...q, ...changes})}`; };

  const showDiff = async (from, to) => {
    fill(compare, h('p', {class: 'muted'}, 'Loading the diff…'));
    try {
      const {data} = await api(`${path}/configs/${to}/diff`, {query: {against: from}});
      fill(compare, h('h2', {}, `Config ${data.from} → config ${data.to}`),
        data.diff ? diffView(data.diff, {from: `config ${data.from}`, to: `config ${data.to}`})
                  : h('p', {class: 'empty'}, 'These two configs are the same.'));
    } catch (e) {
      fill(compare, errorBox(e));
    }
  };
  const showConfig = async (id) => {
    fill(compare, h('p', {class: 'muted'}, 'Loading the config…'));
    try {
      const {data} = await api(`${path}/configs/${id}`);
      fill(compare, h('h2', {}, `Config ${data.id}`, h('span', {class: 'h2-sub'},
          `${data.source}, ${formatTime(data.recorded_at)}${data.job_id ? `, job ${data.job_id}` : ''}`)),
        h('pre', {class: 'config', tabindex: 0}, data.config));
    } catch (e) {
      fill(compare, errorBox(e));
    }
  };

  let shownHistory = '';
  const reload = async () => {
    try {
      const [{data: dev}, {data: hist, headers}] = await Promise.all([
        api(path), api(`${path}/configs`, {query: {page, per_page: PER_PAGE}})]);
      const d = dev.devices[0];
      fill(facts, h('dl', {class: 'facts'},
        h('dt', {}, 'Sync'), h('dd', {}, syncBadge(d)),
        h('dt', {}, 'Last seen'), h('dd', {}, timeAgo(d.last_seen)),
        h('dt', {}, 'Address'), h('dd', {}, `${d.management_ip}:${d.port}`),
        h('dt', {}, 'Platform, type'), h('dd', {}, `${d.platform}, ${d.device_type}`),
        h('dt', {}, 'State'), h('dd', {}, d.state),
        h('dt', {}, 'Groups'), h('dd', {}, (d.groups || []).join(', ') || '—'),
        h('dt', {}, 'Config hash'), h('dd', {class: 'hash'}, d.confhash || '—')));
      const text = JSON.stringify(hist.configs);
      if (text === shownHistory) return;
      shownHistory = text;
      renderHistory(hist.configs, Number(headers.get('X-Total-Count') || hist.configs.length));
    } catch (e) {
      fill(facts, errorBox(e));
    }
  };

  const renderHistory = (configs, total) => {
    if (!configs.length) {
      fill(historyBox, h('h2', {id: 'history-title'}, 'Config history'),
        h('p', {class: 'empty'}, 'No config recorded yet: a sync (even a dry run) records what it reads.'));
      return;
    }
    // Default pair: the newest and the newest before it with another hash.
    const to = Number(q.to) || configs[0].id;
    const toRecord = configs.find((c) => c.id === to);
    const from = Number(q.from) ||
      (configs.find((c) => c.id < to && (!toRecord || c.confhash !== toRecord.confhash)) || configs[1] || {}).id;
    const radio = (name, c, checked) => h('input', {type: 'radio', name, value: c.id, checked,
      'aria-label': `${name === 'from' ? 'compare from' : 'compare to'} config ${c.id}`});
    const form = h('form', {class: 'history-form'},
      tableBox(
        h('caption', {class: 'sr-only'}, 'Pick two configs to compare'),
        h('thead', {}, h('tr', {},
          h('th', {scope: 'col'}, 'From'), h('th', {scope: 'col'}, 'To'), h('th', {scope: 'col'}, 'Config'),
          h('th', {scope: 'col'}, 'Recorded'), h('th', {scope: 'col'}, 'Source'), h('th', {scope: 'col'}, 'Job'),
          h('th', {scope: 'col', class: 'col-wide'}, 'Hash'), h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'View')))),
        h('tbody', {}, configs.map((c) => h('tr', {'data-config': c.id},
          h('td', {}, radio('from', c, c.id === from)),
          h('td', {}, radio('to', c, c.id === to)),
          h('td', {class: 'num'}, c.id),
          h('td', {}, h('time', {datetime: c.recorded_at}, formatTime(c.recorded_at))),
          h('td', {}, c.source),
          h('td', {}, c.job_id ? h('a', {href: `#/job/${c.job_id}`}, c.job_id) : '—'),
          h('td', {class: 'col-wide hash'}, (c.confhash || '').slice(0, 12)),
          h('td', {}, h('button', {type: 'button', class: 'secondary small', onclick: () => showConfig(c.id)}, 'View')))))),
      h('div', {class: 'form-buttons'},
        h('button', {type: 'submit', class: 'primary', id: 'compare-button'}, 'Compare')),
      total > PER_PAGE ? pager({page, perPage: PER_PAGE, total, sizes: [PER_PAGE],
                                onPage: (p) => go({page: p}), onPerPage: () => {}}) : null);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const f = Number(form.elements.from.value), t = Number(form.elements.to.value);
      if (!f || !t || f === t) {
        fill(compare, h('p', {class: 'notice notice-info'}, 'Pick two different configs.'));
        return;
      }
      window.history.replaceState(null, '', `#/device/${encodeURIComponent(hostname)}${buildQuery({...q, from: f, to: t})}`);
      showDiff(f, t);
    });
    fill(historyBox, h('h2', {id: 'history-title'}, `Config history (${total})`), form);
    if (from && to && from !== to && !compare.childNodes.length) showDiff(from, to);
  };

  const live = keepCurrent({
    reload,
    wants: (e) => e.kind === 'jobs' && (e.data?.jobs || []).some((j) => ENDED.has(j.status)),
  });
  live.now();
  return live;
}
