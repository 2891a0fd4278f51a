//! Reading a query string as Bitrix24 (PHP) does: `filter[>ID]=5&select[]=ID` becomes
//! `{"filter": {">ID": "5"}, "select": ["ID"]}`; every value is text.

use serde_json::{Map, Value};

/// The fields of a query string.
pub(crate) fn parse(query: &str) -> Map<String, Value> {
    let mut root = Value::Object(Map::new());
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(key);
        let (head, mut rest) = match key.find('[') {
            Some(at) => (&key[..at], &key[at..]),
            None => (key.as_str(), ""),
        };
        let mut path = vec![head.to_owned()];
        while let Some(inner) = rest.strip_prefix('[') {
            let Some(close) = inner.find(']') else { break };
            path.push(inner[..close].to_owned());
            rest = &inner[close + 1..];
        }
        put(&mut root, &path, Value::String(decode(value)));
    }
    match root {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn put(target: &mut Value, path: &[String], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        *target = value;
        return;
    };
    let index = if first.is_empty() {
        Some(None)
    } else {
        first.parse::<usize>().ok().map(Some)
    };
    match index {
        // `[]` appends; `[3]` is an index, when the value is (or may become) a list.
        Some(at) if target.is_array() || (!target.is_object() && first.is_empty()) => {
            if !target.is_array() {
                *target = Value::Array(Vec::new());
            }
            if let Value::Array(items) = target {
                let at = at.unwrap_or(items.len()).min(items.len());
                if at == items.len() {
                    items.push(Value::Null);
                }
                put(&mut items[at], rest, value);
            }
        }
        Some(Some(_)) if !target.is_object() => {
            *target = Value::Array(Vec::new());
            put(target, path, value);
        }
        _ => {
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            if let Value::Object(map) = target {
                let inner = map.entry(first.clone()).or_insert(Value::Null);
                put(inner, rest, value);
            }
        }
    }
}

fn decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_nested_values_as_php_does() {
        let fields = parse(
            "id=7&filter[%3EID]=5&select[]=ID&select[]=TITLE&rows[0][N]=a%26b&rows[1][N]=c&t=a+b&auth=x",
        );
        assert_eq!(
            Value::Object(fields),
            json!({
                "id": "7",
                "filter": {">ID": "5"},
                "select": ["ID", "TITLE"],
                "rows": [{"N": "a&b"}, {"N": "c"}],
                "t": "a b",
                "auth": "x"
            })
        );
    }
}
