//! Logical text → visual terminal lines, with right-to-left (Arabic) support.
//!
//! Pipeline in [`BidiMode::Reorder`] (see `shared/notes/arabic-in-terminals.md` §5.4):
//! logical text → optional Arabic shaping to Presentation Forms (ligatures off, harakat
//! kept) → split into paragraphs → UAX #9 levels on the *whole* paragraph with an explicit
//! base level → wrap in logical order by cell width (UAX #14 break opportunities, hard split
//! of over-long words) → per line: rule L1 levels, one level per grapheme cluster, L2
//! reordering of clusters (so L3 holds: marks stay after their base), L4 mirroring at odd
//! levels, bidi controls dropped.
//!
//! In [`BidiMode::Terminal`] the text is only wrapped and stays in logical order, unshaped.
//!
//! Widths are always measured per grapheme cluster ([`cell_width`]), as ratatui's buffer
//! draws them; never use `Line::width()` for Arabic layout math (it counts لا as one cell).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use ar_reshaper::config::Ligatures;
use ar_reshaper::prelude::LigatureNames;
use ar_reshaper::{ArabicReshaper, ReshaperConfig};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_bidi::{BidiClass, BidiInfo, Level, ParagraphBidiInfo};
use unicode_linebreak::{BreakOpportunity, linebreaks};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Paragraph direction, taken from the language of the text (never guessed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dir {
    /// Left to right (e.g. English).
    Ltr,
    /// Right to left (e.g. Arabic).
    Rtl,
}

/// Who does the bidi work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BidiMode {
    /// The app shapes, reorders and mirrors; the terminal must not reorder again.
    Reorder,
    /// The app emits logical text and the terminal does bidi and shaping.
    Terminal,
}

/// Zero-width separator inserted between two visually adjacent clusters that would
/// otherwise fuse into one grapheme cluster (e.g. two lone regional indicators that were
/// far apart in logical order). It is a zero-width format character; ratatui drops it.
const CLUSTER_SEPARATOR: char = '\u{200B}';

const ZWJ: char = '\u{200D}';

/// Number of cached entries above which [`BidiCache`] is cleared.
pub const BIDI_CACHE_CAPACITY: usize = 4096;

/// Whether `c` is a bidi formatting character: ALM, LRM, RLM, LRE/RLE/PDF/LRO/RLO and
/// LRI/RLI/FSI/PDI.
#[must_use]
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Width in terminal cells, as ratatui's buffer draws it: the sum of the widths of the
/// grapheme clusters (not `s.width()`, which counts lam-alef as one cell).
#[must_use]
pub fn cell_width(s: &str) -> usize {
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// The mirrored glyph of `c` for rule L4, if it has one.
///
/// `unicode_bidi_mirroring::get_mirrored` 0.4.0 misses the reverse direction of 21 pairs
/// (its reverse lookup binary-searches an unsorted column), e.g. `≥` U+2265 → `≤` and
/// `⦐` U+2990 → `⦍`; those are filled in here.
#[must_use]
pub fn mirrored(c: char) -> Option<char> {
    unicode_bidi_mirroring::get_mirrored(c).or(match c {
        '\u{223D}' => Some('\u{223C}'),
        '\u{224C}' => Some('\u{2245}'),
        '\u{2253}' => Some('\u{2252}'),
        '\u{2255}' => Some('\u{2254}'),
        '\u{2265}' => Some('\u{2264}'),
        '\u{22A3}' => Some('\u{22A2}'),
        '\u{22CD}' => Some('\u{2243}'),
        '\u{27DC}' => Some('\u{22B8}'),
        '\u{298F}' => Some('\u{298E}'),
        '\u{2990}' => Some('\u{298D}'),
        '\u{299B}' => Some('\u{2221}'),
        '\u{29A0}' => Some('\u{2222}'),
        '\u{29A3}' => Some('\u{2220}'),
        '\u{29B8}' => Some('\u{2298}'),
        '\u{29F5}' => Some('\u{2215}'),
        '\u{2ADE}' => Some('\u{22A6}'),
        '\u{2AE3}' => Some('\u{22A9}'),
        '\u{2AE4}' => Some('\u{22A8}'),
        '\u{2AE5}' => Some('\u{22AB}'),
        '\u{2AEE}' => Some('\u{2224}'),
        '\u{2BFE}' => Some('\u{221F}'),
        _ => None,
    })
}

// ---------------------------------------------------------------------------------------
// Shaping
// ---------------------------------------------------------------------------------------

/// Joining forms only: one presentation form per letter.
static RESHAPER: LazyLock<ArabicReshaper> = LazyLock::new(|| {
    ArabicReshaper::new(ReshaperConfig {
        // The defaults silently drop tashkeel and form ligatures.
        delete_harakat: false,
        support_ligatures: false,
        ..ReshaperConfig::default()
    })
});

/// Joining forms plus the four mandatory lam-alef ligatures (U+FEF5..U+FEFC), the ones
/// `FriBidi` forms by default (`FRIBIDI_FLAG_SHAPE_ARAB_LIGA`). Not the one-cell ALLAH
/// ligature (U+FDF2), which `FriBidi` does not form either.
static LIGATING: LazyLock<ArabicReshaper> = LazyLock::new(|| {
    let mut config = ReshaperConfig {
        delete_harakat: false,
        support_ligatures: false,
        ligatures: Ligatures::empty(),
        ..ReshaperConfig::default()
    };
    for name in [
        LigatureNames::ARABIC_LIGATURE_LAM_WITH_ALEF,
        LigatureNames::ARABIC_LIGATURE_LAM_WITH_ALEF_WITH_HAMZA_ABOVE,
        LigatureNames::ARABIC_LIGATURE_LAM_WITH_ALEF_WITH_HAMZA_BELOW,
        LigatureNames::ARABIC_LIGATURE_LAM_WITH_ALEF_WITH_MADDA_ABOVE,
    ] {
        config.update_ligature(name, true);
    }
    ArabicReshaper::new(config)
});

/// Whether `s` has Arabic letters (not only Arabic-Indic digits or punctuation).
#[must_use]
pub fn has_arabic_letters(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_alphabetic() && ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// Whether `c` is one of the lam-alef ligatures.
#[must_use]
pub fn is_lam_alef_ligature(c: char) -> bool {
    ('\u{FEF5}'..='\u{FEFC}').contains(&c)
}

/// The marks `ar-reshaper` treats as harakat (transparent for joining).
fn is_harakah(c: char) -> bool {
    matches!(
        c,
        '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06DC}'
            | '\u{06DF}'..='\u{06E8}'
            | '\u{06EA}'..='\u{06ED}'
            | '\u{08D4}'..='\u{08FF}'
    )
}

/// A letter the reshaper knows (all of them lie in U+0621..U+06D5).
fn is_joining_letter(c: char) -> bool {
    ('\u{0620}'..='\u{06FF}').contains(&c)
        && !is_harakah(c)
        && RESHAPER.need_reshape(c.encode_utf8(&mut [0; 4]))
}

/// Whether `c` is an alef that forms a ligature after lam (alef, alef with hamza above or
/// below, alef with madda).
fn is_ligating_alef(c: char) -> bool {
    matches!(c, '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0627}')
}

/// The forms of a run's `letters` (no harakat, no ZWJ) with the lam-alef ligatures formed by
/// the reshaper: the ligature replaces the lam's form and the alef's becomes `None`. As in
/// `FriBidi`, a lam and an alef with a haraka between them (`marked[i]`: a haraka follows
/// letter `i`) are not joined into a ligature. `forms` (one per letter) is left unchanged
/// if the reshaper's output cannot be matched letter for letter.
fn form_ligatures(letters: &str, marked: &[bool], forms: &mut [Option<char>]) {
    let letters: Vec<char> = letters.chars().collect();
    if letters.len() != forms.len()
        || !letters
            .windows(2)
            .any(|w| w[0] == '\u{0644}' && is_ligating_alef(w[1]))
    {
        return;
    }
    let ligated: Vec<char> = LIGATING
        .reshape(letters.iter().collect::<String>())
        .chars()
        .collect();
    let mut out = forms.to_vec();
    let (mut i, mut j) = (0, 0);
    while i < letters.len() {
        let Some(&c) = ligated.get(j) else {
            return;
        };
        if is_lam_alef_ligature(c) {
            if letters[i] != '\u{0644}' || !letters.get(i + 1).is_some_and(|&a| is_ligating_alef(a))
            {
                return;
            }
            if !marked.get(i).copied().unwrap_or(false) {
                out[i] = Some(c);
                out[i + 1] = None;
            }
            i += 2;
        } else {
            i += 1;
        }
        j += 1;
    }
    if j == ligated.len() {
        forms.copy_from_slice(&out);
    }
}

/// Shape `text`; returns the shaped text and, for each of its bytes, the byte offset in
/// `text` of the character it came from (a lam-alef ligature comes from its lam).
///
/// Only maximal runs of Arabic letters (with their harakat and ZWJs) go through the
/// reshaper, with the harakat taken out: the reshaper then maps letters one to one (ZWJs
/// are consumed), so harakat are put back right after their own base letter and
/// everything else (emoji ZWJ sequences, leading marks) is left alone. This also avoids
/// the reshaper's arithmetic overflow on text that starts with a haraka. The lam-alef
/// ligatures are formed by a second reshaper on runs without a ZWJ (its ligature pass
/// indexes letters by their position in the text, which a consumed ZWJ would shift).
///
/// `attrs` (one per byte of `text`, or empty) are the styles of styled text: a lam and an
/// alef of different styles form no ligature, so that each keeps its own cell and style
/// (the caret of a text box between the two letters stays visible).
fn shape_with_sources(text: &str, attrs: &[usize]) -> (String, Vec<usize>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut src = Vec::with_capacity(out.capacity());
    let mut push = |out: &mut String, ch: char, from: usize| {
        out.push(ch);
        src.resize(out.len(), from);
    };
    let mut pos = 0;
    while let Some(&(byte, ch)) = chars.get(pos) {
        if !is_joining_letter(ch) {
            push(&mut out, ch, byte);
            pos += 1;
            continue;
        }
        let run_len = chars[pos..]
            .iter()
            .take_while(|&&(_, ch)| ch == ZWJ || is_harakah(ch) || is_joining_letter(ch))
            .count();
        let run = &chars[pos..pos + run_len];
        pos += run_len;
        let letters: String = run
            .iter()
            .map(|&(_, ch)| ch)
            .filter(|&ch| !is_harakah(ch))
            .collect();
        let shaped: Vec<char> = RESHAPER.reshape(&letters).chars().collect();
        let expected = run
            .iter()
            .filter(|&&(_, ch)| ch != ZWJ && !is_harakah(ch))
            .count();
        if shaped.len() == expected {
            let mut forms: Vec<Option<char>> = shaped.into_iter().map(Some).collect();
            if !letters.contains(ZWJ) {
                // marked[i]: a haraka follows letter i, or the next letter has another style.
                let mut marked = vec![false; forms.len()];
                let mut k = 0usize;
                let mut prev_attr = None;
                for &(byte, ch) in run {
                    let attr = attrs.get(byte).copied();
                    let boundary = is_harakah(ch) || (k > 0 && attr != prev_attr);
                    if boundary && let Some(m) = k.checked_sub(1).and_then(|i| marked.get_mut(i)) {
                        *m = true;
                    }
                    if !is_harakah(ch) {
                        k += 1;
                        prev_attr = attr;
                    }
                }
                form_ligatures(&letters, &marked, &mut forms);
            }
            let mut forms = forms.into_iter();
            for &(byte, ch) in run {
                if ch == ZWJ {
                    continue;
                }
                if is_harakah(ch) {
                    push(&mut out, ch, byte);
                } else if let Some(form) = forms.next().flatten() {
                    push(&mut out, if form == '\0' { ch } else { form }, byte);
                }
            }
        } else {
            // Unexpected reshaper output: leave the run unshaped rather than guess.
            for &(byte, ch) in run {
                push(&mut out, ch, byte);
            }
        }
    }
    (out, src)
}

/// Arabic → Presentation Forms (mostly B), harakat kept after their base letter, the
/// lam-alef ligatures formed (so لا takes one cell), as `FriBidi` shapes by default.
/// Non-Arabic text is untouched.
#[must_use]
pub fn shape(text: &str) -> String {
    shape_with_sources(text, &[]).0
}

// ---------------------------------------------------------------------------------------
// Paragraphs and wrapping (logical order)
// ---------------------------------------------------------------------------------------

/// Bidi class B characters.
fn is_paragraph_separator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{1C}'..='\u{1E}' | '\u{85}' | '\u{2029}')
}

/// Paragraph ranges, without their separators. Like `str::lines`: CR LF is one break, a
/// trailing separator does not start an empty paragraph, empty text has no paragraph.
fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if is_paragraph_separator(c) {
            out.push(start..i);
            start = i + c.len_utf8();
            if c == '\r' && iter.peek().is_some_and(|&(_, n)| n == '\n') {
                iter.next();
                start += 1;
            }
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

fn fits(s: &str, width: usize) -> bool {
    cell_width(s.trim_end()) <= width
}

/// `start..end` without trailing whitespace (it hangs past the line end and is dropped).
fn trimmed(p: &str, start: usize, end: usize) -> Range<usize> {
    start..start + p[start..end].trim_end().len()
}

/// Split the over-long segment `p[start..end]` at grapheme boundaries. Pushes every full
/// line and returns the start of the remainder, which fits (or is one cluster wider than
/// `width`, which the caller drops).
fn hard_split(
    p: &str,
    start: usize,
    end: usize,
    width: usize,
    lines: &mut Vec<Range<usize>>,
) -> usize {
    let content = p[start..end].trim_end();
    let mut line_start = start;
    let mut acc = 0;
    for (i, g) in content.grapheme_indices(true) {
        let pos = start + i;
        let w = g.width();
        if acc + w > width && pos > line_start {
            lines.push(line_start..pos);
            line_start = pos;
            acc = 0;
        }
        acc += w;
    }
    line_start
}

/// Push the line `p[r]`, hard-splitting it in the rare case where its measured width
/// exceeds the incremental estimate (a cluster spanning a break or trim position).
fn push_line(p: &str, r: Range<usize>, width: usize, lines: &mut Vec<Range<usize>>) {
    if cell_width(&p[r.clone()]) <= width {
        lines.push(r);
    } else {
        let rest = hard_split(p, r.start, r.end, width, lines);
        lines.push(trimmed(p, rest, r.end));
    }
}

/// Greedy wrap of one paragraph to `width` (≥ 1) cells at UAX #14 break opportunities,
/// in logical order. Returns line ranges relative to `p`, trailing whitespace excluded.
/// Always at least one line. Linear in the paragraph length.
fn wrap_paragraph(p: &str, width: usize) -> Vec<Range<usize>> {
    // Fast path: the whole paragraph fits and has no mandatory break (LS, VT, FF) inside.
    if !p.contains(['\u{2028}', '\u{0B}', '\u{0C}']) && fits(p, width) {
        return vec![trimmed(p, 0, p.len())];
    }
    let mut lines = Vec::new();
    // The current line is p[start..last]; `content` is the width of it without its
    // trailing whitespace, `tail` the width of that whitespace.
    let (mut start, mut last, mut content, mut tail) = (0, 0, 0, 0);
    for (brk, opportunity) in linebreaks(p) {
        if brk <= last || brk > p.len() {
            continue;
        }
        let seg = &p[last..brk];
        let kept = seg.trim_end();
        let (kept_w, ws_w) = (cell_width(kept), cell_width(&seg[kept.len()..]));
        let candidate = if kept.is_empty() {
            content
        } else {
            content + tail + kept_w
        };
        if candidate <= width {
            if kept.is_empty() {
                tail += ws_w;
            } else {
                (content, tail) = (candidate, ws_w);
            }
        } else {
            if last > start {
                push_line(p, trimmed(p, start, last), width, &mut lines);
                start = last;
            }
            if kept_w > width {
                start = hard_split(p, start, brk, width, &mut lines);
                content = cell_width(p[start..brk].trim_end());
            } else {
                content = kept_w;
            }
            tail = ws_w;
        }
        last = brk;
        if opportunity == BreakOpportunity::Mandatory {
            push_line(p, trimmed(p, start, last), width, &mut lines);
            (start, content, tail) = (last, 0, 0);
        }
    }
    if start < p.len() && last > start {
        push_line(p, trimmed(p, start, last), width, &mut lines);
    }
    if lines.is_empty() {
        lines.push(0..0);
    }
    lines
}

// ---------------------------------------------------------------------------------------
// Layout core
// ---------------------------------------------------------------------------------------

/// One output line: pieces of text with an attribute (span index), adjacent equal
/// attributes merged.
type Pieces = Vec<(String, usize)>;

fn push_piece(line: &mut Pieces, s: &str, attr: usize) {
    match line.last_mut() {
        Some((text, a)) if *a == attr => text.push_str(s),
        _ => line.push((s.to_owned(), attr)),
    }
}

/// Whether `prev` followed by `next` would not segment as exactly those two clusters.
/// `buf` is scratch space.
fn would_fuse(prev: &str, next: &str, buf: &mut String) -> bool {
    let (Some(last), Some(first)) = (prev.chars().next_back(), next.chars().next()) else {
        return false;
    };
    // Below U+0300 only CR LF can join across clusters; everything else that can
    // (marks, ZWJ, prepend, Hangul jamo, regional indicators) lies above.
    if last < '\u{0300}' && first < '\u{0300}' && !(last == '\r' && first == '\n') {
        return false;
    }
    buf.clear();
    buf.push_str(prev);
    buf.push_str(next);
    buf.graphemes(true).next().map_or(0, str::len) != prev.len()
}

fn level_of(dir: Dir) -> Level {
    match dir {
        Dir::Ltr => Level::ltr(),
        Dir::Rtl => Level::rtl(),
    }
}

/// A cluster made only of bidi controls: dropped in reorder mode.
fn is_control_cluster(g: &str) -> bool {
    g.chars().all(is_bidi_control)
}

/// The text the pipeline wraps: shaped (with attributes carried) if requested, with the
/// source byte of each of its bytes when shaped.
fn prepare(
    text: &str,
    attrs: &[usize],
    mode: BidiMode,
    shaping: bool,
) -> (String, Vec<usize>, Option<Vec<usize>>) {
    if mode == BidiMode::Reorder && shaping {
        let (shaped, src) = shape_with_sources(text, attrs);
        let attrs = src
            .iter()
            .map(|&i| attrs.get(i).copied().unwrap_or(0))
            .collect();
        (shaped, attrs, Some(src))
    } else {
        (text.to_owned(), attrs.to_vec(), None)
    }
}

/// One line laid out in reorder mode, as [`record_lines`] reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LaidOutLine {
    /// The line in logical order, unshaped (the source text of the line).
    pub logical: String,
    /// Its paragraph direction.
    pub dir: Dir,
    /// The visual line tipquiz draws (shaped when shaping is on).
    pub visual: String,
    /// The whole paragraph the line was wrapped from, logical and unshaped: its levels
    /// are resolved on the paragraph (UAX #9), so neutrals at a line's ends take the
    /// direction of the text around them on the lines before and after.
    pub paragraph: String,
    /// Where the line lies in `paragraph` (bytes).
    pub range: Range<usize>,
}

// A test seam, not state: it records only inside `record_lines` on the same thread (the bidi
// comparison tests), and what is laid out is the same whether it records or not.
thread_local! {
    static RECORDER: std::cell::RefCell<Option<Vec<LaidOutLine>>> =
        const { std::cell::RefCell::new(None) };
}

/// Run `f` and return, with its result, every line laid out in [`BidiMode::Reorder`] on
/// this thread meanwhile: the logical source of the line and what is drawn. Used to compare
/// whole screens with an outside bidi implementation. While recording, callers that cache
/// laid-out lines should not use their caches ([`recording`]).
pub fn record_lines<R>(f: impl FnOnce() -> R) -> (R, Vec<LaidOutLine>) {
    let previous = RECORDER.with(|r| r.borrow_mut().replace(Vec::new()));
    let out = f();
    let lines = RECORDER.with(|r| std::mem::replace(&mut *r.borrow_mut(), previous));
    (out, lines.unwrap_or_default())
}

/// Whether [`record_lines`] is recording on this thread.
#[must_use]
pub fn recording() -> bool {
    RECORDER.with(|r| r.borrow().is_some())
}

fn record(
    original: &str,
    src: Option<&[usize]>,
    para: Range<usize>,
    r: Range<usize>,
    dir: Dir,
    visual: &Pieces,
) {
    RECORDER.with(|rec| {
        if let Some(lines) = rec.borrow_mut().as_mut() {
            let map = |i: usize| {
                src.map_or(Some(i), |s| s.get(i).copied())
                    .unwrap_or(original.len())
            };
            let (p0, p1) = (map(para.start), map(para.end));
            let (l0, l1) = (map(r.start).max(p0), map(r.end).max(map(r.start)).min(p1));
            lines.push(LaidOutLine {
                logical: original.get(l0..l1).unwrap_or_default().to_owned(),
                dir,
                visual: visual.iter().map(|(s, _)| s.as_str()).collect(),
                paragraph: original.get(p0..p1).unwrap_or_default().to_owned(),
                range: l0.saturating_sub(p0)..l1.saturating_sub(p0),
            });
        }
    });
}

/// Logical lines of `text` (already prepared), as absolute byte ranges.
fn logical_ranges(text: &str, width: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for para in paragraphs(text) {
        let p = &text[para.clone()];
        out.extend(
            wrap_paragraph(p, width)
                .into_iter()
                .map(|r| para.start + r.start..para.start + r.end),
        );
    }
    out
}

fn layout(
    text: &str,
    attrs: &[usize],
    dir: Dir,
    width: usize,
    mode: BidiMode,
    shaping: bool,
) -> Vec<Pieces> {
    if width == 0 {
        return Vec::new();
    }
    let original = text;
    let (text, attrs, src) = prepare(text, attrs, mode, shaping);
    let attr_at = |i: usize| attrs.get(i).copied().unwrap_or(0);
    let mut out = Vec::new();
    for para in paragraphs(&text) {
        let p = &text[para.clone()];
        let ranges = wrap_paragraph(p, width);
        match mode {
            BidiMode::Terminal => {
                for r in ranges {
                    let mut line = Pieces::new();
                    for (i, g) in p[r.clone()].grapheme_indices(true) {
                        if g.width() <= width {
                            push_piece(&mut line, g, attr_at(para.start + r.start + i));
                        }
                    }
                    out.push(line);
                }
            }
            BidiMode::Reorder => {
                let info = ParagraphBidiInfo::new(p, Some(level_of(dir)));
                for r in ranges {
                    let line =
                        reorder_line(&info, p, r.clone(), width, |i| attr_at(para.start + i));
                    let abs = para.start + r.start..para.start + r.end;
                    record(original, src.as_deref(), para.clone(), abs, dir, &line);
                    out.push(line);
                }
            }
        }
    }
    out
}

/// Rule L1 for the line `p[r]`: the paragraph's resolved levels of those bytes, with
/// trailing whitespace and isolate controls, and whitespace before segment separators,
/// reset to the paragraph level; explicit embedding controls and BN take the previous
/// level. Same logic as `unicode_bidi`'s `reordered_levels`, which clones the levels of
/// the whole paragraph for every line (quadratic on long paragraphs).
fn line_levels(info: &ParagraphBidiInfo<'_>, p: &str, r: Range<usize>) -> Vec<Level> {
    use BidiClass::{B, BN, FSI, LRE, LRI, LRO, PDF, PDI, RLE, RLI, RLO, S, WS};
    let para = info.paragraph_level;
    let mut levels = info
        .levels
        .get(r.clone())
        .map(<[Level]>::to_vec)
        .unwrap_or_default();
    let Some(text) = p.get(r.clone()) else {
        return levels;
    };
    if levels.len() != text.len() {
        return vec![para; text.len()];
    }
    let mut reset_from: Option<usize> = Some(0);
    let mut reset_to: Option<usize> = None;
    let mut prev = para;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        match info.original_classes.get(r.start + i) {
            Some(B | S) => {
                reset_to = Some(end);
                reset_from.get_or_insert(i);
            }
            Some(WS | FSI | LRI | RLI | PDI) => {
                reset_from.get_or_insert(i);
            }
            Some(RLE | LRE | RLO | LRO | PDF | BN) => {
                reset_from.get_or_insert(i);
                levels[i..end].fill(prev);
            }
            _ => reset_from = None,
        }
        if let (Some(from), Some(to)) = (reset_from, reset_to) {
            levels[from..to].fill(para);
            reset_from = None;
            reset_to = None;
        }
        prev = levels[i];
    }
    if let Some(from) = reset_from {
        levels[from..].fill(para);
    }
    levels
}

/// Rules L1–L4 on one line `p[r]` of a paragraph, on grapheme clusters.
fn reorder_line(
    info: &ParagraphBidiInfo<'_>,
    p: &str,
    r: Range<usize>,
    width: usize,
    attr_at: impl Fn(usize) -> usize,
) -> Pieces {
    let levels = line_levels(info, p, r.clone()); // L1, one level per byte of the line
    let level_at = |i: usize| {
        i.checked_sub(r.start)
            .and_then(|i| levels.get(i))
            .copied()
            .unwrap_or(info.paragraph_level)
    };
    let clusters: Vec<(usize, &str)> = p[r.clone()]
        .grapheme_indices(true)
        .map(|(i, g)| (r.start + i, g))
        .collect();
    let cluster_levels: Vec<Level> = clusters.iter().map(|&(i, _)| level_at(i)).collect();
    let mut line = Pieces::new();
    let mut prev = String::new();
    let mut cluster = String::new();
    let mut scratch = String::new();
    for v in BidiInfo::reorder_visual(&cluster_levels) {
        // L2 on clusters (so L3 holds)
        let Some(&(start, g)) = clusters.get(v) else {
            continue;
        };
        if is_control_cluster(g) || g.width() > width {
            continue;
        }
        cluster.clear();
        for (j, c) in g.char_indices() {
            let c = if is_bidi_control(c) {
                continue;
            } else if level_at(start + j).is_rtl() {
                mirrored(c).unwrap_or(c) // L4
            } else {
                c
            };
            cluster.push(c);
        }
        let attr = attr_at(start);
        if would_fuse(&prev, &cluster, &mut scratch) {
            let mut sep = [0; 4];
            push_piece(&mut line, CLUSTER_SEPARATOR.encode_utf8(&mut sep), attr);
        }
        push_piece(&mut line, &cluster, attr);
        std::mem::swap(&mut prev, &mut cluster);
    }
    line
}

fn join(pieces: Pieces) -> String {
    match pieces.len() {
        0 => String::new(),
        1 => pieces
            .into_iter()
            .next()
            .map(|(s, _)| s)
            .unwrap_or_default(),
        _ => pieces.into_iter().map(|(s, _)| s).collect(),
    }
}

// ---------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------

/// Wrap `text` (logical order, may contain '\n' paragraph breaks) to `width` cells and
/// return visual lines.
///
/// `dir` is the paragraph direction (from the language of the text, never guessed).
///
/// * [`BidiMode::Reorder`]: shape if `shaping`, bidi levels per paragraph, wrap by cell
///   width (UAX #14 breaks; words longer than `width` are split between clusters), per
///   line L1..L4 on grapheme clusters, bidi controls dropped.
/// * [`BidiMode::Terminal`]: only wrap; logical order, no shaping.
///
/// Never returns a line wider than `width` cells ([`cell_width`]); a single cluster wider
/// than `width` is dropped. Trailing whitespace of each line is dropped. `width == 0`
/// gives no lines; an empty paragraph gives one empty line.
#[must_use]
pub fn visual_lines(
    text: &str,
    dir: Dir,
    width: usize,
    mode: BidiMode,
    shaping: bool,
) -> Vec<String> {
    layout(text, &[], dir, width, mode, shaping)
        .into_iter()
        .map(join)
        .collect()
}

/// The logical lines that [`visual_lines`] reorders, line for line: the same shaping (in
/// `Reorder` mode) and wrapping, but in logical order and with bidi controls kept. In
/// `Terminal` mode this equals [`visual_lines`] except for clusters wider than `width`.
/// Useful for tests, copy actions and logical↔visual maps.
#[must_use]
pub fn logical_lines(text: &str, width: usize, mode: BidiMode, shaping: bool) -> Vec<String> {
    if width == 0 {
        return Vec::new();
    }
    let (text, _, _) = prepare(text, &[], mode, shaping);
    logical_ranges(&text, width)
        .into_iter()
        .map(|r| text[r].to_owned())
        .collect()
}

/// Like [`visual_lines`], carrying styles: `spans` form one logical text; each output line
/// holds ratatui spans in visual order, adjacent equal styles merged. A cluster takes the
/// style of its first character. The lines carry no alignment (use [`align_line`]).
#[must_use]
pub fn visual_styled_lines(
    spans: &[(String, Style)],
    dir: Dir,
    width: usize,
    mode: BidiMode,
    shaping: bool,
) -> Vec<Line<'static>> {
    let mut text = String::new();
    let mut attrs = Vec::new();
    for (i, (s, _)) in spans.iter().enumerate() {
        text.push_str(s);
        attrs.resize(text.len(), i);
    }
    layout(&text, &attrs, dir, width, mode, shaping)
        .into_iter()
        .map(|pieces| {
            let mut out: Vec<Span<'static>> = Vec::with_capacity(pieces.len());
            for (s, attr) in pieces {
                let style = spans.get(attr).map_or_else(Style::default, |(_, st)| *st);
                match out.last_mut() {
                    Some(last) if last.style == style => last.content.to_mut().push_str(&s),
                    _ => out.push(Span::styled(s, style)),
                }
            }
            Line::from(out)
        })
        .collect()
}

/// The text as tipquiz draws it, before reordering: shaped (joining forms and lam-alef
/// ligatures) in [`BidiMode::Reorder`] with `shaping` on, the text itself otherwise (the
/// terminal shapes in [`BidiMode::Terminal`]).
#[must_use]
pub fn drawn(text: &str, mode: BidiMode, shaping: bool) -> std::borrow::Cow<'_, str> {
    if mode == BidiMode::Reorder && shaping && text.chars().any(is_joining_letter) {
        std::borrow::Cow::Owned(shape(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Width in cells of logical `text` as tipquiz draws it in this mode: the shaped line
/// when it shapes (a lam-alef ligature is one cell where the logical text has two
/// letters), else [`cell_width`]. Use it for every width computation on logical text
/// (padding, columns, fitting hints); bidi controls count 0 in both.
#[must_use]
pub fn text_width(text: &str, mode: BidiMode, shaping: bool) -> usize {
    cell_width(&drawn(text, mode, shaping))
}

/// The longest prefix of logical `text` (ending at a character boundary that does not
/// split a drawn cell: never between a lam and the alef of its ligature, never before a
/// mark) that is at most `width` cells wide as drawn ([`text_width`]).
#[must_use]
pub fn truncate(text: &str, width: usize, mode: BidiMode, shaping: bool) -> &str {
    if text_width(text, mode, shaping) <= width {
        return text;
    }
    // Cells of the drawn text, each with the logical byte where it starts.
    let (drawn, src) = if mode == BidiMode::Reorder && shaping {
        shape_with_sources(text, &[])
    } else {
        (text.to_owned(), (0..text.len()).collect())
    };
    let mut used = 0;
    for (i, g) in drawn.grapheme_indices(true) {
        let w = g.width();
        if used + w > width {
            return &text[..src.get(i).copied().unwrap_or(text.len())];
        }
        used += w;
    }
    text
}

/// Pad logical `text` with spaces after it to `width` cells as drawn ([`text_width`]):
/// a table column. Text wider than `width` is returned whole.
#[must_use]
pub fn pad_end(text: &str, width: usize, mode: BidiMode, shaping: bool) -> String {
    let pad = width.saturating_sub(text_width(text, mode, shaping));
    let mut s = String::with_capacity(text.len() + pad);
    s.push_str(text);
    s.extend(std::iter::repeat_n(' ', pad));
    s
}

/// One cell of a left-to-right table row (columns that stay where they are in either
/// language), `width` cells wide, right-aligned if `right`. In [`BidiMode::Reorder`] a
/// cell with Arabic letters is shaped and reordered on its own, so that a row of Arabic
/// headers keeps its columns over the rows of ids and numbers (laid out as one line, the
/// whole row would be reversed). In [`BidiMode::Terminal`] the cell stays logical. Padded
/// by the drawn width; a cell wider than `width` overflows, as `format!` widths do.
#[must_use]
pub fn table_cell(text: &str, width: usize, right: bool, mode: BidiMode, shaping: bool) -> String {
    let shown = if mode == BidiMode::Reorder && has_arabic_letters(text) {
        let w = text_width(text, mode, shaping).max(1);
        visual_lines(text, Dir::Rtl, w, mode, shaping)
            .into_iter()
            .next()
            .unwrap_or_default()
    } else {
        text.to_owned()
    };
    let pad = " ".repeat(width.saturating_sub(cell_width(&shown)));
    if right {
        format!("{pad}{shown}")
    } else {
        format!("{shown}{pad}")
    }
}

/// A chart of percentages for a terminal that does the bidi itself (`--bidi terminal`,
/// Arabic): one topic per row, each row one logical line `label  ████░░░░  29` with the
/// label padded to one width and the value right-aligned (the chart's title says the values
/// are percentages), laid out right to left in `width` cells. A bidi terminal reverses each
/// row's right-to-left run as a whole, so the label, its bar (filled from the label's side)
/// and its value stay together on their row and the rows stay aligned, whether the terminal
/// takes the row as a left-to-right paragraph or detects it as right-to-left. A vertical
/// chart cannot survive this: its row of labels is one run, which the terminal reverses,
/// putting each label under another topic's bar. The values are written in `digits`.
#[must_use]
pub fn chart_rows_for_terminal_bidi(
    rows: &[(String, u64, Style)],
    width: u16,
    mode: BidiMode,
    shaping: bool,
    digits: crate::text::Digits,
) -> Vec<Line<'static>> {
    let w = usize::from(width);
    let label_w = rows
        .iter()
        .map(|(l, _, _)| text_width(l, mode, shaping))
        .max()
        .unwrap_or(0)
        .min(w / 2);
    let bar_w = w.saturating_sub(label_w + 2 + 1 + 3).clamp(0, 30);
    rows.iter()
        .flat_map(|(label, pct, style)| {
            let label = truncate(label, label_w, mode, shaping);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let filled = ((*pct).min(100) as f64 / 100.0 * bar_w as f64).round() as usize;
            let spans = [
                (
                    format!("{}  ", pad_end(label, label_w, mode, shaping)),
                    Style::default(),
                ),
                (
                    format!("{}{}", "█".repeat(filled), "░".repeat(bar_w - filled)),
                    *style,
                ),
                (
                    digits.write(&format!(" {pct:>3}")).into_owned(),
                    Style::default(),
                ),
            ];
            visual_styled_lines(&spans, Dir::Rtl, w, mode, shaping)
                .into_iter()
                .take(1)
                .map(|l| align_line(l, Dir::Rtl, w))
        })
        .collect()
}

/// Right-align helper: pad a visual line on the left with spaces to `width` cells (`Rtl`)
/// or return it unchanged (`Ltr`). Measures with [`cell_width`].
#[must_use]
pub fn align(line: &str, dir: Dir, width: usize) -> String {
    match dir {
        Dir::Ltr => line.to_owned(),
        Dir::Rtl => {
            let pad = width.saturating_sub(cell_width(line));
            let mut s = String::with_capacity(pad + line.len());
            s.extend(std::iter::repeat_n(' ', pad));
            s.push_str(line);
            s
        }
    }
}

/// [`align`] for a styled line: prepends an unstyled padding span for `Rtl`. Use this
/// rather than `Line::right_aligned()`, whose width math is wrong for unshaped لا.
#[must_use]
pub fn align_line(line: Line<'static>, dir: Dir, width: usize) -> Line<'static> {
    if dir == Dir::Ltr {
        return line;
    }
    let used: usize = line.spans.iter().map(|s| cell_width(&s.content)).sum();
    let pad = width.saturating_sub(used);
    if pad == 0 {
        return line;
    }
    let mut spans = Vec::with_capacity(line.spans.len() + 1);
    spans.push(Span::raw(" ".repeat(pad)));
    spans.extend(line.spans);
    Line {
        spans,
        style: line.style,
        alignment: line.alignment,
    }
}

type CacheKey = (Dir, usize, BidiMode, bool);

/// A small cache of [`visual_lines`] results keyed by (text, dir, width, mode, shaping).
/// Not LRU: it is cleared when it would hold more than [`BIDI_CACHE_CAPACITY`] entries.
#[derive(Debug, Default, Clone)]
pub struct BidiCache {
    map: HashMap<String, HashMap<CacheKey, Vec<String>>>,
    entries: usize,
}

impl BidiCache {
    /// An empty cache.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The visual lines of `text`, computed on first use.
    pub fn get(
        &mut self,
        text: &str,
        dir: Dir,
        width: usize,
        mode: BidiMode,
        shaping: bool,
    ) -> &[String] {
        let key = (dir, width, mode, shaping);
        let hit = self.map.get(text).is_some_and(|m| m.contains_key(&key));
        if !hit {
            if self.entries >= BIDI_CACHE_CAPACITY {
                self.clear();
            }
            let lines = visual_lines(text, dir, width, mode, shaping);
            self.map
                .entry(text.to_owned())
                .or_default()
                .insert(key, lines);
            self.entries += 1;
        }
        self.map
            .get(text)
            .and_then(|m| m.get(&key))
            .map_or(&[], Vec::as_slice)
    }

    /// Number of cached entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries
    }

    /// Whether the cache is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// Drop every entry (e.g. after the bidi mode or shaping setting changed).
    pub fn clear(&mut self) {
        self.map.clear();
        self.entries = 0;
    }
}

/// Lay out `text` for a terminal that does not reorder: each line reordered (and shaped) by
/// the screens' pipeline, wrapped and right-aligned to `width` cells.
#[must_use]
pub fn visual_text(text: &str, width: usize, shaping: bool) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        // Lines without Arabic letters (file places, snippets, carets, tables of ids) stay
        // left to right as they are, so that a caret still points at its column.
        // Arabic-Indic digits alone (a row of counts with --digits arabic) do not make a line
        // Arabic: its columns stay where they are.
        if body.trim().is_empty() || !has_arabic_letters(body) {
            out.push_str(body);
        } else {
            let body = isolate_options(body);
            let lines = visual_lines(&body, Dir::Rtl, width, BidiMode::Reorder, shaping);
            let n = lines.len();
            for (i, l) in lines.into_iter().enumerate() {
                out.push_str(&align(&l, Dir::Rtl, width));
                if i + 1 < n {
                    out.push('\n');
                }
            }
        }
        out.push_str(nl);
    }
    out
}

/// Option names (`--time`, `--review-mistakes`) inside an Arabic line put in a left-to-right
/// isolate, as the screens do with paths: otherwise the bidi algorithm moves their leading
/// hyphens to the other end (`time--`). Only for the reordered layout, never in piped output.
pub(crate) fn isolate_options(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(at) = rest.find("--") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let starts_word = before
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "'\"(«".contains(c));
        let name_len = from[2..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(from.len() - 2);
        if starts_word && from[2..].starts_with(|c: char| c.is_ascii_lowercase()) {
            out.push('\u{2066}');
            out.push_str(&from[..2 + name_len]);
            out.push('\u{2069}');
            rest = &from[2 + name_len..];
        } else {
            out.push_str("--");
            rest = &from[2..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Our slice-local L1 equals `unicode_bidi`'s `reordered_levels` on every line.
    #[test]
    fn line_levels_match_unicode_bidi() {
        let texts = [
            "\u{0627}\u{0644}\u{0645}\u{0627}\u{062F}\u{0629} 2 \u{0645}\u{0646} abc def  ",
            "a \u{2067}\u{0628} \u{062C}\u{2069}  \t b\u{200E} \u{202B}x y\u{202C} ",
            "  \u{0628}\u{064E}\t\u{0661}\u{0662} (\u{0633}) 12.5% \u{200B} ",
        ];
        for text in texts {
            for dir in [Dir::Ltr, Dir::Rtl] {
                let info = ParagraphBidiInfo::new(text, Some(level_of(dir)));
                let bounds: Vec<usize> = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([text.len()])
                    .collect();
                for (a, &start) in bounds.iter().enumerate() {
                    for &end in &bounds[a..] {
                        let theirs = info.reordered_levels(start..end);
                        let ours = line_levels(&info, text, start..end);
                        assert_eq!(ours, theirs[start..end], "{text:?} {start}..{end}");
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// Same check on random mixed text and random line ranges.
        #[test]
        fn line_levels_match_unicode_bidi_random(
            chars in proptest::collection::vec(proptest::sample::select(&[
                'a', 'Z', '1', '\u{0628}', '\u{0633}', '\u{0661}', '\u{064E}', ' ', '\t', '(',
                ')', '.', '\u{00A0}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}',
                '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
                '\u{200B}', '\u{2028}', '\u{001F}',
            ][..]), 0..40),
            a in 0usize..41, b in 0usize..41, rtl in proptest::bool::ANY,
        ) {
            let text: String = chars.iter().collect();
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let (a, b) = (bounds[a.min(bounds.len() - 1)], bounds[b.min(bounds.len() - 1)]);
            let (start, end) = (a.min(b), a.max(b));
            let dir = if rtl { Dir::Rtl } else { Dir::Ltr };
            let info = ParagraphBidiInfo::new(&text, Some(level_of(dir)));
            let theirs = info.reordered_levels(start..end);
            proptest::prop_assert_eq!(line_levels(&info, &text, start..end), &theirs[start..end]);
        }
    }

    /// Mirroring is an involution over every character the crate knows.
    #[test]
    fn mirroring_is_an_involution() {
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            if let Some(m) = mirrored(c) {
                assert_eq!(mirrored(m), Some(c), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn paragraph_split() {
        assert_eq!(
            paragraphs("a\r\nb\n\nc\u{2029}d\n"),
            [0..1, 3..4, 5..5, 6..7, 10..11]
        );
        assert!(paragraphs("").is_empty());
        assert_eq!(paragraphs("\n"), vec![Range { start: 0, end: 0 }]);
    }

    #[test]
    fn shaping_survives_leading_harakat_and_zwj() {
        // ar-reshaper alone overflows on a leading haraka (`output.len() - 1`).
        assert_eq!(shape("\u{064E}\u{0628}"), "\u{064E}\u{FE8F}");
        // A ZWJ after a letter forces its joining form and is consumed.
        assert_eq!(shape("\u{0628}\u{200D}"), "\u{FE91}");
        let (s, src) = shape_with_sources("x\u{0628}\u{064E}\u{200D}\u{0629}", &[]);
        assert_eq!(s, "x\u{FE91}\u{064E}\u{FE94}");
        assert_eq!(src.len(), s.len());
        assert_eq!(src[0], 0);
        assert_eq!(src[1], 1);
        assert_eq!(src[s.len() - 1], 8);
    }

    #[test]
    fn fusing_clusters_are_separated() {
        // Two lone regional indicators that meet only after reordering.
        let text = "\u{1F1F8}\u{200E}\u{1F1E6}";
        let lines = visual_lines(text, Dir::Ltr, 10, BidiMode::Reorder, false);
        assert_eq!(lines, ["\u{1F1F8}\u{200B}\u{1F1E6}"]);
    }

    #[test]
    fn cache_is_bounded() {
        let mut cache = BidiCache::new();
        for i in 0..=BIDI_CACHE_CAPACITY {
            let _ = cache.get(&i.to_string(), Dir::Ltr, 10, BidiMode::Reorder, true);
        }
        assert_eq!(cache.len(), 1);
        assert_eq!(
            cache.get("ab", Dir::Rtl, 10, BidiMode::Reorder, true),
            ["ab"]
        );
        assert_eq!(cache.len(), 2);
        cache.clear();
        assert!(cache.is_empty());
    }

    #[test]
    fn styled_lines_keep_styles_in_visual_order() {
        use ratatui::style::Color;
        let red = Style::new().fg(Color::Red);
        // "\u{0623}) " unstyled, then the word "\u{0633}\u{0646}\u{0629}" in red.
        let spans = [
            ("\u{0623}) ".to_owned(), Style::new()),
            ("\u{0633}\u{0646}\u{0629}".to_owned(), red),
        ];
        let lines = visual_styled_lines(&spans, Dir::Rtl, 20, BidiMode::Reorder, true);
        assert_eq!(lines.len(), 1);
        let got: Vec<(&str, Style)> = lines[0]
            .spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style))
            .collect();
        assert_eq!(
            got,
            [
                ("\u{FE94}\u{FEE8}\u{FEB3}", red),
                (" (\u{FE83}", Style::new())
            ]
        );
        let aligned = align_line(lines[0].clone(), Dir::Rtl, 8);
        assert_eq!(aligned.spans[0].content, "  ");
        assert_eq!(aligned.spans.len(), 3);
    }
}
