/*
 * What the farm does to every option before ECharts sees it, and the check after `setOption`. Shared,
 * as it is, by the chart page (served as /pages/option-rules.js) and the server-side SVG engine
 * (renderer/ssr-worker.ts runs this file), so both engines draw the same chart from one option.
 * Plain JavaScript: served and run as it is, never compiled.
 */
(function (global) {
  'use strict';

  /** Visits each `key` component (`series`, `geo`, ...) of an option, its baseOption and timeline options. */
  function eachComponent(option, key, visit) {
    var holders = [option];
    if (option.baseOption) holders.push(option.baseOption);
    if (Array.isArray(option.options)) holders = holders.concat(option.options);
    holders.forEach(function (holder) {
      var components = holder && typeof holder === 'object' ? holder[key] : null;
      if (!components) return;
      (Array.isArray(components) ? components : [components]).forEach(function (component) {
        if (component && typeof component === 'object') visit(component);
      });
    });
  }

  /*
   * Which series one pass draws with the same pixels as progressive drawing (pages/README.md, "Single
   * pass"). Progressive items are drawn in an incremental layer above the main layer; one pass puts
   * them back in z order. That kept every pixel of the corpus's JSON series, except:
   * - `large: true` series: chunks change the order of fills and strokes;
   * - `custom` series: `renderItem` may return any element at any z, and a large custom series drawn
   *   over split lines comes out under them in one pass (600 pixels on ECharts' custom-large page).
   * Those keep progressive drawing.
   */
  function mayDrawInOnePass(series) {
    return series.large !== true && series.type !== 'custom';
  }

  /**
   * Animation off (also on `baseOption`); force layouts run to their end inside setOption; with
   * `singlePass`, every series that `mayDrawInOnePass` is drawn in one pass instead of one chunk per
   * frame.
   */
  function prepare(option, settings) {
    option.animation = false;
    if (option.baseOption && typeof option.baseOption === 'object') option.baseOption.animation = false;
    // A force layout steps every 16 ms on a timer: the capture would catch it wherever it got to.
    // With animation off only its end is wanted, so it runs to that end inside setOption.
    eachComponent(option, 'series', function (series) {
      if (series.type === 'graph' && series.layout === 'force') {
        series.force = Object.assign({}, series.force, { layoutAnimation: false });
      }
    });
    if (settings.singlePass) {
      eachComponent(option, 'series', function (series) {
        if (mayDrawInOnePass(series)) series.progressive = 0;
      });
    }
  }

  /*
   * ECharts skips a series of a type it does not know and draws the rest: an image with a silent
   * hole. Every series object of a plain option must have become a series model (types are not
   * compared by name: ECharts accepts aliases such as 'k' for candlestick). Timeline and media
   * options add series step by step, so they are not checked.
   */
  function unknownSeriesTypes(instance, option) {
    if (option.baseOption || option.options || option.media || !option.series) return [];
    var entries = (Array.isArray(option.series) ? option.series : [option.series]).filter(function (series) {
      return series && typeof series === 'object';
    });
    var models = instance.getModel().getSeries();
    if (models.length >= entries.length) return [];
    var known = {};
    models.forEach(function (series) { known[series.subType] = true; });
    var unknown = [];
    entries.forEach(function (series) {
      var type = String(series.type);
      if (!known[type] && unknown.indexOf(type) < 0) unknown.push(type);
    });
    return unknown;
  }

  global.farmOptionRules = { eachComponent: eachComponent, prepare: prepare, unknownSeriesTypes: unknownSeriesTypes };
})(typeof window !== 'undefined' ? window : globalThis);
