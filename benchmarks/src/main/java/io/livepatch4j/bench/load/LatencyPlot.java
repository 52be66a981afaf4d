package io.livepatch4j.bench.load;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYDotRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Latency of every request over the run, one dot each (log scale), with events marked. Headless. */
public final class LatencyPlot {

    private LatencyPlot() {}

    /**
     * @param startNanos the load's start; x is seconds since then
     * @param events     label to nanoTime, drawn as vertical lines
     */
    public static void write(Path png, String title, List<Sample> samples, long startNanos,
                             Map<String, Long> events) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeries ok = new XYSeries("requests (latency from intended send time)");
        XYSeries failed = new XYSeries("failed");
        for (Sample s : samples) {
            double x = (s.intendedNanos() - startNanos) / 1e9;
            if (s.failed()) {
                failed.add(x, 0.01);
            } else {
                ok.add(x, Math.max(s.latencyNanos() / 1e6, 0.01));
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(ok);
        data.addSeries(failed);
        JFreeChart chart = ChartFactory.createScatterPlot(title, "seconds since the load started",
                "latency, ms (log)", data);
        XYPlot plot = chart.getXYPlot();
        LogAxis y = new LogAxis("latency, ms (log scale)");
        y.setSmallestValue(0.01);
        plot.setRangeAxis(y);
        XYDotRenderer dots = new XYDotRenderer();
        dots.setDotWidth(2);
        dots.setDotHeight(2);
        dots.setSeriesPaint(0, new Color(40, 90, 180));
        dots.setSeriesPaint(1, Color.RED);
        plot.setRenderer(dots);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        int i = 0;
        for (Map.Entry<String, Long> e : events.entrySet()) {
            ValueMarker m = new ValueMarker((e.getValue() - startNanos) / 1e9);
            m.setPaint(i++ % 2 == 0 ? new Color(200, 60, 0) : new Color(0, 140, 60));
            m.setStroke(new BasicStroke(1.5f));
            m.setLabel(e.getKey());
            m.setLabelAnchor(i % 2 == 0 ? RectangleAnchor.TOP_RIGHT : RectangleAnchor.BOTTOM_RIGHT);
            m.setLabelTextAnchor(i % 2 == 0 ? TextAnchor.TOP_LEFT : TextAnchor.BOTTOM_LEFT);
            plot.addDomainMarker(m);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1100, 560);
    }
}
