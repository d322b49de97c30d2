//! Print resolution, and the one place its units are converted. JPEG keeps it as whole numbers
//! per inch or per cm (JFIF density), PNG as whole pixels per metre (pHYs), TIFF and EXIF as
//! rationals per inch or per cm. A value keeps its input's unit where the output has it; PNG
//! gets pixels per metre = per inch / 0.0254 (or per cm x 100), rounded to the nearest whole
//! number (300 dpi = 11811); back to dpi, a per-metre value that is the rounding of a whole dpi
//! is that dpi (11811 -> 300), any other is per metre x 0.0254 (kept to 1/10000 dpi in a TIFF).

const METRES_PER_INCH: f64 = 0.0254;
/// TIFF rationals of values that are not whole: this many parts per unit.
const RATIONAL_DENOMINATOR: u32 = 10_000;

/// A TIFF RATIONAL: (numerator, denominator).
pub type Fraction = (u32, u32);

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unit {
    PerInch,
    PerCentimetre,
    PerMetre,
    /// No physical unit: the numbers only give the pixels' aspect ratio.
    AspectOnly,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Resolution {
    pub x: f64,
    pub y: f64,
    pub unit: Unit,
}

impl Resolution {
    /// `None` for values that are not positive numbers, and for square pixels without a unit
    /// (every format's default, so there is nothing to carry).
    pub fn new(x: f64, y: f64, unit: Unit) -> Option<Self> {
        let ok = |v: f64| v.is_finite() && v > 0.0;
        (ok(x) && ok(y) && !(unit == Unit::AspectOnly && x == y)).then_some(Self { x, y, unit })
    }

    /// From JFIF density: unit 0 none, 1 per inch, 2 per cm.
    pub fn from_jfif(x: u16, y: u16, unit: u8) -> Option<Self> {
        let unit = match unit {
            1 => Unit::PerInch,
            2 => Unit::PerCentimetre,
            _ => Unit::AspectOnly,
        };
        Self::new(x.into(), y.into(), unit)
    }

    /// From TIFF or EXIF ResolutionUnit: 1 none, 2 inch (also the default), 3 cm.
    pub fn from_tiff(x: f64, y: f64, unit: Option<u32>) -> Option<Self> {
        let unit = match unit {
            Some(1) => Unit::AspectOnly,
            Some(3) => Unit::PerCentimetre,
            _ => Unit::PerInch,
        };
        Self::new(x, y, unit)
    }

    /// Per inch, for outputs that only know inches besides centimetres.
    fn per_inch(self) -> (f64, f64) {
        let dpi = |ppm: f64| {
            let whole = (ppm * METRES_PER_INCH).round();
            if (whole / METRES_PER_INCH).round() == ppm.round() {
                whole
            } else {
                ppm * METRES_PER_INCH
            }
        };
        match self.unit {
            Unit::PerMetre => (dpi(self.x), dpi(self.y)),
            _ => (self.x, self.y),
        }
    }

    /// JFIF density (x, y, unit 0/1/2): whole numbers, rounded; `None` when out of its range.
    pub fn to_jfif(self) -> Option<(u16, u16, u8)> {
        let (x, y, unit) = match self.unit {
            Unit::PerCentimetre => (self.x, self.y, 2),
            Unit::AspectOnly => (self.x, self.y, 0),
            Unit::PerInch | Unit::PerMetre => {
                let (x, y) = self.per_inch();
                (x, y, 1)
            }
        };
        let whole = |v: f64| {
            let v = v.round();
            (1.0..=u16::MAX as f64).contains(&v).then_some(v as u16)
        };
        Some((whole(x)?, whole(y)?, unit))
    }

    /// PNG pHYs (x, y, per metre or not): whole numbers, rounded; `None` when out of range.
    pub fn to_png(self) -> Option<(u32, u32, bool)> {
        let (scale, metre) = match self.unit {
            Unit::PerInch => (1.0 / METRES_PER_INCH, true),
            Unit::PerCentimetre => (100.0, true),
            Unit::PerMetre => (1.0, true),
            Unit::AspectOnly => (1.0, false),
        };
        let whole = |v: f64| {
            let v = (v * scale).round();
            (1.0..=u32::MAX as f64).contains(&v).then_some(v as u32)
        };
        Some((whole(self.x)?, whole(self.y)?, metre))
    }

    /// TIFF ResolutionUnit (1 none, 2 inch, 3 cm) and X/YResolution as (numerator, denominator).
    pub fn to_tiff(self) -> Option<(u16, Fraction, Fraction)> {
        let (x, y, unit) = match self.unit {
            Unit::PerCentimetre => (self.x, self.y, 3),
            Unit::AspectOnly => (self.x, self.y, 1),
            Unit::PerInch | Unit::PerMetre => {
                let (x, y) = self.per_inch();
                (x, y, 2)
            }
        };
        let rational = |v: f64| {
            let d = if v.fract() == 0.0 {
                1
            } else {
                RATIONAL_DENOMINATOR
            };
            let n = (v * d as f64).round();
            (1.0..=u32::MAX as f64)
                .contains(&n)
                .then_some((n as u32, d))
        };
        Some((unit, rational(x)?, rational(y)?))
    }
}

/// "300 x 300 per inch", as the CLI's messages say it.
impl std::fmt::Display for Resolution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.unit {
            Unit::PerInch => " per inch",
            Unit::PerCentimetre => " per cm",
            Unit::PerMetre => " per metre",
            Unit::AspectOnly => " (aspect ratio)",
        };
        write!(f, "{} x {}{unit}", self.x, self.y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpi_survives_pixels_per_metre() {
        for dpi in [
            72.0, 96.0, 150.0, 240.0, 300.0, 600.0, 1200.0, 2400.0, 4000.0,
        ] {
            let (x, y, metre) = Resolution::new(dpi, dpi, Unit::PerInch)
                .unwrap()
                .to_png()
                .unwrap();
            assert!(metre);
            let back = Resolution::new(x.into(), y.into(), Unit::PerMetre).unwrap();
            assert_eq!(back.to_tiff(), Some((2, (dpi as u32, 1), (dpi as u32, 1))));
            assert_eq!(back.to_jfif(), Some((dpi as u16, dpi as u16, 1)));
        }
        let (x, _, _) = Resolution::new(300.0, 300.0, Unit::PerInch)
            .unwrap()
            .to_png()
            .unwrap();
        assert_eq!(x, 11811);
        // a per-metre value no whole dpi rounds to stays as it is (11800 x 0.0254 = 299.72)
        let odd = Resolution::new(11800.0, 11800.0, Unit::PerMetre).unwrap();
        assert_eq!(odd.to_tiff().unwrap().1, (2_997_200, 10_000));
        assert_eq!(odd.to_jfif(), Some((300, 300, 1)));
    }

    #[test]
    fn centimetres_stay_centimetres_and_square_pixels_are_nothing() {
        let cm = Resolution::from_jfif(118, 118, 2).unwrap();
        assert_eq!(cm.to_tiff(), Some((3, (118, 1), (118, 1))));
        assert_eq!(cm.to_png(), Some((11800, 11800, true)));
        assert_eq!(Resolution::from_jfif(1, 1, 0), None);
        assert_eq!(Resolution::from_tiff(1.0, 1.0, Some(1)), None);
        let aspect = Resolution::from_jfif(1, 2, 0).unwrap();
        assert_eq!(aspect.to_png(), Some((1, 2, false)));
        assert_eq!(Resolution::new(0.0, 300.0, Unit::PerInch), None);
        assert_eq!(
            Resolution::new(1e6, 1e6, Unit::PerInch).unwrap().to_jfif(),
            None
        );
    }
}
