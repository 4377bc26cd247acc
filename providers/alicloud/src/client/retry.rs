//! [`RetryPolicy`]: how often and how long a failed call is tried again.

use std::time::Duration;

/// Exponential backoff with jitter, bounded by attempts and a deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The delay after the first failure; it doubles with every attempt.
    pub base_delay: Duration,
    /// No single delay is longer.
    pub max_delay: Duration,
    /// No retry starts after this much time since the first attempt.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 8,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            deadline: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// The delay after failed attempt `attempt` (from 1): `base * 2^(attempt-1)`, capped, then
    /// a random point in its upper half (so clients that failed together do not retry together).
    pub fn delay(&self, attempt: u32) -> Duration {
        let exponential = self.base_delay.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exponential.min(self.max_delay);
        let random = (uuid::Uuid::new_v4().as_u128() % 1_000) as u32;
        capped / 2 + (capped / 2) * random / 1_000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_within_their_jitter_and_stop_at_the_cap() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1_000),
            deadline: Duration::from_secs(10),
        };
        for (attempt, full) in [(1, 100), (2, 200), (3, 400), (4, 800), (5, 1_000), (9, 1_000)] {
            let delay = policy.delay(attempt).as_millis();
            assert!((full / 2..=full).contains(&delay), "attempt {attempt}: {delay} ms");
        }
    }
}
