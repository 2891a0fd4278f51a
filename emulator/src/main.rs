//! `oint-emulator`: a Bitrix24 emulator on loopback, for trying `oint` and testing scripts
//! without a portal. It prints a webhook URL, a token and a chat to play with, then serves until
//! interrupted. With `--telegram TOKEN`, a Telegram Bot API emulator for that bot instead.

use clap::Parser;
use oint_emulator::bitrix24::{Emulator, EmulatorConfig, Entity};

#[derive(Parser)]
#[command(
    version,
    about = "A Bitrix24 (or Telegram) emulator on 127.0.0.1, for tests"
)]
struct Args {
    /// Port to listen on (0: any free port)
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Requests accepted at once before 503 QUERY_LIMIT_EXCEEDED
    #[arg(long, default_value_t = 50.0)]
    burst: f64,
    /// Requests per second the limit drains
    #[arg(long, default_value_t = 2.0)]
    drain: f64,
    /// Tasks to start with, with IDs 1..N
    #[arg(long, default_value_t = 0)]
    tasks: u64,
    /// CRM leads to start with, with IDs 1..N
    #[arg(long, default_value_t = 0)]
    leads: u64,
    /// CRM deals to start with, with IDs 1..N
    #[arg(long, default_value_t = 0)]
    deals: u64,
    /// Emulate Telegram's Bot API for the bot with this token instead
    #[arg(long, value_name = "TOKEN")]
    telegram: Option<String>,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        if let Some(token) = &args.telegram {
            let bot = oint_emulator::telegram::Emulator::start_on(token, args.port).await?;
            println!("Telegram emulator on {}", bot.url());
            println!(
                "try: OINT_TELEGRAM_API_URL={} oint telegram GetBotInformation --token <TOKEN>",
                bot.url()
            );
            return tokio::signal::ctrl_c().await;
        }
        let config = EmulatorConfig {
            burst: args.burst,
            drain_per_second: args.drain,
            ..EmulatorConfig::default()
        };
        let portal = Emulator::start_with(config, args.port).await?;
        for (entity, count, title) in [
            (Entity::Task, args.tasks, "Task"),
            (Entity::Lead, args.leads, "Lead"),
            (Entity::Deal, args.deals, "Deal"),
        ] {
            for n in 1..=count {
                portal.insert(
                    entity,
                    serde_json::json!({ "TITLE": format!("{title} {n}") }),
                );
            }
        }
        let owner = portal.add_user();
        let member = portal.add_user();
        let chat = portal.create_chat(owner, "Team", &[member]);
        println!("Bitrix24 emulator on {}", portal.url());
        println!("webhook of user {owner}: {}", portal.webhook_url(owner));
        println!("OAuth token of user {owner}: {}", portal.issue_token(owner));
        println!("chat {chat} has users {owner} (owner) and {member}");
        println!(
            "try: oint bitrix24 DeleteUserFromChat --url {} --chat {chat} --user {member}",
            portal.webhook_url(owner)
        );
        tokio::signal::ctrl_c().await
    })
}
