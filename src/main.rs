//! The `sysdeck` binary: parse the command line and hand it to the library's commands.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use sysdeck::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match sysdeck::commands::run(cli) {
        Ok(code) => code,
        // The reader went away (`sysdeck stats | head -1`): stop quietly, as other tools do;
        // stderr may be the same closed pipe.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(sysdeck::safe_text::stderr(), "error: {e:#}");
            ExitCode::from(sysdeck::commands::exit::code(&e))
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
