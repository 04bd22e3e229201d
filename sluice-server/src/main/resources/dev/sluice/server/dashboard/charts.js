// Sluice charts page (/charts?pipeline=NAME): each report event's latest chart and its daily numbers, from the
// daily_counts panels the pipeline lists in /api/panels, read with the stored bearer token. The chart is fetched as a
// blob and shown through an object URL (an <img> cannot send the header); every value from the server, and the
// pipeline named in the address, reaches the page through textContent or an attribute, never as markup.
'use strict';

(() => {
  const { Unauthorized, getJson, getBlob } = window.SluiceAuth;
  const POLL_MS = 60000;
  const KIND = 'daily_counts';

  const byTestId = (root, id) => root.querySelector(`[data-testid="${id}"]`);
  const page = (id) => byTestId(document, id);
  const numberFormat = new Intl.NumberFormat('en-US');
  const wanted = new URLSearchParams(window.location.search).get('pipeline');

  let timer = null;
  /** Routes path and event -> its section, kept across polls; the section remembers which drawing it shows. */
  const sections = new Map();

  function clearReports() {
    clearTimeout(timer);
    for (const section of sections.values()) {
      forgetChart(section);
    }
    sections.clear();
    page('reports').replaceChildren();
    page('charts-choices').replaceChildren();
  }

  /** Pipeline name -> the paths of its daily_counts panels under /api/, for the pipelines that have any. */
  function chartsByPipeline(doc) {
    const found = new Map();
    for (const pipeline of doc && Array.isArray(doc.pipelines) ? doc.pipelines : []) {
      const paths = (Array.isArray(pipeline.panels) ? pipeline.panels : [])
        .filter((p) => p && p.kind === KIND && typeof p.path === 'string' && p.path.startsWith('/api/'))
        .map((p) => p.path);
      if (paths.length > 0) {
        found.set(String(pipeline.name), paths);
      }
    }
    return found;
  }

  async function poll(token, ticket) {
    try {
      const charts = chartsByPipeline(await getJson('/api/panels', token));
      if (!ticket.current()) {
        return;
      }
      const name = wanted !== null ? wanted : charts.size === 1 ? [...charts.keys()][0] : null;
      const paths = name === null ? null : charts.get(name);
      const message = page('reports-message');
      if (!paths) {
        message.textContent = charts.size === 0 ? 'No running pipeline draws daily counts.'
          : name === null ? 'Choose a pipeline:' : `No running pipeline named ${name} draws daily counts. Choose one:`;
        message.hidden = false;
        showChoices(charts.size === 0 ? [] : [...charts.keys()]);
      } else {
        page('charts-title').textContent = `${name}: events per UTC day`;
        document.title = `Sluice · ${name} charts`;
        showChoices([]);
        let count = 0;
        for (const path of paths) {
          const doc = await getJson(`${path}/events`, token);
          const events = doc && Array.isArray(doc.events) ? doc.events : [];
          count += events.length;
          for (const e of events) {
            await renderReport(token, ticket, path, String(e.event),
              e.generated_at == null ? null : String(e.generated_at));
          }
        }
        message.textContent = count === 0 ? 'No report events are configured.' : '';
        message.hidden = count !== 0;
      }
      setConnection('live', `Live · updated ${new Date().toLocaleTimeString()}`);
    } catch (e) {
      if (!ticket.current()) {
        return;
      }
      if (e instanceof Unauthorized) {
        ticket.refused();
        return;
      }
      setConnection('error', `Cannot read the charts (${e && e.message ? e.message : String(e)}); retrying`);
    }
    timer = setTimeout(() => poll(token, ticket), POLL_MS);
  }

  /** Links to the charts of each pipeline that has some. */
  function showChoices(names) {
    const list = page('charts-choices');
    list.replaceChildren(...names.map((n) => {
      const item = document.createElement('li');
      const link = item.appendChild(document.createElement('a'));
      link.dataset.testid = 'charts-choice';
      link.href = `/charts?pipeline=${encodeURIComponent(n)}`;
      link.textContent = n;
      return item;
    }));
    list.hidden = names.length === 0;
  }

  /** Shows the latest drawing of one event; fetches the chart and its numbers only when the drawing is new. */
  async function renderReport(token, ticket, path, event, generatedAt) {
    const key = JSON.stringify([path, event]);
    let section = sections.get(key);
    if (!section) {
      section = document.getElementById('report').content.firstElementChild.cloneNode(true);
      section.dataset.event = event;
      byTestId(section, 'report-event').textContent = event;
      sections.set(key, section);
      page('reports').append(section);
    }
    if (section.dataset.generatedAt === (generatedAt || '')) {
      return;
    }
    if (generatedAt === null) {
      byTestId(section, 'report-generated').textContent = 'No chart yet: the charts job has not drawn this event.';
      section.dataset.generatedAt = '';
      return;
    }
    const query = encodeURIComponent(event);
    const [daily, chart] = await Promise.all([
      getJson(`${path}/daily?event=${query}`, token),
      getBlob(`${path}/charts/${query}.png`, token),
    ]);
    if (!ticket.current() || daily === null || chart === null) {
      return;
    }
    forgetChart(section);
    const img = byTestId(section, 'chart');
    img.src = URL.createObjectURL(chart);
    img.alt = `Bar chart of ${event} per UTC day`;
    byTestId(section, 'report-generated').textContent = `Drawn ${String(daily.generated_at)}`;
    renderDays(section, Array.isArray(daily.days) ? daily.days : []);
    section.dataset.generatedAt = generatedAt;
  }

  function forgetChart(section) {
    const img = byTestId(section, 'chart');
    if (img.src.startsWith('blob:')) {
      URL.revokeObjectURL(img.src);
      img.removeAttribute('src');
    }
  }

  /** One row per day, newest first: each group's count (the groups the report counted, in its order) and the sum. */
  function renderDays(section, days) {
    const groups = [];
    for (const d of days) {
      for (const name of Object.keys(d)) {
        if (name !== 'day' && !groups.includes(name)) {
          groups.push(name);
        }
      }
    }
    const table = byTestId(section, 'daily');
    const head = table.tHead.rows[0];
    head.replaceChildren(header('Day (UTC)'), ...groups.map((g) => header(g, 'num')), header('total', 'num'));
    table.tBodies[0].replaceChildren(...days.slice().reverse().map((d) => {
      const row = document.createElement('tr');
      row.dataset.testid = 'daily-row';
      row.append(cell('day', String(d.day)));
      let total = 0;
      for (const group of groups) {
        const value = typeof d[group] === 'number' ? d[group] : 0;
        total += value;
        const count = cell('count', numberFormat.format(value), value);
        count.dataset.group = group;
        row.append(count);
      }
      row.append(cell('total', numberFormat.format(total), total));
      return row;
    }));
  }

  function header(text, className) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    if (className) {
      th.className = className;
    }
    return th;
  }

  function cell(testId, text, value) {
    const td = document.createElement('td');
    td.dataset.testid = testId;
    td.textContent = text;
    if (value !== undefined) {
      td.className = 'num';
      td.dataset.value = String(value);
    }
    return td;
  }

  const setConnection = (state, text) => window.SluiceAuth.setConnection(page, state, text);

  window.SluiceAuth.start(page, { poll, clear: clearReports });
})();
