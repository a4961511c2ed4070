// Benchlink dashboard: one page, no build step, no external files.
// 1. It renders from the HTTP API first: /api/devices (the last status of every device and the seq it is consistent
//    with), /api/summary (today's yield, results per minute) and a bounded /api/events replay that seeds each
//    device's last test result, so a tester that is offline still shows what it last measured.
// 2. Then it goes live over the gateway's WebSocket (since=<that seq>: no gap, no duplicate).
// 3. When the WebSocket cannot connect (port 8000 blocked by a firewall or proxy), it polls /api/events?since= over
//    HTTP instead and keeps trying the WebSocket in the background.
// /healthz is read every few seconds: a gateway whose store cannot commit shows as a banner.
(function () {
  'use strict';
  var RESULTS = ['success', 'fail', 'error'];
  var LINKS = ['online', 'offline'];
  var MINUTES = 60;
  var SEED_EVENTS = 5000;      // how far back the replay looks for each device's last result
  var POLL_MS = 2000;
  var WS_OPEN_WAIT_MS = 4000;  // a WebSocket not open by then: poll over HTTP meanwhile
  var params = new URLSearchParams(location.search);
  var token = params.get('token');
  var wsPort = document.querySelector('meta[name="benchlink-ws-port"]').content;

  var devices = {};        // device_id -> last event
  var links = {};          // device_id -> last online/offline event
  var results = {};        // device_id -> last success/fail/error event
  var yieldToday = {};     // device_id -> {success, fail, error} for `today`
  var perMinute = {};      // "yyyy-MM-ddTHH:mm" -> {success, fail, error}
  var counted = {};        // seqs already counted into yield/chart
  var today = null;        // gateway-local date of the summary
  var countedUpTo = 0;     // the summary counted every result up to this seq
  var clockOffset = 0;     // gateway wall clock (read as UTC) minus this browser's clock, in ms
  var lastSeq = 0;
  var loaded = false;      // the first /api/devices answer arrived
  var backoff = 500;
  var ws = null;
  var wsOpen = false;
  var pollTimer = null;
  var refused = false;
  var fresh = {};
  var agents = null;       // the /api/agents answer, or null when the gateway has no such endpoint

  var linkEl = document.getElementById('link');
  var bannerEl = document.getElementById('banner');
  var filterEl = document.getElementById('filter');
  var tbody = document.querySelector('#devices tbody');
  var emptyEl = document.getElementById('empty');
  var rigsEl = document.getElementById('rigs');
  var canvas = document.getElementById('chart');

  function setLink(state, text) {
    linkEl.dataset.state = state;
    linkEl.textContent = text;
  }

  function authHeaders() {
    return token ? { 'Authorization': 'Bearer ' + token } : {};
  }

  function getJson(path) {
    return fetch(path, { headers: authHeaders(), cache: 'no-store' }).then(function (r) {
      if (r.status === 401) { refuse('token required: open this page with ?token=...'); }
      if (!r.ok) { var e = new Error(path + ': HTTP ' + r.status); e.status = r.status; throw e; }
      return r.json().then(function (body) { return { body: body, headers: r.headers }; });
    });
  }

  function refuse(text) {
    refused = true;
    stopPolling();
    setLink('refused', text);
  }

  function zeroes() {
    return { success: 0, fail: 0, error: 0 };
  }

  // --- first render from HTTP -------------------------------------------------------------------------------------

  function loadDevices() {
    return getJson('/api/devices').then(function (answer) {
      answer.body.forEach(remember);
      var seq = Number(answer.headers.get('Benchlink-Latest-Seq'));
      if (seq > lastSeq) { lastSeq = seq; }
      loaded = true;
      scheduleRender();
    });
  }

  function loadSummary() {
    return getJson('/api/summary').then(function (answer) {
      var s = answer.body;
      today = s.date;
      countedUpTo = s.latest_seq;
      clockOffset = Date.parse(s.now.substring(0, 23) + 'Z') - Date.now();
      yieldToday = s.devices;
      s.per_minute.forEach(function (m) { perMinute[m.minute] = { success: m.success, fail: m.fail, error: m.error }; });
      scheduleRender();
    }).catch(function (e) {
      // The table works without the summary; yield and chart then count from page load on.
      console.warn(e);
    });
  }

  // The last result of a device whose last status is a link change lies further back: replay the recent events.
  function seedResults() {
    var from = Math.max(0, lastSeq - SEED_EVENTS);
    return getJson('/api/events?since=' + from + '&limit=' + SEED_EVENTS).then(function (answer) {
      answer.body.forEach(function (ev) { if (ev.seq <= lastSeq) { remember(ev); } });
      scheduleRender();
    }).catch(function (e) { console.warn(e); });
  }

  // --- events, from any source --------------------------------------------------------------------------------------

  // Keeps the newest event of each kind per device; an event seen twice (replay, poll and WebSocket overlap) is a no-op.
  function remember(ev) {
    var id = ev.device_id;
    if (!devices[id] || devices[id].seq < ev.seq) { devices[id] = ev; fresh[id] = true; }
    if (LINKS.indexOf(ev.status) >= 0 && (!links[id] || links[id].seq < ev.seq)) { links[id] = ev; }
    if (RESULTS.indexOf(ev.status) >= 0 && (!results[id] || results[id].seq < ev.seq)) { results[id] = ev; }
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
    remember(ev);
    count(ev);
    scheduleRender();
  }

  // --- live: WebSocket first, HTTP polling while it cannot connect -----------------------------------------------------

  function connect() {
    if (refused) { return; }
    var proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
    var query = 'since=' + lastSeq;
    if (token) { query += '&token=' + encodeURIComponent(token); }
    var opened = false;
    var socket;
    try {
      socket = new WebSocket(proto + location.hostname + ':' + wsPort + '/ws/devices/all?' + query);
    } catch (e) {
      startPolling('WebSocket unavailable');
      setTimeout(connect, 30000);
      return;
    }
    ws = socket;
    var notOpen = setTimeout(function () {
      if (!opened) { startPolling('WebSocket port ' + wsPort + ' not answering'); }
    }, WS_OPEN_WAIT_MS);
    socket.onopen = function () {
      opened = true;
      wsOpen = true;
      clearTimeout(notOpen);
      backoff = 500;
      stopPolling();
      setLink('live', 'live');
    };
    socket.onmessage = function (msg) {
      try { onEvent(JSON.parse(msg.data)); } catch (e) { console.warn('bad frame', e); }
    };
    socket.onclose = function (e) {
      clearTimeout(notOpen);
      wsOpen = false;
      if (e.code === 4401) { refuse('token required: open this page with ?token=...'); return; }
      if (e.code === 4400) { refuse('refused: ' + e.reason); return; }
      var wait = backoff;
      backoff = Math.min(backoff * 2, opened ? 5000 : 30000);
      if (!opened) {
        startPolling('WebSocket port ' + wsPort + ' unreachable');
      } else if (!pollTimer) {
        setLink('reconnecting', 'reconnecting in ' + Math.round(wait / 100) / 10 + ' s');
      }
      setTimeout(connect, wait);
    };
  }

  function startPolling(why) {
    if (refused || wsOpen) { return; }
    setLink('polling', 'live via HTTP polling (' + why + ')');
    if (!pollTimer) { poll(); }
  }

  function stopPolling() {
    if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
  }

  function poll() {
    pollTimer = setTimeout(poll, POLL_MS);
    getJson('/api/events?since=' + lastSeq + '&limit=1000').then(function (answer) {
      answer.body.forEach(onEvent);
      if (answer.body.length === 1000 && pollTimer) { stopPolling(); poll(); } // more waiting: go on at once
    }).catch(function (e) { console.warn(e); });
  }

  // --- gateway health and rigs ------------------------------------------------------------------------------------------

  function checkHealth() {
    fetch('/healthz', { cache: 'no-store' }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (r.ok && body.status === 'ok') { showBanner(null); return; }
        var why = body.reason || body.error || body.message || ('status ' + (body.status || r.status));
        showBanner('Gateway unhealthy: ' + why);
      });
    }).catch(function () {
      showBanner('Gateway not answering on ' + location.host);
    });
  }

  function showBanner(text) {
    bannerEl.hidden = !text;
    bannerEl.textContent = text || '';
  }

  function loadAgents() {
    getJson('/api/agents').then(function (answer) {
      agents = answer.body;
      renderAgents();
    }).catch(function (e) {
      if (e.status === 404) { agents = null; renderAgents(); return; } // this gateway does not list its agents
      console.warn(e);
    });
  }

  function renderAgents() {
    rigsEl.hidden = !agents;
    if (!agents) { return; }
    var rows = document.createDocumentFragment();
    agents.forEach(function (a) {
      var tr = document.createElement('tr');
      tr.dataset.agent = a.agent_id;
      tr.dataset.connected = a.connected;
      tr.appendChild(cell(a.agent_id, 'mono'));
      tr.appendChild(badgeCell(a.connected ? 'online' : 'offline', a.connected ? 'connected' : 'not connected'));
      tr.appendChild(cell(time(a.since)));
      tr.appendChild(cell((a.devices || []).join(', '), 'mono'));
      rows.appendChild(tr);
    });
    document.querySelector('#agents tbody').replaceChildren(rows);
  }

  // --- rendering ----------------------------------------------------------------------------------------------------

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

  function badgeCell(status, text, cls) {
    var td = cell('', cls);
    var badge = document.createElement('span');
    badge.className = 'status ' + status;
    badge.textContent = text || status;
    td.appendChild(badge);
    return td;
  }

  function note(td, text) {
    if (text) {
      var small = document.createElement('small');
      small.textContent = text;
      td.appendChild(small);
    }
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

  // The tester column: its link state with the reason and time of the last change. A device that reports results
  // without a link status yet (an HTTP pusher, or the replay window) is shown as reporting.
  function testerCell(id) {
    var l = links[id];
    if (!l) { return results[id] ? note(badgeCell('online', 'reporting', 'tester'), '') : cell('-', 'tester none'); }
    var td = badgeCell(l.status, l.status, 'tester');
    return note(td, (l.result ? l.result + ', ' : '') + 'since ' + time(l.updated_at));
  }

  function resultCell(id) {
    var r = results[id];
    if (!r) { return cell('no result yet', 'result none'); }
    var td = badgeCell(r.status, r.status, 'result');
    var text = document.createElement('span');
    text.className = 'result-text';
    text.textContent = ' ' + (r.result || '');
    td.appendChild(text);
    return td;
  }

  function render() {
    renderPending = false;
    var filter = filterEl.value.trim().toLowerCase();
    var ids = Object.keys(devices).sort();
    var rows = document.createDocumentFragment();
    ids.forEach(function (id) {
      var ev = devices[id];
      var r = results[id] || {};
      var l = links[id] || {};
      var text = [id, ev.status, l.status, l.result, r.status, r.mac_address, r.serial_number, r.result]
          .join(' ').toLowerCase();
      if (filter && text.indexOf(filter) < 0) { return; }
      var tr = document.createElement('tr');
      tr.dataset.device = id;
      tr.dataset.status = ev.status;
      tr.dataset.seq = ev.seq;
      tr.dataset.link = l.status || '';
      tr.dataset.result = r.status || '';
      if (fresh[id]) { tr.className = 'fresh'; }
      tr.appendChild(cell(id, 'mono'));
      tr.appendChild(testerCell(id));
      tr.appendChild(resultCell(id));
      tr.appendChild(cell(time(r.time_end || r.updated_at), 'result-time'));
      tr.appendChild(cell(r.mac_address, 'mono'));
      tr.appendChild(cell(r.serial_number, 'mono'));
      tr.appendChild(cell(time(ev.updated_at)));
      tr.appendChild(cell(yieldText(id), 'yield'));
      rows.appendChild(tr);
    });
    fresh = {};
    tbody.replaceChildren(rows);
    emptyEl.dataset.state = loaded ? 'loaded' : 'loading';
    emptyEl.textContent = loaded ? 'No devices yet.' : 'loading…';
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

  function start() {
    setLink('loading', 'loading…');
    loadDevices().then(function () {
      return Promise.all([loadSummary(), seedResults()]);
    }).then(connect, function (e) {
      console.warn(e);
      if (refused) { return; }
      // The HTTP API did not answer: try again shortly (the gateway may be starting).
      setLink('reconnecting', 'gateway not answering; retrying');
      setTimeout(start, 2000);
    });
  }

  filterEl.addEventListener('input', scheduleRender);
  setInterval(drawChart, 15000); // the window slides even when nothing arrives
  setInterval(checkHealth, 5000);
  setInterval(loadAgents, 5000);
  checkHealth();
  loadAgents();
  render();
  start();
})();
