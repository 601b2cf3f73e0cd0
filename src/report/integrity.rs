//! Score integrity: every record is checked against its checksum, its banks and a re-scoring of
//! its stored answers, and records that cannot be trusted are flagged (never deleted).

use crate::bank::Library;
use crate::messages::{K, Msg};
use crate::record::{AttemptRecord, BadRecord, Known};
use std::collections::HashMap;

/// Slack allowed on a time limit for a record's duration (clock steps, commit time).
pub const TIME_GRACE_MS: i64 = 5_000;

/// What is wrong with a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The checksum does not match the body: the file was edited or damaged.
    Checksum,
    /// The stored total differs from the total re-scored from the stored answers.
    ScoreMismatch {
        /// Stored.
        stored: String,
        /// Recomputed.
        recomputed: String,
    },
    /// A bank the record names is not loaded.
    UnknownBank(String),
    /// A bank changed since the attempt (its content hash differs).
    ChangedBank(String),
    /// Another record has the same attempt id.
    Duplicate(String),
    /// Times that cannot happen (end before start, answers outside the attempt, longer than the
    /// time limit).
    ImpossibleTiming(Timing),
    /// A question the record answered is in none of the loaded banks, so it cannot be
    /// re-scored.
    QuestionMissing,
    /// The signature does not match the instructor key.
    BadSignature,
}

/// Times that cannot happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timing {
    /// The attempt ends before it starts.
    EndsBeforeStart,
    /// It took longer than its time limit (seconds).
    OverLimit(u32),
    /// An answer is dated outside the attempt.
    AnswerOutside,
}

impl Problem {
    /// In words, in English (as JSON and CSV give it).
    #[must_use]
    pub fn describe(&self) -> String {
        self.message().en()
    }

    /// In words, in any language.
    #[must_use]
    pub fn message(&self) -> Msg {
        match self {
            Problem::Checksum => K::ProbChecksum.into(),
            Problem::ScoreMismatch { stored, recomputed } => {
                Msg::new(K::ProbScoreMismatch, vec![stored.into(), recomputed.into()])
            }
            Problem::UnknownBank(b) => Msg::new(K::ProbUnknownBank, vec![b.into()]),
            Problem::QuestionMissing => K::ProbQuestionMissing.into(),
            Problem::ChangedBank(b) => Msg::new(K::ProbChangedBank, vec![b.into()]),
            Problem::Duplicate(f) => Msg::new(K::ProbDuplicate, vec![f.into()]),
            Problem::ImpossibleTiming(w) => {
                let why: Msg = match w {
                    Timing::EndsBeforeStart => K::TimingEndsBeforeStart.into(),
                    Timing::OverLimit(s) => Msg::new(K::TimingOverLimit, vec![(*s).into()]),
                    Timing::AnswerOutside => K::TimingAnswerOutside.into(),
                };
                Msg::new(K::ProbImpossibleTiming, vec![why.into()])
            }
            Problem::BadSignature => K::ProbBadSignature.into(),
        }
    }

    /// Whether the record's figures must be left out of the statistics.
    #[must_use]
    pub fn excludes(&self) -> bool {
        !matches!(
            self,
            Problem::UnknownBank(_) | Problem::QuestionMissing | Problem::ChangedBank(_)
        )
    }
}

/// Check every record. Returns, per record index, its problems (empty when sound).
#[must_use]
pub fn check_records(
    records: &[(String, AttemptRecord)],
    lib: &Library,
    key: Option<&[u8]>,
) -> Vec<Vec<Problem>> {
    check_records_known(records, &[], lib, key)
}

/// [`check_records`], with the checksum verdicts and re-scored totals already known for the
/// first records (from the results index: see [`crate::record::load_indexed`]); the others are
/// computed.
#[must_use]
pub fn check_records_known(
    records: &[(String, AttemptRecord)],
    known: &[Known],
    lib: &Library,
    key: Option<&[u8]>,
) -> Vec<Vec<Problem>> {
    use rayon::prelude::*;
    // The checks of one record (checksum, signature, re-scoring, timing) run on every core; the
    // duplicate check, which compares records, runs after, in order.
    let checked: Vec<(Vec<Problem>, Vec<Problem>)> = records
        .par_iter()
        .enumerate()
        .map(|(i, (_, r))| {
            let mut p = Vec::new();
            let known = known.get(i);
            // A record read from a file carries what its bytes said; one built in memory is
            // checked as it would be written.
            let seal = known.map_or_else(|| r.seal_in_memory(), |k| k.seal);
            if !seal.checksum_ok {
                p.push(Problem::Checksum);
            }
            if let Some(k) = key
                && !seal.signature_ok(r, k)
            {
                p.push(Problem::BadSignature);
            }
            let mut bank_ok = true;
            for (bank, hash) in &r.banks {
                match lib.bank(bank) {
                    None => {
                        p.push(Problem::UnknownBank(bank.clone()));
                        bank_ok = false;
                    }
                    Some(b) if b.hash != *hash => {
                        p.push(Problem::ChangedBank(bank.clone()));
                        bank_ok = false;
                    }
                    Some(_) => {}
                }
            }
            if bank_ok {
                // The banks have the hashes the record names, so a total re-scored against
                // them before still holds.
                let rescored = known
                    .and_then(|k| k.rescored)
                    .unwrap_or_else(|| r.rescore(lib));
                match rescored {
                    Some(total) if (total - r.score).abs() > 1e-6 => {
                        p.push(Problem::ScoreMismatch {
                            stored: fmt(r.score),
                            recomputed: fmt(total),
                        });
                    }
                    None => p.push(Problem::QuestionMissing),
                    Some(_) => {}
                }
                let sum: f64 = r.questions.iter().map(|q| q.points).sum();
                if (sum.max(0.0) - r.score).abs() > 1e-6 {
                    p.push(Problem::ScoreMismatch {
                        stored: fmt(r.score),
                        recomputed: fmt(sum.max(0.0)),
                    });
                }
            }
            let mut after = Vec::new();
            if r.ended_at < r.started_at {
                after.push(Problem::ImpossibleTiming(Timing::EndsBeforeStart));
            } else if let Some(limit) = r.time_limit {
                // The clock runs through pauses, so they do not extend the limit.
                if r.ended_at - r.started_at > i64::from(limit) * 1000 + TIME_GRACE_MS {
                    after.push(Problem::ImpossibleTiming(Timing::OverLimit(limit)));
                }
            }
            if r.questions.iter().any(|q| {
                q.answered_at
                    .is_some_and(|a| a < r.started_at || a > r.ended_at + TIME_GRACE_MS)
            }) {
                after.push(Problem::ImpossibleTiming(Timing::AnswerOutside));
            }
            (p, after)
        })
        .collect();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    records
        .iter()
        .zip(checked)
        .map(|((file, r), (mut p, after))| {
            if let Some(first) = seen.insert(r.attempt_id.as_str(), file.as_str()) {
                p.push(Problem::Duplicate(first.to_owned()));
            }
            p.extend(after);
            p
        })
        .collect()
}

fn fmt(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// Split records into the ones the statistics may use and the flagged ones (as bad-record
/// entries, kept in the report).
#[must_use]
pub fn screen(
    records: Vec<(String, AttemptRecord)>,
    lib: &Library,
    key: Option<&[u8]>,
) -> (Vec<AttemptRecord>, Vec<BadRecord>) {
    screen_known(records, &[], lib, key)
}

/// [`screen`], with what is already known of the first records (see [`check_records_known`]).
#[must_use]
pub fn screen_known(
    records: Vec<(String, AttemptRecord)>,
    known: &[Known],
    lib: &Library,
    key: Option<&[u8]>,
) -> (Vec<AttemptRecord>, Vec<BadRecord>) {
    let problems = check_records_known(&records, known, lib, key);
    let mut good = Vec::new();
    let mut flagged = Vec::new();
    for ((file, r), p) in records.into_iter().zip(problems) {
        if !p.is_empty() {
            flagged.push(BadRecord {
                file: file.clone(),
                reason: p
                    .iter()
                    .map(Problem::message)
                    .reduce(|a, b| Msg::new(K::ReasonSep, vec![a.into(), b.into()]))
                    .unwrap_or_else(|| Msg::raw("")),
            });
        }
        if !p.iter().any(Problem::excludes) {
            good.push(r);
        }
    }
    (good, flagged)
}
