//! The contract between the screens and any front that runs them: the local terminal
//! (the adapter in `run.rs`), an SSH channel (`tipquiz serve`), a test harness ([`Script`]).
//!
//! A front provides three things and gets one loop:
//!
//! - an [`EventSource`]: `next_event(timeout)` returns `Ok(Some(event))` (crossterm events:
//!   keys, pastes, `Resize(w, h)`), `Ok(None)` when the timeout passed with nothing, or an
//!   error. An error ends the loop after an autosave; a source that is closed (the trainee
//!   went away) says so with an error of kind [`std::io::ErrorKind::UnexpectedEof`].
//!   Two optional hooks do what only some fronts can: [`EventSource::suspend`] (Ctrl-Z) and
//!   [`EventSource::set_bidi`] (F2, who reorders right-to-left text).
//! - a frame sink: any ratatui [`Backend`] inside a [`Terminal`]. On `Resize(w, h)` the loop
//!   calls [`Terminal::autoresize`], so the backend's `size()` must already report the new
//!   size when that event is delivered (a pty size for SSH; a fixed size for a harness).
//! - a [`Host`] value: the folders, the autosave worker, the signing key
//!   ([`Places::key`](super::host::Places::key)) and the clock. Nothing is process-wide, so many sessions run in one process, each on its
//!   own thread with its own `App`, source, terminal and host (a
//!   [`Saver`](super::host::Saver) may be shared by cloning it).
//!
//! [`run_loop`] is the one loop, for anything that implements [`Screens`] (the trainee's
//! screens, the instructor's live board, the bank preview): draw (reading the state only),
//! wait for an event or the next deadline (never spinning), follow a window change, hand the
//! event to the screens, which turn a key into an action through the keymap, update and carry
//! out the effects. [`run_screens`] runs the trainee's screens in it. [`trainee_app`] builds the `App` of one trainee session from
//! [`SessionOptions`]. Raw mode, the bidi probe, signals, suspend and hang-up belong to the
//! local terminal's adapter, not here.

pub use super::app::SessionOptions;
use super::app::{App, Effect, Input, ScrollLimits};
use super::host::Host;
use super::ui::{self, Display, Theme};
use crate::bank::Library;
use crate::quiz::Millis;
use crossterm::event::Event;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Frame, Terminal};
use std::io;
use std::sync::Arc;
use std::time::Duration;

/// Where the loop's events come from.
pub trait EventSource {
    /// The next event, waiting at most `timeout` (`None`: as long as it takes). `Ok(None)`:
    /// the time passed with no event.
    ///
    /// # Errors
    /// The source failed or is closed (kind `UnexpectedEof`); the loop then ends.
    fn next_event(&mut self, timeout: Option<Duration>) -> io::Result<Option<Event>>;

    /// Stop the program until it is continued (Ctrl-Z on a local terminal). Called after the
    /// attempt is autosaved. `Ok(true)` when it was stopped and is back (the loop then redraws
    /// everything and does not count the pause); `Ok(false)` when this front cannot.
    ///
    /// # Errors
    /// The terminal could not be taken back; the loop ends.
    fn suspend(&mut self) -> io::Result<bool> {
        Ok(false)
    }

    /// The display switches to `mode` (who reorders right-to-left text): a front that sent the
    /// terminal sequences for the old mode sends those of the new one. The loop redraws
    /// everything afterwards.
    ///
    /// # Errors
    /// The terminal could not be set up again; the loop ends.
    fn set_bidi(&mut self, mode: super::bidi::BidiMode) -> io::Result<()> {
        let _ = mode;
        Ok(())
    }

    /// After each update and before its effects are carried out, a front may change the app
    /// on its own account and add or drop effects: the class server applies the instructor's
    /// controls here (more time, the end of the exam, joins locked) and keeps one attempt from
    /// running on two connections. The default does nothing.
    fn steer(&mut self, app: &mut App, effects: &mut Vec<Effect>, now: Millis) {
        let _ = (app, effects, now);
    }
}

/// How a run of the screens ended.
#[derive(Debug)]
pub enum Outcome {
    /// The trainee quit, or finished where the session was to end after the results.
    Quit,
    /// The source or the sink failed or closed; the attempt in progress was autosaved first.
    Ended(io::Error),
}

/// The `App` of one trainee session ([`App::for_session`]). The screen size comes with the
/// first `Resize` event (or the backend's size at the first draw).
#[must_use]
pub fn trainee_app(lib: Arc<Library>, opts: SessionOptions) -> App {
    App::for_session(lib, opts)
}

/// The display for a terminal known only by its `TERM` value (as an SSH client sends it): the
/// program reorders and shapes right-to-left text, except on terminals that reorder by
/// themselves and cannot be switched off.
#[must_use]
pub fn display_for_term(term: &str, color: bool) -> Display {
    let mode = super::terminal::detect_bidi(&|k| (k == "TERM").then(|| term.to_owned()));
    Display {
        mode,
        shaping: mode == super::bidi::BidiMode::Reorder,
        theme: Theme { color },
    }
}

/// How long to wait for an event: until the countdown's next second or the next deadline;
/// `None` when nothing on screen changes with time (no attempt running, or one without a
/// clock), so that a front need not wake at all until a key comes.
#[must_use]
pub fn wait_for(app: &App, now: Millis) -> Option<Duration> {
    let s = app.session().filter(|s| !s.is_finished())?;
    let mut ms: Option<Millis> = None;
    let mut take = |m: Millis| ms = Some(ms.map_or(m, |x: Millis| x.min(m)));
    // The clocks move at the start of each second of the wall clock ([`ui::shown_seconds`]).
    if s.remaining(now).is_some() || s.question_remaining(now).is_some() {
        take(1000 - now.rem_euclid(1000));
    }
    if let Some(d) = s.next_deadline() {
        take((d - now).max(0) + 1);
    }
    ms.map(|ms| Duration::from_millis(u64::try_from(ms.clamp(1, 1000)).unwrap_or(1000)))
}

fn sink_error(e: &impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// What [`run_loop`] runs: a state that is drawn by reading it and changed by events.
pub trait Screens {
    /// The time now (the loop reads no clock of its own).
    fn now(&self) -> Millis;

    /// Draw the state as it is (only reading it). Returns what the drawing measured, which
    /// the loop hands back through [`Screens::measured`].
    fn draw(&self, f: &mut Frame<'_>, now: Millis) -> ScrollLimits;

    /// What the last drawing measured (how far the pages can scroll).
    fn measured(&mut self, limits: ScrollLimits) {
        let _ = limits;
    }

    /// The part of a screen of `area` that shows the time, when nothing but the time can have
    /// changed since the last [`Screens::draw`] (the same state, the same size): a frame may
    /// then be that part alone, drawn by [`Screens::draw_clocks`]. `None` (the default): every
    /// frame is drawn whole.
    fn clock_area(&self, area: Rect, now: Millis) -> Option<Rect> {
        let _ = (area, now);
        None
    }

    /// Draw the part that [`Screens::clock_area`] gave into `cells`, which covers it, as a
    /// whole drawing at `now` would draw it.
    fn draw_clocks(&self, cells: &mut Buffer, area: Rect, now: Millis) {
        let _ = (cells, area, now);
    }

    /// How long to wait for the next event at `now` (`None`: nothing changes with time, wait
    /// for an event).
    fn wait(&self, now: Millis) -> Option<Duration>;

    /// An event (`None`: the wait ran out), after the loop has followed a window change:
    /// update the state and carry out the effects, with the source and the terminal for
    /// what only they can do. `Ok(true)`: the run is over.
    ///
    /// # Errors
    /// The source or the sink failed; the loop ends.
    fn step<B: Backend>(
        &mut self,
        event: Option<Event>,
        source: &mut dyn EventSource,
        terminal: &mut Terminal<B>,
    ) -> io::Result<bool>;

    /// A whole frame has been drawn and flushed: work kept off the path to the first frame
    /// may be done now. The default does nothing.
    fn frame_shown(&mut self) {}

    /// The loop ends because the source or the sink failed: keep what must be kept.
    fn ended(&mut self) {}
}

/// The one event loop: draw, wait for an event or the time the screens ask for, follow a
/// window change, hand the event to the screens; until they are done or the source or the
/// sink fails.
///
/// A frame that follows a wait which ran out, while the screens say only their clocks can have
/// changed ([`Screens::clock_area`]), is the clocks alone: they are drawn into a buffer of
/// their own rows, compared with what those rows show, and only the cells that differ are sent.
/// An idle trainee's countdown then costs a row, not a whole screen drawn and compared (the
/// class server draws one a second for every trainee). The next whole frame is compared by
/// ratatui with the last whole frame, so the rows drawn in between are then brought in line
/// with it.
pub fn run_loop<B: Backend, S: Screens>(
    screens: &mut S,
    source: &mut dyn EventSource,
    terminal: &mut Terminal<B>,
) -> Outcome {
    // The clocks' rows as the terminal shows them, and whether they were drawn alone since
    // the last whole frame (ratatui's last frame then differs from the screen there).
    let mut shown: Option<Buffer> = None;
    let mut ticked = false;
    let mut timed_out = false;
    let failure = loop {
        let now = screens.now();
        let area = terminal.get_frame().area();
        let alone = shown
            .as_ref()
            .filter(|s| timed_out && screens.clock_area(area, now) == Some(s.area));
        if let Some(old) = alone {
            let mut cells = Buffer::empty(old.area);
            screens.draw_clocks(&mut cells, area, now);
            if let Err(e) = send_cells(terminal, old, &cells) {
                break e;
            }
            shown = Some(cells);
            ticked = true;
        } else {
            let mut measured = None;
            let frame = match terminal.draw(|f| measured = Some(screens.draw(f, now))) {
                Ok(frame) => frame,
                Err(e) => break sink_error(&e),
            };
            let drawn = frame.area;
            let copy = |r: Rect| (drawn.union(r) == drawn).then(|| region(frame.buffer, r));
            let fix = shown
                .take()
                .filter(|_| ticked)
                .and_then(|old| Some((copy(old.area)?, old)));
            shown = screens.clock_area(drawn, now).and_then(copy);
            ticked = false;
            if let Some((new, old)) = fix
                && let Err(e) = send_cells(terminal, &old, &new)
            {
                break e;
            }
            if let Some(m) = measured {
                screens.measured(m);
            }
            screens.frame_shown();
        }
        let event = match source.next_event(screens.wait(screens.now())) {
            Ok(ev) => ev,
            Err(e) => break e,
        };
        timed_out = event.is_none();
        if matches!(event, Some(Event::Resize(..)))
            && let Err(e) = terminal.autoresize()
        {
            break sink_error(&e);
        }
        // The screen may have been lost (a local terminal stopped from outside and continued):
        // draw everything afresh.
        if matches!(event, Some(Event::FocusGained))
            && let Err(e) = terminal.clear()
        {
            break sink_error(&e);
        }
        match screens.step(event, source, terminal) {
            Ok(true) => return Outcome::Quit,
            Ok(false) => {}
            Err(e) => break e,
        }
    };
    screens.ended();
    Outcome::Ended(failure)
}

/// The cells of `buffer` within `r` (which lies inside it).
fn region(buffer: &Buffer, r: Rect) -> Buffer {
    let mut out = Buffer::empty(r);
    for y in r.top()..r.bottom() {
        for x in r.left()..r.right() {
            if let (Some(to), Some(from)) = (out.cell_mut((x, y)), buffer.cell((x, y))) {
                to.clone_from(from);
            }
        }
    }
    out
}

/// Send the cells of `new` that differ from `old` (the same rows as the terminal shows them).
fn send_cells<B: Backend>(
    terminal: &mut Terminal<B>,
    old: &Buffer,
    new: &Buffer,
) -> io::Result<()> {
    let mut changed = old.diff_iter(new).peekable();
    if changed.peek().is_none() {
        return Ok(());
    }
    let backend = terminal.backend_mut();
    backend.draw(changed).map_err(|e| sink_error(&e))?;
    backend.flush().map_err(|e| sink_error(&e))
}

/// The trainee's screens with what carries out their effects.
struct Trainee<'a> {
    app: &'a mut App,
    host: &'a mut Host,
    /// The state last drawn whole ([`App::version`]).
    drawn: std::cell::Cell<Option<u64>>,
}

impl Screens for Trainee<'_> {
    fn now(&self) -> Millis {
        self.host.now()
    }

    fn draw(&self, f: &mut Frame<'_>, now: Millis) -> ScrollLimits {
        self.drawn.set(Some(self.app.version()));
        ui::draw(f, self.app, self.app.display, now)
    }

    fn measured(&mut self, limits: ScrollLimits) {
        let now = self.host.now();
        self.app.update(Input::Measured(limits), now);
    }

    fn clock_area(&self, area: Rect, now: Millis) -> Option<Rect> {
        if self.drawn.get() != Some(self.app.version()) {
            return None;
        }
        ui::clock_area(self.app, area, now)
    }

    fn draw_clocks(&self, cells: &mut Buffer, area: Rect, now: Millis) {
        ui::draw_clocks(cells, self.app, self.app.display, area, now);
    }

    fn wait(&self, now: Millis) -> Option<Duration> {
        wait_for(self.app, now)
    }

    fn step<B: Backend>(
        &mut self,
        event: Option<Event>,
        source: &mut dyn EventSource,
        terminal: &mut Terminal<B>,
    ) -> io::Result<bool> {
        let (app, host) = (&mut *self.app, &mut *self.host);
        let now = host.now();
        let mut effects = match event {
            Some(Event::Key(k)) => app.handle_key(k, now),
            Some(_) => Vec::new(),
            None => app.update(Input::Tick, now),
        };
        source.steer(app, &mut effects, now);
        let more = front_effects(app, source, terminal, host, &effects)?;
        if host.execute(app, &more, host.now()) || host.execute(app, &effects, host.now()) {
            return Ok(true);
        }
        host.retry_due(app, host.now());
        if let Some(e) = host.save_error() {
            app.update(Input::Notice(Some(e)), host.now());
        }
        Ok(false)
    }

    fn frame_shown(&mut self) {
        self.host.frame_shown(self.app);
    }

    fn ended(&mut self) {
        let now = self.host.now();
        self.host.execute(self.app, &[Effect::Autosave], now);
        self.host.frame_shown(self.app);
        self.host.flush();
    }
}

/// Run the trainee's screens in [`run_loop`] until the trainee quits or the source ends.
/// Every frame is drawn from the state as it is; every change goes through the app's update;
/// the effects are carried out by the host (and by the front, for suspending and the bidi
/// switch).
pub fn run_screens<B: Backend>(
    app: &mut App,
    source: &mut dyn EventSource,
    terminal: &mut Terminal<B>,
    host: &mut Host,
) -> Outcome {
    run_loop(
        &mut Trainee {
            app,
            host,
            drawn: std::cell::Cell::new(None),
        },
        source,
        terminal,
    )
}

/// Carry out the effects that need the front; returns further effects for the host.
fn front_effects<B: Backend>(
    app: &mut App,
    source: &mut dyn EventSource,
    terminal: &mut Terminal<B>,
    host: &mut Host,
    effects: &[Effect],
) -> io::Result<Vec<Effect>> {
    let mut more = Vec::new();
    for e in effects {
        match e {
            Effect::Suspend => {
                let stopped = host.now();
                host.execute(app, &[Effect::Autosave], stopped);
                host.flush();
                if source.suspend()? {
                    terminal.clear().map_err(|e| sink_error(&e))?;
                    more.extend(app.update(Input::Resumed(stopped), host.now()));
                }
            }
            Effect::FlipBidi => {
                let mode = match app.display.mode {
                    super::bidi::BidiMode::Reorder => super::bidi::BidiMode::Terminal,
                    super::bidi::BidiMode::Terminal => super::bidi::BidiMode::Reorder,
                };
                source.set_bidi(mode)?;
                let display = super::display::Display {
                    mode,
                    shaping: mode == super::bidi::BidiMode::Reorder,
                    ..app.display
                };
                app.update(Input::Display(display), host.now());
                terminal.clear().map_err(|e| sink_error(&e))?;
                more.push(Effect::SaveBidi(mode));
            }
            _ => {}
        }
    }
    Ok(more)
}

/// A scripted source for tests and demonstrations: the events in order, then a timeout per
/// call for `idle` calls (so that clocks can pass), then closed.
#[derive(Debug, Default)]
pub struct Script {
    events: std::collections::VecDeque<Option<Event>>,
}

impl Script {
    /// A script of events (`None`: one timeout).
    #[must_use]
    pub fn new(events: impl IntoIterator<Item = Option<Event>>) -> Script {
        Script {
            events: events.into_iter().collect(),
        }
    }
}

impl EventSource for Script {
    fn next_event(&mut self, _timeout: Option<Duration>) -> io::Result<Option<Event>> {
        match self.events.pop_front() {
            Some(e) => Ok(e),
            None => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the script is over",
            )),
        }
    }
}
