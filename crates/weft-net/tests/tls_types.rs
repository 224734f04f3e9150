//! `Send`, `Sync` and `Unpin` for every public type and future of the `tls` and
//! `hyper` features: a task holding one can move between worker threads.
#![cfg(any(feature = "tls", feature = "hyper"))]
#![allow(dead_code)]

fn send<T: Send>(_: &T) {}
fn sync<T: Sync>(_: &T) {}
fn unpin<T: Unpin>(_: &T) {}
fn all<T: Send + Sync + Unpin>() {}

#[cfg(feature = "tls")]
mod tls {
    use super::*;
    use weft_net::tcp::{OwnedReadHalf, OwnedWriteHalf};
    use weft_net::tls::*;
    use weft_net::{StreamReader, StreamWriter, TcpStream};

    type Upgraded = Joined<OwnedReadHalf, OwnedWriteHalf>;

    #[test]
    fn types_are_send_sync_unpin() {
        all::<TlsConnector>();
        all::<TlsAcceptor>();
        all::<TlsStream<TcpStream>>();
        all::<ReadHalf<TcpStream>>();
        all::<WriteHalf<TcpStream>>();
        all::<ReuniteError<TcpStream>>();
        all::<Joined<OwnedReadHalf, OwnedWriteHalf>>();
        all::<Connect<TcpStream>>();
        all::<Accept<TcpStream>>();
        all::<TlsStreamReader>();
        all::<TlsStreamWriter>();
        all::<TlsStreamReader<Upgraded>>();
        all::<TlsStreamWriter<Upgraded>>();
    }

    /// Never run: it only has to compile (each `send` is the assertion).
    async fn futures_are_send(
        connector: TlsConnector,
        acceptor: TlsAcceptor,
        reader: StreamReader,
        writer: StreamWriter,
    ) {
        let open = open_tls_connection("127.0.0.1:1", "localhost", &connector);
        send(&open);
        let upgrade = writer.start_tls(reader, "localhost", &connector);
        send(&upgrade);
        drop(upgrade);
        let (reader, writer) = open.await.unwrap();
        let (r, buffered) = reader.into_parts();
        let (w, _) = writer.into_parts().unwrap();
        let stream = r.reunite(w).unwrap();
        let (r, w) = stream.into_split();
        let accept = StreamWriter::new(w).accept_tls(StreamReader::new(r), &acceptor);
        send(&accept);
        drop(buffered);
    }
}

#[cfg(feature = "hyper")]
mod hyper {
    use super::*;
    use std::future::Future;
    use std::pin::Pin;
    use weft_net::TcpStream;
    use weft_net::hyper::{HyperExecutor, HyperIo, HyperTimer};

    type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

    #[test]
    fn types_are_send_sync_unpin() {
        all::<HyperIo<TcpStream>>();
        all::<HyperTimer>();
        let ex = HyperExecutor::new(|f: BoxFuture| drop(f));
        send(&ex);
        sync(&ex);
        unpin(&ex);
    }
}
