//! What a reader on the other end of stdout has really taken. A write into a pipe is not a
//! delivery: the kernel holds up to 64 KiB nobody has read yet, and a reader that exits loses
//! it. Linux tells how many bytes still sit unread (FIONREAD), and poll reports when the
//! reading end is closed; `drain` acknowledges a line only once its last byte was taken.

use std::collections::VecDeque;
use std::io;
use std::os::fd::AsFd;
use std::time::Duration;

use rustix::event::{PollFd, PollFlags, poll};
use rustix::fs::{FileType, fstat};

/// Whether stdout is a pipe (the case where written is not yet delivered). Files, terminals
/// and /dev/null take what is written at once.
pub fn stdout_is_pipe() -> bool {
    fstat(io::stdout().as_fd()).is_ok_and(|st| FileType::from_raw_mode(st.st_mode) == FileType::Fifo)
}

/// Asks the kernel for a pipe buffer of up to `bytes` on stdout (F_SETPIPE_SZ), so that a whole
/// batch goes into the pipe in one write instead of waiting on the reader 64 KiB at a time.
/// Past the system's limit (`/proc/sys/fs/pipe-max-size`, or the user's share of pipe pages)
/// it tries smaller sizes, and keeps the default when none is granted. Returns the size now.
pub fn grow_stdout_pipe(bytes: usize) -> Option<usize> {
    let out = io::stdout();
    let mut want = bytes;
    while want >= 1 << 16 {
        if let Ok(n) = rustix::pipe::fcntl_setpipe_size(out.as_fd(), want) {
            return Some(n);
        }
        want /= 2;
    }
    rustix::pipe::fcntl_getpipe_size(out.as_fd()).ok()
}

/// Bytes written to stdout that its reader has not taken yet.
pub fn unread() -> io::Result<u64> {
    rustix::io::ioctl_fionread(io::stdout().as_fd()).map_err(io::Error::from)
}

/// Waits up to `timeout` for the reading end to close; true when it has (nothing written from
/// now on can be delivered, and what sits unread in the pipe never will be).
pub fn reader_closed_within(timeout: Duration) -> bool {
    let out = io::stdout();
    let mut fds = [PollFd::new(&out, PollFlags::empty())];
    let ts = rustix::event::Timespec { tv_sec: timeout.as_secs() as _, tv_nsec: timeout.subsec_nanos() as _ };
    match poll(&mut fds, Some(&ts)) {
        Ok(n) if n > 0 => fds[0].revents().intersects(PollFlags::ERR | PollFlags::HUP),
        _ => false,
    }
}

/// Writes `buf` to stdout's file descriptor (no buffering in between), retrying short writes
/// and EINTR. Returns how many bytes went in, and the error that stopped it, if any.
pub fn write_stdout(buf: &[u8]) -> (usize, io::Result<()>) {
    let out = io::stdout();
    let fd = out.as_fd();
    let mut sent = 0;
    while sent < buf.len() {
        match rustix::io::write(fd, &buf[sent..]) {
            Ok(0) => return (sent, Err(io::Error::from(io::ErrorKind::WriteZero))),
            Ok(n) => sent += n,
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return (sent, Err(io::Error::from(e))),
        }
    }
    (sent, Ok(()))
}

/// [`write_stdout`] that never blocks: stdout is switched to non-blocking for the call (and
/// back). Returns how many bytes went in, and whether all of them did (`Ok(false)`: the pipe
/// is full for now; a blocking write of the rest would wait for the reader).
pub fn try_write_stdout(buf: &[u8]) -> (usize, io::Result<bool>) {
    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
    let out = io::stdout();
    let fd = out.as_fd();
    let Ok(flags) = fcntl_getfl(fd) else { return (0, Ok(false)) };
    if fcntl_setfl(fd, flags | OFlags::NONBLOCK).is_err() {
        return (0, Ok(false));
    }
    let mut sent = 0;
    let result = loop {
        if sent == buf.len() {
            break Ok(true);
        }
        match rustix::io::write(fd, &buf[sent..]) {
            Ok(0) => break Err(io::Error::from(io::ErrorKind::WriteZero)),
            Ok(n) => sent += n,
            Err(rustix::io::Errno::INTR) => {}
            Err(rustix::io::Errno::AGAIN) => break Ok(false),
            Err(e) => break Err(io::Error::from(e)),
        }
    };
    let _ = fcntl_setfl(fd, flags);
    (sent, result)
}

/// Writes `buf` to stdout's pipe in pieces that never block (each at most a page, written once
/// `poll` says the pipe has a free page), looking at `stop` at least every 50 ms while the
/// reader takes nothing. Returns how many bytes went in, and whether all of them did
/// (`Ok(false)`: `stop` said so first).
pub fn write_stdout_watching(buf: &[u8], stop: &mut dyn FnMut() -> bool) -> (usize, io::Result<bool>) {
    let out = io::stdout();
    let fd = out.as_fd();
    let mut sent = 0;
    while sent < buf.len() {
        if stop() {
            return (sent, Ok(false));
        }
        let mut fds = [PollFd::new(&out, PollFlags::OUT)];
        let ts = rustix::event::Timespec { tv_sec: 0, tv_nsec: 50_000_000 };
        match poll(&mut fds, Some(&ts)) {
            Ok(0) | Err(rustix::io::Errno::INTR) => continue,
            Ok(_) => {
                let r = fds[0].revents();
                if r.intersects(PollFlags::ERR | PollFlags::HUP) {
                    return (sent, Err(io::Error::from(io::ErrorKind::BrokenPipe)));
                }
                if !r.contains(PollFlags::OUT) {
                    continue;
                }
            }
            Err(e) => return (sent, Err(io::Error::from(e))),
        }
        // A free page takes a piece of one page whole: this write does not wait.
        let piece = (buf.len() - sent).min(4096);
        match rustix::io::write(fd, &buf[sent..sent + piece]) {
            Ok(0) => return (sent, Err(io::Error::from(io::ErrorKind::WriteZero))),
            Ok(n) => sent += n,
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return (sent, Err(io::Error::from(e))),
        }
    }
    (sent, Ok(true))
}

/// The most unread bytes a [`PipeLedger`] lets sit in the pipe.
pub const MAX_WINDOW: u64 = 1 << 20;

/// The accounting of lines written into stdout's pipe, each standing for an item `T` (what
/// acknowledges it: an SQS receipt handle). A line is taken once the reader has read its last
/// byte: `written - unread` (FIONREAD) is past its end. The window of unread bytes allowed
/// starts at one line and doubles each time the reader has taken everything, so a reader that
/// stops early (`| head -1`) costs at most what it read, as in the Redis drain.
pub struct PipeLedger<T> {
    written: u64,
    window: u64,
    /// Items in write order, with the offset just past their line.
    held: VecDeque<(T, u64)>,
}

impl<T> Default for PipeLedger<T> {
    fn default() -> Self {
        Self { written: 0, window: 0, held: VecDeque::new() }
    }
}

impl<T> PipeLedger<T> {
    /// Bytes written that the reader has not taken (all of them when the kernel cannot say).
    pub fn unread(&self) -> u64 {
        unread().unwrap_or(u64::MAX).min(self.written)
    }

    /// Whether a line of `len` bytes may be written now (growing the window when the reader
    /// has taken everything).
    pub fn fits(&mut self, len: u64) -> bool {
        let unread = self.unread();
        if unread == 0 {
            self.window = (self.window * 2).max(len).min(MAX_WINDOW.max(len));
            return true;
        }
        unread + len <= self.window
    }

    /// Writes `line` for `item` straight to stdout's file descriptor. The item is held
    /// whatever happened: a line cut short is never counted as taken.
    pub fn write(&mut self, item: T, line: &[u8]) -> io::Result<()> {
        let end = self.written + line.len() as u64;
        let (sent, result) = write_stdout(line);
        self.written += sent as u64;
        self.held.push_back((item, end));
        result
    }

    /// The items whose line the reader has taken whole, in order, once at least `min` are;
    /// they leave the ledger.
    pub fn taken(&mut self, min: usize) -> Vec<T> {
        let taken = self.written - self.unread();
        let n = self.held.iter().take_while(|(_, end)| *end <= taken).count();
        if n == 0 || n < min {
            return Vec::new();
        }
        self.held.drain(..n).map(|(t, _)| t).collect()
    }

    /// The items still held (written, not taken yet).
    pub fn held(&self) -> impl Iterator<Item = &T> {
        self.held.iter().map(|(t, _)| t)
    }

    /// Gives up on every item still held (the reader will never take them).
    pub fn untaken(&mut self) -> Vec<T> {
        self.held.drain(..).map(|(t, _)| t).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }
}
