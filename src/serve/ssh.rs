//! The SSH side (russh, on tokio; nothing outside `serve` sees either): accepting connections,
//! the class code, what a client may ask for (a terminal and the quiz, nothing else), and the
//! bytes between a client and its session's thread.

use super::Ctx;
use super::input::Decoder;
use super::msg::Input;
use super::session::{self, SessionIo};
use super::sink::{Out, PtySize, QUEUED_FRAMES};
use crate::messages::{self, K};
use crate::text::Lang;
use russh::server::{Auth, Handle, Msg, Session};
use russh::{Channel, ChannelId, MethodKind, MethodSet};
use std::borrow::Cow;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// Events waiting for a session's thread before further input is dropped.
pub const INPUT_QUEUE: usize = 256;
/// Time a client has to connect and type the class code.
pub const LOGIN_GRACE: Duration = Duration::from_mins(1);
/// Connections still logging in, at most (beyond the sessions).
pub const MAX_UNAUTHENTICATED: usize = 64;
/// Failed class codes per address before it is refused for [`LOCKOUT`].
pub const MAX_FAILURES: u32 = 10;
/// How long an address is refused after too many failures.
pub const LOCKOUT: Duration = Duration::from_mins(5);

/// What the server says to a client before it knows the trainee's language: in English and in
/// Arabic, from the catalogue. `lines` puts each on its own line (the Arabic one starting with a
/// right-to-left mark, for a terminal that lays out text by direction); else they are joined
/// with " / ".
fn both(m: &messages::Msg, lines: bool) -> String {
    let (en, ar) = (m.render(Lang::En), m.render(Lang::Ar));
    if lines {
        format!("{en}\r\n\u{200F}{ar}\r\n")
    } else {
        format!("{en} / {ar}")
    }
}

/// The prompt of keyboard-interactive authentication (Windows' and macOS's clients use it when
/// the server offers it), in both languages.
fn prompt() -> String {
    format!("{}: ", both(&K::SshCodePrompt.into(), false))
}

/// The russh configuration: the host key, password and keyboard-interactive only, a second
/// between refusals, keepalives so that a vanished laptop is noticed.
#[must_use]
pub fn config(ctx: &Ctx) -> russh::server::Config {
    let mut methods = MethodSet::empty();
    methods.push(MethodKind::Password);
    methods.push(MethodKind::KeyboardInteractive);
    russh::server::Config {
        server_id: russh::SshId::Standard(Cow::Owned(format!(
            "SSH-2.0-tipquiz_{}",
            env!("CARGO_PKG_VERSION")
        ))),
        methods,
        auth_rejection_time: Duration::from_millis(800),
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![ctx.host_key.clone()],
        max_auth_attempts: 4,
        // Sessions time out on their own (no key for `--idle-timeout`); this only reaps
        // connections that have gone silent, keepalives included.
        inactivity_timeout: Some(ctx.idle + Duration::from_mins(2)),
        keepalive_interval: Some(Duration::from_secs(30)),
        keepalive_max: 4,
        nodelay: true,
        window_size: 256 * 1024,
        ..Default::default()
    }
}

/// Accept connections on `listener` until the process ends.
pub async fn serve(ctx: Arc<Ctx>, listener: TcpListener) {
    let config = Arc::new(config(&ctx));
    let pending = Arc::new(AtomicUsize::new(0));
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            // Out of file descriptors and the like: wait a little rather than spin.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let refused = ctx
            .limiter
            .lock()
            .is_ok_and(|l| !l.allowed(peer.ip(), Instant::now()));
        if refused || pending.load(Ordering::SeqCst) >= MAX_UNAUTHENTICATED + ctx.max_sessions {
            drop(stream);
            continue;
        }
        let _ = stream.set_nodelay(true);
        let ctx = Arc::clone(&ctx);
        let config = Arc::clone(&config);
        let pending = Arc::clone(&pending);
        pending.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let conn = Conn::new(Arc::clone(&ctx), peer);
            let authed = Arc::clone(&conn.authed);
            let started =
                tokio::time::timeout(LOGIN_GRACE, russh::server::run_stream(config, stream, conn))
                    .await;
            if let Ok(Ok(running)) = started {
                let handle = running.handle();
                let mut running = std::pin::pin!(running);
                tokio::select! {
                    _ = &mut running => {}
                    () = tokio::time::sleep(LOGIN_GRACE) => {
                        if authed.load(Ordering::SeqCst) == 0 {
                            let _ = handle
                                .disconnect(
                                    russh::Disconnect::ByApplication,
                                    both(&K::SshLoginTimeout.into(), false),
                                    String::new(),
                                )
                                .await;
                        }
                        let _ = running.await;
                    }
                }
            }
            pending.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// One connection.
struct Conn {
    ctx: Arc<Ctx>,
    peer: SocketAddr,
    /// 1 once the class code was accepted (shared with the accept loop's login timer).
    authed: Arc<AtomicUsize>,
    /// The session channel (one per connection).
    channel: Option<ChannelId>,
    /// TERM and size from the pty request.
    pty: Option<(String, PtySize)>,
    /// Environment variables the client sent that tell about the terminal or language.
    env: Vec<(String, String)>,
    /// Input to the session's thread, once it runs.
    input: Option<SyncSender<Input>>,
    decoder: Decoder,
}

impl Conn {
    fn new(ctx: Arc<Ctx>, peer: SocketAddr) -> Conn {
        Conn {
            ctx,
            peer,
            authed: Arc::new(AtomicUsize::new(0)),
            channel: None,
            pty: None,
            env: Vec::new(),
            input: None,
            decoder: Decoder::new(),
        }
    }

    fn check_code(&mut self, typed: &str) -> Auth {
        let now = Instant::now();
        let ip = self.peer.ip();
        let Ok(mut limiter) = self.ctx.limiter.lock() else {
            return Auth::reject();
        };
        if !limiter.allowed(ip, now) {
            return Auth::reject();
        }
        if self.ctx.code.matches(typed) {
            limiter.succeeded(ip);
            self.authed.store(1, Ordering::SeqCst);
            Auth::Accept
        } else {
            limiter.failed(ip, now);
            Auth::reject()
        }
    }

    fn send(&mut self, input: Input) {
        if let Some(tx) = &self.input {
            match tx.try_send(input) {
                Ok(()) | Err(TrySendError::Disconnected(_)) => {}
                // The session is behind by a whole queue of keys: these are dropped.
                Err(TrySendError::Full(_)) => self.decoder.dropped += 1,
            }
        }
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // The connection is gone: the session saves and ends.
        if let Some(tx) = &self.input {
            let _ = tx.try_send(Input::Closed);
        }
    }
}

/// Words to a client that asked for something the server does not do, on its error stream in
/// English and in Arabic (the server does not know the trainee's language yet), then the
/// channel closes with exit status 1. The request itself is answered with success, as a login
/// shell that refuses would be: a client told that the request failed (OpenSSH: "exec request
/// failed", status 255) stops before it shows the words.
fn refuse(
    session: &mut Session,
    channel: ChannelId,
    why: &messages::Msg,
) -> Result<(), russh::Error> {
    session.channel_success(channel)?;
    let text = refusal(why);
    session.extended_data(channel, 1, text.into_bytes())?;
    session.exit_status_request(channel, 1)?;
    session.eof(channel)?;
    session.close(channel)
}

/// The text of a refusal: why, and what the server is for, in English then in Arabic.
fn refusal(why: &messages::Msg) -> String {
    both(&crate::msg!(SshRefused, why), true) + &both(&K::SshQuizOnly.into(), true)
}

impl russh::server::Handler for Conn {
    type Error = russh::Error;

    async fn auth_password(&mut self, _user: &str, password: &str) -> Result<Auth, Self::Error> {
        Ok(self.check_code(password))
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        _user: &str,
        _submethods: &str,
        response: Option<russh::server::Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        match response {
            None => Ok(Auth::Partial {
                name: Cow::Borrowed("tipquiz"),
                instructions: Cow::Borrowed(""),
                prompts: Cow::Owned(vec![(Cow::Owned(prompt()), false)]),
            }),
            Some(mut r) => {
                let typed = r
                    .next()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                Ok(self.check_code(&typed))
            }
        }
    }

    async fn authentication_banner(&mut self) -> Result<Option<String>, Self::Error> {
        Ok(Some(both(&K::SshWelcome.into(), true)))
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() {
            // One quiz per connection.
            drop(reply);
            return Ok(());
        }
        self.channel = Some(channel.id());
        reply.accept().await;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel || self.pty.is_some() {
            return session.channel_failure(channel);
        }
        let size = PtySize::new(clamp_dim(col_width), clamp_dim(row_height));
        // TERM is at most a short name; anything else is not trusted further.
        let term: String = term.chars().take(64).collect();
        self.pty = Some((term, size));
        session.channel_success(channel)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if matches!(
            name,
            "TIPQUIZ_LANG" | "LANG" | "LC_ALL" | "LC_MESSAGES" | "TERM_PROGRAM" | "COLORTERM"
        ) && self.env.len() < 8
        {
            self.env
                .push((name.to_owned(), value.chars().take(64).collect()));
        }
        session.channel_failure(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel || self.input.is_some() {
            return session.channel_failure(channel);
        }
        let Some((term, size)) = self.pty.clone() else {
            return refuse(session, channel, &messages::Msg::from(K::SshNeedsTerminal));
        };
        let Some(place) = self
            .ctx
            .class
            .join(Some(self.peer.ip()), self.ctx.max_sessions)
        else {
            return refuse(session, channel, &messages::Msg::from(K::SshClassFull));
        };
        session.channel_success(channel)?;
        let (in_tx, in_rx) = std::sync::mpsc::sync_channel(INPUT_QUEUE);
        let (out_tx, out_rx) = tokio::sync::mpsc::channel(QUEUED_FRAMES);
        self.input = Some(in_tx.clone());
        tokio::spawn(forward(session.handle(), channel, out_rx));
        let io = SessionIo {
            input: in_rx,
            wake: in_tx,
            output: out_tx,
            size,
            term,
            env: self.env.clone(),
        };
        let ctx = Arc::clone(&self.ctx);
        let spawned = std::thread::Builder::new()
            .name(format!("session-{}", place.id))
            .stack_size(1 << 20)
            .spawn(move || session::run(&ctx, io, place));
        if spawned.is_err() {
            self.input = None;
            return session.close(channel);
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        refuse(session, channel, &messages::Msg::from(K::SshNoCommands))
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let name: String = name
            .chars()
            .filter(char::is_ascii_graphic)
            .take(32)
            .collect();
        refuse(session, channel, &crate::msg!(SshNoSubsystem, name))
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single: bool,
        _proto: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn agent_request(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        _address: &str,
        _port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn streamlocal_forward(
        &mut self,
        _socket_path: &str,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel || self.input.is_none() {
            return Ok(());
        }
        for e in self.decoder.decode(data) {
            self.send(Input::Event(e));
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel {
            return Ok(());
        }
        let (w, h) = (clamp_dim(col_width), clamp_dim(row_height));
        if let Some((_, size)) = &self.pty {
            size.set(w, h);
        }
        self.send(Input::Event(crossterm::event::Event::Resize(w, h)));
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) == self.channel {
            self.send(Input::Closed);
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) == self.channel {
            self.send(Input::Closed);
        }
        Ok(())
    }
}

/// A pty dimension as the screens take it: at least 1, at most 1000 (a client may send 0 or
/// 2^32-1).
fn clamp_dim(n: u32) -> u16 {
    u16::try_from(n.clamp(1, 1000)).unwrap_or(1000)
}

/// Send a session's frames to its channel, in order, waiting on the client's window; close the
/// channel when the session ends.
async fn forward(handle: Handle, channel: ChannelId, mut rx: tokio::sync::mpsc::Receiver<Out>) {
    let mut status = 0;
    while let Some(out) = rx.recv().await {
        match out {
            Out::Data(bytes) => {
                if handle.data(channel, bytes).await.is_err() {
                    return;
                }
            }
            Out::Close(s) => {
                status = s;
                break;
            }
        }
    }
    let _ = handle.exit_status_request(channel, status).await;
    let _ = handle.eof(channel).await;
    let _ = handle.close(channel).await;
}
