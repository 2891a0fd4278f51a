//! Bitrix24's `batch`: up to 50 calls in one request (see [`Batch`]).

use std::any::Any;
use std::marker::PhantomData;

use serde_json::{Map, Value, json};

use super::call::{Call, Http};
use super::client::request_fields;
use super::{Answer, Client, Error, Library, Pending, query};
use crate::library::QueryForm;

/// Calls per `batch` request: Bitrix24's limit.
pub const BATCH_LIMIT: usize = 50;

type Finished = Result<Box<dyn Any + Send>, Error>;

struct Command {
    call: Result<Call, Error>,
    finish: Box<dyn FnOnce(Answer) -> Finished + Send + Sync>,
}

/// Calls to send together, in Bitrix24's `batch`: up to 50 calls in one request. A batch takes
/// the calls of any generated method, sends them 50 to a request, and gives each answer back
/// typed as its method's, with the errors of single calls kept apart. The documentation of the
/// generated crate (`oint`) shows one in use.
#[must_use = "a batch is sent by `send`"]
pub struct Batch<'a> {
    client: &'a Client,
    halt: bool,
    commands: Vec<Command>,
}

/// Where one call's answer will be in the [`Results`]: its place and its type.
pub struct Key<T> {
    index: usize,
    kind: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Key<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key").field("index", &self.index).finish()
    }
}

/// The answers of a sent batch, by [`Key`].
#[derive(Debug)]
pub struct Results {
    outcomes: Vec<Option<Finished>>,
    /// How many `batch` requests were sent.
    pub requests: usize,
}

impl Client {
    /// An empty batch of calls to this client's portal.
    pub fn batch(&self) -> Batch<'_> {
        Batch {
            client: self,
            halt: false,
            commands: Vec::new(),
        }
    }
}

impl<'a> Batch<'a> {
    /// With `true`, Bitrix24 stops at the first call that fails: the calls after it are not
    /// made (their results are [`Error::NotDone`]), nor are the batches after it.
    pub fn halt(mut self, halt: bool) -> Batch<'a> {
        self.halt = halt;
        self
    }

    /// Adds a call; its answer comes back typed as its method's, under the returned key.
    pub fn add<T: Send + 'static>(&mut self, pending: Pending<'_, T>) -> Key<T> {
        let finish = pending.finish;
        self.commands.push(Command {
            call: pending.call,
            finish: Box::new(move |answer| {
                finish(answer).map(|typed| Box::new(typed) as Box<dyn Any + Send>)
            }),
        });
        Key {
            index: self.commands.len() - 1,
            kind: PhantomData,
        }
    }

    /// How many calls there are.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// Whether there are no calls.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// Sends the calls, 50 to a request, one request after another.
    pub async fn send(self) -> Results {
        let Batch {
            client,
            halt,
            commands,
        } = self;
        let mut outcomes: Vec<Option<Finished>> = Vec::with_capacity(commands.len());
        let mut requests = 0;
        let mut stopped: Option<String> = None;
        let mut pending: Vec<Command> = commands.into_iter().rev().collect();
        while !pending.is_empty() {
            let take = pending.len().min(BATCH_LIMIT);
            let chunk: Vec<Command> = (0..take).filter_map(|_| pending.pop()).collect();
            if let Some(reason) = &stopped {
                outcomes.extend(chunk.iter().map(|_| Some(Err(not_done(reason)))));
                continue;
            }
            requests += 1;
            let (results, halted) = send_chunk(client, chunk, halt).await;
            outcomes.extend(results.into_iter().map(Some));
            if halt && halted {
                stopped = Some("an earlier call of the batch failed, and the batch halts".into());
            }
        }
        Results { outcomes, requests }
    }
}

impl Results {
    /// The answer of the call under `key`, or why it failed. Each key's answer can be taken
    /// once.
    pub fn take<T: 'static>(&mut self, key: Key<T>) -> Result<T, Error> {
        let outcome = self
            .outcomes
            .get_mut(key.index)
            .and_then(Option::take)
            .ok_or_else(|| Error::InvalidInput("this answer was taken already".into()))?;
        let typed = outcome?;
        typed
            .downcast::<T>()
            .map(|typed| *typed)
            .map_err(|_| Error::InvalidInput("a key of another batch".into()))
    }
}

fn not_done(reason: &str) -> Error {
    Error::NotDone {
        reason: reason.to_owned(),
    }
}

/// `method?query` for a call in a batch; calls that cannot go in one say why.
fn command_text(call: &Call) -> Result<String, Error> {
    if call.server.is_some() || call.upload.is_some() {
        return Err(Error::InvalidInput(format!(
            "`{}` cannot go in a batch: it {}",
            call.method,
            if call.upload.is_some() {
                "uploads a file in a second request"
            } else {
                "goes to another host than the portal"
            }
        )));
    }
    let fields = request_fields(call)?;
    let method = call.method_for(&fields);
    let query = query::encode(&fields, QueryForm::Brackets);
    Ok(if query.is_empty() {
        method.to_owned()
    } else {
        format!("{method}?{query}")
    })
}

/// Sends one `batch` request; gives each call's outcome, and whether one of them failed.
async fn send_chunk(client: &Client, chunk: Vec<Command>, halt: bool) -> (Vec<Finished>, bool) {
    let mut cmd = Map::new();
    let mut texts: Vec<Result<String, Error>> = Vec::with_capacity(chunk.len());
    let mut safe = true;
    for (i, command) in chunk.iter().enumerate() {
        let text = match &command.call {
            Ok(call) => {
                safe &= call.safe_to_repeat;
                command_text(call)
            }
            Err(error) => Err(Error::InvalidInput(error.to_string())),
        };
        if let Ok(text) = &text {
            cmd.insert(key(i), Value::String(text.clone()));
        }
        texts.push(text);
    }
    let answer = match client.library().wire.batch.as_ref() {
        _ if cmd.is_empty() => Ok(None),
        None => Err(Error::InvalidInput(format!(
            "{} takes no batch of calls",
            client.library().name
        ))),
        Some(form) => {
            let call = Call {
                method: form.method,
                http: Http::Post,
                safe_to_repeat: safe,
                fields: vec![
                    (form.halt, Some(json!(u8::from(halt)))),
                    (form.commands, Some(Value::Object(cmd))),
                ],
                ..Call::DEFAULT
            };
            client.call(call).await.map(Some)
        }
    };
    let mut failed = false;
    let mut outcomes = Vec::with_capacity(chunk.len());
    for (i, (command, text)) in chunk.into_iter().zip(texts).enumerate() {
        let outcome: Finished = match (text, &answer) {
            (Err(error), _) => {
                // Refused before sending: the command's own error, as the call alone gives.
                Err(match command.call {
                    Err(own) => own,
                    Ok(_) => error,
                })
            }
            (Ok(_), Err(error)) => Err(not_done(&format!("its batch request failed: {error}"))),
            (Ok(_), Ok(None)) => Err(not_done("nothing was sent")),
            (Ok(_), Ok(Some(batch))) => match part(client.library(), &batch.result, &key(i)) {
                Part::Done(answer) => (command.finish)(*answer),
                Part::Failed(error) => Err(client.masked_error(error)),
                Part::Missing => Err(not_done(&format!(
                    "{} did not make it: an earlier call of the batch failed",
                    client.library().name
                ))),
            },
        };
        failed |= outcome.is_err();
        outcomes.push(outcome);
    }
    (outcomes, failed)
}

fn key(i: usize) -> String {
    format!("c{i}")
}

pub(crate) enum Part {
    Done(Box<Answer>),
    Failed(Error),
    Missing,
}

/// One call's part of a batch answer (Bitrix24's `result.result[key]`, with its total, next page
/// and timing, or `result.result_error[key]`), at the keys the library's batch declares.
pub(crate) fn part(library: &'static Library, result: &Value, key: &str) -> Part {
    let Some(form) = library.wire.batch.as_ref() else {
        return Part::Missing;
    };
    let in_map = |name: &str| result.get(name).and_then(|m| m.get(key)).cloned();
    if let Some(error) = in_map(form.errors) {
        let text = |field: &str| match error.get(field) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        return Part::Failed(Error::Api {
            service: library.name,
            status: 400,
            code: text(library.errors.code),
            description: text(library.errors.description),
        });
    }
    let Some(value) = in_map(form.results) else {
        return Part::Missing;
    };
    // The call's answer as it would have come alone.
    let wire = &library.wire;
    let mut raw = json!({ wire.result: value });
    for (name, field) in [
        (form.totals, wire.total),
        (form.nexts, wire.next),
        (form.times, wire.time),
    ] {
        if let (Some(v), Some(field)) = (in_map(name), field) {
            raw[field] = v;
        }
    }
    match Answer::from_json(raw, wire) {
        Some(answer) => Part::Done(Box::new(answer)),
        None => Part::Missing,
    }
}
