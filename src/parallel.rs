//! Rendering independent ModelServices on several threads.
//!
//! Results come back in input order, so the output does not depend on
//! how many threads ran or which finished first.

use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Items a thread takes at a time: large enough that threads rarely meet
/// at the counter, small enough that they finish together.
const CHUNK: usize = 4;

/// Below this many items a second thread costs more than it saves.
const MIN_PARALLEL: usize = 2 * CHUNK;

/// Threads to use when the caller does not say: one per CPU.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// `items.iter().map(f).collect()`, on up to `jobs` threads (`None`: one
/// per CPU).
pub fn map<T, R, F>(items: &[T], jobs: Option<usize>, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    // Asking for the CPU count reads cgroup files: not for a small render.
    if items.len() < MIN_PARALLEL || jobs == Some(1) {
        return items.iter().map(f).collect();
    }
    let threads = jobs
        .unwrap_or_else(default_jobs)
        .min(items.len().div_ceil(CHUNK));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let work = || {
        loop {
            let start = next.fetch_add(CHUNK, Ordering::Relaxed);
            if start >= items.len() {
                break;
            }
            let end = (start + CHUNK).min(items.len());
            for (item, slot) in items[start..end].iter().zip(&slots[start..end]) {
                let r = f(item);
                *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            }
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every slot is filled before the scope ends")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_input_order_whatever_the_thread_count() {
        // The first chunk finishes last, so results gathered in completion
        // order would come out of order.
        let square = |i: &u64| {
            if *i < CHUNK as u64 {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            i * i
        };
        let items: Vec<u64> = (0..1000).collect();
        let serial: Vec<u64> = items.iter().map(|i| i * i).collect();
        for jobs in [1, 2, 3, 8, 64] {
            assert_eq!(map(&items, Some(jobs), square), serial, "jobs={jobs}");
        }
        assert_eq!(map(&items, None, square), serial);
    }

    #[test]
    fn small_and_empty_inputs() {
        assert_eq!(map(&[] as &[u8], Some(4), |b| *b), Vec::<u8>::new());
        assert_eq!(map(&[1, 2, 3], None, |b| b + 1), vec![2, 3, 4]);
    }
}
