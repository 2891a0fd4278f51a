//! The query string of a GET request, in the form Bitrix24 (PHP) reads nested values in:
//! `filter[>ID]=5&select[]=ID&select[]=TITLE&fields[0][NAME]=a`. Brackets stay as they are;
//! everything else is percent-encoded.

use serde_json::{Map, Value};

/// The query string of `fields`, in their order.
pub(crate) fn encode(fields: &Map<String, Value>) -> String {
    let mut pairs = Vec::new();
    for (key, value) in fields {
        push(&mut pairs, escape(key), value);
    }
    pairs.join("&")
}

fn push(pairs: &mut Vec<String>, key: String, value: &Value) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (inner, item) in map {
                push(pairs, format!("{key}[{}]", escape(inner)), item);
            }
        }
        Value::Array(items) => {
            // `[]` appends in PHP; a nested item needs its index to stay one item.
            let nested = items.iter().any(|i| i.is_object() || i.is_array());
            for (index, item) in items.iter().enumerate() {
                let key = if nested {
                    format!("{key}[{index}]")
                } else {
                    format!("{key}[]")
                };
                push(pairs, key, item);
            }
        }
        Value::String(text) => pairs.push(format!("{key}={}", escape(text))),
        Value::Bool(flag) => pairs.push(format!("{key}={}", if *flag { "true" } else { "false" })),
        Value::Number(number) => pairs.push(format!("{key}={number}")),
    }
}

fn escape(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nests_as_php_reads_it() {
        let fields = json!({
            "id": "7",
            "filter": {">ID": 5, "=STATUS": ["NEW", "IN PROCESS"]},
            "select": ["ID", "TITLE"],
            "rows": [{"NAME": "a&b"}],
            "skipped": null,
            "auth": "t+k/n"
        });
        assert_eq!(
            encode(fields.as_object().unwrap()),
            "id=7&filter[%3EID]=5&filter[%3DSTATUS][]=NEW&filter[%3DSTATUS][]=IN+PROCESS\
             &select[]=ID&select[]=TITLE&rows[0][NAME]=a%26b&auth=t%2Bk%2Fn"
        );
    }
}
