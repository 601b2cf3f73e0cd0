//! The commands behind the command line. Each returns the process exit code:
//! 0 success, 1 problems found (or a failed exam action), 2 usage or I/O error.

use crate::bank::{self, Bank, Kind, Library, SourceFile};
use crate::cli::{Command, Common, Format};
use crate::diag::{Diagnostic, Severity, escape_for_terminal};
use crate::exam::{self, ExamDef};
use crate::messages::{K, Msg};
use crate::msg;
use crate::text::Lang;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::OnceLock;

/// Exit code: success.
pub const OK: u8 = 0;
/// Exit code: problems found.
pub const PROBLEMS: u8 = 1;
/// Exit code: usage or I/O error.
pub const USAGE: u8 = 2;

/// The shipped exam definitions: (file name, text).
pub const SHIPPED_EXAMS: &[(&str, &str)] = &[
    (
        "practice-indicators.toml",
        include_str!("../questions/exams/practice-indicators.toml"),
    ),
    (
        "practice-national-law.toml",
        include_str!("../questions/exams/practice-national-law.toml"),
    ),
    (
        "practice-international-law.toml",
        include_str!("../questions/exams/practice-international-law.toml"),
    ),
    (
        "practice-referral.toml",
        include_str!("../questions/exams/practice-referral.toml"),
    ),
    (
        "final-assessment.toml",
        include_str!("../questions/exams/final-assessment.toml"),
    ),
    (
        "briefing-airport.toml",
        include_str!("../questions/exams/briefing-airport.toml"),
    ),
    (
        "briefing-port.toml",
        include_str!("../questions/exams/briefing-port.toml"),
    ),
    (
        "briefing-residence.toml",
        include_str!("../questions/exams/briefing-residence.toml"),
    ),
    (
        "briefing-criminal-investigation.toml",
        include_str!("../questions/exams/briefing-criminal-investigation.toml"),
    ),
];

/// How the command line speaks: its language, and whether lines for a terminal are laid out
/// right to left here (Arabic, terminal, `reorder` mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Voice {
    /// The language of messages.
    pub lang: Lang,
    /// Reorder, shape and right-align the lines written to standard output.
    pub visual_out: bool,
    /// The same for standard error.
    pub visual_err: bool,
    /// Join Arabic letters (when reordering).
    pub shaping: bool,
}

static VOICE: OnceLock<Voice> = OnceLock::new();

/// Choose the voice of this run from the options and the environment. Call once, first.
pub fn set_voice(common: &Common) -> Voice {
    use std::io::IsTerminal as _;
    let flag = common.lang.map(|l| match l {
        crate::cli::LangArg::En => Lang::En,
        crate::cli::LangArg::Ar => Lang::Ar,
    });
    let lang = crate::messages::cli_lang(flag, &|k| std::env::var(k).ok());
    let out_tty = std::io::stdout().is_terminal();
    let err_tty = std::io::stderr().is_terminal();
    // The display (and the preferences it reads) only matters for Arabic on a terminal.
    let d = (lang == Lang::Ar && (out_tty || err_tty)).then(|| display(common));
    let mode = d.map_or(crate::tui::bidi::BidiMode::Terminal, |d| d.mode);
    let v = Voice {
        lang,
        visual_out: visual_output(lang, out_tty, mode),
        visual_err: visual_output(lang, err_tty, mode),
        shaping: d.is_some_and(|d| d.shaping),
    };
    crate::messages::set_errors_lang(lang);
    *VOICE.get_or_init(|| v)
}

/// Parse the command line with its help and usage errors in `lang` (see
/// [`crate::cli::command_in`]). Help and version are printed here (exit 0); a usage error is
/// printed on standard error (exit 2), in `lang` for the kinds the catalogue covers.
///
/// # Errors
/// The exit code when the program must stop here.
pub fn parse_in(lang: Lang, args: Vec<std::ffi::OsString>) -> Result<crate::cli::Cli, u8> {
    use clap::FromArgMatches as _;
    use clap::error::ErrorKind;
    let parsed = crate::cli::command_in(lang)
        .try_get_matches_from(args)
        .and_then(|m| crate::cli::Cli::from_arg_matches(&m));
    let e = match parsed {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    // The options were not read: the voice comes from the language alone.
    set_voice(&Common {
        lang: Some(match lang {
            Lang::En => crate::cli::LangArg::En,
            Lang::Ar => crate::cli::LangArg::Ar,
        }),
        banks: Vec::new(),
        only_given_banks: false,
        results: None,
        bidi: crate::cli::BidiArg::Auto,
        shaping: crate::cli::ShapingArg::Auto,
    });
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print_out(&e.render().to_string());
            Err(OK)
        }
        _ => {
            let text =
                crate::cli::usage_error_in(&e, lang).unwrap_or_else(|| e.render().to_string());
            print_err(&text);
            Err(USAGE)
        }
    }
}

/// The voice of this run (English, logical order until [`set_voice`] is called).
#[must_use]
pub fn voice() -> Voice {
    VOICE.get().copied().unwrap_or(Voice {
        lang: Lang::En,
        visual_out: false,
        visual_err: false,
        shaping: false,
    })
}

/// Whether lines are laid out right to left here: only Arabic, only on a terminal, only when
/// the terminal does not reorder itself. Piped or redirected output stays in logical order
/// (plain UTF-8), so that files and grep work.
#[must_use]
pub fn visual_output(lang: Lang, is_terminal: bool, mode: crate::tui::bidi::BidiMode) -> bool {
    lang == Lang::Ar && is_terminal && mode == crate::tui::bidi::BidiMode::Reorder
}

/// Lay out `text` for a terminal that does not reorder: each line reordered (and shaped) by
/// the screens' pipeline, wrapped and right-aligned to `width` cells.
#[must_use]
pub fn visual_text(text: &str, width: usize, shaping: bool) -> String {
    use crate::tui::bidi::{BidiMode, Dir, align, visual_lines};
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        // Lines without Arabic letters (file places, snippets, carets, tables of ids) stay
        // left to right as they are, so that a caret still points at its column.
        if body.trim().is_empty() || !body.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
            out.push_str(body);
        } else {
            let lines = visual_lines(body, Dir::Rtl, width, BidiMode::Reorder, shaping);
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

fn terminal_width() -> usize {
    crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w.max(20)))
}

/// A message in the language of this run.
#[must_use]
pub fn say(m: &Msg) -> String {
    m.render(voice().lang)
}

/// A catalogue entry without arguments in the language of this run.
#[must_use]
pub fn word(k: K) -> &'static str {
    crate::messages::template(voice().lang, k)
}

/// Write to standard error, laid out like standard output.
pub fn print_err(s: &str) {
    use std::io::Write as _;
    let v = voice();
    let text = if v.visual_err {
        visual_text(s, terminal_width(), v.shaping)
    } else {
        s.to_owned()
    };
    if crate::tui::loading::holding() {
        // The loading frame has the terminal: printed once it is given back.
        crate::tui::loading::print_error(&text);
        return;
    }
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Print an error for the user on standard error, escaped.
pub fn fail(msg: &str) {
    print_err(&format!("tipquiz: {}\n", escape_for_terminal(msg)));
}

/// Print a message from the catalogue as an error, in the language of this run.
pub fn fail_msg(m: &Msg) {
    fail(&say(m));
}

/// Print diagnostics on standard error in the language of this run.
fn eprint_diags(diags: &[&Diagnostic]) {
    let lang = voice().lang;
    let text: String = diags.iter().map(|d| d.render_in(lang)).collect();
    print_err(&text);
}

/// Read files and folders into sources, reporting unreadable content as diagnostics.
fn read_all(paths: &[PathBuf]) -> Result<(Vec<SourceFile>, Vec<Diagnostic>), bank::LoadError> {
    let mut sources = Vec::new();
    let mut diags = Vec::new();
    for p in bank::expand_paths(paths)? {
        match bank::read_source(&p)? {
            Ok(s) => sources.push(s),
            Err(d) => diags.push(d),
        }
    }
    Ok((sources, diags))
}

fn is_exam_source(s: &SourceFile) -> bool {
    bank::looks_like_exam(&s.text) || s.name.contains("/exams/") || s.name.starts_with("exams/")
}

/// Merge shipped banks and given banks: a given bank replaces a shipped one with the same id.
fn merge(shipped: Vec<Bank>, given: Vec<Bank>, only_given: bool) -> Vec<Bank> {
    let ids: HashSet<String> = given.iter().map(|b| b.id.clone()).collect();
    let mut out: Vec<Bank> = if only_given {
        Vec::new()
    } else {
        shipped
            .into_iter()
            .filter(|b| !ids.contains(&b.id))
            .collect()
    };
    out.extend(given);
    out
}

/// Load the library the common options ask for. Problems in given banks are returned; the
/// caller decides whether they stop it.
///
/// # Errors
/// When a given path cannot be read.
pub fn load_library(common: &Common) -> Result<(Library, Vec<Diagnostic>), bank::LoadError> {
    load_library_and_exams(common).map(|(lib, diags, _)| (lib, diags))
}

/// [`load_library`], and the exam files among the given paths (read once with the banks).
/// Banks go through the parsed-bank cache ([`bank::cache`]) unless `TIPQUIZ_NO_CACHE` is set.
fn load_library_and_exams(
    common: &Common,
) -> Result<(Library, Vec<Diagnostic>, Vec<SourceFile>), bank::LoadError> {
    let cache = crate::record::default_cache_dir();
    let cache = cache.as_deref();
    // The shipped banks are parsed while the given files are read and parsed.
    let ((shipped, mut diags), given) = rayon::join(
        || {
            if common.only_given_banks {
                (Vec::new(), Vec::new())
            } else {
                bank::parse_sources_cached(&bank::shipped_sources(), cache)
            }
        },
        || {
            let (sources, read_diags) = read_all(&common.banks)?;
            let (exam_sources, bank_sources): (Vec<SourceFile>, Vec<SourceFile>) =
                sources.into_iter().partition(is_exam_source);
            let parsed = bank::parse_sources_cached(&bank_sources, cache);
            Ok::<_, bank::LoadError>((read_diags, parsed, exam_sources))
        },
    );
    let (read_diags, (given, d), exam_sources) = given?;
    diags.extend(read_diags);
    diags.extend(d);
    let (lib, d) = Library::build(merge(shipped, given, common.only_given_banks));
    diags.extend(d);
    Ok((lib, diags, exam_sources))
}

/// The shipped exams, parsed.
#[must_use]
pub fn shipped_exams() -> Vec<ExamDef> {
    SHIPPED_EXAMS
        .iter()
        .filter_map(|(n, t)| exam::parse_exam(n, t).0)
        .collect()
}

/// `tipquiz check`.
#[must_use]
pub fn check(common: &Common, paths: &[PathBuf], format: Format, deny_warnings: bool) -> u8 {
    let (sources, mut diags) = if paths.is_empty() {
        let mut s = bank::shipped_sources();
        s.extend(SHIPPED_EXAMS.iter().map(|(n, t)| SourceFile {
            name: format!("shipped:questions/exams/{n}"),
            text: (*t).to_owned(),
        }));
        (s, Vec::new())
    } else {
        match read_all(paths) {
            Ok(x) => x,
            Err(e) => {
                fail_msg(&crate::messages::load_error(&e));
                return USAGE;
            }
        }
    };
    let files = sources.len() + diags.len();
    let (exam_sources, bank_sources): (Vec<SourceFile>, Vec<SourceFile>) =
        sources.into_iter().partition(is_exam_source);
    let (given, d) = bank::parse_sources(&bank_sources);
    diags.extend(d);
    let checked: HashSet<String> = bank_sources.iter().map(|s| s.name.clone()).collect();
    let shipped = if paths.is_empty() || common.only_given_banks {
        Vec::new()
    } else {
        bank::load_shipped().0
    };
    let (lib, d) = Library::build(merge(shipped, given, false));
    diags.extend(d.into_iter().filter(|d| checked.contains(&d.file)));
    for s in &exam_sources {
        let (e, d) = exam::parse_exam(&s.name, &s.text);
        diags.extend(d);
        if let Some(e) = e {
            diags.extend(exam::check_exam(&e, &lib, &s.name));
        }
    }
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    match format {
        Format::Json => {
            let lang = voice().lang;
            let diags: Vec<Diagnostic> = diags.iter().map(|d| d.localized(lang)).collect();
            let v = serde_json::json!({ "files": files, "errors": errors, "warnings": warnings, "diagnostics": diags });
            print_data(&format!(
                "{}\n",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            ));
        }
        Format::Text => {
            print_out(&crate::diag::render_all_in(&diags, voice().lang));
            let verdict = if errors == 0 {
                K::VerdictOk
            } else {
                K::VerdictProblems
            };
            print_out(&format!(
                "{}\n",
                say(&msg!(CheckSummary, files, errors, warnings, verdict))
            ));
        }
    }
    if errors > 0 || (deny_warnings && warnings > 0) {
        PROBLEMS
    } else {
        OK
    }
}

/// Per-bank counts for `list`.
#[derive(serde::Serialize)]
struct BankCounts {
    id: String,
    topic: String,
    origin: String,
    languages: Vec<String>,
    questions: usize,
    by_type: BTreeMap<String, usize>,
    by_difficulty: BTreeMap<String, usize>,
    in_every_language: usize,
}

fn counts(b: &Bank) -> BankCounts {
    let mut by_type = BTreeMap::new();
    let mut by_difficulty = BTreeMap::new();
    for q in &b.questions {
        *by_type.entry(q.kind.name().to_owned()).or_insert(0) += 1;
        *by_difficulty
            .entry(q.difficulty.name().to_owned())
            .or_insert(0) += 1;
    }
    let in_every_language = b
        .questions
        .iter()
        .filter(|q| {
            b.languages
                .iter()
                .all(|l| q.prompt.exact(l).is_some() || q.prompt.is_plain())
        })
        .count();
    BankCounts {
        id: b.id.clone(),
        topic: b.topic.clone(),
        origin: b.origin.clone(),
        languages: b.languages.clone(),
        questions: b.questions.len(),
        by_type,
        by_difficulty,
        in_every_language,
    }
}

/// `tipquiz list`.
#[must_use]
pub fn list(common: &Common, format: Format) -> u8 {
    let (lib, diags) = match load_library(common) {
        Ok(x) => x,
        Err(e) => {
            fail_msg(&crate::messages::load_error(&e));
            return USAGE;
        }
    };
    eprint_diags(&diags.iter().filter(|d| d.is_error()).collect::<Vec<_>>());
    let rows: Vec<BankCounts> = lib.banks.iter().map(counts).collect();
    if format == Format::Json {
        print_data(&format!(
            "{}\n",
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        ));
        return OK;
    }
    let types = Kind::NAMES;
    let mut header = format!(
        "{:<20} {:<18} {:>5} {:>6}",
        word(K::ColBank),
        word(K::ColTopic),
        word(K::ColLangs),
        word(K::ColTotal)
    );
    for t in types {
        header.push_str(&format!(" {t:>10}"));
    }
    header.push_str(&format!(
        " {:>5} {:>6} {:>5}",
        word(K::ColEasy),
        word(K::ColMedium),
        word(K::ColHard)
    ));
    let mut out = format!("{header}\n");
    let mut total = 0;
    for r in &rows {
        let mut line = format!(
            "{:<20} {:<18} {:>5} {:>6}",
            r.id,
            r.topic,
            r.languages.join(","),
            r.questions
        );
        for t in types {
            line.push_str(&format!(" {:>10}", r.by_type.get(t).copied().unwrap_or(0)));
        }
        for d in ["easy", "medium", "hard"] {
            let w = if d == "medium" { 6 } else { 5 };
            line.push_str(&format!(
                " {:>w$}",
                r.by_difficulty.get(d).copied().unwrap_or(0)
            ));
        }
        out.push_str(&line);
        out.push('\n');
        total += r.questions;
    }
    out.push_str(&format!("{}\n", say(&msg!(ListSummary, rows.len(), total))));
    print_out(&out);
    OK
}

/// Where results, autosaves and preferences go.
#[must_use]
pub fn places(common: &Common) -> crate::tui::run::Places {
    let data = crate::record::default_data_dir();
    crate::tui::run::Places {
        results: crate::record::Store::new(
            common
                .results
                .clone()
                .unwrap_or_else(|| data.join("results")),
        ),
        results_explicit: common.results.is_some(),
        autosaves: crate::record::Store::new(data.join("autosave")),
        pending: crate::record::Store::new(data.join("pending")),
        prefs: data.join("prefs.json"),
        program: format!("tipquiz {}", env!("CARGO_PKG_VERSION")),
    }
}

/// How to show right-to-left text on this terminal.
#[must_use]
pub fn display(common: &Common) -> crate::tui::ui::Display {
    display_with(common, &crate::tui::run::load_prefs(&places(common).prefs))
}

/// [`display`] with the preferences already read.
fn display_with(common: &Common, prefs: &crate::tui::app::Prefs) -> crate::tui::ui::Display {
    use crate::cli::{BidiArg, ShapingArg};
    use crate::tui::bidi::BidiMode;
    let mode = match common.bidi {
        BidiArg::Reorder => BidiMode::Reorder,
        BidiArg::Terminal => BidiMode::Terminal,
        // A saved choice wins. When the app reorders, the first `enter` probes the terminal
        // (DECRQM) for how to switch its own bidi off, saved choice or not: that is how the
        // saved choice was calibrated.
        BidiArg::Auto => match prefs.bidi.as_deref() {
            Some("terminal") => BidiMode::Terminal,
            Some("reorder") => {
                crate::tui::terminal::want_probe();
                BidiMode::Reorder
            }
            _ => {
                crate::tui::terminal::want_probe();
                crate::tui::terminal::detect_bidi(&|k| std::env::var(k).ok())
            }
        },
    };
    let shaping = match common.shaping {
        ShapingArg::On => true,
        ShapingArg::Off => false,
        ShapingArg::Auto => mode == BidiMode::Reorder,
    };
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    crate::tui::ui::Display {
        mode,
        shaping,
        theme: crate::tui::ui::Theme { color },
    }
}

/// The interface language: `--lang`, else the language this trainee used last (the trainee
/// named on the command line, or the last trainee on this computer), else English.
fn lang_of(
    common: &Common,
    prefs: &crate::tui::app::Prefs,
    trainee: Option<&str>,
) -> crate::text::Lang {
    use crate::cli::LangArg;
    match common.lang {
        Some(LangArg::En) => crate::text::Lang::En,
        Some(LangArg::Ar) => crate::text::Lang::Ar,
        None => prefs
            .langs
            .get(&crate::record::trainee_slug(
                trainee.unwrap_or(&prefs.trainee),
            ))
            .copied()
            .unwrap_or_default(),
    }
}

fn library_or_exit(common: &Common) -> Result<(Library, Vec<ExamDef>), u8> {
    let (lib, diags, exam_sources) = match load_library_and_exams(common) {
        Ok(x) => x,
        Err(e) => {
            fail_msg(&crate::messages::load_error(&e));
            return Err(USAGE);
        }
    };
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        eprint_diags(&errors);
        fail_msg(&K::BanksHaveErrors.into());
        return Err(PROBLEMS);
    }
    let mut exams = shipped_exams();
    for s in &exam_sources {
        if let (Some(e), _) = exam::parse_exam(&s.name, &s.text) {
            exams.retain(|x| x.id != e.id);
            exams.push(e);
        }
    }
    exams.retain(|e| exam::check_exam(e, &lib, "").is_empty());
    Ok((lib, exams))
}

/// The home screen.
#[must_use]
pub fn home(common: &Common) -> u8 {
    let start = Start::show(common, None);
    let (lib, exams) = match library_or_exit(common) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let _ = crate::tui::run::recover(&start.places, &lib, crate::tui::run::now_ms());
    let app = crate::tui::app::App::new(
        std::sync::Arc::new(lib),
        exams,
        &start.prefs,
        lang_of(common, &start.prefs, None),
        start.places.autosaves.clone(),
    );
    run_app(app, common, start)
}

/// What a TUI start reads once: where things go, the preferences and the display, and the
/// terminal, taken at once to show the loading frame before anything slow (see
/// [`crate::tui::run::Early`]).
struct Start {
    places: crate::tui::run::Places,
    prefs: crate::tui::app::Prefs,
    display: crate::tui::ui::Display,
    early: Option<crate::tui::run::Early>,
}

impl Start {
    fn show(common: &Common, trainee: Option<&str>) -> Start {
        let places = places(common);
        let prefs = crate::tui::run::load_prefs(&places.prefs);
        let display = display_with(common, &prefs);
        let early = crate::tui::run::Early::show(display, lang_of(common, &prefs, trainee));
        Start {
            places,
            prefs,
            display,
            early,
        }
    }
}

fn run_app(app: crate::tui::app::App, common: &Common, start: Start) -> u8 {
    let calibrate = app.lang == crate::text::Lang::Ar
        && common.bidi == crate::cli::BidiArg::Auto
        && start.prefs.bidi.is_none()
        && std::env::var_os("TIPQUIZ_NO_CALIBRATION").is_none();
    let places = &start.places;
    match crate::tui::run::run(app, places, start.display, calibrate, start.early) {
        Ok(code) => code,
        Err(e) => {
            if crate::tui::loading::holding() {
                crate::tui::loading::release_errors_after(crate::tui::terminal::leave);
            }
            fail_msg(&msg!(CannotUseTerminal, e.to_string()));
            USAGE
        }
    }
}

/// Questions a trainee got wrong (or only partly right, or left blank) in their latest answer
/// to each, from the records in `store`.
#[must_use]
pub fn mistakes(store: &crate::record::Store, trainee: &str) -> Vec<String> {
    use crate::quiz::Verdict;
    let key = crate::record::trainee_slug(trainee);
    let mut latest: BTreeMap<String, (i64, Verdict)> = BTreeMap::new();
    for (_, r) in store.load_cached(None).loaded.records {
        if crate::record::trainee_slug(&r.trainee) != key {
            continue;
        }
        for q in &r.questions {
            let at = q.answered_at.unwrap_or(r.ended_at);
            let e = latest.entry(q.qid.clone()).or_insert((at, q.verdict));
            if at >= e.0 {
                *e = (at, q.verdict);
            }
        }
    }
    latest
        .into_iter()
        .filter(|(_, (_, v))| *v != Verdict::Right)
        .map(|(q, _)| q)
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn take(
    common: &Common,
    exam_arg: Option<String>,
    topics: Vec<String>,
    count: usize,
    time: Option<String>,
    mode: crate::cli::ModeArg,
    trainee: Option<String>,
    review_mistakes: bool,
) -> u8 {
    let start = Start::show(common, trainee.as_deref());
    let (lib, exams) = match library_or_exit(common) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let places = &start.places;
    let _ = crate::tui::run::recover(places, &lib, crate::tui::run::now_ms());
    let exam = if let Some(e) = exam_arg {
        let path = PathBuf::from(&e);
        if path.is_file() {
            let text = match read_or_report(&path) {
                Ok(s) => s,
                Err(code) => return code,
            };
            let (def, mut diags) = exam::parse_exam(&text.name, &text.text);
            if let Some(d) = &def {
                diags.extend(exam::check_exam(d, &lib, &text.name));
            }
            if diags.iter().any(Diagnostic::is_error) || def.is_none() {
                print_err(&crate::diag::render_all_in(&diags, voice().lang));
                return PROBLEMS;
            }
            def.unwrap_or_else(|| ExamDef::quick(&[], 1, None, exam::Mode::Practice))
        } else if let Some(d) = exams.iter().find(|x| x.id == e) {
            d.clone()
        } else {
            let ids: Vec<&str> = exams.iter().map(|x| x.id.as_str()).collect();
            fail_msg(&msg!(NoSuchExam, e, ids.join(", ")));
            return USAGE;
        }
    } else {
        let known: Vec<String> = lib.topics().into_iter().map(|t| t.0).collect();
        if let Some(bad) = topics.iter().find(|t| !known.contains(t)) {
            fail_msg(&msg!(UnknownTopic, bad, known.join(", ")));
            return USAGE;
        }
        let secs = match time.as_deref().map(crate::walk::parse_duration) {
            None => None,
            Some(Some(s)) if s > 0 => Some(s),
            Some(_) => {
                fail_msg(&K::BadTime.into());
                return USAGE;
            }
        };
        let mode = match mode {
            crate::cli::ModeArg::Exam => exam::Mode::Exam,
            crate::cli::ModeArg::Practice => exam::Mode::Practice,
        };
        if count == 0 {
            fail_msg(&K::BadCount.into());
            return USAGE;
        }
        let mut def = ExamDef::quick(&topics, count, secs, mode);
        if review_mistakes {
            let Some(t) = trainee.as_deref() else {
                fail_msg(&K::ReviewNeedsTrainee.into());
                return USAGE;
            };
            let ids: Vec<String> = mistakes(&places.results, t)
                .into_iter()
                .filter(|q| lib.question(q).is_some())
                .collect();
            if ids.is_empty() {
                fail_msg(&K::NoMistakes.into());
                return PROBLEMS;
            }
            def.id = format!("review-{}", crate::record::trainee_slug(t));
            def.title = crate::text::Text::from_pairs([
                ("en", "Review of mistakes"),
                ("ar", "مراجعة الأخطاء"),
            ]);
            def.pools = vec![exam::Pool {
                topic: None,
                tags: Vec::new(),
                difficulty: Vec::new(),
                count: ids.len().min(count),
                questions: ids,
            }];
            def.mode = exam::Mode::Practice;
        }
        if let Err(e) = crate::quiz::check_pools(&def, &lib) {
            fail_msg(&crate::messages::draw_error(&e));
            return PROBLEMS;
        }
        def
    };
    let mut app = crate::tui::app::App::new(
        std::sync::Arc::new(lib),
        exams,
        &start.prefs,
        lang_of(common, &start.prefs, trainee.as_deref()),
        places.autosaves.clone(),
    );
    app.fixed_exam = Some(exam);
    app.quit_after = true;
    app.home.trainee_only = true;
    app.home.focus = crate::tui::app::Field::Trainee;
    if let Some(t) = trainee {
        app.home.trainee = t;
        let now = crate::tui::run::now_ms();
        let fx = app.start(now);
        crate::tui::run::execute(&mut app, places, &fx, now);
    }
    run_app(app, common, start)
}

/// The other commands.
#[must_use]
pub fn run(common: &Common, cmd: Command) -> u8 {
    match cmd {
        Command::Take {
            exam,
            topics,
            count,
            time,
            mode,
            trainee,
            review_mistakes,
        } => take(
            common,
            exam,
            topics,
            count,
            time,
            mode,
            trainee,
            review_mistakes,
        ),
        Command::Recover => recover_cmd(common),
        Command::Report {
            exam,
            attempts,
            format,
        } => report_cmd(common, exam.as_deref(), attempts, format),
        Command::Export {
            to: Some(to),
            bank,
            output,
            ..
        } => export_bank_cmd(common, to, bank.as_deref(), output.as_deref()),
        Command::Export {
            exam,
            responses,
            output,
            ..
        } => export_cmd(common, exam.as_deref(), responses, output.as_deref()),
        Command::Import {
            file,
            from,
            text_lang,
            id,
            output,
        } => import_cmd(&file, from, &text_lang, id.as_deref(), output.as_deref()),
        Command::New {
            path,
            exam,
            langs,
            topic,
        } => new_cmd(&path, exam, &langs, topic.as_deref()),
        Command::Preview {
            bank,
            question,
            watch,
        } => preview_cmd(common, &bank, question.as_deref(), watch),
        Command::History { trainee } => history_cmd(common, &trainee),
        Command::Board { exam } => board_cmd(common, exam),
        Command::Check {
            paths,
            format,
            deny_warnings,
        } => check(common, &paths, format, deny_warnings),
        Command::List { format } => list(common, format),
        Command::Serve {
            exams,
            port,
            listen,
            code,
            max_sessions,
            idle_timeout,
            dir,
        } => serve_cmd(
            common,
            &exams,
            std::net::SocketAddr::new(listen, port),
            code,
            max_sessions,
            &idle_timeout,
            dir,
        ),
    }
}

#[allow(clippy::too_many_arguments)]
fn serve_cmd(
    common: &Common,
    exam_args: &[String],
    listen: std::net::SocketAddr,
    code: Option<String>,
    max_sessions: usize,
    idle_timeout: &str,
    dir: Option<PathBuf>,
) -> u8 {
    let (lib, loaded) = match library_or_exit(common) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let mut exams = Vec::new();
    for e in exam_args {
        match exam_by_file_or_id(e, &loaded, &lib) {
            Ok(d) => exams.push(d),
            Err(code) => return code,
        }
    }
    if exams.is_empty() {
        exams = loaded;
    }
    let Some(idle) = crate::walk::parse_duration(idle_timeout).filter(|s| *s > 0) else {
        fail_msg(&K::BadTime.into());
        return USAGE;
    };
    let data = crate::record::default_data_dir();
    let opts = crate::serve::Options {
        listen,
        code,
        max_sessions: max_sessions.max(1),
        idle: std::time::Duration::from_secs(u64::from(idle)),
        dir: dir.unwrap_or_else(|| data.join("serve")),
        results: common
            .results
            .clone()
            .unwrap_or_else(|| data.join("results")),
    };
    let started = crate::serve::prepare(&opts, std::sync::Arc::new(lib), exams)
        .and_then(|(ctx, notes)| crate::serve::run(ctx, &opts, &notes));
    match started {
        Ok(()) => OK,
        Err(e) => {
            fail(&e.to_string());
            USAGE
        }
    }
}

/// An exam given on the command line: a file (read and checked against the banks), or the id
/// of a loaded exam.
fn exam_by_file_or_id(e: &str, exams: &[ExamDef], lib: &Library) -> Result<ExamDef, u8> {
    let path = PathBuf::from(e);
    if path.is_file() {
        let text = read_or_report(&path)?;
        let (def, mut diags) = exam::parse_exam(&text.name, &text.text);
        if let Some(d) = &def {
            diags.extend(exam::check_exam(d, lib, &text.name));
        }
        return match def {
            Some(d) if !diags.iter().any(Diagnostic::is_error) => Ok(d),
            _ => {
                print_err(&crate::diag::render_all_in(&diags, voice().lang));
                Err(PROBLEMS)
            }
        };
    }
    if let Some(d) = exams.iter().find(|x| x.id == e) {
        return Ok(d.clone());
    }
    let ids: Vec<&str> = exams.iter().map(|x| x.id.as_str()).collect();
    fail_msg(&msg!(NoSuchExam, e, ids.join(", ")));
    Err(USAGE)
}

fn recover_cmd(common: &Common) -> u8 {
    let (lib, _) = match library_or_exit(common) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let places = places(common);
    let (ok, failed) = crate::tui::run::recover(&places, &lib, crate::tui::run::now_ms());
    let mut out = String::new();
    for p in &ok {
        out.push_str(&format!(
            "{}\n",
            say(&msg!(RecoverSaved, escape_for_terminal(p)))
        ));
    }
    for f in &failed {
        out.push_str(&format!(
            "{}\n",
            say(&msg!(RecoverNotSaved, escape_for_terminal(f)))
        ));
    }
    out.push_str(&format!(
        "{}\n",
        say(&msg!(RecoverSummary, ok.len(), failed.len()))
    ));
    print_out(&out);
    if failed.is_empty() { OK } else { PROBLEMS }
}

/// Write to standard output; a closed pipe (`| head`) ends the output quietly. Arabic on a
/// terminal in `reorder` mode is laid out right to left here (see [`visual_output`]).
pub fn print_out(s: &str) {
    use std::io::Write as _;
    let v = voice();
    if v.visual_out {
        let text = visual_text(s, terminal_width(), v.shaping);
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    } else {
        let _ = std::io::stdout().lock().write_all(s.as_bytes());
    }
}

/// Write machine output (CSV, JSON, TOML, GIFT, XML) to standard output, always as it is.
fn print_data(s: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
}

/// The instructor key for signing and checking records: the contents of the file named by
/// `TIPQUIZ_KEY_FILE`, if set and readable.
#[must_use]
pub fn instructor_key() -> Option<Vec<u8>> {
    let path = std::env::var_os("TIPQUIZ_KEY_FILE")?;
    std::fs::read(path).ok().filter(|k| !k.is_empty())
}

fn lib_quiet(common: &Common) -> Result<Library, u8> {
    match load_library(common) {
        Ok((lib, _)) => Ok(lib),
        Err(e) => {
            fail_msg(&crate::messages::load_error(&e));
            Err(USAGE)
        }
    }
}

/// Records of the results folder that pass the integrity checks, and the files flagged.
fn screened(
    common: &Common,
    lib: &Library,
) -> (
    Vec<crate::record::AttemptRecord>,
    Vec<crate::record::BadRecord>,
) {
    // Unchanged record files come from the results index in the cache folder, when there is one.
    let crate::record::Indexed { loaded, known, .. } =
        places(common).results.load_cached(Some(lib));
    let key = instructor_key();
    let (good, mut flagged) =
        crate::report::integrity::screen_known(loaded.records, &known, lib, key.as_deref());
    let mut bad = loaded.bad;
    bad.append(&mut flagged);
    (good, bad)
}

fn report_cmd(
    common: &Common,
    exam: Option<&str>,
    which: crate::cli::Which,
    format: crate::cli::ReportFormat,
) -> u8 {
    let lib = match lib_quiet(common) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let (records, bad) = screened(common, &lib);
    let which = match which {
        crate::cli::Which::First => crate::report::Which::First,
        crate::cli::Which::Best => crate::report::Which::Best,
        crate::cli::Which::Last => crate::report::Which::Last,
    };
    let report = crate::report::build(&records, &bad, &lib, exam, which);
    match format {
        crate::cli::ReportFormat::Table => {
            print_out(&crate::report::render_table_in(&report, voice().lang));
        }
        crate::cli::ReportFormat::Csv => print_data(&crate::report::to_csv(&report)),
        crate::cli::ReportFormat::Json => print_data(&crate::report::to_json(&report)),
    }
    if report.exam_id.is_none() {
        fail_msg(&msg!(
            NoRecordsIn,
            places(common).results.dir.display().to_string()
        ));
        return PROBLEMS;
    }
    OK
}

fn export_cmd(
    common: &Common,
    exam: Option<&str>,
    responses: bool,
    output: Option<&std::path::Path>,
) -> u8 {
    let lib = match lib_quiet(common) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let (mut records, bad) = screened(common, &lib);
    if let Some(e) = exam {
        records.retain(|r| r.exam_id == e);
    }
    records.sort_by(|a, b| (a.started_at, &a.attempt_id).cmp(&(b.started_at, &b.attempt_id)));
    for b in &bad {
        fail_msg(&msg!(Skipped, b.file.as_str(), &b.reason));
    }
    let text = if responses {
        crate::report::export_responses_csv(&records)
    } else {
        crate::report::export_attempts_csv(&records)
    };
    match output {
        None => print_data(&text),
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            if let Err(e) = crate::record::write_atomic(dir, path, text.as_bytes(), true) {
                fail_msg(&e.message());
                return USAGE;
            }
            print_err(&format!(
                "{}\n",
                escape_for_terminal(&say(&msg!(
                    WroteRows,
                    text.lines().count().saturating_sub(1),
                    path.display().to_string()
                )))
            ));
        }
    }
    OK
}

/// A sparkline of percentages (0-100).
#[must_use]
pub fn sparkline(values: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let i = ((v.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize;
            BARS[i.min(7)]
        })
        .collect()
}

fn history_cmd(common: &Common, trainee: &str) -> u8 {
    let loaded = places(common).results.load_cached(None).loaded;
    let key = crate::record::trainee_slug(trainee);
    let mut mine: Vec<crate::record::AttemptRecord> = loaded
        .records
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| crate::record::trainee_slug(&r.trainee) == key)
        .collect();
    mine.sort_by_key(|r| r.started_at);
    if mine.is_empty() {
        fail_msg(&msg!(
            NoAttemptsBy,
            trainee,
            places(common).results.dir.display().to_string()
        ));
        return PROBLEMS;
    }
    let mut out = format!(
        "{}\n\n{:<20} {:<28} {:>9} {:>7} {:>8}\n",
        say(&msg!(AttemptsOf, escape_for_terminal(trainee))),
        word(K::ColDateUtc),
        word(K::ColExam),
        word(K::ColScore),
        "%",
        word(K::ColResult)
    );
    for r in &mine {
        let date: String = crate::report::rfc3339_utc(r.started_at)
            .chars()
            .take(16)
            .collect::<String>()
            .replace('T', " ");
        out.push_str(&format!(
            "{:<20} {:<28} {:>9} {:>6.0}% {:>8}\n",
            date,
            escape_for_terminal(&r.exam_id),
            format!("{:.1}/{:.0}", r.score, r.max),
            r.percent,
            word(if r.passed { K::Passed } else { K::NotYet })
        ));
    }
    let pct: Vec<f64> = mine.iter().map(|r| r.percent).collect();
    let first = pct.first().copied().unwrap_or(0.0);
    let last = pct.last().copied().unwrap_or(0.0);
    out.push_str(&format!(
        "\n{}\n",
        say(&msg!(
            Trend,
            sparkline(&pct),
            format!("{first:.0}"),
            format!("{last:.0}")
        ))
    ));
    let wrong = mistakes(&places(common).results, trainee);
    out.push_str(&format!(
        "{}\n",
        say(&msg!(ToReview, wrong.len(), escape_for_terminal(trainee)))
    ));
    print_out(&out);
    OK
}

fn board_cmd(common: &Common, exam: Option<String>) -> u8 {
    let places = places(common);
    let lang = match common.lang {
        Some(crate::cli::LangArg::Ar) => crate::text::Lang::Ar,
        _ => crate::text::Lang::En,
    };
    match crate::tui::board::run(&places.results.dir, exam, lang, display(common)) {
        Ok(()) => OK,
        Err(e) => {
            fail_msg(&msg!(CannotUseTerminal, e.to_string()));
            USAGE
        }
    }
}

fn write_new_file(path: &std::path::Path, text: &str) -> Result<(), Msg> {
    use std::io::Write as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| msg!(CannotCreate, path.display().to_string(), e.to_string()))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| msg!(CannotWrite, path.display().to_string(), e.to_string()))
}

fn import_cmd(
    file: &std::path::Path,
    from: Option<crate::cli::ImportFrom>,
    lang: &str,
    id: Option<&str>,
    output: Option<&std::path::Path>,
) -> u8 {
    use crate::import::{Format, import};
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            fail_msg(&msg!(CannotRead, file.display().to_string(), e.to_string()));
            return USAGE;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let format = match from {
        Some(crate::cli::ImportFrom::Gift) => Format::Gift,
        Some(crate::cli::ImportFrom::Aiken) => Format::Aiken,
        Some(crate::cli::ImportFrom::MoodleXml) => Format::MoodleXml,
        Some(crate::cli::ImportFrom::Csv) => Format::Csv,
        None => Format::guess(file.extension().and_then(|e| e.to_str()), &text),
    };
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bank_id = id.map_or_else(|| crate::walk::suggest_id(&stem), str::to_owned);
    let out = import(&text, format, lang, &bank_id);
    let mut notes = String::new();
    for s in &out.skipped {
        notes.push_str(&format!(
            "{}:{}: {}\n",
            escape_for_terminal(&file.display().to_string()),
            s.line,
            escape_for_terminal(&say(&s.message))
        ));
    }
    notes.push_str(&say(&msg!(Converted, out.questions, out.skipped.len())));
    notes.push('\n');
    print_err(&notes);
    if out.questions == 0 {
        fail_msg(&K::NothingConverted.into());
        return PROBLEMS;
    }
    match output {
        None => print_data(&out.toml),
        Some(p) => {
            if let Err(e) = write_new_file(p, &out.toml) {
                fail_msg(&e);
                return USAGE;
            }
            print_err(&format!(
                "{}\n",
                escape_for_terminal(&say(&msg!(WroteCheckIt, p.display().to_string())))
            ));
        }
    }
    OK
}

fn export_bank_cmd(
    common: &Common,
    to: crate::cli::ExportTo,
    bank: Option<&std::path::Path>,
    output: Option<&std::path::Path>,
) -> u8 {
    use crate::import::{ExportFormat, export};
    let Some(path) = bank else {
        fail_msg(&K::ToNeedsBank.into());
        return USAGE;
    };
    let src = match read_or_report(path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let cache = crate::record::default_cache_dir();
    let (b, diags) = bank::cache::parse_bank_cached(&src.name, &src.text, cache.as_deref());
    let Some(b) = b else {
        print_err(&crate::diag::render_all_in(&diags, voice().lang));
        return PROBLEMS;
    };
    let lang = match common.lang {
        Some(crate::cli::LangArg::Ar) => crate::text::Lang::Ar,
        _ => crate::text::Lang::En,
    };
    let fmt = match to {
        crate::cli::ExportTo::Gift => ExportFormat::Gift,
        crate::cli::ExportTo::MoodleXml => ExportFormat::MoodleXml,
    };
    let out = export(&b, fmt, lang);
    let skipped: String = out
        .messages
        .iter()
        .map(|s| format!("{}\n", escape_for_terminal(&say(&msg!(NotExported, s)))))
        .collect();
    print_err(&skipped);
    match output {
        None => print_data(&out.text),
        Some(p) => {
            if let Err(e) = write_new_file(p, &out.text) {
                fail_msg(&e);
                return USAGE;
            }
        }
    }
    OK
}

fn new_cmd(path: &std::path::Path, exam: bool, langs: &[String], topic: Option<&str>) -> u8 {
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
        fail_msg(&e);
        return USAGE;
    }
    print_err(&format!(
        "{}\n",
        escape_for_terminal(&say(&msg!(WroteNew, path.display().to_string())))
    ));
    OK
}

fn preview_cmd(common: &Common, bank: &std::path::Path, question: Option<&str>, watch: bool) -> u8 {
    let lang = match common.lang {
        Some(crate::cli::LangArg::Ar) => crate::text::Lang::Ar,
        _ => crate::text::Lang::En,
    };
    match crate::tui::preview::run(bank, question, watch, lang, display(common)) {
        Ok(code) => code,
        Err(e) => {
            fail_msg(&msg!(CannotUseTerminal, e.to_string()));
            USAGE
        }
    }
}

/// Read a bank or exam file; on failure print why and return the exit code.
fn read_or_report(path: &std::path::Path) -> Result<SourceFile, u8> {
    match bank::read_source(path) {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(d)) => {
            eprint_diags(&[&d]);
            Err(PROBLEMS)
        }
        Err(e) => {
            fail_msg(&crate::messages::load_error(&e));
            Err(USAGE)
        }
    }
}

#[cfg(test)]
mod voice_tests {
    use super::*;
    use crate::tui::bidi::{BidiMode, Dir, align, visual_lines};

    fn is_form(c: char) -> bool {
        ('\u{FB50}'..='\u{FDFF}').contains(&c) || ('\u{FE70}'..='\u{FEFE}').contains(&c)
    }

    #[test]
    fn only_arabic_on_a_reordering_terminal_is_laid_out_here() {
        for lang in [Lang::En, Lang::Ar] {
            for tty in [false, true] {
                for mode in [BidiMode::Reorder, BidiMode::Terminal] {
                    let want = lang == Lang::Ar && tty && mode == BidiMode::Reorder;
                    assert_eq!(
                        visual_output(lang, tty, mode),
                        want,
                        "{lang:?} {tty} {mode:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_terminal_path_uses_the_bidi_pipeline_and_right_aligns() {
        let m = crate::msg!(NoAttemptsBy, "Salem", "/tmp/results");
        let logical = format!("tipquiz: {}\n\n", m.render(Lang::Ar));
        let shown = visual_text(&logical, 60, true);
        let first = logical.lines().next().unwrap_or_default();
        let want: Vec<String> = visual_lines(first, Dir::Rtl, 60, BidiMode::Reorder, true)
            .iter()
            .map(|l| align(l, Dir::Rtl, 60))
            .collect();
        assert_eq!(shown, format!("{}\n\n", want.join("\n")));
        assert!(shown.chars().any(is_form), "not shaped: {shown}");
        assert!(!logical.chars().any(is_form));
        for l in shown.lines().filter(|l| !l.is_empty()) {
            assert_eq!(
                crate::tui::bidi::cell_width(l),
                60,
                "not right-aligned: {l:?}"
            );
        }
        // Unshaped, the letters stay in their plain code points, still reordered.
        let plain = visual_text(&logical, 60, false);
        assert!(!plain.chars().any(is_form) && plain != logical);
        // A line without Arabic (a file place, a caret) is left as it is.
        assert_eq!(
            visual_text("  --> a.toml:7:1\n  | ^\n", 60, true),
            "  --> a.toml:7:1\n  | ^\n"
        );
    }

    #[test]
    fn escaped_text_stays_escaped_on_the_terminal_path() {
        let m = crate::msg!(AttemptsOf, escape_for_terminal("x\u{202E}\u{1b}[2J"));
        let shown = visual_text(&m.render(Lang::Ar), 60, true);
        assert!(
            !shown.chars().any(crate::diag::is_dangerous_char),
            "{shown:?}"
        );
        assert!(shown.contains("202e") && shown.contains("1b"), "{shown}");
    }

    #[test]
    fn without_set_voice_the_voice_is_english_and_logical() {
        let v = voice();
        assert!(!v.visual_out && !v.visual_err);
    }
}
