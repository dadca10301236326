/*
 * Randomness and time as a render sees them. Force layouts, jitter and axis-break zigzags call
 * Math.random, and options may print `new Date()`: without this, such charts differ on every render.
 *
 * Before each render `farmDeterminism.reset(seed, frozenTime)` gives Math.random a fresh generator
 * started from `seed` (DEFAULT_SEED when the request names none) and sets the clock that `Date`
 * reads: frozen at `frozenTime` (ISO 8601) or, by default, the real one. Both are set anew on every
 * render, so nothing one chart drew or consumed reaches the next.
 *
 * Shared, as it is, by the chart page (served as /pages/determinism.js, so it is part of the render
 * fingerprint) and the server-side SVG engine (renderer/ssr-worker.ts runs this file), so both draw a
 * seeded force layout the same way. Plain JavaScript: served and run as it is, never compiled.
 */
(function (global) {
  'use strict';

  /** The seed of Math.random when a request names none (pages/README.md documents it). */
  var DEFAULT_SEED = 42;

  var NativeDate = global.Date;
  /** Milliseconds since the epoch while the clock is frozen, null for the real clock. */
  var frozenNow = null;
  /** One reading of the clock pinned in advance (see `pinNextClockReading`), or null. */
  var pinnedReading = null;

  /** The last time `now()` answered (see `lastClockReading`). */
  var lastReading = 0;

  function now() {
    if (pinnedReading !== null) {
      lastReading = pinnedReading;
      pinnedReading = null;
      return lastReading;
    }
    lastReading = frozenNow !== null ? frozenNow : NativeDate.now();
    return lastReading;
  }

  /** mulberry32: small, fast, and the same sequence in every JavaScript engine for one seed. */
  function seededRandom(seed) {
    var state = seed >>> 0;
    return function random() {
      state = (state + 0x6d2b79f5) >>> 0;
      var t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /*
   * `Date` as before, except that reading the current time (`new Date()`, `Date.now()`, `Date()`)
   * asks `now()`. Dates built from values are untouched, and instances are real Dates.
   */
  function FarmDate() {
    if (!new.target) return new NativeDate(now()).toString();
    var args = arguments.length === 0 ? [now()] : Array.prototype.slice.call(arguments);
    return Reflect.construct(NativeDate, args, new.target);
  }
  FarmDate.prototype = NativeDate.prototype;
  FarmDate.now = now;
  FarmDate.parse = NativeDate.parse;
  FarmDate.UTC = NativeDate.UTC;
  Object.defineProperty(FarmDate, 'length', { value: NativeDate.length });
  Object.defineProperty(FarmDate, 'name', { value: 'Date' });
  // `date.constructor === Date` must keep holding for code that checks it so.
  Object.defineProperty(NativeDate.prototype, 'constructor', { value: FarmDate, writable: true, configurable: true });
  global.Date = FarmDate;

  global.farmDeterminism = {
    DEFAULT_SEED: DEFAULT_SEED,
    /** Seeds Math.random and sets the clock for the render about to start. */
    reset: function (seed, frozenTime) {
      global.Math.random = seededRandom(seed == null ? DEFAULT_SEED : seed);
      frozenNow = frozenTime == null ? null : NativeDate.parse(frozenTime);
      pinnedReading = null;
    },
    /**
     * The next reading of the clock, and only that one, gives `ms`. zrender reads its animation
     * clock with `new Date().getTime()` as the first thing of every animation step: pinning that
     * reading lets the page run animations on a clock of its own (pages/chart.js).
     */
    pinNextClockReading: function (ms) {
      pinnedReading = ms;
    },
    /** What the clock answered last, so a later reading can be pinned to the same instant. */
    lastClockReading: function () {
      return lastReading;
    },
    /** Drops a pinned reading that nobody took. */
    clearPin: function () {
      pinnedReading = null;
    },
  };
})(typeof window !== 'undefined' ? window : globalThis);
