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
