//! Starting the trainee's screens: where things are kept, the display, the language, and the
//! home screen.

use super::Context;
use super::USAGE;
use super::library::library_or_exit;
use super::setup::display_with;
use crate::msg;

/// The interface language, by the program's one rule ([`crate::messages::choose_lang`]):
/// `--lang`, else `TIPQUIZ_LANG`, else the language this trainee used last (the trainee named
/// on the command line, or the last trainee on this computer), else the locale, else English.
pub(crate) fn lang_of(
    cx: &Context,
    prefs: &crate::tui::app::Prefs,
    trainee: Option<&str>,
) -> crate::text::Lang {
    let remembered = prefs
        .langs
        .get(&crate::record::trainee_slug(
            trainee.unwrap_or(&prefs.trainee),
        ))
        .copied();
    crate::messages::choose_lang(cx.common.lang.map(Into::into), remembered, &|k| {
        std::env::var(k).ok()
    })
}

/// The home screen.
#[must_use]
pub fn home(cx: &Context) -> u8 {
    let mut start = Start::show(cx, None);
    let (lib, exams) = match library_or_exit(cx) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let lib = start.hold(cx, lib);
    let _ = crate::tui::run::recover(
        &start.places,
        &lib,
        &exams,
        crate::tui::run::now_ms(),
        cx.out.lang,
    );
    let mut app = crate::tui::app::App::new(
        lib,
        exams,
        &start.prefs,
        lang_of(cx, &start.prefs, None),
        start.places.autosaves.clone(),
    );
    app.lock_attempts = true;
    app.places = Some(start.places.clone());
    class_units_on_screen(&mut app, &start.places);
    run_app(app, cx, start)
}

/// The units of the class file in the results folder, offered on the home screen; when the
/// file has problems, what to do is the message on the screen (not a line printed before it).
pub(crate) fn class_units_on_screen(
    app: &mut crate::tui::app::App,
    places: &crate::tui::run::Places,
) {
    let (units, problem) = super::units::read_class_units(&places.results.dir);
    if let Some(p) = problem {
        app.message = Some(p.render(app.lang));
    }
    app.set_class_units(units);
}

/// What a TUI start reads once: where things go, the preferences and the display, and the
/// terminal, taken at once to show the loading frame before anything slow (see
/// [`crate::tui::run::Early`]).
pub(crate) struct Start {
    pub(crate) places: crate::tui::run::Places,
    pub(crate) prefs: crate::tui::app::Prefs,
    pub(crate) display: crate::tui::ui::Display,
    pub(crate) early: Option<crate::tui::run::Early>,
    /// Effects of an attempt started before the screens (a trainee given on the command line),
    /// carried out by the screens' host, whose worker syncs what can wait (the start marker).
    pub(crate) first: Vec<crate::tui::app::Effect>,
    /// The parsed-bank cache's entries held for after the first frame (see [`Start::hold`]);
    /// written when dropped, should the command end before any frame.
    pub(crate) later: Option<crate::bank::cache::Held>,
}

impl Start {
    pub(crate) fn show(cx: &Context, trainee: Option<&str>) -> Start {
        // The parsed-bank cache's entries of small banks are written after the first frame
        // (see `run_app`): they only help the next start.
        if let Some(c) = &cx.banks {
            c.hold_small();
        }
        let places = cx.places();
        let prefs = crate::tui::run::load_prefs(&places.prefs);
        let display = display_with(&cx.common, &prefs);
        let early = crate::tui::run::Early::show(display, lang_of(cx, &prefs, trainee));
        Start {
            places,
            prefs,
            display,
            early,
            first: Vec::new(),
            later: None,
        }
    }

    /// Take the cache entries held while `lib` was loaded, to be written after the first frame
    /// (or when the command ends without one); the library is kept shared for the screens.
    pub(crate) fn hold(
        &mut self,
        cx: &Context,
        lib: crate::bank::Library,
    ) -> std::sync::Arc<crate::bank::Library> {
        let lib = std::sync::Arc::new(lib);
        self.later = cx.banks.as_ref().map(|c| c.take_held(&lib));
        lib
    }
}

pub(crate) fn run_app(mut app: crate::tui::app::App, cx: &Context, start: Start) -> u8 {
    app.digits = match cx.common.digits {
        Some(d) => d.into(),
        None => start
            .prefs
            .digits
            .get(&crate::record::trainee_slug(app.form().trainee.trim()))
            .copied()
            .or_else(|| crate::messages::env_digits(&|k| std::env::var(k).ok()))
            .unwrap_or(app.digits),
    };
    let calibrate = app.lang == crate::text::Lang::Ar
        && cx.common.bidi == crate::cli::BidiArg::Auto
        && start.prefs.bidi.is_none()
        && std::env::var_os("TIPQUIZ_NO_CALIBRATION").is_none();
    let places = &start.places;
    match crate::tui::run::run(
        app,
        places,
        start.display,
        calibrate,
        start.early,
        &start.first,
        start.later,
    ) {
        Ok(code) => code,
        Err(e) => {
            if crate::tui::loading::holding() {
                crate::tui::loading::release_errors_after(crate::tui::terminal::leave);
            }
            cx.out.fail_msg(&msg!(CannotUseTerminal, e.to_string()));
            USAGE
        }
    }
}
