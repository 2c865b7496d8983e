//! A throwaway SQS emulator per test: moto's server mode on a free port, killed on drop.
//! Nothing reaches AWS: fake credentials, the emulator's endpoint, region us-east-1.

use std::collections::HashMap;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::{MessageSystemAttributeName, QueueAttributeName};

/// `$HOKUSAI_MOTO_SERVER`, else the project's venv (scripts/ensure-moto.sh), else PATH.
fn moto_binary() -> String {
    if let Ok(b) = std::env::var("HOKUSAI_MOTO_SERVER") {
        return b;
    }
    let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/target/moto-venv/bin/moto_server");
    if std::path::Path::new(venv).exists() { venv.to_owned() } else { "moto_server".to_owned() }
}

pub struct SqsServer {
    child: Child,
    pub port: u16,
    rt: tokio::runtime::Runtime,
    pub client: Client,
    log: tempfile::NamedTempFile,
}

/// A message as the tests read it back.
#[derive(Debug, Clone)]
pub struct Got {
    pub body: Vec<u8>,
    pub group_id: Option<String>,
    pub dedupe_id: Option<String>,
}

impl SqsServer {
    pub fn start() -> Self {
        let bin = moto_binary();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = tempfile::NamedTempFile::new().unwrap();
        let child = Command::new(&bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(log.reopen().unwrap())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start moto's SQS emulator ({bin}): {e}. Run scripts/ensure-moto.sh (or scripts/test.sh), or set HOKUSAI_MOTO_SERVER")
            });
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not listen on {port} within 60 s: {}",
                std::fs::read_to_string(log.path()).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let conf = aws_sdk_sqs::Config::builder()
            .behavior_version_latest()
            .region(aws_sdk_sqs::config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_sqs::config::Credentials::new("test", "test", None, None, "tests"))
            .endpoint_url(format!("http://127.0.0.1:{port}"))
            .http_client(http)
            .build();
        Self { child, port, rt, client: Client::from_conf(conf), log }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Creates a queue (a name ending in .fifo makes a FIFO queue); returns its URL.
    pub fn create(&self, name: &str, attrs: &[(QueueAttributeName, String)]) -> String {
        let mut call = self.client.create_queue().queue_name(name);
        if name.ends_with(".fifo") {
            call = call.attributes(QueueAttributeName::FifoQueue, "true");
        }
        for (k, v) in attrs {
            call = call.attributes(k.clone(), v);
        }
        let out = self.rt.block_on(call.send()).unwrap_or_else(|e| panic!("create_queue {name}: {e:?}"));
        out.queue_url().unwrap().to_owned()
    }

    /// A queue with a DLQ (RedrivePolicy, maxReceiveCount `max`): (queue URL, DLQ URL).
    pub fn create_with_dlq(&self, name: &str, max: u32) -> (String, String) {
        let fifo = name.ends_with(".fifo");
        let dlq_name = if fifo { format!("{}-dlq.fifo", name.trim_end_matches(".fifo")) } else { format!("{name}-dlq") };
        let dlq = self.create(&dlq_name, &[]);
        let arn = self.attribute(&dlq, QueueAttributeName::QueueArn);
        let policy = format!(r#"{{"deadLetterTargetArn":"{arn}","maxReceiveCount":"{max}"}}"#);
        let url = self.create(name, &[(QueueAttributeName::RedrivePolicy, policy)]);
        (url, dlq)
    }

    pub fn attribute(&self, url: &str, name: QueueAttributeName) -> String {
        let out =
            self.rt.block_on(self.client.get_queue_attributes().queue_url(url).attribute_names(name.clone()).send()).unwrap();
        out.attributes().and_then(|a| a.get(&name)).cloned().unwrap_or_default()
    }

    /// The queue's visible + in-flight + delayed counts.
    pub fn counts(&self, url: &str) -> (u64, u64, u64) {
        let out = self
            .rt
            .block_on(self.client.get_queue_attributes().queue_url(url).attribute_names(QueueAttributeName::All).send())
            .unwrap();
        let a: HashMap<_, _> = out.attributes().cloned().unwrap_or_default();
        let n = |k: QueueAttributeName| a.get(&k).and_then(|v| v.parse().ok()).unwrap_or(0);
        (
            n(QueueAttributeName::ApproximateNumberOfMessages),
            n(QueueAttributeName::ApproximateNumberOfMessagesNotVisible),
            n(QueueAttributeName::ApproximateNumberOfMessagesDelayed),
        )
    }

    /// Sends bodies as they are (standard queues, or FIFO with a group and a dedupe id each).
    pub fn send(&self, url: &str, bodies: &[&str]) {
        for (i, b) in bodies.iter().enumerate() {
            let mut call = self.client.send_message().queue_url(url).message_body(*b);
            if url.ends_with(".fifo") {
                call = call.message_group_id("g").message_deduplication_id(format!("d{i}-{}", b.len()));
            }
            self.rt.block_on(call.send()).unwrap();
        }
    }

    /// Receives (and deletes) every visible message, in the order SQS gives them.
    pub fn take_all(&self, url: &str) -> Vec<Got> {
        let mut all = Vec::new();
        loop {
            let out = self
                .rt
                .block_on(
                    self.client
                        .receive_message()
                        .queue_url(url)
                        .max_number_of_messages(10)
                        .visibility_timeout(60)
                        .message_system_attribute_names(MessageSystemAttributeName::All)
                        .message_attribute_names("All")
                        .send(),
                )
                .unwrap();
            if out.messages().is_empty() {
                return all;
            }
            for m in out.messages() {
                let sys = |k: MessageSystemAttributeName| m.attributes().and_then(|a| a.get(&k)).cloned();
                let body = m.body().unwrap_or_default();
                let b64 = m.message_attributes().and_then(|a| a.get("hokusai_body_encoding")).is_some();
                use base64::Engine;
                let body =
                    if b64 { base64::engine::general_purpose::STANDARD.decode(body).unwrap() } else { body.as_bytes().to_vec() };
                all.push(Got {
                    body,
                    group_id: sys(MessageSystemAttributeName::MessageGroupId),
                    dedupe_id: sys(MessageSystemAttributeName::MessageDeduplicationId),
                });
                self.rt
                    .block_on(self.client.delete_message().queue_url(url).receipt_handle(m.receipt_handle().unwrap()).send())
                    .unwrap();
            }
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }
}

impl Drop for SqsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The AWS environment every SQS test gives the binary: fake credentials, a region, and none of
/// the developer's own AWS settings.
pub fn aws_env(c: &mut assert_cmd::Command) {
    for k in ["AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SQS", "AWS_SESSION_TOKEN", "HOKUSAI_SQS_QUEUE_URL"] {
        c.env_remove(k);
    }
    c.env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
}

/// The same for a `std::process::Command` (background runs, SIGKILL tests).
pub fn aws_env_process(c: &mut std::process::Command) {
    for k in ["AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SQS", "AWS_SESSION_TOKEN", "HOKUSAI_SQS_QUEUE_URL"] {
        c.env_remove(k);
    }
    c.env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
}
