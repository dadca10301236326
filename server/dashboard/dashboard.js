// The live dashboard: polls the farm's JSON routes every two seconds and draws what they answer.
// Plain script, no build step. Every text from the farm goes in through textContent, never as HTML.
'use strict';

(() => {
  const POLL_MS = 2000;
  const RECENT_TASKS = 12;
  const KEY_STORAGE = 'echarts-farm-dashboard-key';
  /** Formats an <img> draws; a PDF is shown by its type. */
  const DRAWABLE = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml']);

  const byId = (id) => document.getElementById(id);
  const numberFormat = new Intl.NumberFormat('en-US');

  /** A new element with a class and a text, both optional. */
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setText(id, text) {
    byId(id).textContent = String(text);
  }

  function count(value) {
    // Figures a caller without the admin scope is not shown (other owners' work) read as a dash.
    if (value === null || value === undefined) return '–';
    return numberFormat.format(value);
  }

  function milliseconds(ms) {
    if (ms === null || ms === undefined || Number.isNaN(ms)) return '–';
    return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  }

  function clock(iso) {
    return iso ? new Date(iso).toLocaleTimeString('en-GB', { hour12: false }) : '–';
  }

  // --- talking to the farm -------------------------------------------------------------------

  class KeyNeeded extends Error {}

  /** The caller's key, when the farm asks for one (kept for this browser tab only). */
  function credentials() {
    const key = sessionStorage.getItem(KEY_STORAGE);
    return key ? { authorization: `Bearer ${key}` } : {};
  }

  async function request(path) {
    const response = await fetch(path, { headers: credentials(), cache: 'no-store' });
    if (response.status === 401) throw new KeyNeeded('this farm asks for a key');
    return response;
  }

  /** The `data` of a JSON answer; null for a 404 (an `api` instance has no pool). */
  async function dataOf(path) {
    const response = await request(path);
    // 404: this instance has no such part; 403: a system view the caller's key has no scope for.
    if (response.status === 404 || response.status === 403) return null;
    const envelope = await response.json();
    if (!response.ok) throw new Error(`${path}: ${envelope.msg}`);
    return envelope.data;
  }

  // --- queue ---------------------------------------------------------------------------------

  function showQueue(queue) {
    setText('count-pending', count(queue.pendingTasks));
    setText('count-processing', count(queue.processingTasks));
    setText('count-completed', count(queue.completedTasks));
    setText('count-failed', count(queue.failedTasks));
    setText('count-cancelled', count(queue.cancelledTasks));
    setText('count-total', count(queue.totalProcessed));
    setText('mean-time', milliseconds(queue.averageProcessingTime * 1000));
    setText('capacity', count(queue.capacity));
    setText('capacity-label', `capacity · ${count(queue.workers)} worker${queue.workers === 1 ? '' : 's'}`);
  }

  // --- throughput ----------------------------------------------------------------------------

  const THROUGHPUT_SLOTS = 60;

  function showThroughput(throughput) {
    const buckets = throughput.buckets.slice(-THROUGHPUT_SLOTS);
    const highest = Math.max(1, ...buckets.map((bucket) => bucket.finished));
    const bars = [];
    for (let slot = 0; slot < THROUGHPUT_SLOTS - buckets.length; slot += 1) bars.push(element('div', 'bar empty'));
    for (const bucket of buckets) {
      const bar = element('div', 'bar');
      // Sizes go through the CSSOM: the page's policy refuses style attributes, not this.
      bar.style.height = `${(100 * bucket.finished) / highest}%`;
      bar.title = `${clock(bucket.startedAt)}: ${bucket.finished} finished, ${bucket.failed} failed`;
      if (bucket.failed > 0) {
        const failed = element('div', 'failed');
        failed.style.height = `${(100 * Math.min(bucket.failed, bucket.finished)) / Math.max(1, bucket.finished)}%`;
        bar.append(failed);
      }
      bars.push(bar);
    }
    byId('throughput-chart').replaceChildren(...bars);
    const perMinute = Math.round(60 / throughput.bucketSeconds);
    const sum = (list, field) => list.reduce((total, bucket) => total + bucket[field], 0);
    const lastMinute = buckets.slice(-perMinute);
    setText(
      'throughput-summary',
      `· ${count(sum(lastMinute, 'finished'))} in the last minute · ${count(sum(buckets, 'finished'))} (${count(sum(buckets, 'failed'))} failed) in the last ${Math.round((THROUGHPUT_SLOTS * throughput.bucketSeconds) / 60)} minutes · ${throughput.bucketSeconds} s a bar`,
    );
    setText('throughput-start', buckets.length > 0 ? clock(buckets[0].startedAt) : '');
  }

  // --- pool and workers ----------------------------------------------------------------------

  function showPool(pool) {
    const facts = byId('pool');
    if (!pool) {
      facts.replaceChildren(element('dd', 'muted', 'This instance has no page pool (echarts-farm api): its workers render.'));
      return;
    }
    const rows = [
      ['browsers', `${pool.connected} of ${pool.browsers} connected`],
      ['pages', `${pool.busy} busy · ${pool.idle} idle`],
      ['renders waiting', count(pool.waiting)],
      ['renders', count(pool.renders)],
      ['failed renders', count(pool.failures)],
      ['timeouts', count(pool.timeouts)],
      ['page recycles', count(pool.recycles)],
      ['crashes', `${pool.pageCrashes} pages · ${pool.crashes} browsers`],
    ];
    facts.replaceChildren(...rows.flatMap(([label, value]) => [element('dt', null, label), element('dd', null, value)]));
  }

  function showWorkers(workers) {
    const rows = workers.map((worker) => {
      const row = element('tr');
      const age = Math.max(0, Math.round((Date.now() - Date.parse(worker.lastHeartbeat)) / 1000));
      for (const cell of [worker.workerId, `${worker.active} / ${worker.concurrency}`, count(worker.processed), count(worker.failed), `${age} s ago`]) {
        row.append(element('td', null, cell));
      }
      return row;
    });
    if (rows.length === 0) {
      const row = element('tr');
      const cell = element('td', 'muted', 'no live worker');
      cell.colSpan = 5;
      row.append(cell);
      rows.push(row);
    }
    byId('workers').replaceChildren(...rows);
  }

  // --- recent tasks --------------------------------------------------------------------------

  /** taskId → its list item, kept across polls so thumbnails load once and nothing flickers. */
  const taskItems = new Map();

  function newTaskItem(task) {
    const item = element('li', 'task');
    item.dataset.taskId = task.taskId;
    const thumb = element('a', 'thumb');
    thumb.href = `/api/images/${encodeURIComponent(task.taskId)}`;
    thumb.target = '_blank';
    thumb.rel = 'noopener';
    const body = element('div', 'task-body');
    const head = element('div', 'task-head');
    head.append(element('span', 'status'), element('code', 'task-id', task.taskId.slice(0, 8)), element('span', 'task-kind muted'));
    body.append(head, element('div', 'task-times muted'), element('div', 'task-error'));
    item.append(thumb, body);
    return item;
  }

  /** Fetches the image with the caller's key and shows it; a format <img> cannot draw shows its type. */
  async function loadThumbnail(item, task) {
    const thumb = item.querySelector('.thumb');
    if (!DRAWABLE.has(task.contentType)) {
      thumb.replaceChildren(element('span', 'type-label', task.type.toUpperCase()));
      return;
    }
    const response = await request(`/api/images/${encodeURIComponent(task.taskId)}`);
    if (!response.ok) throw new Error(`image of ${task.taskId}: ${response.status}`);
    const image = element('img');
    image.alt = `${task.type} ${task.width}×${task.height}`;
    image.src = URL.createObjectURL(await response.blob());
    item.dataset.objectUrl = image.src;
    thumb.replaceChildren(image);
  }

  function updateTaskItem(item, task) {
    item.dataset.status = task.status;
    const status = item.querySelector('.status');
    status.textContent = task.status;
    status.className = `status ${task.status}`;
    item.querySelector('.task-kind').textContent = `${task.type} ${task.width}×${task.height}${task.cached ? ' · cached' : ''}`;
    const waited = task.startedAt ? Date.parse(task.startedAt) - Date.parse(task.createdAt) : null;
    const ran = task.durationMs ?? (task.startedAt && task.completedAt ? Date.parse(task.completedAt) - Date.parse(task.startedAt) : null);
    item.querySelector('.task-times').textContent = `${clock(task.createdAt)} · waited ${milliseconds(waited)} · took ${milliseconds(ran)}${task.retryCount ? ` · ${task.retryCount} retries` : ''}`;
    const error = item.querySelector('.task-error');
    if (task.error && task.status !== 'completed') {
      error.replaceChildren(element('code', 'reason', task.error.reason), element('span', 'message', task.error.message));
    } else {
      error.replaceChildren();
    }
    if ((task.status === 'failed' || task.status === 'cancelled') && !item.dataset.thumbnail) {
      item.dataset.thumbnail = 'none';
      item.querySelector('.thumb').replaceChildren(element('span', 'type-label', 'no image'));
    }
    if (task.status === 'completed' && !item.dataset.thumbnail) {
      item.dataset.thumbnail = 'loading';
      loadThumbnail(item, task).then(
        () => (item.dataset.thumbnail = 'shown'),
        () => delete item.dataset.thumbnail,
      );
    }
  }

  function showTasks(tasks) {
    const shown = new Set(tasks.map((task) => task.taskId));
    for (const [taskId, item] of taskItems) {
      if (shown.has(taskId)) continue;
      if (item.dataset.objectUrl) URL.revokeObjectURL(item.dataset.objectUrl);
      taskItems.delete(taskId);
    }
    const items = tasks.map((task) => {
      const item = taskItems.get(task.taskId) ?? newTaskItem(task);
      taskItems.set(task.taskId, item);
      updateTaskItem(item, task);
      return item;
    });
    if (items.length === 0) items.push(element('li', 'muted', 'no task yet'));
    byId('tasks').replaceChildren(...items);
  }

  // --- the loop ------------------------------------------------------------------------------

  function setConnection(state, text) {
    const connection = byId('connection');
    connection.className = `connection ${state}`;
    connection.textContent = text;
  }

  async function showFarmInfo() {
    const info = await dataOf('/api/system/info');
    if (!info) {
      setText('farm-info', 'your tasks · system views need the admin scope');
      return;
    }
    const parts = [`v${info.version}`, info.role, info.queue ? `${info.queue} queue` : 'no queue'];
    if (info.fingerprint) parts.push(`fingerprint ${info.fingerprint.hash}`, info.fingerprint.chromium, `ECharts ${info.fingerprint.echarts}`);
    setText('farm-info', parts.join(' · '));
  }

  async function refresh() {
    const [queue, throughput, pool, workers, page] = await Promise.all([
      dataOf('/api/system/queue-status'),
      dataOf('/api/system/throughput'),
      dataOf('/api/system/pool'),
      dataOf('/api/system/workers'),
      dataOf(`/api/charts/tasks?limit=${RECENT_TASKS}`),
    ]);
    // An instance without a task system (synchronous renders only) answers 404 for the task views.
    if (queue) showQueue(queue);
    if (throughput) showThroughput(throughput);
    showPool(pool);
    showWorkers(workers ? workers.workers : []);
    showTasks(page ? page.tasks : []);
  }

  let infoShown = false;

  async function poll() {
    try {
      if (!infoShown) {
        await showFarmInfo();
        infoShown = true;
      }
      await refresh();
      setConnection('live', `live · ${clock(new Date().toISOString())}`);
    } catch (error) {
      if (error instanceof KeyNeeded) byId('key-form').hidden = false;
      setConnection('down', error instanceof KeyNeeded ? 'needs a key' : `not answering: ${error.message}`);
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  byId('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, byId('key-input').value.trim());
    byId('key-form').hidden = true;
  });

  poll();
})();
