//! The item under the attribute, parsed by hand: the small grammar
//!
//! ```text
//! attribute* visibility? `async` `fn` name `(` `)` (`->` type)? body
//! ```

use proc_macro::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};

use crate::error::{Error, Result};

/// An `async fn` with no parameters and no generics, in pieces.
pub(crate) struct AsyncFn {
    /// The outer attributes, `#` `[..]` pairs, as written.
    pub(crate) attrs: Vec<TokenTree>,
    /// `pub`, `pub(crate)`, ... or nothing.
    pub(crate) vis: Vec<TokenTree>,
    pub(crate) fn_token: Ident,
    pub(crate) name: Ident,
    /// `()`, kept for its span.
    pub(crate) params: Group,
    /// `-> Type`, or nothing.
    pub(crate) output: Vec<TokenTree>,
    pub(crate) body: Group,
}

/// Parses `item`; `attr` (`#[weft::main]`) names the attribute in messages.
pub(crate) fn parse(item: TokenStream, attr: &str) -> Result<AsyncFn> {
    let tokens: Vec<TokenTree> = item.into_iter().collect();
    let not_a_fn = |span| Error::new(span, format!("`{attr}` applies to an `async fn`"));
    let mut at = 0;

    let attrs_start = at;
    while is_punct(tokens.get(at), '#') && is_group(tokens.get(at + 1), Delimiter::Bracket) {
        at += 2;
    }
    let attrs = tokens[attrs_start..at].to_vec();

    let vis_start = at;
    if is_ident(tokens.get(at), "pub") {
        at += 1;
        if is_group(tokens.get(at), Delimiter::Parenthesis) {
            at += 1;
        }
    }
    let vis = tokens[vis_start..at].to_vec();

    let mut is_async = false;
    let fn_token = loop {
        let Some(TokenTree::Ident(word)) = tokens.get(at) else {
            let span = tokens.get(at).map_or_else(Span::call_site, TokenTree::span);
            return Err(not_a_fn(span));
        };
        at += 1;
        match word.to_string().as_str() {
            "async" => is_async = true,
            "fn" => break word.clone(),
            q @ ("const" | "unsafe" | "extern") => {
                return Err(Error::new(
                    word.span(),
                    format!("the function cannot be `{q}`"),
                ));
            }
            _ => return Err(not_a_fn(word.span())),
        }
    };
    if !is_async {
        return Err(Error::new(fn_token.span(), "the function must be `async`"));
    }

    let Some(TokenTree::Ident(name)) = tokens.get(at).cloned() else {
        return Err(not_a_fn(fn_token.span()));
    };
    at += 1;

    if is_punct(tokens.get(at), '<') {
        let end = tokens[at..]
            .iter()
            .position(|t| is_group(Some(t), Delimiter::Parenthesis))
            .map_or(at, |n| at + n - 1);
        return Err(Error::on_tokens(
            &tokens[at..=end],
            name.span(),
            "the function cannot be generic",
        ));
    }

    let Some(TokenTree::Group(params)) = tokens.get(at).cloned() else {
        return Err(not_a_fn(name.span()));
    };
    at += 1;
    if !params.stream().is_empty() {
        return Err(Error::new(
            params.span(),
            "the function must take no parameters",
        ));
    }

    let Some((TokenTree::Group(body), signature_rest)) = tokens[at..].split_last() else {
        return Err(Error::on_tokens(
            &tokens[at..],
            params.span(),
            "the function needs a body",
        ));
    };
    if body.delimiter() != Delimiter::Brace {
        return Err(Error::new(body.span(), "the function needs a body"));
    }
    if let Some(clause) = signature_rest.iter().find(|t| is_ident(Some(t), "where")) {
        return Err(Error::new(
            clause.span(),
            "the function cannot have a `where` clause",
        ));
    }
    match signature_rest {
        [] => {}
        [minus, gt, _, ..] if is_punct(Some(minus), '-') && is_punct(Some(gt), '>') => {}
        _ => {
            return Err(Error::on_tokens(
                signature_rest,
                params.span(),
                "expected `-> Type` or the function's body",
            ));
        }
    }

    Ok(AsyncFn {
        attrs,
        vis,
        fn_token,
        name,
        params,
        output: signature_rest.to_vec(),
        body: body.clone(),
    })
}

fn is_punct(token: Option<&TokenTree>, c: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn is_ident(token: Option<&TokenTree>, word: &str) -> bool {
    matches!(token, Some(TokenTree::Ident(i)) if i.to_string() == word)
}

fn is_group(token: Option<&TokenTree>, delimiter: Delimiter) -> bool {
    matches!(token, Some(TokenTree::Group(g)) if g.delimiter() == delimiter)
}
