//! The Rust client: one thin async method per API method, each a call of the runtime's shared
//! `Client::call` with the REST method and the encoded request fields.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{CRATE, format_rust, parse, rust_preamble};
use crate::model::{Library, Method};

/// The file included into the library's runtime module (`oint::<library>`).
pub fn client(library: &Library) -> String {
    let methods = library.methods().map(|m| method(library, m));
    let infos = library.methods().map(method_info);
    let tokens = quote! {
        impl Client {
            #(#methods)*
        }

        /// Every method of the spec, in group and position order: what tools (such as the
        /// emulator) need to know of each.
        pub const METHODS: &[MethodInfo] = &[#(#infos),*];
    };
    rust_preamble(library) + &format_rust(tokens)
}

fn method(library: &Library, method: &Method) -> TokenStream {
    let name: syn::Ident = parse(&method.fn_name);
    let rest_method = &method.rest_method;
    let docs = doc_lines(library, method)
        .into_iter()
        .map(|line| quote!(#[doc = #line]));
    let args = method.params.iter().map(|p| {
        let ident: syn::Ident = parse(&p.ident);
        let ty: syn::Type = parse(p.kind.rust_type());
        quote!(#ident: #ty)
    });
    let fields = method.params.iter().map(|p| {
        let ident: syn::Ident = parse(&p.ident);
        let field = &p.field;
        let encoder = format_ident!("{}", p.kind.encoder());
        quote!((#field, encode::#encoder(#ident)))
    });
    let safe_to_repeat = method.safe_to_repeat;
    quote! {
        #(#docs)*
        pub async fn #name(&self, #(#args),*) -> Result<Answer, Error> {
            self.call(Call {
                method: #rest_method,
                safe_to_repeat: #safe_to_repeat,
                fields: &[#(#fields),*],
            })
            .await
        }
    }
}

fn method_info(method: &Method) -> TokenStream {
    let name = &method.name;
    let rest_method = &method.rest_method;
    let fields = method.params.iter().map(|p| &p.field);
    let safe_to_repeat = method.safe_to_repeat;
    let example_answer = &method.example.result;
    quote! {
        MethodInfo {
            name: #name,
            rest_method: #rest_method,
            fields: &[#(#fields),*],
            safe_to_repeat: #safe_to_repeat,
            example_answer: #example_answer,
        }
    }
}

/// The rustdoc of a generated function: the description, the REST method, the arguments.
fn doc_lines(library: &Library, method: &Method) -> Vec<String> {
    let mut lines: Vec<String> = method
        .description
        .lines()
        .map(|line| format!(" {line}"))
        .collect();
    lines.push(String::new());
    lines.push(format!(
        " Calls [`{}`]({}); on the command line: `oint {} {}`.",
        method.rest_method, method.docs_url, library.command, method.name
    ));
    if !method.params.is_empty() {
        lines.push(String::new());
        lines.push(" # Arguments".to_owned());
        lines.push(String::new());
        for p in &method.params {
            lines.push(format!(
                " * `{}` ({}, `--{}`): {}",
                p.ident.trim_start_matches("r#"),
                p.kind.docs_type(),
                p.flag,
                p.description
            ));
        }
    }
    lines.push(String::new());
    lines.push(format!(" Returns {}.", method.returns.description));
    lines.push(String::new());
    lines.push(String::new());
    lines.push(" # Example".to_owned());
    lines.push(String::new());
    lines.push(" ```no_run".to_owned());
    lines.push(format!(
        " # async fn example() -> Result<(), {CRATE}::{}::Error> {{",
        library.command
    ));
    lines.push(format!(
        " let client = {CRATE}::{}::Client::webhook({:?})?;",
        library.command, library.example.webhook
    ));
    let args: Vec<&str> = method
        .example
        .args
        .iter()
        .map(|a| a.rust.as_str())
        .collect();
    lines.push(format!(
        " let answer = client.{}({}).await?;",
        method.fn_name,
        args.join(", ")
    ));
    lines.push(" println!(\"{}\", answer.result);".to_owned());
    lines.push(" # Ok(())".to_owned());
    lines.push(" # }".to_owned());
    lines.push(" ```".to_owned());
    lines.push(String::new());
    lines.push(if method.safe_to_repeat {
        " Safe to repeat: retried after a timeout, a lost connection or a 5xx answer.".to_owned()
    } else {
        " Not retried after a timeout, a lost connection or a 5xx answer: the call may have taken effect.".to_owned()
    });
    lines
}
