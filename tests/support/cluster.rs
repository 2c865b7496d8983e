//! A throwaway Redis Cluster: three masters (optionally one replica each) on free ports, joined
//! with `redis-cli --cluster create`, torn down on drop.

use std::process::Command;
use std::time::{Duration, Instant};

use super::server::RedisServer;

pub struct RedisCluster {
    pub nodes: Vec<RedisServer>,
}

impl RedisCluster {
    /// Three masters, and one replica per master when `replicas`.
    pub fn start(replicas: bool) -> Self {
        let count = if replicas { 6 } else { 3 };
        let nodes: Vec<RedisServer> = (0..count)
            .map(|_| {
                RedisServer::start_with(&["--cluster-enabled", "yes", "--cluster-node-timeout", "2000", "--appendonly", "no"])
            })
            .collect();
        let addrs: Vec<String> = nodes.iter().map(|n| format!("127.0.0.1:{}", n.port)).collect();
        let mut create = Command::new("redis-cli");
        create.arg("--cluster").arg("create").args(&addrs).arg("--cluster-yes");
        if replicas {
            create.args(["--cluster-replicas", "1"]);
        }
        let out = create.output().expect("redis-cli (redis-tools) is needed for the cluster tests");
        assert!(
            out.status.success(),
            "cluster create failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let cluster = Self { nodes };
        cluster.wait_ok();
        cluster
    }

    /// Waits until every node reports `cluster_state:ok` and agrees on all slots.
    pub fn wait_ok(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ok = self.nodes.iter().filter(|n| n.is_running()).all(|n| {
                let info: String = redis::cmd("CLUSTER").arg("INFO").query(&mut n.client()).unwrap_or_default();
                info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384")
            });
            if ok {
                return;
            }
            assert!(Instant::now() < deadline, "the cluster did not become ok within 60s");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Promotes `replica` to master and waits until it is one. A manual `CLUSTER FAILOVER`
    /// aborts itself silently after 5 s when the master is slow to pause its clients or the
    /// election does not gather its votes in time (a busy CI machine does both), so this asks
    /// again, then with FORCE, then with TAKEOVER (no election at all), instead of waiting on
    /// one attempt that may already have been dropped.
    pub fn failover(&self, replica: &RedisServer) {
        let is_master = || {
            let info: String = redis::cmd("INFO").arg("replication").query(&mut replica.client()).unwrap_or_default();
            info.contains("role:master")
        };
        // A replica whose link is not up refuses a plain failover: wait for the link first.
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let info: String = redis::cmd("INFO").arg("replication").query(&mut replica.client()).unwrap_or_default();
            if info.contains("master_link_status:up") {
                break;
            }
            assert!(Instant::now() < deadline, "the replica never linked to its master: {info}");
            std::thread::sleep(Duration::from_millis(50));
        }
        for mode in [None, None, Some("FORCE"), Some("TAKEOVER")] {
            let mut cmd = redis::cmd("CLUSTER");
            cmd.arg("FAILOVER");
            if let Some(m) = mode {
                cmd.arg(m);
            }
            let asked: redis::RedisResult<String> = cmd.query(&mut replica.client());
            if let Err(e) = asked {
                eprintln!("CLUSTER FAILOVER {}: {e}", mode.unwrap_or(""));
            }
            let until = Instant::now() + Duration::from_secs(8);
            while Instant::now() < until {
                if is_master() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            eprintln!("CLUSTER FAILOVER {} did not complete within 8 s; asking again", mode.unwrap_or(""));
        }
        panic!("the failover did not complete (plain, FORCE and TAKEOVER all tried)");
    }

    /// Seed URLs for the tool (every node).
    pub fn urls(&self) -> Vec<String> {
        self.nodes.iter().filter(|n| n.is_running()).map(|n| n.url()).collect()
    }

    /// The node serving `key` as a master right now.
    pub fn master_for(&self, key: &str) -> &RedisServer {
        let slot: i64 = redis::cmd("CLUSTER").arg("KEYSLOT").arg(key).query(&mut self.nodes[0].client()).unwrap();
        for n in self.nodes.iter().filter(|n| n.is_running()) {
            let role: Vec<redis::Value> = redis::cmd("ROLE").query(&mut n.client()).unwrap();
            if !matches!(role.first(), Some(redis::Value::BulkString(r)) if r == b"master") {
                continue;
            }
            let slots: Vec<Vec<redis::Value>> = redis::cmd("CLUSTER").arg("SLOTS").query(&mut n.client()).unwrap();
            for range in slots {
                let lo: i64 = redis::from_redis_value_ref(&range[0]).unwrap();
                let hi: i64 = redis::from_redis_value_ref(&range[1]).unwrap();
                let owner: Vec<redis::Value> = redis::from_redis_value_ref(&range[2]).unwrap();
                let port: i64 = redis::from_redis_value_ref(&owner[1]).unwrap();
                if (lo..=hi).contains(&slot) && port == n.port as i64 {
                    return n;
                }
            }
        }
        panic!("no master serves slot {slot}");
    }
}
