//! `oint <library> <Method> --option value …`: see `oint --help`.

fn main() -> std::process::ExitCode {
    oint::cli::main()
}
