//! What a session's thread receives: its connection's events and the instructor's controls,
//! on one channel, so that a control wakes a session at once.

use crate::quiz::Millis;
use crossterm::event::Event;

/// One message to a session.
#[derive(Debug)]
pub enum Input {
    /// A key, a paste or a window change from the trainee's terminal.
    Event(Event),
    /// From the instructor's console.
    Control(Control),
    /// The connection closed.
    Closed,
}

/// A message from the console to a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Give this many more milliseconds.
    Extend(Millis),
    /// The exam is over: finish the attempt now, as timed out.
    End,
    /// The same trainee continues the same attempt on another connection: save and close.
    Replaced,
    /// The server is stopping: save and close.
    Shutdown,
    /// Paced play moved on (a question opened or closed, the podium): draw again.
    Paced,
}
