//! What the terminal does with right-to-left text, and the escape sequences that switch its own
//! bidi handling off and on.

use super::bidi::BidiMode;

/// Decide the bidi mode from the environment (`auto`): terminals that always reorder lines
/// themselves and cannot be switched off get `terminal`; every other terminal gets `reorder`
/// (the app reorders; the start sequence switches the terminal's own bidi off where it can).
#[must_use]
pub fn detect_bidi(env: &dyn Fn(&str) -> Option<String>) -> BidiMode {
    let term_program = env("TERM_PROGRAM").unwrap_or_default();
    // Inside tmux the outer terminal is hidden; tmux itself does no bidi.
    if env("TMUX").is_some() {
        return BidiMode::Reorder;
    }
    // macOS Terminal reorders every line and cannot be switched off.
    if term_program == "Apple_Terminal" {
        return BidiMode::Terminal;
    }
    // Konsole and mlterm reorder by default but are switched off by the start sequence;
    // kitty, VTE, xterm and the rest are grids (or honour the standard switch).
    BidiMode::Reorder
}
