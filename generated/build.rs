//! Generates the client methods and the CLI from the spec, so that editing `spec/` and running
//! `cargo build` is all it takes. An invalid spec fails the build with the located error.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let manifest_dir = PathBuf::from(env_var("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env_var("OUT_DIR"));
    // In the repository `generated/spec` links to the top-level `spec/`; a packaged crate
    // carries a copy of it.
    let spec = manifest_dir.join("spec");
    let spec = spec.canonicalize().unwrap_or(spec);
    println!("cargo::rerun-if-changed={}", spec.display());
    match oint_codegen::generate_rust(&spec, &out_dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

fn env_var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("cargo sets {name} for build scripts"))
}
