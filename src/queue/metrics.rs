//! What the exporter asks of the server itself: a timed PING and the INFO fields on-call
//! watches (memory, clients, throughput), as the platform's own monitor reports them.

use std::time::{Duration, Instant};

use anyhow::Result;

use super::Queue;

/// The server's health, read in two round trips (PING, then one INFO).
#[derive(Debug, Clone, Default)]
pub struct ServerStats {
    /// The PING round trip.
    pub ping: Duration,
    pub used_memory_bytes: Option<f64>,
    pub connected_clients: Option<f64>,
    /// INFO's `instantaneous_ops_per_sec` (the server's own recent average).
    pub ops_per_sec: Option<f64>,
    /// INFO's `total_commands_processed` (a counter: rate() it).
    pub commands_processed: Option<f64>,
}

impl Queue {
    /// PING (timed) and INFO. On a cluster, where INFO may come back from every node, the
    /// first node's; fields the reply lacks stay `None`.
    pub fn server_stats(&mut self) -> Result<ServerStats> {
        let start = Instant::now();
        redis::cmd("PING").query::<String>(&mut self.con).map_err(|e| self.error(e, "sending PING"))?;
        let ping = start.elapsed();
        // One INFO with no section argument: the sections given by name (`INFO memory clients
        // stats`) need Redis 7; `INFO` alone answers on every version.
        // INFO feeds only the optional redis_* series: refused (a role without +info) or failed,
        // those are left out; Redis still answered the PING, so it is up.
        let info = match redis::cmd("INFO").query::<redis::Value>(&mut self.con) {
            Ok(reply) => info_text(reply),
            Err(e) if e.is_io_error() || e.is_timeout() || e.is_connection_dropped() => {
                return Err(self.error(e, "reading INFO"));
            }
            Err(_) => String::new(),
        };
        let field = |name: &str| -> Option<f64> {
            info.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(':')?.trim().parse().ok())
        };
        Ok(ServerStats {
            ping,
            used_memory_bytes: field("used_memory"),
            connected_clients: field("connected_clients"),
            ops_per_sec: field("instantaneous_ops_per_sec"),
            commands_processed: field("total_commands_processed"),
        })
    }
}

/// INFO's text, from a plain reply or from a cluster's per-node map (its first node).
fn info_text(v: redis::Value) -> String {
    match v {
        redis::Value::Map(nodes) => nodes.into_iter().next().map(|(_, v)| info_text(v)).unwrap_or_default(),
        other => redis::from_redis_value::<String>(other).unwrap_or_default(),
    }
}
