// #/job/<id>: one job, live: what it is and why, its progress, its chain of
// jobs (next_job_id), the exception, each device's outcome with its diff,
// and the actions the session's role allows (abort; retry once the API has it).
import {api, session} from './api.js';
import {fill, formatDuration, formatTime, h, secondsBetween} from './dom.js';
import {keepCurrent, keepFocus} from './live.js';
import {ACTIVE_STATUSES, confirmDialog, errorBox, jobProgress, notify, statusBadge} from './widgets.js';
import {deviceRows} from './job_devices.js';

const CHAIN_LIMIT = 10;
const ENDED = new Set(['FINISHED', 'EXCEPTION', 'ABORTED']);

// Which buttons a job gets: the action, the states it applies to, the role.
const JOB_ACTIONS = [
  {action: 'ABORT', label: 'Abort', when: (j) => j.status === 'SCHEDULED' || j.status === 'RUNNING', role: 'operator'},
  {action: 'RETRY', label: 'Retry', when: (j) => ENDED.has(j.status), role: 'operator'},
  // A staged rollout (its progress names its batch) pauses between batches.
  {action: 'SUSPEND', label: 'Suspend', when: (j) => j.status === 'RUNNING' && rollout(j) && !j.progress.suspended,
   role: 'operator'},
  {action: 'RESUME', label: 'Resume', when: (j) => j.status === 'RUNNING' && rollout(j) && j.progress.suspended === true,
   role: 'operator'},
];

function rollout(j) {
  return j.progress !== null && typeof j.progress === 'object' && Number.isInteger(j.progress.batch);
}

function fact(label, value) {
  if (value === null || value === undefined || value === '') return null;
  return [h('dt', {}, label), h('dd', {}, value)];
}

function jobLink(j, self) {
  const text = `${j.id} · ${j.function_name}`;
  return h('span', {class: 'chain-job'},
    self ? h('strong', {'aria-current': 'page'}, text) : h('a', {href: `#/job/${j.id}`}, text),
    ' ', statusBadge(j.status));
}

async function loadChain(job) {
  const slim = {filter_jobresult: 'config,diff'};
  const before = [];
  let cursor = job;
  // Jobs whose next_job_id points here, back to the first.
  while (before.length < CHAIN_LIMIT) {
    const {data} = await api('jobs', {query: {...slim, 'filter[next_job_id]': cursor.id, per_page: 1}});
    if (!data.jobs.length) break;
    cursor = data.jobs[0];
    before.unshift(cursor);
  }
  const after = [];
  cursor = job;
  while (cursor.next_job_id && after.length < CHAIN_LIMIT) {
    const {data} = await api(`job/${cursor.next_job_id}`, {query: slim});
    cursor = data.jobs[0];
    after.push(cursor);
  }
  return {before, after};
}

function exceptionBlock(ex) {
  if (!ex) return null;
  const trace = Array.isArray(ex.traceback) ? ex.traceback.join('\n') : (ex.traceback || '');
  return h('section', {class: 'exception', 'aria-labelledby': 'exception-title'},
    h('h2', {id: 'exception-title'}, 'Exception'),
    h('p', {class: 'exception-message'}, h('strong', {}, ex.type || 'error'), ': ', ex.message || JSON.stringify(ex)),
    trace ? h('pre', {class: 'trace'}, trace) : null);
}

function errorsBlock(errors) {
  if (!Array.isArray(errors) || !errors.length) return null;
  return h('section', {},
    h('h2', {}, 'Earlier attempts'),
    h('ol', {class: 'attempts'}, errors.map((e) =>
      h('li', {}, typeof e === 'string' ? e : `${e.at ? formatTime(e.at) + ': ' : ''}${e.message || JSON.stringify(e)}`))));
}

export function mountJob(main, id) {
  document.title = `Job ${id} · Switchyard`;
  let job = null;
  let shown = '';             // the job JSON last rendered
  let chainIds = new Set();
  const ui = {expanded: new Set()};   // devices whose diff is open, kept across live updates

  const header = h('div', {class: 'job-header'});
  const actions = h('div', {class: 'actions'});
  const body = h('div', {class: 'job-body'});
  const chainBox = h('nav', {class: 'chain', 'aria-label': 'job chain'});
  fill(main, h('p', {class: 'crumbs'}, h('a', {href: '#/jobs'}, '‹ Jobs')), header, actions, chainBox, body);

  const act = async (spec) => {
    let reason = '';
    if (spec.action === 'ABORT') {
      const answer = await confirmDialog({
        title: `Abort job ${job.id}?`,
        body: h('p', {}, `${job.function_name}, ${job.status}. A running job stops at its next device step; `,
          'devices in the middle of a commit finish first.'),
        confirmLabel: `Abort job ${job.id}`,
        reasonLabel: 'Reason (optional)',
      });
      if (answer === false) return;
      reason = answer;
    }
    const body = {action: spec.action};
    if (reason) body.abort_reason = reason;
    try {
      const {data} = await api(`job/${job.id}`, {method: 'PUT', body});
      notify(data?.message || `${spec.label}: done`);
      const newId = data?.job_id ?? data?.jobs?.[0]?.id ?? (spec.action === 'RETRY' ? data?.id : null);
      if (spec.action === 'RETRY' && newId && newId !== job.id) location.hash = `#/job/${newId}`;
      else live.now();
    } catch (e) {
      notify(`${spec.label} failed: ${e.message}`, 'error');
    }
  };

  const renderActions = () => {
    const allowed = session.jobActions();
    fill(actions, JOB_ACTIONS
      .filter((a) => allowed.includes(a.action) && session.can(a.role) && a.when(job))
      .map((a) => h('button', {type: 'button', class: a.action === 'ABORT' ? 'danger' : 'primary',
                               id: `job-${a.action.toLowerCase()}`, onclick: () => act(a)}, a.label)));
  };

  const render = () => {
    fill(header,
      h('h1', {tabindex: -1}, `Job ${job.id}`, h('span', {class: 'h1-sub'}, job.function_name)),
      statusBadge(job.status));
    renderActions();
    const elapsed = job.start_time ? formatDuration(secondsBetween(job.start_time, job.finish_time)) : '';
    const why = [job.comment, job.ticket_ref ? `ticket ${job.ticket_ref}` : ''].filter(Boolean).join(' · ');
    const devices = job.result && typeof job.result === 'object' && job.result.devices &&
                    typeof job.result.devices === 'object' ? job.result.devices : null;
    const otherResult = job.result && typeof job.result === 'object'
      ? Object.fromEntries(Object.entries(job.result).filter(([k]) => k !== 'devices')) : job.result;
    const hasOther = otherResult !== null && otherResult !== undefined &&
                     !(typeof otherResult === 'object' && !Object.keys(otherResult).length);
    fill(body,
      h('dl', {class: 'facts'},
        fact('Scheduled by', job.scheduled_by),
        fact('Why', why || h('span', {class: 'muted'}, 'no comment or ticket')),
        fact('Scheduled', formatTime(job.scheduled_time)),
        fact('Started', formatTime(job.start_time)),
        fact('Finished', formatTime(job.finish_time)),
        fact(job.finish_time ? 'Took' : 'Running for', elapsed),
        fact('Progress', ACTIVE_STATUSES.has(job.status) || job.progress ? jobProgress(job) : null),
        fact('Change score', job.change_score),
        fact('Attempt', job.attempt && job.max_attempts ? `${job.attempt} of ${job.max_attempts}` : null),
        fact('Queue, priority', job.queue ? `${job.queue}, ${job.priority}` : null),
        fact('Retry of', job.retry_of ? h('a', {href: `#/job/${job.retry_of}`}, `job ${job.retry_of}`) : null),
        fact('Aborted by', job.aborted_by),
        fact('Abort reason', job.abort_reason)),
      exceptionBlock(job.exception),
      errorsBlock(job.errors),
      devices ? deviceRows(devices, ui, /dry_run/.test(job.function_name || '')) : null,
      hasOther ? h('section', {}, h('h2', {}, 'Result'), h('pre', {class: 'json'}, JSON.stringify(otherResult, null, 2))) : null,
      h('details', {class: 'arguments'}, h('summary', {}, 'Start arguments'),
        h('pre', {class: 'json'}, JSON.stringify(job.start_arguments, null, 2))));
  };

  const renderChain = async () => {
    try {
      const {before, after} = await loadChain(job);
      chainIds = new Set([...before, ...after].map((j) => j.id));
      if (!before.length && !after.length) {
        fill(chainBox);
        return;
      }
      fill(chainBox, h('h2', {class: 'sr-only'}, 'Job chain'),
        h('ol', {class: 'chain-list'},
          before.map((j) => h('li', {}, jobLink(j))),
          h('li', {}, jobLink(job, true)),
          after.map((j) => h('li', {}, jobLink(j)))));
    } catch (e) {
      fill(chainBox, errorBox(e));
    }
  };

  const reload = async () => {
    try {
      const {data} = await api(`job/${id}`);
      job = data.jobs[0];
      const text = JSON.stringify(job);
      if (text === shown) return;
      const first = shown === '';
      shown = text;
      keepFocus(main, render);
      await renderChain();
      if (first) header.querySelector('h1')?.focus({preventScroll: true});
    } catch (e) {
      fill(body, errorBox(e));
    }
  };
  const live = keepCurrent({
    reload,
    wants: (e) => e.kind === 'jobs' && (e.data?.jobs || []).some((j) => j.id === id || chainIds.has(j.id) ||
                                                                      (job && j.id === job.next_job_id)),
    polling: () => job && ACTIVE_STATUSES.has(job.status),
  });
  live.now();
  return live;
}
