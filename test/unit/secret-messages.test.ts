/** A malformed secret stops startup with a message that names its variable, never its value. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../config/load-config.js';
import { settings } from '../../config/settings.js';

const MARKER = 'Zq9-leaked-secret-part';
/** Values malformed for most secret settings, each carrying the marker. */
const MALFORMED = [`owner-without-colon-${MARKER}`, `a:${MARKER}`, ` ${MARKER},,:`, MARKER.slice(0, 3), `${MARKER} with spaces`];

describe('secret settings in startup errors', () => {
  it('API_KEYS given as "owner:short" is refused without its value', () => {
    assert.throws(() => loadConfig({ API_KEYS: `alice:${MARKER.slice(0, 8)}` }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /API_KEYS/);
      assert.doesNotMatch(error.message, new RegExp(MARKER.slice(0, 8)));
      return true;
    });
  });

  const secrets = Object.values(settings).filter((declaration) => declaration.secret);
  it('every secret setting is covered', () => assert.ok(secrets.length >= 3));
  for (const declaration of secrets) {
    it(`${declaration.env}: no malformed value is echoed`, () => {
      for (const value of MALFORMED) {
        try {
          loadConfig({ [declaration.env]: value });
        } catch (error) {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, new RegExp(declaration.env));
          assert.ok(!error.message.includes(value.trim()), error.message);
        }
      }
    });
  }
});
