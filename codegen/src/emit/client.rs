//! The Rust client: one thin async method per API method, each a call of the runtime's shared
//! `Client::call` with the REST method and the encoded request fields; one plain function per
//! template method; an enum per closed set of values; and the `METHODS` table.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{CRATE, format_rust, parse, rust_preamble};
use crate::model::{Action, Choice, Library, Method, Param};

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
    let tokens = quote! {
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

/// The expression of a parameter's JSON value: `Option<Value>`.
fn value(param: &Param) -> TokenStream {
    let ident: syn::Ident = parse(&param.ident);
    let encoder = format_ident!("{}", param.encoder);
    match (&param.default, param.required) {
        (_, true) => quote!(Some(encode::#encoder(#ident))),
        (Some(default), false) => {
            let default: syn::Expr = parse(default);
            quote!(Some(encode::#encoder(#ident.unwrap_or(#default))))
        }
        (None, false) => quote!(#ident.map(encode::#encoder)),
    }
}

fn method(library: &Library, method: &Method) -> TokenStream {
    let name: syn::Ident = parse(&method.fn_name);
    let docs = doc_lines(library, method)
        .into_iter()
        .map(|line| quote!(#[doc = #line]));
    let args = method.params.iter().map(|p| {
        let ident: syn::Ident = parse(&p.ident);
        let ty: syn::Type = parse(&p.rust_type);
        quote!(#ident: #ty)
    });
    match &method.action {
        Action::Rest(rest) => {
            let rest_method = &rest.method;
            let safe_to_repeat = rest.safe_to_repeat;
            let fields =
                method
                    .params
                    .iter()
                    .filter_map(|p| p.field.as_ref().map(|field| (field, value(p))))
                    .map(|(field, value)| quote!((#field, #value)))
                    .chain(rest.fixed.iter().map(
                        |(field, fixed)| quote!((#field, Some(serde_json::Value::from(#fixed)))),
                    ));
            let merge = match method.params.iter().find(|p| p.field.is_none()) {
                Some(p) => value(p),
                None => quote!(None),
            };
            let (returns, typed) = match method.returns.result_type {
                Some(ty) => {
                    let ty: syn::Type = parse(ty);
                    (quote!(Result<Answer<#ty>, Error>), quote!(?.typed()))
                }
                None => (quote!(Result<Answer, Error>), quote!()),
            };
            quote! {
                #(#docs)*
                pub async fn #name(&self, #(#args),*) -> #returns {
                    self.call(Call {
                        method: #rest_method,
                        safe_to_repeat: #safe_to_repeat,
                        fields: &[#(#fields),*],
                        merge: #merge,
                    })
                    .await #typed
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
            let values = method
                .params
                .iter()
                .filter(|p| Some(&p.ident) != template.clear.as_ref())
                .map(|p| {
                    let placeholder = format!("{{{}}}", p.name);
                    let value = value(p);
                    quote!((#placeholder, #value))
                });
            quote! {
                #(#docs)*
                pub fn #name(#(#args),*) -> serde_json::Value {
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
    let example_answer = &method.example.result;
    Some(quote! {
        MethodInfo {
            name: #name,
            rest_method: #rest_method,
            fields: &[#(#fields),*],
            safe_to_repeat: #safe_to_repeat,
            example_answer: #example_answer,
        }
    })
}

/// A closed set of values as a Rust enum, sent as its text.
fn enumeration(choice: &Choice) -> TokenStream {
    let name = format_ident!("{}", choice.enum_name);
    let doc = format!(" {}: one of a closed set of values.", choice.description);
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

/// The rustdoc of a generated function: the description, the REST method, the arguments, an
/// example.
fn doc_lines(library: &Library, method: &Method) -> Vec<String> {
    let mut lines: Vec<String> = method
        .description
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
            let optional = match (&p.default_shown, p.required) {
                (_, true) => String::new(),
                (Some(default), false) if default != "empty" => {
                    format!(" Optional: `None` sends `{default}`.")
                }
                _ => " Optional: `None` leaves it out.".to_owned(),
            };
            lines.push(format!(
                " * `{}` ({}, `--{}`): {}.{optional}",
                p.ident.trim_start_matches("r#"),
                p.docs_type,
                p.flag,
                p.description.trim_end_matches('.')
            ));
        }
    }
    lines.push(String::new());
    lines.push(format!(" Returns {}.", method.returns.description));
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
            lines.push(format!(
                " let client = {CRATE}::{}::Client::webhook({:?})?;",
                library.command, library.example.webhook
            ));
            lines.push(format!(
                " let answer = client.{}({}).await?;",
                method.fn_name, args
            ));
            lines.push(" println!(\"{:?}\", answer.result);".to_owned());
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
