//! What one run of the command line reads once, at its edge, and hands to every command: the
//! options shared by every command, the voice (language and layout of what is printed), the
//! folders named by the environment, and the parsed-bank cache with its background writes.
//! Nothing below the commands reads the environment; they are given these values.

use super::output::Voice;
use super::setup::Folders;
use crate::bank::cache::BankCache;
use crate::cli::Common;

/// One run of the command line.
pub struct Context {
    /// The options shared by every command.
    pub common: Common,
    /// How messages are printed.
    pub out: Voice,
    /// Where things are kept.
    pub folders: Folders,
    /// The parsed-bank cache in the cache folder (none when caching is off). Dropping the
    /// context waits for the entries still being written.
    pub banks: Option<BankCache>,
}

impl Context {
    /// Read the environment once for a run with these options.
    #[must_use]
    pub fn new(common: Common) -> Context {
        let folders = Folders::of_this_process();
        let out = Voice::new(&common, &folders);
        let banks = folders.cache.as_ref().map(BankCache::new);
        Context {
            common,
            out,
            folders,
            banks,
        }
    }

    /// Where results, autosaves and preferences go.
    #[must_use]
    pub fn places(&self) -> crate::tui::run::Places {
        super::setup::places(&self.common, &self.folders)
    }
}
