//! Methods that make no call: they fill in a structure, as OPI's helpers do.

use serde_json::Value;

/// Parses `template` (JSON text from the spec) and replaces each string `"{Name}"` by the value
/// given for it; a value of `None` leaves an empty string. With `clear`, every string, array and
/// object is emptied instead: the bare shape, to fill in by hand.
pub(crate) fn fill(template: &str, values: &[(&str, Option<Value>)], clear: bool) -> Value {
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
                Some((_, Some(given))) => given.clone(),
                Some((_, None)) => Value::String(String::new()),
                None => Value::String(text),
            }
        }
        Value::Array(_) if clear => Value::Array(Vec::new()),
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
        other => other,
    }
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
            json!({"NAME": "", "LINK": "", "TYPE": "", "USERS": []})
        );
    }
}
