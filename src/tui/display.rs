//! How text is laid out on one session's terminal: who reorders right-to-left text, whether
//! Arabic is shaped, and the colours. A value per session (the local terminal decides it from
//! the environment and the probe; a server from the client's `TERM`).

use super::bidi::BidiMode;
use ratatui::style::{Color, Modifier, Style};

/// Colours and styles; plain when `NO_COLOR` is set. Only the 16 basic colours are used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    /// Colour allowed.
    pub color: bool,
}

impl Theme {
    pub(crate) fn fg(self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    pub(crate) fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub(crate) fn cursor(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub(crate) fn good(self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }
    pub(crate) fn bad(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub(crate) fn warn(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub(crate) fn dim(self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default().add_modifier(Modifier::DIM)
        }
    }
}

/// How text is laid out on this terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Display {
    /// Who reorders right-to-left text.
    pub mode: BidiMode,
    /// Shape Arabic letters into joined forms.
    pub shaping: bool,
    /// Colours.
    pub theme: Theme,
}

impl Default for Display {
    fn default() -> Self {
        Display {
            mode: BidiMode::Reorder,
            shaping: true,
            theme: Theme { color: true },
        }
    }
}
