//! Property tests for the visual-line pipeline.

use std::collections::HashMap;
use std::sync::LazyLock;

use proptest::prelude::*;
use ratatui::style::{Color, Style};
use tipquiz::tui::bidi::{
    BidiCache, BidiMode, Dir, cell_width, is_bidi_control, logical_lines, visual_lines,
    visual_styled_lines,
};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Characters that stress the pipeline: Arabic letters and harakat, Latin, European and
/// Arabic-Indic digits, brackets and other mirrored or neutral punctuation, spaces, bidi
/// controls, joiners, paragraph and line separators, wide and combining characters,
/// regional indicators and Hangul jamo (both fuse across cluster boundaries).
const POOL: &[char] = &[
    '\u{0627}',
    '\u{0644}',
    '\u{0628}',
    '\u{0633}',
    '\u{0645}',
    '\u{0647}',
    '\u{0629}',
    '\u{0621}',
    '\u{0623}',
    '\u{0649}',
    '\u{064A}',
    '\u{0640}',
    '\u{06CC}',
    '\u{067E}',
    '\u{064E}',
    '\u{0650}',
    '\u{0651}',
    '\u{0652}',
    '\u{0670}',
    '\u{0610}',
    'a',
    'b',
    'Z',
    '0',
    '7',
    '\u{0661}',
    '\u{06F4}',
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '<',
    '>',
    '\u{00AB}',
    '\u{00BB}',
    '.',
    ',',
    '!',
    '?',
    '\u{061F}',
    '%',
    '+',
    '-',
    '/',
    ':',
    ' ',
    ' ',
    ' ',
    '\t',
    '\u{00A0}',
    '\u{200E}',
    '\u{200F}',
    '\u{061C}',
    '\u{202A}',
    '\u{202B}',
    '\u{202C}',
    '\u{202D}',
    '\u{202E}',
    '\u{2066}',
    '\u{2067}',
    '\u{2068}',
    '\u{2069}',
    '\u{200B}',
    '\u{200C}',
    '\u{200D}',
    '\n',
    '\r',
    '\u{2028}',
    '\u{2029}',
    '\u{4E2D}',
    '\u{0301}',
    '\u{1F600}',
    '\u{1F1F8}',
    '\u{1F1E6}',
    '\u{1100}',
    '\u{1161}',
    '\u{11A8}',
    '\u{0600}',
    '\u{FE0F}',
    '\u{2264}',
    '\u{2265}',
    '\u{223C}',
    '\u{223D}',
    '\u{2990}',
];

fn pool_string() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(POOL), 0..60).prop_map(|v| v.into_iter().collect())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![pool_string(), any::<String>()]
}

fn any_dir() -> impl Strategy<Value = Dir> {
    prop_oneof![Just(Dir::Ltr), Just(Dir::Rtl)]
}

fn any_mode() -> impl Strategy<Value = BidiMode> {
    prop_oneof![Just(BidiMode::Reorder), Just(BidiMode::Terminal)]
}

/// Each mirrorable char mapped to the smaller of its pair, built from the forward
/// direction of `unicode_bidi_mirroring` only (independent of the crate under test).
static CANONICAL: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for c in (0..0x11_0000).filter_map(char::from_u32) {
        if let Some(d) = unicode_bidi_mirroring::get_mirrored(c) {
            m.insert(c, c.min(d));
            m.insert(d, c.min(d));
        }
    }
    m
});

/// A cluster with mirroring undone.
fn unmirror(g: &str) -> String {
    g.chars()
        .map(|c| CANONICAL.get(&c).copied().unwrap_or(c))
        .collect()
}

fn multiset<'a>(it: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for g in it {
        *m.entry(unmirror(g)).or_insert(0) += 1;
    }
    m
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Never panics, for any string, width 0..200, mode, direction and shaping; and no
    /// line is wider than the width.
    #[test]
    fn never_panics_and_never_too_wide(
        text in any_text(), width in 0usize..200, dir in any_dir(), mode in any_mode(),
        shaping in any::<bool>(),
    ) {
        let lines = visual_lines(&text, dir, width, mode, shaping);
        if width == 0 {
            prop_assert!(lines.is_empty());
        }
        for line in &lines {
            prop_assert!(cell_width(line) <= width, "{:?} is {} > {} cells", line, cell_width(line), width);
        }
        let logical = logical_lines(&text, width, mode, shaping);
        prop_assert_eq!(logical.len(), lines.len());
    }

    /// Narrow widths exercise hard splitting.
    #[test]
    fn narrow_widths_never_too_wide(
        text in pool_string(), width in 1usize..6, dir in any_dir(), shaping in any::<bool>(),
    ) {
        for line in visual_lines(&text, dir, width, BidiMode::Reorder, shaping) {
            prop_assert!(cell_width(&line) <= width);
        }
    }

    /// Reorder mode, shaping off: each visual line is a permutation of the grapheme
    /// clusters of its logical line, after removing bidi controls (and the zero-width
    /// separators the pipeline may insert, and clusters wider than the line) and undoing
    /// mirroring.
    #[test]
    fn visual_line_is_a_permutation_of_its_logical_line(
        text in any_text(), width in 1usize..60, dir in any_dir(),
    ) {
        let visual = visual_lines(&text, dir, width, BidiMode::Reorder, false);
        let logical = logical_lines(&text, width, BidiMode::Reorder, false);
        prop_assert_eq!(visual.len(), logical.len());
        for (v, l) in visual.iter().zip(&logical) {
            prop_assert!(!v.chars().any(is_bidi_control), "control left in {:?}", v);
            let keep = |g: &&str| g.width() <= width && *g != "\u{200B}" && !g.chars().all(is_bidi_control);
            let lv = multiset(l.graphemes(true).filter(keep));
            let vv = multiset(v.graphemes(true).filter(keep));
            prop_assert_eq!(lv, vv, "logical {:?} visual {:?}", l, v);
        }
    }

    /// Pure ASCII English in an LTR paragraph is only wrapped, never reordered.
    #[test]
    fn ascii_english_is_only_wrapped(
        text in "[ -~\n]{0,120}", width in 1usize..50, shaping in any::<bool>(),
    ) {
        let reordered = visual_lines(&text, Dir::Ltr, width, BidiMode::Reorder, shaping);
        let wrapped = visual_lines(&text, Dir::Ltr, width, BidiMode::Terminal, shaping);
        prop_assert_eq!(&reordered, &wrapped);
        prop_assert_eq!(&reordered, &logical_lines(&text, width, BidiMode::Reorder, shaping));
        let ours: String = reordered.concat().chars().filter(|c| !c.is_whitespace()).collect();
        let theirs: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        prop_assert_eq!(ours, theirs);
    }

    /// Styled lines carry the same text as plain lines, whatever the span split.
    #[test]
    fn styled_lines_match_plain_lines(
        text in pool_string(), cuts in prop::collection::vec(0usize..60, 0..5),
        width in 0usize..40, dir in any_dir(), mode in any_mode(), shaping in any::<bool>(),
    ) {
        let chars: Vec<char> = text.chars().collect();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(chars.len())).collect();
        // A lam and an alef of different styles form no ligature on purpose (each keeps its
        // cell and style), so plain text, which joins them, is no reference there.
        let mark = |c: &char| ('\u{064B}'..='\u{065F}').contains(c) || *c == '\u{0670}';
        prop_assume!(cuts.iter().all(|&c| {
            let before = chars[..c].iter().rev().find(|ch| !mark(ch));
            let after = chars[c..].iter().find(|ch| !mark(ch));
            !(before == Some(&'\u{0644}')
                && after.is_some_and(|a| matches!(a, '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0627}')))
        }));
        cuts.push(chars.len());
        cuts.sort_unstable();
        let colors = [Color::Red, Color::Green, Color::Red];
        let mut spans = Vec::new();
        let mut start = 0;
        for (i, &end) in cuts.iter().enumerate() {
            spans.push((chars[start..end].iter().collect::<String>(), Style::new().fg(colors[i % 3])));
            start = end;
        }
        let plain = visual_lines(&text, dir, width, mode, shaping);
        let styled = visual_styled_lines(&spans, dir, width, mode, shaping);
        prop_assert_eq!(plain.len(), styled.len());
        for (p, s) in plain.iter().zip(&styled) {
            let joined: String = s.spans.iter().map(|sp| sp.content.as_ref()).collect();
            prop_assert_eq!(p, &joined);
            for pair in s.spans.windows(2) {
                prop_assert_ne!(pair[0].style, pair[1].style, "adjacent equal styles merged");
            }
        }
    }

    /// The cache returns what `visual_lines` computes.
    #[test]
    fn cache_is_transparent(
        text in pool_string(), width in 0usize..40, dir in any_dir(), mode in any_mode(),
        shaping in any::<bool>(),
    ) {
        let mut cache = BidiCache::new();
        let expected = visual_lines(&text, dir, width, mode, shaping);
        prop_assert_eq!(cache.get(&text, dir, width, mode, shaping), expected.as_slice());
        prop_assert_eq!(cache.get(&text, dir, width, mode, shaping), expected.as_slice());
        prop_assert_eq!(cache.len(), 1);
    }
}
