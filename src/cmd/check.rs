//! `tipquiz check` and `tipquiz list`.

use super::Context;
use super::library::{SHIPPED_EXAMS, is_exam_source, load_library, merge, read_all};
use super::stdout::print_data;
use super::{OK, PROBLEMS, USAGE};
use crate::bank::{self, Bank, Kind, Library, SourceFile};
use crate::cli::Format;
use crate::diag::{Diagnostic, Severity};
use crate::exam;
use crate::messages::K;
use crate::msg;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// Whether `s` is a class file of units: named [`crate::units::FILE_NAME`].
fn is_units_source(s: &SourceFile) -> bool {
    std::path::Path::new(&s.name)
        .file_name()
        .is_some_and(|n| n == crate::units::FILE_NAME)
}

/// `tipquiz check`.
#[must_use]
pub fn check(cx: &Context, paths: &[PathBuf], format: Format, deny_warnings: bool) -> u8 {
    let (sources, mut diags) = if paths.is_empty() {
        let mut s = bank::shipped_sources();
        s.extend(SHIPPED_EXAMS.iter().map(|(n, t)| SourceFile {
            name: format!("shipped:questions/exams/{n}"),
            text: (*t).to_owned(),
        }));
        (s, Vec::new())
    } else {
        match read_all(paths) {
            Ok(x) => x,
            Err(e) => {
                cx.out.fail_msg(&e.message());
                return USAGE;
            }
        }
    };
    let files = sources.len() + diags.len();
    // A class file of units (`units.toml`, in the results folder).
    let (unit_sources, sources): (Vec<SourceFile>, Vec<SourceFile>) =
        sources.into_iter().partition(is_units_source);
    for s in &unit_sources {
        diags.extend(crate::units::parse_units(&s.name, &s.text).1);
    }
    let (exam_sources, bank_sources): (Vec<SourceFile>, Vec<SourceFile>) =
        sources.into_iter().partition(is_exam_source);
    let (given, d) = bank::parse_sources(&bank_sources);
    diags.extend(d);
    let checked: HashSet<String> = bank_sources.iter().map(|s| s.name.clone()).collect();
    let shipped = if paths.is_empty() || cx.common.only_given_banks {
        Vec::new()
    } else {
        bank::load_shipped().0
    };
    let (lib, d) = Library::build(merge(shipped, given, false));
    diags.extend(d.into_iter().filter(|d| checked.contains(&d.file)));
    for s in &exam_sources {
        let (e, d) = exam::parse_exam(&s.name, &s.text);
        diags.extend(d);
        if let Some(e) = e {
            diags.extend(crate::quiz::exam_problems(&e, &lib, &s.name));
        }
    }
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    match format {
        Format::Json => {
            let lang = cx.out.lang;
            let diags: Vec<Diagnostic> = diags.iter().map(|d| d.localized(lang)).collect();
            let v = serde_json::json!({ "files": files, "errors": errors, "warnings": warnings, "diagnostics": diags });
            print_data(&format!(
                "{}\n",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            ));
        }
        Format::Text => {
            cx.out
                .print_out(&crate::diag::render_all_in(&diags, cx.out.lang));
            let verdict = if errors == 0 {
                K::VerdictOk
            } else {
                K::VerdictProblems
            };
            cx.out.print_out(&format!(
                "{}\n",
                cx.out
                    .say(&msg!(CheckSummary, files, errors, warnings, verdict))
            ));
        }
    }
    if errors > 0 || (deny_warnings && warnings > 0) {
        PROBLEMS
    } else {
        OK
    }
}

/// Per-bank counts for `list`.
#[derive(serde::Serialize)]
pub(crate) struct BankCounts {
    id: String,
    topic: String,
    origin: String,
    languages: Vec<String>,
    questions: usize,
    by_type: BTreeMap<String, usize>,
    by_difficulty: BTreeMap<String, usize>,
    in_every_language: usize,
}

pub(crate) fn counts(b: &Bank) -> BankCounts {
    let mut by_type = BTreeMap::new();
    let mut by_difficulty = BTreeMap::new();
    for q in &b.questions {
        *by_type.entry(q.kind.name().to_owned()).or_insert(0) += 1;
        *by_difficulty
            .entry(q.difficulty.name().to_owned())
            .or_insert(0) += 1;
    }
    let in_every_language = b
        .questions
        .iter()
        .filter(|q| {
            b.languages
                .iter()
                .all(|l| q.prompt.exact(l).is_some() || q.prompt.is_plain())
        })
        .count();
    BankCounts {
        id: b.id.clone(),
        topic: b.topic.clone(),
        origin: b.origin.clone(),
        languages: b.languages.clone(),
        questions: b.questions.len(),
        by_type,
        by_difficulty,
        in_every_language,
    }
}

/// `tipquiz list`.
#[must_use]
pub fn list(cx: &Context, format: Format) -> u8 {
    let (lib, diags) = match load_library(cx) {
        Ok(x) => x,
        Err(e) => {
            cx.out.fail_msg(&e.message());
            return USAGE;
        }
    };
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    cx.out.eprint_diags(&errors);
    // The banks that loaded are listed; a given bank with errors makes the exit code say so.
    let code = if errors.is_empty() { OK } else { PROBLEMS };
    let rows: Vec<BankCounts> = lib.banks.iter().map(counts).collect();
    if format == Format::Json {
        print_data(&format!(
            "{}\n",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        ));
        return code;
    }
    let types = Kind::NAMES;
    // The header's cells one by one (each reordered on its own when this run reorders), so
    // that the Arabic headers stay over their columns.
    let v = cx.out;
    let mode = if v.visual_out {
        crate::tui::bidi::BidiMode::Reorder
    } else {
        crate::tui::bidi::BidiMode::Terminal
    };
    let cell =
        |s: &str, w: usize, right: bool| crate::tui::bidi::table_cell(s, w, right, mode, v.shaping);
    let mut header = [
        cell(cx.out.word(K::ColBank), 20, false),
        cell(cx.out.word(K::ColTopic), 18, false),
        cell(cx.out.word(K::ColLangs), 5, true),
        cell(cx.out.word(K::ColTotal), 6, true),
    ]
    .join(" ");
    for t in types {
        header.push_str(&format!(" {t:>10}"));
    }
    for (k, w) in [(K::ColEasy, 5), (K::ColMedium, 6), (K::ColHard, 5)] {
        header.push(' ');
        header.push_str(&cell(cx.out.word(k), w, true));
    }
    let mut out = format!("{header}\n");
    let mut total = 0;
    // Counts in the digits of this run (Arabic-Indic with --digits arabic in Arabic); one
    // digit is one column either way.
    let n = |x: usize| v.digits.for_lang(v.lang).write(&x.to_string()).into_owned();
    for r in &rows {
        let mut line = format!(
            "{:<20} {:<18} {:>5} {:>6}",
            r.id,
            r.topic,
            r.languages.join(","),
            n(r.questions)
        );
        for t in types {
            line.push_str(&format!(
                " {:>10}",
                n(r.by_type.get(t).copied().unwrap_or(0))
            ));
        }
        for d in ["easy", "medium", "hard"] {
            let w = if d == "medium" { 6 } else { 5 };
            line.push_str(&format!(
                " {:>w$}",
                n(r.by_difficulty.get(d).copied().unwrap_or(0))
            ));
        }
        out.push_str(&line);
        out.push('\n');
        total += r.questions;
    }
    out.push_str(&format!(
        "{}\n",
        cx.out.say(&msg!(ListSummary, rows.len(), total))
    ));
    cx.out.print_out(&out);
    code
}
