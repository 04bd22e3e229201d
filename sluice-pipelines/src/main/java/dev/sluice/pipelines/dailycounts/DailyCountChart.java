package dev.sluice.pipelines.dailycounts;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Draws {@link DailyCounts} as a PNG bar chart: UTC days on the x axis, one bar series per group (for tracking:
 * android, ios, other), the event in the title. Drawn with XChart on an off-screen image, so it needs no display: the class sets
 * {@code java.awt.headless=true} unless the JVM was started with a value of its own.
 *
 * <pre>{@code
 * byte[] png = new DailyCountChart().render(counts); // 900 x 500 pixels
 * }</pre>
 */
public final class DailyCountChart {

    public static final int DEFAULT_WIDTH = 900;
    public static final int DEFAULT_HEIGHT = 500;

    static {
        // Before the first AWT class loads: a server has no display, and AWT would otherwise look for one.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd");
    /** The named groups' colours in their order (android, ios for tracking); other is grey. */
    private static final List<Color> PALETTE = List.of(new Color(0x3d, 0xdc, 0x84), new Color(0x4a, 0x7d, 0xd9),
            new Color(0xe8, 0x8a, 0x2e), new Color(0x9b, 0x59, 0xb6), new Color(0xd9, 0x4a, 0x4a),
            new Color(0x2e, 0xb8, 0xc4));
    private static final Color OTHER_COLOR = new Color(0x9a, 0x9a, 0x9a);

    private final int width;
    private final int height;

    public DailyCountChart() {
        this(DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /** A chart of {@code width} x {@code height} pixels, each at least 200. */
    public DailyCountChart(int width, int height) {
        if (width < 200 || height < 200) {
            throw new IllegalArgumentException("a chart needs at least 200 x 200 pixels, got " + width + " x " + height);
        }
        this.width = width;
        this.height = height;
    }

    /** The chart of {@code counts} as PNG bytes; days without events are drawn as empty slots. */
    public byte[] render(DailyCounts counts) {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height)
                .title(counts.event() + " per day")
                .xAxisTitle("day (UTC, " + yearsOf(counts) + ")").yAxisTitle("events").build();
        CategoryStyler styler = chart.getStyler();
        styler.setOverlapped(false);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setXAxisLabelRotation(counts.days().size() > 16 ? 90 : 0);
        styler.setYAxisDecimalPattern("#,##0");
        styler.setYAxisMin(0.0);
        if (counts.days().stream().allMatch(d -> d.total() == 0)) {
            styler.setYAxisMax(1.0); // no events: an empty axis from 0 to 1 rather than a degenerate one
        }
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAntiAlias(true);
        List<String> groups = counts.groups();
        Color[] colors = new Color[groups.size()];
        for (int i = 0; i < colors.length; i++) {
            colors[i] = groups.get(i).equals(DailyCounts.OTHER) ? OTHER_COLOR : PALETTE.get(i % PALETTE.size());
        }
        styler.setSeriesColors(colors);
        List<String> days = counts.days().stream().map(d -> DAY.format(d.day())).toList();
        for (String group : groups) {
            chart.addSeries(group, days, counts.days().stream().map(d -> (Number) d.count(group)).toList());
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the chart of " + counts.event() + " as PNG", e);
        }
    }

    private static String yearsOf(DailyCounts counts) {
        int first = counts.days().getFirst().day().getYear();
        int last = counts.days().getLast().day().getYear();
        return first == last ? Integer.toString(first) : first + "–" + last;
    }
}
