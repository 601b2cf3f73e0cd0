//! One trainee's session: a thread that runs the screens on the events its connection sends
//! and draws frames back to it. Records and autosaves are written by the server, here.

use super::Ctx;
use super::class::Place;
use super::sink::{ChannelWriter, Out, PtySize, SshBackend};
use crate::quiz::Millis;
use crate::record::AttemptRecord;
use crate::tui::app::{App, Effect, Prefs, SaveStatus, Screen};
use crate::tui::bidi::BidiMode;
use crate::tui::run::{now_ms, wait_for};
use crate::tui::ui::{self, Display, Theme};
use crossterm::event::Event;
use ratatui::Terminal;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// What the connection sends to its session.
#[derive(Debug)]
pub enum Input {
    /// A key, a paste or a window change.
    Event(Event),
    /// The connection closed.
    Closed,
}

/// A session's ends of its connection.
pub struct SessionIo {
    /// Events from the connection.
    pub input: Receiver<Input>,
    /// Frames to the connection.
    pub output: tokio::sync::mpsc::Sender<Out>,
    /// The client's terminal size.
    pub size: PtySize,
    /// TERM from the pty request.
    pub term: String,
    /// LANG, LC_* and the like, as the client sent them.
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

/// The interface language a client's LANG asks for (Arabic for `ar*`, else English).
#[must_use]
pub fn lang_for(env: &[(String, String)]) -> crate::text::Lang {
    let ar = env
        .iter()
        .any(|(n, v)| (n == "LC_ALL" || n == "LC_MESSAGES" || n == "LANG") && v.starts_with("ar"));
    if ar {
        crate::text::Lang::Ar
    } else {
        crate::text::Lang::En
    }
}

/// Run a session until the trainee leaves, the connection closes or stays idle too long, or
/// the instructor ends the exam. The attempt is saved before the session ends, whatever the
/// reason.
pub fn run(ctx: &Ctx, io: SessionIo, place: Place) {
    let (family, display) = display_for(&io.term, &io.env);
    let mut writer = ChannelWriter::new(io.output);
    if crate::tui::terminal::enter_on(&mut writer, family, display.mode).is_err() {
        return;
    }
    let Ok(mut terminal) = Terminal::new(SshBackend::new(writer, io.size)) else {
        return;
    };
    let mut app = App::new(
        std::sync::Arc::clone(&ctx.lib),
        ctx.exams.clone(),
        &Prefs::default(),
        lang_for(&io.env),
        ctx.autosaves.clone(),
    );
    if let [only] = ctx.exams.as_slice() {
        app.fixed_exam = Some(only.clone());
        app.home.exam = 1;
        app.home.trainee_only = true;
    }
    let mut last_key = Instant::now();
    let mut status = 0;
    loop {
        let now = now_ms();
        if terminal.draw(|f| ui::draw(f, &app, display, now)).is_err() {
            break;
        }
        let wait = wait_for(&app, now_ms()).min(Duration::from_secs(1));
        let effects = match io.input.recv_timeout(wait) {
            Ok(Input::Event(Event::Key(k))) => {
                last_key = Instant::now();
                app.handle_key(k, now_ms())
            }
            Ok(Input::Event(Event::Resize(..))) => {
                let _ = terminal.autoresize();
                Vec::new()
            }
            Ok(Input::Event(_)) => Vec::new(),
            Ok(Input::Closed) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => app.tick(now_ms()),
        };
        if execute(ctx, &mut app, &effects, now_ms()) {
            break;
        }
        publish(ctx, place.id, &app);
        if last_key.elapsed() >= ctx.idle {
            status = 2;
            break;
        }
    }
    // Whatever ended the session, the attempt in progress is on disk.
    let _ = execute(ctx, &mut app, &[Effect::Autosave], now_ms());
    let writer = terminal.backend_mut().writer_mut();
    let exit = crate::tui::terminal::exit_sequence(family, display.mode);
    let _ = crate::tui::terminal::leave_on(writer, exit);
    if status == 2 {
        let _ = std::io::Write::write_all(
            writer,
            b"tipquiz: closed after a long time without a key; your answers are saved. Connect again to go on.\r\n",
        );
    }
    writer.close(status);
}

/// Carry out the effects of an update on the server. Returns `true` when the session should end.
fn execute(ctx: &Ctx, app: &mut App, effects: &[Effect], now: Millis) -> bool {
    let mut quit = false;
    for e in effects {
        match e {
            Effect::Autosave => {
                if let Some(s) = &app.session
                    && !s.is_finished()
                    && let Err(e) = ctx.autosaves.autosave(&s.state)
                {
                    app.message = Some(e.message().render(s.state.lang));
                }
            }
            Effect::Commit => {
                if let Some(s) = &app.session {
                    app.save = match commit(ctx, s, now) {
                        Ok(p) => SaveStatus::Saved(p),
                        Err(e) => SaveStatus::Failed(e),
                    };
                }
            }
            // Choices are not remembered for trainees on the server.
            Effect::SavePrefs => {}
            Effect::Quit => quit = true,
        }
    }
    quit
}

/// Record a finished attempt, signed with the server's key, and drop its autosave. Shows the
/// trainee only the record's file name, never the server's folders.
fn commit(ctx: &Ctx, s: &crate::quiz::Session, now: Millis) -> Result<String, String> {
    let mut rec =
        AttemptRecord::from_session(s, &crate::record::attempt_id(&s.state), now, &ctx.program);
    rec.seal(Some(&ctx.record_key));
    match ctx.results.commit(&rec) {
        Ok(p) => {
            let _ = ctx
                .autosaves
                .remove_autosave(&s.state.exam.id, &s.state.trainee);
            Ok(p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default())
        }
        // The autosave stays: the server retries at its next start (and `end`).
        Err(e) => Err(e.message().render(s.state.lang)),
    }
}

/// Tell the console how far this session is.
fn publish(ctx: &Ctx, id: u64, app: &App) {
    ctx.class.update(id, |seat| {
        match &app.session {
            Some(s) => {
                seat.trainee.clone_from(&s.state.trainee);
                seat.exam.clone_from(&s.state.exam.id);
                seat.total = s.len();
                seat.answered = s.len() - s.unanswered().len();
                seat.flagged = s.flagged().len();
                seat.deadline = s.state.deadline;
                seat.finished = s.is_finished();
                seat.recorded = matches!(app.save, SaveStatus::Saved(_));
            }
            None => {
                seat.trainee = app.home.trainee.trim().to_owned();
            }
        }
        if matches!(app.screen, Screen::Home) && app.session.is_none() {
            seat.exam.clear();
        }
    });
}
