//! Charts drawn on the server as SVG with `view!` (no script, no font to fetch): vertical bars (stacked when there
//! are several series), horizontal bars and lines. Each has `role="img"`, a `<title>` and a `<desc>` that sum it up,
//! a pattern as well as a colour per series with a dark outline, direct labels (totals), and beside it a `<details>`
//! with the same numbers as a real table. The geometry is plain functions, tested apart from the markup.

use crate::dto::statistics::{ChartKind, Figure, Table};
use leptos::prelude::*;

/// The drawing's coordinate system (the SVG's `viewBox`); it scales to its box, which scrolls below its minimum width.
pub(crate) const WIDTH: f64 = 640.0;
/// Room left of the plot for the axis' values, and below it for the categories' names.
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 36.0;
const TOP: f64 = 20.0;
const RIGHT: f64 = 12.0;
const PLOT_HEIGHT: f64 = 200.0;
/// A horizontal bar's band: its name on a line above it, then the bar.
const BAND: f64 = 40.0;

/// Series' fills: dark enough that white hatching on them stands out, each with its own pattern
/// ([`PATTERNS`]), so that series differ by more than their colour.
const COLOURS: [&str; 6] = ["#000091", "#b34000", "#18753c", "#6e445a", "#3a3a3a", "#0063cb"];
/// The hatching drawn in white over each series' colour: none, diagonal, dots, crossed, horizontal, vertical.
const PATTERNS: [&str; 6] = ["", "M0 8 L8 0", "M3 3 h2 v2 h-2 Z", "M0 0 L8 8 M0 8 L8 0", "M0 4 H8", "M4 0 V8"];

/// The top of the value axis: the smallest of 1, 2, 5 × 10ⁿ at or above `max` (at least 1).
pub(crate) fn axis_top(max: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for factor in [1, 2, 5] {
            let top = step.saturating_mul(factor);
            if top >= max || top == u64::MAX {
                return top;
            }
        }
        step = step.saturating_mul(10);
    }
}

/// A rectangle of the drawing, with the series and category it stands for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub series: usize,
    pub category: usize,
}

/// The height of the drawing for `figure`.
pub(crate) fn height(figure: &Figure) -> f64 {
    match figure.kind {
        ChartKind::Bars => TOP + BAND * figure.categories.len() as f64,
        ChartKind::Columns | ChartKind::Line => TOP + PLOT_HEIGHT + BOTTOM,
    }
}

fn value(figure: &Figure, series: usize, category: usize) -> u64 {
    figure.series.get(series).and_then(|s| s.values.get(category)).copied().unwrap_or(0)
}

/// Each category's total across the series (what a stacked bar reaches).
pub(crate) fn totals(figure: &Figure) -> Vec<u64> {
    (0..figure.categories.len()).map(|c| (0..figure.series.len()).map(|s| value(figure, s, c)).sum()).collect()
}

/// The top of the axis: the highest total for bars, the highest single value for lines.
pub(crate) fn figure_top(figure: &Figure) -> u64 {
    let max = match figure.kind {
        ChartKind::Line => figure.series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0),
        ChartKind::Columns | ChartKind::Bars => totals(figure).into_iter().max().unwrap_or(0),
    };
    axis_top(max)
}

/// The stacked columns (or bars) of `figure`: a category's segments sit on one another in series order, each as
/// tall (or long) as its value over the axis' top; empty segments are left out.
pub(crate) fn segments(figure: &Figure) -> Vec<Rect> {
    let top = figure_top(figure) as f64;
    let categories = figure.categories.len().max(1) as f64;
    let mut rects = vec![];
    for category in 0..figure.categories.len() {
        let mut base = 0.0;
        for series in 0..figure.series.len() {
            let amount = value(figure, series, category) as f64;
            if amount == 0.0 {
                continue;
            }
            rects.push(match figure.kind {
                ChartKind::Bars => {
                    let span = WIDTH - RIGHT - 80.0;
                    let length = span * amount / top;
                    Rect { x: base, y: TOP + BAND * category as f64 + 18.0, width: length, height: 16.0, series, category }
                }
                _ => {
                    let slot = (WIDTH - LEFT - RIGHT) / categories;
                    let tall = PLOT_HEIGHT * amount / top;
                    let y = TOP + PLOT_HEIGHT - base - tall;
                    Rect { x: LEFT + slot * category as f64 + slot * 0.15, y, width: slot * 0.7, height: tall, series, category }
                }
            });
            base += match figure.kind {
                ChartKind::Bars => rects.last().map_or(0.0, |r| r.width),
                _ => rects.last().map_or(0.0, |r| r.height),
            };
        }
    }
    rects
}

/// A line's points, one per category, at the middle of its slot.
pub(crate) fn line_points(figure: &Figure, series: usize) -> Vec<(f64, f64)> {
    let top = figure_top(figure) as f64;
    let slot = (WIDTH - LEFT - RIGHT) / figure.categories.len().max(1) as f64;
    (0..figure.categories.len())
        .map(|c| (LEFT + slot * (c as f64 + 0.5), TOP + PLOT_HEIGHT - PLOT_HEIGHT * value(figure, series, c) as f64 / top))
        .collect()
}

fn fill(chart: &str, series: usize) -> String {
    if PATTERNS[series % PATTERNS.len()].is_empty() { COLOURS[series % COLOURS.len()].to_owned() } else { format!("url(#{chart}-p{series})") }
}

fn round(value: f64) -> String {
    format!("{value:.1}")
}

/// A figure as a chart, its legend, and its table in a `<details>`; when it counts nothing, a sentence instead.
#[component]
pub fn Chart(figure: Figure) -> impl IntoView {
    if figure.is_empty() {
        return view! {
            <section class="figure" id=figure.code.clone() aria-labelledby=format!("{}-title", figure.code)>
                <h2 id=format!("{}-title", figure.code)>{figure.title.clone()}</h2>
                <p class="empty-state">"Aucune donnée pour la période et les filtres choisis."</p>
            </section>
        }
        .into_any();
    }
    let chart = format!("chart-{}", figure.code);
    let (title_id, desc_id) = (format!("{chart}-title"), format!("{chart}-desc"));
    let height = height(&figure);
    let top = figure_top(&figure);
    let patterns = (0..figure.series.len())
        .filter(|s| !PATTERNS[s % PATTERNS.len()].is_empty())
        .map(|s| {
            view! {
                <pattern id=format!("{chart}-p{s}") width="8" height="8" patternUnits="userSpaceOnUse">
                    <rect width="8" height="8" fill=COLOURS[s % COLOURS.len()] />
                    <path d=PATTERNS[s % PATTERNS.len()] stroke="#ffffff" stroke-width="1.5" fill="#ffffff" />
                </pattern>
            }
        })
        .collect_view();
    let body = match figure.kind {
        ChartKind::Columns | ChartKind::Line => columns_body(&figure, &chart, top).into_any(),
        ChartKind::Bars => bars_body(&figure, &chart).into_any(),
    };
    let legend = (figure.series.len() > 1).then(|| {
        view! {
            <ul class="chart-legend">
                {figure.series.iter().enumerate().map(|(s, series)| view! {
                    <li>
                        <svg width="16" height="16" aria-hidden="true" focusable="false"><rect x="0.5" y="0.5" width="15" height="15" fill=fill(&chart, s) stroke="#161616" /></svg>
                        {series.name.clone()}
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    let table = figure.table();
    view! {
        <section class="figure" id=figure.code.clone() aria-labelledby=format!("{}-heading", figure.code)>
            <h2 id=format!("{}-heading", figure.code)>{figure.title.clone()}</h2>
            <p>{figure.summary.clone()}</p>
            <div class="chart" role="region" tabindex="0" aria-label=format!("Graphique : {}", figure.title)>
                <svg viewBox=format!("0 0 {WIDTH} {}", round(height)) role="img" aria-labelledby=format!("{title_id} {desc_id}") focusable="false">
                    <title id=title_id.clone()>{figure.title.clone()}</title>
                    <desc id=desc_id.clone()>{figure.summary.clone()}</desc>
                    <defs>{patterns}</defs>
                    {body}
                </svg>
            </div>
            {legend}
            <details class="chart-data">
                <summary>{format!("Données du graphique « {} » (tableau)", figure.title)}</summary>
                <FiguresTable table />
            </details>
        </section>
    }
    .into_any()
}

/// The categories' names under columns, on two lines where they have two words (« nov. » over « 2026 »), the second
/// written only where it changes, so that twelve months fit side by side.
pub(crate) fn axis_names(categories: &[String]) -> Vec<(String, Option<String>)> {
    let mut previous: Option<&str> = None;
    categories
        .iter()
        .map(|name| match name.rsplit_once(' ') {
            Some((head, tail)) => {
                let shown = (previous != Some(tail)).then(|| tail.to_owned());
                previous = Some(tail);
                (head.to_owned(), shown)
            }
            None => (name.clone(), None),
        })
        .collect()
}

/// A table of figures: its caption, the columns' headings, each row's first cell as the row's heading; it scrolls
/// (and can be scrolled from the keyboard) when the screen is narrower.
#[component]
pub fn FiguresTable(table: Table) -> impl IntoView {
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-label=table.title.clone()>
            <table>
                <caption>{table.title.clone()}</caption>
                <thead><tr>{table.headers.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {table.rows.into_iter().map(|row| {
                        let mut cells = row.into_iter();
                        let head = cells.next().unwrap_or_default();
                        view! { <tr><th scope="row">{head}</th>{cells.map(|c| view! { <td class="number">{c}</td> }).collect_view()}</tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Columns or lines over the categories, with the value axis (0, half, top) and each category's name below.
fn columns_body(figure: &Figure, chart: &str, top: u64) -> impl IntoView {
    let axis = [0, top / 2, top].into_iter().map(|tick| {
        let y = TOP + PLOT_HEIGHT - PLOT_HEIGHT * tick as f64 / top as f64;
        view! {
            <line x1=LEFT x2=WIDTH - RIGHT y1=round(y) y2=round(y) stroke="#929292" stroke-width="0.5" />
            <text x=LEFT - 4.0 y=round(y + 4.0) text-anchor="end" font-size="11" fill="#3a3a3a">{tick.to_string()}</text>
        }
    });
    let slot = (WIDTH - LEFT - RIGHT) / figure.categories.len().max(1) as f64;
    let names = axis_names(&figure.categories).into_iter().enumerate().map(|(c, (head, tail))| {
        let x = round(LEFT + slot * (c as f64 + 0.5));
        let tail = tail.map(
            |tail| view! { <text x=x.clone() y=round(TOP + PLOT_HEIGHT + 30.0) text-anchor="middle" font-size="11" fill="#161616">{tail}</text> },
        );
        view! { <text x=x.clone() y=round(TOP + PLOT_HEIGHT + 16.0) text-anchor="middle" font-size="11" fill="#161616">{head}</text>{tail} }
    });
    let marks = if figure.kind == ChartKind::Line {
        (0..figure.series.len())
            .map(|s| {
                let points = line_points(figure, s);
                let path = points.iter().map(|(x, y)| format!("{},{}", round(*x), round(*y))).collect::<Vec<_>>().join(" ");
                let colour = COLOURS[s % COLOURS.len()];
                let dots = points
                    .iter()
                    .enumerate()
                    .map(|(c, (x, y))| {
                        view! {
                            <circle cx=round(*x) cy=round(*y) r="3.5" fill=colour />
                            <text x=round(*x) y=round(y - 7.0) text-anchor="middle" font-size="10" fill="#161616">{value(figure, s, c).to_string()}</text>
                        }
                    })
                    .collect_view();
                view! { <polyline points=path fill="none" stroke=colour stroke-width="2" stroke-dasharray=if s == 0 { "none" } else { "6 3" } />{dots} }
            })
            .collect_view()
            .into_any()
    } else {
        let rects = segments(figure)
            .into_iter()
            .map(|r| {
                view! { <rect x=round(r.x) y=round(r.y) width=round(r.width) height=round(r.height) fill=fill(chart, r.series) stroke="#161616" stroke-width="0.75" /> }
            })
            .collect_view();
        let totals = totals(figure)
            .into_iter()
            .enumerate()
            .filter(|(_, total)| *total > 0)
            .map(|(c, total)| {
                let y = TOP + PLOT_HEIGHT - PLOT_HEIGHT * total as f64 / top as f64 - 4.0;
                view! { <text x=round(LEFT + slot * (c as f64 + 0.5)) y=round(y) text-anchor="middle" font-size="10" fill="#161616">{total.to_string()}</text> }
            })
            .collect_view();
        view! { {rects}{totals} }.into_any()
    };
    view! {
        <g aria-hidden="true">
            {axis.collect_view()}
            {marks}
            {names.collect_view()}
        </g>
    }
}

/// Horizontal bars: each category's name above its bar, its total at the bar's end.
fn bars_body(figure: &Figure, chart: &str) -> impl IntoView {
    let totals = totals(figure);
    let rects = segments(figure);
    let ends: Vec<f64> =
        (0..figure.categories.len()).map(|c| rects.iter().filter(|r| r.category == c).map(|r| r.x + r.width).fold(0.0, f64::max)).collect();
    view! {
        <g aria-hidden="true">
            {figure.categories.iter().enumerate().map(|(c, name)| view! {
                <text x="0" y=round(TOP + BAND * c as f64 + 12.0) font-size="12" fill="#161616">{name.clone()}</text>
                <text x=round(ends[c] + 6.0) y=round(TOP + BAND * c as f64 + 30.0) font-size="11" fill="#161616">{totals[c].to_string()}</text>
            }).collect_view()}
            {rects.into_iter().map(|r| view! {
                <rect x=round(r.x) y=round(r.y) width=round(r.width) height=round(r.height) fill=fill(chart, r.series) stroke="#161616" stroke-width="0.75" />
            }).collect_view()}
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::statistics::Series;

    fn figure(kind: ChartKind, series: Vec<Vec<u64>>) -> Figure {
        let categories = series.first().map_or(0, Vec::len);
        Figure {
            code: "test".to_owned(),
            title: "Test".to_owned(),
            summary: String::new(),
            kind,
            category_header: "Mois".to_owned(),
            categories: (0..categories).map(|c| format!("m{c}")).collect(),
            series: series.into_iter().enumerate().map(|(i, values)| Series { name: format!("s{i}"), values }).collect(),
            unit: "demandes".to_owned(),
        }
    }

    #[test]
    fn the_axis_tops_at_a_round_value_at_or_above_the_largest() {
        for (max, top) in [(0, 1), (1, 1), (2, 2), (3, 5), (7, 10), (10, 10), (11, 20), (143, 200), (4475, 5000), (50_001, 100_000)] {
            assert_eq!(axis_top(max), top, "max {max}");
        }
    }

    #[test]
    fn stacked_columns_sit_on_each_other_and_the_tallest_reaches_its_share_of_the_axis() {
        // Two months, two series: 30 + 10 = 40 and 5 + 0 = 5; the axis tops at 50.
        let figure = figure(ChartKind::Columns, vec![vec![30, 5], vec![10, 0]]);
        let rects = segments(&figure);
        assert_eq!(rects.len(), 3, "the empty segment is left out");
        let (a, b, c) = (rects[0], rects[1], rects[2]);
        let bottom = TOP + PLOT_HEIGHT;
        assert!((a.y + a.height - bottom).abs() < 1e-9, "the first segment stands on the axis");
        assert!((a.height - PLOT_HEIGHT * 30.0 / 50.0).abs() < 1e-9);
        assert!((b.y + b.height - a.y).abs() < 1e-9, "the second sits on the first");
        assert!((b.height - PLOT_HEIGHT * 10.0 / 50.0).abs() < 1e-9);
        assert_eq!((b.series, b.category), (1, 0));
        assert!(c.x > a.x + a.width, "the second month stands to the right of the first");
        assert!((c.height - PLOT_HEIGHT * 5.0 / 50.0).abs() < 1e-9);
        assert!(rects.iter().all(|r| r.x >= LEFT && r.x + r.width <= WIDTH - RIGHT), "inside the plot");
    }

    #[test]
    fn horizontal_bars_grow_from_the_left_in_their_own_band() {
        let figure = figure(ChartKind::Bars, vec![vec![100, 50, 0]]);
        let rects = segments(&figure);
        assert_eq!(rects.len(), 2);
        assert!((rects[0].width - 2.0 * rects[1].width).abs() < 1e-9, "twice the value, twice the length");
        assert_eq!(rects[0].x, 0.0);
        assert!(rects[1].y >= rects[0].y + BAND - 1e-9, "one band per category");
        assert!((height(&figure) - (TOP + 3.0 * BAND)).abs() < 1e-9);
        assert!(rects.iter().all(|r| r.x + r.width <= WIDTH), "inside the drawing");
    }

    #[test]
    fn a_line_goes_through_one_point_per_category_at_its_value() {
        let figure = figure(ChartKind::Line, vec![vec![0, 10, 5]]);
        let points = line_points(&figure, 0);
        assert_eq!(points.len(), 3);
        assert!((points[0].1 - (TOP + PLOT_HEIGHT)).abs() < 1e-9, "0 sits on the axis");
        assert!((points[1].1 - TOP).abs() < 1e-9, "the top value reaches the top");
        assert!((points[2].1 - (TOP + PLOT_HEIGHT / 2.0)).abs() < 1e-9);
        assert!(points.windows(2).all(|w| w[1].0 > w[0].0), "left to right");
    }

    #[test]
    fn month_names_go_on_two_lines_with_the_year_only_where_it_changes() {
        let names = ["nov. 2025", "déc. 2025", "janv. 2026", "févr. 2026", "Total"].map(str::to_owned);
        assert_eq!(
            axis_names(&names),
            [
                ("nov.".to_owned(), Some("2025".to_owned())),
                ("déc.".to_owned(), None),
                ("janv.".to_owned(), Some("2026".to_owned())),
                ("févr.".to_owned(), None),
                ("Total".to_owned(), None),
            ]
        );
    }

    #[test]
    fn the_table_transcribes_every_value_with_a_total_for_stacked_series() {
        let table = figure(ChartKind::Columns, vec![vec![30, 5], vec![10, 0]]).table();
        assert_eq!(table.headers, ["Mois", "s0", "s1", "Total"]);
        assert_eq!(table.rows, vec![vec!["m0", "30", "10", "40"], vec!["m1", "5", "0", "5"]]);
        let line = figure(ChartKind::Line, vec![vec![1, 2], vec![3, 4]]).table();
        assert_eq!(line.headers, ["Mois", "s0", "s1"], "lines do not add up");
    }

    #[test]
    fn every_series_differs_by_its_pattern_as_well_as_its_colour() {
        let mut seen = std::collections::HashSet::new();
        for (colour, pattern) in COLOURS.iter().zip(PATTERNS) {
            assert!(seen.insert(pattern), "pattern {pattern:?} twice");
            assert!(contrast(colour, "#ffffff") >= 3.0, "{colour} against the page");
        }
    }

    /// WCAG contrast ratio of two `#rrggbb` colours.
    fn contrast(a: &str, b: &str) -> f64 {
        let luminance = |hex: &str| {
            let channel = |i: usize| {
                let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")) / 255.0;
                if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
            };
            0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
        };
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }
}
