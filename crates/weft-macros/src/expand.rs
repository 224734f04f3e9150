//! The expansion: a sync fn that builds a `::weft::Runtime` and `block_on`s the body.

use proc_macro::{Delimiter, Group, Literal, Span, TokenStream, TokenTree};

use crate::error::{Error, Result};
use crate::item::{self, AsyncFn};
use crate::options::{self, Flavor};

/// Which attribute is expanding.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `#[weft::main]`: the builder's defaults (one worker per core).
    Main,
    /// `#[weft::test]`: adds `#[test]`; a single-thread runtime unless told otherwise.
    Test,
}

impl Kind {
    fn attr(self) -> &'static str {
        match self {
            Kind::Main => "#[weft::main]",
            Kind::Test => "#[weft::test]",
        }
    }
}

/// The attribute's output: the rewritten fn, or a `compile_error!`.
pub(crate) fn expand(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let parsed = options::parse(args)
        .and_then(|flavor| Ok((flavor, item::parse(item.clone(), kind.attr())?)))
        .and_then(|(flavor, f)| check_attrs(kind, &f).map(|()| (flavor, f)));
    match parsed {
        Ok((flavor, f)) => rewrite(kind, flavor, f),
        Err(e) => {
            let mut out = e.into_compile_error();
            if kind == Kind::Main && defines_main(item) {
                // Spares the user rustc's "`main` function not found" on top.
                out.extend(code("fn main() {}", Span::call_site()));
            }
            out
        }
    }
}

/// Whether `item` says `fn main`.
fn defines_main(item: TokenStream) -> bool {
    let tokens: Vec<TokenTree> = item.into_iter().collect();
    tokens.windows(2).any(|pair| {
        matches!(pair, [TokenTree::Ident(f), TokenTree::Ident(name)]
            if f.to_string() == "fn" && name.to_string() == "main")
    })
}

/// `#[weft::test]` adds `#[test]` itself; a second one would run the test twice.
fn check_attrs(kind: Kind, f: &AsyncFn) -> Result<()> {
    if kind != Kind::Test {
        return Ok(());
    }
    for pair in f.attrs.chunks(2) {
        if let [hash, TokenTree::Group(g)] = pair
            && g.stream().to_string() == "test"
        {
            return Err(Error::spanning(
                hash.span(),
                g.span(),
                "`#[weft::test]` adds `#[test]` itself; remove this one",
            ));
        }
    }
    Ok(())
}

/// ```text
/// #[::core::prelude::v1::test]   // #[weft::test] only
/// #attrs #vis fn #name() #output {
///     ::weft::Runtime::builder() #flavor .build()
///         .unwrap_or_else(|err| ::core::panic!("...: {err}"))
///         .block_on(async #body)
/// }
/// ```
///
/// The fn's return type, written by the user, fixes the `async` block's output, so
/// `?` in the body converts errors as it would in a sync fn. None of the expansion's
/// names is in scope in the body: `err` lives in a closure beside it.
fn rewrite(kind: Kind, flavor: Option<Flavor>, f: AsyncFn) -> TokenStream {
    // Mixed-site hygiene: `err` cannot clash with the user's names, while `::weft`
    // and `::core` resolve at the call site.
    let here = Span::mixed_site();
    let mut out = TokenStream::new();
    if kind == Kind::Test {
        out.extend(code("#[::core::prelude::v1::test]", f.fn_token.span()));
    }
    out.extend(f.attrs);
    out.extend(f.vis);
    out.extend([
        TokenTree::Ident(f.fn_token),
        TokenTree::Ident(f.name),
        TokenTree::Group(f.params),
    ]);
    out.extend(f.output);

    let body_span = f.body.span();
    let mut body = code("::weft::Runtime::builder()", here);
    match (flavor, kind) {
        (Some(Flavor::SingleThread), _) | (None, Kind::Test) => {
            body.extend(code(".single_thread()", here));
        }
        (Some(Flavor::WorkerThreads(n, span)), _) => {
            let mut n = Literal::usize_unsuffixed(n);
            n.set_span(span);
            body.extend(code(".worker_threads", here));
            body.extend([group(
                Delimiter::Parenthesis,
                TokenTree::Literal(n).into(),
                here,
            )]);
        }
        (None, Kind::Main) => {}
    }
    let panic = format!(
        ".build().unwrap_or_else(|err| ::core::panic!(\"{}: cannot start the runtime: {{err}}\"))",
        kind.attr()
    );
    body.extend(code(&panic, here));
    body.extend(code(".block_on", here));
    let mut future = code("async", here);
    future.extend([TokenTree::Group(f.body)]);
    body.extend([group(Delimiter::Parenthesis, future, here)]);
    out.extend([group(Delimiter::Brace, body, body_span)]);
    out
}

/// `src`'s tokens, every one of them (nested ones too) spanned at `span`.
fn code(src: &str, span: Span) -> TokenStream {
    let tokens: TokenStream = src.parse().expect("the expansion's own tokens parse");
    respan(tokens, span)
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(g) = &token {
                token = group(g.delimiter(), respan(g.stream(), span), span);
            } else {
                token.set_span(span);
            }
            token
        })
        .collect()
}

fn group(delimiter: Delimiter, stream: TokenStream, span: Span) -> TokenTree {
    let mut g = Group::new(delimiter, stream);
    g.set_span(span);
    TokenTree::Group(g)
}
