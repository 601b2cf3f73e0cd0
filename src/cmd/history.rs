//! `tipquiz history` (one trainee's attempts over time) and `tipquiz board` (the live
//! leaderboard), both reading the class through the report's one read path.

use super::Context;
use super::class::class_of;
use super::library::lib_and_exams_quiet;
use super::results::which_of;
use super::setup::{display, instructor_key};
use super::take::mistakes;
use super::{OK, PROBLEMS, USAGE};
use crate::diag::escape_for_terminal;
use crate::messages::K;
use crate::msg;

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

pub(crate) fn history_cmd(cx: &Context, trainee: &str) -> u8 {
    if let Some(why) = crate::record::name_problem(trainee) {
        cx.out.fail_msg(&why);
        return USAGE;
    }
    let (lib, exams) = match lib_and_exams_quiet(cx) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let class = class_of(cx, &lib, &exams, crate::report::held::Keep::Summary, None);
    let key = crate::record::trainee_slug(trainee);
    let flagged: Vec<&crate::record::BadRecord> = class
        .bad
        .iter()
        .filter(|b| !b.trainee.is_empty() && crate::record::trainee_slug(&b.trainee) == key)
        .collect();
    // The attempt that counts at each exam, chosen as the report chooses it.
    let counted: std::collections::HashSet<&str> = {
        let ids: std::collections::BTreeSet<&str> =
            class.records.iter().map(|r| &*r.exam_id).collect();
        ids.into_iter()
            .flat_map(|e| {
                crate::report::read::select_attempts(
                    &class.records,
                    e,
                    crate::report::Which::default(),
                )
            })
            .filter(|r| crate::record::trainee_slug(&r.trainee) == key)
            .map(|r| &*r.attempt_id)
            .collect()
    };
    let mut mine: Vec<&crate::report::held::HeldAttempt> = class
        .records
        .iter()
        .filter(|r| crate::record::trainee_slug(&r.trainee) == key)
        .collect();
    mine.sort_by_key(|r| r.started_at);
    if mine.is_empty() && flagged.is_empty() {
        cx.out.fail_msg(&msg!(
            NoAttemptsBy,
            trainee,
            cx.places().results.dir.display().to_string()
        ));
        return PROBLEMS;
    }
    let mut out = format!(
        "{}\n\n{:<20} {:<28} {:>9} {:>7} {:>8}\n",
        cx.out.say(&msg!(AttemptsOf, escape_for_terminal(trainee))),
        cx.out.word(K::ColDateUtc),
        cx.out.word(K::ColExam),
        cx.out.word(K::ColScore),
        "%",
        cx.out.word(K::ColResult)
    );
    // The numbers the program writes (date, score, percentage) in the digits of this run;
    // the exam's id is the author's.
    let n = |s: String| cx.out.digits.for_lang(cx.out.lang).write(&s).into_owned();
    for r in &mine {
        let date: String = crate::report::rfc3339_utc(r.started_at)
            .chars()
            .take(16)
            .collect::<String>()
            .replace('T', " ");
        out.push_str(&format!(
            "{:<20} {:<28} {:>9} {:>7} {:>8}{}\n",
            n(date),
            escape_for_terminal(&r.exam_id),
            n(format!("{:.1}/{:.0}", r.score, r.max)),
            n(format!("{:.0}%", r.percent)),
            cx.out.word(if r.passed { K::Passed } else { K::NotYet }),
            if counted.contains(&*r.attempt_id) {
                format!("  {}", cx.out.word(K::HistCounts))
            } else {
                String::new()
            }
        ));
    }
    for b in &flagged {
        out.push_str(&format!(
            "{}\n",
            cx.out.say(&msg!(
                HistFlagged,
                escape_for_terminal(&b.exam_id),
                escape_for_terminal(&b.file),
                escape_for_terminal(&cx.out.say(&b.reason))
            ))
        ));
    }
    let pct: Vec<f64> = mine.iter().map(|r| r.percent).collect();
    let first = pct.first().copied().unwrap_or(0.0);
    let last = pct.last().copied().unwrap_or(0.0);
    out.push_str(&format!(
        "\n{}\n",
        cx.out.say(&msg!(
            Trend,
            sparkline(&pct),
            crate::messages::num(format!("{first:.0}")),
            crate::messages::num(format!("{last:.0}"))
        ))
    ));
    // The class's records are in the text now: their memory is given back before the folder
    // is read again for the trainee's answers.
    drop(class);
    let wrong = mistakes(&cx.places().results, cx.folders.cache.as_deref(), trainee);
    out.push_str(&format!(
        "{}\n",
        cx.out
            .say(&msg!(ToReview, wrong.len(), escape_for_terminal(trainee)))
    ));
    cx.out.print_out(&out);
    OK
}

pub(crate) fn board_cmd(cx: &Context, exam: Option<String>, which: crate::cli::Which) -> u8 {
    let (lib, exams) = match lib_and_exams_quiet(cx) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let places = cx.places();
    // The language and digits of this run (`--lang`, `TIPQUIZ_LANG`, the locale; `--digits`,
    // `TIPQUIZ_DIGITS`), as every other output of the command line.
    let (lang, digits) = (cx.out.lang, cx.out.digits);
    let board = crate::report::board::Board::new(&places.results.dir, exam).checked(
        lib,
        exams,
        instructor_key(&cx.folders),
        which_of(which),
    );
    match crate::tui::board::run(board, lang, digits, display(&cx.common, &cx.folders)) {
        Ok(()) => OK,
        Err(e) => {
            cx.out.fail_msg(&msg!(CannotUseTerminal, e.to_string()));
            USAGE
        }
    }
}
