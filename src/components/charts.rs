//! Pie, bar and line charts as SVG markup, from figures the server
//! computed. Plain functions of their data, so the server's HTML and the
//! browser's hydrated page draw the same thing. Each chart is an image with
//! a text alternative (`role="img"`, `aria-label`), each shape has a
//! `<title>` (a tooltip, read by screen readers), and colours come from the
//! stylesheet's palette through `data-color`.

use crate::model::widget::{Series, Slice};

/// Colours for slices and lines that have none of their own.
const PALETTE: [&str; 10] = [
    "blue",
    "turquoise",
    "orange",
    "purple",
    "pink",
    "green",
    "yellow",
    "red",
    "bronze",
    "darkGray",
];

/// The colour of the `i`-th item: its own, else the palette's.
pub fn color_at(own: Option<&str>, i: usize) -> String {
    own.map(str::to_string)
        .unwrap_or_else(|| PALETTE[i % PALETTE.len()].to_string())
}

/// Text safe inside SVG/HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn percent(count: i64, total: i64) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 * 100.0 / total as f64
    }
}

/// A shape, wrapped in a link to its entities when it has one.
fn linked(shape: String, href: Option<&str>) -> String {
    match href {
        Some(href) => format!("<a href=\"{}\">{shape}</a>", escape(href)),
        None => shape,
    }
}

/// A pie: one wedge per slice, clockwise from twelve o'clock.
pub fn pie_svg(slices: &[Slice], total: i64, label: &str) -> String {
    let (cx, cy, r) = (100.0_f64, 100.0_f64, 96.0_f64);
    let mut shapes = String::new();
    let mut angle = -std::f64::consts::FRAC_PI_2;
    for (i, slice) in slices.iter().enumerate() {
        let share = if total == 0 {
            0.0
        } else {
            slice.count as f64 / total as f64
        };
        let color = color_at(slice.color.as_deref(), i);
        let tip = format!(
            "<title>{}: {} ({:.0}%)</title>",
            escape(&slice.label),
            slice.count,
            share * 100.0
        );
        let shape = if share >= 0.9999 {
            format!(
                "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" data-color=\"{color}\">{tip}</circle>"
            )
        } else if share > 0.0 {
            let end = angle + share * std::f64::consts::TAU;
            let (x1, y1) = (cx + r * angle.cos(), cy + r * angle.sin());
            let (x2, y2) = (cx + r * end.cos(), cy + r * end.sin());
            let large = if share > 0.5 { 1 } else { 0 };
            angle = end;
            format!(
                "<path d=\"M{cx},{cy} L{x1:.2},{y1:.2} A{r},{r} 0 {large} 1 {x2:.2},{y2:.2} Z\" data-color=\"{color}\">{tip}</path>"
            )
        } else {
            continue;
        };
        shapes.push_str(&linked(shape, slice.href.as_deref()));
    }
    format!(
        "<svg class=\"chart chart-pie\" viewBox=\"0 0 200 200\" role=\"img\" aria-label=\"{}\">{shapes}</svg>",
        escape(&summary(label, slices, total))
    )
}

/// Horizontal bars, largest first, each labelled with its count.
pub fn bar_svg(slices: &[Slice], total: i64, label: &str) -> String {
    let max = slices.iter().map(|s| s.count).max().unwrap_or(0).max(1) as f64;
    let (row, label_width, width) = (30.0, 130.0, 420.0);
    let track = width - label_width - 70.0;
    let mut shapes = String::new();
    for (i, slice) in slices.iter().enumerate() {
        let y = i as f64 * row;
        let color = color_at(slice.color.as_deref(), i);
        let w = (slice.count as f64 / max * track).max(1.0);
        let name: String = slice.label.chars().take(18).collect();
        let bar = format!(
            "<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\" class=\"chart-label\">{}</text>\
             <rect x=\"{label_width}\" y=\"{:.0}\" width=\"{w:.1}\" height=\"{:.0}\" rx=\"3\" data-color=\"{color}\">\
             <title>{}: {} ({:.0}%)</title></rect>\
             <text x=\"{:.1}\" y=\"{:.0}\" class=\"chart-value\">{}</text>",
            label_width - 8.0,
            y + row * 0.62,
            escape(&name),
            y + 5.0,
            row - 10.0,
            escape(&slice.label),
            slice.count,
            percent(slice.count, total),
            label_width + w + 6.0,
            y + row * 0.62,
            slice.count
        );
        shapes.push_str(&linked(format!("<g>{bar}</g>"), slice.href.as_deref()));
    }
    let height = (slices.len().max(1) as f64 * row).max(row);
    format!(
        "<svg class=\"chart chart-bar\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">{shapes}</svg>",
        escape(&summary(label, slices, total))
    )
}

fn summary(label: &str, slices: &[Slice], total: i64) -> String {
    let parts: Vec<String> = slices
        .iter()
        .map(|s| format!("{} {} ({:.0}%)", s.label, s.count, percent(s.count, total)))
        .collect();
    format!("{label}: {}", parts.join(", "))
}

/// A round top for the Y axis: 1, 2 or 5 times a power of ten.
fn nice_ceiling(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 5.0, 10.0] {
        if step * power >= max {
            return step * power;
        }
    }
    10.0 * power
}

/// Lines over labelled intervals, with a Y axis from zero.
pub fn line_svg(labels: &[String], series: &[Series], measure: &str) -> String {
    let (width, height, left, bottom, top) = (640.0, 260.0, 48.0, 28.0, 10.0);
    let plot_w = width - left - 12.0;
    let plot_h = height - bottom - top;
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().flatten())
        .fold(0.0_f64, |a, b| a.max(*b));
    let top_value = nice_ceiling(max);
    let n = labels.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| top + plot_h - v / top_value * plot_h;
    let mut out = String::new();
    for step in 0..=4 {
        let v = top_value * step as f64 / 4.0;
        let yy = y(v);
        out.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{:.0}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" class=\"chart-grid\"/>\
             <text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\" class=\"chart-label\">{}</text>",
            width - 12.0,
            left - 6.0,
            yy + 4.0,
            short(v)
        ));
    }
    let every = n.div_ceil(8).max(1);
    for (i, label) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
        out.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.0}\" text-anchor=\"middle\" class=\"chart-label\">{}</text>",
            x(i),
            height - 8.0,
            escape(label)
        ));
    }
    for (k, line) in series.iter().enumerate() {
        let color = color_at(None, k);
        let mut path = String::new();
        let mut dots = String::new();
        for (i, point) in line.points.iter().enumerate() {
            let Some(v) = point else {
                continue;
            };
            let command = if path.is_empty() { 'M' } else { 'L' };
            path.push_str(&format!("{command}{:.1},{:.1} ", x(i), y(*v)));
            dots.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" data-color=\"{color}\"><title>{} · {}: {}</title></circle>",
                x(i),
                y(*v),
                escape(&line.label),
                escape(labels.get(i).map(String::as_str).unwrap_or("")),
                short(*v)
            ));
        }
        out.push_str(&format!(
            "<path d=\"{}\" class=\"chart-line\" data-color=\"{color}\"/>{dots}",
            path.trim_end()
        ));
    }
    format!(
        "<svg class=\"chart chart-line-chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">{out}</svg>",
        escape(&format!(
            "{measure} per interval, {} to {}: {}",
            labels.first().map(String::as_str).unwrap_or(""),
            labels.last().map(String::as_str).unwrap_or(""),
            series.iter().map(|s| s.label.as_str()).collect::<Vec<_>>().join(", ")
        ))
    )
}

/// 1234 → "1.2k", 0.5 → "0.5".
fn short(v: f64) -> String {
    if v.abs() >= 1_000_000.0 {
        format!("{:.1}M", v / 1_000_000.0)
    } else if v.abs() >= 10_000.0 {
        format!("{:.0}k", v / 1_000.0)
    } else if v.abs() >= 1_000.0 {
        format!("{:.1}k", v / 1_000.0)
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(label: &str, count: i64) -> Slice {
        Slice {
            label: label.into(),
            count,
            color: None,
            href: Some(format!("/x?v={label}")),
        }
    }

    #[test]
    fn a_pie_has_a_wedge_per_slice_and_says_what_it_shows() {
        let svg = pie_svg(&[slice("gold", 3), slice("<b>", 1)], 4, "Services by tier");
        assert_eq!(svg.matches("<path").count(), 2);
        assert!(
            svg.contains("aria-label=\"Services by tier: gold 3 (75%), &lt;b&gt; 1 (25%)\""),
            "{svg}"
        );
        assert!(svg.contains("<a href=\"/x?v=gold\">"));
        assert!(!svg.contains("<b>"));
        // One slice is a whole disc, not a degenerate arc.
        assert!(pie_svg(&[slice("all", 5)], 5, "x").contains("<circle"));
    }

    #[test]
    fn bars_scale_to_the_largest() {
        let svg = bar_svg(&[slice("a", 10), slice("b", 5)], 15, "x");
        assert!(svg.contains("width=\"220.0\""), "{svg}");
        assert!(svg.contains("width=\"110.0\""), "{svg}");
    }

    #[test]
    fn lines_skip_empty_intervals_and_round_the_axis() {
        let labels: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let svg = line_svg(
            &labels,
            &[Series {
                label: "n".into(),
                points: vec![Some(1.0), None, Some(7.0)],
            }],
            "Entities",
        );
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains(">10</text>"), "{svg}");
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(31.0), 50.0);
    }
}
