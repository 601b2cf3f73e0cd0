//! `tipquiz close --exam ID`: at the end of a class, record every attempt at the exam whose time
//! is over but that was never recorded (the trainee left, the terminal was closed or lost), from
//! its autosave, so that it is scored as timed out rather than lost; and name every attempt that
//! cannot be recorded because its answers are not reachable from here.

use super::Context;
use super::class::class_of;
use super::library::lib_and_exams_quiet;
use super::setup::instructor_key;
use super::{OK, PROBLEMS, USAGE};
use crate::diag::escape_for_terminal;
use crate::msg;
use crate::quiz::{Session, Status};
use crate::record::{AttemptRecord, Store, attempt_id, trainee_slug};
use crate::report::board::{PROGRESS_DIR, Progress, read_progress};

pub(crate) fn close_cmd(cx: &Context, exam_id: &str, autosaves: Option<&std::path::Path>) -> u8 {
    let (lib, exams) = match lib_and_exams_quiet(cx) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let Some(exam) = exams.iter().find(|e| e.id == exam_id) else {
        let ids: Vec<String> = exams.iter().map(|e| escape_for_terminal(&e.id)).collect();
        cx.out.fail_msg(&msg!(
            UnknownExamArg,
            escape_for_terminal(exam_id),
            ids.join(", ")
        ));
        return USAGE;
    };
    let places = cx.places();
    let results = places.results.clone();
    let store = autosaves.map_or_else(|| places.autosaves.clone(), Store::new);
    let key = instructor_key(&cx.folders);
    let now = crate::tui::run::now_ms();
    let mut out = String::new();
    let mut closed: Vec<(String, i64)> = Vec::new();
    let mut failed = 0usize;
    for (path, mut a) in store.all_autosaves() {
        if a.exam.id != exam.id || !matches!(a.status, Status::Running) {
            continue;
        }
        // The rules are the loaded exam's, not the autosave's (which the trainee could edit):
        // its time limit decides whether the time is over.
        a = a.under_rules(exam, &lib);
        if a.deadline.is_none_or(|d| now < d) {
            continue;
        }
        let name = a.trainee.clone();
        let mut s = match Session::resume(a, &lib) {
            Ok(s) => s,
            Err(e) => {
                failed += 1;
                out.push_str(&format!(
                    "{}\n",
                    cx.out.say(&msg!(
                        CloseCannot,
                        escape_for_terminal(&name),
                        escape_for_terminal(&path.display().to_string()),
                        e.message()
                    ))
                ));
                continue;
            }
        };
        s.tick(now);
        let rec = AttemptRecord::from_session(&s, &attempt_id(&s.state), now, &places.program);
        match results.commit(&rec, key.as_deref()) {
            Ok(file) => {
                let _ = store.remove_autosave(&s.state.exam.id, &s.state.trainee);
                let _ = std::fs::remove_file(
                    results
                        .dir
                        .join(PROGRESS_DIR)
                        .join(Progress::file_name(&s.state.exam.id, &s.state.trainee)),
                );
                closed.push((trainee_slug(&name), s.state.started_at));
                out.push_str(&format!(
                    "{}\n",
                    cx.out.say(&msg!(
                        Closed,
                        escape_for_terminal(&name),
                        crate::messages::num(crate::report::export_num(rec.score)),
                        crate::messages::num(crate::report::export_num(rec.max)),
                        escape_for_terminal(&file.display().to_string())
                    ))
                ));
            }
            Err(e) => {
                failed += 1;
                out.push_str(&format!(
                    "{}\n",
                    cx.out.say(&msg!(
                        CloseCannot,
                        escape_for_terminal(&name),
                        escape_for_terminal(&path.display().to_string()),
                        e.message()
                    ))
                ));
            }
        }
    }
    // What is still abandoned: a deadline passed, no record, and no autosave reachable here.
    let class = class_of(cx, &lib, &exams, crate::report::held::Keep::Summary, None);
    let progress = read_progress(&results.dir);
    let markers = results.started();
    let started = crate::report::status::Started {
        markers: &markers,
        progress: &progress,
    };
    let left: Vec<String> =
        crate::report::status::unrecorded(&exam.id, &class.records, &class.bad, started, now)
            .into_iter()
            .filter(|u| {
                matches!(
                    u.standing,
                    crate::report::status::Standing::Abandoned
                        | crate::report::status::Standing::RecordMissing
                ) && !closed.contains(&(trainee_slug(&u.trainee), u.started_at))
            })
            .map(|u| escape_for_terminal(&u.trainee))
            .collect();
    for name in &left {
        out.push_str(&format!(
            "{}\n",
            cx.out.say(&msg!(CloseUnreachable, name.as_str()))
        ));
    }
    out.push_str(&format!(
        "{}\n",
        cx.out
            .say(&msg!(CloseSummary, closed.len(), left.len() + failed))
    ));
    cx.out.print_out(&out);
    if left.is_empty() && failed == 0 {
        OK
    } else {
        PROBLEMS
    }
}
