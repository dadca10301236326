/**
 * Missing-glyph detection, kept apart from the render: after a chart is drawn, the renderer asks
 * `window.farmGlyphs.missing()` which characters of the chart's text no font of the page can draw.
 * Each character is drawn on a detached canvas in the font of its text and compared with the glyph
 * the same font draws for an unassigned code point (the "tofu" box): equal pixels mean the character
 * falls back to nothing. Printable ASCII is skipped (every base font draws it). Reads only; the
 * chart and its pixels are not touched.
 */
(function () {
  'use strict';
  /** U+0378 is unassigned: every font draws its missing-glyph box for it. */
  var UNASSIGNED = '\u0378';
  var MAX_REPORTED = 100;
  var SIZE = 48;
  var canvas = document.createElement('canvas');
  canvas.width = SIZE * 2;
  canvas.height = SIZE * 2;
  var context = canvas.getContext('2d', { willReadFrequently: true });
  var verdicts = new Map();

  function pixelsOf(char, font) {
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.font = font;
    context.textBaseline = 'middle';
    context.fillStyle = '#000';
    context.fillText(char, 4, SIZE);
    return context.getImageData(0, 0, canvas.width, canvas.height).data;
  }

  function samePixels(a, b) {
    for (var i = 3; i < a.length; i += 4) if (a[i] !== b[i]) return false;
    return true;
  }

  /** The missing-glyph box of each font: its width and pixels, drawn once. */
  var boxes = new Map();
  function boxOf(font) {
    if (!boxes.has(font)) {
      context.font = font;
      boxes.set(font, { width: context.measureText(UNASSIGNED).width, pixels: pixelsOf(UNASSIGNED, font) });
    }
    return boxes.get(font);
  }

  /** The font of a text, at a fixed size so glyphs compare whatever size the chart used. */
  function checkFont(font) {
    var family = String(font || '').replace(/^.*?\d+(\.\d+)?px\s*/, '') || 'sans-serif';
    return SIZE + 'px ' + family;
  }

  function isMissing(char, font) {
    var key = font + '\u0000' + char;
    if (!verdicts.has(key)) {
      var box = boxOf(font);
      context.font = font;
      // A width other than the box's is a drawn glyph: most characters are settled without reading pixels.
      var missing = context.measureText(char).width === box.width && samePixels(pixelsOf(char, font), box.pixels);
      verdicts.set(key, missing);
    }
    return verdicts.get(key);
  }

  function chartTexts() {
    var container = document.body.firstElementChild;
    var chart = container && window.echarts.getInstanceByDom(container);
    if (!chart) return [];
    var texts = [];
    chart.getZr().storage.getDisplayList(true).forEach(function (element) {
      var style = element.style;
      if (style && typeof style.text === 'string' && style.text !== '') texts.push({ text: style.text, font: checkFont(style.font) });
    });
    return texts;
  }

  function codePointOf(char) {
    return 'U+' + char.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
  }

  window.farmGlyphs = {
    /** `[{char, codePoint, text}]`: each character no font draws, once, with the first text that holds it. */
    missing: function () {
      var found = new Map();
      chartTexts().forEach(function (entry) {
        Array.from(entry.text).forEach(function (char) {
          if (found.size >= MAX_REPORTED || found.has(char)) return;
          var code = char.codePointAt(0);
          if ((code >= 0x20 && code < 0x7f) || /\s/.test(char) || code < 0x20) return;
          // Marks that join the previous letter (variation selectors, zero-width joiners) draw nothing alone.
          if (/[\p{M}\p{Cf}]/u.test(char)) return;
          if (isMissing(char, entry.font)) found.set(char, { char: char, codePoint: codePointOf(char), text: entry.text.slice(0, 100) });
        });
      });
      return Array.from(found.values());
    },
  };
})();
