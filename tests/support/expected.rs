//! What the spec says a request carries, computed independently of the generated encoders:
//! the oracle of the client and CLI tests. Shared by `tests/compile.rs` and
//! `generated/tests/cli.rs`.

use oint_codegen::model::{Item, Method, ParamKind, Rest};
use serde_json::{Value, json};

/// What the spec says a parameter's example value is sent as: an independent oracle for the
/// encoders.
pub fn expected_field(kind: ParamKind, example: &Value, file: &[u8]) -> Value {
    use base64::Engine as _;
    let base64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let id = |v: &Value| match v {
        Value::String(s) => Value::String(s.clone()),
        other => Value::String(other.to_string()),
    };
    match kind {
        ParamKind::Id => id(example),
        ParamKind::Flag => Value::String(
            if example == &Value::Bool(true) {
                "Y"
            } else {
                "N"
            }
            .into(),
        ),
        ParamKind::Array(Item::Id) => {
            Value::Array(example.as_array().unwrap().iter().map(id).collect())
        }
        ParamKind::Binary { bare_base64: true } => Value::String(base64(file)),
        ParamKind::Binary { bare_base64: false } => {
            let name = example
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned();
            json!([name, base64(file)])
        }
        _ => example.clone(),
    }
}

/// The whole JSON body of a method's example call in OAuth mode with `token`; `file` is the
/// content of any file the example names.
pub fn expected_body(method: &Method, rest: &Rest, token: &str, file: &[u8]) -> Value {
    let mut body = serde_json::Map::new();
    for (param, example) in method.params.iter().zip(&method.example.args) {
        let value = expected_field(param.kind, &example.sent, file);
        match &param.field {
            Some(field) => {
                body.insert(field.clone(), value);
            }
            None => body.extend(value.as_object().cloned().unwrap_or_default()),
        }
    }
    for (field, value) in &rest.fixed {
        body.insert(field.clone(), Value::String(value.clone()));
    }
    body.insert("auth".into(), Value::String(token.to_owned()));
    Value::Object(body)
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
