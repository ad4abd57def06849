// gatling-llm-bench capacity page: per target, its value at each probe (met: blue, broke: red) and its
// limit as a line. As in the sweep report, each drawn canvas gets data-rendered="1".
(function () {
  const errors = [];
  window.addEventListener('error', e => { errors.push(String(e.message)); show(); });
  function show() { document.getElementById('report-errors').textContent = errors.join('\n'); }
  const D = JSON.parse(document.getElementById('report-data').textContent);
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 11;
  let rendered = 0;
  const loads = D.probes.map(p => p.load);
  const xMax = Math.max(...loads) * 1.1;
  D.targets.forEach(t => {
    const canvas = document.getElementById('chart-' + t.name);
    try {
      const point = met => D.probes.filter(p => p.met === met).map(p => ({ x: p.load, y: p.values[t.name], l: p.label }));
      new Chart(canvas, { type: 'scatter', data: { datasets: [
        { label: 'met every target', data: point(true), borderColor: '#1f77b4', backgroundColor: '#1f77b4' },
        { label: 'broke a target', data: point(false), borderColor: '#d62728', backgroundColor: '#d62728' },
        { label: 'limit ' + t.limit + ' ms', type: 'line', data: [{ x: 0, y: t.limit }, { x: xMax, y: t.limit }],
          borderColor: '#555', borderDash: [6, 4], pointRadius: 0 }] },
        options: { responsive: true, maintainAspectRatio: false,
          plugins: { title: { display: true, text: t.name + ' (ms) at each probe' },
            tooltip: { callbacks: { label: c => (c.raw.l || '') + ': ' + c.raw.y.toFixed(1) + ' ms' } } },
          scales: { x: { type: 'linear', beginAtZero: true, title: { display: true, text: D.unit } },
            y: { beginAtZero: true, title: { display: true, text: 'ms' } } } } });
      canvas.dataset.rendered = '1';
      rendered++;
    } catch (e) { errors.push(t.name + ': ' + e.message); show(); }
  });
  document.getElementById('report-status').textContent = 'rendered ' + rendered + ' of ' + D.targets.length + ' charts';
})();
