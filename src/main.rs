fn main() {
    std::process::exit(hokusai_queue::main_with_args());
}
