//! Paced play over SSH (`serve --paced`): the game ([`crate::quiz::paced::Paced`]) is shared
//! by every session behind one lock; the instructor's console moves it on, and each session's
//! thread shows its trainee's view of it. The game itself is the core's: this module only
//! carries keys in, frames out, and the records at the end.

use super::Ctx;
use super::msg::{Control, Input};
use crate::quiz::Millis;
use crate::quiz::paced::{Paced, Phase, View};
use crate::text::{Digits, Lang};
use crate::tui::host::now_ms;
use crate::tui::keymap::{self, Action, Context, Situation};
use crate::tui::paced::{Screen, draw, paragraphs};
use crate::tui::ui::Display;
use crossterm::event::Event;
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// The game, locked (a poisoned lock is taken over: the game's state is consistent after
/// every step, which never panics on input).
fn game(ctx: &Ctx) -> Option<std::sync::MutexGuard<'_, Paced>> {
    ctx.paced
        .as_ref()
        .map(|m| m.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// Apply the game's clock at `now` (whoever notices first); wake every session when the phase
/// changed.
pub fn tick(ctx: &Ctx, now: Millis) {
    let changed = game(ctx).is_some_and(|mut g| g.tick(now));
    if changed {
        ctx.class.broadcast(Control::Paced);
    }
}

/// The instructor's key: open the next question, close the open one, or end on the podium.
/// At the podium every attempt is recorded. Returns a line for the console.
#[must_use]
pub fn advance(ctx: &Ctx) -> String {
    let now = now_ms();
    let Some(mut g) = game(ctx) else {
        return String::new();
    };
    let phase = g.advance(now);
    let line = match phase {
        Phase::Open { q, .. } => format!("Question {} of {} is open.", q + 1, g.len()),
        Phase::Closed { q } => format!("Question {} closed: answers shown.", q + 1),
        Phase::Podium => {
            let mut ok = 0;
            let mut failed = Vec::new();
            for p in &g.players {
                match super::control::commit(ctx, &p.session, now) {
                    Ok(_) => ok += 1,
                    Err(e) => failed.push(format!("{}: {e}", p.name)),
                }
            }
            let mut s = format!("The end: {ok} attempts recorded.");
            if !failed.is_empty() {
                s.push_str(&format!(
                    " Not recorded (kept in the pending folder): {}",
                    failed.join("; ")
                ));
            }
            s
        }
        Phase::Lobby => String::new(),
    };
    drop(g);
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
        // Wake at the countdown's next second; with no countdown, only for a key or the
        // instructor (the idle check comes from the connection's keepalives).
        let wait = match view {
            View::Open { left, .. } if left > 0 => {
                let ms = match left % 1000 {
                    0 => 1000,
                    r => r,
                };
                Duration::from_millis(u64::try_from(ms).unwrap_or(1000))
            }
            _ => Duration::from_hours(1),
        };
        drop(g);
        match input.recv_timeout(wait) {
            Ok(Input::Event(Event::Key(k))) => {
                let s = Situation {
                    context: Context::Choosing,
                    lang,
                    labels: lang,
                    choices,
                };
                match keymap::action(&k, &s) {
                    Some(Action::Answer(pos)) => {
                        let now = now_ms();
                        let closed = game(ctx).is_some_and(|mut g| {
                            g.answer(player, pos, now) && matches!(g.phase(), Phase::Closed { .. })
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
