//! A selection in a scrolling list: the selected row and the first visible one.

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    /// Moves by `delta` rows, clamped to `len`.
    pub fn step(&mut self, delta: isize, len: usize) {
        if len == 0 {
            self.selected = 0;
            return;
        }
        let next = self.selected as isize + delta;
        self.selected = next.clamp(0, len as isize - 1) as usize;
    }

    pub fn first(&mut self) {
        self.selected = 0;
    }

    pub fn last(&mut self, len: usize) {
        self.selected = len.saturating_sub(1);
    }

    /// The first visible row for a view of `height` rows that keeps the selection in sight.
    pub fn scrolled(&self, height: usize) -> usize {
        let height = height.max(1);
        if self.selected < self.offset {
            self.selected
        } else if self.selected >= self.offset + height {
            self.selected + 1 - height
        } else {
            self.offset
        }
    }

    /// Remembers the scroll position computed while drawing the previous frame.
    pub fn settle(&mut self, height: usize) {
        self.offset = self.scrolled(height);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_selection_visible() {
        let mut c = Cursor::default();
        c.step(12, 20);
        assert_eq!(c.selected, 12);
        assert_eq!(c.scrolled(5), 8);
        c.settle(5);
        c.step(-10, 20);
        assert_eq!(c.scrolled(5), 2);
        c.step(100, 20);
        assert_eq!(c.selected, 19);
        c.step(1, 0);
        assert_eq!(c.selected, 0);
    }
}
