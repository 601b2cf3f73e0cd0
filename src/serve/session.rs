//! One trainee's session: a thread that runs the screens on the events its connection sends
//! and draws frames back to it. Records and autosaves are written by the server, here, and the
//! instructor's switches (joins locked, more time, the end of the exam) are applied between
//! events.

use super::Ctx;
use super::class::Place;
use super::msg::{Control, Input};
use super::sink::{ChannelWriter, Out, PtySize, SshBackend};
use crate::quiz::Millis;
use crate::text::Lang;
use crate::tui::app::{App, Effect, Input as AppInput, Overlay, Prefs, SaveStatus};
use crate::tui::bidi::BidiMode;
use crate::tui::front::{EventSource, SessionOptions, run_screens};
use crate::tui::host::{Host, now_ms};
use crate::tui::ui::{Display, Theme};
use crossterm::event::Event;
use ratatui::Terminal;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

/// A session's ends of its connection.
pub struct SessionIo {
    /// Events from the connection and controls from the console.
    pub input: Receiver<Input>,
    /// The sending end of `input`, for the console.
    pub wake: SyncSender<Input>,
    /// Frames to the connection.
    pub output: tokio::sync::mpsc::Sender<Out>,
    /// The client's terminal size.
    pub size: PtySize,
    /// TERM from the pty request.
    pub term: String,
    /// LANG, `LC_*` and the like, as the client sent them.
    pub env: Vec<(String, String)>,
}

/// How to show right-to-left text on a client's terminal, from what its pty request and
/// environment say (the same rule as for the local terminal: reorder here unless the terminal
/// is one that reorders by itself and cannot be told not to).
#[must_use]
pub fn display_for(
    term: &str,
    env: &[(String, String)],
) -> (crate::tui::terminal::Family, Display) {
    let get = |k: &str| -> Option<String> {
        if k == "TERM" {
            return Some(term.to_owned());
        }
        env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    };
    let family = crate::tui::terminal::detect_family(&get);
    let mode = crate::tui::terminal::detect_bidi(&get);
    let display = Display {
        mode,
        shaping: mode == BidiMode::Reorder,
        theme: Theme { color: true },
    };
    (family, display)
}

/// The interface language a client's environment asks for, by the one rule of the program
/// ([`crate::messages::cli_lang`]: `TIPQUIZ_LANG`, else the locale, else English).
#[must_use]
pub fn lang_for(env: &[(String, String)]) -> Lang {
    crate::messages::cli_lang(None, &|k| {
        env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    })
}

/// Why a session ended, for the line written to the trainee's terminal as it closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    /// The trainee quit, or the connection went.
    Left,
    /// No key for the idle timeout.
    Idle,
    /// The same attempt was taken up on another connection.
    Replaced,
    /// The server is stopping.
    Shutdown,
}

/// What the trainee's screen says as the session closes (nothing when the trainee left).
fn farewell(end: End, lang: Lang) -> Option<&'static str> {
    let t = crate::messages::ui(lang);
    match end {
        End::Left => None,
        End::Idle => Some(t.closed_idle),
        End::Replaced => Some(t.closed_replaced),
        End::Shutdown => Some(t.closed_shutdown),
    }
}

/// The end of the screens' loop. Why it ended is kept in [`SshSource::end`], and what the
/// trainee is told comes from the catalogue ([`farewell`]): the error carries a kind, no words.
fn ended(kind: std::io::ErrorKind) -> std::io::Error {
    std::io::Error::from(kind)
}

/// The events of one connection, as the screens' loop takes them, and the server's say
/// between them (see [`EventSource::steer`]).
struct SshSource<'a> {
    ctx: &'a Ctx,
    id: u64,
    input: Receiver<Input>,
    /// A writer on the channel, for the bidi switch sequences.
    writer: ChannelWriter,
    family: crate::tui::terminal::Family,
    mode: BidiMode,
    last_key: Instant,
    /// When the last key arrived (for telling a new attempt from a resumed one).
    key_at: Millis,
    /// The attempt on screen after the previous turn.
    before: Option<(String, String, Millis)>,
    /// A control received and not yet applied.
    control: Option<Control>,
    /// Why the session is ending, once it is.
    end: End,
    /// The display check was offered (once, the first time Arabic is chosen).
    checked_display: bool,
    /// Paced play: the trainee joined the game as this player, with this name.
    player: Option<(usize, String)>,
}

impl EventSource for SshSource<'_> {
    fn next_event(&mut self, timeout: Option<Duration>) -> std::io::Result<Option<Event>> {
        if self.player.is_some() {
            // The home screen is done: the game takes over.
            return Err(ended(std::io::ErrorKind::Other));
        }
        // Wake for the countdown's next second, or else only for the idle timeout: a session
        // with no clock on screen costs nothing until a key, a control or the timeout comes.
        let Some(idle_left) = self.ctx.idle.checked_sub(self.last_key.elapsed()) else {
            self.end = End::Idle;
            return Err(ended(std::io::ErrorKind::TimedOut));
        };
        let wait = timeout.map_or(idle_left, |t| t.min(idle_left)) + Duration::from_millis(1);
        match self.input.recv_timeout(wait) {
            Ok(Input::Event(e)) => {
                if matches!(e, Event::Key(_)) {
                    self.last_key = Instant::now();
                    self.key_at = now_ms();
                }
                Ok(Some(e))
            }
            Ok(Input::Control(Control::Replaced)) => {
                self.end = End::Replaced;
                Err(ended(std::io::ErrorKind::Other))
            }
            Ok(Input::Control(Control::Shutdown)) => {
                self.end = End::Shutdown;
                Err(ended(std::io::ErrorKind::Other))
            }
            Ok(Input::Control(c)) => {
                self.control = Some(c);
                Ok(None)
            }
            Ok(Input::Closed) | Err(RecvTimeoutError::Disconnected) => {
                Err(ended(std::io::ErrorKind::UnexpectedEof))
            }
            Err(RecvTimeoutError::Timeout) => Ok(None),
        }
    }

    fn set_bidi(&mut self, mode: BidiMode) -> std::io::Result<()> {
        use std::io::Write as _;
        let out = crate::tui::terminal::exit_sequence(self.family, self.mode).to_owned()
            + crate::tui::terminal::start_sequence(self.family, mode);
        self.mode = mode;
        self.writer.write_all(out.as_bytes())?;
        self.writer.flush()
    }

    fn steer(&mut self, app: &mut App, effects: &mut Vec<Effect>, now: Millis) {
        use std::sync::atomic::Ordering;
        if let Some(Control::Extend(ms)) = self.control.take() {
            effects.extend(app.update(AppInput::Extend(ms), now));
        }
        let before = self.before.take();
        if self.ctx.paced.is_some() {
            self.player = join_game(self.ctx, self.id, app, effects, now);
            return;
        }
        admit(
            self.ctx,
            self.id,
            app,
            before.as_ref(),
            self.key_at,
            effects,
            now,
        );
        if self.ctx.class.ended.load(Ordering::SeqCst) {
            effects.extend(app.update(AppInput::EndNow, now));
        }
        // Arabic chosen for the first time on the home screen: ask whether it reads correctly
        // (the terminal is known only by its TERM, which does not say whether it reorders by
        // itself). A client that asked for Arabic from the start was asked before its first key.
        if !self.checked_display
            && app.lang == Lang::Ar
            && app.session().is_none()
            && matches!(app.overlay, Overlay::None)
        {
            self.checked_display = true;
            effects.extend(app.update(AppInput::Calibrate, now));
        }
        self.before = attempt_of(app);
        publish(self.ctx, self.id, app);
    }
}

/// Run a session until the trainee leaves, the connection closes or stays idle too long, or
/// the instructor ends it. The attempt is saved before the session ends, whatever the reason.
pub fn run(ctx: &Ctx, io: SessionIo, place: Place) {
    ctx.class.register(place.id, io.wake);
    let (family, display) = display_for(&io.term, &io.env);
    let mut writer = ChannelWriter::new(io.output);
    if crate::tui::terminal::enter_on(&mut writer, family, display.mode).is_err() {
        return;
    }
    let Ok(mut terminal) = Terminal::new(SshBackend::new(writer.clone(), io.size)) else {
        return;
    };
    let lang = lang_for(&io.env);
    let fixed = match ctx.exams.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    };
    let mut app = App::for_session(
        std::sync::Arc::clone(&ctx.lib),
        SessionOptions {
            lang,
            display,
            exams: ctx.exams.clone(),
            fixed_exam: fixed,
            trainee: None,
            prefs: Prefs::default(),
            autosaves: ctx.places.autosaves.clone(),
            quit_after: false,
            class_units: ctx.class_units.clone(),
        },
    );
    // A client that asks for Arabic from the start (TIPQUIZ_LANG=ar or an Arabic locale sent
    // with the connection) sees the display check before anything else: a name typed at once
    // then goes into the form whole, not into the check.
    let checked_display = app.lang == Lang::Ar;
    if checked_display {
        let _ = app.update(AppInput::Calibrate, now_ms());
    }
    let mut host = Host::new(ctx.places.clone()).with_saver(ctx.saver.clone());
    host.remember_prefs = false;
    host.names_only = true;
    let mut source = SshSource {
        ctx,
        id: place.id,
        input: io.input,
        writer,
        family,
        mode: display.mode,
        last_key: Instant::now(),
        key_at: now_ms(),
        before: None,
        control: None,
        end: End::Left,
        checked_display,
        player: None,
    };
    let _ = run_screens(&mut app, &mut source, &mut terminal, &mut host);
    if let Some((player, name)) = source.player.take() {
        let _ = terminal.clear();
        let how = (name.as_str(), app.lang, app.digits, app.display);
        source.end =
            match super::paced::play(ctx, place.id, &source.input, &mut terminal, player, how) {
                super::paced::Left::Left => End::Left,
                super::paced::Left::Shutdown => End::Shutdown,
                super::paced::Left::Replaced => End::Replaced,
                super::paced::Left::Idle => End::Idle,
            };
    }
    let end = source.end;
    let mode = source.mode;
    let lang = app.lang;
    let mut writer = source.writer;
    let exit = crate::tui::terminal::exit_sequence(family, mode);
    let _ = crate::tui::terminal::leave_on(&mut writer, exit);
    if let Some(words) = farewell(end, lang) {
        let text = if lang == Lang::Ar && mode == BidiMode::Reorder {
            let width = usize::from(terminal.size().map_or(80, |s| s.width));
            crate::tui::bidi::visual_text(words, width, display.shaping)
        } else {
            words.to_owned()
        };
        let _ = std::io::Write::write_all(&mut writer, format!("{text}\r\n").as_bytes());
    }
    writer.close(u32::from(end != End::Left));
}

/// The attempt on screen: trainee, exam and start.
fn attempt_of(app: &App) -> Option<(String, String, Millis)> {
    app.session().map(|s| {
        (
            s.state.trainee.clone(),
            s.state.exam.id.clone(),
            s.state.started_at,
        )
    })
}

/// Go back to the home screen without the attempt that was just started or resumed (nothing
/// of it is saved by this session, not even its start marker), saying why.
fn refuse_attempt(app: &mut App, effects: &mut Vec<Effect>, why: String, now: Millis) {
    effects.retain(|e| !matches!(e, Effect::Started | Effect::Autosave | Effect::Commit));
    effects.extend(app.update(AppInput::Refused(why), now));
}

/// Check an attempt that this turn started or resumed against the instructor's switches and
/// the other sessions: after the end of the exam, nothing starts; with joins locked, only
/// attempts already begun may be resumed; an attempt open on another connection is closed
/// there first (its last answers saved), and the trainee presses Enter again to go on here.
fn admit(
    ctx: &Ctx,
    id: u64,
    app: &mut App,
    before: Option<&(String, String, Millis)>,
    key_at: Millis,
    effects: &mut Vec<Effect>,
    now: Millis,
) {
    use std::sync::atomic::Ordering;
    let Some(after) = attempt_of(app) else { return };
    if before == Some(&after) || app.session().is_some_and(crate::quiz::Session::is_finished) {
        return;
    }
    let (trainee, exam, started_at) = after;
    let t = crate::messages::ui(app.lang);
    if ctx.class.ended.load(Ordering::SeqCst) {
        refuse_attempt(app, effects, t.exam_ended.to_owned(), now);
        return;
    }
    if ctx.class.locked.load(Ordering::SeqCst) && started_at >= key_at {
        refuse_attempt(app, effects, t.joins_closed.to_owned(), now);
        return;
    }
    let others = ctx.class.others_with(id, &trainee, &exam);
    if !others.is_empty() {
        for o in others {
            ctx.class.send(o, Control::Replaced);
        }
        refuse_attempt(app, effects, t.taken_over.to_owned(), now);
        // The form keeps the name, so Enter starts (resumes) it again.
    }
}

/// Paced play: the home screen started an attempt (the trainee typed a name and pressed
/// Enter); the trainee joins the game with that name instead, and the attempt the home screen
/// made is dropped (the game holds every trainee's attempt). With joins locked only trainees
/// already in the game come back. Returns the player.
fn join_game(
    ctx: &Ctx,
    id: u64,
    app: &mut App,
    effects: &mut Vec<Effect>,
    now: Millis,
) -> Option<(usize, String)> {
    use std::sync::atomic::Ordering;
    let s = app.session()?;
    let name = s.state.trainee.clone();
    let exam = s.state.exam.id.clone();
    let lang = app.lang;
    let joined = ctx.paced.as_ref().map(|m| {
        let mut g = m.lock();
        let key = crate::record::trainee_slug(&name);
        let known = g
            .players
            .iter()
            .any(|p| crate::record::trainee_slug(&p.name) == key);
        if ctx.class.locked.load(Ordering::SeqCst) && !known {
            return Err(None);
        }
        let before = g.players.len();
        let joined = g.join(&ctx.lib, &name, lang, now_ms()).map_err(Some);
        // A trainee new to the game starts an attempt: its start marker goes into the results
        // folder as for any attempt (a failure to write it does not stop the game).
        if let Ok(i) = joined
            && g.players.len() > before
        {
            let _ = crate::tui::host::mark_started(&ctx.places, &g.players[i].session);
            super::paced::save(ctx, g);
        }
        joined
    });
    // Refused: back to the home screen, with the reason in the trainee's language.
    let refuse = |app: &mut App, effects: &mut Vec<Effect>, why: String| {
        refuse_attempt(app, effects, why, now);
    };
    let words = crate::messages::paced(lang);
    match joined? {
        Ok(player) => {
            for o in ctx.class.others_with(id, &name, &exam) {
                ctx.class.send(o, Control::Replaced);
            }
            effects.retain(|e| !matches!(e, Effect::Autosave | Effect::Commit | Effect::Started));
            effects.extend(app.update(AppInput::HandedOver, now));
            // The others' screens count the trainees in the game.
            ctx.class.broadcast(Control::Paced);
            Some((player, name))
        }
        Err(None) => {
            refuse(app, effects, words.closed.to_owned());
            None
        }
        Err(Some(crate::quiz::paced::PacedError::Over)) => {
            refuse(app, effects, words.over.to_owned());
            None
        }
        Err(Some(e)) => {
            refuse(app, effects, e.to_string());
            None
        }
    }
}

/// Tell the console how far this session is.
fn publish(ctx: &Ctx, id: u64, app: &App) {
    ctx.class.update(id, |seat| match app.session() {
        Some(s) => {
            seat.trainee.clone_from(&s.state.trainee);
            seat.exam.clone_from(&s.state.exam.id);
            seat.total = s.len();
            seat.answered = s.len() - s.unanswered().len();
            seat.flagged = s.flagged().len();
            seat.deadline = s.state.deadline;
            seat.finished = s.is_finished();
            seat.recorded = matches!(app.save_status(), Some(SaveStatus::Saved(_)));
            seat.record_failed = matches!(app.save_status(), Some(SaveStatus::Failed(..)));
        }
        None => {
            seat.trainee = app.form().trainee.trim().to_owned();
            seat.exam.clear();
            seat.finished = false;
            seat.recorded = false;
            seat.record_failed = false;
        }
    });
}
