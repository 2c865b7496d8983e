//! One integration-test binary: every test runs the real `hokusai-queue` against its own
//! throwaway redis-server.

mod support;

mod acl;
mod cluster;
mod completion;
mod concurrency;
mod contexts;
mod depth;
mod dlq;
mod doctor;
mod drain;
mod durability;
mod emit;
mod errors;
mod exporter;
mod faults;
mod generated;
mod handlers;
mod message;
#[cfg(feature = "sqs")]
mod migrate;
mod mint;
mod mint_dlq;
mod mint_peer;
mod operator;
mod peek;
mod properties;
mod reap;
mod scripting;
mod secrets;
#[cfg(feature = "sqs")]
mod sqs;
mod tls;
mod top;
