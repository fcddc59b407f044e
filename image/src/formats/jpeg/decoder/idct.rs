//! Dequantisation and the inverse DCT at any output size of 1, 2, 4, 8 or
//! 16 pixels per side of an 8×8 block.
//!
//! A block's n-point inverse DCT from its n lowest frequencies,
//! `f(x) = ½ Σ_{u<n} C(u) F(u) cos((2x+1)uπ/2n)`, is the block shrunk n/8
//! times (the "DCT scaling" of libjpeg, what vipsthumbnail calls
//! shrink-on-load): decoding at 1/8 scale reads only the DC coefficient.
//! With n = 16 it is the block enlarged twice, which is how subsampled
//! chroma is brought up to the luma resolution here: the DCT's own
//! interpolation, phase-correct for JFIF's centred chroma, and without a
//! separate upsampling pass.
//!
//! Separable and in f32, vectorised over 8 (or 16) lanes by the compiler
//! (SSE2 natively, SIMD128 on wasm32). Rows and columns of coefficients that
//! are all zero are skipped, which is most of them in a photo.

/// Natural (row-major) position of each zigzag index.
pub(super) const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// For each zigzag index k: 1 + the largest row and column among zigzag
/// positions 0..=k (how many coefficient rows/columns can be non-zero when
/// the last non-zero coefficient is at k).
const fn extents() -> [(u8, u8); 64] {
    let mut out = [(0u8, 0u8); 64];
    let (mut rows, mut cols) = (0u8, 0u8);
    let mut k = 0;
    while k < 64 {
        let r = (ZIGZAG[k] / 8) as u8 + 1;
        let c = (ZIGZAG[k] % 8) as u8 + 1;
        if r > rows {
            rows = r;
        }
        if c > cols {
            cols = c;
        }
        out[k] = (rows, cols);
        k += 1;
    }
    out
}
const EXTENTS: [(u8, u8); 64] = extents();

/// How many coefficient rows can be non-zero when the last non-zero
/// coefficient is at zigzag index `last`.
#[inline(always)]
pub(super) fn rows_used(last: usize) -> usize {
    usize::from(EXTENTS[last.min(63)].0)
}

/// How many leading zigzag coefficients cover every position with row < rows
/// and column < cols: what a decoder must keep for an inverse DCT that uses
/// only those.
pub(super) fn zigzag_needed(rows: usize, cols: usize) -> usize {
    (0..64)
        .filter(|&k| ZIGZAG[k] / 8 < rows && ZIGZAG[k] % 8 < cols)
        .max()
        .map_or(1, |k| k + 1)
}

/// The basis of the n-point inverse DCT for n in 1, 2, 4, 8, 16: for each
/// frequency u < min(n, 8), the n output weights (padded to 16 lanes).
#[derive(Clone)]
pub(super) struct Basis {
    pub n: usize,
    /// `weights[u][x] = ½ C(u) cos((2x+1)uπ / 2n)`.
    pub weights: [[f32; 16]; 8],
}

impl Basis {
    pub fn new(n: usize) -> Self {
        let mut weights = [[0f32; 16]; 8];
        for (u, row) in weights.iter_mut().enumerate().take(n.min(8)) {
            let c = if u == 0 {
                std::f64::consts::FRAC_1_SQRT_2
            } else {
                1.0
            };
            for (x, w) in row.iter_mut().enumerate().take(n) {
                let angle = (2 * x + 1) as f64 * u as f64 * std::f64::consts::PI / (2 * n) as f64;
                *w = (0.5 * c * angle.cos()) as f32;
            }
        }
        Self { n, weights }
    }
}

/// The inverse DCT of one block into `out` (row stride `stride`), with the
/// +128 level shift, as f32 (rounded and clamped when converted to pixels).
///
/// `coefs` is in natural order; `quant` too; `last` is the zigzag index of
/// the last non-zero coefficient (0 for a DC-only block).
pub(super) fn idct(
    coefs: &[i16; 64],
    quant: &[f32; 64],
    last: usize,
    horizontal: &Basis,
    vertical: &Basis,
    out: &mut [f32],
    stride: usize,
) {
    let (ow, oh) = (horizontal.n, vertical.n);
    if last == 0 || (ow == 1 && oh == 1) {
        // Flat block, or a 1/8-scale one: DC/8 is the mean
        // (C(0)² · ¼ · 64 / 64 = 1/8).
        let value = f32::from(coefs[0]) * quant[0] * 0.125 + 128.0;
        for row in out.chunks_mut(stride).take(oh) {
            row[..ow].fill(value);
        }
        return;
    }
    let (rows, cols) = EXTENTS[last.min(63)];
    let rows = usize::from(rows).min(oh).min(8);
    let cols = usize::from(cols).min(ow).min(8);
    if ow <= 4 && oh <= 4 {
        return small(coefs, quant, rows, cols, horizontal, vertical, out, stride);
    }

    // Dequantised coefficients of the used rows, 8 lanes each.
    let mut f = [[0f32; 8]; 8];
    for (v, frow) in f.iter_mut().enumerate().take(rows) {
        for u in 0..8 {
            frow[u] = f32::from(coefs[v * 8 + u]) * quant[v * 8 + u];
        }
    }

    // Vertical pass: tmp[y][u] = Σ_v W_v(y) F[v][u].
    let mut tmp = [[0f32; 8]; 16];
    for (y, trow) in tmp.iter_mut().enumerate().take(oh) {
        let mut acc = [0f32; 8];
        for (v, frow) in f.iter().enumerate().take(rows) {
            let w = vertical.weights[v][y];
            for u in 0..8 {
                acc[u] += w * frow[u];
            }
        }
        *trow = acc;
    }

    // Horizontal pass: out[y][x] = Σ_u tmp[y][u] W_u(x) + 128.
    if ow > 8 {
        for (y, orow) in out.chunks_mut(stride).take(oh).enumerate() {
            let mut acc = [128f32; 16];
            for (&t, w) in tmp[y][..cols].iter().zip(&horizontal.weights) {
                for x in 0..16 {
                    acc[x] += t * w[x];
                }
            }
            orow[..16].copy_from_slice(&acc);
        }
    } else {
        for (y, orow) in out.chunks_mut(stride).take(oh).enumerate() {
            let mut acc = [128f32; 8];
            for (&t, w) in tmp[y][..cols].iter().zip(&horizontal.weights) {
                for x in 0..8 {
                    acc[x] += t * w[x];
                }
            }
            orow[..ow].copy_from_slice(&acc[..ow]);
        }
    }
}

/// Outputs of at most 4×4 (1/2 scale and below): few enough products to
/// compute directly.
#[allow(clippy::too_many_arguments)]
fn small(
    coefs: &[i16; 64],
    quant: &[f32; 64],
    rows: usize,
    cols: usize,
    horizontal: &Basis,
    vertical: &Basis,
    out: &mut [f32],
    stride: usize,
) {
    let (ow, oh) = (horizontal.n, vertical.n);
    // Horizontal first: tmp[v][x] = Σ_u F[v][u] W_u(x), for the used rows.
    let mut tmp = [[0f32; 4]; 4];
    for (v, trow) in tmp.iter_mut().enumerate().take(rows) {
        for u in 0..cols {
            let f = f32::from(coefs[v * 8 + u]) * quant[v * 8 + u];
            let w = &horizontal.weights[u];
            for x in 0..4 {
                trow[x] += f * w[x];
            }
        }
    }
    for (y, orow) in out.chunks_mut(stride).take(oh).enumerate() {
        let mut acc = [128f32; 4];
        for (v, trow) in tmp.iter().enumerate().take(rows) {
            let w = vertical.weights[v][y];
            for x in 0..4 {
                acc[x] += w * trow[x];
            }
        }
        orow[..ow].copy_from_slice(&acc[..ow]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook 8×8 inverse DCT, in f64.
    fn reference(coefs: &[f64; 64]) -> [f64; 64] {
        let c = |u: usize| {
            if u == 0 {
                std::f64::consts::FRAC_1_SQRT_2
            } else {
                1.0
            }
        };
        let mut out = [0.0; 64];
        for y in 0..8 {
            for x in 0..8 {
                let mut s = 0.0;
                for v in 0..8 {
                    for u in 0..8 {
                        s += c(u)
                            * c(v)
                            * coefs[v * 8 + u]
                            * ((2 * x + 1) as f64 * u as f64 * std::f64::consts::PI / 16.0).cos()
                            * ((2 * y + 1) as f64 * v as f64 * std::f64::consts::PI / 16.0).cos();
                    }
                }
                out[y * 8 + x] = s / 4.0 + 128.0;
            }
        }
        out
    }

    fn sample_block() -> [i16; 64] {
        let mut coefs = [0i16; 64];
        for (k, c) in coefs.iter_mut().enumerate() {
            *c = ((k as i32 * 37 % 23) - 11) as i16 * if k < 10 { 8 } else { 1 };
        }
        coefs
    }

    #[test]
    fn full_size_matches_the_textbook_transform() {
        let coefs = sample_block();
        let quant = [2f32; 64];
        let expected = reference(&coefs.map(|c| f64::from(c) * 2.0));
        let mut out = [0f32; 64];
        let b = Basis::new(8);
        idct(&coefs, &quant, 63, &b, &b, &mut out, 8);
        for i in 0..64 {
            assert!((f64::from(out[i]) - expected[i]).abs() < 1e-3, "{i}");
        }
    }

    #[test]
    fn scaled_outputs_are_block_means_of_smooth_content() {
        // A gentle horizontal ramp: the 4-point output must be close to the
        // mean of each pair of full-size pixels, the 1-point one to the mean.
        let mut coefs = [0i16; 64];
        coefs[0] = 80;
        coefs[1] = -40;
        let quant = [1f32; 64];
        let b8 = Basis::new(8);
        let mut full = [0f32; 64];
        idct(&coefs, &quant, 1, &b8, &b8, &mut full, 8);
        let mut half = [0f32; 16];
        let b4 = Basis::new(4);
        idct(&coefs, &quant, 1, &b4, &b4, &mut half, 4);
        for x in 0..4 {
            let mean = (full[2 * x] + full[2 * x + 1]) / 2.0;
            assert!((half[x] - mean).abs() < 0.5, "{x}: {} vs {mean}", half[x]);
        }
        let mut one = [0f32; 1];
        let b1 = Basis::new(1);
        idct(&coefs, &quant, 1, &b1, &b1, &mut one, 1);
        let mean = full.iter().sum::<f32>() / 64.0;
        assert!((one[0] - mean).abs() < 1e-3);
        // Enlarging twice: pairs of outputs straddle the full-size pixel.
        let b16 = Basis::new(16);
        let mut double = [0f32; 256];
        idct(&coefs, &quant, 1, &b16, &b16, &mut double, 16);
        for x in 0..8 {
            let pair = (double[2 * x] + double[2 * x + 1]) / 2.0;
            assert!((pair - full[x]).abs() < 0.5, "{x}");
        }
    }

    #[test]
    fn needed_coefficients() {
        assert_eq!(zigzag_needed(1, 1), 1);
        assert_eq!(zigzag_needed(2, 2), 5);
        assert_eq!(zigzag_needed(4, 4), 25);
        assert_eq!(zigzag_needed(8, 8), 64);
    }
}
