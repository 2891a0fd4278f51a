//! The CLI: a clap command per library and per method, with the spec's texts, and the dispatch
//! from parsed arguments to the client function. The runtime (`oint_runtime::cli`) does the
//! rest.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{format_rust, parse};
use crate::model::{Action, ConnectionParam, Item, Library, Method, Model, Param, ParamKind};

/// The file included into `oint::cli`.
pub fn cli(model: &Model) -> String {
    let commands = model.libraries.iter().map(|l| {
        let module = format_ident!("{}", l.command);
        quote!(#module::command())
    });
    let dispatch = model.libraries.iter().map(|l| {
        let module = format_ident!("{}", l.command);
        let command = &l.command;
        quote!(#command => #module::run(args, session).await)
    });
    let libraries = model.libraries.iter().map(library);
    let tokens = quote! {
        /// The libraries of this crate, for the frame of the command line (`oint_runtime::cli`).
        pub struct Libraries;

        impl oint_runtime::cli::Libraries for Libraries {
            fn commands() -> Vec<clap::Command> {
                vec![#(#commands),*]
            }

            async fn run(
                library: &str,
                args: &clap::ArgMatches,
                session: &oint_runtime::cli::Session,
            ) -> Result<oint_runtime::cli::Output, oint_runtime::cli::CliError> {
                match library {
                    #(#dispatch,)*
                    other => Err(oint_runtime::cli::CliError::Usage(format!("unknown library `{other}`"))),
                }
            }
        }

        /// Runs `oint` with the process's arguments.
        pub fn main() -> std::process::ExitCode {
            oint_runtime::cli::main::<Libraries>()
        }

        /// The whole `oint` command: global options and every library's command.
        pub fn command() -> clap::Command {
            oint_runtime::cli::command::<Libraries>()
        }

        #(#libraries)*
    };
    let sources: Vec<&str> = model.libraries.iter().map(|l| l.source.as_str()).collect();
    crate::outputs::Preamble {
        from: &format!("{} and the methods beside it", sources.join(", ")),
        command: super::BUILD_COMMAND,
    }
    .rust()
        + &format_rust(tokens)
}

fn library(library: &Library) -> TokenStream {
    let module = format_ident!("{}", library.command);
    let runtime = format_ident!("{}", library.command);
    let command = &library.command;
    let about = crate::model::summary(&library.description);
    let long_about = library.description.trim();
    let listing = method_listing(library);
    // A method that is not a command (OPI's `!NOCLI`) is left out of all of it.
    let commands = || library.methods().filter(|m| m.cli);
    let constructors = commands().map(|m| {
        let constructor = format_ident!("{}_command", m.fn_name.trim_start_matches("r#"));
        quote!(#constructor())
    });
    let method_commands = commands().map(|method| method_command(library, method));
    let connection_args = library.connection.iter().map(|param| {
        let function = format_ident!("connection_{}", param.ident.trim_start_matches("r#"));
        let arg = connection_arg(param);
        quote! {
            fn #function() -> Arg {
                #arg
            }
        }
    });
    // The connection values as `Client::new` takes them: required ones as text, others as
    // options.
    let connection_values = library.connection.iter().map(|param| {
        let ident = format_ident!("{}", param.ident.trim_start_matches("r#"));
        let id = &param.name;
        if param.required {
            quote!(let #ident: String = oint_runtime::cli::value(args, #id)?;)
        } else {
            quote!(let #ident = args.get_one::<String>(#id).map(String::as_str);)
        }
    });
    let connection_passed = library.connection.iter().map(|param| {
        let ident = format_ident!("{}", param.ident.trim_start_matches("r#"));
        if param.required {
            quote!(&#ident)
        } else {
            quote!(#ident)
        }
    });
    let calls = commands().map(call);
    // Methods that call another host (the OAuth server) take no URL or token.
    let unconnected = (!library.servers.is_empty()).then(|| {
        quote! {
            let unconnected = || -> Result<Client, oint_runtime::cli::CliError> {
                Ok(Client::from(session.configure(Client::without_portal()?.into())?))
            };
            let _ = &unconnected;
        }
    });
    quote! {
        pub mod #module {
            use clap::{Arg, Command};

            /// The library's command: its methods, listed by group.
            pub fn command() -> Command {
                Command::new(#command)
                    .about(#about)
                    .long_about(#long_about)
                    .subcommand_required(true)
                    .arg_required_else_help(true)
                    .help_template(oint_runtime::cli::LIBRARY_HELP_TEMPLATE)
                    .arg(oint_runtime::cli::timeout_arg())
                    .after_help(#listing)
                    .subcommands([#(#constructors),*])
            }

            #(#connection_args)*

            #(#method_commands)*

            /// Runs the method chosen on the command line; returns what to print.
            // Deprecated methods stay on the command line, as in OPI.
            #[allow(deprecated)]
            pub async fn run(
                args: &clap::ArgMatches,
                session: &oint_runtime::cli::Session,
            ) -> Result<oint_runtime::cli::Output, oint_runtime::cli::CliError> {
                use crate::#runtime::Client;
                let Some((method, args)) = args.subcommand() else {
                    return Err(oint_runtime::cli::CliError::Usage("no method given".into()));
                };
                // Only methods that call the API take the connection options.
                let connect = || -> Result<Client, oint_runtime::cli::CliError> {
                    #(#connection_values)*
                    Ok(Client::from(session.configure(Client::new(#(#connection_passed),*)?.into())?))
                };
                let _ = &connect;
                #unconnected
                match method {
                    #(#calls,)*
                    other => Err(oint_runtime::cli::CliError::Usage(format!("unknown method `{other}`"))),
                }
            }
        }
    }
}

/// The methods by group, as `oint <library> --help` shows them.
fn method_listing(library: &Library) -> String {
    let width = library.methods().map(|m| m.name.len()).max().unwrap_or(0);
    let mut out = String::from("Methods by group:\n");
    for group in &library.groups {
        let commands: Vec<&crate::model::Method> = group.methods.iter().filter(|m| m.cli).collect();
        if commands.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{}:\n", group.name));
        for m in commands {
            out.push_str(&format!("  {:width$}  {}\n", m.name, m.summary));
        }
    }
    out.push_str(&format!(
        "\nSee `oint {} <METHOD> --help` for the options of a method.",
        library.command
    ));
    out
}

fn connection_arg(param: &ConnectionParam) -> TokenStream {
    let id = &param.name;
    let flag = &param.flag;
    let env = &param.env;
    let required = param.required;
    let help = if required {
        format!("{} [{}]", param.description, param.docs_type)
    } else {
        format!("{} [{}] (optional)", param.description, param.docs_type)
    };
    // The environment's value is never shown: it may be a secret.
    quote! {
        Arg::new(#id)
            .long(#flag)
            .value_name(#id)
            .env(#env)
            .hide_env_values(true)
            .required(#required)
            .help(#help)
    }
}

fn method_command(library: &Library, method: &Method) -> TokenStream {
    let constructor = format_ident!("{}_command", method.fn_name.trim_start_matches("r#"));
    let name = &method.name;
    let about = match method.deprecated {
        Some(_) => format!("{} (deprecated)", method.summary),
        None => method.summary.clone(),
    };
    let args = method.params.iter().map(param_arg);
    let mut description = method.description.to_string();
    if let Some(notes) = &method.notes {
        description.push_str(&format!("\n\n{notes}"));
    }
    if let Some(deprecated) = &method.deprecated {
        description.push_str(&format!("\n\nDeprecated: {deprecated}"));
    }
    let (long_about, connection) = match &method.action {
        Action::Rest(rest) if rest.server.is_some() => (
            format!(
                "{description}\n\nCalls {} on its own host; takes no URL or token.",
                rest.method
            ),
            (quote!(), quote!()),
        ),
        Action::Rest(rest) => (
            format!(
                "{description}\n\nREST method: {} ({})",
                rest.method, rest.docs_url
            ),
            {
                let args = |last: bool| {
                    let functions = library.connection_at(last).map(|param| {
                        format_ident!("connection_{}", param.ident.trim_start_matches("r#"))
                    });
                    quote!(#(.arg(#functions()))*)
                };
                (args(false), args(true))
            },
        ),
        Action::Template(_) => (
            format!("{description}\n\nMakes no call: prints the structure, filled in."),
            (quote!(), quote!()),
        ),
    };
    let (url, token) = connection;
    // A list method can read every page.
    let all = method.rest().and_then(|rest| rest.list.as_ref()).map(|_| {
        quote! {
            .arg(
                Arg::new("all")
                    .long("all")
                    .action(clap::ArgAction::SetTrue)
                    .help("Read every page and print one JSON array of all the items (the offset is ignored)")
            )
        }
    });
    // A method whose own option is `--timeout` (OPI's) keeps it; the wait for an answer is
    // then given before the method.
    let timeout = (!method.params.iter().any(|p| p.flag == "timeout"))
        .then(|| quote!(.arg(oint_runtime::cli::timeout_arg())));
    quote! {
        fn #constructor() -> Command {
            Command::new(#name)
                .about(#about)
                .long_about(#long_about)
                #url
                #(.arg(#args))*
                #token
                #all
                #timeout
        }
    }
}

fn param_arg(param: &Param) -> TokenStream {
    let id = &param.name;
    let flag = &param.flag;
    let mut help = format!(
        "{} [{}]{}",
        param.description, param.docs_type, param.optional_note
    );
    if let Some(why) = &param.ignored {
        help.push_str(&format!("; changes nothing: {why}"));
    }
    let parser: syn::Expr = parse(&param.cli_parser);
    let required = param.required;
    // A variable's value is never shown: it may be a secret.
    let env = param
        .env
        .as_ref()
        .map(|env| quote!(.env(#env).hide_env_values(true)));
    // A value that starts with `-` is a value, not an option, where one may: an ID or a number
    // (Telegram's group IDs, `-1001893407333*45` for a topic). Elsewhere, a negative number.
    let hyphen = if matches!(
        param.kind,
        ParamKind::Id | ParamKind::Number | ParamKind::Array(Item::Id | Item::Number)
    ) {
        quote!(.allow_hyphen_values(true))
    } else {
        quote!(.allow_negative_numbers(true))
    };
    quote! {
        Arg::new(#id)
            .long(#flag)
            .value_name(#id)
            .required(#required)
            #hyphen
            .value_parser(#parser)
            #env
            .help(#help)
    }
}

fn call(method: &Method) -> TokenStream {
    let name = &method.name;
    let function: syn::Ident = parse(&method.fn_name);
    let values = method.params.iter().map(|p| {
        let id = &p.name;
        let ty: syn::Type = parse(&p.cli_type);
        if p.required {
            quote!(oint_runtime::cli::value::<#ty>(args, #id)?)
        } else {
            let adapter: TokenStream = match p.cli_optional_adapter.parse() {
                Ok(tokens) => tokens,
                Err(error) => panic!(
                    "the model's adapter `{}` is not Rust: {error}",
                    p.cli_optional_adapter
                ),
            };
            quote!(args.get_one::<#ty>(#id).cloned() #adapter)
        }
    });
    match &method.action {
        Action::Rest(rest) => {
            let client = match rest.server {
                Some(_) => quote!(unconnected()?),
                None => quote!(connect()?),
            };
            if method.returns.builds_structure || method.returns.file {
                // The method returns the structure it builds (or the file it reads), not an
                // answer.
                return quote! {
                    #name => Ok(#client.#function(#(#values),*).await?.into())
                };
            }
            match &rest.list {
                Some(_) => quote! {
                    #name => {
                        let client = #client;
                        let call = client.#function(#(#values),*);
                        if args.get_flag("all") {
                            oint_runtime::cli::read_all(call, session).await.map(Into::into)
                        } else {
                            Ok(call.await?.into_raw().into())
                        }
                    }
                },
                None => quote! {
                    #name => Ok(#client.#function(#(#values),*).await?.into_raw().into())
                },
            }
        }
        Action::Template(_) => quote! {
            #name => Ok(Client::#function(#(#values),*).into())
        },
    }
}
