//! Compile errors, spanned on the offending tokens.

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// A misuse of an attribute: a message and the tokens it points at.
pub(crate) struct Error {
    start: Span,
    end: Span,
    message: String,
}

pub(crate) type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error on one token.
    pub(crate) fn new(span: Span, message: impl Into<String>) -> Error {
        Error::spanning(span, span, message)
    }

    /// An error on the tokens from `start` to `end`, both included.
    pub(crate) fn spanning(start: Span, end: Span, message: impl Into<String>) -> Error {
        Error {
            start,
            end,
            message: message.into(),
        }
    }

    /// An error on a run of tokens; on `fallback` when the run is empty.
    pub(crate) fn on_tokens(
        tokens: &[TokenTree],
        fallback: Span,
        message: impl Into<String>,
    ) -> Error {
        match (tokens.first(), tokens.last()) {
            (Some(first), Some(last)) => Error::spanning(first.span(), last.span(), message),
            _ => Error::new(fallback, message),
        }
    }

    /// `::core::compile_error! { "message" }`. The path carries the start span and the
    /// braces the end span, so rustc underlines everything in between (as `syn` does).
    pub(crate) fn into_compile_error(self) -> TokenStream {
        let joint = |c| TokenTree::Punct(with_span(Punct::new(c, Spacing::Joint), self.start));
        let alone = |c| TokenTree::Punct(with_span(Punct::new(c, Spacing::Alone), self.start));
        let mut message = Literal::string(&self.message);
        message.set_span(self.end);
        let mut args = Group::new(Delimiter::Brace, TokenTree::Literal(message).into());
        args.set_span(self.end);
        TokenStream::from_iter([
            joint(':'),
            alone(':'),
            TokenTree::Ident(Ident::new("core", self.start)),
            joint(':'),
            alone(':'),
            TokenTree::Ident(Ident::new("compile_error", self.start)),
            alone('!'),
            TokenTree::Group(args),
        ])
    }
}

fn with_span(mut punct: Punct, span: Span) -> Punct {
    punct.set_span(span);
    punct
}
