//! Normalisation of typed answers before matching.

/// Normalise a typed answer: lower case; punctuation dropped; whitespace collapsed; Arabic
/// diacritics and tatweel removed; alef forms, alef maqsura/ya and ta marbuta/ha unified;
/// Arabic-Indic and Eastern Arabic-Indic digits turned into 0-9.
#[must_use]
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0640}' => continue,
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            '\u{0660}'..='\u{0669}' => char::from_digit(u32::from(c) - 0x0660, 10).unwrap_or(c),
            '\u{06F0}'..='\u{06F9}' => char::from_digit(u32::from(c) - 0x06F0, 10).unwrap_or(c),
            c => c,
        };
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn case_space_and_punctuation_do_not_matter() {
        assert_eq!(normalize("  Forced   Labour. "), "forced labour");
        assert_eq!(normalize("debt-bondage"), "debt bondage");
    }

    #[test]
    fn arabic_variants_are_unified() {
        // diacritics and tatweel
        assert_eq!(normalize("السُّخْرَة"), normalize("السخرة"));
        assert_eq!(normalize("الســخرة"), normalize("السخرة"));
        // alef forms
        assert_eq!(normalize("إسار الدين"), normalize("اسار الدين"));
        assert_eq!(normalize("آلية"), normalize("الية"));
        // ya and alef maqsura; ta marbuta and ha
        assert_eq!(normalize("مستشفى"), normalize("مستشفي"));
        assert_eq!(normalize("الضحية"), normalize("الضحيه"));
    }

    #[test]
    fn arabic_digits_become_western() {
        assert_eq!(normalize("١٥"), "15");
        assert_eq!(normalize("۱۵"), "15");
        assert_eq!(normalize("٢٠١٣"), normalize("2013"));
    }
}
