//! The workspace's layering, checked from `cargo metadata`: a dependency arrow that
//! points the wrong way fails here, in CI, before anyone builds on it.
//!
//! - `weft-reactor`, `weft-executor`, `weft-sync` and `weft-macros` depend on no weft crate;
//! - `weft-util` only on `weft-reactor`;
//! - `weft-net` and `weft-process` only on `weft-reactor` and `weft-util`;
//! - the facade `weft` on any of them;
//! - tokio and smol are never a library crate's normal or build dependency.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

/// The weft crates each crate may depend on (normal and build dependencies).
fn allowed(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "weft-reactor" | "weft-executor" | "weft-sync" | "weft-macros" => &[],
        "weft-util" => &["weft-reactor"],
        "weft-net" | "weft-process" => &["weft-reactor", "weft-util"],
        "weft" => &[
            "weft-reactor",
            "weft-executor",
            "weft-sync",
            "weft-util",
            "weft-net",
            "weft-process",
            "weft-macros",
        ],
        _ => return None,
    })
}

/// Library crates' normal and build dependencies, by crate name.
fn library_deps() -> BTreeMap<String, Vec<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
    let mut deps = BTreeMap::new();
    for pkg in meta["packages"].as_array().expect("packages") {
        let manifest = pkg["manifest_path"].as_str().expect("manifest_path");
        if !manifest.contains("/crates/") {
            continue; // xtask, benches, tests: not libraries
        }
        let names = pkg["dependencies"]
            .as_array()
            .expect("dependencies")
            .iter()
            .filter(|d| d["kind"].is_null() || d["kind"] == "build")
            .map(|d| d["name"].as_str().expect("name").to_string())
            .collect();
        deps.insert(pkg["name"].as_str().expect("name").to_string(), names);
    }
    deps
}

#[test]
fn every_crate_under_crates_has_a_layer() {
    let deps = library_deps();
    assert_eq!(
        deps.len(),
        8,
        "the eight crates of DEVELOPERS.md: {:?}",
        deps.keys()
    );
    for name in deps.keys() {
        assert!(
            allowed(name).is_some(),
            "{name} is in crates/ but has no place in the layering"
        );
    }
}

#[test]
fn dependencies_point_down() {
    for (name, deps) in library_deps() {
        let allowed = allowed(&name).unwrap_or(&[]);
        for dep in deps.iter().filter(|d| d.starts_with("weft")) {
            assert!(
                allowed.contains(&dep.as_str()),
                "{name} must not depend on {dep}"
            );
        }
    }
}

#[test]
fn peers_are_never_library_dependencies() {
    for (name, deps) in library_deps() {
        for peer in ["tokio", "smol", "async-std", "anyhow", "thiserror"] {
            assert!(!deps.iter().any(|d| d == peer), "{name} depends on {peer}");
        }
    }
}
