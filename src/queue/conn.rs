//! One connection to a single Redis or to a Redis Cluster, behind the redis crate's
//! `ConnectionLike`, so every script and command runs unchanged on both.

use std::time::Duration;

use redis::cluster::ClusterConnection;
use redis::{Cmd, ConnectionLike, RedisResult, Value};

pub enum Conn {
    Single(redis::Connection),
    /// The cluster client follows MOVED/ASK redirects and refreshes its slot map; every
    /// multi-key script is routed by its first key (the queue's keys share one slot).
    Cluster(Box<ClusterConnection>),
}

impl Conn {
    pub fn set_read_timeout(&self, d: Option<Duration>) -> RedisResult<()> {
        match self {
            Conn::Single(c) => c.set_read_timeout(d),
            Conn::Cluster(c) => c.set_read_timeout(d),
        }
    }

    /// The single-server connection, for what only it can do (several commands in flight).
    pub fn single(&mut self) -> Option<&mut redis::Connection> {
        match self {
            Conn::Single(c) => Some(c),
            Conn::Cluster(_) => None,
        }
    }

    pub fn cluster(&mut self) -> Option<&mut ClusterConnection> {
        match self {
            Conn::Single(_) => None,
            Conn::Cluster(c) => Some(c),
        }
    }
}

impl ConnectionLike for Conn {
    fn req_packed_command(&mut self, cmd: &[u8]) -> RedisResult<Value> {
        match self {
            Conn::Single(c) => c.req_packed_command(cmd),
            Conn::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands(&mut self, cmd: &[u8], offset: usize, count: usize) -> RedisResult<Vec<Value>> {
        match self {
            Conn::Single(c) => c.req_packed_commands(cmd, offset, count),
            Conn::Cluster(c) => c.req_packed_commands(cmd, offset, count),
        }
    }

    fn req_command(&mut self, cmd: &Cmd) -> RedisResult<Value> {
        match self {
            Conn::Single(c) => c.req_command(cmd),
            Conn::Cluster(c) => c.req_command(cmd),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Conn::Single(c) => c.get_db(),
            Conn::Cluster(c) => c.get_db(),
        }
    }

    fn supports_pipelining(&self) -> bool {
        match self {
            Conn::Single(c) => c.supports_pipelining(),
            Conn::Cluster(c) => c.supports_pipelining(),
        }
    }

    fn check_connection(&mut self) -> bool {
        match self {
            Conn::Single(c) => c.check_connection(),
            Conn::Cluster(c) => c.check_connection(),
        }
    }

    fn is_open(&self) -> bool {
        match self {
            Conn::Single(c) => c.is_open(),
            Conn::Cluster(c) => c.is_open(),
        }
    }
}
