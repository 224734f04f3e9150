//! `Command`'s builder methods and `Child`'s pipes, beyond the doctests.

mod common;

use std::process::Stdio;

use common::run;
use futures::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use weft_process::{Command, create_subprocess_exec};

#[test]
fn output_leaves_the_command_as_it_was() {
    run(async {
        let mut cmd = Command::new("echo");
        cmd.arg("x");
        assert_eq!(cmd.output().await?.stdout, b"x\n");
        // spawn's defaults again: inherited streams, so no pipes on the child.
        let mut child = cmd.stdout(Stdio::null()).spawn()?;
        assert!(child.stdin.is_none() && child.stdout.is_none() && child.stderr.is_none());
        assert!(child.wait().await?.success());
        // A stream the user set is kept by `output`.
        let out = cmd.output().await?;
        assert!(out.stdout.is_empty(), "stdout went to /dev/null as set");
        std::io::Result::Ok(())
    })
    .unwrap();
}

#[test]
fn status_closes_the_pipes_it_does_not_serve() {
    let status = run(async {
        // `cat` ends only when its stdin closes.
        Command::new("cat")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .status()
            .await
    })
    .unwrap();
    assert!(status.success());
}

#[test]
fn process_group_makes_a_new_group() {
    run(async {
        let mut child = Command::new("sleep")
            .arg("1000")
            .process_group(0)
            .kill_on_drop(true)
            .spawn()?;
        let pid = child.id();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
        let rest = &stat[stat.rfind(')').unwrap() + 1..];
        let pgrp: u32 = rest.split_whitespace().nth(2).unwrap().parse().unwrap();
        assert_eq!(pgrp, pid, "the child leads a group of its own");
        child.kill()?;
        child.wait().await?;
        std::io::Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_pipe_feeds_another_child() {
    let out = run(async {
        let mut producer = Command::new("printf")
            .arg("b\\nc\\na\\n")
            .stdout(Stdio::piped())
            .spawn()?;
        let pipe = Stdio::try_from(producer.stdout.take().unwrap())?;
        let out = Command::new("sort").stdin(pipe).output().await?;
        assert!(producer.wait().await?.success());
        std::io::Result::Ok(out)
    })
    .unwrap();
    assert_eq!(out.stdout, b"a\nb\nc\n");
}

/// The pipes as plain async streams: a request-response conversation with a child,
/// line by line, which `communicate` cannot do.
#[test]
fn pipes_talk_line_by_line() {
    run(async {
        let mut child =
            create_subprocess_exec("sh", ["-c", "while read x; do echo \"<$x>\"; done"])?;
        let mut stdin = child.stdin.take().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        for word in ["one", "two", "three"] {
            stdin.write_all(format!("{word}\n").as_bytes()).await?;
            let line = futures::StreamExt::next(&mut lines).await.unwrap()?;
            assert_eq!(line, format!("<{word}>"));
        }
        drop(stdin);
        assert!(futures::StreamExt::next(&mut lines).await.is_none());
        assert_eq!(child.wait().await?.code(), Some(0));
        let mut rest = Vec::new();
        child.stderr.take().unwrap().read_to_end(&mut rest).await?;
        assert!(rest.is_empty());
        std::io::Result::Ok(())
    })
    .unwrap();
}

#[test]
fn communicate_with_input_but_no_stdin_pipe_is_refused() {
    let err = run(async {
        let mut child = Command::new("true").stdout(Stdio::piped()).spawn()?;
        let err = child.communicate(Some(b"lost")).await.unwrap_err();
        child.wait().await?;
        std::io::Result::Ok(err)
    })
    .unwrap();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
}

#[test]
fn communicate_ignores_a_child_that_stops_reading() {
    let out = run(async {
        let mut child = create_subprocess_exec("head", ["-c", "3"])?;
        child.communicate(Some(&vec![b'z'; 1 << 20])).await
    })
    .unwrap();
    assert_eq!(out.stdout, b"zzz");
    assert!(out.status.success());
}
