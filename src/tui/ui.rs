//! Drawing. Reads the state, never changes it. Every text goes through the bidi pipeline with
//! the direction of its language, so Arabic is shaped, reordered and right-aligned.

use super::app::{App, Field, HomeForm, Overlay, QuestionView, SaveStatus, Screen, ScrollLimits};
use super::bidi::{
    BidiMode, Dir, align_line, cell_width, recording, text_width, visual_styled_lines,
};
use super::i18n::Does;
use super::i18n::{choice_label, duration, fill, percent_label, topic_name};
use super::keymap::{self, Context, KeyBar, Situation};
use super::lines::Lines;
use crate::bank::{Kind, Question};
use crate::exam::{Mode, Review};
use crate::quiz::{Millis, Response, Session, Verdict, credit};
use crate::text::Lang;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Clear, Gauge, Widget};

/// Smallest usable terminal: below it only a "please enlarge" message is shown.
pub const MIN_W: u16 = 30;
/// Smallest usable terminal: below it only a "please enlarge" message is shown.
pub const MIN_H: u16 = 8;
/// Below this width (or [`COMPACT_H`]) the screens use their compact layouts: no frames, side
/// panels, gauges or charts, a short header, one line of key hints, and scrolling bodies.
pub const COMPACT_W: u16 = 60;
/// Below this height (or [`COMPACT_W`]) the screens use their compact layouts.
pub const COMPACT_H: u16 = 16;

/// Whether an area gets the compact layouts.
#[must_use]
pub fn is_compact(area: Rect) -> bool {
    area.width < COMPACT_W || area.height < COMPACT_H
}

/// The leading parts of a text of parts ("a · b · c", most important first) that fit in
/// `width` cells as drawn (shaped, so a lam-alef ligature counts one cell).
fn fit_parts(c: &Ctx, hint: &str, width: u16) -> String {
    const SEP: &str = " · ";
    let w = usize::from(width);
    let mut out = String::new();
    let mut used = 0;
    for part in hint.split(SEP) {
        // Widths add up: no letter joins or forms a ligature across the separator's spaces,
        // so each part is shaped once, not every longer candidate again.
        let pw = text_width(part, c.d.mode, c.d.shaping);
        if out.is_empty() {
            if pw > w {
                // Not even the first part fits: keep it, the line breaks between words.
                return part.to_owned();
            }
            out.push_str(part);
            used = pw;
        } else if used + cell_width(SEP) + pw <= w {
            out.push_str(SEP);
            out.push_str(part);
            used += cell_width(SEP) + pw;
        } else {
            break;
        }
    }
    out
}

/// Draw `lines` in `area`, scrolled by the page scroll, which is held to what the lines need;
/// that limit is kept for the keys that scroll.
fn scrolled_page(f: &mut Frame<'_>, app: &App, c: &Ctx, lines: Vec<Line<'static>>, area: Rect) {
    let max = to_u16(lines.len().saturating_sub(usize::from(area.height)));
    c.limits.set(ScrollLimits {
        page_max: max,
        ..c.limits.get()
    });
    f.render_widget(
        Lines::new(lines).scroll((app.page_scroll.min(max), 0)),
        area,
    );
}

/// The question's view state on the question screen; on the review (which has none) the
/// state of a question just entered.
fn view_of(app: &App) -> &QuestionView {
    static NONE: std::sync::LazyLock<QuestionView> =
        std::sync::LazyLock::new(QuestionView::default);
    app.view().unwrap_or(&NONE)
}

fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

pub use super::display::{Display, Theme};

/// What the cached lines are made of the text: laid out, aligned in their width, or a key
/// hint cut to the parts that fit ([`fit_parts`]) and aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum How {
    Raw,
    Aligned,
    Bar,
}

/// Text and styles, direction, width, mode, shaping, and how the lines are made.
type LineKey = (Vec<(String, Style)>, Dir, u16, BidiMode, bool, How);

/// Entries of one generation of the line cache (see [`LineCache`]).
const LINE_CACHE_GENERATION: usize = 512;

/// One entry: its whole key (to compare) and its lines.
type LineEntry = (LineKey, Vec<Line<'static>>);

/// The line cache: entries by the hash of their key (computed from the borrowed key, so a hit
/// allocates nothing but its answer), in two generations. A hit in the older generation is
/// carried over to the newer one; when the newer one holds [`LINE_CACHE_GENERATION`] entries it
/// becomes the older one and the oldest entries go. The lines of every frame stay, while the
/// line a countdown makes anew each second goes after two generations: a session's cache
/// holds at most twice [`LINE_CACHE_GENERATION`] entries, however long the exam.
#[derive(Default)]
struct LineCache {
    young: std::collections::HashMap<u64, LineEntry>,
    old: std::collections::HashMap<u64, LineEntry>,
}

impl LineCache {
    /// The entry of `hash`, carried over to the young generation when found in the old one.
    fn get(&mut self, hash: u64) -> Option<&LineEntry> {
        if !self.young.contains_key(&hash) {
            let e = self.old.remove(&hash)?;
            self.insert(hash, e);
        }
        self.young.get(&hash)
    }

    fn insert(&mut self, hash: u64, e: LineEntry) {
        if self.young.len() >= LINE_CACHE_GENERATION {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(hash, e);
    }

    fn len(&self) -> usize {
        self.young.len() + self.old.len()
    }
}

// A memo, not state: the key holds everything that decides the laid-out lines (text, styles,
// direction, width, bidi mode, shaping), so a hit returns exactly what the miss computes, and
// no drawing depends on what another drawing left here. Per thread, so that sessions of the
// class server never wait for each other.
thread_local! {
    static LINE_CACHE: std::cell::RefCell<LineCache> =
        std::cell::RefCell::new(LineCache::default());
}

/// Entries in this thread's line cache now (for the tests and benchmarks that check that it
/// stays bounded over a long exam).
#[must_use]
pub fn line_cache_entries() -> usize {
    LINE_CACHE.with(|c| c.borrow().len())
}

/// The hash of a line-cache key, from its parts as borrowed.
fn line_key_hash(
    spans: &[(String, Style)],
    dir: Dir,
    width: u16,
    mode: BidiMode,
    shaping: bool,
    how: How,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    (spans, dir, width, mode, shaping, how).hash(&mut h);
    h.finish()
}

struct Ctx {
    lang: Lang,
    d: Display,
    /// Digits of the numbers the program writes (Arabic-Indic only in Arabic).
    digits: crate::text::Digits,
    /// The compact layouts (small terminal).
    compact: bool,
    /// What this drawing found could be scrolled: returned by [`draw`], never written into
    /// the state (the loop hands it to the app's update).
    limits: std::cell::Cell<ScrollLimits>,
}

impl Ctx {
    /// The context of a drawing of `app` into `area`, nothing found scrollable yet.
    fn of(app: &App, d: Display, area: Rect) -> Ctx {
        Ctx {
            lang: app.lang,
            d,
            digits: app.digits.for_lang(app.lang),
            compact: is_compact(area),
            limits: std::cell::Cell::new(ScrollLimits {
                page_max: 0,
                view_min: 0,
                view_max: 0,
            }),
        }
    }

    fn dir(&self) -> Dir {
        dir_of(self.lang)
    }
    /// A number the program formatted (or a phrase around one, like a duration) in the
    /// digits of the interface; never for an author's text or a trainee's answer.
    fn num(&self, s: &str) -> String {
        self.digits.write(s).into_owned()
    }
    /// Styled logical spans → aligned visual lines of at most `width` cells (cached per text,
    /// styles, direction, width and mode, so an unchanged screen costs no bidi work).
    fn lines(&self, spans: &[(String, Style)], width: u16, dir: Dir) -> Vec<Line<'static>> {
        self.cached(spans, width, dir, How::Aligned, None)
    }

    /// [`Ctx::lines`], aligned in their width or not.
    fn lines_as(
        &self,
        spans: &[(String, Style)],
        width: u16,
        dir: Dir,
        aligned: bool,
    ) -> Vec<Line<'static>> {
        let how = if aligned { How::Aligned } else { How::Raw };
        self.cached(spans, width, dir, how, None)
    }

    /// A key bar cut to the parts that fit in `width`, the lowest ranks first
    /// ([`KeyBar::fit`]: the way out and the help are always kept), and laid out as
    /// [`Ctx::text`]; cached by the whole bar (its text, and its ranks as a second span), so
    /// that an unchanged key bar is neither fitted nor shaped again.
    fn bar(&self, bar: &KeyBar, style: Style, width: u16) -> Vec<Line<'static>> {
        let spans = [(bar.text(), style), (bar.ranks(), Style::default())];
        self.cached(&spans, width, self.dir(), How::Bar, Some(bar))
    }

    /// The memo behind [`Ctx::lines`], [`Ctx::lines_as`] and [`Ctx::bar`] (which hands its
    /// bar, named whole by `spans`, in `bar`).
    fn cached(
        &self,
        spans: &[(String, Style)],
        width: u16,
        dir: Dir,
        how: How,
        bar: Option<&KeyBar>,
    ) -> Vec<Line<'static>> {
        let (mode, shaping) = (self.d.mode, self.d.shaping);
        let hash = line_key_hash(spans, dir, width, mode, shaping, how);
        LINE_CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if let Some((_, hit)) = cache.get(hash).filter(|(k, _)| {
                k.0 == spans && (k.1, k.2, k.3, k.4, k.5) == (dir, width, mode, shaping, how)
            }) && !recording()
            {
                return hit.clone();
            }
            let w = usize::from(width);
            let fitted;
            let laid = match (how, bar, spans.first()) {
                (How::Bar, Some(bar), Some((_, style))) => {
                    let part_width = |p: &str| text_width(p, mode, shaping);
                    fitted = [(bar.fit(w, part_width), *style)];
                    &fitted[..]
                }
                _ => spans,
            };
            let lines: Vec<Line<'static>> = visual_styled_lines(laid, dir, w, mode, shaping)
                .into_iter()
                .map(|l| {
                    if how == How::Raw {
                        l
                    } else {
                        align_line(l, dir, w)
                    }
                })
                .collect();
            let key: LineKey = (spans.to_vec(), dir, width, mode, shaping, how);
            cache.insert(hash, (key, lines.clone()));
            lines
        })
    }

    fn text(&self, s: &str, style: Style, width: u16) -> Vec<Line<'static>> {
        self.lines(&[(s.to_owned(), style)], width, self.dir())
    }
    fn text_in(&self, s: &str, style: Style, width: u16, lang: Lang) -> Vec<Line<'static>> {
        self.lines(&[(s.to_owned(), style)], width, dir_of(lang))
    }
    /// One line with `left` at its start (the left end; the right end in RTL) and `right` at
    /// its other end. `right` stays whole (the level and mode, the clocks, a verdict): it is
    /// laid out first, and only when even it is wider than the line are its leading parts
    /// kept ("hard" of "hard · exam"). `left` (a title) takes the rest of the line, cut with
    /// "…" when it is wider.
    fn ends(&self, left: &str, ls: Style, right: &str, rs: Style, width: u16) -> Line<'static> {
        self.ends_keeping((left, ""), ls, right, rs, width)
    }
    /// [`Ctx::ends`] with a last part of the title (`kept`: the question's number) that stays
    /// whole after the title, which is cut before it ("Final assess… · Question 3 / 30"): it
    /// is cut only when the line cannot hold even it.
    fn ends_keeping(
        &self,
        (left, kept): (&str, &str),
        ls: Style,
        right: &str,
        rs: Style,
        width: u16,
    ) -> Line<'static> {
        let w = usize::from(width);
        let first = |lines: Vec<Line<'static>>| -> Vec<Span<'static>> {
            lines
                .into_iter()
                .next()
                .map(|l| l.spans)
                .unwrap_or_default()
        };
        let spans_width = |spans: &[Span<'static>]| -> usize {
            spans.iter().map(|s| cell_width(&s.content)).sum()
        };
        // The other end first: its width as laid out (from the line cache, so nothing is
        // shaped again) leaves the rest to the title.
        let mut lb = self.lines_as(&[(right.to_owned(), rs)], width, self.dir(), false);
        if lb.len() > 1 {
            lb = self.lines_as(
                &[(fit_parts(self, right, width), rs)],
                width,
                self.dir(),
                false,
            );
        }
        let end = first(lb);
        let ew = spans_width(&end).min(w);
        let room = if ew == 0 { w } else { w.saturating_sub(ew + 1) };
        let (mode, shaping) = (self.d.mode, self.d.shaping);
        // Cut where the drawn text reaches the room less a cell for the "…", and never after a
        // separator ("Quick quiz ·…").
        let cut_to = |s: &str, room: usize| {
            let cut = super::bidi::truncate(s, room - 1, mode, shaping);
            format!("{}…", cut.trim_end_matches([' ', '·']))
        };
        let whole = if kept.is_empty() {
            left.to_owned()
        } else {
            format!("{left} · {kept}")
        };
        let tail = format!(" · {kept}");
        let tail_w = text_width(&tail, mode, shaping);
        let title = if text_width(&whole, mode, shaping) <= room {
            whole
        } else if room == 0 {
            String::new()
        } else if !kept.is_empty() && tail_w + 2 <= room {
            format!("{}{tail}", cut_to(left, room - tail_w))
        } else {
            cut_to(&whole, room)
        };
        let start = first(self.lines_as(&[(title, ls)], to_u16(room), self.dir(), false));
        let sw = spans_width(&start);
        let gap = Span::raw(" ".repeat(w.saturating_sub(sw + ew)));
        let mut spans = Vec::with_capacity(start.len() + end.len() + 1);
        if self.lang.is_rtl() {
            spans.extend(end);
            spans.push(gap);
            spans.extend(start);
        } else {
            spans.extend(start);
            spans.push(gap);
            spans.extend(end);
        }
        Line::from(spans)
    }
}

fn dir_of(lang: Lang) -> Dir {
    if lang.is_rtl() { Dir::Rtl } else { Dir::Ltr }
}

/// Draw the whole app. Returns how far the page and the question body could be scrolled at
/// this size (the app clamps its scrolling to it).
pub fn draw(f: &mut Frame<'_>, app: &App, display: Display, now: Millis) -> ScrollLimits {
    let area = f.area();
    let c = Ctx::of(app, display, area);
    draw_in(f, app, &c, area, now);
    c.limits.get()
}

fn draw_in(f: &mut Frame<'_>, app: &App, c: &Ctx, area: Rect, now: Millis) {
    if area.width < MIN_W || area.height < MIN_H {
        let msg = fill(app.t().too_small, &[&MIN_W.to_string(), &MIN_H.to_string()]);
        let w = area.width.max(1);
        let lines = c.text(&msg, Style::default(), w);
        f.render_widget(Lines::new(lines), area);
        return;
    }
    match &app.screen {
        Screen::Home(h) => draw_home(f, app, h, c, area),
        Screen::Resume(offer) => {
            let a = &offer.attempt;
            let answered = a.slots.iter().filter(|s| s.response.is_some()).count();
            let msg = fill(
                app.t().resume_question,
                &[
                    &c.num(&answered.to_string()),
                    &c.num(&a.slots.len().to_string()),
                ],
            );
            // An exam's attempt can only be resumed: its clock keeps running.
            let skip: &[Does] = if a.exam.mode == Mode::Practice {
                &[]
            } else {
                &[Does::Restart]
            };
            let keys = bar_without(app, Context::Resume, skip);
            let mut body = vec![msg];
            if let Some(m) = &app.message {
                body.push(untrusted(m));
            }
            dialog(f, app, c, area, app.t().resume_title, &body, &keys);
        }
        Screen::Quiz(_) => draw_quiz(f, app, c, area, now),
        Screen::Results(_) => draw_results(f, app, c, area),
        Screen::Review(_, i) => draw_review(f, app, c, area, *i),
    }
    match &app.overlay {
        Overlay::None => {}
        Overlay::Calibrate(_) => {
            f.render_widget(Clear, area);
            draw_calibration(f, app.lang, c.d);
        }
        Overlay::Help => {
            let t = app.t();
            let lines = help_lines(app, c.compact);
            let keys = bar(app, Context::Help);
            let close = bar_without(app, Context::Help, &[Does::Scroll]);
            // Where the full help is taller than the screen, it scrolls like the compact one.
            dialog_scrolled(f, app, c, area, t.help_title, &lines, &close, &keys);
        }
        Overlay::ConfirmSubmit => {
            let t = app.t();
            let (un, fl) = app
                .session()
                .map_or((Vec::new(), Vec::new()), |s| (s.unanswered(), s.flagged()));
            let list = |v: &[usize]| {
                if v.is_empty() {
                    t.none.to_owned()
                } else {
                    // Joined with the language's comma («،» in Arabic).
                    let sep = crate::messages::template(c.lang, crate::messages::K::ListSep);
                    v.iter()
                        .map(|i| c.num(&(i + 1).to_string()))
                        .reduce(|a, b| fill(sep, &[&a, &b]))
                        .unwrap_or_default()
                }
            };
            let body = vec![
                t.submit_question.to_owned(),
                String::new(),
                fill(t.unanswered_list, &[&list(&un)]),
                fill(t.flagged_list, &[&list(&fl)]),
            ];
            dialog(
                f,
                app,
                c,
                area,
                t.submit_title,
                &body,
                &bar(app, Context::Dialog),
            );
        }
        Overlay::ConfirmQuit => {
            let t = app.t();
            dialog(
                f,
                app,
                c,
                area,
                t.quit_title,
                &[t.quit_question.to_owned()],
                &bar(app, Context::Dialog),
            );
        }
        Overlay::Goto(s) => {
            let t = app.t();
            dialog(
                f,
                app,
                c,
                area,
                "",
                &[fill(t.goto_prompt, &[s])],
                &bar(app, Context::GoTo),
            );
        }
    }
}

/// A text box's text as styled spans with the caret (a character index) shown on the cell of
/// the character after it, or as a mark after the text.
fn caret_spans(text: &str, caret: usize, th: Theme) -> Vec<(String, Style)> {
    let field = Style::default().add_modifier(Modifier::UNDERLINED);
    let at = text
        .char_indices()
        .nth(caret)
        .map_or(text.len(), |(i, _)| i);
    let (before, rest) = text.split_at(at);
    let mut next = rest.chars();
    // At the end a visible mark: a trailing blank would be trimmed with the line's end.
    let here = next.next().map_or_else(|| "▏".to_owned(), String::from);
    let after: String = next.collect();
    let mut out = Vec::new();
    if !before.is_empty() {
        out.push((before.to_owned(), field));
    }
    out.push((here, th.cursor()));
    if !after.is_empty() {
        out.push((after, field));
    }
    out
}

/// The key bar of the screen shown (under any dialog), made from the keymap.
fn screen_bar(app: &App) -> KeyBar {
    keymap::key_bar(&app.help_situation())
}

/// The results' key bar: retrying the save only when it failed.
fn results_bar(app: &App) -> KeyBar {
    let skip: &[Does] = if matches!(app.save_status(), Some(SaveStatus::Failed(..))) {
        &[]
    } else {
        &[Does::Retry]
    };
    bar_without(app, Context::Results, skip)
}

/// The key bar of a context, made from the keymap.
fn bar(app: &App, context: Context) -> KeyBar {
    bar_without(app, context, &[])
}

/// The key bar of a context without the parts in `skip`.
fn bar_without(app: &App, context: Context, skip: &[Does]) -> KeyBar {
    let s = if context == app.help_situation().context {
        app.help_situation()
    } else {
        Situation {
            context,
            lang: app.lang,
            labels: app.lang,
            choices: 0,
        }
    };
    keymap::key_bar_without(&s, skip)
}

/// The help: every key of the screen under it, and the keys that work everywhere, from the
/// keymap; the keys in a column as wide as the widest (one line each in the compact layout).
fn help_lines(app: &App, compact: bool) -> Vec<String> {
    let rows = keymap::help(&app.help_situation());
    let wide = rows.iter().map(|(k, _)| cell_width(k)).max().unwrap_or(0);
    rows.into_iter()
        .map(|(keys, does)| {
            let pad = if compact {
                1
            } else {
                wide.saturating_sub(cell_width(&keys)) + 3
            };
            format!("{keys}{}{does}", " ".repeat(pad))
        })
        .collect()
}

fn dialog(
    f: &mut Frame<'_>,
    app: &App,
    c: &Ctx,
    area: Rect,
    title: &str,
    body: &[String],
    keys: &KeyBar,
) {
    dialog_scrolled(f, app, c, area, title, body, keys, keys);
}

/// A dialog; when its body does not fit the screen, the body scrolls with the page scroll
/// above `scroll_keys`, which stay on its last line.
#[allow(clippy::too_many_arguments)]
fn dialog_scrolled(
    f: &mut Frame<'_>,
    app: &App,
    c: &Ctx,
    area: Rect,
    title: &str,
    body: &[String],
    keys: &KeyBar,
    scroll_keys: &KeyBar,
) {
    if c.compact {
        dialog_compact(f, app, c, area, title, body, scroll_keys);
        return;
    }
    let w = area.width.saturating_sub(6).clamp(20, 84);
    let inner_w = w.saturating_sub(4);
    let mut lines = Vec::new();
    for b in body {
        if b.is_empty() {
            lines.push(Line::raw(""));
        } else {
            lines.extend(c.text(b, Style::default(), inner_w));
        }
    }
    let key_lines = c.text(&keys.text(), c.d.theme.dim(), inner_w);
    if lines.len() + 1 + key_lines.len() + 2 > usize::from(area.height) {
        let rect = Rect {
            x: area.x + (area.width - w) / 2,
            width: w,
            ..area
        };
        f.render_widget(Clear, rect);
        let inner = bordered(f, c, rect, title);
        let pad = Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(2),
            ..inner
        };
        let keys: Vec<Line<'static>> = c
            .bar(scroll_keys, c.d.theme.dim(), pad.width)
            .into_iter()
            .take(1)
            .collect();
        let [top, bottom] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(to_u16(keys.len()))])
                .areas(pad);
        scrolled_page(f, app, c, lines, top);
        f.render_widget(Lines::new(keys), bottom);
        return;
    }
    lines.push(Line::raw(""));
    lines.extend(key_lines);
    let h = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let rect = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    f.render_widget(Clear, rect);
    let inner = bordered(f, c, rect, title);
    let pad = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    f.render_widget(Lines::new(lines), pad);
}

/// A dialog on a small terminal: the whole screen, no frame; the title, the body (scrolled by
/// the page scroll), and the keys on the last line.
fn dialog_compact(
    f: &mut Frame<'_>,
    app: &App,
    c: &Ctx,
    area: Rect,
    title: &str,
    body: &[String],
    keys: &KeyBar,
) {
    let w = area.width;
    let th = c.d.theme;
    let keys: Vec<Line<'static>> = c.bar(keys, th.dim(), w).into_iter().take(2).collect();
    let [top, bottom] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(to_u16(keys.len()))]).areas(area);
    let build = |blanks: bool| {
        let mut lines: Vec<Line<'static>> = Vec::new();
        if !title.is_empty() {
            lines.extend(c.text(title, th.title(), w));
        }
        for b in body {
            if b.is_empty() {
                if blanks {
                    lines.push(Line::raw(""));
                }
            } else {
                lines.extend(c.text(b, Style::default(), w));
            }
        }
        lines
    };
    let h = usize::from(top.height);
    let mut lines = build(true);
    if lines.len() > h {
        lines = build(false);
    }
    f.render_widget(Clear, area);
    scrolled_page(f, app, c, lines, top);
    f.render_widget(Lines::new(keys), bottom);
}

fn field_line(c: &Ctx, label: &str, value: &str, focused: bool, width: u16) -> Vec<Line<'static>> {
    let marker = if focused { "▶ " } else { "  " };
    let style = if focused {
        c.d.theme.cursor()
    } else {
        Style::default()
    };
    c.lines(
        &[
            (marker.to_owned(), c.d.theme.title()),
            (format!("{label}: "), Style::default()),
            (value.to_owned(), style),
        ],
        width,
        c.dir(),
    )
}

/// Draw a border round `rect` with `title` at its start (the right end in right-to-left
/// languages, with the border line running on to its left); returns the area inside.
fn bordered(f: &mut Frame<'_>, c: &Ctx, rect: Rect, title: &str) -> Rect {
    let mut line = c
        .text(title, c.d.theme.title(), rect.width.saturating_sub(4))
        .into_iter()
        .next()
        .unwrap_or_default();
    let block = Block::default().borders(Borders::ALL);
    let inner = block.inner(rect);
    if !c.lang.is_rtl() {
        f.render_widget(block.title(line), rect);
        return inner;
    }
    // The aligned line is padded on the left with spaces, which would hide the border.
    if line
        .spans
        .first()
        .is_some_and(|s| s.content.trim().is_empty())
    {
        line.spans.remove(0);
    }
    f.render_widget(block, rect);
    let w: u16 = to_u16(line.spans.iter().map(|s| cell_width(&s.content)).sum());
    if w > 0 && rect.width > w + 3 {
        let at = Rect {
            x: rect.right() - 3 - w,
            y: rect.y,
            width: w,
            height: 1,
        };
        f.render_widget(Lines::new(line), at);
    }
    inner
}

/// A bordered box with a title; returns the area inside it, with a margin of one column.
fn framed(f: &mut Frame<'_>, c: &Ctx, area: Rect, title: &str) -> Rect {
    let inner = bordered(f, c, area, title);
    Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    }
}

fn draw_home(f: &mut Frame<'_>, app: &App, h: &HomeForm, c: &Ctx, area: Rect) {
    let t = app.t();
    let inner = if c.compact {
        area
    } else {
        framed(f, c, area, t.app_title)
    };
    let w = inner.width;
    let indent = if c.compact { "  " } else { "      " };
    let mut lines: Vec<Line<'static>> = Vec::new();
    // The lines of the focused field (or topic), kept on screen when the form scrolls.
    let mut focus_lines = (0, 0);
    let mut push = |lines: &mut Vec<Line<'static>>, new: Vec<Line<'static>>, focused: bool| {
        let start = lines.len();
        lines.extend(new);
        if focused {
            focus_lines = (start, lines.len());
        }
    };
    // The same logical text in both languages: in a right-to-left line the bidi pipeline
    // mirrors the brackets, so they point outward there too.
    let arrows = |s: &str| format!("< {s} >");
    let name = if h.focus == Field::Trainee {
        // Typing: the name with its caret.
        let mut spans = vec![
            ("▶ ".to_owned(), c.d.theme.title()),
            (format!("{}: ", t.trainee), Style::default()),
        ];
        spans.extend(caret_spans(&h.trainee, h.caret, c.d.theme));
        c.lines(&spans, w, c.dir())
    } else if h.trainee.is_empty() {
        field_line(c, t.trainee, t.trainee_hint, false, w)
    } else {
        field_line(c, t.trainee, &h.trainee, false, w)
    };
    push(&mut lines, name, h.focus == Field::Trainee);
    push(
        &mut lines,
        field_line(
            c,
            t.language,
            &arrows(
                &format!(
                    "{} / {}",
                    super::i18n::EN.language_name,
                    super::i18n::AR.language_name
                )
                .replace(t.language_name, &format!("[{}]", t.language_name)),
            ),
            h.focus == Field::Language,
            w,
        ),
        h.focus == Field::Language,
    );
    // The digit style, shown by example; the chosen one in brackets, as the language.
    let (western, arabic) = (
        crate::text::Digits::Western.write("123"),
        crate::text::Digits::Arabic.write("123"),
    );
    let styles = match app.digits {
        crate::text::Digits::Western => format!("[{western}] / {arabic}"),
        crate::text::Digits::Arabic => format!("{western} / [{arabic}]"),
    };
    push(
        &mut lines,
        field_line(c, t.digits, &arrows(&styles), h.focus == Field::Digits, w),
        h.focus == Field::Digits,
    );
    // The unit or department (optional).
    let unit_label = crate::messages::template(c.lang, crate::messages::K::HUnit);
    let unit = if h.focus == Field::Unit {
        let mut spans = vec![
            ("▶ ".to_owned(), c.d.theme.title()),
            (format!("{unit_label}: "), Style::default()),
        ];
        spans.extend(caret_spans(&h.unit, h.unit_caret, c.d.theme));
        c.lines(&spans, w, c.dir())
    } else if h.unit.is_empty() {
        field_line(
            c,
            unit_label,
            crate::messages::template(c.lang, crate::messages::K::UnitHint),
            false,
            w,
        )
    } else {
        field_line(c, unit_label, &h.unit, false, w)
    };
    let mut unit = unit;
    let offered = app.offered_units();
    if h.focus == Field::Unit && !offered.is_empty() {
        // The exam's list, through the keys the keymap gives it.
        let keys = crate::tui::keymap::keys_for(
            crate::tui::keymap::Context::HomeName,
            crate::tui::keymap::Action::Increase,
            c.lang,
        );
        let hint = crate::messages::Msg::new(
            crate::messages::K::UnitListHint,
            vec![keys.into(), c.num(&offered.len().to_string()).into()],
        )
        .render(c.lang);
        unit.extend(c.text(&format!("{indent}{hint}"), c.d.theme.dim(), w));
    }
    push(&mut lines, unit, h.focus == Field::Unit);
    if !h.trainee_only {
        let exam_name = if h.exam == 0 {
            t.quick_quiz.to_owned()
        } else {
            app.exams
                .get(h.exam - 1)
                .map(|e| e.title.get(c.lang).to_owned())
                .unwrap_or_default()
        };
        push(
            &mut lines,
            field_line(c, t.exam, &arrows(&exam_name), h.focus == Field::Exam, w),
            h.focus == Field::Exam,
        );
        if h.exam == 0 {
            push(
                &mut lines,
                field_line(c, t.topics, "", h.focus == Field::Topics, w),
                h.focus == Field::Topics,
            );
            for (i, (topic, n, on)) in h.topics.iter().enumerate() {
                let mark = if *on { "[x]" } else { "[ ]" };
                let cur = h.focus == Field::Topics && h.topic_cursor == i;
                let style = if cur {
                    c.d.theme.cursor()
                } else {
                    Style::default()
                };
                push(
                    &mut lines,
                    c.lines(
                        &[
                            (indent.to_owned(), Style::default()),
                            (
                                format!(
                                    "{mark} {} ({})",
                                    topic_name(c.lang, topic),
                                    c.num(&n.to_string())
                                ),
                                style,
                            ),
                        ],
                        w,
                        c.dir(),
                    ),
                    cur,
                );
            }
            push(
                &mut lines,
                field_line(
                    c,
                    t.questions_count,
                    &arrows(&c.num(&h.count.to_string())),
                    h.focus == Field::Count,
                    w,
                ),
                h.focus == Field::Count,
            );
            let time = if h.minutes == 0 {
                t.no_limit.to_owned()
            } else {
                c.num(&duration(c.lang, u64::from(h.minutes) * 60))
            };
            push(
                &mut lines,
                field_line(c, t.time_limit, &arrows(&time), h.focus == Field::Time, w),
                h.focus == Field::Time,
            );
            let mode = match (h.mode == Mode::Practice, c.compact) {
                (true, false) => t.practice,
                (false, false) => t.exam_mode,
                (true, true) => t.practice_short,
                (false, true) => t.exam_short,
            };
            push(
                &mut lines,
                field_line(c, t.mode, &arrows(mode), h.focus == Field::Mode, w),
                h.focus == Field::Mode,
            );
        } else if let Some(e) = app.exams.get(h.exam - 1) {
            // "label: value", which reads in order in both directions.
            let mut info = format!(
                "{}: {}",
                t.questions_count,
                c.num(&e.question_count().to_string())
            );
            if let Some(tl) = e.time_limit {
                info.push_str(&format!(
                    " · {}: {}",
                    t.time_limit,
                    c.num(&duration(c.lang, u64::from(tl)))
                ));
            }
            info.push_str(&format!(
                " · {}",
                match (e.mode == Mode::Practice, c.compact) {
                    (true, false) => t.practice,
                    (false, false) => t.exam_mode,
                    (true, true) => t.practice_short,
                    (false, true) => t.exam_short,
                }
            ));
            lines.extend(c.lines(
                &[
                    (indent.to_owned(), Style::default()),
                    (info, c.d.theme.dim()),
                ],
                w,
                c.dir(),
            ));
        }
    }
    if !c.compact {
        lines.push(Line::raw(""));
    }
    let start_style = if h.focus == Field::Start {
        c.d.theme.cursor().add_modifier(Modifier::BOLD)
    } else {
        c.d.theme.title()
    };
    push(
        &mut lines,
        c.lines(
            &[
                ("  ".to_owned(), Style::default()),
                (format!("[ {} ]", t.start), start_style),
            ],
            w,
            c.dir(),
        ),
        h.focus == Field::Start,
    );
    if c.compact {
        let title: Vec<Line<'static>> = c
            .text(t.app_title_short, c.d.theme.title(), w)
            .into_iter()
            .take(1)
            .collect();
        let msg: Vec<Line<'static>> = app.message.as_ref().map_or_else(Vec::new, |m| {
            c.text(&untrusted(m), c.d.theme.warn(), w)
                .into_iter()
                .take(2)
                .collect()
        });
        let keys: Vec<Line<'static>> = c
            .bar(&screen_bar(app), c.d.theme.dim(), w)
            .into_iter()
            .take(1)
            .collect();
        let [top, body, msg_area, keys_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(to_u16(msg.len())),
            Constraint::Length(1),
        ])
        .areas(inner);
        let bh = usize::from(body.height);
        let max = lines.len().saturating_sub(bh);
        let scroll = focus_lines.1.saturating_sub(bh).min(max);
        f.render_widget(Lines::new(title), top);
        f.render_widget(Lines::new(lines).scroll((to_u16(scroll), 0)), body);
        f.render_widget(Lines::new(msg), msg_area);
        f.render_widget(Lines::new(keys), keys_area);
        return;
    }
    let [body, msg, keys] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(2),
        Constraint::Length(2),
    ])
    .areas(inner);
    f.render_widget(Lines::new(lines), body);
    if let Some(m) = &app.message {
        f.render_widget(Lines::new(c.text(&untrusted(m), c.d.theme.warn(), w)), msg);
    }
    f.render_widget(
        Lines::new(c.text(&screen_bar(app).text(), c.d.theme.dim(), w)),
        keys,
    );
}

fn time_style(c: &Ctx, left: Millis, total: Millis) -> Style {
    if left <= 60_000 || left * 10 <= total {
        c.d.theme.bad()
    } else if left * 4 <= total {
        c.d.theme.warn()
    } else {
        c.d.theme.good()
    }
}

/// The whole seconds a clock shows at `now` for a deadline `left` milliseconds away: the
/// seconds of the wall clock between now and the deadline, so that every clock on the screen,
/// and every trainee's of a class server, moves at the same instant, the start of a second
/// (a server then sends a class's clocks together, and wakes once a second for a screen that
/// shows two). As it moves it shows the whole seconds left, never more; within a second it
/// keeps what it showed at its start (less than a second off, as any clock of whole seconds),
/// and in the last fraction of a second before the deadline it shows 00:00.
#[must_use]
pub fn shown_seconds(left: Millis, now: Millis) -> Millis {
    if left <= 0 {
        return 0;
    }
    (now + left).div_euclid(1000) - now.div_euclid(1000)
}

fn clock(left: Millis, now: Millis) -> String {
    let s = shown_seconds(left, now);
    format!("{:02}:{:02}", s / 60, s % 60)
}

fn gauge(buf: &mut Buffer, c: &Ctx, area: Rect, label: String, left: Millis, total: Millis) {
    let ratio = if total > 0 {
        (left as f64 / total as f64).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let style = time_style(c, left, total);
    // Through the line cache: the label changes once a second, the frame more often.
    let label: String = c
        .lines_as(&[(label, Style::default())], area.width, c.dir(), false)
        .into_iter()
        .next()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .unwrap_or_default();
    if c.lang.is_rtl() {
        gauge_rtl(buf, area, &label, ratio, style);
        return;
    }
    Gauge::default()
        .gauge_style(style)
        .ratio(ratio)
        .label(label)
        .render(area, buf);
}

/// A gauge filled from the right (ratatui's fills from the left), the time running out towards
/// the left as an Arabic reader reads; the visual `label` in the middle, in reverse video over
/// the filled part as ratatui does it.
fn gauge_rtl(buf: &mut Buffer, area: Rect, label: &str, ratio: f64, style: Style) {
    let w = usize::from(area.width);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let filled = ((ratio * w as f64).round() as usize).min(w);
    let empty = w - filled;
    // The label's cells: each char with the zero-width ones (marks) that follow it.
    let mut cells: Vec<String> = Vec::new();
    for ch in format!(" {label} ").chars() {
        let s = ch.to_string();
        match cells.last_mut() {
            Some(last) if cell_width(&s) == 0 => last.push(ch),
            _ => cells.push(s),
        }
    }
    cells.truncate(w);
    let start = (w - cells.len()) / 2;
    let spans: Vec<Span<'static>> = (0..w)
        .map(|x| {
            let on = x >= empty;
            match x.checked_sub(start).and_then(|k| cells.get(k)) {
                Some(cell) if on => {
                    Span::styled(cell.clone(), style.add_modifier(Modifier::REVERSED))
                }
                Some(cell) => Span::styled(cell.clone(), style),
                None if on => Span::styled("█", style),
                None => Span::raw(" "),
            }
        })
        .collect();
    Lines::new(Line::from(spans)).render(area, buf);
}

fn q_lang(app: &App) -> Lang {
    if view_of(app).other_lang {
        app.lang.other()
    } else {
        app.lang
    }
}

/// A question body laid out.
struct Body {
    lines: Vec<Line<'static>>,
    /// First line of the row under the cursor (or of the typed answer).
    cursor: usize,
    /// The line after the cursor's row.
    cursor_end: usize,
    /// First line of the feedback, when shown.
    feedback: Option<usize>,
}

/// The lines of a question body: prompt, hint, choices (with marks), and feedback.
fn question_lines(app: &App, c: &Ctx, s: &Session, i: usize, width: u16, review: bool) -> Body {
    let t = app.t();
    let th = c.d.theme;
    let lang = if review { app.lang } else { q_lang(app) };
    let qdir = dir_of(lang);
    let q: &Question = &s.questions[i];
    let slot = &s.state.slots[i];
    let order = s.order(i);
    let mut out: Vec<Line<'static>> = Vec::new();
    out.extend(c.text_in(
        q.prompt.get(lang),
        Style::default().add_modifier(Modifier::BOLD),
        width,
        lang,
    ));
    if !c.compact {
        out.push(Line::raw(""));
    }
    // Compact: the radio marks say "one answer" already; the long hints have short forms.
    let open = !slot.locked && !slot.checked;
    let hint = match (&q.kind, c.compact) {
        // How to type or move things is no use on a question that can no longer change.
        (
            Kind::Short { .. } | Kind::Numerical { .. } | Kind::Order { .. } | Kind::Match { .. },
            _,
        ) if !open => "",
        (Kind::Single { .. }, false) => t.select_one,
        (Kind::TrueFalse { .. }, false) => t.true_false_hint,
        (Kind::Single { .. } | Kind::TrueFalse { .. }, true) => "",
        (Kind::Multiple { .. }, _) => t.select_all,
        (Kind::Short { .. } | Kind::Numerical { .. }, _) => t.type_answer,
        (Kind::Order { .. }, false) => t.order_hint,
        (Kind::Match { .. }, false) => t.match_hint,
        (Kind::Order { .. }, true) => t.order_hint_compact,
        (Kind::Match { .. }, true) => t.match_hint_compact,
    };
    let prompt_has_hint = q
        .prompt
        .get(lang)
        .trim_end()
        .ends_with(crate::tui::i18n::ui(lang).select_all);
    if !review && !prompt_has_hint && !hint.is_empty() {
        out.extend(c.text(hint, th.dim(), width));
    }
    let show_key = review && s.state.exam.review >= Review::Answers || slot.checked;
    let mut cursor_line = out.len();
    let mut cursor_end = out.len();
    let mut feedback = None;
    let cursor = if review {
        usize::MAX
    } else {
        view_of(app).cursor
    };
    let row = |out: &mut Vec<Line<'static>>,
               pos: usize,
               label: String,
               mark: &str,
               text: String,
               right: Option<bool>,
               chosen: bool| {
        let cur = pos == cursor;
        let pointer = if cur {
            if c.lang.is_rtl() { "◀ " } else { "▶ " }
        } else {
            "  "
        };
        let tail = match right {
            Some(true) => " ✓",
            Some(false) => " ✗",
            None => "",
        };
        let style = if cur {
            th.cursor()
        } else if chosen {
            th.title()
        } else {
            Style::default()
        };
        let tail_style = if right == Some(true) {
            th.good()
        } else {
            th.bad()
        };
        out.extend(c.lines(
            &[
                (pointer.to_owned(), th.title()),
                (format!("{label}) {mark}"), style),
                (text, style),
                (tail.to_owned(), tail_style),
            ],
            width,
            qdir,
        ));
    };
    match &q.kind {
        Kind::Single { answer, .. } => {
            for (pos, &orig) in order.iter().enumerate() {
                if pos == cursor {
                    cursor_line = out.len();
                }
                let chosen = slot.response == Some(Response::Choice(orig));
                let mark = if chosen { "(•) " } else { "( ) " };
                let right = show_key.then_some(orig == *answer).filter(|r| *r || chosen);
                row(
                    &mut out,
                    pos,
                    choice_label(lang, pos),
                    mark,
                    crate::quiz::choice_text(q, orig, lang, show_key),
                    right,
                    chosen,
                );
                if pos == cursor {
                    cursor_end = out.len();
                }
            }
        }
        Kind::Multiple { answers, .. } => {
            let picked = match &slot.response {
                Some(Response::Choices(v)) => v.clone(),
                _ => Vec::new(),
            };
            for (pos, &orig) in order.iter().enumerate() {
                if pos == cursor {
                    cursor_line = out.len();
                }
                let chosen = picked.contains(&orig);
                let mark = if chosen { "[x] " } else { "[ ] " };
                let right = show_key
                    .then_some(answers.contains(&orig))
                    .filter(|r| *r || chosen);
                row(
                    &mut out,
                    pos,
                    choice_label(lang, pos),
                    mark,
                    crate::quiz::choice_text(q, orig, lang, show_key),
                    right,
                    chosen,
                );
                if pos == cursor {
                    cursor_end = out.len();
                }
            }
        }
        Kind::TrueFalse { answer } => {
            for (pos, val) in [true, false].into_iter().enumerate() {
                if pos == cursor {
                    cursor_line = out.len();
                }
                let chosen = slot.response == Some(Response::Bool(val));
                let mark = if chosen { "(•) " } else { "( ) " };
                let word = if val {
                    crate::tui::i18n::ui(lang).true_word
                } else {
                    crate::tui::i18n::ui(lang).false_word
                };
                let right = show_key.then_some(val == *answer).filter(|r| *r || chosen);
                row(
                    &mut out,
                    pos,
                    choice_label(lang, pos),
                    mark,
                    word.to_owned(),
                    right,
                    chosen,
                );
                if pos == cursor {
                    cursor_end = out.len();
                }
            }
        }
        Kind::Short { .. } | Kind::Numerical { .. } => {
            let typed = if review {
                match &slot.response {
                    Some(Response::Text(x)) => x.clone(),
                    _ => String::new(),
                }
            } else {
                view_of(app).text.clone()
            };
            // The typed text is shown in the direction of its own first strong letter (Arabic-Indic
            // digits, typed in a number, are not letters).
            let tdir = if typed
                .chars()
                .any(|ch| ('\u{0600}'..='\u{06FF}').contains(&ch) && ch.is_alphabetic())
            {
                Dir::Rtl
            } else {
                qdir
            };
            let mut spans = vec![(format!("{}: ", t.your_answer), th.dim())];
            if review || slot.locked || slot.checked {
                spans.push((typed, th.cursor()));
            } else {
                // The caret is the cell of the character after it (a blank at the end): where
                // the next character goes, in either direction, digits inside Arabic included.
                spans.extend(caret_spans(&typed, view_of(app).caret, th));
            }
            let mut l = c.lines(&spans, width, tdir);
            if l.is_empty() {
                l.push(Line::raw(""));
            }
            cursor_line = out.len();
            out.extend(l);
            cursor_end = out.len();
            if show_key {
                out.extend(labelled(
                    c,
                    t.correct_answer,
                    th.good(),
                    &crate::quiz::key_text(q, lang),
                    width,
                    qdir,
                ));
            }
        }
        Kind::Order { items } => {
            let arrangement = if review {
                match &slot.response {
                    Some(Response::Order(v)) => v.clone(),
                    _ => order.to_vec(),
                }
            } else {
                view_of(app).arrangement.clone()
            };
            for (pos, &orig) in arrangement.iter().enumerate() {
                if pos == cursor {
                    cursor_line = out.len();
                }
                let grab = if pos == cursor && view_of(app).grabbed && !review {
                    "⇅ "
                } else {
                    ""
                };
                let right = show_key.then_some(orig == pos);
                row(
                    &mut out,
                    pos,
                    // The item's number is the program's: in the interface's digits.
                    c.num(&(pos + 1).to_string()),
                    grab,
                    items[orig].get(lang).to_owned(),
                    right,
                    false,
                );
                if pos == cursor {
                    cursor_end = out.len();
                }
            }
            if show_key && !c.compact {
                out.push(Line::raw(""));
                let seq: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(k, it)| format!("{}. {}", c.num(&(k + 1).to_string()), it.get(lang)))
                    .collect();
                out.extend(labelled(
                    c,
                    t.correct_answer,
                    th.good(),
                    &seq.join("  "),
                    width,
                    qdir,
                ));
            }
        }
        Kind::Match { pairs } => {
            // Pointing the way the line reads (arrows are not mirrored by the bidi algorithm).
            let arrow = if lang.is_rtl() { "←" } else { "→" };
            let made = if review {
                match &slot.response {
                    Some(Response::Match(m)) => m.clone(),
                    _ => vec![None; pairs.len()],
                }
            } else {
                view_of(app).pairs.clone()
            };
            for (k, (l, _)) in pairs.iter().enumerate() {
                if k == cursor {
                    cursor_line = out.len();
                }
                let pick = made
                    .get(k)
                    .copied()
                    .flatten()
                    .and_then(|r| order.iter().position(|o| *o == r))
                    .map_or_else(|| "?".to_owned(), |p| choice_label(lang, p));
                let right = show_key.then_some(made.get(k).copied().flatten() == Some(k));
                row(
                    &mut out,
                    k,
                    c.num(&(k + 1).to_string()),
                    &format!("{arrow} {pick}  "),
                    l.get(lang).to_owned(),
                    right,
                    false,
                );
                if k == cursor {
                    cursor_end = out.len();
                }
            }
            if !c.compact {
                out.push(Line::raw(""));
            }
            for (pos, &orig) in order.iter().enumerate() {
                out.extend(c.lines(
                    &[
                        (format!("    {}) ", choice_label(lang, pos)), th.title()),
                        (pairs[orig].1.get(lang).to_owned(), Style::default()),
                    ],
                    width,
                    qdir,
                ));
            }
            if show_key {
                for (k, (l, r)) in pairs.iter().enumerate() {
                    let _ = k;
                    out.extend(c.lines(
                        &[
                            ("  ✓ ".to_owned(), th.good()),
                            (format!("{} {arrow} {}", l.get(lang), r.get(lang)), th.dim()),
                        ],
                        width,
                        qdir,
                    ));
                }
            }
        }
    }
    // Feedback.
    if slot.checked || (review && s.state.exam.review >= Review::Wrong) {
        if !c.compact {
            out.push(Line::raw(""));
        }
        feedback = Some(out.len());
        let cr = slot
            .response
            .as_ref()
            .map(|r| credit(q, r, &s.state.exam.scoring));
        let (word, style) = match cr {
            None => (t.unanswered, th.warn()),
            Some(x) if x >= 1.0 - 1e-9 => (t.correct, th.good()),
            Some(x) if x > 1e-9 => (t.partly_correct, th.warn()),
            Some(_) => (t.incorrect, th.bad()),
        };
        if !app.preview {
            out.extend(c.text(word, style, width));
        }
        if show_key {
            if let Some(e) = &q.explanation {
                out.extend(labelled(
                    c,
                    t.explanation,
                    th.title(),
                    e.get(lang),
                    width,
                    qdir,
                ));
            }
            if let Some(src) = &q.source {
                out.extend(c.lines(
                    &[
                        (format!("{}: ", t.source), th.title()),
                        (src.get(lang).to_owned(), th.dim()),
                    ],
                    width,
                    qdir,
                ));
            }
        }
    }
    if slot.locked && !slot.checked && !review {
        out.extend(c.text(t.locked, th.warn(), width));
    }
    if slot.flagged && !review {
        out.extend(c.text(&format!("⚑ {}", t.flagged), th.warn(), width));
    }
    Body {
        lines: out,
        cursor: cursor_line,
        cursor_end: cursor_end.max(cursor_line),
        feedback,
    }
}

/// "Label: text" in the direction of the text's language.
fn labelled(
    c: &Ctx,
    label: &str,
    label_style: Style,
    text: &str,
    width: u16,
    dir: Dir,
) -> Vec<Line<'static>> {
    c.lines(
        &[
            (format!("{label}: "), label_style),
            (text.to_owned(), Style::default()),
        ],
        width,
        dir,
    )
}

fn progress_strip(app: &App, c: &Ctx, s: &Session, width: u16) -> Line<'static> {
    let th = c.d.theme;
    let n = s.len();
    let cur = s.current();
    let cell = if n >= 100 { 4 } else { 3 };
    let all = usize::from(width) / cell;
    // When not every number fits, a sign at each end says how many are hidden there: "‹3"
    // before, "12›" after in English; mirrored in Arabic ("3›" at the right, "‹12" at the
    // left), so that the sign points outward to the hidden numbers. Each end is as wide as
    // the largest count.
    let side = 1 + n.to_string().len();
    let fit = if n <= all.max(1) {
        n
    } else {
        (usize::from(width).saturating_sub(2 * side) / cell).max(1)
    };
    let start = cur.saturating_sub(fit / 2).min(n.saturating_sub(fit));
    let end = (start + fit).min(n);
    let rtl = app.lang.is_rtl();
    // The sign and count at one end: `outer_left` when it is drawn at the left edge of the
    // line; padded on its inner side.
    let sign = |hidden: usize, outer_left: bool| -> Span<'static> {
        let text = match (hidden, outer_left) {
            (0, _) => String::new(),
            (k, true) => format!("‹{}", c.num(&k.to_string())),
            (k, false) => format!("{}›", c.num(&k.to_string())),
        };
        let pad = " ".repeat(side.saturating_sub(cell_width(&text)));
        Span::styled(if outer_left { text + &pad } else { pad + &text }, th.dim())
    };
    let mut spans: Vec<Span<'static>> = Vec::with_capacity(fit + 3);
    let hidden = fit < n;
    if hidden {
        // Before the first shown: at the left edge in English, the right edge in Arabic.
        spans.push(sign(start, !rtl));
    }
    for i in start..end {
        let slot = &s.state.slots[i];
        let mut style = if slot.flagged {
            th.warn()
        } else if slot.response.is_some() {
            th.good()
        } else {
            th.dim()
        };
        if i == cur {
            style = style.add_modifier(Modifier::REVERSED);
        }
        let mark = if slot.flagged {
            "⚑"
        } else if slot.response.is_some() {
            "•"
        } else {
            " "
        };
        let text = format!("{:>w$}{mark}", c.num(&(i + 1).to_string()), w = cell - 1);
        spans.push(Span::styled(text, style));
    }
    if hidden {
        spans.push(sign(n - end, rtl));
    }
    if rtl {
        spans.reverse();
        let used: usize = spans.iter().map(|s| cell_width(&s.content)).sum();
        spans.insert(
            0,
            Span::raw(" ".repeat(usize::from(width).saturating_sub(used))),
        );
    }
    Line::from(spans)
}

/// Draw a question body scrolled to `auto` plus the trainee's own scrolling, and record how far
/// that can go.
fn render_body(
    f: &mut Frame<'_>,
    app: &App,
    c: &Ctx,
    lines: Vec<Line<'static>>,
    auto: usize,
    r: Rect,
) {
    let max = lines.len().saturating_sub(usize::from(r.height));
    let auto = auto.min(max);
    let max_i = i32::try_from(max).unwrap_or(i32::MAX);
    let auto_i = i32::try_from(auto).unwrap_or(0);
    let scroll = auto_i.saturating_add(view_of(app).scroll).clamp(0, max_i);
    c.limits.set(ScrollLimits {
        view_min: -auto_i,
        view_max: max_i - auto_i,
        ..c.limits.get()
    });
    f.render_widget(
        Lines::new(lines).scroll((u16::try_from(scroll).unwrap_or(0), 0)),
        r,
    );
}

/// "3/20 · practice" and the clocks: the header of a question on a small terminal.
fn compact_header(app: &App, c: &Ctx, s: &Session, now: Millis, w: u16) -> Line<'static> {
    let t = app.t();
    let i = s.current();
    let th = c.d.theme;
    let mode = if s.state.exam.mode == Mode::Practice {
        t.practice_short
    } else {
        t.exam_short
    };
    let flag = if s.state.slots[i].flagged { " ⚑" } else { "" };
    let left = c.num(&format!("{}/{}", i + 1, s.len())) + &format!("{flag} · {mode}");
    let mut clocks = Vec::new();
    let mut style = th.dim();
    if let (Some(left), Some(tl)) = (s.remaining(now), s.state.exam.time_limit) {
        clocks.push(c.num(&clock(left, now)));
        style = time_style(c, left, i64::from(tl) * 1000);
    }
    if let (Some(left), Some(ql)) = (s.question_remaining(now), s.question_limit(i)) {
        if clocks.is_empty() {
            style = time_style(c, left, i64::from(ql) * 1000);
        }
        clocks.push(c.num(&clock(left, now)));
    }
    c.ends(&left, th.title(), &clocks.join(" · "), style, w)
}

fn draw_quiz_compact(f: &mut Frame<'_>, app: &App, c: &Ctx, area: Rect, now: Millis) {
    let Some(s) = app.session() else { return };
    let t = app.t();
    let th = c.d.theme;
    let i = s.current();
    let q = &s.questions[i];
    let slot = &s.state.slots[i];
    let w = area.width;
    let msg: Vec<Line<'static>> = app.message.as_ref().map_or_else(Vec::new, |m| {
        let n = if area.height >= 10 { 2 } else { 1 };
        c.text(&untrusted(m), th.warn(), w)
            .into_iter()
            .take(n)
            .collect()
    });
    let typing = matches!(q.kind, Kind::Short { .. } | Kind::Numerical { .. }) && !slot.locked;
    let _ = typing;
    let mut k = screen_bar(app);
    if s.state.exam.mode == Mode::Practice
        && !slot.checked
        && !matches!(q.kind, Kind::Single { .. } | Kind::TrueFalse { .. })
    {
        with_check(&mut k, t.keys_practice_check);
    }
    let keys: Vec<Line<'static>> = c.bar(&k, th.dim(), w).into_iter().take(1).collect();
    let [head, body, msg_area, keys_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(to_u16(msg.len())),
        Constraint::Length(1),
    ])
    .areas(area);
    f.render_widget(Lines::new(compact_header(app, c, s, now, w)), head);
    let b = question_lines(app, c, s, i, w, false);
    let h = usize::from(body.height);
    let max = b.lines.len().saturating_sub(h);
    // Show the question from its first words, down to the cursor's row; once checked, from
    // the feedback.
    let auto = if slot.checked {
        b.feedback.unwrap_or(max)
    } else {
        b.cursor_end.saturating_sub(h)
    };
    render_body(f, app, c, b.lines, auto, body);
    f.render_widget(Lines::new(msg), msg_area);
    f.render_widget(Lines::new(keys), keys_area);
}

/// The clocks of the question screen: the exam's time left and the question's, one gauge a
/// row from the top of `gauge_area`.
fn draw_gauges(buf: &mut Buffer, app: &App, c: &Ctx, s: &Session, gauge_area: Rect, now: Millis) {
    let t = app.t();
    let i = s.current();
    // The exam's clock, then the question's, a row each, when they run.
    let clocks = [
        (s.remaining(now), s.state.exam.time_limit, t.time_left),
        (
            s.question_remaining(now),
            s.question_limit(i),
            t.question_time_left,
        ),
    ];
    let mut y = gauge_area.y;
    for (left, limit, label) in clocks {
        let (Some(left), Some(limit)) = (left, limit) else {
            continue;
        };
        let r = Rect {
            y,
            height: 1,
            ..gauge_area
        };
        gauge(
            buf,
            c,
            r,
            fill(label, &[&c.num(&clock(left, now))]),
            left,
            i64::from(limit) * 1000,
        );
        y += 1;
    }
}

/// Whether [`draw_clocks`] can bring the last frame up to date at this size: the question
/// screen with no dialog over it, large enough to be drawn.
fn clocks_only(app: &App, area: Rect) -> bool {
    area.width >= MIN_W
        && area.height >= MIN_H
        && matches!(app.screen, Screen::Quiz(_))
        && matches!(app.overlay, Overlay::None)
}

/// Where the question screen shows the time, when only that can change ([`clocks_only`]): the
/// rows of the gauges, or the header of the compact screen. `None`: a frame must be drawn whole.
#[must_use]
pub fn clock_area(app: &App, area: Rect, now: Millis) -> Option<Rect> {
    if !clocks_only(app, area) {
        return None;
    }
    let s = app.session()?;
    if is_compact(area) {
        return Some(Rect { height: 1, ..area });
    }
    let [_, gauge_area, ..] = quiz_areas(s, area, now);
    (gauge_area.height > 0).then_some(gauge_area)
}

/// Draw only what changes with the time on the question screen of `area`, into `buf`, which
/// covers its [`clock_area`]: the cells drawn are those a full [`draw`] at `now` of the same
/// state ([`App::version`] unchanged, same size) would draw there, each row cleared first as a
/// new frame is.
pub fn draw_clocks(buf: &mut Buffer, app: &App, display: Display, area: Rect, now: Millis) {
    let c = Ctx::of(app, display, area);
    let Some(s) = app.session() else { return };
    if c.compact {
        let head = Rect { height: 1, ..area };
        Clear.render(head, buf);
        Lines::new(compact_header(app, &c, s, now, area.width)).render(head, buf);
        return;
    }
    let [_, gauge_area, ..] = quiz_areas(s, area, now);
    Clear.render(gauge_area, buf);
    draw_gauges(buf, app, &c, s, gauge_area, now);
}

/// The rows of the question screen: header, gauges, body, question strip, message, keys.
fn quiz_areas(s: &Session, area: Rect, now: Millis) -> [Rect; 6] {
    let has_total = s.state.deadline.is_some();
    let gauges = u16::from(has_total) + u16::from(s.question_remaining(now).is_some());
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(gauges),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

fn draw_quiz(f: &mut Frame<'_>, app: &App, c: &Ctx, area: Rect, now: Millis) {
    if c.compact {
        draw_quiz_compact(f, app, c, area, now);
        return;
    }
    let Some(s) = app.session() else { return };
    let t = app.t();
    let i = s.current();
    let q = &s.questions[i];
    let [head, gauge_area, body, strip, msg, keys] = quiz_areas(s, area, now);
    let w = area.width;
    let title = format!(
        "{} · {}",
        s.state.exam.title.get(c.lang),
        topic_name(c.lang, &q.topic),
    );
    // The question's number stays whole; the exam's title and the topic are cut before it.
    let number = fill(
        t.question_n_of,
        &[&c.num(&(i + 1).to_string()), &c.num(&s.len().to_string())],
    );
    let diff = match q.difficulty {
        crate::bank::Difficulty::Easy => t.easy,
        crate::bank::Difficulty::Medium => t.medium,
        crate::bank::Difficulty::Hard => t.hard,
    };
    let mode = if s.state.exam.mode == Mode::Practice {
        t.practice_short
    } else {
        t.exam_short
    };
    f.render_widget(
        Lines::new(c.ends_keeping(
            (&title, &number),
            c.d.theme.title(),
            &format!("{diff} · {mode}"),
            c.d.theme.dim(),
            w,
        )),
        head,
    );
    draw_gauges(f.buffer_mut(), app, c, s, gauge_area, now);
    let body_inner = Rect {
        x: body.x + 1,
        width: body.width.saturating_sub(2),
        ..body
    };
    let b = question_lines(app, c, s, i, body_inner.width, false);
    let h = usize::from(body_inner.height);
    let slot = &s.state.slots[i];
    let auto = if b.lines.len() <= h {
        0
    } else if slot.checked {
        b.lines.len() - h
    } else {
        b.cursor.saturating_sub(h / 2).min(b.lines.len() - h)
    };
    render_body(f, app, c, b.lines, auto, body_inner);
    f.render_widget(Lines::new(progress_strip(app, c, s, w)), strip);
    let m = app.message.as_deref().map_or_else(
        || {
            let un = s.unanswered().len();
            let fl = s.flagged().len();
            fill(
                t.progress,
                &[
                    &c.num(&(s.len() - un).to_string()),
                    &c.num(&fl.to_string()),
                    &c.num(&un.to_string()),
                ],
            )
        },
        untrusted,
    );
    let ms = if app.message.is_some() {
        c.d.theme.warn()
    } else {
        c.d.theme.dim()
    };
    f.render_widget(
        Lines::new(c.text(&m, ms, w).into_iter().take(1).collect::<Vec<_>>()),
        msg,
    );
    let mut k = screen_bar(app);
    if s.state.exam.mode == Mode::Practice
        && !slot.checked
        && !matches!(q.kind, Kind::Single { .. } | Kind::TrueFalse { .. })
    {
        with_check(&mut k, t.keys_practice_check);
    }
    f.render_widget(
        Lines::new(
            c.bar(&k, c.d.theme.dim(), w)
                .into_iter()
                .take(1)
                .collect::<Vec<_>>(),
        ),
        keys,
    );
}

/// The key bar with Enter's word as in practice (check): in place of Enter's part when the
/// bar has one (not "Enter save · Enter check"), else second, not first: the first part is the
/// digit range, which after Arabic letters would read backwards ("9-1"). Ranked with the way
/// out and the help: on the smallest screens (40 columns) it is the one key a trainee cannot
/// guess, where the answer keys are written beside the choices ("a) [ ]").
fn with_check(k: &mut KeyBar, check: &str) {
    let enter = |p: &str| p.trim_start_matches('\u{2066}').starts_with("Enter");
    k.replace_or_insert(enter, check, 1, 0);
    k.rank_of(enter, 0);
}

fn draw_results(f: &mut Frame<'_>, app: &App, c: &Ctx, area: Rect) {
    let Some(s) = app.session() else { return };
    let t = app.t();
    let th = c.d.theme;
    let sheet = s.score();
    let inner = if c.compact {
        area
    } else {
        framed(f, c, area, t.results)
    };
    let w = inner.width;
    let mut lines = Vec::new();
    if c.compact {
        lines.extend(c.text(t.results, th.title(), w));
    }
    if let Some(m) = &app.message {
        lines.extend(c.text(&untrusted(m), th.warn(), w));
    }
    lines.extend(c.text(s.state.exam.title.get(c.lang), th.title(), w));
    let score = format!(
        "{}: {} / {}   {}: {}%",
        t.score,
        c.num(&fmt_points(sheet.total.points)),
        c.num(&fmt_points(sheet.total.max)),
        t.percent,
        c.num(&format!("{:.0}", sheet.total.percent()))
    );
    lines.extend(c.text(&score, Style::default().add_modifier(Modifier::BOLD), w));
    let (verdict, vs) = if sheet.passed {
        (t.passed, th.good())
    } else {
        (t.failed, th.bad())
    };
    lines.extend(c.lines(
        &[
            (verdict.to_owned(), vs),
            (
                format!(
                    "  ({})",
                    fill(
                        t.pass_mark,
                        &[&c.num(&format!("{:.0}", s.state.exam.pass_mark))]
                    )
                ),
                th.dim(),
            ),
        ],
        w,
        c.dir(),
    ));
    let end = match s.state.status {
        crate::quiz::Status::Finished { at, .. } => at,
        crate::quiz::Status::Running => s.state.started_at,
    };
    #[allow(clippy::cast_sign_loss)]
    let secs = ((end - s.state.started_at).max(0) / 1000) as u64;
    lines.extend(c.text(
        &format!("{}: {}", t.time_taken, c.num(&duration(c.lang, secs))),
        Style::default(),
        w,
    ));
    let save = match app.save_status().unwrap_or(&SaveStatus::Pending) {
        SaveStatus::Pending => (String::new(), th.dim()),
        SaveStatus::Saved(p) => (fill(t.saved, &[&ltr_isolate(c, p)]), th.good()),
        SaveStatus::Failed(e, Some(kept)) => (
            fill(
                t.saving_failed,
                &[&ltr_isolate(c, e), &ltr_isolate(c, kept)],
            ),
            th.bad(),
        ),
        SaveStatus::Failed(e, None) => (fill(t.saving_unsaved, &[&ltr_isolate(c, e)]), th.bad()),
    };
    let save_lines = if save.0.is_empty() {
        Vec::new()
    } else {
        c.text(&save.0, save.1, w)
    };
    if c.compact {
        // No chart: the lines scroll, the keys stay on the last line.
        lines.extend(save_lines);
        let keys: Vec<Line<'static>> = c
            .bar(&results_bar(app), th.dim(), w)
            .into_iter()
            .take(1)
            .collect();
        let [body, keys_area] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        scrolled_page(f, app, c, lines, body);
        f.render_widget(Lines::new(keys), keys_area);
        return;
    }
    let keys = c.text(&results_bar(app).text(), th.dim(), w);
    let top_h = u16::try_from(lines.len()).unwrap_or(0);
    let bottom_h = u16::try_from(save_lines.len() + keys.len()).unwrap_or(0);
    let [top, chart, bottom] = Layout::vertical([
        Constraint::Length(top_h),
        Constraint::Min(0),
        Constraint::Length(bottom_h),
    ])
    .areas(inner);
    f.render_widget(Lines::new(lines), top);
    if c.d.mode == BidiMode::Terminal && c.lang.is_rtl() && !sheet.by_topic.is_empty() {
        let rows: Vec<(String, u64, Style)> = sheet
            .by_topic
            .iter()
            .map(|(topic, tally)| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let pct = tally.percent().round() as u64;
                let pass =
                    f64::from(u32::try_from(pct).unwrap_or(0)) + 1e-9 >= s.state.exam.pass_mark;
                let style = if pass { th.good() } else { th.bad() };
                (topic_name(c.lang, topic), pct, style)
            })
            .collect();
        let mut out = c.text(t.by_topic, th.title(), chart.width);
        out.extend(topic_rows_for_terminal_bidi(c, &rows, chart.width));
        f.render_widget(Lines::new(out), chart);
    } else if chart.height >= 5 && !sheet.by_topic.is_empty() {
        let n = u16::try_from(sheet.by_topic.len()).unwrap_or(1).max(1);
        let bw = (chart.width / n).saturating_sub(2).clamp(3, 14);
        let mut labels: Vec<Line<'static>> = Vec::new();
        let mut bars: Vec<Bar<'static>> = sheet
            .by_topic
            .iter()
            .map(|(topic, tally)| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let pct = tally.percent().round() as u64;
                let name = topic_name(c.lang, topic);
                // Through the bidi pipeline, cut to the bar's width; drawn below by hand, since
                // the chart would centre it with `Line::width`.
                let mut label = c
                    .text(&name, Style::default(), bw)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                if label
                    .spans
                    .first()
                    .is_some_and(|s| s.content.trim().is_empty())
                {
                    label.spans.remove(0);
                }
                labels.push(label);
                let style = if f64::from(u32::try_from(pct).unwrap_or(0)) + 1e-9
                    >= s.state.exam.pass_mark
                {
                    th.good()
                } else {
                    th.bad()
                };
                Bar::default()
                    .value(pct)
                    .style(style)
                    .text_value(c.num(&percent_label(c.lang, pct)))
            })
            .collect();
        let title = c
            .text(t.by_topic, th.title(), chart.width)
            .into_iter()
            .next()
            .unwrap_or_default();
        f.render_widget(Lines::new(title), Rect { height: 1, ..chart });
        // Right to left: the first topic rightmost, the bars against the right edge.
        let used = (n * bw + (n - 1) * 2).min(chart.width);
        let x = if c.lang.is_rtl() {
            bars.reverse();
            labels.reverse();
            chart.right() - used
        } else {
            chart.x
        };
        let bc = BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(bw)
            .bar_gap(2)
            .max(100);
        let area = Rect {
            x,
            y: chart.y + 1,
            width: used,
            height: chart.height - 2,
        };
        f.render_widget(bc, area);
        for (k, label) in (0u16..).zip(labels) {
            let lw = to_u16(label.spans.iter().map(|s| cell_width(&s.content)).sum());
            let bx = x + k * (bw + 2);
            if bx + bw > area.right() {
                break;
            }
            let at = Rect {
                x: bx + (bw - lw.min(bw)) / 2,
                y: chart.bottom() - 1,
                width: lw.min(bw),
                height: 1,
            };
            f.render_widget(Lines::new(label), at);
        }
    }
    let mut b = save_lines;
    b.extend(keys);
    f.render_widget(Lines::new(b), bottom);
}

/// The results by topic for a terminal that does the bidi itself (`--bidi terminal`,
/// Arabic): one topic per row (see [`super::bidi::chart_rows_for_terminal_bidi`]).
fn topic_rows_for_terminal_bidi(
    c: &Ctx,
    rows: &[(String, u64, Style)],
    width: u16,
) -> Vec<Line<'static>> {
    super::bidi::chart_rows_for_terminal_bidi(rows, width, c.d.mode, c.d.shaping, c.digits)
}

/// `s` (a path, an error) kept left to right inside an Arabic sentence: without the isolate a
/// path's leading `/` is taken into the Arabic run and shown at the path's other end.
fn ltr_isolate(c: &Ctx, s: &str) -> String {
    let s = untrusted(s);
    if c.lang.is_rtl() {
        format!("\u{2066}{s}\u{2069}")
    } else {
        s
    }
}

/// Text from outside the program (a file or folder name, a trainee's name, an exam's title
/// from a record, an error that quotes them) as the screens draw it: control and
/// text-direction characters are shown as `\u{..}`, so that they can neither drive the terminal
/// nor turn the line around. Messages are built raw (JSON carries them as they are); this is the
/// screens' printing edge, as the command line's writer is the command line's.
#[must_use]
pub fn untrusted(s: &str) -> String {
    crate::diag::escape_for_terminal(s)
}

fn fmt_points(p: f64) -> String {
    if (p - p.round()).abs() < 1e-9 {
        format!("{p:.0}")
    } else {
        format!("{p:.2}")
    }
}

fn draw_review(f: &mut Frame<'_>, app: &App, c: &Ctx, area: Rect, i: usize) {
    let Some(s) = app.session() else { return };
    let t = app.t();
    let th = c.d.theme;
    let i = i.min(s.len().saturating_sub(1));
    let [head, body, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let sheet = s.score();
    let verdict = sheet.questions.get(i).map_or(Verdict::Blank, |q| q.verdict);
    let (vw, vs) = match verdict {
        Verdict::Right => (t.correct, th.good()),
        Verdict::Partial => (t.partly_correct, th.warn()),
        Verdict::Wrong => (t.incorrect, th.bad()),
        Verdict::Blank => (t.unanswered, th.warn()),
    };
    let title = if c.compact {
        format!(
            "{} {}",
            t.review_short,
            c.num(&format!("{}/{}", i + 1, s.len()))
        )
    } else {
        format!(
            "{} · {}",
            t.review,
            fill(
                t.question_n_of,
                &[&c.num(&(i + 1).to_string()), &c.num(&s.len().to_string())]
            )
        )
    };
    f.render_widget(
        Lines::new(c.ends(&title, th.title(), vw, vs, area.width)),
        head,
    );
    let inner = if c.compact {
        body
    } else {
        Rect {
            x: body.x + 1,
            width: body.width.saturating_sub(2),
            ..body
        }
    };
    let lines = question_lines(app, c, s, i, inner.width, true).lines;
    scrolled_page(f, app, c, lines, inner);
    f.render_widget(
        Lines::new(
            c.bar(&screen_bar(app), th.dim(), area.width)
                .into_iter()
                .take(1)
                .collect::<Vec<_>>(),
        ),
        keys,
    );
}

/// The calibration screen: one Arabic sample line, and the question whether it reads correctly.
pub fn draw_calibration(f: &mut Frame<'_>, lang: Lang, d: Display) {
    let area = f.area();
    let c = Ctx {
        lang,
        d,
        digits: crate::text::Digits::Western,
        compact: is_compact(area),
        limits: std::cell::Cell::new(ScrollLimits::default()),
    };
    // Compact: no margins and no blank lines, so that the question and keys fit.
    let w = if c.compact {
        area.width.max(1)
    } else {
        area.width.saturating_sub(4).max(1)
    };
    let t = super::i18n::ui(lang);
    let sample = "السؤال (3): ما هي المادة 12 من القانون رقم 91 لسنة 2013؟";
    let mut lines = Vec::new();
    lines.extend(c.text(t.calibrate_title, d.theme.title(), w));
    if !c.compact {
        lines.push(Line::raw(""));
    }
    lines.extend(c.text_in(
        sample,
        Style::default().add_modifier(Modifier::BOLD),
        w,
        Lang::Ar,
    ));
    if !c.compact {
        lines.push(Line::raw(""));
    }
    lines.extend(c.text(t.calibrate_question, Style::default(), w));
    let mut keys = keymap::key_bar(&Situation {
        context: Context::Calibrate,
        lang,
        labels: lang,
        choices: 0,
    });
    keys.push(
        format!("F2 {}", t.does(Does::Display).1),
        keymap::bar_rank(keymap::Action::FlipBidi),
    );
    lines.extend(c.text(&keys.text(), d.theme.dim(), w));
    let rect = if c.compact {
        area
    } else {
        Rect {
            x: area.x + 2,
            y: area.y + 1,
            width: w,
            height: area.height.saturating_sub(2),
        }
    };
    f.render_widget(Lines::new(lines), rect);
}
