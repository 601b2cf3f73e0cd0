//! Loading what the commands work on: the shipped and given banks, the exams, single files.

use super::Context;
use super::{PROBLEMS, USAGE};
use crate::bank::{self, Bank, Library, SourceFile};
use crate::diag::Diagnostic;
use crate::exam::{self, ExamDef};
use crate::messages::K;
use std::collections::HashSet;
use std::path::PathBuf;

/// The shipped exam definitions: (file name, text).
pub const SHIPPED_EXAMS: &[(&str, &str)] = &[
    (
        "practice-indicators.toml",
        include_str!("../../questions/exams/practice-indicators.toml"),
    ),
    (
        "practice-national-law.toml",
        include_str!("../../questions/exams/practice-national-law.toml"),
    ),
    (
        "practice-international-law.toml",
        include_str!("../../questions/exams/practice-international-law.toml"),
    ),
    (
        "practice-referral.toml",
        include_str!("../../questions/exams/practice-referral.toml"),
    ),
    (
        "final-assessment.toml",
        include_str!("../../questions/exams/final-assessment.toml"),
    ),
    (
        "briefing-airport.toml",
        include_str!("../../questions/exams/briefing-airport.toml"),
    ),
    (
        "briefing-port.toml",
        include_str!("../../questions/exams/briefing-port.toml"),
    ),
    (
        "briefing-residence.toml",
        include_str!("../../questions/exams/briefing-residence.toml"),
    ),
    (
        "briefing-criminal-investigation.toml",
        include_str!("../../questions/exams/briefing-criminal-investigation.toml"),
    ),
    (
        "briefing-academy.toml",
        include_str!("../../questions/exams/briefing-academy.toml"),
    ),
    (
        "briefing-coast-guard.toml",
        include_str!("../../questions/exams/briefing-coast-guard.toml"),
    ),
    (
        "briefing-legal.toml",
        include_str!("../../questions/exams/briefing-legal.toml"),
    ),
    (
        "briefing-media.toml",
        include_str!("../../questions/exams/briefing-media.toml"),
    ),
    (
        "briefing-traffic.toml",
        include_str!("../../questions/exams/briefing-traffic.toml"),
    ),
    (
        "live-quiz.toml",
        include_str!("../../questions/exams/live-quiz.toml"),
    ),
];

/// Read files and folders into sources, reporting unreadable content as diagnostics.
pub(crate) fn read_all(
    paths: &[PathBuf],
) -> Result<(Vec<SourceFile>, Vec<Diagnostic>), bank::LoadError> {
    let mut sources = Vec::new();
    let mut diags = Vec::new();
    for p in bank::expand_paths(paths)? {
        match bank::read_source(&p)? {
            Ok(s) => sources.push(s),
            Err(d) => diags.push(d),
        }
    }
    Ok((sources, diags))
}

pub(crate) fn is_exam_source(s: &SourceFile) -> bool {
    bank::looks_like_exam(&s.text) || s.name.contains("/exams/") || s.name.starts_with("exams/")
}

/// Merge shipped banks and given banks: a given bank replaces a shipped one with the same id.
pub(crate) fn merge(shipped: Vec<Bank>, given: Vec<Bank>, only_given: bool) -> Vec<Bank> {
    let ids: HashSet<String> = given.iter().map(|b| b.id.clone()).collect();
    let mut out: Vec<Bank> = if only_given {
        Vec::new()
    } else {
        shipped
            .into_iter()
            .filter(|b| !ids.contains(&b.id))
            .collect()
    };
    out.extend(given);
    out
}

/// Load the library the cx options ask for. Problems in given banks are returned; the
/// caller decides whether they stop it.
///
/// # Errors
/// When a given path cannot be read.
pub fn load_library(cx: &Context) -> Result<(Library, Vec<Diagnostic>), bank::LoadError> {
    load_library_and_exams(cx, true).map(|(lib, diags, _)| (lib, diags))
}

/// Bytes of the given bank and exam files, if they can all be listed.
fn given_len(paths: &[PathBuf]) -> Option<u64> {
    let mut n = 0;
    for p in bank::expand_paths(paths).ok()? {
        n += std::fs::metadata(p).ok()?.len();
    }
    Some(n)
}

/// [`load_library`], and the exam files among the given paths (read once with the banks);
/// without the shipped banks when `shipped` is false (or `--only-given-banks` is set).
/// Banks go through the parsed-bank cache ([`bank::cache`]) unless `TIPQUIZ_NO_CACHE` is set.
pub(crate) fn load_library_and_exams(
    cx: &Context,
    shipped: bool,
) -> Result<(Library, Vec<Diagnostic>, Vec<SourceFile>), bank::LoadError> {
    let cache = cx.banks.as_ref();
    let shipped = shipped && !cx.common.only_given_banks;
    let parse_shipped = || {
        if shipped {
            bank::parse_shipped_cached(cache)
        } else {
            (Vec::new(), Vec::new())
        }
    };
    let parse_given = || {
        let (sources, read_diags) = read_all(&cx.common.banks)?;
        let (exam_sources, bank_sources): (Vec<SourceFile>, Vec<SourceFile>) =
            sources.into_iter().partition(is_exam_source);
        let parsed = bank::parse_sources_cached(&bank_sources, cache);
        Ok::<_, bank::LoadError>((read_diags, parsed, exam_sources))
    };
    // Small banks are parsed on this thread, with no thread pool (see [`bank::SMALL_TEXT`]);
    // otherwise the shipped banks are parsed while the given files are read and parsed.
    let shipped_len = if shipped { bank::shipped_len() } else { 0 };
    let small = given_len(&cx.common.banks)
        .is_some_and(|n| n.saturating_add(shipped_len as u64) < bank::SMALL_TEXT as u64);
    let ((shipped_banks, mut diags), given) = if small {
        (parse_shipped(), parse_given())
    } else {
        rayon::join(parse_shipped, parse_given)
    };
    let (read_diags, (given, d), exam_sources) = given?;
    diags.extend(read_diags);
    diags.extend(d);
    let (lib, d) = Library::build(merge(shipped_banks, given, !shipped));
    diags.extend(d);
    Ok((lib, diags, exam_sources))
}

/// The shipped exams, parsed.
#[must_use]
pub fn shipped_exams() -> Vec<ExamDef> {
    SHIPPED_EXAMS
        .iter()
        .filter_map(|(n, t)| exam::parse_exam(n, t).0)
        .collect()
}

pub(crate) fn library_or_exit(cx: &Context) -> Result<(Library, Vec<ExamDef>), u8> {
    library_or_exit_with(cx, true)
}

/// [`library_or_exit`], without the shipped banks when `shipped` is false.
pub(crate) fn library_or_exit_with(
    cx: &Context,
    shipped: bool,
) -> Result<(Library, Vec<ExamDef>), u8> {
    let (lib, diags, exam_sources) = match load_library_and_exams(cx, shipped) {
        Ok(x) => x,
        Err(e) => {
            cx.out.fail_msg(&e.message());
            return Err(USAGE);
        }
    };
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        cx.out.eprint_diags(&errors);
        cx.out.fail_msg(&K::BanksHaveErrors.into());
        return Err(PROBLEMS);
    }
    let exams = exams_of(&lib, &exam_sources);
    Ok((lib, exams))
}

/// The shipped exams and the given exam files (a given exam replaces a shipped one with its
/// id), those whose pools the loaded banks can fill.
fn exams_of(lib: &Library, exam_sources: &[SourceFile]) -> Vec<ExamDef> {
    let mut exams = shipped_exams();
    for s in exam_sources {
        if let (Some(e), _) = exam::parse_exam(&s.name, &s.text) {
            exams.retain(|x| x.id != e.id);
            exams.push(e);
        }
    }
    exams.retain(|e| crate::quiz::exam_problems(e, lib, "").is_empty());
    exams
}

/// The banks and exams for the instructor's views of the results: bank problems do not stop
/// them (a record of a bank that does not load is flagged, not hidden).
pub(crate) fn lib_and_exams_quiet(cx: &Context) -> Result<(Library, Vec<ExamDef>), u8> {
    match load_library_and_exams(cx, true) {
        Ok((lib, _, sources)) => {
            let exams = exams_of(&lib, &sources);
            Ok((lib, exams))
        }
        Err(e) => {
            cx.out.fail_msg(&e.message());
            Err(USAGE)
        }
    }
}

/// Read a bank or exam file; on failure print why and return the exit code.
pub(crate) fn read_or_report(cx: &Context, path: &std::path::Path) -> Result<SourceFile, u8> {
    match bank::read_source(path) {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(d)) => {
            cx.out.eprint_diags(&[&d]);
            Err(PROBLEMS)
        }
        Err(e) => {
            cx.out.fail_msg(&e.message());
            Err(USAGE)
        }
    }
}
