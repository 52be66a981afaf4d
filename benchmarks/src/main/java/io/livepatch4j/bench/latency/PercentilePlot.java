package io.livepatch4j.bench.latency;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The latency distribution of several runs on one chart, drawn as HdrHistogram's percentile plots
 * are: x is 1/(1-percentile) on a log scale (so 90%, 99%, 99.9%, 99.99% are evenly spaced and the
 * tail gets the room), y is latency in ms (log scale).
 */
final class PercentilePlot {

    private static final Color[] COLORS = {Color.BLACK, new Color(0, 150, 70), new Color(210, 0, 0),
        new Color(40, 90, 200), new Color(150, 60, 180), new Color(230, 120, 0), Color.GRAY};

    private PercentilePlot() {}

    static void write(Path png, String title, String subtitle, List<ScenarioResult> runs,
                      Function<ScenarioResult, Histogram> histogram, Function<ScenarioResult, String> label)
        throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(png.getParent());
        XYSeriesCollection data = new XYSeriesCollection();
        double maxX = 10;
        for (ScenarioResult r : runs) {
            Histogram h = histogram.apply(r);
            if (h == null || h.getTotalCount() == 0) {
                continue;
            }
            XYSeries s = new XYSeries(label.apply(r));
            for (HistogramIterationValue v : h.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo() / 100.0;
                if (p >= 1.0) {
                    break;
                }
                double x = 1 / (1 - p);
                s.add(x, Math.max(v.getValueIteratedTo() / 1e6, 0.01));
                maxX = Math.max(maxX, x);
            }
            data.addSeries(s);
        }
        LogAxis x = new LogAxis("percentile");
        x.setBase(10);
        x.setTickUnit(new NumberTickUnit(1));
        x.setRange(1, Math.pow(10, Math.ceil(Math.log10(maxX))) * 1.6); // room for the last label
        x.setNumberFormatOverride(new PercentileFormat());
        LogAxis y = new LogAxis("latency, ms (log scale)");
        y.setSmallestValue(0.01);
        y.setTickUnit(new NumberTickUnit(1));
        y.setMinorTickCount(9);
        y.setMinorTickMarksVisible(true);
        y.setNumberFormatOverride(new java.text.DecimalFormat("0.##"));
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            lines.setSeriesPaint(i, COLORS[i % COLORS.length]);
            lines.setSeriesStroke(i, new BasicStroke(2.0f));
        }
        XYPlot plot = new XYPlot(data, x, y, lines);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 600);
    }

    /** Axis labels: the value 1/(1-p) printed as the percentile p (10 as 90%, 1000 as 99.9%). */
    static final class PercentileFormat extends NumberFormat {
        @Override
        public StringBuffer format(double v, StringBuffer b, FieldPosition pos) {
            return b.append(label(v));
        }

        @Override
        public StringBuffer format(long v, StringBuffer b, FieldPosition pos) {
            return format((double) v, b, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            return null;
        }

        static String label(double v) {
            if (v <= 1.0000001) {
                return "0%";
            }
            double p = 100 * (1 - 1 / v);
            String s = String.format(Locale.ROOT, "%.4f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
            return s + "%";
        }
    }
}
