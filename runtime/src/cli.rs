//! The `oint` command line: the hand-written frame (global options, output, exit codes) around
//! the generated commands, one per library and per method.
//!
//! Exit codes: 0 success, 1 the API refused the call (its code and description are printed),
//! 2 bad usage (clap's message, or an argument the client cannot use), 3 Bitrix24 could not be
//! reached, 4 the answer was not a Bitrix24 answer, 5 the `--out` file could not be written,
//! 6 Bitrix24 is limiting requests or the method's time budget is spent (try later), 7 the
//! access token has expired (refresh it).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};

use serde_json::Value;

use crate::{Binary, Date, Event, Id, Shown};

/// What the generated code gives the frame: the command of every library, and the run of the
/// method chosen under one of them.
pub trait Libraries {
    /// The command of each library (`oint bitrix24 …`), with its methods as subcommands.
    fn commands() -> Vec<Command>;

    /// Runs the method chosen under `library`; returns what to print.
    fn run(
        library: &str,
        args: &ArgMatches,
        session: &Session,
    ) -> impl std::future::Future<Output = Result<Output, CliError>>;
}

/// What a method gives the command line to print: JSON, or the bytes of a file it read.
#[derive(Debug)]
pub enum Output {
    Json(Value),
    Bytes(Vec<u8>),
}

impl From<Value> for Output {
    fn from(value: Value) -> Output {
        Output::Json(value)
    }
}

impl From<Vec<u8>> for Output {
    fn from(bytes: Vec<u8>) -> Output {
        Output::Bytes(bytes)
    }
}

/// `oint <library> --help`: the usage, then the methods by group (the command's after-help),
/// then the options.
pub const LIBRARY_HELP_TEMPLATE: &str =
    "{about-with-newline}\n{usage-heading} {usage}{after-help}\n\nOptions:\n{options}\n";

/// Everything that can end a run other than success.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Call(#[from] crate::Error),
    #[error("cannot write {}: {source}", path.display())]
    Output {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The exit code of `oint` for each way a run can fail, by the kind of failure: a variant of
/// [`crate::Error`] ([`crate::Error::KINDS`]), `Usage` (a bad command line) or `Output` (the
/// `--out` file or stdout could not be written). 0 is success, and also a result not of the
/// type the spec declares: the answer is printed, with a warning. The one table the command
/// line and the docs' guide to errors read.
pub const EXIT_CODES: [(u8, &[&str], &str); 8] = [
    (0, &["UnexpectedResult"], "success"),
    (1, &["Api"], "the API refused the call"),
    (2, &["Usage", "InvalidInput"], "bad usage"),
    (3, &["Transport", "NotDone"], "the API could not be reached"),
    (4, &["InvalidAnswer"], "the answer was not the API's"),
    (5, &["Output"], "the --out file could not be written"),
    (
        6,
        &["RateLimited", "OperationTimeLimit"],
        "the API is limiting requests or the method's time budget is spent (try later)",
    ),
    (
        7,
        &["TokenExpired"],
        "the access token has expired (refresh it)",
    ),
];

/// The exit code of a failure of `kind`.
fn exit_code_of(kind: &str) -> u8 {
    EXIT_CODES
        .iter()
        .find(|(_, kinds, _)| kinds.contains(&kind))
        .map_or(1, |(code, _, _)| *code)
}

impl CliError {
    /// `Usage`, `Output`, or the kind of the call's error.
    pub fn kind(&self) -> &'static str {
        match self {
            CliError::Usage(_) => "Usage",
            CliError::Output { .. } => "Output",
            CliError::Call(error) => error.kind(),
        }
    }

    pub fn exit_code(&self) -> u8 {
        exit_code_of(self.kind())
    }
}

/// Options that hold for the whole run.
#[derive(Debug, Default)]
pub struct Session {
    /// `--debug`: show what is sent, secrets masked, and each retry, on stderr.
    pub debug: bool,
    /// `--timeout`, `--attempts`, `--retry-wait`.
    pub config: crate::Config,
    /// Show the progress of long reads: stderr is a terminal and the answer goes to stdout.
    pub progress: bool,
}

impl Session {
    fn from_args(args: &ArgMatches) -> Session {
        let mut config = crate::Config::default();
        if let Some(attempts) = args.get_one::<u32>("attempts") {
            config.max_attempts = *attempts;
        }
        if let Some(ms) = args.get_one::<u64>("retry-wait") {
            config.backoff_base = Duration::from_millis(*ms);
        }
        Session {
            debug: args.get_flag("debug"),
            config,
            progress: false,
        }
    }

    /// Applies the session's options to a client.
    pub fn configure(&self, client: crate::Client) -> Result<crate::Client, crate::Error> {
        let client = client.with_config(self.config.clone())?;
        if !self.debug {
            return Ok(client);
        }
        Ok(client.observe(|event| match event {
            Event::Request {
                attempt,
                verb,
                url,
                body,
                ..
            } => {
                eprintln!("debug: attempt {attempt}: {verb} {}", Shown(url));
                if *verb != "GET" {
                    eprintln!("debug: body {}", Shown(&body.to_string()));
                }
            }
            Event::Response { status, bytes } => {
                eprintln!("debug: answer HTTP {status}, {bytes} bytes");
            }
            Event::Retry {
                next_attempt,
                wait,
                reason,
            } => {
                eprintln!(
                    "debug: {}; attempt {next_attempt} in {} ms",
                    Shown(reason),
                    wait.as_millis()
                );
            }
        }))
    }
}

/// Reads every page of a list call (`--all`) into one JSON array, with a progress line on
/// stderr when it is a terminal.
pub async fn read_all<T>(
    call: crate::Pending<'_, T>,
    session: &Session,
) -> Result<Value, CliError> {
    let bar = session.progress.then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} items read {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    });
    let mut items = Vec::new();
    call.each_page(|page| {
        items.extend(page.items);
        if let Some(bar) = &bar {
            bar.set_position(items.len() as u64);
            if let Some(total) = page.total {
                bar.set_message(format!("of {total}"));
            }
        }
    })
    .await?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(Value::Array(items))
}

/// The value of a required option; clap has checked that it is there and parsed it.
pub fn value<T: Clone + Send + Sync + 'static>(args: &ArgMatches, id: &str) -> Result<T, CliError> {
    args.get_one::<T>(id)
        .cloned()
        .ok_or_else(|| CliError::Usage(format!("missing value for {id}")))
}

/// Reads a `Boolean` option: `true`/`false`, or Bitrix24's `Y`/`N`.
pub fn parse_flag(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "y" | "yes" | "1" => Ok(true),
        "false" | "n" | "no" | "0" => Ok(false),
        _ => Err(format!(
            "`{text}` is not a boolean: use true or false (or Y/N)"
        )),
    }
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 3600.0 => Ok(seconds),
        _ => Err(format!(
            "`{text}` is not a number of seconds between 0 and 3600"
        )),
    }
}

/// Reads a `Structure` option: JSON text, or the path of a `.json` file holding it.
pub fn parse_object(text: &str) -> Result<Value, String> {
    match json_argument(text)? {
        value @ Value::Object(_) => Ok(value),
        _ => Err("expected a JSON object (`{...}`), or a .json file holding one".into()),
    }
}

/// Reads an `Array of Structure` option; one object alone is a list of one.
pub fn parse_objects(text: &str) -> Result<Vec<Value>, String> {
    let items = match json_argument(text)? {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        _ => return Err("expected a JSON array of objects".into()),
    };
    if items.iter().all(Value::is_object) {
        Ok(items)
    } else {
        Err("expected a JSON array of objects".into())
    }
}

/// Reads a `String, Structure` option (a keyboard, a list of choices): a JSON object or array —
/// single-quoted strings allowed, as in OPI's keyboards (`{'keyboard': [['A']]}`) — or a
/// `.json` file holding one; any other text is the one item of a list, as OPI wraps a value.
pub fn parse_collection(text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    if trimmed.starts_with('{') || trimmed.starts_with('[') || text.ends_with(".json") {
        return json_argument(text);
    }
    Ok(Value::Array(vec![Value::String(text.to_owned())]))
}

/// JSON written with single-quoted strings, as JSON: `'` delimits a string where `"` would,
/// a `"` inside one is escaped, and `\'` is a quote.
fn single_quotes_as_double(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push('"');
            }
            (Some(open), c) if c == open => {
                quote = None;
                out.push('"');
            }
            (Some(_), '\\') => match chars.next() {
                Some('\'') => out.push('\''),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            (Some('\''), '"') => out.push_str("\\\""),
            (_, c) => out.push(c),
        }
    }
    out
}

/// Reads an `Array of String` option: a JSON array, a `.json` file holding one, or one value.
pub fn parse_texts(text: &str) -> Result<Vec<String>, String> {
    one_or_many(text)?
        .into_iter()
        .map(|item| match item {
            Value::String(s) => Ok(s),
            other => Err(format!("expected strings in the array, found {other}")),
        })
        .collect()
}

/// Reads an `Array of Number` option: a JSON array, a `.json` file holding one, or one number.
pub fn parse_numbers(text: &str) -> Result<Vec<i64>, String> {
    one_or_many(text)?
        .into_iter()
        .map(|item| match &item {
            Value::String(s) => s
                .trim()
                .parse()
                .map_err(|_| format!("`{s}` is not an integer")),
            _ => item
                .as_i64()
                .ok_or_else(|| format!("expected integers in the array, found {item}")),
        })
        .collect()
}

/// Reads an `Array of String, Number` option: IDs, each as given (numbers stay numbers); one
/// ID alone is a list of one.
pub fn parse_ids(text: &str) -> Result<Vec<Id>, String> {
    one_or_many(text)?
        .into_iter()
        .map(|item| match item {
            Value::String(s) => Ok(Id::from(s)),
            Value::Number(n) => n
                .as_i64()
                .map(Id::from)
                .ok_or_else(|| format!("`{n}` is not an ID")),
            other => Err(format!(
                "expected IDs (numbers or strings) in the array, found {other}"
            )),
        })
        .collect()
}

/// Reads a `BinaryData` option: the path of a file.
pub fn parse_file(text: &str) -> Result<Binary, String> {
    Binary::read(text).map_err(|e| e.to_string())
}

/// Reads a `Map` of files: a JSON object (or a `.json` file holding one) from file names to
/// the paths of the files to send under them.
pub fn parse_files(text: &str) -> Result<Vec<Binary>, String> {
    text_pairs(text, "file names and paths", "the file of", "a path")?
        .into_iter()
        .map(|(name, path)| parse_file(&path).map(|file| file.named(name)))
        .collect()
}

/// Reads a media group option: a JSON object (OPI's single quotes allowed) of file paths and
/// their kinds, `{"photo.jpg": "photo", "clip.mp4": "video"}`, each file read.
pub fn parse_media(text: &str) -> Result<Vec<(Binary, String)>, String> {
    text_pairs(text, "file paths and their kinds", "the kind of", "a text")?
        .into_iter()
        .map(|(path, kind)| parse_file(&path).map(|file| (file, kind)))
        .collect()
}

/// The keys and text values of a JSON object option, in order; `what` names the pairs, and
/// `value_of`/`value` the values, in the messages.
fn text_pairs(
    text: &str,
    what: &str,
    value_of: &str,
    value: &str,
) -> Result<Vec<(String, String)>, String> {
    let Value::Object(pairs) = parse_object(text)? else {
        return Err(format!("expected a JSON object of {what}"));
    };
    pairs
        .into_iter()
        .map(|(key, item)| match item {
            Value::String(item) => Ok((key, item)),
            other => Err(format!("{value_of} `{key}` must be {value}, not {other}")),
        })
        .collect()
}

/// Reads a `Date` option: `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ss`, with an optional `Z` or
/// offset.
pub fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).map_err(|e| match e {
        crate::Error::InvalidInput(message) => message,
        other => other.to_string(),
    })
}

/// A JSON array; or a `.json` file that holds one; or any other text as the one item of a
/// list, as OPI wraps a single value.
fn one_or_many(text: &str) -> Result<Vec<Value>, String> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || text.ends_with(".json") {
        return json_array(text);
    }
    Ok(vec![Value::String(text.to_owned())])
}

fn json_array(text: &str) -> Result<Vec<Value>, String> {
    match json_argument(text)? {
        Value::Array(items) => Ok(items),
        _ => Err("expected a JSON array (`[...]`), or a .json file holding one".into()),
    }
}

/// The largest JSON file an option reads.
const MAX_JSON_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// JSON given inline, or the path of a file holding it (OPI accepts both).
fn json_argument(text: &str) -> Result<Value, String> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        // OPI's JSON may quote with `'` (its keyboards do).
        return serde_json::from_str(text)
            .or_else(|e| serde_json::from_str(&single_quotes_as_double(trimmed)).map_err(|_| e))
            .map_err(|e| format!("not valid JSON: {e}"));
    }
    let contents = crate::encode::read_file(Path::new(text), MAX_JSON_FILE_BYTES)
        .map_err(|e| format!("neither JSON nor a readable .json file ({e})"))?;
    serde_json::from_slice(&contents).map_err(|e| format!("{text} is not valid JSON: {e}"))
}

/// `--timeout`, the longest wait for an answer: an option of `oint`, of each library's command
/// and of each method's that has no `--timeout` of its own. (The others are clap's global
/// options; this one is not, so that a method may keep OPI's `--timeout`, GetUpdates' long
/// poll: there, `oint --timeout 90 telegram GetUpdates --timeout 60` sets both.)
pub fn timeout_arg() -> Arg {
    Arg::new("timeout")
        .long("timeout")
        .help_heading("Global options")
        .value_name("SECONDS")
        .value_parser(parse_seconds)
        .help(format!(
            "Longest wait for an answer [default: {}]",
            crate::Config::default().request_timeout.as_secs()
        ))
}

/// The whole `oint` command: global options and every library's command.
pub fn command<L: Libraries>() -> Command {
    Command::new("oint")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Calls API methods from the command line: oint <library> <method> --option value …")
        .long_about(format!(
            "Calls API methods from the command line: oint <library> <method> --option value …\n\n\
             The command lines are those of OpenIntegrations' `oint`. The answer is printed as JSON \
             on stdout; messages go to stderr.\n\n\
             Exit codes: {}.",
            EXIT_CODES
                .iter()
                .map(|(code, _, meaning)| format!("{code} {meaning}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("debug")
                .long("debug")
                .global(true)
                .help_heading("Global options")
                .action(ArgAction::SetTrue)
                .help("Show what is sent (secrets masked) on stderr"),
        )
        .arg(timeout_arg())
        .arg(
            Arg::new("attempts")
                .long("attempts")
                .global(true)
                .help_heading("Global options")
                .value_name("N")
                .value_parser(clap::value_parser!(u32).range(1..=20))
                .help(format!(
                    "Attempts in all when a retry is safe; 1 means no retries [default: {}]",
                    crate::Config::default().max_attempts
                )),
        )
        .arg(
            Arg::new("retry-wait")
                .long("retry-wait")
                .global(true)
                .help_heading("Global options")
                .value_name("MS")
                .value_parser(clap::value_parser!(u64).range(0..=60_000))
                .help(format!(
                    "Wait before the first retry (half to all of it, at random), doubled for each next one up to {} s; 0 to 60000 [default: {}]",
                    crate::Config::default().backoff_max.as_secs(),
                    crate::Config::default().backoff_base.as_millis()
                )),
        )
        .arg(
            Arg::new("out")
                .long("out")
                .global(true)
                .help_heading("Global options")
                .value_name("FILE")
                .value_parser(clap::value_parser!(PathBuf))
                .help("Write the answer to FILE instead of stdout"),
        )
        .subcommands(L::commands())
        .subcommand(
            Command::new("completions")
                .about("Prints a shell completion script: oint completions bash > …")
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell))
                        .help("The shell to complete for"),
                ),
        )
        .subcommand(Command::new("man").about("Prints the man page of oint (roff)"))
}

/// Runs `oint` with the process's arguments.
pub fn main<L: Libraries>() -> ExitCode {
    let matches = match command::<L>().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => return usage_or_help(&error),
    };
    match run::<L>(&matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", Shown(&error.to_string()));
            ExitCode::from(error.exit_code())
        }
    }
}

/// What clap has to say instead of a run: help or the version on stdout, which must reach it
/// (a closed or full stdout is exit 5, not a silent 0), or a usage error on stderr (exit 2).
fn usage_or_help(error: &clap::Error) -> ExitCode {
    if !error.use_stderr() {
        return match write_stdout(error.render().to_string().as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => {
                eprintln!("error: {failure}");
                ExitCode::from(failure.exit_code())
            }
        };
    }
    // The message quotes the arguments as given; a terminal sees their control characters
    // escaped. Help shown for a missing subcommand is usage too.
    eprint!("{}", crate::shown_lines(&error.render().to_string()));
    ExitCode::from(exit_code_of("Usage"))
}

fn run<L: Libraries>(matches: &ArgMatches) -> Result<(), CliError> {
    let Some((library, args)) = matches.subcommand() else {
        return Err(CliError::Usage("no library given".into()));
    };
    match library {
        "completions" => {
            let shell = value::<clap_complete::Shell>(args, "shell")?;
            // Into memory first: the generator panics on a write error such as a closed pipe.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command::<L>(), "oint", &mut script);
            return write_stdout(&script);
        }
        "man" => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command::<L>())
                .render(&mut page)
                .map_err(|source| CliError::Output {
                    path: PathBuf::from("<stdout>"),
                    source,
                })?;
            return write_stdout(&page);
        }
        _ => {}
    }
    let mut session = Session::from_args(args);
    // `--timeout` given at the method, else at the library, else before the library.
    let method = args.subcommand().map(|(_, method)| method);
    let timeout = method
        .and_then(|method| method.try_get_one::<f64>("timeout").ok().flatten())
        .or_else(|| args.get_one::<f64>("timeout"))
        .or_else(|| matches.get_one::<f64>("timeout"));
    if let Some(seconds) = timeout {
        session.config.request_timeout = Duration::from_secs_f64(*seconds);
    }
    let out = find_out(matches);
    session.progress = out.is_none() && std::io::stderr().is_terminal();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start the async runtime: {e}")))?;
    let answer = match runtime.block_on(L::run(library, args, &session)) {
        // The call took effect: print its answer, and say what was unexpected about it.
        Err(CliError::Call(ref error @ crate::Error::UnexpectedResult { ref answer, .. })) => {
            eprintln!("warning: {}", Shown(&error.to_string()));
            Output::Json(answer.raw().clone())
        }
        other => other?,
    };
    // A file as it is; JSON indented, with a line break at the end.
    let bytes = match answer {
        Output::Bytes(bytes) => bytes,
        Output::Json(answer) => {
            let mut text = serde_json::to_string_pretty(&answer).unwrap_or_default();
            text.push('\n');
            text.into_bytes()
        }
    };
    match out {
        Some(path) => write_out(&path, &bytes),
        None => write_stdout(&bytes),
    }
}

fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|source| CliError::Output {
            path: PathBuf::from("<stdout>"),
            source,
        })
}

/// `--out` is global: take it from the deepest level that has it.
fn find_out(matches: &ArgMatches) -> Option<PathBuf> {
    let mut level = Some(matches);
    let mut found = None;
    while let Some(args) = level {
        if let Ok(Some(path)) = args.try_get_one::<PathBuf>("out") {
            found = Some(path.clone());
        }
        level = args.subcommand().map(|(_, sub)| sub);
    }
    found
}

/// Writes the answer to `--out`. A regular file is replaced whole (a temporary file beside it,
/// then a rename), so it is never seen half-written, and keeps its permissions; a symbolic
/// link is followed and stays a link; a device, a FIFO or anything under `/dev` (such as
/// `/dev/stdout`) is written in place;
/// a read-only file is refused, as a shell's `>` would.
fn write_out(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let error = |source| CliError::Output {
        path: path.to_owned(),
        source,
    };
    let existing = match std::fs::metadata(path) {
        Ok(metadata) => Some(metadata),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(error(e)),
    };
    if let Some(metadata) = &existing {
        if metadata.is_dir() {
            return Err(error(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "it is a directory",
            )));
        }
        // `/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N` name whatever the process holds open
        // (a terminal, a pipe, the file of a shell's `>` or `>>`): write to it as it is.
        let held = path.starts_with("/dev") || path.starts_with("/proc");
        if !metadata.is_file() || held {
            // A terminal, a pipe, /dev/null: there is nothing to replace. Appending is what a
            // shell's `>` (an empty file) and `>>` both want of a file held this way.
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(error)?;
            return file
                .write_all(bytes)
                .and_then(|()| file.flush())
                .map_err(error);
        }
        if metadata.permissions().readonly() {
            return Err(error(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file is read-only",
            )));
        }
        // Writable for us, not just in its mode bits.
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(error)?;
    }
    let target = follow_links(path).map_err(error)?;
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    // A short name: the target's own may be as long as a name can be.
    let temp = dir.join(format!(".oint-{}.tmp", std::process::id()));
    let written = std::fs::write(&temp, bytes)
        .and_then(|()| match &existing {
            Some(metadata) => std::fs::set_permissions(&temp, metadata.permissions()),
            None => Ok(()),
        })
        .and_then(|()| std::fs::rename(&temp, &target));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        error(e)
    })
}

/// The path a chain of symbolic links leads to (the path itself when it is no link), even
/// when the last link points at a file yet to be made.
fn follow_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_owned();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let to = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if to.is_relative() => parent.join(to),
                    _ => to,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_collection_is_json_single_quoted_json_or_one_item() {
        assert_eq!(
            parse_collection(r#"{"keyboard": [["A"]]}"#).unwrap(),
            json!({"keyboard": [["A"]]})
        );
        assert_eq!(
            parse_collection("{'keyboard':[[{'text':'Don\\'t','callback_data':'say \"hi\"'}]],'resize_keyboard':true}")
                .unwrap(),
            json!({"keyboard": [[{"text": "Don't", "callback_data": "say \"hi\""}]], "resize_keyboard": true})
        );
        assert_eq!(parse_collection("['a','b']").unwrap(), json!(["a", "b"]));
        assert_eq!(parse_collection("Yes").unwrap(), json!(["Yes"]));
        assert!(parse_collection("{'broken'").is_err());
    }
}
