//! vLLM parallelism: tensor (T), data (D), data-local (L) and workers (W).
//! Unset (or zero) values are derived from the others the way the
//! llm-d-modelservice chart does: D = data, or L*W, or L; L = dataLocal, or
//! D/W, or D; W = workers, or D/L; each defaults to 1. Divisions must be
//! exact. A pod (one worker) needs L*T accelerators.

use std::fmt;

/// The four settings as given; `None` or 0 means "derive".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Parallelism {
    pub tensor: Option<i64>,
    pub data: Option<i64>,
    pub data_local: Option<i64>,
    pub workers: Option<i64>,
}

/// A division in the derivation that is not exact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotAMultiple {
    /// The value that must be a multiple (`data`).
    pub field: &'static str,
    pub value: i64,
    /// The divisor's field (`workers` or `dataLocal`) and value.
    pub of: &'static str,
    pub divisor: i64,
}

impl fmt::Display for NotAMultiple {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "parallelism.{} ({}) must be a multiple of parallelism.{} ({})",
            self.field, self.value, self.of, self.divisor
        )
    }
}

fn set(v: Option<i64>) -> Option<i64> {
    v.filter(|&n| n != 0)
}

impl Parallelism {
    pub fn new(
        tensor: Option<i64>,
        data: Option<i64>,
        data_local: Option<i64>,
        workers: Option<i64>,
    ) -> Self {
        Parallelism {
            tensor,
            data,
            data_local,
            workers,
        }
    }

    /// Tensor parallelism (T).
    pub fn tensor(&self) -> i64 {
        set(self.tensor).unwrap_or(1)
    }

    /// Data parallelism across all workers (D).
    pub fn data(&self) -> i64 {
        match (set(self.data), set(self.data_local), set(self.workers)) {
            (Some(d), _, _) => d,
            (None, Some(l), Some(w)) => l * w,
            (None, Some(l), None) => l,
            _ => 1,
        }
    }

    /// Data parallelism inside one worker (L).
    pub fn data_local(&self) -> Result<i64, NotAMultiple> {
        match (set(self.data_local), set(self.data), set(self.workers)) {
            (Some(l), _, _) => Ok(l),
            (None, Some(d), Some(w)) => exact(d, w, "workers"),
            (None, Some(d), None) => Ok(d),
            _ => Ok(1),
        }
    }

    /// Number of workers (pods) per replica (W).
    pub fn workers(&self) -> Result<i64, NotAMultiple> {
        match (set(self.workers), set(self.data), set(self.data_local)) {
            (Some(w), _, _) => Ok(w),
            (None, Some(d), Some(l)) => exact(d, l, "dataLocal"),
            _ => Ok(1),
        }
    }

    /// Accelerators one worker needs: L * T.
    pub fn accelerators_per_worker(&self) -> Result<i64, NotAMultiple> {
        Ok(self.data_local()? * self.tensor())
    }
}

fn exact(value: i64, divisor: i64, of: &'static str) -> Result<i64, NotAMultiple> {
    let q = value / divisor;
    if q * divisor != value {
        return Err(NotAMultiple {
            field: "data",
            value,
            of,
            divisor,
        });
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivation_table() {
        // (T, D, L, W) given -> (T, D, L, W, accelerators per worker)
        let cases = [
            ((None, None, None, None), (1, 1, 1, 1, 1)),
            ((Some(1), Some(1), Some(1), Some(1)), (1, 1, 1, 1, 1)),
            ((Some(4), None, None, None), (4, 1, 1, 1, 4)),
            ((Some(2), Some(8), None, Some(2)), (2, 8, 4, 2, 8)),
            ((Some(2), Some(8), Some(4), None), (2, 8, 4, 2, 8)),
            ((None, None, Some(2), Some(3)), (1, 6, 2, 3, 2)),
            ((None, None, Some(2), None), (1, 2, 2, 1, 2)),
            ((None, Some(4), None, None), (1, 4, 4, 1, 4)),
            ((Some(0), Some(0), Some(0), Some(0)), (1, 1, 1, 1, 1)),
            // All set: taken as given, even if inconsistent (as the chart does).
            ((Some(2), Some(4), Some(1), Some(1)), (2, 4, 1, 1, 2)),
        ];
        for ((t, d, l, w), (et, ed, el, ew, ea)) in cases {
            let p = Parallelism::new(t, d, l, w);
            assert_eq!(
                (
                    p.tensor(),
                    p.data(),
                    p.data_local().unwrap(),
                    p.workers().unwrap(),
                    p.accelerators_per_worker().unwrap()
                ),
                (et, ed, el, ew, ea),
                "{p:?}"
            );
        }
    }

    #[test]
    fn inexact_divisions_fail() {
        let p = Parallelism::new(None, Some(3), None, Some(2));
        let e = p.data_local().unwrap_err();
        assert_eq!(
            e.to_string(),
            "parallelism.data (3) must be a multiple of parallelism.workers (2)"
        );
        let p = Parallelism::new(None, Some(5), Some(2), None);
        assert_eq!(p.data_local(), Ok(2));
        assert_eq!(p.workers().unwrap_err().of, "dataLocal");
    }
}
