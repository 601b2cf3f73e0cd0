//! The live leaderboard screen for the projector.

use super::app::ScrollLimits;
use super::bidi::{Dir, align_line, chart_rows_for_terminal_bidi, visual_styled_lines};
use super::front::{EventSource, Outcome, Screens};
use super::i18n::{duration, percent_label, topic_name};
use super::ui::Display;
use crate::quiz::Millis;
use crate::report::board::Board;
use crate::text::Lang;
use crossterm::event::Event;
use ratatui::backend::Backend;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph};
use ratatui::{Frame, Terminal};
use std::time::Duration;

fn line(s: &str, style: Style, width: u16, lang: Lang, d: Display) -> Line<'static> {
    let dir = if lang.is_rtl() { Dir::Rtl } else { Dir::Ltr };
    let w = usize::from(width);
    visual_styled_lines(&[(s.to_owned(), style)], dir, w, d.mode, d.shaping)
        .into_iter()
        .next()
        .map(|l| align_line(l, dir, w))
        .unwrap_or_default()
}

/// Draw the board, with Western digits.
pub fn draw(f: &mut Frame<'_>, b: &Board, lang: Lang, d: Display) {
    draw_in(f, b, lang, crate::text::Digits::Western, d);
}

/// Draw the board; the numbers it writes (ranks, percentages, counts, times) in `digits`
/// when `lang` is Arabic.
pub fn draw_in(f: &mut Frame<'_>, b: &Board, lang: Lang, digits: crate::text::Digits, d: Display) {
    let digits = digits.for_lang(lang);
    let n = |s: String| digits.write(&s).into_owned();
    let area = f.area();
    let color = |c: Color| {
        if d.theme.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    };
    let t = crate::messages::ui(lang);
    let (t_board, t_none, t_rank, t_done, t_progress, t_means) = (
        t.board_title,
        t.board_waiting,
        "#",
        t.board_done,
        t.board_in_progress,
        t.board_means,
    );
    let title = format!("{t_board} · {}", b.title().unwrap_or_default());
    let block = Block::default().borders(Borders::ALL).title(line(
        &title,
        color(Color::Cyan).add_modifier(Modifier::BOLD),
        area.width.saturating_sub(4),
        lang,
        d,
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height < 3 || inner.width < 20 {
        return;
    }
    let rows = b.rows();
    let [table, chart] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(if inner.height > 16 { 10 } else { 0 }),
    ])
    .areas(inner);
    let mut lines = Vec::new();
    if rows.is_empty() {
        lines.push(line(t_none, Style::default(), table.width, lang, d));
    }
    for (i, r) in rows.iter().enumerate() {
        let (score, status, style) = match (r.percent, r.progress) {
            (Some(p), _) => (
                n(format!("{p:>5.0}%")),
                format!(
                    "{t_done} {}",
                    // In the language's units: "9:50" in Arabic, where Latin units ("9m50s")
                    // would split the time around the word before it in a bidi terminal.
                    n(duration(lang, u64::try_from(r.seconds).unwrap_or(0)))
                ),
                if r.passed {
                    color(Color::Green)
                } else {
                    color(Color::Yellow)
                },
            ),
            (None, Some((a, total))) => (
                n(format!("{a:>2}/{total:<2} ")),
                t_progress.to_owned(),
                Style::default().add_modifier(Modifier::DIM),
            ),
            (None, None) => (String::new(), String::new(), Style::default()),
        };
        let rank = if r.percent.is_some() {
            n(format!("{t_rank}{:<3}", i + 1))
        } else {
            "    ".to_owned()
        };
        let name: String = crate::diag::escape_for_terminal(&r.trainee)
            .chars()
            .take(28)
            .collect();
        lines.push(line(
            &format!("{rank} {name:<28} {score}  {status}"),
            style,
            table.width,
            lang,
            d,
        ));
        if lines.len() >= usize::from(table.height) {
            break;
        }
    }
    f.render_widget(Paragraph::new(lines), table);
    let means = b.topic_means();
    if chart.height > 0 && !means.is_empty() && lang.is_rtl() {
        // Arabic: one row per topic, the label whole beside its bar (see
        // `chart_rows_for_terminal_bidi`): a terminal that does its own bidi would reverse a
        // row of labels under vertical bars, and a bar's width cut the longer labels.
        let rows: Vec<(String, u64, Style)> = means
            .iter()
            .map(|(t, m)| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let v = m.round() as u64;
                (topic_name(lang, t), v, color(Color::Cyan))
            })
            .collect();
        let mut out = vec![line(t_means, Style::default(), chart.width, lang, d)];
        out.extend(chart_rows_for_terminal_bidi(
            &rows,
            chart.width,
            d.mode,
            d.shaping,
            digits,
        ));
        f.render_widget(Paragraph::new(out), chart);
    } else if chart.height > 0 && !means.is_empty() {
        let bars: Vec<Bar<'static>> = means
            .iter()
            .map(|(t, m)| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let v = m.round() as u64;
                Bar::default()
                    .value(v)
                    .text_value(n(percent_label(lang, v)))
                    // Laid out in the bar's own width: padded wider, a right-aligned
                    // Arabic label was cut to its padding and its last letters.
                    .label(line(&topic_name(lang, t), Style::default(), 12, lang, d))
            })
            .collect();
        let bc = BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(12)
            .bar_gap(3)
            .max(100)
            .bar_style(color(Color::Cyan));
        f.render_widget(
            bc,
            Rect {
                height: chart.height,
                ..chart
            },
        );
    }
}

/// The live board as screens of the one loop ([`super::front::run_loop`]): refreshed at
/// every wake-up (once a second), left with q, Esc or Ctrl-C (q under the Arabic layout too).
pub struct BoardScreen {
    /// The board.
    pub board: Board,
    lang: Lang,
    digits: crate::text::Digits,
    d: Display,
}

impl BoardScreen {
    /// The board, read once.
    #[must_use]
    pub fn new(
        mut board: Board,
        lang: Lang,
        digits: crate::text::Digits,
        d: Display,
    ) -> BoardScreen {
        board.refresh();
        BoardScreen {
            board,
            lang,
            digits,
            d,
        }
    }
}

impl Screens for BoardScreen {
    fn now(&self) -> Millis {
        super::host::now_ms()
    }

    fn draw(&self, f: &mut Frame<'_>, _now: Millis) -> ScrollLimits {
        draw_in(f, &self.board, self.lang, self.digits, self.d);
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
            && super::keymap::leaves_viewer(k, self.lang)
        {
            return Ok(true);
        }
        self.board.refresh();
        Ok(false)
    }
}

/// Run the board on this terminal until `q` or Esc (or a signal).
///
/// # Errors
/// When the terminal cannot be used.
pub fn run(
    board: Board,
    lang: Lang,
    digits: crate::text::Digits,
    d: Display,
) -> std::io::Result<()> {
    let mut screens = BoardScreen::new(board, lang, digits, d);
    match super::run::run_local(&mut screens, d.mode)? {
        Outcome::Ended(e) if e.kind() != std::io::ErrorKind::Interrupted => Err(e),
        Outcome::Quit | Outcome::Ended(_) => Ok(()),
    }
}
