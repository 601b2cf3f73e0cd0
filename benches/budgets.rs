//! The performance budgets of tipquiz: every figure beside the floor measured in the same run,
//! the ratio and PASS/FAIL. Run through `scripts/bench` (or `cargo bench --bench budgets --
//! [--quick]`). Other arguments: `gen-bank N FILE` writes a generated bank; `--empty` exits at
//! once (the empty-binary floor, used by this program on itself).
#![allow(
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs
)]
// Tests and benchmarks may stop at the first surprise; the lints for the program are in
// Cargo.toml.

mod common;

use common::{BANK_QUESTIONS, T0, genbank, open_pty};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::hint::black_box;
use std::io::{Read as _, Write as _};
use std::os::fd::AsRawFd as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tipquiz::bank::{Library, cache, load_shipped, parse_bank, parse_tree};
use tipquiz::record::Store;
use tipquiz::report::board::Board;
use tipquiz::text::Lang;
use tipquiz::tui::ui::{self, Display};
use tipquiz::walk::Walker;

/// The binary's allocator, so that floors and figures are measured alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BIN: &str = env!("CARGO_BIN_EXE_tipquiz");

// ------------------------------------------------------------------------------------ timing

#[derive(Clone, Copy, Debug)]
struct Stats {
    median: Duration,
    p99: Duration,
}

fn stats(mut v: Vec<Duration>) -> Stats {
    v.sort();
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    Stats {
        median: at(0.5),
        p99: at(0.99),
    }
}

fn time<F: FnMut()>(n: usize, mut f: F) -> Stats {
    let v = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    stats(v)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

// ------------------------------------------------------------------------------------ report

struct Row {
    id: &'static str,
    what: String,
    figure: String,
    floor: String,
    ratio: String,
    budget: String,
    pass: Option<bool>,
}

#[derive(Default)]
struct Table {
    rows: Vec<Row>,
}

impl Table {
    /// A budget whose figure could not be taken (the screen never showed it): a failure.
    fn not_seen(&mut self, id: &'static str, what: &str, budget: &str) {
        self.add(
            id,
            what,
            "not seen".into(),
            "-".into(),
            "-".into(),
            budget,
            Some(false),
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        id: &'static str,
        what: &str,
        figure: String,
        floor: String,
        ratio: String,
        budget: &str,
        pass: Option<bool>,
    ) {
        let r = Row {
            id,
            what: what.to_owned(),
            figure,
            floor,
            ratio,
            budget: budget.to_owned(),
            pass,
        };
        eprintln!(
            "  {} {}: {} (floor {}) {} {}",
            r.id,
            r.what,
            r.figure,
            r.floor,
            r.ratio,
            verdict(r.pass)
        );
        self.rows.push(r);
    }

    fn print(&self) {
        let head = [
            "#",
            "measurement",
            "figure",
            "floor (same run)",
            "ratio",
            "budget",
            "result",
        ];
        let cells: Vec<[String; 7]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    r.id.to_owned(),
                    r.what.clone(),
                    r.figure.clone(),
                    r.floor.clone(),
                    r.ratio.clone(),
                    r.budget.clone(),
                    verdict(r.pass).to_owned(),
                ]
            })
            .collect();
        let mut w = head.map(|h| h.chars().count());
        for c in &cells {
            for (i, s) in c.iter().enumerate() {
                w[i] = w[i].max(s.chars().count());
            }
        }
        let line = |c: &[String]| {
            let parts: Vec<String> = c
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{s}{}", " ".repeat(w[i] - s.chars().count())))
                .collect();
            println!("| {} |", parts.join(" | "));
        };
        line(&head.map(str::to_owned));
        line(&w.map(|n| "-".repeat(n)));
        for c in &cells {
            line(c);
        }
    }

    fn failed(&self) -> usize {
        self.rows.iter().filter(|r| r.pass == Some(false)).count()
    }
}

fn verdict(p: Option<bool>) -> &'static str {
    match p {
        Some(true) => "PASS",
        Some(false) => "FAIL",
        None => "info",
    }
}

fn x(r: f64) -> String {
    format!("{r:.2}x")
}

// ------------------------------------------------------------------------------- processes

/// Peak RSS in KiB of `tipquiz args`, read by `/usr/bin/time -f %M` (its own fork of a small
/// process, so the benchmark's own memory does not leak into the figure through vfork+exec).
fn peak_rss_kib(args: &[&std::ffi::OsStr]) -> Option<(i64, i32)> {
    let out = common::data_dir().join("time.out");
    let st = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&out)
        .arg(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    let kib = std::fs::read_to_string(&out)
        .ok()?
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()?;
    Some((kib, st.code().unwrap_or(-1)))
}

/// Run a command to its end; return its exit code.
fn run_quiet(cmd: &mut Command) -> i32 {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("spawn")
        .code()
        .unwrap_or(-1)
}

/// How a start-up run treats the parsed-bank cache (`$TIPQUIZ_DATA/cache`).
#[derive(Clone, Copy, PartialEq)]
enum Cache {
    /// Switched off (`TIPQUIZ_NO_CACHE=1`): every bank is parsed, as before the cache existed.
    Off,
    /// On, and kept from run to run (filled beforehand by [`fill_cache`]).
    Warm,
}

/// Exec of `tipquiz args` on a 120x40 pseudo-terminal until each of `markers` has been
/// written, in turn: the time of each (`None` when not seen within 10 s). The child is killed
/// afterwards. The data folder starts empty, but for the bank cache in [`Cache::Warm`].
fn first_frame(
    args: &[&str],
    data: &Path,
    markers: &[&str],
    cache: Cache,
) -> Vec<Option<Duration>> {
    let (mut master, slave) = open_pty(120, 40);
    match cache {
        Cache::Off => {
            let _ = std::fs::remove_dir_all(data);
        }
        Cache::Warm => {
            for e in std::fs::read_dir(data).into_iter().flatten().flatten() {
                if e.file_name() != "cache" {
                    let p = e.path();
                    let _ = std::fs::remove_dir_all(&p).or_else(|_| std::fs::remove_file(&p));
                }
            }
        }
    }
    std::fs::create_dir_all(data).expect("data dir");
    let mut cmd = Command::new(BIN);
    if cache == Cache::Off {
        cmd.env("TIPQUIZ_NO_CACHE", "1");
    } else {
        cmd.env_remove("TIPQUIZ_NO_CACHE");
    }
    cmd.args(args)
        .env("TIPQUIZ_DATA", data)
        .env("TIPQUIZ_RESULTS", data.join("results"))
        .env("TIPQUIZ_NO_CALIBRATION", "1")
        .env("TERM", "xterm-256color")
        .stdin(Stdio::from(slave.try_clone().expect("dup")))
        .stdout(Stdio::from(slave.try_clone().expect("dup")))
        .stderr(Stdio::from(slave));
    let t = Instant::now();
    let mut child = cmd.spawn().expect("spawn tipquiz");
    drop(cmd);
    let mut seen = Vec::new();
    let mut buf = [0u8; 65536];
    let mut answered = [0usize; 3];
    let mut times = Vec::new();
    let mut from = 0;
    while times.len() < markers.len() {
        let marker = markers[times.len()].as_bytes();
        if t.elapsed() > Duration::from_secs(10) {
            break;
        }
        if let Some(i) = seen[from..].windows(marker.len()).position(|w| w == marker) {
            times.push(Some(t.elapsed()));
            from += i + marker.len();
            continue;
        }
        let mut pfd = libc::pollfd {
            fd: master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let r = unsafe { libc::poll(&raw mut pfd, 1, 100) };
        if r <= 0 {
            continue;
        }
        match master.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                seen.extend_from_slice(&buf[..n]);
                // Answer the queries a terminal answers, as xterm does: the cursor position
                // (DSR), the bidi probe (DECRQM for mode 8: not recognised) and the primary
                // device attributes (DA1), which ends the probe.
                for (k, (ask, reply)) in [
                    (&b"\x1b[6n"[..], &b"\x1b[1;1R"[..]),
                    (&b"\x1b[8$p"[..], &b"\x1b[8;0$y"[..]),
                    (
                        &b"\x1b[c"[..],
                        &b"\x1b[?64;1;2;6;9;15;16;17;18;21;22;28c"[..],
                    ),
                ]
                .into_iter()
                .enumerate()
                {
                    let asked = seen.windows(ask.len()).filter(|w| *w == ask).count();
                    while answered[k] < asked {
                        master.write_all(reply).expect("reply to a query");
                        answered[k] += 1;
                    }
                }
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    if times.len() < markers.len() {
        eprintln!(
            "  {:?} not seen; output was:\n{}",
            markers[times.len()],
            String::from_utf8_lossy(&seen)
        );
    }
    times.resize(markers.len(), None);
    times
}

/// Fill the parsed-bank cache of the data folder `data` with the shipped banks and `bank`
/// (an untimed `tipquiz list`, which waits for its cache writes), and check that the entry of
/// `bank` is there.
fn fill_cache(data: &Path, bank: &Path) {
    let _ = std::fs::remove_dir_all(data);
    std::fs::create_dir_all(data).expect("data dir");
    let code = run_quiet(
        Command::new(BIN)
            .env("TIPQUIZ_DATA", data)
            .env_remove("TIPQUIZ_NO_CACHE")
            .args(["list", "--bank"])
            .arg(bank),
    );
    assert_eq!(code, 0, "tipquiz list of the generated bank");
    let text = std::fs::read(bank).expect("bank");
    let entry = cache::entry_path(&data.join("cache"), &tipquiz::bank::content_hash(&text));
    assert!(entry.is_file(), "no cache entry at {}", entry.display());
}

fn proc_stat(pid: i32) -> Option<(u64, u64)> {
    // utime + stime (clock ticks), voluntary context switches summed over the threads.
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f[11].parse::<u64>().ok()? + f[12].parse::<u64>().ok()?;
    let mut vol = 0;
    for t in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
        let s = std::fs::read_to_string(t.ok()?.path().join("status")).ok()?;
        for l in s.lines() {
            if let Some(v) = l.strip_prefix("voluntary_ctxt_switches:") {
                vol += v.trim().parse::<u64>().ok()?;
            }
        }
    }
    Some((ticks, vol))
}

fn find_tipquiz(pid: i32) -> Option<i32> {
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    if comm.trim() == "tipquiz" {
        return Some(pid);
    }
    for e in std::fs::read_dir("/proc").ok()?.filter_map(Result::ok) {
        let Ok(p) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else {
            continue;
        };
        let Some(close) = stat.rfind(')') else {
            continue;
        };
        let ppid: i32 = stat[close + 2..]
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        if ppid == pid
            && let Some(found) = find_tipquiz(p)
        {
            return Some(found);
        }
    }
    None
}

// ------------------------------------------------------------------------------ measurements

struct Cfg {
    quick: bool,
}

impl Cfg {
    fn n(&self, full: usize, quick: usize) -> usize {
        if self.quick { quick } else { full }
    }
}

struct BankFigures {
    read: Duration,
    parse_bank: Duration,
}

fn bank(cfg: &Cfg, t: &mut Table, file: &Path) -> BankFigures {
    eprintln!("bank: load and validate {BANK_QUESTIONS} questions");
    let n = cfg.n(15, 3);
    let size = std::fs::metadata(file).expect("bank").len();
    let mb = size as f64 / 1e6;
    let read = time(n, || {
        black_box(std::fs::read_to_string(file).expect("read"));
    });
    let text = std::fs::read_to_string(file).expect("read");
    let table = time(n, || {
        black_box(toml::from_str::<toml::Table>(&text).expect("toml"));
    });
    let tree = time(n, || {
        let mut w = Walker::new("bank.toml", &text);
        black_box(parse_tree(&mut w, &text));
    });
    let full = time(n, || {
        let (b, d) = parse_bank("bank.toml", &text);
        assert!(b.is_some(), "generated bank invalid: {:?}", d.first());
        black_box(b);
    });
    let one_piece = time(n, || {
        black_box(tipquiz::bank::parse_bank_one_piece("bank.toml", &text).0);
    });
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("one-thread pool");
    let pieces_one_core = time(n, || {
        one_thread.install(|| black_box(parse_bank("bank.toml", &text).0));
    });
    let load = time(n, || {
        let text = std::fs::read_to_string(file).expect("read");
        let b = parse_bank("bank.toml", &text).0.expect("bank");
        black_box(Library::build(vec![b]));
    });
    let validation = one_piece.median.saturating_sub(tree.median);
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    t.add(
        "P2",
        &format!("read+parse+validate+index, {mb:.1} MB bank ({cores} cores)"),
        format!(
            "{:.1} ms ({:.0} MB/s)",
            ms(load.median),
            mb / load.median.as_secs_f64()
        ),
        format!(
            "toml::from_str::<Table> {:.1} ms ({:.0} MB/s)",
            ms(table.median),
            mb / table.median.as_secs_f64()
        ),
        x(load.median.as_secs_f64() / table.median.as_secs_f64()),
        "<= 1.25x (validation <= 25% of parse)",
        Some(load.median.as_secs_f64() <= 1.25 * table.median.as_secs_f64()),
    );
    // The budget "validation at most 25% of the parse": what loading and validating costs on
    // one core beyond the bare parse of the same file into a plain table (the floor),
    // on the path `tipquiz` runs (`parse_bank`, here on a one-thread pool).
    let beyond = pieces_one_core.median.as_secs_f64() / table.median.as_secs_f64() - 1.0;
    t.add(
        "P2",
        "validation on one core: parse_bank (one thread) beyond the bare parse",
        format!(
            "{:.1} ms, {:+.0}%",
            ms(pieces_one_core.median),
            100.0 * beyond
        ),
        format!("toml::from_str::<Table> {:.1} ms", ms(table.median)),
        x(pieces_one_core.median.as_secs_f64() / table.median.as_secs_f64()),
        "<= 1.25x (validation <= 25% of parse)",
        Some(beyond <= 0.25),
    );
    // A stricter split: everything after our own (borrowing) parse tree, on the one-piece
    // path: building the owned model (every text copied) and the checks.
    t.add(
        "P2",
        "model + checks beyond our own parse tree (one-piece parse_bank - parse_tree)",
        format!("{:.1} ms", ms(validation)),
        format!("toml::from_str::<Table> {:.1} ms", ms(table.median)),
        format!(
            "{:.0}%",
            100.0 * validation.as_secs_f64() / table.median.as_secs_f64()
        ),
        "-",
        None,
    );
    t.add(
        "P2",
        "crate's own parse step, one core (Walker::new + parse_tree)",
        format!("{:.1} ms", ms(tree.median)),
        format!("toml::from_str::<Table> {:.1} ms", ms(table.median)),
        x(tree.median.as_secs_f64() / table.median.as_secs_f64()),
        "-",
        None,
    );
    t.add(
        "P2",
        &format!("parse_bank in pieces on {cores} cores"),
        format!("{:.1} ms", ms(full.median)),
        format!("one piece, one core {:.1} ms", ms(one_piece.median)),
        x(full.median.as_secs_f64() / one_piece.median.as_secs_f64()),
        "-",
        None,
    );
    // The parsed-bank cache: a first load (a miss: the text is hashed, parsed and the entry
    // encoded on the way; the entry is written in the background: the time it still takes
    // once the load has returned is timed apart), then loads from the entry.
    let cdir = common::data_dir().join("bank-cache");
    let (mut miss, mut write) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let _ = std::fs::remove_dir_all(&cdir);
        let t0 = Instant::now();
        let writer = cache::BankCache::new(&cdir);
        let (b, d) = cache::parse_bank_cached("bank.toml", &text, Some(&writer));
        let loaded = t0.elapsed();
        let t0 = Instant::now();
        writer.wait();
        write.push(t0.elapsed());
        assert!(
            b.is_some() && d.is_empty(),
            "generated bank: {:?}",
            d.first()
        );
        // Dropping the bank is timed as in the other rows.
        let t0 = Instant::now();
        drop(black_box(b));
        miss.push(loaded + t0.elapsed());
    }
    let (miss, write) = (stats(miss), stats(write));
    let entry = cache::entry_path(&cdir, &tipquiz::bank::content_hash(text.as_bytes()));
    let entry_mb = std::fs::metadata(&entry).map_or(0.0, |m| m.len() as f64 / 1e6);
    assert!(
        cache::lookup(&cdir, "bank.toml", &text).is_some(),
        "the cache entry of the generated bank is not read back"
    );
    let reader = cache::BankCache::new(&cdir);
    let hit = time(n, || {
        let text = std::fs::read_to_string(file).expect("read");
        let (b, d) = cache::parse_bank_cached("bank.toml", &text, Some(&reader));
        assert!(b.is_some() && d.is_empty(), "cache hit");
        black_box(b);
    });
    let _ = std::fs::remove_dir_all(&cdir);
    t.add(
        "P2",
        "load of the 10k bank from the parsed-bank cache (read + hash + decode)",
        format!(
            "{:.1} ms (entry {entry_mb:.1} MB; read+parse+validate+index {:.1} ms)",
            ms(hit.median),
            ms(load.median)
        ),
        format!("toml::from_str::<Table> {:.1} ms", ms(table.median)),
        x(hit.median.as_secs_f64() / table.median.as_secs_f64()),
        "-",
        None,
    );
    t.add(
        "P2",
        "first load with the cache on, a miss (hash + parse_bank + encode)",
        format!(
            "{:.1} ms (the entry's write goes on {:.1} ms in the background)",
            ms(miss.median),
            ms(write.median)
        ),
        format!("parse_bank {:.1} ms", ms(full.median)),
        x(miss.median.as_secs_f64() / full.median.as_secs_f64()),
        "-",
        None,
    );
    // Peak memory of `tipquiz check FILE` as a child process.
    let rss: Vec<i64> = (0..cfg.n(3, 1))
        .filter_map(|_| {
            let (kib, code) = peak_rss_kib(&["check".as_ref(), file.as_os_str()])?;
            assert_eq!(code, 0, "tipquiz check on the generated bank");
            Some(kib)
        })
        .collect();
    let base = peak_rss_kib(&["--version".as_ref()]).map_or(0, |r| r.0);
    if let Some(&kib) = rss.iter().min() {
        let peak = kib as f64 * 1024.0;
        t.add(
            "P2",
            "peak RSS of `tipquiz check FILE`",
            format!(
                "{:.1} MiB (tipquiz --version: {:.1} MiB)",
                peak / 1048576.0,
                base as f64 / 1024.0
            ),
            format!("file size {:.1} MiB", size as f64 / 1048576.0),
            x(peak / size as f64),
            "<= 10x file size",
            Some(peak <= 10.0 * size as f64),
        );
    } else {
        t.add(
            "P2",
            "peak RSS",
            "not measured (/usr/bin/time missing?)".into(),
            "-".into(),
            "-".into(),
            "<= 10x file size",
            None,
        );
    }
    BankFigures {
        read: read.median,
        parse_bank: full.median,
    }
}

fn startup(cfg: &Cfg, t: &mut Table, file: &Path, bf: &BankFigures) {
    eprintln!("start-up: exec to first frame on a 120x40 pseudo-terminal");
    let me = std::env::current_exe().expect("exe");
    let floor = time(cfg.n(50, 10), || {
        assert_eq!(run_quiet(Command::new(&me).arg("--empty")), 0);
    });
    let data = common::data_dir().join("startup");
    // The loading frame ("Loading…") is the first frame; the question screen's last row is the
    // key help line, ending in "q quit".
    let markers = ["Loading", "quit"];
    let args = [
        "take",
        "--topic",
        "indicators",
        "--count",
        "5",
        "--time",
        "10m",
        "--trainee",
        "bench",
        "--lang",
        "en",
    ];
    let (mut first, mut question) = (Vec::new(), Vec::new());
    for _ in 0..cfg.n(20, 3) {
        let got = first_frame(&args, &data, &markers, Cache::Off);
        first.extend(got[0]);
        question.extend(got[1]);
    }
    let empty = format!("empty Rust binary exec-to-exit {:.2} ms", ms(floor.median));
    for (what, v, budget) in [
        (
            "exec to first frame (loading), shipped banks",
            first,
            Some(Duration::from_millis(5)),
        ),
        ("exec to first question, shipped banks", question, None),
    ] {
        if v.is_empty() {
            t.not_seen("P1", what, "<= 5 ms");
            continue;
        }
        let s = stats(v);
        t.add(
            "P1",
            what,
            format!("{:.2} ms", ms(s.median)),
            empty.clone(),
            x(s.median.as_secs_f64() / floor.median.as_secs_f64()),
            if budget.is_some() { "<= 5 ms" } else { "-" },
            budget.map(|b| s.median <= b),
        );
    }
    let bank = file.to_string_lossy().into_owned();
    let args = [
        "take",
        "--bank",
        &bank,
        "--topic",
        genbank::TOPIC,
        "--count",
        "5",
        "--time",
        "10m",
        "--trainee",
        "bench",
        "--lang",
        "en",
    ];
    let (mut first, mut v) = (Vec::new(), Vec::new());
    for _ in 0..cfg.n(10, 2) {
        let got = first_frame(&args, &data, &markers, Cache::Off);
        first.extend(got[0]);
        v.extend(got[1]);
    }
    // The same with the parsed-bank cache filled by one untimed run.
    fill_cache(&data, file);
    let mut warm = Vec::new();
    for _ in 0..cfg.n(10, 2) {
        warm.extend(first_frame(&args, &data, &markers, Cache::Warm)[1]);
    }
    if !first.is_empty() {
        let s = stats(first);
        t.add(
            "P1",
            "exec to first frame (loading), 10k bank",
            format!("{:.2} ms", ms(s.median)),
            empty.clone(),
            x(s.median.as_secs_f64() / floor.median.as_secs_f64()),
            "<= 5 ms",
            Some(s.median <= Duration::from_millis(5)),
        );
    }
    // The quiz asks only for the generated bank's topic, so the shipped banks are not loaded
    // (issue 25): the floor is the given bank's own loading.
    let parts = floor.median + bf.read + bf.parse_bank;
    let parts_text = format!(
        "exec {:.2} + read {:.2} + parse&validate {:.1} = {:.1} ms",
        ms(floor.median),
        ms(bf.read),
        ms(bf.parse_bank),
        ms(parts)
    );
    for (what, runs) in [
        (
            "exec to first question, 10k bank (shipped banks not needed), no cache (TIPQUIZ_NO_CACHE=1)",
            v.clone(),
        ),
        (
            "exec to first question, 10k bank (shipped banks not needed), parsed-bank cache warm",
            warm,
        ),
    ] {
        if runs.is_empty() {
            t.not_seen("P1", what, "<= 1.25x");
            continue;
        }
        let s = stats(runs);
        let r = s.median.as_secs_f64() / parts.as_secs_f64();
        t.add(
            "P1",
            what,
            format!("{:.1} ms", ms(s.median)),
            parts_text.clone(),
            x(r),
            "<= 1.25x",
            Some(r <= 1.25),
        );
    }
    if !v.is_empty() {
        let s = stats(v);
        // The same loading in a fresh process (exec to exit of `check`), which pays for its
        // page faults as `take` does; the parts above are warm, in-process medians.
        let fresh = time(cfg.n(10, 3), || {
            let code = run_quiet(
                Command::new(BIN)
                    .args(["check", "--only-given-banks"])
                    .arg(file),
            );
            assert_eq!(code, 0, "check of the generated bank");
        });
        t.add(
            "P1",
            "exec to first question, 10k bank (fresh-process floor)",
            format!("{:.1} ms", ms(s.median)),
            format!(
                "`tipquiz check --only-given-banks` of the bank, exec to exit {:.1} ms",
                ms(fresh.median)
            ),
            x(s.median.as_secs_f64() / fresh.median.as_secs_f64()),
            "-",
            None,
        );
    }
}

fn frames(cfg: &Cfg, t: &mut Table) {
    eprintln!("frames: question screen at 120x40");
    let lib = Arc::new(common::shipped_lib());
    let tmp = tempfile::tempdir().expect("tmp");
    let area = Rect::new(0, 0, 120, 40);
    let n = cfg.n(2000, 200);
    let floor = time(n, || {
        let mut b = Buffer::empty(area);
        for y in 0..area.height {
            for xx in 0..area.width {
                b[(xx, y)].set_symbol("x");
            }
        }
        black_box(b);
    });
    for (lang, name) in [(Lang::En, "English"), (Lang::Ar, "Arabic")] {
        let app = common::quiz_app(Arc::clone(&lib), "indicators", lang, tmp.path());
        let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        let now = T0 + 500;
        term.draw(|f| {
            ui::draw(f, &app, Display::default(), now);
        })
        .expect("draw");
        let s = time(n, || {
            term.draw(|f| {
                ui::draw(f, &app, Display::default(), now);
            })
            .expect("draw");
        });
        let r = s.median.as_secs_f64() / floor.median.as_secs_f64();
        t.add(
            "P3",
            &format!("frame of the question screen, {name}, TestBackend"),
            format!("{:.0} us (p99 {:.0} us)", us(s.median), us(s.p99)),
            format!("all 4,800 cells written once {:.1} us", us(floor.median)),
            x(r),
            "<= 4x",
            Some(r <= 4.0),
        );
    }
    // Bytes to the terminal: first frame, a selection change, a one-second tick.
    for (lang, name) in [(Lang::En, "English"), (Lang::Ar, "Arabic")] {
        let mut app = common::quiz_app(Arc::clone(&lib), "indicators", lang, tmp.path());
        let count = Counter::default();
        let backend = CrosstermBackend::new(count.clone());
        let mut term = Terminal::with_options(
            backend,
            TerminalOptions {
                viewport: Viewport::Fixed(area),
            },
        )
        .expect("terminal");
        let mut now = T0 + 500;
        term.draw(|f| {
            ui::draw(f, &app, Display::default(), now);
        })
        .expect("draw");
        let full = count.take();
        let before = app.view().unwrap().cursor;
        now += 300;
        let _ = app.handle_key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE), now);
        assert_ne!(
            before,
            app.view().unwrap().cursor,
            "Down moves the selection"
        );
        term.draw(|f| {
            ui::draw(f, &app, Display::default(), now);
        })
        .expect("draw");
        let key = count.take();
        now += 1000;
        let _ = app.tick(now);
        term.draw(|f| {
            ui::draw(f, &app, Display::default(), now);
        })
        .expect("draw");
        let tick = count.take();
        t.add(
            "P3",
            &format!("bytes for a selection change, {name}"),
            format!("{key} B"),
            format!("full frame {full} B"),
            format!("{:.1}%", 100.0 * key as f64 / full as f64),
            "<= 512 B",
            Some(key <= 512),
        );
        t.add(
            "P3",
            &format!("bytes for a 1 s timer tick, {name}"),
            format!("{tick} B"),
            format!("full frame {full} B"),
            format!("{:.1}%", 100.0 * tick as f64 / full as f64),
            "<= 128 B",
            Some(tick <= 128),
        );
    }
}

/// A terminal writer that only counts bytes.
#[derive(Clone, Default)]
struct Counter(std::rc::Rc<std::cell::Cell<usize>>);

impl Counter {
    fn take(&self) -> usize {
        self.0.replace(0)
    }
}

impl std::io::Write for Counter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + b.len());
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn idle(cfg: &Cfg, t: &mut Table) {
    let secs = cfg.n(10, 5) as u64;
    eprintln!("idle: running quiz with a countdown in tmux for {secs} s");
    let sock = format!("tipquiz-bench-{}", std::process::id());
    let data = common::data_dir().join("idle");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).expect("idle dir");
    let cmd = format!(
        "env TIPQUIZ_DATA={d} TIPQUIZ_RESULTS={d}/results {BIN} take --topic indicators --count 5 --time 10m --trainee bench --lang en",
        d = data.display()
    );
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .arg("-L")
            .arg(&sock)
            .args(args)
            .output()
    };
    let ok = tmux(&["new", "-d", "-s", "b", "-x", "100", "-y", "30", &cmd])
        .is_ok_and(|o| o.status.success());
    let result = (|| {
        if !ok {
            return Err("tmux could not start".to_owned());
        }
        std::thread::sleep(Duration::from_millis(1500));
        let out =
            tmux(&["list-panes", "-t", "b", "-F", "#{pane_pid}"]).map_err(|e| e.to_string())?;
        let pane: i32 = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|_| "no pane pid".to_owned())?;
        let pid = find_tipquiz(pane).ok_or("tipquiz process not found")?;
        let (t0, v0) = proc_stat(pid).ok_or("cannot read /proc")?;
        let start = Instant::now();
        std::thread::sleep(Duration::from_secs(secs));
        let (t1, v1) = proc_stat(pid).ok_or("tipquiz ended early")?;
        let wall = start.elapsed().as_secs_f64();
        // SAFETY: sysconf is always safe to call.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
        let screen = tmux(&["capture-pane", "-p", "-t", "b"])
            .map(|o| o.stdout)
            .unwrap_or_default();
        Ok((
            (t1 - t0) as f64 / hz / wall,
            (v1 - v0) as f64 / wall,
            String::from_utf8_lossy(&screen).into_owned(),
        ))
    })();
    let _ = tmux(&["kill-server"]);
    match result {
        Ok((cpu, wakes, screen)) => {
            if !screen.contains("quit") {
                eprintln!("  warning: the pane does not show the question screen:\n{screen}");
            }
            t.add(
                "P4",
                &format!("idle CPU, quiz with countdown, {secs} s"),
                format!("{:.3}% of one core", cpu * 100.0),
                "0 (nothing to do between ticks)".into(),
                "-".into(),
                "<= 0.1%",
                Some(cpu <= 0.001),
            );
            t.add(
                "P4",
                "wake-ups per second (voluntary context switches)",
                format!("{wakes:.2}/s"),
                "1/s (one per displayed second)".into(),
                x(wakes),
                "<= 1.2/s",
                Some(wakes <= 1.2),
            );
        }
        Err(e) => t.add(
            "P4",
            "idle CPU and wake-ups",
            format!("not measured: {e}"),
            "-".into(),
            "-".into(),
            "<= 0.1%, <= 1.2/s",
            Some(false),
        ),
    }
}

/// `tipquiz report`'s work `n` times over the records `load` gives, timing each phase: the median
/// total, and the medians as "T ms (load L, screen S, build B, render R" (left open for a note).
fn report_phases(
    n: usize,
    lib: &Library,
    mut load: impl FnMut() -> (tipquiz::record::LoadedRecords, Vec<tipquiz::record::Known>),
) -> (Duration, String) {
    // The records' exam is loaded, as an instructor's is: every record is checked against it
    // (the paper drawn for the name, the rules, the score) and the statistics are per slot.
    let exams = [common::exam()];
    let mut phases = [Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..n {
        let t0 = Instant::now();
        let (loaded, known) = load();
        let t1 = Instant::now();
        let (good, mut bad) = tipquiz::report::integrity::screen_with(
            loaded.records,
            &known,
            tipquiz::report::integrity::Rules {
                lib,
                exams: &exams,
                key: None,
            },
        );
        assert!(
            bad.is_empty(),
            "the benchmark's records are genuine: {bad:?}"
        );
        bad.extend(loaded.bad);
        let t2 = Instant::now();
        let good = tipquiz::report::held::HeldAttempt::all_from(
            good,
            lib,
            tipquiz::report::held::Keep::Figures,
        );
        let r = tipquiz::report::build_with(
            &good,
            &bad,
            lib,
            &exams,
            None,
            tipquiz::report::Which::First,
        );
        let t3 = Instant::now();
        black_box(tipquiz::report::render_table(&r));
        let t4 = Instant::now();
        for (i, d) in [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0]
            .into_iter()
            .enumerate()
        {
            phases[i].push(d);
        }
    }
    let [load, scr, build, render, total] = phases.map(|v| stats(v).median);
    (
        total,
        format!(
            "{:.1} ms (load {:.1}, screen {:.1}, build {:.1}, render {:.1}",
            ms(total),
            ms(load),
            ms(scr),
            ms(build),
            ms(render)
        ),
    )
}

fn results(cfg: &Cfg, t: &mut Table) {
    eprintln!(
        "results: report over {} files, board refresh, commits",
        common::RESULT_FILES
    );
    let lib = common::sample_lib();
    let dir = common::results_dir(&lib);
    let n = cfg.n(3, 1);
    let floor = time(n, || {
        let mut bytes = 0;
        for e in std::fs::read_dir(&dir).expect("dir").filter_map(Result::ok) {
            bytes += std::fs::read(e.path()).expect("read").len();
        }
        black_box(bytes);
    });
    // `tipquiz report` on a folder it has seen before: unchanged files come from the results
    // index in the cache folder. The first pass reads every file and writes the index; files
    // changed within two seconds of an index write are read again, so the warm-up repeats
    // (untimed) until nothing is read.
    let index = tipquiz::record::index_path(&common::data_dir().join("cache"), &dir);
    let _ = std::fs::remove_file(&index);
    let t0 = Instant::now();
    let first = tipquiz::record::load_indexed(&dir, &index, Some(&lib));
    let first_pass = t0.elapsed();
    let first_read = first.read;
    drop(first);
    for _ in 0..5 {
        if tipquiz::record::load_indexed(&dir, &index, Some(&lib)).read == 0 {
            break;
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    let index_bytes = std::fs::metadata(&index).map_or(0, |m| m.len());
    let mut reread = 0;
    let (total, phases) = report_phases(cfg.n(15, 3), &lib, || {
        let got = tipquiz::record::load_indexed(&dir, &index, Some(&lib));
        reread = reread.max(got.read);
        (got.loaded, got.known)
    });
    let r = total.as_secs_f64() / floor.median.as_secs_f64();
    t.add(
        "P5",
        "report over 10,000 result files, results index (load, screen, build, render)",
        format!("{phases}; {reread} files read)"),
        format!("readdir + open + read {:.1} ms", ms(floor.median)),
        x(r),
        "<= 1.3x",
        Some(r <= 1.3),
    );
    t.add(
        "P5",
        "first report on the folder: read every file, write the index (load only)",
        format!(
            "{:.1} ms ({first_read} files read, index {:.1} MB)",
            ms(first_pass),
            index_bytes as f64 / 1e6
        ),
        format!("readdir + open + read {:.1} ms", ms(floor.median)),
        x(first_pass.as_secs_f64() / floor.median.as_secs_f64()),
        "-",
        None,
    );
    // The same work as `tipquiz report` does it: the folder read a batch at a time through the
    // index, each record checked as it comes and held in its compact form (`read::read_class`),
    // then the report built and laid out.
    let store = Store::new(&dir);
    {
        let exams = [common::exam()];
        let cache = common::data_dir().join("cache");
        let streamed = time(cfg.n(15, 3), || {
            let class = tipquiz::report::read::read_class(
                &store,
                Some(&cache),
                tipquiz::report::integrity::Rules {
                    lib: &lib,
                    exams: &exams,
                    key: None,
                },
            );
            assert!(class.bad.is_empty(), "the benchmark's records are genuine");
            let r = tipquiz::report::build_with(
                &class.records,
                &class.bad,
                &lib,
                &exams,
                None,
                tipquiz::report::Which::First,
            );
            drop(class);
            black_box(tipquiz::report::render_table(&r));
        });
        let r = streamed.median.as_secs_f64() / floor.median.as_secs_f64();
        t.add(
            "P5",
            "the same as `tipquiz report` runs it (read_class: streamed through the index, checked and held compact per batch; build, render)",
            format!("{:.1} ms", ms(streamed.median)),
            format!("readdir + open + read {:.1} ms", ms(floor.median)),
            x(r),
            "-",
            None,
        );
    }
    let (total, phases) = report_phases(n, &lib, || (store.load(), Vec::new()));
    t.add(
        "P5",
        "the same without the index (TIPQUIZ_NO_CACHE=1)",
        format!("{phases})"),
        format!("readdir + open + read {:.1} ms", ms(floor.median)),
        x(total.as_secs_f64() / floor.median.as_secs_f64()),
        "-",
        None,
    );
    // The record format's own floor: parsing the JSON of every record, already in memory, on
    // every core (no reading, no screening, no statistics).
    let bytes: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| std::fs::read(e.path()).expect("read"))
        .collect();
    let parse = time(n, || {
        use rayon::prelude::*;
        let parsed: usize = bytes
            .par_iter()
            .filter(|b| serde_json::from_slice::<tipquiz::record::AttemptRecord>(b).is_ok())
            .count();
        black_box(parsed);
    });
    t.add(
        "P5",
        "JSON parse alone of the 10,000 records, in memory, all cores",
        format!("{:.1} ms", ms(parse.median)),
        format!("readdir + open + read {:.1} ms", ms(floor.median)),
        x(parse.median.as_secs_f64() / floor.median.as_secs_f64()),
        "-",
        None,
    );
    // The exam check on real papers: records of the shipped final assessment (30 questions from
    // five pools of the shipped banks, a different paper per name), each checked against the
    // exam (its paper drawn again for the name), on every core; per record.
    {
        let shipped = common::shipped_lib();
        let fa = tipquiz::cmd::shipped_exams()
            .into_iter()
            .find(|e| e.id == "final-assessment")
            .expect("final assessment");
        let k = 2_000;
        let recs: Vec<(String, tipquiz::record::AttemptRecord)> = (0..k)
            .map(|i| {
                let name = format!("trainee {i:05}");
                let mut s = tipquiz::quiz::Session::start(
                    &fa,
                    &shipped,
                    &name,
                    tipquiz::quiz::seed_for(&fa.id, &name),
                    tipquiz::text::Lang::En,
                    T0,
                )
                .expect("session");
                s.update(tipquiz::quiz::Action::Submit, T0 + 600_000);
                let r = tipquiz::record::AttemptRecord::from_session(
                    &s,
                    &tipquiz::record::attempt_id(&s.state),
                    T0 + 600_000,
                    "tipquiz bench",
                );
                (format!("f{i}.json"), r)
            })
            .collect();
        let exams = [fa];
        let with = time(n, || {
            let p = tipquiz::report::integrity::check_with(
                &recs,
                &[],
                tipquiz::report::integrity::Rules {
                    lib: &shipped,
                    exams: &exams,
                    key: None,
                },
            );
            assert!(p.iter().all(Vec::is_empty), "genuine records");
        });
        let without = time(n, || {
            black_box(tipquiz::report::integrity::check_with(
                &recs,
                &[],
                tipquiz::report::integrity::Rules {
                    lib: &shipped,
                    exams: &[],
                    key: None,
                },
            ));
        });
        let per = |d: Duration| d.as_secs_f64() * 1e6 / k as f64;
        t.add(
            "P5",
            "checks of final-assessment records (30 questions, paper drawn again per name), all cores",
            format!(
                "{:.1} us per record with the exam loaded, {:.1} us without (x 10,000: {:.0} ms)",
                per(with.median),
                per(without.median),
                with.median.as_secs_f64() * 1e3 * 10_000.0 / k as f64
            ),
            "-".into(),
            "-".into(),
            "-",
            None,
        );
    }
    // Incremental board refresh: 10,000 files known, 30 new ones.
    let mut board = Board::new(&dir, None);
    board.refresh();
    let mut v = Vec::new();
    for round in 0..cfg.n(20, 5) {
        let new = common::write_records(&lib, &dir, 100_000 + round * 30, 30);
        let reads = board.reads;
        let t0 = Instant::now();
        assert!(board.refresh());
        v.push(t0.elapsed());
        assert_eq!(board.reads - reads, 30, "only the new files are read");
        for p in new {
            std::fs::remove_file(p).expect("remove");
        }
        board.refresh();
    }
    let s = stats(v);
    t.add(
        "P5",
        "board refresh, 10,000 known + 30 new files",
        format!("{:.1} ms (p99 {:.1} ms)", ms(s.median), ms(s.p99)),
        "-".into(),
        "-".into(),
        "<= 20 ms",
        Some(s.median <= Duration::from_millis(20)),
    );
    // Commits and autosaves with their syncs, on the target directory's disk.
    let cdir = common::data_dir().join("commits");
    let _ = std::fs::remove_dir_all(&cdir);
    std::fs::create_dir_all(&cdir).expect("commit dir");
    let cstore = Store::new(&cdir);
    let m = cfg.n(200, 50);
    let recs: Vec<_> = (0..m)
        .map(|i| common::record(&lib, &format!("c{i}"), T0 + i as i64 * 61_000))
        .collect();
    let mut v = Vec::new();
    for r in &recs {
        let t0 = Instant::now();
        cstore.commit(r, None).expect("commit");
        v.push(t0.elapsed());
    }
    let c = stats(v);
    let session = common::finished(&lib, "autosave", T0);
    let a = time(m, || {
        cstore.autosave(&session.state).expect("autosave");
    });
    t.add(
        "P6",
        &format!("commit one result record ({m} commits, fsync file + folder)"),
        format!("median {:.2} ms, p99 {:.2} ms", ms(c.median), ms(c.p99)),
        "-".into(),
        "-".into(),
        "p99 <= 2 ms",
        Some(c.p99 <= Duration::from_millis(2)),
    );
    t.add(
        "P6",
        &format!("autosave one attempt ({m} saves, atomic replace + syncs)"),
        format!("median {:.2} ms, p99 {:.2} ms", ms(a.median), ms(a.p99)),
        "-".into(),
        "-".into(),
        "p99 <= 2 ms",
        Some(a.p99 <= Duration::from_millis(2)),
    );
    let _ = std::fs::remove_dir_all(&cdir);
}

/// Bytes written (`wchar` of `/proc/self/io`, every thread) and CPU time (user + system, every
/// thread) of this process so far. `None` where `/proc` is missing.
fn io_and_cpu() -> Option<(u64, Duration)> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    let wchar = io
        .lines()
        .find_map(|l| l.strip_prefix("wchar:"))?
        .trim()
        .parse()
        .ok()?;
    // SAFETY: getrusage fills the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to a rusage.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &raw mut u) };
    let tv = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    Some((wchar, tv(u.ru_utime) + tv(u.ru_stime)))
}

/// Issue 25's per-key cost: answer and navigation keys on the question screen of a timed exam
/// of 100 and 10,000 questions, each key taken the whole way the local terminal takes it (the
/// app's update, the autosave journal line, the board's progress file on its worker, the frame
/// drawn into a 100x30 `TestBackend`; the background syncs included at the end). Bytes are
/// every byte this process wrote; CPU is every thread's. Beside it, in the same run, what the
/// whole-file autosave the journal replaced costs for the same attempt (`Store::autosave`, once
/// per key).
fn keys(cfg: &Cfg, t: &mut Table) {
    use tipquiz::exam::{ExamDef, Mode};
    use tipquiz::tui::app::{App, Prefs};
    use tipquiz::tui::host::{Host, Places, Saver};
    if io_and_cpu().is_none() {
        eprintln!("keys: /proc/self/io is not readable here; skipped");
        return;
    }
    let mut per: Vec<(usize, f64, Duration)> = Vec::new();
    for n in [100usize, 10_000] {
        eprintln!("keys: {n} questions");
        let bank = parse_bank("keys.toml", &genbank::bank(n)).0.expect("bank");
        let lib = Arc::new(Library::build(vec![bank]).0);
        let dir = common::data_dir().join(format!("keys-{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        let places = Places {
            results: Store::new(dir.join("results")),
            results_explicit: true,
            autosaves: Store::new(dir.join("autosave")),
            pending: Store::new(dir.join("pending")),
            prefs: dir.join("prefs.json"),
            program: "tipquiz bench".into(),
            key: None,
        };
        std::fs::create_dir_all(&places.results.dir).expect("results");
        let exam = ExamDef::quick(&[], n, Some(36_000), Mode::Exam);
        let mut app = App::new(
            Arc::clone(&lib),
            Vec::new(),
            &Prefs::default(),
            Lang::En,
            places.autosaves.clone(),
        );
        app.fixed_exam = Some(exam);
        app.form_mut().trainee = "Bench Trainee".into();
        let mut host = Host::new(places.clone()).with_saver(Saver::start());
        let fx = app.start(T0);
        host.execute(&mut app, &fx, T0);
        host.flush();
        let mut term = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
        let keys = cfg.n(8_000, 600);
        let key = |k: usize| {
            // Answer (1, then 2 on the next visit), then go on: half answers, half moves.
            let c = match k % 4 {
                0 => KeyCode::Char('1'),
                2 => KeyCode::Char('2'),
                _ => KeyCode::Tab,
            };
            KeyEvent::new(c, KeyModifiers::NONE)
        };
        let (w0, c0) = io_and_cpu().unwrap_or_default();
        for k in 0..keys {
            let now = T0 + 1_000 + i64::try_from(k).unwrap_or(0) * 10;
            let fx = app.handle_key(key(k), now);
            host.execute(&mut app, &fx, now);
            term.draw(|f| {
                ui::draw(f, &app, Display::default(), now);
            })
            .expect("draw");
        }
        host.flush();
        let (w1, c1) = io_and_cpu().unwrap_or_default();
        let bytes = (w1 - w0) as f64 / keys as f64;
        let cpu = (c1 - c0) / u32::try_from(keys).unwrap_or(1);
        per.push((n, bytes, cpu));
        t.add(
            "K",
            &format!("one key, {n} questions ({keys} keys: update, journal, board, frame)"),
            format!("{:.0} B written, {:.3} ms CPU", bytes, ms(cpu)),
            "-".into(),
            "-".into(),
            "<= 4 KiB",
            Some(bytes <= 4096.0),
        );
        // The whole-file autosave the journal replaced, once per key, for the same attempt.
        let state = app.session().expect("the attempt").state.clone();
        let old = cfg.n(200, 30);
        let (w0, c0) = io_and_cpu().unwrap_or_default();
        for _ in 0..old {
            places.autosaves.autosave(&state).expect("autosave");
        }
        let (w1, c1) = io_and_cpu().unwrap_or_default();
        t.add(
            "K",
            &format!("  before: whole-file autosave per key, {n} questions ({old} saves)"),
            format!(
                "{:.0} B written, {:.3} ms CPU",
                (w1 - w0) as f64 / old as f64,
                ms((c1 - c0) / u32::try_from(old).unwrap_or(1))
            ),
            "-".into(),
            "-".into(),
            "-",
            None,
        );
        drop(host);
        let _ = std::fs::remove_dir_all(&dir);
    }
    if let [(_, _, small), (_, _, big)] = per[..] {
        let r = big.as_secs_f64() / small.as_secs_f64().max(1e-9);
        t.add(
            "K",
            "CPU per key, 10,000 against 100 questions",
            x(r),
            "-".into(),
            "-".into(),
            "<= 1.5x",
            Some(r <= 1.5),
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().map(String::as_str) == Some("--empty") {
        return;
    }
    if args.first().map(String::as_str) == Some("gen-bank") {
        let n: usize = args
            .get(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(BANK_QUESTIONS);
        let out = args
            .get(2)
            .map_or_else(|| PathBuf::from("bank.toml"), PathBuf::from);
        std::fs::write(&out, genbank::bank(n)).expect("write bank");
        eprintln!("wrote {n} questions to {}", out.display());
        return;
    }
    if args.first().map(String::as_str) == Some("gen-records") {
        // Result files as the benchmark writes them (sealed, the store's exact bytes), for
        // measuring `tipquiz report` and `export` at scale: `gen-records N DIR [TRAINEES
        // [QUESTIONS]]` (one trainee per record, or the records shared among TRAINEES trainees;
        // papers of QUESTIONS questions of the one-language generated bank of 100 questions,
        // written beside DIR as DIR.bank.toml, instead of the sample bank's 6).
        let n: usize = args
            .get(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(common::RESULT_FILES);
        let out = args
            .get(2)
            .map_or_else(|| PathBuf::from("results"), PathBuf::from);
        // TRAINEES 0: one trainee per record.
        let trainees: Option<usize> = args.get(3).and_then(|s| s.parse().ok()).filter(|t| *t > 0);
        let questions: Option<usize> = args.get(4).and_then(|s| s.parse().ok());
        let lib = match questions {
            Some(_) => {
                let text = genbank::bank_in(100, genbank::Langs::En);
                let mut bank = out.clone().into_os_string();
                bank.push(".bank.toml");
                std::fs::write(&bank, &text).expect("write bank");
                let (b, _) = tipquiz::bank::parse_bank("generated.toml", &text);
                tipquiz::bank::Library::build(vec![b.expect("generated bank")]).0
            }
            None => common::sample_lib(),
        };
        common::write_papers_of(&lib, questions, &out, 0, n, trainees);
        eprintln!("wrote {n} records to {}", out.display());
        return;
    }
    let cfg = Cfg {
        quick: args.iter().any(|a| a == "--quick"),
    };
    let only: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let want = |s: &str| only.is_empty() || only.iter().any(|o| *o == s);
    let _ = load_shipped();
    let file = common::bank_file();
    let mut t = Table::default();
    let started = Instant::now();
    let bf = bank(&cfg, &mut t, &file);
    if want("startup") {
        startup(&cfg, &mut t, &file, &bf);
    }
    if want("frames") {
        frames(&cfg, &mut t);
    }
    if want("idle") {
        idle(&cfg, &mut t);
    }
    if want("results") {
        results(&cfg, &mut t);
    }
    if want("keys") {
        keys(&cfg, &mut t);
    }
    println!();
    t.print();
    println!(
        "\n{} budgets, {} failed; measured in {:.0} s{}",
        t.rows.iter().filter(|r| r.pass.is_some()).count(),
        t.failed(),
        started.elapsed().as_secs_f64(),
        if cfg.quick {
            " (quick mode: few iterations, figures are rough)"
        } else {
            ""
        }
    );
    if !cfg.quick && t.failed() > 0 {
        std::process::exit(1);
    }
}
