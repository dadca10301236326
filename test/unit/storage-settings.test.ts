/** STORAGE and the drivers' settings: what each accepts, and the startup errors that name what to fix. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createObjectStore } from '../../farm/task-system.js';
import { effectiveSettingsText } from '../../config/describe-config.js';
import { ConfigError, configWith, loadConfig } from '../../config/load-config.js';
import { LocalObjectStore } from '../../storage/local-store.js';
import { objectKeyPrefix, objectStoreProblems, type ObjectStoreSettings } from '../../storage/object-store-factory.js';
import { ossSettingsProblems, ossStoreOptions } from '../../storage/oss-options.js';
import { s3SettingsProblems, s3StoreOptions } from '../../storage/s3-options.js';
import { rejectionOf } from '../helpers/rejection.js';

const OSS_OK = { accessKeyId: 'id', accessKeySecret: 'secret', bucket: 'farm-bucket', region: 'oss-cn-hangzhou' };


describe('storage settings', () => {
  it('reads STORAGE and the driver settings from the environment, secrets hidden when printed', () => {
    const config = loadConfig({ STORAGE: 's3', S3_FORCE_PATH_STYLE: 'yes', OSS_PRIVATE: 'true', OSS_ACCESS_KEY_SECRET: 'hush', SIGNED_URL_TTL_SECONDS: '900' });
    assert.deepEqual([config.storage, config.s3ForcePathStyle, config.ossPrivate, config.signedUrlTtlSeconds], ['s3', true, true, 900]);
    assert.equal(config.storageCheckOnStart, true);
    const printed = effectiveSettingsText(config);
    assert.match(printed, /^OSS_ACCESS_KEY_SECRET\s+\(hidden\)$/m);
    assert.doesNotMatch(printed, /hush/);
  });

  it('refuses an unknown driver and a refresh window as long as the URL lifetime, naming the variables', () => {
    assert.throws(() => loadConfig({ STORAGE: 'ftp' }), /STORAGE="ftp" is not valid: it accepts one of local, oss, s3/);
    assert.throws(
      () => loadConfig({ SIGNED_URL_TTL_SECONDS: '300', SIGNED_URL_REFRESH_AHEAD_SECONDS: '300' }),
      /SIGNED_URL_REFRESH_AHEAD_SECONDS=300 must be less than SIGNED_URL_TTL_SECONDS=300/,
    );
  });

  it('stops STORAGE=oss without its settings, naming every missing variable', async () => {
    const error = await rejectionOf(() => createObjectStore(configWith({ storage: 'oss' })), ConfigError);
    assert.equal(error.problems.length, 4);
    for (const variable of ['OSS_ACCESS_KEY_ID', 'OSS_ACCESS_KEY_SECRET', 'OSS_BUCKET', 'OSS_REGION']) {
      assert.ok(error.problems.some((problem) => problem.startsWith(`${variable} is required with STORAGE=oss`)), `${variable} named`);
    }
  });

  it('names each invalid OSS value and what it accepts', () => {
    const problems = ossSettingsProblems({
      ...OSS_OK,
      bucket: 'My_Bucket',
      region: 'Hangzhou!',
      endpoint: 'https://oss.example.com/bucket',
      customDomain: 'ftp://cdn.example.com',
      pathPrefix: 'a/../b',
    });
    assert.deepEqual(
      problems.map((problem) => problem.split('=')[0]),
      ['OSS_BUCKET', 'OSS_REGION', 'OSS_ENDPOINT', 'OSS_CUSTOM_DOMAIN', 'OSS_PATH_PREFIX'],
    );
    assert.match(problems[0]!, /3 to 63 lowercase letters/);
    assert.match(problems[2]!, /must not have a path/);
    assert.match(problems[4]!, /must not contain "\." or "\.\." segments/);
  });

  it('takes an IP address as OSS_ENDPOINT with the region that names the bucket host', () => {
    assert.deepEqual(ossSettingsProblems({ ...OSS_OK, endpoint: 'http://10.0.0.8:9000' }), []);
    const [noRegion] = ossSettingsProblems({ ...OSS_OK, region: undefined, endpoint: '10.0.0.8' });
    assert.match(noRegion!, /^OSS_ENDPOINT="10\.0\.0\.8" is an IP address: set OSS_REGION too/);
    const [unsignable] = ossSettingsProblems({ ...OSS_OK, endpoint: '10.0.0.8', private: true });
    assert.match(unsignable!, /OSS_PRIVATE=true: URLs cannot be signed for an IP address; set OSS_CUSTOM_DOMAIN/);
    assert.deepEqual(ossSettingsProblems({ ...OSS_OK, endpoint: '10.0.0.8', private: true, customDomain: 'img.example.com' }), []);
  });

  it('takes either spelling of an OSS region and an endpoint instead of a region', () => {
    assert.equal(ossStoreOptions({ ...OSS_OK, region: 'cn-shanghai' }).region, 'oss-cn-shanghai');
    assert.deepEqual(ossSettingsProblems({ ...OSS_OK, region: undefined, endpoint: 'https://oss-cn-hangzhou-internal.aliyuncs.com' }), []);
  });

  it('names missing and invalid S3 settings, and defaults the region of an S3-compatible endpoint', () => {
    assert.deepEqual(
      s3SettingsProblems({}).map((problem) => problem.split(' ')[0]),
      ['S3_BUCKET', 'S3_REGION'],
    );
    const problems = s3SettingsProblems({ bucket: 'farm', endpoint: 'http://minio:9000/some/path', accessKeyId: 'key', publicBaseUrl: 'not a url', pathPrefix: '/abs//x' });
    assert.deepEqual(
      problems.map((problem) => problem.split(/[ =]/)[0]),
      ['S3_SECRET_ACCESS_KEY', 'S3_ENDPOINT', 'S3_PUBLIC_BASE_URL', 'S3_PATH_PREFIX'],
    );
    const options = s3StoreOptions({ bucket: 'farm', endpoint: 'http://minio:9000', forcePathStyle: true });
    assert.deepEqual([options.region, options.credentials, options.publicBaseUrl], ['us-east-1', null, null]);
  });

  it('builds the local driver by default, and takes the key prefix from the chosen driver', async () => {
    assert.ok((await createObjectStore(configWith({}))) instanceof LocalObjectStore);
    const settings: ObjectStoreSettings = { driver: 'oss', localRoot: 'x', oss: { ...OSS_OK, pathPrefix: '/farm/charts/' }, s3: { pathPrefix: 'other' } };
    assert.deepEqual(objectStoreProblems(settings), []);
    assert.equal(objectKeyPrefix(settings), 'farm/charts');
    assert.equal(objectKeyPrefix({ ...settings, driver: 's3' }), 'other');
    assert.equal(objectKeyPrefix({ ...settings, driver: 'local' }), '');
  });
});
