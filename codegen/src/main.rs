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
    /// Writes every committed output from the spec: the Rust, the docs pages and the OpenAPI
    /// documents (run from the repository root)
    Generate {
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The repository's root, under which each output has its directory
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only these outputs: rust, docs, openapi
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Writes nothing; fails when an output differs from what the spec gives
        #[arg(long)]
        check: bool,
    },
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
    /// Lists what changes between two specs for Rust users, CLI users and docs readers, says
    /// which are breaking and which version bump semver asks for; exits 1 on a breaking change
    /// unless --allow-breaking
    Diff {
        /// The old spec: a directory, or a git revision (`HEAD~1`, `v0.1.0`) whose `spec/` is read
        old: String,
        /// The new spec: a directory or a git revision
        #[arg(default_value = "spec")]
        new: String,
        /// A JSON report for tools instead of text
        #[arg(long)]
        json: bool,
        /// Exits 0 even when a change is breaking (a major release is planned)
        #[arg(long)]
        allow_breaking: bool,
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
    /// Writes the OpenAPI 3.0.3 document of a library
    Openapi {
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The library's command, e.g. `bitrix24`; needed when the spec has several
        #[arg(long)]
        library: Option<String>,
        /// The file to write; stdout when not given
        #[arg(long)]
        out: Option<PathBuf>,
        /// Writes nothing; fails when the --out file differs from what the spec gives
        #[arg(long, requires = "out")]
        check: bool,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
        Command::Generate {
            spec,
            root,
            only,
            check,
        } => return generate(&spec, &root, &only, check),
        Command::Diff {
            old,
            new,
            json,
            allow_breaking,
        } => return diff(&old, &new, json, allow_breaking),
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
        Command::Openapi {
            spec,
            library,
            out,
            check,
        } => match oint_codegen::model(&spec) {
            Ok(model) => return openapi(&model, library.as_deref(), out, check),
            Err(error) => Err(error.into()),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

/// `oint-codegen openapi`: one library's document to stdout or a file, or the check of a file.
fn openapi(
    model: &oint_codegen::Model,
    library: Option<&str>,
    out: Option<PathBuf>,
    check: bool,
) -> ExitCode {
    let commands: Vec<&str> = model.libraries.iter().map(|l| l.command.as_str()).collect();
    let chosen = match (library, model.libraries.as_slice()) {
        (None, [only]) => only,
        (wanted, libraries) => match libraries.iter().find(|l| Some(&*l.command) == wanted) {
            Some(library) => library,
            None => {
                eprintln!("name a library with --library: {}", commands.join(", "));
                return ExitCode::from(2);
            }
        },
    };
    let text = oint_codegen::emit::openapi::document(chosen);
    let Some(out) = out else {
        print!("{text}");
        return ExitCode::SUCCESS;
    };
    if check {
        if std::fs::read(&out).is_ok_and(|old| old == text.as_bytes()) {
            return ExitCode::SUCCESS;
        }
        eprintln!("stale: {} differs from what the spec gives", out.display());
        eprintln!(
            "run `{}` and commit the result",
            oint_codegen::outputs::OPENAPI.command
        );
        return ExitCode::FAILURE;
    }
    let file = oint_codegen::OutputFile {
        path: out.file_name().map(PathBuf::from).unwrap_or_default(),
        text,
    };
    let dir = out.parent().unwrap_or(std::path::Path::new(""));
    match oint_codegen::write::write_files(dir, &[file]) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cannot write {error}");
            ExitCode::FAILURE
        }
    }
}

/// `oint-codegen generate`: every committed output (or those `only` names) written under
/// `root`, or compared with what is there.
fn generate(
    spec: &std::path::Path,
    root: &std::path::Path,
    only: &[String],
    check: bool,
) -> ExitCode {
    use oint_codegen::outputs::{self, OUTPUTS};
    if let Some(unknown) = only
        .iter()
        .find(|name| outputs::named(name).is_none_or(|output| output.dir.is_none()))
    {
        let committed: Vec<&str> = OUTPUTS
            .iter()
            .filter(|output| output.dir.is_some())
            .map(|output| output.name)
            .collect();
        eprintln!(
            "`{unknown}` is not a committed output: {}",
            committed.join(", ")
        );
        return ExitCode::from(2);
    }
    let model = match oint_codegen::model(spec) {
        Ok(model) => model,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let chosen = OUTPUTS
        .into_iter()
        .filter(|output| only.is_empty() || only.iter().any(|name| name == output.name));
    let mut stale = false;
    for output in chosen {
        let Some(dir) = output.dir_in(root) else {
            continue;
        };
        let done = if check {
            output.check(&model, &dir).map(|differences| {
                for line in &differences {
                    eprintln!("stale: {line}");
                }
                if !differences.is_empty() {
                    eprintln!("run `{}` and commit the result", output.command);
                    stale = true;
                }
            })
        } else {
            output
                .write(&model, &dir, spec)
                .map(|()| eprintln!("{} written to {}", output.name, dir.display()))
        };
        if let Err(error) = done {
            eprintln!("cannot write {error}");
            return ExitCode::FAILURE;
        }
    }
    if stale {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `oint-codegen diff OLD NEW`: the changes between two specs, each a directory or a git
/// revision.
fn diff(old: &str, new: &str, json: bool, allow_breaking: bool) -> ExitCode {
    let read = |side: &str| -> Result<oint_codegen::Model, String> {
        let path = std::path::Path::new(side);
        if path.is_dir() {
            return oint_codegen::model(path).map_err(|e| format!("{side}: {e}"));
        }
        let checkout = SpecCheckout::of(side)?;
        oint_codegen::model(&checkout.spec()).map_err(|e| format!("{side}: {e}"))
    };
    let (old_model, new_model) = match (read(old), read(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(error), _) | (_, Err(error)) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    let changes = oint_codegen::diff::diff(&old_model, &new_model);
    if json {
        print!("{}", oint_codegen::diff::json(&changes));
    } else {
        print!("{}", oint_codegen::diff::report(&changes));
    }
    if changes.iter().any(|c| c.breaking) && !allow_breaking {
        eprintln!("breaking changes: pass --allow-breaking when they are meant");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The `spec/` of a git revision, unpacked into a directory of its own that is removed when
/// this is dropped.
struct SpecCheckout {
    dir: PathBuf,
}

impl SpecCheckout {
    fn of(revision: &str) -> Result<SpecCheckout, String> {
        use std::process::{Command, Stdio};
        if revision.starts_with('-') {
            return Err(format!(
                "`{revision}` is neither a directory nor a git revision"
            ));
        }
        let commit = Command::new("git")
            .args(["rev-parse", "--verify", "--quiet"])
            .arg(format!("{revision}^{{commit}}"))
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !commit.status.success() {
            return Err(format!(
                "`{revision}` is neither a directory nor a git revision"
            ));
        }
        let commit = String::from_utf8_lossy(&commit.stdout).trim().to_owned();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!("oint-diff-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let checkout = SpecCheckout { dir };
        // `git archive <commit> spec | tar -x`, without a shell.
        let mut archive = Command::new("git")
            // `<commit>:spec` is the root's spec/, wherever in the repository this runs.
            .args([
                "archive",
                "--format=tar",
                "--prefix=spec/",
                &format!("{commit}:spec"),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        let unpacked = Command::new("tar")
            .arg("-x")
            .arg("-C")
            .arg(&checkout.dir)
            .stdin(archive.stdout.take().ok_or("git archive gave no output")?)
            .status()
            .map_err(|e| format!("cannot run tar: {e}"))?;
        let archived = archive.wait().map_err(|e| format!("git archive: {e}"))?;
        if !archived.success() || !unpacked.success() || !checkout.spec().is_dir() {
            return Err(format!("`{revision}` has no spec/ directory"));
        }
        Ok(checkout)
    }

    fn spec(&self) -> PathBuf {
        self.dir.join("spec")
    }
}

impl Drop for SpecCheckout {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
