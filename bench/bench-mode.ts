/** Reads the benchmarks' one argument, `--quick`; anything else stops the run with the usage. */
export function readMode(usage: string, args: readonly string[] = process.argv.slice(2)): 'quick' | 'full' {
  const unknown = args.filter((arg) => arg !== '--quick');
  if (unknown.length > 0) {
    console.error(`unknown argument ${unknown.join(' ')}\nusage: ${usage}`);
    process.exit(2);
  }
  return args.includes('--quick') ? 'quick' : 'full';
}
