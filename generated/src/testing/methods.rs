//! The methods the emulator models with state, and the fallback for the others: the spec's
//! recorded result, once the required fields are there.

use serde_json::{Value, json};

use super::portal::Portal;
use crate::bitrix24::METHODS;

/// A method's answer: the result, or a status with a Bitrix24 error.
pub(crate) type Reply = Result<Value, (u16, String, String)>;

fn error(status: u16, code: &str, description: &str) -> Reply {
    Err((status, code.to_owned(), description.to_owned()))
}

/// An ID field: a number or a string of digits; `None` when missing or empty.
fn id(body: &Value, field: &str) -> Option<u64> {
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
        _ => recorded(method, body),
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

/// A method of the spec the emulator does not model: its recorded result, once every
/// required field is there and not empty.
fn recorded(method: &str, body: &Value) -> Reply {
    let Some(info) = METHODS.iter().find(|m| m.rest_method == method) else {
        return error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
    };
    for field in info.fields {
        let empty = match body.get(*field) {
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
    Ok(recorded.get("result").cloned().unwrap_or(Value::Null))
}
