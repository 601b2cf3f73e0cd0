//! The class as the server sees it: who is connected, to which exam, how far, and the
//! instructor's switches (joins locked, the exam ended). Shared by the network task, the
//! sessions' threads and the instructor console, behind one lock each.

use super::msg::{Control, Input};
use crate::quiz::Millis;
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::SyncSender;

/// What the console shows of one session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seat {
    /// The trainee's address.
    pub addr: Option<IpAddr>,
    /// The name typed (empty until then).
    pub trainee: String,
    /// The exam id (empty until started).
    pub exam: String,
    /// Questions answered.
    pub answered: usize,
    /// Questions in the paper.
    pub total: usize,
    /// Questions flagged.
    pub flagged: usize,
    /// Deadline of the attempt.
    pub deadline: Option<Millis>,
    /// The attempt is finished (submitted or timed out).
    pub finished: bool,
    /// The record was written.
    pub recorded: bool,
    /// Writing the record failed (the attempt waits in the pending folder).
    pub record_failed: bool,
}

/// The class.
#[derive(Debug, Default)]
pub struct Class {
    seats: Mutex<BTreeMap<u64, Seat>>,
    wakers: Mutex<HashMap<u64, SyncSender<Input>>>,
    next: AtomicU64,
    live: AtomicUsize,
    /// New joins are refused (reconnections to an attempt in progress are still taken).
    pub locked: AtomicBool,
    /// The instructor ended the exam: sessions finish their attempts and close.
    pub ended: AtomicBool,
}

/// A place in the class, held by one session; dropping it frees the place.
#[derive(Debug)]
pub struct Place {
    class: std::sync::Arc<Class>,
    /// Its id.
    pub id: u64,
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Ok(mut s) = self.class.seats.lock() {
            s.remove(&self.id);
        }
        if let Ok(mut w) = self.class.wakers.lock() {
            w.remove(&self.id);
        }
        self.class.live.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Class {
    /// An empty class.
    #[must_use]
    pub fn new() -> Class {
        Class::default()
    }

    /// Take a place for a new session, unless `max` are taken.
    pub fn join(self: &std::sync::Arc<Self>, addr: Option<IpAddr>, max: usize) -> Option<Place> {
        let taken = self
            .live
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < max).then_some(n + 1)
            });
        taken.ok()?;
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut s) = self.seats.lock() {
            s.insert(
                id,
                Seat {
                    addr,
                    ..Seat::default()
                },
            );
        }
        Some(Place {
            class: std::sync::Arc::clone(self),
            id,
        })
    }

    /// Where to send controls for session `id`.
    pub fn register(&self, id: u64, tx: SyncSender<Input>) {
        if let Ok(mut w) = self.wakers.lock() {
            w.insert(id, tx);
        }
    }

    /// Send a control to one session (dropped if its queue is full: the session checks the
    /// class's switches on every turn of its loop as well).
    pub fn send(&self, id: u64, c: Control) {
        if let Ok(w) = self.wakers.lock()
            && let Some(tx) = w.get(&id)
        {
            let _ = tx.try_send(Input::Control(c));
        }
    }

    /// Send a control to every session.
    pub fn broadcast(&self, c: Control) {
        if let Ok(w) = self.wakers.lock() {
            for tx in w.values() {
                let _ = tx.try_send(Input::Control(c));
            }
        }
    }

    /// The sessions (id) of a trainee in an exam, other than `id`.
    #[must_use]
    pub fn others_with(&self, id: u64, trainee: &str, exam: &str) -> Vec<u64> {
        let key = crate::record::trainee_slug(trainee);
        self.seats
            .lock()
            .map(|s| {
                s.iter()
                    .filter(|(k, v)| {
                        **k != id
                            && v.exam == exam
                            && !v.finished
                            && crate::record::trainee_slug(&v.trainee) == key
                    })
                    .map(|(k, _)| *k)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// (trainee, exam) of every session with an attempt on screen.
    #[must_use]
    pub fn live_attempts(&self) -> Vec<(String, String)> {
        self.seats()
            .into_iter()
            .filter(|(_, s)| !s.exam.is_empty() && !s.finished)
            .map(|(_, s)| (s.trainee, s.exam))
            .collect()
    }

    /// (trainee, exam) of every session with an attempt on screen, finished or not. Such a
    /// session records its attempt itself (a finished one may be writing its record at this
    /// moment), so nobody else may record it from its autosave.
    #[must_use]
    pub fn owned_attempts(&self) -> Vec<(String, String)> {
        self.seats()
            .into_iter()
            .filter(|(_, s)| !s.exam.is_empty())
            .map(|(_, s)| (s.trainee, s.exam))
            .collect()
    }

    /// Sessions whose attempt is on screen and not yet recorded: running, or finished with its
    /// record still being written.
    #[must_use]
    pub fn unrecorded(&self) -> usize {
        self.seats()
            .into_iter()
            .filter(|(_, s)| !s.exam.is_empty() && !(s.finished && (s.recorded || s.record_failed)))
            .count()
    }

    /// Sessions open now.
    #[must_use]
    pub fn live(&self) -> usize {
        self.live.load(Ordering::SeqCst)
    }

    /// Update what the console shows of a session.
    pub fn update(&self, id: u64, f: impl FnOnce(&mut Seat)) {
        if let Ok(mut s) = self.seats.lock()
            && let Some(seat) = s.get_mut(&id)
        {
            f(seat);
        }
    }

    /// Every session, in joining order.
    #[must_use]
    pub fn seats(&self) -> Vec<(u64, Seat)> {
        self.seats
            .lock()
            .map(|s| s.iter().map(|(k, v)| (*k, v.clone())).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_limited_and_given_back() {
        let c = std::sync::Arc::new(Class::new());
        let a = c.join(None, 2).unwrap();
        let b = c.join(None, 2).unwrap();
        assert!(c.join(None, 2).is_none());
        assert_eq!(c.live(), 2);
        drop(a);
        let d = c.join(None, 2).unwrap();
        assert_ne!(d.id, b.id);
        assert_eq!(c.seats().len(), 2);
    }

    #[test]
    fn a_trainee_in_an_exam_is_seen_from_another_session() {
        let c = std::sync::Arc::new(Class::new());
        let a = c.join(None, 10).unwrap();
        let b = c.join(None, 10).unwrap();
        c.update(a.id, |s| {
            s.trainee = "Fatima Al-Sabah".into();
            s.exam = "final".into();
        });
        assert_eq!(
            c.others_with(b.id, " fatima al-sabah ", "final"),
            vec![a.id]
        );
        assert!(c.others_with(a.id, "Fatima Al-Sabah", "final").is_empty());
        assert!(c.others_with(b.id, "Fatima Al-Sabah", "other").is_empty());
        assert_eq!(
            c.live_attempts(),
            vec![("Fatima Al-Sabah".to_owned(), "final".to_owned())]
        );
    }

    #[test]
    fn a_finished_attempt_stays_its_sessions_until_recorded() {
        let c = std::sync::Arc::new(Class::new());
        let a = c.join(None, 10).unwrap();
        let _joining = c.join(None, 10).unwrap();
        c.update(a.id, |s| {
            s.trainee = "Huda Nasser".into();
            s.exam = "final".into();
        });
        assert_eq!(c.unrecorded(), 1);
        // Ended on screen, the record not written yet: no longer "live", still owned.
        c.update(a.id, |s| s.finished = true);
        assert!(c.live_attempts().is_empty());
        assert_eq!(
            c.owned_attempts(),
            vec![("Huda Nasser".to_owned(), "final".to_owned())]
        );
        assert_eq!(c.unrecorded(), 1);
        c.update(a.id, |s| s.recorded = true);
        assert_eq!(c.unrecorded(), 0);
        assert_eq!(c.owned_attempts().len(), 1);
    }
}
