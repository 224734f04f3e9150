//! The attributes' options: `worker_threads = N` or `single_thread`.

use proc_macro::{Delimiter, Ident, Span, TokenStream, TokenTree};

use crate::error::{Error, Result};

/// The runtime an attribute asked for; `None` from [`parse`] when it asked nothing.
pub(crate) enum Flavor {
    /// `single_thread`: every task runs on the thread inside `block_on`.
    SingleThread,
    /// `worker_threads = n`, `n > 0`; the span is the literal's.
    WorkerThreads(usize, Span),
}

const EXPECTED: &str = "expected `worker_threads = N` or `single_thread`";

/// Parses the tokens between the attribute's parentheses.
pub(crate) fn parse(args: TokenStream) -> Result<Option<Flavor>> {
    let mut tokens = args.into_iter().peekable();
    let mut flavor: Option<(Flavor, Ident)> = None;
    while let Some(token) = tokens.next() {
        let TokenTree::Ident(name) = token else {
            return Err(Error::new(token.span(), EXPECTED));
        };
        // The tokens after `=` (or after the name), up to the next comma.
        let mut rest = Vec::new();
        while let Some(token) = tokens.next_if(|t| !is_punct(t, ',')) {
            rest.push(token);
        }
        tokens.next(); // the comma, if any
        let option = match name.to_string().as_str() {
            "single_thread" if rest.is_empty() => Flavor::SingleThread,
            "single_thread" => {
                return Err(Error::on_tokens(
                    &rest,
                    name.span(),
                    "`single_thread` takes no value",
                ));
            }
            "worker_threads" => worker_threads(&name, &rest)?,
            other => {
                return Err(Error::new(
                    name.span(),
                    format!("unknown option `{other}`: {EXPECTED}"),
                ));
            }
        };
        if let Some((_, first)) = &flavor {
            let message = if first.to_string() == name.to_string() {
                format!("`{name}` is given twice")
            } else {
                "`worker_threads` and `single_thread` cannot be combined: \
                 a single-thread runtime has no worker threads"
                    .to_string()
            };
            return Err(Error::new(name.span(), message));
        }
        flavor = Some((option, name));
    }
    Ok(flavor.map(|(flavor, _)| flavor))
}

/// `rest` is `= N`, with `N` a positive integer literal (unsuffixed or `usize`).
fn worker_threads(name: &Ident, rest: &[TokenTree]) -> Result<Flavor> {
    let bad = || {
        Error::on_tokens(
            rest,
            name.span(),
            "`worker_threads` takes a positive integer literal, e.g. `worker_threads = 4`",
        )
    };
    let [eq, value] = rest else {
        return Err(bad());
    };
    if !is_punct(eq, '=') {
        return Err(bad());
    }
    let TokenTree::Literal(lit) = unwrap_invisible(value) else {
        return Err(bad());
    };
    let text = lit.to_string();
    let digits = text.strip_suffix("usize").unwrap_or(&text);
    if !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return Err(bad());
    }
    match digits.replace('_', "").parse::<usize>() {
        Ok(0) => Err(Error::new(
            lit.span(),
            "`worker_threads` must be at least 1 (or use `single_thread`)",
        )),
        Ok(n) => Ok(Flavor::WorkerThreads(n, lit.span())),
        Err(_) => Err(bad()),
    }
}

fn is_punct(token: &TokenTree, c: char) -> bool {
    matches!(token, TokenTree::Punct(p) if p.as_char() == c)
}

/// A `macro_rules!` fragment (`$n:literal`) arrives wrapped in an invisible group.
fn unwrap_invisible(token: &TokenTree) -> TokenTree {
    if let TokenTree::Group(g) = token
        && g.delimiter() == Delimiter::None
    {
        let mut inner = g.stream().into_iter();
        if let (Some(only), None) = (inner.next(), inner.next()) {
            return unwrap_invisible(&only);
        }
    }
    token.clone()
}
