//! Drawing the quorum lab: the header with N, R, W and the switches, the nodes with what each
//! stores and what the current step did to it, the timeline around the current step, and the
//! step's outcome with its reason and the running counts. Every mark is a word or a glyph, so
//! the lab reads without colour.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::run::Frame;
use super::{Knob, QuorumLab};
use crate::content::Lab;
use crate::sim::quorum::{Client, Cluster, Outcome, Record, Step, Tally, why};
use crate::tui::keymap::Action;
use crate::tui::screens::labs::common::{Control, boxed, lab_frame, labelled, panel};
use crate::tui::screens::labs::title;
use crate::tui::widgets::chrome::Chrome;
use crate::tui::widgets::{marker, put_line, truncate, wrap_line};

/// Widest the nodes panel gets.
const NODES_WIDTH: u16 = 46;
/// Rows of the outcome panel: borders, two of reasons, two of counts.
const OUTCOME_ROWS: u16 = 6;

fn client_letter(client: Client) -> &'static str {
    match client {
        Client::A => "A",
        Client::B => "B",
    }
}

/// A step as the timeline lists it.
fn step_text(step: Step) -> String {
    match step {
        Step::Write(c) => format!("{} writes", client_letter(c)),
        Step::Read(c) => format!("{} reads", client_letter(c)),
        Step::Crash(n) => format!("crash {}", n.name()),
        Step::Recover(n) => format!("recover {}", n.name()),
        Step::Wipe(n) => format!("wipe {}", n.name()),
        Step::Partition => "partition".to_string(),
        Step::Heal => "heal".to_string(),
    }
}

impl QuorumLab {
    fn setup_line(&self) -> Line<'static> {
        let theme = &self.shared.theme;
        let c = &self.config;
        let knob = |knob: Knob, text: String| match knob == self.knob {
            true => Span::styled(format!("[{text}]"), theme.selection),
            false => Span::styled(format!(" {text} "), theme.title),
        };
        let overlap = match c.reads_overlap_writes() {
            true => format!("R+W={} > N", c.reads + c.writes),
            false => format!("R+W={} ≤ N", c.reads + c.writes),
        };
        let mode = match c.sloppy {
            true => "sloppy",
            false => "strict",
        };
        let repair = match c.read_repair {
            true => "repair on",
            false => "repair off",
        };
        let lag = c.lag.map(|l| format!(" · lag {l}")).unwrap_or_default();
        Line::from(vec![
            Span::styled(format!(" {} ·", self.preset.name()), theme.base),
            knob(Knob::N, format!("N={}", c.replicas)),
            knob(Knob::R, format!("R={}", c.reads)),
            knob(Knob::W, format!("W={}", c.writes)),
            Span::styled(format!("· {overlap} · {mode} · {repair}{lag}"), theme.muted),
        ])
    }

    fn controls() -> Vec<Control> {
        use Action::*;
        vec![
            Control::new(&[StepBack, Step], "step"),
            Control::new(&[PlayPause], "play"),
            Control::new(&[Left, Right], "N/R/W"),
            Control::new(&[More, Less], "change"),
            Control::new(&[Up, Down], "node"),
            Control::new(&[FailRecover], "crash/recover"),
            Control::new(&[Partition], "partition"),
            Control::new(&[Sloppy], "sloppy"),
            Control::new(&[ReadRepair], "repair"),
            Control::new(&[NextPreset], "preset"),
            Control::new(&[Faster, Slower], "speed"),
            Control::new(&[Restart], "restart"),
        ]
    }

    fn status(&self) -> String {
        let total = self.steps.len();
        let state = match (self.playback.playing(), self.position == total) {
            (true, _) => format!("▶ a step per {}ms", self.playback.speed().as_millis()),
            (false, true) => "■ end".to_string(),
            (false, false) => "⏸ paused".to_string(),
        };
        format!("{state} · step {}/{total}", self.position)
    }

    /// What the current step did to node `i`, in a word or two.
    fn mark(record: &Record, i: usize) -> String {
        let in_quorum = record.quorum.iter().find(|&&(n, _)| n == i);
        let mut words = Vec::new();
        match (record.step, in_quorum) {
            (Step::Write(_), Some(&(_, v))) => words.push(format!("● stored v{v}")),
            (Step::Read(_), Some(&(_, v))) => words.push(format!("● read v{v}")),
            _ => {}
        }
        if record.later.contains(&i) {
            words.push("○ later".to_string());
        }
        if record.repaired.contains(&i) {
            words.push("↻ repaired".to_string());
        }
        if record.delivered.iter().any(|&(n, _)| n == i) {
            words.push("← arrived".to_string());
        }
        if record.handed_off.iter().any(|&(_, home, _)| home == i) {
            words.push("← handoff".to_string());
        }
        words.join(" ")
    }

    fn render_nodes(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let cluster = self.run.cluster(self.position);
        let title = match cluster.partitioned() {
            true => " Nodes · network split A | B ",
            false => " Nodes · network whole ",
        };
        let inner = boxed(panel(title, theme, true), area, buf);
        let frame = self.run.frame(self.position);
        for (i, node) in cluster.nodes().iter().enumerate() {
            let y = inner.y + i as u16;
            if y >= inner.bottom() {
                break;
            }
            let side = match cluster.partitioned() {
                true => client_letter(self.config.side(i)),
                false => " ",
            };
            let (state, state_style) = match node.up {
                true => ("up  ", theme.ok),
                false => ("down", theme.error),
            };
            let hints: String = node
                .hints
                .iter()
                .map(|(&home, &v)| format!(" +v{v} for r{}", home + 1))
                .collect();
            let mark = frame.map(|f| Self::mark(&f.record, i)).unwrap_or_default();
            let selected = i == self.selected;
            let name_style = match selected {
                true => theme.selection,
                false => theme.base,
            };
            let line = Line::from(vec![
                Span::styled(marker(selected), theme.accent),
                Span::styled(format!("{:<10}", self.config.name(i)), name_style),
                Span::styled(format!("{side} "), theme.muted),
                Span::styled(state, state_style),
                Span::styled(format!(" v{:<3}", node.version), theme.strong),
                Span::styled(hints, theme.muted),
                Span::styled(format!(" {mark}"), theme.accent),
            ]);
            put_line(buf, inner, y, &line);
        }
        let width = usize::from(inner.width);
        let notes = self.node_notes(cluster);
        let below = inner.y + cluster.nodes().len() as u16 + 1;
        let rows = notes.iter().flat_map(|note| wrap_line(note, width));
        for (i, row) in rows.enumerate() {
            put_line(buf, inner, below + i as u16, &row);
        }
    }

    /// Under the nodes: the latest acknowledged version, copies still on their way, and what
    /// the marks mean.
    fn node_notes(&self, cluster: &Cluster) -> Vec<Line<'static>> {
        let theme = &self.shared.theme;
        let mut notes = vec![Line::styled(
            format!(" latest acked: v{}", cluster.latest()),
            theme.base,
        )];
        let mut flight: Vec<String> = cluster
            .in_flight()
            .into_iter()
            .map(|(node, v, due)| format!("v{v}→{} at step {}", self.config.name(node), due + 1))
            .collect();
        flight.dedup();
        if !flight.is_empty() {
            notes.push(Line::styled(
                format!(" on the way: {}", flight.join(", ")),
                theme.muted,
            ));
        }
        notes.push(Line::styled(
            " ● answered now  ○ gets it after the lag",
            theme.muted,
        ));
        notes
    }

    /// A step's outcome as the timeline shows it; a lost write says so once it is lost.
    fn outcome_text(&self, record: &Record, lost: &[u64]) -> (String, Style) {
        let theme = &self.shared.theme;
        let v = record.version.unwrap_or(0);
        match record.outcome {
            Outcome::Acked if lost.contains(&v) => (format!("✓ acked v{v}, ✗ lost"), theme.error),
            Outcome::Acked => (format!("✓ acked v{v}"), theme.ok),
            Outcome::WriteFailed | Outcome::ReadFailed => ("✗ failed".to_string(), theme.error),
            Outcome::Fresh => (format!("✓ fresh v{v}"), theme.ok),
            Outcome::Stale => (
                format!("! stale v{v} < v{}", record.latest),
                theme.warn.patch(theme.strong),
            ),
            Outcome::Event => (String::new(), theme.muted),
        }
    }

    fn render_timeline(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let inner = boxed(panel(" Timeline ", theme, false), area, buf);
        if inner.is_empty() {
            return;
        }
        let rows = usize::from(inner.height);
        let current = self.position.checked_sub(1);
        // Keep the current step a third of the way down, so what comes next shows too.
        let first = current
            .unwrap_or(0)
            .saturating_sub(rows / 3)
            .min(self.steps.len().saturating_sub(rows));
        let lost = self.run.cluster(self.position).lost();
        for (row, index) in (first..self.steps.len()).take(rows).enumerate() {
            let y = inner.y + row as u16;
            let here = Some(index) == current;
            let text = format!("{:>3} {:<17}", index + 1, step_text(self.steps[index]));
            let line = match index < self.position {
                true => {
                    let (outcome, style) = self.outcome_text(&self.run.frames[index].record, &lost);
                    let base = if here { theme.selection } else { theme.base };
                    Line::from(vec![
                        Span::styled(if here { "›" } else { " " }, theme.accent),
                        Span::styled(text, base),
                        Span::styled(outcome, style),
                    ])
                }
                false => Line::styled(format!(" {text}"), theme.muted),
            };
            put_line(buf, inner, y, &line);
        }
    }

    fn counts(&self, tally: &Tally) -> [Line<'static>; 2] {
        let theme = &self.shared.theme;
        let figure = |n: u64, word: &str, bad: bool| {
            let style = match (bad, n > 0) {
                (true, true) => theme.error,
                _ => theme.strong,
            };
            vec![
                Span::styled(format!("{n:>3}"), style),
                Span::styled(format!(" {word}   "), theme.muted),
            ]
        };
        let writes = [
            figure(tally.acked, "acked", false),
            figure(tally.write_failed, "failed", true),
            figure(tally.lost, "lost", true),
        ]
        .concat();
        let reads = [
            figure(tally.fresh, "fresh", false),
            figure(tally.stale, "stale", true),
            figure(tally.read_failed, "failed", true),
        ]
        .concat();
        [
            labelled(theme, "writes", 7, writes),
            labelled(theme, "reads", 7, reads),
        ]
    }

    fn render_outcome(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.shared.theme;
        let frame: Option<&Frame> = self.run.frame(self.position);
        let title = format!(" Step {} of {} ", self.position, self.steps.len());
        let inner = boxed(panel(title, theme, false), area, buf);
        if inner.is_empty() {
            return;
        }
        let text = match frame {
            Some(f) => why(&f.record, &self.config),
            None => format!("{}. Step with .", self.preset.lesson()),
        };
        let width = usize::from(inner.width);
        let reason_rows = usize::from(inner.height.saturating_sub(2).max(1));
        let wrapped = wrap_line(&Line::styled(text, theme.base), width);
        for (i, line) in wrapped.iter().take(reason_rows).enumerate() {
            // The last row that fits ends in an ellipsis when the reason goes on.
            let cut = i + 1 == reason_rows && wrapped.len() > reason_rows;
            let line = match cut {
                true => Line::styled(truncate(&format!("{line}…"), width), theme.base),
                false => line.clone(),
            };
            put_line(buf, inner, inner.y + i as u16, &line);
        }
        let tally = frame.map(|f| f.tally.clone()).unwrap_or_default();
        for (i, line) in self.counts(&tally).iter().enumerate() {
            put_line(buf, inner, inner.y + (reason_rows + i) as u16, line);
        }
    }

    /// Draws the screen; the [`Screen`](crate::tui::screens::Screen) impl calls it.
    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer) {
        let crumbs = ["labs", title(Lab::Quorum)];
        let status = self.status();
        let chrome = Chrome::new(&crumbs).status(&status);
        let controls = Self::controls();
        let rest = lab_frame(
            area,
            buf,
            &self.shared,
            chrome,
            self.setup_line(),
            &controls,
        );
        let [top, bottom] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(OUTCOME_ROWS)]).areas(rest);
        let left = NODES_WIDTH.min(top.width / 2);
        let [nodes, timeline] =
            Layout::horizontal([Constraint::Length(left), Constraint::Min(0)]).areas(top);
        self.render_nodes(nodes, buf);
        self.render_timeline(timeline, buf);
        self.render_outcome(bottom, buf);
    }
}
