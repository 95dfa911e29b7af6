//! Ticket codes as QR images: SVG for the app, PNG for email (mail clients do not show SVG).

use qrcode::{Color, QrCode};

/// Pixels per QR module in the PNG.
const SCALE: usize = 6;
/// Light modules around the code, as the QR standard asks.
const QUIET: usize = 4;

/// The code as an SVG document.
pub fn qr_svg(code: &str) -> Result<String, qrcode::types::QrError> {
    let qr = QrCode::new(code.as_bytes())?;
    Ok(qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build())
}

/// The code as a greyscale PNG.
pub fn qr_png(code: &str) -> Result<Vec<u8>, String> {
    let qr = QrCode::new(code.as_bytes()).map_err(|e| e.to_string())?;
    let modules = qr.width();
    let colors = qr.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET, i / modules + QUIET);
        for y in my * SCALE..(my + 1) * SCALE {
            pixels[y * side + mx * SCALE..y * side + (mx + 1) * SCALE].fill(0);
        }
    }
    let side = u32::try_from(side).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_is_a_png_of_the_expected_size() {
        let png = qr_png("ABCDE12345").expect("encodes");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().expect("decodes");
        let info = reader.info();
        assert_eq!(info.width, info.height);
        assert_eq!(info.width as usize % SCALE, 0);
        assert!(info.width as usize >= (21 + 2 * QUIET) * SCALE);
    }

    #[test]
    fn svg_is_an_svg() {
        assert!(qr_svg("ABCDE12345").expect("encodes").contains("<svg"));
    }
}
