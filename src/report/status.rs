//! Where every trainee of an exam stands, so that nobody is silently missing from a report:
//! submitted, timed out, still in progress, abandoned (the deadline passed with no record), or
//! flagged. Pure: the records, the flagged files and the progress files are given, and so is the
//! time (`now`).

use super::board::Progress;
use crate::quiz::{EndReason, Millis};
use crate::record::{AttemptRecord, BadRecord, trainee_slug};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

/// Where an attempt stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// Recorded, handed in by the trainee.
    Submitted,
    /// Recorded, ended when the time ran out (also when `tipquiz close` finished it).
    TimedOut,
    /// Running: its deadline has not passed (or it has none).
    InProgress,
    /// Its deadline passed and there is no record of it: the trainee left, or the terminal was
    /// lost. `tipquiz close` records it from its autosave where that is reachable.
    Abandoned,
    /// Recorded, but the record did not pass the checks: not counted.
    Flagged,
}

impl Standing {
    /// The name used in JSON, CSV and `end_reason`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Standing::Submitted => "submitted",
            Standing::TimedOut => "timed-out",
            Standing::InProgress => "in-progress",
            Standing::Abandoned => "abandoned",
            Standing::Flagged => "flagged",
        }
    }
}

/// The trainees of one exam in each standing (each list sorted by name, each name once per
/// list; a trainee with several attempts may be in several lists).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Statuses {
    /// Handed in.
    pub submitted: Vec<String>,
    /// Ended when the time ran out.
    pub timed_out: Vec<String>,
    /// Still running.
    pub in_progress: Vec<String>,
    /// Deadline passed, no record.
    pub abandoned: Vec<String>,
    /// Recorded but flagged (not counted; the reasons are in the list of flagged files).
    pub flagged: Vec<String>,
}

impl Statuses {
    /// (standing, names) for every standing, in order.
    #[must_use]
    pub fn lists(&self) -> [(Standing, &[String]); 5] {
        [
            (Standing::Submitted, &self.submitted),
            (Standing::TimedOut, &self.timed_out),
            (Standing::InProgress, &self.in_progress),
            (Standing::Abandoned, &self.abandoned),
            (Standing::Flagged, &self.flagged),
        ]
    }
}

/// An attempt with no record: in progress or abandoned at `now`.
#[must_use]
pub fn unrecorded<'a>(
    exam: &str,
    records: &[AttemptRecord],
    bad: &[BadRecord],
    progress: &'a [Progress],
    now: Millis,
) -> Vec<(Standing, &'a Progress)> {
    // A progress file left behind by an attempt that was recorded (its removal failed) is not
    // an attempt without a record.
    let recorded: HashSet<(String, Millis)> = records
        .iter()
        .filter(|r| r.exam_id == exam)
        .map(|r| (trainee_slug(&r.trainee), r.started_at))
        .collect();
    let flagged: HashSet<String> = bad
        .iter()
        .filter(|b| b.exam_id == exam)
        .map(|b| trainee_slug(&b.trainee))
        .collect();
    let mut out: Vec<(Standing, &Progress)> = progress
        .iter()
        .filter(|p| p.exam_id == exam)
        .filter(|p| !recorded.contains(&(trainee_slug(&p.trainee), p.started_at)))
        .filter(|p| !flagged.contains(&trainee_slug(&p.trainee)))
        .map(|p| {
            let s = if p.deadline.is_some_and(|d| now >= d) {
                Standing::Abandoned
            } else {
                Standing::InProgress
            };
            (s, p)
        })
        .collect();
    out.sort_by(|a, b| (a.0, &a.1.trainee).cmp(&(b.0, &b.1.trainee)));
    out
}

/// Where every trainee of `exam` stands at `now`.
#[must_use]
pub fn statuses(
    exam: &str,
    records: &[AttemptRecord],
    bad: &[BadRecord],
    progress: &[Progress],
    now: Millis,
) -> Statuses {
    let mut sets: [BTreeSet<String>; 5] = Default::default();
    for r in records.iter().filter(|r| r.exam_id == exam) {
        let i = match r.end_reason {
            EndReason::Submitted => 0,
            EndReason::TimedOut => 1,
        };
        sets[i].insert(r.trainee.clone());
    }
    for (s, p) in unrecorded(exam, records, bad, progress, now) {
        let i = if s == Standing::Abandoned { 3 } else { 2 };
        sets[i].insert(p.trainee.clone());
    }
    for b in bad.iter().filter(|b| b.exam_id == exam) {
        sets[4].insert(b.trainee.clone());
    }
    let [submitted, timed_out, in_progress, abandoned, flagged] =
        sets.map(|s| s.into_iter().collect::<Vec<_>>());
    Statuses {
        submitted,
        timed_out,
        in_progress,
        abandoned,
        flagged,
    }
}
