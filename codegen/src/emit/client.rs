//! The Rust client: one thin async method per API method, each a call of the runtime's shared
//! `Client::call` with the REST method and the encoded request fields; one plain function per
//! template method; an enum per closed set of values. Apart from the client, the `METHODS` table
//! of each library, for tools.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{CRATE, format_rust, parse, rust_preamble};
use crate::model::{Action, Choice, Http, Library, Method, Model, Param, ParamKind, Wire};
use crate::spec::{Encoding, Hook, Part, SignalKind};

/// The file included into the library's runtime module (`oint::<library>`).
pub fn client(library: &Library) -> String {
    let methods = library.methods().map(|m| method(library, m));
    let mut choices: BTreeMap<&str, &Choice> = BTreeMap::new();
    for choice in library
        .methods()
        .flat_map(|m| &m.params)
        .filter_map(|p| p.choice.as_ref())
    {
        choices.insert(&choice.enum_name, choice);
    }
    let enums = choices.values().map(|choice| enumeration(choice));
    let servers = servers(library);
    let frame = client_type(library);
    let tokens = quote! {
        #frame

        #servers

        impl Client {
            #(#methods)*
        }

        #(#enums)*
    };
    rust_preamble(library) + &format_rust(tokens)
}

/// The table of a library's methods (`<library>_methods.rs`, included into the library's module
/// beside its client): what tools such as the emulator read of each method, with its recorded
/// answer. Not client code: the crate compiles it only with its feature `method-table`.
pub fn method_table(library: &Library) -> String {
    // Data for tools, written as text in the layout `prettyplease` gave it: nothing is built
    // as tokens to be parsed back and printed.
    let entries: String = library.methods().filter_map(method_info).collect();
    // `&[]` when empty, one entry to a line otherwise.
    let open = if entries.is_empty() { "" } else { "\n" };
    format!(
        "{}/// Every REST method of the spec, in group and position order: what tools (such as the\n\
         /// emulator) need to know of each.\n\
         pub const METHODS: &[MethodInfo] = &[{open}{entries}];\n",
        rust_preamble(library)
    )
}

/// The declarations of the crate's root that bring each library's module in
/// (`oint::<library>`), each with the file of its client.
pub fn libraries(model: &Model) -> String {
    let modules = model.libraries.iter().map(|library| {
        let module = format_ident!("{}", library.command);
        let doc = format!(
            " {}.\n\n Build a [`Client`]({}::Client) and call its methods: one per method of the \
             API, generated from the spec.",
            crate::model::summary(&library.description),
            library.command,
        );
        // Beside this file (`include!` reads a path relative to the file it is in).
        let file = format!("{}_client.rs", library.command);
        let table = format!("{}_methods.rs", library.command);
        quote! {
            #[doc = #doc]
            pub mod #module {
                include!(#file);
                #[cfg(feature = "method-table")]
                include!(#table);
            }
        }
    });
    let sources: Vec<&str> = model.libraries.iter().map(|l| l.source.as_str()).collect();
    crate::outputs::Preamble {
        from: &sources.join(", "),
        command: super::BUILD_COMMAND,
    }
    .rust()
        + &format_rust(quote!(#(#modules)*))
}

/// What the methods of a library's module stand on: the runtime's items they use, the public
/// ones re-exported, and the library's `Client`, a thin type around the runtime's client that
/// the generated methods are implemented on (a crate cannot add methods to another crate's
/// type).
fn client_type(library: &Library) -> TokenStream {
    let doc = format!(
        " A client of {}: build it with one of the constructors below, then call the methods. \
         Cheap to clone; clones share the connection pool and the limits. What every client has \
         (batches, the config in force) comes from the runtime's client, through `Deref`.",
        library.name
    );
    let param_ident = |name: &str| -> syn::Ident { parse(&connection_param(library, name).ident) };
    let renewing = library
        .renewal
        .as_ref()
        .zip(library.credential_mode())
        .map(|(renewal, mode)| {
            let renewal: syn::Ident = parse(renewal);
            let function = format_ident!("{}_renewing", mode.name);
            let mode_name = &mode.name;
            let token_param = mode.credential.as_ref().map(|c| c.param.as_str());
            let others: Vec<&String> = mode
                .params
                .iter()
                .filter(|param| Some(param.as_str()) != token_param)
                .collect();
            let idents: Vec<syn::Ident> = others.iter().map(|name| param_ident(name)).collect();
            let doc = format!(
                " A client for an app's OAuth tokens that renews the access token when the service \
                 says it has expired — once per expiry, whatever the number of calls or clones that \
                 meet it, through [`{renewal}`](Client::{renewal}) — and then makes the call again. \
                 [`on_tokens`](Client::on_tokens) hands the new tokens over, to store them."
            );
            quote! {
                #[doc = #doc]
                pub fn #function(#(#idents: &str,)* tokens: Tokens, app: App) -> Result<Client, Error> {
                    fn renew(client: oint_runtime::Client, app: App, refresh: String) -> oint_runtime::Renewing {
                        Box::pin(async move {
                            let client = Client(client);
                            let answer = client.#renewal(app.client_id, app.client_secret, refresh).await?;
                            Ok(answer.raw().clone())
                        })
                    }
                    oint_runtime::Client::oauth_renewing(
                        &LIBRARY,
                        #mode_name,
                        &[#((#others, #idents)),*],
                        tokens,
                        app,
                        renew,
                    )
                    .map(Client)
                }

                /// Calls `store` with the new tokens each time the client renews them. Set it right
                /// after building the client: clones made before keep the old setting.
                pub fn on_tokens(self, store: impl Fn(&Tokens) + Send + Sync + 'static) -> Client {
                    Client(self.0.on_tokens(store))
                }
            }
        });
    let constructors = library.modes.iter().map(|mode| {
        let function = format_ident!("{}", mode.name);
        let mode_name = &mode.name;
        let names = &mode.params;
        let idents: Vec<syn::Ident> = names.iter().map(|name| param_ident(name)).collect();
        // A secret is taken as an owned string too (a token read from storage); other values
        // as text.
        let args = names.iter().zip(&idents).map(|(name, ident)| {
            if connection_param(library, name).secret {
                quote!(#ident: impl Into<String>)
            } else {
                quote!(#ident: &str)
            }
        });
        let owned = names
            .iter()
            .zip(&idents)
            .filter(|(name, _)| connection_param(library, name).secret)
            .map(|(_, ident)| quote!(let #ident: String = #ident.into();));
        let values = names.iter().zip(&idents).map(|(name, ident)| {
            if connection_param(library, name).secret {
                quote!(#ident.as_str())
            } else {
                quote!(#ident)
            }
        });
        let doc = format!(" {}", prose(&mode.description));
        quote! {
            #[doc = #doc]
            pub fn #function(#(#args),*) -> Result<Client, Error> {
                #(#owned)*
                oint_runtime::Client::connect(&LIBRARY, #mode_name, &[#((#names, #values)),*]).map(Client)
            }
        }
    });
    let new_doc = new_doc(library);
    // Only a library with other servers has methods to call before there is an address.
    let without_portal = (!library.servers.is_empty()).then(|| {
        quote! {
            /// A client for the methods that call another host of the spec's `servers` (such as
            /// an OAuth server) before there is an address to call. Any other method called on it
            /// fails with [`Error::InvalidInput`].
            pub fn without_portal() -> Result<Client, Error> {
                oint_runtime::Client::without_portal(&LIBRARY).map(Client)
            }
        }
    });
    let new_args = library.connection.iter().map(|param| {
        let ident: syn::Ident = parse(&param.ident);
        if param.required {
            quote!(#ident: &str)
        } else {
            quote!(#ident: Option<&str>)
        }
    });
    let new_values = library.connection.iter().map(|param| {
        let name = &param.name;
        let ident: syn::Ident = parse(&param.ident);
        if param.required {
            quote!((#name, Some(#ident)))
        } else {
            quote!((#name, #ident))
        }
    });
    let connection_params = library.connection.iter().map(|param| {
        let (name, secret) = (&param.name, param.secret);
        quote!(oint_runtime::ConnectionParam { name: #name, secret: #secret })
    });
    let modes = library.modes.iter().map(|mode| {
        let name = &mode.name;
        let when = option_str(mode.when.as_deref());
        let address = match &mode.address {
            crate::model::Address::Given { param, append } => {
                let append = option_str(append.as_deref());
                quote!(oint_runtime::Address::Given { param: #param, append: #append })
            }
            crate::model::Address::Fixed(url) => quote!(oint_runtime::Address::Fixed(#url)),
        };
        let credential = match &mode.credential {
            Some(credential) => {
                let param = &credential.param;
                let place = match &credential.place {
                    crate::model::CredentialPlace::Field(field) => {
                        quote!(oint_runtime::CredentialPlace::Field(#field))
                    }
                    crate::model::CredentialPlace::Header { name, prefix } => quote! {
                        oint_runtime::CredentialPlace::Header { name: #name, prefix: #prefix }
                    },
                };
                quote!(Some(oint_runtime::Credential { param: #param, place: #place }))
            }
            None => quote!(None),
        };
        let public = match &mode.public_segments {
            Some(words) => quote!(Some(&[#(#words),*])),
            None => quote!(None),
        };
        let downloads = option_str(mode.downloads.as_deref());
        quote! {
            oint_runtime::AuthMode {
                name: #name,
                when: #when,
                address: #address,
                credential: #credential,
                public_segments: #public,
                downloads: #downloads,
            }
        }
    });
    let api_url_env = &library.api_url_env;
    let result_key = &library.result_key;
    let query_form = match library.query_form {
        crate::spec::QueryForm::Brackets => quote!(Brackets),
        crate::spec::QueryForm::Json => quote!(Json),
    };
    let key = |key: &Option<String>| match key {
        Some(key) => quote!(Some(#key)),
        None => quote!(None),
    };
    let (time_key, total_key, next_key) = (
        key(&library.time_key),
        key(&library.total_key),
        key(&library.next_key),
    );
    let batch = match &library.batch {
        Some(
            [
                method,
                commands,
                halt,
                results,
                errors,
                totals,
                nexts,
                times,
            ],
        ) => quote!(Some(
            oint_runtime::BatchForm {
                method: #method,
                commands: #commands,
                halt: #halt,
                results: #results,
                errors: #errors,
                totals: #totals,
                nexts: #nexts,
                times: #times,
            }
        )),
        None => quote!(None),
    };
    let (name, command) = (&library.name, &library.command);
    let rate = match library.rate_limit {
        Some((burst, per_second)) => {
            let burst = proc_macro2::Literal::u32_unsuffixed(burst);
            let per_second = proc_macro2::Literal::f64_unsuffixed(per_second);
            quote!(Some(oint_runtime::RateLimit { burst: #burst, per_second: #per_second }))
        }
        None => quote!(None),
    };
    let time_budget = match library.time_budget {
        Some(seconds) => {
            let seconds = proc_macro2::Literal::f64_unsuffixed(seconds);
            quote!(Some(#seconds))
        }
        None => quote!(None),
    };
    let (error_code, error_description) = (&library.errors.code, &library.errors.description);
    let signals = library.errors.signals.iter().map(|signal| {
        let code = &signal.code;
        let means = match signal.means {
            SignalKind::TokenExpired => quote!(TokenExpired),
            SignalKind::RateLimited => {
                let retry_after = option_str(signal.retry_after.as_deref());
                quote!(RateLimited { retry_after: #retry_after })
            }
            SignalKind::TimeBudget => {
                let reset_at = match &signal.reset_at {
                    Some(path) => quote!(Some(#path)),
                    None => quote!(None),
                };
                quote!(TimeBudget { reset_at: #reset_at })
            }
            SignalKind::Blocked => quote!(Blocked),
        };
        quote!(oint_runtime::Signal { code: #code, means: oint_runtime::Means::#means })
    });
    quote! {
        #[allow(unused_imports)]
        use oint_runtime::{call::Shape, encode, template, Call, Http, List, Server, Upload};

        /// What the runtime knows of this library, from its `library.yaml`; every client of
        /// the module carries it.
        pub static LIBRARY: oint_runtime::Library = oint_runtime::Library::new(
            #name,
            #command,
            oint_runtime::Connection {
                params: &[#(#connection_params),*],
                modes: &[#(#modes),*],
                api_url_env: #api_url_env,
            },
            oint_runtime::Wire {
                result: #result_key,
                query: oint_runtime::QueryForm::#query_form,
                time: #time_key,
                total: #total_key,
                next: #next_key,
                batch: #batch,
            },
            oint_runtime::Errors {
                code: #error_code,
                description: #error_description,
                signals: &[#(#signals),*],
            },
            oint_runtime::Limits { rate: #rate, time_budget: #time_budget },
        );
        pub use oint_runtime::encode::{Binary, Id, IntoId};
        pub use oint_runtime::{
            Answer, App, BATCH_LIMIT, Batch, Config, Date, Error, Event, Key, Limit, MethodInfo,
            PAGE, Page, Pending, RateLimit, Results, Time, Tokens, TransportKind,
        };

        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct Client(oint_runtime::Client);

        impl std::ops::Deref for Client {
            type Target = oint_runtime::Client;
            fn deref(&self) -> &oint_runtime::Client {
                &self.0
            }
        }

        impl From<oint_runtime::Client> for Client {
            fn from(client: oint_runtime::Client) -> Client {
                Client(client)
            }
        }

        impl From<Client> for oint_runtime::Client {
            fn from(client: Client) -> oint_runtime::Client {
                client.0
            }
        }

        impl Client {
            #(#constructors)*

            #renewing

            #[doc = #new_doc]
            pub fn new(#(#new_args),*) -> Result<Client, Error> {
                oint_runtime::Client::choose(&LIBRARY, &[#(#new_values),*]).map(Client)
            }

            #without_portal

            /// The same client with another address for a server of the spec, such as a test
            /// double or a proxy. The scheme, host and port replace the spec's; https is required
            /// except to a loopback address. This wins over the server's environment variable.
            pub fn with_server_url(self, server: &str, url: &str) -> Result<Client, Error> {
                self.0.with_server_url(server, url).map(Client)
            }

            /// The same client calling the service at another scheme, host and port (a local
            /// server of the API, a test double, a proxy), the path kept: what the library's
            /// `OINT_<LIBRARY>_API_URL` does for every client. https is required except to a
            /// loopback address.
            pub fn with_api_url(self, url: &str) -> Result<Client, Error> {
                self.0.with_api_url(url).map(Client)
            }

            /// The same client with other timeouts, retries or limits. A config with a wait that
            /// has no bound, or a limit that cannot be kept, is refused: see [`Config::check`].
            pub fn with_config(self, config: Config) -> Result<Client, Error> {
                self.0.with_config(config).map(Client)
            }

            /// Calls `observer` before each request, after each answer and before each retry;
            /// for logging.
            pub fn observe(self, observer: impl Fn(&Event<'_>) + Send + Sync + 'static) -> Client {
                Client(self.0.observe(observer))
            }
        }
    }
}

/// The connection value `name` of the library (validation made sure it is one).
fn connection_param<'a>(library: &'a Library, name: &str) -> &'a crate::model::ConnectionParam {
    library
        .connection
        .iter()
        .find(|param| param.name == name)
        .unwrap_or_else(|| panic!("`{name}` is not a connection value of the model"))
}

fn option_str(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}

/// The documentation of `Client::new`: which mode the values given choose.
fn new_doc(library: &Library) -> String {
    if let [only] = &library.modes[..] {
        return format!(
            " The same as [`{}`](Client::{}), the library's one mode.",
            only.name, only.name
        );
    }
    let mut rules: Vec<String> = library
        .modes
        .iter()
        .filter_map(|mode| {
            mode.when.as_ref().map(|when| {
                format!(
                    "[`{}`](Client::{}) when `{when}` is given and not empty",
                    mode.name, mode.name
                )
            })
        })
        .collect();
    if let Some(other) = library.modes.iter().find(|mode| mode.when.is_none()) {
        rules.push(format!(
            "[`{}`](Client::{}) otherwise",
            other.name, other.name
        ));
    }
    format!(
        " A client in the mode the values given choose: {}.",
        rules.join("; ")
    )
}

/// The expression of a parameter's JSON value, `Option<Value>`; it may use `?` (a check that
/// refuses the value). A parameter that names a file is a `String` by then, and is lent.
fn value(param: &Param, names_a_file: bool) -> TokenStream {
    let ident: syn::Ident = parse(&param.ident);
    let encoder = format_ident!("{}", param.encoder);
    let name = &param.name;
    if names_a_file {
        return quote!(Some(encode::#encoder(#ident.as_str())));
    }
    // The encoding of one value `v`.
    let encode = |v: TokenStream| -> TokenStream {
        let plain = match &param.named_by {
            Some(by) => {
                let by: syn::Ident = parse(by);
                quote!(encode::file_named(#v, &#by))
            }
            None => quote!(encode::#encoder(#v)),
        };
        if !param.keys.is_empty() {
            let keys = param.keys.iter().map(|(key, encoding)| {
                let how = format_ident!("{}", key_wire(*encoding));
                quote!((#key, encode::Key::#how))
            });
            quote!(encode::keyed(#name, #plain, &[#(#keys),*]))
        } else if let Some(reason) = &param.not_empty {
            quote!(encode::not_empty(#name, #plain, #reason))
        } else {
            plain
        }
    };
    let fallible = !param.keys.is_empty() || param.not_empty.is_some();
    match (&param.default, param.required) {
        (_, true) => {
            let value = encode(quote!(#ident));
            if fallible {
                quote!(Some(#value?))
            } else {
                quote!(Some(#value))
            }
        }
        (Some(default), false) => {
            let default: syn::Expr = parse(default);
            let lazy = matches!(param.kind, ParamKind::Id | ParamKind::Array(_));
            let given = if lazy {
                quote!(#ident.unwrap_or_else(|| #default))
            } else {
                quote!(#ident.unwrap_or(#default))
            };
            let value = encode(given);
            if fallible {
                quote!(Some(#value?))
            } else {
                quote!(Some(#value))
            }
        }
        (None, false) if fallible => {
            let value = encode(quote!(v));
            quote!(#ident.map(|v| #value).transpose()?)
        }
        (None, false) => quote!(#ident.map(encode::#encoder)),
    }
}

/// The runtime's `encode::Key` variant of a structure key's encoding.
fn key_wire(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Array => "Array",
        Encoding::Date => "Date",
        Encoding::Datetime => "DateTime",
        Encoding::DatetimeZ => "DateTimeZ",
        _ => "Plain",
    }
}

/// The constant of each server the methods of `library` call.
fn servers(library: &Library) -> TokenStream {
    let used = |name: &str| {
        library
            .methods()
            .filter_map(|m| m.rest())
            .any(|rest| rest.server.as_deref() == Some(name))
    };
    let servers = library
        .servers
        .iter()
        .filter(|s| used(&s.name))
        .map(|server| {
            let name = format_ident!("{}", server.const_name);
            let server_name = &server.name;
            let doc = format!(" {}", prose(&server.description));
            let url = &server.url;
            let env = &server.env;
            let whole = server.whole_answer;
            quote! {
                #[doc = #doc]
                const #name: Server = Server {
                    name: #server_name,
                    url: #url,
                    env: #env,
                    whole_answer: #whole,
                };
            }
        });
    quote!(#(#servers)*)
}

fn method(library: &Library, method: &Method) -> TokenStream {
    let name: syn::Ident = parse(&method.fn_name);
    let docs = doc_lines(library, method)
        .into_iter()
        .map(|line| quote!(#[doc = #line]));
    let deprecated = method.deprecated.as_ref().map(|note| {
        let note = note.get(0);
        quote!(#[deprecated(note = #note)])
    });
    let args = method.params.iter().map(|p| {
        let ident: syn::Ident = parse(&p.ident);
        let ty: syn::Type = parse(&p.rust_type);
        quote!(#ident: #ty)
    });
    match &method.action {
        Action::Rest(rest) => {
            let rest_method = &rest.method;
            // A parameter that names a file is used twice: made a `String` first.
            let namers: Vec<&String> = method
                .params
                .iter()
                .filter_map(|p| p.named_by.as_ref())
                .collect();
            // A media group is split into its list (a field) and its files (parts).
            let media: Vec<syn::Ident> = method
                .params
                .iter()
                .filter(|p| p.kind == ParamKind::Media)
                .map(|p| parse(&p.ident))
                .collect();
            let prelude = namers
                .iter()
                .map(|ident| {
                    let ident: syn::Ident = parse(ident);
                    quote!(let #ident: String = #ident.into();)
                })
                .chain(
                    media
                        .iter()
                        .map(|ident| quote!(let #ident = encode::media_group(#ident);)),
                );
            let fields: Vec<TokenStream> =
                method
                    .params
                    .iter()
                    .filter(|p| p.wire != Wire::FilePart)
                    .filter_map(|p| {
                        let value = if p.kind == ParamKind::Media {
                            let ident: syn::Ident = parse(&p.ident);
                            quote!(Some(#ident.list))
                        } else {
                            value(p, namers.contains(&&p.ident))
                        };
                        p.field.as_ref().map(|field| (field, value))
                    })
                    .map(|(field, value)| quote!((#field, #value)))
                    .chain(rest.fixed.iter().map(
                        |(field, fixed)| quote!((#field, Some(serde_json::Value::from(#fixed)))),
                    ))
                    .collect();
            // Only what differs from `Call::DEFAULT`.
            let mut parts = vec![quote!(method: #rest_method,)];
            match rest.http {
                Http::Post => {}
                Http::Get => parts.push(quote!(http: Http::Get,)),
                Http::Multipart => parts.push(quote!(http: Http::Multipart,)),
            }
            let given_name = method
                .params
                .iter()
                .find(|p| p.part == Some(Part::Filename) && rest.upload.is_none())
                .map(|p| {
                    let ident: syn::Ident = parse(&p.ident);
                    if p.required {
                        quote!(Some(&*Into::<String>::into(#ident)))
                    } else {
                        quote!(#ident)
                    }
                })
                .unwrap_or_else(|| quote!(None));
            let files: Vec<TokenStream> = method
                .params
                .iter()
                .filter(|p| p.wire == Wire::FilePart)
                .map(|p| {
                    let ident: syn::Ident = parse(&p.ident);
                    let part = p.field.as_deref().unwrap_or_default();
                    let fixed = match &p.file_name {
                        Some(name) => quote!(Some(#name)),
                        None => quote!(None),
                    };
                    quote!((#part.into(), encode::part_file(#ident, #fixed, #given_name)))
                })
                .collect();
            match (files.is_empty(), media.as_slice()) {
                (true, []) => {}
                (false, []) => parts.push(quote!(files: vec![#(#files),*],)),
                (_, media) => parts.push(quote! {
                    files: vec![#(#files),*]
                        .into_iter()
                        #(.chain(#media.parts))*
                        .collect(),
                }),
            }
            if rest.safe_to_repeat {
                parts.push(quote!(safe_to_repeat: true,));
            }
            if !fields.is_empty() {
                parts.push(quote!(fields: vec![#(#fields),*],));
            }
            if let Some(p) = method.params.iter().find(|p| p.merge) {
                let merge = value(p, false);
                parts.push(quote!(merge: #merge,));
            }
            let unless: Vec<TokenStream> = method
                .params
                .iter()
                .filter_map(|p| Some((p.field.as_ref()?, p.unless.as_ref()?)))
                .map(|(field, other)| quote!((#field, #other)))
                .collect();
            if !unless.is_empty() {
                parts.push(quote!(unless: &[#(#unless),*],));
            }
            let secrets: Vec<&String> = method
                .params
                .iter()
                .filter(|p| p.secret)
                .filter_map(|p| p.field.as_ref())
                .collect();
            if !secrets.is_empty() {
                parts.push(quote!(secret_fields: &[#(#secrets),*],));
            }
            let shapes: Vec<TokenStream> = method
                .params
                .iter()
                .filter_map(|p| Some((p, p.field.as_ref()?)))
                .flat_map(|(p, field)| {
                    let split = p.split.as_ref().map(
                        |(on, then)| quote!(Shape::Split { field: #field, on: #on, then: #then }),
                    );
                    let markup = match &p.prepare {
                        Some((Hook::Markup, by)) => {
                            Some(quote!(Shape::Markup { field: #field, by: #by }))
                        }
                        _ => None,
                    };
                    split.into_iter().chain(markup)
                })
                // A caption goes into a media group once its text is prepared: last.
                .chain(
                    method
                        .params
                        .iter()
                        .filter_map(|p| match (&p.prepare, &p.field) {
                            (Some((Hook::MediaGroup, by)), Some(field)) => {
                                Some(quote!(Shape::Caption { field: #field, from: #by }))
                            }
                            _ => None,
                        }),
                )
                .collect();
            if !shapes.is_empty() {
                parts.push(quote!(shapes: &[#(#shapes),*],));
            }
            if let Some((field, other)) = &rest.or_method {
                parts.push(quote!(or_method: Some((#field, #other)),));
            }
            if let Some((path, repeats)) = &rest.download {
                parts.push(quote! {
                    download: Some(oint_runtime::Download { path: #path, repeats: #repeats }),
                });
            }
            if let Some(server) = rest
                .server
                .as_ref()
                .and_then(|name| library.servers.iter().find(|s| s.name == *name))
            {
                let server = format_ident!("{}", server.const_name);
                parts.push(quote!(server: Some(&#server),));
            }
            if let Some(upload) = &rest.upload {
                let url_key = &upload.url_key;
                let field_key = &upload.field_key;
                let part = |role: Part| {
                    method
                        .params
                        .iter()
                        .find(|p| p.part == Some(role))
                        .map(|p| (parse::<syn::Ident>(&p.ident), p.required))
                };
                let file = match part(Part::File) {
                    Some((ident, _)) => quote!(#ident.into()),
                    None => quote!(Binary::from(Vec::new())),
                };
                let file_name = match part(Part::Filename) {
                    Some((ident, true)) => quote!(Some(#ident.into())),
                    Some((ident, false)) => quote!(#ident.map(str::to_owned)),
                    None => quote!(None),
                };
                parts.push(quote! {
                    upload: Some(Upload {
                        url_key: #url_key,
                        field_key: #field_key,
                        file: #file,
                        name: #file_name,
                    }),
                });
            }
            // A value refused before sending (a check with `?`) makes the call a `Result`.
            let fallible = method.params.iter().any(|p| p.field.is_some() || p.merge)
                && method
                    .params
                    .iter()
                    .any(|p| !p.keys.is_empty() || p.not_empty.is_some());
            if let Some(list) = &rest.list {
                let opt = |v: &Option<String>| match v {
                    Some(v) => quote!(Some(#v)),
                    None => quote!(None),
                };
                let (items, by, filter, order, select) = (
                    opt(&list.items),
                    opt(&list.by),
                    opt(&list.filter),
                    opt(&list.order),
                    opt(&list.select),
                );
                let (start, id) = (&list.start, &list.id);
                parts.push(quote! {
                    list: Some(&List {
                        items: #items,
                        start: #start,
                        by: #by,
                        id: #id,
                        filter: #filter,
                        order: #order,
                        select: #select,
                    }),
                });
            }
            let call = if fallible {
                quote! {
                    let call = (move || -> Result<Call, Error> {
                        Ok(Call {
                            #(#parts)*
                            ..Call::DEFAULT
                        })
                    })();
                }
            } else {
                quote! {
                    let call = Ok(Call {
                        #(#parts)*
                        ..Call::DEFAULT
                    });
                }
            };
            let (returns, finish) = match (&rest.keys_of, method.returns.result_type) {
                _ if method.returns.file => (quote!(Vec<u8>), quote!(Answer::into_file)),
                (None, _) if rest.map_of.is_some() => {
                    let (key, value) = rest.map_of.as_ref().map(|(k, v)| (k, v)).unzip();
                    (
                        quote!(serde_json::Value),
                        quote!(|answer: Answer| Ok(answer.map_of(#key, #value))),
                    )
                }
                (Some(keys_of), _) => {
                    let where_ = &keys_of.where_;
                    let value = &keys_of.value;
                    let clear = match method
                        .params
                        .iter()
                        .find(|p| Some(&p.ident) == keys_of.clear.as_ref())
                    {
                        Some(p) => {
                            let ident: syn::Ident = parse(&p.ident);
                            if p.required {
                                quote!(#ident)
                            } else {
                                let default: syn::Expr =
                                    parse(p.default.as_deref().unwrap_or("false"));
                                quote!(#ident.unwrap_or(#default))
                            }
                        }
                        None => quote!(false),
                    };
                    (
                        quote!(serde_json::Value),
                        quote! {{
                            let clear = #clear;
                            move |answer: Answer| Ok(answer.keys_where(#where_, #value, clear))
                        }},
                    )
                }
                (None, Some(ty)) => {
                    let ty: syn::Type = parse(ty);
                    (quote!(Answer<#ty>), quote!(Answer::typed))
                }
                (None, None) => (quote!(Answer), quote!(Ok)),
            };
            quote! {
                #(#docs)*
                #deprecated
                pub fn #name(&self, #(#args),*) -> Pending<'_, #returns> {
                    #(#prelude)*
                    #call
                    self.pending(call, #finish)
                }
            }
        }
        Action::Template(template) => {
            let template_json = &template.value;
            let clear_param = method
                .params
                .iter()
                .find(|p| Some(&p.ident) == template.clear.as_ref());
            let clear = match clear_param {
                Some(p) if p.required => {
                    let ident: syn::Ident = parse(&p.ident);
                    quote!(#ident)
                }
                Some(p) => {
                    let ident: syn::Ident = parse(&p.ident);
                    let default: syn::Expr = parse(p.default.as_deref().unwrap_or("false"));
                    quote!(#ident.unwrap_or(#default))
                }
                None => quote!(false),
            };
            // Parameters that change nothing are still taken, and dropped.
            let ignored = method
                .params
                .iter()
                .filter(|p| p.ignored.is_some())
                .map(|p| {
                    let ident: syn::Ident = parse(&p.ident);
                    quote!(let _ = #ident;)
                });
            let values = method
                .params
                .iter()
                .filter(|p| Some(&p.ident) != template.clear.as_ref() && p.ignored.is_none())
                .map(|p| {
                    let placeholder = format!("{{{}}}", p.name);
                    let value = value(p, false);
                    quote!((#placeholder, #value))
                });
            if let Some(hook) = template.hook {
                // The hook reads the parameters in their order.
                let values = method.params.iter().map(|p| value(p, false));
                let hook = match hook {
                    crate::spec::TemplateHook::ButtonKeyboard => quote!(button_keyboard),
                    crate::spec::TemplateHook::InitData => quote!(init_data),
                };
                return quote! {
                    #(#docs)*
                    #deprecated
                    pub fn #name(#(#args),*) -> serde_json::Value {
                        template::#hook(&[#(#values),*])
                    }
                };
            }
            quote! {
                #(#docs)*
                #deprecated
                pub fn #name(#(#args),*) -> serde_json::Value {
                    #(#ignored)*
                    template::fill(#template_json, &[#(#values),*], #clear)
                }
            }
        }
    }
}

fn method_info(method: &Method) -> Option<String> {
    let rest = method.rest()?;
    let literal = |text: &str| proc_macro2::Literal::string(text).to_string();
    let fields: Vec<String> = method
        .params
        .iter()
        .filter(|p| p.required)
        .filter_map(|p| p.field.as_deref())
        .map(literal)
        .collect();
    let http = match rest.http {
        Http::Get => "GET",
        Http::Post => "POST",
        Http::Multipart => "multipart",
    };
    Some(format!(
        "    MethodInfo {{\n        name: {},\n        rest_method: {},\n        http: {},\n        \
         fields: &[{}],\n        safe_to_repeat: {},\n        example_answer: {},\n    }},\n",
        literal(&method.name),
        literal(&rest.method),
        literal(http),
        fields.join(", "),
        rest.safe_to_repeat,
        literal(&method.example.answer),
    ))
}

/// A closed set of values as a Rust enum, sent as its text.
fn enumeration(choice: &Choice) -> TokenStream {
    let name = format_ident!("{}", choice.enum_name);
    let doc = format!(
        " {}: one of a closed set of values.",
        prose(&choice.description)
    );
    let variants: Vec<syn::Ident> = choice.values.iter().map(|(_, v)| parse(v)).collect();
    let texts: Vec<&str> = choice.values.iter().map(|(t, _)| t.as_str()).collect();
    let variant_docs = texts.iter().map(|t| format!(" `{t}`"));
    let expected = format!("one of {}", texts.join(", "));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#[doc = #variant_docs] #variants,)*
        }

        impl #name {
            /// Every value, in the spec's order.
            pub const ALL: &[#name] = &[#(#name::#variants),*];

            /// The value as Bitrix24 reads it.
            pub fn as_str(self) -> &'static str {
                match self {
                    #(#name::#variants => #texts,)*
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                match text {
                    #(#texts => Ok(#name::#variants),)*
                    _ => Err(format!("`{text}` is not {}", #expected)),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<#name> for String {
            fn from(value: #name) -> String {
                value.as_str().to_owned()
            }
        }
    }
}

/// The spec's prose as rustdoc markdown: `<` and `>` outside code are HTML entities, so that
/// `U<user ID>` is text and not a tag, and every code block is a `text` block, so that rustdoc
/// shows it and never compiles or runs it as a doctest: a fenced block keeps its lines under a
/// `text` fence, an indented block (four spaces after a blank line) is fenced as `text`.
fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // The closing fence of the open fenced block: its character and length.
    let mut fence: Option<(char, usize)> = None;
    let mut indented = false;
    let mut after_blank = true;
    let mut in_code = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some((mark, length)) = fence {
            let run = trimmed.chars().take_while(|&c| c == mark).count();
            if indent < 4 && run >= length && trimmed[run..].trim().is_empty() {
                fence = None;
            }
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let is_indented_code = !trimmed.is_empty()
            && (line.starts_with("    ") || line.starts_with('\t'))
            && (indented || after_blank);
        if indented && !is_indented_code && !trimmed.is_empty() {
            out.push_str("```\n");
            indented = false;
        }
        if is_indented_code {
            if !indented {
                out.push_str("```text\n");
                indented = true;
            }
            out.push_str(line);
            out.push('\n');
            continue;
        }
        after_blank = trimmed.is_empty();
        if indent < 4 {
            for mark in ['`', '~'] {
                let run = trimmed.chars().take_while(|&c| c == mark).count();
                if run >= 3 {
                    fence = Some((mark, run));
                    in_code = false;
                    out.push_str(&line[..indent + run]);
                    out.push_str("text\n");
                    break;
                }
            }
            if fence.is_some() {
                continue;
            }
        }
        for c in line.chars() {
            match c {
                '`' => {
                    in_code = !in_code;
                    out.push(c);
                }
                '<' if !in_code => out.push_str("&lt;"),
                '>' if !in_code => out.push_str("&gt;"),
                _ => out.push(c),
            }
        }
        out.push('\n');
    }
    if indented {
        out.push_str("```\n");
    }
    if fence.is_some() {
        // An unclosed fence runs to the end of the comment; close it where the prose ends.
        let (mark, length) = fence.unwrap_or(('`', 3));
        out.push_str(&mark.to_string().repeat(length));
        out.push('\n');
    }
    out.truncate(out.trim_end_matches('\n').len());
    out
}

/// The rustdoc of a generated function: the description, the REST method, the arguments, an
/// example.
fn doc_lines(library: &Library, method: &Method) -> Vec<String> {
    let mut lines: Vec<String> = prose(&method.description)
        .lines()
        .map(|line| format!(" {line}"))
        .collect();
    lines.push(String::new());
    match &method.action {
        Action::Rest(rest) => lines.push(format!(
            " Calls [`{}`]({}); on the command line: `oint {} {}`.",
            rest.method, rest.docs_url, library.command, method.name
        )),
        Action::Template(_) if !method.cli => lines
            .push(" Makes no call: it builds a structure. Not a command of the CLI.".to_owned()),
        Action::Template(_) => lines.push(format!(
            " Makes no call: it fills in a structure. On the command line: `oint {} {}`.",
            library.command, method.name
        )),
    }
    if !method.params.is_empty() {
        lines.push(String::new());
        lines.push(" # Arguments".to_owned());
        lines.push(String::new());
        for p in &method.params {
            let optional = match (&p.default_shown, &p.default, p.required) {
                (_, _, true) => String::new(),
                (Some(default), Some(_), false) => {
                    format!(" Optional: `None` sends `{default}`.")
                }
                _ => " Optional: `None` leaves it out.".to_owned(),
            };
            let optional = match &p.ignored {
                Some(why) => format!(
                    "{optional} Changes nothing: {}",
                    prose(why.trim_end_matches('.'))
                ),
                None => optional,
            };
            let option = if p.flag.is_empty() {
                String::new()
            } else {
                format!(", `--{}`", p.flag)
            };
            lines.push(format!(
                " * `{}` ({}{option}): {}.{optional}",
                p.ident.trim_start_matches("r#"),
                p.docs_type,
                prose(p.description.trim_end_matches('.'))
            ));
        }
    }
    if let Some(notes) = &method.notes {
        lines.push(String::new());
        lines.push(" # Notes".to_owned());
        lines.push(String::new());
        lines.extend(prose(notes).lines().map(|line| format!(" {line}")));
    }
    lines.push(String::new());
    lines.push(format!(" Returns {}.", prose(&method.returns.description)));
    lines.push(String::new());
    lines.push(" # Example".to_owned());
    lines.push(String::new());
    lines.push(" ```no_run".to_owned());
    let args = method.example.rust_args();
    match &method.action {
        Action::Rest(rest) => {
            lines.push(format!(
                " # async fn example() -> Result<(), {CRATE}::{}::Error> {{",
                library.command
            ));
            lines.push(if rest.server.is_some() {
                format!(
                    " let client = {CRATE}::{}::Client::without_portal()?;",
                    library.command
                )
            } else {
                let mode = &library.modes[0];
                format!(
                    " let client = {CRATE}::{}::Client::{}({})?;",
                    library.command,
                    mode.name,
                    mode.example_args()
                )
            });
            lines.push(format!(
                " let answer = client.{}({}).await?;",
                method.fn_name, args
            ));
            lines.push(if method.returns.file {
                " println!(\"{} bytes\", answer.len());".to_owned()
            } else if method.returns.builds_structure {
                " println!(\"{answer}\");".to_owned()
            } else {
                " println!(\"{:?}\", answer.result);".to_owned()
            });
            lines.push(" # Ok(())".to_owned());
            lines.push(" # }".to_owned());
            lines.push(" ```".to_owned());
            lines.push(String::new());
            lines.push(if rest.safe_to_repeat {
                " Safe to repeat: retried after a timeout, a lost connection or a 5xx answer."
                    .to_owned()
            } else {
                " Not retried after a timeout, a lost connection or a 5xx answer: the call may have taken effect.".to_owned()
            });
        }
        Action::Template(_) => {
            lines.push(format!(
                " # fn example() -> Result<(), {CRATE}::{}::Error> {{",
                library.command
            ));
            lines.push(format!(
                " let structure = {CRATE}::{}::Client::{}({});",
                library.command, method.fn_name, args
            ));
            lines.push(" println!(\"{structure}\");".to_owned());
            lines.push(" # Ok(())".to_owned());
            lines.push(" # }".to_owned());
            lines.push(" ```".to_owned());
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::prose;

    #[test]
    fn prose_escapes_angle_brackets_outside_code() {
        assert_eq!(
            prose("Send `U<ID>` to U<ID>"),
            "Send `U<ID>` to U&lt;ID&gt;"
        );
    }

    /// A code block in a description is shown, never compiled or run as a doctest.
    #[test]
    fn prose_code_blocks_are_text() {
        assert_eq!(
            prose("Call it:\n\n```rust\npanic!(\"<no>\");\n```\nDone."),
            "Call it:\n\n```text\npanic!(\"<no>\");\n```\nDone."
        );
        assert_eq!(prose("~~~~\nx < y\n~~~~"), "~~~~text\nx < y\n~~~~");
        assert_eq!(
            prose("A:\n\n    let x = 1;\nB"),
            "A:\n\n```text\n    let x = 1;\n```\nB"
        );
        assert_eq!(prose("```\nopen"), "```text\nopen\n```");
        // Four spaces inside a paragraph continue it; they start no block.
        assert_eq!(prose("A\n    b"), "A\n    b");
    }
}
