//! The direction of dependencies between the source files: no import cycle between files, and
//! nothing in the core reaches up into the fronts or the commands. Read from the sources
//! themselves (`use crate::...`, `use super::...` and `crate::a::b` paths), so that a new cycle
//! fails here, in `cargo test`, rather than in review.

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file as a module path: `src/bank/cache.rs` is `["bank", "cache"]`,
/// `src/bank/mod.rs` is `["bank"]`.
type ModPath = Vec<String>;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn module_of(src: &Path, file: &Path) -> ModPath {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The longest known module that `path` starts with.
fn resolve(known: &BTreeSet<ModPath>, path: &[String]) -> Option<ModPath> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| known.contains(p))
}

/// `a::{b, c::{d, e}}` as the paths it names.
fn expand(prefix: &[String], s: &str) -> Vec<Vec<String>> {
    let Some(open) = s.find('{') else {
        let mut p = prefix.to_vec();
        p.extend(s.split("::").filter(|x| !x.is_empty()).map(str::to_owned));
        return vec![p];
    };
    let mut head = prefix.to_vec();
    head.extend(
        s[..open]
            .split("::")
            .filter(|x| !x.is_empty())
            .map(str::to_owned),
    );
    let inner = &s[open + 1..s.rfind('}').unwrap_or(s.len())];
    let (mut parts, mut depth, mut cur) = (Vec::new(), 0i32, String::new());
    for ch in inner.chars() {
        match ch {
            ',' if depth == 0 => parts.push(std::mem::take(&mut cur)),
            '{' => {
                depth += 1;
                cur.push(ch);
            }
            '}' => {
                depth -= 1;
                cur.push(ch);
            }
            _ => cur.push(ch),
        }
    }
    parts.push(cur);
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(&head, p))
        .collect()
}

/// Every file's imports of other files of the crate, test modules left out.
fn edges(src: &Path) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let mut files = Vec::new();
    sources(src, &mut files);
    let known: BTreeSet<ModPath> = files.iter().map(|f| module_of(src, f)).collect();
    let use_re = Regex::new(r"use\s+(crate|super)::([^;]+);").unwrap();
    let path_re = Regex::new(r"\b(crate|super)::((?:\w+::)*\w+)").unwrap();
    let test_re = Regex::new(r"(?s)#\[cfg\(test\)\]\s*mod \w+\s*\{.*").unwrap();
    let mut out = BTreeMap::new();
    for f in &files {
        let m = module_of(src, f);
        let text = std::fs::read_to_string(f).unwrap();
        let text = test_re.replace(&text, "");
        let base = |kw: &str| -> Vec<String> {
            if kw == "crate" {
                Vec::new()
            } else {
                m[..m.len().saturating_sub(1)].to_vec()
            }
        };
        let mut to = BTreeSet::new();
        for c in use_re.captures_iter(&text) {
            let body: String = c[2].split_whitespace().collect();
            for p in expand(&base(&c[1]), &body) {
                let p: Vec<String> = p.into_iter().filter(|x| x != "self").collect();
                if let Some(t) = resolve(&known, &p) {
                    to.insert(t);
                }
            }
        }
        for c in path_re.captures_iter(&text) {
            let mut p = base(&c[1]);
            p.extend(c[2].split("::").map(str::to_owned));
            if let Some(t) = resolve(&known, &p) {
                to.insert(t);
            }
        }
        to.remove(&m);
        out.insert(m, to);
    }
    out
}

/// Groups of files that import each other in a circle (Tarjan's strongly connected components).
fn cycles(g: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<ModPath>> {
    struct T<'a> {
        g: &'a BTreeMap<ModPath, BTreeSet<ModPath>>,
        index: BTreeMap<&'a ModPath, usize>,
        low: BTreeMap<&'a ModPath, usize>,
        stack: Vec<&'a ModPath>,
        on: BTreeSet<&'a ModPath>,
        out: Vec<Vec<ModPath>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a ModPath) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.get(v).into_iter().flatten() {
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_source_file_imports_itself_through_others() {
    let found = cycles(&edges(&src()));
    let shown: Vec<String> = found
        .iter()
        .map(|c| {
            c.iter()
                .map(|m| m.join("/"))
                .collect::<Vec<_>>()
                .join(" -> ")
        })
        .collect();
    assert!(shown.is_empty(), "import cycles: {shown:#?}");
}

#[test]
fn the_core_never_reaches_up_into_the_fronts_or_the_commands() {
    // The fronts and the layers that start them; everything else is the core.
    let above = ["tui", "cmd", "serve", "cli", "main"];
    let g = edges(&src());
    let mut wrong = Vec::new();
    for (from, to) in &g {
        let Some(top) = from.first() else { continue };
        if above.contains(&top.as_str()) {
            continue;
        }
        for t in to {
            if t.first().is_some_and(|x| above.contains(&x.as_str())) {
                wrong.push(format!("{} -> {}", from.join("/"), t.join("/")));
            }
        }
    }
    assert!(wrong.is_empty(), "the core imports a front: {wrong:#?}");
    // The screens never call the command layer (it starts them, not the other way round).
    let up: Vec<String> = g
        .iter()
        .filter(|(f, _)| f.first().is_some_and(|x| x == "tui"))
        .flat_map(|(f, to)| {
            to.iter()
                .filter(|t| t.first().is_some_and(|x| x == "cmd"))
                .map(move |t| format!("{} -> {}", f.join("/"), t.join("/")))
        })
        .collect();
    assert!(up.is_empty(), "the screens call the commands: {up:#?}");
    // The message catalogue sits below the core types: it names none of them.
    let msgs: Vec<String> = g
        .iter()
        .filter(|(f, _)| f.first().is_some_and(|x| x == "messages"))
        .flat_map(|(f, to)| {
            to.iter()
                .filter(|t| {
                    t.first().is_some_and(|x| {
                        ["bank", "exam", "quiz", "record", "report", "import"].contains(&x.as_str())
                    })
                })
                .map(move |t| format!("{} -> {}", f.join("/"), t.join("/")))
        })
        .collect();
    assert!(
        msgs.is_empty(),
        "the catalogue imports core types: {msgs:#?}"
    );
}

#[test]
fn only_the_keymap_names_key_codes() {
    // Keys become actions in one place: the screens, the console, the viewers and the class
    // server's input decoder take actions (or events handed to the keymap), never key codes.
    let root = src();
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(
        files.len() > 20,
        "the source walk found {} files",
        files.len()
    );
    let keymap = root.join("tui").join("keymap.rs");
    let mut wrong = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let n = text.matches("KeyCode").count();
        if *f == keymap {
            assert!(n > 0, "the keymap names no key code: is it still at {f:?}?");
        } else if n > 0 {
            wrong.push(format!("{}: {n}", f.strip_prefix(&root).unwrap().display()));
        }
    }
    assert!(wrong.is_empty(), "key codes outside the keymap: {wrong:#?}");
}

#[test]
fn the_checker_sees_a_cycle_and_an_upward_import_when_there_is_one() {
    // The check itself, on a made-up crate: a -> b -> a is a cycle, c alone is not.
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path();
    std::fs::create_dir_all(s.join("bank")).unwrap();
    std::fs::write(s.join("lib.rs"), "pub mod bank;\npub mod tui;\n").unwrap();
    std::fs::write(
        s.join("bank/mod.rs"),
        "mod a;\nmod b;\nuse crate::tui::Screen;\n",
    )
    .unwrap();
    std::fs::write(s.join("bank/a.rs"), "use super::b::{X, Y};\n").unwrap();
    std::fs::write(s.join("bank/b.rs"), "fn f() { crate::bank::a::g() }\n").unwrap();
    std::fs::write(s.join("tui.rs"), "pub struct Screen;\n").unwrap();
    let g = edges(s);
    let c = cycles(&g);
    assert_eq!(c.len(), 1, "{c:?}");
    let names: BTreeSet<String> = c[0].iter().map(|m| m.join("/")).collect();
    assert_eq!(
        names,
        ["bank/a", "bank/b"]
            .map(str::to_owned)
            .into_iter()
            .collect()
    );
    assert!(g[&vec!["bank".to_owned()]].contains(&vec!["tui".to_owned()]));
}

/// Every non-test source file with its module path and its text, comments and test modules
/// left out.
fn core_and_front_sources() -> Vec<(ModPath, String)> {
    let src = src();
    let mut files = Vec::new();
    sources(&src, &mut files);
    let test_re = Regex::new(r"(?s)#\[cfg\(test\)\]\s*mod \w+\s*\{.*").unwrap();
    let comment_re = Regex::new(r"(?m)^\s*//.*$").unwrap();
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let text = test_re.replace(&text, "");
            (
                module_of(&src, f),
                comment_re.replace_all(&text, "").into_owned(),
            )
        })
        .collect()
}

/// Whether a module is a front or the layer that starts one (they may read the environment and
/// the clock); everything else is the core.
fn is_front(m: &ModPath) -> bool {
    m.first()
        .is_none_or(|x| ["tui", "cmd", "serve", "cli", "main", "lib"].contains(&x.as_str()))
}

/// What the core must not do: read the environment (the fronts read it once and pass paths,
/// flags and the language in) or the clock (time is passed in as `now`).
fn environment_and_clock_reads(files: &[(ModPath, String)]) -> Vec<String> {
    let re = Regex::new(
        r"\benv::(var|var_os|vars|vars_os|args|args_os|temp_dir|current_dir|home_dir)\b|\b(SystemTime|Instant)::now\b|\bProjectDirs\b",
    )
    .unwrap();
    let mut found = Vec::new();
    for (m, text) in files {
        if is_front(m) {
            continue;
        }
        for c in re.find_iter(text) {
            found.push(format!("{}: {}", m.join("/"), c.as_str()));
        }
    }
    found
}

#[test]
fn the_core_reads_neither_the_environment_nor_the_clock() {
    let found = environment_and_clock_reads(&core_and_front_sources());
    assert!(
        found.is_empty(),
        "the core reads the environment or the clock: {found:#?}"
    );
    // The check sees a read when there is one.
    let made = vec![
        (
            vec!["record".to_owned()],
            "let d = std::env::var_os(\"X\");".to_owned(),
        ),
        (
            vec!["quiz".to_owned()],
            "let t = Instant::now();".to_owned(),
        ),
        (
            vec!["cmd".to_owned()],
            "let d = std::env::var(\"X\");".to_owned(),
        ),
    ];
    assert_eq!(
        environment_and_clock_reads(&made),
        ["record: env::var_os", "quiz: Instant::now"]
    );
}

/// Process-wide mutable state: `static` items of a type that can change (locks, atomics,
/// cells, once-set values, `static mut`) and thread-locals, as `file: NAME`.
fn mutable_globals(files: &[(ModPath, String)]) -> Vec<String> {
    let stat = Regex::new(
        r"(?m)^\s*(?:pub(?:\([a-z]+\))?\s+)?static\s+(mut\s+)?([A-Z_][A-Z0-9_]*)\s*:\s*([^=]+)=",
    )
    .unwrap();
    let mutable = Regex::new(r"Mutex|RwLock|Atomic|Cell|OnceLock|OnceCell").unwrap();
    let tl = Regex::new(r"(?s)thread_local!\s*\{(.*?)\n\}").unwrap();
    let tl_name = Regex::new(r"static\s+([A-Z_][A-Z0-9_]*)").unwrap();
    let mut found = Vec::new();
    for (m, text) in files {
        let file = if m.is_empty() {
            "lib".to_owned()
        } else {
            m.join("/")
        };
        for c in stat.captures_iter(&tl.replace_all(text, "")) {
            if c.get(1).is_some() || mutable.is_match(&c[3]) {
                found.push(format!("{file}: {}", &c[2]));
            }
        }
        for block in tl.captures_iter(text) {
            for c in tl_name.captures_iter(&block[1]) {
                found.push(format!("{file}: {}", &c[1]));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn no_process_wide_mutable_state_outside_the_terminal_adapter() {
    // The terminal adapter owns what only a real terminal has (raw mode, the panic and signal
    // hooks, the errors held while the loading frame has the screen); each other entry is
    // here with its reason, and nothing else may appear.
    let allowed = [
        // A memo of laid-out lines keyed by everything that decides them (text, styles,
        // direction, width, mode, shaping): a hit returns what the miss would compute.
        "tui/ui: LINE_CACHE",
        // Records laid-out lines only inside `record_lines`, for the bidi comparison tests;
        // what is drawn is the same whether it records or not.
        "tui/bidi: RECORDER",
        // The file-system fault seam of the tests: stays `None` unless a test sets it on
        // its own thread.
        "fs: FAULT",
        // The first write to standard output that failed: standard output is itself one per
        // process, and the exit code must say that what was printed is incomplete (a full
        // disk), after the command that printed it has returned.
        "cmd/stdout: STDOUT_FAILED",
        // Which allocator makes new blocks (the binary's global allocator, itself one per
        // process): set once after the command line is parsed, before any thread starts, and
        // never unset.
        "lib: MIMALLOC",
    ];
    let found: Vec<String> = mutable_globals(&core_and_front_sources())
        .into_iter()
        .filter(|g| !g.starts_with("tui/terminal: ") && !allowed.contains(&g.as_str()))
        .collect();
    assert!(found.is_empty(), "process-wide mutable state: {found:#?}");
    // The check sees one when there is one.
    let made = vec![(
        vec!["cmd".to_owned(), "output".to_owned()],
        "static VOICE: OnceLock<Voice> = OnceLock::new();\nstatic NAMES: &[&str] = &[];\nthread_local! {\n    static SEEN: Cell<u8> = Cell::new(0);\n}\n"
            .to_owned(),
    )];
    assert_eq!(
        mutable_globals(&made),
        ["cmd/output: SEEN", "cmd/output: VOICE"]
    );
}

/// The source files (relative to `src/`) that the figures of a record depend on: everything
/// reached through imports from scoring (`quiz/score`) and re-scoring (`record`), a module
/// taken with the files below it (re-exports hide which one is used). Left out: the words
/// (`messages`, `diag`), which never change a number.
fn scoring_sources() -> BTreeSet<String> {
    let g = edges(&src());
    let words = ["messages", "diag"];
    let mut seen: BTreeSet<ModPath> = BTreeSet::new();
    let mut todo: Vec<ModPath> = vec![
        vec!["quiz".to_owned(), "score".to_owned()],
        vec!["record".to_owned()],
    ];
    while let Some(m) = todo.pop() {
        if words.contains(&m[0].as_str()) || !seen.insert(m.clone()) {
            continue;
        }
        todo.extend(g.get(&m).into_iter().flatten().cloned());
        todo.extend(
            g.keys()
                .filter(|k| k.len() > m.len() && k.starts_with(&m))
                .cloned(),
        );
    }
    seen.iter()
        .map(|m| {
            let dir = src().join(m.join("/"));
            if dir.join("mod.rs").is_file() {
                format!("{}/mod.rs", m.join("/"))
            } else {
                format!("{}.rs", m.join("/"))
            }
        })
        .collect()
}

#[test]
fn the_results_index_fingerprint_covers_everything_scoring_depends_on() {
    // A cached re-scored total must not outlive a change to the code that computes it: the
    // index's build fingerprint is made of these files' text.
    let listed: BTreeSet<&str> = tipquiz::record::FINGERPRINTED.iter().copied().collect();
    let missing: Vec<String> = scoring_sources()
        .into_iter()
        .filter(|f| !listed.contains(f.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "scoring depends on files the fingerprint leaves out: {missing:#?}"
    );
    for f in [
        "quiz/normalize.rs",
        "quiz/response.rs",
        "quiz/score.rs",
        "../Cargo.lock",
    ] {
        assert!(listed.contains(f), "{f}");
    }
}

/// One command group per file under `src/cmd/`, each small enough to read at once: a group that
/// grows past 400 lines is split (as `history.rs` was taken out of `results.rs`).
#[test]
fn no_command_file_is_over_four_hundred_lines() {
    let mut files = Vec::new();
    sources(&src().join("cmd"), &mut files);
    assert!(files.len() > 5, "src/cmd/ not found: {files:?}");
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).ok()?.lines().count();
            (n > 400).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these command files: {long:?}");
}
