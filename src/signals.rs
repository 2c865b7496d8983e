//! SIGINT/SIGTERM as counters, for commands that stop gracefully (first signal) or at once
//! (second signal).

use std::sync::Arc;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

use anyhow::{Context, Result};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::exit::Code;

#[derive(Clone)]
pub struct Interrupts {
    count: Arc<AtomicUsize>,
    last: Arc<AtomicI32>,
}

impl Interrupts {
    /// Catches SIGINT and SIGTERM from now on; the process no longer dies of them.
    pub fn install() -> Result<Self> {
        let me = Self { count: Arc::new(AtomicUsize::new(0)), last: Arc::new(AtomicI32::new(0)) };
        let mut signals = Signals::new([SIGINT, SIGTERM]).context("installing signal handlers")?;
        let (count, last) = (me.count.clone(), me.last.clone());
        std::thread::spawn(move || {
            for sig in signals.forever() {
                last.store(sig, Ordering::SeqCst);
                count.fetch_add(1, Ordering::SeqCst);
            }
        });
        Ok(me)
    }

    /// How many signals arrived so far.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// 130 after SIGINT, 143 after SIGTERM.
    pub fn exit_code(&self) -> Code {
        if self.last.load(Ordering::SeqCst) == SIGTERM { Code::Terminated } else { Code::Interrupted }
    }
}
