//! Progress bars and confirmations: stderr only, and only when stderr is a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether stderr is a terminal a person is watching.
pub fn interactive() -> bool {
    std::io::stderr().is_terminal()
}

/// A progress bar for `total` items on stderr, or a hidden one when stderr is not a terminal
/// (scripts and CI logs get no escape codes).
pub fn progress(total: u64, what: &str) -> ProgressBar {
    if !interactive() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({rate}, eta {eta})")
        .expect("a valid template")
        .with_key("rate", rate)
        .progress_chars("=> ");
    pb.set_style(style);
    pb.set_message(what.to_owned());
    pb
}

/// A spinner with a running count on stderr, or a hidden one when stderr is not a terminal.
pub fn spinner(what: &str) -> ProgressBar {
    if !interactive() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg}: {pos} ({rate})").expect("a valid template").with_key("rate", rate),
    );
    pb.set_message(what.to_owned());
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// Items per second, whole: `119879/s`, not `119,878.7306/s`.
fn rate(state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write) {
    let _ = write!(w, "{:.0}/s", state.per_sec());
}
