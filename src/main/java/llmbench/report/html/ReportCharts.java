package llmbench.report.html;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's main charts as PNG files beside report.html, for pasting into chats and tickets:
 * drawn with JFreeChart (headless AWT) from the same {@link ReportModel} as the page.
 */
public final class ReportCharts {
  private static final int W = 900;
  private static final int H = 520;
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

  private ReportCharts() {}

  /** Writes the PNGs; returns their paths. */
  public static List<Path> write(ReportModel m, Path out) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Path> files = new ArrayList<>();
    String p = m.percentile().toUpperCase(java.util.Locale.ROOT);
    files.add(png(out, "report_ttft.png", latency(m, "ttft", "TTFT (ms) against " + m.loadAxis(), p)));
    files.add(png(out, "report_tpot.png", latency(m, "tpot", "TPOT (ms) against " + m.loadAxis(), p)));
    files.add(png(out, "report_throughput.png", throughput(m)));
    files.add(png(out, "report_latency_throughput.png", latencyThroughput(m, p)));
    files.add(png(out, "report_timeline.png", timeline(m)));
    return files;
  }

  /**
   * The sweep timeline as data ({@code timeline.csv}: seconds since the first level started, series,
   * value): the client's bins, the server's scrapes and the GPU samples on one time axis.
   */
  public static Path writeTimelineCsv(ReportModel m, Path out) throws IOException {
    Path f = out.resolve("timeline.csv");
    try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(f);
        org.apache.commons.csv.CSVPrinter p = new org.apache.commons.csv.CSVPrinter(w,
            org.apache.commons.csv.CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
      p.printRecord("seconds", "series", "value");
      for (ReportModel.Band b : m.timeline().levels()) {
        p.printRecord(b.start(), "level start", b.name());
        p.printRecord(b.end(), "level end", b.name());
      }
      for (java.util.Map.Entry<String, List<double[]>> e : m.timeline().series().entrySet()) {
        for (double[] pt : e.getValue()) {
          p.printRecord(pt[0], e.getKey(), pt[1]);
        }
      }
    }
    return f;
  }

  private static Path png(Path out, String name, JFreeChart chart) throws IOException {
    Path f = out.resolve(name);
    ChartUtils.saveChartAsPNG(f.toFile(), chart, W, H);
    return f;
  }

  private static List<String> profiles(ReportModel m) {
    return m.levels().stream().map(ReportModel.LevelView::profile).distinct().toList();
  }

  private static XYSeries series(String name, List<ReportModel.LevelView> levels,
      ToDoubleFunction<ReportModel.LevelView> x, java.util.function.Function<ReportModel.LevelView, Double> y) {
    XYSeries s = new XYSeries(name, false, true);
    for (ReportModel.LevelView l : levels) {
      Double v = y.apply(l);
      if (v != null) {
        s.add(x.applyAsDouble(l), v);
      }
    }
    return s;
  }

  private static JFreeChart latency(ReportModel m, String metric, String title, String p) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (String prof : profiles(m)) {
      List<ReportModel.LevelView> ls = m.levels().stream().filter(l -> l.profile().equals(prof)).toList();
      data.addSeries(series(prof + " median", ls, ReportModel.LevelView::load, l -> l.stats().get(metric).median()));
      data.addSeries(series(prof + " " + p, ls, ReportModel.LevelView::load, l -> l.stats().get(metric).p()));
    }
    return chart(title, loadAxis(m), new NumberAxis("ms"), data, true);
  }

  private static JFreeChart throughput(ReportModel m) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (String prof : profiles(m)) {
      List<ReportModel.LevelView> ls = m.levels().stream().filter(l -> l.profile().equals(prof)).toList();
      data.addSeries(series(prof + " output tok/s", ls, ReportModel.LevelView::load, l -> l.outputThroughput()));
      data.addSeries(series(prof + " total tok/s", ls, ReportModel.LevelView::load, l -> l.totalThroughput()));
    }
    return chart("Throughput against " + m.loadAxis(), loadAxis(m), new NumberAxis("tok/s"), data, true);
  }

  private static JFreeChart latencyThroughput(ReportModel m, String p) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (String prof : profiles(m)) {
      List<ReportModel.LevelView> ls = m.levels().stream().filter(l -> l.profile().equals(prof)).toList();
      data.addSeries(series(prof, ls, ReportModel.LevelView::outputThroughput, l -> l.stats().get("tpot").p()));
    }
    return chart(p + " TPOT against output throughput (one point per level)", new NumberAxis("output tok/s"),
        new NumberAxis(p + " TPOT ms"), data, false);
  }

  private static JFreeChart timeline(ReportModel m) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (String name : List.of("client output tok/s")) {
      XYSeries s = new XYSeries(name, false, true);
      for (double[] pt : m.timeline().series().getOrDefault(name, List.of())) {
        s.add(pt[0], pt[1]);
      }
      data.addSeries(s);
    }
    JFreeChart c = chart("Client output tok/s over the sweep (levels shaded)",
        new NumberAxis("seconds since the first level started"), new NumberAxis("tok/s"), data, false);
    XYPlot plot = c.getXYPlot();
    int i = 0;
    for (ReportModel.Band b : m.timeline().levels()) {
      IntervalMarker band = new IntervalMarker(b.start(), b.end(), i++ % 2 == 0
          ? new Color(31, 119, 180, 40) : new Color(31, 119, 180, 18));
      plot.addDomainMarker(band, Layer.BACKGROUND);
    }
    // the other series on a second axis: requests in flight
    XYSeriesCollection right = new XYSeriesCollection();
    XYSeries inFlight = new XYSeries("client requests in flight", false, true);
    for (double[] pt : m.timeline().series().getOrDefault("client requests in flight", List.of())) {
      inFlight.add(pt[0], pt[1]);
    }
    right.addSeries(inFlight);
    plot.setRangeAxis(1, new NumberAxis("requests in flight"));
    plot.setDataset(1, right);
    plot.mapDatasetToRangeAxis(1, 1);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    r.setSeriesPaint(0, COLORS[1]);
    plot.setRenderer(1, r);
    return c;
  }

  /** Concurrency on a log-2 axis (levels double); request throughput on a plain one. */
  private static org.jfree.chart.axis.ValueAxis loadAxis(ReportModel m) {
    if (!m.loadAxis().equals("concurrency")) {
      NumberAxis x = new NumberAxis(m.loadAxis());
      x.setAutoRangeIncludesZero(true);
      return x;
    }
    LogAxis x = new LogAxis(m.loadAxis());
    x.setBase(2);
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    return x;
  }

  private static JFreeChart chart(String title, org.jfree.chart.axis.ValueAxis x, NumberAxis y,
      XYSeriesCollection data, boolean dashedEverySecond) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      int profile = dashedEverySecond ? i / 2 : i;
      r.setSeriesPaint(i, COLORS[profile % COLORS.length]);
      r.setSeriesStroke(i, dashedEverySecond && i % 2 == 1
          ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
          : new BasicStroke(2f));
    }
    y.setAutoRangeIncludesZero(true);
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart c = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    c.setBackgroundPaint(Color.WHITE);
    return c;
  }
}
