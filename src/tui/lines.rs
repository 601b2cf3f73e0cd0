//! Drawing lines that are already laid out (shaped, reordered, wrapped and aligned by
//! [`super::bidi`]): the screens' text widget. It writes what ratatui's `Paragraph` writes for
//! such lines (no wrapping, left alignment, a vertical scroll), cell for cell, but does less
//! work for it: a run of plain ASCII is written a byte per cell without grapheme
//! segmentation, and an unstyled run of spaces (the padding that right-aligns an Arabic line)
//! writes only the symbol of each cell. Every frame draws a screen of such lines, so this is the frame's
//! main cost.

use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::{Alignment, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Text};
use ratatui::widgets::Widget;
use unicode_segmentation::UnicodeSegmentation;

/// Laid-out lines, drawn from the top of the area after skipping `scroll` lines; what does
/// not fit in the area's width or height is cut.
#[derive(Debug, Clone, Default)]
pub struct Lines<'a> {
    text: Text<'a>,
    scroll: usize,
}

impl<'a> Lines<'a> {
    /// The lines (a `String`, a `Line`, a `Vec<Line>` …).
    #[must_use]
    pub fn new(text: impl Into<Text<'a>>) -> Self {
        Lines {
            text: text.into(),
            scroll: 0,
        }
    }

    /// Skip the first `y` lines (the `x` part must be 0: laid-out lines do not scroll
    /// sideways).
    #[must_use]
    pub fn scroll(mut self, (y, _x): (u16, u16)) -> Self {
        self.scroll = usize::from(y);
        self
    }
}

impl Widget for Lines<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let base = self.text.style;
        for (row, line) in self
            .text
            .lines
            .iter()
            .skip(self.scroll)
            .take(usize::from(area.height))
            .enumerate()
        {
            let y = area.y + u16::try_from(row).unwrap_or(u16::MAX);
            let max = area.width;
            // Aligned lines start where their cut width leaves room, as in `Paragraph`.
            let x = match line.alignment.or(self.text.alignment) {
                None | Some(Alignment::Left) => area.x,
                Some(a) => {
                    let w = walk(line, base, max, |_, _, _| {});
                    area.x
                        + match a {
                            Alignment::Center => (max / 2).saturating_sub(w / 2),
                            _ => max.saturating_sub(w),
                        }
                }
            };
            walk(line, base, max, |at, symbol, style| {
                let cell = &mut buf[Position::new(x + at, y)];
                match style {
                    // Setting the default style changes nothing: only the symbol.
                    None => cell.set_symbol(symbol),
                    Some(st) => cell.set_symbol(symbol).set_style(st),
                };
            });
        }
    }
}

/// Walk the cells of `line` cut to `max` cells as `Paragraph` cuts it (a grapheme wider than
/// `max` is left out, the line ends before the first that does not fit, zero-width ones take
/// no cell), calling `put(column, symbol, style)` for each (`None`: the default style);
/// returns the width used.
fn walk<'a>(
    line: &'a Line<'_>,
    base: Style,
    max: u16,
    mut put: impl FnMut(u16, &'a str, Option<Style>),
) -> u16 {
    let line_style = base.patch(line.style);
    let mut used: u16 = 0;
    for span in &line.spans {
        let full = line_style.patch(span.style);
        let style = (full != Style::default()).then_some(full);
        let s: &str = &span.content;
        if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            // Printable ASCII: each character is one grapheme of one cell.
            for i in 0..s.len() {
                if used >= max {
                    return used;
                }
                put(used, &s[i..=i], style);
                used += 1;
            }
            continue;
        }
        for g in s.graphemes(true).filter(|g| !g.contains(char::is_control)) {
            let w = g.cell_width();
            if w > max {
                continue;
            }
            if used + w > max {
                return used;
            }
            if w > 0 {
                put(used, g, style);
            }
            used += w;
        }
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::style::{Color, Modifier};
    use ratatui::text::Span;
    use ratatui::widgets::Paragraph;

    fn styles() -> impl Strategy<Value = Style> {
        prop_oneof![
            Just(Style::default()),
            Just(Style::default().fg(Color::Cyan)),
            Just(Style::default().add_modifier(Modifier::REVERSED)),
            Just(Style::default().add_modifier(Modifier::BOLD).fg(Color::Red)),
        ]
    }

    fn pieces() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just(" ".to_owned()),
                Just("    ".to_owned()),
                Just("abc".to_owned()),
                Just("1. ".to_owned()),
                // Shaped Arabic (presentation forms), a lam-alef ligature, a mark.
                Just("\u{FEE3}\u{FEEE}\u{FEF7}".to_owned()),
                Just("\u{0628}\u{064E}".to_owned()),
                Just("\u{2066}^F\u{2069}".to_owned()),
                Just("中文".to_owned()),
                Just("█▏◀ ✓".to_owned()),
                Just("٣٠".to_owned()),
            ],
            0..8,
        )
        .prop_map(|v| v.concat())
    }

    fn lines() -> impl Strategy<Value = Vec<Line<'static>>> {
        prop::collection::vec(
            (
                prop::collection::vec((pieces(), styles()), 0..5),
                styles(),
                prop_oneof![
                    Just(None),
                    Just(Some(Alignment::Right)),
                    Just(Some(Alignment::Center))
                ],
            )
                .prop_map(|(spans, style, alignment)| {
                    let mut l = Line::from(
                        spans
                            .into_iter()
                            .map(|(s, st)| Span::styled(s, st))
                            .collect::<Vec<_>>(),
                    )
                    .style(style);
                    l.alignment = alignment;
                    l
                }),
            0..12,
        )
    }

    fn buffer_with_marks(area: Rect) -> Buffer {
        // Something under the text, to show that both write the same cells.
        let mut b = Buffer::empty(area);
        for y in area.top()..area.bottom() {
            for x in area.left()..area.right() {
                if (x + y) % 3 == 0 {
                    b[(x, y)].set_symbol("x").set_fg(Color::Green);
                }
            }
        }
        b
    }

    proptest! {
        /// Cell for cell what `Paragraph` draws of the same lines, at any size and scroll.
        #[test]
        fn draws_what_a_paragraph_draws(
            lines in lines(),
            w in 1u16..50,
            h in 1u16..10,
            scroll in 0u16..4,
        ) {
            let area = Rect::new(2, 1, w, h);
            let mut ours = buffer_with_marks(Rect::new(0, 0, w + 4, h + 2));
            let mut theirs = ours.clone();
            Lines::new(lines.clone()).scroll((scroll, 0)).render(area, &mut ours);
            Paragraph::new(lines).scroll((scroll, 0)).render(area, &mut theirs);
            prop_assert_eq!(ours, theirs);
        }
    }
}
