//! Doc-example scaffolding for the items that the stream macros (`stream_io!`,
//! `halves!`) define for both `TcpStream` and `UnixStream`.

/// A doctest: `$pair` (hidden lines that make two connected streams `a` and `b`)
/// then `$body`, inside `weft_reactor::block_on`.
macro_rules! example {
    ($pair:expr, $body:expr) => {
        concat!(
            "```\n",
            "# #[allow(unused_imports)]\n",
            "# use futures::{AsyncReadExt, AsyncWriteExt};\n",
            "# weft_reactor::block_on(async {\n",
            $pair,
            $body,
            "# std::io::Result::Ok(())\n",
            "# }).unwrap();\n",
            "```"
        )
    };
}
