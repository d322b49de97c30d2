//! Turning a C image descriptor into a checked layout and byte slices.

use super::{check_null, enum_field, field, AutorestoreImage};
use crate::error::{err, Result};
use crate::image::{Layout, SampleType};

/// A descriptor read out of caller memory and validated (data non-null, sizes sane).
pub(crate) struct CImage {
    pub layout: Layout,
    pub data: *mut u8,
    /// Bytes the image spans from `data`.
    pub span: usize,
}

pub(crate) fn sample_type(raw: u32) -> Result<SampleType> {
    match raw {
        0 => Ok(SampleType::U8),
        1 => Ok(SampleType::U16),
        2 => Ok(SampleType::F32),
        3 => Ok(SampleType::F16),
        _ => Err(err!(
            InvalidArgument,
            "sample type {raw} is not U8 (0), U16 (1), F32 (2) or F16 (3)"
        )),
    }
}

/// Reads and validates `*img` (`what` names it in messages: "input", "output").
///
/// # Safety
/// `img` must be null or point to a readable `AutorestoreImage`.
pub(crate) unsafe fn read(img: *const AutorestoreImage, what: &str) -> Result<CImage> {
    check_null!(img);
    // SAFETY: `img` is non-null and, by this function's contract, points to a readable
    // descriptor. Each field is read by value through the raw pointer, the C enum as its integer
    // (C may store any int there), so no reference to caller memory outlives this block.
    let (data, width, height, channels, sample, row_stride) = unsafe {
        let data: *mut std::ffi::c_void = field!(img, data);
        (
            data,
            field!(img, width),
            field!(img, height),
            field!(img, channels),
            enum_field!(img, sample_type),
            field!(img, row_stride),
        )
    };
    if data.is_null() {
        return Err(err!(NullArgument, "{what} image data is NULL"));
    }
    let layout = Layout {
        width: width as usize,
        height: height as usize,
        channels: channels as usize,
        sample: sample_type(sample)?,
        row_stride,
    };
    let span = layout
        .validate()
        .map_err(|e| e.context(format!("{what} image")))?;
    Ok(CImage {
        layout,
        data: data.cast(),
        span,
    })
}

impl CImage {
    /// The caller's bytes, read-only.
    ///
    /// # Safety
    /// The caller promised `span` readable bytes at `data` for the duration of the call.
    pub unsafe fn bytes<'a>(&self) -> &'a [u8] {
        // SAFETY: `data` is non-null (checked by `read`) and the caller promises `span` readable
        // bytes there; `span` was computed by `Layout::validate`, so it fits in an isize.
        unsafe { std::slice::from_raw_parts(self.data, self.span) }
    }
    /// The caller's bytes, writable. Only create this after the last read of any image that
    /// may share the memory (in-place restore).
    ///
    /// # Safety
    /// As [`CImage::bytes`], and writable.
    pub unsafe fn bytes_mut<'a>(&self) -> &'a mut [u8] {
        // SAFETY: as in `bytes`, and the caller promises the bytes are writable and that no
        // other slice of them is alive.
        unsafe { std::slice::from_raw_parts_mut(self.data, self.span) }
    }
}
