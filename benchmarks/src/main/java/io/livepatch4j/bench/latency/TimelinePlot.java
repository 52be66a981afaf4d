package io.livepatch4j.bench.latency;

import io.livepatch4j.bench.load.RequestKind;
import io.livepatch4j.bench.load.Sample;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Latency of every request of one run's measured period over time (one dot per request, log
 * scale), with each apply (orange), rollback (green), refused or timed-out apply (red) marked, and
 * a restart or checkpoint-restore shaded. Headless PNG.
 */
final class TimelinePlot {

    static final Color APPLY = new Color(230, 120, 0);
    static final Color ROLLBACK = new Color(0, 150, 70);
    static final Color REFUSED = new Color(210, 0, 0);
    private static final double FLOOR_MS = 0.05;

    private TimelinePlot() {}

    static void write(Path png, ScenarioResult r, List<Sample> samples, long fromNanos, long untilNanos)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(png.getParent());
        XYSeries shortReq = new XYSeries("short requests");
        XYSeries longReq = new XYSeries("long /report scans");
        XYSeries mixed = new XYSeries("ran two versions (mixed)");
        XYSeries failed = new XYSeries("failed (drawn at the bottom)");
        for (Sample s : samples) {
            if (s.intendedNanos() < fromNanos || s.intendedNanos() >= untilNanos) {
                continue;
            }
            double x = (s.intendedNanos() - fromNanos) / 1e9;
            if (s.failed()) {
                failed.add(x, FLOOR_MS);
            } else {
                double y = Math.max(s.latencyNanos() / 1e6, FLOOR_MS);
                if (s.mixed()) {
                    mixed.add(x, y);
                } else if (s.kind() == RequestKind.REPORT) {
                    longReq.add(x, y);
                } else {
                    shortReq.add(x, y);
                }
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(shortReq);
        data.addSeries(longReq);
        data.addSeries(mixed);
        data.addSeries(failed);

        NumberAxis x =
                new NumberAxis("seconds into the measured period (by each request's intended send time)");
        x.setRange(0, (untilNanos - fromNanos) / 1e9);
        LogAxis y = new LogAxis("latency from the intended send time, ms (log scale)");
        y.setSmallestValue(FLOOR_MS);
        y.setBase(10);
        y.setTickUnit(new NumberTickUnit(1));
        y.setMinorTickCount(9);
        y.setMinorTickMarksVisible(true);
        y.setNumberFormatOverride(new java.text.DecimalFormat("0.##"));
        XYShapeRenderer dots = new XYShapeRenderer();
        dots.setSeriesShape(0, new Rectangle2D.Double(-1, -1, 2, 2));
        dots.setSeriesShape(1, new Rectangle2D.Double(-1.5, -1.5, 3, 3));
        dots.setSeriesShape(2, new Ellipse2D.Double(-3, -3, 6, 6));
        dots.setSeriesShape(3, new Rectangle2D.Double(-1.5, -1.5, 3, 3));
        dots.setSeriesPaint(0, new Color(40, 90, 180));
        dots.setSeriesPaint(1, new Color(120, 120, 120));
        dots.setSeriesPaint(2, new Color(200, 0, 200));
        dots.setSeriesPaint(3, Color.RED);
        XYPlot plot = new XYPlot(data, x, y, dots);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (Disruption d : r.events()) {
            double start = (d.startNanos() - fromNanos) / 1e9;
            double end = (d.endNanos() - fromNanos) / 1e9;
            if (d.patch()) {
                Color c = d.outcome() == Disruption.Outcome.DONE
                        ? (d.kind().equals(Disruption.APPLY) ? APPLY : ROLLBACK)
                        : REFUSED;
                ValueMarker m = new ValueMarker(start, c, new BasicStroke(1.0f));
                plot.addDomainMarker(m, org.jfree.chart.ui.Layer.BACKGROUND);
                if (end - start > 0.05) {
                    Color light = new Color(c.getRed(), c.getGreen(), c.getBlue(), 40);
                    IntervalMarker span = new IntervalMarker(start, end, light);
                    plot.addDomainMarker(span, org.jfree.chart.ui.Layer.BACKGROUND);
                }
            } else {
                IntervalMarker span =
                        new IntervalMarker(start, Math.max(end, start + 0.05), new Color(230, 120, 0, 70));
                span.setLabel(d.kind() + String.format(Locale.ROOT, " (%.0f ms)", d.wallMillis()));
                span.setLabelAnchor(RectangleAnchor.TOP_LEFT);
                span.setLabelTextAnchor(TextAnchor.TOP_LEFT);
                span.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                plot.addDomainMarker(span, org.jfree.chart.ui.Layer.BACKGROUND);
            }
        }
        RunSpec spec = r.spec();
        JFreeChart chart = new JFreeChart(
                String.format(Locale.ROOT, "%s workload, %s: latency of each request",
                        spec.workload().word(), spec.scenario().word()),
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle(
                String.format(Locale.ROOT,
                        "%s. %.0f req/s open loop, %d server threads, JDK %d, 2 CPUs. "
                                + "p99.9 %.1f ms, max %.1f ms, %d failed, %d mixed.%s",
                        spec.scenario().description(),
                        spec.rate(), spec.threads(), Runtime.version().feature(),
                        r.all().p999Ms(), r.all().maxMs(), r.failed(), r.all().mixed(),
                        spec.scenario().patches()
                                ? " Lines: apply (orange), rollback (green), refused (red); "
                                        + "shading: until the transition completed."
                                : ""),
                new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1200, 560);
    }
}
