//! A throwaway redis-server per test: free port, temp dir, killed on drop.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The redis-server binary: `$HOKUSAI_TEST_REDIS_SERVER`, else `redis-server` on PATH.
fn server_binary() -> String {
    std::env::var("HOKUSAI_TEST_REDIS_SERVER").unwrap_or_else(|_| "redis-server".into())
}

pub struct RedisServer {
    child: Option<Child>,
    pub port: u16,
    pub dir: TempDir,
    args: Vec<String>,
}

impl RedisServer {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts a server with extra `redis-server` arguments (e.g. `["--appendonly", "yes"]`).
    pub fn start_with(extra: &[&str]) -> Self {
        let args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        for _ in 0..10 {
            let dir = tempfile::Builder::new().prefix("hq-redis-").tempdir().expect("a temp dir");
            let mut server = Self { child: None, port: free_port(), dir, args: args.clone() };
            if server.spawn() {
                return server;
            }
        }
        panic!("could not start redis-server on a free port after 10 tries");
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("redis.log")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Starts (or restarts) the process on this server's port and data dir; false when the
    /// port was taken.
    fn spawn(&mut self) -> bool {
        let mut cmd = Command::new(server_binary());
        cmd.arg("--port")
            .arg(self.port.to_string())
            .arg("--bind")
            .arg("127.0.0.1")
            .arg("--dir")
            .arg(self.dir.path())
            .arg("--logfile")
            .arg(self.log_path())
            .arg("--daemonize")
            .arg("no");
        if !self.args.iter().any(|a| a == "--save") {
            cmd.arg("--save").arg("");
        }
        cmd.args(&self.args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        let child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => panic!(
                "cannot run `{}` ({e}). The tests need a real Redis: install it with \
                 `sudo apt-get install -y redis-server` (or set HOKUSAI_TEST_REDIS_SERVER to its path)",
                server_binary()
            ),
        };
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                let log = self.log();
                if log.contains("Address already in use") {
                    return false;
                }
                panic!("redis-server exited with {status}; its log:\n{log}");
            }
            if self.answers() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server did not answer PING within 10s; its log:\n{}", self.log());
    }

    /// Whether the server answers at all (an authentication demand counts as an answer).
    fn answers(&self) -> bool {
        match self.try_client().and_then(|mut c| redis::cmd("PING").query::<String>(&mut c)) {
            Ok(_) => true,
            Err(e) => matches!(e.code(), Some("NOAUTH" | "WRONGPASS")) || e.kind() == redis::ErrorKind::AuthenticationFailed,
        }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    fn try_client(&self) -> redis::RedisResult<redis::Connection> {
        redis::Client::open(self.url())?.get_connection_with_timeout(Duration::from_secs(2))
    }

    /// A plain connection, for setting up and checking state.
    pub fn client(&self) -> redis::Connection {
        self.try_client().unwrap_or_else(|e| panic!("cannot connect to the test redis: {e}; log:\n{}", self.log()))
    }

    /// SIGKILLs the server (no shutdown save).
    #[allow(dead_code)] // used by the crash tests of later suites
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts the server again on the same port and data dir (AOF/RDB files are kept).
    #[allow(dead_code)]
    pub fn restart(&mut self) {
        self.kill();
        assert!(self.spawn(), "port {} was taken while the server was down", self.port);
    }

    #[allow(dead_code)]
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    // ---- state helpers -------------------------------------------------------------------

    pub fn lrange(&self, key: &str) -> Vec<Vec<u8>> {
        redis::cmd("LRANGE").arg(key).arg(0).arg(-1).query(&mut self.client()).unwrap()
    }

    pub fn llen(&self, key: &str) -> u64 {
        redis::cmd("LLEN").arg(key).query(&mut self.client()).unwrap()
    }

    pub fn lpush(&self, key: &str, value: &[u8]) {
        redis::cmd("LPUSH").arg(key).arg(value).exec(&mut self.client()).unwrap();
    }

    pub fn cmd(&self, args: &[&str]) -> redis::Value {
        let mut c = redis::cmd(args[0]);
        for a in &args[1..] {
            c.arg(*a);
        }
        c.query(&mut self.client()).unwrap()
    }

    /// Every key in the database (for "nothing else was written" checks).
    pub fn keys(&self) -> Vec<String> {
        let mut k: Vec<String> = redis::cmd("KEYS").arg("*").query(&mut self.client()).unwrap();
        k.sort();
        k
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0").local_addr().unwrap().port()
}
