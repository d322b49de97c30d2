//! A restore session of one image and step on the CPU: the image's gates and condition and the
//! step's time `t` are constants of its graph (`constant_inputs`), and its tiles' height and
//! width are fixed.
//!
//! Why: in the shared graph the experts' weights are mixed at run time, and ONNX Runtime blocks
//! (NCHWc) only convolutions whose weights are initializers; with symbolic tile sizes it also
//! cannot prove two tensors the same shape, so it reorders around every Mul between blocked
//! convolutions. With the inputs constant it folds the mixing into constant weights, and with
//! the sizes fixed it keeps the attention and FFN in the blocked layout: 0.77x the time per
//! 1024 px tile on 2 threads, the same output within 2.4e-7 (docs/PERFORMANCE.md). Creating the
//! session costs about 0.1 s per image and step, so small images keep the shared session.

use ort::session::Session;

use super::constant_inputs::{with_constant_inputs, Constant};
use super::Engine;
use crate::error::Result;
use crate::provider::Device;

/// When a restore runs on a session of its own image and step instead of the engine's shared one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ImageSessions {
    /// On the CPU, for images of at least [`IMAGE_SESSION_MIN_PIXELS`].
    #[default]
    Auto,
    /// On the CPU, for every image (tests compare both paths).
    Always,
    /// Never: every restore on the shared session.
    Never,
}

/// Smallest image for which [`ImageSessions::Auto`] creates an image session: where the tiles'
/// saved time (about a quarter of ~0.3 s per megapixel on 2 threads) outweighs the session's
/// creation and its first run's page-ins (~0.15-0.25 s); below it, the shared session.
/// `cargo run --release --example bench -- --image-sessions` measures both paths by size: with
/// huge pages (the CLI) they break even near 1 MP, without them near 2 MP (docs/PERFORMANCE.md).
pub const IMAGE_SESSION_MIN_PIXELS: usize = 2_000_000;

/// The tile's symbolic height and width in the restore graph's `y` input, to fix per image
/// (`None` where the graph gives them no names).
pub(super) fn tile_dim_names(s: &Session) -> Option<[String; 2]> {
    let y = s.inputs().iter().find(|i| i.name() == "y")?;
    match y.dtype() {
        ort::value::ValueType::Tensor {
            dimension_symbols, ..
        } if dimension_symbols.len() == 4 => {
            let (h, w) = (&dimension_symbols[2], &dimension_symbols[3]);
            (!h.is_empty() && !w.is_empty()).then(|| [h.clone(), w.clone()])
        }
        _ => None,
    }
}

impl Engine {
    /// Whether the tiles of an image of `pixels` run on image sessions.
    pub(super) fn uses_image_sessions(&self, pixels: usize) -> bool {
        self.device == Device::Cpu
            && match self.image_sessions {
                ImageSessions::Auto => pixels >= IMAGE_SESSION_MIN_PIXELS,
                ImageSessions::Always => true,
                ImageSessions::Never => false,
            }
    }

    /// A session of the restore graph for one image (`gates`, `cond`) and step (`t`), for
    /// tiles of `width` x `height`.
    pub(super) fn image_session(
        &self,
        gates: &[f32],
        cond: &[f32],
        t: f32,
        width: usize,
        height: usize,
    ) -> Result<Session> {
        let bytes = with_constant_inputs(
            self.restore.bytes(),
            &[
                Constant {
                    name: "gates",
                    dims: &[1, gates.len()],
                    values: gates,
                },
                Constant {
                    name: "cond",
                    dims: &[1, cond.len()],
                    values: cond,
                },
                Constant {
                    name: "t",
                    dims: &[1],
                    values: &[t],
                },
            ],
        )?;
        let dims: Vec<(&str, i64)> = match &self.tile_dims {
            Some([h, w]) => vec![(h.as_str(), height as i64), (w.as_str(), width as i64)],
            None => Vec::new(),
        };
        self.restore.create_from(&bytes, &dims)
    }
}
