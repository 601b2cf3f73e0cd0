//! Frames to a trainee's terminal: a writer whose flush hands the bytes of one frame to the SSH
//! channel, and a ratatui backend that draws through crossterm into it while taking its size
//! from the client's pty (never from the server's own terminal).
//!
//! The channel to the network task is bounded: a session whose client stops reading waits at
//! its next flush instead of queueing frames without limit, and ends when the connection does.

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::io;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// Frames waiting to be sent, per session, before a flush waits.
pub const QUEUED_FRAMES: usize = 8;

/// What a session sends to its network task.
#[derive(Debug)]
pub enum Out {
    /// Bytes for the trainee's terminal.
    Data(Vec<u8>),
    /// The session is over: send the exit status and close the channel.
    Close(u32),
}

/// The writer a session's frames go through. Clones share one buffer and one channel, so the
/// backend and the session can both write, in order.
#[derive(Clone, Debug)]
pub struct ChannelWriter {
    tx: mpsc::Sender<Out>,
    buf: Arc<Mutex<Vec<u8>>>,
}

impl ChannelWriter {
    /// A writer sending to `tx`.
    #[must_use]
    pub fn new(tx: mpsc::Sender<Out>) -> ChannelWriter {
        ChannelWriter {
            tx,
            buf: Arc::new(Mutex::new(Vec::with_capacity(4096))),
        }
    }

    /// Ask the network task to close the channel with `status` (after what was sent).
    pub fn close(&mut self, status: u32) {
        let _ = io::Write::flush(self);
        let _ = self.tx.blocking_send(Out::Close(status));
    }
}

/// A session thread failed while writing (its frames are lost with it). Errors of the sink end
/// the session's loop and are never shown: they carry a kind, no words (what the trainee and the
/// console read comes from the catalogue).
fn poisoned() -> io::Error {
    io::Error::from(io::ErrorKind::BrokenPipe)
}

impl io::Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buf
            .lock()
            .map_err(|_| poisoned())?
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let data = {
            let mut b = self.buf.lock().map_err(|_| poisoned())?;
            if b.is_empty() {
                return Ok(());
            }
            std::mem::replace(&mut *b, Vec::with_capacity(4096))
        };
        self.tx
            .blocking_send(Out::Data(data))
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

/// The size of a trainee's terminal, as the pty request and window changes give it.
#[derive(Clone, Debug, Default)]
pub struct PtySize(Arc<Mutex<Size>>);

impl PtySize {
    /// A size of `width` columns and `height` rows.
    #[must_use]
    pub fn new(width: u16, height: u16) -> PtySize {
        PtySize(Arc::new(Mutex::new(Size { width, height })))
    }

    /// Set it (window change).
    pub fn set(&self, width: u16, height: u16) {
        if let Ok(mut s) = self.0.lock() {
            *s = Size { width, height };
        }
    }

    /// Read it.
    #[must_use]
    pub fn get(&self) -> Size {
        self.0.lock().map_or(
            Size {
                width: 80,
                height: 24,
            },
            |s| *s,
        )
    }
}

/// Crossterm's backend over a [`ChannelWriter`], sized by the client's pty.
///
/// A frame that changes nothing on the trainee's screen sends nothing: no cell sequences for an
/// empty difference, and the cursor is hidden or shown only when it is not already (ratatui asks
/// for it on every frame). An idle session's countdown then costs one small message a second.
pub struct SshBackend {
    inner: CrosstermBackend<ChannelWriter>,
    raw: ChannelWriter,
    size: PtySize,
    /// Whether the cursor is shown, as last sent (`None`: not known, e.g. after raw bytes).
    cursor_shown: Option<bool>,
    /// Frames drawn, and those that changed nothing (sent nothing).
    frames: FrameCount,
}

/// Frames a backend was asked to draw, and how many of them changed no cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameCount {
    /// Frames drawn.
    pub drawn: u64,
    /// Frames that changed no cell (nothing was sent for them).
    pub unchanged: u64,
}

impl SshBackend {
    /// A backend writing to `writer`, sized by `size`.
    #[must_use]
    pub fn new(writer: ChannelWriter, size: PtySize) -> SshBackend {
        SshBackend {
            inner: CrosstermBackend::new(writer.clone()),
            raw: writer,
            size,
            cursor_shown: None,
            frames: FrameCount::default(),
        }
    }

    /// The writer (to send raw bytes, e.g. entering the alternate screen, or to close). What
    /// is written through it may move or show the cursor, so the next frame sets it again.
    pub fn writer_mut(&mut self) -> &mut ChannelWriter {
        self.cursor_shown = None;
        &mut self.raw
    }

    /// The frames drawn so far.
    #[must_use]
    pub fn frames(&self) -> FrameCount {
        self.frames
    }
}

impl Backend for SshBackend {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.frames.drawn += 1;
        let mut content = content.peekable();
        if content.peek().is_none() {
            // Nothing changed: crossterm would still send its colour resets.
            self.frames.unchanged += 1;
            return Ok(());
        }
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown == Some(false) {
            return Ok(());
        }
        self.inner.hide_cursor()?;
        self.cursor_shown = Some(false);
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown == Some(true) {
            return Ok(());
        }
        // ratatui shows the cursor when a terminal is dropped, also after the client has gone,
        // and prints a failure on the server's own terminal, where the instructor's console
        // is: a cursor on a closed connection does not matter, so no failure is reported.
        if self.inner.show_cursor().is_ok() {
            self.cursor_shown = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        // Asking the remote terminal would need its reply on the input stream; the screens run
        // full-screen and never need it.
        Ok(Position::ORIGIN)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.size.get())
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size.get(),
            pixels: Size::default(),
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::widgets::Paragraph;

    #[test]
    fn a_frame_reaches_the_channel_at_the_pty_size_and_a_resize_is_followed() {
        let (tx, mut rx) = mpsc::channel(QUEUED_FRAMES);
        let size = PtySize::new(30, 5);
        let mut t = Terminal::new(SshBackend::new(ChannelWriter::new(tx), size.clone())).unwrap();
        t.draw(|f| {
            assert_eq!(f.area().width, 30);
            f.render_widget(Paragraph::new("مرحبا hello"), f.area());
        })
        .unwrap();
        let Some(Out::Data(bytes)) = rx.blocking_recv() else {
            panic!("no frame")
        };
        assert!(String::from_utf8_lossy(&bytes).contains("hello"));
        size.set(100, 30);
        t.autoresize().unwrap();
        t.draw(|f| assert_eq!((f.area().width, f.area().height), (100, 30)))
            .unwrap();
    }

    #[test]
    fn a_frame_that_changes_nothing_sends_nothing_and_a_changed_cell_sends_only_itself() {
        let (tx, mut rx) = mpsc::channel(QUEUED_FRAMES);
        let mut t =
            Terminal::new(SshBackend::new(ChannelWriter::new(tx), PtySize::new(40, 3))).unwrap();
        let draw = |t: &mut Terminal<SshBackend>, clock: &str| {
            t.draw(|f| {
                f.render_widget(
                    Paragraph::new(format!("Question 1 / 30  {clock}")),
                    f.area(),
                );
            })
            .unwrap();
        };
        draw(&mut t, "39:58");
        let Ok(Out::Data(first)) = rx.try_recv() else {
            panic!("no first frame")
        };
        assert!(String::from_utf8_lossy(&first).contains("\x1b[?25l"));
        // The same screen again (a wake-up that shows nothing new): no bytes at all.
        draw(&mut t, "39:58");
        assert!(rx.try_recv().is_err(), "an unchanged frame was sent");
        // The next second: the one cell that changed, and no cursor sequence.
        draw(&mut t, "39:57");
        let Ok(Out::Data(tick)) = rx.try_recv() else {
            panic!("no frame for the new second")
        };
        let tick = String::from_utf8_lossy(&tick).into_owned();
        assert!(tick.contains('7') && !tick.contains("Question"), "{tick:?}");
        assert!(!tick.contains("\x1b[?25"), "{tick:?}");
        assert_eq!(
            t.backend().frames(),
            FrameCount {
                drawn: 3,
                unchanged: 1
            }
        );
    }

    #[test]
    fn a_closed_connection_is_an_error_at_the_next_flush() {
        let (tx, rx) = mpsc::channel(1);
        drop(rx);
        let mut w = ChannelWriter::new(tx);
        io::Write::write_all(&mut w, b"x").unwrap();
        assert_eq!(
            io::Write::flush(&mut w).unwrap_err().kind(),
            io::ErrorKind::BrokenPipe
        );
    }
}
