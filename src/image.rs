//! Image descriptors in caller memory: u8, u16, f16 or f32 samples; gray, gray+alpha, RGB or RGBA;
//! any row stride. Everything is validated before a single pixel is read, and reads go through
//! bounds-checked slices, so a descriptor that lies about its size is an error, not a crash.
//!
//! The model sees RGB in [0, 1] (sRGB-encoded; gray is replicated to three channels). Alpha never
//! enters the model: it is carried from input to output unchanged.

use crate::error::{err, try_zeroed, Result};
use half::f16;

/// Width and height are limited so that pixel coordinates fit the sampler's noise key (2^24).
pub const MAX_DIMENSION: usize = (1 << 24) - 1;

/// The type of one sample in memory, in native byte order; every type maps to [0, 1].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SampleType {
    /// 8-bit unsigned, 0..=255.
    U8,
    /// 16-bit unsigned, 0..=65535.
    U16,
    /// 32-bit float, 0..1 (clamped when read; NaN or infinity is an error).
    F32,
    /// IEEE 754 half floats (OpenFX hosts' `half` depth), read and written with the `half` crate.
    F16,
}

impl SampleType {
    /// Bytes per sample: 1 (u8), 2 (u16, f16) or 4 (f32).
    pub fn size(self) -> usize {
        match self {
            SampleType::U8 => 1,
            SampleType::U16 => 2,
            SampleType::F32 => 4,
            SampleType::F16 => 2,
        }
    }
    /// The lower-case name used in messages: "u8", "u16", "f32" or "f16".
    pub fn name(self) -> &'static str {
        match self {
            SampleType::U8 => "u8",
            SampleType::U16 => "u16",
            SampleType::F32 => "f32",
            SampleType::F16 => "f16",
        }
    }
}

/// The shape of an image in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels (rows).
    pub height: usize,
    /// 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (alpha last).
    pub channels: usize,
    /// Type of every sample.
    pub sample: SampleType,
    /// Bytes from the start of one row to the start of the next.
    pub row_stride: usize,
}

impl Layout {
    /// A layout with tightly packed rows.
    pub fn packed(width: usize, height: usize, channels: usize, sample: SampleType) -> Self {
        Layout {
            width,
            height,
            channels,
            sample,
            row_stride: width.saturating_mul(channels).saturating_mul(sample.size()),
        }
    }

    /// Bytes per pixel: channels x sample size.
    pub fn pixel_bytes(&self) -> usize {
        self.channels * self.sample.size()
    }

    /// True for 2 and 4 channels: the last one is alpha, which passes through untouched.
    pub fn has_alpha(&self) -> bool {
        self.channels == 2 || self.channels == 4
    }

    /// Channels the model sees: 3 for RGB(A), 1 for gray (replicated to RGB).
    pub fn color_channels(&self) -> usize {
        if self.channels >= 3 {
            3
        } else {
            1
        }
    }

    /// Width x height, in u64 so it cannot overflow (what `max_pixels` caps).
    pub fn pixels(&self) -> u64 {
        self.width as u64 * self.height as u64
    }

    /// Checks the numbers and returns the number of bytes the image spans
    /// (`row_stride * (height - 1) + width * pixel_bytes`), without overflow.
    pub fn validate(&self) -> Result<usize> {
        if self.width == 0 || self.height == 0 {
            return Err(err!(
                InvalidArgument,
                "image size {}x{} is empty",
                self.width,
                self.height
            ));
        }
        if !(1..=4).contains(&self.channels) {
            return Err(err!(
                InvalidArgument,
                "{} channels: expected 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA)",
                self.channels
            ));
        }
        if self.width > MAX_DIMENSION || self.height > MAX_DIMENSION {
            return Err(err!(
                TooLarge,
                "image size {}x{} is over the limit of {MAX_DIMENSION} per side",
                self.width,
                self.height
            ));
        }
        let row_bytes = self
            .width
            .checked_mul(self.pixel_bytes())
            .ok_or_else(|| err!(TooLarge, "row of {} pixels overflows", self.width))?;
        if self.row_stride < row_bytes {
            return Err(err!(
                InvalidArgument,
                "row stride {} bytes is smaller than one row ({} pixels x {} channels x {} bytes = {row_bytes})",
                self.row_stride,
                self.width,
                self.channels,
                self.sample.size()
            ));
        }
        let span = self
            .row_stride
            .checked_mul(self.height - 1)
            .and_then(|b| b.checked_add(row_bytes))
            .filter(|&b| b <= isize::MAX as usize)
            .ok_or_else(|| {
                err!(
                    TooLarge,
                    "image {}x{} with row stride {} does not fit in memory",
                    self.width,
                    self.height,
                    self.row_stride
                )
            })?;
        Ok(span)
    }

    /// True when width, height and channels match; sample type and stride may differ.
    pub fn same_shape(&self, other: &Layout) -> bool {
        self.width == other.width && self.height == other.height && self.channels == other.channels
    }
}

#[inline]
fn load(sample: SampleType, b: &[u8], i: usize) -> f32 {
    match sample {
        SampleType::U8 => b[i] as f32 * (1.0 / 255.0),
        SampleType::U16 => u16::from_ne_bytes([b[2 * i], b[2 * i + 1]]) as f32 * (1.0 / 65535.0),
        SampleType::F32 => f32::from_ne_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]]),
        SampleType::F16 => f16::from_ne_bytes([b[2 * i], b[2 * i + 1]]).to_f32(),
    }
}

/// A sample as the model reads it: clamped to [0, 1] (integer samples already are).
#[inline(always)]
fn unit(v: f32) -> f32 {
    v.clamp(0.0, 1.0)
}

/// `x.round()` for 0 <= x < 2^23, without the libm call `f32::round` compiles to on baseline
/// x86-64 (no SSE4.1 rounding instruction): the truncation is exact there, and so is the
/// fraction, so rounding half away from zero is one comparison.
#[inline(always)]
fn round_unit(x: f32) -> u32 {
    let t = x as u32;
    t + u32::from(x - t as f32 >= 0.5)
}

#[inline]
fn store(sample: SampleType, b: &mut [u8], i: usize, v: f32) {
    let v = if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) };
    match sample {
        SampleType::U8 => b[i] = round_unit(v * 255.0) as u8,
        SampleType::U16 => {
            let q = round_unit(v * 65535.0) as u16;
            b[2 * i..2 * i + 2].copy_from_slice(&q.to_ne_bytes());
        }
        SampleType::F32 => b[4 * i..4 * i + 4].copy_from_slice(&v.to_ne_bytes()),
        SampleType::F16 => b[2 * i..2 * i + 2].copy_from_slice(&f16::from_f32(v).to_ne_bytes()),
    }
}

/// [`ImageRef::read_rgb_at`] for one sample decoder `load(row, sample index)`, which the
/// compiler inlines into each loop.
#[inline(always)]
fn rgb_at(
    row: &[u8],
    ch: usize,
    xs: impl Iterator<Item = usize>,
    [r, g, b]: [&mut [f32]; 3],
    load: impl Fn(&[u8], usize) -> f32,
) {
    let px = xs.zip(r.iter_mut().zip(g.iter_mut().zip(b.iter_mut())));
    if ch >= 3 {
        for (x, (r, (g, b))) in px {
            let i = x * ch;
            (*r, *g, *b) = (load(row, i), load(row, i + 1), load(row, i + 2));
        }
    } else {
        for (x, (r, (g, b))) in px {
            let v = load(row, x * ch);
            (*r, *g, *b) = (v, v, v);
        }
    }
}

/// [`ImageBuf::write_row`] for one sample encoder `put(row, sample index, value)`.
#[inline(always)]
fn write_rgb(
    row: &mut [u8],
    ch: usize,
    x0: usize,
    [r, g, b]: [&[f32]; 3],
    put: impl Fn(&mut [u8], usize, f32),
) {
    let px = r.iter().zip(g.iter().zip(b.iter())).enumerate();
    if ch >= 3 {
        for (i, (&r, (&g, &b))) in px {
            let o = (x0 + i) * ch;
            put(row, o, r);
            put(row, o + 1, g);
            put(row, o + 2, b);
        }
    } else {
        for (i, (&r, (&g, &b))) in px {
            put(row, (x0 + i) * ch, (r + g + b) * (1.0 / 3.0));
        }
    }
}

/// A validated, read-only image in borrowed memory.
#[derive(Clone, Copy)]
pub struct ImageRef<'a> {
    layout: Layout,
    data: &'a [u8],
}

impl<'a> ImageRef<'a> {
    /// Wraps `data` after checking that the layout is sane and fits in it.
    pub fn new(data: &'a [u8], layout: Layout) -> Result<Self> {
        let span = layout.validate()?;
        if data.len() < span {
            return Err(err!(
                InvalidArgument,
                "image buffer of {} bytes is smaller than its layout needs ({span} bytes)",
                data.len()
            ));
        }
        Ok(ImageRef {
            layout,
            data: &data[..span],
        })
    }

    /// The validated layout.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }
    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.layout.width
    }
    /// Height in pixels (rows).
    pub fn height(&self) -> usize {
        self.layout.height
    }

    /// The bytes of row `y` (exactly `width * pixel_bytes`).
    pub fn row(&self, y: usize) -> &'a [u8] {
        let start = y * self.layout.row_stride;
        &self.data[start..start + self.layout.width * self.layout.pixel_bytes()]
    }

    /// Fails on NaN or infinite float samples (integer sample types cannot hold them).
    pub fn check_finite(&self) -> Result<()> {
        let sample = self.layout.sample;
        let value: fn(&[u8]) -> f32 = match sample {
            SampleType::U8 | SampleType::U16 => return Ok(()),
            SampleType::F32 => |c| f32::from_ne_bytes([c[0], c[1], c[2], c[3]]),
            SampleType::F16 => |c| f16::from_ne_bytes([c[0], c[1]]).to_f32(),
        };
        let size = sample.size();
        for y in 0..self.layout.height {
            let row = self.row(y);
            for (i, c) in row.chunks_exact(size).enumerate() {
                let v = value(c);
                if !v.is_finite() {
                    let ch = self.layout.channels;
                    return Err(err!(
                        InvalidArgument,
                        "pixel ({}, {y}) channel {} is {v}: {} samples must be finite",
                        i / ch,
                        i % ch,
                        sample.name()
                    ));
                }
            }
        }
        Ok(())
    }

    /// RGB of pixel (x, y) in [0, 1]; gray is replicated.
    #[inline]
    pub fn rgb(&self, x: usize, y: usize) -> [f32; 3] {
        let row = self.row(y);
        let ch = self.layout.channels;
        let s = self.layout.sample;
        if ch >= 3 {
            [
                unit(load(s, row, x * ch)),
                unit(load(s, row, x * ch + 1)),
                unit(load(s, row, x * ch + 2)),
            ]
        } else {
            let g = unit(load(s, row, x * ch));
            [g, g, g]
        }
    }

    /// Reads `n` pixels of row `y` starting at `x0` into three planes (`n`: the planes' length),
    /// as [`ImageRef::rgb`] reads each.
    pub fn read_rgb_row(&self, y: usize, x0: usize, out: [&mut [f32]; 3]) {
        let n = out[0].len();
        self.read_rgb_at(y, x0..x0 + n, out);
    }

    /// Reads the pixels of row `y` at columns `xs` (one per element of the planes) into three
    /// planes, as [`ImageRef::rgb`] reads each. The tiles and the analysis read every pixel
    /// this way: the sample type is resolved once per row, not per sample, so the loop is a
    /// plain conversion (per-pixel [`ImageRef::rgb`] calls were most of the time the pipeline
    /// spends outside ONNX Runtime).
    pub fn read_rgb_at(&self, y: usize, xs: impl Iterator<Item = usize>, out: [&mut [f32]; 3]) {
        let row = self.row(y);
        let ch = self.layout.channels;
        // each value as `rgb` reads it (`load`, clamped), with the sample type a constant
        match self.layout.sample {
            SampleType::U8 => rgb_at(row, ch, xs, out, |b, i| unit(load(SampleType::U8, b, i))),
            SampleType::U16 => rgb_at(row, ch, xs, out, |b, i| unit(load(SampleType::U16, b, i))),
            SampleType::F32 => rgb_at(row, ch, xs, out, |b, i| unit(load(SampleType::F32, b, i))),
            SampleType::F16 => rgb_at(row, ch, xs, out, |b, i| unit(load(SampleType::F16, b, i))),
        }
    }

    /// The alpha sample of pixel (x, y) as a value in [0, 1] (unclamped for f32).
    #[inline]
    pub fn alpha(&self, x: usize, y: usize) -> f32 {
        let ch = self.layout.channels;
        load(self.layout.sample, self.row(y), x * ch + ch - 1)
    }
}

/// An owned, tightly packed image: the engine's staging buffer. The caller's output is written
/// only from a finished staging buffer, so a failure leaves it untouched.
pub struct ImageBuf {
    layout: Layout,
    data: Vec<u8>,
}

impl ImageBuf {
    /// A zeroed image with packed rows; a bad size fails as [`Layout::validate`] does, memory
    /// that cannot be allocated with [`ErrorKind::TooLarge`](crate::ErrorKind::TooLarge).
    pub fn new(width: usize, height: usize, channels: usize, sample: SampleType) -> Result<Self> {
        let layout = Layout::packed(width, height, channels, sample);
        let span = layout.validate()?;
        Ok(ImageBuf {
            layout,
            data: try_zeroed(span, "the output staging buffer")?,
        })
    }

    /// A packed copy of `src` in sample type `sample`: the same bytes when the sample type is
    /// the input's (bit for bit), else each sample converted (f32 clamped to [0, 1]).
    pub fn copy_of(src: &ImageRef<'_>, sample: SampleType) -> Result<Self> {
        let l = src.layout();
        let mut out = ImageBuf::new(l.width, l.height, l.channels, sample)?;
        let stride = out.layout.row_stride;
        for y in 0..l.height {
            let from = src.row(y);
            let to = &mut out.data[y * stride..(y + 1) * stride];
            if sample == l.sample {
                to[..from.len()].copy_from_slice(from);
            } else {
                for i in 0..l.width * l.channels {
                    store(sample, to, i, load(l.sample, from, i));
                }
            }
        }
        Ok(out)
    }

    /// The layout; rows are packed (`row_stride` is `width * pixel_bytes`).
    pub fn layout(&self) -> &Layout {
        &self.layout
    }
    /// The samples, row after row, in [`Layout`] order.
    pub fn as_bytes(&self) -> &[u8] {
        &self.data
    }
    /// The samples, row after row, handed over without a copy.
    pub fn into_bytes(self) -> Vec<u8> {
        self.data
    }
    /// A read-only view of this image.
    pub fn as_ref(&self) -> ImageRef<'_> {
        ImageRef {
            layout: self.layout,
            data: &self.data,
        }
    }

    /// Writes restored RGB for `n` pixels of row `y` from `x0`, and carries alpha over from
    /// `alpha_src` (the input image, which has the same width/height/channels).
    pub fn write_row(&mut self, y: usize, x0: usize, rgb: [&[f32]; 3], alpha_src: &ImageRef<'_>) {
        let ch = self.layout.channels;
        let stride = self.layout.row_stride;
        let row = &mut self.data[y * stride..(y + 1) * stride];
        // the sample type resolved once per row (see ImageRef::read_rgb_at); each value as
        // `store` writes it
        match self.layout.sample {
            SampleType::U8 => write_rgb(row, ch, x0, rgb, |b, i, v| store(SampleType::U8, b, i, v)),
            SampleType::U16 => {
                write_rgb(row, ch, x0, rgb, |b, i, v| store(SampleType::U16, b, i, v))
            }
            SampleType::F32 => {
                write_rgb(row, ch, x0, rgb, |b, i, v| store(SampleType::F32, b, i, v))
            }
            SampleType::F16 => {
                write_rgb(row, ch, x0, rgb, |b, i, v| store(SampleType::F16, b, i, v))
            }
        }
        if ch == 2 || ch == 4 {
            let s = self.layout.sample;
            for x in x0..x0 + rgb[0].len() {
                copy_alpha(alpha_src, x, y, s, row, x * ch + ch - 1);
            }
        }
    }
}

/// Alpha passes through untouched: the same sample type copies bytes exactly.
#[inline]
fn copy_alpha(
    src: &ImageRef<'_>,
    x: usize,
    y: usize,
    dst_sample: SampleType,
    dst: &mut [u8],
    i: usize,
) {
    let sl = src.layout();
    let ch = sl.channels;
    if sl.sample == dst_sample {
        let n = dst_sample.size();
        let from = &src.row(y)[(x * ch + ch - 1) * n..(x * ch + ch) * n];
        dst[i * n..(i + 1) * n].copy_from_slice(from);
    } else {
        store(dst_sample, dst, i, src.alpha(x, y));
    }
}

/// Copies a finished staging buffer into the caller's memory with its own row stride.
/// The bytes between rows (stride padding) are not touched.
pub fn copy_to_strided(src: &ImageBuf, dst: &mut [u8], dst_layout: &Layout) -> Result<()> {
    let span = dst_layout.validate()?;
    let sl = src.layout();
    if dst.len() < span
        || sl.pixel_bytes() != dst_layout.pixel_bytes()
        || !sl.same_shape(dst_layout)
    {
        return Err(err!(Internal, "staging buffer does not match the output"));
    }
    let row_bytes = sl.width * sl.pixel_bytes();
    for y in 0..sl.height {
        let d = y * dst_layout.row_stride;
        dst[d..d + row_bytes].copy_from_slice(&src.data[y * row_bytes..(y + 1) * row_bytes]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn round_unit_is_f32_round_on_the_quantiser_range() {
        // every quarter in [0, 65535.5] and its float neighbours: the ties, just below and
        // above them, and the ends of the u8 and u16 ranges
        let mut x = 0.0f32;
        while x <= 65535.5 {
            for v in [
                x,
                f32::from_bits(x.to_bits().saturating_sub(1)),
                f32::from_bits(x.to_bits() + 1),
            ] {
                if (0.0..65536.0).contains(&v) {
                    assert_eq!(round_unit(v), v.round() as u32, "{v:e}");
                }
            }
            x += 0.25;
        }
    }

    #[test]
    fn rejects_bad_layouts_before_reading() {
        let data = [0u8; 16];
        let bad = |l: Layout| ImageRef::new(&data, l).err().map(|e| e.kind());
        assert_eq!(
            bad(Layout::packed(0, 4, 3, SampleType::U8)),
            Some(ErrorKind::InvalidArgument)
        );
        assert_eq!(
            bad(Layout::packed(2, 2, 5, SampleType::U8)),
            Some(ErrorKind::InvalidArgument)
        );
        let mut l = Layout::packed(2, 2, 3, SampleType::U8);
        l.row_stride = 5;
        assert_eq!(bad(l), Some(ErrorKind::InvalidArgument));
        // a huge declared size with a small buffer
        let l = Layout::packed(100_000, 100_000, 4, SampleType::F32);
        assert!(bad(l).is_some());
        let mut l = Layout::packed(1, usize::MAX / 2, 1, SampleType::U8);
        l.row_stride = usize::MAX / 2;
        assert_eq!(bad(l), Some(ErrorKind::TooLarge));
        assert_eq!(
            bad(Layout::packed(1 << 25, 1, 1, SampleType::U8)),
            Some(ErrorKind::TooLarge)
        );
    }

    #[test]
    fn reads_all_sample_types_and_strides() {
        // 2x1 RGBA u16 with 4 bytes of row padding
        let mut data = vec![0u8; 20];
        for (i, v) in [65535u16, 0, 32768, 1000, 0, 65535, 0, 2000]
            .iter()
            .enumerate()
        {
            data[2 * i..2 * i + 2].copy_from_slice(&v.to_ne_bytes());
        }
        let mut l = Layout::packed(2, 1, 4, SampleType::U16);
        l.row_stride = 20;
        let img = ImageRef::new(&data, l).unwrap();
        assert_eq!(img.rgb(0, 0)[0], 1.0);
        assert!((img.rgb(0, 0)[2] - 0.5).abs() < 1e-4);
        assert_eq!(img.rgb(1, 0), [0.0, 1.0, 0.0]);
        let f: Vec<u8> = [0.25f32, 2.0, -1.0]
            .iter()
            .flat_map(|v| v.to_ne_bytes())
            .collect();
        let img = ImageRef::new(&f, Layout::packed(1, 1, 3, SampleType::F32)).unwrap();
        assert_eq!(img.rgb(0, 0), [0.25, 1.0, 0.0]);
    }

    #[test]
    fn nan_is_refused() {
        let f: Vec<u8> = [0.25f32, f32::NAN, 0.0]
            .iter()
            .flat_map(|v| v.to_ne_bytes())
            .collect();
        let img = ImageRef::new(&f, Layout::packed(1, 1, 3, SampleType::F32)).unwrap();
        assert_eq!(
            img.check_finite().unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
    }

    #[test]
    fn f16_samples_read_write_and_refuse_nan() {
        let h: Vec<u8> = [0.25f32, 2.0, -1.0]
            .iter()
            .flat_map(|v| f16::from_f32(*v).to_ne_bytes())
            .collect();
        let img = ImageRef::new(&h, Layout::packed(1, 1, 3, SampleType::F16)).unwrap();
        assert_eq!(img.rgb(0, 0), [0.25, 1.0, 0.0]);
        img.check_finite().unwrap();
        let mut out = ImageBuf::new(1, 1, 3, SampleType::F16).unwrap();
        store(SampleType::F16, &mut out.data, 0, 1.0 / 3.0);
        // round to nearest: 1/3 lies between 0x3555 and 0x3556, nearer the first
        assert_eq!(u16::from_ne_bytes([out.data[0], out.data[1]]), 0x3555);
        for bad in [f16::NAN, f16::INFINITY] {
            let b: Vec<u8> = [f16::ZERO, bad, f16::ONE]
                .iter()
                .flat_map(|v| v.to_ne_bytes())
                .collect();
            let img = ImageRef::new(&b, Layout::packed(1, 1, 3, SampleType::F16)).unwrap();
            let e = img.check_finite().unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            assert!(e.to_string().contains("f16"), "{e}");
        }
    }

    #[test]
    fn alpha_passes_through_exactly() {
        let src = [10u8, 20, 30, 77, 1, 2, 3, 255];
        let img = ImageRef::new(&src, Layout::packed(2, 1, 4, SampleType::U8)).unwrap();
        let mut out = ImageBuf::new(2, 1, 4, SampleType::U8).unwrap();
        out.write_row(0, 0, [&[0.0, 1.0], &[0.5, 1.0], &[1.0, 1.0]], &img);
        assert_eq!(out.as_bytes(), &[0, 128, 255, 77, 255, 255, 255, 255]);
        let mut strided = vec![9u8; 12];
        let mut dl = Layout::packed(2, 1, 4, SampleType::U8);
        dl.row_stride = 12;
        copy_to_strided(&out, &mut strided, &dl).unwrap();
        assert_eq!(&strided[8..], &[9, 9, 9, 9]);
    }
}
