/*
 * The page side of the farm: one warm page renders one chart at a time through `window.farm.render`.
 * The contract with the renderer is written down in pages/README.md. Plain browser JavaScript: this
 * file is served as it is, never compiled.
 */
(function () {
  'use strict';

  var echarts = window.echarts;
  var determinism = window.farmDeterminism;
  var optionRules = window.farmOptionRules;
  var eachComponent = optionRules.eachComponent;
  var nativeSetTimeout = window.setTimeout.bind(window);
  var nativeClearTimeout = window.clearTimeout.bind(window);
  var nativeSetInterval = window.setInterval.bind(window);
  var nativeClearInterval = window.clearInterval.bind(window);
  var nativeRequestAnimationFrame = window.requestAnimationFrame.bind(window);

  // Timers started by a chart's own callbacks are cleared before the next render, so nothing from
  // one chart runs during another.
  var chartTimers = new Set();
  window.setTimeout = function (handler, delay) {
    var args = Array.prototype.slice.call(arguments, 2);
    var id = nativeSetTimeout.apply(null, [function () {
      chartTimers.delete(id);
      if (typeof handler === 'function') handler.apply(null, args);
    }, delay]);
    chartTimers.add(id);
    return id;
  };
  window.setInterval = function () {
    var id = nativeSetInterval.apply(null, arguments);
    chartTimers.add(id);
    return id;
  };
  function clearChartTimers() {
    chartTimers.forEach(function (id) {
      nativeClearTimeout(id);
      nativeClearInterval(id);
    });
    chartTimers.clear();
  }

  // Images (image:// symbols, rich-text and pattern backgrounds) load asynchronously: count them so
  // the capture waits until every one has loaded or failed and been painted.
  var pendingImages = 0;
  /** Images loaded since the page loaded: zrender keeps them in a page-wide cache. */
  var imagesLoaded = 0;
  function imageSettled() {
    if (pendingImages > 0) pendingImages -= 1;
  }
  echarts.setPlatformAPI({
    loadImage: function (src, onload, onerror) {
      var image = new Image();
      pendingImages += 1;
      imagesLoaded += 1;
      image.onload = function () {
        try { onload.apply(this, arguments); } finally { imageSettled(); }
      };
      image.onerror = function () {
        try { reportFailedImage(image, onerror, arguments); } finally { imageSettled(); }
      };
      image.src = src;
      return image;
    },
  });

  /*
   * When an image loads or fails, zrender walks the list of elements waiting for it and repaints for
   * each one at once. A failed image is never ready, so every repaint that draws it puts its element
   * on that same list again while the walk is still going: a failed background pattern whose layer
   * is repainted in the walk (a decal on any series does that) keeps the walk going forever, and the
   * page hangs, a plain page too. zrender's callback gets the list as it was when the image failed;
   * elements that ask for the image afterwards wait on zrender's own list, as for any image that
   * never loads (a failed image draws nothing, so they have nothing to repaint).
   */
  function reportFailedImage(image, zrenderOnError, args) {
    var waiting = image.__cachedImgObj;
    if (waiting && Array.isArray(waiting.pending)) {
      image.__cachedImgObj = { image: waiting.image, pending: waiting.pending.splice(0) };
    }
    zrenderOnError.apply(image, args);
  }

  /*
   * zrender measures the width of every ASCII character once per font, and times it with the wall
   * clock: when the 128 measurements take more than 16 ms once (or more than 2 ms five times) it
   * stops making such tables for the rest of the page's life and measures every ASCII character of
   * every font it meets afterwards as wide as an "a". Labels that wrap or truncate by width
   * (`overflow: 'break' | 'truncate'`, pie labels aligned to an edge) then break elsewhere: on a
   * loaded machine, and on a warm page that met enough fonts, the layout depended on the CPU. The
   * page measures text as zrender does, and when it sees zrender's table being made (the characters
   * 0 to 127 in order) it gives the clock reading that ends the timing the instant of the one that
   * began it: the table is always made, as on a quiet page.
   */
  var measuringContext = null;
  var measuringFont = null;
  var nextTableCharCode = -1;
  var tableStartedAt = 0;
  function measureText(text, font) {
    if (!measuringContext) measuringContext = document.createElement('canvas').getContext('2d');
    if (measuringFont !== font) measuringFont = measuringContext.font = font || '12px sans-serif';
    noteWidthTableProgress(text);
    return measuringContext.measureText(text);
  }
  function noteWidthTableProgress(text) {
    var code = text.length === 1 ? text.charCodeAt(0) : -2;
    if (code === 0) {
      nextTableCharCode = 1;
      tableStartedAt = determinism.lastClockReading();
    } else if (code === nextTableCharCode) {
      nextTableCharCode += 1;
      if (code === 127) {
        nextTableCharCode = -1;
        determinism.pinNextClockReading(tableStartedAt);
      }
    } else {
      nextTableCharCode = -1;
    }
  }
  echarts.setPlatformAPI({ measureText: measureText });

  var chart = null;

  // Maps are registered once per page. An SVG map keeps the graphic elements a chart drew and styled
  // (a theme, a visual map) and hands them to the next chart: each render that uses one registers it
  // afresh, as a new page would.
  var maps = window.farmMaps || {};
  Object.keys(maps).forEach(function (name) { echarts.registerMap(name, maps[name]); });

  function referencedMapNames(option) {
    var names = [];
    ['geo', 'series'].forEach(function (key) {
      eachComponent(option, key, function (component) {
        if (typeof component.map === 'string') names.push(component.map);
      });
    });
    return names;
  }

  function refreshSvgMaps(option) {
    referencedMapNames(option).forEach(function (name) {
      if (maps[name] && maps[name].svg) echarts.registerMap(name, maps[name]);
    });
  }

  function dispose() {
    clearChartTimers();
    if (chart) {
      chart.dispose();
      chart = null;
    }
    document.body.textContent = '';
    document.documentElement.style.background = '';
    document.body.style.background = '';
  }

  function nextFrame() {
    return new Promise(function (resolve) { nativeRequestAnimationFrame(function () { resolve(); }); });
  }

  function delay(ms) {
    return new Promise(function (resolve) { nativeSetTimeout(resolve, ms); });
  }

  function describeError(kind, error) {
    var message = error && error.message ? error.message : String(error);
    return { ok: false, error: { kind: kind, message: message } };
  }

  function optionFromScript(script) {
    // The one accepted form of options with functions: a script that declares `var option`.
    var option = new Function('echarts', script + '\n;return typeof option === "undefined" ? undefined : option;')(echarts);
    if (option === null || typeof option !== 'object' || Array.isArray(option)) {
      throw new Error('the script must declare `var option = {...}` (an object)');
    }
    return option;
  }

  /*
   * zrender's animations read the wall clock, so a looping effect (effectScatter ripples, lines
   * trails) would be caught at whatever phase the capture happened to fall on. Here they run on a
   * clock of the chart's own: it starts at 0 and moves one frame per animation step, and only while
   * a finite animation is running; looping effects alone leave it standing, so they are drawn at
   * their first frame on every render. zrender takes its time from the first clock reading of
   * `update` and `start`; that reading is pinned (pages/determinism.js).
   */
  var ANIMATION_FRAME_MS = 16;
  function driveAnimationClock(animation) {
    var time = 0;
    var update = animation.update;
    var start = animation.start;
    animation.update = function (notTriggerFrameAndStageUpdate) {
      // Steps without a frame (a refresh for an export) must not move time.
      if (!notTriggerFrameAndStageUpdate && finiteAnimationRunning(animation)) time += ANIMATION_FRAME_MS;
      determinism.pinNextClockReading(time);
      try {
        return update.apply(this, arguments);
      } finally {
        determinism.clearPin();
      }
    };
    animation.start = function () {
      determinism.pinNextClockReading(time);
      try {
        return start.apply(this, arguments);
      } finally {
        determinism.clearPin();
      }
    };
    // zrender started the animation when the chart was created, on the wall clock.
    animation._time = time;
    return { now: function () { return time; } };
  }

  /*
   * zrender paints an incremental layer (progressive series) within a 15 ms budget per frame and
   * goes on in the next frame; ECharts reports `finished` when its own work is done, whether or not
   * the painter has caught up, and under load it often has not. The page notes whether the
   * painter's last pass left anything unpainted.
   */
  function trackUnpaintedLayers(instance) {
    var painter = instance.getZr().painter;
    var state = { unpainted: false };
    if (typeof painter._doPaintList !== 'function') return state;
    var doPaintList = painter._doPaintList;
    painter._doPaintList = function () {
      var finished = doPaintList.apply(this, arguments);
      state.unpainted = !finished;
      return finished;
    };
    return state;
  }

  function finiteAnimationRunning(animation) {
    for (var clip = animation._head; clip; clip = clip.next) {
      if (!clip.loop) return true;
    }
    return false;
  }

  function loopingAnimationRunning(animation) {
    for (var clip = animation._head; clip; clip = clip.next) {
      if (clip.loop) return true;
    }
    return false;
  }

  /*
   * What the chart still waits for, or null: an image loading, a font loading, a progressive
   * series not fully rendered, a layer not fully painted, a finite animation, a repaint asked for.
   * Looping effects repaint forever and are not counted (see waitUntilSettled).
   */
  function pendingWork(instance, layers) {
    if (pendingImages > 0) return 'images';
    if (document.fonts && document.fonts.status !== 'loaded') return 'fonts';
    if (instance._scheduler && instance._scheduler.unfinished) return 'progressive rendering';
    if (layers.unpainted) return 'layer painting';
    var zr = instance.getZr();
    if (finiteAnimationRunning(zr.animation)) return 'animation';
    if (zr._needsRefresh && !loopingAnimationRunning(zr.animation)) return 'repaint';
    return null;
  }

  /** Work that comes to an end by itself however long the CPU takes: while some is left, no cap is counted. */
  var ENDING_WORK = { images: true, fonts: true, 'progressive rendering': true, 'layer painting': true };

  /*
   * Resolves once the chart is settled, by its state, never by the clock: ECharts has reported
   * `finished`, nothing is pending (pendingWork), and that still holds after two more animation
   * frames, so the last paint has reached the screen. Charts with looping effects never report
   * `finished`: once nothing but their loops has run for `finishedWaitMs`, they are captured
   * ('cap'). The cap is not counted while work that ends by itself is left (ENDING_WORK: on a busy
   * CPU it takes longer, and RENDER_TIMEOUT bounds the whole render), and a finite animation counts
   * it on the chart's own animation clock, which moves one frame per frame whatever the load. A
   * chart still drawing when the cap runs out is 'unsettled', and the renderer fails it rather than
   * capture a half-drawn image.
   */
  function waitUntilSettled(instance, layers, animationClock, finishedWaitMs) {
    var finishedOnce = false;
    instance.on('finished', function () { finishedOnce = true; });
    function clockFor(pending) {
      return pending === 'animation' ? animationClock.now() : performance.now();
    }
    return async function settle() {
      var waitingFor = null;
      var waitStartedAt = 0;
      var quietFrames = 0;
      for (;;) {
        await nextFrame();
        if (instance.isDisposed()) return { settledBy: 'finished' };
        var pending = pendingWork(instance, layers) || (finishedOnce ? null : 'finished');
        quietFrames = pending === null ? quietFrames + 1 : 0;
        if (quietFrames >= 2) return { settledBy: 'finished' };
        if (pending === null || ENDING_WORK[pending]) {
          waitingFor = null;
          continue;
        }
        if (pending !== waitingFor) {
          waitingFor = pending;
          waitStartedAt = clockFor(pending);
        }
        if (clockFor(pending) - waitStartedAt >= finishedWaitMs) {
          if (pending === 'finished' && loopingAnimationRunning(instance.getZr().animation)) return { settledBy: 'cap' };
          return { settledBy: 'unsettled', pending: pending };
        }
      }
    };
  }

  async function render(request) {
    dispose();
    pendingImages = 0;
    // Before the option script runs: it may draw random data or read the date too.
    determinism.reset(request.seed, request.frozenTime);

    var option;
    try {
      option = request.script != null ? optionFromScript(request.script) : request.option;
    } catch (error) {
      return describeError('script', error);
    }
    try {
      optionRules.prepare(option, { singlePass: request.singlePass });
      refreshSvgMaps(option);
    } catch (error) {
      return describeError('option', error);
    }

    if (request.background) {
      document.documentElement.style.background = request.background;
      document.body.style.background = request.background;
    }
    var container = document.createElement('div');
    container.style.width = request.width + 'px';
    container.style.height = request.height + 'px';
    document.body.appendChild(container);

    var settle;
    var started = performance.now();
    try {
      // zrender reads window.devicePixelRatio once, when the page loads: a warm page must say it.
      chart = echarts.init(container, request.theme || null, {
        renderer: request.renderer,
        devicePixelRatio: request.devicePixelRatio,
      });
      var animationClock = driveAnimationClock(chart.getZr().animation);
      settle = waitUntilSettled(chart, trackUnpaintedLayers(chart), animationClock, request.finishedWaitMs);
      chart.setOption(option);
    } catch (error) {
      return describeError('option', error);
    }
    var optionSet = performance.now();
    var unknownTypes = optionRules.unknownSeriesTypes(chart, option);
    if (unknownTypes.length > 0) {
      return { ok: false, error: { kind: 'unknown-series', message: 'unknown series type ' + unknownTypes.map(JSON.stringify).join(', ') } };
    }
    var settled = await settle();
    if (settled.settledBy === 'unsettled') {
      return { ok: false, error: { kind: 'unsettled', message: 'still waiting for ' + settled.pending } };
    }

    var result = {
      ok: true,
      settledBy: settled.settledBy,
      heapBytes: performance.memory ? performance.memory.usedJSHeapSize : 0,
      imagesLoaded: imagesLoaded,
      timings: { setOptionMs: optionSet - started, settleMs: performance.now() - optionSet },
    };
    if (request.canvasPng) {
      // The chart's own canvas composited over the page background: the page's pixels without
      // a compositor frame and a screenshot round trip (proven on the corpus by the fidelity test).
      var exportStarted = performance.now();
      var canvas = chart.renderToCanvas({
        backgroundColor: request.background === 'transparent' ? 'transparent' : request.background || '#ffffff',
        pixelRatio: request.devicePixelRatio,
      });
      result.png = canvas.toDataURL('image/png');
      result.timings.exportMs = performance.now() - exportStarted;
    }
    if (request.renderer === 'svg') {
      if (request.svgBackground) chart.getZr().setBackgroundColor(request.svgBackground);
      // zrender's tree rather than its string, which holds attribute values unescaped: the renderer
      // writes the text escaped and sanitised (renderer/svg-markup.ts).
      result.svgTree = chart.getZr().painter.renderToVNode(request.svgExport);
    }
    return result;
  }

  window.farm = {
    ready: true,
    echartsVersion: echarts.version,
    defaultSeed: determinism.DEFAULT_SEED,
    render: render,
    dispose: dispose,
    delay: delay,
  };
})();
