/**
 * Characters of a chart's text that no font of the page can draw (they would show as empty boxes),
 * found by pages/glyph-check.js, and the strict mode that turns them into an error.
 */
import { processingError, type FarmError } from '../errors/farm-error.js';

export interface MissingGlyph {
  char: string;
  /** `U+1C5A` */
  codePoint: string;
  /** The first text of the chart that holds it (at most 100 characters). */
  text: string;
}

/** The error of a strict render whose text has characters no font draws. */
export function missingGlyphsError(glyphs: readonly MissingGlyph[]): FarmError {
  const listed = glyphs.slice(0, 10).map((glyph) => `${glyph.char} ${glyph.codePoint}`).join(', ');
  return processingError(
    'MISSING_GLYPHS',
    `no font of the page draws ${glyphs.length} character(s) of the chart's text (${listed}${glyphs.length > 10 ? ', …' : ''}); add a font with FONTS_DIR or turn strictFonts off`,
    { missingGlyphs: glyphs },
  );
}

/** The `X-Missing-Glyphs` header: code points, comma-separated (the characters themselves are not header-safe). */
export function missingGlyphsHeader(glyphs: readonly MissingGlyph[]): string {
  return glyphs.map((glyph) => glyph.codePoint).join(',');
}
