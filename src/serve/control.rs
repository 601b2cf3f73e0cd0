//! What the instructor does to attempts: more time, the end of the exam, and writing the
//! records. The same rules apply to attempts on screen (in a session) and to attempts of
//! trainees who are not connected (only their autosave is on disk).

use super::Ctx;
use crate::quiz::{Millis, Session, Status};

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
/// Why it could not be written; the attempt is then kept in the pending folder, and written
/// when the server starts again.
pub fn commit(ctx: &Ctx, s: &Session, now: Millis) -> Result<String, String> {
    crate::tui::host::commit_attempt(&ctx.places, s, now).map(|p| {
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
/// (which keep their autosave).
pub fn end_saved(ctx: &Ctx, now: Millis, live: &[(String, String)]) -> (Vec<String>, Vec<String>) {
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
                match commit(ctx, &s, now) {
                    Ok(_) => done.push(name),
                    Err(e) => failed.push(format!("{name}: {e}")),
                }
            }
            Err(e) => failed.push(format!("{}: {e}", path.display())),
        }
    }
    (done, failed)
}
