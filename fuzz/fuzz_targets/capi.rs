//! Fuzzes the C ABI the way a careless host would call it: arbitrary image descriptors
//! (sizes, strides, channel counts, raw enum values), separate or in-place output, arbitrary
//! restore parameters (modes, strengths, steps, mix, a caller-made analysis, a progress
//! callback that cancels), option structs and name look-ups.
//!
//! The harness hands the library exactly as many bytes as a descriptor spans (so AddressSanitizer
//! catches any read or write outside them), and a descriptor whose span cannot be allocated only
//! when the library must refuse it before touching memory (empty, bad channels or sample type,
//! stride too small, or over the engine's pixel cap). Properties checked on every call:
//! - no panic reaches the caller (`AUTORESTORE_ERR_INTERNAL` is a failure here);
//! - every failure leaves a message and leaves the output buffer byte-for-byte untouched;
//! - a success leaves the bytes between rows untouched.
//!
//! Inference stays cheap: the shared engine caps images at 4096 pixels, tiles are 64 px and
//! steps are at most 2 unless the value is over the limit (then it is refused at once).

#![no_main]

use std::ffi::{c_void, CString};
use std::sync::OnceLock;

use autorestore::ffi::analysis::autorestore_analyze;
use autorestore::ffi::engine::{
    autorestore_device_from_name, autorestore_device_name, autorestore_engine_create,
    autorestore_engine_degradation_count, autorestore_engine_degradation_name,
    autorestore_engine_destroy, autorestore_engine_options_init, AutorestoreEngine,
};
use autorestore::ffi::error::{autorestore_last_error, autorestore_status_name};
use autorestore::ffi::restore::{
    autorestore_mode_from_name, autorestore_restore, autorestore_restore_params_init,
};
use autorestore::ffi::{
    AutorestoreAnalysis, AutorestoreDevice, AutorestoreEngineOptions, AutorestoreImage,
    AutorestoreMode, AutorestoreRestoreParams, AutorestoreSampleType, AutorestoreStatus,
};
use libfuzzer_sys::fuzz_target;

/// Pixel cap of the shared engine: bigger descriptors must be refused before any read.
const CAP: u64 = 4096;
/// Largest buffer the harness allocates for one image.
const MAX_ALLOC: u128 = 1 << 20;

struct Engine(*mut AutorestoreEngine);
// SAFETY: the engine is documented thread-safe; the pointer is only used through the C API.
unsafe impl Send for Engine {}
unsafe impl Sync for Engine {}

fn engine() -> *mut AutorestoreEngine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| unsafe {
        let mut o = std::mem::MaybeUninit::<AutorestoreEngineOptions>::uninit();
        autorestore_engine_options_init(o.as_mut_ptr());
        let mut o = o.assume_init();
        o.device = AutorestoreDevice::AUTORESTORE_DEVICE_CPU;
        o.threads = 1;
        // the smallest tile the model accepts, so images of a few hundred pixels tile
        o.tile_size = 264;
        o.max_pixels = CAP;
        o.max_sessions = 1;
        let mut e = std::ptr::null_mut();
        let s = autorestore_engine_create(&o, &mut e);
        assert_eq!(s, AutorestoreStatus::AUTORESTORE_OK, "{}", last_error());
        Engine(e)
    })
    .0
}

fn last_error() -> String {
    unsafe { std::ffi::CStr::from_ptr(autorestore_last_error()) }
        .to_string_lossy()
        .into_owned()
}

/// Reads the fuzz input front to back; past the end everything is zero.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut b = [0u8; N];
        let n = N.min(self.0.len());
        b[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        b
    }
    fn u8(&mut self) -> u8 {
        self.bytes::<1>()[0]
    }
    fn bool(&mut self) -> bool {
        self.u8() & 1 == 1
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.bytes())
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.bytes())
    }
    /// Mostly small values, sometimes anything.
    fn small_or_any(&mut self, small: u32) -> u32 {
        let v = self.u32();
        if self.u8() < 224 {
            v % small
        } else {
            v
        }
    }
    fn f32(&mut self) -> f32 {
        if self.bool() {
            f32::from_bits(self.u32())
        } else {
            self.u8() as f32 / 200.0
        }
    }
    fn cstring(&mut self) -> CString {
        let n = (self.u8() % 24) as usize;
        let mut s: Vec<u8> = (0..n).map(|_| self.u8()).collect();
        s.retain(|&b| b != 0);
        CString::new(s).unwrap()
    }
}

/// A descriptor as the harness sees it, with what it spans (`None`: the library must refuse it
/// before touching memory).
#[derive(Clone, Copy)]
struct Desc {
    width: u32,
    height: u32,
    channels: u32,
    sample: u32,
    stride: usize,
}

impl Desc {
    fn sample_size(&self) -> Option<u128> {
        match self.sample {
            0 => Some(1),
            1 => Some(2),
            2 => Some(4),
            3 => Some(2), // f16
            _ => None,
        }
    }
    fn row_bytes(&self) -> Option<u128> {
        Some(self.width as u128 * self.channels as u128 * self.sample_size()?)
    }
    /// Bytes the image spans when the descriptor is acceptable.
    fn span(&self) -> Option<u128> {
        let row = self.row_bytes()?;
        if self.width == 0 || self.height == 0 || !(1..=4).contains(&self.channels) {
            return None;
        }
        if (self.stride as u128) < row {
            return None;
        }
        Some(self.stride as u128 * (self.height as u128 - 1) + row)
    }
    fn pixels(&self) -> u64 {
        self.width as u64 * self.height as u64
    }
    /// Whether the library must refuse it without reading a byte.
    fn refused_up_front(&self) -> bool {
        self.span().is_none() || self.pixels() > CAP
    }
    fn read(inp: &mut Input<'_>) -> Desc {
        let width = inp.small_or_any(70);
        let height = inp.small_or_any(70);
        let channels = inp.small_or_any(6);
        let sample = inp.small_or_any(5);
        let mut d = Desc {
            width,
            height,
            channels,
            sample,
            stride: 0,
        };
        let row = d.row_bytes().unwrap_or(width as u128 * 4);
        d.stride = match inp.u8() % 8 {
            0 => inp.u64() as usize,
            1 => (row as usize).saturating_sub(1 + inp.u8() as usize % 4),
            2..=4 => row as usize,
            _ => (row as usize).saturating_add(inp.u8() as usize % 17),
        };
        d
    }
    fn c(&self, data: *mut u8) -> AutorestoreImage {
        let mut img = AutorestoreImage {
            data: data.cast::<c_void>(),
            width: self.width,
            height: self.height,
            row_stride: self.stride,
            sample_type: AutorestoreSampleType::AUTORESTORE_SAMPLE_U8,
            channels: self.channels,
        };
        // C may store any integer in an enum field
        unsafe {
            std::ptr::addr_of_mut!(img.sample_type)
                .cast::<u32>()
                .write(self.sample)
        };
        img
    }
}

/// Memory for a descriptor: exactly its span, or a token buffer when it must be refused.
fn buffer_for(d: &Desc, fill: &[u8]) -> Option<Vec<u8>> {
    let n = match d.span() {
        Some(span) if span <= MAX_ALLOC => span as usize,
        _ if d.refused_up_front() => 8,
        _ => return None,
    };
    let mut v = Vec::with_capacity(n);
    v.extend((0..n).map(|i| {
        if fill.is_empty() {
            (i * 37) as u8
        } else {
            fill[i % fill.len()]
        }
    }));
    v.shrink_to_fit();
    Some(v)
}

struct Cancel {
    after: u32,
    calls: u32,
}

unsafe extern "C" fn progress(fraction: f32, user: *mut c_void) -> bool {
    assert!((0.0..=1.0).contains(&fraction), "progress {fraction}");
    let c = &mut *(user as *mut Cancel);
    c.calls += 1;
    c.calls <= c.after
}

fn check_status(s: AutorestoreStatus, what: &str) {
    assert_ne!(
        s,
        AutorestoreStatus::AUTORESTORE_ERR_INTERNAL,
        "{what}: internal error: {}",
        last_error()
    );
    if s != AutorestoreStatus::AUTORESTORE_OK {
        assert!(
            !last_error().is_empty(),
            "{what}: failure without a message"
        );
    }
}

fn names_and_options(inp: &mut Input<'_>) {
    unsafe {
        let e = engine();
        let s = inp.cstring();
        let mut mode = AutorestoreMode::AUTORESTORE_MODE_AUTO;
        check_status(autorestore_mode_from_name(s.as_ptr(), &mut mode), "mode");
        let mut dev = AutorestoreDevice::AUTORESTORE_DEVICE_AUTO;
        check_status(autorestore_device_from_name(s.as_ptr(), &mut dev), "device");
        let v = inp.u32();
        assert!(!autorestore_status_name(v).is_null());
        assert!(!autorestore_device_name(v).is_null());
        let n = autorestore_engine_degradation_count(e);
        let name = autorestore_engine_degradation_name(e, v);
        assert_eq!(name.is_null(), v >= n);

        // An option struct full of caller bytes. The model directory is always a fuzzed,
        // non-empty name, so no real engine gets built in the loop (that takes ~0.2 s).
        let mut o = std::mem::MaybeUninit::<AutorestoreEngineOptions>::uninit();
        autorestore_engine_options_init(o.as_mut_ptr());
        let mut o = o.assume_init();
        let dir = CString::new(format!("fuzz-no-model/{}", s.to_string_lossy())).unwrap();
        o.model_dir = dir.as_ptr();
        std::ptr::addr_of_mut!(o.device)
            .cast::<u32>()
            .write(inp.small_or_any(5));
        o.threads = inp.u32();
        o.tile_size = inp.u32();
        o.tile_overlap = inp.u32();
        o.max_pixels = inp.u64();
        o.max_sessions = inp.u32();
        let mut out = std::ptr::NonNull::<AutorestoreEngine>::dangling().as_ptr();
        let st = autorestore_engine_create(&o, &mut out);
        check_status(st, "engine_create");
        assert_ne!(st, AutorestoreStatus::AUTORESTORE_OK);
        assert!(out.is_null(), "engine pointer not NULL after a failure");
        autorestore_engine_destroy(std::ptr::null_mut());
    }
}

fn images(inp: &mut Input<'_>) {
    let e = engine();
    let din = Desc::read(inp);
    let in_place = inp.u8().is_multiple_of(4);
    let dout = if in_place {
        din
    } else if inp.u8().is_multiple_of(8) {
        Desc::read(inp)
    } else {
        // same shape, its own sample type and stride
        let mut d = din;
        d.sample = inp.small_or_any(4);
        let row = d.row_bytes().unwrap_or(0) as usize;
        d.stride = row.saturating_add(inp.u8() as usize % 9);
        d
    };
    let do_analyze = inp.bool();
    let with_params = !inp.u8().is_multiple_of(8);
    let mix: [f32; 8] = std::array::from_fn(|_| inp.f32());
    let mode = inp.small_or_any(8);
    let strength = inp.f32();
    let steps = match inp.u32() {
        s if s > 1000 => s,
        s => s % 3,
    };
    let seed = inp.u64();
    let analysis_kind = inp.u8() % 4;
    let fake = AutorestoreAnalysis {
        degradation_count: inp.small_or_any(10),
        scores: std::array::from_fn(|_| inp.f32()),
        gate_count: inp.small_or_any(70),
        gates: std::array::from_fn(|_| inp.f32()),
        amount: inp.f32(),
        cond_count: inp.small_or_any(140),
        cond: std::array::from_fn(|_| inp.f32()),
    };
    let cancel_after = if inp.bool() {
        Some(inp.u8() as u32 % 4)
    } else {
        None
    };
    let fill = inp.0;

    let Some(mut ibuf) = buffer_for(&din, fill) else {
        return;
    };
    let mut obuf = if in_place {
        Vec::new()
    } else {
        match buffer_for(&dout, &[0x5a]) {
            Some(b) => b,
            None if din.refused_up_front() => vec![0u8; 8],
            None => return,
        }
    };
    let cin = din.c(ibuf.as_mut_ptr());
    let cout = if in_place {
        cin.clone_desc()
    } else {
        dout.c(obuf.as_mut_ptr())
    };
    let before_in = ibuf.clone();
    let before_out = obuf.clone();

    unsafe {
        let mut found = std::mem::zeroed::<AutorestoreAnalysis>();
        let mut have_real = false;
        if do_analyze {
            let s = autorestore_analyze(e, &cin, &mut found);
            check_status(s, "analyze");
            assert_eq!(ibuf, before_in, "analyze wrote to its input");
            have_real = s == AutorestoreStatus::AUTORESTORE_OK;
            if have_real {
                let sum: f32 = found.gates[..found.gate_count as usize].iter().sum();
                assert!((sum - 1.0).abs() < 1e-3, "gates sum to {sum}");
                assert!((0.0..=1.0).contains(&found.amount), "amount {}", found.amount);
                assert!(found.cond_count as usize <= found.cond.len());
            }
        }
        let mut params = std::mem::MaybeUninit::<AutorestoreRestoreParams>::uninit();
        autorestore_restore_params_init(params.as_mut_ptr());
        let mut params = params.assume_init();
        let mut cancel = Cancel {
            after: cancel_after.unwrap_or(u32::MAX),
            calls: 0,
        };
        std::ptr::addr_of_mut!(params.mode)
            .cast::<u32>()
            .write(mode);
        params.strength = strength;
        params.steps = steps;
        params.seed = seed;
        params.mix = mix;
        params.analysis = match analysis_kind {
            1 if have_real => &found,
            2 => &fake,
            _ => std::ptr::null(),
        };
        if cancel_after.is_some() {
            params.progress = Some(progress);
            params.progress_user_data = (&mut cancel as *mut Cancel).cast();
        }
        let p: *const AutorestoreRestoreParams = if with_params {
            &params
        } else {
            std::ptr::null()
        };
        let s = autorestore_restore(e, &cin, &cout, p);
        check_status(s, "restore");
        if s == AutorestoreStatus::AUTORESTORE_OK {
            assert!(
                !din.refused_up_front(),
                "accepted a descriptor it must refuse"
            );
            if cancel_after.is_some() {
                assert!(cancel.calls <= cancel.after, "ran on after a cancel");
            }
            if !in_place {
                assert_eq!(ibuf, before_in, "restore wrote to its input");
                // stride padding of the output is never written
                let row = dout.row_bytes().unwrap() as usize;
                for y in 0..dout.height as usize {
                    let a = y * dout.stride + row;
                    let b = ((y + 1) * dout.stride).min(obuf.len());
                    if a < b {
                        assert_eq!(obuf[a..b], before_out[a..b], "padding of row {y} written");
                    }
                }
            }
        } else {
            // failure or cancellation: nothing of the caller's changed
            assert_eq!(ibuf, before_in, "failed restore changed the input");
            assert_eq!(obuf, before_out, "failed restore changed the output");
            if s == AutorestoreStatus::AUTORESTORE_ERR_CANCELLED {
                assert!(cancel_after.is_some());
            }
        }
    }
}

trait CloneDesc {
    fn clone_desc(&self) -> Self;
}
impl CloneDesc for AutorestoreImage {
    fn clone_desc(&self) -> Self {
        // SAFETY: plain old data
        unsafe { std::ptr::read(self) }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut inp = Input(data);
    match inp.u8() % 16 {
        0 => names_and_options(&mut inp),
        _ => images(&mut inp),
    }
});
