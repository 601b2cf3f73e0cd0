//! `tipquiz take` (an exam, a quick quiz, a review of mistakes) and `tipquiz recover`.

use super::Context;
use super::library::{library_or_exit, library_or_exit_with, read_or_report};
use super::session::{Start, lang_of, run_app};
use super::{OK, PROBLEMS, USAGE};
use crate::diag::{Diagnostic, escape_for_terminal};
use crate::exam::{self, ExamDef};
use crate::messages::K;
use crate::msg;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Questions a trainee got wrong (or only partly right, or left blank) in their latest answer
/// to each, from the records in `store` (read through the results index in the cache folder
/// `cache`, if any).
#[must_use]
pub fn mistakes(
    store: &crate::record::Store,
    cache: Option<&std::path::Path>,
    trainee: &str,
) -> Vec<String> {
    use crate::quiz::Verdict;
    let key = crate::record::trainee_slug(trainee);
    let mut latest: BTreeMap<String, (i64, Verdict)> = BTreeMap::new();
    // A batch of files at a time, in file-name order: only this trainee's answers are kept, not
    // the folder's records (tens of thousands in a class's folder).
    store.visit_cached(cache, None, &mut |batch, _| {
        for f in batch {
            let Ok((r, _)) = f.got else { continue };
            if crate::record::trainee_slug(&r.trainee) != key {
                continue;
            }
            for q in &r.questions {
                let at = q.answered_at.unwrap_or(r.ended_at);
                let e = latest.entry(q.qid.clone()).or_insert((at, q.verdict));
                if at >= e.0 {
                    *e = (at, q.verdict);
                }
            }
        }
    });
    latest
        .into_iter()
        .filter(|(_, (_, v))| *v != Verdict::Right)
        .map(|(q, _)| q)
        .collect()
}

/// Whether a quick quiz on `topics` needs the shipped banks: unless banks are given and no
/// topic asked for is one of the shipped banks' (a quiz on one given bank then loads that bank
/// alone: less memory and an earlier first question).
fn needs_shipped(banks: &[PathBuf], topics: &[String]) -> bool {
    banks.is_empty()
        || topics.is_empty()
        || topics
            .iter()
            .any(|t| crate::bank::SHIPPED_TOPICS.contains(&t.as_str()))
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn take(
    cx: &Context,
    exam_arg: Option<String>,
    topics: Vec<String>,
    count: usize,
    time: Option<String>,
    mode: crate::cli::ModeArg,
    trainee: Option<String>,
    review_mistakes: bool,
    unit: Option<String>,
) -> u8 {
    if let Some(why) = trainee.as_deref().and_then(crate::record::name_problem) {
        cx.out.fail_msg(&why);
        return USAGE;
    }
    if let Some(why) = unit.as_deref().and_then(crate::exam::unit_problem) {
        cx.out.fail_msg(&why);
        return USAGE;
    }
    let mut start = Start::show(cx, trainee.as_deref());
    // The finished attempts waiting to be recorded, listed (and read) once: `recover` may need
    // any bank for them, the shipped ones too.
    let waiting = crate::tui::run::waiting(&start.places);
    let shipped = exam_arg.is_some()
        || review_mistakes
        || needs_shipped(&cx.common.banks, &topics)
        || !waiting.is_empty();
    let (lib, exams) = match library_or_exit_with(cx, shipped) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let lib = start.hold(cx, lib);
    let places = &start.places;
    let _ = crate::tui::run::recover_waiting(
        places,
        waiting,
        &lib,
        &exams,
        crate::tui::run::now_ms(),
        cx.out.lang,
    );
    let exam = if let Some(e) = exam_arg {
        let path = PathBuf::from(&e);
        if path.is_file() {
            let text = match read_or_report(cx, &path) {
                Ok(s) => s,
                Err(code) => return code,
            };
            let (def, mut diags) = exam::parse_exam(&text.name, &text.text);
            if let Some(d) = &def {
                diags.extend(crate::quiz::exam_problems(d, &lib, &text.name));
            }
            if diags.iter().any(Diagnostic::is_error) || def.is_none() {
                cx.out
                    .print_err(&crate::diag::render_all_in(&diags, cx.out.lang));
                return PROBLEMS;
            }
            def.unwrap_or_else(|| ExamDef::quick(&[], 1, None, exam::Mode::Practice))
        } else if let Some(d) = exams.iter().find(|x| x.id == e) {
            d.clone()
        } else {
            let ids: Vec<&str> = exams.iter().map(|x| x.id.as_str()).collect();
            cx.out.fail_msg(&msg!(NoSuchExam, e, ids.join(", ")));
            return USAGE;
        }
    } else {
        let known: Vec<String> = lib.topics().into_iter().map(|t| t.0).collect();
        if let Some(bad) = topics.iter().find(|t| !known.contains(t)) {
            // The shipped banks' topics are offered too when they were not loaded.
            let mut offered: Vec<String> = Vec::new();
            if !shipped && !cx.common.only_given_banks {
                offered.extend(crate::bank::SHIPPED_TOPICS.iter().map(|t| (*t).to_owned()));
            }
            offered.extend(known.iter().cloned());
            cx.out
                .fail_msg(&msg!(UnknownTopic, bad, offered.join(", ")));
            return USAGE;
        }
        let secs = match time.as_deref().map(crate::walk::parse_duration) {
            None => None,
            Some(Some(s)) if s > 0 => Some(s),
            Some(_) => {
                cx.out.fail_msg(&K::BadTime.into());
                return USAGE;
            }
        };
        let mode = match mode {
            crate::cli::ModeArg::Exam => exam::Mode::Exam,
            crate::cli::ModeArg::Practice => exam::Mode::Practice,
        };
        if count == 0 {
            cx.out.fail_msg(&K::BadCount.into());
            return USAGE;
        }
        let mut def = ExamDef::quick(&topics, count, secs, mode);
        if review_mistakes {
            let Some(t) = trainee.as_deref() else {
                cx.out.fail_msg(&K::ReviewNeedsTrainee.into());
                return USAGE;
            };
            let ids: Vec<String> = mistakes(&places.results, cx.folders.cache.as_deref(), t)
                .into_iter()
                .filter(|q| lib.question(q).is_some())
                .collect();
            if ids.is_empty() {
                cx.out.fail_msg(&K::NoMistakes.into());
                return PROBLEMS;
            }
            def.id = format!("review-{}", crate::record::trainee_slug(t));
            def.title = crate::text::Text::from_pairs([
                ("en", "Review of mistakes"),
                ("ar", "مراجعة الأخطاء"),
            ]);
            def.pools = vec![exam::Pool {
                topic: None,
                tags: Vec::new(),
                difficulty: Vec::new(),
                count: ids.len().min(count),
                questions: ids,
            }];
            def.mode = exam::Mode::Practice;
        }
        if let Err(e) = crate::quiz::check_pools(&def, &lib) {
            cx.out.fail_msg(&e.message());
            return PROBLEMS;
        }
        def
    };
    let mut app = crate::tui::app::App::new(
        lib,
        exams,
        &start.prefs,
        lang_of(cx, &start.prefs, trainee.as_deref()),
        places.autosaves.clone(),
    );
    app.fixed_exam = Some(exam);
    app.lock_attempts = true;
    app.places = Some(places.clone());
    super::session::class_units_on_screen(&mut app, places);
    app.quit_after = true;
    app.form_mut().trainee_only = true;
    app.form_mut().focus = crate::tui::app::Field::Trainee;
    if let Some(t) = &trainee {
        // The unit this trainee gave last time, not the last trainee's.
        app.form_mut().trainee.clone_from(t);
        app.recall_unit(&start.prefs);
    }
    if let Some(u) = unit {
        app.form_mut().unit_caret = u.chars().count();
        app.form_mut().unit = u;
    }
    if let Some(t) = trainee {
        app.form_mut().trainee = t;
        // Its effects (the start marker, the first save) are carried out by the screens' host,
        // before the first question is drawn.
        start.first = app.start(crate::tui::run::now_ms());
    }
    run_app(app, cx, start)
}

pub(crate) fn recover_cmd(cx: &Context) -> u8 {
    let (lib, exams) = match library_or_exit(cx) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let places = cx.places();
    let done = crate::tui::run::recover(
        &places,
        &lib,
        &exams,
        crate::tui::run::now_ms(),
        cx.out.lang,
    );
    let mut out = String::new();
    let mut line = |m: crate::messages::Msg| {
        out.push_str(&cx.out.say(&m));
        out.push('\n');
    };
    for p in &done.saved {
        line(msg!(RecoverSaved, escape_for_terminal(p)));
    }
    for f in &done.set_aside {
        line(msg!(RecoverSetAside, escape_for_terminal(f)));
    }
    for f in &done.waiting {
        line(msg!(RecoverNotSaved, escape_for_terminal(f)));
    }
    // What is set aside is not tried again: only what still waits is a problem to fix.
    line(if done.set_aside.is_empty() {
        msg!(RecoverSummary, done.saved.len(), done.waiting.len())
    } else {
        msg!(
            RecoverSummaryAside,
            done.saved.len(),
            done.set_aside.len(),
            done.waiting.len()
        )
    });
    cx.out.print_out(&out);
    if done.waiting.is_empty() {
        OK
    } else {
        PROBLEMS
    }
}
