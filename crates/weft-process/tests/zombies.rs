//! 200 concurrent children, all reaped, and no zombie left: in a process of its
//! own, so that no other test's children show up in the /proc scan.

mod common;

use common::{Watcher, run, zombie_children};
use weft_process::Command;

/// The number of open file descriptors of this process.
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[test]
fn two_hundred_concurrent_children_are_all_reaped() {
    // One child first, so the reactor's own descriptors exist before counting.
    run(async { Command::new("true").status().await }).unwrap();
    let fds = open_fds();
    let ex = weft_executor::Executor::new(2).unwrap();
    let results = ex.block_on(async {
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                weft_executor::spawn(async move {
                    let mut child = Command::new("sh")
                        .args(["-c", &format!("exit {}", i % 7)])
                        .spawn()?;
                    let pid = child.id();
                    let status = child.wait().await?;
                    std::io::Result::Ok((pid, status.code()))
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap().unwrap());
        }
        out
    });
    assert_eq!(results.len(), 200);
    for (i, (_, code)) in results.iter().enumerate() {
        assert_eq!(*code, Some((i % 7) as i32));
    }

    // And 50 more whose handles are dropped at once, without a wait: the reaper
    // reaps them when they exit (each seen through the test's own pidfd).
    run(async {
        let mut watchers = Vec::new();
        for _ in 0..50 {
            let child = Command::new("true").spawn()?;
            watchers.push(Watcher::new(child.id()));
        }
        for w in &watchers {
            w.reaped().await;
        }
        std::io::Result::Ok(())
    })
    .unwrap();

    assert_eq!(
        zombie_children(),
        Vec::<u32>::new(),
        "no zombie children left"
    );
    assert_eq!(open_fds(), fds, "no pidfd or pipe left open");
}
