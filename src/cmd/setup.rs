//! Where this run keeps things and how it shows right-to-left text: read once from the options,
//! the environment and the trainee's preferences, below every command.

use crate::cli::Common;

/// Where results, autosaves and preferences go.
#[must_use]
pub fn places(common: &Common) -> crate::tui::run::Places {
    let data = crate::record::default_data_dir();
    let fallback = crate::record::fallback_dir(&data);
    crate::tui::run::Places {
        results: crate::record::Store::new(
            common
                .results
                .clone()
                .unwrap_or_else(|| data.join("results")),
        ),
        results_explicit: common.results.is_some(),
        autosaves: crate::record::Store::new(data.join("autosave"))
            .with_fallback(fallback.join("autosave")),
        pending: crate::record::Store::new(data.join("pending"))
            .with_fallback(fallback.join("pending")),
        prefs: data.join("prefs.json"),
        program: format!("tipquiz {}", env!("CARGO_PKG_VERSION")),
        key: instructor_key(),
    }
}

/// How to show right-to-left text on this terminal.
#[must_use]
pub fn display(common: &Common) -> crate::tui::ui::Display {
    display_with(common, &crate::tui::run::load_prefs(&places(common).prefs))
}

/// [`display`] with the preferences already read.
pub(crate) fn display_with(
    common: &Common,
    prefs: &crate::tui::app::Prefs,
) -> crate::tui::ui::Display {
    use crate::cli::{BidiArg, ShapingArg};
    use crate::tui::bidi::BidiMode;
    let mode = match common.bidi {
        BidiArg::Reorder => BidiMode::Reorder,
        BidiArg::Terminal => BidiMode::Terminal,
        // A saved choice wins. When the app reorders, the first `enter` probes the terminal
        // (DECRQM) for how to switch its own bidi off, saved choice or not: that is how the
        // saved choice was calibrated.
        BidiArg::Auto => match prefs.bidi.as_deref() {
            Some("terminal") => BidiMode::Terminal,
            Some("reorder") => {
                crate::tui::terminal::want_probe();
                BidiMode::Reorder
            }
            _ => {
                crate::tui::terminal::want_probe();
                crate::tui::terminal::detect_bidi(&|k| std::env::var(k).ok())
            }
        },
    };
    let shaping = match common.shaping {
        ShapingArg::On => true,
        ShapingArg::Off => false,
        ShapingArg::Auto => mode == BidiMode::Reorder,
    };
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    crate::tui::ui::Display {
        mode,
        shaping,
        theme: crate::tui::ui::Theme { color },
    }
}

/// The instructor key for signing and checking records: the contents of the file named by
/// `TIPQUIZ_KEY_FILE`, if set and readable.
#[must_use]
pub fn instructor_key() -> Option<Vec<u8>> {
    let path = std::env::var_os("TIPQUIZ_KEY_FILE")?;
    std::fs::read(path).ok().filter(|k| !k.is_empty())
}
