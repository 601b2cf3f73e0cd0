//! Paced play's screen for a trainee (`serve --paced`): waiting for the instructor, the open
//! question with its countdown, right or wrong once it closes, and the podium at the end.
//! Drawing only reads; [`paragraphs`] is what is drawn, so that a front can tell whether
//! anything visible changed before drawing again.

use super::bidi::{Dir, align_line, visual_styled_lines};
use super::i18n::{choice_label, fill, paced, ui};
use super::ui::Display;
use crate::bank::{Kind, Question};
use crate::quiz::paced::View;
use crate::quiz::{Millis, Verdict};
use crate::text::{Digits, Lang};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// What the screen shows.
#[derive(Clone, Copy, Debug)]
pub struct Screen<'a> {
    /// The trainee's view of the game.
    pub view: &'a View,
    /// The question of the view (open or revealed), and its choices' display order.
    pub question: Option<(&'a Question, &'a [usize])>,
    /// Questions in the game.
    pub len: usize,
    /// Trainees in the game.
    pub players: usize,
    /// The trainee's name.
    pub name: &'a str,
    /// The interface language.
    pub lang: Lang,
    /// Digits of the numbers written.
    pub digits: Digits,
}

/// One paragraph: text and style.
pub type Para = (String, Style);

fn points(p: f64) -> String {
    format!("{p:.2}")
}

fn seconds(left: Millis) -> String {
    // 12.3 s left shows 13 until it is 12.0: the number never reaches 0 while time is left.
    ((left + 999) / 1000).to_string()
}

/// The label and text of each choice, in display order.
fn choices(q: &Question, order: &[usize], lang: Lang) -> Vec<(String, String)> {
    let t = ui(lang);
    match &q.kind {
        Kind::Single { choices, .. } => order
            .iter()
            .enumerate()
            .map(|(pos, &i)| {
                let text = choices.get(i).map_or("", |c| c.get(lang));
                (choice_label(lang, pos), text.to_owned())
            })
            .collect(),
        Kind::TrueFalse { .. } => vec![
            (choice_label(lang, 0), t.true_word.to_owned()),
            (choice_label(lang, 1), t.false_word.to_owned()),
        ],
        _ => Vec::new(),
    }
}

/// The paragraphs of the screen, top to bottom.
#[must_use]
pub fn paragraphs(s: &Screen<'_>) -> Vec<Para> {
    let t = paced(s.lang);
    let u = ui(s.lang);
    let num = |x: &str| s.digits.write(x).into_owned();
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let dim = Style::default().fg(Color::DarkGray);
    let mut out: Vec<Para> = vec![(t.title.to_owned(), bold.fg(Color::Cyan))];
    let question = |out: &mut Vec<Para>, q: usize, mark: &dyn Fn(usize) -> Style| {
        out.push((
            num(&fill(
                u.question_n_of,
                &[&(q + 1).to_string(), &s.len.to_string()],
            )),
            dim,
        ));
        if let Some((question, order)) = s.question {
            out.push((question.prompt.get(s.lang).to_owned(), bold));
            for (pos, (label, text)) in choices(question, order, s.lang).into_iter().enumerate() {
                out.push((format!("{label}) {text}"), mark(pos)));
            }
        }
    };
    match s.view {
        View::Lobby { players } => {
            out.push((
                fill(t.lobby, &[&super::ui::untrusted(s.name)]),
                Style::default(),
            ));
            out.push((num(&fill(t.players, &[&players.to_string()])), dim));
        }
        View::Open { q, left, answered } => {
            let secs = num(&fill(t.seconds_left, &[&seconds(*left)]));
            let urgent = if *left <= 5_000 {
                bold.fg(Color::Red)
            } else {
                bold.fg(Color::Yellow)
            };
            out.push((secs, urgent));
            let picked = *answered;
            question(&mut out, *q, &|pos| {
                if picked == Some(pos) {
                    bold.fg(Color::Black).bg(Color::Cyan)
                } else {
                    Style::default()
                }
            });
            out.push(match answered {
                Some(_) => (t.sent.to_owned(), bold),
                None => (t.choose.to_owned(), dim),
            });
        }
        View::Closed {
            q,
            answered,
            verdict,
            points: p,
            right,
            total,
            rank,
        } => {
            let (line, style) = match (verdict, answered) {
                (Verdict::Right | Verdict::Partial, _) => {
                    (num(&fill(t.right, &[&points(*p)])), bold.fg(Color::Green))
                }
                (_, None) => (t.no_answer.to_owned(), bold.fg(Color::Yellow)),
                _ => (t.wrong.to_owned(), bold.fg(Color::Red)),
            };
            out.push((line, style));
            let (right, picked) = (*right, *answered);
            question(&mut out, *q, &|pos| {
                if right == Some(pos) {
                    bold.fg(Color::Green)
                } else if picked == Some(pos) {
                    Style::default()
                        .fg(Color::Red)
                        .add_modifier(Modifier::CROSSED_OUT)
                } else {
                    dim
                }
            });
            if let (Some(r), Some((question, order))) = (right, s.question) {
                let c = choices(question, order, s.lang);
                if let Some((label, text)) = c.get(r) {
                    out.push((fill(t.right_answer, &[&format!("{label}) {text}")]), bold));
                }
            }
            out.push((
                num(&fill(
                    t.standing,
                    &[&points(*total), &rank.to_string(), &s.players.to_string()],
                )),
                Style::default(),
            ));
            out.push((t.next_soon.to_owned(), dim));
        }
        View::Podium {
            rank,
            of,
            total,
            right,
        } => {
            out.push((t.podium_title.to_owned(), bold));
            out.push((
                num(&fill(
                    t.podium,
                    &[
                        &rank.to_string(),
                        &of.to_string(),
                        &points(*total),
                        &right.to_string(),
                    ],
                )),
                bold.fg(if *rank <= 3 {
                    Color::Green
                } else {
                    Color::Reset
                }),
            ));
            out.push((t.recorded.to_owned(), Style::default()));
        }
    }
    out.push((t.leave.to_owned(), dim));
    out
}

/// Draw the screen.
pub fn draw(f: &mut Frame<'_>, s: &Screen<'_>, d: Display) {
    let area = f.area();
    let w = area.width.saturating_sub(4).max(1);
    let dir = if s.lang.is_rtl() { Dir::Rtl } else { Dir::Ltr };
    let mut lines: Vec<Line<'static>> = Vec::new();
    for (i, (text, style)) in paragraphs(s).into_iter().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        for l in visual_styled_lines(&[(text, style)], dir, usize::from(w), d.mode, d.shaping) {
            lines.push(align_line(l, dir, usize::from(w)));
        }
    }
    let rect = Rect {
        x: area.x + 2,
        y: area.y + 1,
        width: w.min(area.width),
        height: area.height.saturating_sub(1),
    };
    f.render_widget(Paragraph::new(lines), rect);
}
