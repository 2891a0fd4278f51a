//! A successful answer of Bitrix24.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The whole answer of a successful call: `result`, the `time` block and, for lists, `total` and
/// `next`. [`Answer::raw`] keeps the JSON exactly as it came. `T` is the type of `result` the
/// spec declares (`bool`, `u64` for an ID, …); JSON when it declares none.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Answer<T = Value> {
    /// What the method returns.
    pub result: T,
    /// Timing of the call on the portal's side; `None` when absent or of another shape.
    #[serde(default, deserialize_with = "lenient")]
    pub time: Option<Time>,
    /// For lists: how many items there are in all.
    #[serde(default)]
    pub total: Option<u64>,
    /// For lists: the `start` of the next page, when there is one.
    #[serde(default)]
    pub next: Option<u64>,
    #[serde(skip)]
    raw: Value,
    /// The bytes of a file a method reads (`rest.download`).
    #[serde(skip)]
    file: Option<Vec<u8>>,
}

/// The value at `key` of an answer's top level, found by comparing its few keys, which costs
/// less than hashing `key` to look it up.
pub(crate) fn beside_result<'a>(raw: &'a Value, key: &str) -> Option<&'a Value> {
    raw.as_object()?
        .iter()
        .find_map(|(name, value)| (name == key).then_some(value))
}

impl Answer {
    /// Decodes an answer from its JSON, its parts at the keys `wire` declares; `None` when it
    /// has no result.
    pub(crate) fn from_json(raw: Value, wire: &crate::Wire) -> Option<Answer> {
        // Each part read where it lies in `raw`, nothing copied but the result: a `time` that
        // does not decode is left out; a `total` or `next` of another type fails the answer.
        fn beside<T: serde::de::DeserializeOwned>(raw: &Value, key: &str) -> Option<Option<T>> {
            match beside_result(raw, key) {
                None | Some(Value::Null) => Some(None),
                Some(value) => T::deserialize(value).ok().map(Some),
            }
        }
        let result = beside_result(&raw, wire.result)?.clone();
        let time = wire
            .time
            .and_then(|key| beside_result(&raw, key))
            .and_then(|time| Time::deserialize(time).ok());
        let total = match wire.total {
            Some(key) => beside(&raw, key)?,
            None => None,
        };
        let next = match wire.next {
            Some(key) => beside(&raw, key)?,
            None => None,
        };
        Some(Answer {
            result,
            time,
            total,
            next,
            raw,
            file: None,
        })
    }

    /// An answer whose whole JSON is the result (the OAuth server's).
    pub(crate) fn whole(raw: Value) -> Answer {
        Answer {
            result: raw.clone(),
            time: None,
            total: None,
            next: None,
            raw,
            file: None,
        }
    }

    /// The answer of a file's address: its bytes.
    pub(crate) fn file(bytes: Vec<u8>) -> Answer {
        Answer {
            file: Some(bytes),
            ..Answer::whole(Value::Null)
        }
    }

    /// The bytes of the file a method read (`rest.download`).
    #[doc(hidden)]
    pub fn into_file(self) -> Result<Vec<u8>, super::Error> {
        self.file.ok_or_else(|| {
            super::Error::InvalidInput("the call read no file: its method reads none".into())
        })
    }

    /// A structure built from `result`, an object of objects (field descriptions): the keys
    /// whose object has `where_` true, each with its value at `value`, or `""` with `clear`.
    #[doc(hidden)]
    pub fn keys_where(self, where_: &str, value: &str, clear: bool) -> Value {
        let mut built = serde_json::Map::new();
        for (key, item) in self.result.as_object().into_iter().flatten() {
            let flagged = match item.get(where_) {
                Some(Value::Bool(flag)) => *flag,
                Some(Value::String(text)) => text == "Y" || text == "true",
                _ => false,
            };
            if flagged {
                let kept = match item.get(value) {
                    _ if clear => Value::String(String::new()),
                    Some(kept) => kept.clone(),
                    None => Value::String(String::new()),
                };
                built.insert(key.clone(), kept);
            }
        }
        Value::Object(built)
    }

    /// A structure built from `result`, a list of objects: each item's value at `key` mapped
    /// to its value at `value` (items without a text or number `key` are left out). An empty
    /// or absent list gives the whole answer instead, as OPI returns it.
    #[doc(hidden)]
    pub fn map_of(self, key: &str, value: &str) -> Value {
        let items = self.result.as_array().filter(|items| !items.is_empty());
        let Some(items) = items else {
            return self.raw;
        };
        let mut built = serde_json::Map::new();
        for item in items {
            let name = match item.get(key) {
                Some(Value::String(text)) => text.clone(),
                Some(Value::Number(number)) => number.to_string(),
                _ => continue,
            };
            built.insert(name, item.get(value).cloned().unwrap_or(Value::Null));
        }
        Value::Object(built)
    }

    /// Decodes `result` into the type the spec declares; an answer of another shape is an
    /// invalid answer.
    #[doc(hidden)]
    pub fn typed<T: serde::de::DeserializeOwned>(self) -> Result<Answer<T>, super::Error> {
        // The call took effect: a result of another shape is not a failed call. The error keeps
        // the whole answer.
        // Read in place: no copy of the result is made to decode it.
        let Ok(result) = T::deserialize(&self.result) else {
            return Err(super::Error::UnexpectedResult {
                expected: std::any::type_name::<T>(),
                answer: Box::new(self),
            });
        };
        Ok(Answer {
            result,
            time: self.time,
            total: self.total,
            next: self.next,
            raw: self.raw,
            file: self.file,
        })
    }
}

impl<T> Answer<T> {
    /// The answer exactly as Bitrix24 sent it.
    pub fn raw(&self) -> &Value {
        &self.raw
    }

    /// The answer as Bitrix24 sent it, by value.
    pub fn into_raw(self) -> Value {
        self.raw
    }
}

/// A `time` block that does not decode is left out rather than failing the answer.
fn lenient<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Time>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

/// The `time` block. Bitrix24 sends `start` as an integer or a fraction, so every number is
/// read as `f64`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Time {
    /// Unix time, in seconds, when the portal started the call.
    pub start: f64,
    pub finish: f64,
    /// Seconds the call took in all.
    pub duration: f64,
    /// Seconds spent in the method itself.
    pub processing: f64,
    pub date_start: String,
    pub date_finish: String,
    /// Unix time when the method's time budget (`operating`) starts again from zero.
    #[serde(default)]
    pub operating_reset_at: Option<f64>,
    /// Seconds of the method's time budget used in the current period.
    #[serde(default)]
    pub operating: Option<f64>,
}
