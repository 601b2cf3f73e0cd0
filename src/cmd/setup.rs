//! Where this run keeps things and how it shows right-to-left text: the folders named by the
//! environment, and from them, the options and the trainee's preferences, the places and the
//! display.

use crate::cli::Common;
use std::ffi::OsString;
use std::path::PathBuf;

/// The folders of this run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folders {
    /// The data folder: results, autosaves, preferences (`$TIPQUIZ_DATA`, else the platform's
    /// data folder, e.g. `~/.local/share/tipquiz` on Linux).
    pub data: PathBuf,
    /// The cache folder: parsed banks and the results index (`$TIPQUIZ_DATA/cache` when
    /// `TIPQUIZ_DATA` is set, so that a test or a class folder keeps everything in one place,
    /// else the platform's cache folder, e.g. `~/.cache/tipquiz`). `None` when caching is
    /// switched off with `TIPQUIZ_NO_CACHE` (any non-empty value): everything is then read and
    /// checked from the files every time.
    pub cache: Option<PathBuf>,
    /// The file holding the instructor key that signs and checks records
    /// (`$TIPQUIZ_KEY_FILE`).
    pub key_file: Option<PathBuf>,
}

impl Folders {
    /// The folders as the environment names them; `get` reads a variable
    /// (`std::env::var_os`).
    #[must_use]
    pub fn from_env(get: &dyn Fn(&str) -> Option<OsString>) -> Folders {
        let dirs = || directories::ProjectDirs::from("org", "tipquiz", "tipquiz");
        let set = get("TIPQUIZ_DATA").map(PathBuf::from);
        let data = set.clone().unwrap_or_else(|| {
            dirs().map_or_else(|| PathBuf::from(".tipquiz"), |p| p.data_dir().to_path_buf())
        });
        let cache = if get("TIPQUIZ_NO_CACHE").is_some_and(|v| !v.is_empty()) {
            None
        } else if let Some(d) = set {
            Some(d.join("cache"))
        } else {
            dirs().map(|p| p.cache_dir().to_path_buf())
        };
        Folders {
            data,
            cache,
            key_file: get("TIPQUIZ_KEY_FILE").map(PathBuf::from),
        }
    }

    /// The folders of this process's environment.
    #[must_use]
    pub fn of_this_process() -> Folders {
        Folders::from_env(&|k| std::env::var_os(k))
    }
}

/// Where results, autosaves and preferences go, from the options and the folders.
#[must_use]
pub fn places(common: &Common, folders: &Folders) -> crate::tui::run::Places {
    let data = &folders.data;
    let fallback = crate::record::fallback_dir(data, &std::env::temp_dir());
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
        key: instructor_key(folders),
    }
}

/// How to show right-to-left text on this terminal.
#[must_use]
pub fn display(common: &Common, folders: &Folders) -> crate::tui::ui::Display {
    display_with(
        common,
        &crate::tui::run::load_prefs(&places(common, folders).prefs),
    )
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

/// The instructor key for signing and checking records: the contents of the key file
/// (`TIPQUIZ_KEY_FILE`), if set and readable.
#[must_use]
pub fn instructor_key(folders: &Folders) -> Option<Vec<u8>> {
    std::fs::read(folders.key_file.as_ref()?)
        .ok()
        .filter(|k| !k.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| OsString::from(*v))
        }
    }

    #[test]
    fn the_data_folder_holds_the_cache_unless_caching_is_off() {
        let f = Folders::from_env(&env(&[("TIPQUIZ_DATA", "class")]));
        assert_eq!(f.data, PathBuf::from("class"));
        assert_eq!(f.cache, Some(PathBuf::from("class").join("cache")));
        let f = Folders::from_env(&env(&[
            ("TIPQUIZ_DATA", "class"),
            ("TIPQUIZ_NO_CACHE", "1"),
        ]));
        assert_eq!((f.data, f.cache), (PathBuf::from("class"), None));
        // An empty value does not switch the cache off.
        let f = Folders::from_env(&env(&[("TIPQUIZ_DATA", "c"), ("TIPQUIZ_NO_CACHE", "")]));
        assert_eq!(f.cache, Some(PathBuf::from("c").join("cache")));
        assert_eq!(f.key_file, None);
        let f = Folders::from_env(&env(&[("TIPQUIZ_KEY_FILE", "k.key")]));
        assert_eq!(f.key_file, Some(PathBuf::from("k.key")));
    }
}
