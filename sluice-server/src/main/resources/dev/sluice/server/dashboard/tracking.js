// Sluice tracking page: each report event's latest chart and its daily numbers, read with the stored bearer token.
// The chart is fetched as a blob and shown through an object URL (an <img> cannot send the header); every value from
// the server reaches the page through textContent or an attribute, never as markup.
'use strict';

(() => {
  const { Unauthorized, getJson, getBlob } = window.SluiceAuth;
  const POLL_MS = 60000;
  const PLATFORMS = ['android', 'ios', 'other'];

  const byTestId = (root, id) => root.querySelector(`[data-testid="${id}"]`);
  const page = (id) => byTestId(document, id);
  const numberFormat = new Intl.NumberFormat('en-US');

  let timer = null;
  /** Event -> its section, kept across polls; the section remembers which drawing it shows. */
  const sections = new Map();

  function clearReports() {
    clearTimeout(timer);
    for (const section of sections.values()) {
      forgetChart(section);
    }
    sections.clear();
    page('reports').replaceChildren();
  }

  async function poll(token, ticket) {
    try {
      const doc = await getJson('/api/tracking/events', token);
      if (!ticket.current()) {
        return;
      }
      const events = doc && Array.isArray(doc.events) ? doc.events : null;
      const message = page('reports-message');
      message.textContent = events === null ? 'This instance does not run the tracking pipeline.'
        : events.length === 0 ? 'No report events are configured.' : '';
      message.hidden = events !== null && events.length !== 0;
      for (const e of events || []) {
        await renderReport(token, ticket, String(e.event), e.generated_at == null ? null : String(e.generated_at));
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

  /** Shows the latest drawing of one event; fetches the chart and its numbers only when the drawing is new. */
  async function renderReport(token, ticket, event, generatedAt) {
    let section = sections.get(event);
    if (!section) {
      section = document.getElementById('report').content.firstElementChild.cloneNode(true);
      section.dataset.event = event;
      byTestId(section, 'report-event').textContent = event;
      sections.set(event, section);
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
      getJson(`/api/tracking/daily?event=${query}`, token),
      getBlob(`/api/tracking/charts/${query}.png`, token),
    ]);
    if (!ticket.current() || daily === null || chart === null) {
      return;
    }
    forgetChart(section);
    const img = byTestId(section, 'chart');
    img.src = URL.createObjectURL(chart);
    img.alt = `Bar chart of ${event} per UTC day and platform`;
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

  /** One row per day, newest first, with each platform's count and the day's total. */
  function renderDays(section, days) {
    const body = byTestId(section, 'daily').tBodies[0];
    body.replaceChildren(...days.slice().reverse().map((d) => {
      const row = document.createElement('tr');
      row.dataset.testid = 'daily-row';
      row.append(cell('day', String(d.day)));
      let total = 0;
      for (const platform of PLATFORMS) {
        const value = typeof d[platform] === 'number' ? d[platform] : 0;
        total += value;
        row.append(cell(platform, numberFormat.format(value), value));
      }
      row.append(cell('total', numberFormat.format(total), total));
      return row;
    }));
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
