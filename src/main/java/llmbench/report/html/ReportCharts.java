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
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

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
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    for (String prof : profiles(m)) {
      data.addSeries(points(prof + " median", m, prof, l -> l.stats().get(metric).median(), "median_" + metric + "_ms"));
      data.addSeries(points(prof + " " + p, m, prof, l -> l.stats().get(metric).p(),
          m.percentile() + "_" + metric + "_ms"));
    }
    return chart(title + repeated(m), loadAxis(m), new NumberAxis("ms"), data, true);
  }

  private static JFreeChart throughput(ReportModel m) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    for (String prof : profiles(m)) {
      data.addSeries(points(prof + " output tok/s", m, prof, ReportModel.LevelView::outputThroughput, "output_throughput"));
      data.addSeries(points(prof + " total tok/s", m, prof, ReportModel.LevelView::totalThroughput,
          "total_token_throughput"));
    }
    return chart("Throughput against " + m.loadAxis() + repeated(m), loadAxis(m), new NumberAxis("tok/s"), data, true);
  }

  private static String repeated(ReportModel m) {
    return m.spreads().isEmpty() ? "" : " (repeated levels: their runs' mean, "
        + Math.round(100 * m.spreads().get(0).metrics().values().iterator().next().confidence()) + " % interval)";
  }

  /**
   * One point per level of {@code profile} (as the page draws it): a level that ran once at its value; a
   * repeated one at its runs' mean, with the interval of {@code key} over the runs where spread.json has it
   * (else none: low = high = the mean).
   */
  static YIntervalSeries points(String name, ReportModel m, String profile,
      java.util.function.Function<ReportModel.LevelView, Double> y, String key) {
    java.util.Map<String, List<ReportModel.LevelView>> runs = new java.util.LinkedHashMap<>();
    m.levels().stream().filter(l -> l.profile().equals(profile))
        .forEach(l -> runs.computeIfAbsent(l.level(), k -> new ArrayList<>()).add(l));
    YIntervalSeries s = new YIntervalSeries(name, false, true);
    runs.forEach((level, rs) -> {
      double x = rs.stream().mapToDouble(ReportModel.LevelView::load).average().orElse(Double.NaN);
      llmbench.stats.RunSpread spread = rs.size() < 2 ? null : m.spreads().stream()
          .filter(sp -> sp.profile().equals(profile) && sp.level().equals(level)).findFirst()
          .map(sp -> sp.metrics().get(key)).orElse(null);
      if (spread != null && spread.halfWidth() != null) {
        s.add(x, spread.mean(), spread.ciLow(), spread.ciHigh());
        return;
      }
      List<Double> ys = rs.stream().map(y).filter(v -> v != null).toList();
      if (!ys.isEmpty()) {
        double mean = ys.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        s.add(x, mean, mean, mean);
      }
    });
    return s;
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

  /** Some point has an interval (a repeated level): else no bars, not even flat ones. */
  private static boolean spread(YIntervalSeriesCollection data) {
    for (int i = 0; i < data.getSeriesCount(); i++) {
      for (int j = 0; j < data.getItemCount(i); j++) {
        if (data.getEndYValue(i, j) > data.getStartYValue(i, j)) {
          return true;
        }
      }
    }
    return false;
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
      org.jfree.data.xy.XYDataset data, boolean dashedEverySecond) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    if (data instanceof YIntervalSeriesCollection intervals && spread(intervals)) {
      XYErrorRenderer bars = new XYErrorRenderer(); // a line through the points, each interval a bar
      bars.setDrawXError(false);
      bars.setDefaultLinesVisible(true);
      bars.setCapLength(8);
      r = bars;
    }
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
