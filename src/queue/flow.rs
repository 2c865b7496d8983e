//! What `top` reads for its in/out rates: where the main list's previous head now sits.
//!
//! Producers push at the head (LPUSH) and consumers take from the tail, so every element above
//! the head seen last time arrived since: its index from the head is the number pushed. What
//! left is then the pushes minus the growth. One atomic read per queue (`flow.lua`).

use std::sync::LazyLock;

use anyhow::Result;
use redis::{Script, Value};

use super::Queue;

static FLOW: LazyLock<Script> = script!("flow.lua");

/// LPOS looks at most this many elements from the head: a burst larger than this between two
/// refreshes is reported as a lower bound.
pub const FLOW_SCAN: u64 = 100_000;

/// One reading of a main list for the rates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub len: u64,
    pub now_ms: i64,
    /// The head element now (the newest), to look for next time.
    pub head: Option<Vec<u8>>,
    /// Elements pushed since the last reading, when there was one.
    pub pushed: Option<Pushed>,
}

/// How many were pushed between two readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pushed {
    /// The previous head was found at this index (or the list was empty then).
    Exactly(u64),
    /// The previous head is gone (consumed, or beyond [`FLOW_SCAN`]): at least this many.
    AtLeast(u64),
}

impl Queue {
    /// Reads `main`'s length, the server clock, its head, and where `previous` (the head read last
    /// time; `None` the first time, `Some(None)` when the list was empty then) sits now.
    pub fn flow(&mut self, main: &str, previous: Option<Option<&[u8]>>) -> Result<Flow> {
        let (look, prev) = match previous {
            Some(Some(p)) => ("1", p),
            _ => ("0", &b""[..]),
        };
        let v: Vec<Value> = FLOW
            .key(main)
            .arg(prev)
            .arg(look)
            .arg(FLOW_SCAN)
            .invoke(&mut self.con)
            .map_err(|e| self.error(e, &format!("reading list {main}")))?;
        let int = |i: usize| v.get(i).and_then(|x| redis::from_redis_value_ref::<i64>(x).ok());
        let len = int(0).unwrap_or(0).max(0) as u64;
        let head = match v.get(3) {
            Some(Value::BulkString(b)) => Some(b.clone()),
            _ => None,
        };
        let pushed = match previous {
            None => None,
            // Empty last time: everything there now arrived since.
            Some(None) => Some(Pushed::Exactly(len)),
            Some(Some(_)) => Some(match int(2) {
                Some(i) => Pushed::Exactly(i.max(0) as u64),
                None => Pushed::AtLeast(len),
            }),
        };
        Ok(Flow { len, now_ms: int(1).unwrap_or(0), head, pushed })
    }
}
