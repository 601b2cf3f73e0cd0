//! `tipquiz preview`: a bank's questions as a trainee sees them, with the answer key, the
//! explanation and the source; `--watch` reloads on change and shows the problems while the file
//! is invalid.

use super::app::{App, Prefs};
use super::ui::{self, Display};
use crate::bank::cache::BankCache;
use crate::bank::{Library, read_source};
use crate::exam::{ExamDef, Mode, Pool};
use crate::quiz::Session;
use crate::record::Store;
use crate::text::Lang;
use crossterm::event::{self, Event};
use ratatui::widgets::{Paragraph, Wrap};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// What the preview shows: the bank's questions, or the file's problems.
pub enum View {
    /// Questions in file order, every answer key shown.
    Questions(Box<App>),
    /// The problems that keep the file from loading.
    Problems(String),
}

/// Load `path` into a view (through the parsed-bank cache `cache`, if any), keeping the
/// question `keep` on screen when it still exists.
#[must_use]
pub fn load(path: &Path, keep: Option<&str>, lang: Lang, cache: Option<&BankCache>) -> View {
    let src = match read_source(path) {
        Ok(Ok(s)) => s,
        Ok(Err(d)) => return View::Problems(d.render_in(lang)),
        Err(e) => return View::Problems(e.message().render(lang)),
    };
    let (bank, diags) = crate::bank::cache::parse_bank_cached(&src.name, &src.text, cache);
    let Some(bank) = bank else {
        return View::Problems(crate::diag::render_all_in(&diags, lang));
    };
    let ids: Vec<String> = bank.questions.iter().map(|q| q.id.clone()).collect();
    let (lib, d) = Library::build(vec![bank]);
    if !d.is_empty() {
        return View::Problems(crate::diag::render_all_in(&d, lang));
    }
    let mut exam = ExamDef::quick(&[], ids.len(), None, Mode::Practice);
    exam.id = "preview".into();
    exam.title = crate::text::Text::from_pairs([("en", "Preview"), ("ar", "معاينة")]);
    exam.shuffle_questions = false;
    exam.pools = vec![Pool {
        topic: None,
        tags: Vec::new(),
        difficulty: Vec::new(),
        questions: ids.clone(),
        count: ids.len(),
    }];
    let lib = Arc::new(lib);
    let Ok(mut s) = Session::start(&exam, &lib, "preview", 1, lang, 0) else {
        return View::Problems(
            crate::messages::Msg::from(crate::messages::K::NoQuestions).render(lang),
        );
    };
    for slot in &mut s.state.slots {
        slot.checked = true;
        slot.locked = true;
    }
    if let Some(i) = keep.and_then(|k| s.questions.iter().position(|q| q.id == k)) {
        s.state.current = i;
    }
    let mut app = App::new(
        lib,
        Vec::new(),
        &Prefs::default(),
        lang,
        Store::new(std::env::temp_dir()),
    );
    app.session = Some(s);
    app.preview = true;
    app.screen = super::app::Screen::Quiz;
    app.enter_question();
    View::Questions(Box::new(app))
}

fn mtime(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Run the preview until `q` or Esc. Returns the exit code (1 when the file is invalid at exit).
/// Without `watch`, an invalid file is not shown: its problems go to `report` (the command
/// line's error writer) and the code is 1.
///
/// # Errors
/// When the terminal cannot be used.
pub fn run(
    path: &Path,
    question: Option<&str>,
    watch: bool,
    lang: Lang,
    d: Display,
    cache: Option<&BankCache>,
    report: &dyn Fn(&str),
) -> std::io::Result<u8> {
    let mut view = load(path, question, lang, cache);
    if !watch && let View::Problems(p) = &view {
        report(p);
        return Ok(1);
    }
    let mut seen = mtime(path);
    let signal = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    super::terminal::watch_signals(std::sync::Arc::clone(&signal));
    let mut terminal = super::terminal::enter(d.mode)?;
    let result = (|| -> std::io::Result<u8> {
        loop {
            terminal.draw(|f| match &view {
                View::Questions(app) => {
                    ui::draw(f, app, d, 0);
                }
                View::Problems(p) => {
                    let text = format!(
                        "{}\n\n{}",
                        p,
                        crate::messages::template(lang, crate::messages::K::WatchingForChanges)
                    );
                    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), f.area());
                }
            })?;
            if event::poll(Duration::from_millis(if watch { 400 } else { 5000 }))?
                && let Event::Key(k) = event::read()?
            {
                if super::keymap::leaves_viewer(&k, lang) {
                    return Ok(u8::from(matches!(view, View::Problems(_))));
                }
                if let View::Questions(app) = &mut view {
                    let _ = app.handle_key(k, 0);
                    app.message = None;
                }
            }
            if signal.load(std::sync::atomic::Ordering::SeqCst) != 0 {
                return Ok(1);
            }
            if watch {
                let now = mtime(path);
                if now != seen {
                    seen = now;
                    let keep = match &view {
                        View::Questions(app) => app
                            .session
                            .as_ref()
                            .map(|s| s.questions[s.current()].id.clone()),
                        View::Problems(_) => None,
                    };
                    view = load(path, keep.as_deref(), lang, cache);
                }
            }
        }
    })();
    super::terminal::leave();
    result
}
