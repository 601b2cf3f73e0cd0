//! `tipquiz preview`: a bank's questions as a trainee sees them, with the answer key, the
//! explanation and the source; `--watch` reloads on change and shows the problems while the file
//! is invalid.

use super::app::{App, Input, Prefs, ScrollLimits};
use super::front::{EventSource, Outcome, Screens};
use super::ui::{self, Display};
use crate::bank::cache::BankCache;
use crate::bank::{Library, read_source};
use crate::exam::{ExamDef, Mode, Pool};
use crate::quiz::Millis;
use crate::quiz::Session;
use crate::record::Store;
use crate::text::Lang;
use crossterm::event::Event;
use ratatui::backend::Backend;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::{Frame, Terminal};
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
    app.preview = true;
    app.show_session(s);
    View::Questions(Box::new(app))
}

fn mtime(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The preview as screens of the one loop ([`super::front::run_loop`]): the bank's
/// questions (or the file's problems), reloaded when the file changes (`watch`), left with q,
/// Esc or Ctrl-C.
pub struct PreviewScreen<'a> {
    /// What is shown.
    pub view: View,
    path: std::path::PathBuf,
    watch: bool,
    lang: Lang,
    d: Display,
    seen: Option<SystemTime>,
    cache: Option<&'a BankCache>,
}

impl<'a> PreviewScreen<'a> {
    /// The preview of `path`, at question `question` when it is given.
    #[must_use]
    pub fn new(
        path: &Path,
        question: Option<&str>,
        watch: bool,
        lang: Lang,
        d: Display,
        cache: Option<&'a BankCache>,
    ) -> PreviewScreen<'a> {
        PreviewScreen {
            view: load(path, question, lang, cache),
            path: path.to_path_buf(),
            watch,
            lang,
            d,
            seen: mtime(path),
            cache,
        }
    }

    /// The exit code when the preview ends now: 1 when the file is invalid.
    #[must_use]
    pub fn code(&self) -> u8 {
        u8::from(matches!(self.view, View::Problems(_)))
    }
}

impl Screens for PreviewScreen<'_> {
    fn now(&self) -> Millis {
        0
    }

    fn draw(&self, f: &mut Frame<'_>, _now: Millis) -> ScrollLimits {
        match &self.view {
            View::Questions(app) => ui::draw(f, app, self.d, 0),
            View::Problems(p) => {
                let text = format!(
                    "{}\n\n{}",
                    super::ui::untrusted(p),
                    crate::messages::template(self.lang, crate::messages::K::WatchingForChanges)
                );
                f.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), f.area());
                ScrollLimits::default()
            }
        }
    }

    fn measured(&mut self, limits: ScrollLimits) {
        if let View::Questions(app) = &mut self.view {
            app.update(Input::Measured(limits), 0);
        }
    }

    fn wait(&self, _now: Millis) -> Option<Duration> {
        Some(Duration::from_millis(if self.watch { 400 } else { 5000 }))
    }

    fn step<B: Backend>(
        &mut self,
        event: Option<Event>,
        _source: &mut dyn EventSource,
        _terminal: &mut Terminal<B>,
    ) -> std::io::Result<bool> {
        if let Some(Event::Key(k)) = event {
            if super::keymap::leaves_viewer(&k, self.lang) {
                return Ok(true);
            }
            if let View::Questions(app) = &mut self.view {
                let _ = app.handle_key(k, 0);
                app.update(Input::Notice(None), 0);
            }
        }
        if self.watch {
            let now = mtime(&self.path);
            if now != self.seen {
                self.seen = now;
                let keep = match &self.view {
                    View::Questions(app) => {
                        app.session().map(|s| s.questions[s.current()].id.clone())
                    }
                    View::Problems(_) => None,
                };
                self.view = load(&self.path, keep.as_deref(), self.lang, self.cache);
            }
        }
        Ok(false)
    }
}

/// Run the preview until `q` or Esc. Returns the exit code (1 when the file is invalid at exit,
/// or a signal ended it). Without `watch`, an invalid file is not shown: its problems go to
/// `report` (the command line's error writer) and the code is 1.
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
    let mut screens = PreviewScreen::new(path, question, watch, lang, d, cache);
    if !watch && let View::Problems(p) = &screens.view {
        report(p);
        return Ok(1);
    }
    match super::run::run_local(&mut screens, d.mode)? {
        Outcome::Quit => Ok(screens.code()),
        Outcome::Ended(e) if e.kind() == std::io::ErrorKind::Interrupted => Ok(1),
        Outcome::Ended(e) => Err(e),
    }
}
