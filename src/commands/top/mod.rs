//! `top`: a live terminal view of the queues for the person on call. The screen thread draws
//! and reads keys; a reader thread (`worker`) owns Redis. The terminal is restored on every
//! way out: quit, an error, a signal, a panic (the hook restores it before the message).

mod model;
mod view;
mod worker;

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::TryRecvError;
use std::time::Duration;

use anyhow::{Context, Result};
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::crossterm::{cursor, execute, terminal};

use crate::cli::TopArgs;
use crate::config::Config;
use crate::exit::{Failure, Quiet};
use crate::signals::Interrupts;
use model::{App, Effect, Link};
use view::Theme;
use worker::{FromWorker, ToWorker};

pub fn run(cfg: &Config, args: &TopArgs) -> Result<()> {
    if !std::io::stdout().is_terminal() {
        return Err(Failure::usage(
            "top draws on a terminal and stdout is not one: for a log or a pipe use \
             `hokusai-queue depth --all-queues --watch` (add -o jsonl for scripts)",
        )
        .into());
    }
    let theme = Theme { color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) };
    // SIGINT/SIGTERM (raw mode turns Ctrl-C into a key; a signal from elsewhere still comes):
    // leave through the same door as `q`.
    let interrupts = Interrupts::install()?;
    let mut app = App::new(crate::config::server_caption(cfg), args.interval, args.allow_writes, args.r#match.clone());
    let (tx, rx) = worker::spawn(cfg, args.r#match.clone(), args.interval);
    let _restore = Restore;
    let mut terminal = set_up().context("setting up the terminal")?;
    let mut dirty = true;
    #[cfg(debug_assertions)]
    let panic_for_tests = std::env::var_os("HOKUSAI_TOP_TEST_PANIC").is_some();
    loop {
        loop {
            match rx.try_recv() {
                Ok(FromWorker::Reading(r)) => app.apply(r),
                Ok(FromWorker::Detail(d)) => app.apply_detail(d),
                Ok(FromWorker::Down(why)) => app.link = Link::Down(why),
                Ok(FromWorker::Said(s)) => app.flash = Some(s),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return Err(Failure::failed("top's reader thread stopped").into()),
            }
            dirty = true;
        }
        if dirty {
            terminal.draw(|f| view::draw(f, &app, theme)).context("drawing")?;
            dirty = false;
            #[cfg(debug_assertions)]
            if panic_for_tests && app.link == Link::Up {
                panic!("HOKUSAI_TOP_TEST_PANIC is set: a panic to test that the terminal is restored");
            }
        }
        if interrupts.count() > 0 {
            return Err(Quiet(interrupts.exit_code()).into());
        }
        if !event::poll(Duration::from_millis(100)).context("reading the keyboard")? {
            continue;
        }
        match event::read().context("reading the keyboard")? {
            Event::Key(k) if k.kind != KeyEventKind::Release => {
                dirty = true;
                // A terminal sends Esc then x as Alt-x when they come together: take it as both.
                let keys = if k.modifiers.contains(KeyModifiers::ALT) {
                    vec![KeyEvent::from(KeyCode::Esc), KeyEvent::new(k.code, k.modifiers - KeyModifiers::ALT)]
                } else {
                    vec![k]
                };
                for effect in keys.into_iter().flat_map(|k| app.key(k)) {
                    let order = match effect {
                        Effect::Quit => return Ok(()),
                        Effect::Refresh => ToWorker::Refresh,
                        Effect::Interval(d) => ToWorker::Interval(d),
                        Effect::Open(q) => ToWorker::Open(q),
                        Effect::Do(a) => ToWorker::Do(a),
                    };
                    if tx.send(order).is_err() {
                        return Err(Failure::failed("top's reader thread stopped").into());
                    }
                }
            }
            Event::Resize(..) => dirty = true,
            _ => {}
        }
    }
}

/// Whether the terminal is in raw mode on the alternate screen (set up, not yet restored).
static SET_UP: AtomicBool = AtomicBool::new(false);

/// Raw mode, the alternate screen, and a panic hook that restores the terminal before the
/// panic's message is printed (on any thread).
fn set_up() -> std::io::Result<ratatui::DefaultTerminal> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    SET_UP.store(true, Ordering::SeqCst);
    terminal::enable_raw_mode()?;
    execute!(std::io::stdout(), terminal::EnterAlternateScreen)?;
    ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))
}

/// Leaves raw mode and the alternate screen and shows the cursor, once: leaving the alternate
/// screen a second time would move the cursor back to where it was when top started, over
/// whatever was printed since (a panic's message).
fn restore() {
    if SET_UP.swap(false, Ordering::SeqCst) {
        let _ = terminal::disable_raw_mode();
        let _ = execute!(std::io::stdout(), terminal::LeaveAlternateScreen, cursor::Show);
    }
}

/// Restores the terminal however `run` ends.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}
