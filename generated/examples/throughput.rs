//! oint's side of the throughput benchmark (`generated/benches/throughput.sh`): reads every
//! lead, or creates N leads, through a webhook, with the client's defaults (Bitrix24's request
//! limit kept to); prints what it did and how long it took.
//!
//!   cargo run --release --example throughput -- WEBHOOK read
//!   cargo run --release --example throughput -- WEBHOOK create 1000

use std::time::Instant;

use oint::bitrix24::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(webhook), Some(mode)) = (args.first(), args.get(1)) else {
        eprintln!("usage: throughput WEBHOOK read | WEBHOOK create N");
        std::process::exit(2);
    };
    let client = Client::webhook(webhook)?;
    let started = Instant::now();
    match mode.as_str() {
        "read" => {
            let leads = client.get_leads_list(None, None).all().await?;
            println!(
                "read {} leads in {:.3}s",
                leads.len(),
                started.elapsed().as_secs_f64()
            );
        }
        "create" => {
            let n: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1000);
            let mut batch = client.batch();
            let keys: Vec<_> = (0..n)
                .map(|i| {
                    let fields = serde_json::json!({"TITLE": format!("oint lead {i}"), "NAME": format!("Name{i}")});
                    batch.add(client.create_lead(fields))
                })
                .collect();
            let mut results = batch.send().await;
            let mut created = 0;
            for key in keys {
                if results.take(key).is_ok() {
                    created += 1;
                }
            }
            println!(
                "created {created} leads in {:.3}s",
                started.elapsed().as_secs_f64()
            );
        }
        other => {
            eprintln!("unknown mode `{other}`: read or create");
            std::process::exit(2);
        }
    }
    Ok(())
}
