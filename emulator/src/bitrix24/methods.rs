//! The methods the emulator models with state — chats here, records in `crud` — and the
//! fallback for the others: the spec's recorded result, once the required fields are there.

use serde_json::{Value, json};

use super::crud;
use super::portal::Portal;
use oint::bitrix24::METHODS;

/// What a method answers: its `result`, and for a list `total` and `next`.
#[derive(Debug, Default)]
pub(crate) struct Answered {
    pub result: Value,
    pub total: Option<u64>,
    pub next: Option<u64>,
}

impl From<Value> for Answered {
    fn from(result: Value) -> Answered {
        Answered {
            result,
            total: None,
            next: None,
        }
    }
}

/// A method's answer: the result, or a status with a Bitrix24 error.
pub(crate) type Reply = Result<Answered, (u16, String, String)>;

pub(crate) fn error(status: u16, code: &str, description: &str) -> Reply {
    Err((status, code.to_owned(), description.to_owned()))
}

/// An ID field: a number or a string of digits; `None` when missing or empty.
pub(crate) fn id(body: &Value, field: &str) -> Option<u64> {
    match body.get(field)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn ids(body: &Value, field: &str) -> Vec<u64> {
    match body.get(field) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| match item {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            })
            .collect(),
        Some(_) => id(body, field).into_iter().collect(),
        None => Vec::new(),
    }
}

/// Answers `method` called by `user` with `body`.
pub(crate) fn call(portal: &mut Portal, user: u64, method: &str, body: &Value) -> Reply {
    portal.count_call(method);
    if method.eq_ignore_ascii_case("batch") {
        return batch(portal, user, body);
    }
    if !portal.charge(method) {
        return error(
            429,
            "OPERATION_TIME_LIMIT",
            "Method is blocked due to operation time limit.",
        );
    }
    if let Some(reply) = crud::call(portal, user, method, body) {
        return reply;
    }
    if method.eq_ignore_ascii_case("disk.folder.uploadfile") {
        return upload_address(portal, body);
    }
    let chats = chat_call(portal, user, method, body)?;
    Ok(chats.into())
}

/// The chat methods, with the chats' state.
fn chat_call(
    portal: &mut Portal,
    user: u64,
    method: &str,
    body: &Value,
) -> Result<Value, (u16, String, String)> {
    let error = |status: u16, code: &str, description: &str| {
        Err((status, code.to_owned(), description.to_owned()))
    };
    match method {
        "im.chat.add" => {
            let title = body.get("TITLE").and_then(Value::as_str).unwrap_or("Chat");
            let members = ids(body, "USERS");
            Ok(json!(portal.create_chat(user, title, &members)))
        }
        "im.chat.user.list" => {
            let chat = member_chat(portal, user, body)?;
            Ok(json!(portal.chat_members(chat).unwrap_or_default()))
        }
        "im.chat.user.add" => {
            let chat = member_chat(portal, user, body)?;
            let added = ids(body, "USERS");
            if added.is_empty() {
                return error(400, "USERS_EMPTY", "Users can't be empty");
            }
            if let Some(chat) = portal.chats.get_mut(&chat) {
                chat.members.extend(added);
            }
            Ok(json!(true))
        }
        "im.chat.user.delete" => {
            let Some(chat_id) = id(body, "CHAT_ID") else {
                return error(400, "CHAT_ID_EMPTY", "Chat ID can't be empty");
            };
            let Some(removed) = id(body, "USER_ID") else {
                return error(400, "USER_ID_EMPTY", "User ID can't be empty");
            };
            let allowed = portal.chats.get(&chat_id).is_some_and(|chat| {
                chat.members.contains(&removed) && (chat.owner == user || removed == user)
            });
            if !allowed {
                return error(
                    400,
                    "WRONG_REQUEST",
                    "You don't have access to remove this user, or the user is not in the chat",
                );
            }
            if let Some(chat) = portal.chats.get_mut(&chat_id) {
                chat.members.remove(&removed);
            }
            Ok(json!(true))
        }
        "im.chat.updateTitle" => {
            let chat = member_chat(portal, user, body)?;
            let Some(title) = body
                .get("TITLE")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
            else {
                return error(400, "TITLE_EMPTY", "Title can't be empty");
            };
            if let Some(chat) = portal.chats.get_mut(&chat) {
                chat.title = title.to_owned();
            }
            Ok(json!(true))
        }
        "im.chat.leave" => {
            let chat = member_chat(portal, user, body)?;
            if let Some(chat) = portal.chats.get_mut(&chat) {
                chat.members.remove(&user);
            }
            Ok(json!(true))
        }
        _ => recorded(method, body).map(|answered| answered.result),
    }
}

/// The chat of `CHAT_ID`, when `user` is in it.
fn member_chat(portal: &Portal, user: u64, body: &Value) -> Result<u64, (u16, String, String)> {
    let Some(chat) = id(body, "CHAT_ID") else {
        return Err((400, "CHAT_ID_EMPTY".into(), "Chat ID can't be empty".into()));
    };
    if portal
        .chats
        .get(&chat)
        .is_some_and(|c| c.members.contains(&user))
    {
        Ok(chat)
    } else {
        Err((
            400,
            "ACCESS_ERROR".into(),
            "You don't have access to this chat".into(),
        ))
    }
}

/// `batch`: each command of `cmd` (`method?query`, in order) made as the same user, after its
/// `$result[key][…]` references are replaced by what the earlier commands gave (an empty text
/// when there is nothing there, as Bitrix24 does); with `halt`, the commands after the first
/// failure are not made.
fn batch(portal: &mut Portal, user: u64, body: &Value) -> Reply {
    let halt = match body.get("halt") {
        Some(Value::Bool(halt)) => *halt,
        Some(Value::Number(n)) => n.as_u64() == Some(1),
        Some(Value::String(s)) => s == "1" || s.eq_ignore_ascii_case("true"),
        _ => false,
    };
    let Some(commands) = body.get("cmd").and_then(Value::as_object) else {
        return error(
            400,
            "ERROR_BATCH_METHOD_NOT_ALLOWED",
            "cmd is missing or not a list",
        );
    };
    if commands.len() > 50 {
        return error(
            400,
            "ERROR_BATCH_LENGTH_EXCEEDED",
            "Max batch length exceeded",
        );
    }
    let mut results = serde_json::Map::new();
    let mut errors = serde_json::Map::new();
    let mut totals = serde_json::Map::new();
    let mut nexts = serde_json::Map::new();
    let mut times = serde_json::Map::new();
    for (key, command) in commands {
        let Some(command) = command.as_str() else {
            continue;
        };
        let (method, query) = command.split_once('?').unwrap_or((command, ""));
        let mut fields = Value::Object(super::query::parse(query));
        resolve(&mut fields, &results);
        if method.eq_ignore_ascii_case("batch") {
            errors.insert(
                key.clone(),
                json!({"error": "ERROR_BATCH_METHOD_NOT_ALLOWED", "error_description": "batch in a batch"}),
            );
        } else {
            let started = std::time::SystemTime::now();
            match call(portal, user, method, &fields) {
                Ok(answered) => {
                    results.insert(key.clone(), answered.result);
                    if let Some(total) = answered.total {
                        totals.insert(key.clone(), json!(total));
                    }
                    if let Some(next) = answered.next {
                        nexts.insert(key.clone(), json!(next));
                    }
                    let budget = portal.budget_of(method);
                    times.insert(key.clone(), super::server::time_block(started, budget));
                }
                Err((_, code, description)) => {
                    errors.insert(
                        key.clone(),
                        json!({"error": code, "error_description": description}),
                    );
                }
            }
        }
        if halt && !errors.is_empty() {
            break;
        }
    }
    // PHP's empty array is `[]`, not `{}`.
    let map_or_list = |map: serde_json::Map<String, Value>| {
        if map.is_empty() {
            json!([])
        } else {
            Value::Object(map)
        }
    };
    Ok(json!({
        "result": map_or_list(results),
        "result_error": map_or_list(errors),
        "result_total": map_or_list(totals),
        "result_next": map_or_list(nexts),
        "result_time": map_or_list(times),
    })
    .into())
}

/// Replaces, in every text inside `value`, each `$result[key][a][b]…` by the value at that
/// path of an earlier command's result.
fn resolve(value: &mut Value, results: &serde_json::Map<String, Value>) {
    match value {
        Value::String(text) if text.contains("$result[") => {
            *text = substitute(text, results);
        }
        Value::Array(items) => items.iter_mut().for_each(|item| resolve(item, results)),
        Value::Object(map) => map.values_mut().for_each(|item| resolve(item, results)),
        _ => {}
    }
}

fn substitute(text: &str, results: &serde_json::Map<String, Value>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("$result[") {
        out.push_str(&rest[..at]);
        let mut tail = &rest[at + "$result".len()..];
        let mut path = Vec::new();
        while let Some(inner) = tail.strip_prefix('[') {
            let Some(close) = inner.find(']') else { break };
            path.push(&inner[..close]);
            tail = &inner[close + 1..];
        }
        let found = path.split_first().and_then(|(key, rest)| {
            rest.iter()
                .try_fold(results.get(*key)?, |value, step| match value {
                    Value::Array(items) => items.get(step.parse::<usize>().ok()?),
                    Value::Object(map) => map.get(*step),
                    _ => None,
                })
        });
        match found {
            Some(Value::String(s)) => out.push_str(s),
            Some(Value::Null) | None => {}
            Some(other) => out.push_str(&other.to_string()),
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The first step of an upload: an address to send the file to, once, and the form field.
fn upload_address(portal: &mut Portal, body: &Value) -> Reply {
    let Some(folder) = id(body, "id") else {
        return error(400, "ERROR_ARGUMENT", "The folder ID (id) is missing");
    };
    let key: String = std::iter::repeat_with(fastrand::alphanumeric)
        .take(24)
        .collect();
    portal.uploads.insert(key.clone(), folder.to_string());
    Ok(json!({"field": "file", "uploadUrl": format!("{}/upload/{key}", portal.base_url)}).into())
}

/// The second step: stores the file and answers as Bitrix24 does, with the new file.
pub(crate) fn store_upload(portal: &mut Portal, key: &str, name: String, bytes: Vec<u8>) -> Reply {
    let Some(folder) = portal.uploads.remove(key) else {
        return error(
            404,
            "ERROR_NOT_FOUND",
            "The upload address is unknown or used already",
        );
    };
    let id = portal.files.keys().next_back().map_or(1, |last| last + 1);
    let size = bytes.len();
    let answer = json!({
        "ID": id,
        "NAME": name,
        "CODE": null,
        "STORAGE_ID": "1",
        "TYPE": "file",
        "PARENT_ID": folder,
        "SIZE": size.to_string(),
        "DOWNLOAD_URL": format!("{}/download/{id}", portal.base_url),
    });
    portal.files.insert(
        id,
        super::portal::File {
            name,
            folder,
            bytes,
        },
    );
    Ok(answer.into())
}

/// A method of the spec the emulator does not model: its recorded answer (an error answer is
/// given as the error it is), once every required field is there and not empty.
fn recorded(method: &str, body: &Value) -> Reply {
    let Some(info) = METHODS
        .iter()
        .find(|m| m.rest_method.eq_ignore_ascii_case(method))
    else {
        return error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
    };
    for field in info.fields {
        let at = field.split('.').try_fold(body, |value, key| value.get(key));
        let empty = match at {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Array(items)) => items.is_empty(),
            Some(_) => false,
        };
        if empty {
            return error(
                400,
                &format!("{field}_EMPTY"),
                &format!("{field} can't be empty"),
            );
        }
    }
    let recorded: Value = serde_json::from_str(info.example_answer).unwrap_or(Value::Null);
    if let Some(code) = recorded.get("error").and_then(Value::as_str) {
        let description = recorded["error_description"].as_str().unwrap_or_default();
        let status = if code == "ERROR_METHOD_NOT_FOUND" {
            404
        } else {
            400
        };
        return error(status, code, description);
    }
    Ok(Answered {
        result: recorded.get("result").cloned().unwrap_or(Value::Null),
        total: recorded.get("total").and_then(Value::as_u64),
        next: recorded.get("next").and_then(Value::as_u64),
    })
}
