//! Minimum, median and maximum of a few figures.

use std::fmt;

/// The spread of a few figures (one per run, or per run and load level).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// The smallest.
    pub min: f64,
    /// The median (the mean of the two middle figures when their number is even).
    pub median: f64,
    /// The largest.
    pub max: f64,
    /// How many figures.
    pub count: usize,
}

impl Spread {
    /// The spread of `values`, or `None` when there is none (non-finite
    /// values are left out).
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Self> {
        let mut values: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
        if values.is_empty() {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let median = if !n.is_multiple_of(2) {
            values[n / 2]
        } else {
            f64::midpoint(values[n / 2 - 1], values[n / 2])
        };
        Some(Self {
            min: values[0],
            median,
            max: values[n - 1],
            count: n,
        })
    }
}

/// `median (min–max)` with the precision asked for (`{:.2}`), e.g. `1.52 (1.40–1.61)`.
impl fmt::Display for Spread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let precision = f.precision().unwrap_or(2);
        write!(
            f,
            "{:.p$} ({:.p$}–{:.p$})",
            self.median,
            self.min,
            self.max,
            p = precision
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_median_max_for_odd_and_even_counts() {
        let odd = Spread::of([3.0, 1.0, 2.0]).unwrap();
        assert_eq!(
            (odd.min, odd.median, odd.max, odd.count),
            (1.0, 2.0, 3.0, 3)
        );
        let even = Spread::of([4.0, 1.0, 2.0, 10.0]).unwrap();
        assert_eq!((even.min, even.median, even.max), (1.0, 3.0, 10.0));
        assert_eq!(Spread::of([f64::NAN, 2.0]).unwrap().count, 1);
        assert!(Spread::of([]).is_none());
        assert_eq!(format!("{:.1}", odd), "2.0 (1.0–3.0)");
    }
}
