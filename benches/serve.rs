//! `tipquiz serve` under a class: N scripted SSH sessions (russh clients) against the release
//! server on 127.0.0.1, taking the shipped final assessment (30 questions, a 40-minute
//! countdown redrawn every second).
//!
//! Figures: session set-up (connect, class code, pty, shell, first frame with the home screen),
//! key press to screen update (a key sent, until the first bytes of the frame it causes),
//! server memory per session (resident size with N sessions on a question, less the size
//! before any), and server CPU with N sessions idle on a question (over 10 s).
//!
//! For the idle phase it also prints, per session and second: CPU in µs, wake-ups (context
//! switches of all the server's threads), frames and bytes received by the client; with
//! `TIPQUIZ_BENCH_PERF=1`, `perf stat` of the server over that phase (CPU time, and instructions
//! where the machine counts them); with `TIPQUIZ_BENCH_CALLGRIND=FILE`, the server runs under
//! callgrind and the instructions of the idle phase alone are printed (a count that does not
//! depend on the machine's load; the dump is FILE.N for `callgrind_annotate`).
//!
//!   cargo bench --bench serve                 100 sessions
//!   cargo bench --bench serve -- --quick      10 sessions, shorter

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use russh::ChannelMsg;
use russh::client;
use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CODE: &str = "271828";

struct Accept;

impl client::Handler for Accept {
    type Error = russh::Error;
    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

struct Trainee {
    channel: russh::Channel<client::Msg>,
    _handle: client::Handle<Accept>,
    seen: String,
}

impl Trainee {
    /// Wait until the bytes received since the last call contain `text`.
    async fn wait_for(&mut self, text: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_mins(2);
        while !self.seen.contains(text) {
            match tokio::time::timeout_at(deadline, self.channel.wait()).await {
                Ok(Some(ChannelMsg::Data { data })) => {
                    self.seen.push_str(&String::from_utf8_lossy(&data));
                }
                Ok(Some(_)) => {}
                _ => panic!("waiting for {text:?}"),
            }
        }
        self.seen.clear();
    }

    /// Send `key` and wait for the first bytes drawn after it.
    async fn key_to_update(&mut self, key: &[u8]) -> Duration {
        // Drop what was already sent (countdown ticks) so that the reply is the key's frame.
        while let Ok(Some(_)) =
            tokio::time::timeout(Duration::from_millis(1), self.channel.wait()).await
        {}
        let t = Instant::now();
        self.channel.data_bytes(key.to_vec()).await.unwrap();
        loop {
            match tokio::time::timeout(Duration::from_secs(30), self.channel.wait()).await {
                Ok(Some(ChannelMsg::Data { .. })) => return t.elapsed(),
                Ok(Some(_)) => {}
                _ => panic!("no update after a key"),
            }
        }
    }
}

async fn join(port: u16, name: String) -> (Trainee, Duration) {
    let t0 = Instant::now();
    let config = Arc::new(client::Config::default());
    let mut handle = client::connect(config, ("127.0.0.1", port), Accept)
        .await
        .unwrap();
    assert!(
        handle
            .authenticate_password("class", CODE)
            .await
            .unwrap()
            .success()
    );
    let channel = handle.channel_open_session().await.unwrap();
    channel
        .request_pty(true, "xterm-256color", 120, 40, 0, 0, &[])
        .await
        .unwrap();
    channel.request_shell(true).await.unwrap();
    let mut t = Trainee {
        channel,
        _handle: handle,
        seen: String::new(),
    };
    t.wait_for("Trainee").await;
    let setup = t0.elapsed();
    t.channel
        .data_bytes(format!("{name}\r").into_bytes())
        .await
        .unwrap();
    t.wait_for("Question 1 / 30").await;
    (t, setup)
}

fn rss_kib(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// User + system CPU time of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 14th field.
    let after = s.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<&str> = after.split_whitespace().collect();
    let n = |i: usize| f.get(i).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
    n(11) + n(12)
}

/// Context switches of every thread of a process, voluntary and not: each is a thread that
/// went to sleep (or was put aside), so their sum counts the process's wake-ups.
fn wakeups(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .flatten()
        .map(|t| {
            let s = std::fs::read_to_string(t.path().join("status")).unwrap_or_default();
            s.lines()
                .filter(|l| l.contains("ctxt_switches:"))
                .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum::<u64>()
        })
        .sum()
}

/// `perf stat` of the server for `secs` seconds (instructions and CPU time, which a loaded
/// machine changes little), when `TIPQUIZ_BENCH_PERF` is set and perf is installed.
fn perf_stat(pid: u32, secs: u64) -> Option<std::process::Child> {
    std::env::var_os("TIPQUIZ_BENCH_PERF")?;
    Command::new("perf")
        .args([
            "stat",
            "-x",
            ";",
            "-e",
            "instructions:u,instructions:k,task-clock",
        ])
        .args(["-p", &pid.to_string(), "--", "sleep", &secs.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .ok()
}

/// The machine's load average over the last minute (what else competed for the cores).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn pct(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = (((v.len() as f64) * p).ceil() as usize).clamp(1, v.len()) - 1;
    v[i].as_secs_f64() * 1000.0
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let n: usize = if quick { 10 } else { 100 };
    let keys_each: usize = if quick { 5 } else { 20 };
    let bin = std::env::var("TIPQUIZ_BIN").unwrap_or_else(|_| "target/release/tipquiz".into());
    let load_before = load_average();
    let dir = tempfile::tempdir().unwrap();
    // TIPQUIZ_BENCH_CALLGRIND=FILE: the server runs under valgrind's callgrind, and the
    // instructions of the idle phase alone are counted (FILE.N: the dump of the idle phase, for
    // callgrind_annotate). Instructions do not depend on what else the machine runs.
    let callgrind = std::env::var("TIPQUIZ_BENCH_CALLGRIND").ok();
    let mut server = match &callgrind {
        Some(out) => {
            let mut c = Command::new("valgrind");
            c.args(["--tool=callgrind", "--instr-atstart=no", "--quiet"])
                .arg(format!("--callgrind-out-file={out}"))
                .arg(&bin);
            c
        }
        None => Command::new(&bin),
    };
    let mut child = server
        .args([
            "serve",
            "--exam",
            "final-assessment",
            "--listen",
            "127.0.0.1",
        ])
        .args(["--port", "0", "--code", CODE, "--max-sessions", "500"])
        .arg("--dir")
        .arg(dir.path().join("srv"))
        .arg("--results")
        .arg(dir.path().join("results"))
        .env("TIPQUIZ_DATA", dir.path().join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run scripts/bench (or cargo build --release) first");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    while !banner.contains("TIPQUIZ_KEY_FILE=") {
        let mut line = String::new();
        assert!(
            out.read_line(&mut line).unwrap_or(0) > 0,
            "the server ended: {banner}"
        );
        banner.push_str(&line);
    }
    std::thread::spawn(move || {
        let mut s = String::new();
        while out.read_line(&mut s).unwrap_or(0) > 0 {
            s.clear();
        }
    });
    let port: u16 = banner
        .split("ssh -p ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .unwrap();
    let pid = child.id();
    std::thread::sleep(Duration::from_millis(300));
    let rss0 = rss_kib(pid);

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let t0 = Instant::now();
    let joined: Vec<(Trainee, Duration)> = rt.block_on(async {
        let tasks: Vec<_> = (0..n)
            .map(|i| tokio::spawn(join(port, format!("Bench trainee {i:03}"))))
            .collect();
        let mut v = Vec::new();
        for t in tasks {
            v.push(t.await.unwrap());
        }
        v
    });
    let all_in = t0.elapsed();
    let mut setups: Vec<Duration> = joined.iter().map(|j| j.1).collect();
    let mut trainees: Vec<Trainee> = joined.into_iter().map(|j| j.0).collect();
    std::thread::sleep(Duration::from_secs(1));
    let rss_n = rss_kib(pid);

    // Idle: every session on a question with its countdown, nobody typing.
    let idle_secs = if quick { 3 } else { 10 };
    // Frames sent while nobody read (the second above) are not the idle phase's.
    rt.block_on(async {
        for t in &mut trainees {
            while let Ok(Some(_)) =
                tokio::time::timeout(Duration::from_millis(1), t.channel.wait()).await
            {}
        }
    });
    let perf = perf_stat(pid, idle_secs);
    let control = |what: &str| {
        if callgrind.is_some() {
            let _ = Command::new("callgrind_control")
                .args([what, &pid.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    };
    control("--instr=on");
    let c0 = cpu_ticks(pid);
    let k0 = wakeups(pid);
    let w0 = Instant::now();
    // Keep the clients reading, so that the server's frames are consumed as a terminal would;
    // count the frames (SSH data messages) and bytes each receives.
    let (frames, bytes) = rt.block_on(async {
        let until = tokio::time::Instant::now() + Duration::from_secs(idle_secs);
        let mut tasks = Vec::new();
        for mut t in trainees.drain(..) {
            tasks.push(tokio::spawn(async move {
                let (mut frames, mut bytes) = (0_u64, 0_u64);
                while let Ok(Some(m)) = tokio::time::timeout_at(until, t.channel.wait()).await {
                    if let ChannelMsg::Data { data } = m {
                        frames += 1;
                        bytes += data.len() as u64;
                    }
                }
                (t, frames, bytes)
            }));
        }
        let (mut frames, mut bytes) = (0, 0);
        for task in tasks {
            let (t, f, b) = task.await.unwrap();
            trainees.push(t);
            frames += f;
            bytes += b;
        }
        (frames, bytes)
    });
    let wall = w0.elapsed().as_secs_f64();
    let woke = wakeups(pid) - k0;
    control("--dump");
    control("--instr=off");
    let instructions = callgrind.as_ref().and_then(|out| {
        // The newest dump is the idle phase's.
        let dir = std::path::Path::new(out)
            .parent()
            .filter(|p| !p.as_os_str().is_empty());
        let dir = dir.unwrap_or(std::path::Path::new("."));
        let name = std::path::Path::new(out)
            .file_name()?
            .to_string_lossy()
            .into_owned();
        let newest = std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{name}."))
            })
            .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())?;
        let text = std::fs::read_to_string(newest.path()).ok()?;
        text.lines()
            .find_map(|l| {
                l.strip_prefix("summary: ")
                    .or_else(|| l.strip_prefix("totals: "))
            })
            .and_then(|n| n.trim().parse::<u64>().ok())
    });
    let perf = perf.and_then(|p| p.wait_with_output().ok()).map(|o| {
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .filter(|l| !l.contains("<not"))
            .filter_map(|l| {
                let f: Vec<&str> = l.split(';').collect();
                Some(format!("{} {}", f.first()?, f.get(2)?))
            })
            .collect::<Vec<_>>()
            .join(", ")
    });
    // SAFETY: sysconf is a plain query.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1);
    #[allow(clippy::cast_precision_loss)]
    let idle_cpu = (cpu_ticks(pid) - c0) as f64 / hz as f64 / wall * 100.0;

    // Keys: every session presses Right and Left in turn, all at once.
    let mut lat: Vec<Duration> = rt.block_on(async {
        let mut tasks = Vec::new();
        for mut t in trainees.drain(..) {
            tasks.push(tokio::spawn(async move {
                let mut v = Vec::new();
                for k in 0..keys_each {
                    let key: &[u8] = if k % 2 == 0 { b"\x1b[C" } else { b"\x1b[D" };
                    v.push(t.key_to_update(key).await);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                v
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        all
    });
    let _ = child.kill();
    let _ = child.wait();

    #[allow(clippy::cast_precision_loss)]
    let per_session_mib = (rss_n.saturating_sub(rss0)) as f64 / 1024.0 / n as f64;
    println!(
        "serve, {n} sessions (shipped final assessment, 120x40, countdown on); load average {load_before} before, {} after:",
        load_average()
    );
    println!(
        "  session set-up (connect to first frame): p50 {:.1} ms, p99 {:.1} ms; all {n} in {:.2} s",
        pct(&mut setups, 0.5),
        pct(&mut setups, 0.99),
        all_in.as_secs_f64()
    );
    println!(
        "  key press to screen update ({} keys): p50 {:.1} ms, p99 {:.1} ms  (goal p99 <= 50 ms)",
        lat.len(),
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.99)
    );
    println!(
        "  server memory: {:.1} MiB before, {:.1} MiB with {n} sessions: {per_session_mib:.2} MiB per session  (goal <= 2 MiB)",
        rss0 as f64 / 1024.0,
        rss_n as f64 / 1024.0
    );
    #[allow(clippy::cast_precision_loss)]
    let per = |x: u64| x as f64 / n as f64 / wall;
    println!(
        "  server CPU, {n} sessions idle on a question for {idle_secs} s: {idle_cpu:.2} % of one core  (goal <= 1 %)"
    );
    println!(
        "    per session and second: {:.0} µs of CPU, {:.2} wake-ups (context switches), {:.2} frames, {:.0} bytes",
        idle_cpu / 100.0 / n as f64 * 1e6,
        per(woke),
        per(frames),
        per(bytes)
    );
    if let Some(p) = perf {
        println!("    perf stat over the idle phase: {p}");
    }
    if let Some(i) = instructions {
        println!(
            "    callgrind over the idle phase: {i} instructions, {:.0} per session and second (the server ran under valgrind: its CPU figures above are valgrind's)",
            per(i)
        );
    }
}
