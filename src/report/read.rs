//! The one way the instructor's views read a results folder: `report`, `export`, `history` and
//! the live board all take their records from here, with the same checks
//! ([`super::integrity::check_with`]: seals, banks, re-scoring, the loaded exam's rules, copies,
//! timing) and the same choice of attempt per trainee ([`select_attempts`]). A flagged record is
//! never counted or ranked; it is listed with the trainee's name and the reasons.

use super::Which;
use super::held::{Choosable, HeldAttempt, Keep, Names};
use super::integrity::{Rules, Screened, Screening, check_one};
use crate::messages::K;
use crate::record::{BadRecord, Known, Store, read_record_sealed, trainee_slug};
use std::collections::{BTreeSet, HashMap};

/// A results folder as the instructor's views see it.
#[derive(Clone, Debug, Default)]
pub struct Class {
    /// Records that count (sound, or flagged only because a bank is not loaded or changed),
    /// with only what the views use ([`HeldAttempt`]).
    pub records: Vec<HeldAttempt>,
    /// Files that could not be read, and flagged records (with the trainee's name).
    pub bad: Vec<BadRecord>,
    /// The name of the file of each of `records`, in the results folder.
    pub files: Vec<String>,
}

/// Read and check every record of `store` (through the results index in the cache folder
/// `cache`, when there is one). The folder is read a batch of files at a time and each record
/// is checked as it comes, then only what the views use of it is kept ([`HeldAttempt`]): what is
/// held grows with the records by a few hundred bytes each, not by whole records.
#[must_use]
pub fn read_class(store: &Store, cache: Option<&std::path::Path>, rules: Rules<'_>) -> Class {
    read_class_counting(store, cache, rules, Keep::Figures, None)
}

/// [`read_class`], keeping `keep` of each question (the answers as given, for an export of the
/// responses); with `counted`, every attempt but the one of each trainee at each exam that
/// `counted` chooses is held thin ([`HeldAttempt::thin`]: who, which exam, when, how it ended
/// and its total, without questions or topics), so what is held beyond that thin entry grows
/// with the trainees and not with their attempts.
#[must_use]
pub fn read_class_counting(
    store: &Store,
    cache: Option<&std::path::Path>,
    rules: Rules<'_>,
    keep: Keep,
    counted: Option<Which>,
) -> Class {
    let mut screening = Screening::new(rules).keeping(keep).counting(counted);
    store.visit_cached(cache, Some(rules.lib), &mut |batch, left| {
        screening.add(batch, left);
    });
    let mut screened = screening.finish();
    if let Some(which) = counted {
        fill_counted(store, rules, keep, which, &mut screened);
    }
    let Screened {
        records,
        files,
        mut unreadable,
        mut flagged,
    } = screened;
    unreadable.append(&mut flagged);
    Class {
        records,
        bad: unreadable,
        files,
    }
}

/// `held` read again from its file `file` in `store`, with `keep` of each question: when the
/// file still holds the same attempt and it still passes its own checks under `rules` (those
/// that need no other record); `None` when it does not (it changed or went since).
#[must_use]
pub fn read_again(
    store: &Store,
    rules: Rules<'_>,
    held: &HeldAttempt,
    file: &str,
    keep: Keep,
    names: &mut Names,
) -> Option<HeldAttempt> {
    let (r, seal) = read_record_sealed(&store.dir.join(file)).ok()?;
    let same = *r.attempt_id == *held.attempt_id
        && *r.trainee == *held.trainee
        && *r.exam_id == *held.exam_id
        && r.started_at == held.started_at
        && r.percent.total_cmp(&held.percent).is_eq();
    let known = Known {
        seal,
        rescored: None,
    };
    (same && check_one(&r, Some(&known), rules).count())
        .then(|| HeldAttempt::of(r, rules.lib, keep, names))
}

/// The questions of every attempt that counts and gave them back while the folder was read
/// (another attempt of its trainee counted then, which a check across records flagged since):
/// each such file is read again and checked on its own again. A file that no longer holds the
/// same sound attempt is flagged, and the choice made again without it.
fn fill_counted(store: &Store, rules: Rules<'_>, keep: Keep, which: Which, s: &mut Screened) {
    let mut names = Names::default();
    loop {
        let at: HashMap<*const HeldAttempt, usize> = s
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| (std::ptr::from_ref(r), i))
            .collect();
        let exams: BTreeSet<&str> = s.records.iter().map(|r| &*r.exam_id).collect();
        let missing: Vec<usize> = exams
            .into_iter()
            .flat_map(|e| select_attempts(&s.records, e, which))
            .filter(|r| r.is_thin())
            .filter_map(|r| at.get(&std::ptr::from_ref(r)).copied())
            .collect();
        if missing.is_empty() {
            return;
        }
        let mut gone = Vec::new();
        for i in missing {
            match read_again(store, rules, &s.records[i], &s.files[i], keep, &mut names) {
                Some(h) => s.records[i] = h,
                None => gone.push(i),
            }
        }
        // Flagged, from the last so that the places of the others hold.
        for i in gone.into_iter().rev() {
            let r = s.records.remove(i);
            s.flagged.push(BadRecord {
                file: s.files.remove(i),
                trainee: r.trainee.to_string(),
                exam_id: r.exam_id.to_string(),
                reason: K::RecChangedWhileRead.into(),
            });
        }
    }
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
