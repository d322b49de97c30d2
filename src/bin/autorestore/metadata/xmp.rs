//! The one XMP field the CLI changes: `tiff:Orientation`. The pixels are written upright, so an
//! XMP packet that still said "rotate 90°" would turn the result again in viewers that read the
//! XMP (Lightroom, darktable, digiKam). Everything else in the packet is copied byte for byte.
//!
//! A full XMP toolkit (Adobe's C++ SDK via `xmp_toolkit`) would be a large native dependency
//! for one field; the field has only the two serialisations RDF/XML allows for a simple value,
//! an attribute `tiff:Orientation="6"` or an element `<tiff:Orientation>6</tiff:Orientation>`.

const NAME: &[u8] = b"tiff:Orientation";

/// Sets every `tiff:Orientation` value in `packet` to 1; says whether it changed anything.
pub fn set_upright(packet: &mut Vec<u8>) -> bool {
    let mut changed = false;
    let mut at = 0;
    while let Some(i) = find(&packet[at..], NAME).map(|i| i + at) {
        at = i + NAME.len();
        // the element's closing tag `</tiff:Orientation>` names it too: not a value
        if i > 0 && packet[i - 1] == b'/' {
            continue;
        }
        let Some((start, end)) = value_span(packet, at) else {
            continue;
        };
        if &packet[start..end] != b"1" {
            packet.splice(start..end, *b"1");
            changed = true;
        }
        at = start + 1;
    }
    changed
}

/// The value's bytes after the name ending at `at`: `="6"` / `='6'` (attribute, spaces allowed
/// around `=`) or `>6<` (element).
fn value_span(p: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut i = at;
    let skip_space = |mut i: usize| {
        while p.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        i
    };
    i = skip_space(i);
    match *p.get(i)? {
        b'=' => {
            i = skip_space(i + 1);
            let quote = *p.get(i)?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let start = i + 1;
            let len = p.get(start..)?.iter().position(|&c| c == quote)?;
            Some((start, start + len))
        }
        b'>' => {
            let start = i + 1;
            let len = p.get(start..)?.iter().position(|&c| c == b'<')?;
            let (s, e) = trim(p, start, start + len);
            Some((s, e))
        }
        _ => None,
    }
}

fn trim(p: &[u8], mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && p[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && p[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    (s, e)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::set_upright;

    fn upright(s: &str) -> (String, bool) {
        let mut v = s.as_bytes().to_vec();
        let changed = set_upright(&mut v);
        (String::from_utf8(v).unwrap(), changed)
    }

    #[test]
    fn attribute_and_element_forms_become_1() {
        let (a, c) = upright(r#"<rdf:Description tiff:Orientation="6" tiff:Make="X"/>"#);
        assert_eq!(
            a,
            r#"<rdf:Description tiff:Orientation="1" tiff:Make="X"/>"#
        );
        assert!(c);
        let (a, c) = upright("<x tiff:Orientation = '8'/>");
        assert_eq!(a, "<x tiff:Orientation = '1'/>");
        assert!(c);
        let (a, c) = upright(
            "<tiff:Orientation> 6 </tiff:Orientation><tiff:Orientation>3</tiff:Orientation>",
        );
        assert_eq!(
            a,
            "<tiff:Orientation> 1 </tiff:Orientation><tiff:Orientation>1</tiff:Orientation>"
        );
        assert!(c);
    }

    #[test]
    fn packets_without_a_rotation_are_left_alone() {
        for s in [
            r#"<x tiff:Orientation="1"/>"#,
            r#"<x exif:PixelXDimension="6"/>"#,
            "<x tiff:Orientation",
            "",
        ] {
            let (a, c) = upright(s);
            assert_eq!(a, s);
            assert!(!c, "{s}");
        }
    }
}
