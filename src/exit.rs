//! Error kinds a caller acts on, and the one place they become exit codes.

use std::fmt;

/// The documented exit codes (README "Exit codes", and `--help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Success = 0,
    /// The operation failed (a Redis error, a handler failure, a WAIT not met, ...).
    Failed = 1,
    /// Bad command line (clap's own code).
    Usage = 2,
    /// Redis unreachable, timed out, or refused authentication or permission.
    Unreachable = 3,
    /// Invalid input: a payload, file or envelope that breaks the schema.
    InvalidInput = 4,
    /// A health gate tripped (`depth --fail-above`, `--max-age`, `--dlq-fail-above`).
    Threshold = 5,
    /// Interrupted by SIGINT (128 + 2).
    Interrupted = 130,
    /// Terminated by SIGTERM (128 + 15).
    Terminated = 143,
}

/// The exit-code table printed at the end of `--help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0    success
  1    operation failed (Redis error such as WRONGTYPE, replicas not reached, a doctor check
       FAILed, drain --exec with any failed attempt or a handler that cannot start, drain's
       stdout reader gone)
  2    usage error (bad flag or argument, a command the queue's profile does not allow;
       dlq replay/purge/import without --yes when not on a terminal: nothing was changed)
  3    Redis unreachable, timed out, or authentication/permission refused
  4    invalid input (payload, file or envelope breaks the schema); nothing was pushed
  5    threshold exceeded (depth --fail-above / --max-age / --dlq-fail-above)
  130  interrupted (SIGINT); 143 terminated (SIGTERM)";

/// An error whose kind decides the exit code. Everything else exits 1.
#[derive(Debug)]
pub struct Failure {
    pub code: Code,
    pub message: String,
    /// The link broke or the server was not ready (not a refusal): worth reconnecting.
    pub transient: bool,
}

impl Failure {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), transient: false }
    }
    pub fn unreachable(message: impl Into<String>) -> Self {
        Self::new(Code::Unreachable, message)
    }
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(Code::InvalidInput, message)
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Code::Usage, message)
    }
    pub fn threshold(message: impl Into<String>) -> Self {
        Self::new(Code::Threshold, message)
    }
    pub fn failed(message: impl Into<String>) -> Self {
        Self::new(Code::Failed, message)
    }
    /// Unreachable for now: a broken link, a timeout, a server loading its data.
    pub fn transient(message: impl Into<String>) -> Self {
        Self { transient: true, ..Self::unreachable(message) }
    }
}

/// Whether an error is a broken link or a server not ready yet (reconnecting may cure it),
/// as opposed to a refusal (authentication, permission, a wrong type).
pub fn is_transient(err: &anyhow::Error) -> bool {
    err.chain().any(|c| c.downcast_ref::<Failure>().is_some_and(|f| f.transient))
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// A run that ended early on purpose (a signal, a tripped gate) after printing its output.
/// Carries the code only; there is nothing more to say on stderr.
#[derive(Debug)]
pub struct Quiet(pub Code);

impl fmt::Display for Quiet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit {}", self.0 as i32)
    }
}

impl std::error::Error for Quiet {}

/// What `main` prints (if anything) and the process exit code for an error.
pub fn classify(err: &anyhow::Error) -> (Option<String>, i32) {
    for cause in err.chain() {
        if let Some(q) = cause.downcast_ref::<Quiet>() {
            return (None, q.0 as i32);
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::BrokenPipe
        {
            // `hokusai-queue peek | head`: the reader left; that is not our failure.
            return (None, Code::Success as i32);
        }
    }
    let code = err.chain().find_map(|c| c.downcast_ref::<Failure>()).map_or(Code::Failed, |f| f.code);
    (Some(format!("{err:#}")), code as i32)
}
