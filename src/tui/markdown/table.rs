//! GitHub tables drawn as real tables: box-drawing borders, columns fitted to the width (the
//! widest give up space first), cells wrapped inside their column and aligned as the source says.
//! A table too narrow for one cell per column is drawn as `Header: value` lines instead.

use ratatui::style::Style;

use super::wrap::{Row, Run, wrap};
use super::{Ctx, Layouter};
use crate::content::markdown::{Alignment, Table};

/// While any wider column can still give, no column is cut below this (or its content width).
const MIN_COLUMN: usize = 6;

/// Cells of chrome per column (`│` and a space either side) plus the closing `│`.
fn chrome(columns: usize) -> usize {
    3 * columns + 1
}

impl Layouter<'_> {
    pub(super) fn table(&mut self, table: &Table, ctx: Ctx) -> Vec<Row> {
        let header_style = ctx.base.patch(self.theme.table_header);
        let header: Vec<Vec<Run>> = table
            .header
            .iter()
            .map(|cell| self.flatten(cell, header_style))
            .collect();
        let body: Vec<Vec<Vec<Run>>> = table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| self.flatten(cell, ctx.base))
                    .collect()
            })
            .collect();
        let grid = Grid {
            header,
            body,
            alignments: &table.alignments,
            border: self.theme.table_border,
            header_style,
        };
        let columns = grid.columns();
        if columns == 0 {
            return Vec::new();
        }
        match ctx.width.checked_sub(chrome(columns)) {
            Some(room) if room >= columns => grid.boxed(&fit_columns(&grid.natural(), room)),
            _ => grid.stacked(ctx.width),
        }
    }
}

/// Column widths for content that is `natural` wide, in `room` cells (at least one per
/// column). Columns that fit keep their width; otherwise the widest are cut first, down to a
/// common width but not below [`MIN_COLUMN`]; only if even that is too wide do all columns
/// shrink towards one cell. Cut columns share what is left over.
pub(super) fn fit_columns(natural: &[usize], room: usize) -> Vec<usize> {
    let natural: Vec<usize> = natural.iter().map(|&n| n.max(1)).collect();
    if natural.iter().sum::<usize>() <= room {
        return natural;
    }
    let floor_total = |floor: usize| natural.iter().map(|&n| n.min(floor)).sum::<usize>();
    let floor = if floor_total(MIN_COLUMN) <= room {
        MIN_COLUMN
    } else {
        1
    };
    let width_at = |cap: usize, n: usize| n.min(cap).max(n.min(floor));
    let total = |cap: usize| natural.iter().map(|&n| width_at(cap, n)).sum::<usize>();
    // The largest cap that fits: total(low) fits (it is the floors), total(high) does not.
    let (mut low, mut high) = (1, natural.iter().copied().max().unwrap_or(1));
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if total(mid) <= room {
            low = mid;
        } else {
            high = mid;
        }
    }
    let mut widths: Vec<usize> = natural.iter().map(|&n| width_at(low, n)).collect();
    // What is left goes one cell each to the cut columns closest to fitting: a cell that then
    // no longer wraps saves whole lines.
    let spare = room - widths.iter().sum::<usize>();
    let mut cut: Vec<usize> = (0..widths.len())
        .filter(|&c| widths[c] < natural[c])
        .collect();
    cut.sort_by_key(|&c| natural[c] - widths[c]);
    for &c in cut.iter().take(spare) {
        widths[c] += 1;
    }
    widths
}

/// A table's cells as styled runs, ready to be drawn at some column widths.
struct Grid<'t> {
    header: Vec<Vec<Run>>,
    body: Vec<Vec<Vec<Run>>>,
    alignments: &'t [Alignment],
    border: Style,
    header_style: Style,
}

impl Grid<'_> {
    fn columns(&self) -> usize {
        let widest_row = self.body.iter().map(Vec::len).max().unwrap_or(0);
        self.header.len().max(widest_row).max(self.alignments.len())
    }

    /// Each column's width if nothing wrapped.
    fn natural(&self) -> Vec<usize> {
        let mut widths = vec![0; self.columns()];
        for row in std::iter::once(&self.header).chain(&self.body) {
            for (width, cell) in widths.iter_mut().zip(row) {
                let cell_width = wrap(cell, usize::MAX).iter().map(|r| r.width).max();
                *width = (*width).max(cell_width.unwrap_or(0));
            }
        }
        widths
    }

    fn boxed(&self, widths: &[usize]) -> Vec<Row> {
        let mut rows = vec![self.rule(widths, ['┌', '┬', '┐'])];
        rows.extend(self.cells(&self.header, widths));
        let body: Vec<Vec<Row>> = self
            .body
            .iter()
            .map(|cells| self.cells(cells, widths))
            .collect();
        // Rules between body rows only when some row wraps: then rows need telling apart.
        let ruled = body.iter().any(|rows| rows.len() > 1);
        for (i, row) in body.into_iter().enumerate() {
            if i == 0 || ruled {
                rows.push(self.rule(widths, ['├', '┼', '┤']));
            }
            rows.extend(row);
        }
        rows.push(self.rule(widths, ['└', '┴', '┘']));
        rows
    }

    /// A horizontal border: `[left, crossing, right]`.
    fn rule(&self, widths: &[usize], [left, cross, right]: [char; 3]) -> Row {
        let mut text = String::from(left);
        for (i, &w) in widths.iter().enumerate() {
            if i > 0 {
                text.push(cross);
            }
            text.extend(std::iter::repeat_n('─', w + 2));
        }
        text.push(right);
        Row::from_text(&text, self.border)
    }

    /// One table row: every cell wrapped in its column, as many lines as the tallest cell.
    fn cells(&self, cells: &[Vec<Run>], widths: &[usize]) -> Vec<Row> {
        let mut columns: Vec<_> = widths
            .iter()
            .enumerate()
            .map(|(c, &w)| cells.get(c).map_or_else(Vec::new, |runs| wrap(runs, w)))
            .map(Vec::into_iter)
            .collect();
        let height = columns
            .iter()
            .map(std::iter::ExactSizeIterator::len)
            .max()
            .unwrap_or(0)
            .max(1);
        (0..height)
            .map(|_| {
                let mut row = Row::from_text("│", self.border);
                for (c, (column, &width)) in columns.iter_mut().zip(widths).enumerate() {
                    let content = column.next().unwrap_or_default();
                    let slack = width.saturating_sub(content.width);
                    let (left, right) = match self.alignments.get(c) {
                        Some(Alignment::Right) => (slack, 0),
                        Some(Alignment::Center) => (slack / 2, slack - slack / 2),
                        Some(Alignment::Left) | None => (0, slack),
                    };
                    row.pad(1 + left, Style::new());
                    row.append(content);
                    row.pad(right + 1, Style::new());
                    row.append(Row::from_text("│", self.border));
                }
                row
            })
            .collect()
    }

    /// For widths that cannot hold a column each: every row as `Header: value` lines, rows
    /// separated by a rule.
    fn stacked(&self, width: usize) -> Vec<Row> {
        if self.body.is_empty() {
            return self.header.iter().flat_map(|h| wrap(h, width)).collect();
        }
        let mut rows = Vec::new();
        for (i, cells) in self.body.iter().enumerate() {
            if i > 0 {
                rows.push(Row::filled("─", width, self.border));
            }
            for (c, cell) in cells.iter().enumerate() {
                let mut runs = self.header.get(c).cloned().unwrap_or_default();
                if !runs.is_empty() {
                    runs.push(Run::new(": ", self.header_style, None));
                }
                runs.extend(cell.iter().cloned());
                rows.extend(wrap(&runs, width));
            }
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::Document;
    use crate::tui::markdown::layout;
    use crate::tui::theme::Theme;

    fn lines(md: &str, width: u16) -> Vec<String> {
        layout(&Document::parse(md), width, &Theme::dark())
            .lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn fitting_columns_keep_their_width() {
        assert_eq!(fit_columns(&[3, 5, 0], 20), [3, 5, 1]);
    }

    #[test]
    fn the_widest_columns_shrink_first() {
        // 40 + 30 + 4 = 74 into 40: the two wide columns meet at a common width.
        let widths = fit_columns(&[40, 30, 4], 40);
        assert_eq!(widths.iter().sum::<usize>(), 40);
        assert_eq!(widths[2], 4);
        assert!(widths[0].abs_diff(widths[1]) <= 1, "{widths:?}");
        // Only the widest column gives while it is wider than the others.
        assert_eq!(fit_columns(&[50, 10, 10], 40), [20, 10, 10]);
        // The cell left over goes to the column it lets fit.
        assert_eq!(fit_columns(&[20, 11, 20], 31), [10, 11, 10]);
    }

    #[test]
    fn columns_keep_a_minimum_then_share_evenly() {
        let widths = fit_columns(&[30, 30, 3], 15);
        assert_eq!(widths, [6, 6, 3]);
        let widths = fit_columns(&[30, 30, 30], 6);
        assert_eq!(widths, [2, 2, 2]);
        assert_eq!(fit_columns(&[9, 9], 2), [1, 1]);
    }

    #[test]
    fn draws_borders_and_alignment() {
        let md = "| a | b | c |\n|:--|:-:|--:|\n| x | y | z |\n| long | mid | 1 |\n";
        assert_eq!(
            lines(md, 40),
            [
                "┌──────┬─────┬───┐",
                "│ a    │  b  │ c │",
                "├──────┼─────┼───┤",
                "│ x    │  y  │ z │",
                "│ long │ mid │ 1 │",
                "└──────┴─────┴───┘",
            ]
        );
    }

    #[test]
    fn cells_wrap_inside_their_column_and_rows_get_rules() {
        let md = "| k | text |\n|---|---|\n| a | one two three four five six seven |\n| b | c |\n";
        let out = lines(md, 24);
        assert!(out.iter().all(|l| l.chars().count() <= 24), "{out:#?}");
        assert_eq!(out[0], "┌───┬──────────────────┐");
        assert_eq!(out[3], "│ a │ one two three    │");
        assert_eq!(out[4], "│   │ four five six    │");
        assert_eq!(out[5], "│   │ seven            │");
        assert_eq!(out[6], "├───┼──────────────────┤");
    }

    #[test]
    fn header_is_styled() {
        let theme = Theme::dark();
        let r = layout(&Document::parse("| head |\n|---|\n| x |\n"), 20, &theme);
        let head = r.lines[1]
            .spans
            .iter()
            .find(|s| s.content.contains("head"))
            .unwrap();
        assert_eq!(head.style, theme.base.patch(theme.table_header));
    }

    #[test]
    fn too_narrow_tables_stack() {
        let md = "| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n| 4 | 5 | 6 |\n";
        assert_eq!(
            lines(md, 9),
            ["a: 1", "b: 2", "c: 3", "─────────", "a: 4", "b: 5", "c: 6"]
        );
    }
}
