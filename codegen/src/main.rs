//! `oint-codegen`: validate a spec, refresh the docs pages, or look at the generated Rust.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    version,
    about = "Generates oint's client, CLI and docs from the YAML spec"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes the docs pages (run from the repository root)
    Docs {
        /// The spec directory
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The docs directory; it holds generated pages only
        #[arg(long, default_value = "generated/docs")]
        out: PathBuf,
        /// Writes nothing; fails when the pages differ from what the spec gives
        #[arg(long)]
        check: bool,
    },
    /// Validates the spec and writes nothing
    Check {
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
    },
    /// Writes the generated Rust (client and CLI) into a directory, to read it
    Rust {
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
        Command::Docs {
            spec,
            out,
            check: false,
        } => oint_codegen::generate_docs(&spec, &out).map(|()| {
            eprintln!("docs written to {}", out.display());
        }),
        Command::Docs {
            spec,
            out,
            check: true,
        } => match oint_codegen::check_docs(&spec, &out) {
            Ok(differences) if differences.is_empty() => Ok(()),
            Ok(differences) => {
                for line in differences {
                    eprintln!("stale: {line}");
                }
                eprintln!(
                    "run `{}` and commit the result",
                    oint_codegen::emit::DOCS_COMMAND
                );
                return ExitCode::FAILURE;
            }
            Err(error) => Err(error),
        },
        Command::Check { spec } => oint_codegen::model(&spec)
            .map(|model| {
                let methods: usize = model.libraries.iter().map(|l| l.methods().count()).sum();
                eprintln!(
                    "{}: {} libraries, {methods} methods, no errors",
                    spec.display(),
                    model.libraries.len()
                );
            })
            .map_err(Into::into),
        Command::Rust { spec, out } => oint_codegen::generate_rust(&spec, &out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
