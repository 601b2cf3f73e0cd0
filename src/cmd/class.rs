//! The class's records as the instructor's commands read them (`report`, `export`, `history`,
//! `close`): one read of the results folder, and the check of an `--exam` named.

use super::setup::instructor_key;
use super::{Context, USAGE};
use crate::bank::Library;
use crate::diag::escape_for_terminal;
use crate::msg;
use crate::report::held::{HeldAttempt, Keep};

/// The results folder as the instructor's views see it, through the one read path
/// ([`crate::report::read::read_class`]): checked against the loaded banks and exams and the
/// instructor key, keeping `keep` of each question (the answers only for an export of them),
/// and that only of the attempts `counted` chooses when it is given.
pub(crate) fn class_of(
    cx: &Context,
    lib: &Library,
    exams: &[crate::exam::ExamDef],
    keep: Keep,
    counted: Option<crate::report::Which>,
) -> crate::report::read::Class {
    let key = instructor_key(&cx.folders);
    let results = cx.places().results;
    // What killed writers left behind is removed once it is old enough (36 hours).
    let _ = crate::record::sweep_stale_parts(&results.dir, std::time::SystemTime::now());
    crate::report::read::read_class_counting(
        &results,
        cx.folders.cache.as_deref(),
        crate::report::integrity::Rules {
            lib,
            exams,
            key: key.as_deref(),
        },
        keep,
        counted,
    )
}

/// The attempts `records` of `class` with their answers, each read again from its file as it
/// is asked for (a batch at a time on every core, as an export of the responses writes them):
/// the answers of a whole results folder are never held at once. An attempt whose file no
/// longer holds it (it changed or went since the folder was read) is left out and put in
/// `changed`.
pub(crate) fn with_answers<'a>(
    cx: &Context,
    lib: &'a Library,
    exams: &'a [crate::exam::ExamDef],
    class: &'a crate::report::read::Class,
    records: &'a [&'a HeldAttempt],
    changed: &'a std::cell::RefCell<Vec<crate::record::BadRecord>>,
) -> impl Iterator<Item = HeldAttempt> + 'a {
    let key = instructor_key(&cx.folders);
    let store = cx.places().results;
    let at: std::collections::HashMap<*const HeldAttempt, usize> = class
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| (std::ptr::from_ref(r), i))
        .collect();
    records.chunks(256).flat_map(move |batch| {
        use rayon::prelude::*;
        let files: Vec<(&HeldAttempt, &String)> = batch
            .iter()
            .filter_map(|r| {
                let i = at.get(&std::ptr::from_ref(*r))?;
                Some((*r, class.files.get(*i)?))
            })
            .collect();
        let rules = crate::report::integrity::Rules {
            lib,
            exams,
            key: key.as_deref(),
        };
        let again: Vec<Option<HeldAttempt>> = files
            .par_iter()
            .map(|(r, file)| {
                let mut names = crate::report::held::Names::default();
                crate::report::read::read_again(&store, rules, r, file, Keep::Answers, &mut names)
            })
            .collect();
        for ((r, file), a) in files.iter().zip(&again) {
            if a.is_none() {
                changed.borrow_mut().push(crate::record::BadRecord {
                    file: (*file).clone(),
                    trainee: r.trainee.to_string(),
                    exam_id: r.exam_id.to_string(),
                    reason: crate::messages::K::RecChangedWhileRead.into(),
                });
            }
        }
        again.into_iter().flatten()
    })
}

/// An `--exam` that names neither a loaded exam nor an exam with records (or attempts that
/// started) is a usage error that names the known exams.
pub(super) fn known_exam(
    cx: &Context,
    exam: Option<&str>,
    exams: &[crate::exam::ExamDef],
    class: &crate::report::read::Class,
    started: crate::report::status::Started<'_>,
) -> Result<(), u8> {
    let Some(e) = exam else { return Ok(()) };
    let mut ids: std::collections::BTreeSet<&str> = exams.iter().map(|x| x.id.as_str()).collect();
    ids.extend(started.markers.iter().map(|m| m.exam_id.as_str()));
    ids.extend(started.progress.iter().map(|p| p.exam_id.as_str()));
    ids.extend(class.records.iter().map(|r| &*r.exam_id));
    ids.extend(
        class
            .bad
            .iter()
            .map(|b| b.exam_id.as_str())
            .filter(|x| !x.is_empty()),
    );
    if ids.contains(e) {
        return Ok(());
    }
    let list: Vec<String> = ids.iter().map(|x| escape_for_terminal(x)).collect();
    cx.out.fail_msg(&msg!(
        UnknownExamArg,
        escape_for_terminal(e),
        list.join(", ")
    ));
    Err(USAGE)
}
