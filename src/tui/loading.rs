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
use std::sync::Mutex;

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

static HELD: Mutex<Option<String>> = Mutex::new(None);

/// Hold back what is written to standard error from now on (see [`print_error`]).
pub fn hold_errors() {
    if let Ok(mut g) = HELD.lock() {
        g.get_or_insert_with(String::new);
    }
}

/// Write `text` to standard error, or keep it for [`release_errors`] while the terminal is
/// the program's.
pub fn print_error(text: &str) {
    if let Ok(mut g) = HELD.lock()
        && let Some(held) = g.as_mut()
    {
        held.push_str(text);
        return;
    }
    let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
}

/// Whether errors are being held back (the loading frame took the terminal).
#[must_use]
pub fn holding() -> bool {
    HELD.lock().is_ok_and(|g| g.is_some())
}

/// Give the terminal back with `leave`, then stop holding errors back and print those held.
pub fn release_errors_after(leave: impl FnOnce()) {
    leave();
    let held = HELD.lock().ok().and_then(|mut g| g.take());
    if let Some(text) = held {
        // Not eprint!, which panics when standard error is gone.
        let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_held_while_the_screen_is_ours_come_out_after() {
        hold_errors();
        print_error("first\n");
        print_error("second\n");
        let held = HELD.lock().ok().and_then(|g| g.clone());
        assert_eq!(held.as_deref(), Some("first\nsecond\n"));
        release_errors_after(|| {});
        assert!(HELD.lock().ok().is_some_and(|g| g.is_none()));
    }
}
