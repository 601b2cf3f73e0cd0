//! Which questions an attempt changed, so that the autosave journal compares only those (a key
//! costs the same at 30 or 10,000 questions): every change to a question's state is noted, in
//! order, by the [`super::Session`] that made it. A reader keeps a [`Seen`] mark and asks what
//! changed since; when it cannot be told (another session, or it fell too far behind), it is
//! told so and compares every question.

use std::collections::VecDeque;
use std::sync::{Arc, Weak};

/// How many changes are kept for readers that are behind. A reader further behind compares
/// every question once.
pub const CHANGES_KEPT: usize = 4096;

/// The questions changed by one session, in order.
#[derive(Debug)]
pub struct Changes {
    /// This session's identity: a reader's mark fits only the session that gave it.
    id: Arc<()>,
    /// How many changes were dropped from the front of `log`.
    base: u64,
    /// The question of each change kept.
    log: VecDeque<usize>,
}

impl Default for Changes {
    fn default() -> Changes {
        Changes {
            id: Arc::new(()),
            base: 0,
            log: VecDeque::new(),
        }
    }
}

/// A copy is another session: its readers start again from a full comparison.
impl Clone for Changes {
    fn clone(&self) -> Changes {
        Changes::default()
    }
}

/// How far a reader has read a session's [`Changes`].
#[derive(Clone, Debug, Default)]
pub struct Seen {
    id: Weak<()>,
    at: u64,
}

impl Changes {
    /// Note that question `i` changed.
    pub fn mark(&mut self, i: usize) {
        if self.log.back() == Some(&i) {
            return;
        }
        self.log.push_back(i);
        if self.log.len() > CHANGES_KEPT {
            self.log.pop_front();
            self.base += 1;
        }
    }

    /// The mark of a reader that has read everything so far.
    #[must_use]
    pub fn seen(&self) -> Seen {
        Seen {
            id: Arc::downgrade(&self.id),
            at: self.base + self.log.len() as u64,
        }
    }

    /// The questions changed since `seen` (sorted, once each), or `None` when that cannot be
    /// told: `seen` is another session's, or older than the changes kept.
    #[must_use]
    pub fn since(&self, seen: &Seen) -> Option<Vec<usize>> {
        let end = self.base + self.log.len() as u64;
        if !std::ptr::eq(seen.id.as_ptr(), Arc::as_ptr(&self.id))
            || seen.at < self.base
            || seen.at > end
        {
            return None;
        }
        let skip = usize::try_from(seen.at - self.base).ok()?;
        let mut out: Vec<usize> = self.log.iter().skip(skip).copied().collect();
        out.sort_unstable();
        out.dedup();
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_is_told_what_changed_since_its_mark_and_only_by_its_own_session() {
        let mut c = Changes::default();
        c.mark(3);
        let seen = c.seen();
        c.mark(9_999);
        c.mark(9_999);
        c.mark(3);
        assert_eq!(c.since(&seen), Some(vec![3, 9_999]));
        assert_eq!(c.since(&c.seen()), Some(vec![]));
        // A copy is another session.
        let other = c.clone();
        assert_eq!(other.since(&seen), None);
        // Too far behind: the changes it missed are no longer kept.
        for i in 0..=CHANGES_KEPT {
            c.mark(i % 2);
        }
        assert_eq!(c.since(&seen), None);
    }
}
