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

fn poisoned() -> io::Error {
    io::Error::other("a session thread failed while writing")
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
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the connection is closed"))
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
pub struct SshBackend {
    inner: CrosstermBackend<ChannelWriter>,
    raw: ChannelWriter,
    size: PtySize,
}

impl SshBackend {
    /// A backend writing to `writer`, sized by `size`.
    #[must_use]
    pub fn new(writer: ChannelWriter, size: PtySize) -> SshBackend {
        SshBackend {
            inner: CrosstermBackend::new(writer.clone()),
            raw: writer,
            size,
        }
    }

    /// The writer (to send raw bytes, e.g. entering the alternate screen, or to close).
    pub fn writer_mut(&mut self) -> &mut ChannelWriter {
        &mut self.raw
    }
}

impl Backend for SshBackend {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        // ratatui shows the cursor when a terminal is dropped, also after the client has gone,
        // and prints a failure on the server's own terminal, where the instructor's console
        // is: a cursor on a closed connection does not matter, so no failure is reported.
        let _ = self.inner.show_cursor();
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
