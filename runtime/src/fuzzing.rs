//! What the fuzzer (`fuzz/`) drives: the decoding of an answer, as the client meets it, with
//! the invariants every outcome must keep. Built only with `--cfg fuzzing`.

use reqwest::StatusCode;
use serde_json::Value;

use super::batch::{Part, part};
use super::call::Http;
use super::client::{Outgoing, decode};
use super::error::is_hidden_control;
use super::list::{List, items_of};
use super::{Error, Library};

/// The secret the fuzzer plants: it must never show in an error.
pub const SECRET: &str = "fuzzs3cr3tw3bh00k";

/// Decodes `bytes` as the answer of a call with HTTP `status`, then reads it the ways the client
/// can (typed results, list pages, batch parts, structures built from keys). Panics when an
/// outcome breaks a promise: a secret or a raw control character in what an error shows.
pub fn answer(library: &'static Library, status: u16, whole_answer: bool, bytes: &[u8]) {
    let Ok(status) = StatusCode::from_u16(status) else {
        return;
    };
    let secrets = vec![SECRET.to_owned()];
    let request = Outgoing {
        library,
        verb: Http::Post,
        method: "batch",
        header: None,
        url: "https://portal.example.com/rest/batch"
            .parse()
            .expect("a fixed URL"),
        body: None,
        form: None,
        shown_url: String::new(),
        shown_body: Value::Null,
        secrets: &secrets,
        whole_answer,
        file_answer: false,
    };
    let answer = match decode(status, bytes, 1, &request) {
        Ok(answer) => answer,
        Err(error) => return shown_safely(&error),
    };
    let result = answer.result.clone();
    for key in ["c0", "c1", "c49"] {
        match part(library, &result, key) {
            Part::Done(answer) => {
                let _ = answer.typed::<Vec<Value>>();
            }
            Part::Failed(error) => {
                let _ = error.to_string();
            }
            Part::Missing => {}
        }
    }
    for items in [None, Some("tasks"), Some("items")] {
        let list = List {
            items,
            start: "start",
            by: Some("ID"),
            id: "ID",
            filter: Some("filter"),
            order: Some("order"),
            select: None,
        };
        let _ = items_of(&list, &result);
    }
    let _ = answer.clone().keys_where("isRequired", "type", false);
    for typed in [
        answer.clone().typed::<bool>().err(),
        answer.clone().typed::<u64>().err(),
        answer.clone().typed::<String>().err(),
        answer.clone().typed::<Vec<Value>>().err(),
        answer.typed::<serde_json::Map<String, Value>>().err(),
    ]
    .into_iter()
    .flatten()
    {
        shown_safely(&typed);
    }
}

/// An error as a person sees it: no secret, no raw control character.
fn shown_safely(error: &Error) {
    let shown = error.to_string();
    assert!(!shown.contains(SECRET), "a secret shows: {shown}");
    assert!(
        !shown.chars().any(is_hidden_control),
        "a raw control character shows: {shown:?}"
    );
}
