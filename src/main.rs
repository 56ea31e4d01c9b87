//! The `msvc` command: parses arguments, calls the library, prints.

mod cli;

// A render allocates many small nodes and frees them soon after; mimalloc
// does that in about half the time of the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
