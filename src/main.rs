// The system allocator: mimalloc saved ~15% CPU on emit but kept two to three times the
// memory resident (a DLQ sweep peaked at 37 MB instead of 15 MB), for no gain in wall time.
fn main() {
    std::process::exit(hokusai_queue::main_with_args());
}
