// #/locks: held locks with the jobs that hold them; admins may clear one,
// after a confirmation that names the job.
import {api, session} from './api.js';
import {fill, h, timeAgo} from './dom.js';
import {keepCurrent, keepFocus} from './live.js';
import {confirmDialog, errorBox, notify, statusBadge, tableBox} from './widgets.js';

export function mountLocks(main) {
  document.title = 'Locks · Switchyard';
  const results = h('div', {class: 'results'});
  fill(main, h('h1', {tabindex: -1}, 'Locks'),
    h('p', {class: 'help'}, 'A lock lives while its job runs. Clearing one by hand lets other jobs take it ' +
      'while its job may still be changing devices: do it only for a job you know is gone.'),
    results);
  let jobIds = new Set();
  let shown = '';

  const clear = async (lock, job) => {
    const holder = job ? `job ${job.id} (${job.function_name}, ${job.status}, scheduled by ${job.scheduled_by})`
                       : `job ${lock.job_id}`;
    const ok = await confirmDialog({
      title: `Clear lock "${lock.name}"?`,
      body: h('p', {}, `It is held by ${holder}. Clearing it does not stop that job.`),
      confirmLabel: `Clear the lock of job ${lock.job_id}`,
    });
    if (!ok) return;
    try {
      await api('joblocks', {method: 'DELETE', body: {name: lock.name}});
      notify(`Lock "${lock.name}" of job ${lock.job_id} cleared.`);
    } catch (e) {
      notify(`Clearing lock "${lock.name}" failed: ${e.message}`, 'error');
    }
    live.now();
  };

  const reload = async () => {
    try {
      const {data} = await api('joblocks');
      const locks = data.locks;
      jobIds = new Set(locks.map((l) => l.job_id));
      const jobs = new Map();
      await Promise.all([...jobIds].slice(0, 50).map(async (id) => {
        try {
          const r = await api(`job/${id}`, {query: {filter_jobresult: 'config,diff'}});
          jobs.set(id, r.data.jobs[0]);
        } catch (e) {
          // A job gone since: the lock row still says which.
        }
      }));
      const admin = session.can('admin');
      const text = JSON.stringify([locks, [...jobs]]);
      if (text === shown) return;
      shown = text;
      keepFocus(results, () => fill(results, locks.length === 0 ? h('p', {class: 'empty'}, 'No locks are held.') :
        tableBox(
          h('thead', {}, h('tr', {},
            h('th', {scope: 'col'}, 'Lock'), h('th', {scope: 'col'}, 'Held by job'), h('th', {scope: 'col'}, 'Job status'),
            h('th', {scope: 'col', class: 'col-wide'}, 'Scheduled by'), h('th', {scope: 'col'}, 'Since'),
            h('th', {scope: 'col', class: 'col-wide'}, 'Abort asked'),
            admin ? h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Actions')) : null)),
          h('tbody', {}, locks.map((l) => {
            const job = jobs.get(l.job_id);
            return h('tr', {'data-lock': l.name},
              h('th', {scope: 'row'}, l.name),
              h('td', {}, h('a', {href: `#/job/${l.job_id}`}, `${l.job_id}`), job ? ` · ${job.function_name}` : ''),
              h('td', {}, job ? statusBadge(job.status) : h('span', {class: 'muted'}, 'unknown')),
              h('td', {class: 'col-wide'}, job?.scheduled_by || ''),
              h('td', {}, timeAgo(l.start_time)),
              h('td', {class: 'col-wide'}, l.abort ? 'yes' : 'no'),
              admin ? h('td', {}, h('button', {type: 'button', class: 'danger small', 'data-key': `clear-${l.name}`,
                                               'data-clear-lock': l.name, onclick: () => clear(l, job)}, 'Clear')) : null);
          })))));
    } catch (e) {
      shown = '';
      fill(results, errorBox(e));
    }
  };
  const live = keepCurrent({
    reload,
    wants: (e) => e.kind === 'locks' || (e.kind === 'jobs' && (e.data?.jobs || []).some((j) => jobIds.has(j.id))),
  });
  live.now();
  return live;
}
