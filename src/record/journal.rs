//! The autosave of an attempt in progress as a snapshot plus an append-only journal, so that a
//! key costs the same at 30 or 10,000 questions.
//!
//! The snapshot is the attempt's whole state (`<exam>--<trainee>.json`, written atomically). Each
//! change after it is one line appended to `<exam>--<trainee>.journal` beside it: the questions
//! whose state changed (with only the new entries of their history), where the trainee is, and
//! whether the attempt is over. Every line carries a sequence number; the snapshot says up to
//! which number it holds ([`crate::quiz::Attempt::journal`]), so lines it already holds are
//! skipped when read, whatever order a crash left the two files in. A line is written with one
//! `write` call: once it returns, the change is in the operating system and survives a kill of
//! the program; a torn last line (power lost during the write) is not valid JSON and is ignored,
//! with everything after it. When the journal has grown to the snapshot's size (and at least
//! [`COMPACT_MIN`]), the next change writes a new snapshot and empties the journal, so the bytes
//! written per change stay about twice a line at any size.
//!
//! To find what changed, a line compares only the questions the session says it changed since
//! the last line ([`crate::quiz::changes`]) and the current question before and after, not
//! every question: a key costs the same at any length. When the session cannot say (another
//! session of the attempt, or too many changes since), every question is compared. A debug
//! build compares every question each time as well, and checks that both agree.

use crate::quiz::changes::{Changes, Seen};
use crate::quiz::{Attempt, Change, Millis, Pause, Response, Slot, Status};
use crate::text::Lang;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The journal does not trigger a new snapshot before it holds this many bytes.
pub const COMPACT_MIN: u64 = 64 * 1024;

/// Largest journal read.
pub const MAX_JOURNAL_BYTES: u64 = 64 * 1024 * 1024;

/// One question's new state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct SlotLine {
    /// Its place in the paper.
    i: usize,
    response: Option<Response>,
    answered_at: Option<Millis>,
    first_shown: Option<Millis>,
    deadline: Option<Millis>,
    flagged: bool,
    locked: bool,
    checked: bool,
    other_language_views: u32,
    /// How many entries of the history stay as they were.
    keep: usize,
    /// The entries that follow them.
    add: Vec<Change>,
}

/// One change of the attempt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Line {
    seq: u64,
    current: usize,
    status: Status,
    lang: Lang,
    /// The pauses, when they changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pauses: Option<Vec<Pause>>,
    slots: Vec<SlotLine>,
}

/// The journal file of the snapshot at `snapshot`.
#[must_use]
pub fn journal_path(snapshot: &Path) -> PathBuf {
    snapshot.with_extension("journal")
}

/// Whether `now` differs from `then` only in what a journal line carries (the questions'
/// state, the current question, the status, the language and the pauses).
fn journal_can_carry(then: &Attempt, now: &Attempt) -> bool {
    then.schema == now.schema
        && then.trainee == now.trainee
        && then.seed == now.seed
        && then.started_at == now.started_at
        && then.deadline == now.deadline
        && then.paper.len() == now.paper.len()
        && then.slots.len() == now.slots.len()
        && then.bank_hashes == now.bank_hashes
        && then.exam == now.exam
}

/// The line that takes `then` to `now`, or `None` when nothing a line carries changed.
/// Questions outside `only` (when given: sorted, once each) are taken as unchanged.
fn line_between(then: &Attempt, now: &Attempt, seq: u64, only: Option<&[usize]>) -> Option<Line> {
    let all = || (0..then.slots.len().min(now.slots.len())).collect::<Vec<_>>();
    let which = only.map_or_else(all, |o| {
        o.iter()
            .copied()
            .filter(|i| *i < then.slots.len().min(now.slots.len()))
            .collect()
    });
    let slots: Vec<SlotLine> = which
        .into_iter()
        .map(|i| (i, (&then.slots[i], &now.slots[i])))
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| {
            let keep = a
                .history
                .iter()
                .zip(&b.history)
                .take_while(|(x, y)| x == y)
                .count();
            SlotLine {
                i,
                response: b.response.clone(),
                answered_at: b.answered_at,
                first_shown: b.first_shown,
                deadline: b.deadline,
                flagged: b.flagged,
                locked: b.locked,
                checked: b.checked,
                other_language_views: b.other_language_views,
                keep,
                add: b.history[keep..].to_vec(),
            }
        })
        .collect();
    let pauses = (then.pauses != now.pauses).then(|| now.pauses.clone());
    if slots.is_empty()
        && pauses.is_none()
        && then.current == now.current
        && then.status == now.status
        && then.lang == now.lang
    {
        return None;
    }
    Some(Line {
        seq,
        current: now.current,
        status: now.status,
        lang: now.lang,
        pauses,
        slots,
    })
}

/// Apply one line; `false` when it does not fit the attempt (then nothing is changed).
fn apply_line(a: &mut Attempt, l: Line) -> bool {
    if l.current >= a.slots.len()
        || l.slots
            .iter()
            .any(|s| a.slots.get(s.i).is_none_or(|x| s.keep > x.history.len()))
    {
        return false;
    }
    a.current = l.current;
    a.status = l.status;
    a.lang = l.lang;
    if let Some(p) = l.pauses {
        a.pauses = p;
    }
    for s in l.slots {
        let slot = &mut a.slots[s.i];
        let mut history = std::mem::take(&mut slot.history);
        history.truncate(s.keep);
        history.extend(s.add);
        *slot = Slot {
            response: s.response,
            answered_at: s.answered_at,
            first_shown: s.first_shown,
            deadline: s.deadline,
            flagged: s.flagged,
            locked: s.locked,
            checked: s.checked,
            history,
            other_language_views: s.other_language_views,
        };
    }
    a.journal = l.seq;
    true
}

/// Bring a snapshot up to date with the journal's bytes: every complete line whose number
/// follows the snapshot's, in order. Reading stops at the first line that is torn, not JSON, out
/// of order or does not fit the attempt.
pub fn replay(a: &mut Attempt, journal: &[u8]) {
    for raw in journal.split(|b| *b == b'\n') {
        if raw.is_empty() {
            continue;
        }
        let Ok(l) = serde_json::from_slice::<Line>(raw) else {
            return;
        };
        if l.seq <= a.journal {
            continue;
        }
        if l.seq != a.journal + 1 || !apply_line(a, l) {
            return;
        }
    }
}

/// An open journal of one attempt, held by the program that runs the attempt.
#[derive(Debug)]
pub struct Journal {
    /// The snapshot it follows.
    snapshot: PathBuf,
    file: std::sync::Arc<fs::File>,
    /// The state as of the last line (or the snapshot).
    last: Attempt,
    /// Bytes in the journal, and in the snapshot.
    bytes: u64,
    snapshot_bytes: u64,
    /// No line synced yet since the journal was made.
    fresh: bool,
    /// How far the session's changes were read (up to the last line).
    seen: Seen,
    /// How many questions the last [`Journal::append`] compared.
    compared: usize,
}

/// What one [`Journal::append`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Appended {
    /// Nothing had changed.
    Nothing,
    /// One line of this many bytes.
    Line(u64),
}

impl Journal {
    /// Start an empty journal beside the snapshot just written at `snapshot` holding `state`
    /// (whose [`Attempt::journal`] says up to which line it holds), of `snapshot_bytes` bytes;
    /// `seen` marks the session's changes the snapshot holds ([`Changes::seen`]; the default
    /// when unknown: the first line then compares every question).
    ///
    /// # Errors
    /// The journal file cannot be made.
    pub fn start(
        snapshot: &Path,
        state: Attempt,
        snapshot_bytes: u64,
        seen: Seen,
    ) -> std::io::Result<Journal> {
        let mut o = fs::OpenOptions::new();
        o.create(true).append(true);
        // As private as the snapshot: the trainee's answers.
        #[cfg(unix)]
        {
            use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
            let mode = fs::metadata(snapshot).map_or(0o600, |m| m.permissions().mode() & 0o666);
            o.mode(mode);
        }
        let file = o.open(journal_path(snapshot))?;
        file.set_len(0)?;
        Ok(Journal {
            snapshot: snapshot.to_owned(),
            file: std::sync::Arc::new(file),
            last: state,
            bytes: 0,
            snapshot_bytes,
            fresh: true,
            seen,
            compared: 0,
        })
    }

    /// How many questions the last [`Journal::append`] compared to find what changed.
    #[must_use]
    pub fn compared(&self) -> usize {
        self.compared
    }

    /// The snapshot file it follows.
    #[must_use]
    pub fn snapshot(&self) -> &Path {
        &self.snapshot
    }

    /// Sync the journal to the disk: its data and, the first time, the snapshot it follows
    /// (which may have been written without a sync), the journal's own entry and the folder's.
    /// Called off the path from a key to its frame.
    ///
    /// # Errors
    /// A sync failed.
    pub fn sync(file: &fs::File, first: Option<&Path>) -> std::io::Result<()> {
        let Some(snapshot) = first else {
            return file.sync_data();
        };
        file.sync_all()?;
        fs::File::open(snapshot)?.sync_all()?;
        #[cfg(unix)]
        if let Some(dir) = snapshot.parent() {
            fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    }

    /// Whether no line was handed to [`Journal::sync`] yet (then the next sync is the first:
    /// pass it the snapshot). Asking marks it handed.
    pub fn take_first_sync(&mut self) -> bool {
        std::mem::replace(&mut self.fresh, false)
    }

    /// The file, for syncing it to the disk in the background.
    #[must_use]
    pub fn file(&self) -> std::sync::Arc<fs::File> {
        std::sync::Arc::clone(&self.file)
    }

    /// Whether `now` is the same attempt and a line can carry its changes; otherwise a new
    /// snapshot is due. A journal as large as its snapshot (and at least [`COMPACT_MIN`]) asks
    /// for a new snapshot too, as does a finished attempt.
    #[must_use]
    pub fn fits(&self, now: &Attempt) -> bool {
        journal_can_carry(&self.last, now)
            && matches!(now.status, Status::Running)
            && self.bytes < self.snapshot_bytes.max(COMPACT_MIN)
    }

    /// Whether `now` is the attempt this journal follows (whatever else changed).
    #[must_use]
    pub fn fits_attempt(&self, now: &Attempt) -> bool {
        self.last.trainee == now.trainee
            && self.last.exam.id == now.exam.id
            && self.last.started_at == now.started_at
            && self.last.seed == now.seed
    }

    /// The number the next snapshot of this attempt carries: that of the last line.
    #[must_use]
    pub fn seq(&self) -> u64 {
        self.last.journal
    }

    /// Append the change from the last line to `now` with one `write` (no sync: the caller
    /// syncs in the background). `changes` are the session's (then only the questions they
    /// name, and the current one before and after, are compared); `None` compares every one.
    ///
    /// # Errors
    /// The write failed or was short (the journal must then be replaced by a snapshot).
    pub fn append(
        &mut self,
        now: &Attempt,
        changes: Option<&Changes>,
    ) -> std::io::Result<Appended> {
        let seq = self.last.journal + 1;
        let only = changes.and_then(|c| c.since(&self.seen)).map(|mut v| {
            v.push(self.last.current);
            v.push(now.current);
            v.sort_unstable();
            v.dedup();
            v
        });
        self.compared = only.as_ref().map_or(now.slots.len(), Vec::len);
        let line = line_between(&self.last, now, seq, only.as_deref());
        #[cfg(debug_assertions)]
        if only.is_some() {
            let full = line_between(&self.last, now, seq, None);
            debug_assert_eq!(line, full, "the changes named by the session missed one");
        }
        if let Some(c) = changes {
            self.seen = c.seen();
        }
        let Some(line) = line else {
            return Ok(Appended::Nothing);
        };
        let mut bytes = serde_json::to_vec(&line).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        // One write call: a line is in the file whole, or (power lost) torn at its end.
        let n = (&*self.file).write(&bytes)?;
        if n != bytes.len() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::WriteZero,
                "short write to the journal",
            ));
        }
        self.bytes += n as u64;
        if !apply_line(&mut self.last, line) {
            return Err(std::io::Error::other("journal line does not fit"));
        }
        Ok(Appended::Line(n as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(n: usize) -> Attempt {
        let raw = serde_json::json!({
            "schema": 1, "trainee": "Sara K", "exam": serde_json::to_value(
                crate::exam::ExamDef::quick(&[], n, Some(600), crate::exam::Mode::Exam)).unwrap(),
            "seed": 7, "lang": "en", "paper": (0..n).map(|i| serde_json::json!({"qid": format!("q{i}"), "order": [0,1,2,3]})).collect::<Vec<_>>(),
            "bank_hashes": {}, "started_at": 1_000, "deadline": 601_000, "current": 0,
            "slots": vec![serde_json::to_value(Slot::default()).unwrap(); n],
            "status": {"state": "running"}, "pauses": []
        });
        serde_json::from_value(raw).unwrap()
    }

    fn answer(a: &mut Attempt, i: usize, choice: usize, at: Millis) {
        let r = Some(Response::Choice(choice));
        a.current = i;
        a.slots[i].first_shown.get_or_insert(at);
        a.slots[i].response.clone_from(&r);
        a.slots[i].answered_at = Some(at);
        a.slots[i].history.push(Change { at, response: r });
    }

    #[test]
    fn a_journal_replays_onto_its_snapshot_and_a_torn_line_is_ignored() {
        let d = tempfile::tempdir().unwrap();
        let snap = d.path().join("final--sara.json");
        let mut a = attempt(10_000);
        let base = a.clone();
        std::fs::write(&snap, serde_json::to_vec(&a).unwrap()).unwrap();
        let mut j = Journal::start(&snap, a.clone(), 1_000_000, Seen::default()).unwrap();
        let mut sizes = Vec::new();
        for (k, i) in [3usize, 9_999, 3, 42].into_iter().enumerate() {
            let at = 2_000 + i64::try_from(k).unwrap();
            answer(&mut a, i, k % 4, at);
            match j.append(&a, None).unwrap() {
                Appended::Line(n) => sizes.push(n),
                Appended::Nothing => panic!("a change was not written"),
            }
        }
        assert_eq!(j.append(&a, None).unwrap(), Appended::Nothing);
        // Bytes per change do not depend on the 10,000 questions.
        assert!(sizes.iter().all(|n| *n < 600), "{sizes:?}");
        let bytes = std::fs::read(journal_path(&snap)).unwrap();
        let mut back = base.clone();
        replay(&mut back, &bytes);
        let mut want = a.clone();
        want.journal = 4;
        assert_eq!(back, want);
        // Question 3 was answered twice: its history has both changes.
        assert_eq!(back.slots[3].history.len(), 2);
        // A torn last line: the three whole ones apply, the torn one is ignored.
        let cut = bytes.len() - 5;
        let mut torn = base.clone();
        replay(&mut torn, &bytes[..cut]);
        assert_eq!(torn.journal, 3);
        assert_eq!(torn.slots[42], Slot::default());
        assert_eq!(torn.slots[9_999].response, Some(Response::Choice(1)));
        // Lines the snapshot already holds are skipped.
        let mut newer = back.clone();
        newer.slots[3].flagged = true;
        let kept = newer.clone();
        replay(&mut newer, &bytes);
        assert_eq!(newer, kept);
    }

    #[test]
    fn a_line_from_another_paper_stops_the_replay() {
        let d = tempfile::tempdir().unwrap();
        let snap = d.path().join("x.json");
        let mut big = attempt(50);
        let mut j = Journal::start(&snap, big.clone(), 10, Seen::default()).unwrap();
        answer(&mut big, 49, 0, 5);
        j.append(&big, None).unwrap();
        let bytes = std::fs::read(journal_path(&snap)).unwrap();
        let mut small = attempt(10);
        let before = small.clone();
        replay(&mut small, &bytes);
        assert_eq!(small, before);
    }
}
