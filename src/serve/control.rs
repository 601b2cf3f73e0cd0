//! What the instructor does to attempts: more time, the end of the exam, and writing the
//! records. The same rules apply to attempts on screen (in a session) and to attempts of
//! trainees who are not connected (only their autosave is on disk).

use super::Ctx;
use crate::quiz::{Millis, Session, Status};
use crate::text::Lang;

/// Finish a running attempt at `now`, as if its time had run out ([`Session::end_now`], then
/// the clock). Returns whether it was running.
pub fn end_now(s: &mut Session, now: Millis) -> bool {
    let running = s.end_now(now);
    if running {
        let _ = s.tick(now);
    }
    running
}

/// Record a finished attempt in the results folder, signed with the server's key, and remove
/// its autosave. Returns the record's file name (what a trainee may see: never the folder).
///
/// # Errors
/// Why it could not be written, in `lang` (the console's); the attempt is then kept in the
/// pending folder, and written when the server starts again.
pub fn commit(ctx: &Ctx, s: &Session, now: Millis, lang: Lang) -> Result<String, String> {
    crate::tui::host::commit_attempt_saying(&ctx.places, s, now, lang).map(|p| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    })
}

/// Whether (trainee, exam) is on screen in a session now.
fn is_live(live: &[(String, String)], trainee: &str, exam: &str) -> bool {
    let key = crate::record::trainee_slug(trainee);
    live.iter()
        .any(|(t, e)| e == exam && crate::record::trainee_slug(t) == key)
}

/// Give more time to the saved attempts of trainees who are not connected (`trainee`: only
/// that one). Connected trainees get it through their session. Returns how many changed.
pub fn extend_saved(
    ctx: &Ctx,
    trainee: Option<&str>,
    ms: Millis,
    live: &[(String, String)],
) -> usize {
    let mut n = 0;
    for (_, a) in ctx.places.autosaves.all_autosaves() {
        if !matches!(a.status, Status::Running)
            || is_live(live, &a.trainee, &a.exam.id)
            || trainee.is_some_and(|t| {
                crate::record::trainee_slug(t) != crate::record::trainee_slug(&a.trainee)
            })
        {
            continue;
        }
        let Ok(mut s) = Session::resume(a, &ctx.lib) else {
            continue;
        };
        if s.extend(ms) && ctx.places.autosaves.autosave(&s.state).is_ok() {
            n += 1;
        }
    }
    n
}

/// End the saved attempts of trainees who are not connected, as timed out at `now` (or at
/// their deadline, if it passed), and record them. Returns the names recorded and the failures
/// (which keep their autosave), said in `lang` (the console's).
pub fn end_saved(
    ctx: &Ctx,
    now: Millis,
    live: &[(String, String)],
    lang: Lang,
) -> (Vec<String>, Vec<String>) {
    let mut done = Vec::new();
    let mut failed = Vec::new();
    for (path, a) in ctx.places.autosaves.all_autosaves() {
        if is_live(live, &a.trainee, &a.exam.id) {
            continue;
        }
        let name = a.trainee.clone();
        match Session::resume(a, &ctx.lib) {
            Ok(mut s) => {
                end_now(&mut s, now);
                match commit(ctx, &s, now, lang) {
                    Ok(_) => done.push(name),
                    Err(e) => failed.push(crate::msg!(WhoWhy, name, e).render(lang)),
                }
            }
            Err(e) => failed
                .push(crate::msg!(WhoWhy, path.display().to_string(), e.message()).render(lang)),
        }
    }
    (done, failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn an_attempt_not_recorded_at_the_end_is_said_in_the_consoles_language() {
        let dir = tempfile::tempdir().unwrap();
        let banks = crate::bank::SHIPPED_BANKS
            .iter()
            .map(|(n, t)| crate::bank::parse_bank(n, t).0.unwrap())
            .collect();
        let lib = crate::bank::Library::build(banks).0;
        let exam = crate::exam::ExamDef::quick(&[], 3, Some(600), crate::exam::Mode::Exam);
        // The results folder is not there: the attempt cannot be recorded.
        let results = dir.path().join("gone");
        let opts = super::super::Options::for_test(dir.path(), &results);
        let (ctx, _) = super::super::prepare(&opts, Arc::new(lib), vec![exam.clone()]).unwrap();
        // An English-speaking trainee, away; the console speaks Arabic.
        let s = Session::start(&exam, &ctx.lib, "Salem", 7, Lang::En, 1_000).unwrap();
        ctx.places.autosaves.autosave(&s.state).unwrap();
        let (done, failed) = end_saved(&ctx, 5_000, &[], Lang::Ar);
        assert!(done.is_empty());
        assert_eq!(failed.len(), 1, "{failed:?}");
        let why = crate::msg!(ResultsFolderMissing, results.display().to_string());
        let want = crate::msg!(WhoWhy, "Salem", why);
        assert_eq!(failed[0], want.render(Lang::Ar));
        assert_ne!(failed[0], want.render(Lang::En));
    }
}
