//! The one way the instructor's views read a results folder: `report`, `export`, `history` and
//! the live board all take their records from here, with the same checks
//! ([`super::integrity::check_with`]: seals, banks, re-scoring, the loaded exam's rules, copies,
//! timing) and the same choice of attempt per trainee ([`select_attempts`]). A flagged record is
//! never counted or ranked; it is listed with the trainee's name and the reasons.

use super::Which;
use super::held::{Choosable, HeldAttempt, Keep};
use super::integrity::{Rules, Screening};
use crate::record::{BadRecord, Store, trainee_slug};

/// A results folder as the instructor's views see it.
#[derive(Clone, Debug, Default)]
pub struct Class {
    /// Records that count (sound, or flagged only because a bank is not loaded or changed),
    /// with only what the views use ([`HeldAttempt`]).
    pub records: Vec<HeldAttempt>,
    /// Files that could not be read, and flagged records (with the trainee's name).
    pub bad: Vec<BadRecord>,
}

/// Read and check every record of `store` (through the results index in the cache folder
/// `cache`, when there is one). The folder is read a batch of files at a time and each record
/// is checked as it comes, then only what the views use of it is kept ([`HeldAttempt`]): what is
/// held grows with the records by a few hundred bytes each, not by whole records.
#[must_use]
pub fn read_class(store: &Store, cache: Option<&std::path::Path>, rules: Rules<'_>) -> Class {
    read_class_keeping(store, cache, rules, Keep::Figures)
}

/// [`read_class`], keeping `keep` of each question (the answers as given, for an export of the
/// responses).
#[must_use]
pub fn read_class_keeping(
    store: &Store,
    cache: Option<&std::path::Path>,
    rules: Rules<'_>,
    keep: Keep,
) -> Class {
    let mut screening = Screening::new(rules).keeping(keep);
    store.visit_cached(cache, Some(rules.lib), &mut |batch| screening.add(batch));
    let (records, mut bad, mut flagged) = screening.finish();
    bad.append(&mut flagged);
    Class { records, bad }
}

/// The attempt of each trainee that counts at `exam` under `which` (trainees told apart by
/// [`trainee_slug`]), in name order.
#[must_use]
pub fn select_attempts<'a, C: Choosable>(records: &'a [C], exam: &str, which: Which) -> Vec<&'a C> {
    select_attempts_of(records, exam, which)
}

/// [`select_attempts`] over records held anywhere.
#[must_use]
pub fn select_attempts_of<'a, C: Choosable + 'a>(
    records: impl IntoIterator<Item = &'a C>,
    exam: &str,
    which: Which,
) -> Vec<&'a C> {
    let of_exam: Vec<&C> = records
        .into_iter()
        .filter(|r| r.exam_id() == exam)
        .collect();
    let slugs: Vec<String> = of_exam.iter().map(|r| trainee_slug(r.trainee())).collect();
    super::select(&of_exam, &slugs, which)
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}
