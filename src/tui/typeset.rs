//! The text report laid out for a terminal that does not reorder right-to-left text itself:
//! each cell shaped and reordered on its own, and (in Arabic) the tables run right to left as
//! a whole, so that every row keeps the columns of its header.

use super::bidi::{BidiMode, Dir, has_arabic_letters, text_width, visual_lines};
use crate::report::Typeset;

/// Cells shaped (when `shaping`) and reordered here; tables right to left when `rtl`.
#[derive(Clone, Copy, Debug)]
pub struct Reordered {
    /// Join Arabic letters.
    pub shaping: bool,
    /// Tables and paragraphs right to left (the report's language is Arabic).
    pub rtl: bool,
}

impl Typeset for Reordered {
    fn width(&self, s: &str) -> usize {
        text_width(s, BidiMode::Reorder, self.shaping)
    }

    fn lines(&self, s: &str, width: usize) -> Vec<String> {
        let dir = if has_arabic_letters(s) || self.rtl {
            Dir::Rtl
        } else {
            Dir::Ltr
        };
        let lines = visual_lines(s, dir, width.max(1), BidiMode::Reorder, self.shaping);
        if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        }
    }

    fn rtl(&self) -> bool {
        self.rtl
    }
}
