/**
 * Reads a request body into memory up to a byte limit, and stops reading the moment the limit is
 * passed: an oversized body is never held whole, whatever its declared length.
 */
import type { Readable } from 'node:stream';
import { validationError, type FarmError } from '../errors/farm-error.js';

/** 413 PAYLOAD_TOO_LARGE for a body over `maxBytes`. */
export function payloadTooLarge(maxBytes: number): FarmError {
  return validationError(
    'PAYLOAD_TOO_LARGE',
    `the request body is larger than ${maxBytes} bytes (MAX_BODY_BYTES)`,
    { maxBytes },
  );
}

/**
 * Resolves with the whole body, or rejects with PAYLOAD_TOO_LARGE as soon as more than `maxBytes`
 * arrived. After a rejection the stream is left paused and unread; the caller closes the connection.
 */
export function readBodyWithin(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onFailure);
      stream.off('close', onFailure);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > maxBytes) {
        stop();
        stream.pause();
        reject(payloadTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks, received));
    };
    // 'close' before 'end' means the client went away mid-body; nobody will read the answer, but the
    // request must still end with a typed error rather than hang.
    const onFailure = (): void => {
      stop();
      reject(validationError('INVALID_REQUEST', 'the connection closed before the request body was complete'));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onFailure);
    stream.on('close', onFailure);
  });
}
