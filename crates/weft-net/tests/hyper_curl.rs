//! hyper 1.x on weft-net, checked by the real `curl`: a server on 127.0.0.1:0 serves
//! HTTP/1.1 through `HyperIo` and `HyperTimer`, and `/usr/bin/curl` (run from a
//! blocking thread) fetches from it. Skipped, with a note, when curl is missing.
#![cfg(feature = "hyper")]

use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::process::{Command, Output};
use std::time::Duration;

use hyper::body::{Body, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use weft_net::TcpListener;
use weft_net::hyper::{HyperIo, HyperTimer};

const CURL: &str = "/usr/bin/curl";

fn curl_missing() -> bool {
    if Path::new(CURL).exists() {
        return false;
    }
    eprintln!("note: {CURL} is missing; skipping the curl test");
    true
}

/// Reads a request body to the end.
async fn collect(mut body: Incoming) -> Result<Vec<u8>, hyper::Error> {
    let mut out = Vec::new();
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        if let Ok(data) = frame?.into_data() {
            out.extend_from_slice(&data);
        }
    }
    Ok(out)
}

/// `GET /hello` says hello, `POST /echo` sends the body back reversed, anything else
/// is a 404.
async fn service(req: Request<Incoming>) -> Result<Response<String>, hyper::Error> {
    let response = match (req.method(), req.uri().path()) {
        (&Method::GET, "/hello") => Response::new("hello from weft\n".to_string()),
        (&Method::POST, "/echo") => {
            let mut body = collect(req.into_body()).await?;
            body.reverse();
            Response::new(String::from_utf8_lossy(&body).into_owned())
        }
        _ => {
            let mut response = Response::new("not found\n".to_string());
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
        }
    };
    Ok(response)
}

/// Serves connections from `listener` until the future is dropped, each through
/// `spawn`.
async fn serve(listener: TcpListener, spawn: impl Fn(Pin<Box<dyn Future<Output = ()> + Send>>)) {
    loop {
        let (tcp, _) = listener.accept().await.expect("accept");
        spawn(Box::pin(async move {
            let conn = http1::Builder::new()
                .timer(HyperTimer)
                .header_read_timeout(Duration::from_secs(30))
                .serve_connection(HyperIo::new(tcp), service_fn(service));
            let _ = conn.await;
        }));
    }
}

/// Runs curl with `args` against `url`, bounded to 60 seconds; returns its output
/// with the status code on the last line.
fn curl(url: String, args: &[&str]) -> io::Result<Output> {
    Command::new(CURL)
        .args(["--silent", "--show-error", "--max-time", "60"])
        .args(["--write-out", "\n%{http_code}"])
        .args(args)
        .arg(url)
        .output()
}

/// Splits curl's output into body and status code, asserting it succeeded.
fn body_and_status(out: io::Result<Output>) -> (String, String) {
    let out = out.expect("curl runs");
    assert!(
        out.status.success(),
        "curl failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let (body, status) = text.rsplit_once('\n').expect("status line");
    (body.to_string(), status.to_string())
}

/// The three requests, each a separate curl run.
async fn check_with_curl(addr: SocketAddr) {
    let base = format!("http://{addr}");
    let (body, status) = body_and_status(
        weft_util::to_thread({
            let url = format!("{base}/hello");
            move || curl(url, &[])
        })
        .await
        .expect("blocking pool"),
    );
    assert_eq!(status, "200");
    assert_eq!(body, "hello from weft\n");

    let (body, status) = body_and_status(
        weft_util::to_thread({
            let url = format!("{base}/echo");
            move || curl(url, &["--data-binary", "abcdef"])
        })
        .await
        .expect("blocking pool"),
    );
    assert_eq!(status, "200");
    assert_eq!(body, "fedcba");

    let (body, status) = body_and_status(
        weft_util::to_thread({
            let url = format!("{base}/missing");
            move || curl(url, &[])
        })
        .await
        .expect("blocking pool"),
    );
    assert_eq!(status, "404");
    assert_eq!(body, "not found\n");
}

#[test]
fn curl_gets_hello_from_weft_executor() {
    if curl_missing() {
        return;
    }
    let ex = weft_executor::Executor::new(2).expect("executor");
    let handle = ex.handle();
    ex.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local_addr");
        let spawn = move |f: Pin<Box<dyn Future<Output = ()> + Send>>| handle.spawn(f).detach();
        let server = weft_executor::spawn(serve(listener, spawn));
        check_with_curl(addr).await;
        server.cancel();
        assert!(server.await.unwrap_err().is_cancelled());
    });
}

#[test]
fn curl_gets_hello_from_tokio() {
    if curl_missing() {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local_addr");
        let spawn = |f: Pin<Box<dyn Future<Output = ()> + Send>>| {
            tokio::spawn(f);
        };
        let server = tokio::spawn(serve(listener, spawn));
        check_with_curl(addr).await;
        server.abort();
    });
}

#[test]
fn hyper_client_and_server_on_weft_streams() {
    // No curl needed: hyper's own client over `HyperIo`, proving the adapter both ways.
    weft_reactor::block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local_addr");
        let client = weft_net::TcpStream::connect(addr).await.expect("connect");
        let (tcp, _) = listener.accept().await.expect("accept");
        let conn = http1::Builder::new()
            .timer(HyperTimer)
            .serve_connection(HyperIo::new(tcp), service_fn(service));
        let (mut sender, client_conn) =
            hyper::client::conn::http1::handshake::<_, String>(HyperIo::new(client))
                .await
                .expect("handshake");
        let request = async move {
            let req = Request::post("/echo")
                .header("host", "localhost")
                .body("0123456789".repeat(10_000))
                .expect("request");
            let res = sender.send_request(req).await.expect("response");
            assert_eq!(res.status(), StatusCode::OK);
            let body = collect(res.into_body()).await.expect("body");
            drop(sender); // lets both connections finish
            body
        };
        let (body, client_done, server_done) = futures::join!(request, client_conn, conn);
        let mut expected = "0123456789".repeat(10_000).into_bytes();
        expected.reverse();
        assert_eq!(body, expected);
        client_done.expect("client connection");
        server_done.expect("server connection");
    });
}
