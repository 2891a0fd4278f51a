//! The Rust client: one thin async method per API method, each a call of the runtime's shared
//! `Client::call` with the REST method and the encoded request fields; one plain function per
//! template method; an enum per closed set of values; and the `METHODS` table.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{CRATE, format_rust, parse, rust_preamble};
use crate::model::{Action, Choice, Http, Library, Method, Param, ParamKind};
use crate::spec::{Encoding, Part};

/// The file included into the library's runtime module (`oint::<library>`).
pub fn client(library: &Library) -> String {
    let methods = library.methods().map(|m| method(library, m));
    let infos = library.methods().filter_map(method_info);
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
    let tokens = quote! {
        #servers

        impl Client {
            #(#methods)*
        }

        /// Every REST method of the spec, in group and position order: what tools (such as the
        /// emulator) need to know of each.
        pub const METHODS: &[MethodInfo] = &[#(#infos),*];

        #(#enums)*
    };
    rust_preamble(library) + &format_rust(tokens)
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
    let deprecated = method
        .deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
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
            let prelude = namers.iter().map(|ident| {
                let ident: syn::Ident = parse(ident);
                quote!(let #ident: String = #ident.into();)
            });
            let fields: Vec<TokenStream> =
                method
                    .params
                    .iter()
                    .filter_map(|p| {
                        let value = value(p, namers.contains(&&p.ident));
                        p.field.as_ref().map(|field| (field, value))
                    })
                    .map(|(field, value)| quote!((#field, #value)))
                    .chain(rest.fixed.iter().map(
                        |(field, fixed)| quote!((#field, Some(serde_json::Value::from(#fixed)))),
                    ))
                    .collect();
            // Only what differs from `Call::DEFAULT`.
            let mut parts = vec![quote!(method: #rest_method,)];
            if rest.http == Http::Get {
                parts.push(quote!(http: Http::Get,));
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

fn method_info(method: &Method) -> Option<TokenStream> {
    let rest = method.rest()?;
    let name = &method.name;
    let rest_method = &rest.method;
    let fields = method
        .params
        .iter()
        .filter(|p| p.required)
        .filter_map(|p| p.field.as_ref());
    let safe_to_repeat = rest.safe_to_repeat;
    let example_answer = &method.example.answer;
    let http = match rest.http {
        Http::Get => "GET",
        Http::Post => "POST",
    };
    Some(quote! {
        MethodInfo {
            name: #name,
            rest_method: #rest_method,
            http: #http,
            fields: &[#(#fields),*],
            safe_to_repeat: #safe_to_repeat,
            example_answer: #example_answer,
        }
    })
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
            lines.push(format!(
                " * `{}` ({}, `--{}`): {}.{optional}",
                p.ident.trim_start_matches("r#"),
                p.docs_type,
                p.flag,
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
                format!(
                    " let client = {CRATE}::{}::Client::webhook({:?})?;",
                    library.command, library.example.webhook
                )
            });
            lines.push(format!(
                " let answer = client.{}({}).await?;",
                method.fn_name, args
            ));
            lines.push(if rest.keys_of.is_some() {
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
