//! File names that work on every platform tipquiz runs on. Windows (NTFS and FAT alike) keeps
//! some names for devices: `CON`, `PRN`, `AUX`, `NUL`, `COM0`..`COM9` and `LPT0`..`LPT9`, also
//! with an extension (`con.toml` opens the console, `nul.csv` throws the data away) and with the
//! superscript digits `¹²³`; and it drops a trailing dot or space, so `bank.toml.` would be
//! written as `bank.toml`. Files that tipquiz writes where the user names them (a new bank, an
//! import, an export) are checked here on every platform, because banks and results travel
//! between an instructor's Windows laptop and a classroom's Linux machines. The names tipquiz
//! makes itself (records, autosaves, caches) are safe by construction: a test checks them.

/// Why a file name cannot be used on Windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameProblem {
    /// A device name, with or without an extension.
    Device,
    /// Ends in a dot or a space.
    TrailingDotOrSpace,
    /// Holds a character Windows does not allow in a name (`< > : " / \ | ? *` or a control
    /// character).
    Character(char),
}

/// What is wrong with `name` (one component of a path, not a path) as a Windows file name.
#[must_use]
pub fn windows_name_problem(name: &str) -> Option<NameProblem> {
    if let Some(c) = name
        .chars()
        .find(|&c| c < ' ' || matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*'))
    {
        return Some(NameProblem::Character(c));
    }
    if name.ends_with(['.', ' ']) && name != "." && name != ".." {
        return Some(NameProblem::TrailingDotOrSpace);
    }
    // The device is what comes before the first dot, trailing spaces ignored.
    let stem = name.split('.').next().unwrap_or("").trim_end_matches(' ');
    let upper = stem.to_ascii_uppercase();
    let device = match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let mut cs = upper.chars();
            let head: String = cs.by_ref().take(3).collect();
            let rest: String = cs.collect();
            (head == "COM" || head == "LPT")
                && rest.chars().count() == 1
                && rest
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '¹' | '²' | '³'))
        }
    };
    device.then_some(NameProblem::Device)
}

/// The problem of the last component of `path` that tipquiz refuses everywhere (a device name,
/// a trailing dot or space); other characters are left to the platform, which reports them.
#[must_use]
pub fn unportable_name(path: &std::path::Path) -> Option<(String, NameProblem)> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    match windows_name_problem(&name)? {
        NameProblem::Character(_) => None,
        p => Some((name, p)),
    }
}

/// [`unportable_name`] as the message a command shows before writing nothing.
///
/// # Errors
/// The name cannot be used on Windows: what, where and what to do.
pub fn refuse_unportable(path: &std::path::Path) -> Result<(), crate::messages::Msg> {
    use crate::messages::{K, Msg};
    let Some((_, problem)) = unportable_name(path) else {
        return Ok(());
    };
    let why = match problem {
        NameProblem::TrailingDotOrSpace => K::NameTrailingDotOrSpace,
        _ => K::NameDevice,
    };
    Err(Msg::new(
        K::NameNotPortable,
        vec![
            path.display().to_string().into(),
            crate::messages::Arg::Msg(Msg::from(why)),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::{NameProblem, windows_name_problem};

    #[test]
    fn device_names_with_any_case_and_extension_are_refused() {
        for n in [
            "CON",
            "con",
            "Con.toml",
            "nul.csv",
            "aux.tar.gz",
            "PRN",
            "com1",
            "COM9.txt",
            "lpt3",
            "LPT¹.toml",
            "com0",
            "CON .toml",
            "conin$",
            "CONOUT$.log",
        ] {
            assert_eq!(windows_name_problem(n), Some(NameProblem::Device), "{n}");
        }
        for n in [
            "console.toml",
            "con-bank.toml",
            "nul--t-1a2b3c4d.json",
            "com10",
            "lpt",
            "com",
            "auxiliary.csv",
            "بنك.toml",
            "exam--t-00aa11bb--1760000000000--abcdef.json",
        ] {
            assert_eq!(windows_name_problem(n), None, "{n}");
        }
    }

    #[test]
    fn trailing_dots_spaces_and_forbidden_characters_are_refused() {
        assert_eq!(
            windows_name_problem("bank.toml."),
            Some(NameProblem::TrailingDotOrSpace)
        );
        assert_eq!(
            windows_name_problem("report "),
            Some(NameProblem::TrailingDotOrSpace)
        );
        assert_eq!(
            windows_name_problem("day 1: results.csv"),
            Some(NameProblem::Character(':'))
        );
        assert_eq!(
            windows_name_problem("a?b"),
            Some(NameProblem::Character('?'))
        );
        assert_eq!(
            windows_name_problem("tab\there"),
            Some(NameProblem::Character('\t'))
        );
        assert_eq!(windows_name_problem("نتائج الدورة.csv"), None);
    }
}
