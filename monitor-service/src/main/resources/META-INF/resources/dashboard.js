// The monitor's dashboard: all-time stats of every series from /api/channels, then kept current by the
// live stream (/api/stream), which also brings alerts. Rendering is batched to one frame per 250 ms, so a
// fast replay costs the browser little; the stream itself drops what the page cannot take.
'use strict';

const SPARK = 120; // readings kept per series for its sparkline
const ALERTS = 100; // alert events kept, newest first
const SHOWN = 20; // latest events shown at first; "More" shows as many again
const series = new Map(); // "device/channel" -> {deviceId, channel, unit, stats, values: [], el}
const alerts = []; // newest first
const firing = new Map(); // "rule/device" -> the event that fired it, of alerts firing now
let shown = SHOWN;
let dirty = new Set();
let alertsDirty = true;

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
    s = { deviceId, channel, unit, stats: null, values: [] };
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
    card.innerHTML = `<h3></h3>`;
    card.querySelector('h3').textContent = deviceId;
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
    <canvas width="300" height="36"></canvas><span class="facts"></span>`;
  el.querySelector('.name').textContent = s.channel;
  el.querySelector('.unit').textContent = s.unit;
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
    spark(el.querySelector('canvas'), s.values);
  }
  dirty = new Set();
  const devices = new Set([...series.values()].map((s) => s.deviceId));
  $('device-count').textContent = devices.size ? `(${devices.size})` : '';
  $('no-devices').hidden = devices.size > 0;
  for (const card of document.querySelectorAll('.device')) {
    card.classList.toggle('alerting', [...firing.values()].some((a) => a.deviceId === card.dataset.device));
  }
  if (alertsDirty) renderAlerts();
}

function spark(canvas, values) {
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (values.length < 2) return;
  const min = Math.min(...values), max = Math.max(...values), span = max - min || 1;
  ctx.strokeStyle = '#2f6fde';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  values.forEach((v, i) => {
    const x = (i / (values.length - 1)) * canvas.width;
    const y = canvas.height - 3 - ((v - min) / span) * (canvas.height - 6);
    i ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
  });
  ctx.stroke();
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
    if (!s.stats || st.count >= s.stats.count) s.stats = st;
    dirty.add(s);
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
      s.values.push(event.value);
      if (s.values.length > SPARK) s.values.shift();
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

connect(); // first, so that nothing applied while the page loads is missed
load().then(render);
setInterval(render, 250);
setInterval(() => load().catch(() => {}), 30000); // rules and alerts changed elsewhere
rate();
