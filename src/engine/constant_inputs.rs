//! The restore graph with some of its inputs made constants: an edit of the ONNX protobuf that
//! drops those graph inputs and adds initializers holding their values, the rest copied byte for
//! byte. A session of that graph (src/engine/image_session.rs) lets ONNX Runtime fold the expert
//! mixing into constant weights and block every convolution.
//!
//! Written against the protobuf wire format, not a generated ONNX crate: the edit touches four
//! fields (`ModelProto.graph`, `GraphProto.input` and `.initializer`, `ValueInfoProto.name`) and
//! writes one message type (`TensorProto`), and every other byte passes through unparsed.

use crate::error::{err, Result};

// Field numbers of onnx.proto (stable since IR version 1).
const MODEL_GRAPH: u64 = 7;
const GRAPH_INITIALIZER: u64 = 5;
const GRAPH_INPUT: u64 = 11;
const VALUE_INFO_NAME: u64 = 1;
const TENSOR_DIMS: u64 = 1;
const TENSOR_DATA_TYPE: u64 = 2;
const TENSOR_NAME: u64 = 8;
const TENSOR_RAW_DATA: u64 = 9;
/// `TensorProto.DataType.FLOAT`.
const FLOAT: u64 = 1;

// Wire types.
const VARINT: u8 = 0;
const FIXED64: u8 = 1;
const LEN: u8 = 2;
const FIXED32: u8 = 5;

/// A graph input to replace by a constant tensor of `dims` holding `values` (row-major).
pub(crate) struct Constant<'a> {
    pub name: &'a str,
    pub dims: &'a [usize],
    pub values: &'a [f32],
}

/// One field of a protobuf message: its number, wire type, all its bytes (key included) and
/// its payload (the bytes after a length prefix, for `LEN`).
struct Field<'a> {
    number: u64,
    wire: u8,
    whole: &'a [u8],
    payload: &'a [u8],
}

fn malformed(what: &str) -> crate::error::Error {
    err!(
        Model,
        "the restore graph is not a well-formed ONNX file ({what})"
    )
}

fn read_varint(buf: &[u8], pos: &mut usize) -> Result<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *buf.get(*pos).ok_or_else(|| malformed("truncated varint"))?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(malformed("varint over 64 bits"))
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_len_field(out: &mut Vec<u8>, number: u64, payload: &[u8]) {
    put_varint(out, number << 3 | u64::from(LEN));
    put_varint(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

/// The fields of one message, in order.
fn fields(buf: &[u8]) -> Result<Vec<Field<'_>>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let start = pos;
        let key = read_varint(buf, &mut pos)?;
        let (number, wire) = (key >> 3, (key & 7) as u8);
        let payload_start;
        match wire {
            VARINT => {
                payload_start = pos;
                read_varint(buf, &mut pos)?;
            }
            FIXED64 | FIXED32 => {
                payload_start = pos;
                pos += if wire == FIXED64 { 8 } else { 4 };
            }
            LEN => {
                let n = read_varint(buf, &mut pos)?;
                payload_start = pos;
                pos = usize::try_from(n)
                    .ok()
                    .and_then(|n| pos.checked_add(n))
                    .ok_or_else(|| malformed("length out of range"))?;
            }
            _ => return Err(malformed("unsupported wire type")),
        }
        if pos > buf.len() {
            return Err(malformed("truncated field"));
        }
        out.push(Field {
            number,
            wire,
            whole: &buf[start..pos],
            payload: &buf[payload_start..pos],
        });
    }
    Ok(out)
}

/// `ValueInfoProto.name` of a graph input.
fn value_info_name(info: &[u8]) -> Result<&str> {
    let f = fields(info)?
        .into_iter()
        .find(|f| f.number == VALUE_INFO_NAME && f.wire == LEN)
        .ok_or_else(|| malformed("a graph input without a name"))?;
    std::str::from_utf8(f.payload).map_err(|_| malformed("an input name that is not UTF-8"))
}

/// A `TensorProto` of `c` (float, raw little-endian data).
fn tensor(c: &Constant<'_>) -> Vec<u8> {
    let mut t = Vec::with_capacity(32 + c.name.len() + 4 * c.values.len());
    for &d in c.dims {
        put_varint(&mut t, TENSOR_DIMS << 3 | u64::from(VARINT));
        put_varint(&mut t, d as u64);
    }
    put_varint(&mut t, TENSOR_DATA_TYPE << 3 | u64::from(VARINT));
    put_varint(&mut t, FLOAT);
    put_len_field(&mut t, TENSOR_NAME, c.name.as_bytes());
    let raw: Vec<u8> = c.values.iter().flat_map(|v| v.to_le_bytes()).collect();
    put_len_field(&mut t, TENSOR_RAW_DATA, &raw);
    t
}

fn edit_graph(graph: &[u8], consts: &[Constant<'_>]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(graph.len() + 1024);
    let mut found = vec![false; consts.len()];
    for f in fields(graph)? {
        if f.number == GRAPH_INPUT && f.wire == LEN {
            let name = value_info_name(f.payload)?;
            if let Some(i) = consts.iter().position(|c| c.name == name) {
                found[i] = true;
                continue;
            }
        }
        out.extend_from_slice(f.whole);
    }
    if let Some(i) = found.iter().position(|&f| !f) {
        return Err(err!(
            Model,
            "the restore graph has no input {:?} to make constant",
            consts[i].name
        ));
    }
    for c in consts {
        put_len_field(&mut out, GRAPH_INITIALIZER, &tensor(c));
    }
    Ok(out)
}

/// `model` (an ONNX `ModelProto`) with each of `consts` turned from a graph input into an
/// initializer. Fails on a malformed file, an input it does not have, or values that do not
/// fill their dims; never panics on any bytes.
pub(crate) fn with_constant_inputs(model: &[u8], consts: &[Constant<'_>]) -> Result<Vec<u8>> {
    for c in consts {
        if c.dims.iter().product::<usize>() != c.values.len() {
            return Err(err!(
                Internal,
                "constant {:?}: {} values for dims {:?}",
                c.name,
                c.values.len(),
                c.dims
            ));
        }
    }
    let mut out = Vec::with_capacity(model.len() + 1024);
    let mut graphs = 0;
    for f in fields(model)? {
        if f.number == MODEL_GRAPH && f.wire == LEN {
            graphs += 1;
            put_len_field(&mut out, MODEL_GRAPH, &edit_graph(f.payload, consts)?);
        } else {
            out.extend_from_slice(f.whole);
        }
    }
    if graphs != 1 {
        return Err(malformed("not exactly one graph"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/models/shipped/restore.onnx"
        ))
        .unwrap()
    }

    #[test]
    fn varints_round_trip() {
        for v in [0, 1, 127, 128, 300, 1 << 35, u64::MAX] {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            let mut pos = 0;
            assert_eq!(read_varint(&b, &mut pos).unwrap(), v);
            assert_eq!(pos, b.len());
        }
    }

    #[test]
    fn unknown_inputs_and_wrong_sizes_are_errors() {
        let m = shipped();
        let c = |name, dims, values| Constant { name, dims, values };
        let e = with_constant_inputs(&m, &[c("nope", &[1], &[0.0])]).unwrap_err();
        assert!(e.message().contains("no input \"nope\""), "{e}");
        assert!(with_constant_inputs(&m, &[c("t", &[2], &[0.0])]).is_err());
    }

    #[test]
    fn damaged_bytes_are_errors_not_panics() {
        let m = shipped();
        let c = [Constant {
            name: "t",
            dims: &[1],
            values: &[1.0],
        }];
        // every cut of the first kilobytes and a few flipped key bytes
        for n in (0..2048).step_by(7) {
            let _ = with_constant_inputs(&m[..n], &c);
        }
        for i in [0usize, 1, 2, 5, 9, 40, 100] {
            let mut d = m.clone();
            d[i] ^= 0xff;
            let _ = with_constant_inputs(&d, &c);
        }
        assert!(with_constant_inputs(&[0x0f], &c).is_err());
        assert!(with_constant_inputs(&[], &c).is_err());
    }
}
