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
