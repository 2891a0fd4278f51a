//! Whole-list reads: every item of a list method, page after page, 50 pages to a `batch`.
//!
//! Where the spec says by which field a list can be walked (`rest.list.by`, e.g. `ID`), the read
//! is an ID window, the fastest correct way Bitrix24 documents: `order` by ID ascending, a
//! filter `>ID` of the last ID read, and `start=-1` so that the portal does not count (only the
//! first page counts, once, so that no request is spent on finding the end). The 50 commands of
//! a batch are chained (`filter[>ID]=$result[c0][49][ID]`), so that one request reads up to
//! 2,500 items. Records added or removed during the read cannot make it give an item twice, nor
//! skip one that existed throughout: each page starts after the last ID seen.
//!
//! Otherwise (no such field, or a filter that already says something of it) the pages are read
//! by `start`: the first one gives the total, and the others go 50 to a batch; an item seen
//! twice (when the list shifts during the read) is given once.

use std::collections::HashSet;

use futures_util::Stream;
use serde_json::{Map, Value, json};

use super::call::Call;
use super::client::request_fields;
use super::{BATCH_LIMIT, Client, Error, Pending, query};
use crate::library::QueryForm;

/// The page size of Bitrix24's lists.
pub const PAGE: usize = 50;

/// How a list method pages, as the spec says.
#[doc(hidden)]
#[derive(Debug)]
pub struct List {
    /// Where the items are in `result` (`tasks`); `None` when `result` is the list.
    pub items: Option<&'static str>,
    /// The request field of the page's offset, e.g. `start`.
    pub start: &'static str,
    /// The field to walk the list by (`ID`), in filters and orders; `None` to page by `start`.
    pub by: Option<&'static str>,
    /// How each item names that field in the answer (`id` for tasks, `ID` for CRM items).
    pub id: &'static str,
    /// The request fields of the filter, the order and the selected fields.
    pub filter: Option<&'static str>,
    pub order: Option<&'static str>,
    pub select: Option<&'static str>,
}

/// A page of a whole-list read.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub items: Vec<Value>,
    /// How many items the list has in all, when the read counts them (paging by `start`).
    pub total: Option<u64>,
}

impl<'a, T> Pending<'a, T> {
    /// Every item of the list this call reads, from all its pages (the call's own offset is
    /// ignored). Only for list methods: the others give [`Error::InvalidInput`].
    pub async fn all(self) -> Result<Vec<Value>, Error> {
        let mut items = Vec::new();
        self.each_page(|page| items.extend(page.items)).await?;
        Ok(items)
    }

    /// Reads every page of the list, handing each to `page` as it comes: for progress, or to
    /// work on a long list without holding it whole.
    pub async fn each_page(self, mut page: impl FnMut(Page)) -> Result<(), Error> {
        let mut reader = Reader::new(self.client, self.call)?;
        while let Some(pages) = reader.next_batch().await? {
            pages.into_iter().for_each(&mut page);
        }
        Ok(())
    }

    /// Every item of the list, as a stream: one `batch` request is made when the items of the
    /// one before are used up.
    pub fn stream(self) -> impl Stream<Item = Result<Value, Error>> + Send + 'a {
        let reader = Reader::new(self.client, self.call);
        let batches = futures_util::stream::unfold(Some(reader), |reader| async move {
            let mut reader = match reader? {
                Ok(reader) => reader,
                Err(error) => return Some((vec![Err(error)], None)),
            };
            match reader.next_batch().await {
                Ok(Some(pages)) => {
                    let items = pages
                        .into_iter()
                        .flat_map(|page| page.items)
                        .map(Ok)
                        .collect();
                    Some((items, Some(Ok(reader))))
                }
                Ok(None) => None,
                Err(error) => Some((vec![Err(error)], None)),
            }
        });
        futures_util::StreamExt::flat_map(batches, futures_util::stream::iter)
    }
}

/// Where a whole-list read is.
enum Position {
    /// Walking by ID: the last ID read (none yet at the start), how many items were read, and
    /// how many the list had when the read began (its first page counts them).
    ById {
        by: &'static str,
        last: Option<Value>,
        read: u64,
        total: Option<u64>,
    },
    /// Paging by `start`: the offsets still to read, once the first page gave the total.
    ByStart {
        next: Option<Vec<u64>>,
    },
    Done,
}

/// A whole-list read in progress.
struct Reader<'a> {
    client: &'a Client,
    call: Call,
    list: &'static List,
    /// The request's fields, with the caller's filter taken out for a walk by ID.
    fields: Map<String, Value>,
    filter: Map<String, Value>,
    position: Position,
    seen: HashSet<String>,
}

impl<'a> Reader<'a> {
    fn new(client: &'a Client, call: Result<Call, Error>) -> Result<Reader<'a>, Error> {
        let call = call?;
        let Some(list) = call.list else {
            return Err(Error::InvalidInput(format!(
                "`{}` is not a list method: there are no pages to read",
                call.method
            )));
        };
        let mut fields = request_fields(&call)?;
        let mut filter = Map::new();
        let position = match window(list, &fields) {
            Some(by) => {
                let filter_field = list.filter.unwrap_or("filter");
                filter = fields
                    .remove(filter_field)
                    .and_then(|f| f.as_object().cloned())
                    .unwrap_or_default();
                fields.insert(list.start.to_owned(), json!(-1));
                if let Some(order) = list.order {
                    fields.insert(order.to_owned(), json!({ by: "ASC" }));
                }
                // The ID must come back to chain on.
                if let Some(select) = list.select
                    && let Some(Value::Array(selected)) = fields.get_mut(select)
                    && !selected.is_empty()
                    && !selected.iter().any(|s| {
                        s.as_str()
                            .is_some_and(|s| s.eq_ignore_ascii_case(by) || s == "*")
                    })
                {
                    selected.push(json!(by));
                }
                Position::ById {
                    by,
                    last: None,
                    read: 0,
                    total: None,
                }
            }
            None => Position::ByStart { next: None },
        };
        Ok(Reader {
            client,
            call,
            list,
            fields,
            filter,
            position,
            seen: HashSet::new(),
        })
    }

    /// The pages of the next `batch` request; `None` once the list is read.
    async fn next_batch(&mut self) -> Result<Option<Vec<Page>>, Error> {
        match std::mem::replace(&mut self.position, Position::Done) {
            Position::Done => Ok(None),
            Position::ById {
                by,
                last,
                read,
                total,
            } => self.by_id(by, last, read, total).await.map(Some),
            Position::ByStart { next } => self.by_start(next).await.map(Some),
        }
    }

    /// Up to 50 chained pages after `last`. The first page of the read counts the list (its
    /// only counted page), so that each batch asks for the pages still to read, and no batch is
    /// spent finding the end; the walk ends at a page that is not full, or once as many items
    /// were read as the list had at the start — which cannot skip an item that was there
    /// throughout: the items are read in ID order, and a new one has a higher ID than all.
    async fn by_id(
        &mut self,
        by: &'static str,
        mut last: Option<Value>,
        mut read: u64,
        mut total: Option<u64>,
    ) -> Result<Vec<Page>, Error> {
        let list = self.list;
        let filter_field = list.filter.unwrap_or("filter");
        let items_path = list.items.map(|key| format!("[{key}]")).unwrap_or_default();
        let after = format!(">{by}");
        let first = last.is_none() && read == 0;
        let wanted = match total {
            Some(total) => total.saturating_sub(read).div_ceil(PAGE as u64).max(1),
            None => BATCH_LIMIT as u64,
        };
        let commands: Vec<String> = (0..wanted.min(BATCH_LIMIT as u64) as usize)
            .map(|i| {
                let mut filter = self.filter.clone();
                let from = match (i, &last) {
                    (0, None) => None,
                    (0, Some(id)) => Some(id.clone()),
                    _ => Some(json!(format!(
                        "$result[c{}]{items_path}[{}][{}]",
                        i - 1,
                        PAGE - 1,
                        list.id
                    ))),
                };
                if let Some(from) = from {
                    filter.insert(after.clone(), from);
                }
                let mut fields = self.fields.clone();
                fields.insert(filter_field.to_owned(), Value::Object(filter));
                if first && i == 0 {
                    fields.insert(list.start.to_owned(), json!(0));
                }
                command(&self.call, &fields)
            })
            .collect();
        let mut pages = Vec::new();
        for (result, page_total) in batch(self.client, &self.call, commands).await? {
            total = total.or(page_total);
            let items = items_of(list, &result);
            let full = items.len() >= PAGE;
            read += items.len() as u64;
            last = items.last().and_then(|item| item.get(list.id)).cloned();
            pages.push(Page { items, total });
            // A page that is not full is the last; the commands after it point at nothing.
            let all_read = total.is_some_and(|total| read >= total);
            if !full || last.is_none() || all_read {
                return Ok(pages);
            }
        }
        self.position = Position::ById {
            by,
            last,
            read,
            total,
        };
        Ok(pages)
    }

    /// The first page (with the total), then 50 offsets to a batch.
    async fn by_start(&mut self, next: Option<Vec<u64>>) -> Result<Vec<Page>, Error> {
        let list = self.list;
        let offsets = next.unwrap_or_else(|| vec![0]);
        let counting = offsets == [0];
        let (now, later) = offsets.split_at(offsets.len().min(BATCH_LIMIT));
        let commands = now
            .iter()
            .map(|start| {
                let mut fields = self.fields.clone();
                fields.insert(list.start.to_owned(), json!(start));
                command(&self.call, &fields)
            })
            .collect();
        let mut pages = Vec::new();
        let mut total = None;
        for (result, page_total) in batch(self.client, &self.call, commands).await? {
            total = total.or(page_total);
            let items = items_of(list, &result)
                .into_iter()
                .filter(|item| match item.get(list.id) {
                    Some(id) => self.seen.insert(id.to_string()),
                    None => true,
                })
                .collect();
            pages.push(Page { items, total });
        }
        let later: Vec<u64> = if counting {
            let total = total.unwrap_or(0);
            (1..)
                .map(|n| n * PAGE as u64)
                .take_while(|start| *start < total)
                .collect()
        } else {
            later.to_vec()
        };
        if !later.is_empty() {
            self.position = Position::ByStart { next: Some(later) };
        }
        Ok(pages)
    }
}

/// The field to walk by, unless the caller's filter already conditions it (a window would then
/// change what the filter asks).
fn window(list: &List, fields: &Map<String, Value>) -> Option<&'static str> {
    let by = list.by?;
    let filter = list.filter?;
    let conditioned = fields
        .get(filter)
        .and_then(Value::as_object)
        .is_some_and(|filter| {
            filter.keys().any(|key| {
                key.trim_start_matches(['>', '<', '=', '!', '%', '@'])
                    .eq_ignore_ascii_case(by)
            })
        });
    (!conditioned).then_some(by)
}

/// `method?query` of one page.
fn command(call: &Call, fields: &Map<String, Value>) -> String {
    format!(
        "{}?{}",
        call.method,
        query::encode(fields, QueryForm::Brackets)
    )
}

pub(crate) fn items_of(list: &List, result: &Value) -> Vec<Value> {
    let items = match list.items {
        Some(key) => result.get(key),
        None => Some(result),
    };
    match items {
        Some(Value::Array(items)) => items.clone(),
        // An object keyed by ID is a list too.
        Some(Value::Object(map)) => map.values().cloned().collect(),
        _ => Vec::new(),
    }
}

/// One `batch` request of page commands; gives each command's result and total, in order, up to
/// the first that has none.
async fn batch(
    client: &Client,
    call: &Call,
    commands: Vec<String>,
) -> Result<Vec<(Value, Option<u64>)>, Error> {
    let cmd: Map<String, Value> = commands
        .into_iter()
        .enumerate()
        .map(|(i, text)| (format!("c{i}"), Value::String(text)))
        .collect();
    let count = cmd.len();
    let Some(form) = client.library().wire.batch.as_ref() else {
        return Err(Error::InvalidInput(format!(
            "{} takes no batch of calls, which a whole-list read needs",
            client.library().name
        )));
    };
    let batch = Call {
        method: form.method,
        safe_to_repeat: call.safe_to_repeat,
        fields: vec![
            (form.halt, Some(json!(0))),
            (form.commands, Some(Value::Object(cmd))),
        ],
        ..Call::DEFAULT
    };
    let answer = client.call(batch).await?;
    let mut results = Vec::with_capacity(count);
    for i in 0..count {
        let key = format!("c{i}");
        if let Some(error) = answer.result.get(form.errors).and_then(|e| e.get(&key)) {
            return Err(client.masked_error(Error::Api {
                service: client.library().name,
                status: 400,
                code: error[client.library().errors.code]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                description: error[client.library().errors.description]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            }));
        }
        let total = answer
            .result
            .get(form.totals)
            .and_then(|t| t.get(&key))
            .and_then(Value::as_u64);
        match answer.result.get(form.results).and_then(|r| r.get(&key)) {
            Some(result) => results.push((result.clone(), total)),
            None => break,
        }
    }
    Ok(results)
}
