//! The instructor's view of the results folder: `report`, `export`, `history` and `board`.

use super::Context;
use super::class::{class_of, known_exam, with_answers};
use super::library::lib_and_exams_quiet;
use super::setup::display;
use super::stdout::{print_data, print_laid_out, stdout_is_piped, terminal_width};
use super::{OK, PROBLEMS, USAGE};
use crate::diag::escape_for_terminal;
use crate::msg;
use crate::report::held::Keep;

pub(super) fn which_of(which: crate::cli::Which) -> crate::report::Which {
    match which {
        crate::cli::Which::First => crate::report::Which::First,
        crate::cli::Which::Best => crate::report::Which::Best,
        crate::cli::Which::Last => crate::report::Which::Last,
    }
}

/// How `report` lays out and writes its output.
pub(crate) struct ReportOpts {
    /// Width of the text report (`--width`).
    pub width: Option<u16>,
    /// With the choices picked (`--details`).
    pub details: bool,
    /// CSV: only this table (`--table`).
    pub table: Option<String>,
    /// Write here instead of standard output (`-o`).
    pub output: Option<std::path::PathBuf>,
    /// CSV files start with a byte-order mark (not `--no-bom`).
    pub bom: bool,
}

/// Write `bytes` to the file `path` (atomically: a temporary file, then renamed), and say so on
/// standard error. A usage error when the path cannot be written.
fn write_output(cx: &Context, path: &std::path::Path, bytes: &[u8], said: &str) -> Result<(), u8> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if let Err(m) = crate::fsname::refuse_unportable(path) {
        cx.out.fail_msg(&m);
        return Err(USAGE);
    }
    if let Err(e) = crate::fs::write_atomic_public(dir, path, bytes) {
        cx.out.fail_msg(&e.message());
        return Err(USAGE);
    }
    cx.out
        .print_err(&format!("{}\n", escape_for_terminal(said)));
    Ok(())
}

/// A CSV file's bytes: with the UTF-8 byte-order mark first when `bom`.
fn csv_file(text: &str, bom: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 3);
    if bom {
        out.extend_from_slice(crate::report::BOM.as_bytes());
    }
    out.extend_from_slice(text.as_bytes());
    out
}

/// Write the report in `format` where `opts` says: standard output, a file, or (CSV without
/// `--table`, to a folder) one file per table.
fn write_report(
    cx: &Context,
    report: &crate::report::Report,
    format: crate::cli::ReportFormat,
    opts: &ReportOpts,
) -> Result<(), u8> {
    use crate::cli::ReportFormat as F;
    let lang = cx.out.lang;
    let Some(path) = &opts.output else {
        match format {
            F::Table => print_laid_out(&text_report(cx, report, opts)),
            F::Csv => print_data(&match &opts.table {
                Some(t) => crate::report::to_csv_table(report, t).unwrap_or_default(),
                None => crate::report::to_csv(report),
            }),
            F::Json => print_data(&crate::report::to_json(report)),
            F::Html => print_laid_out(&crate::report::to_html_dated(
                report,
                lang,
                cx.out.digits,
                Some(crate::tui::run::now_ms()),
            )),
        }
        return Ok(());
    };
    let wrote = |p: &std::path::Path| cx.out.say(&msg!(WroteFile, p.display().to_string()));
    match format {
        F::Csv if opts.table.is_none() && path.is_dir() => {
            let stem = report.exam_id.as_deref().unwrap_or("report");
            for t in crate::report::CSV_TABLES {
                let text = crate::report::to_csv_table(report, t).unwrap_or_default();
                let file = path.join(format!("{stem}-{t}.csv"));
                write_output(cx, &file, &csv_file(&text, opts.bom), &wrote(&file))?;
            }
            Ok(())
        }
        F::Csv => {
            let text = match &opts.table {
                Some(t) => crate::report::to_csv_table(report, t).unwrap_or_default(),
                None => crate::report::to_csv(report),
            };
            write_output(cx, path, &csv_file(&text, opts.bom), &wrote(path))
        }
        F::Json => write_output(
            cx,
            path,
            crate::report::to_json(report).as_bytes(),
            &wrote(path),
        ),
        F::Html => write_output(
            cx,
            path,
            crate::report::to_html_dated(
                report,
                lang,
                cx.out.digits,
                Some(crate::tui::run::now_ms()),
            )
            .as_bytes(),
            &wrote(path),
        ),
        F::Table => {
            let text = crate::report::render_text(
                report,
                &crate::report::TextOptions {
                    details: opts.details,
                    digits: cx.out.digits,
                    ..crate::report::TextOptions::plain(lang, opts.width.map_or(100, usize::from))
                },
            );
            write_output(cx, path, text.as_bytes(), &wrote(path))
        }
    }
}

/// The text report for standard output: as wide as the terminal (100 columns when the output
/// is not a terminal, or `--width`); on a terminal that does not reorder right-to-left text,
/// cells are shaped and reordered here and an Arabic report's tables run right to left.
fn text_report(cx: &Context, report: &crate::report::Report, opts: &ReportOpts) -> String {
    use std::io::IsTerminal as _;
    let lang = cx.out.lang;
    let tty = std::io::stdout().is_terminal();
    let width = opts
        .width
        .map_or_else(|| if tty { terminal_width() } else { 100 }, usize::from);
    let d = tty.then(|| display(&cx.common, &cx.folders));
    let reordered = d
        .filter(|d| d.mode == crate::tui::bidi::BidiMode::Reorder)
        .map(|d| crate::tui::typeset::Reordered {
            shaping: d.shaping,
            rtl: lang.is_rtl(),
        });
    let typeset: &dyn crate::report::Typeset = match &reordered {
        Some(r) => r,
        None => &crate::report::Plain,
    };
    crate::report::render_text(
        report,
        &crate::report::TextOptions {
            lang,
            width,
            details: opts.details,
            typeset,
            digits: cx.out.digits,
            // Logical order (piped, written to a file, a terminal with its own bidi): marked
            // for a reader that lays it out by direction.
            marks: reordered.is_none(),
        },
    )
}

pub(crate) fn report_cmd(
    cx: &Context,
    exam: Option<&str>,
    which: crate::cli::Which,
    format: crate::cli::ReportFormat,
    opts: &ReportOpts,
) -> u8 {
    let (lib, exams) = match lib_and_exams_quiet(cx) {
        Ok(l) => l,
        Err(c) => return c,
    };
    // The questions only of the attempt of each trainee that counts: the item analysis uses no
    // others.
    let class = class_of(cx, &lib, &exams, Keep::Figures, Some(which_of(which)));
    let starts = crate::report::status::Starts::read(&cx.places().results);
    let started = starts.view();
    if let Err(code) = known_exam(cx, exam, &exams, &class, started) {
        return code;
    }
    let report = crate::report::build_with(
        &class.records,
        &class.bad,
        &lib,
        &exams,
        exam,
        which_of(which),
    );
    let report =
        crate::report::with_statuses(report, &class.records, started, crate::tui::run::now_ms());
    // The two names of a department in the class file count as one unit.
    let (units, problem) = super::units::read_class_units(&cx.places().results.dir);
    if let Some(p) = problem {
        cx.out.fail_msg(&p);
    }
    let report = crate::report::with_class_units(report, &units, cx.out.lang);
    // The records are in the report's figures now: their memory is given back before the
    // report is laid out (tens of thousands of records weigh more than the report).
    drop(class);
    if let Err(code) = write_report(cx, &report, format, opts) {
        return code;
    }
    if report.exam_id.is_none() {
        cx.out.fail_msg(&msg!(
            NoRecordsIn,
            cx.places().results.dir.display().to_string()
        ));
        return PROBLEMS;
    }
    OK
}

pub(crate) fn export_cmd(
    cx: &Context,
    exam: Option<&str>,
    responses: bool,
    which: crate::cli::ExportWhich,
    allow_flagged: bool,
    output: Option<&std::path::Path>,
    bom: bool,
) -> u8 {
    let (lib, exams) = match lib_and_exams_quiet(cx) {
        Ok(l) => l,
        Err(c) => return c,
    };
    // An export uses no question of what is read here: the answers of the attempts exported
    // are read again, a batch at a time, as their rows are written. Of one attempt per trainee,
    // the others are held thin.
    let counted = match which {
        crate::cli::ExportWhich::All => None,
        crate::cli::ExportWhich::Best => Some(crate::report::Which::Best),
        crate::cli::ExportWhich::Last => Some(crate::report::Which::Last),
        crate::cli::ExportWhich::First => Some(crate::report::Which::First),
    };
    let class = class_of(cx, &lib, &exams, Keep::Summary, counted);
    let starts = crate::report::status::Starts::read(&cx.places().results);
    let started = starts.view();
    if let Err(code) = known_exam(cx, exam, &exams, &class, started) {
        return code;
    }
    // Borrowed, not copied: an export may cover tens of thousands of records.
    let mut records: Vec<&crate::report::held::HeldAttempt> = match counted {
        None => class
            .records
            .iter()
            .filter(|r| exam.is_none_or(|e| *r.exam_id == *e))
            .collect(),
        Some(which) => {
            // The attempt `report` counts, at each exam, chosen as it chooses.
            let ids: std::collections::BTreeSet<&str> = class
                .records
                .iter()
                .map(|r| &*r.exam_id)
                .filter(|id| exam.is_none_or(|e| *id == e))
                .collect();
            ids.into_iter()
                .flat_map(|e| crate::report::read::select_attempts(&class.records, e, which))
                .collect()
        }
    };
    records.sort_by(|a, b| (a.started_at, &a.attempt_id).cmp(&(b.started_at, &b.attempt_id)));
    // Every file left out is named, with the trainee and why (those of other exams too, when the
    // file does not say which exam it is).
    let skipped: Vec<&crate::record::BadRecord> = class
        .bad
        .iter()
        .filter(|b| exam.is_none_or(|e| b.exam_id.is_empty() || b.exam_id == e))
        .collect();
    for b in &skipped {
        let who = if b.trainee.is_empty() {
            escape_for_terminal(&b.file)
        } else {
            format!(
                "{} ({})",
                escape_for_terminal(&b.trainee),
                escape_for_terminal(&b.file)
            )
        };
        cx.out.fail_msg(&msg!(Skipped, who, &b.reason));
    }
    let now = crate::tui::run::now_ms();
    let ids: std::collections::BTreeSet<&str> = exam.map_or_else(
        || {
            starts
                .progress
                .iter()
                .map(|p| p.exam_id.as_str())
                .chain(starts.markers.iter().map(|m| m.exam_id.as_str()))
                .collect()
        },
        |e| std::iter::once(e).collect(),
    );
    // Attempts without a record, against every record (an attempt not selected is recorded).
    let unrecorded: Vec<_> = ids
        .into_iter()
        .flat_map(|e| {
            crate::report::status::unrecorded(e, &class.records, &class.bad, started, now)
        })
        .collect();
    let streamed = responses && output.is_none() && stdout_is_piped();
    let changed = std::cell::RefCell::new(Vec::new());
    let text = if streamed {
        let answers = with_answers(cx, &lib, &exams, &class, &records, &changed);
        super::stdout::print_responses(answers, &lib);
        String::new()
    } else if responses {
        let answers = with_answers(cx, &lib, &exams, &class, &records, &changed);
        crate::report::export_responses_csv(answers, &lib)
    } else {
        let flagged: Vec<crate::record::BadRecord> = skipped
            .iter()
            .filter(|b| !b.exam_id.is_empty())
            .map(|b| (*b).clone())
            .collect();
        crate::report::export_attempts_csv_with(&records, &unrecorded, &flagged)
    };
    // The records are written out: their memory is given back before the text is.
    let changed = changed.into_inner();
    for b in &changed {
        let who = format!(
            "{} ({})",
            escape_for_terminal(&b.trainee),
            escape_for_terminal(&b.file)
        );
        cx.out.fail_msg(&msg!(Skipped, who, &b.reason));
    }
    let left_out = skipped.len() + changed.len();
    drop(class);
    match output {
        None if streamed => {}
        None => print_data(&text),
        Some(path) => {
            let rows = csv::Reader::from_reader(text.as_bytes()).records().count();
            let said = cx
                .out
                .say(&msg!(WroteRows, rows, path.display().to_string()));
            if let Err(code) = write_output(cx, path, &csv_file(&text, bom), &said) {
                return code;
            }
        }
    }
    if left_out > 0 && !allow_flagged {
        cx.out.fail_msg(&msg!(ExportLeftOut, left_out));
        return PROBLEMS;
    }
    OK
}
