//! The value axis of the server's charts (round linear ticks, 1-2-5 ticks on a log
//! axis, labels in % when comparing) and where the date labels go.

use super::Scale;

/// The value axis: round linear ticks ([`NiceAxis`]), or 1-2-5 ticks on a log axis.
pub struct ValueAxis {
    scale: Scale,
    linear: NiceAxis,
    log: (f64, f64),
}

impl ValueAxis {
    pub fn new(lo: f64, hi: f64, scale: Scale) -> ValueAxis {
        let (llo, lhi) = if lo > 0.0 {
            let (a, b) = (lo.log10(), hi.log10());
            if b > a {
                (a, b)
            } else {
                (a - 0.5, b + 0.5)
            }
        } else {
            (0.0, 1.0)
        };
        ValueAxis {
            scale,
            linear: NiceAxis::new(lo, hi),
            log: (llo, lhi),
        }
    }

    /// Where `v` sits, 0 at the bottom and 1 at the top.
    pub fn fraction(&self, v: f64) -> f64 {
        match self.scale {
            Scale::Log => {
                (v.max(f64::MIN_POSITIVE).log10() - self.log.0) / (self.log.1 - self.log.0)
            }
            _ => (v - self.linear.min) / (self.linear.max - self.linear.min),
        }
    }

    pub fn ticks(&self) -> Vec<f64> {
        match self.scale {
            Scale::Log => {
                let (lo, hi) = (10f64.powf(self.log.0), 10f64.powf(self.log.1));
                let mut ticks = Vec::new();
                let mut magnitude = 10f64.powf(self.log.0.floor());
                while magnitude <= hi {
                    for m in [1.0, 2.0, 5.0] {
                        let t = m * magnitude;
                        if t >= lo && t <= hi {
                            ticks.push(t);
                        }
                    }
                    magnitude *= 10.0;
                }
                ticks
            }
            _ => self.linear.ticks().collect(),
        }
    }

    pub fn label(&self, value: f64) -> String {
        match self.scale {
            Scale::Log => {
                let decimals = if value >= 1.0 {
                    0
                } else {
                    (-value.log10().floor()) as usize
                };
                format!("{value:.decimals$}")
            }
            Scale::Percent => format!("{} %", self.linear.label(value)),
            Scale::Linear => self.linear.label(value),
        }
    }
}

/// Where ECharts' category axis would put a handful of date labels: evenly spaced,
/// first and last included.
pub fn date_label_indices(n: usize) -> Vec<usize> {
    const LABELS: usize = 5;
    if n <= LABELS {
        return (0..n).collect();
    }
    (0..LABELS).map(|k| k * (n - 1) / (LABELS - 1)).collect()
}

/// A value axis with round bounds and 1-2-5 steps, as ECharts' `scale: true` axis.
#[derive(Debug, PartialEq)]
pub struct NiceAxis {
    pub min: f64,
    pub max: f64,
    pub step: f64,
}

impl NiceAxis {
    pub fn new(lo: f64, hi: f64) -> NiceAxis {
        let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
        let rough = span / 5.0;
        let magnitude = 10f64.powf(rough.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= rough)
            .unwrap_or(10.0 * magnitude);
        let mut min = (lo / step).floor() * step;
        let mut max = (hi / step).ceil() * step;
        if max <= min {
            min -= step;
            max += step;
        }
        NiceAxis { min, max, step }
    }

    pub fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        let count = ((self.max - self.min) / self.step).round() as usize;
        (0..=count).map(move |k| self.min + k as f64 * self.step)
    }

    pub fn label(&self, value: f64) -> String {
        let decimals = if self.step >= 1.0 {
            0
        } else {
            (-self.step.log10().floor()) as usize
        };
        format!("{value:.decimals$}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_are_round_and_cover_the_data() {
        let axis = NiceAxis::new(80.3, 121.2);
        assert_eq!(
            axis,
            NiceAxis {
                min: 80.0,
                max: 130.0,
                step: 10.0
            }
        );
        assert_eq!(axis.ticks().count(), 6);
        let small = NiceAxis::new(0.1234, 0.1301);
        assert!(small.min <= 0.1234 && small.max >= 0.1301, "{small:?}");
        assert_eq!(small.label(small.min), format!("{:.3}", small.min));
        let flat = NiceAxis::new(5.0, 5.0);
        assert!(flat.min < 5.0 && flat.max > 5.0, "{flat:?}");
    }
}
