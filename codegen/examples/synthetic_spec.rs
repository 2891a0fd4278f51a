//! Writes a synthetic spec of N methods shaped like Bitrix24's into a new or empty directory:
//!
//! ```sh
//! cargo run -p oint-codegen --features synthetic --example synthetic_spec -- 500 /tmp/spec
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [methods, dir] = args.as_slice() else {
        eprintln!("usage: synthetic_spec METHODS DIR");
        return ExitCode::from(2);
    };
    let Ok(methods) = methods.parse::<usize>() else {
        eprintln!("`{methods}` is not a number of methods");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    if std::fs::read_dir(&dir).is_ok_and(|mut entries| entries.next().is_some()) {
        eprintln!(
            "{} is not empty: give a new or empty directory",
            dir.display()
        );
        return ExitCode::from(2);
    }
    match oint_codegen::synthetic::write(&dir, methods) {
        Ok(()) => {
            eprintln!("{methods} methods written to {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cannot write {error}");
            ExitCode::FAILURE
        }
    }
}
