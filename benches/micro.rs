//! Criterion micro-benchmarks of the hot paths behind the budgets in `benches/budgets.rs`
//! (which prints the budget table; these track regressions with criterion's statistics).
//! The bank and report cases use 1,000 questions / files to keep a run short.
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

use common::{T0, genbank};
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tipquiz::bank::{parse_bank, parse_tree};
use tipquiz::record::Store;
use tipquiz::report::board::Board;
use tipquiz::text::Lang;
use tipquiz::tui::ui::{self, Display};
use tipquiz::walk::Walker;

/// The binary's allocator, so that floors and figures are measured alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bank(c: &mut Criterion) {
    let text = genbank::bank(1000);
    let mut g = c.benchmark_group("bank-1k");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.bench_function("toml_table", |b| {
        b.iter(|| toml::from_str::<toml::Table>(black_box(&text)).expect("toml"));
    });
    g.bench_function("parse_tree", |b| {
        b.iter(|| {
            let mut w = Walker::new("bank.toml", &text);
            black_box(parse_tree(&mut w, black_box(&text)));
        });
    });
    g.bench_function("parse_bank", |b| {
        b.iter(|| parse_bank("bank.toml", black_box(&text)).0.expect("bank"));
    });
    g.finish();
}

fn frame(c: &mut Criterion) {
    let lib = Arc::new(common::shipped_lib());
    let tmp = tempfile::tempdir().expect("tmp");
    let area = Rect::new(0, 0, 120, 40);
    let mut g = c.benchmark_group("frame-120x40");
    g.bench_function("all_cells_floor", |b| {
        b.iter(|| {
            let mut buf = Buffer::empty(area);
            for y in 0..area.height {
                for x in 0..area.width {
                    buf[(x, y)].set_symbol("x");
                }
            }
            black_box(buf)
        });
    });
    for (lang, name) in [(Lang::En, "question_en"), (Lang::Ar, "question_ar")] {
        let app = common::quiz_app(Arc::clone(&lib), "indicators", lang, tmp.path());
        let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        g.bench_function(name, |b| {
            b.iter(|| {
                term.draw(|f| {
                    ui::draw(f, &app, Display::default(), T0 + 500);
                })
                .expect("draw");
            });
        });
    }
    g.finish();
}

fn results(c: &mut Criterion) {
    let lib = common::sample_lib();
    let small = common::data_dir().join("results-1k");
    if std::fs::read_dir(&small).map_or(0, Iterator::count) != 1000 {
        let _ = std::fs::remove_dir_all(&small);
        common::write_records(&lib, &small, 0, 1000);
    }
    let mut g = c.benchmark_group("results");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.bench_function("read_floor_1k", |b| {
        b.iter(|| {
            let mut n = 0;
            for e in std::fs::read_dir(&small)
                .expect("dir")
                .filter_map(Result::ok)
            {
                n += std::fs::read(e.path()).expect("read").len();
            }
            black_box(n)
        });
    });
    let store = Store::new(&small);
    g.bench_function("report_1k", |b| {
        b.iter(|| {
            let loaded = store.load();
            let (good, bad) = tipquiz::report::integrity::screen(loaded.records, &lib, None);
            let r = tipquiz::report::build(&good, &bad, &lib, None, tipquiz::report::Which::First);
            black_box(tipquiz::report::render_table(&r))
        });
    });
    let big = common::results_dir(&lib);
    let mut board = Board::new(&big, None);
    board.refresh();
    let mut round = 0;
    g.bench_function("board_refresh_10k_plus_30", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                round += 1;
                let new = common::write_records(&lib, &big, 200_000 + round * 30, 30);
                let t = Instant::now();
                board.refresh();
                total += t.elapsed();
                for p in new {
                    std::fs::remove_file(p).expect("remove");
                }
                board.refresh();
            }
            total
        });
    });
    let cdir = common::data_dir().join("commits-criterion");
    let _ = std::fs::remove_dir_all(&cdir);
    std::fs::create_dir_all(&cdir).expect("dir");
    let cstore = Store::new(&cdir);
    let mut k = 0i64;
    g.bench_function("commit", |b| {
        b.iter_custom(|iters| {
            let recs: Vec<_> = (0..iters)
                .map(|_| {
                    k += 1;
                    common::record(&lib, &format!("c{k}"), T0 + k * 61_000)
                })
                .collect();
            let t = Instant::now();
            for r in &recs {
                cstore.commit(r, None).expect("commit");
            }
            t.elapsed()
        });
    });
    let session = common::finished(&lib, "autosave", T0);
    g.bench_function("autosave", |b| {
        b.iter(|| cstore.autosave(&session.state).expect("autosave"));
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&cdir);
}

criterion_group!(benches, bank, frame, results);
criterion_main!(benches);
