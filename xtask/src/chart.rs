//! `target/bench/chart.svg`, drawn from results.json's entries: one bar group per
//! (workload, mode) that has a peer, with weft, tokio and smol each relative to the
//! best peer of that mode (so the best peer's bar is 1.0) on a log axis, the target
//! as a red line across the group, and a grey reference line at 1.0. For
//! memory_per_task the bars compare bytes per task and the target line sits at
//! 150 B / the best peer's bytes.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::results::Entry;
use crate::spec;

/// One bar group.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    /// `workload mode`.
    pub(crate) label: String,
    /// (runtime, metric / best peer's metric), for the Rust runtimes that ran.
    pub(crate) bars: Vec<(&'static str, f64)>,
    /// The target as a ratio to the best peer.
    pub(crate) target: Option<f64>,
    /// weft misses the target.
    pub(crate) miss: bool,
}

/// The bar groups of `entries`, in file order: every (workload, mode) with a peer.
pub(crate) fn groups(entries: &[Entry]) -> Vec<Group> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let mut out = Vec::new();
    for e in entries {
        let key = (e.workload.as_str(), e.mode.as_str());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let v = spec::verdict(entries, key.0, key.1);
        let Some((_, best)) = v.best_peer else {
            continue;
        };
        let bars = spec::RUST_RUNTIMES
            .into_iter()
            .filter_map(|rt| {
                let m = spec::find(entries, key.0, key.1, rt).and_then(spec::metric)?;
                Some((rt, m / best))
            })
            .collect();
        out.push(Group {
            label: format!("{} {}", key.0, key.1),
            bars,
            target: v.target_ratio,
            miss: v.miss,
        });
    }
    out
}

/// The bar colour of a runtime.
fn colour(runtime: &str) -> RGBColor {
    match runtime {
        "weft" => RGBColor(0x1f, 0x77, 0xb4),
        "tokio" => RGBColor(0xff, 0x7f, 0x0e),
        _ => RGBColor(0x2c, 0xa0, 0x2c),
    }
}

/// The log axis' range: every bar and target, with room around them, and 1.0.
fn y_range(groups: &[Group]) -> (f64, f64) {
    let values = groups
        .iter()
        .flat_map(|g| g.bars.iter().map(|b| b.1).chain(g.target))
        .filter(|v| v.is_finite() && *v > 0.0);
    let (lo, hi) = values.fold((1.0f64, 1.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    ((lo * 0.7).min(0.5), (hi * 1.4).max(2.0))
}

/// Draws the chart of `entries` to `path`.
pub(crate) fn draw(entries: &[Entry], path: &Path) -> Result<(), String> {
    let groups = groups(entries);
    let width = (160 + 64 * groups.len() as u32).max(640);
    let root = SVGBackend::new(path, (width, 620)).into_drawing_area();
    plot(&root, &groups).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// Ratios that get a grid line and a label on the y axis, where in range.
const TICKS: [f64; 15] = [
    0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0,
];

/// The drawing itself: a title and legend line, then the chart.
fn plot<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    groups: &[Group],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (top, body) = root.split_vertically(54);
    top.draw(&Text::new(
        "weft, tokio and smol relative to the best peer (tokio or smol) of the same mode; \
         log scale; lower is better",
        (14, 8),
        ("sans-serif", 16).into_font(),
    ))?;
    if groups.is_empty() {
        body.draw(&Text::new(
            "no (workload, mode) with a peer in results.json: nothing to draw",
            (14, 20),
            ("sans-serif", 16).into_font(),
        ))?;
        return Ok(());
    }
    // The legend, on one line under the title.
    let font = ("sans-serif", 13).into_font();
    let mut x = 14;
    for rt in spec::RUST_RUNTIMES {
        top.draw(&Rectangle::new(
            [(x, 32), (x + 12, 44)],
            colour(rt).filled(),
        ))?;
        top.draw(&Text::new(rt, (x + 17, 31), font.clone()))?;
        x += 80;
    }
    top.draw(&PathElement::new(
        vec![(x, 38), (x + 18, 38)],
        RED.stroke_width(2),
    ))?;
    top.draw(&Text::new(
        "weft's target (MISS: weft misses it)",
        (x + 24, 31),
        font.clone(),
    ))?;
    x += 290;
    top.draw(&PathElement::new(
        vec![(x, 38), (x + 18, 38)],
        RGBColor(0x55, 0x55, 0x55).stroke_width(1),
    ))?;
    top.draw(&Text::new("1 = the best peer", (x + 24, 31), font.clone()))?;

    let n = groups.len() as f64;
    let (lo, hi) = y_range(groups);
    let mut chart = ChartBuilder::on(&body)
        .margin(12)
        .margin_top(20)
        .x_label_area_size(190)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..n, (lo..hi).log_scale())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .y_label_formatter(&|_| String::new())
        .y_desc("ratio to the best peer (log scale)")
        .draw()?;
    // Grid lines and labels of our own: plotters' log axis labels few values.
    let ticks: Vec<f64> = TICKS.into_iter().filter(|t| *t > lo && *t < hi).collect();
    chart.draw_series(ticks.iter().map(|&t| {
        let (colour, width) = if t == 1.0 {
            (RGBColor(0x55, 0x55, 0x55), 1)
        } else {
            (RGBColor(0xdd, 0xdd, 0xdd), 1)
        };
        PathElement::new(vec![(0.0, t), (n, t)], colour.stroke_width(width))
    }))?;
    for &t in &ticks {
        let (x, y) = chart.backend_coord(&(0.0, t));
        let label = format!("{t}");
        root.draw(&Text::new(
            label.clone(),
            (x - 10 - 7 * label.len() as i32, y - 7),
            font.clone(),
        ))?;
    }
    for (slot, rt) in spec::RUST_RUNTIMES.into_iter().enumerate() {
        chart.draw_series(groups.iter().enumerate().filter_map(move |(i, g)| {
            let value = g.bars.iter().find(|b| b.0 == rt)?.1;
            let x0 = i as f64 + 0.14 + slot as f64 * 0.24;
            Some(Rectangle::new(
                [(x0, lo), (x0 + 0.22, value)],
                colour(rt).filled(),
            ))
        }))?;
    }
    chart.draw_series(groups.iter().enumerate().filter_map(|(i, g)| {
        let t = g.target?;
        Some(PathElement::new(
            vec![(i as f64 + 0.06, t), (i as f64 + 0.94, t)],
            RED.stroke_width(2),
        ))
    }))?;
    // Group names under the axis, written downwards, and MISS above missed groups.
    let label_font = ("sans-serif", 13)
        .into_font()
        .transform(FontTransform::Rotate90);
    let miss_font = ("sans-serif", 12).into_font().color(&RED);
    for (i, g) in groups.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, lo));
        root.draw(&Text::new(
            g.label.clone(),
            (x - 6, y + 8),
            label_font.clone(),
        ))?;
        if g.miss {
            let (x, y) = chart.backend_coord(&(i as f64 + 0.2, hi));
            root.draw(&Text::new("MISS", (x, y - 16), miss_font.clone()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Entry, Status};

    fn ok(workload: &str, mode: &str, runtime: &str, median_ns: u64) -> Entry {
        Entry::measured(workload, mode, runtime, median_ns, median_ns)
    }

    #[test]
    fn groups_are_relative_to_the_best_peer() {
        let mut nope = Entry::new("tcp_echo_latency", "st", "weft");
        nope.status = Status::NotYet;
        nope.reason = Some("weft-net".into());
        let entries = vec![
            ok("ping_pong", "mt2", "weft", 400),
            ok("ping_pong", "mt2", "tokio", 500),
            ok("ping_pong", "mt2", "smol", 1000),
            ok("ping_pong", "st", "uvloop", 4500), // no peer: no group
            nope,
            ok("tcp_echo_latency", "st", "tokio", 100),
        ];
        let g = groups(&entries);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].label, "ping_pong mt2");
        assert_eq!(
            g[0].bars,
            vec![("weft", 0.8), ("tokio", 1.0), ("smol", 2.0)]
        );
        assert_eq!(g[0].target, Some(0.8));
        assert!(!g[0].miss);
        assert_eq!(g[1].bars, vec![("tokio", 1.0)]);
        assert_eq!(g[1].target, Some(0.95));
    }

    #[test]
    fn the_axis_holds_every_bar() {
        let g = vec![Group {
            label: "x st".into(),
            bars: vec![("weft", 0.05), ("tokio", 1.0), ("smol", 30.0)],
            target: Some(0.8),
            miss: false,
        }];
        let (lo, hi) = y_range(&g);
        assert!(lo < 0.05 && hi > 30.0);
    }

    #[test]
    fn draws_an_svg_with_a_bar_per_runtime() {
        let entries = vec![
            ok("ping_pong", "mt2", "weft", 700),
            ok("ping_pong", "mt2", "tokio", 500),
            ok("ping_pong", "mt2", "smol", 1000),
        ];
        let dir = std::env::temp_dir().join(format!("xtask-chart-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("chart.svg");
        draw(&entries, &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(200)]);
        assert!(svg.contains("ping_pong mt2"));
        assert!(svg.contains("MISS")); // 700 / 500 = 1.4 > 0.8
        draw(&[], &path).unwrap();
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .contains("nothing to draw")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
