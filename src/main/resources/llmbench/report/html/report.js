// gatling-llm-bench sweep report: draws every chart from the data block with the inlined Chart.js.
// Each canvas gets data-rendered="1" once its chart exists; #report-status counts them and
// #report-errors lists any script error, so a headless browser can tell the page rendered.
(function () {
  const errors = [];
  window.addEventListener('error', e => { errors.push(String(e.message)); showErrors(); });
  function showErrors() { document.getElementById('report-errors').textContent = errors.join('\n'); }
  const D = JSON.parse(document.getElementById('report-data').textContent);
  const P = D.percentile.toUpperCase();
  const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  const color = i => COLORS[i % COLORS.length];
  const profiles = [...new Set(D.levels.map(l => l.profile))];
  const byProfile = p => D.levels.filter(l => l.profile === p);
  let rendered = 0;

  const bandsPlugin = {
    id: 'bands',
    beforeDatasetsDraw(chart, args, opts) {
      if (!opts || !opts.list) return;
      const { ctx, chartArea: a, scales: { x } } = chart;
      ctx.save();
      opts.list.forEach((b, i) => {
        const x0 = Math.max(x.getPixelForValue(b.start), a.left);
        const x1 = Math.min(x.getPixelForValue(b.end), a.right);
        if (x1 <= x0) return;
        ctx.fillStyle = i % 2 ? 'rgba(31,119,180,0.06)' : 'rgba(31,119,180,0.13)';
        ctx.fillRect(x0, a.top, x1 - x0, a.bottom - a.top);
        if (x1 - x0 > 34) {
          ctx.fillStyle = '#555';
          ctx.font = '10px sans-serif';
          ctx.fillText(b.name.split(' ').pop(), x0 + 2, a.top + 10);
        }
      });
      ctx.restore();
    }
  };
  Chart.register(bandsPlugin);

  // a level run several times (--repeat): one point at its runs' mean, their confidence interval as an error bar
  const errorBars = new Set(); // chart:dataset:point of each bar drawn
  const errorBarsPlugin = {
    id: 'errorBars',
    afterDatasetsDraw(chart) {
      const { ctx, scales: { y } } = chart;
      chart.data.datasets.forEach((ds, i) => {
        const meta = chart.getDatasetMeta(i);
        if (meta.hidden) return;
        meta.data.forEach((pt, j) => {
          const r = ds.data[j];
          if (!r || r.lo === undefined) return;
          const y0 = y.getPixelForValue(r.lo);
          const y1 = y.getPixelForValue(r.hi);
          ctx.save();
          ctx.strokeStyle = ds.borderColor;
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(pt.x, y0); ctx.lineTo(pt.x, y1);
          ctx.moveTo(pt.x - 4, y0); ctx.lineTo(pt.x + 4, y0);
          ctx.moveTo(pt.x - 4, y1); ctx.lineTo(pt.x + 4, y1);
          ctx.stroke();
          ctx.restore();
          errorBars.add(chart.canvas.id + ':' + i + ':' + j);
        });
      });
    }
  };
  Chart.register(errorBarsPlugin);
  const spreads = D.spreads || [];
  const mean = xs => xs.reduce((a, b) => a + b, 0) / xs.length;
  // one point per level of profile p: get(level view) for a level run once; for a repeated one the runs' mean
  // and, where spread.json has the metric (key), its interval
  function points(p, get, key) {
    const runs = new Map();
    byProfile(p).forEach(l => runs.set(l.level, (runs.get(l.level) || []).concat([l])));
    return [...runs.entries()].map(([level, rs]) => {
      const s = rs.length > 1 ? spreads.find(x => x.profile === p && x.level === level) : null;
      const m = s && key ? s.metrics[key] : null;
      const ys = rs.map(get).filter(v => v !== null && v !== undefined);
      const pt = { x: mean(rs.map(l => l.load)), y: m ? m.mean : ys.length ? mean(ys) : null };
      if (m && m.ci_low !== null && m.ci_high !== null) {
        pt.lo = m.ci_low;
        pt.hi = m.ci_high;
      }
      return pt;
    });
  }
  // the y axis reaches the top of every error bar
  const top = datasets => Math.max(0, ...datasets.flatMap(d => d.data.map(pt => pt.hi || 0)));
  const repeatedNote = spreads.length === 0 ? '' : ' (a repeated level: its runs\' mean, error bar its '
    + Math.round(100 * Object.values(spreads[0].metrics)[0].confidence) + ' % interval)';
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 11;

  function make(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    try {
      config.options = Object.assign({ responsive: true, maintainAspectRatio: false }, config.options || {});
      new Chart(canvas, config);
      canvas.dataset.rendered = '1';
      rendered++;
    } catch (e) {
      errors.push(id + ': ' + e.message);
      showErrors();
    }
  }
  const axis = (title, extra) => Object.assign({ title: { display: true, text: title } }, extra || {});
  const titled = text => ({ title: { display: true, text: text } });

  // concurrency doubles level to level: a log axis; a request throughput: a plain one
  const loadScale = D.loadAxis === 'concurrency' ? { type: 'logarithmic' } : { type: 'linear', beginAtZero: true };
  // latency against the load (concurrency, or req/s): median solid, percentile dashed, one colour per profile
  // TTFO beside TTFT when a level's model reasoned (its time to the first answer token)
  ['ttft', 'tpot', 'itl', 'e2el'].concat(D.reasoning ? ['ttfo'] : []).forEach(m => {
    const datasets = [];
    profiles.forEach((p, i) => {
      datasets.push({ label: p + ' median', data: points(p, l => l.stats[m].median, 'median_' + m + '_ms'),
        borderColor: color(i), backgroundColor: color(i) });
      datasets.push({ label: p + ' ' + P, data: points(p, l => l.stats[m].p, D.percentile + '_' + m + '_ms'),
        borderColor: color(i), backgroundColor: color(i), borderDash: [6, 4] });
    });
    make('chart-' + m, { type: 'line', data: { datasets },
      options: { plugins: titled(m.toUpperCase() + ' (ms) against ' + D.loadAxis + repeatedNote),
        scales: { x: axis(D.loadAxis, loadScale), y: axis('ms', { beginAtZero: true, suggestedMax: top(datasets) }) } } });
  });

  const tput = [];
  profiles.forEach((p, i) => {
    tput.push({ label: p + ' output tok/s', data: points(p, l => l.outputThroughput, 'output_throughput'),
      borderColor: color(i), backgroundColor: color(i) });
    tput.push({ label: p + ' total tok/s', data: points(p, l => l.totalThroughput, 'total_token_throughput'),
      borderColor: color(i), backgroundColor: color(i), borderDash: [6, 4] });
  });
  make('chart-throughput', { type: 'line', data: { datasets: tput },
    options: { plugins: titled('Throughput against ' + D.loadAxis + repeatedNote),
      scales: { x: axis(D.loadAxis, loadScale), y: axis('tok/s', { beginAtZero: true, suggestedMax: top(tput) }) } } });

  make('chart-latency-throughput', { type: 'scatter', data: { datasets: profiles.map((p, i) => ({
      label: p, showLine: true, borderColor: color(i), backgroundColor: color(i),
      data: byProfile(p).map(l => ({ x: l.outputThroughput, y: l.stats.tpot.p, c: l.loadText })) })) },
    options: { plugins: Object.assign(titled(P + ' TPOT against output throughput (one point per level)'),
      { tooltip: { callbacks: { label: c => c.raw.c + ': ' + c.raw.x.toFixed(0) + ' tok/s, '
        + c.raw.y.toFixed(2) + ' ms' } } }),
      scales: { x: axis('output tok/s', { beginAtZero: true }), y: axis(P + ' TPOT ms', { beginAtZero: true }) } } });

  // the sweep timeline: three charts on one time axis, levels shaded
  const T = D.timeline;
  const tMax = Math.max(1, ...T.levels.map(b => b.end));
  const pts = name => (T.series[name] || []).map(p => ({ x: p[0], y: p[1] }));
  function timeline(id, title, left, right, leftTitle, rightTitle) {
    const datasets = [];
    left.concat(right).forEach((name, i) => {
      if (!T.series[name]) return;
      datasets.push({ label: name, data: pts(name), yAxisID: right.includes(name) ? 'y1' : 'y',
        borderColor: color(i), backgroundColor: color(i), pointRadius: 0, borderWidth: 1.5, stepped: false });
    });
    if (!datasets.length) {
      const c = document.getElementById(id);
      c.parentElement.insertAdjacentHTML('afterend', '<p class="none">' + title + ': nothing recorded</p>');
      c.parentElement.style.display = 'none';
      c.dataset.rendered = '1';
      rendered++;
      return;
    }
    make(id, { type: 'line', data: { datasets }, options: { plugins: Object.assign(titled(title), { bands: { list: T.levels } }),
      scales: { x: axis('seconds since the first level started', { type: 'linear', min: 0, max: tMax }),
        y: axis(leftTitle, { beginAtZero: true }),
        y1: axis(rightTitle, { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false } }) } } });
  }
  timeline('chart-timeline-client', 'Client', ['client output tok/s'], ['client requests in flight'], 'tok/s', 'requests');
  timeline('chart-timeline-server', 'Server (/metrics) and the requests sent', ['server running', 'server waiting',
    'client requests sent/s'], ['server KV cache %'], 'requests, requests/s', 'KV cache %');
  timeline('chart-timeline-gpu', 'GPU (nvidia-smi)', ['GPU memory MiB'], ['GPU utilisation %', 'GPU power W'], 'MiB', '% / W');

  // per level: TTFT and ITL histograms (log-spaced bins), and the request timeline
  D.levels.forEach((l, i) => {
    [['ttft', l.ttftHist, 'TTFT'], ['itl', l.itlHist, 'ITL']].forEach(([k, h, name]) => {
      make('chart-' + i + '-' + k, { type: 'bar', data: {
          labels: h.counts.map((_, j) => h.edges[j].toPrecision(3)),
          datasets: [{ label: name + ' requests', data: h.counts, backgroundColor: k === 'ttft' ? color(0) : color(2),
            barPercentage: 1, categoryPercentage: 1 }] },
        options: { plugins: Object.assign(titled(l.name + ': ' + name + ' histogram'), { legend: { display: false } }),
          scales: { x: axis(name + ' ms (log-spaced bins, lower edge)'),
            y: axis('count', k === 'itl' ? { type: 'logarithmic' } : { beginAtZero: true }) } } });
    });
    const labels = l.requests.map((_, j) => String(j));
    make('chart-' + i + '-requests', { type: 'bar', data: { labels, datasets: [
        { type: 'bar', label: 'request (start to end)', data: l.requests.map(r => [r.start, r.end]),
          backgroundColor: l.requests.map(r => r.ok ? 'rgba(31,119,180,0.55)' : 'rgba(214,39,40,0.8)'),
          barPercentage: 0.9, categoryPercentage: 1 },
        { type: 'scatter', label: 'first token', data: l.requests.map((r, j) => ({ x: r.firstToken, y: String(j) })),
          backgroundColor: '#000', pointRadius: 1.5 }] },
      options: { indexAxis: 'y', plugins: titled(l.name + ': requests (bar: start to end, dot: first token)'),
        scales: { x: axis('seconds since the level started', { type: 'linear', beginAtZero: true }),
          y: axis('request', { ticks: { display: l.requests.length <= 32 } }) } } });
    if (l.windows.length) { // a ramp's or a trace's windows: where the queue starts, in one level
      const line = (k, i2, name) => ({ type: 'line', label: name, data: l.windows.filter(w => w[k] != null)
        .map(w => ({ x: w.achieved_rps, y: w[k] })).sort((a, b) => a.x - b.x), borderColor: color(i2), backgroundColor: color(i2), pointRadius: 3 });
      make('chart-' + i + '-windows', { type: 'line', data: { datasets: [line('median_ttft_ms', 0, 'median TTFT'),
          line('p99_ttft_ms', 3, 'P99 TTFT')] },
        options: { plugins: titled(l.name + ': TTFT against the rate sent, window by window'),
          scales: { x: axis('requests sent per second in the window', { type: 'linear', beginAtZero: true }),
            y: axis('ms', { beginAtZero: true }) } } });
    }
  });

  const total = document.querySelectorAll('canvas').length;
  document.getElementById('report-status').textContent = 'rendered ' + rendered + ' of ' + total + ' charts';
  document.body.dataset.charts = String(rendered);
  document.body.dataset.canvases = String(total);
  document.body.dataset.errorBars = String(errorBars.size); // what a headless browser can count
})();
