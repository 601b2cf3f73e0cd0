//! `tipquiz serve`: the class server (see [`crate::serve`]).

use super::Context;
use super::library::{library_or_exit, read_or_report};
use super::{OK, PROBLEMS, USAGE};
use crate::bank::Library;
use crate::diag::Diagnostic;
use crate::exam::{self, ExamDef};
use crate::messages::K;
use crate::msg;
use std::path::PathBuf;

/// What `serve` was given on the command line.
pub(crate) struct ServeArgs {
    pub exams: Vec<String>,
    pub listen: std::net::SocketAddr,
    pub code: Option<String>,
    pub max_sessions: usize,
    pub idle_timeout: String,
    pub dir: Option<PathBuf>,
    pub paced: bool,
    pub lockout: String,
}

pub(crate) fn serve_cmd(cx: &Context, args: ServeArgs) -> u8 {
    let (lib, loaded) = match library_or_exit(cx) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let mut exams = Vec::new();
    for e in &args.exams {
        match exam_by_file_or_id(cx, e, &loaded, &lib) {
            Ok(d) => exams.push(d),
            Err(code) => return code,
        }
    }
    if exams.is_empty() {
        exams = loaded;
    }
    let Some(idle) = crate::walk::parse_duration(&args.idle_timeout).filter(|s| *s > 0) else {
        cx.out.fail_msg(&K::BadTime.into());
        return USAGE;
    };
    let Some(lockout) = crate::walk::parse_duration(&args.lockout) else {
        cx.out.fail_msg(&K::BadTime.into());
        return USAGE;
    };
    let data = &cx.folders.data;
    let results = cx
        .common
        .results
        .clone()
        .unwrap_or_else(|| data.join("results"));
    // The class file of units in the results folder, offered on every trainee's home screen.
    let (class_units, class_units_problem) = super::units::read_class_units(&results);
    let opts = crate::serve::Options {
        listen: args.listen,
        code: args.code,
        max_sessions: args.max_sessions.max(1),
        idle: std::time::Duration::from_secs(u64::from(idle)),
        lockout: std::time::Duration::from_secs(u64::from(lockout)),
        paced: args.paced,
        lang: cx.out.lang,
        stop_after_records: std::env::var_os("TIPQUIZ_TEST_STOP_AFTER_RECORDS").is_some(),
        dir: args.dir.unwrap_or_else(|| data.join("serve")),
        results,
        class_units,
        class_units_problem,
    };
    // The banner on standard output in the server's language, laid out for the terminal (an
    // Arabic one right to left where this program reorders), flushed at once for the scripts
    // that wait for it.
    let print = |plain: &[String], laid: &[String]| {
        if cx.out.visual_out {
            let text: String = laid.iter().map(|l| format!("{l}\n")).collect();
            let width = super::stdout::terminal_width();
            super::stdout::print_laid_out(&crate::tui::bidi::visual_text(
                &text,
                width,
                cx.out.shaping,
            ));
        } else {
            cx.out
                .print_out(&plain.iter().map(|l| format!("{l}\n")).collect::<String>());
        }
    };
    let started = crate::serve::prepare(&opts, std::sync::Arc::new(lib), exams)
        .and_then(|(ctx, notes)| crate::serve::run(ctx, &opts, &notes, &print));
    match started {
        Ok(()) => OK,
        Err(e) => {
            cx.out.fail_msg(&e.message());
            USAGE
        }
    }
}

/// An exam given on the command line: a file (read and checked against the banks), or the id
/// of a loaded exam.
fn exam_by_file_or_id(
    cx: &Context,
    e: &str,
    exams: &[ExamDef],
    lib: &Library,
) -> Result<ExamDef, u8> {
    let path = PathBuf::from(e);
    if path.is_file() {
        let text = read_or_report(cx, &path)?;
        let (def, mut diags) = exam::parse_exam(&text.name, &text.text);
        if let Some(d) = &def {
            diags.extend(exam::check_exam(d, lib, &text.name));
        }
        return match def {
            Some(d) if !diags.iter().any(Diagnostic::is_error) => Ok(d),
            _ => {
                cx.out
                    .print_err(&crate::diag::render_all_in(&diags, cx.out.lang));
                Err(PROBLEMS)
            }
        };
    }
    if let Some(d) = exams.iter().find(|x| x.id == e) {
        return Ok(d.clone());
    }
    let ids: Vec<&str> = exams.iter().map(|x| x.id.as_str()).collect();
    cx.out.fail_msg(&msg!(NoSuchExam, e, ids.join(", ")));
    Err(USAGE)
}
