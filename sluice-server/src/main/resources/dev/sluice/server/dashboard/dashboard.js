// Sluice dashboard: polls /api/status and /api/panels every 2 s with the stored bearer token, and the data of every
// panel the running pipelines' routes plugins contribute, and renders them. The page knows kinds of panels
// (leaderboard, daily_counts, partitions), never a pipeline: each panel names the routes it reads.
// Every value from the server reaches the page through textContent or an attribute, never as markup.
'use strict';

(() => {
  const { Unauthorized, getJson } = window.SluiceAuth;
  const POLL_MS = 2000;
  const TOP_GROUPS = 10;
  /** The most partitions a partitions route lists unless its panel says otherwise (PartitionsRoutes). */
  const MAX_PARTITIONS = 50;
  const SPARK_WIDTH = 300;
  const SPARK_HEIGHT = 60;
  /** Steps on the sparkline's axis: 5 minutes of 10-second steps. */
  const SPARK_SLOTS = 30;

  const byTestId = (root, id) => root.querySelector(`[data-testid="${id}"]`);
  const page = (id) => byTestId(document, id);
  const numberFormat = new Intl.NumberFormat('en-US');

  let timer = null;
  /** Pipeline name -> its card element, kept across polls so the page updates in place. */
  const cards = new Map();
  /** Panel key -> {pipeline, panel, element}, kept across polls like the cards. */
  const panels = new Map();

  function clearDashboard() {
    clearTimeout(timer);
    cards.clear();
    panels.clear();
    page('pipelines').replaceChildren();
    page('panels').replaceChildren();
  }

  // ---- polling -----------------------------------------------------------------------------------------------

  async function poll(token, ticket) {
    const [status, listed] = await Promise.allSettled([getJson('/api/status', token), getJson('/api/panels', token)]);
    if (!ticket.current()) {
      return;
    }
    if ([status, listed].some(unauthorized)) {
      ticket.refused();
      return;
    }
    try {
      if (listed.status === 'fulfilled') {
        placePanels(listed.value);
      }
      const shown = [...panels.values()];
      const data = await Promise.allSettled(shown.map((entry) => getJson(KINDS[entry.panel.kind].url(entry.panel),
        token)));
      if (!ticket.current()) {
        return;
      }
      if (data.some(unauthorized)) {
        ticket.refused();
        return;
      }
      shown.forEach((entry, i) => renderPanel(entry, data[i]));
      if (status.status === 'fulfilled') {
        renderStatus(status.value);
        setConnection('live', `Live · updated ${clock(new Date())}`);
      } else {
        setConnection('error', `Cannot read the status (${describe(status.reason)}); retrying every 2 s`);
      }
    } catch (e) {
      setConnection('error', `Cannot show the status (${describe(e)}); retrying every 2 s`);
    }
    timer = setTimeout(() => poll(token, ticket), POLL_MS);
  }

  const unauthorized = (r) => r.status === 'rejected' && r.reason instanceof Unauthorized;

  function describe(error) {
    return error && error.message ? error.message : String(error);
  }

  const setConnection = (state, text) => window.SluiceAuth.setConnection(page, state, text);

  // ---- pipelines ---------------------------------------------------------------------------------------------

  function renderStatus(doc) {
    const message = page('pipelines-message');
    if (doc === null) {
      message.textContent = 'This server has no status endpoint (/api/status).';
      message.hidden = false;
      return;
    }
    const pipelines = Array.isArray(doc.pipelines) ? doc.pipelines : [];
    message.textContent = pipelines.length === 0 ? 'No pipeline runs in this instance.' : '';
    message.hidden = pipelines.length !== 0;

    const container = page('pipelines');
    const seen = new Set();
    for (const pipeline of pipelines) {
      const name = String(pipeline.name);
      seen.add(name);
      let card = cards.get(name);
      if (!card) {
        card = newCard(name);
        cards.set(name, card);
      }
      container.append(card); // keeps the server's order; moving an element in place is cheap
      updateCard(card, pipeline, doc.time);
    }
    for (const [name, card] of cards) {
      if (!seen.has(name)) {
        card.remove();
        cards.delete(name);
      }
    }
  }

  function newCard(name) {
    const card = document.getElementById('pipeline-card').content.firstElementChild.cloneNode(true);
    card.dataset.pipeline = name;
    byTestId(card, 'pipeline-name').textContent = name;
    return card;
  }

  function updateCard(card, p, now) {
    const state = ['running', 'failing', 'stopped'].includes(p.state) ? p.state : 'unknown';
    const badge = byTestId(card, 'pipeline-state');
    badge.textContent = state === 'unknown' ? String(p.state) : state;
    badge.className = `badge ${state}`;
    card.dataset.state = state;
    byTestId(card, 'pipeline-source').textContent = p.source == null ? '–' : String(p.source);

    const failing = byTestId(card, 'pipeline-failing-since');
    if (p.failingSince) {
      failing.textContent = `failing since ${when(p.failingSince)}${since(p.failingSince, now)}`;
      failing.title = String(p.failingSince);
      failing.hidden = false;
    } else {
      failing.textContent = '';
      failing.hidden = true;
    }

    setCount(card, 'count-received', p.received);
    setCount(card, 'count-written', p.written);
    setCount(card, 'count-rejected', p.rejected);
    setCount(card, 'count-dropped', p.dropped);
    setCount(card, 'count-in-flight', p.inFlight);
    setCount(card, 'count-retries', p.retries);

    const backlog = p.backlog;
    const backlogList = byTestId(card, 'backlog');
    backlogList.dataset.known = String(backlog != null);
    backlogList.title = backlog == null ? 'The source cannot tell its backlog.' : '';
    setCount(card, 'backlog-visible', backlog == null ? null : backlog.visible);
    setCount(card, 'backlog-in-flight', backlog == null ? null : backlog.inFlight);
    setCount(card, 'backlog-dead-letters', backlog == null ? null : backlog.deadLetters);
    setCount(card, 'backlog-behind-latest', backlog == null ? null : backlog.behindLatestMs);

    drawSparkline(card, Array.isArray(p.throughput) ? p.throughput : []);
    renderRejects(card, Array.isArray(p.latestRejects) ? p.latestRejects : []);
    renderOutline(card, p.outline && typeof p.outline === 'object' ? p.outline : null);
  }

  /**
   * What the pipeline is built of, as its definition names it: source → processors → sink as a row of steps, and
   * its error sink, jobs and routes in a line below; hidden for a pipeline the server has no outline of.
   */
  function renderOutline(card, outline) {
    const box = byTestId(card, 'pipeline-outline');
    const key = JSON.stringify(outline);
    if (box.dataset.key === key) {
      return;
    }
    box.dataset.key = key;
    box.hidden = outline === null;
    if (outline === null) {
      return;
    }
    const list = (steps) => (Array.isArray(steps) ? steps : []);
    const flow = [outline.source, ...list(outline.processors), outline.sink].filter((s) => s);
    byTestId(card, 'outline-flow').replaceChildren(...flow.map((s) => {
      const item = document.createElement('li');
      item.dataset.testid = 'outline-step';
      item.textContent = stepName(s);
      return item;
    }));
    const extras = [];
    if (outline.errors) {
      extras.push(`errors to ${stepName(outline.errors)}`);
    }
    for (const [label, steps] of [['jobs', list(outline.jobs)], ['routes', list(outline.routes)]]) {
      if (steps.length > 0) {
        extras.push(`${label}: ${steps.map(stepName).join(', ')}`);
      }
    }
    byTestId(card, 'outline-extras').textContent = extras.join(' · ');
  }

  /** "type", or "type (id)" when the definition gives the step an id of its own. */
  function stepName(step) {
    const type = String(step.type);
    return step.id == null || String(step.id) === type ? type : `${type} (${String(step.id)})`;
  }

  /** A count as text, its raw value in data-value; "–" (and data-value "") for a number the server does not know. */
  function setCount(card, id, value) {
    const cell = byTestId(card, id);
    const known = typeof value === 'number' && Number.isFinite(value);
    cell.textContent = known ? numberFormat.format(value) : '–';
    cell.dataset.value = known ? String(value) : '';
  }

  /**
   * Written and rejected per step as stairs on a fixed 5-minute axis, newest step at the right edge: a young history
   * fills only the right part, so the width of the chart always means the same time.
   */
  function drawSparkline(card, allSteps) {
    const svg = byTestId(card, 'sparkline');
    const steps = allSteps.slice(-SPARK_SLOTS);
    const written = steps.map((s) => nonNegative(s.written));
    const rejected = steps.map((s) => nonNegative(s.rejected));
    const peak = Math.max(1, ...written, ...rejected);
    const slot = SPARK_WIDTH / SPARK_SLOTS;
    const first = SPARK_SLOTS - steps.length;
    const bottom = SPARK_HEIGHT - 1;
    const y = (v) => (bottom - (v / peak) * (SPARK_HEIGHT - 4)).toFixed(1);
    const stairs = (values) => values.flatMap((v, i) => {
      const x0 = ((first + i) * slot).toFixed(1);
      const x1 = ((first + i + 1) * slot).toFixed(1);
      return [`${x0},${y(v)}`, `${x1},${y(v)}`];
    });

    svg.querySelector('polyline.written').setAttribute('points', stairs(written).join(' '));
    svg.querySelector('polyline.rejected').setAttribute('points', stairs(rejected).join(' '));
    svg.querySelector('path.written').setAttribute('d', steps.length === 0 ? ''
      : `M${(first * slot).toFixed(1)},${bottom} L${stairs(written).join(' L')} L${SPARK_WIDTH},${bottom} Z`);
    svg.dataset.points = String(steps.length);
    svg.dataset.peak = String(peak);

    const latest = byTestId(card, 'throughput-latest');
    if (steps.length === 0) {
      latest.textContent = 'No throughput yet.';
    } else {
      const last = steps[steps.length - 1];
      latest.textContent = `Last 10 s: ${numberFormat.format(nonNegative(last.written))} written, `
        + `${numberFormat.format(nonNegative(last.rejected))} rejected · peak ${numberFormat.format(peak)}`;
    }
    svg.querySelector('title').textContent = `Throughput per 10 s over the last ${steps.length} steps; `
      + `peak ${peak}. ${latest.textContent}`;
  }

  function nonNegative(value) {
    return typeof value === 'number' && value > 0 ? value : 0;
  }

  function renderRejects(card, rejects) {
    const table = byTestId(card, 'rejects');
    const body = table.tBodies[0];
    const key = JSON.stringify(rejects);
    if (body.dataset.key === key) {
      return; // unchanged: leave the rows alone so a reader's selection survives the poll
    }
    body.dataset.key = key;
    body.replaceChildren(...rejects.map((r) => {
      const row = document.createElement('tr');
      row.dataset.testid = 'reject-row';
      row.append(
        cell('reject-time', when(r.time), r.time),
        cell('reject-reason', r.reason),
        cell('reject-source', r.source, null, 'code'),
      );
      return row;
    }));
    table.hidden = rejects.length === 0;
    byTestId(card, 'rejects-empty').hidden = rejects.length !== 0;
  }

  function cell(testId, value, title, wrap) {
    const td = document.createElement('td');
    td.dataset.testid = testId;
    const target = wrap ? td.appendChild(document.createElement(wrap)) : td;
    target.textContent = value == null ? '' : String(value);
    if (title != null) {
      td.title = String(title);
    }
    return td;
  }

  // ---- panels -----------------------------------------------------------------------------------------------

  /** What each kind of panel reads under its path, and how it shows it; a kind not listed here is not shown. */
  const KINDS = {
    leaderboard: { url: (p) => `${p.path}/top?limit=${TOP_GROUPS}`, render: renderLeaderboard },
    daily_counts: { url: (p) => `${p.path}/events`, render: renderDailyCounts },
    partitions: { url: (p) => p.path, render: renderPartitions },
  };

  /**
   * One section per panel of /api/panels, in its order (pipeline by pipeline); a panel no longer listed goes. A
   * path not under /api/ is skipped: the page sends the token nowhere else.
   */
  function placePanels(doc) {
    const listed = [];
    for (const pipeline of doc && Array.isArray(doc.pipelines) ? doc.pipelines : []) {
      for (const panel of Array.isArray(pipeline.panels) ? pipeline.panels : []) {
        if (panel && Object.hasOwn(KINDS, panel.kind) && typeof panel.path === 'string'
            && panel.path.startsWith('/api/')) {
          listed.push({ pipeline: String(pipeline.name), panel });
        }
      }
    }
    const container = page('panels');
    const seen = new Set();
    for (const { pipeline, panel } of listed) {
      const key = JSON.stringify([pipeline, panel.kind, panel.path]);
      seen.add(key);
      let entry = panels.get(key);
      if (!entry) {
        const element = document.getElementById('panel').content.firstElementChild.cloneNode(true);
        element.append(document.getElementById(`panel-${panel.kind}`).content.cloneNode(true));
        element.dataset.pipeline = pipeline;
        element.dataset.kind = panel.kind;
        element.dataset.path = panel.path;
        entry = { pipeline, panel, element };
        panels.set(key, entry);
      }
      entry.panel = panel;
      byTestId(entry.element, 'panel-title').textContent = `${pipeline} · ${String(panel.title)}`;
      container.append(entry.element);
    }
    for (const [key, entry] of panels) {
      if (!seen.has(key)) {
        entry.element.remove();
        panels.delete(key);
      }
    }
  }

  function renderPanel(entry, result) {
    const message = byTestId(entry.element, 'panel-message');
    if (result.status === 'rejected') {
      // Keep the last data in view, marked as not current (e.g. 503 while its store is down).
      showNote(message, `Unavailable right now (${describe(result.reason)}).`);
      return;
    }
    if (result.value === null) {
      showNote(message, 'This server does not serve these routes.');
      return;
    }
    KINDS[entry.panel.kind].render(entry, result.value, message);
  }

  function showNote(element, text) {
    element.textContent = text;
    element.hidden = text === '';
  }

  function option(panel, name, fallback) {
    const options = panel.options && typeof panel.options === 'object' ? panel.options : {};
    return typeof options[name] === 'string' && options[name] !== '' ? options[name] : fallback;
  }

  /** The largest groups as the totals routes rank them, with the global total: the page never reads every group. */
  function renderLeaderboard(entry, doc, message) {
    const { element, panel } = entry;
    const groupsMember = option(panel, 'groups', 'groups');
    const groups = doc[groupsMember] && typeof doc[groupsMember] === 'object' ? doc[groupsMember] : {};
    const top = Object.entries(groups)
      .map(([name, sums]) => ({ name, total: nonNegative(sums && sums.total) }))
      .slice(0, TOP_GROUPS);
    const leader = top.length === 0 ? 1 : Math.max(1, top[0].total);
    const total = nonNegative(doc[option(panel, 'total', 'total')]);
    const count = nonNegative(doc[option(panel, 'count', 'count')]);

    byTestId(element, 'leaderboard-total').textContent = numberFormat.format(total);
    byTestId(element, 'leaderboard-total').dataset.value = String(total);
    byTestId(element, 'leaderboard-count').textContent = numberFormat.format(count);
    byTestId(element, 'leaderboard-count').dataset.value = String(count);
    byTestId(element, 'leaderboard-groups').textContent = groupsMember;
    byTestId(element, 'leaderboard-group').textContent = capitalized(option(panel, 'group', 'group'));
    showNote(message, count === 0 ? 'Nothing counted yet.' : '');

    const body = byTestId(element, 'leaderboard').tBodies[0];
    const key = JSON.stringify(top);
    if (body.dataset.key === key) {
      return; // unchanged: leave the rows alone so a reader's selection survives the poll
    }
    body.dataset.key = key;
    body.replaceChildren(...top.map((row, i) => {
      const tr = document.createElement('tr');
      tr.dataset.testid = 'leaderboard-row';
      const sum = cell('leaderboard-sum', numberFormat.format(row.total));
      sum.className = 'num';
      sum.dataset.value = String(row.total);
      const barCell = document.createElement('td');
      barCell.className = 'bar-col';
      const bar = barCell.appendChild(document.createElement('span'));
      bar.className = 'bar';
      bar.style.width = `${((row.total / leader) * 100).toFixed(1)}%`; // CSSOM, allowed by the CSP
      tr.append(cell('leaderboard-rank', String(i + 1)), cell('leaderboard-name', row.name), sum, barCell);
      return tr;
    }));
  }

  function capitalized(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /** When each event's chart was drawn; the charts themselves are on the charts page of the pipeline. */
  function renderDailyCounts(entry, doc, message) {
    const { element, pipeline } = entry;
    byTestId(element, 'charts-link').href = `/charts?pipeline=${encodeURIComponent(pipeline)}`;
    const events = Array.isArray(doc.events) ? doc.events : [];
    showNote(message, events.length === 0 ? 'No report events are configured.' : '');
    const list = byTestId(element, 'daily-counts-events');
    const key = JSON.stringify(events);
    if (list.dataset.key === key) {
      return;
    }
    list.dataset.key = key;
    list.replaceChildren(...events.map((e) => {
      const item = document.createElement('li');
      item.dataset.testid = 'daily-counts-event';
      const name = item.appendChild(document.createElement('code'));
      name.textContent = String(e.event);
      item.append(e.generated_at ? `: drawn ${when(e.generated_at)}` : ': no chart yet');
      return item;
    }));
  }

  /** Today's partitions (UTC) and what they hold; the route sends at most its maxPartitions of them. */
  function renderPartitions(entry, doc, message) {
    const { element, panel } = entry;
    const max = Number(option(panel, 'maxPartitions', String(MAX_PARTITIONS)));
    const partitions = Array.isArray(doc.partitions) ? doc.partitions : [];
    showNote(message, partitions.length === 0 ? 'No files of today yet.' : '');
    byTestId(element, 'partitions-totals').textContent =
      `${numberFormat.format(doc.files)} files, ${size(doc.bytes)} on ${String(doc.day)}`
        + (partitions.length >= max ? `; the newest ${max} partitions are listed.` : '.');
    const rows = byTestId(element, 'partition-rows');
    const key = JSON.stringify(partitions);
    if (rows.dataset.key === key) {
      return;
    }
    rows.dataset.key = key;
    rows.replaceChildren(...partitions.map((p) => {
      const row = document.createElement('tr');
      row.dataset.testid = 'partition-row';
      const path = row.insertCell().appendChild(document.createElement('code'));
      path.textContent = String(p.partition);
      const files = row.insertCell();
      files.className = 'num';
      files.textContent = numberFormat.format(p.files);
      const bytes = row.insertCell();
      bytes.className = 'num';
      bytes.textContent = size(p.bytes);
      row.insertCell().textContent = when(p.lastModified);
      return row;
    }));
  }

  /** Bytes as "512 B", "12.3 KB" or "4.5 MB" (1 KB = 1024 B). */
  function size(bytes) {
    const n = Number(bytes);
    if (!Number.isFinite(n)) {
      return String(bytes);
    }
    if (n < 1024) {
      return `${n} B`;
    }
    return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / (1024 * 1024)).toFixed(1)} MB`;
  }

  // ---- time --------------------------------------------------------------------------------------------------

  const pad = (n) => String(n).padStart(2, '0');
  const clock = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

  /** An ISO instant as local time of day, with the date when it is not today; the raw text when unparsable. */
  function when(iso) {
    const d = new Date(iso);
    if (iso == null || Number.isNaN(d.getTime())) {
      return iso == null ? '' : String(iso);
    }
    const today = new Date();
    const sameDay = d.toDateString() === today.toDateString();
    return sameDay ? clock(d) : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(d)}`;
  }

  /** " (for 2 min 5 s)" from an ISO start to the status document's time; "" when either is unparsable. */
  function since(startIso, nowIso) {
    const seconds = Math.round((new Date(nowIso) - new Date(startIso)) / 1000);
    if (!Number.isFinite(seconds) || seconds < 0) {
      return '';
    }
    return seconds < 60 ? ` (for ${seconds} s)` : ` (for ${Math.floor(seconds / 60)} min ${seconds % 60} s)`;
  }

  // ---- start -------------------------------------------------------------------------------------------------

  window.SluiceAuth.start(page, { poll, clear: clearDashboard });
})();
