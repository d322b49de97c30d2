//! What travels from an input file to its output besides the pixels, and where each format
//! keeps it. Reading is here (`read`); writing is in each output format's writer.

pub mod read;
pub mod resolution;
pub mod xmp;

pub use resolution::Resolution;

/// The namespace header that starts a JPEG APP1 segment holding XMP (the packet follows it).
pub const JPEG_XMP_SIGNATURE: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
/// The keyword of the PNG iTXt chunk holding XMP.
pub const PNG_XMP_KEYWORD: &str = "XML:com.adobe.xmp";
/// The TIFF tag holding XMP (XMLPacket, BYTE or UNDEFINED).
pub const TIFF_XMP_TAG: u16 = 700;
/// The TIFF tag holding the ICC profile (InterColorProfile, UNDEFINED).
pub const TIFF_ICC_TAG: u16 = 34675;

#[derive(Clone, Default)]
pub struct Metadata {
    pub icc: Option<Vec<u8>>,
    /// The EXIF block (TIFF header onwards), its orientation already reset to 1 when the
    /// pixels were turned upright.
    pub exif: Option<Vec<u8>>,
    /// The XMP packet (UTF-8 XML) as the input stored it.
    pub xmp: Option<Vec<u8>>,
    /// The print resolution (dpi or pixels per cm or metre), `None` when the input gave none or
    /// only said the pixels are square.
    pub resolution: Option<Resolution>,
}

impl Metadata {
    /// What `--strip-metadata` leaves: the EXIF (GPS, camera serials, names) and the XMP (the
    /// same and more: edit history, locations) go; the ICC profile and the resolution stay,
    /// since the colours and the print size depend on them and they say nothing about a person.
    pub fn strip(&mut self) {
        self.exif = None;
        self.xmp = None;
    }
}
