// Sluice live dashboard: figures arrive by server-sent events (/events); charts are uPlot, served from this jar.
(function () {
  'use strict';
  var STAGES = ['source', 'queue', 'kafka', 'spark', 'dq', 'cassandra'];
  var WINDOW = 300; // seconds shown in the charts
  var token = new URLSearchParams(location.search).get('token');
  var series = { t: [], source: [], kafka: [], spark: [], cassandra: [], lag: [], p50: [], p99: [],
    limit: [], ctlLatency: [], ctlTarget: [] };
  var charts = {};

  function fmt(n) {
    if (n === null || n === undefined || isNaN(n)) { return '–'; }
    return n >= 100 ? Math.round(n).toLocaleString('en') : (Math.round(n * 10) / 10).toLocaleString('en');
  }

  function buildFlow() {
    var flow = document.getElementById('flow');
    STAGES.forEach(function (id, i) {
      if (i > 0) { var a = document.createElement('div'); a.className = 'arrow'; a.textContent = '→'; flow.appendChild(a); }
      var box = document.createElement('div');
      box.className = 'stage'; box.id = 'stage-' + id; box.dataset.stage = id;
      box.innerHTML = '<div class="name"></div><div class="rate">–</div><div class="limit"></div><div class="note"></div>';
      flow.appendChild(box);
    });
  }

  function chart(el, labels, colors) {
    var opts = {
      width: 420, height: 180,
      scales: { x: { time: true } },
      series: [{}].concat(labels.map(function (l, i) { return { label: l, stroke: colors[i], width: 2 }; })),
      axes: [{}, { size: 60 }]
    };
    return new uPlot(opts, [[]].concat(labels.map(function () { return []; })), document.getElementById(el));
  }

  function buildCharts() {
    charts.rates = chart('chart-rates', ['source', 'Kafka', 'Spark', 'Cassandra'], ['#1971c2', '#2f9e44', '#e8590c', '#862e9c']);
    charts.lag = chart('chart-lag', ['lag'], ['#c92a2a']);
    charts.latency = chart('chart-latency', ['p50', 'p99'], ['#1971c2', '#c92a2a']);
    charts.control = chart('chart-control', ['limit', 'latency', 'target'], ['#862e9c', '#1971c2', '#c92a2a']);
  }

  function rateOf(snap, id) {
    var s = snap.stages.find(function (x) { return x.id === id; });
    return s ? s.rate : null;
  }

  function add(snap) {
    series.t.push(snap.epochMillis / 1000);
    ['source', 'kafka', 'spark', 'cassandra'].forEach(function (id) { series[id].push(rateOf(snap, id)); });
    series.lag.push(snap.lag);
    series.p50.push(snap.writeP50Ms);
    series.p99.push(snap.writeP99Ms);
    var c = snap.control || {};
    series.limit.push(c.reason ? c.limit : null);
    series.ctlLatency.push(c.reason ? c.latencyMs : null);
    series.ctlTarget.push(c.reason ? c.targetMs : null);
    var cut = snap.epochMillis / 1000 - WINDOW;
    while (series.t.length && series.t[0] < cut) { Object.keys(series).forEach(function (k) { series[k].shift(); }); }
  }

  function redraw() {
    charts.rates.setData([series.t, series.source, series.kafka, series.spark, series.cassandra]);
    charts.lag.setData([series.t, series.lag]);
    charts.latency.setData([series.t, series.p50, series.p99]);
    charts.control.setData([series.t, series.limit, series.ctlLatency, series.ctlTarget]);
  }

  function show(snap) {
    document.getElementById('pipeline').textContent = snap.pipeline;
    snap.stages.forEach(function (s) {
      var box = document.getElementById('stage-' + s.id);
      if (!box) { return; }
      box.querySelector('.name').textContent = s.label;
      box.querySelector('.rate').textContent = fmt(s.rate) + '/s';
      box.querySelector('.limit').textContent = s.limit > 0 ? 'limit ' + fmt(s.limit) + '/s' : 'no limit';
      box.querySelector('.note').textContent = s.note || '';
      box.classList.toggle('bottleneck', s.id === snap.bottleneck);
      box.dataset.rate = s.rate;
    });
    document.getElementById('rows-written').textContent = snap.rowsWritten.toLocaleString('en');
    document.getElementById('lag').textContent = snap.lag.toLocaleString('en');
    document.getElementById('queue-fill').textContent = snap.queueDepth.toLocaleString('en') + ' / ' + snap.queueCapacity.toLocaleString('en');
    document.getElementById('write-latency').textContent = fmt(snap.writeP50Ms) + ' / ' + fmt(snap.writeP99Ms) + ' ms';
    var c = snap.control || {};
    document.getElementById('control').textContent = c.reason
      ? fmt(c.limit) + ' in flight · ' + fmt(c.rowsPerSecond) + '/s · ' + fmt(c.latencyMs) + ' / ' + fmt(c.targetMs) + ' ms'
      : 'off';
    document.getElementById('control-why').textContent = c.reason ? ' — ' + c.reason : '';
    var stage = snap.stages.find(function (x) { return x.id === snap.bottleneck; });
    document.getElementById('bottleneck-stage').textContent = stage ? stage.label : '—';
    document.getElementById('bottleneck-why').textContent = snap.why || '';
    var body = document.querySelector('#quarantine tbody');
    body.innerHTML = '';
    var reasons = Object.keys(snap.quarantine || {});
    if (!reasons.length) { body.innerHTML = '<tr><td>none</td></tr>'; }
    reasons.forEach(function (r) {
      var tr = document.createElement('tr');
      var a = document.createElement('td'); a.textContent = r;
      var b = document.createElement('td'); b.textContent = snap.quarantine[r].toLocaleString('en');
      tr.appendChild(a); tr.appendChild(b); body.appendChild(tr);
    });
    document.getElementById('status').textContent = 'live · ' + new Date(snap.epochMillis).toLocaleTimeString();
  }

  function connect() {
    var events = new EventSource('events' + (token ? '?token=' + encodeURIComponent(token) : ''));
    events.addEventListener('history', function (e) {
      var list = JSON.parse(e.data) || [];
      Object.keys(series).forEach(function (k) { series[k] = []; });
      list.forEach(add);
      if (list.length) { show(list[list.length - 1]); }
      redraw();
    });
    events.addEventListener('flow', function (e) {
      var snap = JSON.parse(e.data);
      add(snap); show(snap); redraw();
    });
    events.onerror = function () { document.getElementById('status').textContent = 'reconnecting…'; };
  }

  buildFlow();
  buildCharts();
  connect();
}());
