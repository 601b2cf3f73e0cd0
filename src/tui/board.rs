//! The live leaderboard screen for the projector.

use super::app::ScrollLimits;
use super::bidi::{
    Dir, align_line, chart_rows_for_terminal_bidi, table_cell, text_width, truncate,
    visual_styled_lines,
};
use super::front::{EventSource, Outcome, Screens};
use super::i18n::{duration, percent_label, topic_name};
use super::keymap::{Action, Context};
use super::ui::Display;
use crate::messages::{K, fill, template};
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

/// A percentage with no decimals, never `-0`.
fn num0(v: f64) -> String {
    let s = format!("{v:.0}");
    if s == "-0" { "0".to_owned() } else { s }
}

fn line(s: &str, style: Style, width: u16, lang: Lang, d: Display) -> Line<'static> {
    let dir = if lang.is_rtl() { Dir::Rtl } else { Dir::Ltr };
    let w = usize::from(width);
    visual_styled_lines(&[(s.to_owned(), style)], dir, w, d.mode, d.shaping)
        .into_iter()
        .next()
        .map(|l| align_line(l, dir, w))
        .unwrap_or_default()
}

/// A line of the frame (the title, the keys): set from the right in Arabic by the frame, not
/// padded to the width as [`line`] is, which would hide the frame's own line under spaces.
fn in_frame(s: &str, style: Style, width: u16, lang: Lang, d: Display) -> Line<'static> {
    let dir = if lang.is_rtl() { Dir::Rtl } else { Dir::Ltr };
    let l = visual_styled_lines(
        &[(s.to_owned(), style)],
        dir,
        usize::from(width),
        d.mode,
        d.shaping,
    )
    .into_iter()
    .next()
    .unwrap_or_default();
    if lang.is_rtl() { l.right_aligned() } else { l }
}

/// Put each of the first `n` rows of `area` in a right-to-left isolate (RLI at its first cell,
/// PDI after its last), for a terminal that does its own bidi: the row is laid out right to
/// left even where the terminal takes every line as a left-to-right paragraph (VTE, Konsole),
/// so the rank, first in the row's logical order, is at the right, where an Arabic row is read
/// first (without it, a rank at the start of a left-to-right paragraph stays at the far left
/// and is read last). A terminal that detects each line's direction skips the isolate's
/// contents when detecting (UAX #9, P2), and lays it out the same way. The name (`name`: its
/// first cell from the row's start, and its width) is isolated too, in its own direction, so
/// that a Latin name does not take the score after it into its left-to-right run. The marks are
/// set on the cells after the paragraph is drawn, because a paragraph drops zero-width
/// characters.
fn isolate_rows_right_to_left(
    buf: &mut ratatui::buffer::Buffer,
    area: ratatui::layout::Rect,
    n: usize,
    name: (usize, usize),
) {
    if area.width == 0 {
        return;
    }
    let last = area.x + area.width - 1;
    let at = |i: usize| area.x.saturating_add(u16::try_from(i).unwrap_or(u16::MAX));
    let (from, to) = (at(name.0), at(name.0 + name.1.max(1) - 1));
    for y in (area.y..area.y + area.height).take(n) {
        if name.1 > 0 && to < last {
            let first = format!("\u{2068}{}", buf[(from, y)].symbol());
            buf[(from, y)].set_symbol(&first);
            let end = format!("{}\u{2069}", buf[(to, y)].symbol());
            buf[(to, y)].set_symbol(&end);
        }
        let first = format!("\u{2067}{}", buf[(area.x, y)].symbol());
        buf[(area.x, y)].set_symbol(&first);
        let end = format!("{}\u{2069}", buf[(last, y)].symbol());
        buf[(last, y)].set_symbol(&end);
    }
}

/// Seconds each page of the board stays on the projector when the trainees do not fit.
pub const PAGE_SECONDS: u64 = 8;

/// One row of the board's table as cells (rank, name, score, result, status).
struct Cells {
    rank: String,
    name: String,
    score: String,
    result: String,
    status: String,
    style: Style,
}

/// Draw the board (its first page), with Western digits.
pub fn draw(f: &mut Frame<'_>, b: &Board, lang: Lang, d: Display) {
    draw_in(f, b, lang, crate::text::Digits::Western, d);
}

/// Draw the board (its first page); the numbers it writes (ranks, percentages, counts, times)
/// in `digits` when `lang` is Arabic.
pub fn draw_in(f: &mut Frame<'_>, b: &Board, lang: Lang, digits: crate::text::Digits, d: Display) {
    draw_page(f, b, lang, digits, d, 0);
}

/// Draw page `page` of the board (taken modulo the number of pages): the trainees that fit,
/// "+N more" and the page when they do not all fit, the flagged records (never ranked) and
/// the topic means.
pub fn draw_page(
    f: &mut Frame<'_>,
    b: &Board,
    lang: Lang,
    digits: crate::text::Digits,
    d: Display,
    page: usize,
) {
    let _ = draw_counted(f, b, (lang, digits, d), page, "");
}

/// The board (its first page) as a screen shows it, with `keys` (the way back or out, as the
/// screen words it) in the bottom line of its frame.
pub fn draw_with_keys(f: &mut Frame<'_>, b: &Board, lang: Lang, d: Display, keys: &str) {
    let _ = draw_counted(f, b, (lang, crate::text::Digits::Western, d), 0, keys);
}

/// [`draw_page`], with `keys` in the bottom line of the frame (none when empty), returning how
/// many pages the board has at this size.
fn draw_counted(
    f: &mut Frame<'_>,
    b: &Board,
    (lang, digits, d): (Lang, crate::text::Digits, Display),
    page: usize,
    keys: &str,
) -> usize {
    let mut page_count = 1;
    let digits = digits.for_lang(lang);
    let n = |s: String| digits.write(&s).into_owned();
    let area = f.area();
    let t = |k: K| template(lang, k);
    let color = |c: Color| {
        if d.theme.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    };
    let exam = b
        .title()
        .map(|x| {
            super::ui::untrusted(&crate::messages::exam_title(
                lang,
                &b.exam_id().unwrap_or_default(),
                &x,
            ))
        })
        .unwrap_or_default();
    let title = format!("{} · {}", t(K::BoardTitle), exam);
    let frame_width = area.width.saturating_sub(4);
    let mut block = Block::default().borders(Borders::ALL).title(in_frame(
        &title,
        color(Color::Cyan).add_modifier(Modifier::BOLD),
        frame_width,
        lang,
        d,
    ));
    if !keys.is_empty() {
        // The keys in the frame's bottom line, where they take no row from the trainees.
        block = block.title_bottom(in_frame(keys, Style::default(), frame_width, lang, d));
    }
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height < 3 || inner.width < 20 {
        return page_count;
    }
    let rows = b.rows();
    let flagged = b.flagged();
    // The chart of topic means on a tall screen, or when the rows leave room for it.
    let room = usize::from(inner.height).saturating_sub(10);
    let chart_h = if inner.height > 24 || (inner.height > 16 && rows.len() + 4 <= room) {
        10
    } else {
        0
    };
    let [table, chart] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(chart_h)]).areas(inner);
    let width = usize::from(table.width);
    let mut lines: Vec<Line<'static>> = Vec::new();
    if rows.is_empty() {
        lines.push(line(
            t(K::BoardWaiting),
            Style::default(),
            table.width,
            lang,
            d,
        ));
    }
    let cells: Vec<Cells> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let name = crate::diag::escape_for_terminal(&r.trainee);
            match (r.percent, r.progress) {
                (Some(p), _) => Cells {
                    rank: n(format!("{}", i + 1)),
                    name,
                    score: n(format!("{}%", num0(p))),
                    result: t(if r.passed { K::BoardPass } else { K::BoardFail }).to_owned(),
                    // In the language's units: "9:50" in Arabic, where Latin units ("9m50s")
                    // would split the time around the word before it in a bidi terminal.
                    status: n(duration(lang, u64::try_from(r.seconds).unwrap_or(0))),
                    style: if r.passed {
                        color(Color::Green)
                    } else {
                        color(Color::Yellow)
                    },
                },
                (None, Some((a, total))) => Cells {
                    rank: String::new(),
                    name,
                    score: n(format!("{a}/{total}")),
                    result: String::new(),
                    status: t(K::BoardInProgress).to_owned(),
                    style: Style::default().add_modifier(Modifier::DIM),
                },
                (None, None) => Cells {
                    rank: String::new(),
                    name,
                    score: String::new(),
                    result: String::new(),
                    status: String::new(),
                    style: Style::default(),
                },
            }
        })
        .collect();
    // Lines for the flagged records under the table (one, or two on a tall screen).
    let flag_lines = if flagged.is_empty() {
        0
    } else if table.height >= 20 {
        2
    } else {
        1
    };
    let body = usize::from(table.height).saturating_sub(flag_lines);
    // The table's rows (the header first), counted from the top of `table`.
    let mut table_rows = 0;
    // Where the names are in each row (first cell and width), in logical order.
    let mut name_cells = (0, 0);
    if !cells.is_empty() && body >= 3 {
        let header = Cells {
            rank: "#".to_owned(),
            name: t(K::HTrainee).to_owned(),
            score: "%".to_owned(),
            result: t(K::HtmlResult).to_owned(),
            status: t(K::HTime).to_owned(),
            style: Style::default().add_modifier(Modifier::BOLD),
        };
        // Rows per page: what is left under the header and the "+N more" line.
        let fits_all = cells.len() < body;
        let per_page = if fits_all {
            cells.len()
        } else {
            body.saturating_sub(2).max(1)
        };
        let pages = cells.len().div_ceil(per_page).max(1);
        page_count = pages;
        let page = page % pages;
        let shown = &cells[page * per_page..((page + 1) * per_page).min(cells.len())];
        table_rows = 1 + shown.len();
        let measure = |s: &str| text_width(s, d.mode, d.shaping);
        // Widths over every row, not only this page's, so that pages do not jump.
        let col = |get: &dyn Fn(&Cells) -> &str| {
            cells
                .iter()
                .chain(std::iter::once(&header))
                .map(|c| measure(get(c)))
                .max()
                .unwrap_or(0)
        };
        let w_rank = col(&|c| &c.rank).max(2);
        let w_score = col(&|c| &c.score).max(4);
        let w_result = col(&|c| &c.result);
        let w_status = col(&|c| &c.status);
        let gaps = 2 * 4 + 1;
        let fixed = w_rank + w_score + w_result + w_status + gaps;
        // The names take the rest of the width, up to the longest name.
        let w_name = width
            .saturating_sub(fixed)
            .min(col(&|c| &c.name).max(measure(&header.name)))
            .max(6);
        name_cells = (1 + w_rank + 2, w_name);
        for c in std::iter::once(&header).chain(shown) {
            let name = if measure(&c.name) > w_name {
                let cut = truncate(&c.name, w_name.saturating_sub(1), d.mode, d.shaping);
                format!("{cut}…")
            } else {
                c.name.clone()
            };
            let cell = |s: &str, w: usize, right: bool| table_cell(s, w, right, d.mode, d.shaping);
            // Laid out right to left here only when this program reorders; a terminal that
            // does its own bidi gets the row in logical order (rank first) and lays it out.
            let rtl = lang.is_rtl() && d.mode == super::bidi::BidiMode::Reorder;
            let mut parts = [
                cell(&c.rank, w_rank, true),
                cell(&name, w_name, rtl),
                cell(&c.score, w_score, true),
                cell(&c.result, w_result, rtl),
                cell(&c.status, w_status, !rtl),
            ];
            if rtl {
                parts.reverse();
            }
            // One cell of margin at the start: the left, or the right in Arabic.
            let text = if rtl {
                format!("{} ", parts.join("  "))
            } else {
                format!(" {}", parts.join("  "))
            };
            let mut l = Line::styled(text, c.style);
            if rtl {
                l = align_line(l, Dir::Rtl, width);
            }
            lines.push(l);
        }
        if !fits_all {
            let rest = cells.len() - (page * per_page + shown.len());
            // The last page has nobody after it: it says which page it is, not "+0 more".
            let more = if rest == 0 {
                fill(
                    t(K::BoardLastPage),
                    &[
                        n((page + 1).to_string()),
                        n(pages.to_string()),
                        n(cells.len().to_string()),
                    ],
                )
            } else {
                fill(
                    t(K::BoardMore),
                    &[
                        n(rest.to_string()),
                        n((page + 1).to_string()),
                        n(pages.to_string()),
                        n(cells.len().to_string()),
                    ],
                )
            };
            // The keys that turn the pages, from the keymap.
            let keys = fill(
                t(K::BoardPageKeys),
                &[super::keymap::keys_for(Context::Viewer, Action::Down, lang)],
            );
            let more = format!("{more} · {keys}");
            lines.push(line(
                &more,
                color(Color::Cyan).add_modifier(Modifier::BOLD),
                table.width,
                lang,
                d,
            ));
        }
    }
    lines.truncate(body.max(1));
    if flag_lines > 0 {
        while lines.len() < body {
            lines.push(Line::default());
        }
        let list: Vec<String> = flagged
            .iter()
            .map(|x| {
                let who = if x.trainee.is_empty() {
                    x.file.clone()
                } else {
                    x.trainee.clone()
                };
                format!(
                    "{} ({})",
                    crate::diag::escape_for_terminal(&who),
                    crate::diag::escape_for_terminal(&x.reason.render(lang))
                )
            })
            .collect();
        let text = format!(
            "{}: {}",
            fill(t(K::BoardFlagged), &[n(flagged.len().to_string())]),
            list.join(" · ")
        );
        let dir = if lang.is_rtl() { Dir::Rtl } else { Dir::Ltr };
        let style = color(Color::Red);
        let mut wrapped = visual_styled_lines(&[(text, style)], dir, width, d.mode, d.shaping);
        wrapped.truncate(flag_lines);
        lines.extend(wrapped.into_iter().map(|l| align_line(l, dir, width)));
    }
    f.render_widget(Paragraph::new(lines), table);
    if lang.is_rtl() && d.mode == super::bidi::BidiMode::Terminal {
        isolate_rows_right_to_left(f.buffer_mut(), table, table_rows.min(body), name_cells);
    }
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
        let mut out = vec![line(
            t(K::BoardMeans),
            Style::default(),
            chart.width,
            lang,
            d,
        )];
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
    page_count
}

/// The live board as screens of the one loop ([`super::front::run_loop`]): refreshed at
/// every wake-up (once a second), left with q, Esc or Ctrl-C (q under the Arabic layout too).
pub struct BoardScreen {
    /// The board.
    pub board: Board,
    lang: Lang,
    digits: crate::text::Digits,
    d: Display,
    /// When the page shown last changed (at the start, or by a key): the pages turn on from it.
    started: Millis,
    /// The page shown at `started`.
    base: usize,
    /// How many pages the board had when last drawn.
    pages: std::cell::Cell<usize>,
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
            started: super::host::now_ms(),
            base: 0,
            pages: std::cell::Cell::new(1),
        }
    }

    /// The page shown at `now`: the page turned to last, then one more every
    /// [`PAGE_SECONDS`] (the drawing takes it modulo the number of pages).
    #[must_use]
    pub fn page_at(&self, now: Millis) -> usize {
        let secs = u64::try_from((now - self.started).max(0) / 1000).unwrap_or(0);
        self.base + usize::try_from(secs / PAGE_SECONDS).unwrap_or(0)
    }

    /// Turn to the next page (`forward`) or the previous one at `now`; the timer starts again
    /// from it.
    pub fn turn(&mut self, forward: bool, now: Millis) {
        let pages = self.pages();
        let here = self.page_at(now) % pages;
        self.base = if forward {
            (here + 1) % pages
        } else {
            (here + pages - 1) % pages
        };
        self.started = now;
    }

    /// How many pages the board has at the size it was last drawn (1 before that).
    fn pages(&self) -> usize {
        self.pages.get().max(1)
    }
}

impl Screens for BoardScreen {
    fn now(&self) -> Millis {
        super::host::now_ms()
    }

    fn draw(&self, f: &mut Frame<'_>, now: Millis) -> ScrollLimits {
        // Trainees that do not fit are shown page after page, or as the keys turn them.
        let pages = draw_counted(
            f,
            &self.board,
            (self.lang, self.digits, self.d),
            self.page_at(now),
            &super::keymap::viewer_way_out(self.lang),
        );
        self.pages.set(pages);
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
        if let Some(Event::Key(k)) = &event {
            match super::keymap::viewer_action(k, self.lang) {
                Some(Action::Cancel | Action::QuitNow) => return Ok(true),
                Some(Action::PageDown) => self.turn(true, self.now()),
                Some(Action::PageUp) => self.turn(false, self.now()),
                _ => {}
            }
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
