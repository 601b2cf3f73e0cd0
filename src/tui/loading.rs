//! The first frame: the title and "loading…", drawn as soon as the terminal is ours, while the
//! banks are read. Errors found meanwhile are held back and printed once the terminal is
//! restored, so that nothing is lost on the alternate screen.

use super::bidi::{Dir, align, visual_lines};
use super::ui::Display;
use crate::text::Lang;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// Draw the loading frame: the title and "loading…" in the middle of the screen, right-aligned
/// in Arabic.
pub fn draw_loading(f: &mut Frame<'_>, lang: Lang, d: Display) {
    let area = f.area();
    let t = super::i18n::ui(lang);
    let dir = if lang.is_rtl() { Dir::Rtl } else { Dir::Ltr };
    let w = usize::from(area.width.saturating_sub(4));
    let mut lines: Vec<Line<'static>> = Vec::new();
    for text in [t.app_title, t.loading] {
        for l in visual_lines(text, dir, w, d.mode, d.shaping) {
            lines.push(Line::styled(
                align(&l, dir, w),
                Style::default().add_modifier(Modifier::BOLD),
            ));
        }
    }
    let h = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let rect = Rect {
        x: area.x + 2.min(area.width),
        y: area.y + area.height.saturating_sub(h) / 2,
        width: area.width.saturating_sub(4),
        height: h.min(area.height),
    };
    f.render_widget(Paragraph::new(lines), rect);
}

pub use super::terminal::{hold_errors, holding, print_error, release_errors_after};
