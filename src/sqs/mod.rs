//! Amazon SQS: the second backend (issue 15), the only code that speaks SQS.
//!
//! The SDK is async and the tool is not: a current-thread tokio runtime lives inside [`Sqs`]
//! and every call blocks on it. Several calls are in flight at once only where that pays
//! (a batch of SendMessageBatch calls), joined on the same runtime.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, Result};
use aws_sdk_sqs::Client;
use aws_sdk_sqs::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_sqs::types::{
    DeleteMessageBatchRequestEntry, MessageAttributeValue, MessageSystemAttributeName, QueueAttributeName,
    SendMessageBatchRequestEntry,
};
use base64::Engine;

use crate::config::SqsTarget;
use crate::exit::Failure;

/// The message attribute that marks a body carried in base64: SQS bodies are XML text (valid
/// UTF-8 without most control characters), a Redis element is any bytes. Such an element travels
/// as base64 with this attribute, and every reader of the tool decodes it back to the exact bytes.
pub const ENCODING_ATTRIBUTE: &str = "hokusai_body_encoding";

/// SQS limits: entries per batch call, and bytes per batch (and per message).
pub const BATCH: usize = 10;
pub const MAX_BATCH_BYTES: usize = 256 * 1024;

/// One message to send: its exact bytes and, on a FIFO queue, its group and dedupe ids.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub body: Vec<u8>,
    pub group_id: Option<String>,
    pub dedupe_id: Option<String>,
}

/// One message received: its exact bytes (decoded), the handle to delete or hide it, and its
/// receive count (SQS's ApproximateReceiveCount, which the redrive policy compares to
/// maxReceiveCount).
#[derive(Debug, Clone)]
pub struct Received {
    pub body: Vec<u8>,
    pub receipt: String,
    pub sqs_message_id: String,
    pub receive_count: u64,
    pub sent_at_ms: Option<i64>,
    pub group_id: Option<String>,
}

/// A queue's attributes as `depth` shows them.
#[derive(Debug, Clone, Default)]
pub struct Attributes {
    pub visible: u64,
    pub in_flight: u64,
    pub delayed: u64,
    pub visibility_timeout: Option<u64>,
    pub fifo: bool,
    /// From the RedrivePolicy: the DLQ's ARN and how many receives send a message there.
    pub dlq_arn: Option<String>,
    pub max_receive_count: Option<u64>,
    /// The largest message the queue takes (bytes, body and attributes).
    pub max_message_size: Option<u64>,
}

pub struct Sqs {
    rt: tokio::runtime::Runtime,
    client: Client,
    pub url: String,
    pub fifo: bool,
}

impl Sqs {
    /// A client for the queue at `target`, with the standard AWS resolution of credentials and
    /// region (environment, shared profile, SSO, IMDS). The region falls back to the one in an
    /// `sqs.REGION.amazonaws.com` URL.
    pub fn connect(target: &SqsTarget) -> Result<Self> {
        let rt =
            tokio::runtime::Builder::new_current_thread().enable_all().build().context("starting the SQS client's runtime")?;
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest()).http_client(http);
        if let Some(e) = &target.endpoint_url {
            loader = loader.endpoint_url(e);
        }
        let shared = rt.block_on(loader.load());
        let mut conf = aws_sdk_sqs::config::Builder::from(&shared);
        if shared.region().is_none() {
            let Some(region) = region_of_url(&target.queue_url) else {
                return Err(Failure::usage(
                    "no AWS region: set AWS_REGION (or a profile's region), or give an sqs.REGION.amazonaws.com queue URL",
                )
                .into());
            };
            conf = conf.region(aws_sdk_sqs::config::Region::new(region));
        }
        let client = Client::from_conf(conf.build());
        Ok(Self { rt, client, fifo: target.queue_url.ends_with(".fifo"), url: target.queue_url.clone() })
    }

    /// The same client aimed at another queue of the account (the DLQ).
    pub fn other(&self, url: &str) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        Ok(Self { rt, client: self.client.clone(), fifo: url.ends_with(".fifo"), url: url.to_owned() })
    }

    pub fn attributes(&self) -> Result<Attributes> {
        let out = self
            .rt
            .block_on(self.client.get_queue_attributes().queue_url(&self.url).attribute_names(QueueAttributeName::All).send())
            .map_err(|e| sdk_error(e, &format!("reading the attributes of {}", self.url)))?;
        let empty = HashMap::new();
        let a = out.attributes().unwrap_or(&empty);
        let num = |k: QueueAttributeName| a.get(&k).and_then(|v| v.parse::<u64>().ok());
        let mut attrs = Attributes {
            visible: num(QueueAttributeName::ApproximateNumberOfMessages).unwrap_or(0),
            in_flight: num(QueueAttributeName::ApproximateNumberOfMessagesNotVisible).unwrap_or(0),
            delayed: num(QueueAttributeName::ApproximateNumberOfMessagesDelayed).unwrap_or(0),
            visibility_timeout: num(QueueAttributeName::VisibilityTimeout),
            fifo: a.get(&QueueAttributeName::FifoQueue).is_some_and(|v| v == "true"),
            max_message_size: num(QueueAttributeName::MaximumMessageSize),
            ..Attributes::default()
        };
        if let Some(policy) = a.get(&QueueAttributeName::RedrivePolicy)
            && let Ok(v) = serde_json::from_str::<serde_json::Value>(policy)
        {
            attrs.dlq_arn = v.get("deadLetterTargetArn").and_then(|x| x.as_str()).map(str::to_owned);
            attrs.max_receive_count = v.get("maxReceiveCount").and_then(|x| x.as_u64().or_else(|| x.as_str()?.parse().ok()));
        }
        Ok(attrs)
    }

    /// The DLQ named by this queue's RedrivePolicy, as a client aimed at it, with its ARN.
    pub fn dead_letter_queue(&self) -> Result<Option<Sqs>> {
        let Some(arn) = self.attributes()?.dlq_arn else {
            return Ok(None);
        };
        // arn:aws:sqs:REGION:ACCOUNT:NAME
        let parts: Vec<&str> = arn.split(':').collect();
        let (Some(account), Some(name)) = (parts.get(4), parts.get(5)) else {
            return Err(Failure::failed(format!("the RedrivePolicy names {arn:?}, which is not an SQS queue ARN")).into());
        };
        let out = self
            .rt
            .block_on(self.client.get_queue_url().queue_name(*name).queue_owner_aws_account_id(*account).send())
            .map_err(|e| sdk_error(e, &format!("finding the dead-letter queue {name}")))?;
        let url = out.queue_url().unwrap_or_default();
        Ok(Some(self.other(url)?))
    }

    /// Sends every message, 10 a call with up to `window` calls in flight (FIFO: one, so each
    /// group keeps its order), in order of the batches. Returns how many were confirmed before the first failure, and that failure.
    /// SQS confirms entry by entry: a batch with a failed entry counts as failed from that entry.
    pub fn send_all(
        &self,
        messages: &[Outgoing],
        window: usize,
        on_batch: &mut dyn FnMut(usize),
    ) -> (usize, Option<anyhow::Error>) {
        let batches = split_batches(messages);
        // A FIFO queue keeps a group's order only between calls that do not overlap: one in flight.
        let window = if self.fifo { 1 } else { window };
        let mut confirmed = 0usize;
        for group in batches.chunks(window.max(1)) {
            let results = self.rt.block_on(async {
                let mut set = tokio::task::JoinSet::new();
                for (i, batch) in group.iter().enumerate() {
                    let call = self.batch_call(batch);
                    set.spawn(async move { (i, call.send().await) });
                }
                let mut results: Vec<Option<_>> = (0..group.len()).map(|_| None).collect();
                while let Some(r) = set.join_next().await {
                    let (i, r) = r.expect("a send task panicked");
                    results[i] = Some(r);
                }
                results
            });
            for (batch, r) in group.iter().zip(results) {
                let r = r.expect("every task answered");
                match r {
                    Ok(out) if out.failed().is_empty() => {
                        confirmed += batch.len();
                        on_batch(batch.len());
                    }
                    Ok(out) => {
                        let f = &out.failed()[0];
                        let first: usize = out.failed().iter().filter_map(|f| f.id().parse().ok()).min().unwrap_or(0);
                        return (
                            confirmed + first,
                            Some(
                                Failure::failed(format!(
                                    "SQS refused message {} of a batch: {} ({})",
                                    f.id(),
                                    f.message().unwrap_or("no reason given"),
                                    f.code()
                                ))
                                .into(),
                            ),
                        );
                    }
                    Err(e) => return (confirmed, Some(sdk_error(e, "sending a batch"))),
                }
            }
        }
        (confirmed, None)
    }

    fn batch_call(
        &self,
        batch: &[Outgoing],
    ) -> aws_sdk_sqs::operation::send_message_batch::builders::SendMessageBatchFluentBuilder {
        let entries = batch
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let (body, encoded) = encode_body(&m.body);
                let mut e = SendMessageBatchRequestEntry::builder().id(i.to_string()).message_body(body);
                if encoded {
                    e = e.message_attributes(
                        ENCODING_ATTRIBUTE,
                        MessageAttributeValue::builder().data_type("String").string_value("base64").build().expect("complete"),
                    );
                }
                if self.fifo {
                    e = e.set_message_group_id(m.group_id.clone()).set_message_deduplication_id(m.dedupe_id.clone());
                }
                e.build().expect("id and body are set")
            })
            .collect();
        self.client.send_message_batch().queue_url(&self.url).set_entries(Some(entries))
    }

    /// Receives up to `n` (at most 10) messages, hiding them for `visibility`, waiting up to
    /// `wait` (long poll, at most 20 s) for the first.
    pub fn receive(&self, n: usize, visibility: Duration, wait: Duration) -> Result<Vec<Received>> {
        let out = self
            .rt
            .block_on(
                self.client
                    .receive_message()
                    .queue_url(&self.url)
                    .max_number_of_messages(n.clamp(1, BATCH) as i32)
                    .visibility_timeout(visibility.as_secs().min(43_200) as i32)
                    .wait_time_seconds(wait.as_secs().min(20) as i32)
                    .message_system_attribute_names(MessageSystemAttributeName::All)
                    .message_attribute_names("All")
                    .send(),
            )
            .map_err(|e| sdk_error(e, &format!("receiving from {}", self.url)))?;
        Ok(out.messages().iter().map(received).collect())
    }

    /// Deletes received messages (acknowledges them). Returns the receipts SQS did not delete.
    pub fn delete(&self, receipts: &[&str]) -> Result<Vec<String>> {
        let mut failed = Vec::new();
        for chunk in receipts.chunks(BATCH) {
            let entries = chunk
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    DeleteMessageBatchRequestEntry::builder().id(i.to_string()).receipt_handle(*r).build().expect("complete")
                })
                .collect();
            let out = self
                .rt
                .block_on(self.client.delete_message_batch().queue_url(&self.url).set_entries(Some(entries)).send())
                .map_err(|e| sdk_error(e, "deleting messages"))?;
            for f in out.failed() {
                if let Ok(i) = f.id().parse::<usize>() {
                    failed.push(chunk[i].to_string());
                }
            }
        }
        Ok(failed)
    }

    /// Hides a received message for `visibility` from now (a heartbeat, or a retry's backoff).
    pub fn change_visibility(&self, receipt: &str, visibility: Duration) -> Result<()> {
        self.rt
            .block_on(
                self.client
                    .change_message_visibility()
                    .queue_url(&self.url)
                    .receipt_handle(receipt)
                    .visibility_timeout(visibility.as_secs().min(43_200) as i32)
                    .send(),
            )
            .map_err(|e| sdk_error(e, "changing a message's visibility"))?;
        Ok(())
    }

    /// Deletes every message of the queue (PurgeQueue: SQS allows one a minute per queue).
    pub fn purge(&self) -> Result<()> {
        self.rt
            .block_on(self.client.purge_queue().queue_url(&self.url).send())
            .map_err(|e| sdk_error(e, &format!("purging {}", self.url)))?;
        Ok(())
    }
}

fn received(m: &aws_sdk_sqs::types::Message) -> Received {
    let body = m.body().unwrap_or_default();
    let encoded = m.message_attributes().and_then(|a| a.get(ENCODING_ATTRIBUTE)).and_then(|v| v.string_value()) == Some("base64");
    let body = if encoded {
        base64::engine::general_purpose::STANDARD.decode(body).unwrap_or_else(|_| body.as_bytes().to_vec())
    } else {
        body.as_bytes().to_vec()
    };
    let sys = |k: MessageSystemAttributeName| m.attributes().and_then(|a| a.get(&k)).cloned();
    Received {
        body,
        receipt: m.receipt_handle().unwrap_or_default().to_owned(),
        sqs_message_id: m.message_id().unwrap_or_default().to_owned(),
        receive_count: sys(MessageSystemAttributeName::ApproximateReceiveCount).and_then(|v| v.parse().ok()).unwrap_or(0),
        sent_at_ms: sys(MessageSystemAttributeName::SentTimestamp).and_then(|v| v.parse().ok()),
        group_id: sys(MessageSystemAttributeName::MessageGroupId),
    }
}

/// The body SQS can carry: the bytes as they are when they are XML-safe UTF-8, else base64.
pub fn encode_body(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) if s.chars().all(xml_char) && !s.is_empty() => (s.to_owned(), false),
        _ => (base64::engine::general_purpose::STANDARD.encode(bytes), true),
    }
}

/// The size SQS counts against MaximumMessageSize for these bytes as the tool sends them: the
/// body as [`encode_body`] makes it, plus the encoding attribute (name, type, value) when it is
/// base64.
pub fn wire_size(bytes: &[u8]) -> u64 {
    match std::str::from_utf8(bytes) {
        Ok(s) if s.chars().all(xml_char) && !s.is_empty() => s.len() as u64,
        _ => (bytes.len().div_ceil(3) * 4 + ENCODING_ATTRIBUTE.len() + "String".len() + "base64".len()) as u64,
    }
}

/// The characters SQS accepts in a body (#x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Batches of at most 10 messages and 256 KiB.
fn split_batches(messages: &[Outgoing]) -> Vec<&[Outgoing]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, m) in messages.iter().enumerate() {
        let size = m.body.len().div_ceil(3) * 4;
        if i > start && (i - start == BATCH || bytes + size > MAX_BATCH_BYTES) {
            out.push(&messages[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < messages.len() {
        out.push(&messages[start..]);
    }
    out
}

/// `us-east-1` from `https://sqs.us-east-1.amazonaws.com/...`.
fn region_of_url(url: &str) -> Option<String> {
    let host = url.split("://").nth(1)?.split('/').next()?;
    let mut parts = host.split('.');
    (parts.next()? == "sqs").then_some(())?;
    let region = parts.next()?;
    (parts.next()? == "amazonaws").then(|| region.to_owned())
}

/// An SDK error as the tool reports it: the service's code and message (or the transport
/// failure), with an exit code: 3 for an unreachable endpoint or refused credentials.
fn sdk_error<E, R>(e: SdkError<E, R>, doing: &str) -> anyhow::Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let unreachable = matches!(e, SdkError::DispatchFailure(_) | SdkError::TimeoutError(_));
    let code = e.code().unwrap_or_default().to_owned();
    let refused = matches!(
        code.as_str(),
        "InvalidClientTokenId"
            | "AccessDenied"
            | "AccessDeniedException"
            | "SignatureDoesNotMatch"
            | "ExpiredToken"
            | "UnrecognizedClientException"
            | "MissingAuthenticationToken"
    );
    let text = match (e.code(), e.message()) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        _ => DisplayErrorContext(&e).to_string(),
    };
    let msg = format!("SQS {doing}: {text}");
    if unreachable {
        Failure::transient(format!("{msg} (is the endpoint right? --endpoint-url / AWS_ENDPOINT_URL)")).into()
    } else if refused {
        Failure::unreachable(format!("{msg} (check the AWS credentials and their permissions)")).into()
    } else if code.contains("NonExistentQueue") || code == "QueueDoesNotExist" {
        Failure::usage(format!("{msg}: check --sqs-queue-url")).into()
    } else {
        Failure::failed(msg).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_that_sqs_cannot_carry_travel_as_base64() {
        assert_eq!(encode_body(b"{\"a\":1}"), ("{\"a\":1}".to_owned(), false));
        assert!(encode_body(b"\xff\x00").1);
        assert!(encode_body(b"a\x01b").1);
        assert!(encode_body(b"").1);
    }

    #[test]
    fn batches_hold_ten_and_fit_the_size_limit() {
        let small: Vec<Outgoing> = (0..25).map(|_| Outgoing { body: vec![b'a'; 10], group_id: None, dedupe_id: None }).collect();
        assert_eq!(split_batches(&small).iter().map(|b| b.len()).collect::<Vec<_>>(), [10, 10, 5]);
        let big: Vec<Outgoing> =
            (0..3).map(|_| Outgoing { body: vec![b'a'; 100_000], group_id: None, dedupe_id: None }).collect();
        assert_eq!(split_batches(&big).iter().map(|b| b.len()).collect::<Vec<_>>(), [1, 1, 1]);
    }

    #[test]
    fn wire_size_counts_base64_and_its_attribute() {
        assert_eq!(wire_size(b"abc"), 3);
        assert_eq!(wire_size("\u{e9}".as_bytes()), 2);
        assert_eq!(wire_size(b"\xff\xfe\xfd"), 4 + 21 + 6 + 6);
        assert_eq!(wire_size(b"\xff").saturating_sub(33), encode_body(b"\xff").0.len() as u64);
    }

    #[test]
    fn region_from_an_aws_queue_url() {
        assert_eq!(region_of_url("https://sqs.eu-west-1.amazonaws.com/1/q").as_deref(), Some("eu-west-1"));
        assert_eq!(region_of_url("http://127.0.0.1:5000/1/q"), None);
    }
}
