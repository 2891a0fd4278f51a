//! The inputs of the request tests, read from the spec: each method's example values (the words
//! of a page's command line: `shells.rs`). What a request must carry comes from `oracle.rs`,
//! not from here.
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
