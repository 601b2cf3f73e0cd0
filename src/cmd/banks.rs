//! Bank files: `import`, `export --to`, `new` and `preview`.

use super::Context;
use super::library::read_or_report;
use super::setup::display;
use super::stdout::print_data;
use super::{OK, PROBLEMS, USAGE};
use crate::bank;
use crate::diag::escape_for_terminal;
use crate::messages::{K, Msg};
use crate::msg;

pub(crate) fn write_new_file(path: &std::path::Path, text: &str) -> Result<(), Msg> {
    use std::io::Write as _;
    crate::fsname::refuse_unportable(path)?;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| msg!(CannotCreate, path.display().to_string(), e.to_string()))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| msg!(CannotWrite, path.display().to_string(), e.to_string()))
}

pub(crate) fn import_cmd(
    cx: &Context,
    file: &std::path::Path,
    from: Option<crate::cli::ImportFrom>,
    lang: &str,
    id: Option<&str>,
    output: Option<&std::path::Path>,
    encoding: Option<&str>,
) -> u8 {
    use crate::import::{Format, Taken, import_file};
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            cx.out
                .fail_msg(&msg!(CannotRead, file.display().to_string(), e.to_string()));
            return USAGE;
        }
    };
    let format = from.map(|f| match f {
        crate::cli::ImportFrom::Gift => Format::Gift,
        crate::cli::ImportFrom::Aiken => Format::Aiken,
        crate::cli::ImportFrom::MoodleXml => Format::MoodleXml,
        crate::cli::ImportFrom::Csv => Format::Csv,
    });
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bank_id = id.map_or_else(|| crate::walk::suggest_id(&stem), str::to_owned);
    // The shipped banks, whose ids an imported bank must not take.
    let taken = Taken::of(&bank::load_shipped().0);
    let shown = escape_for_terminal(&file.display().to_string());
    let ext = file.extension().and_then(|e| e.to_str());
    let (out, decoded) = match import_file(&bytes, format, ext, encoding, lang, &bank_id, &taken) {
        Ok((out, decoded, _)) => (out, decoded),
        Err(e) => {
            let at = if e.line > 0 {
                format!("{shown}:{}:{}: ", e.line, e.column)
            } else {
                format!("{shown}: ")
            };
            cx.out.print_err(&format!(
                "{at}{}\n  = {}\n",
                escape_for_terminal(&cx.out.say(&e.message)),
                escape_for_terminal(&cx.out.say(&e.hint))
            ));
            cx.out.fail_msg(&K::NothingConverted.into());
            return PROBLEMS;
        }
    };
    cx.out.print_err(&format!(
        "{shown}: {}\n",
        escape_for_terminal(&cx.out.say(&decoded.describe()))
    ));
    let mut notes = String::new();
    for s in &out.skipped {
        let at = if s.line > 0 {
            format!("{shown}:{}", s.line)
        } else {
            shown.clone()
        };
        notes.push_str(&format!(
            "{at}: {}\n",
            escape_for_terminal(&cx.out.say(&s.message))
        ));
    }
    notes.push_str(
        &cx.out
            .say(&msg!(Converted, out.questions, out.skipped.len())),
    );
    notes.push('\n');
    cx.out.print_err(&notes);
    if out.questions == 0 {
        cx.out.fail_msg(&K::NothingConverted.into());
        return PROBLEMS;
    }
    match output {
        None => print_data(&out.toml),
        Some(p) => {
            if let Err(e) = write_new_file(p, &out.toml) {
                cx.out.fail_msg(&e);
                return USAGE;
            }
            cx.out.print_err(&format!(
                "{}\n",
                escape_for_terminal(&cx.out.say(&msg!(WroteCheckIt, p.display().to_string())))
            ));
        }
    }
    OK
}

pub(crate) fn export_bank_cmd(
    cx: &Context,
    to: crate::cli::ExportTo,
    bank: Option<&std::path::Path>,
    output: Option<&std::path::Path>,
) -> u8 {
    use crate::import::{ExportFormat, export};
    let Some(path) = bank else {
        cx.out.fail_msg(&K::ToNeedsBank.into());
        return USAGE;
    };
    let src = match read_or_report(cx, path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (b, diags) = bank::cache::parse_bank_cached(&src.name, &src.text, cx.banks.as_ref());
    let Some(b) = b else {
        cx.out
            .print_err(&crate::diag::render_all_in(&diags, cx.out.lang));
        return PROBLEMS;
    };
    // The language of the text written into the file: only what `--lang` says (English
    // otherwise), never the environment, so that the same command writes the same file.
    let lang = cx.common.lang.map_or(crate::text::Lang::En, Into::into);
    let fmt = match to {
        crate::cli::ExportTo::Gift => ExportFormat::Gift,
        crate::cli::ExportTo::MoodleXml => ExportFormat::MoodleXml,
    };
    let out = export(&b, fmt, lang);
    let skipped: String = out
        .messages
        .iter()
        .map(|s| {
            format!(
                "{}\n",
                escape_for_terminal(&cx.out.say(&msg!(NotExported, s)))
            )
        })
        .chain(out.notes.iter().map(|n| {
            format!(
                "{}\n",
                escape_for_terminal(&cx.out.say(&msg!(ExportedBut, n)))
            )
        }))
        .collect();
    cx.out.print_err(&skipped);
    match output {
        None => print_data(&out.text),
        Some(p) => {
            if let Err(e) = write_new_file(p, &out.text) {
                cx.out.fail_msg(&e);
                return USAGE;
            }
        }
    }
    OK
}

pub(crate) fn new_cmd(
    cx: &Context,
    path: &std::path::Path,
    exam: bool,
    langs: &[String],
    topic: Option<&str>,
) -> u8 {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = crate::walk::suggest_id(&stem);
    let text = if exam {
        crate::import::starter_exam(&id)
    } else {
        let l: Vec<&str> = langs
            .iter()
            .map(String::as_str)
            .filter(|l| !l.is_empty())
            .collect();
        crate::import::starter_bank(&id, &l, topic.unwrap_or(&id))
    };
    if let Err(e) = write_new_file(path, &text) {
        cx.out.fail_msg(&e);
        return USAGE;
    }
    cx.out.print_err(&format!(
        "{}\n",
        escape_for_terminal(&cx.out.say(&msg!(WroteNew, path.display().to_string())))
    ));
    OK
}

pub(crate) fn preview_cmd(
    cx: &Context,
    bank: &std::path::Path,
    question: Option<&str>,
    watch: bool,
) -> u8 {
    // The language of the screens: the program's one rule, as for every message.
    let lang = cx.out.lang;
    match crate::tui::preview::run(
        bank,
        question,
        watch,
        lang,
        display(&cx.common, &cx.folders),
        cx.banks.as_ref(),
        &|s: &str| cx.out.print_err(s),
    ) {
        Ok(code) => code,
        Err(e) => {
            cx.out.fail_msg(&msg!(CannotUseTerminal, e.to_string()));
            USAGE
        }
    }
}
