//! The ring lab's text panels: keys per node against the ideal, the balance and movement
//! figures next to what theory predicts, the every-scheme comparison, and the key lookup.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::draw::node_style;
use super::model::{Model, Step};
use crate::safe_text::escape;
use crate::sim::hash_ring::{Explanation, Movement, NodeId, Why, top_scores};
use crate::tui::screens::labs::common::{boxed, labelled, marked_bar, panel, percent, thousands};
use crate::tui::theme::Theme;
use crate::tui::widgets::cursor::Cursor;
use crate::tui::widgets::{marker, put_line, truncate, visible_rows};

/// Width of the count and deviation columns after each load bar.
const FIGURES: u16 = 17;

/// One bar per node, scaled so the busiest fits, with the ideal (the mean) marked.
pub fn loads(area: Rect, buf: &mut Buffer, model: &Model, theme: &Theme, selected: usize) {
    let inner = boxed(panel(" Keys per node · │ ideal ", theme, true), area, buf);
    let nodes = &model.setup.nodes;
    let counts = model.loads.counts();
    let mean = model.balance.mean;
    // The ideal sits two thirds along, leaving room to see a node run over it.
    let scale = (model.balance.max as f64).max(mean * 1.5);
    let name_w = nodes
        .iter()
        .map(std::string::String::len)
        .max()
        .unwrap_or(0) as u16
        + 3;
    let bar_w = inner.width.saturating_sub(name_w + FIGURES);
    let cursor = Cursor {
        selected,
        offset: 0,
    };
    for (i, y) in visible_rows(inner, &cursor, nodes.len(), 1) {
        let name = &nodes[i];
        let count = counts.get(i).copied().unwrap_or(0);
        let style = node_style(theme, name);
        let sel = i == selected;
        let name_style = if sel {
            style.patch(theme.selection)
        } else {
            style
        };
        let deviation = if mean > 0.0 {
            format!("{:+.1}%", (count as f64 / mean - 1.0) * 100.0)
        } else {
            String::new()
        };
        let left = Line::from(vec![
            Span::styled(marker(sel), theme.accent),
            Span::styled(
                format!("{name:<w$}", w = usize::from(name_w - 3)),
                name_style,
            ),
        ]);
        put_line(buf, inner, y, &left);
        let bar = Rect {
            x: inner.x + name_w,
            y,
            width: bar_w,
            height: 1,
        };
        marked_bar(
            buf,
            bar,
            (count as f64, Some(mean), scale),
            style,
            theme.base,
        );
        let figures = Line::from(vec![
            Span::styled(format!(" {:>8}", thousands(count)), theme.base),
            Span::styled(format!(" {deviation:>7}"), theme.muted),
        ]);
        let fx = Rect {
            x: bar.right(),
            width: inner.right().saturating_sub(bar.right()),
            ..bar
        };
        put_line(buf, fx, y, &figures);
    }
}

/// A row of the balance panel: labels take 11 columns.
fn row(theme: &Theme, label: &str, parts: Vec<Span<'static>>) -> Line<'static> {
    labelled(theme, label, 11, parts)
}

/// A fraction's value.
fn ratio((num, den): (usize, usize)) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// `1/7 = 14.3%`: a fraction and its value.
fn fraction(f: (usize, usize)) -> String {
    format!("{}/{} = {}", f.0, f.1, percent(ratio(f)))
}

/// Rows the balance panel draws, borders included.
pub const BALANCE_ROWS: u16 = 8;

/// The measured spread and movement, each next to what theory expects.
pub fn balance(area: Rect, buf: &mut Buffer, model: &Model, theme: &Theme) {
    let inner = boxed(panel(" Balance ", theme, false), area, buf);
    let b = &model.balance;
    let strong = |s: String| Span::styled(s, theme.strong);
    let muted = |s: String| Span::styled(s, theme.muted);
    let mut lines = Vec::new();
    let mut spread = vec![strong(format!("{:.3}", b.max_over_mean))];
    if let Some(cap) = model.placement.max_load(model.loads.total()) {
        let bound = if b.mean > 0.0 {
            cap as f64 / b.mean
        } else {
            0.0
        };
        spread.push(muted(format!("  cap {bound:.3}")));
    }
    spread.push(muted(format!(
        "  min {} max {}",
        thousands(b.min),
        thousands(b.max)
    )));
    lines.push(row(theme, "max/mean", spread));
    let mut rsd = vec![strong(format!("{:.3}", b.rsd))];
    match model.placement.expected_rsd(model.keys.len()) {
        Some(e) => rsd.push(muted(format!("  expect {e:.3}"))),
        None => rsd.push(muted("  bounded by the cap".into())),
    }
    if model.setup.algo.uses_vnodes() {
        let v = f64::from(model.setup.vnodes);
        rsd.push(muted(format!("  1/√v {:.3}", 1.0 / v.sqrt())));
    }
    lines.push(row(theme, "rel. stdev", rsd));
    match &model.last {
        Some((step, moved)) => movement_lines(&mut lines, theme, step, moved),
        None => lines.push(row(
            theme,
            "moved",
            vec![muted("none yet (add or remove a node)".into())],
        )),
    }
    for (i, line) in lines.iter().enumerate() {
        put_line(buf, inner, inner.y + i as u16, line);
    }
}

fn movement_lines(lines: &mut Vec<Line<'static>>, theme: &Theme, step: &Step, moved: &Movement) {
    let (ideal, modulo) = step.analytic();
    let (ideal_f, modulo_f) = if step.after.len() > step.before.len() {
        ("1/(N+1)", "N/(N+1)")
    } else {
        ("1/N", "(N-1)/N")
    };
    lines.push(row(
        theme,
        "moved",
        vec![
            Span::styled(percent(moved.share), theme.strong),
            Span::styled(format!(" of keys on {}", step.label()), theme.muted),
        ],
    ));
    lines.push(row(
        theme,
        " ideal",
        vec![Span::styled(
            format!("{ideal_f} = {}", fraction(ideal)),
            theme.ok,
        )],
    ));
    lines.push(row(
        theme,
        " modulo",
        vec![
            Span::styled(
                format!("{modulo_f} = {}", percent(ratio(modulo))),
                theme.warn,
            ),
            Span::styled(
                format!(", measured {}", percent(moved.modulo_share)),
                theme.muted,
            ),
        ],
    ));
    lines.push(row(
        theme,
        " survivors",
        vec![Span::styled(
            format!(
                "{} keys moved between nodes kept",
                thousands(moved.between_survivors)
            ),
            theme.muted,
        )],
    ));
}

/// Every scheme on the same keys and the same change, the current one highlighted.
pub fn compare(area: Rect, buf: &mut Buffer, model: &Model, theme: &Theme) {
    let inner = boxed(panel(" Every scheme, same keys ", theme, true), area, buf);
    let Some(rows) = &model.comparison else {
        return;
    };
    let mut lines = Vec::new();
    if let Ok(step) = model.compared_step() {
        let (ideal, modulo) = step.analytic();
        let when = match model.last {
            Some(_) => "last change",
            None => "change (not made yet)",
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{when}: "), theme.muted),
            Span::styled(step.label(), theme.strong),
        ]));
        lines.push(Line::from(vec![
            Span::styled(format!("ideal {}", fraction(ideal)), theme.ok),
            Span::styled(" · ", theme.muted),
            Span::styled(format!("hash mod N {}", fraction(modulo)), theme.warn),
        ]));
    }
    lines.push(Line::styled(
        format!(
            "{:<11}{:>7}{:>7}{:>9}{:>7}{:>7}",
            "scheme", "moved", "surv.", "max/mean", "rsd", "expect"
        ),
        theme.table_header,
    ));
    for m in rows {
        let style = if m.algo == model.setup.algo {
            theme.selection
        } else {
            theme.base
        };
        let expected = m
            .expected_rsd
            .map_or_else(|| "cap".to_string(), |e| format!("{e:.3}"));
        lines.push(Line::styled(
            format!(
                "{:<11}{:>7}{:>7}{:>9.3}{:>7.3}{:>7}",
                m.algo.name(),
                percent(m.movement.share),
                thousands(m.movement.between_survivors),
                m.balance.max_over_mean,
                m.balance.rsd,
                expected
            ),
            style,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "surv.: keys moved between nodes kept",
        theme.muted,
    ));
    lines.push(Line::styled(
        "  by the change; a minimal scheme moves none",
        theme.muted,
    ));
    for (i, line) in lines.iter().enumerate() {
        put_line(buf, inner, inner.y + i as u16, line);
    }
}

/// The key being typed, the node it lands on, and the scheme's reasoning.
pub fn lookup(
    area: Rect,
    buf: &mut Buffer,
    model: &Model,
    theme: &Theme,
    (text, typing): (&str, bool),
) {
    let inner = boxed(panel(" Look up a key ", theme, typing), area, buf);
    let shown = escape(text);
    let mut first = vec![
        Span::styled("key ", theme.muted),
        Span::styled(shown.into_owned(), theme.strong),
    ];
    if typing {
        first.push(Span::styled("▏", theme.accent));
    }
    if text.is_empty() {
        first.push(Span::styled(
            "  type a name, e.g. user:42 or key-7",
            theme.muted,
        ));
        put_line(buf, inner, inner.y, &Line::from(first));
        return;
    }
    let hash = crate::sim::hash_ring::hash(text.as_bytes(), model.setup.seed);
    let explanation = model.placement.explain(hash, &model.loads);
    let name = |n: NodeId| model.setup.nodes[n.index()].clone();
    let owner = name(explanation.node);
    first.push(Span::styled(
        format!("  hash {hash:#018x}  → "),
        theme.muted,
    ));
    first.push(Span::styled(owner.clone(), node_style(theme, &owner)));
    put_line(buf, inner, inner.y, &Line::from(first));
    let width = usize::from(inner.width);
    for (i, why) in reasons(&explanation, &name).into_iter().enumerate() {
        let y = inner.y + 1 + i as u16;
        put_line(
            buf,
            inner,
            y,
            &Line::styled(truncate(&why, width), theme.base),
        );
    }
}

/// The scheme's steps in words, one line each.
fn reasons(e: &Explanation, name: &dyn Fn(NodeId) -> String) -> Vec<String> {
    match &e.why {
        Why::Ring {
            point,
            index,
            vnode,
            ..
        } => {
            let wrap = e.why.wrap_clause();
            vec![format!(
                "first point clockwise from the hash{wrap}: {point:#018x} (point {index}), \
                 virtual node {}#{}",
                name(vnode.node),
                vnode.replica
            )]
        }
        Why::Jump { buckets, steps } => {
            let walk: Vec<String> = steps.iter().map(u32::to_string).collect();
            vec![format!(
                "jumped through buckets {}; the next jump lands past {} of {buckets}",
                walk.join(" → "),
                buckets.saturating_sub(1)
            )]
        }
        Why::Rendezvous { scores } => {
            let top: Vec<String> = top_scores(scores, 3)
                .into_iter()
                .map(|(node, score)| format!("{} {score:.4}", name(node)))
                .collect();
            vec![format!(
                "every node scores the key; highest wins: {}",
                top.join(", ")
            )]
        }
        Why::Maglev { table_size, slot } => vec![format!(
            "table slot hash mod {table_size} = {slot}, filled by {}",
            name(e.node)
        )],
        Why::Bounded {
            preferred,
            capacity,
            skipped,
        } => {
            let mut out = vec![format!(
                "the ring prefers {}; each node may hold {} keys",
                name(*preferred),
                thousands(*capacity)
            )];
            if !skipped.is_empty() {
                let full: Vec<String> = skipped
                    .iter()
                    .map(|s| format!("{}#{} ({})", name(s.vnode.node), s.vnode.replica, s.load))
                    .collect();
                out.push(format!("full, so walked past {}", full.join(", ")));
            }
            out
        }
    }
}
