// Benchlink dashboard: one page, no build step, no external files. It reads /api/summary once (today's yield,
// results per minute), then follows the gateway's own WebSocket: snapshot first, live after, and after a drop
// it reconnects with backoff and since=<last seq>, so no result is missed or counted twice.
(function () {
  'use strict';
  var RESULTS = ['success', 'fail', 'error'];
  var MINUTES = 60;
  var params = new URLSearchParams(location.search);
  var token = params.get('token');
  var wsPort = document.querySelector('meta[name="benchlink-ws-port"]').content;

  var devices = {};        // device_id -> last event
  var yieldToday = {};     // device_id -> {success, fail, error} for `today`
  var perMinute = {};      // "yyyy-MM-ddTHH:mm" -> {success, fail, error}
  var counted = {};        // seqs already counted into yield/chart
  var today = null;        // gateway-local date of the summary
  var countedUpTo = 0;     // the summary counted every result up to this seq
  var clockOffset = 0;     // gateway wall clock (read as UTC) minus this browser's clock, in ms
  var lastSeq = 0;
  var backoff = 500;
  var fresh = {};

  var linkEl = document.getElementById('link');
  var filterEl = document.getElementById('filter');
  var tbody = document.querySelector('#devices tbody');
  var emptyEl = document.getElementById('empty');
  var canvas = document.getElementById('chart');

  function setLink(state, text) {
    linkEl.dataset.state = state;
    linkEl.textContent = text;
  }

  function authHeaders() {
    return token ? { 'Authorization': 'Bearer ' + token } : {};
  }

  function zeroes() {
    return { success: 0, fail: 0, error: 0 };
  }

  function loadSummary() {
    return fetch('/api/summary', { headers: authHeaders(), cache: 'no-store' }).then(function (r) {
      if (!r.ok) { throw new Error('summary: HTTP ' + r.status); }
      return r.json();
    }).then(function (s) {
      today = s.date;
      countedUpTo = s.latest_seq;
      clockOffset = Date.parse(s.now.substring(0, 23) + 'Z') - Date.now();
      yieldToday = s.devices;
      s.per_minute.forEach(function (m) { perMinute[m.minute] = { success: m.success, fail: m.fail, error: m.error }; });
    }).catch(function (e) {
      // The live table works without the summary; yield and chart then count from page load on.
      console.warn(e);
    });
  }

  function count(ev) {
    if (RESULTS.indexOf(ev.status) < 0 || ev.seq <= countedUpTo || counted[ev.seq]) { return; }
    counted[ev.seq] = true;
    var date = ev.updated_at.substring(0, 10);
    if (today === null || date > today) { today = date; yieldToday = {}; }
    if (date === today) {
      var y = yieldToday[ev.device_id] || (yieldToday[ev.device_id] = zeroes());
      y[ev.status]++;
    }
    var minute = ev.updated_at.substring(0, 16);
    var m = perMinute[minute] || (perMinute[minute] = zeroes());
    m[ev.status]++;
  }

  function onEvent(ev) {
    if (typeof ev.seq === 'number' && ev.seq > lastSeq) { lastSeq = ev.seq; }
    var known = devices[ev.device_id];
    if (!known || known.seq <= ev.seq) {
      devices[ev.device_id] = ev;
      fresh[ev.device_id] = true;
    }
    count(ev);
    scheduleRender();
  }

  function connect() {
    var proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
    var query = lastSeq > 0 ? 'since=' + lastSeq : 'snapshot=true';
    if (token) { query += '&token=' + encodeURIComponent(token); }
    var ws = new WebSocket(proto + location.hostname + ':' + wsPort + '/ws/devices/all?' + query);
    ws.onopen = function () { backoff = 500; setLink('live', 'live'); };
    ws.onmessage = function (msg) {
      try { onEvent(JSON.parse(msg.data)); } catch (e) { console.warn('bad frame', e); }
    };
    ws.onclose = function (e) {
      if (e.code === 4401) { setLink('refused', 'token required: open this page with ?token=...'); return; }
      if (e.code === 4400) { setLink('refused', 'refused: ' + e.reason); return; }
      var wait = backoff;
      backoff = Math.min(backoff * 2, 5000);
      setLink('reconnecting', 'reconnecting in ' + Math.round(wait / 100) / 10 + ' s');
      setTimeout(connect, wait);
    };
  }

  var renderPending = false;
  function scheduleRender() {
    if (!renderPending) { renderPending = true; requestAnimationFrame(render); }
  }

  function cell(text, cls) {
    var td = document.createElement('td');
    if (cls) { td.className = cls; }
    td.textContent = text === null || text === undefined ? '' : text;
    return td;
  }

  function time(t) {
    return t ? t.substring(0, 19).replace('T', ' ') : '';
  }

  function yieldText(id) {
    var y = yieldToday[id];
    if (!y || y.success + y.fail === 0) { return '-'; }
    var pct = Math.round(1000 * y.success / (y.success + y.fail)) / 10;
    return pct + '% (' + y.success + '/' + (y.success + y.fail) + ')';
  }

  function render() {
    renderPending = false;
    var filter = filterEl.value.trim().toLowerCase();
    var ids = Object.keys(devices).sort();
    var rows = document.createDocumentFragment();
    ids.forEach(function (id) {
      var ev = devices[id];
      var text = [id, ev.status, ev.mac_address, ev.serial_number, ev.result].join(' ').toLowerCase();
      if (filter && text.indexOf(filter) < 0) { return; }
      var tr = document.createElement('tr');
      tr.dataset.device = id;
      tr.dataset.status = ev.status;
      tr.dataset.seq = ev.seq;
      if (fresh[id]) { tr.className = 'fresh'; }
      tr.appendChild(cell(id, 'mono'));
      var st = cell('');
      var badge = document.createElement('span');
      badge.className = 'status ' + ev.status;
      badge.textContent = ev.status;
      st.appendChild(badge);
      tr.appendChild(st);
      tr.appendChild(cell(ev.mac_address, 'mono'));
      tr.appendChild(cell(ev.serial_number, 'mono'));
      tr.appendChild(cell(ev.result, 'result'));
      tr.appendChild(cell(time(ev.time_start)));
      tr.appendChild(cell(time(ev.time_end)));
      tr.appendChild(cell(time(ev.updated_at)));
      tr.appendChild(cell(yieldText(id), 'yield'));
      rows.appendChild(tr);
    });
    fresh = {};
    tbody.replaceChildren(rows);
    emptyEl.style.display = ids.length ? 'none' : '';
    drawChart();
  }

  function minuteKey(ms) {
    return new Date(ms).toISOString().substring(0, 16);
  }

  function drawChart() {
    var ctx = canvas.getContext('2d');
    var ratio = window.devicePixelRatio || 1;
    var w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== w * ratio) { canvas.width = w * ratio; canvas.height = h * ratio; }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    var now = Date.now() + clockOffset;
    var keys = [];
    for (var i = MINUTES - 1; i >= 0; i--) { keys.push(minuteKey(now - i * 60000)); }
    var max = 1;
    keys.forEach(function (k) { var m = perMinute[k]; if (m) { max = Math.max(max, m.success + m.fail + m.error); } });
    var left = 30, bottom = h - 16, plotH = bottom - 6, slot = (w - left) / MINUTES;
    var styles = getComputedStyle(document.documentElement);
    ctx.fillStyle = '#6b7280';
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(String(max), 2, 12);
    ctx.fillText('0', 2, bottom);
    ctx.strokeStyle = '#e5e7eb';
    ctx.beginPath(); ctx.moveTo(left, bottom + 0.5); ctx.lineTo(w, bottom + 0.5); ctx.stroke();
    keys.forEach(function (k, i) {
      var m = perMinute[k];
      var y = bottom;
      if (m) {
        RESULTS.forEach(function (r) {
          var bar = plotH * m[r] / max;
          ctx.fillStyle = styles.getPropertyValue('--' + r).trim();
          ctx.fillRect(left + i * slot + 1, y - bar, Math.max(1, slot - 2), bar);
          y -= bar;
        });
      }
      if (i % 10 === 0) { ctx.fillStyle = '#6b7280'; ctx.fillText(k.substring(11), left + i * slot, h - 2); }
    });
  }

  filterEl.addEventListener('input', scheduleRender);
  setInterval(drawChart, 15000); // the window slides even when nothing arrives
  render();
  loadSummary().then(connect);
})();
