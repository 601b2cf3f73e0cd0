//! Normalisation of typed answers before matching.

/// Kuwait's country code, dropped from the front of a telephone number (4.5 in the bank docs).
const COUNTRY_CODE: &str = "965";
/// Digits in a Kuwaiti telephone number without the country code.
const PHONE_DIGITS: usize = 8;

/// Normalise a typed answer: lower case; punctuation dropped; whitespace collapsed; Arabic
/// diacritics and tatweel removed; alef forms, alef maqsura/ya, ta marbuta/ha and hamza on waw
/// or ya unified; Arabic-Indic and Eastern Arabic-Indic digits turned into 0-9; spaces and
/// dashes between two digits dropped; the definite article «ال» at the start of an Arabic word
/// dropped; and a leading country code (+965 or 00965) dropped from a telephone number.
#[must_use]
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // The separator run since the last letter or digit: `space` when there is one, `joins`
    // while it holds only spaces and dashes (which vanish between two digits).
    let mut space = false;
    let mut joins = true;
    for c in s.chars() {
        let c = match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0640}' => continue,
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            'ؤ' => 'و',
            'ئ' => 'ي',
            '\u{0660}'..='\u{0669}' => char::from_digit(u32::from(c) - 0x0660, 10).unwrap_or(c),
            '\u{06F0}'..='\u{06F9}' => char::from_digit(u32::from(c) - 0x06F0, 10).unwrap_or(c),
            c => c,
        };
        if c.is_alphanumeric() {
            let between_digits = c.is_ascii_digit() && out.ends_with(|p: char| p.is_ascii_digit());
            if space && !out.is_empty() && !(joins && between_digits) {
                out.push(' ');
            }
            space = false;
            joins = true;
            out.extend(c.to_lowercase());
        } else {
            space = true;
            joins &= c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}');
        }
    }
    let out = drop_articles(&out);
    drop_country_code(out)
}

/// «ال» at the start of a word, when at least two letters are left: «الكفالة» and «كفالة» are
/// the same answer.
fn drop_articles(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, w) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match w.strip_prefix("ال") {
            Some(rest) if rest.chars().count() >= 2 => out.push_str(rest),
            _ => out.push_str(w),
        }
    }
    out
}

/// A telephone number typed with Kuwait's country code is the number without it (the answer
/// holds only digits, possibly in groups, as in `(+965) 2558 9696`).
fn drop_country_code(s: String) -> String {
    if !s.bytes().all(|b| b.is_ascii_digit() || b == b' ') {
        return s;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    for prefix in ["00", ""] {
        if let Some(rest) = digits
            .strip_prefix(prefix)
            .and_then(|r| r.strip_prefix(COUNTRY_CODE))
            && rest.len() == PHONE_DIGITS
        {
            return rest.to_owned();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn case_space_and_punctuation_do_not_matter() {
        assert_eq!(normalize("  Forced   Labour. "), "forced labour");
        assert_eq!(normalize("debt-bondage"), "debt bondage");
        assert_eq!(normalize("Law No. 91/2013"), "law no 91 2013");
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
        // hamza on waw or ya
        assert_eq!(normalize("مؤشراً"), normalize("موشرا"));
        assert_eq!(normalize("رئيس"), normalize("رييس"));
    }

    #[test]
    fn the_definite_article_at_the_start_of_a_word_does_not_matter() {
        assert_eq!(normalize("نظام الكفالة"), normalize("نظام كفالة"));
        assert_eq!(normalize("النيابة العامة"), normalize("نيابة عامة"));
        assert_eq!(normalize("الثامنة عشرة"), normalize("ثامنة عشرة"));
        // only at the start of a word, and only with two letters left
        assert_eq!(normalize("الى"), "الي");
        assert_eq!(normalize("مال"), "مال");
        assert_ne!(normalize("الكفالة"), normalize("كفالة الكفيل"));
    }

    #[test]
    fn arabic_digits_become_western() {
        assert_eq!(normalize("١٥"), "15");
        assert_eq!(normalize("۱۵"), "15");
        assert_eq!(normalize("٢٠١٣"), normalize("2013"));
    }

    #[test]
    fn spaces_and_dashes_inside_a_number_do_not_matter() {
        for typed in [
            "2558 9696",
            "2558-9696",
            "2558 - 9696",
            "٢٥٥٨ ٩٦٩٦",
            "2558\u{2013}9696",
        ] {
            assert_eq!(normalize(typed), "25589696", "{typed}");
        }
        // other separators still separate, and so does a letter
        assert_eq!(normalize("91/2013"), "91 2013");
        assert_eq!(normalize("3 to 5"), "3 to 5");
        assert_eq!(normalize("18 years"), "18 years");
    }

    #[test]
    fn kuwaits_country_code_is_dropped_from_a_telephone_number() {
        for typed in [
            "+965 25589696",
            "+965 2558 9696",
            "00965-2558-9696",
            "(+965) 25589696",
            "٠٠٩٦٥ ٢٥٥٨٩٦٩٦",
        ] {
            assert_eq!(normalize(typed), "25589696", "{typed}");
        }
        // only before an 8-digit number, and only as a whole answer
        assert_eq!(normalize("965"), "965");
        assert_eq!(normalize("9651234"), "9651234");
        assert_eq!(normalize("call +965 25589696"), "call 96525589696");
    }
}
