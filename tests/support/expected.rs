//! The inputs of the request tests, read from the spec: each method's example values, and the
//! words of its CLI example. What a request must carry comes from `oracle.rs`, not from here.
//! Shared by `tests/compile.rs` and `generated/tests/cli.rs`.

use oint_codegen::model::Method;
use serde_json::{Map, Value};

/// A method's example values by parameter name, as the spec gives them (raw JSON); with
/// `required_only`, the required parameters alone.
pub fn example_args(method: &Method, required_only: bool) -> Map<String, Value> {
    method
        .params
        .iter()
        .zip(&method.example.args)
        .filter(|(param, _)| param.required || !required_only)
        .map(|(param, example)| (param.name.clone(), example.sent.clone()))
        .collect()
}

/// Splits a command line as a POSIX shell does for the examples: spaces, double and single
/// quotes (no escapes).
pub fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, ' ') => {
                if started {
                    words.push(std::mem::take(&mut current));
                    started = false;
                }
            }
            (_, c) => {
                current.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(current);
    }
    words
}
