//! Paced play over SSH (`serve --paced`): the game ([`crate::quiz::paced::Paced`]) is shared
//! by every session behind one lock; the instructor's console moves it on, and each session's
//! thread shows its trainee's view of it. The game itself is the core's: this module only
//! carries keys in, frames out, and the records at the end.

use super::Ctx;
use super::msg::{Control, Input};
use crate::quiz::Millis;
use crate::quiz::paced::{Paced, Phase, SavedGame, View};
use crate::text::{Digits, Lang};
use crate::tui::host::now_ms;
use crate::tui::keymap::{self, Action, Context, Situation};
use crate::tui::paced::{Screen, draw, paragraphs};
use crate::tui::ui::Display;
use crossterm::event::Event;
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The file a game is saved in, in the server's folder.
pub const GAME_FILE: &str = "paced-game.json";

/// The game of a paced server and the file it is saved in after every change (through the
/// store's atomic write, as autosaves are), so that a server stopped or killed in the middle
/// of a game takes it up again at its next start.
#[derive(Debug)]
pub struct Game {
    state: Mutex<Paced>,
    file: PathBuf,
    /// Changes made (taken under the game's lock, so that their order is the game's).
    changes: AtomicU64,
    /// The last change written, and the lock that keeps writes in order.
    written: Mutex<u64>,
    /// The newest state not written yet, with its change number.
    newest: Mutex<Option<(u64, Vec<u8>)>>,
    /// Writes of the file so far.
    writes: AtomicU64,
    /// Why the last save failed, for the console (cleared by the next save that works).
    pub failure: Mutex<Option<String>>,
}

/// A lock of the game's saving, taken over when poisoned (what it guards is a number or a
/// finished state, whole after every step).
fn taken<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Game {
    /// The game `game`, saved in `dir`.
    #[must_use]
    pub fn new(game: Paced, dir: &Path) -> Game {
        Game {
            state: Mutex::new(game),
            file: dir.join(GAME_FILE),
            changes: AtomicU64::new(0),
            written: Mutex::new(0),
            newest: Mutex::new(None),
            writes: AtomicU64::new(0),
            failure: Mutex::new(None),
        }
    }

    /// The game, locked (a poisoned lock is taken over: the game's state is consistent after
    /// every step, which never panics on input).
    pub fn lock(&self) -> MutexGuard<'_, Paced> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Save the game as `g` (the locked game, just changed) has it: the state is taken now,
    /// under the lock, and written once the lock is given back. An older state never
    /// overwrites a newer one. Saves that arrive together are written together: the state is
    /// left in a slot that keeps only the newest, and whoever holds the writing lock next writes
    /// that one (one atomic write and sync for the 40 answers of a class given in the same
    /// moment); a save returns once its state, or a newer one, is on the disk.
    ///
    /// # Errors
    /// The file could not be written, in words for the console.
    pub fn save(&self, g: MutexGuard<'_, Paced>) -> Result<(), String> {
        let n = self.changes.fetch_add(1, Ordering::SeqCst) + 1;
        let body = serde_json::to_vec(&g.saved()).map_err(|e| e.to_string());
        drop(g);
        let body = body?;
        {
            let mut newest = taken(&self.newest);
            if newest.as_ref().is_none_or(|(m, _)| *m < n) {
                *newest = Some((n, body));
            }
        }
        let mut written = taken(&self.written);
        if *written >= n {
            // Written by a save that came after this one, with this change in it.
            return Ok(());
        }
        let Some((m, body)) = taken(&self.newest).take() else {
            // Taken by a write that failed: say the failure it left.
            return Err(taken(&self.failure).clone().unwrap_or_default());
        };
        let dir = self.file.parent().unwrap_or(Path::new("."));
        self.writes.fetch_add(1, Ordering::SeqCst);
        let r =
            crate::record::write_atomic(dir, &self.file, &body, true).map_err(|e| e.to_string());
        if let Ok(mut f) = self.failure.lock() {
            f.clone_from(&r.as_ref().err().cloned());
        }
        if r.is_err() {
            // Left for the next save to try again, unless a newer state came meanwhile.
            let mut newest = taken(&self.newest);
            if newest.as_ref().is_none_or(|(k, _)| *k < m) {
                *newest = Some((m, body));
            }
        }
        r?;
        *written = m;
        Ok(())
    }

    /// How many times the game's file was written (every save that was not written with
    /// another's).
    #[must_use]
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::SeqCst)
    }

    /// Save the game as `g` has it now, holding the game's lock while the file is written (at
    /// the podium, before its records: nothing changes the game afterwards).
    ///
    /// # Errors
    /// The file could not be written, in words for the console.
    pub fn save_now(&self, g: &Paced) -> Result<(), String> {
        let n = self.changes.fetch_add(1, Ordering::SeqCst) + 1;
        let body = serde_json::to_vec(&g.saved()).map_err(|e| e.to_string())?;
        let mut written = self
            .written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let dir = self.file.parent().unwrap_or(Path::new("."));
        crate::record::write_atomic(dir, &self.file, &body, true).map_err(|e| e.to_string())?;
        *written = n;
        Ok(())
    }

    /// The game is over and every attempt recorded: the saved game is no longer needed.
    pub fn forget(&self) {
        let _w = self
            .written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.changes.store(u64::MAX / 2, Ordering::SeqCst);
        let _ = std::fs::remove_file(&self.file);
    }
}

/// What [`start_game`] found in the server's folder.
pub struct Started {
    /// The game to play.
    pub game: Game,
    /// A line for the instructor (the game taken up, or a saved game set aside), in the
    /// server's language.
    pub note: Option<String>,
    /// A saved game that had reached its podium: the server stopped while recording it (or
    /// before deleting its file). Its records that are missing are written at start
    /// ([`record_podium`]).
    pub podium: Option<Paced>,
}

/// The game to play at start: the saved one of `exam` in `dir` when there is one that is not
/// over, else a new one. A saved game that cannot be taken up (another exam, banks changed) is
/// moved aside, with a note for the console in `lang`.
///
/// # Errors
/// The new game cannot be made (see [`Paced::new`]).
pub fn start_game(
    exam: &crate::exam::ExamDef,
    lib: &crate::bank::Library,
    dir: &Path,
    (seed, now, lang): (u64, Millis, Lang),
) -> Result<Started, crate::quiz::paced::PacedError> {
    let t = crate::messages::console(lang);
    let file = dir.join(GAME_FILE);
    let mut note = None;
    let mut podium = None;
    if let Ok(body) = std::fs::read(&file) {
        let restored = serde_json::from_slice::<SavedGame>(&body)
            .map_err(|e| e.to_string())
            .and_then(|saved| Paced::restore(exam, lib, saved).map_err(|e| e.to_string()));
        match restored {
            Ok(g) if g.phase() != Phase::Podium => {
                let n = g.players.len();
                let at = match g.phase() {
                    Phase::Open { q, .. } | Phase::Closed { q } => crate::messages::fill(
                        t.game_at_question,
                        &[(q + 1).to_string(), g.len().to_string()],
                    ),
                    _ => t.game_not_started.to_owned(),
                };
                let note = crate::messages::fill(t.game_goes_on, &[n.to_string(), at]);
                let mut g = g;
                g.tick(now);
                return Ok(Started {
                    game: Game::new(g, dir),
                    note: Some(note),
                    podium: None,
                });
            }
            Ok(g) => podium = Some(g),
            Err(why) => {
                let aside = dir.join(format!("paced-game-{now}.json"));
                let _ = std::fs::rename(&file, &aside);
                note = Some(crate::messages::fill(
                    t.game_set_aside,
                    &[why, aside.display().to_string()],
                ));
            }
        }
    }
    Ok(Started {
        game: Game::new(Paced::new(exam, lib, seed)?, dir),
        note,
        podium,
    })
}

/// A saved game found at its podium when the server starts: the attempts not yet in the
/// results folder are recorded now (each once), and the saved game is deleted. Returns the
/// line for the instructor, in `lang`.
#[must_use]
pub fn record_podium(
    places: &crate::tui::host::Places,
    g: &Paced,
    dir: &Path,
    now: Millis,
    lang: Lang,
) -> String {
    let t = crate::messages::console(lang);
    let (written, there, failed) = record_missing(places, g, now, lang);
    let _ = std::fs::remove_file(dir.join(GAME_FILE));
    let mut s = crate::messages::fill(t.podium_recorded, &[written.to_string(), there.to_string()]);
    if !failed.is_empty() {
        s.push_str(&crate::messages::fill(
            t.not_recorded_pending,
            &[failed.join("; ")],
        ));
    }
    s
}

/// Record every trainee's attempt of a game at its podium that is not in the results folder
/// yet. Returns how many were written, how many were there already, and the failures (kept in
/// the pending folder, written at the next start), each "name: why" in `lang` (the console's,
/// whatever the trainee's).
fn record_missing(
    places: &crate::tui::host::Places,
    g: &Paced,
    now: Millis,
    lang: Lang,
) -> (usize, usize, Vec<String>) {
    let (mut written, mut there) = (0, 0);
    let mut failed = Vec::new();
    for p in &g.players {
        if crate::tui::host::is_recorded(places, &p.session) {
            there += 1;
            continue;
        }
        match crate::tui::host::commit_attempt_saying(places, &p.session, now, lang) {
            Ok(_) => written += 1,
            Err(e) => failed.push(
                crate::msg!(WhoWhy, crate::diag::escape_for_terminal(&p.name), e).render(lang),
            ),
        }
    }
    (written, there, failed)
}

/// The game, locked.
fn game(ctx: &Ctx) -> Option<MutexGuard<'_, Paced>> {
    ctx.paced.as_ref().map(Game::lock)
}

/// Save the game after a change (a failure is shown on the console, see [`Game::failure`];
/// the game goes on in memory).
pub fn save(ctx: &Ctx, g: MutexGuard<'_, Paced>) {
    if let Some(game) = &ctx.paced {
        let _ = game.save(g);
    }
}

/// Apply the game's clock at `now` (whoever notices first); wake every session when the phase
/// changed.
pub fn tick(ctx: &Ctx, now: Millis) {
    let Some(mut g) = game(ctx) else { return };
    if g.tick(now) {
        save(ctx, g);
        ctx.class.broadcast(Control::Paced);
    }
}

/// Record every trainee's attempt of a game that has just reached its podium; returns the
/// console's line. The game is saved at its podium first: a server stopped while these are
/// written finds it at its next start and writes the records that are missing
/// ([`record_podium`]); the saved game is deleted once they are written.
fn record_all(ctx: &Ctx, g: MutexGuard<'_, Paced>, now: Millis, lang: Lang) -> String {
    let t = crate::messages::console(lang);
    if let Some(game) = &ctx.paced
        && let Err(e) = game.save_now(&g)
    {
        // Not saved at the podium: the records are written all the same (a server stopped
        // now would take the game up at its last question).
        if let Ok(mut f) = game.failure.lock() {
            *f = Some(e);
        }
    }
    let (ok, _, failed) = record_missing(&ctx.places, &g, now, lang);
    drop(g);
    if ctx.stop_after_records {
        // The test hook: stop as a killed server would, between the records and the deletion
        // of the saved game.
        std::process::exit(STOPPED_FOR_TEST);
    }
    if let Some(game) = &ctx.paced {
        game.forget();
    }
    let mut s = crate::messages::fill(t.recorded_all, &[ok.to_string()]);
    if !failed.is_empty() {
        s.push_str(&crate::messages::fill(
            t.not_recorded_pending,
            &[failed.join("; ")],
        ));
    }
    s
}

/// The exit status of a server stopped by its test hook after writing a podium's records.
pub const STOPPED_FOR_TEST: i32 = 86;

/// The instructor ends the game now, whatever question it is on: the open question closes,
/// every trainee's attempt is handed in and recorded, and everybody sees the podium.
#[must_use]
pub fn end_game(ctx: &Ctx, lang: Lang) -> String {
    let now = now_ms();
    let Some(mut g) = game(ctx) else {
        return String::new();
    };
    if g.phase() == Phase::Podium {
        return crate::messages::console(lang).already_over.to_owned();
    }
    g.finish(now);
    let line = record_all(ctx, g, now, lang);
    ctx.class.broadcast(Control::Paced);
    line
}

/// The instructor's key: open the next question, close the open one, or end on the podium.
/// At the podium every attempt is recorded. Returns a line for the console, in `lang`.
#[must_use]
pub fn advance(ctx: &Ctx, lang: Lang) -> String {
    let t = crate::messages::console(lang);
    let now = now_ms();
    let Some(mut g) = game(ctx) else {
        return String::new();
    };
    let phase = g.advance(now);
    let line = match phase {
        Phase::Open { q, .. } => {
            crate::messages::fill(t.q_opened, &[(q + 1).to_string(), g.len().to_string()])
        }
        Phase::Closed { q } => crate::messages::fill(t.q_closed, &[(q + 1).to_string()]),
        Phase::Podium => String::new(),
        Phase::Lobby => String::new(),
    };
    let line = if phase == Phase::Podium {
        record_all(ctx, g, now, lang)
    } else {
        save(ctx, g);
        line
    };
    ctx.class.broadcast(Control::Paced);
    line
}

/// Why the trainee's loop ended.
pub enum Left {
    /// The trainee left, or the connection closed.
    Left,
    /// The server is stopping.
    Shutdown,
    /// The same trainee continues on another connection.
    Replaced,
    /// No key for the idle timeout (the trainee stays in the game, and is recorded at its end).
    Idle,
}

/// One trainee in the game: draw their view whenever what it shows changes, take their
/// answer keys, until they leave.
pub fn play<B: Backend>(
    ctx: &Ctx,
    seat: u64,
    input: &Receiver<Input>,
    terminal: &mut Terminal<B>,
    player: usize,
    (name, lang, digits, display): (&str, Lang, Digits, Display),
) -> Left {
    let mut shown: Option<Vec<crate::tui::paced::Para>> = None;
    // The idle timeout counts from the trainee's last key, or from the last question opened
    // (a trainee waiting for the instructor is not idle).
    let mut active = Instant::now();
    let mut asked = None;
    let left = loop {
        let now = now_ms();
        tick(ctx, now);
        let Some(g) = game(ctx) else {
            break Left::Left;
        };
        let Some(view) = g.view(player, now) else {
            break Left::Left;
        };
        let q = match view {
            View::Open { q, .. } | View::Closed { q, .. } => Some(q),
            _ => None,
        };
        if let View::Open { q, .. } = view
            && asked != Some(q)
        {
            asked = Some(q);
            active = Instant::now();
        }
        let Some(idle_left) = ctx.idle.checked_sub(active.elapsed()) else {
            break Left::Idle;
        };
        let p = &g.players[player];
        let question = q.and_then(|q| g.question(q));
        let screen = Screen {
            view: &view,
            question,
            len: g.len(),
            players: g.players.len(),
            name,
            lang,
            digits,
        };
        let paras = paragraphs(&screen);
        // Drawn again only when what it shows changed (the countdown's second, a reveal).
        if shown.as_ref() != Some(&paras) {
            if terminal.draw(|f| draw(f, &screen, display)).is_err() {
                break Left::Left;
            }
            shown = Some(paras);
        }
        let choices = question.map_or(0, |(q, _)| match &q.kind {
            crate::bank::Kind::Single { choices, .. } => choices.len(),
            _ => 2,
        });
        ctx.class.update(seat, |s| {
            s.trainee = name.to_owned();
            s.exam.clone_from(&g.exam().id);
            s.total = g.len();
            s.answered = p.session.len() - p.session.unanswered().len();
            s.deadline = g.deadline();
            s.finished = g.phase() == Phase::Podium;
            s.recorded = s.finished;
        });
        // Wake at the countdown's next second; with no countdown, only for a key, the
        // instructor or the idle timeout.
        let wait = match view {
            View::Open { left, .. } if left > 0 => {
                let ms = match left % 1000 {
                    0 => 1000,
                    r => r,
                };
                Duration::from_millis(u64::try_from(ms).unwrap_or(1000))
            }
            _ => idle_left + Duration::from_millis(1),
        }
        .min(idle_left + Duration::from_millis(1));
        drop(g);
        match input.recv_timeout(wait) {
            Ok(Input::Event(Event::Key(k))) => {
                active = Instant::now();
                let s = Situation {
                    context: Context::Choosing,
                    lang,
                    labels: lang,
                    choices,
                };
                match keymap::action(&k, &s) {
                    Some(Action::Answer(pos)) => {
                        let now = now_ms();
                        // The answer is saved before its screen is drawn.
                        let closed = game(ctx).is_some_and(|mut g| {
                            let taken = g.answer(player, pos, now);
                            let closed = matches!(g.phase(), Phase::Closed { .. });
                            if taken {
                                save(ctx, g);
                            }
                            taken && closed
                        });
                        if closed {
                            ctx.class.broadcast(Control::Paced);
                        }
                    }
                    Some(Action::QuitNow) => break Left::Left,
                    _ => {}
                }
            }
            Ok(Input::Event(Event::Resize(..))) => {
                if terminal.autoresize().is_err() {
                    break Left::Left;
                }
                let _ = terminal.clear();
                shown = None;
            }
            Ok(Input::Control(Control::Shutdown)) => break Left::Shutdown,
            Ok(Input::Control(Control::Replaced)) => break Left::Replaced,
            Ok(Input::Event(_) | Input::Control(_)) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Input::Closed) | Err(RecvTimeoutError::Disconnected) => break Left::Left,
        }
    };
    if let Some(mut g) = game(ctx) {
        g.leave(player);
    }
    left
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{Library, parse_bank};
    use crate::exam::{ExamDef, Mode};

    const T0: Millis = 1_800_000_000_000;

    fn lib() -> Library {
        let bank = r#"format = 1
id = "paced"
topic = "paced"
languages = ["en"]
title = "Paced"

[[question]]
id = "p-1"
type = "single"
difficulty = "easy"
prompt = "Which instrument defines trafficking in persons?"
choices = ["Rome Statute", "Hague Convention", "Palermo Protocol", "Vienna Convention"]
answer = "c"
explanation = "Article 3."
source = "Palermo Protocol, art. 3"
"#;
        let (b, d) = parse_bank("paced.toml", bank);
        assert!(d.is_empty(), "{d:?}");
        Library::build(vec![b.unwrap()]).0
    }

    #[test]
    fn forty_answers_given_together_are_written_in_one_save_and_each_waits_for_it() {
        let lib = lib();
        let mut exam = ExamDef::quick(&["paced".to_owned()], 1, Some(600), Mode::Exam);
        exam.question_time_limit = Some(20);
        let mut paced = Paced::new(&exam, &lib, 7).unwrap();
        for i in 0..40 {
            paced
                .join(&lib, &format!("Trainee {i:02}"), Lang::En, T0 + i)
                .unwrap();
        }
        assert!(matches!(paced.advance(T0 + 100), Phase::Open { q: 0, .. }));
        let dir = tempfile::tempdir().unwrap();
        let game = Game::new(paced, dir.path());
        // A write is under way (a slow disk): the class answers meanwhile.
        let busy = taken(&game.written);
        std::thread::scope(|s| {
            for i in 0..40_usize {
                let game = &game;
                s.spawn(move || {
                    let mut g = game.lock();
                    assert!(g.answer(i, i % 4, T0 + 1_000 + i64::try_from(i).unwrap()));
                    game.save(g).unwrap();
                });
            }
            // Every answer is in the slot of the state to write (the 40th change is the
            // newest), and every save waits for the disk.
            while taken(&game.newest).as_ref().is_none_or(|(n, _)| *n != 40) {
                std::thread::yield_now();
            }
            drop(busy);
        });
        // One write for the forty, and it holds every answer (read back from the file).
        assert_eq!(game.writes(), 1);
        let saved: SavedGame =
            serde_json::from_slice(&std::fs::read(dir.path().join(GAME_FILE)).unwrap()).unwrap();
        assert_eq!(saved, game.lock().saved());
        assert_eq!(saved.players.len(), 40);
        // A later answer is its own write.
        let mut g = game.lock();
        g.leave(0);
        game.save(g).unwrap();
        assert_eq!(game.writes(), 2);
    }

    #[test]
    fn a_podium_record_that_fails_is_said_in_the_consoles_language_not_the_trainees() {
        let dir = tempfile::tempdir().unwrap();
        let lib = lib();
        let mut exam = ExamDef::quick(&["paced".to_owned()], 1, Some(600), Mode::Exam);
        exam.question_time_limit = Some(20);
        // The results folder is not there: no attempt can be recorded.
        let results = dir.path().join("gone");
        let opts = super::super::Options::for_test(dir.path(), &results);
        let (ctx, _) =
            super::super::prepare(&opts, std::sync::Arc::new(self::lib()), vec![exam.clone()])
                .unwrap();
        let mut g = Paced::new(&exam, &lib, 3).unwrap();
        g.join(&lib, "Salem Haddad", Lang::En, T0).unwrap();
        g.advance(T0 + 10);
        assert!(g.answer(0, 2, T0 + 2_000));
        g.finish(T0 + 3_000);
        let line = record_podium(&ctx.places, &g, dir.path(), T0 + 3_000, Lang::Ar);
        let why = crate::msg!(ResultsFolderMissing, results.display().to_string());
        let said = |lang| crate::msg!(WhoWhy, "Salem Haddad", why.clone()).render(lang);
        assert!(line.contains(&said(Lang::Ar)), "{line}");
        assert!(!line.contains(&said(Lang::En)), "{line}");
    }
}
