//! The screens' words come from the one catalogue per language in [`crate::messages`] (its
//! [`screens`](crate::messages::screens) part, re-exported here); this module adds how the
//! screens write choice labels, durations and percentages in each language.

use crate::text::Lang;

pub use crate::messages::screens::*;
pub use crate::messages::{ar::SCREENS as AR, en::SCREENS as EN};
pub use crate::messages::{fill, paced, topic_name, ui};

/// The choice label of position `i`: a b c ... in English, أ ب ج د ... in Arabic.
#[must_use]
pub fn choice_label(lang: Lang, i: usize) -> String {
    const AR_LABELS: [&str; 12] = ["أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل"];
    match lang {
        Lang::Ar if i < AR_LABELS.len() => AR_LABELS[i].to_owned(),
        _ => crate::bank::letter(i).to_string(),
    }
}

/// A duration for the screens: `1m14s` in English; in Arabic as a clock, `1:14` (minutes and
/// seconds) or `1:02:14`, which reads the same from either side and needs no unit letters
/// (`1 د 14 ث` was ambiguous).
#[must_use]
pub fn duration(lang: Lang, secs: u64) -> String {
    if lang != Lang::Ar {
        return crate::walk::format_duration(secs);
    }
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A percentage as read in the language: `14%`; in Arabic the sign follows the number when
/// read from the right (`%14` on screen), as the bidi algorithm lays out the same text inside
/// an Arabic sentence.
#[must_use]
pub fn percent_label(lang: Lang, pct: u64) -> String {
    if lang.is_rtl() {
        format!("%{pct}")
    } else {
        format!("{pct}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_use_the_units_of_the_language() {
        assert_eq!(duration(Lang::En, 74), "1m14s");
        assert_eq!(duration(Lang::Ar, 74), "1:14");
        assert_eq!(duration(Lang::Ar, 60), "1:00");
        assert_eq!(duration(Lang::Ar, 4), "0:04");
        assert_eq!(duration(Lang::Ar, 3_900), "1:05:00");
    }

    #[test]
    fn arabic_choice_labels_follow_abjad_order() {
        assert_eq!(choice_label(Lang::Ar, 0), "أ");
        assert_eq!(choice_label(Lang::Ar, 3), "د");
        assert_eq!(choice_label(Lang::En, 2), "c");
    }
}
