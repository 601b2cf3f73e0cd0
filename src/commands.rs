//! The commands behind the command line. Each returns the process exit code:
//! 0 success, 1 problems found (or a failed exam action), 2 usage or I/O error.

use crate::bank::{self, Bank, Kind, Library, SourceFile};
use crate::cli::{Command, Common, Format};
use crate::diag::{Diagnostic, Severity, escape_for_terminal};
use crate::exam::{self, ExamDef};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// Exit code: success.
pub const OK: u8 = 0;
/// Exit code: problems found.
pub const PROBLEMS: u8 = 1;
/// Exit code: usage or I/O error.
pub const USAGE: u8 = 2;

/// The shipped exam definitions: (file name, text).
pub const SHIPPED_EXAMS: &[(&str, &str)] = &[];

/// Print an error for the user on standard error, escaped.
pub fn fail(msg: &str) {
    eprintln!("tipquiz: {}", escape_for_terminal(msg));
}

/// Read files and folders into sources, reporting unreadable content as diagnostics.
fn read_all(paths: &[PathBuf]) -> Result<(Vec<SourceFile>, Vec<Diagnostic>), bank::LoadError> {
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

fn is_exam_source(s: &SourceFile) -> bool {
    bank::looks_like_exam(&s.text) || s.name.contains("/exams/") || s.name.starts_with("exams/")
}

/// Merge shipped banks and given banks: a given bank replaces a shipped one with the same id.
fn merge(shipped: Vec<Bank>, given: Vec<Bank>, only_given: bool) -> Vec<Bank> {
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

/// Load the library the common options ask for. Problems in given banks are returned; the
/// caller decides whether they stop it.
///
/// # Errors
/// When a given path cannot be read.
pub fn load_library(common: &Common) -> Result<(Library, Vec<Diagnostic>), bank::LoadError> {
    let (shipped, mut diags) = if common.only_given_banks {
        (Vec::new(), Vec::new())
    } else {
        bank::load_shipped()
    };
    let (sources, read_diags) = read_all(&common.banks)?;
    diags.extend(read_diags);
    let bank_sources: Vec<SourceFile> =
        sources.into_iter().filter(|s| !is_exam_source(s)).collect();
    let (given, d) = bank::parse_sources(&bank_sources);
    diags.extend(d);
    let (lib, d) = Library::build(merge(shipped, given, common.only_given_banks));
    diags.extend(d);
    Ok((lib, diags))
}

/// The shipped exams, parsed.
#[must_use]
pub fn shipped_exams() -> Vec<ExamDef> {
    SHIPPED_EXAMS
        .iter()
        .filter_map(|(n, t)| exam::parse_exam(n, t).0)
        .collect()
}

/// `tipquiz check`.
#[must_use]
pub fn check(common: &Common, paths: &[PathBuf], format: Format, deny_warnings: bool) -> u8 {
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
                fail(&e.to_string());
                return USAGE;
            }
        }
    };
    let files = sources.len() + diags.len();
    let (exam_sources, bank_sources): (Vec<SourceFile>, Vec<SourceFile>) =
        sources.into_iter().partition(is_exam_source);
    let (given, d) = bank::parse_sources(&bank_sources);
    diags.extend(d);
    let checked: HashSet<String> = bank_sources.iter().map(|s| s.name.clone()).collect();
    let shipped = if paths.is_empty() || common.only_given_banks {
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
            diags.extend(exam::check_exam(&e, &lib, &s.name));
        }
    }
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    match format {
        Format::Json => {
            let v = serde_json::json!({ "files": files, "errors": errors, "warnings": warnings, "diagnostics": diags });
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        Format::Text => {
            print!("{}", crate::diag::render_all(&diags));
            let verdict = if errors == 0 { "ok" } else { "problems found" };
            println!(
                "checked {files} file(s): {errors} error(s), {warnings} warning(s): {verdict}"
            );
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
struct BankCounts {
    id: String,
    topic: String,
    origin: String,
    languages: Vec<String>,
    questions: usize,
    by_type: BTreeMap<String, usize>,
    by_difficulty: BTreeMap<String, usize>,
    in_every_language: usize,
}

fn counts(b: &Bank) -> BankCounts {
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
pub fn list(common: &Common, format: Format) -> u8 {
    let (lib, diags) = match load_library(common) {
        Ok(x) => x,
        Err(e) => {
            fail(&e.to_string());
            return USAGE;
        }
    };
    for d in diags.iter().filter(|d| d.is_error()) {
        eprint!("{}", d.render());
    }
    let rows: Vec<BankCounts> = lib.banks.iter().map(counts).collect();
    if format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        );
        return OK;
    }
    let types = Kind::NAMES;
    let mut header = format!(
        "{:<20} {:<18} {:>5} {:>6}",
        "bank", "topic", "langs", "total"
    );
    for t in types {
        header.push_str(&format!(" {t:>10}"));
    }
    header.push_str(&format!(" {:>5} {:>6} {:>5}", "easy", "medium", "hard"));
    println!("{header}");
    let mut total = 0;
    for r in &rows {
        let mut line = format!(
            "{:<20} {:<18} {:>5} {:>6}",
            r.id,
            r.topic,
            r.languages.join(","),
            r.questions
        );
        for t in types {
            line.push_str(&format!(" {:>10}", r.by_type.get(t).copied().unwrap_or(0)));
        }
        for d in ["easy", "medium", "hard"] {
            let w = if d == "medium" { 6 } else { 5 };
            line.push_str(&format!(
                " {:>w$}",
                r.by_difficulty.get(d).copied().unwrap_or(0)
            ));
        }
        println!("{line}");
        total += r.questions;
    }
    println!("{} bank(s), {total} question(s)", rows.len());
    OK
}

/// The home screen.
#[must_use]
pub fn home(common: &Common) -> u8 {
    let _ = common;
    fail("the home screen is not built yet");
    USAGE
}

/// The other commands.
#[must_use]
pub fn run(common: &Common, cmd: Command) -> u8 {
    let _ = (common, cmd);
    fail("this command is not built yet");
    USAGE
}
