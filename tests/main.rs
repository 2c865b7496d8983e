//! One integration-test binary: every test runs the real `hokusai-queue` against its own
//! throwaway redis-server.

mod support;

mod acl;
mod depth;
mod doctor;
mod durability;
mod emit;
mod errors;
mod generated;
mod peek;
mod properties;
mod secrets;
mod tls;
