/** The part of s3rver (an S3-compatible test server, no published types) the S3 driver tests use. */
declare module 's3rver' {
  interface S3rverOptions {
    address?: string;
    port?: number;
    /** Folder the buckets and objects are kept in. */
    directory: string;
    silent?: boolean;
    configureBuckets?: { name: string; configs: (string | Buffer)[] }[];
  }

  export default class S3rver {
    constructor(options: S3rverOptions);
    /** Starts listening; resolves with the address actually bound. */
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
