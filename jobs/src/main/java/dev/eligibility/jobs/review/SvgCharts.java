package dev.eligibility.jobs.review;

import java.util.List;
import java.util.Locale;

/**
 * Charts as inline SVG, drawn here so that a report needs no script and no network to be viewed:
 * horizontal bars for one run's outcomes, lines for figures over a root's runs. Scaled by their
 * {@code viewBox}, so they fit a phone and print sharp.
 */
final class SvgCharts {

  /** Colours by position, distinguishable on screen and in grey print (Okabe-Ito, then greys). */
  static final List<String> PALETTE = List.of("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
      "#F0E442", "#000000", "#7F7F7F", "#B15928", "#6A3D9A", "#1B9E77", "#A6761D", "#666666", "#E7298A");

  /** One bar: a label, its value, the text printed beside it and its colour. */
  record Bar(String label, double value, String text, String colour) {}

  /** One line: a name, a value per point (x in order) and its colour. */
  record Series(String name, List<Double> values, String colour) {}

  private static final int WIDTH = 640;
  private static final int LABEL_WIDTH = 250;
  private static final int ROW = 26;

  private SvgCharts() {}

  /** Horizontal bars, longest value full width; {@code title} is read out by screen readers. */
  static String bars(String title, List<Bar> bars) {
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
    int height = ROW * bars.size() + 8;
    StringBuilder svg = new StringBuilder(open(title, height));
    int barArea = WIDTH - LABEL_WIDTH - 110;
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      int y = 4 + i * ROW;
      double length = max == 0 ? 0 : Math.max(bar.value() > 0 ? 2 : 0, barArea * bar.value() / max);
      svg.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"label\">%s</text>"
              + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
              + "<text x=\"%.1f\" y=\"%d\" class=\"value\">%s</text>%n",
          LABEL_WIDTH - 8, y + 17, Html.escape(bar.label()), LABEL_WIDTH, y + 3, length, ROW - 8, bar.colour(),
          LABEL_WIDTH + length + 6, y + 17, Html.escape(bar.text())));
    }
    return svg.append("</svg>\n").toString();
  }

  /**
   * Lines over points {@code xLabels} (oldest first), y from 0 to {@code max} with gridlines at
   * quarters labelled by {@code yFormat} (a format of one double).
   */
  static String lines(String title, List<String> xLabels, List<Series> series, double max, String yFormat) {
    int height = 260;
    int left = 56;
    int right = 16;
    int top = 12;
    int bottom = 56;
    int plotWidth = WIDTH - left - right;
    int plotHeight = height - top - bottom;
    double top0 = max <= 0 ? 1 : max;
    StringBuilder svg = new StringBuilder(open(title, height));
    for (int q = 0; q <= 4; q++) {
      double y = top + plotHeight - plotHeight * q / 4.0;
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>"
              + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"axis\">%s</text>%n",
          left, y, WIDTH - right, y, left - 6, y + 4, Html.escape(String.format(Locale.ROOT, yFormat, top0 * q / 4))));
    }
    int points = xLabels.size();
    double step = points <= 1 ? 0 : (double) plotWidth / (points - 1);
    int labelEvery = Math.max(1, (int) Math.ceil(points / 8.0));
    for (int i = 0; i < points; i += labelEvery) {
      double x = left + (points <= 1 ? plotWidth / 2.0 : i * step);
      svg.append(String.format(Locale.ROOT,
          "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-30 %.1f %d)\" class=\"axis\">%s</text>%n",
          x, height - bottom + 16, x, height - bottom + 16, Html.escape(shorten(xLabels.get(i)))));
    }
    for (Series line : series) {
      StringBuilder polyline = new StringBuilder();
      StringBuilder dots = new StringBuilder();
      for (int i = 0; i < line.values().size(); i++) {
        double x = left + (points <= 1 ? plotWidth / 2.0 : i * step);
        double y = top + plotHeight - plotHeight * Math.min(1, line.values().get(i) / top0);
        polyline.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x, y,
            line.colour()));
      }
      svg.append(String.format(Locale.ROOT,
          "<g><title>%s</title><polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%s</g>%n",
          Html.escape(line.name()), polyline.toString().trim(), line.colour(), dots));
    }
    return svg.append("</svg>\n").toString();
  }

  private static String open(String title, int height) {
    return String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" class=\"chart\"><title>%s</title>%n",
        WIDTH, height, Html.escape(title));
  }

  private static String shorten(String label) {
    return label.length() <= 18 ? label : label.substring(0, 17) + "…";
  }
}
