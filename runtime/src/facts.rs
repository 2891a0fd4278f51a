//! What the docs' guides say of the runtime, as data: the exit codes of `oint` and the kinds of
//! error behind each, the defaults of [`Config`](crate::Config), and the global options of the
//! command line as clap declares them. The generator cannot link the runtime, so the facts
//! travel in a committed file, `codegen/templates/guides/runtime.json`, which this module's test
//! compares with the code (and rewrites with `OINT_UPDATE_FACTS=1`): the guides cannot drift
//! from what the program does.

use serde_json::{Value, json};

use crate::cli::{CliError, EXIT_CODES, Libraries, Output, Session};

/// The command line with no library: its global options alone.
struct NoLibrary;

impl Libraries for NoLibrary {
    fn commands() -> Vec<clap::Command> {
        Vec::new()
    }

    async fn run(library: &str, _: &clap::ArgMatches, _: &Session) -> Result<Output, CliError> {
        Err(CliError::Usage(format!("no library `{library}`")))
    }
}

/// The facts, as the guides' templates read them.
pub fn facts() -> Value {
    let config = crate::Config::default();
    let options: Vec<Value> = crate::cli::command::<NoLibrary>()
        .get_arguments()
        .filter(|arg| !matches!(arg.get_id().as_str(), "help" | "version"))
        .map(|arg| {
            json!({
                "long": arg.get_long(),
                "value": arg.get_value_names().and_then(|names| names.first()).map(|n| n.as_str()),
                "help": arg.get_help().map(|help| help.to_string()),
            })
        })
        .collect();
    json!({
        "exit_codes": EXIT_CODES
            .iter()
            .map(|(code, kinds, meaning)| json!({"code": code, "kinds": kinds, "meaning": meaning}))
            .collect::<Vec<_>>(),
        "errors": crate::Error::KINDS,
        "config": {
            "request_timeout_s": config.request_timeout.as_secs(),
            "connect_timeout_s": config.connect_timeout.as_secs(),
            "max_attempts": config.max_attempts,
            "backoff_base_ms": config.backoff_base.as_millis() as u64,
            "backoff_max_s": config.backoff_max.as_secs(),
            "max_answer_mib": config.max_answer_bytes / (1024 * 1024),
            "batch_limit": crate::BATCH_LIMIT,
            "page": crate::PAGE,
        },
        "global_options": options,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every kind of failure has one exit code.
    #[test]
    fn each_kind_of_failure_has_one_exit_code() {
        let kinds: Vec<&str> = crate::Error::KINDS
            .into_iter()
            .chain(["Usage", "Output"])
            .collect();
        for kind in &kinds {
            let codes = super::EXIT_CODES
                .iter()
                .filter(|(_, listed, _)| listed.contains(kind))
                .count();
            assert_eq!(codes, 1, "{kind}");
        }
        let listed: usize = super::EXIT_CODES.iter().map(|(_, k, _)| k.len()).sum();
        assert_eq!(listed, kinds.len());
    }

    /// The committed facts are what the code says (`OINT_UPDATE_FACTS=1` rewrites them). Where
    /// the crate is built outside this repository, there is no file to compare.
    #[test]
    fn the_guides_facts_are_up_to_date() {
        let file =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/templates/guides/runtime.json");
        if !file.parent().is_some_and(Path::is_dir) {
            return;
        }
        let text = serde_json::to_string_pretty(&super::facts()).unwrap() + "\n";
        if std::env::var_os("OINT_UPDATE_FACTS").is_some() {
            std::fs::write(&file, &text).unwrap();
        }
        let committed = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(
            committed == text,
            "{} is stale: run `OINT_UPDATE_FACTS=1 cargo test -p oint-runtime --features cli facts` and commit it",
            file.display()
        );
    }
}
