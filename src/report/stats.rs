//! Small, plain statistics used by the report. Every function returns `None` rather than a
//! NaN or an infinity when the figure is undefined (too few values, no spread).

/// Below this a variance or covariance counts as zero (sums of equal floats leave dust).
const EPS: f64 = 1e-12;

/// A count as a float.
pub(crate) fn as_f64(n: usize) -> f64 {
    n as f64
}

/// Arithmetic mean; `None` for no values.
pub(crate) fn mean(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        None
    } else {
        Some(v.iter().sum::<f64>() / as_f64(v.len()))
    }
}

/// Median (mean of the two middle values for an even count); `None` for no values.
pub(crate) fn median(v: &[f64]) -> Option<f64> {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => s.get(n / 2).copied(),
        _ => Some((s.get(n / 2 - 1)? + s.get(n / 2)?) / 2.0),
    }
}

/// Sample covariance (divisor n − 1) of two equally long series; `None` below two pairs.
pub(crate) fn covariance(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.len() != b.len() || a.len() < 2 {
        return None;
    }
    let ma = mean(a)?;
    let mb = mean(b)?;
    let s: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    Some(s / as_f64(a.len() - 1))
}

/// Sample variance (divisor n − 1); `None` below two values.
pub(crate) fn sample_variance(v: &[f64]) -> Option<f64> {
    covariance(v, v).map(|c| c.max(0.0))
}

/// Sample standard deviation (divisor n − 1); `None` below two values.
pub(crate) fn sample_sd(v: &[f64]) -> Option<f64> {
    sample_variance(v).map(f64::sqrt)
}

/// Moodle's discrimination index and discriminative efficiency of one item, both ×100.
///
/// `x` are the item's scores and `rest` the scores on the rest of the test (total minus the
/// item), one pair per attempt. The index is the Pearson correlation of `x` and `rest`; the
/// efficiency is their covariance over the largest covariance the same two sets of values could
/// have, reached when both are sorted and paired in order (Moodle's `covariancemax`).
/// Each is `None` when undefined: fewer than two attempts, or no spread. The efficiency is at
/// most 100 but, for a negatively discriminating item, may fall below −100 (the most negative
/// covariance can exceed the most positive in size); Moodle does not bound it either.
pub(crate) fn item_rest(x: &[f64], rest: &[f64]) -> (Option<f64>, Option<f64>) {
    let Some(cov) = covariance(x, rest) else {
        return (None, None);
    };
    let vx = sample_variance(x).unwrap_or(0.0);
    let vr = sample_variance(rest).unwrap_or(0.0);
    let index =
        (vx > EPS && vr > EPS).then(|| (100.0 * cov / (vx * vr).sqrt()).clamp(-100.0, 100.0));
    let mut sx = x.to_vec();
    let mut sr = rest.to_vec();
    sx.sort_by(f64::total_cmp);
    sr.sort_by(f64::total_cmp);
    let efficiency = covariance(&sx, &sr)
        .filter(|m| *m > EPS)
        .map(|m| (100.0 * cov / m).min(100.0));
    (index, efficiency)
}

/// Cronbach's alpha of `items` (one series of scores per item, each as long as the number of
/// attempts): k/(k−1) × (1 − Σ var(item) / var(total)), sample variances. `None` with fewer
/// than two items, fewer than two attempts, series of unequal length or totals without spread.
pub(crate) fn cronbach_alpha(items: &[Vec<f64>]) -> Option<f64> {
    let k = items.len();
    let n = items.first()?.len();
    if k < 2 || n < 2 || items.iter().any(|i| i.len() != n) {
        return None;
    }
    let totals: Vec<f64> = (0..n)
        .map(|a| items.iter().filter_map(|i| i.get(a)).sum())
        .collect();
    let vt = sample_variance(&totals)?;
    if vt <= EPS {
        return None;
    }
    let sum_items: f64 = items.iter().filter_map(|i| sample_variance(i)).sum();
    let kf = as_f64(k);
    Some(kf / (kf - 1.0) * (1.0 - sum_items / vt))
}

/// Moodle's skewness and kurtosis of a score distribution, from its k-statistics:
/// skewness = k3 / k2^(3/2) (needs 3 values), kurtosis = k4 / k2² (excess kurtosis; needs 4).
/// `None` when undefined (too few values, no spread).
pub(crate) fn skewness_kurtosis(v: &[f64]) -> (Option<f64>, Option<f64>) {
    let n = v.len();
    let Some(m) = mean(v) else {
        return (None, None);
    };
    if n < 3 {
        return (None, None);
    }
    let s = as_f64(n);
    let p = |k: i32| v.iter().map(|x| (x - m).powi(k)).sum::<f64>() / s;
    let (m2, m3, m4) = (p(2), p(3), p(4));
    let k2 = s * m2 / (s - 1.0);
    if k2 <= EPS {
        return (None, None);
    }
    let k3 = s * s * m3 / ((s - 1.0) * (s - 2.0));
    let skew = k3 / k2.powf(1.5);
    let kurt = (n > 3).then(|| {
        let k4 = s * s * ((s + 1.0) * m4 - 3.0 * (s - 1.0) * m2 * m2)
            / ((s - 1.0) * (s - 2.0) * (s - 3.0));
        k4 / (k2 * k2)
    });
    (Some(skew), kurt)
}

/// Ten bins of percent: 0–10, 10–20, …, 90–100. Each bin holds its lower edge; 100 (and above)
/// goes in the last bin, below 0 in the first.
pub(crate) fn histogram(percents: &[f64]) -> [usize; 10] {
    let mut bins = [0usize; 10];
    for p in percents {
        let mut b = 0usize;
        while b < 9 && *p >= as_f64(b + 1) * 10.0 {
            b += 1;
        }
        if let Some(slot) = bins.get_mut(b) {
            *slot += 1;
        }
    }
    bins
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basics() {
        assert_eq!(mean(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(sample_sd(&[1.0]), None);
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum 32, /7.
        let sd = sample_sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert!((sd - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert_eq!(
            histogram(&[0.0, 9.99, 10.0, 55.0, 90.0, 99.9, 100.0, -5.0, 120.0]),
            [3, 1, 0, 0, 0, 1, 0, 0, 0, 4]
        );
        // No spread: no correlation, no efficiency.
        assert_eq!(item_rest(&[1.0, 1.0], &[0.0, 2.0]), (None, None));
        assert_eq!(cronbach_alpha(&[vec![1.0, 1.0], vec![0.0, 0.0]]), None);
    }

    /// 1, 2, 3, 4, 10: mean 4, m2 = 10, m3 = 36, m4 = 278.8 (by hand), so k2 = 12.5,
    /// k3 = 25 × 36 / 12 = 75, k4 = 25 × (6 × 278.8 − 3 × 4 × 100) / 24 = 492.5; skewness
    /// 75 / 12.5^1.5 = 1.697056…, kurtosis 492.5 / 156.25 = 3.152.
    #[test]
    fn skewness_and_kurtosis_as_moodle_computes_them() {
        let (s, k) = skewness_kurtosis(&[1.0, 2.0, 3.0, 4.0, 10.0]);
        assert!((s.unwrap() - 1.697_056_274_847_714).abs() < 1e-12);
        assert!((k.unwrap() - 3.152).abs() < 1e-12);
        assert_eq!(skewness_kurtosis(&[1.0, 2.0]), (None, None));
        assert!(skewness_kurtosis(&[1.0, 2.0, 4.0]).1.is_none());
        assert_eq!(skewness_kurtosis(&[3.0; 5]), (None, None));
    }
}
