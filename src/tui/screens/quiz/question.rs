//! A question as text: the stem, "Choose two", the choices with the learner's selection and,
//! once the key may be shown (practice feedback, review), which were right and why each choice
//! is right or wrong, then the explanation and where the facts come from. All of it but the
//! source (a bare URL) is pack Markdown.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::format::{beside, markdown};
use crate::quiz::view::{ChoiceView, QuestionView};
use crate::tui::theme::Theme;
use crate::tui::widgets::source_line;

/// Columns the explanation of a choice is indented by, under the choice's text.
const WHY_INDENT: usize = 8;

/// The question's lines at `width`.
pub fn question_lines(view: &QuestionView<'_>, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = markdown(view.stem, width, theme);
    if let Some(prompt) = view.choose_prompt() {
        out.push(Line::default());
        out.push(Line::styled(
            prompt,
            theme.accent.add_modifier(Modifier::BOLD),
        ));
    }
    let multiple = view.choose > 1;
    let keyed = view.marking.is_some();
    for choice in &view.choices {
        if keyed || out.last().is_some_and(|l| l.width() > 0) {
            out.push(Line::default());
        }
        out.extend(choice_lines(choice, multiple, width, theme));
    }
    if let Some(marking) = view.marking {
        out.push(Line::default());
        out.push(Line::styled("Explanation", theme.heading(3)));
        out.extend(markdown(marking.explanation, width, theme));
        if let Some(source) = marking.source {
            out.push(Line::default());
            out.push(source_line(source, width, theme));
        }
    }
    out
}

/// One choice: its box, label and text; with the key, a ✓ or ✗ in front and the why below.
fn choice_lines(
    choice: &ChoiceView<'_>,
    multiple: bool,
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mark = match (multiple, choice.selected) {
        (false, false) => "( )",
        (false, true) => "(•)",
        (true, false) => "[ ]",
        (true, true) => "[x]",
    };
    let (verdict, style) = match choice.key {
        None if choice.selected => ("", theme.selection),
        None => ("", Style::new()),
        Some(k) if k.correct => ("✓ ", theme.ok.add_modifier(Modifier::BOLD)),
        Some(_) if choice.selected => ("✗ ", theme.error.add_modifier(Modifier::BOLD)),
        Some(_) => ("  ", Style::new()),
    };
    let prefix = vec![
        Span::styled(format!(" {verdict}{mark} "), theme.accent),
        Span::styled(format!("{}  ", choice.label), theme.strong),
    ];
    let mut lines = beside(prefix, choice.text, width, theme, style);
    if let Some(why) = choice.key.and_then(|k| k.why) {
        let why_style = theme.muted.add_modifier(Modifier::ITALIC);
        let indent = vec![Span::raw(" ".repeat(WHY_INDENT))];
        lines.extend(beside(indent, why, width, theme, why_style));
    }
    lines
}
