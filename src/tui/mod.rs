//! The terminal front: screens, keys, drawing, and the event loop.

pub mod app;
pub mod bidi;
pub mod board;
pub mod display;
pub mod front;
pub mod host;
pub mod i18n;
pub mod keymap;
pub mod loading;
pub mod preview;
pub mod run;
pub mod terminal;
pub mod ui;
