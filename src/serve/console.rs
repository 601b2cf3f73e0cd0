//! The instructor's console: the server's own terminal. It lists every trainee (connected, or
//! away with an attempt saved), shows the live board, and has the keys to lock new joins, give
//! more time to one trainee or all, end the exam (open attempts are recorded as timed out,
//! nobody is lost) and stop the server.
//!
//! The state shown is built by [`rows`] from the class and the autosave folder. Keys become
//! actions in the keymap (its console contexts: the same table writes the key line, and the
//! letters work under the Arabic layout too), and actions change the state through
//! [`Console::update`]; drawing only reads.

use super::Ctx;
use super::msg::Control;
use crate::quiz::Millis;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::run::now_ms;
use crossterm::event::{self, Event, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Minutes a press of `+` or `*` adds.
pub const EXTEND_MINUTES: i64 = 5;

/// One line of the console's table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleRow {
    /// The session, when connected.
    pub seat: Option<u64>,
    /// Trainee (empty while typing the name).
    pub trainee: String,
    /// Exam id.
    pub exam: String,
    /// Answered of total.
    pub progress: Option<(usize, usize)>,
    /// Flagged questions.
    pub flagged: usize,
    /// Deadline.
    pub deadline: Option<Millis>,
    /// What the trainee is doing.
    pub state: RowState,
}

/// What a row's trainee is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowState {
    /// Connected, no attempt yet.
    Joining,
    /// Connected, attempt in progress.
    Working,
    /// Connected, attempt finished and recorded.
    Finished,
    /// Not connected; the attempt is saved on the server.
    Away,
}

/// Every trainee: the sessions, then the saved attempts of trainees not connected.
#[must_use]
pub fn rows(ctx: &Ctx) -> Vec<ConsoleRow> {
    let mut out: Vec<ConsoleRow> = ctx
        .class
        .seats()
        .into_iter()
        .map(|(id, s)| ConsoleRow {
            seat: Some(id),
            state: if s.exam.is_empty() {
                RowState::Joining
            } else if s.finished {
                RowState::Finished
            } else {
                RowState::Working
            },
            progress: (!s.exam.is_empty()).then_some((s.answered, s.total)),
            trainee: s.trainee,
            exam: s.exam,
            flagged: s.flagged,
            deadline: s.deadline,
        })
        .collect();
    let live = ctx.class.owned_attempts();
    for (_, a) in ctx.places.autosaves.all_autosaves() {
        let key = crate::record::trainee_slug(&a.trainee);
        if !matches!(a.status, crate::quiz::Status::Running)
            || live
                .iter()
                .any(|(t, e)| *e == a.exam.id && crate::record::trainee_slug(t) == key)
        {
            continue;
        }
        let answered = a.slots.iter().filter(|s| s.response.is_some()).count();
        out.push(ConsoleRow {
            seat: None,
            progress: Some((answered, a.slots.len())),
            flagged: a.slots.iter().filter(|s| s.flagged).count(),
            deadline: a.deadline,
            trainee: a.trainee,
            exam: a.exam.id,
            state: RowState::Away,
        });
    }
    out
}

/// A question the console asks before doing something that cannot be undone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirm {
    /// End the exam for everybody.
    End,
    /// Stop the server.
    Quit,
}

/// The console's own state.
#[derive(Debug, Default)]
pub struct Console {
    /// Selected row.
    pub selected: usize,
    /// The question asked, if any.
    pub confirm: Option<Confirm>,
    /// The board is shown instead of the table.
    pub board: bool,
    /// The last thing done, in words.
    pub status: String,
}

/// What a key asks the console's loop to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Go on.
    Continue,
    /// Stop the server.
    Quit,
}

impl Console {
    /// The keymap context the console is in.
    #[must_use]
    pub fn context(&self) -> Context {
        if self.confirm.is_some() {
            Context::ConsoleConfirm
        } else {
            Context::Console
        }
    }

    /// Apply a key: the keymap turns it into an action (or nothing), then [`Console::update`].
    pub fn key(&mut self, ctx: &Ctx, rows: &[ConsoleRow], k: &KeyEvent) -> Step {
        match keymap::command(k, self.context(), crate::text::Lang::En) {
            Some(a) => self.update(ctx, rows, a),
            None => Step::Continue,
        }
    }

    /// Apply an action: the only place the console's state changes. `rows` is what is on
    /// screen.
    pub fn update(&mut self, ctx: &Ctx, rows: &[ConsoleRow], action: Action) -> Step {
        if let Some(c) = self.confirm.take() {
            if action == Action::Yes {
                match c {
                    Confirm::End => self.status = end_exam(ctx),
                    Confirm::Quit => return Step::Quit,
                }
            } else {
                self.status = "Nothing done.".to_owned();
            }
            return Step::Continue;
        }
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => {
                self.selected = (self.selected + 1).min(rows.len().saturating_sub(1));
            }
            Action::MoreTime => {
                self.status = match rows.get(self.selected) {
                    Some(r) => extend_one(ctx, r),
                    None => "No trainee selected.".to_owned(),
                };
            }
            Action::MoreTimeAll => self.status = extend_all(ctx),
            Action::LockJoins => {
                let now = !ctx.class.locked.load(Ordering::SeqCst);
                ctx.class.locked.store(now, Ordering::SeqCst);
                self.status = if now {
                    "Joins locked: only trainees who already started can come back.".to_owned()
                } else {
                    "Joins open.".to_owned()
                };
            }
            Action::EndExam if ctx.paced.is_none() => self.confirm = Some(Confirm::End),
            Action::NextStep if ctx.paced.is_some() => {
                self.status = super::paced::advance(ctx);
            }
            Action::ShowBoard => self.board = !self.board,
            Action::Cancel | Action::QuitNow => self.confirm = Some(Confirm::Quit),
            _ => {}
        }
        Step::Continue
    }
}

/// The console's key line, made from its keymap table.
#[must_use]
pub fn key_line() -> String {
    let k = |a| keymap::keys_for(Context::Console, a, crate::text::Lang::En);
    format!(
        "{} select · {} {EXTEND_MINUTES} min for the selected · {} {EXTEND_MINUTES} min for all · {} lock/open joins · {} end exam · {} board · {} stop",
        k(Action::Down),
        k(Action::MoreTime),
        k(Action::MoreTimeAll),
        k(Action::LockJoins),
        k(Action::EndExam),
        k(Action::ShowBoard),
        k(Action::Cancel),
    )
}

/// The console's key line in paced play, made from its keymap table.
#[must_use]
pub fn paced_key_line() -> String {
    let k = |a| keymap::keys_for(Context::Console, a, crate::text::Lang::En);
    format!(
        "{} next step (open, close, next question, podium) · {} lock/open joins · {} board · {} stop",
        k(Action::NextStep),
        k(Action::LockJoins),
        k(Action::ShowBoard),
        k(Action::Cancel),
    )
}

/// What the console asks, with its keys from the keymap.
fn confirm_line(c: Confirm) -> String {
    let yes = keymap::keys_for(Context::ConsoleConfirm, Action::Yes, crate::text::Lang::En);
    let what = match c {
        Confirm::End => "End the exam for everybody? Open attempts are recorded as timed out.",
        Confirm::Quit => {
            "Stop the server? Attempts are saved and resume when trainees connect again."
        }
    };
    format!("{what} {yes}: yes · any other key: no")
}

fn extend_one(ctx: &Ctx, r: &ConsoleRow) -> String {
    let ms = EXTEND_MINUTES * 60_000;
    match r.seat {
        Some(id) if r.state == RowState::Working => ctx.class.send(id, Control::Extend(ms)),
        Some(_) => return format!("{} has no attempt running.", r.trainee),
        None => {
            let live = ctx.class.live_attempts();
            let _ = super::control::extend_saved(ctx, Some(&r.trainee), ms, &live);
        }
    }
    format!("{} more minutes for {}.", EXTEND_MINUTES, r.trainee)
}

fn extend_all(ctx: &Ctx) -> String {
    let ms = EXTEND_MINUTES * 60_000;
    ctx.class.broadcast(Control::Extend(ms));
    let live = ctx.class.live_attempts();
    let away = super::control::extend_saved(ctx, None, ms, &live);
    format!("{EXTEND_MINUTES} more minutes for everybody ({away} not connected).")
}

/// End the exam: no attempt starts any more; every attempt on screen ends as timed out and is
/// recorded by its session; then every saved attempt of a trainee not connected is recorded
/// the same way here.
#[must_use]
pub fn end_exam(ctx: &Ctx) -> String {
    ctx.class.ended.store(true, Ordering::SeqCst);
    ctx.class.broadcast(Control::End);
    // Give the sessions a moment to record theirs (each does so on its next turn).
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while ctx.class.unrecorded() > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    // An attempt on screen is its session's to record, even once finished: its autosave may
    // still be on disk while the session writes the record, and recording it here as well
    // would make a second, conflicting record.
    let owned = ctx.class.owned_attempts();
    let (done, failed) = super::control::end_saved(ctx, now_ms(), &owned);
    let mut s = format!(
        "Exam ended. Attempts of trainees not connected, recorded as timed out: {}.",
        done.len()
    );
    if !failed.is_empty() {
        s.push_str(&format!(
            " Not recorded (kept in the autosave folder): {}",
            failed.join("; ")
        ));
    }
    s
}

/// Paced play as the projector shows it: where the game is, the question, the answers given
/// (after the question closes: how many chose each answer, as bars, the right one marked),
/// and the leaderboard; at the end, the podium.
#[must_use]
pub fn paced_lines(g: &crate::quiz::paced::Paced, now: Millis, width: usize) -> Vec<String> {
    use crate::quiz::paced::Phase;
    let mut out = Vec::new();
    let n = g.len();
    let players = g.players.len();
    let q = match g.phase() {
        Phase::Lobby => {
            out.push(format!(
                "Waiting to start · {players} trainees joined · n: open question 1 of {n}"
            ));
            None
        }
        Phase::Open { q, deadline, .. } => {
            let (given, waited) = g.answered(q);
            let secs = ((deadline - now).max(0) + 999) / 1000;
            out.push(format!(
                "Question {} of {n} · {secs} s left · {given} of {waited} answered · n: close it now",
                q + 1
            ));
            Some((q, false))
        }
        Phase::Closed { q } => {
            let next = if q + 1 < n {
                format!("n: open question {} of {n}", q + 2)
            } else {
                "n: the podium".to_owned()
            };
            out.push(format!("Question {} of {n} · closed · {next}", q + 1));
            Some((q, true))
        }
        Phase::Podium => {
            out.push(format!("The end · {players} trainees"));
            None
        }
    };
    if let Some((q, revealed)) = q
        && let Some((question, order)) = g.question(q)
    {
        out.push(String::new());
        out.push(crate::diag::escape_for_terminal(
            question.prompt.get(crate::text::Lang::En),
        ));
        let labels: Vec<String> = match &question.kind {
            crate::bank::Kind::Single { choices, .. } => order
                .iter()
                .map(|&i| {
                    choices
                        .get(i)
                        .map_or("", |c| c.get(crate::text::Lang::En))
                        .to_owned()
                })
                .collect(),
            _ => vec!["True".to_owned(), "False".to_owned()],
        };
        let (counts, blank) = g.distribution(q);
        let most = counts.iter().copied().max().unwrap_or(0).max(1);
        let right = g.right_position(q);
        let text_w = labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
            .min(40);
        let bar_w = width.saturating_sub(text_w + 16).clamp(4, 40);
        for (i, label) in labels.iter().enumerate() {
            let label: String = label.chars().take(text_w).collect();
            let mut line = format!("{}) {label:<text_w$}", crate::bank::letter(i));
            if revealed {
                let c = counts.get(i).copied().unwrap_or(0);
                let len = c * bar_w / most;
                line.push_str(&format!(
                    "  {}{} {c}{}",
                    "█".repeat(len),
                    " ".repeat(bar_w - len),
                    if right == Some(i) { "  ✓ right" } else { "" }
                ));
            }
            out.push(line);
        }
        if revealed {
            out.push(format!("   no answer: {blank}"));
        }
    }
    let standings = g.standings();
    if !standings.is_empty() {
        out.push(String::new());
        out.push(if g.phase() == Phase::Podium {
            "Podium".to_owned()
        } else {
            "Leaderboard (points with speed)".to_owned()
        });
        let shown = if g.phase() == Phase::Podium { 10 } else { 5 };
        for (i, s) in standings.iter().take(shown).enumerate() {
            let medal = match (g.phase() == Phase::Podium, i) {
                (true, 0) => "🥇",
                (true, 1) => "🥈",
                (true, 2) => "🥉",
                _ => "  ",
            };
            out.push(format!(
                "{medal} {:>2}. {:<30} {:>6.2}  ({} right)",
                i + 1,
                crate::diag::escape_for_terminal(&s.name),
                s.points,
                s.right
            ));
        }
    }
    out
}

fn time_left(deadline: Option<Millis>, now: Millis) -> String {
    match deadline {
        None => "-".to_owned(),
        Some(d) if d <= now => "0:00".to_owned(),
        Some(d) => {
            let s = (d - now) / 1000;
            format!("{}:{:02}", s / 60, s % 60)
        }
    }
}

/// Draw the console.
pub fn draw(
    f: &mut Frame<'_>,
    ctx: &Ctx,
    console: &Console,
    rows: &[ConsoleRow],
    header: &[String],
    board: &crate::report::board::Board,
) {
    if console.board {
        crate::tui::board::draw(
            f,
            board,
            crate::text::Lang::En,
            crate::tui::ui::Display::default(),
        );
        return;
    }
    let now = now_ms();
    let area = f.area();
    let paced = ctx.paced.as_ref().map(|m| {
        let g = m.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        paced_lines(&g, now, usize::from(area.width))
    });
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(u16::try_from(header.len()).unwrap_or(4) + 3),
        Constraint::Min(3),
        Constraint::Length(3),
    ])
    .areas(area);
    let locked = ctx.class.locked.load(Ordering::SeqCst);
    let ended = ctx.class.ended.load(Ordering::SeqCst);
    let mut lines: Vec<Line> = header.iter().map(|h| Line::from(h.clone())).collect();
    lines.push(Line::from(format!(
        "sessions {} of {} · joins {} {}",
        ctx.class.live(),
        ctx.max_sessions,
        if locked { "LOCKED" } else { "open" },
        if ended { "· EXAM ENDED" } else { "" }
    )));
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title("tipquiz serve · instructor console"),
        ),
        head,
    );
    if let Some(lines) = paced {
        let lines: Vec<Line> = lines.into_iter().map(Line::from).collect();
        f.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title("Live quiz (paced)"),
            ),
            body,
        );
    } else {
        let table_rows = rows.iter().map(|r| {
            let state = match r.state {
                RowState::Joining => "joining",
                RowState::Working => "working",
                RowState::Finished => "finished",
                RowState::Away => "away (saved)",
            };
            Row::new(vec![
                if r.trainee.is_empty() {
                    "(typing a name)".to_owned()
                } else {
                    crate::diag::escape_for_terminal(&r.trainee)
                },
                r.exam.clone(),
                r.progress
                    .map_or_else(String::new, |(a, t)| format!("{a}/{t}")),
                r.flagged.to_string(),
                time_left(r.deadline, now),
                state.to_owned(),
            ])
        });
        let table = Table::new(
            table_rows,
            [
                Constraint::Fill(3),
                Constraint::Fill(2),
                Constraint::Length(9),
                Constraint::Length(7),
                Constraint::Length(9),
                Constraint::Length(13),
            ],
        )
        .header(
            Row::new(vec![
                "Trainee",
                "Exam",
                "Answered",
                "Flagged",
                "Time left",
                "State",
            ])
            .style(Style::default().add_modifier(Modifier::BOLD)),
        )
        .row_highlight_style(Style::default().bg(Color::Blue))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!("Trainees ({})", rows.len())),
        );
        let mut state = TableState::default().with_selected(Some(console.selected));
        f.render_stateful_widget(table, body, &mut state);
    }
    let help = match console.confirm {
        Some(c) => confirm_line(c),
        None if ctx.paced.is_some() => format!("{}\n{}", paced_key_line(), console.status),
        None => format!("{}\n{}", key_line(), console.status),
    };
    f.render_widget(
        Paragraph::new(help).block(Block::default().borders(Borders::TOP)),
        foot,
    );
}

/// Run the console on this terminal until the instructor stops the server (or the terminal
/// goes). Returns when the sessions have been told to save and close.
///
/// # Errors
/// When the terminal cannot be used.
pub fn run(ctx: &Arc<Ctx>, header: &[String]) -> std::io::Result<()> {
    let signal = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    crate::tui::terminal::watch_signals(Arc::clone(&signal));
    let mut terminal = crate::tui::terminal::enter(crate::tui::bidi::BidiMode::Reorder)?;
    let mut console = Console::default();
    let mut board = crate::report::board::Board::new(&ctx.places.results.dir, None);
    let result = (|| -> std::io::Result<()> {
        loop {
            super::paced::tick(ctx, now_ms());
            let rows = rows(ctx);
            console.selected = console.selected.min(rows.len().saturating_sub(1));
            board.refresh();
            terminal.draw(|f| draw(f, ctx, &console, &rows, header, &board))?;
            if signal.load(Ordering::SeqCst) != 0 {
                return Ok(());
            }
            if event::poll(Duration::from_secs(1))?
                && let Event::Key(k) = event::read()?
                && console.key(ctx, &rows, &k) == Step::Quit
            {
                return Ok(());
            }
        }
    })();
    crate::tui::terminal::leave();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_line_and_the_questions_name_the_keys_of_the_keymap() {
        assert_eq!(
            key_line(),
            "↑/↓ select · + 5 min for the selected · * 5 min for all · l lock/open joins · e end exam · b board · q stop"
        );
        assert!(confirm_line(Confirm::Quit).ends_with("y: yes · any other key: no"));
    }
}
