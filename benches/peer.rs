//! Issue 25's figures: tipquiz beside the peer quiz (termquiz, another ratatui quiz) on the same
//! generated questions, the two programs run in turn in one run; and tipquiz's own memory and
//! start-up spread. Run through `scripts/bench peer` (or `cargo bench --bench peer --
//! [--quick]`).
//!
//! The peer is never built or run by CI: set `TERMQUIZ` to its binary to measure it (see
//! BENCHMARKS.md). Without it, only tipquiz is measured and its figures are set beside the
//! peer's figures recorded in issue 25.
//!
//! Both programs get a 120x40 pseudo-terminal, a fresh data folder (tipquiz: `TIPQUIZ_DATA`,
//! its parsed-bank cache on and empty, as at a trainee's first start; the peer: a fresh copy of
//! its quiz folder) and the same questions: [`genbank::bank_in`] in English for tipquiz,
//! [`genbank::peer_markdown`] for the peer.
//!
//! - First question: exec until the question screen's key line (`quit`) is written. The peer
//!   opens on a preamble ("Press Enter to continue"); Enter is sent as soon as it is on screen,
//!   so its figure includes one key.
//! - Peak memory at the question screen: `VmHWM` of the process 300 ms after the question is
//!   on screen.
//! - CPU per key: Right and Left in turn, each sent once the previous key's frame has been
//!   written and the output has been quiet for 20 ms; the CPU time of every thread of the
//!   process (`/proc/PID/task/*/schedstat`, nanoseconds) over the keys, less what the process
//!   spends idle over as long (measured just before, on the same screen), divided by the keys.
//! - At the same moment as the peak: the process's threads (`/proc/PID/task`) and its anonymous
//!   memory (`Anonymous` of `/proc/PID/smaps_rollup`: heap, thread stacks, relocated data).
//!
//! `TIPQUIZ_BIN` names another tipquiz binary to measure than the one cargo built (a build of
//! another profile or commit); `TIPQUIZ_BEFORE` names a second one, run in turn with it and the
//! peer on the 100- and 1,000-question rounds (before and after a change, in one run).
//! `--side-by-side` runs only those rounds; `--runs=N` sets how many (15, 3 in quick mode).
#![allow(
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs
)]

mod common;

use common::{data_dir, genbank, open_pty};
use std::io::{Read as _, Write as _};
use std::os::fd::AsRawFd as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The binary's allocator, as in the other benchmarks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BUILT: &str = env!("CARGO_BIN_EXE_tipquiz");

/// The tipquiz binary measured: `TIPQUIZ_BIN`, else the one cargo built.
fn bin() -> PathBuf {
    std::env::var_os("TIPQUIZ_BIN").map_or_else(|| PathBuf::from(BUILT), PathBuf::from)
}

/// The peer's figures recorded in issue 25 (measured on this machine before this work), used
/// when the peer is not run: peak memory at the question screen at 100 and 1,000 questions
/// (MiB), first question at 100 (min and median, ms), CPU per key at 100 (ms).
const RECORDED: Recorded = Recorded {
    rss_100: 4.3,
    rss_1000: 46.0 / 4.2,
    first_min: 4.8,
    first_median: 5.5,
    key_cpu: 0.44,
};

struct Recorded {
    rss_100: f64,
    rss_1000: f64,
    first_min: f64,
    first_median: f64,
    key_cpu: f64,
}

/// One of the programs run in turn.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prog {
    Tipquiz,
    /// The tipquiz binary named by `TIPQUIZ_BEFORE`.
    Before,
    Peer,
}

/// What one run on the pseudo-terminal measured.
#[derive(Default)]
struct Run {
    first_question: Option<Duration>,
    peak_kib: Option<u64>,
    key_cpu: Option<Duration>,
    threads: Option<u64>,
    anon_kib: Option<u64>,
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// CPU time of every thread of `pid`, in nanoseconds.
fn cpu_ns(pid: u32) -> u64 {
    let mut sum = 0;
    for t in std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
    {
        if let Ok(s) = std::fs::read_to_string(t.path().join("schedstat")) {
            sum += s
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    sum
}

/// A `kB` field of a `/proc/PID/` file.
fn proc_kib(pid: u32, file: &str, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/{file}")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn peak_kib(pid: u32) -> Option<u64> {
    proc_kib(pid, "status", "VmHWM:")
}

fn threads(pid: u32) -> Option<u64> {
    Some(std::fs::read_dir(format!("/proc/{pid}/task")).ok()?.count() as u64)
}

/// A program on a pseudo-terminal, with what it has written so far.
struct OnPty {
    master: std::fs::File,
    child: Child,
    seen: Vec<u8>,
    from: usize,
    answered: [usize; 3],
}

impl OnPty {
    fn spawn(mut cmd: Command) -> OnPty {
        let (master, slave) = open_pty(120, 40);
        cmd.env("TERM", "xterm-256color")
            .stdin(Stdio::from(slave.try_clone().expect("dup")))
            .stdout(Stdio::from(slave.try_clone().expect("dup")))
            .stderr(Stdio::from(slave));
        let child = cmd.spawn().expect("spawn");
        OnPty {
            master,
            child,
            seen: Vec::new(),
            from: 0,
            answered: [0; 3],
        }
    }

    /// Read what is written within `ms` milliseconds; `false` when nothing came.
    fn read_some(&mut self, ms: i32) -> bool {
        let mut pfd = libc::pollfd {
            fd: self.master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&raw mut pfd, 1, ms) } <= 0 {
            return false;
        }
        let mut buf = [0u8; 65536];
        match self.master.read(&mut buf) {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.seen.extend_from_slice(&buf[..n]);
                self.answer_queries();
                true
            }
        }
    }

    /// Answer the queries a terminal answers, as xterm does (as in benches/budgets.rs).
    fn answer_queries(&mut self) {
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
            let asked = self.seen.windows(ask.len()).filter(|w| *w == ask).count();
            while self.answered[k] < asked {
                self.master.write_all(reply).expect("reply to a query");
                self.answered[k] += 1;
            }
        }
    }

    /// Wait until `marker` is written after what was already matched; `false` after 10 s.
    fn wait_for(&mut self, marker: &str) -> bool {
        let t = Instant::now();
        let m = marker.as_bytes();
        loop {
            if let Some(i) = self.seen[self.from..].windows(m.len()).position(|w| w == m) {
                self.from += i + m.len();
                return true;
            }
            if t.elapsed() > Duration::from_secs(10) {
                eprintln!(
                    "  {marker:?} not seen; output was:\n{}",
                    String::from_utf8_lossy(&self.seen)
                );
                return false;
            }
            self.read_some(100);
        }
    }

    /// Read until the output has been quiet for `ms` milliseconds (at most 2 s).
    fn settle(&mut self, ms: i32) {
        let t = Instant::now();
        while self.read_some(ms) && t.elapsed() < Duration::from_secs(2) {}
    }

    fn send(&mut self, bytes: &[u8]) {
        self.master.write_all(bytes).expect("send a key");
    }
}

impl Drop for OnPty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The files one size needs: tipquiz's bank and the peer's quiz folder template.
struct Files {
    bank: PathBuf,
    quiz: String,
}

fn files(n: usize) -> Files {
    let dir = data_dir().join("peer");
    std::fs::create_dir_all(&dir).expect("peer dir");
    let bank = dir.join(format!("bank-en-{n}.toml"));
    std::fs::write(&bank, genbank::bank_in(n, genbank::Langs::En)).expect("write bank");
    Files {
        bank,
        quiz: genbank::peer_markdown(n),
    }
}

/// The command that opens `prog` on the quiz of `f`, in a fresh data folder `data`.
fn command(prog: Prog, peer: &Path, f: &Files, count: usize, data: &Path) -> Command {
    let _ = std::fs::remove_dir_all(data);
    std::fs::create_dir_all(data).expect("data dir");
    match prog {
        Prog::Tipquiz | Prog::Before => {
            let mut c = Command::new(if prog == Prog::Before {
                std::env::var_os("TIPQUIZ_BEFORE").map_or_else(bin, PathBuf::from)
            } else {
                bin()
            });
            c.args(["take", "--only-given-banks", "--bank"])
                .arg(&f.bank)
                .args(["--topic", genbank::TOPIC, "--count"])
                .arg(count.to_string())
                .args(["--time", "60m", "--trainee", "bench", "--lang", "en"])
                .env("TIPQUIZ_DATA", data)
                .env("TIPQUIZ_RESULTS", data.join("results"))
                .env("TIPQUIZ_NO_CALIBRATION", "1")
                .env_remove("TIPQUIZ_NO_CACHE");
            c
        }
        Prog::Peer => {
            std::fs::write(data.join("quiz.md"), &f.quiz).expect("quiz file");
            let mut c = Command::new(peer);
            c.arg(data).env("HOME", data);
            c
        }
    }
}

/// One run: first question, peak memory, and (when `keys` > 0) CPU per key. tipquiz draws
/// `count` questions of the bank (the peer always shows them all).
fn run(prog: Prog, peer: &Path, f: &Files, count: usize, keys: usize) -> Run {
    let data = data_dir().join("peer").join(match prog {
        Prog::Tipquiz => "data-tipquiz",
        Prog::Before => "data-before",
        Prog::Peer => "data-peer",
    });
    let cmd = command(prog, peer, f, count, &data);
    let t = Instant::now();
    let mut p = OnPty::spawn(cmd);
    let mut out = Run::default();
    let seen = match prog {
        Prog::Tipquiz | Prog::Before => p.wait_for("Loading") && p.wait_for("quit"),
        Prog::Peer => {
            p.wait_for("Press Enter to continue") && {
                p.send(b"\r");
                p.wait_for("quit")
            }
        }
    };
    if !seen {
        return out;
    }
    out.first_question = Some(t.elapsed());
    p.settle(300);
    let pid = p.child.id();
    out.peak_kib = peak_kib(pid);
    out.threads = threads(pid);
    out.anon_kib = proc_kib(pid, "smaps_rollup", "Anonymous:");
    if keys == 0 {
        return out;
    }
    // Idle on the question screen, then the keys, each waited for.
    let idle_for = Duration::from_secs(2);
    let (c0, t0) = (cpu_ns(pid), Instant::now());
    std::thread::sleep(idle_for);
    p.settle(5);
    let idle_rate = (cpu_ns(pid) - c0) as f64 / t0.elapsed().as_secs_f64();
    let (c1, t1) = (cpu_ns(pid), Instant::now());
    for k in 0..keys {
        p.send(if k % 2 == 0 { b"\x1b[C" } else { b"\x1b[D" });
        p.read_some(500);
        p.settle(20);
    }
    let busy = (cpu_ns(pid) - c1) as f64 - idle_rate * t1.elapsed().as_secs_f64();
    out.key_cpu = Some(Duration::from_nanos((busy.max(0.0) / keys as f64) as u64));
    out
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn sorted<T: Ord + Copy>(v: &[Option<T>]) -> Vec<T> {
    let mut s: Vec<T> = v.iter().flatten().copied().collect();
    s.sort();
    s
}

fn median<T: Copy>(s: &[T]) -> Option<T> {
    s.get(s.len() / 2).copied()
}

fn quantile<T: Copy>(s: &[T], q: f64) -> Option<T> {
    if s.is_empty() {
        return None;
    }
    Some(s[((s.len() - 1) as f64 * q).round() as usize])
}

/// Peak RSS in KiB of `tipquiz args` (by `/usr/bin/time -f %M`).
fn peak_rss_of(args: &[&std::ffi::OsStr]) -> Option<u64> {
    let out = data_dir().join("peer").join("time.out");
    let st = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&out)
        .arg(bin())
        .args(args)
        .env("TIPQUIZ_NO_CACHE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    if !st.success() {
        return None;
    }
    std::fs::read_to_string(&out)
        .ok()?
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

struct Row {
    what: String,
    tipquiz: String,
    peer: String,
    ratio: String,
    goal: &'static str,
    pass: Option<bool>,
}

impl Row {
    /// A row of the tipquiz binary named by `TIPQUIZ_BEFORE`: its figure `before` (shown as
    /// `shown` does, `missing` when it was not seen) and this binary's `after` over it.
    fn before(
        what: String,
        after: Option<f64>,
        before: Option<f64>,
        shown: impl Fn(f64) -> String,
        missing: &str,
    ) -> Row {
        Row {
            what,
            tipquiz: before.map_or(missing.into(), shown),
            peer: "-".into(),
            ratio: after.zip(before).map_or("-".into(), |(t, b)| {
                format!("{:.2}x (after / before)", t / b)
            }),
            goal: "-",
            pass: None,
        }
    }
}

fn verdict(p: Option<bool>) -> &'static str {
    match p {
        Some(true) => "PASS",
        Some(false) => "MISS",
        None => "info",
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let quick = args.iter().any(|a| a == "--quick");
    let runs = args
        .iter()
        .find_map(|a| a.strip_prefix("--runs="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(if quick { 3 } else { 15 });
    let peer = std::env::var_os("TERMQUIZ")
        .map(PathBuf::from)
        .filter(|p| p.is_file());
    let peer_path = peer.clone().unwrap_or_default();
    let load_before = loadavg();
    let started = Instant::now();
    eprintln!(
        "peer: {}; load average {load_before}",
        peer.as_ref().map_or_else(
            || "not given (TERMQUIZ): tipquiz only, beside the figures recorded in issue 25"
                .to_owned(),
            |p| p.display().to_string()
        )
    );
    let side_by_side = args.iter().any(|a| a == "--side-by-side");
    let before = std::env::var_os("TIPQUIZ_BEFORE").is_some();
    let mut progs = vec![Prog::Tipquiz];
    if before {
        progs.push(Prog::Before);
    }
    if peer.is_some() {
        progs.push(Prog::Peer);
    }
    eprintln!(
        "tipquiz: {}{}",
        bin().display(),
        std::env::var("TIPQUIZ_BEFORE").map_or(String::new(), |b| format!("; before: {b}"))
    );
    let mut rows: Vec<Row> = Vec::new();
    let ratio_row = |what: String,
                     t: Option<f64>,
                     p: Option<f64>,
                     unit: &str,
                     goal: &'static str,
                     limit: Option<f64>,
                     measured: bool| {
        let r = t.zip(p).map(|(t, p)| t / p);
        Row {
            what,
            tipquiz: t.map_or("not seen".into(), |v| format!("{v:.2} {unit}")),
            peer: p.map_or("-".into(), |v| {
                format!("{v:.2} {unit}{}", if measured { "" } else { " (recorded)" })
            }),
            ratio: r.map_or("-".into(), |r| format!("{r:.2}x")),
            goal,
            pass: limit.and_then(|l| r.map(|r| r <= l)),
        }
    };

    // 100 and 1,000 questions, the programs in turn.
    for n in [100usize, 1000] {
        let f = files(n);
        let mut got: Vec<(Prog, Vec<Run>)> = progs.iter().map(|p| (*p, Vec::new())).collect();
        for r in 0..runs {
            for (prog, v) in &mut got {
                let keys = if n == 100 && r < runs.min(5) { 100 } else { 0 };
                v.push(run(*prog, &peer_path, &f, n, keys));
            }
        }
        let of = |prog: Prog| got.iter().find(|(p, _)| *p == prog).map(|(_, v)| v);
        let peak = |prog: Prog| {
            of(prog)
                .and_then(|v| median(&sorted(&v.iter().map(|r| r.peak_kib).collect::<Vec<_>>())))
        };
        let (tp, pp) = (peak(Prog::Tipquiz).map(mib), peak(Prog::Peer).map(mib));
        let (pp, measured) = match pp {
            Some(v) => (Some(v), true),
            None => (
                Some(if n == 100 {
                    RECORDED.rss_100
                } else {
                    RECORDED.rss_1000
                }),
                false,
            ),
        };
        rows.push(ratio_row(
            format!("peak memory at the question screen, {n} questions (median of {runs})"),
            tp,
            pp,
            "MiB",
            "<= 1.5x",
            Some(1.5),
            measured,
        ));
        let med_of = |prog: Prog, pick: fn(&Run) -> Option<u64>| {
            of(prog).and_then(|v| median(&sorted(&v.iter().map(pick).collect::<Vec<_>>())))
        };
        if before {
            rows.push(Row::before(
                format!("the same, tipquiz before (TIPQUIZ_BEFORE), {n} questions"),
                tp,
                peak(Prog::Before).map(mib),
                |v| format!("{v:.2} MiB"),
                "not seen",
            ));
        }
        let shown = |prog: Prog, pick: fn(&Run) -> Option<u64>, kib: bool| {
            med_of(prog, pick).map_or("-".into(), |v| {
                if kib {
                    format!("{:.2} MiB", mib(v))
                } else {
                    v.to_string()
                }
            })
        };
        for (label, pick, kib) in [
            (
                "anonymous memory at the question screen (smaps_rollup), median",
                (|r: &Run| r.anon_kib) as fn(&Run) -> Option<u64>,
                true,
            ),
            ("threads at the question screen", |r: &Run| r.threads, false),
        ] {
            let b = if before {
                format!(" (before: {})", shown(Prog::Before, pick, kib))
            } else {
                String::new()
            };
            rows.push(Row {
                what: format!("{label}, {n} questions"),
                tipquiz: format!("{}{b}", shown(Prog::Tipquiz, pick, kib)),
                peer: shown(Prog::Peer, pick, kib),
                ratio: "-".into(),
                goal: "-",
                pass: None,
            });
        }
        if n == 100 {
            rows.push(Row {
                what: "the same, absolute".into(),
                tipquiz: tp.map_or("not seen".into(), |v| format!("{v:.2} MiB")),
                peer: "-".into(),
                ratio: "-".into(),
                goal: "<= 8 MiB",
                pass: tp.map(|v| v <= 8.0),
            });
            let firsts = |prog: Prog| {
                of(prog).map(|v| sorted(&v.iter().map(|r| r.first_question).collect::<Vec<_>>()))
            };
            let tf = firsts(Prog::Tipquiz).unwrap_or_default();
            let pf = firsts(Prog::Peer);
            for (label, pick, rec) in [
                ("min", 0.0, RECORDED.first_min),
                ("median", 0.5, RECORDED.first_median),
            ] {
                let t = quantile(&tf, pick).map(ms);
                let (p, measured) = match pf.as_deref().and_then(|s| quantile(s, pick)) {
                    Some(d) => (Some(ms(d)), true),
                    None => (Some(rec), false),
                };
                rows.push(ratio_row(
                    format!("first question, {n} questions, {label} of {runs}"),
                    t,
                    p,
                    "ms",
                    "<= 1.2x",
                    Some(1.2),
                    measured,
                ));
            }
            if before {
                let bf = firsts(Prog::Before).unwrap_or_default();
                for (label, pick) in [("min", 0.0), ("median", 0.5)] {
                    rows.push(Row::before(
                        format!("first question, {n} questions, {label}: tipquiz before"),
                        quantile(&tf, pick).map(ms),
                        quantile(&bf, pick).map(ms),
                        |v| format!("{v:.2} ms"),
                        "-",
                    ));
                }
            }
            let p95 = quantile(&tf, 0.95).map(ms);
            rows.push(Row {
                what: format!("first question, {n} questions: tipquiz p95 / median"),
                tipquiz: p95.map_or("-".into(), |v| format!("{v:.2} ms")),
                peer: "-".into(),
                ratio: p95
                    .zip(quantile(&tf, 0.5).map(ms))
                    .map_or("-".into(), |(a, b)| format!("{:.2}x", a / b)),
                goal: "<= 2x",
                pass: p95
                    .zip(quantile(&tf, 0.5).map(ms))
                    .map(|(a, b)| a / b <= 2.0),
            });
            let keys = |prog: Prog| {
                of(prog)
                    .and_then(|v| median(&sorted(&v.iter().map(|r| r.key_cpu).collect::<Vec<_>>())))
            };
            let (tk, pk) = (keys(Prog::Tipquiz).map(ms), keys(Prog::Peer).map(ms));
            let (pk, measured) = match pk {
                Some(v) => (Some(v), true),
                None => (Some(RECORDED.key_cpu), false),
            };
            rows.push(ratio_row(
                format!(
                    "CPU per key (Right/Left), {n} questions, median of {}",
                    runs.min(5)
                ),
                tk,
                pk,
                "ms",
                "<= 1.5x",
                Some(1.5),
                measured,
            ));
        }
    }

    if side_by_side {
        print_rows(&rows, &load_before, started, quick);
        return;
    }
    // tipquiz alone: the start-up spread at 10,000 questions (cold: fresh data folder, cache
    // on and empty) and CPU per key there.
    let f = files(10_000);
    let cold: Vec<Run> = (0..if quick { 5 } else { 20 })
        .map(|_| run(Prog::Tipquiz, &peer_path, &f, 5, 0))
        .collect();
    let long: Vec<Run> = (0..3)
        .map(|_| run(Prog::Tipquiz, &peer_path, &f, 10_000, 100))
        .collect();
    let s = sorted(&cold.iter().map(|r| r.first_question).collect::<Vec<_>>());
    let (med, p95, max) = (
        median(&s).map(ms),
        quantile(&s, 0.95).map(ms),
        s.last().copied().map(ms),
    );
    rows.push(Row {
        what: format!(
            "first question of 5 from a 10,000-question bank (one language), cold, {} runs: p95 / median (max {:.1} ms)",
            s.len(),
            max.unwrap_or(0.0)
        ),
        tipquiz: format!(
            "median {:.1} ms, p95 {:.1} ms",
            med.unwrap_or(0.0),
            p95.unwrap_or(0.0)
        ),
        peer: "-".into(),
        ratio: med
            .zip(p95)
            .map_or("-".into(), |(m, p)| format!("{:.2}x", p / m)),
        goal: "<= 2x",
        pass: med.zip(p95).map(|(m, p)| p / m <= 2.0),
    });
    let k10 = median(&sorted(&long.iter().map(|r| r.key_cpu).collect::<Vec<_>>())).map(ms);
    let p10 = median(&sorted(
        &long.iter().map(|r| r.peak_kib).collect::<Vec<_>>(),
    ))
    .map(mib);
    rows.push(Row {
        what: "peak memory at the question screen, a 10,000-question quiz (median of 3)".into(),
        tipquiz: p10.map_or("-".into(), |v| format!("{v:.2} MiB")),
        peer: "-".into(),
        ratio: "-".into(),
        goal: "-",
        pass: None,
    });
    rows.push(Row {
        what: "CPU per key (Right/Left), a 10,000-question quiz, median of 3".into(),
        tipquiz: k10.map_or("-".into(), |v| format!("{v:.2} ms")),
        peer: "-".into(),
        ratio: "-".into(),
        goal: "flat from 100 (within 1.5x)",
        pass: None,
    });

    // Memory of short commands.
    let version = peak_rss_of(&["--version".as_ref()]);
    rows.push(Row {
        what: "peak memory of `tipquiz --version`".into(),
        tipquiz: version.map_or("-".into(), |k| format!("{:.2} MiB", mib(k))),
        peer: "-".into(),
        ratio: "-".into(),
        goal: "-",
        pass: None,
    });
    let dir = data_dir().join("peer");
    for (label, langs) in [
        ("one-language", genbank::Langs::En),
        ("bilingual", genbank::Langs::Both),
    ] {
        let p = dir.join(format!("check-{label}-10000.toml"));
        std::fs::write(&p, genbank::bank_in(10_000, langs)).expect("bank");
        let size = std::fs::metadata(&p).expect("bank").len();
        let peak = peak_rss_of(&["check".as_ref(), p.as_os_str()]);
        let r = peak.map(|k| k as f64 * 1024.0 / size as f64);
        rows.push(Row {
            what: format!("peak memory of `tipquiz check`, {label} 10,000-question bank"),
            tipquiz: peak.map_or("-".into(), |k| {
                format!(
                    "{:.1} MiB (file {:.1} MiB)",
                    mib(k),
                    size as f64 / 1048576.0
                )
            }),
            peer: "-".into(),
            ratio: r.map_or("-".into(), |r| format!("{r:.2}x file size")),
            goal: "<= 10x",
            pass: r.map(|r| r <= 10.0),
        });
    }

    print_rows(&rows, &load_before, started, quick);
}

fn print_rows(rows: &[Row], load_before: &str, started: Instant, quick: bool) {
    println!(
        "\nload average before {load_before}, after {}; {:.0} s{}\n",
        loadavg(),
        started.elapsed().as_secs_f64(),
        if quick {
            " (quick mode: few runs, rough figures)"
        } else {
            ""
        }
    );
    println!("| measurement | tipquiz | peer (termquiz) | ratio | goal | result |");
    println!("|---|---|---|---|---|---|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            r.what,
            r.tipquiz,
            r.peer,
            r.ratio,
            r.goal,
            verdict(r.pass)
        );
    }
}
