//! Where every trainee of an exam stands, so that nobody is silently missing from a report:
//! submitted, timed out, still in progress, abandoned (the deadline passed with no record),
//! record missing, or flagged; and who started the exam twice. Pure but for [`Starts::read`],
//! which reads the start markers and progress files of a results folder: the records, the
//! flagged files, the markers and progress files are given, and so is the time (`now`).
//!
//! An attempt is known to have started from its start marker ([`StartMarker`], written into the
//! results folder when it starts) or from its progress file (written while it runs, removed
//! when it ends). One with neither a record nor a flagged record is:
//! - **in progress** while its deadline has not passed (or it has none);
//! - **abandoned** when its deadline passed and its progress file is still there: it was
//!   running when last seen (the trainee left, the terminal was killed);
//! - **record missing** when its deadline passed, its marker is there and its progress file is
//!   not: it ended (a finished attempt removes its progress file) or it never reported itself,
//!   and no record of it is in the folder: deleted, or never written.
//!
//! A trainee **started twice** when an attempt of theirs at the exam started before the one
//! before it was recorded (no record of it, or one that ended after the next began): the exam
//! clock was started again (a lost or deleted autosave), or two terminals ran at once. A retake
//! after a recorded attempt is not that.

use super::board::{Progress, read_progress};
use super::held::HeldAttempt;
use crate::quiz::{EndReason, Millis};
use crate::record::{BadRecord, StartMarker, Store, trainee_slug};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

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
    /// Its deadline passed and there is no record of it, while its progress file says it was
    /// running: the trainee left, or the terminal was lost. `tipquiz close` records it from
    /// its autosave where that is reachable.
    Abandoned,
    /// It started (its start marker), its deadline passed, and there is neither a record nor a
    /// sign of it running: the record was deleted or never written.
    RecordMissing,
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
            Standing::RecordMissing => "record-missing",
            Standing::Flagged => "flagged",
        }
    }
}

/// What is known of attempts that started, besides their records.
#[derive(Clone, Copy, Debug, Default)]
pub struct Started<'a> {
    /// Start markers.
    pub markers: &'a [StartMarker],
    /// Progress files of attempts running (or left running).
    pub progress: &'a [Progress],
}

/// What a results folder says of the attempts that started, besides their records: their start
/// markers and the progress files of those running (or left running).
#[derive(Clone, Debug, Default)]
pub struct Starts {
    /// Start markers.
    pub markers: Vec<StartMarker>,
    /// Progress files.
    pub progress: Vec<Progress>,
}

impl Starts {
    /// Read them from `store`'s folder.
    #[must_use]
    pub fn read(store: &Store) -> Starts {
        Starts {
            markers: store.started(),
            progress: read_progress(&store.dir),
        }
    }

    /// The view the status functions take.
    #[must_use]
    pub fn view(&self) -> Started<'_> {
        Started {
            markers: &self.markers,
            progress: &self.progress,
        }
    }
}

/// An attempt that started and has no record (counted or flagged).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unrecorded {
    /// In progress, abandoned or record missing.
    pub standing: Standing,
    /// Trainee, as typed.
    pub trainee: String,
    /// Exam id.
    pub exam_id: String,
    /// The attempt's id, from its start marker (empty when only its progress file is known).
    pub attempt_id: String,
    /// Start.
    pub started_at: Millis,
    /// End of the time (the latest known), if limited.
    pub deadline: Option<Millis>,
    /// Questions answered and in the paper, from its progress file.
    pub answered: Option<(usize, usize)>,
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
    /// Deadline passed, left running, no record.
    pub abandoned: Vec<String>,
    /// Started, deadline passed, no record and no sign of it running.
    pub record_missing: Vec<String>,
    /// Recorded but flagged (not counted; the reasons are in the list of flagged files).
    pub flagged: Vec<String>,
    /// Started an attempt before the one before it was recorded.
    pub started_twice: Vec<String>,
    /// Every attempt without a record, with its start (in progress, abandoned, record missing).
    pub unrecorded: Vec<Unrecorded>,
}

impl Statuses {
    /// (standing, names) for every standing, in order.
    #[must_use]
    pub fn lists(&self) -> [(Standing, &[String]); 6] {
        [
            (Standing::Submitted, &self.submitted),
            (Standing::TimedOut, &self.timed_out),
            (Standing::InProgress, &self.in_progress),
            (Standing::Abandoned, &self.abandoned),
            (Standing::RecordMissing, &self.record_missing),
            (Standing::Flagged, &self.flagged),
        ]
    }

    /// The attempts without a record in `standing`, as (trainee, start), by name then start.
    #[must_use]
    pub fn starts(&self, standing: Standing) -> Vec<(&str, Millis)> {
        let mut v: Vec<(&str, Millis)> = self
            .unrecorded
            .iter()
            .filter(|u| u.standing == standing)
            .map(|u| (u.trainee.as_str(), u.started_at))
            .collect();
        v.sort_unstable();
        v
    }
}

/// The trainee slug and start of a record file's name (`<exam>--<slug>--<start>--<id>.json`).
fn name_key(file: &str) -> Option<(String, Millis)> {
    let stem = file.strip_suffix(".json")?;
    let mut parts = stem.rsplitn(4, "--");
    let _id = parts.next()?;
    let start = parts.next()?.parse().ok()?;
    let slug = parts.next()?;
    parts.next()?;
    Some((slug.to_owned(), start))
}

/// Every attempt at `exam` that started and has no record, with where it stands at `now`.
#[must_use]
pub fn unrecorded(
    exam: &str,
    records: &[HeldAttempt],
    bad: &[BadRecord],
    started: Started<'_>,
    now: Millis,
) -> Vec<Unrecorded> {
    // Attempts with a record, counted or flagged, by trainee and start (a flagged record by the
    // name of its file, which the record index gives it; by its trainee alone when the name is
    // not one tipquiz writes).
    let mut recorded: HashSet<(String, Millis)> = records
        .iter()
        .filter(|r| *r.exam_id == *exam)
        .map(|r| (trainee_slug(&r.trainee), r.started_at))
        .collect();
    let recorded_ids: HashSet<&str> = records
        .iter()
        .filter(|r| *r.exam_id == *exam)
        .map(|r| &*r.attempt_id)
        .collect();
    let mut flagged_anyhow: HashSet<String> = HashSet::new();
    for b in bad.iter().filter(|b| b.exam_id == exam) {
        match name_key(&b.file) {
            Some(k) => {
                recorded.insert(k);
            }
            None => {
                flagged_anyhow.insert(trainee_slug(&b.trainee));
            }
        }
    }
    let mut open: BTreeMap<(String, Millis), (Unrecorded, bool, bool)> = BTreeMap::new();
    for m in started.markers.iter().filter(|m| m.exam_id == exam) {
        let e = open
            .entry((trainee_slug(&m.trainee), m.started_at))
            .or_insert_with(|| {
                (
                    Unrecorded {
                        standing: Standing::InProgress,
                        trainee: m.trainee.clone(),
                        exam_id: m.exam_id.clone(),
                        attempt_id: String::new(),
                        started_at: m.started_at,
                        deadline: m.deadline,
                        answered: None,
                    },
                    false,
                    false,
                )
            });
        e.0.attempt_id.clone_from(&m.attempt_id);
        e.0.deadline = e.0.deadline.max(m.deadline);
        e.1 = true;
    }
    for p in started.progress.iter().filter(|p| p.exam_id == exam) {
        let e = open
            .entry((trainee_slug(&p.trainee), p.started_at))
            .or_insert_with(|| {
                (
                    Unrecorded {
                        standing: Standing::InProgress,
                        trainee: p.trainee.clone(),
                        exam_id: p.exam_id.clone(),
                        attempt_id: String::new(),
                        started_at: p.started_at,
                        deadline: p.deadline,
                        answered: None,
                    },
                    false,
                    false,
                )
            });
        // An extension given during the attempt shows in its progress file.
        e.0.deadline = e.0.deadline.max(p.deadline);
        e.0.answered = Some((p.answered, p.total));
        e.2 = true;
    }
    let mut out: Vec<Unrecorded> = open
        .into_iter()
        .filter(|(k, (u, _, _))| {
            !recorded.contains(k)
                && !recorded_ids.contains(u.attempt_id.as_str())
                && !flagged_anyhow.contains(&k.0)
        })
        .map(|(_, (mut u, marked, running))| {
            let over = u.deadline.is_some_and(|d| now >= d);
            u.standing = match (over, marked, running) {
                (false, _, _) => Standing::InProgress,
                (true, true, false) => Standing::RecordMissing,
                (true, _, _) => Standing::Abandoned,
            };
            u
        })
        .collect();
    out.sort_by(|a, b| {
        (a.standing, &a.trainee, a.started_at).cmp(&(b.standing, &b.trainee, b.started_at))
    });
    out
}

/// The trainees who started `exam` again before their previous attempt was recorded.
#[must_use]
pub fn started_twice(
    exam: &str,
    records: &[HeldAttempt],
    bad: &[BadRecord],
    markers: &[StartMarker],
) -> Vec<String> {
    // When each recorded attempt ended, by trainee and start (a flagged record, whose end is
    // not trusted, as recorded at its start).
    let mut ended: BTreeMap<(String, Millis), Millis> = records
        .iter()
        .filter(|r| *r.exam_id == *exam)
        .map(|r| ((trainee_slug(&r.trainee), r.started_at), r.ended_at))
        .collect();
    for b in bad.iter().filter(|b| b.exam_id == exam) {
        if let Some(k) = name_key(&b.file) {
            let start = k.1;
            ended.entry(k).or_insert(start);
        }
    }
    let mut by_trainee: BTreeMap<String, Vec<&StartMarker>> = BTreeMap::new();
    for m in markers.iter().filter(|m| m.exam_id == exam) {
        by_trainee
            .entry(trainee_slug(&m.trainee))
            .or_default()
            .push(m);
    }
    let mut out = BTreeSet::new();
    for (slug, mut ms) in by_trainee {
        ms.sort_by_key(|m| m.started_at);
        ms.dedup_by_key(|m| m.started_at);
        for w in ms.windows(2) {
            let recorded_before = ended
                .get(&(slug.clone(), w[0].started_at))
                .is_some_and(|end| *end <= w[1].started_at);
            if !recorded_before {
                out.insert(w[1].trainee.clone());
            }
        }
    }
    out.into_iter().collect()
}

/// Where every trainee of `exam` stands at `now`.
#[must_use]
pub fn statuses(
    exam: &str,
    records: &[HeldAttempt],
    bad: &[BadRecord],
    started: Started<'_>,
    now: Millis,
) -> Statuses {
    let mut sets: [BTreeSet<String>; 6] = Default::default();
    for r in records.iter().filter(|r| *r.exam_id == *exam) {
        let i = match r.end_reason {
            EndReason::Submitted => 0,
            EndReason::TimedOut => 1,
        };
        sets[i].insert(r.trainee.to_string());
    }
    let unrecorded = unrecorded(exam, records, bad, started, now);
    for u in &unrecorded {
        let i = match u.standing {
            Standing::Abandoned => 3,
            Standing::RecordMissing => 4,
            _ => 2,
        };
        sets[i].insert(u.trainee.clone());
    }
    for b in bad.iter().filter(|b| b.exam_id == exam) {
        sets[5].insert(b.trainee.clone());
    }
    let [
        submitted,
        timed_out,
        in_progress,
        abandoned,
        record_missing,
        flagged,
    ] = sets.map(|s| s.into_iter().collect::<Vec<_>>());
    Statuses {
        submitted,
        timed_out,
        in_progress,
        abandoned,
        record_missing,
        flagged,
        started_twice: started_twice(exam, records, bad, started.markers),
        unrecorded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(trainee: &str, start: Millis, deadline: Option<Millis>) -> StartMarker {
        StartMarker {
            schema: 1,
            trainee: trainee.to_owned(),
            exam_id: "x".to_owned(),
            attempt_id: format!("{start:016x}"),
            seed: 1,
            started_at: start,
            deadline,
            program: String::new(),
        }
    }

    fn progress(trainee: &str, start: Millis, deadline: Option<Millis>) -> Progress {
        Progress {
            trainee: trainee.to_owned(),
            exam_id: "x".to_owned(),
            exam_title: "X".to_owned(),
            answered: 3,
            total: 10,
            started_at: start,
            deadline,
        }
    }

    #[test]
    fn markers_and_progress_say_where_an_unrecorded_attempt_stands() {
        let markers = [
            marker("Left Running", 1_000, Some(5_000)),
            marker("Gone Record", 1_000, Some(5_000)),
            marker("Still Here", 1_000, Some(50_000)),
            marker("No Limit", 1_000, None),
        ];
        let progress = [
            progress("Left Running", 1_000, Some(5_000)),
            // Given more time while running.
            progress("Still Here", 1_000, Some(60_000)),
            // A progress file without a marker (an older version wrote it).
            progress("Old Version", 2_000, Some(4_000)),
        ];
        let started = Started {
            markers: &markers,
            progress: &progress,
        };
        let got = unrecorded("x", &[], &[], started, 10_000);
        let by: BTreeMap<&str, (Standing, Option<Millis>)> = got
            .iter()
            .map(|u| (u.trainee.as_str(), (u.standing, u.deadline)))
            .collect();
        assert_eq!(by["Left Running"].0, Standing::Abandoned);
        assert_eq!(by["Old Version"].0, Standing::Abandoned);
        assert_eq!(by["Gone Record"].0, Standing::RecordMissing);
        assert_eq!(by["Still Here"], (Standing::InProgress, Some(60_000)));
        assert_eq!(by["No Limit"].0, Standing::InProgress);
        let s = statuses("x", &[], &[], started, 10_000);
        assert_eq!(s.record_missing, ["Gone Record"]);
        assert_eq!(s.abandoned, ["Left Running", "Old Version"]);
        assert_eq!(s.starts(Standing::RecordMissing), [("Gone Record", 1_000)]);
        assert!(s.started_twice.is_empty());
    }

    #[test]
    fn a_flagged_record_accounts_for_its_marker_by_its_file_name() {
        let markers = [marker("Forger", 1_000, Some(5_000))];
        let bad = [BadRecord {
            file: format!("x--{}--1000--00000000000003e8.json", trainee_slug("Forger")),
            trainee: "Forger".to_owned(),
            exam_id: "x".to_owned(),
            reason: crate::messages::K::ProbBadSignature.into(),
        }];
        let started = Started {
            markers: &markers,
            progress: &[],
        };
        assert!(unrecorded("x", &[], &bad, started, 10_000).is_empty());
        // Another attempt of the same trainee is not hidden by it.
        let markers = [markers[0].clone(), marker("Forger", 6_000, Some(9_000))];
        let started = Started {
            markers: &markers,
            progress: &[],
        };
        let got = unrecorded("x", &[], &bad, started, 10_000);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].started_at, 6_000);
    }
}
