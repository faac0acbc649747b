// The monitor's dashboard: all-time stats of every series from /api/channels and a chart of each over the
// chosen range from /series (bucket means, min–max as a band), then kept current by the live stream
// (/api/stream), which also brings alerts. Rendering is batched to one frame per 250 ms and redraws only
// the series that changed, so a fast replay costs the browser little; the stream itself drops what the
// page cannot take.
'use strict';

// The ranges a chart shows, each at the resolution that keeps it to at most 169 points. A chart ends at
// its series' latest reading (event time), so a replay of 2016 shows 2016.
const RANGES = {
  '15m': { ms: 15 * 60e3, resolution: 'PT1M', step: 60e3, window: 'PT15M', words: '15 minutes' },
  '1h': { ms: 60 * 60e3, resolution: 'PT1M', step: 60e3, window: 'PT1H', words: 'hour' },
  '24h': { ms: 24 * 3600e3, resolution: 'PT1H', step: 3600e3, window: 'PT24H', words: '24 hours' },
  '7d': { ms: 7 * 24 * 3600e3, resolution: 'PT1H', step: 3600e3, window: 'P7D', words: '7 days' },
};
const REPLAY = 3600e3; // event time further than this from now: the page says it shows a replay
const ALERTS = 100; // alert events kept, newest first
const SHOWN = 20; // latest events shown at first; "More" shows as many again
const series = new Map(); // "device/channel" -> {deviceId, channel, unit, stats, el, chart}
const alerts = []; // newest first
const firing = new Map(); // "rule/device" -> the event that fired it, of alerts firing now
let shown = SHOWN;
let dirty = new Set();
let alertsDirty = true;
let generation = 0; // of the range: a chart of another generation reloads its history
let filter = ''; // device ids shown contain this (lower case)

// What the address says to show: `#range=24h&device=ac` (a range, and one device in the large view).
function route() {
  const params = new URLSearchParams(location.hash.slice(1));
  return { range: RANGES[params.get('range')] ? params.get('range') : '1h', device: params.get('device') || null };
}

function link(to) {
  const params = new URLSearchParams({ range: to.range });
  if (to.device) params.set('device', to.device);
  return '#' + params;
}

let { range, device: focus } = route();

const $ = (id) => document.getElementById(id);

function number(value, digits = 1) {
  return value == null ? '–' : Number(value).toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function time(iso) {
  return iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : '';
}

function seriesOf(deviceId, channel, unit) {
  const key = deviceId + '/' + channel;
  let s = series.get(key);
  if (!s) {
    s = { deviceId, channel, unit, stats: null, chart: newChart() };
    series.set(key, s);
  }
  return s;
}

function deviceCard(deviceId) {
  let card = document.querySelector(`.device[data-device="${CSS.escape(deviceId)}"]`);
  if (!card) {
    card = document.createElement('article');
    card.className = 'device';
    card.dataset.device = deviceId;
    card.innerHTML = `<h3><a></a></h3>`;
    card.querySelector('h3 a').textContent = deviceId;
    card.querySelector('h3 a').href = link({ range, device: deviceId });
    card.hidden = !shows(deviceId);
    card.classList.toggle('large', deviceId === focus);
    const cards = [...$('devices').children];
    const after = cards.find((other) => other.dataset.device > deviceId);
    $('devices').insertBefore(card, after || null);
  }
  return card;
}

function seriesElement(s) {
  if (s.el) return s.el;
  const card = deviceCard(s.deviceId);
  const el = document.createElement('div');
  el.className = 'series';
  el.dataset.series = s.deviceId + '/' + s.channel;
  el.innerHTML = `<span class="name"></span><span class="at"></span>
    <span class="value"><span class="number"></span><span class="unit"></span></span><span></span>
    <div class="chart"></div><span class="facts"></span><span class="window" hidden></span>`;
  el.querySelector('.name').textContent = s.channel;
  el.querySelector('.unit').textContent = s.unit;
  el.querySelector('.chart').dataset.series = el.dataset.series;
  el.querySelector('.window').hidden = s.deviceId !== focus;
  const siblings = [...card.querySelectorAll('.series')];
  const after = siblings.find((other) => other.dataset.series > el.dataset.series);
  card.insertBefore(el, after || null);
  s.el = el;
  return el;
}

function render() {
  for (const s of dirty) {
    const el = seriesElement(s);
    const st = s.stats;
    el.querySelector('.number').textContent = number(st.last && st.last.value);
    el.querySelector('.at').textContent = time(st.last && st.last.timestamp);
    let facts = `n ${st.count.toLocaleString('en')} · mean ${number(st.mean)} · min ${number(st.min)} · max ${number(st.max)}`;
    if (st.energyWh != null) facts += ` · ${number(st.energyWh / 1000, 2)} kWh`;
    el.querySelector('.facts').textContent = facts;
    draw(s);
  }
  dirty = new Set();
  replayNotice();
  const devices = new Set([...series.values()].map((s) => s.deviceId));
  $('device-count').textContent = devices.size ? `(${devices.size})` : '';
  $('no-devices').hidden = devices.size > 0;
  for (const card of document.querySelectorAll('.device')) {
    card.classList.toggle('alerting', [...firing.values()].some((a) => a.deviceId === card.dataset.device));
  }
  if (alertsDirty) renderAlerts();
}

// A series' chart: its buckets over the range, oldest first, each {t: start in ms, count, mean, min, max}.
// While its history loads, live readings wait in `pending`; those the history already holds (up to its
// latest reading) are then skipped, the others folded in, so that nothing is drawn twice or lost.
function newChart() {
  return { generation: -1, buckets: [], pending: null, loadedUpTo: -Infinity, latest: -Infinity, plot: null };
}

const floorTo = (t, step) => Math.floor(t / step) * step;
const iso = (t) => new Date(t).toISOString().replace('.000Z', 'Z'); // as the API writes instants

async function loadHistory(s) {
  const chart = s.chart;
  const mine = (chart.generation = generation);
  const { ms, resolution, step } = RANGES[range];
  chart.pending = [];
  const latest = Date.parse(s.stats.last.timestamp);
  const from = iso(floorTo(latest - ms, step));
  const url = `/api/devices/${encodeURIComponent(s.deviceId)}/${s.channel}/series?resolution=${resolution}`
    + `&from=${from}&limit=${ms / step + 2}`;
  try {
    const answer = await fetch(url).then((r) => (r.ok ? r.json() : Promise.reject(new Error(url + ': ' + r.status))));
    if (mine !== generation) return; // the range changed meanwhile
    chart.buckets = answer.buckets.filter((b) => b.count > 0)
      .map((b) => ({ t: Date.parse(b.start), count: b.count, mean: b.mean, min: b.min, max: b.max }));
    chart.loadedUpTo = Math.max(-Infinity, ...answer.buckets.filter((b) => b.last).map((b) => Date.parse(b.last.timestamp)));
    chart.latest = Math.max(latest, chart.loadedUpTo);
    const waiting = chart.pending;
    chart.pending = null;
    for (const [t, value] of waiting) extend(s, t, value);
  } catch (e) {
    if (mine === generation) { chart.pending = null; chart.generation = -1; } // asked again by the next reading or load()
  }
  dirty.add(s);
}

// Folds a live reading into its bucket (a new one when it starts one) and drops the buckets that left the range.
function extend(s, t, value) {
  const chart = s.chart;
  if (chart.pending) { chart.pending.push([t, value]); return; }
  if (chart.generation !== generation || t <= chart.loadedUpTo) return;
  const { ms, step } = RANGES[range];
  const start = floorTo(t, step);
  const buckets = chart.buckets;
  let i = buckets.length;
  while (i > 0 && buckets[i - 1].t > start) i--;
  const b = buckets[i - 1];
  if (b && b.t === start) {
    b.mean += (value - b.mean) / ++b.count;
    b.min = Math.min(b.min, value);
    b.max = Math.max(b.max, value);
  } else {
    buckets.splice(i, 0, { t: start, count: 1, mean: value, min: value, max: value });
  }
  chart.latest = Math.max(chart.latest, t);
  const first = floorTo(chart.latest - ms, step);
  while (buckets.length && buckets[0].t < first) buckets.shift();
}

function size(el) {
  return { width: Math.max(120, el.clientWidth), height: el.closest('.large') ? 240 : 110 };
}

// Sizes a chart to its element, if that changed (a card shown, hidden or enlarged, a window resized).
function fit(s) {
  const want = size(s.el.querySelector('.chart'));
  const plot = s.chart.plot;
  if (plot && (plot.width !== want.width || plot.height !== want.height)) plot.setSize(want);
}

// What every chart shares: event time in UTC, as the API gives it, and quiet axes.
const UTC = (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC');
const AXIS = { stroke: '#6b7385', font: '10px system-ui, sans-serif', grid: { stroke: '#eef0f4', width: 1 }, ticks: { show: false } };

// A chart's hover read-out shows the point under the cursor, else the latest one.
const latest = (u, v, i, idx) => (idx == null ? u.data[i][u.data[i].length - 1] : v);

function plotOf(s) {
  const el = s.el.querySelector('.chart');
  const value = (u, v, i, idx) => ((v = latest(u, v, i, idx)) == null ? '–' : `${number(v)} ${s.unit}`);
  return new uPlot({
    ...size(el),
    tzDate: UTC,
    cursor: { y: false, points: { size: 5 } },
    legend: { live: true },
    // The whole range, ending at the latest bucket, however little of it has readings.
    scales: { x: { time: true, range: () => {
      const { ms, step } = RANGES[range];
      return [floorTo(s.chart.latest - ms, step) / 1e3, floorTo(s.chart.latest, step) / 1e3];
    } } },
    series: [
      { label: 'UTC', value: (u, ts, i, idx) => ((ts = latest(u, ts, i, idx)) == null ? '–' : time(iso(ts * 1e3)).replace(':00 UTC', '')) },
      { label: 'mean', stroke: '#2f6fde', width: 1.5, value: (u, v, i, idx) => {
        const at = idx == null ? u.data[0].length - 1 : idx;
        const min = u.data[3][at], max = u.data[2][at];
        return value(u, v, i, idx) + (min == null || min === max ? '' : ` (${number(min)}–${number(max)})`);
      } },
      { label: 'max', stroke: 'rgba(47,111,222,0.25)', width: 0, value, points: { show: false } },
      { label: 'min', stroke: 'rgba(47,111,222,0.25)', width: 0, value, points: { show: false } },
    ],
    bands: [{ series: [2, 3], fill: 'rgba(47,111,222,0.14)' }],
    axes: [
      { ...AXIS, size: 22, values: (u, splits, i, space, incr) => splits.map((ts) => clock(ts, incr)) },
      { ...AXIS, size: 56, values: (u, splits, i, space, incr) => splits.map((v) => `${tick(v, incr)} ${s.unit}`) },
    ],
  }, [[], [], [], []], el);
}

// A time axis' label, in UTC: the day where the ticks are days apart or a tick is midnight, else the time.
function clock(ts, incr) {
  const d = new Date(ts * 1e3), pad = (n) => String(n).padStart(2, '0');
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (incr >= 86400 || hm === '00:00') return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return incr < 60 ? `${hm}:${pad(d.getUTCSeconds())}` : hm;
}

// A value axis' label, with as many decimals as its ticks' increment needs (1,500 W; 21.25 °C).
function tick(v, incr) {
  const digits = Math.min(3, Math.max(0, -Math.floor(Math.log10(incr) + 1e-9)));
  return v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// The chart's data for uPlot (seconds), with a null where the series went quiet, so that no line crosses
// the gap: a distance between buckets over three times the usual one (a house that reports every 10
// minutes has no gap at minute resolution until 30 minutes pass), and what a test reads off the element:
// the points drawn, the resolution, the last point.
function draw(s) {
  const chart = s.chart;
  if (chart.generation !== generation || chart.pending) return;
  const el = s.el.querySelector('.chart');
  chart.plot = chart.plot || plotOf(s);
  const { step, resolution } = RANGES[range];
  const data = [[], [], [], []];
  const distances = chart.buckets.slice(1).map((b, i) => b.t - chart.buckets[i].t).sort((a, b) => a - b);
  const gap = 3 * Math.max(step, distances[distances.length >> 1] || step);
  let previous = null;
  for (const b of chart.buckets) {
    if (previous != null && b.t - previous > gap) data.forEach((column, i) => column.push(i ? null : (previous + step) / 1e3));
    data[0].push(b.t / 1e3); data[1].push(b.mean); data[2].push(b.max); data[3].push(b.min);
    previous = b.t;
  }
  chart.plot.setData(data);
  const last = chart.buckets[chart.buckets.length - 1];
  Object.assign(el.dataset, {
    points: chart.buckets.length, resolution, range, draws: (Number(el.dataset.draws) || 0) + 1,
    lastStart: last ? iso(last.t) : '', lastMean: last ? last.mean : '',
  });
}

// The large view of one device: its charts taller, each series' stats over the range
// (/api/devices/{id}/{channel}?window=) and, for power, its daily energy in kWh (the P1D buckets).
function shows(deviceId) {
  return focus ? deviceId === focus : !filter || deviceId.toLowerCase().includes(filter);
}

function layout() {
  for (const card of document.querySelectorAll('.device')) {
    card.hidden = !shows(card.dataset.device);
    card.classList.toggle('large', card.dataset.device === focus);
    card.querySelector('h3 a').href = link({ range, device: card.dataset.device });
  }
  $('back').hidden = !focus;
  $('back').href = link({ range });
  $('filter').hidden = !!focus;
  for (const s of series.values()) {
    if (!s.el) continue;
    fit(s);
    s.el.querySelector('.window').hidden = s.deviceId !== focus;
    if (s.deviceId !== focus && s.daily) { s.daily.root.parentElement.remove(); s.daily.destroy(); s.daily = null; }
  }
  return focused();
}

async function focused() {
  const shown = [...series.values()].filter((s) => s.deviceId === focus && s.el);
  await Promise.all(shown.map(async (s) => {
    const { window, words } = RANGES[range];
    const url = `/api/devices/${encodeURIComponent(s.deviceId)}/${s.channel}?window=${window}`;
    const st = await fetch(url).then((r) => (r.ok ? r.json() : null));
    if (!st || s.deviceId !== focus) return;
    let text = `last ${words}: n ${st.count.toLocaleString('en')} · mean ${number(st.mean)} · min ${number(st.min)}`
      + ` · max ${number(st.max)} · last ${number(st.last && st.last.value)} ${s.unit}`;
    if (st.energyWh != null) text += ` · ${number(st.energyWh / 1000, 2)} kWh`;
    s.el.querySelector('.window').textContent = text;
    if (s.channel === 'power') await daily(s);
  }));
}

async function daily(s) {
  const answer = await fetch(`/api/devices/${encodeURIComponent(s.deviceId)}/power/series?resolution=P1D`)
    .then((r) => (r.ok ? r.json() : null));
  if (!answer || s.deviceId !== focus) return;
  const days = answer.buckets.map((b) => Date.parse(b.start) / 1e3);
  const kwh = answer.buckets.map((b) => b.energyWh / 1000);
  if (!s.daily) {
    const el = document.createElement('div');
    el.className = 'daily';
    el.dataset.series = s.deviceId + '/' + s.channel;
    el.innerHTML = '<span class="name">energy per day (UTC)</span>';
    s.el.append(el);
    s.daily = new uPlot({
      width: Math.max(120, el.clientWidth), height: 160,
      tzDate: UTC,
      cursor: { y: false },
      scales: { x: { time: true, range: (u, min, max) => [min - 43200, max + 43200] } },
      series: [
        { label: 'day', value: (u, ts, i, idx) => ((ts = latest(u, ts, i, idx)) == null ? '–' : iso(ts * 1e3).slice(0, 10)) },
        { label: 'energy', fill: 'rgba(47,111,222,0.5)', stroke: '#2f6fde', width: 1, points: { show: false },
          paths: uPlot.paths.bars({ size: [0.6, 40] }),
          value: (u, v, i, idx) => ((v = latest(u, v, i, idx)) == null ? '–' : `${number(v, 2)} kWh`) },
      ],
      axes: [
        // Ticks whole days apart, each labelled with its day.
        { ...AXIS, size: 22, incrs: [1, 2, 7, 14, 30].map((days) => days * 86400),
          values: (u, splits) => splits.map((ts) => iso(ts * 1e3).slice(5, 10)) },
        { ...AXIS, size: 56, values: (u, splits, i, space, incr) => splits.map((v) => `${tick(v, incr)} kWh`) },
      ],
    }, [days, kwh], el);
  } else {
    s.daily.setData([days, kwh]);
  }
  Object.assign(s.daily.root.parentElement.dataset, { points: days.length, kwh: kwh.join(',') });
}

// Says when the event time shown is far from now: a replay of a recording, or a device with a wrong clock.
function replayNotice() {
  const latest = Math.max(...[...series.values()].map((s) => (s.stats?.last ? Date.parse(s.stats.last.timestamp) : -Infinity)));
  const far = Number.isFinite(latest) && Math.abs(Date.now() - latest) > REPLAY;
  $('replay').hidden = !far;
  if (far) $('replay').textContent = `replay · event time ${time(new Date(latest).toISOString())}`;
}

function alertItem(a) {
  const li = document.createElement('li');
  li.className = a.state;
  li.dataset.rule = a.rule;
  li.dataset.device = a.deviceId;
  li.innerHTML = `<span class="state"></span> <b class="rule"></b> <span class="when"></span><div class="detail"></div>`;
  li.querySelector('.state').textContent = a.state;
  li.querySelector('.rule').textContent = a.rule;
  li.querySelector('.when').textContent = time(a.at);
  li.querySelector('.detail').textContent = a.detail;
  return li;
}

// What is firing now, newest first, then the latest events, at most `shown` of them.
function renderAlerts() {
  alertsDirty = false;
  const now = [...firing.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  $('firing').replaceChildren(...now.map(alertItem));
  $('none-firing').hidden = now.length > 0;
  $('alerts').replaceChildren(...alerts.slice(0, shown).map(alertItem));
  $('no-alerts').hidden = alerts.length > 0;
  $('more-alerts').hidden = alerts.length <= shown;
}

function alerted(a) {
  const key = a.rule + '/' + a.deviceId;
  if (a.state === 'firing') firing.set(key, a); else firing.delete(key);
  alerts.unshift(a);
  alerts.length = Math.min(alerts.length, ALERTS);
  alertsDirty = true;
}

// The stats, the latest alerts and the rules; again after the stream reconnects, for what it missed.
async function load() {
  const [temp, power, recent, rules] = await Promise.all(
    ['/api/channels/temp', '/api/channels/power', `/api/alerts?limit=${ALERTS}`, '/api/alerts/rules']
      .map((url) => fetch(url).then((r) => (r.ok ? r.json() : []))));
  for (const st of [...temp, ...power]) {
    const s = seriesOf(st.deviceId, st.channel, st.unit);
    if (!s.stats || st.count > s.stats.count) { // else the stream brought it already, or more
      s.stats = st;
      dirty.add(s);
    }
    if (s.chart.generation !== generation) loadHistory(s);
  }
  // The history (newest first, in the order the monitor found them) after what only the stream brought,
  // replayed oldest first to know what is firing now.
  const seen = new Set(recent.map((a) => JSON.stringify(a)));
  const merged = [...alerts.filter((a) => !seen.has(JSON.stringify(a))), ...recent];
  alerts.length = 0;
  firing.clear();
  for (const a of merged.slice(0, ALERTS).reverse()) alerted(a);
  alertsDirty = true;
  $('rules').replaceChildren(...rules.map((rule) => {
    const li = document.createElement('li');
    li.innerHTML = '<code></code> ';
    li.querySelector('code').textContent = rule.id;
    li.append(rule.description);
    return li;
  }));
  $('no-rules').hidden = rules.length > 0;
}

function connect() {
  const stream = new EventSource('/api/stream');
  let lost = false;
  stream.onopen = () => {
    $('connection').dataset.state = 'live';
    $('connection').textContent = 'live';
    if (lost) load().then(render); // catch up on what happened while disconnected
    lost = false;
  };
  stream.onerror = () => {
    lost = true;
    $('connection').dataset.state = 'lost';
    $('connection').textContent = 'reconnecting…';
  };
  stream.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.type === 'reading') {
      const s = seriesOf(event.deviceId, event.channel, event.stats.unit);
      s.stats = event.stats;
      extend(s, Date.parse(event.timestamp), event.value);
      if (s.chart.generation !== generation) loadHistory(s);
      dirty.add(s);
    } else if (event.type === 'alert') {
      alerted(event.alert);
    }
  };
}

async function rate() {
  let previous = null;
  for (;;) {
    try {
      const status = await fetch('/api/status').then((r) => r.json());
      const applied = Object.values(status.applied).reduce((a, b) => a + b, 0);
      const now = performance.now();
      if (previous) {
        const perSecond = ((applied - previous.applied) * 1000) / (now - previous.now);
        $('rate').textContent = `${Math.round(perSecond).toLocaleString('en')} readings/s · ${applied.toLocaleString('en')} applied`;
      }
      previous = { applied, now };
    } catch (e) {
      $('rate').textContent = '';
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

$('more-alerts').onclick = () => {
  shown += SHOWN;
  alertsDirty = true;
  render();
};

$('range').value = range;
$('range').onchange = () => { location.hash = link({ range: $('range').value, device: focus }); };
window.addEventListener('hashchange', () => {
  const to = route();
  if (to.range !== range) {
    range = to.range;
    $('range').value = range;
    generation++;
    for (const s of series.values()) loadHistory(s);
  }
  focus = to.device;
  layout();
});
$('filter').oninput = () => {
  filter = $('filter').value.trim().toLowerCase();
  layout();
};
// Which monitor served this page: with several (docs/scale-out.md), any of them answers for every device.
fetch('/api/cluster/self').then((r) => r.json()).then((self) => { $('served').textContent = `served by ${self.id}`; })
  .catch(() => {});
window.addEventListener('resize', () => {
  for (const s of series.values()) if (s.el) fit(s);
});

connect(); // first, so that nothing applied while the page loads is missed
load().then(render).then(layout);
// At most four frames a second, and none while the tab is hidden (the browser runs no frame then).
let frame = 0;
setInterval(() => { frame = frame || requestAnimationFrame(() => { frame = 0; render(); }); }, 250);
setInterval(() => load().catch(() => {}), 30000); // rules and alerts changed elsewhere
setInterval(() => focus && focused().catch(() => {}), 10000); // the large view's window stats and daily energy
rate();
