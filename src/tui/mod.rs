//! The trainee's screens and the fronts that run them, in layers:
//!
//! - [`keymap`]: key events to [`keymap::Action`]s, one table per context (the only place that
//!   knows key codes); the help and the key bars are made from the same tables;
//! - [`app`]: the screens' state; `App::update(action, now)` is the only place it changes, and
//!   it returns effects (save, record, quit …) instead of doing them;
//! - [`ui`] (with [`display`], [`bidi`], [`i18n`]): drawing, which only reads the state;
//! - [`front`]: the one event loop over an event source and a frame sink, and the contract a
//!   front implements (local terminal, SSH session, test harness);
//! - [`places`]: where a session writes, and what the screens read there before a start;
//! - [`host`]: what the effects do (autosave worker, records, preferences), one value per
//!   session;
//! - [`run`] and [`terminal`]: the local terminal's adapter (raw mode, bidi probe, signals,
//!   suspend, hang-up), and [`loading`], its first frame;
//! - [`board`], [`preview`]: the instructor's live board and bank preview.

pub mod app;
pub mod bidi;
pub mod board;
pub mod display;
pub mod front;
pub mod host;
pub mod i18n;
pub mod keymap;
pub mod lines;
pub mod loading;
pub mod paced;
pub mod places;
pub mod preview;
pub mod run;
pub mod terminal;
pub mod typeset;
pub mod ui;
