/**
 * Two render fingerprints name the parts they differ in, so a host and a container image (or a
 * golden folder and this run) can tell fonts from flags from Chromium; the hash of a given set of
 * parts never moves, or every recorded golden fingerprint would turn into drift.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FINGERPRINT_PARTS, fingerprintDifferences, makeFingerprint } from '../../renderer/fingerprint.js';

const PARTS = {
  chromium: 'HeadlessChrome/156.0.8078.129',
  echarts: '6.1.0',
  fonts: '0123456789abcdef',
  flags: ['--no-sandbox', '--disable-gpu'],
  template: 'fedcba9876543210',
};

describe('render fingerprint parts', () => {
  it('hashes the parts as it always did', () => {
    // The value of the hash before the parts could be compared; .golden-fingerprint.json files hold such hashes.
    assert.equal(makeFingerprint(PARTS).hash, '8556e038d69a6ac3');
  });

  it('names no part for the same setup', () => {
    assert.deepEqual(fingerprintDifferences(makeFingerprint(PARTS), makeFingerprint({ ...PARTS, flags: [...PARTS.flags] })), []);
  });

  it('names each part that differs, and only those', () => {
    for (const part of FINGERPRINT_PARTS) {
      const other = { ...PARTS, [part]: part === 'flags' ? [...PARTS.flags, '--disable-quic'] : `${PARTS[part]}x` };
      assert.deepEqual(fingerprintDifferences(PARTS, other), [part]);
      assert.notEqual(makeFingerprint(other).hash, makeFingerprint(PARTS).hash, `${part} moves the hash`);
    }
    assert.deepEqual(fingerprintDifferences(PARTS, { ...PARTS, fonts: 'unknown', chromium: 'HeadlessChrome/157.0.0.0' }), ['chromium', 'fonts']);
  });

  it('takes the order of the flags as a difference: Chromium reads them in order', () => {
    assert.deepEqual(fingerprintDifferences(PARTS, { ...PARTS, flags: [...PARTS.flags].reverse() }), ['flags']);
  });
});
