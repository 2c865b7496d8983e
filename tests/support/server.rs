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
    /// A config file given to redis-server before every other argument.
    conf: Option<PathBuf>,
    /// When set, the server listens only on a TLS port (`--port 0 --tls-port`).
    tls: Option<TlsFiles>,
    /// The default user's password (`--requirepass`), used by the helper client.
    password: Option<String>,
}

/// Certificates a test generates: a CA, and a server certificate it signed for 127.0.0.1 and
/// localhost. `other_ca` signed nothing this server uses (an untrusted CA).
pub struct TlsFiles {
    pub ca: PathBuf,
    pub other_ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

impl RedisServer {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts a server with extra `redis-server` arguments (e.g. `["--appendonly", "yes"]`).
    pub fn start_with(extra: &[&str]) -> Self {
        Self::launch(None, false, extra)
    }

    /// Starts a server that speaks only TLS, with certificates generated for this test.
    #[allow(dead_code)]
    pub fn start_tls(extra: &[&str]) -> Self {
        Self::launch(None, true, extra)
    }

    /// Starts `redis-server CONF` with extra arguments after it (the test's port, dir, log
    /// file override the file's). The file's own `save` lines are kept.
    #[allow(dead_code)]
    pub fn start_with_conf(conf: &Path, extra: &[&str]) -> Self {
        Self::launch(Some(conf.to_owned()), false, extra)
    }

    fn launch(conf: Option<PathBuf>, tls: bool, extra: &[&str]) -> Self {
        let args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let password = args.iter().position(|a| a == "--requirepass").and_then(|i| args.get(i + 1)).cloned();
        for _ in 0..10 {
            let dir = tempfile::Builder::new().prefix("hq-redis-").tempdir().expect("a temp dir");
            let tls = tls.then(|| generate_certificates(dir.path()));
            let mut server = Self {
                child: None,
                port: free_port(),
                dir,
                args: args.clone(),
                conf: conf.clone(),
                tls,
                password: password.clone(),
            };
            if server.spawn() {
                return server;
            }
        }
        panic!("could not start redis-server on a free port after 10 tries");
    }

    /// The TLS files of a server started with [`RedisServer::start_tls`].
    #[allow(dead_code)]
    pub fn tls(&self) -> &TlsFiles {
        self.tls.as_ref().expect("a TLS server")
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("redis.log")
    }

    /// The server's log file, and what it printed before it had one (config errors).
    pub fn log(&self) -> String {
        let early = std::fs::read_to_string(self.dir.path().join("stderr.log")).unwrap_or_default();
        early + &std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Starts (or restarts) the process on this server's port and data dir; false when the
    /// port was taken.
    fn spawn(&mut self) -> bool {
        let mut cmd = Command::new(server_binary());
        if let Some(conf) = &self.conf {
            cmd.arg(conf);
        }
        match &self.tls {
            None => {
                cmd.arg("--port").arg(self.port.to_string());
            }
            Some(t) => {
                cmd.args(["--port", "0", "--tls-port", &self.port.to_string(), "--tls-auth-clients", "no"])
                    .arg("--tls-cert-file")
                    .arg(&t.cert)
                    .arg("--tls-key-file")
                    .arg(&t.key)
                    .arg("--tls-ca-cert-file")
                    .arg(&t.ca);
            }
        }
        cmd.arg("--bind")
            .arg("127.0.0.1")
            .arg("--dir")
            .arg(self.dir.path())
            .arg("--logfile")
            .arg(self.log_path())
            .arg("--daemonize")
            .arg("no");
        if self.conf.is_none() && !self.args.iter().any(|a| a == "--save") {
            cmd.arg("--save").arg("");
        }
        let early = std::fs::File::create(self.dir.path().join("stderr.log")).expect("a file in the temp dir");
        cmd.args(&self.args).stdin(Stdio::null()).stdout(early.try_clone().unwrap()).stderr(early);
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
                if self.tls.is_some() && log.contains("tls-port") {
                    panic!(
                        "this redis-server has no TLS support (it is built with BUILD_TLS=yes in Debian's redis-server \
                         package; set HOKUSAI_TEST_REDIS_SERVER to such a build); its log:\n{log}"
                    );
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

    /// The server's URL without credentials (`rediss://` for a TLS server).
    /// Whether the process is up (not killed by the test).
    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }

    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "rediss" } else { "redis" };
        format!("{scheme}://127.0.0.1:{}/0", self.port)
    }

    fn try_client(&self) -> redis::RedisResult<redis::Connection> {
        let mut info = redis::IntoConnectionInfo::into_connection_info(self.url())?;
        if let Some(p) = &self.password {
            let settings = info.redis_settings().clone().set_password(p);
            info = info.set_redis_settings(settings);
        }
        let client = match &self.tls {
            None => redis::Client::open(info)?,
            Some(t) => {
                let _ = rustls::crypto::ring::default_provider().install_default();
                let root_cert = Some(std::fs::read(&t.ca).unwrap());
                redis::Client::build_with_tls(info, redis::TlsCertificates { client_tls: None, root_cert })?
            }
        };
        client.get_connection_with_timeout(Duration::from_secs(2))
    }

    /// A plain connection, for setting up and checking state.
    pub fn client(&self) -> redis::Connection {
        // A connect cut short by a signal (assert_cmd's timeouts catch SIGCHLD in this process,
        // and every finished child of a parallel test raises one) is tried again.
        let mut tries = 0;
        loop {
            match self.try_client() {
                Ok(c) => return c,
                Err(e) if tries < 5 && e.to_string().contains("os error 4") => tries += 1,
                Err(e) => panic!("cannot connect to the test redis: {e}; log:\n{}", self.log()),
            }
        }
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

    /// The fields of `INFO section` as (name, value) pairs.
    #[allow(dead_code)]
    pub fn info(&self, section: &str) -> std::collections::HashMap<String, String> {
        let text: String = redis::cmd("INFO").arg(section).query(&mut self.client()).unwrap();
        text.lines().filter_map(|l| l.split_once(':')).map(|(k, v)| (k.to_owned(), v.trim().to_owned())).collect()
    }

    /// Waits (up to 30 s) until `check` holds, panicking with the server log otherwise.
    #[allow(dead_code)]
    pub fn wait_until(&self, what: &str, mut check: impl FnMut(&Self) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !check(self) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}; log:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
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

/// A CA, a server certificate it signs (for 127.0.0.1 and localhost), and an unrelated CA.
fn generate_certificates(dir: &Path) -> TlsFiles {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca = |name: &str| {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        (cert.pem(), Issuer::new(params, key))
    };
    let (ca_pem, issuer) = ca("hokusai-queue test CA");
    let (other_pem, _) = ca("some other CA");
    let key = KeyPair::generate().unwrap();
    let cert =
        CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap().signed_by(&key, &issuer).unwrap();
    let files = TlsFiles {
        ca: dir.join("ca.pem"),
        other_ca: dir.join("other-ca.pem"),
        cert: dir.join("server.pem"),
        key: dir.join("server.key"),
    };
    std::fs::write(&files.ca, ca_pem).unwrap();
    std::fs::write(&files.other_ca, other_pem).unwrap();
    std::fs::write(&files.cert, cert.pem()).unwrap();
    std::fs::write(&files.key, key.serialize_pem()).unwrap();
    files
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0").local_addr().unwrap().port()
}
