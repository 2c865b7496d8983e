// Many small allocations per message (JSON maps): mimalloc halves their cost.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(hokusai_queue::main_with_args());
}
