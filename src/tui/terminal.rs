//! What the terminal does with right-to-left text, and the escape sequences that switch its own
//! bidi handling off on start and back on at exit (also on panic and on signals).

use super::bidi::BidiMode;
use std::io::Write as _;
use std::sync::OnceLock;

/// Terminal families, as far as right-to-left text is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// VTE (GNOME Terminal, xfce4-terminal, Tilix…), mintty, WezTerm: honour the standard
    /// "explicit mode" switch (BDSM, `CSI 8 l`).
    Bdsm,
    /// Konsole: reorders every line; switched off through its profile (OSC 50).
    Konsole,
    /// mlterm: reorders every line; switched off with OSC 5379.
    Mlterm,
    /// macOS Terminal: reorders every line and cannot be switched off.
    AppleTerminal,
    /// kitty: reverses right-to-left runs; cannot be queried or switched.
    Kitty,
    /// Inside tmux or screen: the multiplexer does no bidi and hides the outer terminal.
    Multiplexer,
    /// A plain grid (xterm, Alacritty, foot, Windows Terminal, unknown).
    Grid,
}

/// Detect the family from the environment (the first match wins, as the study describes).
#[must_use]
pub fn detect_family(env: &dyn Fn(&str) -> Option<String>) -> Family {
    let term = env("TERM").unwrap_or_default();
    let program = env("TERM_PROGRAM").unwrap_or_default();
    if env("TMUX").is_some() || env("STY").is_some() {
        Family::Multiplexer
    } else if env("KONSOLE_VERSION").is_some() {
        Family::Konsole
    } else if env("MLTERM").is_some() || term.starts_with("mlterm") {
        Family::Mlterm
    } else if program == "Apple_Terminal" {
        Family::AppleTerminal
    } else if env("VTE_VERSION").is_some() || program == "mintty" || program == "WezTerm" {
        Family::Bdsm
    } else if term == "xterm-kitty" || env("KITTY_WINDOW_ID").is_some() {
        Family::Kitty
    } else {
        Family::Grid
    }
}

/// The bidi mode `auto` chooses: the app reorders everywhere except where the terminal reorders
/// and cannot be switched off.
#[must_use]
pub fn detect_bidi(env: &dyn Fn(&str) -> Option<String>) -> BidiMode {
    match detect_family(env) {
        Family::AppleTerminal => BidiMode::Terminal,
        _ => BidiMode::Reorder,
    }
}

/// Bytes to send after entering the alternate screen and before clearing it: switch the
/// terminal's own reordering off when this program reorders. Nothing for other terminals.
#[must_use]
pub fn start_sequence(family: Family, mode: BidiMode) -> &'static str {
    if mode == BidiMode::Terminal {
        return "";
    }
    match family {
        Family::Bdsm => "\x1b[8l\x1b[1 k",
        Family::Konsole => "\x1b]50;BidiRenderingEnabled=false\x07",
        Family::Mlterm => "\x1b]5379;use_ctl=false\x07",
        Family::AppleTerminal | Family::Kitty | Family::Multiplexer | Family::Grid => "",
    }
}

/// Bytes that undo [`start_sequence`] at exit.
#[must_use]
pub fn exit_sequence(family: Family, mode: BidiMode) -> &'static str {
    if mode == BidiMode::Terminal {
        return "";
    }
    match family {
        Family::Bdsm => "\x1b[0 k\x1b[8h",
        Family::Konsole => "\x1b]50;BidiRenderingEnabled=true\x07",
        Family::Mlterm => "\x1b]5379;use_ctl=true\x07",
        Family::AppleTerminal | Family::Kitty | Family::Multiplexer | Family::Grid => "",
    }
}

static EXIT_BYTES: OnceLock<std::sync::Mutex<&'static str>> = OnceLock::new();

fn exit_slot() -> &'static std::sync::Mutex<&'static str> {
    EXIT_BYTES.get_or_init(|| std::sync::Mutex::new(""))
}

/// Write the exit sequence that is due (at most once).
pub fn write_exit() {
    let seq = exit_slot()
        .lock()
        .map(|mut g| std::mem::take(&mut *g))
        .unwrap_or("");
    if !seq.is_empty() {
        let mut out = std::io::stdout();
        let _ = out.write_all(seq.as_bytes());
        let _ = out.flush();
    }
}

/// Enter the full-screen terminal: ratatui's init (raw mode, alternate screen, panic hook that
/// restores), then the bidi switch-off for this terminal, then a full clear. A panic hook writes
/// the exit sequence too.
///
/// # Errors
/// When the terminal cannot be set up.
pub fn enter(mode: BidiMode) -> std::io::Result<ratatui::DefaultTerminal> {
    let family = detect_family(&|k| std::env::var(k).ok());
    let mut terminal = ratatui::try_init()?;
    let start = start_sequence(family, mode);
    if let Ok(mut g) = exit_slot().lock() {
        *g = exit_sequence(family, mode);
    }
    static HOOK: OnceLock<()> = OnceLock::new();
    HOOK.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            write_exit();
            previous(info);
        }));
    });
    if !start.is_empty() {
        let mut out = std::io::stdout();
        out.write_all(start.as_bytes())?;
        out.flush()?;
    }
    terminal.clear()?;
    Ok(terminal)
}

/// Watch for SIGTERM, SIGHUP and SIGINT. The signal number is stored in `flag` for the event
/// loop, which autosaves, restores the terminal and exits with 128 + the signal. If the loop
/// cannot (for instance because the terminal is gone and input is stuck at end of file), the
/// watcher restores what it can and exits itself after a grace period: the attempt is safe
/// because it is autosaved after every change.
pub fn watch_signals(flag: std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            flag.store(
                usize::try_from(sig).unwrap_or(1),
                std::sync::atomic::Ordering::SeqCst,
            );
            std::thread::sleep(std::time::Duration::from_millis(1500));
            write_exit();
            ratatui::restore();
            std::process::exit(128 + sig);
        }
    });
}

/// Leave the full-screen terminal: the bidi switch back on, then ratatui's restore.
pub fn leave() {
    write_exit();
    ratatui::restore();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn families_are_detected_from_the_environment_first_match_wins() {
        assert_eq!(
            detect_family(&env(&[("TMUX", "/tmp/x"), ("KONSOLE_VERSION", "230800")])),
            Family::Multiplexer
        );
        assert_eq!(
            detect_family(&env(&[("KONSOLE_VERSION", "230800")])),
            Family::Konsole
        );
        assert_eq!(detect_family(&env(&[("TERM", "mlterm")])), Family::Mlterm);
        assert_eq!(
            detect_family(&env(&[("TERM_PROGRAM", "Apple_Terminal")])),
            Family::AppleTerminal
        );
        assert_eq!(
            detect_family(&env(&[("VTE_VERSION", "7600")])),
            Family::Bdsm
        );
        assert_eq!(
            detect_family(&env(&[("TERM_PROGRAM", "WezTerm")])),
            Family::Bdsm
        );
        assert_eq!(
            detect_family(&env(&[("TERM", "xterm-kitty")])),
            Family::Kitty
        );
        assert_eq!(
            detect_family(&env(&[("TERM", "xterm-256color")])),
            Family::Grid
        );
        assert_eq!(
            detect_bidi(&env(&[("TERM_PROGRAM", "Apple_Terminal")])),
            BidiMode::Terminal
        );
        assert_eq!(
            detect_bidi(&env(&[("KONSOLE_VERSION", "1")])),
            BidiMode::Reorder
        );
    }

    #[test]
    fn start_and_exit_bytes_per_family() {
        assert_eq!(
            start_sequence(Family::Bdsm, BidiMode::Reorder).as_bytes(),
            b"\x1b[8l\x1b[1 k"
        );
        assert_eq!(
            exit_sequence(Family::Bdsm, BidiMode::Reorder).as_bytes(),
            b"\x1b[0 k\x1b[8h"
        );
        assert_eq!(
            start_sequence(Family::Konsole, BidiMode::Reorder).as_bytes(),
            b"\x1b]50;BidiRenderingEnabled=false\x07"
        );
        assert_eq!(
            exit_sequence(Family::Konsole, BidiMode::Reorder).as_bytes(),
            b"\x1b]50;BidiRenderingEnabled=true\x07"
        );
        assert_eq!(
            start_sequence(Family::Mlterm, BidiMode::Reorder).as_bytes(),
            b"\x1b]5379;use_ctl=false\x07"
        );
        assert_eq!(
            exit_sequence(Family::Mlterm, BidiMode::Reorder).as_bytes(),
            b"\x1b]5379;use_ctl=true\x07"
        );
        for f in [
            Family::Grid,
            Family::Kitty,
            Family::Multiplexer,
            Family::AppleTerminal,
        ] {
            assert_eq!(
                start_sequence(f, BidiMode::Reorder),
                "",
                "nothing speculative for {f:?}"
            );
            assert_eq!(exit_sequence(f, BidiMode::Reorder), "");
        }
        for f in [Family::Bdsm, Family::Konsole, Family::Mlterm] {
            assert_eq!(
                start_sequence(f, BidiMode::Terminal),
                "",
                "terminal mode leaves the terminal's bidi on"
            );
        }
    }
}
