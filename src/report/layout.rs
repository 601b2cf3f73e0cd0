//! Plain-text layout of the report for a page of a given width: paragraphs that wrap, and
//! tables laid out as a whole (every row with the same column boundaries as its header), left
//! to right or right to left.
//!
//! How text is measured, wrapped and ordered is given by a [`Typeset`]: [`Plain`] keeps the
//! logical order (files, pipes, terminals that do their own bidi); a front that reorders Arabic
//! itself gives its own (shaped and reordered cells), and then the tables of an Arabic report
//! run right to left, the first column on the right.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// How text is shown on the page.
pub trait Typeset {
    /// Cells that `s` takes as shown.
    fn width(&self, s: &str) -> usize;
    /// `s` as shown, in lines of at most `width` cells each (visual order), wrapped at spaces
    /// (a word longer than `width` is split).
    fn lines(&self, s: &str, width: usize) -> Vec<String>;
    /// Whether tables run right to left (first column on the right) and paragraphs are
    /// aligned to the right.
    fn rtl(&self) -> bool;
}

/// Logical order, measured by grapheme cluster; tables left to right.
#[derive(Clone, Copy, Debug, Default)]
pub struct Plain;

/// Cells of `s` as a terminal draws it: the sum of its grapheme clusters' widths.
pub(crate) fn plain_width(s: &str) -> usize {
    // Printable ASCII (most cells of a report: numbers, times, Latin names) is one cell a byte.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.len();
    }
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// Greedy wrap of `s` at spaces to `width` cells measured by `measure`; words longer than
/// `width` are split between grapheme clusters. Runs of spaces inside a line are kept.
pub(crate) fn wrap_with(s: &str, width: usize, measure: &dyn Fn(&str) -> usize) -> Vec<String> {
    let width = width.max(1);
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in s.split(' ') {
        let candidate = if cur.is_empty() {
            word.to_owned()
        } else {
            format!("{cur} {word}")
        };
        if measure(&candidate) <= width {
            cur = candidate;
            continue;
        }
        if !cur.trim().is_empty() {
            out.push(cur.trim_end().to_owned());
        }
        // The word alone: split it if it does not fit on a line.
        let mut piece = String::new();
        for g in word.graphemes(true) {
            if !piece.is_empty() && measure(&format!("{piece}{g}")) > width {
                out.push(std::mem::take(&mut piece));
            }
            piece.push_str(g);
        }
        cur = piece;
    }
    if !cur.trim().is_empty() || out.is_empty() {
        out.push(cur.trim_end().to_owned());
    }
    out
}

impl Typeset for Plain {
    fn width(&self, s: &str) -> usize {
        plain_width(s)
    }
    fn lines(&self, s: &str, width: usize) -> Vec<String> {
        // What fits is one line, as the wrap would give it (no leading space, which the wrap
        // drops): most cells of a table.
        if !s.starts_with(' ') && plain_width(s) <= width.max(1) {
            return vec![s.trim_end().to_owned()];
        }
        wrap_with(s, width, &plain_width)
    }
    fn rtl(&self) -> bool {
        false
    }
}

/// One column of a table.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Col {
    /// Numbers: aligned to the right in either direction.
    pub right: bool,
    /// Text that may wrap onto more lines when the page is narrow.
    pub wrap: bool,
    /// Text cut with an ellipsis (on one line) when the page is narrow, rather than wrapped.
    pub clip: bool,
}

/// Text columns that wrap, and number columns.
pub(crate) const TEXT: Col = Col {
    right: false,
    wrap: true,
    clip: false,
};
pub(crate) const NUM: Col = Col {
    right: true,
    wrap: false,
    clip: false,
};
/// A short word that is never wrapped (a letter, a status).
pub(crate) const WORD: Col = Col {
    right: false,
    wrap: false,
    clip: false,
};
/// An id or a name cut with "…" to what the page leaves it (never narrower than [`MIN_CLIP`],
/// or [`MIN_KEY`] for the columns repeated in every part of a split table).
pub(crate) const CLIP: Col = Col {
    right: false,
    wrap: false,
    clip: true,
};

/// Narrowest a column of [`CLIP`] is made.
const MIN_CLIP: usize = 6;

/// Narrowest a wrapping column is made (before the table is split in parts instead).
const MIN_WRAP: usize = 14;
/// Narrowest a wrapping column repeated in every part is made.
const MIN_KEY: usize = 20;
const GAP: usize = 2;
const INDENT: usize = 2;

/// Bidi marks for a reader that lays text out by direction itself (a terminal with its own bidi
/// such as one built on `FriBidi`, a text editor), on a page in logical order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marks {
    /// No marks (a page laid out in visual order, or for a reader that does no bidi).
    None,
    /// A left-to-right page: a line that holds right-to-left letters (an Arabic name) starts
    /// with LRM and its table cells are isolated, so that it keeps its direction and columns.
    Ltr,
    /// A right-to-left page: every line starts with RLM, and every table cell is isolated
    /// (FSI...PDI) and starts its column, so that a table reads from the right with every
    /// column over its header.
    Rtl,
}

/// Left-to-right mark.
const LRM: char = '\u{200E}';
/// Right-to-left mark.
const RLM: char = '\u{200F}';
/// First-strong isolate: the cell takes the direction of its first letter.
const FSI: char = '\u{2068}';
/// Pop directional isolate.
const PDI: char = '\u{2069}';

/// Whether `s` holds a right-to-left letter (Arabic, Hebrew, ...).
fn has_rtl(s: &str) -> bool {
    use unicode_bidi::BidiClass::{AL, R};
    s.chars()
        .any(|c| matches!(unicode_bidi::bidi_class(c), R | AL))
}

/// A page of text `width` cells wide.
pub(crate) struct Page<'a> {
    ts: &'a dyn Typeset,
    /// Width of the page in cells.
    pub width: usize,
    /// Set when a cell of a [`CLIP`] column was cut with "…" (for the legend).
    pub cut: bool,
    marks: Marks,
    out: String,
}

impl<'a> Page<'a> {
    pub(crate) fn new(ts: &'a dyn Typeset, width: usize) -> Page<'a> {
        Page {
            ts,
            width: width.max(20),
            cut: false,
            marks: Marks::None,
            out: String::new(),
        }
    }

    /// The same page with `marks` on its lines (for a page in logical order only).
    pub(crate) fn with_marks(mut self, marks: Marks) -> Page<'a> {
        self.marks = if self.ts.rtl() { Marks::None } else { marks };
        self
    }

    /// The mark that starts a line of logical text `line`, if any.
    fn mark(&self, line: &str) -> Option<char> {
        match self.marks {
            Marks::None => None,
            Marks::Ltr => has_rtl(line).then_some(LRM),
            Marks::Rtl => Some(RLM),
        }
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }

    pub(crate) fn blank(&mut self) {
        self.out.push('\n');
    }

    fn push_line(&mut self, indent: usize, line: &str) {
        if line.is_empty() {
            self.out.push('\n');
            return;
        }
        if self.ts.rtl() {
            // Right-aligned, `indent` cells from the right edge.
            let pad = self.width.saturating_sub(indent + self.ts.width(line));
            self.out.extend(std::iter::repeat_n(' ', pad));
            self.out.push_str(line);
        } else {
            self.out.extend(self.mark(line));
            self.out.extend(std::iter::repeat_n(' ', indent));
            self.out.push_str(line);
        }
        self.out.push('\n');
    }

    /// A paragraph: every line of `text` (leading spaces give its indent), wrapped; lines
    /// after the first of a wrapped line are indented by `hang` more.
    pub(crate) fn para(&mut self, text: &str, hang: usize) {
        for src in text.lines() {
            let body = src.trim_start_matches(' ');
            let indent = src.len() - body.len();
            if body.is_empty() {
                self.out.push('\n');
                continue;
            }
            let first_w = self.width.saturating_sub(indent).max(10);
            let lines = self.ts.lines(body, first_w);
            // Wrapped lines after the first use the narrower width of the hanging indent.
            let rest_w = self.width.saturating_sub(indent + hang).max(10);
            let mut it = lines.into_iter();
            if let Some(first) = it.next() {
                self.push_line(indent, &first);
            }
            let rest: Vec<String> = it.collect();
            if rest.is_empty() {
                continue;
            }
            // Re-wrap the remainder to the hanging width when it is narrower.
            let rest_text = rest.join(" ");
            let rest_lines = if hang == 0 || self.ts.rtl() {
                rest
            } else {
                self.ts.lines(&rest_text, rest_w)
            };
            for l in rest_lines {
                self.push_line(indent + hang, &l);
            }
        }
    }

    /// The width of each column's widest cell (header included).
    fn natural(&self, headers: &[String], rows: &[Vec<String>], n: usize) -> Vec<usize> {
        let get = |r: &[String], i: usize| r.get(i).map_or(0, |c| self.ts.width(c));
        (0..n)
            .map(|i| {
                rows.iter()
                    .map(|r| get(r, i))
                    .chain(std::iter::once(get(headers, i)))
                    .max()
                    .unwrap_or(0)
                    .max(1)
            })
            .collect()
    }

    /// The widest word of a header (a header wraps at its spaces).
    fn head_word(&self, h: &str) -> usize {
        h.split(' ').map(|w| self.ts.width(w)).max().unwrap_or(0)
    }

    /// The width of a page that holds the table with no cell wrapped or cut, its headers
    /// wrapped at their spaces if need be.
    pub(crate) fn width_wrapping_headers(
        &self,
        headers: &[String],
        rows: &[Vec<String>],
        n: usize,
    ) -> usize {
        let cells = self.natural(&[], rows, n);
        let total: usize = (0..n)
            .map(|i| {
                let head = headers.get(i).map_or(0, |h| self.head_word(h));
                cells[i].max(head)
            })
            .sum();
        INDENT + total + GAP * n.saturating_sub(1)
    }

    /// Whether the table fits the page with no cell wrapped or cut, its headers wrapped at
    /// their spaces if need be.
    pub(crate) fn fits_wrapping_headers(
        &self,
        headers: &[String],
        rows: &[Vec<String>],
        n: usize,
    ) -> bool {
        self.width_wrapping_headers(headers, rows, n) <= self.width
    }

    /// `s` cut to `w` cells, ending with "…" when cut.
    fn clip(&mut self, s: &str, w: usize) -> String {
        if self.ts.width(s) <= w {
            return s.to_owned();
        }
        self.cut = true;
        let mut out = String::new();
        for c in s.chars() {
            let mut next = out.clone();
            next.push(c);
            if self.ts.width(&next) + 1 > w {
                break;
            }
            out = next;
        }
        let trimmed = out.trim_end().to_owned();
        format!("{trimmed}…")
    }

    /// A table: `headers` (none when empty) over `rows`. When the columns do not fit the page,
    /// wrapping columns are made narrower; when they still do not fit, the columns after the
    /// first `keep` are split into several tables, each repeating the first `keep` columns.
    pub(crate) fn table<'b>(
        &mut self,
        headers: &'b [String],
        rows: &'b [Vec<String>],
        cols: &[Col],
        keep: usize,
    ) {
        let n = cols.len();
        let get = |r: &'b [String], i: usize| -> &'b str { r.get(i).map_or("", String::as_str) };
        // Each cell is measured once: the widths serve the natural and least widths.
        let cell_w: Vec<Vec<usize>> = rows
            .iter()
            .map(|r| (0..n).map(|i| self.ts.width(get(r, i))).collect())
            .collect();
        let widest = |i: usize| cell_w.iter().map(|w| w[i]).max();
        let natural: Vec<usize> = (0..n)
            .map(|i| {
                widest(i)
                    .into_iter()
                    .chain(std::iter::once(
                        headers.get(i).map_or(0, |h| self.ts.width(h)),
                    ))
                    .max()
                    .unwrap_or(0)
                    .max(1)
            })
            .collect();
        let least: Vec<usize> = (0..n)
            .map(|i| {
                let cells = if cols[i].clip {
                    // The columns repeated in every part (names) are cut less.
                    if i < keep { MIN_KEY } else { MIN_CLIP }
                } else if cols[i].wrap {
                    // The columns repeated in every part (names) stay wider.
                    if i < keep { MIN_KEY } else { MIN_WRAP }
                } else {
                    widest(i).unwrap_or(0)
                };
                // A header wraps at its spaces: its longest word (at most 10 cells) must fit.
                let head = headers.get(i).map_or(0, |h| {
                    h.split(' ')
                        .map(|w| self.ts.width(w))
                        .max()
                        .unwrap_or(0)
                        .min(10)
                });
                cells.max(head).min(natural[i]).max(1)
            })
            .collect();
        // Headers wrap at their spaces before any cell does.
        let whole: Vec<usize> = (0..n)
            .map(|i| {
                let head = headers.get(i).map_or(0, |h| self.head_word(h));
                widest(i).unwrap_or(0).max(head).min(natural[i]).max(1)
            })
            .collect();
        let total = |idx: &[usize], ws: &dyn Fn(usize) -> usize| -> usize {
            INDENT + idx.iter().map(|i| ws(*i)).sum::<usize>() + GAP * idx.len().saturating_sub(1)
        };
        let all: Vec<usize> = (0..n).collect();
        let groups: Vec<Vec<usize>> = if total(&all, &|i| least[i]) <= self.width {
            vec![all]
        } else {
            // Split the columns after the first `keep` into groups that fit.
            let keep = keep.min(n);
            let head: Vec<usize> = (0..keep).collect();
            let mut groups = Vec::new();
            let mut cur = head.clone();
            for i in keep..n {
                let mut with = cur.clone();
                with.push(i);
                if cur.len() > keep && total(&with, &|j| least[j]) > self.width {
                    groups.push(std::mem::replace(&mut cur, head.clone()));
                    cur.push(i);
                } else {
                    cur = with;
                }
            }
            groups.push(cur);
            groups
        };
        for (g, idx) in groups.iter().enumerate() {
            if g > 0 {
                self.blank();
            }
            let mut ws: Vec<usize> = idx.iter().map(|i| natural[*i]).collect();
            let mut over = total(idx, &|i| natural[i]).saturating_sub(self.width);
            // Narrow the widest column above its least width; then, on a page too narrow for
            // even that, the widest column that wraps, down to a few cells.
            let floors: [&dyn Fn(usize) -> usize; 3] =
                [&|k| whole[idx[k]], &|k| least[idx[k]], &|k| {
                    if cols[idx[k]].wrap || cols[idx[k]].clip {
                        4
                    } else {
                        least[idx[k]]
                    }
                }];
            for floor in floors {
                while over > 0 {
                    let Some(k) = (0..idx.len())
                        .filter(|k| ws[*k] > floor(*k))
                        .max_by_key(|k| ws[*k])
                    else {
                        break;
                    };
                    ws[k] -= 1;
                    over -= 1;
                }
            }
            let sub_cols: Vec<Col> = idx.iter().map(|i| cols[*i]).collect();
            if !headers.is_empty() {
                let head: Vec<&str> = idx.iter().map(|i| get(headers, *i)).collect();
                self.row(&head, &ws, &sub_cols);
                let rule: Vec<String> = ws.iter().map(|w| "-".repeat(*w)).collect();
                let rule: Vec<&str> = rule.iter().map(String::as_str).collect();
                self.row(&rule, &ws, &sub_cols);
            }
            let mut cells: Vec<&str> = Vec::with_capacity(idx.len());
            for r in rows {
                cells.clear();
                cells.extend(idx.iter().map(|i| get(r, *i)));
                self.row(&cells, &ws, &sub_cols);
            }
        }
    }

    /// One row, over as many lines as its tallest cell.
    fn row(&mut self, cells: &[&str], ws: &[usize], cols: &[Col]) {
        let rtl = self.ts.rtl();
        let mut wrapped: Vec<Vec<String>> = Vec::with_capacity(cells.len());
        for ((c, w), col) in cells.iter().zip(ws).zip(cols) {
            wrapped.push(if c.is_empty() {
                vec![String::new()]
            } else if col.clip {
                let cut = self.clip(c, *w);
                self.ts.lines(&cut, *w)
            } else {
                self.ts.lines(c, *w)
            });
        }
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        // Cells isolated for a reader that reorders: every row of a right-to-left page, a row
        // of a left-to-right page that holds right-to-left letters.
        let isolate = match self.marks {
            Marks::None => false,
            Marks::Ltr => wrapped.iter().flatten().any(|c| has_rtl(c)),
            Marks::Rtl => true,
        };
        let mut line = String::new();
        for k in 0..height {
            // The cells joined by the gap, in the table's direction (the first column on the
            // right in a right-to-left table).
            line.clear();
            let order: Box<dyn Iterator<Item = usize>> = if rtl {
                Box::new((0..wrapped.len()).rev())
            } else {
                Box::new(0..wrapped.len())
            };
            for (j, c) in order.enumerate() {
                if j > 0 {
                    line.extend(std::iter::repeat_n(' ', GAP));
                }
                let s = wrapped[c].get(k).map_or("", String::as_str);
                // Numbers to the right; text to its start: the left, or the right in a
                // right-to-left table. Headers of numbers sit over them.
                let pad = ws[c].saturating_sub(self.ts.width(s));
                if isolate && !s.is_empty() {
                    // In logical order, each cell an isolate: on a right-to-left page every
                    // cell starts its column (at its right, as the reader lays it out).
                    let after = self.marks == Marks::Rtl || !cols[c].right;
                    if !after {
                        line.extend(std::iter::repeat_n(' ', pad));
                    }
                    line.push(FSI);
                    line.push_str(s);
                    line.push(PDI);
                    if after {
                        line.extend(std::iter::repeat_n(' ', pad));
                    }
                } else if cols[c].right || rtl {
                    line.extend(std::iter::repeat_n(' ', pad));
                    line.push_str(s);
                } else {
                    line.push_str(s);
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            if rtl {
                // The full width of the table, so that it is right-aligned as a whole; the
                // spaces at the end (an empty first column) are dropped after.
                let before = self.out.len();
                self.push_line(INDENT, &line);
                let end = self.out[before..].trim_end().len() + before;
                self.out.truncate(end);
                self.out.push('\n');
            } else {
                self.push_line(INDENT, line.trim_end());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_and_splits_long_words() {
        assert_eq!(wrap_with("a bb ccc", 4, &plain_width), ["a bb", "ccc"]);
        assert_eq!(
            wrap_with("abcdefghij", 4, &plain_width),
            ["abcd", "efgh", "ij"]
        );
        assert_eq!(wrap_with("", 4, &plain_width), [""]);
        assert_eq!(wrap_with("a  b", 10, &plain_width), ["a  b"]);
    }

    proptest::proptest! {
        /// The shortcuts (printable ASCII measured by its length, a cell that fits kept whole)
        /// give what the full measure and wrap give, on spaces, Arabic, wide and combining
        /// characters and control characters.
        #[test]
        fn shortcuts_give_what_the_full_measure_and_wrap_give(
            s in "[ a-z0-9\\-.:/()%\u{627}\u{644}\u{623}\u{651}\u{4e00}\u{301}\t]{0,40}",
            width in 0usize..30,
        ) {
            let full: usize = s.graphemes(true).map(UnicodeWidthStr::width).sum();
            proptest::prop_assert_eq!(plain_width(&s), full);
            proptest::prop_assert_eq!(Plain.lines(&s, width), wrap_with(&s, width, &plain_width));
        }
    }

    #[test]
    fn a_table_too_wide_wraps_then_splits() {
        let ts = Plain;
        let mut p = Page::new(&ts, 30);
        let headers: Vec<String> = ["Name", "Why", "A", "B", "C"].map(str::to_owned).to_vec();
        let rows = vec![
            [
                "Fatima Al-Sabah",
                "no (overall, indicators)",
                "100.0",
                "50.0",
                "75.0",
            ]
            .map(str::to_owned)
            .to_vec(),
        ];
        p.table(&headers, &rows, &[TEXT, TEXT, NUM, NUM, NUM], 1);
        let out = p.finish();
        for l in out.lines() {
            assert!(plain_width(l) <= 30, "{l:?} in\n{out}");
        }
        assert!(out.contains("Fatima"), "{out}");
        assert!(out.contains("100.0") && out.contains("75.0"), "{out}");
    }
}
