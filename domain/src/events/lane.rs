//! The live lane: a thread of its own, with its own runtime, for the path from a commit to
//! the subscribers (the relay, the bus listener, the fan-out router) and the connections
//! that path uses. In an on-sale the main runtime has thousands of ready tasks (buyers'
//! requests, subscriber connections writing the last burst); a relay woken there waits
//! behind all of them before it reads the next change. On its own thread it is scheduled
//! by the operating system beside them instead.

use std::future::Future;
use std::io;

use tokio::runtime::{Builder, Handle};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A handle to the lane's runtime. The lane ends with the runtime that started it: its
/// tasks are then dropped and its connections closed (tests start many servers in one
/// process, each with a lane).
#[derive(Clone)]
pub struct LiveLane {
    handle: Handle,
}

impl LiveLane {
    /// Starts the lane's thread; must be called within a Tokio runtime.
    pub fn start() -> io::Result<Self> {
        let runtime = Builder::new_current_thread().enable_all().build()?;
        let handle = runtime.handle().clone();
        let (keep, ended) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("marquee-live".into())
            .spawn(move || {
                // Returns when `keep` is dropped; dropping the runtime then drops its tasks.
                let _ = runtime.block_on(ended);
            })?;
        tokio::spawn(async move {
            let _keep = keep;
            std::future::pending::<()>().await;
        });
        Ok(Self { handle })
    }

    /// Runs `task` on the lane.
    pub fn spawn<F>(&self, task: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn(task)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tasks_run_on_the_lane_thread() {
        let lane = LiveLane::start().unwrap();
        let name = lane
            .spawn(async { std::thread::current().name().map(str::to_owned) })
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("marquee-live"));
    }

    #[test]
    fn the_lane_ends_with_the_runtime_that_started_it() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let lane = LiveLane::start().unwrap();
            lane.spawn(async move {
                let _tx = tx;
                std::future::pending::<()>().await;
            });
        });
        drop(runtime);
        // The lane's task is dropped, and with it the sender.
        assert_eq!(
            rx.recv_timeout(std::time::Duration::from_secs(5)),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected)
        );
    }
}
