//! A circuit breaker in front of the gateway: after a run of failures, new checkouts fail
//! fast (the buyer keeps the hold) until a cooldown passes; then one trial decides.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::clock::SharedClock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed { failures: u32 },
    Open { until: DateTime<Utc> },
}

/// Tracks gateway health from the outcomes of real calls.
pub struct CircuitBreaker {
    state: Mutex<State>,
    threshold: u32,
    cooldown: Duration,
    clock: SharedClock,
}

impl CircuitBreaker {
    /// Opens after `threshold` consecutive failures, for `cooldown`.
    pub fn new(threshold: u32, cooldown: Duration, clock: SharedClock) -> Self {
        Self {
            state: Mutex::new(State::Closed { failures: 0 }),
            threshold: threshold.max(1),
            cooldown,
            clock,
        }
    }

    /// Whether a new call may go to the gateway now. After the cooldown one trial passes;
    /// if the trial never reports back, another is allowed after the next cooldown.
    pub fn allow(&self) -> bool {
        let Ok(mut state) = self.state.lock() else {
            return true;
        };
        match *state {
            State::Closed { .. } => true,
            State::Open { until } if self.clock.now() >= until => {
                *state = State::Open {
                    until: self.clock.now() + self.cooldown,
                };
                true
            }
            State::Open { .. } => false,
        }
    }

    /// A call whose outcome is known (even a decline: the gateway answered).
    pub fn record_success(&self) {
        if let Ok(mut state) = self.state.lock() {
            *state = State::Closed { failures: 0 };
        }
    }

    /// A call that timed out or met a server error.
    pub fn record_failure(&self) {
        if let Ok(mut state) = self.state.lock() {
            *state = match *state {
                State::Closed { failures } if failures + 1 < self.threshold => State::Closed {
                    failures: failures + 1,
                },
                _ => State::Open {
                    until: self.clock.now() + self.cooldown,
                },
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::clock::OffsetClock;

    #[test]
    fn opens_after_the_threshold_and_closes_after_a_good_trial() {
        let clock = Arc::new(OffsetClock::default());
        let b = CircuitBreaker::new(3, Duration::seconds(30), clock.clone());
        for _ in 0..3 {
            assert!(b.allow());
            b.record_failure();
        }
        assert!(!b.allow());
        clock.advance(Duration::seconds(31));
        assert!(b.allow(), "one trial after the cooldown");
        assert!(!b.allow(), "only one");
        b.record_success();
        assert!(b.allow());
        b.record_failure();
        assert!(b.allow(), "a single failure does not open it again");
    }
}
