//! The instructor's console: the server's own terminal. It lists every trainee (connected, or
//! away with an attempt saved), shows the live board, and has the keys to lock new joins, give
//! more time to one trainee or all, end the exam (open attempts are recorded as timed out,
//! nobody is lost) and stop the server.
//!
//! The state shown is built by [`rows`] from the class and the autosave folder. Keys become
//! actions in the keymap (its console contexts: the same table writes the key line, and the
//! letters work under the Arabic layout too), and actions change the state through
//! [`Console::update`]; drawing only reads. The console runs in the program's one event loop
//! ([`crate::tui::front::run_loop`], as the live board does), in the language of the command
//! line ([`crate::messages::choose_lang`]); its words are the catalogue's
//! ([`crate::messages::console`]), and Arabic names are shaped and ordered as on the board.

use super::Ctx;
use super::msg::Control;
use crate::messages::{console as words, fill};
use crate::quiz::Millis;
use crate::text::Lang;
use crate::tui::app::ScrollLimits;
use crate::tui::bidi::{BidiMode, Dir, table_cell, visual_styled_lines};
use crate::tui::front::{EventSource, Outcome, Screens};
use crate::tui::keymap::{self, Action, Context};
use crate::tui::run::now_ms;
use crate::tui::ui::Display;
use crossterm::event::{Event, KeyEvent};
use ratatui::backend::Backend;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};
use ratatui::{Frame, Terminal};
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

/// How often the console reads the autosave folder again for the trainees who are away,
/// besides after each of the instructor's keys (reading every saved attempt once a second
/// would cost the server's CPU with a large class).
pub const SAVED_EVERY: Duration = Duration::from_secs(5);

/// Every trainee: the sessions, then the saved attempts of trainees not connected.
#[must_use]
pub fn rows(ctx: &Ctx) -> Vec<ConsoleRow> {
    rows_with(ctx, &saved_attempts(ctx))
}

/// The attempts running in the autosave folder, as rows of trainees who are away (whether or
/// not they are connected now: [`rows_with`] leaves out those who are).
#[must_use]
pub fn saved_attempts(ctx: &Ctx) -> Vec<ConsoleRow> {
    ctx.places
        .autosaves
        .all_autosaves()
        .into_iter()
        .filter(|(_, a)| matches!(a.status, crate::quiz::Status::Running))
        .map(|(_, a)| ConsoleRow {
            seat: None,
            progress: Some((
                a.slots.iter().filter(|s| s.response.is_some()).count(),
                a.slots.len(),
            )),
            flagged: a.slots.iter().filter(|s| s.flagged).count(),
            deadline: a.deadline,
            trainee: a.trainee,
            exam: a.exam.id,
            state: RowState::Away,
        })
        .collect()
}

/// Every trainee: the sessions, then those of `saved` who are not connected now.
#[must_use]
pub fn rows_with(ctx: &Ctx, saved: &[ConsoleRow]) -> Vec<ConsoleRow> {
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
    out.extend(
        saved
            .iter()
            .filter(|r| {
                let key = crate::record::trainee_slug(&r.trainee);
                !live
                    .iter()
                    .any(|(t, e)| *e == r.exam && crate::record::trainee_slug(t) == key)
            })
            .cloned(),
    );
    out
}

/// A question the console asks before doing something that cannot be undone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirm {
    /// End the exam for everybody (in paced play: end the game now, on the podium).
    End,
    /// Stop the server.
    Quit,
}

/// The console's own state.
#[derive(Debug)]
pub struct Console {
    /// Selected row.
    pub selected: usize,
    /// The question asked, if any.
    pub confirm: Option<Confirm>,
    /// The board is shown instead of the table.
    pub board: bool,
    /// The details (every address, the host key, the folders, the notes of the start) are
    /// shown instead of the table or the game.
    pub details: bool,
    /// The last thing done, in words.
    pub status: String,
    /// The console's language.
    pub lang: Lang,
}

impl Default for Console {
    fn default() -> Self {
        Console::new(Lang::En)
    }
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
    /// A console in `lang`.
    #[must_use]
    pub fn new(lang: Lang) -> Console {
        Console {
            selected: 0,
            confirm: None,
            board: false,
            details: false,
            status: String::new(),
            lang,
        }
    }

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
        match keymap::command(k, self.context(), self.lang) {
            Some(a) => self.update(ctx, rows, a),
            None => Step::Continue,
        }
    }

    /// Apply an action: the only place the console's state changes. `rows` is what is on
    /// screen.
    pub fn update(&mut self, ctx: &Ctx, rows: &[ConsoleRow], action: Action) -> Step {
        let t = words(self.lang);
        if let Some(c) = self.confirm.take() {
            if action == Action::Yes {
                match c {
                    Confirm::End if ctx.paced.is_some() => {
                        self.status = super::paced::end_game(ctx, self.lang);
                    }
                    Confirm::End => self.status = end_exam(ctx, self.lang),
                    Confirm::Quit => return Step::Quit,
                }
            } else {
                t.nothing_done.clone_into(&mut self.status);
            }
            return Step::Continue;
        }
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => {
                self.selected = (self.selected + 1).min(rows.len().saturating_sub(1));
            }
            Action::MoreTime if ctx.paced.is_none() => {
                self.status = match rows.get(self.selected) {
                    Some(r) => extend_one(ctx, r, self.lang),
                    None => t.no_selection.to_owned(),
                };
            }
            Action::MoreTimeAll if ctx.paced.is_none() => self.status = extend_all(ctx, self.lang),
            Action::LockJoins => {
                let now = !ctx.class.locked.load(Ordering::SeqCst);
                ctx.class.locked.store(now, Ordering::SeqCst);
                self.status = if now { t.locked_status } else { t.open_status }.to_owned();
            }
            Action::EndExam => self.confirm = Some(Confirm::End),
            Action::NextStep if ctx.paced.is_some() => {
                self.status = super::paced::advance(ctx, self.lang);
            }
            Action::ShowBoard => self.board = !self.board,
            Action::Help => self.details = !self.details,
            Action::Cancel | Action::QuitNow => self.confirm = Some(Confirm::Quit),
            _ => {}
        }
        Step::Continue
    }
}

/// The keys of the console's key lines, from its keymap table, in the order the lines name
/// them: in paced play next step, end, lock, board, stop, help; else select, more time (with
/// its minutes), more time for all, lock, end, board, stop, help.
fn console_keys(lang: Lang, paced: bool) -> Vec<String> {
    let k = |a| keymap::keys_for(Context::Console, a, lang);
    if paced {
        [
            Action::NextStep,
            Action::EndExam,
            Action::LockJoins,
            Action::ShowBoard,
            Action::Cancel,
            Action::Help,
        ]
        .map(k)
        .to_vec()
    } else {
        vec![
            k(Action::Down),
            k(Action::MoreTime),
            EXTEND_MINUTES.to_string(),
            k(Action::MoreTimeAll),
            k(Action::LockJoins),
            k(Action::EndExam),
            k(Action::ShowBoard),
            k(Action::Cancel),
            k(Action::Help),
        ]
    }
}

/// The console's key line, made from its keymap table: the keys used most, in one row of 80
/// columns; every key is listed with the details ([`key_line`]).
#[must_use]
pub fn short_key_line(lang: Lang, paced: bool) -> String {
    let t = words(lang);
    let line = if paced {
        t.paced_keys_short
    } else {
        t.keys_short
    };
    fill(line, &console_keys(lang, paced))
}

/// Every key of the console, made from its keymap table (shown with the details).
#[must_use]
pub fn key_line(lang: Lang) -> String {
    fill(words(lang).keys, &console_keys(lang, false))
}

/// The console's key line in paced play, made from its keymap table.
#[must_use]
pub fn paced_key_line(lang: Lang) -> String {
    fill(words(lang).paced_keys, &console_keys(lang, true))
}

/// What the console asks, with its keys from the keymap.
fn confirm_line(c: Confirm, paced: bool, lang: Lang) -> String {
    let t = words(lang);
    let yes = keymap::keys_for(Context::ConsoleConfirm, Action::Yes, lang);
    let what = match (c, paced) {
        (Confirm::End, false) => t.confirm_end,
        (Confirm::End, true) => t.confirm_end_game,
        (Confirm::Quit, false) => t.confirm_quit,
        (Confirm::Quit, true) => t.confirm_quit_paced,
    };
    format!("{what} {}", fill(t.confirm_keys, &[yes]))
}

fn extend_one(ctx: &Ctx, r: &ConsoleRow, lang: Lang) -> String {
    let t = words(lang);
    let ms = EXTEND_MINUTES * 60_000;
    let name = crate::diag::escape_for_terminal(&r.trainee);
    match r.seat {
        Some(id) if r.state == RowState::Working => ctx.class.send(id, Control::Extend(ms)),
        Some(_) => return fill(t.no_attempt, &[name]),
        None => {
            let live = ctx.class.live_attempts();
            let _ = super::control::extend_saved(ctx, Some(&r.trainee), ms, &live);
        }
    }
    fill(t.more_one, &[EXTEND_MINUTES.to_string(), name])
}

fn extend_all(ctx: &Ctx, lang: Lang) -> String {
    let ms = EXTEND_MINUTES * 60_000;
    ctx.class.broadcast(Control::Extend(ms));
    let live = ctx.class.live_attempts();
    let away = super::control::extend_saved(ctx, None, ms, &live);
    fill(
        words(lang).more_all,
        &[EXTEND_MINUTES.to_string(), away.to_string()],
    )
}

/// End the exam: no attempt starts any more; every attempt on screen ends as timed out and is
/// recorded by its session; then every saved attempt of a trainee not connected is recorded
/// the same way here. Returns the console's line, in `lang`.
#[must_use]
pub fn end_exam(ctx: &Ctx, lang: Lang) -> String {
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
    let (done, failed) = super::control::end_saved(ctx, now_ms(), &owned, lang);
    let t = words(lang);
    let mut s = fill(t.ended_status, &[done.len().to_string()]);
    if !failed.is_empty() {
        s.push_str(&fill(t.not_recorded_autosave, &[failed.join("; ")]));
    }
    s
}

/// One line of paced play on the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PacedLine {
    /// The text, in logical order.
    pub text: String,
    /// Text that wraps at the console's width (the game's state, the question); the others
    /// are laid out in columns that fit (the bars, the leaderboard) and stay one line each.
    pub wrap: bool,
}

/// The labels of the answers on the projector: the letters each trainee of the game presses
/// and sees, in the languages they play in (a b c, أ ب ج), the console's first, joined by a
/// slash ("a/أ") when the class plays in both. Before anybody joins, the console's own.
#[must_use]
pub fn paced_labels(g: &crate::quiz::paced::Paced, lang: Lang, n: usize) -> Vec<String> {
    let mut langs = vec![lang];
    for p in &g.players {
        if !langs.contains(&p.session.state.lang) {
            langs.push(p.session.state.lang);
        }
    }
    if !g.players.iter().any(|p| p.session.state.lang == lang) && !g.players.is_empty() {
        langs.remove(0);
    }
    (0..n)
        .map(|i| {
            langs
                .iter()
                .map(|&l| crate::tui::i18n::choice_label(l, i))
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

/// Paced play as the projector shows it: where the game is, the question, the answers given
/// (after the question closes: how many chose each answer, as bars, the right one marked),
/// and the leaderboard; at the end, the podium. In `lang` (the question in the same language);
/// the answers are labelled with the letters of every language the trainees play in
/// ([`paced_labels`]).
#[must_use]
pub fn paced_lines(
    g: &crate::quiz::paced::Paced,
    now: Millis,
    width: usize,
    lang: Lang,
) -> Vec<PacedLine> {
    use crate::quiz::paced::Phase;
    let t = words(lang);
    let key = keymap::keys_for(Context::Console, Action::NextStep, lang);
    let mut out: Vec<String> = Vec::new();
    // The lines that wrap: the game's state (the first) and the question.
    let mut wrap = vec![0];
    let n = g.len();
    let players = g.players.len();
    let q = match g.phase() {
        Phase::Lobby => {
            out.push(fill(t.waiting, &[players.to_string(), key, n.to_string()]));
            None
        }
        Phase::Open { q, deadline, .. } => {
            let (given, waited) = g.answered(q);
            let secs = ((deadline - now).max(0) + 999) / 1000;
            out.push(fill(
                t.open_line,
                &[
                    (q + 1).to_string(),
                    n.to_string(),
                    secs.to_string(),
                    given.to_string(),
                    waited.to_string(),
                    key,
                ],
            ));
            Some((q, false))
        }
        Phase::Closed { q } => {
            let next = if q + 1 < n {
                fill(t.next_question, &[key, (q + 2).to_string(), n.to_string()])
            } else {
                fill(t.next_podium, &[key])
            };
            out.push(fill(
                t.closed_line,
                &[(q + 1).to_string(), n.to_string(), next],
            ));
            Some((q, true))
        }
        Phase::Podium => {
            out.push(fill(t.the_end, &[players.to_string()]));
            None
        }
    };
    if let Some((q, revealed)) = q
        && let Some((question, order)) = g.question(q)
    {
        out.push(String::new());
        wrap.push(out.len());
        out.push(crate::diag::escape_for_terminal(question.prompt.get(lang)));
        let texts: Vec<String> = match &question.kind {
            crate::bank::Kind::Single { choices, .. } => order
                .iter()
                .map(|&i| {
                    choices.get(i).map_or(String::new(), |c| {
                        crate::diag::escape_for_terminal(c.get(lang))
                    })
                })
                .collect(),
            _ => {
                let ui = crate::messages::ui(lang);
                vec![ui.true_word.to_owned(), ui.false_word.to_owned()]
            }
        };
        let (counts, blank) = g.distribution(q);
        let most = counts.iter().copied().max().unwrap_or(0).max(1);
        let right = g.right_position(q);
        let letters = paced_labels(g, lang, texts.len());
        let letter_w = letters.iter().map(|l| l.chars().count()).max().unwrap_or(1);
        let text_w = texts
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
            .min(40);
        let bar_w = width.saturating_sub(text_w + letter_w + 15).clamp(4, 40);
        for (i, (label, letter)) in texts.iter().zip(&letters).enumerate() {
            let label: String = label.chars().take(text_w).collect();
            let mut line = format!("{letter:<letter_w$}) {label:<text_w$}");
            if revealed {
                let c = counts.get(i).copied().unwrap_or(0);
                let len = c * bar_w / most;
                line.push_str(&format!(
                    "  {}{} {c}{}",
                    "█".repeat(len),
                    " ".repeat(bar_w - len),
                    if right == Some(i) {
                        format!("  {}", t.right_mark)
                    } else {
                        String::new()
                    }
                ));
            }
            out.push(line);
        }
        if revealed {
            wrap.push(out.len());
            out.push(format!("   {}", fill(t.no_answer, &[blank.to_string()])));
        }
    }
    let standings = g.standings();
    if !standings.is_empty() {
        out.push(String::new());
        out.push(if g.phase() == Phase::Podium {
            t.podium.to_owned()
        } else {
            t.leaderboard.to_owned()
        });
        let shown = if g.phase() == Phase::Podium { 10 } else { 5 };
        for (i, s) in standings.iter().take(shown).enumerate() {
            let medal = match (g.phase() == Phase::Podium, i) {
                (true, 0) => "🥇",
                (true, 1) => "🥈",
                (true, 2) => "🥉",
                _ => "  ",
            };
            // The name isolated (FSI … PDI), so that an Arabic name on an English console
            // keeps its column and the points after it ("0.00" would otherwise join the
            // name's right-to-left run and be drawn before it); padded to 30 cells outside.
            let name = crate::diag::escape_for_terminal(&s.name);
            let pad = " ".repeat(30_usize.saturating_sub(crate::tui::bidi::cell_width(&name)));
            out.push(format!(
                "{medal} {:>2}. \u{2068}{name}\u{2069}{pad} {:>6.2}  {}",
                i + 1,
                s.points,
                fill(t.right_count, &[s.right.to_string()])
            ));
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(i, text)| PacedLine {
            text,
            wrap: wrap.contains(&i),
        })
        .collect()
}

/// A row's time left at `now`; "-" for a finished attempt, whose clock has stopped, and for one
/// without a time limit.
fn time_cell(r: &ConsoleRow, now: Millis) -> String {
    if r.state == RowState::Finished {
        "-".to_owned()
    } else {
        time_left(r.deadline, now)
    }
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

/// Text as the console draws it, wrapped at `width`: in Arabic, shaped, reordered and set
/// from the right when this program reorders (as the board does).
fn text_lines(s: &str, width: u16, lang: Lang, d: Display) -> Vec<Line<'static>> {
    let dir = if lang.is_rtl() { Dir::Rtl } else { Dir::Ltr };
    let w = usize::from(width).max(1);
    visual_styled_lines(
        &[(s.to_owned(), Style::default())],
        dir,
        w,
        d.mode,
        d.shaping,
    )
    .into_iter()
    .map(|l| crate::tui::bidi::align_line(l, dir, w))
    .collect()
}

/// One line of text as the console draws it (the first of [`text_lines`]): for lines that
/// stay one line, as the paced lines whose bars line up.
fn text_line(s: &str, width: u16, lang: Lang, d: Display) -> Line<'static> {
    if !lang.is_rtl() && !crate::tui::bidi::has_arabic_letters(s) {
        return Line::from(s.to_owned());
    }
    text_lines(s, width, lang, d)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// A table cell: a name with Arabic letters shaped and in visual order when this program
/// reorders (a cell on its own, as the board's names), anything else as it is.
fn cell(s: &str, d: Display) -> String {
    table_cell(s, 0, false, d.mode, d.shaping)
}

/// What the console draws with.
#[derive(Clone, Copy, Debug)]
pub struct Look {
    /// Language.
    pub lang: Lang,
    /// Right-to-left text.
    pub display: Display,
    /// The time now.
    pub now: Millis,
}

/// What the server says about itself: the command trainees type, shown in the console's one
/// line of header, and the details behind the details key (every address, the class code,
/// the host key, the folders, the notes of the start), wrapped at the console's width.
#[derive(Clone, Debug, Default)]
pub struct About {
    /// The command a trainee types (the first address).
    pub connect: String,
    /// The lines of the start banner.
    pub details: Vec<String>,
    /// The notes of the start (keys made, a game taken up, records written): shown on the
    /// status line until the instructor's first key, and in the details.
    pub notes: Vec<String>,
}

/// The header's one line: the command trainees type, the class code and the sessions, as
/// many of them as fit in `width` cells (the code first, then the sessions, then the command).
fn header_line(ctx: &Ctx, about: &About, state: &str, width: usize, lang: Lang) -> String {
    let t = words(lang);
    let code = fill(t.code_is, &[ctx.code.as_str().to_owned()]);
    let parts = [about.connect.as_str(), code.as_str(), state];
    let w = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let mut keep = [false; 3];
    let mut used = 0;
    for i in [1, 2, 0] {
        let need = w(parts[i]) + if used > 0 { 3 } else { 0 };
        if !parts[i].is_empty() && used + need <= width {
            keep[i] = true;
            used += need;
        }
    }
    parts
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| *p)
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Draw the console: one line of header (in a frame of three rows), the trainees (or the
/// game, or the details), the keys and the last thing done.
pub fn draw(
    f: &mut Frame<'_>,
    ctx: &Ctx,
    console: &Console,
    rows: &[ConsoleRow],
    about: &About,
    board: &crate::report::board::Board,
    look: Look,
) {
    let Look {
        lang,
        display: d,
        now,
    } = look;
    let t = words(lang);
    if console.board {
        // The way back to the trainees, in the frame's bottom line.
        let back = fill(
            t.details_back,
            &[keymap::keys_for(Context::Console, Action::ShowBoard, lang)],
        );
        crate::tui::board::draw_with_keys(f, board, lang, d, &back);
        return;
    }
    let area = f.area();
    let paced = ctx.paced.as_ref().map(|m| {
        let g = m.lock();
        paced_lines(&g, now, usize::from(area.width), lang)
    });
    // The key line and the status wrap at the width (in either language), below a rule.
    let help = match console.confirm {
        Some(c) => vec![confirm_line(c, ctx.paced.is_some(), lang)],
        None if console.details => vec![
            fill(
                t.details_back,
                &[keymap::keys_for(Context::Console, Action::Help, lang)],
            ),
            console.status.clone(),
        ],
        None => vec![
            short_key_line(lang, ctx.paced.is_some()),
            console.status.clone(),
        ],
    };
    let foot_lines: Vec<Line> = help
        .iter()
        .filter(|l| !l.is_empty())
        .flat_map(|l| text_lines(l, area.width, lang, d))
        .collect();
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(3),
        Constraint::Length(u16::try_from(foot_lines.len().min(5)).unwrap_or(5) + 1),
    ])
    .areas(area);
    let inner = head.width.saturating_sub(2);
    let locked = ctx.class.locked.load(Ordering::SeqCst);
    let ended = ctx.class.ended.load(Ordering::SeqCst);
    let mut state = fill(
        t.sessions,
        &[
            ctx.class.live().to_string(),
            ctx.max_sessions.to_string(),
            if locked { t.joins_locked } else { t.joins_open }.to_owned(),
            if ended { t.exam_ended } else { "" }.to_owned(),
        ],
    );
    if let Some(why) = ctx
        .paced
        .as_ref()
        .and_then(|g| g.failure.lock().ok().and_then(|f| f.clone()))
    {
        state = format!("{state} · {}", fill(t.save_failed, &[why]));
    }
    let line = header_line(ctx, about, &state, usize::from(inner), lang);
    f.render_widget(
        Paragraph::new(vec![text_line(&line, inner, lang, d)]).block(
            Block::default()
                .borders(Borders::ALL)
                .title(cell(t.title, d)),
        ),
        head,
    );
    if console.details {
        let width = body.width.saturating_sub(2);
        // Every key first, then the banner.
        let all_keys = if ctx.paced.is_some() {
            paced_key_line(lang)
        } else {
            key_line(lang)
        };
        let lines: Vec<Line> = [all_keys, String::new()]
            .iter()
            .chain(&about.details)
            .flat_map(|l| {
                if l.is_empty() {
                    vec![Line::default()]
                } else {
                    text_lines(l, width, lang, d)
                }
            })
            .collect();
        f.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(cell(t.details_title, d)),
            ),
            body,
        );
    } else if let Some(lines) = paced {
        let width = body.width.saturating_sub(2);
        let lines: Vec<Line> = lines
            .iter()
            .flat_map(|l| {
                if l.wrap && !l.text.is_empty() {
                    text_lines(&l.text, width, lang, d)
                } else {
                    vec![text_line(&l.text, width, lang, d)]
                }
            })
            .collect();
        f.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(cell(t.live_title, d)),
            ),
            body,
        );
    } else {
        // In Arabic, when this program reorders, the columns run from the right (the board's
        // rule); a terminal that does its own bidi gets them in logical order.
        let rtl = lang.is_rtl() && d.mode == BidiMode::Reorder;
        let order = |mut v: Vec<String>| {
            if rtl {
                v.reverse();
            }
            v
        };
        let table_rows = rows.iter().map(|r| {
            let state = match r.state {
                RowState::Joining => t.joining,
                RowState::Working => t.working,
                RowState::Finished => t.finished,
                RowState::Away => t.away,
            };
            Row::new(order(vec![
                if r.trainee.is_empty() {
                    cell(t.typing, d)
                } else {
                    cell(&crate::diag::escape_for_terminal(&r.trainee), d)
                },
                r.exam.clone(),
                r.progress
                    .map_or_else(String::new, |(a, t)| format!("{a}/{t}")),
                r.flagged.to_string(),
                time_cell(r, now),
                cell(state, d),
            ]))
        });
        let mut widths = vec![
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Length(9),
            Constraint::Length(8),
            Constraint::Length(14),
            Constraint::Length(13),
        ];
        if rtl {
            widths.reverse();
        }
        let heads = [
            t.col_trainee,
            t.col_exam,
            t.col_answered,
            t.col_flagged,
            t.col_time,
            t.col_state,
        ]
        .map(|h| cell(h, d))
        .to_vec();
        let table = Table::new(table_rows, widths)
            .header(Row::new(order(heads)).style(Style::default().add_modifier(Modifier::BOLD)))
            .row_highlight_style(Style::default().bg(Color::Blue))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(cell(&fill(t.trainees, &[rows.len().to_string()]), d)),
            );
        let mut state = TableState::default().with_selected(Some(console.selected));
        f.render_stateful_widget(table, body, &mut state);
    }
    f.render_widget(
        Paragraph::new(foot_lines).block(Block::default().borders(Borders::TOP)),
        foot,
    );
}

/// The console as screens of the one loop: refreshed at every wake-up (once a second, for the
/// countdowns) and after every key.
struct ConsoleScreen<'a> {
    ctx: &'a Ctx,
    about: &'a About,
    console: Console,
    rows: Vec<ConsoleRow>,
    board: crate::report::board::Board,
    display: Display,
    /// The saved attempts, as last read, and when.
    saved: Vec<ConsoleRow>,
    saved_at: Option<std::time::Instant>,
}

impl ConsoleScreen<'_> {
    /// Read the class, the game's clock and the board again; the autosave folder too after a
    /// key (`keyed`) or every [`SAVED_EVERY`].
    fn refresh(&mut self, keyed: bool) {
        super::paced::tick(self.ctx, now_ms());
        if keyed || self.saved_at.is_none_or(|t| t.elapsed() >= SAVED_EVERY) {
            self.saved = saved_attempts(self.ctx);
            self.saved_at = Some(std::time::Instant::now());
        }
        self.rows = rows_with(self.ctx, &self.saved);
        self.console.selected = self.console.selected.min(self.rows.len().saturating_sub(1));
        self.board.refresh();
    }
}

impl Screens for ConsoleScreen<'_> {
    fn now(&self) -> Millis {
        now_ms()
    }

    fn draw(&self, f: &mut Frame<'_>, now: Millis) -> ScrollLimits {
        let look = Look {
            lang: self.console.lang,
            display: self.display,
            now,
        };
        draw(
            f,
            self.ctx,
            &self.console,
            &self.rows,
            self.about,
            &self.board,
            look,
        );
        ScrollLimits::default()
    }

    fn wait(&self, _now: Millis) -> Option<Duration> {
        Some(Duration::from_secs(1))
    }

    fn step<B: Backend>(
        &mut self,
        event: Option<Event>,
        _source: &mut dyn EventSource,
        _terminal: &mut Terminal<B>,
    ) -> std::io::Result<bool> {
        if let Some(Event::Key(k)) = &event
            && self.console.key(self.ctx, &self.rows, k) == Step::Quit
        {
            return Ok(true);
        }
        self.refresh(matches!(event, Some(Event::Key(_))));
        Ok(false)
    }
}

/// Run the console on this terminal, in `lang`, until the instructor stops the server (or a
/// signal comes, or the terminal goes).
///
/// # Errors
/// When the terminal cannot be used.
pub fn run(ctx: &Ctx, about: &About, lang: Lang) -> std::io::Result<()> {
    let display = Display::default();
    let mut screen = ConsoleScreen {
        ctx,
        about,
        console: Console::new(lang),
        rows: Vec::new(),
        board: crate::report::board::Board::new(&ctx.places.results.dir, None),
        display,
        saved: Vec::new(),
        saved_at: None,
    };
    screen.console.status = about.notes.join(" · ");
    screen.refresh(true);
    match crate::tui::run::run_local(&mut screen, display.mode)? {
        Outcome::Ended(e) if e.kind() != std::io::ErrorKind::Interrupted => Err(e),
        Outcome::Quit | Outcome::Ended(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_line_and_the_questions_name_the_keys_of_the_keymap() {
        assert_eq!(
            key_line(Lang::En),
            "↑/↓ select · + 5 min for the selected · * 5 min for all · l lock/open joins · e end exam · b board · i details · q stop"
        );
        assert!(
            confirm_line(Confirm::Quit, false, Lang::En).ends_with("y: yes · any other key: no")
        );
    }

    #[test]
    fn a_finished_attempt_shows_no_time_left_and_the_others_count_down() {
        let now: Millis = 1_796_683_946_558;
        let row = |state| ConsoleRow {
            seat: Some(1),
            trainee: "Sara K".into(),
            exam: "final-assessment".into(),
            progress: Some((3, 30)),
            flagged: 0,
            deadline: Some(now + 2_362_400),
            state,
        };
        assert_eq!(time_cell(&row(RowState::Working), now), "39:22");
        assert_eq!(time_cell(&row(RowState::Away), now), "39:22");
        assert_eq!(time_cell(&row(RowState::Finished), now), "-");
        let over = ConsoleRow {
            deadline: Some(now - 1),
            ..row(RowState::Away)
        };
        assert_eq!(time_cell(&over, now), "0:00");
        let untimed = ConsoleRow {
            deadline: None,
            ..row(RowState::Working)
        };
        assert_eq!(time_cell(&untimed, now), "-");
    }

    #[test]
    fn the_short_key_lines_fit_one_row_of_80_columns_in_both_languages() {
        use unicode_width::UnicodeWidthStr as _;
        for lang in [Lang::En, Lang::Ar] {
            for paced in [false, true] {
                let line = short_key_line(lang, paced);
                // Within the console's frame, less a cell on each side.
                assert!(
                    line.width() <= 78,
                    "{lang:?} {paced}: {} {line}",
                    line.width()
                );
            }
        }
        assert_eq!(
            short_key_line(Lang::En, false),
            "↑/↓ select · + 5 min more · e end exam · b board · i all keys · q stop"
        );
        assert_eq!(
            short_key_line(Lang::En, true),
            "n next step · e end the game · b board · i all keys · q stop"
        );
    }
}
