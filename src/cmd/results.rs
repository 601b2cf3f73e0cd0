//! The instructor's view of the results folder: `report`, `export`, `history` and `board`.

use super::library::lib_quiet;
use super::output::{fail_msg, print_data, print_err, print_out, say, voice, word};
use super::setup::{display, instructor_key, places};
use super::take::mistakes;
use super::{OK, PROBLEMS, USAGE};
use crate::bank::Library;
use crate::cli::Common;
use crate::diag::escape_for_terminal;
use crate::messages::K;
use crate::msg;

/// Records of the results folder that pass the integrity checks, and the files flagged.
pub(crate) fn screened(
    common: &Common,
    lib: &Library,
) -> (
    Vec<crate::record::AttemptRecord>,
    Vec<crate::record::BadRecord>,
) {
    // Unchanged record files come from the results index in the cache folder, when there is one.
    let crate::record::Indexed { loaded, known, .. } =
        places(common).results.load_cached(Some(lib));
    let key = instructor_key();
    let (good, mut flagged) =
        crate::report::integrity::screen_known(loaded.records, &known, lib, key.as_deref());
    let mut bad = loaded.bad;
    bad.append(&mut flagged);
    (good, bad)
}

pub(crate) fn report_cmd(
    common: &Common,
    exam: Option<&str>,
    which: crate::cli::Which,
    format: crate::cli::ReportFormat,
) -> u8 {
    let lib = match lib_quiet(common) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let (records, bad) = screened(common, &lib);
    let which = match which {
        crate::cli::Which::First => crate::report::Which::First,
        crate::cli::Which::Best => crate::report::Which::Best,
        crate::cli::Which::Last => crate::report::Which::Last,
    };
    let report = crate::report::build(&records, &bad, &lib, exam, which);
    match format {
        crate::cli::ReportFormat::Table => {
            print_out(&crate::report::render_table_in(&report, voice().lang));
        }
        crate::cli::ReportFormat::Csv => print_data(&crate::report::to_csv(&report)),
        crate::cli::ReportFormat::Json => print_data(&crate::report::to_json(&report)),
    }
    if report.exam_id.is_none() {
        fail_msg(&msg!(
            NoRecordsIn,
            places(common).results.dir.display().to_string()
        ));
        return PROBLEMS;
    }
    OK
}

pub(crate) fn export_cmd(
    common: &Common,
    exam: Option<&str>,
    responses: bool,
    output: Option<&std::path::Path>,
) -> u8 {
    let lib = match lib_quiet(common) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let (mut records, bad) = screened(common, &lib);
    if let Some(e) = exam {
        records.retain(|r| r.exam_id == e);
    }
    records.sort_by(|a, b| (a.started_at, &a.attempt_id).cmp(&(b.started_at, &b.attempt_id)));
    for b in &bad {
        fail_msg(&msg!(Skipped, b.file.as_str(), &b.reason));
    }
    let text = if responses {
        crate::report::export_responses_csv(&records)
    } else {
        crate::report::export_attempts_csv(&records)
    };
    match output {
        None => print_data(&text),
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            if let Err(m) = crate::fsname::refuse_unportable(path) {
                fail_msg(&m);
                return USAGE;
            }
            if let Err(e) = crate::record::write_atomic(dir, path, text.as_bytes(), true) {
                fail_msg(&e.message());
                return USAGE;
            }
            print_err(&format!(
                "{}\n",
                escape_for_terminal(&say(&msg!(
                    WroteRows,
                    text.lines().count().saturating_sub(1),
                    path.display().to_string()
                )))
            ));
        }
    }
    OK
}

/// A sparkline of percentages (0-100).
#[must_use]
pub fn sparkline(values: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let i = ((v.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize;
            BARS[i.min(7)]
        })
        .collect()
}

pub(crate) fn history_cmd(common: &Common, trainee: &str) -> u8 {
    let loaded = places(common).results.load_cached(None).loaded;
    let key = crate::record::trainee_slug(trainee);
    let mut mine: Vec<crate::record::AttemptRecord> = loaded
        .records
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| crate::record::trainee_slug(&r.trainee) == key)
        .collect();
    mine.sort_by_key(|r| r.started_at);
    if mine.is_empty() {
        fail_msg(&msg!(
            NoAttemptsBy,
            trainee,
            places(common).results.dir.display().to_string()
        ));
        return PROBLEMS;
    }
    let mut out = format!(
        "{}\n\n{:<20} {:<28} {:>9} {:>7} {:>8}\n",
        say(&msg!(AttemptsOf, escape_for_terminal(trainee))),
        word(K::ColDateUtc),
        word(K::ColExam),
        word(K::ColScore),
        "%",
        word(K::ColResult)
    );
    for r in &mine {
        let date: String = crate::report::rfc3339_utc(r.started_at)
            .chars()
            .take(16)
            .collect::<String>()
            .replace('T', " ");
        out.push_str(&format!(
            "{:<20} {:<28} {:>9} {:>6.0}% {:>8}\n",
            date,
            escape_for_terminal(&r.exam_id),
            format!("{:.1}/{:.0}", r.score, r.max),
            r.percent,
            word(if r.passed { K::Passed } else { K::NotYet })
        ));
    }
    let pct: Vec<f64> = mine.iter().map(|r| r.percent).collect();
    let first = pct.first().copied().unwrap_or(0.0);
    let last = pct.last().copied().unwrap_or(0.0);
    out.push_str(&format!(
        "\n{}\n",
        say(&msg!(
            Trend,
            sparkline(&pct),
            format!("{first:.0}"),
            format!("{last:.0}")
        ))
    ));
    let wrong = mistakes(&places(common).results, trainee);
    out.push_str(&format!(
        "{}\n",
        say(&msg!(ToReview, wrong.len(), escape_for_terminal(trainee)))
    ));
    print_out(&out);
    OK
}

pub(crate) fn board_cmd(common: &Common, exam: Option<String>) -> u8 {
    let places = places(common);
    let lang = match common.lang {
        Some(crate::cli::LangArg::Ar) => crate::text::Lang::Ar,
        _ => crate::text::Lang::En,
    };
    match crate::tui::board::run(&places.results.dir, exam, lang, display(common)) {
        Ok(()) => OK,
        Err(e) => {
            fail_msg(&msg!(CannotUseTerminal, e.to_string()));
            USAGE
        }
    }
}
