// gatling-llm-bench comparison: overlaid charts, one line per run (and profile), from the data block.
// As in the sweep report, each drawn canvas gets data-rendered="1" and #report-status counts them.
(function () {
  const errors = [];
  window.addEventListener('error', e => { errors.push(String(e.message)); show(); });
  function show() { document.getElementById('report-errors').textContent = errors.join('\n'); }
  const D = JSON.parse(document.getElementById('report-data').textContent);
  const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  const runs = [...new Set(D.series.map(s => s.run))];
  const profiles = [...new Set(D.series.map(s => s.profile))];
  const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 11;
  let rendered = 0;
  function make(id, config) {
    const canvas = document.getElementById(id);
    try {
      config.options = Object.assign({ responsive: true, maintainAspectRatio: false }, config.options);
      new Chart(canvas, config);
      canvas.dataset.rendered = '1';
      rendered++;
    } catch (e) { errors.push(id + ': ' + e.message); show(); }
  }
  const axis = (title, extra) => Object.assign({ title: { display: true, text: title } }, extra || {});
  const style = s => ({ borderColor: COLORS[runs.indexOf(s.run) % COLORS.length],
    backgroundColor: COLORS[runs.indexOf(s.run) % COLORS.length], borderDash: DASHES[profiles.indexOf(s.profile) % DASHES.length] });
  ['p99_ttft_ms', 'median_ttft_ms', 'p99_tpot_ms', 'p99_itl_ms', 'p99_e2el_ms', 'output_throughput'].forEach(m => {
    const datasets = D.series.map(s => Object.assign({ label: s.run + ' ' + s.profile,
      data: s.points.filter(p => p[m] != null).map(p => ({ x: p.concurrency, y: p[m] })) }, style(s)));
    // a repeated level's runs, each a point around the line of their mean
    D.series.filter(s => s.points.some(p => p.runs && p.runs[m])).forEach(s => datasets.push(Object.assign({
      type: 'scatter', label: s.run + ' ' + s.profile + ' runs', showLine: false, pointRadius: 3,
      data: s.points.filter(p => p.runs && p.runs[m]).flatMap(p => p.runs[m].map(v => ({ x: p.concurrency, y: v }))) },
      style(s))));
    make('chart-' + m, { type: 'line', data: { datasets }, options: {
      plugins: { title: { display: true, text: m + ' against concurrency' } },
      scales: { x: axis('concurrency', { type: 'logarithmic' }), y: axis(m, { beginAtZero: true }) } } });
  });
  make('chart-latency-throughput', { type: 'scatter', data: { datasets: D.series.map(s => Object.assign({
      label: s.run + ' ' + s.profile, showLine: true,
      data: s.points.filter(p => p.p99_tpot_ms != null).map(p => ({ x: p.output_throughput, y: p.p99_tpot_ms })) }, style(s))) },
    options: { plugins: { title: { display: true, text: 'P99 TPOT against output throughput' } },
      scales: { x: axis('output tok/s', { beginAtZero: true }), y: axis('P99 TPOT ms', { beginAtZero: true }) } } });
  const total = document.querySelectorAll('canvas').length;
  document.getElementById('report-status').textContent = 'rendered ' + rendered + ' of ' + total + ' charts';
})();
