//! The units (departments) of a class, from a class file: `units.toml` in the results folder,
//! each unit with its English and Arabic names.
//!
//! ```toml
//! [[unit]]
//! en = "Coast guard"
//! ar = "خفر السواحل"
//! ```
//!
//! The home screen offers the units in the interface language, and the report counts the two
//! names of one unit as one unit. Reading the file is the front's; this module parses text.

use crate::bank::parse_tree;
use crate::diag::Diagnostic;
use crate::messages::{K, Msg};
use crate::msg;
use crate::text::Lang;
use crate::walk::Walker;
use serde::Serialize;

/// The name of the class file of units, in the results folder.
pub const FILE_NAME: &str = "units.toml";

/// One unit of the class, by its two names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClassUnit {
    /// Its English name.
    pub en: String,
    /// Its Arabic name.
    pub ar: String,
}

impl ClassUnit {
    /// Its name in `lang`.
    #[must_use]
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ar => &self.ar,
        }
    }

    /// Whether `unit` (as typed: trimmed, any case) is one of its names.
    #[must_use]
    pub fn is_named(&self, unit: &str) -> bool {
        let u = unit.trim().to_lowercase();
        !u.is_empty() && (u == self.en.trim().to_lowercase() || u == self.ar.trim().to_lowercase())
    }
}

/// The class unit one of whose names is `unit`, if any.
#[must_use]
pub fn find<'a>(units: &'a [ClassUnit], unit: &str) -> Option<&'a ClassUnit> {
    units.iter().find(|c| c.is_named(unit))
}

/// Parse a class file of units. Returns the units (none when the file has an error) and every
/// problem found, with where and how to fix it.
#[must_use]
pub fn parse_units(file: &str, source: &str) -> (Vec<ClassUnit>, Vec<Diagnostic>) {
    let text = crate::walk::without_bom(source);
    let mut w = Walker::new(file, &text);
    let tree = parse_tree(&mut w, &text);
    let top = tree.get_ref();
    let start = 0..text.len().min(1);
    let the_file = Msg::from(K::TheUnitsFile);
    w.unknown_keys(top, &["unit"], &the_file);
    let mut units: Vec<ClassUnit> = Vec::new();
    // Where each unit was given, to name both places of a unit given twice.
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    let list = top.get("unit").and_then(|v| w.array(v, &msg!(Key, "unit")));
    for item in list.unwrap_or_default() {
        let Some(t) = w.table(item, &msg!(Key, "unit")) else {
            continue;
        };
        let what = Msg::from(K::AClassUnit);
        w.unknown_keys(t, &["en", "ar"], &what);
        let name = |w: &mut Walker<'_>, key: &str, example: &str| -> Option<String> {
            let v = w.required(t, key, item.span(), &what, example)?;
            let before = w.diags.len();
            let s = w.string(v, &msg!(Key, key))?;
            // Characters the string check refused are not reported twice.
            if w.diags.len() > before {
                return None;
            }
            if let Some(why) = crate::exam::unit_problem(&s) {
                w.error("bad-unit", v.span(), why, None);
                return None;
            }
            Some(s.trim().to_owned())
        };
        let en = name(&mut w, "en", "\"Coast guard\"");
        let ar = name(&mut w, "ar", "\"خفر السواحل\"");
        let (Some(en), Some(ar)) = (en, ar) else {
            continue;
        };
        // A name given to two units would count two departments as one.
        if let Some(i) = units
            .iter()
            .position(|u| u.is_named(&en) || u.is_named(&ar))
        {
            let line = w.line_of(spans[i].start);
            w.error(
                "duplicate-unit",
                item.span(),
                msg!(UnitListedTwice, format!("{en} / {ar}"), line),
                Msg::from(K::UnitListedTwiceHint),
            );
            continue;
        }
        spans.push(item.span());
        units.push(ClassUnit { en, ar });
    }
    if list.is_none_or(<[_]>::is_empty) && !w.has_errors() {
        w.error(
            "no-units",
            start,
            Msg::from(K::UnitsNone),
            Msg::from(K::UnitsNoneHint),
        );
    }
    if w.has_errors() {
        units.clear();
    }
    (units, w.diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_names_of_a_unit_are_one_unit() {
        let (units, diags) = parse_units(
            "units.toml",
            "[[unit]]\nen = \"Coast guard\"\nar = \"خفر السواحل\"\n\n[[unit]]\nen = \"Airport\"\nar = \"المطار\"\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(units.len(), 2);
        assert_eq!(find(&units, " coast GUARD "), find(&units, "خفر السواحل"));
        assert_eq!(
            find(&units, "المطار").map(|u| u.name(Lang::En)),
            Some("Airport")
        );
        assert!(find(&units, "Port").is_none());
    }
}
