//! Methods that make no call: they fill in a structure, as OPI's helpers do.

use serde_json::Value;

/// Parses `template` (JSON text from the spec) and replaces each string `"{Name}"` by the value
/// given for it, and a `{Name}` inside a longer string by the value's text; a value of `None`
/// leaves an empty string. With `clear`, every value becomes an empty string instead, objects and
/// arrays keeping their shape: the bare structure, to fill in by hand.
pub fn fill(template: &str, values: &[(&str, Option<Value>)], clear: bool) -> Value {
    let parsed: Value = serde_json::from_str(template).unwrap_or(Value::Null);
    walk(parsed, values, clear)
}

/// The hook `button_keyboard` (a template's `hook: button_keyboard`): OPI's keyboard from its
/// parameters in order — the buttons' texts (each button's `callback_data` is its text), whether
/// it goes under the message (`inline_keyboard`, with OPI's `"rows": 1` beside it) or in place of
/// the user's (`keyboard`, `"resize_keyboard": true`), and whether each button has a row of its
/// own (else all share one) — as OPI returns it: JSON text on one line with single-quoted
/// strings, which `--keyboard` reads back.
pub fn button_keyboard(values: &[Option<Value>]) -> Value {
    // A Boolean as its encoding sent it: JSON, 1/0 or Y/N; absent, the default.
    let flag = |i: usize, default: bool| match values.get(i).and_then(|v| v.as_ref()) {
        Some(Value::Bool(flag)) => *flag,
        Some(Value::Number(number)) => number.as_i64() != Some(0),
        Some(Value::String(text)) => text == "Y",
        _ => default,
    };
    let texts: Vec<String> = match values.first().and_then(|v| v.as_ref()) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let (under_message, one_per_row) = (flag(1, false), flag(2, true));
    let button = |text: &String| serde_json::json!({"text": text, "callback_data": text});
    let rows: Vec<Value> = if one_per_row {
        texts
            .iter()
            .map(|t| Value::Array(vec![button(t)]))
            .collect()
    } else {
        vec![Value::Array(texts.iter().map(button).collect())]
    };
    let keyboard = if under_message {
        serde_json::json!({"inline_keyboard": rows, "rows": 1})
    } else {
        serde_json::json!({"keyboard": rows, "resize_keyboard": true})
    };
    Value::String(single_quoted(&keyboard))
}

/// The hook `init_data` (a template's `hook: init_data`): a Telegram Mini App's
/// `Telegram.WebApp.initData` (the first parameter; a `?` in front is dropped) checked against
/// the bot's token (the second), as OPI checks it. The fields, `&`-separated `key=value` pairs
/// with `%XX` decoded (a later key wins; a piece without one `=` is a key with an empty value),
/// come back in key order without `hash` (or `cookie`, which stands for it), with `passed`:
/// whether `hash` is the HMAC-SHA256 of the other pairs (`key=value` lines in key order), keyed by
/// the HMAC-SHA256 of the token keyed by `WebAppData`. How old `auth_date` is, is not checked.
pub fn init_data(values: &[Option<Value>]) -> Value {
    use aws_lc_rs::hmac;
    let text = |i: usize| match values.get(i).and_then(Option::as_ref) {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let (data, token) = (text(0), text(1));
    let decoded = |text: &str| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8_lossy()
            .into_owned()
    };
    let mut pairs = std::collections::BTreeMap::new();
    for piece in data.strip_prefix('?').unwrap_or(&data).split('&') {
        let parts: Vec<&str> = piece.split('=').collect();
        let (key, value) = match parts[..] {
            [key, value] => (decoded(key), decoded(value)),
            _ => (decoded(piece), String::new()),
        };
        if !key.is_empty() {
            pairs.insert(key, value);
        }
    }
    let hash = pairs
        .get("hash")
        .or_else(|| pairs.get("cookie"))
        .cloned()
        .unwrap_or_default();
    let mut fields = serde_json::Map::new();
    let mut check = Vec::new();
    for (key, value) in &pairs {
        if key != "hash" && key != "cookie" {
            check.push(format!("{key}={value}"));
            fields.insert(key.clone(), Value::String(value.clone()));
        }
    }
    let web_app = hmac::Key::new(hmac::HMAC_SHA256, b"WebAppData");
    let secret = hmac::sign(&web_app, token.as_bytes());
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_ref());
    let signature = hmac::sign(&key, check.join("\n").as_bytes());
    let hex: String = signature
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect();
    fields.insert(
        "passed".to_owned(),
        Value::Bool(!hash.is_empty() && hex == hash.to_uppercase()),
    );
    Value::Object(fields)
}

/// `value` as one line of JSON whose strings are single-quoted (a `'` inside one escaped).
fn single_quoted(value: &Value) -> String {
    match value {
        Value::String(text) => format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(single_quoted).collect();
            format!("[{}]", items.join(","))
        }
        Value::Object(map) => {
            let fields: Vec<String> = map
                .iter()
                .map(|(key, item)| {
                    format!(
                        "{}:{}",
                        single_quoted(&Value::String(key.clone())),
                        single_quoted(item)
                    )
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        other => other.to_string(),
    }
}

fn walk(value: Value, values: &[(&str, Option<Value>)], clear: bool) -> Value {
    match value {
        Value::String(text) => {
            if clear {
                return Value::String(String::new());
            }
            match values.iter().find(|(placeholder, _)| *placeholder == text) {
                Some((_, Some(given))) if !given.is_null() => given.clone(),
                Some(_) => Value::String(String::new()),
                None => Value::String(interpolate(&text, values)),
            }
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| walk(item, values, clear))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, item)| (key, walk(item, values, clear)))
                .collect(),
        ),
        _ if clear => Value::String(String::new()),
        other => other,
    }
}

/// Replaces each `{Name}` inside `text` by the text of its value, in one pass: a value that
/// holds a placeholder stays as it is.
fn interpolate(text: &str, values: &[(&str, Option<Value>)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let found = values
            .iter()
            .find(|(placeholder, _)| rest[open..].starts_with(placeholder));
        match found {
            Some((placeholder, value)) => {
                match value {
                    Some(Value::String(given)) => out.push_str(given),
                    Some(Value::Null) | None => {}
                    Some(other) => out.push_str(&other.to_string()),
                }
                rest = &rest[open + placeholder.len()..];
            }
            None => {
                out.push('{');
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mini_app_data_passes_with_its_bots_token_only() {
        // Signed with Python's hmac for the token below.
        let data = "query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A461699897%2C%22first_name%22%3A%22Anton%22%2C%22last_name%22%3A%22Titovets%22%2C%22username%22%3A%22bayselonarrend%22%2C%22language_code%22%3A%22ru%22%7D&auth_date=1765390280&hash=c83e6b233754bad48a3f48fe1b17a3caeb4c9fefe711e6b11b278eb3449a6a8b";
        let token = "6129457865:AAFyzNYOAFbu...";
        let checked = init_data(&[Some(json!(data)), Some(json!(token))]);
        assert_eq!(checked["passed"], json!(true));
        assert_eq!(checked["auth_date"], json!("1765390280"));
        assert!(
            checked["user"]
                .as_str()
                .unwrap()
                .starts_with("{\"id\":461699897")
        );
        assert!(checked.get("hash").is_none());
        let keys: Vec<&String> = checked.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["auth_date", "query_id", "user", "passed"]);
        let other = init_data(&[Some(json!(format!("?{data}"))), Some(json!("42:other"))]);
        assert_eq!(other["passed"], json!(false));
        let tampered = data.replace("1765390280", "1765390281");
        let tampered = init_data(&[Some(json!(tampered)), Some(json!(token))]);
        assert_eq!(tampered["passed"], json!(false));
        assert_eq!(
            init_data(&[Some(json!("")), Some(json!(token))]),
            json!({"passed": false})
        );
    }

    #[test]
    fn builds_opis_keyboards_as_single_quoted_text() {
        let buttons = Some(serde_json::json!(["Yes", "Don't"]));
        assert_eq!(
            button_keyboard(&[buttons.clone(), None, None]),
            Value::String(
                "{'keyboard':[[{'text':'Yes','callback_data':'Yes'}],[{'text':'Don\\'t','callback_data':'Don\\'t'}]],'resize_keyboard':true}".into()
            )
        );
        // Under the message, all in one row (1/0 as the spec's encoding sends them).
        assert_eq!(
            button_keyboard(&[buttons, Some(Value::from(1)), Some(Value::from(0))]),
            Value::String(
                "{'inline_keyboard':[[{'text':'Yes','callback_data':'Yes'},{'text':'Don\\'t','callback_data':'Don\\'t'}]],'rows':1}".into()
            )
        );
    }
    use serde_json::json;

    #[test]
    fn fills_and_clears() {
        let template = r#"{"NAME": "{Name}", "LINK": "{URL}", "TYPE": "OPEN", "USERS": [1, 2]}"#;
        let values = [("{Name}", Some(json!("photo"))), ("{URL}", None)];
        assert_eq!(
            fill(template, &values, false),
            json!({"NAME": "photo", "LINK": "", "TYPE": "OPEN", "USERS": [1, 2]})
        );
        assert_eq!(
            fill(template, &values, true),
            json!({"NAME": "", "LINK": "", "TYPE": "", "USERS": ["", ""]})
        );
        let nested = r#"{"remind": [{"type": "<min, hour>", "count": "<n>"}]}"#;
        assert_eq!(
            fill(nested, &[], true),
            json!({"remind": [{"type": "", "count": ""}]})
        );
        let link = r#""{Domain}oauth/authorize/?client_id={ClientID}""#;
        let values = [
            ("{Domain}", Some(json!("https://portal.by/"))),
            ("{ClientID}", Some(json!("local.1"))),
        ];
        assert_eq!(
            fill(link, &values, false),
            json!("https://portal.by/oauth/authorize/?client_id=local.1")
        );
        // A value holding a placeholder is not read again.
        let values = [
            ("{Domain}", Some(json!("{ClientID}/"))),
            ("{ClientID}", Some(json!("x"))),
        ];
        assert_eq!(
            fill(link, &values, false),
            json!("{ClientID}/oauth/authorize/?client_id=x")
        );
    }
}
