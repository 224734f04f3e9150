//! Shared by the `tls*` tests: certificates made in the test with rcgen, and the two
//! executors every test runs on.
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair};
use weft_net::tls::rustls::RootCertStore;
use weft_net::tls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use weft_net::tls::{TlsAcceptor, TlsConnector};

/// A deadline that only fails a hung test; no test waits for it to pass.
pub(crate) const HANG: Duration = Duration::from_secs(60);

/// A server identity and a client that trusts it.
pub(crate) struct Pki {
    pub(crate) acceptor: TlsAcceptor,
    pub(crate) connector: TlsConnector,
    pub(crate) cert: CertificateDer<'static>,
}

/// A self-signed certificate for `names`, issued in the name of `org` (so that two
/// identities made here never share a subject), with an acceptor presenting it and a
/// connector trusting it.
pub(crate) fn pki(org: &str, names: &[&str]) -> Pki {
    let key = KeyPair::generate().expect("key pair");
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .expect("certificate parameters");
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, org);
    dn.push(DnType::CommonName, format!("{org} test certificate"));
    params.distinguished_name = dn;
    let cert = params.self_signed(&key).expect("self-signed certificate");
    let cert = cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(key.serialize_der().into());
    let acceptor = TlsAcceptor::with_single_cert(vec![cert.clone()], key).expect("acceptor");
    let mut roots = RootCertStore::empty();
    roots.add(cert.clone()).expect("root certificate");
    Pki {
        acceptor,
        connector: TlsConnector::with_root_certificates(roots),
        cert,
    }
}

/// The usual identity: "localhost" and 127.0.0.1.
pub(crate) fn localhost() -> Pki {
    pki("weft", &["localhost", "127.0.0.1"])
}

/// Runs `f` on weft's executor (two workers), failing the test if it hangs.
pub(crate) fn on_weft<F>(f: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let ex = weft_executor::Executor::new(2).expect("executor");
    ex.block_on(async move {
        weft_util::timeout(HANG, weft_executor::spawn(f))
            .await
            .expect("test hung")
            .expect("test task")
    })
}

/// Runs `f` on tokio's multi-thread runtime (two workers), failing the test if it
/// hangs.
pub(crate) fn on_tokio<F>(f: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async move {
        tokio::time::timeout(HANG, tokio::spawn(f))
            .await
            .expect("test hung")
            .expect("test task")
    })
}
